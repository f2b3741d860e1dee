//! A log *witness*: a second party that cosigns a log's checkpoint only after checking that it
//! extends the checkpoint the witness cosigned before (C2SP `tlog-witness` semantics, C2SP
//! `tlog-cosignature` v1 format). A log that shows one history to one reader and another to
//! another (a split view), rolls back, or rewrites what it already published, cannot get the
//! witness's signature on both: readers who require the witness's signature see one history.
//!
//! In Fazhi every jurisdiction keeps its own log (origin `fazhi-log/<code>`) and the government
//! above witnesses it with its own key (name `fazhi-witness/<code>`).
//!
//! # What a cosigned note carries
//! [`Witness::cosign`] keeps the note's signatures (the log's, other witnesses') and appends two
//! lines by the witness, both under the witness key's name:
//!
//! 1. A plain Ed25519 note signature (signed-note type 0x01) over the checkpoint text: the one
//!    signature type Go's `golang.org/x/mod/sumdb/note` knows, so `note.Open` with the log's and
//!    the witness's [`Verifier`] accepts both signatures (so does [`crate::open_note`]).
//! 2. A C2SP `cosignature/v1` line (type 0x04): key id SHA-256(name ‖ "\n" ‖ 0x04 ‖ public
//!    key)[:4], signature = 8-byte big-endian timestamp ‖ Ed25519 signature of
//!    `"cosignature/v1\ntime <timestamp>\n" ‖ checkpoint text`. It says *when* the witness saw the
//!    checkpoint; [`CosignatureVerifier`] checks it. Verifiers that know only type 0x01 (Go's
//!    `note.Open`, [`crate::open_note`]) see a line whose key id they do not know and ignore it
//!    (Go lists it in `UnverifiedSigs`), as the signed-note spec requires.
//!
//! One Ed25519 key signs both: the signed-note spec allows reusing a key for different signature
//! types when the messages are domain-separated. They are: a cosigned message starts with the line
//! `cosignature/v1`, a checkpoint text with the log's origin, and a witness refuses to witness a
//! log whose origin is `cosignature/v1` ([`Witness::add_log`]).
//!
//! # What the witness checks ([`Witness::cosign`])
//! In this order, the first failure is the [`WitnessRefusal`]: the log is one it witnesses; the
//! note is well formed; it carries a valid signature by the log's key; its text is a checkpoint of
//! the expected origin; its size is not smaller than the last cosigned one (rollback); at the same
//! size the root is the same (fork); at a larger size the consistency proof from the last cosigned
//! (size, root) to the new one verifies (rewritten history).
//!
//! **Trust on first use:** a log with no cosigned checkpoint yet has nothing to be consistent with,
//! so its first checkpoint is cosigned on the log's signature alone (the proof is ignored). The
//! witness's guarantee starts there: whoever adds a log can give the size and root it already
//! trusts instead ([`WitnessedLog::cosigned`]).
//!
//! # State
//! The witness does not change itself while cosigning: `cosign` returns the cosigned note and the
//! log's new state; the caller stores both (in one transaction) and then hands the state back with
//! [`Witness::add_log`]. So a failure to store never leaves the witness ahead of what it stored.
//! No IO and no clock: the caller passes the time.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use ed25519_dalek::{Signature, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::Error;
use crate::checkpoint::Checkpoint;
use crate::hash::Hash;
use crate::note::{MAX_NOTE_SIGNATURES, Note, NoteSignature, Signer, Verifier, sign_note};
use crate::verify::verify_consistency;

/// The signed-note type byte of C2SP `tlog-cosignature` v1 Ed25519 cosignatures.
const ALGORITHM_COSIGNATURE_V1: u8 = 0x04;
/// The first line of every cosigned message (domain separation from checkpoint texts).
const COSIGNATURE_HEADER: &str = "cosignature/v1";
const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A tree size and its root: what a witness remembers of the last checkpoint it cosigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeHead {
    /// The number of records.
    pub size: u64,
    /// The RFC 6962 root of the tree of that size.
    pub root: Hash,
}

