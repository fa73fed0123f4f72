//! The terminal backend: ratatui's crossterm backend, except for how a
//! frame's changed cells are written. Over SSH every byte of a key's answer
//! counts (issue 8), and the stock backend wastes most of them on Chinese
//! text: it moves the cursor explicitly before every cell that does not
//! follow the previous one by one column, which is every cell after a
//! double-width character (`楼⟨ESC[4;21H⟩道⟨ESC[4;23H⟩…`), and it writes each
//! attribute and colour as its own escape sequence.
//!
//! Here the cursor is tracked as the terminal moves it: past a CJK
//! character it sits two columns on, so the next character follows without
//! a move. Moves that remain are the shortest of an absolute position, a
//! relative step, or reprinting the few unchanged cells in between.
//! Attributes and colours go out as one SGR sequence, and the cursor's
//! show or hide only when it changes. When rows of the new frame are rows
//! of the old one moved up or down (a list scrolled by a row), the terminal
//! is told to scroll them (a scrolling region, as curses does) and only
//! what is left is written, whichever is shorter. A frame goes out in one
//! write.
//!
//! Only characters whose width every terminal agrees on advance the
//! tracked cursor: ASCII and other narrow characters by one (as ratatui
//! already assumes), and CJK ideographs, kana, hangul and full-width forms
//! by two. After anything else (an emoji, a combining sequence) the next
//! cell gets an absolute move, as before.
//!
//! Reprinting unchanged cells and scrolling need the whole new frame, which
//! ratatui does not give a backend: draw through [`draw`], which hands it
//! over. On Windows every frame goes through ratatui's crossterm backend
//! unchanged (see [`STOCK`]).

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell, CellDiffOption};
use ratatui::crossterm::{cursor, terminal};
use ratatui::layout::{Position, Rect, Size};
use ratatui::style::{Color, Modifier};
use ratatui::{CompletedFrame, Frame, Terminal};
use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The longest run of unchanged cells reprinted instead of moving over it.
const MAX_BRIDGE: u16 = 8;

/// The farthest a scroll of rows is looked for, in rows.
const MAX_SHIFT: i32 = 3;

pub struct LeanBackend<W: Write> {
    writer: W,
    /// The terminal's size as last known.
    area: Rect,
    /// The frame ratatui is about to diff, handed over by [`draw`].
    next: Rc<RefCell<Option<Buffer>>>,
    /// What the terminal shows (ratatui's previous frame), when known.
    shown: Option<Buffer>,
    /// Where the terminal's cursor is, when known for sure.
    cursor: Option<Position>,
    /// Whether the cursor is shown, when known.
    visible: Option<bool>,
    /// Bytes queued, written in one go on `flush`.
    out: Vec<u8>,
    /// Everything goes through ratatui's crossterm backend (Windows).
    legacy: bool,
    /// The size is what the owner says (a terminal at the other end of a
    /// socket), not this process's terminal's.
    fixed: bool,
    /// The buffer the next frame is drawn into by [`LeanBackend::frame`]
    /// (the one shown before last, reused).
    spare: Option<Buffer>,
}

/// Whether frames go through ratatui's own crossterm backend. On Windows
/// they do: this writer's cursor tracking, scrolling regions and relative
/// moves have never been tried on a Windows console (conhost, Windows
/// Terminal), whose wide-character and VT handling differ by version, and
/// the bytes it saves matter over SSH, not on the office's own PC.
/// crossterm there uses escape sequences where the console takes them and
/// the console API where it does not (before Windows 10).
const STOCK: bool = cfg!(windows);

/// Draws a frame with `render`, handing the whole frame to the backend
/// (see the module comment); otherwise as `Terminal::draw`.
pub fn draw<'t, W: Write>(
    t: &'t mut Terminal<LeanBackend<W>>,
    render: impl FnOnce(&mut Frame),
) -> io::Result<CompletedFrame<'t>> {
    let slot = t.backend().next.clone();
    let done = t.draw(|f| {
        render(f);
        *slot.borrow_mut() = Some(f.buffer_mut().clone());
    });
    // not left for a later frame if this one failed before the backend
    slot.borrow_mut().take();
    done
}

impl<W: Write> LeanBackend<W> {
    /// A backend writing to `writer`, on a terminal of `area`.
    pub fn new(writer: W, area: Rect) -> LeanBackend<W> {
        LeanBackend {
            writer,
            area,
            next: Rc::default(),
            shown: None,
            cursor: None,
            visible: None,
            out: Vec::new(),
            legacy: STOCK,
            fixed: false,
            spare: None,
        }
    }

