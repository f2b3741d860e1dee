//! The procedure engine: decides whether a command may happen to a case under its procedure
//! definition, and which statutory periods are then running and when they fall due.
//!
//! Everything here is pure: the caller loads the case (its state, version, fields and history)
//! and the facts the guards need (officers' certificates), and stores the result, the event and
//! the projections in one transaction. The engine does no IO, reads no clock and knows no HTTP;
//! dates come in with the command, and period arithmetic comes in through [`PeriodCalculator`].

mod fields;
mod timers;

pub use fields::{FieldValue, parse_date as fields_parse_date, parse_field};
pub use timers::{Due, OpenTimer, PeriodCalculator, open_timers};

use std::collections::BTreeMap;

use time::Date;

use crate::authz::Subject;
use crate::domain::Role;
use crate::procedure::{Procedure, Transition};

/// One step already taken on a case, as the engine needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The action (`open` for the case's opening).
    pub action: String,
    /// The date the step took effect.
    pub on: Date,
    /// The state after the step.
    pub state_after: String,
    /// The fields the step recorded.
    pub fields: BTreeMap<String, FieldValue>,
}

/// A case as the engine sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Current state.
    pub state: String,
    /// Version: the number of steps taken; a command names the version it was made against.
    pub version: i64,
    /// The department the case belongs to.
    pub department_id: i64,
    /// The account that opened the case (an officer's own cases are those they opened or were
    /// named on).
    pub opened_by: i64,
    /// Accounts named on the case (investigating officers etc.).
    pub assigned: Vec<i64>,
    /// The date the case was opened (filed / received).
    pub opened_on: Date,
    /// Current value of every field recorded so far (later steps overwrite earlier ones).
    pub fields: BTreeMap<String, FieldValue>,
    /// Every step, oldest first.
    pub history: Vec<Step>,
}

/// What a user asks the engine to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// Who asks.
    pub actor: Subject,
    /// The action.
    pub action: String,
    /// The date the action takes effect.
    pub on: Date,
    /// The fields submitted, as raw text by field id.
    pub fields: BTreeMap<String, String>,
    /// The case version the user saw.
    pub expected_version: i64,
}

/// An enforcement certificate held by an officer, as recorded in the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// The person holding it.
    pub person_id: i64,
    /// Certificate number.
    pub number: String,
    /// First day of validity.
    pub valid_from: Date,
    /// Last day of validity.
    pub valid_until: Date,
    /// Whether it was revoked.
    pub revoked: bool,
}

/// Facts from outside the case that the guards need, loaded by the caller.
#[derive(Debug, Clone, Default)]
pub struct GuardFacts {
    /// Certificates of the officers named on the command or the case.
    pub certificates: Vec<Certificate>,
}

/// Why a command was refused; the web layer turns the code into Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The procedure has no such action.
    #[error("unknown action {0:?}")]
    UnknownAction(String),
    /// The action cannot be taken in the case's state.
    #[error("action {action:?} is not allowed in state {state:?}")]
    NotAllowedInState {
        /// The action.
        action: String,
        /// The case's state.
        state: String,
    },
    /// The actor's role may not take the action.
    #[error("role {role:?} may not take action {action:?}")]
    RoleNotAllowed {
        /// The role.
        role: Role,
        /// The action.
        action: String,
    },
    /// The case is outside the actor's department or own cases.
    #[error("the case is outside the actor's scope")]
    OutOfScope,
    /// The case changed since the user loaded it.
    #[error("stale version: expected {expected}, case is at {actual}")]
    StaleVersion {
        /// The version the user saw.
        expected: i64,
        /// The case's version now.
        actual: i64,
    },
    /// A required field is missing.
    #[error("required field {0:?} is missing")]
    MissingField(String),
    /// A field's value is not valid for its type.
    #[error("field {field:?} is invalid: {code}")]
    InvalidField {
        /// The field.
        field: String,
        /// The problem's code.
        code: &'static str,
    },
    /// A statutory gate does not hold.
    #[error("guard {guard:?} failed ({article})")]
    GuardFailed {
        /// The guard.
        guard: String,
        /// The article it enforces.
        article: String,
        /// What is missing, by code.
        reason: &'static str,
    },
}

