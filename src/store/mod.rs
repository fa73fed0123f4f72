//! The store: linli's records in an embedded sled database.
//!
//! Every change is one sled transaction that writes the record, its index
//! entries and its audit entry together, followed by a flush: when a
//! function here returns `Ok`, the change is on disk. Values are decoded
//! with errors returned, never unwrapped (see `codec`).

pub mod audit;
pub mod backup;
pub mod codec;
pub mod error;
pub mod record;
pub mod rows;
pub mod schema;
pub mod snapshot;

use crate::domain::request::{Move, NewRequest};
use crate::domain::{Categories, Request, RequestId, Resident, ResidentId, WorkCalendar, Worker, WorkerId};
use audit::{AuditAction, AuditEntry};
use chrono::{Datelike, NaiveDateTime};
pub use error::{Result, StoreError};
use record::{Record, RecordKind, diff};
use schema::*;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};
use sled::{Transactional, Tree};
use std::path::{Path, PathBuf};

/// sled's page cache: small on purpose, the office PC has 2–4 GB.
const CACHE_BYTES: u64 = 16 * 1024 * 1024;

pub struct Store {
    db: sled::Db,
    meta: Tree,
    requests: Tree,
    residents: Tree,
    workers: Tree,
    req_by_resident: Tree,
    audit: Tree,
    dir: PathBuf,
}

/// Positions of the trees in [`Store::all_trees`], for transactions.
const T_META: usize = 0;
const T_REQUESTS: usize = 1;
const T_RESIDENTS: usize = 2;
const T_WORKERS: usize = 3;
const T_REQ_BY_RESIDENT: usize = 4;
const T_AUDIT: usize = 5;

type TxResult<T> = std::result::Result<T, ConflictableTransactionError<StoreError>>;

fn abort<T>(e: StoreError) -> TxResult<T> {
    Err(ConflictableTransactionError::Abort(e))
}

fn tree_of(kind: RecordKind) -> usize {
    match kind {
        RecordKind::Request => T_REQUESTS,
        RecordKind::Resident => T_RESIDENTS,
        RecordKind::Worker => T_WORKERS,
    }
}

impl Store {
    /// Opens (creating if needed) the store in `dir/store`.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join("store");
        let db = sled::Config::new()
            .path(&path)
            .cache_capacity(CACHE_BYTES)
            .mode(sled::Mode::LowSpace)
            // we flush after every change ourselves; no background flusher
            .flush_every_ms(None)
            .open()
            .map_err(|e| match StoreError::from(e) {
                StoreError::Locked(_) => StoreError::Locked(dir.to_path_buf()),
                other => other,
            })?;
        let store = Store {
            meta: db.open_tree(TREE_META)?,
            requests: db.open_tree(TREE_REQUESTS)?,
            residents: db.open_tree(TREE_RESIDENTS)?,
            workers: db.open_tree(TREE_WORKERS)?,
            req_by_resident: db.open_tree(TREE_REQ_BY_RESIDENT)?,
            audit: db.open_tree(TREE_AUDIT)?,
            db,
            dir: dir.to_path_buf(),
        };
        store.check_schema()?;
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn check_schema(&self) -> Result<()> {
        match self.meta.get(META_SCHEMA)? {
            None => {
                self.meta.insert(META_SCHEMA, &SCHEMA_VERSION.to_be_bytes())?;
                self.flush()
            }
            Some(v) => {
                let found = v.as_ref().try_into().map(u32::from_be_bytes).map_err(|_| StoreError::Corrupt {
                    what: "schema",
                    key: 0,
                    detail: "schema version is not 4 bytes".into(),
                })?;
                if found > SCHEMA_VERSION {
                    Err(StoreError::NewerSchema { found, supported: SCHEMA_VERSION })
                } else {
                    // Version 1 is the first; later versions add ordered
                    // migrations here, each tested against data/fixtures/.
                    Ok(())
                }
            }
        }
    }

    pub fn schema_version(&self) -> u32 {
        SCHEMA_VERSION
    }

    /// Waits until everything written is on disk.
    pub fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    fn all_trees(&self) -> [&Tree; 6] {
        [&self.meta, &self.requests, &self.residents, &self.workers, &self.req_by_resident, &self.audit]
    }

    /// Runs `f` as one transaction over every tree, then flushes.
    fn transact<T>(&self, f: impl Fn(&[TransactionalTree]) -> TxResult<T>) -> Result<T> {
        let trees = self.all_trees();
        let out = trees[..].transaction(|t| f(t)).map_err(|e| match e {
            TransactionError::Abort(e) => e,
            TransactionError::Storage(e) => StoreError::from(e),
        })?;
        self.flush()?;
        Ok(out)
    }

