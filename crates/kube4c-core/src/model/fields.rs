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

/// The JSON type a field must have for the API server to accept the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Bool,
    Int,
    Str,
    Map,
    List,
}

impl Type {
    fn name(self) -> &'static str {
        match self {
            Type::Bool => "a boolean (true or false)",
            Type::Int => "an integer",
            Type::Str => "a string",
            Type::Map => "a mapping",
            Type::List => "a list",
        }
    }
}

pub const POD_SPEC_TYPES: &[(&str, Type)] = &[
    ("automountServiceAccountToken", Type::Bool),
    ("containers", Type::List),
    ("ephemeralContainers", Type::List),
    ("hostIPC", Type::Bool),
    ("hostNetwork", Type::Bool),
    ("hostPID", Type::Bool),
    ("hostUsers", Type::Bool),
    ("initContainers", Type::List),
    ("securityContext", Type::Map),
    ("serviceAccountName", Type::Str),
    ("shareProcessNamespace", Type::Bool),
    ("volumes", Type::List),
    ("os", Type::Map),
];

pub const POD_SECURITY_CONTEXT_TYPES: &[(&str, Type)] = &[
    ("fsGroup", Type::Int),
    ("runAsGroup", Type::Int),
    ("runAsNonRoot", Type::Bool),
    ("runAsUser", Type::Int),
    ("seLinuxOptions", Type::Map),
    ("seccompProfile", Type::Map),
    ("appArmorProfile", Type::Map),
    ("supplementalGroups", Type::List),
    ("sysctls", Type::List),
    ("windowsOptions", Type::Map),
];

pub const CONTAINER_TYPES: &[(&str, Type)] = &[
    ("args", Type::List),
    ("command", Type::List),
    ("env", Type::List),
    ("envFrom", Type::List),
    ("image", Type::Str),
    ("name", Type::Str),
    ("ports", Type::List),
    ("resources", Type::Map),
    ("securityContext", Type::Map),
    ("volumeMounts", Type::List),
];

pub const CONTAINER_SECURITY_CONTEXT_TYPES: &[(&str, Type)] = &[
    ("allowPrivilegeEscalation", Type::Bool),
    ("appArmorProfile", Type::Map),
    ("capabilities", Type::Map),
    ("privileged", Type::Bool),
    ("procMount", Type::Str),
    ("readOnlyRootFilesystem", Type::Bool),
    ("runAsGroup", Type::Int),
    ("runAsNonRoot", Type::Bool),
    ("runAsUser", Type::Int),
    ("seLinuxOptions", Type::Map),
    ("seccompProfile", Type::Map),
    ("windowsOptions", Type::Map),
];

pub const CAPABILITIES_TYPES: &[(&str, Type)] = &[("add", Type::List), ("drop", Type::List)];

/// Fields whose value has a type the API server refuses (`runAsUser: root`,
/// `securityContext: "x"`, `privileged: "true"`): the object is rejected, so the checker must
/// not pass over it in silence. `null` is accepted (the field is unset).
pub fn check_types(
    s: &Stream,
    map: NodeId,
    fields: &[(&str, Type)],
    doc: usize,
    out: &mut Vec<Warning>,
) {
    use crate::document::Value;
    for e in s.entries(map) {
        let key = s.key_str(e.key);
        let Some(&(_, want)) = fields.iter().find(|(f, _)| *f == key) else {
            continue;
        };
        let v = &s.node(e.value).value;
        let ok = match (want, v) {
            (_, Value::Null) => true,
            (Type::Bool, Value::Bool(_)) => true,
            (Type::Int, Value::Int(_) | Value::UInt(_)) => true,
            (Type::Int, Value::Float(f)) => f.fract() == 0.0,
            (Type::Str, Value::Str(_)) => true,
            (Type::Map, Value::Map { .. }) => true,
            (Type::List, Value::Seq { .. }) => true,
            _ => false,
        };
        if !ok {
            out.push(Warning {
                message: format!(
                    "the API server rejects this object: `{key}` must be {}",
                    want.name()
                ),
                span: s.span(e.value),
                document: doc,
            });
        }
    }
}
