// The editor's YAML colouring and folding, for the lines in view only.
//
// The page only colours the text (the checker does the reading), so it needs no parse of the
// document: each visible line is tokenized on its own (keys, comments, strings, numbers,
// booleans and null, anchors, tags, document markers), and a line inside a block scalar
// (`key: |`) is found by looking up from the first visible line. Work per update is the lines
// in view, whatever the document's size. @codemirror/lang-yaml's incremental parser took about
// 11 ms of every keystroke on a 2,000-line manifest, and CodeMirror's stream tokenizer 60 ms on
// a 5.66 MB one (it re-tokenizes from the edit to where the last parse had got to), with tasks
// over 50 ms while either caught up (BENCHMARKS.md, "The page of issue #10"). Colours come from
// the editor's highlight style (light or dark), through the usual style tags.
import { foldService, highlightingFor } from "@codemirror/language";
import { RangeSetBuilder, StateField, type EditorState, type Extension, type Text } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, ViewPlugin, type ViewUpdate } from "@codemirror/view";
import { type Tag, tags as t } from "@lezer/highlight";

export type TokenKind = "key" | "string" | "number" | "atom" | "comment" | "meta" | "anchor" | "tag" | "punct";

/** A token of one line: offsets within the line. */
export interface Token {
  from: number;
  to: number;
  kind: TokenKind;
}

const TAGS: Record<TokenKind, Tag> = {
  key: t.definition(t.propertyName),
  string: t.string,
  number: t.number,
  atom: t.bool,
  comment: t.comment,
  meta: t.meta,
  anchor: t.labelName,
  tag: t.typeName,
  punct: t.punctuation,
};

