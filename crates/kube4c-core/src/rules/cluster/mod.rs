//! Cluster layer: the control plane and what crosses pod boundaries.

pub mod apiserver_admission_plugins;
pub mod apiserver_always_allow;
pub mod apiserver_anonymous_auth;
pub mod apiserver_insecure_port;
pub mod apiserver_static_credentials;
pub mod audit_policy;
pub mod container_runtime_socket;
pub mod control_plane_profiling;
pub mod dangling_reference;
pub mod default_namespace;
pub mod default_service_account;
pub mod deprecated_service_account_field;
pub mod encryption_config;
pub mod encryption_provider_weak;
pub mod etcd_tls;
pub mod exposed_privileged_workload;
pub mod host_aliases;
pub mod host_namespaces;
pub mod host_path_volume;
pub mod host_ports;
pub mod kind_api_address;
pub mod kubelet_access;
pub mod kubelet_hardening;
pub mod mount_propagation;
pub mod namespace_default_deny;
pub mod networkpolicy_allows_all;
pub mod networkpolicy_egress_missing;
pub mod networkpolicy_missing;
pub mod networkpolicy_selects_nothing;
pub mod probe_host;
pub mod rbac_anonymous_binding;
pub mod rbac_authenticated_binding;
pub mod rbac_cluster_admin_binding;
pub mod rbac_create_pods;
pub mod rbac_credential_minting;
pub mod rbac_escalation_verbs;
pub mod rbac_nodes_proxy;
pub mod rbac_pod_exec;
pub mod rbac_secrets_access;
pub mod rbac_webhook_config;
pub mod rbac_wildcard;
pub mod restricted_volume_types;
pub mod sensitive_host_mount;
pub mod service_account_power;
pub mod service_account_token;
pub mod share_process_namespace;
pub mod unsafe_sysctls;
pub mod windows_host_process;

/// The static-pod fixture most apiserver tests start from.
#[cfg(test)]
pub(crate) fn apiserver_pod(flags: &str) -> String {
    let mut s = String::from(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  hostNetwork: true\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.31.0\n    command:\n    - kube-apiserver\n",
    );
    for f in flags.lines() {
        s.push_str(&format!("    - {f}\n"));
    }
    s
}

/// The pods of this input that no NetworkPolicy of the run selects in one direction (ingress
/// or egress, as `set` picks), with their resource and namespace; host-network pods are left
/// out (NetworkPolicy does not apply to them). The finding carries the pod labels as a related
/// location.
pub(crate) fn unisolated<'m>(
    cx: &'m crate::rules::Context,
    set: fn(&crate::index::NamespacePolicies) -> &crate::index::PolicySet,
) -> Vec<(
    &'m crate::model::Pod,
    &'m crate::model::Resource<'m>,
    &'m str,
)> {
    let m = cx.model;
    let s = cx.stream;
    let mut out = Vec::new();
    for pod in &m.pods {
        if crate::model::is_true(s, s.get(pod.spec, "hostNetwork")) {
            continue;
        }
        let r = m.resource_of_pod(pod);
        let ns = cx.index().namespace(r);
        let covered = cx
            .index()
            .policies
            .get(ns)
            .is_some_and(|p| set(p).selecting(s, pod.labels).is_some());
        if !covered {
            out.push((pod, r, ns));
        }
    }
    out
}

/// A host path as the node resolves it, for comparison: `//`, `/./` and `..` folded, trailing
/// slashes dropped, and `/var/run` read as `/run` (a symlink on every current distribution).
pub(crate) fn clean_host_path(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if out == "/var/run" || out.starts_with("/var/run/") {
        out = out["/var".len()..].to_string();
    }
    out
}

/// Container runtime sockets, and the folders that hold them (after [`clean_host_path`]).
pub(crate) const RUNTIME_SOCKETS: &[&str] = &[
    "/run/docker.sock",
    "/run/containerd/containerd.sock",
    "/run/crio/crio.sock",
    "/run/cri-dockerd.sock",
    "/run/k3s/containerd/containerd.sock",
    "/run/podman/podman.sock",
    "/var/lib/docker",
];

/// Is `path` (cleaned) a runtime socket, or a folder above one (`/run`, `/run/containerd`)?
pub(crate) fn runtime_socket(path: &str) -> Option<&'static str> {
    RUNTIME_SOCKETS
        .iter()
        .copied()
        .find(|sock| path == *sock || path == "/" || sock.starts_with(&format!("{path}/")))
}

/// The hostPath volumes of a pod: (index in `volumes`, the volume node, the `hostPath` entry,
/// the cleaned path, the path node) .
pub(crate) fn host_path_volumes(
    s: &crate::document::Stream,
    spec: crate::document::NodeId,
) -> Vec<(
    usize,
    crate::document::NodeId,
    crate::document::Entry,
    String,
    Option<crate::document::NodeId>,
)> {
    let mut out = Vec::new();
    let Some(vols) = s.get(spec, "volumes") else {
        return out;
    };
    for (i, &v) in s.items(vols).iter().enumerate() {
        let Some(e) = s.get_entry(v, "hostPath") else {
            continue;
        };
        let node = s.get(e.value, "path");
        let path = node.and_then(|p| s.str(p)).unwrap_or("");
        out.push((i, v, e, clean_host_path(path), node));
    }
    out
}

#[cfg(test)]
mod path_tests {
    use super::*;

    #[test]
    fn cleaning() {
        assert_eq!(
            clean_host_path("/var/run//docker.sock/"),
            "/run/docker.sock"
        );
        assert_eq!(clean_host_path("/etc/../"), "/");
        assert_eq!(clean_host_path("/./var/lib/kubelet"), "/var/lib/kubelet");
        assert_eq!(
            runtime_socket(&clean_host_path("/var/run")),
            Some("/run/docker.sock")
        );
        assert_eq!(runtime_socket("/run"), Some("/run/docker.sock"));
        assert_eq!(
            runtime_socket("/run/containerd"),
            Some("/run/containerd/containerd.sock")
        );
        assert_eq!(runtime_socket("/run/user"), None);
    }
}
