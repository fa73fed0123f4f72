//! SAFETY.md promises that had no test of their own (issue 21): each checks
//! the effect in the files or the store, not only what was printed.

use crate::support::{Fixture, at};
use linli::domain::request::{Move, Status};
use linli::store::audit::AuditAction;
use linli::store::record::RecordKind;
use linli::store::{Store, StoreError};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The real binary on `dir`, with a clean environment and `stdin`.
fn run(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_linli"));
    crate::powercut::clean_env(&mut cmd, dir, home.path());
    cmd.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

/// sled itself on `store/`, behind linli's back (a store dropped a moment
/// ago may still hold sled's lock for a little while).
fn raw_sled(dir: &Path) -> sled::Db {
    let t = std::time::Instant::now();
    loop {
        match crate::support::raw_sled_at(&dir.join("store")) {
            Ok(db) => return db,
            Err(e) if t.elapsed() < std::time::Duration::from_secs(5) => {
                let _ = e;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => panic!("sled does not open: {e}"),
        }
    }
}

fn said(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// Every file under `dir` with its bytes (and, on Unix, its mode).
fn files(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32)> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            #[cfg(unix)]
            let mode = std::os::unix::fs::PermissionsExt::mode(&m.permissions());
            #[cfg(not(unix))]
            let mode = 0;
            if m.is_dir() {
                todo.push(e.path());
                out.insert(e.path().strip_prefix(dir).unwrap().to_path_buf(), (Vec::new(), mode));
            } else {
                out.insert(e.path().strip_prefix(dir).unwrap().to_path_buf(), (std::fs::read(e.path()).unwrap(), mode));
            }
        }
    }
    out
}

/// Every tree's keys and values, read with sled itself.
fn content(dir: &Path) -> BTreeMap<(Vec<u8>, Vec<u8>), Vec<u8>> {
    let db = raw_sled(dir);
    let mut out = BTreeMap::new();
    for name in db.tree_names() {
        for item in db.open_tree(&name).unwrap().iter() {
            let (k, v) = item.unwrap();
            out.insert((name.to_vec(), k.to_vec()), v.to_vec());
        }
    }
    out
}

fn office_on_disk() -> (tempfile::TempDir, Vec<linli::domain::RequestId>) {
    let f = Fixture::office();
    let ids = f.requests.iter().map(|r| r.id).collect();
    let Fixture { dir, store, .. } = f;
    drop(store);
    (dir, ids)
}

/// SAFETY §8: `linli check` lists a record that cannot be read.
#[test]
fn check_names_an_unreadable_record_and_the_others_still_read() {
    let (dir, ids) = office_on_disk();
    let bad = ids[1];
    {
        let db = raw_sled(dir.path());
        db.open_tree("requests").unwrap().insert(bad.0.to_be_bytes(), &[1u8, 0xff, 0xff, 0xff][..]).unwrap();
        db.flush().unwrap();
    }
    let o = run(dir.path(), &["check"], "");
    let s = said(&o);
    assert!(!o.status.success(), "an unreadable record is a failed check: {s}");
    assert!(s.contains(&bad.0.to_string()) || s.contains(&bad.to_string()), "the record is named: {s}");
    assert!(s.contains("无法读取"), "in Chinese: {s}");
    let store = Store::open(dir.path()).unwrap();
    let report = store.check(false).unwrap();
    assert!(!report.is_clean(), "{report:?}");
    for id in ids.iter().filter(|i| **i != bad) {
        assert!(store.request(*id).unwrap().is_some(), "{id} still reads");
    }
}

