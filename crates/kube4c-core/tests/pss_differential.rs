//! Pod Security differential: generated pods (every field the Pod Security checks read, in
//! every pod-bearing kind), the 148 upstream fixtures and three mutations of each are judged by kube4c's
//! `pss-baseline` / `pss-restricted` profiles and by k8s.io/pod-security-admission itself (the
//! `pss` mode of tests/k8s-oracle, same Kubernetes release as the reading oracle). The verdict
//! (allowed or denied) must be the same at both levels, and so must the set of failing checks.
//!
//! The check ids must be exact: at the restricted level a violation is named by the restricted
//! check that replaces the baseline one (`capabilities_restricted`, `restrictedVolumes`,
//! `seccompProfile_restricted`, `procMount_restricted`), as Pod Security names it.
//!
//! `KUBE4C_PSS_CASES` (default 800) and `KUBE4C_PSS_SEED` choose the sample.

use std::collections::{BTreeMap, BTreeSet};

mod common;

use common::Rng;

use kube4c_core::{check, Options, Profile};
use serde_json::Value as Json;

fn security_context(r: &mut Rng, pod: bool, out: &mut String, ind: &str) {
    let mut lines = Vec::new();
    if r.maybe(40) {
        lines.push(format!("runAsNonRoot: {}", r.pick(&["true", "false"])));
    }
    if r.maybe(30) {
        lines.push(format!("runAsUser: {}", r.pick(&["0", "1000", "65534"])));
    }
    if r.maybe(40) {
        let t = r.pick(&["RuntimeDefault", "Unconfined", "Localhost"]);
        if t == "Localhost" {
            lines.push("seccompProfile: {type: Localhost, localhostProfile: p.json}".into());
        } else {
            lines.push(format!("seccompProfile: {{type: {t}}}"));
        }
    }
    if r.maybe(15) {
        lines.push(format!(
            "seLinuxOptions: {}",
            r.pick(&[
                "{type: container_t}",
                "{type: spc_t}",
                "{user: root}",
                "{level: s0}",
                "{}"
            ])
        ));
    }
    if r.maybe(15) {
        lines.push(format!(
            "appArmorProfile: {}",
            r.pick(&[
                "{type: RuntimeDefault}",
                "{type: Unconfined}",
                "{type: Localhost, localhostProfile: p}"
            ])
        ));
    }
    if r.maybe(8) {
        lines.push(format!(
            "windowsOptions: {{hostProcess: {}}}",
            r.pick(&["true", "false"])
        ));
    }
    if pod {
        if r.maybe(15) {
            lines.push(format!(
                "sysctls: [{{name: {}, value: '1'}}]",
                r.pick(&[
                    "kernel.shm_rmid_forced",
                    "net.ipv4.ip_local_port_range",
                    "kernel.msgmax",
                    "net.ipv4.ping_group_range",
                    "net.ipv4.ip_unprivileged_port_start",
                    "net.ipv4.tcp_keepalive_time"
                ])
            ));
        }
    } else {
        if r.maybe(30) {
            lines.push(format!(
                "allowPrivilegeEscalation: {}",
                r.pick(&["true", "false"])
            ));
        }
        if r.maybe(15) {
            lines.push(format!("privileged: {}", r.pick(&["true", "false"])));
        }
        if r.maybe(10) {
            lines.push(format!("procMount: {}", r.pick(&["Default", "Unmasked"])));
        }
        if r.maybe(45) {
            let add = r.pick(&[
                "[]",
                "[NET_BIND_SERVICE]",
                "[NET_RAW]",
                "[SYS_ADMIN]",
                "[CHOWN, KILL]",
                "[AUDIT_WRITE]",
                "[net_raw]",
            ]);
            let drop = r.pick(&["[ALL]", "[all]", "[NET_RAW]", "[]", "[ALL, NET_RAW]"]);
            lines.push(format!("capabilities: {{add: {add}, drop: {drop}}}"));
        }
    }
    if lines.is_empty() {
        return;
    }
    out.push_str(&format!("{ind}securityContext:\n"));
    for l in lines {
        out.push_str(&format!("{ind}  {l}\n"));
    }
}

