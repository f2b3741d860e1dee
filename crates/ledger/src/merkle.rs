//! Tree roots, inclusion proofs and consistency proofs over the stored-hash sequence.
//!
//! The tree is RFC 6962's (§2.1): the hash of `n > 1` records is the node hash of the tree of the
//! first `k` records and the tree of the rest, `k` being the largest power of two below `n`.
//! Inclusion proofs are RFC 6962 §2.1.1 audit paths and consistency proofs RFC 6962 §2.1.2
//! proofs (RFC 9162 §2.1.3 and §2.1.4 define the same values), hashes ordered from the leaf
//! upwards. Proof contents, order and the argument order of the functions are those of Go's
//! `tlog.ProveRecord`, `CheckRecord`, `ProveTree` and `CheckTree`, so proofs agree byte for byte
//! with Go and with Certificate Transparency logs (tested against Google's Argon 2020 log in
//! `tests/data/argon2020.txt`).
//!
//! Every root this module computes comes from complete subtrees already in storage: a proof
//! needs O(log n) stored hashes, read in one call. It does not cache, and it does not trust a
//! root it is given: the checks only say whether a proof connects a leaf (or an older root) to
//! the root, and the caller must take that root from a verified checkpoint.

use crate::Error;
use crate::hash::{EMPTY_TREE_HASH, Hash, node_hash};
use crate::store::{HashReader, check_size, read_exact, stored_hash_index};

/// The largest power of two strictly below `n`, for `n ≥ 2` (RFC 6962's `k`).
fn split(n: u64) -> u64 {
    largest_power_of_two_at_most(n - 1).0
}

/// The largest power of two at most `x` (`x ≥ 1`), and its log₂.
fn largest_power_of_two_at_most(x: u64) -> (u64, u32) {
    let level = 63 - x.leading_zeros();
    (1 << level, level)
}

/// One step down the tree towards a leaf (or an old tree's edge): which side the path took, and
/// the records `[lo, hi)` of the subtree on the other side, whose hash the proof carries.
#[derive(Debug, Clone, Copy)]
struct Step {
    went_left: bool,
    sibling: (u64, u64),
}

/// The path from the root of a tree of `t` records to leaf `n` (`n < t`), top down. RFC 6962
/// §2.1.1 PATH(m, D[n]).
fn record_path(t: u64, n: u64) -> Vec<Step> {
    let (mut lo, mut hi) = (0u64, t);
    let mut steps = Vec::new();
    while hi - lo > 1 {
        let k = split(hi - lo);
        if n < lo + k {
            steps.push(Step {
                went_left: true,
                sibling: (lo + k, hi),
            });
            hi = lo + k;
        } else {
            steps.push(Step {
                went_left: false,
                sibling: (lo, lo + k),
            });
            lo += k;
        }
    }
    steps
}

/// The path RFC 6962 §2.1.2 SUBPROOF(n, D[t], true) takes (`0 < n ≤ t`), top down, and the
/// subtree where it stops: the one whose records are exactly `[lo, n)`. That subtree's hash is
/// part of the proof unless it is the whole old tree (`lo == 0`), which the verifier knows.
fn tree_path(t: u64, n: u64) -> (Vec<Step>, Option<(u64, u64)>) {
    let (mut lo, mut hi) = (0u64, t);
    let mut steps = Vec::new();
    while n != hi {
        // Here lo < n < hi, so the subtree has at least two records.
        let k = split(hi - lo);
        if n <= lo + k {
            steps.push(Step {
                went_left: true,
                sibling: (lo + k, hi),
            });
            hi = lo + k;
        } else {
            steps.push(Step {
                went_left: false,
                sibling: (lo, lo + k),
            });
            lo += k;
        }
    }
    let terminal = (lo != 0).then_some((lo, hi));
    (steps, terminal)
}

/// The number of hashes in the inclusion proof of record `index` in a tree of `size` records
/// (0 if `index ≥ size`): one per level on the path, at most 63.
pub fn inclusion_proof_len(index: u64, size: u64) -> usize {
    if index >= size {
        return 0;
    }
    record_path(size, index).len()
}

/// The number of hashes in the consistency proof from `old_size` to `new_size` (0 unless
/// `0 < old_size ≤ new_size`).
pub fn consistency_proof_len(old_size: u64, new_size: u64) -> usize {
    if old_size == 0 || old_size > new_size {
        return 0;
    }
    let (steps, terminal) = tree_path(new_size, old_size);
    steps.len() + usize::from(terminal.is_some())
}

