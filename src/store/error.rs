//! What can go wrong with the store, as values the UI turns into messages in
//! the user's language (see `i18n::store_error`).

use crate::domain::request::MoveError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another linli (or another program) has this data dir open.
    #[error("the data in {0} is open in another linli window")]
    Locked(PathBuf),
    #[error("the data was written by a newer linli (schema {found}, this one reads up to {supported})")]
    NewerSchema { found: u32, supported: u32 },
    #[error("a stored {what} record ({key}) could not be read: {detail}")]
    Corrupt { what: &'static str, key: u64, detail: String },
    /// sled itself cannot read its files: the whole store, not one record.
    #[error("the store's files are damaged: {0}")]
    Damaged(String),
    #[error("no {what} with id {key}")]
    NotFound { what: &'static str, key: u64 },
    #[error("the disk is full")]
    DiskFull,
    #[error("the data dir cannot be written (read-only or no permission): {0}")]
    ReadOnly(String),
    /// The data dir was deleted, moved or replaced while the store was
    /// open: the last change is not in it.
    #[error("the data dir {0} was deleted or moved while linli was running")]
    DataDirGone(PathBuf),
    /// The operating system refused a read or write (a failing disk, a
    /// pulled stick, a file gone): what happened, without its debug text.
    #[error("disk error ({problem:?}, os error {code:?})")]
    Disk { problem: DiskProblem, code: Option<i32> },
    #[error("disk error: {0}")]
    Io(String),
    /// Reading or writing this file or folder failed (not a full disk).
    #[error("{}: {kind}", path.display())]
    File { path: PathBuf, kind: std::io::ErrorKind },
    #[error("{0}")]
    Rule(#[from] MoveError),
    #[error("{0}")]
    Invalid(String),
    /// A record changed after the step to undo (or redo) wrote it: taking
    /// the step back would overwrite someone's later change.
    #[error("{} {key} changed since", kind.name())]
    Changed { kind: crate::store::record::RecordKind, key: u64 },
}

/// What kind of disk error, for a message that says what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiskProblem {
    /// A file or folder that should be there is not.
    NotFound,
    /// The device failed the read or write (EIO): a damaged disk or a
    /// stick pulled out.
    Device,
    /// Anything else the system reported.
    Other,
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl StoreError {
    /// An error reading or writing `path`: the message names the file.
    pub fn at(path: &std::path::Path, e: &std::io::Error) -> StoreError {
        match StoreError::from_io(e) {
            // a file of the user's choosing (an export, a sheet, a stick):
            // named, with what went wrong in words
            StoreError::Io(_)
            | StoreError::ReadOnly(_)
            | StoreError::Disk { problem: DiskProblem::NotFound | DiskProblem::Other, .. } => {
                StoreError::File { path: path.to_path_buf(), kind: e.kind() }
            }
            other => other,
        }
    }

    pub fn from_io(e: &std::io::Error) -> StoreError {
        use std::io::ErrorKind as K;
        match e.kind() {
            K::StorageFull | K::QuotaExceeded => StoreError::DiskFull,
            K::PermissionDenied | K::ReadOnlyFilesystem => StoreError::ReadOnly(e.to_string()),
            _ if e.raw_os_error() == Some(28) => StoreError::DiskFull,
            _ if e.raw_os_error() == Some(30) => StoreError::ReadOnly(e.to_string()),
            K::NotFound => StoreError::Disk { problem: DiskProblem::NotFound, code: e.raw_os_error() },
            _ if e.raw_os_error() == Some(5) => StoreError::Disk { problem: DiskProblem::Device, code: Some(5) },
            _ if e.raw_os_error().is_some() => StoreError::Disk { problem: DiskProblem::Other, code: e.raw_os_error() },
            // an error a library made up: its own words, which are no debug text
            _ => StoreError::Io(e.to_string()),
        }
    }
}

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        match e {
            sled::Error::Io(io) => {
                if io.to_string().contains("could not acquire lock") {
                    StoreError::Locked(PathBuf::new())
                } else {
                    StoreError::from_io(&io)
                }
            }
            sled::Error::Corruption { at, .. } => StoreError::Damaged(match at {
                Some(at) => format!("sled: damaged data at {at}"),
                None => "sled: damaged data".to_string(),
            }),
            // a `conf` that names other settings than the store's (see
            // `segments`): the store's own files, not the disk
            sled::Error::Unsupported(what) => StoreError::Damaged(format!("sled: {what}")),
            other => StoreError::Io(other.to_string()),
        }
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        StoreError::from_io(&e)
    }
}
