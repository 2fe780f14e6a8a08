use crate::index::RBAC;
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/rbac-anonymous-binding",
    layer: Layer::Cluster,
    severity: Severity::Critical,
    title: "RBAC binding grants rights to anonymous users",
    what: "RoleBindings and ClusterRoleBindings with a subject `system:anonymous` or `system:unauthenticated` (bindings to `system:authenticated` are cluster/rbac-authenticated-binding). The granted role is shown beside the finding when the input defines it. The built-in discovery bindings (roleRef `system:public-info-viewer`, `system:discovery`, `system:basic-user`) are not reported.",
    why: "These groups include callers you have never met. Binding a role to them gives that role to the internet; in the 2023 Dero campaign attackers listed anonymous-reachable clusters and deployed miners through exactly such a binding.",
    remediation: "Bind roles to named users, groups or service accounts. Remove bindings to system:anonymous and system:unauthenticated entirely.",
    example: "subjects:\n- kind: ServiceAccount\n  name: task-api\n  namespace: task-api",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.1.1", "4C model: Cluster layer (Dero attack)"],
    peers: &[],
};

const DEFAULTS: [&str; 3] = [
    "system:public-info-viewer",
    "system:discovery",
    "system:basic-user",
];

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    report_bindings(
        cx,
        &META,
        &["system:anonymous", "system:unauthenticated"],
        out,
    );
}

/// Bindings whose subjects include one of `groups`, with the granted role as a related
/// location when the input defines it.
pub(crate) fn report_bindings(
    cx: &Context,
    meta: &'static RuleMeta,
    groups: &[&str],
    out: &mut Vec<Finding>,
) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is(RBAC, "RoleBinding") && !r.is(RBAC, "ClusterRoleBinding") {
            continue;
        }
        let role = s
            .path(r.root, &["roleRef", "name"])
            .and_then(|n| s.str(n))
            .unwrap_or("");
        // The built-in discovery roles are ClusterRoles: a Role of the same name (anyone can
        // write one) is not exempt.
        let role_kind = s
            .path(r.root, &["roleRef", "kind"])
            .and_then(|n| s.str(n))
            .unwrap_or("");
        if role_kind == "ClusterRole" && DEFAULTS.contains(&role) {
            continue;
        }
        let Some(subjects) = s.get(r.root, "subjects") else {
            continue;
        };
        let granted = cx
            .index()
            .role_ref_key(s, r)
            .and_then(|k| cx.index().roles.get(&k).copied());
        for (i, &sub) in s.items(subjects).iter().enumerate() {
            let Some(n) = s.get(sub, "name") else {
                continue;
            };
            let name = s.str(n).unwrap_or("");
            if !groups.contains(&name) {
                continue;
            }
            let mut f = cx.finding(
                meta,
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
            if let Some(g) = granted {
                let (gm, gr) = cx.object(g);
                f = cx.related(
                    f,
                    g,
                    gm.resource_anchor(gr),
                    format!(
                        "{} is defined here: its rules are what {name} gets",
                        gr.label()
                    ),
                );
            }
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
        assert_pass(&META, &binding("edit", "Group", "system:authenticated"));
        assert_fail(
            &META,
            &binding("view", "Group", "\"system:unauthenticated\""),
            &[(11, "\"system:unauthenticated\"")],
        );
        // The exemption is for the built-in ClusterRole only, not a Role of the same name.
        let role = binding(
            "system:public-info-viewer",
            "Group",
            "system:unauthenticated",
        )
        .replace("kind: ClusterRoleBinding", "kind: RoleBinding")
        .replace("  kind: ClusterRole\n", "  kind: Role\n");
        assert_fail(&META, &role, &[(11, "system:unauthenticated")]);
    }
}
