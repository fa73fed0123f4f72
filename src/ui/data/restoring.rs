//! The restore screen: pick a backup (ours, the daily snapshots, those on
//! a stick) or type its path, see what it holds, and restore.

use super::{RestoreStep, backups_dir};
use crate::i18n;
use crate::store::backup::{self, BackupError, BackupInfo};
use crate::ui::shared::Shared;
use crate::ui::widgets::input::LineInput;
use std::path::PathBuf;

pub(super) fn files(sh: &Shared) -> Vec<PathBuf> {
    let mut dirs = vec![backups_dir(sh.store.dir()), crate::store::snapshot::snapshot_dir(sh.store.dir())];
    dirs.extend((sh.data.drives)().into_iter().map(|d| d.path));
    // where the last backup that left the machine went (a typed folder, a
    // share): it is listed without typing its path again
    if let Ok(Some(b)) = sh.store.last_offsite_backup()
        && let Some(dir) = b.path.parent()
        && !dirs.iter().any(|d| d == dir)
    {
        dirs.push(dir.to_path_buf());
    }
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    for d in dirs {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let ours = name.starts_with("linli-backup") || name.starts_with("snapshot-");
            if ours && p.is_file() {
                let t = e.metadata().and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH);
                files.push((t, p));
            }
        }
    }
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    files.into_iter().map(|(_, p)| p).take(50).collect()
}

/// What a backup says it holds, and whose key signed it, before a restore.
pub(super) fn peek(sh: &Shared, path: PathBuf, pass: Option<String>) -> RestoreStep {
    match backup::peek(&path, pass.as_deref()) {
        Ok((manifest, encrypted)) => {
            let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            let signer = manifest.signer.clone();
            let info = BackupInfo { path: path.clone(), manifest, encrypted, bytes, signer, unreadable: Vec::new() };
            // the signature itself is checked by the restore, before
            // anything changes; here is whose key the file names
            let trust = backup::trust(&info, sh.store.dir());
            let summary =
                format!("{}\n{}", i18n::backup_summary(sh.lang, &info), i18n::trust::signer_line(sh.lang, &trust));
            let foreign = match trust {
                backup::Trust::Foreign(s) => Some(s),
                _ => None,
            };
            RestoreStep::Preview(path, pass, summary, foreign)
        }
        Err(BackupError::PassphraseRequired) => RestoreStep::Pass(path, LineInput::default()),
        Err(e) => RestoreStep::Failed(i18n::backup_error(sh.lang, &e)),
    }
}
