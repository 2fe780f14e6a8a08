//! Builds the [`Stream`] arena from kube4c-yaml events, iteratively, one kubectl document at a
//! time (see [`super::input`]).

use std::borrow::Cow;
use std::collections::HashMap;

use kube4c_yaml::{Event, EventKind, Parser};

use super::input::{self, Piece};
use super::scalar::{self, CoreTag, Resolved};
use super::{Doc, Entry, Node, NodeId, ParseError, Span, Stream, Style, Value, Warning};

/// Bounds that keep hostile input from hanging or exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Nodes that aliases may add to one document once expanded (billion-laughs guard).
    pub alias_expansion: u64,
    /// Nesting depth of flow and block collections together (fails closed past it).
    pub nesting: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            alias_expansion: 1_000_000,
            nesting: 1_000,
        }
    }
}

/// Parse a whole stream with the default limits.
pub fn parse(source: &str) -> Stream<'_> {
    parse_with(source, Limits::default())
}

enum Frame<'a> {
    Map {
        start: u32,
        /// Index into `entry_stack` where this mapping's raw entries begin.
        base: usize,
        key: Option<(NodeId, bool)>,
        anchor: Option<&'a str>,
        flow: bool,
    },
    Seq {
        start: u32,
        base: usize,
        anchor: Option<&'a str>,
        flow: bool,
    },
}

struct Builder<'a> {
    out: Stream<'a>,
    limits: Limits,
    stack: Vec<Frame<'a>>,
    /// Raw (key, value, key-is-merge) triples of the open mappings.
    entry_stack: Vec<(NodeId, NodeId, bool)>,
    item_stack: Vec<NodeId>,
    anchors: HashMap<&'a str, NodeId>,
    root: Option<NodeId>,
    doc_start: u32,
    /// Arena lengths when the current document began, to drop a broken document's nodes.
    mark: (usize, usize, usize),
    /// Nodes created in the current document.
    doc_nodes: u64,
    /// Null keys, and the collections whose final content holds one: sigs.k8s.io/yaml rejects
    /// a null key only if it survives (a later duplicate may replace its mapping).
    tainted: HashMap<NodeId, Span>,
    /// Duplicate keys: (offset of the first key, the winning key, its name, document). Their
    /// line numbers are resolved in one pass at the end, not one scan of the text each.
    dups: Vec<(u32, Span, String, usize)>,
}

/// Parse a decoded file: as [`parse`], and a document that holds bytes kubectl would not
/// replace (invalid UTF-8 after a UTF-8 BOM) is refused as the YAML reader refuses it.
pub fn parse_input(decoded: &input::Decoded) -> Stream<'_> {
    let refused: &[usize] = if decoded.strict {
        &decoded.invalid
    } else {
        &[]
    };
    parse_refusing(&decoded.text, Limits::default(), refused)
}

/// Parse a whole stream: cut it into documents as kubectl does, then read each one.
pub fn parse_with(source: &str, limits: Limits) -> Stream<'_> {
    parse_refusing(source, limits, &[])
}

fn parse_refusing<'a>(source: &'a str, limits: Limits, refused: &[usize]) -> Stream<'a> {
    let mut b = Builder::new(source, limits);
    let yaml_limits = kube4c_yaml::Limits {
        nesting: limits.nesting,
    };
    for piece in input::split(source) {
        match piece {
            Piece::Yaml { start, end } => {
                let mut parser = Parser::new(source, start, end, yaml_limits);
                if let Some(&at) = refused.iter().find(|&&r| (start..end).contains(&r)) {
                    parser.refuse(
                        at,
                        '\u{FFFD}'.len_utf8(),
                        "invalid UTF-8 in a file that starts with a UTF-8 BOM: kubectl passes such bytes to the YAML reader, which refuses this document (\"invalid leading UTF-8 octet\")".into(),
                    );
                }
                b.read_document(move || parser.next_event(), start, end)
            }
            Piece::Json { start, end } => {
                let mut events = input::json_events(source, start, end).into_iter();
                b.read_document(move || Ok(events.next()), start, end)
            }
            Piece::Error { message, span } => {
                b.out.errors.push(ParseError {
                    message,
                    span,
                    document: b.out.document_count,
                });
            }
        }
    }
    b.finish()
}

