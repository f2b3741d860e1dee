//! The case service: opening a case and taking an action on it, each in one transaction that
//! holds the version gate, the journal event, the step, the case projection and the projection
//! of its running periods. The engine decides; this module loads what it needs and stores what
//! it decided.

use std::collections::BTreeMap;

use serde_json::json;
use time::Date;

use crate::authz::Subject;
use crate::clock::to_db_time;
use crate::domain::Role;
use crate::engine::{
    self, AsOf, Command, FieldProblem, FieldValue, PeriodCalculator, Refusal, Replay,
};
use crate::procedure::Procedure;
use crate::store::cases::{NewCase, StepOf, date_text};
use crate::store::events::{self, NewEvent};
use crate::store::{Store, StoreError};

/// Why opening or acting on a case failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaseError {
    /// The engine refused the command.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The department is not one the actor may open cases for.
    #[error("the department is outside the actor's scope")]
    DepartmentOutOfScope,
    /// The step's date lies outside what may be recorded: before the definition's statute was in
    /// force (or, for a step, before the case was opened), or after today in China.
    #[error("the step's date {on} is outside {earliest}..={latest}")]
    StepDate {
        /// The date given.
        on: Date,
        /// The earliest date allowed.
        earliest: Date,
        /// The latest date allowed (today).
        latest: Date,
    },
    /// The step's amounts would take a running total past its bound (a refusal, not a failure:
    /// the amounts are what the user typed).
    #[error("a running total would exceed its bound")]
    TotalOutOfRange,
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for CaseError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::TotalOutOfRange => CaseError::TotalOutOfRange,
            other => CaseError::Store(other),
        }
    }
}

impl From<sqlx::Error> for CaseError {
    fn from(error: sqlx::Error) -> Self {
        CaseError::Store(StoreError::Sql(error))
    }
}

/// Refuses a document field whose hash is not an attachment of the case (a document field names
/// a file uploaded to the case, never one from elsewhere).
async fn require_attached(
    tx: &mut sqlx::AnyConnection,
    case_id: Option<i64>,
    fields: &BTreeMap<String, FieldValue>,
) -> Result<(), CaseError> {
    for (id, value) in fields {
        if let FieldValue::Document(hash) = value {
            let attached = match case_id {
                Some(case_id) => Store::has_attachment(&mut *tx, case_id, hash).await?,
                None => false,
            };
            if !attached {
                return Err(unknown_document(id));
            }
        }
    }
    Ok(())
}

/// The refusal of a document field naming no attachment of the case.
pub(crate) fn unknown_document(field: &str) -> CaseError {
    Refusal::InvalidFields {
        problems: vec![(field.to_owned(), FieldProblem::UnknownDocument)],
    }
    .into()
}

pub(crate) fn title_of(procedure: &Procedure, fields: &BTreeMap<String, FieldValue>) -> String {
    let title = match fields.get(procedure.title_field.as_str()) {
        Some(FieldValue::Text(text)) => text.clone(),
        _ => String::new(),
    };
    let title: String = title.chars().take(60).collect();
    if title.is_empty() {
        procedure.name.clone()
    } else {
        title
    }
}

/// The periods to keep for the 工作台 after a step: the case as it will stand if nobody acts
/// (every deemed step taken, and the periods it starts), and, until its last day, each period
/// whose lapse deems a step (视为受理…), so staff are warned before the law acts for them.
/// `replay` is the case replayed up to and including the step; it is consumed.
pub(crate) fn projected_timers(
    procedure: &Procedure,
    mut replay: Replay<'_>,
    calendar: &dyn PeriodCalculator,
) -> Vec<engine::OpenTimer> {
    let deeming: Vec<engine::OpenTimer> = replay
        .open_timers(procedure, calendar)
        .into_iter()
        .filter(|t| t.lapse == engine::LapseKind::Deems)
        .collect();
    replay.project(procedure, calendar);
    let mut timers = replay.open_timers(procedure, calendar);
    let missing: Vec<engine::OpenTimer> = deeming
        .into_iter()
        .filter(|d| !timers.iter().any(|p| p.id == d.id))
        .collect();
    timers.extend(missing);
    timers
}

/// Refuses a step dated outside `earliest ..= today`: a record of something that has not
/// happened yet, or that happened before the statute the definition follows applied (year 0, 1900
/// and 9999 among them), is not a record.
pub(crate) fn check_step_date(
    on: Date,
    earliest: Date,
    now: time::OffsetDateTime,
) -> Result<(), CaseError> {
    let latest = crate::clock::china_date(now);
    if on < earliest || on > latest {
        return Err(CaseError::StepDate {
            on,
            earliest,
            latest,
        });
    }
    Ok(())
}

/// Refuses an opening by a department role for another department (before anything is read).
pub(crate) fn check_actor_department(actor: &Subject, department_id: i64) -> Result<(), CaseError> {
    let own_department_only = matches!(actor.role, Role::DepartmentLegal | Role::Officer);
    if own_department_only && actor.department_id != Some(department_id) {
        return Err(CaseError::DepartmentOutOfScope);
    }
    Ok(())
}

