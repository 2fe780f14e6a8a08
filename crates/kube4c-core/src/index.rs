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

#[derive(Debug, Default)]
pub struct Index {
    /// NetworkPolicies by namespace (`None`: no namespace written, i.e. the one kubectl targets).
    pub policies: HashMap<Option<String>, Vec<Policy>>,
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
                    index
                        .policies
                        .entry(r.namespace.map(str::to_string))
                        .or_default()
                        .push(Policy {
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
