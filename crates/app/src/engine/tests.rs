//! Engine tests on the shipped definitions, with a simple stand-in calendar (every day a working
//! day) so the tests check the engine's replay, not the calendar's rules.

use std::collections::BTreeMap;

use time::Date;
use time::macros::date;

use super::*;
use crate::procedure::{PeriodUnit, load_embedded};

fn procedure(id: &str) -> Procedure {
    load_embedded()
        .unwrap_or_default()
        .into_iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

const MARKET: i64 = 7;
const OFFICER: Subject = Subject {
    user_id: 10,
    role: Role::Officer,
    department_id: Some(MARKET),
};
const LEGAL: Subject = Subject {
    user_id: 11,
    role: Role::DepartmentLegal,
    department_id: Some(MARKET),
};
const JUSTICE: Subject = Subject {
    user_id: 12,
    role: Role::JusticeStaff,
    department_id: Some(1),
};

fn case(state: &str, opened_on: Date) -> Case {
    Case {
        state: state.to_owned(),
        version: 1,
        department_id: MARKET,
        opened_by: OFFICER.user_id,
        assigned: Vec::new(),
        opened_on,
        fields: BTreeMap::new(),
        history: vec![Step {
            action: "open".into(),
            on: opened_on,
            state_after: state.into(),
            fields: BTreeMap::new(),
        }],
    }
}

fn command(
    actor: Subject,
    action: &str,
    on: Date,
    fields: &[(&str, &str)],
    version: i64,
) -> Command {
    Command {
        actor,
        action: action.to_owned(),
        on,
        fields: fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        expected_version: version,
    }
}

fn certificate(person_id: i64, until: Date) -> Certificate {
    Certificate {
        person_id,
        number: format!("99010{person_id}"),
        valid_from: date!(2020 - 01 - 01),
        valid_until: until,
        revoked: false,
    }
}

/// Applies an accepted command to the case the way the store's projection does.
/// A refusal the table expects.
type Expectation = fn(&EngineError) -> bool;

fn apply(case: &mut Case, command: &Command, accepted: Accepted) {
    case.state = accepted.to.clone();
    case.version += 1;
    for (k, v) in &accepted.fields {
        case.fields.insert(k.clone(), v.clone());
    }
    case.history.push(Step {
        action: command.action.clone(),
        on: command.on,
        state_after: accepted.to,
        fields: accepted.fields,
    });
}

#[test]
fn investigation_needs_two_officers_certified_on_that_date() {
    let penalty = procedure("penalty");
    let mut filed = case("investigating", date!(2025 - 03 - 03));
    filed.fields.insert(
        "filing_date".into(),
        FieldValue::Date(date!(2025 - 03 - 03)),
    );
    let facts = GuardFacts {
        certificates: vec![
            certificate(1, date!(2026 - 12 - 31)),
            certificate(2, date!(2025 - 03 - 05)),
        ],
    };
    let on_time = command(
        OFFICER,
        "record_investigation",
        date!(2025 - 03 - 05),
        &[("investigators", "1,2")],
        1,
    );
    assert!(check(&penalty, &filed, &on_time, &facts).is_ok());
    let expired = command(
        OFFICER,
        "record_investigation",
        date!(2025 - 03 - 06),
        &[("investigators", "1,2")],
        1,
    );
    match check(&penalty, &filed, &expired, &facts) {
        Err(EngineError::GuardFailed {
            reason, article, ..
        }) => {
            assert_eq!(reason, "fewer_than_two_certified_officers");
            assert!(article.contains("第四十二条"));
        }
        other => panic!("unexpected {other:?}"),
    }
    let alone = command(
        OFFICER,
        "record_investigation",
        date!(2025 - 03 - 05),
        &[("investigators", "1")],
        1,
    );
    assert!(matches!(
        check(&penalty, &filed, &alone, &facts),
        Err(EngineError::GuardFailed { .. })
    ));
}

#[test]
fn a_major_decision_waits_for_the_legal_review() {
    let penalty = procedure("penalty");
    let mut notified = case("notified", date!(2025 - 03 - 03));
    notified
        .fields
        .insert("major_case".into(), FieldValue::Bool(true));
    notified.history.push(Step {
        action: "notify_rights".into(),
        on: date!(2025 - 03 - 10),
        state_after: "notified".into(),
        fields: BTreeMap::new(),
    });
    let decide = command(
        LEGAL,
        "decide_penalty",
        date!(2025 - 03 - 20),
        &[
            ("decision_date", "2025-03-20"),
            ("decision_number", "滨市监罚〔2025〕1号"),
            ("penalty_type", "罚款"),
            ("legal_basis", "《食品安全法》第一百二十四条"),
        ],
        1,
    );
    match check(&penalty, &notified, &decide, &GuardFacts::default()) {
        Err(EngineError::GuardFailed { reason, .. }) => {
            assert_eq!(reason, "legal_review_not_passed")
        }
        other => panic!("unexpected {other:?}"),
    }
    // After the review passes (from the reviewed state) the same decision goes through.
    let mut reviewed = notified.clone();
    reviewed.state = "reviewed".into();
    reviewed.history.push(Step {
        action: "pass_legal_review".into(),
        on: date!(2025 - 03 - 18),
        state_after: "reviewed".into(),
        fields: BTreeMap::new(),
    });
    assert!(check(&penalty, &reviewed, &decide, &GuardFacts::default()).is_ok());
}

#[test]
fn refusals_name_what_is_wrong() {
    let penalty = procedure("penalty");
    let filed = case("investigating", date!(2025 - 03 - 03));
    let cases: Vec<(Command, Expectation)> = vec![
        (
            command(
                OFFICER,
                "serve_decision",
                date!(2025 - 03 - 05),
                &[("service_date", "2025-03-05")],
                1,
            ),
            |e| matches!(e, EngineError::NotAllowedInState { .. }),
        ),
        (
            command(
                OFFICER,
                "extend_decision_period",
                date!(2025 - 03 - 05),
                &[("extension_reason", "案情复杂"), ("approved_by", "局长")],
                1,
            ),
            |e| matches!(e, EngineError::RoleNotAllowed { .. }),
        ),
        (
            command(
                LEGAL,
                "extend_decision_period",
                date!(2025 - 03 - 05),
                &[("approved_by", "局长")],
                1,
            ),
            |e| matches!(e, EngineError::MissingField(f) if f == "extension_reason"),
        ),
        (
            command(
                OFFICER,
                "record_investigation",
                date!(2025 - 03 - 05),
                &[("investigators", "1,2")],
                0,
            ),
            |e| {
                matches!(
                    e,
                    EngineError::StaleVersion {
                        expected: 0,
                        actual: 1
                    }
                )
            },
        ),
        (
            command(OFFICER, "no_such_action", date!(2025 - 03 - 05), &[], 1),
            |e| matches!(e, EngineError::UnknownAction(_)),
        ),
        (
            command(
                OFFICER,
                "notify_rights",
                date!(2025 - 03 - 01),
                &[
                    ("proposed_penalty", "罚款1000元"),
                    ("notice_date", "2025-03-01"),
                ],
                1,
            ),
            |e| matches!(e, EngineError::GuardFailed { .. }),
        ),
        (
            command(
                LEGAL,
                "extend_decision_period",
                date!(2025 - 03 - 05),
                &[
                    ("extension_reason", "案情复杂"),
                    ("approved_by", "局长"),
                    ("fine_amount", "12.345"),
                ],
                1,
            ),
            |e| {
                matches!(
                    e,
                    EngineError::InvalidField {
                        code: "invalid_money",
                        ..
                    }
                )
            },
        ),
        (
            command(
                JUSTICE,
                "record_investigation",
                date!(2025 - 03 - 05),
                &[("investigators", "1,2")],
                1,
            ),
            |e| matches!(e, EngineError::RoleNotAllowed { .. }),
        ),
    ];
    for (index, (cmd, expected)) in cases.into_iter().enumerate() {
        let result = check(
            &penalty,
            &filed,
            &cmd,
            &GuardFacts {
                certificates: vec![
                    certificate(1, date!(2030 - 01 - 01)),
                    certificate(2, date!(2030 - 01 - 01)),
                ],
            },
        );
        match result {
            Err(error) => assert!(expected(&error), "case {index}: {error:?}"),
            Ok(accepted) => panic!("case {index} accepted: {accepted:?}"),
        }
    }
}

#[test]
fn an_officer_acts_only_on_own_cases_and_a_leader_on_none() {
    let penalty = procedure("penalty");
    let mut other = case("investigating", date!(2025 - 03 - 03));
    other.opened_by = 99;
    let cmd = command(
        OFFICER,
        "record_investigation",
        date!(2025 - 03 - 05),
        &[("investigators", "1,2")],
        1,
    );
    assert_eq!(
        check(&penalty, &other, &cmd, &GuardFacts::default()),
        Err(EngineError::OutOfScope)
    );
    other.assigned.push(OFFICER.user_id);
    assert!(!matches!(
        check(&penalty, &other, &cmd, &GuardFacts::default()),
        Err(EngineError::OutOfScope)
    ));
    let leader = Subject {
        user_id: 5,
        role: Role::Leader,
        department_id: None,
    };
    assert!(!in_scope(&leader, &other));
}

#[test]
fn a_simplified_penalty_respects_the_statutory_ceiling() {
    let penalty = procedure("penalty");
    let registered = case("registered", date!(2025 - 06 - 02));
    let facts = GuardFacts {
        certificates: vec![
            certificate(1, date!(2030 - 01 - 01)),
            certificate(2, date!(2030 - 01 - 01)),
        ],
    };
    let base = [
        ("party", "张三"),
        ("case_cause", "占道经营"),
        ("penalty_type", "罚款"),
        ("decision_date", "2025-06-02"),
        ("decision_number", "当场〔2025〕8号"),
        ("legal_basis", "《城市市容和环境卫生管理条例》"),
        ("investigators", "1,2"),
    ];
    let with = |kind: &'static str, fine: &'static str| {
        let mut fields = base.to_vec();
        fields.push(("party_kind", kind));
        fields.push(("fine_amount", fine));
        command(
            OFFICER,
            "decide_on_the_spot",
            date!(2025 - 06 - 02),
            &fields,
            1,
        )
    };
    assert!(check(&penalty, &registered, &with("公民", "200"), &facts).is_ok());
    assert!(check(&penalty, &registered, &with("公民", "200.01"), &facts).is_err());
    assert!(check(&penalty, &registered, &with("法人", "3000"), &facts).is_ok());
    assert!(check(&penalty, &registered, &with("法人", "3001"), &facts).is_err());
}

/// Every day is a working day; periods add plainly, skipping paused days.
#[derive(Debug)]
struct PlainDays;

impl PeriodCalculator for PlainDays {
    fn due(
        &self,
        start: Date,
        n: u32,
        _unit: PeriodUnit,
        paused: &[(Date, Date)],
    ) -> Option<timers::Due> {
        let skipped: i64 = paused
            .iter()
            .map(|(from, until)| (*until - *from).whole_days())
            .sum();
        Some(timers::Due {
            date: start + time::Duration::days(i64::from(n) + skipped),
            provisional: false,
        })
    }

    fn workdays_between(&self, from: Date, to: Date) -> i64 {
        (to - from).whole_days()
    }
}

#[test]
fn reconsideration_timers_start_stop_pause_and_extend() {
    let reconsideration = procedure("reconsideration");
    let mut file = case("received", date!(2025 - 04 - 01));
    file.opened_by = JUSTICE.user_id;
    file.history[0].fields.insert(
        "received_date".into(),
        FieldValue::Date(date!(2025 - 04 - 01)),
    );
    file.fields.insert(
        "received_date".into(),
        FieldValue::Date(date!(2025 - 04 - 01)),
    );
    let ids = |case: &Case| {
        open_timers(&reconsideration, case, &PlainDays)
            .into_iter()
            .map(|t| (t.id, t.due.map(|d| d.date)))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&file),
        [
            ("acceptance_review".to_owned(), Some(date!(2025 - 04 - 06))),
            ("correction_notice".to_owned(), Some(date!(2025 - 04 - 06)))
        ]
    );

    let steps = [
        (
            "accept",
            date!(2025 - 04 - 03),
            vec![("acceptance_date", "2025-04-03"), ("respondent", "7")],
        ),
        (
            "suspend",
            date!(2025 - 04 - 10),
            vec![(
                "suspension_reason",
                "案件审理需要以其他案件的审理结果为依据",
            )],
        ),
        ("resume", date!(2025 - 04 - 20), vec![]),
        (
            "extend",
            date!(2025 - 05 - 20),
            vec![("extension_reason", "案情复杂"), ("approved_by", "王主任")],
        ),
    ];
    for (action, on, fields) in steps {
        let cmd = command(JUSTICE, action, on, &fields, file.version);
        let accepted = check(&reconsideration, &file, &cmd, &GuardFacts::default())
            .unwrap_or_else(|e| panic!("{action}: {e}"));
        apply(&mut file, &cmd, accepted);
        if action == "suspend" {
            let decision = open_timers(&reconsideration, &file, &PlainDays)
                .into_iter()
                .find(|t| t.id == "decision_ordinary")
                .expect("running");
            assert!(
                decision.paused && decision.due.is_none(),
                "paused while suspended"
            );
        }
    }
    let decision = open_timers(&reconsideration, &file, &PlainDays)
        .into_iter()
        .find(|t| t.id == "decision_ordinary")
        .expect("running");
    // 60 + 30 days from 04-03, plus the 10 suspended days (04-10 .. 04-19).
    assert_eq!(
        decision.due.map(|d| d.date),
        Some(date!(2025 - 04 - 03) + time::Duration::days(100))
    );
    assert!(decision.extended);
    let again = command(
        JUSTICE,
        "extend",
        date!(2025 - 05 - 21),
        &[("extension_reason", "再延"), ("approved_by", "王主任")],
        file.version,
    );
    assert!(matches!(
        check(&reconsideration, &file, &again, &GuardFacts::default()),
        Err(EngineError::GuardFailed {
            reason: "already_extended",
            ..
        })
    ));
}

#[test]
fn a_corrected_disclosure_request_restarts_the_reply_period() {
    let disclosure = procedure("disclosure");
    let mut request = case("received", date!(2025 - 04 - 01));
    request.opened_by = LEGAL.user_id;
    request.fields.insert(
        "received_date".into(),
        FieldValue::Date(date!(2025 - 04 - 01)),
    );
    for (action, on, fields) in [
        (
            "request_correction",
            date!(2025 - 04 - 03),
            vec![("correction_items", "请明确所需信息的名称")],
        ),
        (
            "receive_correction",
            date!(2025 - 04 - 15),
            vec![("corrected_date", "2025-04-15")],
        ),
    ] {
        let cmd = command(LEGAL, action, on, &fields, request.version);
        let accepted = check(&disclosure, &request, &cmd, &GuardFacts::default())
            .unwrap_or_else(|e| panic!("{action}: {e}"));
        apply(&mut request, &cmd, accepted);
    }
    let reply = open_timers(&disclosure, &request, &PlainDays)
        .into_iter()
        .find(|t| t.id == "reply")
        .expect("running");
    assert_eq!(reply.started_on, date!(2025 - 04 - 15));
    assert_eq!(reply.due.map(|d| d.date), Some(date!(2025 - 05 - 05)));
}
