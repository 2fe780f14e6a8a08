//! Edits keep the author's style: indentation, block vs flow, quoting, comments, line endings.

use super::*;
use crate::document::parse;

/// Apply one builder's edits to `text`.
fn edit(text: &str, build: impl Fn(&mut FixBuilder, &Stream)) -> (String, Applicability) {
    let s = parse(text);
    assert!(s.errors.is_empty(), "{:?}", s.errors);
    let mut b = FixBuilder::new(&s);
    build(&mut b, &s);
    let fix = b.finish("t", Applicability::Safe).expect("a fix");
    let (out, n) = apply(text, [&fix], Applicability::Display);
    assert_eq!(n, 1);
    // The result is YAML that reads without error.
    let again = parse(&out);
    assert!(again.errors.is_empty(), "{out}\n{:?}", again.errors);
    (out, fix.applicability)
}

fn container(s: &Stream) -> NodeId {
    let root = s.docs[0].root;
    s.items(s.path(root, &["spec", "containers"]).unwrap())[0]
}

#[test]
fn inserts_into_a_block_mapping_at_its_indentation() {
    let text = "spec:\n  containers:\n  - name: app  # the app\n    image: x\n  volumes: []\n";
    let (out, _) = edit(text, |b, s| {
        b.set_path(
            container(s),
            &["securityContext", "runAsNonRoot"],
            Scalar::Bool(true),
        );
    });
    assert_eq!(
        out,
        "spec:\n  containers:\n  - name: app  # the app\n    image: x\n    securityContext:\n      runAsNonRoot: true\n  volumes: []\n"
    );
}

#[test]
fn follows_the_documents_indentation_step() {
    let text = "spec:\n    containers:\n    -   name: app\n        securityContext:\n            privileged: true\n";
    let (out, _) = edit(text, |b, s| {
        let sc = s.get(container(s), "securityContext").unwrap();
        b.set_path(sc, &["capabilities", "drop"], Scalar::Raw("[ALL]"));
    });
    assert_eq!(
        out,
        "spec:\n    containers:\n    -   name: app\n        securityContext:\n            privileged: true\n            capabilities:\n                drop: [ALL]\n"
    );
}

#[test]
fn writes_flow_into_flow() {
    let text = "spec: {containers: [{name: app, securityContext: {}}]}\n";
    let (out, _) = edit(text, |b, s| {
        b.set_path(
            container(s),
            &["securityContext", "runAsNonRoot"],
            Scalar::Bool(true),
        );
    });
    assert_eq!(
        out,
        "spec: {containers: [{name: app, securityContext: {runAsNonRoot: true}}]}\n"
    );
    let text = "spec: {containers: [{name: app}]}\n";
    let (out, _) = edit(text, |b, s| {
        b.set_path(
            container(s),
            &["securityContext", "seccompProfile", "type"],
            Scalar::Str("RuntimeDefault"),
        );
    });
    assert_eq!(
        out,
        "spec: {containers: [{name: app, securityContext: {seccompProfile: {type: RuntimeDefault}}}]}\n"
    );
}

#[test]
fn keeps_quotes_and_comments_when_replacing() {
    let text = "spec:\n  containers:\n  - name: app\n    securityContext:\n      seccompProfile: {type: 'Unconfined'}  # why?\n";
    let (out, _) = edit(text, |b, s| {
        let t = s
            .path(container(s), &["securityContext", "seccompProfile", "type"])
            .unwrap();
        b.set_scalar(t, Scalar::Str("RuntimeDefault"));
    });
    assert!(out.contains("{type: 'RuntimeDefault'}  # why?\n"), "{out}");
}

#[test]
fn fills_an_empty_value_after_its_comment() {
    let text = "spec:\n  containers:\n  - name: app\n    securityContext: # todo\n  volumes: []\n";
    let (out, _) = edit(text, |b, s| {
        b.set_path(
            container(s),
            &["securityContext", "runAsNonRoot"],
            Scalar::Bool(true),
        );
    });
    assert_eq!(
        out,
        "spec:\n  containers:\n  - name: app\n    securityContext: # todo\n      runAsNonRoot: true\n  volumes: []\n"
    );
}

