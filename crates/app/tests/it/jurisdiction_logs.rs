//! Every jurisdiction's own log on both databases: events appended to a jurisdiction grow only
//! its log, each log verifies with its own key, proofs and tiles are served per log under
//! `/j/<code>/log`; the government above cosigns each subordinate checkpoint that extends the
//! last one it cosigned, remembers that across a reopen, and refuses (storing why, cosigning
//! nothing) a log whose history was rewritten or forked.

use axum::http::StatusCode;
use fazhi_app::domain::JurisdictionInput;
use fazhi_app::log_key::{KeyDir, origin_for};
use fazhi_app::log_signing::sign_and_witness;
use fazhi_app::store::events::{self, NewEvent};
use fazhi_app::store::{OpenMode, ROOT_JURISDICTION, Store, StoreError};
use fazhi_app::web::{self, messages};
use fazhi_ledger::{Checkpoint, CosignatureVerifier, Signer, check_record, check_tree, open_note};

use crate::db_test;
use crate::support::{TestApp, test_now, test_state};

const AT: &str = "2026-03-02T01:00:00Z";

fn signer(code: &str) -> Signer {
    let seed = code.bytes().fold([9u8; 32], |mut seed, b| {
        seed[usize::from(b % 32)] ^= b;
        seed
    });
    Signer::from_seed(&origin_for(code), seed).expect("signer")
}

/// 湖北省 (the root) → 武汉市, 黄石市: the ids of the two cities.
async fn hubei(store: &Store) -> (i64, i64) {
    let province = JurisdictionInput::parse("湖北省", "province", "420000").expect("valid");
    store
        .set_jurisdiction(None, AT, &province, None)
        .await
        .expect("root");
    let mut ids = Vec::new();
    for (name, code) in [("武汉市", "420100"), ("黄石市", "420200")] {
        let input = JurisdictionInput::parse(name, "city", code).expect("valid");
        ids.push(
            store
                .create_jurisdiction(None, AT, ROOT_JURISDICTION, &input)
                .await
                .expect("child"),
        );
    }
    (ids[0], ids[1])
}

/// Appends `count` events to jurisdiction `id`'s journal and log; their ids.
async fn append(store: &Store, id: i64, label: &str, count: usize) -> Vec<i64> {
    let events: Vec<NewEvent<'_>> = (0..count)
        .map(|n| NewEvent {
            kind: "test.local",
            subject: format!("{label}:{n}"),
            actor_user_id: None,
            at: AT.to_owned(),
            body: serde_json::json!({"n": n, "label": label}),
        })
        .collect();
    let mut tx = store.begin().await.expect("begin");
    let ids = events::append_many(&mut tx, id, &events)
        .await
        .expect("append");
    tx.commit().await.expect("commit");
    ids
}

/// Throws jurisdiction `id`'s log away as an insider with database access would (its events
/// stay), so that it can be written again differently.
async fn erase_log(store: &Store, id: i64) {
    for sql in [
        format!("DELETE FROM ledger_hashes WHERE jurisdiction_id = {id}"),
        format!("DELETE FROM ledger_leaves WHERE jurisdiction_id = {id}"),
        format!("DELETE FROM ledger_checkpoints WHERE jurisdiction_id = {id}"),
        format!("UPDATE ledger_logs SET size = 0 WHERE jurisdiction_id = {id}"),
    ] {
        store.execute_raw(&sql).await.expect("sabotage");
    }
}

