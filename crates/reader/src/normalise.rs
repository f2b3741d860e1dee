//! Stage 2, [`RawText`] → [`Normalised`]: one script, one set of digits, no annotations.
//!
//! In one pass over the decoded text, with an offset map kept for every character:
//!
//! 1. **Traditional → simplified** with OpenCC's `T2s` configuration (`ferrous-opencc`, the
//!    pure-Rust port, same output as C++ OpenCC). Never `Tw2sp`, which also swaps vocabulary
//!    (文件 → 文档) and would corrupt mainland text. `T2s` maps characters and phrases one to
//!    one in length, so each output character keeps its input character's bytes; a line where
//!    that ever fails is mapped as a whole (a diagnostic says so).
//! 2. **Script of origin.** Fewer than 5% of Han characters converted: the report was written
//!    in simplified characters, and conversions of the few characters that are *also* standard
//!    simplified characters (乾 in 乾县, 於, 徵, 夥) are undone. Otherwise it is traditional;
//!    and if its raw text holds bigrams that no correct traditional text contains but a naive
//!    character-by-character simplified→traditional conversion produces (全麵, 製度, 乾部,
//!    髮展, 隻有, 覆議, …), it is *mis-converted*: simplified in origin.
//! 3. **Repairs** ([`REPAIRS`]) of characters `T2s` leaves alone because they are also
//!    simplified characters, while in context they stand for another one: 著 → 着 (随著 in
//!    Taiwan usage, but 显著 kept), 瞭 → 了, 覆 → 复 in mis-converted text (覆议, but 覆盖 kept),
//!    产业炼 → 产业链, …. Each entry says why. Where a wrong traditional form maps back to the
//!    right simplified one anyway (全麵 → 全面, 製度 → 制度, 衝 → 冲, 髮展 → 发展), `T2s`
//!    already repairs it and no entry is needed.
//! 4. **Inline pinyin** in brackets right after a Han character is removed: `開(kāi)發(fā)` →
//!    `开发`. A group qualifies when it holds only Latin letters, spaces and tone marks (or tone
//!    digits) and at least one tone mark, ü or tone digit: `(以下简称“条例”)`, `（2020年）`,
//!    `(一)` and `(WTO)` stay.
//! 5. **Width**: full-width digits, Latin letters, `％` and `＋` become ASCII, and `．` between
//!    digits becomes `.`. Chinese punctuation (，。、；：“”（）) stays: it is standard in
//!    simplified text and later stages accept both widths. Zero-width characters are dropped
//!    and line ends become `\n`.
//!
//! What it does not do: word segmentation, Taiwan/Hong Kong vocabulary (計程車 stays 计程车),
//! or repairs beyond the table; see `docs/reader.md` for what the table covers.

use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use serde::Serialize;

use crate::decode::RawText;
use crate::diagnostic::{Diagnostic, Severity, Stage};
use crate::offsets::{MapBuilder, OffsetMap, Span};

/// The script the report was written in, as far as the text shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Script {
    /// Simplified characters (possibly with a few traditional ones, e.g. in quotations).
    Simplified,
    /// Traditional characters, correctly converted or written so.
    Traditional,
    /// Traditional characters produced from simplified text by a naive converter.
    Misconverted,
}

/// Counts of what normalisation changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NormaliseStats {
    /// Han characters in the text.
    pub han_chars: usize,
    /// Characters `T2s` changed (after undoing, for simplified text, the ones it should not).
    pub converted_chars: usize,
    /// Naive-conversion bigrams found in the raw text.
    pub misconversion_marks: usize,
    /// Characters changed by the repair table.
    pub repaired_chars: usize,
    /// Inline pinyin groups removed.
    pub pinyin_groups_removed: usize,
    /// Full-width characters folded to ASCII.
    pub width_folded: usize,
}

/// Normalised text with its map to the original input.
#[derive(Clone, Debug)]
pub struct Normalised {
    /// Simplified text with ASCII digits and `\n` line ends.
    pub text: String,
    /// Byte positions of `text` → bytes of the original input.
    pub map: OffsetMap,
    /// The script of origin.
    pub script: Script,
    /// What was changed.
    pub stats: NormaliseStats,
}

