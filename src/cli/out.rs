//! Everything the command line prints goes through here, for two reasons.
//!
//! - Printed text often quotes stored or imported text (a name, a phone
//!   number as typed in a sheet, a path): every line passes the same
//!   sanitiser as the screen (`domain::text::display_safe`), so an escape
//!   sequence hidden in a spreadsheet never reaches the terminal raw.
//! - `linli info | head -3` closes the pipe early: `println!` would panic.
//!   Here a closed pipe ends the printing quietly and the command finishes
//!   its work and exits 0, as other command-line tools do.
//!
//! A command run inside the store server (`cli::hosted`) prints and asks
//! at the terminal of the `linli` that sent it: while it runs, its thread
//! has a sink ([`with_sink`]) that takes everything instead of the
//! server's own standard output and error, sanitised the same way.

use crate::domain::text::display_safe;
use crate::serve::CliIo;
use std::cell::RefCell;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

thread_local! {
    /// Where this thread's command prints and asks, when it runs inside
    /// the server (`None`: the process's own stdio).
    static SINK: RefCell<Option<Box<dyn CliIo>>> = const { RefCell::new(None) };
}

#[cfg(test)]
thread_local! {
    /// Bytes this thread wrote to the process's own stdout and stderr
    /// (the tests show a hosted command writes none).
    pub(crate) static REAL_BYTES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Runs `f` with `io` as this thread's sink; the sink is dropped when
/// `f` ends, also when it panics (it never outlives its command).
pub fn with_sink<T>(io: Box<dyn CliIo>, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Box<dyn CliIo>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let before = self.0.take();
            let _ = SINK.try_with(|s| s.try_borrow_mut().map(|mut s| *s = before));
        }
    }
    let _restore = Restore(SINK.with(|s| s.borrow_mut().replace(io)));
    f()
}

/// Whether this thread prints into a sink (runs inside the server).
pub fn hosted() -> bool {
    SINK.try_with(|s| s.try_borrow().is_ok_and(|s| s.is_some())).unwrap_or(false)
}

/// `f` on this thread's sink; `None` when it has none.
fn on_sink<T>(f: impl FnOnce(&mut dyn CliIo) -> T) -> Option<T> {
    SINK.try_with(|s| match s.try_borrow_mut() {
        Ok(mut s) => s.as_mut().map(|io| f(io.as_mut())),
        // the sink itself printed: drop it rather than panic
        Err(_) => None,
    })
    .ok()
    .flatten()
}

/// Asks at the sink's terminal: `None` when this thread has no sink,
/// `Some(None)` when the sink has no answer.
pub(crate) fn ask(prompt: &str, secret: bool) -> Option<Option<String>> {
    let prompt = safe(prompt);
    on_sink(|io| io.ask(&prompt, secret))
}

#[derive(Clone, Copy)]
enum Stream {
    Out,
    Err,
}

/// `bytes` to the sink, else to the process's stream.
fn emit(stream: Stream, bytes: &[u8]) {
    let sent = on_sink(|io| match stream {
        Stream::Out => io.out(bytes),
        Stream::Err => io.err(bytes),
    });
    if sent.is_some() {
        return;
    }
    #[cfg(test)]
    REAL_BYTES.with(|n| n.set(n.get() + bytes.len()));
    match stream {
        Stream::Out => write_to(&STDOUT_CLOSED, std::io::stdout().lock(), bytes),
        Stream::Err => write_to(&STDERR_CLOSED, std::io::stderr().lock(), bytes),
    }
}

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
    emit(Stream::Out, text.as_bytes());
}

/// Prints `s` and a newline on standard error, made safe.
pub fn err_line(s: impl AsRef<str>) {
    let mut text = safe(s.as_ref());
    text.push('\n');
    emit(Stream::Err, text.as_bytes());
}

/// Prints `s` on standard error without a newline (a prompt), made safe.
pub fn err_part(s: impl AsRef<str>) {
    emit(Stream::Err, safe(s.as_ref()).as_bytes());
}

/// Our own control output on standard error (a progress line's `\r`):
/// never text from a record or a file.
pub fn err_raw(s: &str) {
    emit(Stream::Err, s.as_bytes());
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
