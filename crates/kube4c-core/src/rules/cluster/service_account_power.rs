use crate::document::{NodeId, Span, Stream};
use crate::index::Obj;
use crate::model::{selector_matches, Model, Selector};
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/service-account-power",
    layer: Layer::Cluster,
    severity: Severity::High,
    title: "Workload's service account holds dangerous RBAC rights",
    what: "Workloads whose service account (`serviceAccountName`, else `default`) is bound — by a RoleBinding or ClusterRoleBinding of the run, directly or through the groups `system:serviceaccounts` and `system:serviceaccounts:<namespace>` — to a role that can read Secrets, create pods or workloads, exec into pods, escalate, bind or impersonate, or is cluster-admin. Roles are resolved in the run (aggregated ClusterRoles from the ClusterRoles whose labels their `aggregationRule` selects) or are the built-in `cluster-admin`, `admin` and `edit`. Pods that get no token are skipped: `automountServiceAccountToken: false` on the pod, or unset there and false on its ServiceAccount in the run.",
    why: "Every process in the pod can read the service account token. Whoever compromises the application gets these rights: reading every Secret of the namespace, starting a privileged pod, or exec'ing into other workloads is how one foothold becomes the whole cluster.",
    remediation: "Give the workload its own service account bound to a role with only the verbs and resources it needs (no Secrets unless it needs them, named with `resourceNames`), or set `automountServiceAccountToken: false` when it needs no API access.",
    example: "spec:\n  serviceAccountName: task-api\n  automountServiceAccountToken: false",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.1.2, 5.1.4, 5.1.5, 5.1.6, 5.1.8", "4C model: Cluster layer, least-privilege RBAC"],
    peers: &[("kubescape", "C-0053"), ("trivy", "KSV041")],
};

/// A right worth an attacker's while.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Power {
    ClusterAdmin,
    ReadSecrets,
    CreatePods,
    Exec,
    /// escalate, bind or impersonate.
    Escalate,
}

impl Power {
    fn describe(self) -> &'static str {
        match self {
            Power::ClusterAdmin => "do anything (cluster-admin)",
            Power::ReadSecrets => "read Secrets",
            Power::CreatePods => "create pods",
            Power::Exec => "exec into pods",
            Power::Escalate => "escalate, bind or impersonate",
        }
    }
}

const WORKLOADS: [&str; 8] = [
    "pods",
    "deployments",
    "daemonsets",
    "statefulsets",
    "replicasets",
    "jobs",
    "cronjobs",
    "replicationcontrollers",
];

/// The powers one PolicyRule grants.
fn rule_powers(s: &Stream, rule: NodeId, out: &mut Vec<Power>) {
    let list = |k: &str| -> Vec<&str> {
        s.get(rule, k)
            .map(|l| s.items(l).iter().filter_map(|&i| s.str(i)).collect())
            .unwrap_or_default()
    };
    let (groups, resources, verbs) = (list("apiGroups"), list("resources"), list("verbs"));
    let named = s
        .get(rule, "resourceNames")
        .is_some_and(|n| !s.items(n).is_empty());
    let verb = |v: &str| verbs.iter().any(|x| *x == "*" || *x == v);
    let resource = |r: &str| resources.iter().any(|x| *x == "*" || *x == r);
    let group = |g: &str| groups.iter().any(|x| *x == "*" || *x == g);
    if groups.contains(&"*") && resources.contains(&"*") && verbs.contains(&"*") {
        out.push(Power::ClusterAdmin);
        return;
    }
    if group("") && resource("secrets") && !named && (verb("get") || verb("list") || verb("watch"))
    {
        out.push(Power::ReadSecrets);
    }
    let workload_groups = ["", "apps", "batch"];
    if verb("create")
        && workload_groups.iter().any(|g| group(g))
        && WORKLOADS.iter().any(|w| resource(w))
    {
        out.push(Power::CreatePods);
    }
    if group("") && resource("pods/exec") && (verb("create") || verb("get")) {
        out.push(Power::Exec);
    }
    if verb("escalate") || verb("bind") || verb("impersonate") {
        out.push(Power::Escalate);
    }
}

