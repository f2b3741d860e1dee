//! C2SP `signed-note` (c2sp.org/signed-note) with Ed25519 keys, in the key-string formats of Go's
//! `golang.org/x/mod/sumdb/note`.
//!
//! A signed note is UTF-8 text ending in a newline, a blank line, then one line per signature:
//!
//! ```text
//! <text, ending in "\n">
//!
//! — <key name> <base64(4-byte key id ‖ Ed25519 signature of the text)>
//! ```
//!
//! The line starts with an em dash (U+2014) and a space. The key id is the first four bytes,
//! big-endian, of SHA-256(key name ‖ "\n" ‖ 0x01 ‖ 32-byte public key) (signed-note §Ed25519
//! signatures). Key strings are Go's: a verifier key `<name>+<hex8 key id>+<base64(0x01 ‖ public
//! key)>`, a signer key `PRIVATE+KEY+<name>+<hex8 key id>+<base64(0x01 ‖ seed)>`. The tests
//! reproduce Go's published example note byte for byte (`tests/data/go-note.txt`).
//!
//! Opening follows the spec and Go's `note.Open`: signatures by unknown keys are ignored, a
//! failing signature by a known key rejects the note, a note without a verified signature is
//! rejected, repeated signatures by one key count once, and more than
//! [`MAX_NOTE_SIGNATURES`] signatures are refused. Signatures are checked with
//! `verify_strict` (RFC 8032 plus refusing small-order keys), slightly stricter than Go's
//! `ed25519.Verify`; honest keys are never affected.
//!
//! Only Ed25519 (signature type 0x01) is implemented: no witness cosignatures, no ML-DSA, no
//! ECDSA. Signatures of other types by unknown keys are simply ignored.

use std::fmt;

use base64::Engine as _;
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::Error;

/// The most signatures [`Note::parse`] and [`open_note`] accept on one note (Go's limit; the
/// spec asks verifiers to accept at least 16).
pub const MAX_NOTE_SIGNATURES: usize = 100;

/// The signature type byte of Ed25519 note keys.
const ALGORITHM_ED25519: u8 = 0x01;
const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;
const SIGNATURE_PREFIX: &str = "\u{2014} ";

/// The 4-byte key id: the start of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key), big-endian.
fn key_id(name: &str, public: &[u8; 32]) -> u32 {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update(b"\n");
    hasher.update([ALGORITHM_ED25519]);
    hasher.update(public);
    let digest: [u8; 32] = hasher.finalize().into();
    let [a, b, c, d, ..] = digest;
    u32::from_be_bytes([a, b, c, d])
}

/// Checks a key name: non-empty, no Unicode spaces, no `+` (signed-note §Format), and no control
/// characters (they cannot appear in a note).
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the key name is empty".into());
    }
    if name.contains('+') {
        return Err(format!("the key name {name:?} contains '+'"));
    }
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "the key name {name:?} contains a space or control character"
        ));
    }
    Ok(())
}

/// Splits a key string's `<name>+<hex8 key id>+<base64 key>` and decodes its Ed25519 key bytes.
/// The parts of a key string `<name>+<hex8 key id>+<base64(algorithm ‖ 32-byte key)>`, the key
/// of type `algorithm` (described for the refusal as `algorithm_name`).
pub(crate) fn parse_key_parts(
    text: &str,
    what: &str,
    algorithm: u8,
    algorithm_name: &str,
) -> Result<(String, u32, [u8; 32]), Error> {
    let expected = algorithm;
    let malformed = |reason: String| Error::MalformedKey(reason);
    let (name, rest) = text
        .split_once('+')
        .ok_or_else(|| malformed(format!("expected <name>+<key id>+<{what}>")))?;
    let (id_text, key_text) = rest
        .split_once('+')
        .ok_or_else(|| malformed(format!("expected <name>+<key id>+<{what}>")))?;
    check_name(name).map_err(malformed)?;
    if id_text.len() != 8
        || !id_text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(malformed(format!(
            "the key id {id_text:?} is not 8 lower-case hexadecimal digits"
        )));
    }
    let id = u32::from_str_radix(id_text, 16)
        .map_err(|_| malformed(format!("the key id {id_text:?} is not hexadecimal")))?;
    let bytes = BASE64
        .decode(key_text)
        .map_err(|error| malformed(format!("the {what} is not standard base64 ({error})")))?;
    let (&algorithm, key) = bytes
        .split_first()
        .ok_or_else(|| malformed(format!("the {what} is empty")))?;
    if algorithm != expected {
        return Err(malformed(format!(
            "unknown key type 0x{algorithm:02x} (only {algorithm_name}, 0x{expected:02x}, is supported)"
        )));
    }
    let key: [u8; 32] = key.try_into().map_err(|_| {
        malformed(format!(
            "an Ed25519 {what} is 32 bytes, this one is {}",
            key.len()
        ))
    })?;
    Ok((name.to_owned(), id, key))
}

