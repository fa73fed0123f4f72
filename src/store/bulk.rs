//! Writing a whole data set at once: generated demo and benchmark data
//! (`linli gen`, `--demo`), in an order that leaves sled's leaves full
//! ([`filling_order`]), with one flush at the end. The sets
//! are the store's own types; whoever makes the records (the demo) fills
//! them in.

use super::record::Record;
use super::schema::*;
use super::{BULK_CHUNK, Result, Store, codec, index_of, links};
use crate::domain::{Request, Resident, Worker};

/// The core records of a data set, in id order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreSet {
    pub workers: Vec<Worker>,
    pub residents: Vec<Resident>,
    pub requests: Vec<Request>,
}

impl Store {
    /// Writes a whole generated or imported data set (one flush at the
    /// end; open the store with [`Store::open_to_load`] for a smaller
    /// file), with its indexes and id counters. For an empty store:
    /// records with the same ids are overwritten. The audit trail records
    /// one entry per record, by the system (no operator).
    pub fn bulk_load(&self, data: &CoreSet) -> Result<()> {
        // the residents, the requests and their index lists in two passes
        // (see `bulk_keys`); the workers last, as before, so that a load
        // cut short leaves no worker (the demo's "is it filled" test)
        let mut links = links::Pending::default();
        self.bulk_keys(&data.residents, &mut links)?;
        self.bulk_keys(&data.requests, &mut links)?;
        links.write_placeholders(&self.trees)?;
        self.let_sled_clean()?;
        self.bulk_values(&data.residents)?;
        self.bulk_values(&data.requests)?;
        let mut written = vec![true; self.trees.len()];
        links.write_unbatched(&self.trees, &mut written)?;
        let mut links = links::Pending::default();
        self.bulk_put(&data.workers, &mut links)?;
        links.write(&self.trees, BULK_CHUNK)?;
        let mut meta = sled::Batch::default();
        let mut max_seq: std::collections::BTreeMap<i32, u64> = Default::default();
        for r in &data.requests {
            let e = max_seq.entry(r.id.year()).or_default();
            *e = (*e).max(r.id.seq());
        }
        for (year, seq) in max_seq {
            meta.insert(seq_key("request", year), &seq.to_be_bytes());
        }
        let max = |ids: &mut dyn Iterator<Item = u64>| ids.max().unwrap_or(0);
        meta.insert(seq_key("worker", 0), &max(&mut data.workers.iter().map(|w| w.id.0)).to_be_bytes());
        meta.insert(seq_key("resident", 0), &max(&mut data.residents.iter().map(|r| r.id.0)).to_be_bytes());
        meta.insert(META_GENERATION, &(self.generation()? + 1).to_be_bytes());
        self.meta().apply_batch(meta)?;
        self.flush()
    }

    /// The first of two passes of a load: each record's key with an empty
    /// value (where the tree holds nothing for it yet), in the order given
    /// (key order), gathering their index links. [`Store::bulk_values`]
    /// then writes each value over its placeholder.
    ///
    /// sled 0.34 splits a leaf past 16 entries, so keys in key order leave
    /// leaves of 8–9 keys, and the second pass adds each value to its leaf
    /// as one small write of its own (a leaf takes 9 of those before sled
    /// rewrites it whole): every byte of the values is written once and
    /// stays live. What the first pass leaves dead (leaves split, the
    /// index nodes above them) is small, and sled's flusher cleans it
    /// before the values come ([`Store::let_sled_clean`]), so the values
    /// fill the segments it freed. The requests-only store of
    /// `bench-taskwarrior.sh`: 41–48 MB against 55–59 written in
    /// [`filling_order`] (BENCHMARKS.md, issue 19zd).
    pub(crate) fn bulk_keys<R: Record>(&self, items: &[R], links: &mut links::Pending) -> Result<()> {
        let tree = self.tree(R::KIND);
        for r in items {
            let key = codec::key(r.key());
            if !tree.contains_key(key)? {
                tree.insert(key, &[] as &[u8])?;
            }
            for (index, owner) in r.links() {
                links.add(index_of(index), owner, r.key());
            }
        }
        Ok(())
    }

    /// The second pass (see [`Store::bulk_keys`]): each record written over
    /// its placeholder, in the same order.
    pub(crate) fn bulk_values<R: Record>(&self, items: &[R]) -> Result<()> {
        let tree = self.tree(R::KIND);
        for r in items {
            tree.insert(codec::key(r.key()), codec::encode(r))?;
        }
        Ok(())
    }

    /// In a store opened to be filled at once ([`Store::open_to_load`]):
    /// waits until sled's flusher has cleaned what there is to clean, that
    /// is until it has gone [`QUIET_ROUNDS`] rounds without writing a byte
    /// (each round it writes what it moved in the one before). The rounds
    /// are counted, not timed, so a busy machine only makes the wait
    /// longer. Where the flusher's thread cannot be watched (not Linux),
    /// waits [`CLEAN_WAIT_ELSEWHERE_MS`]. At most [`CLEAN_WAIT_MAX_MS`].
    pub(crate) fn let_sled_clean(&self) -> Result<()> {
        if !self.loading {
            return Ok(());
        }
        self.db.flush()?;
        let started = std::time::Instant::now();
        let max = std::time::Duration::from_millis(CLEAN_WAIT_MAX_MS);
        let Some(mut seen) = quiet::watch() else {
            std::thread::sleep(std::time::Duration::from_millis(CLEAN_WAIT_ELSEWHERE_MS));
            return Ok(());
        };
        let mut quiet_since = seen.rounds;
        while started.elapsed() < max {
            std::thread::sleep(std::time::Duration::from_millis(super::CLEAN_EVERY_MS));
            let Some(now) = quiet::watch() else { break };
            if now.written != seen.written {
                quiet_since = now.rounds;
            } else if now.rounds >= quiet_since + QUIET_ROUNDS * 2 {
                break;
            }
            seen = now;
        }
        Ok(())
    }
}

