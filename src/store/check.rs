//! `linli check`: every record decodes, and every index agrees with the
//! records (no entry missing, none left over). Indexes can be rebuilt from
//! the records, which are the only truth.

use super::links::{self, Pending};
use super::record::{Record, RecordKind};
use super::schema::INDEXES;
use super::{Result, Store, codec, index_of, tree_of};
use std::collections::BTreeSet;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// Records read, per kind.
    pub counts: Vec<(RecordKind, usize)>,
    /// Records that could not be decoded: kind, id, why.
    pub unreadable: Vec<(RecordKind, u64, String)>,
    /// Index entries the records call for that were not there.
    pub missing_links: usize,
    /// Index entries no record calls for.
    pub stale_links: usize,
    /// Whether the indexes were rebuilt.
    pub repaired: bool,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.unreadable.is_empty() && self.missing_links == 0 && self.stale_links == 0
    }
}

impl Store {
    /// Reads every record and compares the indexes with what the records
    /// say; with `repair`, rewrites every index from the records.
    pub fn check(&self, repair: bool) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        // the links the records call for
        let mut expected = Pending::default();
        for kind in RecordKind::ALL {
            let n = crate::with_record_type!(kind, R => self.check_kind::<R>(&mut expected, &mut report)?);
            report.counts.push((kind, n));
        }
        let expected_set: BTreeSet<(usize, u64, u64)> = expected.triples().collect();
        let mut present: BTreeSet<(usize, u64, u64)> = BTreeSet::new();
        for name in INDEXES {
            let i = index_of(name);
            for item in self.trees[i].iter() {
                let (k, v) = item?;
                match codec::id_of(&k).filter(|_| links::well_formed(&k, &v)) {
                    Some(owner) => present.extend(links::ids(&v).map(|id| (i, owner, id))),
                    None => report.stale_links += 1,
                }
            }
        }
        report.missing_links += expected_set.difference(&present).count();
        report.stale_links += present.difference(&expected_set).count();
        if repair && !report.is_clean() {
            for name in INDEXES {
                self.trees[index_of(name)].clear()?;
            }
            expected.write(&self.trees, super::BULK_CHUNK)?;
            self.flush()?;
            report.repaired = true;
        }
        // the saved copies of the daily log and the roster's totals are
        // caches: one that disagrees with the records goes (made again
        // when next needed)
        let _ = super::duties_rows::LogIndex::drop_wrong_copy(self);
        let _ = super::roster::index::drop_wrong_copy(self);
        let _ = self.drop_wrong_figures();
        Ok(report)
    }

    fn check_kind<R: Record>(&self, expected: &mut Pending, report: &mut CheckReport) -> Result<usize> {
        let mut n = 0;
        for item in self.trees[tree_of(R::KIND)].iter() {
            let (k, v) = item?;
            let id = codec::id_of(&k).unwrap_or(0);
            match codec::decode::<R>(&v) {
                Ok(r) => {
                    n += 1;
                    for (index, owner) in r.links() {
                        expected.add(index_of(index), owner, r.key());
                    }
                }
                Err(e) => report.unreadable.push((R::KIND, id, e)),
            }
        }
        Ok(n)
    }
}
