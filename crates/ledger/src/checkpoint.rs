//! C2SP `tlog-checkpoint` (c2sp.org/tlog-checkpoint): the body of a signed note naming a log, a
//! tree size and that tree's RFC 6962 root:
//!
//! ```text
//! fazhi-log/999902
//! 20852163
//! CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
//! ```
//!
//! Line 1 is the origin, line 2 the size in decimal without leading zeros, line 3 the root in
//! standard base64; any further lines are non-empty extension lines (the spec does not recommend
//! them and Fazhi writes none). Parsing is strict, so [`Checkpoint::parse`] and
//! [`Checkpoint::to_body`] are exact inverses.
//!
//! This module does not decide when to sign, and it does not check that a checkpoint is
//! consistent with earlier ones: that takes a consistency proof ([`crate::check_tree`]).

use crate::Error;
use crate::hash::Hash;
use crate::note::{Signer, Verifier, open_note, sign_note};

/// A log checkpoint (signed tree head).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's origin, its unique name: for Fazhi `fazhi-log/<GB/T 2260 division code>`, also
    /// the log key's name.
    pub origin: String,
    /// The number of records in the tree.
    pub size: u64,
    /// The RFC 6962 root hash of the tree of that size.
    pub root: Hash,
    /// Extension lines, in order, without their newlines.
    pub extensions: Vec<String>,
}

fn malformed(reason: impl Into<String>) -> Error {
    Error::MalformedCheckpoint(reason.into())
}

