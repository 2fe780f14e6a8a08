// Bundle the page into dist/:
// - the served page: index.html, main.js and worker.js (ES modules), the wasm, style.css, the
//   PWA manifest, icon and service worker (sw.js, caching every file of this build);
// - kube4c-embed.js, the `<kube4c-check>` element for documentation pages (embed.html shows it);
// - kube4c-offline.html: one self-contained file (script, worker and wasm inlined) that works
//   opened from disk with no network; its CSP allows only its own script, by hash;
// - a .gz and a .br beside every file, which serve.mjs sends as they are.
// Prints the size of every file, raw and gzipped, and the served page's gzipped total.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { join } from "node:path";

const dist = "dist";
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const common = {
  bundle: true,
  // KUBE4C_NO_MINIFY=1 keeps names readable in a CPU profile of the page.
  minify: process.env.KUBE4C_NO_MINIFY !== "1",
  sourcemap: false,
  target: ["es2022"],
  loader: { ".yaml": "text" },
  legalComments: "none",
  logLevel: "warning",
};
await build({
  ...common,
  entryPoints: { main: "src/main.ts", worker: "src/worker.ts", "kube4c-embed": "src/embed.ts" },
  outdir: dist,
  format: "esm",
});
for (const f of ["index.html", "style.css", "embed.html", "embed-docs.css", "embed-example.yaml", "manifest.webmanifest", "icon.svg"]) copyFileSync(f, join(dist, f));
copyFileSync("pkg/kube4c_wasm_bg.wasm", join(dist, "kube4c_wasm_bg.wasm"));

// The service worker caches exactly the served page's files; its cache name is their hash.
const assets = ["./", "index.html", "main.js", "worker.js", "kube4c_wasm_bg.wasm", "style.css", "manifest.webmanifest", "icon.svg"];
const h = createHash("sha256");
for (const a of assets.slice(1)) h.update(readFileSync(join(dist, a)));
await build({
  ...common,
  entryPoints: { sw: "src/sw.ts" },
  outdir: dist,
  format: "iife",
  define: { KUBE4C_ASSETS: JSON.stringify(assets), KUBE4C_BUILD: JSON.stringify(h.digest("hex").slice(0, 16)) },
});

// The offline file: the worker (a classic one, started from a blob) with the wasm inlined as
// base64, inlined in turn into the page's script, inlined into the HTML with the CSS.
const inline = (name, contents) => ({
  name,
  setup(b) {
    b.onResolve({ filter: new RegExp(`/${name}$`) }, () => ({ path: name, namespace: "kube4c-offline" }));
    b.onLoad({ filter: /.*/, namespace: "kube4c-offline" }, () => ({ contents, loader: "js" }));
  },
});
const wasm64 = readFileSync("pkg/kube4c_wasm_bg.wasm").toString("base64");
const worker = await build({
  ...common,
  entryPoints: ["src/worker.ts"],
  write: false,
  format: "iife",
  // wasm-bindgen's default wasm URL uses import.meta; this build passes the bytes instead.
  logOverride: { "empty-import-meta": "silent" },
  plugins: [
    inline(
      "wasm-source",
      `const b = atob(${JSON.stringify(wasm64)}); const a = new Uint8Array(b.length);
       for (let i = 0; i < b.length; i++) a[i] = b.charCodeAt(i);
       export function wasmSource() { return a; }`,
    ),
  ],
});
const main = await build({
  ...common,
  entryPoints: ["src/main.ts"],
  write: false,
  format: "esm",
  plugins: [
    inline(
      "worker-start",
      `const source = ${JSON.stringify(worker.outputFiles[0].text)};
       let url;
       export function startWorker() {
         url ??= URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
         return new Worker(url);
       }
       export const SERVED = false;`,
    ),
  ],
});
const script = main.outputFiles[0].text;
if (/<\/script/i.test(script)) throw new Error("the offline script contains </script");
const hash = createHash("sha256").update(script).digest("base64");
const csp =
  `default-src 'none'; script-src 'sha256-${hash}' 'wasm-unsafe-eval'; worker-src blob:; style-src 'unsafe-inline'; ` +
  "img-src data:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";
let html = readFileSync("index.html", "utf8");
const css = readFileSync("style.css", "utf8");
const swap = (from, to) => {
  if (!html.includes(from)) throw new Error(`index.html: missing ${from}`);
  html = html.replace(from, () => to);
};
swap(/content="default-src[^"]*"/.exec(html)?.[0] ?? "content=\"default-src", `content="${csp}"`);
swap('<link rel="stylesheet" href="style.css">', `<style>\n${css}</style>`);
swap('<script type="module" src="main.js"></script>', `<script type="module">${script}</script>`);
swap('<link rel="manifest" href="manifest.webmanifest">', "");
swap('<link rel="icon" href="icon.svg" type="image/svg+xml">', "");
writeFileSync(join(dist, "kube4c-offline.html"), html);

let pageGz = 0;
const served = new Set(assets.slice(1).concat("sw.js"));
for (const f of readdirSync(dist).sort()) {
  const bytes = readFileSync(join(dist, f));
  const gz = gzipSync(bytes, { level: 9 });
  const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
  writeFileSync(join(dist, `${f}.gz`), gz);
  writeFileSync(join(dist, `${f}.br`), br);
  if (served.has(f)) pageGz += gz.length;
  console.log(`  ${f.padEnd(24)} ${String(bytes.length).padStart(9)} B  ${String(gz.length).padStart(8)} B gzip  ${String(br.length).padStart(8)} B brotli`);
}
console.log(`web: the served page is ${pageGz} B gzipped`);
