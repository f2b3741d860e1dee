//! Sign-in and sign-out, with throttling: after [`MAX_FAILURES_PER_USER`] failed attempts on an
//! account within [`LOCK_MINUTES`] minutes the account is locked for [`LOCK_MINUTES`] minutes
//! from the last failure, and a client address with [`MAX_FAILURES_PER_CLIENT`] failures in the
//! same window is refused outright. Each attempt is counted before its password is checked
//! ([`crate::store::Store::admit_login_attempt`]), so concurrent requests get no more checks than
//! these limits. After sign-in the browser goes only to a path on this site
//! ([`super::redirect::same_site_path`]).

use std::net::SocketAddr;

use super::extract::{Form, Query};
use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::Duration;

use super::error::WebError;
use super::redirect::same_site_path;
use super::routes::Routes;
use super::session::{RequestSession, SESSION_COOKIE, set_cookie};
use super::{AppState, messages};
use crate::clock::{from_db_time, to_db_time};
use crate::password;
use crate::store::auth::{LoginAttempt, LoginLimits};

/// Failed attempts on one account that lock it.
pub const MAX_FAILURES_PER_USER: i64 = 5;
/// Failed attempts from one client address that block it.
pub const MAX_FAILURES_PER_CLIENT: i64 = 30;
/// The throttling window and the lock's length, in minutes.
pub const LOCK_MINUTES: i64 = 15;
/// How long a session lasts, in hours.
pub const SESSION_HOURS: i64 = 10;

pub(super) fn router() -> Routes {
    Routes::new()
        .get("/login", login_page)
        .post("/login", login)
        .post("/logout", logout)
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf_token: String,
    username: String,
    next: String,
    error: Option<String>,
    notice: Option<&'static str>,
    jurisdiction: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(super) struct LoginQuery {
    next: String,
    notice: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub(super) struct LoginForm {
    username: String,
    password: String,
    next: String,
}

async fn login_page(
    State(state): State<AppState>,
    Extension(request_session): Extension<RequestSession>,
    Query(query): Query<LoginQuery>,
) -> Result<Response, WebError> {
    if request_session.session.is_some() {
        return Ok(Redirect::to(same_site_path(&query.next)).into_response());
    }
    let jurisdiction = state.store.jurisdiction().await?.map(|j| j.name);
    let page = LoginPage {
        csrf_token: request_session.csrf_token,
        username: String::new(),
        next: same_site_path(&query.next).to_owned(),
        error: None,
        notice: messages::notice(&query.notice),
        jurisdiction,
    };
    Ok(Html(page.render()?).into_response())
}

async fn login(
    State(state): State<AppState>,
    Extension(request_session): Extension<RequestSession>,
    connect_info: Option<Extension<ConnectInfo<SocketAddr>>>,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let store = &state.store;
    let now = state.clock.now();
    let now_text = to_db_time(now);
    let since = to_db_time(now - Duration::minutes(LOCK_MINUTES));
    let client = connect_info.map_or_else(
        || "local".to_owned(),
        |Extension(ConnectInfo(addr))| addr.ip().to_string(),
    );
    let username = form.username.trim().to_owned();
    // Decided first, so that nothing about the target can fail once the session exists.
    let target = same_site_path(&form.next).to_owned();
    let jurisdiction = store.jurisdiction().await?.map(|j| j.name);
    let refuse = |status: StatusCode, error: String| -> Result<Response, WebError> {
        let page = LoginPage {
            csrf_token: request_session.csrf_token.clone(),
            username: username.clone(),
            next: target.clone(),
            error: Some(error),
            notice: None,
            jurisdiction: jurisdiction.clone(),
        };
        Ok((status, Html(page.render()?)).into_response())
    };

    if username.is_empty() || form.password.is_empty() {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            messages::login::EMPTY.to_owned(),
        );
    }
    // The attempt is counted, and the lock decided, before the password is checked: however
    // many requests arrive at once, no more passwords are checked than the limits allow.
    let limits = LoginLimits {
        since: &since,
        max_per_user: MAX_FAILURES_PER_USER,
        max_per_client: MAX_FAILURES_PER_CLIENT,
    };
    let attempt_id = match store
        .admit_login_attempt(&username, &client, &now_text, limits)
        .await?
    {
        LoginAttempt::Admitted(id) => id,
        LoginAttempt::ClientBlocked => {
            return refuse(
                StatusCode::TOO_MANY_REQUESTS,
                messages::login::CLIENT_THROTTLED.to_owned(),
            );
        }
        LoginAttempt::AccountLocked { latest } => {
            let unlocks_at = latest
                .as_deref()
                .and_then(from_db_time)
                .map_or(now, |t| t + Duration::minutes(LOCK_MINUTES));
            let minutes = ((unlocks_at - now).whole_seconds() + 59) / 60;
            return refuse(
                StatusCode::TOO_MANY_REQUESTS,
                messages::login::locked(minutes.max(1)),
            );
        }
    };

    let user = store.user_by_username(&username).await?;
    let stored_hash = user.as_ref().map_or_else(
        || password::dummy_hash().to_owned(),
        |u| u.password_hash.clone(),
    );
    let password_given = form.password.clone();
    // Argon2 takes a fraction of a second of CPU: keep it off the async workers.
    let matches =
        tokio::task::spawn_blocking(move || password::verify(&password_given, &stored_hash))
            .await
            .map_err(|e| WebError::Internal(e.to_string()))?;
    let user = match user {
        Some(user) if matches && user.active => user,
        // The admitted attempt stays recorded as failed.
        _ => return refuse(StatusCode::UNAUTHORIZED, messages::login::WRONG.to_owned()),
    };
    let token = password::random_token(32).map_err(|e| WebError::Internal(e.to_string()))?;
    let csrf_token = password::random_token(32).map_err(|e| WebError::Internal(e.to_string()))?;
    let expires_at = to_db_time(now + Duration::hours(SESSION_HOURS));
    store
        .complete_login(
            attempt_id,
            user.id,
            &token,
            &csrf_token,
            &now_text,
            &expires_at,
        )
        .await?;
    tracing::info!(user_id = user.id, "signed in");
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(SESSION_COOKIE, &token, state.config.secure_cookies, false),
        )],
        Redirect::to(&target),
    )
        .into_response())
}

async fn logout(
    State(state): State<AppState>,
    Extension(request_session): Extension<RequestSession>,
) -> Result<Response, WebError> {
    if let Some(token) = &request_session.token {
        state
            .store
            .delete_session(token, &to_db_time(state.clock.now()))
            .await?;
    }
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(SESSION_COOKIE, "", state.config.secure_cookies, true),
        )],
        Redirect::to("/login?notice=signed_out"),
    )
        .into_response())
}
