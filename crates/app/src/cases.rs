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
use crate::engine::{self, AsOf, Command, FieldProblem, FieldValue, PeriodCalculator, Refusal, Replay};
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
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
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
                return Err(Refusal::InvalidFields {
                    problems: vec![(id.clone(), FieldProblem::UnknownDocument)],
                }
                .into());
            }
        }
    }
    Ok(())
}

fn title_of(procedure: &Procedure, fields: &BTreeMap<String, FieldValue>) -> String {
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
    let own_department_only = matches!(actor.role, Role::DepartmentLegal | Role::Officer);
    if own_department_only && actor.department_id != Some(department_id) {
        return Err(CaseError::DepartmentOutOfScope);
    }
    let initial = procedure.initial_state().id.as_str().to_owned();
    let at = to_db_time(now);
    let mut tx = store.begin().await?;
    let needed = engine::facts_needed(procedure, None, raw_fields);
    let facts = Store::facts(&mut tx, &needed).await?;
    let fields = engine::check_opening(procedure, actor, raw_fields, on, &facts, calendar)?;
    let active: Option<i64> = sqlx::query_scalar("SELECT active FROM departments WHERE id = $1")
        .bind(department_id)
        .fetch_optional(&mut *tx)
        .await?;
    if active != Some(1) {
        return Err(CaseError::DepartmentOutOfScope);
    }
    require_attached(&mut tx, None, &fields).await?;
    let title = title_of(procedure, &fields);
    let (case_id, number) = Store::insert_case(
        &mut tx,
        &NewCase {
            procedure: &procedure.id,
            prefix: &procedure.number_prefix,
            department_id,
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
        &NewEvent {
            kind: "case.opened",
            subject: format!("case:{case_id}"),
            actor_user_id: Some(actor.user_id),
            at: at.clone(),
            body: json!({"procedure": procedure.id, "number": number, "department_id": department_id,
                "on": date_text(on), "state": initial, "fields": fields}),
        },
    )
    .await?;
    Store::insert_step(
        &mut tx,
        StepOf {
            case_id,
            procedure: &procedure.id,
            department_id,
        },
        1,
        "open",
        on,
        &initial,
        actor.user_id,
        &fields,
        event_id,
        &at,
    )
    .await?;
    let users = Store::accounts_named(&mut tx, &engine::people_named(procedure, &fields)).await?;
    Store::assign(&mut tx, case_id, &users).await?;
    let (_, case) = Store::load_case(&mut tx, case_id).await?;
    let timers = Replay::of(procedure, &case, AsOf::Projected, calendar).open_timers(procedure, calendar);
    Store::replace_timers(&mut tx, case_id, &timers).await?;
    tx.commit().await?;
    Ok((case_id, number))
}

/// Takes `command` on case `case_id`. Exactly one of two commands made against the same version
/// succeeds; the other gets [`EngineError::StaleVersion`] and nothing of it is written.
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
    let (row, mut case) = Store::load_case(&mut tx, case_id).await?;
    if row.procedure != procedure.id {
        return Err(StoreError::NotFound.into());
    }
    let needed = engine::facts_needed(procedure, Some(&case), &command.fields);
    let facts = Store::facts(&mut tx, &needed).await?;
    let accepted = engine::check(procedure, &case, command, &facts, calendar)?;
    require_attached(&mut tx, Some(case_id), &accepted.fields).await?;
    let mut merged = case.fields.clone();
    merged.extend(accepted.fields.clone());
    let terminal = procedure.state(&accepted.to).is_some_and(|s| s.terminal);
    // The version gate comes first, so a concurrent second command stops here.
    let advanced = Store::advance_case(
        &mut tx,
        case_id,
        command.expected_version,
        &accepted.to,
        &merged,
        accepted.outcome.as_deref(),
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
    let event_id = events::append(
        &mut tx,
        &NewEvent {
            kind: "case.step",
            subject: format!("case:{case_id}"),
            actor_user_id: Some(command.actor.user_id),
            at: at.clone(),
            body: json!({"procedure": procedure.id, "number": row.number, "action": command.action,
                "on": date_text(command.on), "state": accepted.to, "outcome": accepted.outcome,
                "article": accepted.article, "fields": accepted.fields}),
        },
    )
    .await?;
    let seq = case.version + 1;
    Store::insert_step(
        &mut tx,
        StepOf {
            case_id,
            procedure: &procedure.id,
            department_id: row.department_id,
        },
        seq,
        &command.action,
        command.on,
        &accepted.to,
        command.actor.user_id,
        &accepted.fields,
        event_id,
        &at,
    )
    .await?;
    let users =
        Store::accounts_named(&mut tx, &engine::people_named(procedure, &accepted.fields)).await?;
    Store::assign(&mut tx, case_id, &users).await?;
    case.state = accepted.to.clone();
    case.version = seq;
    case.fields = merged;
    case.history.push(engine::Step {
        action: command.action.clone(),
        on: command.on,
        state_after: accepted.to,
        fields: accepted.fields,
        deemed_by: None,
    });
    let timers = Replay::of(procedure, &case, AsOf::Projected, calendar).open_timers(procedure, calendar);
    Store::replace_timers(&mut tx, case_id, &timers).await?;
    tx.commit().await?;
    Ok(())
}
