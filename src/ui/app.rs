//! The application state and its event loop step: `event → action →
//! update → draw`. What happens when a form is submitted lives in
//! `flows.rs`; drawing of each panel lives in `panels/`.

use super::keymap::{self, Action, Scope};
use super::layers::{ConfirmAction, Layer};
use super::panels::Ctx;
use super::panels::duties::{DutiesCtx, DutiesPanel};
use super::panels::requests::RequestsPanel;
use super::panels::residents::ResidentsPanel;
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
    /// The daily log, read in the background after the lists.
    LogLoaded(Box<crate::store::duties_rows::LogIndex>),
}

/// The full lists, read in the background after the first frame.
pub struct Loaded {
    pub residents: Vec<Resident>,
    pub resident_keys: Vec<super::widgets::picker::PickItem>,
    pub index: RequestIndex,
}

impl Loaded {
    /// Reads every resident and request: the slow part of start-up, done
    /// off the main thread so the first frame does not wait for it.
    pub fn read(store: &Store) -> Result<Loaded, StoreError> {
        let residents = store.residents()?;
        let mut index = RequestIndex::new(residents.iter().cloned());
        store.scan_requests(|r| index.upsert(&r))?;
        let resident_keys = residents.iter().map(super::panels::residents::pick_item).collect();
        Ok(Loaded { residents, resident_keys, index })
    }
}

/// Where "now" comes from: the wall clock in the app, a fixed time in tests.
pub type Clock = Box<dyn Fn() -> NaiveDateTime + Send>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Requests,
    Residents,
    Workers,
}

pub struct App {
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
            duties: DutiesPanel::new(today.date),
            layers: Vec::new(),
            message: None,
            quit: false,
            open_demo: false,
            demo,
            changed_requests: Vec::new(),
            changed_residents: Vec::new(),
            cal,
            store,
        };
        app.preview()?;
        app.duties_init();
        if app.workers.is_empty() {
            app.layers.push(Layer::Welcome);
        } else {
            let last = app.store.last_operator()?;
            app.open_operator_picker(last);
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
        self.residents.set(loaded.residents, loaded.resident_keys);
        for id in std::mem::take(&mut self.changed_residents) {
            if let Ok(Some(r)) = self.store.resident(id) {
                self.requests.index.upsert_resident(&r);
                self.residents.upsert(&r);
            }
        }
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
            AppEvent::Term(Event::Key(k)) if k.kind != KeyEventKind::Release => self.handle_key(&k),
            AppEvent::Term(Event::Paste(s)) => self.handle_paste(&s),
            AppEvent::Term(_) => {}
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
            Some(_) => {}
            None => match self.panel {
                Panel::Requests if self.requests.searching => {
                    self.requests.search.insert_str(s);
                    self.refresh_requests();
                }
                Panel::Residents if self.residents.searching => {
                    self.residents.search.insert_str(s);
                    self.residents.refilter();
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
                self.residents.refilter();
                self.load_history();
            }
            Panel::Workers => {}
        }
    }

    pub fn scopes(&self) -> Vec<Scope> {
        let panel = match self.panel {
            Panel::Requests => Scope::Requests,
            Panel::Residents => Scope::Residents,
            Panel::Workers => return vec![self.duties.view.scope(), Scope::Workers, Scope::Global],
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
                let order = [Panel::Requests, Panel::Residents, Panel::Workers];
                let cur = order.iter().position(|p| *p == self.panel).unwrap_or(0);
                let next = match action {
                    Action::NextPanel => (cur + 1) % 3,
                    Action::PrevPanel => (cur + 2) % 3,
                    Action::GoPanel(n) => (n as usize).min(2),
                    _ => cur,
                };
                self.panel = order[next];
                self.requests.full = None;
                if self.panel == Panel::Residents {
                    self.load_history();
                }
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
            },
            Action::Search => match self.panel {
                Panel::Requests => {
                    self.requests.full = None;
                    self.requests.searching = true;
                }
                Panel::Residents => self.residents.searching = true,
                Panel::Workers => {}
            },
            Action::New => match self.panel {
                Panel::Requests => self.open_request_form(None, None),
                Panel::Residents => self.open_resident_form(false, ""),
                Panel::Workers => self.open_worker_form(None),
            },
            Action::Edit => match self.panel {
                Panel::Requests => self.open_request_edit(),
                Panel::Residents => self.open_resident_form(true, ""),
                Panel::Workers => self.open_worker_edit(),
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

    pub fn load_history(&mut self) {
        let id = self.residents.selected().map(|r| r.id);
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
        if !self.requests.loaded {
            self.changed_requests.push(r.id);
        }
        self.requests.index.upsert(r);
        self.requests.detail = None;
        self.refresh_requests();
        self.select_request(r.id);
    }

    pub fn resident_saved(&mut self, r: &Resident) {
        if !self.requests.loaded {
            self.changed_residents.push(r.id);
        }
        self.requests.index.upsert_resident(r);
        self.residents.upsert(r);
        self.refresh_requests();
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
            Panel::Residents => self.residents.render(body, buf, &ctx),
            Panel::Workers => {
                let mut dx = DutiesCtx {
                    residents: &self.residents.all,
                    operator: self.operator,
                    registry: &mut self.workers_panel,
                    loaded: self.requests.loaded,
                };
                self.duties.render(body, buf, &ctx, &mut dx)
            }
        };
        let scopes = self.scopes();
        for layer in &self.layers {
            cursor = layer.render(body, buf, &self.theme, self.lang, &scopes);
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
        for (i, (p, name)) in [
            (Panel::Requests, t.panel_requests),
            (Panel::Residents, t.panel_residents),
            (Panel::Workers, t.panel_workers),
        ]
        .iter()
        .enumerate()
        {
            let label = format!(" {} {} ", i + 1, name);
            let style = if *p == self.panel { self.theme.tab_active } else { self.theme.tab };
            let w = crate::domain::text::width(&label) as u16;
            line(buf, x, area.y, w, &label, style);
            x += w + 1;
        }
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
                shortest,
            ]
        } else {
            vec![full, short, shorter, shortest]
        };
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
        } else if !self.requests.loaded && self.panel != Panel::Workers {
            line(buf, area.x, area.y, area.width, t.loading, self.theme.dim);
        }
        let y = area.y + 1;
        let hints: Vec<(String, &str)> = match self.layers.last() {
            Some(Layer::Form(..)) => vec![(String::new(), t.form_keys)],
            Some(Layer::Picker(..)) => vec![(String::new(), t.picker_keys)],
            Some(Layer::Menu(_)) => vec![(String::new(), t.menu_keys)],
            Some(Layer::Confirm(..)) => vec![(String::new(), t.yes_no)],
            Some(Layer::Help(_)) => vec![(String::new(), t.help_footer)],
            Some(Layer::Welcome) => vec![],
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
