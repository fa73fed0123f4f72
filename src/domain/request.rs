//! Residents' requests (居民诉求) and their lifecycle.
//!
//! 登记 → 分派 → 办理中 → 办结 → 回访 → 归档, with 上报街道, 转办 and 撤回 on
//! the side, and reopening after an unsatisfied callback. The 12345 hotline's
//! loop adds (国办发〔2020〕53号 and hotline practice):
//!
//! * 退单 (return): the assignee sends a mis-dispatched request back, with a
//!   reason; it is 登记 again, waiting to be dispatched (改派 is the next 分派).
//! * 并单 (merge): a repeat of an earlier open request is merged into it. The
//!   repeat keeps its own timeline and resident, is 已并单 (not counted as a
//!   request of its own), and is resolved along with the earlier one so its
//!   resident is called back too (the store does that).
//! * 延期 (extension): asked for with a new date and a reason, approved or
//!   refused by 书记/主任 (the store checks who); approval moves the due date.
//! * 督办 (a leader's yellow or red card) on an overdue request.
//!
//! [`Request::allowed`] is the single source of which moves exist from a
//! state on a day: the UI offers only those, and [`Request::apply`] refuses
//! anything else. Every move and every free note appends a [`Note`] to the
//! timeline.

use super::calendar::WorkCalendar;
use super::ids::{RequestId, ResidentId, WorkerId};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    Visit,
    Phone,
    Hotline12345,
    WeChat,
    Patrol,
    DoorVisit,
}

impl Channel {
    pub const ALL: [Channel; 6] =
        [Channel::Visit, Channel::Phone, Channel::Hotline12345, Channel::WeChat, Channel::Patrol, Channel::DoorVisit];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    Logged,
    Assigned,
    InProgress,
    Resolved,
    CalledBack,
    Closed,
    Escalated,
    Transferred,
    Withdrawn,
    // ---- schema 5: appended (postcard stores the variant's index) ----
    /// 已并单: merged into an earlier request (`Request::merged_into`).
    Merged,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::Logged,
        Status::Assigned,
        Status::InProgress,
        Status::Resolved,
        Status::CalledBack,
        Status::Closed,
        Status::Escalated,
        Status::Transferred,
        Status::Withdrawn,
        Status::Merged,
    ];

    /// Still the office's to handle: these can be overdue and count as
    /// duplicates of a new request.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Logged | Status::Assigned | Status::InProgress | Status::Escalated)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Urgency {
    Normal,
    Urgent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Satisfaction {
    Satisfied,
    Basic,
    Unsatisfied,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 3] = [Satisfaction::Satisfied, Satisfaction::Basic, Satisfaction::Unsatisfied];
}

/// 督办: the card a leader gives an overdue request; red is the stronger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Card {
    Yellow,
    Red,
}

/// A lifecycle move with what it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Move {
    Assign(WorkerId),
    Start,
    Resolve(String),
    CallBack(Satisfaction, String),
    Close,
    Reopen(String),
    Escalate(String),
    Transfer(String),
    Withdraw(String),
    /// 退单: back for dispatch, with the reason.
    Return(String),
    /// 并单: into this earlier request, with a note.
    Merge(RequestId, String),
    /// 延期: the date asked for, with the reason.
    AskExtension(NaiveDate, String),
    ApproveExtension(String),
    RefuseExtension(String),
    /// 督办
    YellowCard(String),
    RedCard(String),
}

/// A move without its payload: what the UI offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MoveKind {
    Assign,
    Start,
    Resolve,
    CallBack,
    Close,
    Reopen,
    Escalate,
    Transfer,
    Withdraw,
    // ---- schema 5: appended (notes store the variant's index) ----
    Return,
    Merge,
    AskExtension,
    ApproveExtension,
    RefuseExtension,
    YellowCard,
    RedCard,
}

impl MoveKind {
    /// Moves only 书记 and 主任 may make (deciding an extension, 督办).
    pub fn leaders_only(self) -> bool {
        matches!(
            self,
            MoveKind::ApproveExtension | MoveKind::RefuseExtension | MoveKind::YellowCard | MoveKind::RedCard
        )
    }
}

