//! Backups: one self-checking file per backup, and restoring from one.
//!
//! # The file
//!
//! A backup is gzip-compressed JSON Lines, optionally wrapped in `age`
//! passphrase encryption, so it can be read without linli
//! (`zcat f.jsonl.gz | head -1`, or `age -d f.jsonl.gz.age | zcat | head -1`):
//!
//! ```text
//! {"linli_backup":1,"app_version":"0.1.0","schema_version":1,"created_at":"…","operator":{"id":1,"name":"李娜"},"counts":{"audit":20,"meta":5,"request":5,…}}
//! {"kind":"meta","key":"seq/request/2026","hex":"0000000000000005"}      (every meta entry but the schema version)
//! {"kind":"request","data":{…}}                                          (every kind in RecordKind::ALL, in id order)
//! {"kind":"audit","data":{…}}                                            (the audit trail, oldest first)
//! {"end":{"lines":36,"sha256":"…"}}                                      (SHA-256 of every byte before this line)
//! ```
//!
//! Indexes are not in the file: a restore rebuilds them from the records.
//! A kind added to `RecordKind::ALL` is carried without touching this file.
//!
//! # Safety
//!
//! A backup is written under a temporary name in the target folder, synced,
//! read back (from the disk, not the page cache, where the OS allows) and
//! verified, and only then renamed to its final name and the folder synced:
//! a file with a final name is always complete. A restore reads the whole
//! backup into a fresh store beside the current one, and only then swaps
//! them, keeping the current store as a safety copy; a journal file lets an
//! interrupted swap be finished at the next start.

use super::audit::AuditEntry;
use super::record::{KindVisitor, Record, RecordKind};
use super::schema::{META_SCHEMA, SCHEMA_VERSION, seq_key};
use super::{Store, StoreError, codec, tree_of};
use crate::domain::{RequestId, WorkerId};
use age::secrecy::SecretString;
use chrono::NaiveDateTime;
use flate2::Compression;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// The version of the file layout described above (not of the records:
/// that is `schema_version`).
pub const FORMAT_VERSION: u32 = 1;
pub const EXT_PLAIN: &str = ".jsonl.gz";
pub const EXT_ENCRYPTED: &str = ".jsonl.gz.age";
/// The names of the sections that are not record kinds.
pub const SECTION_META: &str = "meta";
pub const SECTION_AUDIT: &str = "audit";

const AGE_MAGIC: &[u8] = b"age-encryption.org/";
const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
/// The gzip header our encoder writes (no name, no time). Any other header
/// on a file whose first line is a linli manifest means a damaged byte.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
/// Restores journal their swap here (see [`recover_interrupted_restore`]).
const RESTORE_JOURNAL: &str = "restore-pending.json";
/// Where the store lives inside a data dir (see `Store::open`).
const STORE_DIR: &str = "store";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    pub id: u64,
    pub name: String,
}

/// The first line of a backup: what it holds, shown before anything changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The format version; its presence is what marks a linli backup.
    pub linli_backup: u32,
    pub app_version: String,
    pub schema_version: u32,
    pub created_at: NaiveDateTime,
    pub operator: Option<Operator>,
    /// Lines per section: each record kind's name, `audit` and `meta`.
    pub counts: BTreeMap<String, u64>,
}

impl Manifest {
    pub fn count(&self, section: &str) -> u64 {
        self.counts.get(section).copied().unwrap_or(0)
    }

    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }
}

/// A backup that was written or verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub manifest: Manifest,
    pub encrypted: bool,
    pub bytes: u64,
}

/// Why a backup could not be made, verified or restored. Each has its own
/// message in `i18n::backup_error`.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} does not exist")]
    Missing(PathBuf),
    #[error("not a linli backup")]
    NotABackup,
    #[error("the backup is incomplete (cut short)")]
    Truncated,
    #[error("the backup is damaged: {0}")]
    Corrupted(String),
    #[error("the backup was made by a newer linli (schema {found}, this one reads up to {supported})")]
    NewerSchema { found: u32, supported: u32 },
    #[error("the backup is encrypted: a passphrase is needed")]
    PassphraseRequired,
    #[error("wrong passphrase")]
    WrongPassphrase,
    #[error("the passphrase is empty")]
    EmptyPassphrase,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<io::Error> for BackupError {
    fn from(e: io::Error) -> Self {
        BackupError::Store(StoreError::from_io(&e))
    }
}

impl From<sled::Error> for BackupError {
    fn from(e: sled::Error) -> Self {
        BackupError::Store(StoreError::from(e))
    }
}

