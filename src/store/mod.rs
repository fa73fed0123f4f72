//! The store: linli's records in an embedded sled database.
//!
//! Every change is one sled transaction that writes the record, its index
//! entries and its audit entry together, followed by a flush: when a
//! function here returns `Ok`, the change is on disk. Values are decoded
//! with errors returned, never unwrapped (see `codec`).

pub mod audit;
pub mod backup;
pub mod bulk;
pub mod check;
pub mod codec;
mod cold_open;
pub mod duties;
pub mod duties_rows;
pub mod error;
pub mod figures_copy;
pub mod index_cache;
mod links;
mod markers;
pub mod migrate;
mod people;
pub mod pin;
pub mod profile;
pub mod record;
mod requests;
pub mod roster;
pub mod rows;
pub mod saved_copy;
pub mod schema;
mod segments;
pub mod snapshot;
pub mod tags;
pub mod tidy;
pub mod undo;

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
const CACHE_BYTES: u64 = 2 * 1024 * 1024;

/// How often sled's flusher runs while a store is filled at once
/// ([`Store::open_to_load`]). sled 0.34 moves the live pages out of a
/// segment at most half live (so that it can be reused) only on its
/// flusher's thread, between flushes, for up to half of this period, and
/// one page at each consolidation of another: without a flusher, as
/// linli opens its stores, a load leaves its half-dead segments behind.
/// 10 ms: the requests-only store of `bench-taskwarrior.sh` was 57.6 MB
/// instead of 62.6–67.6 loaded as before; 50 and 200 ms cleaned less
/// (BENCHMARKS.md, issue 19v).
const CLEAN_EVERY_MS: u64 = 10;

/// A file in `store/` beside sled's own, written once the store has been
/// created: sled opens a log it cannot read at all as an empty store, and
/// this tells that apart from a new one.
pub const STORE_MARKER: &str = "linli-store";
/// Beside the marker: the schema version the store was last opened at and
/// which data file (device, inode) it was then, so that a window can tell
/// without opening sled that opening the store needs nothing from its
/// terminal (see [`Store::opens_as_is`]). Only a hint: not synced, and
/// any doubt (missing, other text, another file) means "open it and see".
const SCHEMA_SEEN: &str = "linli-schema";
/// Entries of the ballast tree (see [`Store::relieve_cache`]): sled splits
/// a leaf past 16 entries, so sequential inserts leave ~6 a leaf, and 6,144
/// entries make ~1,000 leaves, whose page ids cover all 256 cache shards.
const BALLAST_ENTRIES: u32 = 256 * 24;
const BALLAST_STEP: usize = 6;
/// Scans let sled count its cache after reading this much (bytes of keys
/// and values, plus [`ENTRY_WEIGHT`] an entry for sled's own bookkeeping;
/// ~1,000 leaves of requests): about the most a scan adds to memory. Each
/// relief costs ~20 ms, so a scan of the 100,000 requests takes ~15 %
/// longer, for 35 MB less.
const RELIEVE_BYTES: usize = 6 << 20;
/// The step of a scan that runs beside the app (see [`Store::paced`]):
/// about 1,900 requests (deflated, ~345 bytes each) or 7,500 residents.
pub const PACE_BYTES: usize = 768 << 10;
const ENTRY_WEIGHT: usize = 64;

/// An iterator over a tree that has sled count its cache every
/// [`RELIEVE_BYTES`] read and when it is dropped (see
/// [`Store::relieve_cache`]).
pub(crate) struct Relieved<'a, I> {
    store: &'a Store,
    inner: I,
    /// Bytes read between two counts ([`RELIEVE_BYTES`] unless the scan
    /// came through [`Store::paced`]).
    step: usize,
    bytes: usize,
    total: usize,
}

impl<I: Iterator<Item = sled::Result<(sled::IVec, sled::IVec)>>> Iterator for Relieved<'_, I> {
    type Item = sled::Result<(sled::IVec, sled::IVec)>;
    fn next(&mut self) -> Option<Self::Item> {
        let item = self.inner.next()?;
        if let Ok((k, v)) = &item {
            let n = k.len() + v.len() + ENTRY_WEIGHT;
            self.bytes += n;
            self.total += n;
            if self.bytes >= self.step {
                self.bytes = 0;
                self.store.relieve_cache();
            }
        }
        Some(item)
    }
}

impl<I: DoubleEndedIterator<Item = sled::Result<(sled::IVec, sled::IVec)>>> DoubleEndedIterator for Relieved<'_, I> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let item = self.inner.next_back()?;
        if let Ok((k, v)) = &item {
            let n = k.len() + v.len() + ENTRY_WEIGHT;
            self.bytes += n;
            self.total += n;
            if self.bytes >= self.step {
                self.bytes = 0;
                self.store.relieve_cache();
            }
        }
        Some(item)
    }
}

impl<I> Drop for Relieved<'_, I> {
    fn drop(&mut self) {
        if self.bytes >= self.step / 8 {
            self.store.relieve_cache();
        }
    }
}

