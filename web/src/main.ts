// The kube4c page: CodeMirror editor, findings underlined in place, a side panel grouped by
// 4C layer. User text is only ever put into the DOM through textContent (resource names are
// attacker-controlled).
import { EditorView, basicSetup } from "codemirror";
import { ChangeSet, EditorState } from "@codemirror/state";
import { yaml } from "@codemirror/lang-yaml";
import { lintGutter, setDiagnostics, setDiagnosticsEffect, type Diagnostic } from "@codemirror/lint";
import type { CheckResult, FindingOut as Finding, LayerInfo, RuleMeta, Severity } from "./generated/report";
import { Checker, Superseded } from "./checker";
import type { Profile } from "./protocol";
import insecure from "../../examples/task-api-insecure.yaml";
import hardened from "../../examples/task-api-hardened.yaml";

// Layers (outermost first), severities (most severe first), profiles and rules all come from
// the core's catalog once the checker is ready: the page keeps no copies.
let LAYERS: LayerInfo[] = [];
let SEVERITY_ORDER: Severity[] = [];

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function must<T extends Element>(sel: string): T {
  const e = document.querySelector<T>(sel);
  if (!e) throw new Error(`missing ${sel}`);
  return e;
}

const checker = new Checker(new URL("./worker.js", import.meta.url));
const status = must<HTMLElement>("#status");
const panel = must<HTMLElement>("#findings");
const rings = must<SVGSVGElement>("#rings");
const banner = must<HTMLElement>("#banner");
const profileSelect = must<HTMLSelectElement>("#profile");
const configInput = must<HTMLInputElement>("#config");
const configClear = must<HTMLButtonElement>("#config-clear");
/** A loaded `.kube4c.yaml` (the core reads it: rules, severities, options, strict). Its own
 * profile applies until the user picks one. */
let config: string | undefined;
let profileChosen = false;
let rulesById = new Map<string, RuleMeta>();

checker.onCrash = (message) => {
  banner.hidden = false;
  banner.textContent = `The checker stopped on this input and was restarted (${message}). Findings below are from the last good run.`;
};

function severityToLint(s: Severity): Diagnostic["severity"] {
  return s === "critical" || s === "high" ? "error" : s === "medium" ? "warning" : "info";
}

/** One finding in a tooltip: layer, severity, title and message; why, how to fix and the
 * example behind a disclosure — built from text nodes only (names are attacker-controlled). */
function renderFinding(f: Finding): HTMLElement {
  const rule = rulesById.get(f.rule);
  const box = el("div", "k4c-tip-item");
  const head = el("div", "k4c-tip-head");
  head.append(
    el("span", `k4c-layer k4c-layer-${f.layer}`, f.layer.toUpperCase()),
    el("span", `k4c-sev k4c-sev-${f.severity}`, f.severity),
    el("code", "k4c-rule", f.rule),
  );
  box.append(head, el("div", "k4c-msg", f.message));
  if (rule) {
    const more = el("details", "k4c-more");
    more.append(
      el("summary", undefined, "Why it matters · how to fix"),
      el("div", "k4c-why", rule.why),
      el("div", "k4c-h", "How to fix"),
      el("div", "k4c-fix", rule.remediation),
      el("pre", "k4c-example", rule.example),
    );
    box.append(more);
  }
  if (f.fix) {
    const note =
      f.fix.applicability === "display"
        ? " (shown only: the value is shared through a YAML alias or merge key; edit it by hand)"
        : f.fix.applicability === "review"
          ? " (review: it may change how the workload behaves)"
          : "";
    box.append(el("div", "k4c-fixline", `Quick fix: ${f.fix.title}${note}`));
  }
  for (const r of f.related) {
    const b = el("button", "k4c-related", `line ${r.line}: ${r.label}`);
    b.type = "button";
    b.addEventListener("click", () => jump(r.from, r.to));
    box.append(b);
  }
  if (f.pss) box.append(el("div", "k4c-pss", `Pod Security Standards check: ${f.pss}`));
  return box;
}

/** The tooltip of one place: every finding on that span, most severe first, as one story. */
function renderTooltip(fs: Finding[]): () => Node {
  return () => {
    const box = el("div", "k4c-tip");
    if (fs.length > 1) box.append(el("div", "k4c-tip-count", `${fs.length} findings here`));
    for (const f of fs) box.append(renderFinding(f));
    return box;
  };
}

