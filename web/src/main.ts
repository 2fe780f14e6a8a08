// The kube4c page: CodeMirror editor, findings underlined in place, a side panel grouped by
// 4C layer with the rings as its filter, quick fixes, share and export, the rule reference.
// User text only ever reaches the DOM through textContent (resource names are
// attacker-controlled).
import { EditorView, basicSetup } from "codemirror";
import { ChangeSet, EditorState, Prec, type ChangeSpec, type Text, type Transaction } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { yamlLanguage } from "./yaml-language";
import { setDiagnostics, setDiagnosticsEffect, type Diagnostic } from "@codemirror/lint";
import type { CheckResult, FindingOut as Finding, Layer, Severity } from "./generated/report";
import { Checker, Superseded } from "./checker";
import type { Profile } from "./protocol";
import { SERVED, startWorker } from "./worker-start";
import { el, must } from "./dom";
import { type Catalogue, type Handlers, catalogue, rank, renderReference, toDiagnostics } from "./render";
import { Panel } from "./panel";
import { findingsGutter } from "./gutter";
import { readFragment, shareFragment } from "./share";
import { systemTheme } from "./theme";
import insecure from "../../examples/task-api-insecure.yaml";
import hardened from "../../examples/task-api-hardened.yaml";

const STORAGE_KEY = "kube4c:text";
const STORAGE_LIMIT = 2_000_000;

const checker = new Checker(startWorker);
const status = must<HTMLElement>("#status");
const announce = must<HTMLElement>("#announce");
const rings = must<SVGSVGElement>("#rings");
const banner = must<HTMLElement>("#banner");
const profileSelect = must<HTMLSelectElement>("#profile");
const configInput = must<HTMLInputElement>("#config");
const configClear = must<HTMLButtonElement>("#config-clear");
const severityBox = must<HTMLFieldSetElement>("#severity-filter");
const refDialog = must<HTMLDialogElement>("#ref");
const refList = must<HTMLElement>("#ref-list");
const refSearch = must<HTMLInputElement>("#ref-search");

/** Layers (outermost first), severities (most severe first), profiles and rules all come from
 * the core's catalog once the checker is ready: the page keeps no copies. */
const cat: Catalogue = { layers: [], severities: [], rules: new Map() };
/** A loaded `.kube4c.yaml` (the core reads it); its own profile applies until one is picked. */
let config: string | undefined;
let profileChosen = false;
/** What the rings and the severity boxes let through. */
const filter = { layer: null as Layer | null, severities: new Set<Severity>() };
/** The newest result and whether it is of the current text (fixes need exact offsets). */
let last: { result: CheckResult; ms: number; current: boolean } | null = null;
/** The unsuppressed findings of `last` that pass the filters, sorted by position. */
let shown: Finding[] = [];
let fileName = "manifest.yaml";

let view: EditorView;
const handlers: Handlers = { jump: (from, to) => jump(from, to, true), rule: (id) => openReference(id) };

checker.onCrash = (message) => {
  banner.hidden = false;
  banner.textContent = `The checker stopped on this input and was restarted (${message}). Findings below are from the last good run.`;
};

const panel = new Panel(must<HTMLElement>("#findings"), () => cat, {
  jump: (from, to, focusEditor) => jump(from, to, focusEditor),
  fixLayer: (layer) => fixAll(layer),
});

/** When diagnostics last reached the editor (read by the browser benchmark and tests). */
const stats = { lints: 0, lastDocAt: 0, lastLintAt: 0, lastPaintAt: 0, lastSourceAt: 0, lastResultAt: 0, lastRoundTrip: 0, lastWorker: 0, lastPanel: 0 };
const lintListener = EditorView.updateListener.of((u) => {
  if (u.docChanged) stats.lastDocAt = performance.now();
  if (u.transactions.some((tr) => tr.effects.some((e) => e.is(setDiagnosticsEffect)))) {
    stats.lints++;
    stats.lastLintAt = performance.now();
    // The start of the frame that paints them: this one, when the result was read in a frame
    // before its paint (see Checker.takeInFrame), else the next.
    if (checker.inFrame) stats.lastPaintAt = stats.lastLintAt;
    else requestAnimationFrame(() => (stats.lastPaintAt = performance.now()));
  }
});