fn refuse_surrounding_space(text: &str) -> Result<(), Error> {
    if text.trim() != text {
        return Err(Error::MalformedKey(
            "the key string has leading or trailing whitespace".into(),
        ));
    }
    Ok(())
}

/// A note verifier: a key name and an Ed25519 public key. For a log, the name is the log's
/// origin (`fazhi-log/<division code>`).
#[derive(Clone, PartialEq, Eq)]
pub struct Verifier {
    name: String,
    key_id: u32,
    key: VerifyingKey,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Verifier({})", self.to_key_string())
    }
}

impl Verifier {
    /// A verifier for `name` from a raw 32-byte Ed25519 public key.
    pub fn new(name: &str, public_key: [u8; 32]) -> Result<Verifier, Error> {
        check_name(name).map_err(Error::MalformedKey)?;
        let key = VerifyingKey::from_bytes(&public_key)
            .map_err(|_| Error::MalformedKey("not a valid Ed25519 public key".into()))?;
        Ok(Verifier {
            name: name.to_owned(),
            key_id: key_id(name, &public_key),
            key,
        })
    }

    /// Parses a verifier key string, `<name>+<hex8 key id>+<base64(0x01 ‖ public key)>` (Go:
    /// `note.NewVerifier`). The key id must match the key; surrounding whitespace is refused.
    pub fn from_key_string(text: &str) -> Result<Verifier, Error> {
        refuse_surrounding_space(text)?;
        let (name, id, public) = parse_key_parts(text, "public key", ALGORITHM_ED25519, "Ed25519")?;
        let verifier = Verifier::new(&name, public)?;
        if verifier.key_id != id {
            return Err(Error::MalformedKey(format!(
                "the key id {id:08x} does not match the key (expected {:08x})",
                verifier.key_id
            )));
        }
        Ok(verifier)
    }

    /// The verifier key string (what `fazhi ledger key` prints and clients configure).
    pub fn to_key_string(&self) -> String {
        let mut bytes = vec![ALGORITHM_ED25519];
        bytes.extend_from_slice(self.key.as_bytes());
        format!("{}+{:08x}+{}", self.name, self.key_id, BASE64.encode(bytes))
    }

    /// The key's name (for a log key, the checkpoint origin).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The 4-byte key id.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The raw Ed25519 public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    fn verify(&self, text: &[u8], signature: &[u8]) -> bool {
        Signature::from_slice(signature)
            .is_ok_and(|signature| self.key.verify_strict(text, &signature).is_ok())
    }
}

/// A note signer: a key name and an Ed25519 private key. `Debug` shows only the name and key id.
#[derive(Clone)]
pub struct Signer {
    name: String,
    key_id: u32,
    key: SigningKey,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signer({}+{:08x})", self.name, self.key_id)
    }
}

impl Signer {
    /// A new key named `name` (for a log: its origin), from 32 bytes of `rng`, which must be a
    /// cryptographically secure generator such as `getrandom::SysRng`.
    pub fn generate<R: rand_core::TryCryptoRng + ?Sized>(
        name: &str,
        rng: &mut R,
    ) -> Result<Signer, Error> {
        let mut seed = [0u8; 32];
        rng.try_fill_bytes(&mut seed)
            .map_err(|_| Error::Randomness)?;
        Signer::from_seed(name, seed)
    }

