//! Building cases through the engine, step by step, as the application does (without storage).

#![allow(dead_code)]

use std::collections::BTreeMap;

use fazhi_calendar::{Calendar, Period, Unit};
use fazhi_procedure::{
    AsOf, Case, Command, Due, Facts, OpenTimer, PeriodCalculator, PeriodUnit, Procedure, Refusal,
    Registry, RegistryEntry, Replay, Role, Step, Subject, check, check_opening, load_embedded,
};
use time::Date;

/// The official working-day calendar, as the application's `OfficialCalendar`.
#[derive(Debug, Clone, Copy)]
pub struct Official(&'static Calendar);

impl Official {
    pub fn load() -> Self {
        Official(Calendar::official().expect("calendar data"))
    }
}

impl PeriodCalculator for Official {
    fn due(&self, start: Date, n: u32, unit: PeriodUnit, paused: &[(Date, Date)]) -> Option<Due> {
        let unit = match unit {
            PeriodUnit::Days => Unit::Days,
            PeriodUnit::Workdays => Unit::Workdays,
            PeriodUnit::Months => Unit::Months,
        };
        let period = Period {
            n,
            unit,
            extension: 0,
            excluded: paused.to_vec(),
        };
        self.0
            .due_date(start, &period)
            .ok()
            .map(|(date, provisional)| Due { date, provisional })
    }

    fn workdays_between(&self, from: Date, to: Date) -> i64 {
        self.0.workdays_between(from, to).unwrap_or(0)
    }
}

/// A shipped definition by id.
pub fn shipped(id: &str) -> Procedure {
    load_embedded()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("no procedure {id}"))
}

pub const DEPARTMENT: i64 = 7;
pub const OTHER_DEPARTMENT: i64 = 5;

pub const OFFICER: Subject = Subject {
    user_id: 10,
    role: Role::Officer,
    department_id: Some(DEPARTMENT),
    jurisdiction_id: 1,
};
pub const LEGAL: Subject = Subject {
    user_id: 11,
    role: Role::DepartmentLegal,
    department_id: Some(DEPARTMENT),
    jurisdiction_id: 1,
};
pub const JUSTICE: Subject = Subject {
    user_id: 12,
    role: Role::JusticeStaff,
    department_id: Some(1),
    jurisdiction_id: 1,
};

/// Registry facts: certified officers 101–104 of the department (valid 2020–2030), 201 of
/// another department, accounts 10–12 and 20–22 (staff of the department), people 301–303 on
/// every other registry.
pub fn facts() -> Facts {
    let mut people = Vec::new();
    let valid = |id: i64, department: i64, registry: Registry| RegistryEntry {
        registry,
        person_id: id,
        department_id: Some(department),
        valid_from: Some(time::macros::date!(2020 - 01 - 01)),
        valid_until: Some(time::macros::date!(2030 - 12 - 31)),
        revoked: false,
        number: format!("证{id}"),
    };
    for id in 101..=104 {
        people.push(valid(id, DEPARTMENT, Registry::EnforcementOfficers));
    }
    people.push(valid(201, OTHER_DEPARTMENT, Registry::EnforcementOfficers));
    for id in [10, 11, 12, 20, 21, 22] {
        let mut entry = valid(id, DEPARTMENT, Registry::StaffAccounts);
        entry.valid_from = None;
        entry.valid_until = None;
        people.push(entry);
    }
    for registry in [
        Registry::Mediators,
        Registry::LegalAidLawyers,
        Registry::LegalAdvisers,
        Registry::Inspectors,
    ] {
        for id in 301..=303 {
            people.push(valid(id, DEPARTMENT, registry));
        }
    }
    Facts {
        people,
        departments: vec![
            fazhi_procedure::DepartmentFact {
                id: DEPARTMENT,
                active: true,
            },
            fazhi_procedure::DepartmentFact {
                id: OTHER_DEPARTMENT,
                active: true,
            },
        ],
    }
}

/// A case being driven through the engine.
#[derive(Debug, Clone)]
pub struct Driver {
    pub procedure: Procedure,
    pub case: Case,
    pub facts: Facts,
    pub calendar: Official,
}

pub fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

impl Driver {
    /// Opens a case of `procedure` on `on` as `actor`, with `opening` fields.
    pub fn open(
        procedure: Procedure,
        actor: Subject,
        on: Date,
        opening: &[(&str, &str)],
    ) -> Driver {
        Driver::try_open(procedure, actor, on, opening)
            .unwrap_or_else(|e| panic!("opening refused: {e:?}"))
    }

