//! Shared by the Kubernetes agreement tests: kube4c's reading as the objects kubectl would
//! send, JSON comparison, and the oracle (`tests/k8s-oracle`: Kubernetes' own reading code).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use kube4c_core::document::{NodeId, Stream, Value};
use serde_json::{Map, Number, Value as Json};

/// The JSON value of a node, as the API server would see the object.
pub fn to_json(s: &Stream, n: NodeId) -> Json {
    match &s.node(n).value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::Number((*i).into()),
        Value::UInt(u) => Json::Number((*u).into()),
        Value::Float(f) => Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Str(t) => Json::String(t.to_string()),
        Value::Seq { .. } => Json::Array(s.items(n).iter().map(|&i| to_json(s, i)).collect()),
        Value::Map { .. } => Json::Object(
            s.entries(n)
                .iter()
                .map(|e| (s.key_str(e.key).to_string(), to_json(s, e.value)))
                .collect::<Map<_, _>>(),
        ),
    }
}

/// Equal JSON, numbers compared by value (Go prints 1000.0 as 1000).
pub fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        // kubectl's encoder may move a large float by one unit in the last place (602e23 is
        // sent as 6.019999999999999e+25): not a reading difference.
        (Json::Number(x), Json::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(a), Some(b)) => a == b || (a - b).abs() <= 1e-15 * a.abs().max(b.abs()),
            _ => false,
        },
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// xorshift64*: small, deterministic, good enough to pick test cases.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    /// True `percent` times in a hundred.
    pub fn maybe(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// What kubectl read from one input: the flattened objects, and the error it stopped with.
#[derive(Debug, Clone)]
pub struct Reading {
    pub objects: Vec<Json>,
    pub error: Option<String>,
}

impl Reading {
    pub fn from_json(j: &Json) -> Reading {
        Reading {
            objects: j["objects"].as_array().cloned().unwrap_or_default(),
            error: j["error"].as_str().map(str::to_string),
        }
    }
}

/// kube4c's reading in kubectl's terms: every document's object, lists flattened (the model
/// does the same: `Model::new` checks list items), and whether anything was refused.
pub fn ours(stream: &Stream) -> Reading {
    let mut objects = Vec::new();
    for d in &stream.docs {
        flatten(to_json(stream, d.root), true, &mut objects);
    }
    let model = kube4c_core::model::Model::new(stream);
    let rejected = !stream.errors.is_empty()
        || stream
            .warnings
            .iter()
            .chain(&model.warnings)
            // Field types are the API server's business, not kubectl's reading: the oracle
            // does not judge them (the CLI tests do).
            .any(|w| w.message.contains("rejects") && !w.message.contains("must be"));
    Reading {
        objects,
        error: rejected.then(|| "kube4c reported an error".to_string()),
    }
}

/// An object with an `items` array is a list (kubectl's unstructured decoding); items of a
/// top-level list that name neither kind nor apiVersion take the list's, minus "List".
fn flatten(obj: Json, top: bool, out: &mut Vec<Json>) {
    let Json::Object(mut m) = obj else {
        out.push(obj);
        return;
    };
    // The oracle keeps an object without a kind as it was read (kubectl refuses it).
    if top
        && m.get("kind")
            .and_then(Json::as_str)
            .unwrap_or("")
            .is_empty()
    {
        out.push(Json::Object(m));
        return;
    }
    match m.get("items") {
        Some(Json::Array(_)) => {}
        Some(Json::Null) if top => return,
        _ => {
            out.push(Json::Object(m));
            return;
        }
    }
    let Some(Json::Array(items)) = m.remove("items") else {
        return;
    };
    let kind = m.get("kind").and_then(Json::as_str).unwrap_or("");
    let item_kind = kind.strip_suffix("List").unwrap_or(kind).to_string();
    let api = Json::String(
        m.get("apiVersion")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string(),
    );
    for item in items {
        let item = match item {
            Json::Object(mut im) if top => {
                let empty = |v: Option<&Json>| v.and_then(Json::as_str).unwrap_or("").is_empty();
                if empty(im.get("kind")) && empty(im.get("apiVersion")) {
                    im.insert("kind".into(), Json::String(item_kind.clone()));
                    im.insert("apiVersion".into(), api.clone());
                }
                Json::Object(im)
            }
            other => other,
        };
        flatten(item, false, out);
    }
}

/// Compare kube4c's reading with Kubernetes'. When kubectl stops with an error, kube4c must
/// report one too, and read the objects before it the same way (kube4c reads on past the
/// error: more findings, never fewer).
pub fn compare(ours: &Reading, k8s: &Reading) -> Result<(), String> {
    match &k8s.error {
        Some(e) => {
            if ours.error.is_none() {
                return Err(format!("Kubernetes rejects ({e}), kube4c reads it"));
            }
            // Objects kubectl read before stopping: the same, when kube4c got that far.
            for (a, b) in k8s.objects.iter().zip(&ours.objects) {
                if !same(a, b) {
                    return Err(format!(
                        "before the error, differs:\n  kubernetes {a}\n  kube4c     {b}"
                    ));
                }
            }
            Ok(())
        }
        None => {
            if let Some(e) = &ours.error {
                return Err(format!(
                    "kube4c rejects ({e}), Kubernetes reads {}",
                    Json::Array(k8s.objects.clone())
                ));
            }
            let a = Json::Array(k8s.objects.clone());
            let b = Json::Array(ours.objects.clone());
            if !same(&a, &b) {
                return Err(format!("differs:\n  kubernetes {a}\n  kube4c     {b}"));
            }
            Ok(())
        }
    }
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Build the oracle (Go modules; `go` must be on PATH). `None` when Go is missing.
pub fn oracle_binary() -> Option<PathBuf> {
    let dir = repo().join("target/k8s-oracle");
    std::fs::create_dir_all(&dir).ok()?;
    let bin = dir.join("k8s-oracle");
    let status = Command::new("go")
        .args(["build", "-o"])
        .arg(&bin)
        .arg(".")
        .current_dir(repo().join("tests/k8s-oracle"))
        .status()
        .ok()?;
    status.success().then_some(bin)
}

/// A long-running oracle: one frame in, one frame out.
pub struct Oracle {
    child: Child,
    stdin: ChildStdin,
    stdout: ChildStdout,
}

impl Oracle {
    pub fn start(bin: &Path) -> Oracle {
        let mut child = Command::new(bin)
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the oracle");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        Oracle {
            child,
            stdin,
            stdout,
        }
    }

    pub fn read(&mut self, input: &[u8]) -> Reading {
        self.stdin
            .write_all(&(input.len() as u32).to_be_bytes())
            .unwrap();
        self.stdin.write_all(input).unwrap();
        self.stdin.flush().unwrap();
        let mut head = [0u8; 4];
        self.stdout.read_exact(&mut head).unwrap();
        let mut body = vec![0u8; u32::from_be_bytes(head) as usize];
        self.stdout.read_exact(&mut body).unwrap();
        Reading::from_json(&serde_json::from_slice(&body).unwrap())
    }
}

impl Drop for Oracle {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
