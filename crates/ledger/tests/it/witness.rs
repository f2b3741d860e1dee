//! The witness: it cosigns a growing log step by step and refuses a rollback, a fork, a rewritten
//! history, a note the log did not sign, and another log's checkpoint; the cosigned note opens
//! with the log's key and with the witness's key, and its `cosignature/v1` line verifies; any
//! honest sequence of appends is always cosigned.

use base64::Engine as _;
use fazhi_ledger::{
    Checkpoint, CosignatureVerifier, Error, Hash, MemStore, Note, Signer, TreeHead, Witness,
    WitnessRefusal, WitnessedLog, leaf_hash, open_note, prove_tree, tree_hash,
};
use proptest::prelude::*;

use crate::support::{base64_bytes, log};

const ORIGIN: &str = "fazhi-log/110101";
const NOW: u64 = 1_767_225_600; // 2026-01-01T00:00:00Z

fn log_signer() -> Signer {
    Signer::from_seed(ORIGIN, [1; 32]).expect("log key")
}

fn witness() -> Witness {
    let signer = Signer::from_seed("fazhi-witness/110000", [2; 32]).expect("witness key");
    let mut witness = Witness::new(signer);
    witness
        .add_log(WitnessedLog {
            verifier: log_signer().verifier(),
            cosigned: None,
        })
        .expect("add log");
    witness
}

/// The log's signed checkpoint of the first `size` records of `store`.
fn checkpoint(store: &MemStore, size: u64) -> String {
    Checkpoint {
        origin: ORIGIN.into(),
        size,
        root: tree_hash(size, store).expect("root"),
        extensions: vec![],
    }
    .sign(&log_signer())
    .expect("sign")
}

/// A log of `n` records different from [`log`]'s from the first one on.
fn other_log(n: u64) -> MemStore {
    let mut store = MemStore::new();
    for i in 0..n {
        store
            .append(leaf_hash(format!("rewritten {i}").as_bytes()))
            .expect("append");
    }
    store
}

/// Cosigns and stores the new state, as an application does after storing it.
fn cosign_and_keep(
    witness: &mut Witness,
    note: &str,
    proof: &[Hash],
) -> Result<String, WitnessRefusal> {
    let (cosigned, state) = witness.cosign(ORIGIN, note, proof, NOW)?;
    witness.add_log(state).expect("keep state");
    Ok(cosigned)
}

#[test]
fn a_growing_log_is_cosigned_at_every_step_and_the_note_opens_with_either_key() {
    let store = log(1000);
    let mut witness = witness();
    let mut last = 0;
    for size in [1, 2, 3, 8, 9, 100, 255, 256, 257, 1000] {
        let note = checkpoint(&store, size);
        let proof = if last == 0 {
            vec![]
        } else {
            prove_tree(size, last, &store).expect("prove")
        };
        let cosigned = cosign_and_keep(&mut witness, &note, &proof).expect("cosigned");
        assert_eq!(
            witness.log(ORIGIN).expect("log").cosigned,
            Some(TreeHead {
                size,
                root: tree_hash(size, &store).expect("root")
            })
        );

        // The log's signature is kept first, the witness's two lines follow.
        let parsed = Note::parse(cosigned.as_bytes()).expect("parse");
        assert!(cosigned.starts_with(&note), "{cosigned}");
        assert_eq!(parsed.signatures.len(), 3);
        let log_key = log_signer().verifier();
        let witness_key = witness.verifier();
        let (text, signed) = open_note(&cosigned, std::slice::from_ref(&log_key)).expect("log");
        assert_eq!(signed.len(), 1);
        let (_, signed) = open_note(&cosigned, std::slice::from_ref(&witness_key)).expect("w");
        assert_eq!(signed.len(), 1);
        let (_, signed) = open_note(&cosigned, &[log_key.clone(), witness_key]).expect("both");
        assert_eq!(signed.len(), 2);
        assert_eq!(
            Checkpoint::open(&cosigned, &log_key)
                .expect("checkpoint")
                .size,
            size
        );
        assert_eq!(
            witness.cosignature_verifier().verify(&cosigned),
            Ok(NOW),
            "{text}"
        );
        last = size;
    }

    // The same checkpoint again (no new records) is cosigned again, with the new time, and the
    // witness's earlier lines are replaced rather than repeated.
    let note = checkpoint(&store, 1000);
    let first = cosign_and_keep(&mut witness, &note, &[]).expect("first");
    let (again, _) = witness
        .cosign(ORIGIN, &first, &[], NOW + 60)
        .expect("again");
    assert_eq!(
        Note::parse(again.as_bytes())
            .expect("parse")
            .signatures
            .len(),
        3
    );
    assert_eq!(witness.cosignature_verifier().verify(&again), Ok(NOW + 60));
}