type Action = NonNullable<Diagnostic["actions"]>[number];

/** Edits of the findings' fixes as CodeMirror actions; only for results of the current text
 * (a fix's offsets belong to the text that was checked). Display-only fixes get no action. */
function fixActions(fs: Finding[], current: boolean): Diagnostic["actions"] {
  if (!current) return undefined;
  const actions: Action[] = [];
  for (const f of fs) {
    if (!f.fix || f.fix.applicability === "display") continue;
    const edits = f.fix.edits.map((e) => ({ from: e.from, to: e.to, insert: e.text }));
    const label = f.fix.applicability === "safe" ? "Fix" : "Fix (review)";
    actions.push({
      name: fs.length > 1 ? `${label}: ${f.fix.title}` : label,
      apply(v: EditorView) {
        v.dispatch({ changes: edits });
      },
    });
  }
  return actions.length ? actions : undefined;
}

function toDiagnostics(r: CheckResult, current: boolean): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of r.errors) {
    out.push({ from: e.from, to: Math.max(e.to, e.from), severity: "error", source: "yaml", message: `YAML: ${e.message}` });
  }
  for (const w of r.warnings) {
    out.push({ from: w.from, to: w.to, severity: "warning", source: "yaml", message: w.message });
  }
  // Findings on the same span become one diagnostic: one underline, one tooltip telling
  // the whole story, most severe first.
  const bySpan = new Map<string, Finding[]>();
  for (const f of r.findings) {
    if (f.suppressed) continue;
    const key = `${f.from}:${f.to}`;
    const g = bySpan.get(key);
    if (g) g.push(f);
    else bySpan.set(key, [f]);
  }
  for (const fs of bySpan.values()) {
    fs.sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
    const top = fs[0];
    out.push({
      from: top.from,
      to: top.to,
      severity: severityToLint(top.severity),
      message: fs.map((f) => `[${f.layer}] ${f.rule}: ${f.message}`).join("\n"),
      markClass: `k4c-mark-${top.layer}`,
      renderMessage: renderTooltip(fs),
      actions: fixActions(fs, current),
    });
  }
  return out;
}

let view: EditorView;

/** When diagnostics last reached the editor (read by the browser benchmark and tests). */
const stats = { lints: 0, lastDocAt: 0, lastLintAt: 0, lastPaintAt: 0, lastSourceAt: 0, lastResultAt: 0, lastRoundTrip: 0, lastWorker: 0, lastPanel: 0 };
const lintListener = EditorView.updateListener.of((u) => {
  if (u.docChanged) stats.lastDocAt = performance.now();
  if (u.transactions.some((tr) => tr.effects.some((e) => e.is(setDiagnosticsEffect)))) {
    stats.lints++;
    stats.lastLintAt = performance.now();
    requestAnimationFrame(() => (stats.lastPaintAt = performance.now()));
  }
});

/** The side panel is rendered after the frame that paints the underlines (rAF, then a task),
 * once, for the newest result. */
let panelPending: { result: CheckResult; ms: number } | null = null;
function schedulePanel(result: CheckResult, ms: number) {
  const first = panelPending === null;
  panelPending = { result, ms };
  if (!first) return;
  requestAnimationFrame(() =>
    setTimeout(() => {
      const p = panelPending;
      panelPending = null;
      if (!p) return;
      const t0 = performance.now();
      renderPanel(p.result, p.ms);
      stats.lastPanel = performance.now() - t0;
    }, 0),
  );
}

function jump(from: number, to: number) {
  view.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
  view.focus();
}

function renderRings(r: CheckResult) {
  // Four concentric circles, outermost Cloud; each labelled with its finding count.
  while (rings.firstChild) rings.firstChild.remove();
  const ns = "http://www.w3.org/2000/svg";
  LAYERS.forEach((layer, i) => {
    const c = document.createElementNS(ns, "circle");
    c.setAttribute("cx", "80");
    c.setAttribute("cy", "80");
    c.setAttribute("r", String(76 - i * 18));
    const n = r.byLayer[layer.id];
    c.setAttribute("class", `ring ring-${layer.id}${n ? " ring-hit" : ""}`);
    rings.append(c);
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", "80");
    t.setAttribute("y", String(80 - (76 - i * 18) + 13));
    t.setAttribute("class", "ring-label");
    t.textContent = `${layer.title} ${n}`;
    rings.append(t);
  });
}

