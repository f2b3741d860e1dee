//! Rebuilding a tree from its leaves, one leaf at a time, in O(log n) memory: the path an auditor
//! takes (`fazhi ledger verify`) to recompute every leaf and compare with what storage holds.
//!
//! The builder keeps the *frontier*, the roots of the complete subtrees covering the leaves so
//! far (one per 1-bit of the size, largest first; a "compact range" in transparency-dev's terms).
//! Each push yields exactly the hashes [`crate::stored_hashes_for_record_hash`] would store for
//! that record, so a verifier can compare storage hash by hash without reading it back, and the
//! root of every prefix is available for checking checkpoints along the way (RFC 6962 §2.1).
//!
//! It does not read storage (except [`TreeBuilder::from_reader`] to resume) and it does not keep
//! leaves: the caller streams them.

use crate::Error;
use crate::hash::{EMPTY_TREE_HASH, Hash, node_hash};
use crate::store::{HashReader, check_size, read_exact, stored_hash_index};

/// A Merkle tree grown leaf by leaf, keeping only the roots of its complete subtrees.
#[derive(Debug, Clone, Default)]
pub struct TreeBuilder {
    /// Complete subtree roots as (level, hash), largest (leftmost) first.
    frontier: Vec<(u32, Hash)>,
    size: u64,
}

impl TreeBuilder {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Resumes the tree of the first `size` records from storage, reading the roots of its
    /// complete subtrees (at most log₂ n hashes, one call).
    pub fn from_reader<R: HashReader + ?Sized>(size: u64, reader: &R) -> Result<Self, Error> {
        check_size(size)?;
        let mut levels = Vec::new();
        let mut indexes = Vec::new();
        let mut lo = 0u64;
        while lo < size {
            let level = 63 - (size - lo).leading_zeros();
            levels.push(level);
            indexes.push(stored_hash_index(level, lo >> level));
            lo += 1 << level;
        }
        let hashes = read_exact(reader, &indexes)?;
        Ok(Self {
            frontier: levels.into_iter().zip(hashes).collect(),
            size,
        })
    }

    /// Adds the next leaf hash. Returns the stored hashes this record adds, in storage order: the
    /// leaf hash, then the root of each subtree the leaf completes (as
    /// [`crate::stored_hashes_for_record_hash`] returns them).
    pub fn push(&mut self, leaf: Hash) -> Vec<Hash> {
        let mut added = Vec::with_capacity(1 + self.size.trailing_ones() as usize);
        self.push_with(leaf, |hash| added.push(hash));
        added
    }

    /// Like [`TreeBuilder::push`], handing each stored hash to `sink` instead of allocating.
    pub fn push_with(&mut self, leaf: Hash, mut sink: impl FnMut(Hash)) {
        sink(leaf);
        let (mut level, mut hash) = (0u32, leaf);
        while let Some(&(left_level, left)) = self.frontier.last() {
            if left_level != level {
                break;
            }
            self.frontier.pop();
            hash = node_hash(&left, &hash);
            level += 1;
            sink(hash);
        }
        self.frontier.push((level, hash));
        self.size = self.size.saturating_add(1);
    }

    /// The number of leaves so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The root of the tree so far (RFC 6962 MTH; [`EMPTY_TREE_HASH`] when empty).
    pub fn root(&self) -> Hash {
        let mut subtrees = self.frontier.iter().rev();
        let Some(&(_, mut root)) = subtrees.next() else {
            return EMPTY_TREE_HASH;
        };
        for (_, left) in subtrees {
            root = node_hash(left, &root);
        }
        root
    }
}

/// The root of the tree with these leaf hashes, streaming them through a [`TreeBuilder`].
pub fn root_from_leaves(leaves: impl IntoIterator<Item = Hash>) -> Hash {
    let mut builder = TreeBuilder::new();
    for leaf in leaves {
        builder.push_with(leaf, |_| {});
    }
    builder.root()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;
    use crate::merkle::tree_hash;
    use crate::store::MemStore;

    #[test]
    fn a_resumed_builder_continues_like_the_original() {
        let mut store = MemStore::new();
        let mut builder = TreeBuilder::new();
        for i in 0..200u64 {
            let resumed = TreeBuilder::from_reader(i, &store).expect("resume");
            assert_eq!(resumed.root(), builder.root(), "{i}");
            assert_eq!(resumed.size(), i);
            let mut resumed = resumed;
            let leaf = leaf_hash(&i.to_be_bytes());
            assert_eq!(resumed.push(leaf), builder.push(leaf));
            store.append(leaf).expect("append");
            assert_eq!(builder.root(), tree_hash(i + 1, &store).expect("root"));
        }
        assert_eq!(
            root_from_leaves((0..200u64).map(|i| leaf_hash(&i.to_be_bytes()))),
            builder.root()
        );
        assert_eq!(root_from_leaves([]), EMPTY_TREE_HASH);
    }
}