/// A store's scans with their own step between two counts of sled's
/// cache (see [`Store::paced`]).
pub struct Paced<'a> {
    store: &'a Store,
    step: usize,
}

impl Paced<'_> {
    fn iter(&self, kind: RecordKind) -> Relieved<'_, sled::Iter> {
        Relieved { store: self.store, inner: self.store.tree(kind).iter(), step: self.step, bytes: 0, total: 0 }
    }

    /// [`Store::scan`], pacing as asked.
    pub fn scan<R: Record>(&self, mut f: impl FnMut(R)) -> Result<()> {
        for item in self.iter(R::KIND) {
            let (k, v) = item?;
            let id = codec::id_of(&k).unwrap_or(0);
            let r =
                codec::decode(&v).map_err(|detail| StoreError::Corrupt { what: R::KIND.name(), key: id, detail })?;
            f(r);
        }
        Ok(())
    }

    /// [`Store::scan_readable`], pacing as asked.
    pub fn scan_readable<R: Record>(&self, mut f: impl FnMut(R), mut bad: impl FnMut(u64, String)) -> Result<()> {
        for item in self.iter(R::KIND) {
            let (k, v) = item?;
            match codec::decode(&v) {
                Ok(r) => f(r),
                Err(why) => bad(codec::id_of(&k).unwrap_or(0), why),
            }
        }
        Ok(())
    }
}

fn open_ballast(db: &sled::Db) -> Result<Tree> {
    let t = db.open_tree(TREE_BALLAST)?;
    let full = t.last()?.is_some_and(|(k, _)| k.as_ref() == (BALLAST_ENTRIES - 1).to_be_bytes());
    if !full {
        for i in 0..BALLAST_ENTRIES {
            t.insert(i.to_be_bytes(), &[])?;
        }
    }
    Ok(t)
}

/// Records per batch when loading a whole data set.
pub(crate) const BULK_CHUNK: usize = 1000;

pub struct Store {
    pub(crate) db: sled::Db,
    /// meta, audit, one tree per index in `schema::INDEXES`, then one per
    /// `RecordKind::ALL`, in that order: transactions span them all.
    pub(crate) trees: Vec<Tree>,
    dir: PathBuf,
    /// sled's own data file, for `fdatasync` after each flush: sled's flush
    /// uses `sync_file_range`, which survives a crash of linli but not
    /// necessarily a power cut (the disk's cache and file metadata).
    data_file: std::fs::File,
    /// Which file `data_file` is (device, inode), to notice at the next
    /// save when the data dir was deleted, moved or replaced under us.
    data_id: Option<(u64, u64)>,
    /// See [`Store::keep_changes`].
    keep_changes: std::sync::atomic::AtomicBool,
    /// Tiny pages read over and over to make sled evict (see
    /// [`Store::relieve_cache`]).
    ballast: Tree,
    /// Whether scans relieve the cache (a command that exits right after
    /// its one scan turns it off: see [`Store::relieve_cache`]).
    relief: std::sync::atomic::AtomicBool,
    /// How many times sled was made to count its cache (see
    /// [`Store::cache_counts`]).
    counts: std::sync::atomic::AtomicU64,
    /// Group commit (the store server): see [`Store::group_commit`].
    group: std::sync::Mutex<Group>,
    /// sled's blob files put on disk so far (see `segments::Blobs`).
    blobs: segments::Blobs,
    /// The data dir's lock: last, so it is let go after sled closes.
    _lock: tidy::DirLock,
}

/// A group's writes taken for one flush (see [`Store::take_group`]).
pub struct GroupFlush {
    mark: u64,
}

/// Writes waiting for one flush (see [`Store::group_commit`]).
#[derive(Default)]
struct Group {
    /// The thread whose writes wait.
    owner: Option<std::thread::ThreadId>,
    /// How many flushes were put off.
    waiting: u64,
    /// The test marker of the group's write (see `markers`), 0 when none.
    mark: u64,
}

pub(crate) const T_META: usize = 0;
pub(crate) const T_AUDIT: usize = 1;
pub(crate) const T_AUDIT_BY_RECORD: usize = 2;
const T_INDEXES: usize = 3;

pub(crate) type TxResult<T> = std::result::Result<T, ConflictableTransactionError<StoreError>>;

pub(crate) fn abort<T>(e: StoreError) -> TxResult<T> {
    Err(ConflictableTransactionError::Abort(e))
}

pub(crate) fn tree_of(kind: RecordKind) -> usize {
    T_INDEXES + INDEXES.len() + RecordKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

/// The audit index's owner key: the kind in the top byte, the id below.
pub(crate) fn audit_owner(kind: RecordKind, key: u64) -> u64 {
    let k = RecordKind::ALL.iter().position(|x| *x == kind).unwrap_or(0) as u64;
    (k << 56) | (key & ((1 << 56) - 1))
}

/// A file's (device, inode) on Unix; `None` elsewhere (there a deleted
/// data dir shows as a missing path).
fn file_id(f: &std::fs::File) -> Option<(u64, u64)> {
    f.metadata().ok().and_then(|m| meta_id(&m))
}

fn meta_id(m: &std::fs::Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        None
    }
}

