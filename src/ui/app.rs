//! The application state and its event loop step: `event → action →
//! update → draw`. What happens when a form is submitted lives in
//! `flows.rs`; drawing of each panel lives in `panels/`.

use super::keymap::{self, Action, Scope};
use super::layers::{ConfirmAction, Layer};
use super::panels::Ctx;
use super::panels::duties::{DutiesCtx, DutiesPanel};
use super::panels::requests::RequestsPanel;
use super::panels::residents::ResidentsPanel;
use super::panels::roster::RosterPanel;
use super::panels::workers::WorkersPanel;
use super::theme::Theme;
use super::widgets::form::{FormOutcome, centered, line};
use super::widgets::picker::PickerOutcome;
use crate::domain::{Categories, RequestId, Resident, ResidentId, WorkCalendar, Worker, WorkerId};
use crate::i18n::{self, Lang};
use crate::store::rows::{RequestIndex, Today};
use crate::store::{Store, StoreError};
use chrono::NaiveDateTime;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind};
use ratatui::layout::{Position, Rect};
use std::sync::Arc;

/// Everything the loop reacts to: the terminal, and the background loader.
pub enum AppEvent {
    Term(Event),
    Loaded(Box<Loaded>),
    LoadFailed(StoreError),
    /// The volunteer roster, read in the background.
    Roster(Box<Result<crate::store::roster::index::RosterIndex, StoreError>>),
    /// The daily log, read in the background after the lists.
    LogLoaded(Box<crate::store::duties_rows::LogIndex>),
    /// Progress and results of the data screens' background work.
    Data(super::data::DataEvent),
}

/// The full lists, read in the background after the first frame. The
/// residents are in the index as search keys (all the directory and the
/// duties board need of them), not in full.
pub struct Loaded {
    pub index: RequestIndex,
    /// Read from the saved copy of the index rather than from every record.
    pub from_snapshot: bool,
}

impl Loaded {
    /// Reads every resident and request: the slow part of start-up, done
    /// off the main thread so the first frame does not wait for it. With a
    /// saved copy of the index, no record is read at all.
    pub fn read(store: &Store) -> Result<Loaded, StoreError> {
        let generation = store.generation()?;
        if let Some(index) = crate::store::index_cache::read(store.dir(), generation) {
            return Ok(Loaded { index, from_snapshot: true });
        }
        // one resident at a time: each is kept only as its search key
        let mut index = RequestIndex::default();
        store.scan(|r: Resident| index.upsert_resident(&r))?;
        store.scan_requests(|r| index.upsert(&r))?;
        index.shrink();
        // a cache: if it cannot be written, the next start scans again
        let _ = crate::store::index_cache::write(&index, generation, store.dir());
        Ok(Loaded { index, from_snapshot: false })
    }

    /// The index of a whole data set, as a scan of the store would build it
    /// (for `linli gen`, which then saves it).
    pub fn of_dataset(data: &crate::demo::Dataset) -> RequestIndex {
        let mut index = RequestIndex::default();
        for r in &data.residents {
            index.upsert_resident(r);
        }
        for r in &data.requests {
            index.upsert(r);
        }
        index.shrink();
        index
    }
}

/// Where "now" comes from: the wall clock in the app, a fixed time in tests.
pub type Clock = Box<dyn Fn() -> NaiveDateTime + Send>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Requests,
    Residents,
    Workers,
    Roster,
}

pub struct App {
    /// Where background work reports back (set by the event loop; `None`
    /// in tests, which load by hand).
    pub events: Option<std::sync::mpsc::Sender<AppEvent>>,
    /// The roster's background read was started (it is read when the
    /// roster is first opened: its 200,000 service records are not needed
    /// by the other panels, and reading them costs memory).
    pub roster_requested: bool,
    /// Likewise the daily log (50,000 entries on a large set), read when
    /// the duties board is first opened.
    pub log_requested: bool,
    pub store: Arc<Store>,
    pub lang: Lang,
    pub theme: Theme,
    pub cal: Arc<WorkCalendar>,
    pub cats: Categories,
    clock: Clock,
    pub today: Today,
    pub workers: Vec<Worker>,
    pub operator: Option<WorkerId>,
    pub panel: Panel,
    pub requests: RequestsPanel,
    pub residents: ResidentsPanel,
    pub workers_panel: WorkersPanel,
    pub roster: RosterPanel,
    /// Panel 3, the duties board.
    pub duties: DutiesPanel,
    pub layers: Vec<Layer>,
    /// One line under the panel: what just happened, or what went wrong.
    pub message: Option<(String, bool)>,
    pub quit: bool,
    /// The user asked for the demo data from the welcome screen.
    pub open_demo: bool,
    pub demo: bool,
    /// Saved while the background load was running: re-read when it lands.
    changed_requests: Vec<RequestId>,
    changed_residents: Vec<ResidentId>,
    /// This session's changes, for undo (Ctrl+Z) and redo (Ctrl+Y).
    pub undo: Vec<crate::store::undo::ChangeSet>,
    pub redo: Vec<crate::store::undo::ChangeSet>,
    /// The data screens' drive list, event channel, restore request and
    /// header warning.
    pub data: super::data::DataState,
}

