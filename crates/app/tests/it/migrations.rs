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

/// A database as Fazhi left it before jurisdictions formed a tree (migrations up to 0010), with
/// a jurisdiction, departments, an account, a case, its tallies and counters, a report, and four
/// journaled events with their leaves, stored hashes and a signed checkpoint, all written as that
/// version wrote them.
async fn single_jurisdiction_database(db: &crate::support::TestDb) -> fazhi_ledger::Signer {
    let engine = db.engine;
    let dir = tempfile::tempdir().expect("dir");
    let tree = match engine {
        crate::support::Engine::Sqlite => "sqlite",
        crate::support::Engine::Postgres => "postgres",
    };
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../migrations")
        .join(tree);
    for entry in std::fs::read_dir(&source).expect("migrations") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.as_str() < "0011" {
            std::fs::copy(entry.path(), dir.path().join(&name)).expect("copy");
        }
    }
    db.store
        .migrate_from_dir(dir.path())
        .await
        .expect("migrate to 0010");
    assert_eq!(
        db.store.schema_status().await.expect("status"),
        SchemaStatus::Behind
    );
    let blob = |bytes: &[u8]| {
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        match engine {
            crate::support::Engine::Sqlite => format!("X'{hex}'"),
            crate::support::Engine::Postgres => format!("'\\x{hex}'::bytea"),
        }
    };
    let at = "2026-03-02T01:00:00Z";
    for sql in [
        format!("INSERT INTO jurisdiction (id, name, level, code, is_demo, created_at) VALUES (1, '示范市滨河区', 'county', '990102', 0, '{at}')"),
        format!("INSERT INTO departments (id, name, kind, is_justice_bureau, created_at, updated_at) VALUES (1, '区司法局', 'government_department', 1, '{at}', '{at}')"),
        format!("INSERT INTO departments (id, name, kind, created_at, updated_at) VALUES (2, '区市场监督管理局', 'government_department', '{at}', '{at}')"),
        format!("INSERT INTO users (id, username, password_hash, role, department_id, display_name, created_at) VALUES (1, 'zhifa', '!', 'officer', 2, '执法人员', '{at}')"),
        format!("INSERT INTO cases (id, procedure, number, department_id, title, state, version, opened_by, opened_on, fields, updated_at) VALUES (1, 'penalty', '罚-2026-000001', 2, '销售过期食品', 'registered', 1, 1, '2026-03-02', '{{}}', '{at}')"),
        "INSERT INTO step_tallies (year, procedure, action, department_id, steps, amount_fen) VALUES (2026, 'penalty', 'open', 2, 1, 0)".to_owned(),
        "INSERT INTO number_counters (scope, last_number) VALUES ('case:罚-2026', 1)".to_owned(),
        format!("INSERT INTO reports (id, year, created_at) VALUES (1, 2025, '{at}')"),
    ] {
        db.store.execute_raw(&sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    let events = [
        (1, "jurisdiction.set", "jurisdiction:1"),
        (2, "department.created", "department:1"),
        (3, "department.created", "department:2"),
        (4, "case.opened", "case:1"),
    ];
    let mut tree = fazhi_ledger::MemStore::new();
    for (id, kind, subject) in events {
        let body = "{\"n\":1}";
        db.store
            .execute_raw(&format!("INSERT INTO events (id, kind, subject, actor_user_id, at, body) VALUES ({id}, '{kind}', '{subject}', NULL, '{at}', '{body}')"))
            .await
            .expect("event");
        let salt = [u8::try_from(id).expect("small"); 32];
        let canonical =
            fazhi_app::store::ledger::canonical_event_bytes(id, kind, subject, None, at, body);
        let before = tree.stored().len();
        tree.append(fazhi_ledger::leaf_hash(&fazhi_ledger::record_commitment(
            &salt, &canonical,
        )))
        .expect("append");
        for (index, hash) in tree.stored().iter().enumerate().skip(before) {
            db.store
                .execute_raw(&format!(
                    "INSERT INTO ledger_hashes (hash_index, hash) VALUES ({index}, {})",
                    blob(&hash.0)
                ))
                .await
                .expect("hash");
        }
        db.store
            .execute_raw(&format!(
                "INSERT INTO ledger_leaves (leaf_index, event_id, salt) VALUES ({}, {id}, {})",
                id - 1,
                blob(&salt)
            ))
            .await
            .expect("leaf");
    }
    db.store
        .execute_raw("UPDATE ledger_state SET size = 4")
        .await
        .expect("size");
    let signer = fazhi_ledger::Signer::from_seed("fazhi-log/990102", [7u8; 32]).expect("signer");
    let root = fazhi_ledger::tree_hash(4, &tree).expect("root");
    let checkpoint = fazhi_ledger::Checkpoint {
        origin: "fazhi-log/990102".into(),
        size: 4,
        root,
        extensions: Vec::new(),
    };
    let note = fazhi_ledger::sign_note(&checkpoint.to_body(), &signer).expect("sign");
    db.store
        .execute_raw(&format!(
            "INSERT INTO ledger_checkpoints (tree_size, root, note, signed_at) VALUES (4, {}, '{}', '{at}')",
            blob(&root.0),
            note.replace('\'', "''")
        ))
        .await
        .expect("checkpoint");
    // The events ids continue after the inserted ones (PostgreSQL identity columns do not see
    // explicit ids).
    if engine == crate::support::Engine::Postgres {
        for table in ["events", "departments", "users", "cases", "reports"] {
            db.store
                .execute_raw(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                ))
                .await
                .expect("sequence");
        }
    }
    signer
}

