// End to end: the built page in headless Chromium. Paste a manifest, see the underline on the
// right line, hover for the tooltip, click the panel to jump, no request leaves the origin,
// attacker-controlled names stay text. Saves screenshots to tests/e2e/artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { browser, repo, serve } from "./harness.mjs";

const artifacts = join(repo, "tests", "e2e", "artifacts");
let server, chrome, page;
const requests = [];

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await serve();
  chrome = await browser();
  page = await chrome.newPage({ viewport: { width: 1400, height: 900 } });
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(server.url);
  await page.waitForFunction(() => /\d+ findings/.test(document.querySelector("#status")?.textContent ?? ""));
});

after(async () => {
  await chrome?.close();
  server?.close();
});

/** 1-based line numbers of every lint underline whose text is `text`. */
async function underlinedLines(text) {
  return page.evaluate((text) => {
    const lines = [...document.querySelectorAll(".cm-content .cm-line")];
    const out = [];
    lines.forEach((line, i) => {
      for (const m of line.querySelectorAll(".cm-lintRange")) {
        if (m.textContent === text) out.push(i + 1);
      }
    });
    return out;
  }, text);
}

async function setEditorText(text) {
  await page.click(".cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  // insertText is what a paste does to the editor: one input event with the whole text.
  await page.keyboard.insertText(text);
}

test("the insecure example loads with findings in all four layers", async () => {
  // The rings carry each layer's count in their accessible names, Cloud outermost.
  const labels = await page.$$eval("#rings [role=button]", (els) => els.map((e) => e.getAttribute("aria-label")));
  assert.deepEqual(labels.map((l) => l.split(":")[0]), ["Cloud", "Cluster", "Container", "Code"]);
  const counts = labels.map((l) => Number(/: (\d+) finding/.exec(l)[1]));
  for (const c of counts) assert.ok(c > 0, `every layer has findings: ${counts}`);
  await page.screenshot({ path: join(artifacts, "page-insecure.png") });
});

test("pasted manifest: underline on the right line, tooltip with layer, why and fix", async () => {
  const manifest = [
    "apiVersion: v1", // 1
    "kind: Pod", // 2
    "metadata:", // 3
    "  name: \"😀 shell\"", // 4
    "spec:", // 5
    "  containers:", // 6
    "  - name: app", // 7
    "    image: nginx:1.27", // 8
    "    securityContext:", // 9
    "      privileged: on", // 10
    "",
  ].join("\n");
  await setEditorText(manifest);
  await page.waitForFunction(() => document.querySelectorAll(".cm-lintRange").length > 0 && /checked/.test(document.querySelector("#status").textContent));
  await page.waitForFunction(() => [...document.querySelectorAll(".cm-lintRange")].some((m) => m.textContent === "on"));
  assert.deepEqual(await underlinedLines("on"), [10]);
  const mark = page.locator(".cm-line", { hasText: "privileged: on" }).locator(".cm-lintRange", { hasText: "on" }).first();
  await mark.hover();
  const tip = page.locator(".cm-tooltip .k4c-tip").filter({ hasText: "container/privileged" });
  await tip.waitFor({ timeout: 5000 });
  const text = await tip.textContent();
  assert.match(text, /CONTAINER/);
  assert.match(text, /critical/);
  assert.match(text, /Why it matters/);
  assert.match(text, /How to fix/);
  await page.screenshot({ path: join(artifacts, "page-tooltip.png") });
});

test("a quick fix from the tooltip edits the text in place and the finding goes away", async () => {
  // The privileged manifest of the test above is still in the editor.
  const mark = page.locator(".cm-line", { hasText: "privileged: on" }).locator(".cm-lintRange", { hasText: "on" }).first();
  await mark.hover();
  const tip = page.locator(".cm-tooltip").filter({ hasText: "container/privileged" });
  await tip.waitFor({ timeout: 5000 });
  assert.match(await tip.textContent(), /Quick fix: Set `privileged: false`/);
  await page.screenshot({ path: join(artifacts, "page-quickfix.png") });
  await tip.locator(".cm-diagnosticAction", { hasText: "Fix (review)" }).first().click();
  const doc = await page.evaluate(() => window.kube4c.view.state.doc.toString());
  assert.match(doc, /\n      privileged: false\n/);
  await page.waitForFunction(() => !/runs privileged/.test(window.kube4c.panel.text()));
  // Put the privileged line back for the next test.
  await setEditorText(doc.replace("privileged: false", "privileged: on"));
  await page.waitForFunction(() => /runs privileged/.test(window.kube4c.panel.text()));
});

test("the gutter marks a line by its most severe finding, keeps the marker across results, and lists the line on hover", async () => {
  // The privileged manifest is still in the editor: line 10 has a critical finding.
  const markerOf = (text) =>
    page.evaluate((text) => {
      const line = [...document.querySelectorAll(".cm-content .cm-line")].find((l) => l.textContent === text);
      const top = line.getBoundingClientRect().top;
      const cell = [...document.querySelectorAll(".cm-gutter-lint .cm-gutterElement")].find((g) => Math.abs(g.getBoundingClientRect().top - top) < 3);
      const m = cell?.querySelector(".cm-lint-marker");
      if (!m) return null;
      m.dataset.seen ??= String(Math.random());
      return { cls: m.className, seen: m.dataset.seen };
    }, text);
  const first = await markerOf("      privileged: on");
  assert.ok(first, "line 10 has a marker");
  assert.match(first.cls, /cm-lint-marker-error/);
  assert.equal(await markerOf("  containers:"), null, "a line without findings has none");
  // A keystroke elsewhere brings a new result; line 10's severity is unchanged, so its marker
  // is the same element (a gutter whose markers never compare equal rebuilds them all).
  const lints = await page.evaluate(() => window.kube4c.stats.lints);
  await page.evaluate(() => {
    const v = window.kube4c.view;
    v.dispatch({ changes: { from: v.state.doc.line(1).to, insert: " # edited" }, userEvent: "input.type" });
  });
  await page.waitForFunction((b) => window.kube4c.current() && window.kube4c.stats.lints > b, lints);
  const after = await markerOf("      privileged: on");
  assert.equal(after?.seen, first.seen, "the marker's element was kept");
  // Hover: the line's findings, most severe first, with their fixes.
  const box = await page.evaluate(() => {
    const line = [...document.querySelectorAll(".cm-content .cm-line")].find((l) => l.textContent === "      privileged: on");
    const top = line.getBoundingClientRect().top;
    const cell = [...document.querySelectorAll(".cm-gutter-lint .cm-gutterElement")].find((g) => Math.abs(g.getBoundingClientRect().top - top) < 3);
    const r = cell.querySelector(".cm-lint-marker").getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  });
  await page.mouse.move(box.x, box.y);
  const tip = page.locator("ul.cm-tooltip.cm-tooltip-lint").filter({ hasText: "container/privileged" });
  await tip.waitFor({ timeout: 5000 });
  const sevs = await tip.locator(".k4c-sev").allTextContents();
  const order = ["critical", "high", "medium", "low", "info"];
  assert.deepEqual([...sevs].sort((a, b) => order.indexOf(a) - order.indexOf(b)), sevs, "most severe first");
  await page.screenshot({ path: join(artifacts, "page-gutter.png") });
  await tip.locator(".cm-diagnosticAction", { hasText: "Fix (review)" }).first().click();
  await page.waitForFunction(() => /\n {6}privileged: false\n/.test(window.kube4c.view.state.doc.toString()));
  // Moving away closes it.
  await page.mouse.move(box.x + 400, box.y + 200);
  await page.waitForFunction(() => !document.querySelector(".cm-tooltip-lint"));
  const doc = await page.evaluate(() => window.kube4c.view.state.doc.toString());
  await setEditorText(doc.replace("privileged: false", "privileged: on").replace(" # edited", ""));
  await page.waitForFunction(() => /runs privileged/.test(window.kube4c.panel.text()));
});

test("a loaded .kube4c.yaml turns rules off, and a mistake in it is shown with its position", async () => {
  const count = () => page.evaluate(() => Number(document.querySelector('.k4c-row-head[data-layer="container"] .k4c-count')?.textContent));
  const before = await count();
  await page.evaluate(() => window.kube4c.setConfig("rules:\n  container/run-as-non-root: off\n"));
  await page.waitForFunction(() => !/does not set runAsNonRoot/.test(window.kube4c.panel.text()));
  assert.equal(await count(), before - 1);
  await page.evaluate(() => window.kube4c.setConfig("rules:\n  container/run-as-nonroot: off\n"));
  await page.waitForFunction(() => /check failed: .kube4c.yaml 2:3: unknown rule/.test(document.querySelector("#status").textContent));
  assert.match(await page.textContent("#status"), /did you mean `container\/run-as-non-root`/);
  await page.evaluate(() => window.kube4c.setConfig(undefined));
  await page.waitForFunction(() => /does not set runAsNonRoot/.test(window.kube4c.panel.text()));
});

test("clicking a finding in the panel selects its span in the editor", async () => {
  await page.evaluate(() => window.kube4c.panel.find("runs privileged"));
  const item = page.locator('.k4c-row[data-layer="container"] .k4c-jump', { hasText: "runs privileged" }).first();
  await item.click();
  const sel = await page.evaluate(() => {
    const v = window.kube4c.view;
    const r = v.state.selection.main;
    return v.state.sliceDoc(r.from, r.to);
  });
  assert.equal(sel, "on");
});

test("a cross-resource finding links to the other object: one click selects it", async () => {
  const manifest = [
    "apiVersion: rbac.authorization.k8s.io/v1",
    "kind: ClusterRoleBinding",
    "metadata:",
    "  name: everyone",
    "roleRef:",
    "  apiGroup: rbac.authorization.k8s.io",
    "  kind: ClusterRole",
    "  name: reader",
    "subjects:",
    "- kind: Group",
    "  name: system:unauthenticated",
    "---",
    "apiVersion: rbac.authorization.k8s.io/v1",
    "kind: ClusterRole",
    "metadata:",
    "  name: reader", // line 16
    "rules:",
    "- apiGroups: [\"\"]",
    "  resources: [secrets]",
    "  verbs: [get]",
    "",
  ].join("\n");
  await setEditorText(manifest);
  await page.waitForFunction(() => window.kube4c.panel.find("is defined here"));
  const link = page.locator('.k4c-row[data-layer="cluster"] .k4c-related', { hasText: "is defined here" }).first();
  await link.waitFor({ timeout: 10000 });
  assert.match(await link.textContent(), /line 16: ClusterRole "reader" is defined here/);
  await link.click();
  const sel = await page.evaluate(() => {
    const v = window.kube4c.view;
    const r = v.state.selection.main;
    return [v.state.doc.lineAt(r.from).number, v.state.sliceDoc(r.from, r.to)];
  });
  assert.deepEqual(sel, [16, "reader"]);
  await page.screenshot({ path: join(artifacts, "page-related.png") });
});

test("attacker-controlled names are shown as text, never as HTML", async () => {
  const evil = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"<img src=x onerror=window.__pwned=1>\"\nspec:\n  hostPID: true\n  containers: []\n";
  await setEditorText(evil);
  await page.waitForFunction(() => /onerror/.test(window.kube4c.panel.text()));
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator("#findings img").count(), 0);
});