    // ---- generic record access -------------------------------------------------

    fn get<R: Record>(&self, id: u64) -> Result<Option<R>> {
        let tree = self.all_trees()[tree_of(R::KIND)];
        match tree.get(codec::key(id))? {
            None => Ok(None),
            Some(v) => codec::decode(&v).map(Some).map_err(|detail| StoreError::Corrupt {
                what: R::KIND.name(),
                key: id,
                detail,
            }),
        }
    }

    /// Every record of a kind, in id order. A record that fails to decode
    /// stops the scan with an error naming it.
    fn scan<R: Record>(&self, mut f: impl FnMut(R)) -> Result<()> {
        let tree = self.all_trees()[tree_of(R::KIND)];
        for item in tree.iter() {
            let (k, v) = item?;
            let id = codec::id_of(&k).unwrap_or(0);
            let r =
                codec::decode(&v).map_err(|detail| StoreError::Corrupt { what: R::KIND.name(), key: id, detail })?;
            f(r);
        }
        Ok(())
    }

    fn tx_get<R: Record>(t: &[TransactionalTree], id: u64) -> TxResult<Option<R>> {
        match t[tree_of(R::KIND)].get(codec::key(id))? {
            None => Ok(None),
            Some(v) => match codec::decode(&v) {
                Ok(r) => Ok(Some(r)),
                Err(detail) => abort(StoreError::Corrupt { what: R::KIND.name(), key: id, detail }),
            },
        }
    }

    /// Writes a record and its audit entry inside a transaction.
    fn tx_put<R: Record>(
        t: &[TransactionalTree],
        old: Option<&R>,
        new: &R,
        by: Option<WorkerId>,
        at: NaiveDateTime,
    ) -> TxResult<()> {
        t[tree_of(R::KIND)].insert(&codec::key(new.key()), codec::encode(new))?;
        let entry = AuditEntry {
            at,
            by,
            kind: R::KIND,
            key: new.key(),
            action: if old.is_some() { AuditAction::Update } else { AuditAction::Create },
            changes: diff(old, new),
        };
        let seq = t[T_AUDIT].generate_id()?;
        t[T_AUDIT].insert(&codec::key(seq), codec::encode(&entry))?;
        Ok(())
    }

    /// Next id from a counter in meta (`seq/KIND/YEAR`), inside a transaction.
    fn tx_next(t: &[TransactionalTree], key: &[u8]) -> TxResult<u64> {
        let cur = match t[T_META].get(key)? {
            Some(v) => v.as_ref().try_into().map(u64::from_be_bytes).unwrap_or(0),
            None => 0,
        };
        let next = cur + 1;
        t[T_META].insert(key, &next.to_be_bytes())?;
        Ok(next)
    }

    // ---- workers ---------------------------------------------------------------

    pub fn workers(&self) -> Result<Vec<Worker>> {
        let mut out = Vec::new();
        self.scan(|w: Worker| out.push(w))?;
        Ok(out)
    }

    pub fn worker(&self, id: WorkerId) -> Result<Option<Worker>> {
        self.get(id.0)
    }

    /// Adds a worker. `by` is `None` only when the office's first worker is
    /// created at first start.
    pub fn create_worker(&self, name: &str, post: &str, by: Option<WorkerId>, at: NaiveDateTime) -> Result<Worker> {
        let name = crate::domain::text::clean_input(name, false);
        if name.is_empty() {
            return Err(StoreError::Invalid("name".into()));
        }
        self.transact(|t| {
            let id = WorkerId(Self::tx_next(t, &seq_key("worker", 0))?);
            let w = Worker::new(id, &name, post);
            Self::tx_put(t, None, &w, by.or(Some(id)), at)?;
            Ok(w)
        })
    }

    pub fn update_worker(&self, w: &Worker, by: WorkerId, at: NaiveDateTime) -> Result<()> {
        self.transact(|t| {
            let old: Option<Worker> = Self::tx_get(t, w.id.0)?;
            let Some(old) = old else {
                return abort(StoreError::NotFound { what: "worker", key: w.id.0 });
            };
            Self::tx_put(t, Some(&old), w, Some(by), at)
        })
    }

    // ---- residents -------------------------------------------------------------