/// Refuses an opening for a department that is not active in the actor's own jurisdiction:
/// `department` is its (active, jurisdiction_id), if it exists.
pub(crate) fn check_department_row(
    actor: &Subject,
    department: Option<(i64, i64)>,
) -> Result<(), CaseError> {
    if department != Some((1, actor.jurisdiction_id)) {
        return Err(CaseError::DepartmentOutOfScope);
    }
    Ok(())
}

/// The body of a `case.opened` event.
pub(crate) fn opened_body(
    procedure: &Procedure,
    number: &str,
    department_id: i64,
    on: Date,
    state: &str,
    fields: &BTreeMap<String, FieldValue>,
) -> serde_json::Value {
    json!({"procedure": procedure.id, "number": number, "department_id": department_id,
        "on": date_text(on), "state": state, "fields": fields})
}

/// The body of a `case.deemed` event: what the law did, on its own day, with its article.
pub(crate) fn deemed_body(
    procedure: &Procedure,
    number: &str,
    deemed: &engine::Step,
) -> serde_json::Value {
    let article = procedure
        .transition(&deemed.action)
        .map_or("", |t| t.article.as_str());
    json!({"procedure": procedure.id, "number": number, "action": deemed.action,
        "on": date_text(deemed.on), "state": deemed.state_after, "deemed_by": deemed.deemed_by,
        "article": article})
}

/// The body of a `case.step` event.
pub(crate) fn step_body(
    procedure: &Procedure,
    number: &str,
    command: &Command,
    accepted: &engine::Accepted,
) -> serde_json::Value {
    json!({"procedure": procedure.id, "number": number, "action": command.action,
        "on": date_text(command.on), "state": accepted.to, "outcome": accepted.outcome,
        "article": accepted.article, "fields": accepted.fields})
}

/// How an accepted step moves the case row.
pub(crate) struct Advance {
    /// The case's fields after the step.
    pub merged: BTreeMap<String, FieldValue>,
    /// Whether the step ends the case.
    pub terminal: bool,
    /// The outcome to record, if any.
    pub outcome: Option<String>,
    /// Versions taken: the deemed steps and the step.
    pub n_steps: i64,
}

/// What `accepted` does to `case`'s row.
pub(crate) fn advance_of(
    procedure: &Procedure,
    case: &engine::Case,
    accepted: &engine::Accepted,
) -> Advance {
    let mut merged = case.fields.clone();
    merged.extend(accepted.fields.clone());
    let terminal = procedure.state(&accepted.to).is_some_and(|s| s.terminal);
    // The deemed steps' outcome counts where the step itself records none (a tacit approval
    // followed by a filing note).
    let outcome = accepted.outcome.clone().or_else(|| {
        accepted
            .deemed
            .iter()
            .rev()
            .find_map(|d| procedure.transition(&d.action)?.outcome.as_ref())
            .map(|o| o.as_str().to_owned())
    });
    let n_steps = i64::try_from(accepted.deemed.len()).unwrap_or(0) + 1;
    Advance {
        merged,
        terminal,
        outcome,
        n_steps,
    }
}

/// Opens a case of `procedure` for `department_id` on `on`; returns its id and number.
#[allow(clippy::too_many_arguments)]
pub async fn open_case(
    store: &Store,
    procedure: &Procedure,
    calendar: &dyn PeriodCalculator,
    actor: &Subject,
    department_id: i64,
    raw_fields: &BTreeMap<String, String>,
    on: Date,
    now: time::OffsetDateTime,
) -> Result<(i64, String), CaseError> {
    check_actor_department(actor, department_id)?;
    let initial = procedure.initial_state().id.as_str().to_owned();
    let at = to_db_time(now);
    let mut tx = store.begin().await?;
    // A case is opened in the actor's own jurisdiction, for one of its active departments: the
    // government above supervises the cases below but does not open them.
    let department: Option<(i64, i64)> =
        sqlx::query_as("SELECT active, jurisdiction_id FROM departments WHERE id = $1")
            .bind(department_id)
            .fetch_optional(&mut *tx)
            .await?;
    check_department_row(actor, department)?;
    let jurisdiction_id = actor.jurisdiction_id;
    let needed = engine::facts_needed(procedure, None, raw_fields);
    let facts = Store::facts(&mut tx, jurisdiction_id, &needed).await?;
    let fields = engine::check_opening(procedure, actor, raw_fields, on, &facts, calendar)?;
    check_step_date(on, procedure.in_force, now)?;
    require_attached(&mut tx, None, &fields).await?;
    let title = title_of(procedure, &fields);
    let (case_id, number) = Store::insert_case(
        &mut tx,
        &NewCase {
            procedure: &procedure.id,
            prefix: &procedure.number_prefix,
            department_id,
            jurisdiction_id,
            title: &title,
            state: &initial,
            opened_by: actor.user_id,
            opened_on: on,
            fields: &fields,
            at: &at,
        },
    )
    .await?;
    let event_id = events::append(
        &mut tx,
        jurisdiction_id,
        &NewEvent {
            kind: "case.opened",
            subject: format!("case:{case_id}"),
            actor_user_id: Some(actor.user_id),
            at: at.clone(),
            body: opened_body(procedure, &number, department_id, on, &initial, &fields),
        },
    )
    .await?;
    Store::insert_step(
        &mut tx,
        StepOf {
            case_id,
            procedure: &procedure.id,
            department_id,
            jurisdiction_id,
        },
        1,
        "open",
        on,
        &initial,
        actor.user_id,
        &fields,
        event_id,
        &at,
        None,
    )
    .await?;
    let users = Store::accounts_named(&mut tx, &engine::people_named(procedure, &fields)).await?;
    Store::assign(&mut tx, case_id, &users).await?;
    let (_, case) = Store::load_case(&mut tx, case_id).await?;
    let timers = projected_timers(
        procedure,
        Replay::of(procedure, &case, AsOf::Day(on), calendar),
        calendar,
    );
    Store::replace_timers(&mut tx, case_id, &timers).await?;
    tx.commit().await?;
    Ok((case_id, number))
}