test("a broken document is reported at its position and the others are still checked", async () => {
  await setEditorText("kind: Pod\nmetadata: {name: a}\nspec: {hostIPC: true}\n---\nkind: [\n---\nkind: Pod\nmetadata: {name: b}\nspec: {hostPID: true}\n");
  await page.waitForFunction(() => /1 YAML error/.test(document.querySelector("#status").textContent));
  assert.deepEqual(await underlinedLines("true"), [3, 9]);
});

test("a document that cannot be read shows as not checked, never as no findings", async () => {
  await setEditorText("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: Pod\nspec: [\n");
  await page.waitForFunction(() => /1 not checked/.test(document.querySelector("#status").textContent));
  const panel = await page.evaluate(() => window.kube4c.panel.text());
  assert.match(panel, /Not checked \(1\)/);
  assert.doesNotMatch(panel, /No findings in this layer/);
  await page.screenshot({ path: join(artifacts, "page-not-checked.png") });
});

test("the hardened example has no findings", async () => {
  await page.click("#example-hardened");
  await page.waitForFunction(() => / 0 findings/.test(document.querySelector("#status").textContent));
  await page.screenshot({ path: join(artifacts, "page-hardened.png") });
});

test("a dropped file replaces the text instead of being spliced into it", async () => {
  await page.click("#example-insecure");
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(["apiVersion: v1\nkind: Pod\nmetadata: {name: dropped}\nspec: {hostPID: true}\n"], "dropped.yaml", { type: "application/yaml" }));
    document.querySelector(".cm-content").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true, clientX: 10, clientY: 10 }));
  });
  await page.waitForFunction(() => window.kube4c.view.state.doc.toString().startsWith("apiVersion: v1\nkind: Pod\nmetadata: {name: dropped}"));
  const doc = await page.evaluate(() => window.kube4c.view.state.doc.toString());
  assert.doesNotMatch(doc, /task-api/);
});