    /// A backend for a terminal elsewhere (a client of the store server):
    /// its size is `area` until [`LeanBackend::set_area`] says otherwise,
    /// and its frames are always escape sequences: this writer's own, or
    /// on Windows ratatui's crossterm backend's, as a window there draws
    /// alone (every client of a Windows server is a console on that PC, or
    /// an SSH session through its ConPTY; `cli::serving::serve_main` makes
    /// crossterm write escape sequences in a server without a console).
    pub fn remote(writer: W, area: Rect) -> LeanBackend<W> {
        let mut b = LeanBackend::new(writer, area);
        b.legacy = STOCK;
        b.fixed = true;
        b
    }

    /// What frames are written to.
    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.writer
    }

    /// The remote terminal was resized: the next draw fits the new size.
    pub fn set_area(&mut self, area: Rect) {
        self.area = area;
        self.shown = None;
    }

    /// Draws a frame for a terminal elsewhere without ratatui's `Terminal`:
    /// `render` draws the whole screen into a buffer kept here (the one
    /// shown before last, reused: no frame is allocated or copied), and
    /// what differs from the frame shown is written as [`draw`] writes it,
    /// the cursor placed where `render` says (hidden if nowhere), all in
    /// one write. After [`Backend::clear`] or a new size, the whole frame.
    pub fn frame(&mut self, render: impl FnOnce(Rect, &mut Buffer) -> Option<Position>) -> io::Result<()> {
        let area = self.area;
        let mut next = self.spare.take().unwrap_or_else(|| Buffer::empty(area));
        if next.area == area {
            next.reset();
        } else {
            next.resize(area);
            next.reset();
        }
        let cursor = render(area, &mut next);
        let shown = self.shown.take().filter(|b| b.area == area);
        // nothing shown (a cleared screen): every cell that is not blank
        let blank;
        let prev = match &shown {
            Some(b) => b,
            None => {
                blank = Buffer::empty(area);
                &blank
            }
        };
        let cells = prev.diff(&next);
        if self.legacy {
            self.stock().draw(cells.into_iter())?;
        } else {
            let cells = cells.into_iter().map(|(x, y, c)| (Position::new(x, y), c)).collect();
            self.write_cells(cells, shown.as_ref(), Some(&next));
        }
        match cursor {
            None => self.hide_cursor()?,
            Some(p) => {
                self.show_cursor()?;
                self.set_cursor_position(p)?;
            }
        }
        self.shown = Some(next);
        self.spare = shown;
        self.flush()
    }

    /// Ratatui's own backend over the same writer (for a legacy console).
    fn stock(&mut self) -> CrosstermBackend<&mut W> {
        CrosstermBackend::new(&mut self.writer)
    }

    /// Queues the bytes for a frame's changed `cells`: written in place,
    /// or rows of `shown` scrolled and the rest written, whichever is
    /// shorter.
    fn write_cells(&mut self, cells: Vec<(Position, &Cell)>, shown: Option<&Buffer>, next: Option<&Buffer>) {
        // a scroll gains only where two rows or more changed
        let mut rows = cells.iter().map(|(p, _)| p.y);
        let first = rows.next();
        let two_rows = rows.any(|y| Some(y) != first);
        // the cursor may have moved since the last frame (a resize): the
        // frame's first cell is placed absolutely
        let mut plain = Pen::plain(next, self.area.right());
        plain.cells(mend(cells, shown, next));
        let mut best = plain.finish();
        if two_rows
            && let (Some(shown), Some(next)) = (shown, next)
            && shown.area == next.area
            && let Some(scrolled) = scroll(shown, next, self.area.right())
            && scrolled.out.len() < best.out.len()
        {
            best = scrolled;
        }
        if !best.out.is_empty() {
            self.out.extend_from_slice(&best.out);
            self.cursor = best.cursor;
        }
    }

    fn flush_out(&mut self) -> io::Result<()> {
        if !self.out.is_empty() {
            self.writer.write_all(&self.out)?;
            self.out.clear();
        }
        self.writer.flush()
    }
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        if self.legacy {
            return self.stock().draw(content);
        }
        let next = self.next.borrow_mut().take().filter(|n| self.area.contains(n.area.as_position()));
        let cells: Vec<_> = content.map(|(x, y, c)| (Position::new(x, y), c)).collect();
        let shown = self.shown.take();
        self.write_cells(cells, shown.as_ref(), next.as_ref());
        self.shown = next;
        // sent with the cursor's show or hide by ratatui's `flush`
        Ok(())
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        if self.legacy {
            return self.stock().append_lines(n);
        }
        self.cursor = None;
        self.shown = None;
        self.out.extend(std::iter::repeat_n(b'\n', n.into()));
        self.flush_out()
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.legacy {
            return self.stock().hide_cursor();
        }
        if self.visible != Some(false) {
            self.visible = Some(false);
            self.out.extend_from_slice(b"\x1b[?25l");
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.legacy {
            return self.stock().show_cursor();
        }
        if self.visible != Some(true) {
            self.visible = Some(true);
            self.out.extend_from_slice(b"\x1b[?25h");
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.flush_out()?;
        let (x, y) = cursor::position()?;
        self.cursor = Some(Position::new(x, y));
        Ok(Position::new(x, y))
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        if self.legacy {
            return self.stock().set_cursor_position(position);
        }
        let to = position.into();
        if self.cursor != Some(to) {
            let step = match self.cursor {
                Some(from) => shorter(absolute(to), relative(from, to)),
                None => absolute(to),
            };
            self.out.extend_from_slice(&step);
            self.cursor = Some(to);
        }
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        if self.legacy {
            return self.stock().clear_region(clear_type);
        }
        self.cursor = None;
        self.shown = None;
        let code: &[u8] = match clear_type {
            ClearType::All => b"\x1b[2J",
            ClearType::AfterCursor => b"\x1b[J",
            ClearType::BeforeCursor => b"\x1b[1J",
            ClearType::CurrentLine => b"\x1b[2K",
            ClearType::UntilNewLine => b"\x1b[K",
        };
        self.out.extend_from_slice(code);
        if clear_type == ClearType::All
            && let Ok(size) = self.size()
        {
            self.area = Rect::from((Position::ORIGIN, size));
        }
        self.flush_out()
    }

    fn size(&self) -> io::Result<Size> {
        if self.fixed {
            return Ok(self.area.as_size());
        }
        let (width, height) = terminal::size()?;
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        if self.fixed {
            let size = self.area.as_size();
            return Ok(WindowSize { columns_rows: size, pixels: Size::default() });
        }
        let w = terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size { width: w.columns, height: w.rows },
            pixels: Size { width: w.width, height: w.height },
        })
    }

    /// Sends what was queued (a frame, the cursor) in one write.
    fn flush(&mut self) -> io::Result<()> {
        self.flush_out()
    }
}

