//! Stage 3, [`Normalised`] → [`Document`]: title, metadata and the section tree.
//!
//! Lines are classified first: page furniture (访问量, 字号, 扫一扫, 打印, 分享到, breadcrumbs;
//! 发布时间 and 来源 lines are kept as metadata), the title, headings, body paragraphs, and a
//! trailing signature (unit and date). Headings are recognised by their numbering at the start
//! of a line — `第一部分`, `一、`, `（一）`, `1.`/`1、`, `（1）`, `①`, `一是` — and nested in the
//! order the report actually uses them: the first style met is level 1, a style not yet open
//! nests under the current one, a style already open closes everything below it. `一是…二是…`
//! inside a paragraph become inline items under the paragraph's section.
//!
//! Top-level sections are mapped to the five statutory parts (reporting.md §2) by keywords in
//! their titles, with a confidence; a top-level section without part keywords that comes before
//! the shortcomings is taken as a topic of the main measures, with low confidence.
//!
//! What it does not do: read tables as tables, follow cross-references, or judge the content
//! (that is the lint's job).

use serde::{Serialize, Serializer};

use crate::diagnostic::{Diagnostic, Severity, Stage};
use crate::normalise::{Normalised, is_han};
use crate::numerals::{chinese_digit, is_chinese_numeral_char, parse_chinese};
use crate::offsets::Span;

/// A calendar date as printed in a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

impl Date {
    fn new(year: i64, month: i64, day: i64) -> Option<Self> {
        let valid =
            (1990..=2100).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day);
        valid.then(|| Self {
            year: i32::try_from(year).unwrap_or(0),
            month: u8::try_from(month).unwrap_or(0),
            day: u8::try_from(day).unwrap_or(0),
        })
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Administrative level of the reporting jurisdiction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 省, 自治区, or one of the four municipalities (北京市, 天津市, 上海市, 重庆市).
    Province,
    /// 市, 州, 盟, 地区 (prefecture- or county-level city).
    City,
    /// 区 (a city district).
    District,
    /// 县, 旗, 自治县.
    County,
    /// 开发区, 高新区, 新区 and similar zones.
    DevelopmentZone,
    /// 乡, 镇, 街道.
    Township,
}

/// Who reports: the jurisdiction, and the department when a department reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Jurisdiction {
    /// Normalised place name, e.g. `荆州市荆州区`, `武昌区`, `昭通市`.
    pub name: String,
    /// Level, from the name's last suffix.
    pub level: Level,
    /// The reporting department (`司法局`), when it is not the government itself.
    pub department: Option<String>,
}

/// Where the publication date was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// A labelled line: 发布时间, 发布日期, 成文日期.
    Label,
    /// An unlabelled date line in the page header.
    Header,
    /// The date under the signature at the end.
    Signature,
}

/// What the report says about itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Meta {
    /// The title line.
    pub title: Option<String>,
    /// Where the title is in the normalised text.
    pub title_span: Option<Span>,
    /// The year reported on.
    pub year: Option<i32>,
    /// The reporting jurisdiction.
    pub jurisdiction: Option<Jurisdiction>,
    /// Publication (or, failing that, signature) date.
    pub published: Option<Date>,
    /// Where `published` came from.
    pub published_from: Option<DateSource>,
    /// The date under the signature, if any.
    pub signed: Option<Date>,
    /// The unit named as source (来源, 信息来源, 发布机构, 供稿).
    pub source_unit: Option<String>,
}

/// How a heading is numbered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HeadingStyle {
    /// 第一部分, 第一章.
    Part,
    /// 一、
    ChineseComma,
    /// （一）
    ChineseParen,
    /// 1. or 1、
    ArabicDot,
    /// （1）
    ArabicParen,
    /// ①
    Circled,
    /// 一是, 二是 (at a line start, or inline in a paragraph).
    Enumeration,
}

/// One of the five parts the 2019 规定 requires (reporting.md §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatutoryPart {
    /// 主要举措和成效.
    Measures,
    /// 存在的不足和原因.
    Shortcomings,
    /// 党政主要负责人履行推进法治建设第一责任人职责情况.
    FirstResponsiblePerson,
    /// 下一年度主要安排.
    NextYear,
    /// 其他需要报告的情况.
    Other,
}

impl StatutoryPart {
    /// All parts in statutory order.
    pub const ALL: [StatutoryPart; 5] = [
        Self::Measures,
        Self::Shortcomings,
        Self::FirstResponsiblePerson,
        Self::NextYear,
        Self::Other,
    ];
}

/// A section's statutory part and how sure the mapping is (0–1).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PartMatch {
    /// The part.
    pub part: StatutoryPart,
    /// 0.9 for a keyword in the title, 0.4 for a topical section taken as a measure.
    pub confidence: f32,
}

/// A section of the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Section {
    /// Numbering style.
    pub style: HeadingStyle,
    /// The number (一 → 1).
    pub ordinal: u32,
    /// The numbering as written, e.g. `（三）`.
    pub label: String,
    /// The heading text after the numbering, up to the first full stop.
    pub title: String,
    /// The heading in the normalised text.
    pub heading_span: Span,
    /// The whole section, heading included, in the normalised text.
    pub span: Span,
    /// Depth, 1 for top level.
    pub level: usize,
    /// True for `一是` items found inside a paragraph.
    pub inline: bool,
    /// Statutory part (top-level sections only).
    pub part: Option<PartMatch>,
    /// Subsections.
    pub children: Vec<Section>,
}

/// The kind of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Only whitespace.
    Blank,
    /// The title.
    Title,
    /// Page furniture or header metadata.
    Furniture,
    /// The signature block at the end.
    Signature,
    /// A numbered heading (the line may go on with body text).
    Heading,
    /// Body text.
    Body,
}

/// A classified line of the normalised text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The line without surrounding whitespace.
    pub span: Span,
    /// What it is.
    pub kind: LineKind,
}

