//! The rule registry. One rule a file, grouped by 4C layer; each file declares a [`RuleMeta`]
//! (id, layer, severity, docs, the Pod Security checks it implements, whether it offers a fix,
//! its options, references, the same check's id in peer tools) and a `check` function, with its
//! pass and fail cases beside it. The metadata is the single source of truth: the engine gives
//! every finding its rule's layer and severity (after configuration overrides), and a finding's
//! Pod Security id must be one its rule declares.

pub mod cloud;
pub mod cluster;
pub mod code;
pub mod container;
mod flags;
mod rbac;
mod secrets;

#[cfg(test)]
pub(crate) mod testing;

use std::cell::Cell;

use serde::Serialize;

use crate::document::{Span, Stream};
use crate::fix::{Applicability, FixBuilder, Scalar};
use crate::index::{Index, Obj};
use crate::model::{fields::names, Container, Field, Model, Resource};
use crate::options::{OptionValue, Options};
use crate::report::{Finding, Layer, Severity};

/// The Pod Security Standards level a check belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum PssLevel {
    Baseline,
    Restricted,
}

impl PssLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            PssLevel::Baseline => "baseline",
            PssLevel::Restricted => "restricted",
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Pss {
    /// Upstream check id (`k8s.io/pod-security-admission/policy`).
    pub id: &'static str,
    pub level: PssLevel,
}

/// Whether a rule's findings come with a fix (text edits), declared so that docs, SARIF and
/// the page can say so before anything runs. Tests hold rules to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum FixAvailability {
    /// No mechanical fix exists (say why in the rule's docs).
    None,
    /// Some findings carry a fix.
    Sometimes,
    /// Every finding carries a fix.
    Always,
}

/// A per-rule option: its name, what it does, and its default.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RuleOption {
    pub name: &'static str,
    pub doc: &'static str,
    pub default: OptionDefault,
}

/// The default (and so the type) of a rule option.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(untagged)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum OptionDefault {
    Bool(bool),
    Int(#[cfg_attr(test, ts(type = "number"))] i64),
    List(&'static [&'static str]),
}

/// Everything a rule says about itself.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
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
    /// How to fix, in prose (a finding's `fix` is the mechanical edit, when one exists).
    pub remediation: &'static str,
    /// A YAML example of the fixed form.
    pub example: &'static str,
    /// Every Pod Security check this rule reports under (a rule may implement a baseline check
    /// and the restricted check that replaces it at the restricted level).
    pub pss: &'static [Pss],
    pub fix: FixAvailability,
    pub options: &'static [RuleOption],
    /// Benchmarks and guidance: CIS, NSA/CISA, the 4C model.
    pub references: &'static [&'static str],
    /// The same check in peer tools: (tool, id).
    pub peers: &'static [(&'static str, &'static str)],
}

impl RuleMeta {
    /// The annotation key that suppresses this rule: `ignore.kube4c.io/<layer>-<slug>`.
    pub fn annotation(&self) -> String {
        format!("ignore.kube4c.io/{}", self.id.replace('/', "-"))
    }
    /// The lowest Pod Security level this rule belongs to.
    pub fn pss_level(&self) -> Option<PssLevel> {
        self.pss.iter().map(|p| p.level).min()
    }
}

pub type CheckFn = fn(&Context, &mut Vec<Finding>);

/// A rule: its metadata and its check. Engine rules (suppression bookkeeping) have no check of
/// their own: the engine reports them after the rules have run.
pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: Option<CheckFn>,
}

/// A rule's compact id: its position in [`RULES`], assigned by the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(pub u16);

