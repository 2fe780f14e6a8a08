//! The wasm face, run in Node and in headless Chromium by wasm-bindgen-test
//! (`scripts/test.sh` runs both). Plain `#[test]`s are skipped on wasm32, so these use
//! `wasm_bindgen_test`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

const EXAMPLE: &str = include_str!("../../../examples/task-api-insecure.yaml");

/// The check's result as JSON (the same serialization `checkJson` returns).
fn checked(text: &str) -> serde_json::Value {
    let json = kube4c_wasm::check_to_json(text, &kube4c_core::Options::default());
    serde_json::from_str(&json).unwrap()
}

fn has_rule(r: &serde_json::Value, rule: &str) -> bool {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == rule)
}

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys_get(v, key)
}

#[wasm_bindgen::prelude::wasm_bindgen(
    inline_js = "export function js_sys_get(o, k) { return o[k]; }"
)]
extern "C" {
    fn js_sys_get(o: &JsValue, k: &str) -> JsValue;
}

#[wasm_bindgen_test]
fn checks_the_example_with_utf16_offsets() {
    let r = kube4c_wasm::check(EXAMPLE, JsValue::UNDEFINED).expect("check");
    let findings = get(&r, "findings");
    let n = get(&findings, "length").as_f64().unwrap() as usize;
    assert!(n >= 30, "expected the insecure example's findings, got {n}");
    assert_eq!(get(&r, "documents").as_f64(), Some(8.0));
    // The privileged `yes` is found, and from/to cut exactly `yes` out of the JS string.
    let mut seen = false;
    for i in 0..n {
        let f = get(&findings, &i.to_string());
        if get(&f, "rule").as_string().as_deref() == Some("container/privileged") {
            let from = get(&f, "from").as_f64().unwrap() as usize;
            let to = get(&f, "to").as_f64().unwrap() as usize;
            let units: Vec<u16> = EXAMPLE.encode_utf16().collect();
            assert_eq!(String::from_utf16(&units[from..to]).unwrap(), "yes");
            assert_eq!(get(&f, "layer").as_string().as_deref(), Some("container"));
            seen = true;
        }
    }
    assert!(seen);
}

#[wasm_bindgen_test]
fn offsets_count_utf16_units_after_emoji() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"😀😀\"\nspec:\n  hostPID: true\n  containers: []\n";
    let r = checked(text);
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "cluster/host-namespaces")
        .unwrap();
    let units: Vec<u16> = text.encode_utf16().collect();
    let (from, to) = (
        f["from"].as_u64().unwrap() as usize,
        f["to"].as_u64().unwrap() as usize,
    );
    assert_eq!(String::from_utf16(&units[from..to]).unwrap(), "true");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(6), Some(12))
    );
}

#[wasm_bindgen_test]
fn check_json_matches_check() {
    let json = kube4c_wasm::check_json(EXAMPLE, JsValue::UNDEFINED).expect("checkJson");
    let direct = kube4c_core::check(EXAMPLE, &kube4c_core::Options::default());
    assert!(json.starts_with("{\"documents\":8,"));
    assert_eq!(json.matches("\"rule\":").count(), direct.findings.len());
    assert!(json.contains("\"byLayer\":{\"cloud\":"));
    // Fixes travel with their edits in UTF-16 offsets.
    assert!(json.contains("\"applicability\":\"safe\""));
}

#[wasm_bindgen_test]
fn catalog_and_version() {
    let catalog = kube4c_wasm::catalog().unwrap();
    let n = get(&get(&catalog, "rules"), "length").as_f64().unwrap();
    assert_eq!(n as usize, kube4c_core::RULES.len());
    assert_eq!(get(&get(&catalog, "layers"), "length").as_f64(), Some(4.0));
    assert_eq!(
        get(&get(&catalog, "profiles"), "length").as_f64(),
        Some(3.0)
    );
    assert_eq!(kube4c_wasm::version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn bad_options_and_hostile_input_do_not_trap() {
    let opts = js_sys_obj();
    assert!(kube4c_wasm::check("a: b", opts).is_err());
    // Deep nesting and an alias bomb end as errors, not as a trapped module.
    let deep = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let r = checked(&deep);
    assert_eq!(r["errors"].as_array().unwrap().len(), 1);
    let r = checked("a: [\n---\nkind: Pod\nmetadata: {name: x}\nspec: {hostIPC: true}\n");
    assert_eq!(r["errors"].as_array().unwrap().len(), 1);
    assert!(has_rule(&r, "cluster/host-namespaces"));
}

#[wasm_bindgen::prelude::wasm_bindgen(
    inline_js = "export function js_sys_obj() { return { profile: 'nope' }; }"
)]
extern "C" {
    fn js_sys_obj() -> JsValue;
}

