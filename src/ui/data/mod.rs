//! The data screen (`B` from any panel): backup, restore, export, import of
//! residents, and the monthly report. One layer, [`DataView`], holding the
//! screen shown now; long work (a backup) runs on a thread and reports
//! through the app's event channel ([`DataEvent`]).

mod backing_up;
mod exporting;
mod importing;
mod keys;
mod profile;
mod reporting;
mod restoring;
mod view;

pub use keys::handle_key;

pub use exporting::export_requests;

use super::app::AppEvent;
use super::keymap::Scope;
use super::layers::Layer;
use super::panel::Panels;
use super::shared::Shared;
use super::widgets::input::LineInput;
use crate::files::export::ExportKind;
use crate::files::report::{self, Month};
use crate::files::{import, import_volunteers};
use crate::i18n::{self};
use crate::platform::drives::Drive;
use crate::store::backup::{self, BackupError, BackupInfo};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

/// Lists the removable drives: the real ones in the app, a fixed list in
/// tests.
pub type DriveList = Box<dyn Fn() -> Vec<Drive> + Send>;

/// What the data screens need beside the app's own state.
pub struct DataState {
    pub drives: DriveList,
    /// The loop's event channel (none in tests: work then runs inline).
    pub tx: Option<Sender<AppEvent>>,
    /// Set when the user confirmed a restore: the TUI quits, the caller
    /// closes the store, restores, and starts again.
    pub restore: Option<RestoreRequest>,
    /// The header's warning: no backup has left the machine for too long.
    pub warning: Option<Warning>,
    /// An import is being written in the background: another waits for it
    /// (its preview would not see the rows still being written).
    pub importing: bool,
}