impl Normalised {
    /// The original byte range of a span of [`Normalised::text`].
    #[must_use]
    pub fn original(&self, span: Span) -> Span {
        self.map.to_original(span)
    }

    /// The text of a span, or `""` if the span is not on character boundaries.
    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or_default()
    }
}

fn converter() -> Option<&'static OpenCC> {
    static CONVERTER: OnceLock<Option<OpenCC>> = OnceLock::new();
    CONVERTER
        .get_or_init(|| OpenCC::from_config(BuiltinConfig::T2s).ok())
        .as_ref()
}

/// Traditional → simplified with OpenCC `T2s` alone (no offsets, repairs or folding); `None`
/// if the converter's built-in dictionaries failed to load. Used by the benchmark as the
/// baseline.
#[must_use]
pub fn t2s(text: &str) -> Option<String> {
    converter().map(|opencc| opencc.convert(text))
}

/// Characters in keys of the `T2s` dictionaries that `T2s` can change, in the basic CJK blocks,
/// as a bitset; everything outside those blocks that is not ASCII-range counts as a trigger.
///
/// `T2s` changes text only where a dictionary key matches whose value differs from it, and
/// every such key differs from its value at some character: either a character `T2s` changes
/// on its own (found by converting every basic-block character once, separated by line breaks
/// so that no phrase forms) or one of [`PHRASE_ONLY_TRIGGERS`]. A line without any of them is
/// left unchanged by `T2s`, so it is not converted at all: simplified reports skip the
/// converter almost entirely, with the same output.
#[derive(Debug)]
pub struct T2sTriggers {
    bits: Vec<u64>,
}

/// Characters that `T2s` changes only inside phrases (答覆 → 答复, 沈默 → 沉默, 藉口 → 借口),
/// from `TSPhrases.txt` of ferrous-opencc 0.4 (keys compared with their values position by
/// position, minus the characters that change on their own).
pub const PHRASE_ONLY_TRIGGERS: &str = "么俱彷沈牴瞭藉衹覆";

const TRIGGER_BLOCKS: [(u32, u32); 3] = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)];

impl T2sTriggers {
    fn build(opencc: Option<&OpenCC>) -> Self {
        let mut bits = vec![0u64; (0x10000 - 0x3400) / 64 + 1];
        let mut set = |ch: char| {
            let index = (u32::from(ch) as usize).saturating_sub(0x3400);
            if let Some(word) = bits.get_mut(index / 64) {
                *word |= 1 << (index % 64);
            }
        };
        for ch in PHRASE_ONLY_TRIGGERS.chars() {
            set(ch);
        }
        if let Some(opencc) = opencc {
            let mut probe = String::with_capacity(30_000 * 4);
            for (low, high) in TRIGGER_BLOCKS {
                for ch in (low..=high).filter_map(char::from_u32) {
                    probe.push(ch);
                    probe.push('\n');
                }
            }
            let converted = opencc.convert(&probe);
            for (original, changed) in probe.split('\n').zip(converted.split('\n')) {
                if original != changed
                    && let Some(ch) = original.chars().next()
                {
                    set(ch);
                }
            }
        }
        Self { bits }
    }

    /// Whether `T2s` might change `ch`.
    #[must_use]
    pub fn contains(&self, ch: char) -> bool {
        let code = u32::from(ch);
        if code < 0x3400 {
            return false;
        }
        if !TRIGGER_BLOCKS
            .iter()
            .any(|(low, high)| (*low..=*high).contains(&code))
        {
            // Other planes (extension B and beyond) and other blocks: convert to be safe.
            return code >= 0x20000;
        }
        let index = (code - 0x3400) as usize;
        self.bits
            .get(index / 64)
            .is_some_and(|word| word & (1 << (index % 64)) != 0)
    }

    /// Whether any character of `text` is a trigger.
    #[must_use]
    pub fn any_in(&self, text: &str) -> bool {
        text.chars().any(|ch| self.contains(ch))
    }
}

/// The triggers of the built-in `T2s` converter (built once, a few milliseconds).
pub fn triggers() -> &'static T2sTriggers {
    static TRIGGERS: OnceLock<T2sTriggers> = OnceLock::new();
    TRIGGERS.get_or_init(|| T2sTriggers::build(converter()))
}

