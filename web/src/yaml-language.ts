// The editor's YAML highlighting and folding. A line-by-line stream tokenizer (CodeMirror's
// legacy YAML mode) instead of @codemirror/lang-yaml's incremental parser: the page only
// colours the text (the checker does the reading), and that parser took about 11 ms of every
// keystroke on a 2,000-line manifest, with tasks over 50 ms while it caught up in the
// background (BENCHMARKS.md, "The page of issue #10"). A stream language re-tokenizes from the
// edited line to the end of the visible part only. Folding follows indentation.
import { StreamLanguage, foldService } from "@codemirror/language";
import { yaml as yamlMode } from "@codemirror/legacy-modes/mode/yaml";
import type { EditorState, Extension } from "@codemirror/state";

const language = StreamLanguage.define(yamlMode);

function indentOf(text: string): number {
  let n = 0;
  while (n < text.length && text.charCodeAt(n) === 32) n++;
  return n;
}

/** A line folds over the lines after it that are blank or indented deeper (up to 10,000). */
function foldIndented(state: EditorState, lineStart: number): { from: number; to: number } | null {
  const doc = state.doc;
  const line = doc.lineAt(lineStart);
  if (!line.text.trim()) return null;
  const indent = indentOf(line.text);
  let last = line.number;
  const stop = Math.min(doc.lines, line.number + 10000);
  for (let n = line.number + 1; n <= stop; n++) {
    const next = doc.line(n);
    if (!next.text.trim()) continue;
    // `- item` under `key:` at the same indentation belongs to the key.
    const deeper = indentOf(next.text) > indent || (next.text.slice(indent).startsWith("- ") && !line.text.slice(indent).startsWith("- ") && indentOf(next.text) === indent);
    if (!deeper) break;
    last = n;
  }
  return last > line.number ? { from: line.to, to: doc.line(last).to } : null;
}

export function yamlLanguage(): Extension {
  return [language, foldService.of((state, from) => foldIndented(state, from))];
}
