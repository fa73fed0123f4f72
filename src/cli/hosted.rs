//! Command-line commands run inside the store server (issue 18): while
//! colleagues are in the app, `linli backup`, `export`, `import`, … are
//! sent to the server, which runs them here, each on a thread of its own,
//! on the store it already has open.
//!
//! A command runs exactly as in its own process (`main_with`), with four
//! things made the client's rather than the server's, for the thread it
//! runs on:
//! - what it prints and asks goes to the client's terminal (`out::with_sink`);
//! - the store for the client's data dir is the server's, never opened a
//!   second time, never closed, its process-wide settings left alone
//!   (`shared`; a command on another data dir opens that one as before);
//! - relative paths are the client's working directory's ([`absolute`],
//!   [`here`] for the file names a command chooses itself);
//! - `LINLI_*` settings are the client's environment's ([`env_var`]).
//!
//! Which commands run here: `info`, `backup`, `verify`, `export`, `report`,
//! `check`, `import`, `id-number`, `profile` and `pin`. `restore`, `gen`,
//! `stress` and `check --repair` need the store to themselves: a restore
//! replaces it under everyone, gen fills an empty one, stress is a crash
//! test's writer, and a repair clears and rewrites the index trees outside
//! a transaction, so a colleague's save in that moment could lose its
//! index entries and every screen reads half-written indexes meanwhile.

use super::{Cli, Command, Lang};
use crate::serve::{CliIo, Hosted};
use crate::store::Store;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The client's environment variables a command reads; the client sends
/// those it has set (see [`run_hosted_env`]).
pub const CLIENT_ENV: &[&str] = &["LINLI_LANG", "LINLI_PASSPHRASE", "LINLI_NOW", "LINLI_SCRYPT_WORK_FACTOR"];

/// Test aids the server's own setting stands for when the client sends
/// none: its "now" is the one its screens show. (A passphrase or a
/// language is the user's own: never the server's.)
const SERVER_DEFAULTS: &[&str] = &["LINLI_NOW", "LINLI_SCRYPT_WORK_FACTOR"];

/// What a command running on this thread inside the server knows of its
/// client.
struct Client {
    store: Arc<Store>,
    cwd: PathBuf,
    env: Vec<(String, String)>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
}

fn with_client<T>(f: impl FnOnce(&Client) -> T) -> Option<T> {
    CLIENT.try_with(|c| c.try_borrow().ok().and_then(|c| c.as_ref().map(f))).ok().flatten()
}

/// Whether this thread runs a command inside the server.
pub(super) fn inside() -> bool {
    with_client(|_| ()).is_some()
}

/// The server's store when this thread runs a command inside it and `dir`
/// is the data dir it serves.
pub(super) fn shared(dir: &Path) -> Option<Arc<Store>> {
    use crate::platform::paths::canonical;
    with_client(|c| c.store.clone()).filter(|s| canonical(s.dir()) == canonical(dir))
}

/// An environment variable: the client's when this thread runs a command
/// inside the server, else the process's.
pub(super) fn env_var(name: &str) -> Option<String> {
    match with_client(|c| c.env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())) {
        None => std::env::var(name).ok(),
        Some(Some(v)) => Some(v),
        Some(None) if SERVER_DEFAULTS.contains(&name) => std::env::var(name).ok(),
        Some(None) => None,
    }
}

/// A file name a command chose itself (`月报-2026-11.html`): in the
/// client's working directory when this thread runs a command inside the
/// server, else as it is (the process's own).
pub(super) fn here(p: PathBuf) -> PathBuf {
    if p.is_absolute() {
        return p;
    }
    with_client(|c| c.cwd.join(&p)).unwrap_or(p)
}

/// Where a command line may run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Inside the server; `wrote`: it may write to the store.
    Hosted { wrote: bool },
    /// Only with the store to itself; the words name the command.
    Exclusive(&'static str),
    /// No command: the app (the client attaches to the server instead).
    App,
}

fn place(cli: &Cli) -> Place {
    let hosted = |wrote| Place::Hosted { wrote };
    match &cli.command {
        // `who` asks the server itself; `serve` is the server
        None | Some(Command::Who | Command::Serve) => Place::App,
        Some(Command::Gen { .. }) => Place::Exclusive("gen"),
        Some(Command::Restore { .. }) => Place::Exclusive("restore"),
        Some(Command::Stress { .. }) => Place::Exclusive("stress"),
        Some(Command::Check { repair: true }) => Place::Exclusive("check --repair"),
        Some(Command::Check { repair: false } | Command::Info | Command::Verify { .. } | Command::Report { .. }) => {
            hosted(false)
        }
        Some(Command::Import { dry_run, .. }) => hosted(!dry_run),
        Some(Command::Profile { name, street, address, phone, head, issuer, letterhead }) => {
            hosted([name, street, address, phone, head, issuer, letterhead].iter().any(|v| v.is_some()))
        }
        Some(Command::IdNumber { number, clear, reveal, .. }) => hosted(number.is_some() || *clear || *reveal),
        // a backup to a removable disk is remembered (the overview shows
        // it); an export is recorded in the audit trail; a PIN in the store
        Some(Command::Backup { .. } | Command::Export { .. } | Command::Pin { .. }) => hosted(true),
    }
}

