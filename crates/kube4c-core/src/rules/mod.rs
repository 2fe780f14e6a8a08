//! The rule registry. One rule a file, grouped by 4C layer; each file declares a [`RuleMeta`]
//! (id, layer, severity, docs, references, the same check's id in peer tools) and a `check`
//! function, with its pass and fail cases beside it.

pub mod cloud;
pub mod cluster;
pub mod code;
pub mod container;
mod secrets;

#[cfg(test)]
pub(crate) mod testing;

use serde::Serialize;

use crate::document::{Span, Stream};
use crate::index::Index;
use crate::model::{Container, Model, Resource};
use crate::report::{Finding, Layer, Severity};

/// The Pod Security Standards level a check belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PssLevel {
    Baseline,
    Restricted,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Pss {
    /// Upstream check id (`k8s.io/pod-security-admission/policy`).
    pub id: &'static str,
    pub level: PssLevel,
}

/// Everything a rule says about itself.
#[derive(Debug, Serialize)]
pub struct RuleMeta {
    /// `<layer>/<slug>`, stable forever.
    pub id: &'static str,
    pub layer: Layer,
    pub severity: Severity,
    pub title: &'static str,
    /// What it checks.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// How to fix.
    pub fix: &'static str,
    /// A YAML example of the fixed form.
    pub example: &'static str,
    pub pss: Option<Pss>,
    /// Benchmarks and guidance: CIS, NSA/CISA, the 4C model.
    pub references: &'static [&'static str],
    /// The same check in peer tools: (tool, id).
    pub peers: &'static [(&'static str, &'static str)],
}

pub type CheckFn = fn(&Context, &mut Vec<Finding>);

/// A rule: its metadata and its check.
pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: CheckFn,
}

macro_rules! registry {
    ($($layer:ident :: $rule:ident),* $(,)?) => {
        /// Every rule, outermost layer first.
        pub static RULES: &[Rule] = &[
            $(Rule { meta: &$layer::$rule::META, check: $layer::$rule::check },)*
        ];
    };
}

registry![
    cloud::loadbalancer_source_ranges,
    cloud::env_cloud_credentials,
    cloud::storageclass_unencrypted,
    cluster::rbac_anonymous_binding,
    cluster::apiserver_anonymous_auth,
    cluster::apiserver_always_allow,
    cluster::rbac_wildcard,
    cluster::host_namespaces,
    cluster::host_path_volume,
    cluster::host_ports,
    cluster::restricted_volume_types,
    cluster::unsafe_sysctls,
    cluster::windows_host_process,
    cluster::probe_host,
    cluster::networkpolicy_missing,
    container::privileged,
    container::run_as_non_root,
    container::run_as_root_user,
    container::allow_privilege_escalation,
    container::read_only_root_filesystem,
    container::capabilities_drop_all,
    container::dangerous_capabilities,
    container::seccomp_profile,
    container::apparmor_profile,
    container::selinux_options,
    container::proc_mount,
    container::image_latest_tag,
    container::image_digest,
    container::resource_limits,
    code::env_literal_secret,
    code::configmap_secret,
    code::debug_enabled,
];

/// Position of a rule in [`RULES`] by its id (SARIF's `ruleIndex`, metadata of a finding).
pub fn rule_index(id: &str) -> Option<usize> {
    RULES.iter().position(|r| r.meta.id == id)
}

/// Which rules run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// Every rule.
    #[default]
    All,
    /// Only the Pod Security Standards baseline checks.
    PssBaseline,
    /// The Pod Security Standards baseline and restricted checks.
    PssRestricted,
}

impl Profile {
    pub const NAMES: [&'static str; 3] = ["all", "pss-baseline", "pss-restricted"];

    pub fn parse(name: &str) -> Option<Profile> {
        Some(match name {
            "all" | "default" => Profile::All,
            "pss-baseline" => Profile::PssBaseline,
            "pss-restricted" => Profile::PssRestricted,
            _ => return None,
        })
    }

    pub fn includes(self, meta: &RuleMeta) -> bool {
        match self {
            Profile::All => true,
            Profile::PssBaseline => matches!(meta.pss, Some(p) if p.level == PssLevel::Baseline),
            Profile::PssRestricted => meta.pss.is_some(),
        }
    }
}

/// What a rule sees: the typed model and the cross-resource index, built once.
pub struct Context<'m, 's, 'a> {
    pub model: &'m Model<'s, 'a>,
    pub stream: &'s Stream<'a>,
    pub index: &'m Index,
    pub profile: Profile,
}

impl Context<'_, '_, '_> {
    /// Build a finding about a resource.
    pub fn finding(
        &self,
        meta: &'static RuleMeta,
        resource: &Resource,
        span: Span,
        path: String,
        message: String,
    ) -> Finding {
        Finding {
            rule: meta.id,
            layer: meta.layer,
            severity: meta.severity,
            message,
            path,
            span,
            resource: resource.to_ref(),
            pss: meta.pss.map(|p| p.id),
            fix: None,
        }
    }

    /// A container `securityContext` boolean that must be `want`: a wrong value is reported at
    /// the value, a missing one at the container's `securityContext` (or `name`) key. The
    /// messages follow the container's description: `container "app" of … {wrong|missing}`.
    #[allow(clippy::too_many_arguments)]
    pub fn require_container_bool(
        &self,
        meta: &'static RuleMeta,
        c: &Container,
        field: &str,
        want: bool,
        wrong: &str,
        missing: &str,
        out: &mut Vec<Finding>,
    ) {
        let m = self.model;
        let path = format!("{}.securityContext.{field}", c.path);
        match m.container_setting(c, field) {
            Some(n) if self.stream.bool(n) == Some(want) => {}
            Some(n) => out.push(self.container_finding(
                meta,
                c,
                self.stream.span(n),
                path,
                format!("{} {wrong}", m.describe(c)),
            )),
            None => out.push(self.container_finding(
                meta,
                c,
                m.container_anchor(c),
                path,
                format!("{} {missing}", m.describe(c)),
            )),
        }
    }

    /// Build a finding about a container.
    pub fn container_finding(
        &self,
        meta: &'static RuleMeta,
        c: &Container,
        span: Span,
        path: String,
        message: String,
    ) -> Finding {
        self.finding(meta, self.model.resource_of(c), span, path, message)
    }
}
