//! Reader (work in progress).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

pub mod decode;
pub mod diagnostic;
pub mod offsets;
pub mod normalise;
pub mod numerals;
pub mod structure;
pub mod indicators;
pub mod figures;
