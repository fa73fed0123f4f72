//! What happens on the duties board (panel 3) and with the daily log (the
//! global `L`): loading the views from the store, the forms, pickers and
//! confirmations, and saving through the store. Nothing here draws; the
//! panel is `panels::duties`.
//!
//! The rest of the app calls in through a few hooks: `duties_init` (start),
//! `duties_after_event` (after every event), `duty_generic` (list keys of
//! panel 3), `duty_act` (the duties actions of the key map), and the
//! submit/pick/confirm/changed hooks for the layers this file opens.

use super::app::{App, Panel};
use super::keymap::Action;
use super::layers::{ConfirmAction, FormPurpose, Layer, PickPurpose};
use super::panels::duties::{BoardRow, View, eval_people};
use super::widgets::form::{Field, FieldKind, Form};
use super::widgets::input::LineInput;
use super::widgets::picker::{Pick, PickItem, Picker};
use crate::domain::duties::board::{Board, BoardParts, TodoRef};
use crate::domain::duties::evaluation::Evaluation;
use crate::domain::duties::leave::{Leave, LeaveKind, LeaveMove, LeaveStatus, may_decide};
use crate::domain::duties::log::{LogEntry, LogKind};
use crate::domain::duties::rota::{self, RotaSlot};
use crate::domain::duties::standing::{Duty, Period};
use crate::domain::duties::task::{Task, TaskStatus};
use crate::domain::duties::training::{Training, TrainingKind, progress};
use crate::domain::duties::{
    DutyId, LeaveId, LogId, TaskId, TrainingId, add_months, month_bounds, parse_day, parse_half_days, parse_tenths,
};
use crate::domain::request::Move;
use crate::domain::worker::{POSTS, WorkerStatus, parse_areas};
use crate::domain::{ResidentId, Worker, WorkerId, mask, text};
use crate::i18n::DutiesText;
use crate::i18n::{self, Lang, fill};
use crate::store::duties_rows::LogIndex;
use chrono::{Datelike, Days, NaiveDate};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

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