pub(crate) fn index_of(name: &str) -> usize {
    T_INDEXES + INDEXES.iter().position(|n| *n == name).unwrap_or(0)
}

impl Store {
    /// Opens (creating if needed) the store in `dir/store`. First, holding
    /// the data dir's lock: a restore cut short is finished, what
    /// interrupted work left is removed, and sled's leftovers that would
    /// stop it from opening are set aside (see `tidy`). Everything in the
    /// data dir is made owner-only.
    pub fn open(dir: &Path) -> Result<Store> {
        Self::open_with(dir, &mut |_, _| {})
    }

    /// As [`Store::open`]; `on_upgrade(from, to)` is called before a schema
    /// upgrade starts (it can take seconds on a large store: the caller says
    /// so on the terminal).
    pub fn open_with(dir: &Path, on_upgrade: &mut dyn FnMut(u32, u32)) -> Result<Store> {
        Self::open_inner(dir, on_upgrade, false)
    }

    /// As [`Store::open`], for a store that is about to be filled at once
    /// (`linli gen`, a restore's new store): sled's own flusher runs beside
    /// the writes and moves the live pages out of half-dead segments as
    /// it goes, which it never does without it (see [`CLEAN_EVERY_MS`]).
    /// Saves are as durable as in any store; the flusher only adds writes.
    pub fn open_to_load(dir: &Path, on_upgrade: &mut dyn FnMut(u32, u32)) -> Result<Store> {
        Self::open_inner(dir, on_upgrade, true)
    }

    fn open_inner(dir: &Path, on_upgrade: &mut dyn FnMut(u32, u32), loading: bool) -> Result<Store> {
        crate::platform::private::create_dir_all(dir)?;
        let lock = tidy::DirLock::acquire(dir)?;
        backup::recover_interrupted_restore(dir).map_err(|e| match e {
            backup::BackupError::Store(e) => e,
            other => StoreError::Io(other.to_string()),
        })?;
        tidy::remove_leftovers(dir);
        let path = dir.join("store");
        tidy::set_aside_sled_leftovers(dir, &path)?;
        // sled zeroes its free segments at every opening: on a cold page
        // cache the disk reads them in the background first (see cold_open)
        cold_open::prefetch_free_segments(&path);
        // A store closed a moment ago (by this process, or one that is just
        // exiting) can hold sled's own lock briefly: sled's worker threads
        // let go of the file after `drop` returns, later on a busy machine.
        // Wait up to five seconds (the data dir's own lock, taken above,
        // already keeps a second linli out: this is only that lag).
        // a store's own segment size; a new store gets the small ones
        let segment = segments::for_store(&path, STORE_MARKER).map_err(StoreError::Damaged)?;
        let had_conf = segments::in_conf(&path).is_some();
        let mut tries = 0;
        let db = loop {
            match Self::open_db(&path, segment, loading) {
                Err(StoreError::Locked(_)) if tries < 100 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(StoreError::Locked(_)) => return Err(StoreError::Locked(dir.to_path_buf())),
                other => break other?,
            }
        };
        if !had_conf {
            // sled wrote its conf now, without a sync: on disk before any
            // of the log can be, so the log is never read at a wrong size
            segments::sync_conf(&path)?;
            backup::sync_dir(&path);
        }
        tidy::restrict_data_dir(dir);
        let names = [TREE_META, TREE_AUDIT, TREE_AUDIT_BY_RECORD]
            .into_iter()
            .chain(INDEXES.iter().copied())
            .chain(RecordKind::ALL.iter().map(|k| k.tree_name()));
        let trees = names.map(|n| db.open_tree(n)).collect::<std::result::Result<Vec<_>, _>>()?;
        let data_file = std::fs::OpenOptions::new().read(true).write(true).open(path.join("db"))?;
        let data_id = file_id(&data_file);
        let ballast = open_ballast(&db)?;
        let store = Store {
            db,
            trees,
            dir: dir.to_path_buf(),
            data_file,
            data_id,
            keep_changes: Default::default(),
            ballast,
            relief: true.into(),
            counts: 0.into(),
            group: Default::default(),
            blobs: segments::Blobs::there_at_opening(&path),
            _lock: lock,
        };
        store.check_schema(on_upgrade, segment)?;
        store.note_schema_seen();
        Ok(store)
    }

    /// What [`SCHEMA_SEEN`] says of a store opened at this schema whose
    /// data file is `id`.
    fn schema_seen_text(id: (u64, u64)) -> String {
        format!("schema {SCHEMA_VERSION} data {} {}\n", id.0, id.1)
    }

