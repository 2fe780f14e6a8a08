// The page's features of issue #10, each in Debian's Chromium: the offline file opened from
// disk, the PWA offline after one load, share links, exports, the rings and filters, the rule
// reference, Fix all, keyboard navigation, axe-core, reflow, forced colours, dark theme, the
// embed element, and edits (not whole texts) sent to the worker. Screenshots go to
// tests/e2e/artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { browser, repo, serve } from "./harness.mjs";

const artifacts = join(repo, "tests", "e2e", "artifacts");
const dist = join(repo, "web", "dist");
const axeSource = readFileSync(createRequire(join(repo, "web", "package.json")).resolve("axe-core/axe.min.js"), "utf8");
const insecure = readFileSync(join(repo, "examples", "task-api-insecure.yaml"), "utf8");
const EVIL = "<img src=x onerror=window.__pwned=1>";
const evilManifest = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: "${EVIL}"\n  namespace: "</script><b>x</b>"\nspec:\n  hostPID: true\n  containers:\n  - name: "${EVIL}"\n    image: "${EVIL}"\n`;
let server, chrome;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await serve();
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  server?.close();
});

/** A fresh page (own context: storage, service workers) at `url`, once the first check ran. */
async function open(url = server.url, options = {}) {
  const context = await chrome.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true, ...options });
  const page = await context.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => /\d+ findings?/.test(document.querySelector("#status")?.textContent ?? ""), null, { timeout: 20000 });
  return { context, page, requests, errors };
}

async function setText(page, text) {
  await page.evaluate((t) => window.kube4c.setText(t), text);
}

async function waitStatus(page, re) {
  await page.waitForFunction((src) => new RegExp(src).test(document.querySelector("#status").textContent), re.source);
}

async function axe(page, name) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const v = r.violations.map((x) => `${x.id} (${x.impact}): ${x.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  assert.deepEqual(v, [], `${name}: axe violations`);
}

test("offline file: opened from disk (file://), it checks with no network at all", async () => {
  const url = pathToFileURL(join(dist, "kube4c-offline.html")).href;
  const { context, page, requests, errors } = await open(url);
  await page.waitForFunction(() => document.querySelectorAll(".cm-lintRange").length > 10);
  await setText(page, "apiVersion: v1\nkind: Pod\nmetadata: {name: offline}\nspec: {hostPID: true, containers: []}\n");
  await waitStatus(page, /1 document/);
  assert.match(await page.evaluate(() => window.kube4c.panel.text()), /hostPID/);
  // Not cross-origin isolated here: results come by message only, keystrokes included.
  await page.click(".cm-content");
  await page.keyboard.press("Control+End");
  await page.keyboard.type("# x");
  await page.waitForFunction(() => window.kube4c.current() && window.kube4c.view.state.doc.toString().endsWith("# x"));
  assert.deepEqual(await page.evaluate(() => [crossOriginIsolated, window.kube4c.checker.framed]), [false, 0]);
  for (const u of requests) assert.ok(u.startsWith("file:") || u.startsWith("blob:") || u.startsWith("data:"), `request: ${u}`);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(artifacts, "offline-file.png") });
  await context.close();
});

test("PWA: the served page has a manifest and a service worker, and works offline after one load", async () => {
  const { context, page } = await open();
  const manifest = await page.evaluate(() => document.querySelector('link[rel="manifest"]')?.getAttribute("href"));
  assert.equal(manifest, "manifest.webmanifest");
  const m = JSON.parse(readFileSync(join(dist, "manifest.webmanifest"), "utf8"));
  assert.equal(m.display, "standalone");
  assert.ok(m.icons.length > 0);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null || (location.reload(), false), null, { timeout: 15000 }).catch(() => {});
  await context.setOffline(true);
  await page.reload();
  await page.waitForFunction(() => /\d+ findings/.test(document.querySelector("#status")?.textContent ?? ""), null, { timeout: 20000 });
  assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), "controlled by the service worker");
  await context.close();
});

