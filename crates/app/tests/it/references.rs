//! References outside the actor's scope, on both databases: every route that takes a person or a
//! department id from the user — opening a case and acting on it (pages and JSON API), people,
//! certificates, registry entries, accounts, 数据填报, and the lists' department filters — asked,
//! as the most restricted role that may use it, to name
//! - a department, or a person, of another department (department-scoped roles);
//! - an id that does not exist (999999), a negative id, 0, text, an id beyond i64;
//! - a deactivated person, account or department;
//!
//! and each is refused with a Chinese message and a 4xx status, with nothing stored: the row
//! counts (and a checksum of the rows a refused edit could change) of cases, steps, assignees,
//! events, people, certificates, accounts, registry entries, submissions and departments, and
//! the log's size, are the same after the request as before it. Every route also takes a valid
//! id (the control), so that the refusals are the ids' doing.

use axum::http::StatusCode;
use fazhi_app::authz::{Scope, Subject};
use fazhi_app::domain::{PersonInput, Role};
use fazhi_app::engine::FieldProblem;
use fazhi_app::web::messages;
use serde_json::{Value, json};

use crate::api::call;
use crate::db_test;
use crate::support::{Reply, TestApp, TestDb};

/// Ids nobody may name: missing, negative, zero, not a number, beyond i64 (as a form sends them).
const NEVER_VALID: [&str; 6] = [
    "999999",
    "-1",
    "0",
    "abc",
    "9223372036854775808",
    "99999999999999999999",
];

/// The queries whose answers a refused request must leave as they were: row counts, and sums
/// over the columns a refused edit could change (a refused move of a person, a version bump).
const SNAPSHOT: [&str; 17] = [
    "SELECT COUNT(*) FROM cases",
    "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM cases",
    "SELECT COUNT(*) FROM case_steps",
    "SELECT COUNT(*) FROM case_assignees",
    "SELECT COUNT(*) FROM case_timers",
    "SELECT COUNT(*) FROM events",
    "SELECT COUNT(*) FROM people",
    "SELECT CAST(COALESCE(SUM(department_id * 3 + active + LENGTH(name) + LENGTH(position) \
     + LENGTH(phone)), 0) AS BIGINT) FROM people",
    "SELECT COUNT(*) FROM officer_certificates",
    "SELECT CAST(COALESCE(SUM(revoked), 0) AS BIGINT) FROM officer_certificates",
    "SELECT COUNT(*) FROM users",
    "SELECT CAST(COALESCE(SUM(COALESCE(department_id, 0) * 3 + active), 0) AS BIGINT) FROM users",
    "SELECT COUNT(*) FROM registry_members",
    "SELECT COUNT(*) FROM submissions",
    "SELECT COUNT(*) FROM submission_values",
    "SELECT COUNT(*) FROM departments",
    "SELECT CAST(COALESCE(SUM(active), 0) AS BIGINT) FROM departments",
];

/// What a refused request must not change.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Snapshot {
    answers: Vec<i64>,
    log_size: u64,
}

async fn snapshot(db: &TestDb) -> Snapshot {
    let mut answers = Vec::with_capacity(SNAPSHOT.len());
    for sql in SNAPSHOT {
        answers.push(db.store.count_raw(sql).await.expect(sql));
    }
    Snapshot {
        answers,
        log_size: db
            .store
            .ledger_size(fazhi_app::store::ROOT_JURISDICTION)
            .await
            .expect("log size"),
    }
}

fn is_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The texts of every alert and field error on a page.
fn page_messages(body: &str) -> Vec<String> {
    let mut found = Vec::new();
    for marker in ["role=\"alert\"", "class=\"field-error\""] {
        let mut rest = body;
        while let Some(at) = rest.find(marker) {
            rest = &rest[at + marker.len()..];
            let Some(open) = rest.find('>') else { break };
            let text = &rest[open + 1..];
            let end = text.find("</").unwrap_or(text.len());
            found.push(text[..end].trim().to_owned());
            rest = &text[end..];
        }
    }
    found
}

/// Asserts a page refusal: `status`, at least one message and all of them Chinese, `expected`
/// on the page, no English parser error, and nothing changed since `before`.
async fn refused_page(
    db: &TestDb,
    before: &Snapshot,
    what: &str,
    reply: &Reply,
    status: StatusCode,
    expected: &str,
) {
    assert_eq!(reply.status, status, "{what}: {}", reply.body);
    let shown = page_messages(&reply.body);
    assert!(
        !shown.is_empty(),
        "{what}: no message shown: {}",
        reply.body
    );
    for message in &shown {
        assert!(is_chinese(message), "{what}: not Chinese: {message:?}");
    }
    assert!(
        reply.body.contains(expected),
        "{what}: {expected:?} not shown; shown: {shown:?}"
    );
    for english in [
        "Cannot parse",
        "Invalid URL",
        "Failed to deserialize",
        "invalid digit",
    ] {
        assert!(!reply.body.contains(english), "{what}: {}", reply.body);
    }
    assert_eq!(&snapshot(db).await, before, "{what}: something was stored");
}

/// Asserts an API refusal: `status`, `code`, a Chinese message (and `field`'s message when
/// given), and nothing changed since `before`.
async fn refused_json(
    db: &TestDb,
    before: &Snapshot,
    what: &str,
    (status, body): &(StatusCode, Value),
    expected: (StatusCode, &str),
    field: Option<(&str, &str)>,
) {
    assert_eq!(
        (*status, body["error"].as_str().unwrap_or_default()),
        expected,
        "{what}: {body}"
    );
    let message = body["message"].as_str().unwrap_or_default();
    assert!(is_chinese(message), "{what}: {body}");
    if let Some((field, text)) = field {
        assert_eq!(body["fields"][field].as_str(), Some(text), "{what}: {body}");
    }
    assert_eq!(&snapshot(db).await, before, "{what}: something was stored");
}

/// The demo's account `username` as the engine sees it.
async fn subject(db: &TestDb, username: &str) -> Subject {
    let user = db
        .store
        .user_by_username(username)
        .await
        .expect("read")
        .expect("demo account");
    Subject {
        user_id: user.id,
        role: user.role,
        department_id: user.department_id,
        jurisdiction_id: fazhi_app::store::ROOT_JURISDICTION,
    }
}

/// The demo's departments: the market regulator (fazhi's and zhifa's), the justice bureau
/// (sifa's), and another department with certified officers, one of which is deactivated by
/// [`deactivated_department`].
struct Org {
    market: i64,
    justice: i64,
    /// A department with certified officers that is neither of the above.
    other: i64,
    /// Certified officers of the market regulator, valid today.
    officers: Vec<i64>,
    /// Certified officers of `other`.
    foreign_officers: Vec<i64>,
    /// An active person of the market regulator with no certificate.
    uncertified: i64,
}

const TODAY: time::Date = time::macros::date!(2026 - 03 - 02);

async fn org(db: &TestDb) -> Org {
    let departments = db
        .store
        .active_departments(Scope::All)
        .await
        .expect("departments");
    let id = |suffix: &str| {
        departments
            .iter()
            .find(|d| d.name.ends_with(suffix))
            .unwrap_or_else(|| panic!("{suffix}"))
            .id
    };
    let market = id("市场监督管理局");
    let justice = id("司法局");
    let officers_of = |department| async move {
        db.store
            .certified_officers(department, TODAY)
            .await
            .expect("officers")
            .into_iter()
            .map(|o| o.person_id)
            .collect::<Vec<i64>>()
    };
    let other = id("生态环境分局");
    let officers = officers_of(market).await;
    let foreign_officers = officers_of(other).await;
    assert!(officers.len() >= 4 && foreign_officers.len() >= 2);
    let people = db
        .store
        .list_people(
            Scope::Department(market),
            &fazhi_app::store::org::ListFilter {
                page: 1,
                per_page: 200,
                ..Default::default()
            },
        )
        .await
        .expect("people")
        .items;
    let mut uncertified = None;
    for person in people {
        let sql = format!(
            "SELECT COUNT(*) FROM officer_certificates WHERE person_id = {}",
            person.id
        );
        if db.store.count_raw(&sql).await.expect("count") == 0 {
            uncertified = Some(person.id);
            break;
        }
    }
    let uncertified = uncertified.expect("a person without a certificate");
    Org {
        market,
        justice,
        other,
        officers,
        foreign_officers,
        uncertified,
    }
}

