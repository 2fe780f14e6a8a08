use crate::rules::{Context, FixAvailability, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/host-ports",
    layer: Layer::Cluster,
    severity: Severity::Medium,
    title: "Container binds a port on the node",
    what: "A non-zero `hostPort` in any container's `ports`.",
    why: "A hostPort exposes the pod on the node's own address, outside Services and often outside NetworkPolicy, and ties the pod to nodes where the port is free.",
    remediation: "Remove `hostPort` and expose the pod through a Service (ClusterIP, or a LoadBalancer/Ingress with source restrictions).",
    example: "ports:\n- containerPort: 8080",
    pss: &[Pss { id: "hostPorts", level: PssLevel::Baseline }],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.2.13"],
    peers: &[("checkov", "CKV_K8S_26"), ("polaris", "hostPortSet"), ("trivy", "KSV024")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        let Some(ports) = s.get(c.node, "ports") else {
            continue;
        };
        for (i, &p) in s.items(ports).iter().enumerate() {
            let Some(hp) = s.get(p, "hostPort") else {
                continue;
            };
            if s.int(hp).is_some_and(|v| v != 0) {
                out.push(cx.container_finding(
                    &META,
                    c,
                    s.span(hp),
                    format!("{}.ports[{i}].hostPort", c.path),
                    format!(
                        "{} binds port {} on the node",
                        m.describe(c),
                        s.slice(s.span(hp))
                    ),
                ));
            }
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
            &deployment("", "ports:\n- containerPort: 80\n  hostPort: 0"),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("", "ports:\n- containerPort: 80\n  hostPort: 8080"),
            &[(17, "8080")],
        );
    }
}
