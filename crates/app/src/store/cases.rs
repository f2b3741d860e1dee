//! Cases, their steps, the projection of their running periods, and the officer certificate
//! registry. The write functions take the caller's transaction: the case service writes a step,
//! its event and the projections together.

use std::collections::BTreeMap;

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use time::Date;

use super::{Page, Store, StoreError};
use crate::authz::{self, CaseScope, Subject};
use crate::engine::{self, FieldValue, LapseKind, OpenTimer, Step};

/// A case as listed and shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    /// Id.
    pub id: i64,
    /// Procedure id.
    pub procedure: String,
    /// Case number.
    pub number: String,
    /// Department.
    pub department_id: i64,
    /// The jurisdiction it belongs to (its department's).
    pub jurisdiction_id: i64,
    /// That jurisdiction's name.
    pub jurisdiction_name: String,
    /// Department name.
    pub department_name: String,
    /// Short description without personal data.
    pub title: String,
    /// Current state.
    pub state: String,
    /// Version (steps taken).
    pub version: i64,
    /// Opening account.
    pub opened_by: i64,
    /// Opening date.
    pub opened_on: String,
    /// Closing date.
    pub closed_on: Option<String>,
    /// Outcome recorded.
    pub outcome: Option<String>,
    /// Current fields, canonical JSON.
    pub fields_json: String,
}

/// A step as shown on the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRow {
    /// Sequence number (1 = opening).
    pub seq: i64,
    /// Action id.
    pub action: String,
    /// Effective date.
    pub on_date: String,
    /// State after the step.
    pub state_after: String,
    /// Who took it.
    pub actor_name: String,
    /// The fields recorded, JSON.
    pub fields_json: String,
    /// The journal event.
    pub event_id: i64,
    /// When it was recorded.
    pub at: String,
}

/// A running period as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimerRow {
    /// Case id.
    pub case_id: i64,
    /// Case number.
    pub case_number: String,
    /// Procedure id.
    pub procedure: String,
    /// Department id.
    pub department_id: i64,
    /// Department name.
    pub department_name: String,
    /// Timer id.
    pub timer_id: String,
    /// Label.
    pub label: String,
    /// Article.
    pub article: String,
    /// Start (not counted).
    pub started_on: String,
    /// Due date (none while paused).
    pub due_on: Option<String>,
    /// Whether the due date rests on provisional calendar data.
    pub provisional: bool,
    /// Whether it is paused.
    pub paused: bool,
    /// Whether it was extended.
    pub extended: bool,
    /// What its lapse means: `overdue`, `ends` or `deems` (see [`lapse_code`]).
    pub lapse: String,
    /// Its unit: `days`, `workdays` or `months`.
    pub unit: String,
}

impl TimerRow {
    /// Whether its lapse makes the case overdue (the agency's duty), rather than ending a
    /// party's period or deeming a step.
    pub fn is_duty(&self) -> bool {
        self.lapse == "overdue"
    }
}

/// Filters of a case list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Procedure id.
    pub procedure: String,
    /// State, if filtering.
    pub state: Option<String>,
    /// Department, if filtering.
    pub department_id: Option<i64>,
    /// Opened on or after.
    pub opened_from: Option<String>,
    /// Opened on or before.
    pub opened_until: Option<String>,
    /// Only cases with a period overdue on this date.
    pub overdue_on: Option<String>,
    /// Page, from 1.
    pub page: i64,
    /// Rows per page.
    pub per_page: i64,
}

/// The binds of [`SCOPE_SQL`] for the cases `subject` may see ([`authz::case_scope`]):
/// (subtree root or 0, department, own user).
pub(crate) fn case_scope(subject: &Subject) -> (i64, i64, i64) {
    match authz::case_scope(subject) {
        CaseScope::Subtree(root) => (root, 0, 0),
        CaseScope::Department(department) => (0, department, 0),
        CaseScope::Own(user) => (0, -1, user),
    }
}

