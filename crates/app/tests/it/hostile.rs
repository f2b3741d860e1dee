//! Hostile input through the router, on both databases: random and hostile values (huge
//! numbers, impossible dates, control and direction characters, markup, SQL, very long text,
//! ids that do not exist) posted to the opening and to every action of every shipped procedure,
//! mixed with plausible values so that cases also move on and later steps are reached. After
//! every request:
//! - no 5xx;
//! - a refusal stores nothing (cases, steps, events and the log's size unchanged);
//! - every message shown (alerts, field errors) is Chinese and no English parser error leaks;
//!
//! and at the end the whole log verifies.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use fazhi_app::authz::Scope;
use fazhi_app::procedure::{FieldKind, Procedure, load_embedded};
use fazhi_app::store::Store;
use fazhi_app::store::org::ListFilter;
use fazhi_ledger::Signer;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

use crate::db_test;
use crate::support::{Reply, TestApp};

/// Values that broke or could break a parser, a column or a page.
fn hostile() -> Vec<String> {
    let mut values: Vec<String> = [
        "",
        " ",
        "0",
        "-1",
        "-0.01",
        "999999",
        "99999999999999999999",
        "92233720368547758.07",
        "9223372036854775807",
        "1e309",
        "NaN",
        "１２３",
        "0000-00-00",
        "0000-01-01",
        "1900-01-01",
        "9999-12-31",
        "2025-02-30",
        "2025-13-01",
        "20250301",
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "' OR 1=1 --",
        "'); DROP TABLE cases; --",
        "\u{202e}fdp.exe",
        "a\u{0}b",
        "a\r\nb",
        "\u{feff}",
        "../../etc/passwd",
        "%FF%FE",
        "是",
        "否",
        "true",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    values.push("法".repeat(20_000));
    values.push("9".repeat(400));
    values
}

/// A plausible value of `kind`, so that some steps are taken and later ones reached.
fn plausible(kind: &FieldKind, on: &str, department: i64, people: &[i64], pick: usize) -> String {
    match kind {
        FieldKind::Text | FieldKind::Party => {
            ["某某超市", "张某", "《食品安全法》第一百二十四条"][pick % 3].to_owned()
        }
        FieldKind::Date => on.to_owned(),
        FieldKind::Money => ["500", "5000.50", "0"][pick % 3].to_owned(),
        FieldKind::Number => (pick % 5).to_string(),
        FieldKind::Bool => ["是", "否"][pick % 2].to_owned(),
        FieldKind::Enum(options) => options
            .get(pick % options.len().max(1))
            .cloned()
            .unwrap_or_default(),
        FieldKind::Department => department.to_string(),
        FieldKind::Person(_) => {
            let a = people.get(pick % people.len().max(1)).copied().unwrap_or(1);
            let b = people
                .get((pick + 1) % people.len().max(1))
                .copied()
                .unwrap_or(1);
            if a == b {
                a.to_string()
            } else {
                format!("{a},{b}")
            }
        }
        FieldKind::Document => "0".repeat(64),
    }
}

/// One field's value: plausible, hostile, or arbitrary text.
fn value_strategy(plausible: String) -> BoxedStrategy<String> {
    prop_oneof![
        4 => Just(plausible),
        3 => proptest::sample::select(hostile()),
        1 => any::<String>(),
        1 => "[0-9]{1,25}(\\.[0-9]{1,4})?",
    ]
    .boxed()
}

/// The demo account that may act as one of `roles`.
fn account_for(roles: &[fazhi_app::domain::Role]) -> Option<&'static str> {
    fazhi_app::demo::DEMO_ACCOUNTS
        .iter()
        .find(|account| roles.contains(&account.2))
        .map(|account| account.0)
}

async fn counts(store: &Store) -> (i64, i64, i64, u64) {
    (
        store
            .count_raw("SELECT COUNT(*) FROM cases")
            .await
            .expect("count"),
        store
            .count_raw("SELECT COUNT(*) FROM case_steps")
            .await
            .expect("count"),
        store.count_events().await.expect("count"),
        store
            .ledger_size(fazhi_app::store::ROOT_JURISDICTION)
            .await
            .expect("size"),
    )
}

/// The texts of every alert and field error on a page.
fn messages(body: &str) -> Vec<String> {
    let mut found = Vec::new();
    for marker in ["role=\"alert\"", "class=\"field-error\""] {
        let mut rest = body;
        while let Some(at) = rest.find(marker) {
            rest = &rest[at + marker.len()..];
            let Some(open) = rest.find('>') else { break };
            let text = &rest[open + 1..];
            let end = text.find("</").unwrap_or(text.len());
            found.push(text[..end].to_owned());
            rest = &text[end..];
        }
    }
    found
}

