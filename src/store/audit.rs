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
