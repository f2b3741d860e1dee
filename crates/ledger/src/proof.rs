//! Proofs as JSON documents (what `fazhi ledger prove` prints and `verify-proof` reads), with a
//! strict decoder: hashes must be base64 of 32 bytes and the proof must have exactly the length
//! the tree shape requires.

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::hash::Hash;

/// An inclusion proof of one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InclusionProof {
    /// The record's index.
    pub leaf_index: u64,
    /// The tree size the proof is against.
    pub tree_size: u64,
    /// Sibling hashes from the leaf upwards, base64.
    pub hashes: Vec<String>,
}

/// A consistency proof between two tree sizes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyProof {
    /// The earlier size.
    pub old_size: u64,
    /// The later size.
    pub new_size: u64,
    /// Proof hashes, base64.
    pub hashes: Vec<String>,
}

/// The largest power of two strictly less than `n` (n ≥ 2).
fn split(n: u64) -> u64 {
    1u64 << (63 - (n - 1).leading_zeros())
}

/// The number of hashes in an inclusion proof of `index` in a tree of `size` (one per level of
/// the path, as [`crate::prove_record`] builds it).
pub fn inclusion_proof_len(index: u64, size: u64) -> usize {
    let (mut lo, mut hi, mut count) = (0u64, size, 0usize);
    if index >= size {
        return 0;
    }
    while lo + 1 < hi {
        let k = split(hi - lo);
        if index < lo + k {
            hi = lo + k
        } else {
            lo += k
        }
        count += 1;
    }
    count
}

/// The number of hashes in a consistency proof from `old` to `new` (as [`crate::prove_tree`]
/// builds it).
pub fn consistency_proof_len(old: u64, new: u64) -> usize {
    if old == 0 || old > new {
        return 0;
    }
    let (mut lo, mut hi, mut count) = (0u64, new, 0usize);
    while old != hi {
        let k = split(hi - lo);
        if old <= lo + k {
            hi = lo + k
        } else {
            lo += k
        }
        count += 1;
    }
    count + usize::from(lo != 0)
}

fn decode_all(hashes: &[String]) -> Result<Vec<Hash>, Error> {
    hashes.iter().map(|h| Hash::from_base64(h)).collect()
}

impl InclusionProof {
    /// A proof document from computed hashes.
    pub fn new(leaf_index: u64, tree_size: u64, hashes: &[Hash]) -> Self {
        Self {
            leaf_index,
            tree_size,
            hashes: hashes.iter().map(Hash::to_base64).collect(),
        }
    }

    /// Parses and validates a JSON proof document.
    pub fn from_json(text: &str) -> Result<(Self, Vec<Hash>), Error> {
        let proof: InclusionProof = serde_json_lite(text)?;
        if proof.leaf_index >= proof.tree_size {
            return Err(Error::OutOfRange {
                index: proof.leaf_index,
                size: proof.tree_size,
            });
        }
        let hashes = decode_all(&proof.hashes)?;
        if hashes.len() != inclusion_proof_len(proof.leaf_index, proof.tree_size) {
            return Err(Error::MalformedHash(
                "proof has the wrong number of hashes for its index and size",
            ));
        }
        Ok((proof, hashes))
    }
}

impl ConsistencyProof {
    /// A proof document from computed hashes.
    pub fn new(old_size: u64, new_size: u64, hashes: &[Hash]) -> Self {
        Self {
            old_size,
            new_size,
            hashes: hashes.iter().map(Hash::to_base64).collect(),
        }
    }

    /// Parses and validates a JSON proof document.
    pub fn from_json(text: &str) -> Result<(Self, Vec<Hash>), Error> {
        let proof: ConsistencyProof = serde_json_lite(text)?;
        if proof.old_size == 0 || proof.old_size > proof.new_size {
            return Err(Error::OutOfRange {
                index: proof.old_size,
                size: proof.new_size,
            });
        }
        let hashes = decode_all(&proof.hashes)?;
        if hashes.len() != consistency_proof_len(proof.old_size, proof.new_size) {
            return Err(Error::MalformedHash(
                "proof has the wrong number of hashes for its sizes",
            ));
        }
        Ok((proof, hashes))
    }
}

fn serde_json_lite<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, Error> {
    serde_json::from_str(text).map_err(|_| {
        Error::MalformedHash("not a proof document: missing, unknown or mistyped fields")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proof_lengths_follow_rfc_9162() {
        assert_eq!(inclusion_proof_len(0, 8), 3);
        assert_eq!(inclusion_proof_len(5, 8), 3);
        assert_eq!(inclusion_proof_len(6, 7), 2);
        assert_eq!(inclusion_proof_len(0, 1), 0);
        assert_eq!(consistency_proof_len(2, 8), 2);
        assert_eq!(consistency_proof_len(6, 8), 3);
        assert_eq!(consistency_proof_len(2, 5), 2);
        assert_eq!(consistency_proof_len(8, 8), 0);
    }

    #[test]
    fn proof_documents_round_trip_and_bad_ones_are_named() {
        let proof = InclusionProof::new(0, 1, &[]);
        let text = r#"{"leaf_index": 0, "tree_size": 1, "hashes": []}"#;
        assert_eq!(InclusionProof::from_json(text).map(|p| p.0), Ok(proof));
        assert!(
            InclusionProof::from_json(r#"{"leaf_index": 3, "tree_size": 1, "hashes": []}"#)
                .is_err()
        );
        assert!(
            InclusionProof::from_json(r#"{"leaf_index": 0, "tree_size": 2, "hashes": []}"#)
                .is_err(),
            "wrong length"
        );
        assert!(
            InclusionProof::from_json(r#"{"leaf_index": 0, "tree_size": 1, "hashes": [], "x": 1}"#)
                .is_err(),
            "unknown field"
        );
        assert!(InclusionProof::from_json("[").is_err());
        assert!(
            ConsistencyProof::from_json(r#"{"old_size": 0, "new_size": 1, "hashes": []}"#).is_err()
        );
    }
}
