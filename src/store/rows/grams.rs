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

/// Every piece of `text`, in no order, with duplicates.
pub(super) fn pieces(text: &str, family: u64, out: &mut Vec<u64>) {
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

fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
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

/// Builds [`Grams`] one document at a time, in increasing order.
#[derive(Default)]
pub struct Builder {
    lists: KeyMap<(u32, Vec<u8>)>,
    scratch: Vec<u64>,
    docs: u32,
}

impl Builder {
    /// Adds document `doc` (greater than any before) with its texts, each
    /// with the family its pieces are keyed in.
    pub fn add(&mut self, doc: u32, texts: &[(&str, u64)]) {
        self.scratch.clear();
        for (t, family) in texts {
            pieces(t, *family, &mut self.scratch);
        }
        self.scratch.sort_unstable();
        self.scratch.dedup();
        for &k in &self.scratch {
            let (last, list) = self.lists.entry(k).or_insert_with(|| (u32::MAX, Vec::new()));
            // gaps minus one; the first from -1
            put_varint(list, doc.wrapping_sub(*last).wrapping_sub(1));
            *last = doc;
        }
        self.docs = self.docs.max(doc + 1);
    }

    /// The lists, covering documents 0..docs (some may have no text).
    pub fn finish(self, docs: u32) -> Grams {
        let docs = docs.max(self.docs);
        let mut lists: Vec<(u64, Vec<u8>)> = self.lists.into_iter().map(|(k, (_, v))| (k, v)).collect();
        lists.sort_unstable_by_key(|(k, _)| *k);
        let map_len = (docs as usize).div_ceil(8);
        let total: usize = lists.iter().map(|(_, v)| 1 + v.len().min(map_len)).sum();
        let mut g = Grams {
            keys: Vec::with_capacity(lists.len()),
            offs: Vec::with_capacity(lists.len() + 1),
            data: Vec::with_capacity(total),
            docs,
        };
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

    #[test]
    fn lists_answer_pieces_both_ways_of_storing() {
        let mut b = Builder::default();
        // "楼" in every document (a bit map), "灯" in two (gaps)
        for d in 0..20u32 {
            let t = if d % 10 == 3 { "楼道灯\u{1f}x" } else { "楼" };
            b.add(d, &[(t, 0)]);
        }
        let g = b.finish(20);
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
    fn bits_run_both_ways() {
        let mut b = Bits::new(200);
        for i in [0, 63, 64, 130, 199] {
            b.set(i);
        }
        assert_eq!(b.ones().collect::<Vec<_>>(), vec![0, 63, 64, 130, 199]);
        assert_eq!(b.ones_desc(|i| i != 64), vec![199, 130, 63, 0]);
    }
}