test("share: the text travels in the fragment, compressed, and the link restores it", async () => {
  const { context, page } = await open();
  await setText(page, evilManifest);
  await waitStatus(page, /1 document/);
  await page.click("#share");
  await page.waitForFunction(() => !document.querySelector("#share-box").hidden);
  const link = await page.inputValue("#share-url");
  const u = new URL(link);
  assert.equal(u.search, "");
  assert.match(u.hash, /^#yaml=[A-Za-z0-9_-]+$/);
  assert.ok(link.length < server.url.length + 20 + evilManifest.length * 1.4);
  const other = await open(link);
  assert.equal(await other.page.evaluate(() => window.kube4c.view.state.doc.toString()), evilManifest);
  assert.equal(await other.page.evaluate(() => window.__pwned), undefined);
  // Only the page's path was ever requested: the fragment is not sent.
  for (const r of other.requests) assert.ok(!r.includes("yaml="), r);
  // A damaged link says so and falls back to a text.
  const broken = await open(`${server.url}#yaml=!!!not-deflate`);
  assert.match(await broken.page.textContent("#banner"), /damaged/);
  await Promise.all([context.close(), other.context.close(), broken.context.close()]);
});

test("the last text survives a reload; Reset to example restores the example", async () => {
  const { context, page } = await open();
  await setText(page, "apiVersion: v1\nkind: Pod\nmetadata: {name: kept}\nspec: {hostIPC: true, containers: []}\n");
  await waitStatus(page, /1 document/);
  await page.waitForTimeout(600);
  await page.reload();
  await waitStatus(page, /1 document/);
  assert.match(await page.evaluate(() => window.kube4c.view.state.doc.toString()), /name: kept/);
  await page.click("#example-insecure");
  assert.equal(await page.evaluate(() => window.kube4c.view.state.doc.toString()), insecure);
  await page.reload();
  await page.waitForFunction(() => window.kube4c?.view);
  assert.equal(await page.evaluate(() => window.kube4c.view.state.doc.toString()), insecure);
  await context.close();
});

test("export: JSON, SARIF and Markdown downloads, as the CLI writes them", async () => {
  const { context, page } = await open();
  const got = {};
  for (const f of ["json", "sarif", "markdown"]) {
    const [dl] = await Promise.all([page.waitForEvent("download"), page.selectOption("#export", f)]);
    const path = await dl.path();
    got[f] = { name: dl.suggestedFilename(), text: readFileSync(path, "utf8") };
  }
  assert.equal(got.json.name, "kube4c.json");
  const json = JSON.parse(got.json.text);
  assert.ok(json.files[0].findings.length > 20);
  const sarif = JSON.parse(got.sarif.text);
  assert.equal(sarif.version, "2.1.0");
  assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, "manifest.yaml");
  assert.match(got.markdown.text, /verdict: fail/);
  // The CLI test `page_export_is_the_cli_output` proves the bytes equal the CLI's.
  await setText(page, evilManifest);
  await waitStatus(page, /1 document/);
  const [dl] = await Promise.all([page.waitForEvent("download"), page.selectOption("#export", "markdown")]);
  const md = readFileSync(await dl.path(), "utf8");
  assert.ok(!md.includes("<img"), "Markdown export escapes names");
  await context.close();
});