#[test]
fn appends_to_sequences_in_their_style() {
    let text = "spec:\n  containers:\n  - name: app\n    securityContext:\n      capabilities:\n        drop:\n          - \"NET_RAW\"\n";
    let (out, _) = edit(text, |b, s| {
        let d = s
            .path(container(s), &["securityContext", "capabilities", "drop"])
            .unwrap();
        b.push_item(d, "ALL");
    });
    assert!(
        out.ends_with("          - \"NET_RAW\"\n          - \"ALL\"\n"),
        "{out}"
    );
    let text =
        "spec: {containers: [{name: a, securityContext: {capabilities: {drop: [NET_RAW]}}}]}";
    let (out, _) = edit(text, |b, s| {
        let d = s
            .path(container(s), &["securityContext", "capabilities", "drop"])
            .unwrap();
        b.push_item(d, "ALL");
    });
    assert!(out.contains("drop: [NET_RAW, ALL]"), "{out}");
}

#[test]
fn keeps_crlf_and_handles_a_missing_final_newline() {
    let text = "spec:\r\n  containers:\r\n  - name: app\r\n    image: x";
    let (out, _) = edit(text, |b, s| {
        b.set_path(
            container(s),
            &["securityContext", "privileged"],
            Scalar::Bool(false),
        );
    });
    assert_eq!(
        out,
        "spec:\r\n  containers:\r\n  - name: app\r\n    image: x\r\n    securityContext:\r\n      privileged: false\r\n"
    );
}

#[test]
fn text_shared_through_an_alias_or_merge_is_display_only() {
    let text = "x: &sc {privileged: true}\nspec:\n  containers:\n  - name: app\n    securityContext: *sc\n";
    let (_, applicability) = edit(text, |b, s| {
        let p = s
            .path(container(s), &["securityContext", "privileged"])
            .unwrap();
        b.set_scalar(p, Scalar::Bool(false));
    });
    assert_eq!(applicability, Applicability::Display);
    let text = "x: &base {privileged: true}\nspec:\n  containers:\n  - name: app\n    securityContext:\n      <<: *base\n      runAsUser: 1\n";
    let (_, applicability) = edit(text, |b, s| {
        b.set_path(
            container(s),
            &["securityContext", "privileged"],
            Scalar::Bool(false),
        );
    });
    assert_eq!(applicability, Applicability::Display);
    // Inserting a new key into a mapping that merges is the mapping's own text: fine.
    let (out, applicability) = edit(text, |b, s| {
        b.set_path(
            container(s),
            &["securityContext", "runAsNonRoot"],
            Scalar::Bool(true),
        );
    });
    assert_eq!(applicability, Applicability::Safe);
    assert!(
        out.ends_with("      runAsUser: 1\n      runAsNonRoot: true\n"),
        "{out}"
    );
}

#[test]
fn overlapping_fixes_wait_for_the_next_round() {
    let text = "spec:\n  containers:\n  - name: app\n";
    let s = parse(text);
    let c = container(&s);
    let mut a = FixBuilder::new(&s);
    a.set_path(c, &["securityContext", "runAsNonRoot"], Scalar::Bool(true));
    let mut b = FixBuilder::new(&s);
    b.set_path(c, &["securityContext", "privileged"], Scalar::Bool(false));
    let (a, b) = (
        a.finish("a", Applicability::Safe).unwrap(),
        b.finish("b", Applicability::Safe).unwrap(),
    );
    let (out, n) = apply(text, [&a, &b], Applicability::Safe);
    assert_eq!(n, 1, "both insert `securityContext:` at one place");
    assert_eq!(out.matches("securityContext").count(), 1);
    // Below the threshold: not applied.
    let (_, n) = apply(text, [&a], Applicability::Safe);
    assert_eq!(n, 1);
    let review = Fix {
        applicability: Applicability::Review,
        ..a
    };
    assert_eq!(apply(text, [&review], Applicability::Safe).1, 0);
}

#[test]
fn diff_shows_context() {
    let d = diff("a\nb\nc\n", "a\nb\nx\ny\nc\n");
    assert_eq!(d, "@@ -2,2 +2,4 @@\n b\n+x\n+y\n c\n");
}
