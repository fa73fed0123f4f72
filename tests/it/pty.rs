//! Pseudo-terminal harness for end-to-end tests of a full-screen TUI.
//!
//! The program runs on the slave side of a real pty (via `portable-pty`);
//! a background thread drains the master side continuously (so the child
//! never blocks on a full pty buffer), keeps a raw byte log and feeds a
//! `vt100::Parser`, which models what a terminal would show. Tests type
//! into the master and wait for conditions on the emulated screen.
//!
//! Waiting is by condition (a `Condvar` signalled by the reader thread on
//! every chunk of output), never by fixed sleeps. Every wait has a deadline
//! (default 20 s, see [`Pty::set_deadline`]); on timeout it panics with what
//! it waited for, the full current screen and the tail of the raw output.
//! A wait also fails fast when the program's output has ended (it exited)
//! and the condition does not hold on the final screen.
//!
//! Behaviours worth knowing:
//! - **Settling.** Programs write a frame in several `write`s (Rust's stdout
//!   is a `LineWriter`), so a needle can be visible while the rest of the
//!   frame is still in flight. When a wait's condition holds, the wait goes
//!   on until the output has been quiet for a short *settle* time (default
//!   30 ms, at most 1 s in all, see [`Pty::set_settle`]) and returns that
//!   settled screen (or the screen at the match if the condition no longer
//!   holds after settling).
//! - **Lone Esc.** crossterm reads `ESC` followed by more bytes in the same
//!   `read` as Alt+key (or, for `ESC ESC`, as a single Esc). So after sending
//!   a lone `ESC` ([`Key::Esc`]), the *next* send is held back until 150 ms
//!   have passed since the Esc. Normally a test waits for the Esc's effect in
//!   between anyway, and then this costs nothing.
//! - **Terminal queries are answered.** Like a real terminal, the reader
//!   thread answers cursor position requests (`ESC[6n` → `ESC[row;colR`,
//!   from the emulated cursor) and primary device attributes (`ESC[c` →
//!   `ESC[?1;2c`), so `crossterm::cursor::position()` and
//!   `supports_keyboard_enhancement()` (answered "no") return at once
//!   instead of timing out after 2 s. The kitty keyboard query `ESC[?u` is
//!   not answered.
//! - **Environment.** The child gets an empty environment plus `PATH` and
//!   `HOME` from the test process, `TERM=xterm-256color`, and then
//!   `PtyOptions::env` (which may override any of them). portable-pty also
//!   sets `SHELL`. Nothing else leaks in (no `LANG`, `NO_COLOR`, …).
//! - **Working directory.** `cwd: None` means the test process's current
//!   directory (portable-pty itself would default to `$HOME`).
//! - **Terminal mode check.** portable-pty 0.9 offers
//!   `MasterPty::get_termios()` on unix, a `nix::sys::termios::Termios`
//!   read with `tcgetattr` on the master fd, which on Linux reports the
//!   pty's (i.e. the slave's) line discipline settings and still works after
//!   the child has exited and the slave side is closed. `nix` is not
//!   nameable without depending on it, so the flag bits are read through
//!   `local_flags.bits()` and compared with the platform's `ICANON`/`ECHO`
//!   values. The termios is also compared with the one captured right after
//!   `openpty`, before the child ran. See [`Pty::terminal_mode`].

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// Default deadline of every wait (generous: CI machines are slow).
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(20);
/// Default quiet time a wait lets the output settle after its condition holds.
pub const DEFAULT_SETTLE: Duration = Duration::from_millis(30);
/// Upper bound on the settling of one wait (for programs that never go quiet).
const MAX_SETTLE: Duration = Duration::from_secs(1);
/// How long the next send is held back after a lone ESC.
const ESC_GUARD: Duration = Duration::from_millis(150);
/// After the child exited, how long to wait for the reader to hit EOF (it
/// will not if a grandchild keeps the slave side open).
const EOF_GRACE: Duration = Duration::from_secs(2);

