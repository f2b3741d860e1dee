//! Invariants of the engine over random sequences of steps on the shipped definitions: whatever
//! is asked, on whatever day, the engine answers (never panics); an accepted step leads to a
//! defined state from a state it allows; a refused one changes nothing; every running period
//! ends on or after its start; the history the replay shows holds every stored step in order.

use fazhi_procedure::{AsOf, FieldKind, Procedure, Replay};
use proptest::prelude::*;
use time::{Date, Duration};

use crate::support::{Driver, JUSTICE, LEGAL, OFFICER, shipped};

/// A plausible value for a field, chosen by `pick` (dates near `on`, people from the facts).
fn value(procedure: &Procedure, id: &str, on: Date, pick: u8) -> String {
    let Some(field) = procedure.field(id) else {
        return String::new();
    };
    match &field.kind {
        FieldKind::Date => {
            let day = on - Duration::days(i64::from(pick % 9));
            format!(
                "{:04}-{:02}-{:02}",
                day.year(),
                u8::from(day.month()),
                day.day()
            )
        }
        FieldKind::Money => format!("{}", u32::from(pick) * 100),
        FieldKind::Number => format!("{}", pick % 40),
        FieldKind::Bool => if pick.is_multiple_of(2) { "是" } else { "否" }.to_owned(),
        FieldKind::Enum(options) => options
            .get(usize::from(pick) % options.len().max(1))
            .cloned()
            .unwrap_or_default(),
        FieldKind::Department => "7".to_owned(),
        FieldKind::Person(fazhi_procedure::Registry::EnforcementOfficers) if field.multiple => {
            "101,102".to_owned()
        }
        FieldKind::Person(fazhi_procedure::Registry::EnforcementOfficers) => {
            format!("{}", 103 + u32::from(pick % 2))
        }
        FieldKind::Person(fazhi_procedure::Registry::StaffAccounts) => "20".to_owned(),
        FieldKind::Person(_) => "301".to_owned(),
        FieldKind::Document => "a".repeat(64),
        FieldKind::Text | FieldKind::Party => "某某".to_owned(),
    }
}

/// Runs `plan`; returns how many steps were accepted.
fn run(id: &str, plan: &[(u8, u8, u8)]) -> usize {
    let mut accepted = 0;
    let procedure = shipped(id);
    let opened = time::macros::date!(2025 - 03 - 03);
    let actor = match procedure.opened_by.first() {
        Some(fazhi_procedure::Role::JusticeStaff) => JUSTICE,
        Some(fazhi_procedure::Role::DepartmentLegal) => LEGAL,
        _ => OFFICER,
    };
    let opening: Vec<(String, String)> = procedure
        .opening_fields
        .iter()
        .map(|f| (f.as_str().to_owned(), value(&procedure, f, opened, 0)))
        .collect();
    let pairs: Vec<(&str, &str)> = opening
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let Ok(mut case) = Driver::try_open(procedure.clone(), actor, opened, &pairs) else {
        return 0;
    };
    let mut on = opened;
    for (choice, days, pick) in plan {
        on += Duration::days(i64::from(*days % 12));
        let replay = case.replay(on);
        let offered: Vec<_> = procedure
            .transitions
            .iter()
            .filter(|t| t.allowed_from(&replay.state) && !t.roles.is_empty())
            .collect();
        let Some(transition) = offered.get(usize::from(*choice) % offered.len().max(1)) else {
            break;
        };
        let actor = match transition.roles.first() {
            Some(fazhi_procedure::Role::JusticeStaff) => JUSTICE,
            Some(fazhi_procedure::Role::DepartmentLegal) => LEGAL,
            _ => OFFICER,
        };
        let fields: Vec<(String, String)> = transition
            .required
            .iter()
            .map(|f| (f.as_str().to_owned(), value(&procedure, f, on, *pick)))
            .collect();
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let before = case.case.clone();
        match case.try_step(actor, transition.action.as_str(), on, &pairs) {
            Ok(()) => {
                accepted += 1;
                assert!(
                    procedure.state(&case.case.state).is_some(),
                    "a defined state"
                );
                assert_eq!(case.case.version, before.version + 1);
            }
            Err(_) => assert_eq!(case.case, before, "a refusal changes nothing"),
        }
        let replay = Replay::of(&procedure, &case.case, AsOf::Projected, &case.calendar);
        let stored: Vec<&str> = replay
            .history
            .iter()
            .filter(|s| s.deemed_by.is_none())
            .map(|s| s.action.as_str())
            .collect();
        let expected: Vec<&str> = case
            .case
            .history
            .iter()
            .map(|s| s.action.as_str())
            .collect();
        assert_eq!(stored, expected, "every stored step, in order");
        for timer in replay.open_timers(&procedure, &case.calendar) {
            if let Some(due) = timer.due {
                assert!(
                    due.date >= timer.started_on,
                    "{} ends before it starts",
                    timer.id
                );
            }
        }
    }
    accepted
}

/// The random plans do reach into each procedure (else the invariants above say little).
#[test]
fn random_plans_take_steps_in_every_procedure() {
    let plan: Vec<(u8, u8, u8)> = (0..40u8)
        .map(|i| (i.wrapping_mul(7), i % 5 + 1, i))
        .collect();
    for id in ["penalty", "reconsideration", "litigation", "disclosure"] {
        let taken = (0..8u8)
            .map(|shift| {
                let shifted: Vec<_> = plan
                    .iter()
                    .map(|(a, b, c)| (a.wrapping_add(shift), *b, *c))
                    .collect();
                run(id, &shifted)
            })
            .sum::<usize>();
        assert!(taken >= 8, "{id}: only {taken} steps accepted");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn random_penalty_cases_keep_the_invariants(plan in proptest::collection::vec(any::<(u8, u8, u8)>(), 1..14)) {
        let _ = run("penalty", &plan);
    }

    #[test]
    fn random_reconsideration_cases_keep_the_invariants(plan in proptest::collection::vec(any::<(u8, u8, u8)>(), 1..14)) {
        let _ = run("reconsideration", &plan);
    }

    #[test]
    fn random_litigation_cases_keep_the_invariants(plan in proptest::collection::vec(any::<(u8, u8, u8)>(), 1..14)) {
        let _ = run("litigation", &plan);
    }

    #[test]
    fn random_disclosure_cases_keep_the_invariants(plan in proptest::collection::vec(any::<(u8, u8, u8)>(), 1..14)) {
        let _ = run("disclosure", &plan);
    }
}
