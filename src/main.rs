//! linli's entry point: parse the command line, run, report errors in the
//! user's language. Everything else lives in the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = linli::cli::Cli::parse();
    match linli::cli::main_with(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("linli: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
