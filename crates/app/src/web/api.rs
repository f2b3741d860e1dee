//! The JSON API under `/api/v1`, with the same rules as the pages: a personal token (`fazhi token
//! create`) stands for its account, access goes through `authz` and the case scope, and actions go
//! through the engine. Outside the cookie session, so no CSRF token is needed (the bearer token
//! cannot be sent by another site).

use std::collections::BTreeMap;

use super::extract::{Path, Query};
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::{StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::routes::Routes;
use super::{AppState, messages};
use crate::authz::{self, Action, Subject};
use crate::cases::{self, CaseError};
use crate::engine::{self, Command};
use crate::store::cases::CaseFilter;

pub(super) fn router() -> Routes {
    Routes::new()
        .get("/api/v1/openapi.json", openapi)
        .get("/api/v1/cases", list)
        .post("/api/v1/cases", open)
        .get("/api/v1/cases/{id}", show)
        .post("/api/v1/cases/{id}/actions", act)
}

/// The API's error body: `{"error": code, "message": 中文}`.
pub(super) fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({"error": code, "message": message}))).into_response()
}

/// The account a bearer token stands for.
#[derive(Debug, Clone, Copy)]
pub struct ApiUser(pub Subject);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return Err(error(
                StatusCode::UNAUTHORIZED,
                "missing_token",
                "请在 Authorization 头中提供 Bearer 令牌。",
            ));
        };
        match state.store.user_for_token(token).await {
            Ok(Some(user)) => Ok(ApiUser(user.subject())),
            Ok(None) => Err(error(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "令牌无效或账号已停用。",
            )),
            Err(_) => Err(error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                messages::errors::INTERNAL,
            )),
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(super) struct ListQuery {
    procedure: String,
    state: String,
    page: i64,
}

async fn list(
    State(state): State<AppState>,
    ApiUser(subject): ApiUser,
    Query(query): Query<ListQuery>,
) -> Response {
    if authz::check(&subject, Action::ViewCases).is_err() {
        return error(StatusCode::FORBIDDEN, "forbidden", "无权查看案件。");
    }
    if !state.procedures.iter().any(|p| p.id == query.procedure) {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_procedure",
            "procedure 应为 reconsideration、litigation、penalty 或 disclosure。",
        );
    }
    let filter = CaseFilter {
        procedure: query.procedure.clone(),
        state: (!query.state.is_empty()).then(|| query.state.clone()),
        page: query.page.clamp(1, super::forms::MAX_PAGE),
        per_page: 50,
        ..CaseFilter::default()
    };
    match state.store.list_cases(&subject, &filter).await {
        Ok(page) => Json(json!({
            "total": page.total, "page": page.page, "per_page": page.per_page,
            "items": page.items.iter().map(|c| json!({"id": c.id, "number": c.number, "procedure": c.procedure,
                "department_id": c.department_id, "department": c.department_name, "title": c.title,
                "state": c.state, "version": c.version, "opened_on": c.opened_on, "closed_on": c.closed_on, "outcome": c.outcome})).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "internal", messages::errors::INTERNAL),
    }
}

async fn show(
    State(state): State<AppState>,
    ApiUser(subject): ApiUser,
    Path(id): Path<i64>,
) -> Response {
    let Ok(case) = state.store.case_for(&subject, id).await else {
        return error(
            StatusCode::NOT_FOUND,
            "not_found",
            messages::errors::NOT_FOUND,
        );
    };
    let (Ok(steps), Ok(timers)) = (
        state.store.case_steps(id).await,
        state.store.case_timers(id).await,
    ) else {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            messages::errors::INTERNAL,
        );
    };
    let fields: serde_json::Value = serde_json::from_str(&case.fields_json).unwrap_or_default();
    // The state as the law has it today: a step deemed taken since anyone last acted (视为受理)
    // is not stored yet, so it is derived here as on the case page.
    let today = state.clock.now().date();
    let procedure = state.procedures.iter().find(|p| p.id == case.procedure);
    let (effective_state, deemed) = match (procedure, state.store.engine_case(id).await) {
        (Some(procedure), Ok(engine_case)) => {
            let replay = engine::Replay::of(
                procedure,
                &engine_case,
                engine::AsOf::Day(today),
                state.calendar.as_ref(),
            );
            let deemed: Vec<serde_json::Value> = replay
                .deemed_since_last_stored()
                .iter()
                .map(|d| json!({"action": d.action, "on": d.on, "state_after": d.state_after, "deemed_by": d.deemed_by}))
                .collect();
            (replay.state, deemed)
        }
        _ => (case.state.clone(), Vec::new()),
    };
    Json(json!({
        "id": case.id, "number": case.number, "procedure": case.procedure, "department_id": case.department_id,
        "state": effective_state, "stored_state": case.state, "deemed_steps": deemed, "version": case.version, "opened_on": case.opened_on, "outcome": case.outcome, "fields": fields,
        "steps": steps.iter().map(|s| json!({"seq": s.seq, "action": s.action, "on": s.on_date, "state_after": s.state_after,
            "actor": s.actor_name, "event_id": s.event_id, "at": s.at})).collect::<Vec<_>>(),
        "timers": timers.iter().map(|t| json!({"timer": t.timer_id, "label": t.label, "article": t.article, "started_on": t.started_on,
            "due_on": t.due_on, "provisional": t.provisional, "paused": t.paused, "extended": t.extended, "lapse": t.lapse, "unit": t.unit})).collect::<Vec<_>>(),
    }))
    .into_response()
}

/// A body for opening a case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OpenBody {
    procedure: String,
    department_id: i64,
    on: String,
    #[serde(default)]
    fields: BTreeMap<String, String>,
}

