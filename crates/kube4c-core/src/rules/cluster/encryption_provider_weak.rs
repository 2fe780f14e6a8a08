use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/encryption-provider-weak",
    layer: Layer::Cluster,
    severity: Severity::Low,
    title: "Secrets encrypted at rest with aescbc",
    what: "An `EncryptionConfiguration` whose entry for Secrets has `aescbc` as its first provider.",
    why: "aescbc is no longer recommended: it is vulnerable to padding-oracle attacks, and its key sits in a file on every control-plane node next to the data it protects. KMS v2 keeps the key encryption key outside the cluster.",
    remediation: "Move to the `kms` provider (v2), or `secretbox`, keeping `aescbc` after it until every Secret has been rewritten.",
    example: "providers:\n- kms:\n    apiVersion: v2\n    name: cloud-kms\n    endpoint: unix:///var/run/kms.sock\n- aescbc:\n    keys: [{name: old, secret: <base64>}]",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["Kubernetes docs: Encrypting Confidential Data at Rest (providers)"],
    peers: &[],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is("apiserver.config.k8s.io", "EncryptionConfiguration") {
            continue;
        }
        if let Some(("aescbc", key, path)) = super::encryption_config::secrets_write_provider(s, r)
        {
            out.push(cx.finding(
                &META,
                r,
                s.span(key),
                path,
                format!(
                    "{} encrypts Secrets with `aescbc`, no longer recommended (use KMS v2 or secretbox)",
                    r.label()
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    const HEAD: &str =
        "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n";

    #[test]
    fn pass() {
        assert_pass(&META, &format!("{HEAD}- resources: [secrets]\n  providers:\n  - kms: {{apiVersion: v2, name: k, endpoint: 'unix:///k.sock'}}\n  - aescbc: {{keys: []}}\n"));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &format!("{HEAD}- resources: [secrets]\n  providers:\n  - aescbc: {{keys: []}}\n"),
            &[(6, "aescbc")],
        );
    }
}
