//! Sign-in, sign-out, throttling, CSRF and form validation through the router.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use fazhi_app::authz::Scope;
use fazhi_app::clock::to_db_time;
use fazhi_app::web::auth::{LOCK_MINUTES, MAX_FAILURES_PER_CLIENT, MAX_FAILURES_PER_USER};
use fazhi_app::web::session::CSRF_COOKIE;
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::db_test;
use crate::support::{TestApp, test_now};

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

// Sign-in throttling under concurrency: the attempt is counted and the lock decided before the
// password is checked, so a burst of simultaneous requests gets no more password checks than
// the limits allow.

/// The pre-sign-in CSRF token the server issues with the sign-in page (its cookie and its form
/// field alike), which the burst requests carry as a browser that loaded the page would.
async fn sign_in_token(app: &TestApp) -> String {
    let request = Request::get("/login")
        .header(header::HOST, "localhost")
        .body(Body::empty())
        .expect("request");
    let response = app.router.clone().oneshot(request).await.expect("router");
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.split(';').next())
        .find_map(|pair| pair.strip_prefix(&format!("{CSRF_COOKIE}=")))
        .expect("the sign-in page sets the CSRF cookie")
        .to_owned()
}

/// A sign-in POST, from `client` when given (the app reads the peer address, `ConnectInfo`).
fn sign_in_request(
    token: &str,
    username: &str,
    password: &str,
    client: Option<&str>,
) -> Request<Body> {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("_csrf", token),
            ("username", username),
            ("password", password),
        ])
        .finish();
    let mut request = Request::post("/login")
        .header(header::COOKIE, format!("{CSRF_COOKIE}={token}"))
        .header(header::HOST, "localhost")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("request");
    if let Some(client) = client {
        let address: SocketAddr = format!("{client}:40000").parse().expect("address");
        request.extensions_mut().insert(ConnectInfo(address));
    }
    request
}

/// Sends every request at once and returns each reply's status and body.
async fn burst(app: &TestApp, requests: Vec<Request<Body>>) -> Vec<(StatusCode, String)> {
    let mut in_flight = tokio::task::JoinSet::new();
    for request in requests {
        let router = app.router.clone();
        in_flight.spawn(async move {
            let response = router.oneshot(request).await.expect("router");
            let status = response.status();
            let bytes = response
                .into_body()
                .collect()
                .await
                .expect("body")
                .to_bytes();
            (status, String::from_utf8_lossy(&bytes).into_owned())
        });
    }
    in_flight.join_all().await
}

fn count(replies: &[(StatusCode, String)], status: StatusCode) -> usize {
    replies.iter().filter(|(s, _)| *s == status).count()
}

/// The start of the throttling window at the tests' fixed time.
fn window_start() -> String {
    to_db_time(test_now() - time::Duration::minutes(LOCK_MINUTES))
}

db_test!(
    simultaneous_wrong_passwords_get_no_more_checks_than_the_account_limit,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        let token = sign_in_token(&app).await;
        let requests = (0..24)
            .map(|i| sign_in_request(&token, "sifa", &format!("guess-{i}"), None))
            .collect();
        let replies = burst(&app, requests).await;
        let limit = usize::try_from(MAX_FAILURES_PER_USER).expect("small");
        // A 401 is only ever sent after the password was checked; every other request was
        // refused before it.
        assert_eq!(count(&replies, StatusCode::UNAUTHORIZED), limit, "checked");
        assert_eq!(
            count(&replies, StatusCode::TOO_MANY_REQUESTS),
            24 - limit,
            "refused as locked without a check"
        );
        for (status, body) in &replies {
            if *status == StatusCode::TOO_MANY_REQUESTS {
                assert!(body.contains("该账号已临时锁定"), "{body}");
            }
        }
        let (recorded, _) = db
            .store
            .recent_failures_for_user("sifa", &window_start())
            .await
            .expect("failures");
        assert_eq!(recorded, MAX_FAILURES_PER_USER, "one attempt per check");

        let locked = app.login("sifa", "demo-sifa-2026").await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(
            locked
                .body
                .contains(&format!("该账号已临时锁定，请{LOCK_MINUTES}分钟后再试")),
            "the right password is refused too, with the minutes: {}",
            locked.body
        );
        assert_eq!(
            app.get("/").await.status,
            StatusCode::SEE_OTHER,
            "signed out"
        );
    }
);

