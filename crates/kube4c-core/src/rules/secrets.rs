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

/// What makes a literal value a credential by its content alone.
pub fn secret_value(value: &str) -> Option<&'static str> {
    if value.contains("PRIVATE KEY-----") && value.contains("-----BEGIN") {
        return Some("a private key");
    }
    if url_password(value).is_some() {
        return Some("a password inside a URL");
    }
    let v = value.trim();
    let token_prefixes: [(&str, &str); 8] = [
        ("ghp_", "a GitHub token"),
        ("github_pat_", "a GitHub token"),
        ("glpat-", "a GitLab token"),
        ("xoxb-", "a Slack token"),
        ("xoxp-", "a Slack token"),
        ("sk_live_", "a Stripe secret key"),
        ("npm_", "an npm token"),
        ("hf_", "a Hugging Face token"),
    ];
    for (p, what) in token_prefixes {
        if v.starts_with(p) && v.len() >= p.len() + 16 && !v.contains(char::is_whitespace) {
            return Some(what);
        }
    }
    if v.starts_with("eyJ") && v.matches('.').count() == 2 && v.len() > 40 {
        return Some("a JSON Web Token");
    }
    None
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
    let n = name.to_ascii_lowercase().replace(['-', '.'], "_");
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
    }

    #[test]
    fn cloud() {
        assert!(cloud_credential("X", "AKIAIOSFODNN7EXAMPLE").is_some());
        assert!(cloud_credential("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI").is_some());
        assert!(cloud_credential("AWS_SECRET_ACCESS_KEY", "$(AWS_KEY)").is_none());
        assert!(cloud_credential("AWS_REGION", "eu-west-1").is_none());
    }
}
