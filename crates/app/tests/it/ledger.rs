//! The tamper-evident log on both databases: every change leaves a verifiable leaf; changing an
//! event, deleting one, changing a stored hash or a checkpoint, or rolling the log back and
//! appending differently is detected; the public endpoints serve checkpoints and proofs.

use axum::http::StatusCode;
use fazhi_app::store::Store;
use fazhi_ledger::{Checkpoint, Signer, check_record, check_tree, open_note};

use crate::db_test;
use crate::support::{Engine, TestApp, TestDb};

fn signer() -> Signer {
    Signer::from_seed("fazhi-log/999900", [42u8; 32]).expect("signer")
}

async fn signed(store: &Store) -> fazhi_app::store::ledger::StoredCheckpoint {
    store
        .sign_checkpoint(
            fazhi_app::store::ROOT_JURISDICTION,
            &signer(),
            "2026-03-02T01:00:00Z",
        )
        .await
        .expect("sign")
        .expect("checkpoint")
}

async fn verify(store: &Store) -> fazhi_app::store::ledger::VerifyReport {
    store
        .verify_ledger(fazhi_app::store::ROOT_JURISDICTION, &signer().verifier())
        .await
        .expect("verify runs")
}

/// SQL text with a blob literal for the engine.
fn blob(db: &TestDb, hex: &str) -> String {
    match db.engine {
        Engine::Sqlite => format!("X'{hex}'"),
        Engine::Postgres => format!("'\\x{hex}'::bytea"),
    }
}

db_test!(
    every_change_is_in_the_log_and_the_log_verifies,
    with_demo,
    |db| {
        let store = &db.store;
        let size = store
            .ledger_size(fazhi_app::store::ROOT_JURISDICTION)
            .await
            .expect("size");
        // The demo's root is its city: the city's events are in the city's log, each
        // district's in its own.
        assert_eq!(
            size as i64,
            store
                .count_raw("SELECT COUNT(*) FROM events WHERE jurisdiction_id = 1")
                .await
                .expect("events"),
            "one leaf per event"
        );
        let checkpoint = signed(store).await;
        assert_eq!(checkpoint.tree_size, size);
        let report = verify(store).await;
        assert_eq!(report.divergence, None);
        assert_eq!((report.leaves, report.checkpoints), (size, 1));
        // An event's proof checks against the signed checkpoint with nothing but public material.
        let proof = store
            .prove_event(fazhi_app::store::ROOT_JURISDICTION, 3)
            .await
            .expect("proof");
        let (body, _) = open_note(&proof.checkpoint, &[signer().verifier()]).expect("signed");
        let parsed = Checkpoint::parse(&body).expect("checkpoint");
        let (_, hashes) = fazhi_ledger::InclusionProof::from_json(
            &serde_json::to_string(&proof.proof).expect("json"),
        )
        .expect("proof");
        let leaf = fazhi_ledger::Hash::from_hex(&proof.leaf_hash).expect("hex");
        check_record(&hashes, parsed.size, parsed.root, proof.leaf_index, leaf)
            .expect("inclusion holds");
    }
);

db_test!(a_changed_event_is_named_by_verify, with_demo, |db| {
    let store = &db.store;
    signed(store).await;
    store
        // Event 2 is in the city's log (its first district's creation).
        .execute_raw("UPDATE events SET at = '2000-01-01T00:00:00Z' WHERE id = 2")
        .await
        .expect("sabotage");
    let report = verify(store).await;
    let divergence = report.divergence.expect("detected");
    assert_eq!(divergence.event_id, Some(2), "{divergence:?}");
    assert!(
        divergence.what.contains("event was changed"),
        "{divergence:?}"
    );
});

db_test!(a_deleted_event_is_detected, with_demo, |db| {
    let store = &db.store;
    signed(store).await;
    // Remove an event and its leaf (the foreign key forbids removing the event alone).
    store
        .execute_raw("DELETE FROM ledger_leaves WHERE event_id = 3")
        .await
        .expect("sabotage");
    let report = verify(store).await;
    assert!(
        report
            .divergence
            .expect("detected")
            .what
            .contains("missing")
    );
});

