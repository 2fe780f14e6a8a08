use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/host-aliases",
    layer: Layer::Cluster,
    severity: Severity::Low,
    title: "Pod rewrites its /etc/hosts",
    what: "PodSpecs with a non-empty `hostAliases`.",
    why: "hostAliases pins names to addresses inside the pod, outside DNS: a manifest change can silently send a service's traffic (and its credentials) to another address, and reviewers of DNS or NetworkPolicy will not see it.",
    remediation: "Resolve names through DNS (a Service, an ExternalName Service, or the cluster's DNS configuration) instead of per-pod host entries.",
    example: "spec:\n  containers:\n  - name: app\n    env:\n    - {name: DB_HOST, value: db.shop.svc.cluster.local}",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["Kubernetes: adding entries to pod /etc/hosts with HostAliases"],
    peers: &[("kubesec", "HostAliases"), ("trivy", "KSV007")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for pod in &m.pods {
        let Some(e) = s.get_entry(pod.spec, "hostAliases") else {
            continue;
        };
        let items = s.items(e.value);
        if items.is_empty() {
            continue;
        }
        let r = m.resource_of_pod(pod);
        let names: Vec<String> = items
            .iter()
            .filter_map(|&a| {
                let ip = s.get(a, "ip").and_then(|n| s.scalar_text(n))?;
                let hosts: Vec<&str> = s
                    .get(a, "hostnames")
                    .map(|h| s.items(h).iter().filter_map(|&x| s.str(x)).collect())
                    .unwrap_or_default();
                Some(format!("{} → {ip}", hosts.join(", ")))
            })
            .take(3)
            .collect();
        out.push(cx.finding(
            &META,
            r,
            s.span(e.key),
            m.pod_path(pod, &["hostAliases"]),
            format!(
                "{} writes its own /etc/hosts entries ({})",
                r.label(),
                names.join("; ")
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(&META, &deployment("hostAliases: []", ""));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment(
                "hostAliases:\n- ip: 10.0.0.9\n  hostnames: [db.example.com]",
                "",
            ),
            &[(12, "hostAliases")],
        );
    }
}