/// Rounds of sled's flusher without a write that mean it has nothing left
/// to clean (see [`Store::let_sled_clean`]).
const QUIET_ROUNDS: u64 = 3;
/// See [`Store::let_sled_clean`].
const CLEAN_WAIT_ELSEWHERE_MS: u64 = 1000;
const CLEAN_WAIT_MAX_MS: u64 = 30_000;

/// What this process has written and how often sled's flusher has slept,
/// from `/proc` (Linux).
mod quiet {
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    pub(super) struct Seen {
        /// bytes this process has written (`wchar`)
        pub written: u64,
        /// the flusher thread's voluntary context switches: at least one a
        /// round (it sleeps between rounds), at most two (and its fsync);
        /// hence [`super::QUIET_ROUNDS`] × 2
        pub rounds: u64,
    }

    #[cfg(target_os = "linux")]
    pub(super) fn watch() -> Option<Seen> {
        let io = std::fs::read_to_string("/proc/self/io").ok()?;
        let written = field(&io, "wchar:")?;
        for e in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
            let comm = std::fs::read_to_string(e.path().join("comm")).unwrap_or_default();
            if comm.trim() == "log flusher" {
                let status = std::fs::read_to_string(e.path().join("status")).ok()?;
                return Some(Seen { written, rounds: field(&status, "voluntary_ctxt_switches:")? });
            }
        }
        None
    }

    #[cfg(target_os = "linux")]
    fn field(text: &str, name: &str) -> Option<u64> {
        text.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.trim().parse().ok())
    }

    #[cfg(not(target_os = "linux"))]
    pub(super) fn watch() -> Option<Seen> {
        None
    }
}

impl Store {
    /// Writes records one insert at a time in [`filling_order`], without
    /// audit entries or a flush, and gathers their index links in `links`
    /// (for the caller to write once all records are in).
    pub(crate) fn bulk_put<R: Record>(&self, items: &[R], links: &mut links::Pending) -> Result<()> {
        let tree = self.tree(R::KIND);
        for i in filling_order(items.len()) {
            let r = &items[i];
            tree.insert(codec::key(r.key()), codec::encode(r))?;
            for (index, owner) in r.links() {
                links.add(index_of(index), owner, r.key());
            }
        }
        Ok(())
    }
}

/// Of every [`FILL_OF`] places, the first [`FILL_FIRST`] are written first.
const FILL_OF: usize = 16;
const FILL_FIRST: usize = 9;

/// The order to insert `n` entries given in key order in, so that sled's
/// leaves end up nearly full and written few times: first those at places
/// `i % 16 < 9`, in key order, then the others, in key order.
///
/// sled 0.34 splits a leaf past 16 entries in the middle, so entries
/// inserted in key order leave leaves of 9, each written whole twice and
/// once a fragment per entry; sled batches of 1,000 (a `HashMap`: hash
/// order) leave leaves split anywhere. Here the first pass leaves leaves of
/// 9 entries spanning ~16 places each, and the second fills them with ~7
/// fragments each, without a split. The requests-only store of
/// `bench-taskwarrior.sh` (with sled's segment cleaning on, see
/// [`Store::open_to_load`]): 57.6 MB, against 62.6–67.6 in batches and
/// 68–72 in key order (BENCHMARKS.md, issue 19v).
pub(crate) fn filling_order(n: usize) -> impl Iterator<Item = usize> {
    let first = (0..n).filter(|i| i % FILL_OF < FILL_FIRST);
    first.chain((0..n).filter(|i| i % FILL_OF >= FILL_FIRST))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On Linux the wait between the two passes watches sled's flusher
    /// (its thread's name, "log flusher", is sled's): found in a store
    /// opened to load, and the wait returns once the flusher is quiet,
    /// well before its cap.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_wait_between_the_passes_finds_sleds_flusher_and_ends() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_to_load(dir.path(), &mut |_, _| {}).unwrap();
        assert!(store.loading);
        assert!(quiet::watch().is_some(), "sled's flusher thread is watched");
        let t = std::time::Instant::now();
        store.let_sled_clean().unwrap();
        assert!(t.elapsed() < std::time::Duration::from_millis(CLEAN_WAIT_MAX_MS), "the wait hit its cap");
    }

    /// Every place once: the first 9 of every 16 in key order, then the
    /// other 7 of every 16 in key order.
    #[test]
    fn the_filling_order_takes_every_place_once_the_first_nine_of_sixteen_first() {
        let order: Vec<usize> = filling_order(40).collect();
        let first: Vec<usize> = (0..9).chain(16..25).chain(32..40).collect();
        let then: Vec<usize> = (9..16).chain(25..32).collect();
        assert_eq!(order, [first, then].concat());
        for n in [0, 1, 9, 16, 17, 1000] {
            let mut seen: Vec<usize> = filling_order(n).collect();
            seen.sort_unstable();
            assert_eq!(seen, (0..n).collect::<Vec<_>>(), "{n}");
        }
    }
}
