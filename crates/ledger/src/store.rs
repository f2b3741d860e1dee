//! The stored-hash sequence: every hash of the tree that will never change, in the order it
//! becomes known, numbered densely from 0, as in Go's `golang.org/x/mod/sumdb/tlog` (which takes
//! the ordering from §3.3 of Crosby and Wallach, "Efficient Data Structures for Tamper-Evident
//! Logging", USENIX Security 2009). After record `n`'s leaf hash come the roots of the complete
//! subtrees that record finishes, one per trailing 1-bit of `n`:
//!
//! ```text
//! index:  0   1   2       3   4   5       6       7 …
//! hash:   L0  L1  N(0..2) L2  L3  N(2..4) N(0..4) L4 …
//! ```
//!
//! Appending record `n` therefore reads at most log₂ n earlier hashes and writes
//! `1 + trailing_ones(n)` new ones (two on average), and no stored hash is ever rewritten: the
//! tree is maintained incrementally, never rebuilt. The layout is the same as Go's, so a
//! `tlog.HashReader` over Fazhi's table would work unchanged.
//!
//! This module says where hashes go and what storage must promise ([`HashReader`]); it does not
//! store anything durably ([`MemStore`] is for tests and benchmarks).

use crate::Error;
use crate::hash::{Hash, node_hash};

/// The largest tree size the stored-hash numbering addresses: 2⁶³ − 1, the largest size Go's
/// `tlog` (`int64`) and an SQL `BIGINT` hold. Every stored index of such a tree fits in a `u64`.
pub const MAX_TREE_SIZE: u64 = (1 << 63) - 1;

/// Reads stored hashes by their index in the stored-hash sequence.
///
/// # Storage contract
/// What an implementation (for Fazhi, the database) must guarantee, and what the library promises
/// in return:
///
/// - **Append in order, atomically.** The hashes returned by [`stored_hashes_for_record_hash`]
///   for record `n` are stored at indexes `stored_hash_count(n)..stored_hash_count(n + 1)`, in the
///   same transaction as record `n` itself (its event and salt) and the log's new size `n + 1`.
///   After commit all of them are durable; after a failed transaction none is.
/// - **One writer at a time.** Appends are serialised (the transaction that reads the size must
///   hold the lock until it commits), so no two records get the same `n`.
/// - **Immutable.** A stored hash never changes once written; readers may cache it forever
///   (full tiles are served as immutable for this reason).
/// - **Exact answers.** `read_hashes` returns one hash per index, in the order asked, or an
///   error ([`Error::MissingHash`] for an index not written yet). Returning a different number of
///   hashes is caught as [`Error::ReaderMismatch`].
/// - **Readers see a committed prefix.** A read for a tree of size `t` is only issued for indexes
///   below `stored_hash_count(t)`; it must see those hashes as committed.
///
/// The library calls `read_hashes` **at most once** per public function, with indexes in
/// increasing order that depend only on the sizes and indexes given, never on hash values. A
/// caller that cannot read synchronously (async SQL) may therefore run a function once against a
/// recording reader to learn the indexes, fetch them, and run it again. Concurrent readers are
/// fine: nothing here mutates storage.
pub trait HashReader {
    /// The stored hashes at `indexes`, in the same order.
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error>;
}

impl<T: HashReader + ?Sized> HashReader for &T {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        (**self).read_hashes(indexes)
    }
}

/// Reads `indexes` (skipping the call when there are none) and checks the answer's length.
pub(crate) fn read_exact<R: HashReader + ?Sized>(
    reader: &R,
    indexes: &[u64],
) -> Result<Vec<Hash>, Error> {
    if indexes.is_empty() {
        return Ok(Vec::new());
    }
    let hashes = reader.read_hashes(indexes)?;
    if hashes.len() != indexes.len() {
        return Err(Error::ReaderMismatch {
            requested: indexes.len(),
            returned: hashes.len(),
        });
    }
    Ok(hashes)
}

