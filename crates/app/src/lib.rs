//! Fazhi's application: the organisation model, the store (SQLite or PostgreSQL through sqlx's
//! `Any` driver), access control, the web application and the demo jurisdiction.
//!
//! Layering, from the bottom: [`domain`] (typed, validated values; no IO), [`store`] (the one
//! store API; every write is one transaction that also journals an event), [`authz`] (the one
//! place where access is decided), [`web`] (axum handlers and askama templates; runs no SQL of its
//! own) and [`demo`] (builds the fictional demo district through the store API).
//!
//! This crate does not parse command lines or read the environment: the `fazhi` binary does that
//! and hands the results in. Time comes in through [`clock::Clock`] so tests can fix it.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod attachments;
pub mod authz;
pub mod bulk;
pub mod cases;
pub mod certificates;
pub mod clock;
pub mod deadlines;
pub mod demo;
pub mod domain;
pub mod engine;
pub mod indicators;
pub mod log_key;
pub mod log_signing;
pub mod password;
pub mod procedure;
pub mod reports;
pub mod scrub;
pub mod store;
pub mod web;
