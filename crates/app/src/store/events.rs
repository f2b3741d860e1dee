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

/// Appends `event` inside the caller's transaction and returns its id.
pub async fn append(
    connection: &mut AnyConnection,
    event: &NewEvent<'_>,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO events (kind, subject, actor_user_id, at, body, jurisdiction_id) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(event.kind)
    .bind(&event.subject)
    .bind(event.actor_user_id)
    .bind(&event.at)
    .bind(canonical_json(&event.body))
    .bind(super::ROOT_JURISDICTION)
    .fetch_one(&mut *connection)
    .await?;
    // The event's leaf goes into the log in the same transaction: no record change without its
    // leaf, no leaf without its event.
    let canonical = super::ledger::canonical_event_bytes(
        id,
        event.kind,
        &event.subject,
        event.actor_user_id,
        &event.at,
        &canonical_json(&event.body),
    );
    super::ledger::append_leaf(connection, id, &canonical).await?;
    Ok(id)
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
