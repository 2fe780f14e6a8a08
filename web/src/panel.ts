// The side panel: findings by layer, most severe first, as a virtual list — only the rows in
// view exist in the DOM, so 4,000 findings cost what 40 do. Rows have fixed heights (CSS keeps
// them), which makes every row's offset known without measuring.
import type { CheckResult, FindingOut as Finding, LayerInfo, RelatedOut } from "./generated/report";
import type { Catalogue } from "./render";
import { rank } from "./render";
import { el, prose } from "./dom";

type Row =
  | { kind: "head"; layer: LayerInfo; count: number; fixable: number }
  | { kind: "finding"; f: Finding }
  | { kind: "related"; f: Finding; r: RelatedOut }
  | { kind: "yaml"; line: number; message: string; from: number; to: number }
  | { kind: "note"; text: string; heading?: boolean };

const HEIGHT: Record<Row["kind"], number> = { head: 64, finding: 56, related: 24, yaml: 46, note: 30 };
const OVERSCAN = 8;

function rowText(r: Row): string {
  switch (r.kind) {
    case "head":
      return `${r.layer.title} ${r.count}`;
    case "finding":
      return `${r.f.severity} line ${r.f.line} ${r.f.title} ${r.f.message}`;
    case "related":
      return `↳ line ${r.r.line}: ${r.r.label}`;
    case "yaml":
      return `line ${r.line} ${r.message}`;
    case "note":
      return r.text;
  }
}

export interface PanelHandlers {
  /** Select a span in the editor; `focusEditor` for a mouse click (a key keeps focus here, so
   * a second Enter can never edit the text). */
  jump(from: number, to: number, focusEditor: boolean): void;
  fixLayer(layer: string): void;
}

export class Panel {
  private rows: Row[] = [];
  private tops: number[] = [];
  private total = 0;
  private spacer = el("div", "k4c-spacer");
  private rendered = new Map<number, HTMLElement>();
  private current: Finding | null = null;
  private frame = 0;
  /** Row of the element that had focus, to give it back after a re-render. */
  private focusRow = -1;

