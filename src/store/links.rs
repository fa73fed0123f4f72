//! Secondary indexes, packed: ONE sled entry per owner (a resident, a
//! volunteer, a worker, a record's audit history), whose value is the linked
//! ids, 8 bytes each (big-endian), in ascending order.
//!
//! Schema 2 kept one entry per link (`owner ++ id → ()`): 590,000 tiny
//! entries on the large data set. sled splits a leaf at 16 entries and keeps
//! a page-table entry per leaf for as long as the store is open, so those
//! entries cost 16 MB of memory from the moment the store opened and 28 %
//! of the file (BENCHMARKS.md). Packed, they are 120,000 entries.
//!
//! New ids are the highest, so adding one appends; a worker's five-year log
//! (2,500 entries) is a 20 KB value, rewritten on each new entry — still
//! well under a millisecond.

use super::{Result, TxResult, codec};
use sled::Tree;
use sled::transaction::TransactionalTree;
use std::collections::BTreeMap;

/// The ids in a packed value, ascending. Trailing bytes that do not make a
/// whole id are ignored here and reported by `linli check`.
pub(crate) fn ids(v: &[u8]) -> impl DoubleEndedIterator<Item = u64> + '_ {
    v.chunks_exact(8).map(|c| u64::from_be_bytes(c.try_into().unwrap_or_default()))
}

/// Whether a stored value is a well-formed packed list.
pub(crate) fn well_formed(key: &[u8], v: &[u8]) -> bool {
    key.len() == 8 && !v.is_empty() && v.len().is_multiple_of(8) && ids(v).zip(ids(v).skip(1)).all(|(a, b)| a < b)
}

/// `v` with `id` added in order; `None` when it is already there.
fn with(v: &[u8], id: u64) -> Option<Vec<u8>> {
    let list: Vec<u64> = ids(v).collect();
    let at = match list.binary_search(&id) {
        Ok(_) => return None,
        Err(at) => at,
    };
    let mut out = Vec::with_capacity(v.len() + 8);
    out.extend_from_slice(&v[..at * 8]);
    out.extend_from_slice(&id.to_be_bytes());
    out.extend_from_slice(&v[at * 8..list.len() * 8]);
    Some(out)
}

/// `v` without `id`; `None` when it was not there.
fn without(v: &[u8], id: u64) -> Option<Vec<u8>> {
    let list: Vec<u64> = ids(v).collect();
    let at = list.binary_search(&id).ok()?;
    let mut out = Vec::with_capacity(v.len());
    out.extend_from_slice(&v[..at * 8]);
    out.extend_from_slice(&v[(at + 1) * 8..list.len() * 8]);
    Some(out)
}

/// Links `id` to `owner`, inside a transaction.
pub(crate) fn tx_link(t: &TransactionalTree, owner: u64, id: u64) -> TxResult<()> {
    let old = t.get(codec::key(owner))?;
    if let Some(v) = with(old.as_deref().unwrap_or_default(), id) {
        t.insert(&codec::key(owner), v)?;
    }
    Ok(())
}

/// Unlinks `id` from `owner` (the entry goes when its list is empty),
/// inside a transaction.
pub(crate) fn tx_unlink(t: &TransactionalTree, owner: u64, id: u64) -> TxResult<()> {
    let Some(old) = t.get(codec::key(owner))? else { return Ok(()) };
    match without(&old, id) {
        Some(v) if v.is_empty() => {
            t.remove(&codec::key(owner))?;
        }
        Some(v) => {
            t.insert(&codec::key(owner), v)?;
        }
        None => {}
    }
    Ok(())
}

/// The ids linked to `owner`, ascending.
pub(crate) fn linked(tree: &Tree, owner: u64) -> Result<Vec<u64>> {
    Ok(tree.get(codec::key(owner))?.map(|v| ids(&v).collect()).unwrap_or_default())
}

/// Links gathered in memory and written in one go: for bulk loads, restores
/// and rebuilds, where writing each link as it comes would rewrite an
/// owner's list once per record.
#[derive(Default)]
pub(crate) struct Pending {
    /// (tree position in `Store::trees`, owner) → ids
    lists: BTreeMap<(usize, u64), Vec<u64>>,
}

impl Pending {
    pub fn add(&mut self, tree: usize, owner: u64, id: u64) {
        self.lists.entry((tree, owner)).or_default().push(id);
    }

    /// Merges the gathered ids into what the trees hold, in batches of
    /// `chunk` owners (sled holds a batch's working set in memory).
    pub fn write(self, trees: &[Tree], chunk: usize) -> Result<()> {
        let mut batch = sled::Batch::default();
        let mut current = None;
        let mut n = 0;
        for ((tree, owner), mut list) in self.lists {
            if current.is_some_and(|c| c != tree) || n >= chunk {
                let t: usize = current.unwrap_or(tree);
                trees[t].apply_batch(std::mem::take(&mut batch))?;
                n = 0;
            }
            current = Some(tree);
            // (looked up even in a tree known to be empty: the look-ups are
            // what lets sled count and shed its cache; without them a
            // restore's peak went from 150 to 245 MB for no time saved)
            if let Some(old) = trees[tree].get(codec::key(owner))? {
                list.extend(ids(&old));
            }
            list.sort_unstable();
            list.dedup();
            let mut v = Vec::with_capacity(list.len() * 8);
            for id in list {
                v.extend_from_slice(&id.to_be_bytes());
            }
            batch.insert(&codec::key(owner), v);
            n += 1;
        }
        if let Some(t) = current {
            trees[t].apply_batch(batch)?;
        }
        Ok(())
    }

