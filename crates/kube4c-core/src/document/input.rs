//! What kubectl does before YAML (`kubectl apply -f`, k8s.io/cli-runtime's FileVisitor and
//! StreamVisitor over apimachinery's `YAMLOrJSONDecoder`), so the CLI and the page read the
//! same documents the API server receives:
//!
//! - bytes: a UTF-16 file with a BOM (what Windows PowerShell writes) is decoded, a UTF-8 BOM
//!   dropped ([`decode`]);
//! - JSON or YAML is decided by content: when the first non-space character of the first 4,096
//!   bytes is `{`, the input is a stream of JSON values (what `jq -c` writes); if the first value
//!   is not valid JSON the whole input is read as YAML, and after one good value the rest is;
//! - YAML is cut into documents by lines before any YAML is read: a line that starts with `---`
//!   separates documents, and must hold nothing after the dashes but blanks or a comment
//!   (kubectl stops with "invalid Yaml document separator" otherwise). Each part is then read as
//!   one YAML stream of which only the first document counts (`yaml.Unmarshal`).

use super::Span;

/// One piece of the input, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// `text[start..end]` is one YAML part (as kubectl's YAMLReader returns it).
    Yaml { start: usize, end: usize },
    /// `text[start..end]` is one JSON value of a JSON stream.
    Json { start: usize, end: usize },
    /// kubectl stops reading the file here; kube4c reports it and reads on.
    Error { message: String, span: Span },
}

/// kubectl's sniff: the first 4,096 bytes, blanks skipped, start with `{`.
pub(crate) fn looks_like_json(text: &str) -> bool {
    let head = match text.get(..4096.min(text.len())) {
        Some(h) => h,
        None => {
            let mut n = 4096;
            while !text.is_char_boundary(n) {
                n -= 1;
            }
            &text[..n]
        }
    };
    head.trim_start_matches(char::is_whitespace)
        .starts_with('{')
}

/// Cut the input into the pieces kubectl reads.
pub fn split(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut from = 0;
    if looks_like_json(text) {
        let mut good = 0usize;
        let mut at = skip_json_space(text, 0);
        while at < text.len() {
            match json_value_end(text, at) {
                Ok(end) => {
                    out.push(Piece::Json { start: at, end });
                    good += 1;
                    // kubectl's decoder has consumed up to the value's end, not the blanks after.
                    from = end;
                    at = skip_json_space(text, end);
                }
                Err((message, pos)) => {
                    let error = Piece::Error {
                        message: format!(
                            "invalid JSON in a JSON stream ({message}): kubectl stops reading this file here"
                        ),
                        span: Span::new(pos, next_char_end(text, pos)),
                    };
                    if good > 1 {
                        out.push(error);
                        return out;
                    }
                    // kubectl reads the rest (all of it when the first value failed) as YAML,
                    // after skipping blanks up to the first line feed; it looks 4 bytes ahead
                    // for each of them and gives up (reporting the JSON error) when fewer are
                    // left.
                    let mut pos = from;
                    loop {
                        // U+FFFD is Go's RuneError: refused there even when well encoded.
                        let Some(c) = text[pos..]
                            .chars()
                            .next()
                            .filter(|&c| text.len() - pos >= 4 && c != '\u{FFFD}')
                        else {
                            out.push(error);
                            return out;
                        };
                        if !c.is_whitespace() {
                            break;
                        }
                        pos += c.len_utf8();
                        if c == '\n' {
                            break;
                        }
                    }
                    from = pos;
                    break;
                }
            }
        }
        if at >= text.len() {
            return out;
        }
    }
    split_yaml(text, from, &mut out);
    out
}

fn next_char_end(text: &str, pos: usize) -> usize {
    text.get(pos..)
        .and_then(|s| s.chars().next())
        .map_or(pos, |c| pos + c.len_utf8())
}

/// apimachinery's YAMLReader: documents are separated by lines that start with `---`.
fn split_yaml(text: &str, from: usize, out: &mut Vec<Piece>) {
    split_yaml_until(text, from, out, |_| false);
}

