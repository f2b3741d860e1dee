//! The registries a procedure's person fields name people from, as facts for the engine and as
//! choices for the forms: certified enforcement officers (`officer_certificates`), the staff
//! accounts (`users`), and the other registries kept in `registry_members` (人民调解员, 法律援助人员,
//! 法律顾问, 检查人员).
//!
//! Entries of those four are added on a person's page with optional validity dates and a note,
//! and revoked, never deleted; each change journals `registry_member.added` or
//! `registry_member.revoked` about the person (registry and dates, never the note), like the
//! certificate events.

use std::collections::BTreeSet;

use serde_json::json;
use sqlx::{AnyConnection, Row};
use time::Date;

use super::cases::{date_text, placeholders, placeholders_from};
use super::events::{self, NewEvent};
use super::{Store, StoreError};
use crate::domain::{FieldError, FieldErrors};
use crate::engine::{DepartmentFact, Facts, FactsNeeded, RegistryEntry};
use fazhi_procedure::Registry;

/// Someone a person field may name, for a form's choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryPerson {
    /// The id the field stores (a person's id; an account's id for staff accounts).
    pub id: i64,
    /// Their name.
    pub name: String,
    /// What qualifies them, e.g. 执法证 号码 and validity.
    pub detail: String,
}

fn parse_optional_date(text: Option<String>) -> Option<Date> {
    text.as_deref().and_then(crate::engine::parse_date)
}

/// `<column> IN ($1, …, $n)`.
fn in_list(column: &str, n: usize) -> String {
    format!("{column} IN ({})", placeholders(n))
}