function renderPanel(r: CheckResult, ms: number) {
  renderRings(r);
  panel.replaceChildren();
  const total = r.findings.length - r.suppressed;
  const suppressed = r.suppressed ? ` · ${r.suppressed} suppressed` : "";
  const unchecked = r.unchecked
    ? ` · ${r.unchecked} not checked`
    : "";
  status.textContent = `${r.documents} document${r.documents === 1 ? "" : "s"} · ${total} finding${total === 1 ? "" : "s"} · ${r.errors.length} YAML error${r.errors.length === 1 ? "" : "s"}${unchecked}${suppressed} · checked in ${ms.toFixed(1)} ms`;
  if (r.unchecked) {
    // Input that could not be read (or that the API server rejects) is not proven safe: say
    // so first, never as "No findings".
    const sec = el("section", "k4c-group k4c-unchecked");
    sec.append(
      el("h2", undefined, `Not checked (${r.unchecked})`),
      el(
        "p",
        "k4c-blurb",
        "Kubernetes cannot read or would reject these documents, so nothing in them was checked. Fix them and the checks run.",
      ),
    );
    panel.append(sec);
  }
  if (r.errors.length || r.warnings.length) {
    const sec = el("section", "k4c-group k4c-yaml");
    sec.append(el("h2", undefined, `YAML (${r.errors.length + r.warnings.length})`));
    const ul = el("ul");
    for (const d of [...r.errors, ...r.warnings]) {
      const li = el("li", "k4c-item");
      const b = el("button", "k4c-jump");
      b.type = "button";
      b.append(el("span", "k4c-line", `line ${d.line}`), el("span", "k4c-text", d.message));
      b.addEventListener("click", () => jump(d.from, d.to));
      li.append(b);
      ul.append(li);
    }
    sec.append(ul);
    panel.append(sec);
  }
  for (const layer of LAYERS) {
    const fs = r.findings
      .filter((f) => f.layer === layer.id && !f.suppressed)
      .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.from - b.from);
    const sec = el("section", `k4c-group k4c-group-${layer.id}`);
    sec.dataset.layer = layer.id;
    const h = el("h2");
    h.append(el("span", `k4c-layer k4c-layer-${layer.id}`, layer.title), el("span", "k4c-count", String(fs.length)));
    sec.append(h, el("p", "k4c-blurb", layer.scope));
    const ul = el("ul");
    for (const f of fs) {
      const li = el("li", "k4c-item");
      const b = el("button", "k4c-jump");
      b.type = "button";
      b.title = "Show in the editor";
      b.append(
        el("span", `k4c-sev k4c-sev-${f.severity}`, f.severity),
        el("span", "k4c-line", `line ${f.line}`),
        el("span", "k4c-title", f.title),
        el("span", "k4c-text", f.message),
      );
      b.addEventListener("click", () => jump(f.from, f.to));
      li.append(b);
      // The other objects involved (the role a binding grants, the policies of the namespace):
      // one click away.
      for (const r of f.related) {
        const rb = el("button", "k4c-related", `↳ line ${r.line}: ${r.label}`);
        rb.type = "button";
        rb.addEventListener("click", () => jump(r.from, r.to));
        li.append(rb);
      }
      ul.append(li);
    }
    if (!fs.length)
      ul.append(
        el(
          "li",
          "k4c-none",
          r.unchecked
            ? `No findings in the documents that were read; ${r.unchecked} not checked.`
            : r.errors.length
              ? "No findings in the documents that were read; fix the YAML errors above to check the rest."
              : "No findings in this layer.",
        ),
      );
    sec.append(ul);
    panel.append(sec);
  }
}

/**
 * Checking as you type. Every document change is sent to the worker at once (the checker keeps
 * one request in flight and only the newest waiting). A result that comes back after further
 * edits is not thrown away: its positions are mapped through those edits, so underlines follow
 * the text even while the user types faster than a large file can be checked.
 */