/// [`split_yaml`] from `from`, a line where a part starts with nothing of it read yet (the
/// start of the text, or a part's start in an earlier split of a text equal up to there), up
/// to the first such line `at` for which `resume(at)` holds: the split of what follows is
/// then decided by the text from `at` alone. Returns that line, or `None` at the end.
pub(crate) fn split_yaml_until(
    text: &str,
    from: usize,
    out: &mut Vec<Piece>,
    mut resume: impl FnMut(usize) -> bool,
) -> Option<usize> {
    let b = text.as_bytes();
    let mut part_start = from;
    let mut line_start = from;
    while line_start < b.len() {
        if line_start == part_start && resume(line_start) {
            return Some(line_start);
        }
        let line_end = memchr_nl(b, line_start).unwrap_or(b.len());
        let line = &text[line_start..line_end];
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                let off = line_start + 3 + (rest.len() - rest.trim_start().len());
                out.push(Piece::Error {
                    message: format!(
                        "invalid Yaml document separator: `{}`: kubectl accepts only blanks or a comment after `---` and stops reading this file here",
                        shorten(trimmed)
                    ),
                    span: Span::new(off, off + trimmed.len()),
                });
            }
            // With nothing read yet, YAMLReader keeps the separator line: it starts the next
            // part, and the YAML reader sees it as a document start (so a BOM after it is no
            // longer at the start of the stream).
            if line_start > part_start {
                out.push(Piece::Yaml {
                    start: part_start,
                    end: line_start,
                });
                part_start = (line_end + 1).min(b.len());
            }
        }
        line_start = line_end + 1;
    }
    if b.len() > part_start {
        out.push(Piece::Yaml {
            start: part_start,
            end: b.len(),
        });
    }
    None
}

fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

fn memchr_nl(b: &[u8], from: usize) -> Option<usize> {
    crate::position::find_byte(b, from, b'\n')
}

fn skip_json_space(text: &str, mut at: usize) -> usize {
    let b = text.as_bytes();
    while at < b.len() && matches!(b[at], b' ' | b'\t' | b'\n' | b'\r') {
        at += 1;
    }
    at
}

/// The deepest JSON kube4c reads (the YAML reader's limit too): deeper input fails closed.
const JSON_NESTING: usize = 1000;

/// The end of the JSON value starting at `at` (strict RFC 8259, as Go's encoding/json), or
/// what is wrong and where. Iterative: depth is a counter, not recursion.
pub fn json_value_end(text: &str, mut at: usize) -> Result<usize, (&'static str, usize)> {
    let b = text.as_bytes();
    // Stack of open containers: b'{' or b'['; `expect_value` says whether a value must follow.
    let mut stack: Vec<u8> = Vec::new();
    loop {
        at = skip_json_space(text, at);
        // A value.
        match b.get(at) {
            Some(b'{') => {
                at = skip_json_space(text, at + 1);
                if b.get(at) == Some(&b'}') {
                    at += 1;
                } else {
                    if stack.len() >= JSON_NESTING {
                        return Err(("nesting too deep", at));
                    }
                    stack.push(b'{');
                    at = json_key(text, at)?;
                    continue;
                }
            }
            Some(b'[') => {
                at = skip_json_space(text, at + 1);
                if b.get(at) == Some(&b']') {
                    at += 1;
                } else {
                    if stack.len() >= JSON_NESTING {
                        return Err(("nesting too deep", at));
                    }
                    stack.push(b'[');
                    continue;
                }
            }
            Some(b'"') => at = json_string(text, at)?,
            Some(b't') if b[at..].starts_with(b"true") => at += 4,
            Some(b'f') if b[at..].starts_with(b"false") => at += 5,
            Some(b'n') if b[at..].starts_with(b"null") => at += 4,
            Some(b'-' | b'0'..=b'9') => at = json_number(b, at)?,
            Some(_) => return Err(("invalid character looking for beginning of value", at)),
            None => return Err(("unexpected end of JSON input", at)),
        }
        // After a value: close containers or move to the next element.
        loop {
            let Some(&top) = stack.last() else {
                return Ok(at);
            };
            at = skip_json_space(text, at);
            match (top, b.get(at)) {
                (b'{', Some(b',')) => {
                    at = json_key(text, skip_json_space(text, at + 1))?;
                    break;
                }
                (b'[', Some(b',')) => {
                    at += 1;
                    break;
                }
                (b'{', Some(b'}')) | (b'[', Some(b']')) => {
                    stack.pop();
                    at += 1;
                }
                (_, None) => return Err(("unexpected end of JSON input", at)),
                _ => return Err(("invalid character after a value", at)),
            }
        }
    }
}

