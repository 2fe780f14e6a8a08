use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cloud/loadbalancer-source-ranges",
    layer: Layer::Cloud,
    severity: Severity::High,
    title: "LoadBalancer open to the internet",
    what: "A Service of `type: LoadBalancer` with no `loadBalancerSourceRanges` (or one containing `0.0.0.0/0` or `::/0`) and no internal load-balancer annotation of AWS (`service.beta.kubernetes.io/aws-load-balancer-internal`, `aws-load-balancer-scheme: internal`), GCP (`networking.gke.io/load-balancer-type: Internal`) or Azure (`service.beta.kubernetes.io/azure-load-balancer-internal: \"true\"`).",
    why: "The cloud provider creates a public load balancer with a firewall open to the world. Whatever listens behind it, including admin endpoints, becomes reachable and scannable from the internet.",
    remediation: "Restrict `loadBalancerSourceRanges` to the networks that need access, or make the load balancer internal with your provider's annotation, or put the service behind an Ingress/Gateway.",
    example: "spec:\n  type: LoadBalancer\n  loadBalancerSourceRanges:\n  - 203.0.113.0/24",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Cloud layer, network isolation (private subnet, not internet-facing)"],
    peers: &[],
};

fn internal(cx: &Context, root: crate::document::NodeId) -> bool {
    let s = cx.stream;
    let Some(ann) = s.path(root, &["metadata", "annotations"]) else {
        return false;
    };
    let get = |k: &str| {
        s.get(ann, k)
            .and_then(|v| s.scalar_text(v))
            .map(|v| v.to_ascii_lowercase())
    };
    get("service.beta.kubernetes.io/aws-load-balancer-internal").is_some_and(|v| v != "false")
        || get("service.beta.kubernetes.io/aws-load-balancer-scheme").as_deref() == Some("internal")
        || get("networking.gke.io/load-balancer-type").as_deref() == Some("internal")
        || get("cloud.google.com/load-balancer-type").as_deref() == Some("internal")
        || get("service.beta.kubernetes.io/azure-load-balancer-internal").as_deref() == Some("true")
        || get("service.beta.kubernetes.io/oci-load-balancer-internal").as_deref() == Some("true")
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is("", "Service") {
            continue;
        }
        let Some(t) = s.path(r.root, &["spec", "type"]) else {
            continue;
        };
        if s.str(t) != Some("LoadBalancer") || internal(cx, r.root) {
            continue;
        }
        let ranges = s.path(r.root, &["spec", "loadBalancerSourceRanges"]);
        let items = ranges.map(|rg| s.items(rg)).unwrap_or(&[]);
        if items.is_empty() {
            out.push(cx.finding(
                &META,
                r,
                s.span(t),
                format!("{}spec.type", r.prefix),
                format!(
                    "{} is a public load balancer open to any address",
                    r.label()
                ),
            ));
            continue;
        }
        for (i, &item) in items.iter().enumerate() {
            let v = s.str(item).unwrap_or("").trim();
            if v == "0.0.0.0/0" || v == "::/0" {
                out.push(cx.finding(
                    &META,
                    r,
                    s.span(item),
                    format!("{}spec.loadBalancerSourceRanges[{i}]", r.prefix),
                    format!("{} accepts traffic from {v}", r.label()),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    const SVC: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  annotations:\n    ANN\nspec:\n  type: LoadBalancer\n  ports: [{port: 443}]\n";

    #[test]
    fn pass() {
        assert_pass(
            &META,
            &SVC.replace("ANN", "a: b").replace(
                "  ports",
                "  loadBalancerSourceRanges: [10.0.0.0/8]\n  ports",
            ),
        );
        assert_pass(
            &META,
            &SVC.replace(
                "ANN",
                "service.beta.kubernetes.io/aws-load-balancer-scheme: internal",
            ),
        );
        assert_pass(
            &META,
            &SVC.replace("ANN", "networking.gke.io/load-balancer-type: \"Internal\""),
        );
        assert_pass(
            &META,
            &SVC.replace(
                "ANN",
                "service.beta.kubernetes.io/azure-load-balancer-internal: \"true\"",
            ),
        );
        assert_pass(
            &META,
            &SVC.replace("ANN", "a: b")
                .replace("LoadBalancer", "ClusterIP"),
        );
    }

    #[test]
    fn fail() {
        assert_fail(&META, &SVC.replace("ANN", "a: b"), &[(8, "LoadBalancer")]);
        assert_fail(
            &META,
            &SVC.replace("ANN", "a: b").replace(
                "  ports",
                "  loadBalancerSourceRanges:\n  - 0.0.0.0/0\n  ports",
            ),
            &[(10, "0.0.0.0/0")],
        );
        // `false` does not make it internal.
        assert_fail(
            &META,
            &SVC.replace(
                "ANN",
                "service.beta.kubernetes.io/azure-load-balancer-internal: \"false\"",
            ),
            &[(8, "LoadBalancer")],
        );
    }
}
