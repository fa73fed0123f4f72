//! The store's and the backups' errors in the user's words.

use super::{Lang, fill};
use crate::store::StoreError;
use crate::store::backup::BackupError;
use crate::store::error::DiskProblem;

pub fn store_error(lang: Lang, e: &StoreError) -> String {
    let t = lang.t();
    match e {
        StoreError::Locked(p) => fill(t.e_locked, p.display()),
        StoreError::NewerSchema { found, .. } => fill(t.e_newer, found),
        StoreError::Corrupt { what, key, detail } => fill(t.e_corrupt, format!("{what} {key}: {detail}")),
        StoreError::NotFound { what, key } => fill(t.e_not_found, format!("{what} {key}")),
        StoreError::DiskFull => t.e_disk_full.to_string(),
        StoreError::ReadOnly(d) => fill(t.e_read_only, d),
        StoreError::Damaged(d) => fill(lang.trust().e_damaged, d),
        StoreError::DataDirGone(p) => fill(lang.trust().e_data_dir_gone, p.display()),
        StoreError::Disk { problem, code } => {
            let code = code.map(|c| c.to_string()).unwrap_or_else(|| "?".into());
            match problem {
                DiskProblem::NotFound => lang.trust().e_disk_not_found.to_string(),
                DiskProblem::Device => fill(lang.trust().e_disk_device, code),
                DiskProblem::Other => fill(lang.trust().e_disk_other, code),
            }
        }
        StoreError::Io(d) => fill(t.e_io, d),
        StoreError::Rule(crate::domain::request::MoveError::NotAllowed(..)) => t.e_not_allowed.to_string(),
        StoreError::Rule(crate::domain::request::MoveError::TextRequired) => t.e_text_required.to_string(),
        StoreError::Rule(crate::domain::request::MoveError::NotLater) => lang.practice().e_not_later.to_string(),
        StoreError::Rule(crate::domain::request::MoveError::BadMerge) => lang.practice().e_bad_merge.to_string(),
        StoreError::Rule(crate::domain::request::MoveError::NotLeader) => lang.practice().e_not_leader.to_string(),
        StoreError::Invalid(d) => fill(t.e_invalid, d),
    }
}

pub fn backup_error(lang: Lang, e: &BackupError) -> String {
    let d = lang.data();
    match e {
        BackupError::Missing(p) => fill(d.e_missing, p.display()),
        BackupError::NotABackup => d.e_not_backup.to_string(),
        BackupError::Truncated => d.e_truncated.to_string(),
        BackupError::Corrupted(detail) => fill(d.e_corrupted, detail),
        BackupError::NewerSchema { found, .. } => fill(d.e_newer_backup, found),
        BackupError::PassphraseRequired => d.e_passphrase_required.to_string(),
        BackupError::WrongPassphrase => d.e_wrong_passphrase.to_string(),
        BackupError::EmptyPassphrase => d.e_empty_passphrase.to_string(),
        BackupError::BadSignature => lang.trust().e_bad_signature.to_string(),
        BackupError::ForeignSigner(s) => fill(lang.trust().e_foreign_signer, s.describe()),
        BackupError::TargetFull(p) => fill(lang.trust().e_target_full, p.display()),
        BackupError::TargetNotBackup(p) => fill(lang.trust().e_target_not_backup, p.display()),
        BackupError::TargetNotFile(p) => fill(lang.trust().e_target_not_file, p.display()),
        BackupError::Store(e) => store_error(lang, e),
    }
}
