//! The registries kept on a person's page (人民调解员, 法律援助人员, 法律顾问, 检查人员): adding an
//! entry and revoking it through the web (CSRF included), each bad input refused beside its
//! field with nothing written, the role table of every route, and what the engine's facts and
//! the forms' choices then see.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use fazhi_app::authz::Scope;
use fazhi_app::domain::PersonInput;
use fazhi_app::engine::FactsNeeded;
use fazhi_app::store::Store;
use fazhi_app::store::registries::RegistryMemberInput;
use fazhi_procedure::Registry;
use time::macros::date;

use crate::db_test;
use crate::support::{TestApp, TestDb};

/// The demo's date (see `support::test_now`).
const TODAY: time::Date = date!(2026 - 03 - 02);

/// The id of the active department whose name ends with `suffix`.
async fn department(db: &TestDb, suffix: &str) -> i64 {
    db.store
        .active_departments(Scope::All)
        .await
        .expect("departments")
        .into_iter()
        .find(|d| d.name.ends_with(suffix))
        .expect(suffix)
        .id
}

/// A new person of the department whose name ends with `suffix` (new, so that no demo entry is
/// theirs).
async fn new_person(db: &TestDb, suffix: &str, name: &str) -> i64 {
    let department = department(db, suffix).await;
    let input = PersonInput::parse(&department.to_string(), name, "科员", "").expect("person");
    db.store
        .create_person(None, "2026-03-01T00:00:00Z", &input)
        .await
        .expect("create person")
}

async fn n_events(db: &TestDb) -> i64 {
    db.store.count_events().await.expect("events")
}

async fn n_entries(db: &TestDb, person: i64) -> usize {
    db.store
        .registry_members_of(person)
        .await
        .expect("entries")
        .len()
}

/// Whether the form's choices for `registry` on [`TODAY`] include `person`.
async fn offered(db: &TestDb, registry: Registry, person: i64) -> bool {
    db.store
        .registry_people(registry, None, TODAY)
        .await
        .expect("registry people")
        .iter()
        .any(|p| p.id == person)
}

/// The engine's facts about `person` on `registry`: (entries loaded, entries not revoked).
async fn facts_of(db: &TestDb, registry: Registry, person: i64) -> (usize, usize) {
    // The facts of a case in the person's own jurisdiction (the demo's district, under its city).
    let reach = fazhi_app::store::Reach::EVERYTHING;
    let department = db
        .store
        .person(reach, person)
        .await
        .expect("person")
        .department_id;
    let jurisdiction = db
        .store
        .department(reach, department)
        .await
        .expect("department")
        .jurisdiction_id;
    let mut tx = db.store.begin().await.expect("begin");
    let needed = FactsNeeded {
        people: BTreeSet::from([(registry, person)]),
        departments: BTreeSet::new(),
    };
    let facts = Store::facts(&mut tx, jurisdiction, &needed)
        .await
        .expect("facts");
    tx.rollback().await.expect("rollback");
    let entries: Vec<_> = facts
        .people
        .iter()
        .filter(|e| e.registry == registry && e.person_id == person)
        .collect();
    (entries.len(), entries.iter().filter(|e| !e.revoked).count())
}

/// Adds an entry through the store, as the system.
async fn add_directly(db: &TestDb, person: i64, registry: &str) -> i64 {
    let input = RegistryMemberInput::parse(registry, "", "", "").expect("input");
    let mut tx = db.store.begin().await.expect("begin");
    let id = Store::add_registry_member_in(&mut tx, None, "2026-03-01T00:00:00Z", person, &input)
        .await
        .expect("add");
    tx.commit().await.expect("commit");
    id
}

