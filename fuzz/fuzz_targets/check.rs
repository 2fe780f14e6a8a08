//! The full check on arbitrary bytes, under every profile: never panics, every finding's span
//! lies on character boundaries inside the text and maps to a line and column.
#![no_main]

use kube4c_core::position::LineIndex;
use kube4c_core::{check, Options, Profile};
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
            assert!(!f.message.is_empty() && !f.path.is_empty());
            let a = idx.position(f.span.start);
            let b = idx.position(f.span.end);
            assert!((a.line, a.column) <= (b.line, b.column));
        }
        if profile != Profile::All {
            assert!(r.findings.iter().all(|f| f.pss.is_some()));
        }
    }
});
