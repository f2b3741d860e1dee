//! The annual report: drafted from the indicators, edited by staff, checked, published.
//!
//! Drafting writes one paragraph of figure sentences per outline area into part one (主要举措和
//! 成效), phrased as published reports phrase them ("全年收到行政复议申请83件，比上年下降9.78%；
//! 其中……"); staff write the narrative. Redrafting with newer figures replaces only drafted
//! paragraphs and keeps everything staff wrote. The check is the reader's lint, given the
//! computed figures, the manual figures staff declared, and the deadlines.

use fazhi_reader::{CheckOptions, KnownFigure, lint::FindingSeverity};
use fazhi_report::model::{Origin, Paragraph, Part, PartKind, Report, Section};
use rust_decimal::Decimal;

use crate::indicators::compute::Computation;
use crate::indicators::present::{compare_phrase, display_value};
use crate::indicators::{Catalogue, Source};

/// The title a government's report carries.
pub fn title(jurisdiction: &str, year: i32) -> String {
    format!("{jurisdiction}人民政府关于{year}年度法治政府建设情况的报告")
}

/// The figure sentence of one area: "全年收到行政复议申请83件，比上年下降9.78%；……。", or
/// `None` when no indicator of the area has a value. Parts follow their whole with "其中".
pub fn area_sentence(
    catalogue: &Catalogue,
    area: &str,
    current: &Computation,
    previous: &Computation,
) -> Option<(String, Vec<String>)> {
    let mut clauses: Vec<String> = Vec::new();
    let mut used = Vec::new();
    let mut last_whole: Option<&str> = None;
    for indicator in catalogue.indicators.iter().filter(|i| i.area == area) {
        let Some(value) = current.value(&indicator.id) else {
            continue;
        };
        let before = previous.value(&indicator.id);
        // Nothing happened in either year: a report does not list zeros.
        if value.is_zero() && before.is_none_or(|b| b.is_zero()) {
            continue;
        }
        let written = display_value(indicator, Some(value));
        let mut clause = if indicator.source == Source::Ratio {
            format!("{}为{written}", indicator.label)
        } else if indicator
            .part_of
            .as_deref()
            .is_some_and(|whole| Some(whole) == last_whole)
        {
            format!("其中{}{written}", indicator.label)
        } else {
            format!("{}{written}", indicator.label)
        };
        // A rise from nothing (the system was not in use, or nothing happened) is stated by the
        // figure itself; "比上年增加…（上年为0）" adds nothing a reader wants.
        let from_nothing = before.is_none_or(|b| b.is_zero());
        if let Some(change) =
            compare_phrase(indicator, Some(value), before).filter(|_| !from_nothing)
        {
            clause.push('，');
            clause.push_str(&change);
        }
        if indicator.part_of.is_none() && indicator.source != Source::Ratio {
            last_whole = Some(indicator.id.as_str());
        }
        clauses.push(clause);
        used.push(indicator.id.clone());
    }
    if clauses.is_empty() {
        return None;
    }
    Some((format!("全年{}。", clauses.join("；")), used))
}

/// A fresh draft for `year`: the preamble, one section per area with figures, and the other
/// four parts empty for staff to write.
pub fn draft(
    catalogue: &Catalogue,
    jurisdiction: &str,
    year: i32,
    current: &Computation,
    previous: &Computation,
) -> Report {
    let mut report = Report::skeleton(
        title(jurisdiction, year),
        format!("{jurisdiction}人民政府"),
        year,
    );
    report.preamble.push(Paragraph {
        text: format!(
            "{year}年，{jurisdiction}人民政府坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，\
             对照《法治政府建设实施纲要（2021－2025年）》，扎实推进法治政府建设。现将有关情况报告如下。"
        ),
        origin: Origin::Drafted,
        indicators: Vec::new(),
    });
    if let Some(measures) = report
        .parts
        .iter_mut()
        .find(|p| p.kind == PartKind::Measures)
    {
        for area in &catalogue.areas {
            if let Some((text, indicators)) = area_sentence(catalogue, &area.id, current, previous)
            {
                measures.sections.push(Section {
                    key: area.id.clone(),
                    heading: area.title.clone(),
                    paragraphs: vec![Paragraph {
                        text,
                        origin: Origin::Drafted,
                        indicators,
                    }],
                    manual_figures: Vec::new(),
                });
            }
        }
    }
    report
}