/** Select a span and put it mid-editor. From the panel by keyboard, focus stays in the panel:
 * Enter there never types into the text. */
function jump(from: number, to: number, focusEditor: boolean) {
  view.dispatch({ selection: { anchor: from, head: to }, effects: EditorView.scrollIntoView(from, { y: "center" }) });
  if (focusEditor) view.focus();
  panel.setCurrent(findingAt(from));
}

/** The innermost shown finding that contains `pos`. */
function findingAt(pos: number): Finding | null {
  let best: Finding | null = null;
  for (const f of shown) {
    if (f.from > pos) break;
    if (pos <= f.to && (!best || f.to - f.from < best.to - best.from)) best = f;
  }
  return best;
}

/** F8 / Shift+F8: the next or previous shown finding after the cursor, as in editors. */
function step(dir: 1 | -1): boolean {
  if (!shown.length) return false;
  const sel = view.state.selection.main;
  let f: Finding | undefined;
  if (dir > 0) f = shown.find((x) => x.from > sel.from) ?? shown[0];
  else f = [...shown].reverse().find((x) => x.from < sel.from) ?? shown[shown.length - 1];
  jump(f.from, f.to, view.hasFocus);
  return true;
}

function applyFilters() {
  if (!last) return;
  const { result, ms, current } = last;
  shown = result.findings.filter(
    (f) => !f.suppressed && (filter.layer === null || f.layer === filter.layer) && filter.severities.has(f.severity),
  );
  schedulePanel(result, ms);
  const checked = view.state.doc;
  return toDiagnostics(cat, result, shown, current ? () => last?.current === true && view.state.doc === checked : null, handlers);
}

function showResult(result: CheckResult, ms: number, changes: ChangeSet) {
  last = { result, ms, current: changes.empty };
  const ds = applyFilters() ?? [];
  view.dispatch(setDiagnostics(view.state, mapDiagnostics(ds, changes)));
  if (fixRounds && last.current) setTimeout(fixRound, 0);
}

function refilter() {
  if (!last) return;
  const ds = applyFilters() ?? [];
  view.dispatch(setDiagnostics(view.state, last.current ? ds : []));
}

/** The panel, rings and status are painted after the frame that paints the underlines. */
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
      renderRings(p.result);
      renderStatus(p.result, p.ms);
      panel.show(p.result, shown, cat.layers.filter((l) => filter.layer === null || l.id === filter.layer));
      panel.setCurrent(findingAt(view.state.selection.main.head));
      stats.lastPanel = performance.now() - t0;
    }, 0),
  );
}

function worstOf(fs: Finding[]): Severity | undefined {
  let w: Severity | undefined;
  for (const f of fs) if (!w || rank(cat, f.severity) < rank(cat, w)) w = f.severity;
  return w;
}

function renderRings(r: CheckResult) {
  // Four concentric rings, Cloud outside and Code inside, each coloured by its worst finding;
  // each is a toggle that shows only its layer.
  const ns = "http://www.w3.org/2000/svg";
  const visible = r.findings.filter((f) => !f.suppressed && filter.severities.has(f.severity));
  // Rebuilt on each result: the ring that had focus gets it back.
  const focused = (document.activeElement as SVGElement | null)?.closest?.("#rings [data-layer]")?.getAttribute("data-layer");
  rings.replaceChildren();
  cat.layers.forEach((layer, i) => {
    const fs = visible.filter((f) => f.layer === layer.id);
    const worst = worstOf(fs);
    const g = document.createElementNS(ns, "g");
    const pressed = filter.layer === layer.id;
    g.setAttribute("role", "button");
    g.setAttribute("tabindex", "0");
    g.setAttribute("aria-pressed", String(pressed));
    g.setAttribute("class", `ring-button${pressed ? " ring-on" : ""}`);
    g.dataset.layer = layer.id;
    g.setAttribute(
      "aria-label",
      `${layer.title}: ${fs.length} finding${fs.length === 1 ? "" : "s"}${worst ? `, worst ${worst}` : ""}. ${pressed ? "Showing only this layer; press to show all" : "Press to show only this layer"}`,
    );
    const c = document.createElementNS(ns, "circle");
    const radius = 76 - i * 18;
    c.setAttribute("cx", "80");
    c.setAttribute("cy", "80");
    c.setAttribute("r", String(radius));
    c.setAttribute("class", `ring ring-${layer.id} ring-worst-${worst ?? "none"}`);
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", "80");
    t.setAttribute("y", String(80 - radius + 13));
    t.setAttribute("class", "ring-label");
    t.textContent = `${layer.title} ${fs.length}`;
    g.append(c, t);
    const toggle = () => {
      filter.layer = filter.layer === layer.id ? null : layer.id;
      refilter();
    };
    g.addEventListener("click", toggle);
    g.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        toggle();
      }
    });
    rings.append(g);
    if (focused === layer.id) g.focus();
  });
}