/// SQL condition for [`case_scope`] binds `$1..$3` on table alias `c`: inside the subtree of
/// jurisdiction `$1` (migration 0012), of department `$2`, or opened by or naming account `$3`.
pub(crate) const SCOPE_SQL: &str = "(c.jurisdiction_id IN (SELECT descendant_id FROM jurisdiction_closure WHERE ancestor_id = $1) \
     OR c.department_id = $2 OR ($3 > 0 AND (c.opened_by = $3 OR EXISTS \
     (SELECT 1 FROM case_assignees a WHERE a.case_id = c.id AND a.user_id = $3))))";

/// Columns and joins of a running period with its case and department, for [`timer_from_row`].
const TIMER_FROM: &str = "t.case_id, c.number, c.procedure, c.department_id, d.name AS department_name, \
     t.timer_id, t.label, t.article, t.started_on, t.due_on, t.provisional, t.paused, t.extended, t.lapse, t.unit \
     FROM case_timers t JOIN cases c ON c.id = t.case_id JOIN departments d ON d.id = c.department_id";

const CASE_COLUMNS: &str = "c.id, c.procedure, c.number, c.department_id, c.jurisdiction_id, \
     (SELECT j.name FROM jurisdictions j WHERE j.id = c.jurisdiction_id) AS jurisdiction_name, \
     d.name AS department_name, c.title, \
     c.state, c.version, c.opened_by, c.opened_on, c.closed_on, c.outcome, c.fields";

fn case_from_row(row: &AnyRow) -> Result<CaseRow, sqlx::Error> {
    Ok(CaseRow {
        id: row.try_get("id")?,
        procedure: row.try_get("procedure")?,
        number: row.try_get("number")?,
        department_id: row.try_get("department_id")?,
        jurisdiction_id: row.try_get("jurisdiction_id")?,
        jurisdiction_name: row.try_get("jurisdiction_name")?,
        department_name: row.try_get("department_name")?,
        title: row.try_get("title")?,
        state: row.try_get("state")?,
        version: row.try_get("version")?,
        opened_by: row.try_get("opened_by")?,
        opened_on: row.try_get("opened_on")?,
        closed_on: row.try_get("closed_on")?,
        outcome: row.try_get("outcome")?,
        fields_json: row.try_get("fields")?,
    })
}

fn timer_from_row(row: &AnyRow) -> Result<TimerRow, sqlx::Error> {
    Ok(TimerRow {
        case_id: row.try_get("case_id")?,
        case_number: row.try_get("number")?,
        procedure: row.try_get("procedure")?,
        department_id: row.try_get("department_id")?,
        department_name: row.try_get("department_name")?,
        timer_id: row.try_get("timer_id")?,
        label: row.try_get("label")?,
        article: row.try_get("article")?,
        started_on: row.try_get("started_on")?,
        due_on: row.try_get("due_on")?,
        provisional: row.try_get::<i64, _>("provisional")? != 0,
        paused: row.try_get::<i64, _>("paused")? != 0,
        extended: row.try_get::<i64, _>("extended")? != 0,
        lapse: row.try_get("lapse")?,
        unit: row.try_get("unit")?,
    })
}

/// The case a step belongs to, as the step tallies key it.
#[derive(Debug, Clone, Copy)]
pub struct StepOf<'a> {
    /// Case id.
    pub case_id: i64,
    /// Its procedure.
    pub procedure: &'a str,
    /// Its department.
    pub department_id: i64,
    /// Its jurisdiction (whose tallies count the step).
    pub jurisdiction_id: i64,
}

/// Formats a date as stored.
pub fn date_text(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn parse_date(text: &str) -> Result<Date, sqlx::Error> {
    engine::fields_parse_date(text)
        .ok_or_else(|| sqlx::Error::Decode(format!("bad date {text:?}").into()))
}

/// How a period's lapse is stored in the projection.
pub fn lapse_code(lapse: LapseKind) -> &'static str {
    match lapse {
        LapseKind::Overdue => "overdue",
        LapseKind::Ends => "ends",
        LapseKind::Deems => "deems",
    }
}

/// Fields as canonical JSON.
pub fn fields_json(fields: &BTreeMap<String, FieldValue>) -> String {
    serde_json::to_string(fields).unwrap_or_else(|_| "{}".to_owned())
}

