//! Exports: every kind of record, or the requests the user has filtered on
//! screen, as CSV or XLSX, with Chinese headers. Phone numbers are masked
//! unless `full_numbers`, and every export is recorded in the audit trail
//! (who, when, what, how many, whether numbers were in full, where).
//!
//! Rows are streamed: CSV straight to the file, XLSX through
//! rust_xlsxwriter's constant-memory mode, so 100,000 requests need no
//! more memory than a few.

use super::Col;
use crate::domain::{Request, RequestId, Resident, Worker, WorkerId, mask};
use crate::i18n::{self, Lang, fields};
use crate::store::audit::AuditEntry;
use crate::store::backup::Unreadable;
use crate::store::record::Record as _;
use crate::store::record::RecordKind;
use crate::store::{Store, StoreError};
use chrono::NaiveDateTime;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" | "excel" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// What can be exported: each kind of record, and the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Records(RecordKind),
    Audit,
}

impl ExportKind {
    pub fn all() -> Vec<ExportKind> {
        RecordKind::ALL.into_iter().map(ExportKind::Records).chain([ExportKind::Audit]).collect()
    }

    /// `requests`, `request`, `诉求`, `audit`, …
    pub fn parse(s: &str) -> Option<ExportKind> {
        let s = s.trim().to_lowercase();
        if matches!(s.as_str(), "audit" | "审计" | "审计记录" | "审计日志" | "操作记录") {
            return Some(ExportKind::Audit);
        }
        RecordKind::ALL.into_iter().map(ExportKind::Records).find(|k| {
            let name = k.name();
            s == name || s == format!("{name}s") || s == i18n::section(Lang::Zh, name)
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            ExportKind::Records(k) => k.name(),
            ExportKind::Audit => "audit",
        }
    }

    pub fn columns(self) -> &'static [Col] {
        use Col::*;
        match self {
            ExportKind::Records(RecordKind::Request) => &[
                Id,
                LoggedAt,
                LoggedBy,
                Channel,
                WorkOrder,
                HotlineDue,
                Category,
                Title,
                Description,
                Location,
                Resident,
                ResidentPhone,
                Urgency,
                Status,
                Assignee,
                Due,
                Satisfaction,
                Timeline,
            ],
            ExportKind::Records(RecordKind::Resident) => {
                &[Id, Name, Phone, Estate, Building, Unit, Room, Grid, Tags, Notes]
            }
            ExportKind::Records(RecordKind::Worker) => &[Id, Name, Post, Phone, Grid, Active],
            ExportKind::Audit => &[At, By, What, Key, Action, Changes],
            // other kinds are exported field by field (`Record::fields`,
            // which masks phone numbers) under their field names
            ExportKind::Records(_) => &[],
        }
    }
}

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub format: Format,
    /// Phone numbers in full (recorded in the audit trail either way).
    pub full_numbers: bool,
    pub lang: Lang,
    /// Who exports, for the audit trail.
    pub by: Option<WorkerId>,
    pub at: NaiveDateTime,
}

/// A default file name: `居民-20261124-1000.xlsx`.
pub fn file_name(kind: ExportKind, opts: &ExportOptions) -> String {
    let what = i18n::section(opts.lang, kind.name());
    format!("{what}-{}.{}", opts.at.format("%Y%m%d-%H%M"), opts.format.ext())
}

/// Exports every record of `kind` to `out`. Returns the number of rows.
pub fn export(
    store: &Store,
    kind: ExportKind,
    out: &Path,
    opts: &ExportOptions,
    progress: impl FnMut(u64, u64),
) -> Result<u64, StoreError> {
    export_reporting(store, kind, out, opts, progress).map(|e| e.rows)
}

/// What an export wrote, and the records it had to leave out.
#[derive(Debug, Clone, Default)]
pub struct Exported {
    pub rows: u64,
    /// Records the store could not read: every other one is exported.
    pub unreadable: Vec<Unreadable>,
}

