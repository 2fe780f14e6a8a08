use crate::model::ContainerKind;
use crate::rules::{Context, FixAvailability, OptionDefault, RuleMeta, RuleOption};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/resource-limits",
    layer: Layer::Container,
    severity: Severity::Medium,
    title: "Memory limit missing",
    what: "Init and regular containers without `resources.limits.memory` — or without any of the limits the option `resources` names (default: memory only; a missing CPU limit is container/cpu-limit, informational, and ephemeral storage is container/ephemeral-storage-limit).",
    why: "Memory is not compressible: without a limit one container — a leak, a load spike, a decompression bomb — takes the node's memory, and the kernel's OOM killer then picks victims among every pod of the node (denial of service).",
    remediation: "Set `resources.limits.memory` (and a memory request, usually equal), sized from observed usage.",
    example: "resources:\n  requests: {cpu: 100m, memory: 128Mi}\n  limits: {cpu: 500m, memory: 256Mi}",
    pss: &[],
    fix: FixAvailability::None,
    options: &[RuleOption {
        name: "resources",
        doc: "The limits every container must set (`memory`, `cpu`, `ephemeral-storage`, or an extended resource). Add `cpu` to require CPU limits as well (this rule then reports them, instead of container/cpu-limit).",
        default: OptionDefault::List(&["memory"]),
    }],
    references: &["CIS Kubernetes 5.7 (resource quotas)", "4C model: Container layer, resource limits"],
    peers: &[
        ("kube-linter", "unset-memory-requirements"),
        ("checkov", "CKV_K8S_13"),
        ("polaris", "memoryLimitsMissing"),
        ("kubesec", "LimitsMemory"),
        ("trivy", "KSV018"),
    ],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    let required = cx.option(&META, "resources");
    for c in &m.containers {
        if c.kind == ContainerKind::Ephemeral {
            continue;
        }
        let resources = s.get_entry(c.node, "resources");
        let limits = resources.and_then(|r| s.get_entry(r.value, "limits"));
        let has = |k: &str| {
            limits
                .and_then(|l| s.get(l.value, k))
                .is_some_and(|v| !s.is_null(v))
        };
        let missing: Vec<&str> = required
            .as_list()
            .iter()
            .map(String::as_str)
            .filter(|k| !has(k))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let span = match (limits, resources) {
            (Some(l), _) => s.span(l.key),
            (None, Some(r)) => s.span(r.key),
            _ => m.container_name_span(c),
        };
        out.push(cx.container_finding(
            &META,
            c,
            span,
            format!("{}.resources.limits", c.path),
            format!("{} has no {} limit", m.describe(c), missing.join(" or ")),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(
            &META,
            &deployment(
                "",
                "resources:\n  limits:\n    cpu: 500m\n    memory: 256Mi",
            ),
        );
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("", ""), &[(13, "name")]);
        assert_fail(
            &META,
            &deployment("", "resources:\n  requests: {cpu: 1}"),
            &[(15, "resources")],
        );
        assert_fail(
            &META,
            &deployment("", "resources:\n  limits:\n    cpu: 1"),
            &[(16, "limits")],
        );
    }
}
