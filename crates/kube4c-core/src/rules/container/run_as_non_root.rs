use crate::document::Value;
use crate::fix::{Applicability, Scalar};
use crate::model::fields::names;
use crate::model::Level;
use crate::rules::{Context, FixAvailability, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/run-as-non-root",
    layer: Layer::Container,
    severity: Severity::High,
    title: "Container may run as root",
    what: "Every container must end up with `runAsNonRoot: true`, set on the container or inherited from the pod's `securityContext` (a container's own value wins). An explicit `false` at either level fails. Pods with `hostUsers: false` (user namespaces) are exempt, as in Pod Security.",
    why: "Without `runAsNonRoot: true` the kubelet starts the image's default user, often root. Root in a container is one kernel bug or one mis-mounted path away from root on the node.",
    remediation: "Set `runAsNonRoot: true` (and a non-zero `runAsUser`) in the pod's `securityContext` so every container inherits it, and build images with a numeric non-root `USER`. A non-zero `runAsUser` alone does not satisfy Pod Security 'restricted'.",
    example: "spec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001",
    pss: &[Pss { id: "runAsNonRoot", level: PssLevel::Restricted }],
    fix: FixAvailability::Always,
    options: &[],
    references: &["CIS Kubernetes 5.2.6", "NSA/CISA Kubernetes Hardening: non-root containers", "4C model: Container layer, non-root execution"],
    peers: &[
        ("kube-linter", "run-as-non-root"),
        ("checkov", "CKV_K8S_23"),
        ("polaris", "runAsRootAllowed"),
        ("kubesec", "RunAsNonRoot"),
        ("trivy", "KSV012"),
    ],
};

/// An image whose user is root fails to start once this is set: review first.
const TITLE: &str = "Set `runAsNonRoot: true`";

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    // An explicit pod-level value other than true fails once, whatever the containers say.
    for pod in &m.pods {
        if m.user_namespaced(pod) {
            continue;
        }
        if let Some(n) = m.pod_setting(pod, "runAsNonRoot") {
            if s.node(n).value != Value::Bool(true) {
                let r = m.resource_of_pod(pod);
                let mut fix = cx.fixer();
                fix.set_scalar(n, Scalar::Bool(true));
                out.push(
                    cx.finding(
                        &META,
                        r,
                        s.span(n),
                        m.pod_path(pod, &[names::SECURITY_CONTEXT, names::RUN_AS_NON_ROOT]),
                        format!(
                            "pod of {} sets runAsNonRoot to `{}`: its containers may run as root",
                            r.label(),
                            s.slice(s.span(n))
                        ),
                    )
                    .with_fix(fix.finish(TITLE, Applicability::Review)),
                );
            }
        }
    }
    for c in &m.containers {
        if m.user_namespaced(m.pod_of(c)) {
            continue;
        }
        match m.effective(c, "runAsNonRoot") {
            Some(set) if s.node(set.node).value == Value::Bool(true) => {}
            // Inherited from the pod: reported once above.
            Some(set) if set.level == Level::Pod => {}
            Some(set) => {
                let mut fix = cx.fixer();
                fix.set_scalar(set.node, Scalar::Bool(true));
                out.push(
                    cx.container_finding(
                        &META,
                        c,
                        s.span(set.node),
                        m.setting_path(c, set, names::RUN_AS_NON_ROOT),
                        format!(
                            "{} sets runAsNonRoot to `{}`: it may run as root",
                            m.describe(c),
                            s.slice(s.span(set.node))
                        ),
                    )
                    .with_fix(fix.finish(TITLE, Applicability::Review)),
                )
            }
            None => out.push({
                let mut fix = cx.fixer();
                fix.set_path(
                    c.node,
                    &[names::SECURITY_CONTEXT, names::RUN_AS_NON_ROOT],
                    Scalar::Bool(true),
                );
                cx.container_finding(
                    &META,
                    c,
                    m.container_anchor(c),
                    m.container_path(c, &[names::SECURITY_CONTEXT, names::RUN_AS_NON_ROOT]),
                    format!(
                        "{} does not set runAsNonRoot: true, and neither does its pod",
                        m.describe(c)
                    ),
                )
                .with_fix(fix.finish(TITLE, Applicability::Review))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        // Pod-level true carries down to every container: no false positive.
        assert_pass(
            &META,
            &deployment("securityContext:\n  runAsNonRoot: true", ""),
        );
        assert_pass(
            &META,
            &deployment("", "securityContext:\n  runAsNonRoot: true"),
        );
        assert_pass(&META, &deployment("hostUsers: false", ""));
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("", ""), &[(13, "name")]);
        assert_fail(
            &META,
            &deployment("", "securityContext:\n  runAsUser: 1000"),
            &[(15, "securityContext")],
        );
        assert_fail(
            &META,
            &deployment("", "securityContext:\n  runAsNonRoot: false"),
            &[(16, "false")],
        );
        // Container false overrides pod true.
        assert_fail(
            &META,
            &deployment(
                "securityContext:\n  runAsNonRoot: true",
                "securityContext:\n  runAsNonRoot: no",
            ),
            &[(18, "no")],
        );
        // Pod-level false, two containers: reported once, at the pod's value.
        let two = "securityContext:\n  runAsNonRoot: false\ninitContainers:\n- name: init\n  image: busybox:1.36";
        assert_fail(&META, &deployment(two, ""), &[(13, "false")]);
        // A pod-level false fails even when every container overrides it (Pod Security).
        assert_fail(
            &META,
            &deployment(
                "securityContext:\n  runAsNonRoot: false",
                "securityContext:\n  runAsNonRoot: true",
            ),
            &[(13, "false")],
        );
    }
}
