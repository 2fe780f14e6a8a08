use crate::document::{NodeId, Stream};
use crate::index::Index;
use crate::model::{map_selector_matches, push_key, Resource};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/dangling-reference",
    layer: Layer::Cluster,
    severity: Severity::Info,
    title: "Reference to an object the application does not define",
    what: "A pod naming a ConfigMap, Secret, ServiceAccount or PersistentVolumeClaim (volumes, `env`/`envFrom`, `serviceAccountName`, `imagePullSecrets`; `optional: true` references excepted), an Ingress backend naming a Service, a Service whose selector matches no pod, or a RoleBinding/ClusterRoleBinding naming a ServiceAccount — when the run defines none of that name in that namespace but does define others of that kind there (so it looks like the whole application, not a fragment).",
    why: "A dangling reference is either a typo that breaks the rollout (pods stuck in ContainerCreating, a Service with no endpoints) or a dependency on something created out of band — which a reviewer cannot see, and which someone else can create first with the content of their choosing (a ServiceAccount or Secret of that name).",
    remediation: "Fix the name, or add the object to the manifests so that what the workload depends on is reviewed with it.",
    example: "envFrom:\n- configMapRef:\n    name: task-api-config   # defined in the same manifests",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["kube-score: service-targets-pod, ingress-targets-service"],
    peers: &[("kube-score", "service-targets-pod"), ("kube-linter", "dangling-service")],
};

/// (path below the pod spec, kind, the node holding the name).
fn pod_references(s: &Stream, spec: NodeId, path: &str) -> Vec<(String, &'static str, NodeId)> {
    let mut out = Vec::new();
    let optional = |n: NodeId| s.get(n, "optional").and_then(|o| s.bool(o)) == Some(true);
    let mut add = |p: String, kind: &'static str, holder: NodeId, key: &str| {
        if optional(holder) {
            return;
        }
        if let Some(n) = s
            .get(holder, key)
            .filter(|&n| s.str(n).is_some_and(|t| !t.is_empty()))
        {
            let mut p = p;
            push_key(&mut p, key);
            out.push((p, kind, n));
        }
    };
    add(
        path.to_string(),
        "ServiceAccount",
        spec,
        "serviceAccountName",
    );
    for (i, &ips) in s
        .get(spec, "imagePullSecrets")
        .map_or(&[][..], |l| s.items(l))
        .iter()
        .enumerate()
    {
        add(
            format!("{path}.imagePullSecrets[{i}]"),
            "Secret",
            ips,
            "name",
        );
    }
    for (i, &v) in s
        .get(spec, "volumes")
        .map_or(&[][..], |l| s.items(l))
        .iter()
        .enumerate()
    {
        let vp = format!("{path}.volumes[{i}]");
        if let Some(c) = s.get(v, "configMap") {
            add(format!("{vp}.configMap"), "ConfigMap", c, "name");
        }
        if let Some(c) = s.get(v, "secret") {
            add(format!("{vp}.secret"), "Secret", c, "secretName");
        }
        if let Some(c) = s.get(v, "persistentVolumeClaim") {
            add(
                format!("{vp}.persistentVolumeClaim"),
                "PersistentVolumeClaim",
                c,
                "claimName",
            );
        }
        for (j, &src) in s
            .path(v, &["projected", "sources"])
            .map_or(&[][..], |l| s.items(l))
            .iter()
            .enumerate()
        {
            let sp = format!("{vp}.projected.sources[{j}]");
            if let Some(c) = s.get(src, "configMap") {
                add(format!("{sp}.configMap"), "ConfigMap", c, "name");
            }
            if let Some(c) = s.get(src, "secret") {
                add(format!("{sp}.secret"), "Secret", c, "name");
            }
        }
    }
    for list in ["initContainers", "containers"] {
        for (ci, &c) in s
            .get(spec, list)
            .map_or(&[][..], |l| s.items(l))
            .iter()
            .enumerate()
        {
            let cp = format!("{path}.{list}[{ci}]");
            for (k, &e) in s
                .get(c, "env")
                .map_or(&[][..], |l| s.items(l))
                .iter()
                .enumerate()
            {
                let ep = format!("{cp}.env[{k}].valueFrom");
                if let Some(r) = s.path(e, &["valueFrom", "configMapKeyRef"]) {
                    add(format!("{ep}.configMapKeyRef"), "ConfigMap", r, "name");
                }
                if let Some(r) = s.path(e, &["valueFrom", "secretKeyRef"]) {
                    add(format!("{ep}.secretKeyRef"), "Secret", r, "name");
                }
            }
            for (k, &e) in s
                .get(c, "envFrom")
                .map_or(&[][..], |l| s.items(l))
                .iter()
                .enumerate()
            {
                let ep = format!("{cp}.envFrom[{k}]");
                if let Some(r) = s.get(e, "configMapRef") {
                    add(format!("{ep}.configMapRef"), "ConfigMap", r, "name");
                }
                if let Some(r) = s.get(e, "secretRef") {
                    add(format!("{ep}.secretRef"), "Secret", r, "name");
                }
            }
        }
    }
    out
}

