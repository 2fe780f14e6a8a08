//! kube4c in the browser: `check(text, options)`, `checkJson`, `catalog()`, `fixAll`,
//! `version()`.
//!
//! The result is the core's own report type (`kube4c_core::output::FileReport`), the same one
//! the CLI writes per file; its TypeScript declarations are generated from the Rust types into
//! `web/src/generated/report.ts` (a core test fails when they drift).

use kube4c_core::config::Config;
use kube4c_core::document::incremental::Unchanged;
use kube4c_core::output::{Catalog, FileReport};
use kube4c_core::position::{utf16_advance, LineIndex, Lines};
use kube4c_core::{Applicability, Options, Profile};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

pub mod delta;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
export type { CheckResult, Catalog } from "../src/generated/report";
import type { CheckResult, Catalog } from "../src/generated/report";
export interface CheckOptions {
  /** A profile name from `catalog().profiles`. */
  profile?: string;
  /** The text of a `.kube4c.yaml`; its profile applies unless `profile` is given. */
  config?: string;
  /** Ignore every suppression. */
  strict?: boolean;
  /** The namespace of objects that name none (`kubectl -n`); `default` when absent. */
  namespace?: string;
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
    config: Option<String>,
    strict: Option<bool>,
    namespace: Option<String>,
}

/// Build the core's options from the page's: a profile, a configuration text, strict mode.
/// A configuration mistake is an error naming its line and column.
pub fn options_from(
    profile: Option<&str>,
    config: Option<&str>,
    strict: Option<bool>,
) -> Result<Options, String> {
    let profile = match profile {
        None => None,
        Some(p) => Some(Profile::parse(p).ok_or_else(|| {
            format!(
                "unknown profile `{p}` (one of: {})",
                Profile::NAMES.join(", ")
            )
        })?),
    };
    let mut options = match config {
        Some(text) => {
            let idx = LineIndex::new(text);
            let config = Config::parse(text).map_err(|errors| {
                errors
                    .iter()
                    .map(|e| {
                        let p = idx.position(e.span.start);
                        format!(".kube4c.yaml {}:{}: {}", p.line, p.column, e.message)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })?;
            config.options(profile)
        }
        None => Options::profile(profile.unwrap_or_default()),
    };
    if let Some(s) = strict {
        options.strict = s;
    }
    Ok(options)
}

fn options_of(options: JsValue) -> Result<Options, JsError> {
    let opts: JsOptions = if options.is_undefined() || options.is_null() {
        JsOptions::default()
    } else {
        serde_wasm_bindgen::from_value(options)
            .map_err(|e| JsError::new(&format!("invalid options: {e}")))?
    };
    let mut options = options_from(opts.profile.as_deref(), opts.config.as_deref(), opts.strict)
        .map_err(|e| JsError::new(&e))?;
    options.namespace = opts.namespace;
    Ok(options)
}

/// The check as JSON, the core's report type serialized once.
pub fn check_to_json(text: &str, options: &Options) -> String {
    report_json(text, &kube4c_core::check(text, options))
}

/// A report of `text` as the JSON the page reads.
fn report_json(text: &str, report: &kube4c_core::Report) -> String {
    let idx = LineIndex::new(text);
    serde_json::to_string(&FileReport::new(report, &idx)).unwrap_or_default()
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
    let options = options_of(options)?;
    let report = kube4c_core::check(text, &options);
    let idx = LineIndex::new(text);
    to_js(&FileReport::new(&report, &idx))
}

/// The same result as `check`, as a JSON string. Building a large result as JS objects from
/// wasm costs one boundary call per field; one string and a `JSON.parse` is several times
/// faster, and a string crosses `postMessage` without a structured clone of every object.
#[wasm_bindgen(js_name = checkJson)]
pub fn check_json(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
) -> Result<String, JsError> {
    let options = options_of(options)?;
    Ok(check_to_json(text, &options))
}

/// A checker that keeps the parts of the last text it read and what it found in them:
/// checking the text again after an edit reads and checks only the parts (kubectl's `---`
/// pieces) the edit touched, reruns only the cross-resource rules on the others, and reuses
/// the rest (`kube4c_core::session`). The result is the same as `checkJson`'s.
#[wasm_bindgen]
#[derive(Default)]
pub struct Session {
    inner: kube4c_core::session::Session,
    /// The text `check` checks: set whole by `setText`, then changed by `edit`, so an edit
    /// crosses from JavaScript as a few bytes instead of the whole text on every check.
    text: String,
    /// What the edits since the last check left alone (`None`: unknown, after `setText`).
    unchanged: Option<Unchanged>,
    /// The last result `check` returned, as the page holds it: the next is a change to it.
    sent: Option<delta::Sent>,
    /// The number of the last result.
    gen: u32,
    /// The length of the text last checked.
    checked_len: usize,
    /// Its line starts.
    lines: Option<Lines>,
}

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session::default()
    }

    /// `checkJson` of `text`, reusing what the last text shares with it.
    #[wasm_bindgen(js_name = checkJson)]
    pub fn check_json(
        &mut self,
        text: &str,
        #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
    ) -> Result<String, JsError> {
        let options = options_of(options)?;
        Ok(self.check_to_json(text, &options))
    }

    /// Replace the held text.
    #[wasm_bindgen(js_name = setText)]
    pub fn set_text(&mut self, text: String) {
        self.text = text;
        self.unchanged = None;
    }

    /// `setText` of a text already encoded as UTF-8 (`TextEncoder.encode`, which writes a lone
    /// surrogate as U+FFFD, as `setText` does). A large text crosses faster this way:
    /// wasm-bindgen passes a string with a JavaScript loop over its characters while it is
    /// ASCII (argo-cd's 1.9 MB in Node: 8 ms), bytes with one copy (under 3 ms with the
    /// encoding). Bytes that are not UTF-8 are an error and leave the text as it was.
    #[wasm_bindgen(js_name = setTextUtf8)]
    pub fn set_text_utf8(&mut self, bytes: Vec<u8>) -> Result<(), JsError> {
        let text = String::from_utf8(bytes)
            .map_err(|e| JsError::new(&format!("the text is not UTF-8: {e}")))?;
        self.set_text(text);
        Ok(())
    }

    /// Apply the editor's edits to the held text (see [`apply_edits`]; offsets in UTF-16
    /// units). Edits that do not fit the text are an error and leave the text as it was.
    pub fn edit(&mut self, ops: &[u32], texts: Vec<String>) -> Result<(), JsError> {
        // The last check's line starts are those of the held text until it is edited: they
        // find the edits' bytes without walking the text from its beginning.
        let index = match (&self.lines, self.unchanged) {
            (Some(lines), Some(same))
                if same == Unchanged::none(self.text.len())
                    && self.checked_len == self.text.len() =>
            {
                Some(lines)
            }
            _ => None,
        };
        let before = self.text.len();
        let same = apply_edits(&mut self.text, ops, &texts, index).map_err(|e| JsError::new(&e))?;
        self.unchanged = self
            .unchanged
            .map(|u| u.then(same, [self.checked_len, before, self.text.len()]));
        Ok(())
    }

    /// The check of the held text, as a change to the last result returned (see
    /// [`delta`]): the findings that are new, and how the others moved.
    pub fn check(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
    ) -> Result<String, JsError> {
        let options = options_of(options)?;
        Ok(self.check_delta(&options))
    }

    /// Forget the last result: the next `check` sends every finding (the page lost its copy).
    pub fn forget(&mut self) {
        self.sent = None;
    }

    /// Parts read (not reused) by the last check.
    #[wasm_bindgen(getter, js_name = partsRead)]
    pub fn parts_read(&self) -> usize {
        self.inner.parts_read()
    }

    /// Rule runs of the last check (the others' findings were reused).
    #[wasm_bindgen(getter, js_name = ruleRuns)]
    pub fn rule_runs(&self) -> usize {
        self.inner.last_rule_runs
    }
}

