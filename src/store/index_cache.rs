//! A saved copy of the in-memory request index, so that start-up reads one
//! file instead of decoding every record in sled (which is slower and makes
//! sled hold most of the store in memory for the rest of the session).
//!
//! The copy is a cache, never the truth: it names the store generation it
//! was made at, and is used only if the store is still at that generation
//! and its checksum holds; otherwise the index is rebuilt from the records
//! and the copy written again. Deleting the file is always safe.
//!
//! Layout: `LINLIIDX`, format u32, generation u64, three section lengths
//! u64, CRC-32 of the sections u32, then the sections: the rows and
//! residents (postcard), the search text, the titles (raw UTF-8). The two
//! large arenas are read straight into their strings, so loading needs
//! little more memory than the index itself.

use super::rows::RequestIndex;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"LINLIIDX";
/// 2: residents' tags kept one by one rather than joined with 、 (a copy in
/// format 1 is not read: the index is rebuilt from the records once).
/// 3: a resident's initials hold every reading of the name
/// (`domain::pinyin::Initials`), so `wjx` and `yjx` both find 尉健行.
const FORMAT: u32 = 3;
const HEADER: usize = 8 + 4 + 8 + 8 * 3 + 4;

pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join("index.snapshot")
}

/// Writes the index as made at `generation`: to a temporary name, synced,
/// then renamed over the old copy.
pub fn write(index: &RequestIndex, generation: u64, data_dir: &Path) -> std::io::Result<()> {
    let (meta, hay, titles) = index.to_sections().map_err(std::io::Error::other)?;
    let mut crc = crc32fast::Hasher::new();
    for s in [&meta[..], &hay[..], titles] {
        crc.update(s);
    }
    let tmp = data_dir.join("index.snapshot.tmp");
    {
        let mut f = BufWriter::new(crate::platform::private::create_file(&tmp)?);
        f.write_all(MAGIC)?;
        f.write_all(&FORMAT.to_le_bytes())?;
        f.write_all(&generation.to_le_bytes())?;
        for len in [meta.len(), hay.len(), titles.len()] {
            f.write_all(&(len as u64).to_le_bytes())?;
        }
        f.write_all(&crc.finalize().to_le_bytes())?;
        for s in [&meta[..], &hay[..], titles] {
            f.write_all(s)?;
        }
        f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    }
    std::fs::rename(&tmp, path(data_dir))
}

/// Reads the copy if it was made at `generation` and is whole.
pub fn read(data_dir: &Path, generation: u64) -> Option<RequestIndex> {
    let mut f = File::open(path(data_dir)).ok()?;
    let mut h = [0u8; HEADER];
    f.read_exact(&mut h).ok()?;
    let u64_at = |i: usize| u64::from_le_bytes(h[i..i + 8].try_into().unwrap_or([0; 8]));
    if &h[..8] != MAGIC || h[8..12] != FORMAT.to_le_bytes() || u64_at(12) != generation {
        return None;
    }
    let (meta_len, hay_len, titles_len) = (u64_at(20), u64_at(28), u64_at(36));
    let want = u32::from_le_bytes(h[44..48].try_into().ok()?);
    let file_len = f.metadata().ok()?.len();
    if meta_len.checked_add(hay_len)?.checked_add(titles_len)? + HEADER as u64 != file_len {
        return None;
    }
    let mut section = |len: u64| -> Option<Vec<u8>> {
        let mut v = vec![0u8; usize::try_from(len).ok()?];
        f.read_exact(&mut v).ok()?;
        Some(v)
    };
    let (meta, hay, titles) = (section(meta_len)?, section(hay_len)?, section(titles_len)?);
    let mut crc = crc32fast::Hasher::new();
    for s in [&meta, &hay, &titles] {
        crc.update(s);
    }
    if crc.finalize() != want {
        return None;
    }
    RequestIndex::from_sections(&meta, String::from_utf8(hay).ok()?, String::from_utf8(titles).ok()?)
}
