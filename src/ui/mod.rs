//! The terminal front end: a synchronous loop that blocks on the next event
//! (no polling, no CPU while idle), then updates state and redraws.

pub mod app;
pub mod audit;
pub mod burst;
pub mod colleagues;
pub mod data;
pub mod duties;
pub mod header;
pub mod keymap;
pub mod layers;
pub mod operator;
pub mod overview;
pub mod panel;
pub mod requests;
pub mod residents;
pub mod shared;
pub mod term;
pub mod text;
pub mod theme;
pub mod undo;
pub mod volunteers;
pub mod widgets;

use app::{App, AppEvent, Loaded};
use ratatui::Terminal;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::layout::{Position, Rect};
use std::io::{BufWriter, Stdout, stdout};
use std::sync::mpsc;
use term::LeanBackend;

/// The terminal the app draws on. A frame is written in one go when it is
/// flushed (one write, one SSH packet for a key's answer).
pub type Screen = Terminal<LeanBackend<BufWriter<Stdout>>>;

/// Restores the terminal when dropped: on quit, on `?`-propagated errors,
/// and (through the panic hook) on panic.
pub struct TerminalGuard;

impl TerminalGuard {
    pub fn enter() -> std::io::Result<(Screen, TerminalGuard)> {
        // as `ratatui::try_init`, with linli's backend: the hook restores
        // raw mode and the screen, and turns bracketed paste off first, so
        // a panic leaves nothing behind
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_quietly();
            previous(info);
        }));
        enable_raw_mode()?;
        let guard = TerminalGuard;
        execute!(stdout(), EnterAlternateScreen)?;
        let _ = execute!(stdout(), EnableBracketedPaste);
        let size = ratatui::crossterm::terminal::size()?;
        let area = Rect::from((Position::ORIGIN, ratatui::layout::Size::from(size)));
        let terminal = Terminal::new(LeanBackend::new(BufWriter::with_capacity(1 << 16, stdout()), area))?;
        Ok((terminal, guard))
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_quietly();
    }
}

/// As `ratatui::restore`, without its message on failure: after the
/// terminal window is closed every write fails, and a message on a closed
/// terminal would panic.
pub fn restore_quietly() {
    use ratatui::crossterm::cursor::Show;
    use ratatui::crossterm::terminal::{LeaveAlternateScreen, disable_raw_mode};
    let _ = execute!(stdout(), DisableBracketedPaste);
    let _ = disable_raw_mode();
    let _ = execute!(stdout(), LeaveAlternateScreen, Show);
}

/// Keeps the signals that end a program (the terminal window closed,
/// a logout, `kill`) from ending the app at once: the calling thread and
/// every thread it starts afterwards block them, and the app's signal
/// thread (see [`run_full`]) turns them into an event, so that the app
/// saves its search index and the day's snapshot, and restores the
/// terminal, before it exits. Call first thing, before any thread starts.
#[cfg(unix)]
pub fn hold_exit_signals() {
    let set = exit_signal_set();
    // SAFETY: a filled signal set, applied to this thread.
    unsafe {
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// The signals that end a program (a closed window, `kill`, Ctrl+C, Ctrl+\),
/// as one set: held by every thread, waited for by one (the app's, the
/// store server's, a client's).
#[cfg(unix)]
pub fn exit_signal_set() -> libc::sigset_t {
    // SAFETY: a signal set on the stack, emptied, then filled.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for sig in EXIT_SIGNALS {
            libc::sigaddset(&mut set, sig);
        }
        set
    }
}

#[cfg(not(unix))]
pub fn hold_exit_signals() {}

#[cfg(unix)]
const EXIT_SIGNALS: [libc::c_int; 4] = [libc::SIGHUP, libc::SIGTERM, libc::SIGINT, libc::SIGQUIT];

#[cfg(unix)]
static SIGNAL_THREAD: std::sync::Once = std::sync::Once::new();

/// Waits for the held signals and hands each to the running app.
fn connect_signals() {
    #[cfg(unix)]
    SIGNAL_THREAD.call_once(|| {
        std::thread::spawn(|| {
            let set = exit_signal_set();
            loop {
                let mut sig: libc::c_int = 0;
                // SAFETY: `set` and `sig` live on this stack.
                if unsafe { libc::sigwait(&set, &mut sig) } != 0 {
                    return;
                }
                let tx = INPUT.lock().ok().and_then(|g| g.clone());
                match tx {
                    Some(tx) if tx.send(AppEvent::Signal(sig)).is_ok() => {}
                    // no app to tell: end as the signal would have
                    _ => std::process::exit(128 + sig),
                }
            }
        });
    });
}

/// Where the input thread sends the terminal's events: the running app's
/// channel. One thread for the whole process, because a thread blocked in
/// `event::read` cannot be stopped: a second one (after a restore or on
/// opening the demo) would race it for keys.
static INPUT: std::sync::Mutex<Option<mpsc::Sender<AppEvent>>> = std::sync::Mutex::new(None);
static INPUT_THREAD: std::sync::Once = std::sync::Once::new();