let announced = "";
let announceTimer = 0;
function renderStatus(r: CheckResult, ms: number) {
  const total = r.findings.length - r.suppressed;
  const parts = [
    `${r.documents} document${r.documents === 1 ? "" : "s"}`,
    `${total} finding${total === 1 ? "" : "s"}`,
    `${r.errors.length} YAML error${r.errors.length === 1 ? "" : "s"}`,
  ];
  if (shown.length !== total) parts.push(`${shown.length} shown`);
  if (r.unchecked) parts.push(`${r.unchecked} not checked`);
  if (r.suppressed) parts.push(`${r.suppressed} suppressed`);
  if (fixNote) parts.unshift(fixNote);
  status.textContent = `${parts.join(" · ")} · checked in ${ms.toFixed(1)} ms`;
  // The live region speaks only when the counts change, a moment after typing stops.
  const bySev = cat.severities.map((s) => [s, r.findings.filter((f) => !f.suppressed && f.severity === s).length] as const).filter(([, n]) => n);
  const say = `${total} finding${total === 1 ? "" : "s"}${bySev.length ? `: ${bySev.map(([s, n]) => `${n} ${s}`).join(", ")}` : ""}${r.errors.length ? `; ${r.errors.length} YAML errors` : ""}`;
  clearTimeout(announceTimer);
  announceTimer = window.setTimeout(() => {
    if (say !== announced) announce.textContent = announced = say;
  }, 1000);
}

/** "Fix all" runs in rounds: fixes whose edits touch an earlier one's (two fixes that both add
 * a `securityContext`, say) wait for the re-check, which offers them again at their new place.
 * At most eight rounds, so a fix that does not clear its finding cannot loop. */
let fixRounds: { layer: string; left: number; applied: number } | null = null;
/** What the last "Fix all" did, shown in the status until the next edit. */
let fixNote = "";

function fixAll(layer: string) {
  fixRounds = { layer, left: 8, applied: 0 };
  fixRound();
}

/** One round of "Fix all": every non-overlapping quick fix of the layer's shown findings, as
 * one edit. */
