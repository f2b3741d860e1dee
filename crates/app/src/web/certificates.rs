//! The enforcement-certificate registry: the list (search by holder or number, filter valid /
//! expiring within 90 days / expired / revoked, paging), recording a certificate for a person,
//! revoking one with its reason, and importing a CSV file (every bad row reported, nothing
//! written unless all are good). The justice bureau's staff manage the whole jurisdiction;
//! department legal officers their own department (`authz`).

use crate::store::Reach;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::AppState;
use super::error::WebError;
use super::extract::{Form, Path, Query};
use super::layout::Layout;
use super::messages;
use super::people::SelectOption;
use super::routes::Routes;
use super::session::SignedIn;
use crate::authz::{self, Action};
use crate::certificates::{self, Holder, MAX_IMPORT_BYTES, RowError};
use crate::clock::to_db_time;
use crate::store::StoreError;
use crate::store::certificates::{CertificateFilter, CertificateRow, CertificateStatus};
use crate::store::org::ListFilter;

pub(super) fn router() -> Routes {
    Routes::new()
        .get("/certificates", list)
        .post("/certificates", record)
        .post("/certificates/{id}/revoke", revoke)
        .upload("/certificates/import", import, MAX_IMPORT_BYTES + 64 * 1024)
}

/// Query parameters of the list.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(super) struct CertificateQuery {
    q: String,
    status: String,
    page: String,
    notice: String,
}

impl CertificateQuery {
    fn page(&self) -> i64 {
        super::forms::page_number(&self.page)
    }

    fn href(&self, page: i64) -> String {
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            serializer.append_pair("q", &self.q);
        }
        if !self.status.is_empty() {
            serializer.append_pair("status", &self.status);
        }
        serializer.append_pair("page", &page.to_string());
        format!("/certificates?{}", serializer.finish())
    }
}

/// The new-certificate form's raw fields.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(super) struct RecordForm {
    person_id: String,
    number: String,
    field_of_law: String,
    valid_from: String,
    valid_until: String,
}

/// The revocation form.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub(super) struct RevokeForm {
    reason: String,
}

/// A certificate in the list.
struct Item {
    row: CertificateRow,
    status: &'static str,
    css: &'static str,
    can_manage: bool,
}

#[derive(Template)]
#[template(path = "certificates/list.html")]
struct ListPage {
    layout: Layout,
    items: Vec<Item>,
    query_q: String,
    statuses: Vec<SelectOption>,
    total: i64,
    page: i64,
    n_pages: i64,
    previous: Option<String>,
    next: Option<String>,
    can_manage: bool,
    can_import: bool,
    people: Vec<SelectOption>,
    values: RecordForm,
    form_errors: Vec<(String, String)>,
    revoke_error: Option<(i64, String)>,
    import_errors: Vec<String>,
}

