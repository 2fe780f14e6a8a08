use super::apiservers;
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
    let s = cx.stream;
    // kubeadm's ClusterConfiguration (kubeadm itself defaults to Node,RBAC): an explicit
    // AlwaysAllow only.
    for r in &m.resources {
        let Some(k) = super::kubeadm_apiserver(s, r) else {
            continue;
        };
        if let Some(n) = k.get("authorization-mode") {
            let v = s.scalar_text(n).unwrap_or_default();
            if v.split(',').any(|x| x.trim() == "AlwaysAllow") {
                out.push(cx.finding(
                    &META,
                    r,
                    s.span(n),
                    k.path.clone(),
                    format!("{} runs kube-apiserver with authorization-mode {v}: every request is authorized", r.label()),
                ));
            }
        }
    }
    for api in apiservers(m) {
        let c = api.container;
        let label = m.resource_of(c).label();
        match api.flag("--authorization-mode") {
            Some((n, v)) if v.split(',').any(|x| x.trim() == "AlwaysAllow") => out.push(cx.container_finding(
                &META,
                c,
                s.span(n),
                format!("{}.command", c.path),
                format!("kube-apiserver in {label} authorizes every request (--authorization-mode={v})"),
            )),
            Some(_) => {}
            None if api.flag("--authorization-config").is_some() => {}
            None => out.push(cx.container_finding(
                &META,
                c,
                api.anchor,
                format!("{}.command", c.path),
                format!("kube-apiserver in {label} sets no --authorization-mode (it defaults to AlwaysAllow)"),
            )),
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