/// One log a witness witnesses: the log's key (whose name is the log's origin) and the last
/// checkpoint the witness cosigned for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WitnessedLog {
    /// The log's note verifier; its name is the origin every checkpoint must carry.
    pub verifier: Verifier,
    /// The last cosigned tree head; `None` until the first cosignature (trust on first use).
    pub cosigned: Option<TreeHead>,
}

impl WitnessedLog {
    /// The log's origin (its key's name).
    pub fn origin(&self) -> &str {
        self.verifier.name()
    }
}

/// Why a witness refused to cosign. Each variant carries what an application needs to word the
/// refusal for people (the app words them in Chinese); `Display` is English for logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WitnessRefusal {
    /// The witness does not witness a log of this origin.
    #[error("this witness does not witness the log {origin:?}")]
    UnknownLog {
        /// The origin asked for.
        origin: String,
    },
    /// The note is not a well-formed signed note (or would have too many signatures).
    #[error("the checkpoint note is malformed: {0}")]
    MalformedNote(String),
    /// The note carries no signature by the log's key.
    #[error("the checkpoint is not signed by the log's key")]
    Unsigned,
    /// The log key's signature on the note does not verify: the note was altered.
    #[error("the log's signature on the checkpoint does not verify")]
    InvalidSignature,
    /// The signed text is not a checkpoint.
    #[error("the signed text is not a checkpoint: {0}")]
    MalformedCheckpoint(String),
    /// The checkpoint names another log.
    #[error("the checkpoint's origin is {found:?}, not the log {expected:?}")]
    WrongOrigin {
        /// The witnessed log's origin.
        expected: String,
        /// The checkpoint's origin line.
        found: String,
    },
    /// The checkpoint is smaller than the one already cosigned: the log rolled back, or an old
    /// checkpoint was replayed.
    #[error("rollback: the checkpoint has size {size}, smaller than the cosigned size {cosigned}")]
    Rollback {
        /// The last cosigned size.
        cosigned: u64,
        /// The checkpoint's size.
        size: u64,
    },
    /// The log signed two different roots for one size: a fork (split view). Both notes are
    /// signed by the log, so together they prove it misbehaved.
    #[error("fork: size {size} was cosigned with root {cosigned_root}, this checkpoint has {root}")]
    Fork {
        /// The size both checkpoints have.
        size: u64,
        /// The root the witness cosigned.
        cosigned_root: Hash,
        /// The checkpoint's root.
        root: Hash,
    },
    /// The consistency proof from the cosigned tree to the new one does not verify: the new tree
    /// does not extend the old one (history was rewritten), or the proof is wrong.
    #[error("the consistency proof from size {cosigned} to size {size} does not verify")]
    Inconsistent {
        /// The last cosigned size.
        cosigned: u64,
        /// The checkpoint's size.
        size: u64,
    },
    /// The time given is beyond what a cosignature can carry (2^63 − 1 seconds).
    #[error("the time {0} is not a valid cosignature timestamp")]
    InvalidTime(u64),
}

/// The 4-byte key id of a cosignature key: SHA-256(name ‖ "\n" ‖ 0x04 ‖ public key)[:4].
fn cosignature_key_id(name: &str, public: &[u8; 32]) -> u32 {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update(b"\n");
    hasher.update([ALGORITHM_COSIGNATURE_V1]);
    hasher.update(public);
    let digest: [u8; 32] = hasher.finalize().into();
    let [a, b, c, d, ..] = digest;
    u32::from_be_bytes([a, b, c, d])
}

/// The message a `cosignature/v1` signs: the header line, the time line, the checkpoint text.
fn cosigned_message(timestamp: u64, text: &str) -> String {
    format!("{COSIGNATURE_HEADER}\ntime {timestamp}\n{text}")
}

/// A witness: its own signing key and the logs it witnesses.
#[derive(Debug, Clone)]
pub struct Witness {
    signer: Signer,
    logs: BTreeMap<String, WitnessedLog>,
}

impl Witness {
    /// A witness signing with `signer` (name e.g. `fazhi-witness/<code>`), witnessing no log yet.
    pub fn new(signer: Signer) -> Witness {
        Witness {
            signer,
            logs: BTreeMap::new(),
        }
    }

