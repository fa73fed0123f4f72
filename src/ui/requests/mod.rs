//! Panel 1, the residents' requests (居民诉求): search as you type over
//! every request, filters and sorts, the selected request's details and
//! timeline, and its next steps. The list is drawn in `view`, the forms,
//! menus and pickers it opens are in `forms`.

pub mod forms;
mod view;

use super::keymap::{Action, Scope};
use super::panel::{ListState, Panel, SearchKey, list_step, search_line_key};
use super::shared::{Effect, Shared};
use super::widgets::input::LineInput;
use crate::domain::{Request, RequestId, Resident};
use crate::store::StoreError;
use crate::store::record::RecordKind;
use crate::store::rows::{Filter, RequestIndex, Sort};
use crate::store::undo::ChangeSet;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};

/// How many of the newest requests the first frame shows before the full
/// index has loaded.
pub const PREVIEW_ROWS: usize = 60;

#[derive(Default)]
pub struct RequestsPanel {
    pub search: LineInput,
    pub searching: bool,
    pub filter: Filter,
    pub sort: Sort,
    /// Positions in the shared index of the requests shown, in order (a
    /// deque: a new request goes in at the front without moving the rest).
    pub hits: std::collections::VecDeque<u32>,
    pub list: ListState,
    /// The selected request in full, read from the store on selection.
    pub detail: Option<Request>,
    /// Full-screen detail view with its scroll.
    pub full: Option<u16>,
    pub list_height: usize,
    /// The index's layout when `hits` were made (see `RequestIndex::layout`).
    layout: u64,
}

impl RequestsPanel {
    /// The first frame: the newest requests, read directly, until the full
    /// index has loaded in the background.
    pub fn new(sh: &mut Shared) -> Result<RequestsPanel, StoreError> {
        let latest = sh.store.latest_requests(PREVIEW_ROWS)?;
        let mut residents: Vec<Resident> = Vec::new();
        for r in &latest {
            if let Some(id) = r.resident
                && let Some(res) = sh.store.resident(id)?
            {
                residents.push(res);
            }
        }
        let mut index = RequestIndex::new(residents);
        for r in latest.iter().rev() {
            index.upsert(r);
        }
        sh.index = index;
        let mut p = RequestsPanel::default();
        p.refresh(sh);
        Ok(p)
    }

    /// Where row `i` is in the list, if it is.
    fn place(&self, i: u32) -> Option<usize> {
        match self.sort {
            // newest first: the list is in falling position order
            Sort::Newest => self.hits.binary_search_by(|&h| i.cmp(&h)).ok(),
            _ => self.hits.iter().position(|&h| h == i),
        }
    }

    pub fn selected_id(&self, sh: &Shared) -> Option<RequestId> {
        self.hits.get(self.list.sel).and_then(|&i| sh.index.row(i)).map(|r| r.id)
    }

    /// The full index has replaced the preview: the preview's row positions
    /// mean nothing in it, so the selection is kept by request.
    pub fn index_loaded(&mut self, sh: &mut Shared) {
        let keep = self.detail.as_ref().map(|r| r.id);
        self.hits.clear();
        self.refresh(sh);
        if let Some(id) = keep {
            self.select(id, sh);
        }
    }

    /// Re-runs the query, keeping the selected request selected.
    pub fn refresh(&mut self, sh: &mut Shared) {
        let keep = self.selected_id(sh).or(self.detail.as_ref().map(|r| r.id));
        let q = crate::domain::text::clean_input(&self.search.value(), false);
        self.hits = sh.index.query(&q, &self.filter, self.sort, sh.today).into();
        self.layout = sh.index.layout();
        let pos = keep.and_then(|id| sh.index.position(id)).and_then(|i| self.place(i));
        self.list.to(pos.unwrap_or(0), self.hits.len());
        self.load_detail(sh);
    }

    pub fn select(&mut self, id: RequestId, sh: &mut Shared) {
        if let Some(i) = sh.index.position(id)
            && let Some(p) = self.place(i)
        {
            self.list.to(p, self.hits.len());
        }
        self.load_detail(sh);
    }

    /// Shows one request, whatever the filters were.
    pub fn show_request(&mut self, id: RequestId, sh: &mut Shared) {
        self.filter = Default::default();
        self.search.clear();
        self.full = None;
        self.refresh(sh);
        self.select(id, sh);
    }

    /// Reads the selected request in full (one store read) for the detail pane.
    pub fn load_detail(&mut self, sh: &mut Shared) {
        let id = self.selected_id(sh);
        if self.detail.as_ref().map(|r| r.id) == id {
            return;
        }
        self.detail = match id.map(|id| sh.store.request(id)) {
            Some(Ok(r)) => r,
            Some(Err(e)) => {
                sh.error(&e);
                None
            }
            None => None,
        };
    }

