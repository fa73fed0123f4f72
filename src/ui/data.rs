//! The data screen (`B` from any panel): backup, restore, export, import of
//! residents, and the monthly report. One layer, [`DataView`], holding the
//! screen shown now; long work (a backup) runs on a thread and reports
//! through the app's event channel ([`DataEvent`]).

use super::app::{App, AppEvent};
use super::layers::Layer;
use super::theme::Theme;
use super::widgets::form::line;
use super::widgets::input::LineInput;
use crate::domain::text::width;
use crate::files::export::{self, ExportKind, ExportOptions, Format};
use crate::files::report::{self, Month};
use crate::files::{import, import_volunteers};
use crate::i18n::DataUiText;
use crate::i18n::{self, Lang};
use crate::platform::drives::Drive;
use crate::store::backup::{self, BackupError, BackupInfo, BackupOptions};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::widgets::{Block, Borders, Clear, Widget};
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
}

/// A month's report, one record at a time (never a whole list in memory).
fn month_report(
    store: &crate::store::Store,
    month: Month,
    lang: i18n::Lang,
    workers: &[crate::domain::Worker],
) -> Result<report::Report, crate::store::StoreError> {
    let mut b = report::Builder::new(month);
    store.scan_requests(|r| b.add(&r))?;
    store.scan::<crate::domain::duties::log::LogEntry>(|e| b.add_log(&e))?;
    store.scan::<crate::domain::volunteer::ServiceRecord>(|r| b.add_service(&r))?;
    store.scan::<crate::domain::volunteer::Team>(|t| b.add_team(&t))?;
    Ok(b.finish(lang, workers))
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

const KINDS: usize = 4;

fn kind_at(i: usize) -> ExportKind {
    ExportKind::all().get(i).copied().unwrap_or(ExportKind::Audit)
}

impl App {
    fn d(&self) -> &'static DataUiText {
        self.lang.data_ui()
    }

    pub fn open_data(&mut self) {
        self.layers.push(Layer::Data(Box::new(DataView::Menu(0))));
    }

    fn backup_targets(&self) -> Vec<Target> {
        let mut out: Vec<Target> = (self.data.drives)()
            .into_iter()
            .map(|d| Target { label: d.label, path: d.path, removable: true, free: Some(d.free_bytes) })
            .collect();
        let folder = backups_dir(self.store.dir());
        out.push(Target { label: self.d().default_folder.into(), path: folder, removable: false, free: None });
        out
    }

    fn backup_files(&self) -> Vec<PathBuf> {
        let mut dirs = vec![backups_dir(self.store.dir()), crate::store::snapshot::snapshot_dir(self.store.dir())];
        dirs.extend((self.data.drives)().into_iter().map(|d| d.path));
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

    /// Reads when a backup last left the machine, for the header.
    pub fn refresh_offsite_warning(&mut self) {
        let d = self.d();
        if self.demo {
            // the demo's records are made up: nothing to take home
            self.data.warning = None;
            return;
        }
        self.data.warning = match self.store.offsite_backup_overdue(self.now(), backup::DEFAULT_WARN_DAYS) {
            Ok(Some(i64::MAX)) => Some(d.offsite_never.to_string()),
            Ok(Some(days)) => Some(i18n::fill(d.offsite_overdue, days)),
            Ok(None) | Err(_) => None,
        };
    }

    pub fn data_event(&mut self, ev: DataEvent) {
        if let DataEvent::BackupDone(Ok(_)) = ev {
            self.refresh_offsite_warning();
        }
        let new_step = match ev {
            DataEvent::BackupDone(r) => self.backup_result(r),
            DataEvent::Progress(a, b) => BackupStep::Running(a, b),
            DataEvent::Report(m, r) => {
                let shown = self.report_view(*r);
                let Some(Layer::Data(v)) = self.layers.last_mut() else { return };
                // a late answer for a month the user has left is dropped
                if let DataView::Report { month, lines, report, .. } = v.as_mut()
                    && *month == m
                {
                    (*lines, *report) = shown;
                }
                return;
            }
        };
        let Some(Layer::Data(v)) = self.layers.last_mut() else { return };
        let DataView::Backup { step, .. } = v.as_mut() else { return };
        // progress only moves a running bar; a late one never hides the result
        if matches!(step, BackupStep::Running(..)) {
            *step = new_step;
        }
    }

    fn backup_result(&self, r: Result<BackupInfo, BackupError>) -> BackupStep {
        match r {
            Ok(info) => BackupStep::Done(i18n::fill(self.d().backup_done, info.path.display())),
            Err(e) => BackupStep::Failed(i18n::backup_error(self.lang, &e)),
        }
    }

    fn start_backup(&mut self, target: PathBuf, passphrase: Option<String>) -> BackupStep {
        // only our own folder is made; a typed folder that does not exist
        // is refused by backup() (a typed file name is a file, not a folder)
        let ours = backups_dir(self.store.dir());
        if target == ours
            && let Err(e) = std::fs::create_dir_all(&target)
        {
            return BackupStep::Failed(format!("{}: {e}", target.display()));
        }
        let store = self.store.clone();
        let now = self.now();
        let opts = BackupOptions { passphrase, operator: self.operator, work_factor: None };
        match self.data.tx.clone() {
            None => {
                let r = backup::backup(&store, &target, now, &opts, |_, _| {});
                if r.is_ok() {
                    self.refresh_offsite_warning();
                }
                self.backup_result(r)
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
                    let _ = tx.send(AppEvent::Data(DataEvent::BackupDone(r)));
                });
                BackupStep::Running(0, 1)
            }
        }
    }

    /// Starts counting `month`'s report: in the background when the app
    /// runs its event loop, at once otherwise (tests). Returns what to show
    /// meanwhile.
    fn start_report(&self, month: Month) -> (Vec<(String, bool)>, Option<Box<report::Report>>) {
        let (store, lang, workers) = (self.store.clone(), self.lang, self.workers.clone());
        match self.data.tx.clone() {
            None => self.report_view(month_report(&store, month, lang, &workers)),
            Some(tx) => {
                std::thread::spawn(move || {
                    let r = month_report(&store, month, lang, &workers);
                    let _ = tx.send(AppEvent::Data(DataEvent::Report(month, Box::new(r))));
                });
                (vec![(self.d().report_counting.to_string(), false)], None)
            }
        }
    }

    /// The report as screen lines (or the error), and the report kept for
    /// writing it out.
    fn report_view(
        &self,
        r: Result<report::Report, crate::store::StoreError>,
    ) -> (Vec<(String, bool)>, Option<Box<report::Report>>) {
        let rep = match r {
            Ok(r) => r,
            Err(e) => return (vec![(i18n::store_error(self.lang, &e), false)], None),
        };
        let mut out = Vec::new();
        let sections = report::sections(&rep, self.lang);
        let label_w =
            sections.iter().flat_map(|(_, rows)| rows.iter().map(|(k, _)| width(k))).max().unwrap_or(0).min(24);
        for (head, rows) in sections {
            out.push((head, true));
            for (k, v) in rows {
                out.push((format!("  {}  {v}", crate::domain::text::fit(&k, label_w)), false));
            }
        }
        (out, Some(Box::new(rep)))
    }

    /// Writes the counted report; `None` while it is still being counted.
    fn write_report(&self, rep: Option<&report::Report>, ext: &str) -> Option<(String, bool)> {
        let rep = rep?;
        let dir = exports_dir(self.store.dir());
        let out = dir.join(report::file_name(rep, self.lang, ext));
        Some(match std::fs::create_dir_all(&dir).and_then(|_| report::write(rep, self.lang, &out)) {
            Ok(()) => (i18n::fill(self.d().written, out.display()), false),
            Err(e) => (format!("{}: {e}", out.display()), true),
        })
    }

    fn export_opts(&self, xlsx: bool, full: bool) -> ExportOptions {
        ExportOptions {
            format: if xlsx { Format::Xlsx } else { Format::Csv },
            full_numbers: full,
            lang: self.lang,
            by: self.operator,
            at: self.now(),
        }
    }

    /// Exports every record of one kind into `exports/`.
    fn export_kind(&self, kind: ExportKind, xlsx: bool, full: bool) -> (String, bool) {
        let opts = self.export_opts(xlsx, full);
        let dir = exports_dir(self.store.dir());
        let out = dir.join(export::file_name(kind, &opts));
        if let Err(e) = std::fs::create_dir_all(&dir) {
            return (format!("{}: {e}", dir.display()), true);
        }
        match export::export(&self.store, kind, &out, &opts, |_, _| {}) {
            Ok(n) => (i18n::fill_all(self.d().exported, &[&n, &out.display()]), false),
            Err(e) => (i18n::store_error(self.lang, &e), true),
        }
    }

    /// Exports the requests list as filtered on screen (`X` on the
    /// requests panel): CSV, numbers masked.
    pub fn export_filtered(&mut self) {
        let ids: Vec<_> = self.requests.hits.iter().filter_map(|&i| self.requests.index.row(i)).map(|r| r.id).collect();
        let opts = self.export_opts(false, false);
        let dir = exports_dir(self.store.dir());
        let out = dir.join(export::file_name(ExportKind::Records(crate::store::record::RecordKind::Request), &opts));
        if let Err(e) = std::fs::create_dir_all(&dir) {
            self.message = Some((format!("{}: {e}", dir.display()), true));
            return;
        }
        match export::export_requests(&self.store, &ids, &out, &opts, |_, _| {}) {
            Ok(n) => self.info(i18n::fill_all(self.d().exported, &[&n, &out.display()])),
            Err(e) => self.error(&e),
        }
    }

    pub fn data_key(&mut self, mut v: Box<DataView>, key: &KeyEvent) {
        let d = self.d();
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
                    *v = self.data_screen(i);
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
                                let r = crate::platform::drives::is_on_removable(&p, &(self.data.drives)());
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
                                *step = self.start_backup(path, None);
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
                            KeyCode::Char('n') | KeyCode::Char('N') => *step = self.start_backup(path.clone(), None),
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
                                Some(a) if a == input.value() => *step = self.start_backup(path.clone(), Some(a)),
                                Some(_) => {
                                    input.clear();
                                    self.message = Some((d.pass_mismatch.into(), true));
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
                                *step = self.peek_backup(path, None);
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
                                *step = self.peek_backup(path.clone(), Some(input.value()));
                            }
                            _ => {
                                input.handle_key(key);
                            }
                        }
                        true
                    }
                    RestoreStep::Preview(path, pass, _) => match key.code {
                        KeyCode::Char('y') | KeyCode::Char('Y') => {
                            self.data.restore = Some(RestoreRequest { file: path.clone(), passphrase: pass.take() });
                            self.quit = true;
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
            DataView::Export { sel, xlsx, full, result } => {
                match key.code {
                    KeyCode::Esc => *v = DataView::Menu(2),
                    KeyCode::Up => *sel = sel.saturating_sub(1),
                    KeyCode::Down => *sel = (*sel + 1).min(KINDS - 1),
                    KeyCode::Char('t') => *xlsx = !*xlsx,
                    KeyCode::Char('v') => *full = !*full,
                    KeyCode::Enter => *result = Some(self.export_kind(kind_at(*sel), *xlsx, *full)),
                    _ => {}
                }
                true
            }
            DataView::Import { typed, step, volunteers } => {
                match step {
                    ImportStep::Choose => match key.code {
                        KeyCode::Esc => *v = DataView::Menu(if *volunteers { 5 } else { 3 }),
                        KeyCode::Enter => *step = self.import_preview(Path::new(typed.value().trim()), *volunteers),
                        _ => {
                            typed.handle_key(key);
                        }
                    },
                    ImportStep::Preview(p, _) => match key.code {
                        KeyCode::Char('y') | KeyCode::Char('Y') if p.errors() == 0 => {
                            *step = match (self.operator, p.to_import()) {
                                (_, 0) => ImportStep::Done(i18n::fill_all(d.imported, &[&0, &p.duplicates()]), false),
                                (Some(by), _) => match self.import_rows(p, by) {
                                    Ok(added) => {
                                        ImportStep::Done(i18n::fill_all(d.imported, &[&added, &p.duplicates()]), false)
                                    }
                                    Err(e) => ImportStep::Done(e.message(self.lang), true),
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
                        (*lines, *report) = self.start_report(*month);
                        *scroll = 0;
                        *result = None;
                    }
                    KeyCode::Char('h') => *result = self.write_report(report.as_deref(), "html"),
                    KeyCode::Char('x') => *result = self.write_report(report.as_deref(), "xlsx"),
                    _ => {}
                }
                true
            }
        };
        if keep {
            self.layers.push(Layer::Data(v));
        }
    }

    fn data_screen(&self, i: usize) -> DataView {
        match i {
            0 => DataView::Backup {
                targets: self.backup_targets(),
                sel: 0,
                typed: LineInput::default(),
                step: BackupStep::Choose,
            },
            1 => DataView::Restore {
                files: self.backup_files(),
                sel: 0,
                typed: LineInput::default(),
                step: RestoreStep::Choose,
            },
            2 => DataView::Export { sel: 0, xlsx: true, full: false, result: None },
            3 => DataView::Import { typed: LineInput::default(), step: ImportStep::Choose, volunteers: false },
            5 => DataView::Import { typed: LineInput::default(), step: ImportStep::Choose, volunteers: true },
            _ => {
                let month = Month::of(self.today.date);
                let (lines, report) = self.start_report(month);
                DataView::Report { month, lines, scroll: 0, result: None, report }
            }
        }
    }

    fn peek_backup(&self, path: PathBuf, pass: Option<String>) -> RestoreStep {
        match backup::peek(&path, pass.as_deref()) {
            Ok((manifest, encrypted)) => {
                let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                let info = BackupInfo { path: path.clone(), manifest, encrypted, bytes };
                let summary = i18n::backup_summary(self.lang, &info);
                RestoreStep::Preview(path, pass, summary)
            }
            Err(BackupError::PassphraseRequired) => RestoreStep::Pass(path, LineInput::default()),
            Err(e) => RestoreStep::Failed(i18n::backup_error(self.lang, &e)),
        }
    }

    /// Writes an import's good rows and shows them in the open panels;
    /// returns how many were added.
    fn import_rows(&mut self, p: &AnyPreview, by: crate::domain::WorkerId) -> Result<usize, import::ImportError> {
        match p {
            AnyPreview::Residents(p) => {
                let added = import::import(&self.store, p, false, by, self.now())?;
                for r in &added {
                    self.resident_changed(r.id, Some(r));
                }
                self.residents.refilter(&self.requests.index);
                Ok(added.len())
            }
            AnyPreview::Volunteers(p) => {
                let added = import_volunteers::import(&self.store, p, false, by, self.now())?;
                if self.roster.loaded {
                    for v in &added {
                        let res = match v.resident {
                            Some(r) => self.store.resident(r)?,
                            None => None,
                        };
                        self.roster.data.upsert_volunteer(v, res.as_ref());
                    }
                    self.roster.refilter(self.today.date);
                }
                Ok(added.len())
            }
        }
    }

    fn import_preview(&self, path: &Path, volunteers: bool) -> ImportStep {
        let sheet = match import::read_sheet(path) {
            Ok(s) => s,
            Err(e) => return ImportStep::Done(e.message(self.lang), true),
        };
        if volunteers {
            let map = import_volunteers::detect_columns(&sheet);
            return match import_volunteers::preview(&self.store, &sheet, &map, self.today.date) {
                Ok(p) => {
                    let rows = p
                        .rows
                        .iter()
                        .filter(|r| !r.problems.is_empty())
                        .map(|r| {
                            let what: Vec<String> = r.problems.iter().map(|x| x.message(self.lang)).collect();
                            format!("{} {}: {} {}", self.d().row, r.row, r.volunteer.name, what.join("; "))
                        })
                        .collect();
                    ImportStep::Preview(Box::new(AnyPreview::Volunteers(p)), rows)
                }
                Err(e) => ImportStep::Done(e.message(self.lang), true),
            };
        }
        let map = import::detect_columns(&sheet);
        match import::preview(&self.store, &sheet, &map) {
            Ok(p) => {
                let rows = p
                    .rows
                    .iter()
                    .filter(|r| !r.problems.is_empty())
                    .map(|r| {
                        let what: Vec<String> = r.problems.iter().map(|x| x.message(self.lang)).collect();
                        format!("{} {}: {} {}", self.d().row, r.row, r.resident.name, what.join("; "))
                    })
                    .collect();
                ImportStep::Preview(Box::new(AnyPreview::Residents(p)), rows)
            }
            Err(e) => ImportStep::Done(e.message(self.lang), true),
        }
    }
}

fn boxed(r: Rect, buf: &mut Buffer, theme: &Theme, title: &str) -> Rect {
    Clear.render(r, buf);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(format!(" {title} "))
        .title_style(theme.title);
    let inner = block.inner(r);
    block.render(r, buf);
    inner
}

impl DataView {
    /// Draws the screen over `area`; returns where the cursor belongs.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, lang: Lang) -> Option<Position> {
        let d = lang.data_ui();
        let r = area;
        let (title, keys) = match self {
            DataView::Menu(_) => (d.title, d.menu_keys),
            DataView::Backup { .. } => (d.backup, d.backup_keys),
            DataView::Restore { .. } => (d.restore, d.restore_keys),
            DataView::Export { .. } => (d.export, d.export_keys),
            DataView::Import { volunteers: false, .. } => (d.import, d.import_keys),
            DataView::Import { volunteers: true, .. } => (d.import_volunteers, d.import_keys),
            DataView::Report { .. } => (d.report, d.report_keys),
        };
        let inner = boxed(r, buf, theme, title);
        let (x, w) = (inner.x + 1, inner.width.saturating_sub(2));
        let mut y = inner.y;
        let bottom = inner.bottom().saturating_sub(1);
        line(buf, x, bottom, w, keys, theme.dim);
        let put = |buf: &mut Buffer, y: &mut u16, s: &str, style| {
            if *y < bottom {
                line(buf, x, *y, w, s, style);
                *y += 1;
            }
        };
        let mut cursor = None;
        match self {
            DataView::Menu(sel) => {
                for (i, item) in d.items.iter().enumerate() {
                    let style = if i == *sel { theme.selected } else { theme.base };
                    let mark = if i == *sel { ">" } else { " " };
                    put(buf, &mut y, &format!("{mark} {} {item}", i + 1), style);
                }
            }
            DataView::Backup { targets, sel, typed, step } => {
                put(buf, &mut y, d.pick_target, theme.base);
                for (i, t) in targets.iter().enumerate() {
                    let style = if i == *sel { theme.selected } else { theme.base };
                    let mark = if i == *sel { ">" } else { " " };
                    let free = t.free.map(|b| format!("  {} {}", d.free, mb(b))).unwrap_or_default();
                    let kind = if t.removable { d.removable } else { "" };
                    put(buf, &mut y, &format!("{mark} {} {kind} {}{free}", t.label, t.path.display()), style);
                }
                let style = if *sel == targets.len() { theme.selected } else { theme.base };
                let mark = if *sel == targets.len() { ">" } else { " " };
                let label = format!("{mark} {}: ", d.typed_path);
                let lw = width(&label) as u16;
                put(buf, &mut y, &label, style);
                if y - 1 < bottom {
                    let p = typed.render(Rect::new(x + lw, y - 1, w.saturating_sub(lw), 1), buf, theme.input);
                    if *sel == targets.len() && matches!(step, BackupStep::Choose) {
                        cursor = Some(p);
                    }
                }
                y += 1;
                match step {
                    BackupStep::Choose => {}
                    BackupStep::AskEncrypt(_) => put(buf, &mut y, d.suggest_encrypt, theme.warn),
                    BackupStep::Pass(_, input, first) => {
                        let label = if first.is_some() { d.pass_again } else { d.pass };
                        let stars = "*".repeat(input.value().chars().count());
                        put(buf, &mut y, &format!("{label}: {stars}"), theme.focus);
                        cursor = Some(Position::new(x + width(label) as u16 + 2 + stars.len() as u16, y - 1));
                    }
                    BackupStep::Running(a, b) => {
                        put(buf, &mut y, d.working, theme.base);
                        put(buf, &mut y, &bar(*a, *b, (w as usize).saturating_sub(8).min(50)), theme.focus);
                    }
                    BackupStep::Done(s) => {
                        put(buf, &mut y, &bar(1, 1, (w as usize).saturating_sub(8).min(50)), theme.ok);
                        for l in crate::ui::layers::wrap(s, w as usize) {
                            put(buf, &mut y, &l, theme.ok);
                        }
                    }
                    BackupStep::Failed(s) => {
                        for l in crate::ui::layers::wrap(&format!("! {s}"), w as usize) {
                            put(buf, &mut y, &l, theme.error);
                        }
                    }
                }
            }
            DataView::Restore { files, sel, typed, step } => match step {
                RestoreStep::Choose | RestoreStep::Failed(_) => {
                    put(buf, &mut y, d.pick_file, theme.base);
                    let room = bottom.saturating_sub(y + 3) as usize;
                    let start = sel.saturating_sub(room.saturating_sub(1)).min(files.len());
                    for (i, f) in files.iter().enumerate().skip(start).take(room) {
                        let style = if i == *sel { theme.selected } else { theme.base };
                        let mark = if i == *sel { ">" } else { " " };
                        put(buf, &mut y, &format!("{mark} {}", f.display()), style);
                    }
                    let style = if *sel == files.len() { theme.selected } else { theme.base };
                    let mark = if *sel == files.len() { ">" } else { " " };
                    let label = format!("{mark} {}: ", d.typed_path);
                    let lw = width(&label) as u16;
                    put(buf, &mut y, &label, style);
                    let p = typed.render(Rect::new(x + lw, y - 1, w.saturating_sub(lw), 1), buf, theme.input);
                    if *sel == files.len() {
                        cursor = Some(p);
                    }
                    if let RestoreStep::Failed(s) = step {
                        put(buf, &mut y, &format!("! {s}"), theme.error);
                    }
                }
                RestoreStep::Pass(path, input) => {
                    put(buf, &mut y, &path.display().to_string(), theme.base);
                    let stars = "*".repeat(input.value().chars().count());
                    put(buf, &mut y, &format!("{}: {stars}", d.pass), theme.focus);
                    cursor = Some(Position::new(x + width(d.pass) as u16 + 2 + stars.len() as u16, y - 1));
                }
                RestoreStep::Preview(path, _, summary) => {
                    put(buf, &mut y, &path.display().to_string(), theme.base);
                    y += 1;
                    for l in summary.lines().flat_map(|l| crate::ui::layers::wrap(l, w as usize)) {
                        put(buf, &mut y, &l, theme.base);
                    }
                    y += 1;
                    for l in crate::ui::layers::wrap(d.restore_warning, w as usize) {
                        put(buf, &mut y, &l, theme.warn);
                    }
                    put(buf, &mut y, d.restore_yes_no, theme.focus);
                }
            },
            DataView::Export { sel, xlsx, full, result } => {
                for i in 0..KINDS {
                    let style = if i == *sel { theme.selected } else { theme.base };
                    let mark = if i == *sel { ">" } else { " " };
                    put(buf, &mut y, &format!("{mark} {}", i18n::section(lang, kind_at(i).name())), style);
                }
                y += 1;
                put(
                    buf,
                    &mut y,
                    &format!("{}: {}", d.format, if *xlsx { "XLSX" } else { "CSV (UTF-8 BOM)" }),
                    theme.base,
                );
                let numbers = if *full { d.numbers_full } else { d.numbers_masked };
                put(buf, &mut y, &format!("{}: {numbers}", d.numbers), if *full { theme.warn } else { theme.base });
                if let Some((s, err)) = result {
                    y += 1;
                    for l in crate::ui::layers::wrap(s, w as usize) {
                        put(buf, &mut y, &l, if *err { theme.error } else { theme.ok });
                    }
                }
            }
            DataView::Import { typed, step, volunteers } => {
                let label = format!("{}: ", d.file);
                let lw = width(&label) as u16;
                put(buf, &mut y, &label, theme.base);
                let p = typed.render(Rect::new(x + lw, y - 1, w.saturating_sub(lw), 1), buf, theme.input);
                match step {
                    ImportStep::Choose => {
                        cursor = Some(p);
                        put(buf, &mut y, if *volunteers { d.import_hint_volunteers } else { d.import_hint }, theme.dim);
                    }
                    ImportStep::Preview(p, rows) => {
                        let head = i18n::fill_all(d.import_preview, &[&p.to_import(), &p.duplicates(), &p.errors()]);
                        put(buf, &mut y, &head, theme.base);
                        let room = bottom.saturating_sub(y + 1) as usize;
                        for r in rows.iter().take(room) {
                            put(buf, &mut y, r, theme.warn);
                        }
                        if p.errors() > 0 {
                            put(buf, &mut y, d.import_has_errors, theme.error);
                        } else {
                            put(buf, &mut y, d.import_yes_no, theme.focus);
                        }
                    }
                    ImportStep::Done(s, err) => {
                        for l in crate::ui::layers::wrap(s, w as usize) {
                            put(buf, &mut y, &l, if *err { theme.error } else { theme.ok });
                        }
                    }
                }
            }
            DataView::Report { month, lines, scroll, result, .. } => {
                let t = lang.report();
                put(buf, &mut y, &format!("< {} {} >", t.title, month.label()), theme.title);
                let room = bottom.saturating_sub(y + if result.is_some() { 1 } else { 0 }) as usize;
                for (l, head) in lines.iter().skip(*scroll as usize).take(room) {
                    put(buf, &mut y, l, if *head { theme.column_head } else { theme.base });
                }
                if let Some((s, err)) = result {
                    line(buf, x, bottom - 1, w, s, if *err { theme.error } else { theme.ok });
                }
            }
        }
        cursor
    }
}
