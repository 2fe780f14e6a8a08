use crate::rules::flags::{component_flags, Component};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/apiserver-anonymous-auth",
    layer: Layer::Cluster,
    severity: Severity::Critical,
    title: "API server accepts anonymous requests",
    what: "A kube-apiserver static pod whose command line does not set `--anonymous-auth=false` (the flag defaults to true), and a kubeadm `ClusterConfiguration` whose `apiServer.extraArgs` (a map in v1beta3, a list of name/value in v1beta4) does not set `anonymous-auth: \"false\"`.",
    why: "With anonymous authentication on, every request without credentials is served as `system:anonymous`. One RBAC binding to that user or to `system:unauthenticated` then opens the cluster to the internet: this is how the 2023 Dero cryptomining campaign took over clusters.",
    remediation: "Add `--anonymous-auth=false` to the kube-apiserver command. Health checks keep working through authenticated probes or the `/livez` endpoints allowed for `system:unauthenticated` only where you decide so.",
    example: "command:\n- kube-apiserver\n- --anonymous-auth=false",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 1.2.1", "4C model: Cluster layer, disable anonymous authentication (Dero attack)"],
    peers: &[("checkov", "CKV_K8S_68"), ("trivy", "KCV0001")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    for f in component_flags(m, Component::ApiServer) {
        let who = f.describe(m);
        match f.bool("anonymous-auth") {
            Some((_, Some(false))) => {}
            Some((flag, _)) => out.push(f.at(
                cx,
                &META,
                flag,
                format!("{who} runs with anonymous-auth `{}`", flag.value),
            )),
            None => out.push(f.finding(
                cx,
                &META,
                f.anchor,
                format!("{who} does not set anonymous-auth to false (it defaults to true)"),
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
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &apiserver_pod("--authorization-mode=Node,RBAC"),
            &[(11, "command")],
        );
        assert_fail(
            &META,
            &apiserver_pod("--anonymous-auth=true"),
            &[(13, "--anonymous-auth=true")],
        );
        // pflag: a boolean flag never takes the next word, so this is true (and a stray
        // argument `false`).
        assert_fail(
            &META,
            &apiserver_pod("--anonymous-auth\nfalse"),
            &[(13, "--anonymous-auth")],
        );
    }

    #[test]
    fn kubeadm() {
        let v3 = "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    anonymous-auth: \"false\"\n";
        assert_pass(&META, v3);
        let v4 = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n  - {name: anonymous-auth, value: \"true\"}\n";
        assert_fail(&META, v4, &[(5, "\"true\"")]);
        let none = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.37.2\n";
        assert_fail(&META, none, &[(2, "ClusterConfiguration")]);
    }
}
