//! Bytes written to the terminal per key (issue 8: a key should cost a small
//! diff, not a redraw; this decides how linli feels over SSH). The app is
//! drawn through the backend the app uses (`ui::term::LeanBackend`, over
//! crossterm) into memory at 80×24 on a generated typical data set, and the
//! bytes of the frame answering a key are counted.
//!
//! `LINLI_DUMP_BYTES=1 cargo test bytes:: -- --nocapture` prints each
//! frame's bytes with the escape sequences made visible, and a breakdown.

use crate::support::{Fixture, now};
use linli::demo::{self, Size};
use linli::i18n::Lang;
use linli::ui::app::{App, Loaded};
use linli::ui::term::{self, LeanBackend};
use linli::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{TerminalOptions, Viewport};
use std::io::Write;
use std::sync::{Arc, Mutex};

/// What the backend wrote, shared with the test.
#[derive(Clone, Default)]
pub struct Recorder(Arc<Mutex<Vec<u8>>>);

impl Write for Recorder {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Recorder {
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

pub type Term = Terminal<LeanBackend<Recorder>>;

/// A terminal of `w`×`h` whose bytes go to the returned recorder.
pub fn terminal(w: u16, h: u16) -> (Term, Recorder) {
    let rec = Recorder::default();
    let area = Rect::new(0, 0, w, h);
    let backend = LeanBackend::new(rec.clone(), area);
    let opts = TerminalOptions { viewport: Viewport::Fixed(area) };
    (Terminal::with_options(backend, opts).unwrap(), rec)
}

/// The generated typical set (3,000 residents, 5,000 requests) in a store,
/// loaded, its first worker at the keyboard, "now" fixed.
pub fn typical() -> (Fixture, App) {
    let f = Fixture::empty();
    let cal = linli::domain::WorkCalendar::builtin();
    let cats = linli::domain::Categories::default();
    let data = demo::generate(Size::Typical, 1, 20261124, now().date(), &cal, &cats);
    f.store.bulk_load(&data).unwrap();
    let mut app =
        App::new(f.store.clone(), Lang::Zh, Theme::color(), f.cal.clone(), f.cats.clone(), Box::new(now)).unwrap();
    app.finish_loading(Loaded::read(&f.store).unwrap());
    app.layers.clear();
    app.sh.operator = Some(data.workers[0].id);
    (f, app)
}

/// The bytes with escape sequences shown as `⟨…⟩`.
pub fn visible(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            out.push('⟨');
            if chars.peek() == Some(&'[') {
                out.push(chars.next().unwrap());
                for c in chars.by_ref() {
                    out.push(c);
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            out.push('⟩');
        } else {
            out.push(c);
        }
    }
    out
}

/// Bytes by kind: (cursor moves, colours and attributes, cursor show/hide,
/// printed text).
pub fn breakdown(b: &[u8]) -> [(&'static str, usize); 4] {
    let (mut moves, mut styles, mut cursor, mut text) = (0, 0, 0, 0);
    let mut i = 0;
    while i < b.len() {
        if b[i] == 0x1b && b.get(i + 1) == Some(&b'[') {
            let mut j = i + 2;
            while j < b.len() && !(0x40..=0x7e).contains(&b[j]) {
                j += 1;
            }
            let n = j + 1 - i;
            match b.get(j) {
                Some(b'm') => styles += n,
                Some(b'h' | b'l') => cursor += n,
                // positions, steps, scrolling regions
                _ => moves += n,
            }
            i = j + 1;
        } else if b[i] == 0x1b || b[i] == b'\r' || b[i] == b'\n' {
            // reverse index, carriage return, line feed
            moves += if b[i] == 0x1b { 2 } else { 1 };
            i += if b[i] == 0x1b { 2 } else { 1 };
        } else {
            text += 1;
            i += 1;
        }
    }
    [("cursor moves and scrolls", moves), ("colours/attributes", styles), ("cursor show/hide", cursor), ("text", text)]
}

/// Draws, presses `key`, draws again; returns the second frame's bytes.
pub fn bytes_for(app: &mut App, t: &mut Term, rec: &Recorder, key: KeyCode) -> Vec<u8> {
    term::draw(t, |f| app.draw(f)).unwrap();
    rec.take();
    app.handle_key(&KeyEvent::new(key, KeyModifiers::NONE));
    term::draw(t, |f| app.draw(f)).unwrap();
    let b = rec.take();
    if std::env::var_os("LINLI_DUMP_BYTES").is_some() {
        println!("---- {key:?}: {} bytes {:?}\n{}\n", b.len(), breakdown(&b), visible(&b));
    }
    b
}

#[test]
fn moving_the_selection_writes_at_most_1_kb() {
    let (_f, mut app) = typical();
    let (mut t, rec) = terminal(80, 24);
    let mut sizes = Vec::new();
    for _ in 0..20 {
        sizes.push(bytes_for(&mut app, &mut t, &rec, KeyCode::Down).len());
    }
    // the list shows 9 rows at 80×24: moves 1–8 stay within them, later ones scroll
    let (within, scrolling) = sizes.split_at(8);
    println!("selection down, within the visible rows: {within:?}; the list scrolls: {scrolling:?}");
    assert!(within.iter().all(|&n| n <= 1024), "within the visible rows: {within:?}");
    assert!(scrolling.iter().all(|&n| n <= 1024), "the list scrolls: {scrolling:?}");
}

/// One cell as the user sees it: a cell never written and a space look
/// the same, and on a blank the colour and weight of text do not show.
#[allow(clippy::too_many_arguments)]
fn seen(
    text: &str,
    fg: vt100::Color,
    bg: vt100::Color,
    weight: (bool, bool, bool),
    underline: bool,
    inverse: bool,
    wide: bool,
) -> String {
    let blank = text.trim().is_empty();
    let text = if blank { " " } else { text };
    let fg = if blank { "-".to_string() } else { format!("{fg:?}") };
    let weight = if blank { (false, false, false) } else { weight };
    format!("{text:?} fg {fg} bg {bg:?} {weight:?} underline {underline} inverse {inverse} wide {wide}")
}

/// What a terminal shows after these bytes (vt100's model of xterm), cell
/// by cell, then the cursor; the right halves of wide characters left out.
fn screen(parser: &mut vt100::Parser, bytes: &[u8]) -> Vec<String> {
    parser.process(bytes);
    let s = parser.screen();
    let (rows, cols) = s.size();
    let mut out = Vec::new();
    for r in 0..rows.get() {
        for c in 0..cols.get() {
            let cell = s.cell(r, c).unwrap();
            if cell.is_wide_continuation() {
                continue;
            }
            let weight = (cell.bold(), cell.dim(), cell.italic());
            let look = seen(
                cell.contents(),
                cell.fgcolor(),
                cell.bgcolor(),
                weight,
                cell.underline(),
                cell.inverse(),
                cell.is_wide(),
            );
            out.push(format!("{r},{c} {look}"));
        }
    }
    let (r, c) = s.cursor_position();
    out.push(if s.hide_cursor() { "cursor hidden".into() } else { format!("cursor at {r},{c}") });
    out
}

/// The frame ratatui drew, in the terms of `screen` (without the cursor).
fn model(buf: &ratatui::buffer::Buffer) -> Vec<String> {
    use ratatui::style::{Color, Modifier};
    let colour = |c: Color| match c {
        Color::Reset => vt100::Color::Default,
        Color::Indexed(i) => vt100::Color::Idx(i),
        Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
        named => {
            let all = [
                Color::Black,
                Color::Red,
                Color::Green,
                Color::Yellow,
                Color::Blue,
                Color::Magenta,
                Color::Cyan,
                Color::Gray,
                Color::DarkGray,
                Color::LightRed,
                Color::LightGreen,
                Color::LightYellow,
                Color::LightBlue,
                Color::LightMagenta,
                Color::LightCyan,
                Color::White,
            ];
            vt100::Color::Idx(all.iter().position(|&a| a == named).unwrap() as u8)
        }
    };
    let mut out = Vec::new();
    for r in 0..buf.area.height {
        let mut c = 0;
        while c < buf.area.width {
            let cell = &buf[(c, r)];
            let w = unicode_width::UnicodeWidthStr::width(cell.symbol()).max(1) as u16;
            let m = cell.modifier;
            let weight = (m.contains(Modifier::BOLD), m.contains(Modifier::DIM), m.contains(Modifier::ITALIC));
            let look = seen(
                cell.symbol(),
                colour(cell.fg),
                colour(cell.bg),
                weight,
                m.contains(Modifier::UNDERLINED),
                m.contains(Modifier::REVERSED),
                w > 1,
            );
            out.push(format!("{r},{c} {look}"));
            c += w;
        }
    }
    out
}

/// Keys that move, scroll both ways, page, search, type, delete, switch
/// panels and open layers: every frame between them must look the same
/// whichever backend wrote it.
fn session() -> Vec<KeyCode> {
    use KeyCode::*;
    let mut keys = vec![Down; 22];
    keys.extend([Up; 14]);
    keys.extend([PageDown, PageDown, Down, PageUp, End, Up, Up, Home, Down]);
    keys.extend([Char('/'), Char('楼'), Char('道'), Char('灯'), Backspace, Backspace, Char('z'), Char('s')]);
    keys.extend([Down, Down, Enter, Esc, Esc, Enter, Down, Down, Esc]);
    keys.extend([Tab, Down, Down, Down, Tab, Tab, Tab, Char('?'), Esc, Char('2'), Down, Char('1'), Char('n'), Esc]);
    keys
}

fn same_screens(w: u16, h: u16, mono: bool) {
    let (_f, mut app) = typical();
    if mono {
        app.sh.theme = Theme::mono();
    }
    let (mut lean, lean_rec) = terminal(w, h);
    let stock_rec = Recorder::default();
    let mut stock = Terminal::with_options(
        ratatui::backend::CrosstermBackend::new(stock_rec.clone()),
        TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, w, h)) },
    )
    .unwrap();
    let size = |n: u16| std::num::NonZeroU16::new(n).unwrap();
    let (mut a, mut b) = (vt100::Parser::new(size(h), size(w), 0), vt100::Parser::new(size(h), size(w), 0));
    let (mut lean_bytes, mut stock_bytes) = (0, 0);
    for (n, k) in std::iter::once(None).chain(session().into_iter().map(Some)).enumerate() {
        if let Some(k) = k {
            app.handle_key(&KeyEvent::new(k, KeyModifiers::NONE));
        }
        let mut drawn = model(term::draw(&mut lean, |f| app.draw(f)).unwrap().buffer);
        stock.draw(|f| app.draw(f)).unwrap();
        let (x, y) = (lean_rec.take(), stock_rec.take());
        lean_bytes += x.len();
        stock_bytes += y.len();
        let (shown, stock_shown) = (screen(&mut a, &x), screen(&mut b, &y));
        // the cursor: as ratatui's own backend leaves it
        drawn.push(stock_shown.last().unwrap().clone());
        if let Some(i) = (0..drawn.len().max(shown.len())).find(|&i| drawn.get(i) != shown.get(i)) {
            panic!(
                "after key {n} ({k:?}) at {w}×{h}: the terminal shows {:?} where ratatui drew {:?}\n{}",
                shown.get(i),
                drawn.get(i),
                visible(&x),
            );
        }
    }
    println!("{w}×{h}: {lean_bytes} bytes for the session; ratatui's crossterm backend: {stock_bytes}");
}

#[test]
fn the_terminal_shows_every_frame_as_drawn() {
    same_screens(80, 24, false);
    same_screens(120, 40, false);
    same_screens(80, 24, true);
}

#[test]
fn typing_in_the_search_line_writes_a_diff() {
    let (_f, mut app) = typical();
    let (mut t, rec) = terminal(80, 24);
    let mut sizes = Vec::new();
    for k in ['/', '楼', '道', '\u{8}', '\u{8}', 'z', 's'] {
        let code = if k == '\u{8}' { KeyCode::Backspace } else { KeyCode::Char(k) };
        let before = app.panels.requests.selected_id(&app.sh);
        let n = bytes_for(&mut app, &mut t, &rec, code).len();
        sizes.push((k, n, before == app.panels.requests.selected_id(&app.sh)));
    }
    println!("typing (key, bytes, selection kept): {sizes:?}");
    // the list filtered, the same request selected: the rows that changed,
    // not a redraw (a new selection brings a new detail pane as well)
    assert!(sizes[0].1 <= 256, "{sizes:?}");
    assert!(sizes.iter().filter(|s| s.2).all(|s| s.1 <= 1024), "{sizes:?}");
    assert!(sizes.iter().filter(|s| s.2).count() >= 4, "{sizes:?}");
}
