use crate::model::Level;
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/root-group",
    layer: Layer::Container,
    severity: Severity::Medium,
    title: "Process runs with the root group (GID 0)",
    what: "`runAsGroup: 0` (pod level, and container level where it overrides), `fsGroup: 0`, and `0` in `supplementalGroups`. Pods in a user namespace (`hostUsers: false`) are skipped: their GID 0 is not the node's.",
    why: "GID 0 owns much of a node's and an image's files (`/etc/shadow` is root-group readable on many distributions, sockets and devices are group-writable). A process that escapes the container as GID 0 reads and writes them, and volumes written with fsGroup 0 are open to every root-group process.",
    remediation: "Run with a non-zero group (`runAsGroup: 10001`, `fsGroup: 10001`) and leave 0 out of `supplementalGroups`.",
    example: "securityContext:\n  runAsUser: 10001\n  runAsGroup: 10001\n  fsGroup: 10001",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["NSA/CISA Kubernetes Hardening Guide: non-root containers"],
    peers: &[("trivy", "KSV116")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for pod in &m.pods {
        if m.user_namespaced(pod) {
            continue;
        }
        let r = m.resource_of_pod(pod);
        for field in ["runAsGroup", "fsGroup"] {
            if let Some(n) = m.pod_setting(pod, field).filter(|&n| s.int(n) == Some(0)) {
                out.push(cx.finding(
                    &META,
                    r,
                    s.span(n),
                    m.pod_path(pod, &["securityContext", field]),
                    format!("pod of {} sets {field} 0 (the root group)", r.label()),
                ));
            }
        }
        if let Some(list) = m.pod_setting(pod, "supplementalGroups") {
            for (i, &g) in s.items(list).iter().enumerate() {
                if s.int(g) == Some(0) {
                    out.push(cx.finding(
                        &META,
                        r,
                        s.span(g),
                        format!(
                            "{}[{i}]",
                            m.pod_path(pod, &["securityContext", "supplementalGroups"])
                        ),
                        format!(
                            "pod of {} adds the root group (0) to supplementalGroups",
                            r.label()
                        ),
                    ));
                }
            }
        }
        for c in m.containers_of(pod) {
            let Some(set) = m.effective(c, "runAsGroup") else {
                continue;
            };
            if set.level == Level::Container && s.int(set.node) == Some(0) {
                out.push(cx.container_finding(
                    &META,
                    c,
                    s.span(set.node),
                    m.setting_path(c, set, "runAsGroup"),
                    format!("{} runs with GID 0 (the root group)", m.describe(c)),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(
            &META,
            &deployment(
                "securityContext: {runAsGroup: 1000, fsGroup: 1000, supplementalGroups: [1000]}",
                "",
            ),
        );
        assert_pass(
            &META,
            &deployment("hostUsers: false\nsecurityContext: {runAsGroup: 0}", ""),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment(
                "securityContext: {fsGroup: 0, supplementalGroups: [1000, 0]}",
                "securityContext: {runAsGroup: 0}",
            ),
            &[(12, "0"), (12, "0"), (16, "0")],
        );
    }
}
