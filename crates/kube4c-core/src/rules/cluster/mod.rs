//! Cluster layer: the control plane and what crosses pod boundaries.

pub mod apiserver_admission_plugins;
pub mod apiserver_always_allow;
pub mod apiserver_anonymous_auth;
pub mod apiserver_insecure_port;
pub mod apiserver_static_credentials;
pub mod audit_policy;
pub mod control_plane_profiling;
pub mod dangling_reference;
pub mod encryption_config;
pub mod encryption_provider_weak;
pub mod etcd_tls;
pub mod exposed_privileged_workload;
pub mod host_namespaces;
pub mod host_path_volume;
pub mod host_ports;
pub mod kind_api_address;
pub mod kubelet_access;
pub mod kubelet_hardening;
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
pub mod service_account_power;
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
        let ns = cx.index.namespace(r);
        let covered = cx
            .index
            .policies
            .get(ns)
            .is_some_and(|p| set(p).selecting(s, pod.labels).is_some());
        if !covered {
            out.push((pod, r, ns));
        }
    }
    out
}