/// A key and its colon; returns where the value starts.
fn json_key(text: &str, at: usize) -> Result<usize, (&'static str, usize)> {
    if text.as_bytes().get(at) != Some(&b'"') {
        return Err((
            "invalid character looking for beginning of object key string",
            at,
        ));
    }
    let at = skip_json_space(text, json_string(text, at)?);
    if text.as_bytes().get(at) != Some(&b':') {
        return Err(("invalid character after object key", at));
    }
    Ok(at + 1)
}

fn json_string(text: &str, at: usize) -> Result<usize, (&'static str, usize)> {
    let b = text.as_bytes();
    let mut i = at + 1;
    while i < b.len() {
        match b[i] {
            b'"' => return Ok(i + 1),
            b'\\' => match b.get(i + 1) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                Some(b'u') => {
                    if b.len() < i + 6 || !b[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit) {
                        return Err(("invalid character in \\u hexadecimal character escape", i));
                    }
                    i += 6;
                }
                _ => return Err(("invalid character in string escape code", i)),
            },
            c if c < 0x20 => return Err(("invalid character in string literal", i)),
            _ => i += 1,
        }
    }
    Err(("unexpected end of JSON input", b.len()))
}

fn json_number(b: &[u8], mut i: usize) -> Result<usize, (&'static str, usize)> {
    let digits = |i: &mut usize| {
        let s = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - s
    };
    if b[i] == b'-' {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return Err(("invalid character in numeric literal", i)),
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return Err((
                "invalid character after decimal point in numeric literal",
                i,
            ));
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return Err(("invalid character in exponent of numeric literal", i));
        }
    }
    Ok(i)
}

/// Bytes of a file to text as kubectl's FileVisitor decodes them: a UTF-16 BOM (either order)
/// selects UTF-16, a UTF-8 BOM is dropped, anything else is UTF-8. Invalid sequences become
/// U+FFFD and are reported by the caller (the API server would reject such a document).
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    /// "UTF-16LE" / "UTF-16BE" when the file was UTF-16.
    pub encoding: Option<&'static str>,
    /// Byte offsets (in `text`) of replacement characters that stand for invalid input.
    pub invalid: Vec<usize>,
    /// The file started with a UTF-8 BOM: kubectl then passes the bytes through unchanged, so
    /// the YAML reader refuses a document holding invalid UTF-8 (without the BOM they are
    /// replaced by U+FFFD and read).
    pub strict: bool,
}

/// Bytes to text as Go replaces invalid UTF-8 (x/text's decoder, encoding/json): one U+FFFD
/// for every byte that does not start a valid sequence. Returns the text and where each
/// replacement stands.
pub fn go_lossy(bytes: &[u8]) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(bytes.len());
    let mut invalid = Vec::new();
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        for _ in chunk.invalid() {
            invalid.push(text.len());
            text.push('\u{FFFD}');
        }
    }
    (text, invalid)
}