    /// Writes the gathered lists with one plain insert an owner, in key
    /// order: into a tree that `written` does not mark as holding lists
    /// already without reading it first (a store being loaded afresh: a
    /// restore), into one it marks merged with what is stored. Marks the
    /// trees it wrote. Not atomic, and faster than [`write`]'s batches
    /// (sled applies a batch in hash order and frees the leaves it copied
    /// only at the batch's end).
    ///
    /// [`write`]: Pending::write
    pub fn write_unbatched(self, trees: &[Tree], written: &mut [bool]) -> Result<()> {
        let mut v = Vec::new();
        let mut wrote = Vec::new();
        for ((tree, owner), mut list) in self.lists {
            if written[tree]
                && let Some(old) = trees[tree].get(codec::key(owner))?
            {
                list.extend(ids(&old));
            }
            list.sort_unstable();
            list.dedup();
            v.clear();
            for id in list {
                v.extend_from_slice(&id.to_be_bytes());
            }
            trees[tree].insert(codec::key(owner), &v[..])?;
            if wrote.last() != Some(&tree) {
                wrote.push(tree);
            }
        }
        for tree in wrote {
            written[tree] = true;
        }
        Ok(())
    }

    /// Whether nothing was gathered.
    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }

    /// The gathered links as (tree, owner, id), for comparing with what is
    /// stored.
    pub fn triples(&self) -> impl Iterator<Item = (usize, u64, u64)> + '_ {
        self.lists.iter().flat_map(|((t, o), ids)| ids.iter().map(move |id| (*t, *o, *id)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(list: &[u64]) -> Vec<u8> {
        list.iter().flat_map(|i| i.to_be_bytes()).collect()
    }

    #[test]
    fn adding_keeps_ids_in_order_once() {
        let v = with(&[], 5).unwrap();
        let v = with(&v, 9).unwrap();
        let v = with(&v, 7).unwrap();
        assert_eq!(ids(&v).collect::<Vec<_>>(), [5, 7, 9]);
        assert_eq!(with(&v, 7), None);
        assert!(well_formed(&codec::key(1), &v));
    }

    #[test]
    fn removing_takes_out_one_id() {
        let v = pack(&[1, 2, 3]);
        assert_eq!(ids(&without(&v, 2).unwrap()).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(without(&v, 4), None);
        assert_eq!(without(&pack(&[8]), 8).unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn malformed_values_are_told_apart() {
        assert!(!well_formed(&codec::key(1), &[0, 1, 2]));
        assert!(!well_formed(&codec::key(1), &pack(&[3, 2])));
        assert!(!well_formed(&codec::key2(1, 2), &pack(&[1])));
        assert!(!well_formed(&codec::key(1), &[]));
        // the ids of a value cut short are the whole ones only
        assert_eq!(ids(&[0, 0, 0, 0, 0, 0, 0, 4, 9]).collect::<Vec<_>>(), [4]);
    }

    #[test]
    fn unbatched_lists_go_in_sorted_once_and_merge_only_where_written_before() {
        let dir = tempfile::tempdir().unwrap();
        let db = sled::Config::new().path(dir.path()).temporary(true).open().unwrap();
        let trees = vec![db.open_tree("a").unwrap(), db.open_tree("b").unwrap()];
        let mut written = vec![false; 2];
        let mut p = Pending::default();
        for (t, o, id) in [(0, 1, 9), (0, 1, 2), (0, 1, 9), (0, 2, 5)] {
            p.add(t, o, id);
        }
        p.write_unbatched(&trees, &mut written).unwrap();
        assert_eq!(written, [true, false]);
        assert_eq!(linked(&trees[0], 1).unwrap(), [2, 9]);
        // a second round (another section feeding the same index) adds to
        // the lists of the first
        let mut p = Pending::default();
        for (t, o, id) in [(0, 1, 4), (1, 1, 3), (0, 3, 1)] {
            p.add(t, o, id);
        }
        p.write_unbatched(&trees, &mut written).unwrap();
        assert_eq!(written, [true, true]);
        assert_eq!(linked(&trees[0], 1).unwrap(), [2, 4, 9]);
        assert_eq!(linked(&trees[0], 2).unwrap(), [5]);
        assert_eq!(linked(&trees[0], 3).unwrap(), [1]);
        assert_eq!(linked(&trees[1], 1).unwrap(), [3]);
    }

    #[test]
    fn pending_links_merge_with_stored_lists() {
        let dir = tempfile::tempdir().unwrap();
        let db = sled::Config::new().path(dir.path()).temporary(true).open().unwrap();
        let trees = vec![db.open_tree("a").unwrap(), db.open_tree("b").unwrap()];
        trees[0].insert(codec::key(1), pack(&[4, 6])).unwrap();
        let mut p = Pending::default();
        for (t, o, id) in [(0, 1, 9), (0, 1, 2), (1, 1, 3), (0, 2, 5), (0, 1, 4)] {
            p.add(t, o, id);
        }
        p.write(&trees, 1).unwrap();
        // the stored 6 kept, 4 once
        assert_eq!(linked(&trees[0], 1).unwrap(), [2, 4, 6, 9]);
        assert_eq!(linked(&trees[0], 2).unwrap(), [5]);
        assert_eq!(linked(&trees[1], 1).unwrap(), [3]);
        assert_eq!(linked(&trees[1], 2).unwrap(), Vec::<u64>::new());
    }
}
