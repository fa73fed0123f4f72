//! The whole office at once (issue 18), seen from the command line: the
//! first `linli` on a data dir starts the store server (`linli serve`, a
//! process of its own that outlives the window that started it) and every
//! window, this one included, joins it as a client; commands run inside
//! the server while it is up; `linli who` asks it who is on.
//!
//! With `--alone` / LINLI_ALONE=1 the window opens the store itself as
//! before (one window at a time). On Windows that is the default until the
//! office asks for sharing with LINLI_SHARE=1: the server is built and
//! cross-checked for Windows but has not been tried on a Windows console.

use super::*;
use crate::serve::wire::Bye;
use crate::serve::{client, client::Attached};

fn env_is(key: &str) -> bool {
    std::env::var(key).is_ok_and(|v| v == "1")
}

/// Whether this run opens the store itself rather than through the server
/// (`--alone`, LINLI_ALONE=1).
pub fn alone(cli_alone: bool) -> bool {
    cli_alone || env_is("LINLI_ALONE")
}

/// Whether a window that finds no server starts one. On Windows only when
/// the office asked for sharing (LINLI_SHARE=1); without it a window there
/// opens the store itself as before, but joins a server that is already
/// running (one started by a window that asked), as commands do.
fn may_start_server() -> bool {
    may_start_when(cfg!(windows), env_is("LINLI_SHARE"))
}

fn may_start_when(windows: bool, share_env: bool) -> bool {
    !windows || share_env
}

/// How a session with the server ended, for `run_tui`'s loop.
pub enum Session {
    Ended,
    Demo,
    /// The server could not start: the window goes on alone, saying why.
    Alone(String),
}

/// Runs this window as a client of the data dir's server, starting the
/// server first if none answers. `message`: the app's first message line.
pub fn session(
    base: &Path,
    dir: &Path,
    demo: bool,
    lang: Lang,
    mut message: Option<(String, bool)>,
) -> anyhow::Result<Session> {
    let sh = lang.sharing();
    let code = if lang == Lang::Zh { "zh" } else { "en" };
    let mut started = false;
    let mut waited = 0;
    let mut missed = 0;
    loop {
        match client::attach(dir, code, message.take())? {
            Attached::NoServer => {
                if started {
                    return Ok(Session::Alone(i18n::fill(sh.server_failed, "…")));
                }
                if !may_start_server() {
                    return Ok(Session::Alone(String::new()));
                }
                match crate::store::tidy::DirLock::acquire(dir) {
                    // a colleague's window is starting the server, one is
                    // ending, or a command has the store for a moment
                    Err(_) if waited < 2 => {
                        waited += 1;
                        crate::warn_line!("{}", sh.waiting);
                        wait_for_socket(dir, None, std::time::Duration::from_secs(20));
                        continue;
                    }
                    // as the window would say opening the store itself
                    Err(e) => bail!("{}", open_error(dir, lang, &e)),
                    Ok(lock) => drop(lock),
                }
                started = true;
                // what a start does before the app, on this terminal: the
                // way back when there is no store, the schema upgrade, the
                // demo data. A store that needs none of it (the usual
                // morning: it exists, at this linli's schema) is opened by
                // the server alone, which saves this window an opening of
                // sled and a fresh start; should the server find it damaged
                // after all, it says so and this window goes on alone,
                // opening the store itself (and offering the way back).
                let checked = demo || !crate::store::Store::opens_as_is(dir);
                if demo {
                    let files = load_office_files(dir, lang);
                    drop(open_demo(dir, lang, &files.cal, &files.cats)?);
                } else if checked {
                    match open_or_offer(dir, lang)? {
                        Opened::Store(s) => drop(s),
                        Opened::Restored(msg) => message = Some((msg, false)),
                        Opened::Quit => return Ok(Session::Ended),
                    }
                }
                crate::store::backup::office_key(dir).map_err(|e| anyhow::anyhow!(i18n::backup_error(lang, &e)))?;
                if let Err(why) = start_server(base, dir, demo, lang) {
                    return Ok(Session::Alone(i18n::fill(sh.server_failed, why)));
                }
                if checked && message.is_none() {
                    // this window opened the store to check it (and sled
                    // keeps what it read): start afresh as a bare client,
                    // as every later window is. Returns only on failure,
                    // and then this process attaches as it is.
                    let _ = restart_as_client();
                }
            }
            Attached::Closed(Bye::Quit) => return Ok(Session::Ended),
            Attached::Closed(Bye::OpenDemo) => return Ok(Session::Demo),
            Attached::Closed(Bye::Restore { file, passphrase, accept_key }) => {
                let req = crate::ui::data::RestoreRequest { file: PathBuf::from(file), passphrase, accept_key };
                // the server stops once this window has left; the restore
                // waits for it to let go of the store
                message = Some(restore_closed(&req, dir, lang));
                started = false;
            }
            Attached::Closed(Bye::Stopping) => {
                crate::warn_line!("{}", sh.server_stopping);
                return Ok(Session::Ended);
            }
            Attached::Refused(why) => bail!("{}", i18n::fill(sh.other_version, why)),
            Attached::Gone => bail!("{}", sh.server_gone),
            Attached::Missed if missed < 3 => {
                missed += 1;
                started = false;
            }
            Attached::Missed => bail!("{}", sh.server_gone),
        }
    }
}

