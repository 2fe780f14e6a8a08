use crate::document::Span;
use crate::index::Obj;
use crate::model::{is_true, map_selector_matches, Model, Pod};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/exposed-privileged-workload",
    layer: Layer::Cluster,
    severity: Severity::Critical,
    title: "Privileged workload reachable from outside the cluster",
    what: "A Service of type LoadBalancer or NodePort, or a Service an Ingress routes to, whose selector reaches pods (of any input of the run, in its namespace) that run a privileged container, share the node's network, PID or IPC namespace, or run a container as UID 0 (`runAsUser: 0`, its own or the pod's). One finding on the Service names both ends.",
    why: "Each half alone is a finding; together they are an attack path. A bug in an internet-facing process becomes root on the node at once, with nothing in between: no container boundary, no unprivileged user to escalate from.",
    remediation: "Break the chain at either end: harden the workload (drop privileged, host namespaces and UID 0), or stop exposing it (ClusterIP behind an authenticated gateway).",
    example: "spec:\n  type: ClusterIP\n  selector:\n    app: task-api",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Cluster layer, attack scenario 'exposed workload to node takeover'", "NSA/CISA Kubernetes Hardening: pod security and network separation"],
    peers: &[("kubescape", "C-0256")],
};

/// Why a pod would hand an attacker the node: the setting's span and what it does.
fn danger(m: &Model, pod: &Pod) -> Option<(Span, &'static str)> {
    let s = m.stream;
    for (field, what) in [
        ("hostNetwork", "shares the node's network"),
        ("hostPID", "shares the node's process namespace"),
        ("hostIPC", "shares the node's IPC namespace"),
    ] {
        if let Some(n) = s.get(pod.spec, field).filter(|&n| is_true(s, Some(n))) {
            return Some((s.span(n), what));
        }
    }
    for c in m.containers_of(pod) {
        if let Some(n) = m
            .container_setting(c, "privileged")
            .filter(|&n| is_true(s, Some(n)))
        {
            return Some((s.span(n), "runs a privileged container"));
        }
        if let Some(set) = m.effective(c, "runAsUser") {
            if s.int(set.node) == Some(0) {
                return Some((s.span(set.node), "runs a container as root (UID 0)"));
            }
        }
    }
    None
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for r in &m.resources {
        if !r.is("", "Service") {
            continue;
        }
        let ns = cx.index().namespace(r);
        let Some(selector) = s
            .path(r.root, &["spec", "selector"])
            .filter(|&n| s.is_map(n))
        else {
            continue;
        };
        let ty = s.path(r.root, &["spec", "type"]).and_then(|t| s.str(t));
        // Reachable from outside: LoadBalancer/NodePort, or named by an Ingress of the run.
        let ingress = cx
            .index()
            .ingress_backends
            .get(&(ns.to_string(), r.name.to_string()))
            .copied();
        let exposed = match (ty, ingress) {
            (Some("LoadBalancer" | "NodePort"), _) => ty.map(|t| format!("a {t} Service")),
            (_, Some(_)) => Some("routed to by an Ingress".to_string()),
            _ => None,
        };
        let Some(how) = exposed else { continue };
        // Only the pods carrying the selector's first label can match.
        let first = s
            .entries(selector)
            .first()
            .and_then(|e| Some((s.key_str(e.key), s.scalar_text(e.value)?)));
        let Some((k, v)) = &first else { continue };
        for &(file, pi) in cx.index().candidate_pods(ns, Some((k, v))) {
            let pm = &cx.files()[file];
            let pod = &pm.pods[pi];
            if !map_selector_matches(s, selector, pm.stream, pod.labels) {
                continue;
            }
            let Some((span, what)) = danger(pm, pod) else {
                continue;
            };
            let pr = pm.resource_of_pod(pod);
            let mut f = cx.finding(
                &META,
                r,
                s.span(selector),
                r.path(&["spec", "selector"]),
                format!(
                    "{} ({how}) sends outside traffic to the pods of {}, which {what}",
                    r.label(),
                    pr.label()
                ),
            );
            let target = Obj {
                file,
                resource: pod.resource,
            };
            f = cx.related(f, target, span, format!("{} {what} here", pr.label()));
            if let Some(ing) = ingress {
                let (im, ir) = cx.object(ing);
                f = cx.related(
                    f,
                    ing,
                    im.resource_anchor(ir),
                    format!("{} routes to this Service", ir.label()),
                );
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    fn with_service(ty: &str, pod: &str, container: &str) -> String {
        format!(
            "{}---\napiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: shop}}\nspec:\n  type: {ty}\n  selector: {{app: web}}\n  ports: [{{port: 80}}]\n",
            deployment(pod, container)
        )
    }

    #[test]
    fn pass() {
        // Exposed but hardened; privileged but internal.
        assert_pass(&META, &with_service("LoadBalancer", "", ""));
        assert_pass(&META, &with_service("ClusterIP", "hostNetwork: true", ""));
        // The selector reaches other pods.
        assert_pass(
            &META,
            &with_service("NodePort", "hostPID: true", "")
                .replace("selector: {app: web}", "selector: {app: api}"),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &with_service("LoadBalancer", "", "securityContext: {privileged: true}"),
            &[(22, "{app: web}")],
        );
        assert_fail(
            &META,
            &with_service("NodePort", "securityContext: {runAsUser: 0}", ""),
            &[(22, "{app: web}")],
        );
        // A ClusterIP Service an Ingress routes to.
        let ingress = "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i, namespace: shop}\nspec:\n  rules:\n  - http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}\n";
        assert_fail(
            &META,
            &format!(
                "{}{ingress}",
                with_service("ClusterIP", "hostNetwork: true", "")
            ),
            &[(22, "{app: web}")],
        );
    }
}