fn is_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Checks one reply against the four properties; `before` are the counts before the request.
async fn check(store: &Store, what: &str, reply: &Reply, before: (i64, i64, i64, u64)) -> bool {
    assert!(
        reply.status.as_u16() < 500,
        "{what}: {} {}",
        reply.status,
        reply.body.chars().take(400).collect::<String>()
    );
    let succeeded = reply.status == StatusCode::SEE_OTHER;
    if !succeeded {
        assert_eq!(
            counts(store).await,
            before,
            "{what}: a refusal stored something"
        );
        for message in messages(&reply.body) {
            assert!(
                is_chinese(&message),
                "{what}: message not in Chinese: {message:?}"
            );
        }
        for english in [
            "Failed to",
            "Invalid URL",
            "Cannot parse",
            "missing field",
            "deserialize",
        ] {
            assert!(
                !reply.body.contains(english),
                "{what}: English error {english:?}"
            );
        }
    }
    succeeded
}

async fn people_of(store: &Store, department: i64) -> Vec<i64> {
    let filter = ListFilter {
        department_id: Some(department),
        page: 1,
        per_page: 20,
        ..ListFilter::default()
    };
    store
        .list_people(Scope::All, &filter)
        .await
        .expect("people")
        .items
        .iter()
        .map(|p| p.id)
        .collect()
}

async fn run_procedure(
    db_store: &Store,
    procedure: &Procedure,
    runner: &mut TestRunner,
    rounds: usize,
) -> (usize, usize) {
    let (mut sent, mut taken) = (0, 0);
    let Some(opener) = account_for(&procedure.opened_by) else {
        return (sent, taken);
    };
    let mut app = TestApp::new(db_store);
    app.login_demo(opener).await;
    let account = fazhi_app::demo::DEMO_ACCOUNTS
        .iter()
        .find(|a| a.0 == opener)
        .expect("account");
    let user = db_store
        .user_by_username(account.0)
        .await
        .expect("user")
        .expect("exists");
    let department = user.department_id.unwrap_or(1);
    let people = people_of(db_store, department).await;
    let on = "2026-03-02";
    let picks = std::cell::Cell::new(0usize);
    let next_value = |runner: &mut TestRunner, kind: &FieldKind| {
        picks.set(picks.get() + 1);
        value_strategy(plausible(kind, on, department, &people, picks.get()))
            .new_tree(runner)
            .expect("value")
            .current()
    };
    // One signed-in client per demo account (signing in costs a password hash).
    let mut apps: BTreeMap<&str, TestApp> = BTreeMap::new();
    for round in 0..rounds {
        // The opening, with hostile values in its fields.
        let mut form: BTreeMap<String, String> = BTreeMap::new();
        form.insert(
            "department_id".into(),
            if round % 3 == 2 {
                next_value(runner, &FieldKind::Department)
            } else {
                department.to_string()
            },
        );
        form.insert(
            "on".into(),
            if round % 4 == 3 {
                next_value(runner, &FieldKind::Date)
            } else {
                on.to_owned()
            },
        );
        for id in &procedure.opening_fields {
            if let Some(field) = procedure.field(id) {
                form.insert(id.to_string(), next_value(runner, &field.kind));
            }
        }
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let before = counts(db_store).await;
        let reply = app.post(&format!("/cases/{}", procedure.id), &pairs).await;
        let what = format!("{} open {form:?}", procedure.id);
        sent += 1;
        taken += usize::from(check(db_store, &what, &reply, before).await);
        let location = match reply
            .location
            .filter(|_| reply.status == StatusCode::SEE_OTHER)
        {
            Some(location) => location,
            None => {
                // Then a plausible opening, so that the actions are reached.
                let mut form: BTreeMap<String, String> = BTreeMap::new();
                form.insert("department_id".into(), department.to_string());
                form.insert("on".into(), on.to_owned());
                for id in &procedure.opening_fields {
                    if let Some(field) = procedure.field(id) {
                        picks.set(picks.get() + 1);
                        form.insert(
                            id.to_string(),
                            plausible(&field.kind, on, department, &people, picks.get()),
                        );
                    }
                }
                let pairs: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let reply = app.post(&format!("/cases/{}", procedure.id), &pairs).await;
                assert_eq!(
                    reply.status,
                    StatusCode::SEE_OTHER,
                    "{} plausible opening {form:?}: {:?}",
                    procedure.id,
                    messages(&reply.body)
                );
                sent += 1;
                taken += 1;
                reply.location.expect("location")
            }
        };
        let case_id: i64 = location
            .trim_start_matches("/case/")
            .split('?')
            .next()
            .and_then(|id| id.parse().ok())
            .expect("case id");
        // Every action of the procedure, available or not, a few times each.
        for transition in procedure
            .transitions
            .iter()
            .chain(procedure.transitions.iter())
        {
            let Some(actor) = account_for(&transition.roles) else {
                continue;
            };
            if !apps.contains_key(actor) {
                let mut signed_in = TestApp::new(db_store);
                signed_in.login_demo(actor).await;
                apps.insert(actor, signed_in);
            }
            let actor_app = apps.get_mut(actor).expect("signed in");
            let version = db_store
                .count_raw(&format!("SELECT version FROM cases WHERE id = {case_id}"))
                .await
                .expect("version");
            let mut form: BTreeMap<String, String> = BTreeMap::new();
            form.insert("action".into(), transition.action.to_string());
            form.insert("version".into(), version.to_string());
            let hostile_date = proptest::bool::weighted(0.2)
                .new_tree(runner)
                .expect("bool")
                .current();
            form.insert(
                "on".into(),
                if hostile_date {
                    next_value(runner, &FieldKind::Date)
                } else {
                    on.to_owned()
                },
            );
            for id in transition.required.iter().chain(&transition.optional) {
                if let Some(field) = procedure.field(id) {
                    form.insert(id.to_string(), next_value(runner, &field.kind));
                }
            }
            let pairs: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let before = counts(db_store).await;
            let reply = actor_app
                .post(&format!("/case/{case_id}/act"), &pairs)
                .await;
            let what = format!("{} {} {form:?}", procedure.id, transition.action);
            sent += 1;
            taken += usize::from(check(db_store, &what, &reply, before).await);
        }
    }
    (sent, taken)
}

