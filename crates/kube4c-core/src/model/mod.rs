//! Typed views over the node arena: resources, the PodSpec of every pod-bearing kind, every
//! container (init, regular, ephemeral), and the security context as Kubernetes applies it
//! (a container's own setting wins; otherwise the pod-level one carries down).

pub mod fields;
mod selector;

pub use selector::{map_selector_matches, selector_matches, Selector};

use crate::document::{NodeId, Span, Stream, Value, Warning};
use crate::report::ResourceRef;

/// One Kubernetes object of the input (a document, or an item of a `List`).
#[derive(Debug, Clone)]
pub struct Resource<'s> {
    pub doc: usize,
    pub root: NodeId,
    pub kind: &'s str,
    pub api_version: &'s str,
    /// The API group (`apps`, `networking.k8s.io`; empty for the core group).
    pub group: &'s str,
    pub name: &'s str,
    pub namespace: Option<&'s str>,
    /// Path of the object inside its document: empty, or `items[3].` for List items.
    pub prefix: String,
    /// The reference findings carry, built once.
    pub reference: std::sync::Arc<ResourceRef>,
    /// A kind kube4c does not know, read as a pod template because it has the shape of one
    /// (`spec.template.spec.containers`): findings say so.
    pub by_shape: bool,
}

impl Resource<'_> {
    /// Is this the kind `kind` of the API group `group` (`""` for core)? A resource that
    /// names no apiVersion is matched by kind alone (the API server would refuse it; the
    /// check still reads it).
    pub fn is(&self, group: &str, kind: &str) -> bool {
        self.kind == kind && (self.api_version.is_empty() || self.group == group)
    }
    /// The field path of `keys` below this object (`items[2].data["app.properties"]`).
    pub fn path(&self, keys: &[&str]) -> String {
        let mut p = self.prefix.clone();
        for k in keys {
            push_key(&mut p, k);
        }
        p
    }
    /// The group, or `None` when no apiVersion is written.
    pub fn group_if_named(&self) -> Option<&str> {
        (!self.api_version.is_empty()).then_some(self.group)
    }
    pub fn to_ref(&self) -> std::sync::Arc<ResourceRef> {
        self.reference.clone()
    }
    /// `Deployment "web"` / `Deployment "shop/web"`, for messages.
    pub fn label(&self) -> String {
        if self.name.is_empty() {
            // Configuration files (KubeletConfiguration, EncryptionConfiguration…) have no name.
            return self.kind.to_string();
        }
        // Pushed, not `format!`ted: messages of cross-resource rules are built again on every
        // keystroke, and formatting's machinery was most of their cost in wasm.
        let ns = self.namespace.unwrap_or("");
        let mut s = String::with_capacity(self.kind.len() + ns.len() + self.name.len() + 4);
        s.push_str(self.kind);
        s.push_str(" \"");
        if let Some(ns) = self.namespace {
            s.push_str(ns);
            s.push('/');
        }
        s.push_str(self.name);
        s.push('"');
        s
    }
}

/// A PodSpec found inside a resource.
#[derive(Debug, Clone)]
pub struct Pod {
    /// Index into [`Model::resources`].
    pub resource: usize,
    pub spec: NodeId,
    /// Field path of the PodSpec, e.g. `spec.template.spec`.
    pub path: String,
    /// The pod's labels (`metadata.labels` of the Pod or of the template), if any.
    pub labels: Option<NodeId>,
    /// The pod-level `securityContext`, if it is a mapping.
    pub security_context: Option<NodeId>,
    /// The pod's `metadata` (of the Pod, or of the template), if any.
    pub metadata: Option<NodeId>,
    /// Field path of that metadata, e.g. `spec.template.metadata`.
    pub meta_path: String,
    /// This pod's containers: `Model::containers[containers]` (they are stored grouped by pod).
    pub containers: std::ops::Range<usize>,
    /// The key whose value is the PodSpec (`spec:` of a Pod, of a template): where to point
    /// when the pod lacks a setting.
    pub anchor: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerKind {
    Init,
    Regular,
    Ephemeral,
}

impl ContainerKind {
    pub fn field(self) -> &'static str {
        match self {
            ContainerKind::Init => "initContainers",
            ContainerKind::Regular => "containers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }
}

/// One container of a pod.
#[derive(Debug, Clone)]
pub struct Container<'s> {
    /// Index into [`Model::pods`].
    pub pod: usize,
    pub kind: ContainerKind,
    pub node: NodeId,
    pub name: &'s str,
    /// e.g. `spec.template.spec.containers[0]`.
    pub path: String,
    pub security_context: Option<NodeId>,
}

/// A literal `env[].value` string of a container (not `valueFrom`).
#[derive(Debug, Clone, Copy)]
pub struct EnvLiteral<'s> {
    /// Position in the container's `env` list.
    pub index: usize,
    pub name: &'s str,
    /// The `value` node.
    pub node: NodeId,
    pub value: &'s str,
}

