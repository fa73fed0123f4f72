//! Schema migrations: ordered steps, each upgrading the store by exactly one
//! version, run by `Store::open` before anything else reads the data.
//!
//! How to add one (this file is the model):
//!
//! 1. Freeze a copy of every struct whose encoding changes, as it was, in a
//!    module named after the old version (`v1` below). Never edit a frozen
//!    copy: it is the only description of the bytes already on disk.
//! 2. Write `fn vN_to_vN1(store)`: read every old value, decode it with the
//!    frozen struct (a value that does not decode is reported as corrupt,
//!    naming the record), build the new value, and write all of them *and*
//!    the new schema version in ONE transaction. A crash or a full disk
//!    leaves the store wholly at the old version or wholly at the new one;
//!    the next start simply runs the step again.
//! 3. Append it to [`STEPS`] and bump `schema::SCHEMA_VERSION`.
//! 4. Test it against a store written by the old program, kept under
//!    `data/fixtures/` (see `tests/it/duties.rs`), and against hand-encoded
//!    old bytes.
//!
//! Migrations write no audit entries: nobody changed a record, the program
//! changed how it stores them.

use super::codec;
use super::error::{Result, StoreError};
use super::record::RecordKind;
use super::schema::{META_SCHEMA, SCHEMA_VERSION};
use super::{Store, T_META, tree_of};
use serde::Serialize;
use serde::de::DeserializeOwned;

type Step = fn(&Store) -> Result<()>;

/// `STEPS[i]` upgrades version `i + 1` to version `i + 2`.
const STEPS: &[Step] = &[v1_to_v2, v2_to_v3, v3_to_v4, v4_to_v5, v5_to_v6];

/// Runs the steps from version `found` up to [`SCHEMA_VERSION`].
pub(super) fn upgrade(store: &Store, found: u32) -> Result<()> {
    for v in found.max(1)..SCHEMA_VERSION {
        let step = STEPS.get(v as usize - 1).ok_or_else(|| StoreError::Corrupt {
            what: "schema",
            key: u64::from(v),
            detail: format!("no migration from schema {v}"),
        })?;
        step(store)?;
    }
    // Schema 3's index rebuild ran while the requests were still in their
    // schema-2 shape, which today's type cannot read: their links (a
    // resident's requests) were left out. Once every step has run and every
    // record reads, the indexes are rebuilt again. The mark is cleared only
    // after that rebuild is flushed, so a crash in between rebuilds at the
    // next start.
    if store.trees[T_META].get(META_REINDEX)?.is_some() {
        store.check(true)?;
        store.trees[T_META].remove(META_REINDEX)?;
        store.flush()?;
    }
    Ok(())
}

/// Set in `meta` while the indexes wait for a rebuild after an upgrade.
const META_REINDEX: &[u8] = b"reindex_after_upgrade";

/// The records as schema 1 wrote them. Frozen: do not edit.
mod v1 {
    use crate::domain::WorkerId;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Worker {
        pub id: WorkerId,
        pub name: String,
        pub post: String,
        pub phone: String,
        pub grid: String,
        pub active: bool,
    }
}

/// The records as schema 3 wrote them, where schema 4 changed them.
/// Frozen: do not edit. (The enums inside are today's: their variants are
/// only ever appended, which keeps old bytes readable.)
mod v3 {
    use crate::domain::request::{Channel, NoteKind, Satisfaction, Status, Urgency};
    use crate::domain::{RequestId, ResidentId, WorkerId};
    use chrono::{NaiveDate, NaiveDateTime};
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Note {
        #[serde(with = "crate::domain::stored_time::datetime")]
        pub at: NaiveDateTime,
        pub by: WorkerId,
        pub kind: NoteKind,
        pub text: String,
        pub assignee: Option<WorkerId>,
        pub satisfaction: Option<Satisfaction>,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Request {
        pub id: RequestId,
        #[serde(with = "crate::domain::stored_time::datetime")]
        pub logged_at: NaiveDateTime,
        pub logged_by: WorkerId,
        pub channel: Channel,
        pub category: String,
        pub title: String,
        pub description: String,
        pub location: String,
        pub resident: Option<ResidentId>,
        pub urgency: Urgency,
        pub status: Status,
        pub assignee: Option<WorkerId>,
        #[serde(with = "crate::domain::stored_time::date")]
        pub due: NaiveDate,
        pub satisfaction: Option<Satisfaction>,
        pub notes: Vec<Note>,
    }
}

/// The records as schema 4 wrote them, where schema 5 changed them: a
/// request without the 12345 loop's fields, a note without its date.
/// Frozen: do not edit.
mod v4 {
    use crate::domain::request::{Channel, NoteKind, Satisfaction, Status, Urgency};
    use crate::domain::{RequestId, ResidentId, WorkerId};
    use chrono::{NaiveDate, NaiveDateTime};
    use serde::{Deserialize, Serialize};