/// `fresh` (a new draft) with everything staff wrote in `old` kept: staff paragraphs and manual
/// figures of each section (matched by key), the other parts, title, recipients and date.
pub fn redraft(old: &Report, fresh: Report) -> Report {
    let mut merged = fresh;
    merged.title = old.title.clone();
    merged.recipients = old.recipients.clone();
    merged.date = old.date;
    merged.preamble = old.preamble.clone();
    for part in &mut merged.parts {
        let Some(old_part) = old.parts.iter().find(|p| p.kind == part.kind) else {
            continue;
        };
        if part.kind != PartKind::Measures {
            *part = old_part.clone();
            continue;
        }
        part.paragraphs = old_part.paragraphs.clone();
        for old_section in &old_part.sections {
            let staff: Vec<Paragraph> = old_section
                .paragraphs
                .iter()
                .filter(|p| p.origin == Origin::Staff)
                .cloned()
                .collect();
            match part.sections.iter_mut().find(|s| s.key == old_section.key) {
                Some(section) => {
                    section.heading = old_section.heading.clone();
                    section.paragraphs.extend(staff);
                    section.manual_figures = old_section.manual_figures.clone();
                }
                None if !staff.is_empty() || !old_section.manual_figures.is_empty() => {
                    part.sections.push(Section {
                        paragraphs: staff,
                        ..old_section.clone()
                    });
                }
                None => {}
            }
        }
    }
    merged
}

/// The figures the lint compares the text with: this year's values (counts, rates, 元) and last
/// year's (reports state both).
pub fn known_figures(
    catalogue: &Catalogue,
    current: &Computation,
    previous: &Computation,
) -> Vec<KnownFigure> {
    let mut known = Vec::new();
    for indicator in &catalogue.indicators {
        for (computation, suffix) in [(current, ""), (previous, "（上年）")] {
            if let Some(value) = computation.value(&indicator.id) {
                known.push(KnownFigure {
                    indicator: indicator.id.clone(),
                    value,
                    label: format!("{}{suffix}", indicator.label),
                });
                if indicator.unit == "元" {
                    // Written in 万元 with two decimals: accept the rounded value too.
                    let wan = (value / Decimal::from(10_000)).round_dp_with_strategy(
                        2,
                        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                    ) * Decimal::from(10_000);
                    known.push(KnownFigure {
                        indicator: indicator.id.clone(),
                        value: wan,
                        label: format!("{}{suffix}（万元）", indicator.label),
                    });
                }
            }
        }
    }
    known
}

/// One finding for the report page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Stable check id.
    pub check: &'static str,
    /// How much it matters.
    pub severity: FindingSeverity,
    /// In Chinese.
    pub message: String,
}

impl Check {
    /// Whether it stops publication: an error of content, not of timing (a late report must
    /// still be publishable).
    pub fn blocks_publication(&self) -> bool {
        self.severity == FindingSeverity::Error
            && !matches!(self.check, "publication_overdue" | "published_late")
    }
}

/// Runs the lint on `report` against the computed figures and the deadlines on `today`.
pub fn check(
    report: &Report,
    catalogue: &Catalogue,
    current: &Computation,
    previous: &Computation,
    previous_report: Option<&Report>,
    today: time::Date,
) -> Vec<Check> {
    let known = known_figures(catalogue, current, previous);
    let manual: Vec<String> = report
        .parts
        .iter()
        .flat_map(|p| &p.sections)
        .flat_map(|s| &s.manual_figures)
        .map(|m| m.value.clone())
        .collect();
    let previous_document = previous_report
        .and_then(|r| fazhi_reader::lint_text(&r.plain_text(), &CheckOptions::default()).ok())
        .map(|r| r.document);
    let options = CheckOptions {
        previous: previous_document.as_ref(),
        known_figures: Some(&known),
        manual_figures: &manual,
        report_year: Some(report.year),
        as_of: Some(today),
        published_on: None,
    };
    let mut checks = match fazhi_reader::lint_text(&report.plain_text(), &options) {
        Ok(read) => read
            .findings
            .iter()
            .map(|finding| Check {
                check: finding.check,
                severity: finding.severity,
                message: fazhi_reader::zh::finding(finding),
            })
            .collect(),
        Err(_) => vec![Check {
            check: "not_a_report",
            severity: FindingSeverity::Error,
            message: "报告内容过少，无法识别为年度报告".to_owned(),
        }],
    };
    // The published text and its digest must be the same text the public reads: a report that
    // the scrubber would change carries personal data, and is not published until it is removed.
    if crate::scrub::report(report).plain_text() != report.plain_text() {
        checks.push(Check {
            check: "personal_data",
            severity: FindingSeverity::Error,
            message: "报告中含有身份证号、手机或固定电话号码、银行卡号等个人信息，公开前须删除（本年度报告将向社会公开）。"
                .to_owned(),
        });
    }
    checks
}

