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
//! {"kind":"meta","key":"seq/request/2026","hex":"0000000000000005"}      (every meta entry but the schema version and the last backup's counts)
//! {"kind":"request","data":{…}}                                          (every kind in RecordKind::ALL, in id order)
//! {"kind":"audit","data":{…}}                                            (the audit trail, oldest first)
//! {"end":{"lines":36,"sha256":"…","unreadable":[]}}                     (SHA-256 of every byte before this line)
//! {"sig":"…"}                                                            (format 2: Ed25519 over all before it)
//! ```
//!
//! Format 2 (signed) adds `signer` (the public key and the office) to the
//! manifest, the list of records that could not be read from the store
//! (`unreadable`: kind, key, why) to the end line, and the signature line
//! (see `sign`). Format 1 files (unsigned, no `unreadable`) still verify
//! and restore.
//!
//! Indexes are not in the file: a restore rebuilds them from the records.
//! A kind added to `RecordKind::ALL` is carried without touching this file.
//!
//! # Safety
//!
//! A backup is written under a temporary name in the target folder, synced,
//! read back (from the disk, not the cache: Linux drops the cached pages,
//! Windows reads unbuffered; elsewhere possibly from memory) and
//! verified (its bytes are the ones written: `read::check_written`; each
//! section's lines were counted against the manifest as they were made),
//! and only then renamed to its final name and the folder synced:
//! a file with a final name is always complete. A restore reads the whole
//! backup into a fresh store beside the current one, and only then swaps
//! them, keeping the current store as a safety copy; a journal file lets an
//! interrupted swap be finished at the next start.

use super::audit::AuditEntry;
use super::record::{KindVisitor, Record, RecordKind};
use super::schema::{META_COUNTED, META_REMOVED, META_SCHEMA, SCHEMA_VERSION, seq_key};
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
mod files;
mod offsite;
mod pool;
mod read;
mod restore;
pub mod sign;
mod way_back;
mod write;

pub(crate) use files::sync_dir;
use files::*;
pub use offsite::{DEFAULT_WARN_DAYS, OffsiteBackup, overdue_days};
use read::*;
pub use read::{peek, verify};
pub use restore::{Restored, recover_interrupted_restore, restore, restore_accepting};
pub use sign::{Signer, Trust, office_key, office_signer, trust};
pub use way_back::{Candidate, candidates, store_missing_with_copies};
use write::*;
pub use write::{backup, file_name};

pub const FORMAT_VERSION: u32 = 2;
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

/// A restore was cut short and the next opening of the store finishes it.
pub fn restore_waiting(data_dir: &std::path::Path) -> bool {
    data_dir.join(RESTORE_JOURNAL).exists()
}
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
    /// Lines per section: each record kind's name, `audit` and `meta`
    /// (unreadable records included: the end line lists those).
    pub counts: BTreeMap<String, u64>,
    /// Whose key signs the file (format 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<Signer>,
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
    /// Who signed it, once the signature is checked (`None`: format 1).
    pub signer: Option<Signer>,
    /// Records the store could not read when the backup was made: left
    /// out of it, named here.
    pub unreadable: Vec<Unreadable>,
}

/// A record left out of a copy because the store could not read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unreadable {
    pub kind: String,
    pub key: u64,
    pub why: String,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.kind, self.key)
    }
}

/// Why a backup could not be made, verified or restored. Each has its own
/// message in `i18n::backup_error`.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} does not exist")]
    Missing(PathBuf),
    /// The folder a backup was to be written into does not exist.
    #[error("the folder {0} does not exist")]
    MissingFolder(PathBuf),
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
    /// The signature does not match what the file holds: edited.
    #[error("the backup's signature does not match (it was changed)")]
    BadSignature,
    /// Signed by another data dir's key: restore only once the user has
    /// confirmed it.
    #[error("the backup is signed by another key ({})", .0.fingerprint())]
    ForeignSigner(Signer),
    /// The disk the backup goes to is full.
    #[error("the disk holding {0} is full")]
    TargetFull(PathBuf),
    /// `--to` names an existing file that is not a linli backup.
    #[error("{0} exists and is not a linli backup")]
    TargetNotBackup(PathBuf),
    /// `--to` names something that is neither a folder nor a regular file.
    #[error("{0} is not a regular file or a folder")]
    TargetNotFile(PathBuf),
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