    /// A new key named `name` from the operating system's random number generator.
    pub fn generate_with_os_rng(name: &str) -> Result<Signer, Error> {
        Signer::generate(name, &mut getrandom::SysRng)
    }

    /// The signer for `name` with the Ed25519 private key `seed` (RFC 8032's 32-byte secret).
    pub fn from_seed(name: &str, seed: [u8; 32]) -> Result<Signer, Error> {
        check_name(name).map_err(Error::MalformedKey)?;
        let key = SigningKey::from_bytes(&seed);
        Ok(Signer {
            name: name.to_owned(),
            key_id: key_id(name, key.verifying_key().as_bytes()),
            key,
        })
    }

    /// Parses a signer key string, `PRIVATE+KEY+<name>+<hex8 key id>+<base64(0x01 ‖ seed)>` (Go:
    /// `note.NewSigner`). The key id must match the derived public key.
    pub fn from_key_string(text: &str) -> Result<Signer, Error> {
        refuse_surrounding_space(text)?;
        let rest = text.strip_prefix("PRIVATE+KEY+").ok_or_else(|| {
            Error::MalformedKey("expected PRIVATE+KEY+<name>+<key id>+<private key>".into())
        })?;
        let (name, id, seed) = parse_key_parts(rest, "private key", ALGORITHM_ED25519, "Ed25519")?;
        let signer = Signer::from_seed(&name, seed)?;
        if signer.key_id != id {
            return Err(Error::MalformedKey(format!(
                "the key id {id:08x} does not match the key (expected {:08x})",
                signer.key_id
            )));
        }
        Ok(signer)
    }

    /// The private key string. Whoever has it can sign for the log: keep it in a file only the
    /// server can read, never in the database.
    pub fn to_key_string(&self) -> String {
        let mut bytes = vec![ALGORITHM_ED25519];
        bytes.extend_from_slice(self.key.as_bytes());
        format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.key_id,
            BASE64.encode(bytes)
        )
    }

    /// The matching verifier (public key).
    pub fn verifier(&self) -> Verifier {
        Verifier {
            name: self.name.clone(),
            key_id: self.key_id,
            key: self.key.verifying_key(),
        }
    }

    /// The key's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The 4-byte key id.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }
}

/// One signature line of a note, verified or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    /// The signing key's name.
    pub name: String,
    /// The signing key's 4-byte id.
    pub key_id: u32,
    /// The signature bytes after the key id (64 for Ed25519).
    pub signature: Vec<u8>,
}

impl NoteSignature {
    /// The signature line, `— <name> <base64(key id ‖ signature)>\n`.
    pub fn to_line(&self) -> String {
        let mut blob = self.key_id.to_be_bytes().to_vec();
        blob.extend_from_slice(&self.signature);
        format!("{SIGNATURE_PREFIX}{} {}\n", self.name, BASE64.encode(blob))
    }
}

/// A signed note taken apart, signatures not yet checked. [`Note::parse`] and [`Note::encode`]
/// are exact inverses on every note `parse` accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The signed text, ending in a newline.
    pub text: String,
    /// The signature lines, in order.
    pub signatures: Vec<NoteSignature>,
}

/// Checks what the spec asks of a note's text: it ends in a newline and has no ASCII control
/// character other than newline (UTF-8 is given by `&str`).
fn check_text(text: &str) -> Result<(), Error> {
    if !text.ends_with('\n') {
        return Err(Error::MalformedNote(
            "the text must end with a newline".into(),
        ));
    }
    check_controls(text, 0)
}

fn check_controls(text: &str, offset: usize) -> Result<(), Error> {
    if let Some((at, c)) = text.char_indices().find(|&(_, c)| c < ' ' && c != '\n') {
        return Err(Error::MalformedNote(format!(
            "control character U+{:04X} at byte {}",
            u32::from(c),
            offset + at
        )));
    }
    Ok(())
}