type Result<T> = std::result::Result<T, BackupError>;

/// scrypt's work factor for encrypted backups: 2^16 takes 64 MB and about
/// a quarter of a second here. age would tune itself to about a second of
/// work on a fast machine, which measured 2^20 here: 1 GB of memory and 8 s
/// per encryption or decryption, too much for an office PC with 2 GB.
pub const WORK_FACTOR: u8 = 16;

/// What a backup is made with.
#[derive(Debug, Clone, Default)]
pub struct BackupOptions {
    /// Encrypt with this passphrase (age, scrypt).
    pub passphrase: Option<String>,
    /// Who made it (written in the manifest).
    pub operator: Option<WorkerId>,
    /// scrypt's work factor (log2 N); `None` is [`WORK_FACTOR`]. Tests
    /// lower it.
    pub work_factor: Option<u8>,
}

// ---- writing --------------------------------------------------------------------

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
    let path = if target.is_dir() { unused_name(target, &file_name(now, encrypted)) } else { target.to_path_buf() };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(BackupError::Missing(dir));
    }
    let plan = Plan::of(store)?;
    let operator = match opts.operator {
        Some(id) => store.worker(id)?.map(|w| Operator { id: id.0, name: w.name }),
        None => None,
    };
    let manifest = Manifest {
        linli_backup: FORMAT_VERSION,
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        schema_version: SCHEMA_VERSION,
        created_at: now,
        operator,
        counts: plan.counts.clone(),
    };
    let total = manifest.total().max(1);
    remove_stale_parts(&dir);
    let tmp = part_name(&path);
    let result = (|| {
        let file = File::create(&tmp)?;
        let file = write_file(store, &plan, &manifest, file, opts, |d| progress(d, 2 * total))?;
        file.sync_all()?;
        forget_cached(&file);
        drop(file);
        let info = verify_file(&tmp, opts.passphrase.as_deref(), |d, _| progress(total + d, 2 * total))?;
        if info.manifest != manifest {
            return Err(BackupError::Corrupted("read back a different manifest".into()));
        }
        fs::rename(&tmp, &path)?;
        sync_dir(&dir);
        Ok(BackupInfo { path: path.clone(), ..info })
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    let info = result?;
    if !is_under(&path, store.dir()) {
        store.set_last_offsite_backup(&OffsiteBackup { at: now, path: absolute(&path) })?;
    }
    progress(2 * total, 2 * total);
    Ok(info)
}

/// What is dumped: taken before the first line is written, so the counts in
/// the manifest match the lines even while the app keeps saving. Records
/// and audit entries only ever get higher keys, so "up to the last key now"
/// is a consistent cut.
struct Plan {
    meta: Vec<(sled::IVec, sled::IVec)>,
    last: BTreeMap<&'static str, Option<sled::IVec>>,
    counts: BTreeMap<String, u64>,
}

impl Plan {
    fn of(store: &Store) -> Result<Plan> {
        let mut meta = Vec::new();
        for item in store.meta().iter() {
            let (k, v) = item?;
            if k.as_ref() != META_SCHEMA {
                meta.push((k, v));
            }
        }
        let mut counts = BTreeMap::new();
        let mut last = BTreeMap::new();
        counts.insert(SECTION_META.to_string(), meta.len() as u64);
        let mut cut = |name: &'static str, tree: &sled::Tree| -> Result<()> {
            let end = tree.last()?.map(|(k, _)| k);
            let n = match &end {
                Some(end) => tree.range(..=end.clone()).count() as u64,
                None => 0,
            };
            counts.insert(name.to_string(), n);
            last.insert(name, end);
            Ok(())
        };
        for kind in RecordKind::ALL {
            cut(kind.name(), store.all_trees()[tree_of(kind)])?;
        }
        cut(SECTION_AUDIT, &store.trees[super::T_AUDIT])?;
        Ok(Plan { meta, last, counts })
    }
}

/// Collects lines into chunks and hands them to the compressing thread:
/// turning records into JSON and compressing them run on both cores.
struct Sink {
    tx: mpsc::SyncSender<Vec<u8>>,
    buf: Vec<u8>,
    lines: u64,
}

const SINK_CHUNK: usize = 256 * 1024;

