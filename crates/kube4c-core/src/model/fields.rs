//! Field names of the objects rules read. Kubernetes matches field names case-sensitively, so
//! `Privileged: true` or `RunAsNonRoot: true` is silently dropped (or rejected under strict field
//! validation): it looks right to a reviewer and does nothing. Such keys get a warning.

use crate::document::{NodeId, Stream, Warning};

pub const CONTAINER_SECURITY_CONTEXT: &[&str] = &[
    "allowPrivilegeEscalation",
    "appArmorProfile",
    "capabilities",
    "privileged",
    "procMount",
    "readOnlyRootFilesystem",
    "runAsGroup",
    "runAsNonRoot",
    "runAsUser",
    "seLinuxOptions",
    "seccompProfile",
    "windowsOptions",
];

pub const POD_SECURITY_CONTEXT: &[&str] = &[
    "appArmorProfile",
    "fsGroup",
    "fsGroupChangePolicy",
    "runAsGroup",
    "runAsNonRoot",
    "runAsUser",
    "seLinuxChangePolicy",
    "seLinuxOptions",
    "seccompProfile",
    "supplementalGroups",
    "supplementalGroupsPolicy",
    "sysctls",
    "windowsOptions",
];

pub const POD_SPEC: &[&str] = &[
    "automountServiceAccountToken",
    "containers",
    "ephemeralContainers",
    "hostIPC",
    "hostNetwork",
    "hostPID",
    "hostUsers",
    "initContainers",
    "securityContext",
    "serviceAccountName",
    "volumes",
    "os",
    "shareProcessNamespace",
];

pub const CONTAINER: &[&str] = &[
    "args",
    "command",
    "env",
    "envFrom",
    "image",
    "lifecycle",
    "livenessProbe",
    "name",
    "ports",
    "readinessProbe",
    "resources",
    "securityContext",
    "startupProbe",
    "volumeMounts",
];

/// Warn about keys of `map` that equal a known field but for letter case.
pub fn check_case(
    s: &Stream,
    map: NodeId,
    known: &[&str],
    document: usize,
    out: &mut Vec<Warning>,
) {
    for e in s.entries(map) {
        let key = s.key_str(e.key);
        if known.contains(&key) {
            continue;
        }
        if let Some(field) = known.iter().find(|f| f.eq_ignore_ascii_case(key)) {
            out.push(Warning {
                message: format!(
                    "`{key}` is not a Kubernetes field (names are case-sensitive): did you mean `{field}`? As written it has no effect"
                ),
                span: s.span(e.key),
                document,
            });
        }
    }
}
