//! The lint on small reports written to trip one check each (the samples and our own reports
//! cover the rest), and the repeated-text share against a previous report.

use fazhi_reader::{
    CheckOptions, FindingSeverity, KnownFigure, LintOptions, Report, lint_text, outline_areas,
    read, read_document, read_with,
};
use rust_decimal::Decimal;
use time::macros::date;

const HEAD: &str = "某县人民政府2021年度法治政府建设情况报告\n发布时间：2022-03-01\n";

fn report(body: &str) -> Report {
    read(format!("{HEAD}{body}").as_bytes(), None).expect("report")
}

fn finding(report: &Report, check: &str) -> Option<(FindingSeverity, Option<Decimal>)> {
    report
        .findings
        .iter()
        .find(|f| f.check == check)
        .map(|f| (f.severity, f.computed))
}

#[test]
fn parts_that_exceed_the_whole_are_an_error() {
    let report =
        report("一、主要举措和成效\n全年受理案件120件，其中行政许可80件，行政处罚50件。\n");
    assert_eq!(
        finding(&report, "parts_exceed_whole"),
        Some((FindingSeverity::Error, Some(Decimal::from(130))))
    );
}

#[test]
fn a_rate_over_100_is_an_error() {
    let report = report("一、主要举措和成效\n群众满意率达到120%。\n");
    assert_eq!(
        finding(&report, "rate_out_of_range").map(|(s, _)| s),
        Some(FindingSeverity::Error)
    );
}

#[test]
fn a_change_that_does_not_follow_is_a_warning() {
    let report = report("一、主要举措和成效\n受理行政复议申请120件，比上年的100件增长30%。\n");
    assert_eq!(
        finding(&report, "yoy_mismatch"),
        Some((FindingSeverity::Warning, Some(Decimal::from(20))))
    );
    let right = report_ok("受理行政复议申请120件，比上年的100件增长20%。");
    assert_eq!(finding(&right, "yoy_mismatch"), None);
    assert_eq!(finding(&right, "yoy_wrong_base"), None);
}

fn report_ok(sentence: &str) -> Report {
    report(&format!("一、主要举措和成效\n{sentence}\n"))
}

#[test]
fn all_five_parts_in_order_give_no_part_findings() {
    let body = "一、主要举措和成效\n受理案件3件。\n二、存在的不足和原因\n基层力量不足，主要原因是编制有限。\n\
        三、党政主要负责人履行推进法治建设第一责任人职责情况\n主要负责人带头学法。\n四、下一年度工作安排\n继续推进。\n五、其他需要报告的情况\n无。\n";
    let report = report(body);
    let checks: Vec<&str> = report.findings.iter().map(|f| f.check).collect();
    for check in [
        "part_missing",
        "parts_out_of_order",
        "shortcomings_without_causes",
        "first_responsible_person_not_a_part",
    ] {
        assert!(!checks.contains(&check), "{check}: {checks:?}");
    }
    assert!(
        checks.contains(&"shortcomings_thin") && checks.contains(&"next_year_plan_thin"),
        "{checks:?}"
    );
}

#[test]
fn a_late_publication_is_a_warning() {
    let late = read("某县人民政府2021年度法治政府建设情况报告\n发布时间：2022-05-10\n一、主要举措和成效\n受理案件3件。\n".as_bytes(), None).unwrap();
    assert_eq!(
        finding(&late, "published_late").map(|(s, _)| s),
        Some(FindingSeverity::Warning)
    );
}

#[test]
fn repeated_text_is_measured_against_the_previous_report() {
    let previous_text = format!(
        "{HEAD}一、主要举措和成效\n坚持以习近平法治思想为指导，全面推进依法行政工作取得新进展。\n全年受理行政复议案件80件，办结75件。\n"
    );
    let current_text = format!(
        "{HEAD}一、主要举措和成效\n坚持以习近平法治思想为指导，全面推进依法行政工作取得新进展。\n全年受理行政复议案件95件，办结90件。\n今年新建立了行政执法协调监督工作体系，覆盖全部乡镇。\n"
    );
    let (previous, _, _) = read_document(previous_text.as_bytes(), None).unwrap();
    let current = read_with(
        current_text.as_bytes(),
        None,
        &LintOptions {
            previous: Some(&previous),
        },
    )
    .unwrap();
    let (severity, share) = finding(&current, "repeated_text").expect("repeated_text");
    // Two of three sentences repeat (digits masked); the new one does not.
    assert_eq!(severity, FindingSeverity::Warning);
    assert!(
        share.is_some_and(|share| share > Decimal::from(50) && share < Decimal::from(90)),
        "{share:?}"
    );
}