test("rings: coloured by their worst finding, counts in their names; a click filters; severities filter", async () => {
  const { context, page } = await open();
  const cls = await page.$$eval("#rings circle", (cs) => cs.map((c) => c.getAttribute("class")));
  assert.ok(cls[0].includes("ring-worst-"), cls[0]);
  assert.ok(cls.some((c) => c.includes("ring-worst-critical")), cls.join());
  const total = await page.evaluate(() => window.kube4c.panel.text());
  await page.click('#rings [data-layer="code"]');
  await page.waitForFunction(() => /shown/.test(document.querySelector("#status").textContent));
  const only = await page.evaluate(() => window.kube4c.panel.text());
  assert.match(only, /^Code \d+/m);
  assert.doesNotMatch(only, /^Cloud \d+/m);
  assert.equal(await page.getAttribute('#rings [data-layer="code"]', "aria-pressed"), "true");
  const marks = await page.$$eval(".cm-lintRange", (ms) => ms.every((m) => /k4c-mark-code|cm-lintRange-error/.test(m.className)));
  assert.ok(marks);
  await page.screenshot({ path: join(artifacts, "page-filter-code.png") });
  await page.keyboard.press("Enter"); // focus stays on the ring: Enter toggles it back
  await page.waitForFunction(() => !/shown/.test(document.querySelector("#status").textContent));
  assert.equal(await page.evaluate(() => window.kube4c.panel.text()), total);
  // Severity boxes: only critical.
  for (const s of ["high", "medium", "low", "info"]) await page.uncheck(`#severity-filter input[value="${s}"]`);
  // The status says "shown" from the first box on; the panel is painted after a frame, so wait
  // for the last box's panel (it times out if the filter fails).
  await page.waitForFunction(() => !/^(high|medium|low|info) line/m.test(window.kube4c.panel.text()));
  const crit = await page.evaluate(() => window.kube4c.panel.text());
  assert.doesNotMatch(crit, /^(high|medium|low|info) line/m);
  assert.match(crit, /^critical line/m);
  await context.close();
});

test("rule reference: one click away, searchable, opened at a rule from the tooltip's id", async () => {
  const { context, page } = await open();
  await page.click("#reference");
  assert.ok(await page.evaluate(() => document.querySelector("#ref").open));
  const n = await page.$$eval(".k4c-ref-rule", (a) => a.length);
  const catalog = await page.evaluate(() => window.kube4c.checker.catalog.rules.length);
  assert.equal(n, catalog);
  await page.fill("#ref-search", "hostPath");
  const ids = await page.$$eval(".k4c-ref-rule", (a) => a.map((x) => x.id));
  assert.ok(ids.length >= 1 && ids.length < n, String(ids.length));
  // Backticks of the docs are code, never shown raw.
  assert.ok(!(await page.textContent("#ref-list")).includes("`"));
  await page.fill("#ref-search", EVIL);
  assert.match(await page.textContent("#ref-list"), /No rule matches/);
  assert.equal(await page.locator("#ref-list img").count(), 0);
  await page.keyboard.press("Escape");
  // From a tooltip: the rule id is a link into the reference.
  await page.evaluate(() => window.kube4c.openReference("container/privileged"));
  const focused = await page.evaluate(() => document.activeElement?.id);
  assert.equal(focused, "rule-container/privileged");
  await page.screenshot({ path: join(artifacts, "page-reference.png") });
  await context.close();
});

test("Fix all in a layer: one undoable edit, and after the re-check those findings are gone", async () => {
  const { context, page } = await open();
  const fixable = await page.evaluate(() => {
    const c = window.kube4c.checker.catalog.rules.filter((r) => r.fix !== "none" && r.layer === "container");
    return c.length;
  });
  assert.ok(fixable > 0);
  await page.evaluate(() => window.kube4c.panel.find("Container"));
  const button = page.locator('.k4c-fix-layer', { hasText: "Fix all in Container" });
  const label = await button.textContent();
  const before = Number(/\((\d+)\)/.exec(label)[1]);
  assert.ok(before > 3, label);
  const other = await page.evaluate(() => window.kube4c.lastFixable("cluster").length);
  await button.click();
  // Rounds: fixes that touch one place wait for the re-check; in the end none is left.
  await page.waitForFunction(() => /Applied \d+ quick fixes in container/.test(document.querySelector("#status").textContent), null, { timeout: 15000 });
  assert.equal((await page.evaluate(() => window.kube4c.lastFixable("container"))).length, 0);
  assert.equal(await page.evaluate(() => window.kube4c.lastFixable("cluster").length), other, "other layers untouched");
  const fixed = await page.evaluate(() => window.kube4c.view.state.doc.toString());
  assert.notEqual(fixed, insecure);
  assert.match(fixed, /drop: \[ALL\]/);
  // Undo takes it back.
  await page.click(".cm-content");
  for (let i = 0; i < 6 && (await page.evaluate(() => window.kube4c.view.state.doc.toString())) !== insecure; i++) await page.keyboard.press("Control+z");
  assert.equal(await page.evaluate(() => window.kube4c.view.state.doc.toString()), insecure);
  await context.close();
});

