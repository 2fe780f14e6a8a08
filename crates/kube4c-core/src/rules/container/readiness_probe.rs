use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/readiness-probe",
    layer: Layer::Container,
    severity: Severity::Low,
    title: "No readiness probe",
    what: "Regular containers of long-running workloads (Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers and recognised pod templates) without `readinessProbe`. Jobs and CronJobs, init and ephemeral containers are not reported.",
    why: "Without a readiness probe a pod receives traffic as soon as its process starts, and keeps receiving it while it cannot serve: requests fail during every rollout and overload, and a Service keeps routing to a pod that is broken.",
    remediation: "Add a `readinessProbe` that checks the endpoint traffic reaches.",
    example: "readinessProbe:\n  httpGet: {path: /healthz, port: 8080}\n  periodSeconds: 10",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["Kubernetes: configure liveness, readiness and startup probes"],
    peers: &[("kube-linter", "no-readiness-probe"), ("polaris", "readinessProbeMissing"), ("checkov", "CKV_K8S_9"), ("kube-score", "pod-probes")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    super::missing_probe(cx, &META, "readinessProbe", "readiness", out);
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(
            &META,
            &deployment("", "readinessProbe: {tcpSocket: {port: 80}}"),
        );
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: busybox:1.36}]\n";
        assert_pass(&META, job);
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("", ""), &[(13, "name")]);
    }
}