/// Whether `ch` is a CJK unified ideograph (basic block, extension A, compatibility, or the
/// supplementary planes).
#[must_use]
pub fn is_han(ch: char) -> bool {
    matches!(u32::from(ch), 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
        || ch == '〇'
}

/// One repair: `from` becomes `to` unless the neighbours say otherwise.
#[derive(Clone, Copy, Debug)]
pub struct Repair {
    /// The character `T2s` leaves in place.
    pub from: char,
    /// What it stands for in mainland simplified text.
    pub to: char,
    /// Keep `from` when the previous character is one of these.
    pub keep_after: &'static str,
    /// Keep `from` when the next character is one of these.
    pub keep_before: &'static str,
    /// Apply only when one of these is the previous character (empty: any).
    pub only_after: &'static str,
    /// Apply only when one of these is the next character (empty: any); either `only_*`
    /// matching is enough when both are given.
    pub only_before: &'static str,
    /// Apply only to mis-converted text (simplified in origin).
    pub misconverted_only: bool,
    /// Why the entry exists.
    pub why: &'static str,
}

const fn repair(from: char, to: char, why: &'static str) -> Repair {
    Repair {
        from,
        to,
        keep_after: "",
        keep_before: "",
        only_after: "",
        only_before: "",
        misconverted_only: false,
        why,
    }
}

/// The repair table, applied after `T2s` to traditional-script reports only.
pub const REPAIRS: [Repair; 14] = [
    Repair {
        keep_after: "显卓论编专原名巨遗译合土昭拙所新大",
        keep_before: "名作称述书录者",
        ..repair(
            '著',
            '着',
            "Taiwan and Hong Kong usage, and converters, write the particle zhe and zhuo (随著, 著力, 著眼) as 著; T2s keeps 著 because it is also simplified (显著, 著名), so those words are kept",
        )
    },
    Repair {
        keep_before: "望",
        ..repair(
            '瞭',
            '了',
            "瞭解 and 明瞭 are traditional for 了解 and 明了; T2s keeps 瞭 (also simplified in 瞭望)",
        )
    },
    Repair {
        keep_after: "狼慰枕蕴",
        ..repair(
            '藉',
            '借',
            "借 converted to 藉 (藉鑒, 憑藉, 藉助); T2s keeps 藉 (simplified in 狼藉, 慰藉)",
        )
    },
    Repair {
        keep_after: "神",
        ..repair(
            '祇',
            '只',
            "只 converted to 祇 (祇有, 祇是); T2s keeps 祇 (simplified in 神祇)",
        )
    },
    repair(
        '衹',
        '只',
        "衹 is a traditional variant of 只 that T2s keeps",
    ),
    Repair {
        only_after: "答回批函电敬",
        ..repair(
            '覆',
            '复',
            "答覆, 回覆, 批覆 are Taiwan and Hong Kong forms of mainland 答复, 回复, 批复; T2s keeps 覆",
        )
    },
    Repair {
        keep_after: "颠倾翻地",
        keep_before: "盖灭没辙水亡巢舟被",
        misconverted_only: true,
        ..repair(
            '覆',
            '复',
            "a naive converter can turn 复 into 覆 (覆議 for 复议, 恢覆 for 恢复); T2s keeps 覆 because it is also simplified (覆盖, 颠覆, kept)",
        )
    },
    Repair {
        only_after: "业应块值金据任新态流品销证",
        only_before: "条接长式",
        misconverted_only: true,
        ..repair(
            '炼',
            '链',
            "链 converted to 鍊 (產業鍊) comes back as 炼 from T2s; only in chain words (产业链, 供应链, 区块链, 链长)",
        )
    },
    Repair {
        keep_before: "徨佛彿",
        misconverted_only: true,
        ..repair(
            '彷',
            '仿',
            "仿 converted to 彷 (模彷, 彷照); T2s keeps 彷 (simplified in 彷徨, 彷佛)",
        )
    },
    repair('伕', '夫', "夫 converted to 伕 (功伕, 丈伕); T2s keeps 伕"),
    repair(
        '赒',
        '周',
        "周 converted to 賙 comes back as 赒, which mainland text does not use",
    ),
    repair('揹', '背', "背 converted to 揹; T2s keeps 揹"),
    repair(
        '牠',
        '它',
        "它 converted to 牠 (also Taiwan usage for animals); T2s keeps 牠",
    ),
    repair(
        '牴',
        '抵',
        "抵 converted to 牴 (牴觸 for 抵触); T2s keeps 牴",
    ),
];

/// Characters `T2s` converts although they are standard simplified characters too; in a
/// simplified report their conversion is undone (乾县 and 乾安县 are places, 於 a surname).
const ALSO_SIMPLIFIED: [char; 4] = ['乾', '於', '徵', '夥'];

/// Bigrams that no correct traditional text contains but a naive character-by-character
/// simplified → traditional conversion produces. Two or more mark a mis-converted report.
pub const MISCONVERSION_MARKS: [&str; 32] = [
    "全麵", "方麵", "麵對", "麵臨", "層麵", "局麵", "裏麵", "裡麵", "表麵", "麵積", "前麵", "後麵",
    "製度", "體製", "機製", "控製", "限製", "製定", "法製", "乾部", "髮展", "髮揮", "髮佈", "隻有",
    "隻要", "隻能", "覆議", "係統", "恢覆", "覆雜", "重覆", "皇後",
];

/// Share of converted Han characters above which a report counts as traditional.
const TRADITIONAL_SHARE_PERCENT: usize = 5;

struct Pass<'a> {
    out: String,
    builder: MapBuilder,
    cursor: crate::offsets::MapCursor<'a>,
    stats: NormaliseStats,
    reverts: Vec<(usize, char)>,
    raw_text: &'a str,
    raw_map: &'a OffsetMap,
    /// Raw text copied unchanged but not yet written: copying runs instead of characters keeps
    /// the common case (simplified UTF-8 text) to one `push_str` and one map piece per run.
    run: Option<Span>,
}

