//! Which documents (requests, or residents) hold each piece of one or two
//! characters of their lower-cased text: the search's first step, so that
//! a key narrows to its candidates without reading every text.
//!
//! A term of one or two characters is answered exactly by one list; a
//! longer one by the documents that hold all its pairs, each then checked
//! in its text. Pieces never span two fields (fields are separated by
//! `\x1f`), so neither does a term.
//!
//! Lists are built once for a set of documents (`build`) and saved with
//! the index; documents changed afterwards are the index's "dirty" ones,
//! checked one by one until the next build. A list is stored as varint
//! gaps, or as a bit map over all documents when that is shorter (a piece
//! in more than one document in eight).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Separates fields in a text; never part of a piece.
pub(super) const SEP: char = '\u{1f}';

/// A piece's key: one character, or two.
pub(super) fn key(a: char, b: Option<char>) -> u64 {
    ((a as u64) << 21) | b.map_or(0, |b| b as u64)
}

/// The same key in a second family (the residents' phone numbers).
pub(super) const PHONE: u64 = 1 << 62;

/// Every piece of `text`, in order, with duplicates.
pub(super) fn each_piece(text: &str, family: u64, mut f: impl FnMut(u64)) {
    let mut prev: Option<char> = None;
    for c in text.chars() {
        // no piece across fields, nor across a NUL
        if c == SEP || c == '\0' {
            prev = None;
            continue;
        }
        f(family | key(c, None));
        if let Some(p) = prev {
            f(family | key(p, Some(c)));
        }
        prev = Some(c);
    }
}

/// The keys a term needs, and whether one list answers it exactly.
pub(super) fn term_keys(term: &str, family: u64) -> Option<(Vec<u64>, bool)> {
    let chars: Vec<char> = term.chars().collect();
    if chars.is_empty() || chars.iter().any(|&c| c == SEP || c == '\0') {
        return None;
    }
    Some(match chars.len() {
        1 => (vec![family | key(chars[0], None)], true),
        2 => (vec![family | key(chars[0], Some(chars[1]))], true),
        _ => {
            let mut keys: Vec<u64> = chars.windows(2).map(|w| family | key(w[0], Some(w[1]))).collect();
            keys.sort_unstable();
            keys.dedup();
            (keys, false)
        }
    })
}

/// A fast hasher for piece keys (they are already well spread).
#[derive(Default)]
pub(super) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// A set of positions as bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bits(pub Vec<u64>);

impl Bits {
    pub fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }
    pub fn set(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }
    pub fn clear(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w &= !(1 << (i % 64));
        }
    }
    pub fn get(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
    pub fn and(&mut self, o: &Bits) {
        for (a, b) in self.0.iter_mut().zip(o.0.iter().chain(std::iter::repeat(&0))) {
            *a &= b;
        }
    }
    pub fn or(&mut self, o: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            *a |= b;
        }
    }
    /// The positions set, lowest first.
    pub fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(wi, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let b = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(wi * 64 + b)
            })
        })
    }

    /// The positions set, highest first, that pass `keep`.
    pub fn ones_desc(&self, mut keep: impl FnMut(usize) -> bool) -> Vec<u32> {
        // sized once: a list of 237,000 hits grew through 18 copies
        let mut out = Vec::with_capacity(self.0.iter().map(|w| w.count_ones() as usize).sum());
        for (wi, &w) in self.0.iter().enumerate().rev() {
            let mut w = w;
            while w != 0 {
                let b = 63 - w.leading_zeros() as usize;
                w &= !(1 << b);
                let i = wi * 64 + b;
                if keep(i) {
                    out.push(i as u32);
                }
            }
        }
        out
    }
}

const TAG_GAPS: u8 = 0;
const TAG_BITS: u8 = 1;

/// The lists of one family of documents.
#[derive(Debug, Default, Clone)]
pub struct Grams {
    /// Sorted piece keys.
    keys: Vec<u64>,
    /// Where each key's list starts in `data` (one more at the end).
    offs: Vec<u32>,
    /// The lists; read from a saved copy, that copy's buffer with its keys
    /// and places moved out of the way, so that loading copies no list.
    data: Vec<u8>,
    /// The documents the lists cover: 0..docs.
    docs: u32,
}