impl Store {
    /// The registry entries and departments of jurisdiction `jurisdiction_id` that `needed`
    /// names, in one query per registry (a case's people and departments are its own
    /// jurisdiction's).
    pub async fn facts(
        tx: &mut AnyConnection,
        jurisdiction_id: i64,
        needed: &FactsNeeded,
    ) -> Result<Facts, StoreError> {
        let mut facts = Facts::default();
        for registry in Registry::ALL {
            let ids: Vec<i64> = needed
                .people
                .iter()
                .filter(|(r, _)| *r == registry)
                .map(|(_, id)| *id)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            if ids.is_empty() {
                continue;
            }
            // A person of another jurisdiction is on none of this jurisdiction's registries.
            let jurisdiction = format!("${}", ids.len() + 1);
            let sql = match registry {
                Registry::EnforcementOfficers => format!(
                    "SELECT c.person_id AS id, p.department_id, c.valid_from, c.valid_until, c.revoked, c.number \
                     FROM officer_certificates c JOIN people p ON p.id = c.person_id \
                     JOIN departments d ON d.id = p.department_id \
                     WHERE p.active = 1 AND d.jurisdiction_id = {jurisdiction} AND {} ORDER BY c.id",
                    in_list("c.person_id", ids.len())
                ),
                Registry::StaffAccounts => format!(
                    "SELECT u.id, u.department_id, NULL AS valid_from, NULL AS valid_until, 0 AS revoked, u.username AS number \
                     FROM users u WHERE u.active = 1 AND u.jurisdiction_id = {jurisdiction} AND {} ORDER BY u.id",
                    in_list("u.id", ids.len())
                ),
                _ => format!(
                    "SELECT m.person_id AS id, p.department_id, m.valid_from, m.valid_until, m.revoked, '' AS number \
                     FROM registry_members m JOIN people p ON p.id = m.person_id \
                     WHERE p.active = 1 AND m.jurisdiction_id = {jurisdiction} AND m.registry = ${} AND {} \
                     ORDER BY m.id",
                    ids.len() + 2,
                    in_list("m.person_id", ids.len())
                ),
            };
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in &ids {
                query = query.bind(*id);
            }
            query = query.bind(jurisdiction_id);
            if !matches!(
                registry,
                Registry::EnforcementOfficers | Registry::StaffAccounts
            ) {
                query = query.bind(registry.code());
            }
            for row in query.fetch_all(&mut *tx).await? {
                facts.people.push(RegistryEntry {
                    registry,
                    person_id: row.try_get("id")?,
                    department_id: row.try_get("department_id")?,
                    valid_from: parse_optional_date(row.try_get("valid_from")?),
                    valid_until: parse_optional_date(row.try_get("valid_until")?),
                    revoked: row.try_get::<i64, _>("revoked")? != 0,
                    number: row.try_get("number")?,
                });
            }
        }
        if !needed.departments.is_empty() {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT id, active FROM departments WHERE jurisdiction_id = $1 AND id IN ({})",
                placeholders_from(2, needed.departments.len())
            )))
            .bind(jurisdiction_id);
            for id in &needed.departments {
                query = query.bind(*id);
            }
            for row in query.fetch_all(&mut *tx).await? {
                facts.departments.push(DepartmentFact {
                    id: row.try_get("id")?,
                    active: row.try_get::<i64, _>("active")? != 0,
                });
            }
        }
        Ok(facts)
    }

    /// The accounts of the people named (a person's account; an account named directly), to
    /// make them assignees of the case.
    pub async fn accounts_named(
        tx: &mut AnyConnection,
        named: &[(Registry, i64)],
    ) -> Result<Vec<i64>, StoreError> {
        let people: Vec<i64> = named
            .iter()
            .filter(|(r, _)| *r != Registry::StaffAccounts)
            .map(|(_, id)| *id)
            .collect();
        let mut accounts = Store::users_of_people(tx, &people).await?;
        accounts.extend(
            named
                .iter()
                .filter(|(r, _)| *r == Registry::StaffAccounts)
                .map(|(_, id)| *id),
        );
        accounts.sort_unstable();
        accounts.dedup();
        Ok(accounts)
    }

    /// Who a person field of `registry` may name on `on`: active people (or accounts) valid
    /// that day, of `department` when given.
    pub async fn registry_people(
        &self,
        registry: Registry,
        department: Option<i64>,
        on: Date,
    ) -> Result<Vec<RegistryPerson>, StoreError> {
        let on = date_text(on);
        let department_filter = if department.is_some() {
            "AND p.department_id = $2"
        } else {
            "AND $2 = $2"
        };
        let sql = match registry {
            Registry::EnforcementOfficers => format!(
                "SELECT p.id, p.name, '执法证 ' || c.number || '，有效期至 ' || c.valid_until AS detail \
                 FROM officer_certificates c JOIN people p ON p.id = c.person_id \
                 WHERE p.active = 1 AND c.revoked = 0 AND c.valid_from <= $1 AND c.valid_until >= $1 {department_filter} \
                 ORDER BY p.id"
            ),
            Registry::StaffAccounts => {
                let department_filter =
                    department_filter.replace("p.department_id", "u.department_id");
                format!(
                    "SELECT u.id, u.display_name AS name, u.username AS detail FROM users u \
                     WHERE u.active = 1 AND $1 = $1 {department_filter} ORDER BY u.id"
                )
            }
            _ => format!(
                "SELECT p.id, p.name, p.position AS detail FROM registry_members m JOIN people p ON p.id = m.person_id \
                 WHERE p.active = 1 AND m.revoked = 0 AND (m.valid_from IS NULL OR m.valid_from <= $1) \
                 AND (m.valid_until IS NULL OR m.valid_until >= $1) {department_filter} AND m.registry = $3 \
                 ORDER BY p.id"
            ),
        };
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(on)
            .bind(department.unwrap_or(0));
        if !matches!(
            registry,
            Registry::EnforcementOfficers | Registry::StaffAccounts
        ) {
            query = query.bind(registry.code());
        }
        let mut people: Vec<RegistryPerson> = Vec::new();
        for row in query.fetch_all(self.pool()).await? {
            let id: i64 = row.try_get("id")?;
            // One line per person even with several certificates.
            if people.iter().any(|p| p.id == id) {
                continue;
            }
            people.push(RegistryPerson {
                id,
                name: row.try_get("name")?,
                detail: row.try_get("detail")?,
            });
        }
        Ok(people)
    }
}

/// The registries kept in `registry_members`, which staff fill in on a person's page.
pub const MEMBER_REGISTRIES: [Registry; 4] = [
    Registry::Mediators,
    Registry::LegalAidLawyers,
    Registry::LegalAdvisers,
    Registry::Inspectors,
];

/// The longest note on a registry entry, in characters.
pub const MAX_NOTE_CHARS: usize = 200;

/// A checked new entry of one of the [`MEMBER_REGISTRIES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryMemberInput {
    /// The registry.
    pub registry: Registry,
    /// First day of validity, if limited.
    pub valid_from: Option<Date>,
    /// Last day of validity, if limited.
    pub valid_until: Option<Date>,
    /// A note (e.g. the appointing document), not journaled.
    pub note: String,
}