/// How many of the newest requests the first frame shows before the full
/// index has loaded.
const PREVIEW_ROWS: usize = 60;

impl App {
    pub fn new(
        store: Arc<Store>,
        lang: Lang,
        theme: Theme,
        cal: Arc<WorkCalendar>,
        cats: Categories,
        clock: Clock,
    ) -> Result<App, StoreError> {
        let today = Today::new(clock().date(), &cal);
        let workers = store.workers()?;
        let demo = store.is_demo()?;
        let mut app = App {
            events: None,
            roster_requested: false,
            log_requested: false,
            lang,
            theme,
            cats,
            clock,
            today,
            workers,
            operator: None,
            panel: Panel::Requests,
            requests: RequestsPanel::default(),
            residents: ResidentsPanel::default(),
            workers_panel: WorkersPanel::default(),
            roster: RosterPanel::default(),
            duties: DutiesPanel::new(today.date),
            layers: Vec::new(),
            message: None,
            quit: false,
            open_demo: false,
            demo,
            changed_requests: Vec::new(),
            changed_residents: Vec::new(),
            undo: Vec::new(),
            redo: Vec::new(),
            data: Default::default(),
            cal,
            store,
        };
        app.preview()?;
        app.roster_init();
        app.duties_init();
        app.refresh_offsite_warning();
        if app.workers.is_empty() {
            app.layers.push(Layer::Welcome);
        } else {
            let last = app.store.last_operator()?;
            app.open_operator_picker(last);
        }
        if app.store.pin_is_set()? {
            app.layers.push(Layer::Pin(Default::default(), 0));
        }
        Ok(app)
    }

    /// The first frame: the newest requests, read directly.
    fn preview(&mut self) -> Result<(), StoreError> {
        let latest = self.store.latest_requests(PREVIEW_ROWS)?;
        let mut residents = Vec::new();
        for r in &latest {
            if let Some(id) = r.resident
                && let Some(res) = self.store.resident(id)?
            {
                residents.push(res);
            }
        }
        let mut index = RequestIndex::new(residents);
        for r in latest.iter().rev() {
            index.upsert(r);
        }
        self.requests.index = index;
        self.refresh_requests();
        Ok(())
    }

    pub fn finish_loading(&mut self, loaded: Loaded) {
        // the preview's row positions mean nothing in the full index
        let keep = self.requests.selected_id();
        self.requests.hits.clear();
        self.requests.index = loaded.index;
        // the load may have read the store before these were saved (or
        // removed, by an undo)
        for id in std::mem::take(&mut self.changed_residents) {
            match self.store.resident(id) {
                Ok(Some(r)) => self.requests.index.upsert_resident(&r),
                Ok(None) => self.requests.index.remove_resident(id),
                Err(_) => {}
            }
        }
        self.residents.refilter(&self.requests.index);
        for id in std::mem::take(&mut self.changed_requests) {
            if let Ok(Some(r)) = self.store.request(id) {
                self.requests.index.upsert(&r);
            }
        }
        self.requests.loaded = true;
        self.refresh_requests();
        if let Some(id) = keep {
            self.select_request(id);
        }
        self.load_history();
    }

    /// Starts reading the roster in the background, once.
    pub fn request_roster(&mut self) {
        if self.roster.loaded || self.roster_requested {
            return;
        }
        if let Some(tx) = self.events.clone() {
            self.roster_requested = true;
            let store = self.store.clone();
            std::thread::spawn(move || {
                let r = crate::store::roster::index::RosterIndex::read(&store);
                let _ = tx.send(AppEvent::Roster(Box::new(r)));
            });
        }
    }

    /// Starts reading the daily log in the background, once.
    pub fn request_log(&mut self) {
        if self.duties.log.is_some() || self.log_requested {
            return;
        }
        if let Some(tx) = self.events.clone() {
            self.log_requested = true;
            let store = self.store.clone();
            std::thread::spawn(move || {
                if let Ok(idx) = crate::store::duties_rows::LogIndex::load(&store) {
                    let _ = tx.send(AppEvent::LogLoaded(Box::new(idx)));
                }
            });
        }
    }

