//! Reading a text again after an edit without reading it all: the parts kubectl cuts a stream
//! into (`input::split`) are read one by one, each with itself as its source, and kept by
//! their text; a new text reuses every part it still contains and reads only the new ones.
//! The parts are then spliced into one [`Stream`] whose nodes, spans, documents, errors and
//! warnings are exactly those of [`parse`](super::parse) on the whole text (a test holds the
//! two equal on the corpus and after edits).
//!
//! Texts whose reading depends on more than their parts — a JSON stream, a byte order mark,
//! a bad `---` line that stops kubectl — are read whole, as before.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::build::{parse_part, resolve_dups, Dup};
use super::input::{self, Piece};
use super::scalar::{self, Resolved};
use super::{Doc, Entry, Node, NodeId, ParseError, Span, Stream, Style, Value, Warning};

/// One part, read once: its stream with owned strings (spans relative to the part) and its
/// duplicate keys, whose lines depend on what comes before the part.
pub(crate) struct Part {
    pub(crate) stream: Stream<'static>,
    dups: Vec<Dup>,
    /// What a [`Session`](crate::session::Session) keeps of checking this part.
    pub(crate) checked: Option<crate::session::PartChecked>,
    /// Whether the part could hold a suppression ([`crate::suppress::any`]), so a check does
    /// not search every part's text again.
    pub(crate) suppressible: bool,
}

impl Part {
    fn read(text: &str) -> Part {
        let (s, dups) = parse_part(text);
        Part {
            stream: owned(s),
            dups,
            checked: None,
            suppressible: crate::suppress::any(text),
        }
    }
}

/// An edit that stays inside one plain scalar value on one line: typing in a value. Such a
/// part need not be read again: its nodes are those of the old part, with that scalar's value
/// resolved again from its new text and every span after the edit moved. Everything else an
/// edit could change is refused (the part is then read again): a key, a value in a flow
/// collection, a tag or an anchor, a comment or a `: ` that the new text would start, a
/// character outside printable ASCII, a scalar written over several lines or reached through
/// an alias, a part with errors, a warning on the scalar.
struct ScalarEdit {
    node: usize,
    value: Value<'static>,
}

impl ScalarEdit {
    /// The edit of `part` (read from `old`) that gives `new`, which replaced the old bytes
    /// `a..b_old` with the new bytes `a..b_new` (offsets in the part), if it is a scalar edit.
    fn find(
        part: &Part,
        old: &str,
        new: &str,
        a: usize,
        b_old: usize,
        b_new: usize,
    ) -> Option<ScalarEdit> {
        let s = &part.stream;
        if !s.errors.is_empty() {
            return None;
        }
        // The scalar whose text holds the edit, after its first character (which says how
        // the scalar is read: it stays).
        let node = s.nodes.iter().position(|n| {
            n.style == Style::Plain
                && !matches!(n.value, Value::Map { .. } | Value::Seq { .. })
                && (n.span.start as usize) < a
                && b_old <= n.span.end as usize
        })?;
        let n = &s.nodes[node];
        let (start, end) = (n.span.start as usize, n.span.end as usize);
        let new_end = (end + b_new).checked_sub(b_old)?;
        let (before, new_text) = (old.get(..start)?, new.get(start..new_end)?);
        if n.shared
            || old.get(start..end)?.contains(['\n', '\r'])
            || !plain_on_one_line(new_text)
            || matches!(n.value, Value::Float(f) if !f.is_finite())
            || s.warnings
                .iter()
                .any(|w| w.span.start as usize <= end && start <= w.span.end as usize)
        {
            return None;
        }
        // Right after a block mapping's `:` or a block sequence's `-`, with no tag or anchor
        // (a scalar's span starts at its properties: `&a 1`, `!!str 1`).
        let lead = before.trim_end_matches(' ');
        if lead.len() == before.len()
            || !(lead.ends_with(':') || lead.ends_with('-'))
            || old[start..].starts_with(['&', '!', '*'])
        {
            return None;
        }
        // A value in exactly one place, in a block collection.
        let id = node as NodeId;
        let mut entry = None;
        let mut item = None;
        for (i, e) in s.entries.iter().enumerate() {
            if e.key == id || (e.value == id && entry.replace(i).is_some()) {
                return None;
            }
        }
        for (i, &x) in s.items.iter().enumerate() {
            if x == id && item.replace(i).is_some() {
                return None;
            }
        }
        let within = |at: Option<usize>, start: u32, len: u32| {
            at.is_some_and(|i| (start as usize..(start + len) as usize).contains(&i))
        };
        let parent = match (entry, item) {
            (Some(_), None) | (None, Some(_)) => s.nodes.iter().find(|p| match p.value {
                Value::Map { start, len } => within(entry, start, len),
                Value::Seq { start, len } => within(item, start, len),
                _ => false,
            })?,
            _ => return None,
        };
        if !matches!(parent.style, Style::BlockMap | Style::BlockSeq) {
            return None;
        }
        let value = match scalar::resolve_plain(new_text) {
            Resolved::Null => Value::Null,
            Resolved::Bool(b) => Value::Bool(b),
            Resolved::Int(i) => Value::Int(i),
            Resolved::UInt(u) => Value::UInt(u),
            Resolved::Float(f) if f.is_finite() => Value::Float(f),
            Resolved::Str if new_text != "<<" => Value::Str(Cow::Owned(new_text.to_string())),
            _ => return None,
        };
        Some(ScalarEdit { node, value })
    }

