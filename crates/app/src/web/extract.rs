//! axum's `Path`, `Query` and `Form` extractors with Chinese refusals. axum's own answer a
//! malformed request in English plain text (`Invalid URL: Cannot parse "abc" to a i64`); these
//! wrap them and answer like every other refusal: a Chinese page, or for the JSON API
//! (`/api/…`) a JSON error, with a 4xx status and nothing done.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{StatusCode, request::Parts};
use axum::response::Response;
use serde::de::DeserializeOwned;

use super::messages::errors;

/// How a malformed request is refused: as a page, or as the API's JSON error.
fn refuse(path: &str, status: StatusCode, code: &str, message: &str) -> Response {
    if path.starts_with("/api/") {
        super::api::error(status, code, message)
    } else {
        super::error::page(status, "请求有误", message)
    }
}

/// The path's parameters (`/case/{id}`); a parameter that does not parse (`/case/abc`) is a
/// 404 with a Chinese page, because no such page exists.
#[derive(Debug, Clone, Copy)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(_) => Err(refuse(
                parts.uri.path(),
                StatusCode::NOT_FOUND,
                "bad_path",
                errors::BAD_PATH,
            )),
        }
    }
}

/// The query string; one that does not fit the page's parameters is a 400 with a Chinese page.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // Undecodable bytes and NUL (which PostgreSQL text cannot hold) are refused, as in forms.
        if !super::session::form_is_utf8(parts.uri.query().unwrap_or_default().as_bytes()) {
            return Err(refuse(
                parts.uri.path(),
                StatusCode::BAD_REQUEST,
                "bad_query",
                errors::BAD_QUERY,
            ));
        }
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(_) => Err(refuse(
                parts.uri.path(),
                StatusCode::BAD_REQUEST,
                "bad_query",
                errors::BAD_QUERY,
            )),
        }
    }
}

/// An urlencoded form body; one that does not fit the form (a missing or malformed field) is a
/// 400 with a Chinese page.
#[derive(Debug, Clone, Copy, Default)]
pub struct Form<T>(pub T);

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let path = request.uri().path().to_owned();
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(Form(value)),
            Err(_) => Err(refuse(
                &path,
                StatusCode::BAD_REQUEST,
                "bad_form",
                errors::BAD_FORM,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::routing::{get, post};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    use super::*;

    #[derive(serde::Deserialize)]
    struct Login {
        #[allow(dead_code)]
        username: String,
    }

    fn app() -> axum::Router {
        axum::Router::new()
            .route(
                "/case/{id}",
                get(|Path(id): Path<i64>| async move { id.to_string() }),
            )
            .route(
                "/api/v1/cases/{id}",
                get(|Path(id): Path<i64>| async move { id.to_string() }),
            )
            .route(
                "/proof",
                get(
                    |Query(q): Query<std::collections::HashMap<String, u64>>| async move {
                        q.len().to_string()
                    },
                ),
            )
            .route("/login", post(|Form(_): Form<Login>| async { "ok" }))
    }

    async fn answer(request: Request<Body>) -> (StatusCode, String) {
        let response = app().oneshot(request).await.expect("infallible");
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    fn get_request(uri: &str) -> Request<Body> {
        Request::get(uri).body(Body::empty()).expect("request")
    }

    #[tokio::test]
    async fn malformed_requests_are_refused_in_chinese() {
        assert_eq!(
            answer(get_request("/case/7")).await,
            (StatusCode::OK, "7".into())
        );
        let (status, body) = answer(get_request("/case/abc")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains(errors::BAD_PATH), "{body}");
        assert!(!body.contains("Cannot parse"), "{body}");
        let (status, body) = answer(get_request("/case/99999999999999999999")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

        let (status, body) = answer(get_request("/api/v1/cases/abc")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(json["error"], "bad_path");
        assert_eq!(json["message"], errors::BAD_PATH);

        for query in ["index=%00", "index=%FF"] {
            let (status, body) = answer(get_request(&format!("/proof?{query}"))).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
            assert!(body.contains(errors::BAD_QUERY), "{body}");
        }
        let (status, body) = answer(get_request("/proof?index=x")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains(errors::BAD_QUERY), "{body}");

        let form = Request::post("/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("password=x"))
            .expect("request");
        let (status, body) = answer(form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains(errors::BAD_FORM), "{body}");
    }
}
