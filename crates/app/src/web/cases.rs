//! Cases under the procedure definitions: the list per procedure with filters and paging, the
//! new-case form generated from the definition, and the case page with its timeline, running
//! periods and the actions the signed-in user may take now.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::error::WebError;
use super::forms::Pager;
use super::layout::Layout;
use super::people::SelectOption;
use super::session::SignedIn;
use super::{AppState, messages};
use crate::attachments::{self, MAX_ATTACHMENT_BYTES, MAX_UPLOAD_REQUEST_BYTES, Refusal};
use crate::authz::{self, Action, Scope};
use crate::cases::{self, CaseError};
use crate::engine::{self, Command, FieldValue};
use crate::procedure::{Field, FieldKind, Procedure};
use crate::store::StoreError;
use crate::store::attachments::NewAttachment;
use crate::store::cases::{CaseFilter, CaseRow, date_text};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/cases", get(index))
        .route("/cases/{procedure}", get(list).post(open))
        .route("/cases/{procedure}/new", get(new_form))
        .route("/case/{id}", get(show))
        .route("/case/{id}/act", post(act))
        .route(
            "/case/{id}/attachments",
            post(upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_REQUEST_BYTES)),
        )
        .route("/case/{id}/attachments/{sha256}", get(download))
}

/// One input of a generated form.
#[derive(Debug, Clone)]
pub struct FormInput {
    /// Field id (the input's name).
    pub id: String,
    /// Label.
    pub label: String,
    /// `text`, `textarea`, `date`, `money`, `number`, `select`, `checkboxes`.
    pub widget: &'static str,
    /// Current value.
    pub value: String,
    /// Options for `select` and `checkboxes`.
    pub options: Vec<SelectOption>,
    /// Whether it must be filled.
    pub required: bool,
    /// Whether it holds personal data.
    pub pii: bool,
    /// The message if it was refused.
    pub error: Option<String>,
}

/// Raw form pairs, repeated keys joined with commas (checkbox groups).
fn form_pairs(body: &[u8]) -> BTreeMap<String, String> {
    let mut pairs: BTreeMap<String, String> = BTreeMap::new();
    for (key, value) in form_urlencoded::parse(body) {
        pairs
            .entry(key.into_owned())
            .and_modify(|existing| {
                existing.push(',');
                existing.push_str(&value);
            })
            .or_insert_with(|| value.into_owned());
    }
    pairs
}

fn procedure<'a>(state: &'a AppState, id: &str) -> Result<&'a Procedure, WebError> {
    state
        .procedures
        .iter()
        .find(|p| p.id == id)
        .ok_or(WebError::NotFound)
}