test("every rule with a fix: its fail fixtures, each fix applied in the page, re-checked, the finding gone", async () => {
  const { context, page } = await open();
  const rules = await page.evaluate(() => window.kube4c.checker.catalog.rules.filter((r) => r.fix !== "none").map((r) => r.id));
  assert.ok(rules.length >= 15, rules.join());
  const fixtures = join(repo, "crates", "kube4c-core", "tests", "rules");
  let applied = 0;
  for (const rule of rules) {
    const dir = join(fixtures, ...rule.split("/"));
    const fails = readdirSync(dir).filter((f) => /^fail-\d+\.yaml$/.test(f));
    let ruleApplied = 0;
    for (const f of fails) {
      // «…» mark the expected spans in the fixtures; the text itself is without them.
      const text = readFileSync(join(dir, f), "utf8").replace(/[«»]/g, "");
      await page.evaluate((t) => window.kube4c.setText(t), text);
      await page.waitForFunction((t) => window.kube4c.current() && window.kube4c.view.state.doc.toString() === t, text);
      for (let round = 0; round < 10; round++) {
        const target = await page.evaluate((r) => window.kube4c.lastFixable(null).find((x) => x.rule === r), rule);
        if (!target) break;
        const key = (x) => `${x.rule}|${x.resource.kind}|${x.resource.name}|${x.path}`;
        const before = await page.evaluate(() => window.kube4c.stats.lints);
        await page.evaluate((t) => window.kube4c.applyFix(t), target);
        await page.waitForFunction((b) => window.kube4c.current() && window.kube4c.stats.lints > b, before);
        const left = await page.evaluate(() => window.kube4c.findings().map((x) => `${x.rule}|${x.resource.kind}|${x.resource.name}|${x.path}`));
        assert.ok(!left.includes(key(target)), `${rule} ${f}: "${target.fix.title}" left the finding at ${target.path}`);
        ruleApplied++;
      }
    }
    // A rule whose fixes are all display-only on its fixtures (aliases) is the exception.
    if (!ruleApplied) console.log(`# ${rule}: no applicable fix on its fail fixtures`);
    applied += ruleApplied;
  }
  assert.ok(applied >= rules.length, `${applied} fixes applied for ${rules.length} rules`);
  await context.close();
});

test("keyboard: F8 and Shift+F8 move between findings; Enter in the panel never edits the text", async () => {
  const { context, page } = await open();
  await page.click(".cm-content");
  await page.keyboard.press("Control+Home");
  await page.keyboard.press("F8");
  const first = await page.evaluate(() => window.kube4c.view.state.selection.main.from);
  await page.keyboard.press("F8");
  const second = await page.evaluate(() => window.kube4c.view.state.selection.main.from);
  assert.ok(second > first);
  await page.keyboard.press("Shift+F8");
  assert.equal(await page.evaluate(() => window.kube4c.view.state.selection.main.from), first);
  // The panel marks the finding under the cursor.
  await page.waitForFunction(() => document.querySelector(".k4c-current [aria-current=true]") !== null);
  // Into the panel by keyboard: Enter selects in the editor, focus stays, a second Enter does nothing to the text.
  const text = await page.evaluate(() => window.kube4c.view.state.doc.toString());
  await page.focus("#findings");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  const focusedRow = await page.evaluate(() => document.activeElement?.className);
  assert.match(focusedRow, /k4c-jump|k4c-related/);
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => window.kube4c.view.state.doc.toString()), text);
  assert.ok(!(await page.evaluate(() => window.kube4c.view.hasFocus)));
  // F8 from the panel works too.
  const before = await page.evaluate(() => window.kube4c.view.state.selection.main.from);
  await page.keyboard.press("F8");
  assert.notEqual(await page.evaluate(() => window.kube4c.view.state.selection.main.from), before);
  // A visible focus ring on panel rows.
  await page.focus("#findings");
  await page.keyboard.press("ArrowDown");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, "none");
  await context.close();
});