/// How many bytes `v` takes as a varint (seven bits a byte, lowest first).
fn varint_len(v: u32) -> u32 {
    match v {
        0..0x80 => 1,
        0x80..0x4000 => 2,
        0x4000..0x20_0000 => 3,
        0x20_0000..0x1000_0000 => 4,
        _ => 5,
    }
}

/// Builds the [`Grams`] of documents `0..docs` (more if a document's
/// number says so; some may have no text). `each` hands every document to
/// the `visit` it is given, `visit(doc, texts)` in increasing order, each
/// text with the family its pieces are keyed in; it is called twice and
/// must hand the same documents both times.
///
/// The first time counts, for each piece, how long its list will be (the
/// last document it was seen in and the bytes of its gaps so far); the
/// lists then get their places, in key order, in one buffer of the size
/// they add up to; the second time writes each document into its pieces'
/// lists where they are. No list is held on its own and then copied: the
/// lists exist once, and while they are built only a map from key to
/// number and two numbers per piece are held besides.
pub fn build(docs: u32, mut each: impl FnMut(&mut dyn FnMut(u32, &[(&str, u64)]))) -> Grams {
    // counted: each piece's number (in the order first seen), and by
    // number the last document seen and the bytes of the gaps so far
    let mut ids: KeyMap<u32> = KeyMap::default();
    let mut last: Vec<u32> = Vec::new();
    let mut len: Vec<u32> = Vec::new();
    let mut seen = 0u32;
    each(&mut |doc, texts| {
        for (t, family) in texts {
            each_piece(t, *family, |k| {
                let id = *ids.entry(k).or_insert_with(|| {
                    last.push(u32::MAX);
                    len.push(0);
                    (last.len() - 1) as u32
                }) as usize;
                // once a document (a piece may come again in it)
                if last[id] != doc {
                    // gaps minus one; the first from -1
                    len[id] = len[id].saturating_add(varint_len(doc.wrapping_sub(last[id]).wrapping_sub(1)));
                    last[id] = doc;
                }
            });
        }
        seen = seen.max(doc.saturating_add(1));
    });
    drop(last);
    let docs = docs.max(seen);
    let map_len = (docs as usize).div_ceil(8);
    // the keys in order; the map then gives a key's place in that order
    let mut order: Vec<(u64, u32)> = ids.iter().map(|(&k, &id)| (k, id)).collect();
    order.sort_unstable_by_key(|&(k, _)| k);
    let mut place = vec![0u32; order.len()];
    let mut keys = Vec::with_capacity(order.len());
    let mut offs = Vec::with_capacity(order.len() + 1);
    // by place: where the list's next gap goes, or BITS for a bit map
    const BITS: u32 = u32::MAX;
    let mut next: Vec<u32> = Vec::with_capacity(order.len());
    let mut total = 0usize;
    for (i, &(k, id)) in order.iter().enumerate() {
        place[id as usize] = i as u32;
        keys.push(k);
        offs.push(total as u32);
        let gaps = len[id as usize] as usize;
        next.push(if gaps > map_len { BITS } else { total as u32 + 1 });
        total += 1 + gaps.min(map_len);
    }
    offs.push(total as u32);
    drop((order, len));
    for id in ids.values_mut() {
        *id = place[*id as usize];
    }
    drop(place);
    let mut data = vec![TAG_GAPS; total];
    for (i, &n) in next.iter().enumerate() {
        if n == BITS {
            data[offs[i] as usize] = TAG_BITS;
        }
    }
    let mut last = vec![u32::MAX; keys.len()];
    each(&mut |doc, texts| {
        for (t, family) in texts {
            each_piece(t, *family, |k| {
                // (a piece not handed the first time has no list)
                let Some(&i) = ids.get(&k) else { return };
                let i = i as usize;
                if next[i] == BITS {
                    if let Some(b) = data.get_mut(offs[i] as usize + 1 + doc as usize / 8).filter(|_| doc < docs) {
                        *b |= 1 << (doc % 8);
                    }
                    return;
                }
                if last[i] == doc {
                    return;
                }
                let mut v = doc.wrapping_sub(last[i]).wrapping_sub(1);
                let mut at = next[i] as usize;
                if at + varint_len(v) as usize > offs[i + 1] as usize {
                    return;
                }
                while v >= 0x80 {
                    data[at] = (v as u8) | 0x80;
                    at += 1;
                    v >>= 7;
                }
                data[at] = v as u8;
                next[i] = at as u32 + 1;
                last[i] = doc;
            });
        }
    });
    Grams { keys, offs, data, docs }
}

