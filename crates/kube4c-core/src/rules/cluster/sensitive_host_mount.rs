use super::{host_path_volumes, runtime_socket};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/sensitive-host-mount",
    layer: Layer::Cluster,
    severity: Severity::High,
    title: "Pod mounts a sensitive node path, or a node path writable",
    what: "hostPath volumes of a sensitive path — `/`, `/etc`, `/var`, `/var/lib`, `/var/log`, `/usr` and the system binary folders themselves, and anything in `/etc/kubernetes`, `/etc/ssh`, `/etc/pki`, `/root`, `/home`, `/boot`, `/dev`, `/proc`, `/sys`, `/var/lib/kubelet`, `/var/lib/etcd`, `/var/lib/containerd`, `/var/log/pods`, `/var/log/containers` — and hostPath volumes any container mounts without `readOnly: true`. Paths are compared after folding `//`, `.`, `..` and trailing slashes. Runtime sockets are cluster/container-runtime-socket's.",
    why: "These paths hold the node's credentials (kubelet and control-plane keys, kubeconfigs), every pod's Secrets and logs, and the kernel's own interfaces. Write access to any node path lets a container plant binaries, cron jobs or static pods that run as root on the node.",
    remediation: "Mount only the file a node agent needs, read-only (`readOnly: true` on the volumeMount), in a namespace reserved for node agents; prefer emptyDir, ConfigMaps and PersistentVolumeClaims for application data.",
    example: "volumeMounts:\n- name: node-logs\n  mountPath: /host/logs/pods\n  readOnly: true",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.2.12", "4C model: Cluster layer, node security"],
    peers: &[("kube-linter", "sensitive-host-mounts"), ("kube-linter", "writable-host-mount")],
};

/// Trees whose every path is sensitive.
const TREES: &[&str] = &[
    "/etc/kubernetes",
    "/etc/ssh",
    "/etc/sudoers.d",
    "/etc/pki",
    "/etc/ssl/private",
    "/root",
    "/home",
    "/boot",
    "/dev",
    "/proc",
    "/sys",
    "/var/lib/kubelet",
    "/var/lib/etcd",
    "/var/lib/containerd",
    "/var/log/pods",
    "/var/log/containers",
];

/// Folders sensitive as a whole (what is below them may be one agent's own files).
const EXACT: &[&str] = &[
    "/",
    "/etc",
    "/etc/shadow",
    "/etc/passwd",
    "/etc/sudoers",
    "/var",
    "/var/lib",
    "/var/log",
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/opt",
];

fn sensitive(path: &str) -> bool {
    EXACT.contains(&path)
        || TREES
            .iter()
            .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for pod in &m.pods {
        for (i, v, e, path, node) in host_path_volumes(s, pod.spec) {
            if runtime_socket(&path).is_some() && cx.enabled(&super::container_runtime_socket::META)
            {
                continue;
            }
            let name = s.get(v, "name").and_then(|n| s.str(n)).unwrap_or("");
            // Containers that mount the volume without readOnly.
            let writers: Vec<&str> = m
                .containers_of(pod)
                .iter()
                .filter(|c| {
                    s.get(c.node, "volumeMounts").is_some_and(|l| {
                        s.items(l).iter().any(|&vm| {
                            s.get(vm, "name").and_then(|n| s.str(n)) == Some(name)
                                && s.get(vm, "readOnly").and_then(|n| s.bool(n)) != Some(true)
                        })
                    })
                })
                .map(|c| c.name)
                .collect();
            let is_sensitive = sensitive(&path);
            if !is_sensitive && writers.is_empty() {
                continue;
            }
            let r = m.resource_of_pod(pod);
            let what = if is_sensitive {
                "the sensitive node path"
            } else {
                "the node path"
            };
            let how = if writers.is_empty() {
                String::from(" (read-only)")
            } else {
                format!(
                    ", writable by {}",
                    writers
                        .iter()
                        .map(|w| format!("\"{w}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            out.push(cx.finding(
                &META,
                r,
                s.span(node.unwrap_or(e.key)),
                format!("{}.volumes[{i}].hostPath.path", pod.path),
                format!("{} mounts {what} {path}{how}", r.label()),
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
        assert_pass(
            &META,
            &deployment(
                "volumes:\n- name: x\n  hostPath: {path: /opt/data}",
                "volumeMounts:\n- {name: x, mountPath: /data, readOnly: true}",
            ),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment(
                "volumes:\n- name: x\n  hostPath: {path: /etc/../etc/}",
                "volumeMounts:\n- {name: x, mountPath: /data, readOnly: true}",
            ),
            &[(14, "/etc/../etc/")],
        );
        assert_fail(
            &META,
            &deployment(
                "volumes:\n- name: x\n  hostPath: {path: /opt/data}",
                "volumeMounts:\n- {name: x, mountPath: /data}",
            ),
            &[(14, "/opt/data")],
        );
    }
}
