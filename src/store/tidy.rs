//! Before sled opens the store: the data dir's lock, what earlier runs
//! left behind, and sled's own leftovers that would stop it from opening.
//!
//! # The lock
//!
//! `DATA_DIR/linli.lock` is locked (exclusively, `flock` / `LockFileEx`)
//! by every open store for its whole life, and by a restore from its first
//! check to its last rename. Whoever holds it knows that no other linli
//! is using the data dir, so it may tidy it.
//!
//! # sled's snapshot files (sled 0.34.7, `pagecache/snapshot.rs`)
//!
//! sled's log (`store/db`) is the truth; a snapshot (`store/snap.<LSN>`,
//! 16 hex digits) only saves it from reading the whole log at start-up.
//! sled writes a snapshot only while opening (`PageCache::start` →
//! `read_snapshot_or_default` → `advance_snapshot` → `write_snapshot`;
//! `take_fuzzy_snapshot` is unused in 0.34.7): it writes
//! `snap.<LSN>.generating`, syncs it, renames it to `snap.<LSN>`, and only
//! then removes the older snapshots. At the next open `read_snapshot` takes
//! the file that sorts last among those named `snap.*` (except
//! `*.in___motion`), and fails with "corruption at None" if it is 12 bytes
//! or shorter or its CRC-32 (crc32fast over all but the last 12 bytes,
//! little-endian, in the last 4) does not match. Two kinds of leftovers
//! therefore stop every later open although every record is intact:
//!
//! 1. `snap.<LSN>.generating`, from an open killed (or out of disk space)
//!    before its rename. It sorts after `snap.<LSN>` and is taken first.
//!    Nothing ever needs it: the snapshot it was to become was never
//!    installed, the older snapshot is still there (sled removes old ones
//!    only after the rename), and sled rebuilds from that one, or from the
//!    start of the log when there is none, by reading the log forward
//!    (`raw_segment_iter_from`), exactly as after any crash. So every
//!    `.generating` file is set aside, complete or not.
//! 2. A final `snap.<LSN>` that fails the check above (a damaged sector; a
//!    file system that lost the data of a renamed file). It is set aside
//!    too, newest first, until the newest one left passes; sled then reads
//!    the log from the older snapshot or from its start.
//!
//! "Set aside" means moved into `DATA_DIR/set-aside/`, never deleted: the
//! files hold no record that the log does not. `conf` and the blobs folder
//! are left alone (sled checks `conf` itself and rewrites it when missing).

use super::{Result, StoreError};
use std::fs::{self, File};
use std::path::{Path, PathBuf};

pub const LOCK_FILE: &str = "linli.lock";
/// Where sled's leftovers are moved (see above).
pub const SET_ASIDE_DIR: &str = "set-aside";

/// The data dir's lock, held while the value lives.
#[derive(Debug)]
pub struct DirLock {
    _file: File,
}

impl DirLock {
    /// Takes the lock of `data_dir`, waiting up to a second for a linli
    /// that is just closing; `Locked` if another linli keeps it.
    pub fn acquire(data_dir: &Path) -> Result<DirLock> {
        use fs2::FileExt;
        let file = crate::platform::private::open_or_create(&data_dir.join(LOCK_FILE))?;
        for _ in 0..20 {
            if file.try_lock_exclusive().is_ok() {
                return Ok(DirLock { _file: file });
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        match file.try_lock_exclusive() {
            Ok(()) => Ok(DirLock { _file: file }),
            Err(_) => Err(StoreError::Locked(data_dir.to_path_buf())),
        }
    }
}

/// Makes linli's own files and folders in the data dir owner-only: those
/// an older linli wrote open to every account (folders 0755, files 0644)
/// are closed at the next start. Only linli's own names are touched: a
/// data dir chosen with `--data-dir` may hold other things.
pub fn restrict_data_dir(data_dir: &Path) {
    use crate::platform::private::{restrict, restrict_tree};
    let _ = restrict(data_dir);
    for e in fs::read_dir(data_dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(kind) = e.file_type() else { continue };
        let own_dir = OWN_DIRS.contains(&name.as_str())
            || name.starts_with("store.before-restore-")
            || name.starts_with(".restore-");
        let own_file = OWN_FILES.contains(&name.as_str()) || (name.ends_with(".txt") && !name.contains('/'));
        if kind.is_dir() && own_dir {
            restrict_tree(&e.path());
        } else if kind.is_file() && own_file {
            let _ = restrict(&e.path());
        }
    }
}

/// Folders of a data dir that are linli's.
const OWN_DIRS: &[&str] = &["store", "snapshots", "backups", "exports", SET_ASIDE_DIR, "demo"];
/// Files of a data dir that are linli's (with the office's `.txt` files).
const OWN_FILES: &[&str] = &[
    LOCK_FILE,
    "index.snapshot",
    "index.snapshot.tmp",
    "daylog.snapshot",
    "roster.snapshot",
    "figures.snapshot",
    "signing.key",
    "restore-pending.json",
];

/// Removes what an interrupted linli left in the data dir: half-written
/// backups, snapshots and exports (`.NAME.PID.part`), the index cache's
/// temporary file, and restore staging folders (`.restore-*`) whose
/// journal is gone (a restore with a journal is finished first, see
/// `backup::recover_interrupted_restore`). Call only while holding the
/// [`DirLock`]. Best effort; returns what was removed.
pub fn remove_leftovers(data_dir: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    for e in fs::read_dir(data_dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        let gone = if is_dir && name.starts_with(".restore-") {
            fs::remove_dir_all(&path).is_ok()
        } else if !is_dir && (is_part(&name) || name == "index.snapshot.tmp") {
            fs::remove_file(&path).is_ok()
        } else {
            false
        };
        if gone {
            removed.push(path);
        }
    }
    for sub in ["backups", super::snapshot::SNAPSHOT_DIR, "exports"] {
        for e in fs::read_dir(data_dir.join(sub)).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if is_part(&name) && e.file_type().is_ok_and(|t| t.is_file()) && fs::remove_file(e.path()).is_ok() {
                removed.push(e.path());
            }
        }
    }
    removed
}

/// `.NAME.PID.part`: how backups and exports name what they are writing.
fn is_part(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".part")
}

