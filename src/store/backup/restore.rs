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
/// encoding each record on the pool), one writes the encoded records into
/// the store one by one, so that sled's work and the parsing overlap, and
/// one makes the search index and, while this one writes the index links,
/// seals and saves it. Nothing is different in what ends up in the store:
/// the same records in the same order, then the links, the counters and
/// one flush.
pub(super) fn load_into(
    backup: &Path,
    staging: &Path,
    passphrase: Option<&str>,
    progress: impl FnMut(u64, u64),
) -> Result<(BackupInfo, bool)> {
    let mut laps = Laps::start();
    let store = Store::open(staging)?;
    let (tx, rx) = mpsc::sync_channel::<Vec<Item>>(4);
    let (itx, irx) = mpsc::sync_channel::<Vec<Searched>>(4);
    let info = std::thread::scope(|scope| {
        // the store's generation once every record is in; dropped unsent
        // (on any error) the indexer saves nothing
        let (gtx, grx) = mpsc::channel::<u64>();
        let writer = scope.spawn(|| write_items(&store, rx));
        // the search index on a third thread: the writer is the slowest
        // of the two others, and the index takes no turn in it
        let indexer = scope.spawn(move || {
            let mut search = SearchIndex::default();
            for chunk in irx {
                for r in chunk {
                    search.add(r);
                }
            }
            let Some(mut index) = search.finish() else { return false };
            let Ok(generation) = grx.recv() else { return false };
            // (a failure only costs the caller reading the store back)
            crate::store::index_cache::write(&mut index, generation, staging).is_ok()
        });
        let mut chunk = Vec::with_capacity(LOAD_CHUNK);
        let mut found = Vec::with_capacity(LOAD_CHUNK);
        let read = read_backup(backup, passphrase, true, progress, |mut item| {
            if let Item::Record(.., searched) = &mut item
                && let Some(r) = searched.take()
            {
                found.push(r);
                if found.len() >= LOAD_CHUNK {
                    // a closed channel: the indexer is gone (it cannot fail:
                    // the store is then read back instead)
                    let _ = itx.send(std::mem::replace(&mut found, Vec::with_capacity(LOAD_CHUNK)));
                }
            }
            chunk.push(item);
            if chunk.len() >= LOAD_CHUNK {
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(LOAD_CHUNK));
                // a closed channel: the writer failed, and its error is
                // the one reported once it is joined
                tx.send(full).map_err(|_| BackupError::Corrupted("the store stopped taking records".into()))?;
            }
            Ok(())
        });
        if read.is_ok() {
            let _ = tx.send(chunk);
            let _ = itx.send(found);
        }
        drop(tx);
        drop(itx);
        let written = writer.join().map_err(|_| BackupError::Corrupted("writing the store failed".into()))?;
        // the file's own error first: it is why the writer stopped early
        let info = read?;
        let (links, counters, counted) = written?;
        laps.lap("read and load");
        // the index is sealed and saved on its thread meanwhile
        let _ = gtx.send(store.generation()?);
        links.write_new(&store.trees)?;
        laps.lap("links");
        store.raise_counters(counters)?;
        // (a section with no record has no saved count: counted at once)
        let text = serde_json::to_vec(&counted).map_err(|e| BackupError::Corrupted(e.to_string()))?;
        store.meta().insert(META_COUNTED, text)?;
        let saved = indexer.join().unwrap_or(false);
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

/// The writing side of [`load_into`]: inserts every item, and gathers the
/// index links and the highest id of each counter on the way.
///
/// One plain insert an item, in the order read (each section's keys
/// ascending), not sled batches: a batch is applied in its hash map's
/// order and keeps every leaf copied while it is applied until its end
/// (sled frees them only then), so the same records in batches of 1,000
/// took ~40 % more CPU and held hundreds of MB more (BENCHMARKS.md, issue
/// 19m). A batch's atomicity buys nothing here: the new store is not used
/// until it is complete, flushed and swapped in.
fn write_items(
    store: &Store,
    rx: mpsc::Receiver<Vec<Item>>,
) -> Result<(crate::store::links::Pending, BTreeMap<Vec<u8>, u64>, Counted)> {
    let trees = store.all_trees();
    let mut links = crate::store::links::Pending::default();
    let mut counters: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
    // each section's highest key and number of records, kept for the
    // first backup of the restored store (see `Plan::new`)
    let mut sections: BTreeMap<&'static str, (u64, u64)> = BTreeMap::new();
    let mut removed = 0;
    for chunk in rx {
        for item in chunk {
            match item {
                Item::Meta(k, v) => {
                    // (the counts a backup saved describe the store it was
                    // made of, not this one: older linli carried them)
                    if k.as_slice() == META_REMOVED {
                        removed = codec::id_of(&v).unwrap_or(0);
                    }
                    if k.as_slice() != META_SCHEMA && k.as_slice() != META_COUNTED {
                        trees[crate::store::T_META].insert(k, v)?;
                    }
                }
                Item::Record(kind, key, bytes, index, _) => {
                    trees[tree_of(kind)].insert(codec::key(key), bytes)?;
                    let s = sections.entry(kind.name()).or_default();
                    *s = (s.0.max(key), s.1 + 1);
                    for (tree, owner) in index {
                        links.add(index_tree(tree), owner, key);
                    }
                    let (counter, n) = counter_of(kind, key);
                    let e = counters.entry(counter).or_default();
                    *e = (*e).max(n);
                }
                Item::Audit(bytes, owner) => {
                    // fresh keys in the order read: a new store's id generator
                    // starts at zero, so the backup's keys could be reused
                    let seq = store.db.generate_id()?;
                    links.add(crate::store::T_AUDIT_BY_RECORD, owner, seq);
                    trees[crate::store::T_AUDIT].insert(codec::key(seq), bytes)?;
                    let s = sections.entry(SECTION_AUDIT).or_default();
                    *s = (s.0.max(seq), s.1 + 1);
                }
            }
        }
    }
    let sections = sections.into_iter().map(|(name, (last, n))| (name.to_string(), Some(codec::key(last).to_vec()), n));
    Ok((links, counters, Counted { removed, sections: sections.collect() }))
}

/// The search index made from the records as a restore reads them: the
/// same as [`crate::store::index_cache::rebuild`] makes from the restored
/// store, as long as the requests come in id order (the store reads them
/// in id order; a request out of order or twice could leave a category in
/// another place). The residents may come in any order: each has its place.
#[derive(Default)]
struct SearchIndex {
    index: RequestIndex,
    last_request: Option<u64>,
    out_of_order: bool,
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
                    self.index = RequestIndex::default();
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
    match kind {
        RecordKind::Request => {
            let id = RequestId(key);
            (seq_key(kind.name(), id.year()), id.seq())
        }
        _ => (seq_key(kind.name(), 0), key),
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
