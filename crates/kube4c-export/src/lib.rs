//! kube4c's report formats, shared by the CLI and the web page (so an export from the page is
//! byte for byte what the CLI writes): text with source snippets, the JSON contract of
//! ARCHITECTURE.md, SARIF 2.1.0, JUnit, GitHub annotations, Markdown, and the rule reference.
//! Pure: everything is written to a `Write`; nothing reads the file system.

use std::io::{self, Write};
use std::path::Path;

use kube4c_core::output::{ByLayer, BySeverity, Catalog, FileReport};
use kube4c_core::position::LineIndex;
use kube4c_core::rules::FixAvailability;
use kube4c_core::{Applicability, Layer, Report, RuleMeta, Severity, Span, RULES, VERSION};
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::{json, Value};

/// One checked input.
pub struct Checked {
    pub path: String,
    pub text: String,
    pub report: Report,
    /// From offsets in `text` to the file's own bytes.
    pub bytes: ByteMap,
}

/// Offsets in the decoded text back to the input's bytes: a UTF-8 BOM is dropped, and each
/// invalid byte became a 3-byte U+FFFD. UTF-16 input has no byte offsets to give.
pub struct ByteMap {
    pub utf16: bool,
    pub bom: usize,
    pub invalid: Vec<usize>,
}

impl ByteMap {
    pub fn of(d: &kube4c_core::document::input::Decoded) -> ByteMap {
        ByteMap {
            utf16: d.encoding.is_some(),
            bom: if d.strict { 3 } else { 0 },
            invalid: d.invalid.clone(),
        }
    }
    /// The input byte offset of a text offset.
    pub fn offset(&self, text: u32) -> Option<u64> {
        if self.utf16 {
            return None;
        }
        let before = self.invalid.partition_point(|&i| i < text as usize);
        Some(self.bom as u64 + u64::from(text) - 2 * before as u64)
    }
}

/// What the text output needs besides the reports.
pub struct TextOptions {
    pub color: bool,
    pub quiet: bool,
    pub verdict: String,
}

/// The summary's last word: pass or fail, and why.
pub fn verdict(
    code: u8,
    threshold: Option<Severity>,
    failing: usize,
    total: usize,
    unread: usize,
    path_errors: usize,
    profile_gate: bool,
) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let gate = match threshold {
        None => "no gate (--fail-on never)".to_string(),
        Some(_) if profile_gate => "any finding of the profile".to_string(),
        Some(th) => format!("at or above {}", th.as_str()),
    };
    match code {
        2 => format!(
            "verdict: error — {} could not be read: exit 2",
            plural(path_errors, "path")
        ),
        1 if failing > 0 && profile_gate => format!(
            "verdict: fail — {} of the Pod Security profile, whose gate is any finding: exit 1",
            plural(failing, "finding")
        ),
        1 if failing > 0 => format!(
            "verdict: fail — {} {gate}: exit 1",
            plural(failing, "finding")
        ),
        1 => format!(
            "verdict: fail — {} not checked (unreadable, or rejected by the API server): exit 1",
            plural(unread, "document or object")
        ),
        _ => match threshold {
            None => format!(
                "verdict: pass — {gate}; {}: exit 0",
                plural(total, "finding")
            ),
            Some(_) => format!(
                "verdict: pass — no finding {gate} ({} below it): exit 0",
                total
            ),
        },
    }
}

/// Where kube4c's home and rule docs are published, set at build time
/// (`KUBE4C_HOMEPAGE=https://… cargo build`); without it SARIF carries the docs inline
/// (`help.markdown`) and no URI that would point nowhere.
const HOMEPAGE: Option<&str> = option_env!("KUBE4C_HOMEPAGE");