impl Default for DataState {
    fn default() -> Self {
        DataState {
            drives: Box::new(crate::platform::drives::removable_drives),
            tx: None,
            restore: None,
            warning: None,
            importing: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreRequest {
    pub file: PathBuf,
    pub passphrase: Option<String>,
    /// A backup signed by another computer's key, which the user confirmed
    /// (its key, hex).
    pub accept_key: Option<String>,
}

/// News from a background job.
pub enum DataEvent {
    Progress(u64, u64),
    BackupDone(Box<Result<BackupInfo, BackupError>>),
    /// A month's report, counted in the background (it reads every
    /// request, log entry and service record: most of a second on a large
    /// store).
    Report(Month, Box<Result<report::Report, crate::store::StoreError>>),
    /// An export's progress (rows written, of all), then its outcome (the
    /// message, and whether it failed).
    Exported(Option<(u64, u64)>, Option<(String, bool)>),
    /// A sheet read and checked: the preview (or why not) for the file.
    Previewed(PathBuf, Box<ImportStep>),
    /// An import written: the message (and whether it failed), and what
    /// the store changed, which becomes this terminal's undo step.
    Imported((String, bool), crate::store::undo::ChangeSet),
}

/// A place a backup can go.
#[derive(Debug, Clone)]
pub struct Target {
    pub label: String,
    pub path: PathBuf,
    pub removable: bool,
    pub free: Option<u64>,
}

pub enum BackupStep {
    Choose,
    /// The target is a removable drive: encrypt? (y/n)
    AskEncrypt(PathBuf),
    /// Passphrase, then again (the first one kept).
    Pass(PathBuf, LineInput, Option<String>),
    Running(u64, u64),
    Done(String),
    Failed(String),
}

pub enum DataView {
    Menu(usize),
    Backup {
        targets: Vec<Target>,
        sel: usize,
        typed: LineInput,
        step: BackupStep,
    },
    Restore {
        files: Vec<PathBuf>,
        sel: usize,
        typed: LineInput,
        step: RestoreStep,
    },
    Export {
        sel: usize,
        xlsx: bool,
        full: bool,
        result: Option<(String, bool)>,
        /// Rows written so far, of all, while an export runs.
        running: Option<(u64, u64)>,
    },
    /// Residents, or volunteers when `volunteers`.
    Import {
        typed: LineInput,
        step: ImportStep,
        volunteers: bool,
    },
    Report {
        month: Month,
        lines: Vec<(String, bool)>,
        scroll: u16,
        result: Option<(String, bool)>,
        /// The month's figures once counted (written to HTML/XLSX as they are).
        report: Option<Box<report::Report>>,
    },
}

pub enum RestoreStep {
    Choose,
    Pass(PathBuf, LineInput),
    /// What the file holds; y restores.
    /// What it holds; `Some` signer when another computer's key signed it
    /// (restored only with `a`, which accepts that key).
    Preview(PathBuf, Option<String>, String, Option<crate::store::backup::Signer>),
    Failed(String),
}

pub enum ImportStep {
    Choose,
    /// The sheet is being read and checked on a thread.
    Reading,
    Preview(Box<AnyPreview>, Vec<String>),
    /// The good rows are being written on a thread (`{}` of them).
    Importing(usize),
    /// The file could not be read: the path stays open to correct.
    Failed(String),
    Done(String, bool),
}

impl ImportStep {
    /// Whether the path can be typed (and Enter previews again): before a
    /// preview, and after one that cannot be imported.
    pub fn edits_path(&self) -> bool {
        match self {
            ImportStep::Choose | ImportStep::Failed(_) | ImportStep::Done(_, true) => true,
            ImportStep::Preview(p, _) => p.errors() > 0,
            ImportStep::Reading | ImportStep::Importing(_) | ImportStep::Done(_, false) => false,
        }
    }
}

/// What an import will do, for residents or for volunteers.
pub enum AnyPreview {
    Residents(import::FilePreview),
    Volunteers(import_volunteers::VolunteerPreview),
}

impl AnyPreview {
    pub fn to_import(&self) -> usize {
        match self {
            AnyPreview::Residents(p) => p.to_import(),
            AnyPreview::Volunteers(p) => p.to_import(),
        }
    }
    pub fn duplicates(&self) -> usize {
        match self {
            AnyPreview::Residents(p) => p.duplicates(),
            AnyPreview::Volunteers(p) => p.duplicates(),
        }
    }
    pub fn errors(&self) -> usize {
        match self {
            AnyPreview::Residents(p) => p.errors(),
            AnyPreview::Volunteers(p) => p.errors(),
        }
    }
}

/// The default backups folder inside the data dir.
pub fn backups_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("backups")
}

/// The exports folder inside the data dir.
pub fn exports_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("exports")
}

fn mb(bytes: u64) -> String {
    if bytes >= 10_000_000_000 { format!("{} GB", bytes / 1_000_000_000) } else { format!("{} MB", bytes / 1_000_000) }
}

fn bar(done: u64, total: u64, w: usize) -> String {
    let filled = (done.min(total) * w as u64).checked_div(total).unwrap_or(0) as usize;
    let pct = (done.min(total) * 100).checked_div(total).unwrap_or(0);
    format!("[{}{}] {pct:>3}%", "#".repeat(filled), ".".repeat(w - filled))
}

/// Every kind of record, and the audit trail: each can be exported here
/// (the screen once offered only the first four).
pub(super) const KINDS: usize = crate::store::record::RecordKind::ALL.len() + 1;

/// The menu's community-profile item (a form over the menu, not a screen).
pub(super) const PROFILE_ITEM: usize = 6;

pub(super) fn kind_at(i: usize) -> ExportKind {
    ExportKind::all().get(i).copied().unwrap_or(ExportKind::Audit)
}

impl DataView {
    /// The key map's scope of the screen (and step) shown.
    pub fn scope(&self) -> Scope {
        match self {
            DataView::Menu(_) => Scope::DataMenu,
            DataView::Backup { step: BackupStep::Choose, .. } => Scope::DataBackup,
            DataView::Backup { step: BackupStep::AskEncrypt(_), .. } => Scope::Confirm,
            DataView::Backup { step: BackupStep::Pass(..), .. } => Scope::DataPassphrase,
            DataView::Backup { step: BackupStep::Running(..), .. } => Scope::DataRunning,
            DataView::Backup { .. } => Scope::DataDone,
            DataView::Restore { step: RestoreStep::Choose | RestoreStep::Failed(_), .. } => Scope::DataRestore,
            DataView::Restore { step: RestoreStep::Pass(..), .. } => Scope::DataPassphrase,
            DataView::Restore { step: RestoreStep::Preview(.., Some(_)), .. } => Scope::DataForeign,
            DataView::Restore { step: RestoreStep::Preview(..), .. } => Scope::Confirm,
            DataView::Export { .. } => Scope::DataExport,
            DataView::Import { step, .. } if step.edits_path() => Scope::DataImport,
            DataView::Import { step: ImportStep::Preview(..), .. } => Scope::Confirm,
            DataView::Import { step: ImportStep::Reading | ImportStep::Importing(_), .. } => Scope::DataWaiting,
            DataView::Import { .. } => Scope::DataDone,
            DataView::Report { .. } => Scope::DataReport,
        }
    }
}

/// The header's warning that no backup has left the machine for too long,
/// in full and as short as it can say it (for 80 columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub long: String,
    pub short: String,
}

