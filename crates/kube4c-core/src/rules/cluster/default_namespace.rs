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
    let workloads = m.pods.iter().map(|p| p.resource);
    let services = (0..m.resources.len()).filter(|&ri| m.resources[ri].is("", "Service"));
    for ri in workloads.chain(services) {
        if !seen.insert(ri) {
            continue;
        }
        let r = &m.resources[ri];
        let ns = s
            .path(r.root, &["metadata", "namespace"])
            .filter(|&n| s.str(n) == Some("default"));
        if let Some(n) = ns {
            out.push(cx.finding(
                &META,
                r,
                s.span(n),
                r.path(&["metadata", "namespace"]),
                format!("{} is placed in the default namespace", r.label()),
            ));
        }
    }
    if cx.options.namespace.is_some() {
        return;
    }
    // Objects that name no namespace: one story per text (a manifest written for
    // `kubectl apply -n`), told at the first of them, with the others as related locations.
    let input = cx.input();
    let all = &cx.index().unnamed;
    let group = &all[all.partition_point(|(o, _)| o.file < input.start)
        ..all.partition_point(|(o, _)| o.file < input.end)];
    let Some(&(first, span)) = group.first() else {
        return;
    };
    if first.file != cx.file {
        return;
    }
    let (_, r) = cx.object(first);
    let message = if group.len() == 1 {
        format!(
            "{} names no namespace: `kubectl apply` without -n puts it in default",
            r.label()
        )
    } else {
        format!(
            "{} and {} more objects that run pods or expose them name no namespace: `kubectl apply` without -n puts them in default",
            r.label(),
            group.len() - 1
        )
    };
    let mut f = cx.finding(&META, r, span, r.path(&["metadata", "namespace"]), message);
    for &(o, span) in group.iter().skip(1).take(10) {
        let label = format!("{} names no namespace either", cx.object(o).1.label());
        f = cx.related(f, o, span, label);
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
