//! The case service on both databases: a penalty case from filing to service, refusals that
//! write nothing, and two concurrent actions on the same version of which exactly one wins.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use fazhi_app::authz::{Scope, Subject};
use fazhi_app::cases::{self, CaseError};
use fazhi_app::domain::Role;
use fazhi_app::engine::{Command, Due, FieldProblem, PeriodCalculator, Refusal};
use fazhi_app::procedure::{GuardKind, PeriodUnit, Procedure, load_embedded};
use fazhi_app::store::Store;
use fazhi_app::store::cases::CaseFilter;
use serde_json::json;
use time::Date;
use time::macros::date;

use crate::db_test;
use crate::support::{TestApp, TestDb, test_now};

/// Every day counts (months are calendar months); enough to test the service's storage, not the calendar's rules.
#[derive(Debug)]
pub struct PlainDays;

impl PeriodCalculator for PlainDays {
    fn due(&self, start: Date, n: u32, unit: PeriodUnit, paused: &[(Date, Date)]) -> Option<Due> {
        let skipped: i64 = paused
            .iter()
            .map(|(from, until)| (*until - *from).whole_days())
            .sum();
        let end = match unit {
            PeriodUnit::Months => {
                // The same day n months on (the month's last day when it has none).
                let months = i32::from(start.month() as u8) - 1 + i32::try_from(n).ok()?;
                let year = start.year() + months / 12;
                let month = time::Month::try_from(u8::try_from(months % 12 + 1).ok()?).ok()?;
                let day = start.day().min(time::util::days_in_month(month, year));
                Date::from_calendar_date(year, month, day).ok()?
            }
            PeriodUnit::Days | PeriodUnit::Workdays => start + time::Duration::days(i64::from(n)),
        };
        Some(Due {
            date: end + time::Duration::days(skipped),
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
    /// The department's id as a form sends it.
    department_text: String,
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
        // The demo's accounts work in its largest district, under the city.
        user.subject()
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
        department_text: department.to_string(),
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
            &fields(&[
                ("case_cause", "销售过期食品"),
                ("discovered_date", "2025-03-01"),
            ]),
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
                    ("department", &m.department_text),
                    ("period_rule", "行政处罚法第六十条"),
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
                    ("hearing_right_notified", "否"),
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
            [
                "payment",
                "reconsideration_period",
                "litigation_period",
                "enforcement_application"
            ],
            "the party's periods run from service; the litigation period is kept until it lapses, \
             and its lapse (deemed: 行政强制法第五十三条) opens the three months to apply for \
             enforcement"
        );
        assert_eq!(
            timers
                .iter()
                .map(|t| t.due_on.as_deref())
                .collect::<Vec<_>>(),
            [
                Some("2025-04-05"),
                Some("2025-05-20"),
                Some("2025-09-21"),
                Some("2025-12-21")
            ],
            "15 days, 60 days, six months, and six months + three months after service on 03-21"
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
    let n_events = store.count_events().await.expect("count");
    // The conduct cannot be discovered after the 线索 is registered (行政处罚法第五十四条).
    let later_discovery = cases::open_case(
        store,
        &procedure,
        &PlainDays,
        &m.officer,
        m.department,
        &fields(&[
            ("case_cause", "无证经营"),
            ("discovered_date", "2025-05-07"),
        ]),
        date!(2025 - 05 - 06),
        test_now(),
    )
    .await;
    assert!(
        matches!(
            &later_discovery,
            Err(CaseError::Refused(Refusal::Guard(g))) if g.kind == GuardKind::DateOrder
                && g.fields.iter().any(|f| f == "discovered_date")
        ),
        "{later_discovery:?}"
    );
    assert_eq!(store.count_events().await.expect("count"), n_events);
    // An earlier discovery is recorded at registration.
    let (id, _) = cases::open_case(
        store,
        &procedure,
        &PlainDays,
        &m.officer,
        m.department,
        &fields(&[
            ("case_cause", "无证经营"),
            ("discovered_date", "2025-05-01"),
        ]),
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
            Err(CaseError::Refused(Refusal::NotAllowedInState { .. }))
        ),
        "{refused:?}"
    );
    let filing = |on: Date, filing_date: &'static str| {
        command(
            m.officer,
            "file_case",
            on,
            &[
                ("party", "张三"),
                ("party_kind", "公民"),
                ("filing_date", filing_date),
                ("department", &m.department_text),
                ("period_rule", "行政处罚法第六十条"),
            ],
            1,
        )
    };
    // The filing date may not precede the registration (行政处罚法第五十四条第二款).
    let before_registration = cases::act(
        store,
        &procedure,
        &PlainDays,
        id,
        &filing(date!(2025 - 05 - 06), "2025-05-01"),
        test_now(),
    )
    .await;
    assert!(
        matches!(
            &before_registration,
            Err(CaseError::Refused(Refusal::Guard(g))) if g.kind == GuardKind::DateOrder
                && g.fields.iter().any(|f| f == "filing_date")
                && g.article == "行政处罚法第五十四条第二款"
        ),
        "{before_registration:?}"
    );
    cases::act(
        store,
        &procedure,
        &PlainDays,
        id,
        &filing(date!(2025 - 05 - 06), "2025-05-06"),
        test_now(),
    )
    .await
    .expect("filing on the day of registration");
    cases::act(
        store,
        &procedure,
        &PlainDays,
        id,
        &command(
            m.officer,
            "record_investigation",
            date!(2025 - 05 - 07),
            &[("investigators", &m.investigators)],
            2,
        ),
        test_now(),
    )
    .await
    .expect("investigation");
    let early = cases::act(
        store,
        &procedure,
        &PlainDays,
        id,
        &command(
            m.officer,
            "notify_rights",
            date!(2025 - 04 - 01),
            &[
                ("proposed_penalty", "警告"),
                ("notice_date", "2025-04-01"),
                ("hearing_right_notified", "否"),
            ],
            3,
        ),
        test_now(),
    )
    .await;
    assert!(
        matches!(
            &early,
            Err(CaseError::Refused(Refusal::Guard(g))) if g.kind == GuardKind::DatesNotBefore
                && g.fields.iter().any(|f| f == "notice_date")
        ),
        "{early:?}"
    );
    assert_eq!(
        store.count_events().await.expect("count"),
        n_events + 2,
        "only the filing and the investigation were written"
    );
    assert_eq!(store.case_steps(id).await.expect("steps").len(), 3);
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
                    ("department", &m.department_text),
                    ("period_rule", "行政处罚法第六十条"),
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
            matches!(loser, Err(CaseError::Refused(Refusal::StaleVersion { .. }))),
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
            jurisdiction_id: m.officer.jurisdiction_id,
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
            Err(CaseError::Refused(Refusal::RoleNotAllowed { .. }))
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
            &fields(&[
                ("case_cause", "销售过期食品"),
                ("discovered_date", "2025-03-01"),
            ]),
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
                    ("department", &m.department_text),
                    ("period_rule", "行政处罚法第六十条"),
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
                    ("hearing_right_notified", "否"),
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

// ───────────────────────── refusals on the pages and in the API ─────────────────────────

/// The id of the case a redirect leads to.
fn case_id(location: Option<&str>) -> i64 {
    location
        .expect("redirect")
        .trim_start_matches("/case/")
        .split('?')
        .next()
        .expect("id")
        .parse()
        .expect("numeric id")
}

/// The form of `action` on a case page (its `<details>` element).
fn action_form<'a>(body: &'a str, action: &str) -> &'a str {
    let start = body
        .find(&format!("id=\"action-{action}\""))
        .unwrap_or_else(|| panic!("no form for {action}: {body}"));
    let rest = &body[start..];
    &rest[..rest.find("</details>").unwrap_or(rest.len())]
}

