//! The worker's result as a change to the last one it sent.
//!
//! A keystroke changes a few findings; the others only move. Sending every finding again cost
//! most of a keystroke on the page: 754 KB of JSON built in wasm, posted and parsed for 1,161
//! findings, when one part of the text changed. A [`Delta`] sends the findings that are new
//! and says how the others moved:
//!
//! ```text
//! {"gen":7,"base":6,"old":1161,"prefix":20,"suffix":1138,"moves":[[46,0,0,0,0,0,0,0,0],[2,0,1,0,1,1,1,1,1],…]}
//! {…the report without its findings…}
//! [ …the new findings, 500 a line… ]
//! ```
//!
//! The findings are `old[..prefix]`, then the new ones, then the last `suffix` of `old`.
//! `moves` runs over the places of the kept findings (prefix, then suffix; each finding's
//! places in [`FindingOut::places`] order): `[n, Δline, Δcolumn, ΔendLine, ΔendColumn,
//! Δstart, Δend, Δfrom, Δto]` moves the next `n` places. `base` is `null` when every finding
//! is sent (the first result, or after [`Sent`] was dropped): then `old`, `prefix` and
//! `suffix` are 0. The page applies it in `web/src/checker.ts` (`readResult`).
//!
//! Kept means [`Finding::same_but_places`]: equal in everything the page shows but positions.
//! Findings are sorted by where they start, so an edit keeps a prefix and a suffix and
//! changes what is between.
//!
//! [`FindingOut::places`]: kube4c_core::output::FindingOut::places

use kube4c_core::document::incremental::common_ends;
use kube4c_core::output::{places_of, FileReport, Location};
use kube4c_core::position::LineIndex;
use kube4c_core::report::Finding;
use kube4c_core::Report;

/// Findings per line of the result.
pub const PAGE: usize = 500;

/// What the page holds: the last result sent, as findings and their resolved places.
pub struct Sent {
    /// Its number, which the next delta names as its `base`.
    pub gen: u32,
    findings: Vec<Finding>,
    /// The places of every finding, one after another.
    places: Vec<Location>,
    /// Where each finding's places start in `places` (one more entry: the end).
    starts: Vec<usize>,
}

impl Sent {
    fn places(&self, i: usize) -> &[Location] {
        &self.places[self.starts[i]..self.starts[i + 1]]
    }
}

/// The result of `report` over the text `idx` indexes as a change to `prev` (everything,
/// without one), and what the page holds after reading it.
pub fn delta(prev: Option<&Sent>, gen: u32, idx: &LineIndex, report: Report) -> (String, Sent) {
    let new = &report.findings;
    let mut places = Vec::with_capacity(new.len() * 2);
    let mut starts = Vec::with_capacity(new.len() + 1);
    for f in new {
        starts.push(places.len());
        places_of(idx, &[], f, &mut places);
    }
    starts.push(places.len());
    let sent = Sent {
        gen,
        findings: Vec::new(),
        places,
        starts,
    };

    let (prefix, suffix) = match prev {
        // Kept: a prefix and a suffix of the findings, which are sorted by where they start.
        Some(p) => common_ends(&p.findings, new, Finding::same_but_places),
        None => (0, 0),
    };
    let mut moves = Moves::default();
    if let Some(p) = prev {
        let old = p.findings.len();
        let kept = (0..prefix)
            .map(|i| (i, i))
            .chain((1..=suffix).rev().map(|k| (old - k, new.len() - k)));
        for (o, n) in kept {
            for (a, b) in p.places(o).iter().zip(sent.places(n)) {
                moves.push(a, b);
            }
        }
    }

    let mut file = FileReport::new(&report, idx);
    let findings = file.findings;
    file.findings = findings.none();
    let mut out = String::with_capacity(256);
    out.push_str(&format!("{{\"gen\":{gen},\"base\":"));
    match prev {
        Some(p) => out.push_str(&format!(
            "{},\"old\":{},\"prefix\":{prefix},\"suffix\":{suffix},\"moves\":",
            p.gen,
            p.findings.len()
        )),
        None => out.push_str("null,\"old\":0,\"prefix\":0,\"suffix\":0,\"moves\":"),
    }
    out.push_str(&serde_json::to_string(&moves.runs).unwrap_or_default());
    out.push_str("}\n");
    out.push_str(&serde_json::to_string(&file).unwrap_or_default());
    for page in findings.range(prefix, new.len() - suffix).pages(PAGE) {
        out.push('\n');
        out.push_str(&serde_json::to_string(&page).unwrap_or_default());
    }
    let sent = Sent {
        findings: report.findings,
        ..sent
    };
    (out, sent)
}

