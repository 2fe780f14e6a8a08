//! The CLI as scripts use it: JSON contract, SARIF, exit codes, positions.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

fn kube4c(args: &[&str], stdin: Option<&[u8]>) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kube4c"));
    cmd.args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run kube4c");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const EMOJI: &str = "crates/kube4c-cli/tests/fixtures/emoji.yaml";
const BROKEN: &str = "crates/kube4c-cli/tests/fixtures/broken.yaml";

#[test]
fn json_contract_and_utf16_columns() {
    let (code, out, _) = kube4c(&["check", "--format", "json", EMOJI], None);
    assert_eq!(
        code, 1,
        "a critical finding fails at the default --fail-on high"
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["tool"], "kube4c");
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    let file = &v["files"][0];
    assert_eq!(file["documents"], 1);
    let f = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "container/privileged")
        .expect("privileged finding");
    // `    securityContext: {"😀": 1, privileged: ` is 43 UTF-16 units before `true`
    // (the emoji counts 2), so the 1-based column is 44; in bytes the value starts 2 later.
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(9), Some(44))
    );
    assert_eq!(f["endColumn"], 48);
    assert_eq!(f["layer"], "container");
    assert_eq!(f["severity"], "critical");
    assert_eq!(f["pss"], "privileged");
    assert_eq!(f["path"], "spec.containers[0].securityContext.privileged");
    assert_eq!(f["resource"]["kind"], "Pod");
    assert_eq!(f["resource"]["document"], 0);
    let text = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(EMOJI),
    )
    .unwrap();
    let (s, e) = (
        f["start"].as_u64().unwrap() as usize,
        f["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], b"true");
    for key in ["findings", "byLayer", "bySeverity"] {
        assert!(v["summary"].get(key).is_some(), "summary.{key}");
    }
}

#[test]
fn broken_document_and_invalid_utf8_do_not_hide_others() {
    let (code, out, _) = kube4c(&["check", "--format", "json", BROKEN], None);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    let file = &v["files"][0];
    assert_eq!(file["documents"], 3);
    let errors = file["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["line"], 5);
    assert!(file["warnings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("UTF-8"));
    let rules: Vec<&str> = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "cluster/host-namespaces")
        .map(|f| f["resource"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["a", "b"]);
}

#[test]
fn stdin_fail_on_and_text() {
    let pod = b"kind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    resources: {limits: {cpu: 1}}\n";
    let (code, out, _) = kube4c(&["check", "--fail-on", "critical", "-"], Some(pod));
    assert_eq!(code, 0, "no critical finding");
    assert!(
        out.contains("-:7:17: medium container/resource-limits [Container]"),
        "{out}"
    );
    assert!(out.contains("^^^^"));
    let (code, _, _) = kube4c(&["check", "--fail-on", "medium", "-"], Some(pod));
    assert_eq!(code, 1);
    let (code, out, _) = kube4c(
        &[
            "check",
            "--fail-on",
            "never",
            "examples/task-api-hardened.yaml",
        ],
        None,
    );
    assert_eq!(code, 0);
    assert!(out.contains("0 findings"));
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(kube4c(&["check", "no/such/file.yaml"], None).0, 2);
    assert_eq!(kube4c(&["check", "--profile", "nope", EMOJI], None).0, 2);
    assert_eq!(kube4c(&["check"], None).0, 2);
}

#[test]
fn sarif_shape() {
    let (_, out, _) = kube4c(
        &[
            "check",
            "--format",
            "sarif",
            "examples/task-api-insecure.yaml",
        ],
        None,
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(results.len() >= 30);
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(region["startColumn"].as_u64().unwrap() >= 1);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
    }
    assert!(rules.iter().all(|r| r["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("## Why it matters")));
}

#[test]
fn rules_json_lists_every_rule_with_docs() {
    let (code, out, _) = kube4c(&["rules", "--format", "json"], None);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    let rules = v["rules"].as_array().unwrap();
    assert!(rules.len() >= 31);
    for layer in ["cloud", "cluster", "container", "code"] {
        assert!(rules.iter().any(|r| r["layer"] == layer), "{layer}");
    }
    for r in rules {
        let id = r["id"].as_str().unwrap();
        assert!(
            id.starts_with(&format!("{}/", r["layer"].as_str().unwrap())),
            "{id}"
        );
        for k in ["title", "what", "why", "remediation", "example"] {
            assert!(!r[k].as_str().unwrap().is_empty(), "{id}.{k}");
        }
        assert!(["none", "sometimes", "always"].contains(&r["fix"].as_str().unwrap()));
        assert!(r["pss"].is_array(), "{id}: every PSS id it can report");
    }
    // Every PSS id a finding can carry is declared (the seccomp rule's two, for one).
    let seccomp = rules
        .iter()
        .find(|r| r["id"] == "container/seccomp-profile")
        .unwrap();
    let ids: Vec<&str> = seccomp["pss"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["seccompProfile_baseline", "seccompProfile_restricted"]
    );
    assert_eq!(v["layers"].as_array().unwrap().len(), 4);
    assert_eq!(v["profiles"].as_array().unwrap().len(), 3);
}

#[test]
fn directories_are_walked() {
    let (_, out, _) = kube4c(
        &[
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "examples",
        ],
        None,
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 2);
    assert!(paths[0].ends_with("task-api-hardened.yaml"));
}

/// Manifests that Kubernetes applies with a dangerous setting a YAML 1.2 reader does not see
/// (each reading is verified in tests/k8s-yaml against Kubernetes' own code).
#[test]
fn settings_hidden_from_yaml_1_2_readers_are_found() {
    let cases = [
        ("binary-anonymous.yaml", "cluster/rbac-anonymous-binding"),
        ("line-separator-comment.yaml", "container/privileged"),
        ("merge-tagged.yaml", "cluster/host-namespaces"),
        ("escape-quote.yaml", "cluster/host-namespaces"),
        ("utf16le.yaml", "cluster/host-namespaces"),
    ];
    for (file, rule) in cases {
        let path = format!("crates/kube4c-cli/tests/fixtures/attacks/{file}");
        let (code, out, err) = kube4c(&["check", "--format", "json", &path], None);
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{file}: {e} {err}"));
        let f = &v["files"][0];
        assert!(
            f["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["rule"] == rule),
            "{file}: expected {rule}: {out}"
        );
        assert_eq!(f["errors"].as_array().unwrap().len(), 0, "{file}: {out}");
        assert_eq!(code, 1, "{file}");
    }
}

#[test]
fn json_files_in_folders_and_lists_are_read_as_kubectl_does() {
    let (_, out, _) = kube4c(
        &[
            "check",
            "--format",
            "json",
            "crates/kube4c-cli/tests/fixtures/folder",
        ],
        None,
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let names: Vec<&str> = v["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "cluster/host-namespaces")
        .map(|f| f["resource"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["j", "k"], "{out}");
}

/// A run that could not read part of its input did not prove it safe: exit 1, the JSON says how
/// much was not checked, SARIF says the run did not succeed; `--fail-on never` turns gating off.
#[test]
fn unread_input_never_passes() {
    for file in ["unreadable.yaml", "rejected.yaml"] {
        let path = format!("crates/kube4c-cli/tests/fixtures/{file}");
        let (code, out, _) = kube4c(
            &["check", "--format", "json", "--fail-on", "critical", &path],
            None,
        );
        assert_eq!(code, 1, "{file}: {out}");
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["files"][0]["unchecked"], 1, "{file}: {out}");
        assert_eq!(v["summary"]["unchecked"], 1, "{file}");
        let (_, sarif, _) = kube4c(&["check", "--format", "sarif", &path], None);
        let s: Value = serde_json::from_str(&sarif).unwrap();
        let inv = &s["runs"][0]["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false, "{file}");
        assert!(!inv["toolExecutionNotifications"]
            .as_array()
            .unwrap()
            .is_empty());
        let (code, _, _) = kube4c(&["check", "--fail-on", "never", &path], None);
        assert_eq!(code, 0, "{file}: --fail-on never");
        let (_, text, _) = kube4c(&["check", &path], None);
        assert!(text.contains("not checked"), "{file}: {text}");
    }
    let (_, out, _) = kube4c(
        &[
            "check",
            "--format",
            "json",
            "crates/kube4c-cli/tests/fixtures/rejected.yaml",
        ],
        None,
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let w = &v["files"][0]["warnings"][0];
    assert!(
        w["message"]
            .as_str()
            .unwrap()
            .contains("`runAsUser` must be an integer"),
        "{out}"
    );
    assert_eq!(w["line"], 10);
    assert_eq!(w["column"], 18);
}

/// Run in `dir` (relative to the repository root): the configuration file is looked up there.
fn kube4c_in(dir: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kube4c"))
        .args(args)
        .current_dir(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../..")
                .join(dir),
        )
        .output()
        .expect("run kube4c");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const ENGINE: &str = "crates/kube4c-cli/tests/fixtures/engine";

fn findings(v: &Value) -> Vec<Value> {
    v["files"][0]["findings"].as_array().unwrap().clone()
}

#[test]
fn the_nearest_configuration_file_applies() {
    let (code, out, err) = kube4c_in(ENGINE, &["check", "--format", "json", "app.yaml"]);
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let fs = findings(&v);
    let rules: Vec<&str> = fs.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    // Turned off by the file.
    assert!(!rules.contains(&"container/read-only-root-filesystem"));
    // Its option: only memory is required.
    let limits = fs
        .iter()
        .find(|f| f["rule"] == "container/resource-limits")
        .unwrap();
    assert!(limits["message"]
        .as_str()
        .unwrap()
        .ends_with("has no memory limit"));
    // Its severity override.
    let wildcard = fs
        .iter()
        .find(|f| f["rule"] == "cluster/rbac-wildcard")
        .unwrap();
    assert_eq!(wildcard["severity"], "critical");
    // --no-config: the defaults again.
    let (_, out, _) = kube4c_in(
        ENGINE,
        &["check", "--no-config", "--format", "json", "app.yaml"],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(findings(&v)
        .iter()
        .any(|f| f["rule"] == "container/read-only-root-filesystem"));
}

#[test]
fn suppressed_findings_stay_in_json_and_sarif_marked_with_their_reason() {
    let (_, out, _) = kube4c_in(ENGINE, &["check", "--format", "json", "app.yaml"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let suppressed: Vec<(String, String, String)> = findings(&v)
        .iter()
        .filter(|f| !f["suppressed"].is_null())
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["suppressed"]["kind"].as_str().unwrap().to_string(),
                f["suppressed"]["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        suppressed,
        [
            (
                "container/image-digest".to_string(),
                "annotation".to_string(),
                "tags are pinned by the release pipeline".to_string()
            ),
            (
                "container/privileged".to_string(),
                "comment".to_string(),
                "device plugin; OPS-7".to_string()
            ),
        ]
    );
    assert_eq!(v["summary"]["suppressed"], 2);
    assert_eq!(v["files"][0]["suppressed"], 2);
    // SARIF: inSource suppressions with the justification.
    let (_, out, _) = kube4c_in(ENGINE, &["check", "--format", "sarif", "app.yaml"]);
    let s: Value = serde_json::from_str(&out).unwrap();
    let results = s["runs"][0]["results"].as_array().unwrap();
    let sup: Vec<&Value> = results
        .iter()
        .filter(|r| r["suppressions"].is_array())
        .collect();
    assert_eq!(sup.len(), 2);
    assert_eq!(sup[0]["suppressions"][0]["kind"], "inSource");
    // --strict ignores suppressions.
    let (_, out, _) = kube4c_in(
        ENGINE,
        &["check", "--strict", "--format", "json", "app.yaml"],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(findings(&v).iter().all(|f| f["suppressed"].is_null()));
    assert!(findings(&v)
        .iter()
        .any(|f| f["rule"] == "container/privileged"));
}

#[test]
fn fixes_and_related_locations_reach_every_format() {
    let (_, out, _) = kube4c_in(ENGINE, &["check", "--format", "json", "app.yaml"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let fs = findings(&v);
    let ape = fs
        .iter()
        .find(|f| f["rule"] == "container/allow-privilege-escalation")
        .unwrap();
    assert_eq!(ape["fix"]["applicability"], "safe");
    let edit = &ape["fix"]["edits"][0];
    assert_eq!(edit["text"], "          allowPrivilegeEscalation: false\n");
    assert_eq!(edit["start"], edit["end"], "an insertion");
    let binding = fs
        .iter()
        .find(|f| f["rule"] == "cluster/rbac-anonymous-binding")
        .unwrap();
    assert_eq!(binding["related"][0]["line"], 22);
    assert!(binding["related"][0]["label"]
        .as_str()
        .unwrap()
        .starts_with("ClusterRole \"everything\" is defined here"));
    // SARIF: fixes as replacements, related locations.
    let (_, out, _) = kube4c_in(ENGINE, &["check", "--format", "sarif", "app.yaml"]);
    let s: Value = serde_json::from_str(&out).unwrap();
    let results = s["runs"][0]["results"].as_array().unwrap();
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "container/allow-privilege-escalation")
        .unwrap();
    assert_eq!(
        r["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "          allowPrivilegeEscalation: false\n"
    );
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "cluster/rbac-anonymous-binding")
        .unwrap();
    assert_eq!(
        r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        22
    );
    // Text: related lines and the fix as a diff.
    let (_, out, _) = kube4c_in(ENGINE, &["check", "app.yaml"]);
    assert!(out.contains("= related app.yaml:22:9: ClusterRole \"everything\" is defined here"));
    // Findings on one span share their source line; each fix names its rule then.
    assert!(out.contains(
        "= fix for container/allow-privilege-escalation (safe): Set `allowPrivilegeEscalation: false`"
    ));
    assert!(out.contains("       +          allowPrivilegeEscalation: false\n"));
    assert!(out.contains("2 suppressed"));
}

#[test]
fn a_configuration_mistake_is_an_error_with_its_position() {
    let dir = std::env::temp_dir().join(format!("kube4c-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(".kube4c.yaml"),
        "rules:\n  container/privilegd: off\n",
    )
    .unwrap();
    std::fs::write(dir.join("a.yaml"), "kind: ConfigMap\nmetadata: {name: a}\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kube4c"))
        .args(["check", "a.yaml"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains(".kube4c.yaml:2:3: unknown rule `container/privilegd` (did you mean `container/privileged`?)"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `(rule, file name, message)` of every finding of a JSON report.
fn rules_by_file(out: &str) -> Vec<(String, String, String)> {
    let v: Value = serde_json::from_str(out).unwrap();
    let mut got = Vec::new();
    for f in v["files"].as_array().unwrap() {
        let name = f["path"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        for x in f["findings"].as_array().unwrap() {
            got.push((
                x["rule"].as_str().unwrap().to_string(),
                name.clone(),
                x["message"].as_str().unwrap().to_string(),
            ));
        }
    }
    got
}

const VIEW: &str = "crates/kube4c-cli/tests/fixtures/view";

#[test]
fn a_policy_in_one_file_covers_the_pods_of_another() {
    let missing = |out: &str| -> Vec<String> {
        rules_by_file(out)
            .into_iter()
            .filter(|(r, _, _)| r == "cluster/networkpolicy-missing")
            .map(|(_, file, msg)| format!("{file}: {msg}"))
            .collect()
    };
    // 1. The default deny in netpol.yaml covers `web` in deploy.yaml (namespace shop); `worker`
    //    names no namespace, so it is in `default`, which has no policy.
    let (_, out, _) = kube4c(
        &[
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            &format!("{VIEW}/shop"),
        ],
        None,
    );
    assert_eq!(
        missing(&out),
        ["deploy.yaml: no NetworkPolicy in namespace default selects the pods of Deployment \"worker\": any pod can reach them"]
    );
    // 2. With `-n shop` (as `kubectl -n shop apply -f`), `worker` is in shop too: covered.
    let (_, out, _) = kube4c(
        &[
            "check",
            "-n",
            "shop",
            "--format",
            "json",
            "--fail-on",
            "never",
            &format!("{VIEW}/shop"),
        ],
        None,
    );
    assert!(missing(&out).is_empty(), "{:?}", missing(&out));
    // 3. A namespace-less pod and a policy for `default` in another file (matchExpressions).
    let (_, out, _) = kube4c(
        &[
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            &format!("{VIEW}/default-ns"),
        ],
        None,
    );
    assert!(missing(&out).is_empty(), "{:?}", missing(&out));
    // The same pod checked alone: nothing covers it.
    let (_, out, _) = kube4c(
        &[
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            &format!("{VIEW}/default-ns/app.yaml"),
        ],
        None,
    );
    assert_eq!(missing(&out).len(), 1);
    // 4. Another namespace's policy does not count.
    let (_, out, _) = kube4c(
        &[
            "check",
            "-n",
            "other",
            "--format",
            "json",
            "--fail-on",
            "never",
            &format!("{VIEW}/default-ns"),
        ],
        None,
    );
    assert_eq!(
        missing(&out).len(),
        1,
        "the pod is in `other`, the policy in `default`"
    );
}

#[test]
fn related_locations_name_the_other_file() {
    let dir = format!("{VIEW}/rbac");
    let (_, out, _) = kube4c(
        &["check", "--format", "json", "--fail-on", "never", &dir],
        None,
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let binding = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["findings"].as_array().unwrap().iter())
        .find(|f| f["rule"] == "cluster/rbac-anonymous-binding")
        .unwrap();
    let rel = &binding["related"][0];
    assert_eq!(rel["file"].as_str().unwrap(), format!("{dir}/role.yaml"));
    assert_eq!(
        (rel["line"].as_u64(), rel["column"].as_u64()),
        (Some(4), Some(9))
    );
    let (_, out, _) = kube4c(&["check", "--fail-on", "never", &dir], None);
    assert!(
        out.contains(&format!(
            "= related {dir}/role.yaml:4:9: ClusterRole \"everything\" is defined here"
        )),
        "{out}"
    );
    assert!(out.contains(&format!(
        "= related {dir}/binding.yaml:4:9: ClusterRoleBinding \"everyone\" grants this role"
    )));
    let (_, out, _) = kube4c(
        &["check", "--format", "sarif", "--fail-on", "never", &dir],
        None,
    );
    let s: Value = serde_json::from_str(&out).unwrap();
    let r = s["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "cluster/rbac-anonymous-binding")
        .unwrap();
    assert_eq!(
        r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        format!("{dir}/role.yaml")
    );
}

#[test]
fn fix_rewrites_in_place_and_the_findings_are_gone() {
    let dir = std::env::temp_dir().join(format!("kube4c-fix-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("pod.yaml");
    let original = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app  # the app\n    image: nginx:1.27\n    securityContext:\n      privileged: true\n";
    std::fs::write(&file, original).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_kube4c"))
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    // --diff: prints, writes nothing, exits 1.
    let (code, out, _) = run(&["check", "--no-config", "--diff", "pod.yaml"]);
    assert_eq!(code, Some(1));
    assert!(
        out.contains("+      allowPrivilegeEscalation: false"),
        "{out}"
    );
    assert!(
        !out.contains("privileged: false"),
        "review fixes need --fix-unsafe"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    // --fix: the safe fixes, in place; the report is of the fixed file.
    let (_, out, err) = run(&[
        "check",
        "--no-config",
        "--fix",
        "--format",
        "json",
        "--fail-on",
        "never",
        "pod.yaml",
    ]);
    assert!(err.contains("pod.yaml: 2 fixes applied"), "{err}");
    let fixed = std::fs::read_to_string(&file).unwrap();
    assert!(
        fixed.contains("- name: app  # the app\n"),
        "comments stay: {fixed}"
    );
    assert!(fixed.contains("      allowPrivilegeEscalation: false\n"));
    assert!(fixed.contains("      seccompProfile:\n        type: RuntimeDefault\n"));
    let v: Value = serde_json::from_str(&out).unwrap();
    let rules: Vec<&str> = v["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"container/allow-privilege-escalation"));
    assert!(!rules.contains(&"container/seccomp-profile"));
    assert!(rules.contains(&"container/privileged"));
    // --fix-unsafe: the review fixes too.
    let (_, _, err) = run(&[
        "check",
        "--no-config",
        "--fix",
        "--fix-unsafe",
        "--fail-on",
        "never",
        "pod.yaml",
    ]);
    assert!(err.contains("fixes applied"), "{err}");
    let fixed = std::fs::read_to_string(&file).unwrap();
    assert!(fixed.contains("privileged: false"));
    assert!(fixed.contains("runAsNonRoot: true"));
    let (_, out, _) = run(&[
        "check",
        "--no-config",
        "--format",
        "json",
        "--fail-on",
        "never",
        "pod.yaml",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["fix"].is_null() || f["fix"]["applicability"] == "display"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The web page's export (`kube4c-wasm`'s `exportReport`) writes what the CLI writes: the
/// same JSON, SARIF and Markdown for the same text, byte for byte.
#[test]
fn page_export_is_the_cli_output() {
    // An absolute path: the test runs in the crate's folder, the CLI in the repository's.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap();
    let path = root.join("examples/task-api-insecure.yaml");
    let file = path.to_str().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let options = kube4c_wasm::options_from(None, None, None).unwrap();
    for format in ["json", "sarif", "markdown"] {
        let (code, cli, _) = kube4c(&["check", "--format", format, file], None);
        assert_eq!(code, 1, "{format}");
        let page = kube4c_wasm::export_text(&text, &options, format, file, Some(&root)).unwrap();
        if let Some((i, (a, b))) = page
            .lines()
            .zip(cli.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
        {
            panic!("{format}: the page's export differs from the CLI's at line {}:\n page: {a}\n cli:  {b}", i + 1);
        }
        assert_eq!(page.len(), cli.len(), "{format}");
    }
    assert!(kube4c_wasm::export_text(&text, &options, "xml", file, None).is_err());
}
