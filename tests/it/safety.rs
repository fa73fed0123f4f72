//! Data-safety promises: undo/redo, index checks, decoding of garbage.

use crate::support::{Fixture, at, new_request, resident};
use linli::domain::request::{Channel, Move, Status};
use linli::domain::{Request, Resident, ResidentId};
use linli::store::audit::AuditAction;
use linli::store::record::RecordKind;

#[test]
fn a_move_is_undone_and_redone_and_both_are_audited() {
    let f = Fixture::office();
    let s = &f.store;
    let w = f.workers[0];
    let id = f.requests[1].id; // in progress
    s.move_request(id, &Move::Resolve("已协调".into()), w, at(2026, 11, 24, 10, 0), &f.cats, &f.cal).unwrap();
    let set = s.take_last_change();
    assert_eq!(set.0.len(), 1);
    s.undo(&set, w, at(2026, 11, 24, 10, 1)).unwrap();
    assert_eq!(s.request(id).unwrap().unwrap().status, Status::InProgress);
    s.undo(&set.inverse(), w, at(2026, 11, 24, 10, 2)).unwrap();
    assert_eq!(s.request(id).unwrap().unwrap().status, Status::Resolved);
    let undos = s.audit_entries(10, |e| e.action == AuditAction::Undo).unwrap();
    assert_eq!(undos.len(), 2);
    assert!(undos.iter().all(|e| e.key == id.0 && e.by == Some(w)));
}

#[test]
fn undoing_a_creation_removes_the_record_and_its_index_entries() {
    let f = Fixture::office();
    let s = &f.store;
    let w = f.workers[0];
    let r = s
        .create_request(
            &new_request("其他", "临时登记", Some(ResidentId(2)), Channel::Phone),
            w,
            at(2026, 11, 24, 11, 0),
            &f.cats,
            &f.cal,
        )
        .unwrap();
    let set = s.take_last_change();
    assert_eq!(s.requests_of(ResidentId(2)).unwrap().len(), 2);
    s.undo(&set, w, at(2026, 11, 24, 11, 1)).unwrap();
    assert!(s.request(r.id).unwrap().is_none());
    assert_eq!(s.requests_of(ResidentId(2)).unwrap().len(), 1);
    assert!(s.check(false).unwrap().is_clean());
}

#[test]
fn undo_is_refused_when_the_record_changed_since() {
    let f = Fixture::office();
    let s = &f.store;
    let w = f.workers[0];
    let id = f.requests[3].id;
    s.move_request(id, &Move::Assign(w), w, at(2026, 11, 24, 10, 0), &f.cats, &f.cal).unwrap();
    let first = s.take_last_change();
    s.comment_request(id, "已电话联系", w, at(2026, 11, 24, 10, 5)).unwrap();
    let before = s.request(id).unwrap();
    assert!(s.undo(&first, w, at(2026, 11, 24, 10, 6)).is_err());
    assert_eq!(s.request(id).unwrap(), before, "a refused undo changes nothing");
}

#[test]
fn a_bulk_change_is_one_undo_step() {
    let f = Fixture::empty();
    let s = &f.store;
    let w = s.create_worker("李娜", "网格员", None, at(2026, 1, 5, 9, 0)).unwrap().id;
    let made = s
        .create_many(40, Some(w), at(2026, 1, 5, 10, 0), |first| {
            (0..40)
                .map(|i| Resident { id: ResidentId(first + i), ..resident(&format!("居民{i}"), "", "", &[]) })
                .collect()
        })
        .unwrap();
    assert_eq!(made.len(), 40);
    let set = s.take_last_change();
    assert_eq!(set.0.len(), 40);
    s.undo(&set, w, at(2026, 1, 5, 10, 1)).unwrap();
    assert_eq!(s.count(RecordKind::Resident), 0);
    s.undo(&set.inverse(), w, at(2026, 1, 5, 10, 2)).unwrap();
    assert_eq!(s.count(RecordKind::Resident), 40);
}

