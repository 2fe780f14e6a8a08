use crate::rules::rbac::{grants, report_rules};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/rbac-nodes-proxy",
    layer: Layer::Cluster,
    severity: Severity::Critical,
    title: "Role can reach the kubelet API through nodes/proxy",
    what: "Role and ClusterRole rules that grant any verb on `nodes/proxy` (by name or through `nodes/*`). One finding per rule entry.",
    why: "nodes/proxy forwards requests to the kubelet API of any node, and the kubelet authorizes `get` on nodes/proxy as its own `exec`, `run` and `attach`: a read-looking right runs commands in every pod of every node, and these calls bypass the API server's audit of pod exec.",
    remediation: "Grant metrics and log collectors `nodes/metrics`, `nodes/stats` or `nodes/log` instead; never `nodes/proxy`.",
    example: "rules:\n- apiGroups: [\"\"]\n  resources: [\"nodes/metrics\", \"nodes/stats\"]\n  verbs: [\"get\"]",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.1.10", "Kubernetes RBAC good practices: nodes/proxy"],
    peers: &[("checkov", "CKV2_K8S_2"), ("trivy", "KSV047"), ("kubescape", "C-0279")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    report_rules(
        cx,
        &META,
        |pr| {
            grants(
                pr,
                "",
                &["nodes/proxy"],
                &[
                    "get", "create", "update", "patch", "delete", "list", "watch",
                ],
                "proxy to the kubelet API of nodes (exec into any pod)",
            )
        },
        out,
    );
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    fn role(rule: &str) -> String {
        rbac_role(None, rule)
    }

    #[test]
    fn pass() {
        assert_pass(
            &META,
            &role(
                "- apiGroups: [\"\"]\n  resources: [nodes/metrics, nodes/stats]\n  verbs: [get]\n",
            ),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &role("- apiGroups: [\"\"]\n  resources: [nodes, nodes/proxy]\n  verbs: [get]\n"),
            &[(6, "nodes/proxy")],
        );
    }
}
