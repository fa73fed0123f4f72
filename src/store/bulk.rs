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
        let mut links = links::Pending::default();
        self.bulk_put(&data.workers, &mut links)?;
        self.bulk_put(&data.residents, &mut links)?;
        self.bulk_put(&data.requests, &mut links)?;
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
