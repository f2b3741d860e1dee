//! Signed notes: opening arbitrary text never panics; a note that opens re-signs to the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let signer = fazhi_ledger::Signer::from_seed("fuzz/log", [7u8; 32]).expect("fixed key");
    let verifier = signer.verifier();
    if let Ok((body, names)) = fazhi_ledger::open_note(text, &[verifier.clone()]) {
        assert_eq!(names, vec!["fuzz/log".to_owned()]);
        // Ed25519 is deterministic: signing the opened text gives a note that opens to it again.
        let again = fazhi_ledger::sign_note(&body, &signer).expect("valid text");
        assert_eq!(fazhi_ledger::open_note(&again, &[verifier]).expect("opens").0, body);
    }
    let _ = fazhi_ledger::Verifier::from_key_string(text);
    let _ = fazhi_ledger::Signer::from_key_string(text);
});
