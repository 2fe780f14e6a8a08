//! Our reading of YAML must equal Kubernetes' own. `tests/k8s-yaml/cases/*.yaml` hold the
//! inputs; `*.json` / `*.err` next to them were written by `tests/k8s-yaml/main.go` (which calls
//! sigs.k8s.io/yaml, as the API server does). `scripts/k8s-yaml-table.sh` regenerates them.

use std::path::{Path, PathBuf};

mod common;

use common::{same, to_json};
use kube4c_core::document::parse;
use serde_json::Value as Json;

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/k8s-yaml/cases");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("cases dir")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

/// Cases where kube4c deliberately refuses (reports an error) what Kubernetes reads, because
/// go-yaml re-tokenises the line in a way the parser cannot reproduce. Failing closed with a
/// precise message is the safe direction for a security checker.
const REFUSED: &[&str] = &["32-tag-then-comma.yaml"];

#[test]
fn agrees_with_sigs_k8s_yaml() {
    let cases = cases();
    assert!(cases.len() >= 25, "the case table is missing");
    let mut failures = Vec::new();
    for case in &cases {
        let text = std::fs::read_to_string(case).unwrap();
        let stream = parse(&text);
        let json = case.with_extension("json");
        let err = case.with_extension("err");
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        if err.exists() {
            // Kubernetes rejects it: we must report an error (or, for values that only fail
            // the JSON conversion, a warning saying the API server rejects the object).
            let rejected = !stream.errors.is_empty()
                || stream
                    .warnings
                    .iter()
                    .any(|w| w.message.contains("rejects"));
            if !rejected {
                failures.push(format!("{name}: Kubernetes rejects it, we accepted it"));
            }
            continue;
        }
        if REFUSED.contains(&name.as_str()) {
            if !stream
                .errors
                .iter()
                .any(|e| e.message == kube4c_core::document::TAG_SWALLOWS)
            {
                failures.push(format!("{name}: expected the documented refusal"));
            }
            continue;
        }
        let expected: Json =
            serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        if !stream.errors.is_empty() || stream.docs.len() != 1 {
            failures.push(format!("{name}: we failed to read it: {:?}", stream.errors));
            continue;
        }
        let ours = to_json(&stream, stream.docs[0].root);
        if !same(&ours, &expected) {
            failures.push(format!(
                "{name}:\n  kubernetes {expected}\n  kube4c     {ours}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