/// A structured report.
#[derive(Clone, Debug)]
pub struct Document {
    /// The normalised text all spans refer to, with its map to the input.
    pub normalised: Normalised,
    /// Title, year, jurisdiction, dates, source.
    pub meta: Meta,
    /// Top-level sections, each with its subsections.
    pub sections: Vec<Section>,
    /// Text between the title and the first heading.
    pub preamble: Option<Span>,
    /// Every line, classified.
    pub lines: Vec<Line>,
}

impl Document {
    /// The normalised text.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.normalised.text
    }

    /// The path of section indices (from the top level down) of the innermost section at `pos`.
    #[must_use]
    pub fn section_path_at(&self, pos: usize) -> Vec<usize> {
        let mut path = Vec::new();
        let mut level = &self.sections;
        while let Some(idx) = level
            .iter()
            .position(|section| section.span.start <= pos && pos < section.span.end)
        {
            path.push(idx);
            match level.get(idx) {
                Some(section) => level = &section.children,
                None => break,
            }
        }
        path
    }

    /// The sections along a path.
    #[must_use]
    pub fn sections_on_path(&self, path: &[usize]) -> Vec<&Section> {
        let mut found = Vec::new();
        let mut level = &self.sections;
        for idx in path {
            let Some(section) = level.get(*idx) else {
                break;
            };
            found.push(section);
            level = &section.children;
        }
        found
    }

    /// Top-level sections mapped to `part`.
    pub fn part_sections(&self, part: StatutoryPart) -> impl Iterator<Item = &Section> {
        self.sections
            .iter()
            .filter(move |section| section.part.is_some_and(|found| found.part == part))
    }

    /// Body lines (headings included, furniture, title and signature excluded).
    pub fn body_lines(&self) -> impl Iterator<Item = &Line> {
        self.lines
            .iter()
            .filter(|line| matches!(line.kind, LineKind::Body | LineKind::Heading))
    }
}

const FURNITURE_STRONG: [&str; 34] = [
    "扫一扫",
    "访问量",
    "浏览次数",
    "阅读次数",
    "点击数",
    "点击量",
    "字号",
    "打印本页",
    "【打印】",
    "关闭窗口",
    "【关闭】",
    "分享到",
    "责任编辑",
    "上一篇",
    "下一篇",
    "当前位置",
    "索引号",
    "主题分类",
    "发布机构",
    "发文机关",
    "成文日期",
    "发布日期",
    "发布时间",
    "信息来源",
    "【大】",
    "网站地图",
    "版权所有",
    "ICP备",
    "主办单位",
    "技术支持",
    "联系电话",
    "网站标识码",
    "备案号",
    "您现在的位置",
];
const FURNITURE_WEAK: [&str; 12] = [
    "来源",
    "打印",
    "关闭",
    "收藏",
    "首页",
    "本站",
    "作者",
    "编辑",
    "字体",
    "分享",
    "浏览",
    "返回顶部",
];

fn is_sentence_end(ch: char) -> bool {
    matches!(ch, '。' | '！' | '？' | '；' | '!' | '?' | ';')
}

/// A date found in text, and where.
fn find_date(text: &str) -> Option<(Date, Span)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let number_at = |start: usize| -> (i64, usize) {
        let mut value: i64 = 0;
        let mut idx = start;
        while let Some((_, ch)) = chars.get(idx) {
            if let Some(digit) = ch.to_digit(10) {
                value = value.saturating_mul(10).saturating_add(i64::from(digit));
                idx += 1;
            } else {
                break;
            }
        }
        (value, idx - start)
    };
    let mut idx = 0usize;
    while idx < chars.len() {
        let Some(&(byte_start, ch)) = chars.get(idx) else {
            break;
        };
        if ch.is_ascii_digit()
            && (idx == 0
                || !chars
                    .get(idx - 1)
                    .is_some_and(|(_, prev)| prev.is_ascii_digit()))
        {
            let (first, first_len) = number_at(idx);
            let sep = chars.get(idx + first_len).map(|(_, c)| *c);
            let (second, second_len) = number_at(idx + first_len + 1);
            let sep2 = chars.get(idx + first_len + 1 + second_len).map(|(_, c)| *c);
            let (third, third_len) = number_at(idx + first_len + second_len + 2);
            let end_idx = idx + first_len + second_len + third_len + 2;
            let end_byte = |end: usize| chars.get(end).map_or(text.len(), |(at, _)| *at);
            if first_len == 4 && second_len > 0 && third_len > 0 {
                let pair = (sep, sep2);
                let date = match pair {
                    (Some('-'), Some('-')) | (Some('/'), Some('/')) | (Some('.'), Some('.')) => {
                        Date::new(first, second, third)
                    }
                    (Some('年'), Some('月')) => Date::new(first, second, third),
                    _ => None,
                };
                if let Some(date) = date {
                    let end = if sep == Some('年') {
                        end_idx + 1
                    } else {
                        end_idx
                    };
                    return Some((date, Span::new(byte_start, end_byte(end))));
                }
            }
            if first_len <= 2
                && sep == Some('.')
                && sep2 == Some('.')
                && third_len == 4
                && second_len <= 2
                && let Some(date) = Date::new(third, second, first)
            {
                return Some((date, Span::new(byte_start, end_byte(end_idx))));
            }
            idx += first_len.max(1);
            continue;
        }
        idx += 1;
    }
    find_chinese_date(text)
}

/// 二〇二一年二月三日.
fn find_chinese_date(text: &str) -> Option<(Date, Span)> {
    let year_at = text.find('年')?;
    let before = text.get(..year_at)?;
    let year_start = before
        .char_indices()
        .rev()
        .take_while(|(_, ch)| chinese_digit(*ch).is_some())
        .last()
        .map(|(at, _)| at)?;
    let year = parse_chinese(before.get(year_start..)?)?;
    let rest = text.get(year_at + '年'.len_utf8()..)?;
    let month_at = rest.find('月')?;
    let month = parse_chinese(rest.get(..month_at)?)?;
    let rest2 = rest.get(month_at + '月'.len_utf8()..)?;
    let day_at = rest2.find('日')?;
    let day = parse_chinese(rest2.get(..day_at)?)?;
    let date = Date::new(
        i64::try_from(year).ok()?,
        i64::try_from(month).ok()?,
        i64::try_from(day).ok()?,
    )?;
    let end = year_at + '年'.len_utf8() + month_at + '月'.len_utf8() + day_at + '日'.len_utf8();
    Some((date, Span::new(year_start, end)))
}

