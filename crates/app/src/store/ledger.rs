//! The store side of the tamper-evident log: every journaled event gets a leaf in the same
//! transaction (`append_leaves`, called by `events::append_many`), the tree's stored hashes are kept in
//! `ledger_hashes` in Go tlog order, checkpoints are signed and kept, proofs are read, and the
//! whole log can be verified from the events themselves.
//!
//! Each jurisdiction keeps its own log (`ledger_logs`, and every leaf, hash and checkpoint keyed
//! by `jurisdiction_id` first): an event's leaf goes to the log of the event's jurisdiction
//! (`events.jurisdiction_id`), and every function here names the log it reads or signs.
//!
//! Contract: appends are serialised by the log's `ledger_logs` row (PostgreSQL row lock; SQLite's
//! write lock, taken by `BEGIN IMMEDIATE`), so leaf `n`'s hashes always follow leaf `n - 1`'s.

use std::cell::RefCell;
use std::collections::HashMap;

use fazhi_ledger::{self as ledger, Checkpoint, Hash, HashReader, Signer, TreeBuilder, Verifier};
use sqlx::{AnyConnection, Row};

use super::{ROOT_JURISDICTION, Store, StoreError};

/// The canonical bytes an event's leaf commits to: canonical JSON of the event row.
pub fn canonical_event_bytes(
    id: i64,
    kind: &str,
    subject: &str,
    actor_user_id: Option<i64>,
    at: &str,
    body: &str,
) -> Vec<u8> {
    let body: serde_json::Value =
        serde_json::from_str(body).unwrap_or(serde_json::Value::String(body.to_owned()));
    serde_json::json!({"id": id, "kind": kind, "subject": subject, "actor_user_id": actor_user_id, "at": at, "body": body})
        .to_string()
        .into_bytes()
}

fn hash_from(bytes: &[u8]) -> Result<Hash, StoreError> {
    let array: [u8; 32] = bytes
        .try_into()
        .map_err(|_| StoreError::Sql(sqlx::Error::Decode("stored hash is not 32 bytes".into())))?;
    Ok(Hash(array))
}

/// Hashes fetched ahead of a library call that needs them synchronously.
#[derive(Debug, Default)]
struct Prefetched(HashMap<u64, Hash>);

impl HashReader for Prefetched {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, ledger::Error> {
        indexes
            .iter()
            .map(|i| self.0.get(i).copied().ok_or(ledger::Error::MissingHash(*i)))
            .collect()
    }
}

/// Records which indexes a library call reads (the indexes depend only on the sizes, never on
/// the hash values), so they can be fetched from the database first.
#[derive(Debug, Default)]
struct IndexRecorder(RefCell<Vec<u64>>);

impl HashReader for IndexRecorder {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, ledger::Error> {
        self.0.borrow_mut().extend_from_slice(indexes);
        Ok(vec![Hash::default(); indexes.len()])
    }
}

/// The most parameters one statement binds. PostgreSQL allows 65,535 and SQLite 32,766, but
/// for each parameter it binds sqlx asks SQLite for its name, which SQLite finds by walking a
/// list as long as the statement's parameters: binding costs grow with the square of their
/// number. About 150 a statement was fastest on SQLite (`fazhi ledger bench`, 1,000-event
/// batches: 60,000 events/s against 12,000 with statements of 32,766); PostgreSQL gained
/// nothing past about 1,000.
fn max_parameters(conn: &AnyConnection) -> usize {
    if conn.backend_name() == "SQLite" {
        150
    } else {
        4_000
    }
}

/// How many rows of `per_row` parameters (besides the shared jurisdiction, `$1`) go in one
/// statement.
pub(super) fn rows_per_statement(conn: &AnyConnection, per_row: usize) -> usize {
    ((max_parameters(conn) - 1) / per_row.max(1)).max(1)
}

/// `INSERT INTO {table_columns} VALUES ($1, $2, …), ($1, …), …`: `rows` rows, each the
/// jurisdiction (`$1`, bound once) followed by `per_row` numbered parameters.
pub(super) fn insert_sql(table_columns: &str, rows: usize, per_row: usize) -> String {
    use std::fmt::Write;
    let mut sql = String::with_capacity(32 + table_columns.len() + rows * (4 + 7 * per_row));
    sql.push_str("INSERT INTO ");
    sql.push_str(table_columns);
    sql.push_str(" VALUES ");
    let mut next = 2;
    for row in 0..rows {
        sql.push_str(if row == 0 { "($1" } else { ", ($1" });
        for _ in 0..per_row {
            let _ = write!(sql, ", ${next}");
            next += 1;
        }
        sql.push(')');
    }
    sql
}

