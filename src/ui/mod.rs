//! The terminal front end: a synchronous loop that blocks on the next event
//! (no polling, no CPU while idle), then updates state and redraws.

pub mod app;
pub mod audit;
pub mod data;
pub mod duties;
pub mod header;
pub mod keymap;
pub mod layers;
pub mod operator;
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
            let _ = execute!(stdout(), DisableBracketedPaste);
            ratatui::restore();
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
        let _ = execute!(stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
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
            while let Ok(ev) = event::read() {
                let mut ev = AppEvent::Term(ev);
                // between two runs there is no receiver for a moment: keep
                // the key for the next one
                loop {
                    let tx = INPUT.lock().ok().and_then(|g| g.clone());
                    let Some(tx) = tx else { return };
                    match tx.send(ev) {
                        Ok(()) => break,
                        Err(mpsc::SendError(back)) => ev = back,
                    }
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
            }
        });
    });
}

/// Runs the app until the user quits. Returns whether the user asked to
/// open the demo data instead.
pub fn run(app: App) -> anyhow::Result<bool> {
    Ok(run_full(app)?.0)
}

/// Runs the app until the user quits. Returns whether the user asked for
/// the demo data, and the restore the user confirmed (the caller closes the
/// store, restores and starts again).
pub fn run_full(mut app: App) -> anyhow::Result<(bool, Option<data::RestoreRequest>)> {
    let (mut terminal, _guard) = TerminalGuard::enter()?;
    let (tx, rx) = mpsc::channel::<AppEvent>();
    app.sh.data.tx = Some(tx.clone());
    connect_input(tx.clone());
    // The full lists load in the background while the first frame shows;
    // the roster and the daily log when first opened (`Panel::shown`).
    app.sh.events = Some(tx.clone());
    let store = app.sh.store.clone();
    std::thread::spawn(move || {
        let msg = match Loaded::read(&store) {
            Ok(l) => AppEvent::Loaded(Box::new(l)),
            Err(e) => AppEvent::LoadFailed(e),
        };
        let _ = tx.send(msg);
    });
    loop {
        term::draw(&mut terminal, |f| app.draw(f))?;
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
    app.save_index();
    Ok((app.sh.open_demo, app.sh.data.restore.take()))
}
