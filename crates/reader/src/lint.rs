//! Stage 5, [`Document`] + figures → `Vec<Finding>`: the checks of reporting.md §4 that can be
//! run on a report's text.
//!
//! The same function runs on reports read from the web and, later, on the app's own drafts, so
//! it takes the structured [`Document`] and never the raw input. Each finding has a stable
//! `check` id (the user interface translates it) and an English message.
//!
//! | check id | reporting.md §4 | severity |
//! |---|---|---|
//! | `part_missing` | 4: all five parts | error (warning for "other matters") |
//! | `parts_out_of_order` | 4 | warning |
//! | `shortcomings_thin`, `shortcomings_without_causes` | 4: shortcomings carry causes | warning |
//! | `first_responsible_person_not_a_part` | 5: the part stands on its own | warning |
//! | `next_year_plan_thin` | 6: next year's plan is concrete | warning |
//! | `heading_numbering` | 7: no gaps or duplicates | warning |
//! | `rate_out_of_range` | 8 | error |
//! | `rate_without_base`, `rate_not_reproduced`, `rate_reproduced` | 8 | warning / info |
//! | `yoy_wrong_base`, `yoy_mismatch` | 9 | error / warning |
//! | `inconsistent_values`, `undated_as_of` | 10 | warning |
//! | `parts_exceed_whole`, `parts_sum_to_whole` | 11 | error / info |
//! | `year_missing`, `jurisdiction_missing` | the report says who and when | error / warning |
//! | `published_before_year_end`, `published_late` | 1, 2 | error / warning |
//! | `few_figures` | 14: concrete content | warning |
//! | `repeated_text` | 13: boilerplate from the previous report | info / warning |
//! | `first_responsible_duties`, `first_responsible_duties_thin` | 5: the duties of the 2016 规定 | info / warning |
//! | `outline_areas_missing` | 7: the section plan follows the 纲要 of the year | info |
//! | `figure_not_in_records`, `figure_disagrees_with_records` | 12: figures agree with the records | warning / error |
//! | `submission_deadline`, `publication_due_soon`, `publication_overdue`, `finalised_before_year_end` | 1, 2 | info / warning / error / error |
//!
//! The last two rows run only when [`CheckOptions`] asks for them (known figures; a report year,
//! an as-of date or a publication date), so [`lint`] with [`LintOptions::default`] gives what it
//! always gave plus the duty and outline checks.
//!
//! What it does not do: compare with peers (13 across reporters), or anything needing a URL or
//! a secrecy review (3, 15, 16).

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Month;

use crate::duties::duties_in;
use crate::figures::{Approx, Change, Direction, Figure};
use crate::offsets::Span;
use crate::outline::{outline_area_for, outline_areas};
use crate::structure::{Date, Document, LineKind, Section, StatutoryPart};

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingSeverity {
    /// Worth knowing; nothing wrong.
    Info,
    /// Probably wrong or weak.
    Warning,
    /// Wrong against a rule of reporting.md.
    Error,
}

/// One result of the lint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable id of the check (see the module table).
    pub check: &'static str,
    /// How much it matters.
    pub severity: FindingSeverity,
    /// English explanation with the numbers involved.
    pub message: String,
    /// The statutory part concerned, for part checks.
    pub part: Option<StatutoryPart>,
    /// Where, in the normalised text.
    pub span: Option<Span>,
    /// Where, in the original input.
    pub original: Option<Span>,
    /// The report's own words at `span`.
    pub quote: Option<String>,
    /// A recomputed value, when the check computes one (a rate, a change, a sum, a share).
    pub computed: Option<Decimal>,
}

/// Options for [`lint`].
///
/// Kept to its one field because callers build it with a struct literal; the checks against
/// the records and the clock take [`CheckOptions`], a superset.
#[derive(Clone, Copy, Debug, Default)]
pub struct LintOptions<'a> {
    /// The same reporter's previous report, for the repeated-text share.
    pub previous: Option<&'a Document>,
}

/// A figure the app computed from its records (its indicator catalogue), to check a report's
/// narrative against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownFigure {
    /// Indicator id, as [`crate::indicator_for`] gives it (`reconsideration.cases_received`).
    pub indicator: String,
    /// The value in the unit the report writes without magnitude: a count as a count (25000,
    /// not 2.5 for 2.5万), a rate in per cent (98.64, not 0.9864), money in 元.
    pub value: Decimal,
    /// What it is, for messages (`行政复议案件受理数`).
    pub label: String,
}

/// Options for [`lint_with`]: [`LintOptions`] plus the checks against the records and the
/// deadlines. `Default` runs the same checks as [`LintOptions::default`].
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckOptions<'a> {
    /// The same reporter's previous report, for the repeated-text share.
    pub previous: Option<&'a Document>,
    /// The figures of the records. When `Some`, every figure of the narrative must equal one of
    /// them or be listed in `manual_figures` (`figure_not_in_records`), and a figure whose
    /// indicator id has a known figure must equal it (`figure_disagrees_with_records`).
    pub known_figures: Option<&'a [KnownFigure]>,
    /// Figures as written (`87%`, `2.5万件`, `83`) that staff entered by hand with their source
    /// elsewhere: not compared with the records. Matched by the text of the figure, or by value.
    pub manual_figures: &'a [String],
    /// The year reported on; `None` takes the year stated in the report.
    pub report_year: Option<i32>,
    /// The day the report is checked (today, or the publication date), for
    /// `publication_due_soon`, `publication_overdue` and `finalised_before_year_end`.
    pub as_of: Option<time::Date>,
    /// The day the report was published, when the caller knows it; `None` takes the date
    /// printed in the report, if any.
    pub published_on: Option<time::Date>,
}

