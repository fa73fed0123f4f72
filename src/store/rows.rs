//! The requests list in memory: one compact row per request and one arena of
//! lower-cased search text, so that filtering and incremental search over
//! 100,000 requests take a few milliseconds per keystroke.
//!
//! Built once from the store (in the background at start-up) and kept up to
//! date by `upsert` after every save; the store remains the only truth.

use crate::domain::pinyin::name_initials;
use crate::domain::request::{Channel, Request, Status, Urgency};
use crate::domain::{RequestId, Resident, ResidentId, WorkCalendar, WorkerId};
use chrono::NaiveDate;
use memchr::memmem::Finder;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What the list shows and filters on, without the timeline.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    pub id: RequestId,
    #[serde(with = "days")]
    pub logged: NaiveDate,
    pub status: Status,
    pub category: u16,
    pub channel: Channel,
    pub urgency: Urgency,
    pub assignee: Option<WorkerId>,
    pub resident: Option<ResidentId>,
    #[serde(with = "days")]
    pub due: NaiveDate,
    /// The title, in `RequestIndex::titles` (read it with `title_of`).
    title: (u32, u32),
    hay: (u32, u32),
}

/// The encoded rows and residents, the search text (compacted), the titles.
pub type Sections<'a> = (Vec<u8>, Vec<u8>, &'a [u8]);

/// Dates as day numbers: compact in the saved index.
mod days {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(d.num_days_from_ce())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let n = i32::deserialize(d)?;
        NaiveDate::from_num_days_from_ce_opt(n).ok_or_else(|| serde::de::Error::custom("day out of range"))
    }
}

/// A resident as the search sees them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResidentKey {
    pub id: ResidentId,
    pub name: String,
    pub initials: String,
    pub phone: String,
    pub address: String,
    pub grid: String,
    /// Each tag whole (the duties board matches them one by one; nothing
    /// stops a tag from containing 、, so they are not kept joined).
    pub tags: Vec<String>,
    /// Name, address and tags, lower-cased, for substring search.
    lower: String,
}

impl ResidentKey {
    pub fn of(r: &Resident) -> ResidentKey {
        let address = r.address.to_string();
        ResidentKey {
            id: r.id,
            lower: format!("{}\u{1f}{}\u{1f}{}", r.name, address, r.tags.join("、")).to_lowercase(),
            name: r.name.clone(),
            initials: name_initials(&r.name),
            phone: r.phone.clone(),
            address,
            grid: r.grid.clone(),
            tags: r.tags.clone(),
        }
    }

    /// The tags as the screen shows them, joined with 、
    pub fn tags_shown(&self) -> String {
        self.tags.join("、")
    }

