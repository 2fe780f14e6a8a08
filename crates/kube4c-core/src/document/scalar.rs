//! Scalar resolution as Kubernetes does it: `sigs.k8s.io/yaml` over `gopkg.in/yaml.v2`
//! (`resolve.go`), then conversion to JSON. Quoted scalars are strings; plain scalars follow the
//! YAML 1.1 tables (booleans `y`/`yes`/`on`…, Go `ParseInt(s, 0)` integers with `_` removed,
//! YAML-style floats, `.inf`/`.nan`). The core tags `!!str`, `!!int`, `!!bool`, `!!float`,
//! `!!null` steer the reading; any other tag leaves the text as a string.

/// The value of a scalar once read the way the API server reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    /// Integers above `i64::MAX` that still fit in `u64`.
    UInt(u64),
    Float(f64),
    /// The text itself is the value.
    Str,
    /// The merge key `<<`.
    Merge,
}

/// Which core tag, if any, was written on the scalar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoreTag {
    None,
    Str,
    Int,
    Bool,
    Float,
    Null,
    Binary,
    Merge,
    Timestamp,
    /// A tag that yaml.v2 does not resolve (`!foo`, `!!map` on a scalar…): the value is text.
    Other,
}

impl CoreTag {
    pub fn from_suffix(core_suffix: Option<&str>) -> CoreTag {
        match core_suffix {
            None => CoreTag::Other,
            Some("str") => CoreTag::Str,
            Some("int") => CoreTag::Int,
            Some("bool") => CoreTag::Bool,
            Some("float") => CoreTag::Float,
            Some("null") => CoreTag::Null,
            Some("binary") => CoreTag::Binary,
            Some("merge") => CoreTag::Merge,
            Some("timestamp") => CoreTag::Timestamp,
            Some(_) => CoreTag::Other,
        }
    }
}

/// Why a tagged scalar could not be read (yaml.v2: "cannot decode !!str `x` as a !!int").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagMismatch {
    pub found: &'static str,
    pub wanted: &'static str,
}

/// Resolve one scalar. `quoted` is true for single-, double-quoted and block scalars (yaml.v2
/// treats every non-plain scalar as `!!str` unless a tag says otherwise).
pub fn resolve(text: &str, quoted: bool, tag: CoreTag) -> Result<Resolved, TagMismatch> {
    let (tag_name, resolved) = match tag {
        CoreTag::None if quoted => return Ok(Resolved::Str),
        CoreTag::None => return Ok(resolve_plain(text)),
        // `!!merge` on anything but `<<` (handled by the caller) is not resolved: a string.
        CoreTag::Str | CoreTag::Binary | CoreTag::Merge | CoreTag::Other => {
            return Ok(Resolved::Str)
        }
        CoreTag::Int => ("!!int", resolve_plain(text)),
        CoreTag::Bool => ("!!bool", resolve_plain(text)),
        CoreTag::Float => ("!!float", resolve_plain(text)),
        CoreTag::Null => ("!!null", resolve_plain(text)),
        CoreTag::Timestamp => {
            if looks_like_timestamp(text) {
                return Ok(Resolved::Str);
            }
            ("!!timestamp", resolve_plain(text))
        }
    };
    let found = kind_name(resolved);
    match (tag, resolved) {
        (CoreTag::Int, Resolved::Int(_) | Resolved::UInt(_))
        | (CoreTag::Bool, Resolved::Bool(_))
        | (CoreTag::Float, Resolved::Float(_))
        | (CoreTag::Null, Resolved::Null) => Ok(resolved),
        (CoreTag::Float, Resolved::Int(i)) => Ok(Resolved::Float(i as f64)),
        (CoreTag::Float, Resolved::UInt(u)) => Ok(Resolved::Float(u as f64)),
        _ => Err(TagMismatch {
            found,
            wanted: tag_name,
        }),
    }
}