test("Open… replaces the text with the chosen file, and Ctrl+Z brings the old text back", async () => {
  const { context, page } = await open();
  const before = await page.evaluate(() => window.kube4c.view.state.doc.toString());
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.click("#open")]);
  await chooser.setFiles({ name: "opened.yaml", mimeType: "application/yaml", buffer: Buffer.from("apiVersion: v1\nkind: Pod\nmetadata: {name: opened}\nspec: {hostPID: true, containers: []}\n") });
  await page.waitForFunction(() => window.kube4c.view.state.doc.toString().includes("name: opened"));
  assert.doesNotMatch(await page.evaluate(() => window.kube4c.view.state.doc.toString()), /task-api/);
  await waitStatus(page, /1 document/);
  await page.click(".cm-content");
  await page.keyboard.press("Control+z");
  assert.equal(await page.evaluate(() => window.kube4c.view.state.doc.toString()), before);
  await context.close();
});

test("the live region speaks when counts change, not on every check", async () => {
  const { context, page } = await open();
  await page.waitForFunction(() => document.querySelector("#announce").textContent !== "");
  const spoken = [];
  await page.exposeFunction("__spoken", (t) => spoken.push(t));
  await page.evaluate(() => new MutationObserver(() => window.__spoken(document.querySelector("#announce").textContent)).observe(document.querySelector("#announce"), { childList: true, characterData: true, subtree: true }));
  // Typing a comment changes nothing: ten checks, no announcement.
  await page.click(".cm-content");
  await page.keyboard.press("Control+End");
  await page.keyboard.type("# just a comment", { delay: 20 });
  await page.waitForTimeout(1500);
  assert.deepEqual(spoken, []);
  assert.equal(await page.getAttribute("#status", "role"), null, "the visible status is not a live region");
  await page.keyboard.type("\nkind: Pod\nspec: {hostPID: true}\n");
  await page.waitForTimeout(1500);
  assert.equal(spoken.length, 1, spoken.join(" / "));
  await context.close();
});

test("axe-core: no violations on the page, the reference, the embed page, light and dark", async () => {
  for (const scheme of ["light", "dark"]) {
    const { context, page } = await open(server.url, { colorScheme: scheme });
    await axe(page, `page (${scheme})`);
    if (scheme === "dark") await page.screenshot({ path: join(artifacts, "page-dark.png") });
    await page.click("#reference");
    await axe(page, `reference (${scheme})`);
    await page.goto(`${server.url}embed.html`);
    await page.waitForFunction(() => [...document.querySelectorAll("kube4c-check")].every((e) => e.result));
    await axe(page, `embed (${scheme})`);
    await context.close();
  }
});