#[wasm_bindgen_test]
fn hostile_inputs_end_as_reports_in_wasm() {
    let good = "kind: Pod\nmetadata: {name: ok}\nspec: {hostPID: true}\n";
    // Billion laughs.
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let r = checked(&format!("{bomb}---\n{good}"));
    assert!(r["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("excessive aliasing"));
    assert!(has_rule(&r, "cluster/host-namespaces"));
    // 3,000-deep block nesting, NUL bytes, a control character.
    let mut deep = String::new();
    for i in 0..3000 {
        deep.push_str(&" ".repeat(i));
        deep.push_str("k:\n");
    }
    for bad in [deep.as_str(), "a: b\0c", "a: \u{7}"] {
        let r = checked(&format!("{bad}\n---\n{good}"));
        assert_eq!(r["errors"].as_array().unwrap().len(), 1);
        assert!(r["errors"][0]["line"].as_u64().unwrap() >= 1);
        assert!(has_rule(&r, "cluster/host-namespaces"));
    }
    // 20,000 documents.
    let r = checked(&format!("---\n{good}").repeat(20_000));
    assert_eq!(r["documents"].as_u64(), Some(20_000));
}

#[wasm_bindgen_test]
fn configuration_and_fixes() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n";
    let opts = kube4c_wasm::options_from(
        None,
        Some("rules:\n  container/run-as-non-root: off\n"),
        None,
    )
    .unwrap();
    let r: serde_json::Value =
        serde_json::from_str(&kube4c_wasm::check_to_json(pod, &opts)).unwrap();
    assert!(!has_rule(&r, "container/run-as-non-root"));
    assert!(has_rule(&r, "container/allow-privilege-escalation"));
    let err =
        kube4c_wasm::options_from(None, Some("rules:\n  container/nope: off\n"), None).unwrap_err();
    assert!(err.starts_with(".kube4c.yaml 2:3: unknown rule"), "{err}");
    let fixed = kube4c_wasm::fix_all(pod, JsValue::UNDEFINED, "safe").unwrap();
    assert!(fixed.contains("allowPrivilegeEscalation: false"), "{fixed}");
    assert!(!has_rule(
        &checked(&fixed),
        "container/allow-privilege-escalation"
    ));
}

/// The page's Export inside wasm: the CLI's formats, with the name given and, as there is no
/// working folder in wasm, SARIF URIs that are that name (relative to %SRCROOT%).
#[wasm_bindgen_test]
fn export_in_wasm() {
    let sarif = kube4c_wasm::export_report(EXAMPLE, JsValue::UNDEFINED, "sarif", "k8s/app.yaml")
        .expect("sarif");
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let loc = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(loc["uri"], "k8s/app.yaml");
    assert_eq!(loc["uriBaseId"], "%SRCROOT%");
    let md = kube4c_wasm::export_report(EXAMPLE, JsValue::UNDEFINED, "markdown", "a.yaml")
        .expect("markdown");
    assert!(md.contains("verdict: fail"), "{md}");
    let json =
        kube4c_wasm::export_report(EXAMPLE, JsValue::UNDEFINED, "json", "a.yaml").expect("json");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["files"][0]["path"], "a.yaml");
    assert!(kube4c_wasm::export_report(EXAMPLE, JsValue::UNDEFINED, "xml", "a.yaml").is_err());
}

