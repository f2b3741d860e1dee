//! The enforcement-certificate registry pages' store side: the list (search, status filter,
//! paging, inside a department scope), recording one certificate, revoking one with its reason,
//! and importing many in one transaction only when every row is good. Each change journals its
//! event (`certificate.recorded`, `certificate.revoked`) about the holder, like other
//! organisation changes.

use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;
use time::Date;

use super::cases::date_text;
use super::events::{self, NewEvent};
use super::{Page, Store, StoreError, like_pattern};
use crate::authz::Scope;
use crate::certificates::{CertificateInput, Holder, RowError};

/// Days ahead in which a certificate counts as expiring.
pub const EXPIRING_WITHIN_DAYS: i64 = 90;

/// Which certificates a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CertificateStatus {
    /// Every certificate.
    #[default]
    All,
    /// Valid today.
    Valid,
    /// Not revoked, still valid, ending within [`EXPIRING_WITHIN_DAYS`].
    Expiring,
    /// Not revoked, ended before today.
    Expired,
    /// Revoked.
    Revoked,
}

impl CertificateStatus {
    /// The status of a filter code (`valid`, `expiring`, `expired`, `revoked`), `All` otherwise.
    pub fn from_code(code: &str) -> CertificateStatus {
        match code {
            "valid" => CertificateStatus::Valid,
            "expiring" => CertificateStatus::Expiring,
            "expired" => CertificateStatus::Expired,
            "revoked" => CertificateStatus::Revoked,
            _ => CertificateStatus::All,
        }
    }

    /// The filter code.
    pub fn code(self) -> &'static str {
        match self {
            CertificateStatus::All => "",
            CertificateStatus::Valid => "valid",
            CertificateStatus::Expiring => "expiring",
            CertificateStatus::Expired => "expired",
            CertificateStatus::Revoked => "revoked",
        }
    }
}

/// Filters of the registry list.
#[derive(Debug, Clone)]
pub struct CertificateFilter {
    /// Text to find in the holder's name or the certificate number.
    pub query: String,
    /// Status.
    pub status: CertificateStatus,
    /// Today, for the status.
    pub today: Date,
    /// Page, from 1.
    pub page: i64,
    /// Rows per page.
    pub per_page: i64,
}

/// A certificate as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRow {
    /// Id.
    pub id: i64,
    /// Holder.
    pub person_id: i64,
    /// Holder's name.
    pub person_name: String,
    /// Holder's department.
    pub department_id: i64,
    /// Holder's department name.
    pub department_name: String,
    /// Number.
    pub number: String,
    /// Field of law.
    pub field_of_law: String,
    /// First day of validity.
    pub valid_from: String,
    /// Last day of validity.
    pub valid_until: String,
    /// Whether revoked.
    pub revoked: bool,
    /// Why it was revoked.
    pub revoked_reason: String,
}

const COLUMNS: &str = "c.id, c.person_id, p.name AS person_name, p.department_id, \
     d.name AS department_name, c.number, c.field_of_law, c.valid_from, c.valid_until, c.revoked, \
     c.revoked_reason FROM officer_certificates c JOIN people p ON p.id = c.person_id \
     JOIN departments d ON d.id = p.department_id";

fn row_of(row: &AnyRow) -> Result<CertificateRow, sqlx::Error> {
    Ok(CertificateRow {
        id: row.try_get("id")?,
        person_id: row.try_get("person_id")?,
        person_name: row.try_get("person_name")?,
        department_id: row.try_get("department_id")?,
        department_name: row.try_get("department_name")?,
        number: row.try_get("number")?,
        field_of_law: row.try_get("field_of_law")?,
        valid_from: row.try_get("valid_from")?,
        valid_until: row.try_get("valid_until")?,
        revoked: row.try_get::<i64, _>("revoked")? != 0,
        revoked_reason: row.try_get("revoked_reason")?,
    })
}

use super::invalid;

/// The longest revocation reason, in characters.
const MAX_REASON_CHARS: usize = 200;

