//! Offset maps: from byte positions in a derived text back to byte positions in the input.
//!
//! Every stage that rewrites text (decoding, HTML extraction, normalisation) records where each
//! piece of its output came from. A map is a sorted list of *runs*; a run covers `units` pieces
//! that each take `text_unit` bytes of output and `orig_unit` bytes of input, laid end to end.
//! Unchanged UTF-8 text is one run of 1:1 bytes however long it is; GBK text becomes runs of
//! 3:2 (Han) and 1:1 (ASCII) units. A piece the stage could only map as a whole (a converted
//! phrase, an entity, a line decoded in one go) is a single unit, so any span inside it maps to
//! the whole piece: coarser, never wrong.
//!
//! Deleted input (an inline pinyin annotation, a tag) has no output and simply leaves a gap
//! between runs. Lookups never panic: positions past the end clamp to the end.

use serde::Serialize;

/// A half-open byte range `[start, end)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`; `end` is raised to `start` if it is smaller.
    #[must_use]
    pub fn new(start: usize, end: usize) -> Self {
        Self {
            start,
            end: end.max(start),
        }
    }

    /// The number of bytes covered.
    #[must_use]
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no byte.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `other` lies within this span.
    #[must_use]
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    text_start: usize,
    orig_start: usize,
    units: usize,
    text_unit: usize,
    orig_unit: usize,
}

impl Run {
    fn text_end(&self) -> usize {
        self.text_start + self.units * self.text_unit
    }
    fn orig_end(&self) -> usize {
        self.orig_start + self.units * self.orig_unit
    }
}

/// Maps byte positions of a derived text to byte ranges of the original input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OffsetMap {
    runs: Vec<Run>,
    text_len: usize,
    orig_len: usize,
}

impl OffsetMap {
    /// The map of a text that is its own original (`len` bytes).
    #[must_use]
    pub fn identity(len: usize) -> Self {
        let mut builder = MapBuilder::new(len);
        builder.push(len, Span::new(0, len));
        builder.finish()
    }

    /// Length of the derived text this map covers.
    #[must_use]
    pub fn text_len(&self) -> usize {
        self.text_len
    }

    /// Length of the original input.
    #[must_use]
    pub fn original_len(&self) -> usize {
        self.orig_len
    }

    /// Number of runs (a measure of how fragmented the mapping is).
    #[must_use]
    pub fn run_count(&self) -> usize {
        self.runs.len()
    }

    fn run_index(&self, pos: usize) -> Option<usize> {
        if self.runs.is_empty() {
            return None;
        }
        let idx = self.runs.partition_point(|run| run.text_start <= pos);
        Some(idx.saturating_sub(1))
    }

    /// The original range of the unit that contains derived byte `pos`.
    fn unit_at(&self, pos: usize) -> Span {
        let Some(run) = self.run_index(pos).and_then(|idx| self.runs.get(idx)) else {
            return Span::new(self.orig_len, self.orig_len);
        };
        if pos >= run.text_end() {
            // In a gap after the run (cannot happen for positions inside the text): clamp.
            let end = run.orig_end();
            return Span::new(end, end);
        }
        let unit = (pos - run.text_start) / run.text_unit.max(1);
        let start = run.orig_start + unit * run.orig_unit;
        Span::new(start, start + run.orig_unit)
    }

    /// The original byte range that produced the derived range `span`.
    ///
    /// An empty span maps to an empty span at the original position of its start.
    #[must_use]
    pub fn to_original(&self, span: Span) -> Span {
        let start = span.start.min(self.text_len);
        let end = span.end.min(self.text_len);
        if end <= start {
            if start >= self.text_len {
                return Span::new(self.orig_len, self.orig_len);
            }
            let at = self.unit_at(start).start;
            return Span::new(at, at);
        }
        let first = self.unit_at(start);
        let last = self.unit_at(end - 1);
        Span::new(first.start, last.end.max(first.start))
    }

    /// A cursor for mapping many increasing positions in amortised constant time.
    #[must_use]
    pub fn cursor(&self) -> MapCursor<'_> {
        MapCursor { map: self, idx: 0 }
    }

    /// Whether the derived range `span` is a byte-for-byte copy of the original (one 1:1 run).
    fn is_plain_copy(&self, span: Span) -> Option<usize> {
        let run = self.runs.get(self.run_index(span.start)?)?;
        (run.text_unit == 1 && run.orig_unit == 1 && span.end <= run.text_end())
            .then(|| run.orig_start + (span.start - run.text_start))
    }
}

/// Maps increasing positions through an [`OffsetMap`] without a binary search each time.
#[derive(Debug)]
pub struct MapCursor<'a> {
    map: &'a OffsetMap,
    idx: usize,
}

