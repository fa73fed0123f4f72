//! Panel 3, the duties board (职责看板): one board per worker and the
//! office's records behind it, as seven views switched with `[` and `]`,
//! each in its own file with its drawing, its forms and its saving:
//!
//! * `board` 看板: the chosen worker's board (today's shift, leave, standing
//!   duties with who is not yet visited, tasks and requests, overdue first);
//! * `registry` 分工: the workers (post, grade, grid, areas, phone);
//! * `rota` 值班: the rota as a month calendar;
//! * `leave` 请假: leave requests and their approval;
//! * `log` 日志: the daily log, per worker per month, searchable;
//! * `training` 培训 and 考评: training days, monthly study, the evaluation.
//!
//! This file keeps the state, routes the keys to the view shown and
//! reloads it when the store changes.

mod board;
mod keys;
mod leave;
mod log;
mod prelude;
pub mod registry;
mod rota;
mod training;

use crate::store::duties_rows::LogCounts;
use crate::store::record::RecordKind;
use crate::store::saved_copy::Stamp;
use crate::store::undo::ChangeSet;
use crate::ui::panel::Panel;
pub use board::BoardRow;
use prelude::*;
use ratatui::crossterm::event::KeyEvent;

/// The duties board's own actions (bound in `keymap::BINDINGS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DutyAction {
    /// Write a daily-log entry (from any panel).
    LogNew,
    NextView,
    PrevView,
    /// Whose board to show.
    ChooseWorker,
    TaskNew,
    DutyNew,
    TaskDone,
    /// The public notice (registry) or the evaluation sheet.
    Export,
    RotaGenerate,
    RotaSwap,
    DayPrev,
    DayNext,
    MonthPrev,
    MonthNext,
    YearPrev,
    YearNext,
    LeaveNew,
    LeaveDecide,
    LeaveClose,
    LeaveWithdraw,
    LogToRequest,
    LogComment,
    LogAll,
    TrainingNew,
}

impl DutyAction {
    /// The action in the footer and the help.
    pub fn label(self, lang: Lang) -> &'static str {
        use DutyAction as A;
        let d = lang.duties();
        match self {
            A::LogNew => d.a_log_new,
            A::NextView => d.a_next_view,
            A::PrevView => d.a_prev_view,
            A::ChooseWorker => d.a_whose,
            A::TaskNew => d.a_task_new,
            A::DutyNew => d.a_duty_new,
            A::TaskDone => d.a_task_done,
            A::Export => d.a_export,
            A::RotaGenerate => d.a_rota_generate,
            A::RotaSwap => d.a_rota_swap,
            A::DayPrev => d.a_day_prev,
            A::DayNext => d.a_day_next,
            A::MonthPrev => d.a_month_prev,
            A::MonthNext => d.a_month_next,
            A::YearPrev => d.a_year_prev,
            A::YearNext => d.a_year_next,
            A::LeaveNew => d.a_leave_new,
            A::LeaveDecide => d.a_leave_decide,
            A::LeaveClose => d.a_leave_close,
            A::LeaveWithdraw => d.a_leave_withdraw,
            A::LogToRequest => d.a_log_to_request,
            A::LogComment => d.a_log_comment,
            A::LogAll => d.a_log_all,
            A::TrainingNew => d.a_training_new,
        }
    }
}

/// Sets a text field's value (pre-filling a form opened elsewhere).
fn set_text(form: &mut Form, key: &str, value: &str) {
    if let Some(f) = form.fields.iter_mut().find(|f| f.key == key)
        && let FieldKind::Text { input, .. } = &mut f.kind
    {
        *input = LineInput::new(value);
    }
}