function fixRound() {
  const round = fixRounds;
  if (!round || !last?.current) return;
  const layer = round.layer;
  const taken: { from: number; to: number; key: { indent: number; key: string } | null }[] = [];
  const changes: ChangeSpec[] = [];
  let n = 0;
  // Two insertions of whole lines at one place go together when they add different keys at
  // the same indentation (`capabilities:` and `seccompProfile:` into one securityContext). Two
  // that add the same key (each creating `securityContext:`) would make a duplicate key, and
  // two at different depths (a container's key and the pod's) depend on their order: one waits.
  const keyOf = (e: { from: number; to: number; text: string }) => {
    if (e.from !== e.to || !e.text.endsWith("\n")) return null;
    const m = /^( *)([^ :\n-][^:\n]*):/.exec(e.text);
    return m ? { indent: m[1].length, key: m[2] } : null;
  };
  const clash = (e: { from: number; to: number; text: string }, t: { from: number; to: number; key: { indent: number; key: string } | null }) => {
    if (e.from < t.to && t.from < e.to) return true;
    if (e.from !== e.to || t.from !== t.to || e.from !== t.from) return false;
    const k = keyOf(e);
    return k === null || t.key === null || k.indent !== t.key.indent || k.key === t.key.key;
  };
  for (const f of shown) {
    if (f.layer !== layer || !f.fix || f.fix.applicability === "display") continue;
    const edits = f.fix.edits;
    if (edits.some((e) => taken.some((t) => clash(e, t)))) continue;
    for (const e of edits) {
      taken.push({ from: e.from, to: e.to, key: keyOf(e) });
      changes.push({ from: e.from, to: e.to, insert: e.text });
    }
    n++;
  }
  if (!n || round.left === 0) {
    fixRounds = null;
    if (round.applied) {
      fixNote = `Applied ${round.applied} quick fix${round.applied === 1 ? "" : "es"} in ${layer} (undo with Ctrl+Z)`;
      renderStatus(last.result, last.ms);
    }
    return;
  }
  round.left--;
  round.applied += n;
  view.dispatch({ changes, userEvent: "input.fix" });
}

/**
 * Checking as you type. Every document change goes to the worker (as edits) at once; the
 * checker keeps one request in flight and only the newest waiting. A result that comes back
 * after further edits is not thrown away: its positions are mapped through those edits.
 */
interface Pending {
  seq: number;
  /** Edits made since this request's text was taken. */
  changes: ChangeSet;
}
let seq = 0;
let appliedSeq = 0;
const outstanding = new Set<Pending>();

function mapDiagnostics(ds: Diagnostic[], changes: ChangeSet): Diagnostic[] {
  if (changes.empty) return ds;
  return ds.map((d) => {
    const from = changes.mapPos(d.from, 1);
    return { ...d, from, to: Math.max(from, changes.mapPos(d.to, -1)), actions: undefined };
  });
}

/** The newest text: what the editor shows, or is about to (see `sendEdits`). */
let latest: Text | null = null;

function requestCheck(doc: Text) {
  latest = doc;
  const req: Pending = { seq: ++seq, changes: ChangeSet.empty(doc.length) };
  outstanding.add(req);
  stats.lastSourceAt = performance.now();
  const t0 = stats.lastSourceAt;
  const profile = config !== undefined && !profileChosen ? "" : (profileSelect.value as Profile);
  // Read when the request is sent, which may be after later edits: the newest text then.
  checker.check(() => (latest ?? doc).toString(), profile, config).then(
    ({ result, ms }) => {
      outstanding.delete(req);
      if (req.seq < appliedSeq) return;
      appliedSeq = req.seq;
      stats.lastResultAt = performance.now();
      stats.lastRoundTrip = stats.lastResultAt - t0;
      stats.lastWorker = ms;
      banner.hidden = true;
      showResult(result, ms, req.changes);
    },
    (e: unknown) => {
      outstanding.delete(req);
      if (!(e instanceof Superseded)) status.textContent = `check failed: ${e instanceof Error ? e.message : String(e)}`;
    },
  );
}

/**
 * The editor's transactions pass through here before the editor applies them: the edits go to
 * the worker first, so it checks while the editor redraws (on a 1.9 MB paste the redraw takes
 * 30 ms and more; on a keystroke a few ms). Results are mapped through any later edits.
 */
function sendEdits(trs: readonly Transaction[], v: EditorView) {
  if (trs.some((tr) => tr.docChanged)) {
    let changes = trs[0].changes;
    for (const tr of trs.slice(1)) changes = changes.compose(tr.changes);
    // The last result's offsets belong to the old text: no fix applies until the next result.
    if (last) last.current = false;
    if (!trs.some((tr) => tr.isUserEvent("input.fix"))) fixNote = "";
    for (const r of outstanding) r.changes = r.changes.compose(changes);
    checker.edit(changes);
    requestCheck(trs[trs.length - 1].state.doc);
  }
  v.update(trs);
}

