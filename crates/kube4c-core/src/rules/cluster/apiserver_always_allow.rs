use crate::rules::flags::{component_flags, Component};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/apiserver-always-allow",
    layer: Layer::Cluster,
    severity: Severity::Critical,
    title: "API server authorizes every request",
    what: "A kube-apiserver static pod whose `--authorization-mode` includes `AlwaysAllow`, or that sets neither `--authorization-mode` nor `--authorization-config` (the mode then defaults to AlwaysAllow). A kubeadm `ClusterConfiguration` is reported when its `apiServer.extraArgs` sets `authorization-mode` with `AlwaysAllow` (kubeadm itself writes `Node,RBAC`).",
    why: "AlwaysAllow turns RBAC off: every authenticated (and, with anonymous auth, unauthenticated) caller can do anything, including reading every Secret and running privileged pods.",
    remediation: "Use `--authorization-mode=Node,RBAC` and grant rights through Roles and bindings.",
    example: "command:\n- kube-apiserver\n- --authorization-mode=Node,RBAC",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 1.2.6", "CIS Kubernetes 1.2.8", "4C model: Cluster layer, RBAC"],
    peers: &[("checkov", "CKV_K8S_74"), ("trivy", "KCV0007")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    for f in component_flags(m, Component::ApiServer) {
        let who = f.describe(m);
        let modes = f.items("authorization-mode");
        if let Some((flag, _)) = modes.iter().find(|(_, v)| v == "AlwaysAllow") {
            let all: Vec<&str> = modes.iter().map(|(_, v)| v.as_str()).collect();
            out.push(f.at(
                cx,
                &META,
                flag,
                format!(
                    "{who} authorizes every request (authorization modes {})",
                    all.join(",")
                ),
            ));
        } else if modes.is_empty() && f.set("authorization-config").is_none() && !f.kubeadm() {
            // kubeadm writes Node,RBAC itself; a bare kube-apiserver defaults to AlwaysAllow.
            out.push(f.finding(
                cx,
                &META,
                f.anchor,
                format!("{who} sets no --authorization-mode (it defaults to AlwaysAllow)"),
            ));
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
        assert_pass(
            &META,
            &apiserver_pod("--anonymous-auth=false\n--authorization-mode=Node,RBAC"),
        );
        assert_pass(
            &META,
            &apiserver_pod("--authorization-config=/etc/kubernetes/authz.yaml"),
        );
        // Not an API server: nothing to say.
        assert_pass(&META, &deployment("", "command: [nginx]"));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &apiserver_pod("--anonymous-auth=false"),
            &[(11, "command")],
        );
        assert_fail(
            &META,
            &apiserver_pod("--authorization-mode=Node,AlwaysAllow"),
            &[(13, "--authorization-mode=Node,AlwaysAllow")],
        );
    }

    #[test]
    fn kubeadm() {
        let ok = "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n";
        assert_pass(&META, ok);
        let bad = "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    authorization-mode: AlwaysAllow\n";
        assert_fail(&META, bad, &[(5, "AlwaysAllow")]);
    }
}
