//! Signed notes and key strings (C2SP signed-note): any input that parses re-encodes to exactly
//! the same bytes; an input that does not parse never opens; opening never panics and only
//! returns the parsed text; key strings that parse print back unchanged.

#![no_main]

use std::sync::OnceLock;

use fazhi_ledger::{Note, Signer, Verifier, open_note};
use libfuzzer_sys::fuzz_target;

/// Go's published example key (golang.org/x/mod/sumdb/note), so seeds signed by it verify.
fn verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(|| {
        Verifier::from_key_string(
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        )
        .expect("Go's example key")
    })
}

fuzz_target!(|data: &[u8]| {
    let opened = open_note(data, std::slice::from_ref(verifier()));
    match Note::parse(data) {
        Ok(note) => {
            let encoded = note.encode();
            assert_eq!(
                encoded.as_bytes(),
                data,
                "parse and encode must be exact inverses"
            );
            if let Ok((text, signatures)) = opened {
                assert_eq!(text, note.text);
                assert!(!signatures.is_empty());
                assert!(signatures.iter().all(|s| note.signatures.contains(s)));
            }
        }
        Err(_) => assert!(opened.is_err(), "an unparseable note opened"),
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(verifier) = Verifier::from_key_string(text) {
            assert_eq!(verifier.to_key_string(), text);
        }
        if let Ok(signer) = Signer::from_key_string(text) {
            assert_eq!(signer.to_key_string(), text);
            assert_eq!(
                Verifier::from_key_string(&signer.verifier().to_key_string()).ok(),
                Some(signer.verifier())
            );
        }
    }
});