    /// Adds a log, or replaces its state (after storing what [`Witness::cosign`] returned).
    /// Refuses the origin `cosignature/v1`, which would break the domain separation between the
    /// witness's two signature types.
    pub fn add_log(&mut self, log: WitnessedLog) -> Result<(), Error> {
        if log.origin() == COSIGNATURE_HEADER {
            return Err(Error::MalformedKey(format!(
                "a witness cannot witness a log named {COSIGNATURE_HEADER:?}"
            )));
        }
        self.logs.insert(log.origin().to_owned(), log);
        Ok(())
    }

    /// The state of the log of `origin`, if witnessed.
    pub fn log(&self, origin: &str) -> Option<&WitnessedLog> {
        self.logs.get(origin)
    }

    /// The witnessed logs, by origin.
    pub fn logs(&self) -> impl Iterator<Item = &WitnessedLog> {
        self.logs.values()
    }

    /// The witness key's name.
    pub fn name(&self) -> &str {
        self.signer.name()
    }

    /// The verifier of the witness's plain Ed25519 note signatures (for `note.Open`,
    /// [`crate::open_note`]).
    pub fn verifier(&self) -> Verifier {
        self.signer.verifier()
    }

    /// The verifier of the witness's `cosignature/v1` lines.
    pub fn cosignature_verifier(&self) -> CosignatureVerifier {
        CosignatureVerifier::from_verifier(&self.signer.verifier())
    }

    /// Cosigns the signed checkpoint `note` of the log `origin` at `now` (POSIX seconds), given
    /// the consistency proof from the last cosigned size to the note's size (as
    /// [`crate::prove_tree`] returns it; empty when the sizes are equal, ignored for a log's first
    /// checkpoint). Returns the note with the witness's two signature lines added (replacing any
    /// earlier lines of this witness) and the log's new state. See the module documentation for
    /// the checks, their order, and trust on first use.
    pub fn cosign(
        &self,
        origin: &str,
        note: &str,
        proof: &[Hash],
        now: u64,
    ) -> Result<(String, WitnessedLog), WitnessRefusal> {
        let log = self
            .logs
            .get(origin)
            .ok_or_else(|| WitnessRefusal::UnknownLog {
                origin: origin.to_owned(),
            })?;
        if i64::try_from(now).is_err() {
            return Err(WitnessRefusal::InvalidTime(now));
        }
        let mut parsed = Note::parse(note.as_bytes()).map_err(|error| match error {
            Error::MalformedNote(reason) => WitnessRefusal::MalformedNote(reason),
            other => WitnessRefusal::MalformedNote(other.to_string()),
        })?;
        let checkpoint = Checkpoint::open(note, &log.verifier).map_err(|error| match error {
            Error::UnverifiedNote => WitnessRefusal::Unsigned,
            Error::InvalidSignature { .. } => WitnessRefusal::InvalidSignature,
            Error::MalformedCheckpoint(reason) => WitnessRefusal::MalformedCheckpoint(reason),
            Error::WrongOrigin { expected, found } => {
                WitnessRefusal::WrongOrigin { expected, found }
            }
            other => WitnessRefusal::MalformedNote(other.to_string()),
        })?;
        let head = TreeHead {
            size: checkpoint.size,
            root: checkpoint.root,
        };
        if let Some(cosigned) = log.cosigned {
            check_extends(cosigned, head, proof)?;
        }

        // Replace this witness's earlier lines (of either type) so a note carries one of each.
        let cosignature = self.cosignature_verifier();
        parsed.signatures.retain(|line| {
            line.name != self.signer.name()
                || (line.key_id != self.signer.key_id() && line.key_id != cosignature.key_id)
        });
        if parsed.signatures.len() + 2 > MAX_NOTE_SIGNATURES {
            return Err(WitnessRefusal::MalformedNote(format!(
                "the note already has {} signatures; with the witness's two it would exceed \
                 {MAX_NOTE_SIGNATURES}",
                parsed.signatures.len()
            )));
        }
        parsed.signatures.push(self.plain_signature(&parsed.text)?);
        let timed = self.plain_signature(&cosigned_message(now, &parsed.text))?;
        let mut signature = now.to_be_bytes().to_vec();
        signature.extend_from_slice(&timed.signature);
        parsed.signatures.push(NoteSignature {
            name: self.signer.name().to_owned(),
            key_id: cosignature.key_id,
            signature,
        });
        let state = WitnessedLog {
            verifier: log.verifier.clone(),
            cosigned: Some(head),
        };
        Ok((parsed.encode(), state))
    }

