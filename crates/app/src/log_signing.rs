//! One round of publishing the logs, as the server runs it every few seconds after commits
//! (never inside a request): every jurisdiction's log that has grown gets a new checkpoint signed
//! by its own key, then the government above, as witness, cosigns each subordinate log's new
//! checkpoint — only if its consistency proof extends the last checkpoint it cosigned, with the
//! log key it trusted then (`fazhi_ledger::Witness`). What the witness remembers is stored
//! (`store::witness`), so a restart does not reset its trust; a refusal is stored with its reason
//! and logged, and nothing is cosigned. A failure in one jurisdiction is logged and the others go
//! on.

use fazhi_ledger::{TreeHead, Verifier, Witness, WitnessRefusal, WitnessedLog};
use time::OffsetDateTime;

use crate::clock::to_db_time;
use crate::log_key::{KeyDir, KeyError};
use crate::store::jurisdictions::Jurisdiction;
use crate::store::witness::PendingCheckpoint;
use crate::store::{Store, StoreError};

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Round {
    /// Checkpoints signed: (jurisdiction id, tree size).
    pub signed: Vec<(i64, u64)>,
    /// Checkpoints cosigned by the jurisdiction above: (jurisdiction id, tree size).
    pub cosigned: Vec<(i64, u64)>,
    /// Checkpoints the jurisdiction above refused: (jurisdiction id, tree size, why).
    pub refused: Vec<(i64, u64, WitnessRefusal)>,
}

/// Why a jurisdiction's part of a round failed (logged; the round goes on).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RoundError {
    /// The database.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A key file.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// A stored log key that is not a verifier key.
    #[error("the witness's stored log key is malformed: {0}")]
    StoredKey(String),
}

/// The code stored with a refusal, worded in Chinese by the web.
pub fn refusal_kind(refusal: &WitnessRefusal) -> &'static str {
    match refusal {
        WitnessRefusal::UnknownLog { .. } => "unknown_log",
        WitnessRefusal::MalformedNote(_) => "malformed_note",
        WitnessRefusal::Unsigned => "unsigned",
        WitnessRefusal::InvalidSignature => "invalid_signature",
        WitnessRefusal::MalformedCheckpoint(_) => "malformed_checkpoint",
        WitnessRefusal::WrongOrigin { .. } => "wrong_origin",
        WitnessRefusal::Rollback { .. } => "rollback",
        WitnessRefusal::Fork { .. } => "fork",
        WitnessRefusal::Inconsistent { .. } => "inconsistent",
        _ => "other",
    }
}

/// Loads (creating on first use) every jurisdiction's log key, and the witness key of every
/// jurisdiction with one below it, so that the 日志验证 pages can show them all.
pub async fn load_keys(store: &Store, keys: &KeyDir) -> Result<(), RoundError> {
    let jurisdictions = store.jurisdictions().await?;
    for jurisdiction in &jurisdictions {
        keys.log_signer(jurisdiction)?;
        if jurisdictions
            .iter()
            .any(|j| j.parent_id == Some(jurisdiction.id))
        {
            keys.witness_signer(jurisdiction)?;
        }
    }
    Ok(())
}

/// Signs every log that has grown, then has each witness cosign (or refuse) its logs' new
/// checkpoints, at `now`.
pub async fn sign_and_witness(
    store: &Store,
    keys: &KeyDir,
    now: OffsetDateTime,
) -> Result<Round, RoundError> {
    let at = to_db_time(now);
    let mut round = Round::default();
    let jurisdictions = store.jurisdictions().await?;
    let find = |id: i64| jurisdictions.iter().find(|j| j.id == id);
    for id in store.logs_to_sign().await? {
        let Some(jurisdiction) = find(id) else {
            continue;
        };
        let signed = match keys.log_signer(jurisdiction) {
            Ok(signer) => store
                .sign_checkpoint(id, &signer, &at)
                .await
                .map_err(RoundError::from),
            Err(error) => Err(error.into()),
        };
        match signed {
            Ok(Some(checkpoint)) => round.signed.push((id, checkpoint.tree_size)),
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(jurisdiction = %jurisdiction.code, %error, "checkpoint not signed");
            }
        }
    }
    let timestamp = u64::try_from(now.unix_timestamp()).unwrap_or(0);
    for pending in store.checkpoints_to_witness().await? {
        let (Some(log), Some(witness)) = (find(pending.jurisdiction_id), find(pending.witness_id))
        else {
            continue;
        };
        match witness_one(store, keys, log, witness, &pending, timestamp, &at).await {
            Ok(Ok(())) => round.cosigned.push((log.id, pending.checkpoint.tree_size)),
            Ok(Err(refusal)) => {
                round
                    .refused
                    .push((log.id, pending.checkpoint.tree_size, refusal));
            }
            Err(error) => {
                tracing::warn!(jurisdiction = %log.code, witness = %witness.code, %error, "checkpoint not witnessed");
            }
        }
    }
    Ok(round)
}

/// `witness` checks `log`'s pending checkpoint and stores the cosigned note or the refusal.
async fn witness_one(
    store: &Store,
    keys: &KeyDir,
    log: &Jurisdiction,
    witness: &Jurisdiction,
    pending: &PendingCheckpoint,
    timestamp: u64,
    at: &str,
) -> Result<Result<(), WitnessRefusal>, RoundError> {
    let signer = keys.witness_signer(witness)?;
    let state = store.witness_state(log.id, witness.id).await?;
    // The log key trusted on first use stays the one trusted: a checkpoint signed by any other
    // key is refused.
    let log_key = match &state {
        Some(state) => Verifier::from_key_string(&state.log_key)
            .map_err(|error| RoundError::StoredKey(error.to_string()))?,
        None => keys.log_signer(log)?.verifier(),
    };
    let checkpoint = &pending.checkpoint;
    let proof = match &state {
        Some(state) if state.tree_size > 0 && state.tree_size < checkpoint.tree_size => {
            match store
                .consistency_proof(log.id, state.tree_size, checkpoint.tree_size)
                .await
            {
                Ok(proof) => proof,
                // No proof to be had (the log no longer holds the cosigned size): the witness
                // refuses for want of one.
                Err(StoreError::NotFound) => Vec::new(),
                Err(error) => return Err(error.into()),
            }
        }
        _ => Vec::new(),
    };
    let mut witnessing = Witness::new(signer);
    witnessing
        .add_log(WitnessedLog {
            verifier: log_key.clone(),
            cosigned: state.as_ref().map(|state| TreeHead {
                size: state.tree_size,
                root: state.root,
            }),
        })
        .map_err(|error| RoundError::StoredKey(error.to_string()))?;
    match witnessing.cosign(log_key.name(), &checkpoint.note, &proof, timestamp) {
        Ok((note, _)) => {
            store
                .store_cosignature(
                    log.id,
                    witness.id,
                    &log_key.to_key_string(),
                    checkpoint,
                    &note,
                    at,
                )
                .await?;
            Ok(Ok(()))
        }
        Err(refusal) => {
            tracing::error!(
                jurisdiction = %log.code,
                witness = %witness.code,
                size = checkpoint.tree_size,
                %refusal,
                "the witness refused the checkpoint"
            );
            store
                .store_refusal(
                    log.id,
                    witness.id,
                    checkpoint,
                    refusal_kind(&refusal),
                    &refusal.to_string(),
                    at,
                )
                .await?;
            Ok(Err(refusal))
        }
    }
}
