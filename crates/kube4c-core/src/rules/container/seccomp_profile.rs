use crate::model::Level;
use crate::rules::{Context, Profile, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/seccomp-profile",
    layer: Layer::Container,
    severity: Severity::Medium,
    title: "No seccomp profile",
    what: "A `seccompProfile` at pod or container level whose `type` is not `RuntimeDefault` or `Localhost`, such as `Unconfined` (Pod Security baseline), and containers with no seccomp profile of their own or from the pod (restricted; Windows pods exempt). Under the `pss-baseline` profile only the first is reported.",
    why: "Seccomp filters the system calls a container may make. Without it every syscall reaches the host kernel, so a kernel bug reachable through a rarely used call becomes a container escape.",
    fix: "Set `seccompProfile.type: RuntimeDefault` in the pod's `securityContext`; every container inherits it.",
    example: "spec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault",
    pss: Some(Pss { id: "seccompProfile_baseline", level: PssLevel::Baseline }),
    references: &["CIS Kubernetes 5.7.2", "4C model: attack scenario 'container escape' (seccomp)"],
    peers: &[("checkov", "CKV_K8S_31"), ("trivy", "KSV030"), ("kubesec", "SeccompAny")],
};

fn allowed(t: Option<&str>) -> bool {
    matches!(t, Some("RuntimeDefault" | "Localhost"))
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    let restricted = cx.profile != Profile::PssBaseline;
    let type_of = |sp: crate::document::NodeId| s.get(sp, "type");
    let mut push = |f: Finding, pss: &'static str| {
        let mut f = f;
        f.pss = Some(pss);
        out.push(f);
    };
    for pod in &m.pods {
        let windows = m.is_windows(pod);
        // Pod Security's restricted seccomp check replaces the baseline one and admits Windows
        // pods whatever their profile: under `pss-restricted`, nothing to judge here.
        if windows && cx.profile == Profile::PssRestricted {
            continue;
        }
        let r = m.resource_of_pod(pod);
        let pod_type = m.pod_setting(pod, "seccompProfile").and_then(type_of);
        if let Some(t) = pod_type {
            if !allowed(s.str(t)) {
                push(
                    cx.finding(
                        &META,
                        r,
                        s.span(t),
                        format!("{}.securityContext.seccompProfile.type", pod.path),
                        format!(
                            "pod of {} uses seccomp profile `{}`",
                            r.label(),
                            s.slice(s.span(t))
                        ),
                    ),
                    "seccompProfile_baseline",
                );
            }
        }
        for c in m.containers_of(pod) {
            match m.effective(c, "seccompProfile") {
                Some(set) if set.level == Level::Container => {
                    let t = type_of(set.node);
                    let text = t.and_then(|t| s.str(t));
                    if !allowed(text) {
                        let span = t.map_or_else(|| s.span(set.node), |t| s.span(t));
                        push(
                            cx.container_finding(&META, c, span, format!("{}.securityContext.seccompProfile.type", c.path),
                                format!("{} uses seccomp profile `{}`", m.describe(c), text.unwrap_or(""))),
                            "seccompProfile_baseline",
                        );
                    }
                }
                // Inherited from the pod: judged once at pod level above.
                Some(_) => {}
                None if restricted && !windows => push(
                    cx.container_finding(&META, c, m.container_anchor(c), format!("{}.securityContext.seccompProfile", c.path),
                        format!("{} has no seccomp profile (set RuntimeDefault on the pod or the container)", m.describe(c))),
                    "seccompProfile_restricted",
                ),
                None => {}
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
        // Pod-level RuntimeDefault carries down.
        assert_pass(
            &META,
            &deployment(
                "securityContext:\n  seccompProfile:\n    type: RuntimeDefault",
                "",
            ),
        );
        assert_pass(
            &META,
            &deployment(
                "",
                "securityContext:\n  seccompProfile: {type: Localhost, localhostProfile: p.json}",
            ),
        );
        assert_pass(&META, &deployment("os: {name: windows}", ""));
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("", ""), &[(13, "name")]);
        assert_fail(
            &META,
            &deployment(
                "securityContext:\n  seccompProfile:\n    type: Unconfined",
                "",
            ),
            &[(14, "Unconfined")],
        );
        // The container's own Unconfined overrides a good pod default.
        assert_fail(
            &META,
            &deployment(
                "securityContext:\n  seccompProfile:\n    type: RuntimeDefault",
                "securityContext:\n  seccompProfile:\n    type: Unconfined",
            ),
            &[(20, "Unconfined")],
        );
    }
}
