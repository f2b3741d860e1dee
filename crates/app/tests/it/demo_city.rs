//! The demo on both databases: a fictional city with its own departments and three districts of
//! clearly different sizes and quality — the largest a model, one with many overdue cases, one
//! late with its annual report — whose accounts each see their own subtree's cases only, the
//! city's supervisor all of them, and every jurisdiction's log verifying.

use axum::http::StatusCode;
use fazhi_app::authz::Scope;
use fazhi_app::domain::{Level, Role};
use fazhi_app::log_key::origin_for;
use fazhi_app::store::cases::CaseFilter;
use fazhi_app::store::{ROOT_JURISDICTION, Store};
use fazhi_ledger::Signer;

use crate::db_test;
use crate::support::{TestApp, test_now};

/// Today in the tests (`test_now`, Beijing time).
const TODAY: &str = "2026-03-02";

async fn count(store: &Store, sql: String) -> i64 {
    store.count_raw(&sql).await.expect("count")
}

/// A small year of cases, spread over the city and its districts as the demo would.
async fn generate(store: &Store) {
    let procedures = fazhi_app::procedure::load_embedded().expect("definitions");
    let calendar = fazhi_app::deadlines::OfficialCalendar::load().expect("calendar");
    fazhi_app::demo::cases::generate_year(
        store,
        &procedures,
        &calendar,
        7,
        2025,
        0.02,
        test_now(),
        &|_, _| {},
    )
    .await
    .expect("every generated step passes the engine");
}

/// The id of the demo jurisdiction named `name`.
async fn id_of(store: &Store, name: &str) -> i64 {
    store
        .jurisdictions()
        .await
        .expect("jurisdictions")
        .into_iter()
        .find(|j| j.name == name)
        .unwrap_or_else(|| panic!("{name} is in the demo"))
        .id
}

