//! The certificate registry pages: recording, refusing bad input with nothing written, revoking
//! with a reason, filters, the role × department rules, and the CSV import (every bad row named,
//! all or nothing, GB18030 accepted).

use axum::http::StatusCode;
use fazhi_app::authz::Scope;
use fazhi_app::store::org::{ListFilter, Person};

use crate::db_test;
use crate::support::{TestApp, TestDb};

/// An active person of the department whose name ends with `suffix`.
async fn person_of(db: &TestDb, suffix: &str) -> Person {
    db.store
        .list_people(
            Scope::All,
            &ListFilter {
                page: 1,
                per_page: 200,
                ..ListFilter::default()
            },
        )
        .await
        .expect("people")
        .items
        .into_iter()
        .find(|p| p.department_name.ends_with(suffix))
        .expect(suffix)
}

async fn n_events(db: &TestDb) -> i64 {
    db.store.count_events().await.expect("events")
}

db_test!(
    justice_staff_record_refuse_and_revoke_certificates,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        app.login_demo("sifa").await;
        let page = app.get("/certificates").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("href=\"/certificates\""),
            "linked from the navigation"
        );
        let holder = person_of(db, "市场监督管理局").await;
        let id = holder.id.to_string();

        let before = n_events(db).await;
        let reversed = app
            .post(
                "/certificates",
                &[
                    ("person_id", &id),
                    ("number", "TEST-0001"),
                    ("field_of_law", "市场监管"),
                    ("valid_from", "2026-03-01"),
                    ("valid_until", "2025-03-01"),
                ],
            )
            .await;
        assert_eq!(reversed.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reversed.body.contains("有效期止不能早于有效期起"));
        assert_eq!(n_events(db).await, before, "nothing written");

        let recorded = app
            .post(
                "/certificates",
                &[
                    ("person_id", &id),
                    ("number", "TEST-0001"),
                    ("field_of_law", "市场监管"),
                    ("valid_from", "2025-03-01"),
                    ("valid_until", "2026-04-30"),
                ],
            )
            .await;
        assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
        let events = db
            .store
            .events_of(&format!("person:{}", holder.id))
            .await
            .expect("events");
        assert!(events.iter().any(|e| e.kind == "certificate.recorded"
            && e.body.contains("TEST-0001")
            && e.actor_user_id.is_some()));

        let before = n_events(db).await;
        let duplicate = app
            .post(
                "/certificates",
                &[
                    ("person_id", &id),
                    ("number", "TEST-0001"),
                    ("valid_from", "2025-03-01"),
                    ("valid_until", "2027-03-01"),
                ],
            )
            .await;
        assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(duplicate.body.contains("该证件号已登记"));
        assert_eq!(n_events(db).await, before);

        // Expiring within 90 days of 2026-03-02, found by number.
        let expiring = app.get("/certificates?status=expiring&q=TEST-0001").await;
        assert!(expiring.body.contains("TEST-0001") && expiring.body.contains("90日内到期"));
        let certificate = db
            .store
            .list_certificates(
                Scope::All,
                &fazhi_app::store::certificates::CertificateFilter {
                    query: "TEST-0001".into(),
                    status: Default::default(),
                    today: time::macros::date!(2026 - 03 - 02),
                    page: 1,
                    per_page: 10,
                },
            )
            .await
            .expect("list")
            .items
            .remove(0);

        let path = format!("/certificates/{}/revoke", certificate.id);
        let no_reason = app.post(&path, &[("reason", "  ")]).await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_reason.body.contains("注销原因：此项为必填项"));
        assert_eq!(n_events(db).await, before);
        let revoked = app.post(&path, &[("reason", "调离执法岗位")]).await;
        assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.body);
        let listed = app.get("/certificates?status=revoked&q=TEST-0001").await;
        assert!(listed.body.contains("已注销") && listed.body.contains("调离执法岗位"));
        assert_eq!(n_events(db).await, before + 1);
        let again = app.post(&path, &[("reason", "再次注销")]).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("该证件已注销"));
        assert_eq!(n_events(db).await, before + 1);
    }
);

