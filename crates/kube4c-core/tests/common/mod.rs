//! Shared by the Kubernetes agreement tests: kube4c's reading as JSON, and JSON comparison.

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
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}