/// Takes `command` on case `case_id`. Exactly one of two commands made against the same version
/// succeeds; the other gets [`Refusal::StaleVersion`] and nothing of it is written.
pub async fn act(
    store: &Store,
    procedure: &Procedure,
    calendar: &dyn PeriodCalculator,
    case_id: i64,
    command: &Command,
    now: time::OffsetDateTime,
) -> Result<(), CaseError> {
    let at = to_db_time(now);
    let mut tx = store.begin().await?;
    let (row, case) = Store::load_case(&mut tx, case_id).await?;
    if row.procedure != procedure.id {
        return Err(StoreError::NotFound.into());
    }
    let needed = engine::facts_needed(procedure, Some(&case), &command.fields);
    let facts = Store::facts(&mut tx, row.jurisdiction_id, &needed).await?;
    // One replay serves the check, the steps the law deemed taken since, and the projection.
    let mut replay = Replay::of(procedure, &case, AsOf::Day(command.on), calendar);
    let accepted = engine::check_replayed(procedure, &case, &replay, command, &facts, calendar)?;
    // After the engine's refusals (role, scope, state come first), before anything is written.
    check_step_date(command.on, case.opened_on.max(procedure.in_force), now)?;
    require_attached(&mut tx, Some(case_id), &accepted.fields).await?;
    let Advance {
        merged,
        terminal,
        outcome,
        n_steps,
    } = advance_of(procedure, &case, &accepted);
    // The version gate comes first, so a concurrent second command stops here.
    let advanced = Store::advance_case(
        &mut tx,
        case_id,
        command.expected_version,
        n_steps,
        &accepted.to,
        &merged,
        outcome.as_deref(),
        terminal.then_some(command.on),
        &at,
    )
    .await?;
    if !advanced {
        return Err(Refusal::StaleVersion {
            expected: command.expected_version,
            actual: command.expected_version + 1,
        }
        .into());
    }
    let of = StepOf {
        case_id,
        procedure: &procedure.id,
        department_id: row.department_id,
        jurisdiction_id: row.jurisdiction_id,
    };
    let mut seq = case.version;
    // What the law did since anyone last acted is stored now, before this step, as it happened:
    // on its own day, by the period that lapsed, with its article.
    for deemed in &accepted.deemed {
        seq += 1;
        let event_id = events::append(
            &mut tx,
            row.jurisdiction_id,
            &NewEvent {
                kind: "case.deemed",
                subject: format!("case:{case_id}"),
                actor_user_id: None,
                at: at.clone(),
                body: deemed_body(procedure, &row.number, deemed),
            },
        )
        .await?;
        Store::insert_step(
            &mut tx,
            of,
            seq,
            &deemed.action,
            deemed.on,
            &deemed.state_after,
            command.actor.user_id,
            &deemed.fields,
            event_id,
            &at,
            deemed.deemed_by.as_deref(),
        )
        .await?;
    }
    let event_id = events::append(
        &mut tx,
        row.jurisdiction_id,
        &NewEvent {
            kind: "case.step",
            subject: format!("case:{case_id}"),
            actor_user_id: Some(command.actor.user_id),
            at: at.clone(),
            body: step_body(procedure, &row.number, command, &accepted),
        },
    )
    .await?;
    seq += 1;
    Store::insert_step(
        &mut tx,
        of,
        seq,
        &command.action,
        command.on,
        &accepted.to,
        command.actor.user_id,
        &accepted.fields,
        event_id,
        &at,
        None,
    )
    .await?;
    let users =
        Store::accounts_named(&mut tx, &engine::people_named(procedure, &accepted.fields)).await?;
    Store::assign(&mut tx, case_id, &users).await?;
    replay.record(
        procedure,
        std::borrow::Cow::Owned(engine::Step {
            action: command.action.clone(),
            on: command.on,
            state_after: accepted.to,
            fields: accepted.fields,
            deemed_by: None,
        }),
        calendar,
    );
    let timers = projected_timers(procedure, replay, calendar);
    Store::replace_timers(&mut tx, case_id, &timers).await?;
    tx.commit().await?;
    Ok(())
}