impl RegistryMemberInput {
    /// Checks the form's raw fields: a registry code of [`MEMBER_REGISTRIES`], optional dates
    /// written `YYYY-MM-DD` in order, a short note. Every problem is reported by field.
    pub fn parse(
        registry: &str,
        valid_from: &str,
        valid_until: &str,
        note: &str,
    ) -> Result<RegistryMemberInput, FieldErrors> {
        let mut errors = Vec::new();
        let mut error = |field, code| errors.push(FieldError { field, code });
        let registry =
            Registry::from_code(registry.trim()).filter(|r| MEMBER_REGISTRIES.contains(r));
        if registry.is_none() {
            error("registry", "unknown_registry");
        }
        let mut date = |field, text: &str| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let parsed = crate::engine::parse_date(text);
            if parsed.is_none() {
                error(field, "invalid_date");
            }
            parsed
        };
        let valid_from = date("valid_from", valid_from);
        let valid_until = date("valid_until", valid_until);
        if let (Some(from), Some(until)) = (valid_from, valid_until)
            && until < from
        {
            error("valid_until", "validity_reversed");
        }
        let note = note.trim();
        if note.chars().any(char::is_control) {
            error("note", "control_characters");
        } else if note.chars().count() > MAX_NOTE_CHARS {
            error("note", "too_long");
        }
        match registry {
            Some(registry) if errors.is_empty() => Ok(RegistryMemberInput {
                registry,
                valid_from,
                valid_until,
                note: note.to_owned(),
            }),
            _ => Err(FieldErrors(errors)),
        }
    }
}

/// An entry of one of the [`MEMBER_REGISTRIES`], as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryMember {
    /// Its id.
    pub id: i64,
    /// The registry.
    pub registry: Registry,
    /// The person.
    pub person_id: i64,
    /// First day of validity (`YYYY-MM-DD`), if limited.
    pub valid_from: Option<String>,
    /// Last day of validity (`YYYY-MM-DD`), if limited.
    pub valid_until: Option<String>,
    /// Whether revoked.
    pub revoked: bool,
    /// The note.
    pub note: String,
    /// When it was recorded, as stored.
    pub created_at: String,
}

const MEMBER_COLUMNS: &str = "id, registry, person_id, valid_from, valid_until, revoked, note, created_at FROM registry_members";

fn member_of(row: &sqlx::any::AnyRow) -> Result<Option<RegistryMember>, sqlx::Error> {
    let code: String = row.try_get("registry")?;
    let Some(registry) = Registry::from_code(&code).filter(|r| MEMBER_REGISTRIES.contains(r))
    else {
        return Ok(None);
    };
    Ok(Some(RegistryMember {
        id: row.try_get("id")?,
        registry,
        person_id: row.try_get("person_id")?,
        valid_from: row.try_get("valid_from")?,
        valid_until: row.try_get("valid_until")?,
        revoked: row.try_get::<i64, _>("revoked")? != 0,
        note: row.try_get("note")?,
        created_at: row.try_get("created_at")?,
    }))
}

use super::invalid;

