//! The batched write path: many cases' scripts (an opening and the steps after it), each checked
//! by the engine exactly as [`crate::cases::open_case`] and [`crate::cases::act`] check them one
//! by one, then written in one transaction with multi-row inserts.
//!
//! The checks run against each case's state in memory (the case as the store would load it after
//! the steps before), on facts loaded once per batch for the jurisdiction; the stored result is
//! the same rows and event bodies the case service writes for the same scripts in the same order
//! (`tests/it/bulk.rs` writes both ways and compares them). A script the engine refuses is
//! reported with its case and step, and nothing of its batch is written. What the batch saves is
//! the round trips: per case the service makes some twenty statements; here a batch of a
//! thousand cases makes a few dozen.
//!
//! Used by `fazhi bench province` to build a province of millions of cases; a batch belongs to
//! one jurisdiction (its facts, numbering and log).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use sqlx::{AnyConnection, Row};
use time::Date;

use crate::authz::Subject;
use crate::cases::{self, CaseError};
use crate::clock::to_db_time;
use crate::engine::{
    self, AsOf, Command, Facts, FactsNeeded, FieldValue, OpenTimer, PeriodCalculator, Replay,
};
use crate::procedure::{OPEN, Procedure};
use crate::store::cases::{date_text, fields_json, lapse_code};
use crate::store::events::{self, NewEvent};
use crate::store::{Store, StoreError};
use fazhi_procedure::Registry;

pub mod story;

/// A step of a case's script: a command without its version (the batch keeps the versions).
#[derive(Debug, Clone)]
pub struct ScriptStep {
    /// Who takes it.
    pub actor: Subject,
    /// The action.
    pub action: String,
    /// Its date.
    pub on: Date,
    /// The fields as submitted.
    pub fields: BTreeMap<String, String>,
}

/// One case's script: its opening, then its steps in order.
#[derive(Debug, Clone)]
pub struct CaseScript {
    /// The procedure's id.
    pub procedure: String,
    /// Who opens it (of the batch's jurisdiction).
    pub actor: Subject,
    /// The department it is opened for.
    pub department_id: i64,
    /// The opening date.
    pub on: Date,
    /// The opening fields as submitted.
    pub fields: BTreeMap<String, String>,
    /// The steps after the opening.
    pub steps: Vec<ScriptStep>,
}

/// Why a batch was not written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BulkError {
    /// The engine (or the case service's checks) refused a script: nothing of the batch is
    /// written.
    #[error("case {case} of the batch ({procedure}), {}: {error}", step.map_or_else(|| "opening".to_owned(), |s| format!("step {} ({action})", s + 1)))]
    Refused {
        /// The script's index in the batch.
        case: usize,
        /// Its procedure.
        procedure: String,
        /// The step's index in the script's steps; `None` for the opening.
        step: Option<usize>,
        /// The action refused (`open` for the opening).
        action: String,
        /// The refusal.
        error: CaseError,
    },
    /// A script names a procedure not among those given.
    #[error("unknown procedure {0:?}")]
    UnknownProcedure(String),
    /// The store failed (the transaction was rolled back).
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for BulkError {
    fn from(error: sqlx::Error) -> Self {
        BulkError::Store(StoreError::Sql(error))
    }
}

/// What a batch wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// The cases' ids, in the scripts' order.
    pub case_ids: Vec<i64>,
    /// Steps stored (openings and deemed steps included).
    pub steps: usize,
    /// Events journaled (each with its leaf).
    pub events: usize,
}

/// A step as it will be stored, with its event's kind and body.
struct StoredStep {
    action: String,
    on: Date,
    state_after: String,
    actor: i64,
    fields: BTreeMap<String, FieldValue>,
    deemed_by: Option<String>,
    event_kind: &'static str,
    event_actor: Option<i64>,
    body: serde_json::Value,
}

/// A case as it will be stored.
struct Planned<'p> {
    procedure: &'p Procedure,
    number: String,
    title: String,
    case: engine::Case,
    outcome: Option<String>,
    closed_on: Option<Date>,
    steps: Vec<StoredStep>,
    timers: Vec<OpenTimer>,
}