#[test]
fn a_rollback_a_fork_and_a_rewritten_history_are_refused() {
    let store = log(20);
    let mut witness = witness();
    cosign_and_keep(&mut witness, &checkpoint(&store, 10), &[]).expect("first");
    let before = witness.log(ORIGIN).cloned();

    // Rollback: an older (genuinely signed) checkpoint.
    assert_eq!(
        witness.cosign(ORIGIN, &checkpoint(&store, 9), &[], NOW),
        Err(WitnessRefusal::Rollback {
            cosigned: 10,
            size: 9
        })
    );

    // Fork: the log signs another tree of the same size.
    let rewritten = other_log(20);
    assert_eq!(
        witness.cosign(ORIGIN, &checkpoint(&rewritten, 10), &[], NOW),
        Err(WitnessRefusal::Fork {
            size: 10,
            cosigned_root: tree_hash(10, &store).expect("root"),
            root: tree_hash(10, &rewritten).expect("root"),
        })
    );

    // Rewritten history: a larger tree that does not extend the cosigned one. Its own proof from
    // size 10 does not lead from the cosigned root, nor does the honest log's proof lead to it.
    let note = checkpoint(&rewritten, 20);
    for proof in [
        prove_tree(20, 10, &rewritten).expect("prove"),
        prove_tree(20, 10, &store).expect("prove"),
        vec![],
    ] {
        assert_eq!(
            witness.cosign(ORIGIN, &note, &proof, NOW),
            Err(WitnessRefusal::Inconsistent {
                cosigned: 10,
                size: 20
            })
        );
    }

    // A wrong proof for an honest checkpoint is refused too; the right one is accepted.
    let honest = checkpoint(&store, 20);
    let mut proof = prove_tree(20, 10, &store).expect("prove");
    let good = proof.clone();
    proof[0].0[0] ^= 1;
    assert!(matches!(
        witness.cosign(ORIGIN, &honest, &proof, NOW),
        Err(WitnessRefusal::Inconsistent { .. })
    ));
    assert_eq!(
        witness.log(ORIGIN).cloned(),
        before,
        "refusals change nothing"
    );
    assert!(witness.cosign(ORIGIN, &honest, &good, NOW).is_ok());

    // The same size and root needs no proof (a proof given is not looked at).
    assert!(
        witness
            .cosign(ORIGIN, &checkpoint(&store, 10), &[], NOW)
            .is_ok()
    );
    assert!(
        witness
            .cosign(ORIGIN, &checkpoint(&store, 10), &good, NOW)
            .is_ok()
    );
}

#[test]
fn a_note_the_log_did_not_sign_or_of_another_log_is_refused() {
    let store = log(5);
    let witness = witness();
    let note = checkpoint(&store, 5);

    // Signed by another key of the same name: no signature by the log's key.
    let impostor = Signer::from_seed(ORIGIN, [9; 32]).expect("impostor");
    let forged = Checkpoint::parse(&open_note(&note, &[log_signer().verifier()]).expect("o").0)
        .expect("parse")
        .sign(&impostor)
        .expect("sign");
    assert_eq!(
        witness.cosign(ORIGIN, &forged, &[], NOW),
        Err(WitnessRefusal::Unsigned)
    );

    // The log's signature over a changed size.
    let changed = note.replacen("\n5\n", "\n6\n", 1);
    assert_eq!(
        witness.cosign(ORIGIN, &changed, &[], NOW),
        Err(WitnessRefusal::InvalidSignature)
    );

    // Not a note, and a signed note that is not a checkpoint.
    assert!(matches!(
        witness.cosign(ORIGIN, "hello\n", &[], NOW),
        Err(WitnessRefusal::MalformedNote(_))
    ));
    let text = fazhi_ledger::sign_note("hello\n", &log_signer()).expect("sign");
    assert!(matches!(
        witness.cosign(ORIGIN, &text, &[], NOW),
        Err(WitnessRefusal::MalformedCheckpoint(_))
    ));

    // The log's key signing a checkpoint that names another log.
    let foreign = Checkpoint {
        origin: "fazhi-log/110102".into(),
        size: 5,
        root: tree_hash(5, &store).expect("root"),
        extensions: vec![],
    }
    .sign(&log_signer())
    .expect("sign");
    assert_eq!(
        witness.cosign(ORIGIN, &foreign, &[], NOW),
        Err(WitnessRefusal::WrongOrigin {
            expected: ORIGIN.into(),
            found: "fazhi-log/110102".into()
        })
    );

    // A log the witness does not witness, and a time no cosignature can carry.
    assert_eq!(
        witness.cosign("fazhi-log/110102", &foreign, &[], NOW),
        Err(WitnessRefusal::UnknownLog {
            origin: "fazhi-log/110102".into()
        })
    );
    assert_eq!(
        witness.cosign(ORIGIN, &note, &[], 1 << 63),
        Err(WitnessRefusal::InvalidTime(1 << 63))
    );
}