/// [`export`], saying which records could not be read and were left out
/// (one damaged record must not keep every other from being copied).
pub fn export_reporting(
    store: &Store,
    kind: ExportKind,
    out: &Path,
    opts: &ExportOptions,
    progress: impl FnMut(u64, u64),
) -> Result<Exported, StoreError> {
    let mut unreadable = Vec::new();
    let ctx = Names::of(store, kind, &mut unreadable)?;
    let mut bad = |what: &str, key: u64, why: String| {
        if !unreadable.iter().any(|u: &Unreadable| u.kind == what && u.key == key) {
            unreadable.push(Unreadable { kind: what.to_string(), key, why });
        }
    };
    let rows = write_atomically(out, opts, kind, |sheet| {
        let mut w = RowWriter { sheet, ctx: &ctx, opts, n: 0, total: 0, progress };
        let mut result = Ok(());
        match kind {
            ExportKind::Records(RecordKind::Request) => {
                w.total = store.count(RecordKind::Request) as u64;
                store.scan_readable(
                    |r: Request| {
                        if result.is_ok() {
                            result = w.request(&r);
                        }
                    },
                    |k, why| bad("request", k, why),
                )?;
            }
            ExportKind::Records(RecordKind::Resident) => {
                w.total = ctx.residents.len() as u64;
                store.scan_readable(
                    |r: Resident| {
                        if result.is_ok() {
                            result = w.resident(&r);
                        }
                    },
                    |k, why| bad("resident", k, why),
                )?;
            }
            ExportKind::Records(RecordKind::Worker) => {
                store.scan_readable(
                    |x: Worker| {
                        if result.is_ok() {
                            result = w.worker(&x);
                        }
                    },
                    |k, why| bad("worker", k, why),
                )?;
            }
            ExportKind::Records(k) => {
                crate::with_record_type!(k, R => {
                    store.scan_readable(|r: R| {
                        if result.is_ok() {
                            let cells: Vec<String> = r
                                .fields()
                                .into_iter()
                                .map(|(key, v)| fields::show(opts.lang, k, key, &v, w.ctx))
                                .collect();
                            result = w.put(&cells);
                        }
                    }, |key, why| bad(k.name(), key, why))?;
                })
            }
            ExportKind::Audit => {
                store.scan_audit_readable(
                    |e| {
                        if result.is_ok() {
                            result = w.audit(&e);
                        }
                    },
                    |k, why| bad("audit", k, why),
                )?;
            }
        }
        result?;
        Ok(w.n)
    })?;
    let target = crate::platform::paths::canonical(out);
    let kind = match kind {
        ExportKind::Records(k) => Some(k),
        ExportKind::Audit => None,
    };
    store.record_export(kind, rows, opts.format.ext(), opts.full_numbers, &target, opts.by, opts.at)?;
    Ok(Exported { rows, unreadable })
}

/// Exports the requests with these ids, in this order (the list the user
/// has filtered and sorted on screen). Ids that no longer exist are skipped.
pub fn export_requests(
    store: &Store,
    ids: &[RequestId],
    out: &Path,
    opts: &ExportOptions,
    progress: impl FnMut(u64, u64),
) -> Result<u64, StoreError> {
    let ctx = Names::of(store, ExportKind::Records(RecordKind::Request), &mut Vec::new())?;
    let kind = ExportKind::Records(RecordKind::Request);
    let rows = write_atomically(out, opts, kind, |sheet| {
        let mut w = RowWriter { sheet, ctx: &ctx, opts, n: 0, total: ids.len() as u64, progress };
        for id in ids {
            if let Some(r) = store.request(*id)? {
                w.request(&r)?;
            }
        }
        Ok(w.n)
    })?;
    let target = crate::platform::paths::canonical(out);
    store.record_export(
        Some(RecordKind::Request),
        rows,
        opts.format.ext(),
        opts.full_numbers,
        &target,
        opts.by,
        opts.at,
    )?;
    Ok(rows)
}

