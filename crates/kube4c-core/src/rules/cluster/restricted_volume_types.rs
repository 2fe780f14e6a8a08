use crate::model::{fields::names, push_key};
use crate::rules::{Context, FixAvailability, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/restricted-volume-types",
    layer: Layer::Cluster,
    severity: Severity::Medium,
    title: "Volume type outside the restricted set",
    what: "`spec.volumes[]` whose source is not one of configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret (nfs, iscsi, rbd, cephfs, gitRepo, flexVolume, cloud disks, unknown keys…). A volume with no source defaults to emptyDir and passes. hostPath is reported by cluster/host-path-volume (by this rule when that one is off).",
    why: "These sources are mounted by the node with the node's credentials and network position: they bypass PersistentVolume access control, and some (gitRepo, flexVolume) run code on the node.",
    remediation: "Use a PersistentVolumeClaim (the storage admin controls the backing volume) or a CSI driver.",
    example: "volumes:\n- name: data\n  persistentVolumeClaim:\n    claimName: task-data",
    pss: &[Pss { id: "restrictedVolumes", level: PssLevel::Restricted }],
    fix: FixAvailability::None,
    options: &[],
    references: &["Kubernetes Pod Security Standards: volume types"],
    peers: &[("trivy", "KSV028")],
};

const ALLOWED: [&str; 9] = [
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    // cluster/host-path-volume reports hostPath when it runs; when it is off, this rule does.
    let host_path_reported = cx.enabled(&super::host_path_volume::META);
    for pod in &m.pods {
        let Some(vols) = m.pod_field(pod, &[names::VOLUMES]) else {
            continue;
        };
        for vol in vols.items(s) {
            for e in s.entries(vol.node) {
                let key = s.key_str(e.key);
                if key == "name"
                    || (key == "hostPath" && host_path_reported)
                    || ALLOWED.contains(&key)
                    || s.is_null(e.value)
                {
                    continue;
                }
                let r = m.resource_of_pod(pod);
                let mut path = vol.path.clone();
                push_key(&mut path, key);
                out.push(cx.finding(
                    &META,
                    r,
                    s.span(e.key),
                    path,
                    format!("pod of {} mounts a `{key}` volume", r.label()),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(&META, &deployment("volumes:\n- name: a\n- name: b\n  emptyDir: {}\n- name: c\n  persistentVolumeClaim: {claimName: x}", ""));
    }

    #[test]
    fn fail() {
        assert_fail(&META, &deployment("volumes:\n- name: a\n  nfs: {server: nfs.local, path: /}\n- name: b\n  gitRepo: {repository: x}", ""), &[(14, "nfs"), (16, "gitRepo")]);
    }
}
