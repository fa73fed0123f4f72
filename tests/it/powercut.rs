//! A power cut, not only a crash (SAFETY.md §1). SIGKILL leaves the page
//! cache intact, so no kill test can see a missing `fdatasync`. Here the
//! real binary runs under an `LD_PRELOAD` shim (`powercut/shim.c`, compiled
//! by this test with `cc`; no compiler is a failure, not a skip) that logs
//! every write to `store/` and every fsync/fdatasync. After the kill, the
//! store folder is rebuilt from its copy taken before the start plus only
//! the writes a later sync made durable — what a power cut leaves behind.
//! Every write reported saved (`linli stress` prints only after its flush)
//! must be there, with its audit entry, and `check` must be clean.
//!
//! Remove `self.data_file.sync_data()?` from `Store::flush` and this test
//! fails: sled's own flush (`sync_file_range`) makes nothing durable.

#[cfg(unix)]
use std::collections::{HashMap, HashSet};
#[cfg(unix)]
use std::io::{BufRead, BufReader};
use std::path::Path;
#[cfg(unix)]
use std::path::PathBuf;
use std::process::Command;
#[cfg(unix)]
use std::process::Stdio;

#[cfg(unix)]
/// Compiles the shim into `out`; panics (the test fails) without `cc`.
pub fn shim(out: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/powercut/shim.c");
    let so = out.join("powercut.so");
    let st = Command::new("cc")
        .args(["-shared", "-fPIC", "-O1", "-o"])
        .arg(&so)
        .arg(&src)
        .arg("-ldl")
        .status()
        .unwrap_or_else(|e| panic!("the power-cut test needs a C compiler (`cc`): {e}"));
    assert!(st.success(), "cc failed on {}", src.display());
    so
}

#[cfg(unix)]
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), &t).unwrap();
        }
    }
}

#[cfg(unix)]
#[derive(Debug)]
enum Op {
    Write { path: String, off: u64, data: Vec<u8> },
    Sync(String),
    Truncate(String, u64),
    Create(String),
    Unlink(String),
    Rename(String, String),
}

#[cfg(unix)]
/// The shim's log; a torn last entry (the kill landed in its write) is dropped.
fn parse(log: &[u8]) -> Vec<Op> {
    let mut ops = Vec::new();
    let mut i = 0;
    while i + 21 <= log.len() {
        let kind = log[i];
        let pl = u32::from_ne_bytes(log[i + 1..i + 5].try_into().unwrap()) as usize;
        let a = u64::from_ne_bytes(log[i + 5..i + 13].try_into().unwrap());
        let len = u64::from_ne_bytes(log[i + 13..i + 21].try_into().unwrap()) as usize;
        let end = i + 21 + pl + len;
        if end > log.len() {
            break;
        }
        let path = String::from_utf8(log[i + 21..i + 21 + pl].to_vec()).unwrap();
        let data = log[i + 21 + pl..end].to_vec();
        ops.push(match kind {
            b'W' => Op::Write { path, off: a, data },
            b'S' => Op::Sync(path),
            b'T' => Op::Truncate(path, a),
            b'C' => Op::Create(path),
            b'U' => Op::Unlink(path),
            b'R' => Op::Rename(path, String::from_utf8(data).unwrap()),
            k => panic!("unknown entry {k} in the shim's log"),
        });
        i = end;
    }
    ops
}

#[cfg(unix)]
/// What the power cut leaves: `store` becomes `base` plus every metadata
/// change and every write followed by a sync of its file. Returns the
/// (kept, dropped) bytes written.
pub fn power_cut(store: &Path, base: Option<&Path>, log: &[u8]) -> (u64, u64) {
    let ops = parse(log);
    // a write is durable when a sync of its file follows it
    let mut durable = vec![false; ops.len()];
    let mut synced_later: HashSet<&str> = HashSet::new();
    for (i, op) in ops.iter().enumerate().rev() {
        match op {
            Op::Sync(p) => {
                synced_later.insert(p);
            }
            Op::Write { path, .. } => durable[i] = synced_later.contains(path.as_str()),
            _ => durable[i] = true,
        }
    }
    std::fs::remove_dir_all(store).ok();
    match base {
        Some(b) => copy_dir(b, store),
        None => std::fs::create_dir_all(store).unwrap(),
    }
    let open = |p: &str| {
        std::fs::create_dir_all(Path::new(p).parent().unwrap()).unwrap();
        std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(p).unwrap()
    };
    let (mut kept, mut dropped) = (0, 0);
    for (op, durable) in ops.iter().zip(durable) {
        match op {
            Op::Write { path, off, data } if durable => {
                use std::os::unix::fs::FileExt;
                open(path).write_all_at(data, *off).unwrap();
                kept += data.len() as u64;
            }
            Op::Write { data, .. } => dropped += data.len() as u64,
            Op::Sync(_) => {}
            Op::Truncate(p, len) => open(p).set_len(*len).unwrap(),
            Op::Create(p) => drop(open(p)),
            Op::Unlink(p) => drop(std::fs::remove_file(p)),
            Op::Rename(a, b) => drop(std::fs::rename(a, b)),
        }
    }
    (kept, dropped)
}

