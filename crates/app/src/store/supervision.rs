//! Supervision (法治督察, issue #14): what the government above reads of the jurisdictions
//! below it — their deadlines at risk and overdue per department, the state of their annual
//! reports, their year-on-year figures — and 督办, a supervision notice on a case, a department
//! or a report, with a reply due on the working-day calendar.
//!
//! Every query takes the subtree of one jurisdiction (`jurisdiction_closure`, migration 0012) and
//! reads it in one statement, grouped by jurisdiction, so the page's cost grows with the rows it
//! reads, not with the number of jurisdictions. A notice's and a reply's free text stay in
//! `supervision_notices`; their events carry its SHA-256 only (free text may name people, and the
//! journal's leaves are published).

use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::events::{self, NewEvent};
use super::{Reach, Store, StoreError, in_subtree_sql, invalid};

/// A department's agency deadlines (期限 whose lapse makes the case overdue) that fall due soon
/// or have lapsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentDeadlines {
    /// The department's jurisdiction.
    pub jurisdiction_id: i64,
    /// The department.
    pub department_id: i64,
    /// Its name.
    pub department_name: String,
    /// Periods past their last day.
    pub overdue: i64,
    /// Periods due from today to the warning horizon.
    pub at_risk: i64,
}

/// Where a jurisdiction's annual report on `year` stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportProgress {
    /// The jurisdiction.
    pub jurisdiction_id: i64,
    /// When its first version was drafted (a stored time), if any.
    pub drafted_at: Option<String>,
    /// The date it was submitted to the government above, if it was.
    pub submitted_on: Option<String>,
    /// When its first version was published (a stored time), if any.
    pub published_at: Option<String>,
    /// How many versions it has.
    pub n_versions: i64,
}

/// Cases a jurisdiction opened in one year under one procedure (from the step tallies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedCount {
    /// The jurisdiction.
    pub jurisdiction_id: i64,
    /// The year.
    pub year: i32,
    /// The procedure id.
    pub procedure: String,
    /// Cases opened.
    pub opened: i64,
}

/// What a 督办 is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeTarget {
    /// A case, by id.
    Case(i64),
    /// A department, by id.
    Department(i64),
    /// A jurisdiction's annual report on a year.
    Report {
        /// The reporting jurisdiction.
        jurisdiction_id: i64,
        /// The year reported on.
        year: i32,
    },
}

impl NoticeTarget {
    /// The stored kind.
    pub fn kind(self) -> &'static str {
        match self {
            NoticeTarget::Case(_) => "case",
            NoticeTarget::Department(_) => "department",
            NoticeTarget::Report { .. } => "report",
        }
    }

    fn id(self) -> i64 {
        match self {
            NoticeTarget::Case(id) | NoticeTarget::Department(id) => id,
            NoticeTarget::Report { year, .. } => i64::from(year),
        }
    }
}

/// A 督办 about to be issued, checked by the caller's form (lengths, period).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice<'a> {
    /// What it is about.
    pub target: NoticeTarget,
    /// Its title (no personal data: it is listed to the addressee's staff).
    pub title: &'a str,
    /// What is to be done, free text.
    pub body: &'a str,
    /// The issuing date.
    pub issued_on: &'a str,
    /// The reply period, in working days.
    pub reply_workdays: i64,
    /// The reply's last day, counted on the working-day calendar by the caller.
    pub reply_due: &'a str,
    /// The issuing account.
    pub issued_by: i64,
    /// The issuing account's jurisdiction (the supervisor's).
    pub issued_by_jurisdiction: i64,
    /// The record time.
    pub at: &'a str,
}

/// A stored 督办.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Its id.
    pub id: i64,
    /// The addressee's jurisdiction.
    pub jurisdiction_id: i64,
    /// That jurisdiction's name.
    pub jurisdiction_name: String,
    /// The issuing jurisdiction.
    pub issued_by_jurisdiction: i64,
    /// Its name.
    pub issuer_name: String,
    /// `case`, `department` or `report`.
    pub target_kind: String,
    /// The case or department id, or the report's year.
    pub target_id: i64,
    /// The addressed department (a case's or the department itself; none for a report, which
    /// the jurisdiction's 司法局 answers).
    pub department_id: Option<i64>,
    /// That department's name.
    pub department_name: Option<String>,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
    /// Issued on.
    pub issued_on: String,
    /// Reply period in working days.
    pub reply_workdays: i64,
    /// Last day of the reply.
    pub reply_due: String,
    /// When it was answered, if it was.
    pub replied_on: Option<String>,
    /// The answer.
    pub reply: Option<String>,
}