/// One explicit `securityContext` setting, at pod or container level.
#[derive(Debug, Clone)]
pub struct ExplicitSetting<'m, 's> {
    pub resource: &'m Resource<'s>,
    /// The container, for container-level settings.
    pub container: Option<&'m Container<'s>>,
    pub node: NodeId,
    /// e.g. `spec.template.spec.containers[0].securityContext.seLinuxOptions`.
    pub path: String,
    /// `pod of Deployment "web"` or `container "app" of Deployment "web"`, for messages.
    pub who: String,
}

/// Where an effective setting came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Pod,
    Container,
}

/// A setting with the node that holds it.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub node: NodeId,
    pub level: Level,
}

/// All typed views of one input.
pub struct Model<'s, 'a> {
    pub stream: &'s Stream<'a>,
    pub resources: Vec<Resource<'s>>,
    pub pods: Vec<Pod>,
    pub containers: Vec<Container<'s>>,
    /// Keys that differ from a known field only by letter case.
    pub warnings: Vec<Warning>,
}

/// The API group of an apiVersion: `apps/v1` -> `apps`, `v1` -> `` (core).
pub fn api_group(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(g, _)| g)
}

/// Where the PodSpec lives for each pod-bearing kind: the built-in ones, and the custom kinds
/// users run (OpenShift `DeploymentConfig`, Argo `Rollout`, Knative `Service` and
/// `Configuration`, KEDA `ScaledJob`), each matched with its API group (a core `Service` is not
/// a Knative one). `group` is `None` when the object names no apiVersion: built-in kinds are
/// then matched by kind alone, custom ones not at all. Other kinds with the shape of a pod
/// template are found by [`pod_spec_by_shape`].
pub fn pod_spec_path(
    group: Option<&str>,
    kind: &str,
) -> Option<(&'static [&'static str], &'static [&'static str])> {
    const TEMPLATE: (&[&str], &[&str]) = (
        &["spec", "template", "spec"],
        &["spec", "template", "metadata"],
    );
    let (want, paths): (&[&str], _) = match kind {
        "Pod" => (&[""], (&["spec"][..], &["metadata"][..])),
        "PodTemplate" => (
            &[""],
            (&["template", "spec"][..], &["template", "metadata"][..]),
        ),
        "ReplicationController" => (&[""], TEMPLATE),
        // `extensions` served these until 1.16; manifests still carry it.
        "Deployment" | "DaemonSet" | "ReplicaSet" => (&["apps", "extensions"], TEMPLATE),
        "StatefulSet" => (&["apps"], TEMPLATE),
        "Job" => (&["batch"], TEMPLATE),
        "CronJob" => (
            &["batch"],
            (
                &["spec", "jobTemplate", "spec", "template", "spec"][..],
                &["spec", "jobTemplate", "spec", "template", "metadata"][..],
            ),
        ),
        _ => {
            // Custom kinds: only with their group named.
            let custom: &[(&str, &[&str])] = &[
                ("DeploymentConfig", &["apps.openshift.io", ""]),
                ("Rollout", &["argoproj.io"]),
                ("Service", &["serving.knative.dev"]),
                ("Configuration", &["serving.knative.dev"]),
                ("Revision", &["serving.knative.dev"]),
            ];
            let g = group?;
            if custom
                .iter()
                .any(|(k, groups)| *k == kind && groups.contains(&g))
            {
                if kind == "Revision" {
                    return Some((&["spec"][..], &["metadata"][..]));
                }
                return Some(TEMPLATE);
            }
            if kind == "ScaledJob" && g == "keda.sh" {
                return Some((
                    &["spec", "jobTargetRef", "template", "spec"][..],
                    &["spec", "jobTargetRef", "template", "metadata"][..],
                ));
            }
            return None;
        }
    };
    match group {
        Some(g) if !want.contains(&g) => None,
        _ => Some(paths),
    }
}

