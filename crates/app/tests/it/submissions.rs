//! 数据填报 through the router on both databases: a complete, valid form is stored and journaled;
//! a form breaking any rule stores nothing and names every problem; the template downloads as a
//! workbook the same rules read back; the 司法局 sees who has not submitted.

use fazhi_app::authz::Scope;

use crate::db_test;
use crate::support::TestApp;

async fn market_id(app: &TestApp) -> i64 {
    app.store
        .active_departments(Scope::All)
        .await
        .expect("departments")
        .into_iter()
        .find(|d| d.name.ends_with("市场监督管理局"))
        .expect("market")
        .id
}

/// Every submitted indicator with a value, except the overrides.
fn complete(overrides: &[(&str, &str)]) -> Vec<(String, String)> {
    let procedures = fazhi_app::procedure::load_embedded().expect("definitions");
    let catalogue = fazhi_app::indicators::Catalogue::embedded(&procedures).expect("catalogue");
    catalogue
        .submitted()
        .map(|i| {
            let value = overrides
                .iter()
                .find(|(id, _)| *id == i.id)
                .map_or("10", |(_, v)| v);
            (format!("value.{}", i.id), value.to_owned())
        })
        .collect()
}

db_test!(
    a_valid_submission_is_stored_and_a_bad_one_changes_nothing,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        app.login_demo("fazhi").await;
        let market = market_id(&app).await;
        let path = format!("/submissions/{market}/2025");
        let form = app.get(&path).await;
        assert_eq!(form.status, 200);
        assert!(form.body.contains("调解矛盾纠纷"));
        assert!(form.body.contains("本年度尚未填报"));

        // Parts over wholes, a negative count and a fraction: all named, nothing stored.
        let fields = complete(&[
            ("mediation.cases", "10"),
            ("mediation.cases_successful", "12"),
            ("legal_aid.cases", "-3"),
            ("law_study.sessions", "2.5"),
        ]);
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let refused = app.post(&path, &pairs).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("未保存"));
        assert!(
            refused.body.contains("调解成功"),
            "the part over its whole is named"
        );
        assert_eq!(
            refused.body.matches("class=\"field-error\"").count(),
            3,
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("value=\"-3\""),
            "what was typed is kept"
        );
        assert!(
            db.store
                .submissions(
                    fazhi_app::indicators::Extent::EVERYTHING,
                    2025,
                    Some(market)
                )
                .await
                .expect("read")
                .is_empty()
        );

        let fields = complete(&[
            ("mediation.cases", "40"),
            ("mediation.cases_successful", "30"),
        ]);
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let saved = app.post(&path, &pairs).await;
        assert_eq!(saved.status, 303, "{}", saved.body);
        let stored = db
            .store
            .submissions(
                fazhi_app::indicators::Extent::EVERYTHING,
                2025,
                Some(market),
            )
            .await
            .expect("read");
        assert_eq!(stored.len(), 1);
        let events = db
            .store
            .events_of(&format!("department:{market}"))
            .await
            .expect("events");
        assert!(
            events
                .iter()
                .any(|e| e.kind == "submission.made" && e.body.contains("\"mediation.cases\""))
        );
        let values = db
            .store
            .latest_submissions(fazhi_app::indicators::Extent::EVERYTHING, 2025)
            .await
            .expect("values");
        let success = values
            .iter()
            .find(|v| v.indicator_id == "mediation.cases_successful")
            .expect("value");
        assert_eq!(success.value.to_string(), "30");
        let again = app.get(&path).await;
        assert!(again.body.contains("最近一次填报"));

        // Another department's form is refused to a department's legal officer.
        let justice = db
            .store
            .active_departments(Scope::All)
            .await
            .expect("departments")
            .into_iter()
            .find(|d| d.is_justice_bureau)
            .expect("justice")
            .id;
        let fields = complete(&[]);
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let other = app
            .post(&format!("/submissions/{justice}/2025"), &pairs)
            .await;
        assert_eq!(other.status, 403);
        assert!(
            db.store
                .submissions(
                    fazhi_app::indicators::Extent::EVERYTHING,
                    2025,
                    Some(justice)
                )
                .await
                .expect("read")
                .is_empty()
        );

        // The 司法局 sees who has submitted and who has not.
        let mut bureau = TestApp::new(&db.store);
        bureau.login_demo("sifa").await;
        let overview = bureau.get("/submissions?year=2025").await;
        assert_eq!(overview.status, 200);
        assert!(overview.body.contains("个部门未填报2025年度数据"));
        assert!(overview.body.contains("已填报："));
    }
);

db_test!(
    the_template_downloads_and_reads_back_under_the_same_rules,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        app.login_demo("fazhi").await;
        let market = market_id(&app).await;
        let reply = app
            .get(&format!("/submissions/{market}/2025/template.xlsx"))
            .await;
        assert_eq!(reply.status, 200);
        assert!(reply.bytes.starts_with(b"PK"), "an xlsx is a zip");
        // The blank template is refused with one error per empty value cell, each naming its cell.
        let procedures = fazhi_app::procedure::load_embedded().expect("definitions");
        let catalogue = fazhi_app::indicators::Catalogue::embedded(&procedures).expect("catalogue");
        let n_items = catalogue.submitted().count();
        let errors =
            fazhi_report::workbook::parse(&reply.bytes, &blank_sheet(&catalogue, market, db).await)
                .expect_err("blank");
        assert_eq!(errors.len(), n_items, "{errors:?}");
        assert!(errors.iter().all(|e| e.cell.starts_with('E')));
    }
);

