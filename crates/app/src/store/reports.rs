//! Department submissions (填报) and the annual report's versions. Each submission and each
//! report version is journaled (so the log commits to it); a published version is never
//! updated: this module has no statement that changes one.

use rust_decimal::Decimal;
use serde_json::json;
use sqlx::Row;

use super::events::{self, NewEvent};
use super::statistics::Extent;
use super::{Store, StoreError};

/// One submitted value, from the newest submission of its department and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmittedValue {
    /// Department.
    pub department_id: i64,
    /// Indicator.
    pub indicator_id: String,
    /// Value.
    pub value: Decimal,
    /// The submitter's comment.
    pub comment: String,
}

/// A submission as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionRow {
    /// Id.
    pub id: i64,
    /// Department.
    pub department_id: i64,
    /// Department name.
    pub department_name: String,
    /// `form` or `xlsx`.
    pub source: String,
    /// Who (user name).
    pub submitted_by: String,
    /// When.
    pub submitted_at: String,
    /// Its journal event.
    pub event_id: i64,
}

/// A new submission.
#[derive(Debug, Clone)]
pub struct NewSubmission<'a> {
    /// Department.
    pub department_id: i64,
    /// Year.
    pub year: i32,
    /// `form` or `xlsx`.
    pub source: &'a str,
    /// Submitting account.
    pub user_id: i64,
    /// When (stored form).
    pub at: &'a str,
    /// (indicator id, value, comment), complete.
    pub values: &'a [(String, Decimal, String)],
}

/// A report version as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportVersionRow {
    /// Version row id.
    pub id: i64,
    /// Year reported on.
    pub year: i32,
    /// Version number, from 1.
    pub number: i64,
    /// The report model, JSON.
    pub body: String,
    /// The computation the figures come from, JSON.
    pub computation: String,
    /// Why this version was made (draft, edit, correction reason).
    pub note: String,
    /// Author's user name (empty for the system).
    pub created_by: String,
    /// When.
    pub created_at: String,
    /// When published, if it is.
    pub published_at: Option<String>,
    /// Log size of the checkpoint it was published at.
    pub log_size: Option<i64>,
    /// That log's root hash, hex.
    pub log_root: Option<String>,
    /// SHA-256 of `body`, hex.
    pub body_sha256: String,
    /// Its journal event.
    pub event_id: i64,
}

/// A new report version.
#[derive(Debug, Clone)]
pub struct NewReportVersion<'a> {
    /// The jurisdiction whose report it is.
    pub jurisdiction_id: i64,
    /// Year.
    pub year: i32,
    /// Model JSON.
    pub body: &'a str,
    /// Computation JSON.
    pub computation: &'a str,
    /// Note.
    pub note: &'a str,
    /// Author (`None`: the system, e.g. the demo's draft).
    pub user_id: Option<i64>,
    /// When (stored form).
    pub at: &'a str,
    /// Publish it (with the log size and root it was checked at).
    pub publish: Option<(u64, String)>,
}