/// For a kind [`pod_spec_path`] does not know, outside the built-in API groups: the paths of a
/// pod template when the object has the shape of one — `spec.template.spec.containers` or
/// `spec.jobTemplate.spec.template.spec.containers` a sequence of mappings with `image`.
pub fn pod_spec_by_shape(
    s: &Stream,
    root: NodeId,
    group: Option<&str>,
) -> Option<(&'static [&'static str], &'static [&'static str])> {
    if let Some(g) = group {
        if g.is_empty()
            || g.ends_with(".k8s.io")
            || matches!(
                g,
                "apps" | "batch" | "extensions" | "policy" | "autoscaling"
            )
        {
            return None;
        }
    }
    const SHAPES: [(&[&str], &[&str]); 2] = [
        (
            &["spec", "template", "spec"],
            &["spec", "template", "metadata"],
        ),
        (
            &["spec", "jobTemplate", "spec", "template", "spec"],
            &["spec", "jobTemplate", "spec", "template", "metadata"],
        ),
    ];
    SHAPES.into_iter().find(|(spec, _)| {
        s.path(root, spec)
            .and_then(|sp| s.get(sp, "containers"))
            .is_some_and(|c| {
                let items = s.items(c);
                !items.is_empty() && items.iter().all(|&i| s.get(i, "image").is_some())
            })
    })
}

/// A node with its field path: what a rule reports, built together so they cannot disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub node: NodeId,
    /// JSON-style path inside the document (`spec.containers[0].securityContext`).
    pub path: String,
}

/// Append a key to a field path: `.key`, or `["key"]` when it is not a plain name.
pub fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        if !path.is_empty() && !path.ends_with('.') {
            path.push('.');
        }
        path.push_str(key);
    } else {
        let path_ends_dot = path.ends_with('.');
        if path_ends_dot {
            path.pop();
        }
        path.push_str(&format!("[{key:?}]"));
    }
}

impl Field {
    /// The value of `key` in this mapping.
    pub fn child(&self, s: &Stream, key: &str) -> Option<Field> {
        let node = s.get(self.node, key)?;
        let mut path = self.path.clone();
        push_key(&mut path, key);
        Some(Field { node, path })
    }
    /// Follow several keys.
    pub fn at(&self, s: &Stream, keys: &[&str]) -> Option<Field> {
        let mut f = self.clone();
        for k in keys {
            f = f.child(s, k)?;
        }
        Some(f)
    }
    /// The items of this sequence.
    pub fn items<'x>(&'x self, s: &'x Stream) -> impl Iterator<Item = Field> + 'x {
        s.items(self.node)
            .iter()
            .enumerate()
            .map(|(i, &node)| Field {
                node,
                path: format!("{}[{i}]", self.path),
            })
    }
}

