//! 工作台: the jurisdiction, the signed-in user's scope and the organisation's size within it.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use serde::Deserialize;

use super::error::WebError;
use super::layout::Layout;
use super::session::SignedIn;
use super::{AppState, messages};
use crate::authz::{self, Action, Scope};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/", get(dashboard))
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
    let jurisdiction = store.jurisdiction().await?;
    let scope = authz::department_scope(&user.subject);
    let scope_label = match scope {
        Scope::All => "全部部门".to_owned(),
        Scope::Department(id) => format!("本部门：{}", store.department(id).await?.name),
        Scope::Nothing => match user.subject.department_id {
            Some(id) => format!("本人承办的案件（{}）", store.department(id).await?.name),
            None => "本人承办的案件".to_owned(),
        },
    };
    let (n_departments, n_people) = store.organisation_counts(scope).await?;
    let page = DashboardPage {
        layout,
        jurisdiction_name: jurisdiction
            .as_ref()
            .map_or_else(|| "（尚未设置）".to_owned(), |j| j.name.clone()),
        level_label: jurisdiction
            .as_ref()
            .map_or("—", |j| messages::level_label(j.level)),
        division_code: jurisdiction
            .as_ref()
            .map_or_else(String::new, |j| j.code.clone()),
        demo_year: jurisdiction.as_ref().and_then(|j| j.demo_year),
        scope_label,
        n_departments,
        n_people,
        shows_organisation: scope != Scope::Nothing,
    };
    Ok(Html(page.render()?))
}