fn container(r: &mut Rng, name: &str, out: &mut String, ind: &str) {
    out.push_str(&format!(
        "{ind}- name: {name}\n{ind}  image: registry.k8s.io/pause\n"
    ));
    let inner = format!("{ind}  ");
    security_context(r, false, out, &inner);
    if r.maybe(12) {
        out.push_str(&format!(
            "{inner}ports: [{{containerPort: 80, hostPort: {}}}]\n",
            r.pick(&["0", "8080"])
        ));
    }
    if r.maybe(8) {
        out.push_str(&format!(
            "{inner}livenessProbe: {}\n",
            r.pick(&[
                "{httpGet: {port: 80, host: 1.2.3.4}}",
                "{tcpSocket: {port: 80, host: ''}}",
                "{httpGet: {port: 80}}"
            ])
        ));
    }
    if r.maybe(5) {
        out.push_str(&format!(
            "{inner}lifecycle: {{postStart: {{httpGet: {{port: 80, host: example.com}}}}}}\n"
        ));
    }
}

fn pod(r: &mut Rng, name: &str) -> String {
    let kind = r.pick(&[
        "Pod",
        "Pod",
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "ReplicaSet",
    ]);
    let (api, head, ind) = match kind {
        "Pod" => ("v1", String::new(), ""),
        "Job" => ("batch/v1", "spec:\n  template:\n".to_string(), "    "),
        "CronJob" => (
            "batch/v1",
            "spec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n"
                .to_string(),
            "        ",
        ),
        _ => (
            "apps/v1",
            "spec:\n  selector: {matchLabels: {app: x}}\n  template:\n".to_string(),
            "    ",
        ),
    };
    let mut out = format!("apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n{head}");
    let mut annotations = Vec::new();
    if r.maybe(10) {
        annotations.push(format!(
            "container.apparmor.security.beta.kubernetes.io/c0: {}",
            r.pick(&["runtime/default", "unconfined", "localhost/p"])
        ));
    }
    if r.maybe(5) {
        annotations.push("seccomp.security.alpha.kubernetes.io/pod: unconfined".into());
    }
    out.push_str(&format!("{ind}metadata:\n{ind}  labels: {{app: x}}\n"));
    if !annotations.is_empty() {
        out.push_str(&format!("{ind}  annotations:\n"));
        for a in annotations {
            out.push_str(&format!("{ind}    {a}\n"));
        }
    }
    out.push_str(&format!("{ind}spec:\n"));
    let s = format!("{ind}  ");
    for f in ["hostNetwork", "hostPID", "hostIPC"] {
        if r.maybe(8) {
            out.push_str(&format!("{s}{f}: {}\n", r.pick(&["true", "false"])));
        }
    }
    if r.maybe(8) {
        out.push_str(&format!("{s}hostUsers: {}\n", r.pick(&["true", "false"])));
    }
    if r.maybe(8) {
        out.push_str(&format!(
            "{s}os: {{name: {}}}\n",
            r.pick(&["linux", "windows"])
        ));
    }
    security_context(r, true, &mut out, &s);
    if r.maybe(30) {
        out.push_str(&format!("{s}volumes:\n"));
        for i in 0..1 + r.below(2) {
            let v = r.pick(&[
                "emptyDir: {}",
                "hostPath: {path: /var/run}",
                "configMap: {name: c}",
                "nfs: {server: s, path: /}",
                "projected: {sources: []}",
                "secret: {secretName: s}",
                "persistentVolumeClaim: {claimName: c}",
                "gitRepo: {repository: r}",
                "csi: {driver: d}",
                "ephemeral: {}",
                "downwardAPI: {}",
            ]);
            out.push_str(&format!("{s}- name: v{i}\n{s}  {v}\n"));
        }
    }
    let lists = ["containers", "initContainers", "ephemeralContainers"];
    for (li, list) in lists.iter().enumerate() {
        if li > 0 && !r.maybe(20) {
            continue;
        }
        out.push_str(&format!("{s}{list}:\n"));
        for j in 0..1 + r.below(2) {
            container(r, &format!("c{li}{j}"), &mut out, &s);
        }
    }
    out
}

