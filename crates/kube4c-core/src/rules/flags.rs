//! Control-plane command lines, read as the components read them: kube-apiserver,
//! kube-controller-manager and kube-scheduler parse with `pflag`, etcd with Go's `flag`.
//!
//! - `--name=value` and `--name value` (a boolean flag alone means true and never takes the
//!   next word: `--profiling false` is `--profiling=true` and a stray argument);
//! - booleans as Go's `strconv.ParseBool` spells them (`1 t T TRUE true True`, and the same for
//!   false);
//! - a repeated flag: the last one wins, except for slice flags, where each occurrence appends
//!   (`--authorization-mode=AlwaysAllow --authorization-mode=Node,RBAC` keeps AlwaysAllow);
//! - `--` ends the flags; etcd (Go's `flag`) also takes `-name`, and stops at the first
//!   argument that is not a flag.
//!
//! Static pods (`command` and `args` of a container running the component, `sh -c "…"` words
//! included) and kubeadm's `ClusterConfiguration` (`apiServer`, `controllerManager`,
//! `scheduler`, `etcd.local` → `extraArgs`, a map in v1beta3 and a list of `{name, value}` in
//! v1beta4, where a name may repeat) are both read.

use crate::document::{NodeId, Span, Stream};
use crate::model::{Container, Model};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Component {
    ApiServer,
    ControllerManager,
    Scheduler,
    Etcd,
}

impl Component {
    pub fn binary(self) -> &'static str {
        match self {
            Component::ApiServer => "kube-apiserver",
            Component::ControllerManager => "kube-controller-manager",
            Component::Scheduler => "kube-scheduler",
            Component::Etcd => "etcd",
        }
    }
    fn kubeadm_path(self) -> &'static [&'static str] {
        match self {
            Component::ApiServer => &["apiServer"],
            Component::ControllerManager => &["controllerManager"],
            Component::Scheduler => &["scheduler"],
            Component::Etcd => &["etcd", "local"],
        }
    }
    /// Go's `flag` (etcd) rather than `pflag`.
    fn go_flag(self) -> bool {
        self == Component::Etcd
    }
}

/// Boolean flags of the components (they never take the next word as their value).
const BOOL_FLAGS: &[&str] = &[
    "anonymous-auth",
    "profiling",
    "contention-profiling",
    "kubelet-https",
    "allow-privileged",
    "service-account-lookup",
    "use-service-account-credentials",
    "client-cert-auth",
    "auto-tls",
    "peer-client-cert-auth",
    "peer-auto-tls",
    "enable-bootstrap-token-auth",
    "insecure-skip-tls-verify",
    "enable-aggregator-routing",
    "leader-elect",
    "enable-pprof",
    "debug",
    "experimental-enable-pprof",
];

/// Slice flags: each occurrence appends.
const SLICE_FLAGS: &[&str] = &[
    "authorization-mode",
    "enable-admission-plugins",
    "disable-admission-plugins",
    "admission-control",
    "tls-cipher-suites",
    "feature-gates",
    "controllers",
];

/// Go's `strconv.ParseBool`.
pub(crate) fn go_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// One flag as written.
#[derive(Debug, Clone)]
pub(crate) struct Flag {
    pub name: String,
    pub value: String,
    /// The node it was read from (the argument, or the extraArgs value).
    pub node: NodeId,
}

/// The flags one component is started with, from a static pod or a kubeadm configuration.
pub(crate) struct Flags<'m, 's> {
    pub component: Component,
    /// Index into the model's resources.
    pub resource: usize,
    /// The container, for static pods.
    pub container: Option<&'m Container<'s>>,
    pub flags: Vec<Flag>,
    /// Where to point when a flag is missing: `command`/`args` (static pods), `extraArgs`
    /// (else the component's section, else `kind`) for kubeadm.
    pub anchor: Span,
    /// Field path findings carry.
    pub path: String,
}

