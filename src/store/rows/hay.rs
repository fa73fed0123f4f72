//! The rows' search text, packed in memory (issue 19ze): on the large set
//! the text was 19.4 MB as it is, the largest block in the process.
//!
//! Each row's text has a logical place (start, length), as when the text
//! was one arena. The text is kept in sealed blocks of whole rows, each
//! packed with LZ4 against one shared dictionary (rows sampled when the
//! first blocks are made: small blocks pack badly alone), and an unpacked
//! tail where new and changed rows are added; when the tail would pass the
//! block size it is packed. A row never spans two blocks (a long row gets
//! a block of its own).
//!
//! Readers take the text through a [`Reader`], which keeps the block it
//! unpacked last: visiting rows by place unpacks each block once.

use crate::store::saved_copy::DictPacker;

/// How many bytes of text a block holds at most (but for one long row).
/// See BENCHMARKS.md, issue 19ze, for the sizes measured.
pub const BLOCK: usize = 8 << 10;
/// The shared dictionary's bytes at most (LZ4 looks back 64 KB: all of it
/// is in reach from every place of a block).
pub const DICT: usize = 64 << 10;
/// Text kept unpacked, while there is no dictionary yet, before the
/// dictionary is sampled from it and it is packed.
pub const DICT_FROM: usize = 256 << 10;

#[derive(Clone)]
pub struct Hay {
    /// Sizes (tests make them small, to have many blocks).
    block: usize,
    dict_from: usize,
    dict_len: usize,
    /// The shared dictionary (empty until the text first reached `dict_from`).
    dict: Vec<u8>,
    /// The sealed blocks, packed, one after another.
    packed: Vec<u8>,
    /// Block `i` holds the text from `starts[i]` to `starts[i + 1]` (the
    /// last, to `tail_start`), packed in `packed[at[i]..at[i + 1]]` (the
    /// last, to `packed.len()`).
    starts: Vec<u32>,
    at: Vec<u32>,
    /// Where the tail's text starts.
    tail_start: u32,
    tail: Vec<u8>,
    /// Where each row in the tail ends (in the tail).
    tail_ends: Vec<u32>,
    /// The packer, its dictionary hashed once (issue 19zh), kept while
    /// blocks are being packed, dropped by [`Hay::shrink`].
    packer: Packer,
    /// The tail is not packed as it grows (a rebuild's window of rows,
    /// sorted before it is packed: see [`Hay::lay_tail`]).
    held: bool,
    /// Blocks unpacked, by readers and spans (tests).
    #[cfg(test)]
    pub unpacked: std::cell::Cell<usize>,
}

/// A [`DictPacker`] kept for the next block; a clone has none (it is made
/// again from the dictionary when needed).
#[derive(Default)]
struct Packer(Option<Box<DictPacker>>);

impl Clone for Packer {
    fn clone(&self) -> Self {
        Packer(None)
    }
}

impl Default for Hay {
    fn default() -> Self {
        Hay::sized(BLOCK, DICT_FROM, DICT)
    }
}

impl Hay {
    pub fn sized(block: usize, dict_from: usize, dict_len: usize) -> Hay {
        Hay {
            block,
            dict_from,
            dict_len,
            dict: Vec::new(),
            packed: Vec::new(),
            starts: Vec::new(),
            at: Vec::new(),
            tail_start: 0,
            tail: Vec::new(),
            tail_ends: Vec::new(),
            packer: Packer(None),
            held: false,
            #[cfg(test)]
            unpacked: Default::default(),
        }
    }

    /// Holds the tail unpacked as it grows, until [`Hay::lay_tail`].
    pub fn hold(&mut self) {
        self.held = true;
    }

    pub fn is_held(&self) -> bool {
        self.held
    }

    /// Whether the text at `places` is exactly the end of the tail, from
    /// the first of them on (each place being a row's own text).
    pub fn tail_ends_with(&self, places: impl Iterator<Item = (u32, u32)>) -> bool {
        let (mut lo, mut hi, mut sum) = (u32::MAX, 0u32, 0usize);
        for (s, l) in places {
            lo = lo.min(s);
            hi = hi.max(s.saturating_add(l));
            sum += l as usize;
        }
        if lo == u32::MAX {
            // none: the tail must be empty
            return self.tail.is_empty();
        }
        lo >= self.tail_start && hi as usize == self.len() && Some(sum) == self.len().checked_sub(lo as usize)
    }