fn checks_of(report: &Report, check: &str) -> Vec<(FindingSeverity, Option<Decimal>, String)> {
    report
        .findings
        .iter()
        .filter(|f| f.check == check)
        .map(|f| (f.severity, f.computed, f.quote.clone().unwrap_or_default()))
        .collect()
}

fn known(indicator: &str, value: Decimal) -> KnownFigure {
    KnownFigure {
        indicator: indicator.to_owned(),
        value,
        label: indicator.to_owned(),
    }
}

const RECORDS_DRAFT: &str = "某县人民政府2021年度法治政府建设情况报告\n一、主要举措和成效\n\
    （一）健全行政执法工作体系\n根据《某某条例》第十条，2021年3月15日起全年受理行政复议申请120件，比上年的100件增长20%。\
    调解矛盾纠纷2.5万件。负责人出庭应诉率达到98.64%。举办法治讲座15场。\n";

fn records() -> Vec<KnownFigure> {
    vec![
        known("reconsideration.cases_received", Decimal::from(120)),
        known(
            "reconsideration.cases_received_previous",
            Decimal::from(100),
        ),
        known("mediation.cases", Decimal::from(25_000)),
        known("litigation.head_appearance_rate", Decimal::new(9864, 2)),
    ]
}

#[test]
fn figures_that_match_the_records_or_are_manual_give_no_findings() {
    let known = records();
    let manual = vec!["15场".to_owned()];
    let options = CheckOptions {
        known_figures: Some(&known),
        manual_figures: &manual,
        ..CheckOptions::default()
    };
    let report = lint_text(RECORDS_DRAFT, &options).unwrap();
    // 2.5万 is 25000 and 98.64% is 98.64; 2021年, 3月15日 and 第十条 are not figures; the change
    // 20% follows from 100 → 120.
    assert!(
        checks_of(&report, "figure_not_in_records").is_empty(),
        "{:?}",
        checks_of(&report, "figure_not_in_records")
    );
    assert!(checks_of(&report, "figure_disagrees_with_records").is_empty());
    // Manual by value works as well as by text.
    let manual = vec!["15".to_owned()];
    let by_value = CheckOptions {
        manual_figures: &manual,
        ..options
    };
    let report = lint_text(RECORDS_DRAFT, &by_value).unwrap();
    assert!(checks_of(&report, "figure_not_in_records").is_empty());
}

#[test]
fn figures_not_in_the_records_are_warnings_and_disagreements_errors() {
    let mut known = records();
    if let Some(first) = known.first_mut() {
        first.value = Decimal::from(125);
    }
    let options = CheckOptions {
        known_figures: Some(&known),
        ..CheckOptions::default()
    };
    let report = lint_text(RECORDS_DRAFT, &options).unwrap();
    let disagree = checks_of(&report, "figure_disagrees_with_records");
    assert_eq!(disagree.len(), 1, "{disagree:?}");
    assert_eq!(
        disagree.first().map(|(s, c, q)| (*s, *c, q.as_str())),
        Some((FindingSeverity::Error, Some(Decimal::from(125)), "120件"))
    );
    let message = report
        .findings
        .iter()
        .find(|f| f.check == "figure_disagrees_with_records")
        .map(|f| f.message.clone())
        .unwrap_or_default();
    assert!(
        message.contains("120") && message.contains("125"),
        "{message}"
    );
    let unknown = checks_of(&report, "figure_not_in_records");
    assert_eq!(
        unknown,
        [(
            FindingSeverity::Warning,
            Some(Decimal::from(15)),
            "15场".to_owned()
        )]
    );
    // Without known figures the checks do not run.
    let plain = lint_text(RECORDS_DRAFT, &CheckOptions::default()).unwrap();
    assert!(checks_of(&plain, "figure_not_in_records").is_empty());
    assert!(checks_of(&plain, "figure_disagrees_with_records").is_empty());
}

