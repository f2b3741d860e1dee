//! Proof verification as RFC 9162 writes it (§2.1.3.2 for inclusion, §2.1.4.2 for
//! consistency): a bit-walk over the leaf index and tree size, written independently of the
//! recursive checks in [`crate::check_record`] and [`crate::check_tree`]. Both accept exactly
//! the same proofs (a property test and the `ledger_proof` fuzz target compare them), so a
//! mistake in one shows up as a disagreement with the other.
//!
//! These functions need no storage and take their arguments in RFC 9162's order. Like every
//! RFC 6962 proof they bind the tree size only through the tree's shape; trust a root only with
//! its size, from a signed checkpoint.

use crate::Error;
use crate::hash::{EMPTY_TREE_HASH, Hash, node_hash};

/// Shifts both counters right until `first` is odd or zero (RFC 9162's "right-shift both fn and
/// sn equally until either LSB(fn) is set or fn is 0").
fn shift_to_odd(first: &mut u64, second: &mut u64) {
    while *first & 1 == 0 && *first != 0 {
        *first >>= 1;
        *second >>= 1;
    }
}

/// Checks the inclusion proof `proof` of the leaf at `leaf_index` with hash `leaf_hash` in the
/// tree of `tree_size` leaves with root `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    leaf_index: u64,
    tree_size: u64,
    leaf_hash: Hash,
    proof: &[Hash],
    root: Hash,
) -> Result<(), Error> {
    if leaf_index >= tree_size {
        return Err(Error::OutOfRange {
            index: leaf_index,
            size: tree_size,
        });
    }
    let (mut first, mut second) = (leaf_index, tree_size - 1);
    let mut hash = leaf_hash;
    for sibling in proof {
        if second == 0 {
            return Err(Error::ProofFailed);
        }
        if first & 1 == 1 || first == second {
            hash = node_hash(sibling, &hash);
            shift_to_odd(&mut first, &mut second);
        } else {
            hash = node_hash(&hash, sibling);
        }
        first >>= 1;
        second >>= 1;
    }
    if second == 0 && hash == root {
        Ok(())
    } else {
        Err(Error::ProofFailed)
    }
}

/// Checks the consistency proof `proof` between the tree of `old_size` leaves with root
/// `old_root` and the tree of `new_size` leaves with root `new_root` (RFC 9162 §2.1.4.2).
///
/// Equal sizes need an empty proof and equal roots. An old size of 0 needs an empty proof and
/// `old_root` = [`EMPTY_TREE_HASH`]: every tree extends the empty one.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: Hash,
    new_root: Hash,
    proof: &[Hash],
) -> Result<(), Error> {
    if old_size > new_size {
        return Err(Error::OutOfRange {
            index: old_size,
            size: new_size,
        });
    }
    let holds = if old_size == new_size {
        proof.is_empty() && old_root == new_root
    } else if old_size == 0 {
        proof.is_empty() && old_root == EMPTY_TREE_HASH
    } else {
        consistency_holds(old_size, new_size, old_root, new_root, proof)
    };
    if holds {
        Ok(())
    } else {
        Err(Error::ProofFailed)
    }
}

/// RFC 9162 §2.1.4.2 steps 1–7, for `0 < old_size < new_size`.
fn consistency_holds(
    old_size: u64,
    new_size: u64,
    old_root: Hash,
    new_root: Hash,
    proof: &[Hash],
) -> bool {
    // Step 2: when the old tree is a complete subtree its root is the path's starting point and
    // the proof leaves it out.
    let (start, rest) = if old_size.is_power_of_two() {
        (old_root, proof)
    } else {
        match proof.split_first() {
            Some((first, rest)) => (*first, rest),
            None => return false,
        }
    };
    if proof.is_empty() {
        return false;
    }
    let (mut first, mut second) = (old_size - 1, new_size - 1);
    while first & 1 == 1 {
        first >>= 1;
        second >>= 1;
    }
    let (mut old, mut new) = (start, start);
    for hash in rest {
        if second == 0 {
            return false;
        }
        if first & 1 == 1 || first == second {
            old = node_hash(hash, &old);
            new = node_hash(hash, &new);
            shift_to_odd(&mut first, &mut second);
        } else {
            new = node_hash(&new, hash);
        }
        first >>= 1;
        second >>= 1;
    }
    old == old_root && new == new_root && second == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;

    #[test]
    fn trivial_cases_follow_the_rfc_and_the_empty_tree() {
        let a = leaf_hash(b"a");
        assert_eq!(verify_inclusion(0, 1, a, &[], a), Ok(()));
        assert_eq!(
            verify_inclusion(1, 1, a, &[], a),
            Err(Error::OutOfRange { index: 1, size: 1 })
        );
        assert_eq!(verify_inclusion(0, 1, a, &[a], a), Err(Error::ProofFailed));
        assert_eq!(verify_consistency(1, 1, a, a, &[]), Ok(()));
        assert_eq!(
            verify_consistency(1, 1, a, a, &[a]),
            Err(Error::ProofFailed)
        );
        assert_eq!(verify_consistency(0, 5, EMPTY_TREE_HASH, a, &[]), Ok(()));
        assert_eq!(verify_consistency(0, 5, a, a, &[]), Err(Error::ProofFailed));
        assert_eq!(verify_consistency(1, 2, a, a, &[]), Err(Error::ProofFailed));
        assert_eq!(
            verify_consistency(3, 2, a, a, &[]),
            Err(Error::OutOfRange { index: 3, size: 2 })
        );
        // Huge sizes are just numbers here.
        assert!(verify_inclusion(u64::MAX - 1, u64::MAX, a, &[a; 64], a).is_err());
        assert!(verify_consistency(u64::MAX - 1, u64::MAX, a, a, &[a; 70]).is_err());
    }
}
