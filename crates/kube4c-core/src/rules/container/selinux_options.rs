use crate::rules::{Context, FixAvailability, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/selinux-options",
    layer: Layer::Container,
    severity: Severity::Medium,
    title: "Custom SELinux user, role or type",
    what: "`seLinuxOptions` at pod or container level with a `type` other than `container_t`, `container_init_t`, `container_kvm_t`, `container_engine_t` (or empty), or with any `user` or `role`.",
    why: "The SELinux type decides what a container process may touch on the host. A custom type such as `spc_t` (super-privileged container) or a custom user/role lifts the confinement that keeps containers off host files.",
    remediation: "Remove `seLinuxOptions.type`, `user` and `role`; set only `level` if you need MCS separation.",
    example: "securityContext:\n  seLinuxOptions:\n    level: \"s0:c123,c456\"",
    pss: &[Pss { id: "seLinuxOptions", level: PssLevel::Baseline }],
    fix: FixAvailability::None,
    options: &[],
    references: &["Kubernetes Pod Security Standards: SELinux"],
    peers: &[("trivy", "KSV025")],
};

const TYPES: [&str; 5] = [
    "",
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for set in cx.model.explicit_settings("seLinuxOptions") {
        for field in ["type", "user", "role"] {
            let Some(v) = s.get(set.node, field) else {
                continue;
            };
            if s.is_null(v) {
                continue;
            }
            let text = s.scalar_text(v).unwrap_or_default();
            let bad = if field == "type" {
                !TYPES.contains(&text.as_ref())
            } else {
                !text.is_empty()
            };
            if bad {
                out.push(cx.finding(
                    &META,
                    set.resource,
                    s.span(v),
                    format!("{}.{field}", set.path),
                    format!("{} sets SELinux {field} `{text}`", set.who),
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
    fn pass() {
        assert_pass(
            &META,
            &deployment(
                "securityContext:\n  seLinuxOptions: {level: \"s0:c1,c2\", type: container_t}",
                "",
            ),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment(
                "securityContext:\n  seLinuxOptions:\n    type: spc_t\n    user: sysadm_u",
                "",
            ),
            &[(14, "spc_t"), (15, "sysadm_u")],
        );
    }
}
