//! The organisation store on both databases: departments and people are created, listed with
//! search, scope and paging, edited and deactivated, each change journaled; bad input changes
//! nothing.

use fazhi_app::authz::Scope;
use fazhi_app::domain::{DepartmentInput, PersonInput};
use fazhi_app::store::StoreError;
use fazhi_app::store::org::ListFilter;

use crate::db_test;

const AT: &str = "2026-03-02T01:00:00Z";

fn department(name: &str) -> DepartmentInput {
    DepartmentInput::parse(name, "政府工作部门", false, "王芳", "0999-1234567").expect("valid")
}

fn filter(query: &str, per_page: i64, page: i64) -> ListFilter {
    ListFilter {
        query: query.into(),
        department_id: None,
        include_inactive: false,
        page,
        per_page,
    }
}

db_test!(
    departments_are_created_listed_edited_and_deactivated,
    migrated,
    |db| {
        let store = &db.store;
        let id = store
            .create_department(
                None,
                AT,
                fazhi_app::store::ROOT_JURISDICTION,
                &department("测试市场监督管理局"),
            )
            .await
            .expect("create");
        store
            .create_department(
                None,
                AT,
                fazhi_app::store::ROOT_JURISDICTION,
                &department("测试司法局"),
            )
            .await
            .expect("create");

        let found = store
            .list_departments(Scope::All, &filter("市场", 20, 1))
            .await
            .expect("list");
        assert_eq!(found.total, 1);
        assert_eq!(found.items[0].name, "测试市场监督管理局");
        assert_eq!(found.items[0].legal_contact_name, "王芳");

        store
            .update_department(None, AT, id, &department("测试市场监管局"))
            .await
            .expect("update");
        assert_eq!(
            store
                .department(fazhi_app::store::Reach::EVERYTHING, id)
                .await
                .expect("read")
                .name,
            "测试市场监管局"
        );

        store
            .set_department_active(None, AT, id, false)
            .await
            .expect("deactivate");
        let active = store
            .list_departments(Scope::All, &filter("", 20, 1))
            .await
            .expect("list");
        assert_eq!(
            active.total, 1,
            "a deactivated department leaves the default list"
        );
        let all = ListFilter {
            include_inactive: true,
            ..filter("", 20, 1)
        };
        assert_eq!(
            store
                .list_departments(Scope::All, &all)
                .await
                .expect("list")
                .total,
            2,
            "but is never deleted"
        );

        let kinds: Vec<String> = store
            .events_of(&format!("department:{id}"))
            .await
            .expect("events")
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                "department.created",
                "department.updated",
                "department.deactivated"
            ]
        );
    }
);

