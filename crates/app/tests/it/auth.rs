//! Sign-in, sign-out, throttling, CSRF and form validation through the router.

use axum::http::StatusCode;
use fazhi_app::authz::Scope;

use crate::db_test;
use crate::support::TestApp;

db_test!(
    a_wrong_password_shows_an_error_and_does_not_sign_in,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        let reply = app.login("admin", "not the password").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert!(reply.body.contains("账号或密码错误"));
        assert_eq!(
            app.get("/").await.status,
            StatusCode::SEE_OTHER,
            "still signed out"
        );
    }
);

db_test!(
    repeated_failures_lock_the_account_for_a_while,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        for _ in 0..5 {
            assert_eq!(
                app.login("sifa", "wrong-wrong").await.status,
                StatusCode::UNAUTHORIZED
            );
        }
        let locked = app.login("sifa", "demo-sifa-2026").await;
        assert_eq!(
            locked.status,
            StatusCode::TOO_MANY_REQUESTS,
            "even the right password is refused while locked"
        );
        assert!(locked.body.contains("临时锁定"), "{}", locked.body);
        app.clock.advance(time::Duration::minutes(16));
        assert_eq!(
            app.login("sifa", "demo-sifa-2026").await.status,
            StatusCode::SEE_OTHER,
            "unlocked after the lock period"
        );
    }
);

db_test!(sign_out_ends_the_session, with_demo, |db| {
    let mut app = TestApp::new(&db.store);
    app.login_demo("lingdao").await;
    let reply = app.post("/logout", &[]).await;
    assert_eq!(reply.location.as_deref(), Some("/login?notice=signed_out"));
    assert_eq!(app.get("/").await.status, StatusCode::SEE_OTHER);
});

db_test!(
    a_post_without_the_csrf_token_is_refused_and_changes_nothing,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        app.login_demo("admin").await;
        let n_events = db.store.count_events().await.expect("count");
        let reply = app
            .post_raw(
                "/departments",
                &[("name", "伪造请求局"), ("kind", "政府工作部门")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert!(reply.body.contains("页面已过期或请求来源不明"));
        let forged = app
            .post_raw(
                "/departments",
                &[
                    ("_csrf", "forged-token-forged-token"),
                    ("name", "伪造请求局"),
                    ("kind", "政府工作部门"),
                ],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(db.store.count_events().await.expect("count"), n_events);
    }
);

db_test!(
    an_invalid_form_comes_back_with_messages_and_stores_nothing,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        app.login_demo("admin").await;
        let before = db
            .store
            .organisation_counts(Scope::All)
            .await
            .expect("counts");
        let reply = app
            .post(
                "/departments",
                &[
                    ("name", ""),
                    ("kind", "政府工作部门"),
                    ("legal_contact_phone", "abc"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("此项为必填项"));
        assert!(reply.body.contains("电话号码格式不正确"));
        assert!(
            reply.body.contains("value=\"abc\""),
            "what the user typed is kept"
        );
        let duplicate = app
            .post(
                "/departments",
                &[("name", "示范市滨河区司法局"), ("kind", "政府工作部门")],
            )
            .await;
        assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(duplicate.body.contains("已有同名部门"));
        assert_eq!(
            db.store
                .organisation_counts(Scope::All)
                .await
                .expect("counts"),
            before
        );
    }
);

db_test!(
    an_administrator_creates_a_department_and_an_account,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        app.login_demo("admin").await;
        let created = app
            .post(
                "/departments",
                &[
                    ("name", "示范市滨河区林业局"),
                    ("kind", "政府工作部门"),
                    ("legal_contact_name", "林木"),
                    ("legal_contact_phone", "0999-7654321"),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER);
        let listed = app.get("/departments?q=%E6%9E%97%E4%B8%9A").await;
        assert!(listed.body.contains("示范市滨河区林业局"));
        app.get("/accounts").await;
        let account = app
            .post(
                "/accounts",
                &[
                    ("username", "lin.mu"),
                    ("display_name", "林木"),
                    ("role", "leader"),
                    ("department_id", ""),
                    ("password", "a-long-password"),
                ],
            )
            .await;
        assert_eq!(account.status, StatusCode::SEE_OTHER, "{}", account.body);
        let mut other = TestApp::new(&db.store);
        assert_eq!(
            other.login("lin.mu", "a-long-password").await.status,
            StatusCode::SEE_OTHER
        );
    }
);

db_test!(
    a_deactivated_account_is_signed_out_and_cannot_sign_in,
    with_demo,
    |db| {
        let mut officer = TestApp::new(&db.store);
        officer.login_demo("zhifa").await;
        let user = db
            .store
            .user_by_username("zhifa")
            .await
            .expect("read")
            .expect("exists");
        let mut admin = TestApp::new(&db.store);
        admin.login_demo("admin").await;
        admin.get("/accounts").await;
        let reply = admin
            .post(&format!("/accounts/{}/deactivate", user.id), &[])
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        assert_eq!(
            officer.get("/").await.status,
            StatusCode::SEE_OTHER,
            "the live session ended"
        );
        assert_eq!(
            officer.login("zhifa", "demo-zhifa-2026").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
);
