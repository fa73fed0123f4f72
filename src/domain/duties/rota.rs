//! The duty rota (值班表): who is on duty in the office on which day.
//!
//! One slot per day (the `shift` number leaves room for a second shift
//! later). A slot's key is its date, `yyyymmdd * 10 + shift`, so the store
//! keeps slots in date order and a month is a key range.
//!
//! # Generating a month fairly
//!
//! [`duty_days`] gives the days that need someone: working days per the
//! work calendar (so public holidays are skipped and make-up working days
//! (调休上班) included), or every day when the office's setting says so.
//! [`generate`] then walks the days in order and gives each to the
//! available worker with the least *credit*, where a shift earns a worker
//! `n` credit (`n` = number of workers) and a day on approved leave earns
//! them 1, i.e. their fair share of that day. Ties go to whoever served
//! longest ago, then to the order of the list. So:
//!
//! * with nobody on leave the counts differ by at most one (it is a plain
//!   rotation), and that also holds among the workers who were never on
//!   leave when others were;
//! * a worker back from leave is not handed a run of catch-up shifts;
//! * a day on which everybody is on leave is left vacant and reported.

use super::leave::Leave;
use crate::domain::{WorkCalendar, Worker, WorkerId};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RotaSlot {
    #[serde(with = "crate::domain::stored_time::date")]
    pub date: NaiveDate,
    pub shift: u8,
    /// `None`: nobody (a vacant day, reported as a conflict).
    pub worker: Option<WorkerId>,
    pub note: String,
}

/// The store key of a day's slot.
pub fn slot_key(date: NaiveDate, shift: u8) -> u64 {
    let ymd = date.year().max(0) as u64 * 10_000 + u64::from(date.month()) * 100 + u64::from(date.day());
    ymd * 10 + u64::from(shift % 10)
}

impl RotaSlot {
    pub fn new(date: NaiveDate, worker: Option<WorkerId>) -> RotaSlot {
        RotaSlot { date, shift: 0, worker, note: String::new() }
    }

    pub fn key(&self) -> u64 {
        slot_key(self.date, self.shift)
    }
}

/// The days in `[from, to]` that need someone on duty.
pub fn duty_days(from: NaiveDate, to: NaiveDate, cal: &WorkCalendar, include_off_days: bool) -> Vec<NaiveDate> {
    from.iter_days().take_while(|d| *d <= to).filter(|d| include_off_days || cal.is_working_day(*d)).collect()
}

/// Assigns `days` (in order) to `workers`; see the module docs. `on_leave`
/// says whether a worker is away on a day; `last_served` carries the
/// rotation on from earlier months (who served longest ago goes first).
pub fn generate(
    days: &[NaiveDate],
    workers: &[WorkerId],
    on_leave: impl Fn(WorkerId, NaiveDate) -> bool,
    last_served: &HashMap<WorkerId, NaiveDate>,
) -> Vec<RotaSlot> {
    let n = workers.len() as u64;
    let mut credit: Vec<u64> = vec![0; workers.len()];
    let mut last: Vec<Option<NaiveDate>> = workers.iter().map(|w| last_served.get(w).copied()).collect();
    let mut out = Vec::with_capacity(days.len());
    for &day in days {
        let mut best: Option<usize> = None;
        for (i, w) in workers.iter().enumerate() {
            if on_leave(*w, day) {
                continue;
            }
            let better = match best {
                None => true,
                // None (never served) sorts before any date
                Some(b) => (credit[i], last[i]) < (credit[b], last[b]),
            };
            if better {
                best = Some(i);
            }
        }
        for (i, w) in workers.iter().enumerate() {
            if on_leave(*w, day) {
                credit[i] += 1;
            }
        }
        if let Some(b) = best {
            credit[b] += n;
            last[b] = Some(day);
        }
        out.push(RotaSlot::new(day, best.map(|b| workers[b])));
    }
    out
}

/// Shifts per worker among `slots`.
pub fn counts(slots: &[RotaSlot]) -> HashMap<WorkerId, u32> {
    let mut c = HashMap::new();
    for s in slots {
        if let Some(w) = s.worker {
            *c.entry(w).or_insert(0) += 1;
        }
    }
    c
}

