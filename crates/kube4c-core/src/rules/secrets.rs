//! Shared classification of credential-looking names and values (used by the Code and Cloud
//! rules, so one literal is reported once, by the most specific rule).

/// A cloud provider credential recognised by name or by value.
pub fn cloud_credential(name: &str, value: &str) -> Option<&'static str> {
    let upper = name.to_ascii_uppercase();
    if value.trim().is_empty() || is_reference(value) {
        return None;
    }
    if is_aws_access_key_id(value) {
        return Some("an AWS access key id");
    }
    match upper.as_str() {
        "AWS_SECRET_ACCESS_KEY" | "AWS_SESSION_TOKEN" => return Some("an AWS secret key"),
        "AZURE_CLIENT_SECRET"
        | "ARM_CLIENT_SECRET"
        | "AZURE_STORAGE_KEY"
        | "AZURE_STORAGE_ACCESS_KEY" => return Some("an Azure secret"),
        "GOOGLE_CREDENTIALS"
        | "GOOGLE_APPLICATION_CREDENTIALS_JSON"
        | "GCP_SERVICE_ACCOUNT_KEY"
        | "GCLOUD_SERVICE_KEY" => return Some("a GCP service-account key"),
        _ => {}
    }
    if value.contains("\"type\": \"service_account\"")
        || value.contains("\"type\":\"service_account\"")
        || value.contains("\"private_key_id\"")
    {
        return Some("a GCP service-account key");
    }
    if value.contains("AccountKey=") && value.contains("AccountName=") {
        return Some("an Azure storage connection string with its key");
    }
    if is_google_api_key(value) {
        return Some("a Google API key");
    }
    None
}

fn is_aws_access_key_id(v: &str) -> bool {
    let v = v.trim();
    v.len() == 20
        && (v.starts_with("AKIA") || v.starts_with("ASIA"))
        && v.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn is_google_api_key(v: &str) -> bool {
    let v = v.trim();
    v.len() == 39
        && v.starts_with("AIza")
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// `$(VAR)` / `${VAR}` / `{{ tmpl }}`: not a literal.
pub fn is_reference(v: &str) -> bool {
    let v = v.trim();
    v.starts_with("$(") || v.starts_with("${") || v.starts_with("{{")
}

/// A cheap test, without allocating, that a name may be secret- or key-shaped (the full
/// tests normalise the name first): it holds `pass`, `secret`, `token`, `key`, `cred` or
/// `auth` in any letter case.
fn secret_hint(name: &str) -> bool {
    const HINTS: [&[u8]; 6] = [b"pass", b"secret", b"token", b"key", b"cred", b"auth"];
    let n = name.as_bytes();
    name.len() <= 128
        && HINTS.iter().any(|h| {
            n.windows(h.len()).any(|w| {
                w.iter()
                    .zip(h.iter())
                    .all(|(a, b)| a.to_ascii_lowercase() == *b)
            })
        })
}

/// `dbPassword`, `DB-PASSWORD`, `db.password` → `db_password`.
fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(match c {
            '-' | '.' => '_',
            c => c.to_ascii_lowercase(),
        });
    }
    out
}

/// Lines of a configuration file carried in a string (`password=…`, `api_key: …`,
/// `export TOKEN=…`) whose name says secret and whose value is a plausible literal.
pub fn scan_lines(value: &str) -> Option<Hit> {
    let mut offset = 0;
    for line in value.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        if trimmed.starts_with('#') || trimmed.starts_with("//") {
            continue;
        }
        let Some(sep) = trimmed.find([':', '=']) else {
            continue;
        };
        let name = trimmed[..sep]
            .trim()
            .trim_start_matches("export ")
            .trim()
            .trim_matches('"');
        let raw = trimmed[sep + 1..].trim();
        let v = raw.trim_matches(['"', '\'']);
        if name.is_empty()
            || name.contains(' ')
            || v.is_empty()
            || v.contains(char::is_whitespace)
            || !secret_hint(name)
        {
            continue;
        }
        let named = secret_name(name) && plausible_secret_literal(v);
        let keyed = key_name(name) && high_entropy(v);
        if named || keyed {
            let start = at
                + (body.len() - trimmed.len())
                + sep
                + 1
                + trimmed[sep + 1..].find(v).unwrap_or(0);
            return Some(Hit {
                what: "a literal secret",
                start,
                end: start + v.len(),
            });
        }
    }
    None
}

