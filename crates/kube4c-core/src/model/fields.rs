//! Field names of the objects rules read. Kubernetes matches field names case-sensitively, so
//! `Privileged: true` or `RunAsNonRoot: true` is silently dropped (or rejected under strict field
//! validation): it looks right to a reviewer and does nothing. Such keys get a warning.

use crate::document::{NodeId, Stream, Warning};

/// Field names as the API spells them, shared by the rules, the fixes and the letter-case
/// check.
pub mod names {
    pub const ADD: &str = "add";
    pub const DROP: &str = "drop";
    pub const TYPE: &str = "type";
    pub const ALLOW_PRIVILEGE_ESCALATION: &str = "allowPrivilegeEscalation";
    pub const APP_ARMOR_PROFILE: &str = "appArmorProfile";
    pub const ARGS: &str = "args";
    pub const AUTOMOUNT_SERVICE_ACCOUNT_TOKEN: &str = "automountServiceAccountToken";
    pub const CAPABILITIES: &str = "capabilities";
    pub const COMMAND: &str = "command";
    pub const CONTAINERS: &str = "containers";
    pub const ENV: &str = "env";
    pub const ENV_FROM: &str = "envFrom";
    pub const EPHEMERAL_CONTAINERS: &str = "ephemeralContainers";
    pub const FS_GROUP: &str = "fsGroup";
    pub const FS_GROUP_CHANGE_POLICY: &str = "fsGroupChangePolicy";
    pub const HOST_IPC: &str = "hostIPC";
    pub const HOST_NETWORK: &str = "hostNetwork";
    pub const HOST_PID: &str = "hostPID";
    pub const HOST_USERS: &str = "hostUsers";
    pub const IMAGE: &str = "image";
    pub const INIT_CONTAINERS: &str = "initContainers";
    pub const LIFECYCLE: &str = "lifecycle";
    pub const LIVENESS_PROBE: &str = "livenessProbe";
    pub const NAME: &str = "name";
    pub const OS: &str = "os";
    pub const PORTS: &str = "ports";
    pub const PRIVILEGED: &str = "privileged";
    pub const PROC_MOUNT: &str = "procMount";
    pub const READ_ONLY_ROOT_FILESYSTEM: &str = "readOnlyRootFilesystem";
    pub const READINESS_PROBE: &str = "readinessProbe";
    pub const RESOURCES: &str = "resources";
    pub const RUN_AS_GROUP: &str = "runAsGroup";
    pub const RUN_AS_NON_ROOT: &str = "runAsNonRoot";
    pub const RUN_AS_USER: &str = "runAsUser";
    pub const SE_LINUX_CHANGE_POLICY: &str = "seLinuxChangePolicy";
    pub const SE_LINUX_OPTIONS: &str = "seLinuxOptions";
    pub const SECCOMP_PROFILE: &str = "seccompProfile";
    pub const SECURITY_CONTEXT: &str = "securityContext";
    pub const SERVICE_ACCOUNT_NAME: &str = "serviceAccountName";
    pub const SHARE_PROCESS_NAMESPACE: &str = "shareProcessNamespace";
    pub const STARTUP_PROBE: &str = "startupProbe";
    pub const SUPPLEMENTAL_GROUPS: &str = "supplementalGroups";
    pub const SUPPLEMENTAL_GROUPS_POLICY: &str = "supplementalGroupsPolicy";
    pub const SYSCTLS: &str = "sysctls";
    pub const VOLUME_MOUNTS: &str = "volumeMounts";
    pub const VOLUMES: &str = "volumes";
    pub const WINDOWS_OPTIONS: &str = "windowsOptions";
}

use names::*;

pub const CONTAINER_SECURITY_CONTEXT: &[&str] = &[
    ALLOW_PRIVILEGE_ESCALATION,
    APP_ARMOR_PROFILE,
    CAPABILITIES,
    PRIVILEGED,
    PROC_MOUNT,
    READ_ONLY_ROOT_FILESYSTEM,
    RUN_AS_GROUP,
    RUN_AS_NON_ROOT,
    RUN_AS_USER,
    SE_LINUX_OPTIONS,
    SECCOMP_PROFILE,
    WINDOWS_OPTIONS,
];

