// Findings as DOM, shared by the page and the `<kube4c-check>` element: the tooltip of a place,
// CodeMirror diagnostics of a result, and the rule reference.
import type { Diagnostic } from "@codemirror/lint";
import type { EditorView } from "@codemirror/view";
import type { Catalog, CheckResult, FindingOut as Finding, LayerInfo, RuleMeta, Severity } from "./generated/report";
import { el, prose } from "./dom";

export interface Catalogue {
  layers: LayerInfo[];
  severities: Severity[];
  rules: Map<string, RuleMeta>;
}

export interface Handlers {
  jump(from: number, to: number): void;
  /** Show a rule in the reference; absent where there is no reference (the embed). */
  rule?(id: string): void;
}

/** The catalogue the renderers read, from the core's catalog. */
export function catalogue(c: Catalog): Catalogue {
  return { layers: c.layers, severities: c.severities, rules: new Map(c.rules.map((r) => [r.id, r])) };
}

export const rank = (c: Catalogue, s: Severity) => c.severities.indexOf(s);

export function severityToLint(s: Severity): Diagnostic["severity"] {
  return s === "critical" || s === "high" ? "error" : s === "medium" ? "warning" : "info";
}

/** One finding in a tooltip: layer, severity, rule id (once, a link to the reference), the
 * message; why, how to fix and the example behind a disclosure. */
export function renderFinding(c: Catalogue, f: Finding, h: Handlers): HTMLElement {
  const rule = c.rules.get(f.rule);
  const box = el("div", "k4c-tip-item");
  const head = el("div", "k4c-tip-head");
  head.append(
    el("span", `k4c-layer k4c-layer-${f.layer}`, f.layer.toUpperCase()),
    el("span", `k4c-sev k4c-sev-${f.severity}`, f.severity),
  );
  if (h.rule) {
    const link = el("button", "k4c-rule k4c-rule-link", f.rule);
    link.type = "button";
    link.title = "Show this rule in the rule reference";
    link.addEventListener("click", () => h.rule?.(f.rule));
    head.append(link);
  } else {
    head.append(el("code", "k4c-rule", f.rule));
  }
  box.append(head);
  if (rule) box.append(prose("div", "k4c-title", rule.title));
  box.append(prose("div", "k4c-msg", f.message));
  if (rule) {
    const more = el("details", "k4c-more");
    more.append(
      el("summary", undefined, "Why it matters · how to fix"),
      prose("div", "k4c-why", rule.why),
      el("div", "k4c-h", "How to fix"),
      prose("div", "k4c-fix", rule.remediation),
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
    b.addEventListener("click", () => h.jump(r.from, r.to));
    box.append(b);
  }
  if (f.pss) box.append(el("div", "k4c-pss", `Pod Security Standards check: ${f.pss}`));
  return box;
}

type Action = NonNullable<Diagnostic["actions"]>[number];

/** Whether the text is still the one that was checked: a fix's offsets belong to that text,
 * so once it changes (before the next result arrives) its fixes do nothing. */
export type Current = () => boolean;

/** Edits of the findings' fixes as CodeMirror actions, for results of the current text only.
 * Display-only fixes get no action. */
function fixActions(fs: Finding[], current: Current | null): Diagnostic["actions"] {
  if (!current) return undefined;
  const actions: Action[] = [];
  for (const f of fs) {
    if (!f.fix || f.fix.applicability === "display") continue;
    const edits = f.fix.edits.map((e) => ({ from: e.from, to: e.to, insert: e.text }));
    const label = f.fix.applicability === "safe" ? "Fix" : "Fix (review)";
    actions.push({
      name: fs.length > 1 ? `${label}: ${f.fix.title}` : label,
      apply(v: EditorView) {
        if (current()) v.dispatch({ changes: edits, userEvent: "input.fix" });
      },
    });
  }
  return actions.length ? actions : undefined;
}

/** What a diagnostic of a group of findings on one span shows, kept between results: a
 * keystroke keeps most findings (the same objects, moved in place by `readResult`), so their
 * messages and tooltips need not be built again. */
interface Shown {
  /** The group's findings as they came (the cache is hit only by the same ones). */
  members: Finding[];
  severity: Diagnostic["severity"];
  message: string;
  markClass: string;
  renderMessage: () => HTMLElement;
  /** Most severe first. */
  sorted: Finding[];
}
const shownOf = new WeakMap<Finding, Shown>();

function shownFor(c: Catalogue, fs: Finding[], h: Handlers): Shown {
  const known = shownOf.get(fs[0]);
  if (known && known.members.length === fs.length && known.members.every((f, i) => f === fs[i])) return known;
  const sorted = [...fs].sort((a, b) => rank(c, a.severity) - rank(c, b.severity));
  const top = sorted[0];
  const s: Shown = {
    members: fs,
    severity: severityToLint(top.severity),
    message: sorted.map((f) => `[${f.layer}] ${f.rule}: ${f.message}`).join("\n"),
    markClass: `k4c-mark-${top.layer} k4c-mark-sev-${top.severity}`,
    renderMessage: () => {
      const box = el("div", "k4c-tip");
      if (sorted.length > 1) box.append(el("div", "k4c-tip-count", `${sorted.length} findings here`));
      for (const f of sorted) box.append(renderFinding(c, f, h));
      return box;
    },
    sorted,
  };
  shownOf.set(fs[0], s);
  return s;
}

/** A result as CodeMirror diagnostics. Findings on one span become one diagnostic: one
 * underline and one tooltip telling the whole story, most severe first. */
export function toDiagnostics(c: Catalogue, r: CheckResult, findings: Finding[], current: Current | null, h: Handlers): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of r.errors) {
    out.push({ from: e.from, to: Math.max(e.to, e.from), severity: "error", source: "yaml", message: `YAML: ${e.message}` });
  }
  for (const w of r.warnings) {
    out.push({ from: w.from, to: w.to, severity: "warning", source: "yaml", message: w.message });
  }
  // Grouped by span: a number key while it is exact (offsets below 2^26), else a string.
  const bySpan = new Map<number | string, Finding[]>();
  for (const f of findings) {
    const key = f.to < 67108864 ? f.from * 67108864 + f.to : `${f.from}:${f.to}`;
    const g = bySpan.get(key);
    if (g) g.push(f);
    else bySpan.set(key, [f]);
  }
  for (const fs of bySpan.values()) {
    const s = shownFor(c, fs, h);
    out.push({
      from: fs[0].from,
      to: fs[0].to,
      severity: s.severity,
      message: s.message,
      markClass: s.markClass,
      renderMessage: s.renderMessage,
      // Built for each result: they act only while its text is current.
      actions: fixActions(s.sorted, current),
    });
  }
  return out;
}

