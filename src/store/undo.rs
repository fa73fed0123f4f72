//! Undo and redo: every durable change the store makes is captured as a
//! change set (each record's bytes before and after), so the session can
//! take the last changes back and make them again, each as one durable
//! transaction that is itself written to the audit trail.

use super::audit::{AuditAction, AuditEntry};
use super::record::{Record, RecordKind, diff};
use super::{Store, StoreError, TxResult, abort, codec, index_of, tree_of};
use crate::domain::WorkerId;
use chrono::NaiveDateTime;
use sled::transaction::TransactionalTree;
use std::cell::RefCell;

/// One record's bytes before and after a change (`None`: it did not exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: RecordKind,
    pub id: u64,
    pub before: Option<Bytes>,
    pub after: Option<Bytes>,
}

/// A record's bytes in a [`Change`]: a part of one block shared by every
/// record one transaction wrote (see [`pack`]). An import's undo step held
/// 30,000 records' bytes in 30,000 small blocks (~3.4 MB with the
/// allocator's share), among which the blocks sled's transactions freed
/// could not be given back (issue 19); in blocks of one transaction's
/// 250 records, 120 blocks.
///
/// Or only a fingerprint of them (see [`Bytes::print_of`]): the records an
/// import created, once written, are in the store; the step keeps which
/// they were, and the undo reads their bytes from the store (issue 19).
#[derive(Clone)]
pub struct Bytes {
    /// Empty for a fingerprint (one empty block shared by all).
    block: std::sync::Arc<[u8]>,
    /// A fingerprint's high 32 bits.
    start: u32,
    /// A fingerprint's low 32 bits (odd: never 0, so never an empty part).
    len: u32,
}

impl Bytes {
    /// Only a fingerprint of `bytes` (64-bit hash, its lowest bit set):
    /// 16 bytes instead of the bytes. Reads as no bytes; [`Bytes::matches`]
    /// says whether stored bytes are these.
    pub fn print_of(bytes: &[u8]) -> Bytes {
        use std::hash::{Hash, Hasher};
        static EMPTY: std::sync::OnceLock<std::sync::Arc<[u8]>> = std::sync::OnceLock::new();
        // (SipHash with fixed keys: the same in every run; prints never
        // leave the process)
        let mut h = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut h);
        let print = h.finish() | 1;
        let block = EMPTY.get_or_init(|| std::sync::Arc::from(Vec::new())).clone();
        Bytes { block, start: (print >> 32) as u32, len: print as u32 }
    }

    /// Only a fingerprint (no bytes: read them from the store).
    pub fn is_print(&self) -> bool {
        self.block.is_empty() && self.len != 0
    }

    /// `stored` are these bytes (or, for a fingerprint, bytes with this
    /// fingerprint).
    pub fn matches(&self, stored: &[u8]) -> bool {
        if self.is_print() { Bytes::print_of(stored) == *self } else { **self == *stored }
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    /// A fingerprint reads as no bytes (see [`Bytes::is_print`]).
    fn deref(&self) -> &[u8] {
        if self.is_print() {
            return &[];
        }
        &self.block[self.start as usize..self.start as usize + self.len as usize]
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(v: Vec<u8>) -> Bytes {
        // (a record is at most a few KB; one past 4 GB is cut, never stored)
        let len = u32::try_from(v.len()).unwrap_or(u32::MAX);
        Bytes { block: v.into(), start: 0, len }
    }
}

impl PartialEq for Bytes {
    fn eq(&self, other: &Bytes) -> bool {
        match (self.is_print(), other.is_print()) {
            (true, true) => (self.start, self.len) == (other.start, other.len),
            (true, false) => self.matches(other),
            (false, true) => other.matches(self),
            (false, false) => **self == **other,
        }
    }
}

impl Eq for Bytes {}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_print() {
            return write!(f, "print {:08x}{:08x}", self.start, self.len);
        }
        (**self).fmt(f)
    }
}

