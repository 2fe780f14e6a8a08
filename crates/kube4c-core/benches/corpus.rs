//! Throughput over the real-world corpus (../shared/corpus/real, 8 install manifests, 9.8 MB):
//! parse only vs the full check, in MB/s. `KUBE4C_CORPUS=DIR` points elsewhere.
//! Also: documents scaling (the cross-resource index must keep it linear).
//!
//! And the page's keystroke: a `Session` re-checking after one character typed.
//!
//! And the YAML layer alone, old and new in one run: granit-parser's events (the parser kube4c
//! used until the reader became its own) against kube4c-yaml's events over the same corpus.
//!
//!   cargo bench -p kube4c-core --bench corpus

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kube4c_core::{check, document, Options};

fn corpus() -> Vec<(String, String)> {
    let dir = std::env::var_os("KUBE4C_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/real")
        });
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus {}: {e} (set KUBE4C_CORPUS)", dir.display()))
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "yaml").then(|| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
        })
        .collect();
    files.sort();
    files
}

fn whole_corpus(c: &mut Criterion) {
    let files = corpus();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let mut g = c.benchmark_group("corpus");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    g.bench_function("parse", |b| {
        b.iter(|| {
            for (_, t) in &files {
                std::hint::black_box(document::parse(t));
            }
        })
    });
    g.bench_function("check", |b| {
        b.iter(|| {
            for (_, t) in &files {
                std::hint::black_box(check(t, &Options::default()));
            }
        })
    });
    g.finish();
}

/// Events only: the scanner and parser, with no arena. granit reads each file as one stream;
/// kube4c-yaml reads the parts kubectl cuts (as `document::parse` does).
fn reader(c: &mut Criterion) {
    let files = corpus();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let mut g = c.benchmark_group("reader");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    g.bench_function("granit-events", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for (_, t) in &files {
                let mut p = granit_parser::Parser::new_from_str(t);
                while let Some(Ok(_)) = p.next_event() {
                    n += 1;
                }
            }
            n
        })
    });
    g.bench_function("kube4c-yaml-events", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for (_, t) in &files {
                for piece in document::input::split(t) {
                    if let document::input::Piece::Yaml { start, end } = piece {
                        let mut p = kube4c_yaml::Parser::new(t, start, end, Default::default());
                        while let Ok(Some(_)) = p.next_event() {
                            n += 1;
                        }
                    }
                }
            }
            n
        })
    });
    g.finish();
}

fn per_file(c: &mut Criterion) {
    let mut g = c.benchmark_group("file");
    g.sample_size(10);
    for (name, text) in corpus() {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("check", &name), &text, |b, t| {
            b.iter(|| check(t, &Options::default()))
        });
    }
    g.finish();
}

fn documents_scaling(c: &mut Criterion) {
    let doc = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - {name: app, image: \"nginx:1.27\"}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec: {podSelector: {matchLabels: {app: db}}}\n---\n";
    let mut g = c.benchmark_group("documents");
    g.sample_size(10);
    for n in [1_000usize, 10_000] {
        let text = doc.repeat(n);
        g.throughput(Throughput::Elements(2 * n as u64));
        g.bench_with_input(BenchmarkId::new("check", 2 * n), &text, |b, t| {
            b.iter(|| check(t, &Options::default()))
        });
    }
    g.finish();
}

/// Cross-resource work: `pods` Deployments and `pods / 10` NetworkPolicies spread over 100
/// namespaces, each policy selecting one app label (half of them matching a pod), in two
/// files checked as one run. Time must grow linearly with the objects.
fn cross_resource(c: &mut Criterion) {
    let mut g = c.benchmark_group("cross");
    g.sample_size(10);
    for pods in [1_000usize, 10_000] {
        let mut deploy = String::new();
        for i in 0..pods {
            deploy.push_str(&format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d{i}, namespace: ns{}}}\nspec:\n  template:\n    metadata: {{labels: {{app: a{i}, tier: web}}}}\n    spec:\n      containers:\n      - {{name: c, image: \"nginx:1.27\"}}\n---\n",
                i % 100
            ));
        }
        let mut policies = String::new();
        for j in 0..pods / 10 {
            let app = if j % 2 == 0 { j * 10 } else { pods + j };
            policies.push_str(&format!(
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: p{j}, namespace: ns{}}}\nspec:\n  podSelector: {{matchLabels: {{app: a{app}}}}}\n  ingress:\n  - from: [{{podSelector: {{matchLabels: {{tier: web}}}}}}]\n---\n",
                app % 100
            ));
        }
        g.throughput(Throughput::Elements((pods + pods / 10) as u64));
        g.bench_function(BenchmarkId::new("check", format!("{pods}-pods")), |b| {
            b.iter(|| {
                let a = document::parse(&deploy);
                let p = document::parse(&policies);
                kube4c_core::check_all(&[&a, &p], &Options::default())
            })
        });
    }
    g.finish();
}

/// The page's keystroke: a `Session` checking the text again after one character typed (and
/// removed), at the top of each corpus file (in its first document) and in its last document,
/// against a whole check of the same text.
fn session_keystroke(c: &mut Criterion) {
    let mut g = c.benchmark_group("keystroke");
    g.sample_size(10);
    for (name, text) in corpus() {
        if !["kube-prometheus-manifests.yaml", "argo-cd-install.yaml"].contains(&name.as_str()) {
            continue;
        }
        let top = text.match_indices('\n').nth(2).map_or(0, |(i, _)| i);
        let last = text.rfind("\nkind: ").map_or(top, |i| i + 1);
        for (place, at) in [("top", top), ("last-document", last)] {
            let typed = format!("{}x{}", &text[..at], &text[at..]);
            let mut session = kube4c_core::session::Session::new();
            let opts = Options::default();
            let _ = session.check(&text, &opts);
            let mut flip = false;
            g.bench_function(BenchmarkId::new(format!("session/{place}"), &name), |b| {
                b.iter(|| {
                    flip = !flip;
                    session.check(if flip { &typed } else { &text }, &opts)
                })
            });
        }
        g.bench_function(BenchmarkId::new("whole-check", &name), |b| {
            b.iter(|| check(&text, &Options::default()))
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    session_keystroke,
    whole_corpus,
    reader,
    per_file,
    documents_scaling,
    cross_resource
);
criterion_main!(benches);
