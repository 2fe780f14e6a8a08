//! The wasm face, run in Node and in headless Chromium by wasm-bindgen-test
//! (`scripts/test.sh` runs both). Plain `#[test]`s are skipped on wasm32, so these use
//! `wasm_bindgen_test`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

const EXAMPLE: &str = include_str!("../../../examples/task-api-insecure.yaml");

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
    let r = kube4c_wasm::check_text(text, kube4c_core::Profile::All);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "cluster/host-namespaces")
        .unwrap();
    let units: Vec<u16> = text.encode_utf16().collect();
    assert_eq!(
        String::from_utf16(&units[f.from as usize..f.to as usize]).unwrap(),
        "true"
    );
    assert_eq!((f.line, f.column), (6, 12));
}

#[wasm_bindgen_test]
fn check_json_matches_check() {
    let json = kube4c_wasm::check_json(EXAMPLE, JsValue::UNDEFINED).expect("checkJson");
    let direct = kube4c_wasm::check_text(EXAMPLE, kube4c_core::Profile::All);
    assert!(json.starts_with("{\"documents\":8,"));
    assert_eq!(json.matches("\"rule\":").count(), direct.findings.len());
    assert!(json.contains("\"byLayer\":{\"cloud\":"));
}

#[wasm_bindgen_test]
fn rules_and_version() {
    let rules = kube4c_wasm::rules().unwrap();
    let n = get(&rules, "length").as_f64().unwrap();
    assert!(n >= 24.0);
    assert_eq!(kube4c_wasm::version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn bad_options_and_hostile_input_do_not_trap() {
    let opts = js_sys_obj();
    assert!(kube4c_wasm::check("a: b", opts).is_err());
    // Deep nesting and an alias bomb end as errors, not as a trapped module.
    let deep = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let r = kube4c_wasm::check_text(&deep, kube4c_core::Profile::All);
    assert_eq!(r.errors.len(), 1);
    let r = kube4c_wasm::check_text(
        "a: [\n---\nkind: Pod\nmetadata: {name: x}\nspec: {hostIPC: true}\n",
        kube4c_core::Profile::All,
    );
    assert_eq!(r.errors.len(), 1);
    assert!(r
        .findings
        .iter()
        .any(|f| f.rule == "cluster/host-namespaces"));
}

#[wasm_bindgen::prelude::wasm_bindgen(
    inline_js = "export function js_sys_obj() { return { profile: 'nope' }; }"
)]
extern "C" {
    fn js_sys_obj() -> JsValue;
}

#[wasm_bindgen_test]
fn hostile_inputs_end_as_reports_in_wasm() {
    use kube4c_core::Profile::All;
    let good = "kind: Pod\nmetadata: {name: ok}\nspec: {hostPID: true}\n";
    // Billion laughs.
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let r = kube4c_wasm::check_text(&format!("{bomb}---\n{good}"), All);
    assert!(r.errors[0].message.contains("excessive aliasing"));
    assert!(r
        .findings
        .iter()
        .any(|f| f.rule == "cluster/host-namespaces"));
    // 3,000-deep block nesting, NUL bytes, a control character.
    let mut deep = String::new();
    for i in 0..3000 {
        deep.push_str(&" ".repeat(i));
        deep.push_str("k:\n");
    }
    for bad in [deep.as_str(), "a: b\0c", "a: \u{7}"] {
        let r = kube4c_wasm::check_text(&format!("{bad}\n---\n{good}"), All);
        assert_eq!(r.errors.len(), 1);
        assert!(r.errors[0].line >= 1);
        assert!(r
            .findings
            .iter()
            .any(|f| f.rule == "cluster/host-namespaces"));
    }
    // 20,000 documents.
    let r = kube4c_wasm::check_text(&format!("---\n{good}").repeat(20_000), All);
    assert_eq!(r.documents, 20_000);
}