/// `$2, $3, …`: `count` numbered parameters after the jurisdiction's `$1`.
fn placeholders(count: usize) -> String {
    (2..count + 2)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads the stored hashes at `indexes` of `jurisdiction_id`'s log in one query (more only for
/// more indexes than [`max_parameters`]); indexes not stored yet are left out.
async fn fetch(
    conn: &mut AnyConnection,
    jurisdiction_id: i64,
    indexes: &[u64],
) -> Result<Prefetched, StoreError> {
    let mut wanted: Vec<i64> = indexes
        .iter()
        .map(|i| i64::try_from(*i).unwrap_or(i64::MAX))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut found = Prefetched::default();
    for chunk in wanted.chunks(max_parameters(conn) - 1) {
        let sql = format!(
            "SELECT hash_index, hash FROM ledger_hashes WHERE jurisdiction_id = $1 AND hash_index IN ({})",
            placeholders(chunk.len())
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(jurisdiction_id);
        for index in chunk {
            query = query.bind(*index);
        }
        for row in query.fetch_all(&mut *conn).await? {
            let index = u64::try_from(row.try_get::<i64, _>("hash_index")?).unwrap_or(u64::MAX);
            found
                .0
                .insert(index, hash_from(&row.try_get::<Vec<u8>, _>("hash")?)?);
        }
    }
    Ok(found)
}

/// Runs a read-only library computation against the stored hashes of `jurisdiction_id`'s log.
async fn with_hashes<T>(
    conn: &mut AnyConnection,
    jurisdiction_id: i64,
    compute: impl Fn(&dyn HashReader) -> Result<T, ledger::Error>,
) -> Result<T, StoreError> {
    let recorder = IndexRecorder::default();
    let _ = compute(&recorder);
    let indexes = recorder.0.into_inner();
    let hashes = fetch(conn, jurisdiction_id, &indexes).await?;
    compute(&hashes).map_err(ledger_error)
}

fn ledger_error(error: ledger::Error) -> StoreError {
    StoreError::Sql(sqlx::Error::Protocol(format!("ledger: {error}")))
}

/// Appends the leaves of `events` (each an event id and the canonical bytes its leaf commits
/// to, in log order) to `jurisdiction_id`'s log inside the caller's transaction, and returns
/// their leaf indexes.
///
/// The log's size is advanced first, which takes the log's row lock (SQLite: the write lock
/// `BEGIN IMMEDIATE` already holds) until the caller commits, so leaf `n`'s hashes always follow
/// leaf `n - 1`'s; one query reads the earlier hashes the batch combines with (the right edge of
/// the tree, at most 63); the new hashes and the leaves are written as multi-row INSERTs of
/// `max_parameters` each. Nothing is read per event.
pub async fn append_leaves(
    conn: &mut AnyConnection,
    jurisdiction_id: i64,
    events: &[(i64, Vec<u8>)],
) -> Result<std::ops::Range<u64>, StoreError> {
    if events.is_empty() {
        return Ok(0..0);
    }
    let count = i64::try_from(events.len()).unwrap_or(i64::MAX);
    let end: i64 = sqlx::query_scalar(
        "UPDATE ledger_logs SET size = size + $2 WHERE jurisdiction_id = $1 RETURNING size",
    )
    .bind(jurisdiction_id)
    .bind(count)
    .fetch_one(&mut *conn)
    .await?;
    let start = u64::try_from(end - count).unwrap_or(0);
    let mut salts = vec![0u8; 32 * events.len()];
    getrandom::fill(&mut salts)
        .map_err(|_| StoreError::Sql(sqlx::Error::Protocol("no randomness for the salt".into())))?;
    let leaves: Vec<Hash> = events
        .iter()
        .zip(salts.chunks_exact(32))
        .map(|((_, canonical), salt)| {
            let salt: &[u8; 32] = salt.try_into().unwrap_or(&[0; 32]);
            ledger::leaf_hash(&ledger::record_commitment(salt, canonical))
        })
        .collect();
    let earlier = ledger::stored_hash_indexes_for_records(start, leaves.len() as u64);
    let earlier = fetch(conn, jurisdiction_id, &earlier).await?;
    let hashes =
        ledger::stored_hashes_for_record_hashes(start, &leaves, &earlier).map_err(ledger_error)?;

    let first_hash = ledger::stored_hash_count(start);
    let per_statement = rows_per_statement(conn, 2);
    for (chunk_number, chunk) in hashes.chunks(per_statement).enumerate() {
        let sql = insert_sql(
            "ledger_hashes (jurisdiction_id, hash_index, hash)",
            chunk.len(),
            2,
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(jurisdiction_id);
        let chunk_start = first_hash + (chunk_number * per_statement) as u64;
        for (index, hash) in (chunk_start..).zip(chunk) {
            query = query
                .bind(i64::try_from(index).unwrap_or(i64::MAX))
                .bind(hash.0.to_vec());
        }
        query.execute(&mut *conn).await?;
    }
    let per_statement = rows_per_statement(conn, 3);
    for (chunk_number, (chunk, chunk_salts)) in events
        .chunks(per_statement)
        .zip(salts.chunks(32 * per_statement))
        .enumerate()
    {
        let sql = insert_sql(
            "ledger_leaves (jurisdiction_id, leaf_index, event_id, salt)",
            chunk.len(),
            3,
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(jurisdiction_id);
        let chunk_start = start + (chunk_number * per_statement) as u64;
        for ((index, (event_id, _)), salt) in
            (chunk_start..).zip(chunk).zip(chunk_salts.chunks_exact(32))
        {
            query = query
                .bind(i64::try_from(index).unwrap_or(i64::MAX))
                .bind(*event_id)
                .bind(salt.to_vec());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(start..start + leaves.len() as u64)
}

/// A stored, signed checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCheckpoint {
    /// Tree size.
    pub tree_size: u64,
    /// Root hash.
    pub root: Hash,
    /// The signed note.
    pub note: String,
    /// When it was signed.
    pub signed_at: String,
}

/// Everything needed to check one event's inclusion offline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EventProof {
    /// The event's id.
    pub event_id: i64,
    /// The canonical bytes the leaf commits to (UTF-8 JSON).
    pub canonical: String,
    /// The salt, hex.
    pub salt: String,
    /// The leaf's index.
    pub leaf_index: u64,
    /// The leaf hash, hex.
    pub leaf_hash: String,
    /// The signed checkpoint the proof is against.
    pub checkpoint: String,
    /// The inclusion proof.
    pub proof: ledger::InclusionProof,
}

/// The first place the log and the events disagree.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Divergence {
    /// The event concerned, if one is.
    pub event_id: Option<i64>,
    /// The leaf index concerned, if one is.
    pub leaf_index: Option<u64>,
    /// What differs.
    pub what: String,
}

/// The outcome of verifying the whole log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VerifyReport {
    /// Leaves recomputed.
    pub leaves: u64,
    /// Checkpoints checked.
    pub checkpoints: u64,
    /// Bytes of canonical events hashed.
    pub bytes: u64,
    /// The first divergence, if any.
    pub divergence: Option<Divergence>,
}

fn checkpoint_from(row: &sqlx::any::AnyRow) -> Result<StoredCheckpoint, StoreError> {
    Ok(StoredCheckpoint {
        tree_size: u64::try_from(row.try_get::<i64, _>("tree_size")?).unwrap_or(0),
        root: hash_from(&row.try_get::<Vec<u8>, _>("root")?)?,
        note: row.try_get("note")?,
        signed_at: row.try_get("signed_at")?,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// The number of leaves in jurisdiction `jurisdiction_id`'s log ([`StoreError::NotFound`]
    /// for a jurisdiction that has none).
    pub async fn ledger_size(&self, jurisdiction_id: i64) -> Result<u64, StoreError> {
        let size: Option<i64> =
            sqlx::query_scalar("SELECT size FROM ledger_logs WHERE jurisdiction_id = $1")
                .bind(jurisdiction_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(u64::try_from(size.ok_or(StoreError::NotFound)?).unwrap_or(0))
    }

    /// The root hash of jurisdiction `jurisdiction_id`'s log at `size`.
    pub async fn ledger_root(&self, jurisdiction_id: i64, size: u64) -> Result<Hash, StoreError> {
        let mut conn = self.pool().acquire().await?;
        with_hashes(&mut conn, jurisdiction_id, |reader| {
            ledger::tree_hash(size, &reader)
        })
        .await
    }

    /// The jurisdictions whose log has grown past its latest checkpoint (or has leaves and no
    /// checkpoint yet): the logs the next round of signing signs.
    pub async fn logs_to_sign(&self) -> Result<Vec<i64>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT l.jurisdiction_id FROM ledger_logs l WHERE l.size > COALESCE(\
             (SELECT MAX(c.tree_size) FROM ledger_checkpoints c \
              WHERE c.jurisdiction_id = l.jurisdiction_id), 0) ORDER BY l.jurisdiction_id",
        )
        .fetch_all(self.pool())
        .await?)
    }

    /// Signs and stores a checkpoint of jurisdiction `jurisdiction_id`'s log at its current size
    /// if that is newer than the latest one; the origin is the signer's name. Returns the latest
    /// checkpoint either way.
    pub async fn sign_checkpoint(
        &self,
        jurisdiction_id: i64,
        signer: &Signer,
        at: &str,
    ) -> Result<Option<StoredCheckpoint>, StoreError> {
        let mut tx = self.begin().await?;
        let size: i64 =
            sqlx::query_scalar("SELECT size FROM ledger_logs WHERE jurisdiction_id = $1")
                .bind(jurisdiction_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
        let latest: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(tree_size) FROM ledger_checkpoints WHERE jurisdiction_id = $1",
        )
        .bind(jurisdiction_id)
        .fetch_one(&mut *tx)
        .await?;
        if size > 0 && latest.is_none_or(|latest| size > latest) {
            let size_u = u64::try_from(size).unwrap_or(0);
            let root = with_hashes(&mut tx, jurisdiction_id, |reader| {
                ledger::tree_hash(size_u, &reader)
            })
            .await?;
            let checkpoint = Checkpoint {
                origin: signer.verifier().name().to_owned(),
                size: size_u,
                root,
                extensions: Vec::new(),
            };
            let note = ledger::sign_note(&checkpoint.to_body(), signer)
                .map_err(|e| StoreError::Sql(sqlx::Error::Protocol(e.to_string())))?;
            sqlx::query("INSERT INTO ledger_checkpoints (jurisdiction_id, tree_size, root, note, signed_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(jurisdiction_id)
                .bind(size)
                .bind(root.0.to_vec())
                .bind(&note)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.latest_checkpoint(jurisdiction_id).await
    }

    /// The latest signed checkpoint of jurisdiction `jurisdiction_id`'s log.
    pub async fn latest_checkpoint(
        &self,
        jurisdiction_id: i64,
    ) -> Result<Option<StoredCheckpoint>, StoreError> {
        let row = sqlx::query(
            "SELECT tree_size, root, note, signed_at FROM ledger_checkpoints \
             WHERE jurisdiction_id = $1 ORDER BY tree_size DESC LIMIT 1",
        )
        .bind(jurisdiction_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(checkpoint_from).transpose()
    }

    /// Every stored checkpoint of jurisdiction `jurisdiction_id`'s log, by size.
    pub async fn checkpoints(
        &self,
        jurisdiction_id: i64,
    ) -> Result<Vec<StoredCheckpoint>, StoreError> {
        let rows = sqlx::query(
            "SELECT tree_size, root, note, signed_at FROM ledger_checkpoints \
             WHERE jurisdiction_id = $1 ORDER BY tree_size",
        )
        .bind(jurisdiction_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(checkpoint_from).collect()
    }

    /// The inclusion proof of leaf `index` in the tree of `size` of jurisdiction
    /// `jurisdiction_id`'s log.
    pub async fn inclusion_proof(
        &self,
        jurisdiction_id: i64,
        index: u64,
        size: u64,
    ) -> Result<Vec<Hash>, StoreError> {
        if index >= size || size > self.ledger_size(jurisdiction_id).await? {
            return Err(StoreError::NotFound);
        }
        let mut conn = self.pool().acquire().await?;
        with_hashes(&mut conn, jurisdiction_id, |reader| {
            ledger::prove_record(size, index, &reader)
        })
        .await
    }

    /// The consistency proof between two sizes of jurisdiction `jurisdiction_id`'s log.
    pub async fn consistency_proof(
        &self,
        jurisdiction_id: i64,
        old: u64,
        new: u64,
    ) -> Result<Vec<Hash>, StoreError> {
        if old == 0 || old > new || new > self.ledger_size(jurisdiction_id).await? {
            return Err(StoreError::NotFound);
        }
        let mut conn = self.pool().acquire().await?;
        with_hashes(&mut conn, jurisdiction_id, |reader| {
            ledger::prove_tree(new, old, &reader)
        })
        .await
    }

    /// The concatenated hashes of a tile of jurisdiction `jurisdiction_id`'s log in the tree of
    /// `size` (the latest checkpoint's, as served).
    pub async fn tile_data(
        &self,
        jurisdiction_id: i64,
        tile: &ledger::Tile,
        size: u64,
    ) -> Result<Vec<u8>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        with_hashes(&mut conn, jurisdiction_id, |reader| {
            ledger::read_tile_data(tile, size, &reader)
        })
        .await
        .map_err(|_| StoreError::NotFound)
    }

    /// The jurisdiction an event belongs to, whose log holds its leaf.
    pub async fn event_jurisdiction(&self, event_id: i64) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT jurisdiction_id FROM events WHERE id = $1")
            .bind(event_id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The leaf index of an event in jurisdiction `jurisdiction_id`'s log, if it has one there.
    pub async fn leaf_of_event(
        &self,
        jurisdiction_id: i64,
        event_id: i64,
    ) -> Result<Option<u64>, StoreError> {
        let index: Option<i64> = sqlx::query_scalar(
            "SELECT leaf_index FROM ledger_leaves WHERE jurisdiction_id = $1 AND event_id = $2",
        )
        .bind(jurisdiction_id)
        .bind(event_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(index.and_then(|i| u64::try_from(i).ok()))
    }

    /// The offline-checkable proof of an event in jurisdiction `jurisdiction_id`'s log against
    /// that log's latest checkpoint.
    pub async fn prove_event(
        &self,
        jurisdiction_id: i64,
        event_id: i64,
    ) -> Result<EventProof, StoreError> {
        let row = sqlx::query(
            "SELECT e.id, e.kind, e.subject, e.actor_user_id, e.at, e.body, l.leaf_index, l.salt \
             FROM events e JOIN ledger_leaves l ON l.event_id = e.id \
             WHERE e.id = $1 AND l.jurisdiction_id = $2 AND e.jurisdiction_id = $2",
        )
        .bind(event_id)
        .bind(jurisdiction_id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        let canonical = canonical_event_bytes(
            row.try_get("id")?,
            &row.try_get::<String, _>("kind")?,
            &row.try_get::<String, _>("subject")?,
            row.try_get("actor_user_id")?,
            &row.try_get::<String, _>("at")?,
            &row.try_get::<String, _>("body")?,
        );
        let salt: Vec<u8> = row.try_get("salt")?;
        let salt_array: [u8; 32] = salt
            .as_slice()
            .try_into()
            .map_err(|_| StoreError::NotFound)?;
        let leaf_index = u64::try_from(row.try_get::<i64, _>("leaf_index")?).unwrap_or(0);
        let checkpoint = self
            .latest_checkpoint(jurisdiction_id)
            .await?
            .filter(|c| c.tree_size > leaf_index)
            .ok_or(StoreError::NotFound)?;
        let proof = self
            .inclusion_proof(jurisdiction_id, leaf_index, checkpoint.tree_size)
            .await?;
        Ok(EventProof {
            event_id,
            canonical: String::from_utf8_lossy(&canonical).into_owned(),
            salt: hex(&salt),
            leaf_index,
            leaf_hash: ledger::leaf_hash(&ledger::record_commitment(&salt_array, &canonical))
                .to_hex(),
            checkpoint: checkpoint.note,
            proof: ledger::InclusionProof::new(leaf_index, checkpoint.tree_size, &proof),
        })
    }

    /// Recomputes every leaf of jurisdiction `jurisdiction_id`'s log from its event and salt,
    /// rebuilds the tree, compares every stored hash, and checks every checkpoint's signature (by
    /// `verifier`, the log's key) and root; stops at the first divergence.
    pub async fn verify_ledger(
        &self,
        jurisdiction_id: i64,
        verifier: &Verifier,
    ) -> Result<VerifyReport, StoreError> {
        let mut report = VerifyReport {
            leaves: 0,
            checkpoints: 0,
            bytes: 0,
            divergence: None,
        };
        let diverge = |report: &mut VerifyReport,
                       event_id: Option<i64>,
                       leaf_index: Option<u64>,
                       what: String| {
            report.divergence = Some(Divergence {
                event_id,
                leaf_index,
                what,
            });
        };
        let n_events: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE jurisdiction_id = $1")
                .bind(jurisdiction_id)
                .fetch_one(self.pool())
                .await?;
        let size = self.ledger_size(jurisdiction_id).await?;
        let checkpoints = self.checkpoints(jurisdiction_id).await?;
        let mut next_checkpoint = checkpoints.iter().peekable();
        let mut builder = TreeBuilder::new();
        let mut hash_index: u64 = 0;
        const BATCH: i64 = 5000;
        let mut after: i64 = -1;
        loop {
            let rows = sqlx::query(
                "SELECT l.leaf_index, l.salt, e.id, e.jurisdiction_id, e.kind, e.subject, \
                 e.actor_user_id, e.at, e.body \
                 FROM ledger_leaves l LEFT JOIN events e ON e.id = l.event_id \
                 WHERE l.jurisdiction_id = $3 AND l.leaf_index > $1 ORDER BY l.leaf_index LIMIT $2",
            )
            .bind(after)
            .bind(BATCH)
            .bind(jurisdiction_id)
            .fetch_all(self.pool())
            .await?;
            if rows.is_empty() {
                break;
            }
            let first_hash = hash_index;
            let last_leaf = u64::try_from(
                rows.last()
                    .map_or(Ok(0), |r| r.try_get::<i64, _>("leaf_index"))?,
            )
            .unwrap_or(0);
            let end_hash = ledger::stored_hash_count(last_leaf + 1);
            let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT hash FROM ledger_hashes WHERE jurisdiction_id = $3 AND hash_index >= $1 AND hash_index < $2 ORDER BY hash_index")
                .bind(i64::try_from(first_hash).unwrap_or(i64::MAX))
                .bind(i64::try_from(end_hash).unwrap_or(i64::MAX))
                .bind(jurisdiction_id)
                .fetch_all(self.pool())
                .await?;
            let mut stored = stored.into_iter();
            for row in &rows {
                let leaf_index = u64::try_from(row.try_get::<i64, _>("leaf_index")?).unwrap_or(0);
                after = i64::try_from(leaf_index).unwrap_or(i64::MAX);
                if leaf_index != builder.size() {
                    diverge(
                        &mut report,
                        None,
                        Some(builder.size()),
                        format!("leaf {} is missing", builder.size()),
                    );
                    return Ok(report);
                }
                let Some(event_id) = row.try_get::<Option<i64>, _>("id")? else {
                    diverge(
                        &mut report,
                        None,
                        Some(leaf_index),
                        "the event of this leaf has been deleted".into(),
                    );
                    return Ok(report);
                };
                // The leaf commits to the event's content, not to its jurisdiction: an event
                // moved to another jurisdiction is caught here.
                if row.try_get::<Option<i64>, _>("jurisdiction_id")? != Some(jurisdiction_id) {
                    diverge(
                        &mut report,
                        Some(event_id),
                        Some(leaf_index),
                        "the event of this leaf belongs to another jurisdiction".into(),
                    );
                    return Ok(report);
                }
                let canonical = canonical_event_bytes(
                    event_id,
                    &row.try_get::<String, _>("kind")?,
                    &row.try_get::<String, _>("subject")?,
                    row.try_get("actor_user_id")?,
                    &row.try_get::<String, _>("at")?,
                    &row.try_get::<String, _>("body")?,
                );
                report.bytes += canonical.len() as u64;
                let salt: Vec<u8> = row.try_get("salt")?;
                let Ok(salt) = <[u8; 32]>::try_from(salt.as_slice()) else {
                    diverge(
                        &mut report,
                        Some(event_id),
                        Some(leaf_index),
                        "the salt is not 32 bytes".into(),
                    );
                    return Ok(report);
                };
                let leaf = ledger::leaf_hash(&ledger::record_commitment(&salt, &canonical));
                for (offset, expected) in builder.push(leaf).into_iter().enumerate() {
                    let actual = stored.next();
                    if actual.as_deref() != Some(expected.0.as_slice()) {
                        let what = if offset == 0 {
                            "the event's bytes or salt do not match its leaf (the event was changed)".to_owned()
                        } else {
                            format!(
                                "stored tree hash {} does not match the rebuilt tree",
                                hash_index
                            )
                        };
                        diverge(&mut report, Some(event_id), Some(leaf_index), what);
                        return Ok(report);
                    }
                    hash_index += 1;
                }
                report.leaves += 1;
                while let Some(checkpoint) = next_checkpoint.peek() {
                    if checkpoint.tree_size != builder.size() {
                        break;
                    }
                    let opened =
                        ledger::open_note(&checkpoint.note, std::slice::from_ref(verifier));
                    let body_ok = opened
                        .as_ref()
                        .ok()
                        .and_then(|(text, _)| Checkpoint::parse(text).ok())
                        .is_some_and(|c| {
                            c.size == checkpoint.tree_size
                                && c.root == builder.root()
                                && c.root == checkpoint.root
                        });
                    if !body_ok {
                        diverge(
                            &mut report,
                            Some(event_id),
                            Some(leaf_index),
                            format!(
                                "checkpoint of size {} does not verify or does not match the rebuilt root",
                                checkpoint.tree_size
                            ),
                        );
                        return Ok(report);
                    }
                    report.checkpoints += 1;
                    next_checkpoint.next();
                }
            }
        }
        if builder.size() != size {
            diverge(
                &mut report,
                None,
                Some(builder.size()),
                format!(
                    "the log claims {size} leaves but {} were found",
                    builder.size()
                ),
            );
        } else if let Some(checkpoint) = next_checkpoint.next() {
            diverge(
                &mut report,
                None,
                None,
                format!(
                    "checkpoint of size {} is beyond the log ({size} leaves): the log was rolled back",
                    checkpoint.tree_size
                ),
            );
        } else if u64::try_from(n_events).unwrap_or(0) != size {
            diverge(
                &mut report,
                None,
                None,
                format!("{n_events} events but {size} leaves: an event has no leaf"),
            );
        }
        Ok(report)
    }

    /// Appends leaves, in every jurisdiction's log, for events journaled before the log existed.
    /// Returns how many were added.
    pub async fn backfill_ledgers(&self) -> Result<u64, StoreError> {
        let logs: Vec<i64> =
            sqlx::query_scalar("SELECT jurisdiction_id FROM ledger_logs ORDER BY jurisdiction_id")
                .fetch_all(self.pool())
                .await?;
        let mut added = 0;
        for jurisdiction_id in logs {
            added += self.backfill_ledger(jurisdiction_id).await?;
        }
        Ok(added)
    }

    /// Appends leaves to jurisdiction `jurisdiction_id`'s log for its events journaled before the
    /// log existed (oldest first). Returns how many were added.
    pub async fn backfill_ledger(&self, jurisdiction_id: i64) -> Result<u64, StoreError> {
        let mut added = 0;
        loop {
            let mut tx = self.begin().await?;
            let rows = sqlx::query(
                "SELECT e.id, e.kind, e.subject, e.actor_user_id, e.at, e.body FROM events e \
                 WHERE e.jurisdiction_id = $1 \
                 AND NOT EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.event_id = e.id) ORDER BY e.id LIMIT 1000",
            )
            .bind(jurisdiction_id)
            .fetch_all(&mut *tx)
            .await?;
            if rows.is_empty() {
                tx.commit().await?;
                return Ok(added);
            }
            let mut leaves = Vec::with_capacity(rows.len());
            for row in &rows {
                let id: i64 = row.try_get("id")?;
                let canonical = canonical_event_bytes(
                    id,
                    &row.try_get::<String, _>("kind")?,
                    &row.try_get::<String, _>("subject")?,
                    row.try_get("actor_user_id")?,
                    &row.try_get::<String, _>("at")?,
                    &row.try_get::<String, _>("body")?,
                );
                leaves.push((id, canonical));
            }
            append_leaves(&mut tx, jurisdiction_id, &leaves).await?;
            added += leaves.len() as u64;
            tx.commit().await?;
        }
    }
}

/// What one batch of [`Store::bench_batch`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenchMode {
    /// Events through [`super::events::append_many`]: event rows, leaves and the tree's hashes
    /// (the real write path).
    Ledger,
    /// The same rows (events, leaves, as many hashes) into scratch tables of the same shape, as
    /// plain multi-row INSERTs with no tree, no reads and no lock (the reference).
    Reference,
}

/// The scratch tables of [`BenchMode::Reference`]: the keys, indexes and references of
/// `events`, `ledger_leaves` and `ledger_hashes`.
const BENCH_TABLES: [&str; 3] = ["bench_ref_hashes", "bench_ref_leaves", "bench_ref_events"];

impl Store {
    /// Creates (empty) the scratch tables the reference writes to. Used by the benchmark only;
    /// callers refuse to run it on a real jurisdiction's database.
    pub async fn bench_prepare(&self) -> Result<(), StoreError> {
        self.bench_drop().await?;
        // The types of the real tables: on SQLite an event's id is the rowid (INTEGER PRIMARY
        // KEY), not a second index.
        let (id, blob) = match self.backend() {
            super::Backend::Sqlite => ("INTEGER", "BLOB"),
            super::Backend::Postgres => ("BIGINT", "BYTEA"),
        };
        for sql in [
            format!(
                "CREATE TABLE bench_ref_events (id {id} PRIMARY KEY, \
                 jurisdiction_id BIGINT NOT NULL REFERENCES jurisdictions(id), kind TEXT NOT NULL, \
                 subject TEXT NOT NULL, actor_user_id BIGINT, at TEXT NOT NULL, body TEXT NOT NULL)"
            ),
            "CREATE INDEX bench_ref_events_subject ON bench_ref_events(subject)".to_owned(),
            "CREATE INDEX bench_ref_events_jurisdiction ON bench_ref_events(jurisdiction_id, id)"
                .to_owned(),
            format!(
                "CREATE TABLE bench_ref_leaves (jurisdiction_id BIGINT NOT NULL REFERENCES jurisdictions(id), \
                 leaf_index BIGINT NOT NULL, event_id BIGINT NOT NULL UNIQUE REFERENCES bench_ref_events(id), \
                 salt {blob} NOT NULL, PRIMARY KEY (jurisdiction_id, leaf_index))"
            ),
            format!(
                "CREATE TABLE bench_ref_hashes (jurisdiction_id BIGINT NOT NULL REFERENCES jurisdictions(id), \
                 hash_index BIGINT NOT NULL, hash {blob} NOT NULL, PRIMARY KEY (jurisdiction_id, hash_index))"
            ),
        ] {
            self.execute_raw(&sql).await?;
        }
        Ok(())
    }

    /// Drops the reference's scratch tables, if there.
    pub async fn bench_drop(&self) -> Result<(), StoreError> {
        for table in BENCH_TABLES {
            self.execute_raw(&format!("DROP TABLE IF EXISTS {table}"))
                .await?;
        }
        Ok(())
    }

    /// Writes synthetic events `sequence..sequence + count` (`bench.event`) in one transaction,
    /// as `mode` says, and returns the id of the last once committed. Used by `fazhi ledger
    /// bench` and the crash test; callers refuse to run it on a real jurisdiction's database.
    pub async fn bench_batch(
        &self,
        mode: BenchMode,
        sequence: u64,
        count: u64,
        at: &str,
    ) -> Result<i64, StoreError> {
        let events: Vec<super::events::NewEvent<'_>> = (sequence..sequence + count)
            .map(|n| super::events::NewEvent {
                kind: "bench.event",
                subject: format!("bench:{n}"),
                actor_user_id: None,
                at: at.to_owned(),
                body: serde_json::json!({"sequence": n, "note": "synthetic event for measurement"}),
            })
            .collect();
        let mut tx = self.begin().await?;
        let last = match mode {
            BenchMode::Ledger => super::events::append_many(&mut tx, ROOT_JURISDICTION, &events)
                .await?
                .last()
                .copied()
                .unwrap_or(0),
            BenchMode::Reference => {
                let first_id = i64::try_from(sequence).unwrap_or(i64::MAX) + 1;
                bench_reference_rows(&mut tx, first_id, &events).await?
            }
        };
        tx.commit().await?;
        Ok(last)
    }
}

/// The reference's rows for `events`, numbered from `first_id` (leaf `first_id - 1`): the
/// events, their leaves and as many hashes as the log would store for them, with constant salts
/// and hashes, in the same multi-row statements as the real path.
async fn bench_reference_rows(
    conn: &mut AnyConnection,
    first_id: i64,
    events: &[super::events::NewEvent<'_>],
) -> Result<i64, StoreError> {
    let ids: Vec<i64> = (first_id..).take(events.len()).collect();
    let per_statement = rows_per_statement(conn, 6);
    for (chunk, chunk_ids) in events.chunks(per_statement).zip(ids.chunks(per_statement)) {
        let sql = insert_sql(
            "bench_ref_events (jurisdiction_id, id, kind, subject, actor_user_id, at, body)",
            chunk.len(),
            6,
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ROOT_JURISDICTION);
        for (event, id) in chunk.iter().zip(chunk_ids) {
            query = query
                .bind(*id)
                .bind(event.kind)
                .bind(&event.subject)
                .bind(event.actor_user_id)
                .bind(&event.at)
                .bind(super::events::canonical_json(&event.body));
        }
        query.execute(&mut *conn).await?;
    }
    let start = u64::try_from(first_id - 1).unwrap_or(0);
    let end = start + events.len() as u64;
    let hash_indexes: Vec<i64> = (ledger::stored_hash_count(start)..ledger::stored_hash_count(end))
        .map(|i| i64::try_from(i).unwrap_or(i64::MAX))
        .collect();
    let per_statement = rows_per_statement(conn, 2);
    for chunk in hash_indexes.chunks(per_statement) {
        let sql = insert_sql(
            "bench_ref_hashes (jurisdiction_id, hash_index, hash)",
            chunk.len(),
            2,
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ROOT_JURISDICTION);
        for index in chunk {
            query = query.bind(*index).bind(vec![7u8; 32]);
        }
        query.execute(&mut *conn).await?;
    }
    let per_statement = rows_per_statement(conn, 3);
    for chunk in ids.chunks(per_statement) {
        let sql = insert_sql(
            "bench_ref_leaves (jurisdiction_id, leaf_index, event_id, salt)",
            chunk.len(),
            3,
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(ROOT_JURISDICTION);
        for id in chunk {
            query = query.bind(*id - 1).bind(*id).bind(vec![9u8; 32]);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(ids.last().copied().unwrap_or(0))
}
