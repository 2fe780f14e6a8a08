// Bundle the page into dist/: main.js and worker.js (ES modules), the wasm, HTML and CSS.
// Prints the size of every file, raw and gzipped, and the whole page's gzipped total.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const dist = "dist";
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
await build({
  entryPoints: { main: "src/main.ts", worker: "src/worker.ts" },
  outdir: dist,
  bundle: true,
  format: "esm",
  minify: true,
  sourcemap: false,
  target: ["es2022"],
  loader: { ".yaml": "text" },
  legalComments: "none",
  logLevel: "warning",
});
copyFileSync("pkg/kube4c_wasm_bg.wasm", join(dist, "kube4c_wasm_bg.wasm"));
copyFileSync("index.html", join(dist, "index.html"));
copyFileSync("style.css", join(dist, "style.css"));

let raw = 0;
let gz = 0;
for (const f of readdirSync(dist).sort()) {
  const bytes = readFileSync(join(dist, f));
  const z = gzipSync(bytes, { level: 9 }).length;
  raw += statSync(join(dist, f)).size;
  gz += z;
  console.log(`  ${f.padEnd(24)} ${String(bytes.length).padStart(9)} B  ${String(z).padStart(8)} B gzipped`);
}
console.log(`web: dist/ ${raw} B raw, ${gz} B gzipped (page total)`);