/// Moves the bytes of `changes` (one transaction's) into one block, each
/// change's parts of it: their own blocks are freed, and what stays of
/// them is one block, not two a record.
fn pack(changes: &mut [Change]) {
    // (a fingerprint has no bytes to move)
    let held = |b: &&Bytes| !b.is_print();
    let parts = |c: &Change| [&c.before, &c.after].into_iter().flatten().filter(held).map(|b| b.len()).sum::<usize>();
    let total: usize = changes.iter().map(parts).sum();
    if changes.len() < 2 || u32::try_from(total).is_err() {
        return;
    }
    let mut all = Vec::with_capacity(total);
    for c in changes.iter() {
        for b in [&c.before, &c.after].into_iter().flatten().filter(held) {
            all.extend_from_slice(b);
        }
    }
    let block: std::sync::Arc<[u8]> = all.into();
    let mut at = 0u32;
    for c in changes.iter_mut() {
        for b in [&mut c.before, &mut c.after].into_iter().flatten().filter(|b| !b.is_print()) {
            let len = b.len;
            *b = Bytes { block: block.clone(), start: at, len };
            at += len;
        }
    }
}

/// Everything one user action changed (one record, or 40 for a bulk
/// credit): undone and redone as one step. The second field: where an
/// undone import keeps the bytes its redo writes (see [`Store::spill_prints`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChangeSet(pub Vec<Change>, pub Spilled);

/// The bytes of an undone step's records known only by their fingerprints,
/// in a private file in the data dir (`.redo-N.PID.part`) instead of
/// memory: an import's 30,000 residents' 2.8 MB were the largest part of
/// its undo's peak (issue 19zf). The file goes when the step does (the
/// redo made, or dropped), and at the next start (`tidy`: a redo after a
/// restart is never offered). Its records are checked against their
/// fingerprints when read: a damaged file refuses the redo.
#[derive(Clone, Default)]
pub struct Spilled(Option<std::sync::Arc<Spill>>);

/// A spill file, removed when dropped.
struct Spill {
    path: std::path::PathBuf,
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

impl Spilled {
    /// The step's records' bytes are in a spill file.
    pub fn is_spilled(&self) -> bool {
        self.0.is_some()
    }

    /// The spilled bytes of record `id` (`None`: not spilled, or unreadable).
    /// Reads the file from its start: for naming a few records.
    pub fn read(&self, id: u64) -> Option<Vec<u8>> {
        let spill = self.0.as_ref()?;
        let mut r = std::io::BufReader::new(std::fs::File::open(&spill.path).ok()?);
        loop {
            let (at, bytes) = read_spilled(&mut r).ok()??;
            if at == id {
                return Some(bytes);
            }
        }
    }
}

/// One spilled record: its id, its length, its bytes (`None`: the end).
fn read_spilled(r: &mut impl std::io::Read) -> std::io::Result<Option<(u64, Vec<u8>)>> {
    let mut head = [0u8; 12];
    match r.read_exact(&mut head[..1]) {
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        r => r?,
    }
    r.read_exact(&mut head[1..])?;
    let id = u64::from_le_bytes(head[..8].try_into().unwrap_or_default());
    let len = u32::from_le_bytes(head[8..].try_into().unwrap_or_default()) as usize;
    // (a record is at most a few KB: a length past 16 MB is damage)
    if len > 1 << 24 {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "length"));
    }
    let mut bytes = vec![0; len];
    r.read_exact(&mut bytes)?;
    Ok(Some((id, bytes)))
}

/// What sets spill files apart in this process.
static SPILLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl std::fmt::Debug for Spilled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(s) => write!(f, "spilled to {}", s.path.display()),
            None => f.write_str("in memory"),
        }
    }
}

/// A step is its changes: where its bytes are kept does not make it
/// another step.
impl PartialEq for Spilled {
    fn eq(&self, _: &Spilled) -> bool {
        true
    }
}

impl Eq for Spilled {}

