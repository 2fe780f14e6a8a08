use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cloud/ingress-tls",
    layer: Layer::Cloud,
    severity: Severity::Medium,
    title: "Ingress serves hosts without TLS",
    what: "Ingresses (networking.k8s.io, and the old extensions/v1beta1) with rules whose `host` is not listed in any `spec.tls[].hosts` — or with no `tls` at all. Wildcard TLS hosts (`*.example.com`) cover one label, as TLS matching does.",
    why: "Without TLS, credentials, cookies and data cross the network in clear text and can be read or changed on the way; browsers and clients cannot tell the real service from an impostor.",
    remediation: "Add a `tls` entry with a certificate Secret for every host (cert-manager can issue and renew them), and redirect HTTP to HTTPS.",
    example: "spec:\n  tls:\n  - hosts: [shop.example.com]\n    secretName: shop-tls",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Code layer, TLS everywhere"],
    peers: &[("polaris", "tlsSettingsMissing"), ("kubescape", "C-0263")],
};

fn covered(host: &str, tls: &[&str]) -> bool {
    tls.iter().any(|t| {
        *t == host
            || t.strip_prefix("*.").is_some_and(|suffix| {
                host.split_once('.')
                    .is_some_and(|(first, rest)| !first.is_empty() && rest == suffix)
            })
    })
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is("networking.k8s.io", "Ingress") && !r.is("extensions", "Ingress") {
            continue;
        }
        let Some(spec) = s.get(r.root, "spec") else {
            continue;
        };
        let tls_hosts: Vec<&str> = s
            .get(spec, "tls")
            .map(|l| {
                s.items(l)
                    .iter()
                    .filter_map(|&t| s.get(t, "hosts"))
                    .flat_map(|h| s.items(h).iter().filter_map(|&x| s.str(x)))
                    .collect()
            })
            .unwrap_or_default();
        let has_tls = s.get(spec, "tls").is_some_and(|l| !s.items(l).is_empty());
        let rules = s.get(spec, "rules").map_or(&[][..], |l| s.items(l));
        let mut reported = false;
        for (i, &rule) in rules.iter().enumerate() {
            match s.get_entry(rule, "host") {
                Some(h) => {
                    let host = s.str(h.value).unwrap_or("");
                    if !covered(host, &tls_hosts) {
                        reported = true;
                        out.push(cx.finding(
                            &META,
                            r,
                            s.span(h.value),
                            format!("{}[{i}].host", r.path(&["spec", "rules"])),
                            format!("{} serves {host} without TLS", r.label()),
                        ));
                    }
                }
                // A rule without a host matches every host: TLS entries that list hosts do
                // not cover it; a `tls` entry without hosts is the default certificate.
                None if !has_tls => {
                    reported = true;
                    out.push(cx.finding(
                        &META,
                        r,
                        s.span(s.get_entry(spec, "rules").map_or(rule, |e| e.key)),
                        format!("{}[{i}]", r.path(&["spec", "rules"])),
                        format!("{} serves every host without TLS", r.label()),
                    ));
                }
                None => {}
            }
        }
        if !reported && !has_tls && rules.is_empty() && s.get(spec, "defaultBackend").is_some() {
            out.push(cx.finding(
                &META,
                r,
                s.span(s.get_entry(spec, "defaultBackend").map_or(spec, |e| e.key)),
                r.path(&["spec", "defaultBackend"]),
                format!("{} serves its default backend without TLS", r.label()),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{covered, META};
    use crate::rules::testing::*;

    const ING: &str = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\nTLS  rules:\n  - host: shop.example.com\n    http: {paths: []}\n";

    #[test]
    fn wildcard() {
        assert!(covered("a.example.com", &["*.example.com"]));
        assert!(!covered("a.b.example.com", &["*.example.com"]));
        assert!(!covered("example.com", &["*.example.com"]));
    }

    #[test]
    fn pass() {
        assert_pass(
            &META,
            &ING.replace(
                "TLS",
                "  tls: [{hosts: [\"*.example.com\"], secretName: t}]\n",
            ),
        );
    }

    #[test]
    fn fail() {
        assert_fail(&META, &ING.replace("TLS", ""), &[(6, "shop.example.com")]);
    }
}
