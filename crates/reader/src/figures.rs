//! Stage 4, [`Document`] → `Vec<Figure>`: every quantitative statement in the body.
//!
//! The scanner walks each body line once. At a number (Arabic with separators and decimals, or
//! Chinese numerals) it reads, in order: an approximation word before it (约, 近, 超过, 逾,
//! 不足 …), a magnitude (万, 亿, 千万), an approximation after it (余, 多), a range (`3-5`,
//! `三至五`), the unit (longest match in [`UNITS`]), and a trailing 左右/以上. Then:
//!
//! * **Not figures**: dates and times (`2020年`, `3月15日`, `12·4`), ordinals (`第一`, `一是`,
//!   heading numbers), article and document numbers (`第12条`, `〔2020〕12号`), names of meetings
//!   and slogans ([`SLOGANS`], and numbers inside short quotations such as “四办”), numbers
//!   in book titles 《…》, numbers glued to Latin letters (`5G`), hotlines, and bare numbers with
//!   neither a unit nor a magnitude unless a counting noun (总量, 人数) precedes them. A lone
//!   Chinese 一 is an article ("a"), not a count.
//! * **Subject**: from the number back to the clause start (or the previous figure), leading
//!   scope and time words (全年, 全市, 2020年, 截至目前, 共, 累计 …) and a leading action verb
//!   (办理, 受理, 收到 …, kept as [`Figure::action`]) are stripped, the noun after the last 的 or
//!   等 is kept, and trailing 达/为/达到 go. If nothing is left, the noun after the number is
//!   taken (`梳理1202项政务服务事项`), and failing that the previous figure's noun in the same
//!   sentence (`办理案件17件，办结16件`).
//! * **Comparison** right after the figure: `比2019年92件减少了10.84%`, `同比增长12.5%`,
//!   `较上年提高3个百分点`, `相比同期增长24万件`, `上年同期为…`. Numbers in it belong to the
//!   comparison and are not separate figures.
//!
//! Values are absolute ([`Decimal`], magnitude applied: `171.88亿元` is 17 188 000 000 元).
//!
//! What it does not do: tables, figures spelled across sentences ("其中…" lists are kept as
//! separate figures), or units it does not know (the figure is then dropped unless it is a
//! percentage or has a magnitude).

use rust_decimal::Decimal;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity, Stage};
use crate::indicators::indicator_for;
use crate::normalise::is_han;
use crate::numerals::{is_chinese_numeral_char, magnitude, parse_arabic, parse_chinese};
use crate::offsets::Span;
use crate::structure::{Document, LineKind, parse_heading};

/// How exact a stated value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Approx {
    /// As stated.
    Exact,
    /// Around it: 约, 左右, 上下.
    About,
    /// At least, probably more: 余, 多, 超过, 逾, 以上.
    AtLeast,
    /// At most, probably less: 近, 不足, 不到, 以下.
    AtMost,
}

/// Direction of a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 增长, 增加, 上升, 提高.
    Up,
    /// 下降, 减少, 降低.
    Down,
    /// 持平.
    Flat,
}

/// How a change is expressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Change {
    /// In per cent of the earlier value.
    Percent(Decimal),
    /// In percentage points (for rates).
    Points(Decimal),
    /// In the figure's own unit.
    Absolute(Decimal),
    /// As a multiple (倍).
    Times(Decimal),
}

/// A year-on-year (or other) comparison stated with a figure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// The earlier value, when stated (`比2019年92件…`).
    pub previous: Option<Decimal>,
    /// The earlier year, when named.
    pub previous_year: Option<i32>,
    /// Up, down or flat.
    pub direction: Option<Direction>,
    /// The stated change (unsigned; see `direction`).
    pub change: Option<Change>,
    /// A percentage given after an absolute change (`增加212件，增长23.2%`).
    pub change_percent: Option<Decimal>,
    /// The comparison's text in the normalised text.
    pub span: Span,
}

/// A quantitative statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// What is counted: a normalised noun phrase (`行政复议案件`).
    pub subject: String,
    /// The action counted, when stated (`受理`, `办结`, `调解成功`).
    pub action: Option<String>,
    /// The value, magnitude applied; the lower end for a range.
    pub value: Decimal,
    /// The upper end of a range.
    pub value_max: Option<Decimal>,
    /// Exact or approximate.
    pub approx: Approx,
    /// Unit without magnitude: `件`, `人`, `人次`, `元`, `%`, `百分点`, `个`, … (`名` → `人`);
    /// empty for a bare count such as `浏览总量近6万`.
    pub unit: String,
    /// Stated comparison.
    pub comparison: Option<Comparison>,
    /// Indicator id from [`indicator_for`].
    pub indicator: Option<&'static str>,
    /// Section path (indices from the top level down; see [`Document::section_path_at`]).
    pub section: Vec<usize>,
    /// The figure (approximation words, number, unit) in the normalised text.
    pub span: Span,
    /// The same in the original input's bytes.
    pub original: Span,
    /// The figure's text as written (normalised).
    pub text: String,
    /// The sentence it stands in, in the normalised text.
    pub sentence: Span,
}

/// Units, longest first where one is a prefix of another.
pub const UNITS: &[&str] = &[
    "个百分点",
    "百分点",
    "个工作日",
    "工作日",
    "个月",
    "个小时",
    "小时",
    "人次",
    "件次",
    "场次",
    "户次",
    "批次",
    "车次",
    "家次",
    "次",
    "万元",
    "亿元",
    "元",
    "件",
    "人",
    "名",
    "位",
    "个",
    "项",
    "场",
    "家",
    "条",
    "份",
    "篇",
    "期",
    "批",
    "所",
    "户",
    "起",
    "宗",
    "部",
    "类",
    "支",
    "座",
    "处",
    "卷",
    "册",
    "套",
    "天",
    "日",
    "年",
    "月",
    "号",
    "届",
    "岁",
    "张",
    "块",
    "本",
    "台",
    "辆",
    "间",
    "栋",
    "亩",
    "平方米",
    "公里",
    "千米",
    "米",
    "吨",
    "轮",
    "课时",
    "学时",
    "种",
    "门",
    "组",
    "队",
    "单",
    "封",
    "幅",
    "盏",
    "根",
    "块",
    "户",
    "村",
    "所",
    "倍",
    "%",
    "‰",
    "分",
    "节",
    "章",
    "款",
    "段",
];