/// Starts `linli serve` for the data dir, in a session of its own (closing
/// this window does not end it), and waits until it answers.
fn start_server(base: &Path, dir: &Path, demo: bool, lang: Lang) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let log_path = dir.join("serve.log");
    let log = std::fs::OpenOptions::new().create(true).append(true).open(&log_path).map_err(|e| e.to_string())?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("--data-dir").arg(base).arg("--lang").arg(if lang == Lang::Zh { "zh" } else { "en" });
    if demo {
        cmd.arg("--demo");
    }
    cmd.arg("serve").stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null()).stderr(log);
    let mut child = spawn_detached(cmd).map_err(|e| e.to_string())?;
    if wait_for_socket(dir, Some(&mut child), std::time::Duration::from_secs(60)) {
        // it lives on in its own session; nothing to wait for here
        std::thread::spawn(move || child.wait());
        return Ok(());
    }
    let _ = child.kill();
    let _ = child.wait();
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    Err(log.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string())
}

/// Starts the server in a session of its own: closing the window (a
/// hangup to its session) does not reach it.
#[cfg(unix)]
fn spawn_detached(mut cmd: std::process::Command) -> std::io::Result<std::process::Child> {
    use std::os::unix::process::CommandExt;
    // SAFETY: setsid is async-signal-safe and touches nothing of ours.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    cmd.spawn()
}

/// Starts the server without a console (closing the window does not end
/// it), in a process group of its own, outside the window's job where the
/// job allows it (an SSH session's job may not: then the server ends with
/// the session that started it, and the next window starts another).
#[cfg(windows)]
fn spawn_detached(mut cmd: std::process::Command) -> std::io::Result<std::process::Child> {
    use std::os::windows::process::CommandExt;
    const DETACHED_PROCESS: u32 = 0x0000_0008;
    const CREATE_NEW_PROCESS_GROUP: u32 = 0x0000_0200;
    const CREATE_BREAKAWAY_FROM_JOB: u32 = 0x0100_0000;
    cmd.creation_flags(DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP | CREATE_BREAKAWAY_FROM_JOB);
    match cmd.spawn() {
        Ok(c) => Ok(c),
        Err(_) => {
            cmd.creation_flags(DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP);
            cmd.spawn()
        }
    }
}

/// Replaces this process with a fresh `linli` of the same command line.
#[cfg(unix)]
fn restart_as_client() -> std::io::Error {
    use std::os::unix::process::CommandExt;
    match std::env::current_exe() {
        Ok(exe) => std::process::Command::new(exe).args(std::env::args_os().skip(1)).exec(),
        Err(e) => e,
    }
}

/// Windows has no exec: this process goes on as the client it is.
#[cfg(not(unix))]
fn restart_as_client() -> std::io::Error {
    std::io::ErrorKind::Unsupported.into()
}

/// A command that finds no server answering but the store held: the last
/// window's server is ending (it has closed its socket and is saving the
/// search index and the day's snapshot: seconds on a large store), a
/// colleague's window is starting one, or another command has the store
/// for a moment. The command waits, saying so, instead of calling the
/// store taken by a window that is no longer there. True when a server
/// answers meanwhile (the command then runs inside it); false when the
/// store is free, or still held after a minute (the command's own open
/// then says who holds it). Where windows open the store alone by default
/// (Windows without LINLI_SHARE), the holder is a window: no wait.
pub fn wait_while_held(dir: &Path, lang: Lang) -> bool {
    if !may_start_server() || !dir.join(crate::store::tidy::LOCK_FILE).exists() {
        return false;
    }
    match crate::store::tidy::DirLock::acquire(dir) {
        Err(crate::store::StoreError::Locked(_)) => {}
        _ => return false,
    }
    crate::warn_line!("{}", lang.sharing().waiting);
    wait_for_socket(dir, None, std::time::Duration::from_secs(60))
}