impl Move {
    pub fn kind(&self) -> MoveKind {
        match self {
            Move::Assign(_) => MoveKind::Assign,
            Move::Start => MoveKind::Start,
            Move::Resolve(_) => MoveKind::Resolve,
            Move::CallBack(..) => MoveKind::CallBack,
            Move::Close => MoveKind::Close,
            Move::Reopen(_) => MoveKind::Reopen,
            Move::Escalate(_) => MoveKind::Escalate,
            Move::Transfer(_) => MoveKind::Transfer,
            Move::Withdraw(_) => MoveKind::Withdraw,
            Move::Return(_) => MoveKind::Return,
            Move::Merge(..) => MoveKind::Merge,
            Move::AskExtension(..) => MoveKind::AskExtension,
            Move::ApproveExtension(_) => MoveKind::ApproveExtension,
            Move::RefuseExtension(_) => MoveKind::RefuseExtension,
            Move::YellowCard(_) => MoveKind::YellowCard,
            Move::RedCard(_) => MoveKind::RedCard,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoteKind {
    Created,
    Moved {
        kind: MoveKind,
        to: Status,
    },
    Comment,
    /// Handed to a volunteer team or a volunteer (roster ids); the status
    /// does not change. See `volunteer::hand_request`.
    Handed {
        team: Option<u64>,
        volunteer: Option<u64>,
    },
    // ---- schema 5: appended (postcard stores the variant's index) ----
    /// 并单: the repeat `from` was merged into this request.
    MergedIn {
        from: RequestId,
    },
    /// The work calendar changed and the due date with it (from `from` to
    /// the note's `on`); written by the program, not a worker.
    DueRecomputed {
        #[serde(with = "crate::domain::stored_time::date")]
        from: NaiveDate,
    },
}

/// One timeline entry: when, which worker, what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    #[serde(with = "crate::domain::stored_time::datetime")]
    pub at: NaiveDateTime,
    pub by: WorkerId,
    pub kind: NoteKind,
    /// Free text: the comment, the resolution, the department, the reason,
    /// or for an assignment the worker's id in `assignee`.
    pub text: String,
    pub assignee: Option<WorkerId>,
    pub satisfaction: Option<Satisfaction>,
    /// The date a step names (schema 5): the due date asked for (延期), the
    /// new due date (an approved extension, a recomputation), the request
    /// merged into (并单: none).
    #[serde(default, with = "crate::domain::stored_time::opt_date")]
    pub on: Option<NaiveDate>,
}

impl Note {
    /// A note with nothing but its kind and text.
    pub fn new(at: NaiveDateTime, by: WorkerId, kind: NoteKind, text: String) -> Note {
        Note { at, by, kind, text, assignee: None, satisfaction: None, on: None }
    }
}

/// Who wrote a note the program wrote itself (a recomputed due date).
pub const PROGRAM: WorkerId = WorkerId(0);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub id: RequestId,
    #[serde(with = "crate::domain::stored_time::datetime")]
    pub logged_at: NaiveDateTime,
    pub logged_by: WorkerId,
    pub channel: Channel,
    pub category: String,
    pub title: String,
    pub description: String,
    pub location: String,
    pub resident: Option<ResidentId>,
    pub urgency: Urgency,
    pub status: Status,
    pub assignee: Option<WorkerId>,
    #[serde(with = "crate::domain::stored_time::date")]
    pub due: NaiveDate,
    pub satisfaction: Option<Satisfaction>,
    pub notes: Vec<Note>,
    /// The 12345 hotline's work-order number (工单号) of a request the
    /// hotline transferred; empty for others. Schema 4.
    #[serde(default)]
    pub work_order: String,
    // ---- schema 5 ----
    /// The hotline's own deadline for a transferred order (its 办结时限),
    /// beside the work-order number; the office's own `due` still counts
    /// working days by category.
    #[serde(default, with = "crate::domain::stored_time::opt_date")]
    pub hotline_due: Option<NaiveDate>,
    /// 并单: the earlier request this repeat was merged into.
    #[serde(default)]
    pub merged_into: Option<RequestId>,
    /// 延期: the due date asked for, while a leader has not decided.
    #[serde(default, with = "crate::domain::stored_time::opt_date")]
    pub asked_due: Option<NaiveDate>,
    /// 督办: the strongest card a leader gave it.
    #[serde(default)]
    pub card: Option<Card>,
}

/// Everything a new request is made from; the store gives it an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    pub channel: Channel,
    pub category: String,
    pub title: String,
    pub description: String,
    pub location: String,
    pub resident: Option<ResidentId>,
    pub urgency: Urgency,
    /// The 12345 work-order number, if the hotline transferred it.
    pub work_order: String,
    /// The hotline's own deadline, if it gave one.
    pub hotline_due: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    #[error("move {0:?} is not allowed from {1:?}")]
    NotAllowed(MoveKind, Status),
    #[error("this move needs some text")]
    TextRequired,
    /// 延期 to a day that is not after the current due date.
    #[error("the new due date must be after the current one")]
    NotLater,
    /// 并单 into itself, or into a request that cannot take it.
    #[error("cannot merge into that request")]
    BadMerge,
    /// Deciding an extension and 督办 are for 书记 and 主任.
    #[error("only the secretary or the director may do this")]
    NotLeader,
}