fn set_choice(form: &mut Form, key: &str, value: &str) {
    if let Some(f) = form.fields.iter_mut().find(|f| f.key == key)
        && let FieldKind::Choice { options, sel } = &mut f.kind
        && let Some(i) = options.iter().position(|o| o == value)
    {
        *sel = i;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Board,
    Registry,
    Rota,
    Leave,
    Log,
    Training,
    Evaluation,
}

impl View {
    /// The view's name on its tab.
    pub fn name(self, lang: crate::i18n::Lang) -> &'static str {
        lang.duties().views[self as usize]
    }

    pub const ALL: [View; 7] =
        [View::Board, View::Registry, View::Rota, View::Leave, View::Log, View::Training, View::Evaluation];

    /// The key-map scope of the view (tried before `Scope::Workers`).
    pub fn scope(self) -> Scope {
        match self {
            View::Board => Scope::DutyBoard,
            View::Registry => Scope::DutyRegistry,
            View::Rota => Scope::DutyRota,
            View::Leave => Scope::DutyLeave,
            View::Log => Scope::DutyLog,
            View::Training => Scope::DutyTraining,
            View::Evaluation => Scope::DutyEvaluation,
        }
    }

    pub fn step(self, delta: isize) -> View {
        let i = View::ALL.iter().position(|v| *v == self).unwrap_or(0) as isize;
        View::ALL[(i + delta).rem_euclid(View::ALL.len() as isize) as usize]
    }
}

pub struct DutiesPanel {
    pub view: View,
    /// Whose board; `None` is the operator's.
    pub worker: Option<WorkerId>,
    pub settings: DutySettings,
    pub grades: Grades,
    /// Who is on duty on `.0` (for the header); refreshed when the day or
    /// the rota changes.
    pub on_duty: Option<(NaiveDate, Option<WorkerId>)>,
    /// Something was saved: reload the view before drawing.
    pub stale: bool,
    // board
    pub board: Option<Board>,
    pub board_list: ListState,
    pub expanded: Option<DutyId>,
    // registry: the workers' standing duties
    pub all_duties: Vec<Duty>,
    // rota (and the log's month)
    pub month: (i32, u32),
    pub cursor: NaiveDate,
    pub slots: Vec<RotaSlot>,
    pub needed: Vec<NaiveDate>,
    pub conflicts: Vec<Conflict>,
    pub swap_from: Option<NaiveDate>,
    pub month_leaves: Vec<Leave>,
    // leave
    pub leaves: Vec<Leave>,
    pub leave_list: ListState,
    /// Select this leave when the list is next loaded (one just asked for).
    pub focus_leave: Option<crate::domain::duties::LeaveId>,
    /// The rota around the leave year, for clashes.
    pub slots_for_leave: Vec<RotaSlot>,
    // log
    pub log: Option<LogIndex>,
    /// Entries saved while the log was still being read in the background.
    pub log_changed: Vec<LogId>,
    pub log_all: bool,
    pub log_search: LineInput,
    pub log_searching: bool,
    pub log_hits: Vec<u32>,
    pub log_list: ListState,
    pub log_detail: Option<LogEntry>,
    /// The residents of the log form being filled in.
    pub log_residents: Vec<(ResidentId, String)>,
    /// Whom the open training form is for.
    pub worker_for_training: Option<WorkerId>,
    // training and evaluation
    pub year: i32,
    /// The evaluation's year: last year until December.
    pub eval_year: i32,
    pub trainings: Vec<Training>,
    pub people_list: ListState,
    pub evals: Vec<Evaluation>,
    pub figures: HashMap<WorkerId, Figures>,
    /// Rows the current list shows at once (for PgUp/PgDn).
    pub list_height: usize,
    /// Whether the board was built with the full request list.
    pub built_loaded: bool,
    /// The panel shown after the last event (entering this one reloads).
    pub last_panel_was_here: bool,
    /// The registry's selection and the worker whose phone is shown.
    pub registry_list: ListState,
    pub registry_revealed: Option<WorkerId>,
    /// The daily log's background read was started (it is read when the
    /// board is first opened: 50,000 entries on a large set).
    log_requested: bool,
    /// The app alone let its log go when the panel was left (issue 19: ~5.5
    /// MB on the large set): the stamp of the saved copy it is read back
    /// from, and the entries per worker and month the overview shows.
    kept: Option<(Stamp, LogCounts)>,
    /// The evaluation's figures from the requests are being counted in
    /// the background for this year (two years of requests: most of a
    /// second on a large set).
    pub figures_loading: Option<i32>,
}

