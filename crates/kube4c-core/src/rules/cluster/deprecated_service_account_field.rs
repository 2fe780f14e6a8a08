use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/deprecated-service-account-field",
    layer: Layer::Cluster,
    severity: Severity::Info,
    title: "Pod names its service account with the deprecated `serviceAccount`",
    what: "PodSpecs with `serviceAccount` set and `serviceAccountName` unset or different.",
    why: "`serviceAccount` is a deprecated alias. When both are written and differ, the API server keeps `serviceAccountName` and a reviewer reading the other is misled about which identity — and which rights — the pod runs with.",
    remediation: "Write `serviceAccountName` only.",
    example: "spec:\n  serviceAccountName: web",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["Kubernetes API: PodSpec.serviceAccount (deprecated)"],
    peers: &[("kube-linter", "deprecated-service-account-field")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for pod in &m.pods {
        let Some(e) = s.get_entry(pod.spec, "serviceAccount") else {
            continue;
        };
        let old = s.str(e.value).unwrap_or("");
        if old.is_empty() {
            continue;
        }
        let name = s.get(pod.spec, "serviceAccountName").and_then(|n| s.str(n));
        let r = m.resource_of_pod(pod);
        let message = match name {
            Some(n) if n == old => continue,
            Some(n) => format!(
                "{} sets serviceAccount \"{old}\" but runs as serviceAccountName \"{n}\"",
                r.label()
            ),
            None => format!(
                "{} names its service account with the deprecated serviceAccount field",
                r.label()
            ),
        };
        out.push(cx.finding(
            &META,
            r,
            s.span(e.key),
            m.pod_path(pod, &["serviceAccount"]),
            message,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(&META, &deployment("serviceAccountName: web", ""));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("serviceAccount: web", ""),
            &[(12, "serviceAccount")],
        );
    }
}
