use crate::rules::rbac::{grants, report_rules};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/rbac-pod-exec",
    layer: Layer::Cluster,
    severity: Severity::High,
    title: "Role can exec, attach or port-forward into pods",
    what: "Role and ClusterRole rules that grant `create` or `get` (the verbs the API server checks for these WebSocket and SPDY upgrades) on `pods/exec`, `pods/attach` or `pods/portforward`, by name or through `pods/*`. One finding per rule entry.",
    why: "exec gives a shell in a running container with everything it holds: its service account token, its mounted Secrets, its network position. attach reaches the same process; port-forward reaches ports that NetworkPolicy and Services keep private.",
    remediation: "Grant exec only to break-glass roles bound to people for a limited time; give applications no exec rights; audit every exec through the audit policy.",
    example: "rules:\n- apiGroups: [\"\"]\n  resources: [\"pods\", \"pods/log\"]\n  verbs: [\"get\", \"list\"]",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Cluster layer, least-privilege RBAC", "Kubernetes RBAC good practices: pods/exec"],
    peers: &[("polaris", "clusterrolePodExecAttach"), ("polaris", "rolePodExecAttach"), ("trivy", "KSV053"), ("trivy", "KSV054"), ("kubescape", "C-0002")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    report_rules(
        cx,
        &META,
        |pr| {
            grants(
                pr,
                "",
                &["pods/exec", "pods/attach", "pods/portforward"],
                &["create", "get"],
                "exec, attach or port-forward into pods",
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
        rbac_role(Some("a"), rule)
    }

    #[test]
    fn pass() {
        assert_pass(
            &META,
            &role("- apiGroups: [\"\"]\n  resources: [pods, pods/log]\n  verbs: [get, list]\n"),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &role("- apiGroups: [\"\"]\n  resources: [pods/exec]\n  verbs: [create]\n- apiGroups: [\"\"]\n  resources: [\"pods/*\"]\n  verbs: [get]\n"),
            &[(6, "pods/exec"), (9, "\"pods/*\"")],
        );
    }
}