/// `argv` parsed with help and errors in `lang`.
fn parse(argv: &[String], lang: Lang) -> Result<Cli, clap::Error> {
    use clap::FromArgMatches;
    super::command(lang).try_get_matches_from(argv).and_then(|m| Cli::from_arg_matches(&m))
}

/// The language of a command line: `--lang`, else the client's
/// `LINLI_LANG`, else Chinese.
fn lang_for(argv: &[String], env_lang: Option<&str>) -> Lang {
    let args: Vec<std::ffi::OsString> = argv.iter().map(Into::into).collect();
    super::lang_in_args(&args).or_else(|| env_lang.and_then(Lang::parse)).unwrap_or(Lang::Zh)
}

/// Whether this command line can run inside a server (false: it needs the
/// store to itself, or it is no command but the app). A line clap cannot
/// read runs (and says so, with help, as `linli` would).
pub fn runs_hosted(argv: &[String]) -> bool {
    parse(argv, Lang::En).map_or(true, |cli| matches!(place(&cli), Place::Hosted { .. }))
}

/// Why this command line cannot run while colleagues are in linli, in the
/// user's language (`lang`: the client's `LINLI_LANG`, if set; `--lang` in
/// the line comes first); `None` when it can run inside the server, or is
/// the app itself.
pub fn exclusive_message(argv: &[String], lang: Option<&str>) -> Option<String> {
    let lang = lang_for(argv, lang);
    let Place::Exclusive(what) = place(&parse(argv, lang).ok()?) else { return None };
    let w = crate::i18n::hosted::t(lang);
    let msg = crate::i18n::fill(w.exclusive, what);
    Some(if what.starts_with("check") { format!("{msg}{}", w.check_without_repair) } else { msg })
}

/// Runs one command line as `linli` would, on a store the server already
/// has open. `argv` is the client's full argv (program name first, as clap
/// expects); `cwd` the client's working directory (relative paths in the
/// arguments are the client's, not the server's); `lang` the client's
/// `LINLI_LANG` if set. Never panics; every failure is a message on
/// `io.err` in the user's language and a non-zero code. Call it on a
/// thread of its own: it blocks until the command is done (and a wrong
/// PIN costs a second there, as anywhere).
pub fn run_hosted(
    store: Arc<Store>,
    argv: Vec<String>,
    cwd: PathBuf,
    lang: Option<String>,
    io: Box<dyn CliIo>,
) -> Hosted {
    let env = lang.map(|l| vec![("LINLI_LANG".to_string(), l)]).unwrap_or_default();
    run_hosted_env(store, argv, cwd, env, io)
}

/// [`run_hosted`] with the client's environment: the variables of
/// [`CLIENT_ENV`] it has set (a script's `LINLI_PASSPHRASE`, a test's
/// `LINLI_NOW`). The server's own are not read for the user's settings.
pub fn run_hosted_env(
    store: Arc<Store>,
    argv: Vec<String>,
    cwd: PathBuf,
    env: Vec<(String, String)>,
    io: Box<dyn CliIo>,
) -> Hosted {
    let env_lang = env.iter().find(|(k, _)| k == "LINLI_LANG").map(|(_, v)| v.clone());
    let lang = lang_for(&argv, env_lang.as_deref());
    super::out::with_sink(io, || {
        /// Takes the client off this thread however the command ends.
        struct Gone;
        impl Drop for Gone {
            fn drop(&mut self) {
                let _ = CLIENT.try_with(|c| c.try_borrow_mut().map(|mut c| *c = None));
            }
        }
        let client = Client { store: store.clone(), cwd, env };
        if CLIENT.try_with(|c| c.try_borrow_mut().map(|mut c| *c = Some(client))).is_err() {
            return Hosted { code: 1, wrote: false };
        }
        let _gone = Gone;
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(argv, lang, &store)));
        // what this thread's writes captured (the store keeps every change
        // while an app runs) stays for the caller: the server takes it on
        // this thread and shows it on every screen
        run.unwrap_or_else(|_| {
            // (the sink itself may be what panicked)
            let say = || super::out::err_line(format!("linli: {}", crate::i18n::hosted::t(lang).broke_down));
            let _ = std::panic::catch_unwind(say);
            Hosted { code: 1, wrote: true }
        })
    })
}