/// Run the PSS oracle over `files` and compare its verdicts with kube4c's, pod by pod at both
/// levels; returns the disagreements, the pods judged, the denials, and Pod Security's
/// restricted violations per file.
fn judge(
    bin: &std::path::Path,
    files: &[std::path::PathBuf],
) -> (Vec<String>, usize, usize, Vec<BTreeSet<String>>) {
    let ok = std::process::Command::new(bin)
        .arg("pss")
        .args(files)
        .status()
        .unwrap()
        .success();
    assert!(ok, "the PSS oracle failed");
    let mut failures = Vec::new();
    let (mut denied, mut pods) = (0, 0);
    let mut restricted = Vec::new();
    for path in files {
        let mut file_restricted = BTreeSet::new();
        let text = std::fs::read_to_string(path).unwrap();
        let out: Json = serde_json::from_str(
            &std::fs::read_to_string(path.with_extension("pss.json")).unwrap(),
        )
        .unwrap();
        let base = ours(&text, Profile::PssBaseline);
        let restr = ours(&text, Profile::PssRestricted);
        for p in out["pods"].as_array().unwrap() {
            if p.get("error").is_some() {
                continue;
            }
            pods += 1;
            let key = (
                p["kind"].as_str().unwrap().to_string(),
                p["name"].as_str().unwrap().to_string(),
            );
            for (level, mine) in [("baseline", &base), ("restricted", &restr)] {
                let theirs: BTreeSet<String> = p[level]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect();
                if !theirs.is_empty() {
                    denied += 1;
                }
                if level == "restricted" {
                    file_restricted.extend(theirs.iter().cloned());
                }
                let empty = BTreeSet::new();
                let mine = mine.get(&key).unwrap_or(&empty);
                if *mine != theirs {
                    failures.push(format!(
                        "{level}: Pod Security {theirs:?}, kube4c {mine:?}\n{text}"
                    ));
                }
            }
        }
        restricted.push(file_restricted);
    }
    (failures, pods, denied, restricted)
}

/// The Pod Security checks kube4c fixes completely (every violation has a mechanical fix).
const FIXED_COMPLETELY: &[&str] = &[
    "allowPrivilegeEscalation",
    "appArmorProfile",
    "hostNamespaces",
    "privileged",
    "procMount",
    "procMount_restricted",
    "runAsNonRoot",
    "seccompProfile_baseline",
    "seccompProfile_restricted",
    "windowsHostProcess",
];

fn ours(text: &str, profile: Profile) -> BTreeMap<(String, String), BTreeSet<String>> {
    let report = check(text, &Options::profile(profile));
    let mut m: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for f in &report.findings {
        if let Some(id) = f.pss {
            m.entry((f.resource.kind.clone(), f.resource.name.clone()))
                .or_default()
                .insert(id.to_string());
        }
    }
    m
}

