//! The role × route table through the real router. The routes are the router's own
//! (`web::route_table()`, recorded while the router is built), so a route added without a row in
//! [`expectations`] fails the test, and so does a row for a route that is gone. Every route is
//! requested with every method it has, as each of the five demo roles and signed out, with its
//! `{param}`s filled in by real records (inside and outside the role's scope); refusals are 403
//! with a Chinese explanation (404 for a case outside one's scope, which is not revealed), and a
//! refused POST changes nothing.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use fazhi_app::authz::Scope;
use fazhi_app::reports::service;
use fazhi_app::store::org::ListFilter;
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::db_test;
use crate::support::{Reply, TestApp, TestDb};

/// Who asks, in the order of every expectation: the five demo roles, then nobody signed in.
pub(crate) const PRINCIPALS: [&str; 6] =
    ["admin", "sifa", "fazhi", "zhifa", "lingdao", "anonymous"];
const ANONYMOUS: usize = 5;

/// What a request must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// `y`: done — 2xx, a redirect that is not to sign-in, or (POST) a 4xx refusal of the
    /// form's content (most rows send an empty form); never 401, 403, 404 or 5xx.
    Allowed,
    /// `f`: 403 with a Chinese explanation (`authz`, or for the API the engine's role refusal).
    Forbidden,
    /// `r`: refused by the procedure's rules (the definition names who takes each step; the
    /// engine's refusal is a 4xx other than 401/403/404, with its Chinese reason).
    Refused,
    /// `h`: 404 — a case outside one's scope is not revealed.
    Hidden,
    /// `s`: sent to sign in (303 to `/login`).
    SignIn,
    /// `u`: 401 (the JSON API without a bearer token).
    Unauthorized,
}

impl Outcome {
    fn parse(letters: &str) -> [Outcome; 6] {
        let outcomes: Vec<Outcome> = letters
            .chars()
            .map(|letter| match letter {
                'y' => Outcome::Allowed,
                'f' => Outcome::Forbidden,
                'r' => Outcome::Refused,
                'h' => Outcome::Hidden,
                's' => Outcome::SignIn,
                'u' => Outcome::Unauthorized,
                other => panic!("unknown outcome letter {other:?} in {letters:?}"),
            })
            .collect();
        outcomes
            .try_into()
            .unwrap_or_else(|_| panic!("{letters:?}: one letter per principal"))
    }

    /// Whether a refused request (nothing may change).
    fn is_refusal(self) -> bool {
        self != Outcome::Allowed
    }
}

/// How a row's request is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sent {
    /// A GET.
    Get,
    /// An urlencoded form: the CSRF token and the row's fields (none unless it says).
    Form,
    /// A multipart form holding the CSRF token and an empty, unnamed file (the upload forms).
    Multipart,
    /// The JSON API with the principal's bearer token; a POST sends the row's body (`{}` unless
    /// it says).
    Api,
}

/// One request of the table: a route, a path filling its parameters, what each principal gets.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub method: Method,
    pub pattern: &'static str,
    pub path: String,
    pub sent: Sent,
    pub fields: Vec<(&'static str, String)>,
    pub json: String,
    pub expect: [Outcome; 6],
}

