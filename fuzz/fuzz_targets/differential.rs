//! Differential fuzzing against Kubernetes' own reading: every input goes to kube4c and to a
//! long-running `tests/k8s-oracle serve` process (apimachinery's YAMLOrJSONDecoder and
//! sigs.k8s.io/yaml at the pinned Kubernetes release, kubectl's UTF-16 handling and list
//! flattening); any difference in the objects read or in accept/reject is a crash, kept by
//! libFuzzer as a reproducer. `KUBE4C_ORACLE` names the oracle binary (scripts/fuzz.sh builds
//! it). Coverage guides the inputs towards the reader's branches.
#![no_main]

use std::sync::{Mutex, OnceLock};

use kube4c_core::document::{input, parse_input};
use libfuzzer_sys::fuzz_target;

#[path = "../../crates/kube4c-core/tests/common/mod.rs"]
mod common;

fn oracle() -> &'static Mutex<common::Oracle> {
    static ORACLE: OnceLock<Mutex<common::Oracle>> = OnceLock::new();
    ORACLE.get_or_init(|| {
        let bin = std::env::var_os("KUBE4C_ORACLE")
            .expect("KUBE4C_ORACLE must name the k8s-oracle binary (scripts/fuzz.sh builds it)");
        Mutex::new(common::Oracle::start(std::path::Path::new(&bin)))
    })
}

fuzz_target!(|data: &[u8]| {
    let k8s = oracle().lock().unwrap().read(data);
    let decoded = input::decode(data);
    let stream = parse_input(&decoded);
    if let Err(e) = common::compare(&common::ours(&stream), &k8s) {
        panic!("kube4c and Kubernetes differ: {e}\ninput: {:?}", String::from_utf8_lossy(data));
    }
});
