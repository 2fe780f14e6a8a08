use crate::rules::{Context, FixAvailability, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/host-path-volume",
    layer: Layer::Cluster,
    severity: Severity::High,
    title: "Pod mounts a path of the node",
    what: "`spec.volumes[].hostPath` in a PodSpec.",
    why: "A hostPath volume hands the node's filesystem to the pod: mounting `/`, `/var/run/containerd.sock` or `/etc` is a direct route to root on the node, and even read-only mounts leak other pods' secrets and logs.",
    remediation: "Use `emptyDir`, a ConfigMap/Secret, or a PersistentVolumeClaim. Node agents that need host paths belong in a dedicated namespace with an exception.",
    example: "volumes:\n- name: cache\n  emptyDir: {}",
    pss: &[
        Pss { id: "hostPathVolumes", level: PssLevel::Baseline },
        Pss { id: "restrictedVolumes", level: PssLevel::Restricted },
    ],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.2.12", "4C model: Cluster layer, node security"],
    peers: &[("trivy", "KSV023")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for pod in &m.pods {
        let Some(vols) = s.get(pod.spec, "volumes") else {
            continue;
        };
        for (i, &v) in s.items(vols).iter().enumerate() {
            let Some(e) = s.get_entry(v, "hostPath") else {
                continue;
            };
            let path = s.get(e.value, "path").and_then(|p| s.str(p)).unwrap_or("?");
            let r = m.resource_of_pod(pod);
            out.push(cx.finding(
                &META,
                r,
                s.span(e.key),
                format!("{}.volumes[{i}].hostPath", pod.path),
                format!("pod of {} mounts the node path `{path}`", r.label()),
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
            &deployment("volumes:\n- name: tmp\n  emptyDir: {}", ""),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("volumes:\n- name: root\n  hostPath:\n    path: /", ""),
            &[(14, "hostPath")],
        );
    }
}