const NUMBER = /^[-+]?(?:\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|0x[\dA-Fa-f_]+|0o[0-7_]+|0b[01_]+|\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const ATOM = /^(?:true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|null|Null|NULL|~)$/;
/** A block scalar header (`|`, `>-`, `|2+`), with an optional comment after it. */
const BLOCK = /^[|>][-+\d]*\s*(?:#.*)?$/;

function indentOf(text: string): number {
  let n = 0;
  while (n < text.length && (text.charCodeAt(n) === 32 || text.charCodeAt(n) === 9)) n++;
  return n;
}

/** Where a line's content starts after its indentation, or -1 for a blank line. Without
 * allocating for the usual line (the fold gutter reads up to 10,000 lines of a block after a
 * paste); a line that starts with other whitespace is asked `trim()`. */
function contentAt(text: string): number {
  const ind = indentOf(text);
  if (ind === text.length) return -1;
  const c = text.charCodeAt(ind);
  if ((c < 33 || c === 0xa0 || c > 0x167f) && !text.trim()) return -1;
  return ind;
}

const space = (c: string | undefined) => c === undefined || c === " " || c === "\t";

/** The end of a quoted scalar starting at `i` (past the closing quote, or the line's end). */
function quotedEnd(line: string, i: number): number {
  const q = line[i];
  let j = i + 1;
  while (j < line.length) {
    if (q === '"' && line[j] === "\\") j += 2;
    else if (line[j] === q) {
      if (q === "'" && line[j + 1] === "'") j += 2;
      else return j + 1;
    } else j++;
  }
  return line.length;
}

/**
 * Tokenize one line outside block scalars. `block` is set to the column block scalar content
 * must go deeper than when the line opens one (`key: |`, `- >-`), else -1.
 */
export function tokenizeLine(line: string): { tokens: Token[]; block: number } {
  const tokens: Token[] = [];
  const add = (from: number, to: number, kind: TokenKind) => {
    if (to > from) tokens.push({ from, to, kind });
  };
  let i = indentOf(line);
  let parent = i;
  let block = -1;
  if (/^(?:---|\.\.\.)(?=\s|$)/.test(line)) {
    add(0, 3, "meta");
    i = indentOf(line.slice(3)) + 3;
  } else if (line[i] === "%") {
    add(i, line.length, "meta");
    return { tokens, block };
  }
  let depth = 0; // inside `{}` / `[]`
  let keyAllowed = true;
  while (i < line.length) {
    const c = line[i];
    if (space(c)) {
      i++;
      continue;
    }
    if (c === "#" && (i === 0 || space(line[i - 1]))) {
      add(i, line.length, "comment");
      break;
    }
    if (depth === 0 && c === "-" && space(line[i + 1])) {
      add(i, i + 1, "punct");
      parent = i;
      i++;
      keyAllowed = true;
      continue;
    }
    if (depth === 0 && (c === "|" || c === ">") && BLOCK.test(line.slice(i))) {
      const header = /^[|>][-+\d]*/.exec(line.slice(i))?.[0].length ?? 1;
      add(i, i + header, "meta");
      block = parent;
      i += header;
      continue;
    }
    if (c === "{" || c === "[") {
      add(i, i + 1, "punct");
      depth++;
      keyAllowed = true;
      i++;
      continue;
    }
    if (c === "}" || c === "]" || c === ",") {
      add(i, i + 1, "punct");
      if (c !== ",") depth = Math.max(0, depth - 1);
      keyAllowed = depth > 0;
      i++;
      continue;
    }
    if ((c === "?" || c === ":") && space(line[i + 1])) {
      add(i, i + 1, "punct");
      i++;
      keyAllowed = c === "?";
      continue;
    }
    if (c === "&" || c === "*" || c === "!") {
      let j = i + 1;
      while (j < line.length && !space(line[j]) && !(depth > 0 && ",[]{}".includes(line[j]))) j++;
      add(i, j, c === "!" ? "tag" : "anchor");
      i = j;
      continue;
    }
    // A scalar: quoted, or plain up to ` #`, `: ` (a key), or (in flow) `,]}`.
    let end: number;
    if (c === '"' || c === "'") end = quotedEnd(line, i);
    else {
      end = i;
      while (end < line.length) {
        const d = line[end];
        if (d === "#" && space(line[end - 1])) break;
        if (d === ":" && (space(line[end + 1]) || (depth > 0 && ",[]{}".includes(line[end + 1] ?? "")))) break;
        if (depth > 0 && ",[]{}".includes(d)) break;
        end++;
      }
      while (end > i && space(line[end - 1])) end--;
    }
    let after = end;
    while (space(line[after]) && after < line.length) after++;
    const isKey = keyAllowed && line[after] === ":" && (space(line[after + 1]) || (depth > 0 && ",]}".includes(line[after + 1] ?? "")));
    if (isKey) {
      add(i, end, "key");
      parent = i;
    } else if (c === '"' || c === "'") add(i, end, "string");
    else {
      const word = line.slice(i, end);
      if (NUMBER.test(word)) add(i, end, "number");
      else if (ATOM.test(word)) add(i, end, "atom");
    }
    keyAllowed = false;
    i = Math.max(end, i + 1);
  }
  return { tokens, block };
}

/** How far up [`blockParent`] looks for the header of a block scalar. */
const LOOK_UP = 5000;

/**
 * If line `n` is inside a block scalar, the column its content must go deeper than; else -1.
 * Looks up for the nearest less indented line: a block scalar header (`key: |`) with deeper
 * lines below it up to `n`, or another line (then `n` is no scalar's content).
 */
export function blockParent(doc: Text, n: number): number {
  const here = doc.line(n).text;
  let least = here.trim() ? indentOf(here) : Infinity;
  for (let k = n - 1; k >= 1 && k >= n - LOOK_UP; k--) {
    const text = doc.line(k).text;
    if (!text.trim()) continue;
    const ind = indentOf(text);
    if (ind >= least) continue;
    const { block } = tokenizeLine(text);
    if (block >= 0 && least > block) return block;
    if (ind === 0) return -1;
    least = ind;
  }
  return -1;
}

function decorate(view: EditorView): DecorationSet {
  const b = new RangeSetBuilder<Decoration>();
  const marks = new Map<TokenKind, Decoration | null>();
  const mark = (kind: TokenKind) => {
    if (!marks.has(kind)) {
      const cls = highlightingFor(view.state, [TAGS[kind]]);
      marks.set(kind, cls ? Decoration.mark({ class: cls }) : null);
    }
    return marks.get(kind) ?? null;
  };
  const doc = view.state.doc;
  let lastLine = 0;
  for (const { from, to } of view.visibleRanges) {
    let n = Math.max(doc.lineAt(from).number, lastLine + 1);
    const endLine = doc.lineAt(to).number;
    let block = n <= endLine ? blockParent(doc, n) : -1;
    for (; n <= endLine; n++) {
      const line = doc.line(n);
      const text = line.text;
      if (block >= 0) {
        if (!text.trim()) continue;
        const ind = indentOf(text);
        if (ind > block) {
          const m = mark("string");
          if (m) b.add(line.from + ind, line.to, m);
          continue;
        }
        block = -1;
      }
      const { tokens, block: opened } = tokenizeLine(text);
      for (const tok of tokens) {
        const m = mark(tok.kind);
        if (m) b.add(line.from + tok.from, line.from + tok.to, m);
      }
      block = opened;
    }
    lastLine = endLine;
  }
  return b.finish();
}

const highlighter = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = decorate(view);
    }
    update(u: ViewUpdate) {
      if (u.docChanged || u.viewportChanged || u.transactions.some((tr) => tr.reconfigured)) this.decorations = decorate(u.view);
    }
  },
  { decorations: (v) => v.decorations },
);