fn decode_gaps(data: &[u8]) -> impl Iterator<Item = u32> + '_ {
    let mut i = 0;
    let mut doc: u32 = u32::MAX;
    std::iter::from_fn(move || {
        if i >= data.len() {
            return None;
        }
        let mut v: u32 = 0;
        let mut shift = 0;
        while i < data.len() {
            let b = data[i];
            i += 1;
            v |= u32::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        doc = doc.wrapping_add(v).wrapping_add(1);
        Some(doc)
    })
}

impl Grams {
    pub fn docs(&self) -> u32 {
        self.docs
    }

    /// Bytes held.
    pub fn memory(&self) -> usize {
        self.keys.capacity() * 8 + self.offs.capacity() * 4 + self.data.capacity()
    }

    fn list(&self, k: u64) -> Option<&[u8]> {
        let i = self.keys.binary_search(&k).ok()?;
        self.data.get(self.offs[i] as usize..self.offs[i + 1] as usize)
    }

    /// Sets in `bits` the documents in the list of `k`.
    fn or_into(&self, k: u64, bits: &mut Bits) {
        let Some(list) = self.list(k) else { return };
        match list.split_first() {
            Some((&TAG_BITS, map)) => {
                for (wi, chunk) in map.chunks(8).enumerate() {
                    let mut w = [0u8; 8];
                    w[..chunk.len()].copy_from_slice(chunk);
                    if let Some(dst) = bits.0.get_mut(wi) {
                        *dst |= u64::from_le_bytes(w);
                    }
                }
            }
            Some((_, gaps)) => {
                for d in decode_gaps(gaps) {
                    bits.set(d as usize);
                }
            }
            None => {}
        }
    }

    /// The documents (as `n` bits) in the list of every key.
    pub fn all_of(&self, keys: &[u64], n: usize) -> Bits {
        let mut out: Option<Bits> = None;
        for &k in keys {
            let mut b = Bits::new(n);
            self.or_into(k, &mut b);
            match out.as_mut() {
                None => out = Some(b),
                Some(o) => o.and(&b),
            }
        }
        out.unwrap_or_else(|| Bits::new(n))
    }

