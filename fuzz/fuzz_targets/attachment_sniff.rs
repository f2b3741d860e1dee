//! Attachment sniffing: arbitrary bytes never panic the sniffer or the zip directory reader; a
//! recognised kind round-trips through its stored media type, and the download header built from
//! any file name is plain ASCII without control characters.
#![no_main]

use fazhi_app::attachments::{self, DocumentKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let sniffed = attachments::sniff(data);
    if let Some(kind) = sniffed {
        assert_eq!(DocumentKind::from_media_type(kind.media_type()), Some(kind));
    }
    match attachments::check(data) {
        Ok(kind) => assert_eq!(Some(kind), sniffed),
        Err(_) => assert!(data.is_empty() || data.len() > attachments::MAX_ATTACHMENT_BYTES || sniffed.is_none()),
    }
    if let Some(names) = attachments::zip_entry_names(data) {
        assert!(names.iter().all(|name| name.len() <= data.len()));
    }
    let name = attachments::clean_file_name(&String::from_utf8_lossy(data));
    assert!(!name.is_empty() && !name.contains(['/', '\\']) && !name.chars().any(char::is_control));
    let header = attachments::content_disposition(&name);
    assert!(header.is_ascii() && !header.bytes().any(|b| b.is_ascii_control()), "{header}");
});