    /// The rows at `places`, the end of the tail (see
    /// [`Hay::tail_ends_with`]), pushed again in that order, packed as
    /// blocks fill: their new places. The dictionary, if there is none yet,
    /// is first sampled from them (as they came, not one sorted stretch).
    /// The tail stays held if it was.
    pub fn lay_tail(&mut self, places: &[(u32, u32)]) -> Vec<(u32, u32)> {
        let Some(lo) = places.iter().map(|p| p.0).min() else { return Vec::new() };
        let cut = (lo - self.tail_start) as usize;
        let rows = self.tail.split_off(cut);
        let first = self.tail_ends.partition_point(|&e| (e as usize) <= cut);
        let ends: Vec<u32> = self.tail_ends.split_off(first).into_iter().map(|e| e - cut as u32).collect();
        let held = std::mem::replace(&mut self.held, false);
        if self.dict.is_empty() && self.tail.len() + rows.len() >= self.dict_from {
            self.dict = self.sample_dict(&rows, &ends);
            self.packer = Packer(None);
        }
        let moved = places.iter().map(|&(s, l)| self.push(&rows[(s - lo) as usize..][..l as usize])).collect();
        self.held = held;
        moved
    }

    /// The tail no longer held, packed into blocks: its rows pushed again
    /// in the order they are, each keeping its place.
    pub fn release(&mut self) {
        let mut from = self.tail_start;
        let places: Vec<(u32, u32)> = self
            .tail_ends
            .iter()
            .map(|&e| {
                let p = (from, self.tail_start + e - from);
                from = self.tail_start + e;
                p
            })
            .collect();
        self.held = false;
        let moved = self.lay_tail(&places);
        debug_assert_eq!(moved, places);
    }

    /// A place's text if it is in the tail (empty otherwise).
    pub fn tail_text(&self, (s, l): (u32, u32)) -> &[u8] {
        s.checked_sub(self.tail_start).and_then(|s| self.tail.get(s as usize..s as usize + l as usize)).unwrap_or(&[])
    }

    /// Rows spread over `text` (ending at `ends`), each whole, up to the
    /// dictionary's size.
    fn sample_dict(&self, text: &[u8], ends: &[u32]) -> Vec<u8> {
        let step = (text.len() / self.dict_len.max(1)).max(1);
        let mut dict = Vec::with_capacity(self.dict_len);
        let mut from = 0usize;
        for (k, &e) in ends.iter().enumerate() {
            let e = e as usize;
            if k % step == 0 && dict.len() + (e - from) <= self.dict_len {
                dict.extend_from_slice(&text[from..e]);
            }
            from = e;
        }
        if dict.is_empty() {
            dict.extend_from_slice(&text[..text.len().min(self.dict_len)]);
        }
        dict
    }

    /// An empty hay of the same sizes, with the same dictionary, packing
    /// hard.
    pub fn empty_like(&self) -> Hay {
        let mut h = Hay::sized(self.block, self.dict_from, self.dict_len);
        h.dict = self.dict.clone();
        h
    }

    /// The logical length: the end of the last row.
    pub fn len(&self) -> usize {
        self.tail_start as usize + self.tail.len()
    }

    pub fn blocks(&self) -> usize {
        self.starts.len()
    }

    /// Bytes held.
    pub fn memory(&self) -> usize {
        self.dict.capacity()
            + self.packed.capacity()
            + (self.starts.capacity() + self.at.capacity() + self.tail_ends.capacity()) * 4
            + self.tail.capacity()
            + self.packer.0.as_ref().map_or(0, |p| p.memory())
    }

    /// Bytes packed and bytes of text in the packed blocks, dictionary bytes.
    #[cfg(test)]
    pub fn packed_figures(&self) -> (usize, usize, usize) {
        (self.packed.len(), self.tail_start as usize, self.dict.len())
    }

    /// The dictionary and each sealed block's text (for the probes).
    #[cfg(test)]
    pub fn dict_and_blocks(&self) -> (Vec<u8>, Vec<Vec<u8>>) {
        let mut rd = self.reader();
        let blocks = (0..self.blocks())
            .filter_map(|b| {
                let (s, e, _) = self.block_at(b)?;
                Some(rd.get((s, e - s)).to_vec())
            })
            .collect();
        (self.dict.clone(), blocks)
    }

