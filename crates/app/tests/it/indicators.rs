//! Indicators on both databases: a hand-counted set of cases and submissions gives exactly the
//! figures worked out by hand below; the step tallies agree with a recount from the steps; and a
//! generated year agrees with counts taken straight from the steps.

use std::collections::BTreeMap;

use fazhi_app::authz::{Scope, Subject};
use fazhi_app::cases;
use fazhi_app::engine::Command;
use fazhi_app::indicators::Catalogue;
use fazhi_app::indicators::compute::compute;
use fazhi_app::procedure::{Procedure, load_embedded};
use fazhi_app::store::reports::NewSubmission;
use rust_decimal::Decimal;
use time::Date;
use time::macros::date;

use crate::db_test;
use crate::support::{TestDb, test_now};

/// A scripted step: action, date, fields.
type Step<'a> = (&'a str, Date, &'a [(&'a str, &'a str)]);

struct Fixture {
    procedures: Vec<Procedure>,
    calendar: fazhi_app::deadlines::OfficialCalendar,
    legal: Subject,
    department: i64,
}

impl Fixture {
    async fn new(db: &TestDb) -> Fixture {
        let user = db
            .store
            .user_by_username("fazhi")
            .await
            .expect("read")
            .expect("demo legal officer");
        Fixture {
            procedures: load_embedded().expect("definitions"),
            calendar: fazhi_app::deadlines::OfficialCalendar::load().expect("calendar"),
            legal: Subject {
                user_id: user.id,
                role: user.role,
                department_id: user.department_id,
            },
            department: user.department_id.expect("department"),
        }
    }

    fn procedure(&self, id: &str) -> &Procedure {
        self.procedures
            .iter()
            .find(|p| p.id == id)
            .expect("procedure")
    }

