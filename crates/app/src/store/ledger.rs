//! The store side of the tamper-evident log: every journaled event gets a leaf in the same
//! transaction (`append_leaf`, called by `events::append`), the tree's stored hashes are kept in
//! `ledger_hashes` in Go tlog order, checkpoints are signed and kept, proofs are read, and the
//! whole log can be verified from the events themselves.
//!
//! Each jurisdiction keeps its own log (`ledger_logs`, and every leaf, hash and checkpoint keyed
//! by `jurisdiction_id` first). Until accounts act in more than one jurisdiction every event goes
//! to the root's log ([`LOG`]).
//!
//! Contract: appends are serialised by the log's `ledger_logs` row (PostgreSQL row lock; SQLite's
//! write lock, taken by `BEGIN IMMEDIATE`), so leaf `n`'s hashes always follow leaf `n - 1`'s.

use std::cell::RefCell;
use std::collections::HashMap;

use fazhi_ledger::{self as ledger, Checkpoint, Hash, HashReader, Signer, TreeBuilder, Verifier};
use sqlx::{AnyConnection, Row};

use super::{ROOT_JURISDICTION, Store, StoreError};

/// The log events are appended to and read from: the root jurisdiction's.
const LOG: i64 = ROOT_JURISDICTION;

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

async fn fetch(conn: &mut AnyConnection, indexes: &[u64]) -> Result<Prefetched, StoreError> {
    let mut found = Prefetched::default();
    for index in indexes {
        if found.0.contains_key(index) {
            continue;
        }
        let bytes: Option<Vec<u8>> = sqlx::query_scalar(
            "SELECT hash FROM ledger_hashes WHERE jurisdiction_id = $1 AND hash_index = $2",
        )
        .bind(LOG)
        .bind(i64::try_from(*index).unwrap_or(i64::MAX))
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(bytes) = bytes {
            found.0.insert(*index, hash_from(&bytes)?);
        }
    }
    Ok(found)
}

/// Runs a read-only library computation against the stored hashes.
async fn with_hashes<T>(
    conn: &mut AnyConnection,
    compute: impl Fn(&dyn HashReader) -> Result<T, ledger::Error>,
) -> Result<T, StoreError> {
    let recorder = IndexRecorder::default();
    let _ = compute(&recorder);
    let indexes = recorder.0.into_inner();
    let hashes = fetch(conn, &indexes).await?;
    compute(&hashes).map_err(|e| StoreError::Sql(sqlx::Error::Protocol(format!("ledger: {e}"))))
}

