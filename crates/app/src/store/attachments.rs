//! Attachments of cases: documents stored once by content (`blobs`, keyed by SHA-256 hex) and
//! the cases that hold them (`case_attachments`). Attaching journals a `case.attachment_added`
//! event whose body carries the hash, size and media type (never the file name, which may name a
//! party), in the same transaction.

use serde_json::json;
use sqlx::Row;

use super::cases::{SCOPE_SQL, case_scope};
use super::events::{self, NewEvent};
use super::{Store, StoreError};
use crate::attachments::DocumentKind;
use crate::authz::Subject;
use crate::domain::{FieldError, FieldErrors};

/// A document about to be attached.
#[derive(Debug, Clone, Copy)]
pub struct NewAttachment<'a> {
    /// The case.
    pub case_id: i64,
    /// The content.
    pub content: &'a [u8],
    /// Its SHA-256, hex (see [`crate::attachments::sha256_hex`]).
    pub sha256: &'a str,
    /// What the sniffer found it to be.
    pub kind: DocumentKind,
    /// The cleaned original file name.
    pub file_name: &'a str,
    /// The uploading account.
    pub actor: i64,
    /// Record time.
    pub at: &'a str,
}

/// An attachment as listed on the case page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentRow {
    /// The content's SHA-256, hex.
    pub sha256: String,
    /// Original file name.
    pub file_name: String,
    /// Stored media type.
    pub media_type: String,
    /// Size in bytes.
    pub size: i64,
    /// The case version (step) it was attached after.
    pub step_seq: i64,
    /// The journal event that recorded it.
    pub event_id: i64,
    /// Who attached it.
    pub uploaded_by_name: String,
    /// When.
    pub uploaded_at: String,
}

/// A stored document to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// The file name it was attached under.
    pub file_name: String,
    /// Stored media type.
    pub media_type: String,
    /// The bytes.
    pub content: Vec<u8>,
}

impl Store {
    /// Attaches a document to a case: stores the content unless the same content is already
    /// stored, records the attachment and journals its event. The same content twice on one case
    /// is refused (`duplicate_attachment`). Returns the event id.
    pub async fn add_attachment(&self, new: &NewAttachment<'_>) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let version: Option<i64> = sqlx::query_scalar("SELECT version FROM cases WHERE id = $1")
            .bind(new.case_id)
            .fetch_optional(&mut *tx)
            .await?;
        let version = version.ok_or(StoreError::NotFound)?;
        let already: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM case_attachments WHERE case_id = $1 AND sha256 = $2",
        )
        .bind(new.case_id)
        .bind(new.sha256)
        .fetch_one(&mut *tx)
        .await?;
        if already > 0 {
            return Err(StoreError::Invalid(FieldErrors(vec![FieldError {
                field: "file",
                code: "duplicate_attachment",
            }])));
        }
        sqlx::query(
            "INSERT INTO blobs (sha256, media_type, size, content, first_uploaded_by, first_uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(new.sha256)
        .bind(new.kind.media_type())
        .bind(i64::try_from(new.content.len()).unwrap_or(i64::MAX))
        .bind(new.content)
        .bind(new.actor)
        .bind(new.at)
        .execute(&mut *tx)
        .await?;
        let jurisdiction_id =
            super::jurisdiction_of(&mut tx, super::Record::Case(new.case_id)).await?;
        let event_id = events::append(
            &mut tx,
            jurisdiction_id,
            &NewEvent {
                kind: "case.attachment_added",
                subject: format!("case:{}", new.case_id),
                actor_user_id: Some(new.actor),
                at: new.at.into(),
                body: json!({"sha256": new.sha256, "size": new.content.len(),
                    "media_type": new.kind.media_type(), "after_step": version}),
            },
        )
        .await?;
        sqlx::query(
            "INSERT INTO case_attachments (case_id, sha256, file_name, step_seq, event_id, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new.case_id)
        .bind(new.sha256)
        .bind(new.file_name)
        .bind(version)
        .bind(event_id)
        .bind(new.actor)
        .bind(new.at)
        .execute(&mut *tx)
        .await
        .map_err(|e| super::unique_violation_as(e, "file", "duplicate_attachment"))?;
        tx.commit().await?;
        Ok(event_id)
    }

    /// The attachments of a case, oldest first.
    pub async fn case_attachments(&self, case_id: i64) -> Result<Vec<AttachmentRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.sha256, a.file_name, b.media_type, b.size, a.step_seq, a.event_id, \
             u.display_name, a.uploaded_at FROM case_attachments a \
             JOIN blobs b ON b.sha256 = a.sha256 JOIN users u ON u.id = a.uploaded_by \
             WHERE a.case_id = $1 ORDER BY a.id",
        )
        .bind(case_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AttachmentRow {
                    sha256: row.try_get("sha256")?,
                    file_name: row.try_get("file_name")?,
                    media_type: row.try_get("media_type")?,
                    size: row.try_get("size")?,
                    step_seq: row.try_get("step_seq")?,
                    event_id: row.try_get("event_id")?,
                    uploaded_by_name: row.try_get("display_name")?,
                    uploaded_at: row.try_get("uploaded_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// An attachment of a case inside `subject`'s case scope; [`StoreError::NotFound`] when the
    /// case is outside it or holds no such document.
    pub async fn attachment_for(
        &self,
        subject: &Subject,
        case_id: i64,
        sha256: &str,
    ) -> Result<Download, StoreError> {
        let (all, department, own) = case_scope(subject);
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT a.file_name, b.media_type, b.content FROM cases c \
             JOIN case_attachments a ON a.case_id = c.id JOIN blobs b ON b.sha256 = a.sha256 \
             WHERE {SCOPE_SQL} AND c.id = $4 AND a.sha256 = $5"
        )))
        .bind(all)
        .bind(department)
        .bind(own)
        .bind(case_id)
        .bind(sha256)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(Download {
            file_name: row.try_get("file_name")?,
            media_type: row.try_get("media_type")?,
            content: row.try_get("content")?,
        })
    }

    /// Whether `sha256` is an attachment of case `case_id` (inside the caller's transaction).
    pub async fn has_attachment(
        tx: &mut sqlx::AnyConnection,
        case_id: i64,
        sha256: &str,
    ) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM case_attachments WHERE case_id = $1 AND sha256 = $2",
        )
        .bind(case_id)
        .bind(sha256)
        .fetch_one(&mut *tx)
        .await?;
        Ok(n > 0)
    }

    /// The number of stored documents (distinct contents).
    pub async fn count_blobs(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM blobs")
            .fetch_one(self.pool())
            .await?)
    }
}