impl<'a> From<LintOptions<'a>> for CheckOptions<'a> {
    fn from(options: LintOptions<'a>) -> Self {
        Self {
            previous: options.previous,
            ..Self::default()
        }
    }
}

struct Findings<'a> {
    document: &'a Document,
    list: Vec<Finding>,
    /// Returned by `add` in the impossible case that the list is empty after a push.
    scratch: Finding,
}

impl Findings<'_> {
    fn add(
        &mut self,
        check: &'static str,
        severity: FindingSeverity,
        message: String,
        span: Option<Span>,
    ) -> &mut Finding {
        let quote = span.map(|span| {
            let text = self.document.normalised.slice(span);
            text.chars().take(80).collect::<String>()
        });
        self.list.push(Finding {
            check,
            severity,
            message,
            part: None,
            span,
            original: span.map(|span| self.document.normalised.original(span)),
            quote,
            computed: None,
        });
        match self.list.last_mut() {
            Some(finding) => finding,
            None => &mut self.scratch,
        }
    }
}

/// Runs every check on a structured report and its figures.
#[must_use]
pub fn lint(document: &Document, figures: &[Figure], options: &LintOptions<'_>) -> Vec<Finding> {
    lint_with(document, figures, &CheckOptions::from(*options))
}

/// [`lint`] with the checks against the records and the deadlines ([`CheckOptions`]).
#[must_use]
pub fn lint_with(
    document: &Document,
    figures: &[Figure],
    options: &CheckOptions<'_>,
) -> Vec<Finding> {
    let mut findings = Findings {
        document,
        list: Vec::new(),
        scratch: Finding {
            check: "",
            severity: FindingSeverity::Info,
            message: String::new(),
            part: None,
            span: None,
            original: None,
            quote: None,
            computed: None,
        },
    };
    check_parts(document, &mut findings);
    check_numbering(&document.sections, &mut findings, 0);
    check_rates(document, figures, &mut findings);
    check_changes(figures, &mut findings);
    check_consistency(document, figures, &mut findings);
    check_sums(document, figures, &mut findings);
    check_meta(document, figures, options, &mut findings);
    if let Some(previous) = options.previous {
        check_repeated(document, previous, &mut findings);
    }
    check_duties(document, &mut findings);
    check_outline(document, options.report_year, &mut findings);
    if let Some(known) = options.known_figures {
        check_records(
            document,
            figures,
            known,
            options.manual_figures,
            &mut findings,
        );
    }
    check_deadlines(document, options, &mut findings);
    findings.list
}

fn section_text_len(document: &Document, section: &Section) -> usize {
    let body = Span::new(section.heading_span.end, section.span.end);
    document
        .normalised
        .slice(body)
        .chars()
        .filter(|ch| !ch.is_whitespace())
        .count()
}

const CAUSE_WORDS: [&str; 10] = [
    "原因",
    "由于",
    "因为",
    "导致",
    "造成",
    "根源",
    "源于",
    "因素",
    "主要是",
    "受制于",
];

fn check_parts(document: &Document, findings: &mut Findings<'_>) {
    let found: Vec<(StatutoryPart, Span)> = document
        .sections
        .iter()
        .filter_map(|section| {
            section
                .part
                .filter(|part| part.confidence >= 0.5)
                .map(|part| (part.part, section.heading_span))
        })
        .collect();
    let text = document.text();
    for part in StatutoryPart::ALL {
        if found.iter().any(|(found, _)| *found == part) {
            continue;
        }
        if part == StatutoryPart::Measures
            && document
                .sections
                .iter()
                .any(|section| section.part.is_some_and(|p| p.part == part))
        {
            continue;
        }
        if part == StatutoryPart::FirstResponsiblePerson {
            let mentioned = ["第一责任人", "主要负责人履行", "党政主要负责人"]
                .iter()
                .find_map(|word| text.find(word));
            if let Some(at) = mentioned {
                let span = Span::new(at, at + "第一责任人".len().min(text.len() - at));
                findings
                    .add(
                        "first_responsible_person_not_a_part",
                        FindingSeverity::Warning,
                        "the first-responsible-person duties are mentioned but are not a part of their own".to_owned(),
                        Some(span),
                    )
                    .part = Some(part);
                continue;
            }
        }
        let severity = if part == StatutoryPart::Other {
            FindingSeverity::Warning
        } else {
            FindingSeverity::Error
        };
        findings
            .add(
                "part_missing",
                severity,
                format!("statutory part {part:?} not found"),
                None,
            )
            .part = Some(part);
    }
    let order: Vec<StatutoryPart> = found.iter().map(|(part, _)| *part).collect();
    if let Some(pair) = order
        .windows(2)
        .find(|pair| matches!(pair, [a, b] if a > b))
    {
        let later = found
            .iter()
            .find(|(part, _)| Some(part) == pair.get(1))
            .map(|(_, span)| *span);
        findings.add(
            "parts_out_of_order",
            FindingSeverity::Warning,
            format!(
                "statutory parts out of order: {:?} after {:?}",
                pair.get(1),
                pair.first()
            ),
            later,
        );
    }
    for section in document.part_sections(StatutoryPart::Shortcomings) {
        let length = section_text_len(document, section);
        if length < 150 {
            findings
                .add(
                    "shortcomings_thin",
                    FindingSeverity::Warning,
                    format!("the shortcomings part has only {length} characters"),
                    Some(section.heading_span),
                )
                .computed = Some(Decimal::from(length));
        }
        let body = document.normalised.slice(section.span);
        if !CAUSE_WORDS.iter().any(|word| body.contains(word)) {
            findings
                .add(
                    "shortcomings_without_causes",
                    FindingSeverity::Warning,
                    "the shortcomings part names no causes".to_owned(),
                    Some(section.heading_span),
                )
                .part = Some(StatutoryPart::Shortcomings);
        }
    }
    for section in document.part_sections(StatutoryPart::NextYear) {
        let length = section_text_len(document, section);
        if length < 150 {
            findings
                .add(
                    "next_year_plan_thin",
                    FindingSeverity::Warning,
                    format!("the next year's plan has only {length} characters"),
                    Some(section.heading_span),
                )
                .computed = Some(Decimal::from(length));
        }
    }
}

