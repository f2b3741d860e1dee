//! The organisation: the jurisdiction, its departments and its people. Departments and people
//! are deactivated, never deleted, so that past records keep their references.

use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::events::{self, NewEvent};
use super::{Page, Store, StoreError, like_pattern};
use crate::authz::Scope;
use crate::domain::{DepartmentInput, JurisdictionInput, Level, PersonInput};

/// The jurisdiction this database serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jurisdiction {
    /// Name, e.g. 示范市滨河区.
    pub name: String,
    /// Administrative level.
    pub level: Level,
    /// GB/T 2260 code.
    pub code: String,
    /// Whether this is the fictional demo jurisdiction.
    pub is_demo: bool,
    /// The demo's seed, when it is the demo.
    pub demo_seed: Option<i64>,
    /// The demo's year, when it is the demo.
    pub demo_year: Option<i64>,
}

/// A department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    /// Its id.
    pub id: i64,
    /// Full name.
    /// The jurisdiction it belongs to.
    pub jurisdiction_id: i64,
    /// That jurisdiction's name.
    pub jurisdiction_name: String,
    pub name: String,
    /// Kind of body.
    pub kind: String,
    /// Whether it is the justice bureau.
    pub is_justice_bureau: bool,
    /// Legal-affairs contact.
    pub legal_contact_name: String,
    /// Legal-affairs contact's telephone.
    pub legal_contact_phone: String,
    /// Whether it is active.
    pub active: bool,
    /// Active people in it.
    pub n_people: i64,
}

/// A person working in a department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Its id.
    pub id: i64,
    /// Department id.
    pub department_id: i64,
    /// Department name.
    pub department_name: String,
    /// Full name.
    pub name: String,
    /// Post.
    pub position: String,
    /// Office telephone.
    pub phone: String,
    /// Whether the person is active.
    pub active: bool,
}

/// Filters for list pages.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Text to search for in names (and posts, for people).
    pub query: String,
    /// Restrict to one department.
    pub department_id: Option<i64>,
    /// Include deactivated rows.
    pub include_inactive: bool,
    /// Page number, from 1.
    pub page: i64,
    /// Rows per page.
    pub per_page: i64,
}

use super::{Reach, Record, department_in_scope_sql, in_subtree_sql, invalid, scope_binds};

fn department_from_row(row: &AnyRow) -> Result<Department, sqlx::Error> {
    Ok(Department {
        id: row.try_get("id")?,
        jurisdiction_id: row.try_get("jurisdiction_id")?,
        jurisdiction_name: row.try_get("jurisdiction_name")?,
        name: row.try_get("name")?,
        kind: row.try_get("kind")?,
        is_justice_bureau: row.try_get::<i64, _>("is_justice_bureau")? != 0,
        legal_contact_name: row.try_get("legal_contact_name")?,
        legal_contact_phone: row.try_get("legal_contact_phone")?,
        active: row.try_get::<i64, _>("active")? != 0,
        n_people: row.try_get("n_people")?,
    })
}

fn person_from_row(row: &AnyRow) -> Result<Person, sqlx::Error> {
    Ok(Person {
        id: row.try_get("id")?,
        department_id: row.try_get("department_id")?,
        department_name: row.try_get("department_name")?,
        name: row.try_get("name")?,
        position: row.try_get("position")?,
        phone: row.try_get("phone")?,
        active: row.try_get::<i64, _>("active")? != 0,
    })
}

const DEPARTMENT_COLUMNS: &str = "d.id, d.jurisdiction_id, \
     (SELECT j.name FROM jurisdictions j WHERE j.id = d.jurisdiction_id) AS jurisdiction_name, d.name, d.kind, d.is_justice_bureau, d.legal_contact_name, \
     d.legal_contact_phone, d.active, \
     (SELECT COUNT(*) FROM people p WHERE p.department_id = d.id AND p.active = 1) AS n_people";

