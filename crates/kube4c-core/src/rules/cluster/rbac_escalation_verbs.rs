use crate::index::RBAC;
use crate::rules::rbac::{report_rules, Grant, Match};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/rbac-escalation-verbs",
    layer: Layer::Cluster,
    severity: Severity::Critical,
    title: "Role can escalate, bind or impersonate",
    what: "Role and ClusterRole rules with the verb `escalate` or `bind` on roles or clusterroles (rbac.authorization.k8s.io), or `impersonate` on users, groups, serviceaccounts, uids or userextras. One finding per rule entry, at the verb; a grant only through `verbs: [\"*\"]` is cluster/rbac-wildcard's.",
    why: "These verbs switch off RBAC's own protection. `escalate` lets a subject write a role with rights it does not hold; `bind` lets it bind any role, cluster-admin included, to itself; `impersonate` lets it act as any user or group, `system:masters` included. Each is a one-step path to cluster-admin.",
    remediation: "Remove these verbs from every role that is not the cluster's own administration; where a controller must bind roles, limit `bind` with `resourceNames` to the roles it hands out.",
    example: "rules:\n- apiGroups: [\"rbac.authorization.k8s.io\"]\n  resources: [\"rolebindings\"]\n  verbs: [\"get\", \"list\"]",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.1.8", "Kubernetes RBAC: privilege escalation prevention"],
    peers: &[("checkov", "CKV_K8S_157"), ("checkov", "CKV_K8S_158"), ("checkov", "CKV2_K8S_3"), ("trivy", "KSV043"), ("trivy", "KSV050"), ("kubescape", "C-0191"), ("kubescape", "C-0065")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    report_rules(
        cx,
        &META,
        |pr| {
            let cases: [(&str, &[&str], &str, &str); 3] = [
                (
                    RBAC,
                    &["roles", "clusterroles"],
                    "escalate",
                    "escalate roles (write roles with rights it does not hold)",
                ),
                (
                    RBAC,
                    &["roles", "clusterroles"],
                    "bind",
                    "bind any role, cluster-admin included",
                ),
                (
                    "",
                    &["users", "groups", "serviceaccounts", "uids", "userextras"],
                    "impersonate",
                    "impersonate users, groups or service accounts",
                ),
            ];
            for (group, resources, verb, what) in cases {
                let authentication = verb == "impersonate";
                let group_ok =
                    pr.group(group) || authentication && pr.group("authentication.k8s.io");
                if !group_ok || pr.named {
                    continue;
                }
                let Some(v) = pr.verb(&[verb]) else { continue };
                if !resources.iter().any(|r| pr.resource(r).is_some()) {
                    continue;
                }
                return Some(Grant {
                    node: v.node,
                    field: "verbs",
                    what: what.to_string(),
                    wildcard: v.how == Match::Wildcard,
                });
            }
            None
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
        assert_pass(&META, &role("- apiGroups: [rbac.authorization.k8s.io]\n  resources: [rolebindings]\n  verbs: [get, list, create]\n"));
        assert_pass(&META, &role("- apiGroups: [rbac.authorization.k8s.io]\n  resources: [clusterroles]\n  resourceNames: [view]\n  verbs: [bind]\n"));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &role("- apiGroups: [rbac.authorization.k8s.io]\n  resources: [clusterroles]\n  verbs: [get, bind]\n- apiGroups: [\"\"]\n  resources: [users, groups]\n  verbs: [impersonate]\n"),
            &[(7, "bind"), (10, "impersonate")],
        );
    }
}
