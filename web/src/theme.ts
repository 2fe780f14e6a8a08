// Light and dark editor themes; the page follows the system's choice and switches live.
import { Compartment, type Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";

const darkTheme = EditorView.theme(
  {
    "&": { backgroundColor: "#0b1220", color: "#e2e8f0" },
    ".cm-content": { caretColor: "#f8fafc" },
    ".cm-cursor, .cm-dropCursor": { borderLeftColor: "#f8fafc" },
    ".cm-gutters": { backgroundColor: "#111827", color: "#9ca3af", borderRight: "1px solid #334155" },
    ".cm-activeLine": { backgroundColor: "#1e293b66" },
    ".cm-activeLineGutter": { backgroundColor: "#1e293b" },
    "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection":
      { backgroundColor: "#3b4a63" },
    ".cm-tooltip": { backgroundColor: "#111827", color: "#e2e8f0", border: "1px solid #475569" },
    ".cm-diagnosticAction": { backgroundColor: "#2563eb" },
    ".cm-searchMatch": { backgroundColor: "#854d0e99" },
    ".cm-foldPlaceholder": { backgroundColor: "#334155", color: "#e2e8f0", border: "none" },
  },
  { dark: true },
);

const darkHighlight = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: "#93c5fd" },
  { tag: [t.string, t.special(t.string), t.content], color: "#86efac" },
  { tag: [t.number, t.integer, t.float], color: "#fcd34d" },
  { tag: [t.bool, t.null, t.atom, t.keyword], color: "#f9a8d4" },
  { tag: [t.comment, t.lineComment, t.blockComment], color: "#94a3b8", fontStyle: "italic" },
  { tag: [t.meta, t.labelName, t.typeName, t.attributeName, t.tagName], color: "#c4b5fd" },
  { tag: [t.punctuation, t.separator, t.bracket, t.squareBracket, t.brace], color: "#cbd5e1" },
]);

const dark: Extension = [darkTheme, syntaxHighlighting(darkHighlight)];

/** An extension that follows `prefers-color-scheme`, switching the editor when it changes. */
export function systemTheme(): { extension: Extension; attach(view: EditorView): void } {
  const slot = new Compartment();
  const query = matchMedia("(prefers-color-scheme: dark)");
  const pick = () => (query.matches ? dark : []);
  return {
    extension: slot.of(pick()),
    attach(view) {
      query.addEventListener("change", () => view.dispatch({ effects: slot.reconfigure(pick()) }));
    },
  };
}
