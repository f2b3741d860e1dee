//! 法治督察: the supervising 司法局's view of the jurisdictions below it (deadlines at risk and
//! overdue per department, the annual report's progress against its dates, year-on-year case
//! figures, the witness's verdict on each log) and 督办, supervision notices with a reply due on
//! the working-day calendar, answered by their addressee and listed on its 工作台.
//!
//! The dates of the annual report (the year's report is made in the next year):
//! - 报送: to the government above in the first quarter — 《法治政府建设实施纲要（2015－2020年）》
//!   (中发〔2015〕36号) and 《法治政府建设与责任落实督察工作规定》(厅字〔2019〕28号) 第四章; by
//!   31 March. Provinces may set an earlier day for departments (e.g. 3月1日).
//! - 公开: "每年4月1日之前" — 督察工作规定第二十四条; a fixed date, not a period, so not moved
//!   off a holiday: by 31 March.

use super::extract::{Form, Path, Query};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::{Date, Month};

use super::AppState;
use super::error::WebError;
use super::forms::FormErrors;
use super::layout::Layout;
use super::people::SelectOption;
use super::routes::Routes;
use super::session::SignedIn;
use crate::authz::{self, Action};
use crate::clock::to_db_time;
use crate::domain::{FieldError, FieldErrors};
use crate::store::cases::date_text;
use crate::store::jurisdictions::Jurisdiction;
use crate::store::supervision::{NewNotice, Notice, NoticeTarget, ReportProgress};
use crate::store::{Reach, StoreError};

pub(super) fn router() -> Routes {
    Routes::new()
        .get("/supervision", overview)
        .get("/supervision/j/{id}", jurisdiction_page)
        .get("/supervision/notices", notices_page)
        .post("/supervision/notices", issue)
        .get("/supervision/notices/{id}", notice_page)
        .post("/supervision/notices/{id}/reply", reply)
        .post("/supervision/report/submit", submit_report)
}

/// The last day of the annual report's submission to the government above and of its
/// publication, for the report on `year` (both 31 March of the next year; module docs).
pub fn report_due_dates(year: i32) -> (Date, Date) {
    let due = Date::from_calendar_date(year + 1, Month::March, 31).unwrap_or(Date::MAX);
    (due, due)
}

/// How a dated duty stands on `today`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timeliness {
    /// Done by its last day.
    OnTime(Date),
    /// Done after its last day, by this many calendar days.
    Late(Date, i64),
    /// Not done, and its last day has passed (by this many days).
    Missing(i64),
    /// Not done yet; its last day is still ahead.
    Pending,
}

/// Whether a duty done on `done` (if it was) met its last day `due`, as of `today`.
pub fn timeliness(done: Option<Date>, due: Date, today: Date) -> Timeliness {
    match done {
        Some(on) if on <= due => Timeliness::OnTime(on),
        Some(on) => Timeliness::Late(on, (on - due).whole_days()),
        None if today > due => Timeliness::Missing((today - due).whole_days()),
        None => Timeliness::Pending,
    }
}

impl Timeliness {
    /// In Chinese, for a table cell.
    fn label(&self) -> String {
        match self {
            Timeliness::OnTime(on) => date_text(*on),
            Timeliness::Late(on, days) => format!("{}（逾期 {days} 日）", date_text(*on)),
            Timeliness::Missing(days) => format!("未完成（已逾期 {days} 日）"),
            Timeliness::Pending => "未完成".to_owned(),
        }
    }

    fn is_late(&self) -> bool {
        matches!(self, Timeliness::Late(..) | Timeliness::Missing(_))
    }
}

/// The date part of a stored time (`2026-03-02 09:30:00` or an RFC 3339 text).
fn day_of(stored: &str) -> Option<Date> {
    crate::engine::fields_parse_date(stored.get(..10)?)
}

/// A report's progress as table cells.
#[derive(Debug, Clone)]
struct ReportCells {
    drafted: String,
    submitted: String,
    submitted_late: bool,
    published: String,
    published_late: bool,
}