/// The source span of a hit inside a scalar: the hit's text where the source holds it
/// verbatim (plain, quoted without escapes, block scalars), else the whole scalar.
pub fn hit_span(
    s: &crate::document::Stream,
    node: crate::document::NodeId,
    value: &str,
    hit: Hit,
) -> crate::document::Span {
    let span = s.span(node);
    let raw = s.slice(span);
    let needle = &value[hit.start..hit.end];
    if needle.contains('\n') {
        return span;
    }
    match raw.find(needle) {
        Some(o) => crate::document::Span::new(
            span.start as usize + o,
            span.start as usize + o + needle.len(),
        ),
        None => span,
    }
}

/// A credential found inside a string: what it is and its byte range in the string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub what: &'static str,
    pub start: usize,
    pub end: usize,
}

/// Token formats recognised by prefix: (prefix, minimum length after it, what).
const TOKENS: [(&str, usize, &str); 24] = [
    ("ghp_", 30, "a GitHub token"),
    ("gho_", 30, "a GitHub token"),
    ("ghu_", 30, "a GitHub token"),
    ("ghs_", 30, "a GitHub token"),
    ("ghr_", 30, "a GitHub token"),
    ("github_pat_", 22, "a GitHub token"),
    ("glpat-", 20, "a GitLab token"),
    ("glptt-", 20, "a GitLab token"),
    ("gldt-", 20, "a GitLab token"),
    ("glrt-", 20, "a GitLab token"),
    ("GR1348941", 20, "a GitLab runner token"),
    ("xoxb-", 16, "a Slack token"),
    ("xoxp-", 16, "a Slack token"),
    ("xoxa-", 16, "a Slack token"),
    ("xoxr-", 16, "a Slack token"),
    ("xoxs-", 16, "a Slack token"),
    ("xapp-", 16, "a Slack token"),
    ("sk_live_", 16, "a Stripe secret key"),
    ("rk_live_", 16, "a Stripe secret key"),
    ("sk_test_", 16, "a Stripe test key"),
    ("npm_", 30, "an npm token"),
    ("hf_", 30, "a Hugging Face token"),
    ("pypi-AgEIcHlwaS5vcmc", 40, "a PyPI token"),
    ("dop_v1_", 40, "a DigitalOcean token"),
];

/// Connection-string keys whose value is a key: (marker, what).
const CONNECTION_KEYS: [(&str, &str); 4] = [
    ("AccountKey=", "an Azure storage or Cosmos DB key"),
    ("SharedAccessKey=", "an Azure Service Bus or Event Hubs key"),
    ("BatchAccountKey=", "an Azure Batch key"),
    ("sig=", "an Azure shared access signature"),
];

fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '+' | '/' | '=')
}

