//! The daily log in memory: one compact row per entry and one arena of
//! lower-cased text (what was found, what follows), so that listing a
//! worker's month and searching 50,000 entries take a few milliseconds.
//! Read in the background after start-up (it needs nothing but the store)
//! and kept up to date after every save; the store remains the only truth.
//! Names are matched at search time against the directory and the workers,
//! so a renamed resident is found under the new name.

use super::record::RecordKind;
use super::rows::ResidentKey;
use super::saved_copy::{self, Stamp};
use super::{Result, Store};
use crate::domain::duties::LogId;
use crate::domain::duties::log::{LogEntry, LogKind};
use crate::domain::{ResidentId, Worker, WorkerId};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogRow {
    pub id: LogId,
    pub worker: WorkerId,
    #[serde(with = "days")]
    pub date: NaiveDate,
    pub kind: LogKind,
    /// The residents, in `LogIndex::residents` (read them with
    /// [`LogIndex::residents_of`]).
    residents: (u32, u32),
    pub request: bool,
    pub comments: u16,
    /// What was found, for the list (see [`LogIndex::found_of`]): kept here
    /// only when lower-casing changed it, else read from the search text.
    found: Option<Box<str>>,
    hay: (u32, u32),
}

/// A date in the saved copy: days from the common era (4 bytes at most,
/// where chrono's own form is a string to parse).
mod days {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(d.num_days_from_ce())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let n = i32::deserialize(d)?;
        NaiveDate::from_num_days_from_ce_opt(n).ok_or_else(|| serde::de::Error::custom("date out of range"))
    }
}

/// The daily log's saved copy (see `store::saved_copy`): the rows
/// (postcard), the search text, every entry's residents (u64 each).
const COPY_MAGIC: &[u8; 8] = b"LINLILOG";
const COPY_FORMAT: u32 = 1;

/// Where the daily log's saved copy is kept.
pub fn copy_path(data_dir: &Path) -> PathBuf {
    data_dir.join("daylog.snapshot")
}

/// How much of what was found the list shows.
const FOUND_CHARS: usize = 80;

#[derive(Default)]
pub struct LogIndex {
    /// In id order: an entry is found by binary search (a map of ids to
    /// places was 1.1 MB for 50,000 entries).
    rows: Vec<LogRow>,
    hay: String,
    /// Every entry's residents, one after another: one allocation instead of
    /// one small one an entry (50,000 of them, each pinning a page of the
    /// heap that the scan's freed pages then could not give back).
    residents: Vec<ResidentId>,
    /// Entries per worker and month (2026-11 is 202611), kept on every
    /// change: the overview's table reads them without a scan.
    counts: HashMap<(WorkerId, u32), u32>,
    /// The stamp of the saved copy that holds exactly these entries, while
    /// none has changed since it was read or written (see [`LogIndex::keep`]).
    made_at: Option<Stamp>,
}

/// The copy's rows (a postcard sequence) into a list of exactly their
/// number: decoded as one `Vec`, it grew by doubling (4.2 MB for the 2.8 of
/// 50,000 rows) while the copy's bytes were still held.
fn decode_rows(bytes: Vec<u8>) -> Option<Vec<LogRow>> {
    let (n, mut rest) = postcard::take_from_bytes::<u64>(&bytes).ok()?;
    // every row takes at least one byte: a count beyond them is damage
    let n = usize::try_from(n).ok().filter(|&n| n <= rest.len())?;
    let mut rows = Vec::with_capacity(n);
    for _ in 0..n {
        let (row, more) = postcard::take_from_bytes::<LogRow>(rest).ok()?;
        rows.push(row);
        rest = more;
    }
    rest.is_empty().then_some(rows)
}

/// A log's entries per worker and month without the log (the overview's
/// table while the app has let the log go), kept up to date with each
/// entry saved, changed or removed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogCounts(HashMap<(WorkerId, u32), u32>);