fn is_date_only(text: &str) -> Option<Date> {
    let (date, span) = find_date(text)?;
    let rest: String = text
        .get(..span.start)
        .unwrap_or_default()
        .chars()
        .chain(text.get(span.end..).unwrap_or_default().chars())
        .collect();
    let rest_ok = rest.chars().all(|ch| {
        ch.is_whitespace()
            || ch.is_ascii_digit()
            || matches!(
                ch,
                ':' | '：' | '•' | '·' | '-' | '发' | '布' | '时' | '间' | '日' | '期'
            )
    });
    rest_ok.then_some(date)
}

/// The value after a label such as `来源:`, up to the next wide gap or label.
fn labelled_value(text: &str, labels: &[&str]) -> Option<String> {
    for label in labels {
        if let Some(at) = text.find(label) {
            let rest = text.get(at + label.len()..)?;
            let rest = rest.trim_start_matches([':', '：', ' ', '\u{3000}', '\t']);
            let value: String = rest
                .chars()
                .take_while(|ch| !ch.is_whitespace() && !matches!(ch, '|' | '【' | '[' | '丨'))
                .collect();
            let value = value.trim_end_matches(['，', ',', '。']).to_owned();
            if value.chars().count() >= 2
                && value.chars().count() <= 30
                && value.chars().any(is_han)
            {
                return Some(value);
            }
        }
    }
    None
}

fn is_furniture(text: &str) -> bool {
    let chars = text.chars().count();
    if chars == 0 {
        return false;
    }
    if chars <= 120 && FURNITURE_STRONG.iter().any(|mark| text.contains(mark)) {
        return true;
    }
    if chars <= 30
        && FURNITURE_WEAK.iter().any(|mark| text.contains(mark))
        && !text.chars().any(is_sentence_end)
    {
        return true;
    }
    if is_date_only(text).is_some() && chars <= 40 {
        return true;
    }
    // Breadcrumbs and symbol-only lines.
    (chars <= 60 && (text.contains(" > ") || text.contains('»')) && text.contains("首页"))
        || text
            .chars()
            .all(|ch| !is_han(ch) && !ch.is_ascii_alphanumeric())
}

