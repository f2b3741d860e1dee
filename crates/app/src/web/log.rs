//! The public face of the tamper-evident logs: each jurisdiction's latest signed checkpoint (as
//! the government above cosigned it, when it did), the C2SP `tlog-tiles` hashes, inclusion and
//! consistency proofs, and the 日志验证 page explaining how anyone can check them — under
//! `/j/<code>/log` for every jurisdiction, and under `/log` for the root's. None of it needs a
//! sign-in and none of it carries personal data (the leaves are salted commitments). The full
//! proof of one event, which includes the event's content, is served only to staff who may see
//! the case.

use super::extract::{Path, Query};
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::AppState;
use super::error::WebError;
use super::messages;
use super::routes::Routes;
use super::session::SignedIn;
use crate::authz::{self, Action};
use crate::store::ROOT_JURISDICTION;
use crate::store::jurisdictions::Jurisdiction;

pub(super) fn router() -> Routes {
    Routes::new()
        .get("/log", root_page)
        .get("/log/checkpoint", root_checkpoint)
        .get("/log/tile/{*path}", root_tile)
        .get("/log/proof/inclusion", root_inclusion)
        .get("/log/proof/consistency", root_consistency)
        .get("/j/{code}/log", page)
        .get("/j/{code}/log/checkpoint", checkpoint)
        .get("/j/{code}/log/tile/{*path}", tile)
        .get("/j/{code}/log/proof/inclusion", inclusion)
        .get("/j/{code}/log/proof/consistency", consistency)
        .get("/case/{id}/proof/{event_id}", event_proof)
}

/// The jurisdiction of `/j/<code>/log…`; an unknown code is the Chinese 404. A code is six
/// ASCII digits (GB/T 2260): anything else is unknown without asking the database (which would
/// refuse a NUL, say, as an error of its own).
async fn jurisdiction(state: &AppState, code: &str) -> Result<Jurisdiction, WebError> {
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WebError::NotFound);
    }
    state
        .store
        .jurisdiction_by_code(code)
        .await?
        .ok_or(WebError::NotFound)
}

async fn root(state: &AppState) -> Result<Jurisdiction, WebError> {
    Ok(state.store.jurisdiction_by_id(ROOT_JURISDICTION).await?)
}

