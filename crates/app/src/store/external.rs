//! Other governments' reports (外部报告), stored by content with a summary of what the reader
//! found. Adding one is journaled (its hash only).

use serde_json::json;
use sqlx::Row;

use super::events::{self, NewEvent};
use super::{Store, StoreError};

/// A stored external report, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalReportRow {
    /// Id.
    pub id: i64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// The uploaded file's name ("粘贴的文本" for pasted text).
    pub file_name: String,
    /// Title found by the reader.
    pub title: String,
    /// Jurisdiction found by the reader.
    pub jurisdiction: String,
    /// Year reported on, if found.
    pub year: Option<i32>,
    /// Figures found.
    pub n_figures: i64,
    /// Error-severity findings.
    pub n_errors: i64,
    /// Who added it (user name).
    pub uploaded_by: String,
    /// The jurisdiction of the account that added it.
    pub uploader_jurisdiction_id: i64,
    /// When.
    pub uploaded_at: String,
}

/// A new external report.
#[derive(Debug, Clone)]
pub struct NewExternalReport<'a> {
    /// SHA-256 hex of `content`.
    pub sha256: &'a str,
    /// File name.
    pub file_name: &'a str,
    /// Title.
    pub title: &'a str,
    /// Jurisdiction.
    pub jurisdiction: &'a str,
    /// Year.
    pub year: Option<i32>,
    /// Figures found.
    pub n_figures: i64,
    /// Errors found.
    pub n_errors: i64,
    /// The bytes as uploaded.
    pub content: &'a [u8],
    /// Uploader.
    pub user_id: i64,
    /// When (stored form).
    pub at: &'a str,
}

const COLUMNS: &str = "e.id, e.sha256, e.file_name, e.title, e.jurisdiction, e.year, e.n_figures, \
     e.n_errors, u.username, e.jurisdiction_id AS uploader_jurisdiction_id, e.uploaded_at FROM external_reports e JOIN users u ON u.id = e.uploaded_by";

fn row_of(row: &sqlx::any::AnyRow) -> Result<ExternalReportRow, sqlx::Error> {
    Ok(ExternalReportRow {
        id: row.try_get("id")?,
        sha256: row.try_get("sha256")?,
        file_name: row.try_get("file_name")?,
        title: row.try_get("title")?,
        jurisdiction: row.try_get("jurisdiction")?,
        year: row
            .try_get::<Option<i64>, _>("year")?
            .and_then(|y| i32::try_from(y).ok()),
        n_figures: row.try_get("n_figures")?,
        n_errors: row.try_get("n_errors")?,
        uploaded_by: row.try_get("username")?,
        uploader_jurisdiction_id: row.try_get("uploader_jurisdiction_id")?,
        uploaded_at: row.try_get("uploaded_at")?,
    })
}

impl Store {
    /// Stores an external report unless the same bytes are already stored; returns its id and
    /// whether it was new.
    pub async fn add_external_report(
        &self,
        new: &NewExternalReport<'_>,
    ) -> Result<(i64, bool), StoreError> {
        let mut tx = self.begin().await?;
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM external_reports WHERE sha256 = $1")
                .bind(new.sha256)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(id) = existing {
            return Ok((id, false));
        }
        // Other governments' published reports are public documents: one library for the whole
        // deployment, each report stored once, its upload journaled in the uploader's log.
        let jurisdiction_id =
            super::jurisdiction_of(&mut tx, super::Record::Account(new.user_id)).await?;
        let event_id = events::append(
            &mut tx,
            jurisdiction_id,
            &NewEvent {
                kind: "external_report.added",
                subject: format!("external_report:{}", new.sha256),
                actor_user_id: Some(new.user_id),
                at: new.at.to_owned(),
                body: json!({"sha256": new.sha256, "size": new.content.len(), "year": new.year}),
            },
        )
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO external_reports (sha256, file_name, title, jurisdiction, year, n_figures, n_errors, \
             content, uploaded_by, uploaded_at, event_id, jurisdiction_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(new.sha256)
        .bind(new.file_name)
        .bind(new.title)
        .bind(new.jurisdiction)
        .bind(new.year.map(i64::from))
        .bind(new.n_figures)
        .bind(new.n_errors)
        .bind(new.content)
        .bind(new.user_id)
        .bind(new.at)
        .bind(event_id)
        .bind(jurisdiction_id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((id, true))
    }

    /// Every external report, newest first.
    pub async fn external_reports(&self) -> Result<Vec<ExternalReportRow>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} ORDER BY e.id DESC"
        )))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(row_of).collect::<Result<_, _>>()?)
    }

    /// One external report with its bytes.
    pub async fn external_report(
        &self,
        id: i64,
    ) -> Result<(ExternalReportRow, Vec<u8>), StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} WHERE e.id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        let content: Vec<u8> =
            sqlx::query_scalar("SELECT content FROM external_reports WHERE id = $1")
                .bind(id)
                .fetch_one(self.pool())
                .await?;
        Ok((row_of(&row)?, content))
    }
}
