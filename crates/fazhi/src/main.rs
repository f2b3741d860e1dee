//! The `fazhi` command-line program: the only home of `anyhow`, wiring the library crates
//! together behind a clap CLI.

mod calendar_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Fazhi (法治): run a government's rule-of-law work and produce its annual report.
#[derive(Debug, Parser)]
#[command(name = "fazhi", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Statutory periods on the official working-day calendar.
    #[command(subcommand)]
    Calendar(calendar_cmd::CalendarCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Calendar(cmd) => calendar_cmd::run(cmd),
    }
}