/// A department deactivated for the test (the 财政局, which has no officers).
async fn deactivated_department(db: &TestDb) -> i64 {
    let id = db
        .store
        .active_departments(Scope::All)
        .await
        .expect("departments")
        .into_iter()
        .find(|d| d.name.ends_with("财政局"))
        .expect("finance")
        .id;
    db.store
        .set_department_active(None, "2026-03-01T00:00:00Z", id, false)
        .await
        .expect("deactivate");
    id
}

/// A person added to `department`, then deactivated.
async fn deactivated_person(db: &TestDb, department: i64) -> i64 {
    let input = PersonInput::parse(&department.to_string(), "停用人员", "科员", "").expect("input");
    let id = db
        .store
        .create_person(None, "2026-03-01T00:00:00Z", &input)
        .await
        .expect("person");
    db.store
        .set_person_active(None, "2026-03-01T00:00:00Z", id, false)
        .await
        .expect("deactivate");
    id
}

/// An account of `department` other than the demo's five, deactivated for the test.
async fn deactivated_account(db: &TestDb, department: i64) -> i64 {
    let account = db
        .store
        .list_users()
        .await
        .expect("accounts")
        .into_iter()
        .find(|u| u.department_id == Some(department) && u.username.starts_with('d'))
        .expect("a department account");
    db.store
        .set_user_active(None, "2026-03-01T00:00:00Z", account.id, false)
        .await
        .expect("deactivate");
    account.id
}

/// Signs `username` in.
async fn signed_in(db: &TestDb, username: &str) -> TestApp {
    let mut app = TestApp::new(&db.store);
    app.login_demo(username).await;
    app
}

/// The case id of a redirect to `/case/{id}?…`.
fn case_id(reply: &Reply) -> i64 {
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    reply
        .location
        .as_deref()
        .and_then(|l| l.strip_prefix("/case/"))
        .and_then(|l| l.split('?').next())
        .and_then(|id| id.parse().ok())
        .expect("case location")
}

async fn version(db: &TestDb, case: i64) -> i64 {
    db.store
        .count_raw(&format!("SELECT version FROM cases WHERE id = {case}"))
        .await
        .expect("version")
}

/// Posts an action on `case` at its current version.
async fn act(
    db: &TestDb,
    app: &mut TestApp,
    case: i64,
    action: &str,
    on: &str,
    fields: &[(&str, &str)],
) -> Reply {
    let version = version(db, case).await.to_string();
    let mut pairs = vec![
        ("action", action),
        ("version", version.as_str()),
        ("on", on),
    ];
    pairs.extend_from_slice(fields);
    app.post(&format!("/case/{case}/act"), &pairs).await
}

/// Takes an action that must be recorded.
async fn step(
    db: &TestDb,
    app: &mut TestApp,
    case: i64,
    action: &str,
    on: &str,
    fields: &[(&str, &str)],
) {
    let reply = act(db, app, case, action, on, fields).await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "{action}: {:?}",
        page_messages(&reply.body)
    );
}

/// `pairs` with owned values (for closures that build a form from an argument).
fn owned(pairs: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
}

