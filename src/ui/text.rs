//! Drawing text on the screen: one line cut to fit and safe for the
//! terminal, wrapping by display width (Chinese characters are two columns),
//! and the boxes popups are drawn in.

use super::theme::Theme;
use crate::domain::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders, Clear, Widget};

/// A rectangle of `w`×`h` centred in `area` (clamped to it).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

/// Clears the area of a popup. A double-width character just left of it
/// would still be drawn by the terminal over the popup's left border, so it
/// is blanked too.
pub fn clear_popup(area: Rect, buf: &mut Buffer) {
    if area.x > buf.area.x {
        for y in area.top()..area.bottom().min(buf.area.bottom()) {
            let cell = &mut buf[(area.x - 1, y)];
            if text::width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
    Clear.render(area, buf);
}

/// Draws one line of text, cut to fit, safe for the terminal.
pub fn line(buf: &mut Buffer, x: u16, y: u16, w: u16, s: &str, style: Style) {
    buf.set_stringn(x, y, text::truncate(&text::display_safe(s), w as usize), w as usize, style);
}

/// A bordered box with a title; returns the area inside it.
pub fn boxed(r: Rect, buf: &mut Buffer, theme: &Theme, title: &str) -> Rect {
    clear_popup(r, buf);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(format!(" {title} "))
        .title_style(theme.title);
    let inner = block.inner(r);
    block.render(r, buf);
    inner
}

/// Wraps text at `width` display columns (CJK-aware; breaks anywhere).
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let mut out = Vec::new();
    for para in s.split('\n') {
        let mut cur = String::new();
        let mut w = 0;
        for c in crate::domain::text::display_safe(para).chars() {
            let cw = c.width().unwrap_or(0);
            if w + cw > width.max(2) {
                out.push(std::mem::take(&mut cur));
                w = 0;
            }
            cur.push(c);
            w += cw;
        }
        out.push(cur);
    }
    out
}
