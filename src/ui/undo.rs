//! Undo and redo in the app: the store captures what each user action
//! wrote (one step however many writes it took); taking a step back or
//! making it again is shown on every panel like any other change.
//!
//! A large step (an import's 30,000 rows: seconds of writing) is taken
//! back on a thread when the loop is there to hear back, as an import is
//! written: the window says how far it got ([`UndoEvent::Progress`]), every
//! other key works meanwhile and, under the store server, every colleague's
//! window too. What it wrote is shown on every panel once, at the end, as
//! an import's rows are: showing each chunk of 1,000 as it was written was
//! tried and measured worse (each showing costs the lists about as much
//! as one of 30,000: a search run again, the directory filtered again; a
//! colleague's keys then waited ~100–200 ms all along instead of once). Another undo or redo, or quitting, waits for it (refused
//! with a message); a signal that ends the app lets it finish first (see
//! `ui::run_full` and the server), so a step is never half written
//! silently. A small step is taken inline: it is one transaction of a few
//! records, over in a few milliseconds.

use super::panel::Panels;
use super::shared::Shared;
use crate::i18n::{fill, fill_all};
use crate::store::StoreError;
use crate::store::record::RecordKind;
use crate::store::undo::{ChangeSet, Partly};
use std::sync::Arc;

/// Steps of more records than this are undone and redone off the loop.
/// (On the large set, `examples/undocost.rs` at load 7: the store's undo
/// of 200 residents takes 3.9 ms, of 1,000 30 ms (up to 120), of 3,000
/// 135 ms (up to 375); of one record 1–2 ms.)
pub const OFF_LOOP: usize = 200;

/// An undo or redo running on a thread: how far it got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Undoing {
    pub redo: bool,
    pub done: usize,
    pub total: usize,
    /// A new step was taken meanwhile (a save): as after any new step,
    /// nothing is left to redo, the step undone neither.
    pub new_step: bool,
}

/// Tests only: called on the undo's thread before each chunk is written
/// (`done`, `total`), so a test can hold the undo at a chunk while it
/// presses keys.
pub type UndoGate = Arc<dyn Fn(usize, usize) + Send + Sync>;

/// News from an undo or redo on a thread.
pub enum UndoEvent {
    /// Records written, of all.
    Progress(usize, usize),
    /// It ended: the step (as it was on the stack) and how.
    Done { redo: bool, step: ChangeSet, result: Result<(), Partly> },
}

impl UndoEvent {
    /// What the store holds now that it did not before the undo began
    /// (for the screens of colleagues, when the terminal that asked for it
    /// has gone).
    pub fn written(&self) -> ChangeSet {
        match self {
            UndoEvent::Progress(..) => ChangeSet::default(),
            UndoEvent::Done { redo: false, step, result: Ok(()) } => step.inverse(),
            UndoEvent::Done { redo: true, step, result: Ok(()) } => step.clone(),
            UndoEvent::Done { result: Err(p), .. } => p.written.clone(),
        }
    }
}

pub fn undo(sh: &mut Shared, panels: &mut Panels) {
    step(sh, panels, false);
}

pub fn redo(sh: &mut Shared, panels: &mut Panels) {
    step(sh, panels, true);
}

fn step(sh: &mut Shared, panels: &mut Panels, redo: bool) {
    let t = sh.lang.t();
    if let Some(u) = sh.undoing {
        sh.fail(fill_all(t.undo_busy, &[&u.done, &u.total]));
        return;
    }
    let stack = if redo { &mut sh.redo } else { &mut sh.undo };
    let Some(set) = stack.pop() else {
        sh.info(if redo { t.nothing_to_redo } else { t.nothing_to_undo });
        return;
    };
    let Some(op) = sh.operator else { return };
    let at = sh.now();
    if set.0.len() > OFF_LOOP
        && let Some(tx) = sh.events.clone()
    {
        let total = set.0.len();
        sh.undoing = Some(Undoing { redo, done: 0, total, new_step: false });
        let (store, gate) = (sh.store.clone(), sh.undo_gate.clone().or_else(test_gate));
        std::thread::spawn(move || {
            let progress = |done, total| {
                let _ = tx.send(super::app::AppEvent::Undo(UndoEvent::Progress(done, total)));
                if let Some(g) = &gate {
                    g(done, total);
                }
            };
            // a redo takes back the step's inverse: the step turned round
            // in place for it, and back after (no copy of its records)
            let mut set = set;
            if redo {
                set.invert();
            }
            // an import's records known by their fingerprints: checked in
            // the store and their bytes spilled to a file for the redo, or
            // (a redo) read back from it, checked
            let run = std::panic::AssertUnwindSafe(|| {
                store.ready(&mut set).map_err(|error| Partly { error, written: ChangeSet::default() })?;
                store.undo_in_chunks(&set, op, at, progress)
            });
            // (the copy it returns: the step itself goes back). A panic
            // must still end it, or the window could never quit: the
            // stacks start afresh, as after a disk error part-way.
            let result = match std::panic::catch_unwind(run) {
                Ok(r) => r.map(drop),
                Err(_) => Err(Partly { error: StoreError::Invalid("undo".into()), written: ChangeSet::default() }),
            };
            if redo {
                set.invert();
                if result.is_ok() {
                    set.settle();
                }
            }
            crate::platform::memory::give_back();
            let _ = tx.send(super::app::AppEvent::Undo(UndoEvent::Done { redo, step: set, result }));
        });
        return;
    }
    let mut set = set;
    if redo {
        set.invert();
    }
    let result = match sh.store.ready(&mut set) {
        Ok(()) => sh.store.undo_in_chunks(&set, op, at, |_, _| {}),
        Err(error) => Err(Partly { error, written: ChangeSet::default() }),
    };
    if redo {
        set.invert();
        if result.is_ok() {
            set.settle();
        }
    }
    // what the undo wrote is this step going back, not a new step
    let _ = sh.store.take_last_change();
    finish(sh, panels, redo, set, result.map(drop));
}

