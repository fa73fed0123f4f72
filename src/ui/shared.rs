//! What every part of the screen shares: the store, the clock, the
//! language and theme, the workers and who is at the keyboard, the search
//! index of every request and resident, the message line, and this
//! session's undo steps. Panels, forms and screens get it as `&mut Shared`
//! and ask for what only the app can do (open a layer, go to a panel) by
//! leaving it here; the app does it after the handler returns.

use super::app::AppEvent;
use super::layers::Layer;
use super::panel::PanelId;
use super::theme::Theme;
use crate::domain::{Categories, Request, RequestId, Resident, ResidentId, WorkCalendar, Worker, WorkerId};
use crate::i18n::{self, Lang};
use crate::store::record::RecordKind;
use crate::store::rows::{RequestIndex, Today};
use crate::store::undo::ChangeSet;
use crate::store::{Store, StoreError};
use chrono::NaiveDateTime;
use std::sync::Arc;
use std::sync::mpsc::Sender;

/// Where "now" comes from: the wall clock in the app, a fixed time in tests.
pub type Clock = Box<dyn Fn() -> NaiveDateTime + Send>;

/// What a handler asks the app to do once it has returned.
pub enum Effect {
    /// Show this panel.
    Goto(PanelId),
    /// Show this request in the requests panel, all filters off.
    ShowRequest(RequestId),
    /// Hand this request to a volunteer team or volunteer (the roster's
    /// picker, from the requests panel).
    HandOver(RequestId),
    /// Close the layer below the one that asked (a filter form replacing the
    /// audit screen it filters, a roll call finishing its activity form).
    CloseBelow,
    /// Fill the lookup field `key` of the form on top (a resident created
    /// from a form's lookup).
    Fill { key: &'static str, shown: String, id: u64 },
    /// A volunteer who came to an activity unregistered was just saved:
    /// the roll call on top adds them, ticked.
    WalkIn { id: crate::domain::volunteer::VolunteerId, name: String, phone: String },
}

/// The requests and residents saved while the full index was loading:
/// the load may have read the store before them, so each is read again
/// into the index once it lands.
#[derive(Default, Debug)]
pub struct Pending {
    requests: Vec<RequestId>,
    residents: Vec<ResidentId>,
}

impl Pending {
    /// Adds what `other` holds.
    pub fn extend(&mut self, other: Pending) {
        self.requests.extend(other.requests);
        self.residents.extend(other.residents);
    }

