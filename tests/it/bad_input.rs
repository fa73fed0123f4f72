//! Bad input reaches linli's own sanitiser, not only ratatui's (SAFETY.md
//! §9). ratatui drops C0 control characters when it draws, so a test that
//! reads the drawn buffer cannot fail when `display_safe` is broken. These
//! read the RAW bytes the real binary wrote to its pseudo-terminal and
//! assert the visible mark (`␛`) that only `display_safe` puts there.

use crate::pty::Key;
use crate::support::{Fixture, now, resident};
use linli::domain::request::Channel;

/// An OSC "set window title" and a bidi override, written around the app's
/// own cleaning (as a damaged or hand-edited store might hold them).
const EVIL_NAME: &str = "张\u{1b}]0;pwned\u{7}三";
const EVIL_TITLE: &str = "灯坏了\u{202E}txt.exe";

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn escape_codes_and_bidi_overrides_in_data_never_reach_the_terminal() {
    let f = Fixture::office();
    let li = f.workers[0];
    let r = f.store.create_resident(&resident(EVIL_NAME, "13900001111", "幸福小区 1-1-101", &[]), li, now()).unwrap();
    let nr = crate::support::new_request("其他", EVIL_TITLE, Some(r.id), Channel::Phone);
    f.store.create_request(&nr, li, now(), &f.cats, &f.cal).unwrap();
    let dir = f.dir.path().to_path_buf();
    let Fixture { dir: _keep, store, .. } = f;
    drop(store);

    let mut p = crate::support::linli_pty(&dir);
    p.wait_for("请选择操作员");
    p.key(Key::Enter);
    // the requests panel lists the title; the residents panel the name
    let s = p.wait_for("灯坏了");
    assert!(s.contains("灯坏了 txt.exe"), "the bidi override shows as a space: {s}");
    p.type_text("2");
    p.wait_for("张␛]0;p");
    // the list may cut the name; the details of the selected (last) row
    // show it whole
    p.key(Key::End);
    let s = p.wait_for("张␛]0;pwned 三");
    assert!(s.contains("张␛]0;pwned 三"), "ESC shows as ␛, BEL as a space: {s}");
    p.type_text("q");
    p.wait_exit();
    let raw = p.raw_output();
    assert!(!contains(&raw, b"\x1b]0;"), "an OSC window-title change reached the terminal");
    assert!(!contains(&raw, b"\x07"), "a BEL from the data reached the terminal");
    assert!(!contains(&raw, "\u{202E}".as_bytes()), "a bidi override reached the terminal");
    // (the screen above is the emulator's reading of these same bytes)
    assert!(contains(&raw, "␛".as_bytes()), "the mark is written, not dropped");
}
