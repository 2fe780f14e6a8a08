//! kube4c-yaml: YAML 1.1 read the way Kubernetes reads it.
//!
//! Kubernetes reads manifests through `sigs.k8s.io/yaml`, which sits on go-yaml v2, which
//! follows libyaml's YAML 1.1 scanner. That grammar differs from YAML 1.2 in ways an attacker
//! can use to hide a setting from a YAML 1.2 reader: NEL, LINE SEPARATOR and PARAGRAPH
//! SEPARATOR end lines, `\'` is a valid escape, tags take `,`, `[` and `]` into their name,
//! simple keys are limited to 1,024 characters, a tab is whitespace only where no simple key
//! may start, and so on. This crate implements that grammar from the YAML 1.1 specification
//! and from behaviour verified against Kubernetes' own code (`tests/k8s-oracle`): a scanner
//! turning text into tokens and a parser turning tokens into events, both with byte spans,
//! both iterative (no recursion on input depth), with no `unsafe`.
//!
//! One call parses one document, as `yaml.Unmarshal` does: the caller splits the stream into
//! documents first, as kubectl does (see `kube4c-core`'s `document::input`).

#![forbid(unsafe_code)]

mod parser;
mod scanner;

pub use parser::{Event, EventKind, Parser, CORE_PREFIX};
pub use scanner::{Mark, ScalarStyle};

/// A problem that stops the document from being read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub message: String,
    /// Byte offsets of the offending text in the source.
    pub start: usize,
    pub end: usize,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Bounds that keep hostile input from exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Nesting of block and flow collections together.
    pub nesting: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { nesting: 1_000 }
    }
}

#[cfg(test)]
mod tests;
