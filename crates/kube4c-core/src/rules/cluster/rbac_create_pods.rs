use crate::rules::rbac::{grants, report_rules};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/rbac-create-pods",
    layer: Layer::Cluster,
    severity: Severity::High,
    title: "Role can create pods or workloads",
    what: "Role and ClusterRole rules that grant `create` (or `*`) on `pods`, or on the workload kinds that create pods: Deployments, DaemonSets, StatefulSets, ReplicaSets (apps), Jobs and CronJobs (batch), ReplicationControllers (core). One finding per rule entry.",
    why: "Whoever can create a pod chooses its service account, its volumes and its security context: they can mount any Secret of the namespace, run with any service account's rights, or — where Pod Security does not stop them — start a privileged pod on a node. Creating pods is as good as every right in the namespace.",
    remediation: "Leave pod and workload creation to the controllers and deployment pipelines that need it; enforce Pod Security `restricted` on namespaces where people or services can create pods.",
    example: "rules:\n- apiGroups: [\"apps\"]\n  resources: [\"deployments\"]\n  verbs: [\"get\", \"list\", \"watch\"]",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.1.4", "4C model: Cluster layer, least-privilege RBAC"],
    peers: &[("kube-linter", "access-to-create-pods"), ("trivy", "KSV048"), ("kubescape", "C-0188")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    report_rules(
        cx,
        &META,
        |pr| {
            grants(
                pr,
                "",
                &["pods", "replicationcontrollers"],
                &["create"],
                "create pods",
            )
            .or_else(|| {
                grants(
                    pr,
                    "apps",
                    &["deployments", "daemonsets", "statefulsets", "replicasets"],
                    &["create"],
                    "create workloads that run pods",
                )
            })
            .or_else(|| {
                grants(
                    pr,
                    "batch",
                    &["jobs", "cronjobs"],
                    &["create"],
                    "create Jobs that run pods",
                )
            })
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
                "- apiGroups: [apps]\n  resources: [deployments]\n  verbs: [get, list, update]\n",
            ),
        );
        assert_pass(
            &META,
            &role("- apiGroups: [\"\"]\n  resources: [pods/log]\n  verbs: [create]\n"),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &role("- apiGroups: [\"\"]\n  resources: [pods]\n  verbs: [create, delete]\n- apiGroups: [batch]\n  resources: [jobs]\n  verbs: [\"*\"]\n"),
            &[(6, "pods"), (9, "jobs")],
        );
    }
}