fn run(argv: Vec<String>, lang: Lang, store: &Store) -> Hosted {
    let cli = match parse(&argv, lang) {
        Ok(cli) => cli,
        Err(e) => {
            // help and the version are answers; anything else a usage error
            let text = super::args::usage_error_text(&e, lang);
            if e.use_stderr() {
                super::out::err_part(text)
            } else {
                super::out::line(text.trim_end())
            }
            return Hosted { code: e.exit_code(), wrote: false };
        }
    };
    let lang = super::lang_of(&cli);
    let wrote = match place(&cli) {
        Place::Hosted { wrote } => wrote,
        Place::App => {
            super::out::err_line(format!("linli: {}", crate::i18n::hosted::t(lang).not_a_command));
            return Hosted { code: 2, wrote: false };
        }
        Place::Exclusive(_) => {
            let msg = exclusive_message(&argv, Some(if lang == Lang::En { "en" } else { "zh" }));
            super::out::err_line(format!("linli: {}", msg.unwrap_or_default()));
            return Hosted { code: 1, wrote: false };
        }
    };
    let cwd = with_client(|c| c.cwd.clone()).unwrap_or_default();
    let cli = absolute(cli, &cwd, store.dir());
    match super::main_with(cli) {
        Ok(()) => Hosted { code: 0, wrote },
        Err(e) => {
            // as `main` reports it
            super::out::err_line(format!("linli: {e:#}"));
            Hosted { code: 1, wrote }
        }
    }
}

/// The command line with every path in it absolute against the client's
/// `cwd`, and the data dir the one the server serves unless the line names
/// another (the server's environment does not choose it).
fn absolute(mut cli: Cli, cwd: &Path, served: &Path) -> Cli {
    let abs = |p: PathBuf| if p.is_absolute() { p } else { cwd.join(p) };
    let served_base = match served.parent() {
        // `--demo` on the demo store's server: its base is one up
        Some(up) if cli.demo && served.file_name().is_some_and(|n| n == "demo") => up.to_path_buf(),
        _ => served.to_path_buf(),
    };
    cli.data_dir = Some(cli.data_dir.take().map_or(served_base, abs));
    match &mut cli.command {
        Some(Command::Backup { to: p, .. } | Command::Export { out: p, .. } | Command::Report { out: p, .. }) => {
            *p = p.take().map(abs);
        }
        Some(Command::Verify { file } | Command::Import { file, .. }) => *file = abs(std::mem::take(file)),
        Some(Command::Restore { file, .. }) => *file = file.take().map(abs),
        _ => {}
    }
    cli
}

/// `check` on a store others may write to meanwhile: its scan of the
/// records and its scan of the indexes are not one moment, so a save in
/// between shows as a missing or stale link that is none. A report with
/// problems counts only when no save came between.
pub(super) fn settled_check(store: &Store, repair: bool) -> crate::store::Result<crate::store::check::CheckReport> {
    settled(|| store.generation(), || store.check(repair), |r| repair || r.is_clean())
}

/// How many times a check is made while saves keep coming between its
/// scans (each time that fails needs a save of its own: a colleague
/// saves a few times a minute, a check of the large set takes a second).
const CHECK_TRIES: usize = 5;

