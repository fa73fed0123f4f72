//! The backup screen: pick a USB stick (listed with free space), the
//! backups folder, or type a path; a stick gets an offer to encrypt; the
//! copy runs in the background with a progress bar.

use super::{BackupStep, DataEvent, Target, backups_dir};
use crate::i18n;
use crate::store::backup::{self, BackupError, BackupInfo, BackupOptions};
use crate::ui::app::AppEvent;
use crate::ui::shared::Shared;
use std::path::PathBuf;

pub(super) fn targets(sh: &Shared) -> Vec<Target> {
    let mut out: Vec<Target> = (sh.data.drives)()
        .into_iter()
        .map(|d| Target { label: d.label, path: d.path, removable: true, free: Some(d.free_bytes) })
        .collect();
    let folder = backups_dir(sh.store.dir());
    out.push(Target { label: sh.lang.data_ui().default_folder.into(), path: folder, removable: false, free: None });
    out
}

pub(super) fn result(sh: &Shared, r: Result<BackupInfo, BackupError>) -> BackupStep {
    match r {
        Ok(info) => {
            let done = i18n::fill(sh.lang.data_ui().backup_done, info.path.display());
            BackupStep::Done(match i18n::trust::unreadable_note(sh.lang, &info.unreadable) {
                Some(note) => format!("{done} {note}"),
                None => done,
            })
        }
        Err(e) => BackupStep::Failed(i18n::backup_error(sh.lang, &e)),
    }
}

pub(super) fn start(sh: &mut Shared, target: PathBuf, passphrase: Option<String>) -> BackupStep {
    // only our own folder is made; a typed folder that does not exist
    // is refused by backup() (a typed file name is a file, not a folder)
    let ours = backups_dir(sh.store.dir());
    if target == ours
        && let Err(e) = crate::platform::private::create_dir_all(&target)
    {
        return BackupStep::Failed(i18n::io_error(sh.lang, &target, &e));
    }
    let store = sh.store.clone();
    let now = sh.now();
    let opts = BackupOptions { passphrase, operator: sh.operator, work_factor: None };
    match sh.data.tx.clone() {
        None => {
            let r = backup::backup(&store, &target, now, &opts, |_, _| {});
            if r.is_ok() {
                super::refresh_offsite_warning(sh);
            }
            result(sh, r)
        }
        Some(tx) => {
            std::thread::spawn(move || {
                let mut last = u64::MAX;
                let r = backup::backup(&store, &target, now, &opts, |a, b| {
                    let pct = (a * 100).checked_div(b).unwrap_or(0);
                    if pct != last {
                        last = pct;
                        let _ = tx.send(AppEvent::Data(DataEvent::Progress(a, b)));
                    }
                });
                let _ = tx.send(AppEvent::Data(DataEvent::BackupDone(Box::new(r))));
            });
            BackupStep::Running(0, 1)
        }
    }
}