fn connect_input(tx: mpsc::Sender<AppEvent>) {
    if let Ok(mut g) = INPUT.lock() {
        *g = Some(tx);
    }
    INPUT_THREAD.call_once(|| {
        std::thread::spawn(|| {
            while let Ok(first) = event::read() {
                let mut batch = vec![first];
                // The Windows console has no bracketed paste: a paste is keys,
                // all waiting at once (see `burst`). Elsewhere a paste comes
                // as one `Event::Paste` and keys are taken as they come.
                if cfg!(windows) {
                    while batch.len() < MAX_BATCH && matches!(event::poll(std::time::Duration::ZERO), Ok(true)) {
                        match event::read() {
                            Ok(ev) => batch.push(ev),
                            Err(_) => break,
                        }
                    }
                }
                for ev in burst::coalesce(batch) {
                    if !send_input(AppEvent::Term(ev)) {
                        return;
                    }
                }
            }
        });
    });
}

/// The most events read at once: a long paste comes in batches this size.
const MAX_BATCH: usize = 4096;

/// Hands an event to the running app; false when there will be none.
fn send_input(mut ev: AppEvent) -> bool {
    // between two runs there is no receiver for a moment: keep the key for
    // the next one
    loop {
        let tx = INPUT.lock().ok().and_then(|g| g.clone());
        let Some(tx) = tx else { return false };
        match tx.send(ev) {
            Ok(()) => return true,
            Err(mpsc::SendError(back)) => ev = back,
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Runs the app until the user quits. Returns whether the user asked to
/// open the demo data instead.
pub fn run(app: App) -> anyhow::Result<bool> {
    Ok(run_full(app)?.demo)
}

/// How the app ended.
pub struct Closed {
    /// The user asked for the demo data.
    pub demo: bool,
    /// The restore the user confirmed (the caller closes the store,
    /// restores and starts again).
    pub restore: Option<data::RestoreRequest>,
    /// A signal ended it (the terminal window closed, a logout): the
    /// terminal may be gone.
    pub signal: Option<i32>,
}

/// The app ends (a signal, the terminal gone) while an undo runs on a
/// thread: it is let finish, and what it wrote brought into the index
/// before the index is saved (each chunk is on disk already; the index
/// saved must be the store's content).
fn let_undo_finish(app: &mut App, rx: &mpsc::Receiver<AppEvent>) {
    while app.sh.undoing.is_some() {
        match rx.recv() {
            Ok(ev @ AppEvent::Undo(_)) => app.handle(ev),
            Ok(_) => {}
            Err(_) => break,
        }
    }
}

/// Runs the app until the user quits or a signal ends it; the search index
/// is saved either way.
pub fn run_full(mut app: App) -> anyhow::Result<Closed> {
    let (mut terminal, guard) = TerminalGuard::enter()?;
    let (tx, rx) = mpsc::channel::<AppEvent>();
    app.sh.data.tx = Some(tx.clone());
    connect_input(tx.clone());
    connect_signals();
    // The full lists load in the background while the first frame shows;
    // the roster and the daily log when first opened (`Panel::shown`).
    app.sh.events = Some(tx.clone());
    let store = app.sh.store.clone();
    // the saved index, if already read and decoded while the store opened
    // (as it mostly is: sled's opening takes longer): the first frame
    // shows the loaded list, no loader thread, no second frame (issue 19zc)
    if let Some((index, later)) = crate::store::index_cache::ready(&store) {
        app.handle(AppEvent::Loaded(Box::new(Loaded { index, from_snapshot: true }), Some(Box::new(later))));
    } else {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let msg = match Loaded::read_later(&store) {
                Ok((l, later)) => AppEvent::Loaded(Box::new(l), later.map(Box::new)),
                Err(e) => AppEvent::LoadFailed(e),
            };
            let _ = tx.send(msg);
        });
    }
    loop {
        if let Err(e) = term::draw(&mut terminal, |f| app.draw(f)) {
            // the terminal is gone (its window closed before the signal
            // arrived): save what can be saved
            let_undo_finish(&mut app, &rx);
            app.save_index();
            return Err(e.into());
        }
        // the loaded list is on the screen: the saved index's lists now
        // (before, their inflating took a core from that frame)
        if let Some(later) = app.later_lists.take() {
            let tx = tx.clone();
            std::thread::spawn(move || {
                let _ = tx.send(AppEvent::Lists(Box::new(later.inflate())));
            });
        }
        // Test builds only: lets the pseudo-terminal test prove that a
        // panic inside the loop still restores the terminal.
        #[cfg(debug_assertions)]
        if std::env::var_os("LINLI_TEST_PANIC").is_some() {
            panic!("LINLI_TEST_PANIC: deliberate panic after the first frame");
        }
        let Ok(ev) = rx.recv() else { break };
        app.handle(ev);
        // Handle whatever else is queued (a fast typist, a paste) before
        // drawing again.
        while let Ok(ev) = rx.try_recv() {
            app.handle(ev);
            if app.sh.quit {
                break;
            }
        }
        if app.sh.quit {
            break;
        }
    }
    // the terminal first: the index takes a moment on a large store
    drop(guard);
    drop(terminal);
    let_undo_finish(&mut app, &rx);
    app.save_index();
    Ok(Closed { demo: app.sh.open_demo, restore: app.sh.data.restore.take(), signal: app.sh.signal })
}