fn report_cells(progress: Option<&ReportProgress>, year: i32, today: Date) -> ReportCells {
    let (submit_due, publish_due) = report_due_dates(year);
    let submitted = timeliness(
        progress
            .and_then(|p| p.submitted_on.as_deref())
            .and_then(day_of),
        submit_due,
        today,
    );
    let published = timeliness(
        progress
            .and_then(|p| p.published_at.as_deref())
            .and_then(day_of),
        publish_due,
        today,
    );
    ReportCells {
        drafted: progress
            .and_then(|p| p.drafted_at.as_deref())
            .and_then(day_of)
            .map_or_else(
                || "未起草".to_owned(),
                |on| {
                    format!(
                        "{}（{} 稿）",
                        date_text(on),
                        progress.map_or(0, |p| p.n_versions)
                    )
                },
            ),
        submitted_late: submitted.is_late(),
        submitted: submitted.label(),
        published_late: published.is_late(),
        published: published.label(),
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(super) struct OverviewQuery {
    year: String,
    sort: String,
    notice: String,
}

impl OverviewQuery {
    fn year(&self, today: Date) -> i32 {
        self.year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .unwrap_or(today.year() - 1)
    }
}

/// One subordinate jurisdiction's row.
#[derive(Debug, Clone)]
struct OverviewRow {
    id: i64,
    name: String,
    depth: usize,
    overdue: i64,
    at_risk: i64,
    report: ReportCells,
    opened: i64,
    opened_before: i64,
    change: String,
    witness: String,
    witness_refused: bool,
}

#[derive(Template)]
#[template(path = "supervision/overview.html")]
struct OverviewPage {
    layout: Layout,
    year: i32,
    submit_due: String,
    rows: Vec<OverviewRow>,
    sort: String,
}

/// The year-on-year change, as written in reports ("增长12.5%", "持平", "下降3.0%").
fn change_label(now: i64, before: i64) -> String {
    if before == 0 {
        return if now == 0 {
            "—".to_owned()
        } else {
            "新增".to_owned()
        };
    }
    let percent = (now - before) as f64 * 100.0 / before as f64;
    if percent.abs() < 0.05 {
        "持平".to_owned()
    } else if percent > 0.0 {
        format!("增长{percent:.1}%")
    } else {
        format!("下降{:.1}%", -percent)
    }
}

fn warn_horizon(state: &AppState, today: Date) -> Date {
    // 预警 as on the 工作台: due within 3 working days.
    state
        .calendar
        .due(today, 3, crate::procedure::PeriodUnit::Workdays, &[])
        .map_or(today, |due| due.date)
}

async fn overview(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<OverviewQuery>,
) -> Result<Html<String>, WebError> {
    authz::check(&user.subject, Action::ViewSupervision)?;
    let store = &state.store;
    let reach = Reach::of(&user.subject);
    let today = state.clock.now().date();
    let year = query.year(today);
    let within = store.jurisdictions_within(reach).await?;
    let deadlines = store
        .deadlines_within(
            reach,
            &date_text(today),
            &date_text(warn_horizon(&state, today)),
        )
        .await?;
    let progress = store.report_progress_within(reach, year).await?;
    let opened = store.opened_within(reach, (year, year - 1)).await?;
    let refusals = store.latest_witness_refusals_within(reach).await?;
    let mut rows: Vec<OverviewRow> = within
        .iter()
        .filter(|(j, _)| j.id != user.subject.jurisdiction_id)
        .map(|(j, depth)| {
            let of_j = deadlines.iter().filter(|d| d.jurisdiction_id == j.id);
            let (overdue, at_risk) = of_j.fold((0, 0), |(o, r), d| (o + d.overdue, r + d.at_risk));
            let count = |y: i32| {
                opened
                    .iter()
                    .filter(|o| o.jurisdiction_id == j.id && o.year == y)
                    .map(|o| o.opened)
                    .sum::<i64>()
            };
            let (now, before) = (count(year), count(year - 1));
            let refusal = refusals.get(&j.id);
            OverviewRow {
                id: j.id,
                name: super::jurisdictions::display_name(j),
                depth: depth.saturating_sub(1),
                overdue,
                at_risk,
                report: report_cells(
                    progress.iter().find(|p| p.jurisdiction_id == j.id),
                    year,
                    today,
                ),
                opened: now,
                opened_before: before,
                change: change_label(now, before),
                witness: refusal.map_or_else(
                    || "正常".to_owned(),
                    |r| {
                        format!(
                            "拒绝副署：{}（{}）",
                            super::messages::log::refusal(&r.kind),
                            r.refused_at
                        )
                    },
                ),
                witness_refused: refusal.is_some(),
            }
        })
        .collect();
    sort_rows(&mut rows, &query.sort);
    let layout = Layout::new(
        store,
        &user,
        "法治督察",
        "/supervision",
        Some(&query.notice),
    )
    .await?;
    Ok(Html(
        OverviewPage {
            layout,
            year,
            submit_due: date_text(report_due_dates(year).0),
            rows,
            sort: query.sort.clone(),
        }
        .render()?,
    ))
}

/// Orders the rows by the chosen column: counts largest first, the tree order otherwise.
fn sort_rows(rows: &mut [OverviewRow], sort: &str) {
    match sort {
        "overdue" => rows.sort_by_key(|r| std::cmp::Reverse((r.overdue, r.at_risk))),
        "at_risk" => rows.sort_by_key(|r| std::cmp::Reverse((r.at_risk, r.overdue))),
        "opened" => rows.sort_by_key(|r| std::cmp::Reverse(r.opened)),
        "change" => rows.sort_by(|a, b| {
            let ratio = |r: &OverviewRow| (r.opened + 1) as f64 / (r.opened_before + 1) as f64;
            ratio(b).total_cmp(&ratio(a))
        }),
        "report" => rows
            .sort_by_key(|r| std::cmp::Reverse((r.report.published_late, r.report.submitted_late))),
        _ => {}
    }
}

#[derive(Template)]
#[template(path = "supervision/jurisdiction.html")]
struct JurisdictionPage {
    layout: Layout,
    jurisdiction: Jurisdiction,
    year: i32,
    submit_due: String,
    deadlines: Vec<crate::store::supervision::DepartmentDeadlines>,
    report: ReportCells,
    notices: Vec<Notice>,
    refusals: Vec<crate::store::witness::Refusal>,
    cosigned: Option<String>,
    /// The latest version's number and the report check's findings on it, if there is one.
    checked_version: Option<i64>,
    findings: Vec<(&'static str, String)>,
    may_issue: bool,
    targets: Vec<SelectOption>,
    values: NoticeForm,
    errors: FormErrors,
    reply_workdays_default: i64,
}

/// The reply period a 督办 gets unless its issuer sets another: no national rule fixes it, so
/// it is the issuer's to set per notice (1 to 60 working days).
pub const DEFAULT_REPLY_WORKDAYS: i64 = 10;
const MAX_REPLY_WORKDAYS: i64 = 60;

async fn jurisdiction_page(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<OverviewQuery>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ViewSupervision)?;
    render_jurisdiction(
        &state,
        &user,
        id,
        query.year(state.clock.now().date()),
        NoticeForm::default(),
        FormErrors::default(),
        StatusCode::OK,
        &query.notice,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn render_jurisdiction(
    state: &AppState,
    user: &SignedIn,
    id: i64,
    year: i32,
    values: NoticeForm,
    errors: FormErrors,
    status: StatusCode,
    notice: &str,
) -> Result<Response, WebError> {
    let store = &state.store;
    let reach = Reach::of(&user.subject);
    let jurisdiction = store
        .jurisdictions_within(reach)
        .await?
        .into_iter()
        .map(|(j, _)| j)
        .find(|j| j.id == id)
        .ok_or(StoreError::NotFound)?;
    let today = state.clock.now().date();
    let deadlines: Vec<_> = store
        .deadlines_within(
            Reach(id),
            &date_text(today),
            &date_text(warn_horizon(state, today)),
        )
        .await?
        .into_iter()
        .filter(|d| d.jurisdiction_id == id)
        .collect();
    let progress = store.report_progress_within(Reach(id), year).await?;
    let departments = store.active_departments(authz::Scope::Subtree(id)).await?;
    let mut targets = vec![SelectOption {
        value: "report".into(),
        label: format!("{year}年度法治政府建设年度报告"),
        selected: values.target == "report",
    }];
    targets.extend(
        departments
            .iter()
            .filter(|d| d.jurisdiction_id == id)
            .map(|d| SelectOption {
                value: format!("department:{}", d.id),
                label: format!("部门：{}", d.name),
                selected: values.target == format!("department:{}", d.id),
            }),
    );
    targets.push(SelectOption {
        value: "case".into(),
        label: "案件（填写案号）".into(),
        selected: values.target == "case",
    });
    // The report check (the one the reporting jurisdiction's own report page runs) on its
    // latest version.
    let latest = crate::reports::service::versions(store, id, year)
        .await?
        .into_iter()
        .max_by_key(|v| v.row.number);
    let findings = match &latest {
        Some(version) => super::report::checks_of(state, version)
            .await?
            .into_iter()
            .map(|check| {
                (
                    super::external::severity_label(check.severity).0,
                    check.message,
                )
            })
            .collect(),
        None => Vec::new(),
    };
    let layout = Layout::new(
        store,
        user,
        &format!(
            "法治督察 · {}",
            super::jurisdictions::display_name(&jurisdiction)
        ),
        "/supervision",
        Some(notice),
    )
    .await?;
    let page = JurisdictionPage {
        layout,
        year,
        submit_due: date_text(report_due_dates(year).0),
        deadlines,
        report: report_cells(
            progress.iter().find(|p| p.jurisdiction_id == id),
            year,
            today,
        ),
        notices: store.notices_to(id, None).await?,
        refusals: store.witness_refusals(id).await?,
        cosigned: store
            .latest_cosignature(id)
            .await?
            .map(|c| format!("{}（日志大小 {}）", c.cosigned_at, c.tree_size)),
        checked_version: latest.as_ref().map(|v| v.row.number),
        findings,
        may_issue: authz::check(&user.subject, Action::IssueNotices).is_ok(),
        targets,
        values: NoticeForm {
            year: year.to_string(),
            ..values
        },
        errors,
        reply_workdays_default: DEFAULT_REPLY_WORKDAYS,
        jurisdiction,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// The 督办 form.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(super) struct NoticeForm {
    jurisdiction_id: String,
    target: String,
    case_number: String,
    year: String,
    title: String,
    body: String,
    reply_workdays: String,
}

/// A checked 督办 form.
struct ParsedNotice {
    jurisdiction_id: i64,
    target: ParsedTarget,
    title: String,
    body: String,
    reply_workdays: i64,
}

enum ParsedTarget {
    Report(i32),
    Department(i64),
    CaseNumber(String),
}

fn parse_notice(form: &NoticeForm) -> Result<ParsedNotice, FieldErrors> {
    let mut errors = Vec::new();
    let mut push = |field: &'static str, code: &'static str| {
        errors.push(FieldError { field, code });
    };
    let jurisdiction_id = form.jurisdiction_id.trim().parse::<i64>().unwrap_or(0);
    let year = form
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    let mut case_number_missing = false;
    let target = match form.target.trim() {
        "report" => year.map(ParsedTarget::Report),
        "case" => {
            let number = form.case_number.trim();
            if number.is_empty() || number.chars().count() > 40 {
                case_number_missing = true;
                None
            } else {
                Some(ParsedTarget::CaseNumber(number.to_owned()))
            }
        }
        other => other
            .strip_prefix("department:")
            .and_then(|id| id.parse::<i64>().ok())
            .filter(|id| *id > 0)
            .map(ParsedTarget::Department),
    };
    if case_number_missing {
        push("case_number", "required");
    } else if target.is_none() {
        push("target", "required");
    }
    let title = form.title.trim().to_owned();
    match title.chars().count() {
        0 => push("title", "required"),
        n if n > 60 => push("title", "too_long"),
        _ => {}
    }
    let body = form.body.trim().to_owned();
    match body.chars().count() {
        0 => push("body", "required"),
        n if n > 2000 => push("body", "too_long"),
        _ => {}
    }
    if title
        .chars()
        .chain(body.chars())
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        push("body", "control_characters");
    }
    let reply_workdays = match form.reply_workdays.trim() {
        "" => Some(DEFAULT_REPLY_WORKDAYS),
        text => text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_REPLY_WORKDAYS).contains(n)),
    };
    if reply_workdays.is_none() {
        push("reply_workdays", "invalid_reply_period");
    }
    match (target, reply_workdays) {
        (Some(target), Some(reply_workdays)) if errors.is_empty() => Ok(ParsedNotice {
            jurisdiction_id,
            target,
            title,
            body,
            reply_workdays,
        }),
        _ => Err(FieldErrors(errors)),
    }
}

async fn issue(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<NoticeForm>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::IssueNotices)?;
    let reach = Reach::of(&user.subject);
    let jurisdiction_id = form.jurisdiction_id.trim().parse::<i64>().unwrap_or(0);
    // The addressee must be within reach before anything about it is shown or written.
    let within = state.store.jurisdictions_within(reach).await?;
    if !within.iter().any(|(j, _)| j.id == jurisdiction_id) {
        return Err(StoreError::NotFound.into());
    }
    let today = state.clock.now().date();
    let year = form.year.trim().parse::<i32>().unwrap_or(today.year() - 1);
    let refused = |errors: FieldErrors, form: NoticeForm| {
        let state = state.clone();
        let user = user.clone();
        async move {
            render_jurisdiction(
                &state,
                &user,
                jurisdiction_id,
                year,
                form,
                FormErrors::from(&errors),
                StatusCode::UNPROCESSABLE_ENTITY,
                "",
            )
            .await
        }
    };
    let parsed = match parse_notice(&form) {
        Ok(parsed) => parsed,
        Err(errors) => return refused(errors, form).await,
    };
    let target = match &parsed.target {
        ParsedTarget::Report(year) => NoticeTarget::Report {
            jurisdiction_id: parsed.jurisdiction_id,
            year: *year,
        },
        ParsedTarget::Department(id) => NoticeTarget::Department(*id),
        ParsedTarget::CaseNumber(number) => {
            match state
                .store
                .case_by_number(parsed.jurisdiction_id, number)
                .await?
            {
                Some(id) => NoticeTarget::Case(id),
                None => {
                    let errors = FieldErrors(vec![FieldError {
                        field: "case_number",
                        code: "unknown_case_number",
                    }]);
                    return refused(errors, form).await;
                }
            }
        }
    };
    // A department of another jurisdiction than the addressee's is no target of this form.
    if let NoticeTarget::Department(id) = target {
        let department = state.store.department(reach, id).await;
        if !department.is_ok_and(|d| d.jurisdiction_id == parsed.jurisdiction_id) {
            let errors = FieldErrors(vec![FieldError {
                field: "target",
                code: "unknown_department",
            }]);
            return refused(errors, form).await;
        }
    }
    let reply_due = state
        .calendar
        .due(
            today,
            u32::try_from(parsed.reply_workdays).unwrap_or(1),
            crate::procedure::PeriodUnit::Workdays,
            &[],
        )
        .map_or(today, |due| due.date);
    let at = to_db_time(state.clock.now());
    let id = state
        .store
        .issue_notice(
            reach,
            &NewNotice {
                target,
                title: &parsed.title,
                body: &parsed.body,
                issued_on: &date_text(today),
                reply_workdays: parsed.reply_workdays,
                reply_due: &date_text(reply_due),
                issued_by: user.subject.user_id,
                issued_by_jurisdiction: user.subject.jurisdiction_id,
                at: &at,
            },
        )
        .await?;
    Ok(Redirect::to(&format!("/supervision/notices/{id}?notice=notice_issued")).into_response())
}

#[derive(Template)]
#[template(path = "supervision/notices.html")]
struct NoticesPage {
    layout: Layout,
    inbox: Vec<NoticeRow>,
    issued: Vec<NoticeRow>,
    report_year: i32,
    report: ReportCells,
    may_submit: bool,
    submit_due: String,
}

/// A notice in a list, with how its reply stands.
#[derive(Debug, Clone)]
struct NoticeRow {
    notice: Notice,
    status: String,
    late: bool,
}

fn notice_row(notice: Notice, today: Date) -> NoticeRow {
    let due = crate::engine::fields_parse_date(&notice.reply_due).unwrap_or(today);
    let answered = notice
        .replied_on
        .as_deref()
        .and_then(crate::engine::fields_parse_date);
    let standing = timeliness(answered, due, today);
    let status = match &standing {
        Timeliness::OnTime(on) => format!("已答复（{}）", date_text(*on)),
        Timeliness::Late(on, days) => format!("已答复（{}，逾期 {days} 日）", date_text(*on)),
        Timeliness::Missing(days) => format!("未答复，已逾期 {days} 日"),
        Timeliness::Pending => format!("待答复，限 {} 前", notice.reply_due),
    };
    NoticeRow {
        late: standing.is_late(),
        notice,
        status,
    }
}

/// The notices addressed to the account: its department's, or its whole jurisdiction's for the
/// 司法局; none for roles that answer none.
async fn inbox_of(state: &AppState, user: &SignedIn) -> Result<Vec<Notice>, WebError> {
    let department = user.subject.department_id;
    let own_department_only =
        authz::check(&user.subject, Action::AnswerNotices { department: None }).is_err();
    if own_department_only {
        match department {
            Some(d)
                if authz::check(
                    &user.subject,
                    Action::AnswerNotices {
                        department: Some(d),
                    },
                )
                .is_ok() =>
            {
                Ok(state
                    .store
                    .notices_to(user.subject.jurisdiction_id, Some(d))
                    .await?)
            }
            _ => Ok(Vec::new()),
        }
    } else {
        Ok(state
            .store
            .notices_to(user.subject.jurisdiction_id, None)
            .await?)
    }
}

/// The open notices addressed to the account, for the 工作台's to-do list.
pub(super) async fn open_notices_for(
    state: &AppState,
    user: &SignedIn,
) -> Result<Vec<Notice>, WebError> {
    Ok(inbox_of(state, user)
        .await?
        .into_iter()
        .filter(|n| n.replied_on.is_none())
        .collect())
}

/// Refuses (403) a role that neither reads supervision nor answers any 督办.
fn require_notice_role(user: &SignedIn) -> Result<(), WebError> {
    let answers = authz::check(&user.subject, Action::AnswerNotices { department: None }).is_ok()
        || (user.subject.department_id.is_some()
            && authz::check(
                &user.subject,
                Action::AnswerNotices {
                    department: user.subject.department_id,
                },
            )
            .is_ok());
    if answers {
        Ok(())
    } else {
        Ok(authz::check(&user.subject, Action::ViewSupervision)?)
    }
}

async fn notices_page(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<OverviewQuery>,
) -> Result<Response, WebError> {
    require_notice_role(&user)?;
    let may_view = authz::check(&user.subject, Action::ViewSupervision).is_ok();
    let today = state.clock.now().date();
    let reach = Reach::of(&user.subject);
    let inbox = inbox_of(&state, &user)
        .await?
        .into_iter()
        .map(|n| notice_row(n, today))
        .collect();
    let issued = if may_view {
        state
            .store
            .notices_issued_by(user.subject.jurisdiction_id, reach)
            .await?
            .into_iter()
            .map(|n| notice_row(n, today))
            .collect()
    } else {
        Vec::new()
    };
    let report_year = query.year(today);
    let progress = state
        .store
        .report_progress_within(Reach(user.subject.jurisdiction_id), report_year)
        .await?;
    let layout = Layout::new(
        &state.store,
        &user,
        "督办",
        "/supervision/notices",
        Some(&query.notice),
    )
    .await?;
    Ok(Html(
        NoticesPage {
            layout,
            inbox,
            issued,
            report_year,
            report: report_cells(
                progress
                    .iter()
                    .find(|p| p.jurisdiction_id == user.subject.jurisdiction_id),
                report_year,
                today,
            ),
            may_submit: authz::check(&user.subject, Action::SubmitReportUpward).is_ok(),
            submit_due: date_text(report_due_dates(report_year).0),
        }
        .render()?,
    )
    .into_response())
}

#[derive(Template)]
#[template(path = "supervision/notice.html")]
struct NoticePage {
    layout: Layout,
    row: NoticeRow,
    may_answer: bool,
    values: ReplyForm,
    errors: FormErrors,
}

/// May the account answer `notice`: it is addressed to the account's jurisdiction, and to its
/// department where a department role answers.
fn may_answer(user: &SignedIn, notice: &Notice) -> bool {
    notice.replied_on.is_none()
        && notice.jurisdiction_id == user.subject.jurisdiction_id
        && (authz::check(&user.subject, Action::AnswerNotices { department: None }).is_ok()
            || (notice.department_id.is_some()
                && user.subject.department_id == notice.department_id
                && authz::check(
                    &user.subject,
                    Action::AnswerNotices {
                        department: notice.department_id,
                    },
                )
                .is_ok()))
}

/// May the account read `notice`: the supervision view, or it is the addressee.
fn may_read(user: &SignedIn, notice: &Notice) -> bool {
    authz::check(&user.subject, Action::ViewSupervision).is_ok()
        || (notice.jurisdiction_id == user.subject.jurisdiction_id
            && (authz::check(&user.subject, Action::AnswerNotices { department: None }).is_ok()
                || (notice.department_id.is_some()
                    && user.subject.department_id == notice.department_id)))
}

async fn render_notice(
    state: &AppState,
    user: &SignedIn,
    id: i64,
    values: ReplyForm,
    errors: FormErrors,
    status: StatusCode,
    notice_code: &str,
) -> Result<Response, WebError> {
    require_notice_role(user)?;
    let notice = state.store.notice(Reach::of(&user.subject), id).await?;
    if !may_read(user, &notice) {
        return Err(StoreError::NotFound.into());
    }
    let layout = Layout::new(
        &state.store,
        user,
        &format!("督办 · {}", notice.title),
        "/supervision/notices",
        Some(notice_code),
    )
    .await?;
    let page = NoticePage {
        layout,
        may_answer: may_answer(user, &notice),
        row: notice_row(notice, state.clock.now().date()),
        values,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn notice_page(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<OverviewQuery>,
) -> Result<Response, WebError> {
    render_notice(
        &state,
        &user,
        id,
        ReplyForm::default(),
        FormErrors::default(),
        StatusCode::OK,
        &query.notice,
    )
    .await
}

/// The answer form.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(super) struct ReplyForm {
    answer: String,
}

async fn reply(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<ReplyForm>,
) -> Result<Response, WebError> {
    require_notice_role(&user)?;
    let notice = state.store.notice(Reach::of(&user.subject), id).await?;
    if !may_read(&user, &notice) {
        return Err(StoreError::NotFound.into());
    }
    authz::check(
        &user.subject,
        Action::AnswerNotices {
            department: notice.department_id,
        },
    )?;
    if !may_answer(&user, &notice) {
        return Err(WebError::Forbidden(
            "只有督办所指向的单位可以答复，且每件督办只答复一次。".to_owned(),
        ));
    }
    let text = form.answer.trim();
    let code = match text.chars().count() {
        0 => Some("required"),
        n if n > 2000 => Some("too_long"),
        _ if text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) =>
        {
            Some("control_characters")
        }
        _ => None,
    };
    if let Some(code) = code {
        let errors = FieldErrors(vec![FieldError {
            field: "answer",
            code,
        }]);
        return render_notice(
            &state,
            &user,
            id,
            form.clone(),
            FormErrors::from(&errors),
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
        )
        .await;
    }
    let now = state.clock.now();
    match state
        .store
        .reply_to_notice(
            id,
            text,
            &date_text(now.date()),
            user.subject.user_id,
            &to_db_time(now),
        )
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/supervision/notices/{id}?notice=notice_answered"))
                .into_response(),
        ),
        Err(StoreError::Invalid(errors)) => {
            render_notice(
                &state,
                &user,
                id,
                form,
                FormErrors::from(&errors),
                StatusCode::UNPROCESSABLE_ENTITY,
                "",
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// The 报送 form: the year reported on.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(super) struct SubmitForm {
    year: String,
}

async fn submit_report(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<SubmitForm>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::SubmitReportUpward)?;
    let Some(year) = form
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
    else {
        return Ok(Redirect::to("/supervision/notices?notice=report_year_invalid").into_response());
    };
    let now = state.clock.now();
    match state
        .store
        .submit_report_upward(
            user.subject.jurisdiction_id,
            year,
            &date_text(now.date()),
            user.subject.user_id,
            &to_db_time(now),
        )
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/supervision/notices?year={year}&notice=report_submitted_upward"
        ))
        .into_response()),
        Err(StoreError::Invalid(errors)) => {
            let code = errors.0.first().map_or("report_not_drafted", |e| e.code);
            Ok(
                Redirect::to(&format!("/supervision/notices?year={year}&notice={code}"))
                    .into_response(),
            )
        }
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_duty_is_on_time_late_missing_or_pending() {
        let due = date!(2026 - 03 - 31);
        assert_eq!(
            timeliness(Some(date!(2026 - 03 - 31)), due, date!(2026 - 06 - 01)),
            Timeliness::OnTime(date!(2026 - 03 - 31))
        );
        assert_eq!(
            timeliness(Some(date!(2026 - 04 - 02)), due, date!(2026 - 06 - 01)),
            Timeliness::Late(date!(2026 - 04 - 02), 2)
        );
        assert_eq!(
            timeliness(None, due, date!(2026 - 04 - 10)),
            Timeliness::Missing(10)
        );
        assert_eq!(timeliness(None, due, due), Timeliness::Pending);
    }

    #[test]
    fn the_reports_dates_are_the_31st_of_march_of_the_next_year() {
        // 督察工作规定第二十四条: "每年4月1日之前" — a fixed date, even when it is a Sunday
        // (2024-03-31 was one).
        assert_eq!(
            report_due_dates(2023),
            (date!(2024 - 03 - 31), date!(2024 - 03 - 31))
        );
    }

    #[test]
    fn year_on_year_changes_are_worded_as_reports_word_them() {
        assert_eq!(change_label(0, 0), "—");
        assert_eq!(change_label(5, 0), "新增");
        assert_eq!(change_label(10, 10), "持平");
        assert_eq!(change_label(9, 8), "增长12.5%");
        assert_eq!(change_label(97, 100), "下降3.0%");
    }

    #[test]
    fn a_notice_form_is_checked_field_by_field() {
        let ok = NoticeForm {
            jurisdiction_id: "2".into(),
            target: "department:7".into(),
            title: "请于期限内整改超期案件".into(),
            body: "贵单位有3件行政处罚案件已超过法定期限，请说明原因并整改。".into(),
            ..NoticeForm::default()
        };
        let parsed = parse_notice(&ok).expect("valid");
        assert_eq!(parsed.reply_workdays, DEFAULT_REPLY_WORKDAYS);
        let fields = |form: NoticeForm| -> Vec<&'static str> {
            parse_notice(&form)
                .err()
                .map(|e| e.0.iter().map(|e| e.field).collect())
                .unwrap_or_default()
        };
        assert_eq!(
            fields(NoticeForm {
                reply_workdays: "0".into(),
                ..ok.clone()
            }),
            ["reply_workdays"]
        );
        assert_eq!(
            fields(NoticeForm {
                reply_workdays: "61".into(),
                ..ok.clone()
            }),
            ["reply_workdays"]
        );
        assert_eq!(
            fields(NoticeForm {
                title: "题".repeat(61),
                ..ok.clone()
            }),
            ["title"]
        );
        assert_eq!(
            fields(NoticeForm {
                target: "department:x".into(),
                ..ok.clone()
            }),
            ["target"]
        );
        assert_eq!(
            fields(NoticeForm {
                target: "case".into(),
                ..ok.clone()
            }),
            ["case_number"]
        );
        assert_eq!(
            fields(NoticeForm {
                body: "整改\u{0}".into(),
                ..ok
            }),
            ["body"]
        );
    }
}
