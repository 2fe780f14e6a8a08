//! Pod Security Standards conformance against the upstream fixtures (v1.37), copied with their
//! provenance to tests/conformance/pss (see SOURCES.md there).
//!
//! pass/: at the folder's level, no PSS finding at all (no false positives).
//! fail/: at the folder's level, the check that must fire does fire, for every check kube4c
//! implements; the checks not implemented yet are listed, and the list may only shrink.

use std::collections::BTreeSet;
use std::path::Path;

use kube4c_core::{check, Options, Profile};

/// Upstream checks kube4c implements (a finding's `pss` field carries one of these).
const IMPLEMENTED: &[&str] = &[
    "allowPrivilegeEscalation",
    "appArmorProfile",
    "capabilities_baseline",
    "capabilities_restricted",
    "hostNamespaces",
    "hostPathVolumes",
    "hostPorts",
    "hostProbesAndHostLifecycle",
    "privileged",
    "procMount",
    "procMount_restricted",
    "restrictedVolumes",
    "runAsNonRoot",
    "runAsUser",
    "seccompProfile_baseline",
    "seccompProfile_restricted",
    "seLinuxOptions",
    "sysctls",
    "windowsHostProcess",
];

/// Checks not implemented yet: the test fails if one of these starts firing (update the list)
/// or if a check not listed here is missing.
const NOT_YET: &[&str] = &[];

/// At restricted level a replacing check runs instead of the baseline one; a finding of either
/// satisfies the fixture, since both rules run under the pss-restricted profile.
fn satisfied_by(check_id: &str) -> &'static [&'static str] {
    match check_id {
        "capabilities_restricted" => &["capabilities_restricted", "capabilities_baseline"],
        "seccompProfile_restricted" => &["seccompProfile_restricted", "seccompProfile_baseline"],
        "restrictedVolumes" => &["restrictedVolumes", "hostPathVolumes"],
        "allowPrivilegeEscalation" => &["allowPrivilegeEscalation"],
        "hostNamespaces" => &["hostNamespaces"],
        "hostPorts" => &["hostPorts"],
        "privileged" => &["privileged"],
        "runAsNonRoot" => &["runAsNonRoot"],
        "runAsUser" => &["runAsUser"],
        "capabilities_baseline" => &["capabilities_baseline"],
        "seccompProfile_baseline" => &["seccompProfile_baseline"],
        "hostPathVolumes" => &["hostPathVolumes"],
        "appArmorProfile" => &["appArmorProfile"],
        "hostProbesAndHostLifecycle" => &["hostProbesAndHostLifecycle"],
        "procMount" => &["procMount"],
        "procMount_restricted" => &["procMount_restricted"],
        "seLinuxOptions" => &["seLinuxOptions"],
        "sysctls" => &["sysctls"],
        "windowsHostProcess" => &["windowsHostProcess"],
        _ => &[],
    }
}

#[test]
fn pod_security_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance/pss");
    let table = std::fs::read_to_string(root.join("EXPECTED.tsv")).expect("EXPECTED.tsv");
    let mut failures = Vec::new();
    let mut covered = 0;
    let mut missing_checks = BTreeSet::new();
    let mut rows = 0;
    for line in table.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (level, outcome, file, must) = (cols[0], cols[1], cols[2], cols[4]);
        rows += 1;
        let profile = match level {
            "baseline" => Profile::PssBaseline,
            _ => Profile::PssRestricted,
        };
        let text = std::fs::read_to_string(root.join(file)).expect(file);
        let report = check(&text, &Options { profile });
        assert!(report.errors.is_empty(), "{file}: {:?}", report.errors);
        let fired: BTreeSet<&str> = report.findings.iter().filter_map(|f| f.pss).collect();
        if outcome == "pass" {
            if !report.findings.is_empty() {
                failures.push(format!(
                    "{file}: expected no finding at {level}, got {:?}",
                    report
                        .findings
                        .iter()
                        .map(|f| (f.rule, &f.message))
                        .collect::<Vec<_>>()
                ));
            }
            continue;
        }
        let accepted = satisfied_by(must);
        if accepted.is_empty() {
            missing_checks.insert(must.to_string());
            continue;
        }
        if accepted.iter().any(|a| fired.contains(a)) {
            covered += 1;
        } else {
            failures.push(format!(
                "{file}: {must} must fire at {level}; fired {fired:?}"
            ));
        }
    }
    assert_eq!(rows, 148, "the fixture table changed");
    let missing: Vec<&str> = missing_checks.iter().map(String::as_str).collect();
    assert_eq!(missing, NOT_YET, "update IMPLEMENTED / NOT_YET");
    assert_eq!(
        covered, 110,
        "every fail fixture (34 baseline + 76 restricted) is caught"
    );
    for id in IMPLEMENTED {
        assert!(!satisfied_by(id).is_empty());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!(
        "PSS fixtures: {covered} fail fixtures caught; checks not implemented yet: {missing:?}"
    );
}