db_test!(
    a_burst_from_one_address_gets_no_more_checks_than_the_address_limit,
    with_demo,
    |db| {
        let attacker = "203.0.113.7";
        let app = TestApp::new(&db.store);
        let token = sign_in_token(&app).await;
        let requests = (0..60)
            .map(|i| sign_in_request(&token, &format!("guess{i}"), "wrong-wrong", Some(attacker)))
            .collect();
        let replies = burst(&app, requests).await;
        let limit = usize::try_from(MAX_FAILURES_PER_CLIENT).expect("small");
        assert_eq!(count(&replies, StatusCode::UNAUTHORIZED), limit, "checked");
        assert_eq!(
            count(&replies, StatusCode::TOO_MANY_REQUESTS),
            60 - limit,
            "refused without a check"
        );
        assert_eq!(
            db.store
                .recent_failures_for_client(attacker, &window_start())
                .await
                .expect("failures"),
            MAX_FAILURES_PER_CLIENT,
            "one attempt per check"
        );

        let [(status, body)] = burst(
            &app,
            vec![sign_in_request(
                &token,
                "admin",
                "demo-admin-2026",
                Some(attacker),
            )],
        )
        .await
        .try_into()
        .expect("one reply");
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "blocked address");
        assert!(body.contains("该地址登录失败次数过多"), "{body}");
        let [(status, _)] = burst(
            &app,
            vec![sign_in_request(
                &token,
                "admin",
                "demo-admin-2026",
                Some("198.51.100.9"),
            )],
        )
        .await
        .try_into()
        .expect("one reply");
        assert_eq!(status, StatusCode::SEE_OTHER, "another address signs in");
    }
);

db_test!(
    a_return_target_off_this_site_sends_the_browser_to_the_dashboard,
    with_demo,
    |db| {
        // What the form fields decode to: `next=/%09/evil.example` on the wire is `/\t/...`.
        let refused = [
            "/\t/evil.example",
            "/\r\n/evil.example",
            "/\n",
            "\r\nLocation: https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/%09/evil.example",
            "/%0D%0ALocation:https://evil.example",
            "https://evil.example",
        ];
        for (i, next) in refused.into_iter().enumerate() {
            let mut app = TestApp::new(&db.store);
            app.get("/login").await;
            let reply = app
                .post(
                    "/login",
                    &[
                        ("username", "admin"),
                        ("password", "demo-admin-2026"),
                        ("next", next),
                    ],
                )
                .await;
            assert_eq!(
                reply.status,
                StatusCode::SEE_OTHER,
                "{next:?}: {}",
                reply.body
            );
            assert_eq!(reply.location.as_deref(), Some("/"), "{next:?}");
            let home = app.get("/").await;
            assert_eq!(home.status, StatusCode::OK, "{next:?}: the session works");
            assert!(home.body.contains("工作台"), "{next:?}");

            // Already signed in, the sign-in page sends the browser on, to the same place.
            let query = form_urlencoded::Serializer::new(String::new())
                .append_pair("next", next)
                .finish();
            let again = app.get(&format!("/login?{query}")).await;
            assert_eq!(again.location.as_deref(), Some("/"), "{next:?}");

            // A refused sign-in carries the target on as `/`, and says why in Chinese.
            let mut other = TestApp::new(&db.store);
            other.get("/login").await;
            let wrong = other
                .post(
                    "/login",
                    &[
                        ("username", &format!("nobody{i}")),
                        ("password", "wrong-wrong"),
                        ("next", next),
                    ],
                )
                .await;
            assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{next:?}");
            assert!(wrong.body.contains("账号或密码错误"), "{next:?}");
            assert!(
                wrong.body.contains(r#"name="next" value="/""#),
                "{next:?}: {}",
                wrong.body
            );
        }

        let mut app = TestApp::new(&db.store);
        app.get("/login").await;
        let followed = app
            .post(
                "/login",
                &[
                    ("username", "admin"),
                    ("password", "demo-admin-2026"),
                    ("next", "/cases?x=1"),
                ],
            )
            .await;
        assert_eq!(followed.location.as_deref(), Some("/cases?x=1"));
    }
);