impl DutiesPanel {
    /// The board at start: the office's settings files, who is on duty.
    pub fn new(sh: &mut Shared) -> DutiesPanel {
        let today = sh.today.date;
        let mut p = DutiesPanel {
            view: View::Board,
            worker: None,
            settings: DutySettings::default(),
            grades: Grades::default(),
            on_duty: None,
            stale: true,
            board: None,
            board_list: ListState::default(),
            expanded: None,
            all_duties: Vec::new(),
            month: (today.year(), today.month()),
            cursor: today,
            slots: Vec::new(),
            needed: Vec::new(),
            conflicts: Vec::new(),
            swap_from: None,
            month_leaves: Vec::new(),
            leaves: Vec::new(),
            leave_list: ListState::default(),
            focus_leave: None,
            slots_for_leave: Vec::new(),
            log: None,
            log_changed: Vec::new(),
            log_all: false,
            log_search: LineInput::default(),
            log_searching: false,
            log_hits: Vec::new(),
            log_list: ListState::default(),
            log_detail: None,
            log_residents: Vec::new(),
            worker_for_training: None,
            year: today.year(),
            eval_year: if today.month() == 12 { today.year() } else { today.year() - 1 },
            trainings: Vec::new(),
            people_list: ListState::default(),
            evals: Vec::new(),
            figures: HashMap::new(),
            list_height: 10,
            built_loaded: false,
            last_panel_was_here: false,
            registry_list: ListState::default(),
            registry_revealed: None,
            log_requested: false,
            kept: None,
            figures_loading: None,
        };
        p.duties_init(sh);
        p
    }

    /// The worker whose board and log are shown.
    pub fn subject(&self, operator: Option<WorkerId>) -> Option<WorkerId> {
        self.worker.or(operator)
    }

    /// The selected board row, if any.
    pub fn board_row(&self) -> Option<BoardRow> {
        board::rows(self).get(self.board_list.sel).copied()
    }

    pub fn board_rows_len(&self) -> usize {
        board::rows(self).len()
    }

    pub fn selected_todo(&self) -> Option<TodoRef> {
        match self.board_row()? {
            BoardRow::Todo(i) => self.board.as_ref()?.todos.get(i).map(|t| t.what),
            _ => None,
        }
    }

    pub fn selected_leave(&self) -> Option<&Leave> {
        self.leaves.get(self.leave_list.sel)
    }

    /// Whether `worker` is on the rota in `[from, to]`.
    pub fn conflicts_with_leave(&self, worker: WorkerId, from: NaiveDate, to: NaiveDate) -> bool {
        self.slots_for_leave.iter().any(|s| s.worker == Some(worker) && s.date >= from && s.date <= to)
    }

    pub fn selected_log(&self) -> Option<LogId> {
        let i = *self.log_hits.get(self.log_list.sel)?;
        self.log.as_ref()?.row(i).map(|r| r.id)
    }

    /// At start: the office's settings files, and who is on duty today.
    pub fn duties_init(&mut self, sh: &mut Shared) {
        let (settings, grades, warnings) = crate::store::duties::load_duty_files(sh.store.dir());
        self.settings = settings;
        self.grades = grades;
        if let Some(w) = warnings.first() {
            // `duties.txt 第 3 行：…`
            let at = fill(sh.lang.data_ui().row, w.error.line);
            let msg = fill(
                sh.lang.duties().settings_warning,
                format!("{} {at}{}{}", w.file, sh.lang.t().colon, w.error.text),
            );
            sh.message = Some((msg, true));
        }
        // an office whose grades.txt predates the bands keeps its labels,
        // and is told once what 三岗十八级 is now
        if self.grades.bands.is_empty() && sh.store.notice_once("grades-bands").unwrap_or(false) {
            sh.notices.push(sh.lang.practice().grades_notice.to_string());
        }
        self.refresh_on_duty(sh);
    }
    /// Reads today's rota slot for the header.
    pub fn refresh_on_duty(&mut self, sh: &mut Shared) {
        let today = sh.today.date;
        self.on_duty = match sh.store.get::<RotaSlot>(crate::domain::duties::rota::slot_key(today, 0)) {
            Ok(slot) => Some((today, slot.and_then(|s| s.worker))),
            Err(_) => Some((today, None)),
        };
    }

    /// "值班:王芳" for the header, once a rota exists for today.
    pub fn on_duty_label(&self, sh: &Shared) -> Option<String> {
        let (_, who) = self.on_duty?;
        let name = sh.worker(who?)?.name.clone();
        Some(format!("{}{}{}", sh.lang.duties().on_duty, sh.lang.t().colon, name))
    }

