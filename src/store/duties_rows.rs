//! The daily log in memory: one compact row per entry and one arena of
//! lower-cased text (what was found, what follows, the residents' names),
//! so that listing a worker's month and searching 50,000 entries take a few
//! milliseconds. Built from the store the first time the log is shown and
//! kept up to date after every save; the store remains the only truth.

use super::{Result, Store};
use crate::domain::duties::LogId;
use crate::domain::duties::log::{LogEntry, LogKind};
use crate::domain::{ResidentId, WorkerId};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct LogRow {
    pub id: LogId,
    pub worker: WorkerId,
    pub date: NaiveDate,
    pub kind: LogKind,
    pub residents: Box<[ResidentId]>,
    pub request: bool,
    pub comments: u16,
    /// What was found, for the list.
    pub found: Box<str>,
    hay: (u32, u32),
}

#[derive(Default)]
pub struct LogIndex {
    rows: Vec<LogRow>,
    pos: HashMap<LogId, u32>,
    hay: String,
}

/// Most hits a search returns (newest first); typing more narrows.
pub const MAX_HITS: usize = 2_000;

impl LogIndex {
    /// Reads every entry; `name` gives a resident's name for the search text.
    pub fn load(store: &Store, name: &dyn Fn(ResidentId) -> Option<String>) -> Result<LogIndex> {
        let mut idx = LogIndex::default();
        store.scan(|e: LogEntry| idx.upsert(&e, name))?;
        Ok(idx)
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

    pub fn upsert(&mut self, e: &LogEntry, name: &dyn Fn(ResidentId) -> Option<String>) {
        let start = self.hay.len();
        for part in [&e.found, &e.follow_up] {
            self.hay.extend(part.chars().flat_map(char::to_lowercase));
            self.hay.push('\u{1f}');
        }
        for r in &e.residents {
            if let Some(n) = name(*r) {
                self.hay.push_str(&n.to_lowercase());
                self.hay.push('\u{1f}');
            }
        }
        let row = LogRow {
            id: e.id,
            worker: e.worker,
            date: e.date,
            kind: e.kind,
            residents: e.residents.clone().into_boxed_slice(),
            request: e.request.is_some(),
            comments: e.comments.len().min(u16::MAX as usize) as u16,
            found: e.found.chars().take(80).collect::<String>().into_boxed_str(),
            hay: (start as u32, (self.hay.len() - start) as u32),
        };
        match self.pos.get(&e.id) {
            Some(&i) => self.rows[i as usize] = row,
            None if self.rows.last().is_none_or(|last| last.id < e.id) => {
                self.pos.insert(e.id, self.rows.len() as u32);
                self.rows.push(row);
            }
            None => {
                let at = self.rows.partition_point(|x| x.id < e.id);
                self.rows.insert(at, row);
                self.pos = self.rows.iter().enumerate().map(|(i, r)| (r.id, i as u32)).collect();
            }
        }
    }

    pub fn position(&self, id: LogId) -> Option<u32> {
        self.pos.get(&id).copied()
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
    /// text, a resident's name, or the name of the worker (`worker_name`).
    /// Newest first, at most [`MAX_HITS`].
    pub fn search(&self, query: &str, worker: Option<WorkerId>, worker_name: &dyn Fn(WorkerId) -> String) -> Vec<u32> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        let names: HashMap<WorkerId, String> = self
            .rows
            .iter()
            .map(|r| r.worker)
            .collect::<std::collections::HashSet<_>>()
            .into_iter()
            .map(|w| (w, worker_name(w).to_lowercase()))
            .collect();
        let mut v: Vec<u32> = Vec::new();
        for i in (0..self.rows.len() as u32).rev() {
            let r = &self.rows[i as usize];
            if worker.is_some_and(|w| r.worker != w) {
                continue;
            }
            let (s, l) = r.hay;
            let hay = &self.hay[s as usize..(s + l) as usize];
            let name = names.get(&r.worker).map_or("", String::as_str);
            if words.iter().all(|w| hay.contains(w.as_str()) || name.contains(w.as_str())) {
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
                e.1 += r.residents.len() as u32;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::duties::log::Comment;

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

    fn names(r: ResidentId) -> Option<String> {
        match r.0 {
            1 => Some("张三".into()),
            2 => Some("Li Si".into()),
            _ => None,
        }
    }

    fn wname(w: WorkerId) -> String {
        if w.0 == 1 { "李娜".into() } else { "王芳".into() }
    }

    #[test]
    fn months_searches_and_counts() {
        let mut idx = LogIndex::default();
        idx.upsert(&e(1, 1, 11, 2, "楼道灯坏了", &[1]), &names);
        idx.upsert(&e(2, 2, 11, 20, "巡查消防通道", &[]), &names);
        idx.upsert(&e(3, 1, 10, 30, "老人身体好", &[1, 2]), &names);
        idx.upsert(&e(4, 1, 11, 23, "补记：老人反映漏水", &[2]), &names);
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
        assert_eq!(ids!(idx.search("张三", None, &wname)), vec![1, 3]);
        assert_eq!(ids!(idx.search("li", None, &wname)), vec![4, 3], "names are lower-cased");
        assert_eq!(ids!(idx.search("王芳", None, &wname)), vec![2], "the worker's name");
        assert_eq!(ids!(idx.search("老人 漏水", Some(WorkerId(1)), &wname)), vec![4]);
        assert_eq!(idx.year_counts(2026)[&WorkerId(1)], (3, 4));
        // an edited entry replaces its row
        let mut changed = e(1, 1, 11, 2, "楼道灯已修好", &[1]);
        changed.comments.push(Comment { by: WorkerId(2), at: changed.logged_at, text: "好".into() });
        idx.upsert(&changed, &names);
        assert_eq!(idx.len(), 4);
        assert_eq!(ids!(idx.search("修好", None, &wname)), vec![1]);
        assert_eq!(idx.row(idx.position(LogId(1)).unwrap()).unwrap().comments, 1);
    }
}
