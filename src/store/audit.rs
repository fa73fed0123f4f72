//! The audit trail: who changed which record when, field by field. It is
//! written in the same transaction as the change itself and the app offers
//! no way to edit it.

use super::record::{FieldChange, RecordKind};
use crate::domain::WorkerId;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    Create,
    Update,
    /// A phone or ID number was shown in full.
    Reveal,
    /// Records were exported to a file (`key` is 0: no one record; the
    /// changes say how many rows, the format, whether numbers were in
    /// full, and where).
    /// New variants go at the end: postcard stores the variant's index.
    Export,
    /// A change was taken back (undo) or made again (redo): the entry's
    /// changes say what the record went back or forward to.
    Undo,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    #[serde(with = "crate::domain::stored_time::datetime")]
    pub at: NaiveDateTime,
    /// `None` only for the very first worker, created before anyone could
    /// be at the keyboard.
    pub by: Option<WorkerId>,
    pub kind: RecordKind,
    pub key: u64,
    pub action: AuditAction,
    pub changes: Vec<FieldChange>,
}

impl AuditAction {
    /// Whether an entry of this action changed the record it names (a
    /// reveal or an export only read).
    pub fn writes(self) -> bool {
        matches!(self, AuditAction::Create | AuditAction::Update | AuditAction::Undo)
    }
}

impl super::Store {
    /// The newest entry that changed this record (made it, changed it, or
    /// took a change back or made it again): who last wrote it, and when.
    /// Reads the record's history from its newest end.
    pub fn last_change(&self, kind: RecordKind, key: u64) -> super::Result<Option<AuditEntry>> {
        let mut seqs = super::links::linked(&self.trees[super::T_AUDIT_BY_RECORD], super::audit_owner(kind, key))?;
        seqs.sort_unstable();
        for seq in seqs.into_iter().rev() {
            let Some(v) = self.trees[super::T_AUDIT].get(super::codec::key(seq))? else { continue };
            let e: AuditEntry = super::codec::decode(&v).map_err(|detail| super::StoreError::Corrupt {
                what: "audit",
                key: seq,
                detail,
            })?;
            if e.action.writes() && e.kind == kind && e.key == key {
                return Ok(Some(e));
            }
        }
        Ok(None)
    }
}
