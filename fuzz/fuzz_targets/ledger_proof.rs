//! Proofs, in three modes:
//! - input starting with `{`: a JSON proof document; one that decodes re-encodes and decodes to
//!   the same proof, with exactly the hash count its sizes require;
//! - otherwise the first byte picks, when even, raw proofs (sizes, index and hashes taken from
//!   the input): Go-style `check_*` and RFC 9162 `verify_*` must agree and neither may panic;
//! - when odd, real proofs from a 300-leaf tree, then changed as the input says: an unchanged
//!   proof verifies, and the two verifiers agree on the changed one.

#![no_main]

use std::sync::OnceLock;

use fazhi_ledger::{
    ConsistencyProof, Hash, InclusionProof, MemStore, check_record, check_tree,
    consistency_proof_len, inclusion_proof_len, leaf_hash, prove_record, prove_tree, tree_hash,
    verify_consistency, verify_inclusion,
};
use libfuzzer_sys::fuzz_target;

const SIZE: u64 = 300;

fn log() -> &'static (MemStore, Vec<Hash>) {
    static LOG: OnceLock<(MemStore, Vec<Hash>)> = OnceLock::new();
    LOG.get_or_init(|| {
        let mut store = MemStore::new();
        for i in 0..SIZE {
            store.append(leaf_hash(&i.to_be_bytes())).expect("append");
        }
        let roots = (0..=SIZE)
            .map(|n| tree_hash(n, &store).expect("root"))
            .collect();
        (store, roots)
    })
}

fn u64_at(data: &[u8], at: usize) -> u64 {
    let mut bytes = [0u8; 8];
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = data.get(at + i).copied().unwrap_or(0);
    }
    u64::from_le_bytes(bytes)
}

fn documents(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(proof) = InclusionProof::decode(text) {
        assert_eq!(
            InclusionProof::decode(&proof.to_json()).as_ref(),
            Ok(&proof)
        );
        assert_eq!(
            proof.hashes.len(),
            inclusion_proof_len(proof.leaf_index, proof.tree_size)
        );
    }
    if let Ok(proof) = ConsistencyProof::decode(text) {
        assert_eq!(
            ConsistencyProof::decode(&proof.to_json()).as_ref(),
            Ok(&proof)
        );
        assert_eq!(
            proof.hashes.len(),
            consistency_proof_len(proof.old_size, proof.new_size)
        );
    }
}

fn raw(data: &[u8]) {
    let (size, index, old) = (u64_at(data, 0), u64_at(data, 8), u64_at(data, 16));
    let hashes: Vec<Hash> = data
        .get(24..)
        .unwrap_or_default()
        .chunks_exact(32)
        .map(|chunk| Hash::from_slice(chunk).expect("32 bytes"))
        .collect();
    let (leaf, root) = (
        hashes.first().copied().unwrap_or_default(),
        hashes.get(1).copied().unwrap_or_default(),
    );
    let proof = hashes.get(2..).unwrap_or_default();
    if size > 0 {
        let index = index % size;
        assert_eq!(
            check_record(proof, size, root, index, leaf).is_ok(),
            verify_inclusion(index, size, leaf, proof, root).is_ok()
        );
        let old = 1 + old % size;
        assert_eq!(
            check_tree(proof, size, root, old, leaf).is_ok(),
            verify_consistency(old, size, leaf, root, proof).is_ok()
        );
    }
    let _ = check_record(proof, size, root, index, leaf);
    let _ = check_tree(proof, size, root, old, leaf);
}

fn real(data: &[u8]) {
    let (store, roots) = log();
    let size = 1 + u64_at(data, 0) % SIZE;
    let index = u64_at(data, 8) % size;
    let old = 1 + u64_at(data, 16) % size;
    let mut inclusion = prove_record(size, index, store).expect("prove");
    let mut consistency = prove_tree(size, old, store).expect("prove");
    let leaf = leaf_hash(&index.to_be_bytes());
    assert!(check_record(&inclusion, size, roots[size as usize], index, leaf).is_ok());
    assert!(
        check_tree(
            &consistency,
            size,
            roots[size as usize],
            old,
            roots[old as usize]
        )
        .is_ok()
    );
    // Then change sizes, index and hash bytes as the rest of the input says.
    let (mut size2, mut index2, mut old2) = (size, index, old);
    for op in data.get(24..).unwrap_or_default().chunks(3) {
        let (kind, a, b) = (
            op.first().copied().unwrap_or(0),
            op.get(1).copied().unwrap_or(0),
            op.get(2).copied().unwrap_or(0),
        );
        match kind % 6 {
            0 => size2 = 1 + (u64::from(a) | u64::from(b) << 8) % SIZE,
            1 => index2 = u64::from(a) | u64::from(b) << 8,
            2 => old2 = 1 + (u64::from(a) | u64::from(b) << 8),
            3 if !inclusion.is_empty() => {
                let at = usize::from(a) % inclusion.len();
                inclusion[at].0[usize::from(b) % 32] ^= 1 | b;
            }
            4 if !consistency.is_empty() => {
                let at = usize::from(a) % consistency.len();
                consistency[at].0[usize::from(b) % 32] ^= 1 | b;
            }
            5 => {
                inclusion.truncate(usize::from(a) % 70);
                consistency.truncate(usize::from(b) % 70);
            }
            _ => {}
        }
    }
    let root = roots[size2 as usize];
    let index2 = index2 % size2;
    assert_eq!(
        check_record(&inclusion, size2, root, index2, leaf).is_ok(),
        verify_inclusion(index2, size2, leaf, &inclusion, root).is_ok()
    );
    let old2 = old2.min(size2);
    let old_root = roots[old2 as usize];
    assert_eq!(
        check_tree(&consistency, size2, root, old2, old_root).is_ok(),
        verify_consistency(old2, size2, old_root, root, &consistency).is_ok()
    );
}

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((b'{', _)) => documents(data),
        Some((mode, rest)) if mode % 2 == 0 => raw(rest),
        Some((_, rest)) => real(rest),
        None => {}
    }
});