impl RuleId {
    pub fn meta(self) -> &'static RuleMeta {
        RULES[self.0 as usize].meta
    }
    pub fn as_str(self) -> &'static str {
        self.meta().id
    }
    pub fn index(self) -> usize {
        self.0 as usize
    }
    /// The id of a registered rule's metadata.
    pub fn of(meta: &'static RuleMeta) -> RuleId {
        let i = RULES
            .iter()
            .position(|r| std::ptr::eq(r.meta, meta))
            .unwrap_or(0);
        RuleId(i as u16)
    }
    /// Look a rule up by its string id.
    pub fn parse(id: &str) -> Option<RuleId> {
        RULES
            .iter()
            .position(|r| r.meta.id == id)
            .map(|i| RuleId(i as u16))
    }
    pub fn all() -> impl Iterator<Item = RuleId> {
        (0..RULES.len()).map(|i| RuleId(i as u16))
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

macro_rules! registry {
    (rules: [$($layer:ident :: $rule:ident),* $(,)?], engine: [$($elayer:ident :: $erule:ident),* $(,)?]) => {
        /// Every rule, outermost layer first, then the engine's own.
        pub static RULES: &[Rule] = &[
            $(Rule { meta: &$layer::$rule::META, check: Some($layer::$rule::check) },)*
            $(Rule { meta: &$elayer::$erule::META, check: None },)*
        ];
        /// `(layer folder, file stem)` of every registered rule, for the registry test.
        #[cfg(test)]
        pub(crate) const FILES: &[(&str, &str)] = &[
            $((stringify!($layer), stringify!($rule)),)*
            $((stringify!($elayer), stringify!($erule)),)*
        ];
    };
}

registry! {
    rules: [
        cloud::loadbalancer_source_ranges,
        cloud::service_node_port,
        cloud::service_external_ips,
        cloud::ingress_tls,
        cloud::ingress_nginx_snippet,
        cloud::ssh_port,
        cloud::env_cloud_credentials,
        cloud::storageclass_unencrypted,
        cloud::eks_cluster_config,
        cloud::aws_auth_access,
        cloud::instance_credentials,
        cluster::rbac_anonymous_binding,
        cluster::rbac_authenticated_binding,
        cluster::apiserver_anonymous_auth,
        cluster::apiserver_always_allow,
        cluster::apiserver_static_credentials,
        cluster::apiserver_insecure_port,
        cluster::apiserver_admission_plugins,
        cluster::control_plane_profiling,
        cluster::etcd_tls,
        cluster::kubelet_access,
        cluster::kubelet_hardening,
        cluster::encryption_config,
        cluster::encryption_provider_weak,
        cluster::audit_policy,
        cluster::kind_api_address,
        cluster::rbac_wildcard,
        cluster::rbac_cluster_admin_binding,
        cluster::rbac_secrets_access,
        cluster::rbac_create_pods,
        cluster::rbac_pod_exec,
        cluster::rbac_escalation_verbs,
        cluster::rbac_nodes_proxy,
        cluster::rbac_webhook_config,
        cluster::rbac_credential_minting,
        cluster::service_account_power,
        cluster::service_account_token,
        cluster::default_service_account,
        cluster::deprecated_service_account_field,
        cluster::default_namespace,
        cluster::host_namespaces,
        cluster::host_path_volume,
        cluster::container_runtime_socket,
        cluster::sensitive_host_mount,
        cluster::mount_propagation,
        cluster::host_aliases,
        cluster::share_process_namespace,
        cluster::host_ports,
        cluster::restricted_volume_types,
        cluster::unsafe_sysctls,
        cluster::windows_host_process,
        cluster::probe_host,
        cluster::networkpolicy_missing,
        cluster::networkpolicy_egress_missing,
        cluster::namespace_default_deny,
        cluster::networkpolicy_selects_nothing,
        cluster::networkpolicy_allows_all,
        cluster::exposed_privileged_workload,
        cluster::dangling_reference,
        container::privileged,
        container::run_as_non_root,
        container::run_as_root_user,
        container::root_group,
        container::run_as_user_floor,
        container::allow_privilege_escalation,
        container::read_only_root_filesystem,
        container::capabilities_drop_all,
        container::dangerous_capabilities,
        container::capability_case,
        container::seccomp_profile,
        container::apparmor_profile,
        container::selinux_options,
        container::proc_mount,
        container::image_latest_tag,
        container::image_digest,
        container::image_pull_policy,
        container::resource_limits,
        container::cpu_limit,
        container::resource_requests,
        container::ephemeral_storage_limit,
        container::privileged_port,
        container::risky_command,
        container::liveness_probe,
        container::readiness_probe,
        code::env_literal_secret,
        code::configmap_secret,
        code::hardcoded_secret,
        code::secret_manifest,
        code::secret_env_reference,
        code::debug_enabled,
    ],
    engine: [
        code::suppression_reason,
        code::unused_suppression,
    ]
}

/// Position of a rule in [`RULES`] by its id (SARIF's `ruleIndex`).
pub fn rule_index(id: &str) -> Option<usize> {
    RuleId::parse(id).map(RuleId::index)
}

/// A starting set of rules; configuration refines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
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
    pub const ALL: [Profile; 3] = [Profile::All, Profile::PssBaseline, Profile::PssRestricted];
    pub const NAMES: [&'static str; 3] = ["all", "pss-baseline", "pss-restricted"];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    pub fn describe(self) -> &'static str {
        match self {
            Profile::All => "Every rule, Pod Security checks at the restricted level.",
            Profile::PssBaseline => "Only the Pod Security Standards baseline checks.",
            Profile::PssRestricted => {
                "The Pod Security Standards restricted checks (baseline included)."
            }
        }
    }

    pub fn parse(name: &str) -> Option<Profile> {
        Some(match name {
            "all" | "default" => Profile::All,
            "pss-baseline" => Profile::PssBaseline,
            "pss-restricted" => Profile::PssRestricted,
            _ => return None,
        })
    }

    /// Is the rule in this profile's starting set?
    pub fn includes(self, meta: &RuleMeta) -> bool {
        match self {
            Profile::All => true,
            Profile::PssBaseline => meta.pss.iter().any(|p| p.level == PssLevel::Baseline),
            Profile::PssRestricted => !meta.pss.is_empty(),
        }
    }

    /// The Pod Security level findings are judged and named at.
    pub fn pss_level(self) -> PssLevel {
        match self {
            Profile::PssBaseline => PssLevel::Baseline,
            Profile::All | Profile::PssRestricted => PssLevel::Restricted,
        }
    }
}

/// What a rule sees: the typed model of the input being checked, the models of every input of
/// the run (for cross-resource rules), the cross-resource index and the options, built once.
pub struct Context<'m, 's, 'a> {
    pub model: &'m Model<'s, 'a>,
    /// Every input of the run; `model` is `files[file]` (read through [`Context::files`]).
    files: &'m [Model<'s, 'a>],
    pub file: usize,
    pub stream: &'s Stream<'a>,
    /// The inputs that are parts of the same text as this one (read through
    /// [`Context::input`]): this one alone, but for a [`Session`](crate::session::Session),
    /// which checks a text as a run of its parts.
    input: std::ops::Range<usize>,
    /// Read through [`Context::index`].
    index: &'m Index,
    pub options: &'m Options,
    /// Whether the running rule has looked beyond its input (the index, other inputs): its
    /// findings then depend on more than the input's text, and are not reused by a
    /// [`Session`](crate::session::Session) that has seen this text before.
    pub(crate) crossed: Cell<bool>,
    /// The rule running now (set by the engine).
    pub(crate) current: Cell<RuleId>,
    /// The input's indentation step, measured once for every fix of this check (or set by
    /// a [`Session`](crate::session::Session), which measures it over the whole text).
    pub(crate) indent_step: std::cell::OnceCell<usize>,
}

