//! How the process keeps its memory (issue 19: ≤ 80 MB through a day's
//! use). glibc's allocator, left to itself, keeps what linli frees: every
//! thread that allocates gets its own arena (the background loads, the
//! exports), and once a large block has been freed it raises the size
//! from which blocks are mapped on their own, so the next large ones (an
//! export's buffers, an import's rows) come from the heap and stay there
//! after they are freed. Measured on the large set: 15 MB more after the
//! panels are visited, 55 MB more after an export and an import.
//!
//! [`tune`] fixes the thresholds once at start-up; [`give_back`] returns the
//! free pages inside the heap to the system after a large piece of work
//! (a load, an export, a report, an import). Elsewhere than glibc both do
//! nothing.

/// Sets the allocator's thresholds. Call first thing in `main`, before any
/// thread starts, for the app and the store server only (see `main`).
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's parameters; it is called
    // before any other thread exists.
    unsafe {
        // one arena for every thread: a background load's or an export's
        // freed blocks are reused by the next, not kept in an arena of
        // their own (linli's threads seldom allocate at the same moment)
        libc::mallopt(libc::M_ARENA_MAX, 1);
        // blocks from 256 KB (a long list, a file's section) get their own
        // mapping, returned whole when freed; setting it stops glibc from
        // raising it after each large free
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
        // free memory at the top of the heap goes back beyond 1 MB
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1024 * 1024);
    }
}

/// Returns the heap's free pages to the system. A few milliseconds on a
/// large heap: for after a large piece of work, not after every key.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases pages the allocator holds free.
    unsafe {
        libc::malloc_trim(0);
    }
}
