//! The configuration file, `.kube4c.yaml`: read with kube4c's own YAML reader, so that every
//! mistake (an unknown rule id, an unknown option, a value of the wrong type) is an error with
//! its position. The CLI finds the file as other linters find theirs (the nearest one in the
//! working directory or a parent, or `--config`); the page loads the same text.
//!
//! ```yaml
//! profile: all              # all | pss-baseline | pss-restricted: the starting rule set
//! strict: false             # true: suppressions (annotations, comments) are ignored
//! rules:
//!   container/image-digest: off            # off / on
//!   container/run-as-non-root: critical    # a severity (turns the rule on)
//!   container/resource-limits:             # or all of it
//!     enabled: true
//!     severity: low
//!     options:
//!       resources: [memory]
//! ```

use serde::Serialize;

use crate::document::{self, NodeId, Span, Stream, Value};
use crate::options::{OptionValue, Options};
use crate::report::Severity;
use crate::rules::{OptionDefault, Profile, RuleId, RULES};

/// The file names looked for, in order.
pub const FILE_NAMES: [&str; 2] = [".kube4c.yaml", ".kube4c.yml"];

/// A mistake in the configuration, at its place in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigError {
    pub message: String,
    pub span: Span,
}

#[derive(Debug, Clone, Default)]
struct RuleSetting {
    id: Option<RuleId>,
    enabled: Option<bool>,
    severity: Option<Severity>,
    options: Vec<(&'static str, OptionValue)>,
}

/// A read configuration file.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub profile: Option<Profile>,
    pub strict: Option<bool>,
    /// Globs of paths the CLI skips when it walks folders (`exclude: [charts/**, "*.tmpl.yaml"]`).
    pub exclude: Vec<String>,
    rules: Vec<RuleSetting>,
}

