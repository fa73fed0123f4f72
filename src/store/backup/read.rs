//! Reading a backup: opening (decrypting, decompressing), the manifest,
//! and checking every line against the end's count and SHA-256.

use super::*;

/// Reads a backup through and checks everything: the checksum, that it is
/// complete, that every record decodes, that the counts match. Returns what
/// it holds. Nothing is written anywhere.
pub fn verify(path: &Path, passphrase: Option<&str>, progress: impl FnMut(u64, u64)) -> Result<BackupInfo> {
    verify_file(path, passphrase, progress)
}

pub(super) fn verify_file(path: &Path, passphrase: Option<&str>, progress: impl FnMut(u64, u64)) -> Result<BackupInfo> {
    // checking needs every record parsed, not encoded for a store
    read_backup(path, passphrase, false, progress, |_| Ok(()))
}

/// Reads a backup just written back from the disk (see
/// `files::open_from_disk`: not from the system's cache where that can be
/// avoided) and checks that it holds exactly the bytes written: their
/// SHA-256 and number, counted as they went to the file. A byte changed
/// or lost on the way to the disk is caught. What the bytes say was made
/// by this linli from the store a moment ago and is not parsed again here:
/// the manifest's counts were checked against the lines as they were made
/// (`write_file`), and the end line's checksum and the signature were
/// computed over those very lines. Decompressing and parsing every record
/// again took 1.1–1.4 s of a 5 s backup of the large set (BENCHMARKS.md,
/// issue 19, fifth pass); `verify` still reads every record.
pub(super) fn check_written(
    path: &Path,
    manifest: &Manifest,
    encrypted: bool,
    written: &Written,
    mut progress: impl FnMut(u64),
) -> Result<BackupInfo> {
    let mut file = open_from_disk(path).map_err(|e| StoreError::at(path, &e))?;
    let mut hash = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut bytes = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(StoreError::at(path, &e).into()),
        };
        hash.update(&buf[..n]);
        bytes += n as u64;
        progress(bytes.min(written.bytes));
    }
    if bytes != written.bytes || hash.finalize()[..] != written.sha256[..] {
        return Err(BackupError::Corrupted("the file read back differs from what was written".into()));
    }
    Ok(BackupInfo {
        path: path.to_path_buf(),
        manifest: manifest.clone(),
        encrypted,
        bytes,
        signer: manifest.signer.clone(),
        unreadable: written.unreadable.clone(),
    })
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
pub(super) struct LineIn<'a> {
    #[serde(borrow, default)]
    pub(super) kind: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(super) data: Option<&'a RawValue>,
    #[serde(default)]
    pub(super) key: Option<String>,
    #[serde(default)]
    pub(super) hex: Option<String>,
    #[serde(default)]
    pub(super) end: Option<End>,
}