/** How many lines a fold looks at below its first line. */
const FOLD_LINES = 10000;

/** The last line of each line's block, by line number: the fold gutter asks for every line in
 * view on every update, and blocks nest, so each line's end is found once and reused. An edit
 * that keeps every line's number, indentation, blankness and list dash (typing inside a line)
 * keeps them all: a keystroke at the top of a 20,000-line block does not scan it again. */
const blockEnds = StateField.define<Map<number, number>>({
  create: () => new Map(),
  update(memo, tr) {
    if (!tr.docChanged) return memo;
    let same = true;
    tr.changes.iterChanges((fromA, toA, fromB, _toB, inserted) => {
      if (!same) return;
      if (inserted.lines > 1 || tr.startState.doc.sliceString(fromA, toA).includes("\n")) {
        same = false;
        return;
      }
      const shape = (text: string) => {
        const ind = indentOf(text);
        return `${ind}:${contentAt(text) < 0}:${text.startsWith("- ", ind)}`;
      };
      same = shape(tr.startState.doc.lineAt(fromA).text) === shape(tr.state.doc.lineAt(fromB).text);
    });
    return same ? memo : new Map();
  },
});

/**
 * The last line of line `n`'s block: the lines after it that are indented deeper (or, under a
 * `key:`, list items at the same indentation), blank lines inside it included; `n` when none.
 * One pass down the lines (a text cursor, not a lookup per line) settles the end of every
 * line of the block too.
 */
function blockEnd(doc: Text, n: number, memo: Map<number, number>): number {
  const known = memo.get(n);
  if (known !== undefined) return known;
  const stop = Math.min(doc.lines, n + FOLD_LINES);
  const first = doc.line(n).text;
  const firstIndent = indentOf(first);
  // Lines whose block is still open, outermost first.
  const open = [{ line: n, indent: firstIndent, item: first.slice(firstIndent).startsWith("- ") }];
  let lastText = n;
  let m = n + 1;
  for (const text of doc.iterLines(n + 1, stop + 1)) {
    const ind = contentAt(text);
    if (ind >= 0) {
      const dash = text.startsWith("- ", ind);
      for (let top = open[open.length - 1]; top; top = open[open.length - 1]) {
        if (ind > top.indent || (ind === top.indent && !top.item && dash)) break;
        memo.set(top.line, lastText);
        open.pop();
      }
      if (!open.length) break;
      open.push({ line: m, indent: ind, item: dash });
      lastText = m;
    }
    m++;
  }
  for (const o of open) memo.set(o.line, lastText);
  return memo.get(n) ?? n;
}

/** A line folds over its block (see [`blockEnd`]). */
function foldIndented(state: EditorState, lineStart: number): { from: number; to: number } | null {
  const doc = state.doc;
  const line = doc.lineAt(lineStart);
  if (contentAt(line.text) < 0) return null;
  const memo = state.field(blockEnds, false);
  const last = blockEnd(doc, line.number, memo ?? new Map());
  return last > line.number ? { from: line.to, to: doc.line(last).to } : null;
}

export function yamlLanguage(): Extension {
  return [highlighter, blockEnds, foldService.of((state, from) => foldIndented(state, from))];
}