interface Request {
  seq: number;
  /** Edits made since this request's text was taken. */
  changes: ChangeSet;
}
let seq = 0;
let appliedSeq = 0;
const outstanding = new Set<Request>();

function mapDiagnostics(ds: Diagnostic[], changes: ChangeSet): Diagnostic[] {
  if (changes.empty) return ds;
  return ds.map((d) => {
    const from = changes.mapPos(d.from, 1);
    return { ...d, from, to: Math.max(from, changes.mapPos(d.to, -1)) };
  });
}

function requestCheck(v: EditorView) {
  const text = v.state.doc.toString();
  const req: Request = { seq: ++seq, changes: ChangeSet.empty(text.length) };
  outstanding.add(req);
  stats.lastSourceAt = performance.now();
  const t0 = stats.lastSourceAt;
  checker.check(text, config !== undefined && !profileChosen ? "" : (profileSelect.value as Profile), config).then(
    ({ result, ms }) => {
      outstanding.delete(req);
      if (req.seq < appliedSeq) return;
      appliedSeq = req.seq;
      stats.lastResultAt = performance.now();
      stats.lastRoundTrip = stats.lastResultAt - t0;
      stats.lastWorker = ms;
      banner.hidden = true;
      v.dispatch(setDiagnostics(v.state, mapDiagnostics(toDiagnostics(result, req.changes.empty), req.changes)));
      // The panel's line numbers are those of the checked text: paint it only when current.
      if (req.changes.empty) schedulePanel(result, ms);
    },
    (e: unknown) => {
      outstanding.delete(req);
      if (!(e instanceof Superseded)) status.textContent = `check failed: ${e instanceof Error ? e.message : String(e)}`;
    },
  );
}

const checkOnChange = EditorView.updateListener.of((u) => {
  if (!u.docChanged) return;
  for (const r of outstanding) r.changes = r.changes.compose(u.changes);
  requestCheck(u.view);
});

/** A dropped file replaces the text (a manifest is checked whole, not spliced into another);
 * dragged text keeps CodeMirror's own behaviour. */
const dropFile = EditorView.domEventHandlers({
  drop(event) {
    const file = event.dataTransfer?.files?.[0];
    if (!file) return false;
    event.preventDefault();
    file.text().then(setText, () => {
      status.textContent = `Could not read ${file.name}.`;
    });
    return true;
  },
});

function setText(text: string) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

async function main() {
  view = new EditorView({
    parent: must<HTMLElement>("#editor"),
    state: EditorState.create({
      doc: insecure,
      extensions: [basicSetup, yaml(), lintGutter(), checkOnChange, lintListener, EditorView.lineWrapping, dropFile],
    }),
  });
  must<HTMLButtonElement>("#example-insecure").addEventListener("click", () => setText(insecure));
  must<HTMLButtonElement>("#example-hardened").addEventListener("click", () => setText(hardened));
  profileSelect.addEventListener("change", () => {
    profileChosen = true;
    requestCheck(view);
  });
  const setConfig = (text: string | undefined) => {
    config = text;
    profileChosen = false;
    configClear.hidden = text === undefined;
    requestCheck(view);
  };
  configInput.addEventListener("change", async () => {
    const file = configInput.files?.[0];
    if (file) setConfig(await file.text());
  });
  configClear.addEventListener("click", () => {
    configInput.value = "";
    setConfig(undefined);
  });
  await checker.ready;
  const catalog = checker.catalog;
  LAYERS = catalog.layers;
  SEVERITY_ORDER = catalog.severities;
  rulesById = new Map(catalog.rules.map((r) => [r.id, r]));
  const chosen = profileSelect.value;
  profileSelect.replaceChildren(
    ...catalog.profiles.map((p) => {
      const o = el("option", undefined, p.name);
      o.value = p.name;
      o.title = p.description;
      return o;
    }),
  );
  if (catalog.profiles.some((p) => p.name === chosen)) profileSelect.value = chosen;
  must<HTMLElement>("#version").textContent = `kube4c ${catalog.version} · ${catalog.rules.length} rules`;
  requestCheck(view);
  (window as unknown as { kube4c: object }).kube4c = { view, checker, stats, setConfig };
}

main().catch((e) => {
  status.textContent = `kube4c failed to start: ${String(e)}`;
});
