//! Checkpoints: parsing never panics, and whatever parses prints back to the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(checkpoint) = fazhi_ledger::Checkpoint::parse(text) {
        assert_eq!(checkpoint.to_body(), text);
        assert_eq!(fazhi_ledger::Checkpoint::parse(&checkpoint.to_body()), Ok(checkpoint));
    }
});
