//! The event journal: every change to a record is written here, in the transaction that makes
//! the change, as canonical JSON (object keys sorted, no insignificant whitespace).
//!
//! The journal is what the tamper-evident log commits to (issue #4); this module only appends.

use serde::Serialize;
use sqlx::AnyConnection;

use super::StoreError;

/// A change about to be journaled.
#[derive(Debug, Clone, Serialize)]
pub struct NewEvent<'a> {
    /// What happened, e.g. `department.created`.
    pub kind: &'a str,
    /// The record it happened to, e.g. `department:12`.
    pub subject: String,
    /// The account that did it (`None` for the system: `init`, the demo).
    pub actor_user_id: Option<i64>,
    /// When, as stored (see [`crate::clock::to_db_time`]).
    pub at: String,
    /// The change's content.
    pub body: serde_json::Value,
}

/// Canonical bytes of an event body: serde_json's default map is ordered by key, and compact
/// output has no insignificant whitespace, so equal values give equal bytes.
pub fn canonical_json(value: &serde_json::Value) -> String {
    value.to_string()
}

/// Appends `event` to jurisdiction `jurisdiction_id`'s journal and log (the jurisdiction of the
/// record it changes) inside the caller's transaction and returns its id: a batch of one
/// through [`append_many`].
pub async fn append(
    connection: &mut AnyConnection,
    jurisdiction_id: i64,
    event: &NewEvent<'_>,
) -> Result<i64, StoreError> {
    let ids = append_many(connection, jurisdiction_id, std::slice::from_ref(event)).await?;
    ids.first()
        .copied()
        .ok_or(StoreError::Sql(sqlx::Error::RowNotFound))
}

/// Appends `events`, in order, to jurisdiction `jurisdiction_id`'s journal and log inside the
/// caller's transaction and returns their ids in the same order. The events go in as multi-row
/// INSERTs and their leaves through [`super::ledger::append_leaves`]: no record change without
/// its leaf, no leaf without its event, all committed (or not) with the caller's transaction.
pub async fn append_many(
    connection: &mut AnyConnection,
    jurisdiction_id: i64,
    events: &[NewEvent<'_>],
) -> Result<Vec<i64>, StoreError> {
    use super::ledger::{insert_sql, rows_per_statement};
    let bodies: Vec<String> = events.iter().map(|e| canonical_json(&e.body)).collect();
    let mut ids: Vec<i64> = Vec::with_capacity(events.len());
    let per_statement = rows_per_statement(connection, 5);
    for (chunk, chunk_bodies) in events
        .chunks(per_statement)
        .zip(bodies.chunks(per_statement))
    {
        let sql = insert_sql(
            "events (jurisdiction_id, kind, subject, actor_user_id, at, body)",
            chunk.len(),
            5,
        ) + " RETURNING id";
        let mut query = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(jurisdiction_id);
        for (event, body) in chunk.iter().zip(chunk_bodies) {
            query = query
                .bind(event.kind)
                .bind(&event.subject)
                .bind(event.actor_user_id)
                .bind(&event.at)
                .bind(body);
        }
        let chunk_ids: Vec<i64> = query.fetch_all(&mut *connection).await?;
        // Both databases number and return the rows of one multi-row INSERT in the order of its
        // VALUES; should that ever not hold, fail the transaction rather than pair an event with
        // another's content.
        let in_order = chunk_ids.len() == chunk.len()
            && chunk_ids
                .iter()
                .zip(chunk_ids.iter().skip(1))
                .all(|(a, b)| a < b)
            && ids.last().zip(chunk_ids.first()).is_none_or(|(a, b)| a < b);
        if !in_order {
            return Err(StoreError::Sql(sqlx::Error::Protocol(
                "the inserted events' ids did not come back in insertion order".into(),
            )));
        }
        ids.extend(chunk_ids);
    }
    let leaves: Vec<(i64, Vec<u8>)> = ids
        .iter()
        .zip(events.iter().zip(&bodies))
        .map(|(&id, (event, body))| {
            let canonical = super::ledger::canonical_event_bytes(
                id,
                event.kind,
                &event.subject,
                event.actor_user_id,
                &event.at,
                body,
            );
            (id, canonical)
        })
        .collect();
    super::ledger::append_leaves(connection, jurisdiction_id, &leaves).await?;
    Ok(ids)
}

/// A journaled event as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// Its id, in append order.
    pub id: i64,
    /// What happened.
    pub kind: String,
    /// The record it happened to.
    pub subject: String,
    /// Who did it.
    pub actor_user_id: Option<i64>,
    /// When.
    pub at: String,
    /// Canonical JSON of the content.
    pub body: String,
}

impl super::Store {
    /// The events about `subject`, oldest first.
    pub async fn events_of(&self, subject: &str) -> Result<Vec<StoredEvent>, StoreError> {
        use sqlx::Row;
        let rows = sqlx::query(
            "SELECT id, kind, subject, actor_user_id, at, body FROM events \
             WHERE subject = $1 ORDER BY id",
        )
        .bind(subject)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(StoredEvent {
                    id: row.try_get("id")?,
                    kind: row.try_get("kind")?,
                    subject: row.try_get("subject")?,
                    actor_user_id: row.try_get("actor_user_id")?,
                    at: row.try_get("at")?,
                    body: row.try_get("body")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// The number of journaled events.
    pub async fn count_events(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM events")
            .fetch_one(self.pool())
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_and_drops_whitespace() {
        let value = serde_json::json!({"b": 1, "a": {"d": [1, 2], "c": "名"}});
        assert_eq!(
            canonical_json(&value),
            r#"{"a":{"c":"名","d":[1,2]},"b":1}"#
        );
    }
}
