use crate::rules::secrets::{
    cloud_credential, high_entropy, hit_span, key_name, plausible_secret_literal, scan, secret_name,
};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "code/env-literal-secret",
    layer: Layer::Code,
    severity: Severity::High,
    title: "Credential written as a literal env value",
    what: "Container `env` entries with a literal `value` that is a credential: a password inside a URL (`postgres://user:pass@…`, pointed at the password itself), a private key, a known token format (GitHub, GitLab, Slack, Stripe, npm, JWT), or any non-trivial value of a variable named like a secret (`*PASSWORD*`, `*TOKEN*`, `*SECRET*`, `*API_KEY*`…), or a random-looking value (16+ characters, 3.5+ bits of entropy per character) of a variable named like a key (`SIGNING_KEY`, `ENCRYPTION_KEY`, `*_KEY_CONTENT`). Token formats are found anywhere in the value and pointed at exactly. Placeholders (`changeme`, `<token>`, `${VAR}`, `your-…`) are not reported. References (`$(VAR)`), paths and names ending in `_FILE`/`_PATH` are not reported. Cloud provider keys are reported by cloud/env-cloud-credentials (by this rule when that one is off).",
    why: "A literal in the manifest is a secret in Git, in CI logs, in `kubectl describe` output and readable by anyone who may read the workload. It also cannot be rotated without a redeploy.",
    remediation: "Store the value in a Secret (or an external secret store) and reference it with `valueFrom.secretKeyRef`; rotate the exposed value.",
    example: "env:\n- name: DATABASE_URL\n  valueFrom:\n    secretKeyRef:\n      name: task-api-db\n      key: url",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Code layer, secrets from env mounted from a Kubernetes Secret"],
    peers: &[("kube-linter", "env-var-secret")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        for env in m.env_literals(c) {
            let (name, value) = (env.name, env.value);
            // cloud/env-cloud-credentials reports cloud keys when it runs.
            if cloud_credential(name, value).is_some()
                && cx.enabled(&crate::rules::cloud::env_cloud_credentials::META)
            {
                continue;
            }
            let (what, span) = if let Some(h) = scan(value) {
                (h.what, hit_span(s, env.node, value, h))
            } else if secret_name(name) && plausible_secret_literal(value) {
                ("a literal secret", s.span(env.node))
            } else if key_name(name) && high_entropy(value) {
                ("a literal key", s.span(env.node))
            } else {
                continue;
            };
            out.push(cx.container_finding(
                &META,
                c,
                span,
                format!("{}.env[{}].value", c.path, env.index),
                format!("{} has {what} in env {name}", m.describe(c)),
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
        assert_pass(&META, &deployment("", "env:\n- name: LOG_LEVEL\n  value: debug\n- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef: {name: db, key: password}\n- name: PASSWORD_FILE\n  value: /run/secrets/db\n- name: DATABASE_URL\n  value: postgres://app:$(DB_PASSWORD)@db:5432/tasks\n- name: API_TOKEN\n  value: \"\""));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("", "env:\n- name: DATABASE_URL\n  value: postgres://app:s3cret@db:5432/tasks\n- name: API_TOKEN\n  value: \"tok-1234567890\"\n- name: GH\n  value: ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            &[(17, "s3cret"), (19, "\"tok-1234567890\""), (21, "ghp_abcdefghijklmnopqrstuvwxyz0123456789")],
        );
    }
}