/// A key press, encoded as xterm sends it (normal cursor-key mode, which is
/// what crossterm apps run in; crossterm also accepts the `ESC O` forms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// `\r`
    Enter,
    /// A lone `ESC` (see the module docs about the guard that follows it).
    Esc,
    /// `\t`
    Tab,
    /// Shift+Tab: `ESC[Z`
    BackTab,
    Up,
    Down,
    Left,
    Right,
    /// DEL (0x7f), xterm's default for the Backspace key.
    Backspace,
    /// `ESC[3~`
    Delete,
    /// `ESC[2~`
    Insert,
    /// `ESC[H`
    Home,
    /// `ESC[F`
    End,
    /// `ESC[5~`
    PageUp,
    /// `ESC[6~`
    PageDown,
    /// F1..=F12; anything else panics.
    F(u8),
    /// Ctrl+letter (case-insensitive) or Ctrl+one of `@ [ \ ] ^ _` and space.
    /// Note the C0 aliases: Ctrl('i') is Tab, Ctrl('m') is Enter,
    /// Ctrl('[') is Esc.
    Ctrl(char),
    /// Alt+char: `ESC` followed by the char.
    Alt(char),
    /// A character as typed (UTF-8).
    Char(char),
}

impl Key {
    /// The bytes a terminal sends for this key.
    #[track_caller]
    pub fn bytes(self) -> Vec<u8> {
        let s: &[u8] = match self {
            Key::Enter => b"\r",
            Key::Esc => b"\x1b",
            Key::Tab => b"\t",
            Key::BackTab => b"\x1b[Z",
            Key::Up => b"\x1b[A",
            Key::Down => b"\x1b[B",
            Key::Right => b"\x1b[C",
            Key::Left => b"\x1b[D",
            Key::Backspace => b"\x7f",
            Key::Delete => b"\x1b[3~",
            Key::Insert => b"\x1b[2~",
            Key::Home => b"\x1b[H",
            Key::End => b"\x1b[F",
            Key::PageUp => b"\x1b[5~",
            Key::PageDown => b"\x1b[6~",
            Key::F(n) => match n {
                1 => b"\x1bOP",
                2 => b"\x1bOQ",
                3 => b"\x1bOR",
                4 => b"\x1bOS",
                5 => b"\x1b[15~",
                6 => b"\x1b[17~",
                7 => b"\x1b[18~",
                8 => b"\x1b[19~",
                9 => b"\x1b[20~",
                10 => b"\x1b[21~",
                11 => b"\x1b[23~",
                12 => b"\x1b[24~",
                _ => panic!("pty: Key::F({n}) is not supported (F1..=F12 only)"),
            },
            Key::Ctrl(c) => {
                let b = match c {
                    'a'..='z' => c as u8 - b'a' + 1,
                    'A'..='Z' => c as u8 - b'A' + 1,
                    '@' | ' ' => 0,
                    '[' => 0x1b,
                    '\\' => 0x1c,
                    ']' => 0x1d,
                    '^' => 0x1e,
                    '_' => 0x1f,
                    _ => panic!("pty: Key::Ctrl({c:?}) has no control code"),
                };
                return vec![b];
            }
            Key::Alt(c) => {
                let mut v = vec![0x1b];
                v.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                return v;
            }
            Key::Char(c) => return c.encode_utf8(&mut [0; 4]).as_bytes().to_vec(),
        };
        s.to_vec()
    }
}

/// How to start the program. `PtyOptions::default()` is 80x24, no extra
/// env, no args, the test process's current directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PtyOptions {
    pub cols: u16,
    pub rows: u16,
    /// Added after `PATH`, `HOME` and `TERM`; may override them.
    pub env: Vec<(String, String)>,
    pub args: Vec<String>,
    /// `None`: the test process's current directory.
    pub cwd: Option<PathBuf>,
}

impl Default for PtyOptions {
    fn default() -> Self {
        PtyOptions { cols: 80, rows: 24, env: Vec::new(), args: Vec::new(), cwd: None }
    }
}

impl PtyOptions {
    pub fn with_size(mut self, cols: u16, rows: u16) -> Self {
        self.cols = cols;
        self.rows = rows;
        self
    }

    pub fn with_env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn with_arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn with_cwd(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cwd = Some(dir.into());
        self
    }
}

/// How the child ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitStatusInfo {
    /// The exit code (portable-pty reports 1 when killed by a signal).
    pub code: u32,
    /// Exited with code 0 and not by a signal.
    pub success: bool,
    /// The signal's description (e.g. "Killed") if it died by a signal.
    pub signal: Option<String>,
}