/// The gzip encoder every backup is written with. Level 6 (gzip's default)
/// gives a file a third smaller than level 1, and the compressing thread
/// keeps up with the JSON on the large set either way.
fn gz_encoder<W: Write>(w: W) -> flate2::write::GzEncoder<W> {
    flate2::GzBuilder::new().operating_system(255).write(w, Compression::new(6))
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

    fn record_line(&mut self, section: &str, data: &impl Serialize) -> Result<()> {
        self.line(|b| {
            b.extend_from_slice(b"{\"kind\":\"");
            b.extend_from_slice(section.as_bytes());
            b.extend_from_slice(b"\",\"data\":");
            serde_json::to_writer(&mut *b, data)?;
            b.push(b'}');
            Ok(())
        })
    }

    /// Sends the last chunk; returns the number of lines.
    fn close(self) -> u64 {
        let _ = self.tx.send(self.buf);
        self.lines
    }
}

/// The compressing side: hashes and compresses every chunk, then writes
/// the end line with the checksum of everything before it.
fn compress<W: Write>(rx: mpsc::Receiver<Vec<u8>>, w: W, lines: impl FnOnce() -> u64) -> Result<W> {
    let mut gz = gz_encoder(w);
    let mut hash = Sha256::new();
    for chunk in rx {
        hash.update(&chunk);
        gz.write_all(&chunk)?;
    }
    let end = End { lines: lines(), sha256: hex(&hash.finalize()) };
    let mut tail = serde_json::to_vec(&EndLine { end }).map_err(|e| BackupError::Corrupted(e.to_string()))?;
    tail.push(b'\n');
    gz.write_all(&tail)?;
    Ok(gz.finish()?)
}

#[derive(Serialize, Deserialize)]
struct End {
    lines: u64,
    sha256: String,
}

#[derive(Serialize, Deserialize)]
struct EndLine {
    end: End,
}

#[derive(Serialize)]
struct MetaLine<'a> {
    kind: &'a str,
    key: String,
    hex: String,
}

/// The file under the compression: plain, or age-encrypted.
enum Out {
    Plain(BufWriter<File>),
    Age(age::stream::StreamWriter<BufWriter<File>>),
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
    fn finish(self) -> io::Result<File> {
        let buffered = match self {
            Out::Plain(w) => w,
            Out::Age(w) => w.finish()?,
        };
        buffered.into_inner().map_err(|e| e.into_error())
    }
}

fn write_file(
    store: &Store,
    plan: &Plan,
    manifest: &Manifest,
    file: File,
    opts: &BackupOptions,
    mut progress: impl FnMut(u64),
) -> Result<File> {
    let buffered = BufWriter::with_capacity(256 * 1024, file);
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
    let (lines_tx, lines_rx) = mpsc::channel::<u64>();
    std::thread::scope(|scope| {
        let compressor = scope.spawn(move || compress(rx, out, move || lines_rx.recv().unwrap_or(0)));
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
            for kind in RecordKind::ALL {
                let last = plan.last.get(kind.name()).cloned().flatten();
                kind.visit(Dump { store, last, sink: &mut sink, done: &mut done, progress: &mut progress })?;
            }
            if let Some(last) = plan.last.get(SECTION_AUDIT).cloned().flatten() {
                for item in store.trees[super::T_AUDIT].range(..=last) {
                    let (k, v) = item?;
                    let e: AuditEntry = codec::decode(&v).map_err(|detail| StoreError::Corrupt {
                        what: "audit",
                        key: codec::id_of(&k).unwrap_or(0),
                        detail,
                    })?;
                    sink.record_line(SECTION_AUDIT, &e)?;
                    done += 1;
                    if done.is_multiple_of(4096) {
                        progress(done);
                    }
                }
            }
            progress(done);
            let _ = lines_tx.send(sink.close());
            Ok(())
        })();
        // if the records stopped early, the compressor must not wait for a count
        drop(lines_tx);
        let written = compressor.join().map_err(|_| BackupError::Corrupted("compression failed".into()))??;
        produced?;
        Ok(written.finish()?)
    })
}

/// Writes every record of one kind, up to the plan's cut.
struct Dump<'a, P: FnMut(u64)> {
    store: &'a Store,
    last: Option<sled::IVec>,
    sink: &'a mut Sink,
    done: &'a mut u64,
    progress: &'a mut P,
}

impl<P: FnMut(u64)> KindVisitor for Dump<'_, P> {
    type Out = Result<()>;
    fn visit<R: Record>(self) -> Result<()> {
        let Some(last) = self.last else { return Ok(()) };
        let tree = self.store.all_trees()[tree_of(R::KIND)];
        for item in tree.range(..=last) {
            let (k, v) = item?;
            let r: R = codec::decode(&v).map_err(|detail| StoreError::Corrupt {
                what: R::KIND.name(),
                key: codec::id_of(&k).unwrap_or(0),
                detail,
            })?;
            self.sink.record_line(R::KIND.name(), &r)?;
            *self.done += 1;
            if (*self.done).is_multiple_of(4096) {
                (self.progress)(*self.done);
            }
        }
        Ok(())
    }
}

