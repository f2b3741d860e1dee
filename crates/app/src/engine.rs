//! The procedure engine lives in `fazhi-procedure` (pure: no IO, no database, no HTTP); this
//! module re-exports it under the name the application has always used.

pub use fazhi_procedure::engine::*;
pub use fazhi_procedure::fields::{
    FieldProblem, FieldValue, parse_date, parse_date as fields_parse_date, parse_field,
};
pub use fazhi_procedure::refusal::{ExtensionProblem, GuardRefusal, Refusal};
pub use fazhi_procedure::replay::{
    AsOf, Due, LapseKind, OpenTimer, PeriodCalculator, Replay, explain, overdue_by,
};
