//! People: list with search, department filter and paging; create, edit, deactivate and
//! reactivate (never delete). Department legal officers see and manage their own department.
//!
//! A person's page shows their entries of the registries kept in `registry_members` (人民调解员,
//! 法律援助人员, 法律顾问, 检查人员); those who may manage the registries (`authz`) add an entry
//! there, with optional validity dates and a note, and revoke one (never delete).

use crate::store::Reach;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::AppState;
use super::error::WebError;
use super::extract::{Form, Path, Query};
use super::forms::{FormErrors, ListQuery, Pager};
use super::layout::Layout;
use super::messages;
use super::routes::Routes;
use super::session::SignedIn;
use crate::authz::{self, Action};
use crate::clock::to_db_time;
use crate::domain::PersonInput;
use crate::store::StoreError;
use crate::store::org::{Department, ListFilter, Person};
use crate::store::registries::{MEMBER_REGISTRIES, RegistryMember, RegistryMemberInput};

pub(super) fn router() -> Routes {
    Routes::new()
        .get("/people", list)
        .post("/people", create)
        .get("/people/new", new_form)
        .get("/people/{id}", show)
        .post("/people/{id}", update)
        .get("/people/{id}/edit", edit_form)
        .post("/people/{id}/deactivate", deactivate)
        .post("/people/{id}/reactivate", reactivate)
        .post("/people/{id}/registries", add_registry_member)
        .post(
            "/people/{id}/registries/{entry}/revoke",
            revoke_registry_member,
        )
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
    let person = state.store.person(Reach::of(&user.subject), id).await?;
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

/// The form's person, whose department the account must manage (403 otherwise) and reach (a
/// department of another jurisdiction is refused as unknown).
async fn parse_within_reach(
    state: &AppState,
    user: &SignedIn,
    form: &PersonForm,
) -> Result<Result<PersonInput, crate::domain::FieldErrors>, WebError> {
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return Ok(Err(errors)),
    };
    authz::check(
        &user.subject,
        Action::ManagePeople {
            department: input.department_id,
        },
    )?;
    match state
        .store
        .department(Reach::of(&user.subject), input.department_id)
        .await
    {
        Ok(_) => Ok(Ok(input)),
        Err(StoreError::NotFound) => Ok(Err(crate::domain::FieldErrors(vec![
            crate::domain::FieldError {
                field: "department_id",
                code: "unknown_department",
            },
        ]))),
        Err(other) => Err(other.into()),
    }
}

async fn create(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<PersonForm>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::AddPeople)?;
    let input = match parse_within_reach(&state, &user, &form).await? {
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
    let person = state.store.person(Reach::of(&user.subject), id).await?;
    authz::check(
        &user.subject,
        Action::ManagePeople {
            department: person.department_id,
        },
    )?;
    let action = format!("/people/{id}");
    let input = match parse_within_reach(&state, &user, &form).await? {
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
    let person = state.store.person(Reach::of(&user.subject), id).await?;
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

/// The registry-entry form's raw fields.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(super) struct RegistryMemberForm {
    registry: String,
    valid_from: String,
    valid_until: String,
    note: String,
}

/// Query parameters of the person's page.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(super) struct ShowQuery {
    notice: String,
}

/// A registry entry as the person's page shows it.
struct MemberItem {
    member: RegistryMember,
    label: &'static str,
    validity: String,
    status: &'static str,
    css: &'static str,
    recorded_on: String,
}

#[derive(Template)]
#[template(path = "people/show.html")]
struct ShowPage {
    layout: Layout,
    person: Person,
    members: Vec<MemberItem>,
    can_edit: bool,
    can_manage_registries: bool,
    registries: Vec<SelectOption>,
    values: RegistryMemberForm,
    form_errors: Vec<(String, &'static str)>,
    revoke_error: Option<(i64, &'static str)>,
}

impl ShowPage {
    fn form_error(&self, field: &str) -> Option<&'static str> {
        self.form_errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| *m)
    }
}

