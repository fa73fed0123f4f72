//! The index itself: rows, the search text arena, the residents' keys, the
//! lists of pieces of text that narrow a search (`grams`), and the query
//! (filters, sort, search).
//!
//! A search term matches a request when the request's own text (number,
//! title, description, location, category) holds it, or its resident does:
//! in the name, address or tags, as pinyin initials (letters, from the
//! start), or in the phone number (digits). Each term is answered from the
//! lists of pieces (see `grams`) for the rows and residents they were built
//! for; rows and residents saved since are checked one by one, until the
//! lists are built again (`seal`, when there are many such, and before the
//! index is saved). The answer is the same as checking every row.

use super::grams::{self, Bits, Grams, PHONE};
use super::hay::{Hay, Reader};
use super::*;
use crate::domain::overview::RequestFigures;
use memchr::memmem::Finder;
use std::borrow::Cow;
use std::collections::{BTreeSet, VecDeque};

/// The first section of a saved index, decoded (see
/// [`RequestIndex::decode_meta`]).
pub struct MetaPart(RequestIndex);

#[derive(Default)]
pub struct RequestIndex {
    /// In id order. A removed request keeps its place, marked dead, so
    /// that the positions in the lists stay right.
    rows: Vec<Row>,
    /// The rows' search text, lower-cased UTF-8, one after another, packed
    /// in blocks (see `hay`, issue 19ze). Kept as bytes: the search reads
    /// it as bytes, and a saved copy is then used as read, not checked
    /// character by character first; a title shown from it is checked
    /// when shown.
    hay: Hay,
    /// Titles as typed, one arena: no small allocation per row, so the
    /// memory of the records decoded while loading can be given back.
    titles: String,
    categories: Vec<String>,
    /// Indexed by resident id (ids are dense, from 1), in one arena.
    residents: ResidentKeys,
    /// Pieces of the rows' text, for rows `0..indexed`.
    grams: Grams,
    /// Rows before it are in `grams` (a row inserted out of id order moves
    /// the ones after it, which then are not).
    indexed: u32,
    /// Rows below `indexed` changed since `grams` was built.
    dirty: BTreeSet<u32>,
    /// Pieces of the residents' names, addresses and tags, and (as
    /// `PHONE`) of their phone numbers, by resident id below `res_grams.docs()`.
    res_grams: Grams,
    /// Residents changed since `res_grams` was built.
    res_dirty: BTreeSet<u32>,
    /// The residents in `res_grams`, ordered by their name's initials as
    /// they were then (a renamed resident is one of `res_dirty`).
    by_initials: Initials,
    /// Each resident's rows as they were when `grams` was built: the rows
    /// of resident `r` are `res_rows.1[res_rows.0[r]..res_rows.0[r + 1]]`.
    res_rows: (Vec<u32>, Vec<u32>),
    /// The overview's figures over the live rows, kept on every change.
    figures: RequestFigures,
    /// How many open live rows are due on each date, kept on every change:
    /// the latest open due date without reading every row.
    open_due: std::collections::BTreeMap<NaiveDate, u32>,
    /// How many rows are dead: with none, a search without filters reads
    /// no row, only the lists' bits (at 5× the large set, 楼 is 237,000
    /// rows, each on a cache line of its own).
    dead: u32,
    /// Changes whenever rows change position (a row inserted out of id
    /// order): lists of positions made before then mean other rows now.
    layout: u64,
    /// Rows `0..laid` had their text laid out by windows when it was last
    /// compacted (see [`RequestIndex::compact_hay`]); rows after them were
    /// added since, their text in the order added.
    laid: u32,
    /// Rows a window holds (0: [`WINDOW`]; tests make it small).
    window: u32,
    /// A saved copy's lists still to come ([`RequestIndex::with_text_later`]):
    /// until they are added, every search reads the rows and residents
    /// themselves (as it does the ones the lists do not know), and the
    /// lists are not built again here.
    later: Option<Later>,
}

/// The lists a saved copy's rows wait for: which index they belong to, the
/// rows and residents they were made for, and the rows they will still
/// know (a row inserted out of id order meanwhile moves the ones after it).
#[derive(Clone, Copy)]
struct Later {
    token: u64,
    rows: u32,
    residents: u32,
    indexed: u32,
}