/// Names for ids: who a resident or a worker is, and (for the roster's
/// records) which team, post, volunteer or activity.
struct Names {
    residents: HashMap<u64, (String, String)>,
    /// Which residents' tags go out as a neutral mark (unless in full).
    sensitive: crate::domain::resident::SensitiveTags,
    workers: HashMap<u64, String>,
    roster: HashMap<(u8, u64), String>,
}

impl Names {
    fn of(store: &Store, kind: ExportKind, unreadable: &mut Vec<Unreadable>) -> Result<Names, StoreError> {
        use crate::domain::volunteer::{Activity, Post, Team, Volunteer};
        let mut roster = HashMap::new();
        let roster_names = match kind {
            // the trail names the roster's records its entries are about
            ExportKind::Audit => true,
            ExportKind::Records(k) => matches!(
                k,
                RecordKind::Team
                    | RecordKind::Post
                    | RecordKind::Volunteer
                    | RecordKind::Activity
                    | RecordKind::ServiceRecord
                    | RecordKind::Certificate
            ),
        };
        if roster_names {
            store.scan_readable(
                |t: Team| {
                    roster.insert((1, t.id.0), t.name);
                },
                |_, _| {}, // named as unreadable where it is exported itself
            )?;
            store.scan_readable(
                |p: Post| {
                    roster.insert((2, p.id.0), p.name);
                },
                |_, _| {}, // named as unreadable where it is exported itself
            )?;
            store.scan_readable(
                |v: Volunteer| {
                    roster.insert((3, v.id.0), v.name);
                },
                |_, _| {}, // named as unreadable where it is exported itself
            )?;
            store.scan_readable(
                |a: Activity| {
                    roster.insert((4, a.id.0), format!("{} {}", a.date, a.title));
                },
                |_, _| {}, // named as unreadable where it is exported itself
            )?;
        }
        let mut names = Names {
            residents: HashMap::new(),
            sensitive: crate::store::tags::load_sensitive_tags(store.dir()),
            workers: HashMap::new(),
            roster,
        };
        let mut bad = Vec::new();
        store.scan_readable(
            |r: Resident| {
                names.residents.insert(r.id.0, (r.name, r.phone));
            },
            |k, why| bad.push(Unreadable { kind: "resident".into(), key: k, why }),
        )?;
        store.scan_readable(
            |w: Worker| {
                names.workers.insert(w.id.0, w.name);
            },
            |k, why| bad.push(Unreadable { kind: "worker".into(), key: k, why }),
        )?;
        unreadable.extend(bad);
        Ok(names)
    }

    fn worker(&self, id: Option<WorkerId>) -> String {
        id.and_then(|w| self.workers.get(&w.0).cloned()).unwrap_or_default()
    }
}

impl fields::Names for Names {
    fn worker(&self, id: u64) -> Option<String> {
        self.workers.get(&id).cloned()
    }
    fn resident(&self, id: u64) -> Option<String> {
        self.residents.get(&id).map(|(n, _)| n.clone())
    }
    fn team(&self, id: u64) -> Option<String> {
        self.roster.get(&(1, id)).cloned()
    }
    fn post(&self, id: u64) -> Option<String> {
        self.roster.get(&(2, id)).cloned()
    }
    fn volunteer(&self, id: u64) -> Option<String> {
        self.roster.get(&(3, id)).cloned()
    }
    fn activity(&self, id: u64) -> Option<String> {
        self.roster.get(&(4, id)).cloned()
    }
}

struct RowWriter<'a, P: FnMut(u64, u64)> {
    sheet: &'a mut dyn Sheet,
    ctx: &'a Names,
    opts: &'a ExportOptions,
    n: u64,
    total: u64,
    progress: P,
}

