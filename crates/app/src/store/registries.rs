//! The registries a procedure's person fields name people from, as facts for the engine and as
//! choices for the forms: certified enforcement officers (`officer_certificates`), the staff
//! accounts (`users`), and the other registries kept in `registry_members` (人民调解员, 法律援助人员,
//! 法律顾问, 检查人员).

use std::collections::BTreeSet;

use sqlx::{AnyConnection, Row};
use time::Date;

use super::cases::{date_text, placeholders};
use super::{Store, StoreError};
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
    /// The registry entries and departments `needed` names, in one query per registry.
    pub async fn facts(
        tx: &mut AnyConnection,
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
            let sql = match registry {
                Registry::EnforcementOfficers => format!(
                    "SELECT c.person_id AS id, p.department_id, c.valid_from, c.valid_until, c.revoked, c.number \
                     FROM officer_certificates c JOIN people p ON p.id = c.person_id \
                     WHERE p.active = 1 AND {} ORDER BY c.id",
                    in_list("c.person_id", ids.len())
                ),
                Registry::StaffAccounts => format!(
                    "SELECT u.id, u.department_id, NULL AS valid_from, NULL AS valid_until, 0 AS revoked, u.username AS number \
                     FROM users u WHERE u.active = 1 AND {} ORDER BY u.id",
                    in_list("u.id", ids.len())
                ),
                _ => format!(
                    "SELECT m.person_id AS id, p.department_id, m.valid_from, m.valid_until, m.revoked, '' AS number \
                     FROM registry_members m JOIN people p ON p.id = m.person_id \
                     WHERE p.active = 1 AND m.registry = ${} AND {} ORDER BY m.id",
                    ids.len() + 1,
                    in_list("m.person_id", ids.len())
                ),
            };
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in &ids {
                query = query.bind(*id);
            }
            if !matches!(registry, Registry::EnforcementOfficers | Registry::StaffAccounts) {
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
                "SELECT id, active FROM departments WHERE id IN ({})",
                placeholders(needed.departments.len())
            )));
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
                let department_filter = department_filter.replace("p.department_id", "u.department_id");
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
        if !matches!(registry, Registry::EnforcementOfficers | Registry::StaffAccounts) {
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
