//! kube4c in the browser: `check(text, options)`, `rules()`, `version()`.
//!
//! Positions are given as UTF-16 offsets (`from`/`to`, what JavaScript strings and CodeMirror
//! use) and as 1-based line/column in UTF-16 units, next to the byte offsets of the core.

use kube4c_core::position::LineIndex;
use kube4c_core::report::ResourceRef;
use kube4c_core::{Layer, Options, Profile, RuleMeta, Severity, Span, RULES};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
export type Layer = "cloud" | "cluster" | "container" | "code";
export type Severity = "critical" | "high" | "medium" | "low" | "info";
export interface CheckOptions { profile?: "all" | "pss-baseline" | "pss-restricted" }
export interface Diagnostic {
  message: string;
  /** UTF-16 offsets into the checked text. */
  from: number; to: number;
  line: number; column: number; endLine: number; endColumn: number;
}
export interface Resource { kind: string; name: string; namespace?: string; document: number }
export interface Finding extends Diagnostic {
  rule: string; layer: Layer; severity: Severity; title: string; path: string;
  /** Byte offsets into the UTF-8 text. */
  start: number; end: number;
  resource: Resource; pss?: string;
}
export interface CheckResult {
  documents: number;
  /** Documents or objects not checked: unreadable, or rejected by the API server. */
  unchecked: number;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  findings: Finding[];
  byLayer: { cloud: number; cluster: number; container: number; code: number };
}
export interface RuleInfo {
  id: string; layer: Layer; severity: Severity; title: string;
  what: string; why: string; fix: string; example: string;
  pss: { id: string; level: "baseline" | "restricted" } | null;
  references: string[]; peers: [string, string][];
}
"#;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsOptions {
    profile: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    pub message: String,
    pub from: u32,
    pub to: u32,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub rule: &'static str,
    pub layer: Layer,
    pub severity: Severity,
    pub title: &'static str,
    pub message: String,
    pub path: String,
    pub from: u32,
    pub to: u32,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub start: u32,
    pub end: u32,
    pub resource: std::sync::Arc<ResourceRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pss: Option<&'static str>,
}

#[derive(Serialize)]
pub struct ByLayer {
    pub cloud: usize,
    pub cluster: usize,
    pub container: usize,
    pub code: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    pub documents: usize,
    pub unchecked: usize,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    pub findings: Vec<Finding>,
    pub by_layer: ByLayer,
}

fn diagnostic(idx: &LineIndex, message: String, span: Span) -> Diagnostic {
    let a = idx.position(span.start);
    let b = idx.position(span.end);
    Diagnostic {
        message,
        from: a.offset16,
        to: b.offset16,
        line: a.line,
        column: a.column,
        end_line: b.line,
        end_column: b.column,
    }
}

/// The whole check as plain Rust data (also what the native tests of this crate use).
pub fn check_text(text: &str, profile: Profile) -> CheckResult {
    let report = kube4c_core::check(text, &Options { profile });
    let idx = LineIndex::new(text);
    let by = report.count_by_layer();
    let title = |id: &str| kube4c_core::rules::rule_index(id).map_or("", |i| RULES[i].meta.title);
    CheckResult {
        documents: report.documents,
        unchecked: report.unread(),
        errors: report
            .errors
            .into_iter()
            .map(|e| diagnostic(&idx, e.message, e.span))
            .collect(),
        warnings: report
            .warnings
            .into_iter()
            .map(|w| diagnostic(&idx, w.message, w.span))
            .collect(),
        findings: report
            .findings
            .into_iter()
            .map(|f| {
                let d = diagnostic(&idx, f.message, f.span);
                Finding {
                    rule: f.rule,
                    layer: f.layer,
                    severity: f.severity,
                    title: title(f.rule),
                    message: d.message,
                    path: f.path,
                    from: d.from,
                    to: d.to,
                    line: d.line,
                    column: d.column,
                    end_line: d.end_line,
                    end_column: d.end_column,
                    start: f.span.start,
                    end: f.span.end,
                    resource: f.resource,
                    pss: f.pss,
                }
            })
            .collect(),
        by_layer: ByLayer {
            cloud: by[0],
            cluster: by[1],
            container: by[2],
            code: by[3],
        },
    }
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Check a YAML text (any number of documents).
#[wasm_bindgen(unchecked_return_type = "CheckResult")]
pub fn check(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsError> {
    let profile = profile_of(options)?;
    to_js(&check_text(text, profile))
}

fn profile_of(options: JsValue) -> Result<Profile, JsError> {
    let opts: JsOptions = if options.is_undefined() || options.is_null() {
        JsOptions::default()
    } else {
        serde_wasm_bindgen::from_value(options)
            .map_err(|e| JsError::new(&format!("invalid options: {e}")))?
    };
    match opts.profile.as_deref() {
        None => Ok(Profile::All),
        Some(p) => Profile::parse(p).ok_or_else(|| {
            JsError::new(&format!(
                "unknown profile `{p}` (one of: {})",
                Profile::NAMES.join(", ")
            ))
        }),
    }
}

/// The same result as `check`, as a JSON string. Building a large result as JS objects from
/// wasm costs one boundary call per field; one string and a `JSON.parse` is several times
/// faster, and a string crosses `postMessage` without a structured clone of every object.
#[wasm_bindgen(js_name = checkJson)]
pub fn check_json(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
) -> Result<String, JsError> {
    let profile = profile_of(options)?;
    serde_json::to_string(&check_text(text, profile)).map_err(|e| JsError::new(&e.to_string()))
}

/// Every rule's metadata and docs.
#[wasm_bindgen(unchecked_return_type = "RuleInfo[]")]
pub fn rules() -> Result<JsValue, JsError> {
    let all: Vec<&RuleMeta> = RULES.iter().map(|r| r.meta).collect();
    to_js(&all)
}

/// The kube4c version.
#[wasm_bindgen]
pub fn version() -> String {
    kube4c_core::VERSION.to_string()
}
