//! Renderers: text with source snippets, the JSON contract of DESIGN.md, SARIF 2.1.0.

use std::fmt::Write as _;

use kube4c_core::position::LineIndex;
use kube4c_core::{Layer, Severity, Span, RULES, VERSION};
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

pub fn text(checked: &[Checked]) -> String {
    let mut out = String::new();
    let mut by_layer = [0usize; 4];
    let mut total = 0;
    let mut errors = 0;
    for c in checked {
        let idx = LineIndex::new(&c.text);
        for e in &c.report.errors {
            errors += 1;
            let p = idx.position(e.span.start);
            let _ = writeln!(
                out,
                "{}:{}:{}: error: {}",
                c.path, p.line, p.column, e.message
            );
            snippet(&mut out, &c.text, &idx, e.span);
        }
        for w in &c.report.warnings {
            let p = idx.position(w.span.start);
            let _ = writeln!(
                out,
                "{}:{}:{}: warning: {}",
                c.path, p.line, p.column, w.message
            );
            snippet(&mut out, &c.text, &idx, w.span);
        }
        for f in &c.report.findings {
            let p = idx.position(f.span.start);
            let _ = writeln!(
                out,
                "{}:{}:{}: {} {} [{}] {}",
                c.path,
                p.line,
                p.column,
                f.severity.as_str(),
                f.rule,
                layer_title(f.layer),
                f.message
            );
            snippet(&mut out, &c.text, &idx, f.span);
            by_layer[f.layer as usize] += 1;
            total += 1;
        }
    }
    let _ = writeln!(
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
    );
    out
}

/// The source line with `^^^` under the span (first line of the span only). The padding
/// repeats the line's tabs so the carets line up in a terminal.
fn snippet(out: &mut String, text: &str, idx: &LineIndex, span: Span) {
    let start = (span.start as usize).min(text.len());
    let end = (span.end as usize).clamp(start, text.len());
    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[line_start..line_end].trim_end_matches('\r');
    if line.chars().count() > 200 {
        return;
    }
    let pad: String = text[line_start..start]
        .chars()
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let len = text[start..end.min(line_start + line.len()).max(start)]
        .chars()
        .count()
        .max(1);
    let _ = writeln!(out, "{:>6} | {}", idx.position(span.start).line, line);
    let _ = writeln!(out, "       | {pad}{}", "^".repeat(len));
}

fn position_json(idx: &LineIndex, span: Span) -> (u32, u32, u32, u32) {
    region(idx, span)
}

pub fn json(checked: &[Checked]) -> String {
    let mut by_layer = [0usize; 4];
    let mut by_sev = [0usize; 5];
    let mut total = 0;
    let files: Vec<Value> = checked
        .iter()
        .map(|c| {
            let idx = LineIndex::new(&c.text);
            let diag = |message: &str, span: Span| {
                let (l, col, el, ec) = position_json(&idx, span);
                json!({"message": message, "line": l, "column": col, "endLine": el, "endColumn": ec})
            };
            let findings: Vec<Value> = c
                .report
                .findings
                .iter()
                .map(|f| {
                    by_layer[f.layer as usize] += 1;
                    by_sev[f.severity as usize] += 1;
                    total += 1;
                    let (l, col, el, ec) = position_json(&idx, f.span);
                    let mut v = json!({
                        "rule": f.rule, "layer": f.layer, "severity": f.severity,
                        "message": f.message, "path": f.path,
                        "line": l, "column": col, "endLine": el, "endColumn": ec,
                        "start": f.span.start, "end": f.span.end,
                        "resource": f.resource,
                        "fix": f.fix,
                    });
                    if let Some(p) = f.pss {
                        v["pss"] = json!(p);
                    }
                    v
                })
                .collect();
            json!({
                "path": c.path,
                "documents": c.report.documents,
                "errors": c.report.errors.iter().map(|e| diag(&e.message, e.span)).collect::<Vec<_>>(),
                "warnings": c.report.warnings.iter().map(|w| diag(&w.message, w.span)).collect::<Vec<_>>(),
                "findings": findings,
            })
        })
        .collect();
    let doc = json!({
        "tool": "kube4c",
        "version": VERSION,
        "files": files,
        "summary": {
            "findings": total,
            "byLayer": {"cloud": by_layer[0], "cluster": by_layer[1], "container": by_layer[2], "code": by_layer[3]},
            "bySeverity": {"critical": by_sev[4], "high": by_sev[3], "medium": by_sev[2], "low": by_sev[1], "info": by_sev[0]},
        }
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
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

pub fn sarif(checked: &[Checked]) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let m = r.meta;
            let mut tags = vec!["security".to_string(), format!("4c-{}", m.layer.as_str())];
            if let Some(p) = m.pss {
                tags.push(format!(
                    "pss-{}",
                    serde_json::to_value(p.level)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
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
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for c in checked {
        let idx = LineIndex::new(&c.text);
        let uri = c.path.trim_start_matches("./").to_string();
        let loc = |span: Span| {
            let (l, col, el, ec) = region(&idx, span);
            json!({"physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": {"startLine": l, "startColumn": col, "endLine": el, "endColumn": ec,
                           "byteOffset": span.start, "byteLength": span.end - span.start}
            }})
        };
        for f in &c.report.findings {
            let index = RULES.iter().position(|r| r.meta.id == f.rule).unwrap_or(0);
            results.push(json!({
                "ruleId": f.rule,
                "ruleIndex": index,
                "level": sarif_level(f.severity),
                "message": {"text": f.message},
                "locations": [loc(f.span)],
                "properties": {"layer": f.layer, "severity": f.severity, "path": f.path, "resource": f.resource, "pss": f.pss},
            }));
        }
        for e in &c.report.errors {
            notifications.push(json!({"level": "error", "message": {"text": e.message}, "locations": [loc(e.span)]}));
        }
        for w in &c.report.warnings {
            notifications.push(json!({"level": "warning", "message": {"text": w.message}, "locations": [loc(w.span)]}));
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "kube4c", "version": VERSION, "informationUri": INFO_URI, "rules": rules}},
            "columnKind": "utf16CodeUnits",
            "invocations": [{"executionSuccessful": true, "toolExecutionNotifications": notifications}],
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

pub fn rules_json() -> String {
    let rules: Vec<&kube4c_core::RuleMeta> = RULES.iter().map(|r| r.meta).collect();
    serde_json::to_string_pretty(&json!({"tool": "kube4c", "version": VERSION, "rules": rules}))
        .unwrap_or_default()
}

pub fn rules_text() -> String {
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
