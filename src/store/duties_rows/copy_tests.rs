//! The daily log's saved copy: each test in its own store.

use super::*;
use crate::domain::duties::log::LogEntry;

fn at() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(10, 0, 0).unwrap()
}

fn entry(w: u64, d: u32, found: &str, residents: &[u64]) -> LogEntry {
    let date = NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    LogEntry {
        id: LogId(0),
        worker: WorkerId(w),
        date,
        kind: if residents.is_empty() { LogKind::Patrol } else { LogKind::Visit },
        residents: residents.iter().map(|r| ResidentId(*r)).collect(),
        found: found.into(),
        follow_up: "跟进".into(),
        request: None,
        comments: vec![],
        logged_at: date.and_hms_opt(17, 0, 0).unwrap(),
    }
}

/// Everything an index holds, to compare two.
fn contents(idx: &LogIndex) -> String {
    let mut counts: Vec<_> = idx.counts.iter().collect();
    counts.sort();
    format!("{:?}|{}|{:?}|{counts:?}", idx.rows, idx.hay, idx.residents)
}

fn store_with(entries: &[LogEntry]) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    for e in entries {
        store.create_log(e, WorkerId(1), at()).unwrap();
    }
    (dir, store)
}

fn stamp(store: &Store) -> Stamp {
    store.stamp(&[RecordKind::LogEntry]).unwrap()
}

#[test]
fn written_at_load_read_back_after_reopening() {
    let (dir, store) =
        store_with(&[entry(1, 2, "楼道灯坏了", &[1, 2]), entry(2, 20, "WiFi 信号差", &[]), entry(1, 23, "漏水", &[3])]);
    assert!(!copy_path(dir.path()).exists());
    let first = LogIndex::load(&store).unwrap();
    assert!(copy_path(dir.path()).exists(), "a load that read every entry saves the copy");
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert!(LogIndex::read_copy(dir.path(), stamp(&store)).is_some(), "the copy is at the reopened store's stamp");
    let again = LogIndex::load(&store).unwrap();
    assert_eq!(contents(&again), contents(&first));
    assert_eq!(contents(&again), contents(&LogIndex::scan(&store).unwrap()));
    assert_eq!(again.month_count(WorkerId(1), 202611), 2);
    assert_eq!(again.found_of(again.row(1).unwrap()), "WiFi 信号差");
}

#[test]
fn a_copy_behind_the_store_is_not_used() {
    let (dir, store) = store_with(&[entry(1, 2, "楼道灯坏了", &[1])]);
    LogIndex::load(&store).unwrap();
    store.create_log(&entry(2, 3, "新的一条", &[]), WorkerId(1), at()).unwrap();
    assert!(LogIndex::read_copy(dir.path(), stamp(&store)).is_none());
    let idx = LogIndex::load(&store).unwrap();
    assert_eq!(idx.len(), 2, "read from the entries, not the old copy");
    // and the copy made again
    assert!(LogIndex::read_copy(dir.path(), stamp(&store)).is_some());
}

#[test]
fn save_writes_what_is_kept_and_refresh_repairs() {
    let (dir, store) = store_with(&[entry(1, 2, "a", &[])]);
    let mut idx = LogIndex::load(&store).unwrap();
    let e = store.create_log(&entry(1, 5, "b", &[7]), WorkerId(1), at()).unwrap();
    idx.upsert(&e);
    idx.save(&store).unwrap();
    assert_eq!(contents(&LogIndex::read_copy(dir.path(), stamp(&store)).unwrap()), contents(&idx));
    std::fs::remove_file(copy_path(dir.path())).unwrap();
    LogIndex::refresh(&store).unwrap();
    assert_eq!(contents(&LogIndex::read_copy(dir.path(), stamp(&store)).unwrap()), contents(&idx));
}

#[test]
fn a_damaged_copy_is_rebuilt() {
    let (dir, store) = store_with(&[entry(1, 2, "楼道灯坏了", &[1]), entry(2, 3, "巡查", &[])]);
    let good = contents(&LogIndex::load(&store).unwrap());
    let p = copy_path(dir.path());
    let mut bytes = std::fs::read(&p).unwrap();
    let n = bytes.len();
    bytes[n - 3] ^= 0x40; // a resident id
    std::fs::write(&p, &bytes).unwrap();
    assert!(LogIndex::read_copy(dir.path(), stamp(&store)).is_none());
    let idx = LogIndex::load(&store).unwrap();
    assert_eq!(contents(&idx), good);
    assert!(LogIndex::read_copy(dir.path(), stamp(&store)).is_some(), "written again");
}

#[test]
fn a_copy_whose_checksum_holds_but_rows_point_outside_is_not_used() {
    let (dir, store) = store_with(&[entry(1, 2, "楼道", &[1])]);
    let mut idx = LogIndex::load(&store).unwrap();
    idx.rows[0].hay = (0, 10_000);
    idx.write_copy(dir.path(), stamp(&store)).unwrap();
    assert!(LogIndex::read_copy(dir.path(), stamp(&store)).is_none());
}

#[test]
fn another_stores_copy_at_the_same_generation_is_not_used() {
    let (dir_a, a) = store_with(&[entry(1, 2, "甲", &[])]);
    let (dir_b, b) = store_with(&[entry(1, 2, "乙", &[])]);
    assert_eq!(a.generation().unwrap(), b.generation().unwrap());
    LogIndex::load(&a).unwrap();
    std::fs::copy(copy_path(dir_a.path()), copy_path(dir_b.path())).unwrap();
    let idx = LogIndex::load(&b).unwrap();
    assert_eq!(idx.found_of(idx.row(0).unwrap()), "乙");
}

#[test]
fn check_removes_a_copy_that_disagrees_with_the_entries() {
    let (dir, store) = store_with(&[entry(1, 2, "楼道", &[1]), entry(1, 3, "巡查", &[])]);
    let mut idx = LogIndex::load(&store).unwrap();
    store.check(false).unwrap();
    assert!(copy_path(dir.path()).exists(), "a right copy stays");
    // a copy at the right stamp that lost an entry (an index that missed a save)
    idx.remove(idx.row(0).unwrap().id.0);
    idx.write_copy(dir.path(), stamp(&store)).unwrap();
    store.check(false).unwrap();
    assert!(!copy_path(dir.path()).exists());
    assert_eq!(LogIndex::load(&store).unwrap().len(), 2);
}
