//! The residents as the search sees them, in one arena: every resident's
//! text in one string and where each field starts in a row of numbers per
//! resident. Loading the saved index then makes three allocations for all
//! the residents instead of about eight for each (30,000 residents on the
//! large set: 240,000 allocations, most of loading it), and holds no
//! allocator overhead per field.

use super::{ResidentId, name_initials};
use crate::domain::Resident;
use serde::{Deserialize, Serialize};

/// Where a resident's fields start in `ResidentKeys::text`: name, initials,
/// phone, address, grid, lower, tags, then where the last one ends; then
/// the first of their tags in `tag_ends` and how many they have.
type Slot = [u32; 10];

const NAME: usize = 0;
const INITIALS: usize = 1;
const PHONE: usize = 2;
const ADDRESS: usize = 3;
const GRID: usize = 4;
const LOWER: usize = 5;
const TAGS: usize = 6;
const END: usize = 7;
const FIRST_TAG: usize = 8;
const TAG_COUNT: usize = 9;

/// No resident with this id.
const NONE: Slot = [u32::MAX; 10];

/// Every resident's search key, by id (ids are dense, from 1).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ResidentKeys {
    text: String,
    slots: Vec<Slot>,
    /// Where each tag ends, counted from the start of its resident's tags.
    tag_ends: Vec<u32>,
    /// Bytes of `text` and entries of `tag_ends` that no resident uses any
    /// more (replaced or removed), given back by `compact`.
    #[serde(skip)]
    waste: usize,
}

/// A resident as the search sees them (a view into [`ResidentKeys`]).
#[derive(Debug, Clone, Copy)]
pub struct ResidentKey<'a> {
    pub id: ResidentId,
    pub name: &'a str,
    pub phone: &'a str,
    pub address: &'a str,
    pub grid: &'a str,
    /// Every reading of the name as initials, separated by spaces (see
    /// `domain::pinyin::Initials`).
    pub(super) initials: &'a str,
    /// Name, address and tags, lower-cased, for substring search.
    pub(super) lower: &'a str,
    tags: &'a str,
    tag_ends: &'a [u32],
}

impl<'a> ResidentKey<'a> {
    /// Each tag whole (the duties board matches them one by one; nothing
    /// stops a tag from containing 、, so they are not kept joined).
    pub fn tags(self) -> impl Iterator<Item = &'a str> + Clone + 'a {
        let (text, ends) = (self.tags, self.tag_ends);
        ends.iter().enumerate().map(move |(i, &e)| {
            let s = if i == 0 { 0 } else { ends[i - 1] };
            text.get(s as usize..e as usize).unwrap_or("")
        })
    }

    /// The tags as the screen shows them, joined with 、
    pub fn tags_shown(&self) -> String {
        self.tags().collect::<Vec<_>>().join("、")
    }

    /// Whether any reading of the name's initials starts with `prefix`
    /// (already lower-case).
    pub fn initials_start(&self, prefix: &str) -> bool {
        self.readings().any(|r| r.starts_with(prefix))
    }

    /// Every reading of the name's initials.
    pub fn readings(self) -> impl Iterator<Item = &'a str> + 'a {
        self.initials.split(' ').filter(|s| !s.is_empty())
    }

    /// Whether every word matches: digits in the phone (or the text),
    /// letters as pinyin initials (or the text), anything else in the text.
    pub fn matches(&self, words: &[String]) -> bool {
        words.iter().all(|w| {
            let text = self.lower.contains(w.as_str());
            if w.bytes().all(|c| c.is_ascii_digit()) {
                text || self.phone.contains(w.as_str())
            } else if w.bytes().all(|c| c.is_ascii_alphabetic()) {
                text || self.initials_start(w.as_str())
            } else {
                text
            }
        })
    }
}

