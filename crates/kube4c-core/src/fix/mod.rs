//! Fixes as text edits that keep the user's style.
//!
//! A [`Fix`] is a title, byte-range edits of the checked text and an [`Applicability`]. The
//! [`FixBuilder`] writes edits the way the surrounding YAML is written: block mappings get new
//! lines at their own indentation (the document's indentation step for nesting), flow mappings
//! and sequences get `, key: value` before their closing bracket, a replaced string keeps its
//! quotes, and comments stay where they are. A node reached through an alias or a merge key is
//! read at several places: an edit there changes all of them, so such a fix is display-only.

use serde::Serialize;

use crate::document::{NodeId, Span, Stream, Style, Value};

/// How far a fix may be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Applicability {
    /// Shown only: it edits text shared through an alias or merge key, or cannot be complete.
    Display,
    /// Correct, but it may change how the workload behaves: apply after review.
    Review,
    /// Safe to apply automatically.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Display => "display",
            Applicability::Review => "review",
            Applicability::Safe => "safe",
        }
    }
}

/// Replace `span` (empty: insert at `span.start`) with `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

/// A new scalar value.
#[derive(Debug, Clone, Copy)]
pub enum Scalar<'v> {
    Bool(bool),
    /// A string written plain when it can be (callers pass identifiers like `RuntimeDefault`).
    Str(&'v str),
    /// YAML written as is (`[ALL]`).
    Raw(&'v str),
}

impl Scalar<'_> {
    /// The value as YAML text: a string that plain would read as something else (`true`,
    /// `1.0`, `null`, `~`) or that plain cannot hold is double-quoted.
    fn plain(self) -> String {
        match self {
            Scalar::Bool(b) => b.to_string(),
            Scalar::Raw(s) => s.to_string(),
            Scalar::Str(s) => {
                let plain_ok = !s.is_empty()
                    && matches!(
                        crate::document::scalar::resolve_plain(s),
                        crate::document::Resolved::Str
                    )
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
                if plain_ok {
                    s.to_string()
                } else {
                    format!("{s:?}")
                }
            }
        }
    }
}

/// Builds the edits of one fix.
pub struct FixBuilder<'s, 'a> {
    s: &'s Stream<'a>,
    edits: Vec<Edit>,
    shared: bool,
    failed: bool,
    /// The input's indentation step, computed on first use (or handed over by the caller,
    /// which computes it once per check).
    step: Option<usize>,
}

impl<'s, 'a> FixBuilder<'s, 'a> {
    pub fn new(s: &'s Stream<'a>) -> Self {
        FixBuilder {
            s,
            edits: Vec::new(),
            shared: false,
            failed: false,
            step: None,
        }
    }

    /// A builder that uses an indentation step already measured (see [`indent_step`]).
    pub fn with_step(s: &'s Stream<'a>, step: usize) -> Self {
        FixBuilder {
            step: Some(step),
            ..FixBuilder::new(s)
        }
    }

    fn step(&mut self) -> usize {
        *self.step.get_or_insert_with(|| indent_step(self.s))
    }

    /// The fix, or `None` when an edit could not be written (a shape the builder does not
    /// handle is never guessed at). Shared text makes it display-only.
    pub fn finish(self, title: impl Into<String>, applicability: Applicability) -> Option<Fix> {
        if self.failed || self.edits.is_empty() {
            return None;
        }
        Some(Fix {
            title: title.into(),
            edits: self.edits,
            applicability: if self.shared {
                Applicability::Display
            } else {
                applicability
            },
        })
    }

    fn touch(&mut self, node: NodeId) {
        if self.s.node(node).shared {
            self.shared = true;
        }
    }