db_test!(
    each_jurisdiction_keeps_and_serves_its_own_log,
    migrated,
    |db| {
        let store = &db.store;
        let (wuhan, huangshi) = hubei(store).await;
        let root_size = store.ledger_size(ROOT_JURISDICTION).await.expect("size");
        assert!(root_size >= 3, "the tree's own events are the root's");
        assert_eq!(store.ledger_size(wuhan).await.expect("size"), 0);

        let wuhan_events = append(store, wuhan, "wuhan", 300).await;
        let huangshi_events = append(store, huangshi, "huangshi", 5).await;
        assert_eq!(store.ledger_size(wuhan).await.expect("size"), 300);
        assert_eq!(store.ledger_size(huangshi).await.expect("size"), 5);
        assert_eq!(
            store.ledger_size(ROOT_JURISDICTION).await.expect("size"),
            root_size,
            "the root's log did not grow"
        );
        assert_eq!(
            store.logs_to_sign().await.expect("grown"),
            vec![ROOT_JURISDICTION, wuhan, huangshi]
        );

        // Each log is signed by its own key and verifies with it, and only with it.
        let (root_key, wuhan_key, huangshi_key) =
            (signer("420000"), signer("420100"), signer("420200"));
        store
            .sign_checkpoint(ROOT_JURISDICTION, &root_key, AT)
            .await
            .expect("sign");
        let wuhan_checkpoint = store
            .sign_checkpoint(wuhan, &wuhan_key, AT)
            .await
            .expect("sign")
            .expect("checkpoint");
        let huangshi_checkpoint = store
            .sign_checkpoint(huangshi, &huangshi_key, AT)
            .await
            .expect("sign")
            .expect("checkpoint");
        assert!(store.logs_to_sign().await.expect("grown").is_empty());
        assert_eq!(
            (wuhan_checkpoint.tree_size, huangshi_checkpoint.tree_size),
            (300, 5)
        );
        let opened = Checkpoint::open(&wuhan_checkpoint.note, &wuhan_key.verifier()).expect("open");
        assert_eq!(opened.origin, "fazhi-log/420100");
        for (id, key, size) in [
            (ROOT_JURISDICTION, &root_key, root_size),
            (wuhan, &wuhan_key, 300),
            (huangshi, &huangshi_key, 5),
        ] {
            let report = store
                .verify_ledger(id, &key.verifier())
                .await
                .expect("verify runs");
            assert_eq!(report.divergence, None, "log of {id}");
            assert_eq!((report.leaves, report.checkpoints), (size, 1));
        }
        let wrong_key = store
            .verify_ledger(wuhan, &huangshi_key.verifier())
            .await
            .expect("verify runs");
        assert!(
            wrong_key
                .divergence
                .expect("another log's key")
                .what
                .contains("checkpoint")
        );

        // An event's leaf and proof are in its own jurisdiction's log.
        let last = *wuhan_events.last().expect("events");
        assert_eq!(
            store.leaf_of_event(wuhan, last).await.expect("leaf"),
            Some(299)
        );
        assert_eq!(
            store.leaf_of_event(huangshi, last).await.expect("leaf"),
            None
        );
        assert_eq!(store.event_jurisdiction(last).await.expect("event"), wuhan);
        assert_eq!(
            store
                .leaf_of_event(huangshi, huangshi_events[4])
                .await
                .expect("leaf"),
            Some(4)
        );
        let proof = store.prove_event(wuhan, last).await.expect("proof");
        assert_eq!(proof.checkpoint, wuhan_checkpoint.note);
        assert!(matches!(
            store.prove_event(ROOT_JURISDICTION, last).await,
            Err(StoreError::NotFound)
        ));

        // The public endpoints, per log.
        let mut app = TestApp::new(store);
        let note = app.get("/j/420100/log/checkpoint").await;
        assert_eq!(
            (note.status, note.body.as_str()),
            (StatusCode::OK, wuhan_checkpoint.note.as_str())
        );
        let root_note = app.get("/log/checkpoint").await;
        assert_eq!(
            app.get("/j/420000/log/checkpoint").await.body,
            root_note.body,
            "/log is the root's log"
        );
        let inclusion = app
            .get("/j/420100/log/proof/inclusion?index=299&size=300")
            .await;
        assert_eq!(inclusion.status, StatusCode::OK);
        let (_, hashes) = fazhi_ledger::InclusionProof::from_json(&inclusion.body).expect("proof");
        let leaf = fazhi_ledger::Hash::from_hex(&proof.leaf_hash).expect("hex");
        check_record(&hashes, 300, wuhan_checkpoint.root, 299, leaf).expect("inclusion holds");
        let consistency = app
            .get("/j/420100/log/proof/consistency?old=10&new=300")
            .await;
        assert_eq!(consistency.status, StatusCode::OK);
        let consistency = fazhi_ledger::ConsistencyProof::decode(&consistency.body).expect("proof");
        let at_ten = store.ledger_root(wuhan, 10).await.expect("root");
        check_tree(&consistency.hashes, 300, wuhan_checkpoint.root, 10, at_ten)
            .expect("consistency holds");
        assert_eq!(
            app.get("/j/420200/log/proof/consistency?old=1&new=300")
                .await
                .status,
            StatusCode::BAD_REQUEST,
            "黄石市's log has 5 leaves"
        );
        let full = app.get("/j/420100/log/tile/0/000").await;
        assert_eq!((full.status, full.bytes.len()), (StatusCode::OK, 256 * 32));
        assert_eq!(
            app.get("/j/420200/log/tile/0/000.p/5").await.bytes.len(),
            5 * 32
        );
        assert_eq!(
            app.get("/j/420200/log/tile/0/000").await.status,
            StatusCode::NOT_FOUND
        );
        let unknown = app.get("/j/110000/log").await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert!(unknown.body.contains(messages::errors::NOT_FOUND));
        assert_eq!(
            app.get("/j/110000/log/checkpoint").await.status,
            StatusCode::NOT_FOUND
        );
        let page = app.get("/j/420100/log").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("武汉市") && page.body.contains("上级 湖北省 见证"));
        assert!(page.body.contains("上级尚未副署"), "{}", page.body);
        assert!(app.get("/log").await.body.contains("最高一级"));
    }
);

