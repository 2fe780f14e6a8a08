//! The "read YAML the way Kubernetes does" points of DESIGN.md, one test each.

use super::*;

fn one(text: &str) -> (Stream<'_>, NodeId) {
    let s = parse(text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let root = s.docs[0].root;
    (s, root)
}

#[test]
fn yaml11_booleans_are_booleans() {
    let (s, r) = one("a: yes\nb: off\nc: 'yes'\nd: !!str on\ne: Y\n");
    assert_eq!(s.bool(s.get(r, "a").unwrap()), Some(true));
    assert_eq!(s.bool(s.get(r, "b").unwrap()), Some(false));
    assert_eq!(s.str(s.get(r, "c").unwrap()), Some("yes"));
    assert_eq!(s.str(s.get(r, "d").unwrap()), Some("on"));
    assert_eq!(s.bool(s.get(r, "e").unwrap()), Some(true));
}

#[test]
fn go_integers() {
    let (s, r) = one("mode: 0777\nhex: 0x1F\nbin: 0b101\nu: 1_000\nf: 08\n");
    assert_eq!(s.int(s.get(r, "mode").unwrap()), Some(511));
    assert_eq!(s.int(s.get(r, "hex").unwrap()), Some(31));
    assert_eq!(s.int(s.get(r, "bin").unwrap()), Some(5));
    assert_eq!(s.int(s.get(r, "u").unwrap()), Some(1000));
    assert_eq!(s.int(s.get(r, "f").unwrap()), Some(8));
}

#[test]
fn keys_are_read_as_json_keys() {
    // `y:` is the boolean true, so the JSON key is "true" (a classic YAML 1.1 trap).
    let (s, r) = one("y: 1\n0x10: a\n");
    assert!(s.get(r, "true").is_some());
    assert!(s.get(r, "y").is_none());
    assert!(s.get(r, "16").is_some());
}

#[test]
fn duplicate_keys_last_wins_and_each_is_reported() {
    let text = "privileged: false\nname: a\nprivileged: true\nprivileged: yes\n";
    let (s, r) = one(text);
    let v = s.get(r, "privileged").unwrap();
    assert_eq!(s.bool(v), Some(true));
    assert_eq!(s.slice(s.span(v)), "yes");
    assert_eq!(s.warnings.len(), 2);
    assert!(s.warnings[0].message.contains("first set on line 1"));
    assert_eq!(s.slice(s.warnings[0].span), "privileged");
    assert_eq!(s.entries(r).len(), 2);
}

#[test]
fn merge_keys_apply_in_document_order() {
    let text = "base: &b {p: 1, q: 1}\nm:\n  p: 0\n  <<: *b\n  q: 2\n";
    let (s, r) = one(text);
    let m = s.get(r, "m").unwrap();
    // `p: 0` came before the merge: the merge overrides it. `q: 2` came after: it wins.
    assert_eq!(s.int(s.get(m, "p").unwrap()), Some(1));
    assert_eq!(s.int(s.get(m, "q").unwrap()), Some(2));
    // No duplicate warning for merged keys.
    assert!(s.warnings.is_empty());
}

#[test]
fn merge_sequence_earlier_maps_win() {
    let text = "a: &a {k: 1}\nb: &b {k: 2, j: 2}\nm:\n  <<: [*a, *b]\n";
    let (s, r) = one(text);
    let m = s.get(r, "m").unwrap();
    assert_eq!(s.int(s.get(m, "k").unwrap()), Some(1));
    assert_eq!(s.int(s.get(m, "j").unwrap()), Some(2));
}

#[test]
fn quoted_merge_key_is_a_plain_key() {
    let (s, r) = one("a: &a {k: 1}\nm:\n  '<<': *a\n");
    let m = s.get(r, "m").unwrap();
    assert!(s.get(m, "<<").is_some());
    assert!(s.get(m, "k").is_none());
}

#[test]
fn merge_of_a_scalar_is_an_error() {
    let s = parse("m:\n  <<: 1\n---\nkind: Pod\n");
    assert_eq!(s.errors.len(), 1);
    assert!(s.errors[0].message.contains("map merge"));
    assert_eq!(s.docs.len(), 1);
}

#[test]
fn aliases_share_nodes() {
    let (s, r) = one("a: &x {privileged: true}\nb: *x\n");
    assert_eq!(s.get(r, "a"), s.get(r, "b"));
}

#[test]
fn alias_bomb_is_an_error_not_a_hang() {
    let mut t = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        t.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    t.push_str("---\nkind: Pod\n");
    let s = parse(&t);
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert!(s.errors[0].message.contains("excessive aliasing"));
    assert_eq!(s.docs.len(), 1, "the next document is still read");
    assert_eq!(s.document_count, 2);
}

#[test]
fn deep_nesting_fails_closed_without_recursion() {
    let depth = 5000;
    let t = format!(
        "a: {}{}\n---\nkind: Pod\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let s = parse(&t);
    assert_eq!(s.errors.len(), 1);
    assert_eq!(s.docs.len(), 1);
    let mut block = String::new();
    for i in 0..3000 {
        block.push_str(&" ".repeat(i));
        block.push_str("k:\n");
    }
    let s = parse(&block);
    assert_eq!(s.errors.len(), 1);
}

#[test]
fn broken_document_keeps_its_neighbours() {
    let t = "kind: A\n---\nkind: [B\n---\nkind: C\n";
    let s = parse(t);
    assert_eq!(s.docs.len(), 2);
    assert_eq!(s.errors.len(), 1);
    assert_eq!(s.errors[0].document, 1);
    assert_eq!(s.document_count, 3);
    let kinds: Vec<_> = s
        .docs
        .iter()
        .map(|d| s.str(s.get(d.root, "kind").unwrap()).unwrap())
        .collect();
    assert_eq!(kinds, ["A", "C"]);
    assert_eq!(s.docs[1].index, 2);
}

#[test]
fn empty_documents_are_skipped() {
    let s = parse("---\n---\n# only a comment\n---\nkind: A\n---\n");
    assert_eq!(s.docs.len(), 1);
    assert_eq!(s.document_count, 1);
}

#[test]
fn bom_and_crlf() {
    let t = "\u{feff}kind: Pod\r\nmetadata:\r\n  name: x\r\n";
    let (s, r) = one(t);
    let n = s.path(r, &["metadata", "name"]).unwrap();
    assert_eq!(s.str(n), Some("x"));
    assert_eq!(s.slice(s.span(n)), "x");
}

#[test]
fn tab_after_colon_is_fine_tab_indent_is_an_error() {
    let (s, r) = one("a:\tb\n");
    assert_eq!(s.str(s.get(r, "a").unwrap()), Some("b"));
    let s = parse("a:\n\tb: c\n");
    assert_eq!(s.errors.len(), 1);
    // Reported on the tab's line (granit marks the character after the tab).
    assert!((3..=4).contains(&s.errors[0].span.start));
}

#[test]
fn field_names_are_case_sensitive() {
    let (s, r) = one("Privileged: true\n");
    assert!(s.get(r, "privileged").is_none());
}

#[test]
fn tag_mismatch_is_an_error() {
    let s = parse("a: !!int abc\n");
    assert_eq!(s.errors.len(), 1);
    assert!(s.errors[0].message.contains("cannot decode"));
}

#[test]
fn spans_are_exact_bytes() {
    let t = "k: \"😀\"\nv: true\n";
    let (s, r) = one(t);
    let v = s.get(r, "v").unwrap();
    assert_eq!(s.slice(s.span(v)), "true");
    assert_eq!(s.slice(s.span(s.get(r, "k").unwrap())), "\"😀\"");
}

#[test]
fn infinity_is_flagged() {
    let s = parse("a: .inf\n");
    assert_eq!(s.warnings.len(), 1);
}