test("a lone surrogate (invalid UTF-16) is checked, not fatal", async () => {
  const r = await page.evaluate(async () => {
    const { result } = await window.kube4c.checker.checkText("kind: Pod\nmetadata: {name: \uD800x}\nspec: {hostPID: true}\n", "all");
    return result.findings.map((f) => f.rule);
  });
  assert.ok(r.includes("cluster/host-namespaces"));
});

test("when the worker dies, the page says so, starts a new one and keeps checking", async () => {
  // Simulate a trapped wasm module: the checker's crash path terminates the worker.
  await page.evaluate(() => window.kube4c.checker.crash("RuntimeError: unreachable (simulated)"));
  await page.waitForFunction(() => !document.querySelector("#banner").hidden);
  assert.match(await page.textContent("#banner"), /restarted/);
  await setEditorText("kind: Pod\nmetadata: {name: again}\nspec: {hostPID: true}\n");
  await page.waitForFunction(() => [...document.querySelectorAll(".cm-lintRange")].some((m) => m.textContent === "true"));
  assert.deepEqual(await underlinedLines("true"), [3]);
  await page.waitForFunction(() => document.querySelector("#banner").hidden);
});

test("no request leaves the page's origin", async () => {
  const origin = new URL(server.url).origin;
  assert.ok(requests.length >= 4);
  for (const u of requests) assert.ok(u.startsWith(origin), `off-origin request: ${u}`);
  // And the wasm itself came from the origin.
  assert.ok(requests.some((u) => u.endsWith(".wasm")));
  assert.ok(readFileSync(join(repo, "web", "dist", "index.html"), "utf8").includes("Content-Security-Policy"));
});