impl From<portable_pty::ExitStatus> for ExitStatusInfo {
    fn from(s: portable_pty::ExitStatus) -> Self {
        ExitStatusInfo { code: s.exit_code(), success: s.success(), signal: s.signal().map(str::to_owned) }
    }
}

/// The terminal state a program leaves behind; see [`Pty::terminal_mode`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalMode {
    /// ICANON is set (line editing on, i.e. not in raw mode).
    /// `None` if the termios could not be read.
    pub canonical: Option<bool>,
    /// ECHO is set.
    pub echo: Option<bool>,
    /// The whole termios equals the one captured before the child started.
    pub termios_as_at_spawn: Option<bool>,
    /// Still on the alternate screen (per the vt100 emulation).
    pub alternate_screen: bool,
    /// Cursor still hidden.
    pub cursor_hidden: bool,
    /// Bracketed paste still enabled.
    pub bracketed_paste: bool,
    /// Some mouse reporting mode still enabled.
    pub mouse_reporting: bool,
}

impl TerminalMode {
    /// ICANON and ECHO back on, alternate screen left, cursor visible.
    /// (Bracketed paste / mouse reporting are reported but not required;
    /// assert on those fields if the app enables them.)
    pub fn is_sane(&self) -> bool {
        self.canonical == Some(true) && self.echo == Some(true) && !self.alternate_screen && !self.cursor_hidden
    }
}

struct Term {
    parser: vt100::Parser,
    raw: Vec<u8>,
    last_output: Instant,
    eof: bool,
    read_error: Option<String>,
}

struct Shared {
    term: Mutex<Term>,
    changed: Condvar,
}

type Writer = Arc<Mutex<Box<dyn Write + Send>>>;

/// Locks, ignoring poisoning (a panicking test must not make Drop panic).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A program running on a pseudo-terminal, with an emulated screen.
pub struct Pty {
    program: PathBuf,
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Writer,
    shared: Arc<Shared>,
    initial_termios: Option<String>,
    exit: Option<ExitStatusInfo>,
    deadline: Duration,
    settle: Duration,
    last_lone_esc: Option<Instant>,
}

impl Pty {
    /// Starts `program` on a new pty. Panics with a clear message on failure.
    #[track_caller]
    pub fn spawn(program: &Path, opts: PtyOptions) -> Pty {
        assert!(opts.cols > 0 && opts.rows > 0, "pty: size must be non-zero, got {}x{}", opts.cols, opts.rows);
        let pair = native_pty_system()
            .openpty(PtySize { rows: opts.rows, cols: opts.cols, pixel_width: 0, pixel_height: 0 })
            .unwrap_or_else(|e| panic!("pty: openpty failed: {e:#}"));
        let initial_termios = termios_snapshot(&*pair.master);

        let mut cmd = CommandBuilder::new(program);
        cmd.args(&opts.args);
        cmd.env_clear();
        for key in ["PATH", "HOME"] {
            if let Some(v) = std::env::var_os(key) {
                cmd.env(key, v);
            }
        }
        cmd.env("TERM", "xterm-256color");
        // one process owning the store, as the tests before the store
        // server were written for; a test of the server sets LINLI_ALONE=0
        cmd.env("LINLI_ALONE", "1");
        for (k, v) in &opts.env {
            cmd.env(k, v);
        }
        let cwd = match opts.cwd {
            Some(dir) => {
                // portable-pty silently falls back to $HOME for a bad cwd.
                assert!(dir.is_dir(), "pty: cwd {} is not a directory", dir.display());
                dir
            }
            None => std::env::current_dir().expect("pty: no current directory"),
        };
        cmd.cwd(&cwd);

        let child = match pair.slave.spawn_command(cmd) {
            Ok(child) => child,
            Err(e) => {
                panic!("pty: cannot start {} (args {:?}, cwd {}): {e:#}", program.display(), opts.args, cwd.display())
            }
        };
        // Close our copy of the slave so the reader sees EOF once the child
        // (and anything it spawned) has exited.
        drop(pair.slave);

        let reader =
            pair.master.try_clone_reader().unwrap_or_else(|e| panic!("pty: cannot clone the master reader: {e:#}"));
        let writer: Writer = Arc::new(Mutex::new(
            pair.master.take_writer().unwrap_or_else(|e| panic!("pty: cannot take the master writer: {e:#}")),
        ));
        let rows = std::num::NonZeroU16::new(opts.rows).expect("checked above");
        let cols = std::num::NonZeroU16::new(opts.cols).expect("checked above");
        let shared = Arc::new(Shared {
            term: Mutex::new(Term {
                parser: vt100::Parser::new(rows, cols, 0),
                raw: Vec::new(),
                last_output: Instant::now(),
                eof: false,
                read_error: None,
            }),
            changed: Condvar::new(),
        });
        {
            let shared = Arc::clone(&shared);
            let writer = Arc::clone(&writer);
            thread::Builder::new()
                .name("pty-reader".into())
                .spawn(move || reader_loop(reader, &shared, &writer))
                .expect("pty: cannot start the reader thread");
        }

        Pty {
            program: program.to_path_buf(),
            child,
            master: pair.master,
            writer,
            shared,
            initial_termios,
            exit: None,
            deadline: DEFAULT_DEADLINE,
            settle: DEFAULT_SETTLE,
            last_lone_esc: None,
        }
    }