/// Reads when a backup last left the machine, for the header.
pub fn refresh_offsite_warning(sh: &mut Shared) {
    let d = sh.lang.data_ui();
    if sh.demo {
        // the demo's records are made up: nothing to take home
        sh.data.warning = None;
        return;
    }
    sh.data.warning = match sh.store.offsite_backup_overdue(sh.now(), backup::DEFAULT_WARN_DAYS) {
        Ok(Some(i64::MAX)) => Some(Warning { long: d.offsite_never.into(), short: d.offsite_never_short.into() }),
        Ok(Some(days)) => Some(Warning {
            long: i18n::fill(d.offsite_overdue, days),
            short: i18n::fill(d.offsite_overdue_short, days),
        }),
        Ok(None) | Err(_) => None,
    };
}

pub fn event(ev: DataEvent, sh: &mut Shared, layers: &mut [Layer]) {
    if let DataEvent::BackupDone(r) = &ev
        && r.is_ok()
    {
        refresh_offsite_warning(sh);
    }
    let new_step = match ev {
        DataEvent::BackupDone(r) => backing_up::result(sh, *r),
        DataEvent::Progress(a, b) => BackupStep::Running(a, b),
        DataEvent::Exported(progress, done) => {
            let d = sh.lang.data_ui();
            let on_screen = match layers.last_mut() {
                Some(Layer::Data(v)) => match v.as_mut() {
                    DataView::Export { running, result, .. } => {
                        *running = progress;
                        if done.is_some() {
                            *result = done.clone();
                        }
                        true
                    }
                    _ => false,
                },
                _ => false,
            };
            // elsewhere (`X`, or the screen was left) the message line says it
            match (progress, done) {
                (_, Some((msg, false))) => sh.info(msg),
                (_, Some((msg, true))) => sh.fail(msg),
                (Some((a, b)), None) if !on_screen => sh.info(i18n::fill_all(d.exporting, &[&a, &b])),
                _ => {}
            }
            return;
        }
        DataEvent::Previewed(path, answer) => {
            // a late answer for a file the user has left is dropped
            if let Some(Layer::Data(v)) = layers.last_mut()
                && let DataView::Import { typed, step, .. } = v.as_mut()
                && matches!(step, ImportStep::Reading)
                && std::path::Path::new(typed.value().trim()) == path
            {
                *step = *answer;
            }
            return;
        }
        DataEvent::Imported((msg, failed), set) => {
            sh.data.importing = false;
            // what the thread wrote is this terminal's undo step, shown
            // everywhere once the app settles (as an import made inline)
            sh.store.adopt_change(set);
            if let Some(Layer::Data(v)) = layers.last_mut()
                && let DataView::Import { step, .. } = v.as_mut()
                && matches!(step, ImportStep::Importing(_))
            {
                *step = ImportStep::Done(msg, failed);
            } else if failed {
                sh.fail(msg);
            } else {
                sh.info(msg);
            }
            return;
        }
        DataEvent::Report(m, r) => {
            let shown = reporting::view(sh, *r);
            let Some(Layer::Data(v)) = layers.last_mut() else { return };
            // a late answer for a month the user has left is dropped
            if let DataView::Report { month, lines, report, .. } = v.as_mut()
                && *month == m
            {
                (*lines, *report) = shown;
            }
            return;
        }
    };
    let Some(Layer::Data(v)) = layers.last_mut() else { return };
    let DataView::Backup { step, .. } = v.as_mut() else { return };
    // progress only moves a running bar; a late one never hides the result
    if matches!(step, BackupStep::Running(..)) {
        *step = new_step;
    }
}

pub(super) fn screen(sh: &Shared, i: usize) -> DataView {
    match i {
        0 => DataView::Backup {
            targets: backing_up::targets(sh),
            sel: 0,
            typed: LineInput::default(),
            step: BackupStep::Choose,
        },
        1 => DataView::Restore {
            files: restoring::files(sh),
            sel: 0,
            typed: LineInput::default(),
            step: RestoreStep::Choose,
        },
        2 => DataView::Export { sel: 0, xlsx: true, full: false, result: None, running: None },
        3 => DataView::Import { typed: LineInput::default(), step: ImportStep::Choose, volunteers: false },
        5 => DataView::Import { typed: LineInput::default(), step: ImportStep::Choose, volunteers: true },
        _ => {
            let month = Month::of(sh.today.date);
            let (lines, report) = reporting::start(sh, month);
            DataView::Report { month, lines, scroll: 0, result: None, report }
        }
    }
}
