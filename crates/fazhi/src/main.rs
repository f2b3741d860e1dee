//! The `fazhi` command-line program: the only home of `anyhow`, wiring the library crates
//! together behind a clap CLI. Every failure ends in one clear line on stderr and a non-zero
//! exit code; nothing is half-created (the port is bound before the database is touched).

mod bench_cmd;
mod calendar_cmd;
mod indicators_cmd;
mod ledger_cmd;
mod read_cmd;
mod report_cmd;
mod server;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Fazhi（法治）: run a government's rule-of-law work and produce its annual report.
#[derive(Debug, Parser)]
#[command(name = "fazhi", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create or migrate the database and the first administrator (safe to run twice).
    Init(server::InitArgs),
    /// Serve the web application.
    Serve(server::ServeArgs),
    /// Create (or reuse) the fictional demo jurisdiction 示范市滨河区, then serve it.
    Demo(server::DemoArgs),
    /// Statutory periods on the official working-day calendar.
    #[command(subcommand)]
    Calendar(calendar_cmd::CalendarCommand),
    /// Personal API tokens for /api/v1.
    #[command(subcommand)]
    Token(server::TokenCommand),
    /// Read other governments' published annual reports: structure, figures, checks.
    Read(read_cmd::ReadArgs),
    /// The tamper-evident log: checkpoints, verification and proofs.
    #[command(subcommand)]
    Ledger(ledger_cmd::LedgerCommand),
    /// Every indicator of a year with last year's value and the change, as a table or JSON.
    Indicators(indicators_cmd::IndicatorsArgs),
    /// Generate a province of cases and measure its figures (issue #14).
    #[command(subcommand)]
    Bench(bench_cmd::BenchCommand),
    /// The annual report: export it (DOCX, HTML, Markdown), or check a report file.
    #[command(subcommand)]
    Report(report_cmd::ReportCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Init(args) => server::run(server::init(args)),
        Command::Serve(args) => server::run(server::serve(args)),
        Command::Demo(args) => server::run(server::demo(args)),
        Command::Calendar(cmd) => calendar_cmd::run(cmd),
        Command::Ledger(cmd) => ledger_cmd::run_ledger(cmd),
        Command::Read(args) => read_cmd::run(args),
        Command::Indicators(args) => indicators_cmd::run_indicators(args),
        Command::Report(cmd) => report_cmd::run_report(cmd),
        Command::Bench(cmd) => bench_cmd::run_bench(cmd),
        Command::Token(server::TokenCommand::Create { db, user, label }) => {
            server::run(server::create_token(db, user, label))
        }
    }
}
