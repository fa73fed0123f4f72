//! linli's entry point: parse the command line, run, report errors in the
//! user's language. Everything else lives in the library.

fn main() -> std::process::ExitCode {
    // every file and folder linli writes is its owner's alone
    linli::platform::private::private_umask();
    // help and usage in the interface language
    let cli = linli::cli::parse_args();
    // before any thread: the app and the store server (which stay up all
    // day) keep their memory small; a command that runs and ends (a
    // restore, a backup) keeps glibc's defaults, which are faster with
    // several threads at work (restore: ~1 s more CPU with them tuned)
    if matches!(cli.command, None | Some(linli::cli::Command::Serve)) {
        linli::platform::memory::tune();
    }
    match linli::cli::main_with(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}` joins the causes with ": " (no debug text); printed
            // through the same sanitiser as everything else
            linli::cli::out::err_line(format!("linli: {e:#}"));
            std::process::ExitCode::FAILURE
        }
    }
}
