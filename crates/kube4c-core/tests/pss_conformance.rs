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

/// The check id a fixture requires, exactly as Pod Security reports it at the fixture's level
/// (at restricted, the restricted check that replaces a baseline one).
fn satisfied_by(check_id: &str) -> Option<&str> {
    IMPLEMENTED.iter().copied().find(|&i| i == check_id)
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
        let report = check(&text, &Options::profile(profile));
        assert!(report.errors.is_empty(), "{file}: {:?}", report.errors);
        let fired: BTreeSet<&str> = report.findings.iter().filter_map(|f| f.pss).collect();
        if outcome == "pass" {
            if !report.findings.is_empty() {
                failures.push(format!(
                    "{file}: expected no finding at {level}, got {:?}",
                    report
                        .findings
                        .iter()
                        .map(|f| (f.meta().id, &f.message))
                        .collect::<Vec<_>>()
                ));
            }
            continue;
        }
        let Some(exact) = satisfied_by(must) else {
            missing_checks.insert(must.to_string());
            continue;
        };
        if fired.contains(exact) {
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
    // Every implemented id is declared by a rule's metadata (the single source of truth).
    for id in IMPLEMENTED {
        assert!(
            kube4c_core::RULES
                .iter()
                .any(|r| r.meta.pss.iter().any(|p| p.id == *id)),
            "{id} is declared by no rule"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!(
        "PSS fixtures: {covered} fail fixtures caught; checks not implemented yet: {missing:?}"
    );
}