fn check_numbering(sections: &[Section], findings: &mut Findings<'_>, depth: usize) {
    if depth > 12 {
        return;
    }
    let mut last: HashMap<crate::structure::HeadingStyle, u32> = HashMap::new();
    for section in sections.iter().filter(|section| !section.inline) {
        let expected = last.get(&section.style).map_or(1, |previous| previous + 1);
        if section.ordinal != expected {
            let message = if section.ordinal < expected {
                format!(
                    "heading {} repeats or goes back (expected number {expected})",
                    section.label
                )
            } else {
                format!(
                    "heading {} skips a number (expected number {expected})",
                    section.label
                )
            };
            findings
                .add(
                    "heading_numbering",
                    FindingSeverity::Warning,
                    message,
                    Some(section.heading_span),
                )
                .computed = Some(Decimal::from(expected));
        }
        last.insert(section.style, section.ordinal);
        check_numbering(&section.children, findings, depth + 1);
    }
}

fn is_rate(figure: &Figure) -> bool {
    figure.unit == "%"
        && figure.comparison.is_none()
        && !figure.action.as_deref().is_some_and(|action| {
            [
                "压缩", "减少", "增长", "提升", "提高", "下降", "降低", "增加", "缩短", "精简",
            ]
            .contains(&action)
        })
        && ["率", "占比", "比例", "比重", "满意度", "覆盖面"]
            .iter()
            .any(|word| figure.subject.contains(word))
}

fn decimals(value: Decimal) -> u32 {
    value.normalize().scale()
}

fn tolerance(stated: Decimal) -> Decimal {
    // Half a unit in the last stated digit, plus room for truncation instead of rounding.
    Decimal::new(1, decimals(stated))
}

fn sentence_id(document: &Document, at: usize) -> (usize, usize) {
    // Sentences for rate checks end at 。！？ only: a ； still belongs to the same statement.
    // Looked for within a window of bytes, so that huge lines stay linear.
    let text = document.text();
    let mut from = at.saturating_sub(WINDOW);
    while from > 0 && !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (at + WINDOW).min(text.len());
    while to < text.len() && !text.is_char_boundary(to) {
        to += 1;
    }
    let start = text
        .get(from..at)
        .and_then(|before| before.rfind(['。', '！', '？', '\n']))
        .map_or(from, |found| from + found + 1);
    let end = text
        .get(at..to)
        .and_then(|after| after.find(['。', '！', '？', '\n']))
        .map_or(to, |found| at + found);
    (start, end)
}

/// Bytes looked at around a figure for its sentence or clause.
const WINDOW: usize = 1200;

/// The index of the line holding byte `pos` (lines are in text order).
fn line_of(document: &Document, pos: usize) -> usize {
    document.lines.partition_point(|line| line.span.end < pos)
}

