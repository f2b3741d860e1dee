//! 法治督察 and 督办 (issue #14, point 4) through the router, on both databases: a city with two
//! districts; the city's 司法局 sees each district's report against its dates (报送 by 31 March,
//! 公开 before 1 April, 督察工作规定第二十四条) and issues a 督办 with a reply period counted in
//! working days across the National Day holiday; the addressee finds it on its 工作台 and answers
//! it once; both are journaled in the right jurisdiction's log without their free text; nobody
//! outside the tree's reach reads or issues one, and refused requests store nothing.

use axum::http::StatusCode;
use fazhi_app::domain::{AccountInput, DepartmentInput, JurisdictionInput};
use fazhi_app::store::{ROOT_JURISDICTION, Store};

use crate::db_test;
use crate::support::{TestApp, TestDb};

const AT: &str = "2026-03-02T01:00:00Z";
const PASSWORD: &str = "supervision-test-2026";

/// The tree: 武汉市 (root) with 江岸区 and 江汉区; each with a justice bureau and a market
/// regulator. Accounts: the city's `shi.sifa` and `shi.lingdao`, and per district `a.sifa`,
/// `a.fazhi` (market regulator) and `b.sifa`, `b.fazhi`.
struct Tree {
    district_a: i64,
    district_b: i64,
    market_a: i64,
    market_b: i64,
}

async fn tree(db: &TestDb) -> Tree {
    let store = &db.store;
    let root = JurisdictionInput::parse("武汉市", "city", "420100").expect("valid");
    store
        .set_jurisdiction(None, AT, &root, None)
        .await
        .expect("root");
    let district = |name: &str, code: &str| JurisdictionInput::parse(name, "county", code);
    let district_a = store
        .create_jurisdiction(
            None,
            AT,
            ROOT_JURISDICTION,
            &district("江岸区", "420102").expect("valid"),
        )
        .await
        .expect("江岸区");
    let district_b = store
        .create_jurisdiction(
            None,
            AT,
            ROOT_JURISDICTION,
            &district("江汉区", "420103").expect("valid"),
        )
        .await
        .expect("江汉区");
    let department = |name: &str, justice: bool| {
        DepartmentInput::parse(name, "政府工作部门", justice, "", "").expect("valid")
    };
    let mut ids = Vec::new();
    for (jurisdiction, prefix) in [
        (ROOT_JURISDICTION, "武汉市"),
        (district_a, "江岸区"),
        (district_b, "江汉区"),
    ] {
        let justice = store
            .create_department(
                None,
                AT,
                jurisdiction,
                &department(&format!("{prefix}司法局"), true),
            )
            .await
            .expect("justice");
        let market = store
            .create_department(
                None,
                AT,
                jurisdiction,
                &department(&format!("{prefix}市场监督管理局"), false),
            )
            .await
            .expect("market");
        ids.push((jurisdiction, justice, market));
    }
    let hash = fazhi_app::password::hash(PASSWORD).expect("hash");
    let accounts = [
        ("shi.sifa", "justice_staff", 0, true),
        ("shi.lingdao", "leader", 0, false),
        ("a.sifa", "justice_staff", 1, true),
        ("a.fazhi", "department_legal", 1, false),
        ("b.sifa", "justice_staff", 2, true),
        ("b.fazhi", "department_legal", 2, false),
    ];
    for (username, role, at, justice) in accounts {
        let (jurisdiction, justice_id, market_id) = ids[at];
        let department = match role {
            "justice_staff" if justice => justice_id.to_string(),
            "department_legal" => market_id.to_string(),
            _ => String::new(),
        };
        let input =
            AccountInput::parse(username, role, &department, "张伟", PASSWORD).expect("valid");
        store
            .create_user(
                None,
                AT,
                &AccountInput {
                    jurisdiction_id: jurisdiction,
                    ..input
                },
                &hash,
            )
            .await
            .expect("account");
    }
    Tree {
        district_a,
        district_b,
        market_a: ids[1].2,
        market_b: ids[2].2,
    }
}

async fn signed_in(store: &Store, username: &str, on: time::OffsetDateTime) -> TestApp {
    let mut app = TestApp::new(store);
    app.clock.set(on);
    let reply = app.login(username, PASSWORD).await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "{username}: {}",
        reply.body
    );
    app
}

async fn count(store: &Store, sql: &str) -> i64 {
    store.count_raw(sql).await.expect(sql)
}

/// `jurisdiction`'s report on 2025 drafted by the report service at `at`, or its latest draft
/// published as it stands at `at` when `publish`.
async fn report_of(store: &Store, jurisdiction: i64, at: &str, publish: bool) {
    use fazhi_app::reports::service;
    let procedures = fazhi_app::procedure::load_embedded().expect("definitions");
    let catalogue = fazhi_app::indicators::Catalogue::embedded(&procedures).expect("catalogue");
    if !publish {
        service::draft(store, &catalogue, jurisdiction, 2025, None, at)
            .await
            .expect("draft");
        return;
    }
    let drafted = service::versions(store, jurisdiction, 2025)
        .await
        .expect("versions")
        .into_iter()
        .max_by_key(|v| v.row.number)
        .expect("a draft");
    service::save(
        store,
        &drafted.report,
        &drafted.computation,
        "发布",
        None,
        at,
        true,
    )
    .await
    .expect("publish");
}