/// Where a kill landed, from the store's own markers (`LINLI_TEST_MARKERS`):
/// before any write, inside one (a `begin` without its `end`), or after one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Landed {
    Before,
    Inside,
    After,
}

pub fn landed(markers: &Path) -> Landed {
    let text = std::fs::read_to_string(markers).unwrap_or_default();
    match text.lines().last() {
        None => Landed::Before,
        Some(l) if l.starts_with("begin ") => Landed::Inside,
        Some(_) => Landed::After,
    }
}

/// A child's whole environment, set explicitly (nothing from the caller's).
pub fn clean_env(cmd: &mut Command, data: &Path, home: &Path) {
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("TMPDIR", home)
        .env("LINLI_LANG", "zh")
        .env("LINLI_DATA_DIR", data)
        .env("LINLI_NOW", "2026-11-24T10:00:00");
}

#[cfg(unix)]
/// Every audit entry, read from the audit tree itself (not its index).
#[cfg(unix)]
#[test]
fn a_power_cut_keeps_every_write_reported_saved_with_its_audit_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let so = shim(tmp.path());
    let data = std::fs::canonicalize(tmp.path()).unwrap().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let store_dir = data.join("store");
    let (base, log, markers) = (tmp.path().join("base"), tmp.path().join("log"), tmp.path().join("markers"));
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut reported: Vec<String> = Vec::new();
    let mut where_: HashMap<Landed, u32> = HashMap::new();
    let (mut kept, mut dropped, mut rounds_dropping) = (0, 0, 0);
    const ROUNDS: u64 = 30;
    for round in 0..ROUNDS {
        std::fs::remove_dir_all(&base).ok();
        let had_store = store_dir.exists();
        if had_store {
            copy_dir(&store_dir, &base);
        }
        std::fs::remove_file(&log).ok();
        std::fs::remove_file(&markers).ok();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_linli"));
        clean_env(&mut cmd, &data, tmp.path());
        cmd.args(["stress", "--count", "100000", "--seed", &(round + 1).to_string()])
            .env("LD_PRELOAD", &so)
            .env("LINLI_POWERCUT_DIR", &store_dir)
            .env("LINLI_POWERCUT_LOG", &log)
            .env("LINLI_TEST_MARKERS", &markers)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = cmd.spawn().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // even rounds: after a random number of reported writes; odd
        // rounds: the moment the markers show a write begun, not ended
        let wait_for = if round % 2 == 0 { 1 + rnd() % 8 } else { 1 };
        for _ in 0..wait_for {
            match lines.next() {
                Some(Ok(l)) => reported.push(l),
                _ => break,
            }
        }
        if round % 2 == 1 {
            let skip = rnd() % 4;
            let t = std::time::Instant::now();
            while t.elapsed() < std::time::Duration::from_secs(5) {
                let text = std::fs::read_to_string(&markers).unwrap_or_default();
                let begun = text.lines().filter(|l| l.starts_with("begin")).count() as u64;
                if begun > skip && landed(&markers) == Landed::Inside {
                    break;
                }
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        reported.extend(lines.map_while(Result::ok));
        *where_.entry(landed(&markers)).or_default() += 1;

        let (k, d) = power_cut(&store_dir, had_store.then_some(base.as_path()), &std::fs::read(&log).unwrap());
        kept += k;
        dropped += d;
        rounds_dropping += u32::from(d > 0);

        let store = linli::store::Store::open(&data)
            .unwrap_or_else(|e| panic!("round {round}: the store does not open after a power cut: {e}"));
        crate::support::check_reported_writes(&store, &reported, round);
        let report = store.check(false).unwrap();
        assert!(report.is_clean(), "round {round}: {report:?}");
    }
    eprintln!(
        "power cut: {ROUNDS} rounds, {} writes reported saved, {kept} bytes synced and kept, {dropped} unsynced \
         bytes dropped ({rounds_dropping} rounds dropped some); kills landed {where_:?}",
        reported.len()
    );
    assert!(reported.len() >= 60, "the test must actually write: {}", reported.len());
    // the cut must really drop something, or it tests nothing
    assert!(rounds_dropping >= ROUNDS as u32 / 10, "only {rounds_dropping} rounds dropped unsynced writes");
    let inside = where_.get(&Landed::Inside).copied().unwrap_or(0);
    assert!(inside >= ROUNDS as u32 / 4, "too few kills inside a write: {where_:?}");
}
