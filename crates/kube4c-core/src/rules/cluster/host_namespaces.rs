use crate::fix::{Applicability, Scalar};
use crate::model::fields::names;
use crate::model::is_true;
use crate::rules::{Context, FixAvailability, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/host-namespaces",
    layer: Layer::Cluster,
    severity: Severity::High,
    title: "Pod shares the node's namespaces",
    what: "`hostNetwork: true`, `hostPID: true` or `hostIPC: true` in a PodSpec.",
    why: "Host namespaces remove the wall between the pod and the node: hostNetwork lets the pod sniff and bind on the node's interfaces and bypass NetworkPolicy; hostPID lets it see and signal every process on the node; hostIPC lets it read other workloads' shared memory.",
    remediation: "Remove these fields. Node agents that truly need them (CNI, monitoring exporters) belong in a dedicated, locked-down namespace.",
    example: "spec:\n  hostNetwork: false\n  hostPID: false\n  hostIPC: false",
    pss: &[Pss { id: "hostNamespaces", level: PssLevel::Baseline }],
    fix: FixAvailability::Always,
    options: &[],
    references: &["CIS Kubernetes 5.2.3", "CIS Kubernetes 5.2.4", "CIS Kubernetes 5.2.5", "4C model: Cluster layer, node security"],
    peers: &[
        ("kube-linter", "host-network"),
        ("checkov", "CKV_K8S_19"),
        ("polaris", "hostNetworkSet"),
        ("kubesec", "HostNetwork"),
        ("trivy", "KSV009"),
    ],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for pod in &m.pods {
        for field in [names::HOST_NETWORK, names::HOST_PID, names::HOST_IPC] {
            let Some(f) = m.pod_field(pod, &[field]) else {
                continue;
            };
            if is_true(s, Some(f.node)) {
                let r = m.resource_of_pod(pod);
                let mut fix = cx.fixer();
                fix.set_scalar(f.node, Scalar::Bool(false));
                out.push(
                    cx.field_finding(
                        &META,
                        r,
                        &f,
                        format!("pod of {} sets {field}: true", r.label()),
                    )
                    // Node agents need the host's namespaces: review first.
                    .with_fix(fix.finish(format!("Set `{field}: false`"), Applicability::Review)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(&META, &deployment("hostNetwork: false\nhostPID: null", ""));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("hostNetwork: true\nhostPID: True\nhostIPC: y", ""),
            &[(12, "true"), (13, "True"), (14, "y")],
        );
    }
}
