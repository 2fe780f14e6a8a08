use crate::fix::{Applicability, Scalar};
use crate::model::fields::names;
use crate::rules::{Context, FixAvailability, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/capabilities-drop-all",
    layer: Layer::Container,
    severity: Severity::Medium,
    title: "Capabilities not dropped",
    what: "Every container must list `ALL` in `securityContext.capabilities.drop`, and may add back only `NET_BIND_SERVICE`. Adding a capability outside the baseline list is reported by container/dangerous-capabilities. Windows pods are exempt, as in Pod Security.",
    why: "Container runtimes grant a default set of Linux capabilities (CHOWN, NET_RAW, SETUID, …). Most applications need none of them, and each one widens what a compromised process can do, such as spoofing packets with NET_RAW.",
    remediation: "Drop ALL and add back only what the application really needs (usually nothing, sometimes NET_BIND_SERVICE to bind ports below 1024).",
    example: "securityContext:\n  capabilities:\n    drop: [\"ALL\"]",
    pss: &[Pss { id: "capabilities_restricted", level: PssLevel::Restricted }],
    fix: FixAvailability::Sometimes,
    options: &[],
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
            let mut fix = cx.fixer();
            match drop {
                Some(d) if s.is_seq(d.value) => {
                    fix.push_item(d.value, "ALL");
                }
                _ => {
                    fix.set_path(
                        c.node,
                        &[names::SECURITY_CONTEXT, names::CAPABILITIES, names::DROP],
                        Scalar::Raw("[ALL]"),
                    );
                }
            }
            out.push(
                cx.container_finding(
                    &META,
                    c,
                    span,
                    m.container_path(
                        c,
                        &[names::SECURITY_CONTEXT, names::CAPABILITIES, names::DROP],
                    ),
                    format!("{} does not drop ALL capabilities", m.describe(c)),
                )
                // A process that relied on a default capability (CHOWN, SETUID…) stops
                // working: review first.
                .with_fix(fix.finish("Drop ALL capabilities", Applicability::Review)),
            );
        }
        if let Some(add) = caps.and_then(|cp| s.get(cp, "add")) {
            for &i in s.items(add) {
                let name = s.str(i).unwrap_or("");
                // Outside the baseline list, container/dangerous-capabilities reports it when
                // it runs; when it is off, this rule does.
                if name != "NET_BIND_SERVICE"
                    && (super::dangerous_capabilities::baseline_allowed(name)
                        || !cx.enabled(&super::dangerous_capabilities::META))
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
