// Check a Kubernetes manifest from Node with the kube4c package:
//   node example/check-file.mjs deploy.yaml
// Prints one line per finding and exits 1 when one is high or critical.
import { readFileSync } from "node:fs";
import { check, version } from "../node.js";

const file = process.argv[2];
if (!file) {
  console.error("usage: node check-file.mjs FILE.yaml");
  process.exit(2);
}
const result = check(readFileSync(file, "utf8"), { profile: "all" });
for (const f of result.findings) {
  if (f.suppressed) continue;
  console.log(`${file}:${f.line}:${f.column}: ${f.severity} ${f.rule} [${f.layer}] ${f.message}`);
}
const serious = result.findings.filter((f) => !f.suppressed && (f.severity === "high" || f.severity === "critical"));
console.log(`kube4c ${version()}: ${result.findings.length} findings, ${serious.length} high or critical`);
process.exit(serious.length > 0 ? 1 : 0);
