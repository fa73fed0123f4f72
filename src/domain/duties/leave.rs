//! Leave (请销假): a worker asks for leave for a span of days; the 书记 or
//! 主任 approves or refuses it; on return it is closed (销假) with the day
//! they came back. Days are counted in *working days* of the work calendar,
//! so a week of leave over the National Day holiday costs only the working
//! days in it.
//!
//! ```text
//! Requested ──approve──▶ Approved ──close (销假)──▶ Closed
//!     │  └────refuse──▶ Refused          │
//!     └──withdraw──▶ Withdrawn ◀─withdraw─┘
//! ```

use super::LeaveId;
use super::rota::RotaSlot;
use crate::domain::{WorkCalendar, Worker, WorkerId};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LeaveKind {
    /// 事假
    Personal,
    /// 病假
    Sick,
    /// 年休假
    Annual,
    /// 调休 (time off in lieu of overtime)
    TimeOff,
    /// 婚假
    Marriage,
    /// 产假 / 陪产假
    Maternity,
    /// 丧假
    Bereavement,
    /// 其他
    Other,
}

impl LeaveKind {
    pub const ALL: [LeaveKind; 8] = [
        LeaveKind::Personal,
        LeaveKind::Sick,
        LeaveKind::Annual,
        LeaveKind::TimeOff,
        LeaveKind::Marriage,
        LeaveKind::Maternity,
        LeaveKind::Bereavement,
        LeaveKind::Other,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LeaveStatus {
    Requested,
    Approved,
    Refused,
    Withdrawn,
    /// 已销假: back at work.
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LeaveMoveKind {
    Approve,
    Refuse,
    Withdraw,
    Close,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeaveMove {
    Approve(String),
    Refuse(String),
    Withdraw,
    /// Back at work on this day (the first day not on leave).
    Close(NaiveDate),
}

impl LeaveMove {
    pub fn kind(&self) -> LeaveMoveKind {
        match self {
            LeaveMove::Approve(_) => LeaveMoveKind::Approve,
            LeaveMove::Refuse(_) => LeaveMoveKind::Refuse,
            LeaveMove::Withdraw => LeaveMoveKind::Withdraw,
            LeaveMove::Close(_) => LeaveMoveKind::Close,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LeaveError {
    #[error("this step is not possible in the leave's current state")]
    NotAllowed,
    #[error("only the 书记 or 主任 (not the worker themself) decides on leave")]
    NotApprover,
    #[error("the leave ends before it starts")]
    Reversed,
    #[error("the return date is before the leave started")]
    ReturnTooEarly,
    #[error("this worker already has leave in these days")]
    Overlap,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leave {
    pub id: LeaveId,
    pub worker: WorkerId,
    pub kind: LeaveKind,
    #[serde(with = "crate::domain::stored_time::date")]
    pub from: NaiveDate,
    #[serde(with = "crate::domain::stored_time::date")]
    pub to: NaiveDate,
    pub reason: String,
    pub status: LeaveStatus,
    #[serde(with = "crate::domain::stored_time::datetime")]
    pub requested_at: NaiveDateTime,
    pub decided_by: Option<WorkerId>,
    #[serde(with = "crate::domain::stored_time::opt_datetime")]
    pub decided_at: Option<NaiveDateTime>,
    pub decision_note: String,
    /// 销假: the first day back at work.
    #[serde(with = "crate::domain::stored_time::opt_date")]
    pub returned: Option<NaiveDate>,
}

impl Leave {
    pub fn new(
        id: LeaveId,
        worker: WorkerId,
        kind: LeaveKind,
        from: NaiveDate,
        to: NaiveDate,
        reason: &str,
        at: NaiveDateTime,
    ) -> Leave {
        Leave {
            id,
            worker,
            kind,
            from,
            to,
            reason: reason.to_string(),
            status: LeaveStatus::Requested,
            requested_at: at,
            decided_by: None,
            decided_at: None,
            decision_note: String::new(),
            returned: None,
        }
    }

    /// Checks a new request against the worker's other leave.
    pub fn validate(&self, others: &[Leave]) -> Result<(), LeaveError> {
        if self.to < self.from {
            return Err(LeaveError::Reversed);
        }
        let live = |l: &&Leave| matches!(l.status, LeaveStatus::Requested | LeaveStatus::Approved);
        if others.iter().filter(live).any(|l| l.id != self.id && l.worker == self.worker && l.overlaps(self)) {
            return Err(LeaveError::Overlap);
        }
        Ok(())
    }

    pub fn overlaps(&self, other: &Leave) -> bool {
        self.from <= other.to && other.from <= self.to
    }

    /// The last day actually away: `to`, or the day before an earlier return.
    pub fn last_day(&self) -> NaiveDate {
        match self.returned.and_then(|r| r.pred_opt()) {
            Some(r) => r.min(self.to),
            None => self.to,
        }
    }

    /// Whether this leave keeps the worker away on `d` (approved, or taken
    /// and closed).
    pub fn keeps_away(&self, d: NaiveDate) -> bool {
        matches!(self.status, LeaveStatus::Approved | LeaveStatus::Closed) && d >= self.from && d <= self.last_day()
    }

    /// Working days asked for (or, once closed, actually taken).
    pub fn working_days(&self, cal: &WorkCalendar) -> u32 {
        cal.working_days_between(self.from, self.last_day())
    }

    /// Working days in `year` (a leave over New Year counts in both).
    pub fn working_days_in(&self, year: i32, cal: &WorkCalendar) -> u32 {
        let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
        else {
            return 0;
        };
        cal.working_days_between(self.from.max(first), self.last_day().min(last))
    }

    /// Working days away after the leave ran out, before coming back.
    pub fn overstayed(&self, cal: &WorkCalendar) -> u32 {
        match (self.returned, self.to.succ_opt()) {
            (Some(r), Some(after)) if r > after => r.pred_opt().map_or(0, |last| cal.working_days_between(after, last)),
            _ => 0,
        }
    }

    pub fn allowed(&self) -> Vec<LeaveMoveKind> {
        use LeaveMoveKind as K;
        match self.status {
            LeaveStatus::Requested => vec![K::Approve, K::Refuse, K::Withdraw],
            LeaveStatus::Approved => vec![K::Close, K::Withdraw],
            LeaveStatus::Refused | LeaveStatus::Withdrawn | LeaveStatus::Closed => vec![],
        }
    }

    /// Makes a move. Approving and refusing need a leader who
    /// [`may_decide`]; that is checked by the caller, who knows the office.
    pub fn apply(&mut self, mv: LeaveMove, by: WorkerId, at: NaiveDateTime) -> Result<(), LeaveError> {
        if !self.allowed().contains(&mv.kind()) {
            return Err(LeaveError::NotAllowed);
        }
        match mv {
            LeaveMove::Approve(note) => {
                self.status = LeaveStatus::Approved;
                self.decided_by = Some(by);
                self.decided_at = Some(at);
                self.decision_note = note;
            }
            LeaveMove::Refuse(note) => {
                self.status = LeaveStatus::Refused;
                self.decided_by = Some(by);
                self.decided_at = Some(at);
                self.decision_note = note;
            }
            LeaveMove::Withdraw => self.status = LeaveStatus::Withdrawn,
            LeaveMove::Close(returned) => {
                if returned <= self.from {
                    return Err(LeaveError::ReturnTooEarly);
                }
                self.status = LeaveStatus::Closed;
                self.returned = Some(returned);
            }
        }
        Ok(())
    }

    /// The worker's rota days that fall in this leave: approving it means
    /// someone else must take them.
    pub fn clashes(&self, slots: &[RotaSlot]) -> Vec<NaiveDate> {
        let mut v: Vec<NaiveDate> = slots
            .iter()
            .filter(|s| s.worker == Some(self.worker) && s.date >= self.from && s.date <= self.last_day())
            .map(|s| s.date)
            .collect();
        v.sort();
        v
    }

    pub fn year(&self) -> i32 {
        self.from.year()
    }
}

/// Whether `by` may approve or refuse `leave`: a 书记 or 主任 who is not the
/// worker on leave, unless they are the only leader in the office (a 书记
/// who is also 主任 (一肩挑) still gets their leave recorded; the street
/// office approves it on paper).
pub fn may_decide(by: &Worker, leave: &Leave, workers: &[Worker]) -> bool {
    by.is_leader() && (by.id != leave.worker || !workers.iter().any(|w| w.id != by.id && w.active && w.is_leader()))
}

/// Working days per kind of leave taken or approved in `year` by `worker`.
pub fn year_totals(leaves: &[Leave], worker: WorkerId, year: i32, cal: &WorkCalendar) -> Vec<(LeaveKind, u32)> {
    let mut out: Vec<(LeaveKind, u32)> = Vec::new();
    for l in
        leaves.iter().filter(|l| l.worker == worker && matches!(l.status, LeaveStatus::Approved | LeaveStatus::Closed))
    {
        let n = l.working_days_in(year, cal);
        if n == 0 {
            continue;
        }
        match out.iter_mut().find(|(k, _)| *k == l.kind) {
            Some((_, t)) => *t += n,
            None => out.push((l.kind, n)),
        }
    }
    out.sort_by_key(|(k, _)| LeaveKind::ALL.iter().position(|x| x == k));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn at(y: i32, m: u32, day: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(9, 0, 0).unwrap()
    }

    fn leave(from: NaiveDate, to: NaiveDate) -> Leave {
        Leave::new(LeaveId(1), WorkerId(3), LeaveKind::Annual, from, to, "回老家", at(2025, 9, 20))
    }

    #[test]
    fn leave_is_counted_in_working_days() {
        let cal = WorkCalendar::builtin();
        // Mon 29 Sep – Sun 12 Oct 2025 over National Day: 9/29, 9/30, 10/9,
        // 10/10, 10/11 (a make-up Saturday) = 5 working days.
        let l = leave(d(2025, 9, 29), d(2025, 10, 12));
        assert_eq!(l.working_days(&cal), 5);
        // A plain week is five days; a weekend alone is none.
        assert_eq!(leave(d(2026, 11, 23), d(2026, 11, 29)).working_days(&cal), 5);
        assert_eq!(leave(d(2026, 11, 28), d(2026, 11, 29)).working_days(&cal), 0);
        // Across New Year: counted in each year.
        let ny = leave(d(2025, 12, 29), d(2026, 1, 9));
        assert_eq!(ny.working_days_in(2025, &cal), 3);
        assert_eq!(ny.working_days_in(2026, &cal), ny.working_days(&cal) - 3);
    }

    #[test]
    fn requested_approved_closed_early_counts_what_was_taken() {
        let cal = WorkCalendar::builtin();
        let mut l = leave(d(2026, 11, 23), d(2026, 11, 27));
        assert!(!l.keeps_away(d(2026, 11, 24)), "not approved yet");
        assert_eq!(
            l.apply(LeaveMove::Close(d(2026, 11, 25)), WorkerId(1), at(2026, 11, 25)),
            Err(LeaveError::NotAllowed)
        );
        l.apply(LeaveMove::Approve("同意".into()), WorkerId(1), at(2026, 11, 20)).unwrap();
        assert!(l.keeps_away(d(2026, 11, 24)));
        assert_eq!(l.decided_by, Some(WorkerId(1)));
        assert_eq!(
            l.apply(LeaveMove::Close(d(2026, 11, 23)), WorkerId(3), at(2026, 11, 23)),
            Err(LeaveError::ReturnTooEarly)
        );
        // back on Wednesday: two days taken
        l.apply(LeaveMove::Close(d(2026, 11, 25)), WorkerId(3), at(2026, 11, 25)).unwrap();
        assert_eq!(l.status, LeaveStatus::Closed);
        assert_eq!(l.working_days(&cal), 2);
        assert!(l.keeps_away(d(2026, 11, 24)) && !l.keeps_away(d(2026, 11, 25)));
        assert_eq!(l.overstayed(&cal), 0);
        assert!(l.allowed().is_empty());
    }

    #[test]
    fn coming_back_late_is_overstaying() {
        let cal = WorkCalendar::builtin();
        let mut l = leave(d(2026, 11, 16), d(2026, 11, 20));
        l.apply(LeaveMove::Approve(String::new()), WorkerId(1), at(2026, 11, 13)).unwrap();
        l.apply(LeaveMove::Close(d(2026, 11, 25)), WorkerId(3), at(2026, 11, 25)).unwrap();
        assert_eq!(l.working_days(&cal), 5, "only the approved days count as leave");
        assert_eq!(l.overstayed(&cal), 2, "Mon 23 and Tue 24");
    }

    #[test]
    fn only_a_leader_other_than_the_worker_decides() {
        let mut shuji = Worker::new(WorkerId(1), "王书记", "书记");
        let zhuren = Worker::new(WorkerId(2), "李主任", "主任");
        let grid = Worker::new(WorkerId(3), "张网格", "网格员");
        let office = vec![shuji.clone(), zhuren.clone(), grid.clone()];
        let l = leave(d(2026, 11, 23), d(2026, 11, 24));
        assert!(may_decide(&shuji, &l, &office));
        assert!(!may_decide(&grid, &l, &office));
        let mut own = l.clone();
        own.worker = WorkerId(1);
        assert!(!may_decide(&shuji, &own, &office), "not one's own leave");
        assert!(may_decide(&zhuren, &own, &office));
        // a lone leader (书记 and 主任 in one person) may record their own
        shuji.post = "书记".into();
        assert!(may_decide(&shuji, &own, &[shuji.clone(), grid]));
    }

    #[test]
    fn overlapping_or_reversed_requests_are_refused() {
        let a = leave(d(2026, 11, 23), d(2026, 11, 27));
        let mut b = leave(d(2026, 11, 27), d(2026, 12, 2));
        b.id = LeaveId(2);
        assert_eq!(b.validate(std::slice::from_ref(&a)), Err(LeaveError::Overlap));
        let mut refused = a.clone();
        refused.status = LeaveStatus::Refused;
        assert_eq!(b.validate(&[refused]), Ok(()));
        assert_eq!(leave(d(2026, 11, 27), d(2026, 11, 23)).validate(&[]), Err(LeaveError::Reversed));
    }

    #[test]
    fn approving_flags_the_workers_rota_days() {
        let l = leave(d(2026, 11, 23), d(2026, 11, 27));
        let slots = [
            RotaSlot::new(d(2026, 11, 24), Some(WorkerId(3))),
            RotaSlot::new(d(2026, 11, 25), Some(WorkerId(4))),
            RotaSlot::new(d(2026, 11, 30), Some(WorkerId(3))),
            RotaSlot::new(d(2026, 11, 27), Some(WorkerId(3))),
        ];
        assert_eq!(l.clashes(&slots), vec![d(2026, 11, 24), d(2026, 11, 27)]);
    }

    #[test]
    fn year_totals_sum_by_kind() {
        let cal = WorkCalendar::builtin();
        let mut a = leave(d(2026, 3, 2), d(2026, 3, 6));
        a.status = LeaveStatus::Approved;
        let mut b = leave(d(2026, 6, 1), d(2026, 6, 2));
        b.kind = LeaveKind::Sick;
        b.status = LeaveStatus::Closed;
        let mut c = leave(d(2026, 7, 1), d(2026, 7, 3));
        c.status = LeaveStatus::Refused;
        assert_eq!(
            year_totals(&[a, b, c], WorkerId(3), 2026, &cal),
            vec![(LeaveKind::Sick, 2), (LeaveKind::Annual, 5)]
        );
    }
}