/// The parts of `report` in statutory order, each present once (a stored report always is; this
/// repairs a hand-made one).
pub fn normalise_parts(report: &mut Report) {
    let mut parts = Vec::with_capacity(5);
    for kind in PartKind::ALL {
        parts.push(
            report
                .parts
                .iter()
                .find(|p| p.kind == kind)
                .cloned()
                .unwrap_or_else(|| Part {
                    kind,
                    heading: kind.heading().to_owned(),
                    paragraphs: Vec::new(),
                    sections: Vec::new(),
                }),
        );
    }
    report.parts = parts;
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::indicators::compute::Figure;

    fn catalogue() -> Catalogue {
        Catalogue::embedded(&crate::procedure::load_embedded().expect("procedures"))
            .expect("catalogue")
    }

    fn computation(year: i32, values: &[(&str, i64)]) -> Computation {
        let catalogue = catalogue();
        Computation {
            year,
            extent: crate::indicators::Extent::EVERYTHING,
            catalogue_version: catalogue.version.clone(),
            log_size: 10,
            log_sizes: BTreeMap::new(),
            computed_at: "t".into(),
            figures: catalogue
                .indicators
                .iter()
                .map(|i| Figure {
                    id: i.id.clone(),
                    value: values
                        .iter()
                        .find(|(id, _)| *id == i.id)
                        .map(|(_, v)| Decimal::from(*v)),
                    records: 0,
                })
                .collect(),
            by_branch: BTreeMap::new(),
            by_department: BTreeMap::new(),
            submitted_departments: Vec::new(),
        }
    }

    #[test]
    fn an_area_reads_as_reports_read() {
        let catalogue = catalogue();
        let now = computation(
            2025,
            &[
                ("reconsideration.cases_received", 83),
                ("reconsideration.cases_concluded", 80),
                ("reconsideration.corrected", 10),
            ],
        );
        let mut before = computation(2024, &[("reconsideration.cases_received", 92)]);
        before.figures.iter_mut().for_each(|f| {
            if f.id == "reconsideration.cases_concluded" {
                f.value = Some(Decimal::from(80));
            }
        });
        let mut now = now;
        now.figures.iter_mut().for_each(|f| {
            if f.id == "reconsideration.correction_rate" {
                f.value = Some(Decimal::new(1250, 2));
            }
        });
        let (text, used) = area_sentence(&catalogue, "disputes", &now, &before).expect("sentence");
        assert!(
            text.starts_with("全年收到行政复议申请83件，比上年下降9.78%；审结行政复议案件80件，与上年持平；其中直接纠错的行政复议案件10件；行政复议直接纠错率为12.5%"),
            "{text}"
        );
        assert!(text.ends_with('。'));
        assert!(used.contains(&"reconsideration.corrected".to_owned()));
        assert!(area_sentence(&catalogue, "emergencies", &now, &before).is_none());
    }

    #[test]
    fn redrafting_keeps_what_staff_wrote_and_replaces_drafted_figures() {
        let catalogue = catalogue();
        let before = computation(2024, &[]);
        let first = draft(
            &catalogue,
            "示范市滨河区",
            2025,
            &computation(2025, &[("litigation.cases", 5)]),
            &before,
        );
        let mut edited = first.clone();
        edited.parts[0].sections[0]
            .paragraphs
            .push(Paragraph::staff("我们坚持负责人出庭应诉。"));
        edited.parts[1]
            .paragraphs
            .push(Paragraph::staff("一是……原因是……"));
        edited.title = "改过的标题".into();
        let fresh = draft(
            &catalogue,
            "示范市滨河区",
            2025,
            &computation(2025, &[("litigation.cases", 7)]),
            &before,
        );
        let merged = redraft(&edited, fresh);
        assert_eq!(merged.title, "改过的标题");
        let section = &merged.parts[0].sections[0];
        assert!(
            section.paragraphs[0].text.contains("新收行政应诉案件7件"),
            "{:?}",
            section.paragraphs
        );
        assert_eq!(section.paragraphs[1].text, "我们坚持负责人出庭应诉。");
        assert_eq!(merged.parts[1].paragraphs.len(), 1);
        assert_eq!(merged.parts.len(), 5);
    }
}

/// Service functions over the store: computing the two years, reading and adding versions. A
/// report is a jurisdiction's: it is drafted from the jurisdiction's
/// [`natural_extent`](crate::indicators::compute::natural_extent) (a city's from its 全市
/// figures, a jurisdiction without any below from its own), and stored, versioned and published
/// as the jurisdiction's, under its name.
pub mod service {
    use fazhi_report::model::Report;