/// The first credential inside `value`: private keys in every PEM flavour (and PuTTY keys),
/// passwords inside URLs, Azure connection-string keys, GCP service-account JSON, and tokens
/// of the formats above, AWS access key ids, Google API keys and JWTs anywhere in the string
/// (a flag's value, a line of a script). Placeholders are not credentials.
pub fn scan(value: &str) -> Option<Hit> {
    let hit = |what, start, end| Some(Hit { what, start, end });
    if let Some(b) = value.find("-----BEGIN") {
        let line_end = value[b..].find('\n').map_or(value.len(), |e| b + e);
        if value[b..line_end].contains("PRIVATE KEY") {
            let end = value[b..]
                .find("-----END")
                .and_then(|e| {
                    value[b + e..]
                        .find("-----\n")
                        .or(value[b + e + 8..].find("-----").map(|x| x + 8))
                        .map(|x| b + e + x + 5)
                })
                .unwrap_or(line_end)
                .min(value.len());
            return hit("a private key", b, end);
        }
    }
    if let Some(b) = value.find("PuTTY-User-Key-File-") {
        return hit("a private key", b, value.len());
    }
    if let Some((a, b)) = url_password(value) {
        if !is_placeholder(&value[a..b]) {
            return hit(
                token_format(&value[a..b]).unwrap_or("a password inside a URL"),
                a,
                b,
            );
        }
    }
    for (marker, what) in CONNECTION_KEYS {
        if let Some(at) = value.find(marker) {
            let start = at + marker.len();
            let end = value[start..]
                .find([';', '&', '"', '\'', ' ', '\n'])
                .map_or(value.len(), |e| start + e);
            let key = &value[start..end];
            if key.len() >= 16 && !is_placeholder(key) {
                return hit(what, start, end);
            }
        }
    }
    if (value.contains("\"type\": \"service_account\"")
        || value.contains("\"type\":\"service_account\""))
        && value.contains("\"private_key\"")
    {
        let b = value.find("\"private_key\"").unwrap_or(0);
        return hit("a GCP service-account key", b, value.len());
    }
    if let Some(b) = value.find("hooks.slack.com/services/T") {
        let end = value[b..]
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\'')
            .map_or(value.len(), |e| b + e);
        return hit("a Slack webhook URL", b, end);
    }
    // Tokens anywhere in the string (bytes: every token character is ASCII, and a
    // multi-byte character ends a token like any other separator).
    let bytes = value.as_bytes();
    let mut start = None;
    for i in 0..=bytes.len() {
        let is_token = bytes.get(i).is_some_and(|&b| token_char(b as char));
        match (is_token, start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                start = None;
                // No known format is shorter than 20 characters.
                if i - st < MIN_TOKEN {
                    continue;
                }
                // The word, and its pieces around `=` (`--token=ghp_…`).
                let word = &value[st..i];
                let check = |rel: usize, piece: &str| {
                    let t = piece.trim_matches(['.', '-', '/']);
                    if t.len() < MIN_TOKEN {
                        return None;
                    }
                    let off = st + rel + piece.find(t).unwrap_or(0);
                    token_format(t)
                        .filter(|_| !is_placeholder(t))
                        .map(|what| Hit {
                            what,
                            start: off,
                            end: off + t.len(),
                        })
                };
                if let Some(h) = check(0, word) {
                    return Some(h);
                }
                if word.contains('=') {
                    let mut at = 0;
                    for piece in word.split('=') {
                        if let Some(h) = check(at, piece) {
                            return Some(h);
                        }
                        at += piece.len() + 1;
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// The shortest credential [`token_format`] recognises (an AWS access key id).
const MIN_TOKEN: usize = 20;

/// A whole token that is a credential of a known format.
fn token_format(t: &str) -> Option<&'static str> {
    for (prefix, min, what) in TOKENS {
        if let Some(rest) = t.strip_prefix(prefix) {
            if rest.len() >= min
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                return Some(what);
            }
        }
    }
    if is_aws_access_key_id(t) {
        return Some("an AWS access key id");
    }
    if is_google_api_key(t) {
        return Some("a Google API key");
    }
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts[1].starts_with("eyJ")
        && parts[2].len() >= 16
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        })
    {
        return Some("a JSON Web Token");
    }
    None
}

/// A value that stands for a secret rather than being one: `changeme`, `${VAR}`, `<token>`,
/// `xxxx`, `your-api-key`, `REPLACE_ME`, `example`, `dummy`, `****`.
pub fn is_placeholder(v: &str) -> bool {
    let v = v.trim().trim_matches(['"', '\'']);
    let l = v.to_ascii_lowercase();
    if is_reference(v)
        || v.starts_with('<')
        || v.ends_with('>')
        || v.contains("${")
        || v.contains("{{")
    {
        return true;
    }
    const WORDS: [&str; 14] = [
        "changeme",
        "change-me",
        "change_me",
        "replace",
        "example",
        "dummy",
        "placeholder",
        "redacted",
        "your-",
        "your_",
        "todo",
        "fixme",
        "insert",
        "xxxxx",
    ];
    if WORDS.iter().any(|w| l.contains(w)) {
        return true;
    }
    let distinct: std::collections::HashSet<char> = v.chars().collect();
    distinct.len() <= 2 && v.len() >= 3
}

