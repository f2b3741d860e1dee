//! The engine: whether a command may happen to a case under its definition. It names no field,
//! step or state of any procedure; every rule it applies is read from the definition.
//!
//! Everything here is pure: the caller loads the case (its state, version, fields and history)
//! and the facts about the people and departments the command names ([`facts_needed`]), and
//! stores the result. Dates come in with the command; period arithmetic through
//! [`PeriodCalculator`].

use std::collections::{BTreeMap, BTreeSet};

use time::Date;

use crate::fields::{FieldProblem, FieldValue, parse_field, parse_trimmed, trim};
use crate::model::{Check, Condition, DateRef, FieldKind, Guard, Procedure, Transition};
use crate::org::{Registry, Role, Subject};
use crate::refusal::{ExtensionProblem, GuardRefusal, Refusal};
use crate::replay::{AsOf, PeriodCalculator, Replay};

/// One step taken on a case, as the engine needs it.
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
    /// For a step the law deems taken, the timer whose lapse took it.
    pub deemed_by: Option<String>,
}

/// A case as the engine sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Current state, as stored (deemed steps not applied).
    pub state: String,
    /// Version: the number of steps taken; a command names the version it was made against.
    pub version: i64,
    /// The department the case belongs to.
    pub department_id: i64,
    /// The jurisdiction the case belongs to (its department's).
    pub jurisdiction_id: i64,
    /// The account that opened the case.
    pub opened_by: i64,
    /// Accounts named on the case.
    pub assigned: Vec<i64>,
    /// The date the case was opened (registered / received).
    pub opened_on: Date,
    /// Current value of every field recorded so far.
    pub fields: BTreeMap<String, FieldValue>,
    /// Every stored step, oldest first.
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

/// A person's entry on a registry, as the caller loaded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryEntry {
    /// The registry.
    pub registry: Registry,
    /// The person (an account id for [`Registry::StaffAccounts`]).
    pub person_id: i64,
    /// The person's department, if they belong to one.
    pub department_id: Option<i64>,
    /// First day of validity, if limited (a certificate's).
    pub valid_from: Option<Date>,
    /// Last day of validity, if limited.
    pub valid_until: Option<Date>,
    /// Whether the entry was revoked.
    pub revoked: bool,
    /// Its number (a certificate's), for messages.
    pub number: String,
}

impl RegistryEntry {
    fn valid_on(&self, day: Date) -> bool {
        !self.revoked
            && self.valid_from.is_none_or(|from| from <= day)
            && self.valid_until.is_none_or(|until| day <= until)
    }
}

/// A department, as the caller loaded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DepartmentFact {
    /// Its id.
    pub id: i64,
    /// Whether it is active.
    pub active: bool,
}

/// Facts from outside the case that the checks need.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Registry entries of the people named.
    pub people: Vec<RegistryEntry>,
    /// The departments named.
    pub departments: Vec<DepartmentFact>,
}

/// What the caller must load for [`check`]: the people named in person fields (of the command
/// and of the case so far), by registry, and the departments named.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactsNeeded {
    /// (registry, id) pairs.
    pub people: BTreeSet<(Registry, i64)>,
    /// Department ids.
    pub departments: BTreeSet<i64>,
}

/// The people and departments `raw` and `case` name.
pub fn facts_needed(
    procedure: &Procedure,
    case: Option<&Case>,
    raw: &BTreeMap<String, String>,
) -> FactsNeeded {
    let mut needed = FactsNeeded::default();
    let mut note = |field: &crate::model::Field, value: &FieldValue| match (&field.kind, value) {
        (FieldKind::Person(registry), _) => {
            needed
                .people
                .extend(value.people().iter().map(|id| (*registry, *id)));
        }
        (FieldKind::Department, FieldValue::Department(id)) => {
            needed.departments.insert(*id);
        }
        _ => {}
    };
    // Only person and department fields name facts; nothing else is parsed or copied here.
    let names_facts = |field: &crate::model::Field| {
        matches!(field.kind, FieldKind::Person(_) | FieldKind::Department)
    };
    for (id, text) in raw {
        if let Some(field) = procedure.field(id).filter(|f| names_facts(f))
            && let Ok(value) = parse_field(field, text)
        {
            note(field, &value);
        }
    }
    for (id, value) in case.into_iter().flat_map(|c| c.fields.iter()) {
        if let Some(field) = procedure.field(id).filter(|f| names_facts(f)) {
            note(field, value);
        }
    }
    needed
}