// ---- reading --------------------------------------------------------------------

/// Reads a backup through and checks everything: the checksum, that it is
/// complete, that every record decodes, that the counts match. Returns what
/// it holds. Nothing is written anywhere.
pub fn verify(path: &Path, passphrase: Option<&str>, progress: impl FnMut(u64, u64)) -> Result<BackupInfo> {
    verify_file(path, passphrase, progress)
}

fn verify_file(path: &Path, passphrase: Option<&str>, progress: impl FnMut(u64, u64)) -> Result<BackupInfo> {
    // checking needs every record parsed, not encoded for a store
    read_backup(path, passphrase, false, progress, |_| Ok(()))
}

/// Reads only the manifest (the first line): quick, for showing what a
/// backup says it holds. It proves nothing about the rest: [`verify`] does.
pub fn peek(path: &Path, passphrase: Option<&str>) -> Result<(Manifest, bool)> {
    let mut opened = open_lines(path, passphrase)?;
    let mut first = Vec::new();
    let manifest = read_manifest(&mut opened.lines, &mut first)?;
    Ok((manifest, opened.encrypted))
}

/// One line of a backup, as read.
#[derive(Deserialize)]
struct LineIn<'a> {
    #[serde(borrow, default)]
    kind: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    hex: Option<String>,
    #[serde(default)]
    end: Option<End>,
}

/// A decoded item handed to a restore.
enum Item {
    Meta(Vec<u8>, Vec<u8>),
    /// Kind, key, stored bytes, index links (index, owner).
    Record(RecordKind, u64, Vec<u8>, Vec<(&'static str, u64)>),
    Audit(Vec<u8>),
}

/// A backup opened for reading lines: decrypted if needed, decompressed.
struct Opened {
    lines: Box<dyn BufRead>,
    encrypted: bool,
    /// Whether the gzip header is the one we write.
    header_ok: bool,
}

fn open_lines(path: &Path, passphrase: Option<&str>) -> Result<Opened> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(BackupError::Missing(path.to_path_buf())),
        Err(e) => return Err(e.into()),
    };
    let mut raw = BufReader::with_capacity(256 * 1024, file);
    let head = raw.fill_buf()?.to_vec();
    let starts = |magic: &[u8]| {
        let n = head.len().min(magic.len());
        head[..n] == magic[..n]
    };
    let (source, encrypted): (Box<dyn BufRead>, bool) = if head.len() >= AGE_MAGIC.len() && starts(AGE_MAGIC) {
        let dec = age::Decryptor::new_buffered(raw).map_err(age_error)?;
        if !dec.is_scrypt() {
            // encrypted to a key, not a passphrase: not one of ours
            return Err(BackupError::NotABackup);
        }
        let Some(p) = passphrase else { return Err(BackupError::PassphraseRequired) };
        let identity = age::scrypt::Identity::new(SecretString::from(p.to_string()));
        let reader = dec.decrypt(std::iter::once(&identity as &dyn age::Identity)).map_err(age_error)?;
        (Box::new(BufReader::with_capacity(256 * 1024, reader)), true)
    } else if head.len() >= GZIP_MAGIC.len() && starts(GZIP_MAGIC) {
        (Box::new(raw), false)
    } else if starts(GZIP_MAGIC) || starts(AGE_MAGIC) {
        // empty, or cut off inside the first bytes
        return Err(BackupError::Truncated);
    } else {
        return Err(BackupError::NotABackup);
    };
    let mut source = source;
    let header_ok = source.fill_buf().map(|b| b.len() >= 10 && b[..10] == GZIP_HEADER).unwrap_or(false);
    let gz = GzCheck { gz: Some(flate2::bufread::GzDecoder::new(source)) };
    Ok(Opened { lines: Box::new(BufReader::with_capacity(256 * 1024, gz)), encrypted, header_ok })
}

/// A gzip decoder that refuses bytes after the end of the stream.
struct GzCheck {
    gz: Option<flate2::bufread::GzDecoder<Box<dyn BufRead>>>,
}

