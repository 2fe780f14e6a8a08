//! kube4c-core: checks Kubernetes YAML against the 4C security model (Cloud, Cluster,
//! Container, Code). Pure library: text in, findings with byte spans out; no I/O.
//!
//! Flow: text -> [`document`] (span-true arena, Kubernetes-compatible reading) -> [`model`]
//! (typed views) + [`index`] (cross-resource) -> [`rules`] -> [`report`].

#![forbid(unsafe_code)]

pub mod document;
pub mod index;
pub mod model;
pub mod position;
pub mod report;
pub mod rules;

pub use document::Span;
pub use report::{Finding, Layer, Report, Severity};
pub use rules::{Profile, RuleMeta, RULES};

/// The crate version, reported by every face.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How to check.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub profile: Profile,
}

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
pub fn check_stream_with(
    stream: &document::Stream,
    options: &Options,
    wrap: &mut dyn FnMut(&'static RuleMeta, &mut dyn FnMut()),
) -> Report {
    let model = model::Model::new(stream);
    let index = index::Index::new(&model);
    let cx = rules::Context {
        model: &model,
        stream,
        index: &index,
        profile: options.profile,
    };
    let mut findings = Vec::new();
    for rule in RULES {
        if options.profile.includes(rule.meta) {
            wrap(rule.meta, &mut || (rule.check)(&cx, &mut findings));
        }
    }
    findings.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule).cmp(&(b.span.start, b.span.end, b.rule))
    });
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