db_test!(
    a_single_jurisdiction_database_migrates_in_place_into_the_tree,
    empty,
    |db| {
        let signer = single_jurisdiction_database(db).await;
        db.store.migrate().await.expect("migrate to the tree");
        assert_eq!(
            db.store.schema_status().await.expect("status"),
            SchemaStatus::Current
        );
        // The jurisdiction is the tree's root; everything in it belongs to it.
        assert_eq!(
            db.store
                .count_raw("SELECT COUNT(*) FROM jurisdictions WHERE id = 1 AND parent_id IS NULL AND code = '990102' AND name = '示范市滨河区'")
                .await
                .expect("root"),
            1
        );
        for table in [
            "departments",
            "users",
            "cases",
            "events",
            "reports",
            "step_tallies",
            "number_counters",
            "ledger_leaves",
            "ledger_hashes",
            "ledger_checkpoints",
            "ledger_logs",
        ] {
            assert_eq!(
                db.store
                    .count_raw(&format!(
                        "SELECT COUNT(*) FROM {table} WHERE jurisdiction_id <> 1"
                    ))
                    .await
                    .unwrap_or_else(|e| panic!("{table}: {e}")),
                0,
                "{table}"
            );
        }
        assert_eq!(
            db.store
                .ledger_size(fazhi_app::store::ROOT_JURISDICTION)
                .await
                .expect("size"),
            4
        );
        if db.engine == crate::support::Engine::Sqlite {
            assert_eq!(
                db.store
                    .count_raw("SELECT COUNT(*) FROM pragma_foreign_key_check")
                    .await
                    .expect("check"),
                0,
                "no dangling reference after the rebuilt tables"
            );
        }
        // The root is its own subtree in the closure (migration 0012), the one row every
        // supervisor's "and everything below" query starts from.
        assert_eq!(
            db.store
                .count_raw(
                    "SELECT COUNT(*) FROM jurisdiction_closure \
                     WHERE ancestor_id = 1 AND descendant_id = 1 AND depth = 0"
                )
                .await
                .expect("closure"),
            1
        );
        assert_eq!(
            db.store
                .count_raw("SELECT COUNT(*) FROM jurisdiction_closure")
                .await
                .expect("closure"),
            1
        );
        // The log verifies as it was, checkpoint included, and grows on.
        let report = db
            .store
            .verify_ledger(fazhi_app::store::ROOT_JURISDICTION, &signer.verifier())
            .await
            .expect("verify");
        assert_eq!(
            (report.leaves, report.checkpoints, report.divergence),
            (4, 1, None)
        );
        let input = fazhi_app::domain::DepartmentInput::parse(
            "区教育局",
            "government_department",
            false,
            "",
            "",
        )
        .expect("valid");
        db.store
            .create_department(
                None,
                "2026-03-02T02:00:00Z",
                fazhi_app::store::ROOT_JURISDICTION,
                &input,
            )
            .await
            .expect("a department after the migration");
        assert_eq!(
            db.store
                .ledger_size(fazhi_app::store::ROOT_JURISDICTION)
                .await
                .expect("size"),
            5
        );
        let report = db
            .store
            .verify_ledger(fazhi_app::store::ROOT_JURISDICTION, &signer.verifier())
            .await
            .expect("verify");
        assert_eq!((report.leaves, report.divergence), (5, None));
        // The numbering goes on where it stood, within the jurisdiction.
        assert_eq!(
            db.store
                .count_raw("SELECT last_number FROM number_counters WHERE jurisdiction_id = 1 AND scope = 'case:罚-2026'")
                .await
                .expect("counter"),
            1
        );
        // Another jurisdiction may have a department of the same name.
        db.store
            .execute_raw("INSERT INTO jurisdictions (parent_id, code, name, level, created_at) VALUES (1, '990103', '示范市滨海区', 'county', '2026-03-02T02:00:00Z')")
            .await
            .expect("a second jurisdiction");
        db.store
            .execute_raw("INSERT INTO departments (jurisdiction_id, name, kind, created_at, updated_at) SELECT id, '区司法局', 'government_department', '', '' FROM jurisdictions WHERE code = '990103'")
            .await
            .expect("the same name in another jurisdiction");
        assert!(
            db.store
                .execute_raw("INSERT INTO departments (jurisdiction_id, name, kind, created_at, updated_at) VALUES (1, '区司法局', 'government_department', '', '')")
                .await
                .is_err(),
            "but not twice in one"
        );
    }
);