/// The people `fields` name, by registry (to make them assignees of the case).
pub fn people_named(
    procedure: &Procedure,
    fields: &BTreeMap<String, FieldValue>,
) -> Vec<(Registry, i64)> {
    fields
        .iter()
        .filter_map(|(id, value)| match procedure.field(id).map(|f| &f.kind) {
            Some(FieldKind::Person(registry)) => Some((*registry, value.people().to_vec())),
            _ => None,
        })
        .flat_map(|(registry, ids)| ids.into_iter().map(move |id| (registry, id)))
        .collect()
}

/// A command the engine accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    /// The steps the law deemed taken since the last stored step (视为受理…), to be recorded
    /// before this one, in order.
    pub deemed: Vec<Step>,
    /// The state after the action.
    pub to: String,
    /// The fields, parsed.
    pub fields: BTreeMap<String, FieldValue>,
    /// The outcome recorded, if the action decides the case.
    pub outcome: Option<String>,
    /// The article the action rests on.
    pub article: String,
}

/// Whether `actor` may act on `case` at all: a case of the actor's own jurisdiction (a
/// government above supervises the cases below but does not take their steps), of the actor's
/// department for department roles, and an officer's own cases only.
#[inline]
pub fn in_scope(actor: &Subject, case: &Case) -> bool {
    if actor.jurisdiction_id != case.jurisdiction_id {
        return false;
    }
    match actor.role {
        Role::Admin | Role::JusticeStaff => true,
        Role::DepartmentLegal => actor.department_id == Some(case.department_id),
        Role::Officer => actor.department_id == Some(case.department_id) && is_named(actor, case),
        Role::Leader => false,
    }
}

fn is_named(actor: &Subject, case: &Case) -> bool {
    case.opened_by == actor.user_id || case.assigned.contains(&actor.user_id)
}

/// Checks `command` against `procedure` for `case`; returns what to record, or why not.
pub fn check(
    procedure: &Procedure,
    case: &Case,
    command: &Command,
    facts: &Facts,
    calendar: &dyn PeriodCalculator,
) -> Result<Accepted, Refusal> {
    let replay = Replay::of(procedure, case, AsOf::Day(command.on), calendar);
    check_replayed(procedure, case, &replay, command, facts, calendar)
}

/// [`check`] on a replay the caller made of `case` as of the command's date (so that the caller
/// can [`Replay::record`] the accepted step and project the periods without replaying again).
pub fn check_replayed(
    procedure: &Procedure,
    case: &Case,
    replay: &Replay<'_>,
    command: &Command,
    facts: &Facts,
    calendar: &dyn PeriodCalculator,
) -> Result<Accepted, Refusal> {
    let (position, transition) =
        procedure
            .transition_at(&command.action)
            .ok_or_else(|| Refusal::UnknownAction {
                action: command.action.clone(),
            })?;
    if command.expected_version != case.version {
        return Err(Refusal::StaleVersion {
            expected: command.expected_version,
            actual: case.version,
        });
    }
    if !in_scope(&command.actor, case) {
        return Err(Refusal::OutOfScope);
    }
    if !transition.allows_role(command.actor.role) {
        return Err(Refusal::RoleNotAllowed {
            role: command.actor.role,
            action: command.action.clone(),
        });
    }
    if transition.assigned_only && !is_named(&command.actor, case) {
        return Err(Refusal::NotAssigned {
            action: command.action.clone(),
        });
    }
    if !transition.allowed_from(&replay.state) {
        return Err(Refusal::NotAllowedInState {
            action: command.action.clone(),
            state: replay.state.clone(),
        });
    }
    let (fields, required_given) = parse_fields(
        procedure,
        &command.actor,
        &command.fields,
        Some((position, transition)),
        facts,
    )?;
    // Usually the step gives every field it requires, and nothing needs looking up.
    if required_given < transition.required.len() {
        let missing: Vec<String> = transition
            .required
            .iter()
            .filter(|f| !fields.contains_key(f.as_str()) && !replay.fields.contains_key(f.as_str()))
            .map(|f| f.as_str().to_owned())
            .collect();
        if !missing.is_empty() {
            return Err(Refusal::MissingFields { fields: missing });
        }
    }
    let context = Context {
        procedure,
        opened_on: case.opened_on,
        on: command.on,
        fields: &fields,
        recorded: replay.fields,
        replay: Some(replay),
        facts,
        calendar,
    };
    // The definition's own guards speak first (e.g. "this rule allows no extension").
    for guard in &transition.guards {
        context.holds(guard)?;
    }
    check_extension(&context, transition, position)?;
    Ok(Accepted {
        deemed: replay.deemed_since_last_stored(),
        to: transition.to.as_str().to_owned(),
        fields,
        outcome: transition.outcome.as_ref().map(|o| o.as_str().to_owned()),
        article: transition.article.clone(),
    })
}