/// A duplicate key whose warning waits for its line number: (offset of the first key, the
/// winning key, its name, document).
pub(crate) type Dup = (u32, Span, String, usize);

/// Read one YAML part (a piece of [`input::split`]) with the part as the whole source, as
/// [`parse`] reads it in place: spans are relative to the part, and duplicate keys come back
/// unresolved (their line numbers depend on what is before the part). `document::incremental`
/// splices such parts into one stream.
pub(crate) fn parse_part(part: &str) -> (Stream<'_>, Vec<Dup>) {
    let limits = Limits::default();
    let mut b = Builder::new(part, limits);
    let mut parser = Parser::new(
        part,
        0,
        part.len(),
        kube4c_yaml::Limits {
            nesting: limits.nesting,
        },
    );
    b.read_document(move || parser.next_event(), 0, part.len());
    let dups = std::mem::take(&mut b.dups);
    (b.out, dups)
}

/// Turn the duplicate keys into warnings with the line of their first key, then order every
/// warning by position.
pub(crate) fn resolve_dups(out: &mut Stream<'_>, mut dups: Vec<Dup>) {
    dups.sort_by_key(|d| d.0);
    let bytes = out.source.as_bytes();
    let (mut line, mut pos) = (1usize, 0usize);
    for (first, span, name, document) in dups {
        let at = (first as usize).min(bytes.len());
        line += bytes[pos..at].iter().filter(|&&b| b == b'\n').count();
        pos = at;
        out.warnings.push(Warning {
            message: format!(
                "duplicate key `{name}` (first set on line {line}): the API server keeps only this last value"
            ),
            span,
            document,
        });
    }
    out.warnings.sort_by_key(|w| w.span.start);
}

impl<'a> Builder<'a> {
    fn new(source: &'a str, limits: Limits) -> Builder<'a> {
        // Sized from the real-world corpus (one node per 13 to 58 bytes, one entry per 31 to
        // 125, one item per 95 to 1,090): start at the sparse end and let dense inputs grow.
        Builder {
            out: Stream {
                source,
                nodes: Vec::with_capacity(source.len() / 48 + 8),
                entries: Vec::with_capacity(source.len() / 96 + 8),
                items: Vec::with_capacity(source.len() / 800 + 8),
                ..Stream::default()
            },
            limits,
            stack: Vec::new(),
            entry_stack: Vec::new(),
            item_stack: Vec::new(),
            anchors: HashMap::new(),
            root: None,
            doc_start: 0,
            mark: (0, 0, 0),
            doc_nodes: 0,
            tainted: HashMap::new(),
            dups: Vec::new(),
        }
    }

    /// Read the first document of one part, as `yaml.Unmarshal` does; a document after it in
    /// the same part (after `...`, or a `---` that does not start a line) is not read by
    /// kubectl, and kube4c says so.
    fn read_document(
        &mut self,
        mut next_event: impl FnMut() -> Result<Option<Event<'a>>, kube4c_yaml::Error>,
        start: usize,
        end: usize,
    ) {
        self.begin_document(start as u32);
        loop {
            match next_event() {
                Ok(None) => break,
                Ok(Some(event)) => {
                    let span = Span::new(event.start.pos, event.end.pos);
                    let last = matches!(event.kind, EventKind::DocumentEnd { .. });
                    if let Err(e) = self.event(event, span) {
                        self.fail(e);
                        return;
                    }
                    if last {
                        if let Ok(Some(Event {
                            kind: EventKind::DocumentStart { .. },
                            start,
                            ..
                        })) = next_event()
                        {
                            if let Ok(Some(next)) = next_event() {
                                if !matches!(next.kind, EventKind::Scalar { ref value, .. } if value.is_empty())
                                    || !matches!(
                                        next_event(),
                                        Ok(Some(Event {
                                            kind: EventKind::DocumentEnd { .. },
                                            ..
                                        }))
                                    )
                                {
                                    self.warn(
                                        "kubectl reads only the first YAML document of each part between `---` lines: this content is ignored by Kubernetes".into(),
                                        Span::new(start.pos, next.end.pos.max(start.pos)),
                                    );
                                }
                            }
                        }
                        return;
                    }
                }
                Err(e) => {
                    // An error found at the end of the part (an unclosed collection, a
                    // missing value) is shown at the part's last character, not on the `---`
                    // line after it.
                    let (mut at, mut to) = (e.start, e.end);
                    if at >= end {
                        let body = self.out.source[start..end].trim_end();
                        at = start + body.len();
                        if let Some(c) = body.chars().next_back() {
                            at -= c.len_utf8();
                        }
                        to = start + body.len();
                    }
                    self.fail((e.message, Span::new(at, to)));
                    return;
                }
            }
        }
    }
}

type Fail = (String, Span);

impl<'a> Builder<'a> {
    fn begin_document(&mut self, at: u32) {
        self.stack.clear();
        self.entry_stack.clear();
        self.item_stack.clear();
        self.anchors.clear();
        self.tainted.clear();
        self.root = None;
        self.doc_start = at;
        self.doc_nodes = 0;
        self.mark = (
            self.out.nodes.len(),
            self.out.entries.len(),
            self.out.items.len(),
        );
    }

