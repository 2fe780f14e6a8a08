//! Container layer: one container's runtime and image.

pub mod allow_privilege_escalation;
pub mod apparmor_profile;
pub mod capabilities_drop_all;
pub mod capability_case;
pub mod cpu_limit;
pub mod dangerous_capabilities;
pub mod ephemeral_storage_limit;
pub mod image_digest;
pub mod image_latest_tag;
pub mod image_pull_policy;
pub mod liveness_probe;
pub mod privileged;
pub mod privileged_port;
pub mod proc_mount;
pub mod read_only_root_filesystem;
pub mod readiness_probe;
pub mod resource_limits;
pub mod resource_requests;
pub mod risky_command;
pub mod root_group;
pub mod run_as_non_root;
pub mod run_as_root_user;
pub mod run_as_user_floor;
pub mod seccomp_profile;
pub mod selinux_options;

/// The resources of `required` a container does not set in `resources.<section>` (`limits`
/// or `requests`), with where to point: the section key, else `resources`, else the name.
/// Ephemeral containers take no resources and are skipped (None). A request left unset
/// defaults to the limit, so a set limit counts as a request.
pub(crate) fn missing_resources<'r>(
    m: &crate::model::Model,
    c: &crate::model::Container,
    section: &str,
    required: &[&'r str],
) -> Option<(Vec<&'r str>, crate::document::Span)> {
    if c.kind == crate::model::ContainerKind::Ephemeral {
        return None;
    }
    let s = m.stream;
    let resources = s.get_entry(c.node, "resources");
    let entry = |sec: &str| resources.and_then(|r| s.get_entry(r.value, sec));
    let has = |sec: &str, k: &str| {
        entry(sec)
            .and_then(|l| s.get(l.value, k))
            .is_some_and(|v| !s.is_null(v))
    };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|k| !(has(section, k) || section == "requests" && has("limits", k)))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let span = match (entry(section), resources) {
        (Some(l), _) => s.span(l.key),
        (None, Some(r)) => s.span(r.key),
        _ => m.container_name_span(c),
    };
    Some((missing, span))
}

/// Regular containers of long-running workloads (not Jobs, CronJobs or KEDA ScaledJobs) that
/// lack the probe `field` (`livenessProbe`, `readinessProbe`), reported at their name.
pub(crate) fn missing_probe(
    cx: &crate::rules::Context,
    meta: &'static crate::rules::RuleMeta,
    field: &str,
    what: &str,
    out: &mut Vec<crate::Finding>,
) {
    let m = cx.model;
    let s = cx.stream;
    for pod in &m.pods {
        let r = m.resource_of_pod(pod);
        if r.is("batch", "Job") || r.is("batch", "CronJob") || r.is("keda.sh", "ScaledJob") {
            continue;
        }
        for c in m.containers_of(pod) {
            if c.kind != crate::model::ContainerKind::Regular || s.get(c.node, field).is_some() {
                continue;
            }
            out.push(cx.container_finding(
                meta,
                c,
                m.container_name_span(c),
                m.container_path(c, &[field]),
                format!("{} has no {what} probe", m.describe(c)),
            ));
        }
    }
}

/// Split an image reference into (name, tag, digest).
pub(crate) fn image_parts(image: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    match rest[last_slash..].rfind(':') {
        Some(c) => {
            let c = last_slash + c;
            (&rest[..c], Some(&rest[c + 1..]), digest)
        }
        None => (rest, None, digest),
    }
}

#[cfg(test)]
mod tests {
    use super::image_parts;

    #[test]
    fn parts() {
        assert_eq!(image_parts("nginx"), ("nginx", None, None));
        assert_eq!(image_parts("nginx:1.27"), ("nginx", Some("1.27"), None));
        assert_eq!(
            image_parts("localhost:5000/app"),
            ("localhost:5000/app", None, None)
        );
        assert_eq!(
            image_parts("r.io/a/b:v1@sha256:ab"),
            ("r.io/a/b", Some("v1"), Some("sha256:ab"))
        );
    }
}