impl<'m, 's, 'a> Context<'m, 's, 'a> {
    pub fn new(
        files: &'m [Model<'s, 'a>],
        file: usize,
        index: &'m Index,
        options: &'m Options,
    ) -> Self {
        let model = &files[file];
        Context {
            model,
            files,
            file,
            stream: model.stream,
            input: file..file + 1,
            index,
            options,
            crossed: Cell::new(false),
            current: Cell::new(RuleId(0)),
            indent_step: std::cell::OnceCell::new(),
        }
    }

    /// The cross-resource index of the run.
    pub fn index(&self) -> &'m Index {
        self.crossed.set(true);
        self.index
    }

    /// Every input of the run.
    pub fn files(&self) -> &'m [Model<'s, 'a>] {
        self.crossed.set(true);
        self.files
    }

    /// The inputs (indices into [`Context::files`]) that make up the text this input belongs
    /// to: for rules that tell one story per text (the objects that name no namespace).
    pub fn input(&self) -> std::ops::Range<usize> {
        self.crossed.set(true);
        self.input.clone()
    }

    /// Set the inputs that are parts of the same text as this one.
    pub(crate) fn with_input(mut self, input: std::ops::Range<usize>) -> Self {
        self.input = input;
        self
    }

    /// An object of the run, with the model (input) it belongs to.
    pub fn object(&self, o: Obj) -> (&'m Model<'s, 'a>, &'m Resource<'s>) {
        let m = &self.files()[o.file];
        (m, &m.resources[o.resource])
    }

    /// A related location at a span of another object of the run (maybe another file).
    pub fn related(&self, f: Finding, o: Obj, span: Span, label: impl Into<String>) -> Finding {
        let mut f = f.with_related(span, label);
        if o.file != self.file {
            if let Some(r) = f.related.last_mut() {
                r.file = Some(o.file);
            }
        }
        f
    }

    /// Is another rule on? Rules that overlap leave a case to the other rule only when it runs.
    pub fn enabled(&self, other: &'static RuleMeta) -> bool {
        self.options.is_enabled(RuleId::of(other))
    }

    /// The Pod Security level in force.
    pub fn pss_level(&self) -> PssLevel {
        self.options.pss_level
    }

    /// The Pod Security id to report a violation under: among the checks the rule declares,
    /// the one of the highest level in force that is at least `from` (a baseline violation is
    /// reported under the restricted check that replaces the baseline one, as Pod Security does
    /// at the restricted level).
    pub fn pss(&self, meta: &'static RuleMeta, from: PssLevel) -> Option<&'static str> {
        meta.pss
            .iter()
            .filter(|p| p.level >= from && p.level <= self.pss_level())
            .max_by_key(|p| p.level)
            .map(|p| p.id)
    }

    /// A per-rule option (configured, or the rule's default).
    pub fn option(&self, meta: &'static RuleMeta, name: &str) -> OptionValue {
        self.options.option(RuleId::of(meta), name)
    }

    /// A fix builder over this input.
    pub fn fixer(&self) -> FixBuilder<'_, 'a> {
        let step = *self
            .indent_step
            .get_or_init(|| crate::fix::indent_step(self.stream));
        FixBuilder::with_step(self.stream, step)
    }

    /// Build a finding about a resource. Its Pod Security id is the rule's own when it declares
    /// exactly one (see [`Context::pss`] otherwise).
    pub fn finding(
        &self,
        meta: &'static RuleMeta,
        resource: &Resource,
        span: Span,
        path: String,
        message: String,
    ) -> Finding {
        debug_assert!(
            std::ptr::eq(self.current.get().meta(), meta),
            "{} builds a finding of {}",
            self.current.get().as_str(),
            meta.id
        );
        // A kind read as a pod template by its shape: say so, the user may disagree.
        let message = if resource.by_shape {
            format!(
                "{message} ({} read as a pod template by its shape: spec.template.spec.containers)",
                resource.kind
            )
        } else {
            message
        };
        Finding {
            rule: self.current.get(),
            severity: meta.severity,
            message,
            path,
            span,
            related: Vec::new(),
            resource: resource.to_ref(),
            pss: self.pss(meta, PssLevel::Baseline),
            fix: None,
            suppressed: None,
        }
    }

    /// Build a finding about a field (its span and path come together).
    pub fn field_finding(
        &self,
        meta: &'static RuleMeta,
        resource: &Resource,
        field: &Field,
        message: String,
    ) -> Finding {
        self.finding(
            meta,
            resource,
            self.stream.span(field.node),
            field.path.clone(),
            message,
        )
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

impl Context<'_, '_, '_> {
    /// A container `securityContext` boolean that must be `want`: a wrong value is reported at
    /// the value, a missing one at the container's `securityContext` (or `name`) key. The
    /// messages follow the container's description: `container "app" of … {wrong|missing}`.
    /// The fix sets the value (or writes it into the container's `securityContext`).
    #[allow(clippy::too_many_arguments)]
    pub fn require_container_bool(
        &self,
        meta: &'static RuleMeta,
        c: &Container,
        field: &'static str,
        want: bool,
        wrong: &str,
        missing: &str,
        applicability: Applicability,
        out: &mut Vec<Finding>,
    ) {
        let m = self.model;
        let title = format!("Set `{field}: {want}`");
        match m.container_field(c, &[names::SECURITY_CONTEXT, field]) {
            Some(f) if self.stream.bool(f.node) == Some(want) => {}
            Some(f) if !self.stream.is_null(f.node) => {
                let mut fix = self.fixer();
                fix.set_scalar(f.node, Scalar::Bool(want));
                out.push(
                    self.field_finding(
                        meta,
                        m.resource_of(c),
                        &f,
                        format!("{} {wrong}", m.describe(c)),
                    )
                    .with_fix(fix.finish(title, applicability)),
                );
            }
            _ => {
                let mut fix = self.fixer();
                fix.set_path(
                    c.node,
                    &[names::SECURITY_CONTEXT, field],
                    Scalar::Bool(want),
                );
                out.push(
                    self.container_finding(
                        meta,
                        c,
                        m.container_anchor(c),
                        m.container_path(c, &[names::SECURITY_CONTEXT, field]),
                        format!("{} {missing}", m.describe(c)),
                    )
                    .with_fix(fix.finish(title, applicability)),
                );
            }
        }
    }
}

#[cfg(test)]
mod registry_tests {
    use super::*;

    #[test]
    fn ids_are_unique_prefixed_by_their_layer_and_every_file_is_registered() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            let m = r.meta;
            assert!(seen.insert(m.id), "duplicate rule id {}", m.id);
            let (layer, slug) = m.id.split_once('/').expect("id is <layer>/<slug>");
            assert_eq!(layer, m.layer.as_str(), "{}: id prefix is its layer", m.id);
            assert!(
                slug.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}: slug is kebab-case",
                m.id
            );
            assert_eq!(RuleId::parse(m.id).map(|i| i.meta().id), Some(m.id));
            assert!(!m.title.is_empty() && !m.what.is_empty() && !m.why.is_empty());
            assert!(!m.remediation.is_empty(), "{}: remediation prose", m.id);
            // The annotation key must be a valid Kubernetes annotation name (<= 63 chars).
            let name = m.annotation().split_once('/').unwrap().1.to_string();
            assert!(name.len() <= 63, "{}: annotation name too long", m.id);
            let mut levels: Vec<_> = m.pss.iter().map(|p| p.level).collect();
            levels.dedup();
            assert_eq!(
                levels.len(),
                m.pss.len(),
                "{}: one PSS check per level",
                m.id
            );
        }
        // Every rule file under rules/<layer>/ is registered, and every registered one exists.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        let mut on_disk = Vec::new();
        for layer in Layer::ALL {
            for e in std::fs::read_dir(root.join(layer.as_str())).unwrap() {
                let p = e.unwrap().path();
                let stem = p.file_stem().unwrap().to_string_lossy().to_string();
                if stem != "mod" && p.extension().is_some_and(|x| x == "rs") {
                    on_disk.push((layer.as_str().to_string(), stem));
                }
            }
        }
        on_disk.sort();
        let mut registered: Vec<(String, String)> = FILES
            .iter()
            .map(|(l, f)| (l.to_string(), f.to_string()))
            .collect();
        registered.sort();
        assert_eq!(on_disk, registered, "every rule file is registered, once");
        // And each file's META sits in its own layer.
        for (r, (layer, _)) in RULES.iter().zip(FILES) {
            assert_eq!(
                r.meta.layer.as_str(),
                *layer,
                "{} is filed under {layer}",
                r.meta.id
            );
        }
    }
}

