use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/networkpolicy-egress-missing",
    layer: Layer::Cluster,
    severity: Severity::Low,
    title: "Pods' outgoing traffic not restricted by any NetworkPolicy",
    what: "Workloads whose pods no NetworkPolicy of the run isolates for egress: none selects them with `Egress` in `policyTypes` (or, without `policyTypes`, with an `egress` section). Selection is evaluated as for cluster/networkpolicy-missing, across every input of the run; pods on the host network are skipped.",
    why: "A pod that may connect anywhere can reach the cloud metadata endpoint, the API server and the internet: a compromised process exfiltrates data or pulls its next stage without hindrance. Egress policies turn that into a short allow-list (DNS, the database, the one API it calls).",
    remediation: "Add a default-deny egress policy to the namespace (`podSelector: {}`, `policyTypes: [Egress]`), then allow DNS and each destination the workload needs.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-egress\n  namespace: task-api\nspec:\n  podSelector: {}\n  policyTypes: [Egress]",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["NSA/CISA Kubernetes Hardening: network separation (egress)", "4C model: Cluster layer, NetworkPolicies"],
    peers: &[("kubescape", "C-0260")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for (pod, r, ns) in super::unisolated(cx, |p| &p.egress) {
        let mut f = cx.finding(
            &META,
            r,
            m.resource_anchor(r),
            r.path(&["metadata", "name"]),
            format!(
                "no NetworkPolicy in namespace {ns} restricts the outgoing traffic of the pods of {}: they may connect anywhere",
                r.label()
            ),
        );
        if let Some(labels) = pod.labels {
            f = f.with_related(
                s.span(labels),
                "the pod labels a policy's podSelector must match",
            );
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    fn with_policy(spec: &str) -> String {
        format!(
            "{}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: shop\nspec:\n{}",
            deployment("", ""),
            spec.lines().map(|l| format!("  {l}\n")).collect::<String>()
        )
    }

    #[test]
    fn pass() {
        assert_pass(
            &META,
            &with_policy("podSelector: {}\npolicyTypes: [Egress]"),
        );
        // No policyTypes, but an egress section: the policy isolates egress.
        assert_pass(
            &META,
            &with_policy("podSelector:\n  matchLabels: {app: web}\negress:\n- to:\n  - podSelector: {matchLabels: {app: db}}"),
        );
        assert_pass(&META, &deployment("hostNetwork: true", ""));
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("", ""), &[(4, "web")]);
        // Ingress only (explicitly, or by default without an egress section).
        assert_fail(
            &META,
            &with_policy("podSelector: {}\npolicyTypes: [Ingress]"),
            &[(4, "web")],
        );
        assert_fail(
            &META,
            &with_policy("podSelector: {}\ningress: []"),
            &[(4, "web")],
        );
    }
}
