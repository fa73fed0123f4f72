//! Which segment size sled opens a store with.
//!
//! sled 0.34 writes its log in segments of a fixed size, set when the store
//! is made and written in `store/conf` (`segment_size: 524288`); it refuses
//! to open a store with any other. A segment's pages are moved elsewhere
//! only once it is at most half live (a constant in sled), so the dead
//! pages of leaves rewritten on later appends stay behind in segments that
//! are still more than half live: the smaller the segments, the fewer
//! (BENCHMARKS.md, issue 19s). A store this linli makes gets
//! [`NEW_SEGMENT`]; every store that already exists keeps its own size.
//!
//! Stores made up to stop 28 all have sled's default, [`OLD_SEGMENT`].
//! The size is read from sled's `conf` and checked against linli's own
//! marker file beside it (which since this change names the size; one that
//! names none is a store of [`OLD_SEGMENT`]); when the `conf` cannot be
//! read, the marker's, and for a store with a log but neither,
//! [`OLD_SEGMENT`]. A `conf` that names a size sled cannot have written is
//! not guessed over: sled is asked with the fallback size and refuses, and
//! the user sees that the store's files are damaged (as when the `conf`
//! and the marker disagree). sled itself rewrites a `conf` of 8 bytes or
//! fewer with the size it is given, never the log.

use std::path::Path;

/// Segments of a store made by this linli: 256 KiB (BENCHMARKS.md, 19s).
pub(crate) const NEW_SEGMENT: u64 = 256 * 1024;
/// sled's default, the size of every store made before [`NEW_SEGMENT`].
pub(crate) const OLD_SEGMENT: u64 = 512 * 1024;

/// The segment size to open the store in `store_dir` (sled's `conf` and
/// `db`, linli's marker) with: its own when it has a log, else the size of
/// a new store. `Err` (what is wrong) when sled's `conf` and the marker
/// disagree: a `conf` that names another size than the store was made
/// with would have sled read its log at the wrong size.
pub(crate) fn for_store(store_dir: &Path, marker: &str) -> Result<u64, String> {
    let made_with = std::fs::read(store_dir.join(marker)).ok().and_then(|text| from_marker(&text));
    match (in_conf(store_dir), made_with) {
        (Some(conf), Some(made)) if conf != made => {
            Err(format!("sled's conf names segments of {conf} bytes, the store was made with {made} (store/{marker})"))
        }
        (Some(size), _) | (None, Some(size)) => Ok(size),
        (None, None) => {
            let has_log = match std::fs::metadata(store_dir.join("db")) {
                Ok(m) => m.len() > 0,
                Err(e) => e.kind() != std::io::ErrorKind::NotFound,
            };
            // (a marker that says nothing: a store was made here)
            let made = has_log || store_dir.join(marker).exists();
            Ok(if made { OLD_SEGMENT } else { NEW_SEGMENT })
        }
    }
}

/// The segment size sled's `conf` in `store_dir` names, if it can be read.
pub(crate) fn in_conf(store_dir: &Path) -> Option<u64> {
    std::fs::read(store_dir.join("conf")).ok().and_then(|c| from_text(&c))
}

/// The segment size named on the first line of `text` as sled writes it
/// (`segment_size: 524288`); `None` when there is none or it is no size
/// sled could have used.
pub(crate) fn from_text(text: &[u8]) -> Option<u64> {
    let line = std::str::from_utf8(text.split(|b| *b == b'\n').next()?).ok()?;
    let size: u64 = line.strip_prefix("segment_size: ")?.trim().parse().ok()?;
    ((4096..=1 << 24).contains(&size) && size.is_power_of_two()).then_some(size)
}

/// The segment size linli's marker file says a store was made with:
/// [`OLD_SEGMENT`] for the marker written before it named one (exactly
/// that text), the size [`marker_text`] names; `None` for anything else (an
/// empty or cut marker says nothing: a cut new marker is never the old
/// text, its twelfth byte differs).
fn from_marker(text: &[u8]) -> Option<u64> {
    if text == OLD_MARKER {
        return Some(OLD_SEGMENT);
    }
    // (whole: a number cut short could name a smaller size)
    from_text(text.strip_prefix(MARKER_PREFIX)?.strip_suffix(b"\n")?)
}

