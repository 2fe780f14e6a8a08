//! Byte offsets -> 1-based line and 1-based column in UTF-16 code units (SARIF's default and
//! what editors count), and -> UTF-16 offsets for JavaScript strings.

use crate::document::incremental::Unchanged;

/// Line starts of one text, with the UTF-16 offset of each line start.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of every line start.
    starts: Vec<u32>,
    /// UTF-16 offset of every line start.
    starts16: Vec<u32>,
}

/// The line starts of a text, owned ([`LineIndex::into_lines`]): what a session keeps of the
/// last text it checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines {
    starts: Vec<u32>,
    starts16: Vec<u32>,
}

impl Lines {
    /// The byte offset of UTF-16 offset `at16` in `text`, the text these are the line starts
    /// of: found from its line's start, not by walking the text from its beginning. `None`
    /// past the end or inside a character.
    pub fn byte_at(&self, text: &str, at16: usize) -> Option<usize> {
        let starts16 = if self.starts16.is_empty() {
            &self.starts
        } else {
            &self.starts16
        };
        let line = starts16
            .partition_point(|&x| x as usize <= at16)
            .checked_sub(1)?;
        let (byte, unit) = (*self.starts.get(line)? as usize, starts16[line] as usize);
        utf16_advance(text, byte, at16 - unit)
    }
}

/// The byte offset `units` UTF-16 units after byte offset `from` (a char boundary), if the
/// text has them and they end on a char boundary. ASCII runs are skipped 4 KB at a time.
pub fn utf16_advance(text: &str, from: usize, units: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut at, mut left) = (from, units);
    while left > 0 {
        let chunk = left.min(4096);
        if bytes.get(at..at + chunk).is_some_and(<[u8]>::is_ascii) {
            at += chunk;
            left -= chunk;
            continue;
        }
        let mut walked = 0;
        for c in text.get(at..)?.chars() {
            if walked >= chunk {
                break;
            }
            let u = c.len_utf16();
            if u > left {
                return None;
            }
            left -= u;
            walked += u;
            at += c.len_utf8();
        }
        if walked == 0 {
            return None;
        }
    }
    Some(at)
}

