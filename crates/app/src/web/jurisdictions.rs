//! 辖区层级: the tree of jurisdictions (省 → 市 → 县/区/开发区) with each one's departments and
//! accounts, seen by 系统管理员, 司法局工作人员 and 领导; administrators add subordinate
//! jurisdictions and rename or recode them. The rules of what may go where are the store's
//! (`store::jurisdictions`, on `domain::check_placement`).

use super::extract::{Form, Path, Query};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::WebError;
use super::forms::{FormErrors, ListQuery};
use super::layout::Layout;
use super::people::SelectOption;
use super::routes::Routes;
use super::session::SignedIn;
use super::{AppState, messages};
use crate::authz::{self, Action};
use crate::clock::to_db_time;
use crate::domain::{self, FieldError, JurisdictionInput, Level};
use crate::store::jurisdictions::Jurisdiction;
use crate::store::{Reach, StoreError};

pub(super) fn router() -> Routes {
    Routes::new()
        .get("/jurisdictions", tree)
        .post("/jurisdictions", create)
        .get("/jurisdictions/new", new_form)
        .post("/jurisdictions/{id}", update)
        .get("/jurisdictions/{id}/edit", edit_form)
}

/// A row of the tree page, ready to print.
struct TreeLine {
    id: i64,
    /// Full-width spaces and a corner before the name, by depth (no inline style is allowed).
    indent: String,
    name: String,
    code: String,
    level: &'static str,
    n_departments: i64,
    n_accounts: i64,
    /// Whether anything can be placed under it (a county-level jurisdiction has no children).
    can_have_children: bool,
}

#[derive(Template)]
#[template(path = "jurisdictions/tree.html")]
struct TreePage {
    layout: Layout,
    lines: Vec<TreeLine>,
    can_manage: bool,
}

#[derive(Template)]
#[template(path = "jurisdictions/form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    /// The jurisdiction above, shown on the form; `None` for the root or an unknown parent.
    parent: Option<Jurisdiction>,
    values: JurisdictionForm,
    levels: Vec<SelectOption>,
    errors: FormErrors,
    is_new: bool,
    /// Shown instead of the form when no level fits under the parent.
    no_level_below: &'static str,
}

/// The jurisdiction form's raw fields (`parent_id` only when adding).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(super) struct JurisdictionForm {
    parent_id: String,
    name: String,
    level: String,
    code: String,
}

/// `GET /jurisdictions/new?parent=ID` (the root when absent).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(super) struct NewQuery {
    parent: Option<i64>,
}

/// The levels a jurisdiction under one of `level` may have.
fn levels_below(level: Level) -> impl Iterator<Item = Level> {
    Level::ALL
        .into_iter()
        .filter(move |below| domain::level_rank(*below) > domain::level_rank(level))
}

/// The levels a jurisdiction under `parent` may have, as options (every level for the root).
fn level_options(parent: Option<&Jurisdiction>, selected: &str) -> Vec<SelectOption> {
    Level::ALL
        .into_iter()
        .filter(|level| parent.is_none_or(|p| levels_below(p.level).any(|l| l == *level)))
        .map(|level| SelectOption {
            value: level.code().to_owned(),
            label: messages::level_label(level).to_owned(),
            selected: level.code() == selected,
        })
        .collect()
}