/// The marker of stores made before it named a size.
const OLD_MARKER: &[u8] = b"linli store\n";
const MARKER_PREFIX: &[u8] = b"linli store, ";

/// What linli's marker file says of a store with segments of `size`.
pub(crate) fn marker_text(size: u64) -> Vec<u8> {
    let mut text = MARKER_PREFIX.to_vec();
    text.extend_from_slice(format!("segment_size: {size}\n").as_bytes());
    text
}

/// Puts sled's `conf` of a store just made on disk (sled writes it without
/// a sync): a power cut must not leave a store whose log outlived the
/// size it was written with.
pub(crate) fn sync_conf(store_dir: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new().read(true).write(true).open(store_dir.join("conf"))?.sync_all()
}

/// sled's blob files (a node larger than a quarter of a segment, written
/// beside the log in `store/blobs/`, named by their log sequence number)
/// that a save has put on disk: sled itself writes them without a sync, so
/// the log could outlive, after a power cut, the node it points to. With
/// 256 KiB segments a node over 64 KiB is one (a leaf of the workers' long
/// lists on the large set); with 512 KiB, one over 128 KiB.
#[derive(Default)]
pub(crate) struct Blobs {
    /// The newest blob synced so far (or there at opening; none: all).
    synced_to: std::sync::Mutex<Option<u64>>,
}