db_test!(
    hostile_values_on_every_action_of_every_procedure_break_nothing,
    with_demo,
    |db| {
        let mut runner = TestRunner::new(Config {
            rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_204),
            ..Config::default()
        });
        // `FAZHI_HOSTILE_ROUNDS` runs longer (and `PROPTEST_RNG_SEED`-like variety comes from the
        // rounds: each draws new values).
        let rounds = std::env::var("FAZHI_HOSTILE_ROUNDS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(3);
        for procedure in load_embedded().expect("definitions") {
            let (sent, taken) = run_procedure(&db.store, &procedure, &mut runner, rounds).await;
            eprintln!("{}: {sent} requests, {taken} steps taken", procedure.id);
            // The run means something only if requests were sent and some got through.
            assert!(
                sent >= 3 * (procedure.transitions.len() + 1) / 2,
                "{}: {sent}",
                procedure.id
            );
            assert!(taken >= 1, "{}: nothing was ever accepted", procedure.id);
        }
        let signer = Signer::from_seed("fazhi-log/999902", [42u8; 32]).expect("signer");
        let report = db
            .store
            .verify_ledger(fazhi_app::store::ROOT_JURISDICTION, &signer.verifier())
            .await
            .expect("verify runs");
        assert_eq!(
            report.divergence, None,
            "the log verifies after the hostile run"
        );
        assert_eq!(
            report.leaves,
            db.store
                .ledger_size(fazhi_app::store::ROOT_JURISDICTION)
                .await
                .expect("size")
        );
    }
);

