//! The duties board's records in the store: standing duties, tasks, the
//! rota, leave, the daily log, training and evaluations, with their index
//! links, plus the office-editable `duties.txt` and `grades.txt`.
//!
//! Same rules as the rest of the store: every change is one transaction
//! with its index entries and audit entry, flushed before returning.

use super::record::{Record, RecordKind};
use super::rows::ResidentKey;
use super::schema::*;
use super::{Result, Store, StoreError, codec, index_of};
use crate::domain::duties::board::DutyLine;
use crate::domain::duties::evaluation::{Evaluation, Figures, evaluation_key};
use crate::domain::duties::leave::{Leave, LeaveMove, LeaveMoveKind, may_decide};
use crate::domain::duties::log::LogEntry;
use crate::domain::duties::rota::{RotaSlot, slot_key};
use crate::domain::duties::settings::{DutySettings, Grades, SettingsLineError};
use crate::domain::duties::standing::{Duty, visit_status};
use crate::domain::duties::task::Task;
use crate::domain::duties::training::Training;
use crate::domain::duties::{DutyId, LeaveId, LogId, TaskId};
use crate::domain::{RequestId, ResidentId, Worker, WorkerId};
use chrono::{Days, NaiveDate, NaiveDateTime};
use std::collections::HashMap;
use std::path::Path;

// ---- what the audit trail and the indexes see -----------------------------

fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

impl Record for Duty {
    const KIND: RecordKind = RecordKind::Duty;
    fn key(&self) -> u64 {
        self.id.0
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("worker", self.worker.0.to_string()),
            ("title", self.title.clone()),
            ("period", super::record::code(&self.period)),
            ("tag", self.tag.clone()),
            ("grid", self.grid.clone()),
            ("active", self.active.to_string()),
        ]
    }
    fn links(&self) -> Vec<(&'static str, u64)> {
        vec![(TREE_DUTY_BY_WORKER, self.worker.0)]
    }
}

impl Record for Task {
    const KIND: RecordKind = RecordKind::Task;
    fn key(&self) -> u64 {
        self.id.0
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("worker", self.worker.0.to_string()),
            ("title", self.title.clone()),
            ("detail", self.detail.clone()),
            ("due", self.due.to_string()),
            ("status", super::record::code(&self.status)),
            ("closed_on", opt_date(self.closed_on)),
        ]
    }
    fn links(&self) -> Vec<(&'static str, u64)> {
        vec![(TREE_TASK_BY_WORKER, self.worker.0)]
    }
}

impl Record for RotaSlot {
    const KIND: RecordKind = RecordKind::RotaSlot;
    fn key(&self) -> u64 {
        RotaSlot::key(self)
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("date", self.date.to_string()),
            ("worker", self.worker.map(|w| w.0.to_string()).unwrap_or_default()),
            ("note", self.note.clone()),
        ]
    }
    fn links(&self) -> Vec<(&'static str, u64)> {
        self.worker.map(|w| (TREE_ROTA_BY_WORKER, w.0)).into_iter().collect()
    }
}

impl Record for Leave {
    const KIND: RecordKind = RecordKind::Leave;
    fn key(&self) -> u64 {
        self.id.0
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("worker", self.worker.0.to_string()),
            ("kind", super::record::code(&self.kind)),
            ("from", self.from.to_string()),
            ("to", self.to.to_string()),
            ("reason", self.reason.clone()),
            ("status", super::record::code(&self.status)),
            ("decided_by", self.decided_by.map(|w| w.0.to_string()).unwrap_or_default()),
            ("decision_note", self.decision_note.clone()),
            ("returned", opt_date(self.returned)),
        ]
    }
    fn links(&self) -> Vec<(&'static str, u64)> {
        vec![(TREE_LEAVE_BY_WORKER, self.worker.0)]
    }
}

impl Record for LogEntry {
    const KIND: RecordKind = RecordKind::LogEntry;
    fn key(&self) -> u64 {
        self.id.0
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("worker", self.worker.0.to_string()),
            ("date", self.date.to_string()),
            ("kind", super::record::code(&self.kind)),
            ("residents", self.residents.iter().map(|r| r.0.to_string()).collect::<Vec<_>>().join(",")),
            ("found", self.found.clone()),
            ("follow_up", self.follow_up.clone()),
            ("request", self.request.map(|r| r.to_string()).unwrap_or_default()),
            ("comments", self.comments.len().to_string()),
        ]
    }
    fn links(&self) -> Vec<(&'static str, u64)> {
        let mut v = vec![(TREE_LOG_BY_WORKER, self.worker.0)];
        for r in &self.residents {
            if !v.contains(&(TREE_LOG_BY_RESIDENT, r.0)) {
                v.push((TREE_LOG_BY_RESIDENT, r.0));
            }
        }
        v
    }
}