/// What a refused registry submission brings back to the person's page.
#[derive(Default)]
struct RegistryRefusal {
    values: RegistryMemberForm,
    form_errors: Vec<(String, &'static str)>,
    revoke_error: Option<(i64, &'static str)>,
}

fn member_status(member: &RegistryMember, today: &str) -> (&'static str, &'static str) {
    if member.revoked {
        ("已撤销", "revoked")
    } else if member.valid_until.as_deref().is_some_and(|u| u < today) {
        ("已过期", "overdue")
    } else if member.valid_from.as_deref().is_some_and(|f| f > today) {
        ("尚未生效", "paused")
    } else {
        ("有效", "ok")
    }
}

fn validity(member: &RegistryMember) -> String {
    match (&member.valid_from, &member.valid_until) {
        (None, None) => "长期有效".to_owned(),
        (Some(from), None) => format!("{from} 起，长期"),
        (None, Some(until)) => format!("至 {until}"),
        (Some(from), Some(until)) => format!("{from} 至 {until}"),
    }
}

async fn render_show(
    state: &AppState,
    user: &SignedIn,
    status: StatusCode,
    person: Person,
    notice: &str,
    refused: RegistryRefusal,
) -> Result<Response, WebError> {
    let mut layout = Layout::new(&state.store, user, &person.name, "/people", Some(notice)).await?;
    layout.notice = layout
        .notice
        .or_else(|| messages::registries::notice(notice));
    let today = crate::store::cases::date_text(state.clock.now().date());
    let members = state
        .store
        .registry_members_of(person.id)
        .await?
        .into_iter()
        .map(|member| {
            let (status, css) = member_status(&member, &today);
            MemberItem {
                label: member.registry.label(),
                validity: validity(&member),
                status,
                css,
                recorded_on: member.created_at.chars().take(10).collect(),
                member,
            }
        })
        .collect();
    let registries = MEMBER_REGISTRIES
        .into_iter()
        .map(|r| SelectOption {
            value: r.code().to_owned(),
            label: r.label().to_owned(),
            selected: r.code() == refused.values.registry,
        })
        .collect();
    let page = ShowPage {
        layout,
        can_edit: authz::check(
            &user.subject,
            Action::ManagePeople {
                department: person.department_id,
            },
        )
        .is_ok(),
        can_manage_registries: authz::check(&user.subject, Action::ManageRegistries).is_ok(),
        person,
        members,
        registries,
        values: refused.values,
        form_errors: refused.form_errors,
        revoke_error: refused.revoke_error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /people/{id}`: the person and their registry entries.
async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, WebError> {
    let person = state.store.person(Reach::of(&user.subject), id).await?;
    authz::check(
        &user.subject,
        Action::ViewPeople {
            department: Some(person.department_id),
        },
    )?;
    render_show(
        &state,
        &user,
        StatusCode::OK,
        person,
        &query.notice,
        RegistryRefusal::default(),
    )
    .await
}

fn registry_errors(errors: &crate::domain::FieldErrors) -> Vec<(String, &'static str)> {
    errors
        .0
        .iter()
        .map(|e| (e.field.to_owned(), messages::registries::error(e.code)))
        .collect()
}

/// `POST /people/{id}/registries`: puts the person on a registry.
async fn add_registry_member(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<RegistryMemberForm>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ManageRegistries)?;
    let person = state.store.person(Reach::of(&user.subject), id).await?;
    let result = match RegistryMemberInput::parse(
        &form.registry,
        &form.valid_from,
        &form.valid_until,
        &form.note,
    ) {
        Ok(input) => {
            let at = to_db_time(state.clock.now());
            state
                .store
                .add_registry_member(user.subject.user_id, &at, id, &input)
                .await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/people/{id}?notice=registry_member_added")).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let refused = RegistryRefusal {
                values: form,
                form_errors: registry_errors(&errors),
                revoke_error: None,
            };
            render_show(
                &state,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                person,
                "",
                refused,
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /people/{id}/registries/{entry}/revoke`: revokes one of the person's entries.
async fn revoke_registry_member(
    State(state): State<AppState>,
    user: SignedIn,
    Path((id, entry)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ManageRegistries)?;
    let person = state.store.person(Reach::of(&user.subject), id).await?;
    let member = state
        .store
        .registry_member(Reach::of(&user.subject), entry)
        .await?;
    if member.person_id != person.id {
        return Err(WebError::NotFound);
    }
    let at = to_db_time(state.clock.now());
    match state
        .store
        .revoke_registry_member(user.subject.user_id, &at, entry)
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/people/{id}?notice=registry_member_revoked")).into_response(),
        ),
        Err(StoreError::Invalid(errors)) => {
            let code = errors.0.first().map_or("", |e| e.code);
            let refused = RegistryRefusal {
                revoke_error: Some((entry, messages::registries::error(code))),
                ..RegistryRefusal::default()
            };
            render_show(
                &state,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                person,
                "",
                refused,
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}