impl Session {
    /// [`check_to_json`] through the cache.
    pub fn check_to_json(&mut self, text: &str, options: &Options) -> String {
        // The parts kept are now those of `text`: what edits of the held text left alone no
        // longer says where they changed what was read last.
        self.unchanged = None;
        report_json(text, &self.inner.check(text, options))
    }

    /// `check` of the held text (see [`delta`]).
    pub fn check_delta(&mut self, options: &Options) -> String {
        let same = self.unchanged.take();
        let report = self.inner.check_edited(&self.text, options, same);
        // The line index too is moved over the edit, not built again over the whole text.
        let idx = match (self.lines.take(), same) {
            (Some(lines), Some(same)) => {
                LineIndex::edited(&self.text, lines, self.checked_len, same)
            }
            _ => LineIndex::new(&self.text),
        };
        // Until the next edit, nothing changed since this check.
        self.checked_len = self.text.len();
        self.unchanged = Some(Unchanged::none(self.text.len()));
        self.gen = self.gen.wrapping_add(1);
        let (out, sent) = delta::delta(self.sent.as_ref(), self.gen, &idx, report);
        self.lines = Some(idx.into_lines());
        self.sent = Some(sent);
        out
    }
}

/// Apply edits to `text`, in place: `ops` is pairs `(kind, units)`, kind 0 keeping `units` UTF-16 units
/// and kind 1 replacing them with the next of `texts` (CodeMirror's `ChangeSet.toJSON()`,
/// flattened by the worker); an error, the text left as it was, when the edits do not cover
/// it exactly. One replacement (a keystroke) moves only the text after it. `index`,
/// the line starts of `text` when known, finds each edit's bytes from its line's start
/// (otherwise the text is walked from its beginning: 2.4 ms a keystroke on kube-prometheus).
pub fn apply_edits(
    text: &mut String,
    ops: &[u32],
    texts: &[String],
    index: Option<&Lines>,
) -> Result<Unchanged, String> {
    if ops.len() % 2 != 0 {
        return Err("edits: an odd number of operations".to_string());
    }
    // First where each replacement is, checked against the text; only then is it changed.
    let mut replaced: Vec<(usize, usize, &str)> = Vec::new();
    let mut inserted = texts.iter();
    let mut at = 0usize;
    let mut at16 = 0usize;
    for op in ops.chunks_exact(2) {
        let units = op[1] as usize;
        at16 += units;
        let to = match index {
            Some(lines) => lines.byte_at(text, at16).filter(|&to| to >= at),
            None => utf16_advance(text, at, units),
        };
        let to = to.ok_or_else(|| {
            format!(
                "edits go past the end of the text or into a character ({} bytes)",
                text.len()
            )
        })?;
        match op[0] {
            0 => {}
            1 => replaced.push((
                at,
                to,
                inserted
                    .next()
                    .ok_or("edits: a text to insert is missing")?,
            )),
            k => return Err(format!("edits: unknown operation {k}")),
        }
        at = to;
    }
    if at != text.len() || inserted.next().is_some() {
        return Err(format!(
            "edits cover {at} of the text's {} bytes",
            text.len()
        ));
    }
    // The bytes before the first replacement and after the last one are left alone.
    let same = match (replaced.first(), replaced.last()) {
        (Some(first), Some(last)) => Unchanged {
            prefix: first.0,
            suffix: text.len() - last.1,
        },
        _ => Unchanged::none(text.len()),
    };
    match replaced.as_slice() {
        [] => {}
        // A keystroke: in place, moving only the text after it (no second copy of the text).
        [(from, to, with)] if from == to => text.insert_str(*from, with),
        [(from, to, "")] => drop(text.drain(*from..*to)),
        [(from, to, with)] => text.replace_range(*from..*to, with),
        _ => {
            let mut out = String::with_capacity(text.len() + 64);
            let mut kept = 0;
            for (from, to, with) in &replaced {
                out.push_str(&text[kept..*from]);
                out.push_str(with);
                kept = *to;
            }
            out.push_str(&text[kept..]);
            *text = out;
        }
    }
    Ok(same)
}

