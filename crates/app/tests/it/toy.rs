//! A procedure the application has never seen, given only as TOML
//! (`crates/procedure/tests/fixtures/toy_permit.toml`, a fictional 许可), served beside the shipped
//! ones: opened from the generated form, acted on through the pages and the JSON API, refused
//! beside the form, its deemed acceptance shown in the history, and counted by indicators added to
//! the catalogue — with no Rust written for it. Fixed clock: Monday 2026-03-02; 春节 2026 is 15–23
//! February off, Saturdays 14 and 28 February working days.

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use fazhi_app::authz::Scope;
use fazhi_app::indicators::Catalogue;
use fazhi_app::indicators::compute::compute;
use fazhi_app::procedure::{Procedure, parse_definition};
use fazhi_app::web::{self, AppState, WebConfig};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use time::macros::date;
use tower::ServiceExt;

use crate::db_test;
use crate::support::{TestApp, TestDb};

const DEFINITION: &str = include_str!("../../../procedure/tests/fixtures/toy_permit.toml");

/// Indicators of the toy procedure, added to the shipped catalogue.
const INDICATORS: &str = r#"

[[indicators]]
id = "toy.applications"
label = "示例许可申请"
unit = "件"
area = "enforcement"
source = "opened"
procedure = "toy_permit"
compare = "change"
definition = "本年度登记的示例许可申请件数（按登记日期）。"

[[indicators]]
id = "toy.approvals"
label = "准予示例许可"
unit = "件"
area = "enforcement"
source = "steps"
procedure = "toy_permit"
actions = ["approve"]
part_of = "toy.applications"
compare = "change"
definition = "本年度作出准予许可决定的件数（“准予许可”步骤，按办理日期；示例许可法第二十一条第一款）。"

[[indicators]]
id = "toy.ordinary"
label = "适用普通程序受理的示例许可申请"
unit = "件"
area = "enforcement"
source = "field"
procedure = "toy_permit"
actions = ["accept"]
field = "procedure_kind"
values = ["普通程序"]
compare = "change"
definition = "本年度受理时适用普通程序的件数（“受理”步骤的适用程序，按办理日期）。"

[[indicators]]
id = "toy.fees"
label = "示例许可申请费"
unit = "元"
area = "enforcement"
source = "steps"
procedure = "toy_permit"
actions = ["accept"]
amount = true
compare = "change"
definition = "本年度受理时收取的申请费合计（示例许可法第十三条）。"

[[indicators]]
id = "toy.approval_rate"
label = "示例许可准予率"
unit = "%"
area = "enforcement"
source = "ratio"
numerator = "toy.approvals"
denominator = "toy.applications"
compare = "points"
definition = "准予示例许可件数 ÷ 示例许可申请件数 × 100%。"
"#;