    /// Whether every word matches: digits in the phone (or the text),
    /// letters as pinyin initials (or the text), anything else in the text.
    pub fn matches(&self, words: &[String]) -> bool {
        words.iter().all(|w| {
            let text = self.lower.contains(w.as_str());
            if w.bytes().all(|c| c.is_ascii_digit()) {
                text || self.phone.contains(w.as_str())
            } else if w.bytes().all(|c| c.is_ascii_alphabetic()) {
                text || self.initials.starts_with(w.as_str())
            } else {
                text
            }
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Newest,
    Due,
    OldestOpen,
}

impl Sort {
    pub fn next(self) -> Sort {
        match self {
            Sort::Newest => Sort::Due,
            Sort::Due => Sort::OldestOpen,
            Sort::OldestOpen => Sort::Newest,
        }
    }
}

/// Everything the user can narrow the list by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<Status>,
    pub category: Option<String>,
    pub assignee: Option<WorkerId>,
    pub channel: Option<Channel>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Assigned to this worker (the operator's "mine").
    pub mine: Option<WorkerId>,
    pub overdue: bool,
    pub due_soon: bool,
    /// Resolved, not yet called back.
    pub callback: bool,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }
}

/// Dates that decide overdue and due-soon, computed once per day.
#[derive(Debug, Clone, Copy)]
pub struct Today {
    pub date: NaiveDate,
    /// The next working day after `date`: due on or before it is "due soon".
    pub soon: NaiveDate,
}

impl Today {
    pub fn new(date: NaiveDate, cal: &WorkCalendar) -> Today {
        Today { date, soon: cal.add_working_days(date, 1) }
    }
}

#[derive(Default)]
pub struct RequestIndex {
    rows: Vec<Row>,
    /// Position of each id in `rows` (rows are in id order).
    pos: HashMap<RequestId, u32>,
    hay: String,
    /// Titles as typed, one arena: no small allocation per row, so the
    /// memory of the records decoded while loading can be given back.
    titles: String,
    /// Each row's resident id (`NO_RESIDENT` for none), beside `rows` so
    /// that a search without filters reads 4 bytes per row, not a whole
    /// `Row`: searching is limited by memory traffic once the index is out
    /// of the CPU caches, as it is between two keystrokes.
    res: Vec<u32>,
    /// Every segment ever appended to `hay`, in arena order: (start, row).
    /// A segment is live while its row's `hay` still starts there (an
    /// upsert appends a new segment and leaves the old one as garbage).
    segs: Vec<(u32, u32)>,
    categories: Vec<String>,
    /// Indexed by resident id (ids are dense, from 1).
    residents: Vec<Option<ResidentKey>>,
    /// Last search and its hits, to narrow instead of rescanning when the
    /// user types one more character.
    last: Option<(Vec<String>, Filter, Vec<u32>)>,
}

enum Term {
    /// Letters: pinyin initials of the resident's name (prefix), or text.
    Letters(String, Finder<'static>),
    /// Digits: part of a phone number (typically its tail), or of the id.
    Digits(String, Finder<'static>),
    Text(Finder<'static>),
}

impl Term {
    fn finder(&self) -> &Finder<'static> {
        match self {
            Term::Letters(_, f) | Term::Digits(_, f) | Term::Text(f) => f,
        }
    }
}

/// How a query decides whether a row has a term.
enum Matcher<'a> {
    /// One pass over the whole search text and over the residents,
    /// answered from bit sets: for many candidate rows (a fresh search, or
    /// narrowing a long list). Each row then costs two bit tests instead of
    /// a substring search plus a random read of its resident.
    Bits { rows: Vec<u64>, residents: Vec<u64> },
    /// Row by row: for a few candidates (narrowing a short list).
    PerRow(&'a Term),
}

const NO_RESIDENT: u32 = u32::MAX;

fn bit(bits: &[u64], i: usize) -> bool {
    bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

fn set_bit(bits: &mut [u64], i: usize) {
    bits[i / 64] |= 1 << (i % 64);
}

impl RequestIndex {
    pub fn new(residents: impl IntoIterator<Item = Resident>) -> RequestIndex {
        let mut idx = RequestIndex::default();
        for r in residents {
            idx.upsert_resident(&r);
        }
        idx
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn row(&self, i: u32) -> Option<&Row> {
        self.rows.get(i as usize)
    }

    pub fn title_of(&self, row: &Row) -> &str {
        let (s, l) = row.title;
        self.titles.get(s as usize..(s + l) as usize).unwrap_or("")
    }

    pub fn category_name(&self, c: u16) -> &str {
        self.categories.get(c as usize).map_or("", String::as_str)
    }

    pub fn resident(&self, id: ResidentId) -> Option<&ResidentKey> {
        self.residents.get(id.0 as usize).and_then(Option::as_ref)
    }

    /// Every resident, in id order.
    pub fn residents(&self) -> impl Iterator<Item = &ResidentKey> + Clone {
        self.residents.iter().flatten()
    }

    /// A resident was removed (their creation was undone).
    pub fn remove_resident(&mut self, id: ResidentId) {
        if let Some(slot) = self.residents.get_mut(id.0 as usize) {
            *slot = None;
            self.last = None;
        }
    }

    fn category_id(&mut self, name: &str) -> u16 {
        if let Some(i) = self.categories.iter().position(|c| c == name) {
            return i as u16;
        }
        self.categories.push(name.to_string());
        (self.categories.len() - 1).min(u16::MAX as usize) as u16
    }

    fn push_hay(&mut self, r: &Request) -> (u32, u32) {
        let start = self.hay.len();
        self.hay.push_str(&r.id.to_string());
        self.hay.push('\u{1f}');
        for part in [&r.title, &r.description, &r.location, &r.category] {
            self.hay.extend(part.chars().flat_map(char::to_lowercase));
            self.hay.push('\u{1f}');
        }
        (start as u32, (self.hay.len() - start) as u32)
    }

    /// Adds or replaces a request's row (after a save, or while loading).
    pub fn upsert(&mut self, r: &Request) {
        let category = self.category_id(&r.category);
        let hay = self.push_hay(r);
        let title = (self.titles.len() as u32, r.title.len() as u32);
        self.titles.push_str(&r.title);
        let res = r.resident.map_or(NO_RESIDENT, |id| u32::try_from(id.0).unwrap_or(NO_RESIDENT));
        let row = Row {
            id: r.id,
            logged: r.logged_at.date(),
            status: r.status,
            category,
            channel: r.channel,
            urgency: r.urgency,
            assignee: r.assignee,
            resident: r.resident,
            due: r.due,
            title,
            hay,
        };
        let at = match self.pos.get(&r.id) {
            Some(&i) => {
                self.rows[i as usize] = row;
                self.res[i as usize] = res;
                i
            }
            None if self.rows.last().is_none_or(|last| last.id < r.id) => {
                let i = self.rows.len() as u32;
                self.pos.insert(r.id, i);
                self.rows.push(row);
                self.res.push(res);
                i
            }
            None => {
                let at = self.rows.partition_point(|x| x.id < r.id) as u32;
                self.rows.insert(at as usize, row);
                self.res.insert(at as usize, res);
                self.pos = self.rows.iter().enumerate().map(|(i, r)| (r.id, i as u32)).collect();
                for seg in &mut self.segs {
                    if seg.1 >= at {
                        seg.1 += 1;
                    }
                }
                at
            }
        };
        self.segs.push((hay.0, at));
        self.last = None;
    }

    /// The index as three sections for `store::index_cache`: rows, categories
    /// and residents encoded together, then the two text arenas as they are.
    pub fn to_sections(&self) -> Result<Sections<'_>, String> {
        // only live search text is saved, row after row, so that on loading
        // each row's text is one segment in arena order
        let mut hay = Vec::with_capacity(self.hay.len());
        let mut rows = self.rows.clone();
        for r in &mut rows {
            let start = hay.len() as u32;
            hay.extend_from_slice(self.hay_of(r));
            r.hay = (start, r.hay.1);
        }
        let meta = postcard::to_stdvec(&(&rows, &self.categories, &self.residents)).map_err(|e| e.to_string())?;
        Ok((meta, hay, self.titles.as_bytes()))
    }

    /// The index back from `to_sections`; `None` if anything does not fit.
    pub fn from_sections(meta: &[u8], hay: String, titles: String) -> Option<RequestIndex> {
        type Meta = (Vec<Row>, Vec<String>, Vec<Option<ResidentKey>>);
        let (rows, categories, residents): Meta = postcard::from_bytes(meta).ok()?;
        let fits = |(s, l): (u32, u32), len: usize| (s as usize).checked_add(l as usize).is_some_and(|e| e <= len);
        let whole = rows.iter().all(|r| {
            fits(r.hay, hay.len())
                && fits(r.title, titles.len())
                && hay.is_char_boundary(r.hay.0 as usize)
                && hay.is_char_boundary((r.hay.0 + r.hay.1) as usize)
                && (r.category as usize) < categories.len()
        }) && rows.windows(2).all(|w| w[0].id < w[1].id);
        if !whole {
            return None;
        }
        let in_order = rows.windows(2).all(|w| w[0].hay.0 <= w[1].hay.0);
        if !in_order {
            return None;
        }
        let pos = rows.iter().enumerate().map(|(i, r)| (r.id, i as u32)).collect();
        let segs = rows.iter().enumerate().map(|(i, r)| (r.hay.0, i as u32)).collect();
        let res = rows
            .iter()
            .map(|r| r.resident.map_or(NO_RESIDENT, |id| u32::try_from(id.0).unwrap_or(NO_RESIDENT)))
            .collect();
        Some(RequestIndex { rows, pos, hay, titles, segs, res, categories, residents, last: None })
    }

    /// Bytes held, roughly, by part (for measuring memory).
    pub fn memory(&self) -> Vec<(&'static str, usize)> {
        let titles = self.titles.capacity();
        let res: usize = self
            .residents()
            .map(|k| {
                let tags: usize = k.tags.iter().map(|t| t.len() + 24).sum();
                k.name.len() + k.initials.len() + k.phone.len() + k.address.len() + k.lower.len() + tags + 180
            })
            .sum();
        vec![
            ("rows", self.rows.capacity() * std::mem::size_of::<Row>()),
            ("titles", titles),
            ("hay", self.hay.capacity()),
            ("pos", self.pos.capacity() * 16),
            ("residents", res),
        ]
    }

    /// Gives back the spare capacity left by growing while loading (the
    /// search arena doubles as it grows: up to half of it would be unused).
    pub fn shrink(&mut self) {
        self.hay.shrink_to_fit();
        self.titles.shrink_to_fit();
        self.segs.shrink_to_fit();
        self.res.shrink_to_fit();
        self.rows.shrink_to_fit();
        self.pos.shrink_to_fit();
    }

    /// Drops a request's row (its creation was undone).
    pub fn remove(&mut self, id: RequestId) {
        if let Some(i) = self.pos.remove(&id) {
            self.rows.remove(i as usize);
            self.res.remove(i as usize);
            self.pos = self.rows.iter().enumerate().map(|(i, r)| (r.id, i as u32)).collect();
            // the removed row's text becomes garbage; later rows move up one
            for seg in &mut self.segs {
                match seg.1.cmp(&i) {
                    std::cmp::Ordering::Equal => seg.1 = u32::MAX,
                    std::cmp::Ordering::Greater => seg.1 -= 1,
                    std::cmp::Ordering::Less => {}
                }
            }
            self.last = None;
        }
    }

    /// A resident was created or changed: their name and address feed the
    /// search text of their requests.
    pub fn upsert_resident(&mut self, r: &Resident) {
        let i = r.id.0 as usize;
        if i >= self.residents.len() {
            self.residents.resize(i + 1, None);
        }
        self.residents[i] = Some(ResidentKey::of(r));
        self.last = None;
    }

    pub fn position(&self, id: RequestId) -> Option<u32> {
        self.pos.get(&id).copied()
    }

    fn hay_of(&self, row: &Row) -> &[u8] {
        let (s, l) = row.hay;
        &self.hay.as_bytes()[s as usize..(s + l) as usize]
    }

    fn parse_query(q: &str) -> Vec<Term> {
        q.split_whitespace()
            .map(|t| {
                let lower = t.to_lowercase();
                let finder = Finder::new(lower.as_bytes()).into_owned();
                if lower.chars().all(|c| c.is_ascii_digit()) {
                    Term::Digits(lower, finder)
                } else if lower.chars().all(|c| c.is_ascii_alphabetic()) {
                    Term::Letters(lower, finder)
                } else {
                    Term::Text(finder)
                }
            })
            .collect()
    }

    /// Whether a resident has a term: in their name or address, their name's
    /// pinyin initials (letters), their phone number (digits).
    fn resident_has(k: &ResidentKey, t: &Term) -> bool {
        match t {
            Term::Text(f) => f.find(k.lower.as_bytes()).is_some(),
            Term::Letters(s, f) => k.initials.starts_with(s.as_str()) || f.find(k.lower.as_bytes()).is_some(),
            // `contains`, not `ends_with`: a longer query must match a
            // subset of a shorter one, or narrowing would lose hits
            Term::Digits(s, _) => k.phone.contains(s.as_str()),
        }
    }

    /// Whether a row has a term, looked up row by row.
    fn row_has(&self, row: &Row, t: &Term) -> bool {
        t.finder().find(self.hay_of(row)).is_some()
            || row.resident.and_then(|id| self.resident(id)).is_some_and(|k| Self::resident_has(k, t))
    }

    /// The rows whose own search text has `f`: one pass over the arena,
    /// skipping garbage segments left behind by upserts.
    fn rows_with(&self, f: &Finder) -> Vec<u64> {
        let mut bits = vec![0u64; self.rows.len().div_ceil(64)];
        let hay = self.hay.as_bytes();
        let mut from = 0;
        let mut k = 0; // segment cursor: matches come in arena order
        while let Some(m) = f.find(&hay[from..]) {
            let at = (from + m) as u32;
            while k + 1 < self.segs.len() && self.segs[k + 1].0 <= at {
                k += 1;
            }
            let (start, row) = self.segs[k];
            if self.rows.get(row as usize).is_some_and(|r| r.hay.0 == start) {
                set_bit(&mut bits, row as usize);
            }
            // one hit per segment is enough: go on at the next one (no
            // match spans segments: terms never contain the separator)
            from = self.segs.get(k + 1).map_or(hay.len(), |s| s.0 as usize);
            if from >= hay.len() {
                break;
            }
        }
        bits
    }

    /// The residents (by id) who have a term.
    fn residents_with(&self, t: &Term) -> Vec<u64> {
        let mut bits = vec![0u64; self.residents.len().div_ceil(64)];
        for (i, k) in self.residents.iter().enumerate() {
            if k.as_ref().is_some_and(|k| Self::resident_has(k, t)) {
                set_bit(&mut bits, i);
            }
        }
        bits
    }

    /// `one_pass`: `None` to choose by the number of candidates.
    fn matcher<'a>(&self, t: &'a Term, candidates: usize, one_pass: Option<bool>) -> Matcher<'a> {
        // One pass costs about as much as checking a few thousand rows one
        // by one (each with a random read of its resident).
        if one_pass.unwrap_or(candidates >= 4096 || candidates * 8 >= self.rows.len()) {
            Matcher::Bits { rows: self.rows_with(t.finder()), residents: self.residents_with(t) }
        } else {
            Matcher::PerRow(t)
        }
    }

    fn has(&self, i: u32, m: &Matcher) -> bool {
        match m {
            Matcher::Bits { rows, residents } => bit(rows, i as usize) || bit(residents, self.res[i as usize] as usize),
            Matcher::PerRow(t) => self.row_has(&self.rows[i as usize], t),
        }
    }

    /// The candidates (positions, in the order given) that pass the
    /// category, the filter and every term.
    #[allow(clippy::too_many_arguments)]
    fn select(
        &self,
        candidates: impl Iterator<Item = u32>,
        len: usize,
        terms: &[Term],
        category: Option<u16>,
        filter: &Filter,
        today: Today,
        one_pass: Option<bool>,
    ) -> Vec<u32> {
        let matchers: Vec<Matcher> = terms.iter().map(|t| self.matcher(t, len, one_pass)).collect();
        // without filters the rows themselves are not read at all
        let plain = category.is_none() && filter.is_empty();
        candidates
            .filter(|&i| {
                (plain || {
                    let row = &self.rows[i as usize];
                    category.is_none_or(|c| row.category == c) && Self::matches_filter(row, filter, today)
                }) && matchers.iter().all(|m| self.has(i, m))
            })
            .collect()
    }

    fn matches_filter(row: &Row, f: &Filter, today: Today) -> bool {
        let open = row.status.is_open();
        f.status.is_none_or(|s| row.status == s)
            && f.assignee.is_none_or(|a| row.assignee == Some(a))
            && f.mine.is_none_or(|a| row.assignee == Some(a))
            && f.channel.is_none_or(|c| row.channel == c)
            && f.from.is_none_or(|d| row.logged >= d)
            && f.to.is_none_or(|d| row.logged <= d)
            && (!f.callback || row.status == Status::Resolved)
            && (!(f.overdue || f.due_soon)
                || (open
                    && ((f.overdue && row.due < today.date)
                        || (f.due_soon && row.due >= today.date && row.due <= today.soon))))
    }

    /// The rows that pass `filter` and every word of `query`, in `sort`
    /// order, as positions for [`RequestIndex::row`].
    pub fn query(&mut self, query: &str, filter: &Filter, sort: Sort, today: Today) -> Vec<u32> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        let terms = Self::parse_query(query);
        let category = filter.category.as_ref().map(|c| self.categories.iter().position(|x| x == c));
        if let Some(None) = category {
            return Vec::new();
        }
        let category = category.flatten().map(|c| c as u16);
        // Narrow the previous hits when the user only added to the query.
        let hits = match self.last.take() {
            Some((prev, prev_filter, hits)) if prev_filter == *filter && extends(&prev, &words) => {
                self.select(hits.iter().copied(), hits.len(), &terms, category, filter, today, None)
            }
            _ => {
                let all = (0..self.rows.len() as u32).rev();
                self.select(all, self.rows.len(), &terms, category, filter, today, None)
            }
        };
        self.last = Some((words, filter.clone(), hits.clone()));
        let mut hits = hits;
        match sort {
            Sort::Newest => {}
            Sort::Due => hits.sort_by_key(|&i| {
                let r = &self.rows[i as usize];
                (!r.status.is_open(), r.due, r.id)
            }),
            Sort::OldestOpen => hits.sort_by_key(|&i| {
                let r = &self.rows[i as usize];
                (!r.status.is_open(), r.id)
            }),
        }
        hits
    }
}

/// `now` adds to `prev` without changing it: every earlier word is still a
/// prefix of the word in its place, and no word was removed.
fn extends(prev: &[String], now: &[String]) -> bool {
    !prev.is_empty() && prev.len() <= now.len() && prev.iter().zip(now).all(|(p, n)| n.starts_with(p.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::request::NewRequest;
    use crate::domain::{Address, Categories};
    use chrono::NaiveDate;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, d).unwrap()
    }

    fn resident(id: u64, name: &str, phone: &str) -> Resident {
        let mut r = Resident::new(ResidentId(id), name);
        r.phone = phone.into();
        r.address = Address::parse("幸福小区 3-2-301");
        r
    }

    fn req(seq: u64, title: &str, cat: &str, res: Option<u64>, d: NaiveDate) -> Request {
        let cal = WorkCalendar::builtin();
        Request::create(
            RequestId::new(2025, seq),
            NewRequest {
                channel: Channel::Phone,
                category: cat.into(),
                title: title.into(),
                description: "居民反映".into(),
                location: String::new(),
                resident: res.map(ResidentId),
                urgency: Urgency::Normal,
            },
            WorkerId(1),
            d.and_hms_opt(9, 0, 0).unwrap(),
            Categories::default().limit_of(cat),
            &cal,
        )
    }

    fn index() -> RequestIndex {
        let mut idx = RequestIndex::new([
            resident(1, "张三", "13812345678"),
            resident(2, "曾小明", "13900001111"),
            resident(3, "单田芳", "13700002222"),
        ]);
        idx.upsert(&req(1, "楼道灯不亮", "小修小补", Some(1), day(3, 3)));
        idx.upsert(&req(2, "停车位被占", "停车难", Some(2), day(3, 4)));
        idx.upsert(&req(3, "狗不牵绳", "文明养犬", Some(3), day(3, 5)));
        idx.upsert(&req(4, "路灯坏了", "小修小补", None, day(3, 6)));
        idx
    }

    fn ids(idx: &mut RequestIndex, q: &str) -> Vec<u64> {
        let today = Today::new(day(3, 6), &WorkCalendar::builtin());
        let hits = idx.query(q, &Filter::default(), Sort::Newest, today);
        hits.iter().map(|&i| idx.row(i).unwrap().id.seq()).collect()
    }

    #[test]
    fn finds_by_chinese_substring_initials_and_phone_tail() {
        let mut idx = index();
        assert_eq!(ids(&mut idx, "灯"), vec![4, 1]);
        assert_eq!(ids(&mut idx, "zs"), vec![1]);
        assert_eq!(ids(&mut idx, "zxm"), vec![2], "曾 reads z as a surname");
        assert_eq!(ids(&mut idx, "st"), vec![3], "单 reads s as a surname");
        assert_eq!(ids(&mut idx, "5678"), vec![1]);
        assert_eq!(ids(&mut idx, "张三"), vec![1]);
        assert_eq!(ids(&mut idx, "幸福小区 停车"), vec![2]);
        assert_eq!(ids(&mut idx, "2025-000003"), vec![3]);
        assert_eq!(ids(&mut idx, ""), vec![4, 3, 2, 1]);
        assert!(ids(&mut idx, "不存在的").is_empty());
    }

    #[test]
    fn narrowing_gives_the_same_answer_as_a_fresh_search() {
        let mut idx = index();
        assert_eq!(ids(&mut idx, "楼"), vec![1]);
        assert_eq!(ids(&mut idx, "楼道"), vec![1]);
        // deleting a character must widen again, not narrow
        assert_eq!(ids(&mut idx, "z"), vec![2, 1]);
        assert_eq!(ids(&mut idx, "zs"), vec![1]);
        assert_eq!(ids(&mut idx, "z"), vec![2, 1]);
        // typing a phone tail digit by digit keeps the right hit
        for q in ["5", "56", "567", "5678"] {
            assert!(ids(&mut idx, q).contains(&1), "{q}");
        }
        assert_eq!(ids(&mut idx, "5678"), vec![1]);
    }

    #[test]
    fn one_pass_and_row_by_row_search_agree() {
        // enough rows and residents that the bit sets span several words,
        // with garbage segments (re-upserted rows) and a row inserted in
        // the middle, so the arena holds segments out of row order
        let titles = ["楼道灯不亮", "停车位被占", "狗不牵绳", "路灯坏了", "咨询低保", "zs 装修噪音", "电梯 5678 故障"];
        let mut idx = RequestIndex::new((1..=150).map(|i| {
            let names = ["张三", "曾小明", "单田芳", "李四", "欧阳娜娜"];
            resident(i, &format!("{}{i}", names[i as usize % 5]), &format!("1380000{:04}", i * 37 % 10_000))
        }));
        for seq in (2..=400).step_by(2) {
            let res = (seq % 7 != 0).then_some(seq % 150 + 1);
            idx.upsert(&req(seq, titles[seq as usize % titles.len()], "小修小补", res, day(3, 3)));
        }
        for seq in (4..=400).step_by(6) {
            idx.upsert(&req(seq, "已修好", "小修小补", Some(seq % 150 + 1), day(3, 4)));
        }
        idx.upsert(&req(101, "新插入的楼道灯", "小修小补", Some(3), day(3, 5)));
        idx.upsert_resident(&resident(3, "单改名", "13999995678"));
        let today = Today::new(day(3, 6), &WorkCalendar::builtin());
        let f = Filter::default();
        for q in ["灯", "楼道", "z", "zs", "zxm", "5678", "5", "已修", "2025-000101", "单改", "幸福 灯", "没有"]
        {
            let terms = RequestIndex::parse_query(q);
            let all = || (0..idx.len() as u32).rev();
            let one = idx.select(all(), idx.len(), &terms, None, &f, today, Some(true));
            let rows = idx.select(all(), idx.len(), &terms, None, &f, today, Some(false));
            assert_eq!(one, rows, "{q}");
            assert_eq!(one, idx.query(q, &f, Sort::Newest, today), "{q}");
        }
        assert!(!idx.query("灯", &f, Sort::Newest, today).is_empty());
        assert!(!idx.query("5678", &f, Sort::Newest, today).is_empty());
    }

    #[test]
    fn filters_and_sorts() {
        let mut idx = index();
        let cal = WorkCalendar::builtin();
        let today = Today::new(day(3, 12), &cal);
        let f = Filter { category: Some("小修小补".into()), ..Default::default() };
        assert_eq!(idx.query("", &f, Sort::Newest, today).len(), 2);
        let f = Filter { category: Some("没有这类".into()), ..Default::default() };
        assert!(idx.query("", &f, Sort::Newest, today).is_empty());
        // 小修小补 has 3 working days: logged 3 Mar → due 6 Mar, overdue on 12 Mar
        let f = Filter { overdue: true, ..Default::default() };
        let hits = idx.query("", &f, Sort::Due, today);
        let seqs: Vec<u64> = hits.iter().map(|&i| idx.row(i).unwrap().id.seq()).collect();
        assert_eq!(seqs, vec![1, 3, 4]);
        let sorted = idx.query("", &Filter::default(), Sort::OldestOpen, today);
        assert_eq!(idx.row(sorted[0]).unwrap().id.seq(), 1);
    }

    #[test]
    fn the_saved_sections_answer_like_the_live_index_after_edits_and_removals() {
        let mut idx = index();
        let mut r = req(2, "停车位被占已处理", "停车难", Some(2), day(3, 4));
        r.status = Status::Resolved;
        idx.upsert(&r); // leaves the old text as garbage in the arena
        idx.upsert(&req(3, "狗不牵绳又来了", "文明养犬", Some(3), day(3, 5)));
        idx.remove(RequestId::new(2025, 1));
        let (meta, hay, titles) = idx.to_sections().unwrap();
        let mut back = RequestIndex::from_sections(
            &meta,
            String::from_utf8(hay).unwrap(),
            String::from_utf8(titles.to_vec()).unwrap(),
        )
        .unwrap();
        for q in ["", "停车", "已处理", "被占", "狗", "又来", "zs", "zxm", "st", "灯", "2222", "5678", "2025-000003"]
        {
            assert_eq!(ids(&mut idx, q), ids(&mut back, q), "query {q:?}");
        }
        assert!(RequestIndex::from_sections(&meta[..meta.len() / 2], String::new(), String::new()).is_none());
    }

    #[test]
    fn upsert_replaces_and_resident_changes_are_searchable() {
        let mut idx = index();
        let mut r = req(1, "楼道灯已修", "小修小补", Some(1), day(3, 3));
        r.status = Status::Resolved;
        idx.upsert(&r);
        assert_eq!(idx.len(), 4);
        assert_eq!(ids(&mut idx, "已修"), vec![1]);
        let f = Filter { callback: true, ..Default::default() };
        let today = Today::new(day(3, 6), &WorkCalendar::builtin());
        assert_eq!(idx.query("", &f, Sort::Newest, today).len(), 1);
        idx.upsert_resident(&resident(4, "欧阳娜娜", "13600003333"));
        idx.upsert(&req(5, "咨询低保", "低保救助", Some(4), day(3, 6)));
        assert_eq!(ids(&mut idx, "oynn"), vec![5]);
        assert_eq!(ids(&mut idx, "3333"), vec![5]);
    }
}