impl<'s, 'a> Model<'s, 'a> {
    pub fn new(stream: &'s Stream<'a>) -> Self {
        let mut resources = Vec::new();
        let mut warnings = Vec::new();
        for doc in &stream.docs {
            list_objects(stream, doc.index, doc.root, &mut resources, &mut warnings);
        }
        let mut pods = Vec::new();
        let mut containers = Vec::new();
        #[allow(clippy::needless_range_loop)] // `resources[ri]` is written inside the loop.
        for ri in 0..resources.len() {
            let r = &resources[ri];
            let known = pod_spec_path(r.group_if_named(), r.kind);
            let shaped = known
                .is_none()
                .then(|| pod_spec_by_shape(stream, r.root, r.group_if_named()))
                .flatten();
            let Some((spec_path, meta_path)) = known.or(shaped) else {
                continue;
            };
            if shaped.is_some() {
                resources[ri].by_shape = true;
            }
            let r = &resources[ri];
            let Some(spec) = stream.path(r.root, spec_path).filter(|&s| stream.is_map(s)) else {
                // A pod spec (or an object on the way to it) that is not a mapping: the API
                // server rejects the object; say so rather than pass it over.
                let mut node = r.root;
                for (depth, key) in spec_path.iter().enumerate() {
                    let Some(next) = stream.get(node, key) else {
                        break;
                    };
                    if !stream.is_map(next) && !stream.is_null(next) {
                        warnings.push(Warning {
                            message: format!(
                                "the API server rejects this object: `{}` must be a mapping",
                                spec_path[..=depth].join(".")
                            ),
                            span: stream.span(next),
                            document: r.doc,
                        });
                        break;
                    }
                    node = next;
                }
                continue;
            };
            let anchor = {
                let mut node = r.root;
                let mut span = stream.span(r.root);
                for key in spec_path.iter() {
                    match stream.get_entry(node, key) {
                        Some(e) => {
                            span = stream.span(e.key);
                            node = e.value;
                        }
                        None => break,
                    }
                }
                span
            };
            let metadata = stream.path(r.root, meta_path).filter(|&m| stream.is_map(m));
            let labels = metadata
                .and_then(|m| stream.get(m, "labels"))
                .filter(|&l| stream.is_map(l));
            let security_context = stream
                .get(spec, "securityContext")
                .filter(|&s| stream.is_map(s));
            let path = format!("{}{}", r.prefix, spec_path.join("."));
            fields::check_case(stream, spec, fields::POD_SPEC, r.doc, &mut warnings);
            fields::check_types(stream, spec, fields::POD_SPEC_TYPES, r.doc, &mut warnings);
            if let Some(sc) = security_context {
                fields::check_types(
                    stream,
                    sc,
                    fields::POD_SECURITY_CONTEXT_TYPES,
                    r.doc,
                    &mut warnings,
                );
                fields::check_case(
                    stream,
                    sc,
                    fields::POD_SECURITY_CONTEXT,
                    r.doc,
                    &mut warnings,
                );
            }
            let pod_index = pods.len();
            let first_container = containers.len();
            for kind in [
                ContainerKind::Init,
                ContainerKind::Regular,
                ContainerKind::Ephemeral,
            ] {
                let Some(list) = stream.get(spec, kind.field()) else {
                    continue;
                };
                for (i, &c) in stream.items(list).iter().enumerate() {
                    if !stream.is_map(c) {
                        continue;
                    }
                    fields::check_case(stream, c, fields::CONTAINER, r.doc, &mut warnings);
                    fields::check_types(stream, c, fields::CONTAINER_TYPES, r.doc, &mut warnings);
                    if let Some(sc) = stream
                        .get(c, "securityContext")
                        .filter(|&s| stream.is_map(s))
                    {
                        fields::check_case(
                            stream,
                            sc,
                            fields::CONTAINER_SECURITY_CONTEXT,
                            r.doc,
                            &mut warnings,
                        );
                        fields::check_types(
                            stream,
                            sc,
                            fields::CONTAINER_SECURITY_CONTEXT_TYPES,
                            r.doc,
                            &mut warnings,
                        );
                        if let Some(caps) =
                            stream.get(sc, "capabilities").filter(|&c| stream.is_map(c))
                        {
                            fields::check_types(
                                stream,
                                caps,
                                fields::CAPABILITIES_TYPES,
                                r.doc,
                                &mut warnings,
                            );
                        }
                    }
                    containers.push(Container {
                        pod: pod_index,
                        kind,
                        node: c,
                        name: stream
                            .get(c, "name")
                            .and_then(|n| stream.str(n))
                            .unwrap_or(""),
                        path: format!("{path}.{}[{i}]", kind.field()),
                        security_context: stream
                            .get(c, "securityContext")
                            .filter(|&s| stream.is_map(s)),
                    });
                }
            }
            pods.push(Pod {
                resource: ri,
                spec,
                path,
                labels,
                security_context,
                metadata,
                meta_path: format!("{}{}", r.prefix, meta_path.join(".")),
                containers: first_container..containers.len(),
                anchor,
            });
        }
        Model {
            stream,
            resources,
            pods,
            containers,
            warnings,
        }
    }

