//! A procedure written only as TOML (`tests/fixtures/toy_permit.toml`, a fictional 许可): it uses
//! every guard kind and every timer feature, and runs through the engine with the official
//! calendar. Dates are in autumn 2025, around 国庆 (1–8 October off; Sunday 28 September and
//! Saturday 11 October working days), so that working days are counted as the calendar has them.

use std::collections::BTreeSet;
use std::path::Path;

use fazhi_procedure::{
    AmountBound, AsOf, Check, DateRef, ExtensionProblem, GuardKind, GuardRefusal, Lapse, LapseKind,
    PeriodUnit, Procedure, Refusal, Registry, RegistryEntry, Replay, Subject, parse_definition,
};
use time::Date;
use time::macros::date;

use crate::support::{Driver, LEGAL, OFFICER};

/// The definition's text, as the application would read it from a directory.
pub const TEXT: &str = include_str!("../fixtures/toy_permit.toml");

pub fn toy() -> Procedure {
    parse_definition(Path::new("tests/fixtures/toy_permit.toml"), TEXT)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn opening(received: &str, kind: &str) -> Vec<(&'static str, String)> {
    vec![
        ("subject", "食品经营许可".to_owned()),
        ("applicant", "张三".to_owned()),
        ("applicant_kind", kind.to_owned()),
        ("received_date", received.to_owned()),
    ]
}

fn open(on: Date, received: &str, kind: &str) -> Driver {
    let fields = opening(received, kind);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut driver = Driver::open(toy(), OFFICER, on, &pairs);
    // Officer 105 of the department, whose certificate expired before these cases.
    driver.facts.people.push(RegistryEntry {
        registry: Registry::EnforcementOfficers,
        person_id: 105,
        department_id: Some(crate::support::DEPARTMENT),
        valid_from: Some(date!(2020 - 01 - 01)),
        valid_until: Some(date!(2025 - 06 - 30)),
        revoked: false,
        number: "证105".into(),
    });
    driver
}

/// The guard kinds a scenario saw refuse and pass.
#[derive(Debug, Default)]
struct Tally {
    refused: BTreeSet<&'static str>,
    passed: BTreeSet<&'static str>,
}

impl Tally {
    /// A step that must be accepted; every guard of its transition held.
    fn ok(
        &mut self,
        d: &mut Driver,
        actor: Subject,
        action: &str,
        on: Date,
        pairs: &[(&str, &str)],
    ) {
        d.step(actor, action, on, pairs);
        let transition = d.procedure.transition(action).expect("transition");
        self.passed
            .extend(transition.guards.iter().map(|g| g.check.kind().code()));
    }

    /// A step that a guard of `kind` must refuse; returns the refusal.
    fn no(
        &mut self,
        d: &mut Driver,
        actor: Subject,
        action: &str,
        on: Date,
        pairs: &[(&str, &str)],
        kind: GuardKind,
    ) -> GuardRefusal {
        match d.refused(actor, action, on, pairs) {
            Refusal::Guard(guard) => {
                assert_eq!(guard.kind, kind, "{action} on {on}: {guard:?}");
                assert!(guard.article.starts_with("示例许可法"), "{guard:?}");
                assert!(!guard.text.is_empty());
                self.refused.insert(kind.code());
                guard
            }
            other => panic!(
                "{action} on {on}: expected a {} refusal, got {other:?}",
                kind.code()
            ),
        }
    }
}

fn due(d: &Driver, timer: &str, day: Date) -> Option<Date> {
    d.timer(timer, day)
        .unwrap_or_else(|| panic!("{timer} does not run on {day}"))
        .due
        .map(|due| due.date)
}

#[test]
fn the_toy_definition_uses_every_guard_kind_and_every_timer_feature() {
    let p = toy();
    let guards: Vec<&Check> = p
        .opening_guards
        .iter()
        .chain(p.transitions.iter().flat_map(|t| t.guards.iter()))
        .map(|g| &g.check)
        .collect();
    let kinds: BTreeSet<&str> = guards.iter().map(|c| c.kind().code()).collect();
    let all: BTreeSet<&str> = GuardKind::ALL.iter().map(|k| k.code()).collect();
    assert_eq!(kinds, all, "every guard kind appears");
    assert!(!p.opening_guards.is_empty(), "an opening guard");

    // Every variant of what a guard can say.
    let any = |f: &dyn Fn(&Check) -> bool| guards.iter().any(|c| f(c));
    assert!(any(
        &|c| matches!(c, Check::StepRecorded { undone_by, .. } if !undone_by.is_empty())
    ));
    // Conditions (any guard may carry one).
    let conditions: Vec<&fazhi_procedure::Condition> = p
        .opening_guards
        .iter()
        .chain(p.transitions.iter().flat_map(|t| t.guards.iter()))
        .map(|g| &g.when)
        .collect();
    assert!(conditions.iter().any(|w| !w.fields.is_empty()));
    assert!(conditions.iter().any(|w| !w.steps.is_empty()));
    assert!(conditions.iter().any(|w| !w.values.is_empty()));
    assert!(conditions.iter().any(|w| w.is_always()));
    assert!(any(
        &|c| matches!(c, Check::PeriodEnded { or_steps, on: DateRef::Field(_), .. } if !or_steps.is_empty())
    ));
    assert!(any(&|c| matches!(
        c,
        Check::TimerRunning {
            on: DateRef::Field(_),
            ..
        }
    )));
    assert!(any(&|c| matches!(
        c,
        Check::RegistryCount {
            at_least: 2,
            valid_on: DateRef::Field(_),
            registry: Registry::EnforcementOfficers,
            ..
        }
    )));
    assert!(any(
        &|c| matches!(c, Check::DateOrder { at_least: Some(p), .. } if p.unit == PeriodUnit::Days)
    ));
    assert!(any(
        &|c| matches!(c, Check::DateOrder { at_most: Some(p), .. } if p.unit == PeriodUnit::Workdays)
    ));
    assert!(any(&|c| matches!(
        c,
        Check::DateOrder {
            later: DateRef::Step,
            ..
        }
    )));
    assert!(any(&|c| matches!(
        c,
        Check::DatesNotBefore {
            date: DateRef::Opened
        }
    )));
    assert!(any(&|c| matches!(
        c,
        Check::DatesNotBefore {
            date: DateRef::Field(_)
        }
    )));
    assert!(any(
        &|c| matches!(c, Check::AmountLimit { limit: AmountBound::ByOption { limits_fen, .. }, .. }
        if limits_fen.contains(&("法人或者其他组织".to_owned(), 20_050)))
    ));
    assert!(any(&|c| matches!(
        c,
        Check::AmountLimit {
            limit: AmountBound::Field(_),
            ..
        }
    )));

    // Every lapse, and every feature of a timer.
    let lapses: BTreeSet<&str> = p
        .timers
        .iter()
        .map(|t| match t.lapse {
            Lapse::Overdue => "overdue",
            Lapse::Ends => "ends",
            Lapse::Deems(_) => "deems",
        })
        .collect();
    assert_eq!(lapses, BTreeSet::from(["overdue", "ends", "deems"]));
    let timer = |f: &dyn Fn(&fazhi_procedure::Timer) -> bool| p.timers.iter().any(f);
    assert!(timer(&|t| t.start == "open" && t.start_field.is_some()));
    assert!(
        timer(&|t| t.start_when.as_ref().is_some_and(|m| m.values.is_some())),
        "enum start_when"
    );
    assert!(
        timer(&|t| t.start_when.as_ref().is_some_and(|m| m.values.is_none())),
        "bool start_when"
    );
    assert!(timer(
        &|t| !t.restart.is_empty() && t.restart_field.is_some()
    ));
    assert!(p.timers.iter().all(|t| !t.stop.is_empty()));
    assert!(timer(&|t| !t.paused_in.is_empty()));
    assert!(timer(&|t| t.period_by.is_some() && t.choices.len() == 2));
    assert!(timer(&|t| t
        .choices
        .iter()
        .any(|c| !c.paused_in.is_empty() && c.extension.is_some())));
    assert!(
        timer(&|t| t.choices.iter().any(|c| c.extension.is_none())),
        "a choice without extension"
    );
    assert!(timer(&|t| t
        .extension
        .as_ref()
        .is_some_and(
            |e| e.length_field.is_some() && e.notice_field.is_some()
        )));
    let units: BTreeSet<&str> = p.timers.iter().map(|t| t.period.unit.code()).collect();
    assert_eq!(units, BTreeSet::from(["days", "workdays", "months"]));
    let deemed: Vec<&str> = p
        .transitions
        .iter()
        .filter(|t| t.deemed_by.is_some())
        .map(|t| t.action.as_str())
        .collect();
    assert_eq!(deemed, ["deemed_accept", "deemed_approve"]);
    assert!(p.transitions.iter().filter(|t| t.roles.is_empty()).count() == 2);

    // Outcomes, one correcting; publicity withdrawn by a step.
    assert!(p.outcomes.iter().any(|o| o.corrects) && p.outcomes.iter().any(|o| !o.corrects));
    let publicity = p.publicity.as_ref().expect("publicity");
    assert_eq!(publicity.withdrawn_by.len(), 1);
    assert!(publicity.redacted.iter().any(|f| f == "applicant"));
}

#[test]
fn an_ordinary_application_meets_every_guard_refusing_once_and_passing_once() {
    let mut t = Tally::default();

    // 第十条: the application cannot arrive after the case is registered.
    let fields = opening("2025-09-25", "公民");
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    match Driver::try_open(toy(), OFFICER, date!(2025 - 09 - 24), &pairs) {
        Err(Refusal::Guard(g)) => {
            assert_eq!(
                (g.kind, g.article.as_str()),
                (GuardKind::DateOrder, "示例许可法第十条")
            );
        }
        other => panic!("opening should be refused: {other:?}"),
    }
    let mut d = open(date!(2025 - 09 - 24), "2025-09-24", "公民");
    t.passed.insert("date_order");

    // Five working days from receipt: 25, 26, Sunday 28 (调休上班), 29, 30 September.
    let review = d
        .timer("acceptance_review", date!(2025 - 09 - 24))
        .expect("runs");
    assert_eq!(review.due.map(|d| d.date), Some(date!(2025 - 09 - 30)));
    assert_eq!(review.lapse, LapseKind::Deems);
    assert_eq!(review.counts_from(&d.procedure), "收到申请日期");

    // 第十二条第二款: one notice of correction, within the five working days, not before receipt.
    let notice = |date: &'static str| {
        [
            ("correction_items", "营业场所证明"),
            ("correction_notice_date", date),
        ]
    };
    let early = t.no(
        &mut d,
        OFFICER,
        "request_correction",
        date!(2025 - 09 - 26),
        &notice("2025-09-23"),
        GuardKind::DatesNotBefore,
    );
    assert!(
        early.fields.contains(&"correction_notice_date".to_owned()),
        "{early:?}"
    );
    let late = t.no(
        &mut d,
        OFFICER,
        "request_correction",
        date!(2025 - 09 - 26),
        &notice("2025-10-09"),
        GuardKind::DateOrder,
    );
    assert_eq!(late.dates, [date!(2025 - 09 - 24), date!(2025 - 10 - 09)]);
    t.ok(
        &mut d,
        OFFICER,
        "request_correction",
        date!(2025 - 09 - 26),
        &notice("2025-09-26"),
    );

    // While the applicant corrects, the review does not run and nothing is deemed.
    let paused = d
        .timer("acceptance_review", date!(2025 - 10 - 09))
        .expect("kept");
    assert!(paused.paused && paused.due.is_none(), "{paused:?}");
    assert_eq!(d.state(date!(2025 - 10 - 09)), "awaiting_correction");

    // 第十二条第三款: afresh from the correction's receipt (Friday 10 October): Saturday 11 (调休上班),
    // 13, 14, 15, 16 October.
    t.ok(
        &mut d,
        OFFICER,
        "receive_correction",
        date!(2025 - 10 - 13),
        &[("correction_received_date", "2025-10-10")],
    );
    let review = d
        .timer("acceptance_review", date!(2025 - 10 - 13))
        .expect("restarted");
    assert_eq!(review.due.map(|d| d.date), Some(date!(2025 - 10 - 16)));
    assert_eq!(
        (review.started_on, review.counts_from(&d.procedure).as_str()),
        (date!(2025 - 10 - 10), "收到补正材料日期")
    );
    t.no(
        &mut d,
        OFFICER,
        "request_correction",
        date!(2025 - 10 - 13),
        &notice("2025-10-13"),
        GuardKind::AtMostOnce,
    );

    // 第十三条: a citizen pays at most 50 yuan.
    let accept = |fee: &'static str| {
        [
            ("acceptance_date", "2025-10-15"),
            ("procedure_kind", "普通程序"),
            ("reviewers", "20,21"),
            ("fee", fee),
            ("major_interest", "是"),
        ]
    };
    let fee = t.no(
        &mut d,
        OFFICER,
        "accept",
        date!(2025 - 10 - 15),
        &accept("50.01"),
        GuardKind::AmountLimit,
    );
    assert_eq!(fee.fields, ["fee", "applicant_kind"]);
    t.ok(
        &mut d,
        OFFICER,
        "accept",
        date!(2025 - 10 - 15),
        &accept("50"),
    );
    assert!(
        d.timer("acceptance_review", date!(2025 - 10 - 15))
            .is_none(),
        "stopped"
    );
    assert!(
        d.timer("tacit_approval", date!(2025 - 10 - 15)).is_none(),
        "ordinary: no tacit approval"
    );
    // Twenty working days from acceptance: 12 November.
    let decision = d.timer("decision", date!(2025 - 10 - 15)).expect("runs");
    assert_eq!(decision.due.map(|d| d.date), Some(date!(2025 - 11 - 12)));
    assert_eq!(
        (decision.article.as_str(), decision.period.to_string()),
        ("示例许可法第二十条第一款", "20个工作日".to_owned())
    );
    // The bool start_when: major interests, so the right to a hearing is told within five working days.
    assert_eq!(
        due(&d, "hearing_right_notice", date!(2025 - 10 - 15)),
        Some(date!(2025 - 10 - 22))
    );

    let decide = |conformity: &'static str, on: &'static str| {
        [
            ("conformity", conformity),
            ("decision_date", on),
            ("permit_number", "JY-2025-001"),
        ]
    };
    t.no(
        &mut d,
        LEGAL,
        "approve",
        date!(2025 - 10 - 16),
        &decide("不符合法定条件、标准", "2025-10-16"),
        GuardKind::FieldIn,
    );
    // The ordinary procedure verifies on the spot first (when_values).
    let unverified = t.no(
        &mut d,
        LEGAL,
        "approve",
        date!(2025 - 10 - 16),
        &decide("符合法定条件、标准", "2025-10-16"),
        GuardKind::StepRecorded,
    );
    assert_eq!(unverified.article, "示例许可法第十四条、第十五条");

    // 第十四条: two officers with a certificate valid on the inspection day (105's expired).
    let inspectors = t.no(
        &mut d,
        OFFICER,
        "inspect",
        date!(2025 - 10 - 17),
        &[("inspectors", "101,105"), ("inspection_date", "2025-10-17")],
        GuardKind::RegistryCount,
    );
    assert_eq!(
        (inspectors.fields.as_slice(), inspectors.dates.as_slice()),
        (&["inspectors".to_owned()][..], &[date!(2025 - 10 - 17)][..])
    );
    t.ok(
        &mut d,
        OFFICER,
        "inspect",
        date!(2025 - 10 - 17),
        &[("inspectors", "101,102"), ("inspection_date", "2025-10-17")],
    );

    // Major interests (when_fields): the right to a hearing is told first.
    let untold = t.no(
        &mut d,
        LEGAL,
        "approve",
        date!(2025 - 10 - 17),
        &decide("符合法定条件、标准", "2025-10-17"),
        GuardKind::StepRecorded,
    );
    assert_eq!(untold.article, "示例许可法第十八条第一款");
    t.ok(
        &mut d,
        OFFICER,
        "inform_hearing_right",
        date!(2025 - 10 - 20),
        &[("hearing_right_notice_date", "2025-10-20")],
    );
    assert!(
        d.timer("hearing_right_notice", date!(2025 - 10 - 20))
            .is_none(),
        "satisfied"
    );
    // The applicant's five days end on Saturday 25 October, moved to Monday 27.
    let request = d
        .timer("hearing_request_period", date!(2025 - 10 - 20))
        .expect("runs");
    assert_eq!(
        (request.due.map(|d| d.date), request.lapse),
        (Some(date!(2025 - 10 - 27)), LapseKind::Ends)
    );

    // The applicant's period must have ended (or been waived) before the decision.
    let pending = t.no(
        &mut d,
        LEGAL,
        "approve",
        date!(2025 - 10 - 21),
        &decide("符合法定条件、标准", "2025-10-21"),
        GuardKind::PeriodEnded,
    );
    assert_eq!(pending.dates, [date!(2025 - 10 - 27)]);

    // A request dated after the period is refused, even when registered within it (`on`).
    let lapsed = t.no(
        &mut d,
        OFFICER,
        "request_hearing",
        date!(2025 - 10 - 24),
        &[("hearing_request_date", "2025-10-28")],
        GuardKind::TimerRunning,
    );
    assert_eq!(lapsed.dates, [date!(2025 - 10 - 27)]);
    t.ok(
        &mut d,
        OFFICER,
        "request_hearing",
        date!(2025 - 10 - 24),
        &[("hearing_request_date", "2025-10-24")],
    );
    assert!(
        d.timer("hearing_request_period", date!(2025 - 10 - 24))
            .is_none(),
        "stopped by the request"
    );
    assert_eq!(
        due(&d, "hearing_organise", date!(2025 - 10 - 24)),
        Some(date!(2025 - 11 - 13))
    );
    t.no(
        &mut d,
        OFFICER,
        "waive_hearing",
        date!(2025 - 10 - 24),
        &[("waiver_date", "2025-10-24")],
        GuardKind::StepNotRecorded,
    );
    // Requested (when_steps): the hearing is held first.
    let unheard = t.no(
        &mut d,
        LEGAL,
        "approve",
        date!(2025 - 10 - 24),
        &decide("符合法定条件、标准", "2025-10-24"),
        GuardKind::StepRecorded,
    );
    assert_eq!(unheard.article, "示例许可法第十九条");

    // 第十九条: the chair is none of the reviewers; notice seven days before (27 October + 7 = 3 November).
    let hearing = |chair: &'static str, on: &'static str| {
        [
            ("hearing_notice_date", "2025-10-27"),
            ("hearing_date", on),
            ("hearing_chair", chair),
        ]
    };
    let chair = t.no(
        &mut d,
        LEGAL,
        "notify_hearing",
        date!(2025 - 10 - 27),
        &hearing("20", "2025-11-03"),
        GuardKind::PeopleDistinct,
    );
    assert_eq!(chair.fields, ["hearing_chair", "reviewers"]);
    let short = t.no(
        &mut d,
        LEGAL,
        "notify_hearing",
        date!(2025 - 10 - 27),
        &hearing("10", "2025-11-02"),
        GuardKind::DateOrder,
    );
    assert_eq!(short.article, "示例许可法第十九条第一款第一项");
    t.ok(
        &mut d,
        LEGAL,
        "notify_hearing",
        date!(2025 - 10 - 27),
        &hearing("10", "2025-11-03"),
    );
    let paused = d.timer("decision", date!(2025 - 10 - 28)).expect("kept");
    assert!(
        paused.paused && paused.due.is_none(),
        "the hearing is not counted: {paused:?}"
    );
    t.no(
        &mut d,
        LEGAL,
        "hold_hearing",
        date!(2025 - 10 - 31),
        &[],
        GuardKind::DateOrder,
    );
    t.ok(&mut d, LEGAL, "hold_hearing", date!(2025 - 11 - 03), &[]);
    // 27–31 October (five working days) not counted: 12 November + 5 = 19 November.
    assert_eq!(
        due(&d, "decision", date!(2025 - 11 - 03)),
        Some(date!(2025 - 11 - 19))
    );

    // 第十五条: an amendment undoes the verification.
    t.ok(
        &mut d,
        OFFICER,
        "amend_application",
        date!(2025 - 11 - 04),
        &[("amendment", "增加经营项目")],
    );
    let undone = t.no(
        &mut d,
        LEGAL,
        "approve",
        date!(2025 - 11 - 04),
        &decide("符合法定条件、标准", "2025-11-04"),
        GuardKind::StepRecorded,
    );
    assert_eq!(undone.article, "示例许可法第十四条、第十五条");
    t.ok(
        &mut d,
        OFFICER,
        "inspect",
        date!(2025 - 11 - 05),
        &[("inspectors", "101,102"), ("inspection_date", "2025-11-05")],
    );

    // 第十六条: suspended at the applicant's request; the limit of a month runs (6 December is a
    // Saturday: 8 December), the decision period pauses.
    t.ok(
        &mut d,
        LEGAL,
        "suspend",
        date!(2025 - 11 - 06),
        &[
            ("suspension_reason", "申请人申请中止"),
            ("suspension_notice_date", "2025-11-06"),
        ],
    );
    assert_eq!(
        due(&d, "suspension_limit", date!(2025 - 11 - 06)),
        Some(date!(2025 - 12 - 08))
    );
    let limit = t.no(
        &mut d,
        LEGAL,
        "terminate",
        date!(2025 - 11 - 10),
        &[],
        GuardKind::PeriodEnded,
    );
    assert_eq!(limit.dates, [date!(2025 - 12 - 08)]);
    t.ok(
        &mut d,
        LEGAL,
        "resume",
        date!(2025 - 11 - 13),
        &[("resumption_notice_date", "2025-11-13")],
    );
    assert!(
        d.timer("suspension_limit", date!(2025 - 11 - 13)).is_none(),
        "stopped by the resumption"
    );
    // 6–12 November (five working days) not counted either: 26 November.
    assert_eq!(
        due(&d, "decision", date!(2025 - 11 - 13)),
        Some(date!(2025 - 11 - 26))
    );

    // 第二十条第二款: once, at most ten working days, with its length and the written notice.
    let extend = |days: &'static str| {
        [
            ("extension_reason", "情况复杂"),
            ("extension_days", days),
            ("extension_notice_date", "2025-11-14"),
        ]
    };
    match d.refused(LEGAL, "extend", date!(2025 - 11 - 14), &extend("11")) {
        Refusal::Extension {
            problem: ExtensionProblem::TooLong,
            max: Some(max),
            ..
        } => {
            assert_eq!(max.to_string(), "10个工作日");
        }
        other => panic!("{other:?}"),
    }
    t.ok(&mut d, LEGAL, "extend", date!(2025 - 11 - 14), &extend("5"));
    let extended = d.timer("decision", date!(2025 - 11 - 14)).expect("runs");
    assert_eq!(
        (extended.due.map(|d| d.date), extended.extended),
        (Some(date!(2025 - 12 - 03)), true)
    );
    assert_eq!(extended.period.to_string(), "25个工作日");
    assert!(matches!(
        d.refused(LEGAL, "extend", date!(2025 - 11 - 17), &extend("1")),
        Refusal::Extension {
            problem: ExtensionProblem::Exhausted,
            ..
        }
    ));

    t.ok(
        &mut d,
        LEGAL,
        "approve",
        date!(2025 - 11 - 17),
        &decide("符合法定条件、标准", "2025-11-17"),
    );
    assert_eq!(d.case.state, "approved");
    assert!(
        d.timers(date!(2025 - 11 - 17)).is_empty(),
        "every period satisfied"
    );

    // 第二十三条, 第二十四条第二款: revoked, its publication withdrawn within seven working days.
    let revoke = |on: &'static str| {
        [
            ("revocation_reason", "以欺骗、贿赂等不正当手段取得"),
            ("revocation_date", on),
        ]
    };
    t.no(
        &mut d,
        LEGAL,
        "revoke_permit",
        date!(2025 - 11 - 18),
        &revoke("2025-11-16"),
        GuardKind::DateOrder,
    );
    t.ok(
        &mut d,
        LEGAL,
        "revoke_permit",
        date!(2025 - 11 - 18),
        &revoke("2025-11-18"),
    );
    assert_eq!(
        due(&d, "publicity_withdrawal", date!(2025 - 11 - 18)),
        Some(date!(2025 - 11 - 27))
    );
    t.ok(
        &mut d,
        LEGAL,
        "withdraw_publicity",
        date!(2025 - 11 - 21),
        &[("publicity_withdrawal_date", "2025-11-21")],
    );
    assert!(
        d.timer("publicity_withdrawal", date!(2025 - 11 - 21))
            .is_none()
    );
    t.no(
        &mut d,
        LEGAL,
        "withdraw_publicity",
        date!(2025 - 11 - 24),
        &[("publicity_withdrawal_date", "2025-11-24")],
        GuardKind::AtMostOnce,
    );

    let all: BTreeSet<&str> = GuardKind::ALL.iter().map(|k| k.code()).collect();
    assert_eq!(t.refused, all, "every guard kind refused once");
    assert_eq!(t.passed, all, "every guard kind held once");
}