impl ListPage {
    fn form_error(&self, field: &str) -> Option<&str> {
        self.form_errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// What a refused submission brings back to the page.
#[derive(Default)]
struct Refused {
    values: RecordForm,
    form_errors: Vec<(String, String)>,
    revoke_error: Option<(i64, String)>,
    import_errors: Vec<String>,
}

fn status_of(row: &CertificateRow, today: &str, horizon: &str) -> (&'static str, &'static str) {
    if row.revoked {
        ("已注销", "revoked")
    } else if row.valid_until.as_str() < today {
        ("已过期", "overdue")
    } else if row.valid_from.as_str() > today {
        ("尚未生效", "paused")
    } else if row.valid_until.as_str() <= horizon {
        ("90日内到期", "warning")
    } else {
        ("有效", "ok")
    }
}

async fn render(
    state: &AppState,
    user: &SignedIn,
    query: &CertificateQuery,
    status: StatusCode,
    refused: Refused,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ViewCertificates { department: None })?;
    let scope = authz::department_scope(&user.subject);
    let today = state.clock.now().date();
    let filter = CertificateFilter {
        query: query.q.clone(),
        status: CertificateStatus::from_code(&query.status),
        today,
        page: query.page(),
        per_page: 30,
    };
    let page = state.store.list_certificates(scope, &filter).await?;
    let today_text = crate::store::cases::date_text(today);
    let horizon = crate::store::cases::date_text(
        today + time::Duration::days(crate::store::certificates::EXPIRING_WITHIN_DAYS),
    );
    let n_pages = page.n_pages();
    let items = page
        .items
        .into_iter()
        .map(|row| {
            let (status, css) = status_of(&row, &today_text, &horizon);
            let can_manage = authz::check(
                &user.subject,
                Action::ManageCertificates {
                    department: Some(row.department_id),
                },
            )
            .is_ok();
            Item {
                row,
                status,
                css,
                can_manage,
            }
        })
        .collect();
    let can_manage = authz::check(
        &user.subject,
        Action::ManageCertificates { department: None },
    )
    .is_ok();
    let people = if can_manage {
        let filter = ListFilter {
            page: 1,
            per_page: 200,
            ..ListFilter::default()
        };
        state
            .store
            .list_people(scope, &filter)
            .await?
            .items
            .into_iter()
            .map(|p| SelectOption {
                selected: p.id.to_string() == refused.values.person_id,
                value: p.id.to_string(),
                label: format!("{}（{}，编号 {}）", p.name, p.department_name, p.id),
            })
            .collect()
    } else {
        Vec::new()
    };
    let statuses = [
        ("", "全部"),
        ("valid", "有效"),
        ("expiring", "90日内到期"),
        ("expired", "已过期"),
        ("revoked", "已注销"),
    ]
    .into_iter()
    .map(|(value, label)| SelectOption {
        value: value.into(),
        label: label.into(),
        selected: value == query.status,
    })
    .collect();
    let layout = Layout::new(
        &state.store,
        user,
        "执法证件",
        "/certificates",
        Some(&query.notice),
    )
    .await?;
    let html = ListPage {
        layout,
        items,
        query_q: query.q.clone(),
        statuses,
        total: page.total,
        page: page.page,
        n_pages,
        previous: (page.page > 1).then(|| query.href(page.page - 1)),
        next: (page.page < n_pages).then(|| query.href(page.page + 1)),
        can_manage,
        can_import: authz::check(&user.subject, Action::ImportCertificates).is_ok(),
        people,
        values: refused.values,
        form_errors: refused.form_errors,
        revoke_error: refused.revoke_error,
        import_errors: refused.import_errors,
    }
    .render()?;
    Ok((status, Html(html)).into_response())
}

async fn list(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<CertificateQuery>,
) -> Result<Response, WebError> {
    render(&state, &user, &query, StatusCode::OK, Refused::default()).await
}

fn form_errors(errors: &[RowError]) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|e| {
            let field = if e.field == "holder" {
                "person_id"
            } else {
                e.field
            };
            (
                field.to_owned(),
                messages::certificate_error(e.code).to_owned(),
            )
        })
        .collect()
}

