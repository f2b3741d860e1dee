//! 数据填报: departments submit, once a year, the figures no case record gives — on a web form
//! or on the XLSX template they download, fill and upload. Both paths apply the same rules
//! (`fazhi_report::workbook`); a submission with any error stores nothing and lists every
//! error. The 司法局 sees which departments of its jurisdiction have not submitted (a supervisor
//! may choose a jurisdiction below its own, `?jurisdiction=<id>`); a submission belongs to its
//! department's jurisdiction.

use crate::store::Reach;
use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use fazhi_report::workbook::{self, CellError, FormField, Item, ItemKind, Sheet};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::AppState;
use super::error::WebError;
use super::extract::{Form, Path, Query};
use super::layout::Layout;
use super::routes::Routes;
use super::session::SignedIn;
use crate::authz::{self, Action, Scope};
use crate::indicators::Extent;
use crate::store::reports::NewSubmission;

pub(super) fn router() -> Routes {
    Routes::new()
        .get("/submissions", overview)
        .get("/submissions/{department}/{year}", form_page)
        .post("/submissions/{department}/{year}", submit_form)
        .get(
            "/submissions/{department}/{year}/template.xlsx",
            download_template,
        )
        .upload(
            "/submissions/{department}/{year}/upload",
            upload,
            MAX_WORKBOOK_BYTES + 64 * 1024,
        )
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(super) struct YearQuery {
    year: String,
    jurisdiction: String,
    notice: String,
}

/// Largest workbook accepted (the parser refuses larger ones too).
const MAX_WORKBOOK_BYTES: usize = 5 * 1024 * 1024;

/// The year asked for; by default the last complete year (the report year).
fn year_of(text: &str, state: &AppState) -> Result<i32, WebError> {
    super::forms::parse_year(text, state.clock.now().year() - 1)
}

struct DepartmentStatus {
    id: i64,
    name: String,
    submitted: Option<String>,
}

#[derive(Template)]
#[template(path = "submissions/overview.html")]
struct OverviewPage {
    layout: Layout,
    year: i32,
    jurisdiction_id: i64,
    jurisdiction_name: String,
    /// The jurisdictions within reach (id, name indented by depth), when there is a choice.
    jurisdictions: Vec<(i64, String)>,
    statuses: Vec<DepartmentStatus>,
    missing: usize,
}

async fn overview(
    State(state): State<AppState>,
    user: SignedIn,
    Query(query): Query<YearQuery>,
) -> Result<Response, WebError> {
    let year = year_of(&query.year, &state)?;
    let scope = authz::department_scope(&user.subject);
    if let Scope::Department(own) = scope {
        return Ok(Redirect::to(&format!("/submissions/{own}/{year}")).into_response());
    }
    authz::check(&user.subject, Action::SubmitFigures { department: 0 })?;
    let store = &state.store;
    let within = store.jurisdictions_within(Reach::of(&user.subject)).await?;
    let jurisdiction_id = match query.jurisdiction.trim() {
        "" => user.subject.jurisdiction_id,
        text => text
            .parse::<i64>()
            .map_err(|_| WebError::BadRequest(super::messages::figures::BAD_JURISDICTION.into()))?,
    };
    // A jurisdiction outside the account's reach is not found.
    let Some((jurisdiction, _)) = within.iter().find(|(j, _)| j.id == jurisdiction_id) else {
        return Err(WebError::NotFound);
    };
    let jurisdiction_name = jurisdiction.name.clone();
    let submissions = store
        .submissions(Extent::alone(jurisdiction_id), year, None)
        .await?;
    let statuses: Vec<DepartmentStatus> = store
        .active_departments(Scope::Subtree(jurisdiction_id))
        .await?
        .into_iter()
        .filter(|d| d.jurisdiction_id == jurisdiction_id)
        .map(|d| DepartmentStatus {
            submitted: submissions
                .iter()
                .find(|s| s.department_id == d.id)
                .map(|s| {
                    format!(
                        "{}（{}，{}）",
                        s.submitted_at,
                        s.submitted_by,
                        source_label(&s.source)
                    )
                }),
            id: d.id,
            name: d.name,
        })
        .collect();
    let missing = statuses.iter().filter(|s| s.submitted.is_none()).count();
    let layout = Layout::new(
        store,
        &user,
        &format!("数据填报 · {year}年度"),
        "/submissions",
        Some(&query.notice),
    )
    .await?;
    let jurisdictions = if within.len() > 1 {
        within
            .iter()
            .map(|(j, depth)| (j.id, format!("{}{}", "\u{3000}".repeat(*depth), j.name)))
            .collect()
    } else {
        Vec::new()
    };
    let page = OverviewPage {
        layout,
        year,
        jurisdiction_id,
        jurisdiction_name,
        jurisdictions,
        statuses,
        missing,
    };
    Ok(Html(page.render()?).into_response())
}

fn source_label(source: &str) -> &'static str {
    if source == "xlsx" {
        "表格上传"
    } else {
        "网页填报"
    }
}