db_test!(
    justice_staff_add_see_and_revoke_a_registry_entry,
    with_demo,
    |db| {
        let person = new_person(db, "司法局", "调解员甲").await;
        let page_path = format!("/people/{person}");
        let mut app = TestApp::new(&db.store);
        app.login_demo("sifa").await;

        let q: String = form_urlencoded::byte_serialize("调解员甲".as_bytes()).collect();
        let list = app.get(&format!("/people?q={q}")).await;
        assert!(
            list.body.contains(&format!("href=\"{page_path}\"")),
            "linked from the list"
        );
        let page = app.get(&page_path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("尚未登记到任何名录"), "{}", page.body);
        assert!(page.body.contains("id=\"registry-form\""));
        assert!(!offered(db, Registry::Mediators, person).await);
        assert_eq!(facts_of(db, Registry::Mediators, person).await, (0, 0));

        // Without the CSRF token nothing is written.
        let before = n_events(db).await;
        let forged = app
            .post_raw(
                &format!("{page_path}/registries"),
                &[("registry", "mediators")],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(n_events(db).await, before);
        assert_eq!(n_entries(db, person).await, 0);
        app.get(&page_path).await;

        let added = app
            .post(
                &format!("{page_path}/registries"),
                &[
                    ("registry", "mediators"),
                    ("valid_from", "2026-01-01"),
                    ("valid_until", "2026-12-31"),
                    ("note", "滨司聘〔2026〕3号"),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        assert_eq!(
            added.location.as_deref(),
            Some(format!("{page_path}?notice=registry_member_added").as_str())
        );
        assert_eq!(n_events(db).await, before + 1, "one event");
        let page = app.get(added.location.as_deref().expect("location")).await;
        assert!(page.body.contains("已登记到名录"), "the notice");
        assert!(page.body.contains("人民调解员"));
        assert!(page.body.contains("2026-01-01 至 2026-12-31"));
        assert!(page.body.contains("滨司聘〔2026〕3号"));
        assert!(page.body.contains("有效"));

        let entries = db.store.registry_members_of(person).await.expect("entries");
        assert_eq!(entries.len(), 1);
        let entry = &entries[0];
        assert_eq!(entry.registry, Registry::Mediators);
        assert_eq!(entry.valid_from.as_deref(), Some("2026-01-01"));
        assert_eq!(entry.valid_until.as_deref(), Some("2026-12-31"));
        assert!(!entry.revoked);

        let events = db
            .store
            .events_of(&format!("person:{person}"))
            .await
            .expect("events");
        let event = events
            .iter()
            .find(|e| e.kind == "registry_member.added")
            .expect("journaled");
        assert!(event.actor_user_id.is_some());
        assert!(
            event.body.contains("\"registry\":\"mediators\""),
            "{}",
            event.body
        );
        assert!(event.body.contains("2026-12-31"));
        assert!(
            !event.body.contains("调解员甲") && !event.body.contains("滨司聘"),
            "neither the name nor the note is journaled: {}",
            event.body
        );

        // The forms and the engine now see a mediator; other registries do not.
        assert!(offered(db, Registry::Mediators, person).await);
        assert!(!offered(db, Registry::Inspectors, person).await);
        assert_eq!(facts_of(db, Registry::Mediators, person).await, (1, 1));
        assert_eq!(facts_of(db, Registry::Inspectors, person).await, (0, 0));

        // A second registry for the same person is fine, open-ended.
        let second = app
            .post(
                &format!("{page_path}/registries"),
                &[
                    ("registry", "inspectors"),
                    ("valid_from", ""),
                    ("valid_until", ""),
                ],
            )
            .await;
        assert_eq!(second.status, StatusCode::SEE_OTHER, "{}", second.body);
        assert!(offered(db, Registry::Inspectors, person).await);
        assert!(app.get(&page_path).await.body.contains("长期有效"));

        let before = n_events(db).await;
        let revoke_path = format!("{page_path}/registries/{}/revoke", entry.id);
        let revoked = app.post(&revoke_path, &[]).await;
        assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.body);
        assert_eq!(
            revoked.location.as_deref(),
            Some(format!("{page_path}?notice=registry_member_revoked").as_str())
        );
        assert_eq!(n_events(db).await, before + 1);
        let page = app
            .get(revoked.location.as_deref().expect("location"))
            .await;
        assert!(page.body.contains("名录登记已撤销"), "the notice");
        assert!(page.body.contains("已撤销"));

        // Revoked, never deleted.
        let entries = db.store.registry_members_of(person).await.expect("entries");
        assert_eq!(entries.len(), 2);
        assert!(entries.iter().any(|e| e.id == entry.id && e.revoked));
        let events = db
            .store
            .events_of(&format!("person:{person}"))
            .await
            .expect("events");
        assert!(events.iter().any(|e| e.kind == "registry_member.revoked"
            && e.body.contains(&format!("\"entry\":{}", entry.id))));

        // Neither the forms nor the engine take a revoked mediator.
        assert!(!offered(db, Registry::Mediators, person).await);
        let (_, valid) = facts_of(db, Registry::Mediators, person).await;
        assert_eq!(valid, 0, "no mediator entry left that is not revoked");
        assert!(offered(db, Registry::Inspectors, person).await);

        // Revoking again is refused beside the entry, and writes nothing.
        let before = n_events(db).await;
        let again = app.post(&revoke_path, &[]).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            again.body.contains("该登记已撤销，无须重复撤销"),
            "{}",
            again.body
        );
        assert_eq!(n_events(db).await, before);

        // An entry of another person cannot be revoked through this person's page.
        let other = new_person(db, "司法局", "调解员乙").await;
        let theirs = add_directly(db, other, "legal_advisers").await;
        let wrong = app
            .post(&format!("{page_path}/registries/{theirs}/revoke"), &[])
            .await;
        assert_eq!(wrong.status, StatusCode::NOT_FOUND);
        assert!(offered(db, Registry::LegalAdvisers, other).await);

        // After the revocation the person may be put on the registry again.
        let renewed = app
            .post(
                &format!("{page_path}/registries"),
                &[("registry", "mediators"), ("valid_from", "2026-03-01")],
            )
            .await;
        assert_eq!(renewed.status, StatusCode::SEE_OTHER, "{}", renewed.body);
        assert!(offered(db, Registry::Mediators, person).await);
    }
);

/// A refused submission: the person, the fields, the message, the element it is shown in.
type Case<'a> = (i64, Vec<(&'a str, &'a str)>, &'a str, &'a str);

db_test!(
    bad_registry_input_is_refused_beside_its_field_and_changes_nothing,
    with_demo,
    |db| {
        let person = new_person(db, "司法局", "援助律师").await;
        let stopped = new_person(db, "司法局", "停用人员").await;
        db.store
            .set_person_active(None, "2026-03-01T00:00:00Z", stopped, false)
            .await
            .expect("deactivate");
        add_directly(db, person, "legal_aid_lawyers").await;
        let mut app = TestApp::new(&db.store);
        app.login_demo("admin").await;

        let long_note = "注".repeat(201);
        let cases: Vec<Case> = vec![
            (
                person,
                vec![("registry", "nonsense")],
                "请从列表中选择名录",
                "registry-field-error",
            ),
            (
                person,
                vec![("registry", "enforcement_officers")],
                "请从列表中选择名录",
                "registry-field-error",
            ),
            (
                person,
                vec![("registry", "")],
                "请从列表中选择名录",
                "registry-field-error",
            ),
            (
                person,
                vec![("registry", "mediators"), ("valid_from", "2026/01/01")],
                "日期格式应为“年-月-日”",
                "valid_from-error",
            ),
            (
                person,
                vec![("registry", "mediators"), ("valid_until", "2026-02-30")],
                "日期格式应为“年-月-日”",
                "valid_until-error",
            ),
            (
                person,
                vec![
                    ("registry", "mediators"),
                    ("valid_from", "2026-06-01"),
                    ("valid_until", "2026-05-31"),
                ],
                "有效期止不能早于有效期起",
                "valid_until-error",
            ),
            (
                person,
                vec![("registry", "mediators"), ("note", long_note.as_str())],
                "备注过长",
                "note-error",
            ),
            (
                stopped,
                vec![("registry", "mediators")],
                "该人员已停用，不能登记到名录",
                "person_id-error",
            ),
            (
                person,
                vec![
                    ("registry", "legal_aid_lawyers"),
                    ("valid_from", "2026-04-01"),
                ],
                "该人员已在此名录中",
                "registry-field-error",
            ),
        ];
        for (who, fields, message, element) in &cases {
            let before = (
                n_events(db).await,
                n_entries(db, person).await,
                n_entries(db, stopped).await,
            );
            let reply = app.post(&format!("/people/{who}/registries"), fields).await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{fields:?}: {}",
                reply.body
            );
            assert!(reply.body.contains(message), "{fields:?}: {}", reply.body);
            let at = reply
                .body
                .find(&format!("id=\"{element}\""))
                .unwrap_or_else(|| panic!("{fields:?}: no {element}: {}", reply.body));
            assert!(
                reply.body[at..].starts_with(&format!("id=\"{element}\">{message}")),
                "{fields:?}: the message is beside its field"
            );
            assert!(reply.body.contains("本次未保存任何内容"));
            assert_eq!(
                (
                    n_events(db).await,
                    n_entries(db, person).await,
                    n_entries(db, stopped).await,
                ),
                before,
                "{fields:?}: nothing written"
            );
        }
        // The refused form keeps what was typed.
        let reply = app
            .post(
                &format!("/people/{person}/registries"),
                &[
                    ("registry", "inspectors"),
                    ("valid_from", "2026-13-01"),
                    ("note", "原样保留"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("value=\"inspectors\" selected"));
        assert!(reply.body.contains("value=\"2026-13-01\""));
        assert!(reply.body.contains("value=\"原样保留\""));
        // The same checks hold in the store, for callers other than the web.
        let input = RegistryMemberInput {
            registry: Registry::StaffAccounts,
            valid_from: None,
            valid_until: None,
            note: String::new(),
        };
        let refused = db
            .store
            .add_registry_member(1, "2026-03-02T00:00:00Z", person, &input)
            .await;
        assert!(
            matches!(&refused, Err(fazhi_app::store::StoreError::Invalid(e)) if e.get("registry") == Some("unknown_registry")),
            "{refused:?}"
        );
        // An unknown person is a 404.
        let before = n_events(db).await;
        let missing = app
            .post("/people/999999/registries", &[("registry", "mediators")])
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(n_events(db).await, before);
    }
);

const ROLES: [&str; 5] = ["admin", "sifa", "fazhi", "zhifa", "lingdao"];

db_test!(
    every_role_gets_exactly_the_registry_routes_the_table_allows,
    with_demo,
    |db| {
        // `fazhi` is the market regulator's legal officer.
        let market = new_person(db, "市场监督管理局", "市场检查员").await;
        let justice = new_person(db, "司法局", "司法调解员").await;
        // (GET path, [admin, sifa, fazhi, zhifa, lingdao]) — true: 200, false: 403.
        let pages: [(String, [bool; 5]); 2] = [
            (format!("/people/{market}"), [true, true, true, false, true]),
            (
                format!("/people/{justice}"),
                [true, true, false, false, true],
            ),
        ];
        // Adding and revoking: admin and justice staff only, in any department.
        let manage = [true, true, false, false, false];
        for (column, username) in ROLES.into_iter().enumerate() {
            let mut app = TestApp::new(&db.store);
            app.login_demo(username).await;
            for (path, allowed) in &pages {
                let reply = app.get(path).await;
                let expected = if allowed[column] {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(reply.status, expected, "{username} GET {path}");
                if reply.status == StatusCode::OK {
                    assert_eq!(
                        reply.body.contains("id=\"registry-form\""),
                        manage[column],
                        "{username} GET {path}: the form only for those who may add"
                    );
                } else {
                    assert!(reply.body.contains("无权"), "{username} GET {path}");
                }
            }
            app.get("/").await;
            for person in [market, justice] {
                let before = (n_events(db).await, n_entries(db, person).await);
                let path = format!("/people/{person}/registries");
                let reply = app.post(&path, &[("registry", "legal_advisers")]).await;
                if manage[column] {
                    assert_eq!(
                        reply.status,
                        StatusCode::SEE_OTHER,
                        "{username} POST {path}"
                    );
                    assert_eq!(n_entries(db, person).await, before.1 + 1);
                } else {
                    assert_eq!(
                        reply.status,
                        StatusCode::FORBIDDEN,
                        "{username} POST {path}"
                    );
                    assert!(
                        reply.body.contains("无权登记或撤销人民调解员"),
                        "{username} POST {path}: {}",
                        reply.body
                    );
                    assert_eq!(
                        (n_events(db).await, n_entries(db, person).await),
                        before,
                        "{username} POST {path}: nothing written"
                    );
                }
                let entry = db
                    .store
                    .registry_members_of(person)
                    .await
                    .expect("entries")
                    .into_iter()
                    .find(|e| !e.revoked)
                    .map_or_else(|| 0, |e| e.id);
                let entry = if entry == 0 {
                    add_directly(db, person, "legal_advisers").await
                } else {
                    entry
                };
                let before = n_events(db).await;
                let path = format!("/people/{person}/registries/{entry}/revoke");
                let reply = app.post(&path, &[]).await;
                let revoked = db
                    .store
                    .registry_member(fazhi_app::store::Reach::EVERYTHING, entry)
                    .await
                    .expect("entry")
                    .revoked;
                if manage[column] {
                    assert_eq!(
                        reply.status,
                        StatusCode::SEE_OTHER,
                        "{username} POST {path}"
                    );
                    assert!(revoked);
                } else {
                    assert_eq!(
                        reply.status,
                        StatusCode::FORBIDDEN,
                        "{username} POST {path}"
                    );
                    assert!(!revoked, "{username} POST {path}: nothing changed");
                    assert_eq!(n_events(db).await, before);
                }
            }
        }
    }
);
