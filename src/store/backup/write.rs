//! Writing a backup: one pass over every tree into a gzip-compressed JSON
//! Lines file (optionally age-encrypted), a SHA-256 at the end, written to
//! a `.part` name and renamed once read back and checked.

use super::*;

/// The default file name for a backup made at `now`.
pub fn file_name(now: NaiveDateTime, encrypted: bool) -> String {
    let ext = if encrypted { EXT_ENCRYPTED } else { EXT_PLAIN };
    format!("linli-backup-{}{ext}", now.format("%Y%m%d-%H%M%S"))
}

/// Writes a backup of everything in `store` to `target` (a folder, where a
/// dated name is chosen, or a file name), reads it back and verifies it.
/// `progress(done, total)` covers writing and verifying. A backup whose
/// target is outside the data dir is remembered as the last one that left
/// the machine (see [`Store::last_offsite_backup`]).
pub fn backup(
    store: &Store,
    target: &Path,
    now: NaiveDateTime,
    opts: &BackupOptions,
    mut progress: impl FnMut(u64, u64),
) -> Result<BackupInfo> {
    if opts.passphrase.as_deref().is_some_and(str::is_empty) {
        return Err(BackupError::EmptyPassphrase);
    }
    let encrypted = opts.passphrase.is_some();
    let path = match fs::metadata(target) {
        Ok(m) if m.is_dir() => unused_name(target, &file_name(now, encrypted)),
        // replaced only when it is one of ours (an older backup)
        Ok(m) if m.is_file() => {
            if !is_linli_backup(target) {
                return Err(BackupError::TargetNotBackup(target.to_path_buf()));
            }
            target.to_path_buf()
        }
        // a device, a pipe, a socket: never written to
        Ok(_) => return Err(BackupError::TargetNotFile(target.to_path_buf())),
        Err(_) => target.to_path_buf(),
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(BackupError::MissingFolder(dir));
    }
    let mut laps = Laps::start();
    let key = office_key(store.dir())?;
    // the counts of the last backup and what was added since; counted
    // whole again if the lines made differ from them (never trusted
    // blindly: see `write_file`)
    let mut plan = Plan::new(store, true)?;
    laps.lap("plan");
    let operator = match opts.operator {
        Some(id) => store.worker(id)?.map(|w| Operator { id: id.0, name: w.name }),
        None => None,
    };
    remove_stale_parts(&dir);
    let tmp = part_name(&path);
    let result = loop {
        let manifest = Manifest {
            linli_backup: FORMAT_VERSION,
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            schema_version: SCHEMA_VERSION,
            created_at: now,
            operator: operator.clone(),
            counts: plan.counts.clone(),
            signer: Some(key.signer.clone()),
        };
        let total = manifest.total().max(1);
        let result = (|| {
            // O_EXCL and owner-only: never through a link someone left at the
            // temporary name, never readable by other accounts
            let file = crate::platform::private::create_new_file(&tmp).map_err(|e| StoreError::at(&path, &e))?;
            let (file, written) = write_file(store, &plan, &manifest, &key, file, opts, |d| progress(d, 2 * total))?;
            laps.lap("write");
            file.sync_all()?;
            forget_cached(&file);
            drop(file);
            laps.lap("sync");
            let info = check_written(&tmp, &manifest, encrypted, &written, |d| {
                progress(total + d * total / written.bytes.max(1), 2 * total)
            })?;
            laps.lap("read back");
            fs::rename(&tmp, &path)?;
            sync_dir(&dir);
            Ok(BackupInfo { path: path.clone(), ..info })
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        match result {
            Err(BackupError::Corrupted(m)) if m == COUNTS_DIFFER && plan.saved => {
                plan = Plan::new(store, false)?;
                laps.lap("plan again, counting everything");
            }
            other => break other,
        }
    };
    if result.is_ok() {
        // (only a help for the next backup: a failure here changes nothing)
        let _ = plan.save(store);
    }
    // a full disk here is the target's, not the data's: say where
    let info = result.map_err(|e| match e {
        BackupError::Store(StoreError::DiskFull) => BackupError::TargetFull(dir.clone()),
        other => other,
    })?;
    if !is_under(&path, store.dir()) {
        store.set_last_offsite_backup(&OffsiteBackup { at: now, path: absolute(&path) })?;
    }
    progress(1, 1);
    Ok(info)
}

/// Whether an existing file is a linli backup (and so may be replaced by
/// a newer one): its manifest reads, or it is an age file with our name.
fn is_linli_backup(path: &Path) -> bool {
    match peek(path, None) {
        Ok(_) => true,
        Err(BackupError::PassphraseRequired) => path.to_string_lossy().ends_with(EXT_ENCRYPTED),
        Err(_) => false,
    }
}

/// What is dumped: taken before the first line is written, so the counts in
/// the manifest match the lines even while the app keeps saving. Records
/// and audit entries only ever get higher keys, so "up to the last key now"
/// is a consistent cut.
pub(super) struct Plan {
    pub(super) meta: Vec<(sled::IVec, sled::IVec)>,
    pub(super) last: BTreeMap<&'static str, Option<sled::IVec>>,
    pub(super) counts: BTreeMap<String, u64>,
    /// `META_REMOVED` when the counting began.
    removed: u64,
    /// Whether some counts came from the last backup's.
    pub(super) saved: bool,
}

/// The message of a backup whose lines differ from its manifest's counts.
pub(super) const COUNTS_DIFFER: &str = "record counts differ from the manifest";

/// What a backup counted, kept in meta for the next one (`META_COUNTED`).
#[derive(Serialize, Deserialize)]
pub(super) struct Counted {
    pub(super) removed: u64,
    /// Each section: its last key then, and its number of records up to it.
    pub(super) sections: Vec<(String, Option<Vec<u8>>, u64)>,
}

impl Plan {
    /// The plan of a backup of `store` now. With `saved`, a section whose
    /// count the last backup left (and nothing removed since: records only
    /// ever get higher keys otherwise) is counted from its last key on:
    /// the large set's 411,683 records took 0.5 s of CPU to count, the
    /// few added in a day take nothing. The counts are checked against the
    /// lines as they are made (`write_file`), and a backup whose lines
    /// differ is made again with everything counted (`backup`).
    pub(super) fn new(store: &Store, saved: bool) -> Result<Plan> {
        let removed = store.meta().get(META_REMOVED)?.and_then(|v| codec::id_of(&v)).unwrap_or(0);
        let mut meta = Vec::new();
        for item in store.meta().iter() {
            let (k, v) = item?;
            if k.as_ref() != META_SCHEMA && k.as_ref() != META_COUNTED {
                meta.push((k, v));
            }
        }
        let counted: BTreeMap<String, (Option<Vec<u8>>, u64)> = match store.meta().get(META_COUNTED)? {
            Some(v) if saved => match serde_json::from_slice::<Counted>(&v) {
                Ok(c) if c.removed == removed => c.sections.into_iter().map(|(s, last, n)| (s, (last, n))).collect(),
                _ => BTreeMap::new(),
            },
            _ => BTreeMap::new(),
        };
        let mut counts = BTreeMap::new();
        let mut last = BTreeMap::new();
        counts.insert(SECTION_META.to_string(), meta.len() as u64);
        // the audit trail first: the longest, it is started at once
        let sections: Vec<(&'static str, &sled::Tree)> =
            std::iter::once((SECTION_AUDIT, &store.trees[crate::store::T_AUDIT]))
                .chain(RecordKind::ALL.iter().map(|kind| (kind.name(), store.all_trees()[tree_of(*kind)])))
                .collect();
        let mut used_saved = false;
        let mut jobs = Vec::new();
        for (name, tree) in sections {
            let end = tree.last()?.map(|(k, _)| k);
            let job = match (&end, counted.get(name)) {
                (None, _) => None,
                // counted up to its old last key: only what came after
                (Some(end), Some((Some(old), n))) if end.as_ref() >= old.as_slice() => {
                    used_saved = true;
                    Some((Some(sled::IVec::from(old.as_slice())), *n))
                }
                _ => Some((None, 0)),
            };
            if let Some((from, base)) = job {
                jobs.push((name, tree, from, end.clone(), base));
            } else {
                counts.insert(name.to_string(), 0);
            }
            last.insert(name, end);
        }
        // the trees counted on two threads, each taking the next tree not
        // taken yet: the counting is sled reading every leaf, and sled
        // reads on several threads at once. Two, not one a tree: every
        // thread that allocates gets an arena of its own from glibc, and
        // the memory of 16 of them stayed with the process.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let count = || -> Result<Vec<(&'static str, u64)>> {
            let mut out = Vec::new();
            while let Some((name, tree, from, end, base)) =
                jobs.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
            {
                let Some(end) = end else { continue };
                let n = match from {
                    Some(from) => {
                        let range = (std::ops::Bound::Excluded(from.clone()), std::ops::Bound::Included(end.clone()));
                        store.relieved(tree.range(range)).count() as u64
                    }
                    None => store.relieved(tree.range(..=end.clone())).count() as u64,
                };
                out.push((*name, base + n));
            }
            Ok(out)
        };
        let cuts = std::thread::scope(|scope| -> Result<Vec<_>> {
            let other = scope.spawn(count);
            let mut cuts = count()?;
            cuts.extend(other.join().map_err(|_| BackupError::Corrupted("counting failed".into()))??);
            Ok(cuts)
        })?;
        for (name, n) in cuts {
            counts.insert(name.to_string(), n);
        }
        Ok(Plan { meta, last, counts, removed, saved: used_saved })
    }

    /// Keeps this plan's counts for the next backup (once its lines
    /// matched them).
    fn save(&self, store: &Store) -> Result<()> {
        let sections = self
            .last
            .iter()
            .map(|(name, end)| {
                (name.to_string(), end.as_ref().map(|e| e.to_vec()), self.counts.get(*name).copied().unwrap_or(0))
            })
            .collect();
        let text = serde_json::to_vec(&Counted { removed: self.removed, sections })
            .map_err(|e| BackupError::Corrupted(e.to_string()))?;
        store.meta().insert(META_COUNTED, text)?;
        store.flush()?;
        Ok(())
    }
}

/// Collects lines into chunks and hands them to the compressing thread:
/// turning records into JSON and compressing them run on both cores.
pub(super) struct Sink {
    pub(super) tx: mpsc::SyncSender<Vec<u8>>,
    pub(super) buf: Vec<u8>,
    pub(super) lines: u64,
}

pub(super) const SINK_CHUNK: usize = 256 * 1024;

/// The gzip encoder every backup is written with. Level 3: on the large
/// set (218 MB of JSON) level 6 made the compressing thread the slower of
/// the two and the backup miss its 3 s (BENCHMARKS.md, "Backup and restore
/// (issue 19, second pass)"); level 3 costs about half the CPU for a file
/// about a fifth larger. Any level reads back the same.
pub(super) fn gz_encoder<W: Write>(w: W) -> flate2::write::GzEncoder<W> {
    flate2::GzBuilder::new().operating_system(255).write(w, Compression::new(3))
}

impl Sink {
    fn line(&mut self, write: impl FnOnce(&mut Vec<u8>) -> serde_json::Result<()>) -> Result<()> {
        write(&mut self.buf).map_err(|e| BackupError::Corrupted(e.to_string()))?;
        self.buf.push(b'\n');
        self.lines += 1;
        if self.buf.len() >= SINK_CHUNK {
            let full = std::mem::replace(&mut self.buf, Vec::with_capacity(SINK_CHUNK + 64 * 1024));
            // a closed channel means the compressing thread failed: its
            // error is the one reported, when it is joined
            self.tx.send(full).map_err(|_| BackupError::Corrupted("compression stopped".into()))?;
        }
        Ok(())
    }

    /// Lines made elsewhere (`n` of them), after those collected here.
    fn chunk(&mut self, bytes: Vec<u8>, n: u64) -> Result<()> {
        let stopped = |_| BackupError::Corrupted("compression stopped".into());
        if !self.buf.is_empty() {
            self.tx.send(std::mem::take(&mut self.buf)).map_err(stopped)?;
        }
        self.lines += n;
        self.tx.send(bytes).map_err(stopped)
    }

    /// Sends the last chunk; returns the number of lines.
    fn close(self) -> u64 {
        let _ = self.tx.send(self.buf);
        self.lines
    }
}

/// The compressing side: hashes and compresses every chunk, then writes
/// the end line with the checksum of everything before it (and the records
/// left out), and signs the whole. Returns the records left out.
pub(super) fn compress<W: Write>(
    rx: mpsc::Receiver<Vec<u8>>,
    w: W,
    key: &sign::OfficeKey,
    end: impl FnOnce() -> (u64, Vec<Unreadable>),
) -> Result<(W, Vec<Unreadable>)> {
    let mut gz = gz_encoder(w);
    let mut hash = Sha256::new();
    for chunk in rx {
        hash.update(&chunk);
        gz.write_all(&chunk)?;
    }
    let (lines, unreadable) = end();
    let before_end = hash.clone().finalize();
    let end = End { lines, sha256: hex(&before_end), unreadable: unreadable.clone() };
    let mut tail = serde_json::to_vec(&EndLine { end }).map_err(|e| BackupError::Corrupted(e.to_string()))?;
    tail.push(b'\n');
    hash.update(&tail);
    gz.write_all(&tail)?;
    let sig = SigLine { sig: key.sign(&hash.finalize()) };
    let mut line = serde_json::to_vec(&sig).map_err(|e| BackupError::Corrupted(e.to_string()))?;
    line.push(b'\n');
    gz.write_all(&line)?;
    Ok((gz.finish()?, unreadable))
}

/// What was written to the file, for checking it when read back: the
/// SHA-256 of every byte that went to the file (compressed, and encrypted
/// if it is) and how many there are; and the records left out.
pub(super) struct Written {
    pub(super) sha256: [u8; 32],
    pub(super) bytes: u64,
    pub(super) unreadable: Vec<Unreadable>,
}

/// The file, hashing every byte written to it.
pub(super) struct Hashed<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Hashed<W> {
    pub(super) fn new(inner: W) -> Hashed<W> {
        Hashed { inner, hash: Sha256::new(), bytes: 0 }
    }

    /// The writer, the SHA-256 of what it was given, and its length.
    pub(super) fn finish(self) -> (W, [u8; 32], u64) {
        (self.inner, self.hash.finalize().into(), self.bytes)
    }
}

impl<W: Write> Write for Hashed<W> {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(b)?;
        self.hash.update(&b[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[derive(Serialize, Deserialize)]
pub(super) struct End {
    pub(super) lines: u64,
    pub(super) sha256: String,
    /// Format 2: records of the store that could not be read.
    #[serde(default)]
    pub(super) unreadable: Vec<Unreadable>,
}

/// Format 2's last line: the signature over every byte before it.
#[derive(Serialize, Deserialize)]
pub(super) struct SigLine {
    pub(super) sig: String,
}

#[derive(Serialize, Deserialize)]
pub(super) struct EndLine {
    pub(super) end: End,
}

#[derive(Serialize)]
pub(super) struct MetaLine<'a> {
    pub(super) kind: &'a str,
    pub(super) key: String,
    pub(super) hex: String,
}

/// The file under the compression: plain, or age-encrypted.
pub(super) enum Out {
    Plain(BufWriter<Hashed<File>>),
    Age(age::stream::StreamWriter<BufWriter<Hashed<File>>>),
}

impl Write for Out {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        match self {
            Out::Plain(w) => w.write(b),
            Out::Age(w) => w.write(b),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Out::Plain(w) => w.flush(),
            Out::Age(w) => w.flush(),
        }
    }
}

impl Out {
    pub(super) fn finish(self) -> io::Result<Hashed<File>> {
        let buffered = match self {
            Out::Plain(w) => w,
            Out::Age(w) => w.finish()?,
        };
        buffered.into_inner().map_err(|e| e.into_error())
    }
}

pub(super) fn write_file(
    store: &Store,
    plan: &Plan,
    manifest: &Manifest,
    key: &sign::OfficeKey,
    file: File,
    opts: &BackupOptions,
    mut progress: impl FnMut(u64),
) -> Result<(File, Written)> {
    let buffered = BufWriter::with_capacity(256 * 1024, Hashed::new(file));
    let out = match &opts.passphrase {
        None => Out::Plain(buffered),
        Some(p) => {
            let mut recipient = age::scrypt::Recipient::new(SecretString::from(p.clone()));
            recipient.set_work_factor(opts.work_factor.unwrap_or(WORK_FACTOR));
            let enc = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .map_err(|e| BackupError::Corrupted(e.to_string()))?;
            Out::Age(enc.wrap_output(buffered)?)
        }
    };
    let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(4);
    let (end_tx, end_rx) = mpsc::channel::<(u64, Vec<Unreadable>)>();
    std::thread::scope(|scope| {
        let compressor = scope.spawn(move || compress(rx, out, key, move || end_rx.recv().unwrap_or_default()));
        let produced = (|| -> Result<()> {
            let mut sink = Sink { tx, buf: Vec::with_capacity(SINK_CHUNK + 64 * 1024), lines: 0 };
            sink.line(|b| serde_json::to_writer(b, manifest))?;
            let mut done = 0u64;
            for (k, v) in &plan.meta {
                let key = String::from_utf8_lossy(k).into_owned();
                sink.line(|b| serde_json::to_writer(b, &MetaLine { kind: SECTION_META, key, hex: hex(v) }))?;
                done += 1;
            }
            progress(done);
            let mut unreadable = Vec::new();
            // this thread reads the trees; the records are decoded and
            // turned into lines on the pool, and their lines taken back in
            // order for the compressing thread
            let mut pool = pool::Ordered::spawn(scope, pool::threads(), Raw::lines, || {
                Err(BackupError::Corrupted("making the lines stopped".into()))
            });
            // the records of each section as made, against the manifest's
            // count (a record deleted since the counting would make them
            // differ: that backup is refused, as its read-back refused it)
            let mut made_counts: BTreeMap<&str, u64> = BTreeMap::new();
            let mut take = |made: Result<Made>, sink: &mut Sink| -> Result<()> {
                let made = made?;
                *made_counts.entry(made.section).or_default() += made.lines + made.unreadable.len() as u64;
                done += made.lines + made.unreadable.len() as u64;
                unreadable.extend(made.unreadable);
                sink.chunk(made.bytes, made.lines)?;
                progress(done);
                Ok(())
            };
            let sections =
                RecordKind::ALL.iter().map(|k| (Some(*k), tree_of(*k))).chain([(None, crate::store::T_AUDIT)]);
            for (kind, tree) in sections {
                let name = kind.map_or(SECTION_AUDIT, |k| k.name());
                let Some(last) = plan.last.get(name).cloned().flatten() else { continue };
                let mut raw = Raw::new(kind);
                for item in store.relieved(store.trees[tree].range(..=last)) {
                    let (k, v) = item?;
                    raw.bytes += k.len() + v.len();
                    raw.pairs.push((k, v));
                    if raw.bytes >= RAW_CHUNK
                        && let Some(made) = pool.push(std::mem::replace(&mut raw, Raw::new(kind)))
                    {
                        take(made, &mut sink)?;
                    }
                }
                if !raw.pairs.is_empty()
                    && let Some(made) = pool.push(raw)
                {
                    take(made, &mut sink)?;
                }
            }
            while let Some(made) = pool.take() {
                take(made, &mut sink)?;
            }
            let claimed = plan.counts.iter().filter(|(s, n)| s.as_str() != SECTION_META && **n > 0);
            if !claimed.map(|(s, n)| (s.as_str(), *n)).eq(made_counts.into_iter().filter(|(_, n)| *n > 0)) {
                return Err(BackupError::Corrupted(COUNTS_DIFFER.into()));
            }
            progress(done);
            let _ = end_tx.send((sink.close(), unreadable));
            Ok(())
        })();
        // if the records stopped early, the compressor must not wait for a count
        drop(end_tx);
        let (out, unreadable) =
            compressor.join().map_err(|_| BackupError::Corrupted("compression failed".into()))??;
        produced?;
        let (file, sha256, bytes) = out.finish()?.finish();
        Ok((file, Written { sha256, bytes, unreadable }))
    })
}

/// Stored records of one section (a kind, or the audit trail when `None`)
/// to be turned into lines on a pool thread.
pub(super) struct Raw {
    kind: Option<RecordKind>,
    pairs: Vec<(sled::IVec, sled::IVec)>,
    bytes: usize,
    /// Where the lines go: allocated by the reading thread, so that the
    /// memory of the lines (freed by the compressing thread) stays in its
    /// allocator arena instead of piling up in each pool thread's (glibc:
    /// 130 MB at the peak against 87 with one arena, large set).
    out: Vec<u8>,
}

/// Stored bytes handed to a pool thread at a time (~150 KB of lines).
const RAW_CHUNK: usize = 64 * 1024;

/// The lines made of a [`Raw`], and its records that could not be read
/// (left out, and named: one damaged record must not keep every other one
/// from leaving the machine).
pub(super) struct Made {
    section: &'static str,
    bytes: Vec<u8>,
    lines: u64,
    unreadable: Vec<Unreadable>,
}

impl Raw {
    fn new(kind: Option<RecordKind>) -> Raw {
        Raw { kind, pairs: Vec::with_capacity(256), bytes: 0, out: Vec::with_capacity(RAW_CHUNK * 4) }
    }

    fn lines(self) -> Result<Made> {
        let section = self.kind.map_or(SECTION_AUDIT, |k| k.name());
        let mut made = Made { section, bytes: self.out, lines: 0, unreadable: Vec::new() };
        match self.kind {
            Some(kind) => kind.visit(Lines { pairs: &self.pairs, made: &mut made })?,
            None => lines_of::<AuditEntry>(SECTION_AUDIT, &self.pairs, &mut made)?,
        }
        Ok(made)
    }
}

struct Lines<'a> {
    pairs: &'a [(sled::IVec, sled::IVec)],
    made: &'a mut Made,
}

impl KindVisitor for Lines<'_> {
    type Out = Result<()>;
    fn visit<R: Record>(self) -> Result<()> {
        lines_of::<R>(R::KIND.name(), self.pairs, self.made)
    }
}

fn lines_of<T: serde::de::DeserializeOwned + Serialize>(
    section: &str,
    pairs: &[(sled::IVec, sled::IVec)],
    made: &mut Made,
) -> Result<()> {
    for (k, v) in pairs {
        match codec::decode::<T>(v) {
            Ok(r) => {
                let b = &mut made.bytes;
                b.extend_from_slice(b"{\"kind\":\"");
                b.extend_from_slice(section.as_bytes());
                b.extend_from_slice(b"\",\"data\":");
                serde_json::to_writer(&mut *b, &r).map_err(|e| BackupError::Corrupted(e.to_string()))?;
                b.extend_from_slice(b"}\n");
                made.lines += 1;
            }
            Err(why) => {
                made.unreadable.push(Unreadable { kind: section.into(), key: codec::id_of(k).unwrap_or(0), why })
            }
        }
    }
    Ok(())
}