/// A heading's numbering at the start of `text`: style, ordinal, byte length of the numbering.
#[must_use]
pub fn parse_heading(text: &str) -> Option<(HeadingStyle, u32, usize)> {
    let first = text.chars().next()?;
    let take_while_len = |from: usize, pred: &dyn Fn(char) -> bool| -> usize {
        text.get(from..)
            .unwrap_or_default()
            .chars()
            .take_while(|ch| pred(*ch))
            .map(char::len_utf8)
            .sum()
    };
    let ordinal_of = |numeral: &str| -> Option<u32> {
        let value = if numeral.chars().all(|ch| ch.is_ascii_digit()) {
            numeral.parse::<u32>().ok()?
        } else {
            u32::try_from(parse_chinese(numeral)?).ok()?
        };
        (1..=99).contains(&value).then_some(value)
    };
    let cn_numeral = |ch: char| chinese_digit(ch).is_some() && ch != '两' || ch == '十';
    if first == '第' {
        let len = take_while_len(3, &cn_numeral);
        let ordinal = ordinal_of(text.get(3..3 + len)?)?;
        let rest = text.get(3 + len..)?;
        for suffix in ["部分", "章", "篇"] {
            if rest.starts_with(suffix) {
                return Some((HeadingStyle::Part, ordinal, 3 + len + suffix.len()));
            }
        }
        return None;
    }
    if let Some(index) = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".chars().position(|ch| ch == first)
    {
        return Some((
            HeadingStyle::Circled,
            u32::try_from(index).ok()? + 1,
            first.len_utf8(),
        ));
    }
    if first == '(' || first == '（' {
        let open = first.len_utf8();
        let inner_cn = take_while_len(open, &cn_numeral);
        let inner_ar = take_while_len(open, &|ch: char| ch.is_ascii_digit());
        let (inner, style) = if inner_cn > 0 {
            (inner_cn, HeadingStyle::ChineseParen)
        } else if inner_ar > 0 && inner_ar <= 2 {
            (inner_ar, HeadingStyle::ArabicParen)
        } else {
            return None;
        };
        let ordinal = ordinal_of(text.get(open..open + inner)?)?;
        let close = text.get(open + inner..)?.chars().next()?;
        if close != ')' && close != '）' {
            return None;
        }
        let mut len = open + inner + close.len_utf8();
        if text.get(len..).is_some_and(|rest| rest.starts_with('、')) {
            len += '、'.len_utf8();
        }
        return Some((style, ordinal, len));
    }
    let cn_len = take_while_len(0, &cn_numeral);
    if cn_len > 0 {
        let ordinal = ordinal_of(text.get(..cn_len)?)?;
        let next = text.get(cn_len..)?.chars().next()?;
        return match next {
            '、' | '．' => Some((
                HeadingStyle::ChineseComma,
                ordinal,
                cn_len + next.len_utf8(),
            )),
            '.' if !text
                .get(cn_len + 1..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(|ch| ch.is_ascii_digit()) =>
            {
                Some((HeadingStyle::ChineseComma, ordinal, cn_len + 1))
            }
            '是' => Some((HeadingStyle::Enumeration, ordinal, cn_len + next.len_utf8())),
            _ => None,
        };
    }
    let digits = take_while_len(0, &|ch: char| ch.is_ascii_digit());
    if digits > 0 && digits <= 2 {
        let ordinal = ordinal_of(text.get(..digits)?)?;
        let next = text.get(digits..)?.chars().next()?;
        let after = text
            .get(digits + next.len_utf8()..)
            .and_then(|rest| rest.chars().next());
        let after_is_digit = after.is_some_and(|ch| ch.is_ascii_digit());
        return match next {
            '、' | '．' => Some((HeadingStyle::ArabicDot, ordinal, digits + next.len_utf8())),
            '.' if !after_is_digit && after.is_some() => {
                Some((HeadingStyle::ArabicDot, ordinal, digits + 1))
            }
            _ => None,
        };
    }
    None
}

/// The heading title: the text after the numbering up to the first sentence end, cut at 60
/// characters. Returns the title and its byte length within `rest`.
fn heading_title(rest: &str) -> (String, usize) {
    let mut end = rest.len();
    for (at, ch) in rest.char_indices() {
        if is_sentence_end(ch) || ch == '：' || ch == ':' {
            end = at;
            break;
        }
    }
    let title = rest.get(..end).unwrap_or_default().trim();
    let title: String = title.chars().take(60).collect();
    let len = rest.get(..end).map_or(0, |taken| taken.len());
    (title, len)
}

/// Keyword mapping of a top-level heading to a statutory part.
#[must_use]
pub fn part_for_title(title: &str, report_year: Option<i32>) -> Option<PartMatch> {
    let has = |words: &[&str]| words.iter().any(|word| title.contains(word));
    let part = |part, confidence| Some(PartMatch { part, confidence });
    if has(&[
        "第一责任人",
        "主要负责人",
        "党政主要负责",
        "主要领导履行",
        "履行推进法治建设",
    ]) && !has(&["下一年", "下步", "明年"])
    {
        return part(StatutoryPart::FirstResponsiblePerson, 0.9);
    }
    if has(&[
        "不足",
        "存在的问题",
        "存在问题",
        "问题和",
        "差距",
        "短板",
        "薄弱环节",
        "困难和问题",
        "面临的问题",
    ]) {
        return part(StatutoryPart::Shortcomings, 0.9);
    }
    let next_year = report_year.map(|year| format!("{}年", year + 1));
    let names_next_year = next_year
        .as_deref()
        .is_some_and(|year| title.contains(year));
    if has(&[
        "下一年",
        "下一步",
        "下步",
        "明年",
        "来年",
        "今后",
        "工作安排",
        "工作打算",
        "工作思路",
        "工作计划",
        "努力方向",
        "工作展望",
        "主要安排",
        "重点工作",
    ]) || (names_next_year && has(&["安排", "打算", "计划", "思路", "重点", "将"]))
    {
        return part(StatutoryPart::NextYear, 0.9);
    }
    if has(&[
        "其他需要报告",
        "其他事项",
        "其它需要报告",
        "其他情况",
        "需要报告的其他",
    ]) {
        return part(StatutoryPart::Other, 0.8);
    }
    if has(&[
        "举措",
        "成效",
        "主要做法",
        "工作情况",
        "工作开展",
        "开展情况",
        "进展",
        "成绩",
        "主要工作",
        "推进情况",
        "建设情况",
        "取得的",
        "总体情况",
        "基本情况",
        "落实情况",
    ]) {
        return part(StatutoryPart::Measures, 0.9);
    }
    None
}

struct Flat {
    style: HeadingStyle,
    ordinal: u32,
    label: String,
    title: String,
    heading_span: Span,
    start: usize,
    end: usize,
    parent: Option<usize>,
    inline: bool,
}

/// The span of `line` with surrounding whitespace and list bullets removed.
fn trim_line(text: &str, line: Span) -> Span {
    let content = text.get(line.start..line.end).unwrap_or_default();
    let trimmed_start = content.trim_start_matches(|ch: char| {
        ch.is_whitespace() || matches!(ch, '•' | '·' | '●' | '■' | '□' | '◆')
    });
    let start = line.start + (content.len() - trimmed_start.len());
    let trimmed = trimmed_start.trim_end();
    Span::new(start, start + trimmed.len())
}

/// Removes spaces between Han characters, as Word titles spaced for centring have them
/// (`法 治 政 府 建 设`); spaces next to Latin letters or digits stay.
fn close_han_spaces(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (idx, ch) in chars.iter().enumerate() {
        if ch.is_whitespace() {
            let before = idx.checked_sub(1).and_then(|at| chars.get(at)).copied();
            let after = chars.get(idx + 1).copied();
            if before.is_some_and(is_han) && after.is_some_and(is_han) {
                continue;
            }
        }
        out.push(*ch);
    }
    out
}

fn title_like(text: &str) -> bool {
    let text = &close_han_spaces(text);
    let chars = text.chars().count();
    (4..=90).contains(&chars)
        && (text.contains("报告") || text.contains("情况") || text.contains("总结"))
        && (text.contains("法治") || text.contains("依法行政") || text.contains("法制"))
        && !text.ends_with('。')
}

/// Builds the document structure. Never fails.
#[must_use]
pub fn structure(normalised: Normalised, html_title: Option<&str>) -> (Document, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let text = normalised.text.as_str();
    let mut lines: Vec<Line> = Vec::new();
    let mut at = 0usize;
    for piece in text.split_inclusive('\n') {
        let span = trim_line(text, Span::new(at, at + piece.len()));
        let kind = if span.is_empty() {
            LineKind::Blank
        } else {
            LineKind::Body
        };
        lines.push(Line { span, kind });
        at += piece.len();
    }
    let slice = |span: Span| text.get(span.start..span.end).unwrap_or_default();
    let mut meta = Meta::default();

    // Furniture, with the metadata it carries.
    let mut header_date: Option<(Date, DateSource)> = None;
    for line in &mut lines {
        if line.kind != LineKind::Body {
            continue;
        }
        let content = slice(line.span);
        if !is_furniture(content) {
            continue;
        }
        line.kind = LineKind::Furniture;
        if let Some((date, _)) = find_date(content) {
            let labelled = ["发布时间", "发布日期", "成文日期", "日期", "时间"]
                .iter()
                .any(|label| content.contains(label));
            let source = if labelled {
                DateSource::Label
            } else {
                DateSource::Header
            };
            if header_date
                .is_none_or(|(_, found)| found == DateSource::Header && source == DateSource::Label)
            {
                header_date = Some((date, source));
            }
        }
        if meta.source_unit.is_none() {
            meta.source_unit =
                labelled_value(content, &["信息来源", "来源", "发布机构", "发文机关"]);
        }
    }

    // The first heading line, to bound the header zone.
    let first_heading = lines.iter().position(|line| {
        line.kind == LineKind::Body
            && parse_heading(slice(line.span)).is_some_and(|(style, _, _)| {
                !matches!(style, HeadingStyle::Enumeration | HeadingStyle::Circled)
            })
    });
    let header_end = first_heading.unwrap_or(lines.len().min(12));

    // Title.
    let title_idx = lines
        .iter()
        .take(header_end.min(80))
        .position(|line| line.kind == LineKind::Body && title_like(slice(line.span)));
    if let Some(idx) = title_idx {
        if let Some(line) = lines.get_mut(idx) {
            line.kind = LineKind::Title;
        }
        let title_span = lines.get(idx).map(|line| line.span).unwrap_or_default();
        let mut title: String = slice(title_span)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        // Keep a space between two names (中共某区委 某区人民政府) but close up letter spacing.
        if title.chars().filter(|ch| *ch == ' ').count() * 3 > title.chars().count() {
            title = close_han_spaces(&title);
        }
        // A jurisdiction line right above a title that lacks one: 某区人民政府 / 关于…的报告.
        let above = lines
            .iter()
            .take(idx)
            .rev()
            .find(|line| line.kind == LineKind::Body)
            .copied();
        if let Some(above) = above {
            let above_text = slice(above.span);
            if above_text.chars().count() <= 30
                && !above_text.chars().any(is_sentence_end)
                && (above_text.ends_with("政府")
                    || above_text.ends_with('委')
                    || above_text.ends_with('局')
                    || above_text.ends_with("委员会"))
                && jurisdiction_from(&title).is_none()
            {
                title = format!("{above_text}{title}");
                if let Some(line) = lines.iter_mut().find(|line| line.span == above.span) {
                    line.kind = LineKind::Title;
                }
            }
        }
        // Lines of the header zone that repeat the title in pieces are part of it.
        for line in lines.iter_mut().take(header_end).skip(idx + 1) {
            let content = text.get(line.span.start..line.span.end).unwrap_or_default();
            if line.kind == LineKind::Body
                && content.chars().count() <= 40
                && !content.chars().any(is_sentence_end)
                && title.contains(content)
            {
                line.kind = LineKind::Title;
            }
        }
        meta.title = Some(title);
        meta.title_span = Some(title_span);
    } else if let Some(html_title) = html_title.filter(|candidate| title_like(candidate)) {
        meta.title = Some(html_title.to_owned());
        diagnostics.push(Diagnostic::new(
            Stage::Structure,
            "title_from_html",
            Severity::Info,
            "the title was taken from the page's <title>",
        ));
    } else {
        diagnostics.push(Diagnostic::new(
            Stage::Structure,
            "no_title",
            Severity::Warning,
            "no title line naming 法治 and 报告 or 情况 was found",
        ));
    }

    // Signature and trailing junk, from the end.
    let mut signature_unit: Option<String> = None;
    let mut seen_from_end = 0usize;
    for line in lines.iter_mut().rev() {
        if matches!(line.kind, LineKind::Blank | LineKind::Furniture) {
            continue;
        }
        if line.kind != LineKind::Body || seen_from_end >= 4 {
            break;
        }
        let content = text.get(line.span.start..line.span.end).unwrap_or_default();
        let chars = content.chars().count();
        if let Some(date) = is_date_only(content) {
            meta.signed = Some(date);
            line.kind = LineKind::Signature;
        } else if chars <= 30
            && !content
                .chars()
                .any(|ch| is_sentence_end(ch) || ch == '，' || ch == ',')
            && parse_heading(content).is_none()
        {
            if content.ends_with("政府")
                || content.ends_with('委')
                || content.ends_with('局')
                || content.ends_with("办公室")
                || content.ends_with("委员会")
            {
                signature_unit = Some(content.to_owned());
                line.kind = LineKind::Signature;
            } else if chars <= 6 {
                line.kind = LineKind::Furniture;
            } else {
                break;
            }
        } else {
            break;
        }
        seen_from_end += 1;
    }
    // 供稿 notes at the end of the last paragraph: （荆州市政府法制办供稿）.
    if meta.source_unit.is_none()
        && let Some(last) = lines.iter().rev().find(|line| line.kind == LineKind::Body)
    {
        let content = slice(last.span);
        if let Some(at) = content.rfind("供稿") {
            let before = content.get(..at).unwrap_or_default();
            let open = before.rfind(['(', '（']).map_or(0, |open| {
                open + before
                    .get(open..)
                    .and_then(|rest| rest.chars().next())
                    .map_or(1, char::len_utf8)
            });
            let unit = before.get(open..).unwrap_or_default().trim();
            if (2..=30).contains(&unit.chars().count()) {
                meta.source_unit = Some(unit.to_owned());
            }
        }
    }

    match (header_date, meta.signed) {
        (Some((date, source)), _) => {
            meta.published = Some(date);
            meta.published_from = Some(source);
        }
        (None, Some(date)) => {
            meta.published = Some(date);
            meta.published_from = Some(DateSource::Signature);
        }
        (None, None) => {}
    }

    // Year reported on.
    meta.year = meta.title.as_deref().and_then(year_in).or_else(|| {
        lines
            .iter()
            .filter(|line| line.kind == LineKind::Body)
            .take(3)
            .find_map(|line| year_in(slice(line.span)))
    });
    // Jurisdiction.
    meta.jurisdiction = meta
        .title
        .as_deref()
        .and_then(jurisdiction_from)
        .or_else(|| signature_unit.as_deref().and_then(jurisdiction_from))
        .or_else(|| meta.source_unit.as_deref().and_then(jurisdiction_from));

    // Headings and the section tree.
    let mut flat: Vec<Flat> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let body_end = lines
        .iter()
        .rev()
        .find(|line| matches!(line.kind, LineKind::Body))
        .map_or(text.len(), |line| line.span.end);
    for line in &mut lines {
        if line.kind != LineKind::Body {
            continue;
        }
        let content = text.get(line.span.start..line.span.end).unwrap_or_default();
        let Some((style, ordinal, label_len)) = parse_heading(content) else {
            continue;
        };
        // `一是…二是…三是…` on one line is an inline enumeration, not a heading.
        if style == HeadingStyle::Enumeration && inline_enumeration(content, 0).len() >= 2 {
            continue;
        }
        line.kind = LineKind::Heading;
        let rest = content.get(label_len..).unwrap_or_default();
        let (title, title_len) = heading_title(rest);
        let start = line.span.start;
        while let Some(&open) = stack.last() {
            let same_or_outer = flat.get(open).is_some_and(|entry| entry.style == style)
                || !stack
                    .iter()
                    .any(|idx| flat.get(*idx).is_some_and(|entry| entry.style == style));
            if !same_or_outer {
                if let Some(entry) = flat.get_mut(open) {
                    entry.end = start;
                }
                stack.pop();
                continue;
            }
            if flat.get(open).is_some_and(|entry| entry.style == style) {
                if let Some(entry) = flat.get_mut(open) {
                    entry.end = start;
                }
                stack.pop();
            }
            break;
        }
        let parent = stack.last().copied();
        flat.push(Flat {
            style,
            ordinal,
            label: content.get(..label_len).unwrap_or_default().to_owned(),
            title,
            heading_span: Span::new(start, start + label_len + title_len),
            start,
            end: body_end,
            parent,
            inline: false,
        });
        stack.push(flat.len() - 1);
    }
    // Inline 一是 … 二是 … items.
    let heading_count = flat.len();
    let mut inline_items: Vec<Flat> = Vec::new();
    for line in lines
        .iter()
        .filter(|line| matches!(line.kind, LineKind::Body | LineKind::Heading))
    {
        let content = text.get(line.span.start..line.span.end).unwrap_or_default();
        let items = inline_enumeration(content, line.span.start);
        if items.len() < 2 {
            continue;
        }
        let parent = (0..heading_count).rev().find(|idx| {
            flat.get(*idx)
                .is_some_and(|entry| entry.start <= line.span.start && line.span.start < entry.end)
        });
        for (idx, (ordinal, item_start, label_len)) in items.iter().enumerate() {
            let end = items.get(idx + 1).map_or(line.span.end, |next| next.1);
            let rest = text.get(item_start + label_len..end).unwrap_or_default();
            let (title, title_len) = heading_title(rest);
            inline_items.push(Flat {
                style: HeadingStyle::Enumeration,
                ordinal: *ordinal,
                label: text
                    .get(*item_start..item_start + label_len)
                    .unwrap_or_default()
                    .to_owned(),
                title,
                heading_span: Span::new(*item_start, item_start + label_len + title_len),
                start: *item_start,
                end,
                parent,
                inline: true,
            });
        }
    }
    flat.extend(inline_items);
    let report_year = meta.year;
    let mut sections = build_tree(&flat, None, 1);
    let mut seen_shortcomings = false;
    for section in &mut sections {
        section.part = part_for_title(&section.title, report_year);
        match section.part.map(|found| found.part) {
            Some(StatutoryPart::Measures | StatutoryPart::FirstResponsiblePerson) | None => {}
            Some(_) => seen_shortcomings = true,
        }
        if section.part.is_none()
            && !seen_shortcomings
            && section.style != HeadingStyle::Enumeration
        {
            section.part = Some(PartMatch {
                part: StatutoryPart::Measures,
                confidence: 0.4,
            });
        }
    }
    let preamble_start = lines
        .iter()
        .position(|line| line.kind == LineKind::Body)
        .and_then(|idx| lines.get(idx))
        .map(|line| line.span.start);
    let preamble_end = sections
        .first()
        .map_or(body_end, |section| section.span.start);
    let preamble = preamble_start
        .filter(|start| *start < preamble_end)
        .map(|start| Span::new(start, preamble_end));
    if sections.is_empty() {
        diagnostics.push(Diagnostic::new(
            Stage::Structure,
            "no_headings",
            Severity::Warning,
            "no numbered headings were found",
        ));
    }
    let last_body = lines
        .iter()
        .rev()
        .find(|line| matches!(line.kind, LineKind::Body | LineKind::Heading));
    if let Some(last) = last_body {
        let content = slice(last.span);
        let ends_cleanly = content
            .chars()
            .next_back()
            .is_some_and(|ch| is_sentence_end(ch) || matches!(ch, '”' | '）' | ')' | '」' | '…'));
        if !ends_cleanly && parse_heading(content).is_none() {
            diagnostics.push(
                Diagnostic::new(
                    Stage::Structure,
                    "ends_mid_sentence",
                    Severity::Warning,
                    "the text ends mid-sentence: the report may be truncated",
                )
                .at(last.span),
            );
        }
    }
    let document = Document {
        normalised,
        meta,
        sections,
        preamble,
        lines,
    };
    (document, diagnostics)
}

fn build_tree(flat: &[Flat], parent: Option<usize>, level: usize) -> Vec<Section> {
    if level > 12 {
        return Vec::new();
    }
    let mut children: Vec<(usize, &Flat)> = flat
        .iter()
        .enumerate()
        .filter(|(_, entry)| entry.parent == parent)
        .collect();
    children.sort_by_key(|(_, entry)| entry.start);
    children
        .into_iter()
        .map(|(idx, entry)| Section {
            style: entry.style,
            ordinal: entry.ordinal,
            label: entry.label.clone(),
            title: entry.title.clone(),
            heading_span: entry.heading_span,
            span: Span::new(entry.start, entry.end),
            level,
            inline: entry.inline,
            part: None,
            children: build_tree(flat, Some(idx), level + 1),
        })
        .collect()
}

/// `一是 … 二是 …` items inside a paragraph: (ordinal, absolute start, label length).
fn inline_enumeration(content: &str, base: usize) -> Vec<(u32, usize, usize)> {
    let mut items: Vec<(u32, usize, usize)> = Vec::new();
    let mut expected = 1u32;
    let mut previous: Option<char> = None;
    for (at, ch) in content.char_indices() {
        let boundary = previous.is_none_or(|prev| {
            matches!(
                prev,
                '。' | '；' | ';' | '：' | ':' | '，' | ',' | '）' | ')' | ' '
            )
        });
        if boundary && is_chinese_numeral_char(ch) && chinese_digit(ch).is_some_and(|_| true)
            || boundary && ch == '十'
        {
            let numeral: String = content
                .get(at..)
                .unwrap_or_default()
                .chars()
                .take_while(|c| chinese_digit(*c).is_some() || *c == '十')
                .collect();
            let after = content
                .get(at + numeral.len()..)
                .and_then(|rest| rest.chars().next());
            if after == Some('是')
                && let Some(value) =
                    parse_chinese(&numeral).and_then(|value| u32::try_from(value).ok())
            {
                if value == expected {
                    items.push((value, base + at, numeral.len() + '是'.len_utf8()));
                    expected += 1;
                } else if value == 1 && items.len() < 2 {
                    items.clear();
                    items.push((1, base + at, numeral.len() + '是'.len_utf8()));
                    expected = 2;
                }
            }
        }
        previous = Some(ch);
    }
    if items.len() < 2 { Vec::new() } else { items }
}

/// The year reported on in a title or opening line: `2020年度`, `2020年`, `二〇二〇年`.
fn year_in(text: &str) -> Option<i32> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (idx, (at, ch)) in chars.iter().enumerate() {
        if *ch != '年' {
            continue;
        }
        let before = text.get(..*at).unwrap_or_default().trim_end();
        let digits: String = before
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let year = if digits.len() == 4 {
            digits.parse::<i32>().ok()
        } else {
            let numeral: String = before
                .chars()
                .rev()
                .take_while(|c| chinese_digit(*c).is_some())
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            (numeral.chars().count() == 4)
                .then(|| parse_chinese(&numeral).and_then(|value| i32::try_from(value).ok()))
                .flatten()
        };
        // A range such as 2015-2020年 names a plan period, not the report year.
        let in_range = before
            .chars()
            .rev()
            .nth(4)
            .is_some_and(|c| matches!(c, '-' | '—' | '–' | '至' | '~'));
        if let Some(year) = year.filter(|year| (1990..=2100).contains(year))
            && !in_range
        {
            let _ = idx;
            return Some(year);
        }
    }
    None
}