/// A command the engine accepted: the state to move to and the parsed fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    /// The state after the action.
    pub to: String,
    /// The fields, parsed.
    pub fields: BTreeMap<String, FieldValue>,
    /// The outcome recorded, if the action decides the case.
    pub outcome: Option<String>,
    /// The article the action rests on.
    pub article: String,
}

/// Whether `actor` may act on `case` at all (department scope; an officer only on own cases).
pub fn in_scope(actor: &Subject, case: &Case) -> bool {
    match actor.role {
        Role::Admin | Role::JusticeStaff => true,
        Role::DepartmentLegal => actor.department_id == Some(case.department_id),
        Role::Officer => {
            actor.department_id == Some(case.department_id)
                && (case.opened_by == actor.user_id || case.assigned.contains(&actor.user_id))
        }
        Role::Leader => false,
    }
}

/// Checks `command` against `procedure` for `case`; returns what to record, or why not.
pub fn check(
    procedure: &Procedure,
    case: &Case,
    command: &Command,
    facts: &GuardFacts,
) -> Result<Accepted, EngineError> {
    let transition = procedure
        .transition(&command.action)
        .ok_or_else(|| EngineError::UnknownAction(command.action.clone()))?;
    if command.expected_version != case.version {
        return Err(EngineError::StaleVersion {
            expected: command.expected_version,
            actual: case.version,
        });
    }
    if !in_scope(&command.actor, case) {
        return Err(EngineError::OutOfScope);
    }
    if !transition
        .roles
        .iter()
        .any(|r| r == command.actor.role.code())
    {
        return Err(EngineError::RoleNotAllowed {
            role: command.actor.role,
            action: command.action.clone(),
        });
    }
    if !transition.from.contains(&case.state) {
        return Err(EngineError::NotAllowedInState {
            action: command.action.clone(),
            state: case.state.clone(),
        });
    }
    let fields = parse_fields(procedure, transition, &command.fields, case)?;
    for guard in &transition.guards {
        guard_holds(guard, transition, case, command, &fields, facts)?;
    }
    Ok(Accepted {
        to: transition.to.clone(),
        fields,
        outcome: transition.outcome.clone(),
        article: transition.article.clone(),
    })
}

