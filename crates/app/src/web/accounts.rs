//! Staff accounts (administrators only): list, create with a role and department, deactivate and
//! reactivate. Passwords are hashed with Argon2id off the async workers.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::WebError;
use super::extract::{Form, Path, Query};
use super::forms::{FormErrors, ListQuery};
use super::layout::Layout;
use super::people::SelectOption;
use super::routes::Routes;
use super::session::SignedIn;
use super::{AppState, messages};
use crate::authz::{self, Action};
use crate::clock::to_db_time;
use crate::domain::{AccountInput, Role};
use crate::store::{Reach, StoreError};

pub(super) fn router() -> Routes {
    Routes::new()
        .get("/accounts", list)
        .post("/accounts", create)
        .post("/accounts/{id}/deactivate", deactivate)
        .post("/accounts/{id}/reactivate", reactivate)
}

/// An account as listed.
#[derive(Debug, Clone)]
struct AccountRow {
    id: i64,
    username: String,
    display_name: String,
    role_label: &'static str,
    jurisdiction: String,
    department: String,
    active: bool,
    is_self: bool,
}

#[derive(Template)]
#[template(path = "accounts.html")]
struct AccountsPage {
    layout: Layout,
    accounts: Vec<AccountRow>,
    values: AccountForm,
    roles: Vec<SelectOption>,
    jurisdictions: Vec<SelectOption>,
    departments: Vec<SelectOption>,
    errors: FormErrors,
}

/// The new-account form's raw fields.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(super) struct AccountForm {
    username: String,
    display_name: String,
    role: String,
    /// For a jurisdiction-wide role: the jurisdiction (an id; empty: the administrator's own).
    /// A department role works where its department is.
    jurisdiction_id: String,
    department_id: String,
    password: String,
}

async fn render(
    state: &AppState,
    user: &SignedIn,
    status: StatusCode,
    values: AccountForm,
    errors: FormErrors,
    notice: Option<&str>,
) -> Result<Response, WebError> {
    let layout = Layout::new(&state.store, user, "账号", "/accounts", notice).await?;
    let reach = Reach::of(&user.subject);
    let departments = state
        .store
        .active_departments(authz::department_scope(&user.subject))
        .await?;
    let jurisdictions = state.store.jurisdictions_within(reach).await?;
    let accounts = state
        .store
        .users_within(reach)
        .await?
        .into_iter()
        .map(|account| AccountRow {
            id: account.id,
            is_self: account.id == user.subject.user_id,
            jurisdiction: jurisdictions
                .iter()
                .find(|(j, _)| j.id == account.jurisdiction_id)
                .map_or_else(String::new, |(j, _)| super::jurisdictions::display_name(j)),
            department: account
                .department_id
                .and_then(|id| departments.iter().find(|d| d.id == id))
                .map_or_else(|| "—".to_owned(), |d| d.name.clone()),
            username: account.username,
            display_name: account.display_name,
            role_label: messages::role_label(account.role),
            active: account.active,
        })
        .collect();
    let roles = Role::ALL
        .into_iter()
        .map(|role| SelectOption {
            value: role.code().to_owned(),
            label: messages::role_label(role).to_owned(),
            selected: role.code() == values.role,
        })
        .collect();
    let departments = departments
        .iter()
        .map(|d| SelectOption {
            value: d.id.to_string(),
            label: if layout.supervises {
                format!("{}·{}", d.jurisdiction_name, d.name)
            } else {
                d.name.clone()
            },
            selected: d.id.to_string() == values.department_id,
        })
        .collect();
    let jurisdictions = super::jurisdictions::choices(state, user, &values.jurisdiction_id).await?;
    let page = AccountsPage {
        layout,
        accounts,
        values: AccountForm {
            password: String::new(),
            ..values
        },
        roles,
        jurisdictions,
        departments,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn list(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ManageAccounts)?;
    render(
        &state,
        &user,
        StatusCode::OK,
        AccountForm::default(),
        FormErrors::default(),
        Some(&query.notice),
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<AccountForm>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ManageAccounts)?;
    let mut parsed = AccountInput::parse(
        &form.username,
        &form.role,
        &form.department_id,
        &form.display_name,
        &form.password,
    );
    // The parser drops a department that is not an id for roles that need none; what was typed
    // is refused instead, so that an account is never created other than as submitted.
    let typed = form.department_id.trim();
    if !typed.is_empty() && !typed.parse::<i64>().is_ok_and(|id| id > 0) {
        let mut errors = parsed.err().unwrap_or_default();
        errors.0.retain(|e| e.field != "department_id");
        errors.0.push(crate::domain::FieldError {
            field: "department_id",
            code: "unknown_department",
        });
        parsed = Err(errors);
    }
    // Where the account works: its department's jurisdiction (a department the administrator
    // reaches), or the jurisdiction chosen for a jurisdiction-wide role.
    let place = match parsed.as_ref().ok().and_then(|input| input.department_id) {
        Some(department) => match state
            .store
            .department(Reach::of(&user.subject), department)
            .await
        {
            Ok(department) => Ok(department.jurisdiction_id),
            Err(StoreError::NotFound) => Err(crate::domain::FieldErrors(vec![
                crate::domain::FieldError {
                    field: "department_id",
                    code: "unknown_department",
                },
            ])),
            Err(other) => return Err(other.into()),
        },
        None => super::jurisdictions::chosen(&state, &user, &form.jurisdiction_id).await?,
    };
    let input = match (parsed, place) {
        (Ok(input), Ok(jurisdiction_id)) => AccountInput {
            jurisdiction_id,
            ..input
        },
        (parsed, place) => {
            let mut errors = parsed.err().unwrap_or_default();
            errors.0.extend(place.err().unwrap_or_default().0);
            return render(
                &state,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                FormErrors::from(&errors),
                None,
            )
            .await;
        }
    };
    let password = form.password.clone();
    let hash = tokio::task::spawn_blocking(move || crate::password::hash(&password))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let at = to_db_time(state.clock.now());
    match state
        .store
        .create_user(Some(user.subject.user_id), &at, &input, &hash)
        .await
    {
        Ok(_) => Ok(Redirect::to("/accounts?notice=account_created").into_response()),
        Err(StoreError::Invalid(errors)) => {
            render(
                &state,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                FormErrors::from(&errors),
                None,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

async fn set_active(
    state: &AppState,
    user: &SignedIn,
    id: i64,
    active: bool,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ManageAccounts)?;
    state
        .store
        .user_within(Reach::of(&user.subject), id)
        .await?;
    if id == user.subject.user_id && !active {
        // Locking oneself out would leave the system without the administrator who did it.
        return Err(WebError::Forbidden(
            "不能停用当前登录的本人账号。".to_owned(),
        ));
    }
    let at = to_db_time(state.clock.now());
    state
        .store
        .set_user_active(Some(user.subject.user_id), &at, id, active)
        .await?;
    let notice = if active {
        "account_reactivated"
    } else {
        "account_deactivated"
    };
    Ok(Redirect::to(&format!("/accounts?notice={notice}")).into_response())
}

async fn deactivate(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    set_active(&state, &user, id, false).await
}

async fn reactivate(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    set_active(&state, &user, id, true).await
}