impl<P: FnMut(u64, u64)> RowWriter<'_, P> {
    fn phone(&self, p: &str) -> String {
        if self.opts.full_numbers { p.to_string() } else { mask::phone(p) }
    }

    fn put(&mut self, cells: &[String]) -> Result<(), StoreError> {
        self.sheet.row(cells)?;
        self.n += 1;
        if self.n.is_multiple_of(2048) {
            (self.progress)(self.n, self.total.max(self.n));
        }
        Ok(())
    }

    fn request(&mut self, r: &Request) -> Result<(), StoreError> {
        let lang = self.opts.lang;
        let (res_name, res_phone) = r
            .resident
            .and_then(|id| self.ctx.residents.get(&id.0))
            .map(|(n, p)| (n.clone(), self.phone(p)))
            .unwrap_or_default();
        let timeline: Vec<String> = r
            .notes
            .iter()
            .map(|n| {
                let what = i18n::note_step(lang, n, r.merged_into);
                let by = if n.by == crate::domain::request::PROGRAM {
                    lang.practice().program.to_string()
                } else {
                    self.ctx.worker(Some(n.by))
                };
                let mut line = format!("{} {by} {what}", n.at.format("%Y-%m-%d %H:%M"));
                // (a 退单's note keeps who had it, not whom it went to)
                let returned =
                    matches!(n.kind, crate::domain::NoteKind::Moved { kind: crate::domain::MoveKind::Return, .. });
                if let Some(a) = n.assignee.filter(|_| !returned) {
                    line += &format!(" → {}", self.ctx.worker(Some(a)));
                }
                if let Some(s) = n.satisfaction {
                    line += &format!(" ({})", i18n::satisfaction(lang, s));
                }
                if !n.text.is_empty() {
                    line += &format!(": {}", n.text);
                }
                line
            })
            .collect();
        self.put(&[
            r.id.to_string(),
            r.logged_at.format("%Y-%m-%d %H:%M").to_string(),
            self.ctx.worker(Some(r.logged_by)),
            i18n::channel(lang, r.channel).to_string(),
            r.work_order.clone(),
            r.hotline_due.map(|d| d.to_string()).unwrap_or_default(),
            r.category.clone(),
            r.title.clone(),
            r.description.clone(),
            r.location.clone(),
            res_name,
            res_phone,
            i18n::urgency(lang, r.urgency).to_string(),
            i18n::status(lang, r.status).to_string(),
            self.ctx.worker(r.assignee),
            r.due.to_string(),
            r.satisfaction.map(|s| i18n::satisfaction(lang, s).to_string()).unwrap_or_default(),
            timeline.join("\n"),
        ])
    }

    fn resident(&mut self, r: &Resident) -> Result<(), StoreError> {
        self.put(&[
            r.id.0.to_string(),
            r.name.clone(),
            self.phone(&r.phone),
            r.address.estate.clone(),
            r.address.building.clone(),
            r.address.unit.clone(),
            r.address.room.clone(),
            r.grid.clone(),
            // sensitive tags as one neutral mark, as phones are masked,
            // unless the export is in full (recorded as such)
            self.ctx.sensitive.shown(&r.tags, self.opts.full_numbers, self.opts.lang.practice().sensitive_mark),
            r.notes.clone(),
        ])
    }

    fn worker(&mut self, w: &Worker) -> Result<(), StoreError> {
        self.put(&[
            w.id.0.to_string(),
            w.name.clone(),
            w.post.clone(),
            self.phone(&w.phone),
            w.grid.clone(),
            i18n::yes_no(self.opts.lang, w.active).to_string(),
        ])
    }

    fn audit(&mut self, e: &AuditEntry) -> Result<(), StoreError> {
        let lang = self.opts.lang;
        // an export is of no one record: no kind or number of its own
        let export = e.action == crate::store::audit::AuditAction::Export;
        self.put(&[
            e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            self.ctx.worker(e.by),
            if export { String::new() } else { i18n::section(lang, e.kind.name()) },
            if export { String::new() } else { audit_record_number(e) },
            i18n::audit_action(lang, e.action).to_string(),
            fields::entry_details(lang, e, self.ctx),
        ])
    }
}

/// The number of the record an audit entry is about, as the office knows
/// it (a request's `2026-000123`).
fn audit_record_number(e: &AuditEntry) -> String {
    match e.kind {
        RecordKind::Request => crate::domain::RequestId(e.key).to_string(),
        _ => e.key.to_string(),
    }
}

