//! The JSON API: bearer tokens, the same scope and statutory rules as the pages, clear JSON
//! errors, and the OpenAPI document.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::db_test;
use crate::support::TestApp;

pub(crate) async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .expect("request");
    let response = app.router.clone().oneshot(request).await.expect("router");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

db_test!(
    the_api_opens_lists_and_acts_under_the_same_rules,
    with_demo,
    |db| {
        let app = TestApp::new(&db.store);
        let officer = db
            .store
            .user_by_username("zhifa")
            .await
            .expect("read")
            .expect("demo");
        db.store
            .create_api_token(
                officer.id,
                "officer-token-0123456789",
                "test",
                "2026-03-02T01:00:00Z",
            )
            .await
            .expect("token");
        let market = officer.department_id.expect("department");

        let (status, body) = call(&app, "GET", "/api/v1/cases?procedure=penalty", None, None).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("missing_token"))
        );
        let (status, _) = call(
            &app,
            "GET",
            "/api/v1/cases?procedure=penalty",
            Some("wrong"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        let token = Some("officer-token-0123456789");
        let (status, opened) = call(&app, "POST", "/api/v1/cases", token, Some(json!({"procedure": "penalty", "department_id": market, "on": "2026-03-02", "fields": {"case_cause": "无照经营"}}))).await;
        assert_eq!(status, StatusCode::CREATED, "{opened}");
        let id = opened["id"].as_i64().expect("id");
        let (status, listed) =
            call(&app, "GET", "/api/v1/cases?procedure=penalty", token, None).await;
        assert_eq!(
            (status, listed["total"].as_i64()),
            (StatusCode::OK, Some(1))
        );

        let file = json!({"action": "file_case", "on": "2026-03-02", "version": 1, "fields": {"party": "某公司", "party_kind": "法人", "filing_date": "2026-03-02", "department": market.to_string(), "period_rule": "行政处罚法第六十条"}});
        let (status, body) = call(
            &app,
            "POST",
            &format!("/api/v1/cases/{id}/actions"),
            token,
            Some(file.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = call(
            &app,
            "POST",
            &format!("/api/v1/cases/{id}/actions"),
            token,
            Some(file),
        )
        .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::CONFLICT, Some("stale_version")),
            "{body}"
        );
        assert!(
            body["message"]
                .as_str()
                .unwrap_or_default()
                .contains("已被他人更新")
        );
        let (status, body) = call(
            &app,
            "POST",
            &format!("/api/v1/cases/{id}/actions"),
            token,
            Some(json!({"action": "decide_penalty", "on": "2026-03-03", "version": 2})),
        )
        .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::FORBIDDEN, Some("forbidden")),
            "an officer may not decide"
        );
        let (status, case) = call(&app, "GET", &format!("/api/v1/cases/{id}"), token, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(case["steps"].as_array().map(Vec::len), Some(2));
        assert!(
            case["timers"]
                .as_array()
                .is_some_and(|t| t.iter().any(|t| t["timer"] == "decision"))
        );
        let (status, _) = call(
            &app,
            "POST",
            &format!("/api/v1/cases/{id}/actions"),
            token,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        let (status, spec) = call(&app, "GET", "/api/v1/openapi.json", None, None).await;
        assert_eq!(
            (status, spec["openapi"].as_str()),
            (StatusCode::OK, Some("3.1.0"))
        );
        assert!(spec["paths"]["/api/v1/cases/{id}/actions"]["post"].is_object());
    }
);