/// The department's sheet for `year`: the catalogue's submitted indicators, last year's values.
async fn sheet_for(
    state: &AppState,
    reach: Reach,
    department: i64,
    year: i32,
) -> Result<Sheet, WebError> {
    let store = &state.store;
    let department_record = store.department(reach, department).await?;
    // The department's own jurisdiction names the sheet and holds its submissions.
    let jurisdiction = store
        .jurisdiction_by_id(department_record.jurisdiction_id)
        .await?;
    let previous: HashMap<String, Decimal> = store
        .latest_submissions(Extent::alone(jurisdiction.id), year - 1)
        .await?
        .into_iter()
        .filter(|v| v.department_id == department)
        .map(|v| (v.indicator_id, v.value))
        .collect();
    Ok(Sheet {
        jurisdiction: jurisdiction.name,
        department_code: department_code(department),
        department_name: department_record.name,
        year,
        items: state
            .catalogue
            .submitted()
            .map(|indicator| Item {
                id: indicator.id.clone(),
                label: indicator.label.clone(),
                unit: indicator.unit.clone(),
                kind: ItemKind::Count,
                part_of: indicator.part_of.clone(),
                help: indicator.definition.clone(),
            })
            .collect(),
        previous,
    })
}

/// The code a template carries for a department: stable, and not guessable as another's by
/// accident (a workbook of another department is refused by it).
fn department_code(department: i64) -> String {
    format!("BM{department:04}")
}

struct ItemRow {
    id: String,
    label: String,
    unit: String,
    help: String,
    previous: String,
    value: String,
    comment: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "submissions/form.html")]
struct FormPage {
    layout: Layout,
    department: i64,
    department_name: String,
    year: i32,
    rows: Vec<ItemRow>,
    errors: Vec<String>,
    field_errors: usize,
    last: Option<String>,
}

