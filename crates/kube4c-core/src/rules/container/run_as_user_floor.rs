use crate::options::OptionValue;
use crate::rules::{Context, FixAvailability, OptionDefault, RuleMeta, RuleOption};
use crate::{Finding, Layer, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "container/run-as-user-floor",
    layer: Layer::Container,
    severity: Severity::Low,
    title: "Container's UID or GID is below the configured floor",
    what: "Containers whose effective `runAsUser` or `runAsGroup` (container level, else pod level) is below the option `min-id`, or not set at all while a floor is configured. Off until `min-id` is set (the default, 0, checks nothing): the peers' \"high UID\" checks (10000 and above), as a choice rather than a default.",
    why: "IDs below 10000 collide with users and groups that exist on nodes (system accounts, the first human users). A process that escapes its container with such an ID owns that account's files on the node; a high, unused ID owns nothing there.",
    remediation: "Run as a high, unused ID (`runAsUser: 10001`, `runAsGroup: 10001`), set in the image (`USER 10001`) and the pod's securityContext.",
    example: "securityContext:\n  runAsUser: 10001\n  runAsGroup: 10001",
    pss: &[],
    fix: FixAvailability::None,
    options: &[RuleOption {
        name: "min-id",
        doc: "The lowest UID and GID allowed; 0 turns the check off. The peers use 10000.",
        default: OptionDefault::Int(0),
    }],
    references: &["NSA/CISA Kubernetes Hardening Guide: non-root containers"],
    peers: &[("checkov", "CKV_K8S_40"), ("trivy", "KSV020"), ("trivy", "KSV021"), ("kubesec", "RunAsUser"), ("kubesec", "RunAsGroup"), ("kube-score", "container-security-context-user-group-id")],
};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let min = match cx.option(&META, "min-id") {
        OptionValue::Int(i) if i > 0 => i,
        _ => return,
    };
    let m = cx.model;
    let s = cx.stream;
    for c in &m.containers {
        if m.is_windows(m.pod_of(c)) {
            continue;
        }
        for field in ["runAsUser", "runAsGroup"] {
            match m.effective(c, field) {
                Some(set) => {
                    let Some(v) = s.int(set.node) else { continue };
                    if v < min {
                        out.push(cx.container_finding(
                            &META,
                            c,
                            s.span(set.node),
                            m.setting_path(c, set, field),
                            format!("{} runs with {field} {v}, below {min}", m.describe(c)),
                        ));
                    }
                }
                None => out.push(cx.container_finding(
                    &META,
                    c,
                    m.container_anchor(c),
                    m.container_path(c, &["securityContext", field]),
                    format!(
                        "{} sets no {field}: the image decides, and the floor is {min}",
                        m.describe(c)
                    ),
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::META;
    use crate::options::OptionValue;
    use crate::rules::testing::*;
    use crate::{check, Options, RuleId};

    #[test]
    fn pass() {
        // Off by default.
        assert_pass(&META, &deployment("securityContext: {runAsUser: 1}", ""));
    }

    #[test]
    fn fail() {
        let mut o = Options::default();
        o.set_option(RuleId::of(&META), "min-id", OptionValue::Int(10000));
        let text = deployment("securityContext: {runAsUser: 1000, runAsGroup: 20000}", "");
        let found: Vec<_> = check(&text, &o)
            .findings
            .into_iter()
            .filter(|f| f.rule == RuleId::of(&META))
            .map(|f| f.message)
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("runAsUser 1000, below 10000"));
    }
}