    /// Record an error and abandon the current document.
    fn fail(&mut self, (message, span): Fail) {
        let document = self.out.document_count;
        self.out.errors.push(ParseError {
            message,
            span,
            document,
        });
        // A broken document still counts as a document of the stream.
        self.out.document_count += 1;
        // Drop the partial document: its nodes are unreachable.
        self.out.nodes.truncate(self.mark.0);
        self.out.entries.truncate(self.mark.1);
        self.out.items.truncate(self.mark.2);
        self.stack.clear();
        self.entry_stack.clear();
        self.item_stack.clear();
        self.root = None;
        // The next document starts fresh.
        self.mark = (
            self.out.nodes.len(),
            self.out.entries.len(),
            self.out.items.len(),
        );
    }

    fn event(&mut self, event: Event<'a>, span: Span) -> Result<(), Fail> {
        match event.kind {
            EventKind::StreamStart | EventKind::StreamEnd => {}
            EventKind::DocumentStart { .. } => {}
            EventKind::DocumentEnd { .. } => self.end_document(span),
            EventKind::Scalar {
                value,
                anchor,
                tag,
                plain_implicit,
                style,
            } => {
                let core = match tag.as_deref() {
                    None => CoreTag::None,
                    Some(t) => CoreTag::from_suffix(t.strip_prefix(kube4c_yaml::CORE_PREFIX)),
                };
                // yaml.v2: `<<` is a merge key when it was resolved implicitly (plain and
                // untagged, or tagged `!`) or tagged `!!merge`, whatever its quoting.
                let is_merge = &*value == "<<" && (plain_implicit || core == CoreTag::Merge);
                let quoted = !plain_implicit;
                let core = if tag.as_deref() == Some("!") {
                    CoreTag::Other
                } else {
                    core
                };
                let text: Cow<'a, str> = if core == CoreTag::Binary {
                    match scalar::decode_base64(&value) {
                        Some(bytes) => Cow::Owned(input::go_lossy(&bytes).0),
                        None => {
                            return Err((
                                "!!binary value contains invalid base64 data".into(),
                                span,
                            ))
                        }
                    }
                } else {
                    value
                };
                let resolved = if is_merge {
                    Resolved::Merge
                } else {
                    scalar::resolve(&text, quoted, core).map_err(|m| {
                        (
                            format!("cannot decode {} `{}` as a {}", m.found, text, m.wanted),
                            span,
                        )
                    })?
                };
                // As a key, an infinite or NaN float is just its text (`-.inf`); as a value it
                // has no JSON form.
                if let (Resolved::Float(f), false) = (resolved, self.key_position()) {
                    if !f.is_finite() {
                        self.warn(
                            format!(
                                "`{text}` is not a JSON number: the API server rejects this object"
                            ),
                            span,
                        );
                    }
                }
                // A key is stored as the JSON key string the API server sees (`y` -> "true").
                let value = if self.key_position() {
                    let key = scalar::json_key(&text, resolved);
                    if *key == *text {
                        Value::Str(text)
                    } else {
                        Value::Str(Cow::Owned(key.into_owned()))
                    }
                } else {
                    match resolved {
                        Resolved::Null => Value::Null,
                        Resolved::Bool(b) => Value::Bool(b),
                        Resolved::Int(i) => Value::Int(i),
                        Resolved::UInt(u) => Value::UInt(u),
                        Resolved::Float(f) => Value::Float(f),
                        Resolved::Str | Resolved::Merge => Value::Str(text),
                    }
                };
                // sigs.k8s.io/yaml has no JSON form for a null key or a uint64 one (an integer above
                // int64): the object is rejected if such a key survives.
                let null_key =
                    self.key_position() && matches!(resolved, Resolved::Null | Resolved::UInt(_));
                let id = self.push_node(Node {
                    value,
                    span,
                    weight: 1,
                    style: Style::from_scalar(style),
                    shared: false,
                })?;
                if null_key {
                    self.tainted.insert(id, span);
                }
                if let Some(a) = anchor {
                    self.anchors.insert(a, id);
                }
                self.attach(id, is_merge)?;
            }
            EventKind::SequenceStart { anchor, flow, .. } => {
                self.stack.push(Frame::Seq {
                    start: span.start,
                    base: self.item_stack.len(),
                    anchor,
                    flow,
                });
            }
            EventKind::MappingStart { anchor, flow, .. } => {
                self.stack.push(Frame::Map {
                    start: span.start,
                    base: self.entry_stack.len(),
                    key: None,
                    anchor,
                    flow,
                });
            }
            EventKind::SequenceEnd => self.end_seq(span)?,
            EventKind::MappingEnd => self.end_map(span)?,
            EventKind::Alias(name) => {
                let Some(&target) = self.anchors.get(name) else {
                    return Err((format!("unknown anchor '{name}' referenced"), span));
                };
                let id = if self.key_position() {
                    // A key is read as its JSON string; give it its own node at the alias.
                    let t = self.out.node(target).clone();
                    let null_key = matches!(t.value, Value::Null | Value::UInt(_));
                    let key: Cow<'a, str> = match t.value {
                        Value::Str(s) => s,
                        Value::Bool(b) => Cow::Borrowed(if b { "true" } else { "false" }),
                        Value::Int(i) => Cow::Owned(i.to_string()),
                        Value::UInt(u) => Cow::Owned(u.to_string()),
                        Value::Null => Cow::Borrowed("null"),
                        Value::Float(f) => {
                            scalar::json_key("", Resolved::Float(f)).into_owned().into()
                        }
                        Value::Map { .. } | Value::Seq { .. } => Cow::Borrowed(""),
                    };
                    let id = self.push_node(Node {
                        value: Value::Str(key),
                        span,
                        weight: t.weight,
                        style: Style::Alias,
                        shared: false,
                    })?;
                    if null_key {
                        self.tainted.insert(id, span);
                    }
                    id
                } else {
                    self.mark_shared(target);
                    target
                };
                self.attach(id, false)?;
            }
        }
        Ok(())
    }

    /// The node is used again through an alias: it and everything under it are shared by
    /// several places of the document, so no fix edits them automatically. Each node is marked
    /// once (a marked node's subtree is marked already), so aliases cost O(nodes) in all.
    fn mark_shared(&mut self, target: NodeId) {
        let mut todo = vec![target];
        while let Some(n) = todo.pop() {
            let node = &mut self.out.nodes[n as usize];
            if node.shared {
                continue;
            }
            node.shared = true;
            match node.value {
                Value::Map { start, len } => {
                    for e in &self.out.entries[start as usize..(start + len) as usize] {
                        todo.push(e.key);
                        todo.push(e.value);
                    }
                }
                Value::Seq { start, len } => {
                    todo.extend_from_slice(&self.out.items[start as usize..(start + len) as usize]);
                }
                _ => {}
            }
        }
    }

    fn key_position(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    fn warn(&mut self, message: String, span: Span) {
        self.out.warnings.push(Warning {
            message,
            span,
            document: self.out.document_count,
        });
    }

    fn push_node(&mut self, node: Node<'a>) -> Result<NodeId, Fail> {
        let id = NodeId::try_from(self.out.nodes.len())
            .map_err(|_| ("input has too many nodes".to_string(), node.span))?;
        self.out.nodes.push(node);
        self.doc_nodes += 1;
        Ok(id)
    }

    fn attach(&mut self, id: NodeId, is_merge: bool) -> Result<(), Fail> {
        match self.stack.last_mut() {
            None => self.root = Some(id),
            Some(Frame::Seq { .. }) => self.item_stack.push(id),
            Some(Frame::Map { key, .. }) => match key.take() {
                None => {
                    if !matches!(
                        self.out.nodes[id as usize].value,
                        Value::Map { .. } | Value::Seq { .. }
                    ) {
                        *key = Some((id, is_merge));
                    } else {
                        let span = self.out.nodes[id as usize].span;
                        return Err((
                            "a mapping key must be a scalar: Kubernetes cannot read it as JSON"
                                .into(),
                            span,
                        ));
                    }
                }
                Some((k, merge)) => self.entry_stack.push((k, id, merge)),
            },
        }
        Ok(())
    }

    fn check_weight(&self, weight: u64, span: Span) -> Result<u32, Fail> {
        if weight > self.doc_nodes + self.limits.alias_expansion {
            return Err((
                format!(
                    "excessive aliasing: this node expands to more than {} nodes",
                    self.doc_nodes + self.limits.alias_expansion
                ),
                span,
            ));
        }
        Ok(weight.min(u32::MAX as u64) as u32)
    }

    fn end_seq(&mut self, end: Span) -> Result<(), Fail> {
        let Some(Frame::Seq {
            start,
            base,
            anchor,
            flow,
        }) = self.stack.pop()
        else {
            return Err(("unbalanced sequence end".into(), end));
        };
        let first = self.out.items.len() as u32;
        let mut weight: u64 = 1;
        let mut last_end = start;
        for &i in &self.item_stack[base..] {
            let n = &self.out.nodes[i as usize];
            weight += n.weight as u64;
            last_end = last_end.max(n.span.end);
        }
        let taint = if self.tainted.is_empty() {
            None
        } else {
            self.item_stack[base..]
                .iter()
                .find_map(|i| self.tainted.get(i).copied())
        };
        self.out.items.extend(self.item_stack.drain(base..));
        let len = self.out.items.len() as u32 - first;
        let value = Value::Seq { start: first, len };
        let style = if flow {
            Style::FlowSeq
        } else {
            Style::BlockSeq
        };
        self.close_collection(value, style, start, end, last_end, weight, taint, anchor)
    }

    /// The common end of a sequence or mapping: its span (to the closing token, or to its last
    /// child for block collections), the alias budget, the arena node, taint, anchor, parent.
    #[allow(clippy::too_many_arguments)]
    fn close_collection(
        &mut self,
        value: Value<'a>,
        style: Style,
        start: u32,
        end: Span,
        last_end: u32,
        weight: u64,
        taint: Option<Span>,
        anchor: Option<&'a str>,
    ) -> Result<(), Fail> {
        let span_end = if end.end > end.start {
            end.end
        } else {
            last_end
        };
        let span = Span {
            start,
            end: span_end.max(start),
        };
        let weight = self.check_weight(weight, span)?;
        let id = self.push_node(Node {
            value,
            span,
            weight,
            style,
            shared: false,
        })?;
        if let Some(t) = taint {
            self.tainted.insert(id, t);
        }
        if let Some(a) = anchor {
            self.anchors.insert(a, id);
        }
        self.attach(id, false)
    }

    fn end_map(&mut self, end: Span) -> Result<(), Fail> {
        let Some(Frame::Map {
            start,
            base,
            key,
            anchor,
            flow,
        }) = self.stack.pop()
        else {
            return Err(("unbalanced mapping end".into(), end));
        };
        if let Some((k, _)) = key {
            // A key with no value event cannot happen with a well-formed event stream.
            return Err(("mapping key without a value".into(), self.out.span(k)));
        }
        let raw: Vec<(NodeId, NodeId, bool)> = self.entry_stack.drain(base..).collect();
        let mut out: Vec<Entry> = Vec::with_capacity(raw.len());
        // Which entries were set explicitly (for duplicate reporting), parallel to `out`.
        let mut explicit: Vec<bool> = Vec::with_capacity(raw.len());
        let mut index: HashMap<&str, usize> = HashMap::new();
        let use_index = raw.len() > 12;
        let mut dups: Vec<(NodeId, NodeId)> = Vec::new();
        let mut last_end = start;
        {
            let nodes = &self.out.nodes;
            let mut set = |k: NodeId, v: NodeId, is_explicit: bool| {
                let key_of = |n: NodeId| match &nodes[n as usize].value {
                    Value::Str(s) => &**s,
                    _ => "",
                };
                let ks: &str = key_of(k);
                let found = if use_index {
                    index.get(ks).copied()
                } else {
                    out.iter().position(|e| key_of(e.key) == ks)
                };
                match found {
                    Some(i) => {
                        if is_explicit && explicit[i] {
                            dups.push((out[i].key, k));
                        }
                        out[i] = Entry { key: k, value: v };
                        explicit[i] = is_explicit;
                    }
                    None => {
                        if use_index {
                            index.insert(ks, out.len());
                        }
                        out.push(Entry { key: k, value: v });
                        explicit.push(is_explicit);
                    }
                }
            };
            for &(k, v, is_merge) in &raw {
                last_end = last_end.max(nodes[v as usize].span.end);
                if !is_merge {
                    set(k, v, true);
                    continue;
                }
                let merge_err = || {
                    (
                        "map merge requires map or sequence of maps as the value".to_string(),
                        nodes[v as usize].span,
                    )
                };
                match nodes[v as usize].value {
                    Value::Map { start, len } => {
                        for e in &self.out.entries[start as usize..(start + len) as usize] {
                            set(e.key, e.value, false);
                        }
                    }
                    Value::Seq { start, len } => {
                        let items = &self.out.items[start as usize..(start + len) as usize];
                        for &item in items.iter().rev() {
                            let Value::Map { start, len } = nodes[item as usize].value else {
                                return Err(merge_err());
                            };
                            for e in &self.out.entries[start as usize..(start + len) as usize] {
                                set(e.key, e.value, false);
                            }
                        }
                    }
                    _ => return Err(merge_err()),
                }
            }
        }
        for (first, again) in dups {
            let name = self.out.key_str(again).to_string();
            let span = self.out.nodes[again as usize].span;
            let document = self.out.document_count;
            self.dups.push((
                self.out.nodes[first as usize].span.start,
                span,
                name,
                document,
            ));
        }
        let mut weight: u64 = 1;
        for e in &out {
            weight += self.out.nodes[e.key as usize].weight as u64
                + self.out.nodes[e.value as usize].weight as u64;
        }
        let taint = if self.tainted.is_empty() {
            None
        } else {
            out.iter().find_map(|e| {
                self.tainted
                    .get(&e.key)
                    .or_else(|| self.tainted.get(&e.value))
                    .copied()
            })
        };
        let first = self.out.entries.len() as u32;
        let len = out.len() as u32;
        self.out.entries.extend(out);
        let value = Value::Map { start: first, len };
        let style = if flow {
            Style::FlowMap
        } else {
            Style::BlockMap
        };
        self.close_collection(value, style, start, end, last_end, weight, taint, anchor)
    }

    fn end_document(&mut self, span: Span) {
        let Some(root) = self.root.take() else {
            return;
        };
        if let Some(&at) = self.tainted.get(&root) {
            // sigs.k8s.io/yaml: "Unsupported map key of type: <nil>".
            self.fail((
                "this key cannot be converted to JSON (a null key, or an integer beyond int64): the API server rejects this object".into(),
                at,
            ));
            return;
        }
        if self.out.nodes[root as usize].value == Value::Null {
            // An empty document (`---` alone, or comments only) is skipped, as kubectl does.
            return;
        }
        let index = self.out.document_count;
        self.out.document_count += 1;
        let root_span = self.out.nodes[root as usize].span;
        self.out.docs.push(Doc {
            index,
            root,
            span: Span {
                start: self.doc_start.min(root_span.start),
                end: span.end.max(root_span.end),
            },
        });
        self.mark = (
            self.out.nodes.len(),
            self.out.entries.len(),
            self.out.items.len(),
        );
    }
}

impl<'a> Builder<'a> {
    /// Turn the duplicate keys into warnings, finding every line number in one sweep.
    fn finish(mut self) -> Stream<'a> {
        let dups = std::mem::take(&mut self.dups);
        resolve_dups(&mut self.out, dups);
        self.out
    }
}