/// A resolved position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column in UTF-16 code units.
    pub column: u32,
    /// Offset from the start of the text in UTF-16 code units.
    pub offset16: u32,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        // Bytes, not chars: a newline byte is always a newline. Eight bytes at a time; only a
        // word that holds a newline or a non-ASCII byte is looked at byte by byte (a 5.66 MB
        // manifest takes about a millisecond). The UTF-16 offset of a line start is its byte
        // offset less the bytes that are not UTF-16 units: each continuation byte, less one
        // per 4-byte sequence (a surrogate pair counts two units).
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        let mut starts16 = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(0u32);
        starts16.push(0u32);
        let mut extra = 0u32;
        let mut at = 0u32;
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let w8 = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            if w8 & 0x8080_8080_8080_8080 != 0 {
                for (k, &b) in w.iter().enumerate() {
                    line_byte(at + k as u32, b, &mut extra, &mut starts, &mut starts16);
                }
            } else {
                let mut m = zero_bytes(w8 ^ NEWLINES);
                while m != 0 {
                    let k = at + m.trailing_zeros() / 8 + 1;
                    starts.push(k);
                    starts16.push(k.wrapping_sub(extra));
                    m &= m - 1;
                }
            }
            at += 8;
        }
        for (k, &b) in words.remainder().iter().enumerate() {
            line_byte(at + k as u32, b, &mut extra, &mut starts, &mut starts16);
        }
        LineIndex::of(text, starts, starts16)
    }

    fn of(text: &'a str, starts: Vec<u32>, mut starts16: Vec<u32>) -> Self {
        if starts16.last() == starts.last() {
            // ASCII up to the last line start: UTF-16 offsets are byte offsets there.
            starts16 = Vec::new();
        }
        LineIndex {
            text,
            starts,
            starts16,
        }
    }

    /// Its line starts, owned, to be kept for [`LineIndex::edited`].
    pub fn into_lines(self) -> Lines {
        Lines {
            starts: self.starts,
            starts16: self.starts16,
        }
    }

    /// The index of `text`, an edit that left `same` alone of a text of `old_len` bytes whose
    /// line starts were `old`: the starts before the edit are kept, those after it moved, and
    /// only the text between is scanned. Equal to [`LineIndex::new`] (a test holds them equal
    /// after random edits).
    pub fn edited(text: &'a str, old: Lines, old_len: usize, same: Unchanged) -> Self {
        let Some((prefix, old_end, new_end)) = same.range(old_len, text.len()) else {
            return LineIndex::new(text);
        };
        if old.starts.first() != Some(&0) {
            return LineIndex::new(text);
        }
        let Lines {
            mut starts,
            mut starts16,
        } = old;
        // Lines that start at or before the prefix's end are unchanged; `j` is the first line
        // after the edit that starts in the suffix. Both are moved in place (a keystroke in a
        // 150,000-line text shifts the starts after it, without copying them out and back).
        let keep = starts.partition_point(|&x| x as usize <= prefix).max(1);
        let j = starts.partition_point(|&x| (x as usize) < old_end + 1);
        let bytes = text.as_bytes();
        // New lines in the changed text (a line starts after each newline byte in it).
        let mut middle = Vec::new();
        let mut k = prefix;
        while let Some(nl) = find_byte(bytes, k, b'\n').filter(|&nl| nl < new_end) {
            middle.push(nl as u32 + 1);
            k = nl + 1;
        }
        let by = new_end as i64 - old_end as i64;
        let moved = starts.get(j).map(|&x| (x as i64 + by) as u32);
        // UTF-16 offsets (none kept while every line start so far is ASCII-only before it),
        // counted from the last unchanged line start over the changed lines.
        let at16 = |i: usize, starts: &[u32], starts16: &[u32]| {
            starts16.get(i).copied().unwrap_or(starts[i])
        };
        let mut last = (starts[keep - 1], at16(keep - 1, &starts, &starts16));
        let mut next16 = |x: u32| {
            let x16 = last.1 + utf16_len(&bytes[last.0 as usize..x as usize]);
            last = (x, x16);
            x16
        };
        let middle16: Vec<u32> = middle.iter().map(|&x| next16(x)).collect();
        let by16 = moved.map(|x| next16(x) as i64 - at16(j, &starts, &starts16) as i64);
        if !starts16.is_empty() || middle16 != middle || by16.is_some_and(|b| b != by) {
            if starts16.is_empty() {
                starts16 = starts.clone();
            }
            let by16 = by16.unwrap_or(0);
            for x in &mut starts16[j..] {
                *x = (*x as i64 + by16) as u32;
            }
            starts16.splice(keep..j.max(keep), middle16);
        }
        for x in &mut starts[j..] {
            *x = (*x as i64 + by) as u32;
        }
        starts.splice(keep..j.max(keep), middle);
        LineIndex::of(text, starts, starts16)
    }

    /// Position of a byte offset (clamped to the text, snapped back to a char boundary).
    pub fn position(&self, offset: u32) -> Position {
        let mut offset = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.starts.binary_search(&(offset as u32)) {
            Ok(l) => l,
            Err(l) => l - 1,
        };
        let start = self.starts[line] as usize;
        let start16 = self.starts16.get(line).copied().unwrap_or(start as u32);
        // A line whose UTF-16 length is its byte length is ASCII: its columns are bytes. (The
        // scan of the line's start was most of a keystroke's positions, thousands of them.)
        let ascii = match (self.starts.get(line + 1), self.starts16.get(line + 1)) {
            (Some(_), None) => self.starts16.is_empty(),
            (Some(&next), Some(&next16)) => next - start as u32 == next16 - start16,
            (None, _) => false,
        };
        let col16 = if ascii {
            (offset - start) as u32
        } else {
            utf16_len(&self.text.as_bytes()[start..offset])
        };
        Position {
            line: line as u32 + 1,
            column: col16 + 1,
            offset16: start16 + col16,
        }
    }
}

