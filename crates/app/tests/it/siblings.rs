//! A subordinate account sees no sibling jurisdiction (issue #14), on both databases. A city
//! (武汉市, 420100) holds two districts, 江岸区 (A) and 江汉区 (B); each of the three has its
//! departments, a person, a certificate, a registry entry, an account of every role, a case of
//! every procedure opened and advanced a step by its own accounts, an attachment and a draft.
//! Signed in as each of A's five roles (and with their bearer tokens for the JSON API), every
//! route of `web::route_table()` is requested with its parameters filled by B's records (and its
//! forms naming B's records): B's records are never found (404 or 403 in Chinese), forms naming
//! them are refused in Chinese, nothing is written, and no page says anything of B. The city's
//! supervisors see both districts, read A's cases and do not take their steps; a district's
//! administrator creates nothing in its sibling, the city's administrator may in A.
//!
//! Every row is judged: the leaks this table found while the tree was being built (the
//! jurisdiction tree and settings pages, the external-report list, statistics, submissions and
//! the annual report) are fixed, and their rows hold like the others.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use fazhi_app::domain::{AccountInput, DepartmentInput, JurisdictionInput};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::access::written;
use crate::db_test;
use crate::support::{Reply, TestApp, TestDb};

const AT: &str = "2026-03-02T01:00:00Z";
const PASSWORD: &str = "siblings-test-2026";
/// The day cases are opened and stepped on (the tests' today, Beijing).
const TODAY: &str = "2026-03-02";
/// The year whose statistics, submissions and report the requests name.
const YEAR: i32 = 2026;
const PROCEDURES: [&str; 4] = ["penalty", "litigation", "reconsideration", "disclosure"];
/// The five roles, in the order of [`District::accounts`]: (suffix, role code, display title).
const ROLES: [(&str, &str, &str); 5] = [
    ("admin", "admin", "管理员"),
    ("sifa", "justice_staff", "司法员"),
    ("fazhi", "department_legal", "法制员"),
    ("zhifa", "officer", "执法员"),
    ("lingdao", "leader", "领导"),
];

/// One jurisdiction's records. Every text a page could show carries the district's `tag`, so
/// that a page showing anything of it is caught by the tag alone as well as by the marker.
#[derive(Debug, Clone)]
struct District {
    jurisdiction: i64,
    name: &'static str,
    code: &'static str,
    tag: &'static str,
    justice: i64,
    market: i64,
    market_name: String,
    person: i64,
    person_name: String,
    certificate: i64,
    certificate_number: String,
    registry_entry: i64,
    /// (username, id, display name) of the five roles, in [`ROLES`] order.
    accounts: Vec<(String, i64, String)>,
    /// (procedure, case id, title, the id of its opening event).
    cases: Vec<(&'static str, i64, String, i64)>,
    /// The penalty case's attachment.
    attachment: String,
    /// Bearer tokens of the five roles, in [`ROLES`] order.
    tokens: Vec<String>,
}

impl District {
    /// What no page of another jurisdiction's subordinate may say.
    fn markers(&self) -> Vec<String> {
        let mut markers = vec![
            self.tag.to_owned(),
            self.name.to_owned(),
            self.market_name.clone(),
            self.person_name.clone(),
            self.certificate_number.clone(),
        ];
        for (username, _, display) in &self.accounts {
            markers.push(username.clone());
            markers.push(display.clone());
        }
        for (_, _, title, _) in &self.cases {
            markers.push(title.clone());
        }
        markers
    }

