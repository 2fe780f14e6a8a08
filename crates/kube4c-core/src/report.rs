//! Findings and the report the faces render.

use serde::Serialize;

use crate::document::{ParseError, Span, Warning};
use crate::fix::Fix;
use crate::rules::{RuleId, RuleMeta};

/// The 4C layer a rule belongs to (outermost first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Layer {
    Cloud,
    Cluster,
    Container,
    Code,
}

impl Layer {
    pub const ALL: [Layer; 4] = [Layer::Cloud, Layer::Cluster, Layer::Container, Layer::Code];
    /// What the layer covers, in a phrase (the page's panel shows it).
    pub fn scope(self) -> &'static str {
        match self {
            Layer::Cloud => "what the provider exposes: load balancers, disks, cloud keys",
            Layer::Cluster => "control plane, RBAC, NetworkPolicy, node access",
            Layer::Container => "runtime isolation, image, resources",
            Layer::Code => "the application's secrets and inputs",
        }
    }
    pub fn title(self) -> &'static str {
        match self {
            Layer::Cloud => "Cloud",
            Layer::Cluster => "Cluster",
            Layer::Container => "Container",
            Layer::Code => "Code",
        }
    }
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
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Least severe first.
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];
    /// The severity policy every rule is placed by (docs/RULES.md prints it).
    pub fn policy(self) -> &'static str {
        match self {
            Severity::Critical => "An attacker gets the cluster, a node or the cloud account in one step, with no other mistake needed: root on a node (privileged, runtime socket), cluster-admin or its equivalents (escalate/bind/impersonate, nodes/proxy, aws-auth), an unauthenticated API or etcd, a cloud credential in the manifest.",
            Severity::High => "A direct path to other workloads' data or to wider rights once one container is compromised, or exposure to the internet: host namespaces and host paths, Secrets readable through RBAC, credentials written into workloads, ConfigMaps, command lines or annotations, pod creation rights, public load balancers, snippet injection, root containers that can escalate.",
            Severity::Medium => "A missing layer of defence that makes a compromise worse or easier: no seccomp or capability drop, writable root filesystem, no NetworkPolicy, no memory limit, no TLS on an Ingress, unencrypted cloud volumes, weak admission configuration, a Secret manifest that carries its values.",
            Severity::Low => "Hygiene that narrows blast radius or helps operations, where the risk depends on other mistakes: default service account and namespace, token automount, requests and probes, pull policy, privileged ports.",
            Severity::Info => "Context, or advice the community disputes: said so in the rule's docs (CPU limits, Secrets read into env vars).",
        }
    }
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
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ResourceRef {
    pub kind: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub namespace: Option<String>,
    /// Index among the non-empty documents of the input.
    pub document: usize,
}

/// Another place a finding involves (the role a binding grants, a policy that selects other
/// pods), in any document of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub span: Span,
    pub label: String,
    /// The input of the run the span is in, when it is not the finding's own.
    pub file: Option<usize>,
}

/// How a finding was suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum SuppressionKind {
    /// `ignore.kube4c.io/<rule>` on the resource or its pod template.
    Annotation,
    /// `# kube4c-ignore <rule>: <reason>` on or above the line.
    Comment,
}

/// A suppression that matched a finding: the finding stays in the report, marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub kind: SuppressionKind,
    pub reason: String,
    /// Where the suppression is written.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The rule; layer, title and docs come from its metadata.
    pub rule: RuleId,
    /// The rule's severity after configuration (set by the engine, in one place).
    pub severity: Severity,
    pub message: String,
    /// JSON-style field path inside the resource's document.
    pub path: String,
    pub span: Span,
    pub related: Vec<Related>,
    /// Shared by every finding about the same object.
    pub resource: std::sync::Arc<ResourceRef>,
    /// The Pod Security check, one of those its rule declares, at the level in force.
    pub pss: Option<&'static str>,
    pub fix: Option<Fix>,
    pub suppressed: Option<Suppression>,
}