/// How a request stands against its time limit today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// Not open any more: no deadline applies.
    Done,
    /// This many working days left (more than one).
    Ok(i64),
    /// Due today (0) or on the next working day (1).
    DueSoon(i64),
    /// Overdue by this many working days (≥ 1).
    Overdue(i64),
}

/// The working-day limit for a category limit and urgency: urgent requests
/// get half the time, at least one working day.
pub fn limit_for(category_limit: u32, urgency: Urgency) -> u32 {
    match urgency {
        Urgency::Normal => category_limit,
        Urgency::Urgent => category_limit.div_ceil(2).max(1),
    }
}

impl Request {
    /// A freshly logged request, due `limit` working days after `at`.
    pub fn create(
        id: RequestId,
        new: NewRequest,
        by: WorkerId,
        at: NaiveDateTime,
        category_limit: u32,
        cal: &WorkCalendar,
    ) -> Request {
        let due = cal.add_working_days(at.date(), limit_for(category_limit, new.urgency));
        Request {
            id,
            logged_at: at,
            logged_by: by,
            channel: new.channel,
            category: new.category,
            title: new.title,
            description: new.description,
            location: new.location,
            resident: new.resident,
            urgency: new.urgency,
            work_order: new.work_order,
            hotline_due: new.hotline_due,
            status: Status::Logged,
            assignee: None,
            due,
            satisfaction: None,
            notes: vec![Note::new(at, by, NoteKind::Created, String::new())],
            merged_into: None,
            asked_due: None,
            card: None,
        }
    }

    /// The moves that may be made on `today`, in the order the UI offers
    /// them (the UI leaves out [`MoveKind::leaders_only`] ones for others).
    pub fn allowed(&self, today: NaiveDate, cal: &WorkCalendar) -> Vec<MoveKind> {
        use MoveKind as K;
        use Status as S;
        let mut v = match self.status {
            // the 12345 loop's steps after the others: a menu's numbers stay
            // what the office's fingers know
            S::Logged => vec![K::Assign, K::Escalate, K::Transfer, K::Withdraw, K::Merge],
            S::Assigned => {
                vec![K::Start, K::Resolve, K::Assign, K::Escalate, K::Transfer, K::Withdraw, K::Return, K::Merge]
            }
            S::InProgress => vec![K::Resolve, K::Assign, K::Escalate, K::Transfer, K::Withdraw, K::Return, K::Merge],
            S::Escalated => vec![K::Resolve, K::Withdraw],
            S::Transferred => vec![K::Resolve],
            S::Resolved => vec![K::CallBack],
            S::CalledBack if self.satisfaction == Some(Satisfaction::Unsatisfied) => vec![K::Reopen],
            S::CalledBack => vec![K::Close],
            // a merged repeat is resolved along with the request it joined
            S::Closed | S::Withdrawn | S::Merged => vec![],
        };
        if self.status.is_open() {
            match self.asked_due {
                None => v.push(K::AskExtension),
                Some(_) => v.extend([K::ApproveExtension, K::RefuseExtension]),
            }
            if matches!(self.deadline(today, cal), Deadline::Overdue(_)) {
                match self.card {
                    None => v.extend([K::YellowCard, K::RedCard]),
                    Some(Card::Yellow) => v.push(K::RedCard),
                    Some(Card::Red) => {}
                }
            }
        }
        v
    }

