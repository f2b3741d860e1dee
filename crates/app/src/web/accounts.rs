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
use crate::authz::{self, Action, Scope};
use crate::clock::to_db_time;
use crate::domain::{AccountInput, Role};
use crate::store::StoreError;

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
    let departments = state.store.active_departments(Scope::All).await?;
    let accounts = state
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|account| AccountRow {
            id: account.id,
            is_self: account.id == user.subject.user_id,
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
            label: d.name.clone(),
            selected: d.id.to_string() == values.department_id,
        })
        .collect();
    let page = AccountsPage {
        layout,
        accounts,
        values: AccountForm {
            password: String::new(),
            ..values
        },
        roles,
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
    let input = match parsed {
        Ok(input) => input,
        Err(errors) => {
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