const PERSON_COLUMNS: &str = "p.id, p.department_id, d.name AS department_name, p.name, p.position, \
     p.phone, p.active";

impl Store {
    /// The jurisdiction, if one has been set.
    pub async fn jurisdiction(&self) -> Result<Option<Jurisdiction>, StoreError> {
        let row = sqlx::query(
            "SELECT name, level, code, is_demo, demo_seed, demo_year FROM jurisdiction WHERE id = 1",
        )
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let level: String = row.try_get("level")?;
        Ok(Some(Jurisdiction {
            name: row.try_get("name")?,
            level: Level::from_code(&level).unwrap_or(Level::County),
            code: row.try_get("code")?,
            is_demo: row.try_get::<i64, _>("is_demo")? != 0,
            demo_seed: row.try_get("demo_seed")?,
            demo_year: row.try_get("demo_year")?,
        }))
    }

    /// Sets the jurisdiction's identity (creating it on first use).
    pub async fn set_jurisdiction(
        &self,
        actor: Option<i64>,
        at: &str,
        input: &JurisdictionInput,
        demo: Option<(i64, i64)>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        Self::set_jurisdiction_in(&mut tx, actor, at, input, demo).await?;
        tx.commit().await?;
        Ok(())
    }

    /// [`Store::set_jurisdiction`] inside the caller's transaction.
    pub async fn set_jurisdiction_in(
        tx: &mut sqlx::AnyConnection,
        actor: Option<i64>,
        at: &str,
        input: &JurisdictionInput,
        demo: Option<(i64, i64)>,
    ) -> Result<(), StoreError> {
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jurisdiction")
            .fetch_one(&mut *tx)
            .await?;
        let (is_demo, demo_seed, demo_year) = match demo {
            Some((seed, year)) => (1_i64, Some(seed), Some(year)),
            None => (0, None, None),
        };
        if existing == 0 {
            sqlx::query(
                "INSERT INTO jurisdiction (id, name, level, code, is_demo, demo_seed, demo_year, created_at) \
                 VALUES (1, $1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&input.name)
            .bind(input.level.code())
            .bind(&input.code)
            .bind(is_demo)
            .bind(demo_seed)
            .bind(demo_year)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query("UPDATE jurisdiction SET name = $1, level = $2, code = $3 WHERE id = 1")
                .bind(&input.name)
                .bind(input.level.code())
                .bind(&input.code)
                .execute(&mut *tx)
                .await?;
        }
        // The deployment's jurisdiction is the root of the tree.
        sqlx::query("UPDATE jurisdictions SET name = $1, level = $2, code = $3 WHERE id = $4")
            .bind(&input.name)
            .bind(input.level.code())
            .bind(&input.code)
            .bind(super::ROOT_JURISDICTION)
            .execute(&mut *tx)
            .await?;
        events::append(
            &mut *tx,
            super::ROOT_JURISDICTION,
            &NewEvent {
                kind: "jurisdiction.set",
                subject: "jurisdiction:1".into(),
                actor_user_id: actor,
                at: at.into(),
                body: json!({"name": input.name, "level": input.level.code(), "code": input.code}),
            },
        )
        .await?;
        Ok(())
    }

    /// Departments visible in `scope` matching `filter`, by name.
    pub async fn list_departments(
        &self,
        scope: Scope,
        filter: &ListFilter,
    ) -> Result<Page<Department>, StoreError> {
        let (all, own) = scope_binds(scope);
        let per_page = filter.per_page.clamp(1, 200);
        let page = filter.page.max(1);
        let pattern = like_pattern(&filter.query);
        let include_inactive = i64::from(filter.include_inactive);
        let condition = format!(
            "{} AND ($3 = 1 OR d.active = 1) AND d.name LIKE $4 ESCAPE '\\'",
            department_in_scope_sql("d.id", 1)
        );
        let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM departments d WHERE {condition}"
        )))
        .bind(all)
        .bind(own)
        .bind(include_inactive)
        .bind(&pattern)
        .fetch_one(self.pool())
        .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {DEPARTMENT_COLUMNS} FROM departments d WHERE {condition} \
             ORDER BY d.active DESC, d.id LIMIT $5 OFFSET $6"
        )))
        .bind(all)
        .bind(own)
        .bind(include_inactive)
        .bind(&pattern)
        .bind(per_page)
        .bind((page - 1).saturating_mul(per_page))
        .fetch_all(self.pool())
        .await?;
        let items = rows
            .iter()
            .map(department_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }

    /// Every active department, by id (for select boxes).
    pub async fn active_departments(&self, scope: Scope) -> Result<Vec<Department>, StoreError> {
        let filter = ListFilter {
            per_page: 200,
            page: 1,
            ..ListFilter::default()
        };
        Ok(self.list_departments(scope, &filter).await?.items)
    }

    /// One department within `reach`.
    pub async fn department(&self, reach: Reach, id: i64) -> Result<Department, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {DEPARTMENT_COLUMNS} FROM departments d WHERE d.id = $1 AND {}",
            in_subtree_sql("d.jurisdiction_id", "$2")
        )))
        .bind(id)
        .bind(reach.0)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(department_from_row(&row)?)
    }

    /// Creates a department of jurisdiction `jurisdiction_id`; its name must be new there.
    pub async fn create_department(
        &self,
        actor: Option<i64>,
        at: &str,
        jurisdiction_id: i64,
        input: &DepartmentInput,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let id = Self::create_department_in(&mut tx, actor, at, jurisdiction_id, input).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// [`Store::create_department`] inside the caller's transaction.
    pub async fn create_department_in(
        tx: &mut sqlx::AnyConnection,
        actor: Option<i64>,
        at: &str,
        jurisdiction_id: i64,
        input: &DepartmentInput,
    ) -> Result<i64, StoreError> {
        let known: Option<i64> = sqlx::query_scalar("SELECT id FROM jurisdictions WHERE id = $1")
            .bind(jurisdiction_id)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(invalid("jurisdiction_id", "unknown_jurisdiction"));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO departments (name, kind, is_justice_bureau, legal_contact_name, \
             legal_contact_phone, active, created_at, updated_at, jurisdiction_id) \
             VALUES ($1, $2, $3, $4, $5, 1, $6, $6, $7) RETURNING id",
        )
        .bind(&input.name)
        .bind(&input.kind)
        .bind(i64::from(input.is_justice_bureau))
        .bind(&input.legal_contact_name)
        .bind(&input.legal_contact_phone)
        .bind(at)
        .bind(jurisdiction_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| super::unique_violation_as(e, "name", "duplicate_department_name"))?;
        events::append(
            &mut *tx,
            jurisdiction_id,
            &NewEvent {
                kind: "department.created",
                subject: format!("department:{id}"),
                actor_user_id: actor,
                at: at.into(),
                body: department_body(input),
            },
        )
        .await?;
        Ok(id)
    }

    /// Replaces a department's fields.
    pub async fn update_department(
        &self,
        actor: Option<i64>,
        at: &str,
        id: i64,
        input: &DepartmentInput,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let n_rows = sqlx::query(
            "UPDATE departments SET name = $1, kind = $2, is_justice_bureau = $3, \
             legal_contact_name = $4, legal_contact_phone = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(&input.name)
        .bind(&input.kind)
        .bind(i64::from(input.is_justice_bureau))
        .bind(&input.legal_contact_name)
        .bind(&input.legal_contact_phone)
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| super::unique_violation_as(e, "name", "duplicate_department_name"))?
        .rows_affected();
        if n_rows == 0 {
            return Err(StoreError::NotFound);
        }
        let jurisdiction_id = super::jurisdiction_of(&mut tx, Record::Department(id)).await?;
        events::append(
            &mut tx,
            jurisdiction_id,
            &NewEvent {
                kind: "department.updated",
                subject: format!("department:{id}"),
                actor_user_id: actor,
                at: at.into(),
                body: department_body(input),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deactivates or reactivates a department.
    pub async fn set_department_active(
        &self,
        actor: Option<i64>,
        at: &str,
        id: i64,
        active: bool,
    ) -> Result<(), StoreError> {
        self.set_active("departments", "department", actor, at, id, active)
            .await
    }

    async fn set_active(
        &self,
        table: &'static str,
        subject_kind: &'static str,
        actor: Option<i64>,
        at: &str,
        id: i64,
        active: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let n_rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {table} SET active = $1, updated_at = $2 WHERE id = $3"
        )))
        .bind(i64::from(active))
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n_rows == 0 {
            return Err(StoreError::NotFound);
        }
        let record = if subject_kind == "department" {
            Record::Department(id)
        } else {
            Record::Person(id)
        };
        let jurisdiction_id = super::jurisdiction_of(&mut tx, record).await?;
        let kind = match (subject_kind, active) {
            ("department", true) => "department.reactivated",
            ("department", false) => "department.deactivated",
            (_, true) => "person.reactivated",
            (_, false) => "person.deactivated",
        };
        events::append(
            &mut tx,
            jurisdiction_id,
            &NewEvent {
                kind,
                subject: format!("{subject_kind}:{id}"),
                actor_user_id: actor,
                at: at.into(),
                body: json!({"active": active}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// People visible in `scope` matching `filter`, by department then name.
    pub async fn list_people(
        &self,
        scope: Scope,
        filter: &ListFilter,
    ) -> Result<Page<Person>, StoreError> {
        let (all, own) = scope_binds(scope);
        let per_page = filter.per_page.clamp(1, 200);
        let page = filter.page.max(1);
        let pattern = like_pattern(&filter.query);
        let department = filter.department_id.unwrap_or(0);
        let condition = format!(
            "{} AND ($3 = 0 OR p.department_id = $3) AND ($4 = 1 OR p.active = 1) \
             AND (p.name LIKE $5 ESCAPE '\\' OR p.position LIKE $5 ESCAPE '\\')",
            department_in_scope_sql("p.department_id", 1)
        );
        let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM people p WHERE {condition}"
        )))
        .bind(all)
        .bind(own)
        .bind(department)
        .bind(i64::from(filter.include_inactive))
        .bind(&pattern)
        .fetch_one(self.pool())
        .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {PERSON_COLUMNS} FROM people p JOIN departments d ON d.id = p.department_id \
             WHERE {condition} ORDER BY p.active DESC, p.department_id, p.id LIMIT $6 OFFSET $7"
        )))
        .bind(all)
        .bind(own)
        .bind(department)
        .bind(i64::from(filter.include_inactive))
        .bind(&pattern)
        .bind(per_page)
        .bind((page - 1).saturating_mul(per_page))
        .fetch_all(self.pool())
        .await?;
        let items = rows
            .iter()
            .map(person_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }

    /// One person within `reach`.
    pub async fn person(&self, reach: Reach, id: i64) -> Result<Person, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {PERSON_COLUMNS} FROM people p JOIN departments d ON d.id = p.department_id \
             WHERE p.id = $1 AND {}",
            in_subtree_sql("d.jurisdiction_id", "$2")
        )))
        .bind(id)
        .bind(reach.0)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(person_from_row(&row)?)
    }

    /// Checks inside `tx` that a department exists and is active.
    async fn require_active_department(
        tx: &mut sqlx::AnyConnection,
        department_id: i64,
    ) -> Result<i64, StoreError> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT active, jurisdiction_id FROM departments WHERE id = $1")
                .bind(department_id)
                .fetch_optional(&mut *tx)
                .await?;
        match row {
            None => Err(invalid("department_id", "unknown_department")),
            Some((0, _)) => Err(invalid("department_id", "inactive_department")),
            Some((_, jurisdiction_id)) => Ok(jurisdiction_id),
        }
    }

    /// Adds a person to an active department.
    pub async fn create_person(
        &self,
        actor: Option<i64>,
        at: &str,
        input: &PersonInput,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let id = Self::create_person_in(&mut tx, actor, at, input).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// [`Store::create_person`] inside the caller's transaction.
    pub async fn create_person_in(
        tx: &mut sqlx::AnyConnection,
        actor: Option<i64>,
        at: &str,
        input: &PersonInput,
    ) -> Result<i64, StoreError> {
        let jurisdiction_id =
            Self::require_active_department(&mut *tx, input.department_id).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO people (department_id, name, position, phone, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id",
        )
        .bind(input.department_id)
        .bind(&input.name)
        .bind(&input.position)
        .bind(&input.phone)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        events::append(
            &mut *tx,
            jurisdiction_id,
            &NewEvent {
                kind: "person.created",
                subject: format!("person:{id}"),
                actor_user_id: actor,
                at: at.into(),
                body: person_body(input),
            },
        )
        .await?;
        Ok(id)
    }

    /// Replaces a person's fields (a move to another department must be to an active one).
    pub async fn update_person(
        &self,
        actor: Option<i64>,
        at: &str,
        id: i64,
        input: &PersonInput,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let current: Option<i64> =
            sqlx::query_scalar("SELECT department_id FROM people WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let current = current.ok_or(StoreError::NotFound)?;
        let jurisdiction_id = super::jurisdiction_of(&mut tx, Record::Department(current)).await?;
        // A person moves between departments of one jurisdiction: another government's
        // department is not theirs to join.
        if current != input.department_id
            && Self::require_active_department(&mut tx, input.department_id).await?
                != jurisdiction_id
        {
            return Err(invalid("department_id", "unknown_department"));
        }
        sqlx::query(
            "UPDATE people SET department_id = $1, name = $2, position = $3, phone = $4, \
             updated_at = $5 WHERE id = $6",
        )
        .bind(input.department_id)
        .bind(&input.name)
        .bind(&input.position)
        .bind(&input.phone)
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        events::append(
            &mut tx,
            jurisdiction_id,
            &NewEvent {
                kind: "person.updated",
                subject: format!("person:{id}"),
                actor_user_id: actor,
                at: at.into(),
                body: person_body(input),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deactivates or reactivates a person.
    pub async fn set_person_active(
        &self,
        actor: Option<i64>,
        at: &str,
        id: i64,
        active: bool,
    ) -> Result<(), StoreError> {
        self.set_active("people", "person", actor, at, id, active)
            .await
    }

    /// Counts for the 工作台: active departments and people inside `scope`.
    pub async fn organisation_counts(&self, scope: Scope) -> Result<(i64, i64), StoreError> {
        let (all, own) = scope_binds(scope);
        let n_departments: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM departments d WHERE {} AND d.active = 1",
            department_in_scope_sql("d.id", 1)
        )))
        .bind(all)
        .bind(own)
        .fetch_one(self.pool())
        .await?;
        let n_people: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM people p WHERE {} AND p.active = 1",
            department_in_scope_sql("p.department_id", 1)
        )))
        .bind(all)
        .bind(own)
        .fetch_one(self.pool())
        .await?;
        Ok((n_departments, n_people))
    }
}

fn department_body(input: &DepartmentInput) -> serde_json::Value {
    json!({
        "name": input.name,
        "kind": input.kind,
        "is_justice_bureau": input.is_justice_bureau,
        "legal_contact_name": input.legal_contact_name,
        "legal_contact_phone": input.legal_contact_phone,
    })
}

fn person_body(input: &PersonInput) -> serde_json::Value {
    json!({
        "department_id": input.department_id,
        "name": input.name,
        "position": input.position,
        "phone": input.phone,
    })
}
