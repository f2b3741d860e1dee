//! The web edge's error responses: one place maps failures to statuses and Chinese pages. A 500
//! shows a generic message and an operation id; the detail goes to the log only.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::messages;

/// An error a handler returns.
#[derive(Debug)]
pub enum WebError {
    /// The record does not exist (404).
    NotFound,
    /// The role may not do this (403), with the Chinese explanation.
    Forbidden(String),
    /// The request itself is malformed (400), with the Chinese explanation.
    BadRequest(String),
    /// Anything unexpected (500); the detail is logged, not shown.
    Internal(String),
}

impl From<crate::store::StoreError> for WebError {
    fn from(error: crate::store::StoreError) -> Self {
        match error {
            crate::store::StoreError::NotFound => WebError::NotFound,
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(error: askama::Error) -> Self {
        WebError::Internal(format!("template: {error}"))
    }
}

impl From<crate::authz::Denied> for WebError {
    fn from(denied: crate::authz::Denied) -> Self {
        WebError::Forbidden(messages::denied(&denied))
    }
}

/// A minimal self-contained error page (no layout, so it renders even when the layout's data
/// could not be loaded).
pub(crate) fn page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head>\
         <body><main class=\"narrow\"><h1>{title}</h1><p class=\"alert error\" role=\"alert\">{}</p>\
         <p><a href=\"/\">返回工作台</a></p></main></body></html>",
        askama_escape(message)
    );
    (status, Html(body)).into_response()
}

/// HTML-escapes text for the hand-built error page.
fn askama_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '&' => escaped.push_str("&amp;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// A 500 for an error outside a handler (middleware), logged with an operation id.
pub fn internal(error: &dyn std::fmt::Display) -> Response {
    WebError::Internal(error.to_string()).into_response()
}

/// The CSRF refusal.
pub fn csrf_refused() -> Response {
    page(StatusCode::FORBIDDEN, "请求被拒绝", messages::errors::CSRF)
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::NotFound => {
                page(StatusCode::NOT_FOUND, "未找到", messages::errors::NOT_FOUND)
            }
            WebError::Forbidden(message) => page(StatusCode::FORBIDDEN, "无权访问", &message),
            WebError::BadRequest(message) => page(StatusCode::BAD_REQUEST, "请求有误", &message),
            WebError::Internal(detail) => {
                let operation_id = crate::password::random_token(6).unwrap_or_default();
                tracing::error!(%operation_id, %detail, "request failed");
                page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "系统错误",
                    &format!("{}{operation_id}", messages::errors::INTERNAL),
                )
            }
        }
    }
}
