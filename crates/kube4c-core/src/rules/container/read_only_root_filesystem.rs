use crate::fix::Applicability;
use crate::model::fields::names;
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/read-only-root-filesystem",
    layer: Layer::Container,
    severity: Severity::Medium,
    title: "Root filesystem is writable",
    what: "Containers (init and regular) without `securityContext.readOnlyRootFilesystem: true`.",
    why: "A writable root filesystem lets an attacker who gains code execution drop tools, modify binaries and persist inside the container. Read-only roots make the image the only thing that runs.",
    remediation: "Set `readOnlyRootFilesystem: true` and mount an `emptyDir` at each path the application must write (for example `/tmp`).",
    example: "securityContext:\n  readOnlyRootFilesystem: true\nvolumeMounts:\n- name: tmp\n  mountPath: /tmp",
    pss: &[],
    fix: FixAvailability::Always,
    options: &[],
    references: &["CIS Kubernetes 5.7.3", "4C model: Container layer, read-only rootfs"],
    peers: &[
        ("kube-linter", "no-read-only-root-fs"),
        ("checkov", "CKV_K8S_22"),
        ("polaris", "notReadOnlyRootFilesystem"),
        ("kubesec", "ReadOnlyRootFilesystem"),
        ("trivy", "KSV014"),
    ],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    for c in &cx.model.containers {
        if c.kind == crate::model::ContainerKind::Ephemeral {
            continue;
        }
        cx.require_container_bool(
            &META,
            c,
            names::READ_ONLY_ROOT_FILESYSTEM,
            true,
            "has a writable root filesystem",
            "does not set readOnlyRootFilesystem: true",
            // An application that writes outside its volumes stops working: review first.
            Applicability::Review,
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
            &deployment("", "securityContext:\n  readOnlyRootFilesystem: true"),
        );
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("", ""), &[(13, "name")]);
        assert_fail(
            &META,
            &deployment("", "securityContext:\n  readOnlyRootFilesystem: false"),
            &[(16, "false")],
        );
    }
}
