//! Tokens -> events: YAML 1.1's grammar as an explicit state machine with its own stack (no
//! recursion on input depth). Properties (anchor, tag) may come in either order; tag handles
//! resolve through `%TAG` directives and the defaults `!` and `!!`.

use std::borrow::Cow;

use crate::scanner::{Mark, ScalarStyle, Scanner, Tok, Token};
use crate::{Error, Limits};

/// The long form of the `!!` handle.
pub const CORE_PREFIX: &str = "tag:yaml.org,2002:";

#[derive(Debug, Clone, PartialEq)]
pub enum EventKind<'a> {
    StreamStart,
    StreamEnd,
    DocumentStart {
        explicit: bool,
    },
    DocumentEnd {
        explicit: bool,
    },
    Alias(&'a str),
    Scalar {
        value: Cow<'a, str>,
        style: ScalarStyle,
        anchor: Option<&'a str>,
        /// The resolved tag (`tag:yaml.org,2002:str`, `!`, `!local`…).
        tag: Option<Cow<'a, str>>,
        /// Plain and untagged, or tagged with the non-specific `!`: YAML's implicit
        /// resolution applies (and `<<` may be a merge key).
        plain_implicit: bool,
    },
    SequenceStart {
        anchor: Option<&'a str>,
        tag: Option<Cow<'a, str>>,
        flow: bool,
    },
    SequenceEnd,
    MappingStart {
        anchor: Option<&'a str>,
        tag: Option<Cow<'a, str>>,
        flow: bool,
    },
    MappingEnd,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event<'a> {
    pub kind: EventKind<'a>,
    pub start: Mark,
    pub end: Mark,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

pub struct Parser<'a> {
    scanner: Scanner<'a>,
    state: State,
    states: Vec<State>,
    tag_directives: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    done: bool,
}

type R<T> = Result<T, Error>;

fn err_at(message: &str, m: Mark) -> Error {
    Error {
        message: message.to_string(),
        start: m.pos,
        end: m.pos,
    }
}

impl<'a> Parser<'a> {
    /// Parse `text[start..end]` (one document as kubectl splits them; marks stay absolute).
    pub fn new(text: &'a str, start: usize, end: usize, limits: Limits) -> Parser<'a> {
        Parser {
            scanner: Scanner::new(text, start, end, limits),
            state: State::StreamStart,
            states: Vec::new(),
            tag_directives: Vec::new(),
            done: false,
        }
    }

    /// Refuse the document if the reader gets as far as byte `at` (bytes the YAML reader cannot
    /// decode, such as invalid UTF-8 that kubectl passed through).
    pub fn refuse(&mut self, at: usize, len: usize, message: String) {
        self.scanner.refuse(at, len, message);
    }

    /// The next event, `None` after the stream end or an error.
    pub fn next_event(&mut self) -> R<Option<Event<'a>>> {
        if self.done || self.state == State::End {
            return Ok(None);
        }
        match self.step() {
            Ok(e) => Ok(Some(e)),
            Err(e) => {
                self.done = true;
                Err(e)
            }
        }
    }