db_test!(
    the_demo_is_a_city_over_three_districts_each_with_its_own_departments,
    with_demo,
    |db| {
        let store = &db.store;
        let tree = store.jurisdiction_tree().await.expect("tree");
        let shape: Vec<(usize, &str, &str, Level)> = tree
            .iter()
            .map(|row| {
                (
                    row.depth,
                    row.jurisdiction.name.as_str(),
                    row.jurisdiction.code.as_str(),
                    row.jurisdiction.level,
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                (0, "示范市", "999900", Level::City),
                (1, "示范市滨河区", "999902", Level::County),
                (1, "示范市临江区", "999905", Level::County),
                (1, "示范市云岭县", "999907", Level::County),
            ]
        );
        let root = store.jurisdiction().await.expect("read").expect("set");
        assert!(root.is_demo);
        assert_eq!(
            tree.first().map(|r| r.jurisdiction.id),
            Some(ROOT_JURISDICTION)
        );

        // Every jurisdiction runs departments of its own, one 司法局 each, named under it; the
        // districts differ in size.
        let departments = store
            .active_departments(Scope::All)
            .await
            .expect("departments");
        let mut sizes = Vec::new();
        for row in &tree {
            let own: Vec<_> = departments
                .iter()
                .filter(|d| d.jurisdiction_id == row.jurisdiction.id)
                .collect();
            assert!(own.len() >= 8, "{}: {}", row.jurisdiction.name, own.len());
            assert_eq!(
                own.iter().filter(|d| d.is_justice_bureau).count(),
                1,
                "{}",
                row.jurisdiction.name
            );
            assert!(
                own.iter()
                    .all(|d| d.name.starts_with(&row.jurisdiction.name))
            );
            assert_eq!(row.n_departments, own.len() as i64);
            sizes.push(own.len());
        }
        assert_eq!(sizes, vec![8, 28, 14, 8]);
        let city: Vec<&str> = departments
            .iter()
            .filter(|d| d.jurisdiction_id == ROOT_JURISDICTION)
            .map(|d| d.name.as_str())
            .collect();
        assert!(city.contains(&"示范市司法局") && city.contains(&"示范市市场监督管理局"));

        // The five printed logins are the largest district's; the city's two are the city's.
        let binhe = id_of(store, "示范市滨河区").await;
        for (username, _, role, _, _) in fazhi_app::demo::DEMO_ACCOUNTS {
            let user = store
                .user_by_username(username)
                .await
                .expect("read")
                .expect("the login exists");
            let expected = if username.starts_with("shi.") {
                ROOT_JURISDICTION
            } else {
                binhe
            };
            assert_eq!(
                (user.jurisdiction_id, user.role),
                (expected, role),
                "{username}"
            );
        }
        let shi_sifa = store
            .user_by_username("shi.sifa")
            .await
            .expect("read")
            .expect("exists");
        let bureau = departments
            .iter()
            .find(|d| Some(d.id) == shi_sifa.department_id)
            .expect("department");
        assert_eq!(bureau.name, "示范市司法局");
        for username in ["shi.sifa", "shi.admin", "sifa", "admin"] {
            let mut app = TestApp::new(store);
            let home = app.login_demo(username).await;
            assert_eq!(home.status, StatusCode::OK, "{username}");
        }
    }
);

db_test!(
    the_year_is_shared_unevenly_one_district_overdue_and_everyone_sees_their_subtree,
    with_demo,
    |db| {
        let store = &db.store;
        generate(store).await;
        let city = ROOT_JURISDICTION;
        let binhe = id_of(store, "示范市滨河区").await;
        let linjiang = id_of(store, "示范市临江区").await;
        let yunling = id_of(store, "示范市云岭县").await;
        let cases_in = |id: i64| {
            count(
                store,
                format!("SELECT COUNT(*) FROM cases WHERE jurisdiction_id = {id}"),
            )
        };
        let (n_city, n_binhe, n_linjiang, n_yunling) = (
            cases_in(city).await,
            cases_in(binhe).await,
            cases_in(linjiang).await,
            cases_in(yunling).await,
        );
        let total = count(store, "SELECT COUNT(*) FROM cases".into()).await;
        assert_eq!(n_city + n_binhe + n_linjiang + n_yunling, total);
        // About 60%, 30% and 10% of the districts' cases, and the city's own.
        assert!(n_city > 0, "the city's departments have cases");
        assert!(
            n_binhe * 10 > n_linjiang * 17 && n_linjiang * 10 > n_yunling * 22,
            "sizes differ as designed: {n_binhe}, {n_linjiang}, {n_yunling}"
        );

        // 临江区 leaves many cases past their periods (its penalty cases stall in investigation);
        // the model district hardly any (at most one case in a hundred, of other procedures).
        let overdue_in = |id: i64| {
            count(
                store,
                format!(
                    "SELECT COUNT(DISTINCT t.case_id) FROM case_timers t JOIN cases c ON c.id = t.case_id \
                     WHERE c.jurisdiction_id = {id} AND t.lapse = 'overdue' AND t.due_on < '{TODAY}'"
                ),
            )
        };
        let overdue = [
            overdue_in(city).await,
            overdue_in(binhe).await,
            overdue_in(linjiang).await,
            overdue_in(yunling).await,
        ];
        assert!(
            overdue[2] >= 3,
            "临江区 has several overdue cases: {overdue:?}"
        );
        assert!(
            overdue[1] * 100 <= n_binhe,
            "the model district has hardly any: {overdue:?}"
        );
        assert!(
            overdue[2] > 2 * overdue[0]
                && overdue[2] > 2 * overdue[1]
                && overdue[2] > 2 * overdue[3],
            "{overdue:?}"
        );
        // As a share of its cases too (it is only the second largest).
        assert!(
            overdue[2] * n_binhe > 5 * overdue[1].max(1) * n_linjiang,
            "{overdue:?}"
        );

        // Every account sees the cases of its own reach only: a supervisor its jurisdiction and
        // everything below, a department its own, an officer its own cases.
        let procedures = ["penalty", "reconsideration", "litigation", "disclosure"];
        let seen = |user: fazhi_app::store::auth::User| async move {
            let mut items = Vec::new();
            let mut total = 0;
            for procedure in procedures {
                let filter = CaseFilter {
                    procedure: procedure.to_owned(),
                    page: 1,
                    per_page: 200,
                    ..Default::default()
                };
                let page = store
                    .list_cases(&user.subject(), &filter)
                    .await
                    .expect("list");
                total += page.total;
                items.extend(page.items);
            }
            (total, items)
        };
        for user in store.list_users().await.expect("users") {
            let reach = store.subtree(user.jurisdiction_id).await.expect("subtree");
            let (total, items) = seen(user.clone()).await;
            for case in &items {
                assert!(
                    reach.contains(&case.jurisdiction_id),
                    "{} sees case {} of jurisdiction {}",
                    user.username,
                    case.id,
                    case.jurisdiction_id
                );
                if matches!(user.role, Role::DepartmentLegal | Role::Officer) {
                    assert_eq!(
                        Some(case.department_id),
                        user.department_id,
                        "{}",
                        user.username
                    );
                }
            }
            if matches!(user.role, Role::Admin | Role::JusticeStaff | Role::Leader) {
                let mut expected = 0;
                for id in &reach {
                    expected += cases_in(*id).await;
                }
                assert_eq!(total, expected, "{}", user.username);
            }
        }
        // The city's supervisor sees all of them, the district's only the district's.
        let shi_sifa = store
            .user_by_username("shi.sifa")
            .await
            .expect("read")
            .expect("exists");
        let sifa = store
            .user_by_username("sifa")
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(seen(shi_sifa).await.0, total);
        assert_eq!(seen(sifa).await.0, n_binhe);

        // The city's supervisor finds 临江区's overdue cases on the 案件 list; the district's
        // own 司法局 does not see them.
        let mut app = TestApp::new(store);
        app.login_demo("shi.sifa").await;
        let list = app.get("/cases/penalty?overdue=1").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("示范市临江区"), "{}", list.body);
        let mut app = TestApp::new(store);
        app.login_demo("sifa").await;
        let list = app.get("/cases/penalty?overdue=1").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(!list.body.contains("示范市临江区"));

        // Each jurisdiction's events went to its own log, and every log verifies.
        for jurisdiction in store.jurisdictions().await.expect("jurisdictions") {
            let signer =
                Signer::from_seed(&origin_for(&jurisdiction.code), [7u8; 32]).expect("signer");
            let report = store
                .verify_ledger(jurisdiction.id, &signer.verifier())
                .await
                .expect("verify runs");
            assert_eq!(report.divergence, None, "{}", jurisdiction.name);
            assert!(report.leaves > 0, "{} has its own log", jurisdiction.name);
        }
    }
);