/// Moves sled's snapshot leftovers out of `store_dir` (see the module
/// comment) into `data_dir/set-aside/`. Call only while holding the
/// [`DirLock`]. Returns where each went.
pub fn set_aside_sled_leftovers(data_dir: &Path, store_dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut snaps: Vec<(String, PathBuf)> = fs::read_dir(store_dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| n.starts_with("snap.") && !n.ends_with(".in___motion"))
        .collect();
    // sled's order: the last one sorted is the one it reads
    snaps.sort();
    let mut moved = Vec::new();
    let mut aside = |path: &Path, name: &str| -> std::io::Result<()> {
        let dir = data_dir.join(SET_ASIDE_DIR);
        crate::platform::private::create_dir_all(&dir)?;
        let mut to = dir.join(name);
        let mut n = 2;
        while to.exists() {
            to = dir.join(format!("{name}.{n}"));
            n += 1;
        }
        fs::rename(path, &to)?;
        moved.push(to);
        Ok(())
    };
    let mut kept = Vec::new();
    for (name, path) in snaps {
        if name.ends_with(".generating") {
            aside(&path, &name)?;
        } else {
            kept.push((name, path));
        }
    }
    while let Some((name, path)) = kept.pop() {
        if snapshot_passes_sleds_check(&path) {
            break;
        }
        aside(&path, &name)?;
    }
    if !moved.is_empty() {
        super::backup::sync_dir(store_dir);
    }
    Ok(moved)
}

/// sled's own test of a snapshot file in `read_snapshot`: longer than 12
/// bytes, and the CRC-32 of all but the last 12 in the last 4 (LE).
fn snapshot_passes_sleds_check(path: &Path) -> bool {
    let Ok(buf) = fs::read(path) else { return false };
    let len = buf.len();
    if len <= 12 {
        return false;
    }
    let want = u32::from_le_bytes([buf[len - 4], buf[len - 3], buf[len - 2], buf[len - 1]]);
    crc32fast::hash(&buf[..len - 12]) == want
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot_file(body: &[u8]) -> Vec<u8> {
        let mut v = body.to_vec();
        v.extend_from_slice(&(body.len() as u64).to_le_bytes());
        v.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
        v
    }

    #[test]
    fn generating_files_and_a_damaged_newest_snapshot_are_moved_aside() {
        let data = tempfile::tempdir().unwrap();
        let store = data.path().join("store");
        fs::create_dir(&store).unwrap();
        fs::write(store.join("snap.0000000000000100"), snapshot_file(b"older")).unwrap();
        fs::write(store.join("snap.0000000000000200"), &snapshot_file(b"newer but damaged")[..9]).unwrap();
        fs::write(store.join("snap.0000000000000300.generating"), b"").unwrap();
        fs::write(store.join("snap.0000000000000100.generating"), snapshot_file(b"complete")).unwrap();
        fs::write(store.join("db"), b"the log").unwrap();
        let moved = set_aside_sled_leftovers(data.path(), &store).unwrap();
        assert_eq!(moved.len(), 3, "{moved:?}");
        let mut left: Vec<String> =
            fs::read_dir(&store).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, ["db", "snap.0000000000000100"]);
        assert!(data.path().join(SET_ASIDE_DIR).join("snap.0000000000000300.generating").exists());
        // a second time: nothing more to do
        assert!(set_aside_sled_leftovers(data.path(), &store).unwrap().is_empty());
    }

    #[test]
    fn leftovers_of_interrupted_work_are_removed_and_nothing_else() {
        let data = tempfile::tempdir().unwrap();
        let d = data.path();
        for sub in ["backups", "snapshots", "exports", ".restore-20261124-100000-7/store"] {
            fs::create_dir_all(d.join(sub)).unwrap();
        }
        for f in [
            "backups/.linli-backup-20261124-100000.jsonl.gz.77.part",
            "snapshots/.snapshot-2026-11-24.jsonl.gz.77.part",
            "exports/.居民-20261124-1000.csv.77.part",
            "index.snapshot.tmp",
            "backups/linli-backup-20261123-100000.jsonl.gz",
            "calendar.txt",
        ] {
            fs::write(d.join(f), b"x").unwrap();
        }
        let removed = remove_leftovers(d);
        assert_eq!(removed.len(), 5, "{removed:?}");
        assert!(d.join("backups/linli-backup-20261123-100000.jsonl.gz").exists());
        assert!(d.join("calendar.txt").exists());
        assert!(!d.join(".restore-20261124-100000-7").exists());
    }

    #[test]
    fn the_lock_is_exclusive() {
        let d = tempfile::tempdir().unwrap();
        let held = DirLock::acquire(d.path()).unwrap();
        assert!(matches!(DirLock::acquire(d.path()), Err(StoreError::Locked(_))));
        drop(held);
        DirLock::acquire(d.path()).unwrap();
    }
}