/// What a form opened here is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DutyForm {
    /// A new entry (`None`) or an edit.
    Log(Option<LogId>),
    Comment(LogId),
    /// The request form, pre-filled from an entry.
    RequestFromLog(LogId),
    Task(WorkerId, Option<TaskId>),
    Duty(WorkerId, Option<DutyId>),
    Worker(Option<WorkerId>),
    RotaGenerate,
    Leave,
    LeaveDecide(LeaveId),
    LeaveClose(LeaveId),
    Training,
    Evaluation(WorkerId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DutyPick {
    BoardWorker,
    RotaDay(NaiveDate),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DutyConfirm {
    Regenerate { year: i32, month: u32, all_days: bool },
    WithdrawLeave(LeaveId),
    FinishTask(TaskId),
}

const NO: usize = 0;

fn yes_no(lang: Lang) -> Vec<String> {
    match lang {
        Lang::Zh => vec!["否".into(), "是".into()],
        Lang::En => vec!["No".into(), "Yes".into()],
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

impl App {
    fn dt(&self) -> &'static DutiesText {
        self.lang.duties()
    }

    fn duty_fail(&mut self, msg: impl Into<String>) {
        self.message = Some((msg.into(), true));
    }

    /// The operator, or a prompt to choose one.
    fn duty_operator(&mut self) -> Option<Worker> {
        match self.operator.and_then(|id| self.workers.iter().find(|w| w.id == id)).cloned() {
            Some(w) => Some(w),
            None => {
                self.info(self.lang.t().no_operator);
                self.open_operator_picker(None);
                None
            }
        }
    }

    fn worker(&self, id: WorkerId) -> Option<&Worker> {
        self.workers.iter().find(|w| w.id == id)
    }

    // ---- hooks ---------------------------------------------------------------------

    /// At start: the office's settings files, and who is on duty today.
    pub fn duties_init(&mut self) {
        let (settings, grades, warnings) = crate::store::duties::load_duty_files(self.store.dir());
        self.duties.settings = settings;
        self.duties.grades = grades;
        if let Some(w) = warnings.first() {
            let msg = fill(self.dt().settings_warning, format!("{} {}: {}", w.file, w.error.line, w.error.text));
            self.message = Some((msg, true));
        }
        self.refresh_on_duty();
    }

    /// After every event: a new day, entering the panel, a finished load or
    /// a save makes the shown view reload.
    pub fn duties_after_event(&mut self) {
        let today = self.today.date;
        if self.duties.on_duty.is_none_or(|(d, _)| d != today) {
            self.refresh_on_duty();
            self.duties.stale = true;
        }
        let here = self.panel == Panel::Workers;
        if here && !self.duties.last_panel_was_here {
            self.duties.stale = true;
        }
        self.duties.last_panel_was_here = here;
        if here && self.duties.view == View::Board && self.requests.loaded != self.duties.built_loaded {
            self.duties.stale = true;
        }
        if here && self.duties.stale && self.layers.is_empty() {
            self.duties_reload();
        }
    }

    /// Reads today's rota slot for the header.
    pub fn refresh_on_duty(&mut self) {
        let today = self.today.date;
        self.duties.on_duty = match self.store.get::<RotaSlot>(rota::slot_key(today, 0)) {
            Ok(slot) => Some((today, slot.and_then(|s| s.worker))),
            Err(_) => Some((today, None)),
        };
    }

    /// "值班:王芳" for the header, once a rota exists for today.
    pub fn on_duty_label(&self) -> Option<String> {
        let (_, who) = self.duties.on_duty?;
        let name = self.worker(who?)?.name.clone();
        Some(format!("{}:{}", self.dt().on_duty, name))
    }

    /// Reloads the shown view from the store.
    pub fn duties_reload(&mut self) {
        self.duties.stale = false;
        let result = match self.duties.view {
            View::Board => self.build_board(),
            View::Registry => self.store.all::<Duty>().map(|d| self.duties.all_duties = d),
            View::Rota => self.load_rota(),
            View::Leave => self.load_leave(),
            View::Log => self.load_log(),
            View::Training => self.store.all::<Training>().map(|t| self.duties.trainings = t),
            View::Evaluation => self.load_evaluation(),
        };
        if let Err(e) = result {
            self.error(&e);
        }
    }

    fn build_board(&mut self) -> crate::store::Result<()> {
        self.duties.built_loaded = self.requests.loaded;
        let Some(id) = self.duties.subject(self.operator) else {
            self.duties.board = None;
            return Ok(());
        };
        let Some(worker) = self.worker(id).cloned() else {
            self.duties.board = None;
            return Ok(());
        };
        let today = self.today.date;
        let store = &self.store;
        let slots = store.rota_between(today, today + Days::new(92))?;
        let leaves = store.leaves_of(id)?;
        // until the full index has loaded, the request index holds only the
        // residents of the newest requests: a duty would show a part of its
        // residents as if it were all of them, so it shows none yet
        let loaded = self.requests.loaded;
        let residents = self.requests.index.residents().filter(|_| loaded);
        let mut duties = Vec::new();
        for d in store.duties_of(id)?.iter().filter(|d| d.active) {
            duties.push(store.duty_line(d, residents.clone(), today)?);
        }
        let tasks = store.tasks_of(id)?;
        let idx = &self.requests.index;
        let requests: Vec<crate::domain::duties::board::Todo> = (0..idx.len() as u32)
            .filter_map(|i| idx.row(i))
            .filter(|r| r.assignee == Some(id) && r.status.is_open())
            .map(|r| {
                crate::domain::duties::board::Todo::request(
                    r.id,
                    self.requests.index.title_of(r),
                    r.status,
                    r.due,
                    today,
                    &self.cal,
                )
            })
            .collect();
        let mut requests: Vec<crate::domain::duties::board::Todo> = requests;
        // a leader's board also holds the leave waiting for their decision
        if worker.is_leader() {
            let d = self.dt();
            for l in store.all::<Leave>()?.iter().filter(|l| l.status == LeaveStatus::Requested) {
                if !may_decide(&worker, l, &self.workers) {
                    continue;
                }
                let span = format!("{}~{}", l.from.format("%m-%d"), l.to.format("%m-%d"));
                let title = d
                    .to_decide
                    .replacen("{}", self.ctx().worker_name(Some(l.worker)), 1)
                    .replacen("{}", i18n::duties::leave_kind(self.lang, l.kind), 1)
                    .replacen("{}", &span, 1)
                    .replacen("{}", &fill(d.working_days_n, l.working_days(&self.cal)), 1);
                requests.push(crate::domain::duties::board::Todo::leave(l, title, today, &self.cal));
            }
        }
        let trainings = store.trainings_of(id)?;
        let training = progress(&trainings, today.year(), today, self.duties.settings.training_days);
        let month_start = today.with_day(1).unwrap_or(today);
        let log_this_month = store.recent_logs_of(id, month_start)?.len();
        let parts = BoardParts {
            worker,
            today,
            slots,
            leaves,
            duties,
            tasks,
            requests,
            training,
            log_this_month,
            requests_complete: self.requests.loaded,
        };
        self.duties.board = Some(Board::new(parts, &self.cal));
        let n = self.duties.board_rows_len();
        self.duties.board_list.to(self.duties.board_list.sel, n);
        Ok(())
    }

    fn load_rota(&mut self) -> crate::store::Result<()> {
        let (y, m) = self.duties.month;
        let Some((first, last)) = month_bounds(y, m) else { return Ok(()) };
        let p = &mut self.duties;
        p.slots = self.store.rota_between(first, last)?;
        p.needed = rota::duty_days(first, last, &self.cal, p.settings.rota_includes_off_days);
        p.month_leaves = self.store.all::<Leave>()?.into_iter().filter(|l| l.from <= last && l.to >= first).collect();
        // a month not planned yet is not a month full of conflicts
        p.conflicts = if p.slots.is_empty() {
            Vec::new()
        } else {
            rota::conflicts(&p.slots, &p.needed, &p.month_leaves, &self.workers)
        };
        if p.cursor < first || p.cursor > last {
            p.cursor = if (first..=last).contains(&self.today.date) { self.today.date } else { first };
        }
        Ok(())
    }

    fn load_leave(&mut self) -> crate::store::Result<()> {
        let y = self.duties.year;
        let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(y, 1, 1), NaiveDate::from_ymd_opt(y, 12, 31)) else {
            return Ok(());
        };
        let keep = self.duties.focus_leave.take().or(self.duties.selected_leave().map(|l| l.id));
        let mut leaves: Vec<Leave> =
            self.store.all::<Leave>()?.into_iter().filter(|l| l.from <= last && l.to >= first).collect();
        leaves.sort_by_key(|l| (l.status != LeaveStatus::Requested, std::cmp::Reverse(l.from), l.id));
        self.duties.slots_for_leave = self.store.rota_between(first, last + Days::new(62))?;
        self.duties.leaves = leaves;
        let n = self.duties.leaves.len();
        let sel = keep.and_then(|id| self.duties.leaves.iter().position(|l| l.id == id));
        self.duties.leave_list.to(sel.unwrap_or(self.duties.leave_list.sel), n);
        Ok(())
    }

    /// The daily log in memory: normally read in the background at start
    /// (see `duties_log_loaded`); read here if it is needed sooner.
    fn ensure_log_index(&mut self) -> crate::store::Result<()> {
        if self.duties.log.is_none() {
            self.duties.log = Some(LogIndex::load(&self.store)?);
            self.duties.log_changed.clear();
        }
        Ok(())
    }

    /// The daily log read in the background has landed: entries saved or
    /// changed meanwhile are read again.
    pub fn duties_log_loaded(&mut self, mut idx: LogIndex) {
        if self.duties.log.is_some() {
            return;
        }
        let after = idx.last_id().map_or(0, |id| id.0 + 1);
        let changed = std::mem::take(&mut self.duties.log_changed);
        let result = self.store.range::<LogEntry>(after, u64::MAX).and_then(|newer| {
            for e in &newer {
                idx.upsert(e);
            }
            for id in changed {
                if let Some(e) = self.store.log_entry(id)? {
                    idx.upsert(&e);
                }
            }
            Ok(())
        });
        match result {
            Ok(()) => {
                self.duties.log = Some(idx);
                if matches!(self.duties.view, View::Log | View::Evaluation) {
                    self.duties.stale = true;
                }
            }
            Err(e) => self.error(&e),
        }
    }

    fn load_log(&mut self) -> crate::store::Result<()> {
        self.ensure_log_index()?;
        self.refilter_log();
        Ok(())
    }

    /// Lists the month (or the search hits), keeping the selected entry.
    pub fn refilter_log(&mut self) {
        let keep = self.duties.selected_log();
        let who = if self.duties.log_all { None } else { self.duties.subject(self.operator) };
        let q = text::clean_input(&self.duties.log_search.value(), false);
        let Some(idx) = self.duties.log.as_ref() else { return };
        let (y, m) = self.duties.month;
        self.duties.log_hits = if q.is_empty() {
            idx.month(who, y, m)
        } else {
            idx.search(&q, who, &self.workers, self.requests.index.residents())
        };
        let pos = keep.and_then(|id| idx.position(id)).and_then(|i| self.duties.log_hits.iter().position(|&h| h == i));
        let n = self.duties.log_hits.len();
        self.duties.log_list.to(pos.unwrap_or(0), n);
        self.load_log_detail();
    }

    fn load_log_detail(&mut self) {
        let id = self.duties.selected_log();
        if self.duties.log_detail.as_ref().map(|e| e.id) == id {
            return;
        }
        self.duties.log_detail = match id.map(|id| self.store.log_entry(id)) {
            Some(Ok(e)) => e,
            Some(Err(e)) => {
                self.error(&e);
                None
            }
            None => None,
        };
    }

    fn load_evaluation(&mut self) -> crate::store::Result<()> {
        let y = self.duties.eval_year;
        self.ensure_log_index()?;
        self.duties.evals = self.store.evaluations(y)?;
        let mut figures = self.store.request_figures(y)?;
        if let Some(idx) = &self.duties.log {
            for (w, (entries, visits)) in idx.year_counts(y) {
                let f = figures.entry(w).or_default();
                f.log_entries = entries;
                f.visits = visits;
            }
        }
        let trainings = self.store.all::<Training>()?;
        let today = self.today.date;
        for w in &self.workers {
            let p =
                progress(trainings.iter().filter(|t| t.worker == w.id), y, today, self.duties.settings.training_days);
            let f = figures.entry(w.id).or_default();
            f.training_half_days = p.half_days;
            f.study_months = p.study_months.len() as u32;
        }
        self.duties.figures = figures;
        self.duties.trainings = trainings;
        Ok(())
    }

    // ---- keys ---------------------------------------------------------------------

    /// List keys and the generic actions (new, edit, open, search, back) on
    /// panel 3. Returns whether the action was used here.
    pub fn duty_generic(&mut self, a: Action) -> bool {
        if self.panel != Panel::Workers {
            return false;
        }
        let page = self.duties.list_height.max(1) as isize;
        match a {
            Action::Up => self.duty_step(-1),
            Action::Down => self.duty_step(1),
            Action::PageUp => self.duty_step(-page),
            Action::PageDown => self.duty_step(page),
            Action::Top => self.duty_step(isize::MIN / 2),
            Action::Bottom => self.duty_step(isize::MAX / 2),
            Action::Open => self.duty_open(),
            Action::New => self.duty_new(),
            Action::Edit => self.duty_edit(),
            Action::Search if self.duties.view == View::Log => self.duties.log_searching = true,
            Action::Search => {}
            Action::Back => self.duty_back(),
            Action::Reveal if self.duties.view == View::Registry => return false,
            Action::Reveal => {}
            _ => return false,
        }
        true
    }

    fn duty_step(&mut self, delta: isize) {
        let p = &mut self.duties;
        match p.view {
            View::Board => {
                let n = p.board_rows_len();
                p.board_list.step(delta, n);
            }
            View::Registry => {
                self.workers_panel.list.step(delta, self.workers.len());
                self.workers_panel.revealed = None;
            }
            View::Rota => {
                let (y, m) = p.month;
                let Some((first, last)) = month_bounds(y, m) else { return };
                p.cursor = match delta {
                    d if d <= isize::MIN / 4 => first,
                    d if d >= isize::MAX / 4 => last,
                    d => super::panels::duties::rota_move(p.cursor, 7 * d.signum() as i64),
                };
                self.rota_follow_cursor();
            }
            View::Leave => {
                let n = p.leaves.len();
                p.leave_list.step(delta, n);
            }
            View::Log => {
                let n = p.log_hits.len();
                p.log_list.step(delta, n);
                self.load_log_detail();
            }
            View::Training => {
                let n = self.workers.iter().filter(|w| w.active).count();
                p.people_list.step(delta, n);
            }
            View::Evaluation => {
                let n = {
                    let ctx = self.ctx();
                    eval_people(&self.duties, &ctx).len()
                };
                self.duties.people_list.step(delta, n);
            }
        }
    }

    /// After the rota cursor moved: a new month loads.
    fn rota_follow_cursor(&mut self) {
        let c = self.duties.cursor;
        if (c.year(), c.month()) != self.duties.month {
            self.duties.month = (c.year(), c.month());
            if let Err(e) = self.load_rota() {
                self.error(&e);
            }
        }
    }

    fn duty_back(&mut self) {
        let p = &mut self.duties;
        if p.swap_from.take().is_some() {
            self.info(self.dt().swap_cancelled);
        } else if p.view == View::Board && p.expanded.take().is_some() {
        } else if p.view == View::Log && !p.log_search.is_empty() {
            p.log_search.clear();
            self.refilter_log();
        }
    }

    fn duty_open(&mut self) {
        match self.duties.view {
            View::Board => match self.duties.board_row() {
                Some(BoardRow::Duty(i)) => {
                    let Some(d) = self.duties.board.as_ref().and_then(|b| b.duties.get(i)) else { return };
                    let id = d.duty.id;
                    if d.visits.is_some() {
                        self.duties.expanded = if self.duties.expanded == Some(id) { None } else { Some(id) };
                    } else {
                        self.duty_edit();
                    }
                }
                Some(BoardRow::Resident(_, r)) => self.open_log_form(None, Some(r)),
                Some(BoardRow::Todo(_)) => match self.duties.selected_todo() {
                    Some(TodoRef::Request(id)) => {
                        self.panel = Panel::Requests;
                        self.requests.filter = Default::default();
                        self.requests.search.clear();
                        self.refresh_requests();
                        self.select_request(id);
                    }
                    Some(TodoRef::Task(id)) => self.open_task_form(Some(id)),
                    Some(TodoRef::Leave(id)) => self.show_leave(id),
                    None => {}
                },
                None => {}
            },
            View::Registry => {
                if let Some(w) = self.workers.get(self.workers_panel.list.sel) {
                    self.duties.worker = Some(w.id);
                    self.duties.view = View::Board;
                    self.duties.stale = true;
                }
            }
            View::Rota => self.open_rota_day_picker(),
            View::Leave => self.open_leave_decide(),
            View::Log => {
                if let Some(e) = self.duties.log_detail.clone() {
                    self.open_log_form(Some(&e), None);
                }
            }
            View::Training => self.duty_new(),
            View::Evaluation => self.duty_edit(),
        }
    }

    fn duty_new(&mut self) {
        match self.duties.view {
            View::Board => self.open_task_form(None),
            View::Registry => self.open_worker_form_full(None),
            View::Rota => self.open_rota_generate(),
            View::Leave => self.open_leave_form(),
            View::Log => self.open_log_form(None, None),
            View::Training => self.open_training_form(),
            View::Evaluation => self.duty_edit(),
        }
    }

    fn duty_edit(&mut self) {
        match self.duties.view {
            View::Board => match self.duties.board_row() {
                Some(BoardRow::Duty(i)) => {
                    let Some(d) = self.duties.board.as_ref().and_then(|b| b.duties.get(i)) else { return };
                    let duty = d.duty.clone();
                    self.open_duty_form(duty.worker, Some(&duty));
                }
                Some(BoardRow::Todo(_)) => match self.duties.selected_todo() {
                    Some(TodoRef::Task(id)) => self.open_task_form(Some(id)),
                    Some(TodoRef::Request(_)) | Some(TodoRef::Leave(_)) => self.duty_open(),
                    None => {}
                },
                _ => {}
            },
            View::Registry => {
                if let Some(w) = self.workers.get(self.workers_panel.list.sel).cloned() {
                    self.open_worker_form_full(Some(&w));
                }
            }
            View::Rota => self.open_rota_day_picker(),
            View::Leave => self.open_leave_decide(),
            View::Log => self.duty_open(),
            View::Training => self.open_training_form(),
            View::Evaluation => {
                let w = {
                    let ctx = self.ctx();
                    eval_people(&self.duties, &ctx).get(self.duties.people_list.sel).map(|w| w.id)
                };
                if let Some(w) = w {
                    self.open_evaluation_form(w);
                }
            }
        }
    }

    /// The duties actions of the key map.
    pub fn duty_act(&mut self, a: DutyAction) {
        self.duty_act_inner(a);
        self.remember_change();
    }

    fn duty_act_inner(&mut self, a: DutyAction) {
        let p = &mut self.duties;
        match a {
            DutyAction::LogNew => self.open_log_form(None, None),
            DutyAction::NextView | DutyAction::PrevView => {
                p.view = p.view.step(if a == DutyAction::NextView { 1 } else { -1 });
                p.swap_from = None;
                p.log_searching = false;
                p.stale = true;
            }
            DutyAction::ChooseWorker => {
                let items = self.worker_pick_items(false);
                let d = self.dt();
                let sel = self.duties.subject(self.operator).map_or(0, |w| w.0);
                let picker = Picker::new(d.choose_board_worker, self.lang.t().picker_keys, items).with_selected_id(sel);
                self.layers.push(Layer::Picker(picker, PickPurpose::Duty(DutyPick::BoardWorker)));
            }
            DutyAction::TaskNew => self.open_task_form(None),
            DutyAction::DutyNew => {
                if let Some(w) = self.duties.subject(self.operator) {
                    self.open_duty_form(w, None);
                }
            }
            DutyAction::TaskDone => self.ask_finish_task(),
            DutyAction::Export => match p.view {
                View::Registry => self.export_notice(),
                View::Evaluation => self.export_evaluation(),
                _ => {}
            },
            DutyAction::RotaGenerate => self.open_rota_generate(),
            DutyAction::RotaSwap => self.rota_swap(),
            DutyAction::DayPrev | DutyAction::DayNext => {
                p.cursor = super::panels::duties::rota_move(p.cursor, if a == DutyAction::DayNext { 1 } else { -1 });
                self.rota_follow_cursor();
            }
            DutyAction::MonthPrev | DutyAction::MonthNext => {
                let (y, m) = add_months(p.month.0, p.month.1, if a == DutyAction::MonthNext { 1 } else { -1 });
                p.month = (y, m);
                if let Some((first, last)) = month_bounds(y, m) {
                    let day = p.cursor.day();
                    p.cursor = NaiveDate::from_ymd_opt(y, m, day).unwrap_or(last).max(first);
                }
                p.stale = true;
            }
            DutyAction::YearPrev | DutyAction::YearNext => {
                let delta = if a == DutyAction::YearNext { 1 } else { -1 };
                if p.view == View::Evaluation {
                    p.eval_year += delta;
                } else {
                    p.year += delta;
                }
                p.stale = true;
            }
            DutyAction::LeaveNew => self.open_leave_form(),
            DutyAction::LeaveDecide => self.open_leave_decide(),
            DutyAction::LeaveClose => self.open_leave_close(),
            DutyAction::LeaveWithdraw => {
                if let Some(l) = self.duties.selected_leave() {
                    let msg = fill(
                        self.dt().confirm_withdraw,
                        format!("{} {}~{}", self.ctx().worker_name(Some(l.worker)), l.from, l.to),
                    );
                    let id = l.id;
                    self.layers.push(Layer::Confirm(msg, ConfirmAction::Duty(DutyConfirm::WithdrawLeave(id))));
                }
            }
            DutyAction::LogToRequest => self.log_to_request(),
            DutyAction::LogComment => self.open_comment_form(),
            DutyAction::LogAll => {
                p.log_all = !p.log_all;
                self.refilter_log();
            }
            DutyAction::TrainingNew => self.open_training_form(),
        }
        if self.panel == Panel::Workers && self.duties.stale && self.layers.is_empty() {
            self.duties_reload();
        }
    }

    /// Keys while the log's search line has focus; returns whether used.
    pub fn duty_search_key(&mut self, key: &KeyEvent) -> bool {
        if self.duties.view != View::Log || !self.duties.log_searching {
            return false;
        }
        match key.code {
            KeyCode::Enter => self.duties.log_searching = false,
            KeyCode::Esc => {
                self.duties.log_searching = false;
                self.duties.log_search.clear();
                self.refilter_log();
            }
            KeyCode::Up => self.duty_step(-1),
            KeyCode::Down => self.duty_step(1),
            KeyCode::PageUp => self.duty_step(-(self.duties.list_height as isize)),
            KeyCode::PageDown => self.duty_step(self.duties.list_height as isize),
            _ => {
                if self.duties.log_search.handle_key(key) {
                    self.refilter_log();
                }
            }
        }
        true
    }

    pub fn duty_paste(&mut self, s: &str) {
        if self.duties.view == View::Log && self.duties.log_searching {
            self.duties.log_search.insert_str(s);
            self.refilter_log();
        }
    }

    pub fn duty_searching(&self) -> bool {
        self.duties.view == View::Log && self.duties.log_searching
    }

    fn worker_pick_items(&self, rota_only: bool) -> Vec<PickItem> {
        self.workers
            .iter()
            .filter(|w| if rota_only { w.status.takes_rota() } else { w.active })
            .map(|w| PickItem::new(format!("{}  {}  {}", w.name, w.post, w.grid), w.id.0, &w.name, &w.phone, &w.post))
            .collect()
    }

    // ---- the daily log -----------------------------------------------------------------

    /// The daily-log form: today, 走访, the residents (looked up, several
    /// may be added), what was found, what follows, and whether to make a
    /// request of it right away.
    pub fn open_log_form(&mut self, existing: Option<&LogEntry>, resident: Option<ResidentId>) {
        let Some(op) = self.duty_operator() else { return };
        let d = self.dt();
        let lang = self.lang;
        let kinds: Vec<String> = LogKind::ALL.iter().map(|k| i18n::duties::log_kind(lang, *k).to_string()).collect();
        let entry = existing.cloned();
        self.duties.log_residents = match &entry {
            Some(e) => e.residents.iter().map(|r| (*r, self.resident_label(*r))).collect(),
            None => resident.map(|r| (r, self.resident_label(r))).into_iter().collect(),
        };
        let shown = self.duties.log_residents.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join("、");
        let first = self.duties.log_residents.first().map_or(0, |(r, _)| r.0);
        let date = entry.as_ref().map_or(self.today.date, |e| e.date).to_string();
        let kind = entry.as_ref().map_or(0, |e| LogKind::ALL.iter().position(|k| *k == e.kind).unwrap_or(0));
        let mut fields = vec![
            Field::text("date", d.f_date, &date, true),
            Field::choice("kind", d.f_kind, kinds, kind),
            Field::lookup("resident", self.lang.t().col_resident, &shown, first, d.residents_placeholder),
            Field::text("found", d.f_found, entry.as_ref().map_or("", |e| &e.found), true),
            Field::text("follow_up", d.f_follow_up, entry.as_ref().map_or("", |e| &e.follow_up), false),
        ];
        if entry.is_none() {
            fields.push(Field::choice("to_request", d.f_to_request, yes_no(lang), NO));
        }
        let title = match &entry {
            Some(e) => format!("{} #{}", d.edit_log, e.id.0),
            None => format!("{} · {}", d.new_log, op.name),
        };
        let mut form = Form::new(&title, self.lang.t().form_keys, fields);
        form.warning = Some(d.log_form_hint.to_string());
        if resident.is_some() {
            form.focus_on("found");
        } else if entry.is_none() {
            form.focus_on("kind");
        }
        self.layers.push(Layer::Form(form, FormPurpose::Duty(DutyForm::Log(entry.map(|e| e.id)))));
    }

    fn resident_label(&self, r: ResidentId) -> String {
        self.requests
            .index
            .resident(r)
            .map(|x| x.name.clone())
            .or_else(|| self.store.resident(r).ok().flatten().map(|x| x.name))
            .unwrap_or_else(|| format!("#{}", r.0))
    }

    fn save_log(&mut self, form: &Form, existing: Option<LogId>) -> Result<(), String> {
        let d = self.dt();
        let Some(op) = self.duty_operator() else { return Ok(()) };
        let date = parse_day(&form.text("date"), self.today.date).ok_or_else(|| self.lang.t().bad_date.to_string())?;
        if date > self.today.date {
            return Err(d.e_future_date.into());
        }
        let kind = LogKind::ALL[form.choice("kind").min(LogKind::ALL.len() - 1)];
        let residents: Vec<ResidentId> = self.duties.log_residents.iter().map(|(r, _)| *r).collect();
        let found = text::clean_input(&form.text("found"), true);
        let follow_up = form.text("follow_up");
        let now = self.now();
        let saved = match existing {
            Some(id) => self.store.change_log(id, op.id, now, |e| {
                e.date = date;
                e.kind = kind;
                e.residents = residents.clone();
                e.found = found.clone();
                e.follow_up = follow_up.clone();
                Ok(())
            }),
            None => {
                let e = LogEntry {
                    id: LogId(0),
                    worker: op.id,
                    date,
                    kind,
                    residents,
                    found,
                    follow_up,
                    request: None,
                    comments: Vec::new(),
                    logged_at: now,
                };
                self.store.create_log(&e, op.id, now)
            }
        };
        let e = saved.map_err(|e| i18n::store_error(self.lang, &e))?;
        self.log_saved(&e);
        self.info(fill(d.saved_log, e.id.0));
        if existing.is_none() && form.choice("to_request") != NO {
            self.open_request_from(&e);
        }
        Ok(())
    }

    /// An entry changed on disk: the in-memory log and the shown views.
    /// A duties record was put back by undo or redo: show what is stored now.
    pub fn duties_undone(&mut self, c: &crate::store::undo::Change) {
        if c.kind == crate::store::record::RecordKind::LogEntry {
            match self.store.get::<LogEntry>(c.id) {
                Ok(Some(e)) => self.log_saved(&e),
                Ok(None) => {
                    if let Some(idx) = self.duties.log.as_mut() {
                        idx.remove(c.id);
                    }
                    self.duties.log_detail = None;
                }
                Err(e) => self.error(&e),
            }
        }
        self.duties.stale = true;
        self.duties_reload();
    }

    fn log_saved(&mut self, e: &LogEntry) {
        match self.duties.log.as_mut() {
            Some(idx) => idx.upsert(e),
            None => self.duties.log_changed.push(e.id),
        }
        if self.duties.log_detail.as_ref().is_some_and(|x| x.id == e.id) {
            self.duties.log_detail = Some(e.clone());
        }
        self.duties.stale = true;
    }

    fn selected_entry(&mut self) -> Option<LogEntry> {
        if self.duties.view != View::Log {
            return None;
        }
        let e = self.duties.log_detail.clone();
        if e.is_none() {
            self.info(self.lang.t().nothing_selected);
        }
        e
    }

    fn log_to_request(&mut self) {
        if let Some(e) = self.selected_entry() {
            if let Some(r) = e.request {
                self.duty_fail(fill(self.dt().e_already_request, r));
                return;
            }
            self.open_request_from(&e);
        }
    }

    /// The request form, pre-filled from the entry; saving it links the
    /// request to the entry and assigns it to the entry's worker.
    fn open_request_from(&mut self, e: &LogEntry) {
        let Ok(draft) = e.draft_request() else { return };
        let resident = draft.resident.map(|r| (r, self.resident_label(r)));
        self.open_request_form(None, resident);
        let lang = self.lang;
        if let Some(Layer::Form(form, purpose)) = self.layers.last_mut() {
            *purpose = FormPurpose::Duty(DutyForm::RequestFromLog(e.id));
            set_choice(form, "channel", i18n::channel(lang, draft.channel));
            set_text(form, "title", &draft.title);
            set_text(form, "description", &draft.description.replace('\n', " "));
            if let Some(r) = draft.resident.and_then(|r| self.requests.index.resident(r)) {
                set_text(form, "location", &r.address);
            }
            form.title = format!("{} ← {} #{}", form.title, lang.duties().log_title, e.id.0);
            form.focus_on("category");
            form.dirty = true;
        }
    }

    fn save_request_from_log(&mut self, form: &Form, log: LogId) -> Result<(), String> {
        self.save_request(form, FormPurpose::NewRequest)?;
        let Some(op) = self.operator else { return Ok(()) };
        let now = self.now();
        let created = self.store.latest_requests(1).map_err(|e| i18n::store_error(self.lang, &e))?;
        let Some(r) = created.into_iter().next() else { return Ok(()) };
        let e = self
            .store
            .change_log(log, op, now, |e| {
                e.request = Some(r.id);
                Ok(())
            })
            .map_err(|e| i18n::store_error(self.lang, &e))?;
        self.log_saved(&e);
        // the worker who found it handles it, until a leader reassigns
        let r = self.store.move_request(r.id, &Move::Assign(e.worker), op, now, &self.cats, &self.cal);
        match r {
            Ok(r) => {
                self.request_saved(&r);
                let who = self.ctx().worker_name(Some(e.worker)).to_string();
                self.info(fill(self.dt().request_from_log, format!("{} → {who}", r.id)));
            }
            Err(e) => self.error(&e),
        }
        Ok(())
    }

    fn open_comment_form(&mut self) {
        let Some(e) = self.selected_entry() else { return };
        let Some(op) = self.duty_operator() else { return };
        let d = self.dt();
        if !op.is_leader() {
            self.duty_fail(d.e_not_leader_comment);
            return;
        }
        let form = Form::new(
            &format!("{} #{} {}", d.comment, e.id.0, self.ctx().worker_name(Some(e.worker))),
            self.lang.t().form_keys,
            vec![Field::text("text", d.comment, "", true)],
        );
        self.layers.push(Layer::Form(form, FormPurpose::Duty(DutyForm::Comment(e.id))));
    }

    // ---- tasks and standing duties ----------------------------------------------------

    fn open_task_form(&mut self, existing: Option<TaskId>) {
        let d = self.dt();
        let task = match existing {
            Some(id) => match self.store.get::<Task>(id.0) {
                Ok(t) => t,
                Err(e) => return self.error(&e),
            },
            None => None,
        };
        let Some(worker) = task.as_ref().map(|t| t.worker).or(self.duties.subject(self.operator)) else { return };
        let due = task.as_ref().map_or_else(|| self.cal.add_working_days(self.today.date, 5), |t| t.due);
        let mut fields = vec![
            Field::text("title", d.f_task, task.as_ref().map_or("", |t| &t.title), true),
            Field::text("due", d.f_due, &due.to_string(), true),
            Field::text("detail", d.f_detail, task.as_ref().map_or("", |t| &t.detail), false),
        ];
        if let Some(t) = &task {
            let options = [TaskStatus::Open, TaskStatus::Done, TaskStatus::Cancelled];
            let labels = options.iter().map(|s| i18n::duties::task_status(self.lang, *s).to_string()).collect();
            fields.push(Field::choice(
                "status",
                d.f_status,
                labels,
                options.iter().position(|s| *s == t.status).unwrap_or(0),
            ));
        }
        let name = self.ctx().worker_name(Some(worker)).to_string();
        let title = if task.is_some() { d.edit_task } else { d.new_task };
        let form = Form::new(&format!("{title} · {name}"), self.lang.t().form_keys, fields);
        self.layers.push(Layer::Form(form, FormPurpose::Duty(DutyForm::Task(worker, existing))));
    }

    fn save_task(&mut self, form: &Form, worker: WorkerId, existing: Option<TaskId>) -> Result<(), String> {
        let Some(op) = self.duty_operator() else { return Ok(()) };
        let due = parse_day(&form.text("due"), self.today.date).ok_or_else(|| self.lang.t().bad_date.to_string())?;
        let now = self.now();
        let result = match existing {
            Some(id) => {
                let Some(mut t) = self.store.get::<Task>(id.0).map_err(|e| i18n::store_error(self.lang, &e))? else {
                    return Ok(());
                };
                t.title = form.text("title");
                t.due = due;
                t.detail = form.text("detail");
                let status = [TaskStatus::Open, TaskStatus::Done, TaskStatus::Cancelled][form.choice("status").min(2)];
                if status != t.status {
                    t.status = status;
                    t.closed_on = (status != TaskStatus::Open).then_some(self.today.date);
                }
                self.store.update(&t, op.id, now)
            }
            None => {
                let t = Task {
                    id: TaskId(0),
                    worker,
                    title: form.text("title"),
                    detail: form.text("detail"),
                    due,
                    status: TaskStatus::Open,
                    closed_on: None,
                    assigned_by: op.id,
                    created: self.today.date,
                };
                self.store.create_task(&t, op.id, now).map(|_| ())
            }
        };
        result.map_err(|e| i18n::store_error(self.lang, &e))?;
        self.duties.stale = true;
        self.info(self.lang.t().saved);
        Ok(())
    }

    /// `d` on a task asks first: a task marked done leaves the board.
    fn ask_finish_task(&mut self) {
        let Some(TodoRef::Task(id)) = self.duties.selected_todo() else {
            self.info(self.dt().select_a_task);
            return;
        };
        let title = self.duties.board.as_ref().and_then(|b| b.todos.iter().find(|t| t.what == TodoRef::Task(id)));
        let msg = fill(self.dt().confirm_done, title.map_or("", |t| t.title.as_str()));
        self.layers.push(Layer::Confirm(msg, ConfirmAction::Duty(DutyConfirm::FinishTask(id))));
    }

    fn finish_task(&mut self, id: TaskId) {
        let Some(op) = self.duty_operator() else { return };
        let now = self.now();
        let today = self.today.date;
        let result = self.store.get::<Task>(id.0).and_then(|t| match t {
            Some(mut t) => {
                if t.finish(today) {
                    self.store.update(&t, op.id, now).map(|_| Some(t))
                } else {
                    Ok(None)
                }
            }
            None => Ok(None),
        });
        match result {
            Ok(Some(t)) => {
                self.info(fill(self.dt().task_done, t.title));
                self.duties.stale = true;
            }
            Ok(None) => {}
            Err(e) => self.error(&e),
        }
    }

    fn open_duty_form(&mut self, worker: WorkerId, existing: Option<&Duty>) {
        let d = self.dt();
        let lang = self.lang;
        let periods: Vec<String> = Period::ALL.iter().map(|p| i18n::duties::period(lang, *p).to_string()).collect();
        let grid = self.worker(worker).map_or(String::new(), |w| w.grid.clone());
        let mut fields = vec![
            Field::text("title", d.f_duty, existing.map_or("", |x| &x.title), true),
            Field::choice(
                "period",
                d.f_period,
                periods,
                existing.map_or(0, |x| Period::ALL.iter().position(|p| *p == x.period).unwrap_or(0)),
            ),
            Field::text("tag", d.f_tag, existing.map_or("", |x| &x.tag), false),
            Field::text("grid", self.lang.t().f_grid, existing.map_or(&grid, |x| &x.grid), false),
        ];
        if let Some(x) = existing {
            fields.push(Field::choice("active", d.f_in_force, yes_no(lang), usize::from(x.active)));
        }
        let name = self.ctx().worker_name(Some(worker)).to_string();
        let title = if existing.is_some() { d.edit_duty } else { d.new_duty };
        let mut form = Form::new(&format!("{title} · {name}"), self.lang.t().form_keys, fields);
        form.warning = Some(fill(d.duty_form_hint, crate::domain::resident::TAGS.join("、")));
        self.layers.push(Layer::Form(form, FormPurpose::Duty(DutyForm::Duty(worker, existing.map(|x| x.id)))));
    }

    fn save_duty(&mut self, form: &Form, worker: WorkerId, existing: Option<DutyId>) -> Result<(), String> {
        let Some(op) = self.duty_operator() else { return Ok(()) };
        let now = self.now();
        let period = Period::ALL[form.choice("period").min(Period::ALL.len() - 1)];
        let result = match existing {
            Some(id) => match self.store.get::<Duty>(id.0) {
                Ok(Some(mut x)) => {
                    x.title = form.text("title");
                    x.period = period;
                    x.tag = form.text("tag");
                    x.grid = form.text("grid");
                    x.active = form.choice("active") != NO;
                    self.store.update(&x, op.id, now)
                }
                Ok(None) => Ok(()),
                Err(e) => Err(e),
            },
            None => {
                let x = Duty {
                    id: DutyId(0),
                    worker,
                    title: form.text("title"),
                    period,
                    tag: form.text("tag"),
                    grid: form.text("grid"),
                    active: true,
                    since: self.today.date,
                };
                self.store.create_duty(&x, op.id, now).map(|_| ())
            }
        };
        result.map_err(|e| i18n::store_error(self.lang, &e))?;
        self.duties.stale = true;
        self.info(self.lang.t().saved);
        Ok(())
    }

    // ---- the registry ------------------------------------------------------------------

    /// The full worker form: the foundation's fields and grade, areas,
    /// start date and status.
    pub fn open_worker_form_full(&mut self, existing: Option<&Worker>) {
        let t = self.lang.t();
        let d = self.dt();
        let lang = self.lang;
        let posts: Vec<String> = POSTS.iter().map(|s| s.to_string()).collect();
        let mut grades: Vec<String> =
            std::iter::once(d.ungraded.to_string()).chain(self.duties.grades.0.iter().cloned()).collect();
        if let Some(w) = existing
            && !w.grade.is_empty()
            && !grades.contains(&w.grade)
        {
            grades.push(w.grade.clone());
        }
        let statuses: Vec<String> =
            WorkerStatus::ALL.iter().map(|s| i18n::duties::worker_status(lang, *s).to_string()).collect();
        let blank = Worker::new(WorkerId(0), "", "网格员");
        let w = existing.unwrap_or(&blank);
        let fields = vec![
            Field::text("name", t.f_name, &w.name, true),
            Field::choice("post", t.f_post, posts.clone(), posts.iter().position(|p| *p == w.post).unwrap_or(0)),
            Field::choice("grade", d.f_grade, grades.clone(), grades.iter().position(|g| *g == w.grade).unwrap_or(0)),
            Field::text("phone", t.f_phone, &w.phone, false),
            Field::text("grid", t.f_grid, &w.grid, false),
            Field::text("areas", d.areas, &w.areas.join("、"), false),
            Field::text("start", d.f_start, &w.start.map(|s| s.to_string()).unwrap_or_default(), false),
            Field::choice(
                "status",
                d.f_status,
                statuses,
                WorkerStatus::ALL.iter().position(|s| *s == w.status).unwrap_or(0),
            ),
        ];
        let title = if existing.is_some() { t.edit_worker } else { t.new_worker };
        let mut form = Form::new(title, t.form_keys, fields);
        form.warning = Some(fill(d.areas_hint, crate::domain::worker::AREAS.join("、")));
        self.layers.push(Layer::Form(form, FormPurpose::Duty(DutyForm::Worker(existing.map(|w| w.id)))));
    }

    fn save_worker_full(&mut self, form: &Form, existing: Option<WorkerId>) -> Result<(), String> {
        let t = self.lang.t();
        let phone = mask::normalize_phone(&form.text("phone")).map_err(|_| t.bad_phone.to_string())?;
        let start = match form.text("start") {
            s if s.is_empty() => None,
            s => Some(parse_day(&s, self.today.date).ok_or_else(|| t.bad_date.to_string())?),
        };
        let now = self.now();
        let by = self.operator;
        let mut w = match existing.and_then(|id| self.worker(id).cloned()) {
            Some(w) => w,
            None => self
                .store
                .create_worker(&form.text("name"), &form.choice_text("post"), by, now)
                .map_err(|e| i18n::store_error(self.lang, &e))?,
        };
        w.name = form.text("name");
        w.post = form.choice_text("post");
        w.grade = if form.choice("grade") == 0 { String::new() } else { form.choice_text("grade") };
        w.phone = phone;
        w.grid = form.text("grid");
        w.areas = parse_areas(&form.text("areas"));
        w.start = start;
        w.set_status(WorkerStatus::ALL[form.choice("status").min(WorkerStatus::ALL.len() - 1)]);
        self.store.update_worker(&w, by.unwrap_or(w.id), now).map_err(|e| i18n::store_error(self.lang, &e))?;
        self.workers = self.store.workers().unwrap_or_else(|_| vec![w.clone()]);
        if self.operator.is_none() {
            self.operator = Some(w.id);
            let _ = self.store.set_last_operator(w.id);
        }
        if let Some(i) = self.workers.iter().position(|x| x.id == w.id) {
            self.workers_panel.list.sel = i;
        }
        self.duties.stale = true;
        self.info(t.saved);
        Ok(())
    }

    fn export_notice(&mut self) {
        let duties = match self.store.all::<Duty>() {
            Ok(d) => d,
            Err(e) => return self.error(&e),
        };
        let sheet = crate::files::printable::Notice {
            settings: &self.duties.settings,
            workers: &self.workers,
            duties: &duties,
            date: self.today.date,
            lang: self.lang,
        };
        let stem = format!("{}_{}", self.dt().notice_file, self.today.date);
        self.write_export(&stem, &sheet.html(), &sheet.text());
    }

    fn export_evaluation(&mut self) {
        let ctx = self.ctx();
        let people: Vec<Worker> = eval_people(&self.duties, &ctx).into_iter().cloned().collect();
        let sheet = crate::files::printable::EvaluationSheet {
            settings: &self.duties.settings,
            year: self.duties.eval_year,
            workers: &people,
            evaluations: &self.duties.evals,
            figures: &self.duties.figures,
            lang: self.lang,
        };
        let stem = format!("{}_{}", self.dt().evaluation_file, self.duties.eval_year);
        self.write_export(&stem, &sheet.html(), &sheet.text());
    }

    fn write_export(&mut self, stem: &str, html: &str, text: &str) {
        match crate::files::printable::write(self.store.dir(), stem, html, text) {
            Ok(path) => self.info(fill(self.dt().exported, path.with_extension("").display())),
            Err(e) => self.error(&crate::store::StoreError::from_io(&e)),
        }
    }

    // ---- the rota -------------------------------------------------------------------

    fn open_rota_generate(&mut self) {
        let d = self.dt();
        let (y, m) = self.duties.month;
        let fields = vec![
            Field::text("month", d.f_month, &format!("{y}-{m:02}"), true),
            Field::choice(
                "all_days",
                d.f_all_days,
                yes_no(self.lang),
                usize::from(self.duties.settings.rota_includes_off_days),
            ),
        ];
        let mut form = Form::new(d.generate_rota, self.lang.t().form_keys, fields);
        form.warning = Some(d.generate_hint.to_string());
        self.layers.push(Layer::Form(form, FormPurpose::Duty(DutyForm::RotaGenerate)));
    }

    fn submit_rota_generate(&mut self, form: &Form) -> Result<(), String> {
        let d = self.dt();
        let (y, m) = parse_month(&form.text("month")).ok_or_else(|| d.e_bad_month.to_string())?;
        let all_days = form.choice("all_days") != NO;
        let (first, last) = month_bounds(y, m).ok_or_else(|| d.e_bad_month.to_string())?;
        let existing = self.store.rota_between(first, last).map_err(|e| i18n::store_error(self.lang, &e))?;
        if existing.iter().any(|s| s.worker.is_some()) {
            let msg = fill(d.confirm_regenerate, i18n::duties::month_title(self.lang, y, m));
            self.layers.push(Layer::Confirm(
                msg,
                ConfirmAction::Duty(DutyConfirm::Regenerate { year: y, month: m, all_days }),
            ));
            return Ok(());
        }
        self.generate_rota(y, m, all_days);
        Ok(())
    }

    fn generate_rota(&mut self, y: i32, m: u32, all_days: bool) {
        let Some(op) = self.duty_operator() else { return };
        let Some((first, last)) = month_bounds(y, m) else { return };
        let result = (|| -> crate::store::Result<(usize, usize)> {
            let days = rota::duty_days(first, last, &self.cal, all_days);
            let on_rota: Vec<WorkerId> = self.workers.iter().filter(|w| w.status.takes_rota()).map(|w| w.id).collect();
            let leaves: Vec<Leave> =
                self.store.all::<Leave>()?.into_iter().filter(|l| l.from <= last && l.to >= first).collect();
            let last_served = self.store.last_served_before(first)?;
            let away = |w: WorkerId, day: NaiveDate| leaves.iter().any(|l| l.worker == w && l.keeps_away(day));
            let mut slots = rota::generate(&days, &on_rota, away, &last_served);
            // days of the month that no longer need anyone are cleared
            for old in self.store.rota_between(first, last)? {
                if old.worker.is_some() && !days.contains(&old.date) {
                    slots.push(RotaSlot::new(old.date, None));
                }
            }
            let vacant = slots.iter().filter(|s| s.worker.is_none() && days.contains(&s.date)).count();
            self.store.save_rota(&slots, op.id, self.now())?;
            Ok((days.len(), vacant))
        })();
        match result {
            Ok((n, vacant)) => {
                let d = self.dt();
                let mut msg = fill(d.rota_generated, format!("{} · {n}", i18n::duties::month_title(self.lang, y, m)));
                if vacant > 0 {
                    msg.push_str(&format!(" · !{}", fill(d.vacant_n, vacant)));
                }
                self.info(msg);
                self.duties.month = (y, m);
                self.refresh_on_duty();
                self.duties.stale = true;
            }
            Err(e) => self.error(&e),
        }
    }

    fn open_rota_day_picker(&mut self) {
        let d = self.dt();
        let day = self.duties.cursor;
        let current = self.duties.slots.iter().find(|s| s.date == day).and_then(|s| s.worker);
        let title = format!("{} {}", d.choose_on_duty, super::panels::duties::day_label(self.lang, day));
        let picker = Picker::new(&title, self.lang.t().picker_keys, self.worker_pick_items(true))
            .with_nobody(d.nobody_on_duty)
            .with_selected_id(current.map_or(0, |w| w.0));
        self.layers.push(Layer::Picker(picker, PickPurpose::Duty(DutyPick::RotaDay(day))));
    }

    fn rota_swap(&mut self) {
        let d = self.dt();
        let cur = self.duties.cursor;
        match self.duties.swap_from {
            None => {
                self.duties.swap_from = Some(cur);
                self.info(fill(d.swap_pending, super::panels::duties::day_label(self.lang, cur)));
            }
            Some(from) if from == cur => {
                self.duties.swap_from = None;
                self.info(d.swap_cancelled);
            }
            Some(from) => {
                let Some(op) = self.duty_operator() else { return };
                self.duties.swap_from = None;
                match self.store.swap_rota(from, cur, op.id, self.now()) {
                    Ok(()) => {
                        let lang = self.lang;
                        let l = |x| super::panels::duties::day_label(lang, x);
                        let done = fill(d.swapped, format!("{} ⇄ {}", l(from), l(cur)));
                        self.refresh_on_duty();
                        if let Err(e) = self.load_rota() {
                            return self.error(&e);
                        }
                        // say so at once if the swap did not solve it
                        let still: Vec<String> = self
                            .duties
                            .conflicts
                            .iter()
                            .filter(|c| c.date() == from || c.date() == cur)
                            .map(|c| l(c.date()))
                            .collect();
                        if still.is_empty() {
                            self.info(done);
                        } else {
                            self.duty_fail(format!("{done} · !{}", fill(d.swap_still_conflict, still.join(","))));
                        }
                    }
                    Err(e) => self.error(&e),
                }
            }
        }
    }

    // ---- leave ------------------------------------------------------------------------

    fn open_leave_form(&mut self) {
        let Some(op) = self.duty_operator() else { return };
        let d = self.dt();
        let lang = self.lang;
        // a leader may record leave for anyone; a worker for themself
        let who: Vec<&Worker> = if op.is_leader() {
            self.workers.iter().filter(|w| w.active).collect()
        } else {
            self.workers.iter().filter(|w| w.id == op.id).collect()
        };
        let names: Vec<String> = who.iter().map(|w| w.name.clone()).collect();
        let subject = self.duties.subject(self.operator).unwrap_or(op.id);
        let sel = who.iter().position(|w| w.id == subject).unwrap_or(0);
        let kinds: Vec<String> =
            LeaveKind::ALL.iter().map(|k| i18n::duties::leave_kind(lang, *k).to_string()).collect();
        let from = self.cal.add_working_days(self.today.date, 1);
        let fields = vec![
            Field::choice("worker", d.worker, names, sel),
            Field::choice("kind", d.f_kind, kinds, 0),
            Field::text("from", d.f_from, &from.to_string(), true),
            Field::text("to", d.f_to, &from.to_string(), true),
            Field::text("reason", d.f_reason, "", false),
        ];
        let form = Form::new(d.new_leave, self.lang.t().form_keys, fields);
        self.layers.push(Layer::Form(form, FormPurpose::Duty(DutyForm::Leave)));
        self.duty_form_changed(DutyForm::Leave);
    }

    fn leave_form_worker(&self, form: &Form) -> Option<WorkerId> {
        let name = form.choice_text("worker");
        self.workers.iter().find(|w| w.name == name && w.active).map(|w| w.id)
    }

    fn save_leave(&mut self, form: &Form) -> Result<(), String> {
        let d = self.dt();
        let Some(op) = self.duty_operator() else { return Ok(()) };
        let t = self.lang.t();
        let from = parse_day(&form.text("from"), self.today.date).ok_or_else(|| t.bad_date.to_string())?;
        let to = parse_day(&form.text("to"), self.today.date).ok_or_else(|| t.bad_date.to_string())?;
        if to < from {
            return Err(d.e_leave_reversed.into());
        }
        let worker = self.leave_form_worker(form).unwrap_or(op.id);
        let kind = LeaveKind::ALL[form.choice("kind").min(LeaveKind::ALL.len() - 1)];
        let now = self.now();
        let l = Leave::new(LeaveId(0), worker, kind, from, to, &form.text("reason"), now);
        let others = self.store.leaves_of(worker).map_err(|e| i18n::store_error(self.lang, &e))?;
        if l.validate(&others).is_err() {
            return Err(d.e_leave_overlap.into());
        }
        let l = self.store.create_leave(&l, op.id, now).map_err(|e| i18n::store_error(self.lang, &e))?;
        self.info(fill(d.leave_requested, l.working_days(&self.cal)));
        self.duties.focus_leave = Some(l.id);
        self.duties.year = l.from.year();
        self.duties.stale = true;
        Ok(())
    }

    /// The leave view, with this leave selected (its year shown).
    fn show_leave(&mut self, id: LeaveId) {
        if let Ok(Some(l)) = self.store.get::<Leave>(id.0) {
            self.duties.year = l.from.year();
        }
        self.duties.view = View::Leave;
        self.duties.focus_leave = Some(id);
        self.duties.stale = true;
    }

    fn open_leave_decide(&mut self) {
        let Some(l) = self.duties.selected_leave().cloned() else { return };
        let Some(op) = self.duty_operator() else { return };
        let d = self.dt();
        if l.status != LeaveStatus::Requested {
            self.duty_fail(d.e_leave_decided);
            return;
        }
        if !may_decide(&op, &l, &self.workers) {
            self.duty_fail(d.e_not_approver);
            return;
        }
        let options = vec![d.approve.to_string(), d.refuse.to_string()];
        let fields =
            vec![Field::choice("decision", d.f_decision, options, 0), Field::text("note", d.f_note, "", false)];
        let title = format!(
            "{} · {} {} {}~{}",
            d.decide_leave,
            self.ctx().worker_name(Some(l.worker)),
            i18n::duties::leave_kind(self.lang, l.kind),
            l.from.format("%m-%d"),
            l.to.format("%m-%d")
        );
        let mut form = Form::new(&title, self.lang.t().form_keys, fields);
        let clashes = l.clashes(&self.duties.slots_for_leave);
        form.warning = Some(if clashes.is_empty() {
            fill(d.working_days_n, l.working_days(&self.cal))
        } else {
            let days: Vec<String> = clashes.iter().map(|x| x.format("%m-%d").to_string()).collect();
            fill(d.leave_clash, days.join(","))
        });
        self.layers.push(Layer::Form(form, FormPurpose::Duty(DutyForm::LeaveDecide(l.id))));
    }

    fn move_leave(&mut self, id: LeaveId, mv: LeaveMove) -> Result<Leave, String> {
        let Some(op) = self.duty_operator() else { return Err(self.lang.t().no_operator.into()) };
        let now = self.now();
        let l = self.store.move_leave(id, mv, &op, &self.workers, now).map_err(|e| i18n::store_error(self.lang, &e))?;
        self.duties.stale = true;
        self.refresh_on_duty();
        Ok(l)
    }

    fn open_leave_close(&mut self) {
        let Some(l) = self.duties.selected_leave().cloned() else { return };
        let d = self.dt();
        if l.status != LeaveStatus::Approved {
            self.duty_fail(d.e_leave_not_approved);
            return;
        }
        let back = if l.from > self.today.date { l.to.succ_opt().unwrap_or(l.to) } else { self.today.date };
        let form = Form::new(
            &format!("{} · {}", d.close_leave, self.ctx().worker_name(Some(l.worker))),
            self.lang.t().form_keys,
            vec![Field::text("returned", d.returned_on, &back.to_string(), true)],
        );
        self.layers.push(Layer::Form(form, FormPurpose::Duty(DutyForm::LeaveClose(l.id))));
    }

    // ---- training and evaluation -----------------------------------------------------

    fn open_training_form(&mut self) {
        let Some(op) = self.duty_operator() else { return };
        let d = self.dt();
        let lang = self.lang;
        let subject = match self.duties.view {
            View::Training => self.workers.iter().filter(|w| w.active).nth(self.duties.people_list.sel).map(|w| w.id),
            _ => None,
        }
        .or(self.duties.subject(self.operator))
        .unwrap_or(op.id);
        let name = self.ctx().worker_name(Some(subject)).to_string();
        let kinds = vec![lang.duties().kind_training.to_string(), lang.duties().kind_study.to_string()];
        let who = vec![name, d.all_in_post.to_string()];
        let fields = vec![
            Field::text("date", d.f_date, &self.today.date.to_string(), true),
            Field::choice("kind", d.f_kind, kinds, 0),
            Field::text("title", d.f_training, "", true),
            Field::text("days", d.f_days, "1", true),
            Field::text("organizer", d.f_organizer, "", false),
            Field::choice("who", d.f_attendees, who, 0),
        ];
        let mut form = Form::new(d.new_training, self.lang.t().form_keys, fields);
        form.warning = Some(d.training_form_hint.to_string());
        self.duties.worker_for_training = Some(subject);
        self.layers.push(Layer::Form(form, FormPurpose::Duty(DutyForm::Training)));
    }

    fn save_training(&mut self, form: &Form) -> Result<(), String> {
        let d = self.dt();
        let Some(op) = self.duty_operator() else { return Ok(()) };
        let date = parse_day(&form.text("date"), self.today.date).ok_or_else(|| self.lang.t().bad_date.to_string())?;
        let half_days = parse_half_days(&form.text("days")).ok_or_else(|| d.e_bad_days.to_string())?;
        let kind = if form.choice("kind") == 0 { TrainingKind::Training } else { TrainingKind::Study };
        let who: Vec<WorkerId> = if form.choice("who") == 0 {
            self.duties.worker_for_training.into_iter().collect()
        } else {
            self.workers.iter().filter(|w| w.status.takes_rota()).map(|w| w.id).collect()
        };
        let records: Vec<Training> = who
            .iter()
            .map(|w| Training {
                id: TrainingId(0),
                worker: *w,
                date,
                kind,
                title: form.text("title"),
                half_days,
                organizer: form.text("organizer"),
            })
            .collect();
        let saved =
            self.store.record_training(&records, op.id, self.now()).map_err(|e| i18n::store_error(self.lang, &e))?;
        self.info(fill(d.training_saved, saved.len()));
        self.duties.stale = true;
        Ok(())
    }

    fn open_evaluation_form(&mut self, worker: WorkerId) {
        let d = self.dt();
        let year = self.duties.eval_year;
        let ev = self
            .duties
            .evals
            .iter()
            .find(|e| e.worker == worker)
            .cloned()
            .unwrap_or_else(|| Evaluation::new(year, worker));
        let s = |v: Option<u16>| v.map(crate::domain::duties::tenths_text).unwrap_or_default();
        let fields = vec![
            Field::text("street", d.score_street_full, &s(ev.street), false),
            Field::text("residents", d.score_residents_full, &s(ev.residents), false),
            Field::text("own", d.score_own_full, &s(ev.own), false),
            Field::text("comment", d.f_comment, &ev.comment, false),
        ];
        let w8 = self.duties.settings.weights;
        let title = format!("{} {} · {}", d.eval_title, year, self.ctx().worker_name(Some(worker)));
        let mut form = Form::new(&title, self.lang.t().form_keys, fields);
        form.warning = Some(fill(d.eval_form_hint, format!("{}:{}:{}", w8.street, w8.residents, w8.own)));
        self.layers.push(Layer::Form(form, FormPurpose::Duty(DutyForm::Evaluation(worker))));
    }

    fn save_evaluation(&mut self, form: &Form, worker: WorkerId) -> Result<(), String> {
        let d = self.dt();
        let Some(op) = self.duty_operator() else { return Ok(()) };
        let score = |key: &str| -> Result<Option<u16>, String> {
            match form.text(key) {
                s if s.is_empty() => Ok(None),
                s => parse_tenths(&s).map(Some).ok_or_else(|| d.e_bad_score.to_string()),
            }
        };
        let mut ev = Evaluation::new(self.duties.eval_year, worker);
        ev.street = score("street")?;
        ev.residents = score("residents")?;
        ev.own = score("own")?;
        ev.comment = form.text("comment");
        self.store.put(&ev, op.id, self.now()).map_err(|e| i18n::store_error(self.lang, &e))?;
        self.duties.stale = true;
        self.info(self.lang.t().saved);
        Ok(())
    }

    // ---- layer hooks --------------------------------------------------------------------

    /// Saves what a duties form holds; an `Err` keeps the form open with it.
    pub fn submit_duty_form(&mut self, form: &Form, p: DutyForm) -> Result<(), String> {
        let result = self.submit_duty_form_inner(form, p);
        self.remember_change();
        result
    }

    fn submit_duty_form_inner(&mut self, form: &Form, p: DutyForm) -> Result<(), String> {
        let d = self.dt();
        match p {
            DutyForm::Log(existing) => self.save_log(form, existing),
            DutyForm::Comment(id) => {
                let Some(op) = self.duty_operator() else { return Ok(()) };
                let text = form.text("text");
                let now = self.now();
                let e = self
                    .store
                    .change_log(id, op.id, now, |e| {
                        e.add_comment(&op, now, &text).map_err(|_| d.e_not_leader_comment.to_string())
                    })
                    .map_err(|e| i18n::store_error(self.lang, &e))?;
                self.log_saved(&e);
                self.info(self.lang.t().saved);
                Ok(())
            }
            DutyForm::RequestFromLog(id) => self.save_request_from_log(form, id),
            DutyForm::Task(w, existing) => self.save_task(form, w, existing),
            DutyForm::Duty(w, existing) => self.save_duty(form, w, existing),
            DutyForm::Worker(existing) => self.save_worker_full(form, existing),
            DutyForm::RotaGenerate => self.submit_rota_generate(form),
            DutyForm::Leave => self.save_leave(form),
            DutyForm::LeaveDecide(id) => {
                let note = form.text("note");
                let mv = if form.choice("decision") == 0 { LeaveMove::Approve(note) } else { LeaveMove::Refuse(note) };
                let approve = matches!(mv, LeaveMove::Approve(_));
                let l = self.move_leave(id, mv)?;
                let clashes = l.clashes(&self.duties.slots_for_leave);
                if approve && !clashes.is_empty() {
                    let days: Vec<String> = clashes.iter().map(|x| x.format("%m-%d").to_string()).collect();
                    self.duty_fail(fill(d.approved_with_clash, days.join(",")));
                } else {
                    self.info(if approve { d.approved } else { d.refused });
                }
                Ok(())
            }
            DutyForm::LeaveClose(id) => {
                let back = parse_day(&form.text("returned"), self.today.date)
                    .ok_or_else(|| self.lang.t().bad_date.to_string())?;
                let l = self.duties.leaves.iter().find(|l| l.id == id).cloned();
                if l.is_some_and(|l| back <= l.from) {
                    return Err(d.e_return_too_early.into());
                }
                let l = self.move_leave(id, LeaveMove::Close(back))?;
                self.info(fill(d.leave_closed, l.working_days(&self.cal)));
                Ok(())
            }
            DutyForm::Training => self.save_training(form),
            DutyForm::Evaluation(w) => self.save_evaluation(form, w),
        }
    }

    /// A field of a duties form changed: the log form collects residents;
    /// the leave form counts working days as the dates are typed.
    pub fn duty_form_changed(&mut self, p: DutyForm) {
        let d = self.dt();
        match p {
            DutyForm::Log(_) => {
                let Some(Layer::Form(form, _)) = self.layers.last() else { return };
                let id = form.lookup("resident");
                let shown = match &form.fields.iter().find(|f| f.key == "resident").map(|f| &f.kind) {
                    Some(FieldKind::Lookup { shown, .. }) => shown.clone(),
                    _ => String::new(),
                };
                if id == 0 {
                    self.duties.log_residents.clear();
                } else if !self.duties.log_residents.iter().any(|(r, _)| r.0 == id) {
                    self.duties.log_residents.push((ResidentId(id), shown));
                }
                let joined = self.duties.log_residents.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join("、");
                let first = self.duties.log_residents.last().map_or(0, |(r, _)| r.0);
                if let Some(Layer::Form(form, _)) = self.layers.last_mut() {
                    form.set_lookup("resident", &joined, first);
                }
            }
            DutyForm::Leave => {
                let Some(Layer::Form(form, _)) = self.layers.last() else { return };
                let today = self.today.date;
                let from = parse_day(&form.text("from"), today);
                let to = parse_day(&form.text("to"), today);
                let warning = match (from, to) {
                    (Some(a), Some(b)) if b >= a => Some(fill(d.working_days_n, self.cal.working_days_between(a, b))),
                    (Some(_), Some(_)) => Some(d.e_leave_reversed.to_string()),
                    _ => None,
                };
                if let Some(Layer::Form(form, _)) = self.layers.last_mut() {
                    form.warning = warning;
                }
            }
            _ => {}
        }
    }

    pub fn duty_picked(&mut self, p: DutyPick, pick: Pick) {
        match (p, pick) {
            (DutyPick::BoardWorker, Pick::Id(id)) => {
                self.duties.worker = Some(WorkerId(id));
                self.duties.board_list = Default::default();
                self.duties.expanded = None;
                self.duties.stale = true;
                if self.duties.view == View::Log {
                    self.duties.log_all = false;
                }
            }
            (DutyPick::RotaDay(day), pick) => {
                let Some(op) = self.duty_operator() else { return };
                let worker = match pick {
                    Pick::Id(id) => Some(WorkerId(id)),
                    _ => None,
                };
                let mut slot = self
                    .duties
                    .slots
                    .iter()
                    .find(|s| s.date == day)
                    .cloned()
                    .unwrap_or_else(|| RotaSlot::new(day, None));
                slot.worker = worker;
                match self.store.put(&slot, op.id, self.now()) {
                    Ok(()) => {
                        self.info(self.lang.t().saved);
                        self.refresh_on_duty();
                        self.duties.stale = true;
                    }
                    Err(e) => self.error(&e),
                }
            }
            _ => {}
        }
        if self.panel == Panel::Workers && self.duties.stale {
            self.duties_reload();
        }
    }

    pub fn duty_confirmed(&mut self, c: DutyConfirm) {
        self.duty_confirmed_inner(c);
        self.remember_change();
    }

    fn duty_confirmed_inner(&mut self, c: DutyConfirm) {
        match c {
            DutyConfirm::Regenerate { year, month, all_days } => self.generate_rota(year, month, all_days),
            DutyConfirm::FinishTask(id) => self.finish_task(id),
            DutyConfirm::WithdrawLeave(id) => match self.move_leave(id, LeaveMove::Withdraw) {
                Ok(_) => self.info(self.dt().leave_withdrawn),
                Err(msg) => self.duty_fail(msg),
            },
        }
        if self.panel == Panel::Workers && self.duties.stale {
            self.duties_reload();
        }
    }
}

/// `2026-12`, `2026/12`, `2026年12月` or `12` (this year is not known
/// here, so a bare month needs a year).
fn parse_month(s: &str) -> Option<(i32, u32)> {
    let s: String = s.trim().chars().map(|c| if matches!(c, '/' | '.' | '年') { '-' } else { c }).collect();
    let s = s.trim_end_matches('月');
    let (y, m) = s.split_once('-')?;
    let (y, m): (i32, u32) = (y.trim().parse().ok()?, m.trim().parse().ok()?);
    ((1900..=2200).contains(&y) && (1..=12).contains(&m)).then_some((y, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_as_typed() {
        assert_eq!(parse_month("2026-12"), Some((2026, 12)));
        assert_eq!(parse_month("2026年1月"), Some((2026, 1)));
        assert_eq!(parse_month("2026/13"), None);
        assert_eq!(parse_month("12"), None);
    }
}
