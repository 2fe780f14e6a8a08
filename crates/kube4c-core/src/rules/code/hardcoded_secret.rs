use crate::rules::secrets::{
    high_entropy, hit_span, key_name, object_reference, plausible_secret_literal, scan,
    secret_name, Hit,
};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "code/hardcoded-secret",
    layer: Layer::Code,
    severity: Severity::High,
    title: "Credential written into a command line or an annotation",
    what: "Container `command` and `args` items, and the annotations of any object, that carry a credential: a known token format, private key, cloud key or password inside a URL anywhere in the string (`--token=ghp_…`, a line of an `sh -c` script), a secret-named flag with a literal value (`--password=…`, `--api-key …`), or an annotation named like a secret with a literal value that is not an object reference (`inject-ca-from-secret: cert-manager/webhook-ca` names a Secret; it is not one). Env values are code/env-literal-secret's and ConfigMap data code/configmap-secret's; `kubectl.kubernetes.io/last-applied-configuration` is skipped (it repeats the object). Placeholders are not reported.",
    why: "Command lines are the least private place in a cluster: they appear in `ps` output on the node, in `kubectl get pod -o yaml` for anyone who may read pods, in audit logs and in crash reports. Annotations are copied by every tool that reads metadata. A credential there is public to the cluster and in Git forever.",
    remediation: "Pass the credential as a file from a mounted Secret (`--password-file=/run/secrets/db`) or as an env var from `secretKeyRef`, and rotate the exposed value.",
    example: "args:\n- --password-file=/run/secrets/db/password",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["4C model: Code layer, secrets handling", "CWE-798: use of hard-coded credentials"],
    peers: &[],
};

/// A secret-named flag with a literal value: `--password=x` or `--password x` (the value is
/// the next item). Returns the value's byte range in `item` (or None for the next-item form).
fn secret_flag(item: &str) -> Option<(usize, usize)> {
    let flag = item.strip_prefix("--").or_else(|| item.strip_prefix('-'))?;
    let (name, value) = flag.split_once('=')?;
    let v = value.trim_matches(['"', '\'']);
    if (secret_name(name) && plausible_secret_literal(v) && !object_reference(v)
        || key_name(name) && high_entropy(v))
        && !v.contains(char::is_whitespace)
    {
        let start = item.len() - value.len() + value.find(v).unwrap_or(0);
        return Some((start, start + v.len()));
    }
    None
}

/// Every credential of a command-line item: known formats anywhere (a script may hold
/// several), and secret-named `--flag=value` words.
fn hits(text: &str) -> Vec<Hit> {
    let mut out: Vec<Hit> = Vec::new();
    let mut from = 0;
    while from < text.len() {
        let Some(h) = scan(&text[from..]) else { break };
        out.push(Hit {
            start: h.start + from,
            end: h.end + from,
            ..h
        });
        from += h.end.max(1);
    }
    let mut at = 0;
    for word in text.split_inclusive(char::is_whitespace) {
        let w = word.trim_end();
        if let Some((a, b)) = secret_flag(w) {
            let (a, b) = (at + a, at + b);
            if !out.iter().any(|h| h.start < b && a < h.end) {
                out.push(Hit {
                    what: "a literal secret",
                    start: a,
                    end: b,
                });
            }
        }
        at += word.len();
    }
    out.sort_by_key(|h| h.start);
    out
}

fn flag_takes_secret(item: &str) -> bool {
    let Some(name) = item.strip_prefix("--").or_else(|| item.strip_prefix('-')) else {
        return false;
    };
    !name.contains('=') && (secret_name(name) || key_name(name))
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        for field in ["command", "args"] {
            let Some(list) = m.container_field(c, &[field]) else {
                continue;
            };
            let items: Vec<_> = list.items(s).collect();
            for (i, item) in items.iter().enumerate() {
                let Some(text) = s.str(item.node) else {
                    continue;
                };
                let mut found: Vec<(&str, crate::document::Span)> = hits(text)
                    .into_iter()
                    .map(|h| (h.what, hit_span(s, item.node, text, h)))
                    .collect();
                if found.is_empty()
                    && i > 0
                    && flag_takes_secret(s.str(items[i - 1].node).unwrap_or(""))
                    && plausible_secret_literal(text)
                    && !text.starts_with('-')
                    && !text.contains(char::is_whitespace)
                {
                    found.push(("a literal secret", s.span(item.node)));
                }
                for (what, span) in found {
                    out.push(cx.container_finding(
                        &META,
                        c,
                        span,
                        item.path.clone(),
                        format!("{} has {what} in its {field}", m.describe(c)),
                    ));
                }
            }
        }
    }
    for (ri, r) in m.resources.iter().enumerate() {
        // The object's annotations, and its pod template's.
        let mut maps = vec![(
            s.path(r.root, &["metadata", "annotations"]),
            r.path(&["metadata", "annotations"]),
        )];
        for pod in m.pods.iter().filter(|p| p.resource == ri) {
            if pod.meta_path == r.path(&["metadata"]) {
                continue;
            }
            let mut path = pod.meta_path.clone();
            crate::model::push_key(&mut path, "annotations");
            maps.push((pod.metadata.and_then(|md| s.get(md, "annotations")), path));
        }
        for (ann, path) in maps {
            let Some(ann) = ann else { continue };
            for e in s.entries(ann) {
                let key = s.key_str(e.key);
                if key == "kubectl.kubernetes.io/last-applied-configuration"
                    || key.starts_with("ignore.kube4c.io/")
                {
                    continue;
                }
                let Some(value) = s.str(e.value) else {
                    continue;
                };
                let name = key.rsplit('/').next().unwrap_or(key);
                let found = if let Some(h) = scan(value) {
                    Some((h.what, hit_span(s, e.value, value, h)))
                } else if !value.contains('\n')
                    && (secret_name(name)
                        && plausible_secret_literal(value)
                        && !value.contains(' ')
                        && !object_reference(value)
                        || key_name(name) && high_entropy(value))
                {
                    Some(("a literal secret", s.span(e.value)))
                } else {
                    None
                };
                if let Some((what, span)) = found {
                    let mut p = path.clone();
                    crate::model::push_key(&mut p, key);
                    out.push(cx.finding(
                        &META,
                        r,
                        span,
                        p,
                        format!("{} has {what} in annotation {key}", r.label()),
                    ));
                }
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
                "args: [--password-file=/run/secrets/pw, --token, $(TOKEN), --log-level=debug]",
            ),
        );
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &deployment("", "args:\n- --db-password=hunter22\n- --api-key\n- k3y-Val-9981\n- \"--header=Authorization: Bearer glpat-abcdefghij0123456789\""),
            &[(16, "hunter22"), (18, "k3y-Val-9981"), (19, "glpat-abcdefghij0123456789")],
        );
    }
}
