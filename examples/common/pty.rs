//! A terminal in a pseudo-terminal, read by a vt100 emulator, with the time
//! each chunk of output arrives: what `procbench` and `officebench` measure
//! with (each includes this file with `#[path]`).

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

pub struct Term {
    pub parser: vt100::Parser,
    pub bytes: usize,
    pub last_output: Instant,
    pub eof: bool,
}

pub struct Shared {
    pub term: Mutex<Term>,
    pub changed: Condvar,
}

pub struct Proc {
    pub shared: Arc<Shared>,
    pub writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    pub pid: u32,
    /// When it was started.
    #[allow(dead_code)]
    pub started: Instant,
}

/// Starts `cmd` on an 80×24 pty; a thread reads everything it writes.
pub fn spawn(cmd: CommandBuilder) -> Proc {
    let pair = native_pty_system().openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 }).unwrap();
    let started = Instant::now();
    let child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let pid = child.process_id().unwrap_or(0);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let writer = pair.master.take_writer().unwrap();
    let master = pair.master;
    let shared = Arc::new(Shared {
        term: Mutex::new(Term {
            parser: vt100::Parser::new(
                std::num::NonZeroU16::new(24).unwrap(),
                std::num::NonZeroU16::new(80).unwrap(),
                0,
            ),
            bytes: 0,
            last_output: started,
            eof: false,
        }),
        changed: Condvar::new(),
    });
    let s = shared.clone();
    std::thread::spawn(move || {
        let _master = master;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let now = Instant::now();
                    let mut t = s.term.lock().unwrap();
                    t.parser.process(&buf[..n]);
                    t.bytes += n;
                    t.last_output = now;
                    drop(t);
                    s.changed.notify_all();
                }
            }
        }
        s.term.lock().unwrap().eof = true;
        s.changed.notify_all();
    });
    Proc { shared, writer, child, pid, started }
}

#[allow(dead_code)]
impl Proc {
    /// Waits up to `limit` until `cond` holds on the screen; returns the
    /// time of the output chunk after which it held.
    pub fn wait_within(&self, what: &str, limit: Duration, cond: impl Fn(&vt100::Screen) -> bool) -> Instant {
        let deadline = Instant::now() + limit;
        let mut t = self.shared.term.lock().unwrap();
        loop {
            if cond(t.parser.screen()) {
                return t.last_output;
            }
            if t.eof || Instant::now() > deadline {
                panic!("gave up waiting for {what}; screen:\n{}", t.parser.screen().contents());
            }
            t = self.shared.changed.wait_timeout(t, Duration::from_millis(50)).unwrap().0;
        }
    }

    /// Waits until no output has come for `quiet` since `since` (or since
    /// the last output, if later); returns (bytes so far, time of the last
    /// output).
    pub fn settle(&self, since: Instant, quiet: Duration) -> (usize, Instant) {
        loop {
            let (bytes, last) = {
                let t = self.shared.term.lock().unwrap();
                (t.bytes, t.last_output)
            };
            let idle = last.max(since).elapsed();
            if idle >= quiet {
                return (bytes, last);
            }
            std::thread::sleep(quiet - idle);
        }
    }

    pub fn send(&mut self, s: &[u8]) -> Instant {
        let t = Instant::now();
        self.writer.write_all(s).unwrap();
        self.writer.flush().unwrap();
        t
    }

    /// Sends a key and returns (bytes written in answer, time from the key
    /// to the last byte of the answer).
    pub fn key(&mut self, s: &[u8]) -> (usize, Duration) {
        let (before, _) = self.settle(Instant::now(), Duration::from_millis(150));
        let sent = self.send(s);
        let (after, last) = self.settle(sent, Duration::from_millis(250));
        (after - before, last.saturating_duration_since(sent))
    }

    pub fn screen(&self) -> String {
        self.shared.term.lock().unwrap().parser.screen().contents()
    }

    pub fn bytes(&self) -> usize {
        self.shared.term.lock().unwrap().bytes
    }

    /// Waits up to `limit` for the program to end, then ends it.
    pub fn wait_end(&mut self, limit: Duration) {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A panicking bench leaves no program behind.
impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The list is on screen: a row starting with a request number `2026-000123`
/// (the operator picker covers its last digit) and the footer (drawn last)
/// is there.
pub fn list_shown(s: &vt100::Screen) -> bool {
    let text = s.contents();
    let lines: Vec<&str> = text.lines().collect();
    let has_row = lines.iter().skip(2).any(|l| {
        let b = l.as_bytes();
        b.len() >= 10
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4] == b'-'
            && b[5..10].iter().all(u8::is_ascii_digit)
    });
    let footer = s.contents_between(23, 0, 23, 80);
    has_row && !footer.trim().is_empty()
}

/// The full index is loaded: the "loading" line is gone and the count on
/// the search line has lost its trailing "…".
pub fn loaded(s: &vt100::Screen) -> bool {
    let text = s.contents();
    let line1 = text.lines().nth(1).unwrap_or("");
    list_shown(s) && !text.contains("正在载入") && !line1.trim_end().ends_with('…')
}