fn joined(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

const PENALTY_OPENING: [(&str, &str); 3] = [
    ("on", "2026-02-02"),
    ("case_cause", "销售过期食品"),
    ("discovered_date", "2026-01-30"),
];

db_test!(
    a_penalty_case_on_the_pages_names_only_the_actors_department_and_people,
    with_demo,
    |db| {
        let o = org(db).await;
        let closed = deactivated_department(db).await;
        let gone = deactivated_person(db, o.market).await;
        let mut officer = signed_in(db, "zhifa").await;
        let market = o.market.to_string();
        let (a, b, chair) = (o.officers[0], o.officers[1], o.officers[2]);
        let foreign = joined(&o.foreign_officers[..2]);
        let out_of_scope = messages::case_error(
            &fazhi_app::cases::CaseError::DepartmentOutOfScope,
            &fazhi_app::procedure::load_embedded().expect("definitions")[0],
        )
        .message;

        // Opening: the case's department (department_id), and the department and people fields a
        // client may send with the opening.
        let before = snapshot(db).await;
        let other = o.other.to_string();
        let closed_text = closed.to_string();
        let mut departments: Vec<&str> = NEVER_VALID.to_vec();
        departments.extend([other.as_str(), closed_text.as_str(), ""]);
        for department in departments {
            let mut pairs = PENALTY_OPENING.to_vec();
            pairs.push(("department_id", department));
            let reply = officer.post("/cases/penalty", &pairs).await;
            refused_page(
                db,
                &before,
                &format!("open in department {department:?}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                &out_of_scope,
            )
            .await;
        }
        for (field, value, problem) in [
            (
                "department",
                other.clone(),
                FieldProblem::DepartmentOutOfScope,
            ),
            (
                "department",
                closed_text.clone(),
                FieldProblem::UnknownDepartment,
            ),
            (
                "department",
                "999999".into(),
                FieldProblem::UnknownDepartment,
            ),
            ("department", "-1".into(), FieldProblem::InvalidReference),
            (
                "investigators",
                foreign.clone(),
                FieldProblem::PersonOutOfScope,
            ),
            (
                "investigators",
                format!("{a},{gone}"),
                FieldProblem::NotInRegistry,
            ),
        ] {
            let mut pairs = PENALTY_OPENING.to_vec();
            pairs.push(("department_id", &market));
            pairs.push((field, &value));
            let reply = officer.post("/cases/penalty", &pairs).await;
            refused_page(
                db,
                &before,
                &format!("open with {field}={value} (as a step: {problem:?})"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                // The opening records its opening fields only: whatever the value, a field of a
                // later step is not offered at the opening.
                messages::field_problem(FieldProblem::NotOffered),
            )
            .await;
        }
        let mut pairs = PENALTY_OPENING.to_vec();
        pairs.push(("department_id", &market));
        let case = case_id(&officer.post("/cases/penalty", &pairs).await);

        // 立案: the 办案机关.
        let file = |department: &str| {
            owned(&[
                ("party", "某某超市"),
                ("party_kind", "法人"),
                ("filing_date", "2026-02-02"),
                ("period_rule", "行政处罚法第六十条"),
                ("department", department),
            ])
        };
        let before = snapshot(db).await;
        let mut bad: Vec<(String, FieldProblem)> = vec![
            (other.clone(), FieldProblem::DepartmentOutOfScope),
            (o.justice.to_string(), FieldProblem::DepartmentOutOfScope),
            (closed_text.clone(), FieldProblem::UnknownDepartment),
            ("999999".into(), FieldProblem::UnknownDepartment),
        ];
        for never in &NEVER_VALID[1..] {
            bad.push(((*never).to_owned(), FieldProblem::InvalidReference));
        }
        for (department, problem) in &bad {
            let reply = act(
                db,
                &mut officer,
                case,
                "file_case",
                "2026-02-02",
                &form_of(&file(department)),
            )
            .await;
            refused_page(
                db,
                &before,
                &format!("file_case department={department}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                messages::field_problem(*problem),
            )
            .await;
        }
        step(
            db,
            &mut officer,
            case,
            "file_case",
            "2026-02-02",
            &form_of(&file(&market)),
        )
        .await;

        // 调查取证: the certified officers, all of the officer's own department.
        let before = snapshot(db).await;
        let mut bad: Vec<(String, FieldProblem)> = vec![
            (foreign.clone(), FieldProblem::PersonOutOfScope),
            (
                format!("{a},{}", o.foreign_officers[0]),
                FieldProblem::PersonOutOfScope,
            ),
            (format!("{a},{gone}"), FieldProblem::NotInRegistry),
            (format!("{a},999999"), FieldProblem::NotInRegistry),
            // A person of the department without a certificate is not an enforcement officer.
            (
                format!("{a},{}", o.uncertified),
                FieldProblem::NotInRegistry,
            ),
        ];
        for never in &NEVER_VALID[1..] {
            bad.push((format!("{a},{never}"), FieldProblem::InvalidReference));
        }
        for (investigators, problem) in &bad {
            let reply = act(
                db,
                &mut officer,
                case,
                "record_investigation",
                "2026-02-03",
                &[("investigators", investigators)],
            )
            .await;
            refused_page(
                db,
                &before,
                &format!("investigators={investigators}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                messages::field_problem(*problem),
            )
            .await;
        }
        let named = format!("{a},{b}");
        step(
            db,
            &mut officer,
            case,
            "record_investigation",
            "2026-02-03",
            &[("investigators", &named)],
        )
        .await;
        step(
            db,
            &mut officer,
            case,
            "notify_rights",
            "2026-02-04",
            &[
                ("proposed_penalty", "吊销许可证"),
                ("notice_date", "2026-02-04"),
                ("hearing_right_notified", "是"),
            ],
        )
        .await;
        step(
            db,
            &mut officer,
            case,
            "request_hearing",
            "2026-02-05",
            &[("hearing_request_date", "2026-02-05")],
        )
        .await;

        // 听证: the chair, chosen by the department's legal officer.
        let mut legal = signed_in(db, "fazhi").await;
        let waived = |chair: &str| {
            owned(&[
                ("hearing_notice_date", "2026-02-06"),
                ("hearing_date", "2026-02-24"),
                ("absence_note", "当事人经通知无正当理由未出席"),
                ("hearing_chair", chair),
            ])
        };
        let before = snapshot(db).await;
        let mut bad: Vec<(String, FieldProblem)> = vec![
            (
                o.foreign_officers[0].to_string(),
                FieldProblem::PersonOutOfScope,
            ),
            (gone.to_string(), FieldProblem::NotInRegistry),
            ("999999".into(), FieldProblem::NotInRegistry),
            (
                format!("{chair},{}", o.officers[3]),
                FieldProblem::InvalidReference,
            ),
        ];
        for never in &NEVER_VALID[1..] {
            bad.push(((*never).to_owned(), FieldProblem::InvalidReference));
        }
        for (named, problem) in &bad {
            let reply = act(
                db,
                &mut legal,
                case,
                "hearing_deemed_waived",
                "2026-02-24",
                &form_of(&waived(named)),
            )
            .await;
            refused_page(
                db,
                &before,
                &format!("hearing_chair={named}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                messages::field_problem(*problem),
            )
            .await;
        }
        step(
            db,
            &mut legal,
            case,
            "hearing_deemed_waived",
            "2026-02-24",
            &form_of(&waived(&chair.to_string())),
        )
        .await;
        step(
            db,
            &mut legal,
            case,
            "submit_legal_review",
            "2026-02-25",
            &[],
        )
        .await;

        // 法制审核: the reviewer, a staff account of the department.
        let fazhi = subject(db, "fazhi").await;
        let sifa = subject(db, "sifa").await;
        let lost = deactivated_account(db, o.market).await;
        let review = |reviewer: &str| {
            owned(&[
                ("review_opinion", "事实清楚，证据确凿"),
                ("reviewer", reviewer),
            ])
        };
        let before = snapshot(db).await;
        let mut bad: Vec<(String, FieldProblem)> = vec![
            (sifa.user_id.to_string(), FieldProblem::PersonOutOfScope),
            // The administrator's account has no department at all.
            ("1".into(), FieldProblem::PersonOutOfScope),
            (lost.to_string(), FieldProblem::NotInRegistry),
            ("999999".into(), FieldProblem::NotInRegistry),
        ];
        for never in &NEVER_VALID[1..] {
            bad.push(((*never).to_owned(), FieldProblem::InvalidReference));
        }
        for (named, problem) in &bad {
            let reply = act(
                db,
                &mut legal,
                case,
                "pass_legal_review",
                "2026-02-26",
                &form_of(&review(named)),
            )
            .await;
            refused_page(
                db,
                &before,
                &format!("reviewer={named}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                messages::field_problem(*problem),
            )
            .await;
        }
        step(
            db,
            &mut legal,
            case,
            "pass_legal_review",
            "2026-02-26",
            &form_of(&review(&fazhi.user_id.to_string())),
        )
        .await;
        assert_eq!(
            db.store.case_steps(case).await.expect("steps").len(),
            8,
            "every valid step was recorded, no refused one"
        );
    }
);

db_test!(
    litigation_and_disclosure_cases_name_only_the_departments_accounts,
    with_demo,
    |db| {
        let o = org(db).await;
        let closed = deactivated_department(db).await;
        let lost = deactivated_account(db, o.market).await;
        let sifa = subject(db, "sifa").await;
        let fazhi = subject(db, "fazhi").await;
        let mut legal = signed_in(db, "fazhi").await;
        let market = o.market.to_string();
        let other = o.other.to_string();
        let closed_text = closed.to_string();

        // 行政应诉, by the department's legal officer: the defendant, and the head who appeared.
        let litigation = |extra: (&'static str, String)| {
            let mut pairs: Vec<(&'static str, String)> = vec![
                ("on", "2026-02-23".into()),
                ("department_id", market.clone()),
                ("plaintiff", "张某".into()),
                ("court", "示范市滨河区人民法院".into()),
                ("court_case_number", "（2026）示0102行初1号".into()),
                ("cause", "不服行政处罚决定".into()),
                ("served_date", "2026-02-20".into()),
            ];
            pairs.push(extra);
            pairs
        };
        let before = snapshot(db).await;
        for (value, problem) in [
            (other.clone(), FieldProblem::DepartmentOutOfScope),
            (closed_text.clone(), FieldProblem::UnknownDepartment),
            ("999999".to_owned(), FieldProblem::UnknownDepartment),
            ("abc".to_owned(), FieldProblem::InvalidReference),
        ] {
            let pairs = litigation(("defendant", value.clone()));
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = legal.post("/cases/litigation", &pairs).await;
            refused_page(
                db,
                &before,
                &format!("litigation defendant={value}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                messages::field_problem(problem),
            )
            .await;
        }
        let pairs = litigation(("defendant", market.clone()));
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let case = case_id(&legal.post("/cases/litigation", &pairs).await);
        step(
            db,
            &mut legal,
            case,
            "file_defence",
            "2026-02-24",
            &[("defence_filed_date", "2026-02-24")],
        )
        .await;
        let hearing = |head: &str| {
            owned(&[
                ("hearing_date", "2026-02-26"),
                ("head_appearance", "行政机关副职负责人出庭"),
                ("instance", "一审"),
                ("appearing_head", head),
            ])
        };
        let accounts_refused = |sifa: &Subject| {
            let mut bad: Vec<(String, FieldProblem)> = vec![
                (sifa.user_id.to_string(), FieldProblem::PersonOutOfScope),
                (lost.to_string(), FieldProblem::NotInRegistry),
                ("999999".into(), FieldProblem::NotInRegistry),
            ];
            for never in &NEVER_VALID[1..] {
                bad.push(((*never).to_owned(), FieldProblem::InvalidReference));
            }
            bad
        };
        let before = snapshot(db).await;
        for (named, problem) in accounts_refused(&sifa) {
            let reply = act(
                db,
                &mut legal,
                case,
                "record_hearing",
                "2026-02-26",
                &form_of(&hearing(&named)),
            )
            .await;
            refused_page(
                db,
                &before,
                &format!("appearing_head={named}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                messages::field_problem(problem),
            )
            .await;
        }
        step(
            db,
            &mut legal,
            case,
            "record_hearing",
            "2026-02-26",
            &form_of(&hearing(&fazhi.user_id.to_string())),
        )
        .await;

        // 政府信息公开, by the department's legal officer: the 承办机关 and who approved an extension.
        let disclosure = |department_id: &str, extra: Option<(&'static str, &str)>| {
            let mut pairs: Vec<(&str, String)> = vec![
                ("on", "2026-02-25".into()),
                ("department_id", department_id.to_owned()),
                ("applicant", "李某".into()),
                ("applicant_contact", "13800000000".into()),
                ("received_date", "2026-02-25".into()),
                ("receipt_channel", "当面提交".into()),
                ("requested_information", "2025年度行政处罚统计".into()),
            ];
            pairs.extend(extra.map(|(k, v)| (k, v.to_owned())));
            pairs
        };
        let before = snapshot(db).await;
        for (value, problem) in [
            (other.as_str(), FieldProblem::DepartmentOutOfScope),
            (closed_text.as_str(), FieldProblem::UnknownDepartment),
            ("0", FieldProblem::InvalidReference),
        ] {
            let pairs = disclosure(&market, Some(("department", value)));
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = legal.post("/cases/disclosure", &pairs).await;
            refused_page(
                db,
                &before,
                &format!("disclosure department={value}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                messages::field_problem(problem),
            )
            .await;
        }
        let pairs = disclosure(&market, None);
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let case = case_id(&legal.post("/cases/disclosure", &pairs).await);
        let extend = |approved_by: &str| {
            owned(&[
                ("extension_reason", "需要调取档案"),
                ("extension_length", "15"),
                ("extension_notice_date", "2026-03-02"),
                ("approved_by", approved_by),
            ])
        };
        let before = snapshot(db).await;
        for (named, problem) in accounts_refused(&sifa) {
            let reply = act(
                db,
                &mut legal,
                case,
                "extend",
                "2026-03-02",
                &form_of(&extend(&named)),
            )
            .await;
            refused_page(
                db,
                &before,
                &format!("approved_by={named}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                messages::field_problem(problem),
            )
            .await;
        }
        step(
            db,
            &mut legal,
            case,
            "extend",
            "2026-03-02",
            &form_of(&extend(&fazhi.user_id.to_string())),
        )
        .await;

        // The justice bureau's staff open cases for any department, but only for one that exists
        // and is in use, and name only accounts that exist and are active.
        let mut bureau = signed_in(db, "sifa").await;
        let before = snapshot(db).await;
        let mut departments: Vec<&str> = NEVER_VALID.to_vec();
        departments.extend([closed_text.as_str(), ""]);
        let out_of_scope = messages::case_error(
            &fazhi_app::cases::CaseError::DepartmentOutOfScope,
            &fazhi_app::procedure::load_embedded().expect("definitions")[0],
        )
        .message;
        for department in departments {
            let pairs = disclosure(department, None);
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = bureau.post("/cases/disclosure", &pairs).await;
            refused_page(
                db,
                &before,
                &format!("sifa opens in department {department:?}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                &out_of_scope,
            )
            .await;
        }
        let pairs = disclosure(&other, None);
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let case = case_id(&bureau.post("/cases/disclosure", &pairs).await);
        let gone_elsewhere = deactivated_account(db, o.other).await;
        let before = snapshot(db).await;
        let mut bad: Vec<(String, FieldProblem)> = vec![
            (gone_elsewhere.to_string(), FieldProblem::NotInRegistry),
            ("999999".into(), FieldProblem::NotInRegistry),
        ];
        for never in &NEVER_VALID[1..] {
            bad.push(((*never).to_owned(), FieldProblem::InvalidReference));
        }
        for (named, problem) in bad {
            let reply = act(
                db,
                &mut bureau,
                case,
                "extend",
                "2026-03-02",
                &form_of(&extend(&named)),
            )
            .await;
            refused_page(
                db,
                &before,
                &format!("sifa approved_by={named}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                messages::field_problem(problem),
            )
            .await;
        }
        step(
            db,
            &mut bureau,
            case,
            "extend",
            "2026-03-02",
            &form_of(&extend(&sifa.user_id.to_string())),
        )
        .await;
    }
);

db_test!(
    a_reconsideration_names_only_departments_that_exist_and_are_in_use,
    with_demo,
    |db| {
        let o = org(db).await;
        let closed = deactivated_department(db).await;
        let mut bureau = signed_in(db, "sifa").await;
        let justice = o.justice.to_string();
        let opening = vec![
            ("on", "2026-02-26"),
            ("department_id", justice.as_str()),
            ("applicant", "王某"),
            ("applicant_contact", "13900000000"),
            ("received_date", "2026-02-26"),
            ("receipt_channel", "当面递交"),
            ("posted_date", "2026-02-26"),
            ("act_challenged", "罚款决定"),
            ("act_category", "行政处罚"),
            ("claims", "撤销罚款决定"),
        ];
        let case = case_id(&bureau.post("/cases/reconsideration", &opening).await);
        let accept = |respondent: &str| {
            owned(&[
                ("acceptance_date", "2026-03-02"),
                ("knew_act_date", "2026-02-10"),
                ("act_date", "2026-02-10"),
                ("limitation_start_date", "2026-02-10"),
                ("appeal_rights_told", "已告知"),
                ("property_related", "其他"),
                ("respondent", respondent),
            ])
        };
        let before = snapshot(db).await;
        let mut bad: Vec<(String, FieldProblem)> = vec![
            (closed.to_string(), FieldProblem::UnknownDepartment),
            ("999999".into(), FieldProblem::UnknownDepartment),
        ];
        for never in &NEVER_VALID[1..] {
            bad.push(((*never).to_owned(), FieldProblem::InvalidReference));
        }
        for (respondent, problem) in bad {
            let reply = act(
                db,
                &mut bureau,
                case,
                "accept",
                "2026-03-02",
                &form_of(&accept(&respondent)),
            )
            .await;
            refused_page(
                db,
                &before,
                &format!("respondent={respondent}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                messages::field_problem(problem),
            )
            .await;
        }
        step(
            db,
            &mut bureau,
            case,
            "accept",
            "2026-03-02",
            &form_of(&accept(&o.other.to_string())),
        )
        .await;
    }
);

/// Creates an API token for the demo account `username`; returns it.
async fn token(db: &TestDb, username: &str) -> String {
    let user = subject(db, username).await;
    let token = format!("{username}-references-token-0123456789");
    db.store
        .create_api_token(user.user_id, &token, "test", "2026-03-02T01:00:00Z")
        .await
        .expect("token");
    token
}

db_test!(
    the_api_refuses_the_same_references_as_the_pages,
    with_demo,
    |db| {
        let o = org(db).await;
        let closed = deactivated_department(db).await;
        let gone = deactivated_person(db, o.market).await;
        let app = TestApp::new(&db.store);
        let officer = token(db, "zhifa").await;
        let officer = Some(officer.as_str());
        let open = |department_id: Value, fields: Value| {
            json!({"procedure": "penalty", "department_id": department_id, "on": "2026-02-02",
                "fields": fields})
        };
        let cause = json!({"case_cause": "无照经营", "discovered_date": "2026-01-30"});
        let before = snapshot(db).await;
        for department in [
            json!(o.other),
            json!(closed),
            json!(999_999),
            json!(-1),
            json!(0),
        ] {
            let reply = call(
                &app,
                "POST",
                "/api/v1/cases",
                officer,
                Some(open(department.clone(), cause.clone())),
            )
            .await;
            refused_json(
                db,
                &before,
                &format!("API open in {department}"),
                &reply,
                (StatusCode::FORBIDDEN, "forbidden"),
                None,
            )
            .await;
        }
        // Not an integer of i64: the body does not fit.
        for department in [
            json!("abc"),
            json!(o.market.to_string()),
            json!(9_223_372_036_854_775_808_u64),
            json!(1e20),
            json!(1.5),
            Value::Null,
        ] {
            let reply = call(
                &app,
                "POST",
                "/api/v1/cases",
                officer,
                Some(open(department.clone(), cause.clone())),
            )
            .await;
            refused_json(
                db,
                &before,
                &format!("API open in {department}"),
                &reply,
                (StatusCode::BAD_REQUEST, "bad_json"),
                None,
            )
            .await;
        }
        let foreign = joined(&o.foreign_officers[..2]);
        for (field, value, problem) in [
            (
                "department",
                o.other.to_string(),
                FieldProblem::DepartmentOutOfScope,
            ),
            (
                "investigators",
                foreign.clone(),
                FieldProblem::PersonOutOfScope,
            ),
        ] {
            let mut fields = cause.clone();
            fields[field] = json!(value);
            let reply = call(
                &app,
                "POST",
                "/api/v1/cases",
                officer,
                Some(open(json!(o.market), fields)),
            )
            .await;
            refused_json(
                db,
                &before,
                &format!("API open with {field}={value} (as a step: {problem:?})"),
                &reply,
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_fields"),
                Some((field, messages::field_problem(FieldProblem::NotOffered))),
            )
            .await;
        }
        let (status, opened) = call(
            &app,
            "POST",
            "/api/v1/cases",
            officer,
            Some(open(json!(o.market), cause.clone())),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{opened}");
        let case = opened["id"].as_i64().expect("id");
        let path = format!("/api/v1/cases/{case}/actions");

        let file = |department: &str, version: i64| {
            json!({"action": "file_case", "on": "2026-02-02", "version": version, "fields": {
                "party": "某公司", "party_kind": "法人", "filing_date": "2026-02-02",
                "period_rule": "行政处罚法第六十条", "department": department}})
        };
        let before = snapshot(db).await;
        let mut bad: Vec<(String, FieldProblem)> = vec![
            (o.other.to_string(), FieldProblem::DepartmentOutOfScope),
            (closed.to_string(), FieldProblem::UnknownDepartment),
            ("999999".into(), FieldProblem::UnknownDepartment),
        ];
        for never in &NEVER_VALID[1..] {
            bad.push(((*never).to_owned(), FieldProblem::InvalidReference));
        }
        for (department, problem) in &bad {
            let reply = call(&app, "POST", &path, officer, Some(file(department, 1))).await;
            refused_json(
                db,
                &before,
                &format!("API file_case department={department}"),
                &reply,
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_fields"),
                Some(("department", messages::field_problem(*problem))),
            )
            .await;
        }
        // A field value that is not text does not fit the body.
        let mut numeric = file("0", 1);
        numeric["fields"]["department"] = json!(o.market);
        let reply = call(&app, "POST", &path, officer, Some(numeric)).await;
        refused_json(
            db,
            &before,
            "API department as a number",
            &reply,
            (StatusCode::BAD_REQUEST, "bad_json"),
            None,
        )
        .await;
        let (status, body) = call(
            &app,
            "POST",
            &path,
            officer,
            Some(file(&o.market.to_string(), 1)),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let investigate = |investigators: &str| {
            json!({"action": "record_investigation", "on": "2026-02-03", "version": 2,
                "fields": {"investigators": investigators}})
        };
        let a = o.officers[0];
        let before = snapshot(db).await;
        let mut bad: Vec<(String, FieldProblem)> = vec![
            (foreign.clone(), FieldProblem::PersonOutOfScope),
            (
                format!("{a},{}", o.foreign_officers[0]),
                FieldProblem::PersonOutOfScope,
            ),
            (format!("{a},{gone}"), FieldProblem::NotInRegistry),
            (format!("{a},999999"), FieldProblem::NotInRegistry),
        ];
        for never in &NEVER_VALID[1..] {
            bad.push((format!("{a},{never}"), FieldProblem::InvalidReference));
        }
        for (investigators, problem) in &bad {
            let reply = call(
                &app,
                "POST",
                &path,
                officer,
                Some(investigate(investigators)),
            )
            .await;
            refused_json(
                db,
                &before,
                &format!("API investigators={investigators}"),
                &reply,
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_fields"),
                Some(("investigators", messages::field_problem(*problem))),
            )
            .await;
        }
        let own = joined(&o.officers[..2]);
        let (status, body) = call(&app, "POST", &path, officer, Some(investigate(&own))).await;
        assert_eq!(status, StatusCode::OK, "{body}");

        // The department's legal officer, through the API: the head who appeared in court must
        // be an active account of the department.
        let legal = token(db, "fazhi").await;
        let legal = Some(legal.as_str());
        let sifa = subject(db, "sifa").await;
        let lost = deactivated_account(db, o.market).await;
        let (status, opened) = call(&app, "POST", "/api/v1/cases", legal, Some(json!({
            "procedure": "litigation", "department_id": o.market, "on": "2026-02-23",
            "fields": {"plaintiff": "张某", "court": "示范市滨河区人民法院", "cause": "不服行政处罚决定",
                "served_date": "2026-02-20"}}))).await;
        assert_eq!(status, StatusCode::CREATED, "{opened}");
        let path = format!("/api/v1/cases/{}/actions", opened["id"]);
        let (status, body) = call(
            &app,
            "POST",
            &path,
            legal,
            Some(json!({"action": "file_defence",
            "on": "2026-02-24", "version": 1, "fields": {"defence_filed_date": "2026-02-24"}})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let hearing = |head: &str| {
            json!({"action": "record_hearing", "on": "2026-02-26", "version": 2, "fields": {
                "hearing_date": "2026-02-26", "head_appearance": "行政机关副职负责人出庭",
                "instance": "一审", "appearing_head": head}})
        };
        let before = snapshot(db).await;
        let mut bad: Vec<(String, FieldProblem)> = vec![
            (sifa.user_id.to_string(), FieldProblem::PersonOutOfScope),
            (lost.to_string(), FieldProblem::NotInRegistry),
            ("999999".into(), FieldProblem::NotInRegistry),
        ];
        for never in &NEVER_VALID[1..] {
            bad.push(((*never).to_owned(), FieldProblem::InvalidReference));
        }
        for (head, problem) in &bad {
            let reply = call(&app, "POST", &path, legal, Some(hearing(head))).await;
            refused_json(
                db,
                &before,
                &format!("API appearing_head={head}"),
                &reply,
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_fields"),
                Some(("appearing_head", messages::field_problem(*problem))),
            )
            .await;
        }
        let fazhi = subject(db, "fazhi").await;
        let (status, body) = call(
            &app,
            "POST",
            &path,
            legal,
            Some(hearing(&fazhi.user_id.to_string())),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        // The justice bureau's staff: a department that does not exist or is not in use.
        let bureau = token(db, "sifa").await;
        let bureau = Some(bureau.as_str());
        let reconsideration = |department_id: Value| {
            json!({"procedure": "reconsideration", "department_id": department_id, "on": "2026-02-26",
                "fields": {"applicant": "王某", "received_date": "2026-02-26", "posted_date": "2026-02-26",
                    "act_challenged": "罚款决定", "receipt_channel": "当面递交"}})
        };
        let before = snapshot(db).await;
        for department in [json!(closed), json!(999_999), json!(-1), json!(0)] {
            let reply = call(
                &app,
                "POST",
                "/api/v1/cases",
                bureau,
                Some(reconsideration(department.clone())),
            )
            .await;
            refused_json(
                db,
                &before,
                &format!("API sifa opens in {department}"),
                &reply,
                (StatusCode::FORBIDDEN, "forbidden"),
                None,
            )
            .await;
        }
        let (status, opened) = call(
            &app,
            "POST",
            "/api/v1/cases",
            bureau,
            Some(reconsideration(json!(o.justice))),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{opened}");
        let path = format!("/api/v1/cases/{}/actions", opened["id"]);
        let before = snapshot(db).await;
        for (respondent, problem) in [
            (closed.to_string(), FieldProblem::UnknownDepartment),
            ("999999".into(), FieldProblem::UnknownDepartment),
            ("-1".into(), FieldProblem::InvalidReference),
            (
                "99999999999999999999".into(),
                FieldProblem::InvalidReference,
            ),
        ] {
            let body = json!({"action": "accept", "on": "2026-03-02", "version": 1,
                "fields": {"respondent": respondent}});
            let reply = call(&app, "POST", &path, bureau, Some(body)).await;
            refused_json(
                db,
                &before,
                &format!("API respondent={respondent}"),
                &reply,
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_fields"),
                Some(("respondent", messages::field_problem(problem))),
            )
            .await;
        }
    }
);

/// A person form's fields with `department_id`.
fn person(department_id: &str) -> Vec<(&'static str, String)> {
    vec![
        ("department_id", department_id.to_owned()),
        ("name", "赵新人".to_owned()),
        ("position", "科员".to_owned()),
        ("phone", "".to_owned()),
    ]
}

fn form_of<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

db_test!(
    people_are_added_and_moved_only_into_departments_the_actor_manages,
    with_demo,
    |db| {
        let o = org(db).await;
        let closed = deactivated_department(db).await;
        let mut legal = signed_in(db, "fazhi").await;
        let denied = "无权";
        let required = messages::field_error("required");
        let before = snapshot(db).await;
        // A department of another department, or one that does not exist: not the officer's.
        for department in [
            o.other.to_string(),
            o.justice.to_string(),
            closed.to_string(),
            "999999".into(),
        ] {
            let reply = legal.post("/people", &form_of(&person(&department))).await;
            refused_page(
                db,
                &before,
                &format!("fazhi adds to {department}"),
                &reply,
                StatusCode::FORBIDDEN,
                denied,
            )
            .await;
        }
        // Not an id at all.
        for department in &NEVER_VALID[1..] {
            let reply = legal.post("/people", &form_of(&person(department))).await;
            refused_page(
                db,
                &before,
                &format!("fazhi adds to {department}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                required,
            )
            .await;
        }
        // Moving one of the department's people out of it.
        let own = db
            .store
            .list_people(
                Scope::Department(o.market),
                &fazhi_app::store::org::ListFilter {
                    page: 1,
                    per_page: 1,
                    ..Default::default()
                },
            )
            .await
            .expect("people")
            .items
            .remove(0);
        let path = format!("/people/{}", own.id);
        for department in [o.other.to_string(), closed.to_string(), "999999".into()] {
            let reply = legal.post(&path, &form_of(&person(&department))).await;
            refused_page(
                db,
                &before,
                &format!("fazhi moves to {department}"),
                &reply,
                StatusCode::FORBIDDEN,
                denied,
            )
            .await;
        }
        for department in &NEVER_VALID[1..] {
            let reply = legal.post(&path, &form_of(&person(department))).await;
            refused_page(
                db,
                &before,
                &format!("fazhi moves to {department}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                required,
            )
            .await;
        }
        // Editing a person of another department, even into the officer's own.
        let foreign = o.foreign_officers[0];
        let reply = legal
            .post(
                &format!("/people/{foreign}"),
                &form_of(&person(&o.market.to_string())),
            )
            .await;
        refused_page(
            db,
            &before,
            "fazhi edits another department's person",
            &reply,
            StatusCode::FORBIDDEN,
            denied,
        )
        .await;
        for (path, what) in [
            ("/people/999999".to_owned(), "a person who does not exist"),
            ("/people/-1".to_owned(), "a negative person"),
        ] {
            let reply = legal
                .post(&path, &form_of(&person(&o.market.to_string())))
                .await;
            refused_page(db, &before, what, &reply, StatusCode::NOT_FOUND, "").await;
        }

        // The justice bureau's staff may manage every department, but only one that exists and is
        // in use.
        let mut bureau = signed_in(db, "sifa").await;
        for (department, code) in [
            (closed.to_string(), "inactive_department"),
            ("999999".to_owned(), "unknown_department"),
            ("9223372036854775807".to_owned(), "unknown_department"),
        ] {
            let message = messages::field_error(code);
            let reply = bureau.post("/people", &form_of(&person(&department))).await;
            refused_page(
                db,
                &before,
                &format!("sifa adds to {department}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                message,
            )
            .await;
            let reply = bureau.post(&path, &form_of(&person(&department))).await;
            refused_page(
                db,
                &before,
                &format!("sifa moves to {department}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                message,
            )
            .await;
        }
        for department in &NEVER_VALID[1..] {
            let reply = bureau.post("/people", &form_of(&person(department))).await;
            refused_page(
                db,
                &before,
                &format!("sifa adds to {department}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                required,
            )
            .await;
        }
        // The controls: into the officer's own department, and a move by the bureau.
        let reply = legal
            .post("/people", &form_of(&person(&o.market.to_string())))
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let reply = bureau
            .post(&path, &form_of(&person(&o.other.to_string())))
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        assert_eq!(
            db.store
                .person(fazhi_app::store::Reach::EVERYTHING, own.id)
                .await
                .expect("person")
                .department_id,
            o.other
        );
    }
);

db_test!(
    certificates_are_recorded_only_for_active_people_the_actor_manages,
    with_demo,
    |db| {
        let o = org(db).await;
        let gone = deactivated_person(db, o.market).await;
        let closed = deactivated_department(db).await;
        let in_closed = db
            .store
            .list_people(
                Scope::Department(closed),
                &fazhi_app::store::org::ListFilter {
                    page: 1,
                    per_page: 1,
                    ..Default::default()
                },
            )
            .await
            .expect("people")
            .items
            .remove(0)
            .id;
        let mut legal = signed_in(db, "fazhi").await;
        let record = |person: &str, number: &str| {
            vec![
                ("person_id", person.to_owned()),
                ("number", number.to_owned()),
                ("field_of_law", "市场监管".to_owned()),
                ("valid_from", "2026-01-01".to_owned()),
                ("valid_until", "2028-12-31".to_owned()),
            ]
        };
        let unknown = messages::certificate_error("unknown_person");
        let before = snapshot(db).await;
        for person in [o.foreign_officers[0], in_closed] {
            let reply = legal
                .post(
                    "/certificates",
                    &form_of(&record(&person.to_string(), "REF-1")),
                )
                .await;
            refused_page(
                db,
                &before,
                &format!("fazhi certifies {person}"),
                &reply,
                StatusCode::FORBIDDEN,
                "无权",
            )
            .await;
        }
        let gone_text = gone.to_string();
        let mut people: Vec<&str> = NEVER_VALID.to_vec();
        people.push(&gone_text);
        for person in people {
            let reply = legal
                .post("/certificates", &form_of(&record(person, "REF-1")))
                .await;
            refused_page(
                db,
                &before,
                &format!("fazhi certifies {person}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                unknown,
            )
            .await;
        }
        // Revoking another department's certificate.
        let foreign_certificate = db
            .store
            .count_raw(&format!(
                "SELECT MIN(id) FROM officer_certificates WHERE person_id = {}",
                o.foreign_officers[0]
            ))
            .await
            .expect("certificate");
        let reply = legal
            .post(
                &format!("/certificates/{foreign_certificate}/revoke"),
                &[("reason", "调离")],
            )
            .await;
        refused_page(
            db,
            &before,
            "fazhi revokes another department's certificate",
            &reply,
            StatusCode::FORBIDDEN,
            "无权",
        )
        .await;
        let reply = legal
            .post("/certificates/999999/revoke", &[("reason", "调离")])
            .await;
        refused_page(
            db,
            &before,
            "a certificate that does not exist",
            &reply,
            StatusCode::NOT_FOUND,
            "",
        )
        .await;

        // The import, by the justice bureau's staff: every holder must exist and be active.
        let mut bureau = signed_in(db, "sifa").await;
        let header = "人员编号,证件号,执法领域,有效期起,有效期止\n";
        for holder in NEVER_VALID.iter().copied().chain([gone_text.as_str()]) {
            let csv = format!(
                "{header}{},IMP-A,市场监管,2026-01-01,2028-12-31\n{holder},IMP-B,市场监管,2026-01-01,2028-12-31\n",
                o.officers[0]
            );
            let reply = bureau
                .post_multipart(
                    "/certificates/import",
                    &[],
                    "file",
                    "证件.csv",
                    "text/csv",
                    csv.as_bytes(),
                )
                .await;
            refused_page(
                db,
                &before,
                &format!("import holder {holder}"),
                &reply,
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("第 3 行，姓名/人员编号：{unknown}"),
            )
            .await;
        }
        // The controls.
        let reply = legal
            .post(
                "/certificates",
                &form_of(&record(&o.officers[0].to_string(), "REF-1")),
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let csv = format!(
            "{header}{},IMP-A,市场监管,2026-01-01,2028-12-31\n",
            o.foreign_officers[0]
        );
        let reply = bureau
            .post_multipart(
                "/certificates/import",
                &[],
                "file",
                "证件.csv",
                "text/csv",
                csv.as_bytes(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }
);

db_test!(
    registry_entries_are_only_for_people_who_exist_and_are_active,
    with_demo,
    |db| {
        let o = org(db).await;
        let gone = deactivated_person(db, o.market).await;
        let mut bureau = signed_in(db, "sifa").await;
        let entry = [("registry", "mediators"), ("note", "")];
        let before = snapshot(db).await;
        let reply = bureau
            .post(&format!("/people/{gone}/registries"), &entry)
            .await;
        refused_page(
            db,
            &before,
            "a deactivated person",
            &reply,
            StatusCode::UNPROCESSABLE_ENTITY,
            messages::registries::error("inactive_person"),
        )
        .await;
        for id in ["999999", "-1", "0"] {
            let reply = bureau
                .post(&format!("/people/{id}/registries"), &entry)
                .await;
            refused_page(
                db,
                &before,
                &format!("person {id}"),
                &reply,
                StatusCode::NOT_FOUND,
                "",
            )
            .await;
        }
        // The department's legal officer keeps no registry, not even for the department's people.
        let mut legal = signed_in(db, "fazhi").await;
        let own = o.officers[0];
        let reply = legal
            .post(&format!("/people/{own}/registries"), &entry)
            .await;
        refused_page(
            db,
            &before,
            "fazhi adds a registry entry",
            &reply,
            StatusCode::FORBIDDEN,
            "无权",
        )
        .await;
        // The control: a person of any department, by the bureau.
        let reply = bureau
            .post(
                &format!("/people/{}/registries", o.foreign_officers[0]),
                &entry,
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }
);

db_test!(
    accounts_belong_only_to_departments_that_exist_and_are_in_use,
    with_demo,
    |db| {
        let o = org(db).await;
        let closed = deactivated_department(db).await;
        let mut admin = signed_in(db, "admin").await;
        let account = |role: &str, department: &str| {
            vec![
                ("username", "new.officer".to_owned()),
                ("display_name", "孙新".to_owned()),
                ("role", role.to_owned()),
                ("department_id", department.to_owned()),
                ("password", "a long enough password".to_owned()),
            ]
        };
        let before = snapshot(db).await;
        for role in ["officer", "department_legal", "leader", "justice_staff"] {
            for (department, code) in [
                (closed.to_string(), "unknown_department"),
                ("999999".to_owned(), "unknown_department"),
                ("9223372036854775807".to_owned(), "unknown_department"),
            ] {
                let reply = admin
                    .post("/accounts", &form_of(&account(role, &department)))
                    .await;
                refused_page(
                    db,
                    &before,
                    &format!("{role} in {department}"),
                    &reply,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    messages::field_error(code),
                )
                .await;
            }
        }
        // Not an id: refused for every role, also those that need no department (the form does
        // not drop what was typed).
        for role in [
            "officer",
            "department_legal",
            "leader",
            "justice_staff",
            "admin",
        ] {
            for department in &NEVER_VALID[1..] {
                let reply = admin
                    .post("/accounts", &form_of(&account(role, department)))
                    .await;
                assert_eq!(
                    reply.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{role} in {department}"
                );
                refused_page(
                    db,
                    &before,
                    &format!("{role} in {department}"),
                    &reply,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "部门",
                )
                .await;
            }
        }
        // The control.
        let reply = admin
            .post(
                "/accounts",
                &form_of(&account("officer", &o.other.to_string())),
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let created = db
            .store
            .user_by_username("new.officer")
            .await
            .expect("read")
            .expect("created");
        assert_eq!(
            (created.role, created.department_id),
            (Role::Officer, Some(o.other))
        );
    }
);

/// Every submitted indicator with a value.
fn complete_submission() -> Vec<(String, String)> {
    let procedures = fazhi_app::procedure::load_embedded().expect("definitions");
    let catalogue = fazhi_app::indicators::Catalogue::embedded(&procedures).expect("catalogue");
    catalogue
        .submitted()
        .map(|i| (format!("value.{}", i.id), "10".to_owned()))
        .collect()
}

db_test!(
    figures_are_submitted_only_for_the_actors_departments_in_use,
    with_demo,
    |db| {
        let o = org(db).await;
        let closed = deactivated_department(db).await;
        let fields = complete_submission();
        let form: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let mut legal = signed_in(db, "fazhi").await;
        let before = snapshot(db).await;
        for department in [
            o.other.to_string(),
            closed.to_string(),
            "999999".into(),
            "-1".into(),
            "0".into(),
        ] {
            let path = format!("/submissions/{department}/2025");
            let reply = legal.post(&path, &form).await;
            refused_page(
                db,
                &before,
                &format!("fazhi submits for {department}"),
                &reply,
                StatusCode::FORBIDDEN,
                "无权",
            )
            .await;
            let reply = legal
                .post_multipart(
                    &format!("{path}/upload"),
                    &[],
                    "file",
                    "填报.xlsx",
                    "application/octet-stream",
                    b"PK",
                )
                .await;
            refused_page(
                db,
                &before,
                &format!("fazhi uploads for {department}"),
                &reply,
                StatusCode::FORBIDDEN,
                "无权",
            )
            .await;
            let reply = legal.get(&format!("{path}/template.xlsx")).await;
            assert_eq!(
                reply.status,
                StatusCode::FORBIDDEN,
                "template of {department}"
            );
        }
        // The justice bureau's staff submit for any department that exists and is in use.
        let mut bureau = signed_in(db, "sifa").await;
        for department in ["999999", "9223372036854775807"] {
            let reply = bureau
                .post(&format!("/submissions/{department}/2025"), &form)
                .await;
            refused_page(
                db,
                &before,
                &format!("sifa submits for {department}"),
                &reply,
                StatusCode::NOT_FOUND,
                "",
            )
            .await;
        }
        let path = format!("/submissions/{closed}/2025");
        let reply = bureau.post(&path, &form).await;
        refused_page(
            db,
            &before,
            "sifa submits for a deactivated department",
            &reply,
            StatusCode::UNPROCESSABLE_ENTITY,
            "停用",
        )
        .await;
        let reply = bureau
            .post_multipart(
                &format!("{path}/upload"),
                &[],
                "file",
                "填报.xlsx",
                "application/octet-stream",
                b"PK",
            )
            .await;
        refused_page(
            db,
            &before,
            "sifa uploads for a deactivated department",
            &reply,
            StatusCode::UNPROCESSABLE_ENTITY,
            "停用",
        )
        .await;
        // The controls.
        let reply = legal
            .post(&format!("/submissions/{}/2025", o.market), &form)
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let reply = bureau
            .post(&format!("/submissions/{}/2025", o.other), &form)
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }
);

db_test!(
    department_filters_show_a_scoped_role_nothing_of_other_departments,
    with_demo,
    |db| {
        let o = org(db).await;
        let mut legal = signed_in(db, "fazhi").await;
        // A case of the other department, opened by its officer.
        let foreign_officer = db
            .store
            .list_users()
            .await
            .expect("accounts")
            .into_iter()
            .find(|u| u.role == Role::Officer && u.department_id == Some(o.other))
            .expect("an officer of the other department");
        let foreign_token = token(db, &foreign_officer.username).await;
        let (status, opened) = call(
            &TestApp::new(&db.store),
            "POST",
            "/api/v1/cases",
            Some(&foreign_token),
            Some(
                json!({"procedure": "penalty", "department_id": o.other, "on": "2026-02-02",
                "fields": {"case_cause": "未批先建"}}),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{opened}");
        let foreign_number = opened["number"].as_str().expect("number").to_owned();
        let other_people = db
            .store
            .list_people(
                Scope::Department(o.other),
                &fazhi_app::store::org::ListFilter {
                    page: 1,
                    per_page: 200,
                    ..Default::default()
                },
            )
            .await
            .expect("people")
            .items;
        let other_name = db
            .store
            .department(fazhi_app::store::Reach::EVERYTHING, o.other)
            .await
            .expect("department")
            .name;
        let procedures = fazhi_app::procedure::load_embedded().expect("definitions");
        let catalogue = fazhi_app::indicators::Catalogue::embedded(&procedures).expect("catalogue");
        let indicator = catalogue
            .indicators
            .first()
            .expect("an indicator")
            .id
            .clone();
        let before = snapshot(db).await;
        for department in [
            o.other.to_string(),
            o.justice.to_string(),
            "999999".into(),
            "-1".into(),
            "0".into(),
        ] {
            for path in [
                format!("/statistics?department={department}"),
                format!("/statistics?year=2025&department={department}"),
                format!("/statistics/2025/{indicator}?department={department}"),
                format!("/departments/{department}"),
            ] {
                let reply = legal.get(&path).await;
                refused_page(db, &before, &path, &reply, StatusCode::FORBIDDEN, "无权").await;
            }
            if department.parse::<i64>().is_ok_and(|d| d > 0) {
                for path in [
                    format!("/people?department={department}"),
                    format!("/people/new?department={department}"),
                ] {
                    let reply = legal.get(&path).await;
                    refused_page(db, &before, &path, &reply, StatusCode::FORBIDDEN, "无权").await;
                }
            }
        }
        for department in ["abc", "99999999999999999999"] {
            let path = format!("/statistics?department={department}");
            let reply = legal.get(&path).await;
            refused_page(db, &before, &path, &reply, StatusCode::BAD_REQUEST, "部门").await;
            let path = format!("/statistics/2025/{indicator}?department={department}");
            let reply = legal.get(&path).await;
            refused_page(db, &before, &path, &reply, StatusCode::BAD_REQUEST, "部门").await;
        }
        // Filters that are not ids show the officer's own department, never another's.
        for department in ["-1", "0", "abc", "99999999999999999999", ""] {
            for path in [
                format!("/people?department={department}"),
                format!("/cases/penalty?department={department}"),
            ] {
                let reply = legal.get(&path).await;
                assert_eq!(reply.status, StatusCode::OK, "{path}");
                for person in &other_people {
                    assert!(
                        !reply.body.contains(&format!("/people/{}\"", person.id)),
                        "{path} shows {}",
                        person.name
                    );
                }
                assert!(!reply.body.contains(&foreign_number), "{path}");
            }
        }
        // The filtered lists show the other department's people and cases to those who may see
        // them, and not to the officer.
        let mut bureau = signed_in(db, "sifa").await;
        let path = format!("/cases/penalty?department={}", o.other);
        assert!(bureau.get(&path).await.body.contains(&foreign_number));
        let reply = legal.get(&path).await;
        assert!(
            reply.status == StatusCode::OK || reply.status == StatusCode::FORBIDDEN,
            "{path}"
        );
        assert!(!reply.body.contains(&foreign_number), "{path}");
        let first = other_people
            .first()
            .expect("people of the other department");
        let path = format!("/people?department={}", o.other);
        assert!(
            bureau
                .get(&path)
                .await
                .body
                .contains(&format!("/people/{}\"", first.id))
        );
        let reply = legal.get(&path).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
        assert!(
            !reply.body.contains(&format!("/people/{}\"", first.id)),
            "{path}"
        );
        assert!(!reply.body.contains(&other_name), "{path}");
        assert_eq!(snapshot(db).await, before);
    }
);

// The person and department ids in paths of the routes above (a case id in a path is the case
// pages' and the API's own matter).
db_test!(
    ids_in_paths_that_are_not_ids_are_refused_in_chinese,
    with_demo,
    |db| {
        let o = org(db).await;
        let mut bureau = signed_in(db, "sifa").await;
        let market = o.market.to_string();
        let fields = complete_submission();
        let figures: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let before = snapshot(db).await;
        for id in [
            "abc",
            "9223372036854775808",
            "99999999999999999999",
            "1.5",
            "%E4%B8%80",
        ] {
            for (path, form) in [
                (format!("/people/{id}"), person(&market)),
                (format!("/people/{id}/deactivate"), Vec::new()),
                (
                    format!("/people/{id}/registries"),
                    owned(&[("registry", "mediators")]),
                ),
                (
                    format!("/certificates/{id}/revoke"),
                    owned(&[("reason", "调离")]),
                ),
            ] {
                let reply = bureau.post(&path, &form_of(&form)).await;
                refused_page(db, &before, &path, &reply, StatusCode::NOT_FOUND, "").await;
            }
            let path = format!("/submissions/{id}/2025");
            let reply = bureau.post(&path, &figures).await;
            refused_page(db, &before, &path, &reply, StatusCode::NOT_FOUND, "").await;
            let path = format!("/submissions/{id}/2025/upload");
            let reply = bureau
                .post_multipart(
                    &path,
                    &[],
                    "file",
                    "填报.xlsx",
                    "application/octet-stream",
                    b"PK",
                )
                .await;
            refused_page(db, &before, &path, &reply, StatusCode::NOT_FOUND, "").await;
        }
    }
);
