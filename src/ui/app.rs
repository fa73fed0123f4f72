//! The application: the panels, the layers above them and what they share,
//! and the loop's step `event → action → update → draw`. The app only
//! routes: a key goes to the top layer, else to the shown panel's search
//! line, else through the key map to an action, which the app handles when
//! it concerns every panel (quit, help, switch, undo, audit, data) and
//! otherwise hands to the panel. After every event it takes what the store
//! wrote as one undo step and shows it on every panel.

use super::keymap::{self, Action, Scope};
use super::layers::{self, Layer};
use super::panel::{Panel, PanelId, Panels};
pub use super::shared::Clock;
use super::shared::{Effect, Shared};
use super::text::{centered, line, wrap};
use super::theme::Theme;
use crate::domain::{Categories, WorkCalendar};
use crate::i18n::Lang;
use crate::store::rows::RequestIndex;
use crate::store::{Store, StoreError};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};
use ratatui::layout::{Position, Rect};
use std::sync::Arc;

/// Everything the loop reacts to: the terminal, and the background loaders.
pub enum AppEvent {
    Term(Event),
    /// The full index, read in the background; a saved copy's lists
    /// still to inflate (`index_cache::load_later`).
    Loaded(Box<Loaded>, Option<Box<crate::store::index_cache::LaterLists>>),
    LoadFailed(StoreError),
    /// The lists of the saved index read at start, inflated after its rows
    /// (`store::index_cache::load_later`).
    Lists(Box<crate::store::index_cache::Lists>),
    /// The volunteer roster, read in the background.
    Roster(Box<Result<crate::store::roster::index::RosterIndex, StoreError>>),
    /// The daily log, read in the background after the lists.
    LogLoaded(Box<crate::store::duties_rows::LogIndex>),
    /// Progress and results of the data screens' background work.
    Data(super::data::DataEvent),
    /// A large undo or redo on a thread moved on, or ended (see `ui::undo`).
    Undo(super::undo::UndoEvent),
    /// A signal asked the app to end (see `ui::hold_exit_signals`).
    Signal(i32),
    /// The evaluation's figures for a year, counted in the background.
    Figures(
        i32,
        Box<
            crate::store::Result<
                std::collections::HashMap<crate::domain::WorkerId, crate::domain::duties::evaluation::Figures>,
            >,
        >,
    ),
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
        let (index, from_snapshot) = crate::store::index_cache::load(store)?;
        Ok(Loaded { index, from_snapshot })
    }

    /// As [`Loaded::read`], but a saved copy's lists still on their way
    /// (`index_cache::load_later`): the rows show, and every search
    /// answers, before the lists are in.
    pub fn read_later(store: &Store) -> Result<(Loaded, Option<crate::store::index_cache::LaterLists>), StoreError> {
        let (index, from_snapshot, later) = crate::store::index_cache::load_later(store)?;
        Ok((Loaded { index, from_snapshot }, later))
    }

    /// The index of a whole data set, as a scan of the store would build it
    /// (for `linli gen`, which then saves it).
    pub fn of_dataset(data: &crate::store::bulk::CoreSet) -> RequestIndex {
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

pub struct App {
    pub sh: Shared,
    pub panels: Panels,
    pub layers: Vec<Layer>,
    /// The saved index's lists, still deflated, until the frame that shows
    /// the loaded list has gone out (`ui::run_full` then inflates them on a
    /// thread: they only make a search faster).
    pub later_lists: Option<crate::store::index_cache::LaterLists>,
}

impl App {
    pub fn new(
        store: Arc<Store>,
        lang: Lang,
        theme: Theme,
        cal: Arc<WorkCalendar>,
        cats: Categories,
        clock: Clock,
    ) -> Result<App, StoreError> {
        let workers = store.workers()?;
        let demo = store.is_demo()?;
        // one user action that writes twice is one undo step; what was
        // written before the app opened is no step of this session
        store.keep_changes(true);
        let _ = store.take_last_change();
        let mut sh = Shared::new(store, lang, theme, cal, cats, clock, workers, demo);
        let panels = Panels {
            current: PanelId::Requests,
            requests: super::requests::RequestsPanel::new(&mut sh)?,
            residents: Default::default(),
            duties: super::duties::DutiesPanel::new(&mut sh),
            volunteers: super::volunteers::VolunteersPanel::new(&mut sh),
        };
        let mut app = App { sh, panels, layers: Vec::new(), later_lists: None };
        app.sh.refresh_calendar_note();
        // only a judgement of missed study rests on it: never a reason not to open
        app.sh.first_use = app.sh.store.first_use().ok().flatten();
        super::data::refresh_offsite_warning(&mut app.sh);
        if app.sh.workers.is_empty() {
            app.layers.push(Layer::Welcome);
        } else {
            let last = app.sh.store.last_operator()?;
            super::operator::open_picker(&mut app.sh, last);
        }
        // a director may choose to see the office at a glance first
        if app.sh.store.overview_first().unwrap_or(false) {
            let o = super::overview::open(&app.sh, &app.panels);
            app.layers.insert(0, o);
        }
        if app.sh.store.pin_is_set()? {
            app.sh.open(Layer::Pin(Default::default(), 0));
        }
        app.settle();
        let notices = std::mem::take(&mut app.sh.notices);
        app.show_notices(notices);
        Ok(app)
    }

    /// Says once what changed at this start (an upgrade's notices), in a
    /// box under whatever the start asks first (the PIN, the operator).
    pub fn show_notices(&mut self, notices: Vec<String>) {
        if notices.is_empty() {
            return;
        }
        match self.layers.first_mut() {
            Some(Layer::Notice(_, lines)) => lines.extend(notices),
            _ => {
                let title = self.sh.lang.practice().notice_title.to_string();
                self.layers.insert(0, Layer::Notice(title, notices));
            }
        }
    }

    /// The full index has arrived from the background.
    pub fn finish_loading(&mut self, loaded: Loaded) {
        self.sh.finish_loading(loaded.index);
        self.index_replaced();
    }

    /// `sh.index` was replaced (by the full index, or under the store
    /// server by the preview its apps share while the full one loads): the
    /// lists are made again from it.
    pub fn index_replaced(&mut self) {
        self.sh.refresh_calendar_note();
        self.panels.requests.index_loaded(&mut self.sh);
        self.panels.residents.refilter(&self.sh);
        self.panels.residents.load_history(&mut self.sh);
        self.refresh_overview();
    }

    /// An open overview reads its figures again (the full index or the
    /// roster has arrived).
    pub fn refresh_overview(&mut self) {
        for l in &mut self.layers {
            if let Layer::Overview(v) = l {
                v.fig = super::overview::gather(&self.sh, &self.panels);
            }
        }
    }

    /// Saves the index for a fast next start (at quit). Only a fully loaded
    /// index is exactly the store's content; a failure only costs a slower
    /// next start. Not written again when the copy on disk was made at the
    /// store's generation (nothing was saved since it was read or written:
    /// it holds what the index holds): deflating it takes ~0.5 s.
    pub fn save_index(&mut self) {
        if self.sh.loaded
            && let Ok(g) = self.sh.store.generation()
            && crate::store::index_cache::made_at(self.sh.store.dir()) != Some(g)
        {
            let _ = crate::store::index_cache::write(&mut self.sh.index, g, self.sh.store.dir());
        }
        // the daily log and the roster's totals, if read (issue 19g)
        self.panels.duties.take_back_log(&mut self.sh);
        if let Some(log) = &self.panels.duties.log {
            let _ = log.save(&self.sh.store);
        }
        if self.panels.volunteers.loaded {
            let _ = self.panels.volunteers.data.save(&self.sh.store);
        }
    }

    // ---- events --------------------------------------------------------------

    pub fn handle(&mut self, ev: AppEvent) {
        // a large piece of work ended: what it freed goes back to the system
        let heavy = matches!(
            ev,
            AppEvent::Loaded(..)
                | AppEvent::Lists(_)
                | AppEvent::LogLoaded(_)
                | AppEvent::Roster(_)
                | AppEvent::Figures(..)
                | AppEvent::Data(
                    super::data::DataEvent::BackupDone(_)
                        | super::data::DataEvent::Report(..)
                        | super::data::DataEvent::Exported(_, Some(_))
                        | super::data::DataEvent::Previewed(..)
                        | super::data::DataEvent::Imported(..)
                )
                | AppEvent::Undo(super::undo::UndoEvent::Done { .. })
        );
        match ev {
            AppEvent::Loaded(l, later) => {
                self.finish_loading(*l);
                self.later_lists = later.map(|l| *l);
            }
            AppEvent::LogLoaded(idx) => {
                self.panels.duties.log_loaded(*idx, &mut self.sh);
                self.refresh_overview();
            }
            AppEvent::Lists(l) => {
                // (the same answers, sooner: nothing to show again)
                l.add_to(&mut self.sh.index);
            }
            AppEvent::LoadFailed(e) => {
                self.sh.loaded = true;
                self.sh.error(&e);
            }
            AppEvent::Roster(r) => {
                self.panels.volunteers.finish_loading(*r, &mut self.sh);
                self.refresh_overview();
            }
            AppEvent::Term(Event::Key(k)) if k.kind != KeyEventKind::Release => self.handle_key(&k),
            AppEvent::Term(Event::Paste(s)) => self.handle_paste(&s),
            AppEvent::Term(_) => {}
            AppEvent::Data(e) => super::data::event(e, &mut self.sh, &mut self.layers),
            AppEvent::Undo(e) => super::undo::event(e, &mut self.sh, &mut self.panels),
            AppEvent::Figures(y, r) => self.panels.duties.figures_loaded(y, *r, &mut self.sh),
            AppEvent::Signal(sig) => {
                self.sh.signal = Some(sig);
                self.sh.quit = true;
            }
        }
        self.settle();
        if heavy {
            crate::platform::memory::give_back();
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent) {
        if self.sh.new_day() {
            self.panels.requests.refresh(&mut self.sh);
        }
        if !self.layers.is_empty()
            && !matches!(self.layers.last(), Some(Layer::Help(_) | Layer::Pin(..)))
            && keymap::resolve(&[Scope::AnyLayer], key) == Some(Action::Help)
        {
            // the keys of the layer on top, as `?` shows a panel's
            self.layers.push(Layer::Help(0));
        } else if let Some(layer) = self.layers.pop() {
            self.sh.message = None;
            layers::handle_key(layer, key, &mut self.sh, &mut self.panels, &mut self.layers);
        } else if !self.panels.current_mut().search_key(key, &mut self.sh)
            && let Some(action) = keymap::resolve(&self.scopes(), key)
        {
            self.sh.message = None;
            self.act(action);
        }
        self.settle();
    }

    fn handle_paste(&mut self, s: &str) {
        match self.layers.last_mut() {
            Some(layer) => layers::paste(layer, s, &mut self.sh, &mut self.panels),
            None => self.panels.current_mut().paste(s, &mut self.sh),
        }
    }

    /// After a handler: what it wrote becomes one undo step shown
    /// everywhere, the layers it opened go on the stack, what it asked for
    /// is done, and the panels catch up.
    pub fn settle(&mut self) {
        // effects may open layers and write; a few rounds settle them all
        for _ in 0..4 {
            self.panels.sync(&mut self.sh);
            let effects = self.sh.take_effects();
            let opened = self.sh.take_opened();
            if effects.is_empty() && opened.is_empty() {
                break;
            }
            for e in effects {
                self.apply(e);
            }
            self.layers.extend(opened);
        }
        let idle = self.layers.is_empty();
        for id in PanelId::ALL {
            let here = id == self.panels.current;
            self.panels.get_mut(id).after_event(&mut self.sh, here, idle);
        }
        super::undo::hold_quit(&mut self.sh);
    }

    fn apply(&mut self, e: Effect) {
        match e {
            Effect::Goto(id) => self.panels.show(id, &mut self.sh),
            Effect::ShowRequest(id) => {
                self.panels.show(PanelId::Requests, &mut self.sh);
                self.panels.requests.show_request(id, &mut self.sh);
            }
            Effect::HandOver(id) => super::volunteers::hand::open(id, &mut self.panels.volunteers, &mut self.sh),
            Effect::CloseBelow => {
                self.layers.pop();
            }
            Effect::WalkIn { id, name, phone } => {
                if let Some(Layer::RollCall(rc)) = self.layers.last_mut() {
                    rc.add_walk_in(id, &name, &phone, self.sh.lang);
                }
            }
            Effect::Fill { key, shown, id } => {
                if let Some(Layer::Form(f)) = self.layers.last_mut()
                    && f.form.fields.iter().any(|x| x.key == key)
                {
                    f.form.set_lookup(key, &shown, id);
                    // the focus stays on the field just filled: Tab moves on
                    // from there, as from any other field
                    f.form.focus_on(key);
                    layers::changed(f, &mut self.sh, &mut self.panels);
                }
            }
        }
    }

    pub fn scopes(&self) -> Vec<Scope> {
        let mut s = self.panels.current().scopes();
        s.push(Scope::Global);
        s
    }

    fn act(&mut self, action: Action) {
        let sh = &mut self.sh;
        match action {
            Action::Quit => sh.quit = true,
            Action::Help => self.layers.push(Layer::Help(0)),
            Action::NextPanel | Action::PrevPanel | Action::GoPanel(_) => {
                let n = PanelId::ALL.len();
                let cur = self.panels.current.index();
                let next = match action {
                    Action::NextPanel => (cur + 1) % n,
                    Action::PrevPanel => (cur + n - 1) % n,
                    Action::GoPanel(i) => (i as usize).min(n - 1),
                    _ => cur,
                };
                self.panels.show(PanelId::ALL[next], sh);
            }
            Action::Operator => super::operator::open_picker(sh, sh.operator),
            Action::Undo => super::undo::undo(sh, &mut self.panels),
            Action::Redo => super::undo::redo(sh, &mut self.panels),
            Action::Audit => super::audit::open(sh, Default::default()),
            Action::History => {
                if let Some(target) = self.panels.current().history_target(sh) {
                    super::audit::open_history(sh, target);
                }
            }
            Action::Data => self.layers.push(Layer::Data(Box::new(super::data::DataView::Menu(0)))),
            Action::Overview => {
                // its hours and log counts come with the roster and the log
                self.panels.volunteers.request_roster(sh);
                self.panels.duties.request_log(sh);
                self.layers.push(super::overview::open(sh, &self.panels));
            }
            // the daily log is written from anywhere
            Action::Duty(_) => {
                self.panels.duties.act(action, sh);
            }
            _ => {
                self.panels.current_mut().act(action, sh);
            }
        }
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
        let t = self.sh.lang.t();
        if area.width < 80 || area.height < 24 {
            // as much of the sentence as fits; where not even one Chinese
            // character does, a `!`
            if area.width < 2 || area.height == 0 {
                if !area.is_empty() {
                    buf.set_string(area.x, area.y, "!", self.sh.theme.warn);
                }
                return None;
            }
            let margin = u16::from(area.width > 4);
            let msg = wrap(t.too_small, (area.width - 2 * margin) as usize);
            let r = centered(area, area.width, (msg.len() as u16).min(area.height));
            for (i, l) in msg.iter().enumerate().take(r.height as usize) {
                line(buf, r.x + margin, r.y + i as u16, r.width - margin, l, self.sh.theme.warn);
            }
            return None;
        }
        super::header::render(Rect::new(area.x, area.y, area.width, 1), buf, &self.sh, &self.panels);
        let body = Rect::new(area.x, area.y + 1, area.width, area.height - 3);
        let scopes = self.help_scopes();
        if let Some(pin @ Layer::Pin(..)) = self.layers.last_mut() {
            // locked: nothing of the records shows until the PIN is right
            return pin.render(body, buf, &self.sh, &scopes);
        }
        let mut cursor = self.panels.current_mut().render(body, buf, &self.sh);
        for layer in self.layers.iter_mut() {
            cursor = layer.render(body, buf, &self.sh, &scopes);
        }
        self.render_footer(Rect::new(area.x, area.bottom() - 2, area.width, 2), buf);
        cursor
    }

    /// The scopes `?` lists: the layer under the help's, else the panel's.
    fn help_scopes(&self) -> Vec<Scope> {
        let below = self.layers.iter().rev().find(|l| !matches!(l, Layer::Help(_)));
        match below.and_then(Layer::scope) {
            Some(s) => vec![s],
            None => self.scopes(),
        }
    }

    fn render_footer(&self, area: Rect, buf: &mut Buffer) {
        let (sh, t) = (&self.sh, self.sh.lang.t());
        if let Some((msg, is_err)) = &sh.message {
            let style = if *is_err { sh.theme.error } else { sh.theme.ok };
            let lines = wrap(msg, area.width as usize);
            if lines.len() > 1 {
                // a long message (where a restore put the old data) takes the
                // keys' line too until the next key, rather than be cut
                for (i, l) in lines.iter().take(2).enumerate() {
                    line(buf, area.x, area.y + i as u16, area.width, l, style);
                }
                return;
            }
            line(buf, area.x, area.y, area.width, msg, style);
        } else if let Some(p) = super::undo::progress_line(sh) {
            line(buf, area.x, area.y, area.width, &p, sh.theme.dim);
        } else if self.panels.current().loading(sh) {
            line(buf, area.x, area.y, area.width, t.loading, sh.theme.dim);
        }
        let hints: Vec<(String, &str)> = match self.layers.last() {
            // the welcome box says its keys itself
            Some(Layer::Welcome | Layer::Data(_)) => Vec::new(),
            Some(l @ (Layer::Help(_) | Layer::Pin(..))) => {
                l.scope().map(|s| keymap::footer(sh.lang, &[s])).unwrap_or_default()
            }
            Some(l) => l.scope().map(|s| keymap::footer(sh.lang, &[s, Scope::AnyLayer])).unwrap_or_default(),
            None => match self.panels.current().footer(sh) {
                Some(h) => h,
                None if self.panels.current().searching() => keymap::footer(sh.lang, &[Scope::Search]),
                None => keymap::footer(sh.lang, &self.scopes()),
            },
        };
        // a layer's keys read as one sentence, a panel's as many as fit
        let gap = if self.layers.is_empty() { 1 } else { 2 };
        super::header::hints(Rect::new(area.x, area.y + 1, area.width, 1), buf, sh, &hints, gap);
    }
}
