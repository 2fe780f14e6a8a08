// Where the worker finds the wasm: next to worker.js when served. The offline single-file build
// replaces this module with one that holds the wasm inline (build.mjs).
export function wasmSource(): URL | BufferSource {
  return new URL("kube4c_wasm_bg.wasm", import.meta.url);
}
