//! Less waiting for the disk when sled opens a store on a cold page cache
//! (the office PC's first start of the day).
//!
//! sled 0.34 overwrites every free segment of its log with zeros at every
//! opening (`SegmentAccountant::initialize_from_snapshot`: one 512 KiB
//! `pwrite` a segment). On a cold cache ext4 first reads each 4 KiB block
//! of such a segment, one after the other (`ext4_block_write_begin` waiting
//! in `bit_wait_io`, seen with `perf record -e sched:sched_switch -g`): on
//! the large set, 23 free segments, ~2,700 reads in a row, about 200 ms of
//! a cold start's 250. Asked for beforehand (`POSIX_FADV_WILLNEED`), the
//! same blocks come in a few large reads, in the background, while sled
//! reads its snapshot.
//!
//! A segment that sled zeroed at an earlier opening begins with a zeroed
//! head (its first 20 bytes), which no segment in use has (sled writes a
//! segment's head before anything else in it): those are the segments
//! asked for. Only a hint: nothing is written, nothing read here is used,
//! and a store whose `conf` or heads cannot be read is simply not helped.

use std::path::Path;

/// Asks the OS to read, in the background, the free segments of sled's
/// log in `store_dir` (the directory holding sled's `conf` and `db`),
/// ahead of sled's opening. Does nothing where the OS has no such hint.
pub(crate) fn prefetch_free_segments(store_dir: &Path) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let Some(segment) = std::fs::read(store_dir.join("conf")).ok().and_then(|c| super::segments::from_text(&c))
        else {
            return;
        };
        let Ok(file) = std::fs::File::open(store_dir.join("db")) else { return };
        let Ok(len) = file.metadata().map(|m| m.len()) else { return };
        let Ok(seg_len) = libc::off_t::try_from(segment) else { return };
        // every head is read before any segment is asked for: a head read
        // just after a hint lands on a page the hint marked for read-ahead,
        // and the kernel then reads on by its whole read-ahead window (on
        // the large set, 52 MB instead of the free segments' 12)
        for at in free_segments(&file, len, segment) {
            let Ok(at) = libc::off_t::try_from(at) else { return };
            // SAFETY: a plain advisory call on an open file descriptor we own.
            unsafe {
                libc::posix_fadvise(file.as_raw_fd(), at, seg_len, libc::POSIX_FADV_WILLNEED);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = store_dir;
}

/// Where the free segments of sled's log `file` (`len` bytes) begin: every
/// head is read before the caller asks for any segment (see above).
#[cfg(target_os = "linux")]
fn free_segments(file: &std::fs::File, len: u64, segment: u64) -> Vec<u64> {
    use std::os::unix::fs::FileExt;
    segment_heads(len, segment)
        .filter(|at| {
            let mut head = [0u8; HEAD];
            file.read_exact_at(&mut head, *at).is_ok() && is_free_head(&head)
        })
        .collect()
}

/// The length of sled's segment head (`SEG_HEADER_LEN`).
#[cfg(any(target_os = "linux", test))]
const HEAD: usize = 20;

/// A head sled left when it zeroed a free segment.
#[cfg(any(target_os = "linux", test))]
fn is_free_head(head: &[u8]) -> bool {
    head.iter().all(|b| *b == 0)
}

/// Where sled's segments begin in a file of `len` bytes: every multiple of
/// `segment` that leaves room for a head.
#[cfg(any(target_os = "linux", test))]
fn segment_heads(len: u64, segment: u64) -> impl Iterator<Item = u64> {
    (0..len / segment + u64::from(len % segment >= HEAD as u64)).map(move |i| i * segment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_segment_start_with_room_for_a_head() {
        let heads = |len| segment_heads(len, 512 * 1024).collect::<Vec<_>>();
        assert_eq!(heads(0), Vec::<u64>::new());
        assert_eq!(heads(19), Vec::<u64>::new());
        assert_eq!(heads(20), vec![0]);
        assert_eq!(heads(512 * 1024), vec![0]);
        assert_eq!(heads(512 * 1024 + 20), vec![0, 512 * 1024]);
        assert_eq!(heads(3 * 512 * 1024).last(), Some(&(2 * 512 * 1024)));
        assert_eq!(heads(136_314_880).len(), 260);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_free_segments_are_those_with_a_zeroed_head() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        let seg = 4096usize;
        let mut bytes = vec![0u8; seg * 5 + 30];
        for used in [0, 2, 3] {
            bytes[used * seg + 5] = 7; // a head sled wrote
        }
        bytes[seg + 100] = 1; // a free segment's head is zero, whatever follows
        std::fs::File::create(&path).unwrap().write_all(&bytes).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let len = bytes.len() as u64;
        assert_eq!(free_segments(&file, len, seg as u64), vec![seg as u64, 4 * seg as u64, 5 * seg as u64]);
    }

    #[test]
    fn only_a_zeroed_head_is_a_free_segment() {
        assert!(is_free_head(&[0; HEAD]));
        let mut head = [0; HEAD];
        head[HEAD - 1] = 1;
        assert!(!is_free_head(&head));
    }

    /// What a new store's `conf` says is what the hint steps by (a sled
    /// that stopped writing it so would only lose the hint; this says so
    /// first), and the hint on a real store, or on none, changes nothing.
    #[test]
    fn a_real_stores_conf_and_the_hint_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(dir.path()).unwrap();
        drop(store);
        let conf = std::fs::read(dir.path().join("store").join("conf")).unwrap();
        assert_eq!(super::super::segments::from_text(&conf), Some(super::super::segments::NEW_SEGMENT));
        let db = dir.path().join("store").join("db");
        let before = std::fs::read(&db).unwrap();
        prefetch_free_segments(&dir.path().join("store"));
        prefetch_free_segments(&dir.path().join("nothing-here"));
        assert_eq!(std::fs::read(&db).unwrap(), before);
        crate::store::Store::open(dir.path()).unwrap();
    }
}