pub fn decode(bytes: &[u8]) -> Decoded {
    let utf16 = match bytes {
        [0xFF, 0xFE, rest @ ..] => Some((rest, false, "UTF-16LE")),
        [0xFE, 0xFF, rest @ ..] => Some((rest, true, "UTF-16BE")),
        _ => None,
    };
    if let Some((rest, be, name)) = utf16 {
        // As golang.org/x/text's UTF-16 decoder (kubectl's BOMOverride): a surrogate followed
        // by a trailing surrogate (DC00-DFFF) is taken as a pair, valid or not (U+FFFD); any
        // other surrogate is U+FFFD; an odd last byte is U+FFFD.
        let unit = |i: usize| {
            let (a, b) = (rest[i], rest[i + 1]);
            u32::from(if be {
                u16::from_be_bytes([a, b])
            } else {
                u16::from_le_bytes([a, b])
            })
        };
        let mut text = String::with_capacity(rest.len() / 2);
        let mut invalid = Vec::new();
        let mut i = 0;
        while i + 1 < rest.len() {
            let u = unit(i);
            let mut c = char::from_u32(u);
            i += 2;
            if (0xD800..0xE000).contains(&u) {
                c = None;
                if i + 1 < rest.len() && (0xDC00..0xE000).contains(&unit(i)) {
                    let low = unit(i);
                    i += 2;
                    if (0xD800..0xDC00).contains(&u) {
                        c = char::from_u32(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
                    }
                }
            }
            match c {
                Some(c) => text.push(c),
                None => {
                    invalid.push(text.len());
                    text.push('\u{FFFD}');
                }
            }
        }
        if i < rest.len() {
            invalid.push(text.len());
            text.push('\u{FFFD}');
        }
        return Decoded {
            text,
            encoding: Some(name),
            invalid,
            strict: false,
        };
    }
    let strict = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => Decoded {
            text: s.to_string(),
            encoding: None,
            invalid: Vec::new(),
            strict,
        },
        Err(_) => {
            let (text, invalid) = go_lossy(body);
            Decoded {
                text,
                encoding: None,
                invalid,
                strict,
            }
        }
    }
}

/// The events of one JSON value (already validated by [`json_value_end`]), as the YAML parser
/// would give them for the same data: JSON strings are read by JSON's rules (no line folding,
/// `\/`, surrogate pairs; a lone surrogate becomes U+FFFD as Go's decoder makes it), literals
/// and numbers as plain scalars. Iterative, like everything else here.
pub fn json_events(text: &str, start: usize, end: usize) -> Vec<kube4c_yaml::Event<'_>> {
    use kube4c_yaml::{Event, EventKind, Mark, ScalarStyle};
    use std::borrow::Cow;
    let b = text.as_bytes();
    let mark = |pos: usize| Mark {
        pos,
        ..Mark::default()
    };
    let ev = |kind, s: usize, e: usize| Event {
        kind,
        start: mark(s),
        end: mark(e),
    };
    let mut out = vec![
        ev(EventKind::StreamStart, start, start),
        ev(EventKind::DocumentStart { explicit: false }, start, start),
    ];
    let mut i = start;
    while i < end {
        match b[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' => i += 1,
            b'{' => {
                out.push(ev(
                    EventKind::MappingStart {
                        anchor: None,
                        tag: None,
                        flow: true,
                    },
                    i,
                    i + 1,
                ));
                i += 1;
            }
            b'[' => {
                out.push(ev(
                    EventKind::SequenceStart {
                        anchor: None,
                        tag: None,
                        flow: true,
                    },
                    i,
                    i + 1,
                ));
                i += 1;
            }
            b'}' => {
                out.push(ev(EventKind::MappingEnd, i, i + 1));
                i += 1;
            }
            b']' => {
                out.push(ev(EventKind::SequenceEnd, i, i + 1));
                i += 1;
            }
            b'"' => {
                let close = json_string(text, i).unwrap_or(end);
                let raw = &text[i + 1..close.saturating_sub(1).max(i + 1)];
                let value = if raw.contains('\\') {
                    Cow::Owned(json_unescape(raw))
                } else {
                    Cow::Borrowed(raw)
                };
                out.push(ev(
                    EventKind::Scalar {
                        value,
                        style: ScalarStyle::DoubleQuoted,
                        anchor: None,
                        tag: None,
                        plain_implicit: false,
                    },
                    i,
                    close,
                ));
                i = close;
            }
            _ => {
                let from = i;
                while i < end
                    && !matches!(
                        b[i],
                        b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' | b']' | b'}'
                    )
                {
                    i += 1;
                }
                out.push(ev(
                    EventKind::Scalar {
                        value: Cow::Borrowed(&text[from..i]),
                        style: ScalarStyle::Plain,
                        anchor: None,
                        tag: None,
                        plain_implicit: true,
                    },
                    from,
                    i,
                ));
            }
        }
    }
    out.push(ev(EventKind::DocumentEnd { explicit: false }, end, end));
    out.push(ev(EventKind::StreamEnd, end, end));
    out
}

