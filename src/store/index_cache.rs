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
//! figures (postcard), the search text (as the index keeps it: 8 KB LZ4
//! blocks and their dictionary, `rows::hay`), the titles (raw UTF-8), the
//! lists of pieces of text of the rows and of the residents (see
//! `rows::grams`). The first and the titles are in LZ4 blocks, the lists
//! deflated (`saved_copy::Pack`, see `PACKS`); the lengths and the
//! checksum are those of the bytes in the file, which is checked whole
//! before anything is unpacked. So packed, the large set's copy is ~13 MB
//! instead of 36 (the search text 19.4 → 4.0 MB); see `PACKS`.
//!
//! The app alone starts reading the file (`read_ahead`) before it opens the
//! store; `load` then decodes what was read if it matches the store. The
//! app and the store server take it in two steps (`load_later`, issue
//! 19t): the rows and search text first, which show the list and answer
//! every search; the lists (which only make a search faster) are inflated
//! after the index is handed over, and added to it when they are in.

use super::rows::{Grams, RequestIndex};
use super::saved_copy::Pack;
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
/// 8: the first section in LZ4 blocks instead of deflated (issue 19y: it
/// was the longest step between the start and a usable search, 10.6 ms of
/// inflating on the large set's requests, now ~2.5; 1.3 MB more on disk).
/// A copy in format 7 is rebuilt once.
/// 9: the search text and the titles in LZ4 blocks too, every LZ4 block
/// packed harder (`saved_copy::Lz4Packer`, issue 19zc): the text unpacks
/// ~3× quicker than it inflated, and the copy is smaller (the first
/// section packs tighter). A copy in format 8 is rebuilt once.
/// 10: the search text as the index keeps it in memory, in small LZ4
/// blocks against a shared dictionary (`rows::hay`, issue 19ze): saved
/// and read as it is, not packed again nor unpacked at start. A copy in
/// format 9 is rebuilt once.
/// 11: that text laid out by windows of rows, each sorted by its text
/// (`RequestIndex::compact_hay`, issue 19zi): a copy in format 10 is
/// rebuilt once, to be laid out.
pub const FORMAT: u32 = 11;
const SECTIONS: usize = 5;
/// How each section is written. The first (rows, residents, figures) and
/// the search text and titles in LZ4 blocks: they are unpacked before the
/// search is usable (format 8, issue 19y: the first; format 9, issue
/// 19zc: the text, which inflated in ~16 ms, and every LZ4 block packed
/// by `saved_copy`'s own packer, which looks harder for matches than
/// `lz4_flex`'s: the first section 4.2 → 3.5 MB, the text 2.3 MB against
/// 2.2 deflated). The lists deflated at 2, as small as at 6 (8.3 → 5.1
/// MB, `examples/diskprobe deflate`); they are inflated after the index is
/// handed over ([`load_later`]).
/// Since format 10 the search text is written as the index holds it,
/// packed already (`Raw`).
pub const PACKS: [Pack; SECTIONS] = [Pack::Lz4, Pack::Raw, Pack::Lz4, Pack::Deflate(2), Pack::Deflate(2)];
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
    super::saved_copy::write_made_at(&path(data_dir), &head, &PACKS, |w| index.write_sections(w))
}

/// The index of every request and resident: the saved copy when it matches
/// the store, else built from the records and saved for the next time (a
/// failure to save only costs the next start the same work). Returns
/// whether it came from the saved copy.
pub fn load(store: &Store) -> Result<(RequestIndex, bool), StoreError> {
    let (mut index, from_copy, later) = load_later(store)?;
    if let Some(later) = later
        && !later.inflate().add_to(&mut index)
    {
        // (its checksum held: never so, unless the writer erred) the lists
        // built from the copy's own rows
        index.seal();
    }
    Ok((index, from_copy))
}