db_test!(
    the_city_sees_each_districts_report_against_its_dates,
    migrated,
    |db| {
        let t = tree(db).await;
        let store = &db.store;
        // 江岸区 drafted and submitted in time (the web form, on 2026-03-20) and published on
        // 2026-04-02 — late; 江汉区 did nothing.
        report_of(store, t.district_a, "2026-03-10T02:00:00Z", false).await;
        let mut a = signed_in(
            store,
            "a.sifa",
            time::macros::datetime!(2026-03-20 02:00:00 UTC),
        )
        .await;
        a.get("/supervision/notices").await;
        let submitted = a
            .post("/supervision/report/submit", &[("year", "2025")])
            .await;
        assert_eq!(
            submitted.status,
            StatusCode::SEE_OTHER,
            "{}",
            submitted.body
        );
        let again = a
            .post("/supervision/report/submit", &[("year", "2025")])
            .await;
        assert!(
            again
                .location
                .as_deref()
                .is_some_and(|l| l.contains("report_already_submitted")),
            "{:?}",
            again.location
        );
        assert_eq!(
            count(store, "SELECT COUNT(*) FROM report_submissions").await,
            1
        );
        report_of(store, t.district_a, "2026-04-02T02:00:00Z", true).await;
        // 江汉区 may not record a submission of a report it never drafted.
        let mut b = signed_in(
            store,
            "b.sifa",
            time::macros::datetime!(2026-03-20 02:00:00 UTC),
        )
        .await;
        b.get("/supervision/notices").await;
        let refused = b
            .post("/supervision/report/submit", &[("year", "2025")])
            .await;
        assert!(
            refused
                .location
                .as_deref()
                .is_some_and(|l| l.contains("report_not_drafted")),
            "{:?}",
            refused.location
        );

        let mut city = signed_in(
            store,
            "shi.sifa",
            time::macros::datetime!(2026-04-10 02:00:00 UTC),
        )
        .await;
        let page = city.get("/supervision?year=2025").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let row = |name: &str| -> String {
            let start = page
                .body
                .find(name)
                .unwrap_or_else(|| panic!("{name} in {}", page.body));
            let end = page.body[start..]
                .find("</tr>")
                .map_or(page.body.len(), |e| start + e);
            page.body[start..end].to_owned()
        };
        let jiangan = row("江岸区");
        assert!(
            jiangan.contains("2026-03-20"),
            "submitted on time: {jiangan}"
        );
        assert!(
            jiangan.contains("2026-04-02（逾期 2 日）"),
            "published late: {jiangan}"
        );
        let jianghan = row("江汉区");
        assert!(jianghan.contains("未起草"), "{jianghan}");
        assert!(
            jianghan.contains("未完成（已逾期 10 日）"),
            "neither submitted nor published by 31 March: {jianghan}"
        );
        assert!(page.body.contains("第二十四条"), "the article is cited");
        // Its detail: the report check on the latest version, as 江岸区's own report page runs it.
        let detail = city
            .get(&format!("/supervision/j/{}?year=2025", t.district_a))
            .await;
        assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
        assert!(detail.body.contains("第 2 稿"), "{}", detail.body);
        // A district's staff see no supervision of the city, and the city's leader reads it too.
        let sibling = a.get(&format!("/supervision/j/{}", t.district_b)).await;
        assert_eq!(sibling.status, StatusCode::NOT_FOUND);
        let leader = signed_in(
            store,
            "shi.lingdao",
            time::macros::datetime!(2026-04-10 02:00:00 UTC),
        )
        .await;
        let mut leader = leader;
        assert_eq!(
            leader.get("/supervision?year=2025").await.status,
            StatusCode::OK
        );
        // The submission is journaled in 江岸区's own log.
        assert_eq!(
            count(
                store,
                &format!(
                    "SELECT COUNT(*) FROM events WHERE kind = 'report.submitted_upward' \
                 AND jurisdiction_id = {}",
                    t.district_a
                )
            )
            .await,
            1
        );
    }
);

