//! sled's segment size: a new store gets the small segments, every store
//! made before keeps its own (sled refuses any other), and a `conf` that
//! cannot be read never makes a store be read at a wrong size or made anew.

use crate::support::{at, fixture_dir, resident};
use linli::demo::Dataset;
use linli::domain::{Resident, ResidentId};
use linli::store::{Store, StoreError};
use std::path::Path;

const OLD: &str = "segment_size: 524288";
const NEW: &str = "segment_size: 262144";

fn first_line(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    String::from_utf8_lossy(bytes.split(|b| *b == b'\n').next().unwrap()).into_owned()
}

/// Residents enough to fill several segments of either size (~400 KB of log).
fn many(n: u64) -> Vec<Resident> {
    with_notes(n, 2)
}

/// `n` residents, each with a note of `notes` sentences (~30 bytes each).
fn with_notes(n: u64, notes: usize) -> Vec<Resident> {
    (1..=n)
        .map(|i| {
            let mut r = resident(&format!("居民{i}"), &format!("138{i:08}"), "幸福小区 3-2-301", &["独居老人"]);
            r.id = ResidentId(i);
            r.notes = "楼道灯不亮，多次报修，需要上门查看。".repeat(notes);
            r
        })
        .collect()
}

/// A store as stop 28's linli left it: sled's default 512 KiB segments,
/// the marker without a size, 3,000 residents and one worker.
fn stop_28_store(dir: &Path) -> Vec<Resident> {
    drop(sled::Config::new().path(dir.join("store")).segment_size(512 * 1024).open().unwrap());
    let residents = many(3000);
    let store = Store::open(dir).unwrap();
    store.bulk_load(&Dataset { workers: vec![], residents: residents.clone(), requests: vec![] }).unwrap();
    store.create_worker("李娜", "网格员", None, at(2026, 11, 1, 9, 0)).unwrap();
    drop(store);
    std::fs::write(dir.join("store").join("linli-store"), "linli store\n").unwrap();
    assert_eq!(first_line(&dir.join("store").join("conf")), OLD);
    assert!(std::fs::metadata(dir.join("store").join("db")).unwrap().len() > 3 * 512 * 1024);
    residents
}

/// Reads everything back, writes a resident, reopens and reads it back.
fn reads_and_writes(dir: &Path, residents: &[Resident]) {
    let store = Store::open(dir).unwrap();
    assert_eq!(store.residents().unwrap(), residents);
    assert_eq!(store.workers().unwrap().len(), 1);
    let li = store.workers().unwrap()[0].id;
    let new =
        store.create_resident(&resident("新来的", "13900001111", "锦绣花园 2-3-601", &[]), li, at(2026, 11, 24, 10, 0));
    let new = new.unwrap();
    drop(store);
    let store = Store::open(dir).unwrap();
    assert_eq!(store.residents().unwrap().len(), residents.len() + 1);
    assert_eq!(store.resident(new.id).unwrap().map(|r| r.name), Some("新来的".to_string()));
    drop(store);
}

#[test]
fn a_store_made_with_512k_segments_opens_reads_and_writes_as_before() {
    let dir = fixture_dir();
    let residents = stop_28_store(dir.path());
    reads_and_writes(dir.path(), &residents);
    let store = dir.path().join("store");
    assert_eq!(first_line(&store.join("conf")), OLD, "the store keeps its own size");
    // and the old fixture of schema 1, made by linli 0.1
    let old = fixture_dir();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/fixtures/v1-office/store");
    std::fs::create_dir_all(old.path().join("store")).unwrap();
    for f in ["conf", "db"] {
        std::fs::copy(src.join(f), old.path().join("store").join(f)).unwrap();
    }
    let s = Store::open(old.path()).unwrap();
    let mut n = 0;
    s.scan_requests(|_| n += 1).unwrap();
    assert!(n > 0);
    drop(s);
    assert_eq!(first_line(&old.path().join("store").join("conf")), OLD);
}

#[test]
fn a_new_store_gets_256k_segments_named_in_sleds_conf_and_the_marker() {
    let dir = fixture_dir();
    drop(Store::open(dir.path()).unwrap());
    let store = dir.path().join("store");
    assert_eq!(first_line(&store.join("conf")), NEW);
    assert_eq!(std::fs::read_to_string(store.join("linli-store")).unwrap(), format!("linli store, {NEW}\n"));
    // bulk-loaded, reopened: still its own size, everything there
    let residents = many(3000);
    let s = Store::open(dir.path()).unwrap();
    s.bulk_load(&Dataset { workers: vec![], residents: residents.clone(), requests: vec![] }).unwrap();
    drop(s);
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.residents().unwrap(), residents);
    drop(s);
    assert_eq!(first_line(&store.join("conf")), NEW);
}

/// sled's `conf` lost or cut to nothing: the log is read at the size it was
/// written in (512 KiB for a store with an old marker, the marker's size for
/// a new one), never as a new store at the new size.
#[test]
fn a_lost_conf_reads_the_log_at_its_own_size() {
    let dir = fixture_dir();
    let residents = stop_28_store(dir.path());
    let conf = dir.path().join("store").join("conf");
    std::fs::remove_file(&conf).unwrap();
    reads_and_writes(dir.path(), &residents);
    assert_eq!(first_line(&conf), OLD, "sled wrote it again at the store's size");
    std::fs::write(&conf, b"").unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.residents().unwrap().len(), residents.len() + 1);
    drop(s);

    // a new store whose conf is lost: the marker names its size
    let new = fixture_dir();
    let residents = many(3000);
    let s = Store::open(new.path()).unwrap();
    s.bulk_load(&Dataset { workers: vec![], residents: residents.clone(), requests: vec![] }).unwrap();
    drop(s);
    std::fs::remove_file(new.path().join("store").join("conf")).unwrap();
    let s = Store::open(new.path()).unwrap();
    assert_eq!(s.residents().unwrap(), residents);
    drop(s);
    assert_eq!(first_line(&new.path().join("store").join("conf")), NEW);
}

