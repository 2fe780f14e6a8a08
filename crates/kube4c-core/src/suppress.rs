//! Suppressions, applied once after every rule has run.
//!
//! - An annotation on the resource, or on its pod template:
//!   `ignore.kube4c.io/<rule id with / as ->: "<reason>"`. A reason that starts with
//!   `[app, sidecar]` applies to those containers only (findings about other containers, or
//!   about the pod as a whole, stay).
//! - A comment on the finding's line or on the line above it:
//!   `# kube4c-ignore <rule-id>[, <rule-id>…]: <reason>`.
//!
//! A reason is required: a suppression without one suppresses nothing and is reported
//! (`code/suppression-reason`). A suppression that matches no finding is reported
//! (`code/unused-suppression`). Suppressed findings stay in the report, marked with the reason.
//! With `strict`, every suppression is ignored.

use crate::document::{NodeId, Span, Stream};
use crate::model::{pod_spec_path, push_key, Model};
use crate::position::LineIndex;
use crate::report::{Finding, Suppression, SuppressionKind};
use crate::rules::RuleId;

const PREFIX: &str = "ignore.kube4c.io/";
const MARKER: &str = "kube4c-ignore";

/// One suppression written in the input.
#[derive(Debug, Clone)]
pub struct Written {
    pub kind: SuppressionKind,
    /// The rule it names (`None`: an unknown rule id).
    pub rule: Option<RuleId>,
    /// The id as written.
    pub name: String,
    pub reason: String,
    /// Where it is written (the annotation key, or the comment).
    pub span: Span,
    /// For an annotation: the resource it sits on, and the containers it is limited to.
    pub resource: Option<usize>,
    pub containers: Vec<String>,
    /// For a comment: the lines (1-based) whose findings it covers.
    pub lines: [u32; 2],
    /// For an annotation: its field path (`metadata.annotations["ignore.kube4c.io/…"]`).
    pub path: String,
}

/// Could the input hold a suppression at all? (One substring search each: the common case,
/// none, costs no line index.)
pub fn any(source: &str) -> bool {
    // Both the annotation prefix and the comment marker contain it.
    source.contains("kube4c")
}

/// Every suppression of the input, annotations first, in input order.
pub fn collect(model: &Model, lines: &LineIndex) -> Vec<Written> {
    let s = model.stream;
    let mut out = Vec::new();
    for (ri, r) in model.resources.iter().enumerate() {
        let mut metas: Vec<(NodeId, String)> = s
            .get(r.root, "metadata")
            .map(|m| (m, format!("{}metadata", r.prefix)))
            .into_iter()
            .collect();
        if let Some((_, meta_path)) = pod_spec_path(r.group_if_named(), r.kind) {
            if let Some(m) = s.path(r.root, meta_path) {
                metas.push((m, format!("{}{}", r.prefix, meta_path.join("."))));
            }
        }
        for (meta, meta_path) in metas {
            let Some(ann) = s.get(meta, "annotations") else {
                continue;
            };
            for e in s.entries(ann) {
                let Some(name) = s.key_str(e.key).strip_prefix(PREFIX) else {
                    continue;
                };
                let raw = s
                    .scalar_text(e.value)
                    .map(|t| t.into_owned())
                    .unwrap_or_default();
                let (containers, reason) = split_containers(&raw);
                let mut path = meta_path.clone();
                push_key(&mut path, "annotations");
                push_key(&mut path, s.key_str(e.key));
                out.push(Written {
                    kind: SuppressionKind::Annotation,
                    rule: RuleId::all().find(|id| id.as_str().replace('/', "-") == name),
                    name: name.to_string(),
                    reason,
                    span: s.span(e.key),
                    resource: Some(ri),
                    containers,
                    lines: [0, 0],
                    path,
                });
            }
        }
    }
    comments(s, lines, &mut out);
    out
}

/// `[a, b] reason` -> (["a", "b"], "reason").
fn split_containers(raw: &str) -> (Vec<String>, String) {
    let t = raw.trim();
    if let Some(rest) = t.strip_prefix('[') {
        if let Some((names, reason)) = rest.split_once(']') {
            let names = names
                .split(',')
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect();
            return (names, reason.trim().to_string());
        }
    }
    (Vec::new(), t.to_string())
}