/// A path as a URI reference: every byte outside RFC 3986's unreserved set (and `/`) is
/// percent-encoded, so `my file#1.yaml` and `ü.yaml` are valid URIs.
pub fn uri_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A SARIF artifact URI for a reported path: relative to `base` (with uriBaseId %SRCROOT%)
/// when it lies below it, absolute (`file://`) otherwise.
fn artifact_uri(path: &str, base: Option<&Path>) -> (String, bool) {
    let p = Path::new(path);
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(d) => d.join(p),
            Err(_) => return (uri_encode(path.trim_start_matches("./")), true),
        }
    };
    let abs = normalize(&abs);
    if let Some(rel) = base.and_then(|b| abs.strip_prefix(normalize(b)).ok()) {
        let rel = rel.to_string_lossy().replace('\\', "/");
        return (uri_encode(&rel), true);
    }
    (
        format!(
            "file://{}",
            uri_encode(&abs.to_string_lossy().replace('\\', "/"))
        ),
        false,
    )
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn normalize(p: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// FNV-1a (64-bit): a stable hash for SARIF fingerprints (no dependency, same on every run
/// and platform).
fn fnv1a(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// 1-based line/column (UTF-16 units) of a span's ends.
fn region(idx: &LineIndex, span: Span) -> (u32, u32, u32, u32) {
    let a = idx.position(span.start);
    let b = idx.position(span.end);
    (a.line, a.column, b.line, b.column)
}

/// `path:line:column: {head}` and the source line with carets under the span.
fn located(
    out: &mut dyn Write,
    c: &Checked,
    idx: &LineIndex,
    span: Span,
    head: std::fmt::Arguments,
) -> io::Result<()> {
    let p = idx.position(span.start);
    writeln!(out, "{}:{}:{}: {head}", c.path, p.line, p.column)?;
    snippet(out, &c.text, idx, span)
}

/// ANSI colour for a severity (text output on a terminal).
fn paint(color: bool, s: Severity) -> (&'static str, &'static str) {
    if !color {
        return ("", "");
    }
    let c = match s {
        Severity::Critical => "\x1b[1;31m",
        Severity::High => "\x1b[31m",
        Severity::Medium => "\x1b[33m",
        Severity::Low => "\x1b[36m",
        Severity::Info => "\x1b[2m",
    };
    (c, "\x1b[0m")
}

/// The anchor of a rule in docs/RULES.md.
pub fn docs_anchor(id: &str) -> String {
    format!("docs/RULES.md#{}", id.replace('/', ""))
}

pub fn text(out: &mut dyn Write, checked: &[Checked], opts: &TextOptions) -> io::Result<()> {
    if opts.quiet {
        for c in checked {
            let idx = LineIndex::new(&c.text);
            for e in &c.report.errors {
                let p = idx.position(e.span.start);
                writeln!(
                    out,
                    "{}:{}:{}: error: {}",
                    c.path, p.line, p.column, e.message
                )?;
            }
        }
        return writeln!(out, "{}", opts.verdict);
    }
    let mut by_layer = [0usize; 4];
    let mut errors = 0;
    let mut suppressed = 0;
    let indexes: Vec<LineIndex> = checked.iter().map(|c| LineIndex::new(&c.text)).collect();
    for (c, idx) in checked.iter().zip(&indexes) {
        for e in &c.report.errors {
            located(out, c, idx, e.span, format_args!("error: {}", e.message))?;
        }
        for w in &c.report.warnings {
            located(out, c, idx, w.span, format_args!("warning: {}", w.message))?;
        }
        // Findings on the same span read as one story: every finding's own line (so that
        // `file:line:col:` matchers still see each), the source once, then what each adds.
        let shown: Vec<&kube4c_core::Finding> = c
            .report
            .findings
            .iter()
            .filter(|f| f.suppressed.is_none())
            .collect();
        suppressed += c.report.findings.len() - shown.len();
        // Grouped by object: a heading when the object changes (findings are in text order,
        // and an object's findings lie inside it).
        let mut current: Option<&kube4c_core::report::ResourceRef> = None;
        for group in shown.chunk_by(|a, b| a.span == b.span) {
            let r = &*group[0].resource;
            if current != Some(r) {
                current = Some(r);
                let name = match (&r.namespace, r.name.is_empty()) {
                    (_, true) => String::new(),
                    (Some(ns), false) => format!(" {ns}/{}", r.name),
                    (None, false) => format!(" {}", r.name),
                };
                let n = shown.iter().filter(|f| *f.resource == *r).count();
                writeln!(
                    out,
                    "── {}{name} ({} finding{})",
                    r.kind,
                    n,
                    if n == 1 { "" } else { "s" }
                )?;
            }
            for f in group {
                let p = idx.position(f.span.start);
                let (on, off) = paint(opts.color, f.severity);
                writeln!(
                    out,
                    "{}:{}:{}: {on}{}{off} {} [{}] {}",
                    c.path,
                    p.line,
                    p.column,
                    f.severity.as_str(),
                    f.rule.as_str(),
                    f.layer().title(),
                    f.message
                )?;
            }
            snippet(out, &c.text, idx, group[0].span)?;
            let many = group.len() > 1;
            // Related locations several findings share are printed once.
            let mut related: Vec<(String, Vec<&str>)> = Vec::new();
            for f in group {
                for r in &f.related {
                    // Related locations may be in another file of the run.
                    let (path, p) = match r.file.and_then(|i| checked.get(i).zip(indexes.get(i))) {
                        Some((other, oidx)) => (&other.path, oidx.position(r.span.start)),
                        None => (&c.path, idx.position(r.span.start)),
                    };
                    let line = format!("{}:{}:{}: {}", path, p.line, p.column, r.label);
                    match related.iter_mut().find(|(l, _)| *l == line) {
                        Some((_, rules)) => rules.push(f.rule.as_str()),
                        None => related.push((line, vec![f.rule.as_str()])),
                    }
                }
            }
            for (line, rules) in &related {
                let of = if many && rules.len() < group.len() {
                    format!(" ({})", rules.join(", "))
                } else {
                    String::new()
                };
                writeln!(out, "       = related{of} {line}")?;
            }
            for f in group {
                let of = if many {
                    format!(" for {}", f.rule.as_str())
                } else {
                    String::new()
                };
                let m = f.meta();
                writeln!(
                    out,
                    "       = help{of}: {} ({})",
                    m.remediation.replace('`', ""),
                    docs_anchor(m.id)
                )?;
                if let Some(fix) = &f.fix {
                    let (after, _) =
                        kube4c_core::fix::apply(&c.text, [fix], Applicability::Display);
                    writeln!(
                        out,
                        "       = fix{of} ({}): {}",
                        match fix.applicability {
                            Applicability::Safe => "safe",
                            Applicability::Review => "review before applying",
                            Applicability::Display =>
                                "shown only: the text is shared through an alias or merge key",
                        },
                        fix.title
                    )?;
                    for line in kube4c_core::fix::diff(&c.text, &after).lines() {
                        writeln!(out, "       {line}")?;
                    }
                }
            }
        }
        errors += c.report.errors.len();
        for (total, n) in by_layer.iter_mut().zip(c.report.count_by_layer()) {
            *total += n;
        }
    }
    let total: usize = by_layer.iter().sum();
    let unread: usize = checked.iter().map(|c| c.report.unread()).sum();
    if unread > 0 {
        writeln!(
            out,
            "{unread} document{} or object{} not checked (unreadable, or rejected by the API server): the input is not proven safe",
            if unread == 1 { "" } else { "s" },
            if unread == 1 { "" } else { "s" },
        )?;
    }
    let mut by_severity = [0usize; 5];
    for c in checked {
        for f in c.report.active() {
            by_severity[f.severity as usize] += 1;
        }
    }
    let severities = Severity::ALL
        .iter()
        .rev()
        .filter(|s| by_severity[**s as usize] > 0)
        .map(|s| format!("{} {}", by_severity[*s as usize], s.as_str()))
        .collect::<Vec<_>>();
    writeln!(
        out,
        "{} file{}, {} finding{}{} (cloud {}, cluster {}, container {}, code {}){}, {} parse error{}",
        checked.len(),
        if checked.len() == 1 { "" } else { "s" },
        total,
        if total == 1 { "" } else { "s" },
        if severities.is_empty() {
            String::new()
        } else {
            format!(": {}", severities.join(", "))
        },
        by_layer[0],
        by_layer[1],
        by_layer[2],
        by_layer[3],
        if suppressed > 0 {
            format!(", {suppressed} suppressed")
        } else {
            String::new()
        },
        errors,
        if errors == 1 { "" } else { "s" },
    )?;
    writeln!(out, "{}", opts.verdict)
}

/// The source line with `^^^` under the span (first line of the span only). The padding
/// repeats the line's tabs so the carets line up in a terminal.
fn snippet(out: &mut dyn Write, text: &str, idx: &LineIndex, span: Span) -> io::Result<()> {
    let start = (span.start as usize).min(text.len());
    let end = (span.end as usize).clamp(start, text.len());
    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return Ok(());
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[line_start..line_end].trim_end_matches('\r');
    if line.chars().count() > 200 {
        return Ok(());
    }
    let pad: String = text[line_start..start]
        .chars()
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let len = text[start..end.min(line_start + line.len()).max(start)]
        .chars()
        .count()
        .max(1);
    writeln!(out, "{:>6} | {}", idx.position(span.start).line, line)?;
    writeln!(out, "       | {pad}{}", "^".repeat(len))
}

/// One file: its path, then the core's report type (the same one the wasm module returns).
#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    #[serde(flatten)]
    report: FileReport<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    findings: usize,
    suppressed: usize,
    unchecked: usize,
    by_layer: ByLayer,
    by_severity: BySeverity,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    tool: &'static str,
    version: &'static str,
    files: Vec<JsonFile<'a>>,
    summary: Summary,
}

pub fn json(out: &mut dyn Write, checked: &[Checked]) -> io::Result<()> {
    let mut by_layer = ByLayer::default();
    let mut by_severity = BySeverity::default();
    let mut suppressed = 0;
    let indexes: Vec<LineIndex> = checked.iter().map(|c| LineIndex::new(&c.text)).collect();
    let others: Vec<(&str, &LineIndex)> = checked
        .iter()
        .zip(&indexes)
        .map(|(c, i)| (c.path.as_str(), i))
        .collect();
    let others = &others;
    let files = checked
        .iter()
        .zip(&indexes)
        .map(|(c, idx)| {
            for f in &c.report.findings {
                if f.suppressed.is_some() {
                    suppressed += 1;
                    continue;
                }
                by_layer.add(f.layer());
                by_severity.add(f.severity);
            }
            JsonFile {
                path: &c.path,
                report: FileReport::with_others(&c.report, idx, others),
            }
        })
        .collect();
    let report = JsonReport {
        tool: "kube4c",
        version: VERSION,
        files,
        summary: Summary {
            findings: checked.iter().map(|c| c.report.active().count()).sum(),
            suppressed,
            unchecked: checked.iter().map(|c| c.report.unread()).sum(),
            by_layer,
            by_severity,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub code scanning reads `security-severity` (0-10).
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn fix_availability(m: &RuleMeta) -> &'static str {
    match m.fix {
        FixAvailability::Always => "every finding comes with a fix",
        FixAvailability::Sometimes => "some findings come with a fix",
        FixAvailability::None => "no automatic fix",
    }
}

fn help_markdown(m: &RuleMeta) -> String {
    format!(
        "## What it checks\n{}\n\n## Why it matters\n{}\n\n## How to fix\n{} ({}.)\n\n## Example\n```yaml\n{}\n```\n",
        m.what, m.why, m.remediation, fix_availability(m), m.example
    )
}

/// SARIF results of all files, serialized one at a time.
struct SarifResults<'a> {
    checked: &'a [Checked],
    indexes: &'a [LineIndex<'a>],
    /// Each file's (URI, relative to %SRCROOT%?).
    uris: &'a [(String, bool)],
}

fn artifact_location(uri: &(String, bool)) -> Value {
    if uri.1 {
        json!({"uri": uri.0, "uriBaseId": "%SRCROOT%"})
    } else {
        json!({"uri": uri.0})
    }
}

fn sarif_location(idx: &LineIndex, uri: &(String, bool), bytes: &ByteMap, span: Span) -> Value {
    let (l, col, el, ec) = region(idx, span);
    let mut region = json!({"startLine": l, "startColumn": col, "endLine": el, "endColumn": ec});
    // Byte offsets are the file's, not the decoded text's (a BOM, invalid bytes read as
    // U+FFFD, UTF-16); left out where they cannot be given.
    if let (Some(a), Some(b)) = (bytes.offset(span.start), bytes.offset(span.end)) {
        region["byteOffset"] = json!(a);
        region["byteLength"] = json!(b - a);
    }
    json!({"physicalLocation": {
        "artifactLocation": artifact_location(uri),
        "region": region,
    }})
}

impl Serialize for SarifResults<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(None)?;
        for ((c, idx), uri) in self.checked.iter().zip(self.indexes).zip(self.uris) {
            for f in &c.report.findings {
                let r = &f.resource;
                let fingerprint = fnv1a(&[
                    f.rule.as_str(),
                    &uri.0,
                    &r.kind,
                    r.namespace.as_deref().unwrap_or(""),
                    &r.name,
                    &f.path,
                ]);
                let mut result = json!({
                    "ruleId": f.rule.as_str(),
                    "ruleIndex": f.rule.index(),
                    "level": sarif_level(f.severity),
                    "message": {"text": f.message},
                    "locations": [sarif_location(idx, uri, &c.bytes, f.span)],
                    // Stable across runs and line moves: the rule, the file, the object and
                    // the field, not the position.
                    "partialFingerprints": {"kube4cFinding/v1": fingerprint},
                    "properties": {"layer": f.layer(), "severity": f.severity, "path": f.path, "resource": f.resource, "pss": f.pss},
                });
                if !f.related.is_empty() {
                    result["relatedLocations"] = f
                        .related
                        .iter()
                        .enumerate()
                        .map(|(i, r)| {
                            let (ridx, ruri, rbytes) = match r
                                .file
                                .and_then(|k| self.checked.get(k).zip(self.indexes.get(k)))
                            {
                                Some((other, oidx)) => {
                                    (oidx, &self.uris[r.file.unwrap_or(0)], &other.bytes)
                                }
                                None => (idx, uri, &c.bytes),
                            };
                            let mut l = sarif_location(ridx, ruri, rbytes, r.span);
                            l["id"] = json!(i);
                            l["message"] = json!({"text": r.label});
                            l
                        })
                        .collect();
                }
                if let Some(fix) = &f.fix {
                    result["fixes"] = json!([{
                        "description": {"text": format!("{} ({})", fix.title, fix.applicability.as_str())},
                        "artifactChanges": [{
                            "artifactLocation": artifact_location(uri),
                            "replacements": fix.edits.iter().map(|e| {
                                let (l, col, el, ec) = region(idx, e.span);
                                json!({
                                    "deletedRegion": {"startLine": l, "startColumn": col, "endLine": el, "endColumn": ec},
                                    "insertedContent": {"text": e.text},
                                })
                            }).collect::<Vec<_>>(),
                        }],
                    }]);
                }
                if let Some(s) = &f.suppressed {
                    result["suppressions"] = json!([{
                        "kind": "inSource",
                        "justification": s.reason,
                        "location": sarif_location(idx, uri, &c.bytes, s.span),
                    }]);
                }
                seq.serialize_element(&result)?;
            }
        }
        seq.end()
    }
}