/// As [`load`], but a saved copy's lists not yet inflated: the index
/// shows its rows and answers every search at once (reading the rows
/// themselves until the lists are added, see
/// `RequestIndex::with_text_later`); [`LaterLists::inflate`], called once
/// the index is handed over, makes them. The lists are 8.3 MB of the large
/// set's 36 and barely deflate (to 5.7): inflating them (~20 ms) was half
/// of what a deflated copy added to a start, and kept the cores busy while
/// the first frame was drawn.
pub fn load_later(store: &Store) -> Result<(RequestIndex, bool, Option<LaterLists>), StoreError> {
    let generation = store.generation()?;
    let ahead = take_ahead(store.dir(), generation);
    if let Some((index, later)) = ahead.or_else(|| read_later(store.dir(), Some(generation)).and_then(from_early)) {
        return Ok((index, true, Some(later)));
    }
    let mut index = rebuild(store)?;
    let _ = write(&mut index, generation, store.dir());
    Ok((index, false, None))
}

/// A saved copy's lists, still deflated ([`load_later`]).
pub struct LaterLists {
    token: u64,
    grams: Vec<u8>,
    res_grams: Vec<u8>,
}

impl LaterLists {
    /// The lists inflated (their deflated bytes let go of as they are).
    pub fn inflate(self) -> Lists {
        let grams = inflated(self.grams).and_then(Grams::from_bytes);
        let res_grams = inflated(self.res_grams).and_then(Grams::from_bytes);
        Lists { token: self.token, lists: grams.zip(res_grams) }
    }
}

/// A saved copy's lists, inflated (or `None`: they could not be).
pub struct Lists {
    token: u64,
    lists: Option<(Grams, Grams)>,
}

impl Lists {
    /// Adds them to the index they came with (`RequestIndex::add_lists`):
    /// `false` if it is another index, or they do not fit it (it then
    /// builds its own when a search needs them).
    pub fn add_to(self, index: &mut RequestIndex) -> bool {
        index.add_lists(self.token, self.lists)
    }
}

/// The step at which [`rebuild`] has sled count its cache (see
/// `Store::paced`): every 1.5 MB read instead of every 6 MB. What sled
/// holds between two counts is what the heap grows by while every record
/// is read, and the pages it keeps after each count stay scattered across
/// that growth where the allocator cannot give it back: on the large set
/// the scan alone left the process 7 MB larger than the store had opened
/// at (3 MB at this step), for the rest of the session (issue 19, a stale
/// start then two panels 83 MB). ~30 counts more, ~0.1–0.2 s of the
/// ~1.5 s the records take to read (BENCHMARKS.md, issue 19zb).
pub const REBUILD_BYTES: usize = 1536 << 10;

/// The index built from the records, sealed.
pub fn rebuild(store: &Store) -> Result<RequestIndex, StoreError> {
    // one resident at a time: each is kept only as its search key
    let mut index = RequestIndex::to_rebuild();
    let paced = store.paced(REBUILD_BYTES);
    paced.scan(|r: Resident| index.upsert_resident(&r))?;
    paced.scan(|r: crate::domain::Request| index.upsert(&r))?;
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
    let (mut index, later) = from_early(read_later(data_dir, Some(generation))?)?;
    later.inflate().add_to(&mut index).then_some(index)
}

/// A read of the saved copy started before the store opened (`read_ahead`):
/// the generation it was made at, the index from its rows and search text,
/// its lists to come.
type Ahead = (PathBuf, std::thread::JoinHandle<Option<(u64, RequestIndex, LaterLists)>>);

static AHEAD: Mutex<Option<Ahead>> = Mutex::new(None);

/// Starts reading the saved copy in `data_dir` on a thread of its own, so
/// that the file is read, checksummed, its first section unpacked and
/// decoded and its titles unpacked (on a second thread) while the
/// store opens (its lists later, see [`load_later`]; the search text is
/// kept packed as read, format 10).
///
/// Decoded here since issue 19zc. It had been tried three times and left
/// in the loader: issue 19h (the residents 240,000 small allocations: the
/// first frame came 150 ms later), 19i (on busy cores the first frame came
/// later, the search usable no sooner), 19w (decoded as soon as inflated:
/// no sooner in 16 rounds, the peak at start 1.4 MB higher). Then the
/// first section took 10.6 ms to inflate, so the decode began when sled's
/// opening was nearly over anyway. In LZ4 (format 8) it is unpacked in
/// ~2.5 ms, and decoded while sled waits for its log's sync (11–55 ms):
/// see BENCHMARKS.md, issue 19zc. The next `load` of a store in `data_dir`
/// takes what was read if it was made at the store's generation, and
/// drops it otherwise.
/// Call it before the store opens.
pub fn read_ahead(data_dir: &Path) {
    let dir = data_dir.to_path_buf();
    let at = dir.clone();
    let started = std::thread::Builder::new().name("index-read".into()).spawn(move || {
        let early = read_later(&at, None)?;
        let generation = early.generation;
        let (index, later) = from_early(early)?;
        Some((generation, index, later))
    });
    if let (Ok(handle), Ok(mut slot)) = (started, AHEAD.lock()) {
        *slot = Some((dir, handle));
    }
}