/// Apply every fix of at least `min` applicability (`"safe"` or `"review"`), re-checking
/// between rounds; returns the fixed text.
#[wasm_bindgen(js_name = fixAll)]
pub fn fix_all(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
    #[wasm_bindgen(unchecked_param_type = "\"safe\" | \"review\"")] min: &str,
) -> Result<String, JsError> {
    let options = options_of(options)?;
    let min = match min {
        "safe" => Applicability::Safe,
        "review" => Applicability::Review,
        other => return Err(JsError::new(&format!("unknown applicability `{other}`"))),
    };
    Ok(kube4c_core::fix_all(text, &options, min).0)
}

/// Layers, severities, profiles and every rule's metadata, from the core.
#[wasm_bindgen(unchecked_return_type = "Catalog")]
pub fn catalog() -> Result<JsValue, JsError> {
    to_js(&Catalog::get())
}

/// The kube4c version.
#[wasm_bindgen]
pub fn version() -> String {
    kube4c_core::VERSION.to_string()
}

/// The report of a text in one of the CLI's formats, written by the same code as the CLI's
/// (`kube4c-export`): `"json"`, `"sarif"` or `"markdown"`. `name` is the file name the report
/// gives the text; SARIF URIs are relative to `base` as the CLI's are to its working folder (the
/// page has none: the name is used as it is). The verdict (Markdown) uses the CLI's default
/// gate, `high`.
pub fn export_text(
    text: &str,
    options: &Options,
    format: &str,
    name: &str,
    base: Option<&std::path::Path>,
) -> Result<String, String> {
    use kube4c_export::{ByteMap, Checked};
    let report = kube4c_core::check(text, options);
    let failing = report
        .active()
        .filter(|f| f.severity >= kube4c_core::Severity::High)
        .count();
    let total = report.active().count();
    let unread = report.unread();
    let checked = [Checked {
        path: name.to_string(),
        text: text.to_string(),
        report,
        bytes: ByteMap {
            utf16: false,
            bom: 0,
            invalid: Vec::new(),
        },
    }];
    let code = u8::from(failing > 0 || unread > 0);
    let verdict = kube4c_export::verdict(
        code,
        Some(kube4c_core::Severity::High),
        failing,
        total,
        unread,
        0,
        false,
    );
    let mut out = Vec::new();
    let written = match format {
        "json" => kube4c_export::json(&mut out, &checked),
        "sarif" => kube4c_export::sarif(&mut out, &checked, base),
        "markdown" => kube4c_export::markdown(&mut out, &checked, &verdict),
        other => {
            return Err(format!(
                "unknown format `{other}` (json, sarif or markdown)"
            ))
        }
    };
    written.map_err(|e| e.to_string())?;
    String::from_utf8(out).map_err(|e| e.to_string())
}

