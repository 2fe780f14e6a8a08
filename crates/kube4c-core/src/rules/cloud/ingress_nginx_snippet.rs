use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cloud/ingress-nginx-snippet",
    layer: Layer::Cloud,
    severity: Severity::High,
    title: "Ingress injects raw NGINX configuration (CVE-2021-25742)",
    what: "Ingress annotations whose key, after the prefix, ends in `-snippet` (`nginx.ingress.kubernetes.io/configuration-snippet`, `server-snippet`, `auth-snippet`, `stream-snippet`, and any other prefix a controller is configured with), and the `nginx.org/*-snippets` annotations of NGINX Inc's controller. Values that use `lua`, `alias`, `root`, `include` or `load_module` directives are called out.",
    why: "A snippet is pasted into the controller's own nginx.conf. The controller's service account can read every Secret of the cluster, and a snippet can read files of the controller's pod (`alias`, `root`, Lua): whoever can write an Ingress can steal every Secret (CVE-2021-25742, and the 2025 IngressNightmare chain). Controllers now disable snippets by default for this reason.",
    remediation: "Use the controller's dedicated annotations instead of snippets; keep `allow-snippet-annotations: false` on the controller and `annotations-risk-level` at its default.",
    example: "metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/proxy-body-size: 8m",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CVE-2021-25742", "CVE-2025-1974 (IngressNightmare)"],
    peers: &[("checkov", "CKV_K8S_153"), ("checkov", "CKV_K8S_152"), ("checkov", "CKV_K8S_154"), ("trivy", "insecure-ingress-nginx"), ("kubescape", "C-0059")],
};

const DANGEROUS: [&str; 6] = ["lua", "alias", "root", "include", "load_module", "_by_lua"];

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is("networking.k8s.io", "Ingress") && !r.is("extensions", "Ingress") {
            continue;
        }
        let Some(ann) = s.path(r.root, &["metadata", "annotations"]) else {
            continue;
        };
        for e in s.entries(ann) {
            let key = s.key_str(e.key);
            let name = key.rsplit('/').next().unwrap_or(key);
            let nginx_org = key.starts_with("nginx.org/") && name.ends_with("-snippets");
            if !(name.ends_with("-snippet") || nginx_org) {
                continue;
            }
            let value = s.scalar_text(e.value).unwrap_or_default();
            let words: Vec<&str> = value
                .split(|c: char| c.is_whitespace() || c == ';' || c == '{')
                .collect();
            let bad: Vec<&str> = DANGEROUS
                .iter()
                .copied()
                .filter(|d| {
                    words
                        .iter()
                        .any(|w| w == d || w.contains("_by_lua") && *d == "_by_lua")
                })
                .collect();
            let extra = if bad.is_empty() {
                String::new()
            } else {
                format!(", using {}", bad.join(", "))
            };
            out.push(cx.finding(
                &META,
                r,
                s.span(e.key),
                r.path(&["metadata", "annotations", key]),
                format!(
                    "{} pastes raw configuration into the NGINX controller ({name}{extra})",
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
        assert_pass(&META, "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  annotations: {nginx.ingress.kubernetes.io/proxy-body-size: 8m}\n");
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  annotations:\n    nginx.ingress.kubernetes.io/server-snippet: |\n      location /x { alias /var/run/secrets/; }\n",
            &[(6, "nginx.ingress.kubernetes.io/server-snippet")],
        );
    }
}
