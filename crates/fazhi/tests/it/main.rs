//! Integration tests of the `fazhi` binary, one module per subcommand.
mod calendar;
mod cli;
mod crash;
mod go_interop;
mod ledger;
mod ledger_crash;
mod read;
mod report;
mod tidy;