    /// Whether `into` can take this request as a repeat (并单): another
    /// request, open, not itself merged, logged no later than this one.
    pub fn may_merge_into(&self, into: &Request) -> bool {
        into.id != self.id && into.status.is_open() && into.merged_into.is_none() && into.logged_at <= self.logged_at
    }

    /// 并单, the earlier request's side: a note naming the repeat.
    pub fn absorb(&mut self, repeat: &Request, by: WorkerId, at: NaiveDateTime) {
        self.notes.push(Note::new(at, by, NoteKind::MergedIn { from: repeat.id }, repeat.title.clone()));
    }

    /// 并单, when the earlier request `main` is resolved: this repeat is
    /// resolved along with it (its resident is then called back on it).
    /// Returns whether it was this request's to follow.
    pub fn resolve_along(&mut self, main: &Request, by: WorkerId, at: NaiveDateTime) -> bool {
        if self.status != Status::Merged || self.merged_into != Some(main.id) {
            return false;
        }
        let text = main.resolution().unwrap_or_default().to_string();
        let mut n = Note::new(at, by, NoteKind::Moved { kind: MoveKind::Resolve, to: Status::Resolved }, text);
        n.assignee = main.assignee;
        self.notes.push(n);
        self.status = Status::Resolved;
        true
    }

    /// The repeats merged into this request, from its notes.
    pub fn merged_repeats(&self) -> Vec<RequestId> {
        self.notes
            .iter()
            .filter_map(|n| match n.kind {
                NoteKind::MergedIn { from } => Some(from),
                _ => None,
            })
            .collect()
    }

    /// Makes `mv`, appending its timeline note. `category_limit` is used
    /// when a reopened request gets a new due date.
    pub fn apply(
        &mut self,
        mv: Move,
        by: WorkerId,
        at: NaiveDateTime,
        category_limit: u32,
        cal: &WorkCalendar,
    ) -> Result<(), MoveError> {
        let kind = mv.kind();
        if !self.allowed(at.date(), cal).contains(&kind) {
            return Err(MoveError::NotAllowed(kind, self.status));
        }
        let mut note = Note::new(at, by, NoteKind::Comment, String::new());
        let to = match mv {
            Move::Assign(w) => {
                self.assignee = Some(w);
                note.assignee = Some(w);
                Status::Assigned
            }
            Move::Start => Status::InProgress,
            Move::Resolve(t)
            | Move::Escalate(t)
            | Move::Transfer(t)
            | Move::Withdraw(t)
            | Move::Reopen(t)
            | Move::Return(t)
            | Move::Merge(_, t)
            | Move::AskExtension(_, t)
            | Move::RefuseExtension(t)
            | Move::YellowCard(t)
            | Move::RedCard(t)
                if t.trim().is_empty() =>
            {
                let _ = t;
                return Err(MoveError::TextRequired);
            }
            Move::Resolve(t) => {
                note.text = t;
                Status::Resolved
            }
            Move::CallBack(s, t) => {
                self.satisfaction = Some(s);
                note.satisfaction = Some(s);
                note.text = t;
                Status::CalledBack
            }
            Move::Close => Status::Closed,
            Move::Reopen(t) => {
                note.text = t;
                self.satisfaction = None;
                self.due = cal.add_working_days(at.date(), limit_for(category_limit, self.urgency));
                if self.assignee.is_some() { Status::InProgress } else { Status::Logged }
            }
            Move::Escalate(t) => {
                note.text = t;
                Status::Escalated
            }
            Move::Transfer(t) => {
                note.text = t;
                Status::Transferred
            }
            Move::Withdraw(t) => {
                note.text = t;
                Status::Withdrawn
            }
            Move::Return(t) => {
                // the note keeps who sent it back (reports count per worker)
                note.text = t;
                note.assignee = self.assignee.take();
                Status::Logged
            }
            Move::Merge(into, t) => {
                if into == self.id {
                    return Err(MoveError::BadMerge);
                }
                note.text = t;
                self.merged_into = Some(into);
                self.asked_due = None;
                Status::Merged
            }
            Move::AskExtension(day, t) => {
                if day <= self.due {
                    return Err(MoveError::NotLater);
                }
                note.text = t;
                note.on = Some(day);
                self.asked_due = Some(day);
                self.status
            }
            Move::ApproveExtension(t) => {
                note.text = t;
                if let Some(day) = self.asked_due.take() {
                    note.on = Some(day);
                    self.due = day;
                }
                self.status
            }
            Move::RefuseExtension(t) => {
                note.text = t;
                note.on = self.asked_due.take();
                self.status
            }
            Move::YellowCard(t) => {
                note.text = t;
                self.card = self.card.max(Some(Card::Yellow));
                self.status
            }
            Move::RedCard(t) => {
                note.text = t;
                self.card = Some(Card::Red);
                self.status
            }
        };
        note.kind = NoteKind::Moved { kind, to };
        self.status = to;
        self.notes.push(note);
        Ok(())
    }

