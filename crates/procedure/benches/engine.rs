//! Steps per second through the engine: a whole ordinary 行政处罚 case (registration to closing,
//! eight steps) checked by `check` and its periods replayed after each step, as the case service
//! does (`cargo bench -p fazhi-procedure`). The reference in the same run is the bookkeeping
//! alone — parsing nothing, checking nothing, only recording the same steps — so the ratio says
//! what the checks cost. `bench/engine.sh` runs this beside the engine as it was before
//! procedures became data (commit fb910c2), on the same case.

use std::collections::BTreeMap;

use fazhi_calendar::{Calendar, Period, Unit};
use fazhi_procedure::{
    AsOf, Case, Command, DepartmentFact, Due, Facts, FieldValue, PeriodCalculator, PeriodUnit,
    Procedure, Registry, RegistryEntry, Replay, Role, Step, Subject, check_replayed, load_embedded,
};
use time::Date;
use time::macros::date;

fn main() {
    divan::main();
}

#[derive(Debug)]
struct Official(&'static Calendar);

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

const OFFICER: Subject = Subject {
    user_id: 10,
    role: Role::Officer,
    department_id: Some(7),
    jurisdiction_id: 1,
};
const LEGAL: Subject = Subject {
    user_id: 11,
    role: Role::DepartmentLegal,
    department_id: Some(7),
    jurisdiction_id: 1,
};

/// A step to take: (actor, action, date, fields).
type Planned = (
    Subject,
    &'static str,
    Date,
    Vec<(&'static str, &'static str)>,
);

/// The case's steps after its opening.
fn steps() -> Vec<Planned> {
    vec![
        (
            OFFICER,
            "file_case",
            date!(2025 - 03 - 04),
            vec![
                ("party", "某某餐饮有限公司"),
                ("party_kind", "法人"),
                ("case_cause", "未按规定公示食品经营许可证"),
                ("filing_date", "2025-03-04"),
                ("department", "7"),
                ("period_rule", "行政处罚法第六十条"),
            ],
        ),
        (
            OFFICER,
            "record_investigation",
            date!(2025 - 03 - 06),
            vec![("investigators", "101,102")],
        ),
        (
            OFFICER,
            "notify_rights",
            date!(2025 - 03 - 10),
            vec![
                ("proposed_penalty", "警告"),
                ("notice_date", "2025-03-10"),
                ("hearing_right_notified", "否"),
            ],
        ),
        (
            OFFICER,
            "record_statement",
            date!(2025 - 03 - 11),
            vec![("statement", "当事人无异议")],
        ),
        (
            LEGAL,
            "decide_penalty",
            date!(2025 - 03 - 14),
            vec![
                ("decision_date", "2025-03-14"),
                ("decision_number", "滨市监罚〔2025〕1号"),
                ("penalty_type", "警告"),
                ("legal_basis", "《食品安全法》第一百四十五条"),
            ],
        ),
        (
            OFFICER,
            "serve_decision",
            date!(2025 - 03 - 17),
            vec![("service_date", "2025-03-17")],
        ),
        (
            OFFICER,
            "record_execution",
            date!(2025 - 03 - 18),
            vec![("execution_note", "已履行")],
        ),
    ]
}

/// The same case's steps under the definition as it was before the corrections
/// (`penalty_2025.toml`: the engine's own cost, measured on what the old engine ran).
fn steps_2025() -> Vec<Planned> {
    vec![
        (
            OFFICER,
            "file_case",
            date!(2025 - 03 - 04),
            vec![
                ("party", "某某餐饮有限公司"),
                ("party_kind", "法人"),
                ("case_cause", "未按规定公示食品经营许可证"),
                ("filing_date", "2025-03-04"),
                ("department", "7"),
            ],
        ),
        (
            OFFICER,
            "record_investigation",
            date!(2025 - 03 - 06),
            vec![("investigators", "101,102")],
        ),
        (
            OFFICER,
            "notify_rights",
            date!(2025 - 03 - 10),
            vec![("proposed_penalty", "警告"), ("notice_date", "2025-03-10")],
        ),
        (
            OFFICER,
            "record_statement",
            date!(2025 - 03 - 11),
            vec![("statement", "当事人无异议")],
        ),
        (
            LEGAL,
            "decide_penalty",
            date!(2025 - 03 - 14),
            vec![
                ("decision_date", "2025-03-14"),
                ("decision_number", "滨市监罚〔2025〕1号"),
                ("penalty_type", "警告"),
                ("legal_basis", "《食品安全法》第一百四十五条"),
            ],
        ),
        (
            OFFICER,
            "serve_decision",
            date!(2025 - 03 - 17),
            vec![("service_date", "2025-03-17")],
        ),
        (
            OFFICER,
            "record_execution",
            date!(2025 - 03 - 18),
            vec![("execution_note", "已履行")],
        ),
    ]
}

fn penalty_2025() -> Procedure {
    fazhi_procedure::parse_definition(
        std::path::Path::new("penalty_2025.toml"),
        include_str!("penalty_2025.toml"),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn facts() -> Facts {
    let officer = |id| RegistryEntry {
        registry: Registry::EnforcementOfficers,
        person_id: id,
        department_id: Some(7),
        valid_from: Some(date!(2020 - 01 - 01)),
        valid_until: Some(date!(2030 - 12 - 31)),
        revoked: false,
        number: String::new(),
    };
    Facts {
        people: vec![officer(101), officer(102)],
        departments: vec![DepartmentFact {
            id: 7,
            active: true,
        }],
    }
}

fn opened(procedure: &Procedure) -> Case {
    let on = date!(2025 - 03 - 03);
    let fields: BTreeMap<String, FieldValue> = BTreeMap::from([
        (
            "case_cause".to_owned(),
            FieldValue::Text("未按规定公示食品经营许可证".to_owned()),
        ),
        ("discovered_date".to_owned(), FieldValue::Date(on)),
    ]);
    let initial = procedure.initial_state().id.as_str().to_owned();
    Case {
        state: initial.clone(),
        version: 1,
        department_id: 7,
        jurisdiction_id: 1,
        opened_by: OFFICER.user_id,
        assigned: vec![OFFICER.user_id],
        opened_on: on,
        fields: fields.clone(),
        history: vec![Step {
            action: "open".into(),
            on,
            state_after: initial,
            fields,
            deemed_by: None,
        }],
    }
}

fn penalty() -> Procedure {
    load_embedded()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find(|p| p.id == "penalty")
        .unwrap_or_else(|| panic!("no penalty"))
}

/// One whole case through the engine; returns the number of steps (all must be accepted).
fn run_case(procedure: &Procedure, facts: &Facts, calendar: &Official, steps: &[Planned]) -> usize {
    let mut case = opened(procedure);
    for (actor, action, on, pairs) in steps {
        let command = Command {
            actor: *actor,
            action: (*action).to_owned(),
            on: *on,
            fields: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            expected_version: case.version,
        };
        // As the case service does: one replay for the check, the step recorded on it, then
        // the periods projected.
        let step;
        {
            let mut replay = Replay::of(procedure, &case, AsOf::Day(*on), calendar);
            let accepted = check_replayed(procedure, &case, &replay, &command, facts, calendar)
                .unwrap_or_else(|e| panic!("{action}: {e:?}"));
            step = Step {
                // The command is not needed any more (the engine before moved it likewise).
                action: command.action,
                on: *on,
                state_after: accepted.to,
                fields: accepted.fields,
                deemed_by: None,
            };
            replay.record(procedure, std::borrow::Cow::Borrowed(&step), calendar);
            replay.project(procedure, calendar);
            divan::black_box(replay.open_timers(procedure, calendar));
        }
        case.state = step.state_after.clone();
        case.version += 1;
        case.fields.extend(step.fields.clone());
        case.history.push(step);
    }
    steps.len()
}

#[divan::bench]
fn engine_steps(bencher: divan::Bencher) {
    let procedure = penalty();
    let facts = facts();
    let calendar = Official(Calendar::official().unwrap_or_else(|e| panic!("{e}")));
    let steps = steps();
    bencher
        .counter(divan::counter::ItemsCount::new(steps.len()))
        .bench(|| run_case(&procedure, &facts, &calendar, &steps));
}

/// The engine on the definition as it was before the corrections: the comparison with the engine
/// of commit fb910c2 (`bench/engine.sh`), same definition, same case.
#[divan::bench]
fn engine_steps_2025_definition(bencher: divan::Bencher) {
    let procedure = penalty_2025();
    let facts = facts();
    let calendar = Official(Calendar::official().unwrap_or_else(|e| panic!("{e}")));
    let steps = steps_2025();
    bencher
        .counter(divan::counter::ItemsCount::new(steps.len()))
        .bench(|| run_case(&procedure, &facts, &calendar, &steps));
}

/// The reference: recording the same steps without checking or replaying anything.
#[divan::bench]
fn bookkeeping_only(bencher: divan::Bencher) {
    let procedure = penalty();
    let steps = steps();
    bencher
        .counter(divan::counter::ItemsCount::new(steps.len()))
        .bench(|| {
            let mut case = opened(&procedure);
            for (_, action, on, pairs) in &steps {
                let fields: BTreeMap<String, FieldValue> = pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), FieldValue::Text((*v).to_owned())))
                    .collect();
                case.version += 1;
                case.fields.extend(fields.clone());
                case.history.push(Step {
                    action: (*action).to_owned(),
                    on: *on,
                    state_after: String::new(),
                    fields,
                    deemed_by: None,
                });
            }
            divan::black_box(case).history.len()
        });
}