    pub fn residents(&self) -> Result<Vec<Resident>> {
        let mut out = Vec::new();
        self.scan(|r: Resident| out.push(r))?;
        Ok(out)
    }

    pub fn resident(&self, id: ResidentId) -> Result<Option<Resident>> {
        self.get(id.0)
    }

    /// Saves a new resident; `draft.id` is ignored and a fresh id given.
    pub fn create_resident(&self, draft: &Resident, by: WorkerId, at: NaiveDateTime) -> Result<Resident> {
        if draft.name.trim().is_empty() {
            return Err(StoreError::Invalid("name".into()));
        }
        self.transact(|t| {
            let mut r = draft.clone();
            r.id = ResidentId(Self::tx_next(t, &seq_key("resident", 0))?);
            Self::tx_put(t, None, &r, Some(by), at)?;
            Ok(r)
        })
    }

    /// Saves many new residents in one transaction (an import): all of them
    /// or, on any error, none.
    pub fn create_residents(&self, drafts: &[Resident], by: WorkerId, at: NaiveDateTime) -> Result<Vec<Resident>> {
        if drafts.iter().any(|d| d.name.trim().is_empty()) {
            return Err(StoreError::Invalid("name".into()));
        }
        self.transact(|t| {
            let mut out = Vec::with_capacity(drafts.len());
            for draft in drafts {
                let mut r = draft.clone();
                r.id = ResidentId(Self::tx_next(t, &seq_key("resident", 0))?);
                Self::tx_put(t, None, &r, Some(by), at)?;
                out.push(r);
            }
            Ok(out)
        })
    }

    pub fn update_resident(&self, r: &Resident, by: WorkerId, at: NaiveDateTime) -> Result<()> {
        if r.name.trim().is_empty() {
            return Err(StoreError::Invalid("name".into()));
        }
        self.transact(|t| {
            let old: Option<Resident> = Self::tx_get(t, r.id.0)?;
            let Some(old) = old else {
                return abort(StoreError::NotFound { what: "resident", key: r.id.0 });
            };
            Self::tx_put(t, Some(&old), r, Some(by), at)
        })
    }

    // ---- requests --------------------------------------------------------------

    pub fn request(&self, id: RequestId) -> Result<Option<Request>> {
        self.get(id.0)
    }

    /// Logs a new request: gives it the next id of its year, computes its due
    /// date, and indexes it under its resident.
    pub fn create_request(
        &self,
        new: &NewRequest,
        by: WorkerId,
        at: NaiveDateTime,
        cats: &Categories,
        cal: &WorkCalendar,
    ) -> Result<Request> {
        if new.title.trim().is_empty() {
            return Err(StoreError::Invalid("title".into()));
        }
        let limit = cats.limit_of(&new.category);
        self.transact(|t| {
            let year = at.date().year();
            let seq = Self::tx_next(t, &seq_key("request", year))?;
            let r = Request::create(RequestId::new(year, seq), new.clone(), by, at, limit, cal);
            if let Some(rid) = r.resident {
                t[T_REQ_BY_RESIDENT].insert(&codec::key2(rid.0, r.id.0), &[])?;
            }
            Self::tx_put(t, None, &r, Some(by), at)?;
            Ok(r)
        })
    }

    /// Applies a change to a request in one durable transaction; `f` may
    /// refuse (an illegal move), and then nothing is written.
    fn change_request(
        &self,
        id: RequestId,
        by: WorkerId,
        at: NaiveDateTime,
        f: impl Fn(&mut Request) -> std::result::Result<(), StoreError>,
    ) -> Result<Request> {
        self.transact(|t| {
            let old: Option<Request> = Self::tx_get(t, id.0)?;
            let Some(old) = old else {
                return abort(StoreError::NotFound { what: "request", key: id.0 });
            };
            let mut r = old.clone();
            if let Err(e) = f(&mut r) {
                return abort(e);
            }
            Self::tx_put(t, Some(&old), &r, Some(by), at)?;
            Ok(r)
        })
    }

    pub fn move_request(
        &self,
        id: RequestId,
        mv: &Move,
        by: WorkerId,
        at: NaiveDateTime,
        cats: &Categories,
        cal: &WorkCalendar,
    ) -> Result<Request> {
        self.change_request(id, by, at, |r| {
            let limit = cats.limit_of(&r.category);
            r.apply(mv.clone(), by, at, limit, cal).map_err(StoreError::from)
        })
    }