const NOTICE_COLUMNS: &str = "n.id, n.jurisdiction_id, j.name AS jurisdiction_name, \
     n.issued_by_jurisdiction, i.name AS issuer_name, n.target_kind, n.target_id, n.department_id, \
     d.name AS department_name, n.title, n.body, n.issued_on, n.reply_workdays, n.reply_due, \
     n.replied_on, n.reply AS answer \
     FROM supervision_notices n JOIN jurisdictions j ON j.id = n.jurisdiction_id \
     JOIN jurisdictions i ON i.id = n.issued_by_jurisdiction \
     LEFT JOIN departments d ON d.id = n.department_id";

fn notice_from_row(row: &AnyRow) -> Result<Notice, sqlx::Error> {
    Ok(Notice {
        id: row.try_get("id")?,
        jurisdiction_id: row.try_get("jurisdiction_id")?,
        jurisdiction_name: row.try_get("jurisdiction_name")?,
        issued_by_jurisdiction: row.try_get("issued_by_jurisdiction")?,
        issuer_name: row.try_get("issuer_name")?,
        target_kind: row.try_get("target_kind")?,
        target_id: row.try_get("target_id")?,
        department_id: row.try_get("department_id")?,
        department_name: row.try_get("department_name")?,
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        issued_on: row.try_get("issued_on")?,
        reply_workdays: row.try_get("reply_workdays")?,
        reply_due: row.try_get("reply_due")?,
        replied_on: row.try_get("replied_on")?,
        reply: row.try_get("answer")?,
    })
}

fn year_of(row: &AnyRow, column: &str) -> Result<i32, sqlx::Error> {
    let year: i64 = row.try_get(column)?;
    i32::try_from(year).map_err(|e| sqlx::Error::ColumnDecode {
        index: column.into(),
        source: Box::new(e),
    })
}

