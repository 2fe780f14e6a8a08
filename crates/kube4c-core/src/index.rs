//! The cross-document index, built once per check so that cross-resource rules stay linear in
//! the number of documents.

use std::collections::HashMap;

use crate::model::{Model, Selector};

/// The NetworkPolicies of one namespace that isolate pods for ingress, indexed so that a pod
/// only tests the policies that could select it (linear in pods plus policies for ordinary
/// inputs, not their product).
#[derive(Debug, Default)]
pub struct NamespacePolicies {
    /// Pod selectors of the ingress-isolating policies.
    pub selectors: Vec<Selector>,
    /// Some ingress policy selects every pod (`podSelector: {}`).
    pub select_all_ingress: bool,
    /// Ingress policies by one `matchLabels` pair they require.
    pub by_label: HashMap<(String, String), Vec<usize>>,
    /// Ingress policies without `matchLabels` (only `matchExpressions`).
    pub other: Vec<usize>,
}

impl NamespacePolicies {
    /// Does an ingress policy of this namespace select a pod with these labels?
    pub fn isolates_ingress(
        &self,
        s: &crate::document::Stream,
        labels: Option<crate::document::NodeId>,
    ) -> bool {
        if self.select_all_ingress {
            return true;
        }
        let matches = |i: &usize| crate::model::selector_matches(&self.selectors[*i], s, labels);
        if let Some(l) = labels {
            for e in s.entries(l) {
                let Some(v) = s.scalar_text(e.value) else {
                    continue;
                };
                let key = (s.key_str(e.key).to_string(), v.into_owned());
                if self
                    .by_label
                    .get(&key)
                    .is_some_and(|c| c.iter().any(matches))
                {
                    return true;
                }
            }
        }
        self.other.iter().any(matches)
    }
}

#[derive(Debug, Default)]
pub struct Index {
    /// NetworkPolicies by namespace (`None`: no namespace written, i.e. the one kubectl targets).
    pub policies: HashMap<Option<String>, NamespacePolicies>,
    /// Every ingress-isolating NetworkPolicy (resource index) by namespace, for related
    /// locations.
    pub policy_resources: HashMap<Option<String>, Vec<usize>>,
    /// Roles and ClusterRoles of the input: (kind, namespace for a Role, name) -> resource.
    pub roles: HashMap<(&'static str, Option<String>, String), usize>,
    /// Bindings by the role they grant (same key as `roles`) -> binding resources.
    pub bindings: HashMap<(&'static str, Option<String>, String), Vec<usize>>,
}

/// The RBAC API group.
pub const RBAC: &str = "rbac.authorization.k8s.io";

impl Index {
    /// The key a binding's `roleRef` names (a RoleBinding's Role is in its own namespace).
    pub fn role_ref_key(
        s: &crate::document::Stream,
        binding: &crate::model::Resource,
    ) -> Option<(&'static str, Option<String>, String)> {
        let role_ref = s.get(binding.root, "roleRef")?;
        let name = s.get(role_ref, "name").and_then(|n| s.str(n))?;
        let kind = match s.get(role_ref, "kind").and_then(|k| s.str(k)) {
            Some("Role") => "Role",
            Some("ClusterRole") => "ClusterRole",
            _ => return None,
        };
        let ns = (kind == "Role")
            .then(|| binding.namespace.map(str::to_string))
            .flatten();
        Some((kind, ns, name.to_string()))
    }
}

impl Index {
    pub fn new(model: &Model) -> Index {
        let s = model.stream;
        let mut index = Index::default();
        for (ri, r) in model.resources.iter().enumerate() {
            if r.is(RBAC, "Role") {
                let key = ("Role", r.namespace.map(str::to_string), r.name.to_string());
                index.roles.insert(key, ri);
            } else if r.is(RBAC, "ClusterRole") {
                index
                    .roles
                    .insert(("ClusterRole", None, r.name.to_string()), ri);
            } else if r.is(RBAC, "RoleBinding") || r.is(RBAC, "ClusterRoleBinding") {
                if let Some(key) = Index::role_ref_key(s, r) {
                    index.bindings.entry(key).or_default().push(ri);
                }
            }
        }
        for (ri, r) in model
            .resources
            .iter()
            .enumerate()
            .filter(|(_, r)| r.is("networking.k8s.io", "NetworkPolicy"))
        {
            index
                .policy_resources
                .entry(r.namespace.map(str::to_string))
                .or_default()
                .push(ri);
            let spec = s.get(r.root, "spec");
            // Without policyTypes a policy always isolates for ingress.
            let ingress = match spec.and_then(|sp| s.get(sp, "policyTypes")) {
                None => true,
                Some(t) => s.items(t).iter().any(|&i| s.str(i) == Some("Ingress")),
            };
            let selector = Selector::read(s, spec.and_then(|sp| s.get(sp, "podSelector")));
            if !ingress || selector.invalid {
                continue;
            }
            let ns = index
                .policies
                .entry(r.namespace.map(str::to_string))
                .or_default();
            let i = ns.selectors.len();
            if selector.is_empty() {
                ns.select_all_ingress = true;
            } else if let Some(pair) = selector.labels.first() {
                ns.by_label.entry(pair.clone()).or_default().push(i);
            } else {
                ns.other.push(i);
            }
            ns.selectors.push(selector);
        }
        index
    }
}
