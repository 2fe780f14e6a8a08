use crate::fix::{Applicability, Scalar};
use crate::model::{fields::names, push_key};
use crate::rules::{Context, FixAvailability, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/apparmor-profile",
    layer: Layer::Container,
    severity: Severity::Medium,
    title: "AppArmor turned off",
    what: "`appArmorProfile.type` other than `RuntimeDefault` or `Localhost` at pod or container level, and `container.apparmor.security.beta.kubernetes.io/*` annotations other than `runtime/default` or `localhost/…` on the pod (template).",
    why: "AppArmor confines what files, capabilities and mounts a container process may use. `Unconfined` removes that layer, so a breakout exploit meets one barrier fewer.",
    remediation: "Remove the override (the runtime default profile applies) or set `appArmorProfile.type: RuntimeDefault`.",
    example: "securityContext:\n  appArmorProfile:\n    type: RuntimeDefault",
    pss: &[Pss { id: "appArmorProfile", level: PssLevel::Baseline }],
    fix: FixAvailability::Always,
    options: &[],
    references: &["CIS Kubernetes 5.7.4"],
    peers: &[("kubesec", "ApparmorAny")],
};

const ANNOTATION: &str = "container.apparmor.security.beta.kubernetes.io/";

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for pod in &m.pods {
        let r = m.resource_of_pod(pod);
        if let Some(meta) = pod.metadata {
            if let Some(ann) = s.get(meta, "annotations") {
                for e in s.entries(ann) {
                    let key = s.key_str(e.key);
                    if !key.starts_with(ANNOTATION) {
                        continue;
                    }
                    let v = s.scalar_text(e.value).unwrap_or_default();
                    if !(v.is_empty() || v == "runtime/default" || v.starts_with("localhost/")) {
                        let mut path = pod.meta_path.clone();
                        push_key(&mut path, "annotations");
                        push_key(&mut path, key);
                        let mut fix = cx.fixer();
                        fix.set_scalar(e.value, Scalar::Str("runtime/default"));
                        out.push(
                            cx.finding(
                                &META,
                                r,
                                s.span(e.value),
                                path,
                                format!(
                                    "pod of {} sets AppArmor `{v}` for {}",
                                    r.label(),
                                    &key[ANNOTATION.len()..]
                                ),
                            )
                            .with_fix(fix.finish(
                                "Use the runtime's default AppArmor profile",
                                Applicability::Review,
                            )),
                        );
                    }
                }
            }
        }
    }
    for set in m.explicit_settings("appArmorProfile") {
        let t = s.get(set.node, "type");
        let v = t.and_then(|t| s.str(t)).unwrap_or("");
        if v != "RuntimeDefault" && v != "Localhost" {
            let mut fix = cx.fixer();
            match t {
                Some(t) => fix.set_scalar(t, Scalar::Str("RuntimeDefault")),
                None => fix.set_path(set.node, &[names::TYPE], Scalar::Str("RuntimeDefault")),
            };
            out.push(
                cx.finding(
                    &META,
                    set.resource,
                    t.map_or_else(|| s.span(set.node), |t| s.span(t)),
                    format!("{}.type", set.path),
                    format!("{} uses AppArmor profile `{v}`", set.who),
                )
                // The author chose to run unconfined: a workload may rely on it.
                .with_fix(fix.finish(
                    "Use the `RuntimeDefault` AppArmor profile",
                    Applicability::Review,
                )),
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
                "securityContext:\n  appArmorProfile: {type: RuntimeDefault}",
                "",
            ),
        );
        let t = deployment("", "").replace("      labels:\n", "      annotations:\n        container.apparmor.security.beta.kubernetes.io/app: localhost/k8s-app\n      labels:\n");
        assert_pass(&META, &t);
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment(
                "",
                "securityContext:\n  appArmorProfile:\n    type: Unconfined",
            ),
            &[(17, "Unconfined")],
        );
        let t = deployment("", "").replace("      labels:\n", "      annotations:\n        container.apparmor.security.beta.kubernetes.io/app: unconfined\n      labels:\n");
        assert_fail(&META, &t, &[(10, "unconfined")]);
    }
}
