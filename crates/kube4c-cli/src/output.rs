//! Renderers: text with source snippets, the JSON contract of DESIGN.md, SARIF 2.1.0.

use std::io::{self, Write};

use kube4c_core::position::LineIndex;
use kube4c_core::report::{Finding, ResourceRef};
use kube4c_core::{Layer, Severity, Span, RULES, VERSION};
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::{json, Value};

use crate::Checked;

const INFO_URI: &str = "https://github.com/kube4c/kube4c";

/// 1-based line/column (UTF-16 units) of a span's ends.
fn region(idx: &LineIndex, span: Span) -> (u32, u32, u32, u32) {
    let a = idx.position(span.start);
    let b = idx.position(span.end);
    (a.line, a.column, b.line, b.column)
}

fn layer_title(l: Layer) -> &'static str {
    match l {
        Layer::Cloud => "Cloud",
        Layer::Cluster => "Cluster",
        Layer::Container => "Container",
        Layer::Code => "Code",
    }
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

pub fn text(out: &mut dyn Write, checked: &[Checked]) -> io::Result<()> {
    let mut by_layer = [0usize; 4];
    let mut errors = 0;
    for c in checked {
        let idx = LineIndex::new(&c.text);
        for e in &c.report.errors {
            located(out, c, &idx, e.span, format_args!("error: {}", e.message))?;
        }
        for w in &c.report.warnings {
            located(out, c, &idx, w.span, format_args!("warning: {}", w.message))?;
        }
        for f in &c.report.findings {
            let head = format_args!(
                "{} {} [{}] {}",
                f.severity.as_str(),
                f.rule,
                layer_title(f.layer),
                f.message
            );
            located(out, c, &idx, f.span, head)?;
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
    writeln!(
        out,
        "{} file{}, {} finding{} (cloud {}, cluster {}, container {}, code {}), {} parse error{}",
        checked.len(),
        if checked.len() == 1 { "" } else { "s" },
        total,
        if total == 1 { "" } else { "s" },
        by_layer[0],
        by_layer[1],
        by_layer[2],
        by_layer[3],
        errors,
        if errors == 1 { "" } else { "s" },
    )
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Diag<'a> {
    message: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

impl<'a> Diag<'a> {
    fn new(idx: &LineIndex, message: &'a str, span: Span) -> Self {
        let (line, column, end_line, end_column) = region(idx, span);
        Diag {
            message,
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// One finding in the JSON contract's shape.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonFinding<'a> {
    rule: &'a str,
    layer: Layer,
    severity: Severity,
    message: &'a str,
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    start: u32,
    end: u32,
    resource: &'a ResourceRef,
    fix: &'a Option<kube4c_core::report::Fix>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pss: Option<&'a str>,
}

/// Serializes a file's findings one at a time (no intermediate tree: a million findings
/// stream out in constant extra memory).
struct Findings<'a> {
    idx: &'a LineIndex<'a>,
    findings: &'a [Finding],
}

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(Some(self.findings.len()))?;
        for f in self.findings {
            let (line, column, end_line, end_column) = region(self.idx, f.span);
            seq.serialize_element(&JsonFinding {
                rule: f.rule,
                layer: f.layer,
                severity: f.severity,
                message: &f.message,
                path: &f.path,
                line,
                column,
                end_line,
                end_column,
                start: f.span.start,
                end: f.span.end,
                resource: &f.resource,
                fix: &f.fix,
                pss: f.pss,
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    documents: usize,
    /// Documents or objects not checked: unreadable, or rejected by the API server.
    unchecked: usize,
    errors: Vec<Diag<'a>>,
    warnings: Vec<Diag<'a>>,
    findings: Findings<'a>,
}

#[derive(Serialize)]
struct ByLayer {
    cloud: usize,
    cluster: usize,
    container: usize,
    code: usize,
}

#[derive(Serialize)]
struct BySeverity {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    findings: usize,
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
    let mut by_layer = [0usize; 4];
    let mut by_sev = [0usize; 5];
    let indexes: Vec<LineIndex> = checked.iter().map(|c| LineIndex::new(&c.text)).collect();
    let files = checked
        .iter()
        .zip(&indexes)
        .map(|(c, idx)| {
            for f in &c.report.findings {
                by_layer[f.layer as usize] += 1;
                by_sev[f.severity as usize] += 1;
            }
            JsonFile {
                path: &c.path,
                documents: c.report.documents,
                unchecked: c.report.unread(),
                errors: c
                    .report
                    .errors
                    .iter()
                    .map(|e| Diag::new(idx, &e.message, e.span))
                    .collect(),
                warnings: c
                    .report
                    .warnings
                    .iter()
                    .map(|w| Diag::new(idx, &w.message, w.span))
                    .collect(),
                findings: Findings {
                    idx,
                    findings: &c.report.findings,
                },
            }
        })
        .collect();
    let report = JsonReport {
        tool: "kube4c",
        version: VERSION,
        files,
        summary: Summary {
            findings: by_layer.iter().sum(),
            unchecked: checked.iter().map(|c| c.report.unread()).sum(),
            by_layer: ByLayer {
                cloud: by_layer[0],
                cluster: by_layer[1],
                container: by_layer[2],
                code: by_layer[3],
            },
            by_severity: BySeverity {
                critical: by_sev[4],
                high: by_sev[3],
                medium: by_sev[2],
                low: by_sev[1],
                info: by_sev[0],
            },
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

fn help_markdown(m: &kube4c_core::RuleMeta) -> String {
    format!(
        "## What it checks\n{}\n\n## Why it matters\n{}\n\n## How to fix\n{}\n\n## Example\n```yaml\n{}\n```\n",
        m.what, m.why, m.fix, m.example
    )
}

/// SARIF results of all files, serialized one at a time.
struct SarifResults<'a> {
    checked: &'a [Checked],
    indexes: &'a [LineIndex<'a>],
}

fn sarif_location(idx: &LineIndex, uri: &str, span: Span) -> Value {
    let (l, col, el, ec) = region(idx, span);
    json!({"physicalLocation": {
        "artifactLocation": {"uri": uri},
        "region": {"startLine": l, "startColumn": col, "endLine": el, "endColumn": ec,
                   "byteOffset": span.start, "byteLength": span.end - span.start}
    }})
}

impl Serialize for SarifResults<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(None)?;
        for (c, idx) in self.checked.iter().zip(self.indexes) {
            let uri = c.path.trim_start_matches("./");
            for f in &c.report.findings {
                let index = kube4c_core::rules::rule_index(f.rule).unwrap_or(0);
                seq.serialize_element(&json!({
                    "ruleId": f.rule,
                    "ruleIndex": index,
                    "level": sarif_level(f.severity),
                    "message": {"text": f.message},
                    "locations": [sarif_location(idx, uri, f.span)],
                    "properties": {"layer": f.layer, "severity": f.severity, "path": f.path, "resource": f.resource, "pss": f.pss},
                }))?;
            }
        }
        seq.end()
    }
}

pub fn sarif(out: &mut dyn Write, checked: &[Checked]) -> io::Result<()> {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let m = r.meta;
            let mut tags = vec!["security".to_string(), format!("4c-{}", m.layer.as_str())];
            if let Some(p) = m.pss {
                tags.push(format!(
                    "pss-{}",
                    match p.level {
                        kube4c_core::rules::PssLevel::Baseline => "baseline",
                        kube4c_core::rules::PssLevel::Restricted => "restricted",
                    }
                ));
            }
            json!({
                "id": m.id,
                "name": m.title,
                "shortDescription": {"text": m.title},
                "fullDescription": {"text": m.what},
                "help": {"text": format!("{} {}", m.why, m.fix), "markdown": help_markdown(m)},
                "defaultConfiguration": {"level": sarif_level(m.severity)},
                "properties": {
                    "layer": m.layer, "severity": m.severity, "tags": tags,
                    "security-severity": security_severity(m.severity),
                    "pss": m.pss.map(|p| p.id),
                },
            })
        })
        .collect();
    let indexes: Vec<LineIndex> = checked.iter().map(|c| LineIndex::new(&c.text)).collect();
    let mut notifications = Vec::new();
    for (c, idx) in checked.iter().zip(&indexes) {
        let uri = c.path.trim_start_matches("./");
        for e in &c.report.errors {
            notifications.push(json!({"level": "error", "message": {"text": e.message}, "locations": [sarif_location(idx, uri, e.span)]}));
        }
        for w in &c.report.warnings {
            notifications.push(json!({"level": "warning", "message": {"text": w.message}, "locations": [sarif_location(idx, uri, w.span)]}));
        }
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Run<'a> {
        tool: Value,
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
            tool: json!({"driver": {"name": "kube4c", "version": VERSION, "informationUri": INFO_URI, "rules": rules}}),
            column_kind: "utf16CodeUnits",
            // A run that left input unread did not succeed at proving it safe.
            invocations: json!([{"executionSuccessful": checked.iter().all(|c| c.report.unread() == 0), "toolExecutionNotifications": notifications}]),
            results: SarifResults {
                checked,
                indexes: &indexes,
            },
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

pub fn rules_json() -> String {
    let rules: Vec<&kube4c_core::RuleMeta> = RULES.iter().map(|r| r.meta).collect();
    serde_json::to_string_pretty(&json!({"tool": "kube4c", "version": VERSION, "rules": rules}))
        .unwrap_or_default()
}

pub fn rules_text() -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for layer in Layer::ALL {
        let _ = writeln!(out, "{}", layer_title(layer));
        for r in RULES.iter().filter(|r| r.meta.layer == layer) {
            let m = r.meta;
            let _ = writeln!(
                out,
                "  {:<40} {:<8} {}{}",
                m.id,
                m.severity.as_str(),
                m.title,
                m.pss
                    .map(|p| format!(" (PSS {})", p.id))
                    .unwrap_or_default()
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
    for layer in Layer::ALL {
        let rules: Vec<_> = RULES.iter().filter(|r| r.meta.layer == layer).collect();
        let _ = writeln!(out, "\n## {} ({} rules)\n", layer_title(layer), rules.len());
        for r in &rules {
            let m = r.meta;
            let _ = writeln!(
                out,
                "- [`{}`](#{}) — {} ({})",
                m.id,
                m.id.replace('/', ""),
                m.title,
                m.severity.as_str()
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
                layer_title(m.layer)
            );
            if let Some(p) = m.pss {
                let level = match p.level {
                    kube4c_core::rules::PssLevel::Baseline => "baseline",
                    kube4c_core::rules::PssLevel::Restricted => "restricted",
                };
                let _ = writeln!(out, "· Pod Security `{}` ({level})", p.id);
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