#[cfg(test)]
mod overlap_tests {
    //! Rules that leave a case to another rule do so only while that rule runs: turning one
    //! off never silences the other.
    use crate::{check, Options, RuleId};

    fn ids_without(text: &str, off: &str) -> Vec<&'static str> {
        let mut o = Options::default();
        o.set_enabled(RuleId::parse(off).unwrap(), false);
        let mut ids: Vec<_> = check(text, &o)
            .findings
            .iter()
            .map(|f| f.rule.as_str())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    #[test]
    fn the_other_rule_takes_over() {
        let pod = |c: &str| {
            format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n  - name: c\n{c}")
        };
        let caps = pod("    image: nginx:1.27\n    securityContext: {capabilities: {drop: [ALL], add: [SYS_ADMIN]}}\n");
        assert!(ids_without(&caps, "container/dangerous-capabilities")
            .contains(&"container/capabilities-drop-all"));
        let latest = pod("    image: nginx:latest\n");
        assert!(
            ids_without(&latest, "container/image-latest-tag").contains(&"container/image-digest")
        );
        let key = pod("    image: nginx:1.27\n    env:\n    - {name: AWS_SECRET_ACCESS_KEY, value: wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Wk2LmQ3}\n");
        assert!(
            ids_without(&key, "cloud/env-cloud-credentials").contains(&"code/env-literal-secret")
        );
        let host = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx:1.27}]\n  volumes:\n  - {name: h, hostPath: {path: /etc}}\n";
        assert!(ids_without(host, "cluster/host-path-volume")
            .contains(&"cluster/restricted-volume-types"));
    }
}

