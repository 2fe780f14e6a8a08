use crate::model::is_true;
use crate::rules::{Context, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/windows-host-process",
    layer: Layer::Cluster,
    severity: Severity::Critical,
    title: "Windows HostProcess container",
    what: "`windowsOptions.hostProcess: true` at pod or container level.",
    why: "A Windows HostProcess container runs directly on the node, with the node's network and file system and the rights of a node account: it is the Windows equivalent of a privileged container.",
    fix: "Remove `hostProcess: true`; keep node agents that need it in a dedicated, tightly controlled namespace.",
    example: "securityContext:\n  windowsOptions:\n    hostProcess: false",
    pss: Some(Pss { id: "windowsHostProcess", level: PssLevel::Baseline }),
    references: &["Kubernetes Pod Security Standards: HostProcess"],
    peers: &[],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for pod in &m.pods {
        let r = m.resource_of_pod(pod);
        if let Some(hp) = m
            .pod_setting(pod, "windowsOptions")
            .and_then(|w| s.get(w, "hostProcess"))
        {
            if is_true(s, Some(hp)) {
                out.push(cx.finding(
                    &META,
                    r,
                    s.span(hp),
                    format!("{}.securityContext.windowsOptions.hostProcess", pod.path),
                    format!("pod of {} runs as a Windows HostProcess", r.label()),
                ));
            }
        }
        for c in m.containers_of(pod) {
            if let Some(hp) = m
                .container_setting(c, "windowsOptions")
                .and_then(|w| s.get(w, "hostProcess"))
            {
                if is_true(s, Some(hp)) {
                    out.push(cx.container_finding(
                        &META,
                        c,
                        s.span(hp),
                        format!("{}.securityContext.windowsOptions.hostProcess", c.path),
                        format!("{} runs as a Windows HostProcess", m.describe(c)),
                    ));
                }
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
                "securityContext:\n  windowsOptions: {hostProcess: false}",
                "",
            ),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment(
                "",
                "securityContext:\n  windowsOptions:\n    hostProcess: true",
            ),
            &[(17, "true")],
        );
    }
}
