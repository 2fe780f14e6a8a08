//! Every input the fuzzers ever crashed on (tests/fuzz-regressions/) is replayed through the
//! full check under every profile: none may panic again.

use kube4c_core::{check, Options, Profile};

#[test]
fn fuzz_crashers_stay_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fuzz-regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("tests/fuzz-regressions") {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for profile in [Profile::All, Profile::PssBaseline, Profile::PssRestricted] {
            let r = check(&text, &Options::profile(profile));
            for f in &r.findings {
                assert!(
                    text.is_char_boundary(f.span.start as usize),
                    "{}",
                    path.display()
                );
            }
        }
        n += 1;
    }
    assert!(n >= 1, "the regression inputs are missing");
}
