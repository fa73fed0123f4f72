//! A terminal's side of the store server: keys, pastes and resizes go out,
//! frames come back and are written as they are. The app itself runs in
//! the server, so a terminal at the end of a slow SSH link, or on a weak
//! PC, does almost nothing.

use super::sock::Stream;
use super::socket_path;
use super::wire::{self, Bye, Down, Exec, Hello, Up, WhoRow};
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

/// How a session at the server ended.
#[derive(Debug)]
pub enum Attached {
    /// No server answers on this data dir.
    NoServer,
    /// The server ended this terminal's session.
    Closed(Bye),
    /// The server would not take this terminal (another build; the store
    /// failed to give an app): its words.
    Refused(String),
    /// The server went away mid-session (killed, crashed).
    Gone,
    /// The server closed before it showed anything: it was stopping as
    /// this window joined (its last colleague had just quit). Start again.
    Missed,
}

/// Connects to the data dir's server, if one answers.
pub fn connect(dir: &Path) -> Option<Stream> {
    Stream::connect(&socket_path(dir)).ok()
}

/// Whether a server answers on the data dir.
pub fn is_served(dir: &Path) -> bool {
    connect(dir).is_some()
}

/// Runs this terminal as a client of the data dir's server until the
/// session ends. `message`: a line for the app's message line (what a
/// restore just did).
pub fn attach(dir: &Path, lang: &str, message: Option<(String, bool)>) -> io::Result<Attached> {
    let Some(stream) = connect(dir) else { return Ok(Attached::NoServer) };
    let (width, height) = ratatui::crossterm::terminal::size().unwrap_or((80, 24));
    let hello = Hello {
        version: wire::VERSION,
        lang: lang.to_string(),
        mono: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        width,
        height,
        terminal: terminal_name(),
        pid: std::process::id(),
        message,
    };
    let mut up = stream.try_clone()?;
    wire::send(&mut up, &Up::Hello(hello))?;
    let guard = Screen::enter()?;
    connect_input(up);
    watch_signals();
    let mut down = io::BufReader::new(stream);
    let mut shown = false;
    let ended = loop {
        match wire::recv::<_, Down>(&mut down) {
            Ok(Some(Down::Frame(bytes))) => {
                shown = true;
                // locked for the one write only: the signal thread needs
                // standard output to restore the terminal.
                // A closed terminal: the signal that ends this process follows
                let mut out = io::stdout().lock();
                let _ = out.write_all(&bytes).and_then(|_| out.flush());
            }
            Ok(Some(Down::Bye(b))) => break Attached::Closed(b),
            Ok(Some(Down::Refused(why))) => break Attached::Refused(why),
            Ok(Some(_)) => {}
            Ok(None) | Err(_) if !shown => break Attached::Missed,
            Ok(None) | Err(_) => break Attached::Gone,
        }
    };
    disconnect_input();
    drop(guard);
    Ok(ended)
}

/// Runs a command line on the server's store, printing what it prints and
/// answering what it asks with `ask`. `None`: no server answers.
pub fn exec(
    dir: &Path,
    argv: Vec<String>,
    env: Vec<(String, String)>,
    ask: &mut dyn FnMut(&str, bool) -> Option<String>,
) -> io::Result<Option<Result<i32, Attached>>> {
    let Some(stream) = connect(dir) else { return Ok(None) };
    let cwd = std::env::current_dir()?.to_string_lossy().into_owned();
    let mut up = stream.try_clone()?;
    wire::send(&mut up, &Up::Exec(Exec { version: wire::VERSION, argv, cwd, env }))?;
    let mut down = io::BufReader::new(stream);
    loop {
        match wire::recv::<_, Down>(&mut down) {
            Ok(Some(Down::Out(b))) => {
                let mut o = io::stdout().lock();
                let _ = o.write_all(&b).and_then(|_| o.flush());
            }
            Ok(Some(Down::Err(b))) => {
                let mut e = io::stderr().lock();
                let _ = e.write_all(&b).and_then(|_| e.flush());
            }
            Ok(Some(Down::Ask { prompt, secret })) => {
                let answer = ask(&prompt, secret);
                wire::send(&mut up, &Up::Answer(answer))?;
            }
            Ok(Some(Down::Exit(code))) => return Ok(Some(Ok(code))),
            Ok(Some(Down::Refused(why))) => return Ok(Some(Err(Attached::Refused(why)))),
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => return Ok(Some(Err(Attached::Gone))),
        }
    }
}

