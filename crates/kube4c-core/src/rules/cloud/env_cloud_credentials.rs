use crate::rules::secrets::cloud_credential;
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cloud/env-cloud-credentials",
    layer: Layer::Cloud,
    severity: Severity::Critical,
    title: "Cloud credentials written in the manifest",
    what: "Literal container `env` values that are cloud credentials: `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, an AWS access key id (`AKIA…`/`ASIA…`), Azure client secrets and storage keys or connection strings, GCP service-account key JSON, Google API keys.",
    why: "Static cloud keys in a manifest end up in Git history, CI logs and every copy of the cluster's etcd. Whoever reads them controls your cloud account: they can delete clusters, read data and run miners on your bill.",
    remediation: "Remove the key and rotate it now. Use workload identity (EKS Pod Identity / IRSA, GKE Workload Identity, Azure Workload Identity) so pods get short-lived credentials; if a static key is unavoidable, keep it in a Secret and reference it with `valueFrom.secretKeyRef`.",
    example: "serviceAccountName: task-api  # bound to a cloud IAM role by workload identity",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Cloud layer, IAM roles instead of static credentials", "4C model: attack scenario 'stolen cloud credentials'", "Outside the Kubernetes check lists: Checkov's secrets scanner CKV_SECRET_2 and Trivy's secret rule aws-secret-access-key"],
    peers: &[],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        for env in m.env_literals(c) {
            if let Some(what) = cloud_credential(env.name, env.value) {
                out.push(cx.container_finding(
                    &META,
                    c,
                    s.span(env.node),
                    format!("{}.env[{}].value", c.path, env.index),
                    format!("{} has {what} written in env {}", m.describe(c), env.name),
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
        assert_pass(&META, &deployment("", "env:\n- name: AWS_REGION\n  value: eu-west-1\n- name: AWS_SECRET_ACCESS_KEY\n  valueFrom:\n    secretKeyRef: {name: aws, key: secret}"));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("", "env:\n- name: AWS_ACCESS_KEY_ID\n  value: AKIAIOSFODNN7EXAMPLE\n- name: AWS_SECRET_ACCESS_KEY\n  value: \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\""),
            &[(17, "AKIAIOSFODNN7EXAMPLE"), (19, "\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"")],
        );
    }
}
