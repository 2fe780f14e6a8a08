//! The document model on arbitrary bytes: never panics, and every span, entry and item it
//! builds is consistent.
#![no_main]

use kube4c_core::document::{parse, Value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let s = parse(&text);
    let len = text.len() as u32;
    for n in &s.nodes {
        assert!(n.span.start <= n.span.end && n.span.end <= len);
        assert!(text.is_char_boundary(n.span.start as usize));
        assert!(text.is_char_boundary(n.span.end as usize));
        match n.value {
            Value::Map { start, len } => assert!((start + len) as usize <= s.entries.len()),
            Value::Seq { start, len } => assert!((start + len) as usize <= s.items.len()),
            _ => {}
        }
    }
    for e in &s.entries {
        assert!((e.key as usize) < s.nodes.len() && (e.value as usize) < s.nodes.len());
    }
    for &i in &s.items {
        assert!((i as usize) < s.nodes.len());
    }
    for d in &s.docs {
        assert!((d.root as usize) < s.nodes.len());
        // Keys of a mapping are unique once duplicates and merges are resolved.
        if s.is_map(d.root) {
            let mut keys: Vec<&str> = s.entries(d.root).iter().map(|e| s.key_str(e.key)).collect();
            let before = keys.len();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(before, keys.len());
        }
    }
    for e in &s.errors {
        assert!(e.span.end <= len && !e.message.is_empty());
    }
});
