//! The data screen (`B` from any panel): backup, restore, export, import of
//! residents, and the monthly report. One layer, [`DataView`], holding the
//! screen shown now; long work (a backup) runs on a thread and reports
//! through the app's event channel ([`DataEvent`]).

mod backing_up;
mod exporting;
mod importing;
mod reporting;
mod restoring;
mod view;

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
    pub warning: Option<String>,
}

impl Default for DataState {
    fn default() -> Self {
        DataState {
            drives: Box::new(crate::platform::drives::removable_drives),
            tx: None,
            restore: None,
            warning: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreRequest {
    pub file: PathBuf,
    pub passphrase: Option<String>,
}

/// News from a background job.
pub enum DataEvent {
    Progress(u64, u64),
    BackupDone(Result<BackupInfo, BackupError>),
    /// A month's report, counted in the background (it reads every
    /// request, log entry and service record: most of a second on a large
    /// store).
    Report(Month, Box<Result<report::Report, crate::store::StoreError>>),
    /// An export's progress (rows written, of all), then its outcome (the
    /// message, and whether it failed).
    Exported(Option<(u64, u64)>, Option<(String, bool)>),
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
    Preview(PathBuf, Option<String>, String),
    Failed(String),
}

pub enum ImportStep {
    Choose,
    Preview(Box<AnyPreview>, Vec<String>),
    Done(String, bool),
}

/// What an import will do, for residents or for volunteers.
pub enum AnyPreview {
    Residents(import::Preview),
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

pub(super) const KINDS: usize = 4;

pub(super) fn kind_at(i: usize) -> ExportKind {
    ExportKind::all().get(i).copied().unwrap_or(ExportKind::Audit)
}

impl DataView {
    /// The key map's scope of the screen shown.
    pub fn scope(&self) -> Scope {
        Scope::Data
    }
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
        Ok(Some(i64::MAX)) => Some(d.offsite_never.to_string()),
        Ok(Some(days)) => Some(i18n::fill(d.offsite_overdue, days)),
        Ok(None) | Err(_) => None,
    };
}

pub fn event(ev: DataEvent, sh: &mut Shared, layers: &mut [Layer]) {
    if let DataEvent::BackupDone(Ok(_)) = ev {
        refresh_offsite_warning(sh);
    }
    let new_step = match ev {
        DataEvent::BackupDone(r) => backing_up::result(sh, r),
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

/// A key on a data screen.
pub fn handle_key(mut v: Box<DataView>, key: &KeyEvent, sh: &mut Shared, _panels: &mut Panels, stack: &mut Vec<Layer>) {
    let d = sh.lang.data_ui();
    let keep = match v.as_mut() {
        DataView::Menu(sel) => match key.code {
            KeyCode::Esc | KeyCode::Char('q') => false,
            KeyCode::Up | KeyCode::Char('k') => {
                *sel = sel.saturating_sub(1);
                true
            }
            KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => {
                *sel = (*sel + 1).min(d.items.len() - 1);
                true
            }
            KeyCode::Enter | KeyCode::Char('1'..='6') => {
                let i = match key.code {
                    KeyCode::Char(c) => c as usize - '1' as usize,
                    _ => *sel,
                };
                *v = screen(sh, i);
                true
            }
            _ => true,
        },
        DataView::Backup { targets, sel, typed, step } => {
            let typing = *sel == targets.len();
            match step {
                BackupStep::Choose => match key.code {
                    KeyCode::Esc => {
                        *v = DataView::Menu(0);
                        true
                    }
                    KeyCode::Up => {
                        *sel = sel.saturating_sub(1);
                        true
                    }
                    KeyCode::Down | KeyCode::Tab => {
                        *sel = (*sel + 1).min(targets.len());
                        true
                    }
                    KeyCode::Enter | KeyCode::Char('e') if !typing || key.code == KeyCode::Enter => {
                        let (path, removable) = if typing {
                            let p = PathBuf::from(typed.value().trim());
                            let r = crate::platform::drives::is_on_removable(&p, &(sh.data.drives)());
                            (p, r)
                        } else {
                            (targets[*sel].path.clone(), targets[*sel].removable)
                        };
                        if path.as_os_str().is_empty() {
                        } else if key.code == KeyCode::Char('e') {
                            *step = BackupStep::Pass(path, LineInput::default(), None);
                        } else if removable {
                            *step = BackupStep::AskEncrypt(path);
                        } else {
                            *step = backing_up::start(sh, path, None);
                        }
                        true
                    }
                    _ => {
                        if typing {
                            typed.handle_key(key);
                        }
                        true
                    }
                },
                BackupStep::AskEncrypt(path) => {
                    match key.code {
                        KeyCode::Char('y') | KeyCode::Char('Y') => {
                            *step = BackupStep::Pass(path.clone(), LineInput::default(), None)
                        }
                        KeyCode::Char('n') | KeyCode::Char('N') => *step = backing_up::start(sh, path.clone(), None),
                        KeyCode::Esc => *step = BackupStep::Choose,
                        _ => {}
                    }
                    true
                }
                BackupStep::Pass(path, input, first) => {
                    match key.code {
                        KeyCode::Esc => *step = BackupStep::Choose,
                        KeyCode::Enter if input.is_empty() => {}
                        KeyCode::Enter => match first.take() {
                            None => {
                                *first = Some(input.value());
                                input.clear();
                            }
                            Some(a) if a == input.value() => *step = backing_up::start(sh, path.clone(), Some(a)),
                            Some(_) => {
                                input.clear();
                                sh.message = Some((d.pass_mismatch.into(), true));
                            }
                        },
                        _ => {
                            input.handle_key(key);
                        }
                    }
                    true
                }
                BackupStep::Running(..) => true,
                BackupStep::Done(_) | BackupStep::Failed(_) => {
                    if matches!(key.code, KeyCode::Esc | KeyCode::Enter) {
                        *step = BackupStep::Choose;
                    }
                    true
                }
            }
        }
        DataView::Restore { files, sel, typed, step } => {
            let typing = *sel == files.len();
            match step {
                RestoreStep::Choose => match key.code {
                    KeyCode::Esc => {
                        *v = DataView::Menu(1);
                        true
                    }
                    KeyCode::Up => {
                        *sel = sel.saturating_sub(1);
                        true
                    }
                    KeyCode::Down | KeyCode::Tab => {
                        *sel = (*sel + 1).min(files.len());
                        true
                    }
                    KeyCode::Enter => {
                        let path = if typing { PathBuf::from(typed.value().trim()) } else { files[*sel].clone() };
                        if !path.as_os_str().is_empty() {
                            *step = restoring::peek(sh, path, None);
                        }
                        true
                    }
                    _ => {
                        if typing {
                            typed.handle_key(key);
                        }
                        true
                    }
                },
                RestoreStep::Pass(path, input) => {
                    match key.code {
                        KeyCode::Esc => *step = RestoreStep::Choose,
                        KeyCode::Enter if !input.is_empty() => {
                            *step = restoring::peek(sh, path.clone(), Some(input.value()));
                        }
                        _ => {
                            input.handle_key(key);
                        }
                    }
                    true
                }
                RestoreStep::Preview(path, pass, _) => match key.code {
                    KeyCode::Char('y') | KeyCode::Char('Y') => {
                        sh.data.restore = Some(RestoreRequest { file: path.clone(), passphrase: pass.take() });
                        sh.quit = true;
                        false
                    }
                    KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
                        *step = RestoreStep::Choose;
                        true
                    }
                    _ => true,
                },
                RestoreStep::Failed(_) => {
                    if matches!(key.code, KeyCode::Esc | KeyCode::Enter) {
                        *step = RestoreStep::Choose;
                    }
                    true
                }
            }
        }
        DataView::Export { sel, xlsx, full, result, running } => {
            match key.code {
                KeyCode::Esc => *v = DataView::Menu(2),
                KeyCode::Up => *sel = sel.saturating_sub(1),
                KeyCode::Down => *sel = (*sel + 1).min(KINDS - 1),
                KeyCode::Char('t') => *xlsx = !*xlsx,
                KeyCode::Char('v') => *full = !*full,
                // one export at a time
                KeyCode::Enter if running.is_none() => {
                    *result = exporting::export_kind(sh, kind_at(*sel), *xlsx, *full);
                    if result.is_none() {
                        *running = Some((0, 1));
                    }
                }
                _ => {}
            }
            true
        }
        DataView::Import { typed, step, volunteers } => {
            match step {
                ImportStep::Choose => match key.code {
                    KeyCode::Esc => *v = DataView::Menu(if *volunteers { 5 } else { 3 }),
                    KeyCode::Enter => *step = importing::preview(sh, Path::new(typed.value().trim()), *volunteers),
                    _ => {
                        typed.handle_key(key);
                    }
                },
                ImportStep::Preview(p, _) => match key.code {
                    KeyCode::Char('y') | KeyCode::Char('Y') if p.errors() == 0 => {
                        *step = match (sh.operator, p.to_import()) {
                            (_, 0) => ImportStep::Done(i18n::fill_all(d.imported, &[&0, &p.duplicates()]), false),
                            (Some(by), _) => match importing::rows(sh, p, by) {
                                Ok(added) => {
                                    ImportStep::Done(i18n::fill_all(d.imported, &[&added, &p.duplicates()]), false)
                                }
                                Err(e) => ImportStep::Done(e.message(sh.lang), true),
                            },
                            (None, _) => ImportStep::Done(d.no_operator.into(), true),
                        }
                    }
                    KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => *step = ImportStep::Choose,
                    _ => {}
                },
                ImportStep::Done(..) => {
                    if matches!(key.code, KeyCode::Esc | KeyCode::Enter) {
                        *step = ImportStep::Choose;
                    }
                }
            }
            true
        }
        DataView::Report { month, lines, scroll, result, report } => {
            match key.code {
                KeyCode::Esc => *v = DataView::Menu(4),
                KeyCode::Up => *scroll = scroll.saturating_sub(1),
                KeyCode::Down => *scroll = (*scroll + 1).min(lines.len().saturating_sub(1) as u16),
                KeyCode::Left | KeyCode::Right => {
                    *month = if key.code == KeyCode::Left { month.prev() } else { month.next() };
                    (*lines, *report) = reporting::start(sh, *month);
                    *scroll = 0;
                    *result = None;
                }
                KeyCode::Char('h') => *result = reporting::write(sh, report.as_deref(), "html"),
                KeyCode::Char('x') => *result = reporting::write(sh, report.as_deref(), "xlsx"),
                _ => {}
            }
            true
        }
    };
    if keep {
        stack.push(Layer::Data(v));
    }
}
