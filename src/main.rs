//! opsdeck's entry point: cli → logging → config → backends → terminal → run.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = opsdeck::cli::Cli::parse();
    match opsdeck::start::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("opsdeck: {e}");
            ExitCode::FAILURE
        }
    }
}
