//! Engine rule: reported by the suppression pass (`crate::suppress`), not by a check of its own.

use crate::rules::{FixAvailability, RuleMeta};
use crate::{Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "code/unused-suppression",
    layer: Layer::Code,
    severity: Severity::Low,
    title: "Suppression that matches no finding",
    what: "An `ignore.kube4c.io/<rule>` annotation or a `# kube4c-ignore` comment whose rule reports nothing where it applies (the problem was fixed, the rule is off, or the suppression sits on the wrong line or names the wrong container).",
    why: "A stale suppression outlives the problem it excused and silently hides the next one of the same kind on that resource.",
    remediation: "Remove the suppression, or move it to the line (or container) the finding is on.",
    example: "# kube4c-ignore container/image-digest: pinned by the release pipeline\nimage: registry.example.com/app:1.4.2",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["kube4c: suppressions (ARCHITECTURE.md)", "Ruff RUF100 (unused `noqa`), the model for this rule"],
    peers: &[],
};
