//! Migrations: both trees carry the same files, migrating twice is harmless, and a database
//! from a newer Fazhi is refused.

use fazhi_app::store::{SchemaStatus, StoreError};

use crate::db_test;

#[test]
fn both_migration_trees_have_the_same_names() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let names = |dir: &str| {
        let mut names: Vec<String> = std::fs::read_dir(root.join(dir))
            .expect("migrations dir")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    };
    assert_eq!(names("sqlite"), names("postgres"));
    assert!(!names("sqlite").is_empty());
}

db_test!(migrating_twice_is_harmless, empty, |db| {
    assert_eq!(
        db.store.schema_status().await.expect("status"),
        SchemaStatus::Empty
    );
    db.store.migrate().await.expect("first");
    db.store.migrate().await.expect("second");
    assert_eq!(
        db.store.schema_status().await.expect("status"),
        SchemaStatus::Current
    );
});

db_test!(a_database_from_a_newer_fazhi_is_refused, migrated, |db| {
    let blob = match db.engine {
        crate::support::Engine::Sqlite => "X'00'",
        crate::support::Engine::Postgres => "'\\x00'::bytea",
    };
    db.store
        .execute_raw(&format!(
            "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) \
             VALUES (99990101000000, 'from the future', CURRENT_TIMESTAMP, TRUE, {blob}, 1)"
        ))
        .await
        .expect("sabotage");
    match db.store.schema_status().await {
        Err(StoreError::NewerSchema { found, .. }) => assert_eq!(found, 99990101000000),
        other => panic!("unexpected {other:?}"),
    }
    assert!(matches!(
        db.store.migrate().await,
        Err(StoreError::NewerSchema { .. })
    ));
});
