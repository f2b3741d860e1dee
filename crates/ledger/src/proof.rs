//! Proofs as JSON documents: what `/log/proof/inclusion` and `/log/proof/consistency` serve,
//! what `fazhi ledger prove` prints inside its output and what `verify-proof` reads.
//!
//! ```json
//! {"leaf_index": 5, "tree_size": 8, "hashes": ["vBoGQ7EuTS18d5GPRODw95qDi2z57FtcKD4fTYhZnms=", …]}
//! {"old_size": 6, "new_size": 8, "hashes": ["DrxdNDf74tsVi58SahHRjjCBgQMdCpSfje3t68VY72o=", …]}
//! ```
//!
//! Hashes are standard padded base64 (as Go's `tlog.Hash` marshals them), ordered as
//! [`crate::prove_record`] and [`crate::prove_tree`] return them. The decoder is strict: no
//! unknown or missing fields, every hash exactly 32 bytes, indexes inside their trees, and exactly
//! as many hashes as the tree shape requires. Its errors name the field (and hash position) at
//! fault. This format is Fazhi's own; C2SP `tlog-tiles` clients compute proofs from tiles
//! instead.

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::checkpoint::Checkpoint;
use crate::hash::Hash;
use crate::merkle::{check_record, check_tree, consistency_proof_len, inclusion_proof_len};

/// An inclusion proof of one record against a tree size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InclusionProof {
    /// The record's index (0-based).
    pub leaf_index: u64,
    /// The tree size the proof is against.
    pub tree_size: u64,
    /// The proof hashes, from the leaf's sibling upwards.
    #[serde(deserialize_with = "hashes_with_positions")]
    pub hashes: Vec<Hash>,
}

/// A consistency proof between two tree sizes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyProof {
    /// The earlier tree size.
    pub old_size: u64,
    /// The later tree size.
    pub new_size: u64,
    /// The proof hashes, as [`crate::prove_tree`] returns them.
    #[serde(deserialize_with = "hashes_with_positions")]
    pub hashes: Vec<Hash>,
}

/// Deserialises a list of base64 hashes, naming the position of a bad one.
fn hashes_with_positions<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Hash>, D::Error> {
    struct Hashes;
    impl<'de> serde::de::Visitor<'de> for Hashes {
        type Value = Vec<Hash>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of base64 hashes")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Vec<Hash>, A::Error> {
            let mut hashes = Vec::new();
            while let Some(text) = seq.next_element::<String>()? {
                let hash = Hash::from_base64(&text).map_err(|error| {
                    serde::de::Error::custom(format!("hashes[{}]: {error}", hashes.len()))
                })?;
                hashes.push(hash);
            }
            Ok(hashes)
        }
    }
    deserializer.deserialize_seq(Hashes)
}

fn from_json<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, Error> {
    serde_json::from_str(text).map_err(|error| Error::MalformedProof(error.to_string()))
}

impl InclusionProof {
    /// A proof document from computed hashes.
    pub fn new(leaf_index: u64, tree_size: u64, hashes: &[Hash]) -> Self {
        Self {
            leaf_index,
            tree_size,
            hashes: hashes.to_vec(),
        }
    }

    /// Parses and validates a JSON proof document ([`InclusionProof::validate`]).
    pub fn decode(text: &str) -> Result<Self, Error> {
        let proof: InclusionProof = from_json(text)?;
        proof.validate()?;
        Ok(proof)
    }

    /// [`InclusionProof::decode`], also returning the hashes on their own (the form existing
    /// callers pass to [`crate::check_record`]).
    pub fn from_json(text: &str) -> Result<(Self, Vec<Hash>), Error> {
        let proof = Self::decode(text)?;
        let hashes = proof.hashes.clone();
        Ok((proof, hashes))
    }

