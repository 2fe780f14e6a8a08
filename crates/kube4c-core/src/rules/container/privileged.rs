use crate::fix::{Applicability, Scalar};
use crate::model::fields::names;
use crate::model::is_true;
use crate::rules::{Context, FixAvailability, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/privileged",
    layer: Layer::Container,
    severity: Severity::Critical,
    title: "Container runs privileged",
    what: "Any container (init, regular or ephemeral) with `securityContext.privileged: true`.",
    why: "A privileged container has every capability and sees the host's devices: it is root on the node. One compromised process in it can load kernel modules, read other pods' data and take over the node.",
    remediation: "Remove `privileged: true`. If the workload needs one kernel feature, grant that single capability instead, and only to the container that needs it.",
    example: "securityContext:\n  privileged: false\n  capabilities:\n    drop: [\"ALL\"]",
    pss: &[Pss { id: "privileged", level: PssLevel::Baseline }],
    fix: FixAvailability::Always,
    options: &[],
    references: &["CIS Kubernetes 5.2.2", "NSA/CISA Kubernetes Hardening: non-root containers"],
    peers: &[
        ("kube-linter", "privileged-container"),
        ("checkov", "CKV_K8S_16"),
        ("polaris", "runAsPrivileged"),
        ("kubesec", "Privileged"),
        ("trivy", "KSV017"),
    ],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    for c in &m.containers {
        let Some(f) = m.container_field(c, &[names::SECURITY_CONTEXT, names::PRIVILEGED]) else {
            continue;
        };
        if is_true(cx.stream, Some(f.node)) {
            let mut fix = cx.fixer();
            fix.set_scalar(f.node, Scalar::Bool(false));
            out.push(
                cx.field_finding(
                    &META,
                    m.resource_of(c),
                    &f,
                    format!("{} runs privileged: it is root on the node", m.describe(c)),
                )
                // Device plugins, CNI agents and the like need it: review first.
                .with_fix(fix.finish("Set `privileged: false`", Applicability::Review)),
            );
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
            &deployment("", "securityContext:\n  privileged: false"),
        );
        assert_pass(&META, &deployment("", ""));
        // A quoted "true" is a string: the API server rejects it, it never runs privileged.
        assert_pass(
            &META,
            &deployment("", "securityContext:\n  privileged: \"true\""),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("", "securityContext:\n  privileged: true"),
            &[(16, "true")],
        );
        // YAML 1.1 as Kubernetes reads it: `yes` and `on` are true.
        assert_fail(
            &META,
            &deployment("", "securityContext:\n  privileged: yes"),
            &[(16, "yes")],
        );
        let init = "initContainers:\n- name: setup\n  image: busybox:1.36\n  securityContext: {privileged: On}";
        assert_fail(&META, &deployment(init, ""), &[(15, "On")]);
    }
}