impl Read for GzCheck {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(gz) = self.gz.as_mut() else { return Ok(0) };
        let n = gz.read(buf)?;
        if n == 0 && !buf.is_empty() {
            let mut rest = self.gz.take().map(|g| g.into_inner());
            if let Some(rest) = rest.as_mut()
                && !rest.fill_buf()?.is_empty()
            {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "data after the end of the backup"));
            }
        }
        Ok(n)
    }
}

fn age_error(e: age::DecryptError) -> BackupError {
    use age::DecryptError as D;
    match e {
        D::DecryptionFailed | D::KeyDecryptionFailed | D::NoMatchingKeys => BackupError::WrongPassphrase,
        D::Io(io) => read_error(io),
        D::UnknownFormat => BackupError::NotABackup,
        other => BackupError::Corrupted(other.to_string()),
    }
}

/// Errors while decompressing or decrypting: cut short, damaged, or the
/// disk itself.
fn read_error(e: io::Error) -> BackupError {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => BackupError::Truncated,
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => BackupError::Corrupted(e.to_string()),
        _ => BackupError::from(e),
    }
}

/// Reads one line (with its newline). `Ok(false)` at the end of the data.
fn next_line(lines: &mut dyn BufRead, buf: &mut Vec<u8>) -> Result<bool> {
    buf.clear();
    let n = lines.read_until(b'\n', buf).map_err(read_error)?;
    Ok(n > 0)
}

fn read_manifest(lines: &mut dyn BufRead, first: &mut Vec<u8>) -> Result<Manifest> {
    if !next_line(lines, first)? {
        return Err(BackupError::Truncated);
    }
    if first.last() != Some(&b'\n') {
        return Err(BackupError::Truncated);
    }
    let manifest: Manifest = serde_json::from_slice(first).map_err(|_| BackupError::NotABackup)?;
    if manifest.linli_backup > FORMAT_VERSION || manifest.schema_version > SCHEMA_VERSION {
        return Err(BackupError::NewerSchema {
            found: manifest.schema_version.max(SCHEMA_VERSION + 1),
            supported: SCHEMA_VERSION,
        });
    }
    if manifest.schema_version == 0 || manifest.linli_backup == 0 {
        return Err(BackupError::Corrupted("version 0".into()));
    }
    Ok(manifest)
}

/// Reads a backup through, checking everything, and hands each decoded
/// item to `sink`.
fn read_backup(
    path: &Path,
    passphrase: Option<&str>,
    encode: bool,
    mut progress: impl FnMut(u64, u64),
    mut sink: impl FnMut(Item) -> Result<()>,
) -> Result<BackupInfo> {
    let Opened { mut lines, encrypted, header_ok } = open_lines(path, passphrase)?;
    let mut line = Vec::with_capacity(4096);
    let manifest = read_manifest(&mut lines, &mut line)?;
    // a gzip header that is not ours on a file that is ours: a damaged byte
    // in a part of the header that no checksum covers
    if !header_ok {
        return Err(BackupError::Corrupted("gzip header".into()));
    }
    let mut hash = Sha256::new();
    hash.update(&line);
    let total = manifest.total().max(1);
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    let mut n_lines = 1u64;
    let mut done = 0u64;
    loop {
        if !next_line(&mut lines, &mut line)? {
            return Err(BackupError::Truncated);
        }
        if line.last() != Some(&b'\n') {
            return Err(BackupError::Truncated);
        }
        let parsed: LineIn = serde_json::from_slice(&line).map_err(|e| bad(n_lines, &e.to_string()))?;
        if let Some(end) = parsed.end {
            let sum = hex(&hash.finalize());
            if end.sha256 != sum || end.lines != n_lines {
                return Err(BackupError::Corrupted("checksum does not match".into()));
            }
            break;
        }
        let section = parsed.kind.as_deref().ok_or_else(|| bad(n_lines, "no kind"))?;
        let item = match (section, parsed.data) {
            (SECTION_META, _) => {
                let key = parsed.key.ok_or_else(|| bad(n_lines, "meta without key"))?;
                let value = unhex(parsed.hex.as_deref().unwrap_or("")).ok_or_else(|| bad(n_lines, "bad hex"))?;
                Item::Meta(key.into_bytes(), value)
            }
            (SECTION_AUDIT, Some(data)) => {
                let e: AuditEntry =
                    parse_data(SECTION_AUDIT, data, manifest.schema_version).map_err(|e| bad(n_lines, &e))?;
                Item::Audit(codec::encode(&e))
            }
            (name, Some(data)) => {
                let kind = RecordKind::parse(name).ok_or_else(|| bad(n_lines, &format!("unknown kind {name}")))?;
                let (key, bytes, index) = kind
                    .visit(Decode { data, schema: manifest.schema_version, encode })
                    .map_err(|e| bad(n_lines, &e))?;
                Item::Record(kind, key, bytes, index)
            }
            (_, None) => return Err(bad(n_lines, "no data")),
        };
        hash.update(&line);
        n_lines += 1;
        *seen.entry(section.to_string()).or_default() += 1;
        sink(item)?;
        done += 1;
        if done.is_multiple_of(4096) {
            progress(done, total);
        }
    }
    // nothing may follow the end line, and the stream must end properly
    if next_line(&mut lines, &mut line)? {
        return Err(BackupError::Corrupted("data after the end line".into()));
    }
    seen.retain(|_, n| *n > 0);
    let mut claimed = manifest.counts.clone();
    claimed.retain(|_, n| *n > 0);
    if seen != claimed {
        return Err(BackupError::Corrupted("record counts differ from the manifest".into()));
    }
    progress(total, total);
    let bytes = fs::metadata(path)?.len();
    Ok(BackupInfo { path: path.to_path_buf(), manifest, encrypted, bytes })
}