const UNDATED: &str =
    "某县人民政府2021年度法治政府建设情况报告\n一、主要举措和成效\n全年受理行政复议申请120件。\n";

fn deadline_checks(
    options: &CheckOptions<'_>,
) -> Vec<(&'static str, FindingSeverity, Option<Decimal>)> {
    let report = lint_text(UNDATED, options).unwrap();
    report
        .findings
        .iter()
        .filter(|f| {
            [
                "submission_deadline",
                "publication_due_soon",
                "publication_overdue",
                "finalised_before_year_end",
                "published_late",
                "published_before_year_end",
            ]
            .contains(&f.check)
        })
        .map(|f| (f.check, f.severity, f.computed))
        .collect()
}

#[test]
fn deadlines_follow_the_report_year() {
    use FindingSeverity::{Error, Info, Warning};
    assert!(deadline_checks(&CheckOptions::default()).is_empty());
    let at = |as_of| CheckOptions {
        as_of: Some(as_of),
        ..CheckOptions::default()
    };
    assert_eq!(
        deadline_checks(&at(date!(2022 - 02 - 10))),
        [("submission_deadline", Info, None)]
    );
    assert_eq!(
        deadline_checks(&at(date!(2022 - 03 - 10))),
        [
            ("submission_deadline", Info, None),
            ("publication_due_soon", Warning, Some(Decimal::from(21)))
        ]
    );
    assert_eq!(
        deadline_checks(&at(date!(2022 - 03 - 31))),
        [
            ("submission_deadline", Info, None),
            ("publication_due_soon", Warning, Some(Decimal::ZERO))
        ]
    );
    // 4月1日之前 is fixed: 1 April is late, whatever the weekday.
    assert_eq!(
        deadline_checks(&at(date!(2022 - 04 - 01))),
        [
            ("submission_deadline", Info, None),
            ("publication_overdue", Error, Some(Decimal::ONE))
        ]
    );
    assert_eq!(
        deadline_checks(&at(date!(2021 - 12 - 20))),
        [
            ("submission_deadline", Info, None),
            ("finalised_before_year_end", Error, None)
        ]
    );
    // The caller's report year wins over the text's.
    let other_year = CheckOptions {
        report_year: Some(2022),
        as_of: Some(date!(2022 - 04 - 10)),
        ..CheckOptions::default()
    };
    assert_eq!(
        deadline_checks(&other_year),
        [
            ("submission_deadline", Info, None),
            ("finalised_before_year_end", Error, None)
        ]
    );
    let published = |on| CheckOptions {
        published_on: Some(on),
        as_of: Some(date!(2022 - 05 - 01)),
        ..CheckOptions::default()
    };
    assert_eq!(
        deadline_checks(&published(date!(2022 - 03 - 31))),
        [("submission_deadline", Info, None)]
    );
    assert_eq!(
        deadline_checks(&published(date!(2022 - 04 - 02))),
        [
            ("published_late", Warning, None),
            ("submission_deadline", Info, None)
        ]
    );
}

fn with_duties(text: &str) -> Report {
    report(&format!(
        "一、主要举措和成效\n受理案件3件。\n二、存在的不足和原因\n基层力量不足，主要原因是编制有限。\n\
        三、党政主要负责人履行推进法治建设第一责任人职责情况\n{text}\n四、下一年度工作安排\n继续推进。\n"
    ))
}

#[test]
fn first_responsible_duties_are_listed_and_thin_ones_flagged() {
    let full = with_duties(
        "县长对法治建设重要工作亲自部署，主持召开常务会议专题研究法治工作4次，组织会前学法12次，带头出庭应诉2次，年终述法。",
    );
    let found = checks_of(&full, "first_responsible_duties");
    assert_eq!(
        found.first().map(|(s, c, _)| (*s, *c)),
        Some((FindingSeverity::Info, Some(Decimal::from(5))))
    );
    assert!(checks_of(&full, "first_responsible_duties_thin").is_empty());
    let thin = with_duties("县委、县政府主要负责人高度重视法治建设。");
    assert_eq!(
        finding(&thin, "first_responsible_duties_thin"),
        Some((FindingSeverity::Warning, Some(Decimal::ZERO)))
    );
    // No part of its own (the duty mentioned elsewhere): the existing part check speaks.
    let none = report("一、主要举措和成效\n党政主要负责人履行第一责任人职责。\n");
    assert!(checks_of(&none, "first_responsible_duties").is_empty());
}