db_test!(
    step_dates_before_the_statute_or_the_case_or_after_today_are_refused,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        app.login_demo("zhifa").await;
        let user = db
            .store
            .user_by_username("zhifa")
            .await
            .expect("user")
            .expect("exists");
        let department = user.department_id.expect("department").to_string();
        let open = |on: &'static str| {
            let department = department.clone();
            move || {
                vec![
                    ("department_id", department.clone()),
                    ("on", on.to_owned()),
                    ("case_cause", "销售过期食品".to_owned()),
                    ("discovered_date", on.to_owned()),
                ]
            }
        };
        // Today in the tests is 2026-03-02 (Beijing); the penalty definition follows the 2021
        // revision, in force from 2021-07-15.
        for (on, says) in [
            // (its discovery date, the same day, is out of the range of any record's date)
            ("0000-01-01", "1990-01-01至2099-12-31"),
            ("1900-01-01", "1990-01-01至2099-12-31"),
            ("2000-01-01", "早于2021-07-15"),
            ("2021-07-14", "早于2021-07-15"),
            ("2026-03-03", "晚于今天（2026-03-02）"),
            ("9999-12-31", "1990-01-01至2099-12-31"),
            ("2030-01-01", "晚于今天（2026-03-02）"),
        ] {
            let before = counts(&db.store).await;
            let form = open(on)();
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = app.post("/cases/penalty", &pairs).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{on}");
            assert!(
                reply.body.contains(says),
                "{on}: {:?}",
                messages(&reply.body)
            );
            assert_eq!(counts(&db.store).await, before, "{on}: nothing stored");
        }
        let form = open("2021-07-15")();
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = app.post("/cases/penalty", &pairs).await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "{:?}",
            messages(&reply.body)
        );
        let case = reply.location.expect("location");
        let case_id = case
            .trim_start_matches("/case/")
            .split('?')
            .next()
            .expect("id");
        // A step before the case was opened, or tomorrow, is refused too.
        for (on, says) in [("2021-07-14", "早于"), ("2026-03-03", "晚于今天")] {
            let before = counts(&db.store).await;
            let reply = app
                .post(
                    &format!("/case/{case_id}/act"),
                    &[
                        ("action", "file_case"),
                        ("version", "1"),
                        ("on", on),
                        ("party", "某某超市"),
                        ("party_kind", "法人"),
                        ("filing_date", on),
                        ("department", &department),
                        ("period_rule", "行政处罚法第六十条"),
                    ],
                )
                .await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{on}");
            assert!(
                reply.body.contains(says),
                "{on}: {:?}",
                messages(&reply.body)
            );
            assert_eq!(counts(&db.store).await, before, "{on}: nothing stored");
        }
    }
);

/// Fills every `{param}` of a route pattern with `value`.
fn filled(pattern: &str, value: &str) -> String {
    let mut path = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        path.push_str(value);
        rest = &rest[close..];
    }
    path.push_str(rest);
    path
}

db_test!(
    hostile_paths_and_query_strings_on_every_route_break_nothing,
    with_demo,
    |db| {
        // Parameter values a path may carry, and query strings every list and form page might
        // read (page numbers, department and year filters, dates, proof indices, search text).
        let in_path = [
            "abc",
            "-1",
            "0",
            "99999999999999999999",
            "%00",
            "%E5%BC",
            "1",
            "2025",
        ];
        let queries = [
            "page=9223372036854775807&per_page=-5",
            "page=-1&department=99999999999999999999&year=99999",
            "year=0&department=-3&q=%00%27%22%3Cscript%3E",
            "from=0000-00-00&until=9999-99-99&state=%FF&overdue=1",
            "index=18446744073709551615&size=18446744073709551615&old=0&new=-1",
            "procedure=..%2F..%2Fetc&notice=%3Cimg%20src%3Dx%3E&next=%2F%2Fevil.example",
        ];
        let routes = fazhi_app::web::route_table();
        for account in ["admin", "sifa", "fazhi"] {
            let mut app = TestApp::new(&db.store);
            app.login_demo(account).await;
            for (method, pattern) in &routes {
                for value in in_path {
                    let path = filled(pattern, value);
                    let before = counts(&db.store).await;
                    if *method == axum::http::Method::GET {
                        for query in queries {
                            let reply = app.get(&format!("{path}?{query}")).await;
                            check(
                                &db.store,
                                &format!("{account} GET {path}?{query}"),
                                &reply,
                                before,
                            )
                            .await;
                        }
                    } else if *method == axum::http::Method::POST
                        && pattern.contains('{')
                        && value.parse::<i64>().is_err()
                    {
                        // No such record: nothing may be done, whatever the form says.
                        let reply = app
                            .post(&path, &[("version", "99999999999999999999")])
                            .await;
                        assert_ne!(reply.status, StatusCode::SEE_OTHER, "{account} POST {path}");
                        check(&db.store, &format!("{account} POST {path}"), &reply, before).await;
                    }
                }
            }
        }
    }
);

db_test!(
    statistics_of_a_department_that_does_not_exist_are_not_found,
    with_demo,
    |db| {
        let mut app = TestApp::new(&db.store);
        app.login_demo("sifa").await;
        let reply = app.get("/statistics?department=999999").await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert!(messages(&reply.body).iter().all(|m| is_chinese(m)));
        assert_eq!(app.get("/statistics").await.status, StatusCode::OK);
    }
);
