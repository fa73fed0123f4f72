//! A saved copy of the in-memory request index, so that start-up reads one
//! file instead of decoding every record in sled (which is slower and makes
//! sled hold most of the store in memory for the rest of the session).
//!
//! The copy is a cache, never the truth: it names the store generation it
//! was made at, and is used only if the store is still at that generation
//! and its checksum holds; otherwise the index is rebuilt from the records
//! and the copy written again. Deleting the file is always safe.
//!
//! Layout: `LINLIIDX`, format u32, generation u64, five section lengths
//! u64, CRC-32 of the sections u32, then the sections: the rows, the
//! residents' arena, the order of their initials and the overview's
//! figures (postcard), the search text, the titles (raw UTF-8), the
//! lists of pieces of text of the rows and of the residents (see
//! `rows::grams`). Each section is deflated (`saved_copy::write_made_at`:
//! a deflate stream, then the length it inflates to); the lengths and the
//! checksum are those of the bytes in the file, which is checked whole
//! before anything is inflated. Deflated, the large set's copy is 10.9 MB
//! instead of 36 (the search text 19.4 → 2.2 MB); see `LEVELS`.
//!
//! The app alone starts reading the file (`read_ahead`) before it opens the
//! store; `load` then decodes what was read if it matches the store.

use super::rows::{Grams, RequestIndex};
use super::{Store, StoreError};
use crate::domain::Resident;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const MAGIC: &[u8; 8] = b"LINLIIDX";
/// 2: residents' tags kept one by one rather than joined with 、 (a copy in
/// an older format is not read: the index is rebuilt from the records
/// once). 3: a resident's initials hold every reading of the name
/// (`domain::pinyin::Initials`), so `wjx` and `yjx` both find 尉健行.
/// 4: the lists of pieces of text; removed rows kept, marked.
/// 5: rows carry the callback's answer and whether resolved on time (the
/// overview's figures).
/// 6: the residents in one arena (`rows::ResidentKeys`), the order of their
/// initials, the overview's figures and the open rows by due date saved
/// in the first section (loading made 240,000 allocations for the
/// residents, sorted the initials and counted the figures).
/// 7: every section deflated (issue 19r: the disk). A copy in format 6 is
/// rebuilt once, like every older one.
const FORMAT: u32 = 7;
const SECTIONS: usize = 5;
/// Each section's deflate level (large set, `examples/diskprobe deflate`):
/// the search text shrinks most at the default level (19.4 MB → 2.2 at 6,
/// 2.7 at 3); the first section nearly as much at 3 as at 6 (7.3 → 3.0,
/// 2.9) in half the time; the lists of varint gaps and bit maps are as
/// small at 2 as at 6 (8.3 → 5.1). Writing the copy so takes ~0.4 s more
/// than writing it as made (at quit, after a restore), reading it ~50 ms
/// of inflating, on two threads.
const LEVELS: [Option<u32>; SECTIONS] = [Some(3), Some(6), Some(6), Some(2), Some(2)];
const HEADER: usize = 8 + 4 + 8 + 8 * SECTIONS + 4;

pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join("index.snapshot")
}

/// Writes the index as made at `generation` (sealing it first, see
/// `RequestIndex::seal`): to a temporary name, synced, then renamed over
/// the old copy.
pub fn write(index: &mut RequestIndex, generation: u64, data_dir: &Path) -> std::io::Result<()> {
    if !index.is_sealed() {
        index.seal();
    }
    let mut head = MAGIC.to_vec();
    head.extend(FORMAT.to_le_bytes());
    head.extend(generation.to_le_bytes());
    // (a name of its own: the server's index loader and a command it runs
    // may both write the copy at once)
    super::saved_copy::write_made_at(&path(data_dir), &head, &LEVELS, |w| index.write_sections(w))
}

/// The index of every request and resident: the saved copy when it matches
/// the store, else built from the records and saved for the next time (a
/// failure to save only costs the next start the same work). Returns
/// whether it came from the saved copy.
pub fn load(store: &Store) -> Result<(RequestIndex, bool), StoreError> {
    let generation = store.generation()?;
    if let Some(index) = take_ahead(store.dir(), generation) {
        return Ok((index, true));
    }
    if let Some(index) = read(store.dir(), generation) {
        return Ok((index, true));
    }
    let mut index = rebuild(store)?;
    let _ = write(&mut index, generation, store.dir());
    Ok((index, false))
}