let saveTimer = 0;
const checkOnChange = EditorView.updateListener.of((u) => {
  if (u.selectionSet && !u.docChanged) panel.setCurrent(findingAt(u.state.selection.main.head));
  if (!u.docChanged) return;
  // The last text survives a reload (until "Reset to example").
  clearTimeout(saveTimer);
  saveTimer = window.setTimeout(() => {
    try {
      // Up to 2 MB: a larger text would block the page on every pause (and may not fit); it
      // is not kept, rather than an older one coming back after a reload.
      if (u.view.state.doc.length > STORAGE_LIMIT) localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, u.view.state.doc.toString());
    } catch {
      // Storage full or disabled: the text is still in the editor.
    }
  }, 400);
});

/** A dropped file replaces the text (a manifest is checked whole, not spliced into another);
 * dragged text keeps CodeMirror's own behaviour. */
const dropFile = EditorView.domEventHandlers({
  drop(event) {
    const file = event.dataTransfer?.files?.[0];
    if (!file) return false;
    event.preventDefault();
    openFile(file);
    return true;
  },
});

function openFile(file: File) {
  file.text().then(
    (text) => {
      fileName = file.name || fileName;
      setText(text);
    },
    () => {
      status.textContent = `Could not read ${file.name}.`;
    },
  );
}

/** Replace the whole text in one undoable step. */
function setText(text: string) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: "input.replace" });
}

const keys = Prec.highest(
  keymap.of([
    { key: "F8", run: () => step(1), preventDefault: true },
    { key: "Shift-F8", run: () => step(-1), preventDefault: true },
  ]),
);

/** The reference, opened at a rule when one is named. */
function openReference(id?: string) {
  if (id) refSearch.value = "";
  renderReference(cat, refList, refSearch.value);
  if (!refDialog.open) refDialog.showModal();
  if (id) {
    const art = document.getElementById(`rule-${id}`);
    art?.scrollIntoView({ block: "start" });
    art?.focus();
  }
}

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function exportAs(format: "json" | "sarif" | "markdown") {
  const profile = config !== undefined && !profileChosen ? "" : profileSelect.value;
  const { json } = await checker.once({ text: view.state.doc.toString(), profile, config, format, name: fileName });
  const ext = { json: ["kube4c.json", "application/json"], sarif: ["kube4c.sarif", "application/sarif+json"], markdown: ["kube4c.md", "text/markdown"] }[format];
  download(ext[0], ext[1], json);
}

async function share() {
  const box = must<HTMLElement>("#share-box");
  const input = must<HTMLInputElement>("#share-url");
  const note = must<HTMLElement>("#share-note");
  const frag = await shareFragment(view.state.doc.toString());
  const url = `${location.href.split("#")[0]}${frag}`;
  history.replaceState(null, "", frag);
  box.hidden = false;
  input.value = url;
  input.select();
  let copied = false;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch {
    // No clipboard permission (or file://): the link is selected for copying by hand.
  }
  note.textContent = `${copied ? "Copied. " : ""}The text is in the link's fragment (${url.length.toLocaleString()} characters), which is never sent to a server.`;
}

async function initialText(): Promise<string> {
  try {
    const shared = await readFragment(location.hash);
    if (shared !== null) return shared;
  } catch (e) {
    banner.hidden = false;
    banner.textContent = `The shared link is damaged and could not be opened (${e instanceof Error ? e.message : String(e)}).`;
  }
  try {
    return localStorage.getItem(STORAGE_KEY) ?? insecure;
  } catch {
    return insecure;
  }
}

