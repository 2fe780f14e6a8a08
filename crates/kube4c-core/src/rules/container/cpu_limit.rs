use super::missing_resources;
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/cpu-limit",
    layer: Layer::Container,
    severity: Severity::Info,
    title: "No CPU limit",
    what: "Init and regular containers without `resources.limits.cpu`. Informational on purpose: see why.",
    why: "A CPU limit caps what a runaway or hijacked process (a cryptominer) can burn on the node. But CPU limits are disputed advice: CPU is compressible, requests already guarantee each pod its share under contention, and limits throttle latency-sensitive services even on idle nodes (CFS quota). Many teams set requests and no CPU limit; a namespace LimitRange or ResourceQuota is the better guard. Memory limits are not disputed: see container/resource-limits.",
    remediation: "Set a CPU request sized from observed use; add a CPU limit where you need a hard cap (batch jobs, untrusted code, shared clusters), or enforce one namespace-wide with a LimitRange.",
    example: "resources:\n  requests: {cpu: 250m, memory: 256Mi}\n  limits: {cpu: \"1\", memory: 256Mi}",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["Kubernetes: resource management for pods and containers", "4C model: Container layer, resource limits"],
    peers: &[("checkov", "CKV_K8S_11"), ("polaris", "cpuLimitsMissing"), ("kubesec", "LimitsCPU"), ("trivy", "KSV011")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    // container/resource-limits configured to require cpu already says so.
    let required = cx.option(&super::resource_limits::META, "resources");
    if cx.enabled(&super::resource_limits::META) && required.as_list().iter().any(|r| r == "cpu") {
        return;
    }
    for c in &m.containers {
        let Some((_, span)) = missing_resources(m, c, "limits", &["cpu"]) else {
            continue;
        };
        out.push(cx.container_finding(
            &META,
            c,
            span,
            m.container_path(c, &["resources", "limits", "cpu"]),
            format!("{} has no CPU limit", m.describe(c)),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(&META, &deployment("", "resources:\n  limits: {cpu: 500m}"));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("", "resources:\n  limits: {memory: 1Gi}"),
            &[(16, "limits")],
        );
    }
}