/// A value shaped like a Kubernetes object reference (`name`, `namespace/name`, a DNS
/// name): lower-case letters, digits, `-`, `.` and at most one `/`. Next to a secret-named
/// key it names the Secret (`inject-ca-from-secret: cert-manager/webhook-ca`); it is not one.
pub fn object_reference(v: &str) -> bool {
    let v = v.trim();
    !v.is_empty()
        && v.len() <= 253
        && v.matches('/').count() <= 1
        && v.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'/')
        })
        && !v.starts_with(['-', '.', '/'])
        && v.contains(['-', '/', '.'])
}

/// Shannon entropy in bits per character.
pub fn entropy(v: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in v.bytes() {
        counts[b as usize] += 1;
    }
    let n = v.len() as f64;
    if n == 0.0 {
        return 0.0;
    }
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// A random-looking string: 16+ characters, no spaces, 3.5+ bits of entropy per character,
/// with digits or mixed case (keys, not words).
pub fn high_entropy(v: &str) -> bool {
    let v = v.trim();
    v.len() >= 16
        && !v.contains(char::is_whitespace)
        && !is_placeholder(v)
        && entropy(v) >= 3.5
        && (v.bytes().any(|b| b.is_ascii_digit())
            || (v.bytes().any(|b| b.is_ascii_uppercase())
                && v.bytes().any(|b| b.is_ascii_lowercase())))
}

/// A name shaped like a key (`SIGNING_KEY`, `ENCRYPTION_KEY`, `MASTER_KEY`, `*_KEY_CONTENT`,
/// `OCI_KEY`): a credential when its value is random-looking ([`high_entropy`]).
pub fn key_name(name: &str) -> bool {
    let n = snake(name);
    if n.ends_with("_key_id")
        || n.ends_with("_key_file")
        || n.ends_with("_key_path")
        || n.ends_with("_key_name")
    {
        return false;
    }
    n.ends_with("_key")
        || n.ends_with("_key_content")
        || n.ends_with("_key_data")
        || n == "key"
        || n.ends_with("_keys")
}

/// The password part of `scheme://user:password@host`, if the URL carries a literal one.
pub fn url_password(value: &str) -> Option<(usize, usize)> {
    let mut search = 0;
    while let Some(rel) = value[search..].find("://") {
        let scheme_end = search + rel;
        let rest_start = scheme_end + 3;
        let rest = &value[rest_start..];
        let authority_end = rest
            .find(|c: char| c == '/' || c == '?' || c == '#' || c.is_whitespace())
            .unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        if let Some(at) = authority.rfind('@') {
            let userinfo = &authority[..at];
            if let Some(colon) = userinfo.find(':') {
                let pw = &userinfo[colon + 1..];
                let scheme_ok = value[..scheme_end]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric());
                if scheme_ok && !pw.is_empty() && !is_reference(pw) && !pw.starts_with('$') {
                    let s = rest_start + colon + 1;
                    return Some((s, s + pw.len()));
                }
            }
        }
        search = rest_start;
    }
    None
}

/// A field name that says it holds a credential.
pub fn secret_name(name: &str) -> bool {
    let n = snake(name);
    const NOT: [&str; 12] = [
        "_file",
        "_path",
        "_dir",
        "_name",
        "_ref",
        "_ttl",
        "_timeout",
        "_length",
        "_enabled",
        "_seconds",
        "_secret_name",
        "_key_id",
    ];
    if NOT.iter().any(|s| n.ends_with(s)) {
        return false;
    }
    const WORDS: [&str; 9] = [
        "password",
        "passwd",
        "secret",
        "token",
        "apikey",
        "api_key",
        "private_key",
        "privatekey",
        "credentials",
    ];
    WORDS.iter().any(|w| n.contains(w))
}