/// Run-length encoded moves of places.
#[derive(Default)]
struct Moves {
    runs: Vec<[i64; 9]>,
}

impl Moves {
    fn push(&mut self, a: &Location, b: &Location) {
        let d = |x: u32, y: u32| i64::from(y) - i64::from(x);
        let step = [
            d(a.line, b.line),
            d(a.column, b.column),
            d(a.end_line, b.end_line),
            d(a.end_column, b.end_column),
            d(a.start, b.start),
            d(a.end, b.end),
            d(a.from, b.from),
            d(a.to, b.to),
        ];
        match self.runs.last_mut() {
            Some(run) if run[1..] == step => run[0] += 1,
            _ => {
                let mut run = [1; 9];
                run[1..].copy_from_slice(&step);
                self.runs.push(run);
            }
        }
    }
}

/// A reader of results in Rust, as the page reads them (`web/src/checker.ts`): what it holds
/// is the last result whole, as JSON. Tests check that the page's reading of every delta
/// equals a fresh check.
#[derive(Debug, Clone, Default)]
pub struct Held {
    pub gen: u32,
    /// The last result: the report with every finding.
    pub report: serde_json::Value,
}

/// The field names of a place, in the order of `moves`' deltas.
const PLACE: [&str; 8] = [
    "line",
    "column",
    "endLine",
    "endColumn",
    "start",
    "end",
    "from",
    "to",
];

