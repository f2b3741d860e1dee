//! Security headers on every route of the router (the access table's rows, so every route the
//! router records): the content security policy and `nosniff` everywhere, `no-store` on every
//! signed-in page and API answer; the stylesheets and the public log keep their own caching; the
//! templates need nothing inline that the policy would block.

use axum::http::{HeaderMap, StatusCode, header};
use fazhi_app::web::headers::CONTENT_SECURITY_POLICY;

use crate::access::{self, PRINCIPALS, Sent};
use crate::db_test;
use crate::support::TestApp;

/// Whether one of the response's `Content-Security-Policy` headers is ours (a handler may add a
/// stricter one; browsers enforce both).
fn has_our_policy(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::CONTENT_SECURITY_POLICY)
        .iter()
        .any(|value| value == CONTENT_SECURITY_POLICY)
}

fn cache_control(headers: &HeaderMap) -> &str {
    headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// The routes whose answers carry no personal data and keep their handler's caching.
fn public_cache(path: &str) -> bool {
    path.starts_with("/static/")
        || path == "/healthz"
        || path.starts_with("/log/")
        || (path.starts_with("/j/") && path.contains("/log/"))
}

db_test!(every_route_carries_the_security_headers, with_demo, |db| {
    let f = access::fixture(db).await;
    let rows = access::checked_rows(&f);
    let mut clients = access::clients(db).await;
    let mut failures = Vec::new();
    // The administrator signed in (pages and the API with a token), and nobody signed in.
    for who in [0, PRINCIPALS.len() - 1] {
        for row in &rows {
            let reply = access::send(db, &f, &mut clients[who], who, row).await;
            let what = format!("{} {} {}", PRINCIPALS[who], row.method, row.path);
            if !has_our_policy(&reply.headers) {
                failures.push(format!("{what}: no content security policy"));
            }
            if reply
                .headers
                .get(header::X_CONTENT_TYPE_OPTIONS)
                .is_none_or(|v| v != "nosniff")
            {
                failures.push(format!("{what}: no X-Content-Type-Options: nosniff"));
            }
            let cache = cache_control(&reply.headers);
            let signed_in = who != PRINCIPALS.len() - 1;
            let personal = signed_in || row.sent == Sent::Api;
            if personal && !public_cache(&row.path) && !cache.contains("no-store") {
                failures.push(format!("{what}: Cache-Control {cache:?}, not no-store"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} answers without their headers:\n{}",
        failures.len(),
        failures.join("\n")
    );
});

db_test!(
    public_assets_keep_their_caching_and_errors_get_the_headers,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        for path in ["/static/app.css", "/static/report.css"] {
            let css = app.get(path).await;
            assert_eq!(css.status, StatusCode::OK, "{path}");
            assert_eq!(
                cache_control(&css.headers),
                "public, max-age=3600",
                "{path}"
            );
            assert!(has_our_policy(&css.headers), "{path}");
        }
        assert!(
            app.get("/static/report.css")
                .await
                .body
                .contains(".fazhi-report"),
            "the report's stylesheet"
        );
        // The fallback and a refusal, too.
        let missing = app.get("/no-such-page").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(has_our_policy(&missing.headers));
        assert_eq!(cache_control(&missing.headers), "no-store");
        app.login_demo("zhifa").await;
        let refused = app.get("/departments").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(has_our_policy(&refused.headers));
        assert_eq!(cache_control(&refused.headers), "no-store");
        // The sign-in form carries a CSRF token: not cached either.
        let login = TestApp::new(&db.store).get("/login").await;
        assert_eq!(cache_control(&login.headers), "no-store");
    }
);

db_test!(
    a_downloaded_attachment_keeps_its_stricter_policy,
    with_demo,
    |db| {
        let f = access::fixture(db).await;
        let mut app = TestApp::new(&db.store);
        app.login_demo("zhifa").await;
        let reply = app
            .get(&format!(
                "/case/{}/attachments/{}",
                f.case_in, f.attachment_in
            ))
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        let policies: Vec<&str> = reply
            .headers
            .get_all(header::CONTENT_SECURITY_POLICY)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        assert_eq!(
            policies,
            ["default-src 'none'; sandbox", CONTENT_SECURITY_POLICY],
            "the handler's sandbox and ours, both enforced"
        );
        assert_eq!(cache_control(&reply.headers), "private, no-store");
    }
);

/// The policy allows no inline script or style: no template may need one.
#[test]
fn templates_have_no_inline_scripts_or_styles() {
    fn visit(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("templates") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                visit(&path, found);
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("template");
            for (number, line) in text.lines().enumerate() {
                let lower = line.to_ascii_lowercase();
                let inline = ["<script", "<style", "style=", "javascript:"]
                    .iter()
                    .any(|needle| lower.contains(needle))
                    || lower
                        .split_whitespace()
                        .any(|word| word.starts_with("on") && word.contains("=\""));
                if inline {
                    found.push(format!("{}:{}: {line}", path.display(), number + 1));
                }
            }
        }
    }
    let mut found = Vec::new();
    visit(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"),
        &mut found,
    );
    assert!(
        found.is_empty(),
        "inline code or style:\n{}",
        found.join("\n")
    );
}
