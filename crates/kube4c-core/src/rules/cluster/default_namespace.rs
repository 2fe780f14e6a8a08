use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/default-namespace",
    layer: Layer::Cluster,
    severity: Severity::Low,
    title: "Workload lands in the default namespace",
    what: "Objects that run pods (Pods, workloads, CronJobs) and Services whose `metadata.namespace` is `default` (one finding each), or unset when no namespace was given for the run (`--namespace`/`-n`, or the page's namespace setting), as `kubectl apply` then puts them in `default` — one finding for the input, at the first such object, with the others as related locations: a manifest written for `kubectl apply -n` is one decision, not one mistake per object.",
    why: "`default` is where everything without a home ends up: NetworkPolicies, quotas, Pod Security labels and RBAC are rarely set there, so a workload in it shares a flat, unpoliced space with whatever else was applied without thought.",
    remediation: "Give every workload a namespace of its own (`metadata.namespace`, or `kubectl -n`), with Pod Security labels, a default-deny NetworkPolicy and its own service accounts.",
    example: "metadata:\n  name: web\n  namespace: shop",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.7.4"],
    peers: &[("kube-linter", "use-namespace"), ("checkov", "CKV_K8S_21"), ("trivy", "KSV110")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    let mut seen = std::collections::HashSet::new();
    let services = m
        .resources
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is("", "Service"));
    let workloads = m
        .pods
        .iter()
        .map(|p| (p.resource, &m.resources[p.resource]));
    // Objects that name no namespace: one story per input (a manifest written for
    // `kubectl apply -n`), with the others as related locations.
    let mut unnamed = Vec::new();
    for (ri, r) in workloads.chain(services) {
        if !seen.insert(ri) {
            continue;
        }
        let meta = s.get_entry(r.root, "metadata");
        match meta.and_then(|e| s.get_entry(e.value, "namespace")) {
            Some(e) if s.str(e.value) == Some("default") => out.push(cx.finding(
                &META,
                r,
                s.span(e.value),
                r.path(&["metadata", "namespace"]),
                format!("{} is placed in the default namespace", r.label()),
            )),
            None if cx.options.namespace.is_none() => {
                unnamed.push((
                    r,
                    meta.map_or_else(|| m.resource_anchor(r), |e| s.span(e.key)),
                ));
            }
            _ => {}
        }
    }
    unnamed.sort_by_key(|(_, span)| span.start);
    let Some(&(first, span)) = unnamed.first() else {
        return;
    };
    let message = if unnamed.len() == 1 {
        format!(
            "{} names no namespace: `kubectl apply` without -n puts it in default",
            first.label()
        )
    } else {
        format!(
            "{} and {} more objects that run pods or expose them name no namespace: `kubectl apply` without -n puts them in default",
            first.label(),
            unnamed.len() - 1
        )
    };
    let mut f = cx.finding(
        &META,
        first,
        span,
        first.path(&["metadata", "namespace"]),
        message,
    );
    for (r, span) in unnamed.iter().skip(1).take(10) {
        f = f.with_related(*span, format!("{} names no namespace either", r.label()));
    }
    out.push(f);
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(&META, &deployment("", ""));
        assert_pass(
            &META,
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("", "").replace("namespace: shop", "namespace: default"),
            &[(5, "default")],
        );
        assert_fail(
            &META,
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec: {}\n",
            &[(3, "metadata")],
        );
    }
}