    /// Notes that the store is at this linli's schema (after `check_schema`
    /// has upgraded it, if it had to). Written only when it changes.
    fn note_schema_seen(&self) {
        let Some(id) = self.data_id else { return };
        let path = self.dir.join("store").join(SCHEMA_SEEN);
        let text = Self::schema_seen_text(id);
        if std::fs::read(&path).ok().as_deref() != Some(text.as_bytes()) {
            // a failure only costs the next window's start an open
            let _ = crate::platform::private::write(&path, text.as_bytes());
        }
    }

    /// Whether opening the store in `dir` would need nothing from the user's
    /// terminal: it exists, it was last opened at this linli's schema (no
    /// upgrade with its progress to show) and it is still the same data
    /// file (not replaced by a restore or a copy since), and no restore
    /// waits to be finished. Looks at a few files; sled is not opened.
    /// `false` whenever in doubt (and always where files have no inode
    /// number, on Windows). A damaged store can still say `true`: the
    /// opening that follows finds the damage and says so.
    pub fn opens_as_is(dir: &Path) -> bool {
        let store = dir.join("store");
        let Some(id) = std::fs::metadata(store.join("db")).ok().as_ref().and_then(meta_id) else { return false };
        store.join(STORE_MARKER).is_file()
            && !backup::restore_waiting(dir)
            && std::fs::read(store.join(SCHEMA_SEEN)).ok().as_deref() == Some(Self::schema_seen_text(id).as_bytes())
    }

    fn open_db(path: &Path, segment: u64, loading: bool) -> Result<sled::Db> {
        let segment = usize::try_from(segment).unwrap_or(usize::MAX);
        Ok(sled::Config::new()
            .path(path)
            // sled opens a store only at the size it was made with
            // (see `segments`)
            .segment_size(segment)
            .cache_capacity(CACHE_BYTES)
            // (sled 0.34.7 reads this setting nowhere: HighThroughput would
            // change nothing; a 16-256 MB cache for a restore's load did
            // not make it faster either and cost ~95 MB, BENCHMARKS.md)
            .mode(sled::Mode::LowSpace)
            // we flush after every change ourselves; no background flusher,
            // but while a store is filled at once (its segment cleaning)
            .flush_every_ms(loading.then_some(CLEAN_EVERY_MS))
            .open()?)
    }

    /// Makes sled let go of the pages it has read since it last counted.
    ///
    /// sled 0.34 keeps an access queue of 64 entries for each of its 256
    /// cache shards and counts (and evicts) pages only when a shard's queue
    /// fills; every page read until then stays in memory. A tree of fewer
    /// than ~16,000 leaves (the 100,000 requests are ~6,500) is therefore
    /// kept whole after one scan, whatever the cache size (+38 MB on the
    /// large set), and a day of reading single records piles up the same
    /// way. Reading 1,024 tiny ballast pages 16 times fills every shard's
    /// queue once: sled counts what it read and evicts down to its cache
    /// size. About 15–25 ms; scans call it every [`RELIEVE_BYTES`] read
    /// (or their own step, [`Store::paced`]) and when they end.
    pub fn relieve_cache(&self) {
        if !self.relief.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        self.counts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for _ in 0..16 {
            for i in (0..BALLAST_ENTRIES).step_by(BALLAST_STEP) {
                let _ = self.ballast.get(i.to_be_bytes());
            }
        }
    }

    /// Whether scans let sled count its cache as they go (on by default;
    /// a command that exits after one scan is faster without).
    pub fn set_relief(&self, on: bool) {
        self.relief.store(on, std::sync::atomic::Ordering::Relaxed);
    }

