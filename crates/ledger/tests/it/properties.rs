//! Properties over random trees: every inclusion proof (all i < n) and every consistency proof
//! (all 0 < m ≤ n) verifies, with both verifiers; a changed leaf, proof hash, index, size or root
//! fails; the two verifiers agree on arbitrary (also garbage) proofs; the builder reproduces
//! storage; tiles hold the tree's hashes.

use fazhi_ledger::{
    EMPTY_TREE_HASH, Hash, TreeBuilder, check_record, check_tree, consistency_proof_len,
    inclusion_proof_len, new_tiles, prove_record, prove_tree, read_tile_data, root_from_leaves,
    tree_hash, verify_consistency, verify_inclusion,
};
use proptest::prelude::*;

use crate::support::{flip, leaf, log};

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_inclusion_proof_verifies_and_any_change_fails(size in 1u64..300, byte in 0usize..32) {
        let store = log(size + 1);
        let root = tree_hash(size, &store).expect("root");
        let smaller = tree_hash(size - 1, &store).expect("root");
        let larger = tree_hash(size + 1, &store).expect("root");
        for index in 0..size {
            let leaf = leaf(index);
            let proof = prove_record(size, index, &store).expect("prove");
            prop_assert_eq!(proof.len(), inclusion_proof_len(index, size));
            prop_assert!(check_record(&proof, size, root, index, leaf).is_ok());
            prop_assert!(verify_inclusion(index, size, leaf, &proof, root).is_ok());

            prop_assert!(check_record(&proof, size, root, index, flip(&leaf, byte)).is_err(), "leaf");
            prop_assert!(check_record(&proof, size, flip(&root, byte), index, leaf).is_err(), "root");
            for position in 0..proof.len() {
                let mut changed = proof.clone();
                changed[position] = flip(&changed[position], byte);
                prop_assert!(check_record(&changed, size, root, index, leaf).is_err(), "hash {}", position);
                prop_assert!(verify_inclusion(index, size, leaf, &changed, root).is_err());
            }
            if size > 1 {
                let other = (index + 1) % size;
                prop_assert!(check_record(&proof, size, root, other, leaf).is_err(), "index");
                prop_assert!(verify_inclusion(other, size, leaf, &proof, root).is_err());
            }
            // Against the root a checkpoint of another size would carry, the proof fails.
            prop_assert!(check_record(&proof, size + 1, larger, index, leaf).is_err(), "size + 1");
            if index < size - 1 {
                prop_assert!(check_record(&proof, size - 1, smaller, index, leaf).is_err(), "size - 1");
            }
            let mut longer = proof.clone();
            longer.push(root);
            prop_assert!(check_record(&longer, size, root, index, leaf).is_err(), "extra hash");
            if !proof.is_empty() {
                prop_assert!(check_record(&proof[1..], size, root, index, leaf).is_err(), "missing hash");
            }
        }
    }

    #[test]
    fn every_consistency_proof_verifies_and_any_change_fails(new in 1u64..300, byte in 0usize..32) {
        let store = log(new + 1);
        let roots: Vec<Hash> = (0..=new + 1).map(|n| tree_hash(n, &store).expect("root")).collect();
        let new_root = roots[new as usize];
        for old in 1..=new {
            let old_root = roots[old as usize];
            let proof = prove_tree(new, old, &store).expect("prove");
            prop_assert_eq!(proof.len(), consistency_proof_len(old, new));
            prop_assert!(check_tree(&proof, new, new_root, old, old_root).is_ok());
            prop_assert!(verify_consistency(old, new, old_root, new_root, &proof).is_ok());

            prop_assert!(check_tree(&proof, new, new_root, old, flip(&old_root, byte)).is_err());
            prop_assert!(check_tree(&proof, new, flip(&new_root, byte), old, old_root).is_err());
            for position in 0..proof.len() {
                let mut changed = proof.clone();
                changed[position] = flip(&changed[position], byte);
                prop_assert!(check_tree(&changed, new, new_root, old, old_root).is_err(), "hash {}", position);
                prop_assert!(verify_consistency(old, new, old_root, new_root, &changed).is_err());
            }
            // With the roots of the sizes claimed, a changed size fails.
            if old < new {
                let next = roots[old as usize + 1];
                prop_assert!(check_tree(&proof, new, new_root, old + 1, next).is_err(), "old + 1");
            }
            if old > 1 {
                let previous = roots[old as usize - 1];
                prop_assert!(check_tree(&proof, new, new_root, old - 1, previous).is_err(), "old - 1");
            }
            let larger = roots[new as usize + 1];
            prop_assert!(check_tree(&proof, new + 1, larger, old, old_root).is_err(), "new + 1");
        }
        prop_assert!(verify_consistency(0, new, EMPTY_TREE_HASH, new_root, &[]).is_ok());
    }

    /// RFC 9162's bit-walk and Go's recursion accept exactly the same proofs, garbage included.
    #[test]
    fn the_two_verifiers_agree_on_arbitrary_proofs(
        size in 1u64..1_000_000,
        pick in any::<u64>(),
        lengths in 0usize..25,
        seed in any::<[u8; 32]>(),
        genuine in any::<bool>(),
    ) {
        let index = pick % size;
        let old = 1 + pick % size;
        let hashes: Vec<Hash> = (0..lengths as u8).map(|i| { let mut h = seed; h[0] ^= i; Hash(h) }).collect();
        let (leaf, root) = (Hash(seed), if genuine { Hash(seed) } else { EMPTY_TREE_HASH });
        prop_assert_eq!(
            check_record(&hashes, size, root, index, leaf).is_ok(),
            verify_inclusion(index, size, leaf, &hashes, root).is_ok()
        );
        prop_assert_eq!(
            check_tree(&hashes, size, root, old, leaf).is_ok(),
            verify_consistency(old, size, leaf, root, &hashes).is_ok()
        );
    }

    /// Real proofs replayed at other indexes and sizes: the verifiers still agree, including on
    /// the shapes where a proof also holds for another size (see `check_record`).
    #[test]
    fn the_verifiers_agree_on_real_proofs_moved_elsewhere(
        size in 1u64..200,
        pick in any::<u64>(),
        other_size in 1u64..260,
        other_pick in any::<u64>(),
    ) {
        let store = log(size);
        let root = tree_hash(size, &store).expect("root");
        let index = pick % size;
        let proof = prove_record(size, index, &store).expect("prove");
        let other_index = if other_pick % 2 == 0 { index } else { other_pick % other_size };
        prop_assert_eq!(
            check_record(&proof, other_size, root, other_index, leaf(index)).is_ok(),
            verify_inclusion(other_index, other_size, leaf(index), &proof, root).is_ok()
        );
        let old = 1 + pick % size;
        let old_root = tree_hash(old, &store).expect("root");
        let proof = prove_tree(size, old, &store).expect("prove");
        let other_old = if other_pick % 2 == 0 { old } else { 1 + other_pick % other_size };
        prop_assert_eq!(
            check_tree(&proof, other_size.max(other_old), root, other_old, old_root).is_ok(),
            verify_consistency(other_old, other_size.max(other_old), old_root, root, &proof).is_ok()
        );
    }

    #[test]
    fn the_builder_reproduces_storage_and_every_root(size in 0u64..600) {
        let store = log(size);
        let mut builder = TreeBuilder::new();
        let mut stored = Vec::new();
        for i in 0..size {
            stored.extend(builder.push(leaf(i)));
            prop_assert_eq!(builder.root(), tree_hash(i + 1, &store).expect("root"));
        }
        prop_assert_eq!(stored.as_slice(), store.stored());
        prop_assert_eq!(root_from_leaves((0..size).map(leaf)), tree_hash(size, &store).expect("root"));
    }

    #[test]
    fn tiles_hold_the_subtree_roots_of_their_level(size in 1u64..3000) {
        let store = log(size);
        for tile in new_tiles(0, size) {
            let data = read_tile_data(&tile, size, &store).expect("tile");
            let span = 1u64 << (8 * tile.level);
            for (offset, chunk) in (0u64..).zip(data.chunks(32)) {
                let first = (tile.index * 256 + offset) * span;
                let subtree = root_from_leaves((first..first + span).map(leaf));
                prop_assert_eq!(chunk, &subtree.0[..], "{} hash {}", tile.path(), offset);
            }
        }
    }
}

/// A proof checked against random roots never panics, whatever the sizes.
#[test]
fn verifying_at_extreme_sizes_is_an_error_not_a_panic() {
    let (hash, root) = (leaf(0), leaf(1));
    for size in [1, 2, u64::MAX / 2, u64::MAX - 1, u64::MAX] {
        for index in [0, 1, size / 2, size - 1] {
            let index = index.min(size - 1);
            let proof = vec![hash; inclusion_proof_len(index, size)];
            assert!(check_record(&proof, size, root, index, hash).is_err());
            assert!(verify_inclusion(index, size, hash, &proof, root).is_err());
            let old = index.max(1);
            let proof = vec![hash; consistency_proof_len(old, size)];
            let _ = check_tree(&proof, size, hash, old, hash);
            let _ = verify_consistency(old, size, hash, hash, &proof);
        }
    }
}
