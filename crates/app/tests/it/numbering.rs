//! Case numbers and report version numbers on both databases: concurrent openings and redrafts
//! all succeed with distinct, gapless numbers (the `number_counters` row is taken in the
//! transaction that uses it), and a database migrated with rows already in it numbers on after
//! them.

use std::collections::BTreeMap;
use std::sync::Arc;

use fazhi_app::authz::Subject;
use fazhi_app::cases;
use fazhi_app::indicators::Catalogue;
use fazhi_app::procedure::{Procedure, load_embedded};
use fazhi_app::reports::service;
use fazhi_app::store::{SchemaStatus, Store};
use time::Date;
use time::macros::date;

use crate::cases::PlainDays;
use crate::db_test;
use crate::support::test_now;

fn penalty() -> Procedure {
    load_embedded()
        .expect("definitions")
        .into_iter()
        .find(|p| p.id == "penalty")
        .expect("penalty")
}

fn catalogue() -> Catalogue {
    Catalogue::embedded(&load_embedded().expect("definitions")).expect("catalogue")
}

/// The demo's market regulator (its largest district's) and its officer account.
async fn market(store: &Store) -> (i64, Subject) {
    officer_of(store, "zhifa").await
}

/// The department and engine subject of the demo's officer account `username`.
async fn officer_of(store: &Store, username: &str) -> (i64, Subject) {
    let user = store
        .user_by_username(username)
        .await
        .expect("read")
        .expect("demo officer");
    let department = user.department_id.expect("an officer's department");
    (department, user.subject())
}

async fn open(
    store: &Store,
    procedure: &Procedure,
    officer: &Subject,
    department: i64,
    cause: &str,
    on: Date,
) -> Result<String, cases::CaseError> {
    let fields: BTreeMap<String, String> = [("case_cause".to_owned(), cause.to_owned())].into();
    cases::open_case(
        store,
        procedure,
        &PlainDays,
        officer,
        department,
        &fields,
        on,
        test_now(),
    )
    .await
    .map(|(_, number)| number)
}

fn numbers(prefix: &str, range: std::ops::RangeInclusive<i64>) -> Vec<String> {
    range.map(|n| format!("{prefix}-{n:06}")).collect()
}

/// Version numbers of `year`'s report, ascending.
async fn versions(store: &Store, year: i32) -> Vec<i64> {
    let mut numbers: Vec<i64> = store
        .report_versions(fazhi_app::store::ROOT_JURISDICTION, year)
        .await
        .expect("versions")
        .iter()
        .map(|v| v.number)
        .collect();
    numbers.sort_unstable();
    numbers
}

db_test!(
    a_hundred_concurrent_openings_get_distinct_gapless_numbers,
    with_demo,
    |db| {
        let (department, officer) = market(&db.store).await;
        let procedure = Arc::new(penalty());
        let tasks: Vec<_> = (0..100)
            .map(|i| {
                let store = db.store.clone();
                let procedure = Arc::clone(&procedure);
                tokio::spawn(async move {
                    open(
                        &store,
                        &procedure,
                        &officer,
                        department,
                        &format!("并发立案{i}"),
                        date!(2025 - 03 - 03),
                    )
                    .await
                })
            })
            .collect();
        let mut opened = Vec::new();
        let mut failed = Vec::new();
        for task in tasks {
            match task.await.expect("task") {
                Ok(number) => opened.push(number),
                Err(error) => failed.push(error.to_string()),
            }
        }
        assert!(
            failed.is_empty(),
            "{} of 100 openings failed, first: {:?}",
            failed.len(),
            failed.first()
        );
        opened.sort();
        assert_eq!(opened, numbers("罚-2025", 1..=100));
        assert_eq!(db.store.count_cases().await.expect("count"), 100);
        // The next year numbers from 1 again, under its own counter.
        let next_year = open(
            &db.store,
            &procedure,
            &officer,
            department,
            "次年立案",
            date!(2026 - 01 - 05),
        )
        .await
        .expect("open");
        assert_eq!(next_year, "罚-2026-000001");
    }
);

db_test!(
    twenty_concurrent_redrafts_get_distinct_versions,
    with_demo,
    |db| {
        let catalogue = Arc::new(catalogue());
        let now = "2026-01-05T09:00:00Z";
        let first = service::draft(
            &db.store,
            &catalogue,
            fazhi_app::store::ROOT_JURISDICTION,
            2025,
            None,
            now,
        )
        .await
        .expect("first draft");
        assert_eq!(first, 1);
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let store = db.store.clone();
                let catalogue = Arc::clone(&catalogue);
                tokio::spawn(async move {
                    service::draft(
                        &store,
                        &catalogue,
                        fazhi_app::store::ROOT_JURISDICTION,
                        2025,
                        None,
                        now,
                    )
                    .await
                })
            })
            .collect();
        let mut made = Vec::new();
        let mut failed = Vec::new();
        for task in tasks {
            match task.await.expect("task") {
                Ok(number) => made.push(number),
                Err(error) => failed.push(error.to_string()),
            }
        }
        assert!(
            failed.is_empty(),
            "{} of 20 redrafts failed, first: {:?}",
            failed.len(),
            failed.first()
        );
        made.sort_unstable();
        assert_eq!(made, (2..=21).collect::<Vec<_>>());
        assert_eq!(
            versions(&db.store, 2025).await,
            (1..=21).collect::<Vec<_>>()
        );
    }
);

