//! Our reading of manifests must equal Kubernetes' own. `tests/k8s-yaml/cases/*.yaml` hold the
//! inputs; `*.out.json` next to them were written by `tests/k8s-oracle` (apimachinery's
//! YAMLOrJSONDecoder and sigs.k8s.io/yaml, wired as `kubectl apply -f` wires them).
//! `scripts/k8s-yaml-table.sh` regenerates them.

use std::path::PathBuf;

mod common;

use common::{compare, ours, repo, Reading};
use kube4c_core::document::{input, parse_input};

fn cases() -> Vec<PathBuf> {
    let dir = repo().join("tests/k8s-yaml/cases");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("cases dir")
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.to_string_lossy();
            (n.ends_with(".yaml") || n.ends_with(".json")) && !n.ends_with(".out.json")
        })
        .collect();
    v.sort();
    v
}

#[test]
fn agrees_with_kubernetes_on_every_case() {
    let cases = cases();
    assert!(cases.len() >= 100, "the case table is missing");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let stem = name.trim_end_matches(".yaml").trim_end_matches(".json");
        let out = case.with_file_name(format!("{stem}.out.json"));
        let k8s = Reading::from_json(
            &serde_json::from_str(&std::fs::read_to_string(&out).expect("out.json")).unwrap(),
        );
        let decoded = input::decode(&std::fs::read(case).unwrap());
        let stream = parse_input(&decoded);
        // kubectl decodes files with replacement characters for invalid UTF-8 (and so does
        // kube4c, with a warning): not an error.
        let reading = ours(&stream);
        if let Err(e) = compare(&reading, &k8s) {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
