use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cloud/service-external-ips",
    layer: Layer::Cloud,
    severity: Severity::High,
    title: "Service claims external IPs (CVE-2020-8554)",
    what: "Services with a non-empty `spec.externalIPs`.",
    why: "kube-proxy sends traffic for a Service's external IPs to its pods on every node, with no check that the address belongs to the Service's owner. Anyone who can create a Service can claim an address used by another service or the internet (CVE-2020-8554) and intercept its traffic from inside the cluster. The DenyServiceExternalIPs admission plugin exists to forbid this field.",
    remediation: "Use a LoadBalancer Service or an Ingress; if external IPs are needed, restrict them with an admission policy to addresses the team owns, and enable DenyServiceExternalIPs elsewhere.",
    example: "spec:\n  type: LoadBalancer\n  loadBalancerSourceRanges: [203.0.113.0/24]",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CVE-2020-8554", "Kubernetes: DenyServiceExternalIPs admission plugin"],
    peers: &[("trivy", "KSV-0108")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is("", "Service") {
            continue;
        }
        let Some(list) = s.path(r.root, &["spec", "externalIPs"]) else {
            continue;
        };
        for (i, &ip) in s.items(list).iter().enumerate() {
            let v = s.scalar_text(ip).unwrap_or_default();
            out.push(cx.finding(
                &META,
                r,
                s.span(ip),
                format!("{}[{i}]", r.path(&["spec", "externalIPs"])),
                format!(
                    "{} claims external IP {v}: kube-proxy routes that address to it on every node",
                    r.label()
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(
            &META,
            "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  externalIPs: []\n",
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  externalIPs: [8.8.8.8]\n",
            &[(5, "8.8.8.8")],
        );
    }
}