    /// The three arrays, little-endian, for the saved index.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(12 + self.keys.len() * 12 + 4 + self.data.len());
        let _ = self.write_to(&mut out);
        out
    }

    /// What [`Grams::to_bytes`] makes, written to `w` without a copy held.
    pub fn write_to(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let data = &self.data[..];
        w.write_all(&self.docs.to_le_bytes())?;
        w.write_all(&(self.keys.len() as u32).to_le_bytes())?;
        w.write_all(&(data.len() as u32).to_le_bytes())?;
        for k in &self.keys {
            w.write_all(&k.to_le_bytes())?;
        }
        for o in &self.offs {
            w.write_all(&o.to_le_bytes())?;
        }
        w.write_all(data)
    }

    /// Back from `to_bytes` (the lists stay where they are in `b`); `None`
    /// if anything does not fit.
    pub fn from_bytes(b: Vec<u8>) -> Option<Grams> {
        let u32_at = |i: usize| b.get(i..i + 4).map(|s| u32::from_le_bytes(s.try_into().unwrap_or([0; 4])));
        let docs = u32_at(0)?;
        let n = u32_at(4)? as usize;
        let data_len = u32_at(8)? as usize;
        let keys_at = 12usize;
        let offs_at = keys_at.checked_add(n.checked_mul(8)?)?;
        let data_at = offs_at.checked_add((n + 1).checked_mul(4)?)?;
        let end = data_at.checked_add(data_len)?;
        let keys: Vec<u64> = b
            .get(keys_at..offs_at)?
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
            .collect();
        let offs: Vec<u32> = b
            .get(offs_at..data_at)?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().unwrap_or([0; 4])))
            .collect();
        if end != b.len() {
            return None;
        }
        let data = &b[data_at..];
        let sorted = keys.windows(2).all(|w| w[0] < w[1]);
        let fits = offs.first() == Some(&0)
            && offs.windows(2).all(|w| w[0] < w[1])
            && offs.last().is_some_and(|&l| l as usize == data.len());
        if !(sorted && fits) {
            return None;
        }
        // the lists themselves are not read through here (that would cost
        // as much as building them): the saved copy's checksum vouches for
        // them, and a list that does not fit can only set bits out of range,
        // which `Bits::set` ignores. The keys and places just read are
        // dropped from the copy (moved down over them: ~1 ms), not held
        // twice (3.5 MB of the large set's 9.3).
        let mut data = b;
        data.drain(..data_at);
        data.shrink_to_fit();
        Some(Grams { keys, offs, data, docs })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put_varint(out: &mut Vec<u8>, mut v: u32) {
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }

    /// Every piece of `text`, in no order, with duplicates (as before issue 19o).
    fn pieces(text: &str, family: u64, out: &mut Vec<u64>) {
        for field in text.split(SEP) {
            let mut prev: Option<char> = None;
            for c in field.chars() {
                if c == '\0' {
                    prev = None;
                    continue;
                }
                out.push(family | key(c, None));
                if let Some(p) = prev {
                    out.push(family | key(p, Some(c)));
                }
                prev = Some(c);
            }
        }
    }

    /// The builder before issue 19o (a growing list per piece in a map,
    /// flattened at the end): what [`build`] must make, byte for byte.
    #[derive(Default)]
    struct Reference {
        lists: KeyMap<(u32, Vec<u8>)>,
        scratch: Vec<u64>,
        docs: u32,
    }

    impl Reference {
        fn add(&mut self, doc: u32, texts: &[(&str, u64)]) {
            self.scratch.clear();
            for (t, family) in texts {
                pieces(t, *family, &mut self.scratch);
            }
            self.scratch.sort_unstable();
            self.scratch.dedup();
            for &k in &self.scratch {
                let (last, list) = self.lists.entry(k).or_insert_with(|| (u32::MAX, Vec::new()));
                put_varint(list, doc.wrapping_sub(*last).wrapping_sub(1));
                *last = doc;
            }
            self.docs = self.docs.max(doc + 1);
        }

        fn finish(self, docs: u32) -> Grams {
            let docs = docs.max(self.docs);
            let mut lists: Vec<(u64, Vec<u8>)> = self.lists.into_iter().map(|(k, (_, v))| (k, v)).collect();
            lists.sort_unstable_by_key(|(k, _)| *k);
            let map_len = (docs as usize).div_ceil(8);
            let mut g = Grams { keys: Vec::new(), offs: Vec::new(), data: Vec::new(), docs };
            for (k, gaps) in lists {
                g.keys.push(k);
                g.offs.push(g.data.len() as u32);
                if gaps.len() > map_len {
                    let mut bits = vec![0u8; map_len];
                    for d in decode_gaps(&gaps) {
                        bits[d as usize / 8] |= 1 << (d % 8);
                    }
                    g.data.push(TAG_BITS);
                    g.data.extend_from_slice(&bits);
                } else {
                    g.data.push(TAG_GAPS);
                    g.data.extend_from_slice(&gaps);
                }
            }
            g.offs.push(g.data.len() as u32);
            g
        }
    }

    /// The lists of `docs` (by number, each its texts) as [`build`] makes them.
    fn built(docs: &[(u32, Vec<(String, u64)>)], n: u32) -> Grams {
        build(n, |visit| {
            for (d, texts) in docs {
                let t: Vec<(&str, u64)> = texts.iter().map(|(s, f)| (s.as_str(), *f)).collect();
                visit(*d, &t);
            }
        })
    }

    #[test]
    fn lists_answer_pieces_both_ways_of_storing() {
        // "楼" in every document (a bit map), "灯" in two (gaps)
        let docs: Vec<_> = (0..20u32)
            .map(|d| (d, vec![((if d % 10 == 3 { "楼道灯\u{1f}x" } else { "楼" }).to_string(), 0)]))
            .collect();
        let g = built(&docs, 20);
        let ones = |k| g.all_of(&[k], 20).ones().collect::<Vec<_>>();
        assert_eq!(ones(key('楼', None)), (0..20).collect::<Vec<_>>());
        assert_eq!(ones(key('灯', None)), vec![3, 13]);
        assert_eq!(ones(key('道', Some('灯'))), vec![3, 13]);
        assert!(ones(key('灯', Some('x'))).is_empty(), "no piece across fields");
        assert!(ones(key('x', None)).contains(&13));
        let bytes = g.to_bytes();
        let back = Grams::from_bytes(bytes.clone()).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.all_of(&[key('道', Some('灯'))], 20), g.all_of(&[key('道', Some('灯'))], 20));
        let mut bad = bytes.clone();
        bad[12..20].copy_from_slice(&u64::MAX.to_le_bytes()); // keys out of order
        assert!(Grams::from_bytes(bad).is_none());
        assert!(Grams::from_bytes(bytes[..bytes.len() - 10].to_vec()).is_none(), "cut short");
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Grams::from_bytes(longer).is_none(), "bytes after the lists");
    }

    #[test]
    fn build_makes_what_the_reference_made() {
        type Docs = Vec<(u32, Vec<(String, u64)>)>;
        let text = |s: &str| vec![(s.to_string(), 0)];
        // the same numbers every run
        let mut seed = 0x2026_1206_u64;
        let mut rnd = move |n: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        let alphabet: Vec<char> = "楼道灯水电漏维修abc1234\u{1f}\0".chars().collect();
        let mut cases: Vec<(Docs, u32)> = vec![
            (vec![], 0),
            (vec![], 5),
            (vec![(0, text("楼"))], 1),
            // an empty text; the documents run to its number and past
            (vec![(3, text("")), (4, text("楼"))], 9),
            // 16 documents, bit maps of 2 bytes: "x" in two (2 bytes of
            // gaps: stays gaps), "y" in three (a bit map)
            (vec![(0, text("xy")), (1, text("xy")), (9, text("y"))], 16),
            // a gap of four bytes
            (vec![(0, text("楼")), (3_000_000, text("楼道"))], 3_000_001),
        ];
        // random sets: numbers close and far apart (gaps of one to three
        // bytes), both families, empty texts, separators
        for (n, step) in [(40u32, 1u32), (300, 1), (200, 150), (60, 20_000)] {
            let mut docs = Vec::new();
            let mut d = 0;
            for _ in 0..n {
                let t: String = (0..rnd(12)).map(|_| alphabet[rnd(alphabet.len() as u64) as usize]).collect();
                let p: String = (0..rnd(4)).map(|_| char::from(b'0' + rnd(10) as u8)).collect();
                docs.push((d, vec![(t, 0), (p, PHONE)]));
                d += 1 + rnd(u64::from(step)) as u32;
            }
            cases.push((docs, d + 7));
        }
        let (mut maps, mut gaps) = (0, 0);
        for (docs, n) in &cases {
            let mut r = Reference::default();
            for (d, texts) in docs {
                let t: Vec<(&str, u64)> = texts.iter().map(|(s, f)| (s.as_str(), *f)).collect();
                r.add(*d, &t);
            }
            let want = r.finish(*n);
            for w in want.offs.windows(2) {
                match want.data[w[0] as usize] {
                    TAG_BITS => maps += 1,
                    _ => gaps += 1,
                }
            }
            let got = built(docs, *n);
            assert_eq!(got.to_bytes(), want.to_bytes(), "{} documents to {n}", docs.len());
        }
        assert!(maps > 10 && gaps > 100, "both ways of storing a list: {maps} maps, {gaps} gaps");
        // the two ways around the line: "x" stays gaps, "y" a bit map
        let edge = built(&cases[4].0, 16);
        let tag = |k| edge.list(k).map(|l| l[0]);
        assert_eq!((tag(key('x', None)), tag(key('y', None))), (Some(TAG_GAPS), Some(TAG_BITS)));
    }

    #[test]
    fn bits_run_both_ways() {
        let mut b = Bits::new(200);
        for i in [0, 63, 64, 130, 199] {
            b.set(i);
        }
        assert_eq!(b.ones().collect::<Vec<_>>(), vec![0, 63, 64, 130, 199]);
        assert_eq!(b.ones_desc(|i| i != 64), vec![199, 130, 63, 0]);
    }
}