/// Refuses sizes the stored-hash numbering cannot address.
pub(crate) fn check_size(size: u64) -> Result<(), Error> {
    if size > MAX_TREE_SIZE {
        Err(Error::TreeTooLarge(size))
    } else {
        Ok(())
    }
}

/// The stored index of record `n`'s leaf hash: n + ⌊n/2⌋ + ⌊n/4⌋ + … = 2n − popcount(n).
fn record_index(n: u64) -> u64 {
    n.wrapping_mul(2).wrapping_sub(u64::from(n.count_ones()))
}

/// The index in the stored-hash sequence of the `n`-th hash at tree level `level` (level 0 holds
/// leaf hashes; the `n`-th hash at level `l` covers records `n·2ˡ .. (n+1)·2ˡ`). Go:
/// `tlog.StoredHashIndex`.
///
/// Exact for every node of a tree of at most [`MAX_TREE_SIZE`] records; for coordinates beyond
/// that the result is meaningless (but computing it does not panic).
pub fn stored_hash_index(level: u32, n: u64) -> u64 {
    // That hash is written right after the leaf of the last record it covers,
    // m = (n + 1)·2ˡ − 1, and the `level` hashes that record completes below it.
    let last_record = n
        .wrapping_add(1)
        .checked_shl(level)
        .unwrap_or(0)
        .wrapping_sub(1);
    record_index(last_record).wrapping_add(u64::from(level))
}

/// The inverse of [`stored_hash_index`]: the (level, n) coordinates of stored hash `index`. Go:
/// `tlog.SplitStoredHashIndex`.
pub fn split_stored_hash_index(index: u64) -> (u32, u64) {
    // Find the record r whose group of stored hashes (its leaf, then one hash per trailing 1-bit)
    // holds `index`. record_index(r) ≤ 2r, so r ≥ index/2, and record_index grows by at least one
    // per record, at most 65 steps past index/2.
    let position = |r: u64| -> u128 { 2 * u128::from(r) - u128::from(r.count_ones()) };
    let target = u128::from(index);
    let mut record = index / 2;
    while record < u64::MAX && position(record + 1) <= target {
        record += 1;
    }
    let level = u32::try_from(target - position(record)).unwrap_or(0);
    (level, record.checked_shr(level).unwrap_or(0))
}

/// The number of stored hashes of a log of `n` records (2n − popcount(n)). Go:
/// `tlog.StoredHashCount`.
pub fn stored_hash_count(n: u64) -> u64 {
    record_index(n)
}

/// The hashes to store after those of record `n − 1` when appending record `n` with leaf hash
/// `leaf`: the leaf hash, then the root of each complete subtree record `n` finishes, from the
/// lowest level up. Reads at most log₂ n stored hashes (the left neighbours of those subtrees) in
/// one call. Go: `tlog.StoredHashesForRecordHash`.
///
/// The caller stores the result at indexes `stored_hash_count(n)..stored_hash_count(n + 1)`; see
/// the storage contract on [`HashReader`].
pub fn stored_hashes_for_record_hash<R: HashReader + ?Sized>(
    n: u64,
    leaf: Hash,
    reader: &R,
) -> Result<Vec<Hash>, Error> {
    check_size(n.saturating_add(1))?;
    let completed = n.trailing_ones();
    // The left neighbour at each completed level, highest level first (storage order).
    let indexes: Vec<u64> = (0..completed)
        .rev()
        .map(|level| stored_hash_index(level, (n >> level) - 1))
        .collect();
    let neighbours = read_exact(reader, &indexes)?;
    let mut hashes = Vec::with_capacity(1 + neighbours.len());
    hashes.push(leaf);
    let mut current = leaf;
    for neighbour in neighbours.iter().rev() {
        current = node_hash(neighbour, &current);
        hashes.push(current);
    }
    Ok(hashes)
}

