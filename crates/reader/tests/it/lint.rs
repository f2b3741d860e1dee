//! The lint on small reports written to trip one check each (the samples and our own reports
//! cover the rest), and the repeated-text share against a previous report.

use fazhi_reader::{FindingSeverity, LintOptions, Report, read, read_document, read_with};
use rust_decimal::Decimal;

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
