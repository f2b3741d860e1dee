//! Tile paths (C2SP tlog-tiles): any path that parses formats back to exactly the same text,
//! and reading that tile from a small log gives its hashes or an error, never a panic.

#![no_main]

use std::sync::OnceLock;

use fazhi_ledger::{
    MemStore, Tile, format_tile_path, leaf_hash, new_tiles, parse_tile_path, read_tile_data,
};
use libfuzzer_sys::fuzz_target;

fn log() -> &'static MemStore {
    static LOG: OnceLock<MemStore> = OnceLock::new();
    LOG.get_or_init(|| {
        let mut store = MemStore::new();
        for i in 0..70_000u64 {
            store.append(leaf_hash(&i.to_be_bytes())).expect("append");
        }
        store
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(path) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(tile) = parse_tile_path(path) else {
        return;
    };
    assert_eq!(
        format_tile_path(&tile),
        path,
        "parse and format must be exact inverses"
    );
    let store = log();
    match read_tile_data(&tile, store.size(), store) {
        Ok(bytes) => {
            assert_eq!(bytes.len() as u64, tile.width * 32);
            // A tile that exists is one the log published on its way to this size, or a prefix
            // of one.
            let published: Vec<Tile> = new_tiles(0, store.size());
            assert!(
                published.iter().any(|p| p.level == tile.level
                    && p.index == tile.index
                    && p.width >= tile.width)
            );
        }
        Err(_) => {}
    }
});
