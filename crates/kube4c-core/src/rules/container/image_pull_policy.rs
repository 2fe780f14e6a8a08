use super::image_parts;
use crate::fix::{Applicability, Scalar};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/image-pull-policy",
    layer: Layer::Container,
    severity: Severity::Low,
    title: "Mutable image tag without `imagePullPolicy: Always`",
    what: "Containers whose image has no digest and whose `imagePullPolicy` is `IfNotPresent` or `Never` — written, or the default for a tag other than `latest`.",
    why: "A tag can be moved. With IfNotPresent each node runs whatever it pulled first under that tag: nodes disagree about what the workload is, a fixed image never reaches nodes that cached the old one, and a pod can start from an image another tenant pulled onto the node without being authorised to pull it (Always makes the kubelet check the pod's own credentials).",
    remediation: "Pin the image by digest (`image: repo@sha256:…`), or set `imagePullPolicy: Always` (and enable the AlwaysPullImages admission plugin on shared clusters).",
    example: "image: registry.example.com/web:1.4.2\nimagePullPolicy: Always",
    pss: &[],
    fix: FixAvailability::Always,
    options: &[],
    references: &["CIS Kubernetes 1.2.11 (AlwaysPullImages)"],
    peers: &[("checkov", "CKV_K8S_15"), ("polaris", "pullPolicyNotAlways"), ("kube-score", "container-image-pull-policy")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        let Some(image) = s.get(c.node, "image").and_then(|n| s.str(n)) else {
            continue;
        };
        let (_, tag, digest) = image_parts(image);
        if digest.is_some() {
            continue;
        }
        let policy = s.get_entry(c.node, "imagePullPolicy");
        let written = policy.and_then(|e| s.str(e.value));
        let effective = written.unwrap_or(match tag {
            None | Some("latest") => "Always",
            Some(_) => "IfNotPresent",
        });
        if effective == "Always" {
            continue;
        }
        let mut fix = cx.fixer();
        let (span, how) = match policy {
            Some(e) => {
                fix.set_scalar(e.value, Scalar::Str("Always"));
                (s.span(e.value), format!("imagePullPolicy {effective}"))
            }
            None => {
                fix.set_path(c.node, &["imagePullPolicy"], Scalar::Str("Always"));
                let img = s
                    .get(c.node, "image")
                    .map_or(m.container_name_span(c), |n| s.span(n));
                (img, "the default imagePullPolicy IfNotPresent".to_string())
            }
        };
        out.push(
            cx.container_finding(
                &META,
                c,
                span,
                m.container_path(c, &["imagePullPolicy"]),
                format!(
                    "{} runs mutable tag {image} with {how}: nodes keep whatever they pulled first",
                    m.describe(c)
                ),
            )
            .with_fix(fix.finish(
                "Set `imagePullPolicy: Always`".to_string(),
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
        assert_pass(&META, &deployment("", "imagePullPolicy: Always"));
        assert_pass(
            &META,
            &deployment("", "").replace(
                "nginx:1.27",
                "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            ),
        );
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("", ""), &[(14, "nginx:1.27")]);
        assert_fail(
            &META,
            &deployment("", "imagePullPolicy: IfNotPresent"),
            &[(15, "IfNotPresent")],
        );
    }
}
