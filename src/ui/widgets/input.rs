//! A one-line text input that understands double-width characters: the
//! cursor is placed by display width, the view scrolls to keep it visible,
//! and pasted or IME-committed text arrives as whole strings.

use crate::domain::text::{self, MAX_FIELD_CHARS};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use unicode_width::UnicodeWidthChar;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    chars: Vec<char>,
    /// Cursor position in characters.
    cursor: usize,
}

impl LineInput {
    pub fn new(s: &str) -> LineInput {
        let mut i = LineInput::default();
        i.insert_str(s);
        i
    }

    pub fn value(&self) -> String {
        self.chars.iter().collect()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    pub fn clear(&mut self) {
        self.chars.clear();
        self.cursor = 0;
    }

    /// Inserts typed or pasted text; escape sequences are dropped whole,
    /// so are control and invisible characters (a zero-width space),
    /// newlines become spaces.
    pub fn insert_str(&mut self, s: &str) {
        let cleaned;
        let s = if s.contains(['\u{1b}', '\u{9b}']) {
            cleaned = text::clean_input(s, false);
            cleaned.as_str()
        } else {
            s
        };
        for c in s.chars() {
            if self.chars.len() >= MAX_FIELD_CHARS {
                break;
            }
            let c = if c == '\n' || c == '\t' { ' ' } else { c };
            if c.is_control() || c == '\r' || text::is_invisible(c) {
                continue;
            }
            self.chars.insert(self.cursor, c);
            self.cursor += 1;
        }
    }

    /// Handles an editing key; returns false if the key is not an edit.
    pub fn handle_key(&mut self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('u') if ctrl => {
                self.chars.drain(..self.cursor);
                self.cursor = 0;
            }
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.chars.len(),
            KeyCode::Char('w') if ctrl => {
                let mut start = self.cursor;
                while start > 0 && self.chars[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && self.chars[start - 1] != ' ' {
                    start -= 1;
                }
                self.chars.drain(start..self.cursor);
                self.cursor = start;
            }
            KeyCode::Char(c) if !ctrl && !key.modifiers.contains(KeyModifiers::ALT) => {
                let mut buf = [0u8; 4];
                self.insert_str(c.encode_utf8(&mut buf));
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                self.chars.remove(self.cursor);
            }
            KeyCode::Backspace => {}
            KeyCode::Delete if self.cursor < self.chars.len() => {
                self.chars.remove(self.cursor);
            }
            KeyCode::Delete => {}
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.chars.len()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.chars.len(),
            _ => return false,
        }
        true
    }

    /// Draws the text in `area` (one line) and returns where the terminal
    /// cursor belongs. The view scrolls so the cursor stays visible.
    pub fn render(&self, area: Rect, buf: &mut Buffer, style: Style) -> Position {
        let width = area.width as usize;
        if width == 0 {
            return Position::new(area.x, area.y);
        }
        let w = |c: &char| c.width().unwrap_or(0);
        let before: usize = self.chars[..self.cursor].iter().map(w).sum();
        // first visible char: drop chars from the left until the cursor fits
        let mut start = 0;
        let mut skipped = 0;
        while before - skipped >= width && start < self.cursor {
            skipped += w(&self.chars[start]);
            start += 1;
        }
        let visible: String = self.chars[start..].iter().collect();
        let shown = text::truncate(&text::display_safe(&visible), width);
        buf.set_style(area, style);
        buf.set_stringn(area.x, area.y, &shown, width, style);
        let cx = area.x + (before - skipped).min(width.saturating_sub(1)) as u16;
        Position::new(cx, area.y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn edits_chinese_by_character() {
        let mut i = LineInput::new("楼道灯");
        i.handle_key(&key(KeyCode::Left));
        i.handle_key(&key(KeyCode::Backspace));
        assert_eq!(i.value(), "楼灯");
        i.insert_str("道的");
        assert_eq!(i.value(), "楼道的灯");
        i.handle_key(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(i.value(), "灯");
    }

    #[test]
    fn pasted_control_characters_are_dropped() {
        let mut i = LineInput::default();
        i.insert_str("张\u{1b}[31m三\r\n李四\u{7}");
        assert_eq!(i.value(), "张三 李四", "an escape sequence goes whole");
    }

    #[test]
    fn cursor_is_placed_by_display_width_and_scrolls() {
        let i = LineInput::new("张三abc");
        let mut buf = Buffer::empty(Rect::new(0, 0, 20, 1));
        let p = i.render(Rect::new(2, 0, 10, 1), &mut buf, Style::new());
        assert_eq!(p, Position::new(2 + 7, 0));
        let long = LineInput::new(&"漏水".repeat(20));
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
        let p = long.render(Rect::new(0, 0, 10, 1), &mut buf, Style::new());
        assert!(p.x < 10);
    }
}
