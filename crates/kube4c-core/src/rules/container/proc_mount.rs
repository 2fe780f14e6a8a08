use crate::fix::{Applicability, Scalar};
use crate::model::fields::names;
use crate::rules::{Context, FixAvailability, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/proc-mount",
    layer: Layer::Container,
    severity: Severity::High,
    title: "/proc is unmasked",
    what: "`securityContext.procMount` other than `Default` on any container. Under Pod Security baseline, pods with `hostUsers: false` (user namespaces) are exempt; under restricted (profiles `all` and `pss-restricted`) they are not.",
    why: "The default proc mount masks kernel interfaces under /proc (such as /proc/sys and /proc/kcore) that leak host information or allow changing kernel settings. `Unmasked` exposes them to the container.",
    remediation: "Remove `procMount` or set it to `Default`.",
    example: "securityContext:\n  procMount: Default",
    pss: &[
        Pss { id: "procMount", level: PssLevel::Baseline },
        Pss { id: "procMount_restricted", level: PssLevel::Restricted },
    ],
    fix: FixAvailability::Always,
    options: &[],
    references: &["Kubernetes Pod Security Standards: /proc mount type"],
    peers: &[("trivy", "KSV027")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    let baseline_only = cx.pss_level() == PssLevel::Baseline;
    for c in &m.containers {
        let Some(n) = m.container_setting(c, "procMount") else {
            continue;
        };
        if s.str(n) == Some("Default") {
            continue;
        }
        if baseline_only && m.user_namespaced(m.pod_of(c)) {
            continue;
        }
        let mut fix = cx.fixer();
        fix.set_scalar(n, Scalar::Str("Default"));
        out.push(
            cx.container_finding(
                &META,
                c,
                s.span(n),
                m.container_path(c, &[names::SECURITY_CONTEXT, names::PROC_MOUNT]),
                format!("{} mounts /proc as `{}`", m.describe(c), s.slice(s.span(n))),
            )
            .with_fix(fix.finish("Set `procMount: Default`", Applicability::Review)),
        );
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
            &deployment("", "securityContext:\n  procMount: Default"),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("", "securityContext:\n  procMount: Unmasked"),
            &[(16, "Unmasked")],
        );
        // Restricted gives no user-namespace relaxation (the default profile reports it).
        assert_fail(
            &META,
            &deployment(
                "hostUsers: false",
                "securityContext:\n  procMount: Unmasked",
            ),
            &[(17, "Unmasked")],
        );
    }
}
