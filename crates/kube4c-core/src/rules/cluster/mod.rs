//! Cluster layer: the control plane and what crosses pod boundaries.

pub mod apiserver_always_allow;
pub mod apiserver_anonymous_auth;
pub mod audit_policy;
pub mod dangling_reference;
pub mod encryption_config;
pub mod encryption_provider_weak;
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
pub mod rbac_wildcard;
pub mod restricted_volume_types;
pub mod service_account_power;
pub mod unsafe_sysctls;
pub mod windows_host_process;

use crate::document::{NodeId, Span};
use crate::model::{Container, Model};

/// A kube-apiserver container found in a (static) pod, with its command-line arguments.
pub(crate) struct ApiServer<'m, 's> {
    pub container: &'m Container<'s>,
    /// (node, text) of every `command` and `args` item.
    pub args: Vec<(NodeId, String)>,
    /// The `command` key, or else the `args` key: where to point when a flag is missing.
    pub anchor: Span,
}

impl ApiServer<'_, '_> {
    /// The value of `--flag`: from `--flag=value`, or the next argument after `--flag`.
    pub fn flag(&self, name: &str) -> Option<(NodeId, String)> {
        let prefix = format!("{name}=");
        let mut found = None;
        for (i, (n, a)) in self.args.iter().enumerate() {
            if let Some(v) = a.strip_prefix(&prefix) {
                found = Some((*n, v.to_string()));
            } else if a == name {
                // `--flag value` form; a boolean flag alone means true.
                found = match self.args.get(i + 1) {
                    Some((_, v)) if !v.starts_with('-') => Some((*n, v.clone())),
                    _ => Some((*n, "true".to_string())),
                };
            }
        }
        found
    }
}

pub(crate) fn apiservers<'m, 's>(m: &'m Model<'s, '_>) -> Vec<ApiServer<'m, 's>> {
    let s = m.stream;
    let mut out = Vec::new();
    for c in &m.containers {
        let mut args = Vec::new();
        for field in ["command", "args"] {
            if let Some(list) = s.get(c.node, field) {
                for &i in s.items(list) {
                    if let Some(t) = s.scalar_text(i) {
                        // `sh -c "kube-apiserver --x …"` style: split words too.
                        for w in t.split_whitespace() {
                            args.push((i, w.to_string()));
                        }
                    }
                }
            }
        }
        let is_apiserver = args
            .iter()
            .any(|(_, a)| a == "kube-apiserver" || a.ends_with("/kube-apiserver"));
        if !is_apiserver {
            continue;
        }
        let anchor = s
            .get_entry(c.node, "command")
            .or_else(|| s.get_entry(c.node, "args"))
            .map_or_else(|| m.container_name_span(c), |e| s.span(e.key));
        out.push(ApiServer {
            container: c,
            args,
            anchor,
        });
    }
    out
}

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

/// The kube-apiserver flags of a kubeadm `ClusterConfiguration` (kubeadm.k8s.io):
/// `apiServer.extraArgs`, a map in v1beta3 and a list of `{name, value}` in v1beta4.
pub(crate) struct KubeadmApiServer {
    /// (flag name without dashes, the value node).
    pub args: Vec<(String, NodeId)>,
    /// Where to point when a flag is missing: the `extraArgs` key, else `apiServer`, else `kind`.
    pub anchor: Span,
    /// Field path of `extraArgs`.
    pub path: String,
}

impl KubeadmApiServer {
    pub fn get(&self, flag: &str) -> Option<NodeId> {
        self.args
            .iter()
            .rev()
            .find(|(n, _)| n == flag)
            .map(|&(_, v)| v)
    }
}

pub(crate) fn kubeadm_apiserver(
    s: &crate::document::Stream,
    r: &crate::model::Resource,
) -> Option<KubeadmApiServer> {
    if !r.is("kubeadm.k8s.io", "ClusterConfiguration") {
        return None;
    }
    let api = s.get_entry(r.root, "apiServer");
    let extra = api.and_then(|a| s.get_entry(a.value, "extraArgs"));
    let mut args = Vec::new();
    if let Some(e) = extra {
        if s.is_map(e.value) {
            for kv in s.entries(e.value) {
                args.push((s.key_str(kv.key).to_string(), kv.value));
            }
        } else {
            for &item in s.items(e.value) {
                let name = s.get(item, "name").and_then(|n| s.str(n));
                if let (Some(name), Some(v)) = (name, s.get(item, "value")) {
                    args.push((name.to_string(), v));
                }
            }
        }
    }
    let anchor = extra
        .or(api)
        .map(|e| s.span(e.key))
        .unwrap_or_else(|| s.span(s.get(r.root, "kind").unwrap_or(r.root)));
    Some(KubeadmApiServer {
        args,
        anchor,
        path: r.path(&["apiServer", "extraArgs"]),
    })
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
