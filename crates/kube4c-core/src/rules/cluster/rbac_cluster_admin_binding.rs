use crate::index::RBAC;
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/rbac-cluster-admin-binding",
    layer: Layer::Cluster,
    severity: Severity::High,
    title: "Binding grants cluster-admin (or admin/edit cluster-wide)",
    what: "RoleBindings and ClusterRoleBindings whose `roleRef` is the ClusterRole `cluster-admin`, and ClusterRoleBindings to the ClusterRoles `admin` or `edit` (every namespace at once). The built-in binding of `cluster-admin` to the group `system:masters` is not reported. Only `roleRef.kind: ClusterRole` names the built-in roles; a Role called `cluster-admin` is not one of them.",
    why: "cluster-admin is every right on every object, Secrets and RBAC included; admin and edit bound cluster-wide read every Secret and run pods in every namespace, kube-system included. A compromised subject of such a binding is a compromised cluster.",
    remediation: "Bind a role with the verbs and resources the subject needs; give people cluster-admin through a break-glass process, not a standing binding; bind admin/edit with RoleBindings in the namespaces concerned.",
    example: "kind: RoleBinding\nmetadata: {name: team-edit, namespace: team-a}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.1.1", "4C model: Cluster layer, least-privilege RBAC"],
    peers: &[("kube-linter", "cluster-admin-role-binding"), ("polaris", "clusterrolebindingClusterAdmin"), ("polaris", "rolebindingClusterAdminClusterRole"), ("trivy", "KSV111"), ("kubescape", "C-0185")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        let cluster_wide = r.is(RBAC, "ClusterRoleBinding");
        if !cluster_wide && !r.is(RBAC, "RoleBinding") {
            continue;
        }
        let text = |k: &str| s.path(r.root, &["roleRef", k]).and_then(|n| s.str(n));
        if text("kind") != Some("ClusterRole") {
            continue;
        }
        let Some(name_node) = s.path(r.root, &["roleRef", "name"]) else {
            continue;
        };
        let role = s.str(name_node).unwrap_or("");
        let what = match role {
            "cluster-admin" => "every right on every object of the cluster (cluster-admin)",
            "admin" | "edit" if cluster_wide => {
                if role == "admin" {
                    "admin in every namespace, kube-system included"
                } else {
                    "edit in every namespace, kube-system included"
                }
            }
            _ => continue,
        };
        // The built-in `cluster-admin` binding to system:masters.
        let subjects = s.get(r.root, "subjects").map_or(&[][..], |l| s.items(l));
        let masters_only = !subjects.is_empty()
            && subjects.iter().all(|&sub| {
                s.get(sub, "kind").and_then(|n| s.str(n)) == Some("Group")
                    && s.get(sub, "name").and_then(|n| s.str(n)) == Some("system:masters")
            });
        if role == "cluster-admin" && masters_only {
            continue;
        }
        let who: Vec<String> = subjects
            .iter()
            .filter_map(|&sub| {
                let kind = s.get(sub, "kind").and_then(|n| s.str(n))?;
                let name = s.get(sub, "name").and_then(|n| s.str(n))?;
                Some(format!("{kind} {name}"))
            })
            .take(3)
            .collect();
        let to = if who.is_empty() {
            String::new()
        } else {
            format!(" to {}", who.join(", "))
        };
        let scope = if cluster_wide {
            ""
        } else {
            " in its namespace"
        };
        out.push(cx.finding(
            &META,
            r,
            s.span(name_node),
            r.path(&["roleRef", "name"]),
            format!("{} grants {what}{scope}{to}", r.label()),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    fn binding(kind: &str, role_kind: &str, role: &str, subject: &str) -> String {
        format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata: {{name: b, namespace: a}}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: {role_kind}\n  name: {role}\nsubjects:\n- {subject}\n")
    }

    #[test]
    fn pass() {
        let sa = "{kind: ServiceAccount, name: ci, namespace: a}";
        assert_pass(&META, &binding("RoleBinding", "ClusterRole", "edit", sa));
        assert_pass(&META, &binding("RoleBinding", "Role", "cluster-admin", sa));
        assert_pass(
            &META,
            &binding(
                "ClusterRoleBinding",
                "ClusterRole",
                "cluster-admin",
                "{kind: Group, name: \"system:masters\"}",
            ),
        );
    }

    #[test]
    fn fail() {
        let sa = "{kind: ServiceAccount, name: ci, namespace: a}";
        assert_fail(
            &META,
            &binding("ClusterRoleBinding", "ClusterRole", "cluster-admin", sa),
            &[(7, "cluster-admin")],
        );
        assert_fail(
            &META,
            &binding("RoleBinding", "ClusterRole", "cluster-admin", sa),
            &[(7, "cluster-admin")],
        );
        assert_fail(
            &META,
            &binding("ClusterRoleBinding", "ClusterRole", "edit", sa),
            &[(7, "edit")],
        );
    }
}
