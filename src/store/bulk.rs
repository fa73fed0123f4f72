//! Writing a whole data set at once: generated demo and benchmark data
//! (`linli gen`, `--demo`), in batches with one flush at the end. The sets
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
    /// Writes a whole generated or imported data set in batches (one flush
    /// at the end), with its indexes and id counters. For an empty store:
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

    /// Writes records in batches, without audit entries or a flush, and
    /// gathers their index links in `links` (for the caller to write once
    /// all records are in). Batches stay small: sled turns one huge batch
    /// into fragmented pages that make every later open read (and keep in
    /// memory) far more of the file.
    pub(crate) fn bulk_put<R: Record>(&self, items: &[R], links: &mut links::Pending) -> Result<()> {
        for chunk in items.chunks(BULK_CHUNK) {
            let mut records = sled::Batch::default();
            for r in chunk {
                records.insert(&codec::key(r.key()), codec::encode(r));
                for (index, owner) in r.links() {
                    links.add(index_of(index), owner, r.key());
                }
            }
            self.tree(R::KIND).apply_batch(records)?;
        }
        Ok(())
    }
}