#[test]
fn the_cosignature_line_follows_c2sp_and_a_changed_one_fails() {
    let store = log(3);
    let witness = witness();
    let (cosigned, _) = witness
        .cosign(ORIGIN, &checkpoint(&store, 3), &[], NOW)
        .expect("cosign");
    let verifier = witness.cosignature_verifier();
    let key = CosignatureVerifier::from_key_string(&verifier.to_key_string()).expect("key");
    assert_eq!(key.verify(&cosigned), Ok(NOW));

    // The line: key id (type 0x04) ‖ 8-byte big-endian timestamp ‖ 64-byte Ed25519 signature,
    // over "cosignature/v1\ntime <t>\n" ‖ the checkpoint text.
    let line = cosigned.lines().last().expect("line");
    let blob = base64_bytes(line.rsplit_once(' ').expect("blob").1);
    assert_eq!(blob.len(), 4 + 8 + 64);
    assert_eq!(
        u32::from_be_bytes(blob[..4].try_into().unwrap()),
        key.key_id()
    );
    assert_eq!(u64::from_be_bytes(blob[4..12].try_into().unwrap()), NOW);
    let text = open_note(&cosigned, &[log_signer().verifier()])
        .expect("open")
        .0;
    let message = format!("cosignature/v1\ntime {NOW}\n{text}");
    let public = ed25519_key(&witness);
    let signature = ed25519_dalek_signature(&blob[12..]);
    assert!(public.verify_strict(message.as_bytes(), &signature).is_ok());

    // A changed timestamp (the signature then covers another time) fails.
    let mut changed = blob.clone();
    changed[11] ^= 1;
    let encoded = base64::engine::general_purpose::STANDARD.encode(&changed);
    let forged = cosigned.replace(line.rsplit_once(' ').unwrap().1, &encoded);
    assert!(matches!(
        key.verify(&forged),
        Err(Error::InvalidSignature { .. })
    ));
    // A note without the line is unverified; another witness's key does not match.
    assert_eq!(
        key.verify(checkpoint(&store, 3)),
        Err(Error::UnverifiedNote)
    );
    let stranger = Signer::from_seed("fazhi-witness/110000", [3; 32]).expect("signer");
    assert_eq!(
        CosignatureVerifier::from_verifier(&stranger.verifier()).verify(&cosigned),
        Err(Error::UnverifiedNote)
    );

    // The spec's example line has the same layout: its timestamp is the example's time line.
    let example = "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==";
    let blob = base64_bytes(example);
    assert_eq!(blob.len(), 76);
    assert_eq!(
        u64::from_be_bytes(blob[4..12].try_into().unwrap()),
        1_679_315_147
    );
}

fn ed25519_key(witness: &Witness) -> ed25519_dalek::VerifyingKey {
    ed25519_dalek::VerifyingKey::from_bytes(&witness.verifier().public_key()).expect("key")
}

fn ed25519_dalek_signature(bytes: &[u8]) -> ed25519_dalek::Signature {
    ed25519_dalek::Signature::from_slice(bytes).expect("signature")
}

#[test]
fn a_log_added_with_a_trusted_tree_head_is_held_to_it_from_the_start() {
    let store = log(8);
    let mut witness = witness();
    witness
        .add_log(WitnessedLog {
            verifier: log_signer().verifier(),
            cosigned: Some(TreeHead {
                size: 4,
                root: tree_hash(4, &other_log(4)).expect("root"),
            }),
        })
        .expect("add");
    assert!(matches!(
        witness.cosign(
            ORIGIN,
            &checkpoint(&store, 8),
            &prove_tree(8, 4, &store).expect("p"),
            NOW
        ),
        Err(WitnessRefusal::Inconsistent { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn an_honest_append_sequence_is_always_cosigned(
        steps in proptest::collection::vec(0u64..200, 1..8),
    ) {
        let total: u64 = steps.iter().sum();
        let store = log(total);
        let mut witness = witness();
        let mut last: Option<u64> = None;
        let mut size = 0;
        for step in steps {
            size += step;
            let proof = match last {
                Some(old) if old > 0 && old < size => prove_tree(size, old, &store).expect("prove"),
                _ => vec![],
            };
            let note = checkpoint(&store, size);
            let cosigned = cosign_and_keep(&mut witness, &note, &proof);
            prop_assert!(cosigned.is_ok(), "{:?} -> {}: {:?}", last, size, cosigned);
            let cosigned = cosigned.expect("checked");
            prop_assert_eq!(witness.cosignature_verifier().verify(&cosigned), Ok(NOW));
            last = Some(size);
        }
        prop_assert_eq!(witness.log(ORIGIN).expect("log").cosigned.map(|head| head.size), Some(size));
    }
}
