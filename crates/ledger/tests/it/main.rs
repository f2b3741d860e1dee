//! Ledger integration tests, one binary: published vectors from other implementations
//! (`vectors`), properties over random trees (`properties`), a cross-check against the
//! independent `ct-merkle` crate (`cross_check`), the formats' round-trips and tamper cases
//! (`formats`), and witness cosigning (`witness`). Vector files live in `tests/data/` with their
//! sources in `tests/data/README.md`.

mod cross_check;
mod formats;
mod properties;
mod support;
mod vectors;
mod witness;
