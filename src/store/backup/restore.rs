//! Restoring a backup: loaded into a fresh store beside the current one,
//! then swapped in through a journal so a crash part-way through is
//! finished (or undone) at the next start.

use super::*;
use crate::store::rows::RequestIndex;

/// What a restore did.
#[derive(Debug, Clone)]
pub struct Restored {
    pub info: BackupInfo,
    /// Where the store that was replaced now lives (none if there was none).
    pub safety_copy: Option<PathBuf>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct Journal {
    /// The complete new store, waiting to become `store`.
    pub(super) new_store: PathBuf,
    /// Where the current store goes.
    pub(super) safety_copy: PathBuf,
}

/// Replaces the store in `data_dir` with the backup's records. The store
/// must be closed (sled locks it; a running linli gets `Locked`). The whole
/// backup is read and checked into a fresh store beside the current one
/// first: on any error nothing in `data_dir` changes. Then the current
/// store is moved to `store.before-restore-YYYYMMDD-HHMMSS` and the new one
/// put in its place.
pub fn restore(
    backup: &Path,
    data_dir: &Path,
    passphrase: Option<&str>,
    now: NaiveDateTime,
    progress: impl FnMut(u64, u64),
) -> Result<Restored> {
    restore_accepting(backup, data_dir, passphrase, now, None, progress)
}

/// [`restore`], also accepting a backup signed by the key `accepted` (hex)
/// when that is not this data dir's own: the user has seen its fingerprint
/// and confirmed it. Any other foreign key is refused with
/// `ForeignSigner`, before anything changes; an unsigned (format 1) backup
/// is restored (the caller says it is unsigned).
pub fn restore_accepting(
    backup: &Path,
    data_dir: &Path,
    passphrase: Option<&str>,
    now: NaiveDateTime,
    accepted: Option<&str>,
    progress: impl FnMut(u64, u64),
) -> Result<Restored> {
    let foreign = |signer: &Option<Signer>| -> Option<Signer> {
        let s = signer.as_ref()?;
        let ours = office_signer(data_dir).is_some_and(|o| o.key == s.key);
        (!ours && accepted != Some(s.key.as_str())).then(|| s.clone())
    };

    // held to the last rename: no linli opens the data meanwhile, and no
    // start-up tidies away this restore's staging folder (a damaged store
    // is exactly what one restores over: it is not opened here)
    crate::platform::private::create_dir_all(data_dir)?;
    let lock = crate::store::tidy::DirLock::acquire(data_dir)?;
    recover_interrupted_restore(data_dir)?;
    // what the manifest claims, before the long read (checked again below
    // against the verified signature)
    if let Some(s) = foreign(&peek(backup, passphrase)?.0.signer) {
        return Err(BackupError::ForeignSigner(s));
    }
    let current = data_dir.join(STORE_DIR);
    let stamp = now.format("%Y%m%d-%H%M%S");
    let staging = data_dir.join(format!(".restore-{stamp}-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    let loaded =
        load_into(backup, &staging, passphrase, progress).and_then(|(info, index)| match foreign(&info.signer) {
            Some(s) => Err(BackupError::ForeignSigner(s)),
            None => Ok((info, index)),
        });
    let (info, index_saved) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    let mut safety = data_dir.join(format!("{STORE_DIR}.before-restore-{stamp}"));
    let mut n = 2;
    while safety.exists() {
        safety = data_dir.join(format!("{STORE_DIR}.before-restore-{stamp}-{n}"));
        n += 1;
    }
    let journal = Journal { new_store: staging.join(STORE_DIR), safety_copy: safety.clone() };
    let journal_path = data_dir.join(RESTORE_JOURNAL);
    let text = serde_json::to_vec(&journal).map_err(|e| BackupError::Corrupted(e.to_string()))?;
    write_synced(&journal_path, &text)?;
    sync_dir(data_dir);
    let had_store = current.exists();
    let mut laps = Laps::start();
    finish_swap(data_dir, &journal)?;
    laps.lap("swap");
    // (opening the store takes the data dir's lock itself)
    drop(lock);
    if !index_saved && let Ok(store) = Store::open(data_dir) {
        // none made while loading: read the new store back, so that the
        // first start after the restore reads its saved index
        store.set_relief(false);
        let _ = crate::store::index_cache::refresh(&store);
        laps.lap("search index, read back");
    }
    Ok(Restored { info, safety_copy: had_store.then_some(safety) })
}

/// Items handed from the reading thread to the writing one at a time.
const LOAD_CHUNK: usize = 1000;

/// Reads the backup into a new store in `staging/store`, closed on return,
/// and saves the search index of its requests and residents on the way as
/// `staging/index.snapshot` (which the swap moves into the data dir).
/// Returns whether it saved it: not when the requests were not in id
/// order, as a backup written by linli always has them (the caller then
/// reads the store back).
///
/// Threads: this one reads the file (decompressing, hashing, parsing and
/// encoding each record on the pool) and keeps the books (index links,
/// counters, counts); one writes the encoded records into the store one by
/// one, so that sled's work and the parsing overlap; one writes each
/// section's index links once the section has ended; one makes the search
/// index, and seals and saves it once the requests and residents are read.
/// Nothing is different in what ends up in the store: the same records,
/// the same links and counters, one flush.
pub(super) fn load_into(
    backup: &Path,
    staging: &Path,
    passphrase: Option<&str>,
    progress: impl FnMut(u64, u64),
) -> Result<(BackupInfo, bool)> {
    let mut laps = Laps::start();
    // (sled cleans its segments as it goes: see `Store::open_to_load`)
    let store = Store::open_to_load(staging, &mut |_, _| {})?;
    let (tx, rx) = mpsc::sync_channel::<Vec<Put>>(4);
    let info = std::thread::scope(|scope| {
        // each section's index links as soon as the section ends (the
        // lists of its owners are then whole), written on a thread of
        // their own beside the records
        let (ltx, lrx) = mpsc::sync_channel::<crate::store::links::Pending>(2);
        let linker = scope.spawn(|| -> Result<()> {
            let mut written = vec![false; store.trees.len()];
            for links in lrx {
                links.write_unbatched(&store.trees, &mut written)?;
            }
            Ok(())
        });
        let mut gathered = Gathered { to_linker: Some(ltx), ..Gathered::default() };
        let writer = scope.spawn(|| write_puts(&store, rx));
        let (mut to_index, indexer) = ToIndex::spawn(scope, store.generation()?, staging);
        let mut chunk = Vec::with_capacity(LOAD_CHUNK);
        let mut writer_gone = false;
        let read = read_backup(backup, passphrase, true, progress, |mut item| {
            to_index.take(&mut item);
            if let Some(put) = gathered.take(&store, item)? {
                chunk.push(put);
            }
            if chunk.len() >= LOAD_CHUNK {
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(LOAD_CHUNK));
                // a closed channel: the writer failed, and its error is
                // the one reported once it is joined
                if tx.send(full).is_err() {
                    writer_gone = true;
                    return Err(BackupError::Corrupted("the store stopped taking records".into()));
                }
            }
            Ok(())
        });
        if read.is_ok() {
            let _ = tx.send(chunk);
            to_index.close();
        }
        drop(tx);
        let written = writer.join().map_err(|_| BackupError::Corrupted("writing the store failed".into()))?;
        let info = first_error(read, written, writer_gone)?;
        laps.lap("read and load");
        let (counters, counted) = gathered.finish();
        linker.join().map_err(|_| BackupError::Corrupted("writing the store failed".into()))??;
        laps.lap("links");
        store.raise_counters(counters)?;
        // (a section with no record has no saved count: counted at once)
        let text = serde_json::to_vec(&counted).map_err(|e| BackupError::Corrupted(e.to_string()))?;
        store.meta().insert(META_COUNTED, text)?;
        let saved = to_index.finish(indexer, store.generation()?, staging);
        laps.lap("counters, search index");
        Ok::<_, BackupError>((info, saved))
    });
    let (info, saved) = info?;
    store.flush()?;
    drop(store);
    sync_dir(staging);
    laps.lap("flush and close");
    Ok((info, saved))
}

/// What a load reports when the reading (`read`) or the writing thread
/// (`written`) failed: the file's own error first, since it is why the
/// writer stopped early, unless the writer stopped first (`writer_gone`:
/// the reading then failed only for want of it, and the writer's error,
/// say a full disk, is the one that says what happened).
fn first_error<T>(read: Result<T>, written: Result<()>, writer_gone: bool) -> Result<T> {
    match (read, written) {
        (_, Err(e)) if writer_gone => Err(e),
        (Err(e), _) | (Ok(_), Err(e)) => Err(e),
        (Ok(info), Ok(())) => Ok(info),
    }
}

/// The reading side of the search index a restore makes: hands the
/// requests and residents to the indexing thread and, once they are all
/// read (the sections after them begin), the store's generation, so that
/// the index is sealed and saved while the rest loads. Saved first under
/// `staging/index/`; put in `staging` only if nothing read later changed
/// what it should hold (a request or resident, or a generation, after
/// that: never in a backup linli writes, but not refused either).
struct ToIndex {
    tx: Option<mpsc::SyncSender<Vec<Searched>>>,
    found: Vec<Searched>,
    generation: Option<mpsc::Sender<u64>>,
    /// The store's generation as the meta lines so far leave it, and the
    /// one the index was saved at.
    now: u64,
    sent: Option<u64>,
    /// A request or resident was read; one was read after closing.
    seen: bool,
    late: bool,
}

/// Where the indexing thread saves the index until it is known to be right.
const INDEX_DRAFT: &str = "index";

impl ToIndex {
    fn spawn<'s>(
        scope: &'s std::thread::Scope<'s, '_>,
        generation: u64,
        staging: &'s Path,
    ) -> (ToIndex, std::thread::ScopedJoinHandle<'s, bool>) {
        let (tx, rx) = mpsc::sync_channel::<Vec<Searched>>(4);
        let (gtx, grx) = mpsc::channel::<u64>();
        // a third thread: the writer is the slowest of the others, and
        // the index takes no turn in it
        let indexer = scope.spawn(move || {
            let mut search = SearchIndex::default();
            for chunk in rx {
                for r in chunk {
                    search.add(r);
                }
            }
            let Some(mut index) = search.finish() else { return false };
            // (none sent: the load failed, nothing to save)
            let Ok(generation) = grx.recv() else { return false };
            let draft = staging.join(INDEX_DRAFT);
            // (a failure only costs the caller reading the store back)
            crate::platform::private::create_dir_all(&draft).is_ok()
                && crate::store::index_cache::write(&mut index, generation, &draft).is_ok()
        });
        let to = ToIndex {
            tx: Some(tx),
            found: Vec::with_capacity(LOAD_CHUNK),
            generation: Some(gtx),
            now: generation,
            sent: None,
            seen: false,
            late: false,
        };
        (to, indexer)
    }

    /// Takes the record out of an item the index is made of.
    fn take(&mut self, item: &mut Item) {
        match item {
            Item::Meta(k, v) if k.as_slice() == crate::store::schema::META_GENERATION => {
                self.now = codec::id_of(v).unwrap_or(0)
            }
            Item::Record(.., Some(_)) => {
                let Item::Record(.., searched) = item else { return };
                let Some(r) = searched.take() else { return };
                self.seen = true;
                let Some(tx) = &self.tx else {
                    self.late = true;
                    return;
                };
                self.found.push(r);
                if self.found.len() >= LOAD_CHUNK {
                    // a closed channel: the indexer is gone (it cannot fail:
                    // the store is then read back instead)
                    let _ = tx.send(std::mem::replace(&mut self.found, Vec::with_capacity(LOAD_CHUNK)));
                }
            }
            // the requests and residents are behind
            _ if self.seen => self.close(),
            _ => {}
        }
    }

    /// Hands the indexing thread the last records and the generation.
    fn close(&mut self) {
        if let Some(tx) = self.tx.take() {
            let _ = tx.send(std::mem::take(&mut self.found));
        }
        if let Some(g) = self.generation.take() {
            let _ = g.send(self.now);
            self.sent = Some(self.now);
        }
    }

    /// Whether the index is saved in `staging` for the loaded store at
    /// `generation`: put there if it was made of every request and
    /// resident at that generation.
    fn finish(self, indexer: std::thread::ScopedJoinHandle<'_, bool>, generation: u64, staging: &Path) -> bool {
        let made = indexer.join().unwrap_or(false);
        made && !self.late
            && self.sent == Some(generation)
            && fs::rename(
                crate::store::index_cache::path(&staging.join(INDEX_DRAFT)),
                crate::store::index_cache::path(staging),
            )
            .is_ok()
    }
}

/// One insert for the writing thread: the tree's position, key, value.
type Put = (usize, sled::IVec, sled::IVec);

/// The reading side's bookkeeping in [`load_into`]: what each item adds to
/// the index links, the id counters and the sections' counts, gathered on
/// the reading thread so that the writing one, the slowest, only inserts.
#[derive(Default)]
struct Gathered {
    /// The current section's links, and the section.
    links: crate::store::links::Pending,
    section: &'static str,
    /// Where a section's links go once it ends (`None`: the writing
    /// thread is gone, and its error is the one reported).
    to_linker: Option<mpsc::SyncSender<crate::store::links::Pending>>,
    /// The highest number of each id counter (kind, year).
    counters: BTreeMap<(&'static str, i32), u64>,
    /// Each section's highest key and number of records, kept for the
    /// first backup of the restored store (see `Plan::new`).
    sections: BTreeMap<&'static str, (u64, u64)>,
    removed: u64,
}

impl Gathered {
    /// Notes what `item` adds and gives the insert it needs, if any.
    fn take(&mut self, store: &Store, item: Item) -> Result<Option<Put>> {
        let section = item.section();
        if section != self.section {
            self.section = section;
            self.send_links();
        }
        Ok(match item {
            Item::Meta(k, v) => {
                // (the counts a backup saved describe the store it was
                // made of, not this one: older linli carried them)
                if k.as_slice() == META_REMOVED {
                    self.removed = codec::id_of(&v).unwrap_or(0);
                }
                (k.as_slice() != META_SCHEMA && k.as_slice() != META_COUNTED)
                    .then(|| (crate::store::T_META, k.into(), v.into()))
            }
            Item::Record(kind, key, bytes, index, _) => {
                let s = self.sections.entry(kind.name()).or_default();
                *s = (s.0.max(key), s.1 + 1);
                for (tree, owner) in index {
                    self.links.add(index_tree(tree), owner, key);
                }
                let (counter, n) = counter_slot(kind, key);
                let e = self.counters.entry(counter).or_default();
                *e = (*e).max(n);
                Some((tree_of(kind), sled::IVec::from(&codec::key(key)), bytes))
            }
            Item::Audit(bytes, owner) => {
                // fresh keys in the order read: a new store's id generator
                // starts at zero, so the backup's keys could be reused
                let seq = store.db.generate_id()?;
                self.links.add(crate::store::T_AUDIT_BY_RECORD, owner, seq);
                let s = self.sections.entry(SECTION_AUDIT).or_default();
                *s = (s.0.max(seq), s.1 + 1);
                Some((crate::store::T_AUDIT, sled::IVec::from(&codec::key(seq)), bytes))
            }
        })
    }

