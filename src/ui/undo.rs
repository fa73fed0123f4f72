//! Undo and redo in the app: the store captures what each user action
//! wrote (one step however many writes it took); taking a step back or
//! making it again is shown on every panel like any other change.

use super::panel::Panels;
use super::shared::Shared;
use crate::i18n::fill;
use crate::store::StoreError;
use crate::store::record::RecordKind;
use crate::store::undo::ChangeSet;

pub fn undo(sh: &mut Shared, panels: &mut Panels) {
    let t = sh.lang.t();
    let Some(set) = sh.undo.pop() else {
        sh.info(t.nothing_to_undo);
        return;
    };
    let Some(op) = sh.operator else { return };
    match sh.store.undo(&set, op, sh.now()) {
        Ok(set) => {
            // what the undo wrote is this step going back, not a new step
            let _ = sh.store.take_last_change();
            panels.broadcast(&set.inverse(), sh);
            sh.info(fill(t.undone, describe(&set, sh)));
            sh.redo.push(set);
        }
        Err(e) => failed(sh, &e, false),
    }
}

pub fn redo(sh: &mut Shared, panels: &mut Panels) {
    let t = sh.lang.t();
    let Some(set) = sh.redo.pop() else {
        sh.info(t.nothing_to_redo);
        return;
    };
    let Some(op) = sh.operator else { return };
    match sh.store.undo(&set.inverse(), op, sh.now()) {
        Ok(_) => {
            let _ = sh.store.take_last_change();
            panels.broadcast(&set, sh);
            sh.info(fill(t.redone, describe(&set, sh)));
            sh.undo.push(set);
        }
        Err(e) => failed(sh, &e, true),
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
    sh.undo.clear();
    sh.redo.clear();
    let detail = crate::i18n::store_error(sh.lang, e);
    sh.fail(fill(sh.lang.t().undo_conflict, detail));
}

/// `2026-000012`, `值班 2026-12-07`, `居民 张三`: what a change set
/// touched, named as the office knows it.
fn describe(set: &ChangeSet, sh: &Shared) -> String {
    let records: Vec<(RecordKind, u64)> = set.0.iter().map(|c| (c.kind, c.id)).collect();
    super::audit::describe_records(sh, &records, 3)
}