impl Flags<'_, '_> {
    /// The flag's effective occurrence (the last one).
    pub fn last(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().rev().find(|f| f.name == name)
    }
    /// Every item of a slice flag, over every occurrence, with the occurrence it came from.
    pub fn items(&self, name: &str) -> Vec<(&Flag, String)> {
        let occurrences = self.flags.iter().filter(|f| f.name == name);
        if SLICE_FLAGS.contains(&name) {
            occurrences
                .flat_map(|f| {
                    f.value
                        .split(',')
                        .map(str::trim)
                        .filter(|x| !x.is_empty())
                        .map(move |x| (f, x.to_string()))
                })
                .collect()
        } else {
            self.last(name)
                .map(|f| {
                    f.value
                        .split(',')
                        .map(|x| (f, x.trim().to_string()))
                        .collect()
                })
                .unwrap_or_default()
        }
    }
    /// A boolean flag: `(occurrence, parsed)`; `parsed` is `None` when Go would refuse it.
    pub fn bool(&self, name: &str) -> Option<(&Flag, Option<bool>)> {
        self.last(name).map(|f| (f, go_bool(&f.value)))
    }
    /// Is a flag set to a non-empty value?
    pub fn set(&self, name: &str) -> Option<&Flag> {
        self.last(name).filter(|f| !f.value.is_empty())
    }
    /// `kube-apiserver in Pod "kube-system/kube-apiserver"` / `ClusterConfiguration's apiServer`.
    pub fn describe(&self, m: &Model) -> String {
        let r = &m.resources[self.resource];
        match self.container {
            Some(_) => format!("{} in {}", self.component.binary(), r.label()),
            None => format!(
                "{} in {} ({}.extraArgs)",
                self.component.binary(),
                r.label(),
                self.component.kubeadm_path().join(".")
            ),
        }
    }
    /// Is this a kubeadm configuration (kubeadm writes its own secure defaults for flags it
    /// is not told about)?
    pub fn kubeadm(&self) -> bool {
        self.container.is_none()
    }
}

/// Split a command line into (node, word) pairs: each item of `command` then `args`, its
/// words split on whitespace (`sh -c "kube-apiserver --a=b"`).
fn words(s: &Stream, c: NodeId) -> Vec<(NodeId, String)> {
    let mut out = Vec::new();
    for field in ["command", "args"] {
        if let Some(list) = s.get(c, field) {
            for &i in s.items(list) {
                if let Some(t) = s.scalar_text(i) {
                    for w in t.split_whitespace() {
                        let w = w.trim_matches(|c| c == '"' || c == '\'');
                        out.push((i, w.to_string()));
                    }
                }
            }
        }
    }
    out
}

/// Parse the words after the binary's name as the component's flag parser does.
fn parse(component: Component, words: &[(NodeId, String)]) -> Vec<Flag> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (node, w) = (&words[i].0, words[i].1.as_str());
        i += 1;
        if w == "--" {
            break;
        }
        let name = if let Some(n) = w.strip_prefix("--") {
            n
        } else if let Some(n) = w.strip_prefix('-').filter(|_| component.go_flag()) {
            n
        } else if component.go_flag() && !w.is_empty() {
            // Go's flag stops at the first non-flag argument.
            break;
        } else {
            // pflag: a positional argument (or a shorthand, which the components do not use).
            continue;
        };
        if name.is_empty() {
            continue;
        }
        let (name, value) = match name.split_once('=') {
            Some((n, v)) => (n, v.to_string()),
            None if BOOL_FLAGS.contains(&name) => (name, "true".to_string()),
            None => match words.get(i) {
                Some((_, v)) => {
                    i += 1;
                    (name, v.clone())
                }
                None => (name, String::new()),
            },
        };
        out.push(Flag {
            name: name.to_string(),
            value,
            node: *node,
        });
    }
    out
}

/// Every place `component` is configured in this input.
pub(crate) fn component_flags<'m, 's>(
    m: &'m Model<'s, '_>,
    component: Component,
) -> Vec<Flags<'m, 's>> {
    let s = m.stream;
    let mut out = Vec::new();
    let bin = component.binary();
    for c in &m.containers {
        let words = words(s, c.node);
        let Some(start) = words
            .iter()
            .position(|(_, w)| w == bin || w.ends_with(&format!("/{bin}")))
        else {
            continue;
        };
        let anchor = s
            .get_entry(c.node, "command")
            .or_else(|| s.get_entry(c.node, "args"))
            .map_or_else(|| m.container_name_span(c), |e| s.span(e.key));
        let field = if s.get(c.node, "command").is_some() {
            "command"
        } else {
            "args"
        };
        out.push(Flags {
            component,
            resource: m.pod_of(c).resource,
            container: Some(c),
            flags: parse(component, &words[start + 1..]),
            anchor,
            path: format!("{}.{field}", c.path),
        });
    }
    for (ri, r) in m.resources.iter().enumerate() {
        if !r.is("kubeadm.k8s.io", "ClusterConfiguration") {
            continue;
        }
        let keys = component.kubeadm_path();
        let section = s.path(r.root, keys);
        let extra = section.and_then(|n| s.get_entry(n, "extraArgs"));
        let mut flags = Vec::new();
        if let Some(e) = extra {
            if s.is_map(e.value) {
                for kv in s.entries(e.value) {
                    flags.push(Flag {
                        name: s.key_str(kv.key).to_string(),
                        value: s.scalar_text(kv.value).unwrap_or_default().to_string(),
                        node: kv.value,
                    });
                }
            } else {
                for &item in s.items(e.value) {
                    let name = s.get(item, "name").and_then(|n| s.str(n));
                    if let (Some(name), Some(v)) = (name, s.get(item, "value")) {
                        flags.push(Flag {
                            name: name.to_string(),
                            value: s.scalar_text(v).unwrap_or_default().to_string(),
                            node: v,
                        });
                    }
                }
            }
        }
        let anchor = match extra {
            Some(e) => s.span(e.key),
            None => {
                // The deepest key of the section that exists, else `kind`.
                let mut node = r.root;
                let mut span = s.span(s.get(r.root, "kind").unwrap_or(r.root));
                for k in keys {
                    match s.get_entry(node, k) {
                        Some(e) => {
                            span = s.span(e.key);
                            node = e.value;
                        }
                        None => break,
                    }
                }
                span
            }
        };
        let mut path_keys: Vec<&str> = keys.to_vec();
        path_keys.push("extraArgs");
        out.push(Flags {
            component,
            resource: ri,
            container: None,
            flags,
            anchor,
            path: r.path(&path_keys),
        });
    }
    out
}