/// The facts of a batch, by what they name, to hand each command exactly the facts the case
/// service would load for it.
struct FactIndex {
    people: BTreeMap<(Registry, i64), Vec<engine::RegistryEntry>>,
    departments: BTreeMap<i64, engine::DepartmentFact>,
}

impl FactIndex {
    fn new(facts: Facts) -> Self {
        let mut people: BTreeMap<(Registry, i64), Vec<engine::RegistryEntry>> = BTreeMap::new();
        for entry in facts.people {
            people
                .entry((entry.registry, entry.person_id))
                .or_default()
                .push(entry);
        }
        let departments = facts.departments.into_iter().map(|d| (d.id, d)).collect();
        FactIndex {
            people,
            departments,
        }
    }

    fn for_needed(&self, needed: &FactsNeeded) -> Facts {
        Facts {
            people: needed
                .people
                .iter()
                .filter_map(|key| self.people.get(key))
                .flatten()
                .cloned()
                .collect(),
            departments: needed
                .departments
                .iter()
                .filter_map(|id| self.departments.get(id).copied())
                .collect(),
        }
    }
}

fn union(into: &mut FactsNeeded, more: FactsNeeded) {
    into.people.extend(more.people);
    into.departments.extend(more.departments);
}

/// What `Store::accounts_named` answers, from the batch's map of people to their accounts.
fn accounts_named(named: &[(Registry, i64)], accounts_of: &BTreeMap<i64, Vec<i64>>) -> Vec<i64> {
    let mut accounts: Vec<i64> = named
        .iter()
        .filter(|(r, _)| *r != Registry::StaffAccounts)
        .filter_map(|(_, person)| accounts_of.get(person))
        .flatten()
        .copied()
        .collect();
    accounts.extend(
        named
            .iter()
            .filter(|(r, _)| *r == Registry::StaffAccounts)
            .map(|(_, id)| *id),
    );
    accounts.sort_unstable();
    accounts.dedup();
    accounts
}

fn refuse_documents(fields: &BTreeMap<String, FieldValue>) -> Result<(), CaseError> {
    // The batch's cases are new: none has an attachment a document field could name.
    match fields
        .iter()
        .find(|(_, v)| matches!(v, FieldValue::Document(_)))
    {
        Some((id, _)) => Err(cases::unknown_document(id)),
        None => Ok(()),
    }
}

/// Most parameters a statement binds (see `store::ledger`: SQLite's binding cost grows with the
/// square of their number).
fn max_parameters(conn: &AnyConnection) -> usize {
    if conn.backend_name() == "SQLite" {
        150
    } else {
        4_000
    }
}

/// `INSERT INTO {table_columns} VALUES ($1, …), …` for `rows` rows of `per_row` parameters.
fn values_sql(table_columns: &str, rows: usize, per_row: usize) -> String {
    use std::fmt::Write;
    let mut sql = format!("INSERT INTO {table_columns} VALUES ");
    let mut next = 1;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..per_row {
            let _ = write!(sql, "{}${next}", if column == 0 { "" } else { ", " });
            next += 1;
        }
        sql.push(')');
    }
    sql
}

