use crate::rules::rbac::{grants, report_rules};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/rbac-secrets-access",
    layer: Layer::Cluster,
    severity: Severity::High,
    title: "Role can read Secrets",
    what: "Role and ClusterRole rules that grant `get`, `list` or `watch` on `secrets` in the core API group without `resourceNames`. One finding per rule entry, at the `secrets` item; a grant only through `resources: [\"*\"]` is cluster/rbac-wildcard's.",
    why: "Secrets hold service account tokens, registry credentials, TLS keys and database passwords. `list` and `watch` return every Secret's content, not only names: whoever holds the role can read every credential of the namespace (or of the cluster, for a ClusterRole bound cluster-wide) and move on with it.",
    remediation: "Grant `get` on the named Secrets the subject needs (`resourceNames`), never `list` or `watch` on all of them; mount Secrets into the pod instead of reading them through the API where possible.",
    example: "rules:\n- apiGroups: [\"\"]\n  resources: [\"secrets\"]\n  resourceNames: [\"app-tls\"]\n  verbs: [\"get\"]",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.1.2", "4C model: Cluster layer, least-privilege RBAC"],
    peers: &[("kube-linter", "access-to-secrets"), ("trivy", "KSV041"), ("trivy", "KSV113"), ("kubescape", "C-0015"), ("kubescape", "C-0186")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    report_rules(
        cx,
        &META,
        |pr| {
            if pr.named {
                return None;
            }
            grants(
                pr,
                "",
                &["secrets"],
                &["get", "list", "watch"],
                "read Secrets",
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
        assert_pass(&META, &role("- apiGroups: [\"\"]\n  resources: [secrets]\n  resourceNames: [tls]\n  verbs: [get]\n"));
        assert_pass(
            &META,
            &role("- apiGroups: [\"\"]\n  resources: [configmaps]\n  verbs: [get, list]\n"),
        );
        // Only through `*`: rbac-wildcard's finding.
        assert_pass(
            &META,
            &role("- apiGroups: [\"*\"]\n  resources: [\"*\"]\n  verbs: [\"*\"]\n"),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &role("- apiGroups: [\"\"]\n  resources: [pods, secrets]\n  verbs: [list, watch]\n"),
            &[(6, "secrets")],
        );
        assert_fail(
            &META,
            &role("- apiGroups: [\"*\"]\n  resources: [secrets]\n  verbs: [\"*\"]\n"),
            &[(6, "secrets")],
        );
    }
}
