//! A window closed under a served client (issue 18, "Faults"): the signal
//! that ends it (SIGHUP when a terminal window closes or an SSH link drops)
//! ends the client at once, and the server, its last client gone, stops.
//! Before: the client's signal watcher waited forever for the stdout lock
//! the session held while it waited for frames, and the client lived on.

#![cfg(unix)]

use crate::pty::Key;
use crate::support::{bin, first_start, fixture_dir, served_pty};
use std::time::{Duration, Instant};

#[cfg(unix)]
#[test]
fn a_client_whose_window_closes_ends_and_the_server_stops() {
    let dir = fixture_dir();
    let mut a = served_pty(dir.path());
    first_start(&mut a, "王芳");
    // at the list, waiting for frames: what a colleague's window is doing
    a.key(Key::Char('1'));
    a.wait_for("操作员：王芳");
    let pid = a.pid().expect("the client's pid");
    // SAFETY: a signal to the process this test started.
    assert_eq!(unsafe { libc::kill(pid as i32, libc::SIGHUP) }, 0);
    let ended = a.wait_exit();
    assert!(!ended.success, "ended by the hang-up: {ended:?}");
    // nobody is on any more: the server lets go of the store
    let started = Instant::now();
    loop {
        let out = bin().arg("--data-dir").arg(dir.path()).arg("who").output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        if !dir.path().join("linli.sock").exists() {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "the server is still on; who:\n{text}");
        std::thread::sleep(Duration::from_millis(100));
    }
}
