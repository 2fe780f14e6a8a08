//! The full check on arbitrary bytes, under every profile: never panics, every finding's span
//! lies on character boundaries inside the text and maps to a line and column, and every fix's
//! edits do too; applying a fix and checking again never panics.
#![no_main]

use kube4c_core::position::LineIndex;
use kube4c_core::{check, fix, Applicability, Options, Profile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let idx = LineIndex::new(&text);
    for profile in [Profile::All, Profile::PssBaseline, Profile::PssRestricted] {
        let r = check(&text, &Options::profile(profile));
        for f in &r.findings {
            assert!(f.span.start <= f.span.end && f.span.end as usize <= text.len());
            assert!(text.is_char_boundary(f.span.start as usize));
            assert!(text.is_char_boundary(f.span.end as usize));
            // Only a suppression comment (no field) has an empty path.
            assert!(!f.message.is_empty());
            assert!(!f.path.is_empty() || f.rule.as_str().contains("suppression"));
            let a = idx.position(f.span.start);
            let b = idx.position(f.span.end);
            assert!((a.line, a.column) <= (b.line, b.column));
        }
        for fx in r.findings.iter().filter_map(|f| f.fix.as_ref()).take(3) {
            for e in &fx.edits {
                assert!(e.span.start <= e.span.end && e.span.end as usize <= text.len());
                assert!(text.is_char_boundary(e.span.start as usize));
                assert!(text.is_char_boundary(e.span.end as usize));
            }
            let (fixed, n) = fix::apply(&text, [fx], Applicability::Display);
            assert_eq!(n, 1);
            let _ = check(&fixed, &Options::profile(profile));
        }
        if profile != Profile::All {
            assert!(r.findings.iter().all(|f| f.pss.is_some()));
        }
    }
});
