// kube4c for Node: ready to call, the WebAssembly module is loaded on import.
export { catalog, check, checkJson, fixAll, version } from "./kube4c_wasm.js";
export type * from "./kube4c_wasm.js";
