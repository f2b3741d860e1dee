//! Case pages through the router: opening a case from the generated form, taking steps from the
//! case page, refusals shown beside the action, and the 工作台's 预警/超期 lists (fixed clock:
//! Monday 2026-03-02).

use axum::http::StatusCode;
use fazhi_app::authz::Scope;
use time::macros::date;

use crate::db_test;
use crate::support::TestApp;

async fn department_id(app: &TestApp, suffix: &str) -> i64 {
    app.store
        .active_departments(Scope::All)
        .await
        .expect("departments")
        .into_iter()
        .find(|d| d.name.ends_with(suffix))
        .expect(suffix)
        .id
}

fn case_id(location: Option<&str>) -> i64 {
    let location = location.expect("redirect");
    location
        .trim_start_matches("/case/")
        .split('?')
        .next()
        .expect("id")
        .parse()
        .expect("numeric id")
}

db_test!(
    an_officer_opens_and_files_a_penalty_case_from_the_pages,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        let market = department_id(&app, "市场监督管理局").await;
        app.login_demo("zhifa").await;
        assert!(app.get("/cases").await.body.contains("行政处罚"));
        let form = app.get("/cases/penalty/new").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.body.contains("案由（违法行为）"),
            "the form is generated from the definition"
        );
        let opened = app
            .post(
                "/cases/penalty",
                &[
                    ("department_id", &market.to_string()),
                    ("on", "2026-03-02"),
                    ("case_cause", "销售不合格产品"),
                    ("discovered_date", "2026-02-27"),
                ],
            )
            .await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
        let id = case_id(opened.location.as_deref());
        let page = app.get(&format!("/case/{id}")).await;
        assert!(
            page.body.contains("线索登记") && page.body.contains("立案"),
            "{}",
            page.body
        );
        // Optional fields are offered: whether the decision will be major (legal review) or
        // needs collective discussion.
        assert!(
            page.body
                .contains("须法制审核（涉及重大公共利益、疑难复杂等")
        );
        assert!(page.body.contains("情节复杂或重大违法（须集体讨论）"));

        // A missing required field comes back beside the action, nothing recorded.
        let missing = app
            .post(
                &format!("/case/{id}/act"),
                &[
                    ("action", "file_case"),
                    ("version", "1"),
                    ("on", "2026-03-02"),
                    ("party", "某公司"),
                ],
            )
            .await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.body.contains("此项为必填项"));
        let filed = app
            .post(
                &format!("/case/{id}/act"),
                &[
                    ("action", "file_case"),
                    ("version", "1"),
                    ("on", "2026-03-02"),
                    ("party", "某公司"),
                    ("party_kind", "法人"),
                    ("filing_date", "2026-03-02"),
                    ("department", &market.to_string()),
                    ("period_rule", "行政处罚法第六十条"),
                ],
            )
            .await;
        assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
        let page = app.get(&format!("/case/{id}")).await;
        assert!(
            page.body.contains("作出行政处罚决定期限"),
            "the 90-day decision period runs"
        );
        assert!(
            page.body.contains("2026-05-31") || page.body.contains("2026-06-01"),
            "90 days from 03-02 is 05-31 (Sunday), moved to 06-01: {}",
            page.body
        );

        // Two certified officers investigate; the checkbox list offers only officers valid today.
        let officers = app
            .store
            .certified_officers(market, date!(2026 - 03 - 02))
            .await
            .expect("officers");
        assert!(
            officers.len() >= 2,
            "the demo certifies enforcement officers"
        );
        let pair = format!("{},{}", officers[0].person_id, officers[1].person_id);
        let (first, second) = (
            officers[0].person_id.to_string(),
            officers[1].person_id.to_string(),
        );
        // Two checked boxes arrive as two fields of the same name, as a browser sends them.
        let body = [
            ("action", "record_investigation"),
            ("version", "2"),
            ("on", "2026-03-02"),
            ("investigators", first.as_str()),
            ("investigators", second.as_str()),
        ];
        let investigated = app.post(&format!("/case/{id}/act"), &body).await;
        assert_eq!(
            investigated.status,
            StatusCode::SEE_OTHER,
            "{} ({pair})",
            investigated.body
        );
        // The timeline names both investigators (looked up once for the whole page).
        let page = app.get(&format!("/case/{id}")).await;
        assert!(
            page.body
                .contains(&format!("{}、{}", officers[0].name, officers[1].name)),
            "{}",
            page.body
        );

        // A stale form (version 2 again) is refused with a clear message and changes nothing.
        let stale = app
            .post(
                &format!("/case/{id}/act"),
                &[
                    ("action", "record_investigation"),
                    ("version", "2"),
                    ("on", "2026-03-02"),
                    ("investigators", pair.as_str()),
                ],
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert!(stale.body.contains("案件已被他人更新"));
        assert_eq!(app.store.case_steps(id).await.expect("steps").len(), 3);
    }
);

db_test!(
    the_dashboard_warns_of_near_and_overdue_periods,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        let justice = department_id(&app, "司法局").await.to_string();
        app.login_demo("sifa").await;
        let mut numbers = Vec::new();
        // Received Friday 02-27: the 5 working days of the acceptance review are 02-28 (adjusted
        // Saturday), 03-02 .. 03-05 → due 03-05, inside the 3 working days after Monday 03-02; its
        // lapse deems the application accepted (行政复议法第三十条第三款), so it warns until then.
        // Received 01-05: deemed accepted when its review lapsed in January; the copy of the
        // application was due 7 working days later and is overdue.
        for received in ["2026-02-27", "2026-01-05"] {
            let opened = app
                .post(
                    "/cases/reconsideration",
                    &[
                        ("department_id", justice.as_str()),
                        ("on", received),
                        ("received_date", received),
                        ("applicant", "李某"),
                        ("act_challenged", "罚款决定"),
                    ],
                )
                .await;
            assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
            let id = case_id(opened.location.as_deref());
            numbers.push(
                app.store
                    .case_for(
                        &fazhi_app::authz::Subject {
                            user_id: 1,
                            role: fazhi_app::domain::Role::Admin,
                            department_id: None,
                            jurisdiction_id: fazhi_app::store::ROOT_JURISDICTION,
                        },
                        id,
                    )
                    .await
                    .expect("case")
                    .number,
            );
        }
        let dashboard = app.get("/").await;
        let warnings = dashboard
            .body
            .split("id=\"warnings\"")
            .nth(1)
            .expect("warnings table");
        assert!(
            warnings.contains(&numbers[0]) && warnings.contains("2026-03-05"),
            "{}",
            dashboard.body
        );
        let overdue = dashboard
            .body
            .split("id=\"overdue\"")
            .nth(1)
            .expect("overdue table");
        let overdue = overdue.split("id=\"warnings\"").next().unwrap_or_default();
        assert!(
            overdue.contains(&numbers[1])
                && overdue.contains("发送申请书副本期限（视为受理）")
                && overdue.contains("已超期"),
            "{}",
            dashboard.body
        );
        assert!(
            !overdue.contains(&numbers[0]),
            "the case still under review is not overdue"
        );
        // Another department's legal officer sees none of it.
        let mut other = TestApp::new(&db.store);
        other.login_demo("fazhi").await;
        assert!(other.get("/").await.body.contains("id=\"no-deadlines\""));
    }
);
