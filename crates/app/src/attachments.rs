//! Case attachments, the pure part: what a document is, decided from its bytes (magic numbers and,
//! for zip containers, the entries' names) and never from the client's claimed content type; the
//! size limit; and the file-name handling for storage and download. No IO.

use sha2::{Digest, Sha256};

/// The largest attachment accepted, in bytes (20 MiB).
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;

/// The largest upload request body: the attachment plus room for the form's other parts.
pub const MAX_UPLOAD_REQUEST_BYTES: usize = MAX_ATTACHMENT_BYTES + 64 * 1024;

/// The longest stored file name, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 120;

/// A kind of document Fazhi accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// PDF (`%PDF-`).
    Pdf,
    /// OFD, the national standard layout format (GB/T 33190): a zip holding `OFD.xml`.
    Ofd,
    /// Word 2007+ (a zip holding `word/…` and `[Content_Types].xml`).
    Docx,
    /// Excel 2007+ (a zip holding `xl/…` and `[Content_Types].xml`).
    Xlsx,
    /// JPEG image.
    Jpeg,
    /// PNG image.
    Png,
    /// Plain UTF-8 text without control characters other than tab and line breaks.
    Text,
}

impl DocumentKind {
    /// The media type stored and served.
    pub fn media_type(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "application/pdf",
            DocumentKind::Ofd => "application/ofd",
            DocumentKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            DocumentKind::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            DocumentKind::Jpeg => "image/jpeg",
            DocumentKind::Png => "image/png",
            DocumentKind::Text => "text/plain; charset=utf-8",
        }
    }

    /// A short Chinese-readable name of the kind, for lists.
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "PDF",
            DocumentKind::Ofd => "OFD",
            DocumentKind::Docx => "Word",
            DocumentKind::Xlsx => "Excel",
            DocumentKind::Jpeg => "JPEG 图片",
            DocumentKind::Png => "PNG 图片",
            DocumentKind::Text => "纯文本",
        }
    }

    /// The kind stored under `media_type`, if any.
    pub fn from_media_type(media_type: &str) -> Option<DocumentKind> {
        [
            DocumentKind::Pdf,
            DocumentKind::Ofd,
            DocumentKind::Docx,
            DocumentKind::Xlsx,
            DocumentKind::Jpeg,
            DocumentKind::Png,
            DocumentKind::Text,
        ]
        .into_iter()
        .find(|kind| kind.media_type() == media_type)
    }
}

/// Why an upload was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No file, or an empty one.
    Empty,
    /// Larger than [`MAX_ATTACHMENT_BYTES`].
    TooLarge,
    /// Not one of the accepted kinds.
    UnknownType,
}

/// Decides what `bytes` are, or `None` when they are none of the accepted kinds.
pub fn sniff(bytes: &[u8]) -> Option<DocumentKind> {
    if bytes.starts_with(b"%PDF-") {
        return Some(DocumentKind::Pdf);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(DocumentKind::Jpeg);
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        return Some(DocumentKind::Png);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return sniff_zip(bytes);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(text) {
        Ok(text)
            if !text.is_empty()
                && !text
                    .chars()
                    .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) =>
        {
            Some(DocumentKind::Text)
        }
        _ => None,
    }
}

fn u16_at(bytes: &[u8], at: usize) -> Option<usize> {
    let slice = bytes.get(at..at.checked_add(2)?)?;
    Some(usize::from(u16::from_le_bytes([
        *slice.first()?,
        *slice.get(1)?,
    ])))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    let slice = bytes.get(at..at.checked_add(4)?)?;
    let array: [u8; 4] = slice.try_into().ok()?;
    usize::try_from(u32::from_le_bytes(array)).ok()
}

/// The entry names of a zip archive, read from its central directory; `None` when the archive's
/// end record or directory is malformed.
pub fn zip_entry_names(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    // The end-of-central-directory record is 22 bytes plus a comment of at most 65 535 bytes.
    const EOCD: &[u8] = b"PK\x05\x06";
    let earliest = bytes.len().saturating_sub(22 + 65_535);
    let end = (earliest..=bytes.len().checked_sub(22)?)
        .rev()
        .find(|&at| bytes.get(at..at + 4) == Some(EOCD))?;
    let n_entries = u16_at(bytes, end + 10)?;
    let mut at = u32_at(bytes, end + 16)?;
    let mut names = Vec::with_capacity(n_entries.min(1024));
    for _ in 0..n_entries {
        if bytes.get(at..at.checked_add(4)?)? != b"PK\x01\x02" {
            return None;
        }
        let name_len = u16_at(bytes, at + 28)?;
        let extra_len = u16_at(bytes, at + 30)?;
        let comment_len = u16_at(bytes, at + 32)?;
        let name_start = at.checked_add(46)?;
        names.push(bytes.get(name_start..name_start.checked_add(name_len)?)?);
        at = name_start
            .checked_add(name_len)?
            .checked_add(extra_len)?
            .checked_add(comment_len)?;
    }
    Some(names)
}

fn sniff_zip(bytes: &[u8]) -> Option<DocumentKind> {
    let names = zip_entry_names(bytes)?;
    let has = |wanted: &[u8]| names.contains(&wanted);
    let has_prefix = |prefix: &[u8]| names.iter().any(|name| name.starts_with(prefix));
    if has(b"OFD.xml") {
        Some(DocumentKind::Ofd)
    } else if has(b"[Content_Types].xml") && has_prefix(b"word/") {
        Some(DocumentKind::Docx)
    } else if has(b"[Content_Types].xml") && has_prefix(b"xl/") {
        Some(DocumentKind::Xlsx)
    } else {
        None
    }
}