#[test]
fn unanswered_the_application_is_deemed_accepted_and_the_decision_counts_from_that_day() {
    let mut d = open(date!(2025 - 09 - 24), "2025-09-24", "法人或者其他组织");
    assert_eq!(
        d.state(date!(2025 - 09 - 30)),
        "received",
        "the last day is still the agency's"
    );
    let replay = d.replay(date!(2025 - 10 - 09));
    assert_eq!(replay.state, "reviewing");
    let deemed = replay.history.last().expect("a step");
    assert_eq!(
        (
            deemed.action.as_str(),
            deemed.on,
            deemed.deemed_by.as_deref()
        ),
        (
            "deemed_accept",
            date!(2025 - 09 - 30),
            Some("acceptance_review")
        )
    );
    assert_eq!(d.case.history.len(), 1, "derived, never stored");
    let projected = Replay::of(&d.procedure, &d.case, AsOf::Projected, &d.calendar);
    assert!(
        projected
            .history
            .iter()
            .any(|s| s.action == "deemed_accept")
    );

    // Twenty working days from 30 September: 9 October … 4 November.
    let decision = d
        .timer("decision_deemed", date!(2025 - 10 - 09))
        .expect("runs");
    assert_eq!(
        (decision.started_on, decision.due.map(|d| d.date)),
        (date!(2025 - 09 - 30), Some(date!(2025 - 11 - 04)))
    );
    assert_eq!(decision.counts_from(&d.procedure), "视为受理之日");
    assert!(matches!(
        d.refused(OFFICER, "accept", date!(2025 - 10 - 09), &[]),
        Refusal::NotAllowedInState { state, .. } if state == "reviewing"
    ));
    // The extension of the timer itself (not of a choice), refused after the lapse.
    let extend = [
        ("extension_reason", "情况复杂"),
        ("extension_days", "10"),
        ("extension_notice_date", "2025-11-05"),
    ];
    assert!(matches!(
        d.refused(LEGAL, "extend", date!(2025 - 11 - 05), &extend),
        Refusal::Extension {
            problem: ExtensionProblem::Lapsed,
            ..
        }
    ));
    d.step(
        LEGAL,
        "extend",
        date!(2025 - 10 - 20),
        &[
            ("extension_reason", "情况复杂"),
            ("extension_days", "10"),
            ("extension_notice_date", "2025-10-20"),
        ],
    );
    assert_eq!(
        due(&d, "decision_deemed", date!(2025 - 10 - 20)),
        Some(date!(2025 - 11 - 18))
    );
    // The stored steps now jump from the deemed state; the replay keeps the deemed step.
    let replay = d.replay(date!(2025 - 10 - 20));
    let history: Vec<&str> = replay.history.iter().map(|s| s.action.as_str()).collect();
    assert_eq!(history, ["open", "deemed_accept", "extend"]);
}