/// A decoded item handed to a restore.
pub(super) enum Item {
    Meta(Vec<u8>, Vec<u8>),
    /// Kind, key, stored bytes, index links (index, owner), and the record
    /// itself when the search index is made of it (a request or a
    /// resident, in a restore).
    Record(RecordKind, u64, sled::IVec, Vec<(&'static str, u64)>, Option<Searched>),
    /// Stored bytes, and the record it is about (its audit owner).
    Audit(sled::IVec, u64),
}

/// A record the search index is made of, as the restore read it.
pub(super) enum Searched {
    Request(Box<crate::domain::Request>),
    Resident(Box<crate::domain::Resident>),
}

impl Searched {
    /// The record if it is one the index is made of (and `R` is known only
    /// as a kind: the type is checked at run time).
    fn of<R: Record>(r: R) -> Option<Searched> {
        if !matches!(R::KIND, RecordKind::Request | RecordKind::Resident) {
            return None;
        }
        let any: Box<dyn std::any::Any> = Box::new(r);
        match any.downcast::<crate::domain::Request>() {
            Ok(r) => Some(Searched::Request(r)),
            Err(any) => any.downcast::<crate::domain::Resident>().ok().map(Searched::Resident),
        }
    }
}

/// A backup opened for reading lines: decrypted if needed, decompressed.
pub(super) struct Opened {
    pub(super) lines: Box<dyn BufRead>,
    pub(super) encrypted: bool,
    /// Whether the gzip header is the one we write.
    pub(super) header_ok: bool,
}

pub(super) fn open_lines(path: &Path, passphrase: Option<&str>) -> Result<Opened> {
    let file = match open_from_disk(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(BackupError::Missing(path.to_path_buf())),
        Err(e) => return Err(StoreError::at(path, &e).into()),
    };
    let mut raw = BufReader::with_capacity(256 * 1024, file);
    let head = raw.fill_buf()?.to_vec();
    let starts = |magic: &[u8]| {
        let n = head.len().min(magic.len());
        head[..n] == magic[..n]
    };
    let (source, encrypted): (Box<dyn BufRead + Send>, bool) = if head.len() >= AGE_MAGIC.len() && starts(AGE_MAGIC) {
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
    Ok(Opened { lines: Box::new(BufReader::with_capacity(256 * 1024, Ahead::spawn(gz))), encrypted, header_ok })
}

/// Decompressed bytes read on a thread of their own, a few chunks ahead of
/// the reader: decompressing and checking the lines run on both cores.
/// Errors arrive in order, with their kind (cut short, damaged) intact.
pub(super) struct Ahead {
    rx: mpsc::Receiver<io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    at: usize,
    ended: bool,
}

const AHEAD_CHUNK: usize = 256 * 1024;

impl Ahead {
    pub(super) fn spawn(mut inner: impl Read + Send + 'static) -> Ahead {
        let (tx, rx) = mpsc::sync_channel(4);
        std::thread::spawn(move || {
            loop {
                let mut buf = vec![0u8; AHEAD_CHUNK];
                let mut n = 0;
                let got = loop {
                    match inner.read(&mut buf[n..]) {
                        Ok(0) => break Ok(()),
                        Ok(k) => {
                            n += k;
                            if n == buf.len() {
                                break Ok(());
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => break Err(e),
                    }
                };
                buf.truncate(n);
                let last = n == 0 || got.is_err();
                if n > 0 && tx.send(Ok(buf)).is_err() {
                    return;
                }
                if let Err(e) = got {
                    let _ = tx.send(Err(e));
                }
                // the end: an empty chunk says so (a dropped sender alone
                // could be a thread that died)
                if last {
                    let _ = tx.send(Ok(Vec::new()));
                    return;
                }
            }
        });
        Ahead { rx, chunk: Vec::new(), at: 0, ended: false }
    }
}

impl Read for Ahead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at == self.chunk.len() {
            if self.ended {
                return Ok(0);
            }
            match self.rx.recv() {
                Ok(Ok(chunk)) => {
                    self.chunk = chunk;
                    self.at = 0;
                }
                Ok(Err(e)) => return Err(e),
                // the reading thread is gone without saying the end
                Err(_) => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "reading stopped")),
            }
            if self.chunk.is_empty() {
                self.ended = true;
                return Ok(0);
            }
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// A gzip decoder that refuses bytes after the end of the stream.
pub(super) struct GzCheck {
    pub(super) gz: Option<flate2::bufread::GzDecoder<Box<dyn BufRead + Send>>>,
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

pub(super) fn age_error(e: age::DecryptError) -> BackupError {
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
pub(super) fn read_error(e: io::Error) -> BackupError {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => BackupError::Truncated,
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => BackupError::Corrupted(e.to_string()),
        _ => BackupError::from(e),
    }
}

/// Reads one line (with its newline). `Ok(false)` at the end of the data.
pub(super) fn next_line(lines: &mut dyn BufRead, buf: &mut Vec<u8>) -> Result<bool> {
    buf.clear();
    let n = lines.read_until(b'\n', buf).map_err(read_error)?;
    Ok(n > 0)
}

pub(super) fn read_manifest(lines: &mut dyn BufRead, first: &mut Vec<u8>) -> Result<Manifest> {
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
/// item to `sink`, in the order of the file.
///
/// This thread reads the lines and hashes them; the record lines are parsed
/// (and, for a restore, encoded) in chunks on [`pool::threads`] threads and
/// handed to `sink` in order. The first error in the file is the one
/// reported, as when one thread read it all: a chunk's results are taken
/// before anything read after it is judged.
pub(super) fn read_backup(
    path: &Path,
    passphrase: Option<&str>,
    encode: bool,
    progress: impl FnMut(u64, u64),
    sink: impl FnMut(Item) -> Result<()>,
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
    let schema = manifest.schema_version;
    let mut taken = Taken { seen: BTreeMap::new(), done: 0, total: manifest.total().max(1), progress, sink };
    let unreadable = std::thread::scope(|scope| -> Result<Vec<Unreadable>> {
        let mut pool = pool::Ordered::spawn(
            scope,
            pool::threads(),
            move |chunk: Chunk| chunk.parse(schema, encode),
            || Err(BackupError::Corrupted("reading the records stopped".into())),
        );
        let mut n_lines = 1u64;
        let mut chunk = Chunk::new(n_lines);
        loop {
            let start = chunk.bytes.len();
            let read = lines.read_until(b'\n', &mut chunk.bytes).map_err(read_error);
            let complete = matches!(read, Ok(n) if n > 0) && chunk.bytes.last() == Some(&b'\n');
            if complete && chunk.bytes[start..].starts_with(RECORD_LINE) {
                hash.update(&chunk.bytes[start..]);
                chunk.ends.push(chunk.bytes.len());
                n_lines += 1;
                if chunk.bytes.len() >= PARSE_CHUNK {
                    let full = std::mem::replace(&mut chunk, Chunk::new(n_lines));
                    if let Some(r) = pool.push(full) {
                        taken.items(r?)?;
                    }
                }
                continue;
            }
            // not a record line (the end line, a cut or a damaged one): what
            // came before it is judged first, in order
            line = chunk.bytes.split_off(start);
            if !chunk.ends.is_empty() {
                let full = std::mem::replace(&mut chunk, Chunk::new(n_lines));
                if let Some(r) = pool.push(full) {
                    taken.items(r?)?;
                }
            }
            while let Some(r) = pool.take() {
                taken.items(r?)?;
            }
            read?;
            if !complete {
                return Err(BackupError::Truncated);
            }
            let parsed: LineIn = serde_json::from_slice(&line).map_err(|e| bad(n_lines, &e.to_string()))?;
            if let Some(end) = parsed.end {
                let sum = hex(&hash.clone().finalize());
                if end.sha256 != sum || end.lines != n_lines {
                    return Err(BackupError::Corrupted("checksum does not match".into()));
                }
                hash.update(&line);
                break Ok(end.unreadable);
            }
            // a record line written otherwise than linli writes them (the
            // kind not first): parsed here, in its place
            let item = item_of(parsed, n_lines, schema, encode)?;
            hash.update(&line);
            n_lines += 1;
            chunk.first = n_lines;
            taken.items(vec![item])?;
        }
    })?;
    let Taken { mut seen, mut progress, total, .. } = taken;
    // format 2: the signature over every byte before it, by the key the
    // manifest names (an edited file re-signed with another key is told
    // apart by that key: see `sign::trust`)
    let signer = if manifest.linli_backup >= 2 {
        let Some(signer) = &manifest.signer else {
            return Err(BackupError::BadSignature);
        };
        if !next_line(&mut lines, &mut line)? || line.last() != Some(&b'\n') {
            return Err(BackupError::Truncated);
        }
        let sig: SigLine = serde_json::from_slice(&line).map_err(|_| BackupError::BadSignature)?;
        if !sign::verify_signature(signer, &hash.finalize(), &sig.sig) {
            return Err(BackupError::BadSignature);
        }
        Some(signer.clone())
    } else {
        None
    };
    // nothing may follow the last line, and the stream must end properly
    if next_line(&mut lines, &mut line)? {
        return Err(BackupError::Corrupted("data after the end line".into()));
    }
    for u in &unreadable {
        *seen.entry(u.kind.clone()).or_default() += 1;
    }
    seen.retain(|_, n| *n > 0);
    let mut claimed = manifest.counts.clone();
    claimed.retain(|_, n| *n > 0);
    if seen != claimed {
        return Err(BackupError::Corrupted("record counts differ from the manifest".into()));
    }
    progress(total, total);
    let bytes = fs::metadata(path)?.len();
    Ok(BackupInfo { path: path.to_path_buf(), manifest, encrypted, bytes, signer, unreadable })
}

/// How every record line linli writes begins (meta lines too); any other
/// line is judged by the reading thread itself.
const RECORD_LINE: &[u8] = b"{\"kind\":\"";

/// Bytes of lines parsed as one chunk.
const PARSE_CHUNK: usize = 128 * 1024;

/// Record lines read, to be parsed on a pool thread.
pub(super) struct Chunk {
    /// The line number before the first line here (for messages).
    first: u64,
    bytes: Vec<u8>,
    /// Where each line ends in `bytes`.
    ends: Vec<usize>,
}

impl Chunk {
    fn new(first: u64) -> Chunk {
        Chunk { first, bytes: Vec::with_capacity(PARSE_CHUNK + 16 * 1024), ends: Vec::with_capacity(1024) }
    }

    /// Every line's item, or the first line's error.
    fn parse(self, schema: u32, encode: bool) -> Result<Vec<Item>> {
        let mut items = Vec::with_capacity(self.ends.len());
        let mut at = 0;
        for (i, &end) in self.ends.iter().enumerate() {
            let n_lines = self.first + i as u64;
            let line = &self.bytes[at..end];
            at = end;
            // (a line the quick way does not read, say with a field more,
            // is read the whole way: it is refused or taken as before)
            if let Some((kind, data)) = record_line(line)
                && let Ok(item) = record_item(kind, data, n_lines, schema, encode)
            {
                items.push(item);
                continue;
            }
            let parsed: LineIn = serde_json::from_slice(line).map_err(|e| bad(n_lines, &e.to_string()))?;
            if parsed.end.is_some() {
                // linli writes the end line on its own, never with a kind
                return Err(bad(n_lines, "an end inside a record line"));
            }
            items.push(item_of(parsed, n_lines, schema, encode)?);
        }
        Ok(items)
    }
}

/// The item a parsed record or meta line holds (`n_lines`: the lines
/// before it, for messages).
fn item_of(parsed: LineIn, n_lines: u64, schema: u32, encode: bool) -> Result<Item> {
    let section = parsed.kind.as_deref().ok_or_else(|| bad(n_lines, "no kind"))?;
    Ok(match (section, parsed.data) {
        (SECTION_META, _) => {
            let key = parsed.key.ok_or_else(|| bad(n_lines, "meta without key"))?;
            let value = unhex(parsed.hex.as_deref().unwrap_or("")).ok_or_else(|| bad(n_lines, "bad hex"))?;
            Item::Meta(key.into_bytes(), value)
        }
        (SECTION_AUDIT, Some(data)) => {
            let e: AuditEntry =
                parse_data(SECTION_AUDIT, data.get().as_bytes(), schema).map_err(|e| bad(n_lines, &e))?;
            let owner = crate::store::audit_owner(e.kind, e.key);
            Item::Audit(if encode { codec::encode_fast(&e).into() } else { sled::IVec::default() }, owner)
        }
        (name, Some(data)) => {
            let kind = RecordKind::parse(name).ok_or_else(|| bad(n_lines, &format!("unknown kind {name}")))?;
            record_item(kind, data.get().as_bytes(), n_lines, schema, encode)?
        }
        (_, None) => return Err(bad(n_lines, "no data")),
    })
}

/// The item of a record line of `kind` whose data is `data`.
fn record_item(kind: RecordKind, data: &[u8], n_lines: u64, schema: u32, encode: bool) -> Result<Item> {
    let (key, bytes, index, searched) = kind.visit(Decode { data, schema, encode }).map_err(|e| bad(n_lines, &e))?;
    Ok(Item::Record(kind, key, bytes, index, searched))
}

/// A record line exactly as linli writes it, `{"kind":"<kind>","data":<data>}`
/// and its newline: the kind and the data's bytes, read without parsing
/// the line as a whole (which would go over the data twice: once to find
/// where it ends, once to read it). The data is then parsed as one JSON
/// value with nothing after it, so the line is valid JSON when the data
/// is. Any other line (meta, audit, other spacing) is `None`.
fn record_line(line: &[u8]) -> Option<(RecordKind, &[u8])> {
    let rest = line.strip_prefix(RECORD_LINE)?;
    let quote = rest.iter().position(|&b| b == b'"')?;
    let kind = RecordKind::parse(std::str::from_utf8(&rest[..quote]).ok()?)?;
    let data = rest[quote..].strip_prefix(b"\",\"data\":")?;
    let data = data.strip_suffix(b"}\n")?;
    Some((kind, data))
}

impl Item {
    /// The section of the file the item was in.
    pub(super) fn section(&self) -> &'static str {
        match self {
            Item::Meta(..) => SECTION_META,
            Item::Audit(..) => SECTION_AUDIT,
            Item::Record(kind, ..) => kind.name(),
        }
    }
}

/// The items handed on so far, counted by section.
struct Taken<P, S> {
    seen: BTreeMap<String, u64>,
    done: u64,
    total: u64,
    progress: P,
    sink: S,
}

impl<P: FnMut(u64, u64), S: FnMut(Item) -> Result<()>> Taken<P, S> {
    fn items(&mut self, items: Vec<Item>) -> Result<()> {
        for item in items {
            *self.seen.entry(item.section().to_string()).or_default() += 1;
            (self.sink)(item)?;
            self.done += 1;
            if self.done.is_multiple_of(4096) {
                (self.progress)(self.done, self.total);
            }
        }
        Ok(())
    }
}

pub(super) fn bad(lines_before: u64, what: &str) -> BackupError {
    BackupError::Corrupted(format!("line {}: {what}", lines_before + 1))
}

/// Decodes one record line into its stored form.
pub(super) struct Decode<'a> {
    /// The record's JSON.
    pub(super) data: &'a [u8],
    pub(super) schema: u32,
    /// Whether to encode it for a store (a restore) or only parse it (a
    /// verify: the bytes are left empty).
    pub(super) encode: bool,
}

impl KindVisitor for Decode<'_> {
    type Out = std::result::Result<(u64, sled::IVec, Vec<(&'static str, u64)>, Option<Searched>), String>;
    fn visit<R: Record>(self) -> Self::Out {
        let r: R = parse_data(R::KIND.name(), self.data, self.schema)?;
        // the fastest deflate: a restore writes every record at once (the
        // store reads any level; an edit later writes the default one);
        // made sled's own here, on the pool, not on the writing thread
        let bytes = if self.encode { codec::encode_fast(&r).into() } else { sled::IVec::default() };
        let (key, links) = (r.key(), r.links());
        // a restore builds the search index from the records as read
        // instead of reading the new store back
        let searched = if self.encode { Searched::of(r) } else { None };
        Ok((key, bytes, links, searched))
    }
}

/// A record from a backup written under `schema`, brought up to the
/// current schema.
pub(super) fn parse_data<T: serde::de::DeserializeOwned>(
    section: &str,
    data: &[u8],
    schema: u32,
) -> std::result::Result<T, String> {
    if schema == SCHEMA_VERSION {
        return serde_json::from_slice(data).map_err(|e| e.to_string());
    }
    let mut value: serde_json::Value = serde_json::from_slice(data).map_err(|e| e.to_string())?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_lines_as_linli_writes_them_are_read_the_quick_way_and_no_others() {
        let line = b"{\"kind\":\"request\",\"data\":{\"id\":1,\"t\":\"}\"}}\n";
        assert_eq!(record_line(line), Some((RecordKind::Request, &b"{\"id\":1,\"t\":\"}\"}"[..])));
        for other in [
            &b"{\"kind\":\"meta\",\"key\":\"k\",\"hex\":\"00\"}\n"[..],
            b"{\"kind\":\"audit\",\"data\":{}}\n",
            b"{\"kind\":\"nope\",\"data\":{}}\n",
            b"{\"kind\":\"request\",\"data\":{}}",
            b"{\"kind\":\"request\", \"data\":{}}\n",
            b"{\"data\":{},\"kind\":\"request\"}\n",
            b"{\"end\":{\"lines\":3}}\n",
        ] {
            assert_eq!(record_line(other), None, "{}", String::from_utf8_lossy(other));
        }
    }
}
