use crate::document::{NodeId, Stream};
use crate::model::Resource;
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/encryption-config",
    layer: Layer::Cluster,
    severity: Severity::High,
    title: "Secrets not encrypted at rest by the API server",
    what: "An `EncryptionConfiguration` (apiserver.config.k8s.io) in which no `resources` entry covers `secrets` (or `*.*` / `*.`), or the entry that covers them lists `identity` first (new writes stay plaintext). (An `aescbc` first provider is cluster/encryption-provider-weak.)",
    why: "Secrets sit in etcd as written. Without an encrypting first provider, anyone with an etcd backup, a disk snapshot or etcd read access reads every token, password and key of the cluster.",
    remediation: "List `secrets` under a resources entry whose first provider is `kms` (v2) or `secretbox` (or `aesgcm` with key rotation), keep `identity` only last for reading old data, then rewrite all Secrets (`kubectl get secrets -A -o json | kubectl replace -f -`).",
    example: "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - kms:\n      apiVersion: v2\n      name: cloud-kms\n      endpoint: unix:///var/run/kms.sock\n  - identity: {}",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 1.2.27, 1.2.28", "Kubernetes docs: Encrypting Confidential Data at Rest", "4C model: Cluster layer, etcd encryption"],
    peers: &[("kubescape", "C-0066")],
};

/// The first `resources` entry of an EncryptionConfiguration that covers Secrets (the API
/// server uses the first match): (index, entry).
pub(crate) fn secrets_entry(s: &Stream, root: NodeId) -> Option<(usize, NodeId)> {
    let entries = s.get(root, "resources").map_or(&[][..], |l| s.items(l));
    entries
        .iter()
        .enumerate()
        .find(|(_, &e)| {
            s.get(e, "resources").is_some_and(|l| {
                s.items(l)
                    .iter()
                    .any(|&x| matches!(s.str(x), Some("secrets" | "*.*" | "*.")))
            })
        })
        .map(|(i, &e)| (i, e))
}

/// The provider the API server writes Secrets with: the first provider of the first entry
/// covering them, as (name, its key node, its field path). `None` when no entry covers
/// Secrets or that entry lists no provider.
pub(crate) fn secrets_write_provider<'s>(
    s: &'s Stream,
    r: &Resource,
) -> Option<(&'s str, NodeId, String)> {
    let (i, entry) = secrets_entry(s, r.root)?;
    let &first = s.get(entry, "providers").and_then(|p| s.items(p).first())?;
    let e = s.entries(first).first()?;
    let path = r.path(&["resources"]) + &format!("[{i}].providers[0]");
    Some((s.key_str(e.key), e.key, path))
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is("apiserver.config.k8s.io", "EncryptionConfiguration") {
            continue;
        }
        if secrets_entry(s, r.root).is_none() {
            let at = s.get_entry(r.root, "resources").map_or_else(
                || s.span(s.get(r.root, "kind").unwrap_or(r.root)),
                |e| s.span(e.key),
            );
            out.push(cx.finding(
                &META,
                r,
                at,
                r.path(&["resources"]),
                format!(
                    "{} does not cover secrets: they are stored in plaintext",
                    r.label()
                ),
            ));
            continue;
        }
        if let Some(("identity", key, path)) = secrets_write_provider(s, r) {
            out.push(cx.finding(
                &META,
                r,
                s.span(key),
                path,
                format!(
                    "{} writes secrets with `identity` first: they are stored in plaintext",
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
        assert_pass(&META, &format!("{HEAD}- resources: [secrets]\n  providers:\n  - secretbox: {{keys: [{{name: k1, secret: c2VjcmV0}}]}}\n  - identity: {{}}\n"));
        assert_pass(&META, &format!("{HEAD}- resources: ['*.*']\n  providers:\n  - kms: {{apiVersion: v2, name: kms, endpoint: 'unix:///kms.sock'}}\n"));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &format!("{HEAD}- resources: [configmaps]\n  providers:\n  - aesgcm: {{keys: []}}\n"),
            &[(3, "resources")],
        );
        assert_fail(&META, &format!("{HEAD}- resources: [secrets]\n  providers:\n  - identity: {{}}\n  - aescbc: {{keys: []}}\n"), &[(6, "identity")]);
        // aescbc first is cluster/encryption-provider-weak's.
        assert_pass(
            &META,
            &format!("{HEAD}- resources: [secrets]\n  providers:\n  - aescbc: {{keys: []}}\n"),
        );
    }
}
