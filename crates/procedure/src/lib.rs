//! Procedures as data. Each statute-backed procedure (行政处罚, 行政复议, 行政应诉, 依申请公开, and the
//! institutions after them) is a TOML file that legal staff can read next to the statute; this
//! crate holds everything that decides what such a definition allows:
//!
//! - [`org`]: the organisation's value types the engine needs (roles, the actor, registries);
//! - [`model`] and [`load`]: the typed definition and its two-stage loader (TOML → shape →
//!   meaning), which lists every problem as `file:line: reason`;
//! - [`engine`]: whether a command may happen to a case — role, scope, state, fields, registries,
//!   extensions and the definition's guards; [`refusal`]: why not, as codes;
//! - [`replay`]: which periods run on a case, deemed steps, and the [`PeriodCalculator`] trait.
//!
//! It does no IO, reads no clock and knows no database or HTTP: the application loads the case
//! and the facts, and stores what the engine decided. No code here names a field, step or state
//! of any procedure (`docs/PROCEDURES.md` is the definition language).
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
#![warn(missing_docs)]

pub mod engine;
pub mod fields;
pub mod load;
pub mod model;
pub mod org;
mod raw;
pub mod refusal;
pub mod replay;

pub use engine::{
    Accepted, Case, Command, DepartmentFact, Facts, FactsNeeded, RegistryEntry, Step, check,
    check_opening, check_replayed, facts_needed, in_scope, people_named,
};
pub use fields::{FieldProblem, FieldValue, parse_date, parse_field, parse_money};
pub use load::{DefinitionError, DefinitionErrors, load_embedded, parse_all, parse_definition};
pub use model::*;
pub use org::{Level, Registry, Role, Subject};
pub use refusal::{ExtensionProblem, GuardRefusal, Refusal};
pub use replay::{AsOf, Due, LapseKind, OpenTimer, PeriodCalculator, Replay, explain, overdue_by};
