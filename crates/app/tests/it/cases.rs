//! The case service on both databases: a penalty case from filing to service, refusals that
//! write nothing, and two concurrent actions on the same version of which exactly one wins.

use std::collections::BTreeMap;

use fazhi_app::authz::{Scope, Subject};
use fazhi_app::cases::{self, CaseError};
use fazhi_app::domain::Role;
use fazhi_app::engine::{Command, Due, EngineError, PeriodCalculator};
use fazhi_app::procedure::{PeriodUnit, Procedure, load_embedded};
use fazhi_app::store::cases::CaseFilter;
use time::Date;
use time::macros::date;

use crate::db_test;
use crate::support::{TestDb, test_now};

/// Every day counts; enough to test the service's storage, not the calendar's rules.
#[derive(Debug)]
pub struct PlainDays;

impl PeriodCalculator for PlainDays {
    fn due(&self, start: Date, n: u32, _unit: PeriodUnit, paused: &[(Date, Date)]) -> Option<Due> {
        let skipped: i64 = paused
            .iter()
            .map(|(from, until)| (*until - *from).whole_days())
            .sum();
        Some(Due {
            date: start + time::Duration::days(i64::from(n) + skipped),
            provisional: false,
        })
    }

    fn workdays_between(&self, from: Date, to: Date) -> i64 {
        (to - from).whole_days()
    }
}

fn penalty() -> Procedure {
    load_embedded()
        .expect("definitions")
        .into_iter()
        .find(|p| p.id == "penalty")
        .expect("penalty")
}

/// The demo's market regulator, its officer and legal officer accounts, and two of its people
/// holding valid certificates.
struct Market {
    department: i64,
    officer: Subject,
    legal: Subject,
    investigators: String,
}

async fn market(db: &TestDb) -> Market {
    let store = &db.store;
    let department = store
        .active_departments(Scope::All)
        .await
        .expect("departments")
        .into_iter()
        .find(|d| d.name.ends_with("市场监督管理局"))
        .expect("market")
        .id;
    let subject = |username: &'static str| async move {
        let user = store
            .user_by_username(username)
            .await
            .expect("read")
            .expect("demo user");
        Subject {
            user_id: user.id,
            role: user.role,
            department_id: user.department_id,
        }
    };
    let filter = fazhi_app::store::org::ListFilter {
        department_id: Some(department),
        page: 1,
        per_page: 2,
        ..Default::default()
    };
    let people = store
        .list_people(Scope::All, &filter)
        .await
        .expect("people")
        .items;
    for (index, person) in people.iter().enumerate() {
        store
            .add_certificate(
                person.id,
                &format!("99990200{index}"),
                "市场监管",
                date!(2020 - 01 - 01),
                date!(2030 - 12 - 31),
                "2025-01-01T00:00:00Z",
            )
            .await
            .expect("certificate");
    }
    Market {
        department,
        officer: subject("zhifa").await,
        legal: subject("fazhi").await,
        investigators: people
            .iter()
            .map(|p| p.id.to_string())
            .collect::<Vec<_>>()
            .join(","),
    }
}

/// One scripted step: action, actor, date, fields.
type Scripted<'a> = (&'a str, Subject, Date, Vec<(&'a str, &'a str)>);

fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn command(
    actor: Subject,
    action: &str,
    on: Date,
    pairs: &[(&str, &str)],
    version: i64,
) -> Command {
    Command {
        actor,
        action: action.to_owned(),
        on,
        fields: fields(pairs),
        expected_version: version,
    }
}

