//! Test helpers: run one rule over a YAML text and compare findings by line and exact span text.

use crate::rules::RuleMeta;
use crate::{document, position::LineIndex, Options};

/// (1-based line, exact source text of the span) of every finding of `meta` in `yaml`, with
/// every rule on (overlapping rules leave cases to each other only when the other runs).
pub fn spans(meta: &RuleMeta, yaml: &str) -> Vec<(u32, String)> {
    let stream = document::parse(yaml);
    assert!(
        stream.errors.is_empty(),
        "fixture does not parse: {:?}",
        stream.errors
    );
    let report = crate::check_stream(&stream, &Options::default());
    let lines = LineIndex::new(yaml);
    let mine: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.meta().id == meta.id)
        .collect();
    for f in &mine {
        assert!(!f.message.is_empty());
        assert!(!f.path.is_empty(), "finding without a path");
        assert!(
            meta.fix != crate::rules::FixAvailability::Always || f.fix.is_some(),
            "{} declares a fix for every finding; none for {:?}",
            meta.id,
            f.message
        );
    }
    let mut got: Vec<(u32, String)> = mine
        .iter()
        .map(|f| {
            (
                lines.position(f.span.start).line,
                yaml[f.span.start as usize..f.span.end as usize].to_string(),
            )
        })
        .collect();
    got.sort();
    got
}

/// The rule finds nothing in `yaml`.
#[track_caller]
pub fn assert_pass(meta: &RuleMeta, yaml: &str) {
    let got = spans(meta, yaml);
    assert!(
        got.is_empty(),
        "{} should pass but found {:?}",
        meta.id,
        got
    );
}

/// The rule finds exactly these (line, span text) pairs in `yaml`.
#[track_caller]
pub fn assert_fail(meta: &RuleMeta, yaml: &str, expected: &[(u32, &str)]) {
    let got = spans(meta, yaml);
    let mut want: Vec<(u32, String)> = expected.iter().map(|(l, t)| (*l, t.to_string())).collect();
    want.sort();
    assert_eq!(got, want, "{}", meta.id);
}

/// A Deployment with one container; `pod` and `container` are extra lines indented to fit.
pub fn deployment(pod: &str, container: &str) -> String {
    let indent = |s: &str, n: usize| {
        s.lines()
            .map(|l| format!("{}{}\n", " ".repeat(n), l))
            .collect::<String>()
    };
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n{}      containers:\n      - name: app\n        image: nginx:1.27\n{}",
        indent(pod, 6),
        indent(container, 8)
    )
}

/// A Role (`namespace` given) or ClusterRole named `r` with `rules` (YAML list items).
pub fn rbac_role(namespace: Option<&str>, rules: &str) -> String {
    match namespace {
        Some(ns) => format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {{name: r, namespace: {ns}}}\nrules:\n{rules}"),
        None => format!("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {{name: r}}\nrules:\n{rules}"),
    }
}

/// Every YAML file of the repository's fixtures (rule fixtures, Kubernetes agreement cases,
/// examples), in a fixed order, with the span markers `«»` of rule fixtures removed.
pub fn repository_yaml() -> Vec<(std::path::PathBuf, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(p);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for d in ["tests/rules", "../../tests", "../../examples"] {
        walk(&root.join(d), &mut files);
    }
    assert!(files.len() > 300, "{} files", files.len());
    files
        .into_iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(&f).ok()?.replace(['«', '»'], "");
            Some((f, text))
        })
        .collect()
}

/// Deterministic random edits (the same on every run): each deletes up to `max_delete` bytes
/// or inserts one of `snippets`, at a char boundary.
/// Type `key` at byte `*at` of `text`, the cursor: U+0008 is Backspace (the byte before the
/// cursor goes), anything else is inserted; the cursor follows.
pub fn type_key(text: &mut String, at: &mut usize, key: char) {
    if key == '\u{8}' {
        *at -= 1;
        text.remove(*at);
    } else {
        text.insert(*at, key);
        *at += key.len_utf8();
    }
}

pub struct RandomEdits(u64);

impl RandomEdits {
    pub fn new(seed: u64) -> RandomEdits {
        RandomEdits(seed)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }

    pub fn apply(&mut self, text: &mut String, snippets: &[&str], max_delete: usize) {
        let mut at = self.next(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        if self.next(3) == 0 {
            let mut end = (at + self.next(max_delete)).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.replace_range(at..end, "");
        } else {
            text.insert_str(at, snippets[self.next(snippets.len())]);
        }
    }
}
