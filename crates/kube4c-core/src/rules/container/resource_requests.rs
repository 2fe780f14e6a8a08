use super::missing_resources;
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/resource-requests",
    layer: Layer::Container,
    severity: Severity::Low,
    title: "CPU or memory request missing",
    what: "Init and regular containers without `resources.requests.cpu` or `resources.requests.memory` (a limit set without a request counts: Kubernetes then requests the limit).",
    why: "Without requests the scheduler places the pod as if it needed nothing: nodes are overcommitted, and under pressure the pod is BestEffort — the first to be evicted or starved. A neighbour's spike, or an attacker's, then takes the service down.",
    remediation: "Set CPU and memory requests sized from observed use.",
    example: "resources:\n  requests: {cpu: 250m, memory: 256Mi}",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["Kubernetes: resource management for pods and containers"],
    peers: &[
        ("kube-linter", "unset-cpu-requirements"),
        ("kube-linter", "unset-memory-requirements"),
        ("checkov", "CKV_K8S_10"),
        ("checkov", "CKV_K8S_12"),
        ("polaris", "cpuRequestsMissing"),
        ("polaris", "memoryRequestsMissing"),
        ("kubesec", "RequestsCPU"),
        ("kubesec", "RequestsMemory"),
        ("trivy", "KSV015"),
        ("trivy", "KSV016"),
    ],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    for c in &m.containers {
        let Some((missing, span)) = missing_resources(m, c, "requests", &["cpu", "memory"]) else {
            continue;
        };
        out.push(cx.container_finding(
            &META,
            c,
            span,
            m.container_path(c, &["resources", "requests"]),
            format!("{} requests no {}", m.describe(c), missing.join(" or ")),
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
                "resources:\n  requests: {cpu: 100m}\n  limits: {memory: 1Gi}",
            ),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("", "resources:\n  requests: {cpu: 100m}"),
            &[(16, "requests")],
        );
    }
}
