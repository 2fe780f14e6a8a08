use crate::model::Level;
use crate::rules::{Context, FixAvailability, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/run-as-root-user",
    layer: Layer::Container,
    severity: Severity::High,
    title: "Container runs as UID 0",
    what: "`runAsUser: 0` in the pod's or a container's `securityContext` (numbers are read as Kubernetes reads them: `0x0` and `00` are 0 too). Pods with `hostUsers: false` are exempt, as in Pod Security.",
    why: "UID 0 is root. Explicitly asking for it defeats `runAsNonRoot` and gives a compromised process root's power over every file and device the container can reach.",
    remediation: "Use a non-zero UID, ideally 10000 or above so it matches no host account, and set `runAsNonRoot: true`.",
    example: "securityContext:\n  runAsNonRoot: true\n  runAsUser: 10001",
    pss: &[Pss { id: "runAsUser", level: PssLevel::Restricted }],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.2.6", "4C model: Container layer, run as UID 1000 instead of root"],
    peers: &[("trivy", "KSV105")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for pod in &m.pods {
        if m.user_namespaced(pod) {
            continue;
        }
        if let Some(n) = m.pod_setting(pod, "runAsUser") {
            if s.int(n) == Some(0) {
                let r = m.resource_of_pod(pod);
                out.push(cx.finding(
                    &META,
                    r,
                    s.span(n),
                    format!("{}.securityContext.runAsUser", pod.path),
                    format!("pod of {} runs as UID 0 (root)", r.label()),
                ));
            }
        }
        for c in m.containers_of(pod) {
            let Some(set) = m.effective(c, "runAsUser") else {
                continue;
            };
            if set.level == Level::Container && s.int(set.node) == Some(0) {
                out.push(cx.container_finding(
                    &META,
                    c,
                    s.span(set.node),
                    m.setting_path(c, set, "runAsUser"),
                    format!("{} runs as UID 0 (root)", m.describe(c)),
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
            &deployment("securityContext:\n  runAsUser: 1000", ""),
        );
        assert_pass(&META, &deployment("", ""));
        // The string "0" is not an integer: the API server rejects it; nothing runs.
        assert_pass(
            &META,
            &deployment("", "securityContext:\n  runAsUser: \"0\""),
        );
        assert_pass(
            &META,
            &deployment("hostUsers: false\nsecurityContext:\n  runAsUser: 0", ""),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("", "securityContext:\n  runAsUser: 0"),
            &[(16, "0")],
        );
        assert_fail(
            &META,
            &deployment("", "securityContext:\n  runAsUser: 0x0"),
            &[(16, "0x0")],
        );
        assert_fail(
            &META,
            &deployment("securityContext:\n  runAsUser: 00", ""),
            &[(13, "00")],
        );
    }
}