const NEWLINES: u64 = 0x0A0A_0A0A_0A0A_0A0A;

/// One byte of [`LineIndex::new`]'s scan, at offset `k`; `extra` counts the bytes so far that
/// are not UTF-16 units (modulo 2^32: it is one short inside a 4-byte sequence).
fn line_byte(k: u32, b: u8, extra: &mut u32, starts: &mut Vec<u32>, starts16: &mut Vec<u32>) {
    if b == b'\n' {
        starts.push(k + 1);
        starts16.push((k + 1).wrapping_sub(*extra));
    } else if b & 0xC0 == 0x80 {
        *extra = extra.wrapping_add(1);
    } else if b >= 0xF0 {
        *extra = extra.wrapping_sub(1);
    }
}

/// The high bit of each zero byte of `x`, exactly (no carry between bytes).
fn zero_bytes(x: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Whether any byte of the word `w` is `b`.
pub(crate) fn has_byte(w: u64, b: u8) -> bool {
    zero_bytes(w ^ (u64::from(b) * 0x0101_0101_0101_0101)) != 0
}

/// The first `needle` byte at or after `from`, eight bytes at a time.
pub(crate) fn find_byte(b: &[u8], from: usize, needle: u8) -> Option<usize> {
    let rest = b.get(from..)?;
    let mut words = rest.chunks_exact(8);
    let mut at = from;
    for w in &mut words {
        let w8 = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        if has_byte(w8, needle) {
            return w.iter().position(|&c| c == needle).map(|i| at + i);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&c| c == needle)
        .map(|i| at + i)
}

/// The UTF-16 length of whole UTF-8 characters.
fn utf16_len(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .map(|&b| u32::from(b & 0xC0 != 0x80) + u32::from(b >= 0xF0))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index moved over an edit equals a new one, edit after edit (one edit, or two in a
    /// row told as one), with and without characters beyond ASCII.
    #[test]
    fn edited_equals_new() {
        let mut text = String::from("a: 1\nb: é\n\nc: 😀 x\n");
        for _ in 0..6 {
            text = text.clone() + &text;
        }
        let snippets = ["x", "\n", "é", "😀\n", "\n\n", "ab\ncd", "\u{2028}", ""];
        edits_equal_new(text, &snippets, 5);
        // ASCII text (its index keeps no UTF-16 offsets) into which a wide character comes now
        // and then, and goes again.
        let ascii = "a: 1\nb: 2\n\nc: x y\n".repeat(64);
        let snippets = ["x", "\n", "\n\n", "ab\ncd", "", "x", "\n", "é", "😀\n"];
        edits_equal_new(ascii, &snippets, 9);
    }

    fn edits_equal_new(mut text: String, snippets: &[&str], seed: u64) {
        let mut lines = LineIndex::new(&text).into_lines();
        let mut edits = crate::rules::testing::RandomEdits::new(seed);
        for i in 0..600 {
            if i % 50 == 0 && !text.is_ascii() && seed == 9 {
                // Back to ASCII: the wide characters deleted.
                let before = text.clone();
                text = text.replace(|c: char| !c.is_ascii(), "");
                let same = Unchanged::between(&before, &text);
                let edited = LineIndex::edited(&text, lines, before.len(), same);
                let new = LineIndex::new(&text);
                assert_eq!(
                    (&edited.starts, &edited.starts16),
                    (&new.starts, &new.starts16)
                );
                lines = edited.into_lines();
            }
            let before = text.clone();
            edits.apply(&mut text, snippets, 12);
            let mut same = Unchanged::between(&before, &text);
            let old_len = before.len();
            if i % 5 == 0 {
                // Two edits told as one (what the page sends between two checks).
                let middle = text.clone();
                edits.apply(&mut text, snippets, 12);
                same = same.then(
                    Unchanged::between(&middle, &text),
                    [before.len(), middle.len(), text.len()],
                );
            }
            if i % 7 == 0 {
                // After a check, before the edit: nothing changed, then the edit.
                same = Unchanged::none(old_len).then(same, [old_len, old_len, text.len()]);
            }
            let edited = LineIndex::edited(&text, lines, old_len, same);
            let new = LineIndex::new(&text);
            assert_eq!(edited.starts, new.starts, "edit {i}: {same:?}");
            assert_eq!(edited.starts16, new.starts16, "edit {i}: {same:?}");
            lines = edited.into_lines();
        }
    }

    #[test]
    fn edited_to_ascii_drops_utf16() {
        // All ASCII after an edit removes the last wide character: the same short form.
        let t = "a\né\nb\n";
        let e = LineIndex::edited(
            "a\ne\nb\n",
            LineIndex::new(t).into_lines(),
            t.len(),
            Unchanged {
                prefix: 2,
                suffix: 3,
            },
        );
        assert_eq!((e.starts, e.starts16), (vec![0, 2, 4, 6], vec![]));
    }

    #[test]
    fn columns_count_utf16_units() {
        let t = "a: 1\nk: \"😀\" x: true\n";
        let idx = LineIndex::new(t);
        let at = t.find("true").unwrap() as u32;
        let p = idx.position(at);
        assert_eq!(p.line, 2);
        // `k: "` = 4, emoji = 2 UTF-16 units, `" x: ` = 5 -> column 12 (1-based)
        assert_eq!(p.column, 12);
        assert_eq!(p.offset16, 5 + 11);
    }

    #[test]
    fn matches_counting_chars() {
        let long = "x".repeat(29);
        // Wide characters on some lines, none, or only on the last (an index of ASCII line
        // starts keeps no UTF-16 offsets): ASCII lines' columns are counted as bytes.
        for t in [
            &format!("a: é\nb: 😀😀\r\n\nkey: \u{2028}x\n{long}é😀\n{long}\nlast"),
            &format!("a: 1\n{long}\nb: 2\nlast: é😀 x"),
            &format!("a: 1\n{long}\n\nb: 2\n"),
            &format!("{long}\né\n{long}\n😀\n{long}"),
        ] {
            matches_counting_chars_in(t);
        }
    }

    fn matches_counting_chars_in(t: &str) {
        let idx = LineIndex::new(t);
        for (i, _) in t.char_indices().chain([(t.len(), ' ')]) {
            let before = &t[..i];
            let line = before.matches('\n').count() as u32 + 1;
            let line_start = before.rfind('\n').map_or(0, |p| p + 1);
            let col: usize = t[line_start..i].chars().map(char::len_utf16).sum();
            let off: usize = before.chars().map(char::len_utf16).sum();
            let p = idx.position(i as u32);
            assert_eq!(
                (p.line, p.column, p.offset16),
                (line, col as u32 + 1, off as u32),
                "at {i}"
            );
        }
    }

    #[test]
    fn byte_search_is_exact() {
        let t = b"ab\x0b\x0a\x00\x0bcdefghij\n\x0b\x01k\n";
        for from in 0..=t.len() {
            let want = t[from..].iter().position(|&c| c == b'\n').map(|i| from + i);
            assert_eq!(find_byte(t, from, b'\n'), want, "from {from}");
        }
        assert!(!has_byte(
            u64::from_le_bytes(*b"\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b"),
            b'\n'
        ));
        assert!(!has_byte(
            u64::from_le_bytes(*b"\x00\x0b\x01\x0b\x00\x0b\x0b\x8a"),
            b'\n'
        ));
    }

    #[test]
    fn clamps_and_snaps() {
        let t = "é";
        let idx = LineIndex::new(t);
        assert_eq!(idx.position(1).column, 1);
        assert_eq!(idx.position(99).column, 2);
    }
}