    /// Changes what was logged (category, title, resident …). A new category
    /// or urgency recomputes the due date from the day it was logged.
    pub fn edit_request(
        &self,
        id: RequestId,
        new: &NewRequest,
        by: WorkerId,
        at: NaiveDateTime,
        cats: &Categories,
        cal: &WorkCalendar,
    ) -> Result<Request> {
        if new.title.trim().is_empty() {
            return Err(StoreError::Invalid("title".into()));
        }
        self.transact(|t| {
            let old: Option<Request> = Self::tx_get(t, id.0)?;
            let Some(old) = old else {
                return abort(StoreError::NotFound { what: "request", key: id.0 });
            };
            let mut r = old.clone();
            r.channel = new.channel;
            r.category = new.category.clone();
            r.title = new.title.clone();
            r.description = new.description.clone();
            r.location = new.location.clone();
            r.resident = new.resident;
            r.urgency = new.urgency;
            if (r.category != old.category || r.urgency != old.urgency) && r.status.is_open() {
                let limit = crate::domain::request::limit_for(cats.limit_of(&r.category), r.urgency);
                r.due = cal.add_working_days(r.logged_at.date(), limit);
            }
            if r.resident != old.resident {
                if let Some(o) = old.resident {
                    t[T_REQ_BY_RESIDENT].remove(&codec::key2(o.0, id.0))?;
                }
                if let Some(n) = r.resident {
                    t[T_REQ_BY_RESIDENT].insert(&codec::key2(n.0, id.0), &[])?;
                }
            }
            Self::tx_put(t, Some(&old), &r, Some(by), at)?;
            Ok(r)
        })
    }

    pub fn comment_request(&self, id: RequestId, text: &str, by: WorkerId, at: NaiveDateTime) -> Result<Request> {
        let text = crate::domain::text::clean_input(text, true);
        self.change_request(id, by, at, |r| r.comment(text.clone(), by, at).map_err(StoreError::from))
    }