    use crate::indicators::compute::{Computation, compute, natural_extent};
    use crate::indicators::{Catalogue, Extent};
    use crate::store::reports::{NewReportVersion, ReportVersionRow};
    use crate::store::{Store, StoreError};

    /// `year` and the year before over `extent`, computed now.
    pub async fn computations(
        store: &Store,
        catalogue: &Catalogue,
        extent: Extent,
        year: i32,
        now: &str,
    ) -> Result<(Computation, Computation), StoreError> {
        Ok((
            compute(store, catalogue, extent, year, now).await?,
            compute(store, catalogue, extent, year - 1, now).await?,
        ))
    }

    /// A stored version with its model and computation read back.
    #[derive(Debug, Clone)]
    pub struct Version {
        /// The row.
        pub row: ReportVersionRow,
        /// The report.
        pub report: Report,
        /// The figures it was drafted from.
        pub computation: Computation,
    }

    fn decode(row: ReportVersionRow) -> Result<Version, StoreError> {
        let report = serde_json::from_str(&row.body)
            .map_err(|e| StoreError::Corrupt(format!("report version {}: {e}", row.id)))?;
        let computation = serde_json::from_str(&row.computation)
            .map_err(|e| StoreError::Corrupt(format!("report computation {}: {e}", row.id)))?;
        Ok(Version {
            row,
            report,
            computation,
        })
    }

    /// Every version of jurisdiction `jurisdiction_id`'s report for `year`, newest first.
    pub async fn versions(
        store: &Store,
        jurisdiction_id: i64,
        year: i32,
    ) -> Result<Vec<Version>, StoreError> {
        store
            .report_versions(jurisdiction_id, year)
            .await?
            .into_iter()
            .map(decode)
            .collect()
    }

    /// The published versions of jurisdiction `jurisdiction_id`'s report for `year`, newest
    /// first.
    pub async fn published(
        store: &Store,
        jurisdiction_id: i64,
        year: i32,
    ) -> Result<Vec<Version>, StoreError> {
        store
            .published_report_versions(jurisdiction_id, year)
            .await?
            .into_iter()
            .map(decode)
            .collect()
    }

    /// Stores `report` as a new version of the report of the jurisdiction its figures were
    /// computed for (`computation.extent`); `publish` also fixes it at the size of that
    /// jurisdiction's log its figures were computed at (with that tree's root).
    #[allow(clippy::too_many_arguments)]
    pub async fn save(
        store: &Store,
        report: &Report,
        computation: &Computation,
        note: &str,
        user_id: Option<i64>,
        at: &str,
        publish: bool,
    ) -> Result<i64, StoreError> {
        let jurisdiction_id = computation.extent.jurisdiction_id;
        let body = serde_json::to_string(report)
            .map_err(|e| StoreError::Corrupt(format!("report: {e}")))?;
        let computation_json = serde_json::to_string(computation)
            .map_err(|e| StoreError::Corrupt(format!("computation: {e}")))?;
        let checkpoint = if publish {
            let root = store
                .ledger_root(jurisdiction_id, computation.log_size)
                .await?;
            Some((computation.log_size, root.to_hex()))
        } else {
            None
        };
        store
            .insert_report_version(&NewReportVersion {
                jurisdiction_id,
                year: report.year,
                body: &body,
                computation: &computation_json,
                note,
                user_id,
                at,
                publish: checkpoint,
            })
            .await
    }

    /// Drafts (or redrafts, keeping staff text) jurisdiction `jurisdiction_id`'s report for
    /// `year` from its figures as of now, and stores it as a new version.
    pub async fn draft(
        store: &Store,
        catalogue: &Catalogue,
        jurisdiction_id: i64,
        year: i32,
        user_id: Option<i64>,
        now: &str,
    ) -> Result<i64, StoreError> {
        let jurisdiction = store.jurisdiction_by_id(jurisdiction_id).await?;
        let extent = natural_extent(store, jurisdiction_id).await?;
        let (current, previous) = computations(store, catalogue, extent, year, now).await?;
        let fresh = super::draft(catalogue, &jurisdiction.name, year, &current, &previous);
        let (report, note) = match versions(store, jurisdiction_id, year)
            .await?
            .into_iter()
            .next()
        {
            Some(latest) => (
                super::redraft(&latest.report, fresh),
                "按最新数据重新起草（保留人工撰写内容）",
            ),
            None => (fresh, "由统计数据起草"),
        };
        save(store, &report, &current, note, user_id, now, false).await
    }
}
