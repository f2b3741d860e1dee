//! The Merkle tree over stored hashes (RFC 6962 §2.1 tree shape; storage layout and proof
//! algorithms as in Go's `golang.org/x/mod/sumdb/tlog`, so proofs agree byte for byte).
//!
//! Storage contract: the caller appends the hashes returned by
//! [`stored_hashes_for_record_hash`] for record `n` right after those of record `n - 1`, in the
//! same transaction as the record itself; stored hash `i` never changes once written.

use crate::Error;
use crate::hash::{EMPTY_TREE_HASH, Hash, node_hash};

/// Reads stored hashes by index.
pub trait HashReader {
    /// The hashes at `indexes`, in the same order.
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error>;
}

/// Stored hashes in memory.
#[derive(Debug, Clone, Default)]
pub struct MemStore {
    hashes: Vec<Hash>,
    size: u64,
}

impl MemStore {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a record's leaf hash; returns its index.
    pub fn append(&mut self, leaf: Hash) -> Result<u64, Error> {
        let n = self.size;
        let new = stored_hashes_for_record_hash(n, leaf, self)?;
        self.hashes.extend(new);
        self.size += 1;
        Ok(n)
    }

    /// Number of records.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// All stored hashes.
    pub fn stored(&self) -> &[Hash] {
        &self.hashes
    }
}

impl HashReader for MemStore {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        indexes
            .iter()
            .map(|i| {
                usize::try_from(*i)
                    .ok()
                    .and_then(|i| self.hashes.get(i))
                    .copied()
                    .ok_or(Error::MissingHash(*i))
            })
            .collect()
    }
}

impl<T: HashReader + ?Sized> HashReader for &T {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        (**self).read_hashes(indexes)
    }
}

/// The index in the stored-hash sequence of the `n`-th hash at `level` (level 0 = leaves).
pub fn stored_hash_index(level: u32, n: u64) -> u64 {
    // The n-th hash at level L is written just after the (2n+1)-th hash at level L-1; descend to
    // level 0, where record n's hash sits after n + n/2 + n/4 + ... earlier hashes.
    let mut n = n;
    for _ in 0..level {
        n = 2 * n + 1;
    }
    let mut index = 0u64;
    let mut m = n;
    while m > 0 {
        index += m;
        m >>= 1;
    }
    index + u64::from(level)
}

/// The number of stored hashes for a log of `n` records.
pub fn stored_hash_count(n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let last = n - 1;
    stored_hash_index(0, last) + 1 + u64::from(last.trailing_ones())
}

/// The hashes to append after record `n`'s: its leaf hash, then each subtree it completes.
pub fn stored_hashes_for_record_hash(
    n: u64,
    leaf: Hash,
    reader: &impl HashReader,
) -> Result<Vec<Hash>, Error> {
    let completed = n.trailing_ones();
    // The left neighbours at each level, from the highest level down (sorted storage order).
    let indexes: Vec<u64> = (0..completed)
        .rev()
        .map(|level| stored_hash_index(level, (n >> level) - 1))
        .collect();
    let neighbours = reader.read_hashes(&indexes)?;
    let mut hashes = Vec::with_capacity(1 + neighbours.len());
    hashes.push(leaf);
    let mut current = leaf;
    for neighbour in neighbours.iter().rev() {
        current = node_hash(neighbour, &current);
        hashes.push(current);
    }
    Ok(hashes)
}

/// The largest power of two strictly less than `n` (n ≥ 2), and its log₂.
fn split_point(n: u64) -> (u64, u32) {
    let level = 63 - (n - 1).leading_zeros();
    (1u64 << level, level)
}

/// Indexes of the complete subtrees covering records `[lo, hi)`, left to right.
fn subtree_indexes(mut lo: u64, hi: u64, need: &mut Vec<u64>) {
    while lo < hi {
        let (k, level) = split_point(hi - lo + 1);
        need.push(stored_hash_index(level, lo >> level));
        lo += k;
    }
}

/// Combines the hashes of the complete subtrees covering `[lo, hi)` (taken from the front of
/// `hashes`) into the hash of that range.
fn subtree_hash(
    mut lo: u64,
    hi: u64,
    hashes: &mut std::slice::Iter<'_, Hash>,
) -> Result<Hash, Error> {
    let mut parts = Vec::new();
    while lo < hi {
        let (k, _) = split_point(hi - lo + 1);
        parts.push(*hashes.next().ok_or(Error::MissingHash(lo))?);
        lo += k;
    }
    let mut combined = parts.pop().ok_or(Error::MissingHash(lo))?;
    while let Some(left) = parts.pop() {
        combined = node_hash(&left, &combined);
    }
    Ok(combined)
}

