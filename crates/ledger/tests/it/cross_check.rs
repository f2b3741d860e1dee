//! Cross-check against `ct-merkle`, an independent RFC 6962 implementation: for every size up
//! to 150, the same root, byte-identical inclusion proofs for every leaf and consistency proofs
//! for every older size; ct-merkle accepts our proofs, and so do both of our verifiers
//! (exhaustively, where the property tests sample sizes).

use ct_merkle::mem_backed_tree::MemoryBackedTree;
use ct_merkle::{ConsistencyProof, InclusionProof, RootHash};
use fazhi_ledger::{
    MemStore, check_record, check_tree, leaf_hash, prove_record, prove_tree, tree_hash,
    verify_consistency, verify_inclusion,
};
use sha2::Sha256;

fn flat(hashes: &[fazhi_ledger::Hash]) -> Vec<u8> {
    hashes.iter().flat_map(|h| h.0).collect()
}

#[test]
fn ct_merkle_computes_the_same_roots_and_proofs() {
    let mut ours = MemStore::new();
    let mut theirs: MemoryBackedTree<Sha256, Vec<u8>> = MemoryBackedTree::new();
    let mut roots = vec![];
    for size in 1..=150u64 {
        let data = format!("event {size}").into_bytes();
        ours.append(fazhi_ledger::leaf_hash(&data)).expect("append");
        theirs.push(data);
        let root = tree_hash(size, &ours).expect("root");
        assert_eq!(theirs.root().as_bytes().as_slice(), &root.0, "root {size}");
        roots.push(theirs.root());

        for index in 0..size {
            let proof = prove_record(size, index, &ours).expect("prove");
            let expected = theirs.prove_inclusion(index as usize);
            assert_eq!(
                flat(&proof),
                expected.as_bytes(),
                "inclusion {index} of {size}"
            );
            let leaf = leaf_hash(theirs.get(index as usize).expect("item"));
            assert_eq!(check_record(&proof, size, root, index, leaf), Ok(()));
            assert_eq!(verify_inclusion(index, size, leaf, &proof, root), Ok(()));
            let item = theirs.get(index as usize).expect("item");
            theirs
                .root()
                .verify_inclusion(item, index, &InclusionProof::from_bytes(flat(&proof)))
                .expect("ct-merkle accepts our inclusion proof");
        }
        for old in 1..size {
            let proof = prove_tree(size, old, &ours).expect("prove");
            let expected = theirs.prove_consistency((size - old) as usize);
            assert_eq!(
                flat(&proof),
                expected.as_bytes(),
                "consistency {old} → {size}"
            );
            let old_root: &RootHash<Sha256> = &roots[old as usize - 1];
            let (old_hash, new_hash) = (
                fazhi_ledger::Hash::from_slice(old_root.as_bytes()).expect("hash"),
                root,
            );
            assert_eq!(check_tree(&proof, size, new_hash, old, old_hash), Ok(()));
            assert_eq!(
                verify_consistency(old, size, old_hash, new_hash, &proof),
                Ok(())
            );
            theirs
                .root()
                .verify_consistency(
                    old_root,
                    &ConsistencyProof::try_from_bytes(flat(&proof)).expect("bytes"),
                )
                .expect("ct-merkle accepts our consistency proof");
        }
    }
}