/// SAFETY §8: data written by a newer linli is refused, nothing changed:
/// every file of the data dir byte-identical, through the library and the
/// binary.
#[test]
fn a_newer_schema_is_refused_and_nothing_in_the_data_dir_changes() {
    let (dir, _) = office_on_disk();
    {
        let db = raw_sled(dir.path());
        db.open_tree("meta").unwrap().insert("schema_version", &99u32.to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    let (before, content) = (files(dir.path()), content(dir.path()));
    match Store::open(dir.path()) {
        Err(StoreError::NewerSchema { found: 99, .. }) => {}
        other => panic!("expected NewerSchema, got {:?}", other.err()),
    }
    let o = run(dir.path(), &["info"], "");
    assert!(!o.status.success() && said(&o).contains("更新版本的邻里"), "{}", said(&o));
    // every key and value of every tree, as the newer linli left them
    assert!(content == self::content(dir.path()), "a refused open changed the store's content");
    // every file but sled's own log and page-table snapshot, byte for byte:
    // sled itself writes those at each open, before linli can read the
    // schema version (see SAFETY.md §8)
    let sleds =
        |p: &Path| p.starts_with("store/db") || p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("snap."));
    let before: BTreeMap<_, _> = before.into_iter().filter(|(p, _)| !sleds(p)).collect();
    let after: BTreeMap<_, _> = files(dir.path()).into_iter().filter(|(p, _)| !sleds(p)).collect();
    let changed: Vec<_> = after
        .iter()
        .filter(|(p, v)| before.get(*p) != Some(*v))
        .map(|(p, _)| p.display().to_string())
        .chain(before.keys().filter(|p| !after.contains_key(*p)).map(|p| format!("{} (gone)", p.display())))
        .collect();
    assert!(changed.is_empty(), "a refused open changed {changed:?}");
}

/// SAFETY §3: an upgrade cut short by a crash leaves the old version and
/// the next start upgrades again. The frozen schema-1 store is opened by
/// the real binary (`info`), killed at seeded moments of its upgrade, then
/// opened to the end: every record of the finished upgrade is there.
#[cfg(unix)]
#[test]
fn an_upgrade_cut_short_by_a_kill_runs_again_to_the_end() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/fixtures/v1-office/store");
    let fresh = || {
        let dir = tempfile::tempdir().unwrap();
        crate::powercut::copy_dir(&src, &dir.path().join("store"));
        dir
    };
    // the reference: one upgrade without a kill
    let reference = fresh();
    let want = {
        let s = Store::open(reference.path()).unwrap();
        assert_eq!(s.stored_schema_version().unwrap(), 6);
        let report = s.check(false).unwrap();
        assert!(report.is_clean(), "the reference upgrade: {report:?}");
        (s.all::<linli::domain::Request>().unwrap(), s.residents().unwrap(), s.workers().unwrap())
    };
    let mut x: u64 = 0x1234_5678_9ABC_DEF1;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    // how long the binary's upgrade takes here, from its line to its exit:
    // the kills land within that, whatever the machine's speed (the
    // quickest of three: one start slowed by a busy machine would put most
    // kills after the end)
    let spawn = |dir: &Path, home: &Path| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_linli"));
        crate::powercut::clean_env(&mut cmd, dir, home);
        let mut child = cmd.arg("info").stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
        let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        let _ = std::io::BufRead::read_line(&mut err, &mut line);
        assert!(line.contains("正在升级"), "{line}");
        (child, std::time::Instant::now())
    };
    let whole = (0..3)
        .map(|_| {
            let (dir, home) = (fresh(), tempfile::tempdir().unwrap());
            let (mut child, t) = spawn(dir.path(), home.path());
            assert!(child.wait().unwrap().success());
            t.elapsed().as_micros().max(1000) as u64
        })
        .min()
        .unwrap();
    let (mut cut, mut rounds, mut versions) = (0, 0, Vec::new());
    // 20 rounds, more (up to 60) while fewer than 5 kills landed inside
    while rounds < 20 || (cut < 5 && rounds < 60) {
        let dir = fresh();
        let home = tempfile::tempdir().unwrap();
        // the binary says when the upgrade starts (before its first step)
        let (mut child, t) = spawn(dir.path(), home.path());
        let at = std::time::Duration::from_micros(rnd() % whole);
        while t.elapsed() < at && child.try_wait().unwrap().is_none() {}
        let _ = child.kill();
        let status = child.wait().unwrap();
        rounds += 1;
        // what the kill left: the old version or the new one, never between
        {
            let db = raw_sled(dir.path());
            let v = db.open_tree("meta").unwrap().get("schema_version").unwrap();
            let v = v.map(|v| u32::from_be_bytes(v.as_ref().try_into().unwrap())).unwrap_or(0);
            assert!(v <= 6, "{v}");
            versions.push(v);
            // inside the upgrade: some steps written, not all
            if !status.success() && (2..6).contains(&v) {
                cut += 1;
            }
        }
        let s = Store::open(dir.path()).unwrap_or_else(|e| panic!("the next start upgrades again: {e}"));
        assert_eq!(s.stored_schema_version().unwrap(), 6);
        let got = (s.all::<linli::domain::Request>().unwrap(), s.residents().unwrap(), s.workers().unwrap());
        assert_eq!(got, want, "the records after a cut-short upgrade");
        let report = s.check(false).unwrap();
        assert!(report.is_clean(), "after a kill at {at:?} (exit {status:?}): {report:?}");
    }
    eprintln!(
        "upgrade: {whole} µs uninterrupted; {rounds} kills, {cut} inside the upgrade; schema left by each kill: {versions:?}"
    );
    assert!(cut >= 5, "too few kills landed inside the upgrade finished: {cut} of {rounds}");
}

