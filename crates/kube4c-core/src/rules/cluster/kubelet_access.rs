use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/kubelet-access",
    layer: Layer::Cluster,
    severity: Severity::Critical,
    title: "Kubelet API open to unauthenticated or unauthorized callers",
    what: "A `KubeletConfiguration` (kubelet.config.k8s.io) with `authentication.anonymous.enabled: true`, `authentication.webhook.enabled: false`, `authorization.mode: AlwaysAllow`, or a non-zero `readOnlyPort`. The file format's defaults are safe (anonymous off, webhook on, mode Webhook, read-only port 0), so only values written in the file are reported.",
    why: "The kubelet API on port 10250 runs commands in any container of the node (`/exec`, `/run`) and lists every pod with its environment. Anonymous or AlwaysAllow access hands that to anyone who reaches the node; the read-only port (10255) leaks pod specs without any authentication.",
    remediation: "Set `authentication.anonymous.enabled: false`, `authentication.webhook.enabled: true`, `authorization.mode: Webhook` and `readOnlyPort: 0`.",
    example: "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: false\n  webhook:\n    enabled: true\nauthorization:\n  mode: Webhook\nreadOnlyPort: 0",
    pss: &[],
    fix: FixAvailability::Always,
    options: &[],
    references: &["CIS Kubernetes 4.2.1, 4.2.2, 4.2.4", "4C model: Cluster layer, kubelet authentication"],
    peers: &[("kubescape", "C-0069"), ("kubescape", "C-0070")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is("kubelet.config.k8s.io", "KubeletConfiguration") {
            continue;
        }
        let checks: [(&[&str], &str, crate::fix::Scalar, &str); 4] = [
            (
                &["authentication", "anonymous", "enabled"],
                "true",
                crate::fix::Scalar::Bool(false),
                "lets anonymous callers use the kubelet API",
            ),
            (
                &["authentication", "webhook", "enabled"],
                "false",
                crate::fix::Scalar::Bool(true),
                "turns off token authentication of kubelet API callers",
            ),
            (
                &["authorization", "mode"],
                "AlwaysAllow",
                crate::fix::Scalar::Str("Webhook"),
                "authorizes every kubelet API call (AlwaysAllow)",
            ),
            (
                &["readOnlyPort"],
                "nonzero",
                crate::fix::Scalar::Raw("0"),
                "opens the unauthenticated read-only port",
            ),
        ];
        for (path, bad, good, what) in checks {
            let Some(n) = s.path(r.root, path) else {
                continue;
            };
            let hit = match bad {
                "true" => s.bool(n) == Some(true),
                "false" => s.bool(n) == Some(false),
                "nonzero" => s.int(n).is_some_and(|p| p != 0),
                other => s.str(n) == Some(other),
            };
            if !hit {
                continue;
            }
            let mut fix = cx.fixer();
            fix.set_scalar(n, good);
            out.push(
                cx.finding(
                    &META,
                    r,
                    s.span(n),
                    r.path(path),
                    format!(
                        "{} {what} (`{}: {}`)",
                        r.label(),
                        path.join("."),
                        s.slice(s.span(n))
                    ),
                )
                // Clients that relied on the open access (old monitoring agents) stop working.
                .with_fix(fix.finish(
                    format!("Set `{}` to a safe value", path.join(".")),
                    crate::Applicability::Review,
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    const HEAD: &str = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n";

    #[test]
    fn pass() {
        assert_pass(&META, &format!("{HEAD}authentication:\n  anonymous: {{enabled: false}}\nauthorization: {{mode: Webhook}}\nreadOnlyPort: 0\n"));
        // Defaults are safe.
        assert_pass(&META, HEAD);
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &format!("{HEAD}authentication:\n  anonymous:\n    enabled: true\n  webhook: {{enabled: false}}\nauthorization:\n  mode: AlwaysAllow\nreadOnlyPort: 10255\n"),
            &[(5, "true"), (6, "false"), (8, "AlwaysAllow"), (9, "10255")],
        );
    }
}