impl Row {
    /// The same request with a filled-in form, where an empty one would be refused as bad input
    /// before anyone asked whether the role may do it.
    fn with_fields(self, fields: &[(&'static str, &str)]) -> Row {
        Row {
            fields: fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
            ..self
        }
    }

    /// The same API request with `json` as its body.
    fn with_json(self, json: serde_json::Value) -> Row {
        Row {
            json: json.to_string(),
            ..self
        }
    }
}

fn row(method: Method, pattern: &'static str, path: impl Into<String>, expect: &str) -> Row {
    let sent = match (&method, pattern.starts_with("/api/")) {
        (_, true) => Sent::Api,
        (&Method::GET, _) => Sent::Get,
        _ => Sent::Form,
    };
    Row {
        method,
        pattern,
        path: path.into(),
        sent,
        fields: Vec::new(),
        json: "{}".to_owned(),
        expect: Outcome::parse(expect),
    }
}

fn get(pattern: &'static str, path: impl Into<String>, expect: &str) -> Row {
    row(Method::GET, pattern, path, expect)
}

fn post(pattern: &'static str, path: impl Into<String>, expect: &str) -> Row {
    row(Method::POST, pattern, path, expect)
}

fn upload(pattern: &'static str, path: impl Into<String>, expect: &str) -> Row {
    Row {
        sent: Sent::Multipart,
        ..row(Method::POST, pattern, path, expect)
    }
}

/// The records the paths name, made through the router by the roles who may (or read from the
/// demo).
#[derive(Debug, Clone)]
pub(crate) struct Fixture {
    /// The market regulator: home of `fazhi` and `zhifa`.
    pub market: i64,
    /// The justice bureau: home of `sifa`, outside `fazhi`'s scope.
    pub justice: i64,
    /// A department no demo role belongs to (deactivated and reactivated by the table).
    pub spare_department: i64,
    /// A person of the market regulator without an account.
    pub market_person: i64,
    /// A person of the justice bureau without an account.
    pub justice_person: i64,
    /// An account no test signs in with (deactivated and reactivated by the table).
    pub spare_account: i64,
    /// Certificates of a market-regulator person and of a justice-bureau person.
    pub market_certificate: i64,
    pub other_certificate: i64,
    /// A registry entry (人民调解员) of `justice_person`.
    pub registry_entry: i64,
    /// A penalty case `zhifa` opened (inside every role's scope), an event of it, an attachment.
    pub case_in: i64,
    pub event_in: i64,
    pub attachment_in: String,
    /// A litigation case of the justice bureau (outside `fazhi`'s and `zhifa`'s scope), an event
    /// of it, an attachment.
    pub case_out: i64,
    pub event_out: i64,
    pub attachment_out: String,
    /// An external report (外部报告).
    pub external: i64,
    /// `sifa`'s jurisdiction, and a 督办 its 司法局 addressed to its justice bureau.
    pub own_jurisdiction: i64,
    pub notice: i64,
    /// The log's size at its signed checkpoint.
    pub log_size: u64,
    /// Bearer tokens of the five roles, in [`PRINCIPALS`] order.
    pub tokens: Vec<String>,
}

/// The report year of the table: a draft (version 1) and its publication (version 2).
const YEAR: i32 = 2025;

async fn scalar(db: &TestDb, sql: &str) -> i64 {
    db.store
        .count_raw(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn id_in_location(reply: &Reply, prefix: &str) -> i64 {
    reply
        .location
        .as_deref()
        .unwrap_or_else(|| panic!("a redirect: {} {}", reply.status, reply.body))
        .trim_start_matches(prefix)
        .split(['?', '/'])
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("an id after {prefix} in {:?}", reply.location))
}

/// Makes the records of [`Fixture`].
pub(crate) async fn fixture(db: &TestDb) -> Fixture {
    let departments = db
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
    let spare_department = scalar(
        db,
        &format!(
            "SELECT MIN(id) FROM departments WHERE id NOT IN ({market}, {justice}) \
             AND id NOT IN (SELECT department_id FROM users WHERE department_id IS NOT NULL \
             AND username IN ('admin', 'sifa', 'fazhi', 'zhifa', 'lingdao'))"
        ),
    )
    .await;
    let person_of = |department: i64| {
        format!(
            "SELECT MAX(id) FROM people WHERE department_id = {department} \
             AND id NOT IN (SELECT person_id FROM users WHERE person_id IS NOT NULL)"
        )
    };
    let market_person = scalar(db, &person_of(market)).await;
    let justice_person = scalar(db, &person_of(justice)).await;
    let spare_account = db
        .store
        .user_by_username("d01.head")
        .await
        .expect("read")
        .expect("a demo account nobody signs in with")
        .id;
    let certificate_in = |condition: String| {
        format!(
            "SELECT MIN(c.id) FROM officer_certificates c JOIN people p ON p.id = c.person_id \
             WHERE c.revoked = 0 AND {condition}"
        )
    };
    let market_certificate =
        scalar(db, &certificate_in(format!("p.department_id = {market}"))).await;
    let other_certificate =
        scalar(db, &certificate_in(format!("p.department_id <> {market}"))).await;

    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
    let mut zhifa = TestApp::new(&db.store);
    zhifa.login_demo("zhifa").await;
    let opened = zhifa
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
    let case_in = id_in_location(&opened, "/case/");
    let attached = zhifa
        .post_multipart(
            &format!("/case/{case_in}/attachments"),
            &[],
            "file",
            "询问笔录.pdf",
            "application/pdf",
            pdf,
        )
        .await;
    assert_eq!(attached.status, StatusCode::SEE_OTHER, "{}", attached.body);

    let mut sifa = TestApp::new(&db.store);
    sifa.login_demo("sifa").await;
    let opened = sifa
        .post(
            "/cases/litigation",
            &[
                ("department_id", &justice.to_string()),
                ("on", "2026-03-02"),
                ("cause", "政府信息公开答复"),
            ],
        )
        .await;
    let case_out = id_in_location(&opened, "/case/");
    let note = "现场检查笔录".as_bytes();
    let attached = sifa
        .post_multipart(
            &format!("/case/{case_out}/attachments"),
            &[],
            "file",
            "note.txt",
            "text/plain",
            note,
        )
        .await;
    assert_eq!(attached.status, StatusCode::SEE_OTHER, "{}", attached.body);
    let event_of =
        |case: i64| format!("SELECT MIN(event_id) FROM case_steps WHERE case_id = {case}");
    let (event_in, event_out) = (
        scalar(db, &event_of(case_in)).await,
        scalar(db, &event_of(case_out)).await,
    );

    let report = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../reader/test_data/ok/zhaotong-2020.txt"),
    )
    .expect("sample report");
    sifa.get("/external").await;
    let uploaded = sifa
        .post_multipart(
            "/external/upload",
            &[],
            "file",
            "zhaotong-2020.txt",
            "text/plain",
            &report,
        )
        .await;
    let external = id_in_location(&uploaded, "/external/");

    sifa.get(&format!("/people/{justice_person}")).await;
    let added = sifa
        .post(
            &format!("/people/{justice_person}/registries"),
            &[
                ("registry", "mediators"),
                ("valid_from", ""),
                ("valid_until", ""),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let registry_entry = scalar(db, "SELECT MAX(id) FROM registry_members").await;

    // The year's report: drafted, then published as it stands (the service, not the form, so
    // that the table's empty publish form meets a report that is already public).
    let procedures = fazhi_app::procedure::load_embedded().expect("definitions");
    let catalogue = fazhi_app::indicators::Catalogue::embedded(&procedures).expect("catalogue");
    let now = "2026-03-02T01:00:00Z";
    service::draft(
        &db.store,
        &catalogue,
        fazhi_app::store::ROOT_JURISDICTION,
        YEAR,
        None,
        now,
    )
    .await
    .expect("draft");
    let drafted = service::versions(&db.store, fazhi_app::store::ROOT_JURISDICTION, YEAR)
        .await
        .expect("versions")
        .remove(0);
    service::save(
        &db.store,
        &drafted.report,
        &drafted.computation,
        "发布",
        None,
        now,
        true,
    )
    .await
    .expect("publish");

    let signer = fazhi_ledger::Signer::from_seed("fazhi-log/999900", [42u8; 32]).expect("signer");
    let log_size = db
        .store
        .sign_checkpoint(fazhi_app::store::ROOT_JURISDICTION, &signer, now)
        .await
        .expect("sign")
        .expect("a checkpoint")
        .tree_size;
    // The demo's accounts and cases are its largest district's, whose own log holds their
    // events: signed too, so their proofs are served.
    let district = db
        .store
        .jurisdiction_by_code("999902")
        .await
        .expect("read")
        .expect("the demo's district");
    let district_signer =
        fazhi_ledger::Signer::from_seed("fazhi-log/999902", [43u8; 32]).expect("signer");
    db.store
        .sign_checkpoint(district.id, &district_signer, now)
        .await
        .expect("sign")
        .expect("a checkpoint");

    // A 督办 of `sifa`'s 司法局 to its own justice bureau (outside `fazhi`'s department).
    let sifa_account = db
        .store
        .user_by_username("sifa")
        .await
        .expect("read")
        .expect("sifa");
    let own_jurisdiction = sifa_account.jurisdiction_id;
    let notice = db
        .store
        .issue_notice(
            fazhi_app::store::Reach(own_jurisdiction),
            &fazhi_app::store::supervision::NewNotice {
                target: fazhi_app::store::supervision::NoticeTarget::Department(justice),
                title: "请核查即将到期的复议案件",
                body: "请于期限内报告办理情况。",
                issued_on: "2026-03-02",
                reply_workdays: 10,
                reply_due: "2026-03-16",
                issued_by: sifa_account.id,
                issued_by_jurisdiction: own_jurisdiction,
                at: now,
            },
        )
        .await
        .expect("notice");

    let mut tokens = Vec::new();
    for username in &PRINCIPALS[..ANONYMOUS] {
        let user = db
            .store
            .user_by_username(username)
            .await
            .expect("read")
            .expect("demo account");
        let token = format!("access-table-token-{username}-0123456789");
        db.store
            .create_api_token(user.id, &token, "access table", now)
            .await
            .expect("token");
        tokens.push(token);
    }

    Fixture {
        market,
        justice,
        spare_department,
        market_person,
        justice_person,
        spare_account,
        market_certificate,
        other_certificate,
        registry_entry,
        case_in,
        event_in,
        attachment_in: fazhi_app::attachments::sha256_hex(pdf),
        case_out,
        event_out,
        attachment_out: fazhi_app::attachments::sha256_hex(note),
        external,
        own_jurisdiction,
        notice,
        log_size,
        tokens,
    }
}

/// The expectation table: every route, every method, with the records of `f`; outcomes for
/// [admin, sifa, fazhi, zhifa, lingdao, anonymous]. It follows the table in `authz.rs`; where a
/// route is public the anonymous column says so.
pub(crate) fn expectations(f: &Fixture) -> Vec<Row> {
    let Fixture {
        market,
        justice,
        spare_department: spare,
        market_person,
        justice_person,
        spare_account,
        market_certificate,
        other_certificate,
        registry_entry,
        case_in,
        event_in,
        case_out,
        event_out,
        external,
        own_jurisdiction,
        notice,
        log_size,
        ..
    } = f;
    let (attachment_in, attachment_out) = (&f.attachment_in, &f.attachment_out);
    // A well-formed step the engine refuses (no such action): what decides is whether the case
    // is in scope.
    let action = serde_json::json!({"action": "no_such_step", "on": "2026-03-02", "version": 1, "fields": {}});
    // A full tile once the log has 256 leaves, the partial one before.
    let tile = if *log_size >= 256 {
        "0/000".to_owned()
    } else {
        format!("0/000.p/{log_size}")
    };
    vec![
        // Public: the health check, the stylesheets, the log, 公示, the report portal, sign-in.
        get("/healthz", "/healthz", "yyyyyy"),
        get("/static/app.css", "/static/app.css", "yyyyyy"),
        get("/static/report.css", "/static/report.css", "yyyyyy"),
        get("/login", "/login", "yyyyyy"),
        post("/login", "/login", "yyyyyy"),
        post("/logout", "/logout", "yyyyyy"),
        get("/log", "/log", "yyyyyy"),
        get("/log/checkpoint", "/log/checkpoint", "yyyyyy"),
        get("/log/tile/{*path}", format!("/log/tile/{tile}"), "yyyyyy"),
        get(
            "/log/proof/inclusion",
            format!("/log/proof/inclusion?index=0&size={log_size}"),
            "yyyyyy",
        ),
        get(
            "/log/proof/consistency",
            format!("/log/proof/consistency?old=1&new={log_size}"),
            "yyyyyy",
        ),
        // Every jurisdiction's log, by its code (the demo's root is its city, 999900).
        get("/j/{code}/log", "/j/999900/log", "yyyyyy"),
        get(
            "/j/{code}/log/checkpoint",
            "/j/999900/log/checkpoint",
            "yyyyyy",
        ),
        get(
            "/j/{code}/log/tile/{*path}",
            format!("/j/999900/log/tile/{tile}"),
            "yyyyyy",
        ),
        get(
            "/j/{code}/log/proof/inclusion",
            format!("/j/999900/log/proof/inclusion?index=0&size={log_size}"),
            "yyyyyy",
        ),
        get(
            "/j/{code}/log/proof/consistency",
            format!("/j/999900/log/proof/consistency?old=1&new={log_size}"),
            "yyyyyy",
        ),
        get("/publicity", "/publicity", "yyyyyy"),
        get("/reports", "/reports", "yyyyyy"),
        get("/reports/{year}", format!("/reports/{YEAR}"), "yyyyyy"),
        get(
            "/reports/{year}/versions/{number}/{format}",
            format!("/reports/{YEAR}/versions/2/md"),
            "yyyyyy",
        ),
        // 工作台 and cases: everyone signed in, each inside their case scope.
        get("/", "/", "yyyyys"),
        get("/cases", "/cases", "yyyyys"),
        get("/cases/{procedure}", "/cases/penalty", "yyyyys"),
        // Who opens and acts on a case is the definition's (行政处罚: the department's officers
        // and legal staff open it); the engine refuses everyone else, on a complete form too
        // (beside the form, 422; the API answers 403).
        post("/cases/{procedure}", "/cases/penalty", "rryyrs").with_fields(&[
            ("department_id", &market.to_string()),
            ("on", "2026-03-02"),
            ("case_cause", "销售不合格产品"),
            ("discovered_date", "2026-02-27"),
        ]),
        get("/cases/{procedure}/new", "/cases/penalty/new", "ffyyfs"),
        get("/case/{id}", format!("/case/{case_in}"), "yyyyys"),
        get("/case/{id}", format!("/case/{case_out}"), "yyhhys"),
        post("/case/{id}/act", format!("/case/{case_in}/act"), "yyyyrs"),
        post("/case/{id}/act", format!("/case/{case_out}/act"), "yyhhrs"),
        upload(
            "/case/{id}/attachments",
            format!("/case/{case_in}/attachments"),
            "yyyyfs",
        ),
        upload(
            "/case/{id}/attachments",
            format!("/case/{case_out}/attachments"),
            "yyhhfs",
        ),
        get(
            "/case/{id}/attachments/{sha256}",
            format!("/case/{case_in}/attachments/{attachment_in}"),
            "yyyyys",
        ),
        get(
            "/case/{id}/attachments/{sha256}",
            format!("/case/{case_out}/attachments/{attachment_out}"),
            "yyhhys",
        ),
        get(
            "/case/{id}/proof/{event_id}",
            format!("/case/{case_in}/proof/{event_in}"),
            "yyyyys",
        ),
        get(
            "/case/{id}/proof/{event_id}",
            format!("/case/{case_out}/proof/{event_out}"),
            "yyhhys",
        ),
        // Certificates: seen by all but officers, managed by all but officers and 领导 within
        // their department scope, imported by the administrator and the justice bureau.
        get("/certificates", "/certificates", "yyyfys"),
        post("/certificates", "/certificates", "yyyffs"),
        post(
            "/certificates/{id}/revoke",
            format!("/certificates/{market_certificate}/revoke"),
            "yyyffs",
        ),
        post(
            "/certificates/{id}/revoke",
            format!("/certificates/{other_certificate}/revoke"),
            "yyfffs",
        ),
        upload("/certificates/import", "/certificates/import", "yyfffs"),
        // Departments: seen within the department scope, changed by the administrator.
        get("/departments", "/departments", "yyyfys"),
        post("/departments", "/departments", "yffffs"),
        get("/departments/new", "/departments/new", "yffffs"),
        get(
            "/departments/{id}",
            format!("/departments/{market}"),
            "yyyfys",
        ),
        get(
            "/departments/{id}",
            format!("/departments/{justice}"),
            "yyffys",
        ),
        post(
            "/departments/{id}",
            format!("/departments/{spare}"),
            "yffffs",
        ),
        get(
            "/departments/{id}/edit",
            format!("/departments/{market}/edit"),
            "yffffs",
        ),
        post(
            "/departments/{id}/deactivate",
            format!("/departments/{spare}/deactivate"),
            "yffffs",
        ),
        post(
            "/departments/{id}/reactivate",
            format!("/departments/{spare}/reactivate"),
            "yffffs",
        ),
        // People: seen within the department scope, managed there by all but 领导.
        get("/people", "/people", "yyyfys"),
        get("/people", format!("/people?department={justice}"), "yyffys"),
        post("/people", "/people", "yyyffs"),
        get("/people/new", "/people/new", "yyyffs"),
        get("/people/{id}", format!("/people/{market_person}"), "yyyfys"),
        get(
            "/people/{id}",
            format!("/people/{justice_person}"),
            "yyffys",
        ),
        post("/people/{id}", format!("/people/{market_person}"), "yyyffs"),
        post(
            "/people/{id}",
            format!("/people/{justice_person}"),
            "yyfffs",
        ),
        get(
            "/people/{id}/edit",
            format!("/people/{market_person}/edit"),
            "yyyffs",
        ),
        get(
            "/people/{id}/edit",
            format!("/people/{justice_person}/edit"),
            "yyfffs",
        ),
        post(
            "/people/{id}/deactivate",
            format!("/people/{market_person}/deactivate"),
            "yyyffs",
        ),
        post(
            "/people/{id}/deactivate",
            format!("/people/{justice_person}/deactivate"),
            "yyfffs",
        ),
        post(
            "/people/{id}/reactivate",
            format!("/people/{market_person}/reactivate"),
            "yyyffs",
        ),
        post(
            "/people/{id}/reactivate",
            format!("/people/{justice_person}/reactivate"),
            "yyfffs",
        ),
        post(
            "/people/{id}/registries",
            format!("/people/{justice_person}/registries"),
            "yyfffs",
        ),
        post(
            "/people/{id}/registries/{entry}/revoke",
            format!("/people/{justice_person}/registries/{registry_entry}/revoke"),
            "yyfffs",
        ),
        // Accounts and the jurisdiction: the administrator's.
        get("/accounts", "/accounts", "yffffs"),
        post("/accounts", "/accounts", "yffffs"),
        post(
            "/accounts/{id}/deactivate",
            format!("/accounts/{spare_account}/deactivate"),
            "yffffs",
        ),
        post(
            "/accounts/{id}/reactivate",
            format!("/accounts/{spare_account}/reactivate"),
            "yffffs",
        ),
        get("/settings", "/settings", "yffffs"),
        post("/settings", "/settings", "yffffs"),
        // The tree of jurisdictions: seen by the administrator, the justice bureau and 领导;
        // changed by the administrator.
        get("/jurisdictions", "/jurisdictions", "yyffys"),
        post("/jurisdictions", "/jurisdictions", "yffffs"),
        get(
            "/jurisdictions/new",
            format!("/jurisdictions/new?parent={own_jurisdiction}"),
            "yffffs",
        ),
        // (the administrator's own jurisdiction: the city above is outside its reach)
        post(
            "/jurisdictions/{id}",
            format!("/jurisdictions/{own_jurisdiction}"),
            "yffffs",
        ),
        get(
            "/jurisdictions/{id}/edit",
            format!("/jurisdictions/{own_jurisdiction}/edit"),
            "yffffs",
        ),
        // Statistics: jurisdiction-wide for all but department staff (own department) and
        // officers (none).
        get("/statistics", "/statistics", "yyyfys"),
        get(
            "/statistics",
            format!("/statistics?department={justice}"),
            "yyffys",
        ),
        get(
            "/statistics/{year}/{indicator}",
            format!("/statistics/{YEAR}/litigation.lost"),
            "yyyfys",
        ),
        // 数据填报: the justice bureau for any department, department staff for their own.
        get("/submissions", "/submissions", "fyyffs"),
        get(
            "/submissions/{department}/{year}",
            format!("/submissions/{market}/{YEAR}"),
            "fyyffs",
        ),
        get(
            "/submissions/{department}/{year}",
            format!("/submissions/{justice}/{YEAR}"),
            "fyfffs",
        ),
        post(
            "/submissions/{department}/{year}",
            format!("/submissions/{market}/{YEAR}"),
            "fyyffs",
        ),
        post(
            "/submissions/{department}/{year}",
            format!("/submissions/{justice}/{YEAR}"),
            "fyfffs",
        ),
        get(
            "/submissions/{department}/{year}/template.xlsx",
            format!("/submissions/{market}/{YEAR}/template.xlsx"),
            "fyyffs",
        ),
        upload(
            "/submissions/{department}/{year}/upload",
            format!("/submissions/{market}/{YEAR}/upload"),
            "fyyffs",
        ),
        upload(
            "/submissions/{department}/{year}/upload",
            format!("/submissions/{justice}/{YEAR}/upload"),
            "fyfffs",
        ),
        // The annual report: drafts seen by the administrator, the justice bureau and 领导;
        // edited by the justice bureau; published by it and by 领导.
        get("/report", "/report", "yyffys"),
        post(
            "/report/{year}/draft",
            format!("/report/{YEAR}/draft"),
            "fyfffs",
        ),
        get(
            "/report/{year}/edit",
            format!("/report/{YEAR}/edit"),
            "fyfffs",
        ),
        post(
            "/report/{year}/edit",
            format!("/report/{YEAR}/edit"),
            "fyfffs",
        ),
        post(
            "/report/{year}/publish",
            format!("/report/{YEAR}/publish"),
            "fyffys",
        ),
        get(
            "/report/{year}/versions/{number}/{format}",
            format!("/report/{YEAR}/versions/1/md"),
            "yyffys",
        ),
        // 外部报告: read by those who see the whole jurisdiction's statistics; stored by them
        // except 领导.
        get("/external", "/external", "yyffys"),
        upload("/external/upload", "/external/upload", "yyfffs"),
        get(
            "/external/compare",
            format!("/external/compare?r={external}"),
            "yyffys",
        ),
        get("/external/{id}", format!("/external/{external}"), "yyffys"),
        // 法治督察: read by 司法局 and 领导; 督办 issued by the 司法局, answered by its addressee
        // (the justice bureau's notice: its 司法局, not the market regulator's 法制人员).
        get("/supervision", "/supervision", "fyffys"),
        get(
            "/supervision/j/{id}",
            format!("/supervision/j/{own_jurisdiction}"),
            "fyffys",
        ),
        get("/supervision/notices", "/supervision/notices", "fyyfys"),
        post("/supervision/notices", "/supervision/notices", "fyfffs")
            .with_fields(&[("jurisdiction_id", &own_jurisdiction.to_string())]),
        get(
            "/supervision/notices/{id}",
            format!("/supervision/notices/{notice}"),
            "fyhfys",
        ),
        post(
            "/supervision/notices/{id}/reply",
            format!("/supervision/notices/{notice}/reply"),
            "fyhffs",
        ),
        post(
            "/supervision/report/submit",
            "/supervision/report/submit",
            "fyfffs",
        ),
        // The JSON API: bearer tokens, the same scopes; 401 without a token.
        get("/api/v1/openapi.json", "/api/v1/openapi.json", "yyyyyy"),
        get("/api/v1/cases", "/api/v1/cases?procedure=penalty", "yyyyyu"),
        post("/api/v1/cases", "/api/v1/cases", "ffyyfu").with_json(serde_json::json!({
            "procedure": "penalty",
            "department_id": market,
            "on": "2026-03-02",
            "fields": {"case_cause": "销售不合格产品", "discovered_date": "2026-02-27"},
        })),
        get(
            "/api/v1/cases/{id}",
            format!("/api/v1/cases/{case_in}"),
            "yyyyyu",
        ),
        get(
            "/api/v1/cases/{id}",
            format!("/api/v1/cases/{case_out}"),
            "yyhhyu",
        ),
        post(
            "/api/v1/cases/{id}/actions",
            format!("/api/v1/cases/{case_in}/actions"),
            "yyyyru",
        )
        .with_json(action.clone()),
        post(
            "/api/v1/cases/{id}/actions",
            format!("/api/v1/cases/{case_out}/actions"),
            "yyhhru",
        )
        .with_json(action),
    ]
}

/// Whether `path` (query aside) is an instance of the route `pattern`.
pub(crate) fn matches(pattern: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default();
    let mut given = path.split('/');
    for part in pattern.split('/') {
        if part.starts_with("{*") {
            return given.next().is_some_and(|rest| !rest.is_empty());
        }
        match given.next() {
            Some(segment) if part.starts_with('{') => {
                if segment.is_empty() {
                    return false;
                }
            }
            Some(segment) if segment == part => {}
            _ => return false,
        }
    }
    given.next().is_none()
}

/// The table's rows in the router's order, after checking that they and the router's routes
/// are the same set.
pub(crate) fn checked_rows(f: &Fixture) -> Vec<Row> {
    let routes = fazhi_app::web::route_table();
    let rows = expectations(f);
    let mut problems = Vec::new();
    for (at, route) in routes.iter().enumerate() {
        if routes[..at].contains(route) {
            problems.push(format!("{} {} is recorded twice", route.0, route.1));
        }
        if !rows
            .iter()
            .any(|r| (&r.method, r.pattern) == (&route.0, route.1))
        {
            problems.push(format!(
                "{} {} has no row in the expectation table",
                route.0, route.1
            ));
        }
    }
    for r in &rows {
        if !routes
            .iter()
            .any(|route| (&route.0, route.1) == (&r.method, r.pattern))
        {
            problems.push(format!(
                "the table names {} {}, which the router does not serve",
                r.method, r.pattern
            ));
        }
        if !matches(r.pattern, &r.path) {
            problems.push(format!("{} is not an instance of {}", r.path, r.pattern));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    routes
        .iter()
        .flat_map(|(method, pattern)| {
            rows.iter()
                .filter(move |r| (&r.method, r.pattern) == (method, *pattern))
                .cloned()
        })
        .collect()
}

/// A client per principal: the five signed in, the last signed out but holding the sign-in
/// page's CSRF cookie (so that its POSTs reach the route rather than the CSRF refusal).
pub(crate) async fn clients(db: &TestDb) -> Vec<TestApp> {
    let mut clients = Vec::new();
    for username in &PRINCIPALS[..ANONYMOUS] {
        let mut app = TestApp::new(&db.store);
        app.login_demo(username).await;
        clients.push(app);
    }
    let mut anonymous = TestApp::new(&db.store);
    anonymous.get("/login").await;
    clients.push(anonymous);
    clients
}

/// Sends `row` as principal `who` through `app`. Signing out uses a client of its own, signed
/// in for the purpose, so that the principal stays signed in for the rest of the table.
pub(crate) async fn send(
    db: &TestDb,
    f: &Fixture,
    app: &mut TestApp,
    who: usize,
    row: &Row,
) -> Reply {
    match row.sent {
        Sent::Get => app.get(&row.path).await,
        Sent::Form if row.path == "/logout" && who != ANONYMOUS => {
            let mut own = TestApp::new(&db.store);
            own.login_demo(PRINCIPALS[who]).await;
            own.post(&row.path, &[]).await
        }
        Sent::Form => {
            let fields: Vec<(&str, &str)> =
                row.fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post(&row.path, &fields).await
        }
        Sent::Multipart => {
            app.post_multipart(&row.path, &[], "file", "", "application/octet-stream", b"")
                .await
        }
        Sent::Api => {
            let mut request = Request::builder()
                .method(row.method.clone())
                .uri(&row.path)
                .header(header::HOST, "localhost");
            if let Some(token) = f.tokens.get(who) {
                request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
            let request = if row.method == Method::GET {
                request.body(Body::empty())
            } else {
                request
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(row.json.clone()))
            };
            api_reply(app, request.expect("request")).await
        }
    }
}

async fn api_reply(app: &TestApp, request: Request<Body>) -> Reply {
    let response = app.router.clone().oneshot(request).await.expect("router");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Reply {
        status,
        location: None,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes: bytes.to_vec(),
    }
}

/// Whether `text` explains itself in Chinese.
fn chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Whether `reply` is `expected`; the reason when it is not.
fn judge(row: &Row, expected: Outcome, reply: &Reply) -> Result<(), String> {
    let status = reply.status;
    // Where the session extractor sends a visitor (signing out lands on `/login?notice=…`).
    let to_sign_in = status.is_redirection()
        && reply
            .location
            .as_deref()
            .is_some_and(|l| l == "/login" || l.starts_with("/login?next="));
    let bad_input = status.is_client_error()
        && ![
            StatusCode::UNAUTHORIZED,
            StatusCode::FORBIDDEN,
            StatusCode::NOT_FOUND,
            StatusCode::METHOD_NOT_ALLOWED,
        ]
        .contains(&status);
    let ok = match expected {
        Outcome::Allowed => {
            status.is_success()
                || (status.is_redirection() && !to_sign_in)
                || (row.method == Method::POST && bad_input)
        }
        Outcome::Forbidden => status == StatusCode::FORBIDDEN && chinese(&reply.body),
        Outcome::Refused => bad_input && chinese(&reply.body),
        Outcome::Hidden => status == StatusCode::NOT_FOUND,
        Outcome::SignIn => status == StatusCode::SEE_OTHER && to_sign_in,
        Outcome::Unauthorized => status == StatusCode::UNAUTHORIZED,
    };
    if ok {
        Ok(())
    } else {
        let body: String = reply.body.chars().take(300).collect();
        Err(format!(
            "expected {expected:?}, got {status} {:?}: {body}",
            reply.location
        ))
    }
}

/// What a request may have written: the rows of every record table (sessions and sign-in
/// attempts aside — signing in and out is not a record change) and the log's size. Every record
/// change also journals an event, so a change that keeps the counts still moves `events`.
pub(crate) async fn written(db: &TestDb) -> Vec<(&'static str, i64)> {
    const TABLES: [&str; 21] = [
        "events",
        "ledger_leaves",
        "ledger_checkpoints",
        "cases",
        "case_steps",
        "case_timers",
        "case_assignees",
        "case_attachments",
        "blobs",
        "external_reports",
        "departments",
        "people",
        "users",
        "api_tokens",
        "officer_certificates",
        "registry_members",
        "reports",
        "report_versions",
        "submissions",
        "submission_values",
        "step_tallies",
    ];
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push((
            table,
            scalar(db, &format!("SELECT COUNT(*) FROM {table}")).await,
        ));
    }
    let size = db
        .store
        .ledger_size(fazhi_app::store::ROOT_JURISDICTION)
        .await
        .expect("ledger size");
    counts.push(("ledger size", i64::try_from(size).expect("size")));
    counts
}

db_test!(
    every_route_answers_every_role_as_the_table_says,
    with_demo,
    |db| {
        let f = fixture(db).await;
        let rows = checked_rows(&f);
        let mut clients = clients(db).await;
        let mut failures = Vec::new();
        for row in &rows {
            for (who, app) in clients.iter_mut().enumerate() {
                let before = if row.method == Method::GET {
                    None
                } else {
                    Some(written(db).await)
                };
                let reply = send(db, &f, app, who, row).await;
                let expected = row.expect[who];
                let name = PRINCIPALS[who];
                if let Err(reason) = judge(row, expected, &reply) {
                    failures.push(format!("{name} {} {}: {reason}", row.method, row.path));
                }
                if expected.is_refusal()
                    && let Some(before) = before
                {
                    let after = written(db).await;
                    if after != before {
                        let changed: Vec<String> = before
                            .iter()
                            .zip(&after)
                            .filter(|(b, a)| b != a)
                            .map(|(b, a)| format!("{} {} → {}", b.0, b.1, a.1))
                            .collect();
                        failures.push(format!(
                            "{name} {} {}: refused, yet wrote {}",
                            row.method,
                            row.path,
                            changed.join(", ")
                        ));
                    }
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of the table's requests went otherwise:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
);

#[test]
fn route_patterns_match_their_instances() {
    assert!(matches("/case/{id}", "/case/12"));
    assert!(matches("/case/{id}", "/case/12?notice=x"));
    assert!(!matches("/case/{id}", "/case/12/act"));
    assert!(!matches("/case/{id}", "/case/"));
    assert!(matches("/log/tile/{*path}", "/log/tile/0/000.p/5"));
    assert!(!matches("/log/tile/{*path}", "/log/tile/"));
    assert!(matches("/", "/"));
    assert!(!matches("/", "/cases"));
}

/// Ids the older tests below need from the demo: the market regulator (home of `fazhi` and
/// `zhifa`), the justice bureau, and a person in the justice bureau.
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

db_test!(
    a_leader_may_read_external_reports_but_not_upload_one,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        app.login_demo("lingdao").await;
        let page = app.get("/external").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains("id=\"external-upload\""),
            "no upload form for a read-only role"
        );
        let before = written(db).await;
        let reply = app
            .post_multipart(
                "/external/upload",
                &[("text", "某县人民政府2024年度法治政府建设情况的报告")],
                "file",
                "report.txt",
                "text/plain",
                "某县人民政府关于2024年度法治政府建设情况的报告".as_bytes(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert!(
            reply.body.contains("您的角色为“领导”，无权上传外部报告"),
            "{}",
            reply.body
        );
        assert_eq!(
            written(db).await,
            before,
            "nothing stored, nothing journaled"
        );
    }
);

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