#[cfg(test)]
mod peer_id_tests {
    //! Every peer id a rule names exists in that peer's real check list (`tests/peers/*.tsv`,
    //! generated by `scripts/peer-lists.py` from the peer's repository at a recorded commit).
    use super::RULES;
    use std::collections::{HashMap, HashSet};

    #[test]
    fn every_peer_id_exists_in_the_peers_check_list() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/peers");
        let mut lists: HashMap<String, HashSet<String>> = HashMap::new();
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "tsv") {
                let tool = p.file_stem().unwrap().to_string_lossy().to_string();
                let text = std::fs::read_to_string(&p).unwrap();
                let ids = text
                    .lines()
                    .filter(|l| !l.starts_with('#'))
                    .filter_map(|l| l.split('\t').next())
                    .map(str::to_string)
                    .collect();
                lists.insert(tool, ids);
            }
        }
        let mut wrong = Vec::new();
        for r in RULES {
            for (tool, id) in r.meta.peers {
                match lists.get(*tool) {
                    None => wrong.push(format!("{}: no check list for {tool}", r.meta.id)),
                    Some(ids) if !ids.contains(*id) => {
                        wrong.push(format!("{}: {tool} has no {id}", r.meta.id))
                    }
                    _ => {}
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "peer ids that do not exist:\n{}",
            wrong.join("\n")
        );
    }
}
