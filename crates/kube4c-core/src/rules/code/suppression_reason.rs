//! Engine rule: reported by the suppression pass (`crate::suppress`), not by a check of its own.

use crate::rules::{FixAvailability, RuleMeta};
use crate::{Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "code/suppression-reason",
    layer: Layer::Code,
    severity: Severity::Medium,
    title: "Suppression without a reason, or of an unknown rule",
    what: "An `ignore.kube4c.io/<rule>` annotation or a `# kube4c-ignore <rule>: <reason>` comment with an empty reason, or naming a rule kube4c does not have. Such a suppression suppresses nothing.",
    why: "A suppression is a decision to accept a risk. Without a written reason the next reviewer cannot tell an accepted risk from a silenced alarm, and a misspelt rule id hides nothing while looking as if it did.",
    remediation: "Write why the finding is accepted (a ticket, a compensating control): `ignore.kube4c.io/container-run-as-non-root: \"vendor image needs root; OPS-123\"`. Check the rule id with `kube4c rules`.",
    example: "metadata:\n  annotations:\n    ignore.kube4c.io/container-run-as-non-root: \"[legacy] vendor image runs as root; tracked in OPS-123\"",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["kube4c: suppressions (ARCHITECTURE.md)", "The same idea: kube-linter `ignore-check.kube-linter.io/<check>` and Checkov `checkov.io/skip<N>` annotations"],
    peers: &[],
};