db_test!(
    department_legal_staff_manage_only_their_own_department,
    with_demo,
    |db| {
        let own = person_of(db, "市场监督管理局").await;
        let other = person_of(db, "司法局").await;
        let mut app = TestApp::new(&db.store);
        app.login_demo("fazhi").await;
        let own_id = own.id.to_string();
        let own_pairs = [
            ("person_id", own_id.as_str()),
            ("number", "OWN-1"),
            ("valid_from", "2025-01-01"),
            ("valid_until", "2029-12-31"),
        ];
        let ok = app.post("/certificates", &own_pairs).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);

        let before = n_events(db).await;
        let other_id = other.id.to_string();
        let refused = app
            .post(
                "/certificates",
                &[
                    ("person_id", other_id.as_str()),
                    ("number", "OTHER-1"),
                    ("valid_from", "2025-01-01"),
                    ("valid_until", "2029-12-31"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(n_events(db).await, before);
        let page = app.get("/certificates").await;
        assert!(page.body.contains("OWN-1"));
        assert!(
            !page.body.contains("批量导入"),
            "imports are jurisdiction-wide"
        );
        let import = app
            .post_multipart(
                "/certificates/import",
                &[],
                "file",
                "a.csv",
                "text/csv",
                "姓名,证件号,执法领域,有效期起,有效期止\n".as_bytes(),
            )
            .await;
        assert_eq!(import.status, StatusCode::FORBIDDEN);

        let mut officer = TestApp::new(&db.store);
        officer.login_demo("zhifa").await;
        assert_eq!(
            officer.get("/certificates").await.status,
            StatusCode::FORBIDDEN
        );
        let mut leader = TestApp::new(&db.store);
        leader.login_demo("lingdao").await;
        let page = leader.get("/certificates").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("id=\"record-form\""));
        assert_eq!(
            leader.post("/certificates", &own_pairs).await.status,
            StatusCode::FORBIDDEN
        );
    }
);

db_test!(
    a_csv_import_names_every_bad_row_and_writes_all_or_nothing,
    with_demo,
    |db| {
        let first = person_of(db, "市场监督管理局").await;
        let second = person_of(db, "司法局").await;
        let mut app = TestApp::new(&db.store);
        app.login_demo("sifa").await;
        let header = "人员编号,姓名,证件号,执法领域,有效期起,有效期止\n";
        let bad = format!(
            "{header}{},,IMP-1,市场监管,2025-01-01,2028-12-31\n\
             ,查无此人,IMP-2,市场监管,2025-01-01,2028-12-31\n\
             {},,IMP-3,,2025-13-01,2028-12-31\n\
             {},,IMP-1,,2025-01-01,2028-12-31\n",
            first.id, second.id, second.id
        );
        let before = n_events(db).await;
        let refused = app
            .post_multipart(
                "/certificates/import",
                &[],
                "file",
                "证件.csv",
                "text/csv",
                bad.as_bytes(),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        for expected in [
            "第 3 行，姓名/人员编号：找不到该人员",
            "第 4 行，有效期起：日期格式",
            "第 5 行，证件号：该证件号在文件中重复出现",
        ] {
            assert!(
                refused.body.contains(expected),
                "{expected}: {}",
                refused.body
            );
        }
        assert!(
            !refused.body.contains("第 2 行"),
            "the good row is not blamed"
        );
        assert_eq!(n_events(db).await, before, "nothing written");

        // The same people, saved by Chinese Excel (GB18030), all good: all recorded.
        let good = format!(
            "{header}{},,IMP-1,市场监管,2025-01-01,2028-12-31\n{},,IMP-3,行政复议,2025/1/1,2028/12/31\n",
            first.id, second.id
        );
        let (gb18030, _, _) = encoding_rs::GB18030.encode(&good);
        let imported = app
            .post_multipart(
                "/certificates/import",
                &[],
                "file",
                "证件.csv",
                "text/csv",
                &gb18030,
            )
            .await;
        assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.body);
        assert_eq!(n_events(db).await, before + 2);
        let page = app.get("/certificates?q=IMP-").await;
        assert!(page.body.contains("IMP-1") && page.body.contains("IMP-3"));
        assert!(page.body.contains("行政复议"));

        // Importing the same file again: every number is now taken, nothing written.
        let again = app
            .post_multipart(
                "/certificates/import",
                &[],
                "file",
                "证件.csv",
                "text/csv",
                &gb18030,
            )
            .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("第 2 行，证件号：该证件号已登记"));
        assert!(again.body.contains("第 3 行，证件号：该证件号已登记"));
        assert_eq!(n_events(db).await, before + 2);
    }
);