impl Config {
    /// Read a configuration text; every error is reported, not only the first.
    pub fn parse(text: &str) -> Result<Config, Vec<ConfigError>> {
        let stream = document::parse(text);
        let mut errors: Vec<ConfigError> = stream
            .errors
            .iter()
            .map(|e| ConfigError {
                message: e.message.clone(),
                span: e.span,
            })
            .collect();
        let mut config = Config::default();
        if let Some(doc) = stream.docs.first() {
            read(&stream, doc.root, &mut config, &mut errors);
        }
        if stream.docs.len() > 1 {
            errors.push(ConfigError {
                message: "a configuration file holds one document".into(),
                span: stream.docs[1].span,
            });
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// The options this configuration gives, starting from `profile` when one is given (a
    /// command-line `--profile` wins over the file's).
    pub fn options(&self, profile: Option<Profile>) -> Options {
        let mut o = Options::profile(profile.or(self.profile).unwrap_or_default());
        o.strict = self.strict.unwrap_or(false);
        for r in &self.rules {
            let Some(id) = r.id else { continue };
            if let Some(on) = r.enabled {
                o.set_enabled(id, on);
            }
            if let Some(sev) = r.severity {
                o.set_severity(id, sev);
                if r.enabled.is_none() {
                    o.set_enabled(id, true);
                }
            }
            for (name, v) in &r.options {
                o.set_option(id, name, v.clone());
            }
        }
        o
    }
}

fn err(errors: &mut Vec<ConfigError>, s: &Stream, node: NodeId, message: String) {
    errors.push(ConfigError {
        message,
        span: s.span(node),
    });
}

fn read(s: &Stream, root: NodeId, config: &mut Config, errors: &mut Vec<ConfigError>) {
    if s.is_null(root) {
        return;
    }
    if !s.is_map(root) {
        err(
            errors,
            s,
            root,
            "the configuration must be a mapping (profile, strict, exclude, rules)".into(),
        );
        return;
    }
    for e in s.entries(root) {
        match s.key_str(e.key) {
            "profile" => match s.str(e.value).and_then(Profile::parse) {
                Some(p) => config.profile = Some(p),
                None => err(
                    errors,
                    s,
                    e.value,
                    format!("unknown profile (one of: {})", Profile::NAMES.join(", ")),
                ),
            },
            "strict" => match s.bool(e.value) {
                Some(b) => config.strict = Some(b),
                None => err(errors, s, e.value, "`strict` must be true or false".into()),
            },
            "rules" => {
                if !s.is_map(e.value) && !s.is_null(e.value) {
                    err(
                        errors,
                        s,
                        e.value,
                        "`rules` must map rule ids to settings".into(),
                    );
                    continue;
                }
                for r in s.entries(e.value) {
                    config.rules.push(rule_setting(s, r.key, r.value, errors));
                }
            }
            "exclude" => {
                let items = s.items(e.value);
                if !s.is_null(e.value) && items.is_empty() && !s.is_seq(e.value) {
                    err(
                        errors,
                        s,
                        e.value,
                        "`exclude` must be a list of globs".into(),
                    );
                }
                for &i in items {
                    match s.str(i) {
                        Some(g) => config.exclude.push(g.to_string()),
                        None => err(
                            errors,
                            s,
                            i,
                            "an `exclude` entry must be a glob string".into(),
                        ),
                    }
                }
            }
            other => err(
                errors,
                s,
                e.key,
                format!("unknown setting `{other}` (known: profile, strict, exclude, rules)"),
            ),
        }
    }
}

fn rule_setting(
    s: &Stream,
    key: NodeId,
    value: NodeId,
    errors: &mut Vec<ConfigError>,
) -> RuleSetting {
    let name = s.key_str(key);
    let Some(id) = RuleId::parse(name) else {
        let hint = RULES
            .iter()
            .map(|r| r.meta.id)
            .map(|id| {
                (
                    distance(id, name).min(distance(id.split('/').nth(1).unwrap_or(id), name)),
                    id,
                )
            })
            .filter(|(d, _)| *d <= 3)
            .min()
            .map(|(_, id)| id)
            .map(|id| format!(" (did you mean `{id}`?)"))
            .unwrap_or_default();
        err(errors, s, key, format!("unknown rule `{name}`{hint}"));
        return RuleSetting::default();
    };
    let mut out = RuleSetting {
        id: Some(id),
        ..RuleSetting::default()
    };
    match &s.node(value).value {
        Value::Bool(b) => out.enabled = Some(*b),
        Value::Str(sev) => match Severity::parse(sev) {
            Some(v) => out.severity = Some(v),
            None => err(
                errors,
                s,
                value,
                format!(
                    "`{sev}` is neither on/off nor a severity (critical, high, medium, low, info)"
                ),
            ),
        },
        Value::Map { .. } => {
            for e in s.entries(value) {
                match s.key_str(e.key) {
                    "enabled" => match s.bool(e.value) {
                        Some(b) => out.enabled = Some(b),
                        None => err(errors, s, e.value, "`enabled` must be true or false".into()),
                    },
                    "severity" => match s.str(e.value).and_then(Severity::parse) {
                        Some(v) => out.severity = Some(v),
                        None => err(
                            errors,
                            s,
                            e.value,
                            "`severity` must be one of critical, high, medium, low, info".into(),
                        ),
                    },
                    "options" => {
                        if !s.is_map(e.value) {
                            err(errors, s, e.value, "`options` must be a mapping".into());
                            continue;
                        }
                        for o in s.entries(e.value) {
                            if let Some(v) = rule_option(s, id, o.key, o.value, errors) {
                                out.options.push(v);
                            }
                        }
                    }
                    other => err(
                        errors,
                        s,
                        e.key,
                        format!(
                            "unknown rule setting `{other}` (known: enabled, severity, options)"
                        ),
                    ),
                }
            }
        }
        _ => err(
            errors,
            s,
            value,
            "a rule takes on/off, a severity, or a mapping of enabled, severity, options".into(),
        ),
    }
    out
}

/// Edit distance (Levenshtein), for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn rule_option(
    s: &Stream,
    id: RuleId,
    key: NodeId,
    value: NodeId,
    errors: &mut Vec<ConfigError>,
) -> Option<(&'static str, OptionValue)> {
    let name = s.key_str(key);
    let meta = id.meta();
    let Some(decl) = meta.options.iter().find(|o| o.name == name) else {
        let known: Vec<&str> = meta.options.iter().map(|o| o.name).collect();
        err(
            errors,
            s,
            key,
            if known.is_empty() {
                format!("unknown option `{name}`: {} has no options", meta.id)
            } else {
                format!(
                    "unknown option `{name}` of {} (known: {})",
                    meta.id,
                    known.join(", ")
                )
            },
        );
        return None;
    };
    let v = match decl.default {
        OptionDefault::Bool(_) => s.bool(value).map(OptionValue::Bool),
        OptionDefault::Int(_) => s.int(value).map(OptionValue::Int),
        OptionDefault::List(_) => {
            let items: Option<Vec<String>> = s
                .items(value)
                .iter()
                .map(|&i| s.scalar_text(i).map(|t| t.into_owned()))
                .collect();
            items.filter(|_| s.is_seq(value)).map(OptionValue::List)
        }
    };
    if v.is_none() {
        let want = match decl.default {
            OptionDefault::Bool(_) => "true or false",
            OptionDefault::Int(_) => "an integer",
            OptionDefault::List(_) => "a list of strings",
        };
        err(errors, s, value, format!("option `{name}` takes {want}"));
    }
    v.map(|v| (decl.name, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_form() {
        let c = Config::parse(
            "profile: pss-restricted\nstrict: true\nrules:\n  container/image-digest: on\n  container/privileged: critical\n  container/run-as-non-root: off\n  container/resource-limits:\n    severity: low\n    options: {resources: [memory]}\n",
        )
        .unwrap();
        let o = c.options(None);
        let id = |s| RuleId::parse(s).unwrap();
        assert!(o.strict);
        assert!(o.is_enabled(id("container/image-digest")));
        assert!(!o.is_enabled(id("container/run-as-non-root")));
        assert_eq!(o.severity(id("container/privileged")), Severity::Critical);
        assert!(o.is_enabled(id("container/resource-limits")));
        assert_eq!(
            o.option(id("container/resource-limits"), "resources"),
            OptionValue::List(vec!["memory".into()])
        );
        // Not in pss-restricted and not named: off.
        assert!(!o.is_enabled(id("code/env-literal-secret")));
        // A command-line profile wins over the file's.
        assert!(c
            .options(Some(Profile::All))
            .is_enabled(id("code/env-literal-secret")));
    }

    #[test]
    fn mistakes_have_positions() {
        let text = "profile: strictest\nrules:\n  container/run-as-nonroot: off\n  container/resource-limits:\n    options: {cpu: true, resources: 3}\n  container/privileged: loud\ncolour: red\n";
        let errors = Config::parse(text).unwrap_err();
        let at: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| {
                (
                    &text[e.span.start as usize..e.span.end as usize],
                    e.message.as_str(),
                )
            })
            .collect();
        assert_eq!(at.len(), 6, "{at:?}");
        assert_eq!(at[0].0, "strictest");
        assert_eq!(at[1].0, "container/run-as-nonroot");
        assert!(at[1].1.contains("did you mean `container/run-as-non-root`"));
        assert_eq!(at[2].0, "cpu");
        assert_eq!(at[3].0, "3");
        assert_eq!(at[4].0, "loud");
        assert_eq!(at[5].0, "colour");
    }
}
