use crate::fix::{Applicability, Scalar};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/capability-case",
    layer: Layer::Container,
    severity: Severity::Medium,
    title: "Capability written in a form that does not match",
    what: "Items of `securityContext.capabilities.add` and `drop` that are not the exact upper-case name without the `CAP_` prefix: `all`, `All`, `net_raw`, `CAP_SYS_ADMIN`.",
    why: "Kubernetes compares capability names exactly: Pod Security's restricted level accepts only `drop: [ALL]`, and `drop: [all]` fails it; policy engines and reviewers that look for `NET_RAW` miss `net_raw`. Runtimes normalise some spellings and not others, so what is written is not what is checked.",
    remediation: "Write capabilities as Kubernetes documents them: upper case, without `CAP_` — `ALL`, `NET_BIND_SERVICE`.",
    example: "capabilities:\n  drop: [\"ALL\"]\n  add: [\"NET_BIND_SERVICE\"]",
    pss: &[],
    fix: FixAvailability::Always,
    options: &[],
    references: &["Kubernetes: set capabilities for a container", "Pod Security Standards: capabilities (restricted)"],
    peers: &[],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        for list in ["drop", "add"] {
            let Some(field) = m.container_field(c, &["securityContext", "capabilities", list])
            else {
                continue;
            };
            for item in field.items(s) {
                let Some(v) = s.str(item.node) else { continue };
                let upper = v.to_ascii_uppercase();
                let canonical = upper.strip_prefix("CAP_").unwrap_or(&upper).to_string();
                if canonical == v || canonical.is_empty() {
                    continue;
                }
                let mut fix = cx.fixer();
                fix.set_scalar(item.node, Scalar::Str(&canonical));
                out.push(
                    cx.field_finding(
                        &META,
                        m.resource_of(c),
                        &item,
                        format!("{} lists capability `{v}` in {list}; Kubernetes compares names exactly: write `{canonical}`", m.describe(c)),
                    )
                    .with_fix(fix.finish(format!("Write `{canonical}`"), Applicability::Safe)),
                );
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
                "",
                "securityContext:\n  capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}",
            ),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment(
                "",
                "securityContext:\n  capabilities: {drop: [all], add: [CAP_NET_ADMIN]}",
            ),
            &[(16, "all"), (16, "CAP_NET_ADMIN")],
        );
    }
}
