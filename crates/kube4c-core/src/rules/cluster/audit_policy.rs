use crate::document::NodeId;
use crate::rules::{Context, FixAvailability, RuleMeta};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cluster/audit-policy",
    layer: Layer::Cluster,
    severity: Severity::Medium,
    title: "Audit policy blind to, or leaking, Secrets",
    what: "An audit `Policy` (audit.k8s.io) whose first rule matching Secrets (or service account tokens) logs them at `RequestResponse` or `Request` (the Secret's data lands in the audit log), or at `None` (nobody can tell who read them); and a policy whose rules log nothing at all.",
    why: "The audit log is how a breach is reconstructed: who read which Secret, when. Logging Secrets' bodies copies every credential into a log store with far weaker access control; not logging access to them hides the attacker's most valuable step.",
    remediation: "Add, before the broader rules, a rule logging `secrets`, `configmaps` and `serviceaccounts/token` at `Metadata` level.",
    example: "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n  resources:\n  - group: \"\"\n    resources: [secrets, configmaps, serviceaccounts/token]\n- level: RequestResponse\n  resources:\n  - group: \"\"\n    resources: [pods]",
    pss: &[],
    fix: FixAvailability::None,
    options: &[],
    references: &["CIS Kubernetes 3.2.1, 3.2.2", "Kubernetes docs: Auditing"],
    peers: &[],
};

/// Does an audit rule's `resources` list (absent: every resource) cover Secrets?
fn covers_secrets(s: &crate::document::Stream, rule: NodeId) -> bool {
    let Some(groups) = s.get(rule, "resources") else {
        // No resources selector: the rule matches every request (unless it limits by URLs).
        return s.get(rule, "nonResourceURLs").is_none();
    };
    s.items(groups).iter().any(|&g| {
        let group = s.get(g, "group").and_then(|x| s.str(x)).unwrap_or("");
        let resources = s.get(g, "resources").map_or(&[][..], |l| s.items(l));
        (group.is_empty() || group == "*")
            && (resources.is_empty()
                || resources
                    .iter()
                    .any(|&x| matches!(s.str(x), Some("secrets" | "*" | "serviceaccounts/token"))))
    })
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let s = cx.stream;
    for r in &cx.model.resources {
        if !r.is("audit.k8s.io", "Policy") {
            continue;
        }
        let rules = s.get(r.root, "rules").map_or(&[][..], |l| s.items(l));
        let level = |rule: NodeId| s.get(rule, "level");
        if !rules.is_empty()
            && rules
                .iter()
                .all(|&x| level(x).and_then(|l| s.str(l)) == Some("None"))
        {
            let at = s
                .get_entry(r.root, "rules")
                .map_or(s.span(r.root), |e| s.span(e.key));
            out.push(cx.finding(
                &META,
                r,
                at,
                r.path(&["rules"]),
                format!("{} logs nothing: every rule is level None", r.label()),
            ));
            continue;
        }
        // Rules that only match some verbs or users still decide for those requests; the
        // first rule that covers Secrets for any request is what a reader of Secrets meets.
        let Some((i, &rule)) = rules
            .iter()
            .enumerate()
            .find(|(_, &x)| covers_secrets(s, x))
        else {
            continue;
        };
        let Some(l) = level(rule) else { continue };
        let what = match s.str(l) {
            Some("RequestResponse" | "Request") => "writes Secrets' contents into the audit log",
            Some("None") => "does not record who reads or changes Secrets",
            _ => continue,
        };
        out.push(cx.finding(
            &META,
            r,
            s.span(l),
            r.path(&["rules"]) + &format!("[{i}].level"),
            format!("{} {what} (level `{}`)", r.label(), s.slice(s.span(l))),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::rules::testing::*;

    const HEAD: &str = "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n";

    #[test]
    fn pass() {
        assert_pass(&META, &format!("{HEAD}- level: Metadata\n  resources:\n  - group: \"\"\n    resources: [secrets]\n- level: RequestResponse\n"));
        assert_pass(&META, &format!("{HEAD}- level: Metadata\n"));
    }

    #[test]
    fn fail() {
        assert_fail(
            &META,
            &format!("{HEAD}- level: RequestResponse\n"),
            &[(4, "RequestResponse")],
        );
        assert_fail(&META, &format!("{HEAD}- level: None\n  resources:\n  - group: \"\"\n    resources: [secrets]\n- level: Metadata\n"), &[(4, "None")]);
        assert_fail(&META, &format!("{HEAD}- level: None\n"), &[(3, "rules")]);
    }
}
