//! Parse the real-world corpus N times (for profilers): `cargo run --release -p kube4c-core
//! --example parse_corpus -- DIR N`.
fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "../shared/corpus/real".into());
    let n: usize = args.next().and_then(|v| v.parse().ok()).unwrap_or(10);
    let mut texts = Vec::new();
    for e in std::fs::read_dir(&dir).expect("corpus dir") {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            texts.push(std::fs::read_to_string(&p).unwrap());
        }
    }
    let mut nodes = 0;
    for _ in 0..n {
        for t in &texts {
            nodes += kube4c_core::document::parse(t).nodes.len();
        }
    }
    println!("{nodes} nodes");
}
