//! Saved copies of what linli keeps in memory besides the request index
//! (the daily log, the roster's totals): read at start instead of reading
//! every record through sled, which costs time and leaves sled holding
//! pages and tables it never gives back (issue 19: the daily log's 50,000
//! entries kept ~10 MB in sled after being read).
//!
//! A copy is a cache, never the truth. It names the [`Stamp`] of the store
//! it was made from: the store's generation (every change raises it) and a
//! checksum of the last record of the kinds it was made from (so a copy
//! never passes for another store that happens to be at the same
//! generation). It is used only when the store still has that stamp and
//! the copy's checksum holds; otherwise the caller rebuilds from the
//! records and writes the copy again. Deleting the file is always safe.
//!
//! Layout: 8 bytes of magic, format u32, generation u64, tail checksum
//! u32, the number of sections u32, each section's length u64, CRC-32 of
//! the sections u32, then the sections.

use super::record::RecordKind;
use super::{Result, Store};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

/// Most sections a copy may have (a bad header cannot ask for more).
const MAX_SECTIONS: usize = 16;

/// What a copy was made from: see the module comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub generation: u64,
    pub tail: u32,
}

impl Store {
    /// The store's stamp for a copy made from the records of `kinds`: the
    /// generation, and a checksum of each kind's last record (one lookup
    /// each, no scan).
    pub fn stamp(&self, kinds: &[RecordKind]) -> Result<Stamp> {
        let generation = self.generation()?;
        let mut crc = crc32fast::Hasher::new();
        for &k in kinds {
            match self.tree(k).last()? {
                Some((key, value)) => {
                    crc.update(&key);
                    crc.update(&value);
                }
                None => crc.update(b"-"),
            }
        }
        Ok(Stamp { generation, tail: crc.finalize() })
    }
}

/// The temporary name a copy of `path` is written under before its rename:
/// `.NAME.PID-N.part`, one per writer, even two threads of one process (a
/// background read writing the copy while the app quits, the store
/// server's index loader beside a command it runs).
pub fn temp_name(path: &Path) -> std::path::PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{}-{n}.part", std::process::id()))
}

/// Writes a copy: to a temporary name (`.NAME.PID-N.part`, which an
/// interrupted linli's leftovers tidy removes), synced, then renamed over
/// the old copy.
pub fn write(path: &Path, magic: &[u8; 8], format: u32, stamp: Stamp, sections: &[&[u8]]) -> std::io::Result<()> {
    let mut head = magic.to_vec();
    head.extend(format.to_le_bytes());
    head.extend(stamp.generation.to_le_bytes());
    head.extend(stamp.tail.to_le_bytes());
    head.extend((sections.len() as u32).to_le_bytes());
    write_sections(path, &head, sections)
}

/// Writes `head`, each section's length, their checksum and the sections,
/// to a temporary name of its own ([`temp_name`]), synced, then renamed
/// over `path`; on failure (a full disk) nothing half-written is left.
/// The saved copies and the search index's copy (`index_cache`) share it.
pub fn write_sections(path: &Path, head: &[u8], sections: &[&[u8]]) -> std::io::Result<()> {
    write_made(path, head, sections.len(), |w| sections.iter().try_for_each(|s| w.section(|out| out.write_all(s))))
}

/// As [`write_sections`], each of the `count` sections written by `make`
/// as it is made ([`SectionWriter::section`]) rather than held whole in
/// memory first: the same file, byte for byte. The header is written last,
/// once the lengths and the checksum are known.
pub fn write_made(
    path: &Path,
    head: &[u8],
    count: usize,
    make: impl FnOnce(&mut SectionWriter) -> std::io::Result<()>,
) -> std::io::Result<()> {
    write_made_at(path, head, &vec![Pack::Raw; count], make)
}

/// How a section is written in the file ([`write_made_at`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pack {
    /// As made.
    Raw,
    /// Deflated at this level ([`inflate`] reads it back): a raw deflate
    /// stream, then the length it inflates to (u64).
    Deflate(u32),
    /// LZ4 blocks ([`unlz4`] reads them back): for each [`LZ4_BLOCK`] bytes
    /// made (the last one fewer), their length u32, the length of the block
    /// u32 and the block; then the length of the whole as made (u64).
    /// Larger than deflate (the search index's first section: 4.2 MB
    /// instead of 3.0) and ~4× quicker to read back (issue 19y).
    Lz4,
}

