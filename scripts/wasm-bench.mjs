// Time checkJson of the built wasm in Node: node scripts/wasm-bench.mjs <pkg dir> <file> (median of 9).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
const mod = await import(pathToFileURL(resolve(process.argv[2], "kube4c_wasm.js")).href);
mod.initSync({ module: readFileSync(process.argv[2] + "/kube4c_wasm_bg.wasm") });
const text = readFileSync(process.argv[3], "utf8");
const fn = (t) => mod.checkJson(t, undefined);
const times = [];
for (let i = 0; i < 9; i++) { const t = performance.now(); fn(text); times.push(performance.now() - t); }
times.sort((a, b) => a - b);
console.log(process.argv[2], "median", times[4].toFixed(1), "ms");
