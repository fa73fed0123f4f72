//! The duties board (职责看板), panel 3: one board per worker and the
//! office's records behind it, as seven views switched with `[` and `]`:
//!
//! * 看板: the chosen worker's board (today's shift, leave, standing duties
//!   with who is not yet visited, tasks and requests, overdue first);
//! * 分工: the registry of workers (post, grade, grid, areas, phone);
//! * 值班: the rota as a month calendar;
//! * 请假: leave requests and their approval;
//! * 日志: the daily log, per worker per month, searchable;
//! * 培训: training days and monthly study against the requirement;
//! * 考评: the yearly evaluation sheet beside figures from the records.
//!
//! This module keeps the state and draws; `ui::flows_duties` loads and
//! saves. Every string drawn goes through `form::line` (cut to width, made
//! safe for the terminal).

mod board;
mod log;
mod records;
mod registry;
mod rota;

use super::{Ctx, ListState};
use crate::domain::duties::board::{Board, TodoRef};
use crate::domain::duties::evaluation::{Evaluation, Figures};
use crate::domain::duties::leave::Leave;
use crate::domain::duties::log::LogEntry;
use crate::domain::duties::rota::{Conflict, RotaSlot};
use crate::domain::duties::settings::{DutySettings, Grades};
use crate::domain::duties::standing::Duty;
use crate::domain::duties::training::Training;
use crate::domain::duties::{DutyId, LogId};
use crate::domain::{ResidentId, WorkerId};
use crate::i18n::DutiesText;
use crate::store::duties_rows::LogIndex;
use crate::store::rows::{RequestIndex, ResidentKey};
use crate::ui::keymap::Scope;
use crate::ui::widgets::form::line;
use crate::ui::widgets::input::LineInput;
use chrono::{Datelike, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::collections::HashMap;

pub use board::BoardRow;
pub use records::eval_people;
pub use rota::move_day as rota_move;

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

/// What the duties panel needs from the rest of the app to draw.
pub struct DutiesCtx<'a> {
    /// The residents' search keys (the request index keeps one per
    /// resident): names, addresses and phones for the board and the log.
    pub residents: &'a RequestIndex,
    pub operator: Option<WorkerId>,
    pub registry: &'a mut super::workers::WorkersPanel,
    /// The request list has loaded (the board's requests are complete).
    pub loaded: bool,
}

impl DutiesCtx<'_> {
    pub fn resident(&self, id: ResidentId) -> Option<&ResidentKey> {
        self.residents.resident(id)
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
}

impl DutiesPanel {
    pub fn new(today: NaiveDate) -> DutiesPanel {
        DutiesPanel {
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
        }
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

    /// Draws the panel; returns the cursor position while searching.
    pub fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx, dx: &mut DutiesCtx) -> Option<Position> {
        let d = ctx.lang.duties();
        self.render_tabs(Rect::new(area.x, area.y, area.width, 1), buf, ctx, d);
        let body = Rect::new(area.x, area.y + 1, area.width, area.height.saturating_sub(1));
        match self.view {
            View::Board => {
                board::render(self, body, buf, ctx, dx);
                None
            }
            View::Registry => {
                registry::render(self, body, buf, ctx, dx);
                None
            }
            View::Rota => {
                rota::render(self, body, buf, ctx);
                None
            }
            View::Leave => {
                records::render_leave(self, body, buf, ctx);
                None
            }
            View::Log => log::render(self, body, buf, ctx, dx),
            View::Training => {
                records::render_training(self, body, buf, ctx);
                None
            }
            View::Evaluation => {
                records::render_evaluation(self, body, buf, ctx);
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
