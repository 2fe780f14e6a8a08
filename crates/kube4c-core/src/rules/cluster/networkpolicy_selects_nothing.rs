use crate::index::Obj;
use crate::model::selector_matches;
use crate::model::Selector;
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/networkpolicy-selects-nothing",
    layer: Layer::Cluster,
    severity: Severity::Low,
    title: "NetworkPolicy selects no pod",
    what: "A NetworkPolicy whose `podSelector` selects none of the pods the run defines in its namespace (only when the run defines pods there: otherwise they may simply live elsewhere). Pod labels come from every pod-bearing kind's template, across every input of the run.",
    why: "A policy that selects nothing protects nothing: usually a label typo (`app: web` against `app.kubernetes.io/name: web`) that leaves the intended pods open while the policy looks like it is doing its job.",
    remediation: "Make the `podSelector` match the pods' template labels (or remove the stale policy).",
    example: "spec:\n  podSelector:\n    matchLabels:\n      app.kubernetes.io/name: task-api",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["Kubernetes docs: Network Policies (podSelector)"],
    peers: &[],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is("networking.k8s.io", "NetworkPolicy") {
            continue;
        }
        let Some(sel_node) = s.path(r.root, &["spec", "podSelector"]) else {
            continue;
        };
        let sel = Selector::read(s, Some(sel_node));
        if sel.is_empty() || sel.invalid {
            continue;
        }
        let ns = cx.index().namespace(r);
        // The run's pods of the namespace, narrowed through the index to those carrying the
        // selector's first required label (linear, not pods times policies).
        let Some(candidates) = cx.index().pods.get(ns) else {
            continue;
        };
        let first = sel.labels.first().map(|(k, v)| (k.as_str(), v.as_str()));
        let narrowed = cx.index().candidate_pods(ns, first);
        let selects = narrowed.iter().any(|&(file, pi)| {
            let m = &cx.files()[file];
            selector_matches(&sel, m.stream, m.pods[pi].labels)
        });
        if selects {
            continue;
        }
        let mut f = cx.finding(
            &META,
            r,
            s.span(sel_node),
            r.path(&["spec", "podSelector"]),
            format!(
                "{} selects none of the {} pod template{} of namespace {ns} in the input",
                r.label(),
                candidates.len(),
                if candidates.len() == 1 { "" } else { "s" }
            ),
        );
        // The labels it might have meant.
        for &(file, pi) in candidates.iter().take(3) {
            let m = &cx.files()[file];
            let pod = &m.pods[pi];
            let pr = m.resource_of_pod(pod);
            let span = pod
                .labels
                .map_or_else(|| m.resource_anchor(pr), |l| m.stream.span(l));
            let obj = Obj {
                file,
                resource: pod.resource,
            };
            f = cx.related(f, obj, span, format!("the labels of {}", pr.label()));
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    fn with_selector(sel: &str) -> String {
        format!(
            "{}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  podSelector: {sel}\n",
            deployment("", "")
        )
    }

    #[test]
    fn pass() {
        assert_pass(&META, &with_selector("{matchLabels: {app: web}}"));
        assert_pass(&META, &with_selector("{}"));
        assert_pass(
            &META,
            &with_selector("{matchExpressions: [{key: app, operator: Exists}]}"),
        );
        // No pods of that namespace in the input: they may be elsewhere.
        assert_pass(
            &META,
            "kind: NetworkPolicy\nmetadata: {name: p, namespace: other}\nspec: {podSelector: {matchLabels: {app: x}}}\n",
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &with_selector("{matchLabels: {app.kubernetes.io/name: web}}"),
            &[(22, "{matchLabels: {app.kubernetes.io/name: web}}")],
        );
    }
}