impl Flags<'_, '_> {
    /// A finding about these flags at `span` (a flag's node, or the anchor).
    pub fn finding(
        &self,
        cx: &crate::rules::Context,
        meta: &'static crate::rules::RuleMeta,
        span: Span,
        message: String,
    ) -> crate::Finding {
        cx.finding(
            meta,
            &cx.model.resources[self.resource],
            span,
            self.path.clone(),
            message,
        )
    }
    /// A finding at a flag as written.
    pub fn at(
        &self,
        cx: &crate::rules::Context,
        meta: &'static crate::rules::RuleMeta,
        flag: &Flag,
        message: String,
    ) -> crate::Finding {
        self.finding(cx, meta, cx.stream.span(flag.node), message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document;

    fn flags(cmd: &str, component: Component) -> Vec<(String, String)> {
        let text = format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: kube-system}}\nspec:\n  containers:\n  - name: c\n    command: {cmd}\n"
        );
        let s = document::parse(&text);
        let m = Model::new(&s);
        component_flags(&m, component)
            .into_iter()
            .flat_map(|f| f.flags.into_iter().map(|f| (f.name, f.value)))
            .collect()
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn pflag_forms() {
        assert_eq!(
            flags(
                "[kube-apiserver, --a=1, --token-auth-file, /x, --profiling, 'false', --, --b=2]",
                Component::ApiServer
            ),
            vec![
                pair("a", "1"),
                pair("token-auth-file", "/x"),
                pair("profiling", "true")
            ]
        );
        // A single dash is not a long flag for pflag, but is for etcd's Go flag parser.
        assert_eq!(
            flags("[kube-scheduler, -profiling=false]", Component::Scheduler),
            vec![]
        );
        assert_eq!(
            flags(
                "[etcd, -auto-tls=true, x, --client-cert-auth=false]",
                Component::Etcd
            ),
            vec![pair("auto-tls", "true")]
        );
        // `sh -c` words.
        assert_eq!(
            flags(
                "[sh, -c, 'exec /usr/local/bin/kube-controller-manager --profiling=false']",
                Component::ControllerManager
            ),
            vec![pair("profiling", "false")]
        );
    }

    #[test]
    fn slices_append_and_bools_parse() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    command: [kube-apiserver, --authorization-mode=AlwaysAllow, '--authorization-mode=Node,RBAC', --anonymous-auth=F, --profiling=yes]\n";
        let s = document::parse(text);
        let m = Model::new(&s);
        let f = &component_flags(&m, Component::ApiServer)[0];
        let modes: Vec<String> = f
            .items("authorization-mode")
            .into_iter()
            .map(|x| x.1)
            .collect();
        assert_eq!(modes, ["AlwaysAllow", "Node", "RBAC"]);
        assert_eq!(f.bool("anonymous-auth").map(|b| b.1), Some(Some(false)));
        assert_eq!(f.bool("profiling").map(|b| b.1), Some(None));
    }

    #[test]
    fn kubeadm_map_and_list() {
        for text in [
            "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    profiling: \"false\"\n",
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n  - name: profiling\n    value: \"false\"\n",
        ] {
            let s = document::parse(text);
            let m = Model::new(&s);
            let f = &component_flags(&m, Component::ApiServer)[0];
            assert_eq!(f.bool("profiling").map(|b| b.1), Some(Some(false)));
            assert!(f.kubeadm());
        }
    }
}
