//! The public face of the tamper-evident log: the latest signed checkpoint, the C2SP
//! `tlog-tiles` hashes, inclusion and consistency proofs, and the 日志验证 page explaining how
//! anyone can check them. None of it needs a sign-in and none of it carries personal data (the
//! leaves are salted commitments). The full proof of one event, which includes the event's
//! content, is served only to staff who may see the case.

use super::extract::{Path, Query};
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::AppState;
use super::error::WebError;
use super::routes::Routes;
use super::session::SignedIn;
use crate::authz::{self, Action};

pub(super) fn router() -> Routes {
    Routes::new()
        .get("/log", page)
        .get("/log/checkpoint", checkpoint)
        .get("/log/tile/{*path}", tile)
        .get("/log/proof/inclusion", inclusion)
        .get("/log/proof/consistency", consistency)
        .get("/case/{id}/proof/{event_id}", event_proof)
}

#[derive(Template)]
#[template(path = "log.html")]
struct LogPage {
    key: String,
    checkpoint: String,
    size: u64,
    signed_at: String,
}

async fn page(State(state): State<AppState>) -> Result<Html<String>, WebError> {
    let latest = state.store.latest_checkpoint().await?;
    let page = LogPage {
        key: state.log_key.as_ref().map_or_else(
            || "（本系统尚未配置日志签名密钥）".to_owned(),
            |k| k.to_key_string(),
        ),
        size: latest.as_ref().map_or(0, |c| c.tree_size),
        signed_at: latest
            .as_ref()
            .map_or_else(String::new, |c| c.signed_at.clone()),
        checkpoint: latest.map_or_else(|| "（尚无检查点）".to_owned(), |c| c.note),
    };
    Ok(Html(page.render()?))
}

/// `GET /log/checkpoint`: the latest signed checkpoint (C2SP tlog-checkpoint in a signed note).
async fn checkpoint(State(state): State<AppState>) -> Result<Response, WebError> {
    let latest = state
        .store
        .latest_checkpoint()
        .await?
        .ok_or(WebError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        latest.note,
    )
        .into_response())
}

/// `GET /log/tile/<L>/<N>[.p/<W>]` (C2SP tlog-tiles), at the latest checkpoint's size.
async fn tile(
    State(state): State<AppState>,
    Path(path): Path<String>,
) -> Result<Response, WebError> {
    let tile =
        fazhi_ledger::parse_tile_path(&format!("tile/{path}")).map_err(|_| WebError::NotFound)?;
    let size = state
        .store
        .latest_checkpoint()
        .await?
        .map_or(0, |c| c.tree_size);
    let data = state
        .store
        .tile_data(&tile, size)
        .await
        .map_err(|_| WebError::NotFound)?;
    let cache = if tile.width == fazhi_ledger::TILE_WIDTH {
        "public, max-age=31536000, immutable"
    } else {
        "no-store"
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream"),
            (header::CACHE_CONTROL, cache),
        ],
        data,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub(super) struct InclusionQuery {
    index: u64,
    size: u64,
}

async fn inclusion(
    State(state): State<AppState>,
    Query(query): Query<InclusionQuery>,
) -> Result<Response, WebError> {
    match state.store.inclusion_proof(query.index, query.size).await {
        Ok(hashes) => Ok(Json(fazhi_ledger::InclusionProof::new(
            query.index,
            query.size,
            &hashes,
        ))
        .into_response()),
        Err(crate::store::StoreError::NotFound) => Ok((
            StatusCode::BAD_REQUEST,
            super::messages::errors::BAD_INCLUSION,
        )
            .into_response()),
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct ConsistencyQuery {
    old: u64,
    new: u64,
}

async fn consistency(
    State(state): State<AppState>,
    Query(query): Query<ConsistencyQuery>,
) -> Result<Response, WebError> {
    match state.store.consistency_proof(query.old, query.new).await {
        Ok(hashes) => Ok(Json(fazhi_ledger::ConsistencyProof::new(
            query.old, query.new, &hashes,
        ))
        .into_response()),
        Err(crate::store::StoreError::NotFound) => Ok((
            StatusCode::BAD_REQUEST,
            super::messages::errors::BAD_CONSISTENCY,
        )
            .into_response()),
        Err(error) => Err(error.into()),
    }
}

/// The proof of one step of a case (with the event's content): staff who may see the case only.
async fn event_proof(
    State(state): State<AppState>,
    user: SignedIn,
    Path((id, event_id)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    authz::check(&user.subject, Action::ViewCases)?;
    state.store.case_for(&user.subject, id).await?;
    let events = state.store.events_of(&format!("case:{id}")).await?;
    if !events.iter().any(|e| e.id == event_id) {
        return Err(WebError::NotFound);
    }
    let proof = state
        .store
        .prove_event(event_id)
        .await
        .map_err(|_| WebError::NotFound)?;
    Ok(Json(proof).into_response())
}