/// What follows the input of `field` in `form`, up to the next field's label.
fn beside<'a>(form: &'a str, field: &str) -> &'a str {
    let start = form
        .find(&format!("id=\"f-{field}\""))
        .unwrap_or_else(|| panic!("no input {field}: {form}"));
    let rest = &form[start..];
    &rest[..rest.find("<label for=").unwrap_or(rest.len())]
}

/// The row of the period labelled `label` in the case page's table of periods.
fn timer_row<'a>(body: &'a str, label: &str) -> &'a str {
    body.split("<tr class=\"timer-")
        .skip(1)
        .find(|row| row.contains(label))
        .map(|row| &row[..row.find("</tr>").unwrap_or(row.len())])
        .unwrap_or_else(|| panic!("no period {label}: {body}"))
}

/// Opens a penalty case from the page as the signed-in officer; returns its id.
async fn open_on_page(app: &mut TestApp, department: i64, on: &str) -> i64 {
    let opened = app
        .post(
            "/cases/penalty",
            &[
                ("department_id", &department.to_string()),
                ("on", on),
                ("case_cause", "销售不合格产品"),
                ("discovered_date", on),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    case_id(opened.location.as_deref())
}

db_test!(
    a_refused_step_is_explained_beside_its_form_and_an_unoffered_one_on_the_page,
    with_demo,
    |db| {
        let m = market(db).await;
        let mut app = TestApp::new(&db.store);
        app.login_demo("zhifa").await;
        let id = open_on_page(&mut app, m.department, "2026-03-02").await;
        let n_events = db.store.count_events().await.expect("count");

        // Filed before the registration: the guard's sentence beside the filing date and with
        // the form, with the dates and the article.
        let refused = app
            .post(
                &format!("/case/{id}/act"),
                &[
                    ("action", "file_case"),
                    ("version", "1"),
                    ("on", "2026-03-02"),
                    ("party", "某公司"),
                    ("party_kind", "法人"),
                    ("filing_date", "2026-02-27"),
                    ("department", &m.department_text),
                    ("period_rule", "行政处罚法第六十条"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let form = action_form(&refused.body, "file_case");
        assert!(
            refused.body.contains(" open id=\"action-file_case\""),
            "the refused form is open: {form}"
        );
        let alert = form
            .split("<p class=\"alert error\" role=\"alert\">")
            .nth(1)
            .expect("the form's message");
        assert!(
            alert.starts_with("立案日期不得早于线索登记日期")
                && alert.contains("2026-02-27")
                && alert.contains("依据：行政处罚法第五十四条第二款"),
            "{alert}"
        );
        let field = beside(form, "filing_date");
        assert!(
            field.contains("value=\"2026-02-27\"")
                && field.contains("<p class=\"field-error\">立案日期不得早于线索登记日期"),
            "the message is beside the input, which keeps what was typed: {field}"
        );
        assert!(
            !beside(form, "party").contains("field-error"),
            "only the fields concerned are flagged"
        );
        assert!(
            !refused.body.contains("id=\"case-refusal\""),
            "shown with its form, not twice"
        );

        // A step the case's state does not offer, posted anyway: the refusal in Chinese on the
        // case page, not an empty page.
        let unoffered = app
            .post(
                &format!("/case/{id}/act"),
                &[
                    ("action", "serve_decision"),
                    ("version", "1"),
                    ("on", "2026-03-02"),
                    ("service_date", "2026-03-02"),
                ],
            )
            .await;
        assert_eq!(unoffered.status, StatusCode::UNPROCESSABLE_ENTITY);
        let refusal = unoffered
            .body
            .split("id=\"case-refusal\">")
            .nth(1)
            .unwrap_or_else(|| panic!("no refusal on the page: {}", unoffered.body));
        assert!(
            refusal.starts_with("案件当前状态为“线索登记”，不能进行“送达行政处罚决定书”"),
            "{refusal}"
        );
        assert!(
            unoffered.body.contains("id=\"timeline\"")
                && unoffered.body.contains("id=\"action-file_case\""),
            "the whole case page comes back"
        );
        assert_eq!(db.store.count_events().await.expect("count"), n_events);
        assert_eq!(db.store.case_steps(id).await.expect("steps").len(), 1);
    }
);

db_test!(
    every_missing_required_field_is_flagged_at_once,
    with_demo,
    |db| {
        let m = market(db).await;
        let mut app = TestApp::new(&db.store);
        app.login_demo("zhifa").await;
        let id = open_on_page(&mut app, m.department, "2026-03-02").await;
        let refused = app
            .post(
                &format!("/case/{id}/act"),
                &[
                    ("action", "file_case"),
                    ("version", "1"),
                    ("on", "2026-03-02"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let form = action_form(&refused.body, "file_case");
        let procedure = penalty();
        // case_cause was recorded at the registration, so it is not missing.
        let missing = [
            "party",
            "party_kind",
            "filing_date",
            "department",
            "period_rule",
        ];
        let alert = form
            .split("<p class=\"alert error\" role=\"alert\">")
            .nth(1)
            .expect("the form's message");
        for field in missing {
            assert!(
                beside(form, field).contains("<p class=\"field-error\">此项为必填项。</p>"),
                "{field} is flagged: {form}"
            );
            assert!(
                alert.contains(procedure.field_label(field)),
                "the message names {field}: {alert}"
            );
        }
        assert!(!beside(form, "case_cause").contains("field-error"));
        assert!(!beside(form, "major_case").contains("field-error"));
        assert_eq!(db.store.case_steps(id).await.expect("steps").len(), 1);
    }
);

db_test!(
    people_and_departments_outside_the_officers_scope_are_refused,
    with_demo,
    |db| {
        let m = market(db).await;
        let procedure = penalty();
        let store = &db.store;
        let on = date!(2026 - 03 - 02);
        let (id, _) = cases::open_case(
            store,
            &procedure,
            &PlainDays,
            &m.officer,
            m.department,
            &fields(&[("case_cause", "虚假宣传")]),
            on,
            test_now(),
        )
        .await
        .expect("open");
        let file = |department: &str| {
            command(
                m.officer,
                "file_case",
                on,
                &[
                    ("party", "某公司"),
                    ("party_kind", "法人"),
                    ("filing_date", "2026-03-02"),
                    ("department", department),
                    ("period_rule", "行政处罚法第六十条"),
                ],
                1,
            )
        };
        // A department that does not exist, and one that is not the officer's.
        let departments = store
            .active_departments(Scope::All)
            .await
            .expect("departments");
        let other = departments
            .iter()
            .find(|d| d.id != m.department)
            .expect("another department")
            .id;
        for (department, problem) in [
            ("999999".to_owned(), FieldProblem::UnknownDepartment),
            (other.to_string(), FieldProblem::DepartmentOutOfScope),
        ] {
            let refused = cases::act(
                store,
                &procedure,
                &PlainDays,
                id,
                &file(&department),
                test_now(),
            )
            .await;
            assert!(
                matches!(
                    &refused,
                    Err(CaseError::Refused(Refusal::InvalidFields { problems }))
                        if problems == &[("department".to_owned(), problem)]
                ),
                "{department}: {refused:?}"
            );
        }
        cases::act(
            store,
            &procedure,
            &PlainDays,
            id,
            &file(&m.department_text),
            test_now(),
        )
        .await
        .expect("filed for the officer's own department");

        // Certified officers of another department, one of them with an account.
        let mut foreign = None;
        for department in departments.iter().filter(|d| d.id != m.department) {
            let officers = store
                .certified_officers(department.id, on)
                .await
                .expect("officers");
            let people: Vec<i64> = officers.iter().map(|o| o.person_id).collect();
            let mut tx = store.begin().await.expect("tx");
            let accounts = Store::users_of_people(&mut tx, &people)
                .await
                .expect("accounts");
            drop(tx);
            if people.len() >= 2 && !accounts.is_empty() {
                foreign = Some((people, accounts));
                break;
            }
        }
        let (people, accounts) =
            foreign.expect("a department with certified officers and accounts");
        let named = people
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let assignees = store.case_assignees(id).await.expect("assignees");
        let n_events = store.count_events().await.expect("count");
        let refused = cases::act(
            store,
            &procedure,
            &PlainDays,
            id,
            &command(
                m.officer,
                "record_investigation",
                on,
                &[("investigators", &named)],
                2,
            ),
            test_now(),
        )
        .await;
        assert!(
            matches!(
                &refused,
                Err(CaseError::Refused(Refusal::InvalidFields { problems }))
                    if problems == &[("investigators".to_owned(), FieldProblem::PersonOutOfScope)]
            ),
            "{refused:?}"
        );
        let after = store.case_assignees(id).await.expect("assignees");
        assert_eq!(after, assignees, "nobody was assigned");
        assert!(
            accounts.iter().all(|account| !after.contains(account)),
            "the other department's officers do not become assignees"
        );
        assert_eq!(store.count_events().await.expect("count"), n_events);
        // The officer's own department's certified officers are accepted.
        cases::act(
            store,
            &procedure,
            &PlainDays,
            id,
            &command(
                m.officer,
                "record_investigation",
                on,
                &[("investigators", &m.investigators)],
                2,
            ),
            test_now(),
        )
        .await
        .expect("own officers");
    }
);

db_test!(
    the_case_page_explains_each_period_and_counts_overdue_in_its_unit,
    with_demo,
    |db| {
        let m = market(db).await;
        let procedure = penalty();
        let store = &db.store;
        let calendar = fazhi_app::deadlines::OfficialCalendar::load().expect("calendar");
        let today = test_now().date();
        let open = |on: Date| {
            let procedure = &procedure;
            let calendar = &calendar;
            let m = &m;
            async move {
                cases::open_case(
                    store,
                    procedure,
                    calendar,
                    &m.officer,
                    m.department,
                    &fields(&[("case_cause", "销售过期食品")]),
                    on,
                    test_now(),
                )
                .await
                .expect("open")
                .0
            }
        };
        let step = |id: i64,
                    actor: Subject,
                    action: &'static str,
                    on: Date,
                    pairs: Vec<(&'static str, String)>,
                    version: i64| {
            let procedure = &procedure;
            let calendar = &calendar;
            async move {
                let pairs: Vec<(&str, &str)> =
                    pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                cases::act(
                    store,
                    procedure,
                    calendar,
                    id,
                    &command(actor, action, on, &pairs, version),
                    test_now(),
                )
                .await
                .unwrap_or_else(|e| panic!("{action}: {e}"));
            }
        };
        let filing = |filing_date: &str| {
            vec![
                ("party", "某超市".to_owned()),
                ("party_kind", "法人".to_owned()),
                ("filing_date", filing_date.to_owned()),
                ("department", m.department_text.clone()),
                ("period_rule", "行政处罚法第六十条".to_owned()),
            ]
        };

        // Filed 2025-09-01 and never decided: 90 days, overdue in days.
        let undecided = open(date!(2025 - 09 - 01)).await;
        step(
            undecided,
            m.officer,
            "file_case",
            date!(2025 - 09 - 01),
            filing("2025-09-01"),
            1,
        )
        .await;
        // Decided 2026-01-08 and never served: 7 working days, overdue in working days.
        let unserved = open(date!(2026 - 01 - 05)).await;
        step(
            unserved,
            m.officer,
            "file_case",
            date!(2026 - 01 - 05),
            filing("2026-01-05"),
            1,
        )
        .await;
        step(
            unserved,
            m.officer,
            "record_investigation",
            date!(2026 - 01 - 06),
            vec![("investigators", m.investigators.clone())],
            2,
        )
        .await;
        step(
            unserved,
            m.officer,
            "notify_rights",
            date!(2026 - 01 - 07),
            vec![
                ("proposed_penalty", "警告".to_owned()),
                ("notice_date", "2026-01-07".to_owned()),
                ("hearing_right_notified", "否".to_owned()),
            ],
            3,
        )
        .await;
        step(
            unserved,
            m.legal,
            "decide_penalty",
            date!(2026 - 01 - 08),
            vec![
                ("decision_date", "2026-01-08".to_owned()),
                ("decision_number", "滨市监罚〔2026〕3号".to_owned()),
                ("penalty_type", "警告".to_owned()),
                ("legal_basis", "《食品安全法》第一百二十四条".to_owned()),
            ],
            4,
        )
        .await;

        let mut app = TestApp::new(store);
        app.login_demo("fazhi").await;

        let page = app.get(&format!("/case/{undecided}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let row = timer_row(&page.body, "作出行政处罚决定期限");
        assert!(
            row.contains("90日，自立案日期起计算；依据行政处罚法第六十条"),
            "the period in words: {row}"
        );
        let due = calendar
            .due(date!(2025 - 09 - 01), 90, PeriodUnit::Days, &[])
            .expect("due")
            .date;
        let late = (today - due).whole_days();
        assert!(
            row.contains(&fazhi_app::store::cases::date_text(due))
                && row.contains(&format!("已超期 {late}日")),
            "overdue counted in days: {row}"
        );

        let page = app.get(&format!("/case/{unserved}")).await;
        let row = timer_row(&page.body, "送达行政处罚决定书期限");
        assert!(
            row.contains("7个工作日，自决定日期起计算；依据行政处罚法第六十一条第一款、第八十五条"),
            "the period in words: {row}"
        );
        let due = calendar
            .due(date!(2026 - 01 - 08), 7, PeriodUnit::Workdays, &[])
            .expect("due")
            .date;
        let late = calendar.workdays_between(due, today);
        assert!(
            late > 0 && late < (today - due).whole_days(),
            "working days are fewer than days here (weekends, 春节)"
        );
        assert!(
            row.contains(&format!("已超期 {late}个工作日")),
            "overdue counted in working days: {row}"
        );
        assert!(
            !page.body.contains("作出行政处罚决定期限"),
            "the decision stopped the decision period"
        );
    }
);

db_test!(
    an_api_refusal_carries_its_code_fields_and_article,
    with_demo,
    |db| {
        let m = market(db).await;
        let app = TestApp::new(&db.store);
        db.store
            .create_api_token(
                m.officer.user_id,
                "officer-token-refusals-0123",
                "test",
                "2026-03-02T01:00:00Z",
            )
            .await
            .expect("token");
        let token = Some("officer-token-refusals-0123");
        let (status, opened) = crate::api::call(
            &app,
            "POST",
            "/api/v1/cases",
            token,
            Some(
                json!({"procedure": "penalty", "department_id": m.department, "on": "2026-03-02",
                "fields": {"case_cause": "无照经营", "discovered_date": "2026-03-01"}}),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{opened}");
        let actions = format!("/api/v1/cases/{}/actions", opened["id"]);

        // A guard: its code, the field it concerns with the sentence, and the article.
        let (status, body) = crate::api::call(
            &app,
            "POST",
            &actions,
            token,
            Some(
                json!({"action": "file_case", "on": "2026-03-02", "version": 1, "fields": {
                "party": "某公司", "party_kind": "法人", "filing_date": "2026-02-27",
                "department": m.department_text, "period_rule": "行政处罚法第六十条"}}),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"], "date_order", "{body}");
        assert_eq!(body["article"], "行政处罚法第五十四条第二款", "{body}");
        assert!(
            body["fields"]["filing_date"]
                .as_str()
                .is_some_and(|m| m.starts_with("立案日期不得早于线索登记日期")),
            "{body}"
        );
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains("依据：行政处罚法第五十四条第二款")),
            "{body}"
        );

        // Missing fields: every one of them, no article.
        let (status, body) = crate::api::call(
            &app,
            "POST",
            &actions,
            token,
            Some(json!({"action": "file_case", "on": "2026-03-02", "version": 1})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"], "missing_fields");
        assert!(body["article"].is_null());
        let mut named: Vec<&str> = body["fields"]
            .as_object()
            .expect("fields")
            .keys()
            .map(String::as_str)
            .collect();
        named.sort_unstable();
        assert_eq!(
            named,
            [
                "department",
                "filing_date",
                "party",
                "party_kind",
                "period_rule"
            ]
        );
        assert!(body["fields"]["party"] == "此项为必填项。", "{body}");
    }
);

db_test!(
    a_fine_that_would_overflow_the_years_tally_is_refused_and_nothing_is_written,
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
            &fields(&[
                ("case_cause", "销售过期食品"),
                ("discovered_date", "2025-03-01"),
            ]),
            date!(2025 - 03 - 03),
            test_now(),
        )
        .await
        .expect("open");
        let before_decision: Vec<Scripted> = vec![
            (
                "file_case",
                m.officer,
                date!(2025 - 03 - 03),
                vec![
                    ("party", "某某超市"),
                    ("party_kind", "法人"),
                    ("filing_date", "2025-03-03"),
                    ("department", &m.department_text),
                    ("period_rule", "行政处罚法第六十条"),
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
                    ("hearing_right_notified", "否"),
                ],
            ),
        ];
        for (version, (action, actor, on, pairs)) in (1..).zip(before_decision) {
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
        // The year's tally of decided fines already stands just below what it can hold.
        let near_full = i64::MAX - 100;
        store
            .execute_raw(&format!(
                "INSERT INTO step_tallies (jurisdiction_id, year, procedure, action, department_id, steps, amount_fen) \
                 VALUES ({}, 2025, 'penalty', 'decide_penalty', {}, 1, {near_full})",
                m.officer.jurisdiction_id, m.department
            ))
            .await
            .expect("seed the tally");
        let counts = |store: &Store| {
            let store = store.clone();
            async move {
                (
                    store
                        .count_raw("SELECT COUNT(*) FROM case_steps")
                        .await
                        .unwrap(),
                    store
                        .count_raw("SELECT COUNT(*) FROM events")
                        .await
                        .unwrap(),
                    store
                        .count_raw(
                            "SELECT amount_fen FROM step_tallies WHERE action = 'decide_penalty'",
                        )
                        .await
                        .unwrap(),
                )
            }
        };
        let before = counts(store).await;
        let decide = command(
            m.legal,
            "decide_penalty",
            date!(2025 - 03 - 20),
            &[
                ("decision_date", "2025-03-20"),
                ("decision_number", "滨市监罚〔2025〕1号"),
                ("penalty_type", "罚款"),
                ("fine_amount", "5000"),
                ("legal_basis", "《食品安全法》第一百二十四条"),
            ],
            4,
        );
        let refused = cases::act(store, &procedure, &PlainDays, id, &decide, test_now()).await;
        assert!(
            matches!(refused, Err(CaseError::TotalOutOfRange)),
            "{refused:?}"
        );
        assert_eq!(counts(store).await, before, "nothing is written");
        assert_eq!(before.2, near_full, "the tally is still an integer");
        assert_eq!(store.case_for(&m.legal, id).await.expect("case").version, 4);
        // A fine that fits is recorded, and the tally stays exact.
        let fits = command(
            m.legal,
            "decide_penalty",
            date!(2025 - 03 - 20),
            &[
                ("decision_date", "2025-03-20"),
                ("decision_number", "滨市监罚〔2025〕1号"),
                ("penalty_type", "罚款"),
                ("fine_amount", "1.00"),
                ("legal_basis", "《食品安全法》第一百二十四条"),
            ],
            4,
        );
        cases::act(store, &procedure, &PlainDays, id, &fits, test_now())
            .await
            .expect("a fine within the bound");
        assert_eq!(counts(store).await.2, near_full + 100);
    }
);