/// The run defines other objects of this kind in the namespace, but none of this name.
fn dangling(index: &Index, kind: &'static str, ns: &str, name: &str) -> bool {
    index.kinds_in_namespace.contains(&(kind, ns.to_string()))
        && !index
            .named
            .contains(&(kind, ns.to_string(), name.to_string()))
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    let index = cx.index();
    let mut report = |r: &Resource, node: NodeId, path: String, msg: String| {
        out.push(cx.finding(&META, r, s.span(node), path, format!("{} {msg}", r.label())));
    };
    for pod in &m.pods {
        let r = m.resource_of_pod(pod);
        let ns = index.namespace(r);
        for (path, kind, n) in pod_references(s, pod.spec, &pod.path) {
            let name = s.str(n).unwrap_or("");
            if dangling(index, kind, ns, name) {
                report(r, n, path, format!("refers to {kind} \"{name}\", which the manifests do not define in namespace {ns}"));
            }
        }
    }
    for r in &m.resources {
        let ns = index.namespace(r);
        if r.is("", "Service") {
            // A Service with a selector that reaches no pod of the run (when the run has pods
            // in the namespace; ExternalName and selector-less Services are left alone).
            let Some(sel) = s
                .path(r.root, &["spec", "selector"])
                .filter(|&n| !s.entries(n).is_empty())
            else {
                continue;
            };
            let Some(pods) = index.pods.get(ns) else {
                continue;
            };
            let first = s
                .entries(sel)
                .first()
                .and_then(|e| Some((s.key_str(e.key), s.scalar_text(e.value)?)));
            let candidates = match &first {
                Some((k, v)) => index.candidate_pods(ns, Some((k, v))),
                None => &[][..],
            };
            let reaches = candidates.iter().any(|&(file, pi)| {
                let pm = &cx.files()[file];
                map_selector_matches(s, sel, pm.stream, pm.pods[pi].labels)
            });
            if !reaches {
                report(r, sel, r.path(&["spec", "selector"]), format!("selects none of the {} pod templates of namespace {ns} in the manifests: it has no endpoints", pods.len()));
            }
        } else if r.is("networking.k8s.io", "Ingress") {
            let backends = crate::index::ingress_backends(s, r);
            for (path, n) in backends {
                let name = s.str(n).unwrap_or("");
                if dangling(index, "Service", ns, name) {
                    report(r, n, path, format!("routes to Service \"{name}\", which the manifests do not define in namespace {ns}"));
                }
            }
        } else if r.is(crate::index::RBAC, "RoleBinding")
            || r.is(crate::index::RBAC, "ClusterRoleBinding")
        {
            for (i, &sub) in s
                .get(r.root, "subjects")
                .map_or(&[][..], |l| s.items(l))
                .iter()
                .enumerate()
            {
                if s.get(sub, "kind").and_then(|k| s.str(k)) != Some("ServiceAccount") {
                    continue;
                }
                let Some(n) = s.get(sub, "name") else {
                    continue;
                };
                let name = s.str(n).unwrap_or("");
                let sub_ns = s.get(sub, "namespace").and_then(|x| s.str(x)).unwrap_or(ns);
                if dangling(index, "ServiceAccount", sub_ns, name) {
                    report(r, n, r.path(&["subjects"]) + &format!("[{i}].name"), format!("binds ServiceAccount \"{sub_ns}/{name}\", which the manifests do not define: whoever creates it first gets the role"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    const CM: &str = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config, namespace: shop}\ndata: {a: b}\n";

    #[test]
    fn pass() {
        let d = deployment("", "envFrom:\n- configMapRef: {name: web-config}");
        assert_pass(&META, &format!("{d}{CM}"));
        // No ConfigMap at all in the input: a fragment, not the whole application.
        assert_pass(
            &META,
            &deployment("", "envFrom:\n- configMapRef: {name: other}"),
        );
        // Optional references may be absent.
        let d = deployment(
            "",
            "envFrom:\n- configMapRef: {name: other, optional: true}",
        );
        assert_pass(&META, &format!("{d}{CM}"));
        let svc = "---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n";
        assert_pass(&META, &format!("{}{svc}", deployment("", "")));
    }

    #[test]
    fn fail() {
        let d = deployment("", "envFrom:\n- configMapRef: {name: web-cnofig}");
        assert_fail(&META, &format!("{d}{CM}"), &[(16, "web-cnofig")]);
        let svc = "---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {selector: {app: webb}, ports: [{port: 80}]}\n";
        assert_fail(
            &META,
            &format!("{}{svc}", deployment("", "")),
            &[(19, "{app: webb}")],
        );
        let binding = "---\nkind: RoleBinding\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: b, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects: [{kind: ServiceAccount, name: deployer}]\n---\nkind: ServiceAccount\napiVersion: v1\nmetadata: {name: web, namespace: shop}\n";
        assert_fail(
            &META,
            &format!("{}{binding}", deployment("", "")),
            &[(20, "deployer")],
        );
    }
}