impl Store {
    /// Puts an active person on one of the [`MEMBER_REGISTRIES`] (the caller has checked
    /// `authz`), journaling `registry_member.added` about the person in the same transaction. An
    /// entry of the same registry, not revoked, whose validity overlaps the new one's is a
    /// duplicate and refused. Returns the entry's id.
    pub async fn add_registry_member(
        &self,
        actor: i64,
        at: &str,
        person_id: i64,
        input: &RegistryMemberInput,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let id = Self::add_registry_member_in(&mut tx, Some(actor), at, person_id, input).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// [`Store::add_registry_member`] inside the caller's transaction (`actor` `None` for the
    /// system, e.g. the demo).
    pub async fn add_registry_member_in(
        tx: &mut AnyConnection,
        actor: Option<i64>,
        at: &str,
        person_id: i64,
        input: &RegistryMemberInput,
    ) -> Result<i64, StoreError> {
        if !MEMBER_REGISTRIES.contains(&input.registry) {
            return Err(invalid("registry", "unknown_registry"));
        }
        // A no-op write first: it locks the person's row on PostgreSQL, so that two concurrent
        // additions for one person are serialised and the duplicate check below holds (SQLite's
        // transactions are already `BEGIN IMMEDIATE`).
        let n_rows = sqlx::query("UPDATE people SET active = active WHERE id = $1")
            .bind(person_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n_rows == 0 {
            return Err(invalid("person_id", "unknown_person"));
        }
        let active: i64 = sqlx::query_scalar("SELECT active FROM people WHERE id = $1")
            .bind(person_id)
            .fetch_one(&mut *tx)
            .await?;
        if active == 0 {
            return Err(invalid("person_id", "inactive_person"));
        }
        let from = input.valid_from.map(date_text);
        let until = input.valid_until.map(date_text);
        let overlapping: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM registry_members WHERE registry = $1 AND person_id = $2 \
             AND revoked = 0 AND COALESCE(valid_from, '0000-01-01') <= $3 \
             AND COALESCE(valid_until, '9999-12-31') >= $4",
        )
        .bind(input.registry.code())
        .bind(person_id)
        .bind(until.clone().unwrap_or_else(|| "9999-12-31".into()))
        .bind(from.clone().unwrap_or_else(|| "0000-01-01".into()))
        .fetch_one(&mut *tx)
        .await?;
        if overlapping > 0 {
            return Err(invalid("registry", "duplicate_registry_entry"));
        }
        // The person's jurisdiction keeps the entry (its registries name its people).
        let jurisdiction_id = super::jurisdiction_of(tx, super::Record::Person(person_id)).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO registry_members (registry, person_id, valid_from, valid_until, revoked, note, created_at, jurisdiction_id) \
             VALUES ($1, $2, $3, $4, 0, $5, $6, $7) RETURNING id",
        )
        .bind(input.registry.code())
        .bind(person_id)
        .bind(from.clone())
        .bind(until.clone())
        .bind(&input.note)
        .bind(at)
        .bind(jurisdiction_id)
        .fetch_one(&mut *tx)
        .await?;
        // Like the certificate events: the registry and the dates, about the person by id; the
        // free-text note stays in the table.
        events::append(
            &mut *tx,
            jurisdiction_id,
            &NewEvent {
                kind: "registry_member.added",
                subject: format!("person:{person_id}"),
                actor_user_id: actor,
                at: at.into(),
                body: json!({"entry": id, "registry": input.registry.code(),
                    "valid_from": from, "valid_until": until}),
            },
        )
        .await?;
        Ok(id)
    }

    /// Revokes an entry of the [`MEMBER_REGISTRIES`] (it stays, marked revoked), journaling
    /// `registry_member.revoked` about the person. An entry already revoked is refused.
    pub async fn revoke_registry_member(
        &self,
        actor: i64,
        at: &str,
        id: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let n_rows =
            sqlx::query("UPDATE registry_members SET revoked = 1 WHERE id = $1 AND revoked = 0")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {MEMBER_COLUMNS} WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let member = member_of(&row)?.ok_or(StoreError::NotFound)?;
        if n_rows == 0 {
            return Err(invalid("entry", "already_revoked"));
        }
        let jurisdiction_id =
            super::jurisdiction_of(&mut tx, super::Record::Person(member.person_id)).await?;
        events::append(
            &mut tx,
            jurisdiction_id,
            &NewEvent {
                kind: "registry_member.revoked",
                subject: format!("person:{}", member.person_id),
                actor_user_id: Some(actor),
                at: at.into(),
                body: json!({"entry": id, "registry": member.registry.code()}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One entry of the [`MEMBER_REGISTRIES`] within `reach`.
    pub async fn registry_member(
        &self,
        reach: super::Reach,
        id: i64,
    ) -> Result<RegistryMember, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {MEMBER_COLUMNS} WHERE id = $1 AND {}",
            super::in_subtree_sql("jurisdiction_id", "$2")
        )))
        .bind(id)
        .bind(reach.0)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        member_of(&row)?.ok_or(StoreError::NotFound)
    }

    /// A person's entries of the [`MEMBER_REGISTRIES`], revoked ones included, oldest first.
    pub async fn registry_members_of(
        &self,
        person_id: i64,
    ) -> Result<Vec<RegistryMember>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {MEMBER_COLUMNS} WHERE person_id = $1 ORDER BY id"
        )))
        .bind(person_id)
        .fetch_all(self.pool())
        .await?;
        let mut members = Vec::with_capacity(rows.len());
        for row in &rows {
            members.extend(member_of(row)?);
        }
        Ok(members)
    }
}