/// The index built from the records, sealed.
pub fn rebuild(store: &Store) -> Result<RequestIndex, StoreError> {
    // one resident at a time: each is kept only as its search key
    let mut index = RequestIndex::default();
    store.scan(|r: Resident| index.upsert_resident(&r))?;
    store.scan_requests(|r| index.upsert(&r))?;
    // the records decoded one by one leave free pages all through the
    // heap: given back before the lists are built, not after (issue 19o)
    crate::platform::memory::give_back();
    index.seal();
    Ok(index)
}

/// Makes the saved copy match the store, after a command wrote to it
/// (an import, a restore): the next start then reads the copy instead of
/// every record.
pub fn refresh(store: &Store) -> Result<(), StoreError> {
    let generation = store.generation()?;
    if made_at(store.dir()) == Some(generation) {
        return Ok(());
    }
    let mut index = rebuild(store)?;
    write(&mut index, generation, store.dir()).map_err(|e| StoreError::from_io(&e))
}

/// The generation the saved copy says it was made at (its header only).
pub fn made_at(data_dir: &Path) -> Option<u64> {
    let mut h = [0u8; HEADER];
    File::open(path(data_dir)).ok()?.read_exact(&mut h).ok()?;
    (&h[..8] == MAGIC && h[8..12] == FORMAT.to_le_bytes())
        .then(|| u64::from_le_bytes(h[12..20].try_into().unwrap_or([0; 8])))
}

/// Reads the copy if it was made at `generation` and is whole.
pub fn read(data_dir: &Path, generation: u64) -> Option<RequestIndex> {
    read_made(data_dir, generation)
}

/// A read of the saved copy started before the store opened (`read_ahead`).
type Ahead = (PathBuf, std::thread::JoinHandle<Option<Raw>>);

static AHEAD: Mutex<Option<Ahead>> = Mutex::new(None);

/// Starts reading the saved copy in `data_dir` on a thread of its own, so
/// that the file is read and checksummed while the store opens. Only the
/// reading: decoding it there too was tried twice (issue 19h, when the
/// residents were 240,000 small allocations: the first frame came 150 ms
/// later; issue 19i, with the residents in one arena: on busy cores the
/// first frame came later and the search was usable no sooner, see
/// BENCHMARKS.md). The next `load` of a store in `data_dir` takes the bytes
/// if they were made at the store's generation, and drops them otherwise.
/// Call it before the store opens.
pub fn read_ahead(data_dir: &Path) {
    let dir = data_dir.to_path_buf();
    let at = dir.clone();
    let started = std::thread::Builder::new().name("index-read".into()).spawn(move || read_raw(&at));
    if let (Ok(handle), Ok(mut slot)) = (started, AHEAD.lock()) {
        *slot = Some((dir, handle));
    }
}

/// The index from what `read_ahead` read for `data_dir` (waiting for it),
/// if that was made at `generation` and is whole.
fn take_ahead(data_dir: &Path, generation: u64) -> Option<RequestIndex> {
    let handle = {
        let mut slot = AHEAD.lock().ok()?;
        // another store's read stays for its own load
        if slot.as_ref()?.0 != data_dir {
            return None;
        }
        slot.take()?.1
    };
    let raw = handle.join().ok().flatten()?;
    if raw.generation != generation {
        return None;
    }
    from_raw(raw)
}

/// The index from a whole copy read.
fn from_raw(raw: Raw) -> Option<RequestIndex> {
    let part = RequestIndex::decode_meta(&raw.meta)?;
    let Rest { hay, titles, grams, res_grams } = raw.rest;
    RequestIndex::with_text(part, hay, titles, grams, res_grams)
}

/// The saved copy read, checksummed and inflated, its first section not
/// decoded.
struct Raw {
    generation: u64,
    meta: Vec<u8>,
    rest: Rest,
}

/// The sections after the first, inflated.
struct Rest {
    hay: Vec<u8>,
    titles: String,
    grams: Grams,
    res_grams: Grams,
}