db_test!(
    a_notice_is_answered_once_by_its_addressee_within_working_days,
    migrated,
    |db| {
        let t = tree(db).await;
        let store = &db.store;
        // Issued on 2026-09-29 (a Tuesday) with 5 working days: 09-30, then the National Day
        // holiday (10-01 to 10-07), then 10-08, 10-09, 10-10 (a Saturday worked in its place) and
        // 10-12 — the reply is due on 2026-10-12.
        let mut city = signed_in(
            store,
            "shi.sifa",
            time::macros::datetime!(2026-09-29 02:00:00 UTC),
        )
        .await;
        city.get(&format!("/supervision/j/{}", t.district_a)).await;
        let before = count(store, "SELECT COUNT(*) FROM events").await;
        // Refused forms store nothing: no title, a period of 0, a department of the other
        // district, a case number that does not exist, an addressee outside the reach.
        let base = |target: String, title: &'static str, days: &'static str| {
            vec![
                ("jurisdiction_id", t.district_a.to_string()),
                ("target", target),
                ("year", "2025".to_owned()),
                ("title", title.to_owned()),
                (
                    "body",
                    "贵局有行政处罚案件超过法定办案期限，请说明原因并整改。".to_owned(),
                ),
                ("reply_workdays", days.to_owned()),
            ]
        };
        for (fields, status) in [
            (
                base(format!("department:{}", t.market_a), "", "5"),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                base(format!("department:{}", t.market_a), "督办超期案件", "0"),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                base(format!("department:{}", t.market_b), "督办超期案件", "5"),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                [
                    base("case".to_owned(), "督办超期案件", "5"),
                    vec![("case_number", "罚-2026-999999".to_owned())],
                ]
                .concat(),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
        ] {
            let borrowed: Vec<(&str, &str)> =
                fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = city.post("/supervision/notices", &borrowed).await;
            assert_eq!(reply.status, status, "{borrowed:?}: {}", reply.body);
            assert!(
                reply.body.contains("class=\"field-error\""),
                "a Chinese message beside the field: {}",
                reply.body
            );
        }
        assert_eq!(count(store, "SELECT COUNT(*) FROM events").await, before);
        assert_eq!(
            count(store, "SELECT COUNT(*) FROM supervision_notices").await,
            0
        );

        let fields = base(format!("department:{}", t.market_a), "督办超期案件", "5");
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let issued = city.post("/supervision/notices", &borrowed).await;
        assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.body);
        let location = issued.location.clone().expect("location");
        let page = city.get(&location).await;
        assert!(page.body.contains("2026-10-12"), "{}", page.body);

        // A district's 司法局 cannot address the city (outside its reach): not found.
        let mut a = signed_in(
            store,
            "a.sifa",
            time::macros::datetime!(2026-09-29 03:00:00 UTC),
        )
        .await;
        a.get("/supervision/notices").await;
        let upward = [
            ("jurisdiction_id", ROOT_JURISDICTION.to_string()),
            ("target", "report".to_owned()),
            ("year", "2025".to_owned()),
            ("title", "反向督办".to_owned()),
            ("body", "不应成立。".to_owned()),
            ("reply_workdays", "5".to_owned()),
        ];
        let borrowed: Vec<(&str, &str)> = upward.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            a.post("/supervision/notices", &borrowed).await.status,
            StatusCode::NOT_FOUND
        );

        // The addressee: 江岸区's market regulator sees it on its 工作台 and answers it once; 江汉区
        // does not see it at all.
        let mut addressee = signed_in(
            store,
            "a.fazhi",
            time::macros::datetime!(2026-10-09 02:00:00 UTC),
        )
        .await;
        let dashboard = addressee.get("/").await;
        assert!(dashboard.body.contains("待办督办"), "{}", dashboard.body);
        assert!(dashboard.body.contains("督办超期案件"));
        let mut other = signed_in(
            store,
            "b.fazhi",
            time::macros::datetime!(2026-10-09 02:00:00 UTC),
        )
        .await;
        assert!(!other.get("/").await.body.contains("督办超期案件"));
        assert_eq!(other.get(&location).await.status, StatusCode::NOT_FOUND);
        let reply_path = format!("{}/reply", location.split('?').next().unwrap_or_default());
        assert_eq!(
            other
                .post(&reply_path, &[("answer", "越权答复")])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        addressee.get(&location).await;
        let empty = addressee.post(&reply_path, &[("answer", " ")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        let answered = addressee
            .post(
                &reply_path,
                &[("answer", "已逐案核查，3件案件已于本周内办结。")],
            )
            .await;
        assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
        let twice = addressee.post(&reply_path, &[("answer", "再次答复")]).await;
        assert_ne!(twice.status, StatusCode::SEE_OTHER);
        assert!(!addressee.get("/").await.body.contains("待办督办"));
        let shown = city.get(&location).await;
        assert!(
            shown.body.contains("已答复（2026-10-09）"),
            "{}",
            shown.body
        );

        // Journaled: the notice in the city's log, the answer in 江岸区's, neither with its text.
        let kinds = [
            ("supervision.notice_issued", ROOT_JURISDICTION),
            ("supervision.notice_answered", t.district_a),
        ];
        for (kind, jurisdiction) in kinds {
            assert_eq!(
            count(
                store,
                &format!(
                    "SELECT COUNT(*) FROM events WHERE kind = '{kind}' AND jurisdiction_id = {jurisdiction}"
                )
            )
            .await,
            1,
            "{kind}"
        );
        }
        assert_eq!(
            count(
                store,
                "SELECT COUNT(*) FROM events WHERE body LIKE '%超期%' OR body LIKE '%办结%'"
            )
            .await,
            0,
            "free text stays out of the journal"
        );
    }
);
