use super::{host_path_volumes, runtime_socket};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/container-runtime-socket",
    layer: Layer::Cluster,
    severity: Severity::Critical,
    title: "Pod mounts the container runtime's socket",
    what: "hostPath volumes whose path — after folding `//`, `.`, `..`, trailing slashes and `/var/run` → `/run` — is a container runtime socket (Docker, containerd, CRI-O, cri-dockerd, k3s, Podman), `/var/lib/docker`, or a folder above one of them (`/run`, `/run/containerd`, `/`).",
    why: "The runtime socket is root on the node: whoever can talk to it starts a privileged container with the host's filesystem, reads every other container's environment and files, and hides from Kubernetes' own controls. Pod Security's hostPath ban is the only thing in the API that stops it.",
    remediation: "Do not mount the runtime socket. Build images with rootless builders (BuildKit rootless, kaniko), and read runtime data through the kubelet or the CRI API of a dedicated, audited node agent.",
    example: "volumes:\n- name: cache\n  emptyDir: {}",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.2.12", "4C model: Cluster layer, node security"],
    peers: &[("kube-linter", "docker-sock"), ("checkov", "CKV_K8S_27"), ("kubesec", "DockerSock"), ("trivy", "KSV006")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for pod in &m.pods {
        for (i, _, e, path, node) in host_path_volumes(s, pod.spec) {
            let Some(sock) = runtime_socket(&path) else {
                continue;
            };
            let r = m.resource_of_pod(pod);
            let reach = if path == sock {
                String::new()
            } else if path == "/" {
                " (the node's whole filesystem, runtime sockets included)".to_string()
            } else {
                format!(", which holds {sock}")
            };
            out.push(cx.finding(
                &META,
                r,
                s.span(node.unwrap_or(e.key)),
                format!("{}.volumes[{i}].hostPath.path", pod.path),
                format!("{} mounts {path}{reach}: the container runtime's socket gives root on the node", r.label()),
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
            &deployment("volumes:\n- name: x\n  hostPath: {path: /run/user}", ""),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("volumes:\n- name: x\n  hostPath: {path: /var/run//docker.sock}\n- name: y\n  hostPath:\n    path: /run/containerd/", ""),
            &[(14, "/var/run//docker.sock"), (17, "/run/containerd/")],
        );
    }
}