    /// How many times sled has been made to count its cache since the
    /// store was opened (for tests and probes).
    pub fn cache_counts(&self) -> u64 {
        self.counts.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn meta(&self) -> &Tree {
        &self.trees[T_META]
    }

    /// Every tree in transaction order (meta, audit, indexes, kinds).
    pub(crate) fn all_trees(&self) -> Vec<&Tree> {
        self.trees.iter().collect()
    }

    fn tree(&self, kind: RecordKind) -> &Tree {
        &self.trees[tree_of(kind)]
    }

    /// `segment`: the segment size sled opened the store with, which a
    /// marker written now names.
    fn check_schema(&self, on_upgrade: &mut dyn FnMut(u32, u32), segment: u64) -> Result<()> {
        let marker = self.dir.join("store").join(STORE_MARKER);
        match self.meta().get(META_SCHEMA)? {
            // sled reads a log it cannot make sense of as an empty store: a
            // store that once held data never becomes an empty office
            None if marker.exists() => {
                Err(StoreError::Damaged("the store's log holds no readable data (sled read it as empty)".into()))
            }
            None => {
                self.meta().insert(META_SCHEMA, &SCHEMA_VERSION.to_be_bytes())?;
                self.flush()?;
                Self::write_marker(&marker, segment)
            }
            Some(v) => {
                let found = v.as_ref().try_into().map(u32::from_be_bytes).map_err(|_| StoreError::Corrupt {
                    what: "schema",
                    key: 0,
                    detail: "schema version is not 4 bytes".into(),
                })?;
                if found > SCHEMA_VERSION {
                    // refused before anything is written (the marker too)
                    return Err(StoreError::NewerSchema { found, supported: SCHEMA_VERSION });
                }
                if !marker.exists() {
                    // a store made before the marker existed
                    Self::write_marker(&marker, segment)?;
                }
                if found < SCHEMA_VERSION {
                    on_upgrade(found, SCHEMA_VERSION);
                }
                // ordered steps, each tested against data/fixtures/
                migrate::upgrade(self, found)
            }
        }
    }

    /// Marks `store/` as a store that has been created (see `check_schema`).
    /// It names the store's segment size (`segments`: read when sled's
    /// `conf` cannot be).
    fn write_marker(marker: &Path, segment: u64) -> Result<()> {
        crate::platform::private::write(marker, &segments::marker_text(segment))?;
        // its text too: it names the segment size (see `segments`)
        std::fs::OpenOptions::new().read(true).write(true).open(marker)?.sync_all()?;
        if let Some(dir) = marker.parent() {
            backup::sync_dir(dir);
        }
        Ok(())
    }

    /// The schema version written in the store (not the constant this
    /// linli supports): after an upgrade, what the upgrade wrote last.
    pub fn stored_schema_version(&self) -> Result<u32> {
        let v = self.meta().get(META_SCHEMA)?.ok_or_else(|| StoreError::Corrupt {
            what: "schema",
            key: 0,
            detail: "no schema version".into(),
        })?;
        v.as_ref().try_into().map(u32::from_be_bytes).map_err(|_| StoreError::Corrupt {
            what: "schema",
            key: 0,
            detail: "schema version is not 4 bytes".into(),
        })
    }

    /// Waits until everything written is on disk, through a power cut.
    /// Fails with `DataDirGone` when the data dir was deleted, moved or
    /// replaced while the store was open: sled then writes into a file
    /// nobody will ever open again, and "saved" would be a lie.
    pub fn flush(&self) -> Result<()> {
        if self.defer_flush() {
            return Ok(());
        }
        self.flush_now()
    }

    fn flush_now(&self) -> Result<()> {
        self.db.flush()?;
        // the nodes sled wrote as files of their own, before the log that
        // points to them
        self.blobs.sync_new(&self.dir.join("store"))?;
        self.data_file.sync_data()?;
        self.still_there()
    }

    /// Group commit, for the store server: from now on, what the calling
    /// thread writes is flushed only when it asks ([`Store::take_group`]
    /// and [`Store::flush_taken`], or [`Store::flush_group`]); every other
    /// thread's writes are flushed as before, each on its own. The server
    /// handles the events that are waiting, then has them flushed once for
    /// all, and only then tells any window 已保存: one `fdatasync` for ten
    /// saves instead of ten. `false` flushes what waits and ends it.
    pub fn group_commit(&self, on: bool) -> Result<()> {
        let mine = std::thread::current().id();
        let was = self.group.lock().map(|g| g.owner == Some(mine)).unwrap_or(false);
        if was && !on {
            let r = self.flush_group();
            if let Ok(mut g) = self.group.lock() {
                g.owner = None;
            }
            return r;
        }
        if on && let Ok(mut g) = self.group.lock() {
            g.owner = Some(mine);
        }
        Ok(())
    }

    /// Whether the calling thread's writes wait for [`Store::flush_group`]
    /// (noted as waiting if so).
    fn defer_flush(&self) -> bool {
        let Ok(mut g) = self.group.lock() else { return false };
        if g.owner != Some(std::thread::current().id()) {
            return false;
        }
        g.waiting += 1;
        true
    }

    /// How many writes wait for [`Store::flush_group`] (0 when none, or
    /// when the group is not the calling thread's).
    pub fn group_waiting(&self) -> u64 {
        self.group.lock().ok().filter(|g| g.owner == Some(std::thread::current().id())).map_or(0, |g| g.waiting)
    }

    /// Takes the group's waiting writes for [`Store::flush_taken`] (on any
    /// thread, while the group goes on writing); `None` when none wait.
    pub fn take_group(&self) -> Option<GroupFlush> {
        let mut g = self.group.lock().ok()?;
        if g.owner != Some(std::thread::current().id()) {
            return None;
        }
        let mark = std::mem::take(&mut g.mark);
        if g.waiting == 0 {
            // begun, nothing written (a refused save): nothing to flush
            markers::end(mark);
            return None;
        }
        g.waiting = 0;
        Some(GroupFlush { mark })
    }

    /// Flushes the taken groups' writes (and whatever else was written
    /// before): once it returns `Ok`, every one of them is on disk, as a
    /// plain [`Store::flush`] after each would have left it.
    pub fn flush_taken(&self, groups: Vec<GroupFlush>) -> Result<()> {
        let r = self.flush_now();
        if r.is_ok() {
            for g in groups {
                markers::end(g.mark);
            }
        }
        r
    }

    /// Flushes everything written so far, the group's waiting writes
    /// included, before it returns.
    pub fn flush_group(&self) -> Result<()> {
        let taken = self.take_group();
        self.flush_taken(taken.into_iter().collect())
    }

    /// Whether `dir/store/db` is still the file the store writes to.
    fn still_there(&self) -> Result<()> {
        let at_path = std::fs::metadata(self.dir.join("store").join("db"));
        let same = match (&at_path, self.data_id) {
            (Err(_), _) => false,
            (Ok(m), Some(id)) => meta_id(m) == Some(id),
            (Ok(_), None) => true,
        };
        if same { Ok(()) } else { Err(StoreError::DataDirGone(self.dir.clone())) }
    }

    /// Runs `f` as one transaction over every tree, then flushes.
    /// What the transaction changed is captured for undo (see `undo`).
    fn transact<T>(&self, f: impl Fn(&[TransactionalTree]) -> TxResult<T>) -> Result<T> {
        let trees: Vec<&Tree> = self.trees.iter().collect();
        let grouped = self.group_waiting_mark();
        let mark = if grouped { 0 } else { markers::begin() };
        let out = trees[..]
            .transaction(|t| {
                undo::ATTEMPT.with(|c| c.borrow_mut().clear());
                let out = f(t)?;
                Self::tx_advance(t, META_GENERATION, 1)?;
                Ok(out)
            })
            .map_err(|e| match e {
                TransactionError::Abort(e) => e,
                TransactionError::Storage(e) => StoreError::from(e),
            })?;
        undo::committed(self.keep_changes.load(std::sync::atomic::Ordering::Relaxed));
        self.flush()?;
        // (grouped: its end is marked by the group's flush)
        markers::end(mark);
        Ok(out)
    }

    /// Under group commit by the calling thread: the group's write marker
    /// begins with its first transaction (the kill tests see one write per
    /// group, begun before the first change and ended by its flush).
    fn group_waiting_mark(&self) -> bool {
        let Ok(mut g) = self.group.lock() else { return false };
        if g.owner != Some(std::thread::current().id()) {
            return false;
        }
        if g.mark == 0 {
            g.mark = markers::begin();
        }
        true
    }

    /// How many changes the store has seen (see `META_GENERATION`).
    pub fn generation(&self) -> Result<u64> {
        Ok(self.meta().get(META_GENERATION)?.and_then(|v| codec::id_of(&v)).unwrap_or(0))
    }

    // ---- generic record access -------------------------------------------------

    /// One record by id.
    pub fn get<R: Record>(&self, id: u64) -> Result<Option<R>> {
        match self.tree(R::KIND).get(codec::key(id))? {
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
    pub fn scan<R: Record>(&self, f: impl FnMut(R)) -> Result<()> {
        self.paced(RELIEVE_BYTES).scan(f)
    }

    /// Every readable record of a kind, in id order: one that cannot be
    /// decoded is handed to `bad` (its id, why) and the scan goes on, so
    /// that a copy of the store (an export) still takes every other one.
    pub fn scan_readable<R: Record>(&self, f: impl FnMut(R), bad: impl FnMut(u64, String)) -> Result<()> {
        self.paced(RELIEVE_BYTES).scan_readable(f, bad)
    }

    /// Scans that let sled count its cache every `step` bytes read instead
    /// of every [`RELIEVE_BYTES`]: for a long scan running beside the app
    /// (an export, the monthly report), where what sled holds between two
    /// counts is what the heap grows by, and the few pages it keeps after
    /// each count stay scattered across that growth where the allocator
    /// cannot give it back (issue 19p: the export's peak 88 → 80 MB on the
    /// large set). Each count costs ~10–20 ms.
    pub fn paced(&self, step: usize) -> Paced<'_> {
        Paced { store: self, step: step.max(1) }
    }

    /// `iter` (over one of this store's trees), letting sled count its
    /// cache as it goes: for every scan of a whole tree.
    pub(crate) fn relieved<I>(&self, iter: I) -> Relieved<'_, I> {
        Relieved { store: self, inner: iter, step: RELIEVE_BYTES, bytes: 0, total: 0 }
    }

    /// The record with the lowest id, if any.
    pub fn first<R: Record>(&self) -> Result<Option<R>> {
        match self.tree(R::KIND).iter().next() {
            None => Ok(None),
            Some(item) => {
                let (k, v) = item?;
                let id = codec::id_of(&k).unwrap_or(0);
                codec::decode(&v).map(Some).map_err(|detail| StoreError::Corrupt {
                    what: R::KIND.name(),
                    key: id,
                    detail,
                })
            }
        }
    }

    pub fn all<R: Record>(&self) -> Result<Vec<R>> {
        let mut out = Vec::new();
        self.scan(|r: R| out.push(r))?;
        Ok(out)
    }

    /// Records linked to `owner` through an index (e.g. a resident's
    /// requests), in id order.
    pub fn linked<R: Record>(&self, index: &str, owner: u64) -> Result<Vec<R>> {
        let mut out = Vec::new();
        for id in links::linked(&self.trees[index_of(index)], owner)? {
            if let Some(r) = self.get(id)? {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// Creates a record with the next id of its kind, durably, with its
    /// index entries and audit entry.
    pub fn create<R: Record>(&self, by: Option<WorkerId>, at: NaiveDateTime, make: impl Fn(u64) -> R) -> Result<R> {
        self.create_many(1, by, at, |first| vec![make(first)]).map(|mut v| v.remove(0))
    }

    /// Creates `n` records with consecutive new ids in ONE durable
    /// transaction (e.g. crediting an activity to 40 volunteers).
    pub fn create_many<R: Record>(
        &self,
        n: usize,
        by: Option<WorkerId>,
        at: NaiveDateTime,
        make: impl Fn(u64) -> Vec<R>,
    ) -> Result<Vec<R>> {
        self.transact(|t| {
            let key = seq_key(R::KIND.name(), 0);
            let first = Self::tx_advance(t, &key, n as u64)? + 1;
            let records = make(first);
            for r in &records {
                Self::tx_put(t, None, r, by, at)?;
            }
            Ok(records)
        })
    }

    /// Saves a changed record (it must exist), durably, with its audit entry.
    pub fn update<R: Record>(&self, r: &R, by: WorkerId, at: NaiveDateTime) -> Result<()> {
        self.transact(|t| {
            let old: Option<R> = Self::tx_get(t, r.key())?;
            let Some(old) = old else {
                return abort(StoreError::NotFound { what: R::KIND.name(), key: r.key() });
            };
            Self::tx_put(t, Some(&old), r, Some(by), at)
        })
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

    /// Writes a record, its index entries and its audit entry inside a
    /// transaction.
    fn tx_put<R: Record>(
        t: &[TransactionalTree],
        old: Option<&R>,
        new: &R,
        by: Option<WorkerId>,
        at: NaiveDateTime,
    ) -> TxResult<()> {
        let id = new.key();
        let bytes = codec::encode(new);
        undo::capture(undo::Change {
            kind: R::KIND,
            id,
            before: old.map(|o| codec::encode(o).into()),
            after: Some(bytes.clone().into()),
        });
        t[tree_of(R::KIND)].insert(&codec::key(id), bytes)?;
        let new_links = new.links();
        let old_links = old.map(|o| o.links()).unwrap_or_default();
        for (index, owner) in &old_links {
            if !new_links.contains(&(index, *owner)) {
                links::tx_unlink(&t[index_of(index)], *owner, id)?;
            }
        }
        for (index, owner) in new_links {
            if !old_links.contains(&(index, owner)) {
                links::tx_link(&t[index_of(index)], owner, id)?;
            }
        }
        let entry = AuditEntry {
            at,
            by,
            kind: R::KIND,
            key: id,
            action: if old.is_some() { AuditAction::Update } else { AuditAction::Create },
            changes: diff(old, new),
        };
        Self::tx_audit(t, &entry)
    }

    /// Appends an audit entry and indexes it under its record.
    pub(crate) fn tx_audit(t: &[TransactionalTree], entry: &AuditEntry) -> TxResult<()> {
        let seq = t[T_AUDIT].generate_id()?;
        t[T_AUDIT].insert(&codec::key(seq), codec::encode(entry))?;
        links::tx_link(&t[T_AUDIT_BY_RECORD], audit_owner(entry.kind, entry.key), seq)?;
        Ok(())
    }

    /// Moves a counter in meta on by `n`, inside a transaction; returns its
    /// value before.
    fn tx_advance(t: &[TransactionalTree], key: &[u8], n: u64) -> TxResult<u64> {
        let cur = match t[T_META].get(key)? {
            Some(v) => v.as_ref().try_into().map(u64::from_be_bytes).unwrap_or(0),
            None => 0,
        };
        t[T_META].insert(key, &(cur + n).to_be_bytes())?;
        Ok(cur)
    }

    // ---- audit -----------------------------------------------------------------

    /// Audit entries, newest first, up to `limit`, that pass `keep`.
    pub fn audit_entries(&self, limit: usize, keep: impl Fn(&AuditEntry) -> bool) -> Result<Vec<AuditEntry>> {
        let mut out = Vec::new();
        for item in self.relieved(self.trees[T_AUDIT].iter().rev()) {
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

    /// One record's history, oldest first, through the audit index.
    pub fn history(&self, kind: RecordKind, key: u64) -> Result<Vec<AuditEntry>> {
        let mut out = Vec::new();
        for seq in links::linked(&self.trees[T_AUDIT_BY_RECORD], audit_owner(kind, key))? {
            if let Some(v) = self.trees[T_AUDIT].get(codec::key(seq))? {
                out.push(codec::decode(&v).map_err(|detail| StoreError::Corrupt {
                    what: "audit",
                    key: seq,
                    detail,
                })?);
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
        self.transact(|t| Self::tx_audit(t, &entry))
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
            // the trail has no kind for itself; an export of the trail says so
            // in "what". An export is of no one record: key 0 (no record has
            // it), so it never shows in a record's history (the row count
            // once stood here and put the entry in resident 19's history)
            kind: kind.unwrap_or(RecordKind::Request),
            key: 0,
            action: AuditAction::Export,
            changes: vec![
                change("what", kind.map(|k| k.name()).unwrap_or("audit").to_string()),
                change("rows", rows.to_string()),
                change("format", format.to_string()),
                change("full_numbers", full_numbers.to_string()),
                change("target", target.display().to_string()),
            ],
        };
        self.transact(|t| Self::tx_audit(t, &entry))
    }

    /// Every readable audit entry, oldest first; the others go to `bad`.
    pub fn scan_audit_readable(&self, mut f: impl FnMut(AuditEntry), mut bad: impl FnMut(u64, String)) -> Result<()> {
        for item in self.trees[T_AUDIT].iter() {
            let (k, v) = item?;
            match codec::decode(&v) {
                Ok(e) => f(e),
                Err(why) => bad(codec::id_of(&k).unwrap_or(0), why),
            }
        }
        Ok(())
    }

    /// The day the office began keeping records here: its oldest request,
    /// its oldest training record (study sessions entered afterwards count
    /// from their day) or its first audit entry, whichever is earliest
    /// (`None` for an empty store).
    pub fn first_use(&self) -> Result<Option<chrono::NaiveDate>> {
        let mut training = None;
        self.scan_readable(
            |t: crate::domain::duties::training::Training| {
                training = Some(training.map_or(t.date, |d: chrono::NaiveDate| d.min(t.date)));
            },
            |_, _| {}, // a damaged record is check's to report
        )?;
        let audit = match self.trees[T_AUDIT].first()? {
            Some((_, v)) => codec::decode::<AuditEntry>(&v).ok().map(|e| e.at.date()),
            None => None,
        };
        let request = match self.tree(RecordKind::Request).first()? {
            Some((_, v)) => codec::decode::<crate::domain::Request>(&v).ok().map(|r| r.logged_at.date()),
            None => None,
        };
        Ok([audit, request, training].into_iter().flatten().min())
    }

    /// Every audit entry, oldest first.
    pub fn scan_audit(&self, mut f: impl FnMut(AuditEntry)) -> Result<()> {
        for item in self.trees[T_AUDIT].iter() {
            let (k, v) = item?;
            let id = codec::id_of(&k).unwrap_or(0);
            f(codec::decode(&v).map_err(|detail| StoreError::Corrupt { what: "audit", key: id, detail })?);
        }
        Ok(())
    }

    // ---- settings kept with the data ------------------------------------------

    pub fn last_operator(&self) -> Result<Option<WorkerId>> {
        Ok(self.meta().get(META_LAST_OPERATOR)?.and_then(|v| codec::id_of(&v)).map(WorkerId))
    }

    pub fn set_last_operator(&self, w: WorkerId) -> Result<()> {
        self.meta().insert(META_LAST_OPERATOR, &codec::key(w.0))?;
        self.flush()
    }

    /// Whether the overview (概览) shows first at start.
    pub fn overview_first(&self) -> Result<bool> {
        Ok(self.meta().get(META_OVERVIEW_FIRST)?.is_some_and(|v| v.as_ref() == b"1"))
    }

    pub fn set_overview_first(&self, on: bool) -> Result<()> {
        self.meta().insert(META_OVERVIEW_FIRST, if on { &b"1"[..] } else { &b"0"[..] })?;
        self.flush()
    }

    /// The text of the work calendar the due dates were last computed
    /// with (see `cli`: a change recomputes them), if recorded.
    pub fn applied_calendar(&self) -> Result<Option<String>> {
        Ok(self.meta().get(META_CALENDAR)?.map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    pub fn set_applied_calendar(&self, text: &str) -> Result<()> {
        self.meta().insert(META_CALENDAR, text.as_bytes())?;
        self.flush()
    }

    /// Whether a one-time notice named `what` is still to be shown; marks
    /// it shown. (An upgrade's word to the office, said once per data dir.)
    pub fn notice_once(&self, what: &str) -> Result<bool> {
        let key = format!("notice/{what}").into_bytes();
        if self.meta().get(&key)?.is_some() {
            return Ok(false);
        }
        self.meta().insert(key, &[1])?;
        self.flush()?;
        Ok(true)
    }

    pub fn is_demo(&self) -> Result<bool> {
        Ok(self.meta().get(META_DEMO)?.is_some())
    }

    pub fn mark_demo(&self) -> Result<()> {
        self.meta().insert(META_DEMO, &[1])?;
        self.flush()
    }
}