db_test!(
    a_penalty_case_runs_from_registration_to_service,
    with_demo,
    |db| {
        let m = market(db).await;
        let procedure = penalty();
        let store = &db.store;
        let (id, number) = cases::open_case(
            store,
            &procedure,
            &PlainDays,
            &m.officer,
            m.department,
            &fields(&[("case_cause", "销售过期食品")]),
            date!(2025 - 03 - 03),
            test_now(),
        )
        .await
        .expect("open");
        assert!(number.starts_with("罚-2025-"), "{number}");
        let steps: Vec<Scripted> = vec![
            (
                "file_case",
                m.officer,
                date!(2025 - 03 - 03),
                vec![
                    ("party", "某某超市"),
                    ("party_kind", "法人"),
                    ("filing_date", "2025-03-03"),
                    ("department", "1"),
                ],
            ),
            (
                "record_investigation",
                m.officer,
                date!(2025 - 03 - 05),
                vec![("investigators", &m.investigators)],
            ),
            (
                "notify_rights",
                m.officer,
                date!(2025 - 03 - 10),
                vec![
                    ("proposed_penalty", "罚款5000元"),
                    ("notice_date", "2025-03-10"),
                ],
            ),
            (
                "decide_penalty",
                m.legal,
                date!(2025 - 03 - 20),
                vec![
                    ("decision_date", "2025-03-20"),
                    ("decision_number", "滨市监罚〔2025〕1号"),
                    ("penalty_type", "罚款"),
                    ("fine_amount", "5000"),
                    ("legal_basis", "《食品安全法》第一百二十四条"),
                ],
            ),
            (
                "serve_decision",
                m.officer,
                date!(2025 - 03 - 21),
                vec![("service_date", "2025-03-21")],
            ),
        ];
        for (version, (action, actor, on, pairs)) in (1..).zip(steps) {
            cases::act(
                store,
                &procedure,
                &PlainDays,
                id,
                &command(actor, action, on, &pairs, version),
                test_now(),
            )
            .await
            .unwrap_or_else(|e| panic!("{action}: {e}"));
        }
        let case = store
            .case_for(&m.legal, id)
            .await
            .expect("visible to the department");
        assert_eq!(
            (case.state.as_str(), case.version, case.outcome.as_deref()),
            ("served", 6, Some("penalised"))
        );
        let timers = store.case_timers(id).await.expect("timers");
        assert_eq!(
            timers
                .iter()
                .map(|t| t.timer_id.as_str())
                .collect::<Vec<_>>(),
            ["payment"]
        );
        assert_eq!(
            timers[0].due_on.as_deref(),
            Some("2025-04-05"),
            "15 days after service"
        );
        let steps = store.case_steps(id).await.expect("steps");
        assert_eq!(steps.len(), 6);
        assert_eq!(
            store
                .events_of(&format!("case:{id}"))
                .await
                .expect("events")
                .len(),
            6,
            "one event per step"
        );
        let listed = store
            .list_cases(
                &m.officer,
                &CaseFilter {
                    procedure: "penalty".into(),
                    page: 1,
                    per_page: 20,
                    ..Default::default()
                },
            )
            .await
            .expect("list");
        assert_eq!(listed.total, 1, "the officer sees the case they opened");
    }
);

db_test!(a_refused_action_writes_nothing, with_demo, |db| {
    let m = market(db).await;
    let procedure = penalty();
    let store = &db.store;
    let (id, _) = cases::open_case(
        store,
        &procedure,
        &PlainDays,
        &m.officer,
        m.department,
        &fields(&[("case_cause", "无证经营")]),
        date!(2025 - 05 - 06),
        test_now(),
    )
    .await
    .expect("open");
    let n_events = store.count_events().await.expect("count");
    let refused = cases::act(
        store,
        &procedure,
        &PlainDays,
        id,
        &command(
            m.officer,
            "serve_decision",
            date!(2025 - 05 - 07),
            &[("service_date", "2025-05-07")],
            1,
        ),
        test_now(),
    )
    .await;
    assert!(
        matches!(
            refused,
            Err(CaseError::Refused(EngineError::NotAllowedInState { .. }))
        ),
        "{refused:?}"
    );
    let before_filing = cases::act(
        store,
        &procedure,
        &PlainDays,
        id,
        &command(
            m.officer,
            "file_case",
            date!(2025 - 05 - 01),
            &[
                ("party", "张三"),
                ("party_kind", "公民"),
                ("filing_date", "2025-05-01"),
                ("department", "1"),
            ],
            1,
        ),
        test_now(),
    )
    .await;
    assert!(
        before_filing.is_ok(),
        "filing on registration may record an earlier discovery"
    );
    let early = cases::act(
        store,
        &procedure,
        &PlainDays,
        id,
        &command(
            m.officer,
            "notify_rights",
            date!(2025 - 04 - 01),
            &[("proposed_penalty", "警告"), ("notice_date", "2025-04-01")],
            2,
        ),
        test_now(),
    )
    .await;
    assert!(
        matches!(
            early,
            Err(CaseError::Refused(EngineError::GuardFailed { .. }))
        ),
        "{early:?}"
    );
    assert_eq!(
        store.count_events().await.expect("count"),
        n_events + 1,
        "only the filing was written"
    );
    assert_eq!(store.case_steps(id).await.expect("steps").len(), 2);
});