/// Opens and advances `scripts` in jurisdiction `jurisdiction_id`, each through the case
/// service's checks, and writes them all in one transaction; on a refusal nothing is written.
pub async fn write_batch(
    store: &Store,
    procedures: &[Procedure],
    calendar: &dyn PeriodCalculator,
    jurisdiction_id: i64,
    scripts: &[CaseScript],
    now: time::OffsetDateTime,
) -> Result<Written, BulkError> {
    let mut resolved: Vec<&Procedure> = Vec::with_capacity(scripts.len());
    for script in scripts {
        let procedure = procedures
            .iter()
            .find(|p| p.id == script.procedure)
            .ok_or_else(|| BulkError::UnknownProcedure(script.procedure.clone()))?;
        resolved.push(procedure);
    }
    let at = to_db_time(now);
    let mut tx = store.begin().await?;

    // What the checks read, once for the batch.
    let departments: BTreeMap<i64, (i64, i64)> = sqlx::query(
        "SELECT id, active, jurisdiction_id FROM departments WHERE jurisdiction_id = $1",
    )
    .bind(jurisdiction_id)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|row| {
        Ok((
            row.try_get("id")?,
            (row.try_get("active")?, row.try_get("jurisdiction_id")?),
        ))
    })
    .collect::<Result<_, sqlx::Error>>()?;
    let mut needed = FactsNeeded::default();
    for (script, procedure) in scripts.iter().zip(&resolved) {
        union(
            &mut needed,
            engine::facts_needed(procedure, None, &script.fields),
        );
        for step in &script.steps {
            union(
                &mut needed,
                engine::facts_needed(procedure, None, &step.fields),
            );
        }
    }
    let facts = FactIndex::new(Store::facts(&mut tx, jurisdiction_id, &needed).await?);
    let people: BTreeSet<i64> = needed
        .people
        .iter()
        .filter(|(r, _)| *r != Registry::StaffAccounts)
        .map(|(_, id)| *id)
        .collect();
    let accounts_of = accounts_of_people(&mut tx, &people).await?;

    // Numbers, reserved per prefix and year on the counters' rows (held until commit; a refusal
    // rolls them back, so numbers stay gapless as the case service keeps them).
    let mut wanted: BTreeMap<String, i64> = BTreeMap::new();
    for (script, procedure) in scripts.iter().zip(&resolved) {
        *wanted
            .entry(format!(
                "case:{}-{}",
                procedure.number_prefix,
                script.on.year()
            ))
            .or_default() += 1;
    }
    let mut next_number: BTreeMap<String, i64> = BTreeMap::new();
    for (scope, n) in &wanted {
        let last: i64 = sqlx::query_scalar(
            "INSERT INTO number_counters (jurisdiction_id, scope, last_number) VALUES ($1, $2, $3) \
             ON CONFLICT (jurisdiction_id, scope) \
             DO UPDATE SET last_number = number_counters.last_number + $3 RETURNING last_number",
        )
        .bind(jurisdiction_id)
        .bind(scope)
        .bind(*n)
        .fetch_one(&mut *tx)
        .await?;
        next_number.insert(scope.clone(), last - n + 1);
    }

    let mut planned: Vec<Planned<'_>> = Vec::with_capacity(scripts.len());
    for (index, (script, procedure)) in scripts.iter().zip(&resolved).enumerate() {
        let refused = |step: Option<usize>, action: &str, error: CaseError| BulkError::Refused {
            case: index,
            procedure: procedure.id.clone(),
            step,
            action: action.to_owned(),
            error,
        };
        let scope = format!("case:{}-{}", procedure.number_prefix, script.on.year());
        let n = next_number.get(&scope).copied().unwrap_or(1);
        next_number.insert(scope, n + 1);
        let number = format!("{}-{}-{n:06}", procedure.number_prefix, script.on.year());
        let mut case = plan_opening(
            procedure,
            calendar,
            script,
            &departments,
            &facts,
            &accounts_of,
            number,
            now,
        )
        .map_err(|e| refused(None, OPEN, e))?;
        for (step_index, step) in script.steps.iter().enumerate() {
            let last = step_index + 1 == script.steps.len();
            plan_step(
                procedure,
                calendar,
                &mut case,
                step,
                &facts,
                &accounts_of,
                last,
                now,
            )
            .map_err(|e| refused(Some(step_index), &step.action, e))?;
        }
        planned.push(case);
    }

    let written = write_planned(&mut tx, jurisdiction_id, &planned, &at).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(written)
}

/// The accounts of each person (what `Store::users_of_people` reads, kept by person).
async fn accounts_of_people(
    tx: &mut AnyConnection,
    people: &BTreeSet<i64>,
) -> Result<BTreeMap<i64, Vec<i64>>, BulkError> {
    let mut accounts: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let people: Vec<i64> = people.iter().copied().collect();
    let per_statement = max_parameters(tx);
    for chunk in people.chunks(per_statement) {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id, person_id FROM users WHERE person_id IN ({}) ORDER BY id",
            crate::store::cases::placeholders(chunk.len())
        )));
        for person in chunk {
            query = query.bind(*person);
        }
        for row in query.fetch_all(&mut *tx).await? {
            let person: i64 = row.try_get("person_id")?;
            accounts.entry(person).or_default().push(row.try_get("id")?);
        }
    }
    Ok(accounts)
}