impl LogCounts {
    /// An entry went from `before` to `after` (either None: created, removed).
    pub fn apply(&mut self, before: Option<&LogEntry>, after: Option<&LogEntry>) {
        for (e, plus) in [(before, false), (after, true)] {
            if let Some(e) = e {
                LogIndex::count(&mut self.0, (e.worker, crate::domain::volunteer::ym(e.date)), plus);
            }
        }
    }

    pub fn month_count(&self, worker: WorkerId, ym: u32) -> u32 {
        self.0.get(&(worker, ym)).copied().unwrap_or(0)
    }
}

/// Most hits a search returns (newest first); typing more narrows.
pub const MAX_HITS: usize = 2_000;

impl LogIndex {
    /// The daily log: its saved copy when that was made from the store as
    /// it is now, else read from every entry (and the copy written for the
    /// next start, when nothing changed while reading).
    pub fn load(store: &Store) -> Result<LogIndex> {
        let stamp = store.stamp(&[RecordKind::LogEntry])?;
        if let Some(idx) = Self::read_copy(store.dir(), stamp) {
            return Ok(idx);
        }
        let mut idx = Self::scan(store)?;
        if store.stamp(&[RecordKind::LogEntry])? == stamp && idx.write_copy(store.dir(), stamp).is_ok() {
            idx.made_at = Some(stamp);
        }
        Ok(idx)
    }

    /// The log as it was when its copy was kept at `stamp` (see
    /// [`LogIndex::keep`]): that copy if it is still there and whole, else
    /// [`LogIndex::load`]. What was saved since is for the caller to read
    /// again (entries after [`LogIndex::last_id`], and those it noted).
    pub fn load_kept(store: &Store, stamp: Stamp) -> Result<LogIndex> {
        match Self::read_copy(store.dir(), stamp) {
            Some(idx) => Ok(idx),
            None => Self::load(store),
        }
    }

    /// Makes sure a copy of this log, up to date with the store now, is
    /// saved, and returns the stamp it was saved at: the app lets its log
    /// go while the duties panel is not shown and reads it back from that
    /// copy with [`LogIndex::load_kept`].
    pub fn keep(&mut self, store: &Store) -> Result<Stamp> {
        if let Some(stamp) = self.made_at {
            // read from (or written as) that copy, and unchanged since
            return Ok(stamp);
        }
        let stamp = store.stamp(&[RecordKind::LogEntry])?;
        self.write_copy(store.dir(), stamp).map_err(|e| super::StoreError::from_io(&e))?;
        self.made_at = Some(stamp);
        Ok(stamp)
    }

    /// The entries per worker and month, kept apart from the log (see
    /// [`LogCounts`]).
    pub fn counts(&self) -> LogCounts {
        LogCounts(self.counts.clone())
    }

    /// Reads every entry (through sled, which keeps ~10 MB of what it read
    /// on the large set: the saved copy avoids it).
    pub fn scan(store: &Store) -> Result<LogIndex> {
        let mut idx = LogIndex::default();
        store.scan(|e: LogEntry| idx.upsert(&e))?;
        // grown by doubling while read: up to half of each unused (~2 MB
        // for 50,000 entries)
        idx.rows.shrink_to_fit();
        idx.hay.shrink_to_fit();
        idx.residents.shrink_to_fit();
        Ok(idx)
    }

    /// Saves the copy for the next start (at quit, after a command wrote):
    /// only an index kept up to date with every save is the store's
    /// content. A failure only costs the next start a read of every entry.
    pub fn save(&self, store: &Store) -> Result<()> {
        let stamp = store.stamp(&[RecordKind::LogEntry])?;
        if Self::copy_made_at(store.dir(), stamp) {
            return Ok(());
        }
        self.write_copy(store.dir(), stamp).map_err(|e| super::StoreError::from_io(&e))
    }