/// Where rows go: a CSV or an XLSX file.
trait Sheet {
    fn row(&mut self, cells: &[String]) -> Result<(), StoreError>;
    fn finish(self: Box<Self>) -> Result<(), StoreError>;
}

fn io_err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Io(e.to_string())
}

struct Csv {
    w: csv::Writer<BufWriter<File>>,
    path: PathBuf,
}

impl Csv {
    fn create(path: &Path, headers: &[&str]) -> Result<Csv, StoreError> {
        let mut file =
            BufWriter::new(crate::platform::private::create_file(path).map_err(|e| StoreError::at(path, &e))?);
        // the BOM is what makes Excel read the file as UTF-8
        file.write_all("\u{feff}".as_bytes())?;
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(file);
        w.write_record(headers).map_err(io_err)?;
        Ok(Csv { w, path: path.to_path_buf() })
    }
}

/// Text that a spreadsheet would take for a formula — any cell beginning
/// with `=`, `+`, `-`, `@`, a tab or a carriage return, even `-2+3+cmd|…`
/// — gets a leading apostrophe, the same in CSV and XLSX, so a typed note
/// can never run as one; imports drop it again.
pub(crate) fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}").into() } else { cell.into() }
}

impl Sheet for Csv {
    fn row(&mut self, cells: &[String]) -> Result<(), StoreError> {
        self.w.write_record(cells.iter().map(|c| defuse(c).into_owned())).map_err(io_err)
    }
    fn finish(self: Box<Self>) -> Result<(), StoreError> {
        let file = self.w.into_inner().map_err(io_err)?;
        let file = file.into_inner().map_err(|e| io_err(e.error()))?;
        file.sync_all().map_err(|e| StoreError::at(&self.path, &e))
    }
}

/// Excel's limit on one cell's text.
const XLSX_CELL_MAX: usize = 32_767;

struct Xlsx {
    book: rust_xlsxwriter::Workbook,
    path: PathBuf,
    row: u32,
}

impl Xlsx {
    fn create(path: &Path, headers: &[&str], sheet_name: &str) -> Result<Xlsx, StoreError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            // constant-memory mode spills rows to a temp file: beside the target
            let _ = book.set_tempdir(dir);
        }
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let ws = book.add_worksheet_with_constant_memory().map_err(io_err)?;
        ws.set_name(sheet_name).map_err(io_err)?;
        for (i, h) in headers.iter().enumerate() {
            let width = match *h {
                "描述" | "办理记录" | "内容" | "Description" | "Timeline" | "Changes" => 40,
                "标题" | "Title" | "备注" | "Notes" => 24,
                _ => 12,
            };
            ws.set_column_width(i as u16, width).map_err(io_err)?;
            ws.write_string_with_format(0, i as u16, *h, &bold).map_err(io_err)?;
        }
        ws.set_freeze_panes(1, 0).map_err(io_err)?;
        Ok(Xlsx { book, path: path.to_path_buf(), row: 1 })
    }
}

impl Sheet for Xlsx {
    fn row(&mut self, cells: &[String]) -> Result<(), StoreError> {
        let ws = self.book.worksheet_from_index(0).map_err(io_err)?;
        for (i, c) in cells.iter().enumerate() {
            if c.is_empty() {
                continue;
            }
            let c = defuse(c);
            // (bytes are at least as many as characters: count only when needed)
            if c.len() > XLSX_CELL_MAX && c.chars().count() > XLSX_CELL_MAX {
                let cut: String = c.chars().take(XLSX_CELL_MAX - 1).collect();
                ws.write_string(self.row, i as u16, cut + "…").map_err(io_err)?;
            } else {
                ws.write_string(self.row, i as u16, c.as_ref()).map_err(io_err)?;
            }
        }
        self.row += 1;
        Ok(())
    }
    fn finish(mut self: Box<Self>) -> Result<(), StoreError> {
        self.book.save(&self.path).map_err(io_err)?;
        crate::platform::private::restrict(&self.path).map_err(|e| StoreError::at(&self.path, &e))?;
        sync_written(&self.path)
    }
}