/// Read a result given what was held before it; an error when it is a change to another
/// result than the one held.
pub fn read(held: Option<&Held>, text: &str) -> Result<Held, String> {
    use serde_json::Value;
    let mut lines = text.split('\n');
    let head: Value =
        serde_json::from_str(lines.next().ok_or("no head")?).map_err(|e| e.to_string())?;
    let mut report: Value =
        serde_json::from_str(lines.next().ok_or("no report")?).map_err(|e| e.to_string())?;
    let mut added = Vec::new();
    for page in lines {
        let page: Vec<Value> = serde_json::from_str(page).map_err(|e| e.to_string())?;
        added.extend(page);
    }
    let num = |k: &str| {
        head[k]
            .as_u64()
            .map(|n| n as usize)
            .ok_or(format!("no {k}"))
    };
    let mut findings = Vec::new();
    if !head["base"].is_null() {
        let held = held.ok_or("a change, and nothing held")?;
        let old = held.report["findings"]
            .as_array()
            .ok_or("held: no findings")?;
        if head["base"].as_u64() != Some(u64::from(held.gen)) || num("old")? != old.len() {
            return Err("a change to another result".into());
        }
        let (prefix, suffix) = (num("prefix")?, num("suffix")?);
        let mut kept: Vec<Value> = old[..prefix].to_vec();
        kept.extend_from_slice(&old[old.len() - suffix..]);
        let mut runs = head["moves"].as_array().ok_or("no moves")?.iter();
        let mut run: Option<(u64, Vec<i64>)> = None;
        let mut step = |place: &mut Value| -> Result<(), String> {
            if run.as_ref().is_none_or(|(n, _)| *n == 0) {
                let r = runs.next().ok_or("moves end early")?;
                let r: Vec<i64> = r
                    .as_array()
                    .ok_or("a move")?
                    .iter()
                    .map(|x| x.as_i64().unwrap_or(0))
                    .collect();
                run = Some((r[0] as u64, r[1..].to_vec()));
            }
            let (n, d) = run.as_mut().ok_or("no run")?;
            *n -= 1;
            for (k, dk) in PLACE.iter().zip(d.iter()) {
                let v = place[*k].as_i64().ok_or("a place without its numbers")?;
                place[*k] = Value::from(v + dk);
            }
            Ok(())
        };
        for f in &mut kept {
            step(f)?;
            for r in f
                .get_mut("related")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                step(r)?;
            }
            // (Indexing a null with `[]` for writing would make it an object.)
            if let Some(edits) = f
                .get_mut("fix")
                .and_then(|x| x.get_mut("edits"))
                .and_then(Value::as_array_mut)
            {
                for e in edits {
                    step(e)?;
                }
            }
            if let Some(s) = f.get_mut("suppressed").filter(|s| !s.is_null()) {
                step(s)?;
            }
        }
        findings.extend(kept.drain(..prefix));
        findings.append(&mut added);
        findings.append(&mut kept);
    } else {
        findings = added;
    }
    report["findings"] = Value::Array(findings);
    Ok(Held {
        gen: num("gen")? as u32,
        report,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube4c_core::{Options, Profile};

    const EXAMPLE: &str = include_str!("../../../examples/task-api-insecure.yaml");

    /// Deterministic numbers below `n` (xorshift).
    fn numbers(mut seed: u64) -> impl FnMut(usize) -> usize {
        move |n| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n.max(1) as u64) as usize
        }
    }

    fn fresh(text: &str, options: &Options) -> (serde_json::Value, usize) {
        let json = crate::check_to_json(text, options);
        (serde_json::from_str(&json).unwrap(), json.len())
    }

    /// Edit after edit, reading each delta as the page does gives a fresh check's result.
    #[test]
    fn deltas_read_as_fresh_checks() {
        let mut session = crate::Session::new();
        let mut text = format!("{EXAMPLE}---\n{EXAMPLE}---\n{EXAMPLE}");
        let mut held: Option<Held> = None;
        let mut rand = numbers(0x2545_f491_u64);
        let inserts = [
            "x",
            "\n",
            "---\n",
            "  ",
            "# kube4c-ignore container/privileged: test\n",
            "é😀",
            "privileged: true\n",
            ": ",
            "-",
        ];
        let (mut small, mut whole) = (0, 0);
        for i in 0..300 {
            let options = match i % 50 {
                49 => Options::profile(Profile::parse("all").unwrap()),
                _ => Options::default(),
            };
            let mut at = rand(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            if rand(3) == 0 && at < text.len() {
                let mut to = (at + 1 + rand(40)).min(text.len());
                while !text.is_char_boundary(to) {
                    to += 1;
                }
                text.replace_range(at..to, "");
            } else {
                text.insert_str(at, inserts[rand(inserts.len())]);
            }
            session.set_text(text.clone());
            let out = session.check_delta(&options);
            let read = read(held.as_ref(), &out).unwrap_or_else(|e| panic!("edit {i}: {e}"));
            let (want, size) = fresh(&text, &options);
            whole += size;
            if read.report != want {
                let (a, b) = (&read.report["findings"], &want["findings"]);
                let n = a.as_array().unwrap().len().min(b.as_array().unwrap().len());
                let first = (0..n).find(|&k| a[k] != b[k]);
                panic!(
                    "edit {i}: read {} findings, want {}; first difference at {first:?}: {} != {}",
                    a.as_array().unwrap().len(),
                    b.as_array().unwrap().len(),
                    first.map_or(String::new(), |k| a[k].to_string()),
                    first.map_or(String::new(), |k| b[k].to_string()),
                );
            }
            small += out.len();
            held = Some(read);
        }
        // Even with edits that add and remove documents (which renumbers the objects after
        // them, so their findings are sent again), deltas are smaller than whole results.
        assert!(
            small * 2 < whole,
            "{small} bytes of deltas for {whole} bytes of results"
        );
    }

    /// The page's path: edits cross as UTF-16 operations (one or two replacements, sometimes
    /// two edits before a check), the session splits only around them, and each delta reads
    /// into a fresh check's result.
    #[test]
    fn edits_then_deltas_read_as_fresh_checks() {
        let mut session = crate::Session::new();
        let mut text = format!("{EXAMPLE}---\n{EXAMPLE}---\n{EXAMPLE}");
        session.set_text(text.clone());
        let opts = Options::default();
        let mut held = read(None, &session.check_delta(&opts)).unwrap();
        let mut rand = numbers(0x9e37_79b9_u64);
        let inserts = [
            "x", "\n", "---\n", "  ", "é😀", "- a\n", ": ", "", "\u{FEFF}", "---x\n",
        ];
        let units = |t: &str, b: usize| t[..b].encode_utf16().count() as u32;
        for i in 0..250 {
            for _ in 0..1 + usize::from(i % 7 == 0) {
                // Up to two replacements, in order, each on char boundaries.
                let mut cuts: Vec<usize> = (0..4).map(|_| rand(text.len() + 1)).collect();
                cuts.sort();
                for c in &mut cuts {
                    while !text.is_char_boundary(*c) {
                        *c -= 1;
                    }
                }
                let n = 1 + rand(2);
                let (mut ops, mut texts, mut out, mut at) =
                    (Vec::new(), Vec::new(), String::new(), 0);
                for k in 0..n {
                    let (a, b) = (
                        cuts[2 * k],
                        cuts[2 * k].max(cuts[2 * k + 1].min(cuts[2 * k] + 30)),
                    );
                    let mut b = b;
                    while !text.is_char_boundary(b) {
                        b -= 1;
                    }
                    let ins = inserts[rand(inserts.len())];
                    ops.extend([
                        0,
                        units(&text, a) - units(&text, at),
                        1,
                        units(&text, b) - units(&text, a),
                    ]);
                    texts.push(ins.to_string());
                    out.push_str(&text[at..a]);
                    out.push_str(ins);
                    at = b;
                }
                ops.extend([0, units(&text, text.len()) - units(&text, at)]);
                out.push_str(&text[at..]);
                session.edit(&ops, texts).unwrap();
                text = out;
            }
            let delta = session.check_delta(&opts);
            held = read(Some(&held), &delta).unwrap_or_else(|e| panic!("edit {i}: {e}"));
            assert!(
                held.report == fresh(&text, &opts).0,
                "edit {i}: differs from a fresh check of\n{text}"
            );
        }
    }

    /// Typing in one object of a long text sends that object's findings and a few moves.
    #[test]
    fn typing_sends_little() {
        let mut session = crate::Session::new();
        let mut text = [EXAMPLE; 12].join("---\n");
        session.set_text(text.clone());
        let opts = Options::default();
        let mut held = read(None, &session.check_delta(&opts)).unwrap();
        let whole = crate::check_to_json(&text, &opts).len();
        let mut at = text.len() / 2;
        at = text[at..].find(": ").map_or(at, |n| at + n + 2);
        for (i, key) in "x\u{8}yz\u{8}\u{8}\n\u{8}".chars().enumerate() {
            if key == '\u{8}' {
                at -= 1;
                text.remove(at);
            } else {
                text.insert(at, key);
                at += 1;
            }
            session.set_text(text.clone());
            let out = session.check_delta(&opts);
            held = read(Some(&held), &out).unwrap();
            assert_eq!(held.report, fresh(&text, &opts).0, "key {i}");
            assert!(
                out.len() * 20 < whole,
                "key {i}: {} of {whole} bytes",
                out.len()
            );
        }
    }

    /// A delta to another result than the one held is refused; `forget` sends everything.
    #[test]
    fn a_delta_names_its_base() {
        let mut session = crate::Session::new();
        session.set_text(EXAMPLE.to_string());
        let first = read(None, &session.check_delta(&Options::default())).unwrap();
        let second = session.check_delta(&Options::default());
        assert!(read(None, &second).is_err());
        let stale = Held {
            gen: first.gen + 7,
            ..first.clone()
        };
        assert!(read(Some(&stale), &second).is_err());
        let second = read(Some(&first), &second).unwrap();
        // Nothing changed: nothing is sent again.
        assert_eq!(second.report, first.report);
        session.forget();
        let third = session.check_delta(&Options::default());
        assert!(third.starts_with(&format!("{{\"gen\":{},\"base\":null", second.gen + 1)));
        assert_eq!(read(None, &third).unwrap().report, first.report);
        assert_eq!(first.report, fresh(EXAMPLE, &Options::default()).0);
    }
}