async fn render_form(
    state: &AppState,
    user: &SignedIn,
    department: i64,
    year: i32,
    typed: Option<&[FormField]>,
    errors: &[CellError],
    notice: Option<&str>,
) -> Result<Html<String>, WebError> {
    let reach = Reach::of(&user.subject);
    let sheet = sheet_for(state, reach, department, year).await?;
    let extent = Extent::alone(
        state
            .store
            .department(reach, department)
            .await?
            .jurisdiction_id,
    );
    let current: HashMap<String, (Decimal, String)> = state
        .store
        .latest_submissions(extent, year)
        .await?
        .into_iter()
        .filter(|v| v.department_id == department)
        .map(|v| (v.indicator_id, (v.value, v.comment)))
        .collect();
    let last = state
        .store
        .submissions(extent, year, Some(department))
        .await?
        .first()
        .map(|s| {
            format!(
                "{}（{}，{}）",
                s.submitted_at,
                s.submitted_by,
                source_label(&s.source)
            )
        });
    let rows: Vec<ItemRow> = sheet
        .items
        .iter()
        .map(|item| {
            let typed_field = typed.and_then(|fields| fields.iter().find(|f| f.id == item.id));
            let (value, comment) = match typed_field {
                Some(field) => (field.value.clone(), field.comment.clone()),
                None => current
                    .get(&item.id)
                    .map(|(v, c)| (v.normalize().to_string(), c.clone()))
                    .unwrap_or_default(),
            };
            ItemRow {
                id: item.id.clone(),
                label: item.label.clone(),
                unit: item.unit.clone(),
                help: item.help.clone(),
                previous: sheet
                    .previous
                    .get(&item.id)
                    .map(|v| v.normalize().to_string())
                    .unwrap_or_else(|| "—".into()),
                value,
                comment,
                error: errors
                    .iter()
                    .filter(|e| e.cell == item.id)
                    .map(|e| e.message.clone())
                    .reduce(|a, b| format!("{a}；{b}")),
            }
        })
        .collect();
    let field_errors = rows.iter().filter(|r: &&ItemRow| r.error.is_some()).count();
    let layout = Layout::new(
        &state.store,
        user,
        &format!("数据填报 · {} · {year}年度", sheet.department_name),
        "/submissions",
        notice,
    )
    .await?;
    let page = FormPage {
        layout,
        department,
        department_name: sheet.department_name,
        year,
        rows,
        errors: errors
            .iter()
            .filter(|e| !sheet.items.iter().any(|i| i.id == e.cell))
            .map(|e| e.message.clone())
            .collect(),
        field_errors,
        last,
    };
    Ok(Html(page.render()?))
}

async fn form_page(
    State(state): State<AppState>,
    user: SignedIn,
    Path((department, year)): Path<(i64, String)>,
    Query(query): Query<YearQuery>,
) -> Result<Html<String>, WebError> {
    authz::check(&user.subject, Action::SubmitFigures { department })?;
    let year = year_of(&year, &state)?;
    render_form(
        &state,
        &user,
        department,
        year,
        None,
        &[],
        Some(&query.notice),
    )
    .await
}

