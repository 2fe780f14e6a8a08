//! Differential testing against Kubernetes' own reading: seeded generators write YAML and JSON
//! variants, the oracle of `tests/k8s-oracle` (apimachinery's YAMLOrJSONDecoder and
//! sigs.k8s.io/yaml at a pinned Kubernetes release, run as one long-lived process) reads each
//! one, and kube4c must read every one the same way: the same objects, or an error where
//! kubectl stops.
//!
//! Two generators: `case` writes manifest-shaped documents (YAML 1.1 scalars, Go numbers, tags,
//! anchors, merges, duplicate keys, flow/block mixes); `mutate` then rewrites them, or the real
//! manifests and PSS fixtures of the repository, across the whole grammar: every line-break
//! class (LF, CR, CRLF, NEL, LS, PS), BOMs, directives and document markers anywhere, tags and
//! escapes, tabs, comments in every position, anchors/aliases/merges, control characters and
//! invalid bytes.
//!
//! `KUBE4C_DIFF_CASES` (default 1500 of each) and `KUBE4C_DIFF_SEED` (default fixed, so CI is
//! deterministic) choose the sample; explore with e.g. `KUBE4C_DIFF_SEED=7
//! KUBE4C_DIFF_CASES=200000 cargo test -p kube4c-core --test k8s_yaml_differential --
//! --nocapture`. A failure prints its seed and input. Needs Go (the oracle is built from its
//! modules; `scripts/setup.sh --test` installs Go where it is missing).

mod common;

use common::Rng;

use common::{compare, ours, Oracle};
use kube4c_core::document::{input, parse_input};

const SCALARS: &[&str] = &[
    "y",
    "Y",
    "yes",
    "Yes",
    "YES",
    "n",
    "N",
    "no",
    "NO",
    "on",
    "On",
    "ON",
    "off",
    "OFF",
    "true",
    "True",
    "TRUE",
    "false",
    "False",
    "yEs",
    "nO",
    "oN",
    "0777",
    "0x1F",
    "0X1f",
    "0o17",
    "0b101",
    "-0b11",
    "1_000",
    "1__0",
    "_1",
    "1_",
    "08",
    "09.5",
    "+12",
    "-0",
    "0",
    "00",
    "1e3",
    "1E3",
    "1e+3",
    ".5",
    "-.5",
    "+.5",
    "1.",
    "1.10",
    "6.02e23",
    "99999999999999999999",
    "18446744073709551615",
    "-9223372036854775808",
    "0x",
    "12abc",
    "~",
    "null",
    "Null",
    "NULL",
    "nULL",
    "",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "2001-1-1",
    "2001-13-40",
    "=",
    "=~",
    "!has(self.x)",
    "0.0.0.0/0",
    "1.2.3",
    "-",
    ".",
    "+",
    "a b",
    "'quoted'",
    "\"dq\"",
    "'0777'",
    "\"yes\"",
    "'null'",
    "\"0x1F\"",
    "'~'",
    "\"\\u00e9\"",
    "\"a\\tb\"",
    "!!str yes",
    "!!str 0777",
    "!!int \"12\"",
    "!!int '0x10'",
    "!!bool \"on\"",
    "!!bool n",
    "!!float 1",
    "!!float '2.5'",
    "!!null ''",
    "!custom true",
    "!!str",
    "|\n  block\n",
    ">-\n  folded\n  text\n",
];

const KEYS: &[&str] = &[
    "a",
    "b",
    "name",
    "y",
    "n",
    "on",
    "off",
    "yes",
    "1",
    "0x10",
    "010",
    "1.5",
    "'y'",
    "\"on\"",
    "privileged",
    "runAsUser",
    "~",
    "Privileged",
];

/// One generated document.
fn case(r: &mut Rng) -> String {
    let mut out = String::new();
    // An anchored base mapping that later entries may merge or alias.
    let base_keys: Vec<&str> = (0..1 + r.below(3)).map(|_| r.pick(KEYS)).collect();
    if r.below(2) == 0 {
        out.push_str("base: &base {");
        for (i, k) in base_keys.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&format!("{k}: {}", flow_scalar(r)));
        }
        out.push_str("}\n");
    }
    let has_base = out.starts_with("base:");
    for _ in 0..1 + r.below(5) {
        let key = r.pick(KEYS);
        match r.below(7) {
            0 | 1 => {
                let v = r.pick(SCALARS);
                if v.starts_with('|') || v.starts_with('>') {
                    out.push_str(&format!("{key}: {v}"));
                } else {
                    out.push_str(&format!("{key}: {v}\n"));
                }
            }
            2 => {
                out.push_str(&format!("{key}: ["));
                for i in 0..r.below(4) {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(flow_scalar(r));
                }
                out.push_str("]\n");
            }
            3 => {
                out.push_str(&format!("{key}:\n"));
                for _ in 0..1 + r.below(3) {
                    out.push_str(&format!("  {}: {}\n", r.pick(KEYS), flow_scalar(r)));
                }
            }
            4 if has_base => {
                // A mapping with a merge, placed before, between or after explicit keys.
                out.push_str(&format!("{key}:\n"));
                let pos = r.below(3);
                for i in 0..3 {
                    if i == pos {
                        out.push_str("  <<: *base\n");
                    } else {
                        out.push_str(&format!("  {}: {}\n", r.pick(&base_keys), flow_scalar(r)));
                    }
                }
            }
            5 if has_base => out.push_str(&format!("{key}: *base\n")),
            _ => {
                out.push_str(&format!("{key}:\n"));
                for _ in 0..1 + r.below(3) {
                    out.push_str(&format!("- {}\n", flow_scalar(r)));
                }
            }
        }
    }
    out
}

