use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/share-process-namespace",
    layer: Layer::Cluster,
    severity: Severity::Low,
    title: "Containers of the pod share one process namespace",
    what: "PodSpecs with `shareProcessNamespace: true`.",
    why: "Every container then sees, signals and — with the same user — reads the memory and `/proc/<pid>/root` of every other container of the pod: a compromised sidecar reaches the application's secrets and files.",
    remediation: "Remove `shareProcessNamespace`; use an ephemeral debug container (`kubectl debug --target`) when you need to inspect another container's processes.",
    example: "spec:\n  shareProcessNamespace: false",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["Kubernetes: share process namespace between containers in a pod"],
    peers: &[],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for pod in &m.pods {
        let Some(n) = s.get(pod.spec, "shareProcessNamespace") else {
            continue;
        };
        if s.bool(n) != Some(true) {
            continue;
        }
        let r = m.resource_of_pod(pod);
        out.push(cx.finding(
            &META,
            r,
            s.span(n),
            m.pod_path(pod, &["shareProcessNamespace"]),
            format!(
                "{}: its containers see and signal each other's processes",
                r.label()
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(&META, &deployment("shareProcessNamespace: false", ""));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("shareProcessNamespace: true", ""),
            &[(12, "true")],
        );
    }
}