    /// Adds the requests and residents a change set wrote.
    pub fn note(&mut self, set: &ChangeSet) {
        for c in &set.0 {
            match c.kind {
                RecordKind::Request => self.requests.push(RequestId(c.id)),
                RecordKind::Resident => self.residents.push(ResidentId(c.id)),
                _ => {}
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.requests.is_empty() && self.residents.is_empty()
    }

    /// Reads each one again into `index` (removed where it is gone).
    pub fn apply(self, index: &mut RequestIndex, store: &Store) {
        for id in self.residents {
            match store.resident(id) {
                Ok(Some(r)) => index.upsert_resident(&r),
                Ok(None) => index.remove_resident(id),
                Err(_) => {}
            }
        }
        for id in self.requests {
            match store.request(id) {
                Ok(Some(r)) => index.upsert(&r),
                Ok(None) => index.remove(id),
                Err(_) => {}
            }
        }
    }
}

/// A person's name as a form gives it (already cleaned), checked: not
/// empty, not longer than `domain::text::MAX_NAME_CHARS`.
pub fn check_name(lang: crate::i18n::Lang, name: &str) -> Result<(), String> {
    let t = lang.t();
    if name.is_empty() {
        return Err(crate::i18n::fill(t.required, t.f_name));
    }
    if crate::domain::text::name_too_long(name) {
        let n = name.chars().count();
        return Err(crate::i18n::fill_all(t.name_too_long, &[&n, &crate::domain::text::MAX_NAME_CHARS]));
    }
    Ok(())
}

pub struct Shared {
    pub store: Arc<Store>,
    pub lang: Lang,
    pub theme: Theme,
    pub cal: Arc<WorkCalendar>,
    pub cats: Categories,
    /// Which residents' tags are sensitive (`sensitive_tags.txt`).
    pub sensitive: crate::domain::resident::SensitiveTags,
    clock: Clock,
    pub today: Today,
    pub workers: Vec<Worker>,
    /// Who is at the keyboard: every change is recorded in their name.
    pub operator: Option<WorkerId>,
    /// Every request, and every resident's search key: the requests list,
    /// the directory, the resident lookups and the duties board read it.
    pub index: RequestIndex,
    /// The full index has loaded (until then it holds the newest requests).
    pub loaded: bool,
    /// Saved while the full index was loading: applied when it lands.
    pending: Pending,
    /// One line under the panel: what just happened, or what went wrong.
    pub message: Option<(String, bool)>,
    /// What changed at this start, said once in a box (see `App::show_notices`).
    pub notices: Vec<String>,
    /// The header's word on the work calendar, when today or an open
    /// request's due date lies in a year it only estimates or does not list
    /// (see [`Shared::refresh_calendar_note`]).
    pub calendar_note: Option<String>,
    /// Where background work reports back (set by the event loop; `None` in
    /// tests, where such work runs at once).
    pub events: Option<Sender<AppEvent>>,
    pub demo: bool,
    /// The day the office began keeping its records here (its first
    /// record); nothing before it is counted as missed.
    pub first_use: Option<chrono::NaiveDate>,
    /// The data screens' drive list, restore request and header warning.
    pub data: super::data::DataState,
    /// This session's changes, for undo (Ctrl+Z) and redo (Ctrl+Y).
    pub undo: Vec<ChangeSet>,
    pub redo: Vec<ChangeSet>,
    /// A large undo or redo running on a thread (see `ui::undo`).
    pub undoing: Option<super::undo::Undoing>,
    /// Tests only: holds that thread before each chunk it writes.
    pub undo_gate: Option<super::undo::UndoGate>,
    pub quit: bool,
    /// Under the store server: what this app wrote (each save, undo and
    /// redo), for the server to show on every colleague's screen. `None`
    /// when the app has the store to itself.
    pub outbox: Option<Vec<ChangeSet>>,
    /// Under the store server: how many colleagues are connected besides
    /// this terminal (the header says so).
    pub colleagues: usize,
    /// Set while a colleague's change set is shown (under the store
    /// server): the lists the apps share (the roster, the daily log) have
    /// it already; a panel only brings its view along.
    pub from_colleague: bool,
    /// The signal that ended the app, if one did.
    pub signal: Option<i32>,
    /// The user asked for the demo data from the welcome screen.
    pub open_demo: bool,
    opened: Vec<Layer>,
    effects: Vec<Effect>,
}

impl Shared {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        store: Arc<Store>,
        lang: Lang,
        theme: Theme,
        cal: Arc<WorkCalendar>,
        cats: Categories,
        clock: Clock,
        workers: Vec<Worker>,
        demo: bool,
    ) -> Shared {
        let today = Today::new(clock().date(), &cal);
        let sensitive = crate::store::tags::load_sensitive_tags(store.dir());
        Shared {
            store,
            lang,
            theme,
            cal,
            cats,
            sensitive,
            clock,
            today,
            workers,
            operator: None,
            index: RequestIndex::default(),
            loaded: false,
            pending: Pending::default(),
            message: None,
            notices: Vec::new(),
            calendar_note: None,
            events: None,
            demo,
            first_use: None,
            data: Default::default(),
            undo: Vec::new(),
            redo: Vec::new(),
            undoing: None,
            undo_gate: None,
            quit: false,
            outbox: None,
            colleagues: 0,
            from_colleague: false,
            signal: None,
            open_demo: false,
            opened: Vec::new(),
            effects: Vec::new(),
        }
    }

    pub fn now(&self) -> NaiveDateTime {
        (self.clock)()
    }

    /// From when a worker's training and study are judged: their start in
    /// the community, but not before the office's first record here.
    pub fn judged_since(&self, w: &Worker) -> chrono::NaiveDate {
        let office = self.first_use.unwrap_or(self.today.date);
        w.start.map_or(office, |s| s.max(office))
    }

    /// Moves "today" on when the date has changed; returns whether it did.
    pub fn new_day(&mut self) -> bool {
        let date = self.now().date();
        if date == self.today.date {
            return false;
        }
        self.today = Today::new(date, &self.cal);
        self.refresh_calendar_note();
        true
    }

    /// Looks again at today and the latest due date of an open request: in
    /// a year the calendar only estimates (预估) or does not list, the
    /// header says so (the office should update `calendar.txt`).
    pub fn refresh_calendar_note(&mut self) {
        use crate::domain::calendar::YearStatus;
        let today = self.today.date;
        // kept by the index on every change: no row is read here
        let latest = self.index.latest_open_due().map_or(today, |d| d.max(today));
        let p = self.lang.practice();
        self.calendar_note = self.cal.doubt(&[today, latest]).map(|(year, status)| match status {
            YearStatus::Provisional => i18n::fill(p.header_provisional, year),
            _ => i18n::fill(p.header_missing, year),
        });
    }

    pub fn info(&mut self, s: impl Into<String>) {
        self.message = Some((s.into(), false));
    }

    pub fn fail(&mut self, s: impl Into<String>) {
        self.message = Some((s.into(), true));
    }

    pub fn error(&mut self, e: &StoreError) {
        self.message = Some((i18n::store_error(self.lang, e), true));
    }

    /// A store error in the user's words (for a form's error line).
    pub fn store_msg(&self, e: &StoreError) -> String {
        i18n::store_error(self.lang, e)
    }

    /// Opens a layer above everything once the handler has returned.
    pub fn open(&mut self, layer: Layer) {
        self.opened.push(layer);
    }

    pub fn effect(&mut self, e: Effect) {
        self.effects.push(e);
    }

    pub(super) fn take_opened(&mut self) -> Vec<Layer> {
        std::mem::take(&mut self.opened)
    }

    pub(super) fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    pub fn worker(&self, id: WorkerId) -> Option<&Worker> {
        self.workers.iter().find(|w| w.id == id)
    }

    pub fn worker_name(&self, id: Option<WorkerId>) -> &str {
        id.and_then(|id| self.worker(id)).map_or("", |w| w.name.as_str())
    }

    /// The operator, or `None` after opening the operator picker with a
    /// word on the message line: nothing is saved in nobody's name.
    pub fn need_operator(&mut self) -> Option<WorkerId> {
        if self.operator.is_none() {
            self.info(self.lang.t().no_operator);
            super::operator::open_picker(self, None);
        }
        self.operator
    }

    /// As [`Shared::need_operator`], with the operator's record.
    pub fn need_operator_worker(&mut self) -> Option<Worker> {
        let id = self.need_operator()?;
        self.worker(id).cloned()
    }

    /// A resident's name from the index (or the store while it loads).
    pub fn resident_name(&self, id: ResidentId) -> Option<String> {
        self.index
            .resident(id)
            .map(|k| k.name.to_string())
            .or_else(|| self.store.resident(id).ok().flatten().map(|r| r.name))
    }

    /// Brings the shared lists in line with what a change set wrote: the
    /// index's requests and residents, and the workers. Panels follow in
    /// their own `on_change`.
    pub(super) fn apply(&mut self, set: &ChangeSet) {
        self.apply_with(set, true)
    }

    /// As [`Shared::apply`]; `index`: the search index learns the change
    /// too (false for a colleague's change under the store server, whose
    /// one shared index the colleague's app has already brought in line).
    pub(super) fn apply_with(&mut self, set: &ChangeSet, index: bool) {
        fn decode<T: serde::de::DeserializeOwned>(b: &Option<crate::store::undo::Bytes>) -> Option<Result<T, String>> {
            b.as_deref().map(crate::store::codec::decode)
        }
        let mut workers = false;
        for c in &set.0 {
            match c.kind {
                RecordKind::Request | RecordKind::Resident if !index => {}
                RecordKind::Request => {
                    if !self.loaded {
                        self.pending.requests.push(RequestId(c.id));
                    }
                    match decode::<Request>(&c.after) {
                        Some(Ok(r)) => self.index.upsert(&r),
                        None => self.index.remove(RequestId(c.id)),
                        Some(Err(_)) => {}
                    }
                }
                RecordKind::Resident => {
                    if !self.loaded {
                        self.pending.residents.push(ResidentId(c.id));
                    }
                    // (an import's: only a fingerprint, the resident read
                    // from the store, one at a time; see `Store::capture_prints`)
                    let read = |s: &Self| match s.store.resident(ResidentId(c.id)) {
                        Ok(r) => r.map(Ok),
                        Err(e) => Some(Err(e.to_string())),
                    };
                    let r = match &c.after {
                        Some(b) if b.is_print() => read(self),
                        b => decode::<Resident>(b),
                    };
                    match r {
                        Some(Ok(r)) => self.index.upsert_resident(&r),
                        None => self.index.remove_resident(ResidentId(c.id)),
                        Some(Err(_)) => {}
                    }
                }
                RecordKind::Worker => workers = true,
                _ => {}
            }
        }
        if workers {
            match self.store.workers() {
                Ok(w) => self.workers = w,
                Err(e) => self.error(&e),
            }
        }
        // (a colleague's: the server brings the note the saving app worked out)
        if index && set.0.iter().any(|c| c.kind == RecordKind::Request) {
            self.refresh_calendar_note();
        }
    }

    /// What was saved while the full index was loading, taken out (under
    /// the store server, which reads it into the one index all its apps
    /// share, see `serve::server`).
    pub fn take_pending(&mut self) -> Pending {
        std::mem::take(&mut self.pending)
    }

    /// The full index has been read in the background: what was saved
    /// meanwhile (the load may have read the store before) is read again.
    pub(super) fn finish_loading(&mut self, index: RequestIndex) {
        self.index = index;
        std::mem::take(&mut self.pending).apply(&mut self.index, &self.store);
        self.loaded = true;
        self.refresh_calendar_note();
    }
}
