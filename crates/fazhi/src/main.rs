//! The `fazhi` command-line program.
fn main() {}