fn check_rates(document: &Document, figures: &[Figure], findings: &mut Findings<'_>) {
    let hundred = Decimal::from(100);
    for (idx, figure) in figures.iter().enumerate() {
        if !is_rate(figure) {
            continue;
        }
        if figure.value > hundred || figure.value < Decimal::ZERO {
            findings
                .add(
                    "rate_out_of_range",
                    FindingSeverity::Error,
                    format!("rate {}% is outside 0–100", figure.value),
                    Some(figure.span),
                )
                .computed = Some(figure.value);
            continue;
        }
        // Next year's targets (控制在5%以内) have no base to recompute.
        if document
            .sections_on_path(&figure.section)
            .first()
            .is_some_and(|top| {
                top.part
                    .is_some_and(|part| part.part == StatutoryPart::NextYear)
            })
        {
            continue;
        }
        // Survey results (满意度, 知晓率) have no numerator and denominator in the text.
        if ["满意", "好评", "知晓", "认可"]
            .iter()
            .any(|word| figure.subject.contains(word))
        {
            continue;
        }
        let sentence = sentence_id(document, figure.span.start);
        let counts: Vec<&Figure> = figures
            .get(idx.saturating_sub(12)..idx)
            .unwrap_or_default()
            .iter()
            .filter(|other| {
                other.span.start >= sentence.0
                    && other.unit != "%"
                    && other.unit != "元"
                    && other.unit != "百分点"
                    && other.value > Decimal::ZERO
                    && other.value_max.is_none()
            })
            .collect();
        if counts.is_empty() {
            findings.add(
                "rate_without_base",
                FindingSeverity::Warning,
                format!(
                    "rate {}% is stated without its numerator and denominator",
                    figure.value
                ),
                Some(figure.span),
            );
            continue;
        }
        let mut reproduced: Option<(Decimal, &Figure, &Figure)> = None;
        for denominator in &counts {
            for numerator in &counts {
                if std::ptr::eq(*numerator, *denominator) || numerator.value > denominator.value {
                    continue;
                }
                let computed = (numerator.value * hundred / denominator.value).round_dp(4);
                if (computed - figure.value).abs() <= tolerance(figure.value) {
                    reproduced = Some((computed, numerator, denominator));
                }
            }
        }
        match reproduced {
            Some((computed, numerator, denominator)) => {
                findings
                    .add(
                        "rate_reproduced",
                        FindingSeverity::Info,
                        format!(
                            "rate {}% = {} / {} = {}%",
                            figure.value,
                            numerator.value,
                            denominator.value,
                            computed.round_dp(2)
                        ),
                        Some(figure.span),
                    )
                    .computed = Some(computed.round_dp(2));
            }
            // 100% and 0% follow from any single count (办理1938件，办结率100%).
            None if figure.value == hundred || figure.value.is_zero() => {}
            None => {
                findings.add(
                    "rate_not_reproduced",
                    FindingSeverity::Warning,
                    format!("rate {}% does not follow from any two figures stated before it in the sentence", figure.value),
                    Some(figure.span),
                );
            }
        }
    }
}

fn check_changes(figures: &[Figure], findings: &mut Findings<'_>) {
    let hundred = Decimal::from(100);
    for figure in figures {
        let Some(comparison) = &figure.comparison else {
            continue;
        };
        // 增加212件，增长23.2%: the earlier value follows from the absolute change.
        if let (None, Some(Change::Absolute(amount)), Some(percent)) = (
            comparison.previous,
            comparison.change,
            comparison.change_percent,
        ) {
            let previous = match comparison.direction {
                Some(Direction::Down) => figure.value + amount,
                _ => figure.value - amount,
            };
            if previous > Decimal::ZERO && figure.approx == Approx::Exact {
                let right = (amount * hundred / previous).round_dp(2);
                if (right - percent).abs() > tolerance(percent) {
                    let wrong = (amount * hundred / figure.value).round_dp(2);
                    let (check, severity) = if (wrong - percent).abs() <= tolerance(percent) {
                        ("yoy_wrong_base", FindingSeverity::Error)
                    } else {
                        ("yoy_mismatch", FindingSeverity::Warning)
                    };
                    findings
                        .add(
                            check,
                            severity,
                            format!(
                                "change {percent}% does not follow from {previous} → {} ({right}%)",
                                figure.value
                            ),
                            Some(Span::new(figure.span.start, comparison.span.end)),
                        )
                        .computed = Some(right);
                }
            }
            continue;
        }
        let (Some(previous), Some(change)) = (comparison.previous, comparison.change) else {
            continue;
        };
        if previous.is_zero() || figure.approx != Approx::Exact {
            continue;
        }
        let current = figure.value;
        let sign_ok = match comparison.direction {
            Some(Direction::Up) => current >= previous,
            Some(Direction::Down) => current <= previous,
            _ => true,
        };
        let span = Some(Span::new(figure.span.start, comparison.span.end));
        match change {
            Change::Percent(stated) => {
                let right = ((current - previous).abs() * hundred / previous).round_dp(2);
                if (right - stated).abs() <= tolerance(stated) && sign_ok {
                    continue;
                }
                let wrong_base = if current.is_zero() {
                    None
                } else {
                    Some(((current - previous).abs() * hundred / current).round_dp(2))
                };
                if wrong_base.is_some_and(|wrong| (wrong - stated).abs() <= tolerance(stated)) {
                    findings
                        .add(
                            "yoy_wrong_base",
                            FindingSeverity::Error,
                            format!("change {stated}% divides by this year's {current} instead of the earlier {previous}: it is {right}%"),
                            span,
                        )
                        .computed = Some(right);
                } else {
                    findings
                        .add("yoy_mismatch", FindingSeverity::Warning, format!("change {stated}% does not follow from {previous} → {current} ({right}%)"), span)
                        .computed = Some(right);
                }
            }
            Change::Absolute(stated) | Change::Points(stated) => {
                let right = (current - previous).abs();
                if right != stated || !sign_ok {
                    findings.add("yoy_mismatch", FindingSeverity::Warning, format!("change {stated} does not follow from {previous} → {current} ({right})"), span).computed =
                        Some(right);
                }
            }
            Change::Times(_) => {}
        }
    }
}