/// Puts a finished file on disk. Through a handle opened for writing:
/// Windows refuses `FlushFileBuffers` on a read-only one ("Access denied",
/// which made every XLSX export fail there). An error names the file, not
/// the data folder: the export may go anywhere.
fn sync_written(path: &Path) -> Result<(), StoreError> {
    let at = |e: std::io::Error| StoreError::at(path, &e);
    std::fs::OpenOptions::new().write(true).open(path).map_err(at)?.sync_all().map_err(at)
}

/// Column names of a kind exported field by field: the `Record::fields`
/// names of its first record (none when there are no records).
/// The columns of a kind without a sheet of its own: its fields' labels,
/// from their descriptions (`i18n::fields`).
fn generic_headers(kind: RecordKind, lang: i18n::Lang) -> Vec<&'static str> {
    fields::fields(kind).iter().map(|d| d.label(lang)).collect()
}

/// Writes the sheet under a temporary name and renames it when complete,
/// so a half-written export never carries the name asked for.
fn write_atomically(
    out: &Path,
    opts: &ExportOptions,
    kind: ExportKind,
    fill: impl FnOnce(&mut dyn Sheet) -> Result<u64, StoreError>,
) -> Result<u64, StoreError> {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = out.with_file_name(format!(".{name}.{}.part", std::process::id()));
    let generic: Vec<&str> = match kind {
        ExportKind::Records(k) if kind.columns().is_empty() => generic_headers(k, opts.lang),
        _ => Vec::new(),
    };
    let headers: Vec<&str> =
        if generic.is_empty() { kind.columns().iter().map(|c| i18n::column(opts.lang, *c)).collect() } else { generic };
    let result = (|| {
        let mut sheet: Box<dyn Sheet> = match opts.format {
            Format::Csv => Box::new(Csv::create(&tmp, &headers)?),
            Format::Xlsx => Box::new(Xlsx::create(&tmp, &headers, &i18n::section(opts.lang, kind.name()))?),
        };
        let rows = fill(sheet.as_mut())?;
        sheet.finish()?;
        std::fs::rename(&tmp, out)?;
        Ok(rows)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finished_file_is_synced_and_a_failure_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let done = dir.path().join("诉求.xlsx");
        std::fs::write(&done, b"x").unwrap();
        sync_written(&done).unwrap();
        // never "the data dir cannot be written": the export's own path
        let gone = dir.path().join("不在.xlsx");
        match sync_written(&gone) {
            Err(StoreError::File { path, .. }) => assert_eq!(path, gone),
            other => panic!("expected a file error naming the export, got {other:?}"),
        }
    }

    #[test]
    fn formulas_are_defused_and_plain_text_is_not() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("+86 138"), "'+86 138");
        assert_eq!(defuse("-1+2"), "'-1+2");
        assert_eq!(defuse("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("\tx"), "'\tx");
        assert_eq!(defuse("\rx"), "'\rx");
        assert_eq!(defuse("-cmd"), "'-cmd");
        assert_eq!(defuse("张三"), "张三");
        assert_eq!(defuse(""), "");
    }

    #[test]
    fn kinds_are_named_in_english_and_chinese() {
        assert_eq!(ExportKind::parse("requests"), Some(ExportKind::Records(RecordKind::Request)));
        assert_eq!(ExportKind::parse("居民"), Some(ExportKind::Records(RecordKind::Resident)));
        assert_eq!(ExportKind::parse("worker"), Some(ExportKind::Records(RecordKind::Worker)));
        assert_eq!(ExportKind::parse("audit"), Some(ExportKind::Audit));
        assert_eq!(ExportKind::parse("cats"), None);
        assert_eq!(ExportKind::all().len(), RecordKind::ALL.len() + 1);
    }
}