/// A value that is plausibly a real credential (not a placeholder, path, flag or reference).
pub fn plausible_secret_literal(value: &str) -> bool {
    let v = value.trim();
    v.len() >= 4
        && !is_reference(v)
        && !is_placeholder(v)
        && !v.starts_with('/')
        && !matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "none" | "null" | "changeme_in_secret"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let v = "postgres://app:s3cret@db:5432/tasks";
        let (s, e) = url_password(v).unwrap();
        assert_eq!(&v[s..e], "s3cret");
        assert!(url_password("https://example.com/a@b").is_none());
        assert!(url_password("postgres://app@db/x").is_none());
        assert!(url_password("postgres://app:$(DB_PASSWORD)@db/x").is_none());
    }

    #[test]
    fn names() {
        assert!(secret_name("DB_PASSWORD"));
        assert!(secret_name("api-token"));
        assert!(!secret_name("PASSWORD_FILE"));
        assert!(!secret_name("TOKEN_TTL"));
        assert!(!secret_name("LOG_LEVEL"));
        assert!(secret_name("dbPassword"));
        assert!(!secret_name("passwordFile"));
        let conf = "url=jdbc:x\nspring.datasource.password = Sup3rS3cret!\n# password=commented\n";
        let h = scan_lines(conf).unwrap();
        assert_eq!(&conf[h.start..h.end], "Sup3rS3cret!");
        assert!(scan_lines("passwordFile: /run/secrets/db\npassword: \"\"\n").is_none());
    }

    #[test]
    fn formats() {
        fn find(v: &str) -> Option<(&'static str, &str)> {
            scan(v).map(|h| (h.what, &v[h.start..h.end]))
        }
        assert_eq!(
            find("--token=ghp_abcdefghijklmnopqrstuvwxyz0123456789 --v=2"),
            Some(("a GitHub token", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"))
        );
        assert_eq!(
            find("aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLF"),
            Some(("an AWS access key id", "AKIAIOSFODNN7EXAMPLF"))
        );
        assert_eq!(
            find("DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==;EndpointSuffix=core.windows.net").map(|x| x.0),
            Some("an Azure storage or Cosmos DB key")
        );
        assert_eq!(
            find(
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n"
            )
            .map(|x| x.0),
            Some("a private key")
        );
        assert_eq!(
            find("-----BEGIN PGP PRIVATE KEY BLOCK-----\nxx").map(|x| x.0),
            Some("a private key")
        );
        assert_eq!(find("-----BEGIN CERTIFICATE-----\nMIIB"), None);
        assert_eq!(find("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U").map(|x| x.0), Some("a JSON Web Token"));
        assert_eq!(
            find("https://hooks.slack.com/services/T000/B000/XXXX").map(|x| x.0),
            Some("a Slack webhook URL")
        );
        assert_eq!(find("postgres://app:changeme@db/x"), None);
        assert_eq!(find("sk_live_<your-key-here>"), None);
        assert_eq!(find("just some words"), None);
    }

    #[test]
    fn placeholders_and_entropy() {
        for p in [
            "changeme",
            "${TOKEN}",
            "<token>",
            "xxxxxxxx",
            "your-api-key",
            "REPLACE_ME",
            "****",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        assert!(!is_placeholder("s3cr3t-Passw0rd"));
        assert!(high_entropy("q8Zt1vX3mPa9LwE2rK7d"));
        assert!(!high_entropy("development-mode"));
        assert!(object_reference("cert-manager/cert-manager-webhook-ca"));
        assert!(!object_reference("hunter22"));
        assert!(!object_reference("Tr0ub4dor-and-3"));
        assert!(key_name("SIGNING_KEY"));
        assert!(key_name("OCI_KEY_CONTENT"));
        assert!(!key_name("AWS_ACCESS_KEY_ID"));
        assert!(!key_name("KEYCLOAK_URL"));
    }

    #[test]
    fn cloud() {
        assert!(cloud_credential("X", "AKIAIOSFODNN7EXAMPLE").is_some());
        assert!(cloud_credential("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI").is_some());
        assert!(cloud_credential("AWS_SECRET_ACCESS_KEY", "$(AWS_KEY)").is_none());
        assert!(cloud_credential("AWS_REGION", "eu-west-1").is_none());
    }
}