    /// Apply the edit to `part` (found by [`ScalarEdit::find`] with the same offsets).
    fn apply(self, part: &mut Part, b_old: usize, b_new: usize) {
        let (b_old, d) = (b_old as u32, b_new as i64 - b_old as i64);
        let at = |x: u32| if x >= b_old { (x as i64 + d) as u32 } else { x };
        let moved = |s: Span| Span {
            start: at(s.start),
            end: at(s.end),
        };
        let s = &mut part.stream;
        for n in &mut s.nodes {
            n.span = moved(n.span);
        }
        s.nodes[self.node].value = self.value;
        for d in &mut s.docs {
            d.span = moved(d.span);
        }
        for w in &mut s.warnings {
            w.span = moved(w.span);
        }
        for (first, span, ..) in &mut part.dups {
            *first = at(*first);
            *span = moved(*span);
        }
        part.checked = None;
    }
}

/// Whether `text`, a plain scalar's new text after its unchanged first character, is still
/// one plain scalar on one line, read as its text: printable ASCII without a tab, no `: ` or
/// ` #` in it, no `:` or space at its end.
fn plain_on_one_line(text: &str) -> bool {
    text.bytes().all(|b| (0x20..0x7F).contains(&b))
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with([':', ' '])
}

/// A stream that borrows nothing: its strings owned, its source empty. Strings already owned
/// are moved, and the nodes stay where they are (same layout), so giving back a stream lent
/// by [`Cache::lend`] costs one pass over its nodes.
pub(crate) fn owned(s: Stream<'_>) -> Stream<'static> {
    Stream {
        source: "",
        nodes: s
            .nodes
            .into_iter()
            .map(|n| Node {
                value: match n.value {
                    Value::Str(c) => Value::Str(Cow::Owned(c.into_owned())),
                    Value::Null => Value::Null,
                    Value::Bool(b) => Value::Bool(b),
                    Value::Int(i) => Value::Int(i),
                    Value::UInt(u) => Value::UInt(u),
                    Value::Float(f) => Value::Float(f),
                    Value::Map { start, len } => Value::Map { start, len },
                    Value::Seq { start, len } => Value::Seq { start, len },
                },
                span: n.span,
                weight: n.weight,
                style: n.style,
                shared: n.shared,
            })
            .collect(),
        entries: s.entries,
        items: s.items,
        docs: s.docs,
        errors: s.errors,
        warnings: s.warnings,
        document_count: s.document_count,
    }
}

/// FxHash-style: a part's text is hashed on every check, so the hash must cost far less than
/// reading it (a hit is confirmed by comparing the texts).
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// What an edit left alone: the text's first `prefix` bytes and last `suffix` bytes are those
/// of the text read before it. Where the two overlap, the suffix counts from the prefix's end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unchanged {
    pub prefix: usize,
    pub suffix: usize,
}