fn toy() -> Procedure {
    parse_definition(
        Path::new("crates/procedure/tests/fixtures/toy_permit.toml"),
        DEFINITION,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// The catalogue with the toy's indicators, checked against the procedures served.
fn catalogue(procedures: &[Procedure]) -> Catalogue {
    let text = format!("{}{INDICATORS}", fazhi_app::indicators::EMBEDDED);
    Catalogue::parse(&text, procedures).unwrap_or_else(|e| panic!("{e}"))
}

/// A test client whose application serves the shipped definitions plus the toy, and the
/// catalogue with the toy's indicators.
fn toy_app(db: &TestDb) -> TestApp {
    let mut app = TestApp::new(&db.store);
    let mut procedures = fazhi_app::procedure::load_embedded().expect("definitions");
    procedures.push(toy());
    let mut state = AppState::new(
        db.store.clone(),
        app.clock.clone(),
        WebConfig::default(),
        procedures,
        Arc::new(fazhi_app::deadlines::OfficialCalendar::load().expect("calendar")),
        None,
    )
    .expect("the shipped catalogue still loads");
    state.catalogue = Arc::new(catalogue(&state.procedures));
    app.router = web::router(state);
    app
}

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
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

fn case_id(location: Option<&str>) -> i64 {
    location
        .expect("redirect")
        .trim_start_matches("/case/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("numeric id")
}

/// The action form `action` of a case page, up to the next form.
fn action_form<'a>(page: &'a str, action: &str) -> &'a str {
    page.split(&format!("id=\"action-{action}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no form for {action}"))
        .split("<details")
        .next()
        .unwrap_or_default()
}

async fn token_for(db: &TestDb, username: &str) -> String {
    let user = db
        .store
        .user_by_username(username)
        .await
        .expect("read")
        .expect("demo user");
    let token = format!("{username}-toy-token-0123456789");
    db.store
        .create_api_token(user.id, &token, "toy", "2026-03-02T01:00:00Z")
        .await
        .expect("token");
    token
}

#[test]
fn the_toy_indicators_are_refused_against_the_shipped_definitions_alone() {
    // The catalogue check knows the toy only because it is served: without it, the indicators
    // name an unknown procedure.
    let shipped = fazhi_app::procedure::load_embedded().expect("definitions");
    let text = format!("{}{INDICATORS}", fazhi_app::indicators::EMBEDDED);
    let error = Catalogue::parse(&text, &shipped).expect_err("unknown procedure");
    assert!(
        error.reason.contains("unknown procedure toy_permit"),
        "{error}"
    );
    let mut with_toy = shipped;
    with_toy.push(toy());
    let catalogue = catalogue(&with_toy);
    assert!(catalogue.get("toy.approval_rate").is_some());
    // A misspelt action of the toy is caught like one of a shipped procedure.
    let text = text.replace("actions = [\"approve\"]", "actions = [\"approval\"]");
    let error = Catalogue::parse(&text, &with_toy).expect_err("unknown action");
    assert!(
        error
            .reason
            .contains("unknown action approval of toy_permit"),
        "{error}"
    );
}

db_test!(
    a_toy_permit_runs_through_the_pages_the_api_and_the_indicators,
    with_demo,
    |db| {
        let mut app = toy_app(db);
        let market = app
            .store
            .active_departments(Scope::All)
            .await
            .expect("departments")
            .into_iter()
            .find(|d| d.name.ends_with("市场监督管理局"))
            .expect("market")
            .id;
        let officer = db
            .store
            .user_by_username("zhifa")
            .await
            .expect("read")
            .expect("demo");
        let officers = app
            .store
            .certified_officers(market, date!(2026 - 03 - 02))
            .await
            .expect("officers");
        assert!(
            officers.len() >= 2,
            "the demo certifies enforcement officers"
        );
        let (first, second) = (
            officers[0].person_id.to_string(),
            officers[1].person_id.to_string(),
        );

        // The generated pages: the procedure is listed, its opening form asks its fields.
        app.login_demo("zhifa").await;
        assert!(app.get("/cases").await.body.contains("示例许可"));
        let form = app.get("/cases/toy_permit/new").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.body.contains("申请许可事项") && form.body.contains("申请人类别"),
            "{}",
            form.body
        );
        let opening = |received: &'static str| {
            vec![
                ("department_id", market.to_string()),
                ("on", "2026-02-27".to_owned()),
                ("subject", "食品经营许可".to_owned()),
                ("applicant", "王某".to_owned()),
                ("applicant_kind", "公民".to_owned()),
                ("received_date", received.to_owned()),
            ]
        };
        // The opening guard: received after the registration.
        let late = opening("2026-02-28");
        let late: Vec<(&str, &str)> = late.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = app.post("/cases/toy_permit", &late).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("收到申请日期不能晚于登记日期")
                && refused.body.contains("示例许可法第十条"),
            "{}",
            refused.body
        );
        let fields = opening("2026-02-27");
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let opened = app.post("/cases/toy_permit", &fields).await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
        let id = case_id(opened.location.as_deref());
        let page = app.get(&format!("/case/{id}")).await;
        assert!(page.body.contains("许-2026-"), "its own number prefix");
        // Five working days from Friday 27 February: Saturday 28 (调休上班), 2–5 March.
        assert!(
            page.body.contains("受理审查期限") && page.body.contains("2026-03-05"),
            "{}",
            page.body
        );
        assert!(page.body.contains("id=\"action-accept\""));

        // A step from the web form, refused beside it (a citizen pays at most 50 yuan), then taken.
        let reviewer = officer.id.to_string();
        let accept = |fee: &'static str| {
            vec![
                ("action", "accept"),
                ("version", "1"),
                ("on", "2026-03-02"),
                ("acceptance_date", "2026-03-02"),
                ("procedure_kind", "普通程序"),
                ("reviewers", reviewer.as_str()),
                ("fee", fee),
            ]
        };
        let refused = app.post(&format!("/case/{id}/act"), &accept("60")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let beside = action_form(&refused.body, "accept");
        assert!(
            beside.contains("alert error")
                && beside.contains("申请费超过法定标准")
                && beside.contains("依据：示例许可法第十三条"),
            "{beside}"
        );
        assert_eq!(
            app.store.case_steps(id).await.expect("steps").len(),
            1,
            "nothing recorded"
        );
        let accepted = app.post(&format!("/case/{id}/act"), &accept("30")).await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
        // Twenty working days from 2 March: 30 March.
        let page = app.get(&format!("/case/{id}")).await;
        assert!(
            page.body.contains("许可决定期限") && page.body.contains("2026-03-30"),
            "{}",
            page.body
        );

        // Steps through the API, as the department's legal officer.
        let legal = token_for(db, "fazhi").await;
        let actions = format!("/api/v1/cases/{id}/actions");
        let inspect = |who: String| {
            json!({"action": "inspect", "on": "2026-03-02", "version": 2,
            "fields": {"inspectors": who, "inspection_date": "2026-03-02"}})
        };
        let (status, body) =
            call(&app, "POST", &actions, &legal, Some(inspect(first.clone()))).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("registry_count")),
            "{body}"
        );
        assert_eq!(body["article"].as_str(), Some("示例许可法第十四条"));
        assert!(
            body["message"]
                .as_str()
                .unwrap_or_default()
                .contains("两名以上"),
            "{body}"
        );
        let (status, body) = call(
            &app,
            "POST",
            &actions,
            &legal,
            Some(inspect(format!("{first},{second}"))),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let approve = |conformity: &str| {
            json!({"action": "approve", "on": "2026-03-02", "version": 3,
            "fields": {"conformity": conformity, "decision_date": "2026-03-02", "permit_number": "JY-2026-007"}})
        };
        let (status, body) = call(
            &app,
            "POST",
            &actions,
            &legal,
            Some(approve("不符合法定条件、标准")),
        )
        .await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("field_in")),
            "{body}"
        );
        let (status, body) = call(
            &app,
            "POST",
            &actions,
            &legal,
            Some(approve("符合法定条件、标准")),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, case) = call(&app, "GET", &format!("/api/v1/cases/{id}"), &legal, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (case["state"].as_str(), case["outcome"].as_str()),
            (Some("approved"), Some("approved")),
            "{case}"
        );
        assert_eq!(case["steps"].as_array().map(Vec::len), Some(4));
        assert_eq!(case["timers"].as_array().map(Vec::len), Some(0), "{case}");

        // A second application, opened through the API and left unanswered: deemed accepted on
        // the fifth working day after 13 February (14, 24, 25, 26, 27 February).
        let own = token_for(db, "zhifa").await;
        let (status, opened) = call(&app, "POST", "/api/v1/cases", &own, Some(json!({"procedure": "toy_permit",
            "department_id": market, "on": "2026-02-13", "fields": {"subject": "公共场所卫生许可", "applicant": "某公司",
            "applicant_kind": "法人或者其他组织", "received_date": "2026-02-13"}}))).await;
        assert_eq!(status, StatusCode::CREATED, "{opened}");
        let second_id = opened["id"].as_i64().expect("id");
        let (_, listed) = call(
            &app,
            "GET",
            "/api/v1/cases?procedure=toy_permit",
            &own,
            None,
        )
        .await;
        assert_eq!(listed["total"].as_i64(), Some(2), "{listed}");
        let page = app.get(&format!("/case/{second_id}")).await;
        assert!(
            page.body.contains("视为受理（依法视为办理）") && page.body.contains("2026-02-27"),
            "{}",
            page.body
        );
        // The stored projection counts the decision from the deemed day: 26 March.
        let (_, case) = call(
            &app,
            "GET",
            &format!("/api/v1/cases/{second_id}"),
            &own,
            None,
        )
        .await;
        let timers = case["timers"].as_array().cloned().unwrap_or_default();
        assert!(
            timers
                .iter()
                .any(|t| t["timer"] == "decision_deemed" && t["due_on"] == "2026-03-26"),
            "{case}"
        );

        // The indicators count the toy's records.
        let catalogue = catalogue(&{
            let mut p = fazhi_app::procedure::load_embedded().expect("definitions");
            p.push(toy());
            p
        });
        let figures = compute(
            &db.store,
            &catalogue,
            fazhi_app::indicators::Extent::EVERYTHING,
            2026,
            "2026-03-02T01:00:00Z",
        )
        .await
        .expect("compute");
        let value = |id: &str| figures.value(id).map(|v| v.normalize().to_string());
        assert_eq!(value("toy.applications").as_deref(), Some("2"));
        assert_eq!(value("toy.approvals").as_deref(), Some("1"));
        assert_eq!(value("toy.ordinary").as_deref(), Some("1"));
        assert_eq!(value("toy.fees").as_deref(), Some("30"));
        assert_eq!(value("toy.approval_rate").as_deref(), Some("50"));
        assert_eq!(
            figures
                .department_value(market, "toy.approvals")
                .map(|v| v.to_string())
                .as_deref(),
            Some("1")
        );

        // And the statistics pages show them, with the records behind a figure.
        let mut leader = toy_app(db);
        leader.login_demo("lingdao").await;
        let overview = leader.get("/statistics?year=2026").await;
        assert_eq!(overview.status, StatusCode::OK);
        assert!(
            overview.body.contains("准予示例许可") && overview.body.contains("示例许可准予率"),
            "{}",
            overview.body
        );
        let figure = leader.get("/statistics/2026/toy.approvals").await;
        assert_eq!(figure.status, StatusCode::OK);
        assert!(figure.body.contains("所依据的记录（1）"), "{}", figure.body);
    }
);