db_test!(
    the_late_district_has_no_report_while_the_others_have_published_theirs,
    with_demo,
    |db| {
        let store = &db.store;
        let procedures = fazhi_app::procedure::load_embedded().expect("definitions");
        let catalogue = fazhi_app::indicators::Catalogue::embedded(&procedures).expect("catalogue");
        let made = fazhi_app::demo::report::ensure_report(
            store,
            &catalogue,
            7,
            2025,
            "2026-01-05T09:00:00Z",
        )
        .await
        .expect("demo figures and reports");
        assert_eq!(made.late, vec!["示范市云岭县"]);
        assert_eq!(made.published, 3);
        for place in fazhi_app::demo::PLACES {
            let id = id_of(store, place.name).await;
            let published = fazhi_app::reports::service::published(store, id, 2025)
                .await
                .expect("published");
            let drafted = fazhi_app::reports::service::versions(store, id, 2025)
                .await
                .expect("versions");
            if place.report_late {
                assert!(drafted.is_empty() && published.is_empty(), "{}", place.name);
            } else {
                assert_eq!(published.len(), 1, "{}", place.name);
            }
            // The public portal shows the published ones and has nothing for the late one.
            let mut visitor = TestApp::new(store);
            let path = if id == ROOT_JURISDICTION {
                "/reports/2025".to_owned()
            } else {
                format!("/reports/2025?jurisdiction={}", place.code)
            };
            let portal = visitor.get(&path).await;
            if place.report_late {
                assert_eq!(portal.status, StatusCode::NOT_FOUND, "{path}");
            } else {
                assert_eq!(portal.status, StatusCode::OK, "{path}");
                assert!(portal.body.contains(place.name), "{path}");
            }
        }
        // Running it again changes nothing.
        let again = fazhi_app::demo::report::ensure_report(
            store,
            &catalogue,
            7,
            2025,
            "2026-01-05T09:00:00Z",
        )
        .await
        .expect("reuse");
        assert_eq!(again.published, 0);
    }
);