impl Finding {
    pub fn meta(&self) -> &'static RuleMeta {
        self.rule.meta()
    }
    pub fn layer(&self) -> Layer {
        self.meta().layer
    }
    /// Add a related location.
    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Finding {
        self.related.push(Related {
            span,
            label: label.into(),
            file: None,
        });
        self
    }
    pub fn with_fix(mut self, fix: Option<Fix>) -> Finding {
        self.fix = fix;
        self
    }

    /// Whether `other` says the same in everything but where: its rule, severity, message,
    /// path, object, Pod Security check, related labels, fix (title, applicability, each
    /// edit's text) and suppression (kind, reason) are equal, and it has as many places (see
    /// [`crate::output::places_of`]). An edit elsewhere moves a finding without changing it:
    /// the page keeps such findings and only moves their places.
    pub fn same_but_places(&self, other: &Finding) -> bool {
        let resource = |a: &ResourceRef, b: &ResourceRef| {
            a.document == b.document
                && same_text(&a.kind, &b.kind)
                && same_text(&a.name, &b.name)
                && match (&a.namespace, &b.namespace) {
                    (None, None) => true,
                    (Some(x), Some(y)) => same_text(x, y),
                    _ => false,
                }
        };
        self.rule == other.rule
            && self.severity == other.severity
            && same_text(&self.message, &other.message)
            && same_text(&self.path, &other.path)
            && self.pss == other.pss
            && (std::sync::Arc::ptr_eq(&self.resource, &other.resource)
                || resource(&self.resource, &other.resource))
            && self.related.len() == other.related.len()
            && self
                .related
                .iter()
                .zip(&other.related)
                .all(|(a, b)| a.file == b.file && same_text(&a.label, &b.label))
            && match (&self.fix, &other.fix) {
                (None, None) => true,
                (Some(a), Some(b)) => {
                    a.applicability == b.applicability
                        && same_text(&a.title, &b.title)
                        && a.edits.len() == b.edits.len()
                        && a.edits
                            .iter()
                            .zip(&b.edits)
                            .all(|(x, y)| same_text(&x.text, &y.text))
                }
                _ => false,
            }
            && match (&self.suppressed, &other.suppressed) {
                (None, None) => true,
                (Some(a), Some(b)) => a.kind == b.kind && same_text(&a.reason, &b.reason),
                _ => false,
            }
    }
}

/// Whether two texts are equal, compared eight bytes at a time.
///
/// In wasm, `==` on strings calls a `memcmp` that compares one byte at a time: comparing a
/// keystroke's kept findings with the last result's (their messages, paths and labels, in
/// [`Finding::same_but_places`]) was a sixth of the page's keystroke check (Node's profiler,
/// 2,000-line case). Natively it is about as fast as `==`.
pub fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    if a.as_ptr() == b.as_ptr() {
        return true;
    }
    let mut i = 0;
    while i + 8 <= a.len() {
        let (Ok(x), Ok(y)) = (
            <[u8; 8]>::try_from(&a[i..i + 8]),
            <[u8; 8]>::try_from(&b[i..i + 8]),
        ) else {
            return a == b;
        };
        if u64::from_ne_bytes(x) != u64::from_ne_bytes(y) {
            return false;
        }
        i += 8;
    }
    a[i..] == b[i..]
}

/// Everything one check of one input found.
#[derive(Debug, Default, Clone)]
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

    /// The findings that count (not suppressed).
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }

    /// Active findings per layer, outermost first.
    pub fn count_by_layer(&self) -> [usize; 4] {
        let mut c = [0; 4];
        for f in self.active() {
            c[f.layer() as usize] += 1;
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::same_text;

    /// Equal to `==` for every length around the eight-byte steps, whichever byte differs.
    #[test]
    fn same_text_is_equality() {
        for n in 0..40 {
            let a: String = (0..n).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            assert!(same_text(&a, &a.clone()), "{n}");
            assert!(!same_text(&a, &format!("{a}x")), "{n}");
            for at in 0..n {
                let mut b = a.clone().into_bytes();
                b[at] = b'Z';
                let b = String::from_utf8(b).unwrap();
                assert!(!same_text(&a, &b), "{n} {at}");
            }
        }
        assert!(same_text("ü-€", "ü-€"));
        assert!(!same_text("ü", "u"));
    }
}