pub fn sarif(out: &mut dyn Write, checked: &[Checked], base: Option<&Path>) -> io::Result<()> {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let m = r.meta;
            let mut tags = vec!["security".to_string(), format!("4c-{}", m.layer.as_str())];
            if let Some(level) = m.pss_level() {
                tags.push(format!("pss-{}", level.as_str()));
            }
            let mut rule = json!({
                "id": m.id,
                "name": m.title,
                "shortDescription": {"text": m.title},
                "fullDescription": {"text": m.what},
                "help": {"text": format!("{} {}", m.why, m.remediation), "markdown": help_markdown(m)},
                "defaultConfiguration": {"level": sarif_level(m.severity)},
                "properties": {
                    "layer": m.layer, "severity": m.severity, "tags": tags,
                    "security-severity": security_severity(m.severity),
                    "pss": m.pss.iter().map(|p| p.id).collect::<Vec<_>>(),
                    "fix": m.fix,
                },
            });
            if let Some(h) = HOMEPAGE {
                rule["helpUri"] = json!(format!("{}/{}", h.trim_end_matches('/'), docs_anchor(m.id)));
            }
            rule
        })
        .collect();
    let indexes: Vec<LineIndex> = checked.iter().map(|c| LineIndex::new(&c.text)).collect();
    let uris: Vec<(String, bool)> = checked
        .iter()
        .map(|c| artifact_uri(&c.path, base))
        .collect();
    let mut notifications = Vec::new();
    for ((c, idx), uri) in checked.iter().zip(&indexes).zip(&uris) {
        for e in &c.report.errors {
            notifications.push(json!({"level": "error", "message": {"text": e.message}, "locations": [sarif_location(idx, uri, &c.bytes, e.span)]}));
        }
        for w in &c.report.warnings {
            notifications.push(json!({"level": "warning", "message": {"text": w.message}, "locations": [sarif_location(idx, uri, &c.bytes, w.span)]}));
        }
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Run<'a> {
        tool: Value,
        automation_details: Value,
        #[serde(skip_serializing_if = "Option::is_none")]
        original_uri_base_ids: Option<Value>,
        column_kind: &'static str,
        invocations: Value,
        results: SarifResults<'a>,
    }
    #[derive(Serialize)]
    struct Log<'a> {
        #[serde(rename = "$schema")]
        schema: &'static str,
        version: &'static str,
        runs: [Run<'a>; 1],
    }
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: {
                let mut driver = json!({"name": "kube4c", "version": VERSION, "rules": rules});
                if let Some(h) = HOMEPAGE {
                    driver["informationUri"] = json!(h);
                }
                json!({ "driver": driver })
            },
            automation_details: json!({"id": "kube4c/"}),
            original_uri_base_ids: base.and_then(|b| {
                let abs = if b.is_absolute() {
                    b.to_path_buf()
                } else {
                    std::env::current_dir().ok()?.join(b)
                };
                let mut u = uri_encode(&normalize(&abs).to_string_lossy().replace('\\', "/"));
                if !u.ends_with('/') {
                    u.push('/');
                }
                Some(json!({"%SRCROOT%": {"uri": format!("file://{u}")}}))
            }),
            column_kind: "utf16CodeUnits",
            // A run that left input unread did not succeed at proving it safe.
            invocations: json!([{"executionSuccessful": checked.iter().all(|c| c.report.unread() == 0), "toolExecutionNotifications": notifications}]),
            results: SarifResults {
                checked,
                indexes: &indexes,
                uris: &uris,
            },
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 has no way to carry other control characters.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: a test suite per file, a failing test case per finding (named by rule and
/// object), a passing one for a file without findings, an error case for unreadable input.
pub fn junit(out: &mut dyn Write, checked: &[Checked]) -> io::Result<()> {
    let total: usize = checked.iter().map(|c| c.report.active().count()).sum();
    let errors: usize = checked.iter().map(|c| c.report.errors.len()).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="kube4c" tests="{}" failures="{total}" errors="{errors}">"#,
        total.max(checked.len()) + errors
    )?;
    for c in checked {
        let idx = LineIndex::new(&c.text);
        let findings: Vec<_> = c.report.active().collect();
        let name = xml_escape(&c.path);
        writeln!(
            out,
            r#"  <testsuite name="{name}" tests="{}" failures="{}" errors="{}">"#,
            findings.len().max(1) + c.report.errors.len(),
            findings.len(),
            c.report.errors.len()
        )?;
        for e in &c.report.errors {
            let p = idx.position(e.span.start);
            writeln!(
                out,
                r#"    <testcase name="YAML" classname="{name}" file="{name}" line="{}"><error message="{}"/></testcase>"#,
                p.line,
                xml_escape(&e.message)
            )?;
        }
        if findings.is_empty() && c.report.errors.is_empty() {
            writeln!(
                out,
                r#"    <testcase name="kube4c" classname="{name}" file="{name}"/>"#
            )?;
        }
        for f in findings {
            let p = idx.position(f.span.start);
            let r = &f.resource;
            let object = match &r.namespace {
                Some(ns) => format!("{} {}/{}", r.kind, ns, r.name),
                None => format!("{} {}", r.kind, r.name),
            };
            let m = f.meta();
            writeln!(
                out,
                r#"    <testcase name="{} ({})" classname="{name}" file="{name}" line="{}">"#,
                xml_escape(f.rule.as_str()),
                xml_escape(&object),
                p.line
            )?;
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">{}:{}:{}: {} [{}] {}&#10;{}&#10;{}</failure>"#,
                xml_escape(&f.message),
                f.severity.as_str(),
                name,
                p.line,
                p.column,
                f.severity.as_str(),
                f.layer().title(),
                xml_escape(&f.message),
                xml_escape(m.remediation),
                docs_anchor(m.id)
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

/// GitHub workflow commands escape data and property values
/// (`%`, CR, LF; and in properties `:` and `,`).
fn gh_escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

/// GitHub Actions workflow annotations: `::error` (critical, high), `::warning` (medium),
/// `::notice` (low, info), each at its file and span.
pub fn github(out: &mut dyn Write, checked: &[Checked]) -> io::Result<()> {
    for c in checked {
        let idx = LineIndex::new(&c.text);
        let file = gh_escape(c.path.trim_start_matches("./"), true);
        for e in &c.report.errors {
            let p = idx.position(e.span.start);
            writeln!(
                out,
                "::error file={file},line={},col={},title=YAML::{}",
                p.line,
                p.column,
                gh_escape(&e.message, false)
            )?;
        }
        for f in c.report.active() {
            let (l, col, el, ec) = region(&idx, f.span);
            let level = match f.severity {
                Severity::Critical | Severity::High => "error",
                Severity::Medium => "warning",
                Severity::Low | Severity::Info => "notice",
            };
            let title = gh_escape(
                &format!(
                    "{} ({}, {})",
                    f.rule.as_str(),
                    f.severity.as_str(),
                    f.layer().title()
                ),
                true,
            );
            let m = f.meta();
            let message = format!("{}\n{}", f.message, m.remediation);
            let end = if el == l {
                format!(",endColumn={ec}")
            } else {
                format!(",endLine={el}")
            };
            writeln!(
                out,
                "::{level} file={file},line={l},col={col}{end},title={title}::{}",
                gh_escape(&message, false)
            )?;
        }
    }
    Ok(())
}

/// Text in a Markdown table cell: `|` escaped, one line, and `<`, `>`, `&` as entities so a
/// name like `<img onerror=…>` (attacker-controlled) is shown, never rendered as HTML.
fn md_cell(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// A code span holding `s` verbatim: fenced by one more backtick than its longest run (a
/// path with a backtick cannot end the span early), `|` escaped for the table.
fn md_code(s: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let body = s.replace('|', "\\|").replace(['\n', '\r'], " ");
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// A Markdown summary (for `$GITHUB_STEP_SUMMARY`, pull request comments): the verdict,
/// counts by severity and layer, and every finding in a table.
pub fn markdown(out: &mut dyn Write, checked: &[Checked], verdict: &str) -> io::Result<()> {
    let findings: Vec<(&Checked, &kube4c_core::Finding)> = checked
        .iter()
        .flat_map(|c| c.report.active().map(move |f| (c, f)))
        .collect();
    writeln!(out, "## kube4c\n\n**{}**\n", md_cell(verdict))?;
    writeln!(out, "| severity | findings |\n| --- | ---: |")?;
    for s in Severity::ALL.iter().rev() {
        let n = findings.iter().filter(|(_, f)| f.severity == *s).count();
        writeln!(out, "| {} | {n} |", s.as_str())?;
    }
    writeln!(out, "\n| layer | findings |\n| --- | ---: |")?;
    for l in Layer::ALL {
        let n = findings.iter().filter(|(_, f)| f.layer() == l).count();
        writeln!(out, "| {} | {n} |", l.title())?;
    }
    if findings.is_empty() {
        return writeln!(out);
    }
    let mut sorted = findings;
    sorted.sort_by_key(|(_, f)| std::cmp::Reverse(f.severity));
    writeln!(
        out,
        "\n| severity | rule | where | finding |\n| --- | --- | --- | --- |"
    )?;
    for (c, f) in sorted.iter().take(200) {
        let p = LineIndex::new(&c.text).position(f.span.start);
        writeln!(
            out,
            "| {} | `{}` | {} | {} |",
            f.severity.as_str(),
            f.rule.as_str(),
            md_code(&format!("{}:{}", c.path, p.line)),
            md_cell(&f.message)
        )?;
    }
    if sorted.len() > 200 {
        writeln!(out, "\n… and {} more.", sorted.len() - 200)?;
    }
    writeln!(out)
}

/// The core's catalogue: layers, severities, profiles and every rule's metadata (the same
/// object the page reads from the wasm module).
pub fn rules_json() -> String {
    #[derive(Serialize)]
    struct RulesDoc {
        tool: &'static str,
        #[serde(flatten)]
        catalog: Catalog,
    }
    serde_json::to_string_pretty(&RulesDoc {
        tool: "kube4c",
        catalog: Catalog::get(),
    })
    .unwrap_or_default()
}

pub fn rules_text() -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for layer in Layer::ALL {
        let _ = writeln!(out, "{}", layer.title());
        for r in RULES.iter().filter(|r| r.meta.layer == layer) {
            let m = r.meta;
            let pss: Vec<&str> = m.pss.iter().map(|p| p.id).collect();
            let _ = writeln!(
                out,
                "  {:<40} {:<8} {:<4} {}{}",
                m.id,
                m.severity.as_str(),
                match m.fix {
                    FixAvailability::Always => "fix",
                    FixAvailability::Sometimes => "fix?",
                    FixAvailability::None => "",
                },
                m.title,
                if pss.is_empty() {
                    String::new()
                } else {
                    format!(" (PSS {})", pss.join(", "))
                }
            );
        }
    }
    out
}

/// The rule reference (docs/RULES.md), generated from the rules' own metadata.
pub fn rules_markdown() -> String {
    use std::fmt::Write as _;
    let mut out = String::from(
        "# kube4c rules\n\nGenerated by `kube4c rules --format markdown` from each rule's own file under\n`crates/kube4c-core/src/rules/`; `scripts/test.sh` fails when this file is stale.\n",
    );
    let count = |l: Layer| RULES.iter().filter(|r| r.meta.layer == l).count();
    let _ = writeln!(
        out,
        "\n{} rules: {}.\n\n## Severity policy\n\nEvery rule is placed by these definitions (a configuration file may regrade a rule for a team).\n",
        RULES.len(),
        Layer::ALL
            .iter()
            .map(|&l| format!("{} {}", l.title(), count(l)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for sev in Severity::ALL.iter().rev() {
        let n = RULES.iter().filter(|r| r.meta.severity == *sev).count();
        let _ = writeln!(out, "- **{}** ({n} rules): {}", sev.as_str(), sev.policy());
    }
    for layer in Layer::ALL {
        let rules: Vec<_> = RULES.iter().filter(|r| r.meta.layer == layer).collect();
        let _ = writeln!(out, "\n## {} ({} rules)\n", layer.title(), rules.len());
        for r in &rules {
            let m = r.meta;
            let _ = writeln!(
                out,
                "- [`{}`](#{}) — {} ({}{})",
                m.id,
                m.id.replace('/', ""),
                m.title,
                m.severity.as_str(),
                if m.fix == FixAvailability::None {
                    ""
                } else {
                    ", fixable"
                }
            );
        }
        for r in rules {
            let m = r.meta;
            let _ = writeln!(
                out,
                "\n### {}\n\n**{}** · severity `{}` · layer {}",
                m.id,
                m.title,
                m.severity.as_str(),
                m.layer.title()
            );
            for p in m.pss {
                let _ = writeln!(out, "· Pod Security `{}` ({})", p.id, p.level.as_str());
            }
            let _ = writeln!(
                out,
                "· Fix: {} · Suppress: `{}: \"<reason>\"`",
                fix_availability(m),
                m.annotation()
            );
            for o in m.options {
                let _ = writeln!(
                    out,
                    "· Option `{}` (default `{}`): {}",
                    o.name,
                    serde_json::to_string(&o.default).unwrap_or_default(),
                    o.doc
                );
            }
            let _ = write!(out, "\n{}", help_markdown(m).replace("## ", "#### "));
            if !m.references.is_empty() {
                let _ = writeln!(out, "\nReferences: {}.", m.references.join("; "));
            }
            if !m.peers.is_empty() {
                let peers: Vec<String> = m
                    .peers
                    .iter()
                    .map(|(t, id)| format!("{t} `{id}`"))
                    .collect();
                let _ = writeln!(out, "\nSame check elsewhere: {}.", peers.join(", "));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_never_carry_html_or_break_the_table() {
        assert_eq!(
            md_cell("<img src=x onerror=alert(1)> & a|b\nc"),
            "&lt;img src=x onerror=alert(1)&gt; &amp; a\\|b c"
        );
        assert_eq!(md_code("a.yaml:3"), "`a.yaml:3`");
        assert_eq!(md_code("we`ird.yaml:3"), "``we`ird.yaml:3``");
        assert_eq!(md_code("`x`:1"), "`` `x`:1 ``");
    }
}
