//! What to check: the enabled rules, severity overrides, per-rule options, the Pod Security
//! level, and whether suppressions count. Profiles expand into [`Options`]; the configuration
//! file (`.kube4c.yaml`, see [`crate::config`]) refines them. The CLI and the page build the
//! same `Options`, so they select, grade and suppress alike.

use serde::Serialize;

use crate::report::Severity;
use crate::rules::{OptionDefault, Profile, PssLevel, RuleId, RULES};

/// A configured value of a rule option.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum OptionValue {
    Bool(bool),
    Int(i64),
    List(Vec<String>),
}

impl OptionValue {
    pub fn from_default(d: OptionDefault) -> OptionValue {
        match d {
            OptionDefault::Bool(b) => OptionValue::Bool(b),
            OptionDefault::Int(i) => OptionValue::Int(i),
            OptionDefault::List(l) => OptionValue::List(l.iter().map(|s| s.to_string()).collect()),
        }
    }
    pub fn as_list(&self) -> &[String] {
        match self {
            OptionValue::List(l) => l,
            _ => &[],
        }
    }
    pub fn as_bool(&self) -> bool {
        matches!(self, OptionValue::Bool(true))
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    /// The profile the set started from (reported, and the PSS level's default).
    pub profile: Profile,
    /// One flag per rule of [`RULES`].
    enabled: Vec<bool>,
    /// Severity per rule: the rule's own unless configured.
    severity: Vec<Severity>,
    /// Configured options: (rule, option name, value).
    rule_options: Vec<(RuleId, &'static str, OptionValue)>,
    /// The Pod Security level findings are judged and named at.
    pub pss_level: PssLevel,
    /// Ignore every suppression (annotations and comments).
    pub strict: bool,
    /// The namespace of objects that name none (`kubectl -n`); `default` when unset.
    pub namespace: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options::profile(Profile::All)
    }
}

impl Options {
    /// The rules of a profile, each at its own severity.
    pub fn profile(profile: Profile) -> Options {
        Options {
            profile,
            enabled: RULES.iter().map(|r| profile.includes(r.meta)).collect(),
            severity: RULES.iter().map(|r| r.meta.severity).collect(),
            rule_options: Vec::new(),
            pss_level: profile.pss_level(),
            strict: false,
            namespace: None,
        }
    }

    /// The namespace of objects that name none.
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }

    pub fn is_enabled(&self, id: RuleId) -> bool {
        self.enabled.get(id.index()).copied().unwrap_or(false)
    }

    pub fn set_enabled(&mut self, id: RuleId, on: bool) {
        if let Some(e) = self.enabled.get_mut(id.index()) {
            *e = on;
        }
    }

    /// The rules that run.
    pub fn enabled_rules(&self) -> impl Iterator<Item = RuleId> + '_ {
        RuleId::all().filter(|&id| self.is_enabled(id))
    }

    /// The severity findings of a rule get (the one place overrides apply).
    pub fn severity(&self, id: RuleId) -> Severity {
        self.severity
            .get(id.index())
            .copied()
            .unwrap_or(Severity::Info)
    }

    pub fn set_severity(&mut self, id: RuleId, severity: Severity) {
        if let Some(s) = self.severity.get_mut(id.index()) {
            *s = severity;
        }
    }

    /// A rule option's value: configured, else the rule's declared default. Asking for an
    /// option the rule does not declare is a bug in the rule, caught by its tests.
    pub fn option(&self, id: RuleId, name: &str) -> OptionValue {
        if let Some((_, _, v)) = self
            .rule_options
            .iter()
            .find(|(r, n, _)| *r == id && *n == name)
        {
            return v.clone();
        }
        let decl = id.meta().options.iter().find(|o| o.name == name);
        debug_assert!(decl.is_some(), "{} has no option {name}", id.as_str());
        decl.map_or(OptionValue::Bool(false), |o| {
            OptionValue::from_default(o.default)
        })
    }

    /// Set a declared option (the configuration reader checks names and types first).
    pub fn set_option(&mut self, id: RuleId, name: &'static str, value: OptionValue) {
        self.rule_options
            .retain(|(r, n, _)| !(*r == id && *n == name));
        self.rule_options.push((id, name, value));
    }
}
