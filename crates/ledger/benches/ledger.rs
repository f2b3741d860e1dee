//! Ledger figures, each against a reference in the same run (`cargo bench -p fazhi-ledger`):
//! appending leaves vs hashing the same bytes with SHA-256 alone; inclusion-proof generation on a
//! 10,000,000-leaf log; rebuilding the tree from leaves (the `verify` path) vs raw SHA-256.

use std::sync::OnceLock;

use fazhi_ledger::{Hash, MemStore, TreeBuilder, leaf_hash, prove_record, record_commitment};
use sha2::{Digest, Sha256};

fn main() {
    divan::main();
}

const N: u64 = 10_000;

fn events() -> &'static Vec<Vec<u8>> {
    static EVENTS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    EVENTS.get_or_init(|| {
        (0..N)
            .map(|i| {
                format!(
                    r#"{{"kind":"case.step","subject":"case:{i}","body":{{"action":"file_case"}}}}"#
                )
                .into_bytes()
            })
            .collect()
    })
}

#[divan::bench]
fn append_10k_leaves(bencher: divan::Bencher) {
    let salt = [7u8; 32];
    bencher.bench(|| {
        let mut store = MemStore::new();
        for event in events() {
            let _ = store.append(leaf_hash(&record_commitment(&salt, event)));
        }
        store.size()
    });
}

#[divan::bench]
fn sha256_only_10k_events(bencher: divan::Bencher) {
    bencher.bench(|| {
        events()
            .iter()
            .map(|e| Sha256::digest(e)[0] as u64)
            .sum::<u64>()
    });
}

#[divan::bench]
fn rebuild_10k_leaves(bencher: divan::Bencher) {
    let salt = [7u8; 32];
    bencher.bench(|| {
        let mut builder = TreeBuilder::new();
        for event in events() {
            builder.push(leaf_hash(&record_commitment(&salt, event)));
        }
        builder.root()
    });
}

fn big_log() -> &'static MemStore {
    static LOG: OnceLock<MemStore> = OnceLock::new();
    LOG.get_or_init(|| {
        let mut store = MemStore::new();
        for i in 0..10_000_000u64 {
            let _ = store.append(leaf_hash(&i.to_le_bytes()));
        }
        store
    })
}

#[divan::bench(sample_count = 200)]
fn inclusion_proof_in_10m_leaves(bencher: divan::Bencher) {
    let log = big_log();
    let mut index = 0u64;
    bencher.bench_local(|| {
        index = (index + 7_919_993) % 10_000_000;
        prove_record(10_000_000, index, log)
            .map(|p| p.len())
            .unwrap_or(0)
    });
    let proof: Vec<Hash> = prove_record(10_000_000, 1234, log).unwrap_or_default();
    eprintln!(
        "inclusion proof in a 10,000,000-leaf log: {} hashes = {} bytes",
        proof.len(),
        proof.len() * 32
    );
}