impl ChangeSet {
    /// A step of these changes, its bytes in memory.
    pub fn of(changes: Vec<Change>) -> ChangeSet {
        ChangeSet(changes, Spilled::default())
    }

    /// The change set that takes this one back.
    pub fn inverse(&self) -> ChangeSet {
        ChangeSet(
            self.0
                .iter()
                .rev()
                .map(|c| Change { kind: c.kind, id: c.id, before: c.after.clone(), after: c.before.clone() })
                .collect(),
            self.1.clone(),
        )
    }

    /// Turns this change set into its [`ChangeSet::inverse`] in place: no
    /// record's bytes copied (an import's 30,000 were ~5 MB more at the
    /// end of its undo, issue 19). Inverting twice gives the set back.
    pub fn invert(&mut self) {
        self.0.reverse();
        for c in &mut self.0 {
            std::mem::swap(&mut c.before, &mut c.after);
        }
    }

    /// After the redo of a spilled step (see [`Store::spill_prints`]): its
    /// records are in the store again, so the residents it made are known
    /// by their fingerprints again, as after the import, and the spill file
    /// goes (the next undo writes another).
    pub fn settle(&mut self) {
        if !self.1.is_spilled() {
            return;
        }
        for c in self.0.iter_mut().filter(|c| c.before.is_none() && c.kind == RecordKind::Resident) {
            if let Some(b) = c.after.as_mut().filter(|b| !b.is_print()) {
                *b = Bytes::print_of(b);
            }
        }
        self.1 = Spilled::default();
    }

    /// Some record's bytes are only a fingerprint (see
    /// [`Store::capture_prints`]).
    pub fn has_prints(&self) -> bool {
        self.0.iter().flat_map(|c| [&c.before, &c.after]).flatten().any(Bytes::is_print)
    }
}