impl Unchanged {
    /// No edit: all of a text of `len` bytes is left alone (as prefix and as suffix, so that
    /// [`Unchanged::then`] keeps what the next edit leaves alone).
    pub fn none(len: usize) -> Unchanged {
        Unchanged {
            prefix: len,
            suffix: len,
        }
    }

    /// What two edits in a row left alone (`self`, then `next`), over texts of `lens` bytes
    /// (before, between, after).
    pub fn then(self, next: Unchanged, lens: [usize; 3]) -> Unchanged {
        let prefix = self.prefix.min(next.prefix);
        // (Each prefix is at most the length of the texts it compares, so `prefix` is at most
        // every length.)
        let room = lens
            .iter()
            .min()
            .copied()
            .unwrap_or(0)
            .saturating_sub(prefix);
        Unchanged {
            prefix,
            suffix: self.suffix.min(next.suffix).min(room),
        }
    }

    /// What differs between two texts, found by comparing them.
    pub fn between(old: &str, new: &str) -> Unchanged {
        let (prefix, suffix) = common_ends(old.as_bytes(), new.as_bytes(), |x, y| x == y);
        Unchanged { prefix, suffix }
    }

    /// Where the edit is, between a text of `old_len` bytes and one of `new_len`: its start,
    /// its end in the old text and its end in the new one (a suffix that overlaps the prefix,
    /// as in [`Unchanged::none`], counts from the prefix's end); `None` when the prefix does
    /// not fit both texts.
    pub fn range(self, old_len: usize, new_len: usize) -> Option<(usize, usize, usize)> {
        let shorter = old_len.min(new_len);
        if self.prefix > shorter {
            return None;
        }
        let suffix = self.suffix.min(shorter - self.prefix);
        Some((self.prefix, old_len - suffix, new_len - suffix))
    }
}

/// How many items at the start and at the end of `a` are the `same` as in `b`, the two runs
/// not overlapping in either.
pub fn common_ends<T>(a: &[T], b: &[T], mut same: impl FnMut(&T, &T) -> bool) -> (usize, usize) {
    let prefix = a.iter().zip(b).take_while(|(x, y)| same(x, y)).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| same(x, y))
        .count();
    (prefix, suffix)
}

/// The parts of the last text read, by their text.
#[derive(Default)]
pub struct Cache {
    /// Each distinct part of the last text, in the order they first appear, with its text.
    slots: Vec<(Box<str>, Part)>,
    /// The hash of each slot's text.
    hashes: Vec<u64>,
    /// Where the parts of the last text read were, and its length (none when it was read
    /// whole): an edit's parts are found around what it changed.
    last: Option<(Vec<PartAt>, usize)>,
    /// Slots by the hash of their text (a hit is confirmed by comparing the texts).
    by_hash: HashMap<u64, usize, BuildHasherDefault<Fx>>,
    /// Parts read (not reused) by the last [`Cache::parse`], for tests and benchmarks.
    pub last_read: usize,
    /// Parts edited in place by the last read ([`ScalarEdit`]), for tests and benchmarks.
    pub last_patched: usize,
}

/// Where a part of the text is, and the slot of the cache that holds what was read from it
/// (equal parts share one).
#[derive(Clone, Copy, Debug)]
pub(crate) struct PartAt {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) slot: usize,
}

/// The slots of the text being read, built from those of the last one: each part, in order,
/// is given a slot (an old one moved over, an equal part's, or a new one read), so slots stay
/// in the order parts first use them.
struct Next<'c> {
    cache: &'c mut Cache,
    old: Vec<Option<(Box<str>, Part)>>,
    old_hashes: Vec<u64>,
    old_by_hash: HashMap<u64, usize, BuildHasherDefault<Fx>>,
    /// The new slot of each old slot moved over.
    moved_to: Vec<Option<usize>>,
}

