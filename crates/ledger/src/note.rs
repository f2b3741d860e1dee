//! C2SP `signed-note` with Ed25519 keys, in the key-string and signature-line formats of Go's
//! `golang.org/x/mod/sumdb/note`: a note is UTF-8 text ending in a newline, a blank line, then one
//! line per signature, `— <key name> <base64(4-byte key hash ‖ signature)>`.

use base64::Engine;
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::Error;

/// The algorithm byte of an Ed25519 note key.
const ALGORITHM_ED25519: u8 = 0x01;
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// The 4-byte key hash: the start of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key), big-endian.
fn key_hash(name: &str, public: &[u8; 32]) -> u32 {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update(b"\n");
    hasher.update([ALGORITHM_ED25519]);
    hasher.update(public);
    let digest: [u8; 32] = hasher.finalize().into();
    let [a, b, c, d, ..] = digest;
    u32::from_be_bytes([a, b, c, d])
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.contains('+')
        && !name.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A note verifier: a name and an Ed25519 public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verifier {
    name: String,
    hash: u32,
    key: VerifyingKey,
}

impl Verifier {
    /// Parses `<name>+<hex8 key hash>+<base64(0x01 ‖ public key)>`.
    pub fn from_key_string(text: &str) -> Result<Verifier, Error> {
        let mut parts = text.trim().splitn(3, '+');
        let (Some(name), Some(hash), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(Error::MalformedKey("expected name+hash+key"));
        };
        if !valid_name(name) {
            return Err(Error::MalformedKey("invalid key name"));
        }
        if hash.len() != 8 {
            return Err(Error::MalformedKey("key hash must be 8 hexadecimal digits"));
        }
        let hash = u32::from_str_radix(hash, 16)
            .map_err(|_| Error::MalformedKey("key hash is not hexadecimal"))?;
        let bytes = B64
            .decode(key)
            .map_err(|_| Error::MalformedKey("key is not base64"))?;
        let (&algorithm, public) = bytes
            .split_first()
            .ok_or(Error::MalformedKey("empty key"))?;
        if algorithm != ALGORITHM_ED25519 {
            return Err(Error::MalformedKey("unknown key algorithm"));
        }
        let public: [u8; 32] = public
            .try_into()
            .map_err(|_| Error::MalformedKey("Ed25519 key must be 32 bytes"))?;
        if key_hash(name, &public) != hash {
            return Err(Error::MalformedKey("key hash does not match the key"));
        }
        let key = VerifyingKey::from_bytes(&public)
            .map_err(|_| Error::MalformedKey("not an Ed25519 point"))?;
        Ok(Verifier {
            name: name.to_owned(),
            hash,
            key,
        })
    }

    /// The key string.
    pub fn to_key_string(&self) -> String {
        let mut bytes = vec![ALGORITHM_ED25519];
        bytes.extend_from_slice(self.key.as_bytes());
        format!("{}+{:08x}+{}", self.name, self.hash, B64.encode(bytes))
    }

    /// The key's name (a checkpoint's origin for a log key).
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A note signer: a name and an Ed25519 private key.
#[derive(Clone)]
pub struct Signer {
    name: String,
    hash: u32,
    key: SigningKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({}+{:08x})", self.name, self.hash)
    }
}

impl Signer {
    /// A signer for `name` from a 32-byte seed (take it from the operating system's randomness).
    pub fn from_seed(name: &str, seed: [u8; 32]) -> Result<Signer, Error> {
        if !valid_name(name) {
            return Err(Error::MalformedKey("invalid key name"));
        }
        let key = SigningKey::from_bytes(&seed);
        let hash = key_hash(name, key.verifying_key().as_bytes());
        Ok(Signer {
            name: name.to_owned(),
            hash,
            key,
        })
    }

    /// Parses `PRIVATE+KEY+<name>+<hex8 key hash>+<base64(0x01 ‖ seed)>`.
    pub fn from_key_string(text: &str) -> Result<Signer, Error> {
        let rest = text
            .trim()
            .strip_prefix("PRIVATE+KEY+")
            .ok_or(Error::MalformedKey("expected PRIVATE+KEY+ prefix"))?;
        let mut parts = rest.splitn(3, '+');
        let (Some(name), Some(hash), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(Error::MalformedKey("expected PRIVATE+KEY+name+hash+key"));
        };
        let bytes = B64
            .decode(key)
            .map_err(|_| Error::MalformedKey("key is not base64"))?;
        let (&algorithm, seed) = bytes
            .split_first()
            .ok_or(Error::MalformedKey("empty key"))?;
        if algorithm != ALGORITHM_ED25519 {
            return Err(Error::MalformedKey("unknown key algorithm"));
        }
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| Error::MalformedKey("Ed25519 seed must be 32 bytes"))?;
        let signer = Signer::from_seed(name, seed)?;
        let expected = u32::from_str_radix(hash, 16)
            .map_err(|_| Error::MalformedKey("key hash is not hexadecimal"))?;
        if hash.len() != 8 || expected != signer.hash {
            return Err(Error::MalformedKey("key hash does not match the key"));
        }
        Ok(signer)
    }

    /// The private key string (store it in a file readable only by the server).
    pub fn to_key_string(&self) -> String {
        let mut bytes = vec![ALGORITHM_ED25519];
        bytes.extend_from_slice(self.key.as_bytes());
        format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.hash,
            B64.encode(bytes)
        )
    }

    /// The matching verifier.
    pub fn verifier(&self) -> Verifier {
        Verifier {
            name: self.name.clone(),
            hash: self.hash,
            key: self.key.verifying_key(),
        }
    }
}