db_test!(concurrent_first_drafts_make_one_report, with_demo, |db| {
    let catalogue = Arc::new(catalogue());
    let now = "2026-01-05T09:00:00Z";
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let store = db.store.clone();
            let catalogue = Arc::clone(&catalogue);
            tokio::spawn(async move {
                service::draft(
                    &store,
                    &catalogue,
                    fazhi_app::store::ROOT_JURISDICTION,
                    2024,
                    None,
                    now,
                )
                .await
            })
        })
        .collect();
    let mut made = Vec::new();
    for task in tasks {
        made.push(task.await.expect("task").expect("draft"));
    }
    made.sort_unstable();
    assert_eq!(made, (1..=20).collect::<Vec<_>>());
    assert_eq!(
        db.store
            .count_raw("SELECT COUNT(*) FROM reports WHERE year = 2024")
            .await
            .expect("count"),
        1
    );
});

db_test!(
    a_migrated_database_numbers_on_after_its_rows,
    with_demo,
    |db| {
        let store = &db.store;
        // The city's own market regulator: a database from before the jurisdictions had its
        // cases, counters and reports all in its root.
        let (department, officer) = officer_of(store, "shi.d03.officer").await;
        let procedure = penalty();
        let catalogue = catalogue();
        let now = "2026-01-05T09:00:00Z";
        for (cause, on) in [
            ("甲", date!(2025 - 03 - 03)),
            ("乙", date!(2025 - 03 - 04)),
            ("丙", date!(2025 - 03 - 05)),
            ("丁", date!(2024 - 06 - 03)),
            ("戊", date!(2024 - 06 - 04)),
        ] {
            open(store, &procedure, &officer, department, cause, on)
                .await
                .expect("open");
        }
        for _ in 0..2 {
            service::draft(
                store,
                &catalogue,
                fazhi_app::store::ROOT_JURISDICTION,
                2025,
                None,
                now,
            )
            .await
            .expect("draft");
        }
        // The database as it stood before the counters: no table, no record of the migration;
        // one number out of step with the count (never expected, but a number must still not
        // be reused).
        store
            .execute_raw("DROP TABLE number_counters")
            .await
            .expect("drop");
        let removed = store
            .execute_raw("DELETE FROM _sqlx_migrations WHERE version = 9")
            .await
            .expect("forget the migration");
        assert_eq!(removed, 1);
        store
            .execute_raw(
                "UPDATE cases SET number = '罚-2024-000007' WHERE number = '罚-2024-000002'",
            )
            .await
            .expect("renumber");
        assert_eq!(
            store.schema_status().await.expect("status"),
            SchemaStatus::Behind
        );
        store.migrate().await.expect("migrate");
        assert_eq!(
            store.schema_status().await.expect("status"),
            SchemaStatus::Current
        );
        // Migration 0011 (already recorded here) then keys the counters by jurisdiction; a
        // database that really predates 0009 gets that from 0011 itself.
        for sql in [
            "ALTER TABLE number_counters ADD COLUMN jurisdiction_id BIGINT NOT NULL DEFAULT 1",
            "CREATE UNIQUE INDEX number_counters_jurisdiction_scope ON number_counters(jurisdiction_id, scope)",
        ] {
            store.execute_raw(sql).await.expect("as 0011");
        }

        let next = open(
            store,
            &procedure,
            &officer,
            department,
            "己",
            date!(2025 - 03 - 06),
        )
        .await
        .expect("open after migration");
        assert_eq!(next, "罚-2025-000004");
        let next = open(
            store,
            &procedure,
            &officer,
            department,
            "庚",
            date!(2024 - 06 - 05),
        )
        .await
        .expect("open after migration");
        assert_eq!(
            next, "罚-2024-000008",
            "after the highest number, not the count"
        );
        let version = service::draft(
            store,
            &catalogue,
            fazhi_app::store::ROOT_JURISDICTION,
            2025,
            None,
            now,
        )
        .await
        .expect("draft after migration");
        assert_eq!(version, 3);
        assert_eq!(versions(store, 2025).await, [1, 2, 3]);
    }
);