    /// Every explicit `securityContext.<field>` of every pod, the pod's own first, then each of
    /// its containers' (for checks that judge each level on its own, like Pod Security's).
    pub fn explicit_settings<'m>(&'m self, field: &str) -> Vec<ExplicitSetting<'m, 's>> {
        let mut out = Vec::new();
        for pod in &self.pods {
            let resource = self.resource_of_pod(pod);
            if let Some(node) = self.pod_setting(pod, field) {
                out.push(ExplicitSetting {
                    resource,
                    container: None,
                    node,
                    path: self.pod_path(pod, &[fields::names::SECURITY_CONTEXT, field]),
                    who: format!("pod of {}", resource.label()),
                });
            }
            for c in self.containers_of(pod) {
                if let Some(node) = self.container_setting(c, field) {
                    out.push(ExplicitSetting {
                        resource,
                        container: Some(c),
                        node,
                        path: self.container_path(c, &[fields::names::SECURITY_CONTEXT, field]),
                        who: self.describe(c),
                    });
                }
            }
        }
        out
    }

    /// The container's literal env values, in order.
    pub fn env_literals<'m>(&'m self, c: &Container) -> impl Iterator<Item = EnvLiteral<'s>> + 'm {
        let s = self.stream;
        let items = s.get(c.node, "env").map(|e| s.items(e)).unwrap_or(&[]);
        items.iter().enumerate().filter_map(move |(index, &e)| {
            let node = s.get(e, "value")?;
            Some(EnvLiteral {
                index,
                name: s.get(e, "name").and_then(|n| s.str(n)).unwrap_or(""),
                node,
                value: s.str(node)?,
            })
        })
    }

    /// The containers of one pod (init, regular, ephemeral), without scanning the others.
    pub fn containers_of(&self, pod: &Pod) -> &[Container<'s>] {
        &self.containers[pod.containers.clone()]
    }

    pub fn pod_of(&self, c: &Container) -> &Pod {
        &self.pods[c.pod]
    }

    pub fn resource_of_pod(&self, p: &Pod) -> &Resource<'s> {
        &self.resources[p.resource]
    }

    pub fn resource_of(&self, c: &Container) -> &Resource<'s> {
        &self.resources[self.pods[c.pod].resource]
    }

    /// A container's setting from its `securityContext`, ignoring explicit nulls.
    pub fn container_setting(&self, c: &Container, field: &str) -> Option<NodeId> {
        c.security_context
            .and_then(|sc| self.stream.get(sc, field))
            .filter(|&n| !self.stream.is_null(n))
    }

    /// A pod-level `securityContext` setting, ignoring explicit nulls.
    pub fn pod_setting(&self, p: &Pod, field: &str) -> Option<NodeId> {
        p.security_context
            .and_then(|sc| self.stream.get(sc, field))
            .filter(|&n| !self.stream.is_null(n))
    }

    /// The setting as Kubernetes applies it: the container's own, else the pod's. Only for the
    /// fields that exist at both levels (runAsUser, runAsGroup, runAsNonRoot, seccompProfile,
    /// seLinuxOptions, windowsOptions, appArmorProfile).
    pub fn effective(&self, c: &Container, field: &str) -> Option<Setting> {
        if let Some(node) = self.container_setting(c, field) {
            return Some(Setting {
                node,
                level: Level::Container,
            });
        }
        self.pod_setting(self.pod_of(c), field).map(|node| Setting {
            node,
            level: Level::Pod,
        })
    }

    /// A field below a container (`[securityContext, runAsNonRoot]`), with its path.
    pub fn container_field(&self, c: &Container, keys: &[&str]) -> Option<Field> {
        Field {
            node: c.node,
            path: c.path.clone(),
        }
        .at(self.stream, keys)
    }

    /// The path a field below a container has (or would have, once written).
    pub fn container_path(&self, c: &Container, keys: &[&str]) -> String {
        let mut p = c.path.clone();
        for k in keys {
            push_key(&mut p, k);
        }
        p
    }

    /// A field below a pod spec, with its path.
    pub fn pod_field(&self, p: &Pod, keys: &[&str]) -> Option<Field> {
        Field {
            node: p.spec,
            path: p.path.clone(),
        }
        .at(self.stream, keys)
    }

    /// The path a field below a pod spec has (or would have).
    pub fn pod_path(&self, p: &Pod, keys: &[&str]) -> String {
        let mut out = p.path.clone();
        for k in keys {
            push_key(&mut out, k);
        }
        out
    }

    /// Field path of a setting found by [`Model::effective`].
    pub fn setting_path(&self, c: &Container, s: Setting, field: &str) -> String {
        let keys = [fields::names::SECURITY_CONTEXT, field];
        match s.level {
            Level::Container => self.container_path(c, &keys),
            Level::Pod => self.pod_path(self.pod_of(c), &keys),
        }
    }

    /// Where to point when a container lacks a setting: its `securityContext` key if it has
    /// one, else its `name` key, else the container mapping itself.
    pub fn container_anchor(&self, c: &Container) -> Span {
        let s = self.stream;
        if let Some(e) = s.get_entry(c.node, "securityContext") {
            return s.span(e.key);
        }
        self.container_name_span(c)
    }

    /// The span of the container's `name` key (the `- name:` entry).
    pub fn container_name_span(&self, c: &Container) -> Span {
        let s = self.stream;
        match s.get_entry(c.node, "name") {
            Some(e) => s.span(e.key),
            None => first_line(s, s.span(c.node)),
        }
    }

    /// The span to name a resource by: its `metadata.name` value, else its `kind` value.
    pub fn resource_anchor(&self, r: &Resource) -> Span {
        let s = self.stream;
        if let Some(n) = s.path(r.root, &["metadata", "name"]) {
            return s.span(n);
        }
        if let Some(k) = s.get(r.root, "kind") {
            return s.span(k);
        }
        first_line(s, s.span(r.root))
    }

    /// `container "app" of Deployment "web"`.
    pub fn describe(&self, c: &Container) -> String {
        let kind = match c.kind {
            ContainerKind::Init => "init container",
            ContainerKind::Regular => "container",
            ContainerKind::Ephemeral => "ephemeral container",
        };
        format!("{kind} \"{}\" of {}", c.name, self.resource_of(c).label())
    }

    /// True when the pod runs in a user namespace (`spec.hostUsers: false`); Pod Security relaxes
    /// some checks for it.
    pub fn user_namespaced(&self, p: &Pod) -> bool {
        self.stream
            .get(p.spec, "hostUsers")
            .and_then(|h| self.stream.bool(h))
            == Some(false)
    }

    /// True when the pod declares `spec.os.name: windows` (some PSS checks exempt it).
    pub fn is_windows(&self, p: &Pod) -> bool {
        self.stream
            .path(p.spec, &["os", "name"])
            .and_then(|n| self.stream.str(n))
            == Some("windows")
    }
}