    /// A resident's requests, oldest first, through the resident index.
    pub fn requests_of(&self, resident: ResidentId) -> Result<Vec<Request>> {
        let mut out = Vec::new();
        for item in self.req_by_resident.scan_prefix(codec::key(resident.0)) {
            let (k, _) = item?;
            if let Some((_, rid)) = codec::id2_of(&k)
                && let Some(r) = self.request(RequestId(rid))?
            {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// Open requests of the same resident in the same category: a new one
    /// like them is probably a duplicate.
    pub fn open_duplicates(&self, resident: ResidentId, category: &str) -> Result<Vec<Request>> {
        Ok(self.requests_of(resident)?.into_iter().filter(|r| r.status.is_open() && r.category == category).collect())
    }

    /// The newest `n` requests, newest first, without reading the rest: this
    /// is what the first frame shows while the full index loads.
    pub fn latest_requests(&self, n: usize) -> Result<Vec<Request>> {
        let mut out = Vec::with_capacity(n);
        for item in self.requests.iter().rev().take(n) {
            let (k, v) = item?;
            let id = codec::id_of(&k).unwrap_or(0);
            out.push(codec::decode(&v).map_err(|detail| StoreError::Corrupt { what: "request", key: id, detail })?);
        }
        Ok(out)
    }

    pub fn scan_requests(&self, f: impl FnMut(Request)) -> Result<()> {
        self.scan(f)
    }

    pub fn count(&self, kind: RecordKind) -> usize {
        self.all_trees()[tree_of(kind)].len()
    }

    // ---- audit -----------------------------------------------------------------

    /// Audit entries, newest first, up to `limit`, that pass `keep`.
    pub fn audit_entries(&self, limit: usize, keep: impl Fn(&AuditEntry) -> bool) -> Result<Vec<AuditEntry>> {
        let mut out = Vec::new();
        for item in self.audit.iter().rev() {
            let (k, v) = item?;
            let id = codec::id_of(&k).unwrap_or(0);
            let e: AuditEntry =
                codec::decode(&v).map_err(|detail| StoreError::Corrupt { what: "audit", key: id, detail })?;
            if keep(&e) {
                out.push(e);
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// Records that someone saw a full phone or ID number.
    pub fn record_reveal(
        &self,
        kind: RecordKind,
        key: u64,
        field: &str,
        by: WorkerId,
        at: NaiveDateTime,
    ) -> Result<()> {
        let entry = AuditEntry {
            at,
            by: Some(by),
            kind,
            key,
            action: AuditAction::Reveal,
            changes: vec![record::FieldChange { field: field.into(), old: String::new(), new: String::new() }],
        };
        self.transact(|t| {
            let seq = t[T_AUDIT].generate_id()?;
            t[T_AUDIT].insert(&codec::key(seq), codec::encode(&entry))?;
            Ok(())
        })
    }

    /// Records that records of `kind` (`None`: the audit trail itself) left
    /// in a file: who, when, how many, whether phone numbers were in full,
    /// the format and where.
    #[allow(clippy::too_many_arguments)]
    pub fn record_export(
        &self,
        kind: Option<RecordKind>,
        rows: u64,
        format: &str,
        full_numbers: bool,
        target: &Path,
        by: Option<WorkerId>,
        at: NaiveDateTime,
    ) -> Result<()> {
        let change = |field: &str, new: String| record::FieldChange { field: field.into(), old: String::new(), new };
        let entry = AuditEntry {
            at,
            by,
            // the trail has no kind for itself; an export of the trail says so in "what"
            kind: kind.unwrap_or(RecordKind::Request),
            key: rows,
            action: AuditAction::Export,
            changes: vec![
                change("what", kind.map(|k| k.name()).unwrap_or("audit").to_string()),
                change("rows", rows.to_string()),
                change("format", format.to_string()),
                change("full_numbers", full_numbers.to_string()),
                change("target", target.display().to_string()),
            ],
        };
        self.transact(|t| {
            let seq = t[T_AUDIT].generate_id()?;
            t[T_AUDIT].insert(&codec::key(seq), codec::encode(&entry))?;
            Ok(())
        })
    }

    /// Every audit entry, oldest first.
    pub fn scan_audit(&self, mut f: impl FnMut(AuditEntry)) -> Result<()> {
        for item in self.audit.iter() {
            let (k, v) = item?;
            let id = codec::id_of(&k).unwrap_or(0);
            f(codec::decode(&v).map_err(|detail| StoreError::Corrupt { what: "audit", key: id, detail })?);
        }
        Ok(())
    }

    // ---- bulk loading --------------------------------------------------------

    /// Writes a whole generated or imported data set in batches (one flush
    /// at the end), with its indexes and id counters. For an empty store:
    /// records with the same ids are overwritten. The audit trail records
    /// one entry per record, by the system (no operator).
    pub fn bulk_load(&self, data: &crate::demo::Dataset) -> Result<()> {
        let mut meta = sled::Batch::default();
        let mut by_res = sled::Batch::default();
        let mut max_seq: std::collections::BTreeMap<i32, u64> = Default::default();
        fn batch<R: Record>(items: &[R]) -> sled::Batch {
            let mut b = sled::Batch::default();
            for r in items {
                b.insert(&codec::key(r.key()), codec::encode(r));
            }
            b
        }
        self.workers.apply_batch(batch(&data.workers))?;
        self.residents.apply_batch(batch(&data.residents))?;
        for chunk in data.requests.chunks(10_000) {
            self.requests.apply_batch(batch(chunk))?;
        }
        for r in &data.requests {
            if let Some(res) = r.resident {
                by_res.insert(&codec::key2(res.0, r.id.0), &[]);
            }
            let e = max_seq.entry(r.id.year()).or_default();
            *e = (*e).max(r.id.seq());
        }
        self.req_by_resident.apply_batch(by_res)?;
        for (year, seq) in max_seq {
            meta.insert(seq_key("request", year), &seq.to_be_bytes());
        }
        let max = |ids: &mut dyn Iterator<Item = u64>| ids.max().unwrap_or(0);
        meta.insert(seq_key("worker", 0), &max(&mut data.workers.iter().map(|w| w.id.0)).to_be_bytes());
        meta.insert(seq_key("resident", 0), &max(&mut data.residents.iter().map(|r| r.id.0)).to_be_bytes());
        self.meta.apply_batch(meta)?;
        self.flush()
    }

    // ---- settings kept with the data ------------------------------------------

    pub fn last_operator(&self) -> Result<Option<WorkerId>> {
        Ok(self.meta.get(META_LAST_OPERATOR)?.and_then(|v| codec::id_of(&v)).map(WorkerId))
    }

    pub fn set_last_operator(&self, w: WorkerId) -> Result<()> {
        self.meta.insert(META_LAST_OPERATOR, &codec::key(w.0))?;
        self.flush()
    }

    pub fn is_demo(&self) -> Result<bool> {
        Ok(self.meta.get(META_DEMO)?.is_some())
    }

    pub fn mark_demo(&self) -> Result<()> {
        self.meta.insert(META_DEMO, &[1])?;
        self.flush()
    }
}