    /// Sets the deadline of every later wait (default [`DEFAULT_DEADLINE`]).
    pub fn set_deadline(&mut self, deadline: Duration) {
        self.deadline = deadline;
    }

    /// Sets the quiet time a wait lets the output settle once its condition
    /// holds (default [`DEFAULT_SETTLE`]; `Duration::ZERO` returns at once).
    pub fn set_settle(&mut self, settle: Duration) {
        self.settle = settle;
    }

    /// Writes raw bytes to the program's input.
    #[track_caller]
    pub fn send(&mut self, bytes: &[u8]) {
        if let Some(at) = self.last_lone_esc.take() {
            let since = at.elapsed();
            if since < ESC_GUARD {
                thread::sleep(ESC_GUARD - since);
            }
        }
        let written = {
            let mut w = lock(&self.writer);
            w.write_all(bytes).and_then(|()| w.flush())
        };
        if let Err(e) = written {
            panic!("pty: writing {bytes:?} to the program failed: {e}");
        }
        if bytes == b"\x1b" {
            self.last_lone_esc = Some(Instant::now());
        }
    }

    /// Types UTF-8 text in one burst, as a terminal delivers typed or
    /// IME-committed text (Chinese included).
    #[track_caller]
    pub fn type_text(&mut self, s: &str) {
        self.send(s.as_bytes());
    }

    /// Presses a key.
    #[track_caller]
    pub fn key(&mut self, k: Key) {
        self.send(&k.bytes());
    }

    /// Pastes text with bracketed paste (`ESC[200~` … `ESC[201~`). Sent
    /// whether or not the program enabled bracketed paste.
    #[track_caller]
    pub fn paste(&mut self, s: &str) {
        let mut v = Vec::with_capacity(s.len() + 12);
        v.extend_from_slice(b"\x1b[200~");
        v.extend_from_slice(s.as_bytes());
        v.extend_from_slice(b"\x1b[201~");
        self.send(&v);
    }