test("reflow: at 320 px wide (400% zoom) and on a phone the page is one column with no sideways scroll", async () => {
  for (const [w, h, name] of [[320, 640, "page-320.png"], [390, 844, "page-phone.png"]]) {
    const { context, page } = await open(server.url, { viewport: { width: w, height: h } });
    const m = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      findings: document.querySelector("#findings").getBoundingClientRect().height,
      editor: document.querySelector("#editor").getBoundingClientRect().height,
    }));
    assert.ok(m.scroll <= w, `${w}px: page is ${m.scroll}px wide`);
    assert.ok(m.findings >= 300, `${w}px: findings list ${m.findings}px tall`);
    assert.ok(m.editor >= 240, `${w}px: editor ${m.editor}px tall`);
    await page.screenshot({ path: join(artifacts, name), fullPage: true });
    await context.close();
  }
});

test("forced colours: underlines stay visible as text decoration", async () => {
  const { context, page } = await open(server.url, { forcedColors: "active" });
  await page.waitForFunction(() => document.querySelectorAll(".cm-lintRange").length > 0);
  const deco = await page.$eval(".cm-lintRange", (m) => getComputedStyle(m).textDecorationLine);
  assert.match(deco, /underline/);
  await context.close();
});

test("served cross-origin isolated, a keystroke's result is read in the keystroke's own frame, and is a fresh check's", async () => {
  const { context, page } = await open();
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  await page.waitForFunction(() => window.kube4c.current());
  await page.click(".cm-content");
  await page.evaluate(() => {
    const v = window.kube4c.view;
    v.dispatch({ selection: { anchor: v.state.doc.line(4).to } });
  });
  // Typed slowly: each key's check ends before the next key (the case the shared path is for).
  for (const key of ["x", "y", "Backspace", "Backspace", "Enter", "Backspace"]) {
    await page.keyboard.press(key);
    await page.waitForTimeout(150);
  }
  await page.waitForFunction(() => window.kube4c.current());
  const framed = await page.evaluate(() => window.kube4c.checker.framed);
  assert.ok(framed >= 3, `${framed} of 6 results read in the keystroke's frame`);
  const fresh = await page.evaluate(async () => {
    const { result } = await window.kube4c.checker.checkText(window.kube4c.view.state.doc.toString(), "all");
    return JSON.stringify(result.findings);
  });
  assert.equal(fresh, await page.evaluate(() => JSON.stringify(window.kube4c.findings())));
  await context.close();
});

test("edits, not the whole text, go to the worker; 4,000 findings render only the rows in view", async () => {
  const { context, page } = await open();
  const big = Array.from({ length: 100 }, () => insecure).join("---\n");
  await setText(page, big);
  await page.waitForFunction(() => window.kube4c.checker.posted > 0 && window.kube4c.panel.stats.rows > 3000, null, { timeout: 30000 });
  const stats = await page.evaluate(() => window.kube4c.panel.stats);
  assert.ok(stats.rendered < 80, `${stats.rendered} rows in the DOM of ${stats.rows}`);
  const posted = await page.evaluate(() => window.kube4c.checker.posted);
  const received = await page.evaluate(() => window.kube4c.checker.received);
  const whole = await page.evaluate(async () => (await window.kube4c.checker.once({ text: window.kube4c.view.state.doc.toString(), profile: "all", format: "check" })).json.length);
  // Typing in the middle of the text: later findings move, earlier ones stay.
  await page.click(".cm-content");
  await page.evaluate(() => {
    const v = window.kube4c.view;
    v.dispatch({ selection: { anchor: v.state.doc.line(Math.floor(v.state.doc.lines / 2)).to } });
  });
  await page.keyboard.type("# x", { delay: 30 });
  await page.keyboard.press("Enter");
  await page.waitForTimeout(500);
  const more = (await page.evaluate(() => window.kube4c.checker.posted)) - posted;
  assert.ok(more < 1000, `${more} characters posted for four keystrokes on a ${big.length}-character text`);
  // The worker sends what changed: not the whole result again on each key.
  const back = (await page.evaluate(() => window.kube4c.checker.received)) - received;
  assert.ok(back < whole / 4, `${back} characters received for four keystrokes, a whole result is ${whole}`);
  // The worker's copy matches, and the findings the page moved are a fresh check's, every
  // field of every finding: the underlines are where the text is.
  await page.waitForFunction(() => window.kube4c.current());
  const check = await page.evaluate(async () => {
    const { result } = await window.kube4c.checker.checkText(window.kube4c.view.state.doc.toString(), "all");
    return JSON.stringify(result.findings);
  });
  assert.equal(check, await page.evaluate(() => JSON.stringify(window.kube4c.findings())));
  // A page that lost what the worker's next result changes asks again for every finding.
  await page.evaluate(() => {
    window.kube4c.checker.held = { gen: -1, findings: [] };
  });
  const before = await page.evaluate(() => window.kube4c.checker.received);
  await page.keyboard.press("Backspace");
  await page.waitForFunction((b) => window.kube4c.checker.received > b + 1e6 && window.kube4c.current(), before, { timeout: 30000 });
  const again = await page.evaluate(async () => {
    const { result } = await window.kube4c.checker.checkText(window.kube4c.view.state.doc.toString(), "all");
    return JSON.stringify(result.findings);
  });
  assert.equal(again, await page.evaluate(() => JSON.stringify(window.kube4c.findings())));
  assert.equal(await page.evaluate(() => document.querySelector("#status")?.textContent?.includes("failed")), false);
  await context.close();
});

