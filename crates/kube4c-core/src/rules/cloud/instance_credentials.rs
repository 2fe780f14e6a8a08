use crate::rules::cluster::host_path_volumes;
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cloud/instance-credentials",
    layer: Layer::Cloud,
    severity: Severity::High,
    title: "Workload reaches the node's cloud credentials",
    what: "hostPath volumes of the files where nodes keep cloud credentials (`/etc/kubernetes/azure.json`, `/etc/kubernetes/cloud-config`, `/etc/kubernetes/cloud.conf`, `~/.aws`, `~/.azure`, `~/.config/gcloud` of root or any home, `/var/lib/waagent`), and containers whose command, arguments or environment name the instance metadata service (`169.254.169.254`, `fd00:ec2::254`, `metadata.google.internal`, `100.100.100.200`).",
    why: "The node's cloud identity is usually far stronger than any pod's: it can pull every image, read other node volumes, or — with the instance profiles many clusters still use — reach S3 buckets and databases. A pod that reads the node's credential file or asks the metadata service for its token takes that identity out of the cluster, which is how several public Kubernetes breaches went from one pod to the cloud account.",
    remediation: "Give pods their own cloud identity (EKS Pod Identity or IRSA, GKE Workload Identity, Azure Workload Identity); block the metadata service from pods (IMDSv2 with hop limit 1, GKE metadata server, an egress NetworkPolicy) and never mount the node's cloud configuration.",
    example: "spec:\n  serviceAccountName: uploader  # bound to a cloud role with workload identity",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Cloud layer, instance metadata and IAM", "MITRE ATT&CK T1552.005 (cloud instance metadata API)"],
    peers: &[("kubescape", "C-0052")],
};

const FILES: [&str; 5] = [
    "/etc/kubernetes/azure.json",
    "/etc/kubernetes/cloud-config",
    "/etc/kubernetes/cloud.conf",
    "/var/lib/waagent",
    "/etc/gcp",
];

const HOME_DIRS: [&str; 3] = [".aws", ".azure", ".config/gcloud"];

const ENDPOINTS: [&str; 4] = [
    "169.254.169.254",
    "fd00:ec2::254",
    "metadata.google.internal",
    "100.100.100.200",
];

fn credential_path(path: &str) -> bool {
    if FILES
        .iter()
        .any(|f| path == *f || path.starts_with(&format!("{f}/")))
    {
        return true;
    }
    let homes = path.strip_prefix("/root/").or_else(|| {
        path.strip_prefix("/home/")
            .and_then(|rest| rest.split_once('/').map(|(_, r)| r))
    });
    homes.is_some_and(|rest| {
        HOME_DIRS
            .iter()
            .any(|d| rest == *d || rest.starts_with(&format!("{d}/")))
    })
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for pod in &m.pods {
        for (i, _, e, path, node) in host_path_volumes(s, pod.spec) {
            if credential_path(&path) {
                let r = m.resource_of_pod(pod);
                out.push(cx.finding(
                    &META,
                    r,
                    s.span(node.unwrap_or(e.key)),
                    format!("{}.volumes[{i}].hostPath.path", pod.path),
                    format!("{} mounts the node's cloud credentials ({path})", r.label()),
                ));
            }
        }
    }
    for c in &m.containers {
        let mut strings = Vec::new();
        for field in ["command", "args"] {
            if let Some(list) = m.container_field(c, &[field]) {
                strings.extend(list.items(s));
            }
        }
        if let Some(env) = m.container_field(c, &["env"]) {
            strings.extend(env.items(s).filter_map(|e| e.child(s, "value")));
        }
        for f in strings {
            let Some(text) = s.str(f.node) else { continue };
            if let Some(ep) = ENDPOINTS.iter().find(|ep| text.contains(*ep)) {
                out.push(cx.field_finding(
                    &META,
                    m.resource_of(c),
                    &f,
                    format!(
                        "{} calls the instance metadata service ({ep}): the node's cloud identity",
                        m.describe(c)
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{credential_path, META};
    use crate::rules::testing::*;

    #[test]
    fn paths() {
        assert!(credential_path("/root/.aws"));
        assert!(credential_path("/home/ec2-user/.aws/credentials"));
        assert!(credential_path("/etc/kubernetes/azure.json"));
        assert!(!credential_path("/home/ec2-user/app"));
    }

    #[test]
    fn pass() {
        assert_pass(
            &META,
            &deployment("", "env:\n- {name: URL, value: \"http://api.shop.svc\"}"),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("volumes:\n- name: aws\n  hostPath: {path: /root/.aws}", "args: [\"curl -s http://169.254.169.254/latest/meta-data/iam/security-credentials/\"]"),
            &[(14, "/root/.aws"), (18, "\"curl -s http://169.254.169.254/latest/meta-data/iam/security-credentials/\"")],
        );
    }
}
