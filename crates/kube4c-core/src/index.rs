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
}

impl Index {
    pub fn new(model: &Model) -> Index {
        let s = model.stream;
        let mut index = Index::default();
        for r in model.resources.iter().filter(|r| r.kind == "NetworkPolicy") {
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
