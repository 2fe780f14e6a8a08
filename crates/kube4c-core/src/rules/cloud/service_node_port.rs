use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cloud/service-node-port",
    layer: Layer::Cloud,
    severity: Severity::Low,
    title: "Service opens a port on every node",
    what: "Services of `type: NodePort`. LoadBalancer Services also allocate node ports, but their exposure is cloud/loadbalancer-source-ranges's finding.",
    why: "A NodePort listens on every node's address, on a port in 30000–32767 that firewalls and security groups often leave open to whole subnets: the workload is reachable wherever a node is, outside Ingress, TLS termination and NetworkPolicy ingress rules that do not name node traffic.",
    remediation: "Use a ClusterIP Service behind an Ingress or Gateway, or an internal LoadBalancer; if NodePort is required, restrict node security groups to the load balancer's addresses.",
    example: "spec:\n  type: ClusterIP\n  ports:\n  - port: 80\n    targetPort: 8080",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Cloud layer, network isolation"],
    peers: &[],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is("", "Service") {
            continue;
        }
        let Some(t) = s.path(r.root, &["spec", "type"]) else {
            continue;
        };
        if s.str(t) != Some("NodePort") {
            continue;
        }
        let ports: Vec<String> = s
            .path(r.root, &["spec", "ports"])
            .map(|l| {
                s.items(l)
                    .iter()
                    .map(|&p| {
                        s.get(p, "nodePort")
                            .and_then(|n| s.scalar_text(n))
                            .map_or_else(|| "an allocated port".to_string(), |v| v.into_owned())
                    })
                    .collect()
            })
            .unwrap_or_default();
        let on = if ports.is_empty() {
            "a node port".to_string()
        } else {
            ports.join(", ")
        };
        out.push(cx.finding(
            &META,
            r,
            s.span(t),
            r.path(&["spec", "type"]),
            format!("{} listens on {on} of every node", r.label()),
        ));
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
            "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: ClusterIP\n",
        );
    }

    #[test]
    fn fail() {
        assert_fail(&META, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: NodePort\n  ports: [{port: 80, nodePort: 30080}]\n", &[(5, "NodePort")]);
    }
}
