//! The index itself: rows, the search text arena, the residents' keys,
//! and the query (filters, sort, incremental search).

use super::*;
use memchr::memmem::Finder;

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

pub(super) enum Term {
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
pub(super) enum Matcher<'a> {
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

    pub(super) fn parse_query(q: &str) -> Vec<Term> {
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
    pub(super) fn select(
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
