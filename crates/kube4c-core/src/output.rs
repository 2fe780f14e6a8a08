//! The one report type every face serializes: the CLI's JSON (each file), the wasm module's
//! result, and through them the page. Spans are resolved here, once: byte offsets
//! (`start`/`end`), UTF-16 offsets for JavaScript strings (`from`/`to`), and 1-based
//! line/column in UTF-16 units. The TypeScript declarations of the page
//! (`web/src/generated/report.ts`) are generated from these types; a test fails when they
//! drift.

use std::sync::Arc;

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

use crate::document::Span;
use crate::fix::Applicability;
use crate::position::LineIndex;
use crate::report::{Finding, Layer, Report, ResourceRef, Severity, SuppressionKind};
use crate::rules::{Profile, RuleMeta, RULES};

/// Where something is, in every unit a consumer needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// 1-based line of the start.
    pub line: u32,
    /// 1-based column of the start, in UTF-16 code units.
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// Byte offsets into the UTF-8 text.
    pub start: u32,
    pub end: u32,
    /// UTF-16 offsets into the text (JavaScript string indexes, CodeMirror positions).
    pub from: u32,
    pub to: u32,
}

impl Location {
    pub fn new(idx: &LineIndex, span: Span) -> Location {
        let a = idx.position(span.start);
        let b = idx.position(span.end);
        Location {
            line: a.line,
            column: a.column,
            end_line: b.line,
            end_column: b.column,
            start: span.start,
            end: span.end,
            from: a.offset16,
            to: b.offset16,
        }
    }
}

/// A parse error or a warning.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    pub message: String,
    #[serde(flatten)]
    pub at: Location,
    /// The API server or kubectl rejects the object: it was not proven safe.
    pub rejected: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RelatedOut {
    pub label: String,
    /// The input it is in, when not the finding's own (a path, in the CLI).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub file: Option<String>,
    #[serde(flatten)]
    pub at: Location,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EditOut {
    /// The replacement text (the range is empty for an insertion).
    pub text: String,
    #[serde(flatten)]
    pub at: Location,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct FixOut {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<EditOut>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SuppressionOut {
    pub kind: SuppressionKind,
    pub reason: String,
    #[serde(flatten)]
    pub at: Location,
}

/// One finding, resolved.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct FindingOut {
    pub rule: &'static str,
    pub layer: Layer,
    pub severity: Severity,
    pub title: &'static str,
    pub message: String,
    /// JSON-style path of the field inside its document.
    pub path: String,
    #[serde(flatten)]
    pub at: Location,
    pub resource: Arc<ResourceRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub pss: Option<&'static str>,
    pub related: Vec<RelatedOut>,
    pub fix: Option<FixOut>,
    pub suppressed: Option<SuppressionOut>,
}

/// The other inputs of a run, for related locations in them: (name, line index).
pub type Others<'r> = [(&'r str, &'r LineIndex<'r>)];

impl FindingOut {
    pub fn new(idx: &LineIndex, f: &Finding) -> FindingOut {
        FindingOut::with_others(idx, &[], f)
    }

    /// A finding whose related locations may be in other inputs of the run.
    pub fn with_others(idx: &LineIndex, others: &Others, f: &Finding) -> FindingOut {
        let meta = f.meta();
        FindingOut {
            rule: meta.id,
            layer: meta.layer,
            severity: f.severity,
            title: meta.title,
            message: f.message.clone(),
            path: f.path.clone(),
            at: Location::new(idx, f.span),
            resource: f.resource.clone(),
            pss: f.pss,
            related: f
                .related
                .iter()
                .map(|r| RelatedOut {
                    label: r.label.clone(),
                    file: r
                        .file
                        .and_then(|i| others.get(i))
                        .map(|(name, _)| name.to_string()),
                    at: related_location(idx, others, r),
                })
                .collect(),
            fix: f.fix.as_ref().map(|x| FixOut {
                title: x.title.clone(),
                applicability: x.applicability,
                edits: x
                    .edits
                    .iter()
                    .map(|e| EditOut {
                        text: e.text.clone(),
                        at: Location::new(idx, e.span),
                    })
                    .collect(),
            }),
            suppressed: f.suppressed.as_ref().map(|s| SuppressionOut {
                kind: s.kind,
                reason: s.reason.clone(),
                at: Location::new(idx, s.span),
            }),
        }
    }
}

/// A related location, in the input it is in.
fn related_location(idx: &LineIndex, others: &Others, r: &crate::report::Related) -> Location {
    match r.file.and_then(|i| others.get(i)) {
        Some((_, other)) => Location::new(other, r.span),
        None => Location::new(idx, r.span),
    }
}