/// `# kube4c-ignore id[, id]: reason` comments. Only real comments count: the `#` starts the
/// line or follows a blank, and it is not inside a scalar.
fn comments(s: &Stream, lines: &LineIndex, out: &mut Vec<Written>) {
    let src = s.source;
    let mut from = 0;
    while let Some(i) = src[from..].find(MARKER) {
        let at = from + i;
        from = at + MARKER.len();
        let line_start = src[..at].rfind('\n').map_or(0, |p| p + 1);
        let before = &src[line_start..at];
        let Some(hash) = before.rfind('#') else {
            continue;
        };
        if !before[hash + 1..].trim().is_empty()
            || (hash > 0 && !before[..hash].ends_with([' ', '\t']))
        {
            continue;
        }
        let hash_at = (line_start + hash) as u32;
        if inside_scalar(s, hash_at) {
            continue;
        }
        let line_end = src[at..].find('\n').map_or(src.len(), |p| at + p);
        let body = src[from..line_end].trim_end_matches('\r');
        let (ids, reason) = match body.split_once(':') {
            Some((ids, reason)) => (ids, reason.trim()),
            None => (body, ""),
        };
        let line = lines.position(hash_at).line;
        // A comment alone on its line covers the next line; after content, its own line.
        let own_line = before[..hash].trim().is_empty();
        let covered = if own_line {
            [line, line + 1]
        } else {
            [line, line]
        };
        let span = Span::new(line_start + hash, line_end);
        for name in ids.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            out.push(Written {
                kind: SuppressionKind::Comment,
                rule: RuleId::parse(name),
                name: name.to_string(),
                reason: reason.to_string(),
                span,
                resource: None,
                containers: Vec::new(),
                lines: covered,
                path: String::new(),
            });
        }
    }
}

fn inside_scalar(s: &Stream, at: u32) -> bool {
    s.nodes.iter().any(|n| {
        !matches!(
            n.value,
            crate::document::Value::Map { .. } | crate::document::Value::Seq { .. }
        ) && n.span.start < at
            && at < n.span.end
    })
}

/// A problem with a written suppression, reported as a finding of an engine rule.
pub struct Problem {
    pub index: usize,
    pub message: String,
}

/// Mark the findings the suppressions cover; return the suppressions that are broken (no
/// reason, unknown rule) or matched nothing.
pub fn apply(
    written: &[Written],
    findings: &mut [Finding],
    model: &Model,
    lines: &LineIndex,
) -> (Vec<Problem>, Vec<Problem>) {
    let mut used = vec![false; written.len()];
    let mut broken = Vec::new();
    for (i, w) in written.iter().enumerate() {
        if w.rule.is_none() {
            broken.push(Problem {
                index: i,
                message: format!(
                    "`{}` is not a kube4c rule: this suppression does nothing",
                    w.name
                ),
            });
            used[i] = true;
        } else if w.reason.is_empty() {
            broken.push(Problem {
                index: i,
                message: format!(
                    "suppression of {} without a reason: write why (`{}: \"<reason>\"`)",
                    w.name,
                    match w.kind {
                        SuppressionKind::Annotation => format!("{PREFIX}{}", w.name),
                        SuppressionKind::Comment => format!("# {MARKER} {}", w.name),
                    }
                ),
            });
            used[i] = true;
        }
    }
    for f in findings.iter_mut() {
        let line = lines.position(f.span.start).line;
        for (i, w) in written.iter().enumerate() {
            if w.rule != Some(f.rule) || w.reason.is_empty() {
                continue;
            }
            let hit = match w.kind {
                SuppressionKind::Comment => (w.lines[0]..=w.lines[1]).contains(&line),
                SuppressionKind::Annotation => {
                    let on_resource = w
                        .resource
                        .and_then(|ri| model.resources.get(ri))
                        .is_some_and(|r| std::sync::Arc::ptr_eq(&r.reference, &f.resource));
                    on_resource
                        && (w.containers.is_empty()
                            || container_of(model, f)
                                .is_some_and(|c| w.containers.iter().any(|n| n == c)))
                }
            };
            if hit {
                used[i] = true;
                if f.suppressed.is_none() {
                    f.suppressed = Some(Suppression {
                        kind: w.kind,
                        reason: w.reason.clone(),
                        span: w.span,
                    });
                }
            }
        }
    }
    let unused = written
        .iter()
        .enumerate()
        .filter(|(i, _)| !used[*i])
        .map(|(i, w)| Problem {
            index: i,
            message: format!(
                "this suppression of {} matches no finding: remove it",
                w.name
            ),
        })
        .collect();
    (broken, unused)
}

