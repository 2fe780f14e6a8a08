use crate::rules::flags::{component_flags, Component};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/control-plane-profiling",
    layer: Layer::Cluster,
    severity: Severity::Low,
    title: "Control-plane component serves profiling data",
    what: "kube-apiserver, kube-controller-manager and kube-scheduler (static pods, or the `extraArgs` of a kubeadm `ClusterConfiguration` section that is written) without `--profiling=false`: the flag defaults to true. Values are read as Go reads booleans (`0`, `f`, `F`, `false`…).",
    why: "The `/debug/pprof` endpoints reveal the program's internals and memory layout, and a CPU profile request costs the server real work: information for an attacker and a cheap denial-of-service lever, with no use in production.",
    remediation: "Add `--profiling=false` to each component's command (or `profiling: \"false\"` to its kubeadm `extraArgs`).",
    example: "command:\n- kube-scheduler\n- --profiling=false",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 1.2.15, 1.3.2, 1.4.1"],
    peers: &[("checkov", "CKV_K8S_90"), ("checkov", "CKV_K8S_107"), ("checkov", "CKV_K8S_114"), ("trivy", "KCV0018"), ("trivy", "KCV0034"), ("trivy", "KCV0040")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for component in [
        Component::ApiServer,
        Component::ControllerManager,
        Component::Scheduler,
    ] {
        for f in component_flags(m, component) {
            if f.kubeadm() {
                // Only the sections the configuration writes: an absent one is kubeadm's default.
                let r = &m.resources[f.resource];
                let section = match component {
                    Component::ApiServer => "apiServer",
                    Component::ControllerManager => "controllerManager",
                    _ => "scheduler",
                };
                if s.get(r.root, section).is_none() {
                    continue;
                }
            }
            let who = f.describe(m);
            match f.bool("profiling") {
                Some((_, Some(false))) => {}
                Some((flag, _)) => out.push(f.at(
                    cx,
                    &META,
                    flag,
                    format!("{who} serves profiling data (profiling `{}`)", flag.value),
                )),
                None => out.push(f.finding(
                    cx,
                    &META,
                    f.anchor,
                    format!("{who} does not set profiling to false (it defaults to true)"),
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    fn scheduler(flags: &str) -> String {
        format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: kube-scheduler, namespace: kube-system}}\nspec:\n  containers:\n  - name: kube-scheduler\n    image: registry.k8s.io/kube-scheduler:v1.31.0\n    command:\n    - kube-scheduler\n{flags}")
    }

    #[test]
    fn pass() {
        assert_pass(&META, &scheduler("    - --profiling=F\n"));
        assert_pass(
            &META,
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n",
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &scheduler("    - --bind-address=127.0.0.1\n"),
            &[(8, "command")],
        );
        assert_fail(
            &META,
            &scheduler("    - --profiling\n    - \"false\"\n"),
            &[(10, "--profiling")],
        );
    }
}