/// A deactivated department submits nothing (its figures would count in the year's indicators
/// while no list shows it): the form comes back with the reason, and nothing is stored.
async fn refuse_inactive(
    state: &AppState,
    user: &SignedIn,
    department: i64,
    year: i32,
    typed: Option<&[FormField]>,
) -> Result<Option<Response>, WebError> {
    if state
        .store
        .department(Reach::of(&user.subject), department)
        .await?
        .active
    {
        return Ok(None);
    }
    let errors = [CellError {
        cell: String::new(),
        rule: "department.inactive",
        message: super::messages::references::INACTIVE_DEPARTMENT_SUBMISSION.to_owned(),
    }];
    let page = render_form(state, user, department, year, typed, &errors, None).await?;
    Ok(Some(
        (axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response(),
    ))
}

async fn submit_form(
    State(state): State<AppState>,
    user: SignedIn,
    Path((department, year)): Path<(i64, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::SubmitFigures { department })?;
    let year = year_of(&year, &state)?;
    let sheet = sheet_for(&state, Reach::of(&user.subject), department, year).await?;
    let field = |name: String| {
        form.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    };
    let fields: Vec<FormField> = sheet
        .items
        .iter()
        .map(|item| FormField {
            id: item.id.clone(),
            value: field(format!("value.{}", item.id)),
            comment: field(format!("comment.{}", item.id)),
        })
        .collect();
    if let Some(refused) = refuse_inactive(&state, &user, department, year, Some(&fields)).await? {
        return Ok(refused);
    }
    match workbook::check_form(&fields, &sheet) {
        Ok(values) => {
            store_values(&state, &user, department, year, "form", values).await?;
            Ok(Redirect::to(&format!(
                "/submissions/{department}/{year}?notice=figures_submitted"
            ))
            .into_response())
        }
        Err(errors) => {
            let page = render_form(
                &state,
                &user,
                department,
                year,
                Some(&fields),
                &errors,
                None,
            )
            .await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn store_values(
    state: &AppState,
    user: &SignedIn,
    department: i64,
    year: i32,
    source: &str,
    values: Vec<workbook::Value>,
) -> Result<(), WebError> {
    let values: Vec<(String, Decimal, String)> = values
        .into_iter()
        .map(|v| (v.id, v.value, v.comment))
        .collect();
    state
        .store
        .insert_submission(&NewSubmission {
            department_id: department,
            year,
            source,
            user_id: user.subject.user_id,
            at: &crate::clock::to_db_time(state.clock.now()),
            values: &values,
        })
        .await?;
    Ok(())
}

async fn download_template(
    State(state): State<AppState>,
    user: SignedIn,
    Path((department, year)): Path<(i64, String)>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::SubmitFigures { department })?;
    let year = year_of(&year, &state)?;
    let reach = Reach::of(&user.subject);
    let sheet = sheet_for(&state, reach, department, year).await?;
    let extent = Extent::alone(
        state
            .store
            .department(reach, department)
            .await?
            .jurisdiction_id,
    );
    // Prefilled with the department's current submission, so a correction starts from it.
    let current: Vec<workbook::Value> = state
        .store
        .latest_submissions(extent, year)
        .await?
        .into_iter()
        .filter(|v| v.department_id == department)
        .map(|v| workbook::Value {
            id: v.indicator_id,
            value: v.value,
            comment: v.comment,
        })
        .collect();
    let bytes = workbook::template_filled(&sheet, &current)
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let file_name = format!(
        "{year}年度法治政府建设数据填报表-{}.xlsx",
        sheet.department_name
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                crate::attachments::content_disposition(&file_name),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `POST /submissions/{department}/{year}/upload`: the filled template. Every error names its
/// cell and rule; nothing is stored unless the whole workbook is good.
async fn upload(
    State(state): State<AppState>,
    user: SignedIn,
    Path((department, year)): Path<(i64, String)>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::SubmitFigures { department })?;
    let year = year_of(&year, &state)?;
    let sheet = sheet_for(&state, Reach::of(&user.subject), department, year).await?;
    if let Some(refused) = refuse_inactive(&state, &user, department, year, None).await? {
        return Ok(refused);
    }
    let file_error = |message: &str| {
        vec![CellError {
            cell: String::new(),
            rule: "file.upload",
            message: message.to_owned(),
        }]
    };
    let mut ignored = Vec::new();
    let bytes = match multipart {
        Ok(mut multipart) => {
            match super::forms::read_upload(
                &mut multipart,
                "file",
                MAX_WORKBOOK_BYTES,
                &mut ignored,
            )
            .await
            {
                Ok((_, bytes)) => Ok(bytes),
                Err(super::forms::UploadError::TooLarge) => {
                    Err(file_error("上传的表格超过 5 MB，请使用下载的填报模板。"))
                }
                Err(super::forms::UploadError::Missing) => {
                    Err(file_error("请选择要上传的填报表格（.xlsx）。"))
                }
                Err(super::forms::UploadError::Malformed) => {
                    Err(file_error("上传未完成，请重新选择文件上传。"))
                }
            }
        }
        Err(_) => Err(file_error("上传未完成，请重新选择文件上传。")),
    };
    match bytes.and_then(|bytes| workbook::parse(&bytes, &sheet)) {
        Ok(values) => {
            store_values(&state, &user, department, year, "xlsx", values).await?;
            Ok(Redirect::to(&format!(
                "/submissions/{department}/{year}?notice=figures_submitted"
            ))
            .into_response())
        }
        Err(errors) => {
            // Cell errors are shown as a list naming the cells (the form's fields are untouched).
            let listed: Vec<CellError> = errors
                .into_iter()
                .map(|mut e| {
                    e.cell = String::new();
                    e
                })
                .collect();
            let page = render_form(&state, &user, department, year, None, &listed, None).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
