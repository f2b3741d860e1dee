//! C2SP `tlog-checkpoint`: `<origin>\n<tree size>\n<base64 root hash>\n` and optional extension
//! lines, the body of a signed note.

use crate::Error;
use crate::hash::Hash;

/// A log checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's origin (its name, e.g. `fazhi.example.gov.cn/999902/log`).
    pub origin: String,
    /// Number of records.
    pub size: u64,
    /// Root hash of the tree of that size.
    pub root: Hash,
    /// Extension lines, in order.
    pub extensions: Vec<String>,
}

impl Checkpoint {
    /// The checkpoint's text (the note body).
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

    /// Parses a checkpoint body strictly.
    pub fn parse(body: &str) -> Result<Checkpoint, Error> {
        let lines = body
            .strip_suffix('\n')
            .ok_or(Error::MalformedCheckpoint("must end with a newline"))?;
        let mut lines = lines.split('\n');
        let origin = lines.next().unwrap_or_default();
        if origin.is_empty() || origin.trim() != origin || origin.chars().any(char::is_control) {
            return Err(Error::MalformedCheckpoint(
                "origin line is empty or has surrounding space",
            ));
        }
        let size_text = lines
            .next()
            .ok_or(Error::MalformedCheckpoint("missing tree size"))?;
        if size_text.is_empty()
            || !size_text.bytes().all(|b| b.is_ascii_digit())
            || (size_text.len() > 1 && size_text.starts_with('0'))
        {
            return Err(Error::MalformedCheckpoint(
                "tree size must be a decimal number without leading zeros",
            ));
        }
        let size = size_text
            .parse::<u64>()
            .map_err(|_| Error::MalformedCheckpoint("tree size too large"))?;
        let root_text = lines
            .next()
            .ok_or(Error::MalformedCheckpoint("missing root hash"))?;
        let root = Hash::from_base64(root_text)
            .map_err(|_| Error::MalformedCheckpoint("root hash must be base64 of 32 bytes"))?;
        let extensions: Vec<String> = lines.map(str::to_owned).collect();
        if extensions.iter().any(String::is_empty) {
            return Err(Error::MalformedCheckpoint("empty extension line"));
        }
        Ok(Checkpoint {
            origin: origin.to_owned(),
            size,
            root,
            extensions,
        })
    }
}
