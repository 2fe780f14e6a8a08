use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/image-latest-tag",
    layer: Layer::Container,
    severity: Severity::Medium,
    title: "Image uses :latest or no tag",
    what: "Container images with the tag `latest` or with no tag and no digest (which means `latest`).",
    why: "A moving tag makes the running code depend on when a node pulled the image: two replicas can run different code, a rollback restores nothing, and a poisoned push reaches production on the next restart.",
    remediation: "Pin a released version tag, and better, the image digest (`image: repo/app:1.4.2@sha256:…`).",
    example: "image: ghcr.io/org/task-api:v1.0.0@sha256:4f1c…",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Container layer, digest pinning", "NSA/CISA Kubernetes Hardening: image integrity"],
    peers: &[
        ("kube-linter", "latest-tag"),
        ("checkov", "CKV_K8S_14"),
        ("polaris", "tagNotSpecified"),
        ("trivy", "KSV013"),
    ],
};

/// True when the image reference floats on `latest` (explicitly or by omission).
pub fn floats(image: &str) -> bool {
    let (_, tag, digest) = super::image_parts(image);
    digest.is_none() && matches!(tag, None | Some("latest"))
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        let Some(n) = cx.stream.get(c.node, "image") else {
            continue;
        };
        let Some(image) = s.str(n) else { continue };
        if !image.is_empty() && floats(image) {
            out.push(cx.container_finding(
                &META,
                c,
                s.span(n),
                format!("{}.image", c.path),
                format!("{} uses the moving image `{image}`", m.describe(c)),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(&META, &deployment("", ""));
        assert_pass(&META, &deployment("", "initContainers: []"));
    }

    #[test]
    fn fail() {
        let t = deployment("", "").replace("nginx:1.27", "nginx:latest");
        assert_fail(&META, &t, &[(14, "nginx:latest")]);
        let t = deployment("", "").replace("nginx:1.27", "\"registry:5000/team/nginx\"");
        assert_fail(&META, &t, &[(14, "\"registry:5000/team/nginx\"")]);
    }
}
