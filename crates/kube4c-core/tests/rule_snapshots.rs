//! Everything a user sees of a rule, pinned: for every rule, its fixtures under
//! `tests/rules/<layer>/<slug>/` (`fail-N.yaml` with the expected spans marked inline as
//! `«…»`, `pass-N.yaml` with none) are checked with every rule on, and
//!
//! - the rule's findings must cover exactly the marked spans (no line numbers to keep in sync);
//! - the rendered findings — severity, PSS id, message, path, the marked source, related
//!   locations, the fix as a diff — must match the insta snapshot `snapshots/*.snap`
//!   (`INSTA_UPDATE=always cargo test -p kube4c-core --test rule_snapshots` after a deliberate
//!   change, then review the diff);
//! - every fix is applied on its own and the text re-checked: it still reads without error, the
//!   finding is gone and no finding appears that was not there before; and Kubernetes' own
//!   reading (`tests/k8s-oracle`) of the fixed text differs from its reading of the original only
//!   at or under the finding's field path.
//!
//! A rule whose cases need configuration keeps it beside them in `.kube4c.yaml`.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use kube4c_core::position::LineIndex;
use kube4c_core::rules::FixAvailability;
use kube4c_core::{check, fix, Finding, Options, Report, Span, RULES};
use serde_json::Value as Json;

/// `text` without its `«`/`»` markers, and the marked spans (byte offsets in the clean text).
fn unmark(marked: &str) -> (String, Vec<Span>) {
    let mut text = String::with_capacity(marked.len());
    let mut open = Vec::new();
    let mut spans = Vec::new();
    for c in marked.chars() {
        match c {
            '«' => open.push(text.len()),
            '»' => {
                let start = open.pop().expect("a `»` without its `«`");
                spans.push(Span::new(start, text.len()));
            }
            _ => text.push(c),
        }
    }
    assert!(open.is_empty(), "a `«` without its `»`");
    spans.sort_by_key(|s| (s.start, s.end));
    (text, spans)
}

