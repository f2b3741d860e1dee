//! The role × route table through the real router: each demo role signs in and requests every
//! page; refusals are 403 with a Chinese explanation, and a refused POST changes nothing.

use axum::http::StatusCode;
use fazhi_app::authz::Scope;
use fazhi_app::store::org::ListFilter;

use crate::db_test;
use crate::support::TestApp;

/// Ids the table needs from the demo: the market regulator (home of `fazhi` and `zhifa`), the
/// justice bureau, and a person in the justice bureau.
async fn demo_ids(app: &TestApp) -> (i64, i64, i64) {
    let departments = app
        .store
        .active_departments(Scope::All)
        .await
        .expect("departments");
    let id_of = |suffix: &str| {
        departments
            .iter()
            .find(|d| d.name.ends_with(suffix))
            .expect(suffix)
            .id
    };
    let (market, justice) = (id_of("市场监督管理局"), id_of("司法局"));
    let filter = ListFilter {
        department_id: Some(justice),
        page: 1,
        per_page: 1,
        ..ListFilter::default()
    };
    let person = app
        .store
        .list_people(Scope::All, &filter)
        .await
        .expect("people")
        .items[0]
        .id;
    (market, justice, person)
}

db_test!(
    every_role_gets_exactly_the_pages_the_table_allows,
    with_demo,
    |db| {
        let probe = TestApp::new(&db.store);
        let (market, justice, person) = demo_ids(&probe).await;
        // (path, [admin, sifa, fazhi, zhifa, lingdao]) — true: 200, false: 403.
        let table: Vec<(String, [bool; 5])> = vec![
            ("/".into(), [true, true, true, true, true]),
            ("/departments".into(), [true, true, true, false, true]),
            (
                "/departments/new".into(),
                [true, false, false, false, false],
            ),
            (
                format!("/departments/{market}"),
                [true, true, true, false, true],
            ),
            (
                format!("/departments/{justice}"),
                [true, true, false, false, true],
            ),
            (
                format!("/departments/{market}/edit"),
                [true, false, false, false, false],
            ),
            ("/people".into(), [true, true, true, false, true]),
            (
                format!("/people?department={justice}"),
                [true, true, false, false, true],
            ),
            ("/people/new".into(), [true, true, true, false, false]),
            (
                format!("/people/{person}/edit"),
                [true, true, false, false, false],
            ),
            ("/accounts".into(), [true, false, false, false, false]),
            ("/settings".into(), [true, false, false, false, false]),
            ("/statistics".into(), [true, true, true, false, true]),
            ("/external".into(), [true, true, false, false, true]),
            ("/report".into(), [true, true, false, false, true]),
            ("/reports".into(), [true, true, true, true, true]),
            (
                format!("/statistics?department={justice}"),
                [true, true, false, false, true],
            ),
            (
                "/statistics/2025/litigation.lost".into(),
                [true, true, true, false, true],
            ),
            (
                format!("/submissions/{market}/2025"),
                [false, true, true, false, false],
            ),
            (
                format!("/submissions/{justice}/2025"),
                [false, true, false, false, false],
            ),
            ("/certificates".into(), [true, true, true, false, true]),
        ];
        for (column, username) in ["admin", "sifa", "fazhi", "zhifa", "lingdao"]
            .into_iter()
            .enumerate()
        {
            let mut app = TestApp::new(&db.store);
            app.login_demo(username).await;
            for (path, allowed) in &table {
                let reply = app.get(path).await;
                let expected = if allowed[column] {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(reply.status, expected, "{username} GET {path}");
                if reply.status == StatusCode::FORBIDDEN {
                    assert!(
                        reply.body.contains("无权"),
                        "{username} GET {path}: the refusal explains itself"
                    );
                }
            }
        }
    }
);

db_test!(
    an_officer_is_refused_the_departments_page_with_a_chinese_message,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        app.login_demo("zhifa").await;
        let reply = app.get("/departments").await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert!(
            reply
                .body
                .contains("您的角色为“执法人员”，无权查看部门管理页面"),
            "{}",
            reply.body
        );
    }
);

db_test!(a_refused_post_changes_nothing, with_demo, |db| {
    let mut app = TestApp::new(&db.store);
    app.login_demo("lingdao").await;
    let n_events = db.store.count_events().await.expect("count");
    let reply = app
        .post(
            "/departments",
            &[("name", "领导想加的局"), ("kind", "政府工作部门")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(db.store.count_events().await.expect("count"), n_events);
});

db_test!(signed_out_visitors_are_sent_to_sign_in, with_demo, |db| {
    let mut app = TestApp::new(&db.store);
    let reply = app.get("/people?page=2").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(
        reply.location.as_deref(),
        Some("/login?next=%2Fpeople%3Fpage%3D2")
    );
    let health = app.get("/healthz").await;
    assert_eq!(
        (health.status, health.body.as_str()),
        (StatusCode::OK, "ok")
    );
});

db_test!(
    a_department_legal_officer_manages_only_own_people,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        let (market, justice, _) = demo_ids(&app).await;
        app.login_demo("fazhi").await;
        let ok = app
            .post(
                "/people",
                &[
                    ("department_id", &market.to_string()),
                    ("name", "新同事"),
                    ("position", "科员"),
                    ("phone", ""),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let refused = app
            .post(
                "/people",
                &[
                    ("department_id", &justice.to_string()),
                    ("name", "外部门"),
                    ("position", "科员"),
                    ("phone", ""),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let listed = app.get("/people?q=%E5%A4%96%E9%83%A8%E9%97%A8").await;
        assert!(
            !listed.body.contains("<td>外部门</td>"),
            "the refused person was not stored"
        );
        assert!(listed.body.contains("共 0 人"));
    }
);
