//! Event-level tests. The reading as a whole (values, accept/reject) is tested against
//! Kubernetes itself in kube4c-core's agreement and differential tests.

use crate::{EventKind, Limits, Parser, ScalarStyle};

/// A compact rendering of the events: `{` `}` `[` `]`, scalars as `=text`, aliases `*name`.
fn events(text: &str) -> Result<String, String> {
    let mut p = Parser::new(text, 0, text.len(), Limits::default());
    let mut out = Vec::new();
    loop {
        match p.next_event() {
            Ok(None) => break,
            Ok(Some(e)) => out.push(match e.kind {
                EventKind::StreamStart | EventKind::StreamEnd => continue,
                EventKind::DocumentStart { .. } => "(".to_string(),
                EventKind::DocumentEnd { .. } => ")".to_string(),
                EventKind::Alias(a) => format!("*{a}"),
                EventKind::Scalar {
                    value, tag, style, ..
                } => {
                    let q = if style == ScalarStyle::Plain {
                        "="
                    } else {
                        "'"
                    };
                    match tag {
                        Some(t) => format!("<{t}>{q}{value}"),
                        None => format!("{q}{value}"),
                    }
                }
                EventKind::SequenceStart { .. } => "[".into(),
                EventKind::SequenceEnd => "]".into(),
                EventKind::MappingStart { .. } => "{".into(),
                EventKind::MappingEnd => "}".into(),
            }),
            Err(e) => return Err(format!("{} @{}", e.message, e.start)),
        }
    }
    Ok(out.join(" "))
}

#[test]
fn block_and_flow() {
    assert_eq!(
        events("a: 1\nb: [x, y]\n").unwrap(),
        "( { =a =1 =b [ =x =y ] } )"
    );
    assert_eq!(events("- a\n- b: c\n").unwrap(), "( [ =a { =b =c } ] )");
    assert_eq!(events("a:\n- x\n").unwrap(), "( { =a [ =x ] } )");
}

#[test]
fn yaml_1_1_line_breaks_end_comments_and_lines() {
    assert_eq!(
        events("# h\u{2028}a: 1\nb: 2\n").unwrap(),
        "( { =a =1 =b =2 } )"
    );
    assert_eq!(events("a: 1\u{85}b: 2").unwrap(), "( { =a =1 =b =2 } )");
    assert_eq!(events("a: 1\rb: 2\r").unwrap(), "( { =a =1 =b =2 } )");
}

#[test]
fn tabs_are_blanks_only_where_no_simple_key_may_start() {
    assert_eq!(events("a:\tb\n").unwrap(), "( { =a =b } )");
    assert!(events("a:\n\tb: 1\n").is_err());
}

#[test]
fn tags_take_uri_characters_including_comma_and_brackets() {
    assert_eq!(events("a: [!t, x]\n").unwrap(), "( { =a [ <!t,>=x ] } )");
    assert_eq!(
        events("a: !!%73tr 1\n").unwrap(),
        "( { =a <tag:yaml.org,2002:str>=1 } )"
    );
}

#[test]
fn escapes_of_yaml_1_1_and_single_quote() {
    assert_eq!(events("a: \"it\\'s\"\n").unwrap(), "( { =a 'it's } )");
    assert!(events("a: \"\\/\"\n").is_err());
}

#[test]
fn control_characters_refuse_the_document() {
    assert!(events("a: \"\u{1}\"\n").is_err());
    assert!(events("a: b\u{0}\n").is_err());
}

#[test]
fn a_simple_key_is_limited_to_1024_characters() {
    let long = format!("{}: 1\n", "a".repeat(1100));
    assert!(events(&long).is_err());
    let ok = format!("{}: 1\n", "a".repeat(1000));
    assert!(events(&ok).is_ok());
}

#[test]
fn a_nul_inside_a_token_ends_in_an_error_not_a_hang() {
    // Regression (differential fuzzing): a NUL read as the end of input stalled the quoted
    // scalar loop.
    for text in [
        "a: \"x\u{0}y\"\n",
        "a: 'x\u{0}\n",
        "a: [x\u{0}\n",
        "a: |\n  \u{0}\n",
        "\u{0}",
    ] {
        assert!(events(text).is_err(), "{text:?}");
    }
}

#[test]
fn deep_nesting_fails_closed_without_recursion() {
    let deep = "[".repeat(200_000);
    let e = events(&deep).unwrap_err();
    assert!(e.contains("nesting"), "{e}");
}