    /// Resizes the pty (the program gets SIGWINCH) and the emulated screen.
    #[track_caller]
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let (Some(r), Some(c)) = (std::num::NonZeroU16::new(rows), std::num::NonZeroU16::new(cols)) else {
            panic!("pty: size must be non-zero, got {cols}x{rows}");
        };
        // Hold the lock so the program's redraw is parsed at the new size.
        let mut term = lock(&self.shared.term);
        term.parser.set_size(r, c);
        self.master
            .resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .unwrap_or_else(|e| panic!("pty: resize to {cols}x{rows} failed: {e:#}"));
    }

    /// The visible screen (the alternate screen while it is active): one
    /// line per row (always `rows` lines), joined by '\n', trailing spaces
    /// of each row trimmed. A wide character appears once.
    pub fn screen_text(&self) -> String {
        render(lock(&self.shared.term).parser.screen())
    }

    /// Runs `f` on the emulated screen (colors, attributes, cursor, modes).
    pub fn with_screen<R>(&self, f: impl FnOnce(&vt100::Screen) -> R) -> R {
        f(lock(&self.shared.term).parser.screen())
    }

    /// Blocks until the screen contains `needle`; returns the screen.
    ///
    /// Returns at once if the needle is already there: after a key press,
    /// wait for something the key *changes* (or use
    /// [`Pty::wait_output_since`]).
    #[track_caller]
    pub fn wait_for(&mut self, needle: &str) -> String {
        self.wait_core(&format!("the screen to contain {needle:?}"), &|t| render(t.parser.screen()).contains(needle))
    }

    /// Blocks until `pred(screen text)` holds; returns the screen. `what`
    /// describes the condition in the timeout message.
    #[track_caller]
    pub fn wait_until(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        self.wait_core(what, &|t| pred(&render(t.parser.screen())))
    }

    /// Blocks until the screen no longer contains `needle`; returns the screen.
    #[track_caller]
    pub fn wait_gone(&mut self, needle: &str) -> String {
        self.wait_core(&format!("the screen to no longer contain {needle:?}"), &|t| {
            !render(t.parser.screen()).contains(needle)
        })
    }

    /// Blocks until `pred` holds on the emulated screen itself (for
    /// conditions on colors/attributes/cursor, e.g. a moved highlight);
    /// returns the screen text.
    #[track_caller]
    pub fn wait_screen(&mut self, what: &str, pred: impl Fn(&vt100::Screen) -> bool) -> String {
        self.wait_core(what, &|t| pred(t.parser.screen()))
    }

    /// Blocks until the program has written more than `mark` bytes in all
    /// (take `mark` from [`Pty::bytes_written`] before sending input), and
    /// the output has settled; returns the screen. For input whose effect
    /// has no distinctive text.
    #[track_caller]
    pub fn wait_output_since(&mut self, mark: usize) -> String {
        self.wait_core(&format!("output beyond byte {mark}"), &|t| t.raw.len() > mark)
    }

    #[track_caller]
    fn wait_core(&mut self, what: &str, pred: &dyn Fn(&Term) -> bool) -> String {
        let start = Instant::now();
        let deadline = start + self.deadline;
        let mut term = lock(&self.shared.term);
        loop {
            if pred(&term) {
                let matched = render(term.parser.screen());
                let settle_end = deadline.min(Instant::now() + MAX_SETTLE);
                loop {
                    let quiet = term.last_output.elapsed();
                    let now = Instant::now();
                    if quiet >= self.settle || term.eof || now >= settle_end {
                        break;
                    }
                    let nap = (self.settle - quiet).min(settle_end - now);
                    term = self.shared.changed.wait_timeout(term, nap).unwrap_or_else(|e| e.into_inner()).0;
                }
                return if pred(&term) { render(term.parser.screen()) } else { matched };
            }
            let now = Instant::now();
            if term.eof || now >= deadline {
                let why = if term.eof {
                    format!(
                        "the program's output ended after {:.1?} (it exited{})",
                        start.elapsed(),
                        term.read_error.as_ref().map(|e| format!("; read error: {e}")).unwrap_or_default()
                    )
                } else {
                    format!("timed out after {:.1?}", self.deadline)
                };
                let report = report(&term);
                drop(term);
                let status = self.status_string();
                panic!("pty: {why} while waiting for {what}\nprogram: {status}\n{report}");
            }
            term = self
                .shared
                .changed
                .wait_timeout(term, (deadline - now).min(Duration::from_millis(100)))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Waits (within the deadline) for the program to exit, then for its
    /// remaining output to be read; returns how it ended.
    #[track_caller]
    pub fn wait_exit(&mut self) -> ExitStatusInfo {
        if let Some(s) = &self.exit {
            return s.clone();
        }
        let start = Instant::now();
        let deadline = start + self.deadline;
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(st)) => break ExitStatusInfo::from(st),
                Ok(None) => {}
                Err(e) => panic!("pty: waiting for {} failed: {e}", self.program.display()),
            }
            if Instant::now() >= deadline {
                let report = report(&lock(&self.shared.term));
                let status = self.status_string();
                panic!(
                    "pty: timed out after {:.1?} waiting for the program to exit\nprogram: {status}\n{report}",
                    self.deadline
                );
            }
            thread::sleep(Duration::from_millis(10));
        };
        self.exit = Some(status.clone());
        self.drain(Instant::now() + EOF_GRACE);
        status
    }

    /// SIGKILLs the program (no chance to restore the terminal) and reaps it.
    /// Does nothing if it already exited.
    pub fn kill(&mut self) {
        if self.exit.is_some() {
            return;
        }
        if let Some(st) = self.kill_and_reap() {
            self.exit = Some(st);
        }
        self.drain(Instant::now() + EOF_GRACE);
    }

    fn kill_and_reap(&mut self) -> Option<ExitStatusInfo> {
        if let Ok(Some(st)) = self.child.try_wait() {
            return Some(st.into());
        }
        // portable-pty's own `kill` sends SIGHUP first and SIGKILL only
        // after a grace period; std's sends SIGKILL right away.
        let child: &mut dyn Child = &mut *self.child;
        let _ = match child.downcast_mut::<std::process::Child>() {
            Some(c) => c.kill(),
            None => self.child.kill(),
        };
        self.child.wait().ok().map(ExitStatusInfo::from)
    }

    /// Waits until the reader hit EOF or `until`.
    fn drain(&self, until: Instant) {
        let mut term = lock(&self.shared.term);
        while !term.eof {
            let now = Instant::now();
            if now >= until {
                break;
            }
            term = self.shared.changed.wait_timeout(term, until - now).unwrap_or_else(|e| e.into_inner()).0;
        }
    }

    /// The program's process id.
    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    /// How the program ended, if it has (does not block).
    pub fn try_exit_status(&mut self) -> Option<ExitStatusInfo> {
        if self.exit.is_none()
            && let Ok(Some(st)) = self.child.try_wait()
        {
            self.exit = Some(st.into());
        }
        self.exit.clone()
    }

    /// Every byte the program wrote so far.
    pub fn raw_output(&self) -> Vec<u8> {
        lock(&self.shared.term).raw.clone()
    }

    /// How many bytes the program wrote so far.
    pub fn bytes_written(&self) -> usize {
        lock(&self.shared.term).raw.len()
    }

    /// The terminal state as the program left it: the pty's termios flags
    /// (read from the master) and the emulated screen's modes. Meant for
    /// after [`Pty::wait_exit`] / [`Pty::kill`] (which also let the last
    /// output be parsed).
    pub fn terminal_mode(&self) -> TerminalMode {
        let (canonical, echo) = match local_flags(&*self.master) {
            Some(bits) => (Some(bits & ICANON != 0), Some(bits & ECHO != 0)),
            None => (None, None),
        };
        let termios_as_at_spawn = match (&self.initial_termios, termios_snapshot(&*self.master)) {
            (Some(a), Some(b)) => Some(*a == b),
            _ => None,
        };
        let term = lock(&self.shared.term);
        let screen = term.parser.screen();
        TerminalMode {
            canonical,
            echo,
            termios_as_at_spawn,
            alternate_screen: screen.alternate_screen(),
            cursor_hidden: screen.hide_cursor(),
            bracketed_paste: screen.bracketed_paste(),
            mouse_reporting: screen.mouse_protocol_mode() != vt100::MouseProtocolMode::None,
        }
    }

    /// ICANON and ECHO are on (raw mode was undone), the alternate screen
    /// was left and the cursor is visible. See [`Pty::terminal_mode`].
    pub fn terminal_mode_is_sane(&self) -> bool {
        self.terminal_mode().is_sane()
    }

    fn status_string(&mut self) -> String {
        let pid = self.pid().map_or("?".to_owned(), |p| p.to_string());
        let state = match self.try_exit_status() {
            Some(st) => format!("exited: {st:?}"),
            None => "still running".to_owned(),
        };
        format!("{} (pid {pid}, {state})", self.program.display())
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if self.exit.is_none() {
            let _ = self.kill_and_reap();
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
const ICANON: u64 = 0o2;
#[cfg(any(target_os = "linux", target_os = "android"))]
const ECHO: u64 = 0o10;
// macOS and the BSDs.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const ICANON: u64 = 0x100;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const ECHO: u64 = 0x8;

/// The pty's `c_lflag`, via portable-pty's `get_termios` (a nix `Termios`,
/// whose flag types we cannot name without depending on nix).
#[cfg(unix)]
fn local_flags(master: &dyn MasterPty) -> Option<u64> {
    master.get_termios().map(|t| u64::from(t.local_flags.bits()))
}

#[cfg(not(unix))]
fn local_flags(_master: &dyn MasterPty) -> Option<u64> {
    None
}

/// The whole termios, as its Debug text (comparable, printable).
#[cfg(unix)]
fn termios_snapshot(master: &dyn MasterPty) -> Option<String> {
    master.get_termios().map(|t| format!("{t:?}"))
}

#[cfg(not(unix))]
fn termios_snapshot(_master: &dyn MasterPty) -> Option<String> {
    None
}

fn render(screen: &vt100::Screen) -> String {
    let (_, cols) = screen.size();
    let rows: Vec<String> = screen.rows(0, cols.get()).map(|r| r.trim_end_matches(' ').to_owned()).collect();
    rows.join("\n")
}

/// The screen with row numbers, plus the tail of the raw output.
fn report(term: &Term) -> String {
    let screen = term.parser.screen();
    let (rows, cols) = screen.size();
    let mut out = format!(
        "--- screen ({cols}x{rows}, cursor at row/col {:?}, alternate screen {}) ---\n",
        screen.cursor_position(),
        screen.alternate_screen()
    );
    for (i, line) in render(screen).lines().enumerate() {
        out.push_str(&format!("{i:>3}|{line}\n"));
    }
    let tail_start = term.raw.len().saturating_sub(400);
    out.push_str(&format!(
        "--- end of screen; {} bytes written; last {} bytes: {:?}",
        term.raw.len(),
        term.raw.len() - tail_start,
        String::from_utf8_lossy(&term.raw[tail_start..])
    ));
    out
}

/// Queries the reader answers, and how.
const QUERIES: [&[u8]; 3] = [b"\x1b[6n", b"\x1b[c", b"\x1b[0c"];
const MAX_QUERY_LEN: usize = 4;

fn reader_loop(mut reader: Box<dyn Read + Send>, shared: &Shared, writer: &Writer) {
    let mut buf = vec![0u8; 16 * 1024];
    // The last bytes of the previous chunk, to spot a query split across reads.
    let mut tail: Vec<u8> = Vec::new();
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let chunk = &buf[..n];
                let replies = {
                    let mut term = lock(&shared.term);
                    term.raw.extend_from_slice(chunk);
                    term.last_output = Instant::now();
                    feed(&mut term.parser, &tail, chunk)
                };
                shared.changed.notify_all();
                if !replies.is_empty() {
                    // From another thread: a test may be blocked writing a
                    // big paste while the program waits for this answer.
                    let writer = Arc::clone(writer);
                    thread::spawn(move || {
                        let mut w = lock(&writer);
                        let _ = w.write_all(&replies).and_then(|()| w.flush());
                    });
                }
                let mut window = std::mem::take(&mut tail);
                window.extend_from_slice(chunk);
                tail = window[window.len().saturating_sub(MAX_QUERY_LEN - 1)..].to_vec();
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                // EIO is how Linux reports that the slave side is closed.
                if e.raw_os_error() != Some(5) {
                    lock(&shared.term).read_error = Some(e.to_string());
                }
                break;
            }
        }
    }
    lock(&shared.term).eof = true;
    shared.changed.notify_all();
}

/// Feeds `chunk` to the parser, answering the queries in it as of the
/// point where each appears; returns the answers.
fn feed(parser: &mut vt100::Parser, tail: &[u8], chunk: &[u8]) -> Vec<u8> {
    let mut window = tail.to_vec();
    window.extend_from_slice(chunk);
    let mut replies = Vec::new();
    let mut done = 0; // bytes of `chunk` already fed
    for end in (tail.len() + 1)..=window.len() {
        let Some(q) = QUERIES.iter().find(|q| window[..end].ends_with(q)) else {
            continue;
        };
        let upto = end - tail.len();
        parser.process(&chunk[done..upto]);
        done = upto;
        if q[q.len() - 1] == b'n' {
            let (row, col) = parser.screen().cursor_position();
            replies.extend_from_slice(format!("\x1b[{};{}R", row + 1, col + 1).as_bytes());
        } else {
            replies.extend_from_slice(b"\x1b[?1;2c");
        }
    }
    parser.process(&chunk[done..]);
    replies
}