/// The stored coordinates of the complete subtrees that make up records `[lo, hi)`, left to
/// right. `lo` must be a multiple of the largest power of two at most `hi − lo`, which holds for
/// every range the RFC 6962 recursion produces.
fn complete_subtrees(mut lo: u64, hi: u64) -> Vec<u64> {
    let mut indexes = Vec::new();
    while lo < hi {
        let (k, level) = largest_power_of_two_at_most(hi - lo);
        indexes.push(stored_hash_index(level, lo >> level));
        lo += k;
    }
    indexes
}

/// The hashes of the subtrees `[lo, hi)` in `ranges`, in order, reading every stored hash they
/// need in one call (sorted, without repeats).
fn range_hashes<R: HashReader + ?Sized>(
    ranges: &[(u64, u64)],
    reader: &R,
) -> Result<Vec<Hash>, Error> {
    let parts: Vec<Vec<u64>> = ranges
        .iter()
        .map(|&(lo, hi)| complete_subtrees(lo, hi))
        .collect();
    let mut needed: Vec<u64> = parts.iter().flatten().copied().collect();
    needed.sort_unstable();
    needed.dedup();
    let stored = read_exact(reader, &needed)?;
    let lookup = |index: u64| -> Result<Hash, Error> {
        needed
            .binary_search(&index)
            .ok()
            .and_then(|position| stored.get(position))
            .copied()
            .ok_or(Error::MissingHash(index))
    };
    parts
        .iter()
        .map(|indexes| {
            // RFC 6962: a range's hash is its first complete subtree joined with the hash of the
            // rest, so fold from the right.
            let mut iter = indexes.iter().rev();
            let last = iter.next().ok_or(Error::MissingHash(0))?;
            let mut hash = lookup(*last)?;
            for index in iter {
                hash = node_hash(&lookup(*index)?, &hash);
            }
            Ok(hash)
        })
        .collect()
}

/// The root hash of the tree of the first `n` records (RFC 6962 MTH). The empty tree's root is
/// SHA-256("") as in RFC 6962 (Go's `tlog.TreeHash(0)` returns zeros instead). Reads at most
/// 1 + log₂ n stored hashes.
pub fn tree_hash<R: HashReader + ?Sized>(n: u64, reader: &R) -> Result<Hash, Error> {
    if n == 0 {
        return Ok(EMPTY_TREE_HASH);
    }
    check_size(n)?;
    let hashes = range_hashes(&[(0, n)], reader)?;
    hashes.first().copied().ok_or(Error::MissingHash(0))
}

/// The inclusion proof of record `n` in the tree of size `t` (RFC 6962 §2.1.1 audit path,
/// RFC 9162 §2.1.3.1), from the leaf's sibling upwards. Go: `tlog.ProveRecord(t, n, r)`.
pub fn prove_record<R: HashReader + ?Sized>(
    t: u64,
    n: u64,
    reader: &R,
) -> Result<Vec<Hash>, Error> {
    if n >= t {
        return Err(Error::OutOfRange { index: n, size: t });
    }
    check_size(t)?;
    let siblings: Vec<(u64, u64)> = record_path(t, n)
        .iter()
        .rev()
        .map(|step| step.sibling)
        .collect();
    range_hashes(&siblings, reader)
}

/// Checks that `proof` shows record `n`, with leaf hash `leaf`, in the tree of size `t` whose
/// root is `root`. Go: `tlog.CheckRecord(p, t, th, n, h)`.
///
/// As with every RFC 6962 proof, the size is bound only through the tree's shape: a proof for
/// size `t` also verifies for another size with the same path against the same root. That is why
/// a root is only trusted together with its size, inside a signed [`crate::Checkpoint`].
pub fn check_record(proof: &[Hash], t: u64, root: Hash, n: u64, leaf: Hash) -> Result<(), Error> {
    if n >= t {
        return Err(Error::OutOfRange { index: n, size: t });
    }
    let path = record_path(t, n);
    if proof.len() != path.len() {
        return Err(Error::ProofFailed);
    }
    let mut hash = leaf;
    for (sibling, step) in proof.iter().zip(path.iter().rev()) {
        hash = if step.went_left {
            node_hash(&hash, sibling)
        } else {
            node_hash(sibling, &hash)
        };
    }
    if hash == root {
        Ok(())
    } else {
        Err(Error::ProofFailed)
    }
}

/// The consistency proof that the tree of size `n` is a prefix of the tree of size `t`
/// (`0 < n ≤ t`; RFC 6962 §2.1.2, RFC 9162 §2.1.4.1). Go: `tlog.ProveTree(t, n, h)`.
pub fn prove_tree<R: HashReader + ?Sized>(t: u64, n: u64, reader: &R) -> Result<Vec<Hash>, Error> {
    if n == 0 || n > t {
        return Err(Error::OutOfRange { index: n, size: t });
    }
    check_size(t)?;
    let (steps, terminal) = tree_path(t, n);
    let ranges: Vec<(u64, u64)> = terminal
        .into_iter()
        .chain(steps.iter().rev().map(|step| step.sibling))
        .collect();
    range_hashes(&ranges, reader)
}

