//! Text -> tokens, with YAML 1.1's character classes and simple-key rules as go-yaml v2 applies
//! them (each behaviour noted here was checked against Kubernetes' own reader, see
//! `tests/k8s-oracle` and `tests/k8s-yaml/TABLE.md`):
//!
//! - line breaks are LF, CR, CRLF, NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH
//!   SEPARATOR (U+2029); in scalar content LF/CR/CRLF/NEL fold to `\n`, LS and PS stay;
//! - only a BOM at the very start is skipped; elsewhere U+FEFF is an ordinary character;
//! - a character outside YAML 1.1's printable set (C0 and C1 controls but TAB, LF, CR, NEL;
//!   DEL; U+FFFE/U+FFFF) anywhere in the document makes it unreadable;
//! - a tab is whitespace between tokens only where a simple key cannot start (after `key:` on
//!   the same line, inside flow collections), otherwise it cannot start a token;
//! - a simple key (`key:` without `?`) must fit on one line and within 1,024 characters, and
//!   after a `key:` no second simple key may start on the same line;
//! - in a plain scalar, `:` ends it only before a blank; in flow context `,?[]{}` end it too;
//! - tags take URI characters, `,`, `[` and `]` included, with `%xx` escapes decoded, and must
//!   be followed by a blank or a line break even in flow context;
//! - double-quoted escapes are YAML 1.1's plus `\'` (but not `\/`).
//!
//! The scanner never recurses; nesting is bounded by [`Limits::nesting`].

use std::borrow::Cow;
use std::collections::VecDeque;

use crate::{Error, Limits};

/// A position in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    /// Byte offset.
    pub pos: usize,
    /// Character offset (simple keys are limited in characters).
    pub index: usize,
    /// 0-based line, counting every YAML line break.
    pub line: usize,
    /// 0-based column in characters.
    pub col: usize,
}

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok<'a> {
    StreamStart,
    StreamEnd,
    VersionDirective,
    TagDirective(Cow<'a, str>, Cow<'a, str>),
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias(&'a str),
    Anchor(&'a str),
    /// Handle and suffix, as written (the parser resolves the handle).
    Tag(Cow<'a, str>, Cow<'a, str>),
    Scalar(Cow<'a, str>, ScalarStyle),
}

#[derive(Debug, Clone)]
pub(crate) struct Token<'a> {
    pub kind: Tok<'a>,
    pub start: Mark,
    pub end: Mark,
}

#[derive(Debug, Clone, Copy, Default)]
struct SimpleKey {
    possible: bool,
    required: bool,
    token_number: usize,
    mark: Mark,
}

pub(crate) struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    end: usize,
    m: Mark,
    tokens: VecDeque<Token<'a>>,
    tokens_parsed: usize,
    stream_start_produced: bool,
    stream_end_produced: bool,
    indent: isize,
    indents: Vec<isize>,
    flow_level: usize,
    simple_key_allowed: bool,
    simple_keys: Vec<SimpleKey>,
    limits: Limits,
    failed: bool,
    /// A character outside the printable set, and the 512-byte block of the reader's input it
    /// falls in (see [`Scanner::reader_block`]).
    unprintable: Option<(usize, usize, usize, String)>,
    /// Where each CR LF's CR stands (kubectl drops it before the YAML reader counts bytes).
    crlf: Vec<usize>,
    start: usize,
}

type R<T> = Result<T, Error>;

#[inline]
fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

#[inline]
fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Blank, break, or the end of input (read as NUL).
#[inline]
fn is_blankz(c: char) -> bool {
    is_blank(c) || is_break(c) || c == '\0'
}

#[inline]
fn is_breakz(c: char) -> bool {
    is_break(c) || c == '\0'
}

#[inline]
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn is_uri_char(c: char) -> bool {
    is_word(c)
        || matches!(
            c,
            ';' | '/'
                | '?'
                | ':'
                | '@'
                | '&'
                | '='
                | '+'
                | '$'
                | ','
                | '.'
                | '!'
                | '~'
                | '*'
                | '\''
                | '('
                | ')'
                | '['
                | ']'
                | '%'
        )
}

/// Line folding in flow and plain scalars: a single line feed becomes a space, more line
/// breaks stay as the breaks after the first; LS and PS are kept as they are.
fn fold(out: &mut String, leading_break: &mut String, trailing_breaks: &mut String) {
    if leading_break.starts_with('\n') {
        if trailing_breaks.is_empty() {
            out.push(' ');
        } else {
            out.push_str(trailing_breaks);
        }
    } else {
        out.push_str(leading_break);
        out.push_str(trailing_breaks);
    }
    leading_break.clear();
    trailing_breaks.clear();
}

/// YAML 1.1's printable set, as the reader enforces it before scanning.
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The first character outside the printable set, with its byte offset.
pub(crate) fn first_unprintable(text: &str) -> Option<(usize, char)> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if x < 0x80 {
            if (x < 0x20 && x != b'\t' && x != b'\n' && x != b'\r') || x == 0x7F {
                return Some((i, x as char));
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or('\0');
        if !printable(c) {
            return Some((i, c));
        }
        i += c.len_utf8();
    }
    None
}