/// Waits until a server answers on the data dir (true), `child` ends, or
/// `limit` passes.
fn wait_for_socket(dir: &Path, mut child: Option<&mut std::process::Child>, limit: std::time::Duration) -> bool {
    let started = std::time::Instant::now();
    while started.elapsed() < limit {
        if client::is_served(dir) {
            return true;
        }
        // nobody is starting a server after all: the store is free
        if child.is_none() && crate::store::tidy::DirLock::acquire(dir).is_ok() {
            return false;
        }
        if let Some(c) = child.as_mut()
            && !matches!(c.try_wait(), Ok(None))
        {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    false
}

/// `linli serve`: opens the store, listens on the data dir's socket and
/// serves until the last window leaves.
pub fn serve_main(base: &Path, demo: bool, lang: Lang) -> anyhow::Result<()> {
    // Windows: the server has no console, and crossterm writes escape
    // sequences (the frames for the clients) only where it finds a
    // terminal that takes them, else it calls the console it does not have
    #[cfg(windows)]
    if std::env::var_os("TERM").is_none() {
        // SAFETY: before this process starts any thread (the store opens below).
        unsafe { std::env::set_var("TERM", "xterm-256color") };
    }
    crate::ui::hold_exit_signals();
    let dir = paths::store_dir(base, demo);
    // the window that started this server has just let go of the store; a
    // server that is ending may hold it a moment longer
    let started = std::time::Instant::now();
    let store = loop {
        match Store::open_with(&dir, &mut upgrading(lang)) {
            Ok(s) => break s,
            Err(crate::store::StoreError::Locked(_)) if started.elapsed() < std::time::Duration::from_secs(15) => {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Err(e) => bail!("{}", open_error(&dir, lang, &e)),
        }
    };
    let files = load_office_files(&dir, lang);
    let mut notices = files.notices.clone();
    notices.extend(kept_years_notice(&store, &files, lang));
    notices.extend(apply_calendar(&store, &files, (clock())(), lang));
    let OfficeFiles { cal, cats, warnings, .. } = files;
    // this server holds the store's lock: a socket file left here is a
    // dead server's, and is replaced
    let socket = crate::serve::socket_path(&dir);
    let listener = crate::serve::sock::Listener::bind(&socket).with_context(|| socket.display().to_string())?;
    let setup = crate::serve::server::Setup {
        store: Arc::new(store),
        cal: Arc::new(cal),
        cats,
        notices,
        warning: warnings.into_iter().next(),
        clock,
        hosted: super::run_hosted_env,
        at_end: Box::new(move |store| {
            if !demo {
                daily_snapshot(&store, lang);
            }
        }),
        first_wait: std::time::Duration::from_secs(30),
    };
    crate::serve::server::run(setup, listener, socket)
}

/// `linli who`.
pub fn who_main(dir: &Path, lang: Lang) -> anyhow::Result<()> {
    let sh = lang.sharing();
    let rows = client::who(dir)?.unwrap_or_default();
    if rows.is_empty() {
        crate::say!("{}", sh.who_nobody);
        return Ok(());
    }
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|r| {
            [
                r.operator.clone().unwrap_or_else(|| sh.who_choosing.to_string()),
                r.terminal.clone(),
                r.since.clone(),
                r.pid.to_string(),
            ]
        })
        .collect();
    let mut widths = sh.who_heads.map(crate::domain::text::width);
    for c in &cells {
        for (w, s) in widths.iter_mut().zip(c) {
            *w = (*w).max(crate::domain::text::width(s));
        }
    }
    let row = |c: [&str; 4]| {
        c.iter()
            .zip(widths)
            .map(|(s, w)| crate::domain::text::fit(s, w))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    crate::say!("{}", row(sh.who_heads));
    for c in &cells {
        crate::say!("{}", row([&c[0], &c[1], &c[2], &c[3]]));
    }
    Ok(())
}

/// A command while the server is up: run inside it. `None`: no server
/// answers (the command opens the store itself).
pub fn exec_if_served(dir: &Path, lang: Lang) -> Option<anyhow::Result<()>> {
    let sh = lang.sharing();
    if !client::is_served(dir) {
        return None;
    }
    let argv: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    let env_lang = std::env::var("LINLI_LANG").ok();
    if let Some(why) = super::exclusive_message(&argv, env_lang.as_deref()) {
        let n = client::who(dir).ok().flatten().map_or(0, |r| r.len());
        return Some(Err(anyhow::anyhow!("{why}{}", i18n::fill(sh.exclusive_count, n))));
    }
    let env: Vec<(String, String)> =
        super::CLIENT_ENV.iter().filter_map(|k| Some((k.to_string(), std::env::var(k).ok()?))).collect();
    let mut ask = |prompt: &str, secret: bool| {
        if secret {
            prompt::read_secret(prompt, prompt::Piped::ReadLine)
        } else {
            out::err_part(prompt);
            let mut line = String::new();
            match std::io::stdin().read_line(&mut line) {
                Ok(0) | Err(_) => None,
                Ok(_) => Some(line.trim_end_matches(['\r', '\n']).to_string()),
            }
        }
    };
    Some(match client::exec(dir, argv, env, &mut ask) {
        Ok(None) => return None,
        Ok(Some(Ok(0))) => Ok(()),
        Ok(Some(Ok(c))) => std::process::exit(c),
        Ok(Some(Err(Attached::Refused(why)))) => Err(anyhow::anyhow!(i18n::fill(sh.other_version, why))),
        Ok(Some(Err(_))) => Err(anyhow::anyhow!(sh.server_gone)),
        Err(e) => Err(e.into()),
    })
}

#[cfg(test)]
mod tests {
    use super::may_start_when;

    #[test]
    fn a_window_starts_the_server_on_windows_only_when_sharing_is_asked_for() {
        // (windows, LINLI_SHARE=1) -> may start
        assert!(may_start_when(false, false), "Unix shares by default");
        assert!(!may_start_when(true, false), "Windows opens alone by default");
        assert!(may_start_when(true, true), "LINLI_SHARE=1 starts the server on Windows");
    }
}
