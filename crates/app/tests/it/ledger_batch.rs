//! The ledger's bulk write path on both databases: `events::append_many` in batches of every
//! shape (one, a few, across subtree boundaries, larger than one statement's parameters, several
//! in one transaction, mixed with single appends) gives each event its leaf in order and a log
//! that verifies, with proofs that check; a batch whose transaction fails or is rolled back
//! leaves nothing; events journaled before the log get their leaves the same way.

use fazhi_app::store::events::{self, NewEvent};
use fazhi_app::store::{ROOT_JURISDICTION, Store};
use fazhi_ledger::{Checkpoint, Signer, check_record, open_note};

use crate::db_test;

fn signer() -> Signer {
    Signer::from_seed("fazhi-log/999903", [43u8; 32]).expect("signer")
}

fn batch(first: usize, count: usize) -> Vec<NewEvent<'static>> {
    (first..first + count)
        .map(|n| NewEvent {
            kind: "test.batch",
            subject: format!("batch:{n}"),
            actor_user_id: (n % 3 == 0).then_some(n as i64),
            at: "2026-03-02T01:00:00Z".to_owned(),
            body: serde_json::json!({"n": n, "名": "批量", "nested": {"b": [1, 2], "a": null}}),
        })
        .collect()
}

/// Appends `events` in one transaction and checks the ids come back in order, each the id of
/// the event with that subject, each with the next leaf.
async fn append_checked(store: &Store, events: &[NewEvent<'_>]) -> Vec<i64> {
    let size_before = store.ledger_size(ROOT_JURISDICTION).await.expect("size");
    let mut tx = store.begin().await.expect("begin");
    let ids = events::append_many(&mut tx, ROOT_JURISDICTION, events)
        .await
        .expect("append_many");
    tx.commit().await.expect("commit");
    assert_eq!(ids.len(), events.len());
    for (offset, (id, event)) in ids.iter().zip(events).enumerate() {
        let stored = store.events_of(&event.subject).await.expect("events");
        assert_eq!(stored.len(), 1, "{}", event.subject);
        assert_eq!(stored[0].id, *id, "{}", event.subject);
        assert_eq!(stored[0].body, events::canonical_json(&event.body));
        assert_eq!(
            store
                .leaf_of_event(ROOT_JURISDICTION, *id)
                .await
                .expect("leaf"),
            Some(size_before + offset as u64),
            "{}",
            event.subject
        );
    }
    ids
}

async fn assert_verifies(store: &Store, leaves: u64) {
    let report = store
        .verify_ledger(ROOT_JURISDICTION, &signer().verifier())
        .await
        .expect("verify runs");
    assert_eq!(report.divergence, None);
    assert_eq!(report.leaves, leaves);
}

db_test!(
    batches_of_every_shape_give_each_event_its_leaf_and_a_log_that_verifies,
    migrated,
    |db| {
        let store = &db.store;
        let empty = store.ledger_size(ROOT_JURISDICTION).await.expect("size");
        assert_eq!(empty, 0);
        let mut next = 0;
        let mut all = Vec::new();
        // Sizes chosen to start and end batches on and off every subtree boundary.
        for count in [1, 2, 3, 1, 7, 64, 100, 5, 1, 300, 2, 31, 33] {
            all.extend(append_checked(store, &batch(next, count)).await);
            next += count;
        }
        // A single append is a batch of one on the same path.
        let mut tx = store.begin().await.expect("begin");
        let single = events::append(
            &mut tx,
            fazhi_app::store::ROOT_JURISDICTION,
            &batch(next, 1)[0],
        )
        .await
        .expect("append");
        // Two batches in one transaction continue one another.
        let more = events::append_many(&mut tx, ROOT_JURISDICTION, &batch(next + 1, 9))
            .await
            .expect("second batch");
        let empty_batch = events::append_many(&mut tx, ROOT_JURISDICTION, &[])
            .await
            .expect("empty batch");
        assert!(empty_batch.is_empty());
        tx.commit().await.expect("commit");
        next += 10;
        assert!(all.last().is_some_and(|last| *last < single));
        assert_eq!(
            store
                .leaf_of_event(ROOT_JURISDICTION, single)
                .await
                .expect("leaf"),
            Some(next as u64 - 10)
        );
        assert_eq!(
            store
                .leaf_of_event(ROOT_JURISDICTION, more[8])
                .await
                .expect("leaf"),
            Some(next as u64 - 1)
        );
        assert_eq!(
            store.ledger_size(ROOT_JURISDICTION).await.expect("size"),
            next as u64
        );
        assert_verifies(store, next as u64).await;

        // Every event's proof checks against the signed checkpoint.
        let checkpoint = store
            .sign_checkpoint(ROOT_JURISDICTION, &signer(), "2026-03-02T01:00:00Z")
            .await
            .expect("sign")
            .expect("checkpoint");
        let (body, _) = open_note(&checkpoint.note, &[signer().verifier()]).expect("signed");
        let parsed = Checkpoint::parse(&body).expect("checkpoint");
        for id in all.iter().step_by(7).chain([&single, &more[8]]) {
            let proof = store
                .prove_event(ROOT_JURISDICTION, *id)
                .await
                .expect("proof");
            let (_, hashes) = fazhi_ledger::InclusionProof::from_json(
                &serde_json::to_string(&proof.proof).expect("json"),
            )
            .expect("proof json");
            let leaf = fazhi_ledger::Hash::from_hex(&proof.leaf_hash).expect("hex");
            check_record(&hashes, parsed.size, parsed.root, proof.leaf_index, leaf)
                .unwrap_or_else(|e| panic!("event {id}: {e}"));
        }
    }
);

db_test!(
    a_batch_larger_than_one_statement_is_written_whole,
    migrated,
    |db| {
        let store = &db.store;
        append_checked(store, &batch(0, 5)).await;
        // More events, leaves and hashes than one statement takes on either database.
        let big = batch(5, 3_000);
        let mut tx = store.begin().await.expect("begin");
        let ids = events::append_many(&mut tx, ROOT_JURISDICTION, &big)
            .await
            .expect("append_many");
        tx.commit().await.expect("commit");
        assert_eq!(ids.len(), 3_000);
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        for (offset, id) in ids.iter().enumerate().step_by(997) {
            assert_eq!(
                store
                    .leaf_of_event(ROOT_JURISDICTION, *id)
                    .await
                    .expect("leaf"),
                Some(5 + offset as u64)
            );
        }
        assert_eq!(
            store.ledger_size(ROOT_JURISDICTION).await.expect("size"),
            3_005
        );
        assert_eq!(store.count_events().await.expect("events"), 3_005);
        assert_verifies(store, 3_005).await;
    }
);

db_test!(
    a_batch_whose_transaction_fails_or_rolls_back_leaves_nothing,
    migrated,
    |db| {
        let store = &db.store;
        append_checked(store, &batch(0, 6)).await;
        // Rolled back by the caller.
        let mut tx = store.begin().await.expect("begin");
        events::append_many(&mut tx, ROOT_JURISDICTION, &batch(6, 50))
            .await
            .expect("append_many");
        tx.rollback().await.expect("rollback");
        // Refused: no such jurisdiction, so no such log.
        let mut tx = store.begin().await.expect("begin");
        let refused = events::append_many(&mut tx, 999_999, &batch(56, 3)).await;
        assert!(refused.is_err());
        drop(tx);
        assert_eq!(store.ledger_size(ROOT_JURISDICTION).await.expect("size"), 6);
        assert_eq!(store.count_events().await.expect("events"), 6);
        assert_verifies(store, 6).await;
        // The log goes on from where it was.
        append_checked(store, &batch(100, 20)).await;
        assert_verifies(store, 26).await;
    }
);

db_test!(
    events_journaled_before_the_log_get_their_leaves_in_batches,
    migrated,
    |db| {
        let store = &db.store;
        append_checked(store, &batch(0, 5)).await;
        // 1,205 events with no leaf, as a database from before the log holds them: more than
        // one backfill transaction (1,000 each).
        store
            .execute_raw(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1205) \
                 INSERT INTO events (kind, subject, actor_user_id, at, body) \
                 SELECT 'test.old', 'old:' || i, NULL, '2026-03-02T01:00:00Z', '{\"n\":' || i || '}' FROM n",
            )
            .await
            .expect("old events");
        assert_eq!(
            store
                .backfill_ledger(ROOT_JURISDICTION)
                .await
                .expect("backfill"),
            1205
        );
        assert_eq!(
            store
                .backfill_ledger(ROOT_JURISDICTION)
                .await
                .expect("again"),
            0
        );
        assert_eq!(
            store.ledger_size(ROOT_JURISDICTION).await.expect("size"),
            1210
        );
        assert_verifies(store, 1210).await;
        append_checked(store, &batch(5, 40)).await;
        assert_verifies(store, 1250).await;
    }
);
