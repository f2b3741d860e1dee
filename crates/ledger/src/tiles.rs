//! C2SP `tlog-tiles` (c2sp.org/tlog-tiles §Merkle Tree): the tree's hashes served as static
//! *tiles* so that any tlog client can fetch what it needs and compute its own proofs.
//!
//! A tile at level `L` holds up to 256 consecutive hashes of tree level `8·L`: level 0 holds leaf
//! hashes, level 1 the roots of 256-leaf subtrees, and so on. The `N`-th tile of a level holds
//! that level's hashes `256·N .. 256·N + W`. Its path is `tile/<L>/<N>[.p/<W>]`, `N` written in
//! zero-padded three-digit groups with all but the last prefixed by `x` (1234067 →
//! `x001/x234/067`), and `.p/<W>` only on a partial tile of `W < 256` hashes. A tile's bytes are
//! its hashes concatenated (8192 bytes when full). Levels run 0–63 in the path syntax; with at
//! most 2⁶³ − 1 leaves, only levels 0–7 ever hold hashes.
//!
//! Fazhi publishes no entry bundles (`tile/entries/…`): a leaf commits to an event that may hold
//! personal data, so only the commitments' hashes are public. [`parse_tile_path`] refuses entry
//! paths with that reason. This module does not serve HTTP or cache; it maps paths to stored
//! hashes.

use crate::Error;
use crate::store::{HashReader, check_size, read_exact, stored_hash_index};

/// Tile height: a tile spans 8 tree levels.
pub const TILE_HEIGHT: u32 = 8;
/// Hashes in a full tile (2⁸).
pub const TILE_WIDTH: u64 = 1 << TILE_HEIGHT;
/// The highest level the path syntax allows.
const MAX_LEVEL: u32 = 63;

/// A tile's coordinates: tile level, index within the level, and width in hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tile {
    /// Tile level (its hashes are at tree level `8 · level`).
    pub level: u32,
    /// The tile's index within its level.
    pub index: u64,
    /// The number of hashes, 1 to 256; 256 is a full tile.
    pub width: u64,
}

impl Tile {
    /// The tile's path, `tile/<L>/<N>[.p/<W>]` ([`format_tile_path`]).
    pub fn path(&self) -> String {
        format_tile_path(self)
    }

    /// Whether the tile is full (256 hashes) and so will never change.
    pub fn is_full(&self) -> bool {
        self.width == TILE_WIDTH
    }
}

/// The C2SP path of `tile`. A full tile has no `.p/` suffix. (A width outside 1–256 gives a path
/// [`parse_tile_path`] refuses.)
pub fn format_tile_path(tile: &Tile) -> String {
    let mut groups = Vec::new();
    let mut rest = tile.index;
    loop {
        groups.push(rest % 1000);
        rest /= 1000;
        if rest == 0 {
            break;
        }
    }
    let mut path = format!("tile/{}/", tile.level);
    while let Some(group) = groups.pop() {
        if groups.is_empty() {
            path.push_str(&format!("{group:03}"));
        } else {
            path.push_str(&format!("x{group:03}/"));
        }
    }
    if tile.width < TILE_WIDTH {
        path.push_str(&format!(".p/{}", tile.width));
    }
    path
}

fn malformed(reason: impl Into<String>) -> Error {
    Error::MalformedTile(reason.into())
}

/// A decimal number without sign or leading zeros, at most `max`.
fn small_decimal(text: &str, max: u64, what: &str) -> Result<u64, Error> {
    let canonical = !text.is_empty()
        && text.len() <= 3
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    let value = text.parse::<u64>().ok().filter(|v| canonical && *v <= max);
    value.ok_or_else(|| {
        malformed(format!(
            "{what} {text:?} is not a decimal number from 0 to {max} without leading zeros"
        ))
    })
}

