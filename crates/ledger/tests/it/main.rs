//! Ledger tests: published RFC 6962 vectors, properties of proofs over random trees, checkpoints
//! and notes.

mod properties;
mod vectors;
