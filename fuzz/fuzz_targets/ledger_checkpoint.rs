//! Checkpoint bodies (C2SP tlog-checkpoint): any body that parses prints back to exactly the
//! same text, can be signed, and opens again to the same text; opening arbitrary input as a
//! signed checkpoint never panics.

#![no_main]

use std::sync::OnceLock;

use fazhi_ledger::{Checkpoint, Signer, open_note, sign_note};
use libfuzzer_sys::fuzz_target;

fn signer() -> &'static Signer {
    static SIGNER: OnceLock<Signer> = OnceLock::new();
    SIGNER.get_or_init(|| Signer::from_seed("fazhi-log/999902", [7; 32]).expect("signer"))
}

fuzz_target!(|data: &[u8]| {
    let _ = Checkpoint::open(data, &signer().verifier());
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(checkpoint) = Checkpoint::parse(body) else {
        return;
    };
    assert_eq!(
        checkpoint.to_body(),
        body,
        "parse and to_body must be exact inverses"
    );
    let note = sign_note(body, signer()).expect("a parsed checkpoint can always be signed");
    let (text, _) = open_note(&note, &[signer().verifier()]).expect("and opens again");
    assert_eq!(text, body);
    assert_eq!(Checkpoint::parse(&text).as_ref(), Ok(&checkpoint));
});