/// Parses a tile path (`tile/0/x001/x234/067`, `tile/1/000.p/7`); the error names the part that
/// is wrong.
pub fn parse_tile_path(path: &str) -> Result<Tile, Error> {
    let rest = path
        .strip_prefix("tile/")
        .ok_or_else(|| malformed("the path must start with tile/"))?;
    if rest.starts_with("entries/") {
        return Err(malformed(
            "entry bundles (tile/entries/…) are not published: leaves commit to private events",
        ));
    }
    let (level, rest) = rest
        .split_once('/')
        .ok_or_else(|| malformed("expected tile/<level>/<index>"))?;
    let level = small_decimal(level, u64::from(MAX_LEVEL), "the level")?;
    let (index_text, width) = match rest.split_once(".p/") {
        Some((index_text, width_text)) => {
            let width = small_decimal(width_text, TILE_WIDTH - 1, "the partial width")?;
            if width == 0 {
                return Err(malformed("a partial tile has 1 to 255 hashes, not 0"));
            }
            (index_text, width)
        }
        None => (rest, TILE_WIDTH),
    };
    let groups: Vec<&str> = index_text.split('/').collect();
    let mut index: u64 = 0;
    for (position, group) in groups.iter().enumerate() {
        let last = position + 1 == groups.len();
        let digits = if last {
            *group
        } else {
            group.strip_prefix('x').ok_or_else(|| {
                malformed(format!(
                    "index group {group:?} must start with x (all groups but the last do)"
                ))
            })?
        };
        if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(malformed(format!(
                "index group {group:?} must have exactly three digits"
            )));
        }
        if position == 0 && !last && digits == "000" {
            return Err(malformed("the index has a leading x000 group"));
        }
        let value: u64 = digits
            .parse()
            .map_err(|_| malformed(format!("index group {group:?} is not a number")))?;
        index = index
            .checked_mul(1000)
            .and_then(|i| i.checked_add(value))
            .ok_or_else(|| malformed("the index does not fit in 64 bits"))?;
    }
    Ok(Tile {
        level: u32::try_from(level).unwrap_or(MAX_LEVEL),
        index,
        width,
    })
}

/// The bytes of `tile` (its hashes concatenated) in the tree of `size` records, read from
/// storage in one call. A tile that does not exist yet at that size, or never can, is
/// [`Error::TileNotInTree`]; any tile of a size's tree may be served, since a tile's bytes
/// never change once it exists.
pub fn read_tile_data<R: HashReader + ?Sized>(
    tile: &Tile,
    size: u64,
    reader: &R,
) -> Result<Vec<u8>, Error> {
    if tile.width == 0 || tile.width > TILE_WIDTH {
        return Err(malformed(format!(
            "a tile has 1 to 256 hashes, not {}",
            tile.width
        )));
    }
    check_size(size)?;
    let not_in_tree = || Error::TileNotInTree {
        path: format_tile_path(tile),
        size,
    };
    let tree_level = tile
        .level
        .checked_mul(TILE_HEIGHT)
        .filter(|level| *level < 64)
        .ok_or_else(not_in_tree)?;
    // Hashes at this tree level: one per complete 2^tree_level-record subtree.
    let available = size >> tree_level;
    let first = tile.index.checked_mul(TILE_WIDTH).ok_or_else(not_in_tree)?;
    let end = first
        .checked_add(tile.width)
        .filter(|end| *end <= available)
        .ok_or_else(not_in_tree)?;
    let indexes: Vec<u64> = (first..end)
        .map(|n| stored_hash_index(tree_level, n))
        .collect();
    let hashes = read_exact(reader, &indexes)?;
    Ok(hashes.iter().flat_map(|hash| hash.0).collect())
}