/// The opening, checked as [`cases::open_case`] checks it, as the case will be stored.
#[allow(clippy::too_many_arguments)]
fn plan_opening<'p>(
    procedure: &'p Procedure,
    calendar: &dyn PeriodCalculator,
    script: &CaseScript,
    departments: &BTreeMap<i64, (i64, i64)>,
    facts: &FactIndex,
    accounts_of: &BTreeMap<i64, Vec<i64>>,
    number: String,
    now: time::OffsetDateTime,
) -> Result<Planned<'p>, CaseError> {
    let actor = &script.actor;
    let on = script.on;
    cases::check_actor_department(actor, script.department_id)?;
    cases::check_department_row(actor, departments.get(&script.department_id).copied())?;
    let needed = engine::facts_needed(procedure, None, &script.fields);
    let fields = engine::check_opening(
        procedure,
        actor,
        &script.fields,
        on,
        &facts.for_needed(&needed),
        calendar,
    )?;
    cases::check_step_date(on, procedure.in_force, now)?;
    refuse_documents(&fields)?;
    let initial = procedure.initial_state().id.as_str().to_owned();
    let title = cases::title_of(procedure, &fields);
    let assigned = accounts_named(&engine::people_named(procedure, &fields), accounts_of);
    let body = cases::opened_body(
        procedure,
        &number,
        script.department_id,
        on,
        &initial,
        &fields,
    );
    let case = engine::Case {
        state: initial.clone(),
        version: 1,
        department_id: script.department_id,
        jurisdiction_id: actor.jurisdiction_id,
        opened_by: actor.user_id,
        assigned,
        opened_on: on,
        fields: fields.clone(),
        history: vec![engine::Step {
            action: OPEN.to_owned(),
            on,
            state_after: initial.clone(),
            fields: fields.clone(),
            deemed_by: None,
        }],
    };
    // The case service projects the periods after every step; only the last projection stays.
    let timers = if script.steps.is_empty() {
        cases::projected_timers(
            procedure,
            Replay::of(procedure, &case, AsOf::Day(on), calendar),
            calendar,
        )
    } else {
        Vec::new()
    };
    Ok(Planned {
        procedure,
        number,
        title,
        steps: vec![StoredStep {
            action: OPEN.to_owned(),
            on,
            state_after: initial,
            actor: actor.user_id,
            fields,
            deemed_by: None,
            event_kind: "case.opened",
            event_actor: Some(actor.user_id),
            body,
        }],
        case,
        outcome: None,
        closed_on: None,
        timers,
    })
}