  constructor(
    private readonly box: HTMLElement,
    private readonly c: () => Catalogue,
    private readonly h: PanelHandlers,
  ) {
    box.replaceChildren(this.spacer);
    box.addEventListener("scroll", () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(box);
    box.addEventListener("keydown", (e) => this.key(e));
    box.addEventListener("focusin", (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>("[data-row]");
      if (row) this.focusRow = Number(row.dataset.row);
    });
  }

  /** Show a result (already filtered by the page). */
  show(r: CheckResult, findings: Finding[], layers: LayerInfo[]) {
    const c = this.c();
    const rows: Row[] = [];
    if (r.unchecked) {
      rows.push({ kind: "note", heading: true, text: `Not checked (${r.unchecked})` });
      rows.push({ kind: "note", text: "Kubernetes cannot read or would reject these documents, so nothing in them was checked." });
    }
    const yaml = [...r.errors, ...r.warnings];
    if (yaml.length) {
      rows.push({ kind: "note", heading: true, text: `YAML (${yaml.length})` });
      for (const d of yaml) rows.push({ kind: "yaml", line: d.line, message: d.message, from: d.from, to: d.to });
    }
    for (const layer of layers) {
      const fs = findings
        .filter((f) => f.layer === layer.id)
        .sort((a, b) => rank(c, a.severity) - rank(c, b.severity) || a.from - b.from);
      const fixable = fs.filter((f) => f.fix && f.fix.applicability !== "display").length;
      rows.push({ kind: "head", layer, count: fs.length, fixable });
      for (const f of fs) {
        rows.push({ kind: "finding", f });
        for (const rel of f.related) rows.push({ kind: "related", f, r: rel });
      }
      if (!fs.length)
        rows.push({
          kind: "note",
          text: r.unchecked
            ? `No findings in the documents that were read; ${r.unchecked} not checked.`
            : r.errors.length
              ? "No findings in the documents that were read; fix the YAML errors first."
              : "No findings in this layer.",
        });
    }
    this.rows = rows;
    this.tops = new Array(rows.length);
    let y = 0;
    rows.forEach((row, i) => {
      this.tops[i] = y;
      y += HEIGHT[row.kind];
    });
    this.total = y;
    this.spacer.style.height = `${y}px`;
    const hadFocus = this.box.contains(document.activeElement) && document.activeElement !== this.box;
    for (const e of this.rendered.values()) e.remove();
    this.rendered.clear();
    this.paint();
    if (hadFocus) this.focus(Math.min(this.focusRow, rows.length - 1));
  }

  /** Mark the finding under the editor's cursor and bring its row into view. */
  setCurrent(f: Finding | null) {
    if (f === this.current) return;
    this.current = f;
    for (const [i, e] of this.rendered) this.mark(e, this.rows[i]);
    if (!f) return;
    const i = this.rows.findIndex((r) => r.kind === "finding" && r.f === f);
    if (i >= 0) this.reveal(i);
  }

  private mark(e: HTMLElement, row: Row) {
    const on = row.kind === "finding" && row.f === this.current;
    e.classList.toggle("k4c-current", on);
    const b = e.querySelector("button");
    if (b) {
      if (on) b.setAttribute("aria-current", "true");
      else b.removeAttribute("aria-current");
    }
  }

  private reveal(i: number) {
    const top = this.tops[i];
    const bottom = top + HEIGHT[this.rows[i].kind];
    if (top < this.box.scrollTop) this.box.scrollTop = top;
    else if (bottom > this.box.scrollTop + this.box.clientHeight) this.box.scrollTop = bottom - this.box.clientHeight;
    this.paint();
  }

  private schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  /** The index of the row at offset `y`. */
  private at(y: number): number {
    let lo = 0;
    let hi = this.rows.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.tops[mid] <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private paint() {
    if (!this.rows.length) return;
    const view = this.box.clientHeight || 600;
    const first = Math.max(0, this.at(this.box.scrollTop) - OVERSCAN);
    const last = Math.min(this.rows.length - 1, this.at(this.box.scrollTop + view) + OVERSCAN);
    for (const [i, e] of this.rendered) {
      if ((i < first || i > last) && !e.contains(document.activeElement)) {
        e.remove();
        this.rendered.delete(i);
      }
    }
    for (let i = first; i <= last; i++) {
      if (this.rendered.has(i)) continue;
      const e = this.row(i);
      e.style.top = `${this.tops[i]}px`;
      this.rendered.set(i, e);
      this.spacer.append(e);
    }
  }

  private row(i: number): HTMLElement {
    const row = this.rows[i];
    const li = el("div", `k4c-row k4c-row-${row.kind}`);
    li.dataset.row = String(i);
    if (row.kind === "finding" || row.kind === "related") li.dataset.layer = row.f.layer;
    li.setAttribute("role", "listitem");
    li.setAttribute("aria-setsize", String(this.rows.length));
    li.setAttribute("aria-posinset", String(i + 1));
    switch (row.kind) {
      case "head": {
        const h = el("h2");
        h.append(el("span", `k4c-layer k4c-layer-${row.layer.id}`, row.layer.title), el("span", "k4c-count", String(row.count)));
        if (row.fixable) {
          const b = el("button", "k4c-fix-layer", `Fix all in ${row.layer.title} (${row.fixable})`);
          b.type = "button";
          b.title = "Apply every quick fix of this layer at once (undo with Ctrl+Z)";
          b.addEventListener("click", () => this.h.fixLayer(row.layer.id));
          h.append(b);
        }
        li.dataset.layer = row.layer.id;
        li.append(h, el("p", "k4c-blurb", row.layer.scope));
        break;
      }
      case "finding": {
        const f = row.f;
        const b = el("button", "k4c-jump");
        b.type = "button";
        b.title = f.message.replace(/`/g, "");
        b.append(
          el("span", `k4c-sev k4c-sev-${f.severity}`, f.severity),
          el("span", "k4c-line", `line ${f.line}`),
          el("span", "k4c-title", f.title),
          prose("span", "k4c-text", f.message),
        );
        b.addEventListener("click", (e) => this.h.jump(f.from, f.to, e.detail > 0));
        li.append(b);
        this.mark(li, row);
        break;
      }
      case "related": {
        const b = el("button", "k4c-related", `↳ line ${row.r.line}: ${row.r.label}`);
        b.type = "button";
        b.addEventListener("click", (e) => this.h.jump(row.r.from, row.r.to, e.detail > 0));
        li.append(b);
        break;
      }
      case "yaml": {
        const b = el("button", "k4c-jump k4c-yaml");
        b.type = "button";
        b.append(el("span", "k4c-line", `line ${row.line}`), el("span", "k4c-text", row.message));
        b.addEventListener("click", (e) => this.h.jump(row.from, row.to, e.detail > 0));
        li.append(b);
        break;
      }
      case "note":
        li.append(row.heading ? el("h2", "k4c-note-head", row.text) : el("p", "k4c-none", row.text));
        break;
    }
    return li;
  }

  /** Up/Down move between findings, Home/End to the ends; the list scrolls and renders as
   * focus moves. */
  private key(e: KeyboardEvent) {
    if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(e.key)) return;
    // Findings, related objects and YAML errors: arrows never land on "Fix all" (Tab reaches
    // it), so arrowing and pressing Enter can only select text, never change it.
    const focusable = (i: number) => this.rows[i] && this.rows[i].kind !== "note" && this.rows[i].kind !== "head";
    const from = this.box === document.activeElement ? -1 : this.focusRow;
    let i = e.key === "Home" ? 0 : e.key === "End" ? this.rows.length - 1 : from + (e.key === "ArrowDown" ? 1 : -1);
    const step = e.key === "ArrowUp" || e.key === "End" ? -1 : 1;
    while (i >= 0 && i < this.rows.length && !focusable(i)) i += step;
    if (i < 0 || i >= this.rows.length) return;
    e.preventDefault();
    this.focus(i);
  }

  private focus(i: number) {
    if (i < 0) return;
    this.reveal(i);
    this.rendered.get(i)?.querySelector("button")?.focus();
  }

  /** Every row's text, rendered or not (what a screen shows when scrolled through). */
  text(): string {
    return this.rows.map(rowText).join("\n");
  }

  /** Scroll to the first row whose text contains `s`; whether there is one. */
  find(s: string): boolean {
    const i = this.rows.findIndex((r) => rowText(r).includes(s));
    if (i < 0) return false;
    this.box.scrollTop = Math.max(0, this.tops[i] - 40);
    this.paint();
    return true;
  }

  /** Rows currently in the DOM and the whole list's count (tests, benchmark). */
  get stats() {
    return { rows: this.rows.length, rendered: this.rendered.size, height: this.total };
  }
}