fn check_consistency(document: &Document, figures: &[Figure], findings: &mut Findings<'_>) {
    // Keyed by subject, action and unit; figures in the same paragraph are usually an
    // enumeration with different qualifiers (市直部门 104, 县 27), so only paragraphs differ.
    let mut seen: HashMap<(&str, Option<&str>, &str), &Figure> = HashMap::new();
    let mut reported: HashSet<(&str, &str)> = HashSet::new();
    for figure in figures {
        if figure.subject.chars().count() < 4
            || figure.approx != Approx::Exact
            || figure.unit == "%"
            || figure.value_max.is_some()
            || figure.comparison.is_some()
        {
            continue;
        }
        // The last verb of a chain decides (梳理完善 and 完善 are the same action).
        let action = figure.action.as_deref().map(|action| {
            let start = action.char_indices().rev().nth(1).map_or(0, |(at, _)| at);
            action.get(start..).unwrap_or(action)
        });
        let key = (figure.subject.as_str(), action, figure.unit.as_str());
        match seen.get(&key) {
            Some(first)
                if first.value != figure.value
                    && !same_paragraph(document, first.span, figure.span)
                    && reported.insert((figure.subject.as_str(), figure.unit.as_str())) =>
            {
                findings
                    .add(
                        "inconsistent_values",
                        FindingSeverity::Warning,
                        format!(
                            "{} is given as {} and as {} {}",
                            figure.subject, first.value, figure.value, figure.unit
                        ),
                        Some(figure.span),
                    )
                    .computed = Some(first.value);
            }
            Some(_) => {}
            None => {
                seen.insert(key, figure);
            }
        }
    }
    let text = document.text();
    let mut flagged = 0usize;
    for line in document
        .lines
        .iter()
        .filter(|line| matches!(line.kind, LineKind::Body | LineKind::Heading))
    {
        let content = document.normalised.slice(line.span);
        let mut taken: Vec<Span> = Vec::new();
        for phrase in [
            "截止到目前",
            "截止目前",
            "截至目前",
            "今年以来",
            "到目前为止",
            "目前为止",
            "截至当前",
        ] {
            let mut from = 0usize;
            while let Some(found) = content.get(from..).and_then(|rest| rest.find(phrase)) {
                let start = line.span.start + from + found;
                let span = Span::new(start, start + phrase.len());
                let overlaps = taken
                    .iter()
                    .any(|other| other.start < span.end && span.start < other.end);
                taken.push(span);
                if flagged < 20 && !overlaps {
                    findings.add(
                        "undated_as_of",
                        FindingSeverity::Warning,
                        format!("\"{phrase}\" gives no as-of date"),
                        Some(span),
                    );
                }
                flagged += 1;
                from += found + phrase.len();
            }
        }
    }
    let _ = text;
}

fn same_paragraph(document: &Document, first: Span, second: Span) -> bool {
    line_of(document, first.start) == line_of(document, second.start)
}

fn check_sums(document: &Document, figures: &[Figure], findings: &mut Findings<'_>) {
    let text = document.text();
    let mut from = 0usize;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find("其中")) {
        let at = from + found;
        from = at + "其中".len();
        let mut window_end = (at + WINDOW).min(text.len());
        while window_end < text.len() && !text.is_char_boundary(window_end) {
            window_end += 1;
        }
        let clause_end = text
            .get(at..window_end)
            .and_then(|rest| rest.find(['。', '；', ';', '\n']))
            .map_or(window_end, |end| at + end);
        // Figures are in text order: find the ones after 其中 by binary search, not a scan.
        let first_after = figures.partition_point(|figure| figure.span.start <= at);
        let parts: Vec<&Figure> = figures
            .get(first_after..)
            .unwrap_or_default()
            .iter()
            .take(64)
            .take_while(|figure| figure.span.end <= clause_end)
            .filter(|figure| figure.unit != "%")
            .collect();
        let Some(first) = parts.first() else { continue };
        let unit = first.unit.as_str();
        let parts: Vec<&Figure> = parts
            .iter()
            .copied()
            .take_while(|figure| figure.unit == unit)
            .collect();
        if parts
            .iter()
            .any(|part| part.approx != Approx::Exact || part.value_max.is_some())
            || unit.is_empty()
        {
            continue;
        }
        let sum: Decimal = parts.iter().map(|part| part.value).sum();
        // Wholes: figures of the same unit before 其中 within the same paragraph.
        let line = line_of(document, at);
        let paragraph_start = document.lines.get(line).map_or(0, |line| line.span.start);
        let wholes: Vec<&Figure> = figures
            .get(first_after.saturating_sub(32)..first_after)
            .unwrap_or_default()
            .iter()
            .filter(|figure| {
                figure.span.end <= at
                    && figure.span.start >= paragraph_start
                    && figure.unit == unit
                    && figure.approx == Approx::Exact
            })
            .collect();
        let Some(nearest) = wholes.last() else {
            continue;
        };
        let span = Some(Span::new(
            nearest.span.start,
            parts.last().map_or(at, |part| part.span.end),
        ));
        if wholes.iter().any(|whole| whole.value == sum) && parts.len() >= 2 {
            findings
                .add(
                    "parts_sum_to_whole",
                    FindingSeverity::Info,
                    format!("the parts after 其中 add up to {sum} {unit}"),
                    span,
                )
                .computed = Some(sum);
        } else if wholes.iter().all(|whole| whole.value < sum) {
            findings
                .add(
                    "parts_exceed_whole",
                    FindingSeverity::Error,
                    format!(
                        "the parts after 其中 add up to {sum} {unit}, more than the whole {}",
                        nearest.value
                    ),
                    span,
                )
                .computed = Some(sum);
        }
    }
}

