//! Container layer: one container's runtime and image.

pub mod allow_privilege_escalation;
pub mod apparmor_profile;
pub mod capabilities_drop_all;
pub mod dangerous_capabilities;
pub mod image_digest;
pub mod image_latest_tag;
pub mod privileged;
pub mod proc_mount;
pub mod read_only_root_filesystem;
pub mod resource_limits;
pub mod run_as_non_root;
pub mod run_as_root_user;
pub mod seccomp_profile;
pub mod selinux_options;

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