db_test!(
    a_changed_stored_hash_or_checkpoint_is_detected,
    with_demo,
    |db| {
        let store = &db.store;
        signed(store).await;
        store
            .execute_raw(&format!(
                "UPDATE ledger_hashes SET hash = {} WHERE hash_index = {}",
                blob(db, &"00".repeat(32)),
                fazhi_ledger::stored_hash_index(1, 0)
            ))
            .await
            .expect("sabotage");
        assert!(
            verify(store)
                .await
                .divergence
                .expect("detected")
                .what
                .contains("stored tree hash")
        );

        let other = TestDb::with_demo(db.engine).await.expect("second database");
        signed(&other.store).await;
        other.store.execute_raw("UPDATE ledger_checkpoints SET note = replace(note, '\u{2014} fazhi-log/999900 ', '\u{2014} fazhi-log/999900 A')").await.expect("sabotage");
        assert!(
            verify(&other.store)
                .await
                .divergence
                .expect("detected")
                .what
                .contains("checkpoint")
        );
        other.cleanup().await;
    }
);

db_test!(
    rolling_the_log_back_and_appending_differently_breaks_consistency,
    with_demo,
    |db| {
        let store = &db.store;
        let published = signed(store).await; // someone kept this checkpoint
        let size = published.tree_size;
        let keep = size - 3;
        // Roll back the last three leaves (and their events) as an insider with database access would.
        let first_hash = fazhi_ledger::stored_hash_count(keep);
        store
            .execute_raw(&format!(
                "DELETE FROM ledger_hashes WHERE hash_index >= {first_hash}"
            ))
            .await
            .expect("sabotage");
        store
            .execute_raw(&format!(
                "DELETE FROM ledger_leaves WHERE leaf_index >= {keep}"
            ))
            .await
            .expect("sabotage");
        store
            .execute_raw(&format!(
                "DELETE FROM ledger_checkpoints WHERE tree_size > {keep}"
            ))
            .await
            .expect("sabotage");
        store
            .execute_raw(&format!("UPDATE ledger_logs SET size = {keep}"))
            .await
            .expect("sabotage");
        // ... and append something else in their place.
        for index in 0..5 {
            let input = fazhi_app::domain::DepartmentInput::parse(
                &format!("改写部门{index}"),
                "政府工作部门",
                false,
                "",
                "",
            )
            .expect("valid");
            store
                .create_department(
                    None,
                    "2026-03-02T01:00:00Z",
                    fazhi_app::store::ROOT_JURISDICTION,
                    &input,
                )
                .await
                .expect("append");
        }
        let rewritten = signed(store).await;
        assert!(rewritten.tree_size > size);
        let proof = store
            .consistency_proof(
                fazhi_app::store::ROOT_JURISDICTION,
                size,
                rewritten.tree_size,
            )
            .await
            .expect("proof");
        assert!(
            check_tree(
                &proof,
                rewritten.tree_size,
                rewritten.root,
                size,
                published.root
            )
            .is_err(),
            "the published checkpoint exposes the rewrite"
        );
    }
);

db_test!(
    the_public_log_endpoints_serve_checkpoints_and_proofs,
    with_demo,
    |db| {
        let store = &db.store;
        let checkpoint = signed(store).await;
        let mut app = TestApp::new(store);
        let note = app.get("/log/checkpoint").await;
        assert_eq!(note.status, StatusCode::OK);
        assert_eq!(note.body, checkpoint.note);
        let proof = app
            .get(&format!(
                "/log/proof/inclusion?index=2&size={}",
                checkpoint.tree_size
            ))
            .await;
        assert_eq!(proof.status, StatusCode::OK);
        let (_, hashes) =
            fazhi_ledger::InclusionProof::from_json(&proof.body).expect("valid document");
        assert!(!hashes.is_empty());
        let consistency = app
            .get(&format!(
                "/log/proof/consistency?old=3&new={}",
                checkpoint.tree_size
            ))
            .await;
        assert_eq!(consistency.status, StatusCode::OK);
        assert_eq!(
            app.get("/log/proof/inclusion?index=9999999&size=1")
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        // The city's log is shorter than a tile; its largest district's holds more, served at
        // the district's own latest checkpoint.
        let district = store
            .jurisdiction_by_code("999902")
            .await
            .expect("read")
            .expect("the demo's largest district")
            .id;
        let district_signer = Signer::from_seed("fazhi-log/999902", [43u8; 32]).expect("signer");
        store
            .sign_checkpoint(district, &district_signer, "2026-03-02T01:00:00Z")
            .await
            .expect("sign")
            .expect("checkpoint");
        let tile = app.get("/j/999902/log/tile/0/000").await;
        assert_eq!(
            tile.status,
            StatusCode::OK,
            "a full tile of the first 256 leaves"
        );
        assert_eq!(
            app.get("/log/tile/0/x999/000").await.status,
            StatusCode::NOT_FOUND
        );
        assert!(app.get("/log").await.body.contains("日志验证"));
    }
);