fn first_line(s: &Stream, span: Span) -> Span {
    let text = s.slice(span);
    let len = text.find('\n').unwrap_or(text.len());
    Span {
        start: span.start,
        end: span.start + len as u32,
    }
}

/// The objects kubectl sends for one document. As its unstructured decoding does: an object
/// whose `items` is a list is a List whatever its kind (the object itself is not sent), `items:
/// null` sends nothing, and the items of a top-level List that name neither kind nor
/// apiVersion take the List's kind without "List". kubectl refuses a List inside a List and an
/// `items` that is not a list; kube4c says so and checks the contents all the same.
fn list_objects<'s>(
    stream: &'s Stream<'_>,
    doc: usize,
    root: NodeId,
    out: &mut Vec<Resource<'s>>,
    warnings: &mut Vec<Warning>,
) {
    // (node, path prefix, depth, kind inherited from the enclosing List)
    let mut work: Vec<(NodeId, String, usize, Option<&'s str>)> =
        vec![(root, String::new(), 0, None)];
    while let Some((node, prefix, depth, inherited)) = work.pop() {
        if !stream.is_map(node) {
            continue;
        }
        // kubectl's unstructured decoding: a top-level object with `items` is decoded as a
        // list first (its items must be objects), then needs a kind to be sent at all; inside
        // a list, only an `items` array makes a (nested) list.
        let kinded = stream
            .get(node, "kind")
            .and_then(|k| stream.str(k))
            .is_some_and(|k| !k.is_empty());
        let Some(items) = stream.get_entry(node, "items") else {
            out.extend(resource(stream, doc, node, prefix, inherited));
            continue;
        };
        if !stream.is_seq(items.value) {
            if depth == 0 && stream.is_null(items.value) && kinded {
                continue; // an empty List: nothing is sent
            }
            if depth == 0 && !stream.is_null(items.value) {
                warnings.push(Warning {
                    message: "`items` is not a list, so kubectl rejects this object (it reads any object with `items` as a List)".into(),
                    span: stream.span(items.key),
                    document: doc,
                });
            }
            out.extend(resource(stream, doc, node, prefix, inherited));
            continue;
        }
        if let Some(&bad) = stream
            .items(items.value)
            .iter()
            .find(|&&k| !stream.is_map(k) && !stream.is_null(k))
        {
            warnings.push(Warning {
                message: "a List item that is not an object: kubectl rejects this List".into(),
                span: stream.span(bad),
                document: doc,
            });
        }
        if depth == 0 && !kinded {
            out.extend(resource(stream, doc, node, prefix, inherited));
            continue;
        }
        if depth > 0 {
            warnings.push(Warning {
                message: "a List inside a List: kubectl rejects this file (\"not a list\"); kube4c checks its items anyway".into(),
                span: stream.span(items.key),
                document: doc,
            });
        }
        let list_kind = stream
            .get(node, "kind")
            .and_then(|k| stream.str(k))
            .unwrap_or("");
        let item_kind = list_kind.strip_suffix("List").unwrap_or(list_kind);
        let kids = stream.items(items.value);
        for (i, &item) in kids.iter().enumerate().rev() {
            let named = |k: &str| {
                stream
                    .get(item, k)
                    .and_then(|v| stream.str(v))
                    .is_some_and(|v| !v.is_empty())
            };
            let inherit =
                (depth == 0 && !named("kind") && !named("apiVersion")).then_some(item_kind);
            work.push((item, format!("{prefix}items[{i}]."), depth + 1, inherit));
        }
    }
}

fn resource<'s>(
    stream: &'s Stream<'_>,
    doc: usize,
    root: NodeId,
    prefix: String,
    inherited_kind: Option<&'s str>,
) -> Option<Resource<'s>> {
    if !stream.is_map(root) {
        return None;
    }
    let text = |n: Option<NodeId>| n.and_then(|n| stream.str(n));
    let meta = stream.get(root, "metadata");
    let kind = inherited_kind
        .or_else(|| text(stream.get(root, "kind")))
        .unwrap_or("");
    let name = text(meta.and_then(|m| stream.get(m, "name")))
        .or_else(|| text(meta.and_then(|m| stream.get(m, "generateName"))))
        .unwrap_or("");
    let namespace = text(meta.and_then(|m| stream.get(m, "namespace"))).filter(|s| !s.is_empty());
    let api_version = text(stream.get(root, "apiVersion")).unwrap_or("");
    Some(Resource {
        doc,
        root,
        kind,
        api_version,
        group: api_group(api_version),
        name,
        namespace,
        prefix,
        by_shape: false,
        reference: std::sync::Arc::new(ResourceRef {
            kind: kind.to_string(),
            name: name.to_string(),
            namespace: namespace.map(str::to_string),
            document: doc,
        }),
    })
}