fn with_sections(titles: &[&str]) -> Report {
    let numbers = [
        "（一）",
        "（二）",
        "（三）",
        "（四）",
        "（五）",
        "（六）",
        "（七）",
        "（八）",
    ];
    let mut body = String::from("一、主要举措和成效\n");
    for (number, title) in numbers.iter().zip(titles) {
        body.push_str(&format!("{number}{title}\n全年办理事项10件。\n"));
    }
    // HEAD reports on 2021: the 2021–2025 纲要.
    report(&body)
}

#[test]
fn the_section_plan_is_compared_with_the_outline_of_the_year() {
    let three = with_sections(&[
        "健全政府机构职能体系",
        "严格规范公正文明执法",
        "依法化解矛盾纠纷",
    ]);
    let missing = checks_of(&three, "outline_areas_missing");
    assert_eq!(
        missing.first().map(|(s, c, _)| (*s, *c)),
        Some((FindingSeverity::Info, Some(Decimal::from(5))))
    );
    let message = three
        .findings
        .iter()
        .find(|f| f.check == "outline_areas_missing")
        .map(|f| f.message.clone())
        .unwrap_or_default();
    assert!(
        message.contains("2021.emergencies") && !message.contains("2021.enforcement"),
        "{message}"
    );
    let shorts: Vec<&str> = outline_areas(2021)
        .iter()
        .filter(|area| area.core)
        .map(|area| area.short)
        .collect();
    assert!(checks_of(&with_sections(&shorts), "outline_areas_missing").is_empty());
    // Two sections, or a plan of its own: no finding.
    assert!(
        checks_of(
            &with_sections(&["健全政府机构职能体系", "依法化解矛盾纠纷"]),
            "outline_areas_missing"
        )
        .is_empty()
    );
    assert!(
        checks_of(
            &with_sections(&["抓好疫情防控", "服务经济发展", "推进区域治理"]),
            "outline_areas_missing"
        )
        .is_empty()
    );
}

#[test]
fn samples_get_the_outline_check_only_when_they_follow_a_plan() {
    let zhaotong = read(&crate::support::bytes("ok/zhaotong-2020.txt"), None).unwrap();
    let missing: Vec<String> = zhaotong
        .findings
        .iter()
        .filter(|f| f.check == "outline_areas_missing")
        .map(|f| f.message.clone())
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(
        missing
            .iter()
            .all(|m| m.contains("2015.capacity") && !m.contains("2015.rules")),
        "{missing:?}"
    );
    // wuchang-2020 follows its own themes (疫情防控, 区域依法治理): no finding.
    let wuchang = read(&crate::support::bytes("ok/wuchang-2020.txt"), None).unwrap();
    assert!(checks_of(&wuchang, "outline_areas_missing").is_empty());
}

#[test]
fn a_figure_equal_to_a_narrower_known_figure_is_not_a_disagreement() {
    // "可网上办理的政务服务事项" carries the broader id government_services.items by its keywords;
    // its value is the records' online_items, so it agrees with the records.
    let text = "某区人民政府2025年度法治政府建设情况报告\n一、主要举措和成效\n全年政务服务事项2823项，其中可网上办理的政务服务事项2166项。\n";
    let known = vec![
        known("government_services.items", Decimal::from(2823)),
        known("government_services.online_items", Decimal::from(2166)),
    ];
    let options = CheckOptions {
        known_figures: Some(&known),
        ..CheckOptions::default()
    };
    let report = lint_text(text, &options).unwrap();
    assert!(checks_of(&report, "figure_disagrees_with_records").is_empty());
    assert!(checks_of(&report, "figure_not_in_records").is_empty());
}