    /// The compact JSON document.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Checks the document's shape: the leaf is inside the tree and there are exactly as many
    /// hashes as its path has levels.
    pub fn validate(&self) -> Result<(), Error> {
        if self.leaf_index >= self.tree_size {
            return Err(Error::MalformedProof(format!(
                "leaf_index {} is not below tree_size {}",
                self.leaf_index, self.tree_size
            )));
        }
        let expected = inclusion_proof_len(self.leaf_index, self.tree_size);
        if self.hashes.len() != expected {
            return Err(Error::MalformedProof(format!(
                "leaf {} of a tree of {} needs {expected} hashes, the proof has {}",
                self.leaf_index,
                self.tree_size,
                self.hashes.len()
            )));
        }
        Ok(())
    }

    /// Checks that the record with leaf hash `leaf` is in the tree `checkpoint` describes (which
    /// the caller has already opened with the log's key, e.g. by [`Checkpoint::open`]).
    pub fn verify(&self, leaf: Hash, checkpoint: &Checkpoint) -> Result<(), Error> {
        if self.tree_size != checkpoint.size {
            return Err(Error::SizeMismatch {
                proof: self.tree_size,
                checkpoint: checkpoint.size,
            });
        }
        check_record(
            &self.hashes,
            self.tree_size,
            checkpoint.root,
            self.leaf_index,
            leaf,
        )
    }
}

impl ConsistencyProof {
    /// A proof document from computed hashes.
    pub fn new(old_size: u64, new_size: u64, hashes: &[Hash]) -> Self {
        Self {
            old_size,
            new_size,
            hashes: hashes.to_vec(),
        }
    }

    /// Parses and validates a JSON proof document ([`ConsistencyProof::validate`]).
    pub fn decode(text: &str) -> Result<Self, Error> {
        let proof: ConsistencyProof = from_json(text)?;
        proof.validate()?;
        Ok(proof)
    }

    /// [`ConsistencyProof::decode`], also returning the hashes on their own.
    pub fn from_json(text: &str) -> Result<(Self, Vec<Hash>), Error> {
        let proof = Self::decode(text)?;
        let hashes = proof.hashes.clone();
        Ok((proof, hashes))
    }

    /// The compact JSON document.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Checks the document's shape: `0 < old_size ≤ new_size` and exactly as many hashes as the
    /// two sizes require.
    pub fn validate(&self) -> Result<(), Error> {
        if self.old_size == 0 {
            return Err(Error::MalformedProof(
                "old_size must be at least 1 (every tree extends the empty one)".into(),
            ));
        }
        if self.old_size > self.new_size {
            return Err(Error::MalformedProof(format!(
                "old_size {} is larger than new_size {}",
                self.old_size, self.new_size
            )));
        }
        let expected = consistency_proof_len(self.old_size, self.new_size);
        if self.hashes.len() != expected {
            return Err(Error::MalformedProof(format!(
                "a proof from size {} to {} needs {expected} hashes, this one has {}",
                self.old_size,
                self.new_size,
                self.hashes.len()
            )));
        }
        Ok(())
    }

