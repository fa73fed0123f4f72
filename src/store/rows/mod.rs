//! The requests list in memory: one compact row per request and one arena of
//! lower-cased search text, so that filtering and incremental search over
//! 100,000 requests take a few milliseconds per keystroke.
//!
//! Built once from the store (in the background at start-up) and kept up to
//! date by `upsert` after every save; the store remains the only truth.

mod grams;
mod hay;
mod index;
mod residents;
#[cfg(test)]
mod tests;

pub use grams::{Bits, Grams};
pub use index::{MetaPart, RequestIndex};
pub use residents::{ResidentKey, ResidentKeys};

use crate::domain::pinyin::name_initials;
use crate::domain::request::{Channel, Request, Satisfaction, Status, Urgency};
use crate::domain::{RequestId, Resident, ResidentId, WorkCalendar, WorkerId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the list shows and filters on, without the timeline.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    pub id: RequestId,
    #[serde(with = "days")]
    pub logged: NaiveDate,
    pub status: Status,
    pub category: u16,
    pub channel: Channel,
    pub urgency: Urgency,
    pub assignee: Option<WorkerId>,
    pub resident: Option<ResidentId>,
    #[serde(with = "days")]
    pub due: NaiveDate,
    /// The callback's answer (for the overview's figures).
    pub satisfaction: Option<Satisfaction>,
    /// Resolved (or later) on or before its due date.
    pub on_time: bool,
    /// The title, in `RequestIndex::titles` (read it with `title_of`).
    title: (u32, u32),
    hay: (u32, u32),
    /// Removed (its creation undone): kept in place until the index's
    /// lists are built again.
    dead: bool,
}

impl Row {
    /// What the row adds to the overview's figures.
    pub fn fact(&self) -> crate::domain::overview::Fact {
        crate::domain::overview::Fact {
            logged: self.logged,
            category: self.category,
            status: self.status,
            on_time: self.on_time,
            satisfaction: self.satisfaction,
            assignee: self.assignee,
            due: self.due,
        }
    }
}

/// The encoded rows and residents, the search text, the titles, the lists
/// of pieces of text of the rows and of the residents.
pub type Sections<'a> = (Vec<u8>, Vec<u8>, &'a [u8], Vec<u8>, Vec<u8>);

/// The request's text the search reads besides its number, field by field
/// (a term never spans two fields). A new searchable field is one more
/// line here (and a new index format in `store::index_cache`, so that
/// saved copies are rebuilt once).
const SEARCHED: &[fn(&Request) -> &str] =
    &[|r| &r.title, |r| &r.description, |r| &r.location, |r| &r.category, |r| &r.work_order];

/// Dates as day numbers: compact in the saved index.
mod days {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(d.num_days_from_ce())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let n = i32::deserialize(d)?;
        NaiveDate::from_num_days_from_ce_opt(n).ok_or_else(|| serde::de::Error::custom("day out of range"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Newest,
    Due,
    OldestOpen,
}

impl Sort {
    pub fn next(self) -> Sort {
        match self {
            Sort::Newest => Sort::Due,
            Sort::Due => Sort::OldestOpen,
            Sort::OldestOpen => Sort::Newest,
        }
    }
}

/// Everything the user can narrow the list by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<Status>,
    pub category: Option<String>,
    pub assignee: Option<WorkerId>,
    pub channel: Option<Channel>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Assigned to this worker (the operator's "mine").
    pub mine: Option<WorkerId>,
    pub overdue: bool,
    pub due_soon: bool,
    /// Resolved, not yet called back.
    pub callback: bool,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }
}

/// Dates that decide overdue and due-soon, computed once per day.
#[derive(Debug, Clone, Copy)]
pub struct Today {
    pub date: NaiveDate,
    /// The next working day after `date`: due on or before it is "due soon".
    pub soon: NaiveDate,
}

impl Today {
    pub fn new(date: NaiveDate, cal: &WorkCalendar) -> Today {
        Today { date, soon: cal.add_working_days(date, 1) }
    }
}
