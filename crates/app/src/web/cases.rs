//! Cases under the procedure definitions: the list per procedure with filters and paging, the
//! new-case form generated from the definition, and the case page with its timeline, running
//! periods and the actions the signed-in user may take now.

use std::collections::BTreeMap;

use super::extract::{Path, Query};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::WebError;
use super::forms::Pager;
use super::layout::Layout;
use super::people::SelectOption;
use super::routes::Routes;
use super::session::SignedIn;
use super::{AppState, messages};
use crate::attachments::{self, MAX_ATTACHMENT_BYTES, MAX_UPLOAD_REQUEST_BYTES, Refusal};
use crate::authz::{self, Action, Scope};
use crate::cases::{self, CaseError};
use crate::engine::{self, Command, FieldValue};
use crate::procedure::{Field, FieldId, FieldKind, Procedure};
use crate::store::StoreError;
use crate::store::attachments::NewAttachment;
use crate::store::cases::{CaseFilter, CaseRow, date_text};

pub(super) fn router() -> Routes {
    Routes::new()
        .get("/cases", index)
        .get("/cases/{procedure}", list)
        .post("/cases/{procedure}", open)
        .get("/cases/{procedure}/new", new_form)
        .get("/case/{id}", show)
        .post("/case/{id}/act", act)
        .upload("/case/{id}/attachments", upload, MAX_UPLOAD_REQUEST_BYTES)
        .get("/case/{id}/attachments/{sha256}", download)
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
    match field.kind {
        FieldKind::Date => "date",
        FieldKind::Money => "money",
        FieldKind::Number => "number",
        FieldKind::Bool | FieldKind::Enum(_) | FieldKind::Department => "select",
        FieldKind::Person(_) if field.multiple => "checkboxes",
        FieldKind::Person(_) => "select",
        FieldKind::Document => "document",
        FieldKind::Text if field.multiline => "textarea",
        FieldKind::Text | FieldKind::Party => "text",
    }
}

