//! Published vectors from other implementations: the RFC 6962 reference tree, a real
//! Certificate Transparency log (Argon 2020), Go's note examples and a real sum.golang.org
//! signed tree head, and the C2SP spec examples.

use fazhi_ledger::{
    Checkpoint, ConsistencyProof, Error, Hash, InclusionProof, MemStore, Note, Signer, TreeBuilder,
    Verifier, check_record, check_tree, leaf_hash, open_note, prove_record, prove_tree, sign_note,
    tree_hash, verify_consistency, verify_inclusion,
};

use crate::support::{base64_bytes, hex_bytes};

struct Rfc6962 {
    leaves: Vec<Hash>,
    roots: Vec<Hash>,
    inclusion: Vec<(u64, u64, Vec<Hash>)>,
    consistency: Vec<(u64, u64, Vec<Hash>)>,
}

fn rfc6962() -> Rfc6962 {
    let mut vectors = Rfc6962 {
        leaves: Vec::new(),
        roots: Vec::new(),
        inclusion: Vec::new(),
        consistency: Vec::new(),
    };
    let text = include_str!("../data/rfc6962.txt");
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let hashes = |from: usize| -> Vec<Hash> {
            words[from..]
                .iter()
                .map(|w| Hash::from_hex(w).expect("hash"))
                .collect()
        };
        match words[0] {
            "leaves:" => {
                vectors.leaves = words[1..]
                    .iter()
                    .map(|w| leaf_hash(&hex_bytes(w)))
                    .collect();
            }
            "root" => vectors.roots.push(hashes(2)[0]),
            "inclusion" => vectors.inclusion.push((
                words[1].parse().expect("index"),
                words[2].parse().expect("size"),
                hashes(3),
            )),
            "consistency" => vectors.consistency.push((
                words[1].parse().expect("old"),
                words[2].parse().expect("new"),
                hashes(3),
            )),
            other => panic!("unknown line {other}"),
        }
    }
    vectors
}

#[test]
fn rfc6962_roots_match_for_every_prefix_of_the_reference_tree() {
    let vectors = rfc6962();
    let mut store = MemStore::new();
    let mut builder = TreeBuilder::new();
    assert_eq!(tree_hash(0, &store).expect("empty"), vectors.roots[0]);
    assert_eq!(builder.root(), vectors.roots[0]);
    for (size, leaf) in (1..).zip(&vectors.leaves) {
        store.append(*leaf).expect("append");
        builder.push(*leaf);
        let expected = vectors.roots[size as usize];
        assert_eq!(tree_hash(size, &store).expect("root"), expected, "{size}");
        assert_eq!(builder.root(), expected, "builder, size {size}");
    }
}

#[test]
fn rfc6962_proofs_are_produced_exactly_and_verify_both_ways() {
    let vectors = rfc6962();
    let mut store = MemStore::new();
    for leaf in &vectors.leaves {
        store.append(*leaf).expect("append");
    }
    for (index, size, expected) in &vectors.inclusion {
        let (index, size) = (*index, *size);
        let (root, leaf) = (vectors.roots[size as usize], vectors.leaves[index as usize]);
        assert_eq!(&prove_record(size, index, &store).expect("prove"), expected);
        assert_eq!(check_record(expected, size, root, index, leaf), Ok(()));
        assert_eq!(verify_inclusion(index, size, leaf, expected, root), Ok(()));
    }
    for (old, new, expected) in &vectors.consistency {
        let (old, new) = (*old, *new);
        let (old_root, new_root) = (vectors.roots[old as usize], vectors.roots[new as usize]);
        assert_eq!(&prove_tree(new, old, &store).expect("prove"), expected);
        assert_eq!(check_tree(expected, new, new_root, old, old_root), Ok(()));
        assert_eq!(
            verify_consistency(old, new, old_root, new_root, expected),
            Ok(())
        );
    }
}

/// Fields of `tests/data/argon2020.txt`.
fn argon2020(key: &str) -> Vec<String> {
    let text = include_str!("../data/argon2020.txt");
    let line = text
        .lines()
        .find(|l| l.split_whitespace().next() == Some(key))
        .expect("field");
    line.split_whitespace().skip(1).map(str::to_owned).collect()
}

