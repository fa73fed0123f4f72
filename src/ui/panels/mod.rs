//! The panels. Each keeps its own state and draws itself; the app
//! routes keys to it and does the saving.

pub mod duties;
pub mod requests;
pub mod residents;
pub mod rollcall;
pub mod roster;
pub mod workers;

/// Selection and scroll of a list of `len` rows shown `height` at a time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListState {
    pub sel: usize,
    pub offset: usize,
}

impl ListState {
    pub fn step(&mut self, delta: isize, len: usize) {
        if len == 0 {
            self.sel = 0;
            return;
        }
        self.sel = (self.sel as isize + delta).clamp(0, len as isize - 1) as usize;
    }

    pub fn to(&mut self, i: usize, len: usize) {
        self.sel = i.min(len.saturating_sub(1));
    }

    /// Keeps the selection visible in a window of `height` rows; returns
    /// the first row to draw.
    pub fn visible_from(&mut self, height: usize, len: usize) -> usize {
        self.sel = self.sel.min(len.saturating_sub(1));
        if height == 0 {
            return self.offset;
        }
        if self.sel < self.offset {
            self.offset = self.sel;
        } else if self.sel >= self.offset + height {
            self.offset = self.sel + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height.min(len)));
        self.offset
    }
}

use crate::domain::{WorkCalendar, Worker, WorkerId};
use crate::i18n::Lang;
use crate::store::rows::Today;
use crate::ui::theme::Theme;

/// What every panel needs to draw itself.
pub struct Ctx<'a> {
    pub lang: Lang,
    pub theme: &'a Theme,
    pub today: Today,
    pub cal: &'a WorkCalendar,
    pub workers: &'a [Worker],
    pub revealed: bool,
}

impl Ctx<'_> {
    pub fn worker_name(&self, id: Option<WorkerId>) -> &str {
        id.and_then(|id| self.workers.iter().find(|w| w.id == id)).map_or("", |w| w.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_stays_visible() {
        let mut s = ListState::default();
        s.step(15, 100);
        assert_eq!(s.visible_from(10, 100), 6);
        s.step(-100, 100);
        assert_eq!((s.sel, s.visible_from(10, 100)), (0, 0));
        s.to(500, 100);
        assert_eq!(s.sel, 99);
        s.step(1, 0);
        assert_eq!(s.sel, 0);
    }
}