impl FindingOut {
    /// Every place of the finding, in one fixed order: its own, each related location, each
    /// edit of its fix, its suppression. The page walks a kept finding's places in this order
    /// to move them after an edit (`web/src/checker.ts`, `places`).
    pub fn places(&self) -> impl Iterator<Item = &Location> {
        std::iter::once(&self.at)
            .chain(self.related.iter().map(|r| &r.at))
            .chain(self.fix.iter().flat_map(|x| x.edits.iter().map(|e| &e.at)))
            .chain(self.suppressed.iter().map(|s| &s.at))
    }
}

/// The places of a finding, resolved, in [`FindingOut::places`] order, without building the
/// rest of it.
pub fn places_of(idx: &LineIndex, others: &Others, f: &Finding, out: &mut Vec<Location>) {
    out.push(Location::new(idx, f.span));
    out.extend(f.related.iter().map(|r| related_location(idx, others, r)));
    if let Some(x) = &f.fix {
        out.extend(x.edits.iter().map(|e| Location::new(idx, e.span)));
    }
    if let Some(s) = &f.suppressed {
        out.push(Location::new(idx, s.span));
    }
}

/// Counts per layer (active findings only).
#[derive(Debug, Clone, Copy, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ByLayer {
    pub cloud: usize,
    pub cluster: usize,
    pub container: usize,
    pub code: usize,
}

/// Counts per severity (active findings only).
#[derive(Debug, Clone, Copy, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BySeverity {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
}

impl ByLayer {
    pub fn add(&mut self, l: Layer) {
        match l {
            Layer::Cloud => self.cloud += 1,
            Layer::Cluster => self.cluster += 1,
            Layer::Container => self.container += 1,
            Layer::Code => self.code += 1,
        }
    }
}

impl BySeverity {
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Critical => self.critical += 1,
            Severity::High => self.high += 1,
            Severity::Medium => self.medium += 1,
            Severity::Low => self.low += 1,
            Severity::Info => self.info += 1,
        }
    }
}

/// The findings of one report, resolved and serialized one at a time (a million findings
/// stream out without an intermediate tree).
#[derive(Clone, Copy)]
pub struct Findings<'r> {
    idx: &'r LineIndex<'r>,
    others: &'r Others<'r>,
    findings: &'r [Finding],
}

impl<'r> Findings<'r> {
    /// The findings in pages of at most `n`, each serialized as a JSON array of its own.
    pub fn pages(self, n: usize) -> impl Iterator<Item = Findings<'r>> {
        self.findings
            .chunks(n.max(1))
            .map(move |findings| Findings { findings, ..self })
    }

    /// Those from the `from`th to before the `to`th (none when out of range).
    pub fn range(self, from: usize, to: usize) -> Findings<'r> {
        Findings {
            findings: self.findings.get(from..to).unwrap_or(&[]),
            ..self
        }
    }

    /// None of them: a report serialized without its findings.
    pub fn none(self) -> Findings<'r> {
        Findings {
            findings: &[],
            ..self
        }
    }
}

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(Some(self.findings.len()))?;
        for f in self.findings {
            seq.serialize_element(&FindingOut::with_others(self.idx, self.others, f))?;
        }
        seq.end()
    }
}

/// Everything one check of one input found, resolved: what the CLI writes per file (with the
/// file's path) and what the wasm module returns.
#[derive(Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "CheckResult"))]
#[serde(rename_all = "camelCase")]
pub struct FileReport<'r> {
    /// Non-empty documents in the input.
    pub documents: usize,
    /// Documents or objects not checked: unreadable, or rejected by the API server.
    pub unchecked: usize,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    #[cfg_attr(test, ts(as = "Vec<FindingOut>"))]
    pub findings: Findings<'r>,
    /// Findings marked suppressed (they are in `findings` too).
    pub suppressed: usize,
    pub by_layer: ByLayer,
    pub by_severity: BySeverity,
}