fn kind_name(r: Resolved) -> &'static str {
    match r {
        Resolved::Null => "!!null",
        Resolved::Bool(_) => "!!bool",
        Resolved::Int(_) | Resolved::UInt(_) => "!!int",
        Resolved::Float(_) => "!!float",
        Resolved::Str => "!!str",
        Resolved::Merge => "!!merge",
    }
}

/// yaml.v2 `resolve("", text)` for a plain scalar.
pub fn resolve_plain(text: &str) -> Resolved {
    let Some(&first) = text.as_bytes().first() else {
        return Resolved::Null;
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => {
            resolve_word(text).unwrap_or(Resolved::Str)
        }
        b'.' => {
            if let Some(r) = resolve_word(text) {
                return r;
            }
            match parse_go_float(text) {
                Some(f) => Resolved::Float(f),
                None => Resolved::Str,
            }
        }
        b'+' | b'-' | b'0'..=b'9' => {
            if let Some(r) = resolve_word(text) {
                return r;
            }
            if looks_like_timestamp(text) {
                // yaml.v2 keeps timestamps as strings when decoding into interface{}.
                return Resolved::Str;
            }
            resolve_number(text)
        }
        b'<' if text == "<<" => Resolved::Merge,
        _ => Resolved::Str,
    }
}

fn resolve_word(text: &str) -> Option<Resolved> {
    Some(match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Resolved::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Resolved::Bool(false)
        }
        "~" | "null" | "Null" | "NULL" => Resolved::Null,
        ".nan" | ".NaN" | ".NAN" => Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Resolved::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Resolved::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

fn resolve_number(text: &str) -> Resolved {
    let plain: std::borrow::Cow<str> = if text.contains('_') {
        text.replace('_', "").into()
    } else {
        text.into()
    };
    if let Some(i) = go_parse_int(&plain) {
        return Resolved::Int(i);
    }
    if let Some(u) = go_parse_uint(&plain) {
        return Resolved::UInt(u);
    }
    if is_yaml_style_float(&plain) {
        if let Some(f) = parse_go_float(&plain) {
            return Resolved::Float(f);
        }
    }
    if let Some(rest) = plain.strip_prefix("-0b") {
        if let Some(v) = parse_digits(rest, 2) {
            if v <= i64::MAX as u64 + 1 {
                return Resolved::Int((v as i64).wrapping_neg());
            }
        }
    }
    Resolved::Str
}

/// Split a Go integer literal (after the sign) into radix and digits, as `ParseInt(s, 0, 64)`.
fn go_radix(s: &str) -> (u32, &str) {
    let b = s.as_bytes();
    if b.len() >= 2 && b[0] == b'0' {
        match b[1] {
            b'x' | b'X' => return (16, &s[2..]),
            b'o' | b'O' => return (8, &s[2..]),
            b'b' | b'B' => return (2, &s[2..]),
            _ => return (8, &s[1..]),
        }
    }
    (10, s)
}

fn parse_digits(digits: &str, radix: u32) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix)?;
        v = v.checked_mul(radix as u64)?.checked_add(d as u64)?;
    }
    Some(v)
}

fn go_parse_uint(s: &str) -> Option<u64> {
    if s.starts_with('+') || s.starts_with('-') {
        return None;
    }
    let (radix, digits) = go_radix(s);
    if radix == 8 && digits.is_empty() && s == "0" {
        return Some(0);
    }
    parse_digits(digits, radix)
}

fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first()? {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(0);
    }
    let (radix, digits) = go_radix(rest);
    let v = parse_digits(digits, radix)?;
    if neg {
        if v <= i64::MAX as u64 + 1 {
            Some((v as i64).wrapping_neg())
        } else {
            None
        }
    } else {
        i64::try_from(v).ok()
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseFloat` for the decimal forms that reach it here. Hex floats, `inf` and
/// `infinity` spelled without the YAML dot are also accepted by Go after a leading `.`-free
/// sign, but only the `.`-hint path can reach ParseFloat with non-regex input, and there Go
/// accepts only decimal floats starting with `.`.
fn parse_go_float(s: &str) -> Option<f64> {
    if s.is_empty() || s.contains('_') {
        return None;
    }
    if !s
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    // Go reports overflow (±Inf) as an error, and yaml.v2 then keeps the text as a string;
    // underflow is 0 without error.
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// yaml.v2 `parseTimestamp`: exactly four leading digits then `-`, and one of its layouts.
pub fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    // date part: Y-M-D with 1 or 2 digit month and day
    let rest = &s[5..];
    let mut parts = rest.splitn(2, '-');
    let month = parts.next().unwrap_or("");
    let Some(tail) = parts.next() else {
        return false;
    };
    if month.is_empty() || month.len() > 2 || !month.bytes().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let day_len = tail.bytes().take_while(u8::is_ascii_digit).count();
    if day_len == 0 || day_len > 2 {
        return false;
    }
    let m: u32 = month.parse().unwrap_or(0);
    let d: u32 = tail[..day_len].parse().unwrap_or(0);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return false;
    }
    let time = &tail[day_len..];
    if time.is_empty() {
        return true;
    }
    // "T15:4:5…Z07:00", "t…", or " 15:4:5.999" (no zone). The separator may be any
    // character in hostile input: split on a char, not a byte.
    let mut chars = time.chars();
    let sep = chars.next();
    let t = chars.as_str();
    match sep {
        Some('T' | 't') => is_clock(t, true),
        Some(' ') => is_clock(t, false),
        _ => false,
    }
}

fn is_clock(t: &str, zone: bool) -> bool {
    let b = t.as_bytes();
    let mut i = 0;
    for field in 0..3 {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 2 {
            return false;
        }
        if field < 2 {
            if i >= b.len() || b[i] != b':' {
                return false;
            }
            i += 1;
        }
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 9 {
            return false;
        }
    }
    let rest = &t[i..];
    if !zone {
        return rest.is_empty();
    }
    if rest == "Z" {
        return true;
    }
    let rb = rest.as_bytes();
    rb.len() == 6
        && (rb[0] == b'+' || rb[0] == b'-')
        && rb[1].is_ascii_digit()
        && rb[2].is_ascii_digit()
        && rb[3] == b':'
        && rb[4].is_ascii_digit()
        && rb[5].is_ascii_digit()
}

/// The JSON object key sigs.k8s.io/yaml produces for a scalar key.
pub fn json_key(text: &str, resolved: Resolved) -> std::borrow::Cow<'_, str> {
    match resolved {
        Resolved::Str | Resolved::Merge => text.into(),
        Resolved::Null => "null".into(),
        Resolved::Bool(b) => (if b { "true" } else { "false" }).into(),
        Resolved::Int(i) => i.to_string().into(),
        Resolved::UInt(u) => u.to_string().into(),
        Resolved::Float(f) => format_float_key(f).into(),
    }
}

fn format_float_key(f: f64) -> String {
    // sigs.k8s.io/yaml formats the key as a float32: a float64 beyond its range is infinite.
    let v = f as f32;
    if v.is_nan() {
        return ".nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    // strconv.FormatFloat(f, 'g', -1, 32): the shortest float32 digits; %e when the decimal
    // exponent of those digits is below -4 or at least 6 (Go's rule for the shortest 'g').
    let e = format!("{v:e}");
    let exp: i32 = e
        .split_once('e')
        .and_then(|(_, x)| x.parse().ok())
        .unwrap_or(0);
    if v != 0.0 && !(-4..6).contains(&exp) {
        if let Some((m, x)) = e.split_once('e') {
            // Go prints e+06 style exponents
            let (sign, digits) = match x.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', x),
            };
            return format!("{m}e{sign}{digits:0>2}");
        }
        e
    } else {
        format!("{v}")
    }
}

/// Go's `base64.StdEncoding.DecodeString`, as yaml.v2 applies it to `!!binary` scalars: the
/// standard alphabet with `=` padding; line feeds and carriage returns are skipped, anything
/// else outside the alphabet is an error.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut vals: Vec<u8> = Vec::with_capacity(text.len());
    let mut pad = 0;
    for b in text.bytes() {
        let v = match b {
            b'\r' | b'\n' => continue,
            b'=' => {
                pad += 1;
                continue;
            }
            _ if pad > 0 => return None,
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        vals.push(v);
    }
    if (vals.len() + pad) % 4 != 0 || pad > 2 || (pad > 0 && (vals.len() % 4) + pad != 4) {
        return None;
    }
    let mut out = Vec::with_capacity(vals.len() * 3 / 4);
    for chunk in vals.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &v)| acc | (v as u32) << (18 - 6 * i));
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml11_booleans() {
        for t in [
            "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE",
        ] {
            assert_eq!(resolve_plain(t), Resolved::Bool(true), "{t}");
        }
        for t in [
            "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE",
        ] {
            assert_eq!(resolve_plain(t), Resolved::Bool(false), "{t}");
        }
        for t in ["yEs", "tRUE", "Y2", "nope"] {
            assert_eq!(resolve_plain(t), Resolved::Str, "{t}");
        }
    }

    #[test]
    fn go_integers() {
        assert_eq!(resolve_plain("0777"), Resolved::Int(511));
        assert_eq!(resolve_plain("0x1F"), Resolved::Int(31));
        assert_eq!(resolve_plain("0b101"), Resolved::Int(5));
        assert_eq!(resolve_plain("0o17"), Resolved::Int(15));
        assert_eq!(resolve_plain("1_000"), Resolved::Int(1000));
        assert_eq!(resolve_plain("-0b11"), Resolved::Int(-3));
        assert_eq!(resolve_plain("+12"), Resolved::Int(12));
        assert_eq!(resolve_plain("0"), Resolved::Int(0));
        assert_eq!(resolve_plain("-0"), Resolved::Int(0));
        assert_eq!(resolve_plain("08"), Resolved::Float(8.0));
        assert_eq!(
            resolve_plain("18446744073709551615"),
            Resolved::UInt(u64::MAX)
        );
        assert_eq!(resolve_plain("1e3"), Resolved::Float(1000.0));
        assert_eq!(resolve_plain("0x"), Resolved::Str);
        assert_eq!(resolve_plain("12abc"), Resolved::Str);
    }

    #[test]
    fn nulls_floats_and_timestamps() {
        for t in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(resolve_plain(t), Resolved::Null, "{t}");
        }
        assert!(matches!(resolve_plain(".inf"), Resolved::Float(f) if f.is_infinite()));
        assert!(matches!(resolve_plain(".nan"), Resolved::Float(f) if f.is_nan()));
        assert_eq!(resolve_plain(".5"), Resolved::Float(0.5));
        assert_eq!(resolve_plain("2001-12-14"), Resolved::Str);
        assert_eq!(resolve_plain("2001-12-14T21:59:43.10Z"), Resolved::Str);
        assert_eq!(resolve_plain("1.10"), Resolved::Float(1.1));
        // Found by fuzzing: a multi-byte character right after the date.
        assert_eq!(resolve_plain("2001-12-14\u{fffd}21:59:43"), Resolved::Str);
    }

    #[test]
    fn tags() {
        assert_eq!(resolve("yes", false, CoreTag::Str), Ok(Resolved::Str));
        assert_eq!(resolve("12", true, CoreTag::Int), Ok(Resolved::Int(12)));
        assert_eq!(
            resolve("yes", true, CoreTag::Bool),
            Ok(Resolved::Bool(true))
        );
        assert_eq!(
            resolve("1", false, CoreTag::Float),
            Ok(Resolved::Float(1.0))
        );
        assert!(resolve("abc", false, CoreTag::Int).is_err());
        assert_eq!(resolve("true", false, CoreTag::Other), Ok(Resolved::Str));
        assert_eq!(resolve("true", true, CoreTag::None), Ok(Resolved::Str));
    }

    #[test]
    fn keys_become_json_strings() {
        assert_eq!(json_key("y", resolve_plain("y")), "true");
        assert_eq!(json_key("0x10", resolve_plain("0x10")), "16");
        assert_eq!(json_key("1.5", resolve_plain("1.5")), "1.5");
    }
}
