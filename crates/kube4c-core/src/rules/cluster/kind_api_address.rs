use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/kind-api-address",
    layer: Layer::Cluster,
    severity: Severity::Medium,
    title: "kind cluster API server listening on every address",
    what: "A kind `Cluster` configuration (kind.x-k8s.io) with `networking.apiServerAddress` set to `0.0.0.0` or `::` (kind binds to 127.0.0.1 by default).",
    why: "A kind cluster's admin credentials are the kubeconfig on the developer's machine, and its nodes run everything privileged. Listening on every address puts that cluster on the office Wi-Fi or the internet.",
    remediation: "Remove `apiServerAddress` (127.0.0.1 is the default), or bind it to one private address you need.",
    example: "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  apiServerAddress: 127.0.0.1",
    pss: &[],
    fix: FixAvailability::Always,
    options: &[],
    references: &["kind docs: Configuration, API Server (\"we strongly recommend not exposing it\")"],
    peers: &[],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is("kind.x-k8s.io", "Cluster") {
            continue;
        }
        let Some(n) = s.path(r.root, &["networking", "apiServerAddress"]) else {
            continue;
        };
        let v = s.scalar_text(n).unwrap_or_default();
        if matches!(v.as_ref(), "0.0.0.0" | "::" | "[::]") {
            let mut fix = cx.fixer();
            fix.set_scalar(n, crate::fix::Scalar::Str("127.0.0.1"));
            out.push(
                cx.finding(
                    &META,
                    r,
                    s.span(n),
                    r.path(&["networking", "apiServerAddress"]),
                    format!(
                        "kind {} exposes its API server on every address ({v})",
                        r.label()
                    ),
                )
                .with_fix(fix.finish("Listen on 127.0.0.1", crate::Applicability::Safe)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(&META, "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  apiServerAddress: 127.0.0.1\n");
        // A Cluster of another API group (Cluster API) is not a kind config.
        assert_pass(&META, "kind: Cluster\napiVersion: cluster.x-k8s.io/v1beta1\nmetadata: {name: c}\nnetworking:\n  apiServerAddress: 0.0.0.0\n");
    }

    #[test]
    fn fail() {
        assert_fail(&META, "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  apiServerAddress: \"0.0.0.0\"\n", &[(4, "\"0.0.0.0\"")]);
    }
}
