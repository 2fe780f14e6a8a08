use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/namespace-default-deny",
    layer: Layer::Cluster,
    severity: Severity::Low,
    title: "Namespace with pods and no default-deny NetworkPolicy",
    what: "A namespace in which the run defines pods but no NetworkPolicy that selects every pod (`podSelector: {}`) for ingress. Reported once per namespace, at its first workload in the run; cluster/networkpolicy-missing reports each workload no policy covers.",
    why: "Per-workload policies cover what exists today; the next Deployment in the namespace starts wide open. A default deny makes isolation the namespace's baseline instead of something each new workload must remember.",
    remediation: "Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress]` (and `Egress` where you can) to the namespace, then allow what each workload needs.",
    example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: task-api\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["Kubernetes docs: Network Policies, default policies", "CIS Kubernetes 5.3.2"],
    peers: &[("kubescape", "C-0260")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    for (ns, pods) in &cx.index().pods {
        // Once per namespace: in the input that holds its first pod.
        let Some(&(file, pi)) = pods.first() else {
            continue;
        };
        if file != cx.file {
            continue;
        }
        let deny = cx
            .index()
            .policies
            .get(ns)
            .and_then(|p| p.ingress.select_all);
        if deny.is_some() {
            continue;
        }
        let pod = &m.pods[pi];
        let r = m.resource_of_pod(pod);
        let others = pods.len() - 1;
        out.push(cx.finding(
            &META,
            r,
            m.resource_anchor(r),
            r.path(&["metadata", "namespace"]),
            match others {
                0 => format!(
                    "namespace {ns} has no default-deny NetworkPolicy: {} starts open to every pod, and so will every workload added later",
                    r.label()
                ),
                n => format!(
                    "namespace {ns} has no default-deny NetworkPolicy: {} and {n} other workload{} start open to every pod",
                    r.label(),
                    if n == 1 { "" } else { "s" }
                ),
            },
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    fn with_policy(sel: &str, types: &str) -> String {
        format!(
            "{}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: p, namespace: shop}}\nspec: {{podSelector: {sel}, policyTypes: {types}}}\n",
            deployment("", "")
        )
    }

    #[test]
    fn pass() {
        assert_pass(&META, &with_policy("{}", "[Ingress]"));
        assert_pass(&META, &with_policy("{}", "[Ingress, Egress]"));
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("", ""), &[(4, "web")]);
        // Selects one app only; or isolates egress only.
        assert_fail(
            &META,
            &with_policy("{matchLabels: {app: web}}", "[Ingress]"),
            &[(4, "web")],
        );
        assert_fail(&META, &with_policy("{}", "[Egress]"), &[(4, "web")]);
    }
}
