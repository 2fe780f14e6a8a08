use crate::rules::flags::{component_flags, Component};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/apiserver-admission-plugins",
    layer: Layer::Cluster,
    severity: Severity::High,
    title: "API server admission plugins weaken the cluster",
    what: "kube-apiserver with `AlwaysAdmit` in `--enable-admission-plugins` (or the old `--admission-control`); with `NodeRestriction`, `PodSecurity`, `ServiceAccount` or `NamespaceLifecycle` in `--disable-admission-plugins`; or, on a static pod, without `NodeRestriction` enabled (it is not on by default; kubeadm adds it unless `extraArgs` replaces the list). Repeated flags append, as pflag reads them.",
    why: "AlwaysAdmit lets every request through admission. Without NodeRestriction a kubelet's credentials can modify any node and any pod, so one compromised node becomes every node; without PodSecurity the namespaces' `pod-security.kubernetes.io` labels are not enforced; without ServiceAccount, pods can name tokens they should not get.",
    remediation: "Enable `NodeRestriction` (and keep the defaults on); never enable `AlwaysAdmit`; do not disable PodSecurity, ServiceAccount or NamespaceLifecycle.",
    example: "command:\n- kube-apiserver\n- --enable-admission-plugins=NodeRestriction",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 1.2.9, 1.2.12, 1.2.13, 1.2.14"],
    peers: &[("checkov", "CKV_K8S_79"), ("checkov", "CKV_K8S_85"), ("checkov", "CKV_K8S_82"), ("checkov", "CKV_K8S_83"), ("trivy", "KCV0011"), ("trivy", "KCV0014"), ("trivy", "KCV0015"), ("trivy", "KCV0016")],
};

const KEEP: [&str; 4] = [
    "NodeRestriction",
    "PodSecurity",
    "ServiceAccount",
    "NamespaceLifecycle",
];

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    for f in component_flags(m, Component::ApiServer) {
        let who = f.describe(m);
        let mut enabled = f.items("enable-admission-plugins");
        enabled.extend(f.items("admission-control"));
        if let Some((flag, _)) = enabled.iter().find(|(_, p)| p == "AlwaysAdmit") {
            out.push(f.at(
                cx,
                &META,
                flag,
                format!("{who} enables AlwaysAdmit: every request passes admission"),
            ));
        }
        for (flag, p) in f.items("disable-admission-plugins") {
            if KEEP.contains(&p.as_str()) {
                out.push(f.at(
                    cx,
                    &META,
                    flag,
                    format!("{who} disables the {p} admission plugin"),
                ));
            }
        }
        let has_node_restriction = enabled.iter().any(|(_, p)| p == "NodeRestriction");
        if !has_node_restriction {
            match enabled.last() {
                Some((flag, _)) => out.push(f.at(cx, &META, flag, format!("{who} enables admission plugins without NodeRestriction: a kubelet's credentials can change any node and pod"))),
                None if !f.kubeadm() => out.push(f.finding(cx, &META, f.anchor, format!("{who} does not enable the NodeRestriction admission plugin (it is off by default)"))),
                None => {}
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
        assert_pass(
            &META,
            &apiserver_pod("--enable-admission-plugins=NodeRestriction,EventRateLimit"),
        );
        assert_pass(
            &META,
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n",
        );
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
            &apiserver_pod("--enable-admission-plugins=NodeRestriction\n--enable-admission-plugins=AlwaysAdmit\n--disable-admission-plugins=PodSecurity"),
            &[(14, "--enable-admission-plugins=AlwaysAdmit"), (15, "--disable-admission-plugins=PodSecurity")],
        );
    }
}