/// The name of the container a finding is about (its path goes through the container).
fn container_of<'s>(model: &Model<'s, '_>, f: &Finding) -> Option<&'s str> {
    model
        .containers
        .iter()
        .filter(|c| std::sync::Arc::ptr_eq(&model.resource_of(c).reference, &f.resource))
        .find(|c| {
            f.path
                .strip_prefix(c.path.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
        .map(|c| c.name)
}

#[cfg(test)]
mod tests {
    use crate::{check, Options, Report};

    fn pod(annotations: &str, template_annotations: &str, containers: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    x: y\n{annotations}spec:\n  template:\n    metadata:\n      annotations:\n        x: y\n{template_annotations}    spec:\n      containers:\n{containers}"
        )
    }

    const TWO: &str = "      - name: app\n        image: nginx:1.27\n      - name: sidecar\n        image: envoy:1.30\n";

    fn of<'r>(r: &'r Report, rule: &str) -> Vec<&'r crate::Finding> {
        r.findings
            .iter()
            .filter(|f| f.rule.as_str() == rule)
            .collect()
    }

    #[test]
    fn an_annotation_suppresses_its_rule_on_its_resource_and_keeps_the_finding() {
        let text = pod(
            "    ignore.kube4c.io/container-run-as-non-root: \"vendor image; OPS-1\"\n",
            "",
            TWO,
        );
        let r = check(&text, &Options::default());
        let f = of(&r, "container/run-as-non-root");
        assert_eq!(f.len(), 2);
        for f in &f {
            let s = f.suppressed.as_ref().expect("suppressed");
            assert_eq!(s.reason, "vendor image; OPS-1");
            assert_eq!(
                &text[s.span.start as usize..s.span.end as usize],
                "ignore.kube4c.io/container-run-as-non-root"
            );
        }
        assert!(r
            .active()
            .all(|f| f.rule.as_str() != "container/run-as-non-root"));
        // Other rules are untouched; nothing is unused.
        assert_eq!(of(&r, "container/allow-privilege-escalation").len(), 2);
        assert!(of(&r, "code/unused-suppression").is_empty());
        // Strict mode ignores it.
        let mut strict = Options::default();
        strict.strict = true;
        let r = check(&text, &strict);
        assert!(of(&r, "container/run-as-non-root")
            .iter()
            .all(|f| f.suppressed.is_none()));
    }

    #[test]
    fn a_pod_template_annotation_can_name_containers() {
        let text = pod(
            "",
            "        ignore.kube4c.io/container-run-as-non-root: \"[sidecar] envoy runs as root\"\n",
            TWO,
        );
        let r = check(&text, &Options::default());
        let f = of(&r, "container/run-as-non-root");
        let state: Vec<(bool, &str)> = f
            .iter()
            .map(|f| (f.suppressed.is_some(), f.message.split('"').nth(1).unwrap()))
            .collect();
        assert_eq!(state, [(false, "app"), (true, "sidecar")]);
        assert_eq!(
            f[1].suppressed.as_ref().unwrap().reason,
            "envoy runs as root"
        );
    }

    #[test]
    fn comments_on_or_above_the_line() {
        let containers = "      - name: app\n        # kube4c-ignore container/image-latest-tag: mirrors upstream nightly\n        image: nginx:latest\n      - name: b\n        image: busybox:latest # kube4c-ignore container/image-latest-tag, container/image-digest: test only\n      - name: c\n        image: redis:latest\n";
        let text = pod("", "", containers);
        let r = check(&text, &Options::default());
        let latest: Vec<bool> = of(&r, "container/image-latest-tag")
            .iter()
            .map(|f| f.suppressed.is_some())
            .collect();
        assert_eq!(latest, [true, true, false]);
        // Both ids are read: image-digest leaves floating tags to image-latest-tag, so its
        // half of the comment matches nothing and is reported.
        let unused: Vec<&str> = of(&r, "code/unused-suppression")
            .iter()
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(
            unused,
            ["this suppression of container/image-digest matches no finding: remove it"]
        );
    }

    #[test]
    fn broken_and_unused_suppressions_are_findings() {
        let text = pod(
            "    ignore.kube4c.io/container-run-as-non-root: \"\"\n    ignore.kube4c.io/container-no-such-rule: \"why\"\n    ignore.kube4c.io/container-privileged: \"not privileged anyway\"\n",
            "",
            TWO,
        );
        let r = check(&text, &Options::default());
        // The empty reason suppresses nothing.
        assert!(of(&r, "container/run-as-non-root")
            .iter()
            .all(|f| f.suppressed.is_none()));
        let broken: Vec<&str> = of(&r, "code/suppression-reason")
            .iter()
            .map(|f| &text[f.span.start as usize..f.span.end as usize])
            .collect();
        assert_eq!(
            broken,
            [
                "ignore.kube4c.io/container-run-as-non-root",
                "ignore.kube4c.io/container-no-such-rule"
            ]
        );
        let unused: Vec<&str> = of(&r, "code/unused-suppression")
            .iter()
            .map(|f| &text[f.span.start as usize..f.span.end as usize])
            .collect();
        assert_eq!(unused, ["ignore.kube4c.io/container-privileged"]);
        // A suppression of a rule that is off is not "unused".
        let r = check(&text, &Options::profile(crate::Profile::PssBaseline));
        assert!(of(&r, "code/unused-suppression").is_empty());
    }

    #[test]
    fn the_marker_inside_a_string_is_not_a_comment() {
        let containers = "      - name: app\n        image: nginx:latest\n        args:\n        - |\n          # kube4c-ignore container/image-latest-tag: no\n";
        let r = check(&pod("", "", containers), &Options::default());
        assert!(of(&r, "container/image-latest-tag")
            .iter()
            .all(|f| f.suppressed.is_none()));
        assert!(of(&r, "code/unused-suppression").is_empty());
    }
}