/// The report of a text as the CLI writes it: `"json"`, `"sarif"` or `"markdown"`.
#[wasm_bindgen(js_name = exportReport)]
pub fn export_report(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
    #[wasm_bindgen(unchecked_param_type = "\"json\" | \"sarif\" | \"markdown\"")] format: &str,
    name: &str,
) -> Result<String, JsError> {
    let options = options_of(options)?;
    export_text(text, &options, format, name, None).map_err(|e| JsError::new(&e))
}

#[cfg(test)]
mod tests {
    use kube4c_core::document::incremental::Unchanged;
    use kube4c_core::position::LineIndex;

    /// `super::apply_edits` without the text's line starts and with them: the same result.
    fn apply_edits(
        text: &str,
        ops: &[u32],
        texts: &[String],
    ) -> Result<(String, Unchanged), String> {
        let edit = |index| {
            let mut t = text.to_string();
            let r = super::apply_edits(&mut t, ops, texts, index);
            // Edits that do not fit leave the text as it was.
            assert!(r.is_ok() || t == text, "{ops:?} on {text:?}");
            r.map(|same| (t, same))
        };
        let walked = edit(None);
        let lines = LineIndex::new(text).into_lines();
        let indexed = edit(Some(&lines));
        assert_eq!(walked.is_ok(), indexed.is_ok(), "{ops:?} on {text:?}");
        if let (Ok(a), Ok(b)) = (&walked, &indexed) {
            assert_eq!(a, b, "{ops:?} on {text:?}");
        }
        walked
    }

    fn texts(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn edits_count_utf16_units() {
        // `a`, the emoji (two units) replaced by `X`, then `b`, newline, `é` kept.
        let text = "a😀b\né";
        assert_eq!(
            apply_edits(text, &[0, 1, 1, 2, 0, 3], &texts(&["X"])).unwrap(),
            (
                "aXb\né".to_string(),
                Unchanged {
                    prefix: 1,
                    suffix: 4
                }
            )
        );
        // An insertion replaces nothing.
        assert_eq!(
            apply_edits(text, &[0, 5, 1, 0, 0, 1], &texts(&["\nx: 1\n"]))
                .unwrap()
                .0,
            "a😀b\n\nx: 1\né"
        );
        // ASCII runs longer than the 4 KB step, then a 4-byte character.
        let long = format!("{}😀{}", "k".repeat(9000), "v".repeat(5000));
        let (edited, same) = apply_edits(&long, &[0, 9000, 1, 2, 0, 5000], &texts(&[""])).unwrap();
        assert_eq!((same.prefix, same.suffix), (9000, 5000));
        assert_eq!(edited, format!("{}{}", "k".repeat(9000), "v".repeat(5000)));
        // Every single replacement of a text with lines, wide characters and a surrogate
        // pair: the same with and without its line starts (errors included).
        let text = "a: é\nbb😀\n\nc\u{2028}d\n";
        let len16 = text.encode_utf16().count() as u32;
        for from in 0..=len16 + 1 {
            for len in 0..3 {
                let keep = len16.saturating_sub(from + len);
                let _ = apply_edits(text, &[0, from, 1, len, 0, keep], &texts(&["é\n"]));
            }
        }
    }

    #[test]
    fn edits_that_do_not_fit_are_errors() {
        let text = "a😀b";
        for (ops, t) in [
            (&[0, 5][..], &[][..]),        // past the end
            (&[0, 2], &[]),                // short of the end
            (&[0, 2, 1, 1, 0, 1], &["x"]), // into the surrogate pair
            (&[1, 9], &["x"]),             // replaces past the end
            (&[1, 4], &[]),                // no text to insert
            (&[0, 4], &["left over"]),
            (&[2, 4], &[]),
            (&[0], &[]),
        ] {
            assert!(apply_edits(text, ops, &texts(t)).is_err(), "{ops:?}");
        }
    }
}