#[test]
fn garbage_bytes_never_panic_the_decoder() {
    // a seeded stream of random and truncated values: every one is an
    // error or a value, never a panic
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let f = Fixture::office();
    let good = linli::store::codec::encode(&f.requests[2]);
    for round in 0..20_000 {
        let mut bytes = if round % 2 == 0 { good.clone() } else { (0..(next() % 300)).map(|_| next() as u8).collect() };
        if !bytes.is_empty() {
            let n = (next() % 4) as usize;
            for _ in 0..n {
                let i = (next() as usize) % bytes.len();
                bytes[i] = next() as u8;
            }
            bytes.truncate((next() as usize) % (bytes.len() + 1));
        }
        let _ = linli::store::codec::decode::<Request>(&bytes);
        let _ = linli::store::codec::decode::<Resident>(&bytes);
    }
}

#[test]
fn check_finds_and_repairs_broken_indexes() {
    let f = Fixture::office();
    assert!(f.store.check(false).unwrap().is_clean());
    let Fixture { dir, store, .. } = f;
    drop(store);
    {
        // damage the index behind the store's back (one entry per owner,
        // its ids packed): drop one id from a list, add a bogus owner
        let db = crate::support::raw_sled_at(&dir.path().join("store")).unwrap();
        let idx = db.open_tree("idx_request_by_resident").unwrap();
        let (owner, ids) = idx.iter().next().unwrap().unwrap();
        assert!(ids.len() >= 8 && ids.len() % 8 == 0, "a packed list of ids");
        idx.insert(owner, &ids[8..]).unwrap();
        idx.insert(99u64.to_be_bytes(), &7u64.to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    let s = linli::store::Store::open(dir.path()).unwrap();
    let report = s.check(false).unwrap();
    assert_eq!((report.missing_links, report.stale_links, report.repaired), (1, 1, false));
    assert_eq!(report.counts.iter().find(|(k, _)| *k == RecordKind::Request).unwrap().1, 5);
    let report = s.check(true).unwrap();
    assert!(report.repaired);
    assert!(s.check(false).unwrap().is_clean());
    assert_eq!(s.requests_of(ResidentId(1)).unwrap().len(), 2);
}

#[test]
fn ctrl_z_takes_back_the_last_step_in_the_app_and_ctrl_y_makes_it_again() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let f = Fixture::office();
    let mut app = f.app(linli::i18n::Lang::Zh);
    let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    // the newest request (2026-000005) is logged: assign it through the menu
    app.handle_key(&KeyEvent::new(KeyCode::Char('m'), KeyModifiers::NONE));
    app.handle_key(&KeyEvent::new(KeyCode::Char('1'), KeyModifiers::NONE));
    app.handle_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let id = f.requests[4].id;
    assert_eq!(f.store.request(id).unwrap().unwrap().status, Status::Assigned);
    assert!(app.sh.message.as_ref().unwrap().0.contains("Ctrl+Z"));
    app.handle_key(&ctrl('z'));
    assert_eq!(f.store.request(id).unwrap().unwrap().status, Status::Logged);
    assert_eq!(app.panels.requests.detail.as_ref().map(|r| r.status), Some(Status::Logged));
    assert!(app.sh.message.as_ref().unwrap().0.contains("已撤销"), "{:?}", app.sh.message);
    app.handle_key(&ctrl('y'));
    assert_eq!(f.store.request(id).unwrap().unwrap().status, Status::Assigned);
    app.handle_key(&ctrl('y'));
    assert!(app.sh.message.as_ref().unwrap().0.contains("没有可重做"));
}

/// Writes made on another thread (an import in the background) are handed
/// to the loop's thread as they are: taken whole when the loop captured
/// nothing of its own (an import's 30,000 changes are not copied into a
/// second list: 1.9 MB), after the loop's own writes when it did.
#[test]
fn a_change_set_from_another_thread_is_adopted_whole_and_after_the_threads_own() {
    let f = Fixture::office();
    let s = f.store.clone();
    let w = f.workers[0];
    s.keep_changes(true);
    let _ = s.take_last_change();
    let t = at(2026, 11, 24, 10, 0);
    let made = std::thread::scope(|sc| {
        sc.spawn(|| {
            s.create_residents(
                &[resident("王五", "13700000001", "", &[]), resident("赵六", "13700000002", "", &[])],
                w,
                t,
            )
            .unwrap();
            s.take_last_change()
        })
        .join()
        .unwrap()
    });
    assert_eq!(made.0.len(), 2);
    let buffer = made.0.as_ptr();
    let copy = made.clone();
    s.adopt_change(made);
    let taken = s.take_last_change();
    assert_eq!(taken, copy);
    assert_eq!(taken.0.as_ptr(), buffer, "the same list, not a copy");

    // the loop's own write first, then the thread's
    s.update_resident(&Resident { notes: "改".into(), ..s.resident(ResidentId(1)).unwrap().unwrap() }, w, t).unwrap();
    s.adopt_change(copy.clone());
    let taken = s.take_last_change();
    assert_eq!(taken.0.len(), 3);
    assert_eq!((taken.0[0].kind, taken.0[0].id), (RecordKind::Resident, 1));
    assert_eq!(taken.0[1..], copy.0[..]);
}

/// An office whose store keeps every change of its transactions (none yet).
fn office_keeping_changes() -> Fixture {
    let f = Fixture::office();
    f.store.keep_changes(true);
    let _ = f.store.take_last_change();
    f
}

/// `n` residents named `name0`, `name1`, … with phones `phone` + 8 digits.
fn numbered(name: &str, phone: &str, address: &str, n: usize) -> Vec<Resident> {
    (0..n).map(|i| resident(&format!("{name}{i}"), &format!("{phone}{i:08}"), address, &[])).collect()
}

/// A large step is taken back a chunk at a time from the step itself:
/// the undo keeps nothing of its own writes while it runs (they were each
/// record's bytes again, ~5 MB for an import of 30,000, thrown away at the
/// end), and ends as it began each chunk, from the last records.
#[test]
fn a_large_undo_holds_no_copy_of_its_own_writes_while_it_runs() {
    let f = office_keeping_changes();
    let s = &f.store;
    let w = f.workers[0];
    let people = numbered("居民", "139", "", 2500);
    for batch in people.chunks(250) {
        s.create_residents(batch, w, at(2026, 11, 24, 10, 0)).unwrap();
    }
    let set = s.take_last_change();
    assert_eq!(set.0.len(), 2500);
    let mut seen = Vec::new();
    s.undo_in_chunks(&set, w, at(2026, 11, 24, 10, 1), |done, total| {
        // what the chunks before wrote is not held for anyone
        assert!(s.take_last_change().0.is_empty(), "at {done} of {total}");
        seen.push(done);
    })
    .unwrap();
    assert_eq!(seen, (0..=2500).step_by(250).collect::<Vec<_>>());
    assert_eq!(s.residents().unwrap().len(), 4);
    let undos = s.audit_entries(3000, |e| e.action == AuditAction::Undo).unwrap();
    assert_eq!(undos.len(), 2500);
    assert!(s.check(false).unwrap().is_clean());
}

/// An import on its thread keeps only fingerprints of the residents it
/// made (issue 19): what is shown is read from the store, the undo reads
/// and checks their bytes there, and its redo makes the very same records
/// again. A resident a colleague changed since is not removed: the undo
/// is refused, changing nothing, and names that resident.
#[test]
fn an_imports_step_of_fingerprints_is_undone_from_the_store_and_redone_exactly() {
    use linli::store::StoreError;
    let f = office_keeping_changes();
    let s = &f.store;
    let w = f.workers[0];
    let people = numbered("导入", "137", "幸福小区1栋", 600);
    s.capture_prints(true);
    for batch in people.chunks(250) {
        s.create_residents(batch, w, at(2026, 11, 24, 10, 0)).unwrap();
    }
    s.capture_prints(false);
    let set = s.take_last_change();
    assert_eq!(set.0.len(), 600);
    assert!(set.0.iter().all(|c| c.before.is_none() && c.after.as_ref().is_some_and(|b| b.is_print())));
    let made: Vec<Resident> = set.0.iter().map(|c| s.resident(ResidentId(c.id)).unwrap().unwrap()).collect();
    // the bytes stored are those the step's fingerprints stand for
    let mut filled = set.clone();
    s.fill_prints(&mut filled).unwrap();
    assert!(!filled.has_prints());
    for (c, r) in filled.0.iter().zip(&made) {
        let b = c.after.as_deref().unwrap();
        assert_eq!(linli::store::codec::decode::<Resident>(b).unwrap(), *r);
    }
    assert_eq!(filled, set);

    // a colleague edits one of them: the undo is refused, nothing removed
    let edited = Resident { notes: "同事改过".into(), ..made[417].clone() };
    s.update_resident(&edited, w, at(2026, 11, 24, 10, 5)).unwrap();
    let mut step = set.clone();
    let refused = s.fill_prints(&mut step);
    assert!(matches!(refused, Err(StoreError::Changed { kind: RecordKind::Resident, key }) if key == made[417].id.0));
    assert!(step.has_prints(), "refused before the end");
    assert_eq!(step, set, "a refused fill leaves the same step");
    assert!(s.undo(&set, w, at(2026, 11, 24, 10, 6)).is_err());
    assert_eq!(s.residents().unwrap().len(), 604);
    assert_eq!(s.resident(made[417].id).unwrap().unwrap().notes, "同事改过");

    // put back as imported: the step undoes, and its redo makes the same
    s.update_resident(&made[417], w, at(2026, 11, 24, 10, 7)).unwrap();
    let back = s.undo(&set, w, at(2026, 11, 24, 10, 8)).unwrap();
    assert!(back.1.is_spilled(), "the undo keeps the bytes its redo needs, in a file");
    assert_eq!(s.residents().unwrap().len(), 4);
    s.undo(&back.inverse(), w, at(2026, 11, 24, 10, 9)).unwrap();
    for r in &made {
        assert_eq!(s.resident(r.id).unwrap().as_ref(), Some(r));
    }
    assert!(s.check(false).unwrap().is_clean());
}

/// The spill files waiting for a redo in the data dir.
fn spills(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let files = std::fs::read_dir(dir).unwrap().flatten();
    files
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".redo-")))
        .collect()
}