/// The root hash of the first `n` records.
pub fn tree_hash(n: u64, reader: &impl HashReader) -> Result<Hash, Error> {
    if n == 0 {
        return Ok(EMPTY_TREE_HASH);
    }
    let mut need = Vec::new();
    subtree_indexes(0, n, &mut need);
    let hashes = reader.read_hashes(&need)?;
    subtree_hash(0, n, &mut hashes.iter())
}

fn leaf_proof_indexes(lo: u64, hi: u64, n: u64, need: &mut Vec<u64>) {
    if lo + 1 == hi {
        return;
    }
    let (k, _) = split_point(hi - lo);
    if n < lo + k {
        leaf_proof_indexes(lo, lo + k, n, need);
        subtree_indexes(lo + k, hi, need);
    } else {
        subtree_indexes(lo, lo + k, need);
        leaf_proof_indexes(lo + k, hi, n, need);
    }
}

fn leaf_proof(
    lo: u64,
    hi: u64,
    n: u64,
    hashes: &mut std::slice::Iter<'_, Hash>,
    proof: &mut Vec<Hash>,
) -> Result<(), Error> {
    if lo + 1 == hi {
        return Ok(());
    }
    let (k, _) = split_point(hi - lo);
    if n < lo + k {
        leaf_proof(lo, lo + k, n, hashes, proof)?;
        proof.push(subtree_hash(lo + k, hi, hashes)?);
    } else {
        let sibling = subtree_hash(lo, lo + k, hashes)?;
        leaf_proof(lo + k, hi, n, hashes, proof)?;
        proof.push(sibling);
    }
    Ok(())
}

/// The inclusion proof of record `n` in the tree of size `t` (RFC 9162 §2.1.3 order: from the
/// leaf upwards).
pub fn prove_record(t: u64, n: u64, reader: &impl HashReader) -> Result<Vec<Hash>, Error> {
    if n >= t {
        return Err(Error::OutOfRange { index: n, size: t });
    }
    let mut need = Vec::new();
    leaf_proof_indexes(0, t, n, &mut need);
    let hashes = reader.read_hashes(&need)?;
    let mut proof = Vec::new();
    leaf_proof(0, t, n, &mut hashes.iter(), &mut proof)?;
    Ok(proof)
}

fn run_record_proof(proof: &[Hash], lo: u64, hi: u64, n: u64, leaf: Hash) -> Result<Hash, Error> {
    if lo + 1 == hi {
        return if proof.is_empty() {
            Ok(leaf)
        } else {
            Err(Error::ProofFailed)
        };
    }
    let (last, rest) = proof.split_last().ok_or(Error::ProofFailed)?;
    let (k, _) = split_point(hi - lo);
    if n < lo + k {
        Ok(node_hash(
            &run_record_proof(rest, lo, lo + k, n, leaf)?,
            last,
        ))
    } else {
        Ok(node_hash(
            last,
            &run_record_proof(rest, lo + k, hi, n, leaf)?,
        ))
    }
}

/// Checks that `proof` shows record `n` with leaf hash `leaf` in the tree of size `t` and root
/// `root`. As with every RFC 6962 inclusion proof, the size is bound by the root only through
/// the tree's shape: a proof for size `t` can also verify for another size of the same shape
/// against the same root, which is why roots are only trusted together with their size, inside a
/// signed checkpoint.
pub fn check_record(proof: &[Hash], t: u64, root: Hash, n: u64, leaf: Hash) -> Result<(), Error> {
    if n >= t || proof.len() != crate::proof::inclusion_proof_len(n, t) {
        return Err(Error::ProofFailed);
    }
    if run_record_proof(proof, 0, t, n, leaf)? == root {
        Ok(())
    } else {
        Err(Error::ProofFailed)
    }
}

fn tree_proof_indexes(lo: u64, hi: u64, n: u64, need: &mut Vec<u64>) {
    if n == hi {
        if lo != 0 {
            subtree_indexes(lo, hi, need);
        }
        return;
    }
    let (k, _) = split_point(hi - lo);
    if n <= lo + k {
        tree_proof_indexes(lo, lo + k, n, need);
        subtree_indexes(lo + k, hi, need);
    } else {
        subtree_indexes(lo, lo + k, need);
        tree_proof_indexes(lo + k, hi, n, need);
    }
}

