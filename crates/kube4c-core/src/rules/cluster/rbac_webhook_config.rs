use crate::rules::rbac::{grants, report_rules};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/rbac-webhook-config",
    layer: Layer::Cluster,
    severity: Severity::High,
    title: "Role can change admission webhooks or policies",
    what: "Role and ClusterRole rules that grant `create`, `update`, `patch`, `delete` or `deletecollection` on `mutatingwebhookconfigurations`, `validatingwebhookconfigurations`, `validatingadmissionpolicies` or `validatingadmissionpolicybindings` (admissionregistration.k8s.io). One finding per rule entry.",
    why: "Admission webhooks see, and mutating ones rewrite, every object sent to the API server. Whoever can register one can inject a sidecar into every new pod, read every Secret as it is written, or switch off the policies (Pod Security exemptions aside) that keep workloads in line.",
    remediation: "Only the cluster's administrators and the one controller that owns a webhook (limited with `resourceNames` to its own configuration) should write these objects.",
    example: "rules:\n- apiGroups: [\"admissionregistration.k8s.io\"]\n  resources: [\"validatingwebhookconfigurations\"]\n  resourceNames: [\"cert-manager-webhook\"]\n  verbs: [\"get\", \"update\"]",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.1.12"],
    peers: &[("checkov", "CKV_K8S_155"), ("trivy", "KSV114"), ("kubescape", "C-0281")],
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
                "admissionregistration.k8s.io",
                &[
                    "mutatingwebhookconfigurations",
                    "validatingwebhookconfigurations",
                    "validatingadmissionpolicies",
                    "validatingadmissionpolicybindings",
                ],
                &["create", "update", "patch", "delete", "deletecollection"],
                "change admission webhooks or policies",
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
        assert_pass(&META, &role("- apiGroups: [admissionregistration.k8s.io]\n  resources: [mutatingwebhookconfigurations]\n  verbs: [get, list, watch]\n"));
        assert_pass(&META, &role("- apiGroups: [admissionregistration.k8s.io]\n  resources: [mutatingwebhookconfigurations]\n  resourceNames: [mine]\n  verbs: [update]\n"));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &role("- apiGroups: [admissionregistration.k8s.io]\n  resources: [validatingwebhookconfigurations]\n  verbs: [create, patch]\n"),
            &[(6, "validatingwebhookconfigurations")],
        );
    }
}