/// The page's path: the text is set once, then only edits cross into wasm; each result is a
/// change to the last (new findings in pages of at most 500, and how the others moved) that
/// reads into the same report as a fresh check.
#[wasm_bindgen_test]
fn session_holds_the_text_and_takes_edits() {
    use kube4c_wasm::delta::{read, Held};
    let mut session = kube4c_wasm::Session::new();
    let text = EXAMPLE.repeat(3);
    session.set_text(text.clone());
    let fresh = |t: &str| {
        let json = kube4c_wasm::check_to_json(t, &kube4c_core::Options::default());
        serde_json::from_str::<serde_json::Value>(&json).unwrap()
    };
    let mut held: Option<Held> = None;
    let mut next = |session: &mut kube4c_wasm::Session| {
        let out = session.check(JsValue::UNDEFINED).unwrap();
        for page in out.split('\n').skip(2) {
            let n = serde_json::from_str::<Vec<serde_json::Value>>(page)
                .unwrap()
                .len();
            assert!(n <= 500, "{n} findings in a page");
        }
        let r = read(held.as_ref(), &out).unwrap();
        held = Some(r.clone());
        (r.report, out.len())
    };
    assert_eq!(next(&mut session).0, fresh(&text));
    // Insert `x` after the first line (offsets in UTF-16 units: the example is ASCII).
    let nl = text.find('\n').unwrap() + 1;
    let ops = [0, nl as u32, 1, 0, 0, (text.len() - nl) as u32];
    session.edit(&ops, vec!["x".to_string()]).unwrap();
    let edited = format!("{}x{}", &text[..nl], &text[nl..]);
    assert_eq!(next(&mut session).0, fresh(&edited));
    assert_eq!(session.parts_read(), 1);
    // Edits that do not fit fail and leave the text alone; nothing changed, little is sent.
    assert!(session.edit(&[0, 3], Vec::new()).is_err());
    let (report, size) = next(&mut session);
    assert_eq!(report, fresh(&edited));
    assert!(size < 2000, "{size} bytes for no change");
    // Over 500 findings: several pages.
    let many = EXAMPLE.repeat(12);
    session.set_text(many.clone());
    assert_eq!(next(&mut session).0, fresh(&many));
    // After `forget`, every finding comes again.
    session.forget();
    let out = session.check(JsValue::UNDEFINED).unwrap();
    assert!(
        out.matches('\n').count() >= 3,
        "one page for {} bytes",
        out.len()
    );
    assert_eq!(read(None, &out).unwrap().report, fresh(&many));
}

/// The page passes a whole text as UTF-8 bytes: the same check as the string, and bytes that
/// are not UTF-8 are refused without losing the text held.
#[wasm_bindgen_test]
fn session_takes_the_text_as_utf8() {
    use kube4c_wasm::delta::read;
    let text = format!("# caf\u{e9} \u{1F600}\n{EXAMPLE}");
    let mut by_bytes = kube4c_wasm::Session::new();
    by_bytes.set_text_utf8(text.clone().into_bytes()).unwrap();
    let mut by_string = kube4c_wasm::Session::new();
    by_string.set_text(text.clone());
    let a = by_bytes.check(JsValue::UNDEFINED).unwrap();
    assert_eq!(a, by_string.check(JsValue::UNDEFINED).unwrap());
    assert!(has_rule(
        &read(None, &a).unwrap().report,
        "container/allow-privilege-escalation"
    ));
    // A lone continuation byte: refused; the text held is still checked as before.
    assert!(by_bytes.set_text_utf8(vec![b'a', 0x80, b'\n']).is_err());
    by_bytes.forget();
    by_string.forget();
    assert_eq!(
        by_bytes.check(JsValue::UNDEFINED).unwrap(),
        by_string.check(JsValue::UNDEFINED).unwrap()
    );
}

/// A session gives what a fresh check gives, edit after edit, reading only what changed.
#[wasm_bindgen_test]
fn session_matches_fresh_checks() {
    let opts = kube4c_core::Options::default();
    let mut session = kube4c_wasm::Session::new();
    let mut text = EXAMPLE.repeat(5);
    assert_eq!(
        session.check_to_json(&text, &opts),
        kube4c_wasm::check_to_json(&text, &opts)
    );
    for i in 0..12 {
        let at = text.len() * (i + 1) / 14;
        let at = text[at..].find('\n').map_or(text.len(), |n| at + n + 1);
        text.insert_str(at, if i % 3 == 0 { "# edit\n" } else { "x" });
        assert_eq!(
            session.check_to_json(&text, &opts),
            kube4c_wasm::check_to_json(&text, &opts),
            "edit {i}"
        );
        assert!(
            session.parts_read() <= 1,
            "edit {i}: {} parts read",
            session.parts_read()
        );
    }
}