fn check_text(text: &str) -> Result<(), Error> {
    if text.is_empty() || !text.ends_with('\n') {
        return Err(Error::MalformedNote(
            "text must be non-empty and end with a newline",
        ));
    }
    if text.contains("\n\n") {
        return Err(Error::MalformedNote("text must not contain a blank line"));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Error::MalformedNote(
            "text must not contain control characters",
        ));
    }
    Ok(())
}

/// Signs `text` (which must end with a newline) and returns the signed note.
pub fn sign_note(text: &str, signer: &Signer) -> Result<String, Error> {
    use ed25519_dalek::Signer as _;
    check_text(text)?;
    let signature = signer.key.sign(text.as_bytes());
    let mut blob = signer.hash.to_be_bytes().to_vec();
    blob.extend_from_slice(&signature.to_bytes());
    Ok(format!(
        "{text}\n\u{2014} {} {}\n",
        signer.name,
        B64.encode(blob)
    ))
}

/// Opens a signed note: returns its text and the names of the known keys whose signatures
/// verified. Signatures by unknown keys are ignored; a bad signature by a known key, a malformed
/// note, or no verified signature at all is an error.
pub fn open_note(message: &str, verifiers: &[Verifier]) -> Result<(String, Vec<String>), Error> {
    let split = message
        .rfind("\n\n")
        .ok_or(Error::MalformedNote("no blank line before the signatures"))?;
    let text = message
        .get(..=split)
        .ok_or(Error::MalformedNote("truncated"))?;
    let signatures = message
        .get(split + 2..)
        .ok_or(Error::MalformedNote("truncated"))?;
    check_text(text)?;
    if signatures.is_empty() || !signatures.ends_with('\n') {
        return Err(Error::MalformedNote(
            "signature lines must end with a newline",
        ));
    }
    let mut verified = Vec::new();
    for line in signatures.lines() {
        let rest = line.strip_prefix("\u{2014} ").ok_or(Error::MalformedNote(
            "signature line must start with an em dash",
        ))?;
        let (name, blob) = rest.split_once(' ').ok_or(Error::MalformedNote(
            "signature line needs a name and a signature",
        ))?;
        if !valid_name(name) {
            return Err(Error::MalformedNote("invalid key name in a signature line"));
        }
        let blob = B64
            .decode(blob)
            .map_err(|_| Error::MalformedNote("signature is not base64"))?;
        if blob.len() < 5 {
            return Err(Error::MalformedNote("signature too short"));
        }
        let (hash, signature) = blob.split_at(4);
        let hash: [u8; 4] = hash
            .try_into()
            .map_err(|_| Error::MalformedNote("signature too short"))?;
        let hash = u32::from_be_bytes(hash);
        let Some(verifier) = verifiers.iter().find(|v| v.name == name && v.hash == hash) else {
            continue;
        };
        let signature = Signature::from_slice(signature)
            .map_err(|_| Error::MalformedNote("Ed25519 signature must be 64 bytes"))?;
        verifier
            .key
            .verify_strict(text.as_bytes(), &signature)
            .map_err(|_| Error::UnverifiedNote)?;
        if !verified.contains(&verifier.name) {
            verified.push(verifier.name.clone());
        }
    }
    if verified.is_empty() {
        return Err(Error::UnverifiedNote);
    }
    Ok((text.to_owned(), verified))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example key and note of Go's golang.org/x/mod/sumdb/note (note_test.go).
    const SKEY: &str =
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    const VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    const TEXT: &str = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    const SIGNED_LINE: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    #[test]
    fn the_go_example_note_is_reproduced_byte_for_byte() {
        let signer = Signer::from_key_string(SKEY).expect("signer");
        assert_eq!(signer.to_key_string(), SKEY);
        assert_eq!(signer.verifier().to_key_string(), VKEY);
        let signed = sign_note(TEXT, &signer).expect("sign");
        assert_eq!(signed, format!("{TEXT}\n{SIGNED_LINE}"));
        let verifier = Verifier::from_key_string(VKEY).expect("verifier");
        let (text, names) = open_note(&signed, &[verifier]).expect("open");
        assert_eq!(
            (text.as_str(), names),
            (TEXT, vec!["PeterNeumann".to_owned()])
        );
    }

    #[test]
    fn tampered_or_unknown_notes_do_not_open() {
        let verifier = Verifier::from_key_string(VKEY).expect("verifier");
        let signed = format!("{TEXT}\n{SIGNED_LINE}");
        assert_eq!(
            open_note(
                &signed.replace("cryptography", "Cryptography"),
                std::slice::from_ref(&verifier)
            ),
            Err(Error::UnverifiedNote)
        );
        assert_eq!(open_note(&signed, &[]), Err(Error::UnverifiedNote));
        assert!(open_note("no blank line\n", std::slice::from_ref(&verifier)).is_err());
        assert!(
            Verifier::from_key_string(
                "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
            )
            .is_err()
        );
        assert!(Verifier::from_key_string("nonsense").is_err());
    }
}
