//! C2SP `tlog-tiles`: the tree's hashes published as tiles of 256 hashes (height 8), at paths
//! `tile/<L>/<N>[.p/<W>]` where `N` is written in three-digit groups, all but the last prefixed
//! with `x` (`x001/x234/067`). Entry bundles (`tile/entries/…`) are not published: Fazhi's leaves
//! are commitments whose events stay private.

use crate::Error;
use crate::hash::Hash;
use crate::tree::{HashReader, stored_hash_index};

/// Tile height: each tile spans 8 tree levels.
pub const TILE_HEIGHT: u32 = 8;
/// Hashes in a full tile.
pub const TILE_WIDTH: u64 = 1 << TILE_HEIGHT;

/// A tile: level `level` (in tiles), index `index`, holding `width` hashes (256 when full).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tile {
    /// Tile level (tree level / 8).
    pub level: u32,
    /// Tile index at that level.
    pub index: u64,
    /// Number of hashes (1..=256).
    pub width: u64,
}

/// The path of a tile, as in the C2SP spec.
pub fn format_tile_path(tile: &Tile) -> String {
    let mut groups = Vec::new();
    let mut n = tile.index;
    loop {
        groups.push(n % 1000);
        n /= 1000;
        if n == 0 {
            break;
        }
    }
    let mut path = format!("tile/{}/", tile.level);
    for (position, group) in groups.iter().rev().enumerate() {
        if position + 1 < groups.len() {
            path.push_str(&format!("x{group:03}/"));
        } else {
            path.push_str(&format!("{group:03}"));
        }
    }
    if tile.width < TILE_WIDTH {
        path.push_str(&format!(".p/{}", tile.width));
    }
    path
}

/// Parses a tile path (`tile/0/x001/234`, `tile/1/000.p/7`).
pub fn parse_tile_path(path: &str) -> Result<Tile, Error> {
    let rest = path
        .strip_prefix("tile/")
        .ok_or(Error::MalformedTile("path must start with tile/"))?;
    let (level, rest) = rest
        .split_once('/')
        .ok_or(Error::MalformedTile("missing level"))?;
    if level.is_empty()
        || level.len() > 2
        || !level.bytes().all(|b| b.is_ascii_digit())
        || (level.len() > 1 && level.starts_with('0'))
    {
        return Err(Error::MalformedTile("level must be a small decimal number"));
    }
    let level: u32 = level.parse().map_err(|_| Error::MalformedTile("level"))?;
    if level > 7 {
        return Err(Error::MalformedTile("level out of range"));
    }
    let (index_part, width) = match rest.split_once(".p/") {
        Some((index_part, width)) => {
            if width.is_empty()
                || !width.bytes().all(|b| b.is_ascii_digit())
                || width.starts_with('0')
            {
                return Err(Error::MalformedTile("partial width must be 1..255"));
            }
            let width: u64 = width.parse().map_err(|_| Error::MalformedTile("width"))?;
            if width == 0 || width >= TILE_WIDTH {
                return Err(Error::MalformedTile("partial width must be 1..255"));
            }
            (index_part, width)
        }
        None => (rest, TILE_WIDTH),
    };
    let groups: Vec<&str> = index_part.split('/').collect();
    let mut index: u64 = 0;
    for (position, group) in groups.iter().enumerate() {
        let digits = if position + 1 < groups.len() {
            group.strip_prefix('x').ok_or(Error::MalformedTile(
                "leading index groups must start with x",
            ))?
        } else {
            group
        };
        if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::MalformedTile("index groups must have three digits"));
        }
        let value: u64 = digits.parse().map_err(|_| Error::MalformedTile("index"))?;
        index = index
            .checked_mul(1000)
            .and_then(|i| i.checked_add(value))
            .ok_or(Error::MalformedTile("index too large"))?;
    }
    if groups.len() > 1 && groups.first().is_some_and(|g| *g == "x000") {
        return Err(Error::MalformedTile("index has a leading zero group"));
    }
    Ok(Tile {
        level,
        index,
        width,
    })
}

/// The concatenated hashes of `tile` in a tree of `size` records, or an error if the tile does
/// not exist yet at that size.
pub fn read_tile_data(tile: &Tile, size: u64, reader: &impl HashReader) -> Result<Vec<u8>, Error> {
    let tree_level = tile.level * TILE_HEIGHT;
    let span = 1u64
        .checked_shl(tree_level)
        .ok_or(Error::MalformedTile("level out of range"))?;
    let first = tile
        .index
        .checked_mul(TILE_WIDTH)
        .ok_or(Error::MalformedTile("index too large"))?;
    // The tile's hashes are complete subtrees of 2^tree_level records each.
    let available = size / span;
    if first + tile.width > available {
        return Err(Error::MalformedTile(
            "tile not yet complete at this tree size",
        ));
    }
    let indexes: Vec<u64> = (first..first + tile.width)
        .map(|n| stored_hash_index(tree_level, n))
        .collect();
    let hashes: Vec<Hash> = reader.read_hashes(&indexes)?;
    Ok(hashes.iter().flat_map(|h| h.0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_paths_round_trip_in_the_c2sp_form() {
        let cases = [
            (
                Tile {
                    level: 0,
                    index: 0,
                    width: 256,
                },
                "tile/0/000",
            ),
            (
                Tile {
                    level: 0,
                    index: 1_234_067,
                    width: 256,
                },
                "tile/0/x001/x234/067",
            ),
            (
                Tile {
                    level: 1,
                    index: 5,
                    width: 7,
                },
                "tile/1/005.p/7",
            ),
        ];
        for (tile, path) in cases {
            assert_eq!(format_tile_path(&tile), path);
            assert_eq!(parse_tile_path(path), Ok(tile));
        }
        for bad in [
            "tile/0/1",
            "tile/0/x1/000",
            "tile/0/000.p/0",
            "tile/0/000.p/256",
            "tile/00/000",
            "tiles/0/000",
            "tile/0/x000/001",
        ] {
            assert!(parse_tile_path(bad).is_err(), "{bad}");
        }
    }
}
