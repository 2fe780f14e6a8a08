use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/rbac-authenticated-binding",
    layer: Layer::Cluster,
    severity: Severity::High,
    title: "RBAC binding grants rights to every authenticated user",
    what: "RoleBindings and ClusterRoleBindings with the subject `system:authenticated`: every account of every identity provider the cluster trusts (on GKE, any Google account). The built-in discovery bindings (roleRef `system:public-info-viewer`, `system:discovery`, `system:basic-user`) are not reported. The granted role is shown beside the finding when the input defines it.",
    why: "`system:authenticated` sounds like 'our users' but means anyone who can obtain any token the API server accepts. Binding a role to it hands that role to strangers.",
    remediation: "Bind roles to named users, groups or service accounts instead of `system:authenticated`.",
    example: "subjects:\n- kind: Group\n  name: platform-team\n  apiGroup: rbac.authorization.k8s.io",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.1.1", "4C model: Cluster layer, least-privilege RBAC"],
    peers: &[],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    super::rbac_anonymous_binding::report_bindings(cx, &META, &["system:authenticated"], out);
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    const BINDING: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: x\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: edit\nsubjects:\n- kind: Group\n  name: NAME\n";

    #[test]
    fn pass() {
        assert_pass(&META, &BINDING.replace("NAME", "platform-team"));
        assert_pass(&META, &BINDING.replace("NAME", "system:anonymous"));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &BINDING.replace("NAME", "system:authenticated"),
            &[(11, "system:authenticated")],
        );
    }
}
