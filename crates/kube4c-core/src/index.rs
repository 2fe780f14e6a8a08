//! The cross-document index, built once per check so that cross-resource rules stay linear in
//! the number of documents.

use std::collections::HashMap;

use crate::model::{Model, Selector};

/// A NetworkPolicy as far as pod isolation goes.
#[derive(Debug, Clone)]
pub struct Policy {
    pub resource: usize,
    pub selector: Selector,
    /// The policy isolates the selected pods for ingress.
    pub ingress: bool,
    /// The policy isolates the selected pods for egress.
    pub egress: bool,
}

/// The NetworkPolicies of one namespace, indexed so that a pod only tests the policies that
/// could select it (linear in pods plus policies for ordinary inputs, not their product).
#[derive(Debug, Default)]
pub struct NamespacePolicies {
    pub policies: Vec<Policy>,
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
        let matches =
            |i: &usize| crate::model::selector_matches(&self.policies[*i].selector, s, labels);
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
    /// Namespaces declared by `Namespace` objects in the input.
    pub namespaces: Vec<String>,
}

impl Index {
    pub fn new(model: &Model) -> Index {
        let s = model.stream;
        let mut index = Index::default();
        for (ri, r) in model.resources.iter().enumerate() {
            match r.kind {
                "NetworkPolicy" => {
                    let spec = s.get(r.root, "spec");
                    let selector = Selector::read(s, spec.and_then(|sp| s.get(sp, "podSelector")));
                    let types: Vec<String> = spec
                        .and_then(|sp| s.get(sp, "policyTypes"))
                        .map(|t| {
                            s.items(t)
                                .iter()
                                .filter_map(|&i| s.str(i).map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    // Without policyTypes: Ingress always, Egress when an egress section exists.
                    let (ingress, egress) = if types.is_empty() {
                        (true, spec.and_then(|sp| s.get(sp, "egress")).is_some())
                    } else {
                        (
                            types.iter().any(|t| t == "Ingress"),
                            types.iter().any(|t| t == "Egress"),
                        )
                    };
                    let ns = index
                        .policies
                        .entry(r.namespace.map(str::to_string))
                        .or_default();
                    let i = ns.policies.len();
                    if ingress && !selector.invalid {
                        if selector.is_empty() {
                            ns.select_all_ingress = true;
                        } else if let Some(pair) = selector.labels.first() {
                            ns.by_label.entry(pair.clone()).or_default().push(i);
                        } else {
                            ns.other.push(i);
                        }
                    }
                    ns.policies.push(Policy {
                        resource: ri,
                        selector,
                        ingress,
                        egress,
                    });
                }
                "Namespace" => index.namespaces.push(r.name.to_string()),
                _ => {}
            }
        }
        index
    }
}
