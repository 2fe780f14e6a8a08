use crate::rules::rbac::{report_rules_where, Grant, Match};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cloud/aws-auth-access",
    layer: Layer::Cloud,
    severity: Severity::High,
    title: "Role can rewrite EKS's aws-auth ConfigMap",
    what: "ClusterRoles, and Roles in `kube-system`, whose rules grant `update`, `patch`, `create`, `delete` or `*` on `configmaps` in the core group, either for every ConfigMap or with `aws-auth` among the `resourceNames`. (Which namespace a ClusterRole applies in depends on its bindings; a ClusterRole bound cluster-wide reaches kube-system.)",
    why: "On EKS, `kube-system/aws-auth` maps AWS IAM roles and users to Kubernetes users and groups. Whoever can edit it maps an IAM identity they control to `system:masters`: cluster-admin, from outside the cluster, surviving the deletion of every Kubernetes credential.",
    remediation: "Manage cluster access with EKS access entries (and set the cluster's authentication mode to API); leave write access to aws-auth to the cluster's administrators only.",
    example: "rules:\n- apiGroups: [\"\"]\n  resources: [\"configmaps\"]\n  resourceNames: [\"app-config\"]\n  verbs: [\"get\", \"update\"]",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["Amazon EKS: grant IAM users access with access entries", "4C model: Cloud layer, IAM"],
    peers: &[("trivy", "KSV115")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    report_rules_where(
        cx,
        &META,
        in_scope,
        |pr| {
            if !pr.group("") {
                return None;
            }
            let res = pr.resource("configmaps")?;
            pr.verb(&["update", "patch", "create", "delete"])?;
            if pr.named && !pr.names.contains(&"aws-auth") {
                return None;
            }
            Some(Grant {
                node: res.node,
                field: "resources",
                what: "rewrite kube-system/aws-auth (IAM → Kubernetes identity mapping)"
                    .to_string(),
                wildcard: res.how == Match::Wildcard,
            })
        },
        out,
    );
}

/// Only ClusterRoles and Roles of kube-system can reach aws-auth.
fn in_scope(cx: &Context, r: &crate::model::Resource) -> bool {
    r.kind == "ClusterRole" || cx.index().namespace(r) == "kube-system"
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    fn role(kind: &str, ns: &str, rule: &str) -> String {
        format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata: {{name: r, namespace: {ns}}}\nrules:\n{rule}")
    }

    #[test]
    fn pass() {
        let rule = "- apiGroups: [\"\"]\n  resources: [configmaps]\n  verbs: [update]\n";
        assert_pass(&META, &role("Role", "shop", rule));
        assert_pass(&META, &role("ClusterRole", "", "- apiGroups: [\"\"]\n  resources: [configmaps]\n  resourceNames: [app]\n  verbs: [update]\n"));
    }

    #[test]
    fn fail() {
        let rule = "- apiGroups: [\"\"]\n  resources: [configmaps]\n  verbs: [update]\n";
        assert_fail(
            &META,
            &role("Role", "kube-system", rule),
            &[(6, "configmaps")],
        );
        assert_fail(&META, &role("ClusterRole", "", "- apiGroups: [\"\"]\n  resources: [configmaps]\n  resourceNames: [aws-auth]\n  verbs: [patch]\n"), &[(6, "configmaps")]);
    }
}