    fn case(&self, procedure: &str) -> i64 {
        self.cases
            .iter()
            .find(|c| c.0 == procedure)
            .map(|c| c.1)
            .expect("a case of each procedure")
    }
}

struct World {
    city: District,
    a: District,
    b: District,
    /// An external report B's 司法局 stored (the deployment's one, shared library).
    external: i64,
    /// A 督办 notice the city's 司法局 sent B about its annual report.
    notice: i64,
}

async fn scalar(db: &TestDb, sql: &str) -> i64 {
    db.store
        .count_raw(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn signed_in(db: &TestDb, username: &str) -> TestApp {
    let mut app = TestApp::new(&db.store);
    let reply = app.login(username, PASSWORD).await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "sign-in of {username}: {}",
        reply.body
    );
    app.get("/").await;
    app
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

fn pdf(tag: &str) -> Vec<u8> {
    format!("%PDF-1.7\n% {tag} 询问笔录\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n").into_bytes()
}

/// How one case is opened and advanced: who, its title field and title, the opening form,
/// the step and its fields.
type CasePlan<'a> = (
    &'a mut TestApp,
    &'static str,
    String,
    Vec<(&'static str, String)>,
    &'static str,
    Vec<(&'static str, String)>,
);

/// Makes one jurisdiction's records, through the router as its own accounts where a person
/// would (people, certificates, registries, cases, attachments, the draft), through the store
/// where an installation would (departments and accounts at set-up).
async fn district(
    db: &TestDb,
    jurisdiction: i64,
    (name, code, tag, login): (&'static str, &'static str, &'static str, &'static str),
) -> District {
    let department = |name: String, justice: bool| {
        let store = db.store.clone();
        async move {
            let input =
                DepartmentInput::parse(&name, "政府工作部门", justice, "", "").expect("valid");
            store
                .create_department(None, AT, jurisdiction, &input)
                .await
                .expect("department")
        }
    };
    let justice = department(format!("{name}司法局"), true).await;
    let market_name = format!("{tag}市场监督管理局");
    let market = department(format!("{name}{market_name}"), false).await;
    let market_name = format!("{name}{market_name}");

    let hash = fazhi_app::password::hash(PASSWORD).expect("hash");
    let mut accounts = Vec::new();
    for (suffix, role, title) in ROLES {
        let username = format!("{login}_{suffix}");
        let display = format!("{tag}{title}");
        let department = match role {
            "justice_staff" => justice.to_string(),
            "department_legal" | "officer" => market.to_string(),
            _ => String::new(),
        };
        let input = AccountInput {
            jurisdiction_id: jurisdiction,
            ..AccountInput::parse(&username, role, &department, &display, PASSWORD).expect("valid")
        };
        let id = db
            .store
            .create_user(None, AT, &input, &hash)
            .await
            .expect("account");
        accounts.push((username, id, display));
    }
    let mut tokens = Vec::new();
    for (username, id, _) in &accounts {
        let token = format!("siblings-token-{username}-0123456789");
        db.store
            .create_api_token(*id, &token, "siblings", AT)
            .await
            .expect("token");
        tokens.push(token);
    }
    let user = |suffix: &str| format!("{login}_{suffix}");

    let mut sifa = signed_in(db, &user("sifa")).await;
    let person_name = format!("褚{tag}");
    sifa.get("/people/new").await;
    let created = sifa
        .post(
            "/people",
            &[
                ("department_id", &market.to_string()),
                ("name", &person_name),
                ("position", "执法科科员"),
                ("phone", ""),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let person = scalar(
        db,
        &format!("SELECT id FROM people WHERE name = '{person_name}'"),
    )
    .await;
    let certificate_number = format!("ZF-{code}-0001");
    sifa.get("/certificates").await;
    let recorded = sifa
        .post(
            "/certificates",
            &[
                ("person_id", &person.to_string()),
                ("number", &certificate_number),
                ("field_of_law", "市场监管"),
                ("valid_from", "2025-01-01"),
                ("valid_until", "2028-12-31"),
            ],
        )
        .await;
    assert!(
        recorded.status.is_redirection(),
        "certificate: {} {}",
        recorded.status,
        recorded.body
    );
    let certificate = scalar(
        db,
        &format!("SELECT id FROM officer_certificates WHERE number = '{certificate_number}'"),
    )
    .await;
    sifa.get(&format!("/people/{person}")).await;
    let added = sifa
        .post(
            &format!("/people/{person}/registries"),
            &[
                ("registry", "mediators"),
                ("valid_from", ""),
                ("valid_until", ""),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let registry_entry = scalar(
        db,
        &format!("SELECT MAX(id) FROM registry_members WHERE person_id = {person}"),
    )
    .await;

    // A case of every procedure, opened by whom its definition names and advanced one step.
    let mut zhifa = signed_in(db, &user("zhifa")).await;
    let mut fazhi = signed_in(db, &user("fazhi")).await;
    let market_id = market.to_string();
    let justice_id = justice.to_string();
    let mut cases = Vec::new();
    for procedure in PROCEDURES {
        let (app, title_field, title, opening, action, step): CasePlan<'_> = match procedure {
            "penalty" => (
                &mut zhifa,
                "case_cause",
                format!("{tag}销售过期食品案"),
                vec![
                    ("department_id", market_id.clone()),
                    ("discovered_date", TODAY.into()),
                ],
                "file_case",
                vec![
                    ("party", format!("{tag}某超市")),
                    ("party_kind", "法人".into()),
                    ("filing_date", TODAY.into()),
                    ("department", market_id.clone()),
                    ("period_rule", "行政处罚法第六十条".into()),
                ],
            ),
            "litigation" => (
                &mut fazhi,
                "cause",
                format!("{tag}不服行政处罚决定"),
                vec![
                    ("department_id", market_id.clone()),
                    ("plaintiff", format!("{tag}某")),
                    ("defendant", market_id.clone()),
                    ("court", "武汉市中级人民法院".into()),
                    ("court_case_number", format!("（2026）鄂{code}行初1号")),
                    ("served_date", TODAY.into()),
                ],
                "file_defence",
                vec![("defence_filed_date", TODAY.into())],
            ),
            "reconsideration" => (
                &mut sifa,
                "act_challenged",
                format!("{tag}行政处罚决定书"),
                vec![
                    ("department_id", justice_id.clone()),
                    ("applicant", format!("{tag}申请人")),
                    ("applicant_contact", "武汉市某路1号".into()),
                    ("received_date", TODAY.into()),
                    ("receipt_channel", "当面递交".into()),
                    ("act_category", "行政处罚".into()),
                    ("claims", "请求撤销被申请人作出的行政行为".into()),
                ],
                "request_correction",
                vec![
                    ("correction_items", "请补充提交行政行为相关材料".into()),
                    ("correction_notice_date", TODAY.into()),
                ],
            ),
            _ => (
                &mut fazhi,
                "requested_information",
                format!("{tag}年度行政执法统计数据"),
                vec![
                    ("department_id", market_id.clone()),
                    ("department", market_id.clone()),
                    ("applicant", format!("{tag}申请人")),
                    ("applicant_contact", "武汉市某路2号".into()),
                    ("received_date", TODAY.into()),
                    ("receipt_channel", "互联网渠道".into()),
                ],
                "request_correction",
                vec![
                    ("correction_items", "请明确所需政府信息的名称".into()),
                    ("correction_deadline", "2026-03-16".into()),
                ],
            ),
        };
        let mut form: Vec<(&str, &str)> = vec![("on", TODAY), (title_field, title.as_str())];
        form.extend(opening.iter().map(|(k, v)| (*k, v.as_str())));
        app.get(&format!("/cases/{procedure}/new")).await;
        let opened = app.post(&format!("/cases/{procedure}"), &form).await;
        assert_eq!(
            opened.status,
            StatusCode::SEE_OTHER,
            "{name} opens {procedure}: {}",
            opened.body
        );
        let case = id_in_location(&opened, "/case/");
        app.get(&format!("/case/{case}")).await;
        let mut form: Vec<(&str, &str)> = vec![("action", action), ("version", "1"), ("on", TODAY)];
        form.extend(step.iter().map(|(k, v)| (*k, v.as_str())));
        let stepped = app.post(&format!("/case/{case}/act"), &form).await;
        assert_eq!(
            stepped.status,
            StatusCode::SEE_OTHER,
            "{name} {procedure} {action}: {}",
            stepped.body
        );
        let event = scalar(
            db,
            &format!("SELECT MIN(event_id) FROM case_steps WHERE case_id = {case}"),
        )
        .await;
        cases.push((procedure, case, title, event));
    }
    let penalty = cases[0].1;
    let attached = zhifa
        .post_multipart(
            &format!("/case/{penalty}/attachments"),
            &[],
            "file",
            "询问笔录.pdf",
            "application/pdf",
            &pdf(tag),
        )
        .await;
    assert_eq!(attached.status, StatusCode::SEE_OTHER, "{}", attached.body);

    District {
        jurisdiction,
        name,
        code,
        tag,
        justice,
        market,
        market_name,
        person,
        person_name,
        certificate,
        certificate_number,
        registry_entry,
        accounts,
        cases,
        attachment: fazhi_app::attachments::sha256_hex(&pdf(tag)),
        tokens,
    }
}

/// The city and its two districts.
async fn world(db: &TestDb) -> World {
    let root = JurisdictionInput::parse("武汉市", "city", "420100").expect("valid");
    db.store
        .set_jurisdiction(None, AT, &root, None)
        .await
        .expect("root");
    let mut ids = Vec::new();
    for (name, code) in [("江岸区", "420102"), ("江汉区", "420103")] {
        let input = JurisdictionInput::parse(name, "county", code).expect("valid");
        ids.push(
            db.store
                .create_jurisdiction(None, AT, fazhi_app::store::ROOT_JURISDICTION, &input)
                .await
                .expect("district"),
        );
    }
    let city = district(
        db,
        fazhi_app::store::ROOT_JURISDICTION,
        ("武汉市", "420100", "丙市", "c"),
    )
    .await;
    let a = district(db, ids[0], ("江岸区", "420102", "岸甲", "a")).await;
    let b = district(db, ids[1], ("江汉区", "420103", "汉乙", "b")).await;

    let report = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../reader/test_data/ok/zhaotong-2020.txt"),
    )
    .expect("sample report");
    let mut sifa = signed_in(db, "b_sifa").await;
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
    // B's draft of the year's report (whatever it holds, A's pages say nothing of B).
    sifa.get("/report").await;
    sifa.post(&format!("/report/{YEAR}/draft"), &[]).await;
    // The city's 司法局 sends B a 督办 notice about its report.
    let mut c_sifa = signed_in(db, "c_sifa").await;
    c_sifa.get("/supervision/notices").await;
    let issued = c_sifa
        .post(
            "/supervision/notices",
            &[
                ("jurisdiction_id", &b.jurisdiction.to_string()),
                ("target", "report"),
                ("case_number", ""),
                ("year", &YEAR.to_string()),
                ("title", "汉乙督办年度报告"),
                ("body", "请按期报送年度报告。"),
                ("reply_workdays", "5"),
            ],
        )
        .await;
    assert!(
        issued.status.is_redirection(),
        "notice: {} {}",
        issued.status,
        issued.body
    );
    let notice = scalar(db, "SELECT MAX(id) FROM supervision_notices").await;
    World {
        city,
        a,
        b,
        external,
        notice,
    }
}

/// What a request of the sibling table must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Its path names B's record: 404 (or 403) with a Chinese message, nothing written.
    Hidden,
    /// Its form names B's records: a 4xx with a Chinese message, nothing written.
    Refused,
    /// It names nothing of B: any answer but a 5xx, none of B's markers in it, and nothing
    /// outside A's own jurisdiction written.
    Clean,
    /// A public page of B's (its Merkle log): it may name B, as it names itself to anyone,
    /// and says nothing else of B's records.
    Public,
}

/// How a request is sent.
#[derive(Debug, Clone)]
enum Sent {
    Get,
    /// An urlencoded form (the CSRF token added).
    Form(Vec<(&'static str, String)>),
    /// A multipart form: the fields, then one file (name, type, content).
    Multipart(
        Vec<(&'static str, String)>,
        &'static str,
        &'static str,
        Vec<u8>,
    ),
    /// The JSON API with the role's bearer token, with this body (GET: none).
    Api(Option<serde_json::Value>),
}

#[derive(Debug, Clone)]
struct Req {
    method: Method,
    pattern: &'static str,
    path: String,
    sent: Sent,
    expect: Expect,
}

fn get(pattern: &'static str, path: impl Into<String>, expect: Expect) -> Req {
    let path = path.into();
    let sent = if pattern.starts_with("/api/") {
        Sent::Api(None)
    } else {
        Sent::Get
    };
    Req {
        method: Method::GET,
        pattern,
        path,
        sent,
        expect,
    }
}

fn form(
    pattern: &'static str,
    path: impl Into<String>,
    fields: &[(&'static str, &str)],
    expect: Expect,
) -> Req {
    Req {
        method: Method::POST,
        pattern,
        path: path.into(),
        sent: Sent::Form(fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()),
        expect,
    }
}

fn upload(
    pattern: &'static str,
    path: impl Into<String>,
    file: (&'static str, &'static str, Vec<u8>),
    expect: Expect,
) -> Req {
    Req {
        method: Method::POST,
        pattern,
        path: path.into(),
        sent: Sent::Multipart(Vec::new(), file.0, file.1, file.2),
        expect,
    }
}

fn api_post(
    pattern: &'static str,
    path: impl Into<String>,
    body: serde_json::Value,
    expect: Expect,
) -> Req {
    Req {
        method: Method::POST,
        pattern,
        path: path.into(),
        sent: Sent::Api(Some(body)),
        expect,
    }
}

/// Every request of the table, for every route of the router, its parameters filled by B's
/// records (or, where a route takes none of B's, by A's own: a procedure, a year).
fn requests(w: &World) -> Vec<Req> {
    use Expect::{Clean, Hidden, Public, Refused};
    let b = &w.b;
    let (market, justice, person) = (b.market.to_string(), b.justice.to_string(), b.person);
    let case = b.case("penalty");
    let event = b.cases[0].3;
    let no_step =
        serde_json::json!({"action": "no_such_step", "on": TODAY, "version": 2, "fields": {}});
    let department_form = |name: &str| {
        vec![
            ("name", name.to_owned()),
            ("kind", "政府工作部门".to_owned()),
            ("legal_contact_name", String::new()),
            ("legal_contact_phone", String::new()),
        ]
    };
    let mut r = vec![
        // Public, and signing in and out: nothing of B.
        get("/healthz", "/healthz", Clean),
        get("/static/app.css", "/static/app.css", Clean),
        get("/static/report.css", "/static/report.css", Clean),
        get("/login", "/login", Clean),
        form("/login", "/login", &[], Clean),
        form("/logout", "/logout", &[], Clean),
        get("/log", "/log", Clean),
        get("/log/checkpoint", "/log/checkpoint", Clean),
        get("/log/tile/{*path}", "/log/tile/0/000.p/1", Clean),
        get(
            "/log/proof/inclusion",
            "/log/proof/inclusion?index=0&size=1",
            Clean,
        ),
        get(
            "/log/proof/consistency",
            "/log/proof/consistency?old=1&new=2",
            Clean,
        ),
        get("/j/{code}/log", format!("/j/{}/log", b.code), Public),
        get(
            "/j/{code}/log/checkpoint",
            format!("/j/{}/log/checkpoint", b.code),
            Public,
        ),
        get(
            "/j/{code}/log/tile/{*path}",
            format!("/j/{}/log/tile/0/000.p/1", b.code),
            Public,
        ),
        get(
            "/j/{code}/log/proof/inclusion",
            format!("/j/{}/log/proof/inclusion?index=0&size=1", b.code),
            Public,
        ),
        get(
            "/j/{code}/log/proof/consistency",
            format!("/j/{}/log/proof/consistency?old=1&new=2", b.code),
            Public,
        ),
        get("/publicity", "/publicity", Clean),
        get("/reports", "/reports", Clean),
        get("/reports/{year}", format!("/reports/{YEAR}"), Clean),
        get(
            "/reports/{year}/versions/{number}/{format}",
            format!("/reports/{YEAR}/versions/1/md"),
            Clean,
        ),
        // 工作台 and cases.
        get("/", "/", Clean),
        get("/cases", "/cases", Clean),
    ];
    for procedure in PROCEDURES {
        r.push(get(
            "/cases/{procedure}",
            format!("/cases/{procedure}"),
            Clean,
        ));
        r.push(get(
            "/cases/{procedure}",
            format!("/cases/{procedure}?department={market}"),
            Clean,
        ));
        r.push(get(
            "/cases/{procedure}/new",
            format!("/cases/{procedure}/new"),
            Clean,
        ));
        r.push(get(
            "/api/v1/cases",
            format!("/api/v1/cases?procedure={procedure}"),
            Clean,
        ));
    }
    // Opening a case in B's department: refused whoever asks (a complete form, so that only
    // where it is decides).
    r.push(form(
        "/cases/{procedure}",
        "/cases/penalty",
        &[
            ("department_id", &market),
            ("on", TODAY),
            ("case_cause", "岸甲越界立案"),
            ("discovered_date", TODAY),
        ],
        Refused,
    ));
    r.push(api_post(
        "/api/v1/cases",
        "/api/v1/cases",
        serde_json::json!({"procedure": "penalty", "department_id": b.market, "on": TODAY,
            "fields": {"case_cause": "岸甲越界立案", "discovered_date": TODAY}}),
        Refused,
    ));
    for (_, id, _, event) in &b.cases {
        r.push(get("/case/{id}", format!("/case/{id}"), Hidden));
        r.push(form(
            "/case/{id}/act",
            format!("/case/{id}/act"),
            &[("action", "no_such_step"), ("version", "2"), ("on", TODAY)],
            Hidden,
        ));
        r.push(get(
            "/api/v1/cases/{id}",
            format!("/api/v1/cases/{id}"),
            Hidden,
        ));
        r.push(api_post(
            "/api/v1/cases/{id}/actions",
            format!("/api/v1/cases/{id}/actions"),
            no_step.clone(),
            Hidden,
        ));
        r.push(get(
            "/case/{id}/proof/{event_id}",
            format!("/case/{id}/proof/{event}"),
            Hidden,
        ));
    }
    r.extend([
        upload(
            "/case/{id}/attachments",
            format!("/case/{case}/attachments"),
            ("越界.pdf", "application/pdf", pdf("岸甲越界")),
            Hidden,
        ),
        get(
            "/case/{id}/attachments/{sha256}",
            format!("/case/{case}/attachments/{}", b.attachment),
            Hidden,
        ),
        get(
            "/case/{id}/proof/{event_id}",
            format!("/case/{case}/proof/{event}"),
            Hidden,
        ),
        // Certificates.
        get("/certificates", "/certificates", Clean),
        get(
            "/certificates",
            format!("/certificates?q={}", b.certificate_number),
            Clean,
        ),
        form(
            "/certificates",
            "/certificates",
            &[
                ("person_id", &person.to_string()),
                ("number", "ZF-420102-9999"),
                ("field_of_law", "市场监管"),
                ("valid_from", "2025-01-01"),
                ("valid_until", "2028-12-31"),
            ],
            Refused,
        ),
        form(
            "/certificates/{id}/revoke",
            format!("/certificates/{}/revoke", b.certificate),
            &[("reason", "岸甲越界吊销")],
            Hidden,
        ),
        upload(
            "/certificates/import",
            "/certificates/import",
            (
                "certificates.csv",
                "text/csv",
                format!(
                    "人员编号,证件号,执法领域,有效期起,有效期止\n{person},ZF-420102-9998,市场监管,2025-01-01,2028-12-31\n"
                )
                .into_bytes(),
            ),
            Refused,
        ),
        upload(
            "/certificates/import",
            "/certificates/import",
            (
                "certificates.csv",
                "text/csv",
                format!(
                    "姓名,证件号,执法领域,有效期起,有效期止\n{},ZF-420102-9997,市场监管,2025-01-01,2028-12-31\n",
                    b.person_name
                )
                .into_bytes(),
            ),
            Refused,
        ),
        // Departments.
        get("/departments", "/departments", Clean),
        get(
            "/departments",
            format!("/departments?q={}", b.tag),
            Clean,
        ),
        Req {
            sent: Sent::Form(
                [("jurisdiction_id", b.jurisdiction.to_string())]
                    .into_iter()
                    .chain(department_form("岸甲越界局"))
                    .collect(),
            ),
            ..form("/departments", "/departments", &[], Refused)
        },
        get("/departments/new", "/departments/new", Clean),
    ]);
    for department in [&market, &justice] {
        r.extend([
            get(
                "/departments/{id}",
                format!("/departments/{department}"),
                Hidden,
            ),
            get(
                "/departments/{id}/edit",
                format!("/departments/{department}/edit"),
                Hidden,
            ),
            Req {
                sent: Sent::Form(department_form("岸甲改名局")),
                ..form(
                    "/departments/{id}",
                    format!("/departments/{department}"),
                    &[],
                    Hidden,
                )
            },
            form(
                "/departments/{id}/deactivate",
                format!("/departments/{department}/deactivate"),
                &[],
                Hidden,
            ),
            form(
                "/departments/{id}/reactivate",
                format!("/departments/{department}/reactivate"),
                &[],
                Hidden,
            ),
        ]);
    }
    r.extend([
        // People and the registries.
        get("/people", "/people", Clean),
        get("/people", format!("/people?department={market}"), Clean),
        get("/people", format!("/people?q={}", b.person_name), Clean),
        form(
            "/people",
            "/people",
            &[
                ("department_id", &market),
                ("name", "岸甲越界人"),
                ("position", "科员"),
                ("phone", ""),
            ],
            Refused,
        ),
        get("/people/new", "/people/new", Clean),
        get("/people/{id}", format!("/people/{person}"), Hidden),
        get(
            "/people/{id}/edit",
            format!("/people/{person}/edit"),
            Hidden,
        ),
        form(
            "/people/{id}",
            format!("/people/{person}"),
            &[
                ("department_id", &market),
                ("name", "岸甲改名人"),
                ("position", "科员"),
                ("phone", ""),
            ],
            Hidden,
        ),
        form(
            "/people/{id}/deactivate",
            format!("/people/{person}/deactivate"),
            &[],
            Hidden,
        ),
        form(
            "/people/{id}/reactivate",
            format!("/people/{person}/reactivate"),
            &[],
            Hidden,
        ),
        form(
            "/people/{id}/registries",
            format!("/people/{person}/registries"),
            &[
                ("registry", "legal_aid"),
                ("valid_from", ""),
                ("valid_until", ""),
            ],
            Hidden,
        ),
        form(
            "/people/{id}/registries/{entry}/revoke",
            format!("/people/{person}/registries/{}/revoke", b.registry_entry),
            &[],
            Hidden,
        ),
        // Accounts, the deployment's settings, the tree.
        get("/accounts", "/accounts", Clean),
        form(
            "/accounts",
            "/accounts",
            &[
                ("username", "a_into_b_leader"),
                ("display_name", "岸甲越界领导"),
                ("role", "leader"),
                ("jurisdiction_id", &b.jurisdiction.to_string()),
                ("department_id", ""),
                ("password", PASSWORD),
            ],
            Refused,
        ),
        form(
            "/accounts",
            "/accounts",
            &[
                ("username", "a_into_b_officer"),
                ("display_name", "岸甲越界执法员"),
                ("role", "officer"),
                ("jurisdiction_id", ""),
                ("department_id", &market),
                ("password", PASSWORD),
            ],
            Refused,
        ),
        get("/settings", "/settings", Clean),
        // The deployment's own jurisdiction is the city, above both districts: a district's
        // administrator does not rename it.
        // (the same name, level and code: a write is seen in the journal, and the city keeps
        // its name for the rest of the table)
        form(
            "/settings",
            "/settings",
            &[("name", "武汉市"), ("level", "city"), ("code", "420100")],
            // KNOWN OPEN (web/settings.rs, POST /settings): a district's administrator saves
            // the root, the city's own record (jurisdiction.updated in the city's log).
            Refused,
        ),
        // KNOWN OPEN (web/jurisdictions.rs, store/jurisdictions.rs): the tree page lists every
        // jurisdiction, the new-jurisdiction form names any parent, and any administrator reads
        // and updates any jurisdiction by id (the rows below, each marked).
        get("/jurisdictions", "/jurisdictions", Clean),
        get(
            "/jurisdictions/new",
            format!("/jurisdictions/new?parent={}", b.jurisdiction),
            Hidden,
        ),
        form(
            "/jurisdictions",
            "/jurisdictions",
            &[
                ("parent_id", &b.jurisdiction.to_string()),
                ("name", "岸甲越界开发区"),
                ("level", "county"),
                ("code", "420190"),
            ],
            Refused,
        ),
        form(
            "/jurisdictions/{id}",
            format!("/jurisdictions/{}", b.jurisdiction),
            // (B's own name, level and code: the write shows in the journal, and B keeps the
            // name the rest of the table looks for)
            &[("name", b.name), ("level", "county"), ("code", b.code)],
            Hidden,
        ),
        get(
            "/jurisdictions/{id}/edit",
            format!("/jurisdictions/{}/edit", b.jurisdiction),
            Hidden,
        ),
        // The shared library of other governments' published reports. KNOWN OPEN
        // (web/external.rs, GET /external and the re-rendered upload form): the list names the
        // account that stored each report, B's username included.
        get("/external", "/external", Clean),
        upload(
            "/external/upload",
            "/external/upload",
            ("empty.txt", "text/plain", Vec::new()),
            Refused,
        ),
        get(
            "/external/compare",
            format!("/external/compare?r={}", w.external),
            Clean,
        ),
        get("/external/{id}", format!("/external/{}", w.external), Clean),
        get("/api/v1/openapi.json", "/api/v1/openapi.json", Clean),
        // 法治督察 (web/supervision.rs): B's page, the notice the city sent B, a notice to B or B's report submitted.
        get("/supervision", "/supervision", Clean),
        get("/supervision", format!("/supervision?year={YEAR}"), Clean),
        get(
            "/supervision/j/{id}",
            format!("/supervision/j/{}", b.jurisdiction),
            Hidden,
        ),
        get("/supervision/notices", "/supervision/notices", Clean),
        form(
            "/supervision/notices",
            "/supervision/notices",
            &[
                ("jurisdiction_id", &b.jurisdiction.to_string()),
                ("target", "report"),
                ("case_number", ""),
                ("year", &YEAR.to_string()),
                ("title", "岸甲越界督办"),
                ("body", "岸甲越界督办"),
                ("reply_workdays", "5"),
            ],
            Refused,
        ),
        get(
            "/supervision/notices/{id}",
            format!("/supervision/notices/{}", w.notice),
            Hidden,
        ),
        form(
            "/supervision/notices/{id}/reply",
            format!("/supervision/notices/{}/reply", w.notice),
            &[("answer", "岸甲越界答复")],
            Hidden,
        ),
        form(
            "/supervision/report/submit",
            "/supervision/report/submit",
            &[("year", &YEAR.to_string())],
            Clean,
        ),
    ]);
    for (_, id, _) in &b.accounts {
        r.push(form(
            "/accounts/{id}/deactivate",
            format!("/accounts/{id}/deactivate"),
            &[],
            Hidden,
        ));
        r.push(form(
            "/accounts/{id}/reactivate",
            format!("/accounts/{id}/reactivate"),
            &[],
            Hidden,
        ));
    }
    // Statistics, submissions and the annual report (being made jurisdiction-aware by another
    // helper: web/statistics.rs, web/submissions.rs, web/report.rs).
    r.extend([
        get("/statistics", "/statistics", Clean),
        get("/statistics", format!("/statistics?year={YEAR}"), Clean),
        get(
            "/statistics",
            format!("/statistics?year={YEAR}&department={market}"),
            Hidden,
        ),
        // KNOWN OPEN (web/submissions.rs, GET /submissions): the overview lists B's
        // departments.
        get("/submissions", "/submissions", Clean),
        get("/submissions", format!("/submissions?year={YEAR}"), Clean),
        get(
            "/submissions/{department}/{year}",
            format!("/submissions/{market}/{YEAR}"),
            Hidden,
        ),
        form(
            "/submissions/{department}/{year}",
            format!("/submissions/{market}/{YEAR}"),
            &[],
            Hidden,
        ),
        get(
            "/submissions/{department}/{year}/template.xlsx",
            format!("/submissions/{market}/{YEAR}/template.xlsx"),
            Hidden,
        ),
        upload(
            "/submissions/{department}/{year}/upload",
            format!("/submissions/{market}/{YEAR}/upload"),
            ("empty.xlsx", "application/octet-stream", Vec::new()),
            Hidden,
        ),
        get("/report", "/report", Clean),
        // KNOWN OPEN (web/report.rs, reports.rs): the overview shows the draft B's 司法局
        // made (its author b_sifa), and A's draft and edit write the deployment's one report.
        get("/report", format!("/report?year={YEAR}"), Clean),
        form(
            "/report/{year}/draft",
            format!("/report/{YEAR}/draft"),
            &[],
            Clean,
        ),
        get("/report/{year}/edit", format!("/report/{YEAR}/edit"), Clean),
        form(
            "/report/{year}/edit",
            format!("/report/{YEAR}/edit"),
            &[],
            Clean,
        ),
        form(
            "/report/{year}/publish",
            format!("/report/{YEAR}/publish"),
            &[("reason", "岸甲发布")],
            Clean,
        ),
        get(
            "/report/{year}/versions/{number}/{format}",
            format!("/report/{YEAR}/versions/1/md"),
            Clean,
        ),
    ]);
    let procedures = fazhi_app::procedure::load_embedded().expect("definitions");
    let catalogue = fazhi_app::indicators::Catalogue::embedded(&procedures).expect("catalogue");
    // KNOWN OPEN (web/statistics.rs, store/statistics.rs, GET /statistics/{year}/{indicator}):
    // the drill-down lists the records of every jurisdiction, B's cases and certificates
    // included.
    for indicator in &catalogue.indicators {
        r.push(get(
            "/statistics/{year}/{indicator}",
            format!("/statistics/{YEAR}/{}", indicator.id),
            Clean,
        ));
    }
    r
}

/// The table's requests, after checking that every route of the router has at least one (a
/// new route must be considered here) and every request is an instance of a route.
fn checked(w: &World) -> Vec<Req> {
    let routes = fazhi_app::web::route_table();
    let reqs = requests(w);
    let mut problems = Vec::new();
    for (method, pattern) in &routes {
        if !reqs
            .iter()
            .any(|r| (&r.method, r.pattern) == (method, *pattern))
        {
            problems.push(format!(
                "{method} {pattern}: the sibling table cannot fill this route's parameters \
                 (add a request naming B's record of the right kind)"
            ));
        }
    }
    for r in &reqs {
        if !routes
            .iter()
            .any(|(method, pattern)| (method, *pattern) == (&r.method, r.pattern))
        {
            problems.push(format!(
                "the table names {} {}, which the router does not serve",
                r.method, r.pattern
            ));
        }
        if !crate::access::matches(r.pattern, &r.path) {
            problems.push(format!("{} is not an instance of {}", r.path, r.pattern));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    reqs
}

fn chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Everything outside jurisdiction `own`: what a request of its accounts may not change.
async fn outside(db: &TestDb, own: i64) -> Vec<(String, i64)> {
    let queries = [
        format!("SELECT COUNT(*) FROM events WHERE jurisdiction_id <> {own}"),
        format!("SELECT COUNT(*) FROM ledger_leaves WHERE jurisdiction_id <> {own}"),
        format!(
            "SELECT COUNT(*) + CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM cases \
             WHERE jurisdiction_id <> {own}"
        ),
        format!("SELECT COUNT(*) FROM case_steps WHERE jurisdiction_id <> {own}"),
        format!(
            "SELECT COUNT(*) + CAST(COALESCE(SUM(active + LENGTH(name)), 0) AS BIGINT) \
             FROM departments WHERE jurisdiction_id <> {own}"
        ),
        format!(
            "SELECT COUNT(*) + CAST(COALESCE(SUM(p.department_id * 3 + p.active \
             + LENGTH(p.name) + LENGTH(p.position)), 0) AS BIGINT) FROM people p \
             JOIN departments d ON d.id = p.department_id WHERE d.jurisdiction_id <> {own}"
        ),
        format!(
            "SELECT COUNT(*) + CAST(COALESCE(SUM(COALESCE(department_id, 0) * 3 + active), 0) \
             AS BIGINT) FROM users WHERE jurisdiction_id <> {own}"
        ),
        format!(
            "SELECT COUNT(*) + CAST(COALESCE(SUM(revoked), 0) AS BIGINT) \
             FROM officer_certificates WHERE jurisdiction_id <> {own}"
        ),
        format!(
            "SELECT COUNT(*) + CAST(COALESCE(SUM(revoked), 0) AS BIGINT) \
             FROM registry_members WHERE jurisdiction_id <> {own}"
        ),
        format!("SELECT COUNT(*) FROM submissions WHERE jurisdiction_id <> {own}"),
        format!(
            "SELECT COUNT(*) FROM report_versions v JOIN reports r ON r.id = v.report_id \
             WHERE r.jurisdiction_id <> {own}"
        ),
        format!(
            "SELECT COUNT(*) + CAST(COALESCE(SUM(LENGTH(name) + LENGTH(code) \
             + COALESCE(parent_id, 0)), 0) AS BIGINT) FROM jurisdictions WHERE id <> {own}"
        ),
    ];
    let mut answers = Vec::new();
    for sql in queries {
        let answer = scalar(db, &sql).await;
        answers.push((sql, answer));
    }
    answers
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

async fn send(db: &TestDb, app: &mut TestApp, username: &str, token: &str, r: &Req) -> Reply {
    match &r.sent {
        Sent::Get => app.get(&r.path).await,
        // Signing in or out on a client of its own, so that the role stays signed in.
        Sent::Form(fields) if r.path == "/logout" || r.path == "/login" => {
            let mut own = signed_in(db, username).await;
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            own.post(&r.path, &fields).await
        }
        Sent::Form(fields) => {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post(&r.path, &fields).await
        }
        Sent::Multipart(fields, name, kind, content) => {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_multipart(&r.path, &fields, "file", name, kind, content)
                .await
        }
        Sent::Api(body) => {
            let request = Request::builder()
                .method(r.method.clone())
                .uri(&r.path)
                .header(header::HOST, "localhost")
                .header(header::AUTHORIZATION, format!("Bearer {token}"));
            let request = match body {
                Some(body) => request
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body.to_string())),
                None => request.body(Body::empty()),
            };
            api_reply(app, request.expect("request")).await
        }
    }
}

/// B's markers the answer shows, besides the request's own query text echoed back into a
/// search box (`value="…"`: what one typed is no record of B).
fn shown(markers: &[String], path: &str, reply: &Reply) -> Vec<String> {
    let mut body = reply.body.clone();
    if let Some((_, query)) = path.split_once('?') {
        for (_, value) in form_urlencoded::parse(query.as_bytes()) {
            if !value.is_empty() {
                body = body.replace(&format!("value=\"{value}\""), "");
            }
        }
    }
    markers
        .iter()
        .filter(|m| body.contains(m.as_str()))
        .cloned()
        .collect()
}

fn diff<T: std::fmt::Debug + PartialEq>(before: &[(T, i64)], after: &[(T, i64)]) -> String {
    before
        .iter()
        .zip(after)
        .filter(|(b, a)| b != a)
        .map(|(b, a)| format!("{:?} {} → {}", b.0, b.1, a.1))
        .collect::<Vec<_>>()
        .join("; ")
}

db_test!(
    a_district_account_sees_and_changes_nothing_of_its_sibling_on_any_route,
    migrated,
    |db| {
        let w = world(db).await;
        let reqs = checked(&w);
        let markers = w.b.markers();
        let mut failures = Vec::new();
        for (role, (username, _, _)) in w.a.accounts.iter().enumerate() {
            let token = &w.a.tokens[role];
            let mut app = signed_in(db, username).await;
            for r in &reqs {
                let posts = r.method != Method::GET;
                let before = if posts {
                    Some((written(db).await, outside(db, w.a.jurisdiction).await))
                } else {
                    None
                };
                let reply = send(db, &mut app, username, token, r).await;
                let what = format!("{username} {} {}", r.method, r.path);
                let status = reply.status;
                let body: String = reply.body.chars().take(240).collect();
                let leaked: Vec<String> = shown(&markers, &r.path, &reply)
                    .into_iter()
                    .filter(|m| r.expect != Expect::Public || m != w.b.name)
                    .collect();
                if !leaked.is_empty() {
                    failures.push(format!("{what}: {status} shows B's {leaked:?}"));
                }
                if status.is_server_error() {
                    failures.push(format!("{what}: {status} {body}"));
                }
                match r.expect {
                    Expect::Hidden => {
                        if ![StatusCode::NOT_FOUND, StatusCode::FORBIDDEN].contains(&status)
                            || !chinese(&reply.body)
                        {
                            failures.push(format!(
                                "{what}: expected 404/403 in Chinese, got {status} {:?} {body}",
                                reply.location
                            ));
                        }
                    }
                    Expect::Refused => {
                        if !status.is_client_error()
                            || status == StatusCode::UNAUTHORIZED
                            || !chinese(&reply.body)
                        {
                            failures.push(format!(
                                "{what}: expected a Chinese refusal, got {status} {:?} {body}",
                                reply.location
                            ));
                        }
                    }
                    Expect::Clean | Expect::Public => {}
                }
                if let Some((written_before, outside_before)) = before {
                    let (written_after, outside_after) =
                        (written(db).await, outside(db, w.a.jurisdiction).await);
                    if r.expect != Expect::Clean
                        && r.expect != Expect::Public
                        && written_after != written_before
                    {
                        failures.push(format!(
                            "{what}: refused ({status}), yet wrote {}",
                            diff(&written_before, &written_after)
                        ));
                    }
                    if outside_after != outside_before {
                        failures.push(format!(
                            "{what}: {status}, changed outside 江岸区: {}",
                            diff(&outside_before, &outside_after)
                        ));
                    }
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} requests of 江岸区's accounts reached 江汉区:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
);

db_test!(
    the_citys_supervisors_see_both_districts_in_every_list,
    migrated,
    |db| {
        let w = world(db).await;
        // (list page, roles of the city that see it: admin, sifa, lingdao, what it lists)
        type Listed = fn(&District) -> Vec<String>;
        let pages: [(&str, &[&str], Listed); 4] = [
            ("/departments", &["admin", "sifa", "lingdao"], |d| {
                vec![d.market_name.clone()]
            }),
            ("/people", &["admin", "sifa", "lingdao"], |d| {
                vec![d.person_name.clone()]
            }),
            ("/certificates", &["admin", "sifa", "lingdao"], |d| {
                vec![d.certificate_number.clone()]
            }),
            ("/accounts", &["admin"], |d| {
                d.accounts.iter().map(|a| a.2.clone()).collect()
            }),
        ];
        for suffix in ["admin", "sifa", "lingdao"] {
            let username = format!("c_{suffix}");
            let mut app = signed_in(db, &username).await;
            for (path, roles, listed) in &pages {
                if !roles.contains(&suffix) {
                    continue;
                }
                let page = app.get(path).await;
                assert_eq!(page.status, StatusCode::OK, "{username} {path}");
                for district in [&w.a, &w.b] {
                    for marker in listed(district) {
                        assert!(
                            page.body.contains(&marker),
                            "{username} {path} lists {marker}"
                        );
                    }
                }
            }
            for (procedure, _, title, _) in w.a.cases.iter().chain(&w.b.cases) {
                let page = app.get(&format!("/cases/{procedure}")).await;
                assert_eq!(page.status, StatusCode::OK, "{username} /cases/{procedure}");
                assert!(
                    page.body.contains(title.as_str()),
                    "{username} /cases/{procedure} lists {title}"
                );
            }
            let tree = app.get("/jurisdictions").await;
            assert!(
                tree.body.contains(w.a.name) && tree.body.contains(w.b.name),
                "{username} /jurisdictions shows both districts"
            );
        }
        // The JSON API with the city's bearer tokens lists both districts' cases too.
        let app = TestApp::new(&db.store);
        for (role, token) in w.city.tokens.iter().enumerate() {
            if !["admin", "sifa", "lingdao"].contains(&ROLES[role].0) {
                continue;
            }
            for (procedure, _, title, _) in w.a.cases.iter().chain(&w.b.cases) {
                let (status, body) = crate::api::call(
                    &app,
                    "GET",
                    &format!("/api/v1/cases?procedure={procedure}"),
                    Some(token),
                    None,
                )
                .await;
                assert_eq!(status, StatusCode::OK, "{body}");
                assert!(
                    body.to_string().contains(title.as_str()),
                    "the API lists {title} for c_{}",
                    ROLES[role].0
                );
            }
        }
        // A district's own supervisors see their own district's lists (the control of the
        // sibling table: the pages it found silent about B do list A).
        let mut sifa = signed_in(db, "a_sifa").await;
        for (path, marker) in [
            ("/departments", w.a.market_name.clone()),
            ("/people", w.a.person_name.clone()),
            ("/certificates", w.a.certificate_number.clone()),
            ("/cases/penalty", w.a.cases[0].2.clone()),
        ] {
            let page = sifa.get(path).await;
            assert!(page.body.contains(&marker), "a_sifa {path} lists {marker}");
        }
    }
);

db_test!(
    a_supervisor_reads_the_cases_below_but_takes_no_step_in_them,
    migrated,
    |db| {
        let w = world(db).await;
        let case = w.a.case("reconsideration");
        let step = [
            ("action", "correction_notice_served"),
            ("version", "2"),
            ("on", TODAY),
            ("correction_notice_received_date", TODAY),
        ];
        // 江岸区's 司法局 cannot even find 江汉区's case.
        let mut a_sifa = signed_in(db, "a_sifa").await;
        let before = written(db).await;
        let b_case = w.b.case("reconsideration");
        let reply = a_sifa.post(&format!("/case/{b_case}/act"), &step).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
        assert!(chinese(&reply.body));
        assert_eq!(written(db).await, before, "nothing stored");

        // The city's 司法局 reads A's case, and the engine refuses it the step A's own
        // 司法局 may take: the case is 江岸区's.
        let mut c_sifa = signed_in(db, "c_sifa").await;
        let page = c_sifa.get(&format!("/case/{case}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(w.a.cases[2].2.as_str()), "the title");
        let reply = c_sifa.post(&format!("/case/{case}/act"), &step).await;
        assert!(
            reply.status.is_client_error()
                && reply.status != StatusCode::NOT_FOUND
                && chinese(&reply.body),
            "the engine's refusal: {} {}",
            reply.status,
            reply.body
        );
        assert_eq!(written(db).await, before, "nothing stored");
        let token = &w.city.tokens[1];
        let app = TestApp::new(&db.store);
        let (status, body) = crate::api::call(
            &app,
            "POST",
            &format!("/api/v1/cases/{case}/actions"),
            Some(token),
            Some(
                serde_json::json!({"action": "correction_notice_served", "on": TODAY,
                "version": 2, "fields": {"correction_notice_received_date": TODAY}}),
            ),
        )
        .await;
        assert!(
            status.is_client_error() && status != StatusCode::NOT_FOUND,
            "{status} {body}"
        );
        assert!(
            chinese(body["message"].as_str().unwrap_or_default()),
            "{body}"
        );
        assert_eq!(written(db).await, before, "nothing stored");
        let (status, body) = crate::api::call(
            &app,
            "GET",
            &format!("/api/v1/cases/{case}"),
            Some(token),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        // The same step by A's own 司法局 is taken (the refusals above were of where, not of
        // what).
        let reply = a_sifa.post(&format!("/case/{case}/act"), &step).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }
);

db_test!(
    departments_and_accounts_are_created_only_within_the_administrators_reach,
    migrated,
    |db| {
        let w = world(db).await;
        let refusal = fazhi_app::web::messages::field_error("unknown_jurisdiction");
        let mut a_admin = signed_in(db, "a_admin").await;
        let b = w.b.jurisdiction.to_string();
        let department = [
            ("jurisdiction_id", b.as_str()),
            ("name", "岸甲越界局"),
            ("kind", "政府工作部门"),
            ("legal_contact_name", ""),
            ("legal_contact_phone", ""),
        ];
        let account = [
            ("username", "a_into_b"),
            ("display_name", "岸甲越界领导"),
            ("role", "leader"),
            ("jurisdiction_id", b.as_str()),
            ("department_id", ""),
            ("password", PASSWORD),
        ];
        let before = written(db).await;
        a_admin.get("/departments/new").await;
        let reply = a_admin.post("/departments", &department).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains(refusal), "{}", reply.body);
        a_admin.get("/accounts").await;
        let reply = a_admin.post("/accounts", &account).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains(refusal), "{}", reply.body);
        assert_eq!(
            written(db).await,
            before,
            "nothing stored, nothing journaled"
        );

        // The city's administrator may put both in 江岸区.
        let a = w.a.jurisdiction.to_string();
        let mut c_admin = signed_in(db, "c_admin").await;
        c_admin.get("/departments/new").await;
        let department = [("jurisdiction_id", a.as_str()), ("name", "江岸区丙设局")];
        let reply = c_admin
            .post(
                "/departments",
                &[
                    department[0],
                    department[1],
                    ("kind", "政府工作部门"),
                    ("legal_contact_name", ""),
                    ("legal_contact_phone", ""),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        assert_eq!(
            scalar(
                db,
                "SELECT jurisdiction_id FROM departments WHERE name = '江岸区丙设局'"
            )
            .await,
            w.a.jurisdiction
        );
        c_admin.get("/accounts").await;
        let reply = c_admin
            .post(
                "/accounts",
                &[
                    ("username", "c_into_a"),
                    ("display_name", "丙设领导"),
                    ("role", "leader"),
                    ("jurisdiction_id", a.as_str()),
                    ("department_id", ""),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let created = db
            .store
            .user_by_username("c_into_a")
            .await
            .expect("read")
            .expect("created");
        assert_eq!(created.jurisdiction_id, w.a.jurisdiction);
        // ... and the account works there: it sees A, not B.
        let mut leader = signed_in(db, "c_into_a").await;
        let page = leader.get("/departments").await;
        assert!(page.body.contains(&w.a.market_name));
        assert!(!page.body.contains(&w.b.market_name));
    }
);
