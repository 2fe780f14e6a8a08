//! The CLI in CI pipelines (issue #11): safe folder walking, gates and verdicts, every output
//! format (SARIF validated against the official 2.1.0 schema, odd file names included).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// Run kube4c in `dir` (stdin optional, extra environment).
fn run(
    dir: &Path,
    args: &[&str],
    stdin: Option<&[u8]>,
    env: &[(&str, &str)],
) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kube4c"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run kube4c");
    match stdin {
        Some(input) => child.stdin.take().unwrap().write_all(input).unwrap(),
        None => drop(child.stdin.take()),
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kube4c-platform-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const PRIVILEGED: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: NAME, namespace: shop}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    securityContext: {privileged: true}\n";

fn pod(name: &str) -> String {
    PRIVILEGED.replace("NAME", name)
}

/// `path: rule` of every finding of a JSON report.
fn json_findings(out: &str) -> Vec<(String, String)> {
    let v: Value = serde_json::from_str(out).unwrap();
    let mut got = Vec::new();
    for f in v["files"].as_array().unwrap() {
        for x in f["findings"].as_array().unwrap() {
            got.push((
                f["path"].as_str().unwrap().to_string(),
                x["rule"].as_str().unwrap().to_string(),
            ));
        }
    }
    got
}

fn privileged_paths(out: &str) -> Vec<String> {
    let mut p: Vec<String> = json_findings(out)
        .into_iter()
        .filter(|(_, r)| r == "container/privileged")
        .map(|(p, _)| p)
        .collect();
    p.sort();
    p
}

