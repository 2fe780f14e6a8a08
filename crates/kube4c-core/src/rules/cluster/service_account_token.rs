use crate::fix::{Applicability, Scalar};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/service-account-token",
    layer: Layer::Cluster,
    severity: Severity::Low,
    title: "Service account token mounted where no API access is granted",
    what: "Pods that get a service account token (no `automountServiceAccountToken: false` on the pod, nor on its ServiceAccount when the run defines it) while no RoleBinding or ClusterRoleBinding of the run names that service account. When the run binds the account to a role, the pod evidently uses the API and is not reported (cluster/service-account-power judges those rights).",
    why: "The token is a credential for the API server in every container's filesystem. An application that never calls the API gains nothing from it; an attacker who gets code execution gains the account's rights and an authenticated foothold for discovery and for any RBAC mistake made later.",
    remediation: "Set `automountServiceAccountToken: false` in the pod spec (or on the ServiceAccount); mount a projected token explicitly in the one container that needs it.",
    example: "spec:\n  automountServiceAccountToken: false",
    pss: &[],
    fix: FixAvailability::Always,
    options: &[],
    references: &["CIS Kubernetes 5.1.6", "4C model: Cluster layer, service account tokens"],
    peers: &[("checkov", "CKV_K8S_38"), ("polaris", "automountServiceAccountToken"), ("kubesec", "AutomountServiceAccountToken"), ("trivy", "KSV036"), ("kubescape", "C-0034"), ("kubescape", "C-0190")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for pod in &m.pods {
        let r = m.resource_of_pod(pod);
        let ns = cx.index().namespace(r);
        let (mounted, sa) = cx.index().pod_token(s, pod, ns);
        if !mounted
            || cx
                .index()
                .service_account_bindings
                .contains_key(&(ns.to_string(), sa.to_string()))
        {
            continue;
        }
        let (span, path) = match s.get_entry(pod.spec, "automountServiceAccountToken") {
            Some(e) => (
                s.span(e.value),
                m.pod_path(pod, &["automountServiceAccountToken"]),
            ),
            None => (
                pod.anchor,
                m.pod_path(pod, &["automountServiceAccountToken"]),
            ),
        };
        let mut fix = cx.fixer();
        match s.get(pod.spec, "automountServiceAccountToken") {
            Some(n) => {
                fix.set_scalar(n, Scalar::Bool(false));
            }
            None => {
                fix.set_path(
                    pod.spec,
                    &["automountServiceAccountToken"],
                    Scalar::Bool(false),
                );
            }
        }
        out.push(
            cx.finding(
                &META,
                r,
                span,
                path,
                format!("{} mounts the token of service account \"{sa}\", which no binding of the input grants any right", r.label()),
            )
            .with_fix(fix.finish(
                "Set `automountServiceAccountToken: false`".to_string(),
                Applicability::Review,
            )),
        );
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
            &deployment("automountServiceAccountToken: false", ""),
        );
        let sa = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\nautomountServiceAccountToken: false\n---\n";
        assert_pass(
            &META,
            &format!("{sa}{}", deployment("serviceAccountName: web", "")),
        );
        let bound = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects: [{kind: ServiceAccount, name: web}]\n---\n";
        assert_pass(
            &META,
            &format!("{bound}{}", deployment("serviceAccountName: web", "")),
        );
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("", ""), &[(11, "spec")]);
        assert_fail(
            &META,
            &deployment("automountServiceAccountToken: true", ""),
            &[(12, "true")],
        );
    }
}