impl<W: Write> Drop for LeanBackend<W> {
    fn drop(&mut self) {
        // a cursor shown by ratatui's terminal as it is dropped
        let _ = self.flush_out();
    }
}

/// The bytes for one frame, and where they leave the cursor.
struct Written {
    out: Vec<u8>,
    cursor: Option<Position>,
}

/// Writes cells: tracks the cursor and the attributes in effect.
struct Pen<'a> {
    out: Vec<u8>,
    cursor: Option<Position>,
    style: Style,
    /// The new frame, where unchanged cells are reprinted from.
    frame: Option<&'a Buffer>,
    /// The terminal's right edge.
    right: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Style {
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

const PLAIN: Style = Style { fg: Color::Reset, bg: Color::Reset, underline: Color::Reset, modifier: Modifier::empty() };

impl Style {
    fn of(cell: &Cell) -> Style {
        Style { fg: cell.fg, bg: cell.bg, underline: cell.underline_color, modifier: cell.modifier }
    }
}

impl<'a> Pen<'a> {
    /// Starts a frame: attributes plain, the cursor unknown.
    fn plain(frame: Option<&'a Buffer>, right: u16) -> Pen<'a> {
        Pen { out: Vec::new(), cursor: None, style: PLAIN, frame, right }
    }

    fn cells<'c>(&mut self, cells: impl IntoIterator<Item = (Position, &'c Cell)>) {
        for (at, cell) in cells {
            if self.cursor != Some(at) {
                self.move_to(at);
            }
            self.style_to(Style::of(cell));
            self.out.extend_from_slice(cell.symbol().as_bytes());
            // text reaching the last column leaves the cursor in a state
            // terminals disagree on: forget it
            self.cursor = advance(cell).map(|w| Position::new(at.x + w, at.y)).filter(|p| p.x < self.right);
        }
    }

    fn finish(mut self) -> Written {
        self.style_to(PLAIN);
        Written { out: self.out, cursor: self.cursor }
    }

    /// Moves the cursor to `to` in the fewest bytes.
    fn move_to(&mut self, to: Position) {
        let mut best = absolute(to);
        if let Some(from) = self.cursor {
            best = shorter(best, relative(from, to));
            if let Some(bridge) = self.bridge(from, to) {
                best = shorter(best, bridge);
            }
        }
        self.out.extend_from_slice(&best);
    }

    /// The unchanged cells from `from` up to `to` on one row, when they
    /// are drawn in the attributes in effect and reprinting them lands the
    /// cursor exactly on `to`. (They are unchanged: reprinting writes what
    /// the terminal shows already.)
    fn bridge(&self, from: Position, to: Position) -> Option<Vec<u8>> {
        if from.y != to.y || from.x >= to.x || to.x - from.x > MAX_BRIDGE {
            return None;
        }
        let frame = self.frame?;
        let mut out = Vec::new();
        let mut x = from.x;
        while x < to.x {
            let cell = frame.cell(Position::new(x, from.y))?;
            if Style::of(cell) != self.style {
                return None;
            }
            x += advance(cell)?;
            out.extend_from_slice(cell.symbol().as_bytes());
        }
        (x == to.x).then_some(out)
    }

    /// Switches attributes and colours to `to`, in one sequence.
    fn style_to(&mut self, to: Style) {
        if to == self.style {
            return;
        }
        let best = shorter(sgr_changes(self.style, to).into_bytes(), sgr_fresh(to).into_bytes());
        self.out.extend_from_slice(b"\x1b[");
        self.out.extend_from_slice(&best);
        self.out.push(b'm');
        self.style = to;
    }
}