fn fixtures(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|_| panic!("{} has no fixtures", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    // fail-2 before fail-10.
    files.sort_by_key(|p| {
        let stem = p.file_stem().unwrap().to_string_lossy().to_string();
        let (kind, n) = stem.split_once('-').unwrap_or((&stem, "0"));
        (kind.to_string(), n.parse::<u32>().unwrap_or(0))
    });
    files
}

/// The source line(s) of a span with `^` under it.
fn marked_source(text: &str, idx: &LineIndex, span: Span) -> String {
    let start = span.start as usize;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[line_start..line_end];
    let end = (span.end as usize).min(line_end).max(start);
    let pad = text[line_start..start].chars().count();
    let len = text[start..end].chars().count().max(1);
    format!(
        "{:>4} | {line}\n     | {}{}\n",
        idx.position(span.start).line,
        " ".repeat(pad),
        "^".repeat(len)
    )
}

fn render(out: &mut String, text: &str, f: &Finding) {
    let idx = LineIndex::new(text);
    let _ = writeln!(
        out,
        "{} {}{}",
        f.severity.as_str(),
        f.rule.as_str(),
        f.pss.map(|p| format!(" (PSS {p})")).unwrap_or_default()
    );
    let _ = writeln!(out, "message: {}", f.message);
    let _ = writeln!(out, "path: {}", f.path);
    out.push_str(&marked_source(text, &idx, f.span));
    for r in &f.related {
        let p = idx.position(r.span.start);
        let _ = writeln!(out, "related {}:{}: {}", p.line, p.column, r.label);
    }
    if let Some(fx) = &f.fix {
        let _ = writeln!(out, "fix ({}): {}", fx.applicability.as_str(), fx.title);
        let (after, _) = fix::apply(text, [fx], kube4c_core::Applicability::Display);
        out.push_str(&fix::diff(text, &after));
    }
}

/// (rule, resource, path) of the active findings: what "the same finding" means across a fix.
fn keys(r: &Report) -> BTreeSet<(String, String, String)> {
    r.active()
        .map(|f| {
            (
                f.rule.as_str().to_string(),
                format!("{}/{}", f.resource.kind, f.resource.name),
                f.path.clone(),
            )
        })
        .collect()
}

/// JSON paths where two readings differ (`a.b[2].c`), in the findings' path syntax.
fn diff_paths(a: &Json, b: &Json, at: String, out: &mut Vec<String>) {
    match (a, b) {
        (Json::Object(x), Json::Object(y)) => {
            for k in x.keys().chain(y.keys()).collect::<BTreeSet<_>>() {
                let mut p = at.clone();
                kube4c_core::model::push_key(&mut p, k);
                match (x.get(k), y.get(k)) {
                    (Some(u), Some(v)) => diff_paths(u, v, p, out),
                    _ => out.push(p),
                }
            }
        }
        (Json::Array(x), Json::Array(y)) if x.len() == y.len() => {
            for (i, (u, v)) in x.iter().zip(y).enumerate() {
                diff_paths(u, v, format!("{at}[{i}]"), out);
            }
        }
        _ if common::same(a, b) => {}
        _ => out.push(at),
    }
}

/// `a` is `b`, or one contains the other as a field path.
fn related_path(a: &str, b: &str) -> bool {
    let under = |x: &str, y: &str| {
        x == y || (x.starts_with(y) && matches!(x.as_bytes().get(y.len()), Some(b'.' | b'[')))
    };
    under(a, b) || under(b, a)
}

/// Findings a fix may legitimately bring to light: a pod on the host network is outside any
/// NetworkPolicy; moved to the pod network, whether a policy selects it becomes the question.
const REVEALS: &[(&str, &str)] = &[
    ("cluster/host-namespaces", "cluster/networkpolicy-missing"),
    (
        "cluster/host-namespaces",
        "cluster/networkpolicy-egress-missing",
    ),
];

#[test]
fn every_rule_is_pinned_by_its_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules");
    let mut oracle = common::oracle_binary().map(|b| common::Oracle::start(&b));
    if oracle.is_none() {
        eprintln!("SKIPPED the read-back of fixes: Go is needed to build tests/k8s-oracle");
    }
    let defaults = Options::default();
    let (mut cases, mut fixes_checked) = (0, 0);
    let mut problems = Vec::new();
    for rule in RULES.iter().filter(|r| r.check.is_some()) {
        let meta = rule.meta;
        let files = fixtures(&root.join(meta.id));
        // A rule whose cases need configuration (an option that is off by default) has it
        // beside them, in `.kube4c.yaml`, read as the CLI reads that file.
        let config = root.join(meta.id).join(".kube4c.yaml");
        let options = match std::fs::read_to_string(&config) {
            Ok(text) => kube4c_core::config::Config::parse(&text)
                .unwrap_or_else(|e| panic!("{}: {e:?}", config.display()))
                .options(None),
            Err(_) => defaults.clone(),
        };
        let mut snapshot = String::new();
        let (mut fails, mut passes) = (0, 0);
        for file in &files {
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            let (text, want) = unmark(&std::fs::read_to_string(file).unwrap());
            let report = check(&text, &options);
            assert!(report.errors.is_empty(), "{name}: {:?}", report.errors);
            let mine: Vec<&Finding> = report
                .findings
                .iter()
                .filter(|f| f.rule.as_str() == meta.id)
                .collect();
            let mut got: Vec<Span> = mine.iter().map(|f| f.span).collect();
            got.sort_by_key(|s| (s.start, s.end));
            if got != want {
                problems.push(format!(
                    "{}/{name}: spans {:?}, marked {:?}",
                    meta.id,
                    got.iter()
                        .map(|s| &text[s.start as usize..s.end as usize])
                        .collect::<Vec<_>>(),
                    want.iter()
                        .map(|s| &text[s.start as usize..s.end as usize])
                        .collect::<Vec<_>>()
                ));
            }
            if name.starts_with("pass") {
                passes += 1;
                assert!(want.is_empty(), "{name}: a pass fixture with marks");
                continue;
            }
            fails += 1;
            cases += 1;
            let _ = writeln!(snapshot, "── {name}");
            for f in &mine {
                render(&mut snapshot, &text, f);
                match meta.fix {
                    FixAvailability::Always => assert!(f.fix.is_some(), "{name}: no fix"),
                    FixAvailability::None => assert!(f.fix.is_none(), "{name}: undeclared fix"),
                    FixAvailability::Sometimes => {}
                }
                let Some(fx) = &f.fix else { continue };
                fixes_checked += 1;
                let (fixed, n) = fix::apply(&text, [fx], kube4c_core::Applicability::Display);
                assert_eq!(n, 1);
                let after = check(&fixed, &options);
                if !after.errors.is_empty() {
                    problems.push(format!(
                        "{}/{name}: the fix breaks the YAML: {:?}\n{fixed}",
                        meta.id, after.errors
                    ));
                    continue;
                }
                let (before_keys, after_keys) = (keys(&report), keys(&after));
                let this = (
                    meta.id.to_string(),
                    format!("{}/{}", f.resource.kind, f.resource.name),
                    f.path.clone(),
                );
                if after_keys.contains(&this) {
                    problems.push(format!(
                        "{}/{name}: the finding at {} survives its fix\n{fixed}",
                        meta.id, f.path
                    ));
                }
                let new: Vec<_> = after_keys
                    .difference(&before_keys)
                    .filter(|k| !REVEALS.contains(&(meta.id, k.0.as_str())))
                    .collect();
                if !new.is_empty() {
                    problems.push(format!(
                        "{}/{name}: the fix brings new findings {new:?}",
                        meta.id
                    ));
                }
                // Kubernetes reads the fixed text as the original but for the fixed field (a
                // display-only fix edits shared text: by design it changes other places too).
                let display = fx.applicability == kube4c_core::Applicability::Display;
                if let (Some(o), false) = (oracle.as_mut(), display) {
                    let (a, b) = (o.read(text.as_bytes()), o.read(fixed.as_bytes()));
                    assert!(
                        a.error.is_none() && b.error.is_none(),
                        "{name}: {:?} {:?}",
                        a.error,
                        b.error
                    );
                    assert_eq!(a.objects.len(), b.objects.len(), "{name}: objects");
                    // A List item's path starts with `items[N].`; the oracle flattens lists.
                    let target = f
                        .path
                        .strip_prefix("items[")
                        .and_then(|rest| rest.split_once("]."))
                        .map_or(f.path.as_str(), |(_, tail)| tail);
                    for (x, y) in a.objects.iter().zip(&b.objects) {
                        let mut paths = Vec::new();
                        diff_paths(x, y, String::new(), &mut paths);
                        for p in paths {
                            if !related_path(&p, target) {
                                problems.push(format!(
                                    "{}/{name}: the fix changes `{p}`, not only `{target}`",
                                    meta.id
                                ));
                            }
                        }
                    }
                }
            }
        }
        assert!(
            fails > 0 && passes > 0,
            "{}: needs fail and pass fixtures",
            meta.id
        );
        insta::assert_snapshot!(meta.id.replace('/', "__"), snapshot);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    eprintln!("rule fixtures: {cases} fail cases, {fixes_checked} fixes applied and re-checked");
}

/// Every fix at once, on a whole manifest: `fix_all` re-checks between rounds until nothing
/// applicable is left; the result reads without error (kube4c and Kubernetes), keeps every
/// object, and no finding with an applicable fix remains.
#[test]
fn fix_all_on_the_insecure_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let text = std::fs::read_to_string(root.join("task-api-insecure.yaml")).unwrap();
    let options = Options::default();
    let before = check(&text, &options);
    let (fixed, n) = kube4c_core::fix_all(&text, &options, kube4c_core::Applicability::Review);
    let after = check(&fixed, &options);
    assert!(after.errors.is_empty(), "{:?}\n{fixed}", after.errors);
    assert!(n >= 10, "only {n} fixes applied");
    let left: Vec<_> = after
        .active()
        .filter(|f| {
            f.fix
                .as_ref()
                .is_some_and(|x| x.applicability >= kube4c_core::Applicability::Review)
        })
        .map(|f| (f.rule.as_str(), f.path.clone()))
        .collect();
    assert!(left.is_empty(), "fixable findings left: {left:?}");
    // Nothing new appears but what a fix may reveal (see REVEALS).
    let new: Vec<_> = keys(&after)
        .difference(&keys(&before))
        .filter(|k| !REVEALS.iter().any(|(_, revealed)| *revealed == k.0))
        .cloned()
        .collect();
    assert!(new.is_empty(), "fix_all brings new findings: {new:?}");
    if let Some(bin) = common::oracle_binary() {
        let mut o = common::Oracle::start(&bin);
        let (a, b) = (o.read(text.as_bytes()), o.read(fixed.as_bytes()));
        assert!(b.error.is_none(), "{:?}", b.error);
        assert_eq!(a.objects.len(), b.objects.len());
    }
    eprintln!(
        "fix_all: {n} fixes; findings {} -> {}",
        before.active().count(),
        after.active().count()
    );
}
