// <kube4c-check>: kube4c in a documentation page. One script tag:
//
//   <script type="module" src="kube4c-embed.js"></script>
//   <kube4c-check><pre>apiVersion: v1 …</pre></kube4c-check>
//   <kube4c-check src="deployment.yaml" editable profile="pss-restricted"></kube4c-check>
//
// The YAML comes from the element's text (a <pre> inside shows as is without JavaScript) or
// from `src` (a file of the same site). It is shown read-only, or editable with `editable`,
// with each finding underlined (hover for why and how to fix) and a compact list below. Styles
// live in the element's shadow DOM (constructed style sheets, so a strict CSP without
// 'unsafe-inline' styles is fine), and every element of the page shares one checker worker.
import { EditorView, basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { yamlLanguage } from "./yaml-language";
import { setDiagnostics } from "@codemirror/lint";
import type { CheckResult } from "./generated/report";
import { Checker } from "./checker";
import { el, prose } from "./dom";
import { type Catalogue, catalogue, rank, toDiagnostics } from "./render";
import { startWorker } from "./worker-start";
import { systemTheme } from "./theme";

const CSS = `
:host { display: block; margin: 1em 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  --k4c-bg: #fff; --k4c-fg: #0f172a; --k4c-muted: #475569; --k4c-line: #cbd5e1;
  --cloud: #2563eb; --cluster: #7c3aed; --container: #b45309; --code: #047857;
  --critical: #991b1b; --high: #b91c1c; --medium: #92400e; --low: #1d4ed8; --info: #4b5563; }
@media (prefers-color-scheme: dark) { :host { --k4c-bg: #0b1220; --k4c-fg: #e2e8f0; --k4c-muted: #a3b1c6; --k4c-line: #334155;
  --critical: #fca5a5; --high: #fca5a5; --medium: #fcd34d; --low: #93c5fd; --info: #cbd5e1; } }
.frame { border: 1px solid var(--k4c-line); border-radius: 8px; overflow: hidden; background: var(--k4c-bg); color: var(--k4c-fg); }
.cm-editor { max-height: var(--kube4c-max-height, 28em); }
.cm-editor .cm-scroller { font-size: 13px; }
.summary { display: flex; gap: 8px; align-items: center; padding: 6px 10px; border-top: 1px solid var(--k4c-line); font-size: 13px; color: var(--k4c-muted); flex-wrap: wrap; }
ol { list-style: none; margin: 0; padding: 0 6px 6px; max-height: 14em; overflow: auto; }
li button { all: unset; box-sizing: border-box; cursor: pointer; display: flex; gap: 8px; align-items: baseline; width: 100%; padding: 3px 4px; border-radius: 4px; font-size: 13px; }
li button:hover, li button:focus-visible { background: #8882; outline: 2px solid var(--low); outline-offset: -2px; }
.k4c-text { overflow-wrap: anywhere; }
.k4c-line { color: var(--k4c-muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
.k4c-layer { color: #fff; border-radius: 4px; padding: 0 6px; font-size: 11px; font-weight: 600; white-space: nowrap; }
.k4c-layer-cloud { background: var(--cloud); } .k4c-layer-cluster { background: var(--cluster); }
.k4c-layer-container { background: var(--container); } .k4c-layer-code { background: var(--code); }
.k4c-sev { border-radius: 4px; padding: 0 5px; font-size: 11px; border: 1px solid currentColor; text-transform: uppercase; white-space: nowrap; }
.k4c-sev-critical { color: var(--critical); font-weight: 700; } .k4c-sev-high { color: var(--high); }
.k4c-sev-medium { color: var(--medium); } .k4c-sev-low { color: var(--low); } .k4c-sev-info { color: var(--info); }
.k4c-tip { max-width: min(440px, 90vw); max-height: min(50vh, 360px); overflow: auto; font-size: 13px; padding: 2px; }
.k4c-tip-item + .k4c-tip-item { border-top: 1px solid #8884; margin-top: 6px; padding-top: 6px; }
.k4c-tip-head { display: flex; gap: 6px; align-items: center; margin-bottom: 4px; }
.k4c-rule { font-size: 12px; color: var(--k4c-muted); }
.k4c-title { font-weight: 600; } .k4c-msg { margin-bottom: 4px; overflow-wrap: anywhere; }
.k4c-h { font-size: 11px; text-transform: uppercase; color: var(--k4c-muted); margin-top: 6px; }
.k4c-example { background: #8881; padding: 4px 6px; border-radius: 4px; font-size: 12px; white-space: pre-wrap; }
.k4c-more > summary { cursor: pointer; font-size: 12px; }
.k4c-related { all: unset; cursor: pointer; display: block; font-size: 12px; color: var(--low); }
.k4c-fixline, .k4c-pss { font-size: 12px; color: var(--k4c-muted); margin-top: 4px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 0.95em; background: #8882; border-radius: 3px; padding: 0 3px; }
.cm-lintRange-error { background-image: none; text-decoration: underline wavy var(--high); text-underline-offset: 3px; }
.cm-lintRange-warning { background-image: none; text-decoration: underline wavy var(--medium); text-underline-offset: 3px; }
.cm-lintRange-info { background-image: none; text-decoration: underline wavy var(--low); text-underline-offset: 3px; }
@media (forced-colors: active) { .k4c-layer, .k4c-sev { border: 1px solid CanvasText; forced-color-adjust: none; color: CanvasText; background: Canvas; } }
`;

let shared: { checker: Checker; cat: Catalogue } | null = null;
function checkerOf(): { checker: Checker; cat: Catalogue } {
  if (shared) return shared;
  const checker = new Checker(startWorker);
  const cat: Catalogue = { layers: [], severities: [], rules: new Map() };
  checker.ready.then(() => Object.assign(cat, catalogue(checker.catalog)));
  shared = { checker, cat };
  return shared;
}

/** Text written inside HTML is indented with the page: drop the common indentation and the
 * blank lines around it. */
export function dedent(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join("\n") + "\n";
}

class Kube4cCheck extends HTMLElement {
  static observedAttributes = ["src", "profile"];
  private view?: EditorView;
  private list = el("ol");
  private summary = el("div", "summary");
  private timer = 0;
  private seq = 0;
  /** The last result, for tests and for pages that read it. */
  result: CheckResult | null = null;

  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: "open" });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
    const frame = el("div", "frame");
    const host = el("div");
    this.list.setAttribute("aria-label", "Findings");
    this.summary.setAttribute("role", "status");
    this.summary.textContent = "Checking…";
    frame.append(host, this.summary, this.list);
    root.append(frame);
    const editable = this.hasAttribute("editable");
    const theme = systemTheme();
    this.view = new EditorView({
      root,
      parent: host,
      state: EditorState.create({
        doc: dedent(this.textContent ?? ""),
        extensions: [
          basicSetup,
          yamlLanguage(),
          theme.extension,
          EditorView.lineWrapping,
          EditorState.readOnly.of(!editable),
          EditorView.contentAttributes.of({
            "aria-label": `Kubernetes YAML${editable ? "" : " (read-only)"}, checked by kube4c`,
            tabindex: "0",
            ...(editable ? {} : { "aria-readonly": "true" }),
          }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) this.schedule(50);
          }),
        ],
      }),
    });
    theme.attach(this.view);
    const src = this.getAttribute("src");
    if (src) void this.load(src);
    else this.schedule(0);
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null) {
    if (!this.view || old === value) return;
    if (name === "src" && value) void this.load(value);
    else this.schedule(0);
  }

  /** The text checked (read or set). */
  get yaml(): string {
    return this.view?.state.doc.toString() ?? dedent(this.textContent ?? "");
  }
  set yaml(text: string) {
    this.view?.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  private async load(src: string) {
    try {
      const res = await fetch(new URL(src, document.baseURI));
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.yaml = await res.text();
    } catch (e) {
      this.summary.textContent = `Could not load ${src}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private schedule(ms: number) {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.check(), ms);
  }

  private async check() {
    const view = this.view;
    if (!view) return;
    const { checker, cat } = checkerOf();
    await checker.ready;
    const seq = ++this.seq;
    const text = view.state.doc.toString();
    try {
      const { result } = await checker.checkText(text, this.getAttribute("profile") ?? "all");
      if (seq !== this.seq || text !== view.state.doc.toString()) return;
      this.result = result;
      this.render(view, cat, result);
      this.dispatchEvent(new CustomEvent("kube4c-checked", { detail: result }));
    } catch (e) {
      this.summary.textContent = `kube4c could not check this: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private render(view: EditorView, cat: Catalogue, r: CheckResult) {
    const jump = (from: number, to: number) => {
      view.dispatch({ selection: { anchor: from, head: to }, effects: EditorView.scrollIntoView(from, { y: "center" }) });
      view.focus();
    };
    const fs = r.findings.filter((f) => !f.suppressed).sort((a, b) => rank(cat, a.severity) - rank(cat, b.severity) || a.from - b.from);
    const checked = view.state.doc;
    const current = view.state.readOnly ? null : () => view.state.doc === checked;
    view.dispatch(setDiagnostics(view.state, toDiagnostics(cat, r, fs, current, { jump })));
    const counts = cat.severities.map((s) => [s, fs.filter((f) => f.severity === s).length] as const).filter(([, n]) => n);
    this.summary.replaceChildren(
      el("strong", undefined, `kube4c: ${fs.length} finding${fs.length === 1 ? "" : "s"}`),
      document.createTextNode(counts.length ? ` (${counts.map(([s, n]) => `${n} ${s}`).join(", ")})` : ""),
      document.createTextNode(r.errors.length ? ` · ${r.errors.length} YAML error${r.errors.length === 1 ? "" : "s"}` : ""),
    );
    this.list.replaceChildren();
    for (const e of r.errors) {
      const li = el("li");
      const b = el("button");
      b.type = "button";
      b.append(el("span", "k4c-line", `line ${e.line}`), el("span", "k4c-text", `YAML: ${e.message}`));
      b.addEventListener("click", () => jump(e.from, e.to));
      li.append(b);
      this.list.append(li);
    }
    for (const f of fs) {
      const li = el("li");
      const b = el("button");
      b.type = "button";
      b.append(
        el("span", `k4c-layer k4c-layer-${f.layer}`, f.layer),
        el("span", `k4c-sev k4c-sev-${f.severity}`, f.severity),
        el("span", "k4c-line", `line ${f.line}`),
        prose("span", "k4c-text", f.message),
      );
      b.title = `${f.rule}: ${f.title}`;
      b.addEventListener("click", () => jump(f.from, f.to));
      li.append(b);
      this.list.append(li);
    }
  }
}

if (!customElements.get("kube4c-check")) customElements.define("kube4c-check", Kube4cCheck);