/// Adds to ratatui's changed cells the right half of each wide character
/// that a narrow one overwrites. Ratatui leaves it out when the wide one's
/// style does not show on a blank, but the terminal blanks it in the
/// attributes then in effect: a stray coloured cell (after `/`, in the
/// footer). It is written again as the new frame has it.
fn mend<'c>(
    cells: Vec<(Position, &'c Cell)>,
    shown: Option<&Buffer>,
    next: Option<&'c Buffer>,
) -> Vec<(Position, &'c Cell)> {
    let (Some(shown), Some(next)) = (shown, next) else { return cells };
    let wide = |c: &Cell| UnicodeWidthStr::width(c.symbol()) > 1;
    let mut out = Vec::with_capacity(cells.len());
    for (i, &(at, cell)) in cells.iter().enumerate() {
        out.push((at, cell));
        let right = Position::new(at.x + 1, at.y);
        if shown.cell(at).is_some_and(wide)
            && !wide(cell)
            && cells.get(i + 1).is_none_or(|&(p, _)| p != right)
            && let Some(c) = next.cell(right)
        {
            out.push((right, c));
        }
    }
    out
}

/// The frame written by scrolling rows of `shown` that reappear in `next`
/// moved up or down, then writing what is left; `None` when no rows moved.
fn scroll(shown: &Buffer, next: &Buffer, right: u16) -> Option<Written> {
    // whole rows of the whole screen: a scrolling region spans the width
    if shown.area.as_position() != Position::ORIGIN || shown.area.width != right {
        return None;
    }
    let (top, rows, shift) = moved_rows(shown, next)?;
    let w = usize::from(shown.area.width);
    let start = |y: u16| usize::from(y) * w;
    // the region holds the rows that move and the rows they move over
    let (first, last) = if shift > 0 { (top, top + rows + shift - 1) } else { (top + shift, top + rows - 1) };
    let (first, last) = (first as u16, last as u16);
    // what the terminal will show once scrolled: the rows moved, the rows
    // scrolled in blank (erased with plain attributes)
    let mut moved = shown.clone();
    for y in first..=last {
        let from = i32::from(y) + shift;
        let dst = start(y);
        if (i32::from(first)..=i32::from(last)).contains(&from) {
            let src = start(from as u16);
            let cells = shown.content[src..src + w].to_vec();
            moved.content[dst..dst + w].clone_from_slice(&cells);
        } else {
            moved.content[dst..dst + w].fill(Cell::EMPTY);
        }
    }
    let mut out = format!("\x1b[{};{}r", first + 1, last + 1).into_bytes();
    if shift > 0 {
        // a line feed on the bottom margin scrolls the region up
        out.extend_from_slice(&absolute(Position::new(0, last)));
        out.extend(std::iter::repeat_n(b'\n', shift as usize));
    } else {
        // a reverse index on the top margin scrolls it down
        out.extend_from_slice(&absolute(Position::new(0, first)));
        for _ in shift..0 {
            out.extend_from_slice(b"\x1bM");
        }
    }
    // the margins back to the whole screen (this homes the cursor on most
    // terminals; the first cell is placed absolutely anyway)
    out.extend_from_slice(b"\x1b[r");
    let mut pen = Pen::plain(Some(next), right);
    pen.out = out;
    let cells = moved.diff(next).into_iter().map(|(x, y, c)| (Position::new(x, y), c)).collect();
    pen.cells(mend(cells, Some(&moved), Some(next)));
    Some(pen.finish())
}

