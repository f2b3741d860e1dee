//! Departments: list with search and paging, create, edit, deactivate and reactivate (never
//! delete). Viewing follows `authz::department_scope`; changes are for administrators.

use super::extract::{Form, Path, Query};
use crate::store::Reach;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::AppState;
use super::error::WebError;
use super::forms::{FormErrors, ListQuery, Pager};
use super::layout::Layout;
use super::people::SelectOption;
use super::routes::Routes;
use super::session::SignedIn;
use crate::authz::{self, Action};
use crate::clock::to_db_time;
use crate::domain::DepartmentInput;
use crate::store::StoreError;
use crate::store::org::{Department, ListFilter};

pub(super) fn router() -> Routes {
    Routes::new()
        .get("/departments", list)
        .post("/departments", create)
        .get("/departments/new", new_form)
        .get("/departments/{id}", show)
        .post("/departments/{id}", update)
        .get("/departments/{id}/edit", edit_form)
        .post("/departments/{id}/deactivate", deactivate)
        .post("/departments/{id}/reactivate", reactivate)
}

#[derive(Template)]
#[template(path = "departments/list.html")]
struct ListPage {
    layout: Layout,
    departments: Vec<Department>,
    query: ListQuery,
    pager: Pager,
    can_manage: bool,
}

#[derive(Template)]
#[template(path = "departments/form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    /// Where a new department may go (shown when there is more than one choice).
    jurisdictions: Vec<SelectOption>,
    values: DepartmentForm,
    errors: FormErrors,
    is_new: bool,
}

#[derive(Template)]
#[template(path = "departments/show.html")]
struct ShowPage {
    layout: Layout,
    department: Department,
    can_manage: bool,
    can_view_people: bool,
}

/// The department form's raw fields.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(super) struct DepartmentForm {
    /// The jurisdiction of a new department (an id; empty: the account's own).
    #[serde(default)]
    jurisdiction_id: String,
    name: String,
    kind: String,
    is_justice_bureau: Option<String>,
    legal_contact_name: String,
    legal_contact_phone: String,
}

impl DepartmentForm {
    fn parse(&self) -> Result<DepartmentInput, crate::domain::FieldErrors> {
        DepartmentInput::parse(
            &self.name,
            &self.kind,
            self.is_justice_bureau.is_some(),
            &self.legal_contact_name,
            &self.legal_contact_phone,
        )
    }

    fn from_department(department: &Department) -> Self {
        Self {
            name: department.name.clone(),
            kind: department.kind.clone(),
            is_justice_bureau: department.is_justice_bureau.then(|| "on".to_owned()),
            legal_contact_name: department.legal_contact_name.clone(),
            legal_contact_phone: department.legal_contact_phone.clone(),
            jurisdiction_id: department.jurisdiction_id.to_string(),
        }
    }
}