/// Checks the opening of a case on `on`: the actor's role, every submitted field, and the
/// definition's opening guards (where the step's date is the opening date).
pub fn check_opening(
    procedure: &Procedure,
    actor: &Subject,
    raw: &BTreeMap<String, String>,
    on: Date,
    facts: &Facts,
    calendar: &dyn PeriodCalculator,
) -> Result<BTreeMap<String, FieldValue>, Refusal> {
    if !procedure.opened_by.contains(&actor.role) {
        return Err(Refusal::RoleNotAllowed {
            role: actor.role,
            action: crate::model::OPEN.to_owned(),
        });
    }
    let (fields, _) = parse_fields(procedure, actor, raw, None, facts)?;
    let none = BTreeMap::new();
    let context = Context {
        procedure,
        opened_on: on,
        on,
        fields: &fields,
        recorded: &none,
        replay: None,
        facts,
        calendar,
    };
    for guard in &procedure.opening_guards {
        context.holds(guard)?;
    }
    Ok(fields)
}

/// Parses every submitted field and checks every person and department named against its
/// registry and the actor's scope; all problems at once. Also says how many of the parsed
/// fields `offered_by` requires.
fn parse_fields(
    procedure: &Procedure,
    actor: &Subject,
    raw: &BTreeMap<String, String>,
    offered_by: Option<(usize, &Transition)>,
    facts: &Facts,
) -> Result<(BTreeMap<String, FieldValue>, usize), Refusal> {
    let mut parsed = BTreeMap::new();
    let mut required_given = 0;
    let mut problems = Vec::new();
    let scoped = actor.role.needs_department();
    for (id, text) in raw {
        let text = trim(text);
        if text.is_empty() {
            continue;
        }
        let (field, required) = match offered_by {
            // A step records what it offers, nothing else (an API client cannot slip in a
            // field). What it offers was resolved to fields when the definition was loaded.
            Some((position, t)) => {
                let offered = t.required.iter().chain(&t.optional).position(|f| f == id);
                let field = offered
                    .and_then(|j| procedure.index.offered.get(position)?.get(j))
                    .and_then(|f| procedure.fields.get(*f));
                match (field, offered) {
                    (Some(field), Some(j)) => (field, j < t.required.len()),
                    _ => {
                        let problem = match procedure.field(id) {
                            Some(_) => FieldProblem::NotOffered,
                            None => FieldProblem::UnknownField,
                        };
                        problems.push((id.clone(), problem));
                        continue;
                    }
                }
            }
            // The opening records its opening fields only: a decision number or a fine at
            // registration would skip the checks of the step that records it.
            None => match procedure.field(id) {
                Some(field) if procedure.opening_fields.iter().any(|f| f == id) => (field, false),
                Some(_) => {
                    problems.push((id.clone(), FieldProblem::NotOffered));
                    continue;
                }
                None => {
                    problems.push((id.clone(), FieldProblem::UnknownField));
                    continue;
                }
            },
        };
        let value = match parse_trimmed(field, text) {
            Ok(value) => value,
            Err(problem) => {
                problems.push((id.clone(), problem));
                continue;
            }
        };
        let problem = match (&field.kind, &value) {
            (FieldKind::Person(registry), _) => value.people().iter().find_map(|person| {
                let mut entries = facts
                    .people
                    .iter()
                    .filter(|e| e.registry == *registry && e.person_id == *person && !e.revoked)
                    .peekable();
                if entries.peek().is_none() {
                    Some(FieldProblem::NotInRegistry)
                } else if scoped
                    && !entries.any(|e| {
                        e.department_id.is_some() && e.department_id == actor.department_id
                    })
                {
                    Some(FieldProblem::PersonOutOfScope)
                } else {
                    None
                }
            }),
            (FieldKind::Department, FieldValue::Department(department)) => {
                if !facts
                    .departments
                    .iter()
                    .any(|d| d.id == *department && d.active)
                {
                    Some(FieldProblem::UnknownDepartment)
                } else if scoped && actor.department_id != Some(*department) {
                    Some(FieldProblem::DepartmentOutOfScope)
                } else {
                    None
                }
            }
            _ => None,
        };
        match problem {
            Some(problem) => problems.push((id.clone(), problem)),
            None => {
                parsed.insert(id.clone(), value);
                required_given += usize::from(required);
            }
        }
    }
    if problems.is_empty() {
        Ok((parsed, required_given))
    } else {
        Err(Refusal::InvalidFields { problems })
    }
}