    /// Makes the saved copy match the store, reading every entry if it
    /// does not (after a command wrote: an import, a restore).
    pub fn refresh(store: &Store) -> Result<()> {
        let stamp = store.stamp(&[RecordKind::LogEntry])?;
        if Self::copy_made_at(store.dir(), stamp) {
            return Ok(());
        }
        Self::scan(store)?.write_copy(store.dir(), stamp).map_err(|e| super::StoreError::from_io(&e))
    }

    /// `linli check`: removes a saved copy at the store's stamp that does
    /// not hold what the entries say (it would be read at the next start).
    /// Returns whether one was removed.
    pub fn drop_wrong_copy(store: &Store) -> Result<bool> {
        let stamp = store.stamp(&[RecordKind::LogEntry])?;
        let Some(copy) = Self::read_copy(store.dir(), stamp) else { return Ok(false) };
        let truth = Self::scan(store)?;
        let same = copy.rows == truth.rows
            && copy.hay == truth.hay
            && copy.residents == truth.residents
            && copy.counts == truth.counts;
        Ok(!same && std::fs::remove_file(copy_path(store.dir())).is_ok())
    }

    /// Whether the saved copy is whole and was made at `stamp`.
    fn copy_made_at(dir: &Path, stamp: Stamp) -> bool {
        Self::read_copy(dir, stamp).is_some()
    }

    fn write_copy(&self, dir: &Path, stamp: Stamp) -> std::io::Result<()> {
        let rows = postcard::to_allocvec(&self.rows).map_err(std::io::Error::other)?;
        let residents: Vec<u8> = self.residents.iter().flat_map(|r| r.0.to_le_bytes()).collect();
        saved_copy::write(&copy_path(dir), COPY_MAGIC, COPY_FORMAT, stamp, &[&rows, self.hay.as_bytes(), &residents])
    }