/// The longest run of rows of `next` that are rows of `shown` moved by the
/// same few rows and not already in place: (first row, rows, shift), where
/// row `y` of `next` is row `y + shift` of `shown`.
fn moved_rows(shown: &Buffer, next: &Buffer) -> Option<(i32, i32, i32)> {
    if shown.area != next.area {
        return None;
    }
    let w = usize::from(next.area.width);
    let h = i32::from(next.area.height);
    fn row(b: &Buffer, y: i32, w: usize) -> &[Cell] {
        let i = y as usize * w;
        &b.content[i..i + w]
    }
    let mut best: Option<(i32, i32, i32, usize)> = None;
    for shift in (1..=MAX_SHIFT).flat_map(|s| [s, -s]) {
        let fits = |y: i32| (0..h).contains(&(y + shift)) && row(next, y, w) == row(shown, y + shift, w);
        let mut y = 0;
        while y < h {
            if !fits(y) {
                y += 1;
                continue;
            }
            let (top, mut gain) = (y, 0);
            while y < h && fits(y) {
                if row(next, y, w) != row(shown, y, w) {
                    gain += 1;
                }
                y += 1;
            }
            if gain >= 2 && best.is_none_or(|b| gain > b.3) {
                best = Some((top, y - top, shift, gain));
            }
        }
    }
    best.map(|(top, rows, shift, _)| (top, rows, shift))
}

/// How far printing `cell` moves the cursor, for the characters whose
/// width every terminal agrees on. Not for East Asian "ambiguous" ones
/// (`…`, `—`, `→`), which a terminal set up for CJK draws two columns
/// wide: the next cell is placed explicitly, as ratatui's backend does
/// after every wide character, so a row that drifts is put right at once.
/// Box-drawing lines are ambiguous too, but a terminal that draws them
/// wide breaks every border anyway.
fn advance(cell: &Cell) -> Option<u16> {
    if !matches!(cell.diff_option, CellDiffOption::None | CellDiffOption::AlwaysUpdate) {
        return None;
    }
    let mut chars = cell.symbol().chars();
    let c = chars.next()?;
    if chars.next().is_some() || c.is_control() {
        return None;
    }
    match c.width()? {
        1 if c.width_cjk() == Some(1) || ('\u{2500}'..='\u{257F}').contains(&c) => Some(1),
        2 if surely_wide(c) => Some(2),
        _ => None,
    }
}

/// East Asian wide and full-width blocks (not emoji, whose width terminals
/// disagree on).
fn surely_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// `CSI row ; col H`, with the parameters that default to 1 left out.
fn absolute(to: Position) -> Vec<u8> {
    match (to.y, to.x) {
        (0, 0) => b"\x1b[H".to_vec(),
        (y, 0) => format!("\x1b[{}H", y + 1).into_bytes(),
        (y, x) => format!("\x1b[{};{}H", y + 1, x + 1).into_bytes(),
    }
}

/// Steps from `from` to `to`: up or down (the column stays), then right or
/// left, or a carriage return and right.
fn relative(from: Position, to: Position) -> Vec<u8> {
    let step = |n: u16, c: char| if n == 1 { format!("\x1b[{c}") } else { format!("\x1b[{n}{c}") };
    let mut s = String::new();
    if to.y > from.y {
        s += &step(to.y - from.y, 'B');
    } else if to.y < from.y {
        s += &step(from.y - to.y, 'A');
    }
    let across = match to.x.cmp(&from.x) {
        std::cmp::Ordering::Greater => step(to.x - from.x, 'C'),
        std::cmp::Ordering::Less => step(from.x - to.x, 'D'),
        std::cmp::Ordering::Equal => String::new(),
    };
    let home = if to.x == 0 { "\r".to_string() } else { format!("\r{}", step(to.x, 'C')) };
    s += if home.len() < across.len() { &home } else { &across };
    s.into_bytes()
}