/// Slogans and names that contain numerals but are not figures (checked at the number).
pub const SLOGANS: &[&str] = &[
    "三项制度",
    "四个意识",
    "四个自信",
    "两个维护",
    "两个确立",
    "四个全面",
    "五位一体",
    "两学一做",
    "三严三实",
    "十四五",
    "十三五",
    "十二五",
    "十五五",
    "七五普法",
    "八五普法",
    "六五普法",
    "五个一",
    "四个最严",
    "五大发展理念",
    "三个代表",
    "两个一百年",
    "一带一路",
    "最多跑一次",
    "一网通办",
    "一件事一次办",
    "三个务必",
    "两不愁三保障",
    "五落实",
    "两个责任",
    "三会一课",
    "四下基层",
    "两个结合",
    "六稳",
    "六保",
    "三大攻坚战",
    "两个毫不动摇",
    "五级十二同",
    "四办",
    "三查",
    "四减",
    "两不误",
    "三到位",
    "一号议案",
    "一把手",
    "两级",
    "三级",
    "四级",
    "五级",
    "双随机",
];

/// Words before a number that make it approximate.
const APPROX_BEFORE: &[(&str, Approx)] = &[
    ("不少于", Approx::AtLeast),
    ("不低于", Approx::AtLeast),
    ("不超过", Approx::AtMost),
    ("不高于", Approx::AtMost),
    ("将近", Approx::AtMost),
    ("接近", Approx::AtMost),
    ("不足", Approx::AtMost),
    ("不到", Approx::AtMost),
    ("大约", Approx::About),
    ("约为", Approx::About),
    ("超过", Approx::AtLeast),
    ("多达", Approx::AtLeast),
    ("约", Approx::About),
    ("近", Approx::AtMost),
    ("逾", Approx::AtLeast),
    ("超", Approx::AtLeast),
];

/// Scope, time and connective words stripped from the front of a subject.
const LEADING_NOISE: &[&str] = &[
    "2020年以来",
    "今年以来",
    "一年来",
    "近年来",
    "截至目前",
    "截止目前",
    "截至年底",
    "截至",
    "截止",
    "到目前为止",
    "目前",
    "全年",
    "当年",
    "年内",
    "本年度",
    "年度",
    "全市",
    "全区",
    "全县",
    "全省",
    "全州",
    "全镇",
    "全旗",
    "市级",
    "县级",
    "区级",
    "各级",
    "两级",
    "其中",
    "在",
    "进行",
    "另外",
    "此外",
    "同时",
    "并且",
    "并",
    "还",
    "已经",
    "已",
    "均",
    "共计",
    "共",
    "累计",
    "合计",
    "总计",
    "先后",
    "分别",
    "期间",
    "全面",
    "依法",
    "积极",
    "认真",
    "有效",
    "各类",
    "各种",
    "相继",
    "完成",
    "实现",
    "了",
    "共有",
    "有",
];

/// Action verbs kept as [`Figure::action`].
const ACTIONS: &[&str] = &[
    "办理",
    "受理",
    "收到",
    "接收",
    "审查",
    "审核",
    "备案",
    "报备",
    "纠正",
    "清理",
    "筛查",
    "调解",
    "排查",
    "化解",
    "提供",
    "发布",
    "开展",
    "组织",
    "举办",
    "召开",
    "培训",
    "评查",
    "抽查",
    "聘用",
    "聘请",
    "代理",
    "参加",
    "参与",
    "建立",
    "建成",
    "设立",
    "编制",
    "梳理",
    "公布",
    "公示",
    "调整",
    "制定",
    "出台",
    "印发",
    "起草",
    "审议",
    "提出",
    "反馈",
    "录入",
    "立案",
    "查处",
    "移送",
    "检查",
    "办结",
    "审结",
    "接待",
    "答复",
    "处理",
    "作出",
    "下发",
    "发放",
    "制作",
    "悬挂",
    "推送",
    "传播",
    "节约",
    "挽回",
    "避免",
    "确定",
    "推出",
    "注册",
    "收集",
    "报送",
    "颁布",
    "走访",
    "督查",
    "约谈",
    "问责",
    "开通",
    "上线",
    "培育",
    "创建",
    "打造",
    "配备",
    "选聘",
    "招录",
    "评选",
    "表彰",
    "撤销",
    "变更",
    "维持",
    "驳回",
    "拍摄",
    "完善",
    "修订",
    "废止",
    "保留",
    "取消",
    "下放",
    "承接",
    "减少",
    "压缩",
    "精简",
    "新增",
    "新建",
    "明确",
    "推行",
    "落实",
    "收集到",
    "收集",
    "审理",
];

/// Verbs that also end a noun after a number (`10346项政务服务事项实现网上办理`).
const NOUN_ENDING_VERBS: &[&str] = &[
    "实现", "参加", "参与", "通过", "进行", "获得", "得到", "纳入", "受到", "被", "已", "均",
    "全部", "达到", "接受", "涉及", "形成", "覆盖", "入驻", "进驻",
];

/// Words indexed by their first character, longest first: one hash lookup per position
/// instead of a substring search per word (the subject heuristics test many positions).
struct WordIndex(std::collections::HashMap<char, Vec<&'static str>>);

impl WordIndex {
    fn new(lists: &[&[&'static str]]) -> Self {
        let mut map: std::collections::HashMap<char, Vec<&'static str>> =
            std::collections::HashMap::new();
        for word in lists.iter().flat_map(|list| list.iter()) {
            if let Some(first) = word.chars().next() {
                map.entry(first).or_default().push(word);
            }
        }
        for words in map.values_mut() {
            words.sort_by_key(|word| std::cmp::Reverse(word.len()));
            words.dedup();
        }
        Self(map)
    }

    /// The longest word that `text` starts with.
    fn at(&self, text: &str) -> Option<&'static str> {
        let first = text.chars().next()?;
        self.0
            .get(&first)?
            .iter()
            .copied()
            .find(|word| text.starts_with(word))
    }
}

fn actions() -> &'static WordIndex {
    static INDEX: std::sync::OnceLock<WordIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| WordIndex::new(&[ACTIONS]))
}

fn leading_noise() -> &'static WordIndex {
    static INDEX: std::sync::OnceLock<WordIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| WordIndex::new(&[LEADING_NOISE]))
}

/// Whether the characters just before `end` spell `word` (no allocation).
fn chars_end_with(chars: &[(usize, char)], end: usize, word: &str) -> bool {
    let len = word.chars().count();
    end >= len
        && chars
            .get(end - len..end)
            .is_some_and(|window| window.iter().map(|(_, ch)| *ch).eq(word.chars()))
}

fn noun_enders() -> &'static WordIndex {
    static INDEX: std::sync::OnceLock<WordIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| WordIndex::new(&[ACTIONS, NOUN_ENDING_VERBS]))
}