    /// The witness's Ed25519 signature of `text` (which ends in a newline and has no control
    /// characters: a checkpoint text, or a cosigned message built from one), through the note
    /// signer so that the private key never leaves [`Signer`].
    fn plain_signature(&self, text: &str) -> Result<NoteSignature, WitnessRefusal> {
        let malformed = |error: Error| WitnessRefusal::MalformedNote(error.to_string());
        let signed = sign_note(text, &self.signer).map_err(malformed)?;
        let mut note = Note::parse(signed.as_bytes()).map_err(malformed)?;
        note.signatures
            .pop()
            .ok_or_else(|| WitnessRefusal::MalformedNote("signing produced no signature".into()))
    }
}

/// Checks that `new` extends `cosigned` with `proof`: not smaller, the same root at the same size,
/// and a verifying consistency proof for a larger size.
fn check_extends(cosigned: TreeHead, new: TreeHead, proof: &[Hash]) -> Result<(), WitnessRefusal> {
    if new.size < cosigned.size {
        return Err(WitnessRefusal::Rollback {
            cosigned: cosigned.size,
            size: new.size,
        });
    }
    if new.size == cosigned.size {
        return if new.root == cosigned.root {
            Ok(())
        } else {
            Err(WitnessRefusal::Fork {
                size: new.size,
                cosigned_root: cosigned.root,
                root: new.root,
            })
        };
    }
    let inconsistent = WitnessRefusal::Inconsistent {
        cosigned: cosigned.size,
        size: new.size,
    };
    // Every tree extends the empty one, whatever root a log wrote for size 0.
    if cosigned.size == 0 {
        return if proof.is_empty() {
            Ok(())
        } else {
            Err(inconsistent)
        };
    }
    verify_consistency(cosigned.size, new.size, cosigned.root, new.root, proof)
        .map_err(|_| inconsistent)
}

/// The verifier of one cosigner's C2SP `cosignature/v1` (Ed25519, type 0x04) lines. Its key
/// string is a signed-note verifier key with type 0x04: `<name>+<hex8 key id>+<base64(0x04 ‖
/// public key)>`.
#[derive(Clone, PartialEq, Eq)]
pub struct CosignatureVerifier {
    /// The name and Ed25519 key (its type-0x01 key id is not used here).
    key: Verifier,
    key_id: u32,
}

impl fmt::Debug for CosignatureVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CosignatureVerifier({})", self.to_key_string())
    }
}

impl CosignatureVerifier {
    /// The cosignature verifier of the same name and public key as a note verifier (a Fazhi
    /// witness uses one key for both signature types).
    pub fn from_verifier(verifier: &Verifier) -> CosignatureVerifier {
        CosignatureVerifier {
            key_id: cosignature_key_id(verifier.name(), &verifier.public_key()),
            key: verifier.clone(),
        }
    }

    /// A cosignature verifier for `name` from a raw Ed25519 public key.
    pub fn new(name: &str, public_key: [u8; 32]) -> Result<CosignatureVerifier, Error> {
        Ok(Self::from_verifier(&Verifier::new(name, public_key)?))
    }

    /// Parses `<name>+<hex8 key id>+<base64(0x04 ‖ public key)>`; the key id must match.
    pub fn from_key_string(text: &str) -> Result<CosignatureVerifier, Error> {
        let (name, id, key) = crate::note::parse_key_parts(
            text,
            "public key",
            ALGORITHM_COSIGNATURE_V1,
            "cosignature/v1",
        )?;
        let verifier = CosignatureVerifier::new(&name, key)?;
        if verifier.key_id != id {
            return Err(Error::MalformedKey(format!(
                "the key id {id:08x} does not match the key (expected {:08x})",
                verifier.key_id
            )));
        }
        Ok(verifier)
    }