impl<'a> Scanner<'a> {
    /// Scan `text[start..end]`; marks are absolute byte offsets into `text`, lines and columns
    /// are counted from `start`.
    pub fn new(text: &'a str, start: usize, end: usize, limits: Limits) -> Scanner<'a> {
        Scanner {
            text,
            bytes: text.as_bytes(),
            end,
            m: Mark {
                pos: start,
                ..Mark::default()
            },
            tokens: VecDeque::new(),
            tokens_parsed: 0,
            stream_start_produced: false,
            stream_end_produced: false,
            indent: -1,
            indents: Vec::new(),
            flow_level: 0,
            simple_key_allowed: false,
            simple_keys: Vec::new(),
            limits,
            failed: false,
            unprintable: None,
            crlf: Vec::new(),
            start,
        }
        .with_unprintable()
    }

    fn with_unprintable(mut self) -> Self {
        if let Some((at, c)) = first_unprintable(&self.text[self.start..self.end]) {
            self.refuse(
                self.start + at,
                c.len_utf8(),
                format!(
                    "control characters are not allowed (U+{:04X}): Kubernetes cannot read this document",
                    c as u32
                ),
            );
        }
        self
    }

    /// Refuse the document when the reader reaches byte `at` (the earliest such place wins).
    pub fn refuse(&mut self, at: usize, len: usize, message: String) {
        if self.unprintable.as_ref().is_some_and(|u| u.0 <= at) {
            return;
        }
        let b = self.bytes;
        self.crlf = (self.start..at)
            .filter(|&i| b[i] == b'\r' && b.get(i + 1) == Some(&b'\n'))
            .collect();
        let block = self.reader_block(at);
        self.unprintable = Some((at, len, block, message));
    }

    /// libyaml's reader (as go-yaml has it) decodes and checks its input 512 raw bytes at a
    /// time, as far as the scanner has asked: a control character is refused once the block
    /// holding it is read, so one far past the end of the document kubectl reads is not. The
    /// offset is in the text kubectl hands over (each CR of a CR LF dropped).
    fn reader_block(&self, pos: usize) -> usize {
        let dropped = self.crlf.partition_point(|&i| i < pos);
        (pos - self.start - dropped) / 512
    }

    /// Refuse the document once the reader has reached the block of an unprintable character.
    fn check_reader(&mut self) -> R<()> {
        if let Some((at, len, block, message)) = &self.unprintable {
            let reach = (self.m.pos + 4).min(self.end.max(self.start + 1) - 1);
            if self.reader_block(reach) >= *block {
                let e = Error {
                    message: message.clone(),
                    start: *at,
                    end: at + len,
                };
                self.failed = true;
                return Err(e);
            }
        }
        Ok(())
    }

    pub fn mark(&self) -> Mark {
        self.m
    }

    // ---- characters ---------------------------------------------------------------------

    /// The character at byte `at`, or NUL at the end. A NUL in the text is read as U+FFFF (a
    /// non-character: content, never a blank, break or end), so no loop mistakes it for the
    /// end of input; the reader check refuses the document for it (`check_reader`).
    #[inline]
    fn char_at(&self, at: usize) -> char {
        if at >= self.end {
            return '\0';
        }
        let x = self.bytes[at];
        if x.wrapping_sub(1) < 0x7F {
            x as char
        } else {
            self.char_at_slow(at)
        }
    }

    /// [`Scanner::char_at`] of a NUL or a byte beyond ASCII: kept out of line, so the ASCII
    /// path inlines into the scanning loops.
    #[cold]
    #[inline(never)]
    fn char_at_slow(&self, at: usize) -> char {
        if self.bytes[at] == 0 {
            '\u{FFFF}'
        } else {
            self.text[at..].chars().next().unwrap_or('\0')
        }
    }

    #[inline]
    fn c(&self) -> char {
        self.char_at(self.m.pos)
    }

    /// The width in bytes of the character at `at` (1 for a NUL, which `char_at` shows as
    /// U+FFFF).
    #[inline]
    fn width(&self, at: usize) -> usize {
        match self.bytes.get(at) {
            Some(0) | None => 1,
            Some(_) => self.char_at(at).len_utf8(),
        }
    }

    /// The character after the current one.
    #[inline]
    fn c1(&self) -> char {
        self.char_at(self.m.pos + self.width(self.m.pos))
    }

    /// The n-th character from here (ASCII lookahead for document markers).
    fn nth_ascii(&self, n: usize) -> char {
        let mut at = self.m.pos;
        for _ in 0..n {
            if self.char_at(at) == '\0' {
                return '\0';
            }
            at += self.width(at);
        }
        self.char_at(at)
    }

    #[inline]
    fn at_end(&self) -> bool {
        self.m.pos >= self.end
    }

    #[inline]
    fn skip(&mut self) {
        self.m.pos += self.width(self.m.pos);
        self.m.index += 1;
        self.m.col += 1;
    }

    fn skip_break(&mut self) {
        if self.c() == '\r' && self.c1() == '\n' {
            self.m.pos += 2;
            self.m.index += 2;
        } else if self.c() == '\r' && self.c1() == '\r' && self.nth_ascii(2) == '\n' {
            // kubectl hands YAML its lines with each CR LF turned into LF, so CR CR LF reaches
            // the YAML reader as one CR LF: one line break, not two.
            self.m.pos += 3;
            self.m.index += 3;
        } else {
            self.m.pos += self.width(self.m.pos);
            self.m.index += 1;
        }
        self.m.line += 1;
        self.m.col = 0;
    }

    /// Consume a line break, appending it as scalar content would hold it.
    fn read_break(&mut self, out: &mut String) {
        match self.c() {
            c @ ('\u{2028}' | '\u{2029}') => out.push(c),
            _ => out.push('\n'),
        }
        self.skip_break();
    }

    fn document_indicator(&self) -> bool {
        if self.m.col != 0 {
            return false;
        }
        let c = self.c();
        (c == '-' || c == '.')
            && self.nth_ascii(1) == c
            && self.nth_ascii(2) == c
            && is_blankz(self.nth_ascii(3))
    }

    fn err<T>(&mut self, message: &str, at: Mark) -> R<T> {
        self.failed = true;
        let len = self.width(at.pos);
        let end = if at.pos >= self.end || is_break(self.char_at(at.pos)) {
            at.pos
        } else {
            at.pos + len
        };
        Err(Error {
            message: message.to_string(),
            start: at.pos,
            end,
        })
    }

    // ---- token queue --------------------------------------------------------------------

    pub fn next_token(&mut self) -> R<Option<Token<'a>>> {
        if self.failed || self.stream_end_produced && self.tokens.is_empty() {
            return Ok(None);
        }
        self.fetch_more_tokens()?;
        let t = self.tokens.pop_front();
        if let Some(t) = &t {
            self.tokens_parsed += 1;
            if t.kind == Tok::StreamEnd {
                self.stream_end_produced = true;
            }
        }
        Ok(t)
    }

