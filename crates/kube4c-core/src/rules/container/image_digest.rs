use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/image-digest",
    layer: Layer::Container,
    severity: Severity::Low,
    title: "Image not pinned by digest",
    what: "Container images referenced by tag without an `@sha256:` digest. Images on `latest` or without a tag are reported by container/image-latest-tag instead (by this rule when that one is off).",
    why: "Tags are mutable: whoever can push to the registry can change what `v1.0.0` means. A digest names exact bytes, so what was scanned and reviewed is what runs.",
    remediation: "Append the digest of the reviewed image: `repo/app:1.4.2@sha256:<digest>`. Tools such as `crane digest` print it.",
    example: "image: ghcr.io/org/task-api:v1.0.0@sha256:4f1c…",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Container layer, digest pinning"],
    peers: &[("checkov", "CKV_K8S_43")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        let Some(n) = s.get(c.node, "image") else {
            continue;
        };
        let Some(image) = s.str(n) else { continue };
        let (_, _, digest) = super::image_parts(image);
        // A floating tag is container/image-latest-tag's finding when that rule runs.
        let floating =
            super::image_latest_tag::floats(image) && cx.enabled(&super::image_latest_tag::META);
        if image.is_empty() || digest.is_some() || floating {
            continue;
        }
        out.push(cx.container_finding(
            &META,
            c,
            s.span(n),
            format!("{}.image", c.path),
            format!("{} uses `{image}` without a digest", m.describe(c)),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        let t = deployment("", "").replace("nginx:1.27", "nginx:1.27@sha256:0123abcd");
        assert_pass(&META, &t);
        let t = deployment("", "").replace("nginx:1.27", "nginx");
        assert_pass(&META, &t);
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("", ""), &[(14, "nginx:1.27")]);
    }
}