impl Note {
    /// Takes a signed note apart without checking signatures: valid UTF-8 without control
    /// characters other than newline, text ending in a newline, a blank line, then one or more
    /// well-formed signature lines (the text ends at the note's last blank line). The error names
    /// the line or byte that is wrong.
    pub fn parse(message: &[u8]) -> Result<Note, Error> {
        let message = std::str::from_utf8(message).map_err(|error| {
            Error::MalformedNote(format!("not valid UTF-8 (at byte {})", error.valid_up_to()))
        })?;
        check_controls(message, 0)?;
        let split = message.rfind("\n\n").ok_or_else(|| {
            Error::MalformedNote("no blank line between the text and the signatures".into())
        })?;
        let (text, block) = (
            message.get(..=split).unwrap_or_default(),
            message.get(split + 2..).unwrap_or_default(),
        );
        if block.is_empty() {
            return Err(Error::MalformedNote(
                "no signature lines after the blank line".into(),
            ));
        }
        let Some(block) = block.strip_suffix('\n') else {
            return Err(Error::MalformedNote(
                "the last signature line does not end with a newline".into(),
            ));
        };
        let mut signatures = Vec::new();
        for (number, line) in (1..).zip(block.split('\n')) {
            if number > MAX_NOTE_SIGNATURES {
                return Err(Error::MalformedNote(format!(
                    "more than {MAX_NOTE_SIGNATURES} signatures"
                )));
            }
            signatures.push(parse_signature_line(line, number)?);
        }
        Ok(Note {
            text: text.to_owned(),
            signatures,
        })
    }

    /// The note as text: the text, a blank line, the signature lines.
    pub fn encode(&self) -> String {
        let mut message = self.text.clone();
        message.push('\n');
        for signature in &self.signatures {
            message.push_str(&signature.to_line());
        }
        message
    }
}

fn parse_signature_line(line: &str, number: usize) -> Result<NoteSignature, Error> {
    let malformed =
        |reason: &str| Error::MalformedNote(format!("signature line {number}: {reason}"));
    let rest = line
        .strip_prefix(SIGNATURE_PREFIX)
        .ok_or_else(|| malformed("does not start with an em dash (U+2014) and a space"))?;
    let (name, encoded) = rest
        .split_once(' ')
        .ok_or_else(|| malformed("needs a key name, a space and a signature"))?;
    check_name(name).map_err(|reason| malformed(&reason))?;
    let blob = BASE64
        .decode(encoded)
        .map_err(|error| malformed(&format!("the signature is not standard base64 ({error})")))?;
    let (id, signature) = blob
        .split_first_chunk::<4>()
        .filter(|(_, signature)| !signature.is_empty())
        .ok_or_else(|| malformed("the signature is shorter than a key id and one byte"))?;
    Ok(NoteSignature {
        name: name.to_owned(),
        key_id: u32::from_be_bytes(*id),
        signature: signature.to_vec(),
    })
}

/// Signs `text` (non-empty lines or not, ending in a newline, no control characters) with
/// `signer` and returns the signed note.
pub fn sign_note(text: &str, signer: &Signer) -> Result<String, Error> {
    use ed25519_dalek::Signer as _;
    check_text(text)?;
    let note = Note {
        text: text.to_owned(),
        signatures: vec![NoteSignature {
            name: signer.name.clone(),
            key_id: signer.key_id,
            signature: signer.key.sign(text.as_bytes()).to_bytes().to_vec(),
        }],
    };
    Ok(note.encode())
}

