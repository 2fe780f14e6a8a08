// Browser benchmark: the real page and worker in Debian's Chromium (headless).
//   node tests/bench/browser-bench.mjs [CORPUS_DIR]
// Prints medians of: check time of a 300-line manifest (inside the worker, and round trip from
// the page), of argo-cd-install.yaml, and the delay from a keystroke to updated underlines on a
// 2,000-line manifest (lint delay included). Needs web/dist built (scripts/serve.sh or test.sh).
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { browser, repo, serve } from "../e2e/harness.mjs";

const corpus = process.argv[2] ?? join(repo, "..", "shared", "corpus", "real");
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const lines = (text, n) => {
  const out = [];
  const src = text.split("\n");
  for (let i = 0; out.length < n; i++) out.push(src[i % src.length]);
  return out.join("\n") + "\n";
};

const example = readFileSync(join(repo, "examples", "task-api-insecure.yaml"), "utf8");
const m300 = lines(example, 300);
const m2000 = lines(example, 2000);
const argoPath = join(corpus, "argo-cd-install.yaml");
const argo = existsSync(argoPath) ? readFileSync(argoPath, "utf8") : null;

const server = await serve();
const chrome = await browser();
const page = await chrome.newPage({ viewport: { width: 1400, height: 900 } });
await page.goto(server.url);
await page.waitForFunction(() => window.kube4c?.stats?.lints > 0);

async function checkTimes(text, runs) {
  return page.evaluate(
    async ({ text, runs }) => {
      const inWorker = [];
      const roundTrip = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const { ms } = await window.kube4c.checker.checkText(text, "all");
        roundTrip.push(performance.now() - t0);
        inWorker.push(ms);
      }
      return { inWorker, roundTrip };
    },
    { text, runs },
  );
}

const results = {};
{
  await checkTimes(m300, 20); // warm up the JIT and the allocator
  const t = await checkTimes(m300, 200);
  results["300-line manifest: check in worker (ms)"] = median(t.inWorker);
  results["300-line manifest: round trip page->worker->page (ms)"] = median(t.roundTrip);
}
if (argo) {
  await checkTimes(argo, 2);
  const t = await checkTimes(argo, 15);
  results["argo-cd-install.yaml (1.9 MB): check in worker (ms)"] = median(t.inWorker);
  results["argo-cd-install.yaml (1.9 MB): round trip (ms)"] = median(t.roundTrip);
}
{
  await page.evaluate((text) => {
    const v = window.kube4c.view;
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text } });
  }, m2000);
  await page.waitForFunction(() => window.kube4c.view.state.doc.lines >= 2000);
  await page.waitForTimeout(500);
  // Type at the end of line 3 (`apiVersion: v1`), then delete, many times.
  await page.evaluate(() => {
    const v = window.kube4c.view;
    const pos = v.state.doc.line(3).to;
    v.dispatch({ selection: { anchor: pos } });
    v.focus();
    window.__keys = [];
    v.contentDOM.addEventListener("keydown", (e) => window.__keys.push(e.timeStamp), true);
  });
  const delays = [];
  const parts = { "keydown -> editor updated": [], "keydown -> linter starts": [], "linter -> worker result": [], "result -> diagnostics applied": [], "applied -> painted": [] };
  for (let i = 0; i < 30; i++) {
    const before = await page.evaluate(() => window.kube4c.stats.lints);
    await page.keyboard.press(i % 2 ? "Backspace" : "x");
    await page.waitForFunction((b) => window.kube4c.stats.lints > b && window.kube4c.stats.lastPaintAt > window.kube4c.stats.lastLintAt, before);
    // Measured inside the page: from the keydown event to the first frame painted after the
    // new diagnostics reached the editor.
    const d = await page.evaluate(() => window.kube4c.stats.lastPaintAt - window.__keys[window.__keys.length - 1]);
    delays.push(d);
    const st = await page.evaluate(() => ({ ...window.kube4c.stats, key: window.__keys[window.__keys.length - 1] }));
    parts["keydown -> editor updated"].push(st.lastDocAt - st.key);
    parts["keydown -> linter starts"].push(st.lastSourceAt - st.key);
    parts["linter -> worker result"].push(st.lastResultAt - st.lastSourceAt);
    parts["result -> diagnostics applied"].push(st.lastLintAt - st.lastResultAt);
    parts["applied -> painted"].push(st.lastPaintAt - st.lastLintAt);
    await page.waitForTimeout(60);
  }
  results["2,000-line manifest: keystroke to updated underlines (ms)"] = median(delays);
  for (const [k, v] of Object.entries(parts)) results[`2,000-line manifest:   ${k} (ms)`] = median(v);
  const st = await page.evaluate(() => window.kube4c.stats);
  results["2,000-line manifest: of which check in worker (ms, last)"] = st.lastWorker;
  results["2,000-line manifest: side panel paint after (ms, last)"] = st.lastPanel;
}
const version = await page.evaluate(() => navigator.userAgent);
await chrome.close();
server.close();

console.log(`browser: ${version}`);
for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(62)} ${v.toFixed(2)}`);