db_test!(
    two_actions_on_the_same_version_exactly_one_wins,
    with_demo,
    |db| {
        let m = market(db).await;
        let procedure = penalty();
        let store = &db.store;
        let (id, _) = cases::open_case(
            store,
            &procedure,
            &PlainDays,
            &m.officer,
            m.department,
            &fields(&[("case_cause", "虚假宣传")]),
            date!(2025 - 06 - 02),
            test_now(),
        )
        .await
        .expect("open");
        let file = |party: &'static str| {
            command(
                m.officer,
                "file_case",
                date!(2025 - 06 - 02),
                &[
                    ("party", party),
                    ("party_kind", "法人"),
                    ("filing_date", "2025-06-02"),
                    ("department", "1"),
                ],
                1,
            )
        };
        let (one, two) = (file("甲公司"), file("乙公司"));
        let (first, second) = tokio::join!(
            cases::act(store, &procedure, &PlainDays, id, &one, test_now()),
            cases::act(store, &procedure, &PlainDays, id, &two, test_now()),
        );
        let outcomes = [first.is_ok(), second.is_ok()];
        assert_eq!(
            outcomes.iter().filter(|ok| **ok).count(),
            1,
            "{first:?} / {second:?}"
        );
        let loser = if first.is_ok() { second } else { first };
        assert!(
            matches!(
                loser,
                Err(CaseError::Refused(EngineError::StaleVersion { .. }))
            ),
            "{loser:?}"
        );
        assert_eq!(store.case_steps(id).await.expect("steps").len(), 2);
        let case = store.case_for(&m.legal, id).await.expect("case");
        assert_eq!(case.version, 2);
    }
);

db_test!(
    an_officer_cannot_open_a_case_for_another_department,
    with_demo,
    |db| {
        let m = market(db).await;
        let other = db
            .store
            .active_departments(Scope::All)
            .await
            .expect("departments")
            .into_iter()
            .find(|d| d.id != m.department)
            .expect("other")
            .id;
        let refused = cases::open_case(
            &db.store,
            &penalty(),
            &PlainDays,
            &m.officer,
            other,
            &fields(&[("case_cause", "x")]),
            date!(2025 - 06 - 02),
            test_now(),
        )
        .await;
        assert!(matches!(refused, Err(CaseError::DepartmentOutOfScope)));
        let leader = Subject {
            user_id: 1,
            role: Role::Leader,
            department_id: None,
        };
        let refused = cases::open_case(
            &db.store,
            &penalty(),
            &PlainDays,
            &leader,
            m.department,
            &fields(&[]),
            date!(2025 - 06 - 02),
            test_now(),
        )
        .await;
        assert!(matches!(
            refused,
            Err(CaseError::Refused(EngineError::RoleNotAllowed { .. }))
        ));
    }
);

db_test!(
    a_decision_appears_on_the_public_publicity_page_redacted,
    with_demo,
    |db| {
        let m = market(db).await;
        let procedure = penalty();
        let store = &db.store;
        let (id, _) = cases::open_case(
            store,
            &procedure,
            &PlainDays,
            &m.officer,
            m.department,
            &fields(&[("case_cause", "销售过期食品")]),
            date!(2025 - 03 - 03),
            test_now(),
        )
        .await
        .expect("open");
        let steps: Vec<Scripted> = vec![
            (
                "file_case",
                m.officer,
                date!(2025 - 03 - 03),
                vec![
                    ("party", "张三丰"),
                    ("party_kind", "公民"),
                    ("filing_date", "2025-03-03"),
                    ("department", "1"),
                ],
            ),
            (
                "record_investigation",
                m.officer,
                date!(2025 - 03 - 05),
                vec![("investigators", &m.investigators)],
            ),
            (
                "notify_rights",
                m.officer,
                date!(2025 - 03 - 10),
                vec![
                    ("proposed_penalty", "罚款500元"),
                    ("notice_date", "2025-03-10"),
                ],
            ),
            (
                "decide_penalty",
                m.legal,
                date!(2025 - 03 - 20),
                vec![
                    ("decision_date", "2025-03-20"),
                    ("decision_number", "滨市监罚〔2025〕9号"),
                    ("penalty_type", "罚款"),
                    ("fine_amount", "500"),
                    ("legal_basis", "《食品安全法》第一百二十四条"),
                ],
            ),
        ];
        for (version, (action, actor, on, pairs)) in (1..).zip(steps) {
            cases::act(
                store,
                &procedure,
                &PlainDays,
                id,
                &command(actor, action, on, &pairs, version),
                test_now(),
            )
            .await
            .unwrap_or_else(|e| panic!("{action}: {e}"));
        }
        let mut visitor = crate::support::TestApp::new(store);
        let page = visitor.get("/publicity").await;
        assert_eq!(page.status, axum::http::StatusCode::OK);
        assert!(page.body.contains("滨市监罚〔2025〕9号"), "{}", page.body);
        assert!(page.body.contains("张**"), "the citizen's name is masked");
        assert!(
            !page.body.contains("张三丰"),
            "the full name never reaches the public page"
        );
        assert!(page.body.contains("500.00 元"));
    }
);