/// An undone import keeps the bytes its redo writes in a private spill
/// file in the data dir, not in memory (issue 19zf): the step holds only
/// fingerprints. The redo reads the file and checks every record against
/// its fingerprint: a damaged or cut file refuses it, writing nothing; the
/// file restored, the redo makes the very same residents. The file goes
/// with the step.
#[test]
fn an_undone_imports_bytes_wait_for_its_redo_in_a_spill_file_checked_and_removed_with_it() {
    use linli::store::StoreError;
    let f = office_keeping_changes();
    let s = &f.store;
    let w = f.workers[0];
    s.capture_prints(true);
    for batch in numbered("溢出", "136", "幸福小区2栋", 300).chunks(250) {
        s.create_residents(batch, w, at(2026, 11, 24, 10, 0)).unwrap();
    }
    s.capture_prints(false);
    let set = s.take_last_change();
    let made: Vec<Resident> = set.0.iter().map(|c| s.resident(ResidentId(c.id)).unwrap().unwrap()).collect();
    assert!(spills(s.dir()).is_empty());

    let back = s.undo(&set, w, at(2026, 11, 24, 10, 1)).unwrap();
    assert_eq!(s.residents().unwrap().len(), 4);
    assert!(back.1.is_spilled());
    assert!(back.0.iter().all(|c| c.after.as_ref().is_some_and(|b| b.is_print())), "no bytes held");
    let files = spills(s.dir());
    assert_eq!(files.len(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777, 0o600, "owner-only");
    }
    // a record gone from the store, named from the file
    let named = back.1.read(made[299].id.0).map(|b| linli::store::codec::decode::<Resident>(&b).unwrap().name);
    assert_eq!(named.as_deref(), Some("溢出299"));

    let good = std::fs::read(&files[0]).unwrap();
    let mut bad = good.clone();
    let n = bad.len();
    bad[n - 3] ^= 0x20;
    for damaged in [bad, good[..n - 1].to_vec()] {
        std::fs::write(&files[0], damaged).unwrap();
        let refused = s.undo(&back.inverse(), w, at(2026, 11, 24, 10, 2));
        assert!(matches!(refused, Err(StoreError::Corrupt { what: "redo", .. })), "{refused:?}");
        assert_eq!(s.residents().unwrap().len(), 4, "a refused redo writes nothing");
    }
    std::fs::write(&files[0], &good).unwrap();
    let mut redone = back.inverse();
    s.ready(&mut redone).unwrap();
    s.undo_in_chunks(&redone, w, at(2026, 11, 24, 10, 3), |_, _| {}).unwrap();
    for r in &made {
        assert_eq!(s.resident(r.id).unwrap().as_ref(), Some(r));
    }
    // (made again: known by fingerprints again, as after the import)
    redone.invert();
    redone.settle();
    assert!(!redone.1.is_spilled() && redone.0.iter().all(|c| c.after.as_ref().is_some_and(|b| b.is_print())));
    assert_eq!(redone, set);
    assert_eq!(spills(s.dir()), files, "held while the step that undid it is");
    drop(back);
    assert!(spills(s.dir()).is_empty(), "the file goes with the step");
    assert!(s.check(false).unwrap().is_clean());
}

