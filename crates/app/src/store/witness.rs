//! What the government above remembers as the witness of each subordinate jurisdiction's log
//! (migration 0013): the log key it trusts and the last tree head it cosigned (`witness_state`),
//! every note it cosigned (`ledger_cosignatures`, served as the log's checkpoint) and every
//! checkpoint it refused, with the reason (`witness_refusals`). The checks themselves are
//! `fazhi_ledger::Witness`'s; the rounds that run them are `crate::log_signing`.

use fazhi_ledger::Hash;
use sqlx::Row;

use super::ledger::StoredCheckpoint;
use super::{Store, StoreError};

/// What a witness remembers of one log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WitnessState {
    /// The log's note verifier key, trusted on first use.
    pub log_key: String,
    /// The size of the last cosigned checkpoint.
    pub tree_size: u64,
    /// Its root.
    pub root: Hash,
}

/// A note a witness cosigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cosignature {
    /// The witness (the jurisdiction above).
    pub witness_id: i64,
    /// The cosigned checkpoint's size.
    pub tree_size: u64,
    /// Its root.
    pub root: Hash,
    /// The checkpoint's note with the witness's signature lines.
    pub note: String,
    /// When it was cosigned.
    pub cosigned_at: String,
}

/// A checkpoint a witness refused to cosign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The witness.
    pub witness_id: i64,
    /// The refused checkpoint's size.
    pub tree_size: u64,
    /// What was wrong, as a code (`rollback`, `fork`, `inconsistent`, …; see
    /// `crate::log_signing::refusal_kind`).
    pub kind: String,
    /// The witness's reason, in English, with the sizes and roots concerned.
    pub reason: String,
    /// When it was refused.
    pub refused_at: String,
}

/// A checkpoint waiting for its witness: the latest of a log whose jurisdiction has one above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCheckpoint {
    /// The log's jurisdiction.
    pub jurisdiction_id: i64,
    /// The witness: the jurisdiction above.
    pub witness_id: i64,
    /// The checkpoint.
    pub checkpoint: StoredCheckpoint,
}

fn hash_from(bytes: &[u8]) -> Result<Hash, StoreError> {
    <[u8; 32]>::try_from(bytes)
        .map(Hash)
        .map_err(|_| StoreError::Corrupt("a stored root is not 32 bytes".into()))
}

fn size_from(row: &sqlx::any::AnyRow) -> Result<u64, StoreError> {
    Ok(u64::try_from(row.try_get::<i64, _>("tree_size")?).unwrap_or(0))
}

/// A `witness_refusals` row (`witness_id, tree_size, kind, reason, refused_at`).
pub(super) fn refusal_from_row(row: &sqlx::any::AnyRow) -> Result<Refusal, StoreError> {
    Ok(Refusal {
        witness_id: row.try_get("witness_id")?,
        tree_size: size_from(row)?,
        kind: row.try_get("kind")?,
        reason: row.try_get("reason")?,
        refused_at: row.try_get("refused_at")?,
    })
}

fn db_size(size: u64) -> i64 {
    i64::try_from(size).unwrap_or(i64::MAX)
}