/// Checks that `proof` shows the tree of size `n` with root `old_root` is a prefix of the tree of
/// size `t` with root `root` (`0 < n ≤ t`). Go: `tlog.CheckTree(p, t, th, n, h)`.
pub fn check_tree(proof: &[Hash], t: u64, root: Hash, n: u64, old_root: Hash) -> Result<(), Error> {
    if n == 0 || n > t {
        return Err(Error::OutOfRange { index: n, size: t });
    }
    let (steps, terminal) = tree_path(t, n);
    if proof.len() != steps.len() + usize::from(terminal.is_some()) {
        return Err(Error::ProofFailed);
    }
    let mut hashes = proof.iter();
    // Start from the subtree where the path stopped: the whole old tree, or a hash the proof
    // gives for it. Then climb, keeping the old tree's and the new tree's hash side by side.
    let start = match terminal {
        Some(_) => *hashes.next().ok_or(Error::ProofFailed)?,
        None => old_root,
    };
    let (mut old, mut new) = (start, start);
    for (sibling, step) in hashes.zip(steps.iter().rev()) {
        if step.went_left {
            // The sibling on the right holds only records added after the old tree.
            new = node_hash(&new, sibling);
        } else {
            old = node_hash(sibling, &old);
            new = node_hash(sibling, &new);
        }
    }
    if old == old_root && new == root {
        Ok(())
    } else {
        Err(Error::ProofFailed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;
    use crate::store::MemStore;

    fn log(n: u64) -> MemStore {
        let mut store = MemStore::new();
        for i in 0..n {
            store.append(leaf_hash(&i.to_be_bytes())).expect("append");
        }
        store
    }

    /// RFC 6962 §2.1 MTH, straight from the definition.
    fn reference_root(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => EMPTY_TREE_HASH,
            1 => leaves[0],
            n => {
                let k = split(n as u64) as usize;
                node_hash(&reference_root(&leaves[..k]), &reference_root(&leaves[k..]))
            }
        }
    }

    #[test]
    fn roots_from_storage_equal_the_rfc_definition() {
        let store = log(70);
        let leaves: Vec<Hash> = (0..70u64).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        for n in 0..=70 {
            assert_eq!(
                tree_hash(n, &store).expect("root"),
                reference_root(&leaves[..n as usize]),
                "{n}"
            );
        }
    }

    #[test]
    fn each_function_reads_once_in_increasing_order() {
        use std::cell::RefCell;
        struct Recorder<'a>(&'a MemStore, RefCell<Vec<Vec<u64>>>);
        impl HashReader for Recorder<'_> {
            fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
                self.1.borrow_mut().push(indexes.to_vec());
                self.0.read_hashes(indexes)
            }
        }
        let store = log(100);
        for t in 1..=100 {
            for n in 0..t {
                let recorder = Recorder(&store, RefCell::new(Vec::new()));
                prove_record(t, n, &recorder).expect("prove");
                prove_tree(t, n + 1, &recorder).expect("prove");
                tree_hash(t, &recorder).expect("root");
                let calls = recorder.1.into_inner();
                assert!(calls.len() <= 3);
                for call in calls {
                    assert!(call.windows(2).all(|w| w[0] < w[1]), "{call:?}");
                }
            }
        }
    }

    #[test]
    fn bad_arguments_are_errors_not_panics() {
        let store = log(4);
        assert_eq!(
            prove_record(4, 4, &store),
            Err(Error::OutOfRange { index: 4, size: 4 })
        );
        assert_eq!(
            prove_tree(4, 0, &store),
            Err(Error::OutOfRange { index: 0, size: 4 })
        );
        assert_eq!(
            prove_tree(4, 5, &store),
            Err(Error::OutOfRange { index: 5, size: 4 })
        );
        assert_eq!(tree_hash(5, &store), Err(Error::MissingHash(7)));
        assert_eq!(
            tree_hash(u64::MAX, &store),
            Err(Error::TreeTooLarge(u64::MAX))
        );
        let root = tree_hash(4, &store).expect("root");
        for (t, n) in [(u64::MAX, 0), (u64::MAX, u64::MAX - 1), (1 << 63, 12345)] {
            assert_eq!(
                check_record(&[root; 64], t, root, n, root),
                Err(Error::ProofFailed)
            );
            assert!(check_tree(&[root; 64], t, root, n.max(1), root).is_err());
        }
        assert_eq!(inclusion_proof_len(0, u64::MAX), 64);
        assert_eq!(inclusion_proof_len(u64::MAX - 1, u64::MAX), 63);
        assert_eq!(consistency_proof_len(1, u64::MAX), 64);
    }
}
