//! Test-only markers around each durable write, for the kill tests: with
//! `LINLI_TEST_MARKERS=FILE` set, the store appends `begin N` before a
//! change's transaction and `end N` once its flush (and `fdatasync`)
//! returned. A test that kills the process reads the last line to know
//! where the kill landed: before any write, inside one, or between two.
//! Without the variable this is one `OnceLock` read per change.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

static FILE: OnceLock<Option<Mutex<std::fs::File>>> = OnceLock::new();
static NEXT: AtomicU64 = AtomicU64::new(1);

fn file() -> Option<&'static Mutex<std::fs::File>> {
    FILE.get_or_init(|| {
        let path = std::env::var_os("LINLI_TEST_MARKERS")?;
        std::fs::OpenOptions::new().create(true).append(true).open(path).ok().map(Mutex::new)
    })
    .as_ref()
}

/// Marks the start of a durable write; returns its number (0 when off).
pub(crate) fn begin() -> u64 {
    let Some(f) = file() else { return 0 };
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    if let Ok(mut f) = f.lock() {
        let _ = f.write_all(format!("begin {n}\n").as_bytes());
    }
    n
}

/// Marks the end of durable write `n` (nothing when off).
pub(crate) fn end(n: u64) {
    if n == 0 {
        return;
    }
    if let Some(Ok(mut f)) = file().map(|f| f.lock()) {
        let _ = f.write_all(format!("end {n}\n").as_bytes());
    }
}