impl ResidentKeys {
    /// The keys of `residents` (for a list of residents read from the
    /// store rather than the index).
    pub fn of<'r>(residents: impl IntoIterator<Item = &'r Resident>) -> ResidentKeys {
        let mut keys = ResidentKeys::default();
        for r in residents {
            keys.set(r);
        }
        keys
    }

    /// One more than the highest id there is room for.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<ResidentKey<'_>> {
        let s = self.slots.get(i)?;
        if s[NAME] == u32::MAX {
            return None;
        }
        let field = |k: usize| self.text.get(s[k] as usize..s[k + 1] as usize).unwrap_or("");
        let first = s[FIRST_TAG] as usize;
        Some(ResidentKey {
            id: ResidentId(i as u64),
            name: field(NAME),
            initials: field(INITIALS),
            phone: field(PHONE),
            address: field(ADDRESS),
            grid: field(GRID),
            lower: field(LOWER),
            tags: field(TAGS),
            tag_ends: self.tag_ends.get(first..first + s[TAG_COUNT] as usize).unwrap_or(&[]),
        })
    }

    /// Every resident, in id order.
    pub fn iter(&self) -> impl Iterator<Item = ResidentKey<'_>> + Clone {
        (0..self.slots.len()).filter_map(|i| self.get(i))
    }

    /// Every reading of every resident's initials as where it is in the
    /// arena's text (start, length) and whose it is (id), in id order: 12
    /// bytes a reading where a `&str` and an id take 24 (sorting the
    /// initials of 60,000 residents held 1.4 MB of them, issue 19).
    pub(super) fn reading_spans(&self) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
        self.slots.iter().enumerate().filter(|(_, s)| s[NAME] != u32::MAX).flat_map(|(i, s)| {
            let (from, to) = (s[INITIALS], s[PHONE]);
            let all = self.text.get(from as usize..to as usize).unwrap_or("");
            let mut at = from;
            all.split(' ').filter_map(move |r| {
                let start = at;
                at += r.len() as u32 + 1;
                (!r.is_empty()).then_some((start, r.len() as u32, i as u32))
            })
        })
    }

    /// The text of a span of [`ResidentKeys::reading_spans`].
    pub(super) fn span(&self, (start, len): (u32, u32)) -> &str {
        self.text.get(start as usize..(start + len) as usize).unwrap_or("")
    }

    /// Adds or replaces a resident's key.
    pub fn set(&mut self, r: &Resident) {
        let i = r.id.0 as usize;
        if i >= self.slots.len() {
            self.slots.resize(i + 1, NONE);
        }
        self.forget(i);
        let address = r.address.to_string();
        let initials = name_initials(&r.name);
        let readings: Vec<&str> = initials.iter().collect();
        let lower = format!("{}\u{1f}{}\u{1f}{}", r.name, address, r.tags.join("、")).to_lowercase();
        let readings = readings.join(" ");
        let mut slot = NONE;
        let fields: [&str; 6] = [&r.name, &readings, &r.phone, &address, &r.grid, &lower];
        for (k, f) in fields.iter().enumerate() {
            slot[k] = self.text.len() as u32;
            self.text.push_str(f);
        }
        slot[TAGS] = self.text.len() as u32;
        slot[FIRST_TAG] = self.tag_ends.len() as u32;
        slot[TAG_COUNT] = r.tags.len() as u32;
        for t in &r.tags {
            self.text.push_str(t);
            self.tag_ends.push(self.text.len() as u32 - slot[TAGS]);
        }
        slot[END] = self.text.len() as u32;
        self.slots[i] = slot;
    }

    /// Removes a resident's key (their creation was undone).
    pub fn remove(&mut self, i: usize) {
        if i < self.slots.len() {
            self.forget(i);
            self.slots[i] = NONE;
        }
    }

    /// Counts what resident `i` holds as waste.
    fn forget(&mut self, i: usize) {
        let s = self.slots[i];
        if s[NAME] != u32::MAX {
            self.waste += (s[END] - s[NAME]) as usize + s[TAG_COUNT] as usize * 4;
        }
    }

    /// Drops the text of replaced and removed residents, and spare room.
    /// In place: each resident's text moves down over what is dropped,
    /// without a second arena beside the first (after the undo of an
    /// import of 30,000 residents, the copy was 3.7 MB of text and 2.4 MB
    /// of slots on top of the 8 MB being compacted, at the day's peak;
    /// issue 19).
    pub fn compact(&mut self) {
        if self.waste > 0 {
            let Some(order) = self.in_text_order() else {
                // (a decoded copy whose residents share text: copied)
                return self.compact_by_copy();
            };
            let mut text = std::mem::take(&mut self.text).into_bytes();
            let mut tag_ends =
                Vec::with_capacity(order.iter().map(|&i| self.slots[i as usize][TAG_COUNT] as usize).sum());
            let mut end = 0u32;
            for &i in &order {
                let s = &mut self.slots[i as usize];
                let (from, to) = (s[NAME], s[END]);
                text.copy_within(from as usize..to as usize, end as usize);
                let first = s[FIRST_TAG] as usize;
                let count = s[TAG_COUNT] as usize;
                for k in s.iter_mut().take(END + 1) {
                    *k = *k - from + end;
                }
                s[FIRST_TAG] = tag_ends.len() as u32;
                tag_ends.extend_from_slice(&self.tag_ends[first..first + count]);
                end += to - from;
            }
            text.truncate(end as usize);
            // whole characters moved whole: still UTF-8
            self.text = String::from_utf8(text).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            self.tag_ends = tag_ends;
            self.waste = 0;
        }
        self.text.shrink_to_fit();
        self.slots.shrink_to_fit();
        self.tag_ends.shrink_to_fit();
    }

    /// The living residents in the order their text lies, if no two share
    /// any: moved in that order, each lands at or below where it was,
    /// never on text not yet moved.
    fn in_text_order(&self) -> Option<Vec<u32>> {
        let mut order: Vec<u32> =
            (0..self.slots.len() as u32).filter(|&i| self.slots[i as usize][NAME] != u32::MAX).collect();
        order.sort_unstable_by_key(|&i| self.slots[i as usize][NAME]);
        let apart = order.windows(2).all(|w| self.slots[w[0] as usize][END] <= self.slots[w[1] as usize][NAME]);
        apart.then_some(order)
    }

    /// [`ResidentKeys::compact`] into a new arena (residents whose text
    /// overlaps: only a decoded copy made so on purpose).
    fn compact_by_copy(&mut self) {
        let mut out = ResidentKeys {
            text: String::with_capacity(self.text.len() - self.waste.min(self.text.len())),
            slots: vec![NONE; self.slots.len()],
            tag_ends: Vec::new(),
            waste: 0,
        };
        for (i, s) in self.slots.iter().enumerate() {
            if s[NAME] == u32::MAX {
                continue;
            }
            let shift = |k: u32| k - s[NAME] + out.text.len() as u32;
            let mut slot = *s;
            for k in slot.iter_mut().take(END + 1) {
                *k = shift(*k);
            }
            slot[FIRST_TAG] = out.tag_ends.len() as u32;
            let first = s[FIRST_TAG] as usize;
            out.tag_ends.extend_from_slice(&self.tag_ends[first..first + s[TAG_COUNT] as usize]);
            out.text.push_str(&self.text[s[NAME] as usize..s[END] as usize]);
            out.slots[i] = slot;
        }
        *self = out;
        self.text.shrink_to_fit();
        self.slots.shrink_to_fit();
        self.tag_ends.shrink_to_fit();
    }

    /// Whether every slot points inside the text (a saved copy, decoded):
    /// then no field is ever cut short by a bad number.
    pub fn is_whole(&self) -> bool {
        let len = self.text.len() as u32;
        self.slots.iter().all(|s| {
            if s[NAME] == u32::MAX {
                return *s == NONE;
            }
            let first = s[FIRST_TAG] as usize;
            s[..=END].windows(2).all(|w| w[0] <= w[1])
                && s[END] <= len
                && s[..=END].iter().all(|&k| self.text.is_char_boundary(k as usize))
                && first.checked_add(s[TAG_COUNT] as usize).is_some_and(|e| e <= self.tag_ends.len())
                && {
                    let ends = &self.tag_ends[first..first + s[TAG_COUNT] as usize];
                    let tags = &self.text[s[TAGS] as usize..s[END] as usize];
                    ends.windows(2).all(|w| w[0] <= w[1])
                        && ends.iter().all(|&e| tags.is_char_boundary(e as usize))
                        && ends.last().is_none_or(|&e| e as usize == tags.len())
                }
        })
    }

    /// Bytes held.
    pub fn memory(&self) -> usize {
        self.text.capacity() + self.slots.capacity() * std::mem::size_of::<Slot>() + self.tag_ends.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Address;

    fn resident(id: u64, name: &str, phone: &str, tags: &[&str]) -> Resident {
        let mut r = Resident::new(ResidentId(id), name);
        r.phone = phone.into();
        r.address = Address::parse("幸福小区 3-2-301");
        r.grid = format!("第{id}网格");
        r.tags = tags.iter().map(|t| t.to_string()).collect();
        r
    }

    type Fields = (u64, String, String, String, String, String, String, Vec<String>);

    fn fields(keys: &ResidentKeys) -> Vec<Fields> {
        keys.iter()
            .map(|k| {
                let tags = k.tags().map(str::to_string).collect();
                let f = [k.name, k.initials, k.phone, k.address, k.grid, k.lower].map(str::to_string);
                let [a, b, c, d, e, g] = f;
                (k.id.0, a, b, c, d, e, g, tags)
            })
            .collect()
    }

    #[test]
    fn replaced_and_removed_residents_read_as_fresh_ones_before_and_after_compacting() {
        let mut keys = ResidentKeys::default();
        keys.set(&resident(1, "张三", "13812345678", &["低保", "独居"]));
        keys.set(&resident(2, "尉健行", "13900001111", &[]));
        keys.set(&resident(4, "Li Si", "", &["残疾、独居", ""]));
        keys.set(&resident(1, "张三丰", "13812349999", &["独居"]));
        keys.remove(2);
        keys.set(&resident(5, "曾小明", "13700002222", &["党员"]));
        let now = [
            resident(1, "张三丰", "13812349999", &["独居"]),
            resident(4, "Li Si", "", &["残疾、独居", ""]),
            resident(5, "曾小明", "13700002222", &["党员"]),
        ];
        let fresh = ResidentKeys::of(&now);
        assert_eq!(fields(&keys), fields(&fresh));
        assert!(keys.get(2).is_none() && keys.get(3).is_none() && keys.get(9).is_none());
        let k = fresh.get(1).unwrap();
        assert_eq!((k.name, k.tags_shown().as_str()), ("张三丰", "独居"));
        assert_eq!(fresh.get(4).unwrap().tags().collect::<Vec<_>>(), ["残疾、独居", ""], "tags kept one by one");
        assert!(ResidentKeys::of(&[resident(2, "尉健行", "", &[])]).get(2).unwrap().initials_start("y"));
        keys.compact();
        assert_eq!(fields(&keys), fields(&fresh));
        assert_eq!(keys.text.len(), fresh.text.len(), "the replaced text is gone");
        assert_eq!(keys.tag_ends.len(), fresh.tag_ends.len());
        assert!(keys.is_whole() && fresh.is_whole());
    }

    /// Compacted in place: residents replaced out of id order (their
    /// text then after others'), removed, and one whose text a decoded
    /// copy shares with another (copied instead), read as fresh ones.
    #[test]
    fn an_arena_compacted_in_place_moves_each_residents_text_in_the_order_it_lies() {
        let mut keys = ResidentKeys::default();
        for i in 1..=6 {
            keys.set(&resident(
                i,
                &format!("居民{i}"),
                &format!("1380000000{i}"),
                &["低保", "独居"][..(i as usize % 3)],
            ));
        }
        // 5 and 2 again (their text now last, 5's before 2's; 2's longer
        // than it was: moved first, it would cover 3's), 6 gone
        keys.set(&resident(5, "尉迟五", "13900000005", &["党员", "独居", "残疾"]));
        keys.set(&resident(2, "欧阳二二二二", "13900000002", &["党员", "独居", "残疾", "低保", "重病"]));
        keys.remove(6);
        keys.set(&resident(7, "曾七", "13700000007", &["独居"]));
        let now: Vec<Resident> = [1, 2, 3, 4, 5, 7]
            .iter()
            .map(|&i| match i {
                2 => resident(2, "欧阳二二二二", "13900000002", &["党员", "独居", "残疾", "低保", "重病"]),
                5 => resident(5, "尉迟五", "13900000005", &["党员", "独居", "残疾"]),
                7 => resident(7, "曾七", "13700000007", &["独居"]),
                i => resident(i, &format!("居民{i}"), &format!("1380000000{i}"), &["低保", "独居"][..(i as usize % 3)]),
            })
            .collect();
        let fresh = ResidentKeys::of(&now);
        let held = keys.text.capacity();
        assert!(keys.in_text_order().is_some(), "moved in place");
        keys.compact();
        assert_eq!(fields(&keys), fields(&fresh));
        assert_eq!((keys.text.len(), keys.tag_ends.len()), (fresh.text.len(), fresh.tag_ends.len()));
        assert!(keys.is_whole() && keys.text.capacity() <= held);
        // a decoded copy in which 4 and 7 point at the same text
        let mut shared: ResidentKeys = postcard::from_bytes(&postcard::to_stdvec(&fresh).unwrap()).unwrap();
        shared.slots[7] = shared.slots[4];
        shared.remove(1);
        assert!(shared.in_text_order().is_none(), "copied");
        shared.compact();
        let (k4, k7) = (shared.get(4).unwrap(), shared.get(7).unwrap());
        assert_eq!((k4.name, k7.name, k7.phone), ("居民4", "居民4", "13800000004"));
        assert!(shared.get(1).is_none() && shared.is_whole());
        assert_eq!(shared.get(5).unwrap().tags().collect::<Vec<_>>(), ["党员", "独居", "残疾"]);
    }

    #[test]
    fn a_decoded_arena_whose_numbers_point_outside_its_text_is_not_whole() {
        let keys = ResidentKeys::of(&[resident(1, "张三", "13812345678", &["低保"]), resident(3, "李四", "", &[])]);
        let back: ResidentKeys = postcard::from_bytes(&postcard::to_stdvec(&keys).unwrap()).unwrap();
        assert!(back.is_whole());
        assert_eq!(fields(&back), fields(&keys));
        let mut bad = back.clone();
        bad.slots[3][END] = bad.text.len() as u32 + 1;
        assert!(!bad.is_whole(), "past the end");
        let mut bad = back.clone();
        bad.slots[1][INITIALS] = bad.slots[1][NAME] + 1; // inside 张
        assert!(!bad.is_whole(), "inside a character");
        let mut bad = back.clone();
        bad.slots[1][TAG_COUNT] = 5;
        assert!(!bad.is_whole(), "more tags than there are");
        let mut bad = back;
        bad.slots[2][TAG_COUNT] = 0;
        assert!(!bad.is_whole(), "half an empty slot");
    }
}