fn check_meta(
    document: &Document,
    figures: &[Figure],
    options: &CheckOptions<'_>,
    findings: &mut Findings<'_>,
) {
    let meta = &document.meta;
    let year = options.report_year.or(meta.year);
    let published = options.published_on.map(from_time).or(meta.published);
    if year.is_none() {
        findings.add(
            "year_missing",
            FindingSeverity::Error,
            "the report does not state the year it reports on".to_owned(),
            meta.title_span,
        );
    }
    if meta.jurisdiction.is_none() {
        findings.add(
            "jurisdiction_missing",
            FindingSeverity::Warning,
            "the report does not name its jurisdiction in the title".to_owned(),
            meta.title_span,
        );
    }
    if let (Some(year), Some(published)) = (year, published) {
        if published.year <= year {
            findings.add(
                "published_before_year_end",
                FindingSeverity::Error,
                format!("dated {published}, before the year {year} it reports on had ended"),
                meta.title_span,
            );
        } else if published.year > year + 1 || (published.year == year + 1 && published.month > 3) {
            findings.add(
                "published_late",
                FindingSeverity::Warning,
                format!(
                    "dated {published}, after the 1 April deadline of {}",
                    year + 1
                ),
                meta.title_span,
            );
        }
    }
    if figures.len() < 5 {
        findings
            .add(
                "few_figures",
                FindingSeverity::Warning,
                format!("only {} figures: few concrete results", figures.len()),
                None,
            )
            .computed = Some(Decimal::from(figures.len()));
    }
}

/// Sentences with digits masked, so that a sentence repeated with new numbers still counts.
fn masked_sentences(document: &Document) -> Vec<String> {
    let mut sentences = Vec::new();
    for line in document.body_lines() {
        for sentence in document
            .normalised
            .slice(line.span)
            .split(['。', '！', '？', '；'])
        {
            let masked: String = sentence
                .chars()
                .map(|ch| if ch.is_ascii_digit() { '0' } else { ch })
                .filter(|ch| !ch.is_whitespace())
                .collect();
            if masked.chars().count() >= 12 {
                sentences.push(masked);
            }
        }
    }
    sentences
}

fn check_repeated(document: &Document, previous: &Document, findings: &mut Findings<'_>) {
    let earlier: HashSet<String> = masked_sentences(previous).into_iter().collect();
    let current = masked_sentences(document);
    let total: usize = current
        .iter()
        .map(|sentence| sentence.chars().count())
        .sum();
    if total == 0 {
        return;
    }
    let repeated: usize = current
        .iter()
        .filter(|sentence| earlier.contains(*sentence))
        .map(|sentence| sentence.chars().count())
        .sum();
    let share = (Decimal::from(repeated) * Decimal::from(100) / Decimal::from(total)).round_dp(1);
    let severity = if share >= Decimal::from(30) {
        FindingSeverity::Warning
    } else {
        FindingSeverity::Info
    };
    findings
        .add(
            "repeated_text",
            severity,
            format!("{share}% of the text repeats the previous report"),
            None,
        )
        .computed = Some(share);
}

fn from_time(date: time::Date) -> Date {
    Date {
        year: date.year(),
        month: u8::from(date.month()),
        day: date.day(),
    }
}

fn to_time(date: Date) -> Option<time::Date> {
    let month = Month::try_from(date.month).ok()?;
    time::Date::from_calendar_date(date.year, month, date.day).ok()
}

/// Fewer distinct duties than this in part 3: `first_responsible_duties_thin`.
const MIN_DUTIES: usize = 3;

fn check_duties(document: &Document, findings: &mut Findings<'_>) {
    let sections: Vec<&Section> = document
        .part_sections(StatutoryPart::FirstResponsiblePerson)
        .collect();
    let Some(first) = sections.first() else {
        return;
    };
    let body: String = sections
        .iter()
        .map(|section| {
            document
                .normalised
                .slice(Span::new(section.heading_span.end, section.span.end))
        })
        .collect::<Vec<&str>>()
        .join("\n");
    let found = duties_in(&body);
    let names: Vec<String> = found
        .iter()
        .map(|duty| format!("{} ({})", duty.id, duty.title))
        .collect();
    let count = Decimal::from(found.len());
    let finding = findings.add(
        "first_responsible_duties",
        FindingSeverity::Info,
        if names.is_empty() {
            "the first-responsible-person part names none of the duties of the 2016 规定".to_owned()
        } else {
            format!(
                "the first-responsible-person part names {} duties: {}",
                found.len(),
                names.join(", ")
            )
        },
        Some(first.heading_span),
    );
    finding.part = Some(StatutoryPart::FirstResponsiblePerson);
    finding.computed = Some(count);
    if found.len() < MIN_DUTIES {
        let finding = findings.add(
            "first_responsible_duties_thin",
            FindingSeverity::Warning,
            format!(
                "the first-responsible-person part names {} distinct duties of the 2016 规定 (at least {MIN_DUTIES} expected: deployment, meetings, law study, lawful decisions, court appearance, 述法 …)",
                found.len()
            ),
            Some(first.heading_span),
        );
        finding.part = Some(StatutoryPart::FirstResponsiblePerson);
        finding.computed = Some(count);
    }
}

