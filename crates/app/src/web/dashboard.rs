//! 工作台: the jurisdiction, the signed-in user's scope and the organisation's size within it.

use super::extract::Query;
use crate::store::Reach;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use serde::Deserialize;

use super::error::WebError;
use super::layout::Layout;
use super::routes::Routes;
use super::session::SignedIn;
use super::{AppState, messages};
use crate::authz::{self, Action, Scope};
use crate::store::cases::date_text;

pub(super) fn router() -> Routes {
    Routes::new().get("/", dashboard)
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    jurisdiction_name: String,
    level_label: &'static str,
    division_code: String,
    demo_year: Option<i64>,
    scope_label: String,
    n_departments: i64,
    n_people: i64,
    shows_organisation: bool,
    today: String,
    warn_until: String,
    overdue: Vec<DeadlineItem>,
    warnings: Vec<DeadlineItem>,
    by_department: Vec<(String, usize, usize)>,
    /// 督办 addressed to the account and not answered yet: its to-do items.
    notices: Vec<crate::store::supervision::Notice>,
}

/// A period due soon or overdue, on the 工作台.
struct DeadlineItem {
    case_id: i64,
    case_number: String,
    procedure: String,
    department: String,
    label: String,
    due_on: String,
    status: String,
    provisional: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(super) struct NoticeQuery {
    notice: String,
}

async fn dashboard(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<Html<String>, WebError> {
    authz::check(&user.subject, Action::ViewDashboard)?;
    let store = &state.store;
    let layout = Layout::new(store, &user, "工作台", "/", Some(&query.notice)).await?;
    // The frame has already loaded the jurisdiction; read it from there, not the database again.
    let jurisdiction = layout.jurisdiction_record.clone();
    let scope = authz::department_scope(&user.subject);
    let scope_label = match scope {
        Scope::All | Scope::Subtree(_) => "全部部门".to_owned(),
        Scope::Department(id) => format!(
            "本部门：{}",
            store.department(Reach::of(&user.subject), id).await?.name
        ),
        Scope::Nothing => match user.subject.department_id {
            Some(id) => format!(
                "本人承办的案件（{}）",
                store.department(Reach::of(&user.subject), id).await?.name
            ),
            None => "本人承办的案件".to_owned(),
        },
    };
    let (n_departments, n_people) = store.organisation_counts(scope).await?;
    // 预警: due within 3 working days; 超期: due before today (statutes.md: the last day counts).
    let today = state.clock.now().date();
    let warn_until = state
        .calendar
        .due(today, 3, crate::procedure::PeriodUnit::Workdays, &[])
        .map_or(today, |due| due.date);
    let mut overdue: Vec<DeadlineItem> = Vec::new();
    let mut warnings: Vec<DeadlineItem> = Vec::new();
    let mut by_department: Vec<(String, usize, usize)> = Vec::new();
    let mut seen_cases = std::collections::BTreeSet::new();
    // Ordered by due date, so a case's first row is its most urgent period; each case is listed
    // once, with how many more of its periods fall due.
    let timers = store
        .timers_due(
            &user.subject,
            &date_text(today),
            &date_text(warn_until),
            500,
        )
        .await?;
    let mut per_case: std::collections::BTreeMap<i64, usize> = std::collections::BTreeMap::new();
    for timer in &timers {
        *per_case.entry(timer.case_id).or_default() += 1;
    }
    for timer in &timers {
        let Some(due) = timer
            .due_on
            .as_deref()
            .and_then(crate::engine::fields_parse_date)
        else {
            continue;
        };
        if !seen_cases.insert(timer.case_id) {
            continue;
        }
        let more = per_case
            .get(&timer.case_id)
            .copied()
            .unwrap_or(1)
            .saturating_sub(1);
        let procedure = state
            .procedures
            .iter()
            .find(|p| p.id == timer.procedure)
            .map_or(timer.procedure.clone(), |p| p.name.clone());
        let unit = crate::procedure::PeriodUnit::from_code(&timer.unit)
            .unwrap_or(crate::procedure::PeriodUnit::Days);
        let calendar = state.calendar.as_ref();
        let late = crate::engine::overdue_by(due, today, unit, calendar);
        let is_overdue = late.is_some();
        let mut status = match late {
            Some(late) => format!("已超期 {late}"),
            None if due == today => "今日届满".to_owned(),
            None if unit == crate::procedure::PeriodUnit::Workdays => {
                format!("剩余 {} 个工作日", calendar.workdays_between(today, due))
            }
            None => format!("剩余 {} 日", (due - today).whole_days()),
        };
        if !timer.is_duty() {
            status.push_str("（当事人期间）");
        }
        if more > 0 {
            status.push_str(&format!("；另有 {more} 项期限将届满"));
        }
        let item = DeadlineItem {
            case_id: timer.case_id,
            case_number: timer.case_number.clone(),
            procedure,
            department: timer.department_name.clone(),
            label: timer.label.clone(),
            due_on: date_text(due),
            status,
            provisional: timer.provisional,
        };
        match by_department
            .iter_mut()
            .find(|(name, _, _)| *name == timer.department_name)
        {
            Some(entry) => {
                if is_overdue {
                    entry.2 += 1
                } else {
                    entry.1 += 1
                }
            }
            None => by_department.push((
                timer.department_name.clone(),
                usize::from(!is_overdue),
                usize::from(is_overdue),
            )),
        }
        if is_overdue {
            overdue.push(item)
        } else {
            warnings.push(item)
        }
    }
    by_department.sort_by_key(|entry| std::cmp::Reverse((entry.2, entry.1)));
    // The account's own jurisdiction (a district's staff see their district, not the city).
    let own = store
        .jurisdiction_by_id(user.subject.jurisdiction_id)
        .await?;
    let notices = super::supervision::open_notices_for(&state, &user).await?;
    let page = DashboardPage {
        jurisdiction_name: layout.jurisdiction.clone(),
        level_label: if own.name.is_empty() {
            "—"
        } else {
            messages::level_label(own.level)
        },
        division_code: own.code.clone(),
        layout,
        demo_year: jurisdiction.as_ref().and_then(|j| j.demo_year),
        scope_label,
        n_departments,
        n_people,
        shows_organisation: scope != Scope::Nothing,
        today: date_text(today),
        warn_until: date_text(warn_until),
        overdue,
        warnings,
        by_department,
        notices,
    };
    Ok(Html(page.render()?))
}