    /// Adds a row's text (made by `make` into the tail): its place.
    pub fn push_with(&mut self, make: impl FnOnce(&mut Vec<u8>)) -> (u32, u32) {
        let before = self.tail.len();
        make(&mut self.tail);
        let len = self.tail.len() - before;
        if self.held {
            self.tail_ends.push(self.tail.len() as u32);
            return (self.tail_start + before as u32, len as u32);
        }
        if before > 0 && before + len > self.block && !self.dict.is_empty() {
            // the row goes into the next block: the ones before it packed
            let row: Vec<u8> = self.tail.drain(before..).collect();
            self.pack_tail();
            self.tail.extend_from_slice(&row);
        }
        let start = self.tail_start + (self.tail.len() - len) as u32;
        self.tail_ends.push(self.tail.len() as u32);
        if self.dict.is_empty() {
            if self.tail.len() >= self.dict_from {
                self.first_blocks();
            }
        } else if self.tail.len() >= self.block {
            self.pack_tail();
        }
        (start, len as u32)
    }

    pub fn push(&mut self, text: &[u8]) -> (u32, u32) {
        self.push_with(|t| t.extend_from_slice(text))
    }

    /// The dictionary sampled from the tail's rows, then the tail packed
    /// into blocks of whole rows.
    fn first_blocks(&mut self) {
        let ends = std::mem::take(&mut self.tail_ends);
        let n = ends.len();
        // rows spread over the tail, each whole, up to the dictionary's size
        self.dict = self.sample_dict(&self.tail, &ends);
        self.packer = Packer(None);
        // whole rows into blocks
        let tail = std::mem::take(&mut self.tail);
        let mut from = 0usize;
        let mut cut = 0usize;
        for (k, &e) in ends.iter().enumerate() {
            let e = e as usize;
            if e - from > self.block && cut > from {
                self.pack(&tail[from..cut]);
                from = cut;
            }
            cut = e;
            if k + 1 == n || e - from >= self.block {
                self.pack(&tail[from..e]);
                from = e;
            }
        }
        self.tail = Vec::new();
    }

    /// The tail as one block.
    fn pack_tail(&mut self) {
        if self.tail.is_empty() {
            return;
        }
        let tail = std::mem::take(&mut self.tail);
        self.pack(&tail);
        self.tail = tail;
        self.tail.clear();
        self.tail_ends.clear();
    }

    /// `text` (the next after the blocks) packed as a block.
    fn pack(&mut self, text: &[u8]) {
        let at = self.packed.len();
        let dict = &self.dict;
        let packer = self.packer.0.get_or_insert_with(|| Box::new(DictPacker::new(dict)));
        packer.pack(text, &mut self.packed);
        self.starts.push(self.tail_start);
        self.at.push(at as u32);
        self.tail_start += text.len() as u32;
    }

    /// Gives back spare room.
    pub fn shrink(&mut self) {
        self.packer = Packer(None);
        self.packed.shrink_to_fit();
        self.starts.shrink_to_fit();
        self.at.shrink_to_fit();
        self.tail.shrink_to_fit();
        self.tail_ends.shrink_to_fit();
    }

    /// The block holding logical place `p` (`None`: the tail, or beyond).
    fn block_of(&self, p: u32) -> Option<usize> {
        if p >= self.tail_start {
            return None;
        }
        Some(self.starts.partition_point(|&s| s <= p).saturating_sub(1))
    }

    /// Block `b`'s text places and packed bytes.
    fn block_at(&self, b: usize) -> Option<(u32, u32, &[u8])> {
        let s = *self.starts.get(b)?;
        let e = self.starts.get(b + 1).copied().unwrap_or(self.tail_start);
        let a = *self.at.get(b)? as usize;
        let z = self.at.get(b + 1).map_or(self.packed.len(), |&x| x as usize);
        Some((s, e, self.packed.get(a..z)?))
    }

    /// Whether a row's place is whole in one block or in the tail.
    pub fn fits(&self, (s, l): (u32, u32)) -> bool {
        let Some(end) = s.checked_add(l) else { return false };
        if end as usize > self.len() {
            return false;
        }
        match self.block_of(s) {
            None => true,
            Some(b) => self.block_at(b).is_some_and(|(_, e, _)| end <= e),
        }
    }