pub const POD_SECURITY_CONTEXT: &[&str] = &[
    APP_ARMOR_PROFILE,
    FS_GROUP,
    FS_GROUP_CHANGE_POLICY,
    RUN_AS_GROUP,
    RUN_AS_NON_ROOT,
    RUN_AS_USER,
    SE_LINUX_CHANGE_POLICY,
    SE_LINUX_OPTIONS,
    SECCOMP_PROFILE,
    SUPPLEMENTAL_GROUPS,
    SUPPLEMENTAL_GROUPS_POLICY,
    SYSCTLS,
    WINDOWS_OPTIONS,
];

pub const POD_SPEC: &[&str] = &[
    AUTOMOUNT_SERVICE_ACCOUNT_TOKEN,
    CONTAINERS,
    EPHEMERAL_CONTAINERS,
    HOST_IPC,
    HOST_NETWORK,
    HOST_PID,
    HOST_USERS,
    INIT_CONTAINERS,
    SECURITY_CONTEXT,
    SERVICE_ACCOUNT_NAME,
    VOLUMES,
    OS,
    SHARE_PROCESS_NAMESPACE,
];

pub const CONTAINER: &[&str] = &[
    ARGS,
    COMMAND,
    ENV,
    ENV_FROM,
    IMAGE,
    LIFECYCLE,
    LIVENESS_PROBE,
    NAME,
    PORTS,
    READINESS_PROBE,
    RESOURCES,
    SECURITY_CONTEXT,
    STARTUP_PROBE,
    VOLUME_MOUNTS,
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
    (AUTOMOUNT_SERVICE_ACCOUNT_TOKEN, Type::Bool),
    (CONTAINERS, Type::List),
    (EPHEMERAL_CONTAINERS, Type::List),
    (HOST_IPC, Type::Bool),
    (HOST_NETWORK, Type::Bool),
    (HOST_PID, Type::Bool),
    (HOST_USERS, Type::Bool),
    (INIT_CONTAINERS, Type::List),
    (SECURITY_CONTEXT, Type::Map),
    (SERVICE_ACCOUNT_NAME, Type::Str),
    (SHARE_PROCESS_NAMESPACE, Type::Bool),
    (VOLUMES, Type::List),
    (OS, Type::Map),
];

pub const POD_SECURITY_CONTEXT_TYPES: &[(&str, Type)] = &[
    (FS_GROUP, Type::Int),
    (RUN_AS_GROUP, Type::Int),
    (RUN_AS_NON_ROOT, Type::Bool),
    (RUN_AS_USER, Type::Int),
    (SE_LINUX_OPTIONS, Type::Map),
    (SECCOMP_PROFILE, Type::Map),
    (APP_ARMOR_PROFILE, Type::Map),
    (SUPPLEMENTAL_GROUPS, Type::List),
    (SYSCTLS, Type::List),
    (WINDOWS_OPTIONS, Type::Map),
];

pub const CONTAINER_TYPES: &[(&str, Type)] = &[
    (ARGS, Type::List),
    (COMMAND, Type::List),
    (ENV, Type::List),
    (ENV_FROM, Type::List),
    (IMAGE, Type::Str),
    (NAME, Type::Str),
    (PORTS, Type::List),
    (RESOURCES, Type::Map),
    (SECURITY_CONTEXT, Type::Map),
    (VOLUME_MOUNTS, Type::List),
];

pub const CONTAINER_SECURITY_CONTEXT_TYPES: &[(&str, Type)] = &[
    (ALLOW_PRIVILEGE_ESCALATION, Type::Bool),
    (APP_ARMOR_PROFILE, Type::Map),
    (CAPABILITIES, Type::Map),
    (PRIVILEGED, Type::Bool),
    (PROC_MOUNT, Type::Str),
    (READ_ONLY_ROOT_FILESYSTEM, Type::Bool),
    (RUN_AS_GROUP, Type::Int),
    (RUN_AS_NON_ROOT, Type::Bool),
    (RUN_AS_USER, Type::Int),
    (SE_LINUX_OPTIONS, Type::Map),
    (SECCOMP_PROFILE, Type::Map),
    (WINDOWS_OPTIONS, Type::Map),
];

pub const CAPABILITIES_TYPES: &[(&str, Type)] = &[(ADD, Type::List), (DROP, Type::List)];

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
