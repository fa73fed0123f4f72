//! Undo and redo in the app: the store captures what each save changed;
//! the app keeps this session's change sets and, after taking one back or
//! making it again, refreshes whatever shows those records.

use super::app::App;
use crate::domain::{Request, RequestId, Resident, ResidentId};
use crate::i18n::fill;
use crate::store::StoreError;
use crate::store::record::RecordKind;
use crate::store::undo::ChangeSet;

impl App {
    /// Keeps the last save's change set for undo; a new change ends redo.
    pub fn remember_change(&mut self) {
        let set = self.store.take_last_change();
        if !set.0.is_empty() {
            self.undo.push(set);
            self.redo.clear();
        }
    }

    pub fn undo_last(&mut self) {
        let t = self.lang.t();
        let Some(set) = self.undo.pop() else {
            self.info(t.nothing_to_undo);
            return;
        };
        let Some(op) = self.operator else { return };
        match self.store.undo(&set, op, self.now()) {
            Ok(set) => {
                self.refresh_after(&set);
                self.info(fill(t.undone, describe(&set)));
                self.redo.push(set);
            }
            Err(e) => self.undo_failed(&e),
        }
    }

    pub fn redo_last(&mut self) {
        let t = self.lang.t();
        let Some(set) = self.redo.pop() else {
            self.info(t.nothing_to_redo);
            return;
        };
        let Some(op) = self.operator else { return };
        match self.store.undo(&set.inverse(), op, self.now()) {
            Ok(_) => {
                self.refresh_after(&set);
                self.info(fill(t.redone, describe(&set)));
                self.undo.push(set);
            }
            Err(e) => self.undo_failed(&e),
        }
    }

    fn undo_failed(&mut self, e: &StoreError) {
        // the stacks no longer match what is stored: start afresh
        self.undo.clear();
        self.redo.clear();
        let detail = crate::i18n::store_error(self.lang, e);
        self.message = Some((fill(self.lang.t().undo_conflict, detail), true));
    }

    /// Re-reads every record the change set touched into the lists.
    fn refresh_after(&mut self, set: &ChangeSet) {
        for c in &set.0 {
            match c.kind {
                RecordKind::Request => match self.store.get::<Request>(c.id) {
                    Ok(Some(r)) => self.requests.index.upsert(&r),
                    Ok(None) => self.requests.index.remove(RequestId(c.id)),
                    Err(e) => self.error(&e),
                },
                RecordKind::Resident => match self.store.get::<Resident>(c.id) {
                    Ok(Some(r)) => self.resident_changed(r.id, Some(&r)),
                    Ok(None) => self.resident_changed(ResidentId(c.id), None),
                    Err(e) => self.error(&e),
                },
                RecordKind::Worker => {
                    if let Ok(w) = self.store.workers() {
                        self.workers = w;
                    }
                }
                RecordKind::Team
                | RecordKind::Post
                | RecordKind::Volunteer
                | RecordKind::Activity
                | RecordKind::ServiceRecord
                | RecordKind::Certificate => self.roster_undone(c),
                RecordKind::Duty
                | RecordKind::Task
                | RecordKind::RotaSlot
                | RecordKind::Leave
                | RecordKind::LogEntry
                | RecordKind::Training
                | RecordKind::Evaluation => self.duties_undone(c),
            }
        }
        self.requests.detail = None;
        self.residents.current = None;
        self.residents.refilter(&self.requests.index);
        self.refresh_requests();
        self.load_history();
    }
}

/// "请求 2026-000012" style summary of what a change set touched.
fn describe(set: &ChangeSet) -> String {
    let mut parts: Vec<String> = set
        .0
        .iter()
        .take(3)
        .map(|c| match c.kind {
            RecordKind::Request => RequestId(c.id).to_string(),
            k => format!("{} {}", k.name(), c.id),
        })
        .collect();
    if set.0.len() > 3 {
        parts.push(format!("+{}", set.0.len() - 3));
    }
    parts.join(", ")
}