/// Fewer sections than this in the measures part: the report is organised otherwise, and
/// `outline_areas_missing` stays quiet.
const MIN_OUTLINE_SECTIONS: usize = 3;

/// Fewer areas of the plan covered than this: the report follows another plan, and
/// `outline_areas_missing` stays quiet too.
const MIN_OUTLINE_COVERED: usize = 2;

/// The sections of the measures part that stand for areas of work: the subsections of a
/// measures part with a title of its own, or topical top-level sections taken as measures.
fn measure_sections(document: &Document) -> Vec<&Section> {
    let mut sections = Vec::new();
    for top in &document.sections {
        match top.part {
            Some(part) if part.part == StatutoryPart::Measures && part.confidence >= 0.5 => {
                sections.extend(top.children.iter().filter(|child| !child.inline));
            }
            Some(part) if part.part == StatutoryPart::Measures => sections.push(top),
            _ => {}
        }
    }
    sections
}

fn check_outline(document: &Document, report_year: Option<i32>, findings: &mut Findings<'_>) {
    let Some(year) = report_year.or(document.meta.year) else {
        return;
    };
    let areas = outline_areas(year);
    let sections = measure_sections(document);
    if areas.is_empty() || sections.len() < MIN_OUTLINE_SECTIONS {
        return;
    }
    let covered: HashSet<&str> = sections
        .iter()
        .filter_map(|section| outline_area_for(year, &section.title))
        .map(|area| area.id)
        .collect();
    // A report that maps fewer than two sections onto the plan is organised otherwise.
    let core_covered = areas
        .iter()
        .filter(|area| area.core && covered.contains(area.id))
        .count();
    if core_covered < MIN_OUTLINE_COVERED {
        return;
    }
    let missing: Vec<String> = areas
        .iter()
        .filter(|area| area.core && !covered.contains(area.id))
        .map(|area| format!("{} ({})", area.id, area.short))
        .collect();
    if missing.is_empty() {
        return;
    }
    let outline = if year >= 2021 {
        "2021–2025"
    } else {
        "2015–2020"
    };
    let span = sections.first().map(|section| section.heading_span);
    let finding = findings.add(
        "outline_areas_missing",
        FindingSeverity::Info,
        format!(
            "no section of the measures part covers {} of the {outline} 纲要: {}",
            if missing.len() == 1 {
                "this area"
            } else {
                "these areas"
            },
            missing.join(", ")
        ),
        span,
    );
    finding.part = Some(StatutoryPart::Measures);
    finding.computed = Some(Decimal::from(missing.len()));
}

/// Heading spans of numbered (not inline) sections, at every depth.
fn heading_spans(sections: &[Section], out: &mut Vec<Span>, depth: usize) {
    if depth > 12 {
        return;
    }
    for section in sections.iter().filter(|section| !section.inline) {
        out.push(section.heading_span);
        heading_spans(&section.children, out, depth + 1);
    }
}

/// The value of a figure as staff wrote it: `2.5万件` → 25000, `98.64%` → 98.64.
fn written_value(text: &str) -> Option<Decimal> {
    let compact: String = text.chars().filter(|ch| !ch.is_whitespace()).collect();
    let end = compact
        .char_indices()
        .find(|(_, ch)| !(ch.is_ascii_digit() || matches!(ch, '.' | ',' | '，')))
        .map_or(compact.len(), |(at, _)| at);
    let value = crate::numerals::parse_arabic(compact.get(..end)?)?;
    let rest = compact.get(end..).unwrap_or_default();
    let scale = ["万亿", "千万", "百万", "十万", "亿", "万", "千"]
        .iter()
        .find(|word| rest.starts_with(*word))
        .and_then(|word| crate::numerals::magnitude(word))
        .unwrap_or(Decimal::ONE);
    value.checked_mul(scale)
}

fn compact(text: &str) -> String {
    text.chars().filter(|ch| !ch.is_whitespace()).collect()
}

struct Records<'a> {
    known: &'a [KnownFigure],
    manual_texts: Vec<String>,
    manual_values: Vec<Decimal>,
}

impl Records<'_> {
    fn accepts(&self, value: Decimal) -> bool {
        self.known.iter().any(|known| known.value == value) || self.manual_values.contains(&value)
    }

    fn manual_text(&self, text: &str) -> bool {
        let text = compact(text);
        self.manual_texts.contains(&text)
    }

    /// A stated change follows from the figure and its earlier value (stated, or any known
    /// figure): 增长20% after 120件 with 100 in the records.
    fn change_follows(&self, current: Decimal, previous: Option<Decimal>, change: Change) -> bool {
        let hundred = Decimal::from(100);
        let follows = |earlier: Decimal| match change {
            Change::Percent(stated) => {
                !earlier.is_zero()
                    && (((current - earlier).abs() * hundred / earlier).round_dp(2) - stated).abs()
                        <= tolerance(stated)
            }
            Change::Absolute(stated) | Change::Points(stated) => {
                (current - earlier).abs() == stated
            }
            Change::Times(stated) => {
                !earlier.is_zero() && ((current / earlier) - stated).abs() <= tolerance(stated)
            }
        };
        let stated = match change {
            Change::Percent(value)
            | Change::Absolute(value)
            | Change::Points(value)
            | Change::Times(value) => value,
        };
        self.accepts(stated)
            || previous.is_some_and(follows)
            || self.known.iter().any(|known| follows(known.value))
    }
}

