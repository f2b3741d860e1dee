//! The demo's figures and report: each department's submissions (填报) for the demo year and the
//! year before, made through the store like a real submission (journaled), a few departments left
//! unsubmitted so the 司法局's list has something to show, and each jurisdiction's report
//! drafted from its indicators with fictional narrative for the parts staff write and published
//! — except the late district's ([`super::Place::report_late`]), which nobody has drafted.

use fazhi_report::model::{Paragraph, PartKind};
use rust_decimal::Decimal;

use crate::domain::Role;
use crate::indicators::Catalogue;
use crate::reports::service;
use crate::store::reports::NewSubmission;
use crate::store::{Store, StoreError};

/// What [`ensure_report`] made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoReport {
    /// Submissions stored.
    pub submissions: usize,
    /// Departments left without a submission for the demo year.
    pub unsubmitted: usize,
    /// The largest district's report version drafted (0: the reports already existed).
    pub version: i64,
    /// Jurisdictions whose report was drafted and published.
    pub published: usize,
    /// The jurisdictions late with their report: none drafted, none published.
    pub late: Vec<&'static str>,
}

/// Items only the justice bureau reports (mediation, legal aid, the certificate exam it runs).
const JUSTICE_ONLY: &[&str] = &[
    "mediation.cases",
    "mediation.cases_successful",
    "legal_aid.cases",
    "legal_consultation.count",
    "enforcement.exam_sat",
    "enforcement.exam_passed",
];