    fn step(&mut self, delta: isize, sh: &mut Shared) {
        if let Some(s) = self.full.as_mut() {
            *s = (*s as isize + delta.clamp(-1000, 1000)).clamp(0, 1000) as u16;
            return;
        }
        self.list.step(delta, self.hits.len());
        self.load_detail(sh);
    }
}

impl Panel for RequestsPanel {
    fn scopes(&self) -> Vec<Scope> {
        if self.full.is_some() {
            return vec![Scope::RequestFull, Scope::Requests, Scope::List];
        }
        vec![Scope::Requests, Scope::List]
    }

    fn render(&mut self, area: Rect, buf: &mut Buffer, sh: &Shared) -> Option<Position> {
        self.draw(area, buf, sh)
    }

    fn act(&mut self, action: Action, sh: &mut Shared) -> bool {
        if let Some(d) = list_step(action, self.list_height) {
            self.step(d, sh);
            return true;
        }
        match action {
            Action::Back => self.full = None,
            Action::Open if self.detail.is_some() => self.full = Some(0),
            Action::Search => {
                self.full = None;
                self.searching = true;
            }
            Action::New => forms::open_new(sh, None),
            Action::Edit => {
                if let Some(r) = self.detail.clone() {
                    forms::open_edit(sh, &r);
                }
            }
            Action::Move => forms::open_move_menu(sh, self.detail.as_ref()),
            Action::Assign => forms::open_assign_picker(sh, self.detail.as_ref()),
            Action::Note => forms::open_note_form(sh, self.detail.as_ref()),
            Action::Filter => forms::open_filter_form(sh, &self.filter),
            Action::Sort => {
                self.sort = self.sort.next();
                self.refresh(sh);
            }
            Action::Mine => {
                self.filter.mine = match self.filter.mine {
                    Some(_) => None,
                    None => sh.operator,
                };
                self.refresh(sh);
            }
            Action::Attention => {
                let on = !(self.filter.overdue && self.filter.due_soon);
                self.filter.overdue = on;
                self.filter.due_soon = on;
                if on {
                    self.sort = Sort::Due;
                }
                self.refresh(sh);
            }
            Action::Callback => {
                self.filter.callback = !self.filter.callback;
                self.refresh(sh);
            }
            Action::ClearFilter => {
                self.filter = Default::default();
                self.search.clear();
                self.refresh(sh);
            }
            Action::ExportList => {
                let ids: Vec<RequestId> = self.hits.iter().filter_map(|&i| sh.index.row(i)).map(|r| r.id).collect();
                super::data::export_requests(sh, ids);
            }
            Action::Roster(crate::ui::volunteers::RosterAction::HandOver) => match &self.detail {
                Some(r) => sh.effect(Effect::HandOver(r.id)),
                None => sh.info(sh.lang.t().nothing_selected),
            },
            _ => return false,
        }
        true
    }

    fn search_key(&mut self, key: &KeyEvent, sh: &mut Shared) -> bool {
        if !self.searching {
            return false;
        }
        match search_line_key(&mut self.search, &mut self.searching, key) {
            SearchKey::Cleared | SearchKey::Edited => self.refresh(sh),
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
            self.refresh(sh);
        }
    }

    fn on_change(&mut self, set: &ChangeSet, sh: &mut Shared) {
        let changed: Vec<RequestId> =
            set.0.iter().filter(|c| c.kind == RecordKind::Request).map(|c| RequestId(c.id)).collect();
        let residents: std::collections::HashSet<u64> =
            set.0.iter().filter(|c| c.kind == RecordKind::Resident).map(|c| c.id).collect();
        if changed.is_empty() && residents.is_empty() {
            return;
        }
        let q = crate::domain::text::clean_input(&self.search.value(), false);
        // residents no request names change no row of any list (an
        // import, and its undo: 30,000 of them, the whole list searched
        // again in every window for nothing)
        let residents = sh.index.names_any(&residents);
        if changed.is_empty() && !residents {
            return;
        }
        self.detail = None;
        // only the changed rows move (a save by anyone costs every list
        // its few rows, not a search over every request)
        let keep = self.selected_id(sh);
        if !sh.index.bring_along(
            &mut self.hits,
            self.layout,
            &changed,
            residents,
            &q,
            &self.filter,
            self.sort,
            sh.today,
        ) {
            return self.refresh(sh);
        }
        let pos = keep.and_then(|id| sh.index.position(id)).and_then(|i| self.place(i));
        self.list.to(pos.unwrap_or(0), self.hits.len());
        self.load_detail(sh);
    }

    fn shown(&mut self, _sh: &mut Shared) {
        self.full = None;
    }

    fn history_target(&self, _sh: &Shared) -> Option<(RecordKind, u64, String)> {
        self.detail.as_ref().map(|r| (RecordKind::Request, r.id.0, r.id.to_string()))
    }

    fn loading(&self, sh: &Shared) -> bool {
        !sh.loaded
    }
}