    pub fn try_open(
        procedure: Procedure,
        actor: Subject,
        on: Date,
        opening: &[(&str, &str)],
    ) -> Result<Driver, Refusal> {
        let facts = facts();
        let calendar = Official::load();
        let parsed = check_opening(&procedure, &actor, &fields(opening), on, &facts, &calendar)?;
        let initial = procedure.initial_state().id.as_str().to_owned();
        let case = Case {
            state: initial.clone(),
            version: 1,
            department_id: DEPARTMENT,
            jurisdiction_id: 1,
            opened_by: actor.user_id,
            assigned: vec![OFFICER.user_id],
            opened_on: on,
            fields: parsed.clone(),
            history: vec![Step {
                action: "open".into(),
                on,
                state_after: initial,
                fields: parsed,
                deemed_by: None,
            }],
        };
        Ok(Driver {
            procedure,
            case,
            facts,
            calendar,
        })
    }

    /// Asks the engine; on acceptance records the step like the case service does.
    pub fn try_step(
        &mut self,
        actor: Subject,
        action: &str,
        on: Date,
        pairs: &[(&str, &str)],
    ) -> Result<(), Refusal> {
        let command = Command {
            actor,
            action: action.to_owned(),
            on,
            fields: fields(pairs),
            expected_version: self.case.version,
        };
        let accepted = check(
            &self.procedure,
            &self.case,
            &command,
            &self.facts,
            &self.calendar,
        )?;
        self.case.state = accepted.to.clone();
        self.case.version += 1;
        self.case.fields.extend(accepted.fields.clone());
        self.case.history.push(Step {
            action: action.to_owned(),
            on,
            state_after: accepted.to,
            fields: accepted.fields,
            deemed_by: None,
        });
        Ok(())
    }

    /// A step that must be accepted.
    pub fn step(
        &mut self,
        actor: Subject,
        action: &str,
        on: Date,
        pairs: &[(&str, &str)],
    ) -> &mut Self {
        if let Err(refusal) = self.try_step(actor, action, on, pairs) {
            panic!("{action} on {on} refused: {refusal:?}");
        }
        self
    }

    /// A step that must be refused; returns the refusal.
    pub fn refused(
        &mut self,
        actor: Subject,
        action: &str,
        on: Date,
        pairs: &[(&str, &str)],
    ) -> Refusal {
        match self.try_step(actor, action, on, pairs) {
            Ok(()) => panic!("{action} on {on} was accepted"),
            Err(refusal) => refusal,
        }
    }

    /// The case replayed as of `day`.
    pub fn replay(&self, day: Date) -> Replay<'_> {
        Replay::of(&self.procedure, &self.case, AsOf::Day(day), &self.calendar)
    }

    /// The running periods as of `day`.
    pub fn timers(&self, day: Date) -> Vec<OpenTimer> {
        self.replay(day)
            .open_timers(&self.procedure, &self.calendar)
    }

    /// The running period `id` as of `day`.
    pub fn timer(&self, id: &str, day: Date) -> Option<OpenTimer> {
        self.timers(day).into_iter().find(|t| t.id == id)
    }

    /// The state as of `day`, deemed steps applied.
    pub fn state(&self, day: Date) -> String {
        self.replay(day).state
    }
}

/// The guard kind and article of a guard refusal, for asserting on.
pub fn guard_article(refusal: &Refusal) -> Option<(&'static str, &str)> {
    match refusal {
        Refusal::Guard(g) => Some((g.kind.code(), g.article.as_str())),
        _ => None,
    }
}

// ── Helpers for the reconsideration and disclosure scenarios ────────────────────────────────────

/// A date written `YYYY-MM-DD`.
pub fn d(text: &str) -> Date {
    fazhi_procedure::parse_date(text).unwrap_or_else(|| panic!("not a date: {text}"))
}

/// Asserts that `refusal` is a guard refusal of `kind` citing exactly `article`.
#[track_caller]
pub fn assert_guard(refusal: &Refusal, kind: &str, article: &str) {
    assert_eq!(guard_article(refusal), Some((kind, article)), "{refusal:?}");
}

/// Asserts that `refusal` says the step cannot be taken in `state`.
#[track_caller]
pub fn assert_not_in_state(refusal: &Refusal, state: &str) {
    assert!(
        matches!(refusal, Refusal::NotAllowedInState { state: s, .. } if s == state),
        "expected not allowed in {state}: {refusal:?}"
    );
}

impl Driver {
    /// A step that must be accepted; returns what the engine accepted (its article and outcome).
    pub fn accepted(
        &mut self,
        actor: Subject,
        action: &str,
        on: Date,
        pairs: &[(&str, &str)],
    ) -> fazhi_procedure::Accepted {
        let command = Command {
            actor,
            action: action.to_owned(),
            on,
            fields: fields(pairs),
            expected_version: self.case.version,
        };
        let accepted = check(
            &self.procedure,
            &self.case,
            &command,
            &self.facts,
            &self.calendar,
        )
        .unwrap_or_else(|refusal| panic!("{action} on {on} refused: {refusal:?}"));
        self.step(actor, action, on, pairs);
        accepted
    }

    /// The last day of the running period `id` as of `day`.
    pub fn due(&self, id: &str, day: Date) -> Option<Date> {
        self.timer(id, day).and_then(|t| t.due).map(|due| due.date)
    }
}