fn check_records(
    document: &Document,
    figures: &[Figure],
    known: &[KnownFigure],
    manual: &[String],
    findings: &mut Findings<'_>,
) {
    let records = Records {
        known,
        manual_texts: manual.iter().map(|text| compact(text)).collect(),
        manual_values: manual
            .iter()
            .filter_map(|text| written_value(text))
            .collect(),
    };
    let mut headings = Vec::new();
    heading_spans(&document.sections, &mut headings, 0);
    let mut flagged = 0usize;
    for figure in figures {
        if headings
            .iter()
            .any(|heading| heading.start <= figure.span.start && figure.span.start < heading.end)
        {
            continue;
        }
        if let Some(id) = figure.indicator {
            let same: Vec<&KnownFigure> = known.iter().filter(|k| k.indicator == id).collect();
            // The id comes from keywords ("可网上办理的政务服务事项" contains "政务服务事项"), so a
            // value that equals another known figure is that figure, named more narrowly.
            if let Some(first) = same.first()
                && !same.iter().any(|k| k.value == figure.value)
                && !known.iter().any(|k| k.value == figure.value)
            {
                findings
                    .add(
                        "figure_disagrees_with_records",
                        FindingSeverity::Error,
                        format!(
                            "{} ({id}) is {} {} in the text but {} in the records ({})",
                            figure.text, figure.value, figure.unit, first.value, first.label
                        ),
                        Some(figure.span),
                    )
                    .computed = Some(first.value);
                continue;
            }
        }
        if flagged >= 200 {
            continue;
        }
        let manual_text = records.manual_text(&figure.text);
        let mut unknown: Vec<(Decimal, Span)> = Vec::new();
        if !manual_text {
            unknown.extend(
                std::iter::once(figure.value)
                    .chain(figure.value_max)
                    .filter(|value| !records.accepts(*value))
                    .map(|value| (value, figure.span)),
            );
        }
        if let Some(comparison) = &figure.comparison {
            if let Some(previous) = comparison.previous
                && !records.accepts(previous)
            {
                unknown.push((previous, comparison.span));
            }
            if let Some(change) = comparison.change
                && !records.change_follows(figure.value, comparison.previous, change)
            {
                let (Change::Percent(value)
                | Change::Absolute(value)
                | Change::Points(value)
                | Change::Times(value)) = change;
                unknown.push((value, comparison.span));
            }
        }
        for (value, span) in unknown {
            flagged += 1;
            findings
                .add(
                    "figure_not_in_records",
                    FindingSeverity::Warning,
                    format!(
                        "{value} in \"{}\" matches no figure of the records and is not marked manual",
                        document.normalised.slice(span)
                    ),
                    Some(span),
                )
                .computed = Some(value);
        }
    }
}

fn check_deadlines(document: &Document, options: &CheckOptions<'_>, findings: &mut Findings<'_>) {
    if options.report_year.is_none() && options.as_of.is_none() && options.published_on.is_none() {
        return;
    }
    let Some(year) = options.report_year.or(document.meta.year) else {
        return;
    };
    let Some(next) = year.checked_add(1) else {
        return;
    };
    let (Ok(year_end), Ok(warn_from), Ok(deadline)) = (
        time::Date::from_calendar_date(next, Month::January, 1),
        time::Date::from_calendar_date(next, Month::March, 1),
        time::Date::from_calendar_date(next, Month::March, 31),
    ) else {
        return;
    };
    findings.add(
        "submission_deadline",
        FindingSeverity::Info,
        format!(
            "the report on {year} goes to the Party committee and government above (a government's also to the same-level people's congress standing committee) in the first quarter, by {deadline}, and is published before 1 April, by {deadline} (a fixed date: no shift for holidays); some provinces set earlier dates for departments"
        ),
        None,
    );
    let published = options
        .published_on
        .or_else(|| document.meta.published.and_then(to_time));
    // Published: `published_before_year_end` and `published_late` (check_meta) say the rest.
    let Some(as_of) = options.as_of.or(published) else {
        return;
    };
    if published.is_some() {
        return;
    }
    if as_of < year_end {
        findings.add(
            "finalised_before_year_end",
            FindingSeverity::Error,
            format!(
                "on {as_of} the year {year} has not ended: the report cannot be finalised or published before {year_end}"
            ),
            None,
        );
    } else if as_of > deadline {
        let days = (as_of - deadline).whole_days();
        findings
            .add(
                "publication_overdue",
                FindingSeverity::Error,
                format!(
                    "not published on {as_of}: publication was due by {deadline}, {days} days ago"
                ),
                None,
            )
            .computed = Some(Decimal::from(days));
    } else if as_of >= warn_from {
        let days = (deadline - as_of).whole_days();
        findings
            .add(
                "publication_due_soon",
                FindingSeverity::Warning,
                format!(
                    "not published on {as_of}: publication is due by {deadline}, {days} days left"
                ),
                None,
            )
            .computed = Some(Decimal::from(days));
    }
}
