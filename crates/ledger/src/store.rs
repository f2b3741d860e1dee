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

/// The stored hashes, written before record `start`, that appending records
/// `start..start + count` reads, ascending: the roots of the complete subtrees on the right edge
/// of the tree of size `start` whose right sibling the batch completes (at most one per 1-bit of
/// `start`, so at most 63). Every other hash the batch reads, it writes itself first. Lets a
/// caller fetch them all in one query before [`stored_hashes_for_record_hashes`].
pub fn stored_hash_indexes_for_records(start: u64, count: u64) -> Vec<u64> {
    let end = u128::from(start) + u128::from(count);
    (0..64u32)
        .rev()
        .filter(|&level| (start >> level) & 1 == 1)
        .filter_map(|level| {
            // The last complete subtree at this level, records n·2^l .. (n+1)·2^l (a left child,
            // since bit `level` of start is set); its sibling is complete at size (n+2)·2^l.
            let n = (start >> level) - 1;
            let sibling_complete_at = (u128::from(n) + 2) << level;
            (sibling_complete_at <= end).then(|| stored_hash_index(level, n))
        })
        .collect()
}

/// The hashes to store when appending records `start..start + leaves.len()` with these leaf
/// hashes, in storage order: what [`stored_hashes_for_record_hash`] gives for each record in
/// turn, concatenated. Reads the earlier hashes it needs ([`stored_hash_indexes_for_records`])
/// in one call; the rest come from the batch itself.
///
/// The caller stores the result at indexes
/// `stored_hash_count(start)..stored_hash_count(start + leaves.len())`.
pub fn stored_hashes_for_record_hashes<R: HashReader + ?Sized>(
    start: u64,
    leaves: &[Hash],
    reader: &R,
) -> Result<Vec<Hash>, Error> {
    let count = u64::try_from(leaves.len()).unwrap_or(u64::MAX);
    check_size(start.saturating_add(count))?;
    let earlier_indexes = stored_hash_indexes_for_records(start, count);
    let earlier = read_exact(reader, &earlier_indexes)?;
    let first = stored_hash_count(start);
    let capacity = stored_hash_count(start + count) - first;
    let mut written = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    for (n, leaf) in (start..).zip(leaves) {
        let batch = Batch {
            earlier_indexes: &earlier_indexes,
            earlier: &earlier,
            first,
            written: &written,
        };
        let hashes = stored_hashes_for_record_hash(n, *leaf, &batch)?;
        written.extend(hashes);
    }
    Ok(written)
}

/// The hashes a batch of appends reads: those fetched from before the batch, and those the batch
/// has written so far (from stored index `first` on).
struct Batch<'a> {
    earlier_indexes: &'a [u64],
    earlier: &'a [Hash],
    first: u64,
    written: &'a [Hash],
}

impl HashReader for Batch<'_> {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        indexes
            .iter()
            .map(|&index| {
                let found = if index >= self.first {
                    usize::try_from(index - self.first)
                        .ok()
                        .and_then(|i| self.written.get(i))
                } else {
                    self.earlier_indexes
                        .binary_search(&index)
                        .ok()
                        .and_then(|i| self.earlier.get(i))
                };
                found.copied().ok_or(Error::MissingHash(index))
            })
            .collect()
    }
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

    /// Records every index read, answering from a real store.
    struct Recording<'a>(&'a MemStore, std::cell::RefCell<Vec<Vec<u64>>>);

    impl HashReader for Recording<'_> {
        fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
            self.1.borrow_mut().push(indexes.to_vec());
            self.0.read_hashes(indexes)
        }
    }

    fn leaves(range: std::ops::Range<u64>) -> Vec<Hash> {
        range.map(|n| leaf_hash(&n.to_be_bytes())).collect()
    }

    #[test]
    fn a_batch_stores_what_appending_one_by_one_stores_reading_once() {
        for start in 0..70u64 {
            let mut before = MemStore::new();
            for leaf in leaves(0..start) {
                before.append(leaf).expect("append");
            }
            for count in 0..70u64 {
                let batch = leaves(start..start + count);
                // One by one, noting which hashes from before the batch are read.
                let mut one_by_one = before.clone();
                let mut read_from_before = std::collections::BTreeSet::new();
                for leaf in &batch {
                    let recording = Recording(&one_by_one, Default::default());
                    let n = one_by_one.size();
                    let new = stored_hashes_for_record_hash(n, *leaf, &recording).expect("one");
                    for index in recording.1.into_inner().concat() {
                        if index < stored_hash_count(start) {
                            read_from_before.insert(index);
                        }
                    }
                    assert_eq!(new.len() as u64, 1 + u64::from(n.trailing_ones()));
                    one_by_one.append(*leaf).expect("append");
                }
                let indexes = stored_hash_indexes_for_records(start, count);
                assert_eq!(
                    indexes,
                    read_from_before.into_iter().collect::<Vec<_>>(),
                    "start {start}, count {count}"
                );
                let recording = Recording(&before, Default::default());
                let written =
                    stored_hashes_for_record_hashes(start, &batch, &recording).expect("batch");
                let expected = one_by_one
                    .stored()
                    .get(before.stored().len()..)
                    .expect("suffix");
                assert_eq!(written, expected, "start {start}, count {count}");
                let reads = recording.1.into_inner();
                if indexes.is_empty() {
                    assert!(reads.is_empty());
                } else {
                    assert_eq!(reads, vec![indexes], "one read, ascending");
                }
            }
        }
    }

    #[test]
    fn the_indexes_a_batch_reads_are_the_right_edge_and_few() {
        // Appending one record to a tree of 7 (records 0..7) combines leaf 6, node (1, 2) and
        // node (2, 0) with the new hashes: the whole right edge.
        assert_eq!(
            stored_hash_indexes_for_records(7, 1),
            vec![
                stored_hash_index(2, 0),
                stored_hash_index(1, 2),
                stored_hash_index(0, 6)
            ]
        );
        // Nothing before an empty log or an empty batch.
        assert!(stored_hash_indexes_for_records(0, 1000).is_empty());
        assert!(stored_hash_indexes_for_records(12345, 0).is_empty());
        // Huge trees: at most one per 1-bit of the start, ascending, no overflow.
        let edge = stored_hash_indexes_for_records((1 << 62) - 1, 1);
        assert_eq!(edge.len(), 62);
        assert!(stored_hash_indexes_for_records(MAX_TREE_SIZE - 1, 1).is_empty());
        assert!(edge.windows(2).all(|w| w[0] < w[1]));
        assert!(stored_hash_indexes_for_records(u64::MAX, u64::MAX).len() <= 64);
        assert_eq!(
            stored_hashes_for_record_hashes(MAX_TREE_SIZE, &[Hash::default()], &MemStore::new()),
            Err(Error::TreeTooLarge(MAX_TREE_SIZE + 1))
        );
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
