use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/privileged-port",
    layer: Layer::Container,
    severity: Severity::Low,
    title: "Container listens on a privileged port",
    what: "`ports[].containerPort` between 1 and 1023.",
    why: "Binding a port below 1024 needs root or `NET_BIND_SERVICE` in the container (unless the node lowers `net.ipv4.ip_unprivileged_port_start`): an image built to listen on 80 is an image that expects privileges it should not have.",
    remediation: "Listen on a port from 1024 up (8080, 8443) and map the well-known port in the Service (`port: 80`, `targetPort: 8080`).",
    example: "ports:\n- containerPort: 8080",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Container layer, run without privileges"],
    peers: &[("kube-linter", "privileged-ports"), ("trivy", "KSV117")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        let Some(ports) = m.container_field(c, &["ports"]) else {
            continue;
        };
        for p in ports.items(s) {
            let Some(cp) = p.child(s, "containerPort") else {
                continue;
            };
            let Some(v) = s.int(cp.node) else { continue };
            if (1..1024).contains(&v) {
                out.push(cx.field_finding(
                    &META,
                    m.resource_of(c),
                    &cp,
                    format!("{} listens on privileged port {v}", m.describe(c)),
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
        assert_pass(&META, &deployment("", "ports:\n- containerPort: 8080"));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("", "ports:\n- containerPort: 80"),
            &[(16, "80")],
        );
    }
}