    /// A reader of this hay (one block unpacked at a time).
    pub fn reader(&self) -> Reader<'_> {
        Reader { hay: self, block: usize::MAX, buf: Vec::new() }
    }

    // ---- the saved copy -----------------------------------------------------

    /// As saved: the dictionary, the blocks' places, the packed blocks, the
    /// tail (every number u32, little-endian), as they are: saving does not
    /// pack, loading does not unpack.
    pub fn write_to(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        let u = |w: &mut dyn std::io::Write, x: usize| w.write_all(&(x as u32).to_le_bytes());
        u(w, self.dict.len())?;
        w.write_all(&self.dict)?;
        u(w, self.starts.len())?;
        for (&s, &a) in self.starts.iter().zip(&self.at) {
            u(w, s as usize)?;
            u(w, a as usize)?;
        }
        u(w, self.tail_start as usize)?;
        u(w, self.packed.len())?;
        w.write_all(&self.packed)?;
        u(w, self.tail.len())?;
        w.write_all(&self.tail)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out =
            Vec::with_capacity(self.packed.len() + self.tail.len() + self.dict.len() + 8 * self.blocks() + 20);
        let _ = self.write_to(&mut out);
        out
    }

    /// Back from [`Hay::write_to`]; `None` if its parts do not fit one
    /// another (the blocks are not unpacked here: one that does not
    /// unpack reads as no text, never a panic).
    pub fn from_bytes(b: &[u8]) -> Option<Hay> {
        let mut rest = b;
        let u = take_u32;
        let mut hay = Hay::default();
        let dict_len = u(&mut rest)?;
        let (dict, r) = rest.split_at_checked(dict_len)?;
        rest = r;
        hay.dict = dict.to_vec();
        let n = u(&mut rest)?;
        if n > rest.len() / 8 {
            return None;
        }
        hay.starts.reserve_exact(n);
        hay.at.reserve_exact(n);
        for _ in 0..n {
            hay.starts.push(u(&mut rest)? as u32);
            hay.at.push(u(&mut rest)? as u32);
        }
        hay.tail_start = u(&mut rest)? as u32;
        let plen = u(&mut rest)?;
        let (packed, r) = rest.split_at_checked(plen)?;
        rest = r;
        let tlen = u(&mut rest)?;
        if rest.len() != tlen {
            return None;
        }
        // blocks in order, each some text and some bytes, within the packed
        // bytes, none stretching more than LZ4 can (255 to 1)
        let ends_s = hay.starts.iter().skip(1).copied().chain([hay.tail_start]);
        let ends_a = hay.at.iter().skip(1).copied().chain([plen as u32]);
        let mut ok = hay.starts.first().is_none_or(|&s| s == 0) && hay.at.first().is_none_or(|&a| a == 0);
        ok &= n > 0 || hay.tail_start == 0;
        for (((&s, e), &a), z) in hay.starts.iter().zip(ends_s).zip(&hay.at).zip(ends_a) {
            ok &= s < e && a < z && ((e - s) as usize) <= ((z - a) as usize).saturating_mul(255) + 16;
        }
        if !ok || (hay.dict.is_empty() && n > 0) {
            return None;
        }
        hay.packed = packed.to_vec();
        hay.tail = rest.to_vec();
        Some(hay)
    }
}

fn take_u32(rest: &mut &[u8]) -> Option<usize> {
    let (x, r) = rest.split_at_checked(4)?;
    *rest = r;
    Some(u32::from_le_bytes(x.try_into().ok()?) as usize)
}

/// Reads rows' text from a [`Hay`], keeping the last block it unpacked.
pub struct Reader<'a> {
    hay: &'a Hay,
    block: usize,
    buf: Vec<u8>,
}