/// The undo of an import names what it took back, from the bytes it read
/// (the residents are gone from the store by then), on one line at 80
/// columns; its redo too (issue 19zf: it said 居民，居民，居民).
#[test]
fn the_undo_of_an_import_names_its_residents_on_one_line() {
    use crate::screens::{draw, text};
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let f = office_keeping_changes();
    let w = f.workers[0];
    let mut app = f.app(linli::i18n::Lang::Zh);
    f.store.capture_prints(true);
    for batch in numbered("溢出", "136", "幸福小区2栋", 300).chunks(250) {
        f.store.create_residents(batch, w, at(2026, 11, 24, 10, 0)).unwrap();
    }
    f.store.capture_prints(false);
    app.sh.undo.push(f.store.take_last_change());
    app.handle_key(&KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
    assert_eq!(f.store.residents().unwrap().len(), 4);
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("已撤销：居民 溢出0，溢出1，溢出2，等 297 条（Ctrl+Y 重做）"), "{s}");
    app.handle_key(&KeyEvent::new(KeyCode::Char('y'), KeyModifiers::CONTROL));
    assert_eq!(f.store.residents().unwrap().len(), 304);
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("已重做：居民 溢出0，溢出1，溢出2，等 297 条"), "{s}");
    // undone again, its file damaged: the redo refused, saying so, nothing written
    app.handle_key(&KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
    let files = spills(f.store.dir());
    assert_eq!(files.len(), 1);
    std::fs::write(&files[0], b"\0\0\0").unwrap();
    app.handle_key(&KeyEvent::new(KeyCode::Char('y'), KeyModifiers::CONTROL));
    assert_eq!(f.store.residents().unwrap().len(), 4);
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("无法重做：重做所需的临时文件已损坏或丢失，未做任何改动"), "{s}");
    assert!(spills(f.store.dir()).is_empty(), "the refused step dropped, its file with it");
}