test("embed: <kube4c-check> renders snippets with underlines and a list, in shadow DOM, hostile names as text", async () => {
  const context = await chrome.newContext({ viewport: { width: 1000, height: 1600 } });
  const page = await context.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(`${server.url}embed.html`);
  await page.waitForFunction(() => [...document.querySelectorAll("kube4c-check")].every((e) => e.result));
  const info = await page.$$eval("kube4c-check", (els) =>
    els.map((e) => ({
      id: e.id,
      shadow: !!e.shadowRoot,
      marks: e.shadowRoot.querySelectorAll(".cm-lintRange").length,
      items: e.shadowRoot.querySelectorAll("li").length,
      readOnly: e.shadowRoot.querySelector(".cm-content").getAttribute("aria-readonly"),
      rules: e.result.findings.map((f) => f.rule),
    })),
  );
  const by = Object.fromEntries(info.map((i) => [i.id, i]));
  assert.ok(by.first.rules.includes("container/privileged"));
  assert.ok(by.first.marks > 0 && by.first.items > 0);
  assert.equal(by.first.readOnly, "true");
  assert.equal(by.editable.readOnly, null);
  assert.ok(by["from-file"].rules.includes("cluster/rbac-cluster-admin-binding"), by["from-file"].rules.join());
  assert.ok(!by["pod-level"].rules.some((r) => r === "container/run-as-non-root" || r === "container/seccomp-profile"), by["pod-level"].rules.join());
  // The page's own styles do not reach inside; hostile names are text.
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.evaluate(() => document.querySelector("#editable").shadowRoot.querySelectorAll("img").length), 0);
  // Editable: typing re-checks.
  const n = by.editable.rules.length;
  await page.evaluate(() => {
    const e = document.querySelector("#editable");
    e.yaml = e.yaml.replace("hostNetwork: true", "hostNetwork: false");
  });
  await page.waitForFunction((n) => document.querySelector("#editable").result.findings.length < n, n);
  for (const u of requests) assert.ok(u.startsWith(server.url), u);
  await page.screenshot({ path: join(artifacts, "embed.png"), fullPage: true });
  await context.close();
});

