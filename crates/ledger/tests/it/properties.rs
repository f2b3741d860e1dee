//! Properties over random trees: every inclusion and consistency proof verifies, and any changed
//! leaf, sibling, index or size fails; stored hashes from the builder equal the store's;
//! checkpoints and notes round-trip and tampering is caught.

use fazhi_ledger::{
    Checkpoint, Hash, MemStore, Signer, TreeBuilder, check_record, check_tree, leaf_hash,
    open_note, prove_record, prove_tree, sign_note, tree_hash,
};
use proptest::prelude::*;

fn log(n: u64) -> MemStore {
    let mut store = MemStore::new();
    for i in 0..n {
        store.append(leaf_hash(&i.to_be_bytes())).expect("append");
    }
    store
}

fn flip(hash: &Hash, byte: usize) -> Hash {
    let mut changed = *hash;
    changed.0[byte % 32] ^= 0x01;
    changed
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_inclusion_proof_verifies_and_tampering_fails(size in 1u64..300, pick in any::<u64>(), byte in 0usize..32) {
        let store = log(size);
        let root = tree_hash(size, &store).expect("root");
        for index in [pick % size, 0, size - 1] {
            let leaf = leaf_hash(&index.to_be_bytes());
            let proof = prove_record(size, index, &store).expect("prove");
            prop_assert!(check_record(&proof, size, root, index, leaf).is_ok());
            prop_assert!(check_record(&proof, size, root, index, flip(&leaf, byte)).is_err(), "changed leaf");
            if let Some(first) = proof.first() {
                let mut bad = proof.clone();
                bad[0] = flip(first, byte);
                prop_assert!(check_record(&bad, size, root, index, leaf).is_err(), "changed sibling");
            }
            if size > 1 {
                prop_assert!(check_record(&proof, size, root, (index + 1) % size, leaf).is_err(), "changed index");
            }
            // The size is bound through the tree's shape (see `check_record`): a size of another
            // shape must fail; the signed checkpoint binds the rest.
            if fazhi_ledger::inclusion_proof_len(index, size + 1) != proof.len() {
                prop_assert!(check_record(&proof, size + 1, root, index, leaf).is_err(), "changed size");
            }
            prop_assert!(check_record(&proof, size + 1, tree_hash(size, &log(size)).map(|r| flip(&r, byte)).expect("root"), index, leaf).is_err());
        }
    }

    #[test]
    fn every_consistency_proof_verifies_and_tampering_fails(new in 1u64..300, pick in any::<u64>(), byte in 0usize..32) {
        let store = log(new);
        let new_root = tree_hash(new, &store).expect("root");
        let old = 1 + pick % new;
        let old_root = tree_hash(old, &store).expect("root");
        let proof = prove_tree(new, old, &store).expect("prove");
        prop_assert!(check_tree(&proof, new, new_root, old, old_root).is_ok());
        prop_assert!(check_tree(&proof, new, new_root, old, flip(&old_root, byte)).is_err());
        prop_assert!(check_tree(&proof, new, flip(&new_root, byte), old, old_root).is_err());
        if let Some(first) = proof.first() {
            let mut bad = proof.clone();
            bad[0] = flip(first, byte);
            prop_assert!(check_tree(&bad, new, new_root, old, old_root).is_err());
        }
        if old < new {
            prop_assert!(check_tree(&proof, new, new_root, old + 1, old_root).is_err(), "changed size");
        }
    }

    #[test]
    fn the_builder_reproduces_the_stored_hashes(size in 0u64..500) {
        let store = log(size);
        let mut builder = TreeBuilder::new();
        let mut stored = Vec::new();
        for i in 0..size {
            stored.extend(builder.push(leaf_hash(&i.to_be_bytes())));
        }
        prop_assert_eq!(stored.as_slice(), store.stored());
        prop_assert_eq!(builder.root(), tree_hash(size, &store).expect("root"));
    }

    #[test]
    fn checkpoints_round_trip_and_signed_ones_open(size in any::<u64>(), seed in any::<[u8; 32]>(), root in any::<[u8; 32]>()) {
        let checkpoint = Checkpoint { origin: "fazhi.example/999902/log".into(), size, root: Hash(root), extensions: vec![] };
        let body = checkpoint.to_body();
        prop_assert_eq!(Checkpoint::parse(&body).expect("parse"), checkpoint);
        let signer = Signer::from_seed("fazhi.example/999902/log", seed).expect("signer");
        let note = sign_note(&body, &signer).expect("sign");
        let (text, _) = open_note(&note, &[signer.verifier()]).expect("open");
        prop_assert_eq!(text, body);
        let tampered = note.replacen(&size.to_string(), &size.wrapping_add(1).to_string(), 1);
        prop_assert!(open_note(&tampered, &[signer.verifier()]).is_err());
    }
}

#[test]
fn malformed_checkpoints_are_refused_with_a_reason() {
    for bad in [
        "",
        "origin\n",
        "origin\n01\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "origin\n1\nnot-base64\n",
        "origin\n-1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        " origin\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "origin\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    ] {
        assert!(Checkpoint::parse(bad).is_err(), "{bad:?}");
    }
    assert!(Checkpoint::parse("origin\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n").is_ok());
}