/// `POST /certificates`: records one certificate for a person of a department the user manages.
async fn record(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<RecordForm>,
) -> Result<Response, WebError> {
    authz::check(
        &user.subject,
        Action::ManageCertificates { department: None },
    )?;
    let refuse = |errors: Vec<(String, String)>, values: RecordForm| Refused {
        values,
        form_errors: errors,
        ..Refused::default()
    };
    let query = CertificateQuery::default();
    let person = match form.person_id.trim().parse::<i64>() {
        Ok(id) => state
            .store
            .person(Reach::of(&user.subject), id)
            .await
            .ok()
            .filter(|p| p.active),
        Err(_) => None,
    };
    let Some(person) = person else {
        let errors = vec![(
            "person_id".to_owned(),
            messages::certificate_error("unknown_person").to_owned(),
        )];
        return render(
            &state,
            &user,
            &query,
            StatusCode::UNPROCESSABLE_ENTITY,
            refuse(errors, form),
        )
        .await;
    };
    authz::check(
        &user.subject,
        Action::ManageCertificates {
            department: Some(person.department_id),
        },
    )?;
    let input = match certificates::check_fields(
        0,
        Holder::PersonId(person.id),
        &form.number,
        &form.field_of_law,
        &form.valid_from,
        &form.valid_until,
    ) {
        Ok(input) => input,
        Err(errors) => {
            return render(
                &state,
                &user,
                &query,
                StatusCode::UNPROCESSABLE_ENTITY,
                refuse(form_errors(&errors), form),
            )
            .await;
        }
    };
    let at = to_db_time(state.clock.now());
    match state
        .store
        .record_certificate(user.subject.user_id, &at, person.id, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to("/certificates?notice=certificate_recorded").into_response()),
        Err(StoreError::Invalid(errors)) => {
            let errors = errors
                .0
                .iter()
                .map(|e| {
                    (
                        e.field.to_owned(),
                        messages::certificate_error(e.code).to_owned(),
                    )
                })
                .collect();
            render(
                &state,
                &user,
                &query,
                StatusCode::UNPROCESSABLE_ENTITY,
                refuse(errors, form),
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /certificates/{id}/revoke`: revokes a certificate, with its reason.
async fn revoke(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Form(form): Form<RevokeForm>,
) -> Result<Response, WebError> {
    let certificate = state
        .store
        .certificate(Reach::of(&user.subject), id)
        .await?;
    authz::check(
        &user.subject,
        Action::ManageCertificates {
            department: Some(certificate.department_id),
        },
    )?;
    let at = to_db_time(state.clock.now());
    match state
        .store
        .revoke_certificate(user.subject.user_id, &at, id, &form.reason)
        .await
    {
        Ok(()) => Ok(Redirect::to("/certificates?notice=certificate_revoked").into_response()),
        Err(StoreError::Invalid(errors)) => {
            let code = errors.0.first().map_or("", |e| e.code);
            let query = CertificateQuery {
                q: certificate.number.clone(),
                ..CertificateQuery::default()
            };
            render(
                &state,
                &user,
                &query,
                StatusCode::UNPROCESSABLE_ENTITY,
                Refused {
                    revoke_error: Some((
                        id,
                        format!(
                            "{}：{}",
                            messages::certificate_column("reason"),
                            messages::certificate_error(code)
                        ),
                    )),
                    ..Refused::default()
                },
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}

/// The file part of the import form, read no further than one byte past the limit.
async fn read_file(multipart: &mut Multipart) -> Result<Vec<u8>, &'static str> {
    let mut ignored = Vec::new();
    match super::forms::read_upload(multipart, "file", MAX_IMPORT_BYTES, &mut ignored).await {
        Ok((_, content)) => Ok(content),
        Err(super::forms::UploadError::TooLarge) => Err("file_too_large"),
        Err(super::forms::UploadError::Missing) => Err("empty_file"),
        Err(super::forms::UploadError::Malformed) => Err("malformed_csv"),
    }
}

fn row_message(error: &RowError) -> String {
    let message = messages::certificate_error(error.code);
    if error.row == 0 {
        message.to_owned()
    } else {
        format!(
            "第 {} 行，{}：{}",
            error.row,
            messages::certificate_column(error.field),
            message
        )
    }
}

/// `POST /certificates/import`: a CSV file of certificates, all recorded or none.
async fn import(
    State(state): State<AppState>,
    user: SignedIn,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ImportCertificates)?;
    let bytes = match multipart {
        Ok(mut multipart) => read_file(&mut multipart).await,
        Err(_) => Err("malformed_csv"),
    };
    let file_error = |code| {
        vec![RowError {
            row: 0,
            field: "file",
            code,
        }]
    };
    let parsed = bytes
        .map_err(file_error)
        .and_then(|bytes| certificates::parse_csv_rows(&bytes));
    let errors = match parsed {
        Ok((rows, earlier)) => {
            let at = to_db_time(state.clock.now());
            let scope = authz::department_scope(&user.subject);
            match state
                .store
                .import_certificates(user.subject.user_id, &at, scope, &rows, earlier)
                .await?
            {
                Ok(_) => {
                    return Ok(
                        Redirect::to("/certificates?notice=certificates_imported").into_response()
                    );
                }
                Err(errors) => errors,
            }
        }
        Err(errors) => errors,
    };
    render(
        &state,
        &user,
        &CertificateQuery::default(),
        StatusCode::UNPROCESSABLE_ENTITY,
        Refused {
            import_errors: errors.iter().map(row_message).collect(),
            ..Refused::default()
        },
    )
    .await
}
