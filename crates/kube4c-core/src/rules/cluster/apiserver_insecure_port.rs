use crate::rules::flags::{component_flags, Component};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/apiserver-insecure-port",
    layer: Layer::Cluster,
    severity: Severity::Critical,
    title: "API server serves without TLS or authentication",
    what: "kube-apiserver started with `--insecure-port` set to anything but 0, with `--insecure-bind-address`, or with `--secure-port=0`.",
    why: "The insecure port serves the whole API over plain HTTP with no authentication and no authorization: anyone who reaches it is cluster-admin. The flag was removed in 1.24, but old clusters and copied manifests still carry it.",
    remediation: "Remove `--insecure-port` and `--insecure-bind-address` (or set `--insecure-port=0` on releases before 1.20) and keep a non-zero `--secure-port`.",
    example: "command:\n- kube-apiserver\n- --secure-port=6443",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 1.2.19, 1.2.20 (older benchmarks)"],
    peers: &[("checkov", "CKV_K8S_88"), ("trivy", "KCV0017"), ("kubescape", "C-0005")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    for f in component_flags(m, Component::ApiServer) {
        let who = f.describe(m);
        if let Some(flag) = f.set("insecure-port").filter(|fl| fl.value.trim() != "0") {
            out.push(f.at(
                cx,
                &META,
                flag,
                format!(
                    "{who} serves the API without authentication on --insecure-port={}",
                    flag.value
                ),
            ));
        }
        if let Some(flag) = f.set("insecure-bind-address") {
            out.push(f.at(
                cx,
                &META,
                flag,
                format!("{who} binds its unauthenticated port to {}", flag.value),
            ));
        }
        if let Some(flag) = f.set("secure-port").filter(|fl| fl.value.trim() == "0") {
            out.push(f.at(
                cx,
                &META,
                flag,
                format!("{who} turns its TLS port off (--secure-port=0)"),
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
            &apiserver_pod("--insecure-port=0\n--secure-port=6443"),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &apiserver_pod("--insecure-port=8080\n--insecure-bind-address=0.0.0.0"),
            &[
                (13, "--insecure-port=8080"),
                (14, "--insecure-bind-address=0.0.0.0"),
            ],
        );
    }
}
