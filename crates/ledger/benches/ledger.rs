//! Ledger figures, each next to a reference measured in the same run
//! (`cargo bench -p fazhi-ledger --bench ledger`):
//!
//! - `append`: committing and appending 100,000 events of ~300 bytes to a [`MemStore`] (salted
//!   commitment, leaf hash, stored hashes) against SHA-256 over the same event bytes alone;
//! - `rebuild`: the `verify` path, recomputing every leaf from its event and salt and rebuilding
//!   the tree with a [`TreeBuilder`], against SHA-256 over the same bytes;
//! - `proof_in_10m`: inclusion proofs (and checking them) in a 10,000,000-leaf log, built once.
//!   The proof's size is printed.
//!
//! The library's part of an append is measured here; the store integration adds its SQL.

use std::sync::OnceLock;
use std::time::Instant;

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use fazhi_ledger::{
    Hash, MemStore, TreeBuilder, check_record, leaf_hash, prove_record, record_leaf_hash, tree_hash,
};
use sha2::{Digest, Sha256};

fn main() {
    divan::main();
}

const EVENTS: usize = 100_000;
const BIG: u64 = 10_000_000;

/// Events shaped like Fazhi's canonical event JSON, each with its own salt.
fn events() -> &'static [(Vec<u8>, [u8; 32])] {
    static EVENTS_CELL: OnceLock<Vec<(Vec<u8>, [u8; 32])>> = OnceLock::new();
    EVENTS_CELL.get_or_init(|| {
        (0..EVENTS)
            .map(|i| {
                let event = format!(
                    r#"{{"actor_user_id":{},"at":"2026-11-23T08:{:02}:{:02}Z","body":{{"action":"accept","article":"《行政复议法》第三十条","note":"申请材料齐全，符合受理条件"}},"id":{i},"kind":"case.step","subject":"case:{}"}}"#,
                    i % 97,
                    i % 60,
                    (i / 60) % 60,
                    i / 7
                );
                let salt: [u8; 32] = Sha256::digest(i.to_le_bytes()).into();
                (event.into_bytes(), salt)
            })
            .collect()
    })
}

fn event_bytes() -> u64 {
    events().iter().map(|(event, _)| event.len() as u64).sum()
}

#[divan::bench(sample_count = 20)]
fn append_100k_events(bencher: Bencher) {
    bencher
        .counter(BytesCount::new(event_bytes()))
        .with_inputs(|| MemStore::with_capacity(EVENTS as u64))
        .bench_local_values(|mut store| {
            for (event, salt) in events() {
                let _ = store.append(record_leaf_hash(salt, event));
            }
            store.size()
        });
}

#[divan::bench(sample_count = 20)]
fn append_reference_sha256_only(bencher: Bencher) {
    bencher.counter(BytesCount::new(event_bytes())).bench(|| {
        events()
            .iter()
            .map(|(event, _)| u64::from(Sha256::digest(event)[0]))
            .sum::<u64>()
    });
}

#[divan::bench(sample_count = 20)]
fn rebuild_100k_events(bencher: Bencher) {
    bencher.counter(BytesCount::new(event_bytes())).bench(|| {
        let mut builder = TreeBuilder::new();
        let mut stored = 0u64;
        for (event, salt) in events() {
            builder.push_with(record_leaf_hash(salt, event), |hash| {
                stored += u64::from(hash.0[0]);
            });
        }
        (builder.root(), stored)
    });
}

#[divan::bench(sample_count = 20)]
fn rebuild_reference_sha256_only(bencher: Bencher) {
    bencher.counter(BytesCount::new(event_bytes())).bench(|| {
        events()
            .iter()
            .map(|(event, _)| u64::from(Sha256::digest(event)[0]))
            .sum::<u64>()
    });
}

/// A real 10,000,000-leaf tree (20 million stored hashes, 640 MB), built once.
fn big_log() -> &'static MemStore {
    static LOG: OnceLock<MemStore> = OnceLock::new();
    LOG.get_or_init(|| {
        let started = Instant::now();
        let mut store = MemStore::with_capacity(BIG);
        for i in 0..BIG {
            let _ = store.append(leaf_hash(&i.to_le_bytes()));
        }
        eprintln!(
            "built a {BIG}-leaf log ({} stored hashes) in {:.1} s",
            store.stored().len(),
            started.elapsed().as_secs_f64()
        );
        store
    })
}

#[divan::bench(sample_count = 1000)]
fn proof_in_10m_prove_record(bencher: Bencher) {
    let log = big_log();
    let proof: Vec<Hash> = prove_record(BIG, 1_234_567, log).unwrap_or_default();
    eprintln!(
        "inclusion proof in a {BIG}-leaf log: {} hashes = {} bytes ({} bytes as JSON)",
        proof.len(),
        proof.len() * 32,
        fazhi_ledger::InclusionProof::new(1_234_567, BIG, &proof)
            .to_json()
            .len()
    );
    let mut index = 0u64;
    bencher.counter(ItemsCount::new(1u32)).bench_local(|| {
        index = (index + 7_919_993) % BIG;
        prove_record(BIG, index, log).map(|p| p.len()).unwrap_or(0)
    });
}

#[divan::bench(sample_count = 1000)]
fn proof_in_10m_check_record(bencher: Bencher) {
    let log = big_log();
    let root = tree_hash(BIG, log).unwrap_or_default();
    let index = 8_765_432;
    let proof = prove_record(BIG, index, log).unwrap_or_default();
    let leaf = leaf_hash(&index.to_le_bytes());
    bencher.bench_local(|| check_record(&proof, BIG, root, index, leaf).is_ok());
}

#[divan::bench(sample_count = 1000)]
fn proof_in_10m_tree_hash(bencher: Bencher) {
    let log = big_log();
    bencher.bench_local(|| tree_hash(BIG - 1, log).unwrap_or_default());
}