    pub use super::v3::Note;

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Request {
        pub id: RequestId,
        #[serde(with = "crate::domain::stored_time::datetime")]
        pub logged_at: NaiveDateTime,
        pub logged_by: WorkerId,
        pub channel: Channel,
        pub category: String,
        pub title: String,
        pub description: String,
        pub location: String,
        pub resident: Option<ResidentId>,
        pub urgency: Urgency,
        pub status: Status,
        pub assignee: Option<WorkerId>,
        #[serde(with = "crate::domain::stored_time::date")]
        pub due: NaiveDate,
        pub satisfaction: Option<Satisfaction>,
        pub notes: Vec<Note>,
        pub work_order: String,
    }

    // (NoteKind is today's: its variants are only ever appended.)
    #[allow(dead_code)]
    fn _kinds_are_shared(k: NoteKind) -> NoteKind {
        k
    }
}

/// The records as schema 5 wrote them, where schema 6 changed them: an
/// evaluation without 德能勤绩廉. Frozen: do not edit.
mod v5 {
    use crate::domain::WorkerId;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct Evaluation {
        pub year: i32,
        pub worker: WorkerId,
        pub street: Option<u16>,
        pub residents: Option<u16>,
        pub own: Option<u16>,
        pub comment: String,
    }
}

/// Schema 2 gave workers a grade, areas of responsibility, a start date and
/// a status. Old workers get no grade, no areas, no start date, and the
/// status that matches their `active` flag (离职 for an inactive worker).
fn v1_to_v2(store: &Store) -> Result<()> {
    use crate::domain::worker::{Worker, WorkerStatus};
    let mut upgraded = Vec::new();
    for item in store.tree(RecordKind::Worker).iter() {
        let (k, v) = item?;
        let key = codec::id_of(&k).unwrap_or(0);
        let old: v1::Worker =
            codec::decode(&v).map_err(|detail| StoreError::Corrupt { what: "worker (schema 1)", key, detail })?;
        let mut w = Worker::new(old.id, &old.name, &old.post);
        w.phone = old.phone;
        w.grid = old.grid;
        w.set_status(if old.active { WorkerStatus::InPost } else { WorkerStatus::Left });
        upgraded.push((key, w));
    }
    store.transact(|t| {
        for (key, w) in &upgraded {
            t[tree_of(RecordKind::Worker)].insert(&codec::key(*key), codec::encode(w))?;
        }
        t[T_META].insert(META_SCHEMA, &2u32.to_be_bytes())?;
        Ok(())
    })
}

/// Schema 3 packs each secondary index (and the audit trail's index by
/// record) into one entry per owner holding its ids (`store::links`);
/// schema 2 had one entry per link. No record changes: the indexes are
/// rebuilt from the records and the audit trail, which are the only truth.
///
/// Not one transaction (on a large store that would hold every index in
/// memory at once): the schema version is written last, after a flush, so
/// a crash part-way leaves schema 2, and the next start clears the indexes
/// and rebuilds them again.
fn v2_to_v3(store: &Store) -> Result<()> {
    use super::links::Pending;
    use super::schema::INDEXES;
    use super::{T_AUDIT, T_AUDIT_BY_RECORD, audit_owner, index_of};
    for name in INDEXES {
        store.trees[index_of(name)].clear()?;
    }
    store.trees[T_AUDIT_BY_RECORD].clear()?;
    // the records' links, through `check`'s rebuild
    store.check(true)?;
    let mut audit = Pending::default();
    for item in store.trees[T_AUDIT].iter() {
        let (k, v) = item?;
        let seq = codec::id_of(&k).unwrap_or(0);
        let e: super::audit::AuditEntry =
            codec::decode(&v).map_err(|detail| StoreError::Corrupt { what: "audit", key: seq, detail })?;
        audit.add(T_AUDIT_BY_RECORD, audit_owner(e.kind, e.key), seq);
    }
    audit.write(&store.trees, super::BULK_CHUNK)?;
    // the records' links again once every later step has run (see `upgrade`)
    store.trees[T_META].insert(META_REINDEX, &[])?;
    store.flush()?;
    store.trees[T_META].insert(META_SCHEMA, &3u32.to_be_bytes())?;
    store.flush()
}

/// Rewrites every record of `kind` from its `Old` form into `New` with
/// `convert`: in batches, one flush, and the schema `version` written last.
/// A record that already decodes as `New` is left as it is (a value written
/// later decodes too: postcard ignores what follows the fields it knows),
/// so an upgrade cut short simply runs again. `what` names the old form in
/// the error for a record that is neither.
fn rewrite<Old: DeserializeOwned, New: Serialize + DeserializeOwned>(
    store: &Store,
    kind: RecordKind,
    what: &'static str,
    version: u32,
    convert: impl Fn(Old) -> New,
) -> Result<()> {
    let tree = store.tree(kind);
    let mut batch = sled::Batch::default();
    let mut n = 0;
    for item in tree.iter() {
        let (k, v) = item?;
        if codec::decode::<New>(&v).is_ok() {
            continue;
        }
        let key = codec::id_of(&k).unwrap_or(0);
        let old: Old = codec::decode(&v).map_err(|detail| StoreError::Corrupt { what, key, detail })?;
        batch.insert(k, codec::encode(&convert(old)));
        n += 1;
        if n % super::BULK_CHUNK == 0 {
            tree.apply_batch(std::mem::take(&mut batch))?;
        }
    }
    tree.apply_batch(batch)?;
    store.flush()?;
    store.trees[T_META].insert(META_SCHEMA, &version.to_be_bytes())?;
    store.flush()
}

/// Schema 4 gives requests the 12345 hotline's work-order number (empty
/// for the requests already kept). Every request is rewritten, in batches
/// with one flush, and the schema version written last: a crash part-way
/// leaves schema 3 with some requests already new, which the next start
/// recognises (they decode as schema 4) and leaves as they are.
fn v3_to_v4(store: &Store) -> Result<()> {
    use v4::Request;
    rewrite(store, RecordKind::Request, "request (schema 3)", 4, |old: v3::Request| -> Request {
        let notes = old.notes;
        Request {
            id: old.id,
            logged_at: old.logged_at,
            logged_by: old.logged_by,
            channel: old.channel,
            category: old.category,
            title: old.title,
            description: old.description,
            location: old.location,
            resident: old.resident,
            urgency: old.urgency,
            status: old.status,
            assignee: old.assignee,
            due: old.due,
            satisfaction: old.satisfaction,
            notes,
            work_order: String::new(),
        }
    })
}

/// Schema 5 brings the 12345 loop: requests gain the hotline's own
/// deadline, 并单, a pending extension and 督办's card (none of them for
/// the requests already kept), and each note a date (none). Every request
/// is rewritten as in schema 4: in batches, one flush, the version last; a
/// request already new is left as it is, so a cut-short upgrade simply
/// runs again. The new index (extensions waiting) starts empty, as no
/// request kept has one.
fn v4_to_v5(store: &Store) -> Result<()> {
    use crate::domain::request::{Note, Request};
    rewrite(store, RecordKind::Request, "request (schema 4)", 5, |old: v4::Request| -> Request {
        let notes = old
            .notes
            .into_iter()
            .map(|n| Note {
                at: n.at,
                by: n.by,
                kind: n.kind,
                text: n.text,
                assignee: n.assignee,
                satisfaction: n.satisfaction,
                on: None,
            })
            .collect();
        Request {
            id: old.id,
            logged_at: old.logged_at,
            logged_by: old.logged_by,
            channel: old.channel,
            category: old.category,
            title: old.title,
            description: old.description,
            location: old.location,
            resident: old.resident,
            urgency: old.urgency,
            status: old.status,
            assignee: old.assignee,
            due: old.due,
            satisfaction: old.satisfaction,
            notes,
            work_order: old.work_order,
            hotline_due: None,
            merged_into: None,
            asked_due: None,
            card: None,
        }
    })
}

/// Schema 6 scores the yearly evaluation by 德、能、勤、绩、廉 alongside
/// its three sources: every evaluation kept gains the five dimensions,
/// unscored. Rewritten as schema 5 was (batches, one flush, the version
/// last; one already new is left as it is).
fn v5_to_v6(store: &Store) -> Result<()> {
    use crate::domain::duties::evaluation::{DIMENSIONS, Evaluation};
    rewrite(store, RecordKind::Evaluation, "evaluation (schema 5)", 6, |old: v5::Evaluation| -> Evaluation {
        Evaluation {
            year: old.year,
            worker: old.worker,
            street: old.street,
            residents: old.residents,
            own: old.own,
            comment: old.comment,
            dims: [None; DIMENSIONS],
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exact bytes schema 1 stored for two workers (captured from the
    /// schema 1 program): 李娜, 网格员, 13812345678, 第3网格, active; and
    /// 王建国, 主任, no phone, no grid, inactive.
    pub const V1_LINA: &[u8] = &[
        1, 1, 6, 230, 157, 142, 229, 168, 156, 9, 231, 189, 145, 230, 160, 188, 229, 145, 152, 11, 49, 51, 56, 49, 50,
        51, 52, 53, 54, 55, 56, 10, 231, 172, 172, 51, 231, 189, 145, 230, 160, 188, 1,
    ];
    pub const V1_WANG: &[u8] =
        &[1, 2, 9, 231, 142, 139, 229, 187, 186, 229, 155, 189, 6, 228, 184, 187, 228, 187, 187, 0, 0, 0];

    #[test]
    fn frozen_v1_bytes_decode_with_the_frozen_struct_only() {
        let w: v1::Worker = codec::decode(V1_LINA).unwrap();
        assert_eq!((w.name.as_str(), w.grid.as_str(), w.active), ("李娜", "第3网格", true));
        assert!(codec::decode::<crate::domain::Worker>(V1_LINA).is_err(), "schema 2 cannot read schema 1 bytes");
        let w: v1::Worker = codec::decode(V1_WANG).unwrap();
        assert!(!w.active);
    }

    #[test]
    fn a_hand_made_schema_1_store_is_upgraded_once() {
        use crate::domain::worker::WorkerStatus;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        {
            let db = sled::open(dir.join("store")).unwrap();
            db.open_tree("meta").unwrap().insert(META_SCHEMA, &1u32.to_be_bytes()).unwrap();
            let workers = db.open_tree("workers").unwrap();
            workers.insert(codec::key(1), V1_LINA).unwrap();
            workers.insert(codec::key(2), V1_WANG).unwrap();
            db.flush().unwrap();
        }
        let s = Store::open(&dir).unwrap();
        let ws = s.workers().unwrap();
        assert_eq!(ws.len(), 2);
        assert_eq!(
            (ws[0].name.as_str(), ws[0].phone.as_str(), ws[0].status),
            ("李娜", "13812345678", WorkerStatus::InPost)
        );
        assert!(ws[0].grade.is_empty() && ws[0].areas.is_empty() && ws[0].start.is_none());
        assert_eq!((ws[1].status, ws[1].active), (WorkerStatus::Left, false));
        assert_eq!(s.meta().get(META_SCHEMA).unwrap().as_deref(), Some(&SCHEMA_VERSION.to_be_bytes()[..]));
        drop(s);
        // opening again finds the current schema and changes nothing
        let s = reopen(&dir);
        assert_eq!(s.workers().unwrap(), ws);
    }

    #[test]
    fn schema_2_indexes_are_packed_into_one_entry_per_owner() {
        use crate::domain::{Request, RequestId, Resident, ResidentId};
        use crate::store::schema::{INDEXES, TREE_REQ_BY_RESIDENT};
        use crate::store::{T_AUDIT_BY_RECORD, index_of};
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let (a, b) = (RequestId::new(2026, 1), RequestId::new(2026, 2));
        {
            // a store as schema 2 left it: one `owner ++ id → ()` entry per link
            let s = Store::open(&dir).unwrap();
            s.create(None, at, |id| Resident::new(ResidentId(id), "张三")).unwrap();
            for id in [a, b] {
                let new = crate::domain::request::NewRequest {
                    channel: crate::domain::Channel::Phone,
                    category: "小修小补".into(),
                    title: "楼道灯坏了".into(),
                    description: String::new(),
                    location: String::new(),
                    resident: Some(ResidentId(1)),
                    urgency: crate::domain::Urgency::Normal,
                    work_order: String::new(),
                    hotline_due: None,
                };
                let cal = crate::domain::calendar::WorkCalendar::builtin();
                let r = Request::create(id, new, crate::domain::WorkerId(1), at, 5, &cal);
                s.bulk_put(&[r], &mut Default::default()).unwrap();
            }
            for t in INDEXES.iter().map(|n| index_of(n)).chain([T_AUDIT_BY_RECORD]) {
                s.trees[t].clear().unwrap();
            }
            let idx = &s.trees[index_of(TREE_REQ_BY_RESIDENT)];
            idx.insert(codec::key2(1, a.0), &[]).unwrap();
            idx.insert(codec::key2(1, b.0), &[]).unwrap();
            s.trees[T_AUDIT_BY_RECORD]
                .insert(codec::key2(crate::store::audit_owner(RecordKind::Resident, 1), 1), &[])
                .unwrap();
            s.meta().insert(META_SCHEMA, &2u32.to_be_bytes()).unwrap();
            s.flush().unwrap();
        }
        let s = reopen(&dir);
        assert_eq!(s.meta().get(META_SCHEMA).unwrap().as_deref(), Some(&SCHEMA_VERSION.to_be_bytes()[..]));
        let idx = &s.trees[index_of(TREE_REQ_BY_RESIDENT)];
        assert_eq!(idx.len(), 1, "one entry for the resident");
        let ids: Vec<RequestId> = s.linked::<Request>(TREE_REQ_BY_RESIDENT, 1).unwrap().iter().map(|r| r.id).collect();
        assert_eq!(ids, [a, b]);
        assert_eq!(s.history(RecordKind::Resident, 1).unwrap().len(), 1, "the audit trail's index too");
        assert!(s.check(false).unwrap().is_clean());
    }

    /// sled lets go of its lock file a moment after the last handle drops.
    fn reopen(dir: &std::path::Path) -> Store {
        for _ in 0..50 {
            match Store::open(dir) {
                Err(StoreError::Locked(_)) => std::thread::sleep(std::time::Duration::from_millis(20)),
                other => return other.unwrap(),
            }
        }
        Store::open(dir).unwrap()
    }

    /// sled itself, opened again once the last handle has let go of its lock
    /// (a moment after drop on a busy machine: this test failed once so).
    fn sled_reopen(path: &std::path::Path) -> sled::Db {
        for _ in 0..100 {
            match sled::open(path) {
                Ok(db) => return db,
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
            }
        }
        sled::open(path).unwrap()
    }

    /// `Store::open`'s answer once sled's lock is free.
    fn open_when_free(dir: &std::path::Path) -> Result<Store> {
        for _ in 0..100 {
            match Store::open(dir) {
                Err(StoreError::Locked(_)) => std::thread::sleep(std::time::Duration::from_millis(20)),
                other => return other,
            }
        }
        Store::open(dir)
    }

    #[test]
    fn a_corrupt_schema_1_worker_stops_the_upgrade_and_changes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        {
            let db = sled::open(dir.join("store")).unwrap();
            db.open_tree("meta").unwrap().insert(META_SCHEMA, &1u32.to_be_bytes()).unwrap();
            let workers = db.open_tree("workers").unwrap();
            workers.insert(codec::key(1), V1_LINA).unwrap();
            workers.insert(codec::key(2), &[1u8, 2, 200][..]).unwrap();
            db.flush().unwrap();
        }
        let e = open_when_free(&dir).err().expect("refused");
        assert!(matches!(e, StoreError::Corrupt { key: 2, .. }), "{e}");
        let db = sled_reopen(&dir.join("store"));
        assert_eq!(db.open_tree("meta").unwrap().get(META_SCHEMA).unwrap().as_deref(), Some(&1u32.to_be_bytes()[..]));
        assert_eq!(db.open_tree("workers").unwrap().get(codec::key(1)).unwrap().as_deref(), Some(V1_LINA));
    }

    /// Requests as schema 3 stored them, half of them already rewritten by
    /// an upgrade that was cut short: the next open finishes the job and
    /// every request reads, with no work-order number.
    #[test]
    fn schema_3_requests_gain_an_empty_work_order_even_after_a_cut_short_upgrade() {
        use crate::domain::request::Request;
        let dir = tempfile::tempdir().unwrap();
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(9, 0, 0).unwrap();
        {
            let s = Store::open(dir.path()).unwrap();
            let w = s.create_worker("李娜", "网格员", None, at).unwrap().id;
            let (cats, cal) = (crate::domain::Categories::default(), crate::domain::WorkCalendar::builtin());
            let tree = s.tree(RecordKind::Request);
            for i in 0..6 {
                let new = crate::domain::request::NewRequest {
                    channel: crate::domain::Channel::Phone,
                    category: "小修小补".into(),
                    title: format!("楼道灯不亮 {i}"),
                    description: "三楼".repeat(i * 40),
                    location: String::new(),
                    resident: None,
                    urgency: crate::domain::Urgency::Normal,
                    work_order: "12345".into(),
                    hotline_due: None,
                };
                let r = s.create_request(&new, w, at, &cats, &cal).unwrap();
                if i % 2 == 0 {
                    // as schema 3 wrote it (long ones deflated, as it did)
                    let old = v3::Request {
                        id: r.id,
                        logged_at: r.logged_at,
                        logged_by: r.logged_by,
                        channel: r.channel,
                        category: r.category.clone(),
                        title: r.title.clone(),
                        description: r.description.clone(),
                        location: r.location.clone(),
                        resident: r.resident,
                        urgency: r.urgency,
                        status: r.status,
                        assignee: r.assignee,
                        due: r.due,
                        satisfaction: r.satisfaction,
                        notes: r
                            .notes
                            .iter()
                            .map(|n| v3::Note {
                                at: n.at,
                                by: n.by,
                                kind: n.kind.clone(),
                                text: n.text.clone(),
                                assignee: n.assignee,
                                satisfaction: n.satisfaction,
                            })
                            .collect(),
                    };
                    tree.insert(codec::key(r.id.0), codec::encode(&old)).unwrap();
                    assert!(codec::decode::<Request>(&tree.get(codec::key(r.id.0)).unwrap().unwrap()).is_err());
                }
            }
            s.trees[T_META].insert(META_SCHEMA, &3u32.to_be_bytes()).unwrap();
            s.flush().unwrap();
        }
        let s = Store::open(dir.path()).unwrap();
        assert_eq!(s.stored_schema_version().unwrap(), SCHEMA_VERSION);
        let all = s.latest_requests(10).unwrap();
        assert_eq!(all.len(), 6, "every request reads");
        for r in &all {
            let n: usize = r.title.rsplit(' ').next().unwrap().parse().unwrap();
            // the ones written as schema 3 lost nothing and gained an empty number
            let want = if n.is_multiple_of(2) { "" } else { "12345" };
            assert_eq!(r.work_order, want, "{}", r.title);
            assert_eq!(r.description, "三楼".repeat(n * 40));
        }
    }

    /// The exact bytes schema 4 stored for one request (hand-checked
    /// against the frozen `v4::Request`): 2026-000002 占道停车, 停车难, via
    /// 12345 (work order 2026112000017), resident 2, assigned to worker 2,
    /// due 2026-12-04, two notes (登记, 分派).
    pub const V4_REQUEST: &[u8] = &[
        2, 130, 157, 137, 198, 7, 192, 201, 130, 176, 13, 0, 1, 2, 9, 229, 129, 156, 232, 189, 166, 233, 154, 190, 12,
        229, 141, 160, 233, 129, 147, 229, 129, 156, 232, 189, 166, 0, 0, 1, 2, 0, 1, 1, 2, 228, 169, 90, 0, 2, 192,
        201, 130, 176, 13, 0, 1, 0, 0, 0, 0, 224, 129, 131, 176, 13, 0, 1, 1, 0, 1, 0, 1, 2, 0, 13, 50, 48, 50, 54, 49,
        49, 50, 48, 48, 48, 48, 49, 55,
    ];

    #[test]
    fn frozen_v4_bytes_decode_with_the_frozen_struct_only() {
        let r: v4::Request = codec::decode(V4_REQUEST).unwrap();
        assert_eq!((r.title.as_str(), r.work_order.as_str(), r.notes.len()), ("占道停车", "2026112000017", 2));
        assert_eq!(codec::encode(&r), V4_REQUEST, "the frozen struct still writes what schema 4 wrote");
        assert!(codec::decode::<crate::domain::Request>(V4_REQUEST).is_err(), "schema 5 cannot read schema 4 bytes");
    }

    /// A schema 4 store: one request as schema 4 wrote it, one already
    /// rewritten (an upgrade cut short). Opening finishes the upgrade once;
    /// nothing is lost, the new fields are empty, and the 12345 loop works
    /// on the upgraded request.
    #[test]
    fn schema_4_requests_gain_the_12345_loop_s_fields() {
        use crate::domain::request::{Move, MoveKind, Status};
        use crate::domain::{Request, RequestId, WorkerId};
        let dir = tempfile::tempdir().unwrap();
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let (cats, cal) = (crate::domain::Categories::default(), crate::domain::WorkCalendar::builtin());
        let newer = {
            let s = Store::open(dir.path()).unwrap();
            s.create_worker("李娜", "网格员", None, at).unwrap();
            s.create_worker("王建国", "主任", Some(WorkerId(1)), at).unwrap();
            let new = crate::domain::request::NewRequest {
                channel: crate::domain::Channel::Phone,
                category: "小修小补".into(),
                title: "楼道灯不亮".into(),
                description: String::new(),
                location: String::new(),
                resident: None,
                urgency: crate::domain::Urgency::Normal,
                work_order: String::new(),
                hotline_due: None,
            };
            let newer = s.create_request(&new, WorkerId(1), at, &cats, &cal).unwrap();
            s.tree(RecordKind::Request).insert(codec::key(RequestId::new(2026, 2).0), V4_REQUEST).unwrap();
            s.trees[T_META].insert(META_SCHEMA, &4u32.to_be_bytes()).unwrap();
            s.flush().unwrap();
            newer
        };
        let s = reopen(dir.path());
        assert_eq!(s.meta().get(META_SCHEMA).unwrap().as_deref(), Some(&SCHEMA_VERSION.to_be_bytes()[..]));
        let old: Request = s.request(RequestId::new(2026, 2)).unwrap().unwrap();
        assert_eq!(
            (old.title.as_str(), old.work_order.as_str(), old.status),
            ("占道停车", "2026112000017", Status::Assigned)
        );
        assert_eq!(old.notes.len(), 2);
        assert!(old.notes.iter().all(|n| n.on.is_none()));
        assert_eq!((old.hotline_due, old.merged_into, old.asked_due, old.card), (None, None, None, None));
        assert_eq!(s.request(newer.id).unwrap().unwrap(), newer, "the one already new is left as it was");
        assert!(s.extensions_asked().unwrap().is_empty());
        // every record reads (the hand-put request's resident link was
        // never written, as nothing but a real save writes one)
        let report = s.check(false).unwrap();
        assert!(report.unreadable.is_empty() && report.stale_links == 0, "{report:?}");
        // the loop works on it: an extension asked shows in the new index
        let later = chrono::NaiveDate::from_ymd_opt(2026, 12, 18).unwrap();
        s.move_request(old.id, &Move::AskExtension(later, "待物业回复".into()), WorkerId(2), at, &cats, &cal).unwrap();
        assert_eq!(s.extensions_asked().unwrap().len(), 1);
        let e = s.move_request(old.id, &Move::ApproveExtension(String::new()), WorkerId(1), at, &cats, &cal);
        assert!(matches!(e, Err(StoreError::Rule(crate::domain::request::MoveError::NotLeader))), "{e:?}");
        let r = s.move_request(old.id, &Move::ApproveExtension("同意".into()), WorkerId(2), at, &cats, &cal).unwrap();
        assert_eq!(r.due, later);
        assert!(matches!(
            r.notes.last().unwrap().kind,
            crate::domain::NoteKind::Moved { kind: MoveKind::ApproveExtension, .. }
        ));
        assert!(s.extensions_asked().unwrap().is_empty());
        drop(s);
        // opening again changes nothing
        let s = reopen(dir.path());
        assert_eq!(s.request(old.id).unwrap().unwrap(), r);
    }

    /// The exact bytes schema 5 stored for one evaluation: 2025, worker 1,
    /// 街道 92, 居民代表 88, 自评 95, 评语 走访扎实.
    pub const V5_EVALUATION: &[u8] = &[
        2, 210, 31, 1, 1, 152, 7, 1, 240, 6, 1, 182, 7, 12, 232, 181, 176, 232, 174, 191, 230, 137, 142, 229, 174, 158,
    ];

    #[test]
    fn schema_5_evaluations_gain_the_five_dimensions_unscored() {
        use crate::domain::WorkerId;
        use crate::domain::duties::evaluation::{Evaluation, Weights, evaluation_key};
        let old: v5::Evaluation = codec::decode(V5_EVALUATION).unwrap();
        assert_eq!(codec::encode(&old), V5_EVALUATION, "the frozen struct still writes what schema 5 wrote");
        assert!(codec::decode::<Evaluation>(V5_EVALUATION).is_err(), "schema 6 cannot read schema 5 bytes");
        let dir = tempfile::tempdir().unwrap();
        let key = evaluation_key(2025, WorkerId(1));
        let newer = {
            let s = Store::open(dir.path()).unwrap();
            let mut newer = Evaluation::new(2025, WorkerId(2));
            newer.street = Some(800);
            newer.dims = [Some(900); 5];
            s.tree(RecordKind::Evaluation).insert(codec::key(newer.key()), codec::encode(&newer)).unwrap();
            s.tree(RecordKind::Evaluation).insert(codec::key(key), V5_EVALUATION).unwrap();
            s.trees[T_META].insert(META_SCHEMA, &5u32.to_be_bytes()).unwrap();
            s.flush().unwrap();
            newer
        };
        let s = reopen(dir.path());
        assert_eq!(s.meta().get(META_SCHEMA).unwrap().as_deref(), Some(&6u32.to_be_bytes()[..]));
        let e: Evaluation = s.get(key).unwrap().unwrap();
        assert_eq!((e.street, e.residents, e.own, e.comment.as_str()), (Some(920), Some(880), Some(950), "走访扎实"));
        assert_eq!(e.dims, [None; 5]);
        assert_eq!(e.total(&Weights::default()), Some(914), "it still adds up as before: 46 + 26.4 + 19");
        assert_eq!(s.get::<Evaluation>(newer.key()).unwrap().unwrap(), newer, "one already new is left alone");
        drop(s);
        let s = reopen(dir.path());
        assert_eq!(s.get::<Evaluation>(key).unwrap().unwrap(), e, "opening again changes nothing");
    }
}
