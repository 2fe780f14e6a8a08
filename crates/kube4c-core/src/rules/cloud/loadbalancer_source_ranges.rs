use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cloud/loadbalancer-source-ranges",
    layer: Layer::Cloud,
    severity: Severity::High,
    title: "LoadBalancer open to the internet",
    what: "A Service of `type: LoadBalancer` with no `loadBalancerSourceRanges` (nor, when the field is empty, the legacy annotation `service.beta.kubernetes.io/load-balancer-source-ranges`), or with a range of prefix length 0 (`0.0.0.0/0`, `::/0`, and equally `10.0.0.0/0`: the prefix decides), and no internal load-balancer annotation, compared as each provider compares it: AWS `aws-load-balancer-internal` (any value but exactly `false`) or `aws-load-balancer-scheme: internal`, GKE `networking.gke.io/load-balancer-type` (or `cloud.google.com/load-balancer-type`) `Internal` or `internal` exactly, Azure `azure-load-balancer-internal: \"true\"` exactly, OCI `oci-load-balancer-internal` a Go boolean that is true.",
    why: "The cloud provider creates a public load balancer with a firewall open to the world. Whatever listens behind it, including admin endpoints, becomes reachable and scannable from the internet.",
    remediation: "Restrict `loadBalancerSourceRanges` to the networks that need access, or make the load balancer internal with your provider's annotation, or put the service behind an Ingress/Gateway.",
    example: "spec:\n  type: LoadBalancer\n  loadBalancerSourceRanges:\n  - 203.0.113.0/24",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Cloud layer, network isolation (private subnet, not internet-facing)"],
    peers: &[],
};

/// Is the load balancer internal, by its provider's annotation, compared as that provider's
/// controller compares it: AWS in-tree (`aws-load-balancer-internal`: any value but exactly
/// `false`), AWS Load Balancer Controller (`aws-load-balancer-scheme`: exactly `internal`),
/// GKE (`networking.gke.io/load-balancer-type` or the older `cloud.google.com/load-balancer-type`:
/// exactly `Internal` or `internal`), Azure (`azure-load-balancer-internal`: exactly `true`),
/// OCI (`oci-load-balancer-internal`: a Go boolean that is true).
fn internal(cx: &Context, root: crate::document::NodeId) -> bool {
    let s = cx.stream;
    let Some(ann) = s.path(root, &["metadata", "annotations"]) else {
        return false;
    };
    let get = |k: &str| s.get(ann, k).and_then(|v| s.scalar_text(v));
    get("service.beta.kubernetes.io/aws-load-balancer-internal")
        .is_some_and(|v| !v.is_empty() && v != "false")
        || get("service.beta.kubernetes.io/aws-load-balancer-scheme").as_deref() == Some("internal")
        || [
            "networking.gke.io/load-balancer-type",
            "cloud.google.com/load-balancer-type",
        ]
        .iter()
        .any(|k| matches!(get(k).as_deref(), Some("Internal" | "internal")))
        || get("service.beta.kubernetes.io/azure-load-balancer-internal").as_deref() == Some("true")
        || get("service.beta.kubernetes.io/oci-load-balancer-internal")
            .is_some_and(|v| crate::rules::flags::go_bool(&v) == Some(true))
}

/// Does a source range (as Kubernetes parses it: trimmed CIDR) cover every address? Any
/// prefix length 0 does, whatever the address written before it (`10.0.0.0/0`).
pub(crate) fn whole_internet(cidr: &str) -> bool {
    match cidr.trim().rsplit_once('/') {
        Some((addr, len)) => {
            len.trim_start_matches('0').is_empty()
                && !len.is_empty()
                && (addr.parse::<std::net::Ipv4Addr>().is_ok()
                    || addr.parse::<std::net::Ipv6Addr>().is_ok())
        }
        None => false,
    }
}

/// The legacy annotation, read when `loadBalancerSourceRanges` is empty.
const LEGACY: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";

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
            // Kubernetes falls back to the annotation (comma-separated CIDRs).
            let legacy = s
                .path(r.root, &["metadata", "annotations"])
                .and_then(|a| s.get(a, LEGACY));
            if let Some(n) = legacy {
                let v = s.scalar_text(n).unwrap_or_default();
                if !v.trim().is_empty() {
                    if let Some(open) = v.split(',').find(|c| whole_internet(c)) {
                        out.push(cx.finding(
                            &META,
                            r,
                            s.span(n),
                            r.path(&["metadata", "annotations", LEGACY]),
                            format!(
                                "{} accepts traffic from {} (annotation {LEGACY})",
                                r.label(),
                                open.trim()
                            ),
                        ));
                    }
                    continue;
                }
            }
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
            if whole_internet(v) {
                out.push(cx.finding(
                    &META,
                    r,
                    s.span(item),
                    format!("{}spec.loadBalancerSourceRanges[{i}]", r.prefix),
                    format!("{} accepts traffic from {v}, every address", r.label()),
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
        // Any /0 prefix is the whole internet.
        assert_fail(
            &META,
            &SVC.replace("ANN", "a: b").replace(
                "  ports",
                "  loadBalancerSourceRanges:\n  - \" 10.0.0.0/0\"\n  ports",
            ),
            &[(10, "\" 10.0.0.0/0\"")],
        );
        // The legacy annotation counts when the field is empty.
        assert_fail(
            &META,
            &SVC.replace(
                "ANN",
                "service.beta.kubernetes.io/load-balancer-source-ranges: \"10.0.0.0/8, ::/0\"",
            ),
            &[(6, "\"10.0.0.0/8, ::/0\"")],
        );
        assert_pass(
            &META,
            &SVC.replace(
                "ANN",
                "service.beta.kubernetes.io/load-balancer-source-ranges: 10.0.0.0/8",
            ),
        );
        // GKE compares `Internal`/`internal` exactly; Azure `true` exactly.
        assert_fail(
            &META,
            &SVC.replace("ANN", "networking.gke.io/load-balancer-type: INTERNAL"),
            &[(8, "LoadBalancer")],
        );
        assert_fail(
            &META,
            &SVC.replace(
                "ANN",
                "service.beta.kubernetes.io/azure-load-balancer-internal: \"True\"",
            ),
            &[(8, "LoadBalancer")],
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
