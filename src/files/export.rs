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
use crate::store::{PACE_BYTES, Store, StoreError};
use chrono::NaiveDateTime;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

mod writers;
pub(crate) use writers::display_width_of;
use writers::{Csv, Sheet, Xlsx};
#[cfg(test)]
use writers::{defuse, sync_written};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// UTF-8 with a BOM: what Excel 2016+, WPS and LibreOffice read as is.
    Csv,
    Xlsx,
    /// CSV in GBK, for older Excel and WPS that take a CSV as the system's
    /// code page (a character GBK lacks is written as `&#NNNN;`).
    CsvGbk,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "gbk" | "csv-gbk" => Some(Format::CsvGbk),
            "xlsx" | "excel" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            Format::Csv | Format::CsvGbk => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    /// CSV in this encoding (`utf8`, `gbk`); `None` for an unknown one.
    pub fn with_encoding(self, enc: &str) -> Option<Format> {
        match (self, enc.trim().to_ascii_lowercase().replace('-', "").as_str()) {
            (f, "" | "utf8") => Some(f),
            (Format::Csv | Format::CsvGbk, "gbk" | "gb2312" | "gb18030") => Some(Format::CsvGbk),
            (Format::Xlsx, "gbk" | "gb2312" | "gb18030") => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// What a column's cells are in a spreadsheet: text, a number (counts,
/// hours, scores), a date or a date and time (real date cells in XLSX),
/// or a phone number (always text, its leading zero kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Text,
    Number,
    Date,
    DateTime,
    Phone,
}

/// The cell kind of a column of the requests', residents', workers' and
/// audit sheets.
fn col_kind(c: Col) -> CellKind {
    match c {
        Col::LoggedAt | Col::At => CellKind::DateTime,
        Col::HotlineDue | Col::Due => CellKind::Date,
        Col::Phone | Col::ResidentPhone => CellKind::Phone,
        // a resident's and a worker's number (a request's `2026-000123`
        // stays text: it does not read as a number)
        Col::Id => CellKind::Number,
        _ => CellKind::Text,
    }
}

/// Stored text fields that hold a date (`YYYY-MM-DD`).
const DATE_FIELDS: &[&str] = &[
    "due",
    "hotline_due",
    "asked_due",
    "start",
    "founded",
    "claimed_on",
    "joined",
    "date",
    "from",
    "to",
    "issued_on",
    "closed_on",
    "returned",
];
/// Stored text fields that hold a number.
const NUMBER_FIELDS: &[&str] = &[
    "needed",
    "birth_year",
    "count",
    "comments",
    "year",
    "street",
    "residents",
    "own",
    "dim_de",
    "dim_neng",
    "dim_qin",
    "dim_ji",
    "dim_lian",
    "timeline",
];

/// The cell kind of a field of a kind exported from its field
/// descriptions (`i18n::fields`): the one table of its columns.
pub fn field_kind(d: &fields::FieldDesc) -> CellKind {
    match d.shown {
        fields::Shown::Minutes | fields::Shown::HalfDays => CellKind::Number,
        fields::Shown::Text if d.key == "phone" => CellKind::Phone,
        fields::Shown::Text if DATE_FIELDS.contains(&d.key) => CellKind::Date,
        fields::Shown::Text if NUMBER_FIELDS.contains(&d.key) => CellKind::Number,
        _ => CellKind::Text,
    }
}

/// A field's header: its label, with the unit a number is in (hours,
/// days) so that the cell can hold just the number.
fn field_header(d: &fields::FieldDesc, lang: Lang) -> String {
    let unit = match (d.shown, lang) {
        (fields::Shown::Minutes, Lang::Zh) => "（小时）",
        (fields::Shown::Minutes, Lang::En) => " (hours)",
        (fields::Shown::HalfDays, Lang::Zh) => "（天）",
        (fields::Shown::HalfDays, Lang::En) => " (days)",
        _ => "",
    };
    format!("{}{unit}", d.label(lang))
}

/// A field's cell: the value in words, or for hours and days just the
/// number (the unit is in the header).
fn field_cell(d: &fields::FieldDesc, lang: Lang, raw: &str, names: &dyn fields::Names) -> String {
    match d.shown {
        fields::Shown::Minutes => raw.parse::<u64>().map_or_else(|_| raw.to_string(), crate::domain::volunteer::hours),
        fields::Shown::HalfDays => {
            raw.parse::<u32>().map_or_else(|_| raw.to_string(), crate::domain::duties::half_days_text)
        }
        _ => d.show(lang, raw, names),
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
        let s = match s.as_str() {
            "activities" => "activity".to_string(),
            "duties" => "duty".to_string(),
            "entries" | "logs" | "daily-log" => "log".to_string(),
            _ => s,
        };
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
    export_counted(store, kind, out, opts, None, progress)
}

/// [`export_reporting`] when the caller knows how many records there are
/// (the app's requests list does): the progress's total without a scan of
/// the whole tree to count them (a second pass through sled's cache, about
/// a second on the large set).
pub fn export_counted(
    store: &Store,
    kind: ExportKind,
    out: &Path,
    opts: &ExportOptions,
    total: Option<u64>,
    progress: impl FnMut(u64, u64),
) -> Result<Exported, StoreError> {
    let mut unreadable = Vec::new();
    let ctx = Names::of(store, kind, &mut unreadable)?;
    let mut bad = |what: &str, key: u64, why: String| {
        if !unreadable.iter().any(|u: &Unreadable| u.kind == what && u.key == key) {
            unreadable.push(Unreadable { kind: what.to_string(), key, why });
        }
    };
    let community = store.profile().map(|p| p.name).unwrap_or_default();
    let rows = write_atomically(out, opts, kind, &community, |sheet| {
        let mut w = RowWriter { sheet, ctx: &ctx, opts, n: 0, total: 0, progress };
        let mut result = Ok(());
        match kind {
            ExportKind::Records(RecordKind::Request) => {
                w.total = match total {
                    Some(n) => n,
                    None => store.count(RecordKind::Request) as u64,
                };
                store.paced(PACE_BYTES).scan_readable(
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
                store.paced(PACE_BYTES).scan_readable(
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
            ExportKind::Records(RecordKind::Volunteer) => {
                store.scan_readable(
                    |v: crate::domain::volunteer::Volunteer| {
                        if result.is_ok() {
                            result = w.volunteer(&v);
                        }
                    },
                    |key, why| bad("volunteer", key, why),
                )?;
            }
            ExportKind::Records(k) => {
                crate::with_record_type!(k, R => {
                    store.scan_readable(|r: R| {
                        if result.is_ok() {
                            let cells = w.fields(k, r.fields());
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
    let community = store.profile().map(|p| p.name).unwrap_or_default();
    let rows = write_atomically(out, opts, kind, &community, |sheet| {
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
    residents: People,
    /// Volunteers' ID numbers (in full: masked when written unless asked).
    id_numbers: HashMap<u64, String>,
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
        let mut residents = People::default();
        let mut bad = Vec::new();
        store.paced(PACE_BYTES).scan_readable(
            |r: Resident| {
                residents.push(r.id.0, &r.name, &r.phone);
            },
            |k, why| bad.push(Unreadable { kind: "resident".into(), key: k, why }),
        )?;
        residents.seal();
        let mut id_numbers = HashMap::new();
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
                    // a volunteer who is a resident is named by the resident's record
                    let name = match v.resident.and_then(|r| residents.get(r.0)) {
                        Some((n, _)) if v.name.trim().is_empty() => n.to_string(),
                        _ => v.name,
                    };
                    roster.insert((3, v.id.0), name);
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
        if kind == ExportKind::Records(RecordKind::Volunteer) {
            for id in roster.keys().filter(|(k, _)| *k == 3).map(|(_, id)| *id).collect::<Vec<_>>() {
                if let Some(n) = store.id_number(RecordKind::Volunteer, id)? {
                    id_numbers.insert(id, n);
                }
            }
        }
        let mut names = Names {
            residents,
            id_numbers,
            sensitive: crate::store::tags::load_sensitive_tags(store.dir()),
            workers: HashMap::new(),
            roster,
        };
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

/// Every resident's name and phone number for an export: one text and one
/// list in id order, not 60,000 small strings. Blocks this large are mapped
/// on their own (`platform::memory`) and go back to the system whole when
/// the export ends, where small strings would be left scattered among the
/// pages sled caches meanwhile: the heap could not shrink again (issue 19p).
#[derive(Default)]
struct People {
    text: String,
    /// (id, where the name starts, where the phone starts, where it ends)
    at: Vec<(u64, u32, u32, u32)>,
}

impl People {
    fn push(&mut self, id: u64, name: &str, phone: &str) {
        let start = self.text.len() as u32;
        self.text.push_str(name);
        let mid = self.text.len() as u32;
        self.text.push_str(phone);
        self.at.push((id, start, mid, self.text.len() as u32));
    }

    /// Ready for [`People::get`]: a scan hands the residents over in id
    /// order already, this makes sure of it.
    fn seal(&mut self) {
        if !self.at.is_sorted_by_key(|e| e.0) {
            self.at.sort_by_key(|e| e.0);
        }
    }

    /// A resident's name and phone number.
    fn get(&self, id: u64) -> Option<(&str, &str)> {
        let i = self.at.binary_search_by_key(&id, |e| e.0).ok()?;
        let (_, a, b, c) = self.at[i];
        Some((&self.text[a as usize..b as usize], &self.text[b as usize..c as usize]))
    }

    fn len(&self) -> usize {
        self.at.len()
    }
}

impl fields::Names for Names {
    fn worker(&self, id: u64) -> Option<String> {
        self.workers.get(&id).cloned()
    }
    fn resident(&self, id: u64) -> Option<String> {
        self.residents.get(id).map(|(n, _)| n.to_string())
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
            .and_then(|id| self.ctx.residents.get(id.0))
            .map(|(n, p)| (n.to_string(), self.phone(p)))
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

    /// A record's cells from its fields, as its field descriptions say.
    fn fields(&self, k: RecordKind, fs: Vec<(&'static str, String)>) -> Vec<String> {
        fs.into_iter()
            .map(|(key, v)| match fields::find(k, key) {
                Some(d) => field_cell(d, self.opts.lang, &v, self.ctx),
                None => v,
            })
            .collect()
    }

    /// A volunteer: the fields, with a resident volunteer's name and phone
    /// from the resident's record, and the ID number (masked unless in full).
    fn volunteer(&mut self, v: &crate::domain::volunteer::Volunteer) -> Result<(), StoreError> {
        use crate::store::record::Record as _;
        let mut cells = self.fields(RecordKind::Volunteer, v.fields());
        let resident = v.resident.and_then(|r| self.ctx.residents.get(r.0));
        let name = match resident {
            Some((n, _)) if v.name.trim().is_empty() => n.to_string(),
            _ => v.name.clone(),
        };
        let phone = match resident {
            Some((_, p)) if v.phone.trim().is_empty() => p.to_string(),
            _ => v.phone.clone(),
        };
        for (i, d) in fields::fields(RecordKind::Volunteer).iter().enumerate() {
            match d.key {
                "name" if i < cells.len() => cells[i] = name.clone(),
                "phone" if i < cells.len() => cells[i] = self.phone(&phone),
                _ => {}
            }
        }
        let id = self.ctx.id_numbers.get(&v.id.0).map(|n| self.id_number(n)).unwrap_or_default();
        cells.push(id);
        self.put(&cells)
    }

    fn id_number(&self, n: &str) -> String {
        if self.opts.full_numbers { n.to_string() } else { mask::id_number(n) }
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

/// The columns of a kind: their headers and cell kinds. The requests',
/// residents', workers' sheets and the audit trail have columns of their
/// own (`ExportKind::columns`); every other kind's come from its field
/// descriptions (`i18n::fields`), one table per kind for CSV and XLSX
/// alike, so a new kind or field is described in one place.
pub fn sheet_columns(kind: ExportKind, lang: Lang) -> Vec<(String, CellKind)> {
    match kind {
        ExportKind::Records(k) if kind.columns().is_empty() => {
            let mut cols: Vec<(String, CellKind)> =
                fields::fields(k).iter().map(|d| (field_header(d, lang), field_kind(d))).collect();
            if k == RecordKind::Volunteer {
                cols.push((lang.sheets().id_number_col.to_string(), CellKind::Text));
            }
            cols
        }
        _ => kind.columns().iter().map(|c| (i18n::column(lang, *c).to_string(), col_kind(*c))).collect(),
    }
}

/// Writes the sheet under a temporary name and renames it when complete,
/// so a half-written export never carries the name asked for.
fn write_atomically(
    out: &Path,
    opts: &ExportOptions,
    kind: ExportKind,
    community: &str,
    fill: impl FnOnce(&mut dyn Sheet) -> Result<u64, StoreError>,
) -> Result<u64, StoreError> {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = out.with_file_name(format!(".{name}.{}.part", std::process::id()));
    let (headers, kinds): (Vec<String>, Vec<CellKind>) = sheet_columns(kind, opts.lang).into_iter().unzip();
    let result = (|| {
        let mut sheet: Box<dyn Sheet> = match opts.format {
            Format::Csv => Box::new(Csv::create(&tmp, &headers, kinds, false, opts.full_numbers)?),
            Format::CsvGbk => Box::new(Csv::create(&tmp, &headers, kinds, true, opts.full_numbers)?),
            Format::Xlsx => Box::new(Xlsx::create(
                &tmp,
                &headers,
                kinds,
                &i18n::section(opts.lang, kind.name()),
                community,
                opts.lang,
            )?),
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
    fn people_are_found_by_id_with_their_own_name_and_number() {
        let mut p = People::default();
        p.push(7, "张三", "13812345678");
        p.push(2, "欧阳娜娜", "");
        p.push(30_000, "李四", "02888157379");
        // (a scan hands them over in id order; out of order they are sorted)
        p.seal();
        assert_eq!(p.get(2), Some(("欧阳娜娜", "")));
        assert_eq!(p.get(7), Some(("张三", "13812345678")));
        assert_eq!(p.get(30_000), Some(("李四", "02888157379")));
        assert_eq!(p.get(8), None);
        assert_eq!(p.len(), 3);
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