impl MapCursor<'_> {
    fn unit_at(&mut self, pos: usize) -> Span {
        let runs = &self.map.runs;
        // Positions usually increase; fall back to a search when they do not.
        if runs.get(self.idx).is_some_and(|run| run.text_start > pos) {
            self.idx = self.map.run_index(pos).unwrap_or(0);
        }
        while runs
            .get(self.idx + 1)
            .is_some_and(|next| next.text_start <= pos)
        {
            self.idx += 1;
        }
        match runs.get(self.idx) {
            Some(run) if pos < run.text_end() && pos >= run.text_start => {
                let unit = (pos - run.text_start) / run.text_unit.max(1);
                let start = run.orig_start + unit * run.orig_unit;
                Span::new(start, start + run.orig_unit)
            }
            _ => self.map.unit_at(pos),
        }
    }

    /// Same as [`OffsetMap::to_original`].
    pub fn to_original(&mut self, span: Span) -> Span {
        let start = span.start.min(self.map.text_len);
        let end = span.end.min(self.map.text_len);
        if end <= start {
            return self.map.to_original(Span::new(start, end));
        }
        let first = self.unit_at(start);
        let last = self.unit_at(end - 1);
        Span::new(first.start, last.end.max(first.start))
    }
}

/// Builds an [`OffsetMap`] piece by piece, in output order, merging uniform neighbours.
#[derive(Debug)]
pub(crate) struct MapBuilder {
    runs: Vec<Run>,
    text_len: usize,
    orig_len: usize,
}

impl MapBuilder {
    /// A builder for output derived from an original of `orig_len` bytes.
    pub(crate) fn new(orig_len: usize) -> Self {
        Self {
            runs: Vec::new(),
            text_len: 0,
            orig_len,
        }
    }

    /// Records that the next `text_len` output bytes came from `orig`.
    pub(crate) fn push(&mut self, text_len: usize, orig: Span) {
        if text_len == 0 {
            return;
        }
        let orig = Span::new(orig.start.min(self.orig_len), orig.end.min(self.orig_len));
        // Same length both sides: map byte for byte, so neighbours merge into one run.
        let (units, text_unit, orig_unit) = if text_len == orig.len() {
            (text_len, 1, 1)
        } else {
            (1, text_len, orig.len())
        };
        if let Some(last) = self.runs.last_mut()
            && last.text_unit == text_unit
            && last.orig_unit == orig_unit
            && last.orig_end() == orig.start
            && last.text_end() == self.text_len
        {
            last.units += units;
        } else {
            self.runs.push(Run {
                text_start: self.text_len,
                orig_start: orig.start,
                units,
                text_unit,
                orig_unit,
            });
        }
        self.text_len += text_len;
    }

    /// Records output `text` copied from `source_span` of a text whose map is `source_map`,
    /// keeping per-character precision where the source map has it.
    pub(crate) fn push_mapped(
        &mut self,
        text: &str,
        source_span: Span,
        source_map: &OffsetMap,
        cursor: &mut MapCursor<'_>,
    ) {
        if text.len() == source_span.len() {
            if let Some(orig_start) = source_map.is_plain_copy(source_span) {
                self.push(text.len(), Span::new(orig_start, orig_start + text.len()));
                return;
            }
            // Same bytes, fragmented source mapping: go character by character.
            for (offset, ch) in text.char_indices() {
                let at = source_span.start + offset;
                let orig = cursor.to_original(Span::new(at, at + ch.len_utf8()));
                self.push(ch.len_utf8(), orig);
            }
            return;
        }
        let orig = cursor.to_original(source_span);
        self.push(text.len(), orig);
    }

    /// The finished map.
    pub(crate) fn finish(self) -> OffsetMap {
        OffsetMap {
            runs: self.runs,
            text_len: self.text_len,
            orig_len: self.orig_len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_maps_every_position_to_itself() {
        let map = OffsetMap::identity(10);
        assert_eq!(map.to_original(Span::new(2, 5)), Span::new(2, 5));
        assert_eq!(map.run_count(), 1);
    }

    #[test]
    fn gbk_like_units_map_three_bytes_to_two() {
        let mut builder = MapBuilder::new(5);
        builder.push(3, Span::new(0, 2));
        builder.push(3, Span::new(2, 4));
        builder.push(1, Span::new(4, 5));
        let map = builder.finish();
        assert_eq!(map.run_count(), 2);
        assert_eq!(map.to_original(Span::new(3, 6)), Span::new(2, 4));
        assert_eq!(map.to_original(Span::new(0, 7)), Span::new(0, 5));
        assert_eq!(map.to_original(Span::new(6, 7)), Span::new(4, 5));
    }

    #[test]
    fn deleted_input_leaves_a_gap() {
        let mut builder = MapBuilder::new(20);
        builder.push(3, Span::new(0, 3));
        builder.push(3, Span::new(10, 13));
        let map = builder.finish();
        assert_eq!(map.to_original(Span::new(3, 6)), Span::new(10, 13));
        assert_eq!(map.to_original(Span::new(0, 6)), Span::new(0, 13));
    }

    #[test]
    fn positions_past_the_end_clamp() {
        let map = OffsetMap::identity(4);
        assert_eq!(map.to_original(Span::new(9, 12)), Span::new(4, 4));
        let empty = MapBuilder::new(0).finish();
        assert_eq!(empty.to_original(Span::new(0, 3)), Span::new(0, 0));
    }
}