/// A step, checked as [`cases::act`] checks it, applied to the case in memory.
#[allow(clippy::too_many_arguments)]
fn plan_step(
    procedure: &Procedure,
    calendar: &dyn PeriodCalculator,
    planned: &mut Planned<'_>,
    step: &ScriptStep,
    facts: &FactIndex,
    accounts_of: &BTreeMap<i64, Vec<i64>>,
    last: bool,
    now: time::OffsetDateTime,
) -> Result<(), CaseError> {
    let command = Command {
        actor: step.actor,
        action: step.action.clone(),
        on: step.on,
        fields: step.fields.clone(),
        expected_version: planned.case.version,
    };
    let case = &planned.case;
    let needed = engine::facts_needed(procedure, Some(case), &command.fields);
    let mut replay = Replay::of(procedure, case, AsOf::Day(command.on), calendar);
    let accepted = engine::check_replayed(
        procedure,
        case,
        &replay,
        &command,
        &facts.for_needed(&needed),
        calendar,
    )?;
    cases::check_step_date(command.on, case.opened_on.max(procedure.in_force), now)?;
    refuse_documents(&accepted.fields)?;
    let advance = cases::advance_of(procedure, case, &accepted);
    let users = accounts_named(
        &engine::people_named(procedure, &accepted.fields),
        accounts_of,
    );
    let step_body = cases::step_body(procedure, &planned.number, &command, &accepted);
    let timers = if last {
        replay.record(
            procedure,
            Cow::Owned(engine::Step {
                action: command.action.clone(),
                on: command.on,
                state_after: accepted.to.clone(),
                fields: accepted.fields.clone(),
                deemed_by: None,
            }),
            calendar,
        );
        Some(cases::projected_timers(procedure, replay, calendar))
    } else {
        None
    };
    // What the law did since anyone last acted, before the step, as the service stores it.
    for deemed in accepted.deemed {
        planned.steps.push(StoredStep {
            action: deemed.action.clone(),
            on: deemed.on,
            state_after: deemed.state_after.clone(),
            actor: command.actor.user_id,
            fields: deemed.fields.clone(),
            deemed_by: deemed.deemed_by.clone(),
            event_kind: "case.deemed",
            event_actor: None,
            body: cases::deemed_body(procedure, &planned.number, &deemed),
        });
        planned.case.history.push(deemed);
    }
    planned.steps.push(StoredStep {
        action: command.action.clone(),
        on: command.on,
        state_after: accepted.to.clone(),
        actor: command.actor.user_id,
        fields: accepted.fields.clone(),
        deemed_by: None,
        event_kind: "case.step",
        event_actor: Some(command.actor.user_id),
        body: step_body,
    });
    planned.case.history.push(engine::Step {
        action: command.action,
        on: command.on,
        state_after: accepted.to.clone(),
        fields: accepted.fields,
        deemed_by: None,
    });
    planned.case.state = accepted.to;
    planned.case.version += advance.n_steps;
    planned.case.fields = advance.merged;
    for user in users {
        if !planned.case.assigned.contains(&user) {
            planned.case.assigned.push(user);
        }
    }
    if advance.outcome.is_some() {
        planned.outcome = advance.outcome;
    }
    if advance.terminal && planned.closed_on.is_none() {
        planned.closed_on = Some(command.on);
    }
    if let Some(timers) = timers {
        planned.timers = timers;
    }
    Ok(())
}

/// Ids returned by a multi-row INSERT, checked to come back in the order of its rows.
fn in_order(ids: &[i64], before: Option<&i64>, rows: usize) -> Result<(), StoreError> {
    let ordered = ids.len() == rows
        && ids.windows(2).all(|w| w.first() < w.get(1))
        && before.zip(ids.first()).is_none_or(|(a, b)| a < b);
    if ordered {
        Ok(())
    } else {
        Err(StoreError::Sql(sqlx::Error::Protocol(
            "the inserted rows' ids did not come back in insertion order".into(),
        )))
    }
}