db_test!(
    the_government_above_cosigns_and_refuses_rewritten_logs,
    migrated,
    |db| {
        let store = &db.store;
        let (wuhan, huangshi) = hubei(store).await;
        let dir = tempfile::tempdir().expect("dir");
        let keys = KeyDir::new(dir.path().join("keys"), dir.path().join("root.key"));
        append(store, wuhan, "wuhan", 20).await;
        append(store, huangshi, "huangshi", 3).await;
        let round = sign_and_witness(store, &keys, test_now())
            .await
            .expect("round");
        assert_eq!(round.signed.len(), 3, "{round:?}");
        assert_eq!(round.cosigned, vec![(wuhan, 20), (huangshi, 3)]);
        assert!(round.refused.is_empty());

        // The served checkpoint carries the log's signature, the witness's plain note signature
        // and its cosignature/v1 line.
        let root = store
            .jurisdiction_by_id(ROOT_JURISDICTION)
            .await
            .expect("root");
        let witness_key = keys.witness_signer(&root).expect("witness").verifier();
        assert_eq!(witness_key.name(), "fazhi-witness/420000");
        let wuhan_key = keys
            .log_signer(&store.jurisdiction_by_id(wuhan).await.expect("wuhan"))
            .expect("key")
            .verifier();
        let published = store
            .published_checkpoint(wuhan)
            .await
            .expect("read")
            .expect("checkpoint");
        let (_, signatures) =
            open_note(&published.note, &[wuhan_key.clone(), witness_key.clone()]).expect("open");
        assert_eq!(signatures.len(), 2);
        assert_eq!(
            CosignatureVerifier::from_verifier(&witness_key)
                .verify(&published.note)
                .expect("cosignature"),
            u64::try_from(test_now().unix_timestamp()).expect("time")
        );
        let mut app = TestApp::new(store);
        app.router =
            web::router(test_state(store, app.clock.clone()).with_public_keys(keys.public_keys()));
        assert_eq!(
            app.get("/j/420100/log/checkpoint").await.body,
            published.note
        );
        let page = app.get("/j/420100/log").await;
        assert!(
            page.body.contains(&witness_key.to_key_string()),
            "{}",
            page.body
        );
        assert!(page.body.contains(&wuhan_key.to_key_string()));
        assert!(
            page.body
                .contains("副署了规模为 20 的检查点，即上面显示的检查点")
        );

        // The log grows: the witness checks the consistency proof from 20 and cosigns again.
        append(store, wuhan, "wuhan-more", 10).await;
        let round = sign_and_witness(store, &keys, test_now())
            .await
            .expect("round");
        assert_eq!(round.cosigned, vec![(wuhan, 30)]);
        let state = store
            .witness_state(wuhan, ROOT_JURISDICTION)
            .await
            .expect("read")
            .expect("state");
        assert_eq!(state.tree_size, 30);
        assert_eq!(state.log_key, wuhan_key.to_key_string());

        // Reopened (a restart: a new connection, the keys read again from their files), the
        // witness still holds what it cosigned: 黄石市's log written again with other events is
        // not consistent with size 3, and 武汉市's written again to the same size is a fork.
        let reopened = Store::open(&db.url, OpenMode::MustExist)
            .await
            .expect("reopen");
        let keys = KeyDir::new(dir.path().join("keys"), dir.path().join("root.key"));
        erase_log(&reopened, huangshi).await;
        append(&reopened, huangshi, "huangshi-rewritten", 5).await;
        erase_log(&reopened, wuhan).await;
        append(&reopened, wuhan, "wuhan-forked", 30).await;
        let round = sign_and_witness(&reopened, &keys, test_now())
            .await
            .expect("round");
        assert_eq!(round.signed, vec![(wuhan, 30), (huangshi, 5)]);
        assert!(round.cosigned.is_empty(), "{round:?}");
        let kinds: Vec<(i64, u64, &str)> = round
            .refused
            .iter()
            .map(|(id, size, refusal)| (*id, *size, fazhi_app::log_signing::refusal_kind(refusal)))
            .collect();
        assert_eq!(
            kinds,
            vec![(wuhan, 30, "fork"), (huangshi, 5, "inconsistent")]
        );
        for (id, size, kind) in [(wuhan, 30, "fork"), (huangshi, 3, "inconsistent")] {
            let refusals = reopened.witness_refusals(id).await.expect("refusals");
            assert_eq!(refusals.len(), 1);
            assert_eq!(refusals[0].kind, kind);
            assert_eq!(refusals[0].refused_at, AT);
            assert!(!refusals[0].reason.is_empty());
            // Nothing was cosigned: the witness keeps the last tree head it trusted, and the
            // log serves its own checkpoint without a witness line.
            let state = reopened
                .witness_state(id, ROOT_JURISDICTION)
                .await
                .expect("read")
                .expect("state");
            assert_eq!(state.tree_size, size);
            let latest = reopened
                .latest_checkpoint(id)
                .await
                .expect("read")
                .expect("checkpoint");
            let served = reopened
                .published_checkpoint(id)
                .await
                .expect("read")
                .expect("checkpoint");
            assert_eq!(served.note, latest.note);
            assert!(!served.note.contains("fazhi-witness"));
        }
        // A refused checkpoint is refused once, not again at every round.
        let round = sign_and_witness(&reopened, &keys, test_now())
            .await
            .expect("round");
        assert_eq!(round, fazhi_app::log_signing::Round::default());
        assert_eq!(
            reopened
                .witness_refusals(huangshi)
                .await
                .expect("refusals")
                .len(),
            1
        );
        let page = app.get("/j/420200/log").await;
        assert!(
            page.body.contains(messages::log::refusal("inconsistent")),
            "{}",
            page.body
        );
        assert!(page.body.contains("拒绝副署规模为 5 的检查点"));
        reopened.close().await;
    }
);
