//! What every file of the duties board uses (one list, so each view's
//! file starts with what it is about).

pub(super) use super::{DutiesPanel, View, cells, day_label, set_choice, set_text};
pub(super) use crate::domain::duties::board::{Board, BoardParts, TodoRef};
pub(super) use crate::domain::duties::evaluation::{Evaluation, Figures};
pub(super) use crate::domain::duties::leave::{Leave, LeaveKind, LeaveMove, LeaveStatus, may_decide, year_totals};
pub(super) use crate::domain::duties::log::{LogEntry, LogKind};
pub(super) use crate::domain::duties::rota::{self, Conflict, RotaSlot, counts};
pub(super) use crate::domain::duties::settings::{DutySettings, Grades};
pub(super) use crate::domain::duties::standing::{Duty, Period};
pub(super) use crate::domain::duties::task::{Task, TaskStatus};
pub(super) use crate::domain::duties::training::{Training, TrainingKind, progress};
pub(super) use crate::domain::duties::{
    DutyId, LeaveId, LogId, TaskId, TrainingId, add_months, half_days_text, month_bounds, parse_half_days,
    parse_tenths, tenths_text,
};
pub(super) use crate::domain::request::{Deadline, Move};
pub(super) use crate::domain::text::{self, fit, parse_date, width};
pub(super) use crate::domain::worker::{POSTS, WorkerStatus, parse_areas};
pub(super) use crate::domain::{ResidentId, Worker, WorkerId, mask};
pub(super) use crate::i18n::{self, DutiesText, Lang, fill};
pub(super) use crate::store::duties_rows::LogIndex;
pub(super) use crate::ui::keymap::{Action, Scope};
pub(super) use crate::ui::layers::{FormLayer, Layer, PickerLayer};
pub(super) use crate::ui::panel::{ListState, Panels};
pub(super) use crate::ui::requests::forms::open_resident_lookup_as;
pub(super) use crate::ui::shared::Shared as Ctx;
pub(super) use crate::ui::shared::{Effect, Shared};
pub(super) use crate::ui::text::{line, wrap};
pub(super) use crate::ui::widgets::form::{Field, FieldKind, Form, yes_no};
pub(super) use crate::ui::widgets::input::LineInput;
pub(super) use crate::ui::widgets::picker::{Pick, PickItem, Picker};
pub(super) use chrono::{Datelike, Days, NaiveDate};
pub(super) use ratatui::buffer::Buffer;
pub(super) use ratatui::layout::{Position, Rect};
pub(super) use ratatui::style::Style;
pub(super) use ratatui::widgets::{Block, Borders, Widget};
pub(super) use std::collections::HashMap;

pub(super) const NO: usize = 0;