fn fields_from_json(text: &str) -> Result<BTreeMap<String, FieldValue>, sqlx::Error> {
    serde_json::from_str(text).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// A new case's row.
#[derive(Debug, Clone)]
pub struct NewCase<'a> {
    /// Procedure id.
    pub procedure: &'a str,
    /// Number prefix (e.g. 罚).
    pub prefix: &'a str,
    /// Department.
    pub department_id: i64,
    /// The department's jurisdiction (whose numbering the case takes).
    pub jurisdiction_id: i64,
    /// Title without personal data.
    pub title: &'a str,
    /// Initial state.
    pub state: &'a str,
    /// Opening account.
    pub opened_by: i64,
    /// Opening date.
    pub opened_on: Date,
    /// Fields.
    pub fields: &'a BTreeMap<String, FieldValue>,
    /// Record time.
    pub at: &'a str,
}

/// Takes the next number of `scope` (from 1) in the caller's transaction, with one atomic
/// upsert on its `number_counters` row: concurrent transactions wait on that row (PostgreSQL's
/// row lock; SQLite's write lock is already held, `BEGIN IMMEDIATE`) and each gets the number
/// after the last committed one. A rolled-back transaction gives its number back, so numbers
/// stay gapless. Scopes: `case:{prefix}-{year}`, `report:{year}` (the migration seeds both),
/// each counted per jurisdiction.
pub(crate) async fn next_number(
    tx: &mut AnyConnection,
    jurisdiction_id: i64,
    scope: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO number_counters (jurisdiction_id, scope, last_number) VALUES ($1, $2, 1) \
         ON CONFLICT (jurisdiction_id, scope) \
         DO UPDATE SET last_number = number_counters.last_number + 1 RETURNING last_number",
    )
    .bind(jurisdiction_id)
    .bind(scope)
    .fetch_one(&mut *tx)
    .await?)
}

impl Store {
    /// Inserts a case (version 1) and returns its id and number: `{prefix}-{year}-{n:06}`, `n`
    /// counted per prefix and opening year (`next_number`).
    pub async fn insert_case(
        tx: &mut AnyConnection,
        case: &NewCase<'_>,
    ) -> Result<(i64, String), StoreError> {
        let year = case.opened_on.year();
        let n = next_number(
            &mut *tx,
            case.jurisdiction_id,
            &format!("case:{}-{year}", case.prefix),
        )
        .await?;
        let number = format!("{}-{year}-{n:06}", case.prefix);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO cases (procedure, number, department_id, title, state, version, opened_by, \
             opened_on, fields, updated_at, jurisdiction_id) \
             VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(case.procedure)
        .bind(&number)
        .bind(case.department_id)
        .bind(case.title)
        .bind(case.state)
        .bind(case.opened_by)
        .bind(date_text(case.opened_on))
        .bind(fields_json(case.fields))
        .bind(case.at)
        .bind(case.jurisdiction_id)
        .fetch_one(&mut *tx)
        .await?;
        Ok((id, number))
    }

    /// Moves a case to `state` at `expected_version + 1`; `false` when the version moved on
    /// (another user acted first).
    #[allow(clippy::too_many_arguments)]
    pub async fn advance_case(
        tx: &mut AnyConnection,
        case_id: i64,
        expected_version: i64,
        n_steps: i64,
        state: &str,
        fields: &BTreeMap<String, FieldValue>,
        outcome: Option<&str>,
        closed_on: Option<Date>,
        at: &str,
    ) -> Result<bool, StoreError> {
        let n_rows = sqlx::query(
            "UPDATE cases SET state = $1, version = version + $8, fields = $2, \
             outcome = COALESCE($3, outcome), closed_on = COALESCE(closed_on, $4), updated_at = $5 \
             WHERE id = $6 AND version = $7",
        )
        .bind(state)
        .bind(fields_json(fields))
        .bind(outcome)
        .bind(closed_on.map(date_text))
        .bind(at)
        .bind(case_id)
        .bind(expected_version)
        .bind(n_steps)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        Ok(n_rows == 1)
    }