/// Who is connected; `None`: no server answers (nobody is on).
pub fn who(dir: &Path) -> io::Result<Option<Vec<WhoRow>>> {
    let Some(stream) = connect(dir) else { return Ok(None) };
    let mut up = stream.try_clone()?;
    wire::send(&mut up, &Up::Who)?;
    let mut down = io::BufReader::new(stream);
    match wire::recv::<_, Down>(&mut down)? {
        Some(Down::Who(rows)) => Ok(Some(rows)),
        _ => Ok(Some(Vec::new())),
    }
}

/// This terminal as `linli who` names it: the SSH peer's address, else
/// the terminal device.
fn terminal_name() -> String {
    #[cfg(windows)]
    let tty = String::from("console");
    #[cfg(unix)]
    let tty = {
        // SAFETY: ttyname on standard input returns a static buffer or null.
        let p = unsafe { libc::ttyname(0) };
        if p.is_null() {
            String::from("-")
        } else {
            // SAFETY: non-null, NUL-terminated, read at once.
            let s = unsafe { std::ffi::CStr::from_ptr(p) }.to_string_lossy().into_owned();
            s.trim_start_matches("/dev/").to_string()
        }
    };
    match std::env::var("SSH_CLIENT").ok().and_then(|s| s.split_whitespace().next().map(str::to_string)) {
        Some(peer) => format!("{tty} ssh {peer}"),
        None => tty,
    }
}

/// The terminal in raw mode on the alternate screen, restored when dropped
/// (and by the panic hook).
struct Screen;

impl Screen {
    fn enter() -> io::Result<Screen> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            crate::ui::restore_quietly();
            previous(info);
        }));
        enable_raw_mode()?;
        let s = Screen;
        execute!(io::stdout(), EnterAlternateScreen)?;
        let _ = execute!(io::stdout(), EnableBracketedPaste);
        Ok(s)
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = execute!(io::stdout(), DisableBracketedPaste);
        crate::ui::restore_quietly();
    }
}

/// Where the terminal's events go: the current session's socket. One
/// reading thread for the whole process (a thread blocked in `event::read`
/// cannot be stopped, and a second one would race it for keys).
static INPUT: Mutex<Option<Stream>> = Mutex::new(None);
static INPUT_THREAD: std::sync::Once = std::sync::Once::new();

fn connect_input(up: Stream) {
    if let Ok(mut g) = INPUT.lock() {
        *g = Some(up);
    }
    INPUT_THREAD.call_once(|| {
        std::thread::spawn(|| {
            while let Ok(ev) = event::read() {
                // a Windows console reports every key's release too: the
                // app ignores them, so they need not cross the socket
                if matches!(&ev, event::Event::Key(k) if k.kind == event::KeyEventKind::Release) {
                    continue;
                }
                let Ok(mut g) = INPUT.lock() else { return };
                if let Some(s) = g.as_mut()
                    && wire::send(s, &Up::Event(ev)).is_err()
                {
                    *g = None;
                }
            }
        });
    });
}

fn disconnect_input() {
    if let Ok(mut g) = INPUT.lock() {
        *g = None;
    }
}

#[cfg(unix)]
static SIGNALS: std::sync::Once = std::sync::Once::new();

/// The signals that end a program (the window closed, `kill`) restore the
/// terminal and end this client; the server sees the connection close and
/// goes on for the others. (They are held by `ui::hold_exit_signals`.)
#[cfg(unix)]
fn watch_signals() {
    SIGNALS.call_once(|| {
        std::thread::spawn(|| {
            let set = crate::ui::exit_signal_set();
            let mut sig: libc::c_int = 0;
            // SAFETY: `set` and `sig` live on this stack.
            if unsafe { libc::sigwait(&set, &mut sig) } == 0 {
                // the terminal is gone after a hangup: nothing to restore
                if sig != libc::SIGHUP {
                    let _ = execute!(io::stdout(), DisableBracketedPaste);
                    crate::ui::restore_quietly();
                }
                // SAFETY: ends the process at once, without running exit
                // handlers that could wait on a lock another thread holds
                unsafe { libc::_exit(128 + sig) };
            }
        });
    });
}

/// A Windows console closed ends the process (and the connection with it);
/// Ctrl+C in raw mode is a key like any other.
#[cfg(not(unix))]
fn watch_signals() {}
