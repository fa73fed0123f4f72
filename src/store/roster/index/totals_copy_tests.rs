//! The roster's saved totals: each test in its own store.

use super::*;
use crate::domain::WorkerId;
use crate::domain::volunteer::ServiceId;
use chrono::NaiveDate;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn service(store: &Store, v: u64, d: u32, minutes: u32) {
    let draft = ServiceRecord {
        id: ServiceId(0),
        volunteer: VolunteerId(v),
        date: day(d),
        minutes,
        activity: None,
        team: None,
        post: None,
        what: "入户探访".into(),
        voided: false,
        history: Vec::new(),
    };
    store.log_service(&draft, WorkerId(1), day(d).and_hms_opt(18, 0, 0).unwrap()).unwrap();
}

fn stamp(store: &Store) -> Stamp {
    totals_stamp(store).unwrap()
}

#[test]
fn totals_saved_at_read_are_read_back_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    service(&store, 1, 2, 90);
    service(&store, 1, 20, 30);
    service(&store, 2, 3, 60);
    let first = RosterIndex::read(&store).unwrap();
    assert!(totals_path(dir.path()).exists());
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert!(read_totals(dir.path(), stamp(&store)).is_some(), "the copy is at the reopened store's stamp");
    let again = RosterIndex::read(&store).unwrap();
    assert_eq!(again.totals, first.totals);
    assert_eq!(again.totals, scan_totals(&store).unwrap());
    assert_eq!(again.totals.volunteer(VolunteerId(1), day(24)).month.minutes, 120);
}

#[test]
fn totals_behind_the_records_or_damaged_are_made_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    service(&store, 1, 2, 90);
    RosterIndex::read(&store).unwrap();
    service(&store, 1, 4, 45);
    assert!(read_totals(dir.path(), stamp(&store)).is_none(), "a service logged since: not used");
    let r = RosterIndex::read(&store).unwrap();
    assert_eq!(r.totals.volunteer(VolunteerId(1), day(24)).month.minutes, 135);
    // damaged: one byte of the totals changed
    let p = totals_path(dir.path());
    let mut bytes = std::fs::read(&p).unwrap();
    let n = bytes.len();
    bytes[n - 1] ^= 1;
    std::fs::write(&p, &bytes).unwrap();
    assert!(read_totals(dir.path(), stamp(&store)).is_none());
    let r = RosterIndex::read(&store).unwrap();
    assert_eq!(r.totals, scan_totals(&store).unwrap());
    assert!(read_totals(dir.path(), stamp(&store)).is_some(), "written again");
}

#[test]
fn save_totals_writes_what_is_kept_and_check_removes_wrong_totals() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    service(&store, 1, 2, 90);
    let mut r = RosterIndex::read(&store).unwrap();
    service(&store, 2, 5, 30);
    let rec = store.service_of(VolunteerId(2)).unwrap().remove(0);
    r.totals.apply(None, Some(&rec));
    r.save_totals(&store).unwrap();
    assert_eq!(read_totals(dir.path(), stamp(&store)).unwrap(), scan_totals(&store).unwrap());
    store.check(false).unwrap();
    assert!(totals_path(dir.path()).exists(), "right totals stay");
    // totals that missed a save, at the right stamp: check removes them
    r.totals.apply(Some(&rec), None);
    write_totals(&r.totals, dir.path(), stamp(&store)).unwrap();
    store.check(false).unwrap();
    assert!(!totals_path(dir.path()).exists());
    refresh_totals(&store).unwrap();
    assert_eq!(read_totals(dir.path(), stamp(&store)).unwrap(), scan_totals(&store).unwrap());
}