async function main() {
  const theme = systemTheme();
  view = new EditorView({
    dispatchTransactions: sendEdits,
    parent: must<HTMLElement>("#editor"),
    state: EditorState.create({
      doc: await initialText(),
      extensions: [
        keys,
        basicSetup,
        yamlLanguage(),
        findingsGutter(),
        checkOnChange,
        lintListener,
        EditorView.lineWrapping,
        dropFile,
        theme.extension,
        // tabindex: the content is focusable anyway (contenteditable); saying so lets checkers
        // see that the scroll region around it can be reached by keyboard.
        EditorView.contentAttributes.of({ "aria-label": "Kubernetes YAML to check", tabindex: "0" }),
      ],
    }),
  });
  theme.attach(view);
  // Before the editor's own handlers (capture, on its outer element): see Checker.expectEdit.
  view.dom.addEventListener("keydown", () => checker.expectEdit(), true);
  // F8 works wherever focus is (the panel, the rings), not only in the editor.
  document.addEventListener("keydown", (e) => {
    if (e.key !== "F8" || view.hasFocus || refDialog.open) return;
    e.preventDefault();
    step(e.shiftKey ? -1 : 1);
  });
  window.addEventListener("hashchange", async () => {
    try {
      const t = await readFragment(location.hash);
      if (t !== null && t !== view.state.doc.toString()) setText(t);
    } catch {
      // A damaged fragment typed by hand: keep the text.
    }
  });
  must<HTMLButtonElement>("#example-insecure").addEventListener("click", () => {
    setText(insecure);
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch {
      // Nothing stored.
    }
  });
  must<HTMLButtonElement>("#example-hardened").addEventListener("click", () => setText(hardened));
  const openInput = must<HTMLInputElement>("#open-file");
  must<HTMLButtonElement>("#open").addEventListener("click", () => openInput.click());
  openInput.addEventListener("change", () => {
    const f = openInput.files?.[0];
    if (f) openFile(f);
    openInput.value = "";
  });
  must<HTMLButtonElement>("#share").addEventListener("click", () => void share());
  const exportSelect = must<HTMLSelectElement>("#export");
  exportSelect.addEventListener("change", () => {
    const f = exportSelect.value as "json" | "sarif" | "markdown" | "";
    exportSelect.value = "";
    if (f) exportAs(f).catch((e: unknown) => (status.textContent = `export failed: ${String(e)}`));
  });
  must<HTMLButtonElement>("#reference").addEventListener("click", () => openReference());
  must<HTMLButtonElement>("#ref-close").addEventListener("click", () => refDialog.close());
  refSearch.addEventListener("input", () => renderReference(cat, refList, refSearch.value));
  profileSelect.addEventListener("change", () => {
    profileChosen = true;
    requestCheck(view.state.doc);
  });
  const setConfig = (text: string | undefined) => {
    config = text;
    profileChosen = false;
    configClear.hidden = text === undefined;
    requestCheck(view.state.doc);
  };
  configInput.addEventListener("change", async () => {
    const file = configInput.files?.[0];
    if (file) setConfig(await file.text());
  });
  configClear.addEventListener("click", () => {
    configInput.value = "";
    setConfig(undefined);
  });
  if (SERVED && "serviceWorker" in navigator && location.protocol.startsWith("http")) {
    navigator.serviceWorker.register("sw.js").catch(() => {
      // No offline copy (private mode, or the browser refused): the page works as it is.
    });
  }
  await checker.ready;
  const catalog = checker.catalog;
  Object.assign(cat, catalogue(catalog));
  for (const s of cat.severities) {
    filter.severities.add(s);
    const label = el("label", `k4c-sev-box k4c-sev-${s}`);
    const box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = s;
    box.addEventListener("change", () => {
      if (box.checked) filter.severities.add(s);
      else filter.severities.delete(s);
      refilter();
    });
    label.append(box, document.createTextNode(` ${s}`));
    severityBox.append(label);
  }
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
  requestCheck(view.state.doc);
  // For tests and the browser benchmark.
  const fixable = (layer: string | null) =>
    last?.current ? shown.filter((f) => (layer === null || f.layer === layer) && f.fix && f.fix.applicability !== "display") : [];
  (window as unknown as { kube4c: object }).kube4c = {
    view,
    checker,
    stats,
    setConfig,
    panel,
    setText,
    openReference,
    fixAll,
    example: insecure,
    lastFixable: fixable,
    current: () => last?.current ?? false,
    findings: () => last?.result.findings.filter((f) => !f.suppressed) ?? [],
    applyFix: (f: Finding) => view.dispatch({ changes: f.fix?.edits.map((e) => ({ from: e.from, to: e.to, insert: e.text })) ?? [] }),
  };
}

main().catch((e) => {
  status.textContent = `kube4c failed to start: ${String(e)}`;
});