async fn tree(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, WebError> {
    authz::check(&user.subject, Action::ViewJurisdictions)?;
    let rows = state
        .store
        .jurisdiction_tree_within(Reach::of(&user.subject))
        .await?;
    let lines = rows
        .into_iter()
        .map(|row| {
            let j = row.jurisdiction;
            let indent = match row.depth {
                0 => String::new(),
                depth => format!("{}└ ", "　　".repeat(depth - 1)),
            };
            TreeLine {
                id: j.id,
                indent,
                name: if j.name.is_empty() {
                    "（尚未设置）".to_owned()
                } else {
                    j.name
                },
                code: j.code,
                level: messages::level_label(j.level),
                n_departments: row.n_departments,
                n_accounts: row.n_accounts,
                can_have_children: levels_below(j.level).next().is_some(),
            }
        })
        .collect();
    let layout = Layout::new(
        &state.store,
        &user,
        "辖区层级",
        "/jurisdictions",
        Some(&query.notice),
    )
    .await?;
    Ok(Html(
        TreePage {
            layout,
            lines,
            can_manage: authz::check(&user.subject, Action::ManageJurisdictions).is_ok(),
        }
        .render()?,
    ))
}

#[allow(clippy::too_many_arguments)]
async fn render_form(
    state: &AppState,
    user: &SignedIn,
    status: StatusCode,
    action: String,
    parent: Option<Jurisdiction>,
    values: JurisdictionForm,
    errors: FormErrors,
    is_new: bool,
) -> Result<Response, WebError> {
    let title = if is_new {
        "新增下级辖区"
    } else {
        "修改辖区"
    };
    let layout = Layout::new(&state.store, user, title, "/jurisdictions", None).await?;
    let levels = level_options(parent.as_ref(), &values.level);
    let page = FormPage {
        layout,
        action,
        parent,
        values,
        levels,
        errors,
        is_new,
        no_level_below: messages::jurisdictions::NO_LEVEL_BELOW,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn new_form(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<NewQuery>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ManageJurisdictions)?;
    let parent = state
        .store
        .jurisdiction_within(
            Reach::of(&user.subject),
            query.parent.unwrap_or(user.subject.jurisdiction_id),
        )
        .await?;
    let values = JurisdictionForm {
        parent_id: parent.id.to_string(),
        // The first level that fits, preselected.
        level: levels_below(parent.level)
            .next()
            .map(|level| level.code().to_owned())
            .unwrap_or_default(),
        ..JurisdictionForm::default()
    };
    render_form(
        &state,
        &user,
        StatusCode::OK,
        "/jurisdictions".into(),
        Some(parent),
        values,
        FormErrors::default(),
        true,
    )
    .await
}

async fn edit_form(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ManageJurisdictions)?;
    let jurisdiction = state
        .store
        .jurisdiction_within(Reach::of(&user.subject), id)
        .await?;
    let parent = match jurisdiction.parent_id {
        Some(parent_id) => Some(state.store.jurisdiction_by_id(parent_id).await?),
        None => None,
    };
    let values = JurisdictionForm {
        parent_id: String::new(),
        name: jurisdiction.name,
        level: jurisdiction.level.code().to_owned(),
        code: jurisdiction.code,
    };
    render_form(
        &state,
        &user,
        StatusCode::OK,
        format!("/jurisdictions/{id}"),
        parent,
        values,
        FormErrors::default(),
        false,
    )
    .await
}

/// The form again with its field messages (422), or the error's own response.
#[allow(clippy::too_many_arguments)]
async fn refused(
    state: &AppState,
    user: &SignedIn,
    action: String,
    parent_id: Option<i64>,
    values: JurisdictionForm,
    error: StoreError,
    is_new: bool,
) -> Result<Response, WebError> {
    let StoreError::Invalid(errors) = error else {
        return Err(error.into());
    };
    let parent = match parent_id {
        Some(id) => match state.store.jurisdiction_by_id(id).await {
            Ok(parent) => Some(parent),
            Err(StoreError::NotFound) => None,
            Err(other) => return Err(other.into()),
        },
        None => None,
    };
    render_form(
        state,
        user,
        StatusCode::UNPROCESSABLE_ENTITY,
        action,
        parent,
        values,
        FormErrors::from(&errors),
        is_new,
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<JurisdictionForm>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ManageJurisdictions)?;
    let parent_id = form
        .parent_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0);
    // A parent outside the administrator's reach is no parent it may name (nor one the refused
    // form may show).
    let parent_id = match parent_id {
        Some(id) => state
            .store
            .jurisdiction_within(Reach::of(&user.subject), id)
            .await
            .ok()
            .map(|j| j.id),
        None => None,
    };
    let parsed = JurisdictionInput::parse(&form.name, &form.level, &form.code);
    let (parent_id, input) = match (parent_id, parsed) {
        (Some(parent_id), Ok(input)) => (parent_id, input),
        (parent_id, parsed) => {
            let mut errors = parsed.err().unwrap_or_default();
            if parent_id.is_none() {
                errors.0.push(FieldError {
                    field: "parent",
                    code: "unknown_parent",
                });
            }
            return refused(
                &state,
                &user,
                "/jurisdictions".into(),
                parent_id,
                form,
                StoreError::Invalid(errors),
                true,
            )
            .await;
        }
    };
    let at = to_db_time(state.clock.now());
    match state
        .store
        .create_jurisdiction(Some(user.subject.user_id), &at, parent_id, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to("/jurisdictions?notice=jurisdiction_created").into_response()),
        Err(error) => {
            let action = "/jurisdictions".into();
            refused(&state, &user, action, Some(parent_id), form, error, true).await
        }
    }
}

