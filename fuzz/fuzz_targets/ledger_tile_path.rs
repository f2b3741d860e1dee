//! Tile paths: parsing never panics, and whatever parses formats back to the same path.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(tile) = fazhi_ledger::parse_tile_path(text) {
        assert_eq!(fazhi_ledger::format_tile_path(&tile), text);
    }
});
