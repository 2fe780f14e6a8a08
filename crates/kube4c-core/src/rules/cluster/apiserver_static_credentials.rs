use crate::rules::flags::{component_flags, Component};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/apiserver-static-credentials",
    layer: Layer::Cluster,
    severity: Severity::High,
    title: "API server authenticates with a static token or password file",
    what: "kube-apiserver (static pod or kubeadm `ClusterConfiguration`) started with `--token-auth-file` or `--basic-auth-file` (the latter removed in 1.19; a server that still has it is old).",
    why: "Static token files hold long-lived bearer tokens in clear text on the control-plane nodes: they cannot be revoked or rotated without restarting the API server, and every copy of the file (backups, node images) is a set of working credentials.",
    remediation: "Remove the flag; authenticate people through OIDC or client certificates and workloads through service account tokens.",
    example: "command:\n- kube-apiserver\n- --oidc-issuer-url=https://login.example.com",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 1.2.2"],
    peers: &[("checkov", "CKV_K8S_70"), ("checkov", "CKV_K8S_69"), ("trivy", "KCV0002"), ("kubescape", "C-0114")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    for f in component_flags(m, Component::ApiServer) {
        for name in ["token-auth-file", "basic-auth-file"] {
            if let Some(flag) = f.set(name) {
                out.push(f.at(
                    cx,
                    &META,
                    flag,
                    format!(
                        "{} reads static credentials from --{name}={}",
                        f.describe(m),
                        flag.value
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::apiserver_pod;
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(&META, &apiserver_pod("--anonymous-auth=false"));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &apiserver_pod("--token-auth-file=/etc/kubernetes/tokens.csv"),
            &[(13, "--token-auth-file=/etc/kubernetes/tokens.csv")],
        );
        // `--flag value` form: the finding is on the flag's own word.
        assert_fail(
            &META,
            &apiserver_pod("--token-auth-file\n/etc/tokens.csv"),
            &[(13, "--token-auth-file")],
        );
    }
}