    fn peek(&mut self) -> R<&Token<'a>> {
        let at = self.scanner.mark();
        match self.scanner.peek_token()? {
            Some(t) => Ok(t),
            None => Err(err_at("unexpected end of the token stream", at)),
        }
    }

    fn take(&mut self) -> R<Token<'a>> {
        let at = self.scanner.mark();
        match self.scanner.next_token()? {
            Some(t) => Ok(t),
            None => Err(err_at("unexpected end of the token stream", at)),
        }
    }

    fn pop_state(&mut self) -> State {
        self.states.pop().unwrap_or(State::End)
    }

    fn ev(kind: EventKind<'a>, start: Mark, end: Mark) -> Event<'a> {
        Event { kind, start, end }
    }

    fn empty_scalar(at: Mark) -> Event<'a> {
        Self::ev(
            EventKind::Scalar {
                value: Cow::Borrowed(""),
                style: ScalarStyle::Plain,
                anchor: None,
                tag: None,
                plain_implicit: true,
            },
            at,
            at,
        )
    }

    fn step(&mut self) -> R<Event<'a>> {
        match self.state {
            State::StreamStart => {
                let t = self.take()?;
                if t.kind != Tok::StreamStart {
                    return Err(err_at("did not find expected <stream-start>", t.start));
                }
                self.state = State::ImplicitDocumentStart;
                Ok(Self::ev(EventKind::StreamStart, t.start, t.end))
            }
            State::ImplicitDocumentStart => self.document_start(true),
            State::DocumentStart => self.document_start(false),
            State::DocumentContent => {
                let t = self.peek()?;
                if matches!(
                    t.kind,
                    Tok::VersionDirective
                        | Tok::TagDirective(..)
                        | Tok::DocumentStart
                        | Tok::DocumentEnd
                        | Tok::StreamEnd
                ) {
                    let at = t.start;
                    self.state = self.pop_state();
                    return Ok(Self::empty_scalar(at));
                }
                self.node(true, false)
            }
            State::DocumentEnd => {
                let t = self.peek()?;
                let (start, mut end) = (t.start, t.start);
                let mut explicit = false;
                if t.kind == Tok::DocumentEnd {
                    end = t.end;
                    explicit = true;
                    self.take()?;
                }
                self.tag_directives.clear();
                self.state = State::DocumentStart;
                Ok(Self::ev(EventKind::DocumentEnd { explicit }, start, end))
            }
            State::BlockNode => self.node(true, false),
            State::BlockSequenceFirstEntry => {
                self.take()?;
                self.block_sequence_entry()
            }
            State::BlockSequenceEntry => self.block_sequence_entry(),
            State::IndentlessSequenceEntry => {
                let t = self.peek()?;
                if t.kind != Tok::BlockEntry {
                    let at = t.start;
                    self.state = self.pop_state();
                    return Ok(Self::ev(EventKind::SequenceEnd, at, at));
                }
                let mark = t.end;
                self.take()?;
                if matches!(
                    self.peek()?.kind,
                    Tok::BlockEntry | Tok::Key | Tok::Value | Tok::BlockEnd
                ) {
                    self.state = State::IndentlessSequenceEntry;
                    return Ok(Self::empty_scalar(mark));
                }
                self.states.push(State::IndentlessSequenceEntry);
                self.node(true, false)
            }
            State::BlockMappingFirstKey => {
                self.take()?;
                self.block_mapping_key()
            }
            State::BlockMappingKey => self.block_mapping_key(),
            State::BlockMappingValue => {
                let t = self.peek()?;
                if t.kind != Tok::Value {
                    let at = t.start;
                    self.state = State::BlockMappingKey;
                    return Ok(Self::empty_scalar(at));
                }
                let mark = t.end;
                self.take()?;
                if matches!(self.peek()?.kind, Tok::Key | Tok::Value | Tok::BlockEnd) {
                    self.state = State::BlockMappingKey;
                    return Ok(Self::empty_scalar(mark));
                }
                self.states.push(State::BlockMappingKey);
                self.node(true, true)
            }
            State::FlowSequenceFirstEntry => {
                self.take()?;
                self.flow_sequence_entry(true)
            }
            State::FlowSequenceEntry => self.flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => {
                let t = self.peek()?;
                if matches!(t.kind, Tok::Value | Tok::FlowEntry | Tok::FlowSequenceEnd) {
                    let at = t.start;
                    self.state = State::FlowSequenceEntryMappingValue;
                    return Ok(Self::empty_scalar(at));
                }
                self.states.push(State::FlowSequenceEntryMappingValue);
                self.node(false, false)
            }
            State::FlowSequenceEntryMappingValue => {
                let t = self.peek()?;
                if t.kind == Tok::Value {
                    let mark = t.end;
                    self.take()?;
                    if matches!(self.peek()?.kind, Tok::FlowEntry | Tok::FlowSequenceEnd) {
                        self.state = State::FlowSequenceEntryMappingEnd;
                        return Ok(Self::empty_scalar(mark));
                    }
                    self.states.push(State::FlowSequenceEntryMappingEnd);
                    return self.node(false, false);
                }
                let at = t.start;
                self.state = State::FlowSequenceEntryMappingEnd;
                Ok(Self::empty_scalar(at))
            }
            State::FlowSequenceEntryMappingEnd => {
                let at = self.peek()?.start;
                self.state = State::FlowSequenceEntry;
                Ok(Self::ev(EventKind::MappingEnd, at, at))
            }
            State::FlowMappingFirstKey => {
                self.take()?;
                self.flow_mapping_key(true)
            }
            State::FlowMappingKey => self.flow_mapping_key(false),
            State::FlowMappingValue => self.flow_mapping_value(false),
            State::FlowMappingEmptyValue => self.flow_mapping_value(true),
            State::End => Err(err_at("parser ended", self.scanner.mark())),
        }
    }

    fn document_start(&mut self, implicit: bool) -> R<Event<'a>> {
        if !implicit {
            while self.peek()?.kind == Tok::DocumentEnd {
                self.take()?;
            }
        }
        let t = self.peek()?;
        let kind = t.kind.clone();
        let start = t.start;
        if implicit
            && !matches!(
                kind,
                Tok::VersionDirective | Tok::TagDirective(..) | Tok::DocumentStart | Tok::StreamEnd
            )
        {
            self.tag_directives.clear();
            self.states.push(State::DocumentEnd);
            self.state = State::BlockNode;
            return Ok(Self::ev(
                EventKind::DocumentStart { explicit: false },
                start,
                start,
            ));
        }
        if kind == Tok::StreamEnd {
            let t = self.take()?;
            self.state = State::End;
            return Ok(Self::ev(EventKind::StreamEnd, t.start, t.end));
        }
        self.tag_directives.clear();
        let mut seen_version = false;
        loop {
            let t = self.peek()?;
            let at = t.start;
            match t.kind.clone() {
                Tok::VersionDirective => {
                    if seen_version {
                        return Err(err_at("found duplicate %YAML directive", at));
                    }
                    seen_version = true;
                    self.take()?;
                }
                Tok::TagDirective(handle, prefix) => {
                    if self.tag_directives.iter().any(|(h, _)| *h == handle) {
                        return Err(err_at("found duplicate %TAG directive", at));
                    }
                    self.take()?;
                    self.tag_directives.push((handle, prefix));
                }
                _ => break,
            }
        }
        let t = self.peek()?;
        if t.kind != Tok::DocumentStart {
            return Err(err_at("did not find expected <document start>", t.start));
        }
        let t = self.take()?;
        self.states.push(State::DocumentEnd);
        self.state = State::DocumentContent;
        Ok(Self::ev(
            EventKind::DocumentStart { explicit: true },
            start,
            t.end,
        ))
    }

    fn resolve_tag(&self, handle: &str, suffix: Cow<'a, str>, at: Mark) -> R<Cow<'a, str>> {
        if handle.is_empty() {
            return Ok(suffix);
        }
        if let Some((_, prefix)) = self.tag_directives.iter().find(|(h, _)| h == handle) {
            return Ok(Cow::Owned(format!("{prefix}{suffix}")));
        }
        match handle {
            "!" => Ok(Cow::Owned(format!("!{suffix}"))),
            "!!" => Ok(Cow::Owned(format!("{CORE_PREFIX}{suffix}"))),
            _ => Err(err_at(
                "while parsing a node: found undefined tag handle",
                at,
            )),
        }
    }

    fn node(&mut self, block: bool, indentless: bool) -> R<Event<'a>> {
        let t = self.peek()?;
        if let Tok::Alias(name) = t.kind {
            let (s, e) = (t.start, t.end);
            self.take()?;
            self.state = self.pop_state();
            return Ok(Self::ev(EventKind::Alias(name), s, e));
        }
        let mut start: Option<Mark> = None;
        let mut end = t.start;
        let mut anchor: Option<&'a str> = None;
        let mut tag: Option<Cow<'a, str>> = None;
        for _ in 0..2 {
            let wanted = match self.peek()?.kind {
                Tok::Anchor(_) => anchor.is_none(),
                Tok::Tag(..) => tag.is_none(),
                _ => false,
            };
            if !wanted {
                break;
            }
            let t = self.take()?;
            start.get_or_insert(t.start);
            end = t.end;
            match t.kind {
                Tok::Anchor(name) => anchor = Some(name),
                Tok::Tag(handle, suffix) => {
                    tag = Some(self.resolve_tag(&handle, suffix, t.start)?);
                }
                _ => {}
            }
        }
        if matches!(self.peek()?.kind, Tok::Scalar(..)) {
            let t = self.take()?;
            let start = start.unwrap_or(t.start);
            let Tok::Scalar(value, style) = t.kind else {
                return Err(err_at("expected a scalar", t.start));
            };
            self.state = self.pop_state();
            let plain_implicit =
                (style == ScalarStyle::Plain && tag.is_none()) || tag.as_deref() == Some("!");
            return Ok(Self::ev(
                EventKind::Scalar {
                    value,
                    style,
                    anchor,
                    tag,
                    plain_implicit,
                },
                start,
                t.end,
            ));
        }
        let t = self.peek()?;
        let start = start.unwrap_or(t.start);
        match t.kind {
            Tok::BlockEntry if indentless => {
                let e = t.end;
                self.state = State::IndentlessSequenceEntry;
                Ok(Self::ev(
                    EventKind::SequenceStart {
                        anchor,
                        tag,
                        flow: false,
                    },
                    start,
                    e,
                ))
            }
            Tok::FlowSequenceStart => {
                let e = t.end;
                self.state = State::FlowSequenceFirstEntry;
                Ok(Self::ev(
                    EventKind::SequenceStart {
                        anchor,
                        tag,
                        flow: true,
                    },
                    start,
                    e,
                ))
            }
            Tok::FlowMappingStart => {
                let e = t.end;
                self.state = State::FlowMappingFirstKey;
                Ok(Self::ev(
                    EventKind::MappingStart {
                        anchor,
                        tag,
                        flow: true,
                    },
                    start,
                    e,
                ))
            }
            Tok::BlockSequenceStart if block => {
                let e = t.end;
                self.state = State::BlockSequenceFirstEntry;
                Ok(Self::ev(
                    EventKind::SequenceStart {
                        anchor,
                        tag,
                        flow: false,
                    },
                    start,
                    e,
                ))
            }
            Tok::BlockMappingStart if block => {
                let e = t.end;
                self.state = State::BlockMappingFirstKey;
                Ok(Self::ev(
                    EventKind::MappingStart {
                        anchor,
                        tag,
                        flow: false,
                    },
                    start,
                    e,
                ))
            }
            _ if anchor.is_some() || tag.is_some() => {
                self.state = self.pop_state();
                let plain_implicit = tag.is_none();
                Ok(Self::ev(
                    EventKind::Scalar {
                        value: Cow::Borrowed(""),
                        style: ScalarStyle::Plain,
                        anchor,
                        tag,
                        plain_implicit,
                    },
                    start,
                    end,
                ))
            }
            _ => {
                let what = if block {
                    "while parsing a block node: did not find expected node content"
                } else {
                    "while parsing a flow node: did not find expected node content"
                };
                Err(err_at(what, t.start))
            }
        }
    }

    fn block_sequence_entry(&mut self) -> R<Event<'a>> {
        let t = self.peek()?;
        match t.kind {
            Tok::BlockEntry => {
                let mark = t.end;
                self.take()?;
                if matches!(self.peek()?.kind, Tok::BlockEntry | Tok::BlockEnd) {
                    self.state = State::BlockSequenceEntry;
                    return Ok(Self::empty_scalar(mark));
                }
                self.states.push(State::BlockSequenceEntry);
                self.node(true, false)
            }
            Tok::BlockEnd => {
                let (s, e) = (t.start, t.end);
                self.take()?;
                self.state = self.pop_state();
                Ok(Self::ev(EventKind::SequenceEnd, s, e))
            }
            _ => Err(err_at(
                "while parsing a block collection: did not find expected '-' indicator",
                t.start,
            )),
        }
    }

    fn block_mapping_key(&mut self) -> R<Event<'a>> {
        let t = self.peek()?;
        match t.kind {
            Tok::Key => {
                let mark = t.end;
                self.take()?;
                if matches!(self.peek()?.kind, Tok::Key | Tok::Value | Tok::BlockEnd) {
                    self.state = State::BlockMappingValue;
                    return Ok(Self::empty_scalar(mark));
                }
                self.states.push(State::BlockMappingValue);
                self.node(true, true)
            }
            Tok::BlockEnd => {
                let (s, e) = (t.start, t.end);
                self.take()?;
                self.state = self.pop_state();
                Ok(Self::ev(EventKind::MappingEnd, s, e))
            }
            _ => Err(err_at(
                "while parsing a block mapping: did not find expected key",
                t.start,
            )),
        }
    }

    fn flow_sequence_entry(&mut self, first: bool) -> R<Event<'a>> {
        let mut t = self.peek()?;
        if t.kind != Tok::FlowSequenceEnd {
            if !first {
                if t.kind == Tok::FlowEntry {
                    self.take()?;
                    t = self.peek()?;
                } else {
                    return Err(err_at(
                        "while parsing a flow sequence: did not find expected ',' or ']'",
                        t.start,
                    ));
                }
            }
            if t.kind == Tok::Key {
                let (s, e) = (t.start, t.end);
                self.take()?;
                self.state = State::FlowSequenceEntryMappingKey;
                return Ok(Self::ev(
                    EventKind::MappingStart {
                        anchor: None,
                        tag: None,
                        flow: true,
                    },
                    s,
                    e,
                ));
            }
            if t.kind != Tok::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntry);
                return self.node(false, false);
            }
        }
        let t = self.take()?;
        self.state = self.pop_state();
        Ok(Self::ev(EventKind::SequenceEnd, t.start, t.end))
    }

    fn flow_mapping_key(&mut self, first: bool) -> R<Event<'a>> {
        let mut t = self.peek()?;
        if t.kind != Tok::FlowMappingEnd {
            if !first {
                if t.kind == Tok::FlowEntry {
                    self.take()?;
                    t = self.peek()?;
                } else {
                    return Err(err_at(
                        "while parsing a flow mapping: did not find expected ',' or '}'",
                        t.start,
                    ));
                }
            }
            if t.kind == Tok::Key {
                self.take()?;
                let t = self.peek()?;
                if matches!(t.kind, Tok::Value | Tok::FlowEntry | Tok::FlowMappingEnd) {
                    let at = t.start;
                    self.state = State::FlowMappingValue;
                    return Ok(Self::empty_scalar(at));
                }
                self.states.push(State::FlowMappingValue);
                return self.node(false, false);
            }
            if t.kind != Tok::FlowMappingEnd {
                self.states.push(State::FlowMappingEmptyValue);
                return self.node(false, false);
            }
        }
        let t = self.take()?;
        self.state = self.pop_state();
        Ok(Self::ev(EventKind::MappingEnd, t.start, t.end))
    }

    fn flow_mapping_value(&mut self, empty: bool) -> R<Event<'a>> {
        let t = self.peek()?;
        let at = t.start;
        if empty {
            self.state = State::FlowMappingKey;
            return Ok(Self::empty_scalar(at));
        }
        if t.kind == Tok::Value {
            self.take()?;
            let t = self.peek()?;
            if !matches!(t.kind, Tok::FlowEntry | Tok::FlowMappingEnd) {
                self.states.push(State::FlowMappingKey);
                return self.node(false, false);
            }
            let at = t.start;
            self.state = State::FlowMappingKey;
            return Ok(Self::empty_scalar(at));
        }
        self.state = State::FlowMappingKey;
        Ok(Self::empty_scalar(at))
    }
}