    /// Opens a lawsuit served on `on` and takes `steps` (action, date, fields) in order.
    async fn lawsuit(&self, db: &TestDb, on: Date, steps: &[Step<'_>]) {
        let procedure = self.procedure("litigation");
        let opening: BTreeMap<String, String> = [
            ("plaintiff", "王某"),
            ("court", "示范市滨河区人民法院"),
            ("court_case_number", "（2025）示0102行初1号"),
            ("cause", "不服行政处罚决定"),
            ("served_date", &on.to_string()),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let (id, _) = cases::open_case(
            &db.store,
            procedure,
            &self.calendar,
            &self.legal,
            self.department,
            &opening,
            on,
            test_now(),
        )
        .await
        .expect("open");
        for (version, (action, when, fields)) in steps.iter().enumerate() {
            let command = Command {
                actor: self.legal,
                action: (*action).to_owned(),
                on: *when,
                fields: fields
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
                expected_version: i64::try_from(version).expect("small") + 1,
            };
            cases::act(
                &db.store,
                procedure,
                &self.calendar,
                id,
                &command,
                test_now(),
            )
            .await
            .unwrap_or_else(|e| panic!("{action}: {e:?}"));
        }
    }
}

fn dec(text: &str) -> Decimal {
    text.parse().expect("decimal")
}

db_test!(hand_counted_lawsuits_and_submissions, with_demo, |db| {
    let fixture = Fixture::new(db).await;
    let head = "行政机关正职负责人出庭";
    let deputy = "行政机关副职负责人出庭";
    let absent = "负责人未出庭，委托相应工作人员出庭";
    // 1: heard with the head present, lost. 2: heard with a deputy, then heard on appeal with
    // nobody, won. 3: heard without the head, won. 4: withdrawn before any hearing.
    // 5: served in 2024 (not counted as new in 2025), heard and lost in 2025.
    fixture
        .lawsuit(
            db,
            date!(2025 - 03 - 03),
            &[
                (
                    "file_defence",
                    date!(2025 - 03 - 10),
                    &[("defence_filed_date", "2025-03-10")],
                ),
                (
                    "record_hearing",
                    date!(2025 - 04 - 10),
                    &[("hearing_date", "2025-04-10"), ("head_appearance", head)],
                ),
                (
                    "first_instance_lost",
                    date!(2025 - 05 - 06),
                    &[
                        ("judgment_date", "2025-05-06"),
                        ("judgment_served_date", "2025-05-08"),
                    ],
                ),
            ],
        )
        .await;
    fixture
        .lawsuit(
            db,
            date!(2025 - 03 - 04),
            &[
                (
                    "file_defence",
                    date!(2025 - 03 - 11),
                    &[("defence_filed_date", "2025-03-11")],
                ),
                (
                    "record_hearing",
                    date!(2025 - 04 - 11),
                    &[("hearing_date", "2025-04-11"), ("head_appearance", deputy)],
                ),
                (
                    "first_instance_won",
                    date!(2025 - 05 - 07),
                    &[
                        ("judgment_date", "2025-05-07"),
                        ("judgment_served_date", "2025-05-09"),
                    ],
                ),
                (
                    "appeal",
                    date!(2025 - 05 - 15),
                    &[("appellant", "原告"), ("appeal_date", "2025-05-15")],
                ),
                (
                    "record_appeal_hearing",
                    date!(2025 - 07 - 01),
                    &[
                        ("hearing_date", "2025-07-01"),
                        ("head_appearance", absent),
                        ("absence_reason", "不可抗力"),
                    ],
                ),
            ],
        )
        .await;
    fixture
        .lawsuit(
            db,
            date!(2025 - 06 - 02),
            &[
                (
                    "file_defence",
                    date!(2025 - 06 - 09),
                    &[("defence_filed_date", "2025-06-09")],
                ),
                (
                    "record_hearing",
                    date!(2025 - 07 - 09),
                    &[
                        ("hearing_date", "2025-07-09"),
                        ("head_appearance", absent),
                        ("absence_reason", "意外事件"),
                    ],
                ),
                (
                    "first_instance_won",
                    date!(2025 - 08 - 06),
                    &[
                        ("judgment_date", "2025-08-06"),
                        ("judgment_served_date", "2025-08-08"),
                    ],
                ),
            ],
        )
        .await;
    fixture
        .lawsuit(
            db,
            date!(2025 - 09 - 01),
            &[
                (
                    "file_defence",
                    date!(2025 - 09 - 05),
                    &[("defence_filed_date", "2025-09-05")],
                ),
                ("plaintiff_withdrew", date!(2025 - 09 - 20), &[]),
            ],
        )
        .await;
    fixture
        .lawsuit(
            db,
            date!(2024 - 12 - 02),
            &[
                (
                    "file_defence",
                    date!(2024 - 12 - 09),
                    &[("defence_filed_date", "2024-12-09")],
                ),
                (
                    "record_hearing",
                    date!(2025 - 01 - 09),
                    &[("hearing_date", "2025-01-09"), ("head_appearance", head)],
                ),
                (
                    "first_instance_lost",
                    date!(2025 - 02 - 06),
                    &[
                        ("judgment_date", "2025-02-06"),
                        ("judgment_served_date", "2025-02-08"),
                    ],
                ),
            ],
        )
        .await;
    // Submissions: the market regulator twice (the second replaces the first), the justice
    // bureau once.
    let departments = db
        .store
        .active_departments(Scope::All)
        .await
        .expect("departments");
    let justice = departments
        .iter()
        .find(|d| d.is_justice_bureau)
        .expect("justice")
        .id;
    let submit = |department: i64, values: Vec<(&str, &str)>| {
        let values: Vec<(String, Decimal, String)> = values
            .into_iter()
            .map(|(id, v)| (id.to_owned(), dec(v), String::new()))
            .collect();
        let store = db.store.clone();
        let user = fixture.legal.user_id;
        async move {
            store
                .insert_submission(&NewSubmission {
                    department_id: department,
                    year: 2025,
                    source: "form",
                    user_id: user,
                    at: "2026-01-05T09:00:00Z",
                    values: &values,
                })
                .await
                .expect("submission");
        }
    };
    submit(
        fixture.department,
        vec![
            ("mediation.cases", "100"),
            ("mediation.cases_successful", "90"),
        ],
    )
    .await;
    submit(
        fixture.department,
        vec![
            ("mediation.cases", "40"),
            ("mediation.cases_successful", "30"),
        ],
    )
    .await;
    submit(
        justice,
        vec![
            ("mediation.cases", "60"),
            ("mediation.cases_successful", "57"),
        ],
    )
    .await;

    let catalogue = Catalogue::embedded(&fixture.procedures).expect("catalogue");
    let year = compute(&db.store, &catalogue, 2025, "2026-01-10T00:00:00Z")
        .await
        .expect("compute");
    let value = |id: &str| year.value(id);
    // Worked by hand from the script above.
    assert_eq!(
        value("litigation.cases"),
        Some(dec("4")),
        "served in 2025: 1–4"
    );
    assert_eq!(
        value("litigation.first_instance_concluded"),
        Some(dec("5")),
        "lost, won, won, withdrawn, lost"
    );
    assert_eq!(value("litigation.lost"), Some(dec("2")));
    assert_eq!(value("litigation.loss_rate"), Some(dec("40.00")));
    assert_eq!(
        value("litigation.hearings"),
        Some(dec("5")),
        "four first-instance hearings and one appeal hearing"
    );
    assert_eq!(
        value("litigation.head_appearances"),
        Some(dec("3")),
        "head, deputy, head"
    );
    assert_eq!(value("litigation.head_appearance_rate"), Some(dec("60.00")));
    assert_eq!(
        value("mediation.cases"),
        Some(dec("100")),
        "40 (newest of the market) + 60"
    );
    assert_eq!(value("mediation.cases_successful"), Some(dec("87")));
    assert_eq!(value("mediation.success_rate"), Some(dec("87.00")));
    assert_eq!(value("legal_aid.cases"), None, "nobody submitted it");
    assert_eq!(
        year.department_value(fixture.department, "mediation.success_rate"),
        Some(dec("75.00"))
    );
    assert_eq!(
        year.department_value(justice, "mediation.success_rate"),
        Some(dec("95.00"))
    );
    assert_eq!(year.submitted_departments.len(), 2);
    let served_2024 = compute(&db.store, &catalogue, 2024, "2026-01-10T00:00:00Z")
        .await
        .expect("compute 2024");
    assert_eq!(served_2024.value("litigation.cases"), Some(dec("1")));
    assert_eq!(
        served_2024.value("litigation.head_appearance_rate"),
        None,
        "no hearing in 2024"
    );
    assert!(year.log_size > 0);
    let figure = year.figure("litigation.head_appearances").expect("figure");
    assert_eq!(figure.records, 3);
    // The drill-down lists the records behind a figure.
    let lost = catalogue.get("litigation.lost").expect("indicator");
    let records = db
        .store
        .figure_steps(2025, "litigation", &lost.actions, None, 1, 50)
        .await
        .expect("records");
    assert_eq!(records.total, 2);
    assert!(
        records
            .items
            .iter()
            .all(|r| r.what == "first_instance_lost")
    );
});

db_test!(
    tallies_agree_with_a_recount_of_a_generated_year,
    with_demo,
    |db| {
        let procedures = load_embedded().expect("definitions");
        let calendar = fazhi_app::deadlines::OfficialCalendar::load().expect("calendar");
        fazhi_app::demo::cases::generate_year(
            &db.store,
            &procedures,
            &calendar,
            7,
            2025,
            0.03,
            test_now(),
            &|_, _| {},
        )
        .await
        .expect("generate");
        let catalogue = Catalogue::embedded(&procedures).expect("catalogue");
        let before = compute(&db.store, &catalogue, 2025, "t")
            .await
            .expect("compute");
        assert!(!db.store.tallies_missing().await.expect("check"));
        let recounted = db.store.rebuild_tallies().await.expect("rebuild");
        assert!(recounted > 0);
        let after = compute(&db.store, &catalogue, 2025, "t")
            .await
            .expect("compute");
        assert_eq!(
            before.figures, after.figures,
            "the tallies kept step by step equal a recount"
        );
        // And one figure straight from the steps.
        let decisions: i64 = sqlx_count(
            db,
            "SELECT COUNT(*) FROM case_steps s JOIN cases c ON c.id = s.case_id \
        WHERE c.procedure = 'penalty' AND s.action IN ('decide_penalty', 'decide_on_the_spot') \
        AND s.on_date >= '2025-01-01' AND s.on_date <= '2025-12-31'",
        )
        .await;
        assert!(decisions > 0);
        assert_eq!(
            before.value("enforcement.penalty_decisions"),
            Some(Decimal::from(decisions))
        );
        let opened: i64 = sqlx_count(
            db,
            "SELECT COUNT(*) FROM cases WHERE procedure = 'penalty' \
        AND opened_on >= '2025-01-01' AND opened_on <= '2025-12-31'",
        )
        .await;
        assert_eq!(
            before.value("enforcement.penalty_cases"),
            Some(Decimal::from(opened))
        );
    }
);

async fn sqlx_count(db: &TestDb, sql: &'static str) -> i64 {
    db.store.count_raw(sql).await.expect("count")
}

db_test!(
    the_statistics_pages_show_figures_and_the_records_behind_them,
    with_demo,
    |db| {
        let fixture = Fixture::new(db).await;
        fixture
            .lawsuit(
                db,
                date!(2025 - 03 - 03),
                &[
                    (
                        "file_defence",
                        date!(2025 - 03 - 10),
                        &[("defence_filed_date", "2025-03-10")],
                    ),
                    (
                        "record_hearing",
                        date!(2025 - 04 - 10),
                        &[
                            ("hearing_date", "2025-04-10"),
                            ("head_appearance", "行政机关正职负责人出庭"),
                        ],
                    ),
                    (
                        "first_instance_lost",
                        date!(2025 - 05 - 06),
                        &[
                            ("judgment_date", "2025-05-06"),
                            ("judgment_served_date", "2025-05-08"),
                        ],
                    ),
                ],
            )
            .await;
        let mut app = crate::support::TestApp::new(&db.store);
        app.login_demo("lingdao").await;
        let page = app.get("/statistics").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("2025年度"), "the report year by default");
        assert!(page.body.contains("<svg"), "a chart");
        assert!(page.body.contains("行政机关负责人出庭应诉率"));
        assert!(
            page.body.contains(">100%<"),
            "one hearing, the head present"
        );
        let figure = app.get("/statistics/2025/litigation.lost").await;
        assert_eq!(figure.status, 200);
        assert!(
            figure.body.contains("一审判决行政机关败诉"),
            "the definition"
        );
        assert!(figure.body.contains("所依据的记录（1）"));
        assert!(
            figure.body.contains("/proof/"),
            "each record links to its ledger proof"
        );
        let ratio = app
            .get("/statistics/2025/litigation.head_appearance_rate")
            .await;
        assert!(ratio.body.contains("分子：负责人出庭应诉"));
        assert_eq!(app.get("/statistics/2025/no.such").await.status, 404);
        // The page is computed once per log size: a new submission grows the log and shows at once.
        assert!(!page.body.contains("4321件"));
        db.store
            .insert_submission(&NewSubmission {
                department_id: fixture.department,
                year: 2025,
                source: "form",
                user_id: fixture.legal.user_id,
                at: "2026-03-02T01:00:00Z",
                values: &[("legal_aid.cases".to_owned(), dec("4321"), String::new())],
            })
            .await
            .expect("submission");
        assert!(app.get("/statistics").await.body.contains("4321件"));
        assert_eq!(app.get("/statistics?year=abc").await.status, 400);
        // A department's legal officer sees the own department by default.
        let mut legal = crate::support::TestApp::new(&db.store);
        legal.login_demo("fazhi").await;
        let own = legal.get("/statistics").await;
        assert_eq!(own.status, 200);
        assert!(own.body.contains("市场监督管理局"));
    }
);
