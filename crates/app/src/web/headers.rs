//! Security headers on every response, in one layer (attached in [`super::router`], outside
//! every route and the fallback):
//!
//! - `Content-Security-Policy: default-src 'self'; frame-ancestors 'none'`: the pages load only
//!   our own stylesheets (no inline styles or scripts; the report's stylesheet is
//!   `/static/report.css`), and no other site may frame them. The policy is *appended*: a
//!   handler that sets a stricter one (attachment downloads: `default-src 'none'; sandbox`)
//!   keeps it, and a browser enforces both.
//! - `X-Content-Type-Options: nosniff`.
//! - `Cache-Control: no-store` on everything that may carry personal data, which is everything
//!   but the stylesheets, `/healthz` and the public log endpoints (`/log/...` and
//!   `/j/<code>/log/...`: checkpoints, tiles, proofs, which carry no content). Those keep what
//!   their handler says (full tiles and stylesheets are cacheable). Public pages (sign-in, 公示, the report portal) get
//!   `no-store` too: the sign-in form carries a CSRF token, 公示 names parties and withdraws
//!   decisions (a cached copy would go on showing them), and when in doubt nothing is cached.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The policy every response carries.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; frame-ancestors 'none'";

/// Whether responses to `path` carry no personal data and may be cached as their handler says.
fn may_be_cached(path: &str) -> bool {
    path.starts_with("/static/") || path == "/healthz" || is_log_endpoint(path)
}

/// `/log/…` (the root's log) or `/j/<code>/log/…` (any jurisdiction's).
fn is_log_endpoint(path: &str) -> bool {
    path.starts_with("/log/")
        || path
            .strip_prefix("/j/")
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(code, rest)| !code.is_empty() && rest.starts_with("log/"))
}

/// The middleware described in the module documentation.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let cacheable = may_be_cached(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.append(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let says_no_store = headers
        .get(header::CACHE_CONTROL)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("no-store"));
    if !cacheable && !says_no_store {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_assets_and_log_endpoints_may_be_cached() {
        for path in [
            "/static/app.css",
            "/static/report.css",
            "/healthz",
            "/log/checkpoint",
            "/j/420100/log/checkpoint",
            "/j/420100/log/tile/0/000",
        ] {
            assert!(may_be_cached(path), "{path}");
        }
        for path in [
            "/",
            "/login",
            "/log",
            "/j/420100/log",
            "/j//log/checkpoint",
            "/j/420100/cases",
            "/logout",
            "/reports",
            "/api/v1/cases",
            "/healthz/x",
        ] {
            assert!(!may_be_cached(path), "{path}");
        }
    }
}