const LEVEL_SUFFIXES: [(&str, Level); 22] = [
    ("经济技术开发区", Level::DevelopmentZone),
    ("高新技术产业开发区", Level::DevelopmentZone),
    ("开发区", Level::DevelopmentZone),
    ("高新区", Level::DevelopmentZone),
    ("新区", Level::DevelopmentZone),
    ("示范区", Level::DevelopmentZone),
    ("园区", Level::DevelopmentZone),
    ("自治区", Level::Province),
    ("省", Level::Province),
    ("自治州", Level::City),
    ("自治县", Level::County),
    ("地区", Level::City),
    ("街道", Level::Township),
    ("区", Level::District),
    ("县", Level::County),
    ("旗", Level::County),
    ("市", Level::City),
    ("州", Level::City),
    ("盟", Level::City),
    ("镇", Level::Township),
    ("乡", Level::Township),
    ("特别行政区", Level::Province),
];

const DEPARTMENT_SUFFIXES: [&str; 9] = [
    "局",
    "厅",
    "委员会",
    "办公室",
    "委",
    "办",
    "中心",
    "署",
    "部",
];

/// The reporting jurisdiction named in a title or signature, e.g. `中共武昌区委 武昌区人民政府`
/// → 武昌区 (district); `武汉市司法局` → 武汉市 with department 司法局.
#[must_use]
pub fn jurisdiction_from(text: &str) -> Option<Jurisdiction> {
    // The reporter is named before the year or 关于 (`某县人民政府关于2021年…`), or right after
    // them when the title opens with them (`关于某区2021年…`, `2021年度某县法治政府…`).
    let text = text.trim_start_matches("关于");
    let markers = ["关于", "20", "19", "二〇", "二○", "法治", "年度"];
    let cut = markers
        .iter()
        .filter_map(|mark| text.find(mark))
        .min()
        .unwrap_or(text.len());
    if let Some(found) = jurisdiction_in(text.get(..cut).unwrap_or_default()) {
        return Some(found);
    }
    // Skip the year (and 年度/年) and try the stretch up to 法治 or 关于.
    let after_year = text
        .char_indices()
        .find(|(_, ch)| *ch == '年')
        .map(|(at, _)| at + '年'.len_utf8())
        .filter(|at| *at <= cut + 16)?;
    let rest = text.get(after_year..)?.trim_start_matches('度');
    let end = ["法治", "关于", "推进", "依法行政"]
        .iter()
        .filter_map(|mark| rest.find(mark))
        .min()
        .unwrap_or(rest.len());
    jurisdiction_in(rest.get(..end)?)
}

