//! Label selectors (`matchLabels` + `matchExpressions`) evaluated as Kubernetes does.

use crate::document::{NodeId, Stream};

/// A parsed `metav1.LabelSelector`.
#[derive(Debug, Clone, Default)]
pub struct Selector {
    pub labels: Vec<(String, String)>,
    pub expressions: Vec<Expression>,
    /// An operator Kubernetes does not know: the API server rejects the object, and such a
    /// selector is treated as selecting nothing.
    pub invalid: bool,
}

#[derive(Debug, Clone)]
pub struct Expression {
    pub key: String,
    pub op: Op,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

impl Selector {
    /// Read a selector node; an absent or null selector is the empty selector.
    pub fn read(s: &Stream, node: Option<NodeId>) -> Selector {
        let mut sel = Selector::default();
        let Some(node) = node.filter(|&n| s.is_map(n)) else {
            return sel;
        };
        if let Some(ml) = s.get(node, "matchLabels") {
            for e in s.entries(ml) {
                let v = s.scalar_text(e.value).unwrap_or_default().into_owned();
                sel.labels.push((s.key_str(e.key).to_string(), v));
            }
        }
        if let Some(exprs) = s.get(node, "matchExpressions") {
            for &x in s.items(exprs) {
                let key = s
                    .get(x, "key")
                    .and_then(|k| s.scalar_text(k))
                    .unwrap_or_default()
                    .into_owned();
                let op = match s.get(x, "operator").and_then(|o| s.str(o)) {
                    Some("In") => Op::In,
                    Some("NotIn") => Op::NotIn,
                    Some("Exists") => Op::Exists,
                    Some("DoesNotExist") => Op::DoesNotExist,
                    _ => {
                        sel.invalid = true;
                        continue;
                    }
                };
                let values = s
                    .get(x, "values")
                    .map(|v| {
                        s.items(v)
                            .iter()
                            .filter_map(|&i| s.scalar_text(i).map(|t| t.into_owned()))
                            .collect()
                    })
                    .unwrap_or_default();
                sel.expressions.push(Expression { key, op, values });
            }
        }
        sel
    }

    /// The empty selector selects everything.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty() && self.expressions.is_empty() && !self.invalid
    }
}

/// Does a plain label map (a Service's `spec.selector`, in `svc`) select a pod with these
/// labels (in `pod`, which may be another input)? An empty map selects nothing.
pub fn map_selector_matches(
    svc: &Stream,
    selector: NodeId,
    pod: &Stream,
    labels: Option<NodeId>,
) -> bool {
    let want = svc.entries(selector);
    !want.is_empty()
        && want.iter().all(|e| {
            labels
                .and_then(|l| pod.get(l, svc.key_str(e.key)))
                .and_then(|n| pod.scalar_text(n))
                .is_some_and(|p| Some(p) == svc.scalar_text(e.value))
        })
}

/// Does `sel` select an object with these labels (a `labels` mapping node, or none)?
pub fn selector_matches(sel: &Selector, s: &Stream, labels: Option<NodeId>) -> bool {
    if sel.invalid {
        return false;
    }
    let get = |k: &str| {
        labels
            .and_then(|l| s.get(l, k))
            .and_then(|v| s.scalar_text(v))
    };
    for (k, v) in &sel.labels {
        if get(k).as_deref() != Some(v.as_str()) {
            return false;
        }
    }
    for x in &sel.expressions {
        let have = get(&x.key);
        let ok = match x.op {
            Op::In => have.is_some_and(|h| x.values.iter().any(|v| *v == *h)),
            Op::NotIn => have.is_none_or(|h| !x.values.iter().any(|v| *v == *h)),
            Op::Exists => have.is_some(),
            Op::DoesNotExist => have.is_none(),
        };
        if !ok {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse;

    fn check(selector: &str, labels: &str) -> bool {
        let text = format!("sel: {selector}\nlabels: {labels}\n");
        let s = parse(&text);
        let root = s.docs[0].root;
        let sel = Selector::read(&s, s.get(root, "sel"));
        selector_matches(&sel, &s, s.get(root, "labels"))
    }

    #[test]
    fn empty_selects_all() {
        assert!(check("{}", "{app: web}"));
        assert!(check("{}", "{}"));
    }

    #[test]
    fn match_labels_and_expressions() {
        assert!(check("{matchLabels: {app: web}}", "{app: web, tier: fe}"));
        assert!(!check("{matchLabels: {app: web}}", "{app: db}"));
        assert!(check(
            "{matchExpressions: [{key: tier, operator: In, values: [fe, be]}]}",
            "{tier: be}"
        ));
        assert!(!check(
            "{matchExpressions: [{key: tier, operator: NotIn, values: [fe]}]}",
            "{tier: fe}"
        ));
        assert!(check(
            "{matchExpressions: [{key: tier, operator: NotIn, values: [fe]}]}",
            "{}"
        ));
        assert!(check(
            "{matchExpressions: [{key: a, operator: Exists}]}",
            "{a: x}"
        ));
        assert!(!check(
            "{matchExpressions: [{key: a, operator: DoesNotExist}]}",
            "{a: x}"
        ));
        assert!(!check(
            "{matchExpressions: [{key: a, operator: Bogus}]}",
            "{a: x}"
        ));
    }
}