    /// The key string, `<name>+<hex8 key id>+<base64(0x04 ‖ public key)>`.
    pub fn to_key_string(&self) -> String {
        let mut bytes = vec![ALGORITHM_COSIGNATURE_V1];
        bytes.extend_from_slice(&self.key.public_key());
        format!(
            "{}+{:08x}+{}",
            self.key.name(),
            self.key_id,
            BASE64.encode(bytes)
        )
    }

    /// The cosigner's name.
    pub fn name(&self) -> &str {
        self.key.name()
    }

    /// The 4-byte key id (of type 0x04).
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// Checks this cosigner's `cosignature/v1` line on the signed note `message` and returns its
    /// timestamp. As with note signatures, the first line of this name and key id counts. No line
    /// is [`Error::UnverifiedNote`]; a line that does not verify is [`Error::InvalidSignature`];
    /// a line of the wrong length or a timestamp beyond 2^63 − 1 is [`Error::MalformedNote`].
    ///
    /// This checks the cosignature only: open the note with the log's key as well
    /// ([`Checkpoint::open`]).
    pub fn verify(&self, message: impl AsRef<[u8]>) -> Result<u64, Error> {
        let note = Note::parse(message.as_ref())?;
        let line = note
            .signatures
            .iter()
            .find(|line| line.name == self.name() && line.key_id == self.key_id)
            .ok_or(Error::UnverifiedNote)?;
        let malformed = || {
            Error::MalformedNote(
                "a cosignature/v1 signature is 72 bytes with a timestamp below 2^63".into(),
            )
        };
        let (timestamp, signature) = line
            .signature
            .split_first_chunk::<8>()
            .ok_or_else(malformed)?;
        let timestamp = u64::from_be_bytes(*timestamp);
        if signature.len() != 64 || i64::try_from(timestamp).is_err() {
            return Err(malformed());
        }
        let message = cosigned_message(timestamp, &note.text);
        let valid = VerifyingKey::from_bytes(&self.key.public_key()).is_ok_and(|key| {
            Signature::from_slice(signature)
                .is_ok_and(|signature| key.verify_strict(message.as_bytes(), &signature).is_ok())
        });
        if valid {
            Ok(timestamp)
        } else {
            Err(Error::InvalidSignature {
                name: self.name().to_owned(),
                key_id: self.key_id,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosignature_key_strings_round_trip_and_name_what_is_wrong() {
        let signer = Signer::from_seed("fazhi-witness/999900", [7; 32]).expect("signer");
        let verifier = CosignatureVerifier::from_verifier(&signer.verifier());
        let text = verifier.to_key_string();
        assert!(text.starts_with("fazhi-witness/999900+"), "{text}");
        assert_eq!(
            CosignatureVerifier::from_key_string(&text),
            Ok(verifier.clone())
        );
        assert_ne!(verifier.key_id(), signer.key_id());
        // A note verifier key (type 0x01) is not a cosignature key.
        let plain = signer.verifier().to_key_string();
        let error = CosignatureVerifier::from_key_string(&plain).expect_err("type 0x01");
        assert!(error.to_string().contains("0x04"), "{error}");
        let (_, key) = text.rsplit_once('+').expect("key");
        let wrong_id = format!("fazhi-witness/999900+00000000+{key}");
        assert!(CosignatureVerifier::from_key_string(&wrong_id).is_err());
        assert!(CosignatureVerifier::from_key_string("nonsense").is_err());
    }

    #[test]
    fn the_origin_cosignature_v1_cannot_be_witnessed() {
        let log = Signer::from_seed(COSIGNATURE_HEADER, [1; 32]).expect("signer");
        let signer = Signer::from_seed("fazhi-witness/999900", [7; 32]).expect("signer");
        let mut witness = Witness::new(signer);
        let refused = witness.add_log(WitnessedLog {
            verifier: log.verifier(),
            cosigned: None,
        });
        assert!(refused.is_err());
        assert!(witness.log(COSIGNATURE_HEADER).is_none());
    }
}
