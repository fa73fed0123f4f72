//! The roster's saved copy: each test in its own store.

use super::*;
use crate::domain::WorkerId;
use crate::domain::volunteer::ServiceId;
use chrono::NaiveDate;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn at(d: u32) -> chrono::NaiveDateTime {
    day(d).and_hms_opt(18, 0, 0).unwrap()
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
    store.log_service(&draft, WorkerId(1), at(d)).unwrap();
}

/// A store with a linked and an unlinked volunteer and their hours.
fn store() -> (tempfile::TempDir, Store) {
    store_named("张三")
}

fn store_named(linked_name: &str) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut r = Resident::new(ResidentId(0), linked_name);
    r.phone = "13800000001".into();
    let r = store.create_residents(&[r], WorkerId(1), at(1)).unwrap().remove(0);
    let mut linked = Volunteer::new(VolunteerId(0), "", day(1));
    linked.resident = Some(r.id);
    let linked = store.create_volunteer(&linked, WorkerId(1), at(1)).unwrap();
    let other = store.create_volunteer(&Volunteer::new(VolunteerId(0), "李四", day(1)), WorkerId(1), at(1)).unwrap();
    service(&store, linked.id.0, 2, 90);
    service(&store, linked.id.0, 20, 30);
    service(&store, other.id.0, 3, 60);
    (dir, store)
}

fn stamp(store: &Store) -> Stamp {
    roster_stamp(store).unwrap()
}

fn same(a: &RosterIndex, b: &RosterIndex) -> bool {
    a.totals == b.totals && lists_bytes(a) == lists_bytes(b)
}

#[test]
fn saved_at_read_read_back_after_reopening() {
    let (dir, store) = store();
    let first = RosterIndex::read(&store).unwrap();
    assert!(copy_path(dir.path()).exists());
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    let copy = read_copy(dir.path(), stamp(&store)).expect("the copy is at the reopened store's stamp");
    assert!(same(&copy, &first));
    let again = RosterIndex::read(&store).unwrap();
    assert!(same(&again, &RosterIndex::read_records(&store).unwrap()));
    let linked = &again.volunteers[0];
    assert_eq!((linked.name.as_str(), linked.phone.as_str()), ("张三", "13800000001"), "the resident's name");
    assert_eq!(again.search_volunteers("zs", false), vec![0], "initials made again from the name");
    assert_eq!(again.totals.volunteer(linked.v.id, day(24)).month.minutes, 120);
}

#[test]
fn behind_the_records_or_damaged_it_is_made_again() {
    let (dir, store) = store();
    RosterIndex::read(&store).unwrap();
    let v = RosterIndex::read(&store).unwrap().volunteers[1].v.id;
    service(&store, v.0, 4, 45);
    assert!(read_copy(dir.path(), stamp(&store)).is_none(), "a service logged since: not used");
    let r = RosterIndex::read(&store).unwrap();
    assert_eq!(r.totals.volunteer(v, day(24)).month.minutes, 105);
    // a linked resident renamed: the roster's name follows
    let mut res = store.get::<Resident>(r.volunteers[0].v.resident.unwrap().0).unwrap().unwrap();
    res.name = "张三丰".into();
    store.put(&res, WorkerId(1), at(5)).unwrap();
    assert_eq!(RosterIndex::read(&store).unwrap().volunteers[0].name, "张三丰");
    // damaged: one byte changed
    let p = copy_path(dir.path());
    let mut bytes = std::fs::read(&p).unwrap();
    let n = bytes.len();
    bytes[n - 1] ^= 1;
    std::fs::write(&p, &bytes).unwrap();
    assert!(read_copy(dir.path(), stamp(&store)).is_none());
    let r = RosterIndex::read(&store).unwrap();
    assert!(same(&r, &RosterIndex::read_records(&store).unwrap()));
    assert!(read_copy(dir.path(), stamp(&store)).is_some(), "written again");
}

#[test]
fn save_writes_what_is_kept_and_check_removes_a_wrong_copy() {
    let (dir, store) = store();
    let mut r = RosterIndex::read(&store).unwrap();
    let v = r.volunteers[1].v.id;
    service(&store, v.0, 5, 30);
    let rec = store.service_of(v).unwrap().into_iter().max_by_key(|s| s.id).unwrap();
    r.totals.apply(None, Some(&rec));
    r.save(&store).unwrap();
    assert!(same(&read_copy(dir.path(), stamp(&store)).unwrap(), &RosterIndex::read_records(&store).unwrap()));
    store.check(false).unwrap();
    assert!(copy_path(dir.path()).exists(), "a right copy stays");
    // a roster that missed a save, at the right stamp: check removes it
    r.totals.apply(Some(&rec), None);
    write_copy(&r, dir.path(), stamp(&store)).unwrap();
    store.check(false).unwrap();
    assert!(!copy_path(dir.path()).exists());
    refresh_copy(&store).unwrap();
    assert!(same(&read_copy(dir.path(), stamp(&store)).unwrap(), &RosterIndex::read_records(&store).unwrap()));
}

#[test]
fn another_stores_copy_differing_only_in_a_linked_resident_is_not_used() {
    let (dir_a, a) = store_named("张三");
    let (dir_b, b) = store_named("王五");
    assert_eq!(a.generation().unwrap(), b.generation().unwrap());
    RosterIndex::read(&a).unwrap();
    std::fs::copy(copy_path(dir_a.path()), copy_path(dir_b.path())).unwrap();
    assert_eq!(RosterIndex::read(&b).unwrap().volunteers[0].name, "王五");
}