impl Pass<'_> {
    fn flush(&mut self) {
        if let Some(run) = self.run.take() {
            let piece = self.raw_text.get(run.start..run.end).unwrap_or_default();
            self.out.push_str(piece);
            self.builder
                .push_mapped(piece, run, self.raw_map, &mut self.cursor);
        }
    }

    fn copy(&mut self, raw: Span) {
        match &mut self.run {
            Some(run) if run.end == raw.start => run.end = raw.end,
            _ => {
                self.flush();
                self.run = Some(raw);
            }
        }
    }

    fn emit(&mut self, ch: char, raw: Span) {
        self.flush();
        self.out.push(ch);
        let orig = self.cursor.to_original(raw);
        self.builder.push(ch.len_utf8(), orig);
    }

    fn last(&self) -> Option<char> {
        match self.run {
            Some(run) => self
                .raw_text
                .get(run.start..run.end)
                .and_then(|piece| piece.chars().next_back()),
            None => self.out.chars().next_back(),
        }
    }
}

fn is_tone_vowel(ch: char) -> bool {
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüÜêńňǹḿĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙ".contains(ch)
}

/// Whether a bracket's content is a pinyin annotation (see the module doc).
#[must_use]
pub fn is_pinyin_annotation(content: &str) -> bool {
    let content = content.trim();
    if content.is_empty() || content.chars().count() > 40 {
        return false;
    }
    let mut marked = false;
    let mut letters = 0usize;
    let mut previous_letter = false;
    for ch in content.chars() {
        if is_tone_vowel(ch) {
            marked = true;
            letters += 1;
            previous_letter = true;
        } else if ch.is_ascii_alphabetic() {
            letters += 1;
            previous_letter = true;
        } else if ('1'..='5').contains(&ch) && previous_letter {
            // Tone digits right after a syllable: kai1 fa1.
            marked = true;
            previous_letter = false;
        } else if matches!(ch, ' ' | '\'' | '·' | '-' | '\u{3000}') {
            previous_letter = false;
        } else {
            return false;
        }
    }
    marked && letters > 0
}