/// True for a value the API server reads as boolean true.
pub fn is_true(s: &Stream, n: Option<NodeId>) -> bool {
    n.is_some_and(|n| matches!(s.node(n).value, Value::Bool(true)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse;

    #[test]
    fn pod_settings_reach_every_kind() {
        let kinds = [
            ("Pod", "spec:\n  X"),
            ("Deployment", "spec:\n  template:\n    spec:\n      X"),
            (
                "CronJob",
                "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          X",
            ),
            ("PodTemplate", "template:\n  spec:\n    X"),
        ];
        for (kind, body) in kinds {
            let indent = body.lines().last().unwrap().len() - 1;
            let spec = format!(
                "containers: [{{name: a, image: x}}]\n{0}initContainers: [{{name: i, image: x}}]\n{0}ephemeralContainers: [{{name: e, image: x}}]",
                " ".repeat(indent)
            );
            let text = format!(
                "kind: {kind}\nmetadata: {{name: n}}\n{}\n",
                body.replace('X', &spec)
            );
            let s = parse(&text);
            assert!(s.errors.is_empty(), "{kind}: {:?}", s.errors);
            let m = Model::new(&s);
            assert_eq!(m.pods.len(), 1, "{kind}");
            let names: Vec<_> = m.containers.iter().map(|c| c.name).collect();
            assert_eq!(names, ["i", "a", "e"], "{kind}");
        }
    }

    #[test]
    fn list_items_are_resources() {
        let s = parse("kind: List\nitems:\n- kind: Pod\n  metadata: {name: a}\n  spec: {containers: [{name: c}]}\n- kind: ConfigMap\n  metadata: {name: b}\n");
        let m = Model::new(&s);
        assert_eq!(m.resources.len(), 2);
        assert_eq!(m.containers[0].path, "items[0].spec.containers[0]");
    }

    #[test]
    fn container_wins_over_pod() {
        let s = parse("kind: Pod\nmetadata: {name: a}\nspec:\n  securityContext: {runAsUser: 1}\n  containers:\n  - {name: c, securityContext: {runAsUser: 2}}\n  - {name: d}\n");
        let m = Model::new(&s);
        let c = &m.containers[0];
        let e = m.effective(c, "runAsUser").unwrap();
        assert_eq!((s.int(e.node), e.level), (Some(2), Level::Container));
        let d = &m.containers[1];
        let e = m.effective(d, "runAsUser").unwrap();
        assert_eq!((s.int(e.node), e.level), (Some(1), Level::Pod));
    }

    #[test]
    fn case_mismatched_fields_are_warned() {
        let s = parse("kind: Pod\nmetadata: {name: a}\nspec:\n  HostPID: true\n  containers:\n  - name: c\n    securityContext:\n      RunAsNonRoot: true\n");
        let m = Model::new(&s);
        let w: Vec<_> = m.warnings.iter().map(|w| s.slice(w.span)).collect();
        assert_eq!(w, ["HostPID", "RunAsNonRoot"]);
        assert!(m.warnings[1].message.contains("`runAsNonRoot`"));
    }
}

#[cfg(test)]
mod kinds_tests {
    use super::*;
    use crate::document::parse;

    fn pods(text: &str) -> Vec<(String, bool)> {
        let s = parse(text);
        let m = Model::new(&s);
        m.pods
            .iter()
            .map(|p| (p.path.clone(), m.resources[p.resource].by_shape))
            .collect()
    }

    const TEMPLATE: &str =
        "spec:\n  template:\n    spec:\n      containers: [{name: c, image: nginx:1.27}]\n";

    #[test]
    fn custom_kinds_with_their_group() {
        for head in [
            "apiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\n",
            "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\n",
            "apiVersion: serving.knative.dev/v1\nkind: Service\n",
            "apiVersion: serving.knative.dev/v1\nkind: Configuration\n",
        ] {
            assert_eq!(
                pods(&format!("{head}{TEMPLATE}")),
                [("spec.template.spec".to_string(), false)],
                "{head}"
            );
        }
        let keda = "apiVersion: keda.sh/v1alpha1\nkind: ScaledJob\nspec:\n  jobTargetRef:\n    template:\n      spec:\n        containers: [{name: c, image: busybox:1.36}]\n";
        assert_eq!(
            pods(keda),
            [("spec.jobTargetRef.template.spec".to_string(), false)]
        );
        // A core Service is not a Knative one, whatever its spec holds.
        assert!(pods(&format!("apiVersion: v1\nkind: Service\n{TEMPLATE}")).is_empty());
    }

    #[test]
    fn unknown_kinds_by_shape() {
        assert_eq!(
            pods(&format!(
                "apiVersion: example.com/v1\nkind: Widget\n{TEMPLATE}"
            )),
            [("spec.template.spec".to_string(), true)]
        );
        // Built-in groups are never guessed; containers without images are not a pod.
        assert!(pods(&format!("apiVersion: policy/v1\nkind: Widget\n{TEMPLATE}")).is_empty());
        assert!(pods("apiVersion: example.com/v1\nkind: W\nspec:\n  template:\n    spec:\n      containers: [{name: c}]\n").is_empty());
    }
}