/// SAFETY §5: an undo is a durable, audited change: after closing and
/// reopening, the record is as the undo left it, with the Undo entry.
#[test]
fn an_undo_survives_a_reopen_with_its_audit_entry() {
    let f = Fixture::office();
    let (w, id) = (f.workers[0], f.requests[1].id);
    f.store.move_request(id, &Move::Resolve("已协调".into()), w, at(2026, 11, 24, 10, 0), &f.cats, &f.cal).unwrap();
    let set = f.store.take_last_change();
    f.store.undo(&set, w, at(2026, 11, 24, 10, 1)).unwrap();
    let Fixture { dir, store, .. } = f;
    drop(store);
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.request(id).unwrap().unwrap().status, Status::InProgress);
    let history = s.history(RecordKind::Request, id.0).unwrap();
    assert_eq!(history.last().map(|e| (e.action, e.by)), Some((AuditAction::Undo, Some(w))), "{history:?}");
}

/// SAFETY §6: only a salted, iterated SHA-256 of the PIN is stored: the
/// stored record is 16 bytes of salt and a 32-byte hash that is neither the
/// PIN nor one SHA-256 of it, and two stores given the same PIN differ.
#[test]
fn the_pin_is_stored_salted_and_iterated() {
    use sha2::{Digest, Sha256};
    let stored = |pin: &str| {
        let (dir, _) = office_on_disk();
        let o = run(dir.path(), &["pin", "set"], &format!("{pin}\n{pin}\n"));
        assert!(o.status.success(), "{}", said(&o));
        let db = raw_sled(dir.path());
        db.open_tree("meta").unwrap().get("pin").unwrap().expect("a PIN record").to_vec()
    };
    let (a, b) = (stored("2468"), stored("2468"));
    assert_eq!((a.len(), b.len()), (48, 48), "salt and hash");
    assert_ne!(a[..16], b[..16], "a salt of its own");
    assert_ne!(a[16..], b[16..], "the same PIN hashes differently with another salt");
    for v in [&a, &b] {
        let hay = String::from_utf8_lossy(v);
        assert!(!hay.contains("2468"), "the PIN itself is not stored");
        let once: [u8; 32] = Sha256::new().chain_update(&v[..16]).chain_update(b"2468").finalize().into();
        let plain: [u8; 32] = Sha256::digest(b"2468").into();
        assert!(v[16..] != once && v[16..] != plain, "more than one round of SHA-256");
    }
}

/// SAFETY §10: a CLI export masks phone numbers unless asked: read the file.
#[test]
fn a_command_line_export_masks_numbers_in_the_file_itself() {
    let (dir, _) = office_on_disk();
    let csv = dir.path().join("居民.csv");
    let c = csv.to_string_lossy().into_owned();
    let o = run(dir.path(), &["export", "residents", "--format", "csv", "--out", &c], "");
    assert!(o.status.success(), "{}", said(&o));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("138****5678"), "{text}");
    assert!(!text.contains("13812345678"), "no full number in a masked export: {text}");
    let o = run(
        dir.path(),
        &["export", "residents", "--format", "csv", "--out", &c, "--full-numbers", "--by", "王建国"],
        "",
    );
    assert!(o.status.success(), "{}", said(&o));
    assert!(std::fs::read_to_string(&csv).unwrap().contains("13812345678"));
    let s = Store::open(dir.path()).unwrap();
    let exports = s.audit_entries(10, |e| e.action == AuditAction::Export).unwrap();
    assert_eq!(exports.len(), 2, "both exports are in the audit trail: {exports:?}");
}

/// SAFETY §9: a refused import writes nothing: no record, no audit entry,
/// the store's generation unchanged.
#[test]
fn a_refused_import_leaves_the_store_unchanged() {
    let (dir, _) = office_on_disk();
    let snapshot = |d: &Path| {
        let s = Store::open(d).unwrap();
        (s.generation().unwrap(), s.residents().unwrap(), s.audit_entries(100_000, |_| true).unwrap().len())
    };
    let before = snapshot(dir.path());
    let sheet = dir.path().join("new.csv");
    // a bad phone (refused without --skip-bad-rows), then an open quote
    for (i, body) in
        ["姓名,电话\n周七,13900005555\n吴八,123\n", "姓名,电话\n周七,13900005555\n\"吴八,139\n郑九,13900006666\n"]
            .into_iter()
            .enumerate()
    {
        std::fs::write(&sheet, body).unwrap();
        let o = run(dir.path(), &["import", "residents", &sheet.to_string_lossy(), "--by", "1"], "");
        assert!(!o.status.success(), "sheet {i} is refused: {}", said(&o));
        assert_eq!(snapshot(dir.path()), before, "sheet {i}: the store changed");
    }
}