impl Blobs {
    /// Those in `store_dir` now count as synced: an earlier run's saves
    /// synced them (its unsaved last write aside), and a save need not
    /// sync them again (an `fsync` each, at every process's first save).
    pub(crate) fn there_at_opening(store_dir: &Path) -> Blobs {
        let newest = std::fs::read_dir(store_dir.join("blobs"))
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u64>().ok())
            .max();
        Blobs { synced_to: std::sync::Mutex::new(newest) }
    }

    /// Syncs every blob newer than the last one synced, and the folder when
    /// there was one; returns how many. A blob gone since it was listed
    /// (sled removes the replaced ones) is no error.
    pub(crate) fn sync_new(&self, store_dir: &Path) -> std::io::Result<usize> {
        let dir = store_dir.join("blobs");
        let Ok(mut synced_to) = self.synced_to.lock() else { return Ok(0) };
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let mut newest = *synced_to;
        let mut n = 0;
        for entry in entries {
            let entry = entry?;
            let Some(lsn) = entry.file_name().to_str().and_then(|s| s.parse::<u64>().ok()) else { continue };
            if synced_to.is_some_and(|to| lsn <= to) {
                continue;
            }
            match std::fs::OpenOptions::new().read(true).write(true).open(entry.path()) {
                Ok(f) => f.sync_all()?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            }
            newest = Some(newest.map_or(lsn, |m| m.max(lsn)));
            n += 1;
        }
        if n > 0 {
            super::backup::sync_dir(&dir);
        }
        *synced_to = newest;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARKER: &str = "linli-store";

    /// Each blob once, those there at opening not at all, names sled did
    /// not give ignored; no blobs folder is no error.
    #[test]
    fn a_save_syncs_each_new_blob_once() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = dir.path().join("blobs");
        assert_eq!(Blobs::default().sync_new(dir.path()).unwrap(), 0);
        std::fs::create_dir(&blobs).unwrap();
        for name in ["5", "17", "not-a-blob"] {
            std::fs::write(blobs.join(name), b"node").unwrap();
        }
        let fresh = Blobs::default();
        assert_eq!(fresh.sync_new(dir.path()).unwrap(), 2);
        assert_eq!(fresh.sync_new(dir.path()).unwrap(), 0);
        let opened = Blobs::there_at_opening(dir.path());
        assert_eq!(opened.sync_new(dir.path()).unwrap(), 0);
        std::fs::write(blobs.join("23"), b"node").unwrap();
        std::fs::write(blobs.join("100"), b"node").unwrap();
        std::fs::remove_file(blobs.join("5")).unwrap();
        assert_eq!(fresh.sync_new(dir.path()).unwrap(), 2);
        assert_eq!(opened.sync_new(dir.path()).unwrap(), 2);
        assert_eq!(fresh.sync_new(dir.path()).unwrap(), 0);
    }

    #[test]
    fn the_segment_size_is_read_from_sleds_conf() {
        assert_eq!(
            from_text(b"segment_size: 524288\nuse_compression: false\nversion: 0.34\nv\x19Q\xc1"),
            Some(524_288)
        );
        assert_eq!(from_text(b"segment_size: 8388608\n"), Some(8 << 20));
        // not sled's conf, or a size sled never uses: none
        assert_eq!(from_text(b""), None);
        assert_eq!(from_text(b"use_compression: false\nsegment_size: 524288\n"), None);
        assert_eq!(from_text(b"segment_size: 0\n"), None);
        assert_eq!(from_text(b"segment_size: 1000\n"), None);
        assert_eq!(from_text(b"segment_size: 33554432\n"), None);
        assert_eq!(from_text(b"segment_size: lots\n"), None);
        assert_eq!(from_text(b"segment_size: 18446744073709551616\n"), None);
    }

    #[test]
    fn the_marker_names_the_size_and_a_cut_one_nothing() {
        assert_eq!(from_marker(&marker_text(NEW_SEGMENT)), Some(NEW_SEGMENT));
        assert_eq!(from_marker(&marker_text(8 << 20)), Some(8 << 20));
        assert_eq!(from_marker(b"linli store\n"), Some(OLD_SEGMENT));
        // cut by a power cut, or not linli's: says nothing
        let new = marker_text(NEW_SEGMENT);
        for cut in 0..new.len() {
            assert_eq!(from_marker(&new[..cut]), None, "{:?}", String::from_utf8_lossy(&new[..cut]));
        }
        assert_eq!(from_marker(b"segment_size: 131072\n"), None);
        assert_eq!(from_marker(b"linli store\n\n"), None);
    }

    /// Without a readable `conf`: the marker's size (512 KiB for a marker
    /// that names none), else 512 KiB for a store with a log, the new size
    /// only for no store at all; a conf and a marker that disagree: `Err`.
    #[test]
    fn without_a_readable_conf_a_store_with_a_log_keeps_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path();
        let set = |name: &str, bytes: &[u8]| std::fs::write(store.join(name), bytes).unwrap();
        let size = || for_store(store, MARKER);
        assert_eq!(size(), Ok(NEW_SEGMENT), "nothing there: a new store");
        set("db", b"");
        assert_eq!(size(), Ok(NEW_SEGMENT), "an empty log holds nothing");
        set("conf", b"segment_size: 65536\nuse_compression: false\n");
        assert_eq!(size(), Ok(65_536), "the conf's own size, even for no log");
        set("db", &[7; 100]);
        for conf in [&b""[..], b"\0\0\0\0", b"segment_size: 1000\n", b"garbage"] {
            set("conf", conf);
            assert_eq!(size(), Ok(OLD_SEGMENT), "a log and an unreadable conf {conf:?}");
        }
        std::fs::remove_file(store.join("conf")).unwrap();
        assert_eq!(size(), Ok(OLD_SEGMENT), "a log and no conf");
        set(MARKER, b"linli store\n");
        assert_eq!(size(), Ok(OLD_SEGMENT), "a marker from before it named a size");
        set(MARKER, &marker_text(NEW_SEGMENT));
        assert_eq!(size(), Ok(NEW_SEGMENT), "the marker names the size");
        set("conf", b"segment_size: 262144\n");
        assert_eq!(size(), Ok(NEW_SEGMENT), "conf and marker agree");
        set("conf", b"segment_size: 524288\n");
        assert!(size().is_err(), "conf and marker disagree");
        set(MARKER, b"linli store\n");
        assert_eq!(size(), Ok(OLD_SEGMENT), "conf and an old marker agree");
        set("conf", b"segment_size: 262144\n");
        assert!(size().is_err(), "an old marker: the store was made with 512 KiB");
        set(MARKER, b"");
        assert_eq!(size(), Ok(NEW_SEGMENT), "a marker that says nothing: the conf's size");
        std::fs::remove_file(store.join("conf")).unwrap();
        std::fs::remove_file(store.join("db")).unwrap();
        assert_eq!(size(), Ok(OLD_SEGMENT), "a marker but no log: not a new store");
    }
}
