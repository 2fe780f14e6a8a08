//! kube4c-core: checks Kubernetes YAML against the 4C security model (Cloud, Cluster,
//! Container, Code). Pure library: text in, findings with byte spans out; no I/O.
//!
//! Flow: text -> [`document`] (span-true arena, Kubernetes-compatible reading) -> [`model`]
//! (typed views) + [`index`] (cross-resource) -> [`rules`] -> [`report`].

#![forbid(unsafe_code)]

pub mod config;
pub mod document;
pub mod fix;
pub mod index;
pub mod model;
pub mod options;
pub mod output;
pub mod position;
pub mod report;
pub mod rules;
pub mod session;
pub mod suppress;

pub use document::Span;
pub use fix::{Applicability, Fix};
pub use options::Options;
pub use report::{Finding, Layer, Report, Severity};
pub use rules::{Profile, RuleId, RuleMeta, RULES};

use rules::code::{suppression_reason, unused_suppression};

/// The crate version, reported by every face.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Check one input text (any number of YAML documents).
pub fn check(text: &str, options: &Options) -> Report {
    let stream = document::parse(text);
    check_stream(&stream, options)
}

/// Check an already parsed stream.
pub fn check_stream(stream: &document::Stream, options: &Options) -> Report {
    check_stream_with(stream, options, &mut |_, run| run())
}