    /// Saves the index for a fast next start (at quit). Only a fully loaded
    /// index is exactly the store's content; a failure only costs a slower
    /// next start.
    pub fn save_index(&self) {
        if self.requests.loaded
            && let Ok(g) = self.store.generation()
        {
            let _ = crate::store::index_cache::write(&self.requests.index, g, self.store.dir());
        }
    }

    pub fn now(&self) -> NaiveDateTime {
        (self.clock)()
    }

    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            lang: self.lang,
            theme: &self.theme,
            today: self.today,
            cal: &self.cal,
            workers: &self.workers,
            revealed: false,
        }
    }

    pub fn info(&mut self, s: impl Into<String>) {
        self.message = Some((s.into(), false));
    }

    pub fn error(&mut self, e: &StoreError) {
        self.message = Some((i18n::store_error(self.lang, e), true));
    }

    // ---- events --------------------------------------------------------------

    pub fn handle(&mut self, ev: AppEvent) {
        match ev {
            AppEvent::Loaded(l) => self.finish_loading(*l),
            AppEvent::LogLoaded(idx) => self.duties_log_loaded(*idx),
            AppEvent::LoadFailed(e) => {
                self.requests.loaded = true;
                self.error(&e);
            }
            AppEvent::Roster(r) => self.finish_roster_loading(*r),
            AppEvent::Term(Event::Key(k)) if k.kind != KeyEventKind::Release => self.handle_key(&k),
            AppEvent::Term(Event::Paste(s)) => self.handle_paste(&s),
            AppEvent::Term(_) => {}
            AppEvent::Data(e) => self.data_event(e),
        }
        self.duties_after_event();
    }

    pub fn handle_key(&mut self, key: &KeyEvent) {
        let date = self.now().date();
        if date != self.today.date {
            self.today = Today::new(date, &self.cal);
            self.refresh_requests();
        }
        if let Some(layer) = self.layers.pop() {
            self.message = None;
            self.layer_key(layer, key);
            return;
        }
        if self.search_key(key) {
            return;
        }
        if let Some(action) = keymap::resolve(&self.scopes(), key) {
            self.message = None;
            self.act(action);
        }
    }

    fn handle_paste(&mut self, s: &str) {
        match self.layers.last_mut() {
            Some(Layer::Form(form, purpose)) => {
                let purpose = *purpose;
                if form.paste(s) == FormOutcome::Changed {
                    self.form_changed(purpose);
                }
            }
            Some(Layer::Picker(p, _)) => p.paste(s),
            Some(Layer::RollCall(r)) => r.paste(s),
            Some(_) => {}
            None => match self.panel {
                Panel::Requests if self.requests.searching => {
                    self.requests.search.insert_str(s);
                    self.refresh_requests();
                }
                Panel::Residents if self.residents.searching => {
                    self.residents.search.insert_str(s);
                    self.residents.refilter(&self.requests.index);
                    self.load_history();
                }
                Panel::Roster if self.roster.searching => {
                    self.roster.search.insert_str(s);
                    self.roster_refresh();
                }
                Panel::Workers => self.duty_paste(s),
                _ => {}
            },
        }
    }

    /// Keys while a search line has focus. Returns whether it was used.
    fn search_key(&mut self, key: &KeyEvent) -> bool {
        let (input, searching) = match self.panel {
            Panel::Requests => (&mut self.requests.search, &mut self.requests.searching),
            Panel::Residents => (&mut self.residents.search, &mut self.residents.searching),
            Panel::Roster => (&mut self.roster.search, &mut self.roster.searching),
            Panel::Workers => return self.duty_search_key(key),
        };
        if !*searching {
            return false;
        }
        match key.code {
            KeyCode::Enter => *searching = false,
            KeyCode::Esc => {
                *searching = false;
                input.clear();
                self.after_search_edit();
            }
            KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown => {
                let a = match key.code {
                    KeyCode::Up => Action::Up,
                    KeyCode::Down => Action::Down,
                    KeyCode::PageUp => Action::PageUp,
                    _ => Action::PageDown,
                };
                self.act(a);
            }
            _ => {
                if input.handle_key(key) {
                    self.after_search_edit();
                }
            }
        }
        true
    }

    fn after_search_edit(&mut self) {
        match self.panel {
            Panel::Requests => self.refresh_requests(),
            Panel::Residents => {
                self.residents.refilter(&self.requests.index);
                self.load_history();
            }
            Panel::Roster => self.roster_refresh(),
            Panel::Workers => {}
        }
    }

    pub fn scopes(&self) -> Vec<Scope> {
        let panel = match self.panel {
            Panel::Requests => Scope::Requests,
            Panel::Residents => Scope::Residents,
            Panel::Workers => return vec![self.duties.view.scope(), Scope::Workers, Scope::Global],
            Panel::Roster => return vec![self.roster.view.scope(), Scope::Roster, Scope::List, Scope::Global],
        };
        vec![panel, Scope::List, Scope::Global]
    }

    fn layer_key(&mut self, layer: Layer, key: &KeyEvent) {
        match layer {
            Layer::Form(mut form, purpose) => match form.handle_key(key) {
                FormOutcome::Cancel if form.dirty => {
                    self.layers.push(Layer::Form(form, purpose));
                    self.layers.push(Layer::Confirm(self.lang.t().confirm_discard.into(), ConfirmAction::DiscardForm));
                }
                FormOutcome::Cancel => {}
                FormOutcome::Submit => self.submit_form(form, purpose),
                FormOutcome::Lookup(field) => {
                    self.layers.push(Layer::Form(form, purpose));
                    self.open_lookup(field);
                }
                FormOutcome::Changed => {
                    self.layers.push(Layer::Form(form, purpose));
                    self.form_changed(purpose);
                }
                FormOutcome::Consumed => self.layers.push(Layer::Form(form, purpose)),
            },
            Layer::Picker(mut picker, purpose) => match picker.handle_key(key) {
                PickerOutcome::Consumed => self.layers.push(Layer::Picker(picker, purpose)),
                PickerOutcome::Cancel => {
                    if purpose == super::layers::PickPurpose::Operator && self.operator.is_none() {
                        // nobody at the keyboard: the app cannot record who did what
                        self.quit = true;
                    }
                }
                PickerOutcome::Picked(p) => self.picked(picker, purpose, p),
            },
            Layer::RollCall(r) => self.roll_call_key(r, key),
            Layer::Menu(mut m) => match key.code {
                KeyCode::Esc => {}
                KeyCode::Up => {
                    m.selected = m.selected.saturating_sub(1);
                    self.layers.push(Layer::Menu(m));
                }
                KeyCode::Down | KeyCode::Tab => {
                    m.selected = (m.selected + 1).min(m.items.len().saturating_sub(1));
                    self.layers.push(Layer::Menu(m));
                }
                KeyCode::Enter => self.menu_chosen(&m, m.selected),
                KeyCode::Char(c) if c.is_ascii_digit() && c != '0' => {
                    let i = c as usize - '1' as usize;
                    if i < m.items.len() {
                        self.menu_chosen(&m, i);
                    } else {
                        self.layers.push(Layer::Menu(m));
                    }
                }
                _ => self.layers.push(Layer::Menu(m)),
            },
            Layer::Confirm(msg, action) => match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => match action {
                    ConfirmAction::DiscardForm => {
                        self.layers.pop();
                    }
                    ConfirmAction::Duty(c) => self.duty_confirmed(c),
                },
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {}
                _ => self.layers.push(Layer::Confirm(msg, action)),
            },
            Layer::Help(scroll) => match key.code {
                KeyCode::Down => self.layers.push(Layer::Help(scroll + 1)),
                KeyCode::Up => self.layers.push(Layer::Help(scroll.saturating_sub(1))),
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter => {}
                _ => self.layers.push(Layer::Help(scroll)),
            },
            Layer::Audit(mut v) => match key.code {
                KeyCode::Esc | KeyCode::Char('q') => {}
                KeyCode::Char('f') if v.record.is_none() => {
                    let filter = v.filter.clone();
                    self.layers.push(Layer::Audit(v));
                    self.open_audit_filter(&filter);
                }
                code => {
                    let n = v.entries.len();
                    match code {
                        KeyCode::Up => v.list.step(-1, n),
                        KeyCode::Down => v.list.step(1, n),
                        KeyCode::PageUp => v.list.step(-10, n),
                        KeyCode::PageDown => v.list.step(10, n),
                        KeyCode::Home => v.list.to(0, n),
                        KeyCode::End => v.list.to(n, n),
                        _ => {}
                    }
                    self.layers.push(Layer::Audit(v));
                }
            },
            Layer::Pin(mut input, tries) => match key.code {
                KeyCode::Esc => self.quit = true,
                KeyCode::Enter => match self.store.check_pin(&input.value()) {
                    Ok(true) => {}
                    Ok(false) if tries >= 2 => self.quit = true,
                    Ok(false) => self.layers.push(Layer::Pin(Default::default(), tries + 1)),
                    Err(e) => {
                        self.error(&e);
                        self.layers.push(Layer::Pin(input, tries));
                    }
                },
                _ => {
                    input.handle_key(key);
                    self.layers.push(Layer::Pin(input, tries));
                }
            },
            Layer::Data(v) => self.data_key(v, key),
            Layer::Welcome => match key.code {
                KeyCode::Enter => self.open_worker_form(None),
                KeyCode::F(5) => {
                    self.open_demo = true;
                    self.quit = true;
                }
                KeyCode::Char('q') | KeyCode::Esc => self.quit = true,
                _ => self.layers.push(Layer::Welcome),
            },
        }
    }

    fn act(&mut self, action: Action) {
        if self.duty_generic(action) {
            return;
        }
        let page = self.requests.list_height.max(1) as isize;
        match action {
            Action::Duty(d) => self.duty_act(d),
            Action::Quit => self.quit = true,
            Action::Help => self.layers.push(Layer::Help(0)),
            Action::NextPanel | Action::PrevPanel | Action::GoPanel(_) => {
                let order = [Panel::Requests, Panel::Residents, Panel::Workers, Panel::Roster];
                let n = order.len();
                let cur = order.iter().position(|p| *p == self.panel).unwrap_or(0);
                let next = match action {
                    Action::NextPanel => (cur + 1) % n,
                    Action::PrevPanel => (cur + n - 1) % n,
                    Action::GoPanel(i) => (i as usize).min(n - 1),
                    _ => cur,
                };
                self.panel = order[next];
                self.requests.full = None;
                if self.panel == Panel::Residents {
                    self.load_history();
                }
                if self.panel == Panel::Roster {
                    self.request_roster();
                }
                if self.panel == Panel::Workers {
                    self.request_log();
                }
                self.roster_shown();
            }
            Action::Up => self.step(-1),
            Action::Down => self.step(1),
            Action::PageUp => self.step(-page),
            Action::PageDown => self.step(page),
            Action::Top => self.step(isize::MIN / 2),
            Action::Bottom => self.step(isize::MAX / 2),
            Action::Back => {
                if self.requests.full.is_some() {
                    self.requests.full = None;
                }
            }
            Action::Open => match self.panel {
                Panel::Requests if self.requests.detail.is_some() => self.requests.full = Some(0),
                Panel::Requests => {}
                Panel::Residents => self.open_resident_form(true, ""),
                Panel::Workers => self.open_worker_edit(),
                Panel::Roster => self.roster_open(),
            },
            Action::Search => match self.panel {
                Panel::Requests => {
                    self.requests.full = None;
                    self.requests.searching = true;
                }
                Panel::Residents => self.residents.searching = true,
                Panel::Roster => self.roster.searching = true,
                Panel::Workers => {}
            },
            Action::New => match self.panel {
                Panel::Requests => self.open_request_form(None, None),
                Panel::Residents => self.open_resident_form(false, ""),
                Panel::Workers => self.open_worker_form(None),
                Panel::Roster => self.roster_new(),
            },
            Action::Edit => match self.panel {
                Panel::Requests => self.open_request_edit(),
                Panel::Residents => self.open_resident_form(true, ""),
                Panel::Workers => self.open_worker_edit(),
                Panel::Roster => self.roster_edit(),
            },
            Action::NewRequestFor => {
                if let Some(r) = self.residents.selected() {
                    let pre = (r.id, r.name.clone());
                    self.panel = Panel::Requests;
                    self.open_request_form(None, Some(pre));
                }
            }
            Action::Move => self.open_move_menu(),
            Action::Assign => self.open_assign_picker(),
            Action::Note => self.open_note_form(),
            Action::Filter => self.open_filter_form(),
            Action::Sort => {
                self.requests.sort = self.requests.sort.next();
                self.refresh_requests();
            }
            Action::Mine => {
                self.requests.filter.mine = match self.requests.filter.mine {
                    Some(_) => None,
                    None => self.operator,
                };
                self.refresh_requests();
            }
            Action::Attention => {
                let on = !(self.requests.filter.overdue && self.requests.filter.due_soon);
                self.requests.filter.overdue = on;
                self.requests.filter.due_soon = on;
                if on {
                    self.requests.sort = crate::store::rows::Sort::Due;
                }
                self.refresh_requests();
            }
            Action::Callback => {
                self.requests.filter.callback = !self.requests.filter.callback;
                self.refresh_requests();
            }
            Action::ClearFilter => {
                self.requests.filter = Default::default();
                self.requests.search.clear();
                self.refresh_requests();
            }
            Action::Reveal => self.reveal(),
            Action::Operator => self.open_operator_picker(self.operator),
            Action::Undo => self.undo_last(),
            Action::Audit => self.open_audit(Default::default()),
            Action::History => self.open_history(),
            Action::Redo => self.redo_last(),
            Action::Roster(a) => self.roster_act(a),
            Action::Data => self.open_data(),
            Action::ExportList if self.panel == Panel::Requests => self.export_filtered(),
            Action::ExportList => {}
        }
    }

    fn step(&mut self, delta: isize) {
        match self.panel {
            Panel::Requests => {
                if let Some(s) = self.requests.full.as_mut() {
                    *s = (*s as isize + delta.clamp(-1000, 1000)).clamp(0, 1000) as u16;
                    return;
                }
                self.requests.list.step(delta, self.requests.hits.len());
                self.load_detail();
            }
            Panel::Residents => {
                self.residents.list.step(delta, self.residents.hits.len());
                self.residents.revealed = None;
                self.load_history();
            }
            Panel::Workers => {
                self.workers_panel.list.step(delta, self.workers.len());
                self.workers_panel.revealed = None;
            }
            Panel::Roster => {
                let page = self.roster.list_height.max(1) as isize;
                // the requests list's page size means nothing here
                let d = if delta.abs() > 1 && delta.abs() < 1000 { delta.signum() * page } else { delta };
                self.roster_step(d);
            }
        }
    }

    /// Re-runs the request query, keeping the selected request selected.
    pub fn refresh_requests(&mut self) {
        let keep = self.requests.selected_id();
        let q = crate::domain::text::clean_input(&self.requests.search.value(), false);
        let p = &mut self.requests;
        p.hits = p.index.query(&q, &p.filter, p.sort, self.today);
        let pos = keep.and_then(|id| p.index.position(id)).and_then(|i| p.hits.iter().position(|&h| h == i));
        p.list.to(pos.unwrap_or(0), p.hits.len());
        self.load_detail();
    }

    pub fn select_request(&mut self, id: RequestId) {
        if let Some(i) = self.requests.index.position(id)
            && let Some(p) = self.requests.hits.iter().position(|&h| h == i)
        {
            self.requests.list.to(p, self.requests.hits.len());
        }
        self.load_detail();
    }

    /// Reads the selected request in full (one store read) for the detail pane.
    pub fn load_detail(&mut self) {
        let id = self.requests.selected_id();
        if self.requests.detail.as_ref().map(|r| r.id) == id {
            return;
        }
        self.requests.detail = match id.map(|id| self.store.request(id)) {
            Some(Ok(r)) => r,
            Some(Err(e)) => {
                self.error(&e);
                None
            }
            None => None,
        };
    }

    /// Reads the selected resident and their requests from the store.
    pub fn load_history(&mut self) {
        let id = self.residents.selected_id();
        if self.residents.current.as_ref().map(|r| r.id) != id {
            self.residents.current = match id.map(|id| self.store.resident(id)) {
                Some(Ok(r)) => r,
                Some(Err(e)) => {
                    self.error(&e);
                    None
                }
                None => None,
            };
        }
        self.residents.history = match id.map(|id| self.store.requests_of(id)) {
            Some(Ok(mut v)) => {
                v.reverse();
                v
            }
            Some(Err(e)) => {
                self.error(&e);
                Vec::new()
            }
            None => Vec::new(),
        };
    }

    /// A request changed on disk: update the list and the detail pane.
    pub fn request_saved(&mut self, r: &crate::domain::Request) {
        self.remember_change();
        if !self.requests.loaded {
            self.changed_requests.push(r.id);
        }
        self.requests.index.upsert(r);
        self.requests.detail = None;
        self.refresh_requests();
        self.select_request(r.id);
    }

    pub fn resident_saved(&mut self, r: &Resident) {
        self.remember_change();
        self.resident_changed(r.id, Some(r));
        self.residents.current = None;
        self.residents.refilter(&self.requests.index);
        self.roster_resident_saved(r);
        self.refresh_requests();
    }

    /// A resident was saved (`Some`) or removed (`None`) by this session:
    /// the request index keeps their search key, which the directory, the
    /// request search and the duties board all read. While the full index
    /// is loading, the change is also noted to be applied to it on arrival.
    pub fn resident_changed(&mut self, id: ResidentId, r: Option<&Resident>) {
        if !self.requests.loaded {
            self.changed_residents.push(id);
        }
        match r {
            Some(r) => self.requests.index.upsert_resident(r),
            None => self.requests.index.remove_resident(id),
        }
        // who a standing duty covers may have changed
        self.duties.stale = true;
    }

    // ---- drawing -------------------------------------------------------------

    pub fn draw(&mut self, f: &mut Frame) {
        let area = f.area();
        if let Some(p) = self.render(area, f.buffer_mut()) {
            f.set_cursor_position(p);
        }
    }

    /// Draws everything into `buf`; returns where the cursor belongs.
    pub fn render(&mut self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let t = self.lang.t();
        if area.width < 80 || area.height < 24 {
            let msg = crate::ui::layers::wrap(t.too_small, area.width.max(10) as usize - 2);
            let r = centered(area, area.width, msg.len() as u16);
            for (i, l) in msg.iter().enumerate() {
                line(buf, r.x + 1, r.y + i as u16, r.width.saturating_sub(1), l, self.theme.warn);
            }
            return None;
        }
        self.render_header(Rect::new(area.x, area.y, area.width, 1), buf);
        let body = Rect::new(area.x, area.y + 1, area.width, area.height - 3);
        if let Some(pin @ Layer::Pin(..)) = self.layers.last() {
            // locked: nothing of the records shows until the PIN is right
            return pin.render(body, buf, &self.theme, self.lang, &[]);
        }
        let ctx = Ctx {
            lang: self.lang,
            theme: &self.theme,
            today: self.today,
            cal: &self.cal,
            workers: &self.workers,
            revealed: false,
        };
        let mut cursor = match self.panel {
            Panel::Requests => self.requests.render(body, buf, &ctx),
            Panel::Residents => self.residents.render(body, buf, &ctx, &self.requests.index),
            Panel::Workers => {
                let mut dx = DutiesCtx {
                    residents: &self.requests.index,
                    operator: self.operator,
                    registry: &mut self.workers_panel,
                    loaded: self.requests.loaded,
                };
                self.duties.render(body, buf, &ctx, &mut dx)
            }
            Panel::Roster => self.roster.render(body, buf, &ctx),
        };
        let scopes = self.scopes();
        let (workers, theme, lang) = (&self.workers, &self.theme, self.lang);
        let name = |w: Option<WorkerId>| {
            w.and_then(|id| workers.iter().find(|x| x.id == id)).map_or_else(|| "-".to_string(), |x| x.name.clone())
        };
        for layer in self.layers.iter_mut() {
            cursor = match layer {
                Layer::Audit(v) => {
                    v.render(body, buf, theme, lang, &name);
                    None
                }
                other => other.render(body, buf, theme, lang, &scopes),
            };
        }
        self.render_footer(Rect::new(area.x, area.bottom() - 2, area.width, 2), buf);
        cursor
    }

    fn render_header(&self, area: Rect, buf: &mut Buffer) {
        let t = self.lang.t();
        buf.set_style(area, self.theme.header);
        let mut x = area.x;
        let title = format!(" {} ", t.app_name);
        line(buf, x, area.y, 8, &title, self.theme.header);
        x += crate::domain::text::width(&title) as u16;
        let tabs = [
            (Panel::Requests, t.panel_requests),
            (Panel::Residents, t.panel_residents),
            (Panel::Workers, t.panel_workers),
            (Panel::Roster, self.lang.volunteers().panel),
        ];
        let op = self.operator.and_then(|id| self.workers.iter().find(|w| w.id == id)).map_or("-", |w| w.name.as_str());
        let weekday = weekday(self.lang, self.today.date);
        let duty = self.on_duty_label().map(|d| format!("{d}  ")).unwrap_or_default();
        let full = format!("{duty}{}:{}  {} {} ", t.operator, op, self.today.date, weekday);
        let short = format!("{duty}{}:{}  {} {} ", t.operator, op, self.today.date.format("%m-%d"), weekday);
        let duty_sp = if duty.is_empty() { String::new() } else { format!("{} ", duty.trim_end()) };
        let shorter = format!("{duty_sp}{}:{} {} ", t.operator, op, self.today.date.format("%m-%d"));
        let shortest = format!("{duty}{op} {} ", self.today.date.format("%m-%d"));
        // the most that fits: who is on duty today and who is at the keyboard
        // matter more than the date; demo data must say so
        let candidates = if self.demo {
            let badge = format!("[{}]", t.demo_badge);
            vec![
                format!("{badge} {full}"),
                format!("{badge} {short}"),
                format!("{duty_sp}{}:{} {} ", t.operator, op, t.demo_badge),
                format!("{duty_sp}{op} {badge} "),
                format!("{badge} {op} "),
            ]
        } else {
            vec![full, short, shorter, shortest]
        };
        // an overdue off-PC backup is worth more than the date and the name
        let candidates = match &self.data.warning {
            Some(w) => candidates.iter().map(|c| format!("{w}  {c}")).chain([format!("{w} ")]).collect(),
            None => candidates,
        };
        // tabs shrink to their numbers before the operator's name would go
        let with_name = if self.data.warning.is_some() { &candidates[..candidates.len() - 1] } else { &candidates[..] };
        let min_rw = with_name.iter().map(|c| crate::domain::text::width(c) as u16).min().unwrap_or(0);
        // at 80 columns not every tab fits with its name: the others keep
        // their number, so the operator stays in view
        let label = |i: usize, name: &str, full: bool| {
            if full { format!(" {} {} ", i + 1, name) } else { format!(" {} ", i + 1) }
        };
        let full_w: u16 =
            tabs.iter().enumerate().map(|(i, (_, n))| crate::domain::text::width(&label(i, n, true)) as u16 + 1).sum();
        let compact = x + full_w + min_rw >= area.right();
        for (i, (p, name)) in tabs.iter().enumerate() {
            let label = label(i, name, !compact || *p == self.panel);
            let style = if *p == self.panel { self.theme.tab_active } else { self.theme.tab };
            let w = crate::domain::text::width(&label) as u16;
            line(buf, x, area.y, w, &label, style);
            x += w + 1;
        }
        if let Some(right) = candidates.iter().find(|r| x + (crate::domain::text::width(r) as u16) < area.right()) {
            let rw = crate::domain::text::width(right) as u16;
            line(buf, area.right() - rw, area.y, rw, right, self.theme.header);
        }
    }

    fn render_footer(&self, area: Rect, buf: &mut Buffer) {
        let t = self.lang.t();
        if let Some((msg, is_err)) = &self.message {
            let style = if *is_err { self.theme.error } else { self.theme.ok };
            line(buf, area.x, area.y, area.width, msg, style);
        } else if !self.requests.loaded && !matches!(self.panel, Panel::Workers | Panel::Roster) {
            line(buf, area.x, area.y, area.width, t.loading, self.theme.dim);
        }
        let y = area.y + 1;
        let hints: Vec<(String, &str)> = match self.layers.last() {
            Some(Layer::Form(..)) => vec![(String::new(), t.form_keys)],
            Some(Layer::Picker(..)) => vec![(String::new(), t.picker_keys)],
            Some(Layer::Menu(_)) => vec![(String::new(), t.menu_keys)],
            Some(Layer::Confirm(..)) => vec![(String::new(), t.yes_no)],
            Some(Layer::Help(_)) => vec![(String::new(), t.help_footer)],
            Some(Layer::RollCall(_)) => vec![(String::new(), self.lang.volunteers().roll_keys)],
            Some(Layer::Welcome) => vec![],
            Some(Layer::Audit(_)) => vec![(String::new(), t.audit_keys)],
            Some(Layer::Pin(..)) => vec![(String::new(), t.pin_keys)],
            Some(Layer::Data(_)) => vec![],
            None if self.requests.full.is_some() && self.panel == Panel::Requests => {
                vec![("Esc".into(), t.a_back), ("↑↓".into(), t.a_page), ("m".into(), t.a_move), ("c".into(), t.a_note)]
            }
            None if self.searching() => vec![("Enter".into(), t.a_pick), ("Esc".into(), t.a_clear)],
            None => keymap::footer(self.lang, &self.scopes()),
        };
        let mut x = area.x;
        for (k, label) in hints {
            let kw = crate::domain::text::width(&k) as u16;
            let lw = crate::domain::text::width(label) as u16;
            if x + kw + lw + 2 > area.right() {
                break;
            }
            if !k.is_empty() {
                line(buf, x, y, kw, &k, self.theme.key);
                x += kw + 1;
            }
            line(buf, x, y, lw + 1, &format!("{label} "), self.theme.base);
            x += lw + 1;
        }
    }

    fn searching(&self) -> bool {
        match self.panel {
            Panel::Requests => self.requests.searching,
            Panel::Residents => self.residents.searching,
            Panel::Roster => self.roster.searching,
            Panel::Workers => self.duty_searching(),
        }
    }
}

