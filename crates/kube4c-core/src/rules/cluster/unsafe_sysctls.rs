use crate::rules::{Context, FixAvailability, Pss, PssLevel, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/unsafe-sysctls",
    layer: Layer::Cluster,
    severity: Severity::High,
    title: "Pod sets a sysctl outside the safe set",
    what: "`spec.securityContext.sysctls[].name` not in the Pod Security safe set (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes, net.ipv4.tcp_rmem, net.ipv4.tcp_wmem, net.ipv4.tcp_slow_start_after_idle, net.ipv4.tcp_notsent_lowat).",
    why: "Unsafe sysctls are not namespaced per pod: changing them changes the node's kernel for every workload on it, or lets one pod starve or destabilise the node.",
    remediation: "Drop the sysctl, or run the workload on dedicated nodes whose kubelet allows it explicitly.",
    example: "securityContext:\n  sysctls:\n  - name: net.ipv4.ip_unprivileged_port_start\n    value: \"80\"",
    pss: &[Pss { id: "sysctls", level: PssLevel::Baseline }],
    fix: FixAvailability::None,
    options: &[],
    references: &["Kubernetes Pod Security Standards: sysctls (v1.37 list)"],
    peers: &[("trivy", "KSV026")],
};

const SAFE: [&str; 14] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
    "net.ipv4.tcp_slow_start_after_idle",
    "net.ipv4.tcp_notsent_lowat",
];

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for pod in &m.pods {
        let Some(list) = m.pod_setting(pod, "sysctls") else {
            continue;
        };
        for (i, &item) in s.items(list).iter().enumerate() {
            let Some(n) = s.get(item, "name") else {
                continue;
            };
            let name = s.scalar_text(n).unwrap_or_default();
            if !SAFE.contains(&name.as_ref()) {
                let r = m.resource_of_pod(pod);
                out.push(cx.finding(
                    &META,
                    r,
                    s.span(n),
                    format!("{}.securityContext.sysctls[{i}].name", pod.path),
                    format!("pod of {} sets the node-wide sysctl {name}", r.label()),
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
        assert_pass(
            &META,
            &deployment(
                "securityContext:\n  sysctls:\n  - {name: net.ipv4.tcp_syncookies, value: \"1\"}",
                "",
            ),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment(
                "securityContext:\n  sysctls:\n  - name: kernel.msgmax\n    value: \"65536\"",
                "",
            ),
            &[(14, "kernel.msgmax")],
        );
    }
}
