//! Checkpoints, notes, key strings, tile paths and proof documents round-trip exactly, and a
//! note changed anywhere no longer opens.

use fazhi_ledger::{
    Checkpoint, ConsistencyProof, Error, Hash, InclusionProof, Note, Signer, Tile, Verifier,
    format_tile_path, open_note, parse_tile_path, prove_record, prove_tree, sign_note, tree_hash,
};
use proptest::prelude::*;

use crate::support::{leaf, log};

/// Origins and key names as Fazhi makes them, plus others the formats allow.
fn origin() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{6}".prop_map(|code| format!("fazhi-log/{code}")),
        "[a-z0-9.-]{1,20}/[a-zA-Z0-9_/-]{0,20}",
        "[\\p{L}\\p{N}/._-]{1,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn checkpoints_round_trip_and_signed_ones_open(
        origin in origin(),
        size in any::<u64>(),
        root in any::<[u8; 32]>(),
        extensions in proptest::collection::vec("[ -~]{1,30}", 0..3),
        seed in any::<[u8; 32]>(),
    ) {
        let checkpoint = Checkpoint { origin: origin.clone(), size, root: Hash(root), extensions };
        let body = checkpoint.to_body();
        prop_assert_eq!(Checkpoint::parse(&body), Ok(checkpoint.clone()));
        let signer = Signer::from_seed(&origin, seed).expect("signer");
        let note = checkpoint.sign(&signer).expect("sign");
        prop_assert_eq!(Checkpoint::open(&note, &signer.verifier()), Ok(checkpoint));
        prop_assert_eq!(Note::parse(note.as_bytes()).expect("parse").encode(), note);
    }

    #[test]
    fn a_note_changed_anywhere_does_not_open(
        text in "([ -~\\p{Han}]{1,40}\n){1,4}",
        seed in any::<[u8; 32]>(),
        position in any::<prop::sample::Index>(),
        delta in 1u8..=255,
    ) {
        let signer = Signer::from_seed("fazhi-log/999902", seed).expect("signer");
        let verifier = signer.verifier();
        let note = sign_note(&text, &signer).expect("sign");
        prop_assert!(open_note(&note, std::slice::from_ref(&verifier)).is_ok());
        let mut bytes = note.clone().into_bytes();
        let at = position.index(bytes.len());
        bytes[at] = bytes[at].wrapping_add(delta);
        // Whatever the change, the result is an error, never a panic and never "verified".
        let opened = open_note(&bytes, std::slice::from_ref(&verifier));
        prop_assert!(opened.is_err(), "changed byte {} of {:?}", at, note);
    }

    #[test]
    fn key_strings_round_trip(name in origin(), seed in any::<[u8; 32]>()) {
        let signer = Signer::from_seed(&name, seed).expect("signer");
        let again = Signer::from_key_string(&signer.to_key_string()).expect("signer string");
        prop_assert_eq!(again.to_key_string(), signer.to_key_string());
        let verifier = Verifier::from_key_string(&signer.verifier().to_key_string()).expect("verifier string");
        prop_assert_eq!(verifier, signer.verifier());
    }

    #[test]
    fn tile_paths_round_trip(level in 0u32..64, index in any::<u64>(), width in 1u64..=256) {
        let tile = Tile { level, index, width };
        prop_assert_eq!(parse_tile_path(&format_tile_path(&tile)), Ok(tile));
    }

    #[test]
    fn proof_documents_round_trip_and_refuse_a_changed_count(size in 1u64..200, pick in any::<u64>()) {
        let store = log(size);
        let index = pick % size;
        let proof = InclusionProof::new(index, size, &prove_record(size, index, &store).expect("prove"));
        prop_assert_eq!(InclusionProof::decode(&proof.to_json()), Ok(proof.clone()));
        let mut longer = proof.clone();
        longer.hashes.push(Hash::default());
        prop_assert!(matches!(InclusionProof::decode(&longer.to_json()), Err(Error::MalformedProof(_))));

        let old = 1 + pick % size;
        let proof = ConsistencyProof::new(old, size, &prove_tree(size, old, &store).expect("prove"));
        prop_assert_eq!(ConsistencyProof::decode(&proof.to_json()), Ok(proof.clone()));
        let mut shorter = proof.clone();
        if shorter.hashes.pop().is_some() {
            prop_assert!(matches!(ConsistencyProof::decode(&shorter.to_json()), Err(Error::MalformedProof(_))));
        }
    }
}

#[test]
fn an_event_is_proved_with_nothing_but_its_bytes_salt_proof_and_checkpoint() {
    // What `fazhi ledger prove` hands out and `verify-proof` checks, end to end in the library.
    let signer = Signer::from_seed("fazhi-log/999902", [9; 32]).expect("signer");
    let mut store = log(0);
    let events: Vec<(Vec<u8>, [u8; 32])> = (0..37u8)
        .map(|i| {
            (
                format!("{{\"id\":{i},\"kind\":\"case.step\"}}").into_bytes(),
                [i; 32],
            )
        })
        .collect();
    for (bytes, salt) in &events {
        store
            .append(fazhi_ledger::record_leaf_hash(salt, bytes))
            .expect("append");
    }
    let checkpoint = Checkpoint {
        origin: signer.name().to_owned(),
        size: 37,
        root: tree_hash(37, &store).expect("root"),
        extensions: vec![],
    };
    let note = checkpoint.sign(&signer).expect("sign");
    let proof =
        InclusionProof::new(20, 37, &prove_record(37, 20, &store).expect("prove")).to_json();

    // The checker's side: key string, note, JSON, event bytes and salt.
    let verifier = Verifier::from_key_string(&signer.verifier().to_key_string()).expect("key");
    let opened = Checkpoint::open(&note, &verifier).expect("checkpoint");
    let proof = InclusionProof::decode(&proof).expect("proof");
    let (bytes, salt) = &events[20];
    let leaf_hash = fazhi_ledger::record_leaf_hash(salt, bytes);
    assert_eq!(proof.verify(leaf_hash, &opened), Ok(()));
    // A changed event, a changed salt or another event's salt all fail.
    let changed = fazhi_ledger::record_leaf_hash(salt, b"{\"id\":20,\"kind\":\"case.stop\"}");
    assert_eq!(proof.verify(changed, &opened), Err(Error::ProofFailed));
    let other_salt = fazhi_ledger::record_leaf_hash(&events[21].1, bytes);
    assert_eq!(proof.verify(other_salt, &opened), Err(Error::ProofFailed));
    assert_eq!(proof.verify(leaf(20), &opened), Err(Error::ProofFailed));
}
