//! Byte offsets -> 1-based line and 1-based column in UTF-16 code units (SARIF's default and
//! what editors count), and -> UTF-16 offsets for JavaScript strings.

/// Line starts of one text, with the UTF-16 offset of each line start.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of every line start.
    starts: Vec<u32>,
    /// UTF-16 offset of every line start.
    starts16: Vec<u32>,
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
        let mut starts = vec![0u32];
        let mut starts16 = vec![0u32];
        let mut u16_pos: u32 = 0;
        let ascii = text.is_ascii();
        for (i, c) in text.char_indices() {
            u16_pos += if ascii { 1 } else { c.len_utf16() as u32 };
            if c == '\n' {
                starts.push(i as u32 + 1);
                starts16.push(u16_pos);
            }
        }
        LineIndex {
            text,
            starts,
            starts16,
        }
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
        let col16: u32 = self.text[start..offset]
            .chars()
            .map(|c| c.len_utf16() as u32)
            .sum();
        Position {
            line: line as u32 + 1,
            column: col16 + 1,
            offset16: self.starts16[line] + col16,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn clamps_and_snaps() {
        let t = "é";
        let idx = LineIndex::new(t);
        assert_eq!(idx.position(1).column, 1);
        assert_eq!(idx.position(99).column, 2);
    }
}