/// Finds a closing bracket for the opening one at `open` within a short window.
fn pinyin_group_end(line: &str, open: usize, open_ch: char) -> Option<usize> {
    let after = open + open_ch.len_utf8();
    let rest = line.get(after..)?;
    let window = rest.get(..rest.len().min(160)).or_else(|| {
        // Cut on a character boundary.
        let mut end = rest.len().min(160);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        rest.get(..end)
    })?;
    let close = window.find([')', '）'])?;
    let content = window.get(..close)?;
    is_pinyin_annotation(content).then(|| {
        let close_ch_len = window.get(close..)?.chars().next()?.len_utf8();
        Some(after + close + close_ch_len)
    })?
}

fn fold_width(ch: char) -> Option<char> {
    match u32::from(ch) {
        0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => {
            char::from_u32(u32::from(ch) - 0xFEE0)
        }
        _ => match ch {
            '％' => Some('%'),
            '＋' => Some('+'),
            '\u{00A0}' => Some(' '),
            _ => None,
        },
    }
}

fn is_zero_width(ch: char) -> bool {
    matches!(
        ch,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

fn count_marks(raw: &str) -> usize {
    // The marks are in the raw text; the first megabyte is plenty to decide.
    let mut end = raw.len().min(1 << 20);
    while !raw.is_char_boundary(end) {
        end -= 1;
    }
    let head = raw.get(..end).unwrap_or_default();
    MISCONVERSION_MARKS
        .iter()
        .map(|mark| head.matches(mark).count())
        .sum()
}

/// Normalises decoded text. Never fails; see the module documentation for the steps.
#[must_use]
pub fn normalise(raw: &RawText) -> (Normalised, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let opencc = converter();
    if opencc.is_none() {
        diagnostics.push(Diagnostic::new(
            Stage::Normalise,
            "converter_unavailable",
            Severity::Warning,
            "the OpenCC T2s dictionaries failed to load; traditional characters were kept",
        ));
    }
    let mut pass = Pass {
        out: String::with_capacity(raw.text.len()),
        builder: MapBuilder::new(raw.map.original_len()),
        cursor: raw.map.cursor(),
        stats: NormaliseStats::default(),
        reverts: Vec::new(),
        raw_text: &raw.text,
        raw_map: &raw.map,
        run: None,
    };
    let mut coarse_lines = 0usize;
    let mut raw_line_start = 0usize;
    for raw_line in raw.text.split_inclusive('\n') {
        // Only lines holding a character T2s could change go through the converter; the
        // output is the same as converting the whole text (see `T2sTriggers`).
        let converted = match opencc {
            Some(opencc) if triggers().any_in(raw_line) => {
                std::borrow::Cow::Owned(opencc.convert(raw_line))
            }
            _ => std::borrow::Cow::Borrowed(raw_line),
        };
        let converted_line = converted.as_ref();
        if raw_line.chars().count() == converted_line.chars().count() {
            normalise_line(&mut pass, raw_line, converted_line, raw_line_start);
        } else {
            pass.flush();
            coarse_lines += 1;
            pass.out.push_str(converted_line);
            let orig = pass
                .cursor
                .to_original(Span::new(raw_line_start, raw_line_start + raw_line.len()));
            pass.builder.push(converted_line.len(), orig);
        }
        raw_line_start += raw_line.len();
    }
    pass.flush();
    if coarse_lines > 0 {
        diagnostics.push(Diagnostic::new(
            Stage::Normalise,
            "conversion_changed_length",
            Severity::Info,
            format!("{coarse_lines} lines changed length in conversion; their offsets map to whole lines"),
        ));
    }
    let Pass {
        out,
        builder,
        mut stats,
        reverts,
        ..
    } = pass;
    let traditional = stats.converted_chars * 100 > stats.han_chars * TRADITIONAL_SHARE_PERCENT;
    let mut bytes = out.into_bytes();
    let script = if traditional {
        stats.misconversion_marks = count_marks(&raw.text);
        if stats.misconversion_marks >= 2 {
            Script::Misconverted
        } else {
            Script::Traditional
        }
    } else {
        for (at, original) in &reverts {
            write_char(&mut bytes, *at, *original);
            stats.converted_chars = stats.converted_chars.saturating_sub(1);
        }
        Script::Simplified
    };
    if script != Script::Simplified {
        stats.repaired_chars = apply_repairs(&mut bytes, script == Script::Misconverted);
    }
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
    if stats.converted_chars > 0 {
        diagnostics.push(Diagnostic::new(
            Stage::Normalise,
            "converted_to_simplified",
            Severity::Info,
            format!(
                "{} traditional characters converted to simplified; script of origin: {:?}",
                stats.converted_chars, script
            ),
        ));
    }
    if stats.repaired_chars > 0 {
        diagnostics.push(Diagnostic::new(
            Stage::Normalise,
            "misconversions_repaired",
            Severity::Info,
            format!(
                "{} characters repaired after conversion",
                stats.repaired_chars
            ),
        ));
    }
    if stats.pinyin_groups_removed > 0 {
        diagnostics.push(Diagnostic::new(
            Stage::Normalise,
            "pinyin_removed",
            Severity::Info,
            format!(
                "{} inline pinyin annotations removed",
                stats.pinyin_groups_removed
            ),
        ));
    }
    let normalised = Normalised {
        text,
        map: builder.finish(),
        script,
        stats,
    };
    (normalised, diagnostics)
}

fn write_char(bytes: &mut [u8], at: usize, ch: char) {
    let mut buffer = [0u8; 4];
    let encoded = ch.encode_utf8(&mut buffer).as_bytes();
    if let Some(target) = bytes.get_mut(at..at + encoded.len())
        && std::str::from_utf8(target).is_ok_and(|old| old.chars().count() == 1)
    {
        target.copy_from_slice(encoded);
    }
}

fn normalise_line(pass: &mut Pass<'_>, raw_line: &str, converted_line: &str, line_start: usize) {
    let mut skip_to = 0usize;
    let mut raw_chars = raw_line.char_indices().peekable();
    let mut converted_chars = converted_line.chars();
    while let Some((offset, raw_ch)) = raw_chars.next() {
        let Some(converted_ch) = converted_chars.next() else {
            break;
        };
        if offset < skip_to {
            continue;
        }
        let raw_span = Span::new(line_start + offset, line_start + offset + raw_ch.len_utf8());
        if is_han(converted_ch) {
            pass.stats.han_chars += 1;
            if raw_ch == converted_ch {
                pass.copy(raw_span);
            } else {
                pass.stats.converted_chars += 1;
                pass.flush();
                if ALSO_SIMPLIFIED.contains(&raw_ch) && pass.reverts.len() < 100_000 {
                    pass.reverts.push((pass.out.len(), raw_ch));
                }
                pass.emit(converted_ch, raw_span);
            }
            continue;
        }
        match raw_ch {
            '\r' => {
                if raw_chars.peek().is_none_or(|(_, next)| *next != '\n') {
                    pass.emit('\n', raw_span);
                }
            }
            '(' | '（' if pass.last().is_some_and(is_han) => {
                if let Some(end) = pinyin_group_end(raw_line, offset, raw_ch) {
                    pass.stats.pinyin_groups_removed += 1;
                    skip_to = end;
                } else {
                    pass.emit(raw_ch, raw_span);
                }
            }
            '．' => {
                let between_digits = pass.last().is_some_and(|ch| ch.is_ascii_digit())
                    && raw_chars.peek().is_some_and(|(_, next)| {
                        next.is_ascii_digit() || ('０'..='９').contains(next)
                    });
                if between_digits {
                    pass.stats.width_folded += 1;
                    pass.emit('.', raw_span);
                } else {
                    pass.emit(raw_ch, raw_span);
                }
            }
            ch if is_zero_width(ch) => pass.flush(),
            ch => match fold_width(ch) {
                Some(folded) => {
                    pass.stats.width_folded += 1;
                    pass.emit(folded, raw_span);
                }
                None if ch == converted_ch => pass.copy(raw_span),
                None => pass.emit(converted_ch, raw_span),
            },
        }
    }
}

fn apply_repairs(bytes: &mut [u8], misconverted: bool) -> usize {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return 0;
    };
    let triggers: Vec<char> = REPAIRS.iter().map(|repair| repair.from).collect();
    let mut edits: Vec<(usize, char)> = Vec::new();
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, ch)) = chars.next() {
        if triggers.contains(&ch) {
            let next = chars.peek().map(|(_, next)| *next);
            let in_set =
                |set: &str, neighbour: Option<char>| neighbour.is_some_and(|c| set.contains(c));
            for repair in REPAIRS.iter().filter(|repair| repair.from == ch) {
                if repair.misconverted_only && !misconverted {
                    continue;
                }
                if in_set(repair.keep_after, previous) || in_set(repair.keep_before, next) {
                    continue;
                }
                let restricted = !repair.only_after.is_empty() || !repair.only_before.is_empty();
                if restricted
                    && !in_set(repair.only_after, previous)
                    && !in_set(repair.only_before, next)
                {
                    continue;
                }
                edits.push((at, repair.to));
                break;
            }
        }
        previous = Some(ch);
    }
    let count = edits.len();
    for (at, ch) in edits {
        write_char(bytes, at, ch);
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{Format, decode};

    fn norm(text: &str) -> Normalised {
        let (raw, _) = decode(text.as_bytes(), Some(Format::Text));
        normalise(&raw).0
    }

    #[test]
    fn converting_only_trigger_lines_equals_converting_everything() {
        let samples = [
            "区政府办理行政复议案件262件，覆盖全区。\n答覆群众诉求，沈默不语，藉口推脱。\n乾坤 乾县 於是\n",
            "全麵推進法治政府建設，健全製度體製。\n行政覆議案件\n",
            "simplified only 法治政府建设情况报告\n",
        ];
        let opencc = converter().unwrap();
        for sample in samples {
            let whole = opencc.convert(sample);
            let by_line: String = sample
                .split_inclusive('\n')
                .map(|line| {
                    if triggers().any_in(line) {
                        opencc.convert(line)
                    } else {
                        line.to_owned()
                    }
                })
                .collect();
            assert_eq!(by_line, whole, "{sample}");
        }
        assert!(!triggers().any_in("法治政府建设情况报告，办理案件"));
        assert!(
            triggers().contains('覆') && triggers().contains('麵') && triggers().contains('開')
        );
    }

    #[test]
    fn traditional_text_becomes_simplified() {
        let result = norm("二〇二〇年，區政府辦理行政復議案件262件，隨著改革深入，成效顯著。");
        assert_eq!(
            result.text,
            "二〇二〇年，区政府办理行政复议案件262件，随着改革深入，成效显著。"
        );
        assert_eq!(result.script, Script::Traditional);
    }

    #[test]
    fn naive_conversion_is_repaired() {
        let result = norm(
            "全麵推進法治政府建設，健全製度體製，辦理行政覆議案件，覆蓋全區，發展產業鍊，隻有堅持。",
        );
        assert_eq!(result.script, Script::Misconverted);
        assert_eq!(
            result.text,
            "全面推进法治政府建设，健全制度体制，办理行政复议案件，覆盖全区，发展产业链，只有坚持。"
        );
    }

    #[test]
    fn simplified_text_keeps_also_simplified_characters() {
        let result =
            norm("乾县人民政府2020年法治政府建设情况报告，全面推进依法行政，著名专家参与论证。");
        assert_eq!(result.script, Script::Simplified);
        assert!(result.text.starts_with("乾县"), "{}", result.text);
        assert!(result.text.contains("著名"));
    }

    #[test]
    fn pinyin_is_removed_and_real_brackets_stay() {
        let result =
            norm("開(kāi)發(fā)區(qū)（kāi fā）依據《條例》(以下簡稱“條例”)（2020年）(一)(WTO)");
        assert_eq!(
            result.text,
            "开发区依据《条例》(以下简称“条例”)（2020年）(一)(WTO)"
        );
        assert_eq!(result.stats.pinyin_groups_removed, 4);
    }

    #[test]
    fn full_width_digits_fold() {
        let result = norm("受理案件１２３件，占比９８．６４％，ＡＰＰ。");
        assert_eq!(result.text, "受理案件123件，占比98.64%，APP。");
    }

    #[test]
    fn every_character_maps_back_to_its_source() {
        let source = "開(kāi)發(fā)區，受理１２件。";
        let result = norm(source);
        let at = result.text.find("12").unwrap();
        let orig = result.original(Span::new(at, at + 2));
        assert_eq!(source.get(orig.start..orig.end), Some("１２"));
        let at = result.text.find("发").unwrap();
        let orig = result.original(Span::new(at, at + "发".len()));
        assert_eq!(source.get(orig.start..orig.end), Some("發"));
    }
}
