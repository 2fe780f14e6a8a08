use crate::rules::{Context, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/rbac-anonymous-binding",
    layer: Layer::Cluster,
    severity: Severity::Critical,
    title: "RBAC binding grants rights to anonymous or all users",
    what: "RoleBindings and ClusterRoleBindings with a subject `system:anonymous`, `system:unauthenticated` (critical) or `system:authenticated` (high: every account of every identity provider, including any Google account on GKE). The built-in discovery bindings (roleRef `system:public-info-viewer`, `system:discovery`, `system:basic-user`) are not reported.",
    why: "These groups include callers you have never met. Binding a role to them gives that role to the internet; in the 2023 Dero campaign attackers listed anonymous-reachable clusters and deployed miners through exactly such a binding.",
    fix: "Bind roles to named users, groups or service accounts. Remove bindings to system:anonymous and system:unauthenticated entirely.",
    example: "subjects:\n- kind: ServiceAccount\n  name: task-api\n  namespace: task-api",
    pss: None,
    references: &["CIS Kubernetes 5.1.1", "4C model: Cluster layer (Dero attack)"],
    peers: &[],
};

const DEFAULTS: [&str; 3] = [
    "system:public-info-viewer",
    "system:discovery",
    "system:basic-user",
];

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if r.kind != "RoleBinding" && r.kind != "ClusterRoleBinding" {
            continue;
        }
        let role = s
            .path(r.root, &["roleRef", "name"])
            .and_then(|n| s.str(n))
            .unwrap_or("");
        if DEFAULTS.contains(&role) {
            continue;
        }
        let Some(subjects) = s.get(r.root, "subjects") else {
            continue;
        };
        for (i, &sub) in s.items(subjects).iter().enumerate() {
            let Some(n) = s.get(sub, "name") else {
                continue;
            };
            let name = s.str(n).unwrap_or("");
            let severity = match name {
                "system:anonymous" | "system:unauthenticated" => Severity::Critical,
                "system:authenticated" => Severity::High,
                _ => continue,
            };
            let mut f = cx.finding(
                &META,
                r,
                s.span(n),
                format!("{}subjects[{i}].name", r.prefix),
                format!(
                    "{} grants {} `{role}` to {name}",
                    r.label(),
                    if r.kind == "RoleBinding" {
                        "role"
                    } else {
                        "cluster role"
                    }
                ),
            );
            f.severity = severity;
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    const BINDING: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: x\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: ROLE\nsubjects:\n- kind: SUBJ\n  name: NAME\n";

    fn binding(role: &str, kind: &str, name: &str) -> String {
        BINDING
            .replace("ROLE", role)
            .replace("SUBJ", kind)
            .replace("NAME", name)
    }

    #[test]
    fn pass() {
        assert_pass(&META, &binding("view", "ServiceAccount", "task-api"));
        assert_pass(
            &META,
            &binding(
                "system:public-info-viewer",
                "Group",
                "system:unauthenticated",
            ),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &binding("cluster-admin", "User", "system:anonymous"),
            &[(11, "system:anonymous")],
        );
        assert_fail(
            &META,
            &binding("edit", "Group", "system:authenticated"),
            &[(11, "system:authenticated")],
        );
        assert_fail(
            &META,
            &binding("view", "Group", "\"system:unauthenticated\""),
            &[(11, "\"system:unauthenticated\"")],
        );
    }
}
