// DOM helpers. User text only ever reaches the DOM through textContent (resource names and
// every other part of a manifest are attacker-controlled).

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function must<T extends Element>(sel: string, root: ParentNode = document): T {
  const e = root.querySelector<T>(sel);
  if (!e) throw new Error(`missing ${sel}`);
  return e;
}

/** Text with Markdown-style `code` spans (as the rule docs write them) as text nodes and
 * `<code>` elements: a backtick never shows, nothing is parsed as HTML. */
export function prose<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string | undefined, text: string): HTMLElementTagNameMap[K] {
  const e = el(tag, cls);
  const parts = text.split("`");
  // An odd count of backticks leaves the last one as text.
  if (parts.length % 2 === 0) {
    parts[parts.length - 2] += "`" + parts.pop();
  }
  parts.forEach((p, i) => {
    if (!p) return;
    e.append(i % 2 ? el("code", undefined, p) : document.createTextNode(p));
  });
  return e;
}