    /// Replace a scalar's value, keeping its quotes when it stays a string.
    pub fn set_scalar(&mut self, node: NodeId, value: Scalar) -> &mut Self {
        self.touch(node);
        let n = self.s.node(node);
        let text = match (value, n.style) {
            (Scalar::Str(v), Style::SingleQuoted) if !v.contains(['\'', '\\']) => format!("'{v}'"),
            (Scalar::Str(v), Style::DoubleQuoted) if !v.contains(['"', '\\']) => {
                format!("\"{v}\"")
            }
            (_, Style::Plain | Style::SingleQuoted | Style::DoubleQuoted) => value.plain(),
            // A block scalar, a collection or an alias key: not a plain replacement.
            _ => {
                self.failed = true;
                return self;
            }
        };
        if n.span.start == n.span.end {
            // An empty value (`key:`): write it after the colon.
            self.edits.push(Edit {
                span: n.span,
                text: format!(" {text}"),
            });
        } else {
            self.edits.push(Edit { span: n.span, text });
        }
        self
    }

    /// Make `keys` (a path below the mapping `map`) hold `value`: existing keys are followed,
    /// missing ones are inserted in the mapping's style, an existing leaf is replaced.
    pub fn set_path(&mut self, map: NodeId, keys: &[&str], value: Scalar) -> &mut Self {
        let s = self.s;
        let mut node = map;
        for (i, key) in keys.iter().enumerate() {
            self.touch(node);
            if !s.is_map(node) {
                if s.is_null(node) {
                    return self.fill_null(node, &keys[i..], value);
                }
                self.failed = true;
                return self;
            }
            match s.get_entry(node, key) {
                Some(e) => {
                    let own = s.span(node);
                    if s.span(e.key).start < own.start || s.span(e.key).end > own.end {
                        // The entry comes from a merge key: its text serves other mappings.
                        self.shared = true;
                    }
                    if i + 1 == keys.len() {
                        return self.set_scalar(e.value, value);
                    }
                    node = e.value;
                }
                None => return self.insert(node, &keys[i..], value),
            }
        }
        self.failed = true;
        self
    }

    /// Append an item to a sequence, quoted like its first item.
    pub fn push_item(&mut self, seq: NodeId, item: &str) -> &mut Self {
        let s = self.s;
        self.touch(seq);
        let items = s.items(seq);
        let quoted = match items.first().map(|&i| s.node(i).style) {
            Some(Style::DoubleQuoted) => format!("\"{item}\""),
            Some(Style::SingleQuoted) => format!("'{item}'"),
            _ => item.to_string(),
        };
        let span = s.span(seq);
        match s.node(seq).style {
            Style::FlowSeq => {
                let text = match items.last() {
                    Some(&last) => {
                        let at = s.span(last).end;
                        self.edits.push(Edit {
                            span: Span { start: at, end: at },
                            text: format!(", {quoted}"),
                        });
                        return self;
                    }
                    None => quoted,
                };
                // `[]`: inside the brackets.
                let at = span.start + 1;
                self.edits.push(Edit {
                    span: Span { start: at, end: at },
                    text,
                });
            }
            Style::BlockSeq => {
                let Some(&first) = items.first() else {
                    self.failed = true;
                    return self;
                };
                // The dash of the first item sets the column.
                let src = s.source.as_bytes();
                let mut dash = s.span(first).start as usize;
                while dash > 0 && src[dash - 1] != b'-' {
                    if src[dash - 1] == b'\n' {
                        self.failed = true;
                        return self;
                    }
                    dash -= 1;
                }
                let dash = dash.saturating_sub(1);
                let indent = column(s.source, dash);
                let after = s.span(first).start as usize - dash;
                let pad = " ".repeat(after.saturating_sub(1).max(1));
                let nl = newline(s.source);
                self.insert_lines(
                    span.end,
                    format!("{}-{pad}{quoted}{nl}", " ".repeat(indent)),
                );
            }
            _ => self.failed = true,
        }
        self
    }

