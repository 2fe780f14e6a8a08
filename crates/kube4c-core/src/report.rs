//! Findings and the report the faces render.

use serde::Serialize;

use crate::document::{ParseError, Span, Warning};

/// The 4C layer a rule belongs to (outermost first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Cloud,
    Cluster,
    Container,
    Code,
}

impl Layer {
    pub const ALL: [Layer; 4] = [Layer::Cloud, Layer::Cluster, Layer::Container, Layer::Code];
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Cloud => "cloud",
            Layer::Cluster => "cluster",
            Layer::Container => "container",
            Layer::Code => "code",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "info" => Severity::Info,
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }
}

/// The object a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceRef {
    pub kind: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Index among the non-empty documents of the input.
    pub document: usize,
}

/// A text edit that fixes a finding (reserved: quick fixes come later).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub description: String,
    pub span: Span,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub layer: Layer,
    pub severity: Severity,
    pub message: String,
    /// JSON-style field path inside the resource's document.
    pub path: String,
    pub span: Span,
    /// Shared by every finding about the same object.
    pub resource: std::sync::Arc<ResourceRef>,
    /// Upstream Pod Security Standards check id, when the rule implements one.
    pub pss: Option<&'static str>,
    pub fix: Option<Fix>,
}

/// Everything one check of one input found.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Report {
    /// Non-empty documents in the input (broken ones included).
    pub documents: usize,
    pub errors: Vec<ParseError>,
    pub warnings: Vec<Warning>,
    pub findings: Vec<Finding>,
}

impl Report {
    /// Documents or objects that were not proven safe: unreadable documents, and objects the
    /// API server or kubectl would reject. A run with any of them must not pass a gate.
    pub fn unread(&self) -> usize {
        self.errors.len() + self.warnings.iter().filter(|w| w.is_rejection()).count()
    }

    pub fn count_by_layer(&self) -> [usize; 4] {
        let mut c = [0; 4];
        for f in &self.findings {
            c[f.layer as usize] += 1;
        }
        c
    }
}