thread_local! {
    /// Filled by `tx_put` during a transaction attempt (cleared at the start
    /// of each attempt, since sled may retry the closure).
    pub(super) static ATTEMPT: RefCell<Vec<Change>> = const { RefCell::new(Vec::new()) };
    /// What the committed transactions changed since the last
    /// [`Store::take_last_change`]: the last one only, or all of them when
    /// the store keeps changes (see [`Store::keep_changes`]).
    static CAPTURE: RefCell<Vec<Change>> = const { RefCell::new(Vec::new()) };
    /// The records this thread's transactions create are captured as
    /// fingerprints (see [`Store::capture_prints`]).
    static PRINTS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

pub(super) fn capture(c: Change) {
    ATTEMPT.with(|v| v.borrow_mut().push(c));
}

/// A transaction committed: what its last attempt changed is captured.
pub(super) fn committed(keep: bool) {
    let mut done = ATTEMPT.with(|v| std::mem::take(&mut *v.borrow_mut()));
    if PRINTS.get() {
        // (residents only: the panels read a resident known by its
        // fingerprint from the store; no other kind's readers do)
        for c in done.iter_mut().filter(|c| c.before.is_none() && c.kind == RecordKind::Resident) {
            if let Some(b) = &mut c.after {
                *b = Bytes::print_of(b);
            }
        }
    }
    pack(&mut done);
    CAPTURE.with(|v| {
        let mut v = v.borrow_mut();
        if !keep {
            v.clear();
        }
        v.extend(done);
    });
}

/// The undo error when someone changed a record after the step to undo.
pub fn conflict(kind: RecordKind, id: u64) -> StoreError {
    StoreError::Changed { kind, key: id }
}

impl Store {
    /// A record's stored bytes now (`None`: there is no such record). Two
    /// reads are equal exactly when nothing wrote the record between them
    /// (every write goes through a transaction that replaces them; a write
    /// of the very same value leaves them equal, and nothing was lost): an
    /// edit form keeps the version it was filled from, and its save is
    /// refused when the version stored has moved on.
    pub fn version(&self, kind: RecordKind, id: u64) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.trees[tree_of(kind)].get(codec::key(id))?.map(|v| v.to_vec()))
    }

    /// Keep every write's changes until they are taken (the app: one user
    /// action that writes twice is one undo step), instead of only the last
    /// write's (the default: a command that writes a million times keeps
    /// nothing).
    pub fn keep_changes(&self, keep: bool) {
        self.keep_changes.store(keep, std::sync::atomic::Ordering::Relaxed);
    }

    /// The residents this thread's transactions create from now on are
    /// captured as a fingerprint of their bytes, not the bytes (until
    /// called with `false`; the thread's own setting). For an import on its
    /// thread: its 30,000 residents' bytes (2.8 MB) were held all along in
    /// its step, among what sled's transactions left in that thread's heap
    /// (issue 19). The panels read them from the store to show them; their
    /// undo checks them there, and keeps them for its redo
    /// ([`Store::fill_prints`]).
    pub fn capture_prints(&self, on: bool) {
        PRINTS.set(on);
    }

    /// Replaces the fingerprints in `set` by the bytes they stand for, read
    /// from the store (a block for each [`UNDO_CHUNK`] records): what an
    /// undo of the step needs for its redo. Refused when a record's stored
    /// bytes are not those any more (a colleague changed or removed it):
    /// the step is the same step (what was filled are the bytes its
    /// fingerprints stand for).
    pub fn fill_prints(&self, set: &mut ChangeSet) -> Result<(), StoreError> {
        if !set.has_prints() {
            return Ok(());
        }
        for chunk in set.0.chunks_mut(UNDO_CHUNK) {
            let mut all = Vec::new();
            let mut at = Vec::with_capacity(chunk.len());
            for c in chunk.iter() {
                for b in [&c.before, &c.after].into_iter().flatten().filter(|b| b.is_print()) {
                    match self.trees[tree_of(c.kind)].get(codec::key(c.id))? {
                        Some(v) if b.matches(&v) => {
                            at.push((all.len() as u32, v.len() as u32));
                            all.extend_from_slice(&v);
                        }
                        _ => return Err(conflict(c.kind, c.id)),
                    }
                }
            }
            if at.is_empty() {
                continue;
            }
            let block: std::sync::Arc<[u8]> = all.into();
            let mut next = at.into_iter();
            for c in chunk.iter_mut() {
                for slot in [&mut c.before, &mut c.after].into_iter().flatten().filter(|b| b.is_print()) {
                    if let Some((start, len)) = next.next() {
                        *slot = Bytes { block: block.clone(), start, len };
                    }
                }
            }
        }
        Ok(())
    }

    /// Makes `set` ready to be taken back ([`Store::undo_in_chunks`]): the
    /// records it removes that it knows only by their fingerprints are
    /// checked in the store and their bytes kept for the redo in a spill
    /// file ([`Store::spill_prints`]); the records it writes back that it
    /// knows only by their fingerprints (a redo of such an undo) are read
    /// from that file ([`Store::fill_spilled`]). Refused, changing nothing,
    /// when a record is not what the step left (a colleague changed it) or
    /// the file is not what was written.
    pub fn ready(&self, set: &mut ChangeSet) -> Result<(), StoreError> {
        let print = |b: &Option<Bytes>| b.as_ref().is_some_and(Bytes::is_print);
        if set.0.iter().any(|c| print(&c.before)) {
            return self.fill_spilled(set);
        }
        if set.0.iter().any(|c| print(&c.after)) {
            return self.spill_prints(set);
        }
        Ok(())
    }

    /// Checks every record `set` removes that it knows only by its
    /// fingerprint against the store (all first: a refusal writes
    /// nothing) and writes their bytes, as read, to a private spill file
    /// in the data dir, which `set` then holds ([`Spilled`]): the step keeps
    /// its fingerprints, not 2.8 MB for an import of 30,000.
    ///
    /// When the file cannot be written (a full disk), the bytes are kept in
    /// memory instead ([`Store::fill_prints`], as before issue 19zf): the
    /// undo and its redo work as ever, at the memory's cost; dropping the
    /// redo instead would lose what the worker may want back.
    pub fn spill_prints(&self, set: &mut ChangeSet) -> Result<(), StoreError> {
        let n = SPILLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = self.dir().join(format!(".redo-{n}.{}.part", std::process::id()));
        let file = crate::platform::private::create_new_file(&path);
        // (removes the file however this ends, unless `set` takes it)
        let spill = Spill { path };
        let mut out = file.ok().map(|f| std::io::BufWriter::with_capacity(64 * 1024, f));
        for c in &set.0 {
            let Some(b) = c.after.as_ref().filter(|b| b.is_print()) else { continue };
            match self.trees[tree_of(c.kind)].get(codec::key(c.id))? {
                Some(v) if b.matches(&v) => {
                    if let Some(w) = &mut out {
                        use std::io::Write;
                        let head = [c.id.to_le_bytes().as_slice(), (v.len() as u32).to_le_bytes().as_slice()].concat();
                        if w.write_all(&head).and_then(|_| w.write_all(&v)).is_err() {
                            out = None;
                        }
                    }
                }
                _ => return Err(conflict(c.kind, c.id)),
            }
        }
        match out.map(|w| w.into_inner().map_err(|e| e.into_error()).and_then(|f| f.sync_data())) {
            Some(Ok(())) => {
                set.1 = Spilled(Some(std::sync::Arc::new(spill)));
                Ok(())
            }
            _ => {
                drop(spill);
                self.fill_prints(set)
            }
        }
    }

    /// Replaces the fingerprints `set` writes back by the bytes its spill
    /// file holds for them ([`Store::spill_prints`]), one block, each
    /// checked against its fingerprint first: a file that is damaged or
    /// gone refuses, changing nothing in the store. A set without a spill
    /// file reads them from the store ([`Store::fill_prints`]).
    pub fn fill_spilled(&self, set: &mut ChangeSet) -> Result<(), StoreError> {
        let Some(spill) = set.1.0.clone() else { return self.fill_prints(set) };
        let damaged = |key: u64, detail: &str| StoreError::Corrupt { what: "redo", key, detail: detail.to_string() };
        let data = std::fs::read(&spill.path).map_err(|e| damaged(0, &e.to_string()))?;
        // (its parts are found by 32-bit offsets, as in a transaction's block)
        if u32::try_from(data.len()).is_err() {
            return Err(damaged(0, "size"));
        }
        let mut at: Vec<(u64, u32, u32)> = Vec::new();
        let mut r = &data[..];
        while !r.is_empty() {
            let start = data.len() - r.len() + 12;
            match read_spilled(&mut r) {
                Ok(Some((id, bytes))) => at.push((id, start as u32, bytes.len() as u32)),
                _ => return Err(damaged(0, "cut short")),
            }
        }
        at.sort_unstable_by_key(|&(id, ..)| id);
        let block: std::sync::Arc<[u8]> = data.into();
        let mut filled = Vec::new();
        for (i, c) in set.0.iter().enumerate() {
            let Some(b) = c.before.as_ref().filter(|b| b.is_print()) else { continue };
            let found = at.binary_search_by_key(&c.id, |&(id, ..)| id).ok().map(|k| at[k]);
            match found {
                Some((_, start, len)) if b.matches(&block[start as usize..(start + len) as usize]) => {
                    filled.push((i, Bytes { block: block.clone(), start, len }));
                }
                _ => return Err(damaged(c.id, "fingerprint")),
            }
        }
        for (i, b) in filled {
            set.0[i].before = Some(b);
        }
        Ok(())
    }

    /// Writes made on another thread (an import in the background), handed
    /// to this one: the next [`Store::take_last_change`] here takes them
    /// with its own.
    pub fn adopt_change(&self, set: ChangeSet) {
        CAPTURE.with(|v| {
            let mut v = v.borrow_mut();
            if v.is_empty() {
                // taken whole, not copied change by change into a second
                // list (an import's 30,000: 1.9 MB)
                *v = set.0;
            } else {
                v.extend(set.0);
            }
        });
    }

    /// The change set of the writes on this thread since the last call (the
    /// last write only, unless the store keeps changes).
    pub fn take_last_change(&self) -> ChangeSet {
        ChangeSet::of(CAPTURE.with(|v| std::mem::take(&mut *v.borrow_mut())))
    }

    /// Applies `set` (its `after` states must be what is stored now) and
    /// returns what redoes it. Refuses, changing nothing, if any record has
    /// changed since.
    ///
    /// A large step (an import of thousands of rows) is checked whole
    /// first, then written in transactions of [`UNDO_CHUNK`] records, each
    /// checking its own records again: one transaction of 100,000 records
    /// would hold them all in memory. A crash part-way through leaves the
    /// step partly undone, each part whole and audited.
    pub fn undo(&self, set: &ChangeSet, by: WorkerId, at: NaiveDateTime) -> Result<ChangeSet, StoreError> {
        let mut set = set.clone();
        self.ready(&mut set)?;
        self.undo_in_chunks(&set, by, at, |_, _| {}).map_err(|p| p.error)?;
        Ok(set)
    }

    /// [`Store::undo`], saying how far it got: `before_chunk(done, total)`
    /// is called before each chunk's transaction (`done` records written
    /// of `total`), and again with `(total, total)` at the end. A refusal
    /// part-way (a colleague saved one of the chunk's records after the
    /// whole step was checked) says what the chunks before it wrote: those
    /// stay written, each whole and audited.
    ///
    /// The step's records are taken back from the last, a chunk at a time,
    /// from `set` itself: no inverse of the whole step is made, no copy
    /// returned, and the undo's own writes are not captured (nobody keeps
    /// them: the caller keeps `set` for redo). Each was a copy of every
    /// record's bytes (an import's 30,000: ~5 MB) at the undo's peak.
    pub fn undo_in_chunks(
        &self,
        set: &ChangeSet,
        by: WorkerId,
        at: NaiveDateTime,
        mut before_chunk: impl FnMut(usize, usize),
    ) -> Result<(), Partly> {
        let total = set.0.len();
        let refused = |error| Partly { error, written: ChangeSet::default() };
        if total > UNDO_CHUNK {
            for c in set.0.iter().rev() {
                let current = self.trees[tree_of(c.kind)].get(codec::key(c.id)).map_err(|e| refused(e.into()))?;
                if !same(&c.after, current.as_deref()) {
                    return Err(refused(conflict(c.kind, c.id)));
                }
            }
        }
        let mut done = 0;
        // (the inverse's chunks: the last records first, each chunk backwards)
        for (i, chunk) in set.0.rchunks(UNDO_CHUNK).enumerate() {
            // sled keeps every page the writes touched until it counts its
            // cache (see `Store::relieve_cache`), as for the import's batches
            if i > 0 && i % RELIEVE_CHUNKS == 0 {
                self.relieve_cache();
            }
            before_chunk(done, total);
            let r = self.transact(|t| {
                for c in chunk.iter().rev() {
                    let current = t[tree_of(c.kind)].get(codec::key(c.id))?;
                    if !same(&c.after, current.as_deref()) {
                        return abort(conflict(c.kind, c.id));
                    }
                    crate::with_record_type!(c.kind, R => restore::<R>(t, c, current.as_deref(), by, at)?);
                }
                Ok(())
            });
            if let Err(error) = r {
                let _ = self.take_last_change();
                // what the chunks before wrote: the last `done` records taken back
                let written = ChangeSet::of(set.0[total - done..].to_vec()).inverse();
                return Err(Partly { error, written });
            }
            done += chunk.len();
        }
        if total > UNDO_CHUNK {
            // (without it, sled held ~12 MB more after an import's undo)
            self.relieve_cache();
        }
        before_chunk(total, total);
        let _ = self.take_last_change();
        Ok(())
    }
}