async fn blank_sheet(
    catalogue: &fazhi_app::indicators::Catalogue,
    market: i64,
    db: &crate::support::TestDb,
) -> fazhi_report::workbook::Sheet {
    fazhi_report::workbook::Sheet {
        jurisdiction: db.store.jurisdiction().await.expect("j").expect("j").name,
        department_code: format!("BM{market:04}"),
        department_name: db
            .store
            .department(fazhi_app::store::Reach::EVERYTHING, market)
            .await
            .expect("department")
            .name,
        year: 2025,
        items: catalogue
            .submitted()
            .map(|i| fazhi_report::workbook::Item {
                id: i.id.clone(),
                label: i.label.clone(),
                unit: i.unit.clone(),
                kind: fazhi_report::workbook::ItemKind::Count,
                part_of: i.part_of.clone(),
                help: i.definition.clone(),
            })
            .collect(),
        previous: Default::default(),
    }
}

db_test!(
    an_uploaded_workbook_is_checked_cell_by_cell_and_stored_only_whole,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        app.login_demo("fazhi").await;
        let market = market_id(&app).await;
        let base = format!("/submissions/{market}/2025");
        let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        // The blank template: every value cell named, nothing stored.
        app.get(&base).await;
        let blank = app.get(&format!("{base}/template.xlsx")).await.bytes;
        app.get(&base).await;
        let refused = app
            .post_multipart(
                &format!("{base}/upload"),
                &[],
                "file",
                "t.xlsx",
                xlsx,
                &blank,
            )
            .await;
        assert_eq!(refused.status, 422);
        assert!(
            refused.body.contains("E6："),
            "the first value cell is named"
        );
        assert!(
            db.store
                .submissions(
                    fazhi_app::indicators::Extent::EVERYTHING,
                    2025,
                    Some(market)
                )
                .await
                .expect("read")
                .is_empty()
        );
        // Not a workbook at all.
        app.get(&base).await;
        let text = app
            .post_multipart(
                &format!("{base}/upload"),
                &[],
                "file",
                "t.xlsx",
                xlsx,
                b"just text",
            )
            .await;
        assert_eq!(text.status, 422);
        assert!(
            db.store
                .submissions(
                    fazhi_app::indicators::Extent::EVERYTHING,
                    2025,
                    Some(market)
                )
                .await
                .expect("read")
                .is_empty()
        );
        // Submit by the form, download the prefilled workbook, upload it again: stored as xlsx.
        let fields = complete(&[]);
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(app.post(&base, &pairs).await.status, 303);
        let filled = app.get(&format!("{base}/template.xlsx")).await.bytes;
        app.get(&base).await;
        let accepted = app
            .post_multipart(
                &format!("{base}/upload"),
                &[],
                "file",
                "t.xlsx",
                xlsx,
                &filled,
            )
            .await;
        assert_eq!(accepted.status, 303, "{}", accepted.body);
        let stored = db
            .store
            .submissions(
                fazhi_app::indicators::Extent::EVERYTHING,
                2025,
                Some(market),
            )
            .await
            .expect("read");
        assert_eq!(stored.len(), 2);
        assert_eq!(stored[0].source, "xlsx");
        // A workbook of another year is refused, naming the year cell.
        let other_year = app
            .get(&format!("/submissions/{market}/2024/template.xlsx"))
            .await
            .bytes;
        app.get(&base).await;
        let wrong = app
            .post_multipart(
                &format!("{base}/upload"),
                &[],
                "file",
                "t.xlsx",
                xlsx,
                &other_year,
            )
            .await;
        assert_eq!(wrong.status, 422);
        assert!(wrong.body.contains("D3"), "{}", wrong.body);
    }
);

db_test!(
    a_figure_beyond_the_submission_bound_is_refused_and_nothing_is_stored,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        app.login_demo("fazhi").await;
        let market = market_id(&app).await;
        let path = format!("/submissions/{market}/2025");
        for huge in [
            "12345678901234567890",
            "1000000000001",
            "92233720368547758.07",
        ] {
            let fields = complete(&[("legal_aid.cases", huge)]);
            let pairs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let refused = app.post(&path, &pairs).await;
            assert_eq!(refused.status, 422, "{huge}: {}", refused.body);
            assert!(
                refused.body.contains("超出可填报的上限") || refused.body.contains("非负整数"),
                "{huge}: {}",
                refused.body
            );
            assert!(
                db.store
                    .submissions(
                        fazhi_app::indicators::Extent::EVERYTHING,
                        2025,
                        Some(market)
                    )
                    .await
                    .expect("read")
                    .is_empty(),
                "{huge}: nothing stored"
            );
        }
        let fields = complete(&[("legal_aid.cases", "1000000000000")]);
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            app.post(&path, &pairs).await.status,
            303,
            "the bound itself is accepted"
        );
    }
);
