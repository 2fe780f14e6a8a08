use crate::rules::{Context, FixAvailability, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/probe-host",
    layer: Layer::Cluster,
    severity: Severity::Medium,
    title: "Probe or lifecycle hook targets another host",
    what: "A non-empty `host` in the `httpGet` or `tcpSocket` handler of a container's liveness, readiness or startup probe, or of its `lifecycle.postStart` / `preStop` hook.",
    why: "The kubelet runs these requests from the node. A `host` field turns them into requests from the node to any address: a server-side request forgery path into node-local or cloud metadata endpoints.",
    remediation: "Remove `host`: probes then target the pod's own IP.",
    example: "livenessProbe:\n  httpGet:\n    path: /healthz\n    port: 8000",
    pss: &[Pss { id: "hostProbesAndHostLifecycle", level: PssLevel::Baseline }],
    fix: FixAvailability::None,
    options: &[],
    references: &["Kubernetes Pod Security Standards: host probes / lifecycle hooks (v1.34)"],
    peers: &[],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        let mut handlers = Vec::new();
        for p in ["livenessProbe", "readinessProbe", "startupProbe"] {
            if let Some(n) = s.get(c.node, p) {
                handlers.push((p.to_string(), n));
            }
        }
        if let Some(l) = s.get(c.node, "lifecycle") {
            for h in ["postStart", "preStop"] {
                if let Some(n) = s.get(l, h) {
                    handlers.push((format!("lifecycle.{h}"), n));
                }
            }
        }
        for (name, h) in handlers {
            for kind in ["httpGet", "tcpSocket"] {
                let Some(host) = s.path(h, &[kind, "host"]) else {
                    continue;
                };
                let text = s.scalar_text(host).unwrap_or_default();
                if !text.is_empty() {
                    out.push(cx.container_finding(
                        &META,
                        c,
                        s.span(host),
                        format!("{}.{name}.{kind}.host", c.path),
                        format!(
                            "{}: {name} sends the node's request to `{text}`",
                            m.describe(c)
                        ),
                    ));
                }
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
            &deployment(
                "",
                "livenessProbe:\n  httpGet: {path: /, port: 80, host: \"\"}",
            ),
        );
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("", "readinessProbe:\n  tcpSocket:\n    port: 80\n    host: 169.254.169.254\nlifecycle:\n  preStop:\n    httpGet: {port: 80, host: 127.0.0.1}"), &[(18, "169.254.169.254"), (21, "127.0.0.1")]);
    }
}