/// Writes the planned cases: case rows, events with their leaves, steps, tallies, assignees and
/// timers, each table in multi-row statements.
async fn write_planned(
    tx: &mut AnyConnection,
    jurisdiction_id: i64,
    planned: &[Planned<'_>],
    at: &str,
) -> Result<Written, BulkError> {
    let limit = max_parameters(tx);
    // Case rows, as they stand after their last step.
    let mut case_ids: Vec<i64> = Vec::with_capacity(planned.len());
    for chunk in planned.chunks((limit / 13).max(1)) {
        let sql = values_sql(
            "cases (procedure, number, department_id, title, state, version, opened_by, \
             opened_on, closed_on, outcome, fields, updated_at, jurisdiction_id)",
            chunk.len(),
            13,
        ) + " RETURNING id";
        let mut query = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
        for p in chunk {
            query = query
                .bind(&p.procedure.id)
                .bind(&p.number)
                .bind(p.case.department_id)
                .bind(&p.title)
                .bind(&p.case.state)
                .bind(p.case.version)
                .bind(p.case.opened_by)
                .bind(date_text(p.case.opened_on))
                .bind(p.closed_on.map(date_text))
                .bind(p.outcome.clone())
                .bind(fields_json(&p.case.fields))
                .bind(at)
                .bind(jurisdiction_id);
        }
        let ids: Vec<i64> = query.fetch_all(&mut *tx).await?;
        in_order(&ids, case_ids.last(), chunk.len())?;
        case_ids.extend(ids);
    }

    // Events, case by case and step by step, as the service appends them.
    let new_events: Vec<NewEvent<'_>> = planned
        .iter()
        .zip(&case_ids)
        .flat_map(|(p, case_id)| {
            p.steps.iter().map(move |s| NewEvent {
                kind: s.event_kind,
                subject: format!("case:{case_id}"),
                actor_user_id: s.event_actor,
                at: at.to_owned(),
                body: s.body.clone(),
            })
        })
        .collect();
    let event_ids = events::append_many(&mut *tx, jurisdiction_id, &new_events).await?;

    // Steps, and the tallies they add up to.
    let mut tallies: BTreeMap<(i64, &str, &str, i64), (i64, i64)> = BTreeMap::new();
    let rows: Vec<(i64, i64, &StoredStep)> = planned
        .iter()
        .zip(&case_ids)
        .flat_map(|(p, case_id)| {
            p.steps
                .iter()
                .enumerate()
                .map(move |(i, s)| (*case_id, i64::try_from(i).unwrap_or(0) + 1, s))
        })
        .collect();
    for (p, (_, _, step)) in planned
        .iter()
        .flat_map(|p| p.steps.iter().map(move |_| p))
        .zip(&rows)
    {
        let amount = crate::store::statistics::step_amount_fen(step.fields.values())
            .ok_or(StoreError::TotalOutOfRange)?;
        let tally = tallies
            .entry((
                i64::from(step.on.year()),
                p.procedure.id.as_str(),
                step.action.as_str(),
                p.case.department_id,
            ))
            .or_default();
        tally.0 += 1;
        // The bound is a named constant (today i64::MAX, which `checked_add` already keeps):
        // the same check as the case service's, should the bound ever be lowered.
        #[allow(clippy::absurd_extreme_comparisons)]
        let within = |sum: &i64| *sum <= crate::store::statistics::MAX_TALLY_FEN;
        tally.1 = tally
            .1
            .checked_add(amount)
            .filter(within)
            .ok_or(StoreError::TotalOutOfRange)?;
    }
    let mut event_ids_iter = event_ids.iter();
    let mut step_rows = Vec::with_capacity(rows.len());
    for (case_id, seq, step) in &rows {
        let event_id = *event_ids_iter
            .next()
            .ok_or(StoreError::Sql(sqlx::Error::RowNotFound))?;
        step_rows.push((*case_id, *seq, *step, event_id));
    }
    for chunk in step_rows.chunks((limit / 11).max(1)) {
        let sql = values_sql(
            "case_steps (case_id, seq, action, on_date, state_after, actor_user_id, fields, \
             event_id, at, deemed_by, jurisdiction_id)",
            chunk.len(),
            11,
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (case_id, seq, step, event_id) in chunk {
            query = query
                .bind(*case_id)
                .bind(*seq)
                .bind(step.action.as_str())
                .bind(date_text(step.on))
                .bind(step.state_after.as_str())
                .bind(step.actor)
                .bind(fields_json(&step.fields))
                .bind(*event_id)
                .bind(at)
                .bind(step.deemed_by.clone())
                .bind(jurisdiction_id);
        }
        query.execute(&mut *tx).await?;
    }
    let tallies: Vec<_> = tallies.into_iter().collect();
    for chunk in tallies.chunks((limit / 7).max(1)) {
        // The sum is added only while it stays within the bound (see `Store::insert_step`).
        let sql = values_sql(
            "step_tallies (year, procedure, action, department_id, steps, amount_fen, jurisdiction_id)",
            chunk.len(),
            7,
        ) + &format!(
            " ON CONFLICT (jurisdiction_id, year, procedure, action, department_id) \
             DO UPDATE SET steps = step_tallies.steps + excluded.steps, \
             amount_fen = step_tallies.amount_fen + excluded.amount_fen \
             WHERE step_tallies.amount_fen <= {} - excluded.amount_fen",
            crate::store::statistics::MAX_TALLY_FEN
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for ((year, procedure, action, department_id), (steps, amount)) in chunk {
            query = query
                .bind(*year)
                .bind(*procedure)
                .bind(*action)
                .bind(*department_id)
                .bind(*steps)
                .bind(*amount)
                .bind(jurisdiction_id);
        }
        let done = query.execute(&mut *tx).await?.rows_affected();
        if usize::try_from(done).ok() != Some(chunk.len()) {
            return Err(StoreError::TotalOutOfRange.into());
        }
    }

    // Who is named on each case, and its running periods.
    let assignees: Vec<(i64, i64)> = planned
        .iter()
        .zip(&case_ids)
        .flat_map(|(p, case_id)| p.case.assigned.iter().map(move |u| (*case_id, *u)))
        .collect();
    for chunk in assignees.chunks((limit / 2).max(1)) {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(values_sql(
            "case_assignees (case_id, user_id)",
            chunk.len(),
            2,
        )));
        for (case_id, user) in chunk {
            query = query.bind(*case_id).bind(*user);
        }
        query.execute(&mut *tx).await?;
    }
    let timers: Vec<(i64, &OpenTimer)> = planned
        .iter()
        .zip(&case_ids)
        .flat_map(|(p, case_id)| p.timers.iter().map(move |t| (*case_id, t)))
        .collect();
    for chunk in timers.chunks((limit / 11).max(1)) {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(values_sql(
            "case_timers (case_id, timer_id, label, article, started_on, due_on, provisional, \
             paused, extended, lapse, unit)",
            chunk.len(),
            11,
        )));
        for (case_id, timer) in chunk {
            query = query
                .bind(*case_id)
                .bind(timer.id.as_str())
                .bind(timer.label.as_str())
                .bind(timer.article.as_str())
                .bind(date_text(timer.started_on))
                .bind(timer.due.map(|d| date_text(d.date)))
                .bind(i64::from(timer.due.is_some_and(|d| d.provisional)))
                .bind(i64::from(timer.paused))
                .bind(i64::from(timer.extended))
                .bind(lapse_code(timer.lapse))
                .bind(timer.period.unit.code());
        }
        query.execute(&mut *tx).await?;
    }
    Ok(Written {
        case_ids,
        steps: step_rows.len(),
        events: event_ids.len(),
    })
}

/// Cases per jurisdiction (where a resumed generation stands; the figures' sizes).
pub async fn cases_per_jurisdiction(store: &Store) -> Result<BTreeMap<i64, i64>, StoreError> {
    let rows =
        sqlx::query("SELECT jurisdiction_id, COUNT(*) AS n FROM cases GROUP BY jurisdiction_id")
            .fetch_all(store.pool())
            .await?;
    Ok(rows
        .iter()
        .map(|row| Ok((row.try_get("jurisdiction_id")?, row.try_get("n")?)))
        .collect::<Result<_, sqlx::Error>>()?)
}

/// A plain count of the cases of `jurisdiction_id` (or of all), the reference query the bench
/// sets beside each figure.
pub async fn count_cases(store: &Store, jurisdiction_id: Option<i64>) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE ($1 = 0 OR jurisdiction_id = $1)")
            .bind(jurisdiction_id.unwrap_or(0))
            .fetch_one(store.pool())
            .await?,
    )
}

/// The departments of `jurisdiction_id`, active or not.
pub async fn count_departments(store: &Store, jurisdiction_id: i64) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM departments WHERE jurisdiction_id = $1")
            .bind(jurisdiction_id)
            .fetch_one(store.pool())
            .await?,
    )
}

/// The database's size in bytes: `pg_database_size` on PostgreSQL, pages × page size on
/// SQLite.
pub async fn database_bytes(store: &Store) -> Result<i64, StoreError> {
    let mut connection = store.pool().acquire().await?;
    if connection.backend_name() == "SQLite" {
        let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
            .fetch_one(&mut *connection)
            .await?;
        let size: i64 = sqlx::query_scalar("PRAGMA page_size")
            .fetch_one(&mut *connection)
            .await?;
        Ok(pages * size)
    } else {
        Ok(
            sqlx::query_scalar("SELECT pg_database_size(current_database())")
                .fetch_one(&mut *connection)
                .await?,
        )
    }
}
