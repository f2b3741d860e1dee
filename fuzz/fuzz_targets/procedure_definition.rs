//! Procedure definitions: loading arbitrary text never panics; every refusal names a line inside
//! the text and says why; a definition that loads replays an empty case without panicking.
//! Links only `fazhi-procedure` (the pure crate).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match fazhi_procedure::parse_definition(std::path::Path::new("fuzz.toml"), text) {
        Err(errors) => {
            assert!(!errors.0.is_empty());
            for error in &errors.0 {
                assert!(error.line >= 1 && error.line <= text.lines().count().max(1) + 1, "{error}");
                assert!(!error.reason.is_empty());
            }
        }
        Ok(procedure) => {
            assert!(procedure.initial_state().initial);
            for transition in &procedure.transitions {
                assert!(procedure.transition(transition.action.as_str()).is_some());
            }
        }
    }
});
