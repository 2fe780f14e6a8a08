//! YAML text -> span-true node arena, read the way the Kubernetes API server reads it.
//!
//! One [`Stream`] holds every document of the input in one arena. Nodes keep the byte span of
//! their source text. Aliases share the anchored node (no copy), and a per-document budget on the
//! expanded size turns an alias bomb into an error instead of a hang. Duplicate keys keep the
//! last value and are reported; merge keys (`<<`) apply in document order. Nothing here recurses
//! on input depth: the builder keeps its own stack, and the parser's nesting limits fail closed.

mod build;
pub mod incremental;
pub mod input;
pub mod scalar;

use std::borrow::Cow;

pub use build::{parse, parse_input, parse_with, Limits};
pub use scalar::Resolved;

/// Index of a node in the arena.
pub type NodeId = u32;

/// A half-open byte range in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start.min(u32::MAX as usize) as u32,
            end: end.max(start).min(u32::MAX as usize) as u32,
        }
    }
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// What a node holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(Cow<'a, str>),
    /// `entries[start .. start + len]`, unique keys, in document order (last value wins).
    Map {
        start: u32,
        len: u32,
    },
    /// `items[start .. start + len]`.
    Seq {
        start: u32,
        len: u32,
    },
}

#[derive(Debug, Clone)]
pub struct Node<'a> {
    pub value: Value<'a>,
    pub span: Span,
    /// Number of nodes this one stands for once aliases are expanded (saturating).
    pub weight: u32,
    /// How the node is written, so that edits keep the user's style.
    pub style: Style,
    /// Reached through an alias somewhere (it or an ancestor is anchored and aliased): the
    /// same text is read at several places, so an edit here changes all of them.
    pub shared: bool,
}

/// How a node is written in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
    BlockMap,
    FlowMap,
    BlockSeq,
    FlowSeq,
    /// A key written as an alias (`*a: v`).
    Alias,
}

impl Style {
    fn from_scalar(s: kube4c_yaml::ScalarStyle) -> Style {
        use kube4c_yaml::ScalarStyle as S;
        match s {
            S::Plain => Style::Plain,
            S::SingleQuoted => Style::SingleQuoted,
            S::DoubleQuoted => Style::DoubleQuoted,
            S::Literal => Style::Literal,
            S::Folded => Style::Folded,
        }
    }
}

/// One key/value pair of a mapping.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub key: NodeId,
    pub value: NodeId,
}

/// A problem that stopped one document from being read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
    /// Index of the document in the stream (counting empty ones as the parser saw them).
    pub document: usize,
}

/// Something the API server accepts but a reviewer should know (duplicate keys…).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    pub message: String,
    pub span: Span,
    pub document: usize,
}

impl Warning {
    /// The warning says the API server (or kubectl) refuses the object: the input was not
    /// proven safe, so it counts as unread (`Report::unread`).
    pub fn is_rejection(&self) -> bool {
        self.message.contains("rejects")
    }
}

/// One document of the stream that was read successfully.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Position of the document among the non-empty documents of the stream.
    pub index: usize,
    pub root: NodeId,
    pub span: Span,
}

/// Every document of one input text.
#[derive(Debug, Default)]
pub struct Stream<'a> {
    pub source: &'a str,
    pub nodes: Vec<Node<'a>>,
    pub entries: Vec<Entry>,
    pub items: Vec<NodeId>,
    pub docs: Vec<Doc>,
    pub errors: Vec<ParseError>,
    pub warnings: Vec<Warning>,
    /// Number of documents seen (including broken ones, excluding empty ones).
    pub document_count: usize,
}

impl<'a> Stream<'a> {
    pub fn node(&self, id: NodeId) -> &Node<'a> {
        &self.nodes[id as usize]
    }

    pub fn span(&self, id: NodeId) -> Span {
        self.node(id).span
    }

    /// The mapping's entries, or none when the node is not a mapping.
    pub fn entries(&self, id: NodeId) -> &[Entry] {
        match self.node(id).value {
            Value::Map { start, len } => &self.entries[start as usize..(start + len) as usize],
            _ => &[],
        }
    }

    /// The sequence's items, or none when the node is not a sequence.
    pub fn items(&self, id: NodeId) -> &[NodeId] {
        match self.node(id).value {
            Value::Seq { start, len } => &self.items[start as usize..(start + len) as usize],
            _ => &[],
        }
    }

    pub fn is_map(&self, id: NodeId) -> bool {
        matches!(self.node(id).value, Value::Map { .. })
    }

    pub fn is_seq(&self, id: NodeId) -> bool {
        matches!(self.node(id).value, Value::Seq { .. })
    }

    /// The key string as it appears in the JSON the API server sees (key nodes always hold
    /// their JSON key as a string value).
    pub fn key_str(&self, key: NodeId) -> &str {
        match &self.node(key).value {
            Value::Str(s) => s,
            _ => "",
        }
    }

    /// Look up `key` in a mapping (case-sensitive, as Kubernetes matches field names).
    pub fn get(&self, map: NodeId, key: &str) -> Option<NodeId> {
        self.get_entry(map, key).map(|e| e.value)
    }

    /// Look up `key` and return the whole entry (for the key's span).
    pub fn get_entry(&self, map: NodeId, key: &str) -> Option<Entry> {
        self.entries(map)
            .iter()
            .find(|e| self.key_str(e.key) == key)
            .copied()
    }

    /// Follow a path of keys.
    pub fn path(&self, mut node: NodeId, keys: &[&str]) -> Option<NodeId> {
        for k in keys {
            node = self.get(node, k)?;
        }
        Some(node)
    }

    /// A string value (only real strings, not numbers or booleans).
    pub fn str(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A value as the text a string field would hold after JSON decoding; numbers and booleans
    /// are rendered, so `command: [kube-apiserver, --secure-port=6443]` style lists read fine.
    pub fn scalar_text(&self, id: NodeId) -> Option<Cow<'_, str>> {
        match &self.node(id).value {
            Value::Str(s) => Some(Cow::Borrowed(s)),
            Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            Value::Int(i) => Some(Cow::Owned(i.to_string())),
            Value::UInt(u) => Some(Cow::Owned(u.to_string())),
            Value::Float(f) => Some(Cow::Owned(f.to_string())),
            _ => None,
        }
    }

    pub fn bool(&self, id: NodeId) -> Option<bool> {
        match self.node(id).value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// An integer value; an integral float (e.g. `08`, read as 8.0) counts, as it does once the
    /// value has been through JSON.
    pub fn int(&self, id: NodeId) -> Option<i64> {
        match self.node(id).value {
            Value::Int(i) => Some(i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
            _ => None,
        }
    }

    pub fn is_null(&self, id: NodeId) -> bool {
        matches!(self.node(id).value, Value::Null)
    }

    /// The source text covered by a span.
    pub fn slice(&self, span: Span) -> &'a str {
        self.source
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests;