fn argon_hashes(key: &str) -> Vec<Hash> {
    argon2020(key)
        .iter()
        .map(|h| Hash::from_base64(h).expect("hash"))
        .collect()
}

fn argon_number(key: &str) -> u64 {
    argon2020(key)[0].parse().expect("number")
}

#[test]
fn a_real_certificate_transparency_logs_proofs_verify() {
    let size = argon_number("tree_size");
    let root = argon_hashes("root")[0];
    let index = argon_number("leaf_index");
    let leaf = leaf_hash(&base64_bytes(&argon2020("leaf_input")[0]));
    let path = argon_hashes("audit_path");
    assert_eq!(path.len(), fazhi_ledger::inclusion_proof_len(index, size));
    assert_eq!(check_record(&path, size, root, index, leaf), Ok(()));
    assert_eq!(verify_inclusion(index, size, leaf, &path, root), Ok(()));
    assert_eq!(
        check_record(&path, size, root, index + 1, leaf),
        Err(Error::ProofFailed)
    );

    let old_size = argon_number("old_size");
    let old_root = argon_hashes("old_root")[0];
    let proof = argon_hashes("consistency");
    assert_eq!(check_tree(&proof, size, root, old_size, old_root), Ok(()));
    assert_eq!(
        verify_consistency(old_size, size, old_root, root, &proof),
        Ok(())
    );
    assert_eq!(
        check_tree(&proof, size, root, old_size - 1, old_root),
        Err(Error::ProofFailed)
    );

    // The same proofs as Fazhi's JSON documents decode and verify against a checkpoint.
    let document = InclusionProof::new(index, size, &path).to_json();
    let decoded = InclusionProof::decode(&document).expect("decode");
    let checkpoint = Checkpoint {
        origin: "ct.googleapis.com/logs/argon2020".into(),
        size,
        root,
        extensions: vec![],
    };
    assert_eq!(decoded.verify(leaf, &checkpoint), Ok(()));
    let document = ConsistencyProof::new(old_size, size, &proof).to_json();
    let decoded = ConsistencyProof::decode(&document).expect("decode");
    let old = Checkpoint {
        size: old_size,
        root: old_root,
        ..checkpoint.clone()
    };
    assert_eq!(decoded.verify(&old, &checkpoint), Ok(()));
}

fn key_pairs() -> Vec<(String, String)> {
    include_str!("../data/keys.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (signer, verifier) = l.split_once(' ').expect("pair");
            (signer.to_owned(), verifier.to_owned())
        })
        .collect()
}

#[test]
fn published_signer_keys_derive_their_published_verifier_keys() {
    let pairs = key_pairs();
    assert_eq!(pairs.len(), 5);
    for (signer_key, verifier_key) in pairs {
        let signer = Signer::from_key_string(&signer_key).expect("signer");
        assert_eq!(signer.to_key_string(), signer_key);
        assert_eq!(signer.verifier().to_key_string(), verifier_key);
        let verifier = Verifier::from_key_string(&verifier_key).expect("verifier");
        assert_eq!(verifier, signer.verifier());
    }
}

const PETER_TEXT: &str = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";

fn key(name: &str) -> (Signer, Verifier) {
    let (signer, verifier) = key_pairs()
        .into_iter()
        .find(|(s, _)| s.starts_with(&format!("PRIVATE+KEY+{name}+")))
        .expect("key");
    (
        Signer::from_key_string(&signer).expect("signer"),
        Verifier::from_key_string(&verifier).expect("verifier"),
    )
}

#[test]
fn gos_example_note_is_reproduced_byte_for_byte() {
    let (peter, peter_verifier) = key("PeterNeumann");
    let expected = include_str!("../data/notes/go-peter-neumann.note");
    assert_eq!(sign_note(PETER_TEXT, &peter).expect("sign"), expected);
    let (text, signatures) = open_note(expected, &[peter_verifier]).expect("open");
    assert_eq!(text, PETER_TEXT);
    assert_eq!(signatures.len(), 1);
    assert_eq!(
        (signatures[0].name.as_str(), signatures[0].key_id),
        ("PeterNeumann", 0xc74f20a3)
    );
}