impl Record for Training {
    const KIND: RecordKind = RecordKind::Training;
    fn key(&self) -> u64 {
        self.id.0
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("worker", self.worker.0.to_string()),
            ("date", self.date.to_string()),
            ("kind", super::record::code(&self.kind)),
            ("title", self.title.clone()),
            ("half_days", self.half_days.to_string()),
            ("organizer", self.organizer.clone()),
        ]
    }
    fn links(&self) -> Vec<(&'static str, u64)> {
        vec![(TREE_TRAINING_BY_WORKER, self.worker.0)]
    }
}

impl Record for Evaluation {
    const KIND: RecordKind = RecordKind::Evaluation;
    fn key(&self) -> u64 {
        Evaluation::key(self)
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        let s = |v: Option<u16>| v.map(crate::domain::duties::tenths_text).unwrap_or_default();
        vec![
            ("year", self.year.to_string()),
            ("worker", self.worker.0.to_string()),
            ("street", s(self.street)),
            ("residents", s(self.residents)),
            ("own", s(self.own)),
            ("comment", self.comment.clone()),
            ("dim_de", s(self.dims[0])),
            ("dim_neng", s(self.dims[1])),
            ("dim_qin", s(self.dims[2])),
            ("dim_ji", s(self.dims[3])),
            ("dim_lian", s(self.dims[4])),
        ]
    }
}

/// Generated duties data for `bulk_load_duties` (see `demo_duties`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DutiesData {
    pub duties: Vec<Duty>,
    pub tasks: Vec<Task>,
    pub rota: Vec<RotaSlot>,
    pub leaves: Vec<Leave>,
    pub logs: Vec<LogEntry>,
    pub trainings: Vec<Training>,
    pub evaluations: Vec<Evaluation>,
}

/// How far back a daily-log entry may be dated before the day it is typed
/// in; scans of "recent" entries stop this far before the span they need.
const BACKDATE_DAYS: u64 = 62;

fn invalid(what: &str) -> StoreError {
    StoreError::Invalid(what.into())
}

impl Store {
    // ---- generic helpers ------------------------------------------------------

    /// Writes a record under its own key (a rota day, a year's evaluation),
    /// creating or replacing it.
    pub fn put<R: Record>(&self, r: &R, by: WorkerId, at: NaiveDateTime) -> Result<()> {
        self.put_many(std::slice::from_ref(r), by, at)
    }

    /// `put` for several records in ONE durable transaction.
    pub fn put_many<R: Record>(&self, rs: &[R], by: WorkerId, at: NaiveDateTime) -> Result<()> {
        self.transact(|t| {
            for r in rs {
                let old: Option<R> = Self::tx_get(t, r.key())?;
                Self::tx_put(t, old.as_ref(), r, Some(by), at)?;
            }
            Ok(())
        })
    }

    /// Records with keys in `[from, to]`, in key order.
    pub fn range<R: Record>(&self, from: u64, to: u64) -> Result<Vec<R>> {
        let mut out = Vec::new();
        for item in self.relieved(self.tree(R::KIND).range(codec::key(from)..=codec::key(to))) {
            let (k, v) = item?;
            let id = codec::id_of(&k).unwrap_or(0);
            out.push(codec::decode(&v).map_err(|detail| StoreError::Corrupt {
                what: R::KIND.name(),
                key: id,
                detail,
            })?);
        }
        Ok(out)
    }

    /// Records linked to `owner`, newest id first, for as long as `more`
    /// says so (it sees each record and may stop the scan).
    pub fn linked_rev<R: Record>(&self, index: &str, owner: u64, mut more: impl FnMut(&R) -> bool) -> Result<Vec<R>> {
        let mut out = Vec::new();
        for id in super::links::linked(&self.trees[index_of(index)], owner)?.into_iter().rev() {
            let Some(r) = self.get::<R>(id)? else { continue };
            if !more(&r) {
                break;
            }
            out.push(r);
        }
        Ok(out)
    }

