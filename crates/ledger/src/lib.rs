//! Fazhi's tamper-evident log: an RFC 6962 / RFC 9162 Merkle tree with inclusion and consistency
//! proofs, C2SP `tlog-checkpoint` checkpoints signed as C2SP `signed-note`s with Ed25519, and C2SP
//! `tlog-tiles`. Layouts, key strings and proof shapes are those of Go's
//! `golang.org/x/mod/sumdb/tlog` and `note` packages, so independent tools check this log without
//! trusting Fazhi's code (see `docs/ledger-verification.md`).
//!
//! # Layers
//! | module | what | spec |
//! |---|---|---|
//! | [`Hash`](struct@Hash), [`leaf_hash`], [`node_hash`], [`record_commitment`] | hashing | RFC 6962 §2.1 |
//! | [`HashReader`], [`MemStore`], [`stored_hash_index`], … | the stored-hash sequence and the storage contract | Go `tlog`; Crosby & Wallach §3.3 |
//! | [`tree_hash`], [`prove_record`], [`check_record`], [`prove_tree`], [`check_tree`] | roots and proofs over storage | RFC 6962 §2.1.1–2.1.2 |
//! | [`verify_inclusion`], [`verify_consistency`] | a second, storage-free verifier | RFC 9162 §2.1.3.2, §2.1.4.2 |
//! | [`TreeBuilder`], [`root_from_leaves`] | rebuilding a tree from its leaves in O(log n) memory | RFC 6962 §2.1 |
//! | [`Checkpoint`] | checkpoint bodies | C2SP `tlog-checkpoint` |
//! | [`Signer`], [`Verifier`], [`Note`], [`sign_note`], [`open_note`] | Ed25519 signed notes and key strings | C2SP `signed-note`; Go `note` |
//! | [`Tile`], [`parse_tile_path`], [`read_tile_data`], [`new_tiles`] | tiles of hashes for HTTP | C2SP `tlog-tiles` |
//! | [`InclusionProof`], [`ConsistencyProof`] | proofs as JSON documents | Fazhi's own |
//! | [`Witness`], [`CosignatureVerifier`] | witness cosigning after a consistency check | C2SP `tlog-cosignature` v1 |
//!
//! # Writing the log (what the store integration calls, in order)
//! Inside the transaction that stores event `n` (`n` = the log's size before it):
//! 1. `salt` = 32 fresh random bytes; `leaf = leaf_hash(&record_commitment(&salt, canonical))`.
//! 2. `hashes = stored_hashes_for_record_hash(n, leaf, &reader)` (reads at most log₂ n stored
//!    hashes).
//! 3. Store the event, its salt, and `hashes` at stored indexes `stored_hash_count(n)..` in the same
//!    transaction; the log's size becomes `n + 1`.
//!
//! A batch of records `n..n + k` reads once: the hashes at `stored_hash_indexes_for_records(n, k)`
//! (at most 63), then `stored_hashes_for_record_hashes(n, &leaves, &reader)` gives all its hashes.
//!
//! After commit, a separate task signs: `root = tree_hash(size, &reader)`, then
//! `Checkpoint { origin, size, root, extensions: vec![] }.sign(&signer)`. Proofs are
//! [`prove_record`] and [`prove_tree`]; tiles are [`read_tile_data`]. The storage contract is
//! written on [`HashReader`].
//!
//! # Privacy
//! Leaves are *commitments*: [`record_commitment`] = SHA-256(salt ‖ canonical event bytes). The
//! public tree, its tiles and its proofs carry only those hashes, never an event.
//!
//! # What it does not do
//! No IO (except reading OS randomness in [`Signer::generate_with_os_rng`]), no clock, no
//! database, no async, no HTTP: the caller stores hashes atomically with its records, decides
//! when to sign, and serves the results.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![warn(missing_docs)]

mod builder;
mod checkpoint;
mod error;
mod hash;
mod merkle;
mod note;
mod proof;
mod store;
mod tiles;
mod verify;
mod witness;

pub use builder::{TreeBuilder, root_from_leaves};
pub use checkpoint::Checkpoint;
pub use error::Error;
pub use hash::{EMPTY_TREE_HASH, Hash, leaf_hash, node_hash, record_commitment, record_leaf_hash};
pub use merkle::{
    check_record, check_tree, consistency_proof_len, inclusion_proof_len, prove_record, prove_tree,
    tree_hash,
};
pub use note::{MAX_NOTE_SIGNATURES, Note, NoteSignature, Signer, Verifier, open_note, sign_note};
pub use proof::{ConsistencyProof, InclusionProof};
pub use store::{
    HashReader, MAX_TREE_SIZE, MemStore, split_stored_hash_index, stored_hash_count,
    stored_hash_index, stored_hash_indexes_for_records, stored_hashes_for_record_hash,
    stored_hashes_for_record_hashes,
};
pub use tiles::{
    TILE_HEIGHT, TILE_WIDTH, Tile, format_tile_path, new_tiles, parse_tile_path, read_tile_data,
};
pub use verify::{verify_consistency, verify_inclusion};
pub use witness::{CosignatureVerifier, TreeHead, Witness, WitnessRefusal, WitnessedLog};

/// The `rand_core` version [`Signer::generate`] takes a random number generator from.
pub use rand_core;

/// The README's example runs as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
