//! Test support: a fresh database per test (an SQLite temp file, or a new PostgreSQL schema),
//! the demo jurisdiction as seed data, a fixed clock, and an in-process client for the router
//! that keeps cookies and the CSRF token like a browser.

#![allow(dead_code)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use fazhi_app::clock::FixedClock;
use fazhi_app::store::{OpenMode, Store};
use fazhi_app::web::{self, AppState, WebConfig};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A database for one test; dropping it removes the SQLite file (PostgreSQL schemas are dropped
/// by [`TestDb::cleanup`]).
pub struct TestDb {
    pub store: Store,
    pub url: String,
    pub engine: Engine,
    _dir: Option<tempfile::TempDir>,
    schema: Option<(String, String)>,
}

/// The PostgreSQL URL for tests, if configured.
pub fn pg_url() -> Option<String> {
    std::env::var("FAZHI_TEST_PG_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

fn unique_name(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::UNIX_EPOCH
        .elapsed()
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

impl TestDb {
    /// An empty database (no schema) on `engine`; `None` when PostgreSQL is not configured.
    pub async fn empty(engine: Engine) -> Option<TestDb> {
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/fazhi.db", dir.path().display());
                let store = Store::open(&url, OpenMode::CreateIfMissing)
                    .await
                    .expect("open sqlite");
                Some(TestDb {
                    store,
                    url,
                    engine,
                    _dir: Some(dir),
                    schema: None,
                })
            }
            Engine::Postgres => {
                let base = pg_url()?;
                let schema = unique_name("t");
                let admin = Store::open(&base, OpenMode::MustExist)
                    .await
                    .unwrap_or_else(|e| panic!("FAZHI_TEST_PG_URL is set but unusable: {e}"));
                admin
                    .execute_raw(&format!("CREATE SCHEMA {schema}"))
                    .await
                    .expect("create schema");
                admin.close().await;
                let separator = if base.contains('?') { '&' } else { '?' };
                let url = format!("{base}{separator}options[search_path]={schema}");
                let store = Store::open(&url, OpenMode::MustExist)
                    .await
                    .expect("open pg schema");
                Some(TestDb {
                    store,
                    url,
                    engine,
                    _dir: None,
                    schema: Some((base, schema)),
                })
            }
        }
    }

    /// A migrated database.
    pub async fn migrated(engine: Engine) -> Option<TestDb> {
        let db = TestDb::empty(engine).await?;
        db.store.migrate().await.expect("migrate");
        Some(db)
    }

    /// A migrated database holding the demo jurisdiction.
    pub async fn with_demo(engine: Engine) -> Option<TestDb> {
        let db = TestDb::migrated(engine).await?;
        fazhi_app::demo::ensure_demo(&db.store, 7, 2025, test_now())
            .await
            .expect("demo");
        Some(db)
    }

    /// Drops the PostgreSQL schema.
    pub async fn cleanup(self) {
        self.store.close().await;
        if let Some((base, schema)) = &self.schema
            && let Ok(admin) = Store::open(base, OpenMode::MustExist).await
        {
            let _ = admin
                .execute_raw(&format!("DROP SCHEMA {schema} CASCADE"))
                .await;
            admin.close().await;
        }
    }
}

/// Runs the body once on SQLite and once on PostgreSQL (when configured).
#[macro_export]
macro_rules! db_test {
    ($(#[$meta:meta])* $name:ident, $setup:ident, |$db:ident| $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($db: &$crate::support::TestDb) $body

            #[tokio::test]
            async fn sqlite() {
                let db = $crate::support::TestDb::$setup($crate::support::Engine::Sqlite).await.expect("sqlite");
                run(&db).await;
                db.cleanup().await;
            }

            #[tokio::test]
            async fn postgres() {
                match $crate::support::TestDb::$setup($crate::support::Engine::Postgres).await {
                    Some(db) => {
                        run(&db).await;
                        db.cleanup().await;
                    }
                    None => eprintln!("FAZHI_TEST_PG_URL not set: PostgreSQL run skipped"),
                }
            }
        }
    };
}

/// The fixed time tests start at: a Monday morning, Beijing time.
pub fn test_now() -> time::OffsetDateTime {
    time::macros::datetime!(2026-03-02 01:00:00 UTC)
}

/// An in-process HTTP client for the router that keeps cookies and the page's CSRF token.
pub struct TestApp {
    pub router: axum::Router,
    pub clock: Arc<FixedClock>,
    pub store: Store,
    cookies: Vec<(String, String)>,
    pub csrf: String,
}

/// A response's status, headers and body text.
pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    pub headers: axum::http::HeaderMap,
    pub bytes: Vec<u8>,
    pub body: String,
}

/// The application state tests serve: shipped definitions and catalogue, the official calendar,
/// `clock`.
pub fn test_state(store: &Store, clock: Arc<FixedClock>) -> AppState {
    AppState::new(
        store.clone(),
        clock,
        WebConfig::default(),
        fazhi_app::procedure::load_embedded().expect("definitions"),
        Arc::new(fazhi_app::deadlines::OfficialCalendar::load().expect("calendar")),
        None,
    )
    .expect("catalogue")
}

impl TestApp {
    pub fn new(store: &Store) -> TestApp {
        let clock = Arc::new(FixedClock::new(test_now()));
        let state = test_state(store, clock.clone());
        TestApp {
            router: web::router(state),
            clock,
            store: store.clone(),
            cookies: Vec::new(),
            csrf: String::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&mut self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.expect("router");
        for value in response.headers().get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap_or_default();
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                self.cookies.retain(|(k, _)| k != name);
                if !value.is_empty() && !text.contains("Max-Age=0") {
                    self.cookies.push((name.to_owned(), value.to_owned()));
                }
            }
        }
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(start) = body.find("name=\"_csrf\" value=\"") {
            let rest = &body[start + 20..];
            if let Some(end) = rest.find('"') {
                self.csrf = rest[..end].to_owned();
            }
        }
        Reply {
            status,
            location,
            headers,
            bytes: bytes.to_vec(),
            body,
        }
    }

    /// GET `path`.
    pub async fn get(&mut self, path: &str) -> Reply {
        let request = Request::get(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::HOST, "localhost")
            .body(Body::empty())
            .expect("request");
        self.send(request).await
    }

    /// POST an urlencoded form to `path`, adding the current CSRF token.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let csrf = self.csrf.clone();
        let mut pairs = vec![("_csrf", csrf.as_str())];
        pairs.extend_from_slice(fields);
        self.post_raw(path, &pairs).await
    }

    /// POST exactly these fields (no CSRF token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let request = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::HOST, "localhost")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    /// POST a `multipart/form-data` form: the CSRF token first, then `fields`, then one file
    /// part `file_field` named `file_name` with `content` (sent as `claimed_type`).
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file_field: &str,
        file_name: &str,
        claimed_type: &str,
        content: &[u8],
    ) -> Reply {
        let boundary = "----fazhi-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        let csrf = self.csrf.clone();
        let mut all = vec![("_csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        for (name, value) in all {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{file_field}\"; filename=\"{file_name}\"\r\nContent-Type: {claimed_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::HOST, "localhost")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    /// Signs in (fetching the sign-in page first for its CSRF cookie and token).
    pub async fn login(&mut self, username: &str, password: &str) -> Reply {
        self.get("/login").await;
        self.post("/login", &[("username", username), ("password", password)])
            .await
    }

    /// Signs in as a demo account and loads the 工作台 (so the CSRF token is the session's).
    pub async fn login_demo(&mut self, username: &str) -> Reply {
        let password = fazhi_app::demo::DEMO_ACCOUNTS
            .iter()
            .find(|account| account.0 == username)
            .map(|account| account.1)
            .expect("demo account");
        let reply = self.login(username, password).await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "sign-in of {username}: {}",
            reply.body
        );
        self.get("/").await
    }
}
