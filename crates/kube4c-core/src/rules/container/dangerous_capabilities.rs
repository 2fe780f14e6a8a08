use crate::rules::{Context, FixAvailability, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/dangerous-capabilities",
    layer: Layer::Container,
    severity: Severity::High,
    title: "Dangerous capability added",
    what: "`securityContext.capabilities.add` entries outside the Pod Security baseline list (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT), such as SYS_ADMIN, NET_ADMIN, NET_RAW, SYS_PTRACE or ALL.",
    why: "These capabilities break container isolation: SYS_ADMIN is close to full root, SYS_PTRACE reads other processes' memory, NET_ADMIN rewrites the node's networking, NET_RAW forges packets.",
    remediation: "Remove the capability. If one really is needed, isolate that workload on dedicated nodes and document why.",
    example: "securityContext:\n  capabilities:\n    drop: [\"ALL\"]\n    add: [\"NET_BIND_SERVICE\"]",
    pss: &[
        Pss { id: "capabilities_baseline", level: PssLevel::Baseline },
        Pss { id: "capabilities_restricted", level: PssLevel::Restricted },
    ],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.2.8", "4C model: Container layer, drop capabilities"],
    peers: &[
        ("checkov", "CKV_K8S_39"),
        ("polaris", "dangerousCapabilities"),
        ("kubesec", "CapSysAdmin"),
        ("trivy", "KSV022"),
    ],
};

const BASELINE: [&str; 13] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// Pod Security baseline allows adding these (exact, case-sensitive names).
pub fn baseline_allowed(name: &str) -> bool {
    BASELINE.contains(&name)
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        // At the restricted level Pod Security replaces this check with
        // capabilities_restricted, which exempts Windows pods (Linux capabilities mean
        // nothing there): only the baseline level judges a Windows pod's capabilities.
        if cx.pss_level() == PssLevel::Restricted && m.is_windows(m.pod_of(c)) {
            continue;
        }
        let Some(add) = m
            .container_setting(c, "capabilities")
            .and_then(|cp| s.get(cp, "add"))
        else {
            continue;
        };
        for &i in s.items(add) {
            let name = s.scalar_text(i).unwrap_or_default();
            if !baseline_allowed(&name) {
                out.push(cx.container_finding(
                    &META,
                    c,
                    s.span(i),
                    format!("{}.securityContext.capabilities.add", c.path),
                    format!("{} adds the capability {name}", m.describe(c)),
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
    fn windows_pods_are_exempt_at_the_restricted_level_and_ids_follow_the_level() {
        let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  os: {name: windows}\n  containers:\n  - name: c\n    image: i\n    securityContext: {capabilities: {add: [SYS_ADMIN]}}\n";
        let count = |profile| {
            crate::check(yaml, &crate::Options::profile(profile))
                .findings
                .iter()
                .filter(|f| f.meta().id == META.id)
                .count()
        };
        // A Windows pod's Linux capabilities mean nothing on its node: Pod Security judges
        // them only at baseline (capabilities_baseline has no Windows exemption).
        assert_eq!(count(crate::Profile::PssRestricted), 0);
        assert_eq!(count(crate::Profile::PssBaseline), 1);
        assert_eq!(count(crate::Profile::All), 0);
        let linux = yaml.replace("  os: {name: windows}\n", "");
        let ids = |profile| -> Vec<&'static str> {
            crate::check(&linux, &crate::Options::profile(profile))
                .findings
                .iter()
                .filter(|f| f.meta().id == META.id)
                .filter_map(|f| f.pss)
                .collect()
        };
        assert_eq!(ids(crate::Profile::PssBaseline), ["capabilities_baseline"]);
        assert_eq!(
            ids(crate::Profile::PssRestricted),
            ["capabilities_restricted"]
        );
    }

    #[test]
    fn pass() {
        assert_pass(
            &META,
            &deployment(
                "",
                "securityContext:\n  capabilities:\n    add: [NET_BIND_SERVICE, CHOWN]",
            ),
        );
        assert_pass(&META, &deployment("", ""));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("", "securityContext:\n  capabilities:\n    add:\n    - SYS_ADMIN\n    - CHOWN\n    - NET_RAW"),
            &[(18, "SYS_ADMIN"), (20, "NET_RAW")],
        );
        // Names are case-sensitive in Pod Security: `chown` is not on the list.
        assert_fail(
            &META,
            &deployment("", "securityContext:\n  capabilities:\n    add: [chown]"),
            &[(17, "chown")],
        );
    }
}
