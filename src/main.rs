//! opsdeck's entry point: cli → logging → config → backends → terminal → run.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = opsdeck::cli::Cli::parse();
    match opsdeck::start::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Not eprintln!: with the terminal gone it would panic instead of exiting.
            let _ = writeln!(std::io::stderr(), "opsdeck: {e}");
            ExitCode::FAILURE
        }
    }
}