/// Verbs that end a subject and say what happened to it (审批时限压缩47.99%).
const TRAILING_ACTIONS: &[&str] = &[
    "压缩",
    "减少",
    "增长",
    "提升",
    "提高",
    "下降",
    "降低",
    "增加",
    "缩短",
    "精简",
    "达到",
    "提升至",
    "提高到",
];

/// Words a subject may end with that are not part of it.
const TRAILING_NOISE: &[&str] = &[
    "达到了",
    "增加到",
    "增加至",
    "增至",
    "减至",
    "精简至",
    "压缩至",
    "达到",
    "提升至",
    "提高到",
    "提高至",
    "上升至",
    "下降至",
    "降至",
    "总数为",
    "总数达",
    "共计",
    "合计",
    "累计",
    "共有",
    "平均",
    "分别为",
    "分别",
    "约为",
    "为",
    "达",
    "至",
    "是",
    "有",
    "共",
    "计",
    "约",
    "近",
    "超过",
    "逾",
    "已",
    "均",
    "了",
    "先后",
    "仅为",
    "仅有",
    "仅",
    "只有",
];

/// Nouns that keep a leading verb (参与人数 is not 人数 that someone 参与-ed).
const MEASURE_NOUNS: &[&str] = &[
    "人数", "数量", "总数", "次数", "金额", "总量", "量", "总额", "率", "件数",
];

const CLAUSE_BOUNDARY: &[char] = &[
    '，', ',', '。', '；', ';', '：', ':', '！', '？', '!', '?', '、',
];

fn is_clause_boundary(ch: char) -> bool {
    CLAUSE_BOUNDARY.contains(&ch)
}

fn is_sentence_boundary(ch: char) -> bool {
    matches!(ch, '。' | '；' | ';' | '！' | '？' | '!' | '?')
}

/// Regions of a line where numbers are never figures: 《titles》, 〔document numbers〕, short
/// “quotations”.
fn excluded_regions(chars: &[(usize, char)]) -> Vec<(usize, usize)> {
    let mut regions = Vec::new();
    let pairs = [
        ('《', '》', 60),
        ('〔', '〕', 12),
        ('[', ']', 12),
        ('【', '】', 20),
        ('“', '”', 12),
        ('"', '"', 12),
        ('「', '」', 12),
    ];
    for (open, close, max_len) in pairs {
        let mut idx = 0usize;
        while idx < chars.len() {
            if chars.get(idx).is_some_and(|(_, ch)| *ch == open) {
                let end = chars
                    .iter()
                    .skip(idx + 1)
                    .take(max_len)
                    .position(|(_, ch)| *ch == close);
                if let Some(end) = end {
                    regions.push((idx, idx + 1 + end));
                    idx += end + 2;
                    continue;
                }
            }
            idx += 1;
        }
    }
    regions
}

struct Number {
    value: Decimal,
    value_max: Option<Decimal>,
    approx: Approx,
    unit: String,
    start: usize,
    end: usize,
    digits: usize,
    chinese: bool,
    magnitude: bool,
}

fn starts_with_at(chars: &[(usize, char)], idx: usize, word: &str) -> bool {
    let mut word_chars = word.chars();
    let mut at = idx;
    loop {
        match word_chars.next() {
            None => return true,
            Some(expected) => {
                if chars.get(at).map(|(_, ch)| *ch) != Some(expected) {
                    return false;
                }
                at += 1;
            }
        }
    }
}

fn match_any<'w>(chars: &[(usize, char)], idx: usize, words: &[&'w str]) -> Option<&'w str> {
    words
        .iter()
        .copied()
        .find(|word| starts_with_at(chars, idx, word))
}

fn text_of(chars: &[(usize, char)], from: usize, to: usize) -> String {
    chars
        .iter()
        .skip(from)
        .take(to.saturating_sub(from))
        .map(|(_, ch)| *ch)
        .collect()
}

/// Reads a bare number at `idx`: (value, end index, digit count, chinese).
fn read_bare_number(chars: &[(usize, char)], idx: usize) -> Option<(Decimal, usize, usize, bool)> {
    let first = chars.get(idx)?.1;
    if first.is_ascii_digit() {
        let mut end = idx;
        let mut text = String::new();
        while let Some((_, ch)) = chars.get(end) {
            if ch.is_ascii_digit() {
                text.push(*ch);
                end += 1;
            } else if matches!(ch, ',' | '，')
                && chars
                    .get(end + 1..end + 4)
                    .is_some_and(|next| next.iter().all(|(_, c)| c.is_ascii_digit()))
                && !chars.get(end + 4).is_some_and(|(_, c)| c.is_ascii_digit())
                && text.len() <= 3
                || matches!(ch, ',')
                    && chars
                        .get(end + 1..end + 4)
                        .is_some_and(|next| next.iter().all(|(_, c)| c.is_ascii_digit()))
                    && !chars.get(end + 4).is_some_and(|(_, c)| c.is_ascii_digit())
                    && !text.is_empty()
                    && text.contains(',')
            {
                text.push(',');
                end += 1;
            } else if *ch == '.'
                && chars.get(end + 1).is_some_and(|(_, c)| c.is_ascii_digit())
                && !text.contains('.')
            {
                text.push('.');
                end += 1;
            } else {
                break;
            }
        }
        let digits = text.chars().filter(char::is_ascii_digit).count();
        let value = parse_arabic(&text)?;
        return Some((value, end, digits, false));
    }
    if is_chinese_numeral_char(first) && !matches!(first, '万' | '亿' | '萬' | '億') {
        let mut end = idx;
        while chars
            .get(end)
            .is_some_and(|(_, ch)| is_chinese_numeral_char(*ch))
            && end - idx < 16
        {
            end += 1;
        }
        // A magnitude at the end is read by the caller.
        let mut numeral_end = end;
        while numeral_end > idx + 1
            && chars
                .get(numeral_end - 1)
                .is_some_and(|(_, ch)| matches!(ch, '万' | '亿'))
        {
            numeral_end -= 1;
        }
        let text = text_of(chars, idx, numeral_end);
        let value = parse_chinese(&text)?;
        return Some((value, numeral_end, numeral_end - idx, true));
    }
    None
}