impl Checkpoint {
    /// The checkpoint's text: the note body that gets signed.
    pub fn to_body(&self) -> String {
        let mut body = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            self.root.to_base64()
        );
        for line in &self.extensions {
            body.push_str(line);
            body.push('\n');
        }
        body
    }

    /// Parses a checkpoint body strictly; the error names the line that is wrong.
    pub fn parse(body: &str) -> Result<Checkpoint, Error> {
        let lines = body
            .strip_suffix('\n')
            .ok_or_else(|| malformed("the text must end with a newline"))?;
        if let Some((at, c)) = lines.char_indices().find(|&(_, c)| c < ' ' && c != '\n') {
            return Err(malformed(format!(
                "control character U+{:04X} at byte {at}",
                u32::from(c)
            )));
        }
        let mut lines = lines.split('\n');
        let origin = lines.next().unwrap_or_default();
        if origin.is_empty() {
            return Err(malformed("line 1 (origin) is empty"));
        }
        if origin.trim() != origin {
            return Err(malformed(
                "line 1 (origin) has leading or trailing whitespace",
            ));
        }
        let size_text = lines
            .next()
            .ok_or_else(|| malformed("line 2 (tree size) is missing"))?;
        if size_text.is_empty()
            || !size_text.bytes().all(|b| b.is_ascii_digit())
            || (size_text.len() > 1 && size_text.starts_with('0'))
        {
            return Err(malformed(format!(
                "line 2 (tree size) {size_text:?} is not a decimal number without leading zeros"
            )));
        }
        let size = size_text.parse::<u64>().map_err(|_| {
            malformed(format!(
                "line 2 (tree size) {size_text} does not fit in 64 bits"
            ))
        })?;
        let root_text = lines
            .next()
            .ok_or_else(|| malformed("line 3 (root hash) is missing"))?;
        let root = Hash::from_base64(root_text)
            .map_err(|error| malformed(format!("line 3 (root hash): {error}")))?;
        let mut extensions = Vec::new();
        for (number, line) in (4..).zip(lines) {
            if line.is_empty() {
                return Err(malformed(format!("line {number} (extension) is empty")));
            }
            extensions.push(line.to_owned());
        }
        Ok(Checkpoint {
            origin: origin.to_owned(),
            size,
            root,
            extensions,
        })
    }

    /// The signed checkpoint note (what `/log/checkpoint` serves).
    pub fn sign(&self, signer: &Signer) -> Result<String, Error> {
        sign_note(&self.to_body(), signer)
    }

    /// Opens a signed checkpoint: the note must carry a valid signature by `verifier`, and its
    /// origin must be the verifier key's name (C2SP `tlog-checkpoint`: "the log's key name SHOULD
    /// match the origin line"; Fazhi makes it a must, so one key cannot vouch for another log).
    pub fn open(message: impl AsRef<[u8]>, verifier: &Verifier) -> Result<Checkpoint, Error> {
        let (text, _) = open_note(message, std::slice::from_ref(verifier))?;
        let checkpoint = Checkpoint::parse(&text)?;
        if checkpoint.origin != verifier.name() {
            return Err(Error::WrongOrigin {
                expected: verifier.name().to_owned(),
                found: checkpoint.origin,
            });
        }
        Ok(checkpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

    #[test]
    fn the_spec_example_round_trips() {
        let body = format!("example.com/behind-the-sofa\n20852163\n{ROOT}\n");
        let checkpoint = Checkpoint::parse(&body).expect("parse");
        assert_eq!(checkpoint.origin, "example.com/behind-the-sofa");
        assert_eq!(checkpoint.size, 20_852_163);
        assert_eq!(checkpoint.to_body(), body);
        let extended = format!("{body}ext one\nx\n");
        let checkpoint = Checkpoint::parse(&extended).expect("extensions");
        assert_eq!(checkpoint.extensions, ["ext one", "x"]);
        assert_eq!(checkpoint.to_body(), extended);
    }

    #[test]
    fn each_malformed_line_is_named() {
        let cases = [
            ("", "must end with a newline"),
            ("\n", "line 1 (origin) is empty"),
            (" o\n1\nx\n", "leading or trailing whitespace"),
            ("o\n", "line 2 (tree size) is missing"),
            ("o\n01\nx\n", "\"01\" is not a decimal number"),
            ("o\n-1\nx\n", "\"-1\" is not a decimal number"),
            ("o\n+1\nx\n", "\"+1\" is not a decimal number"),
            ("o\n18446744073709551616\nx\n", "does not fit in 64 bits"),
            ("o\n1\n", "line 3 (root hash) is missing"),
            (
                "o\n1\nAAAA\n",
                "line 3 (root hash): malformed hash: expected 32 bytes",
            ),
            (
                "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n",
                "base64",
            ),
            (
                "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n",
                "line 4 (extension) is empty",
            ),
            (
                "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\r\n",
                "control character U+000D",
            ),
        ];
        for (body, reason) in cases {
            let error = Checkpoint::parse(body).expect_err(body);
            assert!(error.to_string().contains(reason), "{body:?}: {error}");
        }
        assert!(Checkpoint::parse(&format!("o\n0\n{ROOT}\n")).is_ok());
    }

    #[test]
    fn a_checkpoint_opens_only_with_its_own_logs_key() {
        let signer = Signer::from_seed("fazhi-log/999902", [1; 32]).expect("signer");
        let other = Signer::from_seed("fazhi-log/110000", [1; 32]).expect("signer");
        let checkpoint = Checkpoint {
            origin: "fazhi-log/999902".into(),
            size: 3,
            root: Hash::from_base64(ROOT).expect("root"),
            extensions: vec![],
        };
        let note = checkpoint.sign(&signer).expect("sign");
        assert_eq!(
            Checkpoint::open(&note, &signer.verifier()),
            Ok(checkpoint.clone())
        );
        assert_eq!(
            Checkpoint::open(&note, &other.verifier()),
            Err(Error::UnverifiedNote)
        );
        let foreign = Checkpoint {
            origin: "fazhi-log/110000".into(),
            ..checkpoint
        };
        let note = foreign.sign(&signer).expect("sign");
        assert_eq!(
            Checkpoint::open(&note, &signer.verifier()),
            Err(Error::WrongOrigin {
                expected: "fazhi-log/999902".into(),
                found: "fazhi-log/110000".into()
            })
        );
    }
}
