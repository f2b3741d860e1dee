//! Hashing, RFC 6962 §2.1 (unchanged in RFC 9162 §2.1.1): a leaf hash is
//! SHA-256(0x00 ‖ data), an interior node SHA-256(0x01 ‖ left ‖ right), and the empty tree
//! SHA-256 of the empty string. The distinct prefixes keep a leaf from passing for a node
//! (second-preimage resistance, RFC 9162 §2.1.1).
//!
//! Fazhi's leaf *data* is itself a hash, [`record_commitment`]: SHA-256(salt ‖ canonical event
//! bytes) with a random 32-byte salt per event. Whoever holds an event and its salt recomputes the
//! commitment; the public tree learns nothing about the event from it (the salt makes guessing
//! the event from its commitment as hard as guessing the salt).
//!
//! This module does not decide the canonical bytes of an event or generate salts: the caller
//! does both.

use std::fmt;

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::Error;

const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A SHA-256 value: a leaf hash, a node hash or a tree root.
///
/// In JSON (serde) a hash is a string of standard padded base64, as Go's `tlog.Hash` marshals it.
/// [`fmt::Display`] is that base64 too; [`fmt::Debug`] shows hexadecimal.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Hash(pub [u8; 32]);

/// The root of the empty tree: SHA-256("") (RFC 6962 §2.1). Go's `tlog.TreeHash(0)` returns 32
/// zero bytes instead; C2SP checkpoints of size 0 carry this value.
pub const EMPTY_TREE_HASH: Hash = Hash([
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
]);

impl Hash {
    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A hash from a slice that must be exactly 32 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<Hash, Error> {
        let array: [u8; 32] = bytes.try_into().map_err(|_| {
            Error::MalformedHash(format!("expected 32 bytes, found {}", bytes.len()))
        })?;
        Ok(Hash(array))
    }

    /// Lower-case hexadecimal (64 digits).
    pub fn to_hex(&self) -> String {
        use fmt::Write as _;
        let mut text = String::with_capacity(64);
        for byte in self.0 {
            let _ = write!(text, "{byte:02x}");
        }
        text
    }

    /// Parses exactly 64 hexadecimal digits (either case, no sign, no spaces).
    pub fn from_hex(text: &str) -> Result<Hash, Error> {
        if text.len() != 64 {
            return Err(Error::MalformedHash(format!(
                "expected 64 hexadecimal digits, found {} characters",
                text.chars().count()
            )));
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
            let (Some(high), Some(low)) = (
                pair.first().copied().and_then(hex_digit),
                pair.get(1).copied().and_then(hex_digit),
            ) else {
                return Err(Error::MalformedHash(
                    "expected 64 hexadecimal digits, found another character".into(),
                ));
            };
            *byte = (high << 4) | low;
        }
        Ok(Hash(bytes))
    }

    /// Standard padded base64 (44 characters), the form of checkpoints, proofs and Go's
    /// `tlog.Hash.String`.
    pub fn to_base64(&self) -> String {
        BASE64.encode(self.0)
    }

    /// Parses standard padded base64 of exactly 32 bytes. Non-canonical encodings (stray bits in
    /// the last character) are refused, so every hash has exactly one text form.
    pub fn from_base64(text: &str) -> Result<Hash, Error> {
        let bytes = BASE64.decode(text).map_err(|error| {
            Error::MalformedHash(format!("not standard padded base64 ({error})"))
        })?;
        Hash::from_slice(&bytes)
    }
}

fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", self.to_hex())
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64())
    }
}

impl serde::Serialize for Hash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_base64())
    }
}

impl<'de> serde::Deserialize<'de> for Hash {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Hash, D::Error> {
        struct Base64Hash;
        impl serde::de::Visitor<'_> for Base64Hash {
            type Value = Hash;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a hash as standard padded base64 of 32 bytes")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Hash, E> {
                Hash::from_base64(text).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Base64Hash)
    }
}

/// The RFC 6962 leaf hash of `data`: SHA-256(0x00 ‖ data). Go: `tlog.RecordHash`.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x00]);
    hasher.update(data);
    Hash(hasher.finalize().into())
}

/// The RFC 6962 interior node hash: SHA-256(0x01 ‖ left ‖ right). Go: `tlog.NodeHash`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut block = [0u8; 65];
    let (prefix, rest) = block.split_at_mut(1);
    let (left_part, right_part) = rest.split_at_mut(32);
    prefix.copy_from_slice(&[0x01]);
    left_part.copy_from_slice(&left.0);
    right_part.copy_from_slice(&right.0);
    Hash(Sha256::digest(block).into())
}

/// Fazhi's leaf data for an event: SHA-256(salt ‖ canonical event bytes), 32 bytes. The salt is
/// 32 random bytes chosen once per event and kept with it; the public tree sees only this value.
pub fn record_commitment(salt: &[u8; 32], canonical_bytes: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    hasher.update(canonical_bytes);
    hasher.finalize().into()
}

/// The leaf hash of an event: `leaf_hash(&record_commitment(salt, canonical_bytes))`.
pub fn record_leaf_hash(salt: &[u8; 32], canonical_bytes: &[u8]) -> Hash {
    leaf_hash(&record_commitment(salt, canonical_bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_empty_tree_hash_is_the_sha256_of_nothing() {
        assert_eq!(Hash(Sha256::digest(b"").into()), EMPTY_TREE_HASH);
    }

    #[test]
    fn hex_and_base64_round_trip_and_refuse_near_misses() {
        let hash = leaf_hash(b"fazhi");
        assert_eq!(Hash::from_hex(&hash.to_hex()), Ok(hash));
        assert_eq!(Hash::from_hex(&hash.to_hex().to_uppercase()), Ok(hash));
        assert_eq!(Hash::from_base64(&hash.to_base64()), Ok(hash));
        assert_eq!(hash.to_string(), hash.to_base64());
        let hex = hash.to_hex();
        for bad in [
            format!(" {}", &hex[1..]),
            format!("+{}", &hex[1..]),
            hex[..62].to_owned(),
            format!("{hex}00"),
            format!("g{}", &hex[1..]),
        ] {
            assert!(Hash::from_hex(&bad).is_err(), "{bad}");
        }
        // The last base64 character of a 32-byte value carries 4 bits; other low bits are refused.
        let text = EMPTY_TREE_HASH.to_base64();
        assert_eq!(text, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        assert!(Hash::from_base64("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=").is_err());
        assert!(Hash::from_base64("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU").is_err());
        assert!(Hash::from_base64("AAAA").is_err());
    }

    #[test]
    fn hashes_are_base64_strings_in_json() {
        let json = serde_json::to_string(&EMPTY_TREE_HASH).expect("json");
        assert_eq!(json, "\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\"");
        assert_eq!(
            serde_json::from_str::<Hash>(&json).expect("back"),
            EMPTY_TREE_HASH
        );
        let error = serde_json::from_str::<Hash>("\"AAAA\"").expect_err("short");
        assert!(error.to_string().contains("expected 32 bytes"), "{error}");
    }

    #[test]
    fn a_record_leaf_is_the_leaf_hash_of_its_commitment() {
        let salt = [7u8; 32];
        let mut joined = salt.to_vec();
        joined.extend_from_slice(b"{\"kind\":\"x\"}");
        let commitment: [u8; 32] = Sha256::digest(&joined).into();
        assert_eq!(record_commitment(&salt, b"{\"kind\":\"x\"}"), commitment);
        assert_eq!(
            record_leaf_hash(&salt, b"{\"kind\":\"x\"}"),
            leaf_hash(&commitment)
        );
    }
}