    /// The saved copy, if made at `stamp`, whole, and consistent (every
    /// row's text and residents inside what was read, ids in order).
    fn read_copy(dir: &Path, stamp: Stamp) -> Option<LogIndex> {
        let mut sections = saved_copy::read(&copy_path(dir), COPY_MAGIC, COPY_FORMAT, stamp)?.into_iter();
        let (rows, hay, residents) = (sections.next()?, sections.next()?, sections.next()?);
        // each part's bytes let go as soon as it is decoded: the log is read
        // again each time the duties panel is shown (see `LogIndex::keep`)
        let rows = decode_rows(rows)?;
        let hay = String::from_utf8(hay).ok()?;
        if residents.len() % 8 != 0 {
            return None;
        }
        let residents: Vec<ResidentId> =
            residents.chunks_exact(8).map(|c| ResidentId(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))).collect();
        let whole = rows.windows(2).all(|w| w[0].id < w[1].id)
            && rows.iter().all(|r| {
                let within =
                    |(s, l): (u32, u32), len: usize| (s as usize).checked_add(l as usize).is_some_and(|e| e <= len);
                within(r.hay, hay.len())
                    && hay.is_char_boundary(r.hay.0 as usize)
                    && hay.is_char_boundary((r.hay.0 + r.hay.1) as usize)
                    && within(r.residents, residents.len())
            });
        if !whole {
            return None;
        }
        let mut counts = HashMap::new();
        for r in &rows {
            Self::count(&mut counts, (r.worker, crate::domain::volunteer::ym(r.date)), true);
        }
        Some(LogIndex { rows, hay, residents, counts, made_at: Some(stamp) })
    }

    /// Bytes held, roughly, by part (for measuring memory; each small
    /// allocation counted with the allocator's 16 bytes).
    pub fn memory(&self) -> Vec<(&'static str, usize)> {
        let boxes = |n: usize, bytes: usize| if n == 0 { 0 } else { bytes.div_ceil(16) * 16 + 16 };
        vec![
            ("rows", self.rows.capacity() * std::mem::size_of::<LogRow>()),
            ("text", self.hay.capacity()),
            ("residents", self.residents.capacity() * 8),
            ("found", self.rows.iter().map(|r| r.found.as_ref().map_or(0, |f| boxes(1, f.len()))).sum()),
            ("month counts", self.counts.capacity() * 24),
        ]
    }

    /// The highest id in the index (entries after it were saved since).
    pub fn last_id(&self) -> Option<LogId> {
        self.rows.last().map(|r| r.id)
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn row(&self, i: u32) -> Option<&LogRow> {
        self.rows.get(i as usize)
    }

    pub fn upsert(&mut self, e: &LogEntry) {
        self.made_at = None;
        let start = self.hay.len();
        for part in [&e.found, &e.follow_up] {
            self.hay.extend(part.chars().flat_map(char::to_lowercase));
            self.hay.push('\u{1f}');
        }
        let row = LogRow {
            id: e.id,
            worker: e.worker,
            date: e.date,
            kind: e.kind,
            residents: {
                let at = self.residents.len() as u32;
                self.residents.extend_from_slice(&e.residents);
                (at, e.residents.len() as u32)
            },
            request: e.request.is_some(),
            comments: e.comments.len().min(u16::MAX as usize) as u16,
            // 50,000 entries: a copy each would be 10 MB
            found: (!e.found.chars().flat_map(char::to_lowercase).eq(e.found.chars()))
                .then(|| e.found.chars().take(FOUND_CHARS).collect::<String>().into_boxed_str()),
            hay: (start as u32, (self.hay.len() - start) as u32),
        };
        let at = self.position(e.id);
        if let Some(i) = at {
            let old = &self.rows[i as usize];
            let key = (old.worker, crate::domain::volunteer::ym(old.date));
            Self::count(&mut self.counts, key, false);
        }
        Self::count(&mut self.counts, (row.worker, crate::domain::volunteer::ym(row.date)), true);
        match at {
            Some(i) => self.rows[i as usize] = row,
            None if self.rows.last().is_none_or(|last| last.id < e.id) => self.rows.push(row),
            None => {
                let at = self.rows.partition_point(|x| x.id < e.id);
                self.rows.insert(at, row);
            }
        }
    }

    /// Drops an entry (its creation was undone).
    pub fn remove(&mut self, id: u64) {
        self.made_at = None;
        if let Some(i) = self.position(LogId(id)) {
            let old = self.rows.remove(i as usize);
            Self::count(&mut self.counts, (old.worker, crate::domain::volunteer::ym(old.date)), false);
        }
    }

    fn count(counts: &mut HashMap<(WorkerId, u32), u32>, key: (WorkerId, u32), plus: bool) {
        let n = counts.entry(key).or_default();
        *n = if plus { n.saturating_add(1) } else { n.saturating_sub(1) };
        if *n == 0 {
            counts.remove(&key);
        }
    }

    /// A worker's entries dated in month `ym` (2026-11 is 202611), as kept.
    pub fn month_count(&self, worker: WorkerId, ym: u32) -> u32 {
        self.counts.get(&(worker, ym)).copied().unwrap_or(0)
    }

    /// The entry's residents.
    pub fn residents_of(&self, r: &LogRow) -> &[ResidentId] {
        let (s, l) = r.residents;
        self.residents.get(s as usize..(s + l) as usize).unwrap_or(&[])
    }

    /// What was found, as typed, at most 80 characters (for the list).
    pub fn found_of<'a>(&'a self, r: &'a LogRow) -> &'a str {
        if let Some(f) = &r.found {
            return f;
        }
        let (s, l) = r.hay;
        let text = self.hay.get(s as usize..(s + l) as usize).unwrap_or("");
        let field = text.split('\u{1f}').next().unwrap_or("");
        let end = field.char_indices().nth(FOUND_CHARS).map_or(field.len(), |(i, _)| i);
        &field[..end]
    }

    pub fn position(&self, id: LogId) -> Option<u32> {
        self.rows.binary_search_by_key(&id, |r| r.id).ok().map(|i| i as u32)
    }

    /// Entries of `worker` (or everybody) dated in the month, newest date
    /// first.
    pub fn month(&self, worker: Option<WorkerId>, year: i32, month: u32) -> Vec<u32> {
        let mut v: Vec<u32> = (0..self.rows.len() as u32)
            .filter(|&i| {
                let r = &self.rows[i as usize];
                worker.is_none_or(|w| r.worker == w) && r.date.year() == year && r.date.month() == month
            })
            .collect();
        v.sort_by_key(|&i| std::cmp::Reverse((self.rows[i as usize].date, self.rows[i as usize].id)));
        v
    }

    /// Entries (of `worker`, or everybody) in which every word occurs in the
    /// text, in the name of one of the entry's residents, or in the name of
    /// its worker. Newest first, at most [`MAX_HITS`].
    pub fn search<'a>(
        &self,
        query: &str,
        worker: Option<WorkerId>,
        workers: &[Worker],
        residents: impl Iterator<Item = ResidentKey<'a>> + Clone,
    ) -> Vec<u32> {
        let words: Vec<String> =
            crate::domain::text::search_text(query).split_whitespace().map(str::to_string).collect();
        // per word: the residents and workers whose names contain it
        let named: Vec<(HashSet<ResidentId>, HashSet<WorkerId>)> = words
            .iter()
            .map(|w| {
                let rs =
                    residents.clone().filter(|r| r.name.to_lowercase().contains(w.as_str())).map(|r| r.id).collect();
                let ws = workers.iter().filter(|x| x.name.to_lowercase().contains(w.as_str())).map(|x| x.id).collect();
                (rs, ws)
            })
            .collect();
        let mut v: Vec<u32> = Vec::new();
        for i in (0..self.rows.len() as u32).rev() {
            let r = &self.rows[i as usize];
            if worker.is_some_and(|w| r.worker != w) {
                continue;
            }
            let (s, l) = r.hay;
            let hay = &self.hay[s as usize..(s + l) as usize];
            let hit = words.iter().zip(&named).all(|(w, (rs, ws))| {
                hay.contains(w.as_str())
                    || ws.contains(&r.worker)
                    || self.residents_of(r).iter().any(|x| rs.contains(x))
            });
            if hit {
                v.push(i);
                if v.len() >= MAX_HITS {
                    break;
                }
            }
        }
        v.sort_by_key(|&i| std::cmp::Reverse((self.rows[i as usize].date, self.rows[i as usize].id)));
        v
    }

    /// Per worker for `year`: (entries, residents seen on visits).
    pub fn year_counts(&self, year: i32) -> HashMap<WorkerId, (u32, u32)> {
        let mut out: HashMap<WorkerId, (u32, u32)> = HashMap::new();
        for r in self.rows.iter().filter(|r| r.date.year() == year) {
            let e = out.entry(r.worker).or_default();
            e.0 += 1;
            if r.kind == LogKind::Visit {
                e.1 += r.residents.1;
            }
        }
        out
    }
}