impl Reader<'_> {
    /// A row's text (empty if its place is not whole, or its block does
    /// not unpack).
    pub fn get(&mut self, (s, l): (u32, u32)) -> &[u8] {
        let hay = self.hay;
        let Some(end) = s.checked_add(l) else { return &[] };
        let Some(b) = hay.block_of(s) else {
            let (s, end) = ((s - hay.tail_start) as usize, (end.saturating_sub(hay.tail_start)) as usize);
            return hay.tail.get(s..end).unwrap_or(&[]);
        };
        let Some((bs, be, packed)) = hay.block_at(b) else { return &[] };
        if b != self.block {
            self.block = usize::MAX;
            let n = (be - bs) as usize;
            self.buf.clear();
            self.buf.resize(n, 0);
            #[cfg(test)]
            hay.unpacked.set(hay.unpacked.get() + 1);
            match lz4_flex::block::decompress_into_with_dict(packed, &mut self.buf, &hay.dict) {
                Ok(got) if got == n => self.block = b,
                _ => return &[],
            }
        }
        if end > be {
            return &[];
        }
        self.buf.get((s - bs) as usize..(end - bs) as usize).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize) -> Vec<Vec<u8>> {
        (0..n)
            .map(|i| format!("{i}\u{1f}楼道灯坏了第{}号\u{1f}{}\u{1f}", i % 7, "x".repeat(i % 50)).into_bytes())
            .collect()
    }

    #[test]
    fn every_row_reads_back_as_pushed_in_blocks_and_tail() {
        let mut h = Hay::sized(256, 1024, 512);
        let rs = rows(300);
        let mut long = vec![b'a'; 900];
        long.extend_from_slice("长".as_bytes());
        let mut places: Vec<(u32, u32)> = rs.iter().map(|r| h.push(r)).collect();
        places.push(h.push(&long));
        let tail_row = h.push(b"tail");
        assert!(h.blocks() > 10, "{} blocks", h.blocks());
        assert!(h.fits(tail_row) && h.tail.len() == 4);
        let mut rd = h.reader();
        for (r, &p) in rs.iter().chain([&long]).zip(&places) {
            assert!(h.fits(p));
            assert_eq!(rd.get(p), &r[..]);
        }
        assert_eq!(rd.get(tail_row), b"tail");
        // read back from its bytes
        let back = Hay::from_bytes(&h.to_bytes()).unwrap();
        let mut rd = back.reader();
        for (r, &p) in rs.iter().zip(&places) {
            assert_eq!(rd.get(p), &r[..]);
        }
        // no block spans two rows' halves: a place across a block's end does not fit
        let (s, _, _) = h.block_at(1).unwrap();
        assert!(!h.fits((s - 1, 2)));
    }

    /// A copy saved by 19ze (format 10: blocks packed by `lz4_flex` against
    /// the dictionary) reads as it did: the same decoder reads both; and
    /// the blocks packed now (issue 19zh) are smaller than those.
    #[test]
    fn blocks_packed_by_lz4_flex_as_format_10_did_still_read() {
        let mut h = Hay::sized(256, 1024, 512);
        let rs = rows(300);
        let places: Vec<(u32, u32)> = rs.iter().map(|r| h.push(r)).collect();
        let (dict, blocks) = h.dict_and_blocks();
        assert!(blocks.len() > 10 && dict == h.dict);
        let mut old = h.clone();
        old.packed.clear();
        old.at.clear();
        for b in &blocks {
            old.at.push(old.packed.len() as u32);
            old.packed.extend(lz4_flex::block::compress_with_dict(b, &dict));
        }
        assert!(h.packed.len() < old.packed.len(), "{} against lz4_flex's {}", h.packed.len(), old.packed.len());
        let back = Hay::from_bytes(&old.to_bytes()).unwrap();
        let mut rd = back.reader();
        for (r, &p) in rs.iter().zip(&places) {
            assert_eq!(rd.get(p), &r[..]);
        }
    }

    #[test]
    fn a_damaged_copy_is_refused_or_reads_as_nothing_never_a_panic() {
        let mut h = Hay::sized(256, 1024, 512);
        let places: Vec<_> = rows(200).iter().map(|r| h.push(r)).collect();
        let bytes = h.to_bytes();
        for cut in [0, 3, 10, bytes.len() / 2, bytes.len() - 1] {
            assert!(Hay::from_bytes(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        // every byte flipped in turn: refused, or each row reads as something
        for i in (0..bytes.len()).step_by(7) {
            let mut b = bytes.clone();
            b[i] ^= 0x5a;
            if let Some(back) = Hay::from_bytes(&b) {
                let mut rd = back.reader();
                for &p in &places {
                    let _ = rd.get(p);
                }
            }
        }
    }
}
