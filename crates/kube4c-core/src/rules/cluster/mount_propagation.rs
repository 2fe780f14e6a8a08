use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/mount-propagation",
    layer: Layer::Cluster,
    severity: Severity::High,
    title: "Mounts made in the container propagate to the node",
    what: "`volumeMounts[].mountPropagation: Bidirectional` in any container.",
    why: "With Bidirectional propagation, mounts the container makes appear on the node and in every pod sharing the path: a compromised container can shadow node directories or other pods' volumes. Kubernetes allows it only in privileged containers for that reason.",
    remediation: "Use `HostToContainer` (or the default `None`) unless the container is a storage driver that must publish mounts to the node.",
    example: "volumeMounts:\n- name: data\n  mountPath: /data\n  mountPropagation: HostToContainer",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["Kubernetes: volumes, mount propagation"],
    peers: &[],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        let Some(list) = s.get(c.node, "volumeMounts") else {
            continue;
        };
        for (i, &vm) in s.items(list).iter().enumerate() {
            let Some(p) = s.get(vm, "mountPropagation") else {
                continue;
            };
            if s.str(p) != Some("Bidirectional") {
                continue;
            }
            let name = s.get(vm, "mountPath").and_then(|n| s.str(n)).unwrap_or("?");
            out.push(cx.container_finding(
                &META,
                c,
                s.span(p),
                format!("{}.volumeMounts[{i}].mountPropagation", c.path),
                format!(
                    "{} propagates mounts under {name} back to the node",
                    m.describe(c)
                ),
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
                "",
                "volumeMounts:\n- {name: d, mountPath: /d, mountPropagation: HostToContainer}",
            ),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment(
                "",
                "volumeMounts:\n- name: d\n  mountPath: /d\n  mountPropagation: Bidirectional",
            ),
            &[(18, "Bidirectional")],
        );
    }
}
