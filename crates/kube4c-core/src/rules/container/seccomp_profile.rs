use crate::document::NodeId;
use crate::fix::{Applicability, Fix, Scalar};
use crate::model::{fields::names, Level};
use crate::rules::{Context, FixAvailability, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/seccomp-profile",
    layer: Layer::Container,
    severity: Severity::Medium,
    title: "No seccomp profile",
    what: "A `seccompProfile` at pod or container level whose `type` is not `RuntimeDefault` or `Localhost`, such as `Unconfined` (Pod Security baseline), and containers with no seccomp profile of their own or from the pod (restricted; Windows pods exempt). Under the `pss-baseline` profile only the first is reported.",
    why: "Seccomp filters the system calls a container may make. Without it every syscall reaches the host kernel, so a kernel bug reachable through a rarely used call becomes a container escape.",
    remediation: "Set `seccompProfile.type: RuntimeDefault` in the pod's `securityContext`; every container inherits it.",
    example: "spec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault",
    pss: &[
        Pss { id: "seccompProfile_baseline", level: PssLevel::Baseline },
        Pss { id: "seccompProfile_restricted", level: PssLevel::Restricted },
    ],
    fix: FixAvailability::Always,
    options: &[],
    references: &["CIS Kubernetes 5.7.2", "4C model: attack scenario 'container escape' (seccomp)"],
    peers: &[("checkov", "CKV_K8S_31"), ("trivy", "KSV030"), ("kubesec", "SeccompAny")],
};

fn allowed(t: Option<&str>) -> bool {
    matches!(t, Some("RuntimeDefault" | "Localhost"))
}

/// Point the profile at `RuntimeDefault`: replace a wrong `type`, or write one.
fn fix_type(cx: &Context, profile: NodeId, t: Option<NodeId>) -> Option<Fix> {
    let mut fix = cx.fixer();
    match t {
        Some(t) => fix.set_scalar(t, Scalar::Str("RuntimeDefault")),
        None => fix.set_path(profile, &[names::TYPE], Scalar::Str("RuntimeDefault")),
    };
    // The author chose another profile: a workload that needs unusual syscalls may stop.
    fix.finish(
        "Use the `RuntimeDefault` seccomp profile",
        Applicability::Review,
    )
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    let restricted = cx.pss_level() == PssLevel::Restricted;
    let type_of = |sp: NodeId| s.get(sp, names::TYPE);
    for pod in &m.pods {
        let windows = m.is_windows(pod);
        // Pod Security's restricted seccomp check replaces the baseline one and admits Windows
        // pods whatever their profile: at the restricted level, nothing to judge here.
        if windows && restricted {
            continue;
        }
        let r = m.resource_of_pod(pod);
        let pod_profile = m.pod_setting(pod, names::SECCOMP_PROFILE);
        if let Some(sp) = pod_profile {
            let t = type_of(sp);
            if !allowed(t.and_then(|t| s.str(t))) {
                out.push(
                    cx.finding(
                        &META,
                        r,
                        s.span(t.unwrap_or(sp)),
                        m.pod_path(
                            pod,
                            &[names::SECURITY_CONTEXT, names::SECCOMP_PROFILE, names::TYPE],
                        ),
                        format!(
                            "pod of {} uses seccomp profile `{}`",
                            r.label(),
                            t.map_or("", |t| s.slice(s.span(t)))
                        ),
                    )
                    .with_fix(fix_type(cx, sp, t)),
                );
            }
        }
        for c in m.containers_of(pod) {
            match m.effective(c, names::SECCOMP_PROFILE) {
                Some(set) if set.level == Level::Container => {
                    let t = type_of(set.node);
                    let text = t.and_then(|t| s.str(t));
                    if !allowed(text) {
                        let span = t.map_or_else(|| s.span(set.node), |t| s.span(t));
                        out.push(
                            cx.container_finding(
                                &META,
                                c,
                                span,
                                m.container_path(
                                    c,
                                    &[names::SECURITY_CONTEXT, names::SECCOMP_PROFILE, names::TYPE],
                                ),
                                format!(
                                    "{} uses seccomp profile `{}`",
                                    m.describe(c),
                                    text.unwrap_or("")
                                ),
                            )
                            .with_fix(fix_type(cx, set.node, t)),
                        );
                    }
                }
                // Inherited from the pod: judged once at pod level above.
                Some(_) => {}
                None if restricted && !windows => {
                    let mut fix = cx.fixer();
                    fix.set_path(
                        c.node,
                        &[names::SECURITY_CONTEXT, names::SECCOMP_PROFILE, names::TYPE],
                        Scalar::Str("RuntimeDefault"),
                    );
                    out.push(
                        cx.container_finding(
                            &META,
                            c,
                            m.container_anchor(c),
                            m.container_path(c, &[names::SECURITY_CONTEXT, names::SECCOMP_PROFILE]),
                            format!("{} has no seccomp profile (set RuntimeDefault on the pod or the container)", m.describe(c)),
                        )
                        // The container runtime's default filter: what Pod Security asks for,
                        // and what nearly every workload runs under unchanged.
                        .with_fix(fix.finish("Set the `RuntimeDefault` seccomp profile", Applicability::Safe)),
                    );
                }
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