impl Store {
    /// Certificates of people inside `scope` matching `filter`, by holder's department and name.
    pub async fn list_certificates(
        &self,
        scope: Scope,
        filter: &CertificateFilter,
    ) -> Result<Page<CertificateRow>, StoreError> {
        let (all, own) = super::scope_binds(scope);
        let per_page = filter.per_page.clamp(1, 200);
        let page = filter.page.max(1);
        let today = date_text(filter.today);
        let horizon = date_text(filter.today + time::Duration::days(EXPIRING_WITHIN_DAYS));
        let condition = format!(
            "{} \
             AND (p.name LIKE $3 ESCAPE '\\' OR c.number LIKE $3 ESCAPE '\\') \
             AND ($4 = '' \
               OR ($4 = 'valid' AND c.revoked = 0 AND c.valid_from <= $5 AND c.valid_until >= $5) \
               OR ($4 = 'expiring' AND c.revoked = 0 AND c.valid_until >= $5 AND c.valid_until <= $6) \
               OR ($4 = 'expired' AND c.revoked = 0 AND c.valid_until < $5) \
               OR ($4 = 'revoked' AND c.revoked = 1))",
            super::department_in_scope_sql("p.department_id", 1)
        );
        let pattern = like_pattern(&filter.query);
        let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM officer_certificates c JOIN people p ON p.id = c.person_id \
             WHERE {condition}"
        )))
        .bind(all)
        .bind(own)
        .bind(&pattern)
        .bind(filter.status.code())
        .bind(&today)
        .bind(&horizon)
        .fetch_one(self.pool())
        .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} WHERE {condition} ORDER BY p.department_id, p.name, c.id \
             LIMIT $7 OFFSET $8"
        )))
        .bind(all)
        .bind(own)
        .bind(&pattern)
        .bind(filter.status.code())
        .bind(&today)
        .bind(&horizon)
        .bind(per_page)
        .bind((page - 1).saturating_mul(per_page))
        .fetch_all(self.pool())
        .await?;
        Ok(Page {
            items: rows.iter().map(row_of).collect::<Result<_, _>>()?,
            total,
            page,
            per_page,
        })
    }

    /// One certificate within `reach` (its holder's department's jurisdiction).
    pub async fn certificate(
        &self,
        reach: super::Reach,
        id: i64,
    ) -> Result<CertificateRow, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} WHERE c.id = $1 AND {}",
            super::in_subtree_sql("d.jurisdiction_id", "$2")
        )))
        .bind(id)
        .bind(reach.0)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(row_of(&row)?)
    }

    /// Records a certificate for an active person (the caller has checked the person's
    /// department with `authz`). A number already registered is refused.
    pub async fn record_certificate(
        &self,
        actor: i64,
        at: &str,
        person_id: i64,
        input: &CertificateInput,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let active: Option<i64> = sqlx::query_scalar("SELECT active FROM people WHERE id = $1")
            .bind(person_id)
            .fetch_optional(&mut *tx)
            .await?;
        if active != Some(1) {
            return Err(invalid("person_id", "unknown_person"));
        }
        let id = Self::record_certificate_in(
            &mut tx,
            Some(actor),
            person_id,
            &input.number,
            &input.field_of_law,
            (input.valid_from, input.valid_until),
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Revokes a certificate with its reason, journaling `certificate.revoked` about the holder.
    pub async fn revoke_certificate(
        &self,
        actor: i64,
        at: &str,
        id: i64,
        reason: &str,
    ) -> Result<(), StoreError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(invalid("reason", "required"));
        }
        if reason.chars().count() > MAX_REASON_CHARS {
            return Err(invalid("reason", "too_long"));
        }
        if reason.chars().any(char::is_control) {
            return Err(invalid("reason", "control_characters"));
        }
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT person_id, number, revoked FROM officer_certificates WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        if row.try_get::<i64, _>("revoked")? != 0 {
            return Err(invalid("reason", "already_revoked"));
        }
        let person_id: i64 = row.try_get("person_id")?;
        let number: String = row.try_get("number")?;
        sqlx::query(
            "UPDATE officer_certificates SET revoked = 1, revoked_reason = $1, revoked_at = $2 \
             WHERE id = $3 AND revoked = 0",
        )
        .bind(reason)
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let jurisdiction_id =
            super::jurisdiction_of(&mut tx, super::Record::Person(person_id)).await?;
        events::append(
            &mut tx,
            jurisdiction_id,
            &NewEvent {
                kind: "certificate.revoked",
                subject: format!("person:{person_id}"),
                actor_user_id: Some(actor),
                at: at.into(),
                body: json!({"number": number, "reason": reason}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Imports checked rows in one transaction: every holder must be one active person inside
    /// `scope` and every number new. `earlier` holds the problems the parser found in other rows.
    /// Returns every row's problem, by row, and writes nothing if there is any; otherwise the
    /// number of certificates recorded.
    pub async fn import_certificates(
        &self,
        actor: i64,
        at: &str,
        scope: Scope,
        rows: &[(usize, CertificateInput)],
        earlier: Vec<RowError>,
    ) -> Result<Result<usize, Vec<RowError>>, StoreError> {
        let mut tx = self.begin().await?;
        let mut errors = earlier;
        let mut resolved = Vec::with_capacity(rows.len());
        // Holders are looked for inside the scope only: a namesake in another jurisdiction is
        // nobody this import may reach.
        let (subtree, department) = super::scope_binds(scope);
        let in_scope = super::department_in_scope_sql("department_id", 2);
        for (row, input) in rows {
            let error = |field, code| RowError {
                row: *row,
                field,
                code,
            };
            let candidates: Vec<(i64, i64)> = match &input.holder {
                Holder::PersonId(id) => {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "SELECT id, department_id FROM people WHERE id = $1 AND active = 1 AND {in_scope}"
                    )))
                    .bind(id)
                    .bind(subtree)
                    .bind(department)
                    .fetch_all(&mut *tx)
                    .await?
                }
                Holder::Name(name) => {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "SELECT id, department_id FROM people WHERE name = $1 AND active = 1 AND {in_scope}"
                    )))
                    .bind(name)
                    .bind(subtree)
                    .bind(department)
                    .fetch_all(&mut *tx)
                    .await?
                }
            }
            .iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("department_id")?)))
            .collect::<Result<_, sqlx::Error>>()?;
            let person = match candidates.as_slice() {
                [] => {
                    errors.push(error("holder", "unknown_person"));
                    None
                }
                [(id, department)] if scope.includes(*department) => Some(*id),
                [_] => {
                    errors.push(error("holder", "person_out_of_scope"));
                    None
                }
                _ => {
                    errors.push(error("holder", "ambiguous_person"));
                    None
                }
            };
            let taken: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM officer_certificates WHERE number = $1")
                    .bind(&input.number)
                    .fetch_one(&mut *tx)
                    .await?;
            if taken > 0 {
                errors.push(error("number", "duplicate_certificate"));
            }
            if let Some(person) = person {
                resolved.push((person, input));
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.row);
            return Ok(Err(errors));
        }
        for (person, input) in &resolved {
            Self::record_certificate_in(
                &mut tx,
                Some(actor),
                *person,
                &input.number,
                &input.field_of_law,
                (input.valid_from, input.valid_until),
                at,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Ok(resolved.len()))
    }
}