fn jurisdiction_in(head: &str) -> Option<Jurisdiction> {
    let mut best: Option<Jurisdiction> = None;
    for piece in
        head.split(|ch: char| ch.is_whitespace() || matches!(ch, '、' | '，' | ',' | '和' | '与'))
    {
        let mut piece = piece.trim();
        let mut government = false;
        for prefix in ["中共", "中国共产党"] {
            if let Some(rest) = piece.strip_prefix(prefix) {
                piece = rest;
            }
        }
        for suffix in ["人民政府办公室", "人民政府", "政府"] {
            if let Some(rest) = piece.strip_suffix(suffix) {
                piece = rest;
                government = true;
                break;
            }
        }
        if !government {
            for suffix in ["委员会", "委"] {
                if let Some(rest) = piece.strip_suffix(suffix)
                    && LEVEL_SUFFIXES
                        .iter()
                        .any(|(level, _)| rest.ends_with(level))
                {
                    piece = rest;
                    break;
                }
            }
        }
        let (name, department) = split_department(piece);
        let Some(level) = level_of(&name) else {
            continue;
        };
        let candidate = Jurisdiction {
            name,
            level,
            department,
        };
        let better = match &best {
            None => true,
            Some(current) => {
                government || current.name.chars().count() < candidate.name.chars().count()
            }
        };
        if better {
            best = Some(candidate);
        }
        if government {
            break;
        }
    }
    best
}

