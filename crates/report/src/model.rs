//! The report model: five statutory parts in a fixed order, each with optional sections.
//!
//! The parts and their order come from 《法治政府建设与责任落实督察工作规定》(厅字〔2019〕28号):
//! the year's main measures and results, shortcomings and their causes, how the principal Party
//! and government leaders performed their duty as first responsible persons, the next year's main
//! arrangements, and other matters (see `../shared/docs/reporting.md` §2). Numbering (一、 /
//! （一）) is not stored: exporters derive it from the position, so an edit never leaves a gap.

use serde::{Deserialize, Serialize};
use time::Date;

/// The five statutory parts, in their required order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartKind {
    /// 主要举措和成效 — by area of the 纲要 in force for the year.
    Measures,
    /// 存在的不足和原因.
    Shortcomings,
    /// 党政主要负责人履行推进法治建设第一责任人职责情况.
    FirstResponsible,
    /// 下一年度主要安排.
    NextYear,
    /// 其他需要报告的情况.
    Other,
}

impl PartKind {
    /// All parts in statutory order.
    pub const ALL: [PartKind; 5] = [
        PartKind::Measures,
        PartKind::Shortcomings,
        PartKind::FirstResponsible,
        PartKind::NextYear,
        PartKind::Other,
    ];

    /// The part's standard heading (without its number).
    #[must_use]
    pub fn heading(self) -> &'static str {
        match self {
            PartKind::Measures => "主要举措和成效",
            PartKind::Shortcomings => "存在的不足和原因",
            PartKind::FirstResponsible => "党政主要负责人履行推进法治建设第一责任人职责情况",
            PartKind::NextYear => "下一年度主要安排",
            PartKind::Other => "其他需要报告的情况",
        }
    }
}

/// A whole report, one version of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// e.g. "示范市滨河区人民政府关于2026年法治政府建设情况的报告".
    pub title: String,
    /// The issuing authority (发文机关), e.g. "示范市滨河区人民政府".
    pub issuer: String,
    /// The year reported on.
    pub year: i32,
    /// 主送机关 (recipients), e.g. "区委、区人大常委会、示范市人民政府"; empty when published only.
    #[serde(default)]
    pub recipients: String,
    /// 成文日期; `None` while drafting.
    #[serde(default)]
    pub date: Option<Date>,
    /// Opening paragraphs before part one.
    #[serde(default)]
    pub preamble: Vec<Paragraph>,
    /// The parts; a well-formed report has each [`PartKind`] once, in order (the lint checks).
    pub parts: Vec<Part>,
    /// Shown under the title when this version corrects a published one.
    #[serde(default)]
    pub correction_note: Option<String>,
}

/// One statutory part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// Which part.
    pub kind: PartKind,
    /// Heading text without its number; normally [`PartKind::heading`].
    pub heading: String,
    /// Paragraphs directly under the part heading, before any section.
    #[serde(default)]
    pub paragraphs: Vec<Paragraph>,
    /// Second-level sections （一）（二）….
    #[serde(default)]
    pub sections: Vec<Section>,
}

/// A second-level section, e.g. one 纲要 area under the measures part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Stable key (the 纲要 area id for measures, free otherwise) so edits survive redrafting.
    pub key: String,
    /// Heading text without its number.
    pub heading: String,
    /// Body paragraphs.
    #[serde(default)]
    pub paragraphs: Vec<Paragraph>,
    /// Figures in the text that no computed indicator gives, each with where it came from.
    #[serde(default)]
    pub manual_figures: Vec<ManualFigure>,
}

/// One paragraph of body text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    /// The text, plain (no markup); one paragraph, no line breaks.
    pub text: String,
    /// Who wrote it: drafted from indicators, or by staff.
    #[serde(default)]
    pub origin: Origin,
    /// Indicators whose values this paragraph states (drafted paragraphs), for traceability.
    #[serde(default)]
    pub indicators: Vec<String>,
}

/// Where a paragraph came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Written by the drafting step from computed indicators.
    Drafted,
    /// Written or edited by staff.
    #[default]
    Staff,
}