async fn list(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, WebError> {
    authz::check(&user.subject, Action::ViewDepartments)?;
    let scope = authz::department_scope(&user.subject);
    let filter = ListFilter {
        query: query.q.clone(),
        department_id: None,
        include_inactive: query.include_inactive(),
        page: query.page(),
        per_page: 20,
    };
    let page = state.store.list_departments(scope, &filter).await?;
    let layout = Layout::new(
        &state.store,
        &user,
        "部门",
        "/departments",
        Some(&query.notice),
    )
    .await?;
    let pager = Pager::new(&page, "/departments", &query);
    Ok(Html(
        ListPage {
            layout,
            departments: page.items,
            query,
            pager,
            can_manage: authz::check(&user.subject, Action::ManageDepartments).is_ok(),
        }
        .render()?,
    ))
}

async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, WebError> {
    authz::check(&user.subject, Action::ViewDepartments)?;
    authz::check(
        &user.subject,
        Action::ViewPeople {
            department: Some(id),
        },
    )?;
    let department = state.store.department(Reach::of(&user.subject), id).await?;
    let layout = Layout::new(
        &state.store,
        &user,
        &department.name,
        "/departments",
        Some(&query.notice),
    )
    .await?;
    Ok(Html(
        ShowPage {
            layout,
            department,
            can_manage: authz::check(&user.subject, Action::ManageDepartments).is_ok(),
            can_view_people: true,
        }
        .render()?,
    ))
}

async fn render_form(
    state: &AppState,
    user: &SignedIn,
    status: StatusCode,
    action: String,
    values: DepartmentForm,
    errors: FormErrors,
    is_new: bool,
) -> Result<Response, WebError> {
    let title = if is_new {
        "新增部门"
    } else {
        "修改部门"
    };
    let layout = Layout::new(&state.store, user, title, "/departments", None).await?;
    let jurisdictions = if is_new {
        super::jurisdictions::choices(state, user, &values.jurisdiction_id).await?
    } else {
        Vec::new()
    };
    let page = FormPage {
        layout,
        action,
        jurisdictions,
        values,
        errors,
        is_new,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn new_form(State(state): State<AppState>, user: SignedIn) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ManageDepartments)?;
    let values = DepartmentForm {
        kind: "政府工作部门".to_owned(),
        ..DepartmentForm::default()
    };
    render_form(
        &state,
        &user,
        StatusCode::OK,
        "/departments".into(),
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
    authz::check(&user.subject, Action::ManageDepartments)?;
    let department = state.store.department(Reach::of(&user.subject), id).await?;
    let values = DepartmentForm::from_department(&department);
    render_form(
        &state,
        &user,
        StatusCode::OK,
        format!("/departments/{id}"),
        values,
        FormErrors::default(),
        false,
    )
    .await
}

/// Turns a failed save into the form page with field messages (422), or an error response.
async fn refused_form(
    state: &AppState,
    user: &SignedIn,
    action: String,
    values: DepartmentForm,
    error: StoreError,
    is_new: bool,
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
                is_new,
            )
            .await
        }
        other => Err(other.into()),
    }
}

async fn create(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<DepartmentForm>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ManageDepartments)?;
    let parsed = form.parse();
    let jurisdiction = super::jurisdictions::chosen(&state, &user, &form.jurisdiction_id).await?;
    let (input, jurisdiction_id) = match (parsed, jurisdiction) {
        (Ok(input), Ok(jurisdiction_id)) => (input, jurisdiction_id),
        (parsed, jurisdiction) => {
            let mut errors = parsed.err().unwrap_or_default();
            errors.0.extend(jurisdiction.err().unwrap_or_default().0);
            return refused_form(
                &state,
                &user,
                "/departments".into(),
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
        .create_department(Some(user.subject.user_id), &at, jurisdiction_id, &input)
        .await
    {
        Ok(id) => Ok(
            Redirect::to(&format!("/departments/{id}?notice=department_created")).into_response(),
        ),
        Err(error) => refused_form(&state, &user, "/departments".into(), form, error, true).await,
    }
}

async fn update(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<DepartmentForm>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ManageDepartments)?;
    state.store.department(Reach::of(&user.subject), id).await?;
    let action = format!("/departments/{id}");
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => {
            return refused_form(
                &state,
                &user,
                action,
                form,
                StoreError::Invalid(errors),
                false,
            )
            .await;
        }
    };
    let at = to_db_time(state.clock.now());
    match state
        .store
        .update_department(Some(user.subject.user_id), &at, id, &input)
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/departments/{id}?notice=department_updated")).into_response(),
        ),
        Err(error) => refused_form(&state, &user, action, form, error, false).await,
    }
}

async fn set_active(
    state: &AppState,
    user: &SignedIn,
    id: i64,
    active: bool,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ManageDepartments)?;
    state.store.department(Reach::of(&user.subject), id).await?;
    let at = to_db_time(state.clock.now());
    state
        .store
        .set_department_active(Some(user.subject.user_id), &at, id, active)
        .await?;
    let notice = if active {
        "department_reactivated"
    } else {
        "department_deactivated"
    };
    Ok(Redirect::to(&format!("/departments/{id}?notice={notice}")).into_response())
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