/// `check()` until it is `fine`, or no change (`generation`) came during
/// it, or [`CHECK_TRIES`] times.
fn settled<R, E>(
    mut generation: impl FnMut() -> Result<u64, E>,
    mut check: impl FnMut() -> Result<R, E>,
    fine: impl Fn(&R) -> bool,
) -> Result<R, E> {
    let mut tries = 0;
    loop {
        let before = generation()?;
        let report = check()?;
        tries += 1;
        if fine(&report) || tries >= CHECK_TRIES || generation()? == before {
            return Ok(report);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Clone, Default)]
    struct Term(Arc<Mutex<Vec<u8>>>);

    impl CliIo for Term {
        fn out(&mut self, b: &[u8]) {
            self.0.lock().unwrap().extend_from_slice(b);
        }
        fn err(&mut self, b: &[u8]) {
            self.0.lock().unwrap().extend_from_slice(b);
        }
        fn ask(&mut self, _: &str, _: bool) -> Option<String> {
            None
        }
    }

    /// Everything goes to the client's terminal: not one byte to the
    /// server's own stdout or stderr (counted for this thread), and after
    /// the command this thread prints to its own again.
    #[test]
    fn a_hosted_command_prints_only_into_its_sink() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let term = Term::default();
        let real = || super::super::out::REAL_BYTES.with(|n| n.get());
        let before = real();
        let argv = ["linli", "info"].map(String::from).to_vec();
        let h = run_hosted(store.clone(), argv.clone(), dir.path().into(), None, Box::new(term.clone()));
        assert_eq!(h, Hosted { code: 0, wrote: false });
        let said = String::from_utf8(term.0.lock().unwrap().clone()).unwrap();
        assert!(said.contains("数据目录：") && said.contains("居民"), "{said}");
        assert_eq!(real(), before, "bytes to the process's own stdio");
        assert!(!super::super::out::hosted() && !inside(), "the client is gone");
        // a failing command: its message in the sink too
        let bad = ["linli", "export", "nothing"].map(String::from).to_vec();
        let h = run_hosted(store, bad, dir.path().into(), None, Box::new(term.clone()));
        assert_eq!(h.code, 1);
        assert_eq!(real(), before);
        crate::say!("");
        assert_eq!(real(), before + 1, "the thread's own stdout again");
    }

    /// A terminal that breaks down (a client's socket whose writing
    /// panics): the command stops, the server's thread goes on.
    #[test]
    fn a_sink_that_panics_ends_the_command_not_the_server() {
        struct Broken;
        impl CliIo for Broken {
            fn out(&mut self, _: &[u8]) {
                panic!("the client went away");
            }
            fn err(&mut self, _: &[u8]) {
                panic!("the client went away");
            }
            fn ask(&mut self, _: &str, _: bool) -> Option<String> {
                None
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let argv = ["linli", "info"].map(String::from).to_vec();
        let h = run_hosted(store.clone(), argv, dir.path().into(), None, Box::new(Broken));
        assert_eq!(h, Hosted { code: 1, wrote: true });
        assert!(!inside() && !super::super::out::hosted());
        assert_eq!(store.count(crate::store::record::RecordKind::Resident), 0, "the store is still open");
    }

    /// Every path of the line is the client's; the data dir is the served
    /// one unless the line names another (`--demo` on the demo store's
    /// server is that store).
    #[test]
    fn paths_are_the_clients_and_the_data_dir_the_servers() {
        let cli = |args: &[&str]| {
            let argv: Vec<String> = std::iter::once("linli").chain(args.iter().copied()).map(String::from).collect();
            absolute(parse(&argv, Lang::Zh).unwrap(), Path::new("/home/li"), Path::new("/srv/linli"))
        };
        let c = cli(&["import", "residents", "名册.csv"]);
        assert_eq!(c.data_dir.as_deref(), Some(Path::new("/srv/linli")));
        assert!(matches!(c.command, Some(Command::Import { file, .. }) if file == Path::new("/home/li/名册.csv")));
        let c = cli(&["backup", "--to", "../u盘"]);
        assert!(matches!(c.command, Some(Command::Backup { to: Some(t), .. }) if t == Path::new("/home/li/../u盘")));
        let c = cli(&["export", "residents", "--out", "/tmp/a.csv"]);
        assert!(matches!(c.command, Some(Command::Export { out: Some(o), .. }) if o == Path::new("/tmp/a.csv")));
        let c = cli(&["report"]);
        assert!(matches!(c.command, Some(Command::Report { out: None, .. })));
        let c = cli(&["verify", "b.jsonl.gz"]);
        assert!(matches!(c.command, Some(Command::Verify { file }) if file == Path::new("/home/li/b.jsonl.gz")));
        let c = cli(&["--data-dir", "别处", "info"]);
        assert_eq!(c.data_dir.as_deref(), Some(Path::new("/home/li/别处")));
        let demo = |served: &str| {
            let argv = ["linli", "--demo", "info"].map(String::from);
            absolute(parse(&argv, Lang::Zh).unwrap(), Path::new("/home/li"), Path::new(served)).data_dir
        };
        assert_eq!(demo("/srv/linli/demo"), Some(PathBuf::from("/srv/linli")));
        assert_eq!(demo("/srv/linli"), Some(PathBuf::from("/srv/linli")));
    }

    /// A check with problems is made again only when a save came during
    /// it; a clean one, or one nothing came during, stands.
    #[test]
    fn a_check_is_made_again_only_when_a_save_came_between() {
        use std::cell::Cell;
        // (generation when asked, problems found) per check made
        let run = |saves_during: &[u64], problems: &[bool]| {
            let (generation, made) = (Cell::new(0u64), Cell::new(0usize));
            let r: Result<bool, ()> = settled(
                || Ok(generation.get()),
                || {
                    let i = made.get();
                    made.set(i + 1);
                    generation.set(generation.get() + saves_during[i]);
                    Ok(problems[i])
                },
                |p| !p,
            );
            (r.unwrap(), made.get())
        };
        // a save during the first: made again, clean
        assert_eq!(run(&[1, 0], &[true, false]), (false, 2));
        // no save during it: its problems are real
        assert_eq!(run(&[0, 0], &[true, false]), (true, 1));
        // clean with saves during it: clean
        assert_eq!(run(&[3, 0], &[false, true]), (false, 1));
        // saves all the time: gives up after CHECK_TRIES with what it saw
        assert_eq!(run(&[1; 9], &[true; 9]), (true, CHECK_TRIES));
    }
}