/// A conf that names a size sled never wrote, or is not sled's at all: a
/// clear error that the store's files are damaged, nothing written, no new
/// store made in its place.
#[test]
fn a_strange_conf_is_a_clear_error_and_changes_nothing() {
    let dir = fixture_dir();
    let residents = stop_28_store(dir.path());
    let store = dir.path().join("store");
    let conf = store.join("conf");
    let good = std::fs::read(&conf).unwrap();
    let db = std::fs::read(store.join("db")).unwrap();
    let strange: [&[u8]; 3] = [
        b"segment_size: 1000\nuse_compression: false\nversion: 0.34\n",
        b"segment_size: 262144\nuse_compression: false\nversion: 0.34\n",
        b"not a configuration at all, just text\n",
    ];
    for bad in strange {
        std::fs::write(&conf, bad).unwrap();
        match Store::open(dir.path()) {
            Err(e @ StoreError::Damaged(_)) => {
                let msg = linli::i18n::store_error(linli::i18n::Lang::Zh, &e);
                assert!(msg.contains("损坏"), "{msg}");
            }
            Err(e) => panic!("{:?}: expected Damaged, got {e:?}", String::from_utf8_lossy(bad)),
            Ok(_) => panic!("{:?}: opened", String::from_utf8_lossy(bad)),
        }
        assert_eq!(std::fs::read(&conf).unwrap(), bad, "the conf is left as it was");
        assert!(std::fs::read(store.join("db")).unwrap() == db, "the log is left as it was");
    }
    std::fs::write(&conf, good).unwrap();
    reads_and_writes(dir.path(), &residents);
}

/// The bytes of keys and values in every tree of the closed store in
/// `dir`, and the size of its folder (the log, sled's snapshot, blobs).
fn live_and_on_disk(dir: &Path) -> (u64, u64) {
    let store = dir.join("store");
    let db = crate::support::raw_sled_at(&store).unwrap();
    let mut live = 0;
    for name in db.tree_names() {
        for item in db.open_tree(name).unwrap().iter() {
            let (k, v) = item.unwrap();
            live += (k.len() + v.len()) as u64;
        }
    }
    drop(db);
    let on_disk = walk(&store);
    (live, on_disk)
}

fn walk(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            if m.is_dir() { walk(&e.path()) } else { m.len() }
        })
        .sum()
}

/// At most this many bytes on disk for each byte of keys and values after
/// 40,000 residents (~6 MB) are bulk-loaded into a new store: 1.51–1.59
/// measured; in key order 2.03, without sled's segment cleaning 2.25,
/// with neither (as before) 2.69 (BENCHMARKS.md, issue 19v).
const LOADED_AT_MOST: f64 = 1.8;
/// The same for a restore of them: 1.78–1.96 measured; with neither the
/// order nor the cleaning (as before) 2.71, without the cleaning 2.28, in
/// key order 2.05–2.18 (not caught here: the bulk load's test is).
const RESTORED_AT_MOST: f64 = 2.2;

/// `linli gen`'s way (`Store::open_to_load`, then `bulk_load`): every
/// record back, and the store well under twice its records' bytes
/// ([`LOADED_AT_MOST`]).
#[test]
fn a_store_filled_at_once_takes_little_more_than_its_records() {
    let dir = fixture_dir();
    let residents = with_notes(40_000, 6);
    let store = Store::open_to_load(dir.path(), &mut |_, _| {}).unwrap();
    store.bulk_load(&Dataset { workers: vec![], residents: residents.clone(), requests: vec![] }).unwrap();
    drop(store);
    let (live, on_disk) = live_and_on_disk(dir.path());
    let ratio = on_disk as f64 / live as f64;
    assert!(ratio <= LOADED_AT_MOST, "{on_disk} bytes on disk for {live} of keys and values: {ratio:.2}");
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.residents().unwrap(), residents);
}

/// A restore writes its new store as a load does: every record back, and
/// the restored store as small.
#[test]
fn a_restored_store_takes_little_more_than_its_records() {
    let source = fixture_dir();
    let residents = with_notes(40_000, 6);
    let store = Store::open(source.path()).unwrap();
    store.bulk_load(&Dataset { workers: vec![], residents: residents.clone(), requests: vec![] }).unwrap();
    let out = tempfile::tempdir().unwrap();
    let opts = crate::backup::options(None);
    let info = linli::store::backup::backup(&store, out.path(), crate::support::now(), &opts, |_, _| {}).unwrap();
    drop(store);
    let target = fixture_dir();
    crate::backup::restore_confirmed(&info.path, target.path(), None).unwrap();
    let (live, on_disk) = live_and_on_disk(target.path());
    let ratio = on_disk as f64 / live as f64;
    assert!(ratio <= RESTORED_AT_MOST, "{on_disk} bytes on disk for {live} of keys and values: {ratio:.2}");
    let store = Store::open(target.path()).unwrap();
    assert_eq!(store.residents().unwrap(), residents);
}
