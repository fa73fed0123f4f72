//! The four panels behind the tabs, as one trait: each keeps its own state,
//! draws itself, handles the actions of its scopes and follows the store's
//! changes. The app only routes keys to the panel shown and hands every
//! change set to all of them.

use super::keymap::{Action, Scope};
use super::shared::Shared;
use crate::i18n::Lang;
use crate::store::record::RecordKind;
use crate::store::undo::ChangeSet;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelId {
    Requests,
    Residents,
    /// Panel 3, the duties board.
    Duties,
    /// Panel 4, the volunteer roster.
    Volunteers,
}

impl PanelId {
    /// In tab order.
    pub const ALL: [PanelId; 4] = [PanelId::Requests, PanelId::Residents, PanelId::Duties, PanelId::Volunteers];

    pub fn index(self) -> usize {
        PanelId::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// The tab's name in two characters, for a narrow header.
    pub fn short_name(self, lang: Lang) -> &'static str {
        lang.t().panels_short[self as usize]
    }

    /// The tab's name.
    pub fn name(self, lang: Lang) -> &'static str {
        let t = lang.t();
        match self {
            PanelId::Requests => t.panel_requests,
            PanelId::Residents => t.panel_residents,
            PanelId::Duties => t.panel_workers,
            PanelId::Volunteers => lang.volunteers().panel,
        }
    }
}

pub trait Panel {
    /// The key map's scopes in effect here, most specific first (the app
    /// adds `Global`).
    fn scopes(&self) -> Vec<Scope>;
    /// Draws the panel; returns where the cursor belongs (a search line).
    fn render(&mut self, area: Rect, buf: &mut Buffer, sh: &Shared) -> Option<Position>;
    /// An action of the key map; returns whether it was used.
    fn act(&mut self, action: Action, sh: &mut Shared) -> bool;
    /// A key while the panel's search line has focus; returns whether used.
    fn search_key(&mut self, _key: &KeyEvent, _sh: &mut Shared) -> bool {
        false
    }
    /// Whether a search line has focus (the footer says how to leave it).
    fn searching(&self) -> bool {
        false
    }
    fn paste(&mut self, _s: &str, _sh: &mut Shared) {}
    /// The store changed (a save here or elsewhere, an undo): show what is
    /// stored now. The shared index and workers are already up to date.
    fn on_change(&mut self, _set: &ChangeSet, _sh: &mut Shared) {}
    /// The panel was switched to.
    fn shown(&mut self, _sh: &mut Shared) {}
    /// After every event, whether shown (`here`) or not; `idle` when no
    /// layer is open above the panels.
    fn after_event(&mut self, _sh: &mut Shared, _here: bool, _idle: bool) {}
    /// Footer hints of the panel's own, when the key map's do not apply.
    fn footer(&self, _sh: &Shared) -> Option<Vec<(String, &'static str)>> {
        None
    }
    /// What `H` shows the history of: the selected record.
    fn history_target(&self, _sh: &Shared) -> Option<(RecordKind, u64, String)> {
        None
    }
    /// Says "loading" in the footer while its lists are read.
    fn loading(&self, _sh: &Shared) -> bool {
        false
    }
}

/// Every panel, and which one is shown.
pub struct Panels {
    pub current: PanelId,
    pub requests: super::requests::RequestsPanel,
    pub residents: super::residents::ResidentsPanel,
    pub duties: super::duties::DutiesPanel,
    pub volunteers: super::volunteers::VolunteersPanel,
}

impl Panels {
    pub fn get(&self, id: PanelId) -> &dyn Panel {
        match id {
            PanelId::Requests => &self.requests,
            PanelId::Residents => &self.residents,
            PanelId::Duties => &self.duties,
            PanelId::Volunteers => &self.volunteers,
        }
    }

    pub fn get_mut(&mut self, id: PanelId) -> &mut dyn Panel {
        match id {
            PanelId::Requests => &mut self.requests,
            PanelId::Residents => &mut self.residents,
            PanelId::Duties => &mut self.duties,
            PanelId::Volunteers => &mut self.volunteers,
        }
    }

    pub fn current(&self) -> &dyn Panel {
        self.get(self.current)
    }

    pub fn current_mut(&mut self) -> &mut dyn Panel {
        self.get_mut(self.current)
    }

    /// Shows panel `id` (and tells it so).
    pub fn show(&mut self, id: PanelId, sh: &mut Shared) {
        self.current = id;
        self.get_mut(id).shown(sh);
    }

    /// Takes what the store wrote since the last call as one undo step and
    /// shows it everywhere. Called after every event, and by a handler that
    /// wants to select what it just saved.
    pub fn sync(&mut self, sh: &mut Shared) {
        let set = sh.store.take_last_change();
        if set.0.is_empty() {
            return;
        }
        sh.redo.clear();
        if let Some(u) = sh.undoing.as_mut() {
            u.new_step = true;
        }
        self.broadcast(&set, sh);
        // kept, not copied: an import's step holds every record's bytes
        // (30,000 residents: ~7 MB, twice at the peak with a copy)
        sh.undo.push(set);
    }

    /// Shows a change set everywhere (a save, an undo, a redo).
    pub fn broadcast(&mut self, set: &ChangeSet, sh: &mut Shared) {
        if let Some(out) = sh.outbox.as_mut() {
            out.push(set.clone());
        }
        sh.apply(set);
        for id in PanelId::ALL {
            self.get_mut(id).on_change(set, sh);
        }
    }

    /// Shows a colleague's change set (under the store server): as
    /// [`Panels::broadcast`], but the shared search index already has it
    /// and it is no step of this terminal's undo.
    pub fn colleague_changed(&mut self, set: &ChangeSet, sh: &mut Shared) {
        sh.apply_with(set, false);
        sh.from_colleague = true;
        for id in PanelId::ALL {
            self.get_mut(id).on_change(set, sh);
        }
        sh.from_colleague = false;
    }
}

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

/// What a key on a panel's search line did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchKey {
    /// Enter: the search is kept, the list gets the keys again.
    Done,
    /// Esc: the search is cleared and left.
    Cleared,
    /// The text changed: search again.
    Edited,
    /// A list move, for the panel to make.
    Move(Action),
    Nothing,
}

/// A key while a search line has focus (the key map's `Search` scope:
/// Enter keeps the search, Esc clears it; the list's arrows still move).
pub fn search_line_key(
    input: &mut super::widgets::input::LineInput,
    searching: &mut bool,
    key: &KeyEvent,
) -> SearchKey {
    use ratatui::crossterm::event::KeyCode;
    match super::keymap::resolve(&[Scope::Search], key) {
        Some(Action::Pick) => {
            *searching = false;
            SearchKey::Done
        }
        Some(Action::ClearFilter) => {
            *searching = false;
            input.clear();
            SearchKey::Cleared
        }
        _ => match key.code {
            KeyCode::Up => SearchKey::Move(Action::Up),
            KeyCode::Down => SearchKey::Move(Action::Down),
            KeyCode::PageUp => SearchKey::Move(Action::PageUp),
            KeyCode::PageDown => SearchKey::Move(Action::PageDown),
            _ if input.handle_key(key) => SearchKey::Edited,
            _ => SearchKey::Nothing,
        },
    }
}

/// The step of a list action: `Some(delta)` for the moves, `None` else.
pub fn list_step(a: Action, page: usize) -> Option<isize> {
    let page = page.max(1) as isize;
    Some(match a {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -page,
        Action::PageDown => page,
        Action::Top => isize::MIN / 2,
        Action::Bottom => isize::MAX / 2,
        _ => return None,
    })
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
