use crate::fix::{Applicability, Scalar};
use crate::model::is_true;
use crate::rules::{Context, FixAvailability, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/windows-host-process",
    layer: Layer::Cluster,
    severity: Severity::Critical,
    title: "Windows HostProcess container",
    what: "`windowsOptions.hostProcess: true` at pod or container level.",
    why: "A Windows HostProcess container runs directly on the node, with the node's network and file system and the rights of a node account: it is the Windows equivalent of a privileged container.",
    remediation: "Remove `hostProcess: true`; keep node agents that need it in a dedicated, tightly controlled namespace.",
    example: "securityContext:\n  windowsOptions:\n    hostProcess: false",
    pss: &[Pss { id: "windowsHostProcess", level: PssLevel::Baseline }],
    fix: FixAvailability::Always,
    options: &[],
    references: &["Kubernetes Pod Security Standards: HostProcess"],
    peers: &[],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for set in cx.model.explicit_settings("windowsOptions") {
        let hp = s.get(set.node, "hostProcess");
        if let Some(hp) = hp.filter(|&n| is_true(s, Some(n))) {
            let mut fix = cx.fixer();
            fix.set_scalar(hp, Scalar::Bool(false));
            out.push(
                cx.finding(
                    &META,
                    set.resource,
                    s.span(hp),
                    format!("{}.hostProcess", set.path),
                    format!("{} runs as a Windows HostProcess", set.who),
                )
                // Node agents on Windows need it: review first.
                .with_fix(fix.finish("Set `hostProcess: false`", Applicability::Review)),
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
        assert_pass(
            &META,
            &deployment(
                "securityContext:\n  windowsOptions: {hostProcess: false}",
                "",
            ),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment(
                "",
                "securityContext:\n  windowsOptions:\n    hostProcess: true",
            ),
            &[(17, "true")],
        );
    }
}