/// Records taken back in one transaction by [`Store::undo_in_chunks`]: as
/// many as the import writes in one (its `IMPORT_BATCH`). A
/// sled transaction holds its writes and the nodes they touch until it
/// commits, and what it frees is scattered among what stays: the undo of
/// an import of 30,000 residents on the large set rose 11.7 MB over where
/// it began in chunks of 1,000, 2.5–2.8 MB in chunks of 250, in no more
/// time (`examples/importprobe.rs`, BENCHMARKS.md issue 19u).
pub const UNDO_CHUNK: usize = 250;
/// Chunks taken back between two counts of sled's cache (8,000 records,
/// as between the import's counts); once more at the end.
const RELIEVE_CHUNKS: usize = 32;

/// An undo refused or failed part-way (see [`Store::undo_in_chunks`]).
#[derive(Debug)]
pub struct Partly {
    pub error: StoreError,
    /// What the chunks written before it changed (empty: nothing).
    pub written: ChangeSet,
}

/// The record's stored bytes are what the change left (`after`): the
/// same bytes, or bytes with its fingerprint.
fn same(after: &Option<Bytes>, stored: Option<&[u8]>) -> bool {
    match (after, stored) {
        (Some(a), Some(s)) => a.matches(s),
        (None, None) => true,
        _ => false,
    }
}

