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

pub(super) fn peek(sh: &Shared, path: PathBuf, pass: Option<String>) -> RestoreStep {
    match backup::peek(&path, pass.as_deref()) {
        Ok((manifest, encrypted)) => {
            let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            let info = BackupInfo { path: path.clone(), manifest, encrypted, bytes };
            let summary = i18n::backup_summary(sh.lang, &info);
            RestoreStep::Preview(path, pass, summary)
        }
        Err(BackupError::PassphraseRequired) => RestoreStep::Pass(path, LineInput::default()),
        Err(e) => RestoreStep::Failed(i18n::backup_error(sh.lang, &e)),
    }
}
