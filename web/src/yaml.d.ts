// esbuild's `text` loader turns the example manifests into strings.
declare module "*.yaml" {
  const text: string;
  export default text;
}
