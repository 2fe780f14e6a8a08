//! The cross-resource index, built once per run over every input of the run (all files of a
//! CLI run, everything pasted in the page), so that a default-deny policy in `netpol.yaml`
//! covers the Deployment in `deploy.yaml`, and cross-resource rules stay linear in the number
//! of objects. Positions stay in their own file: entries name objects as [`Obj`] (file, index).

use std::collections::HashMap;

use crate::document::{NodeId, Stream};
use crate::model::{Model, Resource, Selector};

/// An object of the run: the input it came from and its index in that input's model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Obj {
    pub file: usize,
    pub resource: usize,
}

/// The NetworkPolicies of one namespace that isolate pods in one direction (ingress or
/// egress), indexed so that a pod only tests the policies that could select it.
#[derive(Debug, Default)]
pub struct PolicySet {
    /// Pod selectors of the isolating policies, with the policy each comes from.
    pub selectors: Vec<(Selector, Obj)>,
    /// A policy selecting every pod (`podSelector: {}`), if any.
    pub select_all: Option<Obj>,
    /// Policies by one `matchLabels` pair they require.
    pub by_label: HashMap<(String, String), Vec<usize>>,
    /// Policies without `matchLabels` (only `matchExpressions`).
    pub other: Vec<usize>,
}

impl PolicySet {
    fn add(&mut self, selector: Selector, obj: Obj) {
        if selector.is_empty() {
            self.select_all.get_or_insert(obj);
            return;
        }
        let i = self.selectors.len();
        match selector.labels.first() {
            Some(pair) => self.by_label.entry(pair.clone()).or_default().push(i),
            None => self.other.push(i),
        }
        self.selectors.push((selector, obj));
    }

    /// The first policy of this set that selects a pod with these labels.
    pub fn selecting(&self, s: &Stream, labels: Option<NodeId>) -> Option<Obj> {
        if let Some(all) = self.select_all {
            return Some(all);
        }
        let matches = |i: &usize| crate::model::selector_matches(&self.selectors[*i].0, s, labels);
        if let Some(l) = labels {
            for e in s.entries(l) {
                let Some(v) = s.scalar_text(e.value) else {
                    continue;
                };
                let key = (s.key_str(e.key).to_string(), v.into_owned());
                if let Some(i) = self
                    .by_label
                    .get(&key)
                    .and_then(|c| c.iter().find(|i| matches(i)))
                {
                    return Some(self.selectors[*i].1);
                }
            }
        }
        self.other
            .iter()
            .find(|i| matches(i))
            .map(|&i| self.selectors[i].1)
    }
}

/// The policies of one namespace.
#[derive(Debug, Default)]
pub struct NamespacePolicies {
    pub ingress: PolicySet,
    pub egress: PolicySet,
    /// Every NetworkPolicy of the namespace, for related locations.
    pub all: Vec<Obj>,
}