    /// Insert `keys: value` (nested) as a new entry of the mapping `map`.
    fn insert(&mut self, map: NodeId, keys: &[&str], value: Scalar) -> &mut Self {
        let s = self.s;
        let span = s.span(map);
        match s.node(map).style {
            Style::FlowMap => {
                let text = flow_entry(keys, value);
                let own: Vec<_> = s
                    .entries(map)
                    .iter()
                    .filter(|e| s.span(e.key).start >= span.start)
                    .collect();
                let (at, text) = match own.iter().map(|e| s.span(e.value).end).max() {
                    Some(end) => (end, format!(", {text}")),
                    None => (span.start + 1, text),
                };
                self.edits.push(Edit {
                    span: Span { start: at, end: at },
                    text,
                });
            }
            Style::BlockMap => {
                let Some(first) = s
                    .entries(map)
                    .iter()
                    .map(|e| s.span(e.key).start)
                    .filter(|&k| k >= span.start && k <= span.end)
                    .min()
                else {
                    self.failed = true;
                    return self;
                };
                let indent = column(s.source, first as usize);
                let step = self.step();
                let text = block_entry(keys, value, indent, step, newline(s.source));
                self.insert_lines(span.end, text);
            }
            _ => self.failed = true,
        }
        self
    }

    /// Replace a null value (`key:` or `key: null`) with `keys: value`.
    fn fill_null(&mut self, null: NodeId, keys: &[&str], value: Scalar) -> &mut Self {
        let s = self.s;
        let span = s.span(null);
        if span.start == span.end {
            // `key:` with nothing after it: a block under the key, at the end of its line
            // (after any comment there).
            let line_start = s.source[..span.start as usize]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let key_col = s.source[line_start..span.start as usize]
                .find(|c: char| c != ' ' && c != '-')
                .unwrap_or(0);
            let nl = newline(s.source);
            let eol = line_end(s.source, span.start as usize);
            let step = self.step();
            let body = block_entry(keys, value, key_col + step, step, nl);
            let at = eol as u32;
            self.edits.push(Edit {
                span: Span { start: at, end: at },
                text: format!("{nl}{}", body.trim_end_matches(['\r', '\n'])),
            });
        } else {
            self.edits.push(Edit {
                span,
                text: format!("{{{}}}", flow_entry(keys, value)),
            });
        }
        self
    }

    /// Insert whole lines after the line where `end` falls (or at `end` when it starts a line).
    fn insert_lines(&mut self, end: u32, text: String) {
        let src = self.s.source;
        let end = end as usize;
        let at_line_start = end == 0 || src.as_bytes().get(end - 1) == Some(&b'\n');
        let (at, text) = if at_line_start {
            (end, text)
        } else {
            let eol = line_end(src, end);
            if eol == src.len() {
                (eol, format!("{}{text}", newline(src)))
            } else {
                // After the line break (`\n`, or `\r\n`).
                (
                    eol + if src[eol..].starts_with("\r\n") { 2 } else { 1 },
                    text,
                )
            }
        };
        let at = at as u32;
        self.edits.push(Edit {
            span: Span { start: at, end: at },
            text,
        });
    }
}

/// `a: {b: value}`.
fn flow_entry(keys: &[&str], value: Scalar) -> String {
    let mut out = value.plain();
    for (i, k) in keys.iter().enumerate().rev() {
        out = if i + 1 == keys.len() {
            format!("{k}: {out}")
        } else {
            format!("{k}: {{{out}}}")
        };
    }
    out
}

/// `a:\n  b: value\n` at `indent`, nesting by `step`.
fn block_entry(keys: &[&str], value: Scalar, indent: usize, step: usize, nl: &str) -> String {
    let mut out = String::new();
    for (i, k) in keys.iter().enumerate() {
        out.push_str(&" ".repeat(indent + i * step));
        out.push_str(k);
        out.push(':');
        if i + 1 == keys.len() {
            out.push(' ');
            out.push_str(&value.plain());
        }
        out.push_str(nl);
    }
    out
}

/// The byte offset of the end of the line holding `at` (its `\r\n` or `\n`, or the end).
fn line_end(src: &str, at: usize) -> usize {
    match src[at.min(src.len())..].find('\n') {
        Some(i) => {
            let nl = at + i;
            if nl > 0 && src.as_bytes()[nl - 1] == b'\r' {
                nl - 1
            } else {
                nl
            }
        }
        None => src.len(),
    }
}

/// Characters between the start of the line and `at` (indentation is spaces and dashes).
fn column(src: &str, at: usize) -> usize {
    let start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    src[start..at].chars().count()
}

