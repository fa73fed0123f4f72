//! What every file of the volunteer roster uses.

pub(super) use super::{RosterView, VolunteerSort, VolunteersPanel, rfit};
pub(super) use crate::domain::text::{display_safe, fit, width};
pub(super) use crate::domain::volunteer::{
    Activity, ActivityId, Availability, Gender, Post, PostId, PostStatus, Role, RosterSettings, Schedule, ServiceId,
    ServiceRecord, Span, Staffing, Team, TeamId, TeamStatus, Volunteer, VolunteerId, VolunteerKind, Ym, hours,
    parse_hours, prev_ym, split_list, ym,
};
pub(super) use crate::domain::{RequestId, ResidentId, WorkerId, mask};
pub(super) use crate::i18n::fill;
pub(super) use crate::i18n::volunteers::{self as ir, VolunteersText};
pub(super) use crate::store::StoreError;
pub(super) use crate::store::record::RecordKind;
pub(super) use crate::store::roster::certificate::{CertLine, CertificateDoc};
pub(super) use crate::store::roster::index::{RosterIndex, VolunteerRow};
pub(super) use crate::ui::keymap::{Action, Scope};
pub(super) use crate::ui::layers::{FormLayer, PickerLayer};
pub(super) use crate::ui::panel::{ListState, Panels};
pub(super) use crate::ui::shared::Shared as Ctx;
pub(super) use crate::ui::shared::{Effect, Shared};
pub(super) use crate::ui::text::{line, wrap};
pub(super) use crate::ui::widgets::form::{Field, FieldKind, Form, yes_no};
pub(super) use crate::ui::widgets::input::LineInput;
pub(super) use crate::ui::widgets::picker::{Pick, PickItem, Picker};
pub(super) use chrono::{Datelike, NaiveDate};
pub(super) use ratatui::buffer::Buffer;
pub(super) use ratatui::layout::{Position, Rect};
pub(super) use ratatui::style::Style;
pub(super) use ratatui::widgets::{Block, Borders, Widget};