/// A number stated in a section that is not a computed indicator, with its source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualFigure {
    /// The number as written in the text, e.g. "538".
    pub value: String,
    /// Where it comes from, e.g. "区委编办权力清单（2026年12月）".
    pub source: String,
}

impl Paragraph {
    /// A staff paragraph.
    #[must_use]
    pub fn staff(text: impl Into<String>) -> Self {
        Paragraph {
            text: text.into(),
            origin: Origin::Staff,
            indicators: Vec::new(),
        }
    }
}

impl Report {
    /// An empty report with the five parts in order and no text.
    #[must_use]
    pub fn skeleton(title: impl Into<String>, issuer: impl Into<String>, year: i32) -> Self {
        Report {
            title: title.into(),
            issuer: issuer.into(),
            year,
            recipients: String::new(),
            date: None,
            preamble: Vec::new(),
            parts: PartKind::ALL
                .iter()
                .map(|&kind| Part {
                    kind,
                    heading: kind.heading().to_owned(),
                    paragraphs: Vec::new(),
                    sections: Vec::new(),
                })
                .collect(),
            correction_note: None,
        }
    }

    /// The report as plain text with numbered headings, one paragraph per line: what the
    /// reader's structure and lint stages read, and what a user would paste.
    #[must_use]
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.title);
        out.push_str("\n\n");
        for paragraph in &self.preamble {
            out.push_str(&paragraph.text);
            out.push('\n');
        }
        for (index, part) in self.parts.iter().enumerate() {
            out.push_str(&format!(
                "{}、{}\n",
                chinese_ordinal(index + 1),
                part.heading
            ));
            for paragraph in &part.paragraphs {
                out.push_str(&paragraph.text);
                out.push('\n');
            }
            for (number, section) in part.sections.iter().enumerate() {
                out.push_str(&format!(
                    "（{}）{}\n",
                    chinese_ordinal(number + 1),
                    section.heading
                ));
                for paragraph in &section.paragraphs {
                    out.push_str(&paragraph.text);
                    out.push('\n');
                }
            }
        }
        if !self.issuer.is_empty() {
            out.push('\n');
            out.push_str(&self.issuer);
            out.push('\n');
        }
        if let Some(date) = self.date {
            out.push_str(&chinese_date(date));
            out.push('\n');
        }
        out
    }
}

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (headings never go past that).
#[must_use]
pub fn chinese_ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        _ if n < 100 => {
            let tens = DIGITS[n / 10];
            if n.is_multiple_of(10) {
                format!("{tens}十")
            } else {
                format!("{tens}十{}", DIGITS[n % 10])
            }
        }
        _ => n.to_string(),
    }
}

/// A date as official documents write it: 2027年3月5日 (Arabic numerals, GB/T 9704-2012 §7.3.5.4).
#[must_use]
pub fn chinese_date(date: Date) -> String {
    format!(
        "{}年{}月{}日",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        assert_eq!(chinese_ordinal(1), "一");
        assert_eq!(chinese_ordinal(10), "十");
        assert_eq!(chinese_ordinal(12), "十二");
        assert_eq!(chinese_ordinal(20), "二十");
        assert_eq!(chinese_ordinal(35), "三十五");
    }

    #[test]
    fn skeleton_has_five_parts_in_order_and_plain_text_numbers_them() {
        let mut report = Report::skeleton("标题", "示范市滨河区人民政府", 2026);
        assert_eq!(
            report.parts.iter().map(|p| p.kind).collect::<Vec<_>>(),
            PartKind::ALL
        );
        report.parts[0].sections.push(Section {
            key: "functions".into(),
            heading: "健全政府机构职能体系".into(),
            paragraphs: vec![Paragraph::staff("全年共办理……")],
            manual_figures: Vec::new(),
        });
        report.date = Some(time::macros::date!(2027 - 03 - 05));
        let text = report.plain_text();
        assert!(text.contains("一、主要举措和成效\n（一）健全政府机构职能体系\n全年共办理……\n"));
        assert!(text.contains("五、其他需要报告的情况\n"));
        assert!(text.ends_with("2027年3月5日\n"));
    }
}