impl Store {
    /// The agency deadlines of every department within `reach` that lapsed before `today`
    /// (overdue) or fall due from `today` to `warn_until` (at risk), one row per department
    /// with any, in one grouped query.
    pub async fn deadlines_within(
        &self,
        reach: Reach,
        today: &str,
        warn_until: &str,
    ) -> Result<Vec<DepartmentDeadlines>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT c.jurisdiction_id, c.department_id, d.name AS department_name, \
             SUM(CASE WHEN t.due_on < $2 THEN 1 ELSE 0 END) AS overdue, \
             SUM(CASE WHEN t.due_on >= $2 THEN 1 ELSE 0 END) AS at_risk \
             FROM case_timers t JOIN cases c ON c.id = t.case_id \
             JOIN departments d ON d.id = c.department_id \
             WHERE {} AND t.lapse = 'overdue' AND t.due_on IS NOT NULL AND t.due_on <= $3 \
             GROUP BY c.jurisdiction_id, c.department_id, d.name \
             ORDER BY c.jurisdiction_id, c.department_id",
            in_subtree_sql("c.jurisdiction_id", "$1")
        )))
        .bind(reach.0)
        .bind(today)
        .bind(warn_until)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|row| {
                Ok(DepartmentDeadlines {
                    jurisdiction_id: row.try_get("jurisdiction_id")?,
                    department_id: row.try_get("department_id")?,
                    department_name: row.try_get("department_name")?,
                    overdue: row.try_get("overdue")?,
                    at_risk: row.try_get("at_risk")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// The state of the annual report on `year` of every jurisdiction within `reach`.
    pub async fn report_progress_within(
        &self,
        reach: Reach,
        year: i32,
    ) -> Result<Vec<ReportProgress>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT j.id AS jurisdiction_id, MIN(v.created_at) AS drafted_at, \
             MIN(v.published_at) AS published_at, COUNT(v.id) AS n_versions, \
             s.submitted_on AS submitted_on \
             FROM jurisdictions j \
             LEFT JOIN reports r ON r.jurisdiction_id = j.id AND r.year = $2 \
             LEFT JOIN report_versions v ON v.report_id = r.id \
             LEFT JOIN report_submissions s ON s.jurisdiction_id = j.id AND s.year = $2 \
             WHERE {} GROUP BY j.id, s.submitted_on ORDER BY j.id",
            in_subtree_sql("j.id", "$1")
        )))
        .bind(reach.0)
        .bind(i64::from(year))
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|row| {
                Ok(ReportProgress {
                    jurisdiction_id: row.try_get("jurisdiction_id")?,
                    drafted_at: row.try_get("drafted_at")?,
                    submitted_on: row.try_get("submitted_on")?,
                    published_at: row.try_get("published_at")?,
                    n_versions: row.try_get("n_versions")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// Cases opened per jurisdiction within `reach`, year (`years`) and procedure, from the
    /// step tallies kept in every step's transaction.
    pub async fn opened_within(
        &self,
        reach: Reach,
        years: (i32, i32),
    ) -> Result<Vec<OpenedCount>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT jurisdiction_id, year, procedure, CAST(SUM(steps) AS BIGINT) AS opened \
             FROM step_tallies WHERE {} AND action = 'open' AND year IN ($2, $3) \
             GROUP BY jurisdiction_id, year, procedure",
            in_subtree_sql("jurisdiction_id", "$1")
        )))
        .bind(reach.0)
        .bind(i64::from(years.0))
        .bind(i64::from(years.1))
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|row| {
                Ok(OpenedCount {
                    jurisdiction_id: row.try_get("jurisdiction_id")?,
                    year: year_of(row, "year")?,
                    procedure: row.try_get("procedure")?,
                    opened: row.try_get("opened")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// The latest witness refusal of each jurisdiction within `reach` that has one.
    pub async fn latest_witness_refusals_within(
        &self,
        reach: Reach,
    ) -> Result<std::collections::HashMap<i64, super::witness::Refusal>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT jurisdiction_id, witness_id, tree_size, kind, reason, refused_at \
             FROM witness_refusals WHERE {} ORDER BY id DESC",
            in_subtree_sql("jurisdiction_id", "$1")
        )))
        .bind(reach.0)
        .fetch_all(self.pool())
        .await?;
        let mut latest = std::collections::HashMap::new();
        for row in &rows {
            let jurisdiction_id: i64 = row.try_get("jurisdiction_id")?;
            if latest.contains_key(&jurisdiction_id) {
                continue;
            }
            latest.insert(jurisdiction_id, super::witness::refusal_from_row(row)?);
        }
        Ok(latest)
    }

    /// The case numbered `number` in jurisdiction `jurisdiction_id`, if any.
    pub async fn case_by_number(
        &self,
        jurisdiction_id: i64,
        number: &str,
    ) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT id FROM cases WHERE jurisdiction_id = $1 AND number = $2")
                .bind(jurisdiction_id)
                .bind(number)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    /// Records that jurisdiction `jurisdiction_id` submitted its report on `year` to the
    /// government above on `on` (报送), journaled in its own log. The report must have a
    /// version; a second submission of the same year is refused.
    pub async fn submit_report_upward(
        &self,
        jurisdiction_id: i64,
        year: i32,
        on: &str,
        user_id: i64,
        at: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let n_versions: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM reports r JOIN report_versions v ON v.report_id = r.id \
             WHERE r.jurisdiction_id = $1 AND r.year = $2",
        )
        .bind(jurisdiction_id)
        .bind(i64::from(year))
        .fetch_one(&mut *tx)
        .await?;
        if n_versions == 0 {
            return Err(invalid("year", "report_not_drafted"));
        }
        let event_id = events::append(
            &mut tx,
            jurisdiction_id,
            &NewEvent {
                kind: "report.submitted_upward",
                subject: format!("report:{year}"),
                actor_user_id: Some(user_id),
                at: at.into(),
                body: json!({"year": year, "on": on}),
            },
        )
        .await?;
        sqlx::query(
            "INSERT INTO report_submissions (jurisdiction_id, year, submitted_on, submitted_by, event_id) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(jurisdiction_id)
        .bind(i64::from(year))
        .bind(on)
        .bind(user_id)
        .bind(event_id)
        .execute(&mut *tx)
        .await
        .map_err(|e| super::unique_violation_as(e, "year", "report_already_submitted"))?;
        tx.commit().await?;
        Ok(())
    }

    /// Issues a 督办 on a target within `reach` (the issuer's jurisdiction and everything below
    /// it): a case or active department of it, or a jurisdiction's report. Journaled in the
    /// issuer's log (the text by its SHA-256 only); returns the notice's id. A target outside
    /// the reach is not found.
    pub async fn issue_notice(
        &self,
        reach: Reach,
        notice: &NewNotice<'_>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let subtree = in_subtree_sql("jurisdiction_id", "$2");
        let (jurisdiction_id, department_id): (i64, Option<i64>) = match notice.target {
            NoticeTarget::Case(id) => sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(
                format!("SELECT jurisdiction_id, department_id FROM cases WHERE id = $1 AND {subtree}"),
            ))
            .bind(id)
            .bind(reach.0)
            .fetch_optional(&mut *tx)
            .await?
            .map(|(j, d)| (j, Some(d)))
            .ok_or(StoreError::NotFound)?,
            NoticeTarget::Department(id) => sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(
                format!("SELECT jurisdiction_id, id FROM departments WHERE id = $1 AND active = 1 AND {subtree}"),
            ))
            .bind(id)
            .bind(reach.0)
            .fetch_optional(&mut *tx)
            .await?
            .map(|(j, d)| (j, Some(d)))
            .ok_or(StoreError::NotFound)?,
            NoticeTarget::Report {
                jurisdiction_id, ..
            } => sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
                "SELECT id FROM jurisdictions WHERE id = $1 AND {}",
                in_subtree_sql("id", "$2")
            )))
            .bind(jurisdiction_id)
            .bind(reach.0)
            .fetch_optional(&mut *tx)
            .await?
            .map(|j| (j, None))
            .ok_or(StoreError::NotFound)?,
        };
        let event_id = events::append(
            &mut tx,
            notice.issued_by_jurisdiction,
            &NewEvent {
                kind: "supervision.notice_issued",
                subject: format!("{}:{}", notice.target.kind(), notice.target.id()),
                actor_user_id: Some(notice.issued_by),
                at: notice.at.into(),
                body: json!({"addressee_jurisdiction": jurisdiction_id,
                    "department_id": department_id, "issued_on": notice.issued_on,
                    "reply_workdays": notice.reply_workdays, "reply_due": notice.reply_due,
                    "text_sha256": crate::attachments::sha256_hex(
                        format!("{}\n{}", notice.title, notice.body).as_bytes())}),
            },
        )
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO supervision_notices (jurisdiction_id, issued_by_jurisdiction, target_kind, \
             target_id, department_id, title, body, issued_on, reply_workdays, reply_due, issued_by, \
             issued_event_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(jurisdiction_id)
        .bind(notice.issued_by_jurisdiction)
        .bind(notice.target.kind())
        .bind(notice.target.id())
        .bind(department_id)
        .bind(notice.title)
        .bind(notice.body)
        .bind(notice.issued_on)
        .bind(notice.reply_workdays)
        .bind(notice.reply_due)
        .bind(notice.issued_by)
        .bind(event_id)
        .bind(notice.at)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One notice, if `reach` covers its addressee or it was issued inside `reach`.
    pub async fn notice(&self, reach: Reach, id: i64) -> Result<Notice, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {NOTICE_COLUMNS} WHERE n.id = $1 AND ({} OR {})",
            in_subtree_sql("n.jurisdiction_id", "$2"),
            in_subtree_sql("n.issued_by_jurisdiction", "$2")
        )))
        .bind(id)
        .bind(reach.0)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(notice_from_row(&row)?)
    }

    /// The notices addressed to jurisdiction `jurisdiction_id` (to `department` only, when
    /// given), the unanswered first by reply date, then the answered, newest first.
    pub async fn notices_to(
        &self,
        jurisdiction_id: i64,
        department: Option<i64>,
    ) -> Result<Vec<Notice>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {NOTICE_COLUMNS} WHERE n.jurisdiction_id = $1 AND ($2 = 0 OR n.department_id = $2) \
             ORDER BY CASE WHEN n.replied_on IS NULL THEN 0 ELSE 1 END, n.reply_due, n.id DESC"
        )))
        .bind(jurisdiction_id)
        .bind(department.unwrap_or(0))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(notice_from_row).collect::<Result<_, _>>()?)
    }

    /// The notices addressed to jurisdictions within `reach` and issued by jurisdiction
    /// `issuer`, newest first.
    pub async fn notices_issued_by(
        &self,
        issuer: i64,
        reach: Reach,
    ) -> Result<Vec<Notice>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {NOTICE_COLUMNS} WHERE n.issued_by_jurisdiction = $1 AND {} \
             ORDER BY n.id DESC",
            in_subtree_sql("n.jurisdiction_id", "$2")
        )))
        .bind(issuer)
        .bind(reach.0)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(notice_from_row).collect::<Result<_, _>>()?)
    }

    /// Records the addressee's answer to notice `id` (once), journaled in the addressee's log
    /// (the text by its SHA-256 only).
    pub async fn reply_to_notice(
        &self,
        id: i64,
        reply: &str,
        on: &str,
        user_id: i64,
        at: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let row: Option<(i64, Option<String>)> = sqlx::query_as(
            "SELECT jurisdiction_id, replied_on FROM supervision_notices WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let (jurisdiction_id, replied_on) = row.ok_or(StoreError::NotFound)?;
        if replied_on.is_some() {
            return Err(invalid("answer", "notice_already_answered"));
        }
        let event_id = events::append(
            &mut tx,
            jurisdiction_id,
            &NewEvent {
                kind: "supervision.notice_answered",
                subject: format!("notice:{id}"),
                actor_user_id: Some(user_id),
                at: at.into(),
                body: json!({"on": on,
                    "text_sha256": crate::attachments::sha256_hex(reply.as_bytes())}),
            },
        )
        .await?;
        let n_rows = sqlx::query(
            "UPDATE supervision_notices SET replied_on = $1, reply = $2, replied_by = $3, \
             replied_event_id = $4 WHERE id = $5 AND replied_on IS NULL",
        )
        .bind(on)
        .bind(reply)
        .bind(user_id)
        .bind(event_id)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n_rows == 0 {
            return Err(invalid("answer", "notice_already_answered"));
        }
        tx.commit().await?;
        Ok(())
    }
}