/// Appends the leaf of event `event_id` (inside the caller's transaction) and returns its index.
pub async fn append_leaf(
    conn: &mut AnyConnection,
    event_id: i64,
    canonical: &[u8],
) -> Result<u64, StoreError> {
    let size: i64 = sqlx::query_scalar(
        "UPDATE ledger_logs SET size = size + 1 WHERE jurisdiction_id = $1 RETURNING size",
    )
    .bind(LOG)
    .fetch_one(&mut *conn)
    .await?;
    let n = u64::try_from(size - 1).unwrap_or(0);
    let mut salt = [0u8; 32];
    getrandom::fill(&mut salt)
        .map_err(|_| StoreError::Sql(sqlx::Error::Protocol("no randomness for the salt".into())))?;
    let leaf = ledger::leaf_hash(&ledger::record_commitment(&salt, canonical));
    let new_hashes = {
        let recorder = IndexRecorder::default();
        let _ = ledger::stored_hashes_for_record_hash(n, leaf, &recorder);
        let indexes = recorder.0.into_inner();
        let hashes = fetch(conn, &indexes).await?;
        ledger::stored_hashes_for_record_hash(n, leaf, &hashes)
            .map_err(|e| StoreError::Sql(sqlx::Error::Protocol(format!("ledger: {e}"))))?
    };
    let first = ledger::stored_hash_count(n);
    for (offset, hash) in new_hashes.iter().enumerate() {
        sqlx::query(
            "INSERT INTO ledger_hashes (jurisdiction_id, hash_index, hash) VALUES ($1, $2, $3)",
        )
        .bind(LOG)
        .bind(i64::try_from(first + offset as u64).unwrap_or(i64::MAX))
        .bind(hash.0.to_vec())
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "INSERT INTO ledger_leaves (jurisdiction_id, leaf_index, event_id, salt) VALUES ($1, $2, $3, $4)",
    )
    .bind(LOG)
    .bind(size - 1)
        .bind(event_id)
        .bind(salt.to_vec())
        .execute(&mut *conn)
        .await?;
    Ok(n)
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// The number of leaves in the log.
    pub async fn ledger_size(&self) -> Result<u64, StoreError> {
        let size: i64 =
            sqlx::query_scalar("SELECT size FROM ledger_logs WHERE jurisdiction_id = $1")
                .bind(LOG)
                .fetch_one(self.pool())
                .await?;
        Ok(u64::try_from(size).unwrap_or(0))
    }

    /// The root hash of the log at `size`.
    pub async fn ledger_root(&self, size: u64) -> Result<Hash, StoreError> {
        let mut conn = self.pool().acquire().await?;
        with_hashes(&mut conn, |reader| ledger::tree_hash(size, &reader)).await
    }

    /// Signs and stores a checkpoint of the current size if it is newer than the latest one.
    /// Returns the latest checkpoint either way.
    pub async fn sign_checkpoint(
        &self,
        signer: &Signer,
        at: &str,
    ) -> Result<Option<StoredCheckpoint>, StoreError> {
        let mut tx = self.begin().await?;
        let size: i64 =
            sqlx::query_scalar("SELECT size FROM ledger_logs WHERE jurisdiction_id = $1")
                .bind(LOG)
                .fetch_one(&mut *tx)
                .await?;
        let latest: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(tree_size) FROM ledger_checkpoints WHERE jurisdiction_id = $1",
        )
        .bind(LOG)
        .fetch_one(&mut *tx)
        .await?;
        if size > 0 && latest.is_none_or(|latest| size > latest) {
            let size_u = u64::try_from(size).unwrap_or(0);
            let root = with_hashes(&mut tx, |reader| ledger::tree_hash(size_u, &reader)).await?;
            let checkpoint = Checkpoint {
                origin: signer.verifier().name().to_owned(),
                size: size_u,
                root,
                extensions: Vec::new(),
            };
            let note = ledger::sign_note(&checkpoint.to_body(), signer)
                .map_err(|e| StoreError::Sql(sqlx::Error::Protocol(e.to_string())))?;
            sqlx::query("INSERT INTO ledger_checkpoints (jurisdiction_id, tree_size, root, note, signed_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(LOG)
                .bind(size)
                .bind(root.0.to_vec())
                .bind(&note)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.latest_checkpoint().await
    }

    /// The latest signed checkpoint.
    pub async fn latest_checkpoint(&self) -> Result<Option<StoredCheckpoint>, StoreError> {
        Ok(self.checkpoints().await?.pop())
    }

    /// Every stored checkpoint, by size.
    pub async fn checkpoints(&self) -> Result<Vec<StoredCheckpoint>, StoreError> {
        let rows = sqlx::query(
            "SELECT tree_size, root, note, signed_at FROM ledger_checkpoints \
             WHERE jurisdiction_id = $1 ORDER BY tree_size",
        )
        .bind(LOG)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(StoredCheckpoint {
                    tree_size: u64::try_from(row.try_get::<i64, _>("tree_size")?).unwrap_or(0),
                    root: hash_from(&row.try_get::<Vec<u8>, _>("root")?)?,
                    note: row.try_get("note")?,
                    signed_at: row.try_get("signed_at")?,
                })
            })
            .collect()
    }

    /// The inclusion proof of leaf `index` in the tree of `size`.
    pub async fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, StoreError> {
        if index >= size || size > self.ledger_size().await? {
            return Err(StoreError::NotFound);
        }
        let mut conn = self.pool().acquire().await?;
        with_hashes(&mut conn, |reader| {
            ledger::prove_record(size, index, &reader)
        })
        .await
    }

    /// The consistency proof between two sizes.
    pub async fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>, StoreError> {
        if old == 0 || old > new || new > self.ledger_size().await? {
            return Err(StoreError::NotFound);
        }
        let mut conn = self.pool().acquire().await?;
        with_hashes(&mut conn, |reader| ledger::prove_tree(new, old, &reader)).await
    }

    /// The concatenated hashes of a tile at the latest checkpoint's size.
    pub async fn tile_data(&self, tile: &ledger::Tile, size: u64) -> Result<Vec<u8>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        with_hashes(&mut conn, |reader| {
            ledger::read_tile_data(tile, size, &reader)
        })
        .await
        .map_err(|_| StoreError::NotFound)
    }

    /// The leaf index of an event, if it has one.
    pub async fn leaf_of_event(&self, event_id: i64) -> Result<Option<u64>, StoreError> {
        let index: Option<i64> =
            sqlx::query_scalar("SELECT leaf_index FROM ledger_leaves WHERE event_id = $1")
                .bind(event_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(index.and_then(|i| u64::try_from(i).ok()))
    }

    /// The offline-checkable proof of an event against the latest checkpoint.
    pub async fn prove_event(&self, event_id: i64) -> Result<EventProof, StoreError> {
        let row = sqlx::query(
            "SELECT e.id, e.kind, e.subject, e.actor_user_id, e.at, e.body, l.leaf_index, l.salt \
             FROM events e JOIN ledger_leaves l ON l.event_id = e.id WHERE e.id = $1",
        )
        .bind(event_id)
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
            .latest_checkpoint()
            .await?
            .filter(|c| c.tree_size > leaf_index)
            .ok_or(StoreError::NotFound)?;
        let proof = self
            .inclusion_proof(leaf_index, checkpoint.tree_size)
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

    /// Recomputes every leaf from its event and salt, rebuilds the tree, compares every stored
    /// hash, and checks every checkpoint's signature and root; stops at the first divergence.
    pub async fn verify_ledger(&self, verifier: &Verifier) -> Result<VerifyReport, StoreError> {
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
        let n_events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
            .fetch_one(self.pool())
            .await?;
        let size = self.ledger_size().await?;
        let checkpoints = self.checkpoints().await?;
        let mut next_checkpoint = checkpoints.iter().peekable();
        let mut builder = TreeBuilder::new();
        let mut hash_index: u64 = 0;
        const BATCH: i64 = 5000;
        let mut after: i64 = -1;
        loop {
            let rows = sqlx::query(
                "SELECT l.leaf_index, l.salt, e.id, e.kind, e.subject, e.actor_user_id, e.at, e.body \
                 FROM ledger_leaves l LEFT JOIN events e ON e.id = l.event_id \
                 WHERE l.jurisdiction_id = $3 AND l.leaf_index > $1 ORDER BY l.leaf_index LIMIT $2",
            )
            .bind(after)
            .bind(BATCH)
            .bind(LOG)
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
                .bind(LOG)
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

    /// Appends leaves for events journaled before the log existed (oldest first). Returns how
    /// many were added.
    pub async fn backfill_ledger(&self) -> Result<u64, StoreError> {
        let mut added = 0;
        loop {
            let mut tx = self.begin().await?;
            let rows = sqlx::query(
                "SELECT e.id, e.kind, e.subject, e.actor_user_id, e.at, e.body FROM events e \
                 WHERE NOT EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.event_id = e.id) ORDER BY e.id LIMIT 1000",
            )
            .fetch_all(&mut *tx)
            .await?;
            if rows.is_empty() {
                tx.commit().await?;
                return Ok(added);
            }
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
                append_leaf(&mut tx, id, &canonical).await?;
                added += 1;
            }
            tx.commit().await?;
        }
    }
}

/// How [`Store::bench_append`] writes each synthetic event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenchMode {
    /// Event row plus its ledger leaf (the real write path).
    Ledger,
    /// The same event rows into a scratch table, with no tree (the reference).
    Plain,
}

impl Store {
    /// Appends `count` synthetic events (`bench.event`) in transactions of `batch`, calling
    /// `acknowledge(last_event_id)` after each commit. Used by the benchmark and the crash test;
    /// callers refuse to run it on a real jurisdiction's database.
    pub async fn bench_append(
        &self,
        count: u64,
        batch: u64,
        mode: BenchMode,
        at: &str,
        acknowledge: &mut dyn FnMut(i64),
    ) -> Result<(), StoreError> {
        if mode == BenchMode::Plain {
            self.execute_raw(
                "CREATE TABLE IF NOT EXISTS bench_plain_events (id BIGINT PRIMARY KEY, kind TEXT NOT NULL, \
                 subject TEXT NOT NULL, actor_user_id BIGINT, at TEXT NOT NULL, body TEXT NOT NULL)",
            )
            .await?;
            self.execute_raw("DELETE FROM bench_plain_events").await?;
        }
        let mut done = 0u64;
        while done < count {
            let mut tx = self.begin().await?;
            let mut last = 0;
            for _ in 0..batch.min(count - done) {
                let body = serde_json::json!({"sequence": done, "note": "synthetic event for measurement"});
                last = match mode {
                    BenchMode::Ledger => {
                        super::events::append(
                            &mut tx,
                            &super::events::NewEvent {
                                kind: "bench.event",
                                subject: format!("bench:{done}"),
                                actor_user_id: None,
                                at: at.to_owned(),
                                body,
                            },
                        )
                        .await?
                    }
                    BenchMode::Plain => {
                        let id = i64::try_from(done).unwrap_or(i64::MAX) + 1;
                        sqlx::query("INSERT INTO bench_plain_events (id, kind, subject, actor_user_id, at, body) VALUES ($1, $2, $3, $4, $5, $6)")
                            .bind(id)
                            .bind("bench.event")
                            .bind(format!("bench:{done}"))
                            .bind(None::<i64>)
                            .bind(at)
                            .bind(super::events::canonical_json(&body))
                            .execute(&mut *tx)
                            .await?;
                        id
                    }
                };
                done += 1;
            }
            tx.commit().await?;
            acknowledge(last);
        }
        Ok(())
    }
}