/// The tiles that appear or grow when the tree grows from `old_size` to `new_size` records,
/// each with its width at `new_size`, by level then index (Go: `tlog.NewTiles`). A log that
/// stores or pre-renders tiles writes exactly these after publishing a checkpoint of
/// `new_size`.
pub fn new_tiles(old_size: u64, new_size: u64) -> Vec<Tile> {
    let mut tiles = Vec::new();
    for level in 0..=(63 / TILE_HEIGHT) {
        let tree_level = level * TILE_HEIGHT;
        let (old_count, new_count) = (old_size >> tree_level, new_size >> tree_level);
        if new_count <= old_count {
            break;
        }
        for index in old_count / TILE_WIDTH..=(new_count - 1) / TILE_WIDTH {
            let width = (new_count - index * TILE_WIDTH).min(TILE_WIDTH);
            tiles.push(Tile {
                level,
                index,
                width,
            });
        }
    }
    tiles
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::{Hash, leaf_hash};
    use crate::merkle::tree_hash;
    use crate::store::MemStore;

    fn tile(level: u32, index: u64, width: u64) -> Tile {
        Tile {
            level,
            index,
            width,
        }
    }

    #[test]
    fn paths_round_trip_in_the_c2sp_form() {
        let cases = [
            (tile(0, 0, 256), "tile/0/000"),
            (tile(0, 1_234_067, 256), "tile/0/x001/x234/067"),
            (tile(1, 5, 7), "tile/1/005.p/7"),
            (tile(3, 123_456_078, 2), "tile/3/x123/x456/078.p/2"),
            (tile(63, 1000, 255), "tile/63/x001/000.p/255"),
            (
                tile(0, u64::MAX, 256),
                "tile/0/x018/x446/x744/x073/x709/x551/615",
            ),
        ];
        for (tile, path) in cases {
            assert_eq!(format_tile_path(&tile), path);
            assert_eq!(parse_tile_path(path), Ok(tile), "{path}");
        }
    }

    #[test]
    fn bad_paths_name_the_part_that_is_wrong() {
        let cases = [
            ("tiles/0/000", "must start with tile/"),
            ("tile/entries/000", "entry bundles"),
            ("tile/0", "expected tile/<level>/<index>"),
            ("tile/00/000", "the level \"00\""),
            ("tile/64/000", "the level \"64\""),
            ("tile/-1/000", "the level \"-1\""),
            ("tile/0/1", "must have exactly three digits"),
            ("tile/0/x1/000", "must have exactly three digits"),
            ("tile/0/001/002", "must start with x"),
            ("tile/0/x000/001", "leading x000 group"),
            ("tile/0/000.p/0", "1 to 255 hashes, not 0"),
            ("tile/0/000.p/256", "the partial width \"256\""),
            ("tile/0/000.p/07", "the partial width \"07\""),
            ("tile/0/000.p/", "the partial width \"\""),
            (
                "tile/0/x018/x446/x744/x073/x709/x551/616",
                "does not fit in 64 bits",
            ),
            ("tile/8/0/000", "must start with x"),
            ("tile/0/000/", "must start with x"),
        ];
        for (path, reason) in cases {
            let error = parse_tile_path(path).expect_err(path);
            assert!(error.to_string().contains(reason), "{path}: {error}");
        }
    }

    #[test]
    fn the_spec_example_of_a_70000_leaf_tree_has_its_tiles() {
        // c2sp.org/tlog-tiles: "a tree of size 70,000 will be represented by 273 full level 0
        // tiles, one partial level 0 tile of width 112, one full level 1 tile, one partial level
        // 1 tile of width 17, and one partial level 2 tile of width 1."
        let tiles = new_tiles(0, 70_000);
        let count = |level, full: bool| {
            tiles
                .iter()
                .filter(|t| t.level == level && t.is_full() == full)
                .count()
        };
        assert_eq!(
            (count(0, true), count(1, true), count(2, true)),
            (273, 1, 0)
        );
        let partial: Vec<Tile> = tiles.iter().filter(|t| !t.is_full()).copied().collect();
        assert_eq!(partial, [tile(0, 273, 112), tile(1, 1, 17), tile(2, 0, 1)]);
        assert_eq!(new_tiles(0, 256), [tile(0, 0, 256), tile(1, 0, 1)]);
        assert_eq!(new_tiles(256, 256), []);
        assert_eq!(new_tiles(300, 200), []);
        assert_eq!(
            new_tiles(300, 600),
            [tile(0, 1, 256), tile(0, 2, 88), tile(1, 0, 2)]
        );
    }

    #[test]
    fn tile_data_is_the_hashes_of_its_level_and_grows_by_extension() {
        let mut store = MemStore::new();
        let mut published: std::collections::HashMap<(u32, u64), Vec<u8>> = Default::default();
        for size in 1..=700u64 {
            store
                .append(leaf_hash(&size.to_be_bytes()))
                .expect("append");
            for tile in new_tiles(size - 1, size) {
                let data = read_tile_data(&tile, size, &store).expect("tile");
                assert_eq!(data.len() as u64, tile.width * 32);
                let before = published.insert((tile.level, tile.index), data.clone());
                // A grown tile starts with the bytes it had before.
                if let Some(before) = before {
                    assert_eq!(&data[..before.len()], &before[..], "{}", tile.path());
                }
            }
        }
        // Level 1 hashes are the roots of 256-leaf subtrees.
        let level_one = &published[&(1, 0)];
        let first = Hash::from_slice(&level_one[..32]).expect("hash");
        assert_eq!(first, tree_hash(256, &store).expect("root"));
        // A tile not complete at the asked size, or beyond any tree, is refused.
        assert!(matches!(
            read_tile_data(&tile(0, 2, 256), 700, &store),
            Err(Error::TileNotInTree { .. })
        ));
        assert!(read_tile_data(&tile(0, 2, 188), 700, &store).is_ok());
        assert!(matches!(
            read_tile_data(&tile(8, 0, 1), 700, &store),
            Err(Error::TileNotInTree { .. })
        ));
        assert!(matches!(
            read_tile_data(&tile(0, u64::MAX, 1), 700, &store),
            Err(Error::TileNotInTree { .. })
        ));
        assert!(read_tile_data(&tile(0, 0, 0), 700, &store).is_err());
    }
}