impl<'c> Next<'c> {
    fn new(cache: &'c mut Cache, parts: usize) -> Next<'c> {
        let old: Vec<_> = std::mem::take(&mut cache.slots)
            .into_iter()
            .map(Some)
            .collect();
        let old_hashes = std::mem::take(&mut cache.hashes);
        let old_by_hash = std::mem::take(&mut cache.by_hash);
        cache.by_hash.reserve(parts);
        cache.last_read = 0;
        cache.last_patched = 0;
        Next {
            moved_to: vec![None; old.len()],
            cache,
            old,
            old_hashes,
            old_by_hash,
        }
    }

    /// Give a slot the old slot `k`'s part, once.
    fn take(&mut self, k: usize) -> Option<usize> {
        if let Some(to) = self.moved_to[k] {
            return Some(to);
        }
        let entry = self.old.get_mut(k)?.take()?;
        let h = self.old_hashes[k];
        Some(self.push(entry, h, k))
    }

    fn push(&mut self, entry: (Box<str>, Part), h: u64, from: usize) -> usize {
        let c = &mut *self.cache;
        c.slots.push(entry);
        c.hashes.push(h);
        let slot = c.slots.len() - 1;
        // A colliding hash keeps its first slot; the other part is still read and used, only
        // not found again by its hash.
        c.by_hash.entry(h).or_insert(slot);
        if let Some(m) = self.moved_to.get_mut(from) {
            *m = Some(slot);
        }
        slot
    }

    /// A part of the last text at the same text, `by` bytes later.
    fn moved(&mut self, p: &PartAt, by: isize) -> PartAt {
        PartAt {
            start: p.start.wrapping_add_signed(by),
            end: p.end.wrapping_add_signed(by),
            slot: self.take(p.slot).unwrap_or(usize::MAX),
        }
    }

    /// A part found by its text: an equal part's slot, or an old one, or read now.
    fn fresh(&mut self, text: &str, start: usize, end: usize) -> PartAt {
        let t = &text[start..end];
        let h = hash(t);
        if let Some(&k) = self.cache.by_hash.get(&h) {
            if &*self.cache.slots[k].0 == t {
                return PartAt {
                    start,
                    end,
                    slot: k,
                };
            }
        }
        let old = self.old_by_hash.get(&h).copied().filter(|&k| {
            self.old
                .get(k)
                .is_some_and(|o| o.as_ref().is_some_and(|(key, _)| &**key == t))
        });
        let slot = match old {
            Some(k) => self.take(k).unwrap_or(usize::MAX),
            None => {
                self.cache.last_read += 1;
                self.push((t.into(), Part::read(t)), h, usize::MAX)
            }
        };
        PartAt { start, end, slot }
    }

    /// The old slot `k`'s part with `edit` applied: the new part `text[start..end]`; the edit
    /// replaced its bytes `a..b_old` with `a..b_new`.
    fn edited(
        &mut self,
        edit: ScalarEdit,
        text: &str,
        k: usize,
        (start, end): (usize, usize),
        (a, b_old, b_new): (usize, usize, usize),
    ) -> PartAt {
        let new = &text[start..end];
        let slot = match self.old.get_mut(k).and_then(Option::take) {
            Some((_, mut part)) => {
                edit.apply(&mut part, b_old, b_new);
                // The edited line may now hold a suppression (a part that could hold one
                // stays so).
                let line = new
                    .get(..a)
                    .and_then(|t| t.rfind('\n'))
                    .map_or(0, |i| i + 1);
                let line = new
                    .get(line..)
                    .unwrap_or("")
                    .split('\n')
                    .next()
                    .unwrap_or("");
                part.suppressible |= crate::suppress::any(line);
                self.cache.last_patched += 1;
                self.push((new.into(), part), hash(new), usize::MAX)
            }
            // (Not reached: the slot was just looked at.) Read it.
            None => return self.fresh(text, start, end),
        };
        PartAt { start, end, slot }
    }

    /// The parts of the text read, kept for the next edit.
    fn finish(self, parts: Vec<PartAt>, len: usize) -> Vec<PartAt> {
        self.cache.last = Some((parts.clone(), len));
        parts
    }
}

/// Shift a span by `by` bytes.
fn shift(s: Span, by: u32) -> Span {
    Span {
        start: s.start + by,
        end: s.end + by,
    }
}

fn hash(text: &str) -> u64 {
    let mut h = Fx::default();
    h.write(text.as_bytes());
    h.finish()
}

impl Cache {
    pub fn new() -> Cache {
        Cache::default()
    }