#[test]
fn the_simplified_procedure_has_its_own_period_and_a_tacit_approval() {
    let mut d = open(date!(2025 - 09 - 24), "2025-09-24", "法人或者其他组织");
    let accept = |fee: &'static str| {
        [
            ("acceptance_date", "2025-09-25"),
            ("procedure_kind", "简易程序"),
            ("reviewers", "20"),
            ("fee", fee),
        ]
    };
    // A company pays at most 200.50 yuan.
    match d.refused(OFFICER, "accept", date!(2025 - 09 - 25), &accept("200.51")) {
        Refusal::Guard(g) => assert_eq!(g.kind, GuardKind::AmountLimit),
        other => panic!("{other:?}"),
    }
    d.step(OFFICER, "accept", date!(2025 - 09 - 25), &accept("200.50"));
    assert!(
        d.timer("hearing_right_notice", date!(2025 - 09 - 25))
            .is_none(),
        "no major interests: not started"
    );
    // The choice's period: ten working days, 26, 28 September … 15 October.
    let decision = d.timer("decision", date!(2025 - 09 - 25)).expect("runs");
    assert_eq!(decision.due.map(|d| d.date), Some(date!(2025 - 10 - 15)));
    assert_eq!(
        (decision.article.as_str(), decision.period.to_string()),
        ("示例许可法第二十条第三款", "10个工作日".to_owned())
    );
    assert_eq!(
        due(&d, "tacit_approval", date!(2025 - 09 - 25)),
        Some(date!(2025 - 10 - 15))
    );
    // No extension in the simplified procedure.
    let extend = [
        ("extension_reason", "情况复杂"),
        ("extension_days", "5"),
        ("extension_notice_date", "2025-10-09"),
    ];
    assert!(matches!(
        d.refused(LEGAL, "extend", date!(2025 - 10 - 09), &extend),
        Refusal::Extension {
            problem: ExtensionProblem::NotRunning,
            ..
        }
    ));
    // An unconditional step_recorded: no hearing without a request.
    match d.refused(
        LEGAL,
        "notify_hearing",
        date!(2025 - 10 - 09),
        &[
            ("hearing_notice_date", "2025-10-09"),
            ("hearing_date", "2025-10-20"),
            ("hearing_chair", "10"),
        ],
    ) {
        Refusal::Guard(g) => assert_eq!(
            (g.kind, g.article.as_str()),
            (GuardKind::StepRecorded, "示例许可法第十八条第二款")
        ),
        other => panic!("{other:?}"),
    }

    assert_eq!(d.state(date!(2025 - 10 - 15)), "reviewing");
    let replay = d.replay(date!(2025 - 10 - 16));
    assert_eq!(replay.state, "approved");
    let deemed = replay.history.last().expect("a step");
    assert_eq!(
        (
            deemed.action.as_str(),
            deemed.on,
            deemed.deemed_by.as_deref()
        ),
        (
            "deemed_approve",
            date!(2025 - 10 - 15),
            Some("tacit_approval")
        )
    );
    let transition = d.procedure.transition("deemed_approve").expect("defined");
    assert_eq!(
        transition.outcome.as_ref().map(|o| o.as_str()),
        Some("approved_tacitly")
    );
    assert!(
        d.timers(date!(2025 - 10 - 16)).is_empty(),
        "the deemed approval satisfies the decision period"
    );
    assert!(matches!(
        d.refused(
            LEGAL,
            "approve",
            date!(2025 - 10 - 16),
            &[
                ("conformity", "符合法定条件、标准"),
                ("decision_date", "2025-10-16"),
                ("permit_number", "X")
            ]
        ),
        Refusal::NotAllowedInState { .. }
    ));
}

