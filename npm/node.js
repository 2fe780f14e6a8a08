// kube4c for Node: the WebAssembly module, loaded synchronously from this package's own file
// (no network, no fetch of a file: URL), and the same functions as the browser build.
import { readFileSync } from "node:fs";
import { initSync } from "./kube4c_wasm.js";

initSync({ module: readFileSync(new URL("./kube4c_wasm_bg.wasm", import.meta.url)) });

export { catalog, check, checkJson, fixAll, version } from "./kube4c_wasm.js";
