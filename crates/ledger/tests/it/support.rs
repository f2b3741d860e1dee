//! Helpers shared by the test modules.

use fazhi_ledger::{Hash, MemStore, leaf_hash};

/// A log of `n` records whose leaf data is the record's index, big-endian.
pub fn log(n: u64) -> MemStore {
    let mut store = MemStore::with_capacity(n);
    for i in 0..n {
        store.append(leaf(i)).expect("append");
    }
    store
}

/// The leaf hash of record `i` of [`log`].
pub fn leaf(i: u64) -> Hash {
    leaf_hash(&i.to_be_bytes())
}

/// `hash` with one bit of byte `byte % 32` flipped.
pub fn flip(hash: &Hash, byte: usize) -> Hash {
    let mut changed = *hash;
    changed.0[byte % 32] ^= 0x01;
    changed
}

/// Decodes hexadecimal text (test data only).
pub fn hex_bytes(text: &str) -> Vec<u8> {
    let text = text.trim_matches('"');
    (0..text.len() / 2)
        .map(|i| u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).expect("hex"))
        .collect()
}

/// Decodes standard base64 (test data only).
pub fn base64_bytes(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64")
}
