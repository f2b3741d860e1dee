//! Indicators on both databases: a hand-counted set of cases and submissions gives exactly the
//! figures worked out by hand below; the step tallies agree with a recount from the steps; and a
//! generated year agrees with counts taken straight from the steps.

use std::collections::BTreeMap;

use fazhi_app::authz::{Scope, Subject};
use fazhi_app::cases;
use fazhi_app::engine::Command;
use fazhi_app::indicators::compute::{compute, records};
use fazhi_app::indicators::{Catalogue, Source};
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
    justice: Subject,
    justice_department: i64,
}

fn raw(fields: &[(&str, &str)]) -> BTreeMap<String, String> {
    fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

impl Fixture {
    async fn new(db: &TestDb) -> Fixture {
        let subject = |username: &'static str| async move {
            let user = db
                .store
                .user_by_username(username)
                .await
                .expect("read")
                .expect("demo account");
            Subject {
                user_id: user.id,
                role: user.role,
                department_id: user.department_id,
                jurisdiction_id: user.jurisdiction_id,
            }
        };
        let legal = subject("fazhi").await;
        let justice = subject("sifa").await;
        Fixture {
            procedures: load_embedded().expect("definitions"),
            calendar: fazhi_app::deadlines::OfficialCalendar::load().expect("calendar"),
            department: legal.department_id.expect("department"),
            justice_department: justice.department_id.expect("justice bureau"),
            legal,
            justice,
        }
    }

    fn procedure(&self, id: &str) -> &Procedure {
        self.procedures
            .iter()
            .find(|p| p.id == id)
            .expect("procedure")
    }

    /// Opens a case of `procedure` on `on` as `actor` in `department` and takes `steps` in order;
    /// returns the case id.
    #[allow(clippy::too_many_arguments)]
    async fn case(
        &self,
        db: &TestDb,
        procedure: &str,
        actor: Subject,
        department: i64,
        opening: &[(&str, &str)],
        on: Date,
        steps: &[Step<'_>],
    ) -> i64 {
        let procedure = self.procedure(procedure);
        let (id, _) = cases::open_case(
            &db.store,
            procedure,
            &self.calendar,
            &actor,
            department,
            &raw(opening),
            on,
            test_now(),
        )
        .await
        .expect("open");
        for (action, when, fields) in steps {
            // The version the user sees: steps the law took (视为受理…) are stored as someone acts.
            let version = db.store.engine_case(id).await.expect("case").version;
            let command = Command {
                actor,
                action: (*action).to_owned(),
                on: *when,
                fields: raw(fields),
                expected_version: version,
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
        id
    }

    /// Opens a lawsuit served on `on` and takes `steps` (action, date, fields) in order.
    async fn lawsuit(&self, db: &TestDb, on: Date, steps: &[Step<'_>]) -> i64 {
        let served = on.to_string();
        self.case(
            db,
            "litigation",
            self.legal,
            self.department,
            &[
                ("plaintiff", "王某"),
                ("court", "示范市滨河区人民法院"),
                ("court_case_number", "（2025）示0102行初1号"),
                ("cause", "不服行政处罚决定"),
                ("served_date", &served),
            ],
            on,
            steps,
        )
        .await
    }

    /// Opens a reconsideration application received on `on` and takes `steps` in order.
    async fn reconsideration(&self, db: &TestDb, on: Date, steps: &[Step<'_>]) -> i64 {
        let received = on.to_string();
        self.case(
            db,
            "reconsideration",
            self.justice,
            self.justice_department,
            &[
                ("applicant", "李某"),
                ("received_date", &received),
                ("receipt_channel", "当面递交"),
                ("act_challenged", "行政处罚决定"),
                ("act_category", "行政处罚"),
            ],
            on,
            steps,
        )
        .await
    }

    /// Registers a penalty lead on `on` (线索登记) and takes `steps` in order.
    async fn penalty(&self, db: &TestDb, on: Date, steps: &[Step<'_>]) -> i64 {
        let discovered = on.to_string();
        self.case(
            db,
            "penalty",
            self.legal,
            self.department,
            &[
                ("case_cause", "销售过期食品"),
                ("discovered_date", &discovered),
            ],
            on,
            steps,
        )
        .await
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
                    &[
                        ("hearing_date", "2025-04-10"),
                        ("instance", "一审"),
                        ("head_appearance", head),
                    ],
                ),
                (
                    "first_instance_lost",
                    date!(2025 - 05 - 08),
                    &[
                        ("decision_form", "判决"),
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
                    &[
                        ("hearing_date", "2025-04-11"),
                        ("instance", "一审"),
                        ("head_appearance", deputy),
                    ],
                ),
                (
                    "first_instance_won",
                    date!(2025 - 05 - 09),
                    &[
                        ("decision_form", "判决"),
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
                        ("instance", "二审"),
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
                        ("instance", "一审"),
                        ("head_appearance", absent),
                        ("absence_reason", "意外事件"),
                    ],
                ),
                (
                    "first_instance_won",
                    date!(2025 - 08 - 08),
                    &[
                        ("decision_form", "判决"),
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
                    &[
                        ("hearing_date", "2025-01-09"),
                        ("instance", "一审"),
                        ("head_appearance", head),
                    ],
                ),
                (
                    "first_instance_lost",
                    date!(2025 - 02 - 08),
                    &[
                        ("decision_form", "判决"),
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
    let year = compute(
        &db.store,
        &catalogue,
        fazhi_app::indicators::Extent::EVERYTHING,
        2025,
        "2026-01-10T00:00:00Z",
    )
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
        value("litigation.heard_cases"),
        Some(dec("5")),
        "one hearing in each instance heard: 1, 2 (first and second instance), 3, 5"
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
    let served_2024 = compute(
        &db.store,
        &catalogue,
        fazhi_app::indicators::Extent::EVERYTHING,
        2024,
        "2026-01-10T00:00:00Z",
    )
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
        .figure_steps(
            fazhi_app::indicators::Extent::EVERYTHING,
            2025,
            "litigation",
            &lost.actions,
            None,
            1,
            50,
        )
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

const HEAD: &str = "行政机关正职负责人出庭";
const DEPUTY: &str = "行政机关副职负责人出庭";
const ABSENT: &str = "负责人未出庭，委托相应工作人员出庭";

db_test!(
    head_appearances_count_cases_per_instance_and_first_instance_ends_before_an_appeal,
    with_demo,
    |db| {
        let fixture = Fixture::new(db).await;
        // A: first instance heard twice (head absent, then present), won; appealed, heard twice
        // on appeal without the head; then withdrawn on appeal.
        let a = fixture
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
                            ("instance", "一审"),
                            ("head_appearance", ABSENT),
                            ("absence_reason", "意外事件"),
                        ],
                    ),
                    (
                        "record_hearing",
                        date!(2025 - 05 - 10),
                        &[
                            ("hearing_date", "2025-05-10"),
                            ("instance", "一审"),
                            ("head_appearance", HEAD),
                        ],
                    ),
                    (
                        "first_instance_won",
                        date!(2025 - 06 - 04),
                        &[
                            ("decision_form", "判决"),
                            ("judgment_date", "2025-06-02"),
                            ("judgment_served_date", "2025-06-04"),
                        ],
                    ),
                    (
                        "appeal",
                        date!(2025 - 06 - 10),
                        &[("appellant", "原告"), ("appeal_date", "2025-06-10")],
                    ),
                    (
                        "record_appeal_hearing",
                        date!(2025 - 07 - 01),
                        &[
                            ("hearing_date", "2025-07-01"),
                            ("instance", "二审"),
                            ("head_appearance", ABSENT),
                            ("absence_reason", "不可抗力"),
                        ],
                    ),
                    (
                        "record_appeal_hearing",
                        date!(2025 - 08 - 01),
                        &[
                            ("hearing_date", "2025-08-01"),
                            ("instance", "二审"),
                            ("head_appearance", ABSENT),
                            ("absence_reason", "不可抗力"),
                        ],
                    ),
                    ("plaintiff_withdrew", date!(2025 - 08 - 20), &[]),
                ],
            )
            .await;
        // B: first instance heard twice, the deputy and then the head present; lost.
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
                        &[
                            ("hearing_date", "2025-04-11"),
                            ("instance", "一审"),
                            ("head_appearance", DEPUTY),
                        ],
                    ),
                    (
                        "record_hearing",
                        date!(2025 - 05 - 11),
                        &[
                            ("hearing_date", "2025-05-11"),
                            ("instance", "一审"),
                            ("head_appearance", HEAD),
                        ],
                    ),
                    (
                        "first_instance_lost",
                        date!(2025 - 06 - 05),
                        &[
                            ("decision_form", "判决"),
                            ("judgment_date", "2025-06-03"),
                            ("judgment_served_date", "2025-06-05"),
                        ],
                    ),
                ],
            )
            .await;
        // C: served in 2024, heard in December with the head present and again in January without;
        // won in 2025, appealed, mediated on appeal.
        let c = fixture
            .lawsuit(
                db,
                date!(2024 - 11 - 04),
                &[
                    (
                        "file_defence",
                        date!(2024 - 11 - 11),
                        &[("defence_filed_date", "2024-11-11")],
                    ),
                    (
                        "record_hearing",
                        date!(2024 - 12 - 10),
                        &[
                            ("hearing_date", "2024-12-10"),
                            ("instance", "一审"),
                            ("head_appearance", HEAD),
                        ],
                    ),
                    (
                        "record_hearing",
                        date!(2025 - 01 - 14),
                        &[
                            ("hearing_date", "2025-01-14"),
                            ("instance", "一审"),
                            ("head_appearance", ABSENT),
                            ("absence_reason", "需要履行他人不能代替的公务"),
                        ],
                    ),
                    (
                        "first_instance_won",
                        date!(2025 - 02 - 12),
                        &[
                            ("decision_form", "判决"),
                            ("judgment_date", "2025-02-10"),
                            ("judgment_served_date", "2025-02-12"),
                        ],
                    ),
                    (
                        "appeal",
                        date!(2025 - 02 - 20),
                        &[("appellant", "原告"), ("appeal_date", "2025-02-20")],
                    ),
                    ("mediated", date!(2025 - 04 - 01), &[]),
                ],
            )
            .await;
        // D: mediated in first instance, without a hearing.
        fixture
            .lawsuit(
                db,
                date!(2025 - 04 - 07),
                &[
                    (
                        "file_defence",
                        date!(2025 - 04 - 14),
                        &[("defence_filed_date", "2025-04-14")],
                    ),
                    ("mediated", date!(2025 - 05 - 06), &[]),
                ],
            )
            .await;
        // E: heard in first instance without the head, won, appealed, remanded; the retried first
        // instance (a 审理程序 of its own, 出庭规定第七条第二款) heard with the head present, lost.
        let e = fixture
            .lawsuit(
                db,
                date!(2025 - 02 - 03),
                &[
                    (
                        "file_defence",
                        date!(2025 - 02 - 10),
                        &[("defence_filed_date", "2025-02-10")],
                    ),
                    (
                        "record_hearing",
                        date!(2025 - 03 - 10),
                        &[
                            ("hearing_date", "2025-03-10"),
                            ("instance", "一审"),
                            ("head_appearance", ABSENT),
                            ("absence_reason", "不可抗力"),
                        ],
                    ),
                    (
                        "first_instance_won",
                        date!(2025 - 04 - 03),
                        &[
                            ("decision_form", "判决"),
                            ("judgment_date", "2025-04-01"),
                            ("judgment_served_date", "2025-04-03"),
                        ],
                    ),
                    (
                        "appeal",
                        date!(2025 - 04 - 10),
                        &[("appellant", "原告"), ("appeal_date", "2025-04-10")],
                    ),
                    (
                        "second_instance_remanded",
                        date!(2025 - 06 - 01),
                        &[("judgment_date", "2025-06-01")],
                    ),
                    (
                        "record_hearing",
                        date!(2025 - 07 - 01),
                        &[
                            ("hearing_date", "2025-07-01"),
                            ("instance", "发回重审后一审"),
                            ("head_appearance", HEAD),
                        ],
                    ),
                    (
                        "first_instance_lost",
                        date!(2025 - 08 - 05),
                        &[
                            ("decision_form", "判决"),
                            ("judgment_date", "2025-08-01"),
                            ("judgment_served_date", "2025-08-05"),
                        ],
                    ),
                ],
            )
            .await;
        let catalogue = Catalogue::embedded(&fixture.procedures).expect("catalogue");
        let year = compute(
            &db.store,
            &catalogue,
            fazhi_app::indicators::Extent::EVERYTHING,
            2025,
            "2026-01-10T00:00:00Z",
        )
        .await
        .expect("compute");
        let value = |id: &str| year.value(id);
        assert_eq!(value("litigation.cases"), Some(dec("4")), "A, B, D, E");
        assert_eq!(
            value("litigation.hearings"),
            Some(dec("9")),
            "sessions: A 2 + 2 on appeal, B 2, C 1 in 2025, E 1 + 1 after the remand"
        );
        assert_eq!(
            value("litigation.heard_cases"),
            Some(dec("6")),
            "A first and second instance, B first, C first (heard again in 2025), E first and \
             retried first"
        );
        assert_eq!(
            value("litigation.head_appearances"),
            Some(dec("4")),
            "A first instance (once of two sessions), B first instance (deputy and head: one \
             case), C first instance (the head appeared in December: 出庭规定第七条), E's retried \
             first instance"
        );
        assert_eq!(value("litigation.head_appearance_rate"), Some(dec("66.67")));
        assert_eq!(
            value("litigation.first_instance_concluded"),
            Some(dec("5")),
            "A won, B lost, C won, D mediated, E won, each before any appeal; A's withdrawal and \
             C's mediation on appeal, and E's judgment after the remand, are not counted again"
        );
        assert_eq!(
            value("litigation.lost"),
            Some(dec("1")),
            "B; not E's retrial"
        );
        assert_eq!(value("litigation.loss_rate"), Some(dec("20.00")));
        // The drill-down lists one record per case and instance: the appearance that counts.
        let head = catalogue
            .get("litigation.head_appearances")
            .expect("indicator");
        let listed = records(
            &db.store,
            head,
            fazhi_app::indicators::Extent::EVERYTHING,
            2025,
            None,
            1,
            50,
        )
        .await
        .expect("records");
        assert_eq!(listed.total, 4);
        assert!(
            listed
                .items
                .iter()
                .any(|r| r.case_id == e && r.on == "2025-07-01")
        );
        assert!(
            listed
                .items
                .iter()
                .any(|r| r.case_id == c && r.on == "2024-12-10")
        );
        assert_eq!(
            listed.items.iter().filter(|r| r.case_id == a).count(),
            1,
            "A: the first instance only"
        );
        let concluded = catalogue
            .get("litigation.first_instance_concluded")
            .expect("indicator");
        let listed = records(
            &db.store,
            concluded,
            fazhi_app::indicators::Extent::EVERYTHING,
            2025,
            None,
            1,
            50,
        )
        .await
        .expect("records");
        assert_eq!(listed.total, 5);
        assert!(
            listed
                .items
                .iter()
                .all(|r| r.what != "plaintiff_withdrew" && (r.case_id != c || r.what != "mediated"))
        );
        // 2024: C's first instance, the head present.
        let previous = compute(
            &db.store,
            &catalogue,
            fazhi_app::indicators::Extent::EVERYTHING,
            2024,
            "2026-01-10T00:00:00Z",
        )
        .await
        .expect("compute 2024");
        assert_eq!(previous.value("litigation.heard_cases"), Some(dec("1")));
        assert_eq!(
            previous.value("litigation.head_appearance_rate"),
            Some(dec("100.00"))
        );
        assert_eq!(
            previous.value("litigation.first_instance_concluded"),
            Some(dec("0"))
        );
    }
);

db_test!(
    the_correction_rate_is_over_accepted_cases_concluded,
    with_demo,
    |db| {
        let fixture = Fixture::new(db).await;
        let respondent = fixture.department.to_string();
        let r = respondent.as_str();
        // What acceptance records (行政复议法第二十条、第三十条).
        let accepted = |on: &'static str, knew: &'static str| -> Vec<(&'static str, &str)> {
            vec![
                ("acceptance_date", on),
                ("respondent", r),
                ("knew_act_date", knew),
                ("limitation_start_date", knew),
                ("appeal_rights_told", "已告知"),
                ("property_related", "其他"),
            ]
        };
        let heard: &[(&str, &str)] = &[("views_method", "电话"), ("views_date", "2025-04-10")];
        // R1: withdrawn before acceptance. R2: withdrawn while awaiting correction.
        fixture
            .reconsideration(
                db,
                date!(2025 - 03 - 03),
                &[("withdraw", date!(2025 - 03 - 05), &[])],
            )
            .await;
        fixture
            .reconsideration(
                db,
                date!(2025 - 03 - 04),
                &[
                    (
                        "request_correction",
                        date!(2025 - 03 - 06),
                        &[
                            ("correction_items", "请补充提交行政处罚决定书"),
                            ("correction_notice_date", "2025-03-06"),
                        ],
                    ),
                    ("withdraw", date!(2025 - 03 - 12), &[]),
                ],
            )
            .await;
        // R3: accepted, then withdrawn. R4: accepted, views heard, revoked. R5: simplified,
        // upheld.
        let r3 = accepted("2025-03-07", "2025-02-20");
        fixture
            .reconsideration(
                db,
                date!(2025 - 03 - 05),
                &[
                    ("accept", date!(2025 - 03 - 07), &r3),
                    ("withdraw", date!(2025 - 04 - 01), &[]),
                ],
            )
            .await;
        let r4 = accepted("2025-03-10", "2025-02-20");
        fixture
            .reconsideration(
                db,
                date!(2025 - 03 - 06),
                &[
                    ("accept", date!(2025 - 03 - 10), &r4),
                    // The copy goes to the respondent and it replies (复议法第四十八条、第七十条).
                    (
                        "send_copy",
                        date!(2025 - 03 - 12),
                        &[("copy_sent_date", "2025-03-12")],
                    ),
                    (
                        "record_reply",
                        date!(2025 - 03 - 20),
                        &[("reply_received_date", "2025-03-20")],
                    ),
                    ("hear_views", date!(2025 - 04 - 10), heard),
                    (
                        "decide_revoke",
                        date!(2025 - 04 - 20),
                        &[
                            ("decision_date", "2025-04-20"),
                            ("decision_number", "滨复决〔2025〕4号"),
                        ],
                    ),
                ],
            )
            .await;
        let mut r5 = accepted("2025-03-10", "2025-02-20");
        r5.push(("simplified_basis", "案件涉及款额三千元以下"));
        fixture
            .reconsideration(
                db,
                date!(2025 - 03 - 07),
                &[
                    ("accept_simplified", date!(2025 - 03 - 10), &r5),
                    (
                        "send_copy_simplified",
                        date!(2025 - 03 - 11),
                        &[("copy_sent_date", "2025-03-11")],
                    ),
                    (
                        "record_reply_simplified",
                        date!(2025 - 03 - 14),
                        &[("reply_received_date", "2025-03-14")],
                    ),
                    (
                        "decide_uphold",
                        date!(2025 - 04 - 01),
                        &[
                            ("decision_date", "2025-04-01"),
                            ("decision_number", "滨复决〔2025〕5号"),
                        ],
                    ),
                ],
            )
            .await;
        // R6: not accepted.
        fixture
            .reconsideration(
                db,
                date!(2025 - 03 - 08),
                &[(
                    "refuse_acceptance",
                    date!(2025 - 03 - 12),
                    &[("refusal_reason", "不属于行政复议范围")],
                )],
            )
            .await;
        // R7: accepted in 2024, terminated in 2025.
        let r7 = accepted("2024-12-05", "2024-11-20");
        fixture
            .reconsideration(
                db,
                date!(2024 - 12 - 02),
                &[
                    ("accept", date!(2024 - 12 - 05), &r7),
                    (
                        "terminate",
                        date!(2025 - 01 - 10),
                        &[(
                            "termination_reason",
                            "申请人死亡，无近亲属或者近亲属放弃权利",
                        )],
                    ),
                ],
            )
            .await;
        // R8: received on Tuesday 6 May; nobody decides within five working days, so it is
        // accepted by law (行政复议法第三十条第三款); views heard, then withdrawn.
        let r8 = fixture
            .reconsideration(
                db,
                date!(2025 - 05 - 06),
                &[
                    (
                        "hear_views",
                        date!(2025 - 05 - 20),
                        &[("views_method", "当面"), ("views_date", "2025-05-20")],
                    ),
                    ("withdraw", date!(2025 - 06 - 03), &[]),
                ],
            )
            .await;
        let catalogue = Catalogue::embedded(&fixture.procedures).expect("catalogue");
        let year = compute(
            &db.store,
            &catalogue,
            fazhi_app::indicators::Extent::EVERYTHING,
            2025,
            "2026-01-10T00:00:00Z",
        )
        .await
        .expect("compute");
        let value = |id: &str| year.value(id);
        assert_eq!(
            value("reconsideration.cases_received"),
            Some(dec("7")),
            "R1–R6, R8"
        );
        assert_eq!(
            value("reconsideration.cases_accepted"),
            Some(dec("4")),
            "R3, R4, R5 and R8 (by law)"
        );
        assert_eq!(
            value("reconsideration.cases_concluded"),
            Some(dec("5")),
            "R3 withdrawn after acceptance, R4, R5, R7 (accepted in 2024), R8 withdrawn after \
             acceptance by law; not R1, R2 (withdrawn before acceptance) nor R6 (not accepted)"
        );
        assert_eq!(value("reconsideration.corrected"), Some(dec("1")));
        assert_eq!(value("reconsideration.correction_rate"), Some(dec("20.00")));
        let concluded = catalogue
            .get("reconsideration.cases_concluded")
            .expect("indicator");
        let listed = records(
            &db.store,
            concluded,
            fazhi_app::indicators::Extent::EVERYTHING,
            2025,
            None,
            1,
            50,
        )
        .await
        .expect("records");
        assert_eq!(listed.total, 5);
        assert_eq!(
            listed.items.iter().filter(|r| r.what == "withdraw").count(),
            2,
            "only the withdrawals after acceptance"
        );
        let accepted = catalogue
            .get("reconsideration.cases_accepted")
            .expect("indicator");
        let listed = records(
            &db.store,
            accepted,
            fazhi_app::indicators::Extent::EVERYTHING,
            2025,
            None,
            1,
            50,
        )
        .await
        .expect("records");
        let by_law = listed
            .items
            .iter()
            .find(|r| r.case_id == r8)
            .expect("R8 accepted by law");
        assert_eq!(by_law.what, "deemed_accept");
        assert!(
            by_law.event_id.is_some(),
            "stored with its journal event when someone next acted"
        );
        assert!(
            by_law.on.as_str() > "2025-05-06" && by_law.on.as_str() < "2025-05-20",
            "dated when the period lapsed: {}",
            by_law.on
        );
        assert_eq!(
            year.department_value(
                fixture.justice_department,
                "reconsideration.correction_rate"
            ),
            Some(dec("20.00"))
        );
    }
);

db_test!(
    penalty_cases_filed_are_file_case_steps_not_registrations,
    with_demo,
    |db| {
        let fixture = Fixture::new(db).await;
        let department = fixture.department.to_string();
        let d = department.as_str();
        // P1: registered and filed in 2025. P2: a lead registered, never filed. P3: registered in
        // December, filed in January.
        fixture
            .penalty(
                db,
                date!(2025 - 03 - 03),
                &[(
                    "file_case",
                    date!(2025 - 03 - 05),
                    &[
                        ("party", "张某"),
                        ("party_kind", "公民"),
                        ("case_cause", "销售过期食品"),
                        ("filing_date", "2025-03-05"),
                        ("department", d),
                        ("period_rule", "行政处罚法第六十条"),
                    ],
                )],
            )
            .await;
        fixture.penalty(db, date!(2025 - 03 - 04), &[]).await;
        fixture
            .penalty(
                db,
                date!(2025 - 12 - 29),
                &[(
                    "file_case",
                    date!(2026 - 01 - 05),
                    &[
                        ("party", "赵某"),
                        ("party_kind", "公民"),
                        ("case_cause", "销售过期食品"),
                        ("filing_date", "2026-01-05"),
                        ("department", d),
                        ("period_rule", "行政处罚法第六十条"),
                    ],
                )],
            )
            .await;
        let catalogue = Catalogue::embedded(&fixture.procedures).expect("catalogue");
        let year = compute(
            &db.store,
            &catalogue,
            fazhi_app::indicators::Extent::EVERYTHING,
            2025,
            "2026-03-01T00:00:00Z",
        )
        .await
        .expect("compute");
        assert_eq!(
            year.value("enforcement.penalty_cases"),
            Some(dec("1")),
            "P1 only: P2 was never filed, P3 was filed in 2026"
        );
        let next = compute(
            &db.store,
            &catalogue,
            fazhi_app::indicators::Extent::EVERYTHING,
            2026,
            "2026-03-01T00:00:00Z",
        )
        .await
        .expect("compute");
        assert_eq!(
            next.value("enforcement.penalty_cases"),
            Some(dec("1")),
            "P3"
        );
        let filed = catalogue
            .get("enforcement.penalty_cases")
            .expect("indicator");
        let listed = records(
            &db.store,
            filed,
            fazhi_app::indicators::Extent::EVERYTHING,
            2025,
            None,
            1,
            50,
        )
        .await
        .expect("records");
        assert_eq!(listed.total, 1);
        assert_eq!(
            listed.items.first().map(|r| r.what.as_str()),
            Some("file_case")
        );
    }
);

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
        let before = compute(
            &db.store,
            &catalogue,
            fazhi_app::indicators::Extent::EVERYTHING,
            2025,
            "t",
        )
        .await
        .expect("compute");
        assert!(!db.store.tallies_missing().await.expect("check"));
        let recounted = db.store.rebuild_tallies().await.expect("rebuild");
        assert!(recounted > 0);
        let after = compute(
            &db.store,
            &catalogue,
            fazhi_app::indicators::Extent::EVERYTHING,
            2025,
            "t",
        )
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
        let filed: i64 = sqlx_count(
            db,
            "SELECT COUNT(*) FROM case_steps s JOIN cases c ON c.id = s.case_id \
        WHERE c.procedure = 'penalty' AND s.action = 'file_case' \
        AND s.on_date >= '2025-01-01' AND s.on_date <= '2025-12-31'",
        )
        .await;
        let registered: i64 = sqlx_count(
            db,
            "SELECT COUNT(*) FROM cases WHERE procedure = 'penalty' \
        AND opened_on >= '2025-01-01' AND opened_on <= '2025-12-31'",
        )
        .await;
        assert!(
            filed > 0 && filed < registered,
            "on-the-spot cases are not filed"
        );
        assert_eq!(
            before.value("enforcement.penalty_cases"),
            Some(Decimal::from(filed)),
            "立案 is the file_case step, not the registration"
        );
        // The conditional counts, straight from the steps.
        let concluded: i64 = sqlx_count(
            db,
            "SELECT COUNT(*) FROM case_steps s JOIN cases c ON c.id = s.case_id \
        WHERE c.procedure = 'reconsideration' AND s.on_date >= '2025-01-01' AND s.on_date <= '2025-12-31' \
        AND s.action IN ('decide_change', 'decide_revoke', 'decide_unlawful', 'decide_perform', \
        'decide_void', 'decide_uphold', 'decide_reject_claim', 'decide_reject_application', 'mediate', \
        'withdraw', 'terminate') AND EXISTS (SELECT 1 FROM case_steps a WHERE a.case_id = s.case_id \
        AND a.seq < s.seq AND a.action IN ('accept', 'accept_simplified'))",
        )
        .await;
        assert!(concluded > 0);
        assert_eq!(
            before.value("reconsideration.cases_concluded"),
            Some(Decimal::from(concluded))
        );
        // Per case and instance (审级): the demo names every hearing's instance; a retried first
        // instance after a remand is an instance of its own.
        let heard: i64 = sqlx_count(
            db,
            "SELECT COUNT(*) FROM (SELECT DISTINCT s.case_id, CASE \
        WHEN s.fields LIKE '%\"value\":\"发回重审后一审\"%' THEN 'retrial' \
        WHEN s.action = 'record_appeal_hearing' THEN 'appeal' ELSE 'first' END AS instance \
        FROM case_steps s JOIN cases c ON c.id = s.case_id WHERE c.procedure = 'litigation' \
        AND s.action IN ('record_hearing', 'record_appeal_hearing') \
        AND s.on_date >= '2025-01-01' AND s.on_date <= '2025-12-31') AS instances",
        )
        .await;
        assert_eq!(
            before.value("litigation.heard_cases"),
            Some(Decimal::from(heard))
        );
        // The drill-down lists exactly the records each figure counts.
        for indicator in &catalogue.indicators {
            let Some(figure) = before.figure(&indicator.id) else {
                continue;
            };
            if !matches!(
                indicator.source,
                Source::Opened | Source::Steps | Source::Field
            ) {
                continue;
            }
            let records = records(
                &db.store,
                indicator,
                fazhi_app::indicators::Extent::EVERYTHING,
                2025,
                None,
                1,
                1,
            )
            .await
            .expect("records");
            assert_eq!(records.total, figure.records, "{}", indicator.id);
        }
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
                            ("instance", "一审"),
                            ("head_appearance", "行政机关正职负责人出庭"),
                        ],
                    ),
                    (
                        "first_instance_lost",
                        date!(2025 - 05 - 08),
                        &[
                            ("decision_form", "判决"),
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