async fn update(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<JurisdictionForm>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ManageJurisdictions)?;
    // An unknown jurisdiction is a 404 before anything about the form is said.
    let current = state
        .store
        .jurisdiction_within(Reach::of(&user.subject), id)
        .await?;
    let action = format!("/jurisdictions/{id}");
    let input = match JurisdictionInput::parse(&form.name, &form.level, &form.code) {
        Ok(input) => input,
        Err(errors) => {
            let error = StoreError::Invalid(errors);
            return refused(&state, &user, action, current.parent_id, form, error, false).await;
        }
    };
    let at = to_db_time(state.clock.now());
    match state
        .store
        .update_jurisdiction(Some(user.subject.user_id), &at, id, &input)
        .await
    {
        Ok(()) => Ok(Redirect::to("/jurisdictions?notice=jurisdiction_updated").into_response()),
        Err(error) => refused(&state, &user, action, current.parent_id, form, error, false).await,
    }
}

/// The jurisdictions a form may put a new record in: the signed-in account's own and every one
/// below it, indented by depth, `selected` (an id as submitted; empty for the account's own)
/// marked. A form shows the choice only when there is more than one.
pub(super) async fn choices(
    state: &AppState,
    user: &SignedIn,
    selected: &str,
) -> Result<Vec<SelectOption>, WebError> {
    let own = user.subject.jurisdiction_id.to_string();
    let selected = if selected.trim().is_empty() {
        own.as_str()
    } else {
        selected.trim()
    };
    Ok(state
        .store
        .jurisdictions_within(Reach::of(&user.subject))
        .await?
        .into_iter()
        .map(|(j, depth)| SelectOption {
            value: j.id.to_string(),
            label: format!("{}{}", "　".repeat(depth), display_name(&j)),
            selected: j.id.to_string() == selected,
        })
        .collect())
}

/// The jurisdiction a form chose (`submitted`, an id; empty for the account's own), if it is
/// one of [`choices`]; otherwise the field error `unknown_jurisdiction`.
pub(super) async fn chosen(
    state: &AppState,
    user: &SignedIn,
    submitted: &str,
) -> Result<Result<i64, crate::domain::FieldErrors>, WebError> {
    let submitted = submitted.trim();
    if submitted.is_empty() {
        return Ok(Ok(user.subject.jurisdiction_id));
    }
    let within = state
        .store
        .jurisdictions_within(Reach::of(&user.subject))
        .await?;
    Ok(submitted
        .parse::<i64>()
        .ok()
        .filter(|id| within.iter().any(|(j, _)| j.id == *id))
        .ok_or_else(|| {
            crate::domain::FieldErrors(vec![crate::domain::FieldError {
                field: "jurisdiction_id",
                code: "unknown_jurisdiction",
            }])
        }))
}

/// How a jurisdiction is named in lists: its name, or a placeholder while the root is unnamed.
pub(super) fn display_name(jurisdiction: &Jurisdiction) -> String {
    if jurisdiction.name.is_empty() {
        "（本级，尚未命名）".to_owned()
    } else {
        jurisdiction.name.clone()
    }
}
