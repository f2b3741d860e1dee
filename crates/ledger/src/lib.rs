//! A tamper-evident log: RFC 6962 / RFC 9162 Merkle tree hashing, inclusion and consistency
//! proofs, and checkpoints in the C2SP `tlog-checkpoint` format signed as C2SP `signed-note`s with
//! Ed25519, in the layout of Go's `golang.org/x/mod/sumdb/tlog` and `note` packages so that
//! independent tools can check this log.
//!
//! # Storage model
//! The tree's hashes are kept in one append-only sequence of *stored hashes*: after record `n`'s
//! leaf hash come the hashes of every complete subtree that record finishes (one per trailing
//! 1-bit of `n`). Appending is O(log n) reads and amortised O(1) writes; a proof reads O(log n)
//! stored hashes. Callers supply the storage through [`HashReader`]; [`MemStore`] keeps it in
//! memory.
//!
//! # Privacy
//! Fazhi's leaves are *commitments*: [`record_commitment`] = SHA-256(salt ‖ canonical event bytes).
//! The public tree and its tiles carry only those 32-byte values, never the event.
//!
//! # What it does not do
//! No IO, no clock, no database: the caller stores hashes and checkpoints atomically with its
//! records, and decides when to sign.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod checkpoint;
mod hash;
mod note;
mod proof;
mod tile;
mod tree;

pub use checkpoint::Checkpoint;
pub use hash::{EMPTY_TREE_HASH, Hash, leaf_hash, node_hash, record_commitment};
pub use note::{Signer, Verifier, open_note, sign_note};
pub use proof::{ConsistencyProof, InclusionProof, consistency_proof_len, inclusion_proof_len};
pub use tile::{TILE_HEIGHT, TILE_WIDTH, Tile, format_tile_path, parse_tile_path, read_tile_data};
pub use tree::{
    HashReader, MemStore, TreeBuilder, check_record, check_tree, prove_record, prove_tree,
    stored_hash_count, stored_hash_index, stored_hashes_for_record_hash, tree_hash,
};

/// A failure of the log's checks or of parsing its formats.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A proof did not verify.
    #[error("proof does not verify")]
    ProofFailed,
    /// A size or index is outside the tree.
    #[error("index {index} is not inside a tree of size {size}")]
    OutOfRange {
        /// The index asked for.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// The storage could not supply a hash.
    #[error("stored hash {0} is not available")]
    MissingHash(u64),
    /// A checkpoint's text is malformed.
    #[error("malformed checkpoint: {0}")]
    MalformedCheckpoint(&'static str),
    /// A signed note is malformed.
    #[error("malformed note: {0}")]
    MalformedNote(&'static str),
    /// A key string is malformed.
    #[error("malformed key: {0}")]
    MalformedKey(&'static str),
    /// No signature by a known key verified.
    #[error("no valid signature from a known key")]
    UnverifiedNote,
    /// A tile path or tile is malformed.
    #[error("malformed tile: {0}")]
    MalformedTile(&'static str),
    /// A hash in text form is malformed.
    #[error("malformed hash: {0}")]
    MalformedHash(&'static str),
}