fn widget(field: &Field) -> &'static str {
    let long = [
        "claims",
        "statement",
        "opinion",
        "reason",
        "note",
        "items",
        "information",
        "basis",
        "proposed",
    ];
    match field.kind {
        FieldKind::Date => "date",
        FieldKind::Money => "money",
        FieldKind::Number => "number",
        FieldKind::Bool | FieldKind::Enum | FieldKind::Department => "select",
        FieldKind::Officer => "checkboxes",
        FieldKind::Document => "document",
        FieldKind::Text | FieldKind::Party => {
            if long.iter().any(|part| field.id.contains(part)) {
                "textarea"
            } else {
                "text"
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn inputs(
    state: &AppState,
    procedure: &Procedure,
    ids: &[String],
    required: &[String],
    values: &BTreeMap<String, String>,
    department_id: i64,
    on: time::Date,
    error: Option<(&str, String)>,
) -> Result<Vec<FormInput>, WebError> {
    let mut inputs = Vec::new();
    for id in ids {
        let Some(field) = procedure.field(id) else {
            continue;
        };
        let widget = widget(field);
        if widget == "document" {
            // Attachments are uploaded on the case page; not part of a step's form yet.
            continue;
        }
        let value = values.get(id).cloned().unwrap_or_default();
        let selected: Vec<&str> = value.split(',').collect();
        let options = match field.kind {
            FieldKind::Enum => field
                .options
                .iter()
                .map(|o| SelectOption {
                    value: o.clone(),
                    label: o.clone(),
                    selected: *o == value,
                })
                .collect(),
            FieldKind::Bool => vec![
                SelectOption {
                    value: "0".into(),
                    label: "否".into(),
                    selected: value != "1",
                },
                SelectOption {
                    value: "1".into(),
                    label: "是".into(),
                    selected: value == "1",
                },
            ],
            FieldKind::Department => state
                .store
                .active_departments(Scope::All)
                .await?
                .into_iter()
                .map(|d| SelectOption {
                    selected: d.id.to_string() == value,
                    value: d.id.to_string(),
                    label: d.name,
                })
                .collect(),
            FieldKind::Officer => state
                .store
                .certified_officers(department_id, on)
                .await?
                .into_iter()
                .map(|o| SelectOption {
                    selected: selected.contains(&o.person_id.to_string().as_str()),
                    value: o.person_id.to_string(),
                    label: format!(
                        "{}（执法证 {}，有效期至 {}）",
                        o.name, o.number, o.valid_until
                    ),
                })
                .collect(),
            _ => Vec::new(),
        };
        inputs.push(FormInput {
            id: id.clone(),
            label: field.label.clone(),
            widget,
            value,
            options,
            required: required.contains(id),
            pii: field.pii,
            error: error
                .as_ref()
                .filter(|(f, _)| *f == id)
                .map(|(_, m)| m.clone()),
        });
    }
    Ok(inputs)
}

/// A procedure on the index page.
struct ProcedureCard {
    id: String,
    name: String,
    statute: String,
    total: i64,
    open: i64,
    can_open: bool,
}

#[derive(Template)]
#[template(path = "cases/index.html")]
struct IndexPage {
    layout: Layout,
    procedures: Vec<ProcedureCard>,
}

async fn index(State(state): State<AppState>, user: SignedIn) -> Result<Html<String>, WebError> {
    authz::check(&user.subject, Action::ViewCases)?;
    let counts = state.store.case_counts(&user.subject).await?;
    let procedures = state
        .procedures
        .iter()
        .map(|p| {
            let (total, open) = counts
                .iter()
                .find(|c| c.0 == p.id)
                .map_or((0, 0), |c| (c.1, c.2));
            ProcedureCard {
                id: p.id.clone(),
                name: p.name.clone(),
                statute: p.statute.clone(),
                total,
                open,
                can_open: p.opened_by.iter().any(|r| r == user.subject.role.code()),
            }
        })
        .collect();
    let layout = Layout::new(&state.store, &user, "案件办理", "/cases", None).await?;
    Ok(Html(IndexPage { layout, procedures }.render()?))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(super) struct CaseQuery {
    state: String,
    department: String,
    from: String,
    until: String,
    overdue: String,
    page: String,
    notice: String,
}

/// A case in the list.
struct CaseItem {
    row: CaseRow,
    state_label: String,
    outcome_label: String,
}

#[derive(Template)]
#[template(path = "cases/list.html")]
struct ListPage {
    layout: Layout,
    procedure_id: String,
    procedure_name: String,
    cases: Vec<CaseItem>,
    states: Vec<SelectOption>,
    departments: Vec<SelectOption>,
    query_from: String,
    query_until: String,
    overdue: bool,
    pager: Pager,
    can_open: bool,
}

fn label_of_state(procedure: &Procedure, id: &str) -> String {
    procedure
        .state(id)
        .map_or_else(|| id.to_owned(), |s| s.label.clone())
}

fn label_of_outcome(procedure: &Procedure, id: Option<&str>) -> String {
    id.and_then(|id| procedure.outcomes.iter().find(|o| o.id == id))
        .map_or_else(String::new, |o| o.label.clone())
}

async fn list(
    State(state): State<AppState>,
    user: SignedIn,
    Path(procedure_id): Path<String>,
    Query(query): Query<CaseQuery>,
) -> Result<Html<String>, WebError> {
    authz::check(&user.subject, Action::ViewCases)?;
    let procedure = procedure(&state, &procedure_id)?;
    let today = state.clock.now().date();
    let valid_date = |text: &str| engine::fields_parse_date(text).map(date_text);
    let filter = CaseFilter {
        procedure: procedure.id.clone(),
        state: procedure.state(&query.state).map(|s| s.id.clone()),
        department_id: query.department.parse().ok().filter(|d: &i64| *d > 0),
        opened_from: valid_date(&query.from),
        opened_until: valid_date(&query.until),
        overdue_on: (query.overdue == "1").then(|| date_text(today)),
        page: query
            .page
            .parse()
            .ok()
            .filter(|p: &i64| *p > 0)
            .unwrap_or(1),
        per_page: 20,
    };
    let page = state.store.list_cases(&user.subject, &filter).await?;
    let pager_query = super::forms::ListQuery {
        page: filter.page.to_string(),
        ..Default::default()
    };
    let base = format!(
        "/cases/{}?state={}&department={}&from={}&until={}&overdue={}&",
        procedure.id, query.state, query.department, query.from, query.until, query.overdue
    );
    let mut pager = Pager::new(&page, "", &pager_query);
    pager.previous = (page.page > 1).then(|| format!("{base}page={}", page.page - 1));
    pager.next = (page.page < page.n_pages()).then(|| format!("{base}page={}", page.page + 1));
    let scope = authz::department_scope(&user.subject);
    let departments = match scope {
        Scope::Nothing => Vec::new(),
        scope => state.store.active_departments(scope).await?,
    };
    let layout = Layout::new(
        &state.store,
        &user,
        &procedure.name,
        "/cases",
        Some(&query.notice),
    )
    .await?;
    let page_html = ListPage {
        layout,
        procedure_id: procedure.id.clone(),
        procedure_name: procedure.name.clone(),
        cases: page
            .items
            .into_iter()
            .map(|row| CaseItem {
                state_label: label_of_state(procedure, &row.state),
                outcome_label: label_of_outcome(procedure, row.outcome.as_deref()),
                row,
            })
            .collect(),
        states: procedure
            .states
            .iter()
            .map(|s| SelectOption {
                value: s.id.clone(),
                label: s.label.clone(),
                selected: s.id == query.state,
            })
            .collect(),
        departments: departments
            .iter()
            .map(|d| SelectOption {
                value: d.id.to_string(),
                label: d.name.clone(),
                selected: d.id.to_string() == query.department,
            })
            .collect(),
        query_from: query.from,
        query_until: query.until,
        overdue: query.overdue == "1",
        pager,
        can_open: procedure
            .opened_by
            .iter()
            .any(|r| r == user.subject.role.code()),
    };
    Ok(Html(page_html.render()?))
}

#[derive(Template)]
#[template(path = "cases/new.html")]
struct NewPage {
    layout: Layout,
    procedure_id: String,
    statute: String,
    on: String,
    departments: Vec<SelectOption>,
    inputs: Vec<FormInput>,
    error: Option<String>,
}

async fn render_new(
    state: &AppState,
    user: &SignedIn,
    procedure: &Procedure,
    values: &BTreeMap<String, String>,
    status: StatusCode,
    error: Option<(String, String)>,
) -> Result<Response, WebError> {
    let today = state.clock.now().date();
    let scope = authz::department_scope(&user.subject);
    let departments = match (scope, user.subject.department_id) {
        (Scope::All, _) => state.store.active_departments(Scope::All).await?,
        (_, Some(own)) => {
            state
                .store
                .active_departments(Scope::Department(own))
                .await?
        }
        _ => Vec::new(),
    };
    let chosen = values
        .get("department_id")
        .cloned()
        .or(user.subject.department_id.map(|d| d.to_string()))
        .unwrap_or_default();
    let department_id = chosen.parse().unwrap_or(0);
    let field_error = error.as_ref().map(|(f, m)| (f.as_str(), m.clone()));
    let inputs = inputs(
        state,
        procedure,
        &procedure.opening_fields,
        std::slice::from_ref(&procedure.title_field),
        values,
        department_id,
        today,
        field_error,
    )
    .await?;
    let layout = Layout::new(
        &state.store,
        user,
        &format!("新建{}案件", procedure.name),
        "/cases",
        None,
    )
    .await?;
    let page = NewPage {
        layout,
        procedure_id: procedure.id.clone(),
        statute: procedure.statute.clone(),
        on: values
            .get("on")
            .cloned()
            .unwrap_or_else(|| date_text(today)),
        departments: departments
            .iter()
            .map(|d| SelectOption {
                value: d.id.to_string(),
                label: d.name.clone(),
                selected: d.id.to_string() == chosen,
            })
            .collect(),
        inputs,
        error: error.map(|(_, m)| m),
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn new_form(
    State(state): State<AppState>,
    user: SignedIn,
    Path(procedure_id): Path<String>,
) -> Result<Response, WebError> {
    let procedure = procedure(&state, &procedure_id)?;
    authz::check(&user.subject, Action::ViewCases)?;
    if !procedure
        .opened_by
        .iter()
        .any(|r| r == user.subject.role.code())
    {
        return Err(WebError::Forbidden(messages::case_refusal_open(
            user.subject.role,
            &procedure.name,
        )));
    }
    render_new(
        &state,
        &user,
        procedure,
        &BTreeMap::new(),
        StatusCode::OK,
        None,
    )
    .await
}

async fn open(
    State(state): State<AppState>,
    user: SignedIn,
    Path(procedure_id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let procedure = procedure(&state, &procedure_id)?;
    authz::check(&user.subject, Action::ViewCases)?;
    let mut values = form_pairs(&body);
    values.remove("_csrf");
    let department_id: i64 = values
        .get("department_id")
        .and_then(|d| d.parse().ok())
        .unwrap_or(0);
    let on = values.get("on").and_then(|d| engine::fields_parse_date(d));
    let Some(on) = on else {
        return render_new(
            &state,
            &user,
            procedure,
            &values,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some((
                "on".into(),
                messages::case_field_error("invalid_date").into(),
            )),
        )
        .await;
    };
    let raw: BTreeMap<String, String> = values
        .iter()
        .filter(|(k, _)| procedure.field(k).is_some())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let now = state.clock.now();
    match cases::open_case(
        &state.store,
        procedure,
        state.calendar.as_ref(),
        &user.subject,
        department_id,
        &raw,
        on,
        now,
    )
    .await
    {
        Ok((id, _)) => Ok(Redirect::to(&format!("/case/{id}?notice=case_opened")).into_response()),
        Err(CaseError::Store(error)) => Err(error.into()),
        Err(error) => {
            let (field, message) = messages::case_error(&error, procedure);
            render_new(
                &state,
                &user,
                procedure,
                &values,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some((field, message)),
            )
            .await
        }
    }
}

/// A step on the timeline.
struct TimelineItem {
    seq: i64,
    label: String,
    on_date: String,
    actor: String,
    state_label: String,
    fields: Vec<(String, String)>,
    event_id: i64,
    at: String,
}

/// A running period on the case page.
struct TimerItem {
    label: String,
    article: String,
    started_on: String,
    due_on: String,
    status: String,
    css: &'static str,
    provisional: bool,
}

/// An action form on the case page.
struct ActionForm {
    action: String,
    label: String,
    article: String,
    inputs: Vec<FormInput>,
    error: Option<String>,
}

/// An attachment on the case page.
struct AttachmentItem {
    sha256: String,
    short_hash: String,
    file_name: String,
    kind: &'static str,
    size: String,
    step_seq: i64,
    event_id: i64,
    uploaded_by: String,
    uploaded_at: String,
}

/// A size in words: bytes, KiB or MiB.
fn size_text(size: i64) -> String {
    if size < 1024 {
        format!("{size} 字节")
    } else if size < 1024 * 1024 {
        format!("{:.1} KiB", size as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", size as f64 / (1024.0 * 1024.0))
    }
}

#[derive(Template)]
#[template(path = "cases/show.html")]
struct ShowPage {
    layout: Layout,
    case: CaseRow,
    statute: String,
    state_label: String,
    outcome_label: String,
    facts: Vec<(String, String)>,
    timers: Vec<TimerItem>,
    timeline: Vec<TimelineItem>,
    actions: Vec<ActionForm>,
    attachments: Vec<AttachmentItem>,
    can_attach: bool,
    upload_error: Option<String>,
    max_attachment_mib: usize,
    today: String,
}

/// The names the fields of a case page refer to, loaded once for the whole page.
#[derive(Default)]
struct Names {
    people: BTreeMap<i64, String>,
    departments: BTreeMap<i64, String>,
    documents: BTreeMap<String, String>,
}

impl Names {
    /// Loads the people and departments named in any of `field_sets` (JSON field maps), one
    /// query each, and the case's documents' file names.
    async fn load(
        state: &AppState,
        field_sets: &[&str],
        documents: &[crate::store::attachments::AttachmentRow],
    ) -> Result<Names, WebError> {
        let mut people = Vec::new();
        let mut departments = Vec::new();
        for json in field_sets {
            let fields: BTreeMap<String, FieldValue> =
                serde_json::from_str(json).unwrap_or_default();
            for value in fields.values() {
                match value {
                    FieldValue::Department(id) => departments.push(*id),
                    FieldValue::Officer(id) => people.push(*id),
                    FieldValue::Officers(ids) => people.extend(ids),
                    _ => {}
                }
            }
        }
        Ok(Names {
            people: state
                .store
                .person_names(&people)
                .await?
                .into_iter()
                .collect(),
            departments: state
                .store
                .department_names(&departments)
                .await?
                .into_iter()
                .collect(),
            documents: documents
                .iter()
                .map(|d| (d.sha256.clone(), d.file_name.clone()))
                .collect(),
        })
    }

    fn people(&self, ids: &[i64]) -> String {
        ids.iter()
            .filter_map(|id| self.people.get(id).cloned())
            .collect::<Vec<_>>()
            .join("、")
    }
}

fn display_value(names: &Names, value: &FieldValue) -> String {
    match value {
        FieldValue::Text(text) => text.clone(),
        FieldValue::Date(date) => date_text(*date),
        FieldValue::Money(fen) => format!("{}.{:02} 元", fen / 100, fen % 100),
        FieldValue::Number(n) => n.to_string(),
        FieldValue::Bool(b) => {
            if *b {
                "是".into()
            } else {
                "否".into()
            }
        }
        FieldValue::Department(id) => names
            .departments
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string()),
        FieldValue::Officer(id) => names.people(std::slice::from_ref(id)),
        FieldValue::Officers(ids) => names.people(ids),
        FieldValue::Document(hash) => match names.documents.get(hash) {
            Some(file_name) => format!("{file_name}（{}…）", hash.get(..12).unwrap_or(hash)),
            None => format!("文件 {}…", hash.get(..12).unwrap_or(hash)),
        },
    }
}

fn display_fields(names: &Names, procedure: &Procedure, json: &str) -> Vec<(String, String)> {
    let fields: BTreeMap<String, FieldValue> = serde_json::from_str(json).unwrap_or_default();
    // Definition order reads like the statute; the map's order would be alphabetical.
    procedure
        .fields
        .iter()
        .filter_map(|field| {
            fields
                .get(&field.id)
                .map(|value| (field.label.clone(), display_value(names, value)))
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn render_case(
    state: &AppState,
    user: &SignedIn,
    id: i64,
    notice: Option<&str>,
    refused: Option<(String, String, String)>,
    status: StatusCode,
    values: &BTreeMap<String, String>,
    upload_error: Option<&str>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ViewCases)?;
    let case = state.store.case_for(&user.subject, id).await?;
    let procedure = procedure(state, &case.procedure)?;
    let today = state.clock.now().date();
    let steps = state.store.case_steps(id).await?;
    let stored_attachments = state.store.case_attachments(id).await?;
    let field_sets: Vec<&str> = std::iter::once(case.fields_json.as_str())
        .chain(steps.iter().map(|step| step.fields_json.as_str()))
        .collect();
    let names = Names::load(state, &field_sets, &stored_attachments).await?;
    let facts = display_fields(&names, procedure, &case.fields_json);
    let mut timeline = Vec::new();
    for step in steps {
        timeline.push(TimelineItem {
            seq: step.seq,
            label: if step.action == "open" {
                "立案登记".to_owned()
            } else {
                procedure
                    .transition(&step.action)
                    .map_or(step.action.clone(), |t| t.label.clone())
            },
            on_date: step.on_date,
            actor: step.actor_name,
            state_label: label_of_state(procedure, &step.state_after),
            fields: display_fields(&names, procedure, &step.fields_json),
            event_id: step.event_id,
            at: step.at,
        });
    }
    let timers = state
        .store
        .case_timers(id)
        .await?
        .into_iter()
        .map(|t| {
            let due = t.due_on.as_deref().and_then(engine::fields_parse_date);
            let (status, css) = match (t.paused, due) {
                (true, _) => ("中止/不计算期间，暂停计时".to_owned(), "paused"),
                (false, Some(due)) => {
                    let left = state.calendar.workdays_between(today, due);
                    if due < today {
                        (format!("已超期（超过 {} 个工作日）", -left), "overdue")
                    } else if left <= 3 {
                        (format!("剩余 {left} 个工作日"), "warning")
                    } else {
                        (format!("剩余 {left} 个工作日"), "ok")
                    }
                }
                (false, None) => ("无法计算".to_owned(), "paused"),
            };
            TimerItem {
                label: t.label,
                article: t.article,
                started_on: t.started_on,
                due_on: t.due_on.unwrap_or_default(),
                status,
                css,
                provisional: t.provisional,
            }
        })
        .collect();
    let mut actions = Vec::new();
    let engine_case_scope = may_act_on(state, user, &case).await?;
    if engine_case_scope {
        for transition in procedure.transitions.iter().filter(|t| {
            t.from.contains(&case.state) && t.roles.iter().any(|r| r == user.subject.role.code())
        }) {
            let is_refused = refused
                .as_ref()
                .filter(|(action, _, _)| *action == transition.action);
            let error = is_refused.map(|(_, field, message)| (field.as_str(), message.clone()));
            let empty = BTreeMap::new();
            let action_values = if is_refused.is_some() { values } else { &empty };
            let offered: Vec<String> = transition
                .required
                .iter()
                .chain(&transition.optional)
                .cloned()
                .collect();
            let form_inputs = inputs(
                state,
                procedure,
                &offered,
                &transition.required,
                action_values,
                case.department_id,
                today,
                error,
            )
            .await?;
            actions.push(ActionForm {
                action: transition.action.clone(),
                label: transition.label.clone(),
                article: transition.article.clone(),
                inputs: form_inputs,
                error: is_refused.map(|(_, _, m)| m.clone()),
            });
        }
    }
    let layout = Layout::new(
        &state.store,
        user,
        &format!("{} {}", procedure.name, case.number),
        "/cases",
        notice,
    )
    .await?;
    let attachments = stored_attachments
        .into_iter()
        .map(|a| AttachmentItem {
            short_hash: a.sha256.get(..16).unwrap_or_default().to_owned(),
            kind: attachments::DocumentKind::from_media_type(&a.media_type)
                .map_or("其他", attachments::DocumentKind::label),
            size: size_text(a.size),
            sha256: a.sha256,
            file_name: a.file_name,
            step_seq: a.step_seq,
            event_id: a.event_id,
            uploaded_by: a.uploaded_by_name,
            uploaded_at: a.uploaded_at,
        })
        .collect();
    let can_attach =
        engine_case_scope && authz::check(&user.subject, Action::AddAttachments).is_ok();
    let page = ShowPage {
        attachments,
        can_attach,
        upload_error: upload_error.map(str::to_owned),
        max_attachment_mib: MAX_ATTACHMENT_BYTES / (1024 * 1024),
        layout,
        statute: procedure.statute.clone(),
        state_label: label_of_state(procedure, &case.state),
        outcome_label: label_of_outcome(procedure, case.outcome.as_deref()),
        facts,
        timers,
        timeline,
        actions,
        today: date_text(today),
        case,
    };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(super) struct NoticeQuery {
    notice: String,
}

async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    render_case(
        &state,
        &user,
        id,
        Some(&query.notice),
        None,
        StatusCode::OK,
        &BTreeMap::new(),
        None,
    )
    .await
}

async fn act(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ViewCases)?;
    let case = state.store.case_for(&user.subject, id).await?;
    let procedure = procedure(&state, &case.procedure)?;
    let mut values = form_pairs(&body);
    values.remove("_csrf");
    let action = values.remove("action").unwrap_or_default();
    let version: i64 = values
        .remove("version")
        .and_then(|v| v.parse().ok())
        .unwrap_or(-1);
    let on_text = values.remove("on").unwrap_or_default();
    let refuse = |field: &str, message: String| Some((action.clone(), field.to_owned(), message));
    let Some(on) = engine::fields_parse_date(&on_text) else {
        return render_case(
            &state,
            &user,
            id,
            None,
            refuse("on", messages::case_field_error("invalid_date").into()),
            StatusCode::UNPROCESSABLE_ENTITY,
            &values,
            None,
        )
        .await;
    };
    let command = Command {
        actor: user.subject,
        action: action.clone(),
        on,
        fields: values.clone(),
        expected_version: version,
    };
    match cases::act(
        &state.store,
        procedure,
        state.calendar.as_ref(),
        id,
        &command,
        state.clock.now(),
    )
    .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/case/{id}?notice=case_step_recorded")).into_response())
        }
        Err(CaseError::Store(error)) => Err(error.into()),
        Err(error) => {
            let (field, message) = messages::case_error(&error, procedure);
            let status = if matches!(
                error,
                CaseError::Refused(engine::EngineError::StaleVersion { .. })
            ) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            render_case(
                &state,
                &user,
                id,
                None,
                refuse(&field, message),
                status,
                &values,
                None,
            )
            .await
        }
    }
}

/// Whether the signed-in user may act on (and so attach documents to) `case`: the engine's own
/// scope rule for taking actions.
async fn may_act_on(state: &AppState, user: &SignedIn, case: &CaseRow) -> Result<bool, WebError> {
    Ok(crate::engine::in_scope(
        &user.subject,
        &crate::engine::Case {
            state: case.state.clone(),
            version: case.version,
            department_id: case.department_id,
            opened_by: case.opened_by,
            assigned: state.store.case_assignees(case.id).await?,
            opened_on: state.clock.now().date(),
            fields: BTreeMap::new(),
            history: Vec::new(),
        },
    ))
}

/// The file part of an upload form: its sent name and its bytes, read no further than one byte
/// past the limit.
async fn read_upload(multipart: &mut Multipart) -> Result<(String, Vec<u8>), &'static str> {
    while let Some(mut field) = multipart.next_field().await.map_err(|_| "upload_failed")? {
        if field.name() != Some("file") {
            continue;
        }
        let file_name = field.file_name().unwrap_or_default().to_owned();
        let mut content = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| "upload_failed")? {
            content.extend_from_slice(&chunk);
            if content.len() > MAX_ATTACHMENT_BYTES {
                return Err("too_large");
            }
        }
        return Ok((file_name, content));
    }
    Err("empty")
}

/// `POST /case/{id}/attachments`: a document for the case, checked by its bytes and size; a
/// refusal comes back on the case page with nothing written.
async fn upload(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::AddAttachments)?;
    let case = state.store.case_for(&user.subject, id).await?;
    if !may_act_on(&state, &user, &case).await? {
        return Err(WebError::Forbidden(
            messages::attachment_refusal("not_actionable").into(),
        ));
    }
    let read = match multipart {
        Ok(mut multipart) => read_upload(&mut multipart).await,
        Err(_) => Err("upload_failed"),
    };
    let checked = read.and_then(|(file_name, content)| match attachments::check(&content) {
        Ok(kind) => Ok((file_name, content, kind)),
        Err(Refusal::Empty) => Err("empty"),
        Err(Refusal::TooLarge) => Err("too_large"),
        Err(Refusal::UnknownType) => Err("unknown_type"),
    });
    let refusal = match checked {
        Ok((file_name, content, kind)) => {
            let sha256 = attachments::sha256_hex(&content);
            let file_name = attachments::clean_file_name(&file_name);
            let at = crate::clock::to_db_time(state.clock.now());
            match state
                .store
                .add_attachment(&NewAttachment {
                    case_id: id,
                    content: &content,
                    sha256: &sha256,
                    kind,
                    file_name: &file_name,
                    actor: user.subject.user_id,
                    at: &at,
                })
                .await
            {
                Ok(_) => {
                    return Ok(Redirect::to(&format!("/case/{id}?notice=attachment_added"))
                        .into_response());
                }
                Err(StoreError::Invalid(errors)) => {
                    errors.0.first().map_or("upload_failed", |error| error.code)
                }
                Err(error) => return Err(error.into()),
            }
        }
        Err(code) => code,
    };
    let status = match refusal {
        "too_large" => StatusCode::PAYLOAD_TOO_LARGE,
        "unknown_type" => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "duplicate_attachment" => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    render_case(
        &state,
        &user,
        id,
        None,
        None,
        status,
        &BTreeMap::new(),
        Some(messages::attachment_refusal(refusal)),
    )
    .await
}

/// `GET /case/{id}/attachments/{sha256}`: the document, to staff who may see the case, as a
/// download under its stored media type (never sniffed by the browser, never rendered inline).
async fn download(
    State(state): State<AppState>,
    user: SignedIn,
    Path((id, sha256)): Path<(i64, String)>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::DownloadAttachments)?;
    if !attachments::is_sha256_hex(&sha256) {
        return Err(WebError::NotFound);
    }
    let document = state
        .store
        .attachment_for(&user.subject, id, &sha256)
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, document.media_type),
            (
                header::CONTENT_DISPOSITION,
                attachments::content_disposition(&document.file_name),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_owned(),
            ),
        ],
        document.content,
    )
        .into_response())
}