    /// Reloads the shown view from the store.
    pub fn duties_reload(&mut self, sh: &mut Shared) {
        self.stale = false;
        let result = match self.view {
            View::Board => self.build_board(sh),
            View::Registry => sh.store.all::<Duty>().map(|d| self.all_duties = d),
            View::Rota => self.load_rota(sh),
            View::Leave => self.load_leave(sh),
            View::Log => self.load_log(sh),
            View::Training => sh.store.all::<Training>().map(|t| self.trainings = t),
            View::Evaluation => self.load_evaluation(sh),
        };
        if let Err(e) = result {
            sh.error(&e);
        }
    }

    /// The daily log in memory: normally read in the background at start
    /// (see `duties_log_loaded`); read here if it is needed sooner.
    fn ensure_log_index(&mut self, sh: &mut Shared) -> crate::store::Result<()> {
        if self.log.is_none() {
            match self.kept.as_ref().map(|k| k.0) {
                Some(stamp) => {
                    let idx = LogIndex::load_kept(&sh.store, stamp)?;
                    self.catch_up(idx, sh)?;
                }
                None => {
                    self.log = Some(LogIndex::load(&sh.store)?);
                    self.log_changed.clear();
                }
            }
        }
        Ok(())
    }

    /// Lets the daily log go (the panel was left, the app has the store to
    /// itself): its copy is saved if the one on disk is not this log, and
    /// it is read back from that copy when needed again (~15 ms on the
    /// large set), what was saved meanwhile read again from the store.
    fn let_log_go(&mut self, sh: &mut Shared) {
        let Some(log) = self.log.as_mut() else { return };
        // a copy that cannot be written: the log stays
        let Ok(stamp) = log.keep(&sh.store) else { return };
        self.kept = Some((stamp, log.counts()));
        self.log = None;
        self.log_changed.clear();
        self.log_requested = false;
        self.log_hits.clear();
        crate::platform::memory::give_back();
    }

    /// At quit: a log let go is read back (its copy names the store's state
    /// when it was let go; saved again now, the next start can use it).
    pub fn take_back_log(&mut self, sh: &mut Shared) {
        if self.log.is_none() && self.kept.is_some() {
            let _ = self.ensure_log_index(sh);
        }
    }

    /// A worker's entries dated in month `ym`, from the log or, while it is
    /// let go, from what was kept of it (0 before it was first read).
    pub fn month_count(&self, worker: WorkerId, ym: u32) -> u32 {
        match (&self.log, &self.kept) {
            (Some(l), _) => l.month_count(worker, ym),
            (None, Some((_, c))) => c.month_count(worker, ym),
            (None, None) => 0,
        }
    }

    /// The daily log read in the background has landed: entries saved or
    /// changed meanwhile are read again.
    /// Under the store server: the daily log the apps share, lent to this
    /// one for an event (see `serve::server`).
    /// Under the store server: another app is reading the daily log the
    /// apps will share; this one waits for it instead of reading its own.
    pub fn wait_for_shared_log(&mut self) {
        self.log_requested = true;
    }

    /// Whether this app is reading the daily log (asked, not yet here).
    pub fn reading_log(&self) -> bool {
        self.log_requested && self.log.is_none()
    }

    /// The read it waited for failed: it reads for itself when shown again.
    pub fn stop_waiting_log(&mut self) {
        if self.log.is_none() {
            self.log_requested = false;
        }
    }

    pub fn lend_log(&mut self, idx: LogIndex) {
        if self.log.is_none() {
            // what this app noted while it had none is in the shared log
            self.log_changed.clear();
            if matches!(self.view, View::Log | View::Evaluation) {
                self.stale = true;
            }
        }
        self.log = Some(idx);
    }

    pub fn log_loaded(&mut self, idx: LogIndex, sh: &mut Shared) {
        if self.log.is_some() {
            return;
        }
        match self.catch_up(idx, sh) {
            Ok(()) => {
                if matches!(self.view, View::Log | View::Evaluation) {
                    self.stale = true;
                }
            }
            Err(e) => sh.error(&e),
        }
    }

    /// A log read while the app saved on: the entries saved after it and
    /// those noted meanwhile are read again (a removed one taken out), and
    /// it becomes the log.
    fn catch_up(&mut self, mut idx: LogIndex, sh: &mut Shared) -> crate::store::Result<()> {
        let after = idx.last_id().map_or(0, |id| id.0 + 1);
        let changed = std::mem::take(&mut self.log_changed);
        for e in &sh.store.range::<LogEntry>(after, u64::MAX)? {
            idx.upsert(e);
        }
        for id in changed {
            match sh.store.log_entry(id)? {
                Some(e) => idx.upsert(&e),
                None => idx.remove(id.0),
            }
        }
        self.log = Some(idx);
        self.kept = None;
        Ok(())
    }