/// Check an already parsed stream, handing each rule's run to `wrap` (which must call it):
/// the CLI times rules this way, while the core itself never reads a clock (none in wasm).
///
/// The engine, in order: every enabled rule runs; each finding gets its rule's id and the
/// configured severity (the only place severities are set) and must carry a Pod Security id
/// its rule declares; suppressions are applied (unless `strict`), and broken or unused ones
/// become findings of the engine rules; findings are sorted by position.
pub fn check_stream_with(
    stream: &document::Stream,
    options: &Options,
    wrap: &mut dyn FnMut(&'static RuleMeta, &mut dyn FnMut()),
) -> Report {
    check_all_with(&[stream], options, wrap)
        .pop()
        .unwrap_or_default()
}

/// Check every input of a run as one view: cross-resource rules see the objects of all of
/// them (a default-deny policy in one file covers the pods of another), while each report,
/// and every position in it, stays with its own input. Related locations in another input
/// name it (`Related::file`, an index into `streams`).
pub fn check_all(streams: &[&document::Stream], options: &Options) -> Vec<Report> {
    check_all_with(streams, options, &mut |_, run| run())
}

/// [`check_all`], handing each rule's run (per input) to `wrap`.
pub fn check_all_with(
    streams: &[&document::Stream],
    options: &Options,
    wrap: &mut dyn FnMut(&'static RuleMeta, &mut dyn FnMut()),
) -> Vec<Report> {
    let models: Vec<model::Model> = streams.iter().map(|s| model::Model::new(s)).collect();
    let index = index::Index::new(&models, options.namespace());
    (0..models.len())
        .map(|file| check_one(&models, file, &index, options, wrap))
        .collect()
}

fn check_one(
    models: &[model::Model],
    file: usize,
    index: &index::Index,
    options: &Options,
    wrap: &mut dyn FnMut(&'static RuleMeta, &mut dyn FnMut()),
) -> Report {
    let model = &models[file];
    let stream = model.stream;
    let cx = rules::Context::new(models, file, index, options);
    let mut findings = Vec::new();
    for id in options.enabled_rules() {
        run_rule(&cx, id, &mut findings, wrap);
    }
    apply_suppressions(model, options, &mut findings);
    sort_findings(&mut findings);
    let mut warnings = stream.warnings.clone();
    warnings.extend(model.warnings.iter().cloned());
    warnings.sort_by_key(|w| w.span.start);
    Report {
        documents: stream.document_count,
        errors: stream.errors.clone(),
        warnings,
        findings,
    }
}

/// Run one rule over `cx`'s input, appending its findings with their rule id and the
/// configured severity (the only place severities are set).
pub(crate) fn run_rule(
    cx: &rules::Context,
    id: RuleId,
    findings: &mut Vec<Finding>,
    wrap: &mut dyn FnMut(&'static RuleMeta, &mut dyn FnMut()),
) {
    let rule = &RULES[id.index()];
    let Some(check) = rule.check else { return };
    cx.current.set(id);
    let from = findings.len();
    wrap(rule.meta, &mut || check(cx, findings));
    for f in &mut findings[from..] {
        f.rule = id;
        f.severity = cx.options.severity(id);
        debug_assert!(
            f.pss
                .is_none_or(|p| rule.meta.pss.iter().any(|d| d.id == p)),
            "{} reports an undeclared PSS id {:?}",
            rule.meta.id,
            f.pss
        );
        debug_assert!(
            rule.meta.fix != rules::FixAvailability::None || f.fix.is_none(),
            "{} declares no fix but made one",
            rule.meta.id
        );
    }
}

/// Findings in the order of their position (then rule): the order of every report.
pub(crate) fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
    });
}

pub(crate) fn apply_suppressions(
    model: &model::Model,
    options: &Options,
    findings: &mut Vec<Finding>,
) {
    let any = suppress::any(model.stream.source);
    apply_suppressions_if(model, options, findings, any);
}

/// [`apply_suppressions`], told whether the source could hold a suppression at all
/// ([`suppress::any`]: a session knows it of each part it keeps).
pub(crate) fn apply_suppressions_if(
    model: &model::Model,
    options: &Options,
    findings: &mut Vec<Finding>,
    any: bool,
) {
    if options.strict || !any {
        return;
    }
    let lines = position::LineIndex::new(model.stream.source);
    let written = suppress::collect(model, &lines);
    if written.is_empty() {
        return;
    }
    let (broken, unused) = suppress::apply(&written, findings, model, &lines);
    let reason_rule = RuleId::of(&suppression_reason::META);
    let unused_rule = RuleId::of(&unused_suppression::META);
    let mut push = |rule: RuleId, p: suppress::Problem| {
        let w = &written[p.index];
        if !options.is_enabled(rule) {
            return;
        }
        // A suppression of a rule that is off cannot match: not worth a finding.
        if rule == unused_rule && !w.rule.is_some_and(|r| options.is_enabled(r)) {
            return;
        }
        let resource = w
            .resource
            .and_then(|i| model.resources.get(i))
            .map(|r| r.to_ref())
            .or_else(|| {
                // A comment: the (first) resource of the document that holds it.
                let doc = model
                    .stream
                    .docs
                    .iter()
                    .find(|d| d.span.start <= w.span.start && w.span.start <= d.span.end)?;
                model
                    .resources
                    .iter()
                    .find(|r| r.doc == doc.index)
                    .map(|r| r.to_ref())
            });
        let Some(resource) = resource else { return };
        findings.push(Finding {
            rule,
            severity: options.severity(rule),
            message: p.message,
            // A comment is no field: its finding has no path.
            path: w.path.clone(),
            span: w.span,
            related: Vec::new(),
            resource,
            pss: None,
            fix: None,
            suppressed: None,
        });
    };
    for p in broken {
        push(reason_rule, p);
    }
    for p in unused {
        push(unused_rule, p);
    }
}

/// Apply every fix of at least `min` applicability, re-checking between rounds (fixes that
/// touch the same place are applied one per round, so two fixes never write one key twice).
/// Returns the fixed text and the number of fixes applied.
pub fn fix_all(text: &str, options: &Options, min: Applicability) -> (String, usize) {
    let mut text = text.to_string();
    let mut total = 0;
    for _ in 0..16 {
        let report = check(&text, options);
        let fixes = report
            .active()
            .filter_map(|f| f.fix.as_ref())
            .filter(|f| f.applicability >= min);
        let (next, n) = fix::apply(&text, fixes, min);
        if n == 0 {
            break;
        }
        total += n;
        text = next;
    }
    (text, total)
}