/// Something wrong with the rota that the office should fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// The worker on duty is on approved leave that day.
    OnLeave { date: NaiveDate, worker: WorkerId },
    /// A day that needs someone has nobody.
    Vacant { date: NaiveDate },
    /// The worker on duty has left, is seconded or off sick.
    NotServing { date: NaiveDate, worker: WorkerId },
}

impl Conflict {
    pub fn date(&self) -> NaiveDate {
        match self {
            Conflict::OnLeave { date, .. } | Conflict::Vacant { date } | Conflict::NotServing { date, .. } => *date,
        }
    }
}

/// The conflicts in `slots` (any order) against `needed` days, approved
/// leave, and the workers' status. Sorted by date.
pub fn conflicts(slots: &[RotaSlot], needed: &[NaiveDate], leaves: &[Leave], workers: &[Worker]) -> Vec<Conflict> {
    let mut out = Vec::new();
    let by_day: HashMap<NaiveDate, &RotaSlot> = slots.iter().map(|s| (s.date, s)).collect();
    for d in needed {
        if by_day.get(d).is_none_or(|s| s.worker.is_none()) {
            out.push(Conflict::Vacant { date: *d });
        }
    }
    for s in slots {
        let Some(w) = s.worker else { continue };
        if leaves.iter().any(|l| l.worker == w && l.keeps_away(s.date)) {
            out.push(Conflict::OnLeave { date: s.date, worker: w });
        }
        if workers.iter().find(|x| x.id == w).is_some_and(|x| !x.status.takes_rota()) {
            out.push(Conflict::NotServing { date: s.date, worker: w });
        }
    }
    out.sort_by_key(Conflict::date);
    out
}

/// Swaps who is on duty in two slots.
pub fn swap(a: &mut RotaSlot, b: &mut RotaSlot) {
    std::mem::swap(&mut a.worker, &mut b.worker);
}

#[cfg(test)]
mod tests {
    use super::super::LeaveId;
    use super::super::leave::{LeaveKind, LeaveStatus};
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn ws(n: u64) -> Vec<WorkerId> {
        (1..=n).map(WorkerId).collect()
    }

    fn spread(slots: &[RotaSlot], among: &[WorkerId]) -> (u32, u32) {
        let c = counts(slots);
        let v: Vec<u32> = among.iter().map(|w| c.get(w).copied().unwrap_or(0)).collect();
        (*v.iter().min().unwrap(), *v.iter().max().unwrap())
    }

    fn approved(worker: u64, from: NaiveDate, to: NaiveDate) -> Leave {
        let mut l = Leave::new(
            LeaveId(worker),
            WorkerId(worker),
            LeaveKind::Personal,
            from,
            to,
            "",
            from.and_hms_opt(9, 0, 0).unwrap(),
        );
        l.status = LeaveStatus::Approved;
        l
    }

    #[test]
    fn slot_keys_sort_by_date() {
        assert_eq!(slot_key(d(2026, 11, 24), 0), 202_611_240);
        assert!(slot_key(d(2026, 12, 31), 0) < slot_key(d(2027, 1, 1), 0));
        assert!(slot_key(d(2026, 1, 9), 0) < slot_key(d(2026, 1, 10), 0));
    }

    #[test]
    fn duty_days_skip_weekends_and_holidays_but_keep_make_up_days() {
        let cal = WorkCalendar::builtin();
        // October 2025: National Day 10/1–10/8 off, Sat 9/28 and Sat 10/11 are 班.
        let days = duty_days(d(2025, 10, 1), d(2025, 10, 31), &cal, false);
        assert!(!days.contains(&d(2025, 10, 1)) && !days.contains(&d(2025, 10, 8)));
        assert!(days.contains(&d(2025, 10, 9)));
        assert!(days.contains(&d(2025, 10, 11)), "the make-up Saturday needs someone");
        assert!(!days.contains(&d(2025, 10, 12)), "an ordinary Sunday does not");
        assert_eq!(days.len() as u32, cal.working_days_between(d(2025, 10, 1), d(2025, 10, 31)));
        // By setting, every day.
        assert_eq!(duty_days(d(2025, 10, 1), d(2025, 10, 31), &cal, true).len(), 31);
    }