#[cfg(test)]
mod copy_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Resident;
    use crate::domain::duties::log::Comment;
    use crate::store::rows::ResidentKeys;

    fn e(id: u64, w: u64, m: u32, d: u32, found: &str, residents: &[u64]) -> LogEntry {
        let date = NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        LogEntry {
            id: LogId(id),
            worker: WorkerId(w),
            date,
            kind: if residents.is_empty() { LogKind::Patrol } else { LogKind::Visit },
            residents: residents.iter().map(|r| ResidentId(*r)).collect(),
            found: found.into(),
            follow_up: String::new(),
            request: None,
            comments: vec![],
            logged_at: date.and_hms_opt(17, 0, 0).unwrap(),
        }
    }

    fn people() -> (Vec<Worker>, ResidentKeys) {
        let workers = vec![Worker::new(WorkerId(1), "李娜", "网格员"), Worker::new(WorkerId(2), "王芳", "网格员")];
        let residents = [Resident::new(ResidentId(1), "张三"), Resident::new(ResidentId(2), "Li Si")];
        (workers, ResidentKeys::of(&residents))
    }

    #[test]
    fn months_searches_and_counts() {
        let (ws, rs) = people();
        let mut idx = LogIndex::default();
        idx.upsert(&e(1, 1, 11, 2, "楼道灯坏了", &[1]));
        idx.upsert(&e(2, 2, 11, 20, "巡查消防通道", &[]));
        idx.upsert(&e(3, 1, 10, 30, "老人身体好", &[1, 2]));
        idx.upsert(&e(4, 1, 11, 23, "补记：老人反映漏水", &[2]));
        fn ids_of(idx: &LogIndex, v: Vec<u32>) -> Vec<u64> {
            v.iter().map(|&i| idx.row(i).unwrap().id.0).collect()
        }
        macro_rules! ids {
            ($e:expr) => {
                ids_of(&idx, $e)
            };
        }
        assert_eq!(ids!(idx.month(Some(WorkerId(1)), 2026, 11)), vec![4, 1]);
        assert_eq!(ids!(idx.month(None, 2026, 11)), vec![4, 2, 1]);
        assert_eq!(ids!(idx.search("张三", None, &ws, rs.iter())), vec![1, 3]);
        assert_eq!(ids!(idx.search("li", None, &ws, rs.iter())), vec![4, 3], "names are lower-cased");
        assert_eq!(ids!(idx.search("王芳", None, &ws, rs.iter())), vec![2], "the worker's name");
        assert_eq!(ids!(idx.search("老人 漏水", Some(WorkerId(1)), &ws, rs.iter())), vec![4]);
        assert_eq!(idx.year_counts(2026)[&WorkerId(1)], (3, 4));
        // an edited entry replaces its row
        let mut changed = e(1, 1, 11, 2, "楼道灯已修好", &[1]);
        changed.comments.push(Comment { by: WorkerId(2), at: changed.logged_at, text: "好".into() });
        idx.upsert(&changed);
        assert_eq!(idx.len(), 4);
        assert_eq!(ids!(idx.search("修好", None, &ws, rs.iter())), vec![1]);
        assert_eq!(idx.row(idx.position(LogId(1)).unwrap()).unwrap().comments, 1);
        // what was found, as typed, whether or not lower-casing changes it
        idx.upsert(&e(5, 1, 11, 24, "WiFi 信号差", &[]));
        let found = |idx: &LogIndex, id| idx.found_of(idx.row(idx.position(LogId(id)).unwrap()).unwrap()).to_string();
        assert_eq!(found(&idx, 5), "WiFi 信号差");
        assert_eq!(found(&idx, 1), "楼道灯已修好");
        idx.upsert(&e(6, 1, 11, 24, &"很长".repeat(60), &[]));
        assert_eq!(found(&idx, 6).chars().count(), 80);
    }

    #[test]
    fn month_counts_are_kept_through_edits_moves_and_removals() {
        let mut idx = LogIndex::default();
        idx.upsert(&e(1, 1, 11, 2, "a", &[]));
        idx.upsert(&e(2, 1, 11, 20, "b", &[]));
        idx.upsert(&e(3, 2, 10, 30, "c", &[]));
        // moved to another month and another worker, then one removed
        idx.upsert(&e(2, 2, 10, 3, "b", &[]));
        idx.remove(1);
        let recount = |w: u64, m: u32| {
            (0..idx.len() as u32)
                .filter_map(|i| idx.row(i))
                .filter(|r| r.worker == WorkerId(w) && crate::domain::volunteer::ym(r.date) == m)
                .count() as u32
        };
        for (w, m) in [(1, 202611), (2, 202610), (1, 202610), (2, 202611)] {
            assert_eq!(idx.month_count(WorkerId(w), m), recount(w, m), "worker {w}, {m}");
        }
        assert_eq!((idx.month_count(WorkerId(2), 202610), idx.month_count(WorkerId(1), 202611)), (2, 0));
        assert!(idx.counts.values().all(|n| *n > 0), "no empty count is kept");
    }
}