/// A log's stored hashes in memory, for tests, benchmarks and tools. It follows the storage
/// contract of [`HashReader`] trivially (one owner, nothing to persist).
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

    /// An empty log with room for `records` records without reallocating.
    pub fn with_capacity(records: u64) -> Self {
        let capacity = usize::try_from(stored_hash_count(records)).unwrap_or(0);
        Self {
            hashes: Vec::with_capacity(capacity),
            size: 0,
        }
    }

    /// Appends a record's leaf hash; returns the record's index.
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

    /// All stored hashes, in stored-index order.
    pub fn stored(&self) -> &[Hash] {
        &self.hashes
    }
}

impl HashReader for MemStore {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        indexes
            .iter()
            .map(|&index| {
                usize::try_from(index)
                    .ok()
                    .and_then(|i| self.hashes.get(i))
                    .copied()
                    .ok_or(Error::MissingHash(index))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;

    #[test]
    fn the_numbering_matches_the_drawing_in_the_module_docs() {
        let expected = [
            (0, 0, 0),
            (0, 1, 1),
            (1, 0, 2),
            (0, 2, 3),
            (0, 3, 4),
            (1, 1, 5),
            (2, 0, 6),
            (0, 4, 7),
        ];
        for (level, n, index) in expected {
            assert_eq!(stored_hash_index(level, n), index, "({level}, {n})");
            assert_eq!(split_stored_hash_index(index), (level, n), "{index}");
        }
        assert_eq!(
            (0..9).map(stored_hash_count).collect::<Vec<_>>(),
            [0, 1, 3, 4, 7, 8, 10, 11, 15]
        );
    }

    #[test]
    fn split_inverts_the_index_at_every_level_and_at_the_edges() {
        for level in 0..12 {
            for n in 0..300 {
                let index = stored_hash_index(level, n);
                assert_eq!(split_stored_hash_index(index), (level, n));
            }
        }
        // The root of the largest addressable complete tree and the last leaf of the largest tree.
        let top = stored_hash_index(62, 0);
        assert_eq!(split_stored_hash_index(top), (62, 0));
        let last = stored_hash_index(0, MAX_TREE_SIZE - 1);
        assert_eq!(split_stored_hash_index(last), (0, MAX_TREE_SIZE - 1));
        assert!(stored_hash_count(MAX_TREE_SIZE) > last);
        // Nonsense coordinates do not panic.
        let _ = stored_hash_index(64, u64::MAX);
        let _ = split_stored_hash_index(u64::MAX);
    }

    #[test]
    fn each_append_writes_one_plus_its_trailing_ones_and_counts_agree() {
        let mut store = MemStore::with_capacity(100);
        for n in 0..100u64 {
            let before = store.stored().len() as u64;
            assert_eq!(before, stored_hash_count(n));
            store.append(leaf_hash(&n.to_be_bytes())).expect("append");
            let written = store.stored().len() as u64 - before;
            assert_eq!(written, 1 + u64::from(n.trailing_ones()));
        }
    }

    #[test]
    fn a_reader_that_miscounts_or_misses_is_an_error_not_a_panic() {
        struct Short;
        impl HashReader for Short {
            fn read_hashes(&self, _: &[u64]) -> Result<Vec<Hash>, Error> {
                Ok(Vec::new())
            }
        }
        assert_eq!(
            stored_hashes_for_record_hash(1, Hash::default(), &Short),
            Err(Error::ReaderMismatch {
                requested: 1,
                returned: 0
            })
        );
        assert_eq!(
            stored_hashes_for_record_hash(1, Hash::default(), &MemStore::new()),
            Err(Error::MissingHash(0))
        );
        assert_eq!(
            stored_hashes_for_record_hash(MAX_TREE_SIZE, Hash::default(), &MemStore::new()),
            Err(Error::TreeTooLarge(MAX_TREE_SIZE + 1))
        );
    }
}