    pub fn peek_token(&mut self) -> R<Option<&Token<'a>>> {
        if self.failed {
            return Ok(None);
        }
        if self.tokens.is_empty() && self.stream_end_produced {
            return Ok(None);
        }
        self.fetch_more_tokens()?;
        Ok(self.tokens.front())
    }

    fn fetch_more_tokens(&mut self) -> R<()> {
        loop {
            let mut need = self.tokens.is_empty();
            if !need {
                self.stale_simple_keys()?;
                need = self
                    .simple_keys
                    .iter()
                    .any(|k| k.possible && k.token_number == self.tokens_parsed);
            }
            if !need || self.stream_end_produced_in_queue() {
                return Ok(());
            }
            self.check_reader()?;
            self.fetch_next_token()?;
            self.check_reader()?;
        }
    }

    fn stream_end_produced_in_queue(&self) -> bool {
        self.tokens.back().is_some_and(|t| t.kind == Tok::StreamEnd)
    }

    fn push(&mut self, kind: Tok<'a>, start: Mark) {
        let end = self.m;
        self.tokens.push_back(Token { kind, start, end });
    }

    fn fetch_next_token(&mut self) -> R<()> {
        if !self.stream_start_produced {
            return self.fetch_stream_start();
        }
        self.scan_to_next_token()?;
        self.stale_simple_keys()?;
        self.unroll_indent(self.m.col as isize);
        if self.at_end() {
            return self.fetch_stream_end();
        }
        let c = self.c();
        if self.m.col == 0 {
            if c == '%' {
                return self.fetch_directive();
            }
            if self.document_indicator() {
                let kind = if c == '-' {
                    Tok::DocumentStart
                } else {
                    Tok::DocumentEnd
                };
                return self.fetch_document_indicator(kind);
            }
        }
        let next = self.c1();
        match c {
            '[' => return self.fetch_flow_start(Tok::FlowSequenceStart),
            '{' => return self.fetch_flow_start(Tok::FlowMappingStart),
            ']' => return self.fetch_flow_end(Tok::FlowSequenceEnd),
            '}' => return self.fetch_flow_end(Tok::FlowMappingEnd),
            ',' => return self.fetch_flow_entry(),
            '-' if is_blankz(next) => return self.fetch_block_entry(),
            '?' if self.flow_level > 0 || is_blankz(next) => return self.fetch_key(),
            ':' if self.flow_level > 0 || is_blankz(next) => return self.fetch_value(),
            '*' => return self.fetch_anchor(true),
            '&' => return self.fetch_anchor(false),
            '!' => return self.fetch_tag(),
            '|' | '>' if self.flow_level == 0 => return self.fetch_block_scalar(c == '>'),
            '\'' => return self.fetch_flow_scalar(true),
            '"' => return self.fetch_flow_scalar(false),
            _ => {}
        }
        let indicator = matches!(
            c,
            '-' | '?'
                | ':'
                | ','
                | '['
                | ']'
                | '{'
                | '}'
                | '#'
                | '&'
                | '*'
                | '!'
                | '|'
                | '>'
                | '\''
                | '"'
                | '%'
                | '@'
                | '`'
        );
        if !(is_blankz(c) || indicator)
            || (c == '-' && !is_blank(next))
            || (self.flow_level == 0 && (c == '?' || c == ':') && !is_blankz(next))
        {
            return self.fetch_plain_scalar();
        }
        let at = self.m;
        self.err("found character that cannot start any token", at)
    }

    fn fetch_stream_start(&mut self) -> R<()> {
        let start = self.m;
        if self.c() == '\u{FEFF}' {
            self.m.pos += 3;
        }
        self.indent = -1;
        self.simple_key_allowed = true;
        self.stream_start_produced = true;
        self.simple_keys.push(SimpleKey::default());
        self.push(Tok::StreamStart, start);
        Ok(())
    }

    fn fetch_stream_end(&mut self) -> R<()> {
        if self.m.col != 0 {
            self.m.col = 0;
            self.m.line += 1;
        }
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let m = self.m;
        self.push(Tok::StreamEnd, m);
        Ok(())
    }

    fn scan_to_next_token(&mut self) -> R<()> {
        // A second BOM right at the start of the stream is skipped too (the reader took the
        // first); anywhere else U+FEFF is content.
        if self.m.index == 0 && self.c() == '\u{FEFF}' {
            self.skip();
        }
        loop {
            let tab_ok = self.flow_level > 0 || !self.simple_key_allowed;
            let mut p = self.m.pos;
            while p < self.end && (self.bytes[p] == b' ' || (tab_ok && self.bytes[p] == b'\t')) {
                p += 1;
            }
            self.m.index += p - self.m.pos;
            self.m.col += p - self.m.pos;
            self.m.pos = p;
            if self.c() == '#' {
                // To the end of the line, which any YAML 1.1 line break ends.
                let mut chars = 0;
                while p < self.end {
                    match self.bytes[p] {
                        b'\n' | b'\r' => break,
                        0xC2 if self.bytes.get(p + 1) == Some(&0x85) => break,
                        0xE2 if self.bytes.get(p + 1) == Some(&0x80)
                            && matches!(self.bytes.get(p + 2), Some(0xA8 | 0xA9)) =>
                        {
                            break
                        }
                        x => {
                            if x & 0xC0 != 0x80 {
                                chars += 1;
                            }
                            p += 1;
                        }
                    }
                }
                self.m.index += chars;
                self.m.col += chars;
                self.m.pos = p;
            }
            if is_break(self.c()) {
                self.skip_break();
                if self.flow_level == 0 {
                    self.simple_key_allowed = true;
                }
            } else {
                return Ok(());
            }
        }
    }

    // ---- simple keys and indentation ----------------------------------------------------

    fn stale_simple_keys(&mut self) -> R<()> {
        let (line, index) = (self.m.line, self.m.index);
        for i in 0..self.simple_keys.len() {
            let k = self.simple_keys[i];
            if k.possible && (k.mark.line < line || k.mark.index + 1024 < index) {
                if k.required {
                    return self.err("could not find expected ':'", k.mark);
                }
                self.simple_keys[i].possible = false;
            }
        }
        Ok(())
    }

    fn save_simple_key(&mut self) -> R<()> {
        let required = self.flow_level == 0 && self.indent == self.m.col as isize;
        if self.simple_key_allowed {
            self.remove_simple_key()?;
            let key = SimpleKey {
                possible: true,
                required,
                token_number: self.tokens_parsed + self.tokens.len(),
                mark: self.m,
            };
            if let Some(top) = self.simple_keys.last_mut() {
                *top = key;
            }
        }
        Ok(())
    }

    fn remove_simple_key(&mut self) -> R<()> {
        if let Some(top) = self.simple_keys.last().copied() {
            if top.possible && top.required {
                return self.err("could not find expected ':'", top.mark);
            }
        }
        if let Some(top) = self.simple_keys.last_mut() {
            top.possible = false;
        }
        Ok(())
    }

    fn nesting_check(&mut self) -> R<()> {
        if self.flow_level + self.indents.len() > self.limits.nesting {
            let at = self.m;
            return self.err(
                &format!(
                    "nesting deeper than {} levels: refused (the checker reads no deeper)",
                    self.limits.nesting
                ),
                at,
            );
        }
        Ok(())
    }

    fn roll_indent(&mut self, col: usize, number: Option<usize>, kind: Tok<'a>, at: Mark) -> R<()> {
        if self.flow_level > 0 {
            return Ok(());
        }
        if self.indent < col as isize {
            self.indents.push(self.indent);
            self.indent = col as isize;
            self.nesting_check()?;
            let t = Token {
                kind,
                start: at,
                end: at,
            };
            match number {
                Some(n) => self.tokens.insert(n - self.tokens_parsed, t),
                None => self.tokens.push_back(t),
            }
        }
        Ok(())
    }

    fn unroll_indent(&mut self, col: isize) {
        if self.flow_level > 0 {
            return;
        }
        while self.indent > col {
            let m = self.m;
            self.tokens.push_back(Token {
                kind: Tok::BlockEnd,
                start: m,
                end: m,
            });
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    // ---- indicators ---------------------------------------------------------------------

    fn fetch_document_indicator(&mut self, kind: Tok<'a>) -> R<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.m;
        self.skip();
        self.skip();
        self.skip();
        self.push(kind, start);
        Ok(())
    }

    fn fetch_flow_start(&mut self, kind: Tok<'a>) -> R<()> {
        self.save_simple_key()?;
        self.simple_keys.push(SimpleKey::default());
        self.flow_level += 1;
        self.nesting_check()?;
        self.simple_key_allowed = true;
        let start = self.m;
        self.skip();
        self.push(kind, start);
        Ok(())
    }

    fn fetch_flow_end(&mut self, kind: Tok<'a>) -> R<()> {
        self.remove_simple_key()?;
        if self.flow_level > 0 {
            self.flow_level -= 1;
            self.simple_keys.pop();
        }
        self.simple_key_allowed = false;
        let start = self.m;
        self.skip();
        self.push(kind, start);
        Ok(())
    }

    fn fetch_flow_entry(&mut self) -> R<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.m;
        self.skip();
        self.push(Tok::FlowEntry, start);
        Ok(())
    }

    fn fetch_block_entry(&mut self) -> R<()> {
        let start = self.m;
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                return self.err(
                    "block sequence entries are not allowed in this context",
                    start,
                );
            }
            self.roll_indent(start.col, None, Tok::BlockSequenceStart, start)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        self.skip();
        self.push(Tok::BlockEntry, start);
        Ok(())
    }

    fn fetch_key(&mut self) -> R<()> {
        let start = self.m;
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                return self.err("mapping keys are not allowed in this context", start);
            }
            self.roll_indent(start.col, None, Tok::BlockMappingStart, start)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = self.flow_level == 0;
        self.skip();
        self.push(Tok::Key, start);
        Ok(())
    }

    fn fetch_value(&mut self) -> R<()> {
        let start = self.m;
        let key = self.simple_keys.last().copied().unwrap_or_default();
        if key.possible {
            let t = Token {
                kind: Tok::Key,
                start: key.mark,
                end: key.mark,
            };
            self.tokens.insert(key.token_number - self.tokens_parsed, t);
            self.roll_indent(
                key.mark.col,
                Some(key.token_number),
                Tok::BlockMappingStart,
                key.mark,
            )?;
            if let Some(top) = self.simple_keys.last_mut() {
                top.possible = false;
            }
            self.simple_key_allowed = false;
        } else {
            if self.flow_level == 0 {
                if !self.simple_key_allowed {
                    return self.err("mapping values are not allowed in this context", start);
                }
                self.roll_indent(start.col, None, Tok::BlockMappingStart, start)?;
            }
            self.simple_key_allowed = self.flow_level == 0;
        }
        self.skip();
        self.push(Tok::Value, start);
        Ok(())
    }

    // ---- anchors, aliases, tags ---------------------------------------------------------

    fn fetch_anchor(&mut self, alias: bool) -> R<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.m;
        self.skip();
        let name_start = self.m.pos;
        while is_word(self.c()) {
            self.skip();
        }
        let name = &self.text[name_start..self.m.pos];
        let c = self.c();
        if name.is_empty()
            || !(is_blankz(c) || matches!(c, '?' | ':' | ',' | ']' | '}' | '%' | '@' | '`'))
        {
            let what = if alias {
                "while scanning an alias: did not find expected alphabetic or numeric character"
            } else {
                "while scanning an anchor: did not find expected alphabetic or numeric character"
            };
            return self.err(what, start);
        }
        let kind = if alias {
            Tok::Alias(name)
        } else {
            Tok::Anchor(name)
        };
        self.push(kind, start);
        Ok(())
    }

    fn fetch_tag(&mut self) -> R<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.m;
        let (handle, suffix): (Cow<'a, str>, Cow<'a, str>);
        if self.c1() == '<' {
            self.skip();
            self.skip();
            let s = self.scan_uri(None, start)?;
            if self.c() != '>' {
                let at = self.m;
                return self.err("while scanning a tag: did not find the expected '>'", at);
            }
            self.skip();
            handle = Cow::Borrowed("");
            suffix = s;
        } else {
            let h = self.scan_tag_handle(false, start)?;
            if h.len() > 1 && h.ends_with('!') {
                handle = Cow::Borrowed(h);
                suffix = self.scan_uri(None, start)?;
            } else {
                let s = self.scan_uri(Some(h), start)?;
                if s.is_empty() {
                    handle = Cow::Borrowed("");
                    suffix = Cow::Borrowed("!");
                } else {
                    handle = Cow::Borrowed("!");
                    suffix = s;
                }
            }
        }
        if !is_blankz(self.c()) {
            let at = self.m;
            return self.err(
                "while scanning a tag: did not find expected whitespace or line break",
                at,
            );
        }
        self.push(Tok::Tag(handle, suffix), start);
        Ok(())
    }

    /// `!`, `!!` or `!word!`; when no closing `!` follows, what was read is `!` plus the start
    /// of the suffix, and the caller treats it so.
    fn scan_tag_handle(&mut self, directive: bool, start: Mark) -> R<&'a str> {
        if self.c() != '!' {
            let what = if directive {
                "while scanning a tag directive: did not find expected '!'"
            } else {
                "while scanning a tag: did not find expected '!'"
            };
            return self.err(what, start);
        }
        let from = self.m.pos;
        self.skip();
        while is_word(self.c()) {
            self.skip();
        }
        if self.c() == '!' {
            self.skip();
        } else if directive && &self.text[from..self.m.pos] != "!" {
            let at = self.m;
            return self.err(
                "while parsing a tag directive: did not find expected '!'",
                at,
            );
        }
        Ok(&self.text[from..self.m.pos])
    }

    /// URI characters with `%xx` escapes decoded. `head` is a handle-like prefix already read
    /// (`!foo`), whose characters after the `!` belong to the suffix.
    fn scan_uri(&mut self, head: Option<&'a str>, start: Mark) -> R<Cow<'a, str>> {
        let head_len = head.map_or(0, str::len);
        let from = self.m.pos;
        let mut owned: Option<String> = None;
        while is_uri_char(self.c()) {
            if self.c() == '%' {
                let s = owned.get_or_insert_with(|| {
                    let mut s = String::new();
                    if let Some(h) = head {
                        s.push_str(&h[1..]);
                    }
                    s.push_str(&self.text[from..self.m.pos]);
                    s
                });
                let mut bytes = Vec::new();
                loop {
                    let at = self.m;
                    let (h1, h2) = (self.c1(), self.nth_ascii(2));
                    if self.c() != '%' || !h1.is_ascii_hexdigit() || !h2.is_ascii_hexdigit() {
                        return self.err("while parsing a tag: did not find URI escaped octet", at);
                    }
                    bytes.push(
                        (h1.to_digit(16).unwrap_or(0) * 16 + h2.to_digit(16).unwrap_or(0)) as u8,
                    );
                    self.skip();
                    self.skip();
                    self.skip();
                    let need = match bytes[0] {
                        0x00..=0x7F => 1,
                        0xC0..=0xDF => 2,
                        0xE0..=0xEF => 3,
                        0xF0..=0xF7 => 4,
                        _ => {
                            return self.err(
                                "while parsing a tag: found an incorrect leading UTF-8 octet",
                                at,
                            )
                        }
                    };
                    if bytes.len() == need {
                        break;
                    }
                }
                match std::str::from_utf8(&bytes) {
                    Ok(t) => s.push_str(t),
                    Err(_) => {
                        let at = self.m;
                        return self.err(
                            "while parsing a tag: found an incorrect trailing UTF-8 octet",
                            at,
                        );
                    }
                }
                continue;
            }
            let c = self.c();
            self.skip();
            if let Some(s) = owned.as_mut() {
                s.push(c);
            }
        }
        let out: Cow<'a, str> = match owned {
            Some(s) => Cow::Owned(s),
            None => match head {
                Some(h) if h.len() > 1 => {
                    // The handle-like head and the URI are contiguous in the source.
                    let begin = from - (h.len() - 1);
                    Cow::Borrowed(&self.text[begin..self.m.pos])
                }
                _ => Cow::Borrowed(&self.text[from..self.m.pos]),
            },
        };
        if out.is_empty() && head_len == 0 {
            return self.err("while parsing a tag: did not find expected tag URI", start);
        }
        Ok(out)
    }

    // ---- directives ---------------------------------------------------------------------

    fn fetch_directive(&mut self) -> R<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.m;
        self.skip();
        let name_from = self.m.pos;
        while is_word(self.c()) {
            self.skip();
        }
        let name = &self.text[name_from..self.m.pos];
        if name.is_empty() || !is_blankz(self.c()) {
            return self.err(
                "while scanning a directive: could not find expected directive name",
                start,
            );
        }
        let kind = match name {
            "YAML" => {
                self.skip_blanks();
                let major = self.scan_version_number(start)?;
                if self.c() != '.' {
                    return self.err(
                        "while scanning a %YAML directive: did not find expected digit or '.' character",
                        start,
                    );
                }
                self.skip();
                let minor = self.scan_version_number(start)?;
                if major != 1 || minor != 1 {
                    return self.err("found incompatible YAML document", start);
                }
                Tok::VersionDirective
            }
            "TAG" => {
                self.skip_blanks();
                let handle = self.scan_tag_handle(true, start)?;
                if !is_blank(self.c()) {
                    return self.err(
                        "while scanning a %TAG directive: did not find expected whitespace",
                        start,
                    );
                }
                self.skip_blanks();
                let prefix = self.scan_uri(None, start)?;
                if !is_blankz(self.c()) {
                    return self.err(
                        "while scanning a %TAG directive: did not find expected whitespace or line break",
                        start,
                    );
                }
                Tok::TagDirective(Cow::Borrowed(handle), prefix)
            }
            _ => {
                return self.err(
                    "while scanning a directive: found unknown directive name",
                    start,
                )
            }
        };
        self.skip_blanks();
        if self.c() == '#' {
            while !is_breakz(self.c()) {
                self.skip();
            }
        }
        if !is_breakz(self.c()) {
            return self.err(
                "while scanning a directive: did not find expected comment or line break",
                start,
            );
        }
        if is_break(self.c()) {
            self.skip_break();
        }
        self.push(kind, start);
        Ok(())
    }

    fn skip_blanks(&mut self) {
        while is_blank(self.c()) {
            self.skip();
        }
    }

    fn scan_version_number(&mut self, start: Mark) -> R<u32> {
        let mut v: u32 = 0;
        let mut n = 0;
        while let Some(d) = self.c().to_digit(10) {
            n += 1;
            if n > 9 {
                return self.err(
                    "while scanning a %YAML directive: found extremely long version number",
                    start,
                );
            }
            v = v * 10 + d;
            self.skip();
        }
        if n == 0 {
            return self.err(
                "while scanning a %YAML directive: did not find expected version number",
                start,
            );
        }
        Ok(v)
    }

    // ---- scalars ------------------------------------------------------------------------

    fn fetch_block_scalar(&mut self, folded: bool) -> R<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.m;
        self.skip();
        let mut chomping: i8 = 0;
        let mut increment: usize = 0;
        for _ in 0..2 {
            match self.c() {
                '+' | '-' if chomping == 0 => {
                    chomping = if self.c() == '+' { 1 } else { -1 };
                    self.skip();
                }
                d @ '0'..='9' if increment == 0 => {
                    if d == '0' {
                        let at = self.m;
                        return self.err(
                            "while scanning a block scalar: found an indentation indicator equal to 0",
                            at,
                        );
                    }
                    increment = d as usize - '0' as usize;
                    self.skip();
                }
                _ => break,
            }
        }
        self.skip_blanks();
        if self.c() == '#' {
            while !is_breakz(self.c()) {
                self.skip();
            }
        }
        if !is_breakz(self.c()) {
            let at = self.m;
            return self.err(
                "while scanning a block scalar: did not find expected comment or line break",
                at,
            );
        }
        if is_break(self.c()) {
            self.skip_break();
        }
        let mut end = self.m;
        let mut indent: usize = 0;
        if increment > 0 {
            indent = if self.indent >= 0 {
                self.indent as usize + increment
            } else {
                increment
            };
        }
        let mut value = String::new();
        let mut leading_break = String::new();
        let mut trailing_breaks = String::new();
        self.block_scalar_breaks(&mut indent, &mut trailing_breaks, &mut end)?;
        let mut leading_blank = false;
        while self.m.col == indent && !self.at_end() {
            let trailing_blank = is_blank(self.c());
            if folded && leading_break.starts_with('\n') && !leading_blank && !trailing_blank {
                if trailing_breaks.is_empty() {
                    value.push(' ');
                }
                leading_break.clear();
            } else {
                value.push_str(&leading_break);
                leading_break.clear();
            }
            value.push_str(&trailing_breaks);
            trailing_breaks.clear();
            leading_blank = is_blank(self.c());
            let from = self.m.pos;
            while !is_breakz(self.c()) {
                self.skip();
            }
            value.push_str(&self.text[from..self.m.pos]);
            end = self.m;
            if self.at_end() {
                // kubectl hands each line to the YAML reader with its line feed, the last one
                // included: a block scalar at the end of input still ends with a break.
                leading_break.push('\n');
                break;
            }
            self.read_break(&mut leading_break);
            self.block_scalar_breaks(&mut indent, &mut trailing_breaks, &mut end)?;
        }
        if chomping != -1 {
            value.push_str(&leading_break);
        }
        if chomping == 1 {
            value.push_str(&trailing_breaks);
        }
        let style = if folded {
            ScalarStyle::Folded
        } else {
            ScalarStyle::Literal
        };
        self.tokens.push_back(Token {
            kind: Tok::Scalar(Cow::Owned(value), style),
            start,
            end,
        });
        Ok(())
    }

    fn block_scalar_breaks(
        &mut self,
        indent: &mut usize,
        breaks: &mut String,
        end: &mut Mark,
    ) -> R<()> {
        let mut max_indent = 0;
        loop {
            while (*indent == 0 || self.m.col < *indent) && self.c() == ' ' {
                self.skip();
            }
            max_indent = max_indent.max(self.m.col);
            if (*indent == 0 || self.m.col < *indent) && self.c() == '\t' {
                let at = self.m;
                return self.err(
                    "while scanning a block scalar: found a tab character where an indentation space is expected",
                    at,
                );
            }
            if !is_break(self.c()) {
                break;
            }
            self.read_break(breaks);
            *end = self.m;
        }
        if *indent == 0 {
            *indent = max_indent.max((self.indent + 1).max(1) as usize);
        }
        Ok(())
    }

    fn fetch_flow_scalar(&mut self, single: bool) -> R<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.m;
        let style = if single {
            ScalarStyle::SingleQuoted
        } else {
            ScalarStyle::DoubleQuoted
        };
        self.skip();
        if let Some(value) = self.quoted_on_one_line(single) {
            self.push(Tok::Scalar(Cow::Borrowed(value), style), start);
            return Ok(());
        }
        let mut value = String::new();
        let mut leading_break = String::new();
        let mut trailing_breaks = String::new();
        let mut whitespaces = String::new();
        loop {
            if self.document_indicator() {
                let at = self.m;
                return self.err(
                    "while scanning a quoted scalar: found unexpected document indicator",
                    at,
                );
            }
            if self.at_end() {
                return self.err(
                    "while scanning a quoted scalar: found unexpected end of stream",
                    start,
                );
            }
            let mut leading_blanks = false;
            while !is_blankz(self.c()) {
                let c = self.c();
                if single {
                    if c == '\'' && self.c1() == '\'' {
                        value.push('\'');
                        self.skip();
                        self.skip();
                        continue;
                    }
                    if c == '\'' {
                        break;
                    }
                } else {
                    if c == '"' {
                        break;
                    }
                    if c == '\\' && is_break(self.c1()) {
                        self.skip();
                        self.skip_break();
                        leading_blanks = true;
                        break;
                    }
                    if c == '\\' {
                        self.escape(&mut value)?;
                        continue;
                    }
                }
                value.push(c);
                self.skip();
            }
            let q = if single { '\'' } else { '"' };
            if self.c() == q {
                break;
            }
            while is_blank(self.c()) || is_break(self.c()) {
                if is_blank(self.c()) {
                    if !leading_blanks {
                        whitespaces.push(self.c());
                    }
                    self.skip();
                } else if !leading_blanks {
                    whitespaces.clear();
                    self.read_break(&mut leading_break);
                    leading_blanks = true;
                } else {
                    self.read_break(&mut trailing_breaks);
                }
            }
            if leading_blanks {
                fold(&mut value, &mut leading_break, &mut trailing_breaks);
            } else {
                value.push_str(&whitespaces);
                whitespaces.clear();
            }
        }
        self.skip();
        self.push(Tok::Scalar(Cow::Owned(value), style), start);
        Ok(())
    }

    /// The common case: the closing quote on the same line, no escape: the value is the text
    /// itself. Consumes through the closing quote; `None` (nothing consumed) otherwise.
    fn quoted_on_one_line(&mut self, single: bool) -> Option<&'a str> {
        let from = self.m.pos;
        let q = if single { b'\'' } else { b'"' };
        let mut i = from;
        let mut chars = 0;
        while i < self.end {
            let x = self.bytes[i];
            if x == q {
                if single && self.bytes.get(i + 1) == Some(&b'\'') {
                    return None;
                }
                let value = &self.text[from..i];
                self.m.pos = i + 1;
                self.m.index += chars + 1;
                self.m.col += chars + 1;
                return Some(value);
            }
            match x {
                b'\\' if !single => return None,
                b'\n' | b'\r' => return None,
                // NEL (C2 85), LS and PS (E2 80 A8/A9) are line breaks too.
                0xC2 if self.bytes.get(i + 1) == Some(&0x85) => return None,
                0xE2 if self.bytes.get(i + 1) == Some(&0x80)
                    && matches!(self.bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
                {
                    return None
                }
                _ => {}
            }
            if x & 0xC0 != 0x80 {
                chars += 1;
            }
            i += 1;
        }
        None
    }

    fn escape(&mut self, out: &mut String) -> R<()> {
        let at = self.m;
        self.skip();
        let c = self.c();
        let simple = match c {
            '0' => Some('\0'),
            'a' => Some('\x07'),
            'b' => Some('\x08'),
            't' | '\t' => Some('\t'),
            'n' => Some('\n'),
            'v' => Some('\x0B'),
            'f' => Some('\x0C'),
            'r' => Some('\r'),
            'e' => Some('\x1B'),
            ' ' => Some(' '),
            '"' => Some('"'),
            '\'' => Some('\''),
            '\\' => Some('\\'),
            'N' => Some('\u{85}'),
            '_' => Some('\u{A0}'),
            'L' => Some('\u{2028}'),
            'P' => Some('\u{2029}'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            self.skip();
            return Ok(());
        }
        let len = match c {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ => {
                return self.err(
                    "while parsing a quoted scalar: found unknown escape character",
                    at,
                )
            }
        };
        self.skip();
        let mut v: u32 = 0;
        for _ in 0..len {
            let Some(d) = self.c().to_digit(16) else {
                return self.err(
                    "while parsing a quoted scalar: did not find expected hexdecimal number",
                    at,
                );
            };
            v = v * 16 + d;
            self.skip();
        }
        match char::from_u32(v) {
            Some(ch) => {
                out.push(ch);
                Ok(())
            }
            None => self.err(
                "while parsing a quoted scalar: found invalid Unicode character escape code",
                at,
            ),
        }
    }

    fn fetch_plain_scalar(&mut self) -> R<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.m;
        let mut end = self.m;
        let indent = self.indent + 1;
        let mut value: Option<String> = None;
        let mut first: (usize, usize) = (start.pos, start.pos);
        let mut leading_blanks = false;
        let mut leading_break = String::new();
        let mut trailing_breaks = String::new();
        let mut whitespaces = String::new();
        loop {
            if self.document_indicator() || self.c() == '#' {
                break;
            }
            let flow = self.flow_level > 0;
            loop {
                // One run of characters up to a blank, a break, `: ` or (in flow) an indicator.
                let run = self.m.pos;
                let mut p = run;
                let mut chars = 0usize;
                while p < self.end {
                    match self.bytes[p] {
                        b' ' | b'\t' | b'\r' | b'\n' => break,
                        b':' if is_blankz(self.char_at(p + 1)) => break,
                        b',' | b'?' | b'[' | b']' | b'{' | b'}' if flow => break,
                        x if x >= 0x80 => {
                            let c = self.char_at(p);
                            if is_break(c) {
                                break;
                            }
                            p += c.len_utf8();
                        }
                        _ => p += 1,
                    }
                    chars += 1;
                }
                if p == run {
                    break;
                }
                if leading_blanks {
                    let v = value.get_or_insert_with(|| self.text[first.0..first.1].to_string());
                    fold(v, &mut leading_break, &mut trailing_breaks);
                    leading_blanks = false;
                } else if !whitespaces.is_empty() {
                    // Blanks inside one line are the source text itself: a borrowed value
                    // simply grows over them.
                    if let Some(v) = value.as_mut() {
                        v.push_str(&whitespaces);
                    }
                    whitespaces.clear();
                }
                match value.as_mut() {
                    Some(v) => v.push_str(&self.text[run..p]),
                    None => first.1 = p,
                }
                self.m.pos = p;
                self.m.index += chars;
                self.m.col += chars;
                end = self.m;
            }
            if !(is_blank(self.c()) || is_break(self.c())) {
                break;
            }
            while is_blank(self.c()) || is_break(self.c()) {
                if is_blank(self.c()) {
                    if leading_blanks && (self.m.col as isize) < indent && self.c() == '\t' {
                        let at = self.m;
                        return self.err(
                            "while scanning a plain scalar: found a tab character that violates indentation",
                            at,
                        );
                    }
                    if !leading_blanks {
                        whitespaces.push(self.c());
                    }
                    self.skip();
                } else if !leading_blanks {
                    whitespaces.clear();
                    self.read_break(&mut leading_break);
                    leading_blanks = true;
                } else {
                    self.read_break(&mut trailing_breaks);
                }
            }
            if self.flow_level == 0 && (self.m.col as isize) < indent {
                break;
            }
        }
        let text: Cow<'a, str> = match value {
            Some(v) => Cow::Owned(v),
            None => Cow::Borrowed(&self.text[first.0..first.1]),
        };
        self.tokens.push_back(Token {
            kind: Tok::Scalar(text, ScalarStyle::Plain),
            start,
            end,
        });
        if leading_blanks {
            self.simple_key_allowed = true;
        }
        Ok(())
    }
}