fn tree_proof(
    lo: u64,
    hi: u64,
    n: u64,
    hashes: &mut std::slice::Iter<'_, Hash>,
    proof: &mut Vec<Hash>,
) -> Result<(), Error> {
    if n == hi {
        if lo != 0 {
            proof.push(subtree_hash(lo, hi, hashes)?);
        }
        return Ok(());
    }
    let (k, _) = split_point(hi - lo);
    if n <= lo + k {
        tree_proof(lo, lo + k, n, hashes, proof)?;
        proof.push(subtree_hash(lo + k, hi, hashes)?);
    } else {
        let sibling = subtree_hash(lo, lo + k, hashes)?;
        tree_proof(lo + k, hi, n, hashes, proof)?;
        proof.push(sibling);
    }
    Ok(())
}

/// The consistency proof that the tree of size `n` is a prefix of the tree of size `t`.
pub fn prove_tree(t: u64, n: u64, reader: &impl HashReader) -> Result<Vec<Hash>, Error> {
    if n == 0 || n > t {
        return Err(Error::OutOfRange { index: n, size: t });
    }
    let mut need = Vec::new();
    tree_proof_indexes(0, t, n, &mut need);
    let hashes = reader.read_hashes(&need)?;
    let mut proof = Vec::new();
    tree_proof(0, t, n, &mut hashes.iter(), &mut proof)?;
    Ok(proof)
}

fn run_tree_proof(
    proof: &[Hash],
    lo: u64,
    hi: u64,
    n: u64,
    old: Hash,
) -> Result<(Hash, Hash), Error> {
    if n == hi {
        if lo == 0 {
            return if proof.is_empty() {
                Ok((old, old))
            } else {
                Err(Error::ProofFailed)
            };
        }
        return match proof {
            [only] => Ok((*only, *only)),
            _ => Err(Error::ProofFailed),
        };
    }
    let (last, rest) = proof.split_last().ok_or(Error::ProofFailed)?;
    let (k, _) = split_point(hi - lo);
    if n <= lo + k {
        let (old_hash, tree) = run_tree_proof(rest, lo, lo + k, n, old)?;
        Ok((old_hash, node_hash(&tree, last)))
    } else {
        let (old_hash, tree) = run_tree_proof(rest, lo + k, hi, n, old)?;
        Ok((node_hash(last, &old_hash), node_hash(last, &tree)))
    }
}

/// Checks that `proof` shows the tree of size `n` and root `old_root` is a prefix of the tree of
/// size `t` and root `root`.
pub fn check_tree(proof: &[Hash], t: u64, root: Hash, n: u64, old_root: Hash) -> Result<(), Error> {
    if n == 0 || n > t || proof.len() != crate::proof::consistency_proof_len(n, t) {
        return Err(Error::ProofFailed);
    }
    let (old, new) = run_tree_proof(proof, 0, t, n, old_root)?;
    if old == old_root && new == root {
        Ok(())
    } else {
        Err(Error::ProofFailed)
    }
}

/// Rebuilds a tree from its leaves one at a time in O(log n) memory, yielding the root of every
/// prefix and the stored-hash sequence for comparison with storage (the `verify` path).
#[derive(Debug, Clone, Default)]
pub struct TreeBuilder {
    /// Complete subtree roots, largest first.
    frontier: Vec<(u32, Hash)>,
    size: u64,
}

impl TreeBuilder {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the next leaf; returns the stored hashes this record adds (as in
    /// [`stored_hashes_for_record_hash`]).
    pub fn push(&mut self, leaf: Hash) -> Vec<Hash> {
        let mut added = vec![leaf];
        let mut current = (0u32, leaf);
        while let Some((level, left)) = self.frontier.last().copied() {
            if level != current.0 {
                break;
            }
            self.frontier.pop();
            current = (level + 1, node_hash(&left, &current.1));
            added.push(current.1);
        }
        self.frontier.push(current);
        self.size += 1;
        added
    }

    /// Records added.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The root of the tree so far.
    pub fn root(&self) -> Hash {
        let mut iter = self.frontier.iter().rev();
        let Some((_, mut root)) = iter.next().copied() else {
            return EMPTY_TREE_HASH;
        };
        for (_, left) in iter {
            root = node_hash(left, &root);
        }
        root
    }
}