impl Store {
    /// Stores a complete submission and journals it; returns its id.
    pub async fn insert_submission(
        &self,
        submission: &NewSubmission<'_>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let values: serde_json::Map<String, serde_json::Value> = submission
            .values
            .iter()
            .map(|(id, value, comment)| {
                (
                    id.clone(),
                    json!({"value": value.to_string(), "comment": comment}),
                )
            })
            .collect();
        let jurisdiction_id =
            super::jurisdiction_of(&mut tx, super::Record::Department(submission.department_id))
                .await?;
        let event_id = events::append(
            &mut tx,
            jurisdiction_id,
            &NewEvent {
                kind: "submission.made",
                subject: format!("department:{}", submission.department_id),
                actor_user_id: Some(submission.user_id),
                at: submission.at.to_owned(),
                body: json!({"year": submission.year, "source": submission.source, "values": values}),
            },
        )
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO submissions (department_id, year, source, submitted_by, submitted_at, event_id, jurisdiction_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(submission.department_id)
        .bind(i64::from(submission.year))
        .bind(submission.source)
        .bind(submission.user_id)
        .bind(submission.at)
        .bind(event_id)
        .bind(jurisdiction_id)
        .fetch_one(&mut *tx)
        .await?;
        for (indicator, value, comment) in submission.values {
            sqlx::query(
                "INSERT INTO submission_values (submission_id, indicator_id, value, comment) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(indicator)
            .bind(value.to_string())
            .bind(comment)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// The values of the newest submission for `year` of each department within `extent` (a
    /// submission belongs to its department's jurisdiction).
    pub async fn latest_submissions(
        &self,
        extent: Extent,
        year: i32,
    ) -> Result<Vec<SubmittedValue>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT s.department_id, v.indicator_id, v.value, v.comment FROM submissions s \
             JOIN submission_values v ON v.submission_id = s.id \
             WHERE {} AND s.year = $1 AND s.id = (SELECT MAX(t.id) FROM submissions t \
               WHERE t.department_id = s.department_id AND t.year = s.year)",
            extent.sql("s.jurisdiction_id", "$2")
        )))
        .bind(i64::from(year))
        .bind(extent.jurisdiction_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let value: String = row.try_get("value")?;
                Ok(SubmittedValue {
                    department_id: row.try_get("department_id")?,
                    indicator_id: row.try_get("indicator_id")?,
                    value: value.parse().unwrap_or_default(),
                    comment: row.try_get("comment")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Every submission for `year` within `extent` (all its departments, or one), newest first.
    pub async fn submissions(
        &self,
        extent: Extent,
        year: i32,
        department_id: Option<i64>,
    ) -> Result<Vec<SubmissionRow>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT s.id, s.department_id, d.name AS department_name, s.source, u.username, s.submitted_at, s.event_id \
             FROM submissions s JOIN departments d ON d.id = s.department_id JOIN users u ON u.id = s.submitted_by \
             WHERE {} AND s.year = $1 AND ($2 = 0 OR s.department_id = $2) ORDER BY s.id DESC",
            extent.sql("s.jurisdiction_id", "$3")
        )))
        .bind(i64::from(year))
        .bind(department_id.unwrap_or(0))
        .bind(extent.jurisdiction_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SubmissionRow {
                    id: row.try_get("id")?,
                    department_id: row.try_get("department_id")?,
                    department_name: row.try_get("department_name")?,
                    source: row.try_get("source")?,
                    submitted_by: row.try_get("username")?,
                    submitted_at: row.try_get("submitted_at")?,
                    event_id: row.try_get("event_id")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Adds a version of the report for `version.year` (creating the report on first use) and
    /// journals it; returns the version number.
    pub async fn insert_report_version(
        &self,
        version: &NewReportVersion<'_>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        // The version number first: its counter row orders concurrent writers for the year, so
        // the report row below is found or created by one of them at a time.
        let jurisdiction_id = version.jurisdiction_id;
        let number = super::cases::next_number(
            &mut tx,
            jurisdiction_id,
            &format!("report:{}", version.year),
        )
        .await?;
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM reports WHERE jurisdiction_id = $1 AND year = $2")
                .bind(jurisdiction_id)
                .bind(i64::from(version.year))
                .fetch_optional(&mut *tx)
                .await?;
        let report_id =
            match existing {
                Some(id) => id,
                None => sqlx::query_scalar(
                    "INSERT INTO reports (year, created_at, jurisdiction_id) VALUES ($1, $2, $3) \
                     RETURNING id",
                )
                .bind(i64::from(version.year))
                .bind(version.at)
                .bind(jurisdiction_id)
                .fetch_one(&mut *tx)
                .await?,
            };
        let body_sha256 = crate::attachments::sha256_hex(version.body.as_bytes());
        let published = version.publish.as_ref();
        let event_id = events::append(
            &mut tx,
            jurisdiction_id,
            &NewEvent {
                kind: if published.is_some() {
                    "report.published"
                } else {
                    "report.version"
                },
                subject: format!("report:{}", version.year),
                actor_user_id: version.user_id,
                at: version.at.to_owned(),
                body: json!({"year": version.year, "number": number, "note": version.note,
                    "body_sha256": body_sha256,
                    "log_size": published.map(|p| p.0), "log_root": published.map(|p| &p.1)}),
            },
        )
        .await?;
        sqlx::query(
            "INSERT INTO report_versions (report_id, number, body, computation, note, created_by, created_at, \
             published_at, log_size, log_root, body_sha256, event_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(report_id)
        .bind(number)
        .bind(version.body)
        .bind(version.computation)
        .bind(version.note)
        .bind(version.user_id)
        .bind(version.at)
        .bind(published.map(|_| version.at))
        .bind(published.map(|p| i64::try_from(p.0).unwrap_or(i64::MAX)))
        .bind(published.map(|p| p.1.clone()))
        .bind(&body_sha256)
        .bind(event_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(number)
    }

    /// Every version of jurisdiction `jurisdiction_id`'s report for `year`, newest first.
    pub async fn report_versions(
        &self,
        jurisdiction_id: i64,
        year: i32,
    ) -> Result<Vec<ReportVersionRow>, StoreError> {
        self.report_versions_where(jurisdiction_id, year, false)
            .await
    }

    /// The published versions of jurisdiction `jurisdiction_id`'s report for `year`, newest
    /// first.
    pub async fn published_report_versions(
        &self,
        jurisdiction_id: i64,
        year: i32,
    ) -> Result<Vec<ReportVersionRow>, StoreError> {
        self.report_versions_where(jurisdiction_id, year, true)
            .await
    }

    async fn report_versions_where(
        &self,
        jurisdiction_id: i64,
        year: i32,
        published_only: bool,
    ) -> Result<Vec<ReportVersionRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT v.id, r.year, v.number, v.body, v.computation, v.note, COALESCE(u.username, '') AS author, \
             v.created_at, v.published_at, v.log_size, v.log_root, v.body_sha256, v.event_id \
             FROM report_versions v JOIN reports r ON r.id = v.report_id LEFT JOIN users u ON u.id = v.created_by \
             WHERE r.jurisdiction_id = $3 AND r.year = $1 AND ($2 = 0 OR v.published_at IS NOT NULL) \
             ORDER BY v.number DESC",
        )
        .bind(i64::from(year))
        .bind(i64::from(published_only))
        .bind(jurisdiction_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ReportVersionRow {
                    id: row.try_get("id")?,
                    year: i32::try_from(row.try_get::<i64, _>("year")?).unwrap_or_default(),
                    number: row.try_get("number")?,
                    body: row.try_get("body")?,
                    computation: row.try_get("computation")?,
                    note: row.try_get("note")?,
                    created_by: row.try_get("author")?,
                    created_at: row.try_get("created_at")?,
                    published_at: row.try_get("published_at")?,
                    log_size: row.try_get("log_size")?,
                    log_root: row.try_get("log_root")?,
                    body_sha256: row.try_get("body_sha256")?,
                    event_id: row.try_get("event_id")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Years in which jurisdiction `jurisdiction_id` has a published report, newest first.
    pub async fn published_report_years(
        &self,
        jurisdiction_id: i64,
    ) -> Result<Vec<i32>, StoreError> {
        let years: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT r.year FROM reports r JOIN report_versions v ON v.report_id = r.id \
             WHERE r.jurisdiction_id = $1 AND v.published_at IS NOT NULL ORDER BY r.year DESC",
        )
        .bind(jurisdiction_id)
        .fetch_all(self.pool())
        .await?;
        Ok(years
            .into_iter()
            .filter_map(|y| i32::try_from(y).ok())
            .collect())
    }

    /// Every jurisdiction with a published report, with the years it has one in (newest first),
    /// by jurisdiction id: what the public portal lists.
    pub async fn published_report_years_by_jurisdiction(
        &self,
    ) -> Result<Vec<(i64, Vec<i32>)>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT r.jurisdiction_id, r.year FROM reports r \
             JOIN report_versions v ON v.report_id = r.id \
             WHERE v.published_at IS NOT NULL ORDER BY r.jurisdiction_id, r.year DESC",
        )
        .fetch_all(self.pool())
        .await?;
        let mut listed: Vec<(i64, Vec<i32>)> = Vec::new();
        for row in &rows {
            let jurisdiction: i64 = row.try_get("jurisdiction_id")?;
            let Ok(year) = i32::try_from(row.try_get::<i64, _>("year")?) else {
                continue;
            };
            match listed.last_mut() {
                Some((id, years)) if *id == jurisdiction => years.push(year),
                _ => listed.push((jurisdiction, vec![year])),
            }
        }
        Ok(listed)
    }
}