test("YAML colouring of the lines in view: keys, values, comments, block scalars, flow, far down a large text", async () => {
  const { context, page } = await open();
  const manifest = [
    "# a comment",
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata: {name: cm, namespace: shop}",
    "data:",
    "  config.json: |",
    '    {"looksLike": "a key", "n": 1}',
    "    # not a comment either",
    "  port: 8080",
    '  quoted: "text" # trailing',
    "  enabled: yes",
    "",
  ].join("\n");
  // Far down: after 4,000 lines of other documents, colouring works where the editor shows.
  const filler = Array.from({ length: 1000 }, (_, i) => `---\nkind: Namespace\nmetadata:\n  name: n${i}`).join("\n");
  for (const [text, line] of [[manifest, 1], [`${filler}\n---\n${manifest}`, 4002]]) {
    await setText(page, text);
    await page.evaluate((line) => {
      const v = window.kube4c.view;
      v.dispatch({ selection: { anchor: v.state.doc.line(line).from }, scrollIntoView: true });
    }, line);
    await page.waitForTimeout(300);
    const colours = await page.evaluate(() => {
      const v = window.kube4c.view;
      const colourOf = (needle) => {
        for (const el of v.contentDOM.querySelectorAll(".cm-line, .cm-line *")) {
          if ([...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.includes(needle))) return getComputedStyle(el).color;
        }
        return null;
      };
      return Object.fromEntries(["# a comment", "apiVersion", "ConfigMap", "namespace", "shop", "looksLike", "# not a comment", "8080", '"text"', "# trailing", "yes"].map((k) => [k, colourOf(k)]));
    });
    const plain = colours.ConfigMap;
    assert.ok(plain, "plain values are found");
    assert.notEqual(colours.apiVersion, plain, "keys are coloured");
    assert.equal(colours.namespace, colours.apiVersion, "keys in flow mappings too");
    assert.notEqual(colours["# a comment"], plain, "comments are coloured");
    assert.equal(colours["# trailing"], colours["# a comment"]);
    assert.notEqual(colours['"text"'], plain, "quoted strings are coloured");
    // A block scalar's lines are its text: a string, neither keys nor comments.
    assert.equal(colours.looksLike, colours['"text"']);
    assert.equal(colours["# not a comment"], colours['"text"']);
    assert.notEqual(colours["8080"], plain, "numbers are coloured");
    assert.notEqual(colours.yes, plain, "YAML 1.1 booleans are coloured");
  }
  // Folding follows indentation: `data:` folds over its block, the next document stays.
  await setText(page, `${manifest}---\nkind: Namespace\n`);
  await page.evaluate(() => {
    const v = window.kube4c.view;
    v.dispatch({ selection: { anchor: v.state.doc.line(5).from } });
    v.focus();
  });
  await page.keyboard.press("Control+Shift+BracketLeft");
  await page.waitForSelector(".cm-foldPlaceholder");
  const shown = await page.evaluate(() => window.kube4c.view.contentDOM.textContent);
  assert.ok(!shown.includes("looksLike") && !shown.includes("enabled"), shown);
  assert.ok(shown.includes("kind: ConfigMap") && shown.includes("kind: Namespace"), shown);
  // Block ends are remembered across edits inside a line, and found again when an edit
  // changes the lines' shape: a line at the top level now ends `data:`'s block.
  await page.keyboard.press("Control+Shift+BracketRight");
  await page.waitForFunction(() => !document.querySelector(".cm-foldPlaceholder"));
  await page.evaluate(() => {
    const v = window.kube4c.view;
    const doc = () => v.state.doc.toString();
    v.dispatch({ changes: { from: doc().indexOf("8080") + 4, insert: "9" } });
    v.dispatch({ changes: { from: doc().indexOf("  port:"), insert: "top: 1\n" } });
    v.dispatch({ selection: { anchor: v.state.doc.line(5).from } });
    v.focus();
  });
  await page.keyboard.press("Control+Shift+BracketLeft");
  await page.waitForSelector(".cm-foldPlaceholder");
  const refolded = await page.evaluate(() => window.kube4c.view.contentDOM.textContent);
  assert.ok(!refolded.includes("looksLike"), refolded);
  assert.ok(refolded.includes("top: 1") && refolded.includes("80809") && refolded.includes("enabled"), refolded);
  await context.close();
});
