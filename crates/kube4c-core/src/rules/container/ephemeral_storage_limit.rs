use super::missing_resources;
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/ephemeral-storage-limit",
    layer: Layer::Container,
    severity: Severity::Low,
    title: "No ephemeral-storage limit",
    what: "Init and regular containers without `resources.limits.ephemeral-storage`.",
    why: "Container logs, the writable layer and emptyDir volumes share the node's disk. One container that writes without bound — a log loop, a decompression bomb, an attacker's staging area — fills it, and the kubelet evicts every pod of the node under disk pressure.",
    remediation: "Set `resources.limits.ephemeral-storage` (and a request), and `sizeLimit` on emptyDir volumes.",
    example: "resources:\n  requests: {ephemeral-storage: 1Gi}\n  limits: {ephemeral-storage: 2Gi}",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["Kubernetes: local ephemeral storage"],
    peers: &[("kube-score", "container-ephemeral-storage-request-and-limit")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let required = cx.option(&super::resource_limits::META, "resources");
    if cx.enabled(&super::resource_limits::META)
        && required.as_list().iter().any(|r| r == "ephemeral-storage")
    {
        return;
    }
    for c in &m.containers {
        let Some((_, span)) = missing_resources(m, c, "limits", &["ephemeral-storage"]) else {
            continue;
        };
        out.push(cx.container_finding(
            &META,
            c,
            span,
            m.container_path(c, &["resources", "limits", "ephemeral-storage"]),
            format!("{} has no ephemeral-storage limit", m.describe(c)),
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
            &deployment("", "resources:\n  limits: {ephemeral-storage: 1Gi}"),
        );
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("", ""), &[(13, "name")]);
    }
}
