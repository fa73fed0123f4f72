//! Everything the command line prints goes through here, for two reasons.
//!
//! - Printed text often quotes stored or imported text (a name, a phone
//!   number as typed in a sheet, a path): every line passes the same
//!   sanitiser as the screen (`domain::text::display_safe`), so an escape
//!   sequence hidden in a spreadsheet never reaches the terminal raw.
//! - `linli info | head -3` closes the pipe early: `println!` would panic.
//!   Here a closed pipe ends the printing quietly and the command finishes
//!   its work and exits 0, as other command-line tools do.

use crate::domain::text::display_safe;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// Each line of `s` made safe to print (newlines kept).
pub fn safe(s: &str) -> String {
    s.split('\n').map(display_safe).collect::<Vec<_>>().join("\n")
}

fn write_to(closed: &AtomicBool, mut w: impl Write, bytes: &[u8]) {
    if closed.load(Ordering::Relaxed) {
        return;
    }
    if w.write_all(bytes).and_then(|_| w.flush()).is_err() {
        // a closed pipe (or a full disk behind a redirect): stop printing,
        // never panic
        closed.store(true, Ordering::Relaxed);
    }
}

/// Prints `s` and a newline on standard output, made safe.
pub fn line(s: impl AsRef<str>) {
    let mut text = safe(s.as_ref());
    text.push('\n');
    write_to(&STDOUT_CLOSED, std::io::stdout().lock(), text.as_bytes());
}

/// Prints `s` and a newline on standard error, made safe.
pub fn err_line(s: impl AsRef<str>) {
    let mut text = safe(s.as_ref());
    text.push('\n');
    write_to(&STDERR_CLOSED, std::io::stderr().lock(), text.as_bytes());
}

/// Prints `s` on standard error without a newline (a prompt), made safe.
pub fn err_part(s: impl AsRef<str>) {
    write_to(&STDERR_CLOSED, std::io::stderr().lock(), safe(s.as_ref()).as_bytes());
}

/// Our own control output on standard error (a progress line's `\r`):
/// never text from a record or a file.
pub fn err_raw(s: &str) {
    write_to(&STDERR_CLOSED, std::io::stderr().lock(), s.as_bytes());
}

/// `line(format!(…))`.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => { $crate::cli::out::line(format!($($arg)*)) };
}

/// `err_line(format!(…))`.
#[macro_export]
macro_rules! warn_line {
    ($($arg:tt)*) => { $crate::cli::out::err_line(format!($($arg)*)) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_codes_never_pass_and_lines_stay_lines() {
        let s = safe("电话号码格式不对：abc\u{1b}[2J\n第二行\r");
        assert!(!s.contains('\u{1b}') && !s.contains('\r'), "{s:?}");
        assert_eq!(s.lines().count(), 2);
        assert!(s.starts_with("电话号码格式不对：abc␛[2J"));
    }
}