fn decode<R: Record>(c: &Change, bytes: Option<&[u8]>) -> TxResult<Option<R>> {
    match bytes {
        None => Ok(None),
        Some(b) if b.is_empty() && c.before.as_ref().is_some_and(Bytes::is_print) => {
            // (a redo's record known only by its fingerprint: never written)
            abort(StoreError::Changed { kind: c.kind, key: c.id })
        }
        Some(b) => match codec::decode::<R>(b) {
            Ok(r) => Ok(Some(r)),
            Err(detail) => abort(StoreError::Corrupt { what: c.kind.name(), key: c.id, detail }),
        },
    }
}

/// Takes one record back to `c.before` (removing it when `None`), with its
/// index entries and an `Undo` audit entry.
/// `stored`: its bytes now, which are `c.after` (checked).
fn restore<R: Record>(
    t: &[TransactionalTree],
    c: &Change,
    stored: Option<&[u8]>,
    by: WorkerId,
    at: NaiveDateTime,
) -> TxResult<()> {
    // (what is stored: `c.after` may be only its fingerprint)
    let from: Option<R> = decode(c, stored)?;
    let to: Option<R> = decode(c, c.before.as_deref())?;
    let tree = &t[tree_of(c.kind)];
    for (index, owner) in from.as_ref().map(|r| r.links()).unwrap_or_default() {
        super::links::tx_unlink(&t[index_of(index)], owner, c.id)?;
    }
    match &to {
        Some(r) => {
            tree.insert(&codec::key(c.id), codec::encode(r))?;
            for (index, owner) in r.links() {
                super::links::tx_link(&t[index_of(index)], owner, c.id)?;
            }
        }
        None => {
            // (a backup's saved counts hold only while nothing is removed)
            if tree.remove(&codec::key(c.id))?.is_some() {
                Store::tx_advance(t, super::schema::META_REMOVED, 1)?;
            }
        }
    }
    let changes = match (&from, &to) {
        (Some(f), Some(n)) => diff(Some(f), n),
        (None, Some(n)) => diff(None, n),
        (Some(f), None) => diff(None, f)
            .into_iter()
            .map(|mut ch| {
                std::mem::swap(&mut ch.old, &mut ch.new);
                ch
            })
            .collect(),
        (None, None) => Vec::new(),
    };
    let entry = AuditEntry { at, by: Some(by), kind: c.kind, key: c.id, action: AuditAction::Undo, changes };
    Store::tx_audit(t, &entry)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `invert` is `inverse` done in place, and undoes itself: a step
    /// turned round for its redo and back is the very step again.
    #[test]
    fn a_step_inverted_in_place_is_its_inverse_and_twice_itself() {
        let bytes = |b: &[u8]| Some(Bytes::from(b.to_vec()));
        let step = ChangeSet::of(vec![
            Change { kind: RecordKind::Resident, id: 1, before: None, after: bytes(b"new") },
            Change { kind: RecordKind::Request, id: 2, before: bytes(b"old"), after: bytes(b"edited") },
            Change { kind: RecordKind::Resident, id: 3, before: bytes(b"gone"), after: None },
        ]);
        let mut s = step.clone();
        s.invert();
        assert_eq!(s, step.inverse());
        assert_eq!(s.0[0].id, 3, "the last change is taken back first");
        s.invert();
        assert_eq!(s, step);
    }

    /// A committed transaction's records keep their bytes, all in one
    /// block (not one a record): what a store test cannot see, the
    /// sharing, and that every record still reads as written.
    #[test]
    fn a_transactions_changes_keep_their_bytes_in_one_block() {
        let bytes = |b: &[u8]| Some(Bytes::from(b.to_vec()));
        let written = [
            Change { kind: RecordKind::Resident, id: 1, before: None, after: bytes(b"new") },
            Change { kind: RecordKind::Request, id: 2, before: bytes(b"old"), after: bytes(b"edited") },
            Change { kind: RecordKind::Resident, id: 3, before: bytes(b"gone"), after: None },
            Change { kind: RecordKind::Resident, id: 4, before: bytes(b""), after: bytes(b"x") },
        ];
        for c in &written {
            capture(c.clone());
        }
        committed(false);
        let got = CAPTURE.with(|v| std::mem::take(&mut *v.borrow_mut()));
        assert_eq!(got, written);
        let blocks: Vec<_> = got.iter().flat_map(|c| [&c.before, &c.after]).flatten().map(|b| &b.block).collect();
        assert_eq!(blocks.len(), 6);
        assert!(blocks.iter().all(|b| std::sync::Arc::ptr_eq(b, blocks[0])), "one block");
        assert_eq!(blocks[0].len(), b"newoldeditedgonex".len());
    }
    /// A fingerprint stands for its bytes and no others, reads as no
    /// bytes, and a transaction's block leaves it alone (it has none).
    #[test]
    fn a_fingerprint_matches_its_bytes_only_and_is_not_packed() {
        let print = Bytes::print_of(b"resident 1");
        assert!(print.is_print() && print.is_empty());
        assert!(print.matches(b"resident 1"));
        assert!(!print.matches(b"resident 2") && !print.matches(b""));
        assert_eq!(print, Bytes::from(b"resident 1".to_vec()));
        assert_ne!(print, Bytes::print_of(b"resident 2"));
        PRINTS.set(true);
        capture(Change { kind: RecordKind::Resident, id: 1, before: None, after: Some(Bytes::from(b"made".to_vec())) });
        capture(Change { kind: RecordKind::Request, id: 2, before: None, after: Some(Bytes::from(b"req".to_vec())) });
        let edited = Change {
            kind: RecordKind::Resident,
            id: 3,
            before: Some(Bytes::from(b"old".to_vec())),
            after: Some(Bytes::from(b"new".to_vec())),
        };
        capture(edited.clone());
        committed(false);
        PRINTS.set(false);
        let got = CAPTURE.with(|v| std::mem::take(&mut *v.borrow_mut()));
        let after = |i: usize| got[i].after.clone().unwrap();
        assert!(after(0).is_print() && after(0).matches(b"made"), "a resident made: its fingerprint");
        assert_eq!(&*after(1), b"req", "another kind keeps its bytes");
        assert_eq!(got[2], edited, "an edit keeps both");
        assert!(std::sync::Arc::ptr_eq(&after(1).block, &after(2).block), "the bytes in one block");
    }
}
