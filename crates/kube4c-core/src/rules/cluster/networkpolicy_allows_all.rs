use crate::document::{NodeId, Span};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/networkpolicy-allows-all",
    layer: Layer::Cluster,
    severity: Severity::Medium,
    title: "NetworkPolicy rule admits traffic from everywhere",
    what: "An ingress rule of a NetworkPolicy that admits every source: a rule with no `from` (or an empty one), a peer `namespaceSelector: {}` without a narrower `podSelector` (every pod of every namespace), or an `ipBlock` of `0.0.0.0/0` or `::/0` with no `except`.",
    why: "Such a rule reopens what the policy closes: the pods it selects accept connections from every pod in the cluster (or the whole internet, through a LoadBalancer), so the policy gives a false sense of isolation.",
    remediation: "Name the sources: a `podSelector` for the clients in the namespace, a `namespaceSelector` with labels for other namespaces, or the exact CIDRs of external clients.",
    example: "ingress:\n- from:\n  - podSelector:\n      matchLabels: {app: frontend}\n  ports:\n  - port: 8080",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["Kubernetes docs: Network Policies (behavior of to and from selectors)", "4C model: Cluster layer, NetworkPolicies"],
    peers: &[("kubescape", "C-0049")],
};

const ANYWHERE: [&str; 2] = ["0.0.0.0/0", "::/0"];

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    let empty = |n: Option<NodeId>| {
        n.is_some_and(|n| s.is_null(n) || (s.is_map(n) && s.entries(n).is_empty()))
    };
    for r in &cx.model.resources {
        if !r.is("networking.k8s.io", "NetworkPolicy") {
            continue;
        }
        let Some(rules) = s.path(r.root, &["spec", "ingress"]) else {
            continue;
        };
        for (i, &rule) in s.items(rules).iter().enumerate() {
            let from = s.get_entry(rule, "from");
            let peers = from.map_or(&[][..], |e| s.items(e.value));
            let mut report = |span: Span, path: String, what: String| {
                out.push(cx.finding(&META, r, span, path, format!("{} {what}", r.label())));
            };
            if peers.is_empty() {
                // No `from`: every source may connect (on the rule's ports).
                let span = match from {
                    Some(e) => s.span(e.key),
                    None => first_key(s, rule).unwrap_or_else(|| s.span(rule)),
                };
                report(
                    span,
                    r.path(&["spec", "ingress"]) + &format!("[{i}].from"),
                    "admits traffic from every source: this ingress rule names no `from`".into(),
                );
                continue;
            }
            for (j, &peer) in peers.iter().enumerate() {
                let at = r.path(&["spec", "ingress"]) + &format!("[{i}].from[{j}]");
                let ns = s.get(peer, "namespaceSelector");
                let pods = s.get(peer, "podSelector");
                if empty(ns) && (pods.is_none() || empty(pods)) {
                    let key = s
                        .get_entry(peer, "namespaceSelector")
                        .map(|e| s.span(e.key));
                    report(
                        key.unwrap_or_else(|| s.span(peer)),
                        at.clone() + ".namespaceSelector",
                        "admits every pod of every namespace (`namespaceSelector: {}`)".into(),
                    );
                }
                if let Some(block) = s.get(peer, "ipBlock") {
                    let cidr = s.get(block, "cidr");
                    let text = cidr.and_then(|c| s.str(c)).unwrap_or("");
                    let excepted = s
                        .get(block, "except")
                        .is_some_and(|e| !s.items(e).is_empty());
                    if ANYWHERE.contains(&text) && !excepted {
                        report(
                            s.span(cidr.unwrap_or(block)),
                            at + ".ipBlock.cidr",
                            format!("admits every address (`{text}`)"),
                        );
                    }
                }
            }
        }
    }
}

fn first_key(s: &crate::document::Stream, map: NodeId) -> Option<Span> {
    s.entries(map)
        .iter()
        .map(|e| s.span(e.key))
        .min_by_key(|sp| sp.start)
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    fn policy(ingress: &str) -> String {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  podSelector: {{}}\n  ingress:\n{}",
            ingress.lines().map(|l| format!("  {l}\n")).collect::<String>()
        )
    }

    #[test]
    fn pass() {
        assert_pass(
            &META,
            &policy("- from:\n  - podSelector: {matchLabels: {app: web}}"),
        );
        assert_pass(
            &META,
            &policy("- from:\n  - namespaceSelector: {matchLabels: {team: a}}"),
        );
        // Every namespace, but only the monitoring pods of each.
        assert_pass(
            &META,
            &policy("- from:\n  - namespaceSelector: {}\n    podSelector: {matchLabels: {app: prometheus}}"),
        );
        assert_pass(
            &META,
            &policy("- from:\n  - ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}"),
        );
        // A default deny: no ingress rule at all.
        assert_pass(
            &META,
            "kind: NetworkPolicy\nmetadata: {name: d}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n",
        );
    }

    #[test]
    fn fail() {
        assert_fail(&META, &policy("- ports:\n  - port: 80"), &[(9, "ports")]);
        assert_fail(&META, &policy("- {}"), &[(9, "{}")]);
        assert_fail(&META, &policy("- from: []"), &[(9, "from")]);
        assert_fail(
            &META,
            &policy("- from:\n  - namespaceSelector: {}\n  - ipBlock:\n      cidr: 0.0.0.0/0"),
            &[(10, "namespaceSelector"), (12, "0.0.0.0/0")],
        );
    }
}
