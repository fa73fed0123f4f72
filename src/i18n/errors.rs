//! The store's and the backups' errors in the user's words: never the
//! operating system's English (`No such file or directory (os error 2)`),
//! and with the file's path where one is known.

use super::{Lang, fill};
use crate::store::StoreError;
use crate::store::backup::BackupError;
use crate::store::error::DiskProblem;
use std::io::ErrorKind;
use std::path::Path;

/// What went wrong reading or writing `path`, in the user's words.
pub fn io_error(lang: Lang, path: &Path, e: &std::io::Error) -> String {
    store_error(lang, &StoreError::at(path, e))
}

/// A kind of record as the store names it (`resident`), in words.
fn kind_words(lang: Lang, what: &str) -> String {
    let known = matches!(what, "audit" | "meta") || crate::store::record::RecordKind::parse(what).is_some();
    // the database itself ("store"), or a name no table knows
    if known { super::section(lang, what) } else { lang.t().e_the_data.to_string() }
}

/// A file error of kind `kind` on `path`.
fn file_error(lang: Lang, path: &Path, kind: ErrorKind) -> String {
    let t = lang.t();
    let words = match kind {
        ErrorKind::NotFound => t.e_file_not_found,
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => t.e_file_denied,
        ErrorKind::IsADirectory => t.e_file_is_dir,
        ErrorKind::NotADirectory => t.e_file_not_dir,
        ErrorKind::AlreadyExists => t.e_file_exists,
        ErrorKind::InvalidFilename => t.e_file_bad_name,
        _ => t.e_file_io,
    };
    fill(words, path.display())
}

/// The operating system's words for a disk error (`… (os error 2)`), put
/// in the user's: the kind of fault when it is a known one, otherwise the
/// error's number, never the English.
fn io_words(lang: Lang, detail: &str) -> String {
    let t = lang.t();
    let code = detail.rsplit_once("os error ").and_then(|(_, n)| n.trim_end_matches(')').trim().parse::<i32>().ok());
    if lang == Lang::En {
        return detail.to_string();
    }
    let kind = code.map(|c| std::io::Error::from_raw_os_error(c).kind());
    let what = match kind {
        Some(ErrorKind::NotFound) => t.e_io_not_found,
        Some(ErrorKind::PermissionDenied) => t.e_io_denied,
        _ => t.e_io_other,
    };
    match code {
        Some(c) if what == t.e_io_other => format!("{what}{}", fill(t.e_io_code, c)),
        _ => what.to_string(),
    }
}

pub fn store_error(lang: Lang, e: &StoreError) -> String {
    let t = lang.t();
    match e {
        StoreError::Locked(p) => fill(t.e_locked, p.display()),
        StoreError::NewerSchema { found, .. } => fill(t.e_newer, found),
        // the decoder's detail is English: only the English message has it
        StoreError::Corrupt { what, key, detail } if lang == Lang::En => {
            fill(t.e_corrupt, format!("{what} {key}: {detail}"))
        }
        StoreError::Corrupt { what, key, .. } => fill(t.e_corrupt, format!("{} {key}", kind_words(lang, what))),
        StoreError::NotFound { what, key } => fill(t.e_not_found, format!("{} {key}", kind_words(lang, what))),
        StoreError::DiskFull => t.e_disk_full.to_string(),
        StoreError::ReadOnly(d) if lang == Lang::Zh && d.contains("os error") => fill(t.e_read_only, io_words(lang, d)),
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
        StoreError::Io(d) => fill(t.e_io, io_words(lang, d)),
        StoreError::File { path, kind } => file_error(lang, path, *kind),
        StoreError::Rule(crate::domain::request::MoveError::NotAllowed(..)) => t.e_not_allowed.to_string(),
        StoreError::Rule(crate::domain::request::MoveError::TextRequired) => t.e_text_required.to_string(),
        StoreError::Rule(crate::domain::request::MoveError::NotLater) => lang.practice().e_not_later.to_string(),
        StoreError::Rule(crate::domain::request::MoveError::BadMerge) => lang.practice().e_bad_merge.to_string(),
        StoreError::Rule(crate::domain::request::MoveError::NotLeader) => lang.practice().e_not_leader.to_string(),
        StoreError::Invalid(d) => fill(t.e_invalid, d),
        StoreError::Changed { kind, key } => {
            fill(lang.colleagues().e_changed, format!("{} {key}", kind_words(lang, kind.name())))
        }
    }
}

pub fn backup_error(lang: Lang, e: &BackupError) -> String {
    let d = lang.data();
    match e {
        BackupError::Missing(p) => fill(d.e_missing, p.display()),
        BackupError::MissingFolder(p) => fill(d.e_missing_folder, p.display()),
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