/// `len` bytes from `f` (not zeroed first: a third less time than
/// `read_exact` into a new buffer).
fn section(f: &mut File, len: u64) -> Option<Vec<u8>> {
    let mut v = Vec::with_capacity(usize::try_from(len).ok()?);
    Read::by_ref(f).take(len).read_to_end(&mut v).ok()?;
    (v.len() as u64 == len).then_some(v)
}

/// A deflated section inflated, its deflated bytes let go of at once.
fn inflated(z: Vec<u8>) -> Option<Vec<u8>> {
    super::saved_copy::inflate(&z)
}

/// The sections after the first inflated (the search text on this thread,
/// the lists on another).
fn inflate_rest(hay: Vec<u8>, titles: Vec<u8>, grams: Vec<u8>, res_grams: Vec<u8>) -> Option<Rest> {
    std::thread::scope(|s| {
        let lists = std::thread::Builder::new()
            .spawn_scoped(s, move || {
                let grams = inflated(grams).and_then(Grams::from_bytes);
                let res_grams = inflated(res_grams).and_then(Grams::from_bytes);
                Some((grams?, res_grams?))
            })
            .ok()?;
        let hay = inflated(hay);
        let titles = inflated(titles).and_then(|t| String::from_utf8(t).ok());
        let (grams, res_grams) = lists.join().ok()??;
        Some(Rest { hay: hay?, titles: titles?, grams, res_grams })
    })
}

/// The five sections of a copy, by name.
type Five = (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>);

/// The saved copy opened, its header read and checked against the file's
/// length (and against `want`, if given), and its sections read as they
/// are in the file, if their checksum holds: the generation and the
/// sections (still deflated).
fn read_packed(data_dir: &Path, want: Option<u64>) -> Option<(u64, Five)> {
    let mut f = File::open(path(data_dir)).ok()?;
    let mut h = [0u8; HEADER];
    f.read_exact(&mut h).ok()?;
    let u64_at = |i: usize| u64::from_le_bytes(h[i..i + 8].try_into().unwrap_or([0; 8]));
    let generation = u64_at(12);
    if &h[..8] != MAGIC || h[8..12] != FORMAT.to_le_bytes() || want.is_some_and(|g| g != generation) {
        return None;
    }
    let lens: Vec<u64> = (0..SECTIONS).map(|i| u64_at(20 + 8 * i)).collect();
    let at = 20 + 8 * SECTIONS;
    let want_crc = u32::from_le_bytes(h[at..at + 4].try_into().ok()?);
    let file_len = f.metadata().ok()?.len();
    let total = lens.iter().try_fold(HEADER as u64, |a, &l| a.checked_add(l))?;
    if total != file_len {
        return None;
    }
    let mut crc = crc32fast::Hasher::new();
    let mut packed = Vec::with_capacity(SECTIONS);
    for len in lens {
        let v = section(&mut f, len)?;
        crc.update(&v);
        packed.push(v);
    }
    if crc.finalize() != want_crc {
        return None;
    }
    let mut it = packed.into_iter();
    Some((generation, (it.next()?, it.next()?, it.next()?, it.next()?, it.next()?)))
}

/// The whole copy read and inflated, if its checksum holds.
fn read_raw(data_dir: &Path) -> Option<Raw> {
    let (generation, (meta, hay, titles, grams, res_grams)) = read_packed(data_dir, None)?;
    std::thread::scope(|s| {
        let meta = std::thread::Builder::new().spawn_scoped(s, move || inflated(meta)).ok()?;
        let rest = inflate_rest(hay, titles, grams, res_grams)?;
        Some(Raw { generation, meta: meta.join().ok()??, rest })
    })
}

/// Reads the copy if it is whole and made at `generation`: read and
/// checksummed whole, then inflated and decoded on two threads (this one
/// inflates and decodes the rows and residents).
fn read_made(data_dir: &Path, generation: u64) -> Option<RequestIndex> {
    let (_, (meta, hay, titles, grams, res_grams)) = read_packed(data_dir, Some(generation))?;
    std::thread::scope(|s| {
        let rest =
            std::thread::Builder::new().spawn_scoped(s, move || inflate_rest(hay, titles, grams, res_grams)).ok()?;
        let part = inflated(meta).and_then(|m| RequestIndex::decode_meta(&m));
        let rest = rest.join().ok()??;
        RequestIndex::with_text(part?, rest.hay, rest.titles, rest.grams, rest.res_grams)
    })
}
