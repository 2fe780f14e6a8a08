// The lint gutter: a marker on each line that has findings, shaped and coloured by the most
// severe of them; hovering it lists that line's findings.
//
// Ours rather than @codemirror/lint's `lintGutter()`: its markers carry their diagnostics and
// never compare equal, so every result (every keystroke) rebuilt every visible marker's DOM —
// about 1 ms of the keystroke's frame before the underlines are applied and ~3 ms of its
// rendering on the 2,000-line case (BENCHMARKS.md). These markers are one shared object per
// severity, so a result that leaves a line's severity alone leaves its marker's DOM alone;
// hovering reads the line's diagnostics from the editor at that moment, so nothing stale is
// kept in the gutter.
import { RangeSet, StateEffect, StateField, type Extension, type Range } from "@codemirror/state";
import { EditorView, GutterMarker, gutter, showTooltip, type BlockInfo, type Tooltip } from "@codemirror/view";
import { forEachDiagnostic, setDiagnosticsEffect, type Diagnostic } from "@codemirror/lint";

type Severity = Diagnostic["severity"];
/** Most severe first. */
const SEVERITIES: readonly Severity[] = ["error", "warning", "info", "hint"];
const HOVER_MS = 300;
/** How far (px) the pointer may stray from the marker before its tooltip closes. */
const MARGIN = 10;

class SeverityMarker extends GutterMarker {
  constructor(readonly severity: Severity) {
    super();
  }
  eq(other: GutterMarker): boolean {
    return other instanceof SeverityMarker && other.severity === this.severity;
  }
  toDOM(): Node {
    const d = document.createElement("div");
    d.className = `cm-lint-marker cm-lint-marker-${this.severity}`;
    return d;
  }
}
/** By rank (the index in SEVERITIES). */
const MARKER = SEVERITIES.map((s) => new SeverityMarker(s));
const RANK = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;

/** One marker per line that has a diagnostic starting on it, the line's most severe. Built
 * in one pass when the diagnostics come in position order (the findings do; a result's YAML
 * errors and warnings, listed first, may not: then by line, then sorted). */
function markersFor(doc: EditorView["state"]["doc"], diagnostics: readonly Diagnostic[]): RangeSet<SeverityMarker> {
  const lines: number[] = [];
  const ranks: number[] = [];
  let inOrder = true;
  let line = doc.line(1);
  for (const d of diagnostics) {
    if (d.from < line.from || d.from > line.to) line = doc.lineAt(Math.min(d.from, doc.length));
    const rank = RANK[d.severity];
    const last = lines.length - 1;
    if (last >= 0 && lines[last] === line.from) {
      if (rank < ranks[last]) ranks[last] = rank;
      continue;
    }
    if (last >= 0 && line.from < lines[last]) inOrder = false;
    lines.push(line.from);
    ranks.push(rank);
  }
  const ranges: Range<SeverityMarker>[] = [];
  if (inOrder) {
    for (let i = 0; i < lines.length; i++) ranges.push(MARKER[ranks[i]].range(lines[i]));
    return RangeSet.of(ranges);
  }
  const worst = new Map<number, number>();
  for (let i = 0; i < lines.length; i++) {
    const had = worst.get(lines[i]);
    if (had === undefined || ranks[i] < had) worst.set(lines[i], ranks[i]);
  }
  for (const [from, rank] of worst) ranges.push(MARKER[rank].range(from));
  return RangeSet.of(ranges, true);
}

const markers = StateField.define<RangeSet<SeverityMarker>>({
  create: () => RangeSet.empty,
  update(value, tr) {
    let next = value.map(tr.changes);
    for (const e of tr.effects) if (e.is(setDiagnosticsEffect)) next = markersFor(tr.state.doc, e.value);
    return next;
  },
});

const setTooltip = StateEffect.define<Tooltip | null>();
const tooltip = StateField.define<Tooltip | null>({
  create: () => null,
  update(value, tr) {
    // An edit closes it: the line's findings are about to change.
    let next = tr.docChanged ? null : value;
    for (const e of tr.effects) if (e.is(setTooltip)) next = e.value;
    return next;
  },
  provide: (f) => showTooltip.from(f),
});

/** The diagnostics that start on a line, most severe first. */
function onLine(view: EditorView, line: BlockInfo): Diagnostic[] {
  const out: Diagnostic[] = [];
  forEachDiagnostic(view.state, (d, from) => {
    if (from >= line.from && from <= line.to) out.push(d);
  });
  return out.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}

