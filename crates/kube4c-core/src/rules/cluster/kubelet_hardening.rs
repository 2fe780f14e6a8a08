use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/kubelet-hardening",
    layer: Layer::Cluster,
    severity: Severity::Low,
    title: "Kubelet configuration weakens node hardening",
    what: "A `KubeletConfiguration` that does not set `protectKernelDefaults: true`, sets `makeIPTablesUtilChains: false` or `rotateCertificates: false`, or lists TLS cipher suites with CBC mode, RC4 or 3DES in `tlsCipherSuites`.",
    why: "Without protectKernelDefaults a pod's sysctls can silently diverge from the node's hardened kernel settings; without certificate rotation a stolen kubelet certificate stays valid until it expires; weak cipher suites expose kubelet traffic to downgrade and padding-oracle attacks.",
    remediation: "Set `protectKernelDefaults: true`, keep `makeIPTablesUtilChains` and `rotateCertificates` at true, and restrict `tlsCipherSuites` to ECDHE with AES-GCM or ChaCha20-Poly1305.",
    example: "protectKernelDefaults: true\nrotateCertificates: true\ntlsCipherSuites:\n- TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\n- TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    pss: &[],
    fix: FixAvailability::Sometimes,
    options: &[],
    references: &["CIS Kubernetes 4.2.6, 4.2.7, 4.2.11, 4.2.13"],
    peers: &[],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is("kubelet.config.k8s.io", "KubeletConfiguration") {
            continue;
        }
        match s.get_entry(r.root, "protectKernelDefaults") {
            Some(e) if s.bool(e.value) == Some(true) => {}
            found => {
                let mut fix = cx.fixer();
                match found {
                    Some(e) => fix.set_scalar(e.value, crate::fix::Scalar::Bool(true)),
                    None => fix.set_path(
                        r.root,
                        &["protectKernelDefaults"],
                        crate::fix::Scalar::Bool(true),
                    ),
                };
                let span = found.map_or_else(
                    || s.span(s.get(r.root, "kind").unwrap_or(r.root)),
                    |e| s.span(e.value),
                );
                out.push(
                    cx.finding(
                        &META,
                        r,
                        span,
                        r.path(&["protectKernelDefaults"]),
                        format!("{} does not set protectKernelDefaults: true", r.label()),
                    )
                    // The kubelet refuses to start when the node's sysctls differ.
                    .with_fix(fix.finish(
                        "Set `protectKernelDefaults: true`",
                        crate::Applicability::Review,
                    )),
                );
            }
        }
        for field in ["makeIPTablesUtilChains", "rotateCertificates"] {
            if let Some(n) = s.get(r.root, field).filter(|&n| s.bool(n) == Some(false)) {
                let mut fix = cx.fixer();
                fix.set_scalar(n, crate::fix::Scalar::Bool(true));
                out.push(
                    cx.finding(
                        &META,
                        r,
                        s.span(n),
                        r.path(&[field]),
                        format!("{} sets {field}: false", r.label()),
                    )
                    .with_fix(
                        fix.finish(format!("Set `{field}: true`"), crate::Applicability::Review),
                    ),
                );
            }
        }
        if let Some(list) = s.get(r.root, "tlsCipherSuites") {
            for (i, &c) in s.items(list).iter().enumerate() {
                let name = s.str(c).unwrap_or("");
                if name.contains("_CBC_") || name.contains("RC4") || name.contains("3DES") {
                    out.push(cx.finding(
                        &META,
                        r,
                        s.span(c),
                        r.path(&["tlsCipherSuites"]) + &format!("[{i}]"),
                        format!("{} allows the weak cipher suite {name}", r.label()),
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

    const HEAD: &str = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n";

    #[test]
    fn pass() {
        assert_pass(&META, &format!("{HEAD}protectKernelDefaults: true\nrotateCertificates: true\ntlsCipherSuites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\n"));
    }

    #[test]
    fn fail() {
        assert_fail(&META, HEAD, &[(2, "KubeletConfiguration")]);
        assert_fail(
            &META,
            &format!("{HEAD}protectKernelDefaults: false\nmakeIPTablesUtilChains: false\ntlsCipherSuites:\n- TLS_RSA_WITH_AES_128_CBC_SHA\n- TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n"),
            &[(3, "false"), (4, "false"), (6, "TLS_RSA_WITH_AES_128_CBC_SHA")],
        );
    }
}