#[test]
fn generated_pods_agree_with_pod_security_admission() {
    let n: usize = std::env::var("KUBE4C_PSS_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(800);
    let seed: u64 = std::env::var("KUBE4C_PSS_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x7073_7334);
    let Some(bin) = common::oracle_binary() else {
        eprintln!("SKIPPED: Go is needed to build tests/k8s-oracle");
        assert!(
            std::env::var("CI").is_err(),
            "CI must run the PSS differential test"
        );
        return;
    };
    let dir = std::env::temp_dir().join(format!("kube4c-pss-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut rng = Rng(seed.wrapping_mul(2).wrapping_add(1));
    let mut files = Vec::new();
    for i in 0..n {
        let path = dir.join(format!("p{i:05}.yaml"));
        std::fs::write(&path, pod(&mut rng, &format!("p{i}"))).unwrap();
        files.push(path);
    }
    // The upstream fixtures too, each as it is and in three mutations (a value swapped for
    // its opposite: true/false, RuntimeDefault/Unconfined, ALL/NET_RAW, 0/1000, …).
    let fixtures = common::repo().join("tests/conformance/pss");
    const SWAPS: &[(&str, &str)] = &[
        (": true", ": false"),
        (": false", ": true"),
        ("RuntimeDefault", "Unconfined"),
        ("Unconfined", "RuntimeDefault"),
        ("- ALL", "- NET_RAW"),
        ("- NET_RAW", "- ALL"),
        ("runAsUser: 1000", "runAsUser: 0"),
        ("runAsUser: 0", "runAsUser: 1000"),
        ("Unmasked", "Default"),
        ("Default\n", "Unmasked\n"),
        ("name: windows", "name: linux"),
        ("name: linux", "name: windows"),
        ("hostPort: 0", "hostPort: 8080"),
        ("container_t", "spc_t"),
        ("emptyDir: {}", "hostPath: {path: /a}"),
    ];
    for level in ["baseline", "restricted"] {
        for outcome in ["pass", "fail"] {
            let Ok(rd) = std::fs::read_dir(fixtures.join(level).join(outcome)) else {
                continue;
            };
            for e in rd.flatten() {
                let path = dir.join(format!(
                    "fixture-{level}-{outcome}-{}",
                    e.file_name().to_string_lossy()
                ));
                let text = std::fs::read_to_string(e.path()).unwrap();
                std::fs::write(&path, &text).unwrap();
                files.push(path);
                for k in 0..3 {
                    let present: Vec<&(&str, &str)> =
                        SWAPS.iter().filter(|(a, _)| text.contains(a)).collect();
                    if present.is_empty() {
                        break;
                    }
                    let (from, to) = present[rng.below(present.len())];
                    let hits: Vec<usize> = text.match_indices(from).map(|(i, _)| i).collect();
                    let at = hits[rng.below(hits.len())];
                    let mutated = format!("{}{to}{}", &text[..at], &text[at + from.len()..]);
                    let path = dir.join(format!(
                        "mutated{k}-{level}-{outcome}-{}",
                        e.file_name().to_string_lossy()
                    ));
                    std::fs::write(&path, mutated).unwrap();
                    files.push(path);
                }
            }
        }
    }
    let (failures, pods, denied, _) = judge(&bin, &files);
    // Every fix applied (safe and review): Kubernetes' Pod Security, run on the fixed files,
    // must still agree with kube4c, and must no longer deny them for any check kube4c fixes
    // completely.
    let mut fixed_files = Vec::new();
    for path in files.iter().take(400) {
        let text = std::fs::read_to_string(path).unwrap();
        let (fixed, _) = kube4c_core::fix_all(
            &text,
            &Options::profile(Profile::PssRestricted),
            kube4c_core::Applicability::Review,
        );
        let out = path.with_file_name(format!(
            "fixed-{}",
            path.file_name().unwrap().to_string_lossy()
        ));
        std::fs::write(&out, fixed).unwrap();
        fixed_files.push(out);
    }
    let (mut fixed_failures, fixed_pods, fixed_denied, left) = judge(&bin, &fixed_files);
    for (path, left) in fixed_files.iter().zip(&left) {
        let unfixed: Vec<&String> = left
            .iter()
            .filter(|c| FIXED_COMPLETELY.contains(&c.as_str()))
            .collect();
        if !unfixed.is_empty() {
            fixed_failures.push(format!(
                "after fix_all, Pod Security still denies {unfixed:?}:\n{}",
                std::fs::read_to_string(path).unwrap()
            ));
        }
    }
    eprintln!("pss after fix_all: {fixed_pods} pods, {fixed_denied} denials left");
    let mut failures = failures;
    failures.extend(fixed_failures);
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!("pss differential: {pods} pods (seed {seed}), {denied} denials by Pod Security");
    assert!(
        failures.is_empty(),
        "seed {seed}: {} disagreements; first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(6)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n---\n")
    );
}