/// Checks the fields of a case's opening: every submitted field must parse, and dates may not
/// lie after `opened_on`... they may lie before it (a request received yesterday is registered
/// today), so only types are checked here.
pub fn check_opening(
    procedure: &Procedure,
    actor: &Subject,
    raw: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, FieldValue>, EngineError> {
    if !procedure.opened_by.iter().any(|r| r == actor.role.code()) {
        return Err(EngineError::RoleNotAllowed {
            role: actor.role,
            action: "open".to_owned(),
        });
    }
    let mut parsed = BTreeMap::new();
    for (id, text) in raw {
        if text.trim().is_empty() {
            continue;
        }
        let field = procedure
            .field(id)
            .ok_or_else(|| EngineError::InvalidField {
                field: id.clone(),
                code: "unknown_field",
            })?;
        let value = parse_field(field, text).map_err(|code| EngineError::InvalidField {
            field: id.clone(),
            code,
        })?;
        parsed.insert(id.clone(), value);
    }
    Ok(parsed)
}

fn parse_fields(
    procedure: &Procedure,
    transition: &Transition,
    raw: &BTreeMap<String, String>,
    case: &Case,
) -> Result<BTreeMap<String, FieldValue>, EngineError> {
    let mut parsed = BTreeMap::new();
    for (id, text) in raw {
        if text.trim().is_empty() {
            continue;
        }
        let field = procedure
            .field(id)
            .ok_or_else(|| EngineError::InvalidField {
                field: id.clone(),
                code: "unknown_field",
            })?;
        let value = parse_field(field, text).map_err(|code| EngineError::InvalidField {
            field: id.clone(),
            code,
        })?;
        parsed.insert(id.clone(), value);
    }
    for required in &transition.required {
        // A required field may have been recorded by an earlier step (e.g. the party at filing).
        if !parsed.contains_key(required) && !case.fields.contains_key(required) {
            return Err(EngineError::MissingField(required.clone()));
        }
    }
    Ok(parsed)
}

fn has_step(case: &Case, action: &str) -> bool {
    case.history.iter().any(|step| step.action == action)
}

/// The position of the last step with one of `actions`, if any.
fn last_step(case: &Case, actions: &[&str]) -> Option<usize> {
    case.history
        .iter()
        .rposition(|step| actions.contains(&step.action.as_str()))
}

fn flag(case: &Case, fields: &BTreeMap<String, FieldValue>, id: &str) -> bool {
    matches!(
        fields.get(id).or_else(|| case.fields.get(id)),
        Some(FieldValue::Bool(true))
    )
}

fn guard_holds(
    guard: &str,
    transition: &Transition,
    case: &Case,
    command: &Command,
    fields: &BTreeMap<String, FieldValue>,
    facts: &GuardFacts,
) -> Result<(), EngineError> {
    let fail = |article: &str, reason: &'static str| {
        Err(EngineError::GuardFailed {
            guard: guard.to_owned(),
            article: article.to_owned(),
            reason,
        })
    };
    match guard {
        "two_certified_officers" => {
            let officers = match fields
                .get("investigators")
                .or_else(|| case.fields.get("investigators"))
            {
                Some(FieldValue::Officers(ids)) => ids.clone(),
                Some(FieldValue::Officer(id)) => vec![*id],
                _ => Vec::new(),
            };
            let certified = officers
                .iter()
                .filter(|person| {
                    facts.certificates.iter().any(|c| {
                        c.person_id == **person
                            && !c.revoked
                            && c.valid_from <= command.on
                            && command.on <= c.valid_until
                    })
                })
                .count();
            if certified < 2 {
                return fail(
                    "行政处罚法第四十二条、第五十五条",
                    "fewer_than_two_certified_officers",
                );
            }
            Ok(())
        }
        "legal_review_passed" => {
            if flag(case, fields, "major_case") {
                let passed = last_step(case, &["pass_legal_review"]);
                let returned = last_step(case, &["return_from_review"]);
                if passed.is_none() || returned > passed {
                    return fail("行政处罚法第五十八条", "legal_review_not_passed");
                }
            }
            Ok(())
        }
        "collective_discussion_held" => {
            if flag(case, fields, "collective_required")
                && !has_step(case, "hold_collective_discussion")
            {
                return fail(
                    "行政处罚法第五十七条第二款",
                    "collective_discussion_missing",
                );
            }
            Ok(())
        }
        "rights_notified" => {
            if !has_step(case, "notify_rights") {
                return fail("行政处罚法第四十四条、第六十二条", "rights_not_notified");
            }
            Ok(())
        }
        "hearing_settled" => {
            let requested = last_step(case, &["request_hearing"]);
            let settled = last_step(case, &["hold_hearing", "hearing_waived"]);
            if requested.is_some() && settled < requested {
                return fail("行政处罚法第六十三条至第六十五条", "hearing_pending");
            }
            Ok(())
        }
        "dates_not_before_filing" => {
            for value in fields.values() {
                if let FieldValue::Date(date) = value
                    && *date < case.opened_on
                {
                    return fail(&transition.article, "date_before_filing");
                }
            }
            if command.on < case.opened_on {
                return fail(&transition.article, "date_before_filing");
            }
            Ok(())
        }
        "simplified_penalty_limits" => {
            let penalty = fields
                .get("penalty_type")
                .or_else(|| case.fields.get("penalty_type"));
            let kind = fields
                .get("party_kind")
                .or_else(|| case.fields.get("party_kind"));
            let fine = match fields
                .get("fine_amount")
                .or_else(|| case.fields.get("fine_amount"))
            {
                Some(FieldValue::Money(fen)) => *fen,
                _ => 0,
            };
            let is_warning_or_fine =
                matches!(penalty, Some(FieldValue::Text(p)) if p == "警告" || p == "罚款");
            // 行政处罚法第五十一条: 200 yuan (20,000 fen) for a citizen, 3,000 yuan for an organisation.
            let limit_fen = if matches!(kind, Some(FieldValue::Text(k)) if k == "公民") {
                20_000
            } else {
                300_000
            };
            if !is_warning_or_fine || fine > limit_fen {
                return fail("行政处罚法第五十一条", "beyond_simplified_limits");
            }
            Ok(())
        }
        "extension_not_used" => {
            if has_step(case, &command.action) {
                return fail(&transition.article, "already_extended");
            }
            Ok(())
        }
        _ => fail("", "unknown_guard"),
    }
}

#[cfg(test)]
mod tests;
