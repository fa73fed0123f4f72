//! Panel 2, the residents directory (居民名册): search by name, pinyin
//! initials, phone digits, address or tag; the selected resident's details
//! (phone masked unless revealed, and the reveal recorded) and requests.

pub mod forms;
mod view;

use super::keymap::{Action, Scope};
use super::panel::{ListState, Panel, SearchKey, list_step, search_line_key};
use super::shared::{Effect, Shared};
use super::widgets::input::LineInput;
use super::widgets::picker::{PickItem, query_words};
use crate::domain::{Request, Resident, ResidentId, mask};
use crate::store::record::RecordKind;
use crate::store::rows::ResidentKey;
use crate::store::undo::ChangeSet;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};

#[derive(Default)]
pub struct ResidentsPanel {
    pub search: LineInput,
    pub searching: bool,
    pub hits: Vec<ResidentId>,
    pub list: ListState,
    /// The selected resident in full, and their requests, newest first.
    pub current: Option<Resident>,
    pub history: Vec<Request>,
    pub revealed: Option<ResidentId>,
    pub list_height: usize,
}

/// A resident as the resident picker offers them.
pub fn pick_item(k: &ResidentKey<'_>) -> PickItem {
    let label = format!("{}  {}  {}", k.name, mask::phone(k.phone), k.address);
    PickItem::new(label, k.id.0, k.name, k.phone, &format!("{} {}", k.address, k.tags_shown()))
}

impl ResidentsPanel {
    /// Re-runs the search over every resident, keeping the selection.
    pub fn refilter(&mut self, sh: &Shared) {
        let keep = self.selected_id();
        let words = query_words(&crate::domain::text::clean_input(&self.search.value(), false));
        self.hits = sh.index.residents().filter(|k| k.matches(&words)).map(|k| k.id).collect();
        let pos = keep.and_then(|id| self.hits.iter().position(|h| *h == id));
        self.list.to(pos.unwrap_or(self.list.sel), self.hits.len());
    }

    pub fn selected_id(&self) -> Option<ResidentId> {
        self.hits.get(self.list.sel).copied()
    }

    /// The selected resident's full record (read when the selection moved).
    pub fn selected(&self) -> Option<&Resident> {
        self.current.as_ref().filter(|r| Some(r.id) == self.selected_id())
    }

    pub fn select_id(&mut self, id: ResidentId) {
        if let Some(p) = self.hits.iter().position(|h| *h == id) {
            self.list.sel = p;
        }
    }

    /// Reads the selected resident and their requests from the store.
    pub fn load_history(&mut self, sh: &mut Shared) {
        let id = self.selected_id();
        if self.current.as_ref().map(|r| r.id) != id {
            self.current = match id.map(|id| sh.store.resident(id)) {
                Some(Ok(r)) => r,
                Some(Err(e)) => {
                    sh.error(&e);
                    None
                }
                None => None,
            };
        }
        self.history = match id.map(|id| sh.store.requests_of(id)) {
            Some(Ok(mut v)) => {
                v.reverse();
                v
            }
            Some(Err(e)) => {
                sh.error(&e);
                Vec::new()
            }
            None => Vec::new(),
        };
    }

    fn after_search(&mut self, sh: &mut Shared) {
        self.refilter(sh);
        self.load_history(sh);
    }
}

impl Panel for ResidentsPanel {
    fn scopes(&self) -> Vec<Scope> {
        vec![Scope::Residents, Scope::List]
    }

    fn render(&mut self, area: Rect, buf: &mut Buffer, sh: &Shared) -> Option<Position> {
        self.draw(area, buf, sh)
    }

    fn act(&mut self, action: Action, sh: &mut Shared) -> bool {
        if let Some(d) = list_step(action, self.list_height) {
            self.list.step(d, self.hits.len());
            self.revealed = None;
            self.load_history(sh);
            return true;
        }
        match action {
            Action::Search => self.searching = true,
            Action::Open | Action::Edit => {
                if let Some(r) = self.selected().cloned() {
                    forms::open_form(sh, Some(&r), "");
                }
            }
            Action::New => forms::open_form(sh, None, ""),
            Action::NewRequestFor => {
                if let Some(r) = self.selected() {
                    let pre = (r.id, r.name.clone());
                    sh.effect(Effect::Goto(super::panel::PanelId::Requests));
                    super::requests::forms::open_new(sh, Some(pre));
                }
            }
            Action::Reveal => {
                // the full phone number and the sensitive tags, each
                // recorded before it shows
                if let Some(r) = self.selected() {
                    let id = r.id;
                    let mut what: Vec<&'static str> = Vec::new();
                    if !r.phone.is_empty() {
                        what.push("phone");
                    }
                    if sh.sensitive.any(&r.tags) {
                        what.push("tags");
                    }
                    if !what.is_empty() && forms::reveal_fields(sh, RecordKind::Resident, id.0, &what) {
                        self.revealed = Some(id);
                    }
                }
            }
            _ => return false,
        }
        true
    }

    fn search_key(&mut self, key: &KeyEvent, sh: &mut Shared) -> bool {
        if !self.searching {
            return false;
        }
        match search_line_key(&mut self.search, &mut self.searching, key) {
            SearchKey::Cleared | SearchKey::Edited => self.after_search(sh),
            SearchKey::Move(a) => {
                self.act(a, sh);
            }
            SearchKey::Done | SearchKey::Nothing => {}
        }
        true
    }

    fn searching(&self) -> bool {
        self.searching
    }

    fn paste(&mut self, s: &str, sh: &mut Shared) {
        if self.searching {
            self.search.insert_str(s);
            self.after_search(sh);
        }
    }

    fn on_change(&mut self, set: &ChangeSet, sh: &mut Shared) {
        if set.0.iter().any(|c| c.kind == RecordKind::Resident) {
            self.current = None;
            self.refilter(sh);
            self.load_history(sh);
            return;
        }
        // a request changed: the list stays; the selected resident's
        // requests are read again if it is (or was) one of theirs
        let Some(sel) = self.selected_id() else { return };
        let theirs = set.0.iter().filter(|c| c.kind == RecordKind::Request).any(|c| {
            let id = crate::domain::RequestId(c.id);
            self.history.iter().any(|r| r.id == id)
                || sh.index.position(id).and_then(|i| sh.index.row(i)).is_some_and(|r| r.resident == Some(sel))
        });
        if theirs {
            self.load_history(sh);
        }
    }

    fn shown(&mut self, sh: &mut Shared) {
        self.load_history(sh);
    }

    fn history_target(&self, _sh: &Shared) -> Option<(RecordKind, u64, String)> {
        self.selected().map(|r| (RecordKind::Resident, r.id.0, r.name.clone()))
    }

    fn loading(&self, sh: &Shared) -> bool {
        !sh.loaded
    }
}