    #[test]
    fn without_leave_it_is_a_fair_rotation() {
        let cal = WorkCalendar::builtin();
        for n in 1..=9 {
            let days = duty_days(d(2026, 1, 1), d(2026, 3, 31), &cal, false);
            let slots = generate(&days, &ws(n), |_, _| false, &HashMap::new());
            assert_eq!(slots.len(), days.len());
            assert!(slots.iter().all(|s| s.worker.is_some()));
            let (lo, hi) = spread(&slots, &ws(n));
            assert!(hi - lo <= 1, "{n} workers: {lo}..{hi}");
            // nobody twice in a row when there are others
            if n > 1 {
                assert!(slots.windows(2).all(|p| p[0].worker != p[1].worker));
            }
        }
    }

    #[test]
    fn nobody_is_on_duty_while_on_leave_and_the_rest_stay_fair() {
        let cal = WorkCalendar::builtin();
        let days = duty_days(d(2026, 11, 1), d(2026, 11, 30), &cal, false);
        let leaves = [approved(2, d(2026, 11, 9), d(2026, 11, 20)), approved(5, d(2026, 11, 23), d(2026, 11, 30))];
        let away = |w: WorkerId, day: NaiveDate| leaves.iter().any(|l| l.worker == w && l.keeps_away(day));
        let slots = generate(&days, &ws(6), away, &HashMap::new());
        for s in &slots {
            let w = s.worker.expect("someone is always available");
            assert!(!away(w, s.date), "{w:?} on leave on {}", s.date);
        }
        let (lo, hi) = spread(&slots, &[WorkerId(1), WorkerId(3), WorkerId(4), WorkerId(6)]);
        assert!(hi - lo <= 1, "never-away workers {lo}..{hi}");
        // the worker back from leave is not given a run of shifts
        let back: Vec<&RotaSlot> = slots.iter().filter(|s| s.date > d(2026, 11, 20)).collect();
        assert!(back.windows(2).all(|p| !(p[0].worker == Some(WorkerId(2)) && p[1].worker == Some(WorkerId(2)))));
        assert!(conflicts(&slots, &days, &leaves, &[]).is_empty());
    }

    #[test]
    fn everybody_away_leaves_the_day_vacant_and_reported() {
        let days = [d(2026, 11, 24), d(2026, 11, 25)];
        let slots = generate(&days, &ws(2), |_, day| day == d(2026, 11, 24), &HashMap::new());
        assert_eq!(slots[0].worker, None);
        assert!(slots[1].worker.is_some());
        assert_eq!(conflicts(&slots, &days, &[], &[]), vec![Conflict::Vacant { date: d(2026, 11, 24) }]);
        assert_eq!(generate(&days, &[], |_, _| false, &HashMap::new())[0].worker, None);
    }

    #[test]
    fn the_rotation_carries_on_from_last_month() {
        let days = [d(2026, 12, 1), d(2026, 12, 2), d(2026, 12, 3)];
        let last: HashMap<WorkerId, NaiveDate> =
            [(WorkerId(1), d(2026, 11, 30)), (WorkerId(2), d(2026, 11, 26)), (WorkerId(3), d(2026, 11, 27))].into();
        let slots = generate(&days, &ws(3), |_, _| false, &last);
        let order: Vec<_> = slots.iter().map(|s| s.worker.unwrap().0).collect();
        assert_eq!(order, vec![2, 3, 1]);
    }

    #[test]
    fn conflicts_flag_leave_and_status_and_swap_fixes_them() {
        let mut a = RotaSlot::new(d(2026, 11, 25), Some(WorkerId(1)));
        let mut b = RotaSlot::new(d(2026, 11, 26), Some(WorkerId(2)));
        let leaves = [approved(1, d(2026, 11, 25), d(2026, 11, 25))];
        let mut left = Worker::new(WorkerId(2), "王五", "网格员");
        left.set_status(crate::domain::worker::WorkerStatus::Left);
        let found = conflicts(&[a.clone(), b.clone()], &[a.date, b.date], &leaves, &[left.clone()]);
        assert_eq!(
            found,
            vec![
                Conflict::OnLeave { date: d(2026, 11, 25), worker: WorkerId(1) },
                Conflict::NotServing { date: d(2026, 11, 26), worker: WorkerId(2) }
            ]
        );
        swap(&mut a, &mut b);
        assert_eq!((a.worker, b.worker), (Some(WorkerId(2)), Some(WorkerId(1))));
        // a refused or pending leave is no conflict
        let mut pending = approved(1, b.date, b.date);
        pending.status = LeaveStatus::Requested;
        assert!(conflicts(&[b.clone()], &[], &[pending], &[]).is_empty());
    }
}