    /// Read `text` as [`parse`](super::parse) does, reusing the parts of the previous text.
    pub fn parse<'c>(&'c mut self, text: &'c str) -> Stream<'c> {
        match self.read(text) {
            Some(parts) => {
                let this: &'c Cache = self;
                this.splice(text, &parts, true)
            }
            None => super::parse(text),
        }
    }

    /// Read the parts of `text` not read yet and forget those it no longer has; where the
    /// parts are, in order, or `None` when `text` must be read whole (the cache is then empty).
    /// Each part's text is hashed once and compared once with the text it was read from.
    pub(crate) fn read(&mut self, text: &str) -> Option<Vec<PartAt>> {
        let Some(spans) = Self::parts_of(text) else {
            self.forget();
            return None;
        };
        let mut next = Next::new(self, spans.len());
        let out = spans
            .into_iter()
            .map(|(start, end)| next.fresh(text, start, end))
            .collect();
        Some(next.finish(out, text.len()))
    }

    /// Where the parts of the last text read are (for tests).
    #[cfg(test)]
    pub(crate) fn last_parts(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.last
            .iter()
            .flat_map(|(p, _)| p.iter().map(|p| (p.start, p.end)))
    }

    /// Forget every part: the text is read whole.
    fn forget(&mut self) {
        self.slots.clear();
        self.hashes.clear();
        self.by_hash.clear();
        self.last = None;
        self.last_read = 1;
    }

    /// [`Cache::read`] of a text of which `same` is unchanged since the last text read: the
    /// text is split again only around what changed, and the parts before and after are those
    /// of the last text (moved), without hashing or comparing their text again. The same as
    /// [`Cache::read`] (a test holds them equal after random edits).
    pub(crate) fn read_edited(&mut self, text: &str, same: Unchanged) -> Option<Vec<PartAt>> {
        let Some((last, last_len)) = self.last.take() else {
            return self.read(text);
        };
        let Some((start, old_end, new_end)) = same.range(last_len, text.len()) else {
            return self.read(text);
        };
        if text.len() > u32::MAX as usize / 2 || input::looks_like_json(text) {
            return self.read(text);
        }
        // Split again from the start of the last part that starts before the change (the
        // split is the same up to there), to the first part start after it that was a part
        // start of the last text too (the split is the same from there).
        let (first, from) = match last.partition_point(|p| p.start <= start) {
            0 => (0, 0),
            n => (n - 1, last[n - 1].start),
        };
        // Typing inside a value: no line's first characters change and no byte order mark
        // comes in, so the split stays as it was; the part is edited in place.
        if let Some(parts) = self.edit_in_place(text, &last, first, (start, old_end, new_end)) {
            return Some(parts);
        }
        let mut pieces = Vec::new();
        let mut resumed_at = None;
        let resume = input::split_yaml_until(text, from, &mut pieces, |at| {
            if at < new_end {
                return false;
            }
            let old = at - new_end + old_end;
            let j = last.partition_point(|p| p.start < old);
            let hit = j >= first && last.get(j).is_some_and(|p| p.start == old);
            if hit {
                resumed_at = Some(j);
            }
            hit
        });
        let until = resume.unwrap_or(text.len());
        if text[from..until].contains('\u{FEFF}') {
            return self.read(text);
        }
        let mut middle = Vec::with_capacity(pieces.len());
        for p in pieces {
            match p {
                Piece::Yaml { start, end } => middle.push((start, end)),
                _ => return self.read(text),
            }
        }
        let total = first + middle.len() + resumed_at.map_or(0, |j| last.len() - j);
        let mut next = Next::new(self, total);
        let mut out = Vec::with_capacity(total);
        for p in &last[..first] {
            out.push(next.moved(p, 0));
        }
        for (s, e) in middle {
            out.push(next.fresh(text, s, e));
        }
        if let Some(j) = resumed_at {
            let by = new_end as isize - old_end as isize;
            for p in &last[j..] {
                out.push(next.moved(p, by));
            }
        }
        Some(next.finish(out, text.len()))
    }

