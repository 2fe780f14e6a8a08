use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/liveness-probe",
    layer: Layer::Container,
    severity: Severity::Low,
    title: "No liveness probe",
    what: "Regular containers of long-running workloads (Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers and recognised pod templates) without `livenessProbe`. Jobs and CronJobs, init and ephemeral containers are not reported.",
    why: "Without a liveness probe a process that hangs — deadlocked, or wedged by an attack that exhausts it — keeps its pod Running and its traffic forever: availability is part of security, and the kubelet only restarts what it can see failing.",
    remediation: "Add a `livenessProbe` that fails only when a restart would help (not on a slow dependency), with a `startupProbe` for slow starts.",
    example: "livenessProbe:\n  httpGet: {path: /healthz, port: 8080}\n  periodSeconds: 10",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["Kubernetes: configure liveness, readiness and startup probes"],
    peers: &[("kube-linter", "no-liveness-probe"), ("polaris", "livenessProbeMissing"), ("checkov", "CKV_K8S_8"), ("kube-score", "pod-probes")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    super::missing_probe(cx, &META, "livenessProbe", "liveness", out);
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(
            &META,
            &deployment("", "livenessProbe: {tcpSocket: {port: 80}}"),
        );
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: busybox:1.36}]\n";
        assert_pass(&META, job);
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("", ""), &[(13, "name")]);
    }
}