    /// Hands the links gathered so far to the linking thread.
    fn send_links(&mut self) {
        if self.links.is_empty() {
            return;
        }
        let links = std::mem::take(&mut self.links);
        if let Some(to) = &self.to_linker
            && to.send(links).is_err()
        {
            self.to_linker = None;
        }
    }

    /// The last section's links handed on (and the linking thread told
    /// that was all), the counters and the sections' counts.
    fn finish(mut self) -> (BTreeMap<Vec<u8>, u64>, Counted) {
        self.send_links();
        let counters = self.counters.into_iter().map(|((name, year), n)| (seq_key(name, year), n)).collect();
        let sections =
            self.sections.into_iter().map(|(name, (last, n))| (name.to_string(), Some(codec::key(last).to_vec()), n));
        (counters, Counted { removed: self.removed, sections: sections.collect() })
    }
}

/// The writing side of [`load_into`]: inserts every item.
///
/// One plain insert an item, in the order read (each section's keys
/// ascending), not sled batches: a batch is applied in its hash map's
/// order and keeps every leaf copied while it is applied until its end
/// (sled frees them only then), so the same records in batches of 1,000
/// took ~40 % more CPU and held hundreds of MB more (BENCHMARKS.md, issue
/// 19m). A batch's atomicity buys nothing here: the new store is not used
/// until it is complete, flushed and swapped in.
fn write_puts(store: &Store, rx: mpsc::Receiver<Vec<Put>>) -> Result<()> {
    let trees = store.all_trees();
    for chunk in rx {
        // (a chunk's records in key order within each section: in the
        // order that leaves sled's leaves full)
        for i in crate::store::bulk::filling_order(chunk.len()) {
            let (tree, key, value) = &chunk[i];
            trees[*tree].insert(key, value.clone())?;
        }
    }
    Ok(())
}

/// The search index made from the records as a restore reads them: the
/// same as [`crate::store::index_cache::rebuild`] makes from the restored
/// store, as long as the requests come in id order (the store reads them
/// in id order; a request out of order or twice could leave a category in
/// another place). The residents may come in any order: each has its place.
struct SearchIndex {
    index: RequestIndex,
    last_request: Option<u64>,
    out_of_order: bool,
}

impl Default for SearchIndex {
    fn default() -> Self {
        SearchIndex { index: RequestIndex::to_rebuild(), last_request: None, out_of_order: false }
    }
}

impl SearchIndex {
    fn add(&mut self, r: Searched) {
        if self.out_of_order {
            return;
        }
        match r {
            Searched::Request(r) => {
                if self.last_request.is_some_and(|last| last >= r.id.0) {
                    // give up: the caller reads the store back instead
                    self.out_of_order = true;
                    self.index = RequestIndex::to_rebuild();
                    return;
                }
                self.last_request = Some(r.id.0);
                self.index.upsert(&r);
            }
            Searched::Resident(r) => self.index.upsert_resident(&r),
        }
    }

