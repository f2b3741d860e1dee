//! The web application: every route is listed in `all_routes`, built with [`routes::Routes`],
//! which records them for the tests. Handlers extract, parse, call the store and render; they
//! run no SQL and make no access decisions of their own (they name the
//! [`crate::authz::Action`] and call `authz::check`).
//!
//! Pages are server-rendered askama templates (`crates/app/templates/`), forms work without
//! JavaScript, and the stylesheet is compiled into the binary.

pub mod accounts;
pub mod api;
pub mod auth;
pub mod cases;
pub mod certificates;
pub mod dashboard;
pub mod departments;
pub mod error;
pub mod external;
pub mod extract;
pub mod forms;
pub mod headers;
pub mod jurisdictions;
pub mod layout;
pub mod log;
pub mod messages;
pub mod people;
pub mod publicity;
pub mod redirect;
pub mod report;
pub mod routes;
pub mod session;
pub mod settings;
pub mod statistics;
pub mod submissions;
pub mod supervision;

use std::sync::Arc;

use axum::Router;
use axum::http::{Method, StatusCode, header};
use axum::response::IntoResponse;

use crate::clock::Clock;
use crate::store::Store;
use routes::Routes;

/// Settings of the web layer.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when Fazhi is served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
}

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The time source.
    pub clock: Arc<dyn Clock>,
    /// Web settings.
    pub config: WebConfig,
    /// The procedure definitions, validated at start-up.
    pub procedures: Arc<[crate::procedure::Procedure]>,
    /// Statutory period arithmetic on the official calendar.
    pub calendar: Arc<dyn crate::engine::PeriodCalculator>,
    /// The public keys of every jurisdiction's log and witness, shown on the 日志验证 pages
    /// (kept up to date by the signing rounds, which load the keys).
    pub public_keys: crate::log_key::PublicKeys,
    /// The indicator catalogue, checked against the procedures.
    pub catalogue: Arc<crate::indicators::Catalogue>,
    /// Indicator computations per (year, log size), for the statistics pages.
    pub computations: Arc<crate::indicators::compute::ComputationCache>,
}

impl AppState {
    /// The state for `procedures`, with the shipped indicator catalogue checked against them;
    /// `log_key` is the root's log key (see [`AppState::with_public_keys`] for every
    /// jurisdiction's).
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        config: WebConfig,
        procedures: Vec<crate::procedure::Procedure>,
        calendar: Arc<dyn crate::engine::PeriodCalculator>,
        log_key: Option<fazhi_ledger::Verifier>,
    ) -> Result<AppState, crate::indicators::CatalogueError> {
        let catalogue = crate::indicators::Catalogue::embedded(&procedures)?;
        Ok(AppState {
            store,
            clock,
            config,
            procedures: procedures.into(),
            calendar,
            public_keys: crate::log_key::PublicKeys::root_only(log_key),
            catalogue: Arc::new(catalogue),
            computations: Arc::default(),
        })
    }

    /// The same state showing `public_keys` (e.g. [`crate::log_key::KeyDir::public_keys`]).
    pub fn with_public_keys(mut self, public_keys: crate::log_key::PublicKeys) -> AppState {
        self.public_keys = public_keys;
        self
    }
}

/// Every route, built once for [`router`] and once for [`route_table`]; `session` wraps the
/// pages (not the JSON API, which takes bearer tokens, nor the health check and stylesheets).
fn all_routes(session: impl FnOnce(Router<AppState>) -> Router<AppState>) -> Routes {
    let pages = Routes::new()
        .merge(auth::router())
        .merge(dashboard::router())
        .merge(cases::router())
        .merge(certificates::router())
        .merge(departments::router())
        .merge(people::router())
        .merge(accounts::router())
        .merge(settings::router())
        .merge(jurisdictions::router())
        .merge(log::router())
        .merge(publicity::router())
        .merge(statistics::router())
        .merge(submissions::router())
        .merge(report::router())
        .merge(external::router())
        .merge(supervision::router())
        .wrap(session);
    Routes::new()
        .get("/healthz", healthz)
        .get("/static/app.css", stylesheet)
        .get("/static/report.css", report_stylesheet)
        .merge(api::router())
        .merge(pages)
}

/// The application's routes, each response with the security headers of [`headers`].
pub fn router(state: AppState) -> Router {
    let session = axum::middleware::from_fn_with_state(state.clone(), session::session_and_csrf);
    let (routes, _) = all_routes(|pages| pages.layer(session)).into_parts();
    routes
        .fallback(not_found)
        .layer(axum::middleware::from_fn(headers::security_headers))
        .with_state(state)
}

/// The `(method, path)` of every route [`router`] serves, `{param}`s as written, for the tests
/// that request every route as every role.
#[doc(hidden)]
pub fn route_table() -> Vec<(Method, &'static str)> {
    all_routes(|pages| pages).into_parts().1
}

/// `GET /healthz`: 200 `ok` when the database answers, 503 otherwise.
async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> impl IntoResponse {
    if state.store.ping().await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

/// A stylesheet: public, cached for an hour.
fn css(text: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        text,
    )
}

/// The stylesheet, embedded at compile time.
async fn stylesheet() -> impl IntoResponse {
    css(include_str!("../../static/app.css"))
}

/// The annual report's stylesheet (the one its HTML export inlines), for the pages that show a
/// report: the content security policy allows no inline styles.
async fn report_stylesheet() -> impl IntoResponse {
    css(fazhi_report::html::CSS)
}

async fn not_found() -> impl IntoResponse {
    error::WebError::NotFound
}
