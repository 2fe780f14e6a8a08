use crate::rules::secrets::{
    cloud_credential, high_entropy, hit_span, key_name, plausible_secret_literal, scan, scan_lines,
    secret_name,
};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "code/configmap-secret",
    layer: Layer::Code,
    severity: Severity::High,
    title: "Secret stored in a ConfigMap",
    what: "ConfigMap `data` entries whose key names a secret (`password`, `token`, `secret`, `api_key`, `private_key`, `credentials`…) with a plausible literal value (the key is pointed at), entries named like a key (`signing_key`, `*_KEY_CONTENT`) with a random-looking value, and entries of any name whose value holds a private key, a password inside a URL, a known token format or a cloud key, or — in a configuration file carried as a value — a line such as `password=…` or `api_key: …` with a literal (the secret itself is pointed at). Placeholders are not reported.",
    why: "ConfigMaps are not secret: they are readable by every role that may read configuration, shown in plain text by `kubectl describe`, and not encrypted at rest by the EncryptionConfiguration meant for Secrets.",
    remediation: "Move the value to a Secret (mounted as a file or referenced with `secretKeyRef`), restrict who can read it with RBAC, and rotate it.",
    example: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: task-api\nstringData:\n  api_token: <from your secret store>",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Code layer, secrets handling"],
    peers: &[],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is("", "ConfigMap") {
            continue;
        }
        let Some(data) = s.get(r.root, "data") else {
            continue;
        };
        for e in s.entries(data) {
            let key = s.key_str(e.key);
            let Some(value) = s.str(e.value) else {
                continue;
            };
            let (what, span) = if let Some(w) = cloud_credential(key, value) {
                (w, s.span(e.value))
            } else if let Some(h) = scan(value).or_else(|| scan_lines(value)) {
                (h.what, hit_span(s, e.value, value, h))
            } else if !value.contains('\n')
                && (secret_name(key) && plausible_secret_literal(value)
                    || key_name(key) && high_entropy(value))
            {
                ("a secret-looking value", s.span(e.key))
            } else {
                continue;
            };
            out.push(cx.finding(
                &META,
                r,
                span,
                r.path(&["data", key]),
                format!("{} holds {what} under `{key}`", r.label()),
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
        assert_pass(&META, "kind: ConfigMap\nmetadata: {name: c}\ndata:\n  LOG_LEVEL: info\n  token_ttl: 1h\n  password_file: /run/secrets/pw\n");
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            "kind: ConfigMap\nmetadata: {name: c}\ndata:\n  db_password: hunter22\n  dsn: mysql://root:toor@db/app\n  key.pem: |\n    -----BEGIN RSA PRIVATE KEY-----\n    abc\n    -----END RSA PRIVATE KEY-----\n",
            &[(4, "db_password"), (5, "toor"), (6, "|\n    -----BEGIN RSA PRIVATE KEY-----\n    abc\n    -----END RSA PRIVATE KEY-----")],
        );
    }
}