    /// A free note on the timeline; allowed in every state.
    pub fn comment(&mut self, text: String, by: WorkerId, at: NaiveDateTime) -> Result<(), MoveError> {
        if text.trim().is_empty() {
            return Err(MoveError::TextRequired);
        }
        self.notes.push(Note::new(at, by, NoteKind::Comment, text));
        Ok(())
    }

    /// The calendar changed from `old` to `new`: the due date moves so that
    /// it is as many working days after its start as it was (the day it was
    /// logged, or reopened). A due date a leader set by approving an
    /// extension is a date, not a count, and stays. Returns the old date if
    /// it moved; the note says so, written by [`PROGRAM`].
    pub fn recompute_due(&mut self, old: &WorkCalendar, new: &WorkCalendar, at: NaiveDateTime) -> Option<NaiveDate> {
        if !self.status.is_open() {
            return None;
        }
        // the last note that set the due date decides how it was set
        let start = self.notes.iter().rev().find_map(|n| match n.kind {
            NoteKind::Created => Some(Some(self.logged_at.date())),
            NoteKind::Moved { kind: MoveKind::Reopen, .. } => Some(Some(n.at.date())),
            NoteKind::Moved { kind: MoveKind::ApproveExtension, .. } => Some(None),
            _ => None,
        })??;
        let n = old.working_days_until(start, self.due);
        let n = u32::try_from(n).ok().filter(|n| *n > 0)?;
        let due = new.add_working_days(start, n);
        if due == self.due {
            return None;
        }
        let from = std::mem::replace(&mut self.due, due);
        let mut note = Note::new(at, PROGRAM, NoteKind::DueRecomputed { from }, String::new());
        note.on = Some(due);
        self.notes.push(note);
        Some(from)
    }

    pub fn deadline(&self, today: NaiveDate, cal: &WorkCalendar) -> Deadline {
        deadline(self.status, self.due, today, cal)
    }

    /// What was done, from the last 办结 note.
    pub fn resolution(&self) -> Option<&str> {
        self.notes
            .iter()
            .rev()
            .find(|n| matches!(n.kind, NoteKind::Moved { kind: MoveKind::Resolve, .. }))
            .map(|n| n.text.as_str())
    }
}

/// The deadline rule, usable on summaries that carry only status and due.
pub fn deadline(status: Status, due: NaiveDate, today: NaiveDate, cal: &WorkCalendar) -> Deadline {
    if !status.is_open() {
        return Deadline::Done;
    }
    match cal.working_days_until(today, due) {
        d if d < 0 => Deadline::Overdue(-d),
        d @ 0..=1 => Deadline::DueSoon(d),
        d => Deadline::Ok(d),
    }
}

#[cfg(test)]
pub(crate) mod tests;