    fn worker_pick_items(&self, sh: &Shared, rota_only: bool) -> Vec<PickItem> {
        sh.workers
            .iter()
            .filter(|w| if rota_only { w.status.takes_rota() } else { w.active })
            .map(|w| PickItem::new(format!("{}  {}  {}", w.name, w.post, w.grid), w.id.0, &w.name, &w.phone, &w.post))
            .collect()
    }

    /// Draws the panel; returns the cursor position while searching.
    fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) -> Option<Position> {
        let d = ctx.lang.duties();
        self.render_tabs(Rect::new(area.x, area.y, area.width, 1), buf, ctx, d);
        let body = Rect::new(area.x, area.y + 1, area.width, area.height.saturating_sub(1));
        match self.view {
            View::Board => {
                board::render(self, body, buf, ctx);
                None
            }
            View::Registry => {
                registry::render(self, body, buf, ctx);
                None
            }
            View::Rota => {
                rota::render(self, body, buf, ctx);
                None
            }
            View::Leave => {
                leave::render_leave(self, body, buf, ctx);
                None
            }
            View::Log => log::render(self, body, buf, ctx),
            View::Training => {
                training::render_training(self, body, buf, ctx);
                None
            }
            View::Evaluation => {
                training::render_evaluation(self, body, buf, ctx);
                None
            }
        }
    }

    fn render_tabs(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx, d: &DutiesText) {
        let th = ctx.theme;
        let hint = format!(" {} ", d.tabs_hint);
        let hw = crate::domain::text::width(&hint) as u16;
        let mut x = area.x;
        for v in View::ALL {
            let label = format!(" {} ", v.name(ctx.lang));
            let w = crate::domain::text::width(&label) as u16;
            if x + w + hw > area.right() {
                break;
            }
            let style = if v == self.view { th.tab_active } else { th.dim };
            line(buf, x, area.y, w, &label, style);
            x += w;
        }
        if x + hw <= area.right() {
            line(buf, area.right() - hw, area.y, hw, &hint, th.dim);
        }
    }
}

impl Panel for DutiesPanel {
    fn scopes(&self) -> Vec<Scope> {
        vec![self.view.scope(), Scope::Workers]
    }

    fn render(&mut self, area: Rect, buf: &mut Buffer, sh: &Shared) -> Option<Position> {
        self.draw(area, buf, sh)
    }

    fn act(&mut self, action: Action, sh: &mut Shared) -> bool {
        if let Action::Duty(d) = action {
            self.duty_act(sh, d);
            return true;
        }
        self.duty_generic(sh, action)
    }

    fn search_key(&mut self, key: &KeyEvent, sh: &mut Shared) -> bool {
        self.duty_search_key(sh, key)
    }

    fn searching(&self) -> bool {
        self.duty_searching()
    }

    fn paste(&mut self, s: &str, sh: &mut Shared) {
        self.duty_paste(sh, s);
    }

    /// Whatever changed, the view shown reloads; a log entry is kept in the
    /// log in memory, a rota day may change who is on duty today.
    fn on_change(&mut self, set: &ChangeSet, sh: &mut Shared) {
        for c in &set.0 {
            match c.kind {
                RecordKind::LogEntry => {
                    let e = c.after.as_deref().and_then(|b| crate::store::codec::decode::<LogEntry>(b).ok());
                    if let (None, Some((_, counts))) = (&self.log, &mut self.kept) {
                        let before = c.before.as_deref().and_then(|b| crate::store::codec::decode::<LogEntry>(b).ok());
                        counts.apply(before.as_ref(), e.as_ref());
                    }
                    if sh.from_colleague && self.log.is_some() {
                        // the shared log has it: only the detail shown follows
                        if self.log_detail.as_ref().is_some_and(|x| x.id.0 == c.id) {
                            self.log_detail = e;
                        }
                    } else {
                        self.log_changed_to(c.id, e);
                    }
                }
                RecordKind::RotaSlot => self.refresh_on_duty(sh),
                _ => {}
            }
        }
        self.stale = true;
    }

