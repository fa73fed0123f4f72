//! linli's entry point: parse the command line, run, report errors in the
//! user's language. Everything else lives in the library.

fn main() -> std::process::ExitCode {
    // every file and folder linli writes is its owner's alone
    linli::platform::private::private_umask();
    // before any thread: the allocator gives back what linli frees
    linli::platform::memory::tune();
    // help and usage in the interface language
    let cli = linli::cli::parse_args();
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