/// The index `read_ahead` made for `data_dir` (waiting for it), if its
/// copy was made at `generation`; its lists to come.
fn take_ahead(data_dir: &Path, generation: u64) -> Option<(RequestIndex, LaterLists)> {
    let handle = {
        let mut slot = AHEAD.lock().ok()?;
        // another store's read stays for its own load
        if slot.as_ref()?.0 != data_dir {
            return None;
        }
        slot.take()?.1
    };
    let (made_at, index, later) = handle.join().ok().flatten()?;
    (made_at == generation).then_some((index, later))
}

/// The index `read_ahead` made for the store's folder, if that is done
/// already (never waiting for it) and its copy was made at the store's
/// generation; its lists to come. The app takes it before its first frame
/// (which then shows the loaded list and answers every search) instead of
/// waiting for a loader thread and drawing twice. `None` if not done yet,
/// for another folder, or not the store's: a read not yet done stays for
/// [`load_later`]; one done for another generation is dropped (the
/// loader then reads the records, as it would have).
pub fn ready(store: &Store) -> Option<(RequestIndex, LaterLists)> {
    let done = AHEAD.lock().ok()?.as_ref().is_some_and(|(dir, h)| dir == store.dir() && h.is_finished());
    if !done {
        return None;
    }
    take_ahead(store.dir(), store.generation().ok()?)
}

/// Whether a read started by `read_ahead` for `data_dir` is still under
/// way (for tests, which wait for it without a clock).
pub fn reading_ahead(data_dir: &Path) -> bool {
    AHEAD.lock().is_ok_and(|s| s.as_ref().is_some_and(|(dir, h)| dir == data_dir && !h.is_finished()))
}

/// The index from a copy's first sections (the first decoded here while
/// the titles may still be unpacking), its lists to come.
fn from_early(early: Early) -> Option<(RequestIndex, LaterLists)> {
    let Early { meta, text, grams, res_grams, .. } = early;
    let part = RequestIndex::decode_meta(&meta);
    drop(meta);
    let (hay, titles) = text.join().ok().flatten()?;
    let index = RequestIndex::with_text_later(part?, &hay, titles)?;
    let later = LaterLists { token: index.later_token()?, grams, res_grams };
    Some((index, later))
}

/// A whole copy read and checksummed: its first section unpacked (not
/// decoded), its titles unpacking (its search text kept packed), its lists not.
struct Early {
    generation: u64,
    meta: Vec<u8>,
    text: std::thread::JoinHandle<Option<(Vec<u8>, String)>>,
    grams: Vec<u8>,
    res_grams: Vec<u8>,
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

/// The copy (made at `want`, if given) read and checked whole, then its
/// first section unpacked here while its search text inflates on a thread
/// (not waited for: the first section is decoded meanwhile, see
/// `from_early`).
fn read_later(data_dir: &Path, want: Option<u64>) -> Option<Early> {
    let (generation, (meta, hay, titles, grams, res_grams)) = read_packed(data_dir, want)?;
    let text = std::thread::Builder::new()
        .name("index-text".into())
        .spawn(move || {
            let unpack = |z: Vec<u8>| super::saved_copy::unlz4(&z);
            // (the search text is kept packed, as saved: format 10)
            Some((hay, String::from_utf8(unpack(titles)?).ok()?))
        })
        .ok()?;
    // (its packed bytes let go of at once)
    let meta = super::saved_copy::unlz4(&{ meta })?;
    Some(Early { generation, meta, text, grams, res_grams })
}