db_test!(
    a_duplicate_department_name_is_refused_and_nothing_is_written,
    migrated,
    |db| {
        let store = &db.store;
        store
            .create_department(
                None,
                AT,
                fazhi_app::store::ROOT_JURISDICTION,
                &department("测试财政局"),
            )
            .await
            .expect("create");
        let n_events = store.count_events().await.expect("count");
        let error = store
            .create_department(
                None,
                AT,
                fazhi_app::store::ROOT_JURISDICTION,
                &department("测试财政局"),
            )
            .await
            .expect_err("duplicate");
        match error {
            StoreError::Invalid(errors) => {
                assert_eq!(errors.get("name"), Some("duplicate_department_name"))
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(
            store.count_events().await.expect("count"),
            n_events,
            "no event for a refused change"
        );
    }
);

db_test!(people_are_scoped_searched_and_paged, migrated, |db| {
    let store = &db.store;
    let market = store
        .create_department(
            None,
            AT,
            fazhi_app::store::ROOT_JURISDICTION,
            &department("测试市场监督管理局"),
        )
        .await
        .expect("create");
    let justice = store
        .create_department(
            None,
            AT,
            fazhi_app::store::ROOT_JURISDICTION,
            &department("测试司法局"),
        )
        .await
        .expect("create");
    for index in 0..25 {
        let name = format!("张{}", ["一", "二", "三", "四", "五"][index % 5]);
        let person = PersonInput::parse(&market.to_string(), &format!("{name}明"), "执法人员", "")
            .expect("valid");
        store
            .create_person(None, AT, &person)
            .await
            .expect("create person");
    }
    let clerk =
        PersonInput::parse(&justice.to_string(), "李华", "行政复议人员", "").expect("valid");
    let clerk_id = store
        .create_person(None, AT, &clerk)
        .await
        .expect("create person");

    let page_two = store
        .list_people(Scope::All, &filter("", 10, 2))
        .await
        .expect("list");
    assert_eq!(
        (page_two.total, page_two.items.len(), page_two.n_pages()),
        (26, 10, 3)
    );
    let own = store
        .list_people(Scope::Department(justice), &filter("", 50, 1))
        .await
        .expect("list");
    assert_eq!(own.total, 1, "a department scope sees only its own people");
    assert_eq!(own.items[0].name, "李华");
    let by_post = store
        .list_people(Scope::All, &filter("复议", 50, 1))
        .await
        .expect("list");
    assert_eq!(by_post.total, 1, "search covers the post");
    let wildcard = store
        .list_people(Scope::All, &filter("%", 50, 1))
        .await
        .expect("list");
    assert_eq!(
        wildcard.total, 0,
        "a % in the search is a literal, not a wildcard"
    );

    store
        .set_person_active(None, AT, clerk_id, false)
        .await
        .expect("deactivate");
    assert_eq!(
        store
            .list_people(Scope::Department(justice), &filter("", 50, 1))
            .await
            .expect("list")
            .total,
        0
    );
    assert_eq!(
        store.organisation_counts(Scope::All).await.expect("counts"),
        (2, 25)
    );
});

db_test!(
    a_person_cannot_join_an_inactive_or_unknown_department,
    migrated,
    |db| {
        let store = &db.store;
        let closed = store
            .create_department(
                None,
                AT,
                fazhi_app::store::ROOT_JURISDICTION,
                &department("测试已撤销局"),
            )
            .await
            .expect("create");
        store
            .set_department_active(None, AT, closed, false)
            .await
            .expect("deactivate");
        let person = PersonInput::parse(&closed.to_string(), "赵六", "", "").expect("valid");
        match store.create_person(None, AT, &person).await {
            Err(StoreError::Invalid(errors)) => {
                assert_eq!(errors.get("department_id"), Some("inactive_department"))
            }
            other => panic!("unexpected {other:?}"),
        }
        let nowhere = PersonInput::parse("99999", "赵六", "", "").expect("valid");
        match store.create_person(None, AT, &nowhere).await {
            Err(StoreError::Invalid(errors)) => {
                assert_eq!(errors.get("department_id"), Some("unknown_department"))
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(
            store.organisation_counts(Scope::All).await.expect("counts"),
            (0, 0)
        );
    }
);

db_test!(the_demo_is_deterministic_and_reused, migrated, |db| {
    let store = &db.store;
    let created = fazhi_app::demo::ensure_demo(store, 11, 2025, crate::support::test_now())
        .await
        .expect("demo");
    assert!(
        matches!(created, fazhi_app::demo::DemoOutcome::Created { n_departments: 58, n_people } if n_people >= 600)
    );
    let first = store
        .list_people(Scope::All, &filter("", 5, 1))
        .await
        .expect("list");
    let again = fazhi_app::demo::ensure_demo(store, 99, 2024, crate::support::test_now())
        .await
        .expect("demo");
    assert_eq!(
        again,
        fazhi_app::demo::DemoOutcome::Reused {
            seed: 11,
            year: 2025
        }
    );
    assert_eq!(
        store
            .list_people(Scope::All, &filter("", 5, 1))
            .await
            .expect("list"),
        first
    );
    let jurisdiction = store.jurisdiction().await.expect("read").expect("set");
    assert_eq!(
        (jurisdiction.name.as_str(), jurisdiction.code.as_str()),
        ("示范市", "999900")
    );
});

db_test!(
    the_same_seed_gives_the_same_names_on_another_database,
    migrated,
    |db| {
        let other = crate::support::TestDb::migrated(crate::support::Engine::Sqlite)
            .await
            .expect("sqlite");
        fazhi_app::demo::ensure_demo(&db.store, 5, 2025, crate::support::test_now())
            .await
            .expect("demo");
        fazhi_app::demo::ensure_demo(&other.store, 5, 2025, crate::support::test_now())
            .await
            .expect("demo");
        let names = |page: fazhi_app::store::Page<fazhi_app::store::org::Person>| {
            page.items.into_iter().map(|p| p.name).collect::<Vec<_>>()
        };
        let left = names(
            db.store
                .list_people(Scope::All, &filter("", 50, 3))
                .await
                .expect("list"),
        );
        let right = names(
            other
                .store
                .list_people(Scope::All, &filter("", 50, 3))
                .await
                .expect("list"),
        );
        assert_eq!(left, right);
        other.cleanup().await;
    }
);

db_test!(
    the_demo_year_of_cases_goes_through_the_engine,
    with_demo,
    |db| {
        let procedures = fazhi_app::procedure::load_embedded().expect("definitions");
        let calendar = fazhi_app::deadlines::OfficialCalendar::load().expect("calendar");
        let counts = fazhi_app::demo::cases::generate_year(
            &db.store,
            &procedures,
            &calendar,
            7,
            2025,
            0.01,
            crate::support::test_now(),
            &|_, _| {},
        )
        .await
        .expect("every generated step passes the engine");
        assert_eq!(counts.cases.get("penalty"), Some(&100));
        assert!(counts.cases.values().sum::<usize>() >= 105);
        assert!(db.store.count_events().await.expect("events") as usize >= counts.steps);
        // Running it again reuses the cases.
        let again = fazhi_app::demo::cases::generate_year(
            &db.store,
            &procedures,
            &calendar,
            7,
            2025,
            0.01,
            crate::support::test_now(),
            &|_, _| {},
        )
        .await
        .expect("reuse");
        assert_eq!(again.steps, 0);
    }
);

db_test!(
    names_are_read_in_the_order_asked_skipping_unknown_ids,
    with_demo,
    |db| {
        let people = db
            .store
            .list_people(
                Scope::All,
                &ListFilter {
                    page: 1,
                    per_page: 3,
                    ..Default::default()
                },
            )
            .await
            .expect("people")
            .items;
        let (a, b) = (&people[0], &people[1]);
        let names = db
            .store
            .person_names(&[b.id, 999_999, a.id, b.id])
            .await
            .expect("names");
        assert_eq!(
            names,
            vec![
                (b.id, b.name.clone()),
                (a.id, a.name.clone()),
                (b.id, b.name.clone())
            ]
        );
        let departments = db
            .store
            .department_names(&[a.department_id])
            .await
            .expect("departments");
        assert_eq!(
            departments,
            vec![(a.department_id, a.department_name.clone())]
        );
        assert!(db.store.person_names(&[]).await.expect("none").is_empty());
    }
);