    /// Records a step of a case, and counts it in the year's step tallies (the projection the
    /// indicators read) in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn insert_step(
        tx: &mut AnyConnection,
        case: StepOf<'_>,
        seq: i64,
        action: &str,
        on: Date,
        state_after: &str,
        actor: i64,
        fields: &BTreeMap<String, FieldValue>,
        event_id: i64,
        at: &str,
        deemed_by: Option<&str>,
    ) -> Result<(), StoreError> {
        let case_id = case.case_id;
        let amount_fen = crate::store::statistics::step_amount_fen(fields.values())
            .ok_or(StoreError::TotalOutOfRange)?;
        // The update happens only while the sum stays within the bound (`$6 - $5` cannot
        // overflow: both are non-negative); otherwise no row changes and the step is refused,
        // because SQLite would silently turn an overflowing sum into a REAL.
        let tallied = sqlx::query(
            "INSERT INTO step_tallies (year, procedure, action, department_id, steps, amount_fen, jurisdiction_id) \
             VALUES ($1, $2, $3, $4, 1, $5, $7) ON CONFLICT (jurisdiction_id, year, procedure, action, department_id) \
             DO UPDATE SET steps = step_tallies.steps + 1, amount_fen = step_tallies.amount_fen + $5 \
             WHERE step_tallies.amount_fen <= $6 - $5",
        )
        .bind(i64::from(on.year()))
        .bind(case.procedure)
        .bind(action)
        .bind(case.department_id)
        .bind(amount_fen)
        .bind(crate::store::statistics::MAX_TALLY_FEN)
        .bind(case.jurisdiction_id)
        .execute(&mut *tx)
        .await?;
        if tallied.rows_affected() == 0 {
            return Err(StoreError::TotalOutOfRange);
        }
        sqlx::query(
            "INSERT INTO case_steps (case_id, seq, action, on_date, state_after, actor_user_id, fields, event_id, at, deemed_by, jurisdiction_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(case_id)
        .bind(seq)
        .bind(action)
        .bind(date_text(on))
        .bind(state_after)
        .bind(actor)
        .bind(fields_json(fields))
        .bind(event_id)
        .bind(at)
        .bind(deemed_by)
        .bind(case.jurisdiction_id)
        .execute(&mut *tx)
        .await?;
        Ok(())
    }

    /// Adds accounts named on a case (idempotent).
    pub async fn assign(
        tx: &mut AnyConnection,
        case_id: i64,
        users: &[i64],
    ) -> Result<(), StoreError> {
        for user in users {
            sqlx::query(
                "INSERT INTO case_assignees (case_id, user_id) SELECT $1, $2 \
                 WHERE NOT EXISTS (SELECT 1 FROM case_assignees WHERE case_id = $1 AND user_id = $2)",
            )
            .bind(case_id)
            .bind(user)
            .execute(&mut *tx)
            .await?;
        }
        Ok(())
    }

    /// Replaces the projection of a case's running periods.
    pub async fn replace_timers(
        tx: &mut AnyConnection,
        case_id: i64,
        timers: &[OpenTimer],
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM case_timers WHERE case_id = $1")
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
        for timer in timers {
            sqlx::query(
                "INSERT INTO case_timers (case_id, timer_id, label, article, started_on, due_on, provisional, paused, extended, lapse, unit) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(case_id)
            .bind(&timer.id)
            .bind(&timer.label)
            .bind(&timer.article)
            .bind(date_text(timer.started_on))
            .bind(timer.due.map(|d| date_text(d.date)))
            .bind(i64::from(timer.due.is_some_and(|d| d.provisional)))
            .bind(i64::from(timer.paused))
            .bind(i64::from(timer.extended))
            .bind(lapse_code(timer.lapse))
            .bind(timer.period.unit.code())
            .execute(&mut *tx)
            .await?;
        }
        Ok(())
    }

    /// Loads a case for the engine (inside the caller's transaction).
    pub async fn load_case(
        tx: &mut AnyConnection,
        case_id: i64,
    ) -> Result<(CaseRow, engine::Case), StoreError> {
        // The row and its steps are two statements; under PostgreSQL's READ COMMITTED a step
        // committed between them would give a history one step ahead of the version (the engine
        // would then replay a state the command was not made against). Every step takes one
        // version, so the two agree exactly when the history is as long as the version; read
        // again until they do (SQLite's write lock makes them always agree).
        let mut attempts = 0;
        let (case_row, steps) = loop {
            let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {CASE_COLUMNS} FROM cases c JOIN departments d ON d.id = c.department_id WHERE c.id = $1"
            )))
            .bind(case_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            let case_row = case_from_row(&row)?;
            let steps = sqlx::query("SELECT action, on_date, state_after, fields, deemed_by FROM case_steps WHERE case_id = $1 ORDER BY seq")
                .bind(case_id)
                .fetch_all(&mut *tx)
                .await?;
            attempts += 1;
            if i64::try_from(steps.len()).ok() == Some(case_row.version) || attempts == 5 {
                break (case_row, steps);
            }
        };
        let history = steps
            .iter()
            .map(|step| {
                Ok(Step {
                    action: step.try_get("action")?,
                    on: parse_date(&step.try_get::<String, _>("on_date")?)?,
                    state_after: step.try_get("state_after")?,
                    fields: fields_from_json(&step.try_get::<String, _>("fields")?)?,
                    deemed_by: step.try_get("deemed_by")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let assigned: Vec<i64> =
            sqlx::query_scalar("SELECT user_id FROM case_assignees WHERE case_id = $1")
                .bind(case_id)
                .fetch_all(&mut *tx)
                .await?;
        let case = engine::Case {
            state: case_row.state.clone(),
            version: case_row.version,
            department_id: case_row.department_id,
            jurisdiction_id: case_row.jurisdiction_id,
            opened_by: case_row.opened_by,
            assigned,
            opened_on: parse_date(&case_row.opened_on)?,
            fields: fields_from_json(&case_row.fields_json)?,
            history,
        };
        Ok((case_row, case))
    }

    /// A case as the engine sees it (outside a transaction, for showing it).
    pub async fn engine_case(&self, case_id: i64) -> Result<engine::Case, StoreError> {
        let mut connection = self.pool().acquire().await?;
        Ok(Store::load_case(&mut connection, case_id).await?.1)
    }

    /// One case, if `subject` may see it.
    pub async fn case_for(&self, subject: &Subject, case_id: i64) -> Result<CaseRow, StoreError> {
        let (all, department, own) = case_scope(subject);
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CASE_COLUMNS} FROM cases c JOIN departments d ON d.id = c.department_id \
             WHERE {SCOPE_SQL} AND c.id = $4"
        )))
        .bind(all)
        .bind(department)
        .bind(own)
        .bind(case_id)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(case_from_row(&row)?)
    }

    /// Cases `subject` may see, filtered, newest first.
    pub async fn list_cases(
        &self,
        subject: &Subject,
        filter: &CaseFilter,
    ) -> Result<Page<CaseRow>, StoreError> {
        let (all, department, own) = case_scope(subject);
        let per_page = filter.per_page.clamp(1, 200);
        let page = filter.page.max(1);
        let condition = format!(
            "{SCOPE_SQL} AND c.procedure = $4 AND ($5 = '' OR c.state = $5) AND ($6 = 0 OR c.department_id = $6) \
             AND ($7 = '' OR c.opened_on >= $7) AND ($8 = '' OR c.opened_on <= $8) \
             AND ($9 = '' OR EXISTS (SELECT 1 FROM case_timers t WHERE t.case_id = c.id AND t.lapse = 'overdue' AND t.due_on < $9))"
        );
        let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM cases c WHERE {condition}"
        )))
        .bind(all)
        .bind(department)
        .bind(own)
        .bind(&filter.procedure)
        .bind(filter.state.clone().unwrap_or_default())
        .bind(filter.department_id.unwrap_or(0))
        .bind(filter.opened_from.clone().unwrap_or_default())
        .bind(filter.opened_until.clone().unwrap_or_default())
        .bind(filter.overdue_on.clone().unwrap_or_default())
        .fetch_one(self.pool())
        .await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CASE_COLUMNS} FROM cases c JOIN departments d ON d.id = c.department_id \
             WHERE {condition} ORDER BY c.opened_on DESC, c.id DESC LIMIT $10 OFFSET $11"
        )))
        .bind(all)
        .bind(department)
        .bind(own)
        .bind(&filter.procedure)
        .bind(filter.state.clone().unwrap_or_default())
        .bind(filter.department_id.unwrap_or(0))
        .bind(filter.opened_from.clone().unwrap_or_default())
        .bind(filter.opened_until.clone().unwrap_or_default())
        .bind(filter.overdue_on.clone().unwrap_or_default())
        .bind(per_page)
        .bind((page - 1).saturating_mul(per_page))
        .fetch_all(self.pool())
        .await?;
        Ok(Page {
            items: rows.iter().map(case_from_row).collect::<Result<_, _>>()?,
            total,
            page,
            per_page,
        })
    }

    /// The steps of a case, oldest first.
    pub async fn case_steps(&self, case_id: i64) -> Result<Vec<StepRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.seq, s.action, s.on_date, s.state_after, u.display_name AS actor_name, s.fields, s.event_id, s.at \
             FROM case_steps s JOIN users u ON u.id = s.actor_user_id WHERE s.case_id = $1 ORDER BY s.seq",
        )
        .bind(case_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(StepRow {
                    seq: row.try_get("seq")?,
                    action: row.try_get("action")?,
                    on_date: row.try_get("on_date")?,
                    state_after: row.try_get("state_after")?,
                    actor_name: row.try_get("actor_name")?,
                    fields_json: row.try_get("fields")?,
                    event_id: row.try_get("event_id")?,
                    at: row.try_get("at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Running periods due on or before `until` (overdue ones included), inside `subject`'s scope,
    /// by due date.
    pub async fn timers_due(
        &self,
        subject: &Subject,
        today: &str,
        until: &str,
        limit: i64,
    ) -> Result<Vec<TimerRow>, StoreError> {
        let (all, department, own) = case_scope(subject);
        // A party's period or a deemed step that has lapsed is no longer anyone's deadline.
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {TIMER_FROM} WHERE {SCOPE_SQL} AND t.due_on IS NOT NULL AND t.due_on <= $4 \
             AND (t.lapse = 'overdue' OR t.due_on >= $6) \
             ORDER BY t.due_on, c.id LIMIT $5"
        )))
        .bind(all)
        .bind(department)
        .bind(own)
        .bind(until)
        .bind(limit)
        .bind(today)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(timer_from_row).collect::<Result<_, _>>()?)
    }

    /// The running periods of one case.
    pub async fn case_timers(&self, case_id: i64) -> Result<Vec<TimerRow>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {TIMER_FROM} WHERE t.case_id = $1 ORDER BY t.due_on"
        )))
        .bind(case_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(timer_from_row).collect::<Result<_, _>>()?)
    }

    /// Records an enforcement certificate.
    pub async fn add_certificate(
        &self,
        person_id: i64,
        number: &str,
        field_of_law: &str,
        valid_from: Date,
        valid_until: Date,
        at: &str,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let id = Self::add_certificate_in(
            &mut tx,
            person_id,
            number,
            field_of_law,
            valid_from,
            valid_until,
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// [`Store::add_certificate`] inside the caller's transaction (recorded by the system).
    pub async fn add_certificate_in(
        tx: &mut AnyConnection,
        person_id: i64,
        number: &str,
        field_of_law: &str,
        valid_from: Date,
        valid_until: Date,
        at: &str,
    ) -> Result<i64, StoreError> {
        Self::record_certificate_in(
            tx,
            None,
            person_id,
            number,
            field_of_law,
            (valid_from, valid_until),
            at,
        )
        .await
    }

    /// Records a certificate for `person_id` by `actor`, journaling `certificate.recorded`.
    pub(crate) async fn record_certificate_in(
        tx: &mut AnyConnection,
        actor: Option<i64>,
        person_id: i64,
        number: &str,
        field_of_law: &str,
        (valid_from, valid_until): (Date, Date),
        at: &str,
    ) -> Result<i64, StoreError> {
        let jurisdiction_id =
            super::jurisdiction_of(&mut *tx, super::Record::Person(person_id)).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO officer_certificates (person_id, number, field_of_law, valid_from, valid_until, revoked, created_at, jurisdiction_id) \
             VALUES ($1, $2, $3, $4, $5, 0, $6, $7) RETURNING id",
        )
        .bind(person_id)
        .bind(number)
        .bind(field_of_law)
        .bind(date_text(valid_from))
        .bind(date_text(valid_until))
        .bind(at)
        .bind(jurisdiction_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| super::unique_violation_as(e, "number", "duplicate_certificate"))?;
        super::events::append(
            &mut *tx,
            jurisdiction_id,
            &super::events::NewEvent {
                kind: "certificate.recorded",
                subject: format!("person:{person_id}"),
                actor_user_id: actor,
                at: at.into(),
                body: serde_json::json!({"number": number, "field_of_law": field_of_law,
                    "valid_from": date_text(valid_from), "valid_until": date_text(valid_until)}),
            },
        )
        .await?;
        Ok(id)
    }

    /// The accounts of the given people (to name them on a case), in one query.
    pub async fn users_of_people(
        tx: &mut AnyConnection,
        people: &[i64],
    ) -> Result<Vec<i64>, StoreError> {
        let people = distinct(people);
        if people.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM users WHERE person_id IN ({}) ORDER BY id",
            placeholders(people.len())
        )));
        for person in &people {
            query = query.bind(*person);
        }
        Ok(query.fetch_all(&mut *tx).await?)
    }
}