    /// The parts of `text` when the edit (`start..old_end` of the last text, `start..new_end`
    /// of this one) is a [`ScalarEdit`] inside the last text's part `first`, which no other
    /// part shares: that part edited in place, the others moved over.
    fn edit_in_place(
        &mut self,
        text: &str,
        last: &[PartAt],
        first: usize,
        (start, old_end, new_end): (usize, usize, usize),
    ) -> Option<Vec<PartAt>> {
        let old = *last.get(first)?;
        if start < old.start
            || old_end > old.end
            || last.iter().filter(|p| p.slot == old.slot).count() != 1
        {
            return None;
        }
        let end = (old.end + new_end).checked_sub(old_end)?;
        let new = text.get(old.start..end)?;
        let (a, b_old, b_new) = (start - old.start, old_end - old.start, new_end - old.start);
        let (old_text, part) = self.slots.get(old.slot)?;
        let edit = ScalarEdit::find(part, old_text, new, a, b_old, b_new)?;
        let by = new_end as isize - old_end as isize;
        let mut next = Next::new(self, last.len());
        let mut out = Vec::with_capacity(last.len());
        for p in &last[..first] {
            out.push(next.moved(p, 0));
        }
        out.push(next.edited(edit, text, old.slot, (old.start, end), (a, b_old, b_new)));
        for p in &last[first + 1..] {
            out.push(next.moved(p, by));
        }
        Some(next.finish(out, text.len()))
    }

