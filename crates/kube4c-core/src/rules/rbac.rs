//! Reading the rules (PolicyRules) of Roles and ClusterRoles for the RBAC rules: one finding
//! per rule entry that grants the right, at the item that grants it, with the bindings of the
//! role in the run as related locations.
//!
//! Wildcards: a `*` in `resources` matches every resource and subresource, `pods/*` every
//! subresource of pods, `*` in `verbs` every verb, `*` in `apiGroups` every group (as the
//! API server's RBAC authorizer matches them). A right granted only through a `*` in the
//! position the rule is about is left to `cluster/rbac-wildcard` when that rule runs: one story
//! for `{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}`, not eight.

use crate::document::{NodeId, Stream};
use crate::index::RBAC;
use crate::model::Resource;
use crate::rules::{cluster::rbac_wildcard, Context, RuleMeta};
use crate::Finding;

/// One item of a PolicyRule list.
#[derive(Clone, Copy)]
pub(crate) struct Item<'s> {
    pub node: NodeId,
    pub text: &'s str,
}

/// One PolicyRule of a role.
pub(crate) struct PolicyRule<'s> {
    pub groups: Vec<Item<'s>>,
    pub resources: Vec<Item<'s>>,
    pub verbs: Vec<Item<'s>>,
    /// `resourceNames` restricts the rule to named objects.
    pub named: bool,
    /// Those names.
    pub names: Vec<&'s str>,
}

/// How an item matched: by name, or only through a wildcard.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Match {
    Named,
    Wildcard,
}

pub(crate) struct Hit {
    pub node: NodeId,
    pub how: Match,
}

impl<'s> PolicyRule<'s> {
    fn read(s: &'s Stream, rule: NodeId) -> PolicyRule<'s> {
        let list = |k: &str| -> Vec<Item<'s>> {
            s.get(rule, k)
                .map(|l| {
                    s.items(l)
                        .iter()
                        .filter_map(|&i| s.str(i).map(|t| Item { node: i, text: t }))
                        .collect()
                })
                .unwrap_or_default()
        };
        PolicyRule {
            groups: list("apiGroups"),
            resources: list("resources"),
            verbs: list("verbs"),
            named: s
                .get(rule, "resourceNames")
                .is_some_and(|n| !s.items(n).is_empty()),
            names: s
                .get(rule, "resourceNames")
                .map(|n| s.items(n).iter().filter_map(|&i| s.str(i)).collect())
                .unwrap_or_default(),
        }
    }

    fn find(items: &[Item], want: impl Fn(&str) -> bool, wildcard: bool) -> Option<Hit> {
        if let Some(i) = items.iter().find(|i| want(i.text)) {
            return Some(Hit {
                node: i.node,
                how: Match::Named,
            });
        }
        if wildcard {
            return items.iter().find(|i| i.text == "*").map(|i| Hit {
                node: i.node,
                how: Match::Wildcard,
            });
        }
        None
    }

    /// Does the rule cover the API group?
    pub fn group(&self, g: &str) -> bool {
        self.groups.iter().any(|i| i.text == "*" || i.text == g)
    }
    /// The item granting `resource` (`pods`, or a subresource `pods/exec`).
    pub fn resource(&self, resource: &str) -> Option<Hit> {
        let parent = resource.split_once('/').map(|(p, _)| p);
        Self::find(
            &self.resources,
            |t| t == resource || parent.is_some_and(|p| t.strip_suffix("/*") == Some(p)),
            true,
        )
    }
    /// The item granting one of `verbs`.
    pub fn verb(&self, verbs: &[&str]) -> Option<Hit> {
        Self::find(&self.verbs, |t| verbs.contains(&t), true)
    }
}

/// What a rule entry grants, as an RBAC rule sees it.
pub(crate) struct Grant {
    /// Where to point: the resource (or verb) item that grants the right.
    pub node: NodeId,
    /// Which list it is in (`resources`, `verbs`).
    pub field: &'static str,
    /// What it lets a subject do, after "can": `read Secrets (get, list)`.
    pub what: String,
    /// True when the right comes only from a `*` in the position the rule is about.
    pub wildcard: bool,
}

/// Run `grant` over every PolicyRule of every Role and ClusterRole of this input.
pub(crate) fn report_rules(
    cx: &Context,
    meta: &'static RuleMeta,
    grant: impl Fn(&PolicyRule) -> Option<Grant>,
    out: &mut Vec<Finding>,
) {
    report_rules_where(cx, meta, |_, _| true, grant, out)
}

/// [`report_rules`] over the roles `scope` accepts.
pub(crate) fn report_rules_where(
    cx: &Context,
    meta: &'static RuleMeta,
    scope: impl Fn(&Context, &Resource) -> bool,
    grant: impl Fn(&PolicyRule) -> Option<Grant>,
    out: &mut Vec<Finding>,
) {
    let s = cx.stream;
    let wildcard_rule = cx.enabled(&rbac_wildcard::META);
    for r in &cx.model.resources {
        if !is_role(r) || !scope(cx, r) {
            continue;
        }
        let Some(rules) = s.get(r.root, "rules") else {
            continue;
        };
        for (i, &rule) in s.items(rules).iter().enumerate() {
            let pr = PolicyRule::read(s, rule);
            let Some(g) = grant(&pr) else {
                continue;
            };
            if g.wildcard && wildcard_rule {
                continue;
            }
            let f = cx.finding(
                meta,
                r,
                s.span(g.node),
                format!("{}rules[{i}].{}", r.prefix, g.field),
                format!("{} can {}", r.label(), g.what),
            );
            out.push(with_bindings(cx, r, f));
        }
    }
}

pub(crate) fn is_role(r: &Resource) -> bool {
    r.is(RBAC, "Role") || r.is(RBAC, "ClusterRole")
}

/// The bindings of a role in the run, as related locations (the first five).
pub(crate) fn with_bindings(cx: &Context, r: &Resource, mut f: Finding) -> Finding {
    let bindings = cx
        .index()
        .role_key(r)
        .and_then(|k| cx.index().bindings.get(&k))
        .map_or(&[][..], |v| v.as_slice());
    for &b in bindings.iter().take(5) {
        let (bm, br) = cx.object(b);
        f = cx.related(
            f,
            b,
            bm.resource_anchor(br),
            format!("{} grants this role", br.label()),
        );
    }
    f
}

/// The common case: `verbs` on `resources` of `group`; the finding points at the resource
/// item (or at the verb when the resource is named and the verb is what makes it dangerous).
pub(crate) fn grants(
    pr: &PolicyRule,
    group: &str,
    resources: &[&str],
    verbs: &[&str],
    what: &str,
) -> Option<Grant> {
    if !pr.group(group) {
        return None;
    }
    let res = resources.iter().find_map(|r| pr.resource(r))?;
    pr.verb(verbs)?;
    let granted: Vec<&str> = pr
        .verbs
        .iter()
        .map(|v| v.text)
        .filter(|v| *v == "*" || verbs.contains(v))
        .collect();
    Some(Grant {
        node: res.node,
        field: "resources",
        what: format!("{what} ({})", granted.join(", ")),
        wildcard: res.how == Match::Wildcard,
    })
}