/// Phase timings of a backup or restore on standard error, when
/// `LINLI_TIMING` is set (for profiling: BENCHMARKS.md).
pub(super) struct Laps {
    on: bool,
    at: std::time::Instant,
}

impl Laps {
    pub(super) fn start() -> Laps {
        Laps { on: std::env::var_os("LINLI_TIMING").is_some(), at: std::time::Instant::now() }
    }

    pub(super) fn lap(&mut self, what: &str) {
        if self.on {
            let now = std::time::Instant::now();
            eprintln!("timing {what}: {:.0} ms", (now - self.at).as_secs_f64() * 1000.0);
            self.at = now;
        }
    }
}

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
    fn reading_ahead_gives_every_byte_and_each_error_with_its_kind() {
        let bytes: Vec<u8> = (0..700_000u32).map(|i| (i % 251) as u8).collect();
        let mut out = Vec::new();
        Ahead::spawn(io::Cursor::new(bytes.clone())).read_to_end(&mut out).unwrap();
        assert_eq!(out, bytes);
        // cut short after some bytes: the bytes, then the same error kind
        // (what tells a truncated backup from a damaged one)
        let cut = io::Cursor::new(bytes[..300_000].to_vec())
            .chain(io::Cursor::new(Vec::new()))
            .chain(Failing(io::ErrorKind::UnexpectedEof));
        let mut r = Ahead::spawn(cut);
        let mut got = vec![0u8; 300_000];
        r.read_exact(&mut got).unwrap();
        assert_eq!(got, bytes[..300_000]);
        assert_eq!(r.read(&mut [0u8; 16]).unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
        let mut r = Ahead::spawn(Failing(io::ErrorKind::InvalidData));
        assert_eq!(r.read_to_end(&mut Vec::new()).unwrap_err().kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn a_backup_read_back_must_hold_the_very_bytes_written() {
        let dir = tempfile::tempdir().unwrap();
        let key = office_key(dir.path()).unwrap();
        let manifest = Manifest {
            linli_backup: FORMAT_VERSION,
            app_version: "test".into(),
            schema_version: SCHEMA_VERSION,
            created_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(10, 0, 0).unwrap(),
            operator: None,
            counts: BTreeMap::from([(SECTION_META.to_string(), 20_000)]),
            signer: Some(key.signer.clone()),
        };
        let write = |path: &Path| {
            let (tx, rx) = mpsc::sync_channel(4);
            let mut first = serde_json::to_vec(&manifest).unwrap();
            first.push(b'\n');
            tx.send(first).unwrap();
            let body: Vec<u8> = (0..20_000u32)
                .flat_map(|i| {
                    let v = i.wrapping_mul(2_654_435_761);
                    format!("{{\"kind\":\"meta\",\"key\":\"k{i}\",\"hex\":\"{v:08x}\"}}\n").into_bytes()
                })
                .collect();
            tx.send(body).unwrap();
            drop(tx);
            let file = File::create(path).unwrap();
            let out = Out::Plain(BufWriter::new(Hashed::new(file)));
            let (out, unreadable) = compress(rx, out, &key, || (20_001, Vec::new())).unwrap();
            let (_, sha256, bytes) = out.finish().unwrap().finish();
            Written { sha256, bytes, unreadable }
        };
        let path = dir.path().join("b.jsonl.gz");
        let written = write(&path);
        let check = |written: &Written| check_written(&path, &manifest, false, written, |_| {});
        let info = check(&written).unwrap();
        assert_eq!((info.manifest, info.signer), (manifest.clone(), manifest.signer.clone()));
        // and the file is a whole backup: verify reads every line of it
        verify(&path, None, |_, _| {}).unwrap();
        let good = fs::read(&path).unwrap();
        assert_eq!(written.bytes, good.len() as u64);
        // a bit flipped on the way to the disk, anywhere; a byte lost
        for at in [0, 9, good.len() / 3, good.len() / 2, good.len() - 40, good.len() - 1] {
            let mut bad = good.clone();
            bad[at] ^= 0x10;
            fs::write(&path, &bad).unwrap();
            assert!(matches!(check(&written), Err(BackupError::Corrupted(_))), "a flipped bit at byte {at} passed");
        }
        fs::write(&path, &good[..good.len() - 1]).unwrap();
        assert!(matches!(check(&written), Err(BackupError::Corrupted(_))));
        // whole and readable, but not the bytes the writer counted
        fs::write(&path, &good).unwrap();
        let other = Written { sha256: [7; 32], bytes: written.bytes, unreadable: Vec::new() };
        assert!(matches!(check(&other), Err(BackupError::Corrupted(_))));
        let longer = Written { sha256: written.sha256, bytes: written.bytes + 1, unreadable: Vec::new() };
        assert!(matches!(check(&longer), Err(BackupError::Corrupted(_))));
    }

    /// 300 residents and 1,200 requests (the store must not use `demo`).
    fn office(today: chrono::NaiveDate) -> crate::store::bulk::CoreSet {
        use crate::domain::request::{Channel, NewRequest, Urgency};
        use crate::domain::{Categories, Request, Resident, ResidentId, WorkCalendar};
        let cal = WorkCalendar::builtin();
        let cats = Categories::default();
        let residents: Vec<Resident> = (1..=300).map(|i| Resident::new(ResidentId(i), &format!("居民{i}"))).collect();
        let requests: Vec<Request> = (1..=1_200)
            .map(|i| {
                let new = NewRequest {
                    channel: Channel::Phone,
                    category: "环境卫生".into(),
                    title: format!("第{i}号楼道堆放杂物"),
                    description: "居民反映楼道里堆放杂物，影响通行，希望尽快清理。".repeat(3),
                    location: String::new(),
                    resident: Some(ResidentId(1 + i % 300)),
                    urgency: Urgency::Normal,
                    work_order: String::new(),
                    hotline_due: None,
                };
                let at = today.and_hms_opt(9, 0, 0).unwrap();
                Request::create(RequestId::new(2026, i), new, WorkerId(1), at, cats.limit_of("环境卫生"), &cal)
            })
            .collect();
        crate::store::bulk::CoreSet { workers: Vec::new(), residents, requests }
    }

    #[test]
    fn counts_a_backup_saved_stay_right_across_saves_undo_and_restore() {
        use crate::domain::{Resident, ResidentId};
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let at = today.and_hms_opt(10, 0, 0).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.bulk_load(&office(today)).unwrap();
        let counted_whole = |store: &Store| Plan::new(store, false).unwrap().counts;
        let from_saved = |store: &Store| {
            let plan = Plan::new(store, true).unwrap();
            (plan.counts, plan.saved)
        };
        assert!(!from_saved(&store).1, "nothing saved before the first backup");
        let first = store.create(None, at, |id| Resident::new(ResidentId(id), "新居民甲")).unwrap();
        let made_first = store.take_last_change();
        store.create(None, at, |id| Resident::new(ResidentId(id), "新居民乙")).unwrap();
        let b = backup(&store, out.path(), at, &BackupOptions::default(), |_, _| {}).unwrap();
        assert!(store.meta().get(META_COUNTED).unwrap().is_some());
        // the saved counts are not part of the backup
        let mut text = String::new();
        flate2::read::GzDecoder::new(File::open(&b.path).unwrap()).read_to_string(&mut text).unwrap();
        assert!(!text.contains("backup/counted"));
        assert_eq!(b.manifest.count("resident"), 302);

        // saves since: a new resident, an edited request, their audit entries
        store.create(None, at, |id| Resident::new(ResidentId(id), "新居民丙")).unwrap();
        let mut r: crate::domain::Request = store.first().unwrap().unwrap();
        r.title = "改过的标题".into();
        store.update(&r, WorkerId(1), at).unwrap();
        let (counts, saved) = from_saved(&store);
        assert!(saved);
        assert_eq!(counts, counted_whole(&store));
        assert_eq!(counts["resident"], 303);

        // an undone creation below the saved last key: removed, so the
        // saved counts no longer hold (this fails if undo does not say so)
        store.undo(&made_first, WorkerId(1), at).unwrap();
        assert!(store.resident(first.id).unwrap().is_none());
        assert_eq!(from_saved(&store).0, counted_whole(&store));
        assert_eq!(counted_whole(&store)["resident"], 302);
        let b = backup(&store, out.path(), at, &BackupOptions::default(), |_, _| {}).unwrap();
        assert_eq!(b.manifest.counts, counted_whole(&store));
        assert_eq!(verify(&b.path, None, |_, _| {}).unwrap().manifest, b.manifest);

        // saved counts that are wrong (written by hand): the backup is made
        // again with everything counted, and right
        let wrong = serde_json::to_vec(&Counted {
            removed: store.meta().get(META_REMOVED).unwrap().and_then(|v| codec::id_of(&v)).unwrap_or(0),
            sections: vec![(
                "request".into(),
                store.trees[tree_of(RecordKind::Request)].last().unwrap().map(|(k, _)| k.to_vec()),
                7,
            )],
        })
        .unwrap();
        store.meta().insert(META_COUNTED, wrong).unwrap();
        assert_eq!(from_saved(&store).0["request"], 7);
        let b = backup(&store, out.path(), at, &BackupOptions::default(), |_, _| {}).unwrap();
        assert_eq!(b.manifest.count("request"), 1_200);
        assert_eq!(verify(&b.path, None, |_, _| {}).unwrap().manifest, b.manifest);
        assert_eq!(from_saved(&store).0, counted_whole(&store));
        drop(store);

        // a restore: not the source store's saved counts (not in the file)
        let target = tempfile::tempdir().unwrap();
        let key = b.signer.as_ref().map(|s| s.key.clone());
        restore_accepting(&b.path, target.path(), None, at, key.as_deref(), |_, _| {}).unwrap();
        let restored = Store::open(target.path()).unwrap();
        // the restore keeps the counts of what it loaded: the next backup
        // counts nothing again
        let (counts, saved) = from_saved(&restored);
        assert!(saved);
        assert_eq!(counts, counted_whole(&restored));
        assert_eq!(counts["request"], 1_200);
        let again = backup(&restored, out.path(), at, &BackupOptions::default(), |_, _| {}).unwrap();
        assert_eq!(again.manifest.counts, counted_whole(&restored));
    }

    #[test]
    fn lines_made_on_the_pool_are_counted_against_the_manifest() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let data = office(today);
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.bulk_load(&data).unwrap();
        let key = office_key(dir.path()).unwrap();
        let write = |plan: &Plan| {
            let manifest = Manifest {
                linli_backup: FORMAT_VERSION,
                app_version: "test".into(),
                schema_version: SCHEMA_VERSION,
                created_at: today.and_hms_opt(10, 0, 0).unwrap(),
                operator: None,
                counts: plan.counts.clone(),
                signer: Some(key.signer.clone()),
            };
            let path = dir.path().join("b.jsonl.gz");
            let _ = fs::remove_file(&path);
            let file = File::create(&path).unwrap();
            write_file(&store, plan, &manifest, &key, file, &BackupOptions::default(), |_| {}).map(|_| path)
        };
        let mut plan = Plan::new(&store, false).unwrap();
        assert!(plan.counts["request"] >= 1_000, "{:?}", plan.counts);
        let path = write(&plan).unwrap();
        assert_eq!(verify(&path, None, |_, _| {}).unwrap().manifest.counts, plan.counts);
        // a request gone since the counting (or a chunk lost on the way):
        // the lines made differ from the manifest, and the backup is refused
        *plan.counts.get_mut("request").unwrap() += 1;
        let e = write(&plan).unwrap_err();
        assert!(matches!(&e, BackupError::Corrupted(m) if m.contains("counts")), "{e:?}");
    }

    struct Failing(io::ErrorKind);

    impl Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::new(self.0, "test"))
        }
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
