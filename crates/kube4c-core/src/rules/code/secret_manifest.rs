use crate::rules::secrets::{
    high_entropy, is_placeholder, key_name, object_reference, plausible_secret_literal, scan,
    scan_lines, secret_name,
};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "code/secret-manifest",
    layer: Layer::Code,
    severity: Severity::Medium,
    title: "Secret manifest carries its values",
    what: "Secrets whose `data` (decoded from base64) or `stringData` values are credentials: a known format (private key, token, cloud key, password in a URL), a `password=…`-style line of a configuration file, a secret-named key (`password`, `token`…) with a literal value, or a random-looking value. Configuration without any of these, empty values and placeholders (`changeme`, `<…>`, `${…}`) are not reported. The finding says which keys hold what. Secrets of `type: kubernetes.io/service-account-token` are filled in by the cluster and not reported when empty.",
    why: "base64 is an encoding, not encryption: a Secret manifest in Git, in a chart or in a CI artifact is the credential itself, readable by everyone with access to the repository and kept in its history after rotation.",
    remediation: "Keep values out of manifests: create the Secret from a secret store at deploy time (External Secrets, the Secrets Store CSI driver, SOPS- or Sealed-Secrets-encrypted manifests), and rotate values that were committed.",
    example: "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:\n    password: AgBy3i4OJSWK+PiTySYZZA…",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Code layer, secrets handling", "Kubernetes: good practices for Secrets"],
    peers: &[],
};

/// Standard base64, as the API server decodes `data` (whitespace is not allowed there; it is
/// skipped here so that a wrapped value still reads).
fn base64_decode(v: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(v.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in v.bytes() {
        let d = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return None,
        } as u32;
        acc = (acc << 6) | d;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is("", "Secret") {
            continue;
        }
        for field in ["stringData", "data"] {
            let Some(e) = s.get_entry(r.root, field) else {
                continue;
            };
            let mut keys = Vec::new();
            let mut recognised = Vec::new();
            for kv in s.entries(e.value) {
                let key = s.key_str(kv.key);
                let Some(raw) = s.scalar_text(kv.value) else {
                    continue;
                };
                let value = if field == "data" {
                    match base64_decode(raw.trim()) {
                        Some(b) => String::from_utf8_lossy(&b).into_owned(),
                        None => continue,
                    }
                } else {
                    raw.into_owned()
                };
                if value.trim().is_empty() || is_placeholder(&value) {
                    continue;
                }
                // A credential by content, by a line of a configuration file, by its key's
                // name, or by looking random; configuration without any of these is not.
                let single = !value.trim().contains('\n');
                let what = scan(&value)
                    .or_else(|| scan_lines(&value))
                    .map(|h| h.what)
                    .or_else(|| {
                        (single
                            && (secret_name(key)
                                && plausible_secret_literal(&value)
                                && !object_reference(&value)
                                || key_name(key) && high_entropy(&value)
                                || high_entropy(&value)))
                        .then_some("a literal secret")
                    });
                let Some(what) = what else { continue };
                if what != "a literal secret" {
                    recognised.push(format!("{key}: {what}"));
                }
                keys.push(key.to_string());
            }
            if keys.is_empty() {
                continue;
            }
            let shown: Vec<&str> = keys.iter().map(String::as_str).take(5).collect();
            let more = if keys.len() > 5 {
                format!(" and {} more", keys.len() - 5)
            } else {
                String::new()
            };
            let known = if recognised.is_empty() {
                String::new()
            } else {
                format!(" — {}", recognised.join("; "))
            };
            out.push(cx.finding(
                &META,
                r,
                s.span(e.key),
                r.path(&[field]),
                format!(
                    "{} carries the values of {}{more} in its manifest{known}",
                    r.label(),
                    shown.join(", ")
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{base64_decode, META};
    use crate::rules::testing::*;

    #[test]
    fn decode() {
        assert_eq!(base64_decode("aHVudGVyMg==").unwrap(), b"hunter2");
        assert!(base64_decode("not base64!").is_none());
    }

    #[test]
    fn pass() {
        assert_pass(&META, "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {password: changeme, token: \"\"}\n");
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: aHVudGVyMg==\n",
            &[(4, "data")],
        );
    }
}