    fn shown(&mut self, sh: &mut Shared) {
        // a log let go comes back from its copy at once (~15 ms on the large
        // set): a view that needs it (the log, 考评) would otherwise read it
        // a second time beside the background read
        if self.log.is_none()
            && self.kept.is_some()
            && let Err(e) = self.ensure_log_index(sh)
        {
            sh.error(&e);
        }
        self.request_log(sh);
    }

    /// A new day, entering the panel, a finished load or a save makes the
    /// shown view reload (once no form is open over it).
    fn after_event(&mut self, sh: &mut Shared, here: bool, idle: bool) {
        let today = sh.today.date;
        if self.on_duty.is_none_or(|(d, _)| d != today) {
            self.refresh_on_duty(sh);
            self.stale = true;
        }
        if here && !self.last_panel_was_here {
            self.stale = true;
        }
        // the panel left, the app alone: the log goes until it is shown again
        if !here && self.log.is_some() && sh.outbox.is_none() {
            self.let_log_go(sh);
        }
        self.last_panel_was_here = here;
        if here && self.view == View::Board && sh.loaded != self.built_loaded {
            self.stale = true;
        }
        if here && self.stale && idle {
            self.duties_reload(sh);
        }
    }

    fn loading(&self, _sh: &Shared) -> bool {
        self.view == View::Evaluation && self.figures_loading.is_some()
    }

    fn history_target(&self, sh: &Shared) -> Option<(RecordKind, u64, String)> {
        if self.view != View::Registry {
            return None;
        }
        sh.workers.get(self.registry_list.sel).map(|w| (RecordKind::Worker, w.id.0, w.name.clone()))
    }
}

impl DutiesPanel {
    /// Starts reading the daily log in the background, once.
    pub fn request_log(&mut self, sh: &Shared) {
        if self.log.is_some() || self.log_requested {
            return;
        }
        if let Some(tx) = sh.events.clone() {
            self.log_requested = true;
            let store = sh.store.clone();
            let kept = self.kept.as_ref().map(|k| k.0);
            std::thread::spawn(move || {
                let idx = match kept {
                    Some(stamp) => LogIndex::load_kept(&store, stamp),
                    None => LogIndex::load(&store),
                };
                if let Ok(idx) = idx {
                    let _ = tx.send(crate::ui::app::AppEvent::LogLoaded(Box::new(idx)));
                }
            });
        }
    }

    /// `v` in the registry: the selected worker's full phone, recorded.
    fn reveal_worker(&mut self, sh: &mut Shared) {
        let Some(w) = sh.workers.get(self.registry_list.sel).filter(|w| !w.phone.is_empty()) else { return };
        let id = w.id;
        if crate::ui::residents::forms::reveal(sh, RecordKind::Worker, id.0) {
            self.registry_revealed = Some(id);
        }
    }
}

/// Fits cells to their widths and joins them with one space.
pub(crate) fn cells(parts: &[(&str, usize)]) -> String {
    parts
        .iter()
        .filter(|(_, w)| *w > 0)
        .map(|(s, w)| crate::domain::text::fit(&crate::domain::text::display_safe(s), *w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `MM-DD` and the weekday, as the office writes dates on a board.
pub(crate) fn day_label(lang: crate::i18n::Lang, d: NaiveDate) -> String {
    format!("{} {}", d.format("%m-%d"), crate::i18n::duties::weekday(lang, d))
}

/// Draws `lines` into the area under a top border.
pub(crate) fn detail(area: Rect, buf: &mut Buffer, ctx: &Ctx, lines: &[(String, Style)]) {
    let block = Block::new().borders(Borders::TOP).border_style(ctx.theme.border);
    let inner = block.inner(area);
    block.render(area, buf);
    for (i, (l, s)) in lines.iter().enumerate() {
        if i as u16 >= inner.height {
            break;
        }
        line(buf, inner.x, inner.y + i as u16, inner.width, l, *s);
    }
}

/// Splits the view into title, list and detail; returns (list, detail).
pub(crate) fn split(area: Rect, detail_h: u16) -> (Rect, Rect) {
    let dh = detail_h.min(area.height.saturating_sub(4));
    let list = Rect::new(area.x, area.y + 1, area.width, area.height.saturating_sub(1 + dh));
    let det = Rect::new(area.x, area.bottom().saturating_sub(dh), area.width, dh);
    (list, det)
}
