use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "code/secret-env-reference",
    layer: Layer::Code,
    severity: Severity::Info,
    title: "Secret read into environment variables",
    what: "Containers that read a Secret into environment variables: `env[].valueFrom.secretKeyRef` and `envFrom[].secretRef`. Informational: this is the recommended way to keep secrets out of manifests (see code/env-literal-secret); mounting the Secret as files is better still.",
    why: "Environment variables leak more easily than files: they are inherited by every child process, printed by debug endpoints and crash reporters, and visible in `/proc/<pid>/environ` to processes of the same user. A Secret mounted as a file can also be rotated without restarting the pod.",
    remediation: "Mount the Secret as a volume and have the application read the file (`*_FILE` variables are a common convention); keep env references for software that cannot read files.",
    example: "volumeMounts:\n- name: db\n  mountPath: /run/secrets/db\n  readOnly: true\nvolumes:\n- name: db\n  secret:\n    secretName: db",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.4.1", "Kubernetes: good practices for Secrets"],
    peers: &[("checkov", "CKV_K8S_35"), ("kube-linter", "read-secret-from-env-var"), ("kubesec", "SecretsAsEnvironmentVariables"), ("kubescape", "C-0207")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        if let Some(env) = m.container_field(c, &["env"]) {
            for e in env.items(s) {
                let Some(r) = e.at(s, &["valueFrom", "secretKeyRef"]) else {
                    continue;
                };
                let name = s.get(e.node, "name").and_then(|n| s.str(n)).unwrap_or("?");
                let secret = s.get(r.node, "name").and_then(|n| s.str(n)).unwrap_or("?");
                let span = s
                    .get_entry(e.node, "valueFrom")
                    .map_or(s.span(r.node), |v| s.span(v.key));
                out.push(cx.container_finding(
                    &META,
                    c,
                    span,
                    r.path.clone(),
                    format!(
                        "{} reads Secret \"{secret}\" into env {name}",
                        m.describe(c)
                    ),
                ));
            }
        }
        if let Some(from) = m.container_field(c, &["envFrom"]) {
            for e in from.items(s) {
                let Some(r) = e.child(s, "secretRef") else {
                    continue;
                };
                let secret = s.get(r.node, "name").and_then(|n| s.str(n)).unwrap_or("?");
                let span = s
                    .get_entry(e.node, "secretRef")
                    .map_or(s.span(r.node), |v| s.span(v.key));
                out.push(cx.container_finding(
                    &META,
                    c,
                    span,
                    r.path.clone(),
                    format!(
                        "{} reads every key of Secret \"{secret}\" into its environment",
                        m.describe(c)
                    ),
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
                "",
                "env:\n- {name: A, valueFrom: {configMapKeyRef: {name: c, key: a}}}",
            ),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("", "env:\n- name: DB\n  valueFrom:\n    secretKeyRef: {name: db, key: pw}\nenvFrom:\n- secretRef: {name: api}"),
            &[(17, "valueFrom"), (20, "secretRef")],
        );
    }
}
