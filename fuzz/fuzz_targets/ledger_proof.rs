//! Proof documents: decoding never panics; a decoded proof has the length its shape requires and
//! verifying it against arbitrary roots never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok((proof, hashes)) = fazhi_ledger::InclusionProof::from_json(text) {
        assert_eq!(hashes.len(), fazhi_ledger::inclusion_proof_len(proof.leaf_index, proof.tree_size));
        let _ = fazhi_ledger::check_record(&hashes, proof.tree_size, fazhi_ledger::Hash::default(), proof.leaf_index, fazhi_ledger::Hash::default());
    }
    if let Ok((proof, hashes)) = fazhi_ledger::ConsistencyProof::from_json(text) {
        assert_eq!(hashes.len(), fazhi_ledger::consistency_proof_len(proof.old_size, proof.new_size));
        let _ = fazhi_ledger::check_tree(&hashes, proof.new_size, fazhi_ledger::Hash::default(), proof.old_size, fazhi_ledger::Hash::default());
    }
});
