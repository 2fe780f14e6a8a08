use crate::fix::Applicability;
use crate::model::fields::names;
use crate::rules::{Context, FixAvailability, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/allow-privilege-escalation",
    layer: Layer::Container,
    severity: Severity::High,
    title: "Privilege escalation not disabled",
    what: "Every container must set `securityContext.allowPrivilegeEscalation: false` explicitly; unset defaults to true. Windows pods (`spec.os.name: windows`) are exempt, as in Pod Security.",
    why: "With escalation allowed, a setuid binary or file capability in the image lets a process gain more privileges than its parent (`no_new_privs` is off). It is the usual second step after code execution in a container.",
    remediation: "Set `allowPrivilegeEscalation: false` on every container. It has no effect on well-behaved applications.",
    example: "securityContext:\n  allowPrivilegeEscalation: false",
    pss: &[Pss { id: "allowPrivilegeEscalation", level: PssLevel::Restricted }],
    fix: FixAvailability::Always,
    options: &[],
    references: &["CIS Kubernetes 5.2.5", "4C model: Container layer"],
    peers: &[
        ("kube-linter", "privilege-escalation-container"),
        ("checkov", "CKV_K8S_20"),
        ("polaris", "privilegeEscalationAllowed"),
        ("kubesec", "AllowPrivilegeEscalation"),
        ("trivy", "KSV001"),
    ],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    for c in &m.containers {
        if m.is_windows(m.pod_of(c)) {
            continue;
        }
        cx.require_container_bool(
            &META,
            c,
            names::ALLOW_PRIVILEGE_ESCALATION,
            false,
            "allows privilege escalation",
            "does not set allowPrivilegeEscalation: false (it defaults to true)",
            // Only setuid binaries inside the container (sudo, ping on old images) notice.
            Applicability::Safe,
            out,
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
            &deployment("", "securityContext:\n  allowPrivilegeEscalation: false"),
        );
        assert_pass(
            &META,
            &deployment("", "securityContext:\n  allowPrivilegeEscalation: Off"),
        );
        assert_pass(&META, &deployment("os:\n  name: windows", ""));
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("", ""), &[(13, "name")]);
        assert_fail(
            &META,
            &deployment("", "securityContext:\n  allowPrivilegeEscalation: true"),
            &[(16, "true")],
        );
        assert_fail(
            &META,
            &deployment("", "securityContext: {}"),
            &[(15, "securityContext")],
        );
    }
}