/// The ids sorted, without repeats.
fn distinct(ids: &[i64]) -> Vec<i64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// `$1, $2, …, $n` for an `IN (…)` list.
pub(crate) fn placeholders(n: usize) -> String {
    placeholders_from(1, n)
}

/// `$start, …` for `n` binds.
pub(crate) fn placeholders_from(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A person who may be named as an investigating officer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertifiedOfficer {
    /// Person id.
    pub person_id: i64,
    /// Name.
    pub name: String,
    /// Certificate number.
    pub number: String,
    /// Last day of validity.
    pub valid_until: String,
}

impl Store {
    /// People of `department_id` holding a certificate valid on `on`.
    pub async fn certified_officers(
        &self,
        department_id: i64,
        on: Date,
    ) -> Result<Vec<CertifiedOfficer>, StoreError> {
        let on = date_text(on);
        let rows = sqlx::query(
            "SELECT p.id, p.name, c.number, c.valid_until FROM officer_certificates c JOIN people p ON p.id = c.person_id \
             WHERE p.department_id = $1 AND p.active = 1 AND c.revoked = 0 AND c.valid_from <= $2 AND c.valid_until >= $2 \
             ORDER BY p.id",
        )
        .bind(department_id)
        .bind(&on)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(CertifiedOfficer {
                    person_id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    number: row.try_get("number")?,
                    valid_until: row.try_get("valid_until")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// The accounts named on a case.
    pub async fn case_assignees(&self, case_id: i64) -> Result<Vec<i64>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT user_id FROM case_assignees WHERE case_id = $1")
                .bind(case_id)
                .fetch_all(self.pool())
                .await?,
        )
    }

    /// Names of people by id (for showing officer fields), in the order asked, in one query.
    pub async fn person_names(&self, ids: &[i64]) -> Result<Vec<(i64, String)>, StoreError> {
        self.names_by_id("people", "name", ids).await
    }

    /// Names of departments by id, in the order asked, in one query.
    pub async fn department_names(&self, ids: &[i64]) -> Result<Vec<(i64, String)>, StoreError> {
        self.names_by_id("departments", "name", ids).await
    }

    /// Display names of accounts by id, in the order asked, in one query.
    pub async fn account_names(&self, ids: &[i64]) -> Result<Vec<(i64, String)>, StoreError> {
        self.names_by_id("users", "display_name", ids).await
    }

    async fn names_by_id(
        &self,
        table: &'static str,
        name_column: &'static str,
        ids: &[i64],
    ) -> Result<Vec<(i64, String)>, StoreError> {
        let unique = distinct(ids);
        if unique.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, {name_column} AS name FROM {table} WHERE id IN ({})",
            placeholders(unique.len())
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in &unique {
            query = query.bind(*id);
        }
        let found: BTreeMap<i64, String> = query
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| Ok((row.try_get("id")?, row.try_get("name")?)))
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(ids
            .iter()
            .filter_map(|id| found.get(id).map(|name| (*id, name.clone())))
            .collect())
    }

    /// Case counts per procedure inside `subject`'s scope: (procedure, total, open).
    pub async fn case_counts(
        &self,
        subject: &Subject,
    ) -> Result<Vec<(String, i64, i64)>, StoreError> {
        let (all, department, own) = case_scope(subject);
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT c.procedure, COUNT(*) AS total, SUM(CASE WHEN c.closed_on IS NULL THEN 1 ELSE 0 END) AS open \
             FROM cases c WHERE {SCOPE_SQL} GROUP BY c.procedure"
        )))
        .bind(all)
        .bind(department)
        .bind(own)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get("procedure")?,
                    row.try_get("total")?,
                    row.try_get::<Option<i64>, _>("open")?.unwrap_or(0),
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}