/// A scalar that is safe inside flow collections and on one line.
fn flow_scalar(r: &mut Rng) -> &'static str {
    loop {
        let s = r.pick(SCALARS);
        if !s.contains('\n')
            && !matches!(s, "-" | "" | "!!str" | "a b")
            && !s.contains(['[', ']', '{', '}', ','])
        {
            return s;
        }
    }
}

/// Pieces of YAML grammar that mutations insert.
const ATOMS: &[&str] = &[
    "\n",
    "\r",
    "\r\n",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\t",
    " ",
    "  ",
    "# c",
    " # c\n",
    "---\n",
    "--- ",
    "----",
    "...\n",
    "%YAML 1.1\n",
    "%TAG !e! tag:e,1:\n",
    "!!str ",
    "!!int ",
    "!!bool ",
    "!!binary ",
    "!!merge ",
    "! ",
    "!t, ",
    "!<tag:yaml.org,2002:str> ",
    "!e!x ",
    "!!%73tr ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<: *a\n",
    "<<: ",
    "? ",
    ": ",
    "- ",
    ", ",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    "\\'",
    "\\/",
    "\\x41",
    "\\u2028",
    "\\N",
    "\\\n",
    "|",
    ">-",
    "|2",
    "y",
    "on",
    "~",
    "0777",
    "0x1F",
    ".inf",
    "1_0",
    "2001-12-14",
    "\u{0}",
    "\u{1}",
    "\u{7f}",
    "\u{80}",
    "\u{a0}",
    "\u{fffe}",
    "é",
    "😀",
    "privileged: true\n",
    "hostPID: yes\n",
];

/// Rewrite a text with 1 to 4 random edits at random places (on character boundaries).
fn mutate(r: &mut Rng, text: &str) -> Vec<u8> {
    let mut t = text.to_string();
    for _ in 0..1 + r.below(4) {
        let mut at = if t.is_empty() {
            0
        } else {
            r.below(t.len() + 1)
        };
        while !t.is_char_boundary(at) {
            at -= 1;
        }
        match r.below(6) {
            0 => {
                // Replace a line feed with another line-break class.
                if let Some(nl) = t[at..].find('\n') {
                    let brk = r.pick(&["\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}", "\n\n"]);
                    t.replace_range(at + nl..at + nl + 1, brk);
                }
            }
            1 => {
                // Delete a character.
                if let Some(c) = t[at..].chars().next() {
                    t.replace_range(at..at + c.len_utf8(), "");
                }
            }
            _ => t.insert_str(at, r.pick(ATOMS)),
        }
    }
    let mut bytes = t.into_bytes();
    match r.below(40) {
        0 => bytes.insert(r.below(bytes.len() + 1), 0xFF), // invalid UTF-8
        1 => {
            // The whole file as UTF-16 with a BOM, as PowerShell writes it.
            let s = String::from_utf8_lossy(&bytes).into_owned();
            bytes = vec![0xFF, 0xFE];
            for u in s.encode_utf16() {
                bytes.extend(u.to_le_bytes());
            }
        }
        _ => {}
    }
    bytes
}

/// Real inputs to mutate: the examples, the PSS fixtures and the case table.
fn seeds() -> Vec<String> {
    let root = common::repo();
    let mut out = Vec::new();
    for dir in [
        "examples",
        "tests/conformance/pss/baseline/fail",
        "tests/conformance/pss/restricted/fail",
        "tests/k8s-yaml/cases",
    ] {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut files: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files {
            let n = f.to_string_lossy();
            if n.ends_with(".yaml") {
                if let Ok(t) = std::fs::read_to_string(&f) {
                    out.push(t);
                }
            }
        }
    }
    out
}

#[test]
fn generated_variants_agree_with_kubernetes() {
    let n: usize = std::env::var("KUBE4C_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    let seed: u64 = std::env::var("KUBE4C_DIFF_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x6b75_6265_3463);
    let Some(bin) = common::oracle_binary() else {
        eprintln!("SKIPPED: Go is needed to build tests/k8s-oracle (scripts/setup.sh --test)");
        assert!(
            std::env::var("CI").is_err(),
            "CI must run the differential test"
        );
        return;
    };
    let mut oracle = Oracle::start(&bin);
    let mut rng = Rng(seed.wrapping_mul(2).wrapping_add(1));
    let seeds = seeds();
    let mut failures = Vec::new();
    let (mut rejected, mut total) = (0, 0);
    for i in 0..2 * n {
        let input: Vec<u8> = match i % 2 {
            0 => {
                let c = case(&mut rng);
                if rng.below(3) == 0 {
                    mutate(&mut rng, &c)
                } else {
                    c.into_bytes()
                }
            }
            _ => {
                let s = &seeds[rng.below(seeds.len())];
                mutate(&mut rng, s)
            }
        };
        total += 1;
        let k8s = oracle.read(&input);
        if k8s.error.is_some() {
            rejected += 1;
        }
        let decoded = input::decode(&input);
        let stream = parse_input(&decoded);
        if let Err(e) = compare(&ours(&stream), &k8s) {
            failures.push(format!("{e}\ninput: {:?}", String::from_utf8_lossy(&input)));
        }
    }
    eprintln!("differential: {total} inputs (seed {seed}), {rejected} rejected by Kubernetes");
    assert!(
        failures.is_empty(),
        "seed {seed}: {} of {total} inputs differ; first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n---\n")
    );
}
