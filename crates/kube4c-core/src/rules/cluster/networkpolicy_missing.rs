use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/networkpolicy-missing",
    layer: Layer::Cluster,
    severity: Severity::Medium,
    title: "Pods not isolated by any NetworkPolicy",
    what: "Workloads whose pods no NetworkPolicy of the input selects for ingress, in the same namespace, across every input of the run (objects that name no namespace are in the one `kubectl -n` would use: `--namespace`, else `default`). Selectors are evaluated like Kubernetes: `podSelector: {}` selects every pod, `matchLabels` and `matchExpressions` (In, NotIn, Exists, DoesNotExist) must all hold; a policy whose `policyTypes` lists only Egress does not isolate ingress. Pods on the host network are skipped: NetworkPolicy does not apply to them.",
    why: "Without a policy selecting it, a pod accepts traffic from every pod in the cluster: one compromised pod can reach your database directly. A default-deny policy per namespace plus narrow allow rules stops that lateral movement.",
    remediation: "Add a default-deny NetworkPolicy to the namespace (`podSelector: {}` with `policyTypes: [Ingress]`) and allow only the traffic each workload needs.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: task-api\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.3.2", "4C model: Cluster layer, NetworkPolicies (pod-to-pod attack)"],
    peers: &[("polaris", "missingNetworkPolicy"), ("kube-score", "pod-networkpolicy")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for (pod, r, ns) in super::unisolated(cx, |p| &p.ingress) {
        let mut f = cx.finding(
            &META,
            r,
            m.resource_anchor(r),
            r.path(&["metadata", "name"]),
            format!(
                "no NetworkPolicy in namespace {ns} selects the pods of {}: any pod can reach them",
                r.label()
            ),
        );
        // Why not: the pods' labels, and the namespace's policies (in any input of the run)
        // that select other pods or isolate egress only.
        if let Some(labels) = pod.labels {
            f = f.with_related(
                s.span(labels),
                "the pod labels a policy's podSelector must match",
            );
        }
        let policies = cx.index().policies.get(ns);
        for &p in policies
            .map_or(&[][..], |p| p.all.as_slice())
            .iter()
            .take(5)
        {
            let (pm, pr) = cx.object(p);
            let at = pm
                .stream
                .path(pr.root, &["spec", "podSelector"])
                .map_or_else(|| pm.resource_anchor(pr), |n| pm.stream.span(n));
            f = cx.related(
                f,
                p,
                at,
                format!("{} selects other pods, or isolates egress only", pr.label()),
            );
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    fn with_policy(policy_spec: &str) -> String {
        format!(
            "{}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: shop\nspec:\n{}",
            deployment("", ""),
            policy_spec.lines().map(|l| format!("  {l}\n")).collect::<String>()
        )
    }

    #[test]
    fn pass() {
        assert_pass(&META, &with_policy("podSelector: {}"));
        assert_pass(
            &META,
            &with_policy("podSelector:\n  matchLabels: {app: web}\npolicyTypes: [Ingress, Egress]"),
        );
        assert_pass(&META, &with_policy("podSelector:\n  matchExpressions:\n  - {key: app, operator: In, values: [api, web]}"));
        assert_pass(&META, &deployment("hostNetwork: true", ""));
        // Several policies; the one that matches is found through the label index.
        let many = format!(
            "{}---\nkind: NetworkPolicy\nmetadata: {{name: q, namespace: shop}}\nspec: {{podSelector: {{matchLabels: {{app: db}}}}}}\n",
            with_policy("podSelector:\n  matchLabels: {app: web}")
        );
        assert_pass(&META, &many);
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("", ""), &[(4, "web")]);
        // Selects other pods.
        assert_fail(
            &META,
            &with_policy("podSelector:\n  matchLabels: {app: db}"),
            &[(4, "web")],
        );
        // Egress only: ingress stays open.
        assert_fail(
            &META,
            &with_policy("podSelector: {}\npolicyTypes: [Egress]"),
            &[(4, "web")],
        );
        // Another namespace's policy does not count.
        let other = with_policy("podSelector: {}").replace(
            "namespace: shop\nspec:\n  podSelector",
            "namespace: other\nspec:\n  podSelector",
        );
        assert_fail(&META, &other, &[(4, "web")]);
        assert_fail(
            &META,
            &with_policy(
                "podSelector:\n  matchExpressions:\n  - {key: app, operator: NotIn, values: [web]}",
            ),
            &[(4, "web")],
        );
    }
}