/** The rule reference: every rule of the catalog by layer, searchable. */
export function renderReference(c: Catalogue, list: HTMLElement, query: string) {
  const q = query.trim().toLowerCase();
  list.replaceChildren();
  for (const layer of c.layers) {
    const rules = [...c.rules.values()].filter(
      (r) =>
        r.layer === layer.id &&
        (!q || [r.id, r.title, r.why, r.remediation, ...r.pss.map((p) => p.id), ...r.peers.map((p) => p[1])].some((s) => s.toLowerCase().includes(q))),
    );
    if (!rules.length) continue;
    const sec = el("section", "k4c-ref-layer");
    const h = el("h3");
    h.append(el("span", `k4c-layer k4c-layer-${layer.id}`, layer.title), el("span", "k4c-count", ` ${rules.length} rules`));
    sec.append(h, el("p", "k4c-blurb", layer.scope));
    for (const r of rules) {
      const art = el("article", "k4c-ref-rule");
      art.id = `rule-${r.id}`;
      art.tabIndex = -1;
      const head = el("div", "k4c-tip-head");
      head.append(el("span", `k4c-sev k4c-sev-${r.severity}`, r.severity), el("code", "k4c-rule", r.id));
      if (r.fix !== "none") head.append(el("span", "k4c-fixable", r.fix === "always" ? "quick fix" : "quick fix (some cases)"));
      art.append(head, prose("h4", undefined, r.title), prose("p", "k4c-why", r.why), el("div", "k4c-h", "How to fix"), prose("p", "k4c-fix", r.remediation), el("pre", "k4c-example", r.example));
      if (r.pss.length) art.append(el("div", "k4c-pss", `Pod Security Standards: ${r.pss.map((p) => `${p.id} (${p.level})`).join(", ")}`));
      if (r.peers.length) art.append(el("div", "k4c-pss", `Also checked by: ${r.peers.map(([tool, id]) => `${tool} ${id}`).join(", ")}`));
      sec.append(art);
    }
    list.append(sec);
  }
  if (!list.firstChild) list.append(el("p", "k4c-none", `No rule matches “${query}”.`));
}