/// A body for taking an action.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ActBody {
    action: String,
    on: String,
    version: i64,
    #[serde(default)]
    fields: BTreeMap<String, String>,
}

fn refused(error_value: &CaseError, procedure: &crate::procedure::Procedure) -> Response {
    let text = messages::case_error(error_value, procedure);
    let (status, code) = match error_value {
        CaseError::Refused(engine::Refusal::StaleVersion { .. }) => {
            (StatusCode::CONFLICT, "stale_version")
        }
        CaseError::Refused(
            engine::Refusal::RoleNotAllowed { .. }
            | engine::Refusal::OutOfScope
            | engine::Refusal::NotAssigned { .. },
        )
        | CaseError::DepartmentOutOfScope => (StatusCode::FORBIDDEN, "forbidden"),
        CaseError::TotalOutOfRange => (StatusCode::UNPROCESSABLE_ENTITY, "total_out_of_range"),
        CaseError::StepDate { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "step_date"),
        CaseError::Store(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        CaseError::Refused(refusal) => (StatusCode::UNPROCESSABLE_ENTITY, refusal.code()),
    };
    let article = match error_value {
        CaseError::Refused(refusal) => refusal.article().map(str::to_owned),
        _ => None,
    };
    let fields: serde_json::Map<String, serde_json::Value> = text
        .fields
        .iter()
        .map(|(f, m)| (f.clone(), json!(m)))
        .collect();
    (
        status,
        Json(
            json!({"error": code, "field": text.fields.first().map(|(f, _)| f.clone()),
            "fields": fields, "article": article, "message": text.message}),
        ),
    )
        .into_response()
}

async fn open(
    State(state): State<AppState>,
    ApiUser(subject): ApiUser,
    body: Result<Json<OpenBody>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Ok(Json(body)) = body else {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_json",
            "请求体应为 JSON：{procedure, department_id, on, fields}。",
        );
    };
    let Some(procedure) = state.procedures.iter().find(|p| p.id == body.procedure) else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_procedure",
            "未知的程序。",
        );
    };
    let Some(on) = engine::fields_parse_date(&body.on) else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_date",
            messages::field_problem(engine::FieldProblem::InvalidDate),
        );
    };
    match cases::open_case(
        &state.store,
        procedure,
        state.calendar.as_ref(),
        &subject,
        body.department_id,
        &body.fields,
        on,
        state.clock.now(),
    )
    .await
    {
        Ok((id, number)) => (
            StatusCode::CREATED,
            Json(json!({"id": id, "number": number, "version": 1})),
        )
            .into_response(),
        Err(e) => refused(&e, procedure),
    }
}

async fn act(
    State(state): State<AppState>,
    ApiUser(subject): ApiUser,
    Path(id): Path<i64>,
    body: Result<Json<ActBody>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Ok(Json(body)) = body else {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_json",
            "请求体应为 JSON：{action, on, version, fields}。",
        );
    };
    let Ok(case) = state.store.case_for(&subject, id).await else {
        return error(
            StatusCode::NOT_FOUND,
            "not_found",
            messages::errors::NOT_FOUND,
        );
    };
    let Some(procedure) = state.procedures.iter().find(|p| p.id == case.procedure) else {
        return error(
            StatusCode::NOT_FOUND,
            "not_found",
            messages::errors::NOT_FOUND,
        );
    };
    let Some(on) = engine::fields_parse_date(&body.on) else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_date",
            messages::field_problem(engine::FieldProblem::InvalidDate),
        );
    };
    let command = Command {
        actor: subject,
        action: body.action,
        on,
        fields: body.fields,
        expected_version: body.version,
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
        Ok(()) => Json(json!({"id": id, "version": body.version + 1})).into_response(),
        Err(e) => refused(&e, procedure),
    }
}

/// `GET /api/v1/openapi.json`: the API described in OpenAPI 3.1.
async fn openapi() -> Response {
    let error_schema = json!({"type": "object", "properties": {"error": {"type": "string"}, "field": {"type": "string"}, "message": {"type": "string"}}});
    Json(json!({
        "openapi": "3.1.0",
        "info": {"title": "Fazhi API", "version": "1", "description": "案件办理接口：与网页相同的权限与法定规则。令牌由 `fazhi token create` 生成。"},
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": error_schema},
        },
        "security": [{"token": []}],
        "paths": {
            "/api/v1/cases": {
                "get": {"summary": "List cases in the caller's scope", "parameters": [
                    {"name": "procedure", "in": "query", "required": true, "schema": {"type": "string", "enum": ["reconsideration", "litigation", "penalty", "disclosure"]}},
                    {"name": "state", "in": "query", "schema": {"type": "string"}},
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}}],
                    "responses": {"200": {"description": "A page of cases"}, "401": {"description": "No or bad token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}},
                "post": {"summary": "Open a case", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["procedure", "department_id", "on"],
                    "properties": {"procedure": {"type": "string"}, "department_id": {"type": "integer"}, "on": {"type": "string", "format": "date"}, "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}}},
                    "responses": {"201": {"description": "Opened"}, "422": {"description": "Refused, with the reason", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}
            },
            "/api/v1/cases/{id}": {"get": {"summary": "A case with its steps and running periods",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "The case"}, "404": {"description": "Not found or outside the caller's scope"}}}},
            "/api/v1/cases/{id}/actions": {"post": {"summary": "Take an action on a case (optimistic concurrency by version)",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["action", "on", "version"],
                    "properties": {"action": {"type": "string"}, "on": {"type": "string", "format": "date"}, "version": {"type": "integer"}, "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}}},
                "responses": {"200": {"description": "Recorded"}, "409": {"description": "The case changed since that version"}, "422": {"description": "Refused by the statute's rules", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}}
        }
    }))
    .into_response()
}