fn read_number(chars: &[(usize, char)], idx: usize) -> Option<Number> {
    let (mut value, mut end, digits, chinese) = read_bare_number(chars, idx)?;
    let mut approx = Approx::Exact;
    let mut has_magnitude = false;
    let read_magnitude = |at: usize| -> Option<(Decimal, usize)> {
        for word in ["万亿", "千万", "百万", "十万", "万", "亿"] {
            if starts_with_at(chars, at, word) {
                return Some((magnitude(word)?, at + word.chars().count()));
            }
        }
        None
    };
    let read_suffix_approx = |at: usize| -> Option<usize> {
        chars
            .get(at)
            .and_then(|(_, ch)| matches!(ch, '余' | '多').then_some(at + 1))
    };
    if let Some(after) = read_suffix_approx(end) {
        approx = Approx::AtLeast;
        end = after;
    }
    if let Some((factor, after)) = read_magnitude(end) {
        value *= factor;
        end = after;
        has_magnitude = true;
        if let Some(after) = read_suffix_approx(end) {
            approx = Approx::AtLeast;
            end = after;
        }
    }
    // A range: 3-5件, 三至五个.
    let mut value_max = None;
    if let Some(dash) = match_any(chars, end, &["-", "～", "~", "至", "到", "—", "–"])
        && let Some((high, high_end, _, high_chinese)) =
            read_bare_number(chars, end + dash.chars().count())
        && high_chinese == chinese
    {
        let mut high = high;
        let mut after = high_end;
        if let Some((factor, magnitude_end)) = read_magnitude(after) {
            high *= factor;
            after = magnitude_end;
            if !has_magnitude {
                value *= factor;
            }
            has_magnitude = true;
        }
        if high > value {
            value_max = Some(high);
            end = after;
        }
    }
    while chars.get(end).is_some_and(|(_, ch)| *ch == ' ') && end - idx < 24 {
        end += 1;
    }
    let mut unit = String::new();
    if let Some(found) = match_any(chars, end, UNITS) {
        unit = found.to_owned();
        end += found.chars().count();
    } else if starts_with_at(chars, end, "元") {
        unit = "元".to_owned();
        end += 1;
    }
    if unit.is_empty()
        && chars
            .get(end.wrapping_sub(1))
            .is_some_and(|(_, ch)| *ch == ' ')
    {
        while end > idx && chars.get(end - 1).is_some_and(|(_, ch)| *ch == ' ') {
            end -= 1;
        }
    }
    if !unit.is_empty() {
        if let Some(word) = match_any(chars, end, &["左右", "上下"]) {
            approx = Approx::About;
            end += word.chars().count();
        } else if let Some(word) = match_any(chars, end, &["以上", "多"]) {
            if word == "以上" || unit == "年" || unit == "个月" {
                approx = Approx::AtLeast;
                end += word.chars().count();
            }
        } else if let Some(word) = match_any(chars, end, &["以下", "以内"]) {
            approx = Approx::AtMost;
            end += word.chars().count();
        }
    }
    let unit = match unit.as_str() {
        "名" | "位" => "人".to_owned(),
        "个百分点" => "百分点".to_owned(),
        "个工作日" => "工作日".to_owned(),
        "个小时" => "小时".to_owned(),
        "万元" => {
            value *= Decimal::from(10_000);
            value_max = value_max.map(|high| high * Decimal::from(10_000));
            has_magnitude = true;
            "元".to_owned()
        }
        "亿元" => {
            value *= Decimal::from(100_000_000);
            value_max = value_max.map(|high| high * Decimal::from(100_000_000));
            has_magnitude = true;
            "元".to_owned()
        }
        _ => unit,
    };
    Some(Number {
        value,
        value_max,
        approx,
        unit,
        start: idx,
        end,
        digits,
        chinese,
        magnitude: has_magnitude,
    })
}

/// Whether the number at `number` is a date, time, ordinal, slogan or other non-figure.
fn is_not_a_figure(chars: &[(usize, char)], number: &Number, regions: &[(usize, usize)]) -> bool {
    let idx = number.start;
    let previous = idx
        .checked_sub(1)
        .and_then(|at| chars.get(at))
        .map(|(_, ch)| *ch);
    let next = chars.get(number.end).map(|(_, ch)| *ch);
    if regions
        .iter()
        .any(|(start, end)| *start < idx && idx < *end)
    {
        return true;
    }
    if previous == Some('第')
        || previous.is_some_and(|ch| {
            ch.is_ascii_alphabetic() || matches!(ch, '/' | '#' | '@' | '.' | '-' | '·' | '•')
        })
    {
        return true;
    }
    // Glued to Latin letters (5G) or continued as a date (12·4, 2020.10).
    let after_number = chars.get(number.start + number.digits).map(|(_, ch)| *ch);
    if !number.chinese
        && after_number.is_some_and(|ch| {
            ch.is_ascii_alphabetic() || matches!(ch, '·' | '•' | ':' | '：' | '/')
        })
        && number.unit != "%"
    {
        return true;
    }
    if SLOGANS
        .iter()
        .any(|slogan| starts_with_at(chars, idx, slogan))
    {
        return true;
    }
    // Names of meetings: 七次全会, 五次会议.
    if matches!(number.unit.as_str(), "次" | "届")
        && ["全会", "会议", "全体会议", "代表大会", "党代会"]
            .iter()
            .any(|word| starts_with_at(chars, number.end, word))
    {
        return true;
    }
    // Slogans end in a quotation: 五个“一律”.
    if next == Some('“') && number.chinese {
        return true;
    }
    let small_year = number.value < Decimal::from(100);
    match number.unit.as_str() {
        "年" => {
            // 2020年 is a date; 3年 a duration; 三年行动 a programme name.
            if number.digits == 4 || number.chinese || !small_year {
                return true;
            }
            if next.is_some_and(|ch| matches!(ch, '来' | '度' | '级')) {
                return true;
            }
        }
        "月" | "日" | "号" | "届" | "分" | "节" | "章" | "款" | "段" | "级" => {
            return true;
        }
        _ => {}
    }
    if chars
        .get(idx + number.digits)
        .is_some_and(|(_, ch)| *ch == '是')
        && number.chinese
    {
        return true;
    }
    if number.chinese {
        // A lone 一 is an article; Chinese numerals need a unit.
        if number.value == Decimal::ONE || number.unit.is_empty() {
            return true;
        }
        // Small numbers naming a set: 三个小组, 五个必经程序, 两项制度.
        if number.value <= Decimal::from(10)
            && matches!(
                number.unit.as_str(),
                "个" | "项" | "大" | "张" | "条" | "种"
            )
            && next.is_some_and(is_han)
        {
            return true;
        }
        // Idioms: 千家万户, 三番五次, 千方百计.
        if matches!(next, Some('万' | '百' | '千' | '方')) {
            return true;
        }
        if previous.is_some_and(|ch| {
            is_chinese_numeral_char(ch)
                || matches!(ch, '统' | '唯' | '之' | '万' | '初' | '周' | '数' | '几')
        }) {
            return true;
        }
    }
    // Time of day: 9时, 10:30.
    if next.is_some_and(|ch| matches!(ch, '时')) && number.unit.is_empty() {
        return true;
    }
    false
}

