use crate::rules::{Context, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/capabilities-drop-all",
    layer: Layer::Container,
    severity: Severity::Medium,
    title: "Capabilities not dropped",
    what: "Every container must list `ALL` in `securityContext.capabilities.drop`, and may add back only `NET_BIND_SERVICE`. Adding a capability outside the baseline list is reported by container/dangerous-capabilities. Windows pods are exempt, as in Pod Security.",
    why: "Container runtimes grant a default set of Linux capabilities (CHOWN, NET_RAW, SETUID, …). Most applications need none of them, and each one widens what a compromised process can do, such as spoofing packets with NET_RAW.",
    fix: "Drop ALL and add back only what the application really needs (usually nothing, sometimes NET_BIND_SERVICE to bind ports below 1024).",
    example: "securityContext:\n  capabilities:\n    drop: [\"ALL\"]",
    pss: Some(Pss { id: "capabilities_restricted", level: PssLevel::Restricted }),
    references: &["CIS Kubernetes 5.2.9", "4C model: Container layer, drop capabilities"],
    peers: &[
        ("checkov", "CKV_K8S_37"),
        ("polaris", "insecureCapabilities"),
        ("kubesec", "CapDropAll"),
        ("trivy", "KSV003"),
    ],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        if m.is_windows(m.pod_of(c)) {
            continue;
        }
        let caps = m.container_setting(c, "capabilities");
        let drop = caps.and_then(|cp| s.get_entry(cp, "drop"));
        let drops_all =
            drop.is_some_and(|d| s.items(d.value).iter().any(|&i| s.str(i) == Some("ALL")));
        if !drops_all {
            let span = match (drop, caps) {
                (Some(d), _) => s.span(d.key),
                (None, Some(_)) => c
                    .security_context
                    .and_then(|sc| s.get_entry(sc, "capabilities"))
                    .map_or_else(|| m.container_anchor(c), |e| s.span(e.key)),
                _ => m.container_anchor(c),
            };
            out.push(cx.container_finding(
                &META,
                c,
                span,
                format!("{}.securityContext.capabilities.drop", c.path),
                format!("{} does not drop ALL capabilities", m.describe(c)),
            ));
        }
        if let Some(add) = caps.and_then(|cp| s.get(cp, "add")) {
            for &i in s.items(add) {
                let name = s.str(i).unwrap_or("");
                // Outside the baseline list: container/dangerous-capabilities reports it.
                if name != "NET_BIND_SERVICE"
                    && super::dangerous_capabilities::baseline_allowed(name)
                {
                    out.push(cx.container_finding(
                        &META,
                        c,
                        s.span(i),
                        format!("{}.securityContext.capabilities.add", c.path),
                        format!("{} adds capability {name}; only NET_BIND_SERVICE may be added under Pod Security 'restricted'", m.describe(c)),
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
            &deployment("", "securityContext:\n  capabilities:\n    drop: [ALL]"),
        );
        assert_pass(
            &META,
            &deployment(
                "",
                "securityContext:\n  capabilities:\n    drop: [ALL]\n    add: [NET_BIND_SERVICE]",
            ),
        );
        // SYS_ADMIN is reported by container/dangerous-capabilities, not twice.
        assert_pass(
            &META,
            &deployment(
                "",
                "securityContext:\n  capabilities:\n    drop: [ALL]\n    add: [SYS_ADMIN]",
            ),
        );
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("", ""), &[(13, "name")]);
        assert_fail(
            &META,
            &deployment("", "securityContext:\n  capabilities:\n    drop: [NET_RAW]"),
            &[(17, "drop")],
        );
        assert_fail(
            &META,
            &deployment(
                "",
                "securityContext:\n  capabilities:\n    add: [NET_BIND_SERVICE]",
            ),
            &[(16, "capabilities")],
        );
        assert_fail(
            &META,
            &deployment(
                "",
                "securityContext:\n  capabilities:\n    drop: [all]\n    add: [CHOWN]",
            ),
            &[(17, "drop"), (18, "CHOWN")],
        );
    }
}