/// A role's key: (kind, namespace for a Role, name).
pub type RoleKey = (&'static str, Option<String>, String);

#[derive(Debug, Default)]
pub struct Index {
    /// The namespace of objects that name none (`kubectl -n`, else `default`).
    pub default_namespace: String,
    /// NetworkPolicies by namespace.
    pub policies: HashMap<String, NamespacePolicies>,
    /// Roles and ClusterRoles of the input.
    pub roles: HashMap<RoleKey, Obj>,
    /// Bindings by the role they grant.
    pub bindings: HashMap<RoleKey, Vec<Obj>>,
    /// Bindings by the service account they name: (namespace, name).
    pub service_account_bindings: HashMap<(String, String), Vec<Obj>>,
    /// Bindings by the group they name (`system:serviceaccounts`, `system:serviceaccounts:<ns>`,
    /// `system:authenticated`: groups every service account of a namespace belongs to).
    pub group_bindings: HashMap<String, Vec<Obj>>,
    /// Every ClusterRole of the run, for aggregation.
    pub cluster_roles: Vec<Obj>,
    /// Named objects of the kinds workloads refer to: (kind, namespace, name).
    pub named: std::collections::HashSet<(&'static str, String, String)>,
    /// (kind, namespace) pairs the run defines at least one object of.
    pub kinds_in_namespace: std::collections::HashSet<(&'static str, String)>,
    /// Every pod of the run by namespace: (input, index in that input's pods).
    pub pods: HashMap<String, Vec<(usize, usize)>>,
    /// The same pods by (namespace, label key, label value), so that a selector only tests
    /// the pods carrying its first required label.
    pub pods_by_label: HashMap<(String, String, String), Vec<(usize, usize)>>,
    /// Services an Ingress of the run routes to: (namespace, Service name) -> the Ingress.
    pub ingress_backends: HashMap<(String, String), Obj>,
    /// ServiceAccounts of the run and their `automountServiceAccountToken` (None when unset):
    /// (namespace, name) -> value.
    pub service_account_automount: HashMap<(String, String), Option<bool>>,
    /// Objects that run pods, and Services, whose `metadata` names no namespace, with the
    /// span to report them at (the `metadata` key, else the object's anchor), in the order
    /// of their input and position.
    pub unnamed: Vec<(Obj, crate::Span)>,
}

/// The kinds pods and bindings refer to by name, in the core group.
pub const REFERRED: [&str; 5] = [
    "ConfigMap",
    "Secret",
    "ServiceAccount",
    "PersistentVolumeClaim",
    "Service",
];

/// The RBAC API group.
pub const RBAC: &str = "rbac.authorization.k8s.io";

impl Index {
    /// Does a pod get a service account token mounted? The pod's own
    /// `automountServiceAccountToken` wins; unset, its ServiceAccount's (when the run defines
    /// it); unset there too, yes. Returns (mounted, service account name).
    pub fn pod_token<'s>(
        &self,
        s: &'s Stream,
        pod: &crate::model::Pod,
        ns: &str,
    ) -> (bool, &'s str) {
        let sa = pod_service_account(s, pod.spec);
        let own = s
            .get(pod.spec, "automountServiceAccountToken")
            .and_then(|n| s.bool(n));
        let mounted = match own {
            Some(v) => v,
            None => self
                .service_account_automount
                .get(&(ns.to_string(), sa.to_string()))
                .copied()
                .flatten()
                .unwrap_or(true),
        };
        (mounted, sa)
    }
    /// The pods of a namespace a selector may select: those carrying its first required label
    /// `(key, value)` when it has one, else every pod of the namespace.
    pub fn candidate_pods(&self, ns: &str, first: Option<(&str, &str)>) -> &[(usize, usize)] {
        let found = match first {
            Some((k, v)) => self
                .pods_by_label
                .get(&(ns.to_string(), k.to_string(), v.to_string())),
            None => self.pods.get(ns),
        };
        found.map_or(&[][..], |v| v.as_slice())
    }

    /// The namespace an object is in: its own, else the run's default.
    pub fn namespace<'r>(&'r self, r: &'r Resource) -> &'r str {
        r.namespace.unwrap_or(&self.default_namespace)
    }

    /// The key a binding's `roleRef` names (a RoleBinding's Role is in its own namespace).
    pub fn role_ref_key(&self, s: &Stream, binding: &Resource) -> Option<RoleKey> {
        let role_ref = s.get(binding.root, "roleRef")?;
        let name = s.get(role_ref, "name").and_then(|n| s.str(n))?;
        let kind = match s.get(role_ref, "kind").and_then(|k| s.str(k)) {
            Some("Role") => "Role",
            Some("ClusterRole") => "ClusterRole",
            _ => return None,
        };
        let ns = (kind == "Role").then(|| self.namespace(binding).to_string());
        Some((kind, ns, name.to_string()))
    }

    /// A role's own key.
    pub fn role_key(&self, r: &Resource) -> Option<RoleKey> {
        if r.is(RBAC, "Role") {
            Some((
                "Role",
                Some(self.namespace(r).to_string()),
                r.name.to_string(),
            ))
        } else if r.is(RBAC, "ClusterRole") {
            Some(("ClusterRole", None, r.name.to_string()))
        } else {
            None
        }
    }

    pub fn new(models: &[Model], default_namespace: &str) -> Index {
        let mut index = Index {
            default_namespace: default_namespace.to_string(),
            ..Index::default()
        };
        for (file, model) in models.iter().enumerate() {
            let s = model.stream;
            let from = index.unnamed.len();
            let mut seen = std::collections::HashSet::new();
            let workloads = model.pods.iter().map(|p| p.resource);
            let services =
                (0..model.resources.len()).filter(|&ri| model.resources[ri].is("", "Service"));
            for ri in workloads.chain(services) {
                if !seen.insert(ri) {
                    continue;
                }
                let r = &model.resources[ri];
                let meta = s.get_entry(r.root, "metadata");
                if meta
                    .and_then(|e| s.get_entry(e.value, "namespace"))
                    .is_none()
                {
                    let span = meta.map_or_else(|| model.resource_anchor(r), |e| s.span(e.key));
                    index.unnamed.push((Obj { file, resource: ri }, span));
                }
            }
            index.unnamed[from..].sort_by_key(|(_, span)| span.start);
            for (pi, pod) in model.pods.iter().enumerate() {
                let ns = index.namespace(model.resource_of_pod(pod)).to_string();
                for e in pod.labels.map_or(&[][..], |l| s.entries(l)) {
                    if let Some(v) = s.scalar_text(e.value) {
                        let key = (ns.clone(), s.key_str(e.key).to_string(), v.into_owned());
                        index.pods_by_label.entry(key).or_default().push((file, pi));
                    }
                }
                index.pods.entry(ns).or_default().push((file, pi));
            }
            for (ri, r) in model.resources.iter().enumerate() {
                let obj = Obj { file, resource: ri };
                if r.is("networking.k8s.io", "Ingress") {
                    let ns = index.namespace(r).to_string();
                    for (_, n) in ingress_backends(s, r) {
                        if let Some(name) = s.str(n) {
                            index
                                .ingress_backends
                                .entry((ns.clone(), name.to_string()))
                                .or_insert(obj);
                        }
                    }
                }
                if r.is("", "ServiceAccount") {
                    let v = s
                        .get(r.root, "automountServiceAccountToken")
                        .and_then(|n| s.bool(n));
                    index
                        .service_account_automount
                        .insert((index.namespace(r).to_string(), r.name.to_string()), v);
                }
                if let Some(&kind) = REFERRED.iter().find(|k| r.is("", k)) {
                    let ns = index.namespace(r).to_string();
                    index.kinds_in_namespace.insert((kind, ns.clone()));
                    index.named.insert((kind, ns, r.name.to_string()));
                }
                if let Some(key) = index.role_key(r) {
                    if key.0 == "ClusterRole" {
                        index.cluster_roles.push(obj);
                    }
                    index.roles.entry(key).or_insert(obj);
                } else if r.is(RBAC, "RoleBinding") || r.is(RBAC, "ClusterRoleBinding") {
                    if let Some(key) = index.role_ref_key(s, r) {
                        index.bindings.entry(key).or_default().push(obj);
                    }
                    let own_ns = index.namespace(r).to_string();
                    for &sub in s.get(r.root, "subjects").map_or(&[][..], |l| s.items(l)) {
                        let text = |k: &str| s.get(sub, k).and_then(|v| s.str(v));
                        let Some(name) = text("name") else { continue };
                        match text("kind") {
                            Some("ServiceAccount") => {
                                // A subject's namespace defaults to the RoleBinding's own.
                                let ns = text("namespace")
                                    .filter(|n| !n.is_empty())
                                    .map_or_else(|| own_ns.clone(), str::to_string);
                                index
                                    .service_account_bindings
                                    .entry((ns, name.to_string()))
                                    .or_default()
                                    .push(obj);
                            }
                            Some("Group") => {
                                index
                                    .group_bindings
                                    .entry(name.to_string())
                                    .or_default()
                                    .push(obj);
                            }
                            _ => {}
                        }
                    }
                } else if r.is("networking.k8s.io", "NetworkPolicy") {
                    let ns = index.namespace(r).to_string();
                    let spec = s.get(r.root, "spec");
                    // Without policyTypes a policy isolates for ingress, and for egress too
                    // when it has egress rules.
                    let (ingress, egress) = match spec.and_then(|sp| s.get(sp, "policyTypes")) {
                        None => (true, spec.is_some_and(|sp| s.get(sp, "egress").is_some())),
                        Some(t) => {
                            let has = |x: &str| s.items(t).iter().any(|&i| s.str(i) == Some(x));
                            (has("Ingress"), has("Egress"))
                        }
                    };
                    let selector = Selector::read(s, spec.and_then(|sp| s.get(sp, "podSelector")));
                    let entry = index.policies.entry(ns).or_default();
                    entry.all.push(obj);
                    if selector.invalid {
                        continue;
                    }
                    if ingress {
                        entry.ingress.add(selector.clone(), obj);
                    }
                    if egress {
                        entry.egress.add(selector, obj);
                    }
                }
            }
        }
        index
    }
}

/// The Service names an Ingress routes to: (field path, the name node).
pub fn ingress_backends(s: &Stream, r: &Resource) -> Vec<(String, NodeId)> {
    let mut out = Vec::new();
    let default = ["spec", "defaultBackend", "service", "name"];
    if let Some(n) = s.path(r.root, &default) {
        out.push((r.path(&default), n));
    }
    let rules = s
        .path(r.root, &["spec", "rules"])
        .map_or(&[][..], |l| s.items(l));
    for (i, &rule) in rules.iter().enumerate() {
        let paths = s
            .path(rule, &["http", "paths"])
            .map_or(&[][..], |l| s.items(l));
        for (j, &p) in paths.iter().enumerate() {
            if let Some(n) = s.path(p, &["backend", "service", "name"]) {
                let path = r.path(&["spec", "rules"])
                    + &format!("[{i}].http.paths[{j}].backend.service.name");
                out.push((path, n));
            }
        }
    }
    out
}

/// The service account a PodSpec runs as: `serviceAccountName`, else the deprecated
/// `serviceAccount` (the API server copies one into the other), else `default`.
pub fn pod_service_account<'s>(s: &'s Stream, spec: NodeId) -> &'s str {
    ["serviceAccountName", "serviceAccount"]
        .iter()
        .find_map(|k| {
            s.get(spec, k)
                .and_then(|n| s.str(n))
                .filter(|t| !t.is_empty())
        })
        .unwrap_or("default")
}