/// Opens a signed note: returns its text and the signatures that verified, in note order.
///
/// Signatures by keys not in `verifiers` (matched by name and key id) are ignored. A known key's
/// signature that fails is [`Error::InvalidSignature`]; a note with no verified signature is
/// [`Error::UnverifiedNote`]; a malformed note is [`Error::MalformedNote`].
pub fn open_note(
    message: impl AsRef<[u8]>,
    verifiers: &[Verifier],
) -> Result<(String, Vec<NoteSignature>), Error> {
    let note = Note::parse(message.as_ref())?;
    let mut verified: Vec<NoteSignature> = Vec::new();
    for signature in note.signatures {
        let Some(verifier) = verifiers
            .iter()
            .find(|v| v.name == signature.name && v.key_id == signature.key_id)
        else {
            continue;
        };
        // Go's note.Open counts a key once and ignores its later signatures.
        if verified
            .iter()
            .any(|seen| seen.name == signature.name && seen.key_id == signature.key_id)
        {
            continue;
        }
        if !verifier.verify(note.text.as_bytes(), &signature.signature) {
            return Err(Error::InvalidSignature {
                name: signature.name,
                key_id: signature.key_id,
            });
        }
        verified.push(signature);
    }
    if verified.is_empty() {
        return Err(Error::UnverifiedNote);
    }
    Ok((note.text, verified))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SKEY: &str =
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    const VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

    #[test]
    fn key_strings_name_what_is_wrong() {
        let cases = [
            ("PeterNeumann", "expected <name>+<key id>+<public key>"),
            (
                "PeterNeumann+c74f20a3",
                "expected <name>+<key id>+<public key>",
            ),
            (
                "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                "contains a space",
            ),
            (
                "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                "not 8 lower-case hexadecimal digits",
            ),
            (
                "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                "does not match the key (expected c74f20a3)",
            ),
            (
                "PeterNeumann+c74f20a3+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
                "unknown key type 0x65",
            ),
            ("PeterNeumann+c74f20a3+ARpc", "32 bytes, this one is 2"),
            ("PeterNeumann+c74f20a3+!!!!", "not standard base64"),
            (&format!("{VKEY}\n"), "leading or trailing whitespace"),
        ];
        for (text, reason) in cases {
            let error = Verifier::from_key_string(text).expect_err(text);
            assert!(error.to_string().contains(reason), "{text}: {error}");
        }
        let error = Signer::from_key_string(VKEY).expect_err("public key");
        assert!(error.to_string().contains("PRIVATE+KEY+"), "{error}");
    }

    #[test]
    fn notes_name_the_malformed_line() {
        let signer = Signer::from_key_string(SKEY).expect("signer");
        let good = sign_note("hello\n", &signer).expect("sign");
        let cases = [
            ("hello\n".to_owned(), "no blank line"),
            ("hello\n\n".to_owned(), "no signature lines"),
            (good.trim_end().to_owned(), "does not end with a newline"),
            (format!("\u{1}{good}"), "control character U+0001 at byte 0"),
            (format!("{good}junk\n"), "signature line 2: does not start"),
            (
                good.replace("PeterNeumann", "Peter+Neumann"),
                "signature line 1: the key name",
            ),
            (
                "hello\n\n\u{2014} PeterNeumann AAAA\n".to_owned(),
                "shorter than a key id",
            ),
            (
                "hello\n\n\u{2014} PeterNeumann\n".to_owned(),
                "needs a key name, a space and a signature",
            ),
        ];
        for (message, reason) in cases {
            let error = Note::parse(message.as_bytes()).expect_err(&message);
            assert!(error.to_string().contains(reason), "{message:?}: {error}");
        }
        let error = Note::parse(b"\xffhello\n\n").expect_err("utf-8");
        assert!(error.to_string().contains("not valid UTF-8"), "{error}");
        assert!(sign_note("no newline", &signer).is_err());
        assert!(sign_note("tab\there\n", &signer).is_err());
    }

    #[test]
    fn generated_keys_round_trip_through_their_strings() {
        let signer = Signer::generate_with_os_rng("fazhi-log/999902").expect("generate");
        let again = Signer::from_key_string(&signer.to_key_string()).expect("parse");
        assert_eq!(again.to_key_string(), signer.to_key_string());
        let verifier = Verifier::from_key_string(&signer.verifier().to_key_string()).expect("v");
        assert_eq!(verifier, signer.verifier());
        assert_eq!(
            Verifier::new("fazhi-log/999902", verifier.public_key()),
            Ok(verifier)
        );
        assert_eq!(
            format!("{signer:?}"),
            format!("Signer(fazhi-log/999902+{:08x})", signer.key_id())
        );
        assert!(Signer::from_seed("", [0; 32]).is_err());
    }
}
