//! Procedure definitions: loading arbitrary text never panics; refusals name a line inside the
//! text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(error) = fazhi_app::procedure::parse_definition(std::path::Path::new("fuzz.toml"), text) {
        assert!(error.line >= 1 && error.line <= text.lines().count().max(1) + 1, "{error}");
    }
});
