//! The crate's one error type. Every parser names the field or line that is wrong; no input makes
//! this crate panic.

/// A failure to parse one of the log's formats, a check that did not hold, or storage that could
/// not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A proof did not verify: the leaf, a proof hash, an index, a size or a root differs from
    /// what the proof shows.
    #[error("proof does not verify")]
    ProofFailed,
    /// An index or size is outside the tree it is used with.
    #[error("index {index} is not inside a tree of size {size}")]
    OutOfRange {
        /// The index (or smaller size) asked for.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// A tree size is beyond what the stored-hash layout addresses ([`crate::MAX_TREE_SIZE`]).
    #[error("tree size {0} is larger than the log supports (2^63 - 1)")]
    TreeTooLarge(u64),
    /// The storage could not supply a stored hash.
    #[error("stored hash {0} is not available")]
    MissingHash(u64),
    /// The storage answered with a different number of hashes than it was asked for.
    #[error("storage returned {returned} hashes for {requested} indexes")]
    ReaderMismatch {
        /// Hashes asked for.
        requested: usize,
        /// Hashes returned.
        returned: usize,
    },
    /// A hash in text form is malformed.
    #[error("malformed hash: {0}")]
    MalformedHash(String),
    /// A checkpoint body is malformed.
    #[error("malformed checkpoint: {0}")]
    MalformedCheckpoint(String),
    /// A signed note is malformed.
    #[error("malformed note: {0}")]
    MalformedNote(String),
    /// A signer or verifier key string is malformed.
    #[error("malformed key: {0}")]
    MalformedKey(String),
    /// A tile path or tile is malformed.
    #[error("malformed tile: {0}")]
    MalformedTile(String),
    /// A proof document is malformed.
    #[error("malformed proof: {0}")]
    MalformedProof(String),
    /// A signature by a known key did not verify: the note was altered or the key is wrong.
    #[error("invalid signature by key {name}+{key_id:08x}")]
    InvalidSignature {
        /// The key's name.
        name: String,
        /// The key's 4-byte id.
        key_id: u32,
    },
    /// No signature by a known key is on the note.
    #[error("the note has no signature by a known key")]
    UnverifiedNote,
    /// A checkpoint names another log than the key that signed it.
    #[error("checkpoint origin {found:?} is not the log {expected:?}")]
    WrongOrigin {
        /// The verifier key's name.
        expected: String,
        /// The checkpoint's origin line.
        found: String,
    },
    /// A proof is for a different tree size than the checkpoint it is checked against.
    #[error("the proof is for tree size {proof}, the checkpoint has size {checkpoint}")]
    SizeMismatch {
        /// The proof's tree size.
        proof: u64,
        /// The checkpoint's tree size.
        checkpoint: u64,
    },
    /// A tile is well formed but not (yet) complete in the tree of that size.
    #[error("tile {path} is not complete in a tree of size {size}")]
    TileNotInTree {
        /// The tile's path.
        path: String,
        /// The tree size.
        size: u64,
    },
    /// The random number generator failed.
    #[error("the random number generator failed")]
    Randomness,
}
