//! File handling shared by writing and restoring: partial names, synced
//! writes, reading back from the disk rather than the cache, paths.

use super::*;

pub(super) fn part_name(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.part", std::process::id()))
}

/// Removes temporary files left by a backup that was killed, an hour or
/// more ago (a younger one may belong to a backup still running).
pub(super) fn remove_stale_parts(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !(name.starts_with('.') && name.ends_with(".part") && name.contains(".jsonl.gz")) {
            continue;
        }
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 3600);
        if old {
            let _ = fs::remove_file(e.path());
        }
    }
}

pub(super) fn unused_name(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = name.split_once('.').unwrap_or((name, ""));
    (2..).map(|n| dir.join(format!("{stem}-{n}.{ext}"))).find(|p| !p.exists()).unwrap_or(first)
}

pub(super) fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Makes a rename durable. Not possible (nor needed) on Windows.
pub(crate) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Asks the OS to drop its cached copy, so that reading back reads the
/// disk (a USB stick) rather than memory. Best effort. Linux only: Windows
/// reads past its cache instead ([`open_from_disk`]); on macOS the read-back
/// may come from memory.
pub(super) fn forget_cached(file: &File) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: a plain advisory call on an open file descriptor we own.
        unsafe {
            libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

/// Opens a backup for reading from the device itself where the OS lets a
/// program say so. Windows: `FILE_FLAG_NO_BUFFERING`, which bypasses the
/// file cache (so the read-back after writing checks what is on the stick,
/// not what Windows still holds in memory) and wants whole, aligned sectors:
/// [`Aligned`] reads them. A volume that refuses (another sector size, a
/// network share) is read the ordinary way. Elsewhere an ordinary open
/// (Linux dropped the cache before: [`forget_cached`]).
pub(super) fn open_from_disk(path: &Path) -> io::Result<Box<dyn Read + Send>> {
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        const FILE_FLAG_NO_BUFFERING: u32 = 0x2000_0000;
        if let Ok(f) = fs::OpenOptions::new().read(true).custom_flags(FILE_FLAG_NO_BUFFERING).open(path) {
            let mut direct = Aligned::new(f);
            if direct.fill().is_ok() {
                return Ok(Box::new(direct));
            }
        }
    }
    Ok(Box::new(File::open(path)?))
}

/// A reader that asks the one below only for whole chunks into a buffer
/// aligned to 4096 bytes: what an unbuffered Windows file demands (reads of
/// whole sectors into sector-aligned memory). The chunks are 1 MiB, a
/// multiple of every sector size a stick or disk has (512, 4096).
#[cfg(any(windows, test))]
pub(super) struct Aligned<R> {
    inner: R,
    buf: Vec<u8>,
    /// Where in `buf` the aligned chunk starts.
    start: usize,
    pos: usize,
    end: usize,
    done: bool,
}

#[cfg(any(windows, test))]
const ALIGN: usize = 4096;
#[cfg(any(windows, test))]
const CHUNK: usize = 1 << 20;

#[cfg(any(windows, test))]
impl<R: Read> Aligned<R> {
    pub(super) fn new(inner: R) -> Aligned<R> {
        // never grown, so it never moves: the offset stays aligned
        let buf = vec![0u8; CHUNK + ALIGN];
        let start = buf.as_ptr().align_offset(ALIGN).min(ALIGN);
        Aligned { inner, buf, start, pos: start, end: start, done: false }
    }

    /// Reads the next chunk when the last one is used up.
    fn fill(&mut self) -> io::Result<()> {
        if self.pos < self.end || self.done {
            return Ok(());
        }
        let n = loop {
            match self.inner.read(&mut self.buf[self.start..self.start + CHUNK]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                r => break r?,
            }
        };
        // a short chunk that is not whole sectors is the file's end: the
        // next read would start off the sector grid
        self.done = n == 0 || !n.is_multiple_of(512);
        self.pos = self.start;
        self.end = self.start + n;
        Ok(())
    }
}

#[cfg(any(windows, test))]
impl<R: Read> Read for Aligned<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.fill()?;
        let n = out.len().min(self.end - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

pub(super) fn absolute(p: &Path) -> PathBuf {
    crate::platform::paths::canonical(p)
}

/// Whether `path` lies inside `dir` (both resolved).
pub(super) fn is_under(path: &Path, dir: &Path) -> bool {
    let p = path.parent().map(absolute).unwrap_or_else(|| absolute(path));
    p.starts_with(absolute(dir))
}

pub(super) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

pub(super) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file as an unbuffered Windows handle serves it: only whole,
    /// aligned chunks are asked for, and a read that starts off the sector
    /// grid fails as Windows fails it (ERROR_INVALID_PARAMETER).
    struct Unbuffered {
        data: Vec<u8>,
        at: usize,
    }

    impl Read for Unbuffered {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if !buf.len().is_multiple_of(512)
                || !(buf.as_ptr() as usize).is_multiple_of(512)
                || !self.at.is_multiple_of(512)
            {
                return Err(io::Error::from(io::ErrorKind::InvalidInput));
            }
            let n = buf.len().min(self.data.len() - self.at);
            buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    #[test]
    fn a_read_back_past_the_cache_asks_only_for_whole_aligned_sectors() {
        for len in [0, 100, 512, CHUNK, CHUNK + 1000, 2 * CHUNK + 4096] {
            let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let mut r = Aligned::new(Unbuffered { data: data.clone(), at: 0 });
            // small and odd-sized reads above it, as a BufReader and gzip make
            let mut got = Vec::new();
            let mut piece = [0u8; 777];
            loop {
                let n = r.read(&mut piece).unwrap();
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&piece[..n]);
            }
            assert_eq!(got.len(), len);
            assert!(got == data, "bytes differ for a file of {len}");
        }
    }

    #[test]
    fn a_backup_is_opened_for_reading_back() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.linli");
        fs::write(&p, b"linli backup").unwrap();
        let mut s = String::new();
        open_from_disk(&p).unwrap().read_to_string(&mut s).unwrap();
        assert_eq!(s, "linli backup");
        assert!(open_from_disk(&dir.path().join("none")).is_err());
    }
}
