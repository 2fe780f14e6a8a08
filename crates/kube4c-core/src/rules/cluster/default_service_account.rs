use crate::index::pod_service_account;
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/default-service-account",
    layer: Layer::Cluster,
    severity: Severity::Low,
    title: "Workload runs as its namespace's default service account",
    what: "Pods whose `serviceAccountName` (or deprecated `serviceAccount`) is unset or `default`, and that get its token (see cluster/service-account-token for when they do not).",
    why: "Every pod of the namespace that names no account shares `default`: a role bound to it for one workload is granted to all of them, and an audit log cannot tell them apart. Rights given to `default` are the easiest to give by accident.",
    remediation: "Create a ServiceAccount per workload and name it in `serviceAccountName`; leave `default` without bindings and with `automountServiceAccountToken: false`.",
    example: "spec:\n  serviceAccountName: web",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.1.5"],
    peers: &[("kube-linter", "default-service-account"), ("checkov", "CKV_K8S_41"), ("checkov", "CKV_K8S_42"), ("kubesec", "ServiceAccountName")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for pod in &m.pods {
        let r = m.resource_of_pod(pod);
        let ns = cx.index().namespace(r);
        let (mounted, sa) = cx.index().pod_token(s, pod, ns);
        if !mounted || sa != "default" {
            continue;
        }
        debug_assert_eq!(pod_service_account(s, pod.spec), "default");
        let named = ["serviceAccountName", "serviceAccount"]
            .iter()
            .find_map(|k| s.get_entry(pod.spec, k).map(|e| (e, *k)));
        let (span, key) = match named {
            Some((e, k)) => (s.span(e.value), k),
            None => (pod.anchor, "serviceAccountName"),
        };
        out.push(cx.finding(
            &META,
            r,
            span,
            m.pod_path(pod, &[key]),
            format!(
                "{} runs as the default service account of namespace \"{ns}\"",
                r.label()
            ),
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
        assert_pass(
            &META,
            &deployment("automountServiceAccountToken: false", ""),
        );
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("", ""), &[(11, "spec")]);
        assert_fail(
            &META,
            &deployment("serviceAccountName: default", ""),
            &[(12, "default")],
        );
    }
}