/// Accepts a bare number only after a counting noun (浏览总量近6万) or with a magnitude.
fn bare_number_is_figure(chars: &[(usize, char)], number: &Number, approx_start: usize) -> bool {
    let next = chars.get(number.end).map(|(_, ch)| *ch);
    let at_boundary =
        next.is_none_or(|ch| is_clause_boundary(ch) || matches!(ch, ')' | '）' | ' '));
    if !at_boundary || number.chinese {
        return false;
    }
    if number.magnitude {
        return true;
    }
    let before = text_of(chars, approx_start.saturating_sub(4), approx_start);
    ["量", "数", "额", "总数为", "为"]
        .iter()
        .any(|word| before.ends_with(word))
        && number.digits < 5
}

fn strip_brackets_and_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for ch in text.chars() {
        match ch {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            '“' | '”' | '"' | '‘' | '’' | '「' | '」' | '《' | '》' | ' ' | '\u{3000}' =>
                {}
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

fn strip_leading(mut text: &str) -> &str {
    if LEADING_NOISE.contains(&text) {
        return "";
    }
    for _ in 0..12 {
        let before = text;
        // An enumeration label: 一是, 二是.
        let numeral = text
            .chars()
            .take_while(|ch| crate::numerals::chinese_digit(*ch).is_some() || *ch == '十')
            .count();
        if numeral > 0 && text.chars().nth(numeral) == Some('是') {
            text = text
                .get(
                    text.char_indices()
                        .nth(numeral + 1)
                        .map_or(text.len(), |(at, _)| at)..,
                )
                .unwrap_or_default();
        }
        // A leading year: 2020年, 2020年度.
        let digits = text.chars().take_while(char::is_ascii_digit).count();
        if digits == 4 && text.get(4..).is_some_and(|rest| rest.starts_with('年')) {
            text = text.get(4 + '年'.len_utf8()..).unwrap_or_default();
            text = text.strip_prefix('度').unwrap_or(text);
            text = text.strip_prefix("以来").unwrap_or(text);
        }
        while let Some(word) = leading_noise().at(text) {
            match text.get(word.len()..) {
                Some(rest) if rest.chars().count() >= 2 => text = rest,
                _ => break,
            }
        }
        if text == before {
            break;
        }
    }
    text
}

fn strip_trailing(mut text: &str) -> &str {
    for _ in 0..4 {
        let before = text;
        for word in TRAILING_NOISE {
            if let Some(rest) = text.strip_suffix(word)
                && !rest.is_empty()
            {
                text = rest;
                break;
            }
        }
        if text == before {
            break;
        }
    }
    text
}

/// Splits leading action verbs off a phrase (梳理公布 is the action, nothing is left; 备案审查
/// 规范性文件 → 备案审查 + 规范性文件), unless what is left is a measure noun (参与人数).
fn split_action(text: &str) -> (Option<&str>, &str) {
    let mut consumed = 0usize;
    let mut rest = text;
    for _ in 0..3 {
        let Some(verb) = actions().at(rest) else {
            break;
        };
        let after = rest.get(verb.len()..).unwrap_or_default();
        if MEASURE_NOUNS.contains(&after)
            || after.starts_with(['率', '量', '数'])
            || (after.chars().count() == 1 && consumed == 0)
        {
            break;
        }
        consumed += verb.len();
        rest = after;
    }
    let action = (consumed > 0).then(|| text.get(..consumed)).flatten();
    (action, rest)
}

/// Where an actor (市政府共, 法院共受理) ends inside a phrase: after an adverb like 共/累计.
fn cut_after_actor(text: &str) -> &str {
    let adverbs = ["共计", "累计", "共", "先后", "已", "全年", "均"];
    let mut best: Option<usize> = None;
    for adverb in adverbs {
        if let Some(at) = text.find(adverb) {
            let end = at + adverb.len();
            let rest = text.get(end..).unwrap_or_default();
            if actions().at(rest).is_some() && best.is_none_or(|current| end > current) {
                best = Some(end);
            }
        }
    }
    match best {
        Some(end) => text.get(end..).unwrap_or(text),
        None => {
            // An actor followed directly by a verb: 市政府收到, 各级人民法院受理.
            for marker in [
                "政府", "法院", "部门", "单位", "机关", "中心", "我市", "我区", "我县", "局", "委",
                "办",
            ] {
                if let Some(at) = text.find(marker) {
                    let rest = text.get(at + marker.len()..).unwrap_or_default();
                    if actions().at(rest).is_some() {
                        return rest;
                    }
                }
            }
            text
        }
    }
}

fn after_last(text: &str, marker: &str) -> String {
    match text.rfind(marker) {
        Some(at) => {
            let rest = text.get(at + marker.len()..).unwrap_or_default();
            if rest.chars().count() >= 2 {
                rest.to_owned()
            } else {
                text.to_owned()
            }
        }
        None => text.to_owned(),
    }
}

/// The subject before a number: (action, noun).
fn subject_before(phrase: &str) -> (Option<String>, String) {
    let cleaned = strip_brackets_and_quotes(phrase);
    let stripped = strip_leading(&cleaned);
    let stripped = cut_after_actor(stripped);
    let stripped = strip_trailing(strip_leading(stripped));
    let (mut action, noun) = split_action(stripped);
    let mut noun = strip_leading(noun);
    // A verb inside the phrase with a noun of four or more characters after it: 组织法律顾问
    // 提供法律建议 → 提供 + 法律建议; 梳理完善政务服务事项实施清单 → 完善 + ….
    let mut best_cut: Option<(usize, &'static str)> = None;
    for (at, _) in noun.char_indices().skip(1) {
        let tail = noun.get(at..).unwrap_or_default();
        if let Some(verb) = actions().at(tail)
            && tail.get(verb.len()..).is_some_and(|rest| {
                // 学习活动组织开展情况: what follows is itself a verb phrase, not an object.
                rest.chars().count() >= 4 && actions().at(rest).is_none()
            })
        {
            best_cut = Some((at, verb));
        }
    }
    if let Some((at, verb)) = best_cut {
        noun = noun.get(at + verb.len()..).unwrap_or(noun);
        action = Some(verb);
    }
    // A list of scopes before the noun: 县区政府、市政府部门行政规范性文件.
    if let Some(at) = noun.rfind('、')
        && noun
            .get(at + '、'.len_utf8()..)
            .is_some_and(|rest| rest.chars().count() >= 4)
    {
        noun = noun.get(at + '、'.len_utf8()..).unwrap_or(noun);
    }
    if noun.ends_with('的') || noun.ends_with('级') {
        return (action.map(str::to_owned), String::new());
    }
    let noun = after_last(noun, "的");
    let noun = after_last(&noun, "等");
    let noun = strip_trailing(&noun).to_owned();
    let mut action = action.map(str::to_owned);
    let mut noun = noun;
    for verb in TRAILING_ACTIONS {
        if let Some(rest) = noun.strip_suffix(verb)
            && rest.chars().count() >= 2
        {
            if action.is_none() {
                action = Some((*verb).to_owned());
            }
            noun = strip_trailing(rest).to_owned();
            break;
        }
    }
    (action, noun)
}

/// The subject after a number: `1202项市级政务服务事项目录` → 市级政务服务事项目录.
fn subject_after(phrase: &str) -> (Option<String>, String) {
    let unquoted = drop_quotations(phrase);
    let cleaned = strip_brackets_and_quotes(if unquoted.chars().count() >= 2 {
        &unquoted
    } else {
        phrase
    });
    let (action, rest) = split_action(&cleaned);
    let rest = match rest.find('的') {
        Some(at)
            if rest
                .get(at + '的'.len_utf8()..)
                .is_some_and(|tail| tail.chars().count() >= 2) =>
        {
            rest.get(at + '的'.len_utf8()..).unwrap_or(rest)
        }
        _ => rest,
    };
    // The noun ends where a verb starts.
    let mut end = rest.len();
    for (at, _) in rest.char_indices().skip(2) {
        let tail = rest.get(at..).unwrap_or_default();
        if noun_enders().at(tail).is_some() {
            end = at;
            break;
        }
    }
    let noun: String = rest
        .get(..end)
        .unwrap_or_default()
        .chars()
        .take(16)
        .collect();
    (action.map(str::to_owned), noun)
}

/// Removes “quoted” names in front of a noun: “五级十二同”政务服务事项 → 政务服务事项.
fn drop_quotations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for ch in text.chars() {
        match ch {
            '“' | '「' => depth += 1,
            '”' | '」' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    out
}

fn normalise_subject(subject: &str) -> String {
    let subject =
        subject.trim_matches(|ch: char| !is_han(ch) && !ch.is_ascii_alphanumeric() && ch != '+');
    match subject {
        "复议案件" => "行政复议案件".to_owned(),
        "诉讼案件" | "应诉案件" | "行政应诉案件" => "行政诉讼案件".to_owned(),
        "复议申请" => "行政复议申请".to_owned(),
        other => other.chars().take(24).collect(),
    }
}

fn parse_comparison(
    chars: &[(usize, char)],
    from: usize,
    sentence_end: usize,
) -> Option<(Comparison, usize)> {
    let limit = sentence_end.min(from + 48);
    let mut idx = from;
    // `47件（同比增加6件）`: a comparison may also stand in brackets right after the figure.
    if chars
        .get(idx)
        .is_some_and(|(_, ch)| matches!(ch, '，' | ',' | '（' | '('))
    {
        idx += 1;
    }
    let start = idx;
    let mut previous_year: Option<i32> = None;
    let mut previous: Option<Decimal> = None;
    let directions: &[(&str, Direction)] = &[
        ("增长", Direction::Up),
        ("增加", Direction::Up),
        ("上升", Direction::Up),
        ("提高", Direction::Up),
        ("提升", Direction::Up),
        ("下降", Direction::Down),
        ("减少", Direction::Down),
        ("降低", Direction::Down),
        ("下滑", Direction::Down),
        ("回落", Direction::Down),
        ("缩减", Direction::Down),
        ("持平", Direction::Flat),
        ("增", Direction::Up),
        ("减", Direction::Down),
        ("多", Direction::Up),
        ("少", Direction::Down),
    ];
    let opener = match_any(
        chars,
        idx,
        &[
            "同比",
            "环比",
            "相比同期",
            "比上年同期",
            "比去年同期",
            "较上年同期",
            "较去年同期",
            "与上年相比",
            "与去年相比",
            "比上年",
            "比去年",
            "较上年",
            "较去年",
            "比同期",
            "较同期",
            "比",
            "较",
            "相比",
            "增幅",
            "降幅",
            "上年同期为",
            "去年同期为",
            "上年为",
            "去年为",
        ],
    )?;
    idx += opener.chars().count();
    let mut direction = match opener {
        "增幅" => Some(Direction::Up),
        "降幅" => Some(Direction::Down),
        _ => None,
    };
    if opener.ends_with('为') {
        let number = read_number(chars, idx)?;
        let span = Span::new(
            chars.get(start)?.0,
            chars.get(number.end.min(chars.len().saturating_sub(1)))?.0,
        );
        let end_byte = chars.get(number.end).map_or(span.end, |(at, _)| *at);
        let comparison = Comparison {
            previous: Some(number.value),
            previous_year: None,
            direction: None,
            change: None,
            change_percent: None,
            span: Span::new(span.start, end_byte),
        };
        return Some((comparison, number.end));
    }
    if opener.starts_with('比')
        || opener.starts_with('较')
        || opener.starts_with("相比")
        || opener.starts_with('与')
    {
        // A reference: 2019年, 上年, 去年同期 … then maybe the earlier value.
        if let Some((value, _, 4, false)) = read_bare_number(chars, idx)
            && chars.get(idx + 4).is_some_and(|(_, ch)| *ch == '年')
        {
            previous_year = i32::try_from(value).ok();
            idx += 5;
            if chars.get(idx).is_some_and(|(_, ch)| *ch == '度') {
                idx += 1;
            }
        }
        if let Some(word) = match_any(
            chars,
            idx,
            &[
                "上年同期",
                "去年同期",
                "上一年",
                "上年",
                "去年",
                "同期",
                "的",
            ],
        ) {
            idx += word.chars().count();
        }
        if let Some(number) =
            read_number(chars, idx).filter(|number| !number.unit.is_empty() && number.unit != "%")
        {
            previous = Some(number.value);
            idx = number.end;
        }
        if let Some(word) = match_any(chars, idx, &["相比", "而言"]) {
            idx += word.chars().count();
        }
        if chars
            .get(idx)
            .is_some_and(|(_, ch)| matches!(ch, '，' | ','))
        {
            idx += 1;
        }
    }
    if direction.is_none() {
        let (word, found) = directions
            .iter()
            .find(|(word, _)| starts_with_at(chars, idx, word))?;
        direction = Some(*found);
        idx += word.chars().count();
    }
    if chars.get(idx).is_some_and(|(_, ch)| *ch == '了') {
        idx += 1;
    }
    if match_any(chars, idx, &["了", "达", "为"]).is_some() {
        idx += 1;
    }
    let mut change = None;
    if let Some(number) = read_number(chars, idx) {
        change = Some(match number.unit.as_str() {
            "%" => Change::Percent(number.value),
            "百分点" => Change::Points(number.value),
            "倍" => Change::Times(number.value),
            _ => Change::Absolute(number.value),
        });
        idx = number.end;
    }
    if idx > limit || (change.is_none() && previous.is_none() && direction != Some(Direction::Flat))
    {
        return None;
    }
    // `增加212件，增长23.2%`: the percentage belongs to the same comparison.
    let mut change_percent = None;
    if matches!(change, Some(Change::Absolute(_))) {
        let mut at = idx;
        if chars
            .get(at)
            .is_some_and(|(_, ch)| matches!(ch, '，' | ','))
        {
            at += 1;
        }
        if let Some((word, _)) = directions.iter().find(|(word, found)| {
            Some(*found) == direction
                && word.chars().count() == 2
                && starts_with_at(chars, at, word)
        }) {
            at += word.chars().count();
            if chars.get(at).is_some_and(|(_, ch)| *ch == '了') {
                at += 1;
            }
            if let Some(number) = read_number(chars, at).filter(|number| number.unit == "%") {
                change_percent = Some(number.value);
                idx = number.end;
            }
        }
    }
    let start_byte = chars.get(start)?.0;
    let end_byte = chars.get(idx).map_or_else(
        || {
            chars
                .last()
                .map_or(start_byte, |(at, ch)| at + ch.len_utf8())
        },
        |(at, _)| *at,
    );
    Some((
        Comparison {
            previous,
            previous_year,
            direction,
            change,
            change_percent,
            span: Span::new(start_byte, end_byte),
        },
        idx,
    ))
}

/// How far (in characters) a figure's sentence is looked for on either side.
const SENTENCE_WINDOW: usize = 400;

/// Upper bound on figures per report: past it the scanner stops with a diagnostic.
pub const MAX_FIGURES: usize = 100_000;

/// Extracts the figures of a document. Never fails.
#[must_use]
pub fn figures(document: &Document) -> (Vec<Figure>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut found: Vec<Figure> = Vec::new();
    let text = document.text();
    for line in &document.lines {
        if !matches!(line.kind, LineKind::Body | LineKind::Heading) {
            continue;
        }
        let content = text.get(line.span.start..line.span.end).unwrap_or_default();
        let skip_label = if line.kind == LineKind::Heading {
            parse_heading(content).map_or(0, |(_, _, len)| {
                content.get(..len).map_or(0, |label| label.chars().count())
            })
        } else {
            0
        };
        scan_line(document, content, line.span.start, skip_label, &mut found);
        if found.len() >= MAX_FIGURES {
            diagnostics.push(Diagnostic::new(
                Stage::Figures,
                "too_many_figures",
                Severity::Warning,
                format!("stopped after {MAX_FIGURES} figures"),
            ));
            break;
        }
    }
    (found, diagnostics)
}

fn scan_line(
    document: &Document,
    content: &str,
    base: usize,
    skip_label: usize,
    found: &mut Vec<Figure>,
) {
    let chars: Vec<(usize, char)> = content.char_indices().collect();
    let regions = excluded_regions(&chars);
    let byte_at = |idx: usize| chars.get(idx).map_or(content.len(), |(at, _)| *at);
    let mut idx = skip_label;
    let mut clause_floor = skip_label;
    let mut sentence_subject: Option<(String, usize)> = None;
    let mut last_figure_end: Option<usize> = None;
    while idx < chars.len() {
        let Some(&(_, ch)) = chars.get(idx) else {
            break;
        };
        if is_clause_boundary(ch) && (ch != '、' || last_figure_end == Some(idx)) {
            clause_floor = idx + 1;
            if matches!(ch, '。' | '！' | '？' | '!' | '?') {
                sentence_subject = None;
            }
            idx += 1;
            continue;
        }
        let previous = idx
            .checked_sub(1)
            .and_then(|at| chars.get(at))
            .map(|(_, c)| *c);
        let number_start = ch.is_ascii_digit()
            && !previous.is_some_and(|p| p.is_ascii_digit() || (p == '.' && idx >= 2))
            || is_chinese_numeral_char(ch)
                && !matches!(ch, '万' | '亿' | '萬' | '億')
                && !previous.is_some_and(is_chinese_numeral_char);
        if !number_start {
            idx += 1;
            continue;
        }
        // 百分之三十 is written before the number.
        let percent_words = previous == Some('之') && chars_end_with(&chars, idx, "百分之");
        let Some(mut number) = read_number(&chars, idx) else {
            idx += 1;
            continue;
        };
        if percent_words && number.unit.is_empty() {
            number.unit = "%".to_owned();
        }
        let mut approx_start = if percent_words { idx - 3 } else { idx };
        for (word, approx) in APPROX_BEFORE {
            let len = word.chars().count();
            if chars_end_with(&chars, approx_start, word) {
                if number.approx == Approx::Exact {
                    number.approx = *approx;
                }
                approx_start -= len;
                break;
            }
        }
        if is_not_a_figure(&chars, &number, &regions)
            || (number.unit.is_empty() && !bare_number_is_figure(&chars, &number, approx_start))
        {
            idx = number.start + number.digits.max(1);
            continue;
        }
        // Sentences are looked for within a window, so a line of numbers without full stops
        // stays linear.
        let sentence_end = chars
            .iter()
            .skip(number.end)
            .take(SENTENCE_WINDOW)
            .position(|(_, c)| is_sentence_boundary(*c))
            .map_or((number.end + SENTENCE_WINDOW).min(chars.len()), |at| {
                number.end + at
            });
        let window_start = idx.saturating_sub(SENTENCE_WINDOW);
        let sentence_start = chars
            .get(window_start..idx)
            .and_then(|before| before.iter().rposition(|(_, c)| is_sentence_boundary(*c)))
            .map_or(window_start, |at| window_start + at + 1);
        let comparison = parse_comparison(&chars, number.end, sentence_end);
        // Subject.
        let back_start = clause_floor
            .max(approx_start.saturating_sub(40))
            .min(approx_start);
        let back = text_of(&chars, back_start, approx_start);
        let (mut action, mut subject) = subject_before(&back);
        // A phrase ending in a verb (推出, 发放) may have its object after the number:
        // 推出百余项举措. Then the noun after the number wins, if there is one.
        let ending_verb = ACTIONS
            .iter()
            .find(|verb| subject.ends_with(*verb) && subject.len() > verb.len())
            .filter(|verb| !TRAILING_ACTIONS.contains(verb));
        if subject.chars().count() < 2 || ending_verb.is_some() {
            let forward_end = chars
                .iter()
                .skip(number.end)
                .take(24)
                .position(|(_, c)| is_clause_boundary(*c))
                .map_or((number.end + 24).min(chars.len()), |at| number.end + at);
            let forward_start = comparison
                .as_ref()
                .map_or(number.end, |(_, end)| *end)
                .min(forward_end);
            let starts_with_number = chars
                .get(forward_start)
                .is_some_and(|(_, c)| c.is_ascii_digit());
            let (forward_action, forward) = if starts_with_number {
                (None, String::new())
            } else {
                subject_after(&text_of(&chars, forward_start, forward_end))
            };
            if forward.chars().count() >= 2 {
                subject = forward;
                if let Some(verb) = ending_verb {
                    action = Some((*verb).to_owned());
                }
                if action.is_none() {
                    action = forward_action;
                }
            } else if ending_verb.is_some() {
                // Keep the phrase: 合法性审查40件 counts reviews.
            } else if let Some((previous_subject, _)) = &sentence_subject {
                if action.is_none() && subject.chars().count() == 1 {
                    action = Some(subject.clone());
                }
                if let Some(verb) = ACTIONS
                    .iter()
                    .find(|verb| back.contains(*verb))
                    .filter(|_| action.is_none())
                {
                    action = Some((*verb).to_owned());
                }
                subject = previous_subject.clone();
            }
        }
        let subject = normalise_subject(&subject);
        if !subject.is_empty() {
            sentence_subject = Some((subject.clone(), idx));
        }
        let span = Span::new(base + byte_at(approx_start), base + byte_at(number.end));
        let full_subject = format!("{}{}", action.as_deref().unwrap_or_default(), subject);
        let indicator = indicator_for(&full_subject, &number.unit);
        let (comparison, resume) = match comparison {
            Some((mut comparison, end)) => {
                comparison.span =
                    Span::new(base + comparison.span.start, base + comparison.span.end);
                (Some(comparison), end)
            }
            None => (None, number.end),
        };
        found.push(Figure {
            subject,
            action,
            value: number.value,
            value_max: number.value_max,
            approx: number.approx,
            unit: number.unit.clone(),
            comparison,
            indicator,
            section: document.section_path_at(span.start),
            span,
            original: document.normalised.original(span),
            text: content
                .get(byte_at(approx_start)..byte_at(number.end))
                .unwrap_or_default()
                .to_owned(),
            sentence: Span::new(base + byte_at(sentence_start), base + byte_at(sentence_end)),
        });
        clause_floor = number.end;
        idx = resume.max(number.end).max(idx + 1);
        last_figure_end = Some(idx);
        if found.len() >= MAX_FIGURES {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{Format, decode};
    use crate::normalise::normalise;
    use crate::structure::structure;

    fn figures_of(body: &str) -> Vec<Figure> {
        let text = format!("某市人民政府2020年法治政府建设情况报告\n一、主要举措和成效\n{body}\n");
        let (raw, _) = decode(text.as_bytes(), Some(Format::Text));
        let (normalised, _) = normalise(&raw);
        let (document, _) = structure(normalised, None);
        figures(&document).0
    }

    fn summary(figure: &Figure) -> (String, String, String) {
        (
            figure.subject.clone(),
            figure.value.normalize().to_string(),
            figure.unit.clone(),
        )
    }

    #[test]
    fn counts_with_subjects_before_the_number() {
        let found = figures_of(
            "2020年,办理区政府及区政府各部门的行政复议案件262件,区政府为被告的行政诉讼案件178件。",
        );
        let got: Vec<_> = found.iter().map(summary).collect();
        assert_eq!(
            got,
            [
                ("行政复议案件".to_owned(), "262".to_owned(), "件".to_owned()),
                ("行政诉讼案件".to_owned(), "178".to_owned(), "件".to_owned()),
            ]
        );
        assert_eq!(
            found.first().and_then(|f| f.indicator),
            Some("reconsideration.cases_received")
        );
    }

    #[test]
    fn magnitudes_and_approximations() {
        let found =
            figures_of("行政审批和公共服务办件量117万余件,交易金额共计171.88亿元,浏览总量近6万。");
        let got: Vec<_> = found
            .iter()
            .map(|f| (f.value.normalize().to_string(), f.unit.clone(), f.approx))
            .collect();
        assert_eq!(
            got,
            [
                ("1170000".to_owned(), "件".to_owned(), Approx::AtLeast),
                ("17188000000".to_owned(), "元".to_owned(), Approx::Exact),
                ("60000".to_owned(), String::new(), Approx::AtMost),
            ]
        );
    }

    #[test]
    fn comparisons_are_attached() {
        let found = figures_of("市政府共收到行政复议申请83件,比2019年92件减少了10.84%。");
        assert_eq!(found.len(), 1, "{found:#?}");
        let comparison = found.first().and_then(|f| f.comparison.clone()).unwrap();
        assert_eq!(comparison.previous, Some(Decimal::from(92)));
        assert_eq!(comparison.previous_year, Some(2019));
        assert_eq!(comparison.direction, Some(Direction::Down));
        assert_eq!(
            comparison.change,
            Some(Change::Percent(Decimal::new(1084, 2)))
        );
    }

    #[test]
    fn dates_ordinals_and_slogans_are_not_figures() {
        let found = figures_of(
            "2020年10月16日召开第三次会议,贯彻十九届五中全会精神,增强“四个意识”,推行三项制度,依据〔2020〕12号文件第十条,开通12348热线,建设5G基站。",
        );
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn chinese_numerals_and_forward_subjects() {
        let found =
            figures_of("全年办理法律援助案件一千一百六十二件,梳理公布1202项市级政务服务事项目录。");
        let got: Vec<_> = found.iter().map(summary).collect();
        assert_eq!(
            got,
            [
                (
                    "法律援助案件".to_owned(),
                    "1162".to_owned(),
                    "件".to_owned()
                ),
                (
                    "市级政务服务事项目录".to_owned(),
                    "1202".to_owned(),
                    "项".to_owned()
                ),
            ]
        );
    }
}