fn shorter(a: Vec<u8>, b: Vec<u8>) -> Vec<u8> {
    if b.len() < a.len() { b } else { a }
}

/// The SGR parameters that turn `from` into `to` without a reset.
fn sgr_changes(from: Style, to: Style) -> String {
    let mut p: Vec<String> = Vec::new();
    let removed = from.modifier - to.modifier;
    let mut added = to.modifier - from.modifier;
    if removed.intersects(Modifier::BOLD | Modifier::DIM) {
        // 22 ends both bold and dim: the one that stays comes back
        p.push("22".into());
        added |= to.modifier & (Modifier::BOLD | Modifier::DIM);
    }
    for (m, off) in [
        (Modifier::ITALIC, "23"),
        (Modifier::UNDERLINED, "24"),
        (Modifier::REVERSED, "27"),
        (Modifier::HIDDEN, "28"),
        (Modifier::CROSSED_OUT, "29"),
    ] {
        if removed.contains(m) {
            p.push(off.into());
        }
    }
    if removed.intersects(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK) {
        p.push("25".into());
        added |= to.modifier & (Modifier::SLOW_BLINK | Modifier::RAPID_BLINK);
    }
    p.extend(modifier_codes(added));
    if to.fg != from.fg {
        p.push(colour(to.fg, Layer::Fore));
    }
    if to.bg != from.bg {
        p.push(colour(to.bg, Layer::Back));
    }
    if to.underline != from.underline {
        p.push(colour(to.underline, Layer::Under));
    }
    p.join(";")
}

/// The SGR parameters that give `to` from a reset.
fn sgr_fresh(to: Style) -> String {
    let mut p = vec!["0".to_string()];
    p.extend(modifier_codes(to.modifier));
    for (c, layer) in [(to.fg, Layer::Fore), (to.bg, Layer::Back), (to.underline, Layer::Under)] {
        if c != Color::Reset {
            p.push(colour(c, layer));
        }
    }
    p.join(";")
}

fn modifier_codes(m: Modifier) -> impl Iterator<Item = String> {
    [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::SLOW_BLINK, "5"),
        (Modifier::RAPID_BLINK, "6"),
        (Modifier::REVERSED, "7"),
        (Modifier::HIDDEN, "8"),
        (Modifier::CROSSED_OUT, "9"),
    ]
    .into_iter()
    .filter(move |(f, _)| m.contains(*f))
    .map(|(_, c)| c.to_string())
}

#[derive(Clone, Copy)]
enum Layer {
    Fore,
    Back,
    Under,
}

