//! A large undo (an import's rows) runs off the loop (issue 18): the loop
//! answers keys while it writes, a second undo, a redo and a quit are
//! refused meanwhile with a message, the outcome equals the inline undo's
//! (records, audit, the index, redo), and a colleague's save part-way
//! stops it with a clear message, what was written shown everywhere.
//!
//! The undo's thread is held before each chunk by a gate the test opens
//! (`Shared::undo_gate`): no sleeps, no timers.

use crate::support::*;
use linli::i18n::Lang;
use linli::store::audit::{AuditAction, AuditEntry};
use linli::store::undo::UNDO_CHUNK;
use linli::ui::app::{App, AppEvent};
use linli::ui::undo::UndoEvent;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

const ROWS: usize = 2500;

use crate::screens::key;

fn screen(app: &mut App) -> String {
    crate::screens::text(&crate::screens::draw(app, 80, 24))
}

fn ctrl(app: &mut App, c: char) {
    app.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

/// The office fixture, a small save (request 5's title), then an import
/// of `ROWS` residents through the data screen (inline): the app's undo
/// stack holds the two steps.
fn imported() -> (Fixture, App) {
    let f = Fixture::office();
    let sheet = f.dir.path().join("many.csv");
    let mut text = String::from("姓名,电话\n");
    for i in 0..ROWS {
        text += &format!("居民{i},139{i:08}\n");
    }
    std::fs::write(&sheet, text).unwrap();
    let mut app = f.app(Lang::Zh);
    // request 5's title: channel, category, then the title
    key(&mut app, KeyCode::Char('e'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::End);
    for c in "（改）".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    ctrl(&mut app, 's');
    assert!(app.layers.is_empty(), "{}", screen(&mut app));
    for c in "B4".chars().chain(sheet.display().to_string().chars()) {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('y'));
    app.layers.clear();
    assert_eq!(f.store.residents().unwrap().len(), 4 + ROWS);
    assert_eq!(app.sh.undo.len(), 2, "the save and the import");
    (f, app)
}

/// The loop's channel and a gate: the undo's thread waits before each
/// chunk until the test sends it a go.
fn off_loop(app: &mut App) -> (Receiver<AppEvent>, Sender<()>) {
    let (tx, rx) = channel();
    app.sh.events = Some(tx);
    let (go, wait) = channel::<()>();
    let wait = Mutex::new(wait);
    app.sh.undo_gate = Some(Arc::new(move |done, total| {
        if done < total {
            // (the test gone: its sender dropped, the undo goes on)
            let _ = wait.lock().unwrap().recv();
        }
    }));
    (rx, go)
}

/// Hands the thread's news to the app until it says it is done.
fn until_done(app: &mut App, rx: &Receiver<AppEvent>) {
    loop {
        let ev = rx.recv_timeout(std::time::Duration::from_secs(120)).expect("the undo's thread answers");
        let done = matches!(ev, AppEvent::Undo(UndoEvent::Done { .. }));
        app.handle(ev);
        if done {
            return;
        }
    }
}

fn undos(f: &Fixture) -> Vec<AuditEntry> {
    f.store.audit_entries(usize::MAX, |e| e.action == AuditAction::Undo).unwrap()
}

/// What the app shows of the residents (its index) equals what is stored.
fn index_agrees(f: &Fixture, app: &App) {
    assert_eq!(app.sh.index.residents().count(), f.store.residents().unwrap().len(), "the index follows the store");
}

#[test]
fn a_large_undo_runs_off_the_loop_which_answers_keys_meanwhile_and_ends_as_the_inline_undo() {
    let (f, mut app) = imported();
    // the same undo and redo, inline, on a second store made the same way
    let (g, mut inline) = imported();
    ctrl(&mut inline, 'z');
    let inline_undone = (g.store.residents().unwrap(), undos(&g), inline.sh.message.clone());
    let (rx, go) = off_loop(&mut app);

    ctrl(&mut app, 'z');
    let total = app.sh.undoing.map(|u| u.total);
    assert_eq!(total, Some(ROWS), "the import's step runs on a thread");
    assert_eq!(f.store.residents().unwrap().len(), 4 + ROWS, "held before its first chunk");
    let s = screen(&mut app);
    assert!(s.contains(&format!("正在撤销：0 / {ROWS} 条")), "{s}");

    // the loop answers: another panel, its screen drawn
    let was = app.panels.current;
    key(&mut app, KeyCode::Tab);
    assert_ne!(app.panels.current, was, "a key is handled while the undo runs");
    // a second undo, a redo, a quit: refused, saying why; the stacks stay
    ctrl(&mut app, 'z');
    let (msg, failed) = app.sh.message.clone().unwrap();
    assert!(failed && msg.contains("上一次撤销或重做还没有完成"), "{msg}");
    ctrl(&mut app, 'y');
    assert!(app.sh.message.as_ref().is_some_and(|(m, _)| m.contains("还没有完成")), "{:?}", app.sh.message);
    assert_eq!((app.sh.undo.len(), app.sh.redo.len()), (1, 0));
    key(&mut app, KeyCode::Char('q'));
    assert!(!app.sh.quit, "quitting waits for the undo");
    assert!(app.sh.message.as_ref().is_some_and(|(m, e)| *e && m.contains("完成后才能退出")), "{:?}", app.sh.message);

    // one chunk on: the footer says how far
    go.send(()).unwrap();
    let ev = rx.recv().unwrap();
    assert!(matches!(ev, AppEvent::Undo(UndoEvent::Progress(0, _))));
    app.handle(ev);
    let ev = rx.recv().unwrap();
    assert!(matches!(ev, AppEvent::Undo(UndoEvent::Progress(250, _))));
    app.handle(ev);
    app.sh.message = None;
    let s = screen(&mut app);
    assert!(s.contains(&format!("正在撤销：250 / {ROWS} 条")), "{s}");

    for _ in 0..ROWS / UNDO_CHUNK + 1 {
        let _ = go.send(());
    }
    until_done(&mut app, &rx);
    assert_eq!(app.sh.undoing, None);
    let undone = (f.store.residents().unwrap(), undos(&f), app.sh.message.clone());
    assert_eq!(undone, inline_undone, "records, audit and message as the inline undo's");
    assert_eq!(f.store.residents().unwrap().len(), 4);
    assert_eq!((app.sh.undo.len(), app.sh.redo.len()), (1, 1));
    index_agrees(&f, &app);

    // redo, on a thread too, as the inline redo
    ctrl(&mut inline, 'y');
    ctrl(&mut app, 'y');
    assert!(app.sh.undoing.is_some_and(|u| u.redo));
    for _ in 0..ROWS / UNDO_CHUNK + 1 {
        let _ = go.send(());
    }
    until_done(&mut app, &rx);
    assert_eq!(f.store.residents().unwrap(), g.store.residents().unwrap());
    assert_eq!(f.store.residents().unwrap().len(), 4 + ROWS);
    assert_eq!(undos(&f), undos(&g));
    assert_eq!(app.sh.message, inline.sh.message);
    assert!(app.sh.message.as_ref().is_some_and(|(m, e)| !e && m.starts_with("已重做")), "{:?}", app.sh.message);
    assert_eq!((app.sh.undo.len(), app.sh.redo.len()), (2, 0));
    index_agrees(&f, &app);
    // and quitting is allowed again
    key(&mut app, KeyCode::Char('q'));
    assert!(app.sh.quit);
}

#[test]
fn a_colleagues_save_part_way_stops_the_undo_clearly_and_every_screen_shows_what_was_written() {
    let (f, mut app) = imported();
    let (rx, go) = off_loop(&mut app);
    ctrl(&mut app, 'z');
    assert!(app.sh.undoing.is_some());
    // its first word comes once the whole step is checked; it is then
    // held before its first chunk, and a colleague edits one of the first
    // rows imported: the last chunk's
    let ev = rx.recv().unwrap();
    assert!(matches!(ev, AppEvent::Undo(UndoEvent::Progress(0, _))));
    app.handle(ev);
    let mut r = f.store.residents().unwrap().into_iter().find(|r| r.name == "居民0").unwrap();
    r.notes = "王建国补记".into();
    f.store.update_resident(&r, f.workers[1], at(2026, 11, 24, 10, 42)).unwrap();
    // (the colleague's own window takes it as its step, as under the server)
    let _ = f.store.take_last_change();
    for _ in 0..ROWS / UNDO_CHUNK + 1 {
        let _ = go.send(());
    }
    until_done(&mut app, &rx);
    let (msg, failed) = app.sh.message.clone().unwrap();
    assert!(failed, "{msg}");
    assert!(msg.starts_with(&format!("只撤销了 2250 / {ROWS} 条，其余未改动：")), "{msg}");
    assert!(msg.contains("王建国 在 10:42 之后又修改了"), "{msg}");
    // the colleague's change stands; nine chunks of 250 stay undone, audited
    let left = f.store.residents().unwrap();
    assert_eq!(left.len(), 4 + ROWS - 2250);
    assert!(left.iter().any(|x| x.id == r.id && x.notes == "王建国补记"));
    assert_eq!(undos(&f).len(), 2250);
    // every screen shows what was written
    index_agrees(&f, &app);
    // the stacks as for any refusal: the step dropped, the others kept
    assert_eq!((app.sh.undo.len(), app.sh.redo.len()), (1, 0));
    assert_eq!(app.sh.undoing, None);
    ctrl(&mut app, 'z');
    assert!(app.sh.message.as_ref().is_some_and(|(m, e)| !e && m.starts_with("已撤销")), "{:?}", app.sh.message);
}