fn split_department(piece: &str) -> (String, Option<String>) {
    if level_of(piece).is_some() {
        return (piece.to_owned(), None);
    }
    // The longest prefix that is a place; the rest is a department if it ends like one.
    let boundaries: Vec<usize> = piece.char_indices().map(|(at, _)| at).skip(1).collect();
    for at in boundaries.into_iter().rev() {
        let (place, rest) = (
            piece.get(..at).unwrap_or_default(),
            piece.get(at..).unwrap_or_default(),
        );
        if level_of(place).is_some()
            && DEPARTMENT_SUFFIXES
                .iter()
                .any(|suffix| rest.ends_with(suffix))
            && rest.chars().count() <= 12
        {
            return (place.to_owned(), Some(rest.to_owned()));
        }
    }
    (piece.to_owned(), None)
}

fn level_of(name: &str) -> Option<Level> {
    let chars = name.chars().count();
    if !(2..=20).contains(&chars) || !name.chars().all(is_han) {
        return None;
    }
    if ["北京市", "天津市", "上海市", "重庆市"].contains(&name) {
        return Some(Level::Province);
    }
    LEVEL_SUFFIXES
        .iter()
        .find(|(suffix, _)| name.ends_with(suffix) && name.chars().count() > suffix.chars().count())
        .map(|(_, level)| *level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_recognised() {
        let cases = [
            ("一、总体情况", Some((HeadingStyle::ChineseComma, 1))),
            ("（三）持续深化", Some((HeadingStyle::ChineseParen, 3))),
            ("(三)、着力加强", Some((HeadingStyle::ChineseParen, 3))),
            ("12、健全", Some((HeadingStyle::ArabicDot, 12))),
            ("1.12个工作日", None),
            ("（2）加强", Some((HeadingStyle::ArabicParen, 2))),
            ("二是全面落实", Some((HeadingStyle::Enumeration, 2))),
            ("第二部分 存在的问题", Some((HeadingStyle::Part, 2))),
            ("2020年,武昌区", None),
            ("两个维护", None),
        ];
        for (text, expected) in cases {
            assert_eq!(
                parse_heading(text).map(|(style, ordinal, _)| (style, ordinal)),
                expected,
                "{text}"
            );
        }
    }

    #[test]
    fn jurisdictions_from_titles() {
        let cases = [
            (
                "中共武昌区委 武昌区人民政府2020年度推进法治政府建设情况的报告",
                Some(("武昌区", Level::District, None)),
            ),
            (
                "荆州市荆州区人民政府2017年度法治政府建设工作报告",
                Some(("荆州市荆州区", Level::District, None)),
            ),
            (
                "昭通市人民政府2020年度法治政府建设工作报告",
                Some(("昭通市", Level::City, None)),
            ),
            (
                "武汉市司法局2020年法治政府建设年度报告",
                Some(("武汉市", Level::City, Some("司法局"))),
            ),
            (
                "云南省人民政府关于2021年法治政府建设情况的报告",
                Some(("云南省", Level::Province, None)),
            ),
            ("关于2020年法治政府建设情况的报告", None),
            (
                "关于东湖区2021年度法治政府建设工作情况的报告",
                Some(("东湖区", Level::District, None)),
            ),
            (
                "2021年度青山县法治政府建设情况报告",
                Some(("青山县", Level::County, None)),
            ),
            (
                "北京市2021年法治政府建设年度情况报告",
                Some(("北京市", Level::Province, None)),
            ),
        ];
        for (title, expected) in cases {
            let found = jurisdiction_from(title);
            let found = found
                .as_ref()
                .map(|j| (j.name.as_str(), j.level, j.department.as_deref()));
            assert_eq!(found, expected, "{title}");
        }
    }

    #[test]
    fn dates_in_header_lines() {
        assert_eq!(
            find_date("发布日期:2021-02-03 访问量:").map(|(d, _)| d.to_string()),
            Some("2021-02-03".to_owned())
        );
        assert_eq!(
            find_date("20.12.2017  07:04").map(|(d, _)| d.to_string()),
            Some("2017-12-20".to_owned())
        );
        assert_eq!(
            find_date("2021年2月3日").map(|(d, _)| d.to_string()),
            Some("2021-02-03".to_owned())
        );
        assert_eq!(
            find_date("二〇二一年三月五日").map(|(d, _)| d.to_string()),
            Some("2021-03-05".to_owned())
        );
    }

    #[test]
    fn spaced_out_titles_are_recognised() {
        assert!(title_like("青 山 县 2021 年 法 治 政 府 建 设 情 况 报 告"));
        assert_eq!(year_in("青山县 2021 年法治政府建设情况报告"), Some(2021));
        assert_eq!(close_han_spaces("法 治 政 府 2021 年"), "法治政府 2021 年");
    }

    #[test]
    fn years_in_titles() {
        assert_eq!(year_in("2020年度推进法治政府建设情况的报告"), Some(2020));
        assert_eq!(year_in("《实施纲要(2015-2020年)》的2019年"), Some(2019));
        assert_eq!(year_in("二〇二一年法治政府建设报告"), Some(2021));
    }
}