fn weekday(lang: Lang, d: chrono::NaiveDate) -> &'static str {
    use chrono::Datelike;
    let i = d.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Zh => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][i],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::request::{Channel, NewRequest, Urgency};

    #[test]
    fn the_selection_stays_on_its_request_when_the_full_list_lands() {
        // more requests than the preview shows, so that a position in the
        // preview is another request in the full list
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(dir.path()).unwrap());
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let w = store.create_worker("李娜", "网格员", None, at).unwrap().id;
        let (cal, cats) = (WorkCalendar::builtin(), Categories::default());
        let mut last = None;
        for i in 0..PREVIEW_ROWS + 10 {
            let new = NewRequest {
                channel: Channel::Phone,
                category: "小修小补".into(),
                title: format!("楼道灯不亮 {i}"),
                description: String::new(),
                location: String::new(),
                resident: None,
                urgency: Urgency::Normal,
            };
            last = Some(store.create_request(&new, w, at, &cats, &cal).unwrap().id);
        }
        let mut app =
            App::new(store.clone(), Lang::Zh, Theme::color(), Arc::new(cal), cats, Box::new(move || at)).unwrap();
        assert_eq!(app.requests.selected_id(), last);
        app.finish_loading(Loaded::read(&store).unwrap());
        assert_eq!(app.requests.hits.len(), PREVIEW_ROWS + 10);
        assert_eq!(app.requests.selected_id(), last, "still the newest request");
        assert_eq!(app.requests.detail.as_ref().map(|r| r.id), last);
    }
}
