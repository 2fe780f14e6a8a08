use crate::index::RBAC;
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/rbac-wildcard",
    layer: Layer::Cluster,
    severity: Severity::High,
    title: "RBAC rule uses a wildcard",
    what: "`*` in the `verbs`, `resources` or `apiGroups` of a Role or ClusterRole rule: one finding per rule entry, at its first `*`, naming every list that has one.",
    why: "A wildcard grants today's and every future verb, resource and API group: `resources: [\"*\"]` includes Secrets, and `verbs: [\"*\"]` includes `escalate`, `bind` and `impersonate`, which lead to cluster-admin.",
    remediation: "List the exact verbs, resources and API groups the subject needs.",
    example: "rules:\n- apiGroups: [\"\"]\n  resources: [\"configmaps\"]\n  verbs: [\"get\", \"list\"]",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 5.1.3", "4C model: Cluster layer, RBAC without wildcards"],
    peers: &[("kube-linter", "wildcard-in-rules"), ("checkov", "CKV_K8S_49"), ("trivy", "KSV044")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is(RBAC, "Role") && !r.is(RBAC, "ClusterRole") {
            continue;
        }
        let Some(rules) = s.get(r.root, "rules") else {
            continue;
        };
        let bindings = cx
            .index()
            .role_key(r)
            .and_then(|k| cx.index().bindings.get(&k))
            .map_or(&[][..], |v| v.as_slice());
        for (i, &rule) in s.items(rules).iter().enumerate() {
            // One finding per rule entry, at its first `*`, naming every list that has one.
            let mut first = None;
            let mut fields = Vec::new();
            for field in ["apiGroups", "resources", "verbs"] {
                let Some(list) = s.get(rule, field) else {
                    continue;
                };
                if let Some(&item) = s.items(list).iter().find(|&&it| s.str(it) == Some("*")) {
                    first.get_or_insert((item, field));
                    fields.push(field);
                }
            }
            let Some((item, field)) = first else {
                continue;
            };
            let mut f = cx.finding(
                &META,
                r,
                s.span(item),
                format!("{}rules[{i}].{field}", r.prefix),
                format!("{} grants `*` in {}", r.label(), fields.join(", ")),
            );
            // Who holds the wildcard: the bindings of this role in the input.
            for &b in bindings.iter().take(5) {
                let (bm, br) = cx.object(b);
                f = cx.related(
                    f,
                    b,
                    bm.resource_anchor(br),
                    format!("{} grants this role", br.label()),
                );
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    #[test]
    fn pass() {
        assert_pass(&META, "kind: Role\nmetadata: {name: r}\nrules:\n- apiGroups: [\"\"]\n  resources: [configmaps]\n  verbs: [get, list]\n");
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            "kind: ClusterRole\nmetadata: {name: r}\nrules:\n- apiGroups: ['*']\n  resources:\n  - pods\n  - \"*\"\n  verbs: [get, '*']\n",
            &[(4, "'*'")],
        );
    }
}
