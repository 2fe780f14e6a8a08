// Trace keystrokes in the real page (Chromium's tracing), for finding where a keystroke's time
// goes: node tests/bench/trace-keys.mjs OUT.json [lines]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { browser, repo, serve } from "../e2e/harness.mjs";

const out = process.argv[2] ?? "trace.json";
const n = Number(process.argv[3] ?? 2000);
const example = readFileSync(join(repo, "examples", "task-api-insecure.yaml"), "utf8");
const src = example.split("\n");
const text = Array.from({ length: n }, (_, i) => src[i % src.length]).join("\n") + "\n";
const server = await serve();
const chrome = await browser();
const page = await chrome.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(server.url);
await page.waitForFunction(() => window.kube4c?.stats?.lints > 0);
await page.evaluate((t) => window.kube4c.setText(t), text);
await page.waitForTimeout(1500);
await page.evaluate(() => {
  const v = window.kube4c.view;
  v.dispatch({ selection: { anchor: v.state.doc.line(3).to } });
  v.focus();
});
await chrome.startTracing(page, { path: out, categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "disabled-by-default-devtools.timeline.frame", "toplevel", "blink.user_timing", "v8.execute", "benchmark", "cc", "viz", "input", "scheduler"] });
for (let i = 0; i < 10; i++) {
  const before = await page.evaluate(() => window.kube4c.stats.lints);
  await page.evaluate((i) => performance.mark(`key${i}`), i);
  await page.keyboard.press(i % 2 ? "Backspace" : "x");
  await page.waitForFunction((b) => window.kube4c.stats.lints > b && window.kube4c.stats.lastPaintAt >= window.kube4c.stats.lastLintAt, before);
  await page.waitForTimeout(150);
}
await chrome.stopTracing();
await chrome.close();
server.close();