/// As [`write_made`], with one [`Pack`] for each section. The lengths and
/// the checksum in the header are those of the bytes in the file.
pub fn write_made_at(
    path: &Path,
    head: &[u8],
    levels: &[Pack],
    make: impl FnOnce(&mut SectionWriter) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom};
    let count = levels.len();
    let tmp = temp_name(path);
    let written = (|| {
        let mut f = BufWriter::new(crate::platform::private::create_file(&tmp)?);
        f.write_all(head)?;
        f.write_all(&vec![0; count * 8 + 4])?;
        let mut w = SectionWriter {
            out: f,
            crc: crc32fast::Hasher::new(),
            lens: Vec::with_capacity(count),
            levels: levels.to_vec(),
        };
        make(&mut w)?;
        let SectionWriter { out: mut f, crc, lens, .. } = w;
        if lens.len() != count {
            return Err(std::io::Error::other("a saved copy's sections were not all written"));
        }
        f.seek(SeekFrom::Start(head.len() as u64))?;
        for len in lens {
            f.write_all(&len.to_le_bytes())?;
        }
        f.write_all(&crc.finalize().to_le_bytes())?;
        f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Where [`write_made`]'s sections go: each counted and checksummed as it
/// passes.
pub struct SectionWriter {
    out: BufWriter<File>,
    crc: crc32fast::Hasher,
    lens: Vec<u64>,
    /// How each section is written ([`write_made_at`]).
    levels: Vec<Pack>,
}

impl SectionWriter {
    /// One section: whatever `write` writes (packed as it passes, if its
    /// [`Pack`] says so).
    pub fn section(&mut self, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> std::io::Result<()> {
        let level = self.levels.get(self.lens.len()).copied().unwrap_or(Pack::Raw);
        let mut part = Part { w: self, len: 0 };
        match level {
            Pack::Raw => write(&mut part)?,
            Pack::Lz4 => {
                let mut z = Lz4Blocks {
                    out: &mut part,
                    made: Vec::with_capacity(LZ4_BLOCK),
                    block: Vec::new(),
                    packer: Lz4Packer::default(),
                    n: 0,
                };
                write(&mut z)?;
                z.finish()?;
            }
            Pack::Deflate(level) => {
                let mut z = Counted {
                    inner: flate2::write::DeflateEncoder::new(&mut part, flate2::Compression::new(level)),
                    n: 0,
                };
                write(&mut z)?;
                let raw = z.n;
                z.inner.finish()?.write_all(&raw.to_le_bytes())?;
            }
        }
        let len = part.len;
        self.lens.push(len);
        Ok(())
    }
}

/// How many bytes as made one LZ4 block holds at most ([`Pack::Lz4`]): the
/// writer holds one block's bytes, not the section's; LZ4 looks back 64 KB
/// only, so the blocks cost nothing in size.
pub const LZ4_BLOCK: usize = 1 << 20;

/// A writer packing what passes through it into LZ4 blocks ([`Pack::Lz4`]).
struct Lz4Blocks<'a, W: Write> {
    out: &'a mut W,
    made: Vec<u8>,
    block: Vec<u8>,
    packer: Lz4Packer,
    n: u64,
}

/// How many earlier places with the same first four bytes [`Lz4Packer`]
/// tries for each match (LZ4's own "high compression" tries 256 at its
/// default level 9). On the large set's search text (19.4 MB): 64 makes
/// 2.3 MB (lz4_flex's quick packer: 4.2 MB; deflate at 6: 2.2), so the
/// text is in LZ4 too (format 9) and unpacks ~3× quicker than it inflated.
const LZ4_TRIES: u32 = 64;
/// The bits of [`Lz4Packer`]'s hash of four bytes.
const LZ4_HASH_BITS: u32 = 16;
/// Farthest back an LZ4 match may point.
const LZ4_WINDOW: usize = 65_535;

/// An LZ4 block packer that looks harder for matches than `lz4_flex`'s
/// (which has no such mode): for each place, the last [`LZ4_TRIES`] places
/// within 64 KB that began with the same four bytes (a hash chain), the
/// longest match taken. Slower to pack (the saved index is written at
/// quit), as quick to unpack: any LZ4 decoder reads its blocks
/// (`lz4_flex`'s does, [`unlz4`]).
struct Lz4Packer {
    /// The last place of each hash, plus one (0: none yet in this block).
    head: Vec<u32>,
    /// For each place (modulo 64 KB), how far back the previous place with
    /// its hash is (0: none).
    chain: Vec<u16>,
}

impl Default for Lz4Packer {
    fn default() -> Self {
        Lz4Packer { head: vec![0; 1 << LZ4_HASH_BITS], chain: vec![0; 1 << 16] }
    }
}

impl Lz4Packer {
    /// `src` (at most [`LZ4_BLOCK`] bytes) as one LZ4 block, added to `out`.
    /// The format's rules: matches of 4 bytes or more, at most 65,535
    /// back; the last match starts 12 bytes or more before the end, and
    /// the last 5 bytes are literals.
    fn pack(&mut self, src: &[u8], out: &mut Vec<u8>) {
        self.head.fill(0);
        lz4_pack_from(&mut self.head, &mut self.chain, 0xffff, src, 0, LZ4_TRIES, out, None);
    }
}

fn lz4_hash(src: &[u8], at: usize) -> usize {
    let v = u32::from_le_bytes([src[at], src[at + 1], src[at + 2], src[at + 3]]);
    (v.wrapping_mul(2_654_435_761) >> (32 - LZ4_HASH_BITS)) as usize
}

/// The hash-chain LZ4 packer's work: `src[start..]` as one LZ4 block, added
/// to `out`, its matches found among all of `src` (what is before `start`
/// already in `head` and `chain`: the dictionary's places). `chain` is
/// indexed by place `& mask` (its length `mask + 1`, or `src.len()` when
/// `mask` is `usize::MAX`); each head changed is noted in `changed` (to be
/// put back), if given.
#[allow(clippy::too_many_arguments)]
fn lz4_pack_from(
    head: &mut [u32],
    chain: &mut [u16],
    mask: usize,
    src: &[u8],
    start: usize,
    tries: u32,
    out: &mut Vec<u8>,
    mut changed: Option<&mut Vec<(u32, u32)>>,
) {
    let n = src.len();
    let mut anchor = start;
    if n >= start + 13 {
        let (last_start, end) = (n - 12, n - 5);
        let mut inserted = start;
        let mut at = start;
        while at <= last_start {
            while inserted <= at {
                let h = lz4_hash(src, inserted);
                let prev = head[h] as usize;
                let back = if prev > 0 && inserted + 1 - prev <= LZ4_WINDOW { inserted + 1 - prev } else { 0 };
                chain[inserted & mask] = back as u16;
                if let Some(c) = changed.as_deref_mut() {
                    c.push((h as u32, head[h]));
                }
                head[h] = inserted as u32 + 1;
                inserted += 1;
            }
            let (mut best, mut from) = (0usize, 0usize);
            let mut cand = at;
            for _ in 0..tries {
                let back = chain[cand & mask] as usize;
                if back == 0 || at - (cand - back) > LZ4_WINDOW {
                    break;
                }
                cand -= back;
                if src[cand + best] != src[at + best] {
                    continue;
                }
                let len = common(&src[cand..end], &src[at..end]);
                if len > best {
                    (best, from) = (len, cand);
                    if at + best == end {
                        break;
                    }
                }
            }
            if best >= 4 {
                lz4_sequence(out, &src[anchor..at], Some((at - from, best)));
                at += best;
                anchor = at;
            } else {
                at += 1;
            }
        }
    }
    lz4_sequence(out, &src[anchor..], None);
}

/// How many earlier places [`DictPacker`] tries for each match (issue
/// 19zh: the search text's 8 KB blocks against its 64 KB dictionary; see
/// BENCHMARKS.md for bytes against time).
pub const DICT_TRIES: u32 = 64;

/// The hash-chain LZ4 packer of [`Lz4Packer`] for many small blocks
/// against one dictionary (the search text's, `rows::hay`): the
/// dictionary's places are hashed once, when the packer is made, and are
/// match sources for every block as if the dictionary sat right before it
/// (as `lz4_flex::block::decompress_into_with_dict` reads them); only the
/// block's bytes are emitted. Each block's own places are taken out of the
/// heads again after it (the dictionary's chain is never touched).
pub struct DictPacker {
    /// The dictionary, then the block being packed.
    buf: Vec<u8>,
    dict_len: usize,
    head: Vec<u32>,
    chain: Vec<u16>,
    changed: Vec<(u32, u32)>,
    tries: u32,
}

impl DictPacker {
    pub fn new(dict: &[u8]) -> DictPacker {
        DictPacker::with_tries(dict, DICT_TRIES)
    }

    pub fn with_tries(dict: &[u8], tries: u32) -> DictPacker {
        let mut p = DictPacker {
            buf: dict.to_vec(),
            dict_len: dict.len(),
            head: vec![0; 1 << LZ4_HASH_BITS],
            chain: vec![0; dict.len()],
            changed: Vec::new(),
            tries,
        };
        // every place of the dictionary whose four bytes are all in it
        for at in 0..dict.len().saturating_sub(3) {
            let h = lz4_hash(dict, at);
            let prev = p.head[h] as usize;
            let back = if prev > 0 && at + 1 - prev <= LZ4_WINDOW { at + 1 - prev } else { 0 };
            p.chain[at] = back as u16;
            p.head[h] = at as u32 + 1;
        }
        p
    }

    /// Bytes held.
    pub fn memory(&self) -> usize {
        self.buf.capacity() + self.head.capacity() * 4 + self.chain.capacity() * 2 + self.changed.capacity() * 8
    }

    /// `block` as one LZ4 block against the dictionary, added to `out`.
    pub fn pack(&mut self, block: &[u8], out: &mut Vec<u8>) {
        self.buf.truncate(self.dict_len);
        self.buf.extend_from_slice(block);
        self.chain.resize(self.buf.len(), 0);
        self.changed.clear();
        lz4_pack_from(
            &mut self.head,
            &mut self.chain,
            usize::MAX,
            &self.buf,
            self.dict_len,
            self.tries,
            out,
            Some(&mut self.changed),
        );
        // the heads as the dictionary left them (the last change first)
        for &(h, old) in self.changed.iter().rev() {
            self.head[h as usize] = old;
        }
    }
}

/// How many bytes `a` and `b` have in common from their start.
fn common(a: &[u8], b: &[u8]) -> usize {
    let max = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= max {
        let x = u64::from_le_bytes(a[i..i + 8].try_into().unwrap_or([0; 8]))
            ^ u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or([0; 8]));
        if x != 0 {
            return i + (x.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < max && a[i] == b[i] {
        i += 1;
    }
    i
}

/// One LZ4 sequence: its literals, then (but for the block's last) a
/// match `(how far back, how long)`.
fn lz4_sequence(out: &mut Vec<u8>, literals: &[u8], matched: Option<(usize, usize)>) {
    let more = |out: &mut Vec<u8>, mut n: usize| {
        while n >= 255 {
            out.push(255);
            n -= 255;
        }
        out.push(n as u8);
    };
    let ml = matched.map_or(0, |(_, len)| len - 4);
    out.push(((literals.len().min(15) as u8) << 4) | ml.min(15) as u8);
    if literals.len() >= 15 {
        more(out, literals.len() - 15);
    }
    out.extend_from_slice(literals);
    if let Some((back, _)) = matched {
        out.extend_from_slice(&(back as u16).to_le_bytes());
        if ml >= 15 {
            more(out, ml - 15);
        }
    }
}

impl<W: Write> Lz4Blocks<'_, W> {
    fn block(&mut self) -> std::io::Result<()> {
        if self.made.is_empty() {
            return Ok(());
        }
        self.block.clear();
        self.packer.pack(&self.made, &mut self.block);
        self.out.write_all(&(self.made.len() as u32).to_le_bytes())?;
        self.out.write_all(&(self.block.len() as u32).to_le_bytes())?;
        self.out.write_all(&self.block)?;
        self.made.clear();
        Ok(())
    }

    /// The last block, then the length of the whole as made.
    fn finish(mut self) -> std::io::Result<()> {
        self.block()?;
        self.out.write_all(&self.n.to_le_bytes())
    }
}

impl<W: Write> Write for Lz4Blocks<'_, W> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        let n = b.len().min(LZ4_BLOCK - self.made.len());
        self.made.extend_from_slice(&b[..n]);
        self.n += n as u64;
        if self.made.len() == LZ4_BLOCK {
            self.block()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A section written as LZ4 blocks ([`Pack::Lz4`]) back as it was made;
/// `None` if it is not whole blocks, each unpacking to exactly the length
/// it names, followed by the length of the whole. The lengths are checked
/// before anything is allocated, and the whole trusted only as far as LZ4
/// can stretch its blocks (255 to 1 at most): a damaged one cannot make it
/// allocate without bound. Never a panic (`lz4_flex`'s safe decoder).
pub fn unlz4(section: &[u8]) -> Option<Vec<u8>> {
    let (mut rest, len) = section.split_at_checked(section.len().checked_sub(8)?)?;
    let len = usize::try_from(u64::from_le_bytes(len.try_into().ok()?)).ok()?;
    if len > rest.len().saturating_mul(256) {
        return None;
    }
    let mut blocks = Vec::with_capacity(len / LZ4_BLOCK + 1);
    let mut total = 0usize;
    while !rest.is_empty() {
        let (head, after) = rest.split_at_checked(8)?;
        let made = u32::from_le_bytes(head[..4].try_into().ok()?) as usize;
        let packed = u32::from_le_bytes(head[4..].try_into().ok()?) as usize;
        let (block, after) = after.split_at_checked(packed)?;
        if made == 0 || made > LZ4_BLOCK {
            return None;
        }
        total = total.checked_add(made)?;
        blocks.push((made, block));
        rest = after;
    }
    if total != len {
        return None;
    }
    let mut out = vec![0u8; len];
    let mut at = 0;
    for (made, block) in blocks {
        let into = out.get_mut(at..at + made)?;
        if lz4_flex::block::decompress_into(block, into).ok()? != made {
            return None;
        }
        at += made;
    }
    Some(out)
}

/// A section back as it was made, as `pack` wrote it ([`inflate`],
/// [`unlz4`]).
pub fn unpack(section: &[u8], pack: Pack) -> Option<Vec<u8>> {
    match pack {
        Pack::Raw => Some(section.to_vec()),
        Pack::Deflate(_) => inflate(section),
        Pack::Lz4 => unlz4(section),
    }
}

/// A writer that counts what passes through it.
struct Counted<W: Write> {
    inner: W,
    n: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(b)?;
        self.n += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A section written deflated ([`write_made_at`]) back as it was made;
/// `None` if it is not a whole deflate stream followed by the length it
/// inflates to. The length is trusted only as far as deflate can stretch
/// the bytes (1,032 to 1 at most), so a damaged one cannot make it
/// allocate without bound.
pub fn inflate(section: &[u8]) -> Option<Vec<u8>> {
    use flate2::{Decompress, FlushDecompress, Status};
    let (z, len) = section.split_at_checked(section.len().checked_sub(8)?)?;
    let len = usize::try_from(u64::from_le_bytes(len.try_into().ok()?)).ok()?;
    if len > z.len().saturating_mul(1032) {
        return None;
    }
    let mut out = Vec::with_capacity(len);
    let mut d = Decompress::new(false);
    // (room for exactly `len` bytes: a stream that would make more stops
    // short of its end and is refused)
    loop {
        let (read, wrote) = (d.total_in(), d.total_out());
        let rest = z.get(usize::try_from(read).ok()?..)?;
        if d.decompress_vec(rest, &mut out, FlushDecompress::Finish).ok()? == Status::StreamEnd {
            break;
        }
        if d.total_in() == read && d.total_out() == wrote {
            return None;
        }
    }
    (d.total_in() == z.len() as u64 && out.len() == len).then_some(out)
}

struct Part<'a> {
    w: &'a mut SectionWriter,
    len: u64,
}

impl Write for Part<'_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        let n = self.w.out.write(b)?;
        self.w.crc.update(&b[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.w.out.flush()
    }
}

/// Reads a copy's sections if it has this magic and format, was made at
/// `stamp`, and is whole (length and checksum); else `None`.
pub fn read(path: &Path, magic: &[u8; 8], format: u32, stamp: Stamp) -> Option<Vec<Vec<u8>>> {
    let mut f = File::open(path).ok()?;
    let mut h = [0u8; 8 + 4 + 8 + 4 + 4];
    f.read_exact(&mut h).ok()?;
    let u32_at = |i: usize| u32::from_le_bytes(h[i..i + 4].try_into().unwrap_or([0; 4]));
    let generation = u64::from_le_bytes(h[12..20].try_into().unwrap_or([0; 8]));
    if &h[..8] != magic || u32_at(8) != format || generation != stamp.generation || u32_at(20) != stamp.tail {
        return None;
    }
    let n = u32_at(24) as usize;
    if n > MAX_SECTIONS {
        return None;
    }
    let mut rest = vec![0u8; n * 8 + 4];
    f.read_exact(&mut rest).ok()?;
    let lens: Vec<u64> =
        (0..n).map(|i| u64::from_le_bytes(rest[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]))).collect();
    let want = u32::from_le_bytes(rest[n * 8..].try_into().ok()?);
    let total = lens.iter().try_fold((h.len() + rest.len()) as u64, |a, &l| a.checked_add(l))?;
    if total != f.metadata().ok()?.len() {
        return None;
    }
    let mut crc = crc32fast::Hasher::new();
    let mut out = Vec::with_capacity(n);
    for len in lens {
        let mut v = vec![0u8; usize::try_from(len).ok()?];
        f.read_exact(&mut v).ok()?;
        crc.update(&v);
        out.push(v);
    }
    (crc.finalize() == want).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAGIC: &[u8; 8] = b"LINLITST";
    const S: Stamp = Stamp { generation: 7, tail: 42 };

    /// A copy written section by section as it is made is the file the
    /// sections held whole make, read back the same; one that makes fewer
    /// sections than it said leaves nothing behind.
    #[test]
    fn sections_written_as_made_are_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let sections: [&[u8]; 3] = [b"abc", b"", &big];
        let (whole, made) = (dir.path().join("whole"), dir.path().join("made"));
        write_sections(&whole, b"HEAD", &sections).unwrap();
        write_made(&made, b"HEAD", 3, |w| {
            w.section(|o| o.write_all(b"a").and_then(|()| o.write_all(b"bc")))?;
            w.section(|_| Ok(()))?;
            w.section(|o| big.chunks(7_000).try_for_each(|c| o.write_all(c)))
        })
        .unwrap();
        assert_eq!(std::fs::read(&whole).unwrap(), std::fs::read(&made).unwrap());
        let short = dir.path().join("short");
        assert!(write_made(&short, b"HEAD", 3, |w| w.section(|o| o.write_all(b"abc"))).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "no copy and no part left");
    }

    /// Sections written deflated inflate back to what was made, the empty
    /// one too, beside one written as made; the file holds the deflated
    /// bytes (a repetitive section shrinks), and `read` hands them over as
    /// they are in the file.
    #[test]
    fn deflated_sections_inflate_back_to_what_was_made() {
        let dir = tempfile::tempdir().unwrap();
        let text = "居民反映楼道灯不亮，已联系物业。".repeat(5_000);
        let p = dir.path().join("z");
        write_made_at(&p, b"HEAD", &[Pack::Deflate(6), Pack::Raw, Pack::Deflate(2), Pack::Deflate(1)], |w| {
            w.section(|o| text.as_bytes().chunks(999).try_for_each(|c| o.write_all(c)))?;
            w.section(|o| o.write_all(b"plain"))?;
            w.section(|_| Ok(()))?;
            w.section(|o| o.write_all(&[7u8; 70_000]))
        })
        .unwrap();
        let bytes = std::fs::read(&p).unwrap();
        assert!(bytes.len() < text.len() / 20, "{} bytes", bytes.len());
        let lens: Vec<usize> =
            (0..4).map(|i| u64::from_le_bytes(bytes[4 + 8 * i..12 + 8 * i].try_into().unwrap()) as usize).collect();
        let mut at = 4 + 4 * 8 + 4;
        let mut sections = vec![];
        for len in lens {
            sections.push(&bytes[at..at + len]);
            at += len;
        }
        assert_eq!(at, bytes.len());
        assert_eq!(inflate(sections[0]).unwrap(), text.as_bytes());
        assert_eq!(sections[1], b"plain", "a section without a level is written as made");
        assert_eq!(inflate(sections[2]).unwrap(), b"");
        assert_eq!(inflate(sections[3]).unwrap(), vec![7u8; 70_000]);
    }

    /// A deflated section that does not inflate to exactly the length it
    /// names is refused, and a length deflate cannot reach is not even
    /// allocated for: never a panic, never a shorter or longer section.
    #[test]
    fn a_deflated_section_inflates_only_to_the_length_it_names() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("z");
        let data: Vec<u8> = (0..50_000u32).map(|i| (i % 97) as u8).collect();
        write_made_at(&p, b"", &[Pack::Deflate(6)], |w| w.section(|o| o.write_all(&data))).unwrap();
        let good = std::fs::read(&p).unwrap()[12..].to_vec();
        assert_eq!(inflate(&good).unwrap(), data);
        let with_len = |n: u64| {
            let mut b = good.clone();
            let at = b.len() - 8;
            b[at..].copy_from_slice(&n.to_le_bytes());
            b
        };
        assert!(inflate(&with_len(data.len() as u64 + 1)).is_none(), "names one byte more");
        assert!(inflate(&with_len(data.len() as u64 - 1)).is_none(), "names one byte less");
        assert!(inflate(&with_len(u64::MAX)).is_none(), "a length no stream can reach");
        // the stream cut short, a byte more after it, its bytes flipped
        let mut cut = good[..good.len() - 8 - 10].to_vec();
        cut.extend_from_slice(&(data.len() as u64).to_le_bytes());
        assert!(inflate(&cut).is_none(), "cut short");
        let mut more = good[..good.len() - 8].to_vec();
        more.push(0);
        more.extend_from_slice(&(data.len() as u64).to_le_bytes());
        assert!(inflate(&more).is_none(), "a byte after the stream");
        let mut flipped = good.clone();
        for b in &mut flipped[..20] {
            *b ^= 0xa5;
        }
        assert_ne!(inflate(&flipped).as_deref(), Some(&data[..]));
        assert!(inflate(&[]).is_none() && inflate(&[0; 7]).is_none(), "shorter than its length");
    }

    /// The sections of one copy in `bytes`, after a header of `head` bytes.
    fn sections_of(bytes: &[u8], head: usize, count: usize) -> Vec<&[u8]> {
        let lens: Vec<usize> = (0..count)
            .map(|i| u64::from_le_bytes(bytes[head + 8 * i..head + 8 + 8 * i].try_into().unwrap()) as usize)
            .collect();
        let mut at = head + count * 8 + 4;
        let mut out = vec![];
        for len in lens {
            out.push(&bytes[at..at + len]);
            at += len;
        }
        assert_eq!(at, bytes.len());
        out
    }

    /// Sections written in LZ4 blocks (issue 19y) unpack to what was made:
    /// one of several blocks (the last one short), one of exactly one
    /// block, an empty one; beside a deflated one and one as made.
    #[test]
    fn lz4_sections_unpack_to_what_was_made() {
        let dir = tempfile::tempdir().unwrap();
        let text = "居民反映楼道灯不亮，已联系物业。".repeat(60_000);
        assert!(text.len() > 2 * LZ4_BLOCK);
        let noise: Vec<u8> = (0..LZ4_BLOCK as u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        let p = dir.path().join("z");
        let packs = [Pack::Lz4, Pack::Lz4, Pack::Lz4, Pack::Deflate(6), Pack::Raw];
        write_made_at(&p, b"HEAD", &packs, |w| {
            w.section(|o| text.as_bytes().chunks(99_999).try_for_each(|c| o.write_all(c)))?;
            w.section(|o| o.write_all(&noise))?;
            w.section(|_| Ok(()))?;
            w.section(|o| o.write_all(b"deflated"))?;
            w.section(|o| o.write_all(b"plain"))
        })
        .unwrap();
        let bytes = std::fs::read(&p).unwrap();
        let s = sections_of(&bytes, 4, 5);
        assert!(s[0].len() < text.len() / 10, "a repetitive section shrinks: {} bytes", s[0].len());
        assert_eq!(unlz4(s[0]).unwrap(), text.as_bytes());
        assert_eq!(unlz4(s[1]).unwrap(), noise);
        assert_eq!(s[2], 0u64.to_le_bytes(), "empty: no block, the length");
        assert_eq!(unlz4(s[2]).unwrap(), b"");
        for (i, pack) in packs.into_iter().enumerate() {
            assert_eq!(
                unpack(s[i], pack),
                [text.as_bytes(), &noise, b"", b"deflated", b"plain"].get(i).map(|b| b.to_vec())
            );
        }
        assert!(inflate(s[0]).is_none() && unlz4(s[3]).is_none(), "one codec's section is not the other's");
    }

    /// A section of LZ4 blocks that does not unpack to exactly the lengths
    /// it names is refused, and lengths no block can reach are not even
    /// allocated for: never a panic, never a shorter or longer section.
    #[test]
    fn an_lz4_section_unpacks_only_to_the_lengths_it_names() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("z");
        let data: Vec<u8> = (0..(LZ4_BLOCK as u32 + 50_000)).map(|i| (i % 97) as u8 ^ (i >> 11) as u8).collect();
        write_made_at(&p, b"", &[Pack::Lz4], |w| w.section(|o| o.write_all(&data))).unwrap();
        let good = std::fs::read(&p).unwrap()[12..].to_vec();
        assert_eq!(unlz4(&good).unwrap(), data);
        let set = |at: usize, v: &[u8]| {
            let mut b = good.clone();
            b[at..at + v.len()].copy_from_slice(v);
            b
        };
        let end = good.len() - 8;
        assert!(unlz4(&set(end, &(data.len() as u64 + 1).to_le_bytes())).is_none(), "names one byte more");
        assert!(unlz4(&set(end, &(data.len() as u64 - 1).to_le_bytes())).is_none(), "names one byte less");
        assert!(unlz4(&set(end, &u64::MAX.to_le_bytes())).is_none(), "a length no section can reach");
        // the first block's length as made: one less, one more, more than a block
        let first = LZ4_BLOCK as u32;
        assert!(unlz4(&set(0, &(first - 1).to_le_bytes())).is_none(), "a block naming one byte less");
        assert!(unlz4(&set(0, &(first + 1).to_le_bytes())).is_none(), "more than a block");
        // the first block's packed length pointing past its end or short of it
        let packed = u32::from_le_bytes(good[4..8].try_into().unwrap());
        assert!(unlz4(&set(4, &(packed + 1).to_le_bytes())).is_none(), "packed length one more");
        assert!(unlz4(&set(4, &(packed - 1).to_le_bytes())).is_none(), "packed length one less");
        assert!(unlz4(&set(4, &u32::MAX.to_le_bytes())).is_none(), "packed length past the end");
        // the second block: made so short that nothing can stretch it to its length
        let second = 8 + packed as usize;
        let mut stretched = good[..second].to_vec();
        stretched.extend_from_slice(&50_000u32.to_le_bytes());
        stretched.extend_from_slice(&1u32.to_le_bytes());
        stretched.push(0);
        stretched.extend_from_slice(&(data.len() as u64).to_le_bytes());
        assert!(unlz4(&stretched).is_none(), "one byte for 50,000");
        // cut short, a byte more, its bytes flipped
        let mut cut = good[..end - 10].to_vec();
        cut.extend_from_slice(&(data.len() as u64).to_le_bytes());
        assert!(unlz4(&cut).is_none(), "cut short");
        let mut more = good[..end].to_vec();
        more.push(0);
        more.extend_from_slice(&(data.len() as u64).to_le_bytes());
        assert!(unlz4(&more).is_none(), "a byte after the blocks");
        for at in [8, 20, 1000, second + 8, second + 40] {
            let mut flipped = good.clone();
            for b in &mut flipped[at..at + 16] {
                *b ^= 0xa5;
            }
            assert_ne!(unlz4(&flipped).as_deref(), Some(&data[..]), "flipped at {at}");
        }
        assert!(unlz4(&[]).is_none() && unlz4(&[0; 7]).is_none(), "shorter than its length");
    }

    /// The sequences of one LZ4 block: `(literals, Some((back, len)))`,
    /// the last without a match; panics on a block that breaks the format.
    fn sequences(b: &[u8]) -> Vec<(usize, Option<(usize, usize)>)> {
        let (mut i, mut out) = (0, vec![]);
        let more = |i: &mut usize, mut n: usize| {
            loop {
                let x = b[*i] as usize;
                *i += 1;
                n += x;
                if x != 255 {
                    return n;
                }
            }
        };
        loop {
            let t = b[i] as usize;
            i += 1;
            let lit = if t >> 4 == 15 { more(&mut i, 15) } else { t >> 4 };
            i += lit;
            if i == b.len() {
                out.push((lit, None));
                return out;
            }
            let back = u16::from_le_bytes([b[i], b[i + 1]]) as usize;
            i += 2;
            let len = 4 + if t & 15 == 15 { more(&mut i, 15) } else { t & 15 };
            out.push((lit, Some((back, len))));
        }
    }

    /// Bytes like the search text: phrases, numbers, addresses.
    fn texty(n: usize, seed: u32) -> Vec<u8> {
        let words = [
            "楼道灯不亮",
            "居民反映",
            "已联系物业",
            "3-2-301",
            "停车位被占",
            "漏水",
            "幸福小区",
            "，",
            "。",
            "电梯异响",
        ];
        let mut x = seed;
        let mut out = vec![];
        while out.len() < n {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            out.extend_from_slice(words[(x >> 16) as usize % words.len()].as_bytes());
            if x.is_multiple_of(7) {
                out.extend_from_slice(format!("{}", x % 100_000).as_bytes());
            }
        }
        out.truncate(n);
        out
    }

    /// The harder-packing LZ4 blocks (issue 19zc) unpack, with `lz4_flex`'s
    /// decoder, to what was made, whatever it is: empty, shorter than a
    /// match may be, one byte over and over (matches overlapping their
    /// source), literals and matches longer than a token holds, repeats
    /// farther back than LZ4 may point, noise, a whole block of text. Each
    /// keeps the format's rules (every match within 64 KB, starting 12
    /// bytes or more before the end, the last 5 bytes literals); and
    /// text packs a fifth tighter than `lz4_flex`'s own packer.
    #[test]
    fn lz4_blocks_packed_harder_unpack_to_what_was_made() {
        let noise: Vec<u8> = (0..300_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        let far = [&noise[..70_000], &noise[..70_000], b"tail of it all"].concat();
        let mut cases: Vec<Vec<u8>> = vec![
            vec![],
            b"a".to_vec(),
            b"abcdabcdabc".to_vec(),
            b"abcdabcdabcd".to_vec(),
            b"abcdabcdabcdabcd".to_vec(),
            vec![7; 100_000],
            [noise[..5_000].to_vec(), vec![1; 5_000], noise[..5_000].to_vec()].concat(),
            far,
            noise.clone(),
            texty(LZ4_BLOCK, 1),
        ];
        cases.extend((0..40).map(|n| texty(n, n as u32)));
        let mut packer = Lz4Packer::default();
        for (k, made) in cases.iter().enumerate() {
            let mut block = vec![];
            packer.pack(made, &mut block);
            let back = lz4_flex::block::decompress(&block, made.len()).unwrap_or_else(|e| panic!("case {k}: {e}"));
            assert!(back == *made, "case {k}: not what was made");
            let (mut at, seqs) = (0, sequences(&block));
            for (lit, m) in &seqs {
                at += lit;
                if let Some((back, len)) = *m {
                    assert!(back >= 1 && back <= at && back <= 65_535, "case {k}: a match {back} back at {at}");
                    assert!(at + 12 <= made.len(), "case {k}: a match at {at} of {}", made.len());
                    at += len;
                }
            }
            assert_eq!(at, made.len(), "case {k}");
            assert!(seqs.last().unwrap().0 >= 5.min(made.len()), "case {k}: the last 5 bytes literals");
        }
        let text = texty(LZ4_BLOCK, 9);
        let mut block = vec![];
        packer.pack(&text, &mut block);
        let quick = lz4_flex::block::compress(&text).len();
        assert!(block.len() * 5 < quick * 4, "{} bytes against lz4_flex's {quick}", block.len());
        let repeated = vec![7u8; 100_000];
        block.clear();
        packer.pack(&repeated, &mut block);
        assert!(block.len() < 500, "one byte over and over: {} bytes", block.len());
    }

    /// Each sequence of a block (literals, match) keeps LZ4's rules, a match
    /// reaching at most `dict` bytes before the block (into the dictionary
    /// right before it): the greatest reach into the dictionary.
    fn keeps_the_rules(block: &[u8], made: &[u8], dict: usize, k: usize) -> usize {
        let (mut at, mut reach, seqs) = (0, 0, sequences(block));
        for (lit, m) in &seqs {
            at += lit;
            if let Some((back, len)) = *m {
                assert!(back >= 1 && back <= at + dict && back <= 65_535, "case {k}: a match {back} back at {at}");
                assert!(at + 12 <= made.len(), "case {k}: a match at {at} of {}", made.len());
                reach = reach.max(back.saturating_sub(at));
                at += len;
            }
        }
        assert_eq!(at, made.len(), "case {k}");
        assert!(seqs.last().unwrap().0 >= 5.min(made.len()), "case {k}: the last 5 bytes literals");
        reach
    }

    /// The dictionary-aware packer (issue 19zh): blocks of every kind unpack
    /// with `lz4_flex`'s decoder against the dictionary (or without one) to
    /// what was made, keeping LZ4's rules; a block that repeats the
    /// dictionary is a few matches reaching into it (one crossing from the
    /// dictionary into the block); text packs a fifth tighter than
    /// `lz4_flex`'s packer against the same dictionary; and a block packs
    /// the same whatever was packed before it (the heads put back).
    #[test]
    fn blocks_packed_against_a_dictionary_unpack_to_what_was_made() {
        let noise: Vec<u8> = (0..20_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        let dict = texty(64 << 10, 3);
        let tail = &dict[dict.len() - 300..];
        let mut cases: Vec<Vec<u8>> = vec![
            vec![],
            b"a".to_vec(),
            b"abcdabcdabc".to_vec(),
            b"abcdabcdabcd".to_vec(),
            vec![7; 8 << 10],
            noise[..8 << 10].to_vec(),
            texty(8 << 10, 5),
            texty(30_000, 6),
            dict[1_000..9_000].to_vec(),
            // the dictionary's last bytes, then again: a match from the
            // dictionary running on into the block
            [tail, tail, b"and the end of it".as_slice()].concat(),
        ];
        cases.extend((0..40).map(|n| dict[n * 50..n * 51].to_vec()));
        cases.extend((0..40).map(|n| texty(n, n as u32)));
        for d in [&dict[..], &[][..]] {
            let mut packer = DictPacker::new(d);
            let mut first = Vec::new();
            for round in 0..2 {
                for (k, made) in cases.iter().enumerate() {
                    let mut block = vec![];
                    packer.pack(made, &mut block);
                    let mut back = vec![0u8; made.len()];
                    let got = lz4_flex::block::decompress_into_with_dict(&block, &mut back, d)
                        .unwrap_or_else(|e| panic!("case {k}: {e}"));
                    assert!(got == made.len() && back == *made, "case {k}: not what was made");
                    let reach = keeps_the_rules(&block, made, d.len(), k);
                    if d.is_empty() {
                        assert_eq!(reach, 0, "case {k}");
                        assert!(lz4_flex::block::decompress(&block, made.len()).is_ok_and(|b| b == *made));
                    } else if k == 8 {
                        assert!(
                            reach > 50_000 && block.len() < 100,
                            "{reach} into the dictionary, {} bytes",
                            block.len()
                        );
                    } else if k == 9 {
                        assert!(block.len() < 60, "a match across: {} bytes", block.len());
                    }
                    if round == 0 {
                        first.push(block);
                    } else {
                        assert!(first[k] == block, "case {k} packed otherwise the second time");
                    }
                }
            }
        }
        let text = texty(8 << 10, 9);
        let mut block = vec![];
        DictPacker::new(&dict).pack(&text, &mut block);
        let quick = lz4_flex::block::compress_with_dict(&text, &dict).len();
        assert!(block.len() * 5 < quick * 4, "{} bytes against lz4_flex's {quick}", block.len());
    }

    #[test]
    fn reads_back_only_what_it_wrote_at_the_same_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.snapshot");
        write(&p, MAGIC, 1, S, &[b"abc", b"", "楼道".as_bytes()]).unwrap();
        let got = read(&p, MAGIC, 1, S).unwrap();
        assert_eq!(got, vec![b"abc".to_vec(), vec![], "楼道".as_bytes().to_vec()]);
        // another generation, tail, format or magic: not used
        assert!(read(&p, MAGIC, 1, Stamp { generation: 8, ..S }).is_none());
        assert!(read(&p, MAGIC, 1, Stamp { tail: 43, ..S }).is_none());
        assert!(read(&p, MAGIC, 2, S).is_none());
        assert!(read(&p, b"LINLIXXX", 1, S).is_none());
        // no temporary file left behind
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("t.snapshot")]);
    }

    #[test]
    fn a_damaged_or_cut_copy_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.snapshot");
        write(&p, MAGIC, 1, S, &[b"abcdef", b"ghi"]).unwrap();
        let good = std::fs::read(&p).unwrap();
        // one bit of a section flipped
        let mut bad = good.clone();
        *bad.last_mut().unwrap() ^= 1;
        std::fs::write(&p, &bad).unwrap();
        assert!(read(&p, MAGIC, 1, S).is_none());
        // cut short, or longer than its header says
        std::fs::write(&p, &good[..good.len() - 1]).unwrap();
        assert!(read(&p, MAGIC, 1, S).is_none());
        let mut long = good.clone();
        long.push(0);
        std::fs::write(&p, &long).unwrap();
        assert!(read(&p, MAGIC, 1, S).is_none());
        // a header asking for too many sections
        let mut many = good.clone();
        many[24..28].copy_from_slice(&1000u32.to_le_bytes());
        std::fs::write(&p, &many).unwrap();
        assert!(read(&p, MAGIC, 1, S).is_none());
        std::fs::write(&p, &good).unwrap();
        assert!(read(&p, MAGIC, 1, S).is_some());
    }
}