    /// Checks that checkpoint `new` extends checkpoint `old` (both already opened with the log's
    /// key): same origin, the proof's sizes, and the proof itself.
    pub fn verify(&self, old: &Checkpoint, new: &Checkpoint) -> Result<(), Error> {
        if old.origin != new.origin {
            return Err(Error::WrongOrigin {
                expected: old.origin.clone(),
                found: new.origin.clone(),
            });
        }
        for (proof, checkpoint) in [(self.old_size, old.size), (self.new_size, new.size)] {
            if proof != checkpoint {
                return Err(Error::SizeMismatch { proof, checkpoint });
            }
        }
        check_tree(
            &self.hashes,
            self.new_size,
            new.root,
            self.old_size,
            old.root,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;
    use crate::merkle::{prove_record, prove_tree, tree_hash};
    use crate::store::MemStore;

    #[test]
    fn proof_lengths_follow_the_tree_shape() {
        assert_eq!(inclusion_proof_len(0, 8), 3);
        assert_eq!(inclusion_proof_len(5, 8), 3);
        assert_eq!(inclusion_proof_len(6, 7), 2);
        assert_eq!(inclusion_proof_len(0, 1), 0);
        assert_eq!(inclusion_proof_len(1, 1), 0);
        assert_eq!(consistency_proof_len(2, 8), 2);
        assert_eq!(consistency_proof_len(6, 8), 3);
        assert_eq!(consistency_proof_len(2, 5), 2);
        assert_eq!(consistency_proof_len(8, 8), 0);
        assert_eq!(consistency_proof_len(0, 8), 0);
    }

    #[test]
    fn documents_round_trip_and_verify_against_checkpoints() {
        let mut store = MemStore::new();
        for i in 0..8u64 {
            store.append(leaf_hash(&i.to_be_bytes())).expect("append");
        }
        let checkpoint = |size| Checkpoint {
            origin: "fazhi-log/999902".into(),
            size,
            root: tree_hash(size, &store).expect("root"),
            extensions: vec![],
        };
        let inclusion = InclusionProof::new(5, 8, &prove_record(8, 5, &store).expect("prove"));
        let text = inclusion.to_json();
        assert!(
            text.starts_with(r#"{"leaf_index":5,"tree_size":8,"hashes":[""#),
            "{text}"
        );
        assert_eq!(InclusionProof::decode(&text), Ok(inclusion.clone()));
        let leaf = leaf_hash(&5u64.to_be_bytes());
        assert_eq!(inclusion.verify(leaf, &checkpoint(8)), Ok(()));
        assert_eq!(
            inclusion.verify(leaf, &checkpoint(7)),
            Err(Error::SizeMismatch {
                proof: 8,
                checkpoint: 7
            })
        );
        let consistency = ConsistencyProof::new(6, 8, &prove_tree(8, 6, &store).expect("prove"));
        assert_eq!(
            ConsistencyProof::decode(&consistency.to_json()),
            Ok(consistency.clone())
        );
        assert_eq!(consistency.verify(&checkpoint(6), &checkpoint(8)), Ok(()));
        assert!(consistency.verify(&checkpoint(8), &checkpoint(6)).is_err());
    }

    #[test]
    fn malformed_documents_name_what_is_wrong() {
        let hash = Hash::default().to_base64();
        let cases = [
            ("[", "EOF while parsing"),
            (
                r#"{"leaf_index": 0, "tree_size": 1}"#,
                "missing field `hashes`",
            ),
            (
                r#"{"leaf_index": 0, "tree_size": 1, "hashes": [], "x": 1}"#,
                "unknown field `x`",
            ),
            (
                r#"{"leaf_index": -1, "tree_size": 1, "hashes": []}"#,
                "invalid value: integer `-1`",
            ),
            (
                r#"{"leaf_index": 3, "tree_size": 1, "hashes": []}"#,
                "leaf_index 3 is not below tree_size 1",
            ),
            (
                r#"{"leaf_index": 0, "tree_size": 2, "hashes": []}"#,
                "needs 1 hashes, the proof has 0",
            ),
            (
                &format!(r#"{{"leaf_index": 0, "tree_size": 4, "hashes": ["{hash}", "AAAA"]}}"#),
                "hashes[1]: malformed hash: expected 32 bytes, found 3",
            ),
            (
                r#"{"leaf_index": 0, "tree_size": 2, "hashes": [7]}"#,
                "invalid type: integer `7`",
            ),
        ];
        for (text, reason) in cases {
            let error = InclusionProof::decode(text).expect_err(text);
            assert!(error.to_string().contains(reason), "{text}: {error}");
        }
        let cases = [
            (
                r#"{"old_size": 0, "new_size": 1, "hashes": []}"#,
                "at least 1",
            ),
            (
                r#"{"old_size": 3, "new_size": 2, "hashes": []}"#,
                "old_size 3 is larger than new_size 2",
            ),
            (
                r#"{"old_size": 2, "new_size": 5, "hashes": []}"#,
                "needs 2 hashes, this one has 0",
            ),
        ];
        for (text, reason) in cases {
            let error = ConsistencyProof::decode(text).expect_err(text);
            assert!(error.to_string().contains(reason), "{text}: {error}");
        }
    }
}
