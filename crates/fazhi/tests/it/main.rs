//! Integration tests of the `fazhi` binary, one module per subcommand.
mod cli;
mod tidy;