/// Checks an upload: not empty, within the limit, of an accepted kind.
pub fn check(bytes: &[u8]) -> Result<DocumentKind, Refusal> {
    if bytes.is_empty() {
        Err(Refusal::Empty)
    } else if bytes.len() > MAX_ATTACHMENT_BYTES {
        Err(Refusal::TooLarge)
    } else {
        sniff(bytes).ok_or(Refusal::UnknownType)
    }
}

/// SHA-256 of `bytes`, lower-case hex: the document's address.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `text` is a SHA-256 in lower-case hex.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Whether `c` changes the direction text is shown in (U+200E/F, U+061C, the embeddings and
/// overrides U+202A–202E, the isolates U+2066–2069): in a file name they make `exe.pdf` show as
/// `fdp.exe`, so they are removed.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The file name as stored: the last path component of what the browser sent, without control
/// or direction-changing characters, at most [`MAX_FILE_NAME_CHARS`] characters; `附件` when
/// nothing is left.
pub fn clean_file_name(sent: &str) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .collect::<String>()
        .trim()
        .chars()
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        "附件".to_owned()
    } else {
        cleaned
    }
}

/// A `Content-Disposition: attachment` value naming `file_name` (RFC 6266: an ASCII fallback
/// plus the UTF-8 name percent-encoded).
pub fn content_disposition(file_name: &str) -> String {
    let fallback: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::with_capacity(file_name.len() * 3);
    for byte in file_name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal zip with the given (stored, empty) entries, as a zip writer lays it out.
    pub(crate) fn zip_with(names: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for name in names {
            let offset = u32::try_from(out.len()).unwrap_or(0);
            let name_len = u16::try_from(name.len()).unwrap_or(0);
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&[0; 12]);
            out.extend_from_slice(&name_len.to_le_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(name.as_bytes());
            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&name_len.to_le_bytes());
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let directory_at = u32::try_from(out.len()).unwrap_or(0);
        let directory_len = u32::try_from(central.len()).unwrap_or(0);
        let n = u16::try_from(names.len()).unwrap_or(0);
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&directory_len.to_le_bytes());
        out.extend_from_slice(&directory_at.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }

    #[test]
    fn kinds_are_told_by_their_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(DocumentKind::Pdf));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0]),
            Some(DocumentKind::Jpeg)
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(DocumentKind::Png)
        );
        assert_eq!(
            sniff("询问笔录\n第一页".as_bytes()),
            Some(DocumentKind::Text)
        );
        assert_eq!(sniff(b"\xEF\xBB\xBFhello"), Some(DocumentKind::Text));
        assert_eq!(
            sniff(&zip_with(&["OFD.xml", "Doc_0/Document.xml"])),
            Some(DocumentKind::Ofd)
        );
        assert_eq!(
            sniff(&zip_with(&["[Content_Types].xml", "word/document.xml"])),
            Some(DocumentKind::Docx)
        );
        assert_eq!(
            sniff(&zip_with(&["[Content_Types].xml", "xl/workbook.xml"])),
            Some(DocumentKind::Xlsx)
        );
    }

    #[test]
    fn other_bytes_are_refused_whatever_they_claim() {
        assert_eq!(sniff(b"MZ\x90\0\x03"), None, "a Windows executable");
        assert_eq!(sniff(b"\x7fELF\x02\x01"), None);
        assert_eq!(sniff(&zip_with(&["payload.exe"])), None, "a plain zip");
        assert_eq!(sniff(b"PK\x03\x04truncated"), None);
        assert_eq!(sniff(b"text with a \x00 NUL"), None);
        assert_eq!(sniff(&[0xC4, 0xE3, 0xBA, 0xC3]), None, "GBK is not UTF-8");
        assert_eq!(check(b""), Err(Refusal::Empty));
        let big = vec![b'a'; MAX_ATTACHMENT_BYTES + 1];
        assert_eq!(check(&big), Err(Refusal::TooLarge));
        assert_eq!(check(&big[..MAX_ATTACHMENT_BYTES]), Ok(DocumentKind::Text));
    }

    #[test]
    fn media_types_round_trip() {
        for bytes in [&b"%PDF-1"[..], b"\xFF\xD8\xFF", b"plain"] {
            let kind = sniff(bytes).expect("kind");
            assert_eq!(DocumentKind::from_media_type(kind.media_type()), Some(kind));
        }
    }

    #[test]
    fn file_names_are_cleaned_and_encoded() {
        assert_eq!(clean_file_name("C:\\Users\\x\\决定书.pdf"), "决定书.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\u{0}b\r\n.txt"), "ab.txt");
        assert_eq!(clean_file_name(".."), "附件");
        assert_eq!(
            clean_file_name("决定书\u{202e}fdp.exe"),
            "决定书fdp.exe",
            "a right-to-left override would show it as 决定书exe.pdf"
        );
        assert_eq!(
            clean_file_name("\u{2066}a\u{2069}\u{200f}b\u{061c}.pdf"),
            "ab.pdf"
        );
        assert_eq!(clean_file_name("\u{202d}"), "附件");
        assert_eq!(clean_file_name(""), "附件");
        assert_eq!(
            content_disposition("决定书 1.pdf"),
            "attachment; filename=\"___ 1.pdf\"; filename*=UTF-8''%E5%86%B3%E5%AE%9A%E4%B9%A6%201.pdf"
        );
        assert_eq!(
            content_disposition("a\"b.pdf"),
            "attachment; filename=\"a_b.pdf\"; filename*=UTF-8''a%22b.pdf"
        );
    }

    #[test]
    fn hashes_are_lower_case_hex() {
        let hash = sha256_hex(b"abc");
        assert_eq!(
            hash,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_sha256_hex(&hash));
        assert!(!is_sha256_hex(&hash.to_uppercase()));
        assert!(!is_sha256_hex("../x"));
    }
}
