//! Hostile input: every case ends with a clear error at its position or a report, and the
//! other documents are still checked. (Bounded time and memory are what the fuzz targets and
//! BENCHMARKS.md measure; here nothing is timed.)

use kube4c_core::{check, Options, Report};

const GOOD_A: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: before}\nspec:\n  hostPID: true\n  containers: []\n";
const GOOD_B: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: after}\nspec:\n  hostIPC: true\n  containers: []\n";

fn run(text: &str) -> Report {
    check(text, &Options::default())
}

fn names_with(report: &Report, rule: &str) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.rule.as_str() == rule)
        .map(|f| f.resource.name.clone())
        .collect()
}

/// `bad` between two good documents: one error inside `bad`, both neighbours checked.
#[track_caller]
fn sandwiched(name: &str, bad: &str) {
    let text = format!("{GOOD_A}---\n{bad}\n---\n{GOOD_B}");
    let r = run(&text);
    let bad_start = GOOD_A.len() + 4;
    let bad_end = bad_start + bad.len() + 1;
    assert!(
        !r.errors.is_empty() || r.warnings.iter().any(|w| w.message.contains("rejects")),
        "{name}: no error"
    );
    for e in &r.errors {
        assert!(
            (bad_start as u32..=bad_end as u32).contains(&e.span.start),
            "{name}: error outside the broken document: {e:?}"
        );
        assert!(!e.message.is_empty());
    }
    assert_eq!(
        names_with(&r, "cluster/host-namespaces"),
        ["before", "after"],
        "{name}"
    );
    assert_eq!(r.documents, 3, "{name}");
}

#[test]
fn every_yaml_error_kind_keeps_the_neighbours() {
    let cases = [
        ("unclosed flow sequence", "a: [1, 2"),
        ("unclosed flow mapping", "a: {b: 1"),
        ("unclosed double quote", "a: \"abc"),
        ("unclosed single quote", "a: 'abc"),
        ("invalid escape", "a: \"\\q\""),
        ("tab indentation", "a:\n\tb: c"),
        ("unknown anchor", "a: *nope"),
        ("mapping value in plain scalar", "a: b: c"),
        ("bad sequence indentation", "a:\n  - x\n - y"),
        ("stray bracket", "a: ]"),
        ("bad block indentation indicator", "a: |0\n  x"),
        ("merge of a scalar", "a:\n  <<: 1"),
        ("tag mismatch", "a: !!int ten"),
        ("non-scalar key", "{[a]: b}"),
        ("NUL byte", "a: b\0c"),
        ("control character", "a: \u{7}"),
        ("infinity", "a: .inf"),
    ];
    for (name, bad) in cases {
        sandwiched(name, bad);
    }
}

#[test]
fn unsupported_yaml_version_directive() {
    let r = run(&format!("%YAML 2.0\n---\na: 1\n---\n{GOOD_B}"));
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    assert_eq!(r.errors[0].span.start, 0);
    assert_eq!(names_with(&r, "cluster/host-namespaces"), ["after"]);
}

#[test]
fn billion_laughs() {
    let mut t = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        t.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    sandwiched("billion laughs", t.trim_end());
    let r = run(&format!("{GOOD_A}---\n{t}"));
    assert!(r.errors[0].message.contains("excessive aliasing"));
}

#[test]
fn deep_flow_nesting_200000() {
    let n = 200_000;
    let bad = format!("a: {}{}", "[".repeat(n), "]".repeat(n));
    sandwiched("deep flow", &bad);
    let bad = format!("a: {}", "{a: ".repeat(n));
    sandwiched("deep unclosed flow maps", &bad);
}

#[test]
fn deep_block_nesting_3000() {
    let mut bad = String::new();
    for i in 0..3000 {
        bad.push_str(&" ".repeat(i));
        bad.push_str("k:\n");
    }
    sandwiched("deep block", bad.trim_end());
    let mut seqs = String::new();
    for i in 0..3000 {
        seqs.push_str(&" ".repeat(i * 2));
        seqs.push_str("-\n");
    }
    sandwiched("deep block sequences", seqs.trim_end());
}

#[test]
fn a_30_mb_manifest() {
    let doc = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n        securityContext:\n          privileged: true\n        env:\n        - {name: DB_PASSWORD, value: hunter22}\n---\n";
    let copies = 30_000_000 / doc.len() + 1;
    let text = doc.repeat(copies);
    assert!(text.len() >= 30_000_000);
    let r = run(&text);
    assert!(r.errors.is_empty());
    assert_eq!(r.documents, copies);
    assert_eq!(names_with(&r, "container/privileged").len(), copies);
}

#[test]
fn one_hundred_thousand_documents() {
    let text = "kind: Pod\nmetadata: {name: p}\nspec: {hostPID: true}\n---\n".repeat(100_000);
    let r = run(&text);
    assert_eq!(r.documents, 100_000);
    assert_eq!(names_with(&r, "cluster/host-namespaces").len(), 100_000);
    // Cross-resource rule over the same input: one finding per pod, not per pair of documents.
    assert_eq!(
        names_with(&r, "cluster/networkpolicy-missing").len(),
        100_000
    );
}

#[test]
fn a_one_megabyte_line() {
    // Not a placeholder (`xxxx…` would be): a random-looking megabyte.
    let long = "a1b2c3d4".repeat(1 << 17);
    let text = format!("kind: ConfigMap\nmetadata: {{name: big}}\ndata: {{k: \"{long}\", password: \"{long}\"}}\n---\n{GOOD_B}");
    let r = run(&text);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(names_with(&r, "code/configmap-secret"), ["big"]);
    assert_eq!(names_with(&r, "cluster/host-namespaces"), ["after"]);
    let items = vec!["1"; 200_000].join(", ");
    let r = run(&format!("a: [{items}]\n---\n{GOOD_B}"));
    assert!(r.errors.is_empty());
    assert_eq!(names_with(&r, "cluster/host-namespaces"), ["after"]);
}

#[test]
fn long_plain_keys_and_many_keys() {
    let key = "k".repeat(5000);
    sandwiched("over-long implicit key", &format!("{key}: v"));
    let mut many = String::from("kind: ConfigMap\nmetadata: {name: m}\ndata:\n");
    for i in 0..50_000 {
        many.push_str(&format!("  key{i}: v{i}\n"));
    }
    many.push_str("  key7: again\n");
    let r = run(&many);
    assert!(r.errors.is_empty());
    assert_eq!(
        r.warnings.len(),
        1,
        "the duplicate among 50,000 keys is found"
    );
}