fn json_unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    let hex4 = |chars: &mut std::str::Chars| -> Option<u32> {
        let h: String = chars.by_ref().take(4).collect();
        u32::from_str_radix(&h, 16).ok()
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let Some(u) = hex4(&mut chars) else {
                    out.push('\u{FFFD}');
                    continue;
                };
                if (0xD800..0xDC00).contains(&u) {
                    let rest = chars.as_str();
                    if let Some(low) = rest
                        .strip_prefix("\\u")
                        .and_then(|r| r.get(..4))
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .filter(|l| (0xDC00..0xE000).contains(l))
                    {
                        chars = rest[6..].chars();
                        let c = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
                        out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                        continue;
                    }
                }
                out.push(char::from_u32(u).unwrap_or('\u{FFFD}'));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml_parts(text: &str) -> Vec<&str> {
        split(text)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Yaml { start, end } => Some(&text[start..end]),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn separators_are_lines_starting_with_three_dashes() {
        assert_eq!(yaml_parts("a: 1\n---\nb: 2\n"), ["a: 1\n", "b: 2\n"]);
        // A separator with nothing before it stays in the next part.
        assert_eq!(yaml_parts("---\n---\na: 1"), ["---\n", "a: 1"]);
        assert_eq!(yaml_parts("---\na: 1\n"), ["---\na: 1\n"]);
        assert_eq!(
            yaml_parts("a: |\n  x\n---  # c\n  y\n"),
            ["a: |\n  x\n", "  y\n"]
        );
        // Not at the start of a line: not a separator.
        assert_eq!(yaml_parts("a: 1\n ---\n"), ["a: 1\n ---\n"]);
    }

    #[test]
    fn content_after_a_separator_is_an_error_kubectl_stops_at() {
        let p = split("a: 1\n--- {b: 2}\nc: 3\n");
        assert!(matches!(&p[0], Piece::Error { message, .. } if message.contains("separator")));
        let p = split("----\na: 1\n");
        assert!(matches!(&p[0], Piece::Error { .. }));
    }

    #[test]
    fn json_streams() {
        let t = "{\"a\":1}\n{\"b\":[1,2,{\"c\":\"x\\\"}\"}]}  {}";
        let p = split(t);
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p.iter().all(|p| matches!(p, Piece::Json { .. })));
        // The first value is not JSON: everything is YAML.
        assert_eq!(yaml_parts("{a: 1}\nb: 2\n"), ["{a: 1}\nb: 2\n"]);
        // One good value, then YAML for the rest.
        let p = split("{\"a\":1}\nb: 2\n");
        assert!(matches!(p[0], Piece::Json { .. }));
        assert!(matches!(p[1], Piece::Yaml { .. }));
        // Two good values, then garbage: an error.
        let p = split("{} {} x");
        assert!(matches!(p[2], Piece::Error { .. }));
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut le = vec![0xFF, 0xFE];
        for u in "kind: Pod\n".encode_utf16() {
            le.extend(u.to_le_bytes());
        }
        let d = decode(&le);
        assert_eq!(d.text, "kind: Pod\n");
        assert_eq!(d.encoding, Some("UTF-16LE"));
        let mut be = vec![0xFE, 0xFF];
        for u in "a: é\n".encode_utf16() {
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decode(&be).text, "a: é\n");
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1").text, "a: 1");
        assert_eq!(decode(b"a: \xFF").invalid, vec![3]);
    }
}