#[test]
fn a_suspension_for_testing_has_no_limit_and_a_refusal_refunds_at_most_the_fee() {
    let mut d = open(date!(2025 - 09 - 24), "2025-09-24", "公民");
    d.step(
        OFFICER,
        "accept",
        date!(2025 - 09 - 25),
        &[
            ("acceptance_date", "2025-09-25"),
            ("procedure_kind", "普通程序"),
            ("reviewers", "20"),
            ("fee", "30"),
        ],
    );
    d.step(
        LEGAL,
        "suspend",
        date!(2025 - 09 - 26),
        &[
            ("suspension_reason", "需要检验检测"),
            ("suspension_notice_date", "2025-09-26"),
        ],
    );
    assert!(
        d.timer("suspension_limit", date!(2025 - 09 - 26)).is_none(),
        "start_when: only the applicant's request"
    );
    match d.refused(LEGAL, "terminate", date!(2025 - 11 - 26), &[]) {
        Refusal::Guard(g) => assert_eq!(
            (g.kind, g.fields.as_slice()),
            (GuardKind::FieldIn, &["suspension_reason".to_owned()][..])
        ),
        other => panic!("{other:?}"),
    }
    match d.refused(
        LEGAL,
        "resume",
        date!(2025 - 10 - 13),
        &[("resumption_notice_date", "2025-09-25")],
    ) {
        Refusal::Guard(g) => assert_eq!(g.kind, GuardKind::DateOrder),
        other => panic!("{other:?}"),
    }
    d.step(
        LEGAL,
        "resume",
        date!(2025 - 10 - 13),
        &[("resumption_notice_date", "2025-10-13")],
    );
    // 29 October without the suspension; 26 September to 11 October (seven working days) not
    // counted, the day it ends is: 7 November.
    assert_eq!(
        due(&d, "decision", date!(2025 - 10 - 13)),
        Some(date!(2025 - 11 - 07))
    );
    let refuse = |refund: &'static str| {
        [
            ("decision_date", "2025-10-14"),
            ("refusal_reason", "不符合条件"),
            ("refund", refund),
        ]
    };
    match d.refused(LEGAL, "refuse", date!(2025 - 10 - 14), &refuse("30.01")) {
        Refusal::Guard(g) => assert_eq!(
            (g.kind, g.fields.as_slice()),
            (
                GuardKind::AmountLimit,
                &["refund".to_owned(), "fee".to_owned()][..]
            )
        ),
        other => panic!("{other:?}"),
    }
    d.step(LEGAL, "refuse", date!(2025 - 10 - 14), &refuse("30"));
    assert_eq!(d.case.state, "refused");
}