/// Tests only (debug builds): with `LINLI_TEST_UNDO_GATE` set to a path,
/// an undo on a thread stops after its first chunk until that file exists,
/// so a test in a pseudo-terminal sees the windows while it runs without
/// racing a timer.
fn test_gate() -> Option<UndoGate> {
    #[cfg(debug_assertions)]
    if let Some(path) = std::env::var_os("LINLI_TEST_UNDO_GATE") {
        let path = std::path::PathBuf::from(path);
        return Some(Arc::new(move |done, total| {
            let started = std::time::Instant::now();
            while done > 0 && done < total && !path.exists() && started.elapsed() < std::time::Duration::from_secs(120)
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }));
    }
    None
}

/// An undo or redo on a thread moved on, or ended.
pub fn event(e: UndoEvent, sh: &mut Shared, panels: &mut Panels) {
    match e {
        UndoEvent::Progress(done, _) => {
            // (the footer says how far, when no message is shown)
            if let Some(u) = sh.undoing.as_mut() {
                u.done = done;
            }
        }
        UndoEvent::Done { redo, step, result } => {
            let new_step = sh.undoing.take().is_some_and(|u| u.new_step);
            finish(sh, panels, redo, step, result);
            if new_step && !redo {
                sh.redo.clear();
            }
        }
    }
}

/// The footer's line while an undo or redo runs on a thread.
pub fn progress_line(sh: &Shared) -> Option<String> {
    let u = sh.undoing?;
    let t = sh.lang.t();
    Some(fill_all(if u.redo { t.redoing } else { t.undoing }, &[&u.done, &u.total]))
}

/// Quitting waits for an undo or redo running on a thread (a signal does
/// not: the loop lets it finish before the store closes). Called after
/// every event; a quit asked for meanwhile (a restore, the demo's data
/// too) is refused with the message.
pub fn hold_quit(sh: &mut Shared) {
    let Some(u) = sh.undoing else { return };
    if !sh.quit || sh.signal.is_some() {
        return;
    }
    sh.quit = false;
    sh.data.restore = None;
    sh.open_demo = false;
    sh.fail(fill_all(sh.lang.t().quit_undoing, &[&u.done, &u.total]));
}

/// The step's undo or redo is written (or refused): every panel and
/// colleague shown what it wrote, the stacks and the message brought along.
fn finish(sh: &mut Shared, panels: &mut Panels, redo: bool, set: ChangeSet, result: Result<(), Partly>) {
    let t = sh.lang.t();
    match result {
        Ok(()) if redo => {
            panels.broadcast(&set, sh);
            sh.info(fill(t.redone, describe(&set, sh)));
            sh.undo.push(set);
        }
        Ok(()) => {
            // what the undo wrote is the step's inverse: shown, then the
            // step turned back for the redo (no copy of its records)
            let mut set = set;
            set.invert();
            panels.broadcast(&set, sh);
            set.invert();
            sh.info(fill(t.undone, describe(&set, sh)));
            sh.redo.push(set);
        }
        Err(p) => {
            let written = p.written.0.len();
            if written > 0 {
                // the chunks before the refusal stay written: every screen
                // shows them
                panels.broadcast(&p.written, sh);
            }
            failed(sh, &p.error, redo);
            if written > 0
                && let Some((msg, _)) = sh.message.take()
            {
                let template = if redo { t.redo_partly } else { t.undo_partly };
                sh.fail(fill_all(template, &[&written, &set.0.len(), &msg]));
            }
        }
    }
}

/// An undo or redo was refused. The refused step is dropped (it can only
/// be refused again). When a colleague changed a record since, the other
/// steps are kept: each is checked against what is stored when it is
/// taken, and refused, changing nothing, if it no longer fits, so keeping
/// them can never overwrite anyone's change; the message says who changed
/// what, and when. Any other failure (a disk error part-way through a
/// large step) may have left the step half done: the stacks no longer
/// match what is stored, and start afresh.
fn failed(sh: &mut Shared, e: &StoreError, redo: bool) {
    let _ = sh.store.take_last_change();
    if let StoreError::Changed { kind, key } = e {
        let msg = super::colleagues::undo_refusal(sh, *kind, *key, redo);
        sh.fail(msg);
        return;
    }
    if let StoreError::Corrupt { what: "redo", .. } = e {
        // the spill file checked before anything was written: the redo
        // dropped, nothing else
        sh.fail(sh.lang.t().redo_spill_damaged.to_string());
        return;
    }
    sh.undo.clear();
    sh.redo.clear();
    let detail = crate::i18n::store_error(sh.lang, e);
    sh.fail(fill(sh.lang.t().undo_conflict, detail));
}

/// `2026-000012`, `值班 2026-12-07`, `居民 张三`: what a change set
/// touched, named as the office knows it. A record the step took out of
/// the store (an undone creation, an import's residents) is named from the
/// bytes the undo read (kept, or in its spill file), not by its kind alone.
fn describe(set: &ChangeSet, sh: &Shared) -> String {
    const NAMED: usize = 3;
    let records: Vec<(RecordKind, u64)> = set.0.iter().map(|c| (c.kind, c.id)).collect();
    let gone = |i: usize| {
        let c = &set.0[i];
        let b = c.after.as_ref().or(c.before.as_ref())?;
        if b.is_print() { set.1.read(c.id) } else { Some(b.to_vec()) }
    };
    super::audit::describe_records_with(sh, &records, NAMED, gone)
}