impl Store {
    /// The latest checkpoint of every log whose parent has neither cosigned nor refused it (same
    /// size and root): what the next round of witnessing looks at.
    pub async fn checkpoints_to_witness(&self) -> Result<Vec<PendingCheckpoint>, StoreError> {
        let rows = sqlx::query(
            "SELECT j.id, j.parent_id, c.tree_size, c.root, c.note, c.signed_at \
             FROM jurisdictions j JOIN ledger_checkpoints c ON c.jurisdiction_id = j.id \
             WHERE j.parent_id IS NOT NULL \
             AND c.tree_size = (SELECT MAX(m.tree_size) FROM ledger_checkpoints m \
                                WHERE m.jurisdiction_id = j.id) \
             AND NOT EXISTS (SELECT 1 FROM ledger_cosignatures s WHERE s.jurisdiction_id = j.id \
                             AND s.witness_id = j.parent_id AND s.tree_size = c.tree_size \
                             AND s.root = c.root) \
             AND NOT EXISTS (SELECT 1 FROM witness_refusals r WHERE r.jurisdiction_id = j.id \
                             AND r.witness_id = j.parent_id AND r.tree_size = c.tree_size \
                             AND r.root = c.root) \
             ORDER BY j.id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(PendingCheckpoint {
                    jurisdiction_id: row.try_get("id")?,
                    witness_id: row.try_get("parent_id")?,
                    checkpoint: StoredCheckpoint {
                        tree_size: size_from(row)?,
                        root: hash_from(&row.try_get::<Vec<u8>, _>("root")?)?,
                        note: row.try_get("note")?,
                        signed_at: row.try_get("signed_at")?,
                    },
                })
            })
            .collect()
    }

    /// What witness `witness_id` remembers of jurisdiction `jurisdiction_id`'s log (`None`
    /// before its first cosignature).
    pub async fn witness_state(
        &self,
        jurisdiction_id: i64,
        witness_id: i64,
    ) -> Result<Option<WitnessState>, StoreError> {
        let row = sqlx::query(
            "SELECT log_key, tree_size, root FROM witness_state \
             WHERE jurisdiction_id = $1 AND witness_id = $2",
        )
        .bind(jurisdiction_id)
        .bind(witness_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            Ok(WitnessState {
                log_key: row.try_get("log_key")?,
                tree_size: size_from(&row)?,
                root: hash_from(&row.try_get::<Vec<u8>, _>("root")?)?,
            })
        })
        .transpose()
    }

    /// Stores, in one transaction, a note witness `witness_id` cosigned for jurisdiction
    /// `jurisdiction_id`'s log and the witness's new state (the log key it trusts and the
    /// cosigned tree head).
    pub async fn store_cosignature(
        &self,
        jurisdiction_id: i64,
        witness_id: i64,
        log_key: &str,
        checkpoint: &StoredCheckpoint,
        note: &str,
        at: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let root = checkpoint.root.0.to_vec();
        sqlx::query(
            "INSERT INTO witness_state (jurisdiction_id, witness_id, log_key, tree_size, root) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (jurisdiction_id, witness_id) DO UPDATE \
             SET log_key = excluded.log_key, tree_size = excluded.tree_size, root = excluded.root",
        )
        .bind(jurisdiction_id)
        .bind(witness_id)
        .bind(log_key)
        .bind(db_size(checkpoint.tree_size))
        .bind(&root)
        .execute(&mut *tx)
        .await?;
        // A note cosigned again at the same size and root (the log re-signed it) replaces the
        // earlier one: it carries the same tree head.
        sqlx::query(
            "INSERT INTO ledger_cosignatures \
             (jurisdiction_id, tree_size, witness_id, root, note, cosigned_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (jurisdiction_id, tree_size, witness_id) DO UPDATE \
             SET root = excluded.root, note = excluded.note, cosigned_at = excluded.cosigned_at",
        )
        .bind(jurisdiction_id)
        .bind(db_size(checkpoint.tree_size))
        .bind(witness_id)
        .bind(&root)
        .bind(note)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores that witness `witness_id` refused jurisdiction `jurisdiction_id`'s checkpoint.
    pub async fn store_refusal(
        &self,
        jurisdiction_id: i64,
        witness_id: i64,
        checkpoint: &StoredCheckpoint,
        kind: &str,
        reason: &str,
        at: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO witness_refusals \
             (jurisdiction_id, witness_id, tree_size, root, kind, reason, refused_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(jurisdiction_id)
        .bind(witness_id)
        .bind(db_size(checkpoint.tree_size))
        .bind(checkpoint.root.0.to_vec())
        .bind(kind)
        .bind(reason)
        .bind(at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The latest note cosigned for jurisdiction `jurisdiction_id`'s log, if any.
    pub async fn latest_cosignature(
        &self,
        jurisdiction_id: i64,
    ) -> Result<Option<Cosignature>, StoreError> {
        let row = sqlx::query(
            "SELECT witness_id, tree_size, root, note, cosigned_at FROM ledger_cosignatures \
             WHERE jurisdiction_id = $1 ORDER BY tree_size DESC, cosigned_at DESC LIMIT 1",
        )
        .bind(jurisdiction_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            Ok(Cosignature {
                witness_id: row.try_get("witness_id")?,
                tree_size: size_from(&row)?,
                root: hash_from(&row.try_get::<Vec<u8>, _>("root")?)?,
                note: row.try_get("note")?,
                cosigned_at: row.try_get("cosigned_at")?,
            })
        })
        .transpose()
    }

    /// Every refusal of jurisdiction `jurisdiction_id`'s checkpoints, the latest first.
    pub async fn witness_refusals(&self, jurisdiction_id: i64) -> Result<Vec<Refusal>, StoreError> {
        let rows = sqlx::query(
            "SELECT witness_id, tree_size, kind, reason, refused_at FROM witness_refusals \
             WHERE jurisdiction_id = $1 ORDER BY id DESC",
        )
        .bind(jurisdiction_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(refusal_from_row).collect()
    }

    /// The checkpoint a jurisdiction's log serves: its latest, as the witness cosigned it when
    /// it did (same size and root), else as the log signed it.
    pub async fn published_checkpoint(
        &self,
        jurisdiction_id: i64,
    ) -> Result<Option<StoredCheckpoint>, StoreError> {
        let Some(mut latest) = self.latest_checkpoint(jurisdiction_id).await? else {
            return Ok(None);
        };
        if let Some(cosigned) = self.latest_cosignature(jurisdiction_id).await?
            && cosigned.tree_size == latest.tree_size
            && cosigned.root == latest.root
        {
            latest.note = cosigned.note;
        }
        Ok(Some(latest))
    }
}