/// One colour's SGR parameters. The bright colours (8–15) use their short
/// codes (90–97, 100–107), which name the same palette entries; the basic
/// eight keep the `5;n` form crossterm writes, because some terminals
/// brighten `31` with bold but not `38;5;1`.
fn colour(c: Color, layer: Layer) -> String {
    let base = match layer {
        Layer::Fore => 38,
        Layer::Back => 48,
        Layer::Under => 58,
    };
    let index = match c {
        Color::Reset => return (base + 1).to_string(),
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        Color::Indexed(i) => i,
        Color::Rgb(r, g, b) => return format!("{base};2;{r};{g};{b}"),
    };
    match (layer, index) {
        (Layer::Fore, 8..=15) => (90 + index - 8).to_string(),
        (Layer::Back, 8..=15) => (100 + u16::from(index) - 8).to_string(),
        _ => format!("{base};5;{index}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::TerminalOptions;
    use ratatui::Viewport;
    use ratatui::style::Style as Look;

    #[derive(Clone, Default)]
    struct Sink(Rc<RefCell<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Sink {
        fn take(&self) -> Vec<u8> {
            std::mem::take(&mut *self.0.borrow_mut())
        }
    }

    fn cell(s: &str) -> Cell {
        let mut c = Cell::EMPTY;
        c.set_symbol(s);
        c
    }

    #[test]
    fn the_cursor_follows_only_widths_every_terminal_agrees_on() {
        assert_eq!(advance(&cell("a")), Some(1));
        assert_eq!(advance(&cell("楼")), Some(2));
        assert_eq!(advance(&cell("，")), Some(2));
        assert_eq!(advance(&cell("─")), Some(1));
        for unsure in ["…", "—", "→", "✅", "👍🏽", "e\u{301}"] {
            assert_eq!(advance(&cell(unsure)), None, "{unsure}");
        }
    }

    #[test]
    fn a_style_change_is_one_sgr_sequence() {
        let selected =
            Style { fg: Color::White, bg: Color::DarkGray, underline: Color::Reset, modifier: Modifier::BOLD };
        assert_eq!(sgr_changes(PLAIN, selected), "1;97;100");
        assert_eq!(sgr_fresh(PLAIN), "0");
        let overdue = Style { fg: Color::Red, ..PLAIN };
        // bold and the background go; red stays the 256-colour index
        // crossterm writes. Starting afresh is shorter than undoing.
        assert_eq!(sgr_changes(selected, overdue), "22;38;5;1;49");
        assert_eq!(sgr_fresh(overdue), "0;38;5;1");
        let mut pen = Pen::plain(None, 80);
        pen.style_to(selected);
        pen.style_to(overdue);
        assert_eq!(pen.finish().out, b"\x1b[1;97;100m\x1b[0;38;5;1m\x1b[0m");
    }

    /// Draws frames of text lines through the backend; returns each
    /// frame's bytes and what a terminal (vt100) then shows.
    fn frames(w: u16, h: u16, frames: &[Vec<String>]) -> Vec<(Vec<u8>, String)> {
        let sink = Sink::default();
        let area = Rect::new(0, 0, w, h);
        let backend = LeanBackend::new(sink.clone(), area);
        let mut t = Terminal::with_options(backend, TerminalOptions { viewport: Viewport::Fixed(area) }).unwrap();
        let size = |n: u16| std::num::NonZeroU16::new(n).unwrap();
        let mut vt = vt100::Parser::new(size(h), size(w), 0);
        let mut out = Vec::new();
        for lines in frames {
            draw(&mut t, |f| {
                for (y, l) in lines.iter().enumerate() {
                    f.buffer_mut().set_string(0, y as u16, l, Look::new());
                }
            })
            .unwrap();
            let bytes = sink.take();
            vt.process(&bytes);
            out.push((bytes, vt.screen().contents()));
        }
        out
    }

    fn rows(from: usize, n: usize) -> Vec<String> {
        (from..from + n).map(|i| format!("第{i}行 楼道灯不亮 row {i}")).collect()
    }

    #[test]
    fn rows_that_move_by_one_are_scrolled_by_the_terminal() {
        // a list of 10 rows scrolled down by one, then back up
        let (a, b) = (rows(0, 10), rows(1, 10));
        let out = frames(40, 10, &[a.clone(), b.clone(), a.clone()]);
        let (down, up) = (&out[1], &out[2]);
        assert!(down.0.starts_with(b"\x1b[1;10r\x1b[10H\n\x1b[r"), "{:?}", String::from_utf8_lossy(&down.0));
        assert!(up.0.starts_with(b"\x1b[1;10r\x1b[H\x1bM\x1b[r"), "{:?}", String::from_utf8_lossy(&up.0));
        // one new row written, not ten
        assert!(down.0.len() < 60 && up.0.len() < 60, "{} and {} bytes", down.0.len(), up.0.len());
        assert_eq!(down.1, b.join("\n"));
        assert_eq!(up.1, a.join("\n"));
    }

    #[test]
    fn text_after_wide_characters_needs_no_cursor_moves() {
        let out = frames(40, 2, &[vec!["楼道灯不亮，请尽快修理".into(), "ok".into()]]);
        assert_eq!(out[0].0, "\x1b[H楼道灯不亮，请尽快修理\x1b[2Hok\x1b[?25l".as_bytes());
    }

    #[test]
    fn a_few_unchanged_cells_are_reprinted_rather_than_stepped_over() {
        let out = frames(40, 1, &[vec!["2026-000123 ab".into()], vec!["2026-000124 ac".into()]]);
        // " a" is cheaper than a step over it
        assert_eq!(out[1].0, "\x1b[1;11H4 ac".as_bytes());
        assert_eq!(out[1].1, "2026-000124 ac");
    }

    /// One frame of a test: its lines of text and where the cursor is.
    type Screen = (Vec<String>, Option<Position>);

    fn paint(buf: &mut Buffer, lines: &[String]) {
        for (y, l) in lines.iter().enumerate() {
            buf.set_string(0, y as u16, l, Look::new());
        }
    }

    /// The screens drawn through ratatui's `Terminal` and [`draw`]: each
    /// frame's bytes.
    fn via_terminal(w: u16, h: u16, screens: &[Screen]) -> Vec<Vec<u8>> {
        let sink = Sink::default();
        let area = Rect::new(0, 0, w, h);
        let mut t = Terminal::with_options(
            LeanBackend::new(sink.clone(), area),
            TerminalOptions { viewport: Viewport::Fixed(area) },
        )
        .unwrap();
        let mut out = Vec::new();
        for (lines, cursor) in screens {
            draw(&mut t, |f| {
                paint(f.buffer_mut(), lines);
                if let Some(p) = cursor {
                    f.set_cursor_position(*p);
                }
            })
            .unwrap();
            out.push(sink.take());
        }
        out
    }

    fn screens() -> Vec<Screen> {
        let mut edited = rows(1, 10);
        edited[4] = "第5行 楼道灯已修好 row 5".into();
        let mut two = edited.clone();
        two[0] = "第1行 改了 row 1".into();
        two[9] = "第10行 也改了".into();
        vec![
            (rows(0, 10), None),
            // scrolled by one: a new row at the top (a colleague's save)
            (rows(1, 10), None),
            // one row changed, the cursor in a form's field
            (edited.clone(), Some(Position::new(7, 4))),
            (edited, Some(Position::new(9, 4))),
            // two rows far apart
            (two, None),
            // scrolled back, then by three
            (rows(0, 10), None),
            (rows(3, 10), Some(Position::new(0, 0))),
            (vec![String::new(); 10], None),
        ]
    }

    #[test]
    fn a_frame_drawn_into_the_kept_buffer_is_the_bytes_ratatuis_terminal_gave() {
        let (w, h) = (40, 10);
        let screens = screens();
        let sink = Sink::default();
        let mut b = LeanBackend::remote(sink.clone(), Rect::new(0, 0, w, h));
        let mut out = Vec::new();
        for (lines, cursor) in &screens {
            b.frame(|area, buf| {
                assert_eq!(area, Rect::new(0, 0, w, h));
                paint(buf, lines);
                *cursor
            })
            .unwrap();
            out.push(sink.take());
        }
        let want = via_terminal(w, h, &screens);
        for (i, (got, want)) in out.iter().zip(&want).enumerate() {
            assert_eq!(String::from_utf8_lossy(got), String::from_utf8_lossy(want), "frame {i}");
        }
        // the scrolls were taken (not every row written again)
        assert!(out[1].starts_with(b"\x1b[1;10r"), "{:?}", String::from_utf8_lossy(&out[1]));
    }

    #[test]
    fn after_a_clear_or_a_new_size_the_kept_buffer_draws_the_whole_frame() {
        let (w, h) = (40, 10);
        let size = |n: u16| std::num::NonZeroU16::new(n).unwrap();
        let sink = Sink::default();
        let mut b = LeanBackend::remote(sink.clone(), Rect::new(0, 0, w, h));
        let mut vt = vt100::Parser::new(size(h), size(w), 0);
        let mut show = |b: &mut LeanBackend<Sink>, lines: &[String]| {
            b.frame(|_, buf| {
                paint(buf, lines);
                None
            })
            .unwrap();
            let bytes = sink.take();
            vt.process(&bytes);
            (bytes, vt.screen().contents())
        };
        let first = show(&mut b, &rows(0, 10));
        assert_eq!(first.1, rows(0, 10).join("\n"));
        // bytes were lost on the way (a terminal that stopped reading):
        // the screen is cleared and drawn whole, not as a change
        b.clear().unwrap();
        let again = show(&mut b, &rows(0, 10));
        assert!(again.0.starts_with(b"\x1b[2J"), "{:?}", String::from_utf8_lossy(&again.0));
        let written = String::from_utf8_lossy(&again.0).into_owned();
        assert!(rows(0, 10).iter().all(|r| written.contains(r.as_str())), "{written:?}");
        assert_eq!(again.1, rows(0, 10).join("\n"));
        // a smaller window: the frame fits it, whole
        b.set_area(Rect::new(0, 0, 30, 5));
        b.clear().unwrap();
        let mut vt5 = vt100::Parser::new(size(5), size(30), 0);
        b.frame(|area, buf| {
            assert_eq!(area, Rect::new(0, 0, 30, 5));
            paint(buf, &rows(0, 5));
            None
        })
        .unwrap();
        vt5.process(&sink.take());
        assert_eq!(vt5.screen().contents(), rows(0, 5).join("\n"));
    }
}