/** The list shown for a line: the same structure and classes as the text's own lint tooltip,
 * so one stylesheet serves both. */
function renderList(view: EditorView, found: Diagnostic[]): HTMLElement {
  const ul = document.createElement("ul");
  ul.className = "cm-tooltip-lint";
  for (const d of found) {
    const li = document.createElement("li");
    li.className = `cm-diagnostic cm-diagnostic-${d.severity}`;
    const text = document.createElement("span");
    text.className = "cm-diagnosticText";
    if (d.renderMessage) text.append(d.renderMessage(view));
    else text.textContent = d.message;
    li.append(text);
    for (const action of d.actions ?? []) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "cm-diagnosticAction";
      b.textContent = action.name;
      b.addEventListener("click", (e) => {
        e.preventDefault();
        // Where the diagnostic is now (the text may have moved under the open tooltip).
        const at: { from: number; to: number }[] = [];
        forEachDiagnostic(view.state, (x, from, to) => {
          if (x === d) at.push({ from, to });
        });
        if (at.length) action.apply(view, at[0].from, at[0].to);
      });
      li.append(b);
    }
    ul.append(li);
  }
  return ul;
}

/** Open the line's tooltip once the pointer has rested on its marker, and close it when the
 * pointer leaves both the marker and the tooltip. */
function hover(view: EditorView, line: BlockInfo, event: Event): boolean {
  const hit = event.target instanceof Element ? event.target.closest(".cm-lint-marker") : null;
  if (!hit) return false;
  const marker: Element = hit;
  let timer = setTimeout(open, HOVER_MS);
  const rest = () => {
    clearTimeout(timer);
    timer = setTimeout(open, HOVER_MS);
  };
  const leave = () => {
    clearTimeout(timer);
    marker.removeEventListener("mousemove", rest);
  };
  marker.addEventListener("mousemove", rest);
  marker.addEventListener("mouseout", leave, { once: true });
  function open() {
    leave();
    const found = onLine(view, line);
    if (!found.length || !marker.isConnected) return;
    view.dispatch({
      effects: setTooltip.of({
        pos: line.from,
        above: false,
        clip: false,
        create: () => ({ dom: renderList(view, found), getCoords: () => marker.getBoundingClientRect() }),
      }),
    });
    const track = (e: MouseEvent) => {
      const r = marker.getBoundingClientRect();
      if (e.clientX > r.left - MARGIN && e.clientX < r.right + MARGIN && e.clientY > r.top - MARGIN && e.clientY < r.bottom + MARGIN) return;
      if (e.target instanceof Element && e.target.closest(".cm-tooltip-lint")) return;
      window.removeEventListener("mousemove", track);
      if (view.state.field(tooltip)) view.dispatch({ effects: setTooltip.of(null) });
    };
    window.addEventListener("mousemove", track);
  }
  return false;
}

const svg = (content: string) =>
  `url('data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">${encodeURIComponent(content)}</svg>')`;

const theme = EditorView.baseTheme({
  ".cm-gutter-lint": { width: "1.4em", "& .cm-gutterElement": { padding: ".2em" } },
  ".cm-lint-marker": { width: "1em", height: "1em" },
  // Shape as well as colour tells the severity: a circle, a triangle, a square, a diamond.
  ".cm-lint-marker-error": { content: svg(`<circle cx="20" cy="20" r="15" fill="#f87" stroke="#c22" stroke-width="5"/>`) },
  ".cm-lint-marker-warning": { content: svg(`<path d="M20 5L36 34L4 34Z" fill="#fd6" stroke="#b80" stroke-width="5" stroke-linejoin="round"/>`) },
  ".cm-lint-marker-info": { content: svg(`<path d="M6 6H34V34H6Z" fill="#bbf" stroke="#66c" stroke-width="5" stroke-linejoin="round"/>`) },
  ".cm-lint-marker-hint": { content: svg(`<path d="M20 4L36 20L20 36L4 20Z" fill="#ddd" stroke="#888" stroke-width="5" stroke-linejoin="round"/>`) },
});

/** The gutter, its markers and its tooltip. */
export function findingsGutter(): Extension {
  return [
    markers,
    tooltip,
    gutter({ class: "cm-gutter-lint", markers: (v) => v.state.field(markers), domEventHandlers: { mouseover: hover } }),
    theme,
  ];
}