fn bad(lines_before: u64, what: &str) -> BackupError {
    BackupError::Corrupted(format!("line {}: {what}", lines_before + 1))
}

/// Decodes one record line into its stored form.
struct Decode<'a> {
    data: &'a RawValue,
    schema: u32,
    /// Whether to encode it for a store (a restore) or only parse it (a
    /// verify: the bytes are left empty).
    encode: bool,
}

impl KindVisitor for Decode<'_> {
    type Out = std::result::Result<(u64, Vec<u8>, Vec<(&'static str, u64)>), String>;
    fn visit<R: Record>(self) -> Self::Out {
        let r: R = parse_data(R::KIND.name(), self.data, self.schema)?;
        let bytes = if self.encode { codec::encode(&r) } else { Vec::new() };
        Ok((r.key(), bytes, r.links()))
    }
}

/// A record from a backup written under `schema`, brought up to the
/// current schema.
fn parse_data<T: serde::de::DeserializeOwned>(
    section: &str,
    data: &RawValue,
    schema: u32,
) -> std::result::Result<T, String> {
    if schema == SCHEMA_VERSION {
        return serde_json::from_str(data.get()).map_err(|e| e.to_string());
    }
    let mut value: serde_json::Value = serde_json::from_str(data.get()).map_err(|e| e.to_string())?;
    migrate::upgrade(section, schema, &mut value)?;
    serde_json::from_value(value).map_err(|e| e.to_string())
}

/// Bringing records from older backups up to date.
pub mod migrate {
    /// One step: rewrites a record (section name, JSON value) written under
    /// schema `from` into schema `from + 1`.
    pub type Step = fn(&str, &mut serde_json::Value) -> Result<(), String>;

    /// Ordered steps, indexed by the schema they upgrade from (each has a
    /// matching store migration in `store::migrate`); the schema-1 backup
    /// in data/fixtures/ keeps restoring in the tests.
    /// Schema 3 changed how the store keeps its indexes, not the records,
    /// so it needs no step here.
    pub const STEPS: &[(u32, Step)] = &[(1, step_1_to_2)];

    /// Schema 2 gave workers a grade, areas, a start date and a status; an
    /// old worker gets none of the first three and the status that matches
    /// their `active` flag (as the store migration does).
    fn step_1_to_2(section: &str, value: &mut serde_json::Value) -> Result<(), String> {
        if section != "worker" {
            return Ok(());
        }
        let obj = value.as_object_mut().ok_or("a worker is not an object")?;
        let active = obj.get("active").and_then(serde_json::Value::as_bool).unwrap_or(true);
        obj.entry("grade").or_insert_with(|| "".into());
        obj.entry("areas").or_insert_with(|| serde_json::Value::Array(Vec::new()));
        obj.entry("start").or_insert(serde_json::Value::Null);
        obj.entry("status").or_insert_with(|| if active { "InPost".into() } else { "Left".into() });
        Ok(())
    }

    pub fn upgrade(section: &str, from: u32, value: &mut serde_json::Value) -> Result<(), String> {
        for (_, step) in STEPS.iter().filter(|(v, _)| *v >= from) {
            step(section, value)?;
        }
        Ok(())
    }
}

// ---- restoring ------------------------------------------------------------------

/// What a restore did.
#[derive(Debug, Clone)]
pub struct Restored {
    pub info: BackupInfo,
    /// Where the store that was replaced now lives (none if there was none).
    pub safety_copy: Option<PathBuf>,
}

#[derive(Serialize, Deserialize)]
struct Journal {
    /// The complete new store, waiting to become `store`.
    new_store: PathBuf,
    /// Where the current store goes.
    safety_copy: PathBuf,
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
    recover_interrupted_restore(data_dir)?;
    let current = data_dir.join(STORE_DIR);
    if current.exists() {
        // refuse while another linli has it open; a damaged store is
        // exactly what one restores over, so other errors do not stop us
        if let Err(StoreError::Locked(_)) = Store::open(data_dir) {
            return Err(StoreError::Locked(data_dir.to_path_buf()).into());
        }
    }
    let stamp = now.format("%Y%m%d-%H%M%S");
    let staging = data_dir.join(format!(".restore-{stamp}-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    let loaded = load_into(backup, &staging, passphrase, progress);
    let info = match loaded {
        Ok(info) => info,
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
    finish_swap(data_dir, &journal)?;
    // the saved search index described the old store
    let _ = fs::remove_file(super::index_cache::path(data_dir));
    Ok(Restored { info, safety_copy: had_store.then_some(safety) })
}

/// Reads the backup into a new store in `staging/store`, closed on return.
fn load_into(
    backup: &Path,
    staging: &Path,
    passphrase: Option<&str>,
    progress: impl FnMut(u64, u64),
) -> Result<BackupInfo> {
    let store = Store::open(staging)?;
    let mut batches: Vec<sled::Batch> = vec![sled::Batch::default(); store.trees.len()];
    let mut pending = 0usize;
    let mut links = super::links::Pending::default();
    let info = read_backup(backup, passphrase, true, progress, |item| {
        match item {
            Item::Meta(k, v) => {
                if k.as_slice() != META_SCHEMA {
                    batches[super::T_META].insert(k, v);
                }
            }
            Item::Record(kind, key, bytes, index) => {
                batches[tree_of(kind)].insert(&codec::key(key), bytes);
                for (tree, owner) in index {
                    links.add(index_tree(tree), owner, key);
                }
            }
            Item::Audit(bytes) => {
                // fresh keys in the order read: a new store's id generator
                // starts at zero, so the backup's keys could be reused
                let seq = store.db.generate_id()?;
                if let Ok(e) = codec::decode::<super::audit::AuditEntry>(&bytes) {
                    links.add(super::T_AUDIT_BY_RECORD, super::audit_owner(e.kind, e.key), seq);
                }
                batches[super::T_AUDIT].insert(&codec::key(seq), bytes);
            }
        }
        pending += 1;
        // small batches: sled holds a batch's whole working set in memory
        // (20,000 records at a time cost 500 MB on the large set, 1,000 cost 60)
        if pending >= 1000 {
            store.apply(&mut batches)?;
            pending = 0;
        }
        Ok(())
    })?;
    store.apply(&mut batches)?;
    links.write(&store.trees, super::BULK_CHUNK)?;
    store.repair_counters()?;
    store.flush()?;
    drop(store);
    sync_dir(staging);
    Ok(info)
}

/// The position in `Store::all_trees` of an index tree, by name.
fn index_tree(name: &str) -> usize {
    super::index_of(name)
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

fn finish_swap(data_dir: &Path, journal: &Journal) -> Result<()> {
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
    if let Some(staging) = journal.new_store.parent() {
        let _ = fs::remove_dir_all(staging);
    }
    fs::remove_file(data_dir.join(RESTORE_JOURNAL))?;
    sync_dir(data_dir);
    Ok(())
}

impl Store {
    fn apply(&self, batches: &mut [sled::Batch]) -> Result<()> {
        let trees = self.all_trees();
        for (i, b) in batches.iter_mut().enumerate() {
            trees[i].apply_batch(std::mem::take(b))?;
        }
        Ok(())
    }

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
                let (key, n) = match kind {
                    RecordKind::Request => {
                        let id = RequestId(id);
                        (seq_key(kind.name(), id.year()), id.seq())
                    }
                    _ => (seq_key(kind.name(), 0), id),
                };
                let e = need.entry(key).or_default();
                *e = (*e).max(n);
            }
        }
        for (key, n) in need {
            let cur = self.meta().get(&key)?.and_then(|v| codec::id_of(&v)).unwrap_or(0);
            if cur < n {
                self.meta().insert(key, &n.to_be_bytes())?;
            }
        }
        Ok(())
    }
}

// ---- the last backup that left the machine ----------------------------------------

const META_LAST_OFFSITE: &[u8] = b"last_offsite_backup";
/// Warn when the last backup that left the machine is older than this.
pub const DEFAULT_WARN_DAYS: i64 = 7;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsiteBackup {
    pub at: NaiveDateTime,
    pub path: PathBuf,
}

impl Store {
    /// The last backup written outside the data dir (a USB stick, a share).
    pub fn last_offsite_backup(&self) -> std::result::Result<Option<OffsiteBackup>, StoreError> {
        Ok(self.meta().get(META_LAST_OFFSITE)?.and_then(|v| serde_json::from_slice(&v).ok()))
    }

    fn set_last_offsite_backup(&self, b: &OffsiteBackup) -> std::result::Result<(), StoreError> {
        let v = serde_json::to_vec(b).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.meta().insert(META_LAST_OFFSITE, v)?;
        self.flush()
    }

    /// `Some(days since)` when the header should warn that no backup has
    /// left the machine for more than `max_days`; `Some(i64::MAX)` when none
    /// ever has.
    pub fn offsite_backup_overdue(
        &self,
        now: NaiveDateTime,
        max_days: i64,
    ) -> std::result::Result<Option<i64>, StoreError> {
        Ok(overdue_days(self.last_offsite_backup()?.map(|b| b.at), now, max_days))
    }
}

/// Days since `last` when that is more than `max_days`; `i64::MAX` for never.
pub fn overdue_days(last: Option<NaiveDateTime>, now: NaiveDateTime, max_days: i64) -> Option<i64> {
    match last {
        None => Some(i64::MAX),
        Some(at) => {
            let days = (now.date() - at.date()).num_days();
            (days > max_days).then_some(days)
        }
    }
}

// ---- files ----------------------------------------------------------------------

fn part_name(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.part", std::process::id()))
}

/// Removes temporary files left by a backup that was killed, an hour or
/// more ago (a younger one may belong to a backup still running).
fn remove_stale_parts(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !(name.starts_with('.') && name.ends_with(".part") && name.contains(".jsonl.gz")) {
            continue;
        }
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 3600);
        if old {
            let _ = fs::remove_file(e.path());
        }
    }
}