#[allow(clippy::too_many_arguments)]
async fn inputs(
    state: &AppState,
    user: &crate::authz::Subject,
    procedure: &Procedure,
    ids: &[&FieldId],
    required: &[FieldId],
    values: &BTreeMap<String, String>,
    department_id: i64,
    on: time::Date,
    refusal: Option<&messages::RefusalText>,
) -> Result<Vec<FormInput>, WebError> {
    let mut inputs = Vec::new();
    for id in ids {
        let id = id.as_str();
        let Some(field) = procedure.field(id) else {
            continue;
        };
        let widget = widget(field);
        if widget == "document" {
            // Attachments are uploaded on the case page; not part of a step's form yet.
            continue;
        }
        let value = values.get(id).cloned().unwrap_or_default();
        let id = id.to_owned();
        let selected: Vec<&str> = value.split(',').collect();
        let options = match &field.kind {
            FieldKind::Enum(options) => options
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
                    // Nothing is chosen until the user chooses: a required 是/否 left open is
                    // flagged, not silently sent as 否.
                    selected: value == "0",
                },
                SelectOption {
                    value: "1".into(),
                    label: "是".into(),
                    selected: value == "1",
                },
            ],
            // A case names departments of its own jurisdiction (the engine's facts are loaded
            // for it alone), which is the acting account's.
            FieldKind::Department => state
                .store
                .active_departments(Scope::Subtree(user.jurisdiction_id))
                .await?
                .into_iter()
                .filter(|d| d.jurisdiction_id == user.jurisdiction_id)
                .map(|d| SelectOption {
                    selected: d.id.to_string() == value,
                    value: d.id.to_string(),
                    label: d.name,
                })
                .collect(),
            FieldKind::Person(registry) => {
                // Department-scoped staff may name only their own department's people; the
                // engine checks this again on submission.
                let department = match registry {
                    fazhi_procedure::Registry::EnforcementOfficers => Some(department_id),
                    _ => user.department_id.filter(|_| user.role.needs_department()),
                };
                state
                    .store
                    .registry_people(*registry, department, on)
                    .await?
                    .into_iter()
                    .map(|p| SelectOption {
                        selected: selected.contains(&p.id.to_string().as_str()),
                        value: p.id.to_string(),
                        label: if p.detail.is_empty() {
                            p.name
                        } else {
                            format!("{}（{}）", p.name, p.detail)
                        },
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        inputs.push(FormInput {
            label: field.label.clone(),
            widget,
            value,
            options,
            required: required.iter().any(|r| *r == id),
            pii: field.pii,
            error: refusal.and_then(|r| r.for_field(&id)).map(str::to_owned),
            id,
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
                can_open: p.opened_by.contains(&user.subject.role),
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
    id.and_then(|id| procedure.outcome(id))
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
        state: procedure
            .state(&query.state)
            .map(|s| s.id.as_str().to_owned()),
        department_id: query.department.parse().ok().filter(|d: &i64| *d > 0),
        opened_from: valid_date(&query.from),
        opened_until: valid_date(&query.until),
        overdue_on: (query.overdue == "1").then(|| date_text(today)),
        page: super::forms::page_number(&query.page),
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
                value: s.id.as_str().to_owned(),
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
        can_open: procedure.opened_by.contains(&user.subject.role),
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
    error: Option<messages::RefusalText>,
) -> Result<Response, WebError> {
    let today = state.clock.now().date();
    let scope = authz::department_scope(&user.subject);
    let departments = match (scope, user.subject.department_id) {
        // Cases are opened in the account's own jurisdiction, not in those it supervises.
        (Scope::All | Scope::Subtree(_), _) => state
            .store
            .active_departments(Scope::Subtree(user.subject.jurisdiction_id))
            .await?
            .into_iter()
            .filter(|d| d.jurisdiction_id == user.subject.jurisdiction_id)
            .collect(),
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
    let opening: Vec<&FieldId> = procedure.opening_fields.iter().collect();
    let inputs = inputs(
        state,
        &user.subject,
        procedure,
        &opening,
        std::slice::from_ref(&procedure.title_field),
        values,
        department_id,
        today,
        error.as_ref(),
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
        error: error.map(|e| form_message(&e, &inputs, procedure)),
        inputs,
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
    if !procedure.opened_by.contains(&user.subject.role) {
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
            Some(on_refusal()),
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
            let text = messages::case_error(&error, procedure);
            render_new(
                &state,
                &user,
                procedure,
                &values,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(text),
            )
            .await
        }
    }
}

/// The form's message of a refusal, with the messages of refused fields that have no input of
/// their own on the form (documents are uploaded on the case page), so no reason is lost.
fn form_message(
    text: &messages::RefusalText,
    inputs: &[FormInput],
    procedure: &Procedure,
) -> String {
    let mut message = text.message.clone();
    for (field, field_message) in &text.fields {
        if *field_message != text.message
            && field != "on"
            && field != "department_id"
            && !inputs.iter().any(|input| input.id == *field)
        {
            message.push_str(&format!(
                "{}：{}",
                procedure.field_label(field),
                field_message
            ));
        }
    }
    message
}

/// The refusal of a missing or malformed step date.
fn on_refusal() -> messages::RefusalText {
    let text = messages::field_problem(engine::FieldProblem::InvalidDate);
    messages::RefusalText {
        message: format!("办理日期有误：{text}"),
        fields: vec![("on".to_owned(), text.to_owned())],
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
    /// "90日，自立案日期起计算；依据…".
    explanation: String,
    /// The steps that satisfy it.
    awaits: String,
    /// What its lapse entails.
    on_expiry: String,
    /// Whose period it is, when not the agency's duty.
    holder: &'static str,
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
    /// A refusal of a step that has no form here (e.g. not offered in this state).
    refusal: Option<String>,
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
    accounts: BTreeMap<i64, String>,
    departments: BTreeMap<i64, String>,
    documents: BTreeMap<String, String>,
}

impl Names {
    /// Loads the people, accounts and departments named in any of `field_sets` (JSON field
    /// maps), one query each, and the case's documents' file names.
    async fn load(
        state: &AppState,
        procedure: &Procedure,
        field_sets: &[&str],
        documents: &[crate::store::attachments::AttachmentRow],
    ) -> Result<Names, WebError> {
        let mut people = Vec::new();
        let mut accounts = Vec::new();
        let mut departments = Vec::new();
        for json in field_sets {
            let fields: BTreeMap<String, FieldValue> =
                serde_json::from_str(json).unwrap_or_default();
            for (registry, id) in engine::people_named(procedure, &fields) {
                if registry == fazhi_procedure::Registry::StaffAccounts {
                    accounts.push(id);
                } else {
                    people.push(id);
                }
            }
            departments.extend(fields.values().filter_map(|v| match v {
                FieldValue::Department(id) => Some(*id),
                _ => None,
            }));
        }
        Ok(Names {
            people: state
                .store
                .person_names(&people)
                .await?
                .into_iter()
                .collect(),
            accounts: state
                .store
                .account_names(&accounts)
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

    fn people(&self, field: &Field, ids: &[i64]) -> String {
        let names = match field.kind {
            FieldKind::Person(fazhi_procedure::Registry::StaffAccounts) => &self.accounts,
            _ => &self.people,
        };
        ids.iter()
            .map(|id| names.get(id).cloned().unwrap_or_else(|| format!("#{id}")))
            .collect::<Vec<_>>()
            .join("、")
    }
}

fn display_value(names: &Names, field: &Field, value: &FieldValue) -> String {
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
        FieldValue::Person(_) | FieldValue::People(_) => names.people(field, value.people()),
        FieldValue::Document(hash) => match names.documents.get(hash) {
            Some(file_name) => format!("{file_name}（{}…）", hash.get(..12).unwrap_or(hash)),
            None => format!("文件 {}…", hash.get(..12).unwrap_or(hash)),
        },
    }
}

fn display_fields(
    names: &Names,
    procedure: &Procedure,
    fields: &BTreeMap<String, FieldValue>,
) -> Vec<(String, String)> {
    // Definition order reads like the statute; the map's order would be alphabetical.
    procedure
        .fields
        .iter()
        .filter_map(|field| {
            fields
                .get(field.id.as_str())
                .map(|value| (field.label.clone(), display_value(names, field, value)))
        })
        .collect()
}

fn display_json(names: &Names, procedure: &Procedure, json: &str) -> Vec<(String, String)> {
    let fields: BTreeMap<String, FieldValue> = serde_json::from_str(json).unwrap_or_default();
    display_fields(names, procedure, &fields)
}

/// A period's status on `today`: counted in its own unit, with the step it awaits.
fn timer_item(
    procedure: &Procedure,
    timer: &engine::OpenTimer,
    today: time::Date,
    calendar: &dyn engine::PeriodCalculator,
) -> TimerItem {
    let (status, css) = match (timer.paused, timer.due) {
        (true, _) => ("中止或不计算期间，暂停计时".to_owned(), "paused"),
        (false, Some(due)) => {
            match engine::overdue_by(due.date, today, timer.period.unit, calendar) {
                Some(overdue) => match timer.lapse {
                    engine::LapseKind::Overdue => (format!("已超期 {overdue}"), "overdue"),
                    engine::LapseKind::Ends => (format!("已届满（{overdue}前）"), "ok"),
                    engine::LapseKind::Deems => ("已届满，依法视为已办理".to_owned(), "ok"),
                },
                None => {
                    let left = remaining(today, due.date, timer.period.unit, calendar);
                    let css = if calendar.workdays_between(today, due.date) <= 3 {
                        "warning"
                    } else {
                        "ok"
                    };
                    (format!("剩余 {left}"), css)
                }
            }
        }
        (false, None) => ("无法计算".to_owned(), "paused"),
    };
    TimerItem {
        label: timer.label.clone(),
        explanation: engine::explain(procedure, timer),
        awaits: timer.awaits(procedure).join("、"),
        on_expiry: timer.on_expiry.clone(),
        holder: match timer.lapse {
            engine::LapseKind::Overdue => "",
            engine::LapseKind::Ends => "当事人享有的期间，届满即结束",
            engine::LapseKind::Deems => "届满未办理的，依法视为办理",
        },
        started_on: date_text(timer.started_on),
        due_on: timer.due.map(|d| date_text(d.date)).unwrap_or_default(),
        status,
        css,
        provisional: timer.due.is_some_and(|d| d.provisional),
    }
}

/// What is left of a period on `today`, in its own unit (months in 日).
fn remaining(
    today: time::Date,
    due: time::Date,
    unit: fazhi_procedure::PeriodUnit,
    calendar: &dyn engine::PeriodCalculator,
) -> String {
    match unit {
        fazhi_procedure::PeriodUnit::Workdays => {
            format!("{} 个工作日", calendar.workdays_between(today, due))
        }
        _ => format!("{} 日", (due - today).whole_days()),
    }
}

#[allow(clippy::too_many_arguments)]
async fn render_case(
    state: &AppState,
    user: &SignedIn,
    id: i64,
    notice: Option<&str>,
    refused: Option<(String, messages::RefusalText)>,
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
    let names = Names::load(state, procedure, &field_sets, &stored_attachments).await?;
    let facts = display_json(&names, procedure, &case.fields_json);
    // The case as it stands today: deemed steps (视为受理…) appear where the law put them.
    let engine_case = state.store.engine_case(id).await?;
    let calendar = state.calendar.as_ref();
    let replay = engine::Replay::of(procedure, &engine_case, engine::AsOf::Day(today), calendar);
    let mut stored = steps.into_iter();
    let mut timeline = Vec::new();
    for step in &replay.history {
        let deemed = step.deemed_by.as_ref().map(|timer| {
            let article = procedure
                .transition(&step.action)
                .map_or("", |t| t.article.as_str());
            (
                format!("{}（依法视为办理）", procedure.step_label(&step.action)),
                format!(
                    "“{}”届满（{article}）",
                    procedure
                        .timer(timer)
                        .map_or(timer.as_str(), |t| t.label.as_str())
                ),
            )
        });
        // A deemed step is stored once someone acted after it (a borrowed step of the case);
        // until then it is derived here and has no row.
        if matches!(step, std::borrow::Cow::Owned(_)) {
            if let Some((label, actor)) = deemed {
                timeline.push(TimelineItem {
                    seq: 0,
                    label,
                    on_date: date_text(step.on),
                    actor,
                    state_label: label_of_state(procedure, &step.state_after),
                    fields: Vec::new(),
                    event_id: 0,
                    at: String::new(),
                });
            }
            continue;
        }
        let Some(row) = stored.next() else { break };
        let (label, actor) = deemed.unwrap_or_else(|| {
            (
                if row.action == "open" {
                    "立案登记".to_owned()
                } else {
                    procedure.step_label(&row.action).to_owned()
                },
                row.actor_name.clone(),
            )
        });
        timeline.push(TimelineItem {
            seq: row.seq,
            label,
            on_date: row.on_date,
            actor,
            state_label: label_of_state(procedure, &row.state_after),
            fields: display_json(&names, procedure, &row.fields_json),
            event_id: row.event_id,
            at: row.at,
        });
    }
    let timers = replay
        .open_timers(procedure, calendar)
        .iter()
        .map(|t| timer_item(procedure, t, today, calendar))
        .collect();
    let mut actions = Vec::new();
    let engine_case_scope = may_act_on(state, user, &case).await?;
    let mut page_refusal = refused.as_ref().map(|(_, text)| text.message.clone());
    if engine_case_scope {
        for transition in procedure.offered(&replay.state, user.subject.role) {
            let is_refused = refused
                .as_ref()
                .filter(|(action, _)| transition.action == *action)
                .map(|(_, text)| text);
            if is_refused.is_some() {
                // Shown beside its form instead.
                page_refusal = None;
            }
            let empty = BTreeMap::new();
            let action_values = if is_refused.is_some() { values } else { &empty };
            let offered: Vec<&FieldId> = transition
                .required
                .iter()
                .chain(&transition.optional)
                .collect();
            let form_inputs = inputs(
                state,
                &user.subject,
                procedure,
                &offered,
                &transition.required,
                action_values,
                case.department_id,
                today,
                is_refused,
            )
            .await?;
            actions.push(ActionForm {
                action: transition.action.as_str().to_owned(),
                label: transition.label.clone(),
                article: transition.article.clone(),
                error: is_refused.map(|text| form_message(text, &form_inputs, procedure)),
                inputs: form_inputs,
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
        state_label: label_of_state(procedure, &replay.state),
        outcome_label: label_of_outcome(procedure, case.outcome.as_deref()),
        refusal: page_refusal,
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
    let Some(on) = engine::fields_parse_date(&on_text) else {
        return render_case(
            &state,
            &user,
            id,
            None,
            Some((action.clone(), on_refusal())),
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
            let text = messages::case_error(&error, procedure);
            let status = if matches!(
                error,
                CaseError::Refused(engine::Refusal::StaleVersion { .. })
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
                Some((action.clone(), text)),
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
            jurisdiction_id: case.jurisdiction_id,
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