impl Store {
    /// Number of cases.
    pub async fn count_cases(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM cases")
            .fetch_one(self.pool())
            .await?)
    }
}

/// A decided case as the public publicity page lists it (fields as recorded; redaction is the
/// web layer's job, by the procedure's publicity rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedDecision {
    /// Case id.
    pub case_id: i64,
    /// Department name.
    pub department_name: String,
    /// The case's fields, JSON.
    pub fields_json: String,
    /// The date of the step the publicity rule follows.
    pub decided_on: String,
}

impl Store {
    /// Cases of `procedure` that have taken `action` (the publicity trigger), newest first.
    pub async fn published_decisions(
        &self,
        procedure: &str,
        action: &str,
        withdrawn_by: &[&str],
        withdrawn: bool,
        page: i64,
        per_page: i64,
    ) -> Result<Page<PublishedDecision>, StoreError> {
        let per_page = per_page.clamp(1, 100);
        let page = page.max(1);
        // Cases with a withdrawal step ($3…) are shown apart (or not at all).
        let withdrawal = if withdrawn_by.is_empty() {
            if withdrawn { "AND 1 = 0" } else { "" }.to_owned()
        } else {
            let list = (0..withdrawn_by.len())
                .map(|i| format!("${}", i + 3))
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "AND {} EXISTS (SELECT 1 FROM case_steps w WHERE w.case_id = c.id AND w.action IN ({list}))",
                if withdrawn { "" } else { "NOT" }
            )
        };
        let mut total_query = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM cases c JOIN case_steps s ON s.case_id = c.id \
             WHERE c.procedure = $1 AND s.action = $2 {withdrawal}"
        )))
        .bind(procedure)
        .bind(action);
        for step in withdrawn_by {
            total_query = total_query.bind(*step);
        }
        let total: i64 = total_query.fetch_one(self.pool()).await?;
        let limit = withdrawn_by.len() + 3;
        let mut query = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT c.id, d.name AS department_name, c.fields, s.on_date FROM cases c \
             JOIN case_steps s ON s.case_id = c.id JOIN departments d ON d.id = c.department_id \
             WHERE c.procedure = $1 AND s.action = $2 {withdrawal} ORDER BY s.on_date DESC, c.id DESC \
             LIMIT ${limit} OFFSET ${}",
            limit + 1
        )))
        .bind(procedure)
        .bind(action);
        for step in withdrawn_by {
            query = query.bind(*step);
        }
        query = query
            .bind(per_page)
            .bind((page - 1).saturating_mul(per_page));
        let rows = query.fetch_all(self.pool()).await?;
        let items = rows
            .iter()
            .map(|row| {
                Ok(PublishedDecision {
                    case_id: row.try_get("id")?,
                    department_name: row.try_get("department_name")?,
                    fields_json: row.try_get("fields")?,
                    decided_on: row.try_get("on_date")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }
}
