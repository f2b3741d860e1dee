//! People: list with search, department filter and paging; create, edit, deactivate and
//! reactivate (never delete). Department legal officers see and manage their own department.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::AppState;
use super::error::WebError;
use super::forms::{FormErrors, ListQuery, Pager};
use super::layout::Layout;
use super::session::SignedIn;
use crate::authz::{self, Action};
use crate::clock::to_db_time;
use crate::domain::PersonInput;
use crate::store::StoreError;
use crate::store::org::{Department, ListFilter, Person};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/people", get(list).post(create))
        .route("/people/new", get(new_form))
        .route("/people/{id}", post(update))
        .route("/people/{id}/edit", get(edit_form))
        .route("/people/{id}/deactivate", post(deactivate))
        .route("/people/{id}/reactivate", post(reactivate))
}

/// A `<select>` option.
#[derive(Debug, Clone)]
pub struct SelectOption {
    /// Submitted value.
    pub value: String,
    /// Shown label.
    pub label: String,
    /// Whether it is selected.
    pub selected: bool,
}

fn department_options(departments: &[Department], selected: &str) -> Vec<SelectOption> {
    departments
        .iter()
        .map(|d| SelectOption {
            value: d.id.to_string(),
            label: d.name.clone(),
            selected: d.id.to_string() == selected,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "people/list.html")]
struct ListPage {
    layout: Layout,
    people: Vec<Person>,
    query: ListQuery,
    pager: Pager,
    departments: Vec<SelectOption>,
    can_manage: bool,
}

#[derive(Template)]
#[template(path = "people/form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    values: PersonForm,
    departments: Vec<SelectOption>,
    errors: FormErrors,
    is_new: bool,
    person_id: i64,
    active: bool,
}

/// The person form's raw fields.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(super) struct PersonForm {
    department_id: String,
    name: String,
    position: String,
    phone: String,
}

impl PersonForm {
    fn parse(&self) -> Result<PersonInput, crate::domain::FieldErrors> {
        PersonInput::parse(&self.department_id, &self.name, &self.position, &self.phone)
    }
}

async fn list(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, WebError> {
    authz::check(
        &user.subject,
        Action::ViewPeople {
            department: query.department_id(),
        },
    )?;
    let scope = authz::department_scope(&user.subject);
    let filter = ListFilter {
        query: query.q.clone(),
        department_id: query.department_id(),
        include_inactive: query.include_inactive(),
        page: query.page(),
        per_page: 20,
    };
    let page = state.store.list_people(scope, &filter).await?;
    let departments = state.store.active_departments(scope).await?;
    let layout = Layout::new(&state.store, &user, "人员", "/people", Some(&query.notice)).await?;
    let pager = Pager::new(&page, "/people", &query);
    let can_manage = authz::check(&user.subject, Action::AddPeople).is_ok();
    Ok(Html(
        ListPage {
            layout,
            people: page.items,
            departments: department_options(&departments, &query.department),
            query,
            pager,
            can_manage,
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
    values: PersonForm,
    errors: FormErrors,
    person: Option<&Person>,
) -> Result<Response, WebError> {
    let title = if person.is_none() {
        "新增人员"
    } else {
        "修改人员"
    };
    let layout = Layout::new(&state.store, user, title, "/people", None).await?;
    let scope = authz::department_scope(&user.subject);
    let departments = state.store.active_departments(scope).await?;
    let page = FormPage {
        layout,
        action,
        departments: department_options(&departments, &values.department_id),
        values,
        errors,
        is_new: person.is_none(),
        person_id: person.map_or(0, |p| p.id),
        active: person.is_none_or(|p| p.active),
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn new_form(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::AddPeople)?;
    let department = query.department_id().or(user.subject.department_id);
    if let Some(department) = department {
        authz::check(&user.subject, Action::ManagePeople { department })?;
    }
    let values = PersonForm {
        department_id: department.map(|d| d.to_string()).unwrap_or_default(),
        ..PersonForm::default()
    };
    render_form(
        &state,
        &user,
        StatusCode::OK,
        "/people".into(),
        values,
        FormErrors::default(),
        None,
    )
    .await
}

async fn edit_form(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let person = state.store.person(id).await?;
    authz::check(
        &user.subject,
        Action::ManagePeople {
            department: person.department_id,
        },
    )?;
    let values = PersonForm {
        department_id: person.department_id.to_string(),
        name: person.name.clone(),
        position: person.position.clone(),
        phone: person.phone.clone(),
    };
    render_form(
        &state,
        &user,
        StatusCode::OK,
        format!("/people/{id}"),
        values,
        FormErrors::default(),
        Some(&person),
    )
    .await
}

async fn refused_form(
    state: &AppState,
    user: &SignedIn,
    action: String,
    values: PersonForm,
    error: StoreError,
    person: Option<&Person>,
) -> Result<Response, WebError> {
    match error {
        StoreError::Invalid(errors) => {
            render_form(
                state,
                user,
                StatusCode::UNPROCESSABLE_ENTITY,
                action,
                values,
                FormErrors::from(&errors),
                person,
            )
            .await
        }
        other => Err(other.into()),
    }
}

async fn create(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<PersonForm>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::AddPeople)?;
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => {
            return refused_form(
                &state,
                &user,
                "/people".into(),
                form,
                StoreError::Invalid(errors),
                None,
            )
            .await;
        }
    };
    authz::check(
        &user.subject,
        Action::ManagePeople {
            department: input.department_id,
        },
    )?;
    let at = to_db_time(state.clock.now());
    match state
        .store
        .create_person(Some(user.subject.user_id), &at, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/people?department={}&notice=person_created",
            input.department_id
        ))
        .into_response()),
        Err(error) => refused_form(&state, &user, "/people".into(), form, error, None).await,
    }
}

async fn update(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<PersonForm>,
) -> Result<Response, WebError> {
    let person = state.store.person(id).await?;
    authz::check(
        &user.subject,
        Action::ManagePeople {
            department: person.department_id,
        },
    )?;
    let action = format!("/people/{id}");
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => {
            return refused_form(
                &state,
                &user,
                action,
                form,
                StoreError::Invalid(errors),
                Some(&person),
            )
            .await;
        }
    };
    // Moving someone requires rights over the destination too.
    authz::check(
        &user.subject,
        Action::ManagePeople {
            department: input.department_id,
        },
    )?;
    let at = to_db_time(state.clock.now());
    match state
        .store
        .update_person(Some(user.subject.user_id), &at, id, &input)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/people?department={}&notice=person_updated",
            input.department_id
        ))
        .into_response()),
        Err(error) => refused_form(&state, &user, action, form, error, Some(&person)).await,
    }
}

async fn set_active(
    state: &AppState,
    user: &SignedIn,
    id: i64,
    active: bool,
) -> Result<Response, WebError> {
    let person = state.store.person(id).await?;
    authz::check(
        &user.subject,
        Action::ManagePeople {
            department: person.department_id,
        },
    )?;
    let at = to_db_time(state.clock.now());
    state
        .store
        .set_person_active(Some(user.subject.user_id), &at, id, active)
        .await?;
    let notice = if active {
        "person_reactivated"
    } else {
        "person_deactivated"
    };
    Ok(Redirect::to(&format!(
        "/people?department={}&inactive=1&notice={notice}",
        person.department_id
    ))
    .into_response())
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