fn newline(src: &str) -> &'static str {
    match src.find('\n') {
        Some(i) if i > 0 && src.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The document's indentation step: the first block mapping nested in another block mapping
/// says how far this author indents (2 when nothing does).
pub fn indent_step(s: &Stream) -> usize {
    indent_step_within(s, INDENT_NODES).unwrap_or(2)
}

/// How many nodes from the start of a stream [`indent_step`] looks at.
pub(crate) const INDENT_NODES: usize = 4096;

/// The step [`indent_step`] finds among the first `limit` nodes, if any.
pub(crate) fn indent_step_within(s: &Stream, limit: usize) -> Option<usize> {
    for n in s.nodes.iter().take(limit) {
        if n.style != Style::BlockMap {
            continue;
        }
        let Value::Map { start, len } = n.value else {
            continue;
        };
        for e in &s.entries[start as usize..(start + len) as usize] {
            let v = s.node(e.value);
            if v.style == Style::BlockMap {
                let parent = column(s.source, s.span(e.key).start as usize);
                let child = column(s.source, v.span.start as usize);
                if child > parent && s.span(e.key).start >= n.span.start {
                    return Some(child - parent);
                }
            }
        }
    }
    None
}

/// Apply the fixes of at least `min` applicability whose edits do not overlap an edit already
/// taken (insertions at the same offset count as overlapping: two fixes creating the same key
/// would write it twice). Returns the new text and how many fixes were applied; run the check
/// again and repeat for the rest (see [`crate::fix_all`]).
pub fn apply<'f>(
    text: &str,
    fixes: impl IntoIterator<Item = &'f Fix>,
    min: Applicability,
) -> (String, usize) {
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        if fix.applicability < min {
            continue;
        }
        let clashes = fix.edits.iter().any(|e| {
            taken.iter().any(|t| {
                e.span.start < t.span.end && t.span.start < e.span.end
                    || e.span.start == t.span.start
                    || (e.span.start == e.span.end
                        && t.span.start < e.span.start
                        && e.span.start < t.span.end)
                    || (t.span.start == t.span.end
                        && e.span.start < t.span.start
                        && t.span.start < e.span.end)
            })
        });
        let in_text = fix.edits.iter().all(|e| {
            (e.span.end as usize) <= text.len()
                && text.is_char_boundary(e.span.start as usize)
                && text.is_char_boundary(e.span.end as usize)
        });
        if clashes || !in_text {
            continue;
        }
        taken.extend(&fix.edits);
        applied += 1;
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0usize;
    for e in taken {
        out.push_str(&text[pos..e.span.start as usize]);
        out.push_str(&e.text);
        pos = e.span.end as usize;
    }
    out.push_str(&text[pos..]);
    (out, applied)
}

/// A unified diff of `before` -> `after` with one line of context (what the CLI prints).
pub fn diff(before: &str, after: &str) -> String {
    let a: Vec<&str> = before.split_inclusive('\n').collect();
    let b: Vec<&str> = after.split_inclusive('\n').collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let ctx_start = prefix.saturating_sub(1);
    let trailing = usize::from(suffix > 0);
    let mut out = format!(
        "@@ -{},{} +{},{} @@\n",
        ctx_start + 1,
        a.len() - suffix - ctx_start + trailing,
        ctx_start + 1,
        b.len() - suffix - ctx_start + trailing
    );
    let line = |out: &mut String, mark: char, l: &str| {
        out.push(mark);
        out.push_str(l.trim_end_matches(['\n', '\r']));
        out.push('\n');
    };
    for l in &a[ctx_start..prefix] {
        line(&mut out, ' ', l);
    }
    for l in &a[prefix..a.len() - suffix] {
        line(&mut out, '-', l);
    }
    for l in &b[prefix..b.len() - suffix] {
        line(&mut out, '+', l);
    }
    if let Some(l) = a.get(a.len() - suffix) {
        line(&mut out, ' ', l);
    }
    out
}

#[cfg(test)]
mod tests;