/// An extension step: the period runs and has not lapsed, may still be extended, and the
/// length asked is within the maximum.
#[inline]
fn check_extension(
    context: &Context<'_>,
    transition: &Transition,
    position: usize,
) -> Result<(), Refusal> {
    let Some(replay) = context.replay else {
        return Ok(());
    };
    let procedure = context.procedure;
    // Most steps extend nothing.
    let Some(extends) = procedure
        .index
        .extends
        .get(position)
        .filter(|e| !e.is_empty())
    else {
        return Ok(());
    };
    let extended: Vec<&crate::model::Timer> = extends
        .iter()
        .filter_map(|i| procedure.timers.get(*i))
        .collect();
    let refuse = |problem, timer: &crate::model::Timer, max| {
        Err(Refusal::Extension {
            problem,
            timer: timer.label.clone(),
            article: transition.article.clone(),
            max,
        })
    };
    let running = extended.iter().find_map(|timer| {
        replay
            .run(procedure, timer.id.as_str())
            .and_then(|(t, run)| replay.extension_of(t).map(|e| (t, run, e)))
            .filter(|(_, _, e)| e.action == transition.action)
    });
    let Some((timer, run, extension)) = running else {
        return match extended.first() {
            Some(timer) => refuse(ExtensionProblem::NotRunning, timer, None),
            None => Ok(()),
        };
    };
    let due = replay.due(timer, run, context.calendar);
    if due.is_some_and(|d| d.date < context.on) {
        return refuse(ExtensionProblem::Lapsed, timer, None);
    }
    if run.extensions >= extension.times {
        return refuse(ExtensionProblem::Exhausted, timer, None);
    }
    if let Some(field) = &extension.notice_field
        && !context.fields.contains_key(field.as_str())
    {
        return Err(Refusal::MissingFields {
            fields: vec![field.as_str().to_owned()],
        });
    }
    if let Some(field) = &extension.length_field {
        match context.fields.get(field.as_str()) {
            Some(FieldValue::Number(0)) => {
                return refuse(ExtensionProblem::ZeroLength, timer, Some(extension.max));
            }
            Some(FieldValue::Number(n)) if *n > i64::from(extension.max.n) => {
                return refuse(ExtensionProblem::TooLong, timer, Some(extension.max));
            }
            _ => {}
        }
    }
    Ok(())
}