#[cfg(unix)]
#[test]
fn folders_are_walked_safely() {
    use std::os::unix::fs::symlink;
    let d = scratch("walk");
    std::fs::create_dir_all(d.join("app/sub")).unwrap();
    std::fs::write(d.join("app/a.yaml"), pod("a")).unwrap();
    std::fs::write(d.join("app/sub/UPPER.YAML"), pod("upper")).unwrap();
    std::fs::write(d.join("app/notes.txt"), "not a manifest").unwrap();
    // A link loop, a link to a folder walked anyway, a dangling link.
    symlink(".", d.join("app/sub/loop")).unwrap();
    symlink("../app", d.join("app/sub/again")).unwrap();
    symlink("missing.yaml", d.join("app/dangling.yaml")).unwrap();
    // Skipped unless named: .git, node_modules, hidden.
    for skip in [".git", "node_modules", ".hidden"] {
        std::fs::create_dir_all(d.join("app").join(skip)).unwrap();
        std::fs::write(d.join("app").join(skip).join("x.yaml"), pod(skip)).unwrap();
    }
    let (code, out, err) = run(
        &d,
        &["check", "--format", "json", "app", "app/a.yaml"],
        None,
        &[],
    );
    // The dangling link is an error for its path; everything else is checked, each file once.
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("app/dangling.yaml: dangling symbolic link"),
        "{err}"
    );
    assert!(err.contains("verdict: error"), "{err}");
    assert_eq!(privileged_paths(&out), ["app/a.yaml", "app/sub/UPPER.YAML"]);
    // Named explicitly, a hidden folder is read.
    let (_, out, _) = run(&d, &["check", "--format", "json", "app/.hidden"], None, &[]);
    assert_eq!(privileged_paths(&out), ["app/.hidden/x.yaml"]);
    // Excludes: on the command line and in the configuration file.
    std::fs::remove_file(d.join("app/dangling.yaml")).unwrap();
    let (code, out, _) = run(
        &d,
        &["check", "--format", "json", "--exclude", "sub", "app"],
        None,
        &[],
    );
    assert_eq!(code, 1);
    assert_eq!(privileged_paths(&out), ["app/a.yaml"]);
    std::fs::write(d.join(".kube4c.yaml"), "exclude: [\"*.YAML\"]\n").unwrap();
    let (_, out, _) = run(&d, &["check", "--format", "json", "app"], None, &[]);
    assert_eq!(privileged_paths(&out), ["app/a.yaml"]);
    std::fs::remove_file(d.join(".kube4c.yaml")).unwrap();
    // A quoted glob is expanded by kube4c.
    let (_, out, _) = run(&d, &["check", "--format", "json", "app/*.yaml"], None, &[]);
    assert_eq!(privileged_paths(&out), ["app/a.yaml"]);
    let (code, _, err) = run(&d, &["check", "nothing/*.yaml"], None, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("no file matches"), "{err}");
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_an_error_for_its_path_only() {
    use std::os::unix::fs::PermissionsExt;
    let d = scratch("unreadable");
    std::fs::write(d.join("good.yaml"), pod("good")).unwrap();
    std::fs::write(d.join("secret.yaml"), pod("secret")).unwrap();
    std::fs::set_permissions(
        d.join("secret.yaml"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    if std::fs::read(d.join("secret.yaml")).is_ok() {
        eprintln!("SKIPPED: running as root, a mode-000 file is still readable");
        return;
    }
    let (code, out, err) = run(&d, &["check", "--format", "json", "."], None, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("secret.yaml"), "{err}");
    assert_eq!(privileged_paths(&out), ["./good.yaml"]);
}

#[test]
fn standard_input_has_a_name_and_helm_output_names_its_templates() {
    let d = scratch("stdin");
    let (_, out, _) = run(
        &d,
        &[
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "rendered/app.yaml",
            "-",
        ],
        Some(pod("x").as_bytes()),
        &[],
    );
    assert_eq!(privileged_paths(&out), ["rendered/app.yaml"]);
    let helm = format!(
        "---\n# Source: shop/templates/web.yaml\n{}---\n# Source: shop/templates/worker.yaml\n{}---\n# Source: shop/templates/web.yaml\napiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: shop}}\nspec: {{selector: {{app: web}}, ports: [{{port: 80}}]}}\n",
        pod("web"),
        pod("worker")
    );
    let (_, out, _) = run(
        &d,
        &["check", "--format", "json", "-"],
        Some(helm.as_bytes()),
        &[],
    );
    assert_eq!(
        privileged_paths(&out),
        ["shop/templates/web.yaml", "shop/templates/worker.yaml"]
    );
    // Positions are in the template's rendered text: the privileged flag is on line 9 of it.
    let v: Value = serde_json::from_str(&out).unwrap();
    let web = &v["files"][0];
    assert_eq!(web["path"], "shop/templates/web.yaml");
    let f = web["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "container/privileged")
        .unwrap();
    assert_eq!(f["line"], 9);
    // --fix never writes a template's output back.
    let (_, _, err) = run(
        &d,
        &["check", "--fix", "--fix-unsafe", "-"],
        Some(helm.as_bytes()),
        &[],
    );
    assert!(err.contains("not rewritten"), "{err}");
}

#[test]
fn a_profile_implies_its_gate_and_the_verdict_says_why() {
    let d = scratch("gate");
    // Only a medium Pod Security finding (no seccomp profile at the restricted level).
    let medium = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  securityContext: {runAsNonRoot: true}\n  containers:\n  - name: c\n    image: nginx:1.27\n    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}\n";
    std::fs::write(d.join("p.yaml"), medium).unwrap();
    let (code, out, _) = run(
        &d,
        &["check", "--profile", "pss-restricted", "p.yaml"],
        None,
        &[],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("verdict: fail — 1 finding of the Pod Security profile, whose gate is any finding: exit 1"), "{out}");
    // --fail-on says otherwise.
    let (code, out, _) = run(
        &d,
        &[
            "check",
            "--profile",
            "pss-restricted",
            "--fail-on",
            "high",
            "p.yaml",
        ],
        None,
        &[],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("verdict: pass — no finding at or above high (1 below it): exit 0"),
        "{out}"
    );
    // The summary counts by severity; --quiet prints the verdict only.
    let (_, out, _) = run(&d, &["check", "--quiet", "p.yaml"], None, &[]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("verdict: "), "{out}");
    // Exit codes are documented in --help.
    let (_, help, _) = run(&d, &["check", "--help"], None, &[]);
    assert!(
        help.contains("Exit codes:") && help.contains("2  usage or configuration error"),
        "{help}"
    );
}

#[test]
fn text_output_colour_help_and_links() {
    let d = scratch("text");
    std::fs::write(d.join("p.yaml"), pod("p")).unwrap();
    let (_, plain, _) = run(&d, &["check", "p.yaml"], None, &[]);
    assert!(!plain.contains('\u{1b}'), "no colour when not a terminal");
    assert!(
        plain.contains("= help: Remove") && plain.contains("(docs/RULES.md#containerprivileged)"),
        "{plain}"
    );
    assert!(plain.contains("critical"), "{plain}");
    // Findings are grouped under their object.
    assert!(
        plain
            .lines()
            .next()
            .is_some_and(|l| l.starts_with("── Pod shop/p (")),
        "{plain}"
    );
    let (_, coloured, _) = run(&d, &["check", "--color", "always", "p.yaml"], None, &[]);
    assert!(
        coloured.contains("\u{1b}[1;31mcritical\u{1b}[0m"),
        "{coloured}"
    );
}

#[test]
fn several_formats_in_one_run_junit_github_markdown() {
    let d = scratch("formats");
    std::fs::write(d.join("p.yaml"), pod("p")).unwrap();
    let summary = d.join("summary.md");
    let (code, out, err) = run(
        &d,
        &[
            "check",
            "--format",
            "github",
            "--format",
            "junit=report.xml",
            "--format",
            "sarif=out.sarif",
            "--format",
            "markdown=summary-copy.md",
            "p.yaml",
        ],
        None,
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    );
    assert_eq!(code, 1);
    assert!(err.contains("verdict: fail"), "{err}");
    let annotation = out
        .lines()
        .find(|l| l.contains("container/privileged"))
        .expect("annotation");
    assert!(
        annotation.starts_with("::error file=p.yaml,line=8,col="),
        "{annotation}"
    );
    assert!(
        annotation.contains("title=container/privileged (critical%2C Container)::"),
        "{annotation}"
    );
    let junit = std::fs::read_to_string(d.join("report.xml")).unwrap();
    assert!(
        junit.starts_with("<?xml")
            && junit.contains("<testcase name=\"container/privileged (Pod shop/p)\""),
        "{junit}"
    );
    assert!(
        junit.contains("<failure message=\"container &quot;c&quot; of Pod"),
        "{junit}"
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.contains("## kube4c") && md.contains("| critical | 1 |"),
        "{md}"
    );
    assert_eq!(
        md,
        std::fs::read_to_string(d.join("summary-copy.md")).unwrap()
    );
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    // --output names the file of the format that names none.
    let (_, out, _) = run(
        &d,
        &["check", "--format", "json", "--output", "r.json", "p.yaml"],
        None,
        &[],
    );
    assert!(out.is_empty());
    assert!(std::fs::read_to_string(d.join("r.json"))
        .unwrap()
        .contains("container/privileged"));
}

fn sarif_schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
    )
    .unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

#[test]
fn sarif_is_valid_with_odd_file_names_and_stable_fingerprints() {
    let d = scratch("sarif");
    std::fs::create_dir_all(d.join("deploy")).unwrap();
    for name in ["my file#1.yaml", "ü.yaml", "100%.yaml"] {
        std::fs::write(d.join("deploy").join(name), pod("odd")).unwrap();
    }
    let (_, out, _) = run(&d, &["check", "--format", "sarif", "deploy"], None, &[]);
    let log: Value = serde_json::from_str(&out).unwrap();
    let validator = sarif_schema();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
    let run0 = &log["runs"][0];
    assert_eq!(run0["automationDetails"]["id"], "kube4c/");
    assert!(run0["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap()
        .starts_with("file:///"));
    let uris: Vec<&str> = run0["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    for want in [
        "deploy/my%20file%231.yaml",
        "deploy/%C3%BC.yaml",
        "deploy/100%25.yaml",
    ] {
        assert!(uris.contains(&want), "{want} in {uris:?}");
    }
    let r = &run0["results"][0];
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
        "%SRCROOT%"
    );
    // Fingerprints do not move with lines: add lines above, same fingerprints.
    let fp = |log: &Value| -> Vec<String> {
        let mut v: Vec<String> = log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["kube4cFinding/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        v.sort();
        v
    };
    let before = fp(&log);
    for name in ["my file#1.yaml", "ü.yaml", "100%.yaml"] {
        std::fs::write(
            d.join("deploy").join(name),
            format!("# moved\n\n{}", pod("odd")),
        )
        .unwrap();
    }
    let (_, out, _) = run(&d, &["check", "--format", "sarif", "deploy"], None, &[]);
    assert_eq!(before, fp(&serde_json::from_str(&out).unwrap()));
    // --base makes URIs relative to another folder.
    let (_, out, _) = run(
        &d,
        &["check", "--format", "sarif", "--base", "deploy", "deploy"],
        None,
        &[],
    );
    let log: Value = serde_json::from_str(&out).unwrap();
    assert!(validator.iter_errors(&log).next().is_none());
    assert!(
        out.contains("\"uri\": \"my%20file%231.yaml\""),
        "relative to --base"
    );
}

#[test]
fn completions_and_man_page() {
    let d = scratch("completions");
    let (code, out, _) = run(&d, &["completions", "bash"], None, &[]);
    assert_eq!(code, 0);
    assert!(out.contains("kube4c") && out.contains("--fail-on"));
    let (code, out, _) = run(&d, &["man"], None, &[]);
    assert_eq!(code, 0);
    assert!(out.contains(".TH kube4c"), "{}", &out[..out.len().min(200)]);
}

#[test]
fn sarif_byte_offsets_are_the_files_own() {
    let d = scratch("bytes");
    // An invalid byte in a comment before the finding: the text has U+FFFD (3 bytes) where the
    // file has 1 byte, so a byte offset taken from the text would be 2 too far.
    let mut bytes = b"# caf\xe9\n".to_vec();
    bytes.extend_from_slice(pod("p").as_bytes());
    std::fs::write(d.join("latin1.yaml"), &bytes).unwrap();
    let (_, out, _) = run(
        &d,
        &["check", "--format", "sarif", "latin1.yaml"],
        None,
        &[],
    );
    let log: Value = serde_json::from_str(&out).unwrap();
    let r = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "container/privileged")
        .unwrap();
    let region = &r["locations"][0]["physicalLocation"]["region"];
    let at = region["byteOffset"].as_u64().unwrap() as usize;
    let len = region["byteLength"].as_u64().unwrap() as usize;
    assert_eq!(&bytes[at..at + len], b"true");
}