fn unused_name(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = name.split_once('.').unwrap_or((name, ""));
    (2..).map(|n| dir.join(format!("{stem}-{n}.{ext}"))).find(|p| !p.exists()).unwrap_or(first)
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Makes a rename durable. Not possible (nor needed) on Windows.
pub(crate) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Asks the OS to drop its cached copy, so that reading back reads the
/// disk (a USB stick) rather than memory. Best effort.
fn forget_cached(file: &File) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: a plain advisory call on an open file descriptor we own.
        unsafe {
            libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

fn absolute(p: &Path) -> PathBuf {
    fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Whether `path` lies inside `dir` (both resolved).
fn is_under(path: &Path, dir: &Path) -> bool {
    let p = path.parent().map(absolute).unwrap_or_else(|| absolute(path));
    p.starts_with(absolute(dir))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        assert_eq!(hex(&[0, 15, 255]), "000fff");
        assert_eq!(unhex("000fff"), Some(vec![0, 15, 255]));
        assert_eq!(unhex("0"), None);
        assert_eq!(unhex("zz"), None);
    }

    #[test]
    fn our_gzip_header_is_what_the_encoder_writes() {
        let mut gz = gz_encoder(Vec::new());
        gz.write_all(b"{}\n").unwrap();
        assert_eq!(gz.finish().unwrap()[..10], GZIP_HEADER);
    }

    #[test]
    fn overdue_counts_days() {
        let at = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap().and_hms_opt(9, 0, 0).unwrap();
        assert_eq!(overdue_days(None, at(24), 7), Some(i64::MAX));
        assert_eq!(overdue_days(Some(at(17)), at(24), 7), None);
        assert_eq!(overdue_days(Some(at(16)), at(24), 7), Some(8));
    }

    #[test]
    fn names_are_dated_and_never_reused() {
        let dir = tempfile::tempdir().unwrap();
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(10, 0, 0).unwrap();
        let name = file_name(now, true);
        assert_eq!(name, "linli-backup-20261124-100000.jsonl.gz.age");
        fs::write(dir.path().join(&name), b"x").unwrap();
        assert_eq!(unused_name(dir.path(), &name), dir.path().join("linli-backup-20261124-100000-2.jsonl.gz.age"));
    }
}