/// What a guard reads.
struct Context<'a> {
    procedure: &'a Procedure,
    opened_on: Date,
    on: Date,
    /// The step's fields.
    fields: &'a BTreeMap<String, FieldValue>,
    /// What the case recorded before.
    recorded: &'a BTreeMap<String, FieldValue>,
    /// The case replayed to the step's date (`None` at the opening).
    replay: Option<&'a Replay<'a>>,
    facts: &'a Facts,
    calendar: &'a dyn PeriodCalculator,
}

impl Context<'_> {
    fn value(&self, id: &str) -> Option<&FieldValue> {
        self.fields.get(id).or_else(|| self.recorded.get(id))
    }

    fn date(&self, date: &DateRef) -> Option<Date> {
        match date {
            DateRef::Step => Some(self.on),
            DateRef::Opened => Some(self.opened_on),
            DateRef::Field(id) => match self.value(id.as_str()) {
                Some(FieldValue::Date(d)) => Some(*d),
                _ => None,
            },
        }
    }

    fn date_name(&self, date: &DateRef) -> String {
        match date {
            DateRef::Step => "step".to_owned(),
            DateRef::Opened => "opened".to_owned(),
            DateRef::Field(id) => id.as_str().to_owned(),
        }
    }

    fn recorded_step(&self, action: &str) -> Option<usize> {
        self.replay.and_then(|r| r.last(action))
    }

    fn matches(&self, rule: &crate::model::FieldMatch) -> bool {
        match (self.value(rule.field.as_str()), &rule.values) {
            (Some(FieldValue::Bool(true)), None) => true,
            (Some(FieldValue::Text(value)), Some(values)) => values.contains(value),
            _ => false,
        }
    }

    fn applies(&self, when: &Condition) -> bool {
        when.is_always()
            || when.values.iter().any(|m| self.matches(m))
            || when
                .fields
                .iter()
                .any(|f| matches!(self.value(f.as_str()), Some(FieldValue::Bool(true))))
            || when
                .steps
                .iter()
                .any(|s| self.recorded_step(s.as_str()).is_some())
    }

    fn holds(&self, guard: &Guard) -> Result<(), Refusal> {
        let fail = |fields: Vec<String>, dates: Vec<Date>| {
            Err(Refusal::Guard(GuardRefusal {
                kind: guard.check.kind(),
                article: guard.article.clone(),
                text: guard.refusal.clone(),
                fields,
                dates,
            }))
        };
        if !self.applies(&guard.when) {
            return Ok(());
        }
        match &guard.check {
            Check::StepRecorded { step, undone_by } => {
                let done = self.recorded_step(step.as_str());
                let undone = undone_by
                    .iter()
                    .filter_map(|a| self.recorded_step(a.as_str()))
                    .max();
                match (done, undone) {
                    (Some(d), Some(u)) if u > d => fail(Vec::new(), Vec::new()),
                    (Some(_), _) => Ok(()),
                    (None, _) => fail(Vec::new(), Vec::new()),
                }
            }
            Check::StepNotRecorded { step } => {
                if self.recorded_step(step.as_str()).is_some() {
                    return fail(Vec::new(), Vec::new());
                }
                Ok(())
            }
            Check::AtMostOnce { step } => {
                if self.recorded_step(step.as_str()).is_some() {
                    return fail(Vec::new(), Vec::new());
                }
                Ok(())
            }
            Check::PeriodEnded {
                timer,
                or_steps,
                on,
            } => {
                let on = self.date(on).unwrap_or(self.on);
                let Some(replay) = self.replay else {
                    return Ok(());
                };
                let Some((t, run)) = replay.run(self.procedure, timer.as_str()) else {
                    return Ok(());
                };
                if or_steps
                    .iter()
                    .any(|s| replay.recorded_since(s.as_str(), run.since))
                {
                    return Ok(());
                }
                match replay.due(t, run, self.calendar) {
                    Some(due) if due.date < on => Ok(()),
                    Some(due) => fail(Vec::new(), vec![due.date]),
                    None => fail(Vec::new(), Vec::new()),
                }
            }
            Check::TimerRunning { timer, on } => {
                let on = self.date(on).unwrap_or(self.on);
                let Some(replay) = self.replay else {
                    return fail(Vec::new(), Vec::new());
                };
                match replay.run(self.procedure, timer.as_str()) {
                    Some((t, run)) => match replay.due(t, run, self.calendar) {
                        Some(due) if due.date < on => fail(Vec::new(), vec![due.date]),
                        _ => Ok(()),
                    },
                    None => fail(Vec::new(), Vec::new()),
                }
            }
            Check::RegistryCount {
                field,
                registry,
                at_least,
                valid_on,
            } => {
                let day = self.date(valid_on).unwrap_or(self.on);
                let people = self
                    .value(field.as_str())
                    .map_or(&[][..], FieldValue::people);
                // Each person counts once (a stored value could name one twice).
                let valid = people
                    .iter()
                    .enumerate()
                    .filter(|(i, person)| people.get(..*i).is_some_and(|b| !b.contains(person)))
                    .filter(|(_, person)| {
                        self.facts.people.iter().any(|e| {
                            e.registry == *registry && e.person_id == **person && e.valid_on(day)
                        })
                    })
                    .count();
                if valid < usize::try_from(*at_least).unwrap_or(usize::MAX) {
                    return fail(vec![field.as_str().to_owned()], vec![day]);
                }
                Ok(())
            }
            Check::DateOrder {
                earlier,
                later,
                at_least,
                at_most,
            } => {
                let (Some(first), Some(second)) = (self.date(earlier), self.date(later)) else {
                    return Ok(());
                };
                let names = vec![self.date_name(earlier), self.date_name(later)];
                let dates = vec![first, second];
                let bound = |p: &crate::model::Period| {
                    self.calendar.due(first, p.n, p.unit, &[]).map(|d| d.date)
                };
                let ordered = first <= second
                    && at_least
                        .as_ref()
                        .is_none_or(|p| bound(p).is_some_and(|b| second >= b))
                    && at_most
                        .as_ref()
                        .is_none_or(|p| bound(p).is_some_and(|b| second <= b));
                if ordered { Ok(()) } else { fail(names, dates) }
            }
            Check::DatesNotBefore { date } => {
                let Some(bound) = self.date(date) else {
                    return Ok(());
                };
                let before = |v: &FieldValue| matches!(v, FieldValue::Date(d) if *d < bound);
                // Nearly always every date is in order: nothing to name.
                if self.on >= bound && !self.fields.values().any(before) {
                    return Ok(());
                }
                let mut early: Vec<String> = self
                    .fields
                    .iter()
                    .filter(|(_, v)| before(v))
                    .map(|(id, _)| id.clone())
                    .collect();
                if self.on < bound {
                    early.push("step".to_owned());
                }
                if early.is_empty() {
                    Ok(())
                } else {
                    early.push(self.date_name(date));
                    fail(early, vec![bound])
                }
            }
            Check::AmountLimit { field, limit } => {
                let Some(FieldValue::Money(amount)) = self.value(field.as_str()) else {
                    return Ok(());
                };
                let (bound, other) = match limit {
                    crate::model::AmountBound::ByOption { by, limits_fen } => {
                        let Some(FieldValue::Text(kind)) = self.value(by.as_str()) else {
                            return Ok(());
                        };
                        let bound = limits_fen
                            .iter()
                            .find(|(option, _)| option == kind)
                            .map(|(_, fen)| *fen);
                        (bound, by)
                    }
                    crate::model::AmountBound::Field(other) => match self.value(other.as_str()) {
                        Some(FieldValue::Money(fen)) => (Some(*fen), other),
                        _ => (None, other),
                    },
                };
                if bound.is_some_and(|bound| *amount <= bound) {
                    Ok(())
                } else {
                    fail(
                        vec![field.as_str().to_owned(), other.as_str().to_owned()],
                        Vec::new(),
                    )
                }
            }
            Check::FieldIn { field, values } => match self.value(field.as_str()) {
                Some(FieldValue::Text(value)) if values.contains(value) => Ok(()),
                Some(FieldValue::Bool(b))
                    if values.iter().any(|v| v == if *b { "是" } else { "否" }) =>
                {
                    Ok(())
                }
                _ => fail(vec![field.as_str().to_owned()], Vec::new()),
            },
            Check::PeopleDistinct { first, second } => {
                let a = self
                    .value(first.as_str())
                    .map_or(&[][..], FieldValue::people);
                let b = self
                    .value(second.as_str())
                    .map_or(&[][..], FieldValue::people);
                if a.iter().any(|p| b.contains(p)) {
                    fail(
                        vec![first.as_str().to_owned(), second.as_str().to_owned()],
                        Vec::new(),
                    )
                } else {
                    Ok(())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Role;

    /// The field checks as they were before a step's fields were resolved when the definition
    /// was loaded: the reference the faster code must agree with.
    fn reference(
        procedure: &Procedure,
        raw: &BTreeMap<String, String>,
        offered_by: &Transition,
    ) -> Result<BTreeMap<String, FieldValue>, Refusal> {
        let mut parsed = BTreeMap::new();
        let mut problems = Vec::new();
        for (id, text) in raw {
            if text.trim().is_empty() {
                continue;
            }
            let Some(field) = procedure.field(id) else {
                problems.push((id.clone(), FieldProblem::UnknownField));
                continue;
            };
            let t = offered_by;
            if !t.required.iter().chain(&t.optional).any(|f| f == id) {
                problems.push((id.clone(), FieldProblem::NotOffered));
                continue;
            }
            match parse_field(field, text) {
                Ok(value) => {
                    parsed.insert(id.clone(), value);
                }
                Err(problem) => problems.push((id.clone(), problem)),
            }
        }
        if problems.is_empty() {
            Ok(parsed)
        } else {
            Err(Refusal::InvalidFields { problems })
        }
    }

    #[test]
    fn a_steps_fields_are_checked_as_before_they_were_resolved_at_load() {
        let actor = Subject {
            user_id: 1,
            role: Role::Admin,
            department_id: None,
            jurisdiction_id: 1,
        };
        // Everyone and every department the texts name exists (the registry checks are not
        // what changed).
        let facts = Facts {
            people: (Registry::ALL.into_iter())
                .map(|registry| RegistryEntry {
                    registry,
                    person_id: 12,
                    department_id: None,
                    valid_from: None,
                    valid_until: None,
                    revoked: false,
                    number: String::new(),
                })
                .collect(),
            departments: vec![DepartmentFact {
                id: 12,
                active: true,
            }],
        };
        let texts = ["", " 文本 ", "2025-03-04", "是", "12", "警告"];
        for procedure in crate::load::load_embedded().expect("embedded definitions") {
            let ids: Vec<String> = (procedure.fields.iter().map(|f| f.id.as_str().to_owned()))
                .chain(["no_such_field".to_owned()])
                .collect();
            for (position, transition) in procedure.transitions.iter().enumerate() {
                for (n, id) in ids.iter().enumerate() {
                    // Each field alone, and beside the next one.
                    let next = ids.get(n + 1).unwrap_or(id);
                    for text in texts {
                        let raw = BTreeMap::from([(id.clone(), text.to_owned())]);
                        let pair = BTreeMap::from([
                            (id.clone(), text.to_owned()),
                            (next.clone(), "2025-03-04".to_owned()),
                        ]);
                        for raw in [raw, pair] {
                            let now = parse_fields(
                                &procedure,
                                &actor,
                                &raw,
                                Some((position, transition)),
                                &facts,
                            );
                            let before = reference(&procedure, &raw, transition);
                            assert_eq!(
                                now.as_ref().map(|(fields, _)| fields),
                                before.as_ref(),
                                "{} {}: {raw:?}",
                                procedure.id,
                                transition.action
                            );
                            if let Ok((fields, required_given)) = now {
                                let required = (transition.required.iter())
                                    .filter(|f| fields.contains_key(f.as_str()))
                                    .count();
                                assert_eq!(required_given, required);
                            }
                        }
                    }
                }
            }
        }
    }
}