/// A plausible value of `id` for one department in one year (deterministic in `seed`).
fn value_for(id: &str, department_index: u64, year: i32, seed: i64) -> i64 {
    let mut x = (seed as u64)
        ^ (department_index.wrapping_mul(0x9e37_79b9_7f4a_7c15))
        ^ (u64::from(year.unsigned_abs()) << 32)
        ^ id.bytes()
            .fold(0_u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    let jitter = |base: i64, spread: i64| base + (x % (spread as u64 * 2 + 1)) as i64 - spread;
    match id {
        "power_list.items" => jitter(40, 15),
        "government_services.items" => jitter(120, 40),
        "government_services.online_items" => jitter(100, 20),
        "normative_documents.issued" => jitter(3, 2),
        "normative_documents.filed" => jitter(3, 2),
        "normative_documents.reviewed" => jitter(4, 2),
        "normative_documents.corrected" => jitter(1, 1),
        "normative_documents.cleaned_up" => jitter(2, 2),
        "major_decisions.count" => jitter(1, 1),
        "legality_review.count" => jitter(12, 6),
        "legal_advisers.count" => jitter(2, 1),
        "enforcement.case_files_reviewed" => jitter(30, 15),
        "mediation.cases" => jitter(8_900, 400),
        "mediation.cases_successful" => jitter(8_200, 300),
        "legal_aid.cases" => jitter(5_200, 300),
        "legal_consultation.count" => jitter(21_000, 2_000),
        "enforcement.exam_sat" => jitter(260, 30),
        "enforcement.exam_passed" => jitter(160, 20),
        "law_study.sessions" => jitter(6, 2),
        "law_study.participants" => jitter(80, 30),
        "legal_publicity.events" => jitter(12, 6),
        _ => jitter(5, 3),
    }
    .max(0)
}

/// Makes the demo's submissions for `year - 1` and `year` and drafts the report, unless a report
/// for `year` already exists.
pub async fn ensure_report(
    store: &Store,
    catalogue: &Catalogue,
    seed: i64,
    year: i32,
    now: &str,
) -> Result<DemoReport, StoreError> {
    if !store
        .report_versions(crate::store::ROOT_JURISDICTION, year)
        .await?
        .is_empty()
    {
        return Ok(DemoReport::default());
    }
    let departments = store.active_departments(crate::authz::Scope::All).await?;
    let users = store.list_users().await?;
    let mut made = DemoReport::default();
    for (index, department) in departments.iter().enumerate() {
        // The department's legal officer submits; the justice bureau's staff for the bureau.
        let Some(submitter) = users.iter().find(|u| {
            u.department_id == Some(department.id)
                && matches!(u.role, Role::DepartmentLegal | Role::JusticeStaff)
        }) else {
            continue;
        };
        for submission_year in [year - 1, year] {
            // Every fifth department has not submitted for the demo year yet.
            if submission_year == year && index % 5 == 4 && !department.is_justice_bureau {
                made.unsubmitted += 1;
                continue;
            }
            let mut values: Vec<(String, Decimal, String)> = Vec::new();
            for indicator in catalogue.submitted() {
                let justice_only = JUSTICE_ONLY.contains(&indicator.id.as_str());
                let value = if justice_only && !department.is_justice_bureau {
                    0
                } else {
                    value_for(&indicator.id, index as u64, submission_year, seed)
                };
                values.push((indicator.id.clone(), Decimal::from(value), String::new()));
            }
            // Parts never exceed their wholes: clamp after drawing.
            let wholes: Vec<Option<Decimal>> = values
                .iter()
                .map(|(id, _, _)| {
                    let whole = catalogue.get(id)?.part_of.as_deref()?;
                    values.iter().find(|v| v.0 == whole).map(|v| v.1)
                })
                .collect();
            for (value, whole) in values.iter_mut().zip(wholes) {
                if let Some(whole) = whole
                    && value.1 > whole
                {
                    value.1 = whole;
                }
            }
            store
                .insert_submission(&NewSubmission {
                    department_id: department.id,
                    year: submission_year,
                    source: "form",
                    user_id: submitter.id,
                    at: now,
                    values: &values,
                })
                .await?;
            made.submissions += 1;
        }
    }
    let jurisdictions = store.jurisdictions().await?;
    for (index, place) in super::PLACES.iter().enumerate() {
        if place.report_late {
            made.late.push(place.name);
            continue;
        }
        let Some(jurisdiction) = jurisdictions.iter().find(|j| j.code == place.code) else {
            continue;
        };
        let version = publish_report(store, catalogue, jurisdiction.id, place, year, now).await?;
        if index == super::data::LARGEST {
            made.version = version;
        }
        made.published += 1;
    }
    Ok(made)
}

/// Drafts jurisdiction `jurisdiction_id`'s report for `year`, writes the parts staff write and
/// publishes that version; returns its number.
async fn publish_report(
    store: &Store,
    catalogue: &Catalogue,
    jurisdiction_id: i64,
    place: &super::Place,
    year: i32,
    now: &str,
) -> Result<i64, StoreError> {
    service::draft(store, catalogue, jurisdiction_id, year, None, now).await?;
    let Some(latest) = service::versions(store, jurisdiction_id, year)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(0);
    };
    // The government and the Party committee of the place: 区 (or 县) or 市.
    let level = match place.level {
        crate::domain::Level::City => "市",
        _ if place.name.ends_with('县') => "县",
        _ => "区",
    };
    let mut report = latest.report;
    for part in &mut report.parts {
        let text: &[&str] = match part.kind {
            PartKind::Measures => continue,
            PartKind::Shortcomings => &[
                "一是部分行政执法人员运用法治思维和法治方式的能力有待提升，主要原因是培训针对性不强、以案释法不够。",
                "二是行政复议纠错案件的整改跟踪不够及时，原因是复议机构与被申请人之间尚未建立整改反馈机制。",
                "三是部分部门填报数据不够及时，原因是统计口径培训不到位。",
            ],
            PartKind::FirstResponsible => &[
                "区政府主要负责人认真履行推进法治建设第一责任人职责，对法治政府建设重要工作亲自部署、重大问题亲自过问、重点环节亲自协调、重要任务亲自督办。",
                "全年主持召开区政府常务会议专题研究法治政府建设工作，坚持会前学法，年终向区委述法，重大行政决策均经合法性审查后集体讨论决定。",
            ],
            PartKind::NextYear => &[
                "一是针对执法人员能力不足的问题，制定行政执法人员全员轮训计划，推行以案释法。",
                "二是建立行政复议纠错整改跟踪机制，逐案跟踪整改结果并通报。",
                "三是完善部门数据填报制度，统一统计口径，按季度督促填报。",
            ],
            PartKind::Other => &["本报告为演示数据，辖区、部门、人员和案件均为虚构。"],
        };
        part.paragraphs = text
            .iter()
            .map(|t| {
                Paragraph::staff(
                    t.replace("区政府", &format!("{level}政府"))
                        .replace("区委", &format!("{level}委")),
                )
            })
            .collect();
    }
    service::save(
        store,
        &report,
        &latest.computation,
        "演示数据：补充叙述部分并发布",
        None,
        now,
        true,
    )
    .await
}