/// Where each index's `layout` numbers come from: one counter for all, so
/// two indexes never share a number (but a new empty one, 0).
static LAYOUTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_layout() -> u64 {
    LAYOUTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// A word of the query, lower-cased, and what kind of word it is.
pub(super) enum Term {
    /// Letters: pinyin initials of the resident's name (prefix), or text.
    Letters(String, Finder<'static>),
    /// Digits: part of a phone number (typically its tail), or of the id.
    Digits(String, Finder<'static>),
    Text(String, Finder<'static>),
}

impl Term {
    fn of(word: &str) -> Term {
        let lower = word.to_lowercase();
        let finder = Finder::new(lower.as_bytes()).into_owned();
        if lower.chars().all(|c| c.is_ascii_digit()) {
            Term::Digits(lower, finder)
        } else if lower.chars().all(|c| c.is_ascii_alphabetic()) {
            Term::Letters(lower, finder)
        } else {
            Term::Text(lower, finder)
        }
    }

    fn finder(&self) -> &Finder<'static> {
        match self {
            Term::Letters(_, f) | Term::Digits(_, f) | Term::Text(_, f) => f,
        }
    }

    fn text(&self) -> &str {
        match self {
            Term::Letters(s, _) | Term::Digits(s, _) | Term::Text(s, _) => s,
        }
    }
}

const NO_RESIDENT: u32 = u32::MAX;

/// A row's title start when the title is the one in its search text (it
/// is when lower-casing leaves it as it is: Chinese text, digits): only
/// other titles are kept a second time, as typed.
const TITLE_IN_HAY: u32 = u32::MAX;

/// Residents ordered by their initials: `ids[i]` has the initials
/// `text[offs[i]..offs[i + 1]]`. Saved with the index (sorting them was a
/// tenth of loading it).
#[derive(Default, Serialize, Deserialize)]
struct Initials {
    ids: Vec<u32>,
    offs: Vec<u32>,
    text: String,
}

impl Initials {
    fn of(residents: &ResidentKeys) -> Initials {
        // one entry for every reading of the name (尉: w… and y…), as a
        // place in the residents' text: half the bytes of a `&str` each
        let mut by: Vec<(u32, u32, u32)> = residents.reading_spans().collect();
        let at = |&(s, l, _): &(u32, u32, u32)| residents.span((s, l));
        by.sort_unstable_by(|a, b| at(a).cmp(at(b)).then(a.2.cmp(&b.2)));
        // each list made at its size, not grown by doubling
        let text = by.iter().map(|&(_, l, _)| l as usize).sum();
        let mut out = Initials {
            ids: Vec::with_capacity(by.len()),
            offs: Vec::with_capacity(by.len() + 1),
            text: String::with_capacity(text),
        };
        out.offs.push(0);
        for e in &by {
            out.ids.push(e.2);
            out.text.push_str(at(e));
            out.offs.push(out.text.len() as u32);
        }
        out
    }

    fn at(&self, i: usize) -> &str {
        self.text.get(self.offs[i] as usize..self.offs[i + 1] as usize).unwrap_or("")
    }

    /// Whether a decoded copy fits residents `0..residents`.
    fn is_whole(&self, residents: usize) -> bool {
        self.offs.len() == self.ids.len() + 1
            && self.offs.first() == Some(&0)
            && self.offs.windows(2).all(|w| w[0] <= w[1])
            && self.offs.last().is_some_and(|&e| e as usize == self.text.len())
            && self.ids.iter().all(|&i| (i as usize) < residents)
    }

    /// The residents whose initials start with `prefix`.
    fn starting<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = u32> + 'a {
        let (mut lo, mut hi) = (0, self.ids.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.at(mid) < prefix {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (lo..self.ids.len()).take_while(move |&i| self.at(i).starts_with(prefix)).map(|i| self.ids[i])
    }

    fn memory(&self) -> usize {
        (self.ids.capacity() + self.offs.capacity()) * 4 + self.text.capacity()
    }
}

/// Rows or residents saved since their lists were built, past which the
/// next search builds them again: checking one by one costs about a
/// microsecond each.
const SEAL_AFTER: usize = 4096;

/// The rows whose search text is laid out together, sorted by that text
/// (after the request's number): similar requests lie side by side, so a
/// word that many of them share is found in few packed blocks, and the
/// blocks pack smaller. Rows are read in their order a window at a time,
/// the window's text (~1.6 MB) held meanwhile. At 5× the large set, a search for
/// 楼道灯 (16,114 hits) unpacks 1,893 of 11,990 blocks, 8.8 ms, against
/// 8,966 and 31 ms in row order (BENCHMARKS.md, issue 19zi: windows of
/// 4,096 rows to all of them).
pub const WINDOW: usize = 8192;

/// A row's search text after the request's number: what a window's rows
/// are sorted by.
fn after_number(text: &[u8]) -> &[u8] {
    text.iter().position(|&b| b == grams::SEP as u8).map_or(&[], |k| &text[k + 1..])
}

fn resident_no(id: Option<ResidentId>) -> u32 {
    id.map_or(NO_RESIDENT, |id| u32::try_from(id.0).unwrap_or(NO_RESIDENT))
}

impl RequestIndex {
    pub fn new(residents: impl IntoIterator<Item = Resident>) -> RequestIndex {
        let mut idx = RequestIndex::default();
        for r in residents {
            idx.upsert_resident(&r);
        }
        idx
    }

    /// Search text in blocks of `block` bytes, the dictionary sampled once
    /// `4 × block` are in, laid out in windows of `window` rows (tests:
    /// many blocks and windows from a few rows).
    #[cfg(test)]
    pub(super) fn small_hay(&mut self, block: usize, window: usize) {
        assert!(self.rows.is_empty());
        self.hay = Hay::sized(block, 4 * block, 2 * block);
        self.window = window as u32;
    }

    /// An empty index to be filled from the records, requests in id order
    /// (a rebuild, a restore): each window of rows laid out as it comes in,
    /// packed once (see [`RequestIndex::lay_out_as_added`]).
    pub fn to_rebuild() -> RequestIndex {
        let mut idx = RequestIndex::default();
        idx.lay_out_as_added();
        idx
    }

    /// The text of rows added from now on (a rebuild's, in row order) is
    /// laid out as it comes: each window's text is held unpacked until
    /// the window is full, then sorted and packed (see
    /// [`RequestIndex::compact_hay`]), not packed once as it came and
    /// again when laid out.
    pub fn lay_out_as_added(&mut self) {
        self.hay.hold();
    }

    /// A held window's text laid out (see `lay_out_as_added`); if the
    /// tail holds other text too (a row replaced, or added out of order),
    /// it is only packed as it is, and laid out when compacted.
    fn lay_out_tail(&mut self) {
        let from = self.laid as usize;
        let live = || self.rows[from..].iter().filter(|r| !r.dead).map(|r| r.hay);
        if from > self.rows.len() || !self.hay.tail_ends_with(live()) {
            self.hay.release();
            return;
        }
        let mut rows: Vec<u32> = (from..self.rows.len()).filter(|&i| !self.rows[i].dead).map(|i| i as u32).collect();
        let places: Vec<(u32, u32)> = {
            let text = |i: u32| self.hay.tail_text(self.rows[i as usize].hay);
            rows.sort_by(|&a, &b| after_number(text(a)).cmp(after_number(text(b))));
            rows.iter().map(|&i| self.rows[i as usize].hay).collect()
        };
        let moved = self.hay.lay_tail(&places);
        for (&i, p) in rows.iter().zip(moved) {
            self.rows[i as usize].hay = p;
        }
        self.laid = self.rows.len() as u32;
    }

    fn window(&self) -> usize {
        if self.window == 0 { WINDOW } else { self.window as usize }
    }

    /// The search text's packed blocks.
    #[cfg(test)]
    pub(super) fn hay_blocks(&self) -> usize {
        self.hay.blocks()
    }

    /// The text laid out again in windows of `window` rows (the layout
    /// probe; 1: row order).
    #[cfg(test)]
    pub(super) fn lay_out_again(&mut self, window: usize) {
        self.window = window as u32;
        self.laid = 0;
        self.compact_hay();
    }

    /// Blocks of the search text unpacked so far.
    #[cfg(test)]
    pub(super) fn hay_unpacked(&self) -> usize {
        self.hay.unpacked.get()
    }

    /// Every live row's search text, in row order (the hay probe, tests).
    #[cfg(test)]
    pub(super) fn each_text(&self, mut f: impl FnMut(&[u8])) {
        self.by_window(|texts| texts.iter().for_each(|(_, t)| f(t)));
    }

    /// Rows, the dead ones included: positions run `0..len()`.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// A live row.
    pub fn row(&self, i: u32) -> Option<&Row> {
        self.rows.get(i as usize).filter(|r| !r.dead)
    }

    /// A row's title as typed (from its search text when it is the same
    /// lower-cased: then unpacked from its block, so owned).
    pub fn title_of(&self, row: &Row) -> Cow<'_, str> {
        let (s, l) = row.title;
        if s == TITLE_IN_HAY {
            // the hay: number, separator, the title lower-cased (the same)
            let mut rd = self.hay.reader();
            let hay = rd.get(row.hay);
            let from = memchr::memchr(grams::SEP as u8, hay).map_or(hay.len(), |i| i + 1);
            let t = hay.get(from..from + l as usize).and_then(|t| std::str::from_utf8(t).ok()).unwrap_or("");
            return Cow::Owned(t.to_string());
        }
        Cow::Borrowed(self.titles.get(s as usize..(s + l) as usize).unwrap_or(""))
    }

    /// The overview's figures, as kept on every change.
    pub fn figures(&self) -> &RequestFigures {
        &self.figures
    }

    /// Every category name, by number.
    pub fn category_names(&self) -> &[String] {
        &self.categories
    }

    pub fn category_name(&self, c: u16) -> &str {
        self.categories.get(c as usize).map_or("", String::as_str)
    }

    pub fn resident(&self, id: ResidentId) -> Option<ResidentKey<'_>> {
        self.residents.get(id.0 as usize)
    }

    /// Every resident, in id order.
    pub fn residents(&self) -> impl Iterator<Item = ResidentKey<'_>> + Clone {
        self.residents.iter()
    }

    /// A resident was removed (their creation was undone).
    pub fn remove_resident(&mut self, id: ResidentId) {
        if (id.0 as usize) < self.residents.len() {
            self.residents.remove(id.0 as usize);
            self.res_dirty.insert(id.0 as u32);
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
        self.hay.push_with(|hay| {
            hay.extend_from_slice(r.id.to_string().as_bytes());
            hay.push(grams::SEP as u8);
            let mut buf = [0u8; 4];
            for field in SEARCHED {
                for c in field(r).chars().flat_map(char::to_lowercase) {
                    hay.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                hay.push(grams::SEP as u8);
            }
        })
    }

    /// Adds or replaces a request's row (after a save, or while loading).
    pub fn upsert(&mut self, r: &Request) {
        let category = self.category_id(&r.category);
        let hay = self.push_hay(r);
        let same = r.title.chars().flat_map(char::to_lowercase).eq(r.title.chars());
        let title = if same {
            (TITLE_IN_HAY, r.title.len() as u32)
        } else {
            let t = (self.titles.len() as u32, r.title.len() as u32);
            self.titles.push_str(&r.title);
            t
        };
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
            satisfaction: r.satisfaction,
            on_time: crate::domain::overview::on_time(r),
            title,
            hay,
            dead: false,
        };
        let at = self.rows.binary_search_by_key(&r.id, |x| x.id);
        let old = at.ok().map(|i| &self.rows[i]).filter(|x| !x.dead).map(Row::fact);
        self.figures.apply(old.as_ref(), Some(&row.fact()));
        if let Some(o) = &old {
            self.count_open(o.status, o.due, false);
        }
        self.count_open(row.status, row.due, true);
        match at {
            Ok(i) => {
                if self.rows[i].dead {
                    self.dead = self.dead.saturating_sub(1);
                }
                self.rows[i] = row;
                if (i as u32) < self.indexed || self.later.is_some_and(|l| (i as u32) < l.indexed) {
                    self.dirty.insert(i as u32);
                }
            }
            Err(i) if i == self.rows.len() => {
                self.rows.push(row);
                if self.hay.is_held() && self.rows.len().saturating_sub(self.laid as usize) >= self.window() {
                    self.lay_out_tail();
                }
            }
            Err(at) => {
                // the rows after it move: the lists no longer know them
                self.rows.insert(at, row);
                self.layout = next_layout();
                self.indexed = self.indexed.min(at as u32);
                if let Some(l) = &mut self.later {
                    l.indexed = l.indexed.min(at as u32);
                }
                self.dirty = self.dirty.range(..at as u32).copied().collect();
            }
        }
    }

    /// Drops a request's row (its creation was undone): it stays in its
    /// place, dead, until the lists are built again.
    pub fn remove(&mut self, id: RequestId) {
        if let Ok(i) = self.rows.binary_search_by_key(&id, |x| x.id) {
            if !self.rows[i].dead {
                self.figures.apply(Some(&self.rows[i].fact()), None);
                let (status, due) = (self.rows[i].status, self.rows[i].due);
                self.count_open(status, due, false);
                self.dead += 1;
            }
            self.rows[i].dead = true;
        }
    }

    /// A resident was created or changed: their name and address feed the
    /// search text of their requests.
    pub fn upsert_resident(&mut self, r: &Resident) {
        self.residents.set(r);
        self.res_dirty.insert(r.id.0 as u32);
    }

    fn count_open(&mut self, status: Status, due: NaiveDate, plus: bool) {
        if !status.is_open() {
            return;
        }
        if plus {
            *self.open_due.entry(due).or_default() += 1;
        } else if let Some(n) = self.open_due.get_mut(&due) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.open_due.remove(&due);
            }
        }
    }

    /// The latest due date of an open request, if any is open.
    pub fn latest_open_due(&self) -> Option<NaiveDate> {
        self.open_due.last_key_value().map(|(d, _)| *d)
    }

    /// What lists of positions (`query`'s answers) are valid for: when it
    /// differs from the one a list was made under, rows have moved.
    pub fn layout(&self) -> u64 {
        self.layout
    }

    pub fn position(&self, id: RequestId) -> Option<u32> {
        let i = self.rows.binary_search_by_key(&id, |x| x.id).ok()?;
        (!self.rows[i].dead).then_some(i as u32)
    }

    /// The rows `rows` whose text `keep` says yes to, visited by their
    /// place in the text (each packed block unpacked once): in place order.
    fn rows_by_place(&self, rows: impl Iterator<Item = usize>, mut keep: impl FnMut(usize, &[u8])) {
        let mut by: Vec<(u32, u32)> = rows.map(|i| (self.rows[i].hay.0, i as u32)).collect();
        if !by.is_sorted() {
            by.sort_unstable();
        }
        let mut rd = self.hay.reader();
        for (_, i) in by {
            keep(i as usize, rd.get(self.rows[i as usize].hay));
        }
    }

    // ---- building the lists ----------------------------------------------------

    /// Builds the lists of pieces for every row and resident (after a full
    /// load, and before saving), and gives back the memory left by growing
    /// and by replaced text.
    pub fn seal(&mut self) {
        // lists still to come would be older than these
        self.later = None;
        self.compact_hay();
        self.seal_rows();
        self.seal_residents();
        self.titles.shrink_to_fit();
        self.rows.shrink_to_fit();
    }

    /// Whether anything is not in the lists.
    pub fn is_sealed(&self) -> bool {
        self.indexed as usize == self.rows.len()
            && self.dirty.is_empty()
            && self.res_dirty.is_empty()
            && self.res_grams.docs() as usize >= self.residents.len()
    }

    /// The live rows' text (with their positions), in row order, a window
    /// of [`WINDOW`] rows at a time. A window's rows are read by place, so
    /// each block is unpacked about once where the window's text lies
    /// together (as compacting lays it out, and a rebuild adds it), also
    /// when a row's newer text lies elsewhere (a row edited since); what
    /// is held is the window's own text, copied out of its blocks.
    fn by_window(&self, mut f: impl FnMut(&mut Vec<(u32, &[u8])>)) {
        let mut buf = Vec::new();
        let mut spans: Vec<(u32, usize, usize)> = Vec::new();
        let mut by_place: Vec<(u32, u32, u32)> = Vec::new();
        let mut rd = self.hay.reader();
        let w = self.window();
        for from in (0..self.rows.len()).step_by(w) {
            let rows = &self.rows[from..(from + w).min(self.rows.len())];
            by_place.clear();
            by_place.extend(
                rows.iter().enumerate().filter(|(_, r)| !r.dead).map(|(k, r)| (r.hay.0, r.hay.1, (from + k) as u32)),
            );
            by_place.sort_unstable();
            buf.clear();
            spans.clear();
            for &(s, l, i) in &by_place {
                let t = rd.get((s, l));
                spans.push((i, buf.len(), t.len()));
                buf.extend_from_slice(t);
            }
            spans.sort_unstable_by_key(|&(i, _, _)| i);
            let mut texts: Vec<(u32, &[u8])> =
                spans.iter().map(|&(i, at, l)| (i, buf.get(at..at + l).unwrap_or(&[]))).collect();
            f(&mut texts);
        }
    }

    /// Whether each window's live rows have their text together, in the
    /// order of their text after the request's number, and no text is
    /// held for no live row (tests).
    #[cfg(test)]
    pub(super) fn is_laid_out(&self) -> bool {
        let mut rd = self.hay.reader();
        let mut end = 0u32;
        self.rows.chunks(self.window()).all(|rows| {
            let mut live: Vec<&Row> = rows.iter().filter(|r| !r.dead).collect();
            live.sort_by_key(|r| r.hay.0);
            let mut prev: Option<Vec<u8>> = None;
            live.iter().all(|r| {
                let after = after_number(rd.get(r.hay)).to_vec();
                let ok = r.hay.0 == end && prev.as_ref().is_none_or(|p| *p <= after);
                end += r.hay.1;
                prev = Some(after);
                ok
            })
        }) && end as usize == self.hay.len()
    }

    /// The search text of live rows only, laid out anew: window by window
    /// (see [`WINDOW`]), each window's rows sorted by their text after the
    /// request's number, and packed hard. Not done when the text has no
    /// room taken by old text and fewer than a window of rows were added
    /// since it was last laid out.
    fn compact_hay(&mut self) {
        if self.hay.is_held() {
            // the last window of a rebuild, shorter than the others
            self.lay_out_tail();
            self.hay.release();
        }
        let live: u64 = self.rows.iter().filter(|r| !r.dead).map(|r| u64::from(r.hay.1)).sum();
        let added = self.rows.len().saturating_sub(self.laid as usize);
        if live == self.hay.len() as u64 && added < self.window() {
            self.hay.shrink();
            return;
        }
        // packed as it is made, block by block, one window of the old text
        // unpacked at a time: never the whole text unpacked at once
        let mut hay = self.hay.empty_like();
        let mut places = vec![(0u32, 0u32); self.rows.len()];
        self.by_window(|texts| {
            texts.sort_by(|a, b| after_number(a.1).cmp(after_number(b.1)));
            for &(i, t) in texts.iter() {
                places[i as usize] = hay.push(t);
            }
        });
        for (r, p) in self.rows.iter_mut().zip(places) {
            if !r.dead {
                r.hay = p;
            } else {
                if r.title.0 == TITLE_IN_HAY {
                    // its text is gone; a dead row shows nothing
                    r.title = (TITLE_IN_HAY, 0);
                }
                r.hay = (hay.len() as u32, 0);
            }
        }
        hay.shrink();
        self.hay = hay;
        self.laid = self.rows.len() as u32;
    }

    fn seal_rows(&mut self) {
        // the old lists and map go before the new are built, not after
        self.grams = Grams::default();
        self.res_rows = Default::default();
        self.grams = grams::build(self.rows.len() as u32, |visit| {
            self.by_window(|texts| {
                for &(i, t) in texts.iter() {
                    visit(i, &[(std::str::from_utf8(t).unwrap_or(""), 0)]);
                }
            });
        });
        self.indexed = self.rows.len() as u32;
        self.dirty.clear();
        self.build_res_rows();
    }

    fn build_res_rows(&mut self) {
        let n = self.residents.len();
        let mut offs = vec![0u32; n + 1];
        let of = |r: &Row| resident_no(r.resident) as usize;
        for r in self.rows.iter().filter(|r| !r.dead) {
            if of(r) < n {
                offs[of(r) + 1] += 1;
            }
        }
        for i in 0..n {
            offs[i + 1] += offs[i];
        }
        let mut at = offs.clone();
        let mut rows = vec![0u32; offs[n] as usize];
        for (i, r) in self.rows.iter().enumerate().filter(|(_, r)| !r.dead) {
            if of(r) < n {
                rows[at[of(r)] as usize] = i as u32;
                at[of(r)] += 1;
            }
        }
        self.res_rows = (offs, rows);
    }

    fn seal_residents(&mut self) {
        self.residents.compact();
        self.res_grams = Grams::default();
        self.res_rows = Default::default();
        self.res_grams = grams::build(self.residents.len() as u32, |visit| {
            for k in self.residents.iter() {
                visit(k.id.0 as u32, &[(k.lower, 0), (k.phone, PHONE)]);
            }
        });
        self.res_dirty.clear();
        // the old order goes before the new is made, not after
        self.by_initials = Initials::default();
        self.by_initials = Initials::of(&self.residents);
        // a new resident's rows were not in the map either
        self.build_res_rows();
    }

    /// Builds the lists again when many rows or residents are outside them.
    fn reseal_if_needed(&mut self) {
        // a saved copy's lists are on their way: not built twice
        if self.later.is_some() {
            return;
        }
        let rows_out = self.dirty.len() + self.rows.len() - self.indexed as usize;
        if rows_out > SEAL_AFTER.max(self.rows.len() / 16) {
            self.compact_hay();
            self.seal_rows();
        }
        let res_out = self.res_dirty.len() + self.residents.len().saturating_sub(self.res_grams.docs() as usize);
        if res_out > SEAL_AFTER.max(self.residents.len() / 16) {
            self.seal_residents();
        }
    }

    // ---- saving ---------------------------------------------------------------

    /// The index as sections for `store::index_cache`: rows, categories and
    /// residents encoded together, the two text arenas as they are, then
    /// the lists. The index must be sealed (see [`RequestIndex::seal`]).
    pub fn to_sections(&self) -> Result<Sections<'_>, String> {
        if !self.is_sealed() {
            return Err("the index is not sealed".into());
        }
        let meta = postcard::to_stdvec(&(
            &self.rows,
            &self.categories,
            &self.residents,
            &self.by_initials,
            &self.figures,
            &self.open_due,
        ))
        .map_err(|e| e.to_string())?;
        Ok((meta, self.hay.to_bytes(), self.titles.as_bytes(), self.grams.to_bytes(), self.res_grams.to_bytes()))
    }

    /// The sections of [`RequestIndex::to_sections`], each written to `w`
    /// as it is made: the saved copy without a second copy of the index in
    /// memory (16.5 MB on the large set; a start that rebuilt the index
    /// peaked 5.5 MB lower for it).
    pub fn write_sections(&self, w: &mut crate::store::saved_copy::SectionWriter) -> std::io::Result<()> {
        if !self.is_sealed() {
            return Err(std::io::Error::other("the index is not sealed"));
        }
        let meta = (&self.rows, &self.categories, &self.residents, &self.by_initials, &self.figures, &self.open_due);
        w.section(|out| postcard::to_io(&meta, out).map(|_| ()).map_err(std::io::Error::other))?;
        w.section(|out| self.hay.write_to(out))?;
        w.section(|out| out.write_all(self.titles.as_bytes()))?;
        w.section(|out| self.grams.write_to(out))?;
        w.section(|out| self.res_grams.write_to(out))
    }

    /// The index back from `to_sections`; `None` if anything does not fit.
    pub fn from_sections(
        meta: &[u8],
        hay: Vec<u8>,
        titles: String,
        grams: Vec<u8>,
        res_grams: Vec<u8>,
    ) -> Option<RequestIndex> {
        let part = Self::decode_meta(meta)?;
        Self::with_text(part, &hay, titles, Grams::from_bytes(grams)?, Grams::from_bytes(res_grams)?)
    }

    /// The first section of a saved index (rows, categories, residents,
    /// the order of their initials, the overview's figures, the open rows
    /// by due date), decoded, with each resident's rows. Few allocations:
    /// the rows are numbers, the residents one arena, and what took the
    /// most time besides (sorting the initials, counting the figures) was
    /// saved with them.
    pub fn decode_meta(meta: &[u8]) -> Option<MetaPart> {
        type Rest = (Vec<String>, ResidentKeys, Initials, RequestFigures, std::collections::BTreeMap<NaiveDate, u32>);
        let (rows, rest) = Self::take_rows(meta)?;
        let (categories, residents, by_initials, figures, open_due): Rest = postcard::from_bytes(rest).ok()?;
        let whole = rows.iter().all(|r| (r.category as usize) < categories.len())
            && rows.windows(2).all(|w| w[0].id < w[1].id)
            && residents.is_whole()
            && by_initials.is_whole(residents.len());
        if !whole {
            return None;
        }
        let dead = rows.iter().filter(|r| r.dead).count() as u32;
        let mut idx =
            RequestIndex { rows, categories, dead, residents, by_initials, figures, open_due, ..Default::default() };
        idx.residents.compact();
        idx.build_res_rows();
        Some(MetaPart(idx))
    }

    /// The rows at the start of a first section (postcard's sequence: their
    /// number, then each row), and the bytes after them. Into a list of
    /// exactly their number, allocated once: serde's own reading grows it
    /// by doubling from a cautious start, up to 0.9 MB unused on the large
    /// set until shrunk, and ~0.4 ms slower (issue 19w). A number of rows
    /// beyond the bytes there are (every row takes more than one) is
    /// refused before anything is allocated.
    fn take_rows(meta: &[u8]) -> Option<(Vec<Row>, &[u8])> {
        let (n, mut rest): (u64, &[u8]) = postcard::take_from_bytes(meta).ok()?;
        let n = usize::try_from(n).ok().filter(|&n| n <= rest.len())?;
        let mut rows = Vec::with_capacity(n);
        for _ in 0..n {
            let (row, after) = postcard::take_from_bytes::<Row>(rest).ok()?;
            rows.push(row);
            rest = after;
        }
        Some((rows, rest))
    }

    /// The index from its decoded first section and the rest of the saved
    /// copy; `None` if anything does not fit. The search text is not read
    /// through (a title shown from it is checked when shown; a search
    /// reads it as bytes).
    pub fn with_text(
        part: MetaPart,
        hay: &[u8],
        titles: String,
        grams: Grams,
        res_grams: Grams,
    ) -> Option<RequestIndex> {
        let mut idx = Self::with_text_later(part, hay, titles)?;
        let token = idx.later_token()?;
        idx.add_lists(token, Some((grams, res_grams))).then_some(idx)
    }

    /// As [`RequestIndex::with_text`], the lists to come
    /// ([`RequestIndex::add_lists`], with [`RequestIndex::later_token`]):
    /// the rows can be shown at once, and every search answers meanwhile,
    /// exactly, from the rows and residents themselves (issue 19t: the
    /// lists are the slowest part of a deflated copy to inflate).
    /// `hay` is the search text as saved (`hay::Hay::write_to`): its blocks
    /// kept packed as they are.
    pub fn with_text_later(part: MetaPart, hay: &[u8], titles: String) -> Option<RequestIndex> {
        let MetaPart(mut idx) = part;
        let hay = Hay::from_bytes(hay)?;
        let fits = |(s, l): (u32, u32), len: usize| (s as usize).checked_add(l as usize).is_some_and(|e| e <= len);
        // (a title in the search text is not looked at here: that would
        // unpack the whole text; it is read with `get`s when shown)
        let title_fits = |r: &Row| {
            if r.title.0 == TITLE_IN_HAY {
                r.title.1 <= r.hay.1
            } else {
                fits(r.title, titles.len())
                    && titles.is_char_boundary(r.title.0 as usize)
                    && titles.is_char_boundary((r.title.0 + r.title.1) as usize)
            }
        };
        if !idx.rows.iter().all(|r| hay.fits(r.hay) && title_fits(r)) {
            return None;
        }
        idx.indexed = 0;
        idx.hay = hay;
        // a saved copy was compacted when it was sealed to be written: laid
        // out (but for fewer than a window of rows added before that)
        idx.laid = idx.rows.len() as u32;
        idx.titles = titles;
        idx.layout = next_layout();
        let (rows, residents) = (idx.rows.len() as u32, idx.residents.len() as u32);
        idx.later = Some(Later { token: next_layout(), rows, residents, indexed: rows });
        Some(idx)
    }

    /// What [`RequestIndex::add_lists`] must be given with this index's
    /// lists, if it still waits for them.
    pub fn later_token(&self) -> Option<u64> {
        self.later.map(|l| l.token)
    }

    /// A saved copy's lists (of the rows, of the residents), arrived after
    /// its rows ([`RequestIndex::with_text_later`]). Whatever changed
    /// meanwhile stays outside them, as after any save. `false` (and the
    /// lists dropped) if they are not this index's (`token`), do not fit
    /// the rows and residents they were saved with, or are `None` (they
    /// could not be read): the index then builds its own when a search
    /// next needs them.
    pub fn add_lists(&mut self, token: u64, lists: Option<(Grams, Grams)>) -> bool {
        let Some(later) = self.later.filter(|l| l.token == token) else { return false };
        self.later = None;
        let Some((grams, res_grams)) = lists else { return false };
        if grams.docs() != later.rows || res_grams.docs() != later.residents {
            return false;
        }
        self.grams = grams;
        self.res_grams = res_grams;
        self.indexed = later.indexed;
        let indexed = self.indexed;
        self.dirty.retain(|&i| i < indexed);
        true
    }

    /// Bytes held, roughly, by part (for measuring memory).
    pub fn memory(&self) -> Vec<(&'static str, usize)> {
        let res = self.residents.memory();
        vec![
            ("rows", self.rows.capacity() * std::mem::size_of::<Row>()),
            ("titles", self.titles.capacity()),
            ("hay", self.hay.memory()),
            ("residents", res),
            ("lists", self.grams.memory() + self.res_grams.memory()),
            (
                "resident maps",
                self.by_initials.memory() + (self.res_rows.0.capacity() + self.res_rows.1.capacity()) * 4,
            ),
        ]
    }

    /// Gives back spare memory and builds the lists (see [`RequestIndex::seal`]).
    pub fn shrink(&mut self) {
        self.seal();
    }

    // ---- searching ------------------------------------------------------------

    pub(super) fn parse_query(q: &str) -> Vec<Term> {
        // an IME's full-width digits and letters read as half-width
        crate::domain::text::search_text(q).split_whitespace().map(Term::of).collect()
    }

    /// Whether a resident has a term: in their name or address, their name's
    /// pinyin initials (letters), their phone number (digits).
    fn resident_has(k: &ResidentKey, t: &Term) -> bool {
        match t {
            Term::Text(_, f) => f.find(k.lower.as_bytes()).is_some(),
            Term::Letters(s, f) => k.initials_start(s.as_str()) || f.find(k.lower.as_bytes()).is_some(),
            // `contains`, not `ends_with`: a longer query must match a
            // subset of a shorter one
            Term::Digits(s, _) => k.phone.contains(s.as_str()),
        }
    }

    /// Whether a row has a term, looked up in the row itself: the rows
    /// outside the lists, and the reference the lists must agree with.
    /// As [`RequestIndex::row_has`], the text read with `rd`.
    fn row_has_in(&self, rd: &mut Reader, row: &Row, t: &Term) -> bool {
        !row.dead
            && (t.finder().find(rd.get(row.hay)).is_some()
                || row.resident.and_then(|id| self.resident(id)).is_some_and(|k| Self::resident_has(&k, t)))
    }

    /// The residents (as bits by id) who have a term.
    fn residents_with(&self, t: &Term) -> Bits {
        let n = self.residents.len();
        let docs = (self.res_grams.docs() as usize).min(n);
        let (family, text) = match t {
            Term::Digits(s, _) => (PHONE, s.as_str()),
            Term::Letters(s, _) | Term::Text(s, _) => (0, s.as_str()),
        };
        let mut bits = match grams::term_keys(text, family) {
            Some((keys, exact)) => {
                let mut b = self.res_grams.all_of(&keys, n);
                if !exact {
                    let ones: Vec<usize> = b.ones().collect();
                    for i in ones {
                        let Some(k) = self.residents.get(i) else { continue };
                        let holds = match t {
                            Term::Digits(s, _) => k.phone.contains(s.as_str()),
                            _ => t.finder().find(k.lower.as_bytes()).is_some(),
                        };
                        if !holds {
                            b.clear(i);
                        }
                    }
                }
                b
            }
            // a term the lists cannot answer: every resident, one by one
            None => {
                let mut b = Bits::new(n);
                for k in self.residents.iter() {
                    if Self::resident_has(&k, t) {
                        b.set(k.id.0 as usize);
                    }
                }
                return b;
            }
        };
        if let Term::Letters(s, _) = t {
            for id in self.by_initials.starting(s) {
                bits.set(id as usize);
            }
        }
        for i in self.res_dirty.iter().map(|&i| i as usize).chain(docs..n) {
            if self.residents.get(i).is_some_and(|k| Self::resident_has(&k, t)) {
                bits.set(i);
            } else {
                bits.clear(i);
            }
        }
        bits
    }

    /// The rows (as bits by position) that have a term.
    fn rows_with(&self, t: &Term) -> Bits {
        let n = self.rows.len();
        let indexed = self.indexed as usize;
        let Some((keys, exact)) = grams::term_keys(t.text(), 0) else {
            let mut b = Bits::new(n);
            self.rows_by_place(0..n, |i, text| {
                let r = &self.rows[i];
                let has = !r.dead
                    && (t.finder().find(text).is_some()
                        || r.resident.and_then(|id| self.resident(id)).is_some_and(|k| Self::resident_has(&k, t)));
                if has {
                    b.set(i);
                }
            });
            return b;
        };
        let mut bits = self.grams.all_of(&keys, n);
        for i in indexed..(self.grams.docs() as usize).min(n) {
            bits.clear(i);
        }
        if !exact {
            let ones: Vec<usize> = bits.ones().collect();
            let mut out = Vec::new();
            self.rows_by_place(ones.into_iter(), |i, text| {
                if t.finder().find(text).is_none() {
                    out.push(i);
                }
            });
            for i in out {
                bits.clear(i);
            }
        }
        let residents = self.residents_with(t);
        let (offs, rows) = &self.res_rows;
        for r in residents.ones() {
            if let (Some(&a), Some(&b)) = (offs.get(r), offs.get(r + 1)) {
                for &row in &rows[a as usize..b as usize] {
                    if (row as usize) < indexed {
                        bits.set(row as usize);
                    }
                }
            }
        }
        // rows the lists do not know, or know as they were
        self.rows_by_place(self.dirty.iter().map(|&i| i as usize).chain(indexed..n), |i, text| {
            let r = &self.rows[i];
            let has = !r.dead
                && (t.finder().find(text).is_some() || r.resident.is_some_and(|id| residents.get(id.0 as usize)));
            if has {
                bits.set(i);
            } else {
                bits.clear(i);
            }
        });
        bits
    }

    /// The candidates (positions, highest first) that pass the category,
    /// the filter and every term.
    pub(super) fn select(&self, terms: &[Term], category: Option<u16>, filter: &Filter, today: Today) -> Vec<u32> {
        let plain = category.is_none() && filter.is_empty();
        let keep = |i: usize| {
            let row = &self.rows[i];
            !row.dead
                && (plain || (category.is_none_or(|c| row.category == c) && Self::matches_filter(row, filter, today)))
        };
        let every = plain && self.dead == 0;
        if terms.is_empty() {
            if every {
                return (0..self.rows.len() as u32).rev().collect();
            }
            return (0..self.rows.len()).rev().filter(|&i| keep(i)).map(|i| i as u32).collect();
        }
        let mut acc: Option<Bits> = None;
        for t in terms {
            let b = self.rows_with(t);
            match acc.as_mut() {
                None => acc = Some(b),
                Some(a) => a.and(&b),
            }
        }
        acc.map(|a| if every { a.ones_desc(|_| true) } else { a.ones_desc(keep) }).unwrap_or_default()
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

    /// The number of `filter`'s category: `Err(())` when it names none
    /// (nothing can pass), `Ok(None)` when it asks for none.
    fn category_of(&self, filter: &Filter) -> Result<Option<u16>, ()> {
        match &filter.category {
            None => Ok(None),
            Some(c) => self.categories.iter().position(|x| x == c).map(|c| Some(c as u16)).ok_or(()),
        }
    }

    /// How rows `a` and `b` are ordered in a list sorted by `sort`: no two
    /// rows are equal (the id decides last).
    fn order(&self, a: u32, b: u32, sort: Sort) -> std::cmp::Ordering {
        let (ra, rb) = (&self.rows[a as usize], &self.rows[b as usize]);
        match sort {
            // highest position first: newest number first
            Sort::Newest => b.cmp(&a),
            Sort::Due => (!ra.status.is_open(), ra.due, ra.id).cmp(&(!rb.status.is_open(), rb.due, rb.id)),
            Sort::OldestOpen => (!ra.status.is_open(), ra.id).cmp(&(!rb.status.is_open(), rb.id)),
        }
    }

    /// The rows that pass `filter` and every word of `query`, in `sort`
    /// order, as positions for [`RequestIndex::row`].
    pub fn query(&mut self, query: &str, filter: &Filter, sort: Sort, today: Today) -> Vec<u32> {
        self.reseal_if_needed();
        let terms = Self::parse_query(query);
        let Ok(category) = self.category_of(filter) else { return Vec::new() };
        let mut hits = self.select(&terms, category, filter, today);
        if sort != Sort::Newest {
            hits.sort_by(|&a, &b| self.order(a, b, sort));
        }
        hits
    }

    /// Whether a live request names any of `residents` (by number). What
    /// a search finds changes with a resident's name or phone only where a
    /// request names that resident: an import's 30,000 new residents, or
    /// their undo, name none.
    pub fn names_any(&self, residents: &std::collections::HashSet<u64>) -> bool {
        !residents.is_empty()
            && self.rows.iter().any(|r| !r.dead && r.resident.is_some_and(|id| residents.contains(&id.0)))
    }

    /// Brings `hits`, what [`RequestIndex::query`] answered for the same
    /// `query`, `filter`, `sort` and `today` while the index had layout
    /// `layout`, along after the requests `changed` were saved (or removed)
    /// and nothing else: each is taken out and put back where the query
    /// would place it now, if it still passes. The list is then exactly
    /// what the query answers (see the test). Returns false, `hits` left
    /// as they were, when only a whole query can tell: rows have moved, a
    /// resident changed while words are searched (`residents_changed`: a
    /// request matches by its resident's name), or many changed at once.
    #[allow(clippy::too_many_arguments)]
    pub fn bring_along(
        &self,
        hits: &mut VecDeque<u32>,
        layout: u64,
        changed: &[RequestId],
        residents_changed: bool,
        query: &str,
        filter: &Filter,
        sort: Sort,
        today: Today,
    ) -> bool {
        /// Past this many, one query is as cheap as moving each.
        const MANY: usize = 256;
        /// Up to this many are moved one by one, past it in one pass.
        const FEW: usize = 4;
        if layout != self.layout || changed.len() > MANY {
            return false;
        }
        let terms = Self::parse_query(query);
        if residents_changed && !terms.is_empty() {
            return false;
        }
        let Ok(category) = self.category_of(filter) else {
            hits.clear();
            return true;
        };
        let plain = category.is_none() && filter.is_empty();
        let mut at: Vec<u32> = changed
            .iter()
            .filter_map(|id| self.rows.binary_search_by_key(id, |r| r.id).ok())
            .map(|i| i as u32)
            .collect();
        at.sort_unstable();
        at.dedup();
        // those that pass now, in the order they go in
        let mut rd = self.hay.reader();
        let mut put: Vec<u32> = at
            .iter()
            .copied()
            .filter(|&i| {
                let row = &self.rows[i as usize];
                !row.dead
                    && (plain
                        || (category.is_none_or(|c| row.category == c) && Self::matches_filter(row, filter, today)))
                    && terms.iter().all(|t| self.row_has_in(&mut rd, row, t))
            })
            .collect();
        put.sort_by(|&a, &b| self.order(a, b, sort));
        // each one's place in the list as it was sorted (its key may have
        // changed since: looked for by position, except where the
        // position is the key)
        let place = |hits: &VecDeque<u32>, i: u32| match sort {
            Sort::Newest => hits.binary_search_by(|&h| i.cmp(&h)).ok(),
            _ => hits.iter().position(|&h| h == i),
        };
        let before = |hits: &VecDeque<u32>, i: u32| hits.partition_point(|&h| self.order(h, i, sort) == Less);
        use std::cmp::Ordering::Less;
        if at.len() <= FEW {
            // one by one: the newest go in at the front, which a deque
            // takes without moving the rest
            for &i in &at {
                if let Some(k) = place(hits, i) {
                    hits.remove(k);
                }
            }
            for &i in &put {
                let k = before(hits, i);
                hits.insert(k, i);
            }
            return true;
        }
        // many: all out in one pass, all in in one pass
        let mut out: Vec<usize> = at.iter().filter_map(|&i| place(hits, i)).collect();
        out.sort_unstable();
        let mut merged = VecDeque::with_capacity(hits.len() + put.len());
        let mut gone = out.iter().peekable();
        let mut put = put.into_iter().peekable();
        for (k, &h) in hits.iter().enumerate() {
            if gone.next_if(|&&g| g == k).is_some() {
                continue;
            }
            while let Some(i) = put.next_if(|&i| self.order(i, h, sort) == Less) {
                merged.push_back(i);
            }
            merged.push_back(h);
        }
        merged.extend(put);
        *hits = merged;
        true
    }
}