    /// The index, sealed, or none if it cannot be trusted to match.
    fn finish(self) -> Option<RequestIndex> {
        if self.out_of_order {
            return None;
        }
        let mut index = self.index;
        index.seal();
        Some(index)
    }
}

/// The id counter a record of `kind` with id `key` counts in, and its
/// number there.
fn counter_of(kind: RecordKind, key: u64) -> (Vec<u8>, u64) {
    let ((name, year), n) = counter_slot(kind, key);
    (seq_key(name, year), n)
}

/// [`counter_of`], the counter named by its kind and year.
fn counter_slot(kind: RecordKind, key: u64) -> ((&'static str, i32), u64) {
    match kind {
        RecordKind::Request => {
            let id = RequestId(key);
            ((kind.name(), id.year()), id.seq())
        }
        _ => ((kind.name(), 0), key),
    }
}

/// The position in `Store::all_trees` of an index tree, by name.
pub(super) fn index_tree(name: &str) -> usize {
    crate::store::index_of(name)
}

/// Finishes a restore that was interrupted during its swap (the journal
/// is written only once the new store is complete). Call before opening the
/// store; does nothing when there is no journal.
pub fn recover_interrupted_restore(data_dir: &Path) -> Result<()> {
    let journal_path = data_dir.join(RESTORE_JOURNAL);
    let Ok(text) = fs::read(&journal_path) else { return Ok(()) };
    match serde_json::from_slice::<Journal>(&text) {
        Ok(journal) => finish_swap(data_dir, &journal),
        // a journal cut short was written before anything moved
        Err(_) => Ok(fs::remove_file(&journal_path)?),
    }
}

pub(super) fn finish_swap(data_dir: &Path, journal: &Journal) -> Result<()> {
    let current = data_dir.join(STORE_DIR);
    if journal.new_store.exists() {
        if current.exists() {
            fs::rename(&current, &journal.safety_copy)?;
        }
        if let Err(e) = fs::rename(&journal.new_store, &current) {
            // put the old store back rather than leave none
            if !current.exists() && journal.safety_copy.exists() {
                let _ = fs::rename(&journal.safety_copy, &current);
            }
            return Err(e.into());
        }
        sync_dir(data_dir);
    }
    if let Some(staging) = journal.new_store.parent()
        && staging.exists()
    {
        // the saved search index described the old store, and so did the
        // daily log's, the roster's and the figures' copies (read again
        // when first needed; the restored store may be at the same
        // generation): gone, whether or not this is the first try
        let index = crate::store::index_cache::path(data_dir);
        let _ = fs::remove_file(&index);
        let _ = fs::remove_file(crate::store::duties_rows::copy_path(data_dir));
        let _ = fs::remove_file(crate::store::roster::index::copy_path(data_dir));
        let _ = fs::remove_file(crate::store::figures_copy::path(data_dir));
        // the new store's, made while loading it, takes the old one's
        // place (a failure only costs the next start a rebuild)
        let _ = fs::rename(crate::store::index_cache::path(staging), &index);
        let _ = fs::remove_dir_all(staging);
    }
    fs::remove_file(data_dir.join(RESTORE_JOURNAL))?;
    sync_dir(data_dir);
    Ok(())
}

impl Store {
    /// Rebuilds every secondary index from the records (see `check`).
    pub fn rebuild_indexes(&self) -> std::result::Result<(), StoreError> {
        self.check(true).map(|_| ())
    }

    /// Raises the id counters to at least the highest id of each kind, so
    /// new records never reuse an id (a backup taken while the app was
    /// saving may hold a record newer than its counter).
    pub fn repair_counters(&self) -> std::result::Result<(), StoreError> {
        let mut need: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
        for kind in RecordKind::ALL {
            for item in self.all_trees()[tree_of(kind)].iter().keys() {
                let Some(id) = codec::id_of(&item?) else { continue };
                let (key, n) = counter_of(kind, id);
                let e = need.entry(key).or_default();
                *e = (*e).max(n);
            }
        }
        self.raise_counters(need)
    }

    /// Raises each counter in `need` to at least its number.
    fn raise_counters(&self, need: BTreeMap<Vec<u8>, u64>) -> std::result::Result<(), StoreError> {
        for (key, n) in need {
            let cur = self.meta().get(&key)?.and_then(|v| codec::id_of(&v)).unwrap_or(0);
            if cur < n {
                self.meta().insert(key, &n.to_be_bytes())?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_load_reports_the_file_s_error_unless_the_writer_stopped_first() {
        let damaged = || Err::<(), _>(BackupError::Corrupted("line 7: bad".into()));
        let stopped = || Err::<(), _>(BackupError::Corrupted("the store stopped taking records".into()));
        let full = || Err(BackupError::Store(StoreError::DiskFull));
        // the writer stopped first: its error, not the reading's
        assert!(matches!(first_error(stopped(), full(), true), Err(BackupError::Store(StoreError::DiskFull))));
        // the file was damaged (the writer stopped because of it): the file's
        assert!(matches!(first_error(damaged(), full(), false), Err(BackupError::Corrupted(m)) if m == "line 7: bad"));
        // only the writer failed, or nothing
        assert!(matches!(first_error(Ok(()), full(), false), Err(BackupError::Store(StoreError::DiskFull))));
        assert!(first_error(Ok(()), Ok(()), false).is_ok());
    }
}