    /// How many index entries `owner` has in `index` (no record is read).
    pub fn linked_count(&self, index: &str, owner: u64) -> usize {
        let v = self.trees[index_of(index)].get(codec::key(owner)).ok().flatten();
        v.map_or(0, |v| v.len() / 8)
    }

    // ---- standing duties and tasks -------------------------------------------

    pub fn create_duty(&self, d: &Duty, by: WorkerId, at: NaiveDateTime) -> Result<Duty> {
        if d.title.trim().is_empty() {
            return Err(invalid("title"));
        }
        self.create(Some(by), at, |id| Duty { id: DutyId(id), ..d.clone() })
    }

    pub fn duties_of(&self, w: WorkerId) -> Result<Vec<Duty>> {
        self.linked(TREE_DUTY_BY_WORKER, w.0)
    }

    pub fn create_task(&self, task: &Task, by: WorkerId, at: NaiveDateTime) -> Result<Task> {
        if task.title.trim().is_empty() {
            return Err(invalid("title"));
        }
        self.create(Some(by), at, |id| Task { id: TaskId(id), ..task.clone() })
    }

    pub fn tasks_of(&self, w: WorkerId) -> Result<Vec<Task>> {
        self.linked(TREE_TASK_BY_WORKER, w.0)
    }

    /// The duty's period status with the covered residents' names, from
    /// `residents` (the directory's search keys, in id order) and the visit
    /// index.
    pub fn duty_line<'a>(
        &self,
        duty: &Duty,
        residents: impl IntoIterator<Item = ResidentKey<'a>>,
        today: NaiveDate,
    ) -> Result<DutyLine> {
        if !duty.covers_residents() {
            return Ok(DutyLine { duty: duty.clone(), visits: None });
        }
        let covered: Vec<ResidentKey> = residents.into_iter().filter(|r| duty.covers_place(r.grid, r.tags())).collect();
        let (from, _) = duty.period.bounds(today);
        let mut visits = Vec::new();
        for r in &covered {
            for d in self.visits_of(r.id, from)? {
                visits.push((r.id, d));
            }
        }
        let ids: Vec<ResidentId> = covered.iter().map(|r| r.id).collect();
        let status = visit_status(duty.period, today, &ids, visits);
        let names = covered.iter().map(|r| (r.id, r.name.to_string())).collect();
        Ok(DutyLine { duty: duty.clone(), visits: Some((status, names)) })
    }

    // ---- the rota ---------------------------------------------------------------

    pub fn rota_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<RotaSlot>> {
        self.range(slot_key(from, 0), slot_key(to, 9))
    }

    /// The slots of `[from, to]` replaced by `slots` in one transaction
    /// (a day in the span without a new slot keeps its old one).
    pub fn save_rota(&self, slots: &[RotaSlot], by: WorkerId, at: NaiveDateTime) -> Result<()> {
        self.put_many(slots, by, at)
    }

    /// Swaps who is on duty on two days, in one transaction.
    pub fn swap_rota(&self, a: NaiveDate, b: NaiveDate, by: WorkerId, at: NaiveDateTime) -> Result<()> {
        let get = |d: NaiveDate| -> Result<RotaSlot> {
            Ok(self.get::<RotaSlot>(slot_key(d, 0))?.unwrap_or_else(|| RotaSlot::new(d, None)))
        };
        let (mut sa, mut sb) = (get(a)?, get(b)?);
        crate::domain::duties::rota::swap(&mut sa, &mut sb);
        self.put_many(&[sa, sb], by, at)
    }

    /// A worker's shifts in date order.
    pub fn rota_of(&self, w: WorkerId) -> Result<Vec<RotaSlot>> {
        self.linked(TREE_ROTA_BY_WORKER, w.0)
    }

    /// Each worker's last shift in the two months before `day`, to carry
    /// the rotation on.
    pub fn last_served_before(&self, day: NaiveDate) -> Result<HashMap<WorkerId, NaiveDate>> {
        let from = day.checked_sub_days(Days::new(62)).unwrap_or(day);
        let mut last = HashMap::new();
        for s in self.rota_between(from, day.pred_opt().unwrap_or(day))? {
            if let Some(w) = s.worker {
                last.insert(w, s.date);
            }
        }
        Ok(last)
    }

    // ---- leave ------------------------------------------------------------------

    pub fn leaves_of(&self, w: WorkerId) -> Result<Vec<Leave>> {
        self.linked(TREE_LEAVE_BY_WORKER, w.0)
    }

    /// Records a leave request, refusing one that overlaps the worker's
    /// other live leave.
    pub fn create_leave(&self, l: &Leave, by: WorkerId, at: NaiveDateTime) -> Result<Leave> {
        let others = self.leaves_of(l.worker)?;
        let mut probe = l.clone();
        probe.id = LeaveId(0);
        probe.validate(&others).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.create(Some(by), at, |id| Leave { id: LeaveId(id), ..l.clone() })
    }

    /// Approves, refuses, withdraws or closes a leave. Deciding needs a
    /// leader who [`may_decide`]; withdrawing, the worker or a leader.
    pub fn move_leave(
        &self,
        id: LeaveId,
        mv: LeaveMove,
        by: &Worker,
        workers: &[Worker],
        at: NaiveDateTime,
    ) -> Result<Leave> {
        let Some(mut l) = self.get::<Leave>(id.0)? else {
            return Err(StoreError::NotFound { what: "leave", key: id.0 });
        };
        let deciding = matches!(mv.kind(), LeaveMoveKind::Approve | LeaveMoveKind::Refuse);
        if deciding && !may_decide(by, &l, workers) {
            return Err(StoreError::Invalid(crate::domain::duties::leave::LeaveError::NotApprover.to_string()));
        }
        if !deciding && by.id != l.worker && !by.is_leader() {
            return Err(StoreError::Invalid(crate::domain::duties::leave::LeaveError::NotApprover.to_string()));
        }
        l.apply(mv, by.id, at).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.update(&l, by.id, at)?;
        Ok(l)
    }

    // ---- the daily log ----------------------------------------------------------

    /// Writes a new entry: one durable transaction (the record, its worker
    /// and resident index entries, its audit entry).
    pub fn create_log(&self, e: &LogEntry, by: WorkerId, at: NaiveDateTime) -> Result<LogEntry> {
        if e.found.trim().is_empty() {
            return Err(invalid("found"));
        }
        self.create(Some(by), at, |id| LogEntry { id: LogId(id), ..e.clone() })
    }

    pub fn log_entry(&self, id: LogId) -> Result<Option<LogEntry>> {
        self.get(id.0)
    }

    /// Applies `f` to an entry and saves it.
    pub fn change_log(
        &self,
        id: LogId,
        by: WorkerId,
        at: NaiveDateTime,
        f: impl FnOnce(&mut LogEntry) -> std::result::Result<(), String>,
    ) -> Result<LogEntry> {
        let Some(mut e) = self.log_entry(id)? else {
            return Err(StoreError::NotFound { what: "log", key: id.0 });
        };
        f(&mut e).map_err(StoreError::Invalid)?;
        self.update(&e, by, at)?;
        Ok(e)
    }

    /// A worker's entries written (or dated) from `since` on, newest first.
    pub fn recent_logs_of(&self, w: WorkerId, since: NaiveDate) -> Result<Vec<LogEntry>> {
        let stop = since.checked_sub_days(Days::new(BACKDATE_DAYS)).unwrap_or(since);
        let mut v: Vec<LogEntry> =
            self.linked_rev(TREE_LOG_BY_WORKER, w.0, |e: &LogEntry| e.logged_at.date() >= stop)?;
        v.retain(|e| e.date >= since);
        Ok(v)
    }

    /// Days in `since..` on which a 走访 entry lists `resident`.
    pub fn visits_of(&self, resident: ResidentId, since: NaiveDate) -> Result<Vec<NaiveDate>> {
        let stop = since.checked_sub_days(Days::new(BACKDATE_DAYS)).unwrap_or(since);
        let recent: Vec<LogEntry> =
            self.linked_rev(TREE_LOG_BY_RESIDENT, resident.0, |e: &LogEntry| e.logged_at.date() >= stop)?;
        Ok(recent
            .iter()
            .flat_map(|e| e.visits())
            .filter(|(r, d)| *r == resident && *d >= since)
            .map(|(_, d)| d)
            .collect())
    }

    // ---- training and evaluation ------------------------------------------------

    /// Records one session for several workers in one transaction.
    pub fn record_training(&self, rs: &[Training], by: WorkerId, at: NaiveDateTime) -> Result<Vec<Training>> {
        if rs.iter().any(|r| r.title.trim().is_empty() || r.half_days == 0) {
            return Err(invalid("title"));
        }
        let rs = rs.to_vec();
        self.create_many(rs.len(), Some(by), at, |first| {
            rs.iter()
                .enumerate()
                .map(|(i, r)| Training { id: crate::domain::duties::TrainingId(first + i as u64), ..r.clone() })
                .collect()
        })
    }

    pub fn trainings_of(&self, w: WorkerId) -> Result<Vec<Training>> {
        self.linked(TREE_TRAINING_BY_WORKER, w.0)
    }

    pub fn evaluations(&self, year: i32) -> Result<Vec<Evaluation>> {
        self.range(evaluation_key(year, WorkerId(0)), evaluation_key(year, WorkerId(99_999)))
    }

    /// What the requests say about each assignee's `year`: requests logged
    /// in that year and the one before are read (a key range each). See
    /// `Store::request_figures` (store/figures_copy.rs) for the saved copy.
    pub fn scan_request_figures(&self, year: i32) -> Result<HashMap<WorkerId, Figures>> {
        let mut out: HashMap<WorkerId, Figures> = HashMap::new();
        let from = RequestId::new(year - 1, 0).0;
        let to = RequestId::new(year, 999_999).0;
        for item in self.relieved(self.tree(RecordKind::Request).range(codec::key(from)..=codec::key(to))) {
            let (k, v) = item?;
            let id = codec::id_of(&k).unwrap_or(0);
            let r: crate::domain::Request =
                codec::decode(&v).map_err(|detail| StoreError::Corrupt { what: "request", key: id, detail })?;
            if let Some(w) = r.assignee {
                out.entry(w).or_default().add_request(&r, year);
            }
        }
        Ok(out)
    }

    // ---- bulk loading -----------------------------------------------------------

    /// Writes generated duties data into an empty store (see `bulk_load`).
    pub fn bulk_load_duties(&self, d: &DutiesData) -> Result<()> {
        let mut links = super::links::Pending::default();
        self.bulk_put(&d.duties, &mut links)?;
        self.bulk_put(&d.tasks, &mut links)?;
        self.bulk_put(&d.rota, &mut links)?;
        self.bulk_put(&d.leaves, &mut links)?;
        self.bulk_put(&d.logs, &mut links)?;
        self.bulk_put(&d.trainings, &mut links)?;
        self.bulk_put(&d.evaluations, &mut links)?;
        links.write(&self.trees, super::BULK_CHUNK)?;
        let mut meta = sled::Batch::default();
        let max = |ids: &mut dyn Iterator<Item = u64>| ids.max().unwrap_or(0).to_be_bytes();
        meta.insert(seq_key(RecordKind::Duty.name(), 0), &max(&mut d.duties.iter().map(|x| x.id.0)));
        meta.insert(seq_key(RecordKind::Task.name(), 0), &max(&mut d.tasks.iter().map(|x| x.id.0)));
        meta.insert(seq_key(RecordKind::Leave.name(), 0), &max(&mut d.leaves.iter().map(|x| x.id.0)));
        meta.insert(seq_key(RecordKind::LogEntry.name(), 0), &max(&mut d.logs.iter().map(|x| x.id.0)));
        meta.insert(seq_key(RecordKind::Training.name(), 0), &max(&mut d.trainings.iter().map(|x| x.id.0)));
        self.trees[super::T_META].apply_batch(meta)?;
        self.flush()
    }
}

/// A settings file that could not be read: which file, which line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileWarning {
    pub file: &'static str,
    pub error: SettingsLineError,
}

/// Reads `duties.txt` and `grades.txt` from the data dir, writing the
/// defaults there first if they are missing. A broken file gives the
/// defaults and a warning.
pub fn load_duty_files(dir: &Path) -> (DutySettings, Grades, Vec<FileWarning>) {
    let mut warnings = Vec::new();
    let read = |name: &str, default: &str| -> String {
        crate::platform::office_text::read_or_create(&dir.join(name), default).unwrap_or_else(|| default.to_string())
    };
    let settings = match DutySettings::parse(&read("duties.txt", &DutySettings::default().to_text())) {
        Ok(s) => s,
        Err(error) => {
            warnings.push(FileWarning { file: "duties.txt", error });
            DutySettings::default()
        }
    };
    let grades = match Grades::parse(&read("grades.txt", &Grades::default().to_text())) {
        Ok(g) => g,
        Err(error) => {
            warnings.push(FileWarning { file: "grades.txt", error });
            Grades::default()
        }
    };
    (settings, grades, warnings)
}