    /// Lend the stream of a slot with `text` (the part's text, from the text last read) as its
    /// source; [`Cache::give_back`] returns it.
    pub(crate) fn lend<'t>(&mut self, slot: usize, text: &'t str) -> Stream<'t> {
        let s = std::mem::take(&mut self.slots[slot].1.stream);
        Stream { source: text, ..s }
    }

    /// Return a stream lent by [`Cache::lend`].
    pub(crate) fn give_back(&mut self, slot: usize, stream: Stream<'_>) {
        self.slots[slot].1.stream = owned(stream);
    }

    /// The part of a slot.
    pub(crate) fn part(&self, slot: usize) -> &Part {
        &self.slots[slot].1
    }

    /// The part of a slot.
    pub(crate) fn part_mut(&mut self, slot: usize) -> &mut Part {
        &mut self.slots[slot].1
    }

    /// The YAML parts of `text`, or `None` when its reading depends on more than its parts: a
    /// JSON stream, a byte order mark, a bad `---` line that stops kubectl, offsets past what
    /// the model's u32 spans hold once shifted.
    fn parts_of(text: &str) -> Option<Vec<(usize, usize)>> {
        if text.len() > u32::MAX as usize / 2
            || input::looks_like_json(text)
            || text.contains('\u{FEFF}')
        {
            return None;
        }
        input::split(text)
            .into_iter()
            .map(|p| match p {
                Piece::Yaml { start, end } => Some((start, end)),
                _ => None,
            })
            .collect()
    }

    /// The parts at `spans` as one stream of `text`: with their nodes and documents, or
    /// (`nodes` false) only their count of documents, errors and warnings (with the lines of
    /// duplicate keys, which depend on what comes before each part).
    pub(crate) fn splice<'c>(&'c self, text: &'c str, parts: &[PartAt], nodes: bool) -> Stream<'c> {
        let mut out = Stream {
            source: text,
            ..Stream::default()
        };
        let mut dups: Vec<Dup> = Vec::new();
        for at in parts {
            let Part {
                stream: p,
                dups: part_dups,
                ..
            } = &self.slots[at.slot].1;
            let by = at.start as u32;
            let n0 = out.nodes.len() as u32;
            let e0 = out.entries.len() as u32;
            let i0 = out.items.len() as u32;
            let d0 = out.document_count;
            if nodes {
                out.nodes.extend(p.nodes.iter().map(|n| Node {
                    value: match &n.value {
                        Value::Str(s) => Value::Str(Cow::Borrowed(s.as_ref())),
                        Value::Map { start, len } => Value::Map {
                            start: start + e0,
                            len: *len,
                        },
                        Value::Seq { start, len } => Value::Seq {
                            start: start + i0,
                            len: *len,
                        },
                        Value::Null => Value::Null,
                        Value::Bool(b) => Value::Bool(*b),
                        Value::Int(i) => Value::Int(*i),
                        Value::UInt(u) => Value::UInt(*u),
                        Value::Float(f) => Value::Float(*f),
                    },
                    span: shift(n.span, by),
                    weight: n.weight,
                    style: n.style,
                    shared: n.shared,
                }));
                out.entries.extend(p.entries.iter().map(|e| Entry {
                    key: e.key + n0,
                    value: e.value + n0,
                }));
                out.items.extend(p.items.iter().map(|i| i + n0));
                out.docs.extend(p.docs.iter().map(|d| Doc {
                    index: d.index + d0,
                    root: d.root + n0,
                    span: shift(d.span, by),
                }));
            }
            out.errors.extend(p.errors.iter().map(|e| ParseError {
                message: e.message.clone(),
                span: shift(e.span, by),
                document: e.document + d0,
            }));
            out.warnings.extend(p.warnings.iter().map(|w| Warning {
                message: w.message.clone(),
                span: shift(w.span, by),
                document: w.document + d0,
            }));
            dups.extend(part_dups.iter().map(|(first, span, name, doc)| {
                (first + by, shift(*span, by), name.clone(), doc + d0)
            }));
            out.document_count += p.document_count;
        }
        resolve_dups(&mut out, dups);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../../../examples/task-api-insecure.yaml");

    fn same(cache: &mut Cache, text: &str) {
        let whole = format!("{:?}", super::super::parse(text));
        let spliced = format!("{:?}", cache.parse(text));
        assert!(
            whole == spliced,
            "the spliced stream differs from a whole read of:\n{text}"
        );
    }

    #[test]
    fn spliced_equals_whole_under_edits() {
        let mut text = EXAMPLE.repeat(6);
        let mut cache = Cache::new();
        same(&mut cache, &text);
        let mut edits = crate::rules::testing::RandomEdits::new(7);
        // 1,500 edits: directives, document ends, NEL, BOMs (read whole), flow and block starts.
        let snippets = [
            "x",
            "\n",
            ": ",
            "- a\n",
            "---\n",
            "key: 1\nkey: 2\n",
            "{",
            "&a b\n",
            "*a",
            "  ",
            "\"",
            "#",
            "\t",
            "%YAML 1.1\n",
            "--- |\n",
            "...\n",
            "\u{85}",
            "[",
            "? ",
            "!!str ",
            "\u{FEFF}",
        ];
        for _ in 0..1500 {
            edits.apply(&mut text, &snippets, 12);
            same(&mut cache, &text);
        }
    }

    #[test]
    fn one_keystroke_reads_one_part() {
        let text = EXAMPLE.repeat(20);
        let mut cache = Cache::new();
        let _ = cache.parse(&text);
        let parts = cache.slots.len();
        // Repeated copies share their parts: one read serves them all.
        assert!(parts >= 8, "{parts} distinct parts");
        let mut edited = text.clone();
        let at = edited.len() / 2;
        let at = edited[at..].find('\n').unwrap() + at + 1;
        edited.insert_str(at, "# typed\n");
        let _ = cache.parse(&edited);
        assert_eq!(cache.last_read, 1);
        same(&mut cache, &edited);
    }

    /// Keystrokes inside lines, mostly in values: characters that keep a plain scalar and
    /// characters that change what the line is (`:`, ` #`, quotes, tags, anchors, flow
    /// starts, tabs, non-ASCII), deletions, and `x` typed before a duplicate key. After each,
    /// the stream read around the edit (in place or not) equals a whole read; most keystrokes
    /// edit their part in place.
    #[test]
    fn typing_in_values_edits_parts_in_place() {
        // Three copies, each part made distinct (equal parts share what was read from them,
        // and a shared part is read again rather than edited in place).
        let copies: Vec<String> = (0..3)
            .map(|i| {
                format!(
                    "# {i}\n{}",
                    EXAMPLE.replace("\n---\n", &format!("\n---\n# {i}\n"))
                )
            })
            .collect();
        // Then values a keystroke must not edit in place: tagged, anchored and aliased, in
        // flow collections, a duplicate key's, an infinite float.
        let tail: String = (0..8)
            .map(|i| format!("t{i}: !!str 12{i}\nf{i}: [d{i}, e{i}]\ng{i}: {{h{i}: 3{i}}}\nu{i}: &y{i} 4{i}\nv{i}:\n- [5, 6]\n- 7{i}\n"))
            .collect();
        let mut text = format!(
            "{}a: &x 1\nb: *x\nf: 2\nf: 3\ng: .inf\n{tail}",
            copies.join("---\n")
        );
        let first = text.clone();
        let mut cache = Cache::new();
        same(&mut cache, &text);
        let mut r = crate::rules::testing::RandomEdits::new(11);
        let keys = [
            "x", "x", "x", "1", "9", ".", "-", "/", "e", "y", "~", ":", " ", " #", "#", "\"", "'",
            "!", "&", "*", "{", "[", ",", "\t", "\u{e9}", "<<", ".inf", "0x1", "true", "null",
            "kube4c", "%", "|", ">",
        ];
        let (mut patched, mut read) = (0, 0);
        let mut check = |cache: &mut Cache, before: &str, text: &str| {
            let whole = format!("{:?}", super::super::parse(text));
            let spliced = match cache.read_edited(text, Unchanged::between(before, text)) {
                Some(parts) => format!("{:?}", cache.splice(text, &parts, true)),
                None => whole.clone(),
            };
            assert!(whole == spliced, "after editing {before:?} into:\n{text}");
            patched += cache.last_patched;
            read += cache.last_read;
        };
        for _ in 0..3000 {
            let starts: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            let line = starts[r.next(starts.len())];
            let end = text[line..].find('\n').map_or(text.len(), |i| line + i);
            // Mostly in the value of a `key: value` line, else anywhere in the line.
            let from = match text[line..end].find(": ") {
                Some(i) if r.next(4) > 0 && line + i + 3 < end => line + i + 3,
                _ => line + 1,
            };
            if end < from {
                continue;
            }
            let mut at = from + r.next(end + 1 - from);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let before = text.clone();
            if r.next(4) == 0 {
                let mut cut = at - 1;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text.replace_range(cut..at, "");
            } else {
                text.insert_str(at, keys[r.next(keys.len())]);
            }
            check(&mut cache, &before, &text);
            // Most keystrokes are undone (typing, then backspace), so the text stays mostly
            // readable YAML: a part with an error is read again whole.
            if r.next(4) > 0 {
                let edited = std::mem::replace(&mut text, before);
                check(&mut cache, &edited, &text);
            }
            // A text read whole (a bad `---` line typed) starts again from the first.
            if cache.last.is_none() {
                text = first.clone();
                same(&mut cache, &text);
            }
        }
        assert!(
            patched > 1000,
            "{patched} parts edited in place, {read} read"
        );
        assert!(read > 1000, "{patched} parts edited in place, {read} read");
    }

    #[test]
    fn duplicate_key_lines_count_the_parts_before() {
        let mut cache = Cache::new();
        let later = "---\nkind: Pod\nmetadata: {name: a}\nkind: Pod\n";
        let text = format!("a: 1\n{later}");
        same(&mut cache, &text);
        // Lines added before the part: its duplicate key's line moves, though the part is reused.
        let text = format!("a: 1\nb: 2\nc: 3\n{later}");
        let s = cache.parse(&text);
        assert!(
            s.warnings
                .iter()
                .any(|w| w.message.contains("first set on line 5")),
            "{:?}",
            s.warnings
        );
        same(&mut cache, &text);
    }

    /// Every YAML file of the repository's fixtures (rule fixtures, Kubernetes agreement cases,
    /// examples) through one cache: each equals its whole read, and each next file reuses
    /// what it shares with the last.
    #[test]
    fn fixtures_spliced_equal_whole() {
        let mut cache = Cache::new();
        for (_, text) in crate::rules::testing::repository_yaml() {
            same(&mut cache, &text);
        }
    }

    #[test]
    fn inputs_read_whole_are_still_right() {
        let mut cache = Cache::new();
        for text in [
            "{\"kind\": \"Pod\"}\n{\"kind\": \"Service\"}",
            "\u{FEFF}kind: Pod\n---\n\u{FEFF}kind: Pod\n",
            "kind: Pod\n--- !bad\nkind: Pod\n",
            "",
            "---\n---\n",
        ] {
            same(&mut cache, text);
        }
    }
}