impl<'r> FileReport<'r> {
    pub fn new(report: &'r Report, idx: &'r LineIndex<'r>) -> FileReport<'r> {
        FileReport::with_others(report, idx, &[])
    }

    /// The report of one input of a run whose related locations may be in the `others`
    /// (every input of the run, by index, this one included).
    pub fn with_others(
        report: &'r Report,
        idx: &'r LineIndex<'r>,
        others: &'r Others<'r>,
    ) -> FileReport<'r> {
        let mut by_layer = ByLayer::default();
        let mut by_severity = BySeverity::default();
        for f in report.active() {
            by_layer.add(f.layer());
            by_severity.add(f.severity);
        }
        FileReport {
            documents: report.documents,
            unchecked: report.unread(),
            errors: report
                .errors
                .iter()
                .map(|e| Diagnostic {
                    message: e.message.clone(),
                    at: Location::new(idx, e.span),
                    rejected: true,
                })
                .collect(),
            warnings: report
                .warnings
                .iter()
                .map(|w| Diagnostic {
                    message: w.message.clone(),
                    at: Location::new(idx, w.span),
                    rejected: w.is_rejection(),
                })
                .collect(),
            findings: Findings {
                idx,
                others,
                findings: &report.findings,
            },
            suppressed: report.findings.len() - report.active().count(),
            by_layer,
            by_severity,
        }
    }
}

/// A layer for display.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LayerInfo {
    pub id: Layer,
    pub title: &'static str,
    pub scope: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ProfileInfo {
    pub name: &'static str,
    pub description: &'static str,
}

/// What the faces show about kube4c itself, from the core: layers (outermost first),
/// severities (most severe first), profiles, and every rule's metadata.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Catalog {
    pub version: &'static str,
    pub layers: Vec<LayerInfo>,
    pub severities: Vec<Severity>,
    pub profiles: Vec<ProfileInfo>,
    #[cfg_attr(test, ts(as = "Vec<RuleMeta>"))]
    pub rules: Vec<&'static RuleMeta>,
}

impl Catalog {
    pub fn get() -> Catalog {
        Catalog {
            version: crate::VERSION,
            layers: Layer::ALL
                .iter()
                .map(|&id| LayerInfo {
                    id,
                    title: id.title(),
                    scope: id.scope(),
                })
                .collect(),
            severities: Severity::ALL.iter().rev().copied().collect(),
            profiles: Profile::ALL
                .iter()
                .map(|p| ProfileInfo {
                    name: p.as_str(),
                    description: p.describe(),
                })
                .collect(),
            rules: RULES.iter().map(|r| r.meta).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ts_rs::TS;

    /// `places_of` lists what `FindingOut` resolves, in `FindingOut::places` order, for every
    /// finding of every fixture (related locations, fixes and suppressions included).
    #[test]
    fn places_of_matches_finding_out() {
        let options = crate::Options::profile(Profile::All);
        let (mut findings, mut places) = (0, 0);
        for (path, text) in crate::rules::testing::repository_yaml() {
            let report = crate::check(&text, &options);
            let idx = LineIndex::new(&text);
            for f in &report.findings {
                let mut got = Vec::new();
                places_of(&idx, &[], f, &mut got);
                let out = FindingOut::new(&idx, f);
                let want: Vec<Location> = out.places().copied().collect();
                assert_eq!(got, want, "{}: {}", path.display(), f.message);
                assert!(f.same_but_places(f));
                findings += 1;
                places += got.len();
            }
        }
        assert!(places > findings, "{places} places of {findings} findings");
    }

    /// The page's TypeScript types, generated from the Rust ones.
    fn generated() -> String {
        let mut out = String::from(
            "// Generated from crates/kube4c-core/src/output.rs by its `typescript_types_are_current`\n// test (KUBE4C_UPDATE_TS=1 cargo test -p kube4c-core typescript): do not edit.\n",
        );
        let decls = [
            Layer::decl(),
            Severity::decl(),
            Applicability::decl(),
            SuppressionKind::decl(),
            crate::rules::PssLevel::decl(),
            crate::rules::Pss::decl(),
            crate::rules::FixAvailability::decl(),
            crate::rules::OptionDefault::decl(),
            crate::rules::RuleOption::decl(),
            RuleMeta::decl(),
            ResourceRef::decl(),
            Location::decl(),
            Diagnostic::decl(),
            RelatedOut::decl(),
            EditOut::decl(),
            FixOut::decl(),
            SuppressionOut::decl(),
            FindingOut::decl(),
            ByLayer::decl(),
            BySeverity::decl(),
            FileReport::decl(),
            LayerInfo::decl(),
            ProfileInfo::decl(),
            Catalog::decl(),
        ];
        for d in decls {
            out.push_str("\nexport ");
            out.push_str(&d);
            out.push('\n');
        }
        out
    }

    #[test]
    fn typescript_types_are_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../web/src/generated/report.ts");
        let want = generated();
        if std::env::var_os("KUBE4C_UPDATE_TS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "web/src/generated/report.ts is stale: run KUBE4C_UPDATE_TS=1 cargo test -p kube4c-core typescript"
        );
    }
}
