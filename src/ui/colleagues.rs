//! Working beside colleagues on one store (several windows, one `Store`):
//! an edit form remembers the record as it was read, and its save is
//! refused when someone has written the record since; an undo that a
//! colleague's later change blocks says who made it and when. Who and
//! when come from the record's newest audit entry.

use super::shared::Shared;
use crate::i18n::fill_all;
use crate::store::Store;
use crate::store::audit::{AuditAction, AuditEntry};
use crate::store::record::RecordKind;

/// The record an edit form writes, and its stored bytes when the form
/// read it (`None`: it did not exist then).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editing {
    pub kind: RecordKind,
    pub id: u64,
    pub version: Option<Vec<u8>>,
    /// A resident's or a volunteer's ID number, kept beside the record (in
    /// the store's meta) and shown on its form: a colleague's change to it
    /// alone leaves the record's bytes as they were.
    id_number: Option<String>,
}

/// The kinds whose forms show an ID number kept beside the record.
fn has_id_number(kind: RecordKind) -> bool {
    matches!(kind, RecordKind::Resident | RecordKind::Volunteer)
}

impl Editing {
    /// The record as stored now: what a form about to show it reads.
    /// A store error leaves `version` empty: the save then checks against
    /// a record that "did not exist" and is refused, never let through.
    pub fn read(store: &Store, kind: RecordKind, id: u64) -> Editing {
        let version = store.version(kind, id).unwrap_or(None);
        let id_number = if has_id_number(kind) { store.id_number(kind, id).ok().flatten() } else { None };
        Editing { kind, id, version, id_number }
    }

    /// Why the form's save must be refused: the record was written since
    /// the form read it (the message names who and when), or it cannot be
    /// read. `None`: it is as the form read it.
    pub fn refusal(&self, sh: &Shared) -> Option<String> {
        let now = match sh.store.version(self.kind, self.id) {
            Ok(v) => v,
            Err(e) => return Some(sh.store_msg(&e)),
        };
        let id_number = match has_id_number(self.kind) {
            true => match sh.store.id_number(self.kind, self.id) {
                Ok(n) => n,
                Err(e) => return Some(sh.store_msg(&e)),
            },
            false => None,
        };
        if now == self.version && id_number == self.id_number {
            return None;
        }
        let c = sh.lang.colleagues();
        Some(match sh.store.last_change(self.kind, self.id).ok().flatten() {
            Some(e) => {
                let (who, when) = who_when(sh, &e);
                let template = if now.is_none() { c.form_deleted } else { c.form_changed };
                fill_all(template, &[&who, &when])
            }
            None => c.form_changed_unknown.to_string(),
        })
    }
}

/// Who wrote an entry (their name; "a colleague" when no one this window
/// knows) and when (the time today, else the date and time).
pub fn who_when(sh: &Shared, e: &AuditEntry) -> (String, String) {
    let c = sh.lang.colleagues();
    let known = e.by.and_then(|id| sh.worker(id).map(|w| w.name.clone()));
    // a worker added in another window since this one opened
    let read = || e.by.and_then(|id| sh.store.worker(id).ok().flatten()).map(|w| w.name);
    let who = known.or_else(read).filter(|n| !n.is_empty()).unwrap_or_else(|| c.someone.to_string());
    let when = if e.at.date() == sh.today.date {
        e.at.format("%H:%M").to_string()
    } else {
        e.at.format("%Y-%m-%d %H:%M").to_string()
    };
    (who, when)
}

/// The message for an undo (or redo) refused because `(kind, id)` changed
/// since the step: who changed it and when, from its newest audit entry.
pub fn undo_refusal(sh: &Shared, kind: RecordKind, id: u64, redo: bool) -> String {
    let c = sh.lang.colleagues();
    let record = super::audit::describe_records(sh, &[(kind, id)], 1);
    match sh.store.last_change(kind, id).ok().flatten() {
        Some(e) => {
            let (who, when) = who_when(sh, &e);
            let gone = e.action == AuditAction::Undo && sh.store.version(kind, id).ok().flatten().is_none();
            let template = match (gone, redo) {
                (_, true) => c.redo_changed,
                (true, false) => c.undo_deleted,
                (false, false) => c.undo_changed,
            };
            fill_all(template, &[&who, &when, &record])
        }
        None => crate::i18n::fill(c.undo_changed_unknown, record),
    }
}