#[test]
fn gos_doubly_signed_note_opens_with_either_key_and_ignores_the_unknown_one() {
    let (_, peter) = key("PeterNeumann");
    let enoch = Verifier::from_key_string(
        "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop",
    )
    .expect("EnochRoot's key, from note_test.go");
    let message = include_str!("../data/notes/go-peter-neumann-enoch-root.note");
    let names = |verifiers: &[Verifier]| -> Result<Vec<String>, Error> {
        open_note(message, verifiers).map(|(_, sigs)| sigs.into_iter().map(|s| s.name).collect())
    };
    assert_eq!(
        names(std::slice::from_ref(&peter)),
        Ok(vec!["PeterNeumann".into()])
    );
    assert_eq!(
        names(std::slice::from_ref(&enoch)),
        Ok(vec!["EnochRoot".into()])
    );
    assert_eq!(
        names(&[enoch.clone(), peter.clone()]),
        Ok(vec!["PeterNeumann".into(), "EnochRoot".into()])
    );
    assert_eq!(names(&[]), Err(Error::UnverifiedNote));
    // note_test.go: a corrupted signature by a known key rejects the note.
    let peter_line = message.lines().nth(3).expect("line");
    let corrupted = message.replacen(
        peter_line,
        &format!("{}ABCD{}", &peter_line[..60], &peter_line[60..]),
        1,
    );
    assert_eq!(
        open_note(&corrupted, std::slice::from_ref(&peter)),
        Err(Error::InvalidSignature {
            name: "PeterNeumann".into(),
            key_id: 0xc74f20a3
        })
    );
    // ...but a corrupted signature by an unknown key is ignored.
    assert!(open_note(&corrupted, std::slice::from_ref(&enoch)).is_ok());
}

#[test]
fn a_real_sum_golang_org_tree_head_verifies() {
    let verifier = Verifier::from_key_string(
        "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
    )
    .expect("the Go checksum database's public key");
    let message = include_str!("../data/notes/sum-golang-org.note");
    let (text, _) = open_note(message, std::slice::from_ref(&verifier)).expect("signed by Go");
    let checkpoint = Checkpoint::parse(&text).expect("checkpoint");
    assert_eq!(
        (checkpoint.origin.as_str(), checkpoint.size),
        ("go.sum database tree", 6_476_701)
    );
    // Its origin is not its key's name, so Fazhi's stricter opener refuses it.
    assert!(matches!(
        Checkpoint::open(message, &verifier),
        Err(Error::WrongOrigin { .. })
    ));
    let altered = message.replace("6476701", "6476702");
    assert!(matches!(
        open_note(&altered, &[verifier]),
        Err(Error::InvalidSignature { .. })
    ));
}

#[test]
fn the_c2sp_examples_parse_and_round_trip_exactly() {
    let note = include_str!("../data/notes/c2sp-signed-note-example.note");
    let parsed = Note::parse(note.as_bytes()).expect("parse");
    // The text keeps its own blank line; the signatures start after the last one.
    assert_eq!(
        parsed.text,
        "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n"
    );
    assert_eq!(parsed.signatures.len(), 1);
    assert_eq!(parsed.signatures[0].name, "quasimodo.example/salvatore");
    assert_eq!(parsed.signatures[0].signature.len(), 64);
    assert_eq!(parsed.encode(), note);

    let note = include_str!("../data/notes/c2sp-checkpoint-example.note");
    let parsed = Note::parse(note.as_bytes()).expect("parse");
    assert_eq!(parsed.encode(), note);
    let checkpoint = Checkpoint::parse(&parsed.text).expect("checkpoint");
    assert_eq!(checkpoint.origin, "example.com/behind-the-sofa");
    assert_eq!(checkpoint.size, 20_852_163);
    assert_eq!(checkpoint.to_body(), parsed.text);
    assert_eq!(parsed.signatures[0].name, checkpoint.origin);
}
