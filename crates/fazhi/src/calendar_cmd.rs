//! `fazhi calendar`: placeholder, being written.

use std::process::ExitCode;

/// Calendar subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum CalendarCommand {
    /// Explain whether a date is a working day.
    Info {
        /// The date, YYYY-MM-DD.
        date: String,
    },
}

/// Runs a calendar subcommand.
pub fn run(_cmd: CalendarCommand) -> ExitCode {
    ExitCode::from(2)
}