/// The powers of a role of the run, with aggregation (ClusterRoles whose labels the role's
/// `aggregationRule` selects).
fn role_powers(cx: &Context, role: Obj) -> Vec<Power> {
    let (m, r) = cx.object(role);
    let s = m.stream;
    let mut out = Vec::new();
    for &rule in s.get(r.root, "rules").map_or(&[][..], |l| s.items(l)) {
        rule_powers(s, rule, &mut out);
    }
    if let Some(sels) = s.path(r.root, &["aggregationRule", "clusterRoleSelectors"]) {
        let selectors: Vec<Selector> = s
            .items(sels)
            .iter()
            .map(|&n| Selector::read(s, Some(n)))
            .collect();
        for &other in &cx.index().cluster_roles {
            if other == role {
                continue;
            }
            let (om, or) = cx.object(other);
            let labels = om.stream.path(or.root, &["metadata", "labels"]);
            if selectors
                .iter()
                .any(|sel| !sel.is_empty() && selector_matches(sel, om.stream, labels))
            {
                for &rule in om
                    .stream
                    .get(or.root, "rules")
                    .map_or(&[][..], |l| om.stream.items(l))
                {
                    rule_powers(om.stream, rule, &mut out);
                }
            }
        }
    }
    out
}

/// Built-in ClusterRoles every cluster has.
fn builtin_powers(name: &str) -> Option<&'static [Power]> {
    Some(match name {
        "cluster-admin" => &[Power::ClusterAdmin],
        "admin" | "edit" => &[Power::ReadSecrets, Power::CreatePods, Power::Exec],
        "view" => &[],
        _ => return None,
    })
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = cx.model;
    let s = cx.stream;
    if cx.index().service_account_bindings.is_empty() && cx.index().group_bindings.is_empty() {
        return;
    }
    for pod in &m.pods {
        let r = m.resource_of_pod(pod);
        let ns = cx.index().namespace(r);
        // No token in the pod (its own setting, else its ServiceAccount's), no rights to steal.
        let (mounted, sa) = cx.index().pod_token(s, pod, ns);
        if !mounted {
            continue;
        }
        let sa_node = ["serviceAccountName", "serviceAccount"]
            .iter()
            .find_map(|k| s.get(pod.spec, k))
            .filter(|&n| s.str(n).is_some_and(|t| !t.is_empty()));
        let mut bindings: Vec<Obj> = Vec::new();
        if let Some(b) = cx
            .index()
            .service_account_bindings
            .get(&(ns.to_string(), sa.to_string()))
        {
            bindings.extend(b);
        }
        for group in [
            "system:serviceaccounts".to_string(),
            format!("system:serviceaccounts:{ns}"),
        ] {
            if let Some(b) = cx.index().group_bindings.get(&group) {
                bindings.extend(b);
            }
        }
        bindings.sort_by_key(|o| (o.file, o.resource));
        bindings.dedup();
        let mut powers: Vec<Power> = Vec::new();
        let mut via: Vec<(Obj, Option<Obj>, String)> = Vec::new();
        for b in bindings {
            let (bm, br) = cx.object(b);
            // A RoleBinding grants only in its own namespace.
            if br.kind == "RoleBinding" && cx.index().namespace(br) != ns {
                continue;
            }
            let Some(key) = cx.index().role_ref_key(bm.stream, br) else {
                continue;
            };
            let (granted, role_obj) = match cx.index().roles.get(&key) {
                Some(&role) => (role_powers(cx, role), Some(role)),
                None if key.0 == "ClusterRole" => match builtin_powers(&key.2) {
                    Some(p) => (p.to_vec(), None),
                    None => continue,
                },
                None => continue,
            };
            if granted.is_empty() {
                continue;
            }
            powers.extend(&granted);
            via.push((b, role_obj, format!("{} {}", key.0, key.2)));
        }
        if powers.is_empty() {
            continue;
        }
        powers.sort();
        powers.dedup();
        let what: Vec<&str> = powers.iter().map(|p| p.describe()).collect();
        let span: Span = sa_node.map_or_else(|| m.resource_anchor(r), |n| s.span(n));
        let mut f = cx.finding(
            &META,
            r,
            span,
            m.pod_path(pod, &["serviceAccountName"]),
            format!(
                "pods of {} run as service account {ns}/{sa}, which can {} (through {})",
                r.label(),
                what.join(", "),
                via.iter()
                    .map(|(_, _, role)| role.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        for (b, role, role_name) in via.iter().take(4) {
            let (bm, br) = cx.object(*b);
            f = cx.related(
                f,
                *b,
                bm.resource_anchor(br),
                format!("{} grants {role_name}", br.label()),
            );
            if let Some(role) = role {
                let (rm, rr) = cx.object(*role);
                f = cx.related(
                    f,
                    *role,
                    anchor(rm, rr),
                    format!("{} is defined here", rr.label()),
                );
            }
        }
        out.push(f);
    }
}

fn anchor(m: &Model, r: &crate::model::Resource) -> Span {
    m.resource_anchor(r)
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    fn with(rbac: &str) -> String {
        let d = deployment("serviceAccountName: api", "");
        format!("{d}---\n{rbac}")
    }

    const BIND: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: KIND, name: ROLE}\nsubjects:\n- {kind: ServiceAccount, name: api}\n";

    fn bind(kind: &str, role: &str) -> String {
        BIND.replace("KIND", kind).replace("ROLE", role)
    }

    #[test]
    fn pass() {
        // A narrow role; secrets only by name.
        let role = "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: shop}\nrules:\n- {apiGroups: [\"\"], resources: [configmaps], verbs: [get, list]}\n- {apiGroups: [\"\"], resources: [secrets], resourceNames: [api-tls], verbs: [get]}\n";
        assert_pass(&META, &with(&format!("{}{role}", bind("Role", "r"))));
        assert_pass(&META, &with(&bind("ClusterRole", "view")));
        // Another service account is bound.
        assert_pass(
            &META,
            &with(&bind("ClusterRole", "edit").replace("name: api}", "name: other}")),
        );
        // No token mounted.
        let d = deployment(
            "serviceAccountName: api\nautomountServiceAccountToken: false",
            "",
        );
        assert_pass(
            &META,
            &format!("{d}---\n{}", bind("ClusterRole", "cluster-admin")),
        );
        // A RoleBinding of another namespace grants nothing here.
        assert_pass(
            &META,
            &with(&bind("ClusterRole", "edit").replace("namespace: shop}", "namespace: other}")),
        );
    }

    #[test]
    fn fail() {
        assert_fail(&META, &with(&bind("ClusterRole", "edit")), &[(12, "api")]);
        // The default service account, through the namespace's service-account group.
        let group = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: all}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secrets}\nsubjects:\n- {kind: Group, name: \"system:serviceaccounts:shop\"}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: secrets}\nrules:\n- {apiGroups: [\"\"], resources: [secrets], verbs: [list]}\n";
        assert_fail(
            &META,
            &format!("{}---\n{group}", deployment("", "")),
            &[(4, "web")],
        );
        // An aggregated ClusterRole picks up the rules of the roles it selects.
        let agg = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: agg}\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {rbac.example.com/aggregate-to-agg: \"true\"}\nrules: []\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: piece\n  labels: {rbac.example.com/aggregate-to-agg: \"true\"}\nrules:\n- {apiGroups: [\"\"], resources: [pods/exec], verbs: [create]}\n";
        assert_fail(
            &META,
            &with(&format!("{}---\n{agg}", bind("ClusterRole", "agg"))),
            &[(12, "api")],
        );
    }

    #[test]
    fn message_names_the_rights_and_the_path() {
        let text = with(&bind("ClusterRole", "cluster-admin"));
        let r = crate::check(&text, &crate::Options::default());
        let f = r.findings.iter().find(|f| f.meta().id == META.id).unwrap();
        assert_eq!(
            f.message,
            "pods of Deployment \"shop/web\" run as service account shop/api, which can do anything (cluster-admin) (through ClusterRole cluster-admin)"
        );
        assert_eq!(
            f.related.len(),
            1,
            "the binding (cluster-admin is built in)"
        );
    }
}
