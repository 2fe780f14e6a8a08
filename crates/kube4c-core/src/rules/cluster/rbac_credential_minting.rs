use crate::rules::rbac::{grants, report_rules};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/rbac-credential-minting",
    layer: Layer::Cluster,
    severity: Severity::High,
    title: "Role can mint credentials (tokens or certificates)",
    what: "Role and ClusterRole rules that grant `create` on `serviceaccounts/token` (core), `update` or `patch` on `certificatesigningrequests/approval`, `approve` or `sign` on `signers`, or `create` on `persistentvolumes` (a PersistentVolume may point at any path of a node). One finding per rule entry.",
    why: "A token for any service account is that account's rights, for as long as the token lives. Approving certificate requests yields client certificates for any user or node name the signer allows (`system:masters` through a permissive signer). A hand-written PersistentVolume with a hostPath reaches the node's files, whatever Pod Security says about the pods.",
    remediation: "Leave token creation to the kubelet and the controllers that need it (limited with `resourceNames`); leave CSR approval to the built-in approvers; provision volumes through StorageClasses, not hand-written PersistentVolumes.",
    example: "rules:\n- apiGroups: [\"\"]\n  resources: [\"serviceaccounts/token\"]\n  resourceNames: [\"ci-deployer\"]\n  verbs: [\"create\"]",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.1.9, 5.1.11, 5.1.13"],
    peers: &[("checkov", "CKV_K8S_156"), ("kubescape", "C-0280"), ("kubescape", "C-0282"), ("kubescape", "C-0278")],
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
                &["serviceaccounts/token"],
                &["create"],
                "create tokens for service accounts",
            )
            .or_else(|| {
                grants(
                    pr,
                    "certificates.k8s.io",
                    &["certificatesigningrequests/approval"],
                    &["update", "patch"],
                    "approve certificate signing requests",
                )
            })
            .or_else(|| {
                grants(
                    pr,
                    "certificates.k8s.io",
                    &["signers"],
                    &["approve", "sign"],
                    "approve or sign certificates for signers",
                )
            })
            .or_else(|| {
                grants(
                    pr,
                    "",
                    &["persistentvolumes"],
                    &["create"],
                    "create PersistentVolumes (node paths)",
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
            &role("- apiGroups: [\"\"]\n  resources: [serviceaccounts]\n  verbs: [create]\n"),
        );
        assert_pass(&META, &role("- apiGroups: [certificates.k8s.io]\n  resources: [certificatesigningrequests]\n  verbs: [create, get]\n"));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &role("- apiGroups: [\"\"]\n  resources: [serviceaccounts/token]\n  verbs: [create]\n- apiGroups: [certificates.k8s.io]\n  resources: [certificatesigningrequests/approval]\n  verbs: [update]\n- apiGroups: [certificates.k8s.io]\n  resources: [signers]\n  verbs: [approve]\n"),
            &[(6, "serviceaccounts/token"), (9, "certificatesigningrequests/approval"), (12, "signers")],
        );
    }
}
