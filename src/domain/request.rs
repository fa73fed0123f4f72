//! Residents' requests (居民诉求) and their lifecycle.
//!
//! 登记 → 分派 → 办理中 → 办结 → 回访 → 归档, with 上报街道, 转办 and 撤回 on
//! the side, and reopening after an unsatisfied callback. [`Request::allowed`]
//! is the single source of which moves exist from a state: the UI offers only
//! those, and [`Request::apply`] refuses anything else. Every move and every
//! free note appends a [`Note`] to the timeline.

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
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::Logged,
        Status::Assigned,
        Status::InProgress,
        Status::Resolved,
        Status::CalledBack,
        Status::Closed,
        Status::Escalated,
        Status::Transferred,
        Status::Withdrawn,
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
}

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
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    #[error("move {0:?} is not allowed from {1:?}")]
    NotAllowed(MoveKind, Status),
    #[error("this move needs some text")]
    TextRequired,
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
            status: Status::Logged,
            assignee: None,
            due,
            satisfaction: None,
            notes: vec![Note {
                at,
                by,
                kind: NoteKind::Created,
                text: String::new(),
                assignee: None,
                satisfaction: None,
            }],
        }
    }

    /// The moves that may be made now, in the order the UI offers them.
    pub fn allowed(&self) -> Vec<MoveKind> {
        use MoveKind as K;
        use Status as S;
        match self.status {
            S::Logged => vec![K::Assign, K::Escalate, K::Transfer, K::Withdraw],
            S::Assigned => vec![K::Start, K::Resolve, K::Assign, K::Escalate, K::Transfer, K::Withdraw],
            S::InProgress => vec![K::Resolve, K::Assign, K::Escalate, K::Transfer, K::Withdraw],
            S::Escalated => vec![K::Resolve, K::Withdraw],
            S::Transferred => vec![K::Resolve],
            S::Resolved => vec![K::CallBack],
            S::CalledBack if self.satisfaction == Some(Satisfaction::Unsatisfied) => vec![K::Reopen],
            S::CalledBack => vec![K::Close],
            S::Closed | S::Withdrawn => vec![],
        }
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
        if !self.allowed().contains(&kind) {
            return Err(MoveError::NotAllowed(kind, self.status));
        }
        let mut note =
            Note { at, by, kind: NoteKind::Comment, text: String::new(), assignee: None, satisfaction: None };
        let to = match mv {
            Move::Assign(w) => {
                self.assignee = Some(w);
                note.assignee = Some(w);
                Status::Assigned
            }
            Move::Start => Status::InProgress,
            Move::Resolve(t) | Move::Escalate(t) | Move::Transfer(t) | Move::Withdraw(t) | Move::Reopen(t)
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
        self.notes.push(Note { at, by, kind: NoteKind::Comment, text, assignee: None, satisfaction: None });
        Ok(())
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
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap()
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::builtin()
    }

    fn new_request() -> Request {
        Request::create(
            RequestId::new(2025, 1),
            NewRequest {
                channel: Channel::Visit,
                category: "小修小补".into(),
                title: "楼道灯不亮".into(),
                description: String::new(),
                location: "3-2".into(),
                resident: Some(ResidentId(7)),
                urgency: Urgency::Normal,
                work_order: String::new(),
            },
            WorkerId(1),
            at(2025, 9, 26, 9),
            3,
            &cal(),
        )
    }

    const W: WorkerId = WorkerId(2);

    fn step(r: &mut Request, mv: Move, h: u32) {
        r.apply(mv, W, at(2025, 10, 9, h), 3, &cal()).unwrap();
    }

    #[test]
    fn due_date_counts_working_days_over_the_national_day_holiday() {
        // Fri 26 Sep 2025 + 3 working days: Sun 28 Sep is a make-up working
        // day, then 29 and 30 Sep; 1–8 Oct are off.
        let r = new_request();
        assert_eq!(r.due, NaiveDate::from_ymd_opt(2025, 9, 30).unwrap());
        assert_eq!(r.status, Status::Logged);
        assert_eq!(r.notes.len(), 1);
    }

    #[test]
    fn the_whole_lifecycle_leaves_a_timeline() {
        let mut r = new_request();
        step(&mut r, Move::Assign(WorkerId(3)), 9);
        step(&mut r, Move::Start, 10);
        step(&mut r, Move::Resolve("换了灯泡".into()), 11);
        assert_eq!(r.allowed(), vec![MoveKind::CallBack]);
        step(&mut r, Move::CallBack(Satisfaction::Satisfied, "居民满意".into()), 12);
        step(&mut r, Move::Close, 13);
        assert_eq!(r.status, Status::Closed);
        assert_eq!(r.assignee, Some(WorkerId(3)));
        assert_eq!(r.resolution(), Some("换了灯泡"));
        assert_eq!(r.notes.len(), 6);
        assert!(r.notes.iter().skip(1).all(|n| n.by == W));
        assert!(r.allowed().is_empty());
    }

    #[test]
    fn illegal_moves_are_refused_and_change_nothing() {
        let mut r = new_request();
        let before = r.clone();
        let e = r.apply(Move::Close, W, at(2025, 10, 9, 9), 3, &cal()).unwrap_err();
        assert_eq!(e, MoveError::NotAllowed(MoveKind::Close, Status::Logged));
        assert_eq!(
            r.apply(Move::Start, W, at(2025, 10, 9, 9), 3, &cal()),
            Err(MoveError::NotAllowed(MoveKind::Start, Status::Logged))
        );
        assert_eq!(r, before);
        assert_eq!(
            r.apply(Move::Withdraw("  ".into()), W, at(2025, 10, 9, 9), 3, &cal()),
            Err(MoveError::TextRequired)
        );
        assert_eq!(r, before);
    }

    #[test]
    fn unsatisfied_callback_reopens_with_a_new_due_date() {
        let mut r = new_request();
        step(&mut r, Move::Assign(WorkerId(3)), 9);
        step(&mut r, Move::Resolve("已处理".into()), 10);
        step(&mut r, Move::CallBack(Satisfaction::Unsatisfied, "灯还是不亮".into()), 11);
        assert_eq!(r.allowed(), vec![MoveKind::Reopen]);
        step(&mut r, Move::Reopen("重新派人".into()), 12);
        assert_eq!(r.status, Status::InProgress);
        assert_eq!(r.satisfaction, None);
        // Thu 9 Oct 2025 + 3 working days: Fri 10, Sat 11 (make-up day), Mon 13
        assert_eq!(r.due, NaiveDate::from_ymd_opt(2025, 10, 13).unwrap());
    }

    #[test]
    fn escalated_and_transferred_can_still_be_resolved() {
        let mut r = new_request();
        step(&mut r, Move::Escalate("需街道协调".into()), 9);
        assert_eq!(r.status, Status::Escalated);
        assert!(r.status.is_open());
        step(&mut r, Move::Resolve("街道已修复".into()), 10);
        let mut t = new_request();
        step(&mut t, Move::Transfer("城管".into()), 9);
        assert!(!t.status.is_open());
        assert_eq!(t.allowed(), vec![MoveKind::Resolve]);
    }

    #[test]
    fn deadlines_in_working_days() {
        let r = new_request(); // due Tue 30 Sep 2025
        let c = cal();
        let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
        assert_eq!(r.deadline(d(9, 26), &c), Deadline::Ok(3));
        assert_eq!(r.deadline(d(9, 29), &c), Deadline::DueSoon(1));
        assert_eq!(r.deadline(d(9, 30), &c), Deadline::DueSoon(0));
        // the holiday does not count: first working day after is 9 Oct
        assert_eq!(r.deadline(d(10, 9), &c), Deadline::Overdue(1));
        let mut done = r.clone();
        done.status = Status::Resolved;
        assert_eq!(done.deadline(d(12, 1), &c), Deadline::Done);
    }

    #[test]
    fn urgent_requests_get_half_the_time() {
        assert_eq!(limit_for(10, Urgency::Urgent), 5);
        assert_eq!(limit_for(3, Urgency::Urgent), 2);
        assert_eq!(limit_for(1, Urgency::Urgent), 1);
        assert_eq!(limit_for(0, Urgency::Urgent), 1);
        assert_eq!(limit_for(7, Urgency::Normal), 7);
    }
}
