//! What differs between the office's machines: where the data lives
//! (`paths`), which drives are USB sticks (`drives`), and how files are
//! kept private (`private`), the office's text files as Notepad
//! reads and writes them (`office_text`), a background thread's share of
//! the CPU (`lower_this_thread`). Nothing here knows
//! a record or a screen.

pub mod drives;
pub mod memory;
pub mod office_text;
pub mod paths;
pub mod private;

/// Lowers the calling thread's share of the CPU (Linux: nice 10 for this
/// thread alone; elsewhere nothing): for work that runs beside the start
/// and must not delay its first frame when the cores are busy. It still
/// has any core nobody else wants.
pub fn lower_this_thread() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority on the calling thread's own id changes only its
    // scheduling weight; a failure changes nothing.
    unsafe {
        let _ = libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 10);
    }
}