/// What the page says of the government above's witness.
struct WitnessView {
    /// The jurisdiction above.
    name: String,
    /// Its witness key.
    key: String,
    /// The latest cosignature: (size, time), if any.
    cosigned: Option<(u64, String)>,
    /// Whether the checkpoint shown carries that cosignature.
    current: bool,
    /// The latest refusal, if it is more recent than the latest cosignature: (size, time, what,
    /// the witness's technical reason).
    refused: Option<(u64, String, &'static str, String)>,
}

#[derive(Template)]
#[template(path = "log.html")]
struct LogPage {
    name: String,
    /// Where this log's endpoints are: `/log` or `/j/<code>/log`.
    base: String,
    key: String,
    checkpoint: String,
    size: u64,
    signed_at: String,
    witness: Option<WitnessView>,
}

async fn root_page(State(state): State<AppState>) -> Result<Html<String>, WebError> {
    let root = root(&state).await?;
    render_page(&state, &root, "/log".to_owned()).await
}

async fn page(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Html<String>, WebError> {
    let jurisdiction = jurisdiction(&state, &code).await?;
    let base = format!("/j/{}/log", jurisdiction.code);
    render_page(&state, &jurisdiction, base).await
}

async fn render_page(
    state: &AppState,
    jurisdiction: &Jurisdiction,
    base: String,
) -> Result<Html<String>, WebError> {
    let latest = state.store.published_checkpoint(jurisdiction.id).await?;
    let witness = match jurisdiction.parent_id {
        Some(parent_id) => {
            let parent = state.store.jurisdiction_by_id(parent_id).await?;
            let cosignature = state.store.latest_cosignature(jurisdiction.id).await?;
            let refusal = state
                .store
                .witness_refusals(jurisdiction.id)
                .await?
                .into_iter()
                .next()
                .filter(|r| {
                    cosignature
                        .as_ref()
                        .is_none_or(|c| r.refused_at >= c.cosigned_at)
                });
            Some(WitnessView {
                name: parent.name,
                key: state.public_keys.of(parent_id).witness.map_or_else(
                    || messages::log::NO_WITNESS_KEY.to_owned(),
                    |k| k.to_key_string(),
                ),
                current: cosignature
                    .as_ref()
                    .zip(latest.as_ref())
                    .is_some_and(|(c, l)| c.tree_size == l.tree_size && c.root == l.root),
                cosigned: cosignature.map(|c| (c.tree_size, c.cosigned_at)),
                refused: refusal.map(|r| {
                    (
                        r.tree_size,
                        r.refused_at,
                        messages::log::refusal(&r.kind),
                        r.reason,
                    )
                }),
            })
        }
        None => None,
    };
    let page = LogPage {
        name: jurisdiction.name.clone(),
        base,
        key: state.public_keys.of(jurisdiction.id).log.map_or_else(
            || messages::log::NO_LOG_KEY.to_owned(),
            |k| k.to_key_string(),
        ),
        size: latest.as_ref().map_or(0, |c| c.tree_size),
        signed_at: latest
            .as_ref()
            .map_or_else(String::new, |c| c.signed_at.clone()),
        checkpoint: latest.map_or_else(|| messages::log::NO_CHECKPOINT.to_owned(), |c| c.note),
        witness,
    };
    Ok(Html(page.render()?))
}

async fn root_checkpoint(State(state): State<AppState>) -> Result<Response, WebError> {
    checkpoint_of(&state, ROOT_JURISDICTION).await
}

async fn checkpoint(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let jurisdiction = jurisdiction(&state, &code).await?;
    checkpoint_of(&state, jurisdiction.id).await
}

/// `GET …/log/checkpoint`: the latest signed checkpoint (C2SP tlog-checkpoint in a signed note),
/// with the witness's signature lines when the government above cosigned it.
async fn checkpoint_of(state: &AppState, jurisdiction_id: i64) -> Result<Response, WebError> {
    let latest = state
        .store
        .published_checkpoint(jurisdiction_id)
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

async fn root_tile(
    State(state): State<AppState>,
    Path(path): Path<String>,
) -> Result<Response, WebError> {
    tile_of(&state, ROOT_JURISDICTION, &path).await
}

async fn tile(
    State(state): State<AppState>,
    Path((code, path)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let jurisdiction = jurisdiction(&state, &code).await?;
    tile_of(&state, jurisdiction.id, &path).await
}

/// `GET …/log/tile/<L>/<N>[.p/<W>]` (C2SP tlog-tiles), at the latest checkpoint's size.
async fn tile_of(state: &AppState, jurisdiction_id: i64, path: &str) -> Result<Response, WebError> {
    let tile =
        fazhi_ledger::parse_tile_path(&format!("tile/{path}")).map_err(|_| WebError::NotFound)?;
    let size = state
        .store
        .latest_checkpoint(jurisdiction_id)
        .await?
        .map_or(0, |c| c.tree_size);
    let data = state
        .store
        .tile_data(jurisdiction_id, &tile, size)
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

async fn root_inclusion(
    State(state): State<AppState>,
    Query(query): Query<InclusionQuery>,
) -> Result<Response, WebError> {
    inclusion_of(&state, ROOT_JURISDICTION, &query).await
}

async fn inclusion(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<InclusionQuery>,
) -> Result<Response, WebError> {
    let jurisdiction = jurisdiction(&state, &code).await?;
    inclusion_of(&state, jurisdiction.id, &query).await
}

async fn inclusion_of(
    state: &AppState,
    jurisdiction_id: i64,
    query: &InclusionQuery,
) -> Result<Response, WebError> {
    match state
        .store
        .inclusion_proof(jurisdiction_id, query.index, query.size)
        .await
    {
        Ok(hashes) => Ok(Json(fazhi_ledger::InclusionProof::new(
            query.index,
            query.size,
            &hashes,
        ))
        .into_response()),
        Err(crate::store::StoreError::NotFound) => {
            Ok((StatusCode::BAD_REQUEST, messages::errors::BAD_INCLUSION).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct ConsistencyQuery {
    old: u64,
    new: u64,
}

async fn root_consistency(
    State(state): State<AppState>,
    Query(query): Query<ConsistencyQuery>,
) -> Result<Response, WebError> {
    consistency_of(&state, ROOT_JURISDICTION, &query).await
}

async fn consistency(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<ConsistencyQuery>,
) -> Result<Response, WebError> {
    let jurisdiction = jurisdiction(&state, &code).await?;
    consistency_of(&state, jurisdiction.id, &query).await
}

async fn consistency_of(
    state: &AppState,
    jurisdiction_id: i64,
    query: &ConsistencyQuery,
) -> Result<Response, WebError> {
    match state
        .store
        .consistency_proof(jurisdiction_id, query.old, query.new)
        .await
    {
        Ok(hashes) => Ok(Json(fazhi_ledger::ConsistencyProof::new(
            query.old, query.new, &hashes,
        ))
        .into_response()),
        Err(crate::store::StoreError::NotFound) => {
            Ok((StatusCode::BAD_REQUEST, messages::errors::BAD_CONSISTENCY).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

/// The proof of one step of a case (with the event's content): staff who may see the case only.
/// It is against the log of the event's jurisdiction.
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
    let jurisdiction_id = state.store.event_jurisdiction(event_id).await?;
    let proof = state
        .store
        .prove_event(jurisdiction_id, event_id)
        .await
        .map_err(|_| WebError::NotFound)?;
    Ok(Json(proof).into_response())
}
