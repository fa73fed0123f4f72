//! The office at a glance (概览): the requests' figures kept up to date one
//! request at a time, like the roster's hours totals (`volunteer::Totals`),
//! so that the overview never scans the records. The requests index applies
//! each row's [`Fact`] as it changes (`apply(old, new)`); a recount from the
//! records ([`RequestFigures::from_facts`]) gives the same figures, which
//! the tests check after saves, undos and a restore.
//!
//! The month of a request is the month it was logged (as in the monthly
//! report): its resolution, timeliness and callback count for that month's
//! intake, so this screen and the report agree.

use crate::domain::WorkerId;
use crate::domain::request::{Satisfaction, Status};
use crate::domain::volunteer::{Ym, ym};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What one request adds to the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fact {
    pub logged: NaiveDate,
    /// The category's number in the requests index.
    pub category: u16,
    pub status: Status,
    /// Resolved on or before its due date (and resolved or later now).
    pub on_time: bool,
    pub satisfaction: Option<Satisfaction>,
    pub assignee: Option<WorkerId>,
    pub due: NaiveDate,
}

/// Resolved (or later) on or before its due date, by the last resolution
/// in its timeline (as the monthly report counts it).
pub fn on_time(r: &crate::domain::request::Request) -> bool {
    use crate::domain::request::{MoveKind, NoteKind};
    done(r.status)
        && r.notes
            .iter()
            .rev()
            .find(|n| matches!(n.kind, NoteKind::Moved { kind: MoveKind::Resolve, .. }))
            .is_some_and(|n| n.at.date() <= r.due)
}

/// Resolved, called back or closed: what the report counts as resolved.
pub fn done(s: Status) -> bool {
    matches!(s, Status::Resolved | Status::CalledBack | Status::Closed)
}

/// One month's intake and what became of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthFigures {
    pub logged: u32,
    pub resolved: u32,
    pub on_time: u32,
    /// 满意, 基本满意, 不满意 (in [`Satisfaction::ALL`] order).
    pub satisfaction: [u32; 3],
    /// By category number.
    pub by_category: BTreeMap<u16, u32>,
}

impl MonthFigures {
    pub fn called_back(&self) -> u32 {
        self.satisfaction.iter().sum()
    }

    /// On time of resolved, per mille (`None` when none resolved).
    pub fn on_time_permille(&self) -> Option<u32> {
        (self.resolved > 0).then(|| (u64::from(self.on_time) * 1000 / u64::from(self.resolved)) as u32)
    }

    /// Satisfied or basically satisfied of called back, per mille.
    pub fn satisfied_permille(&self) -> Option<u32> {
        let n = self.called_back();
        (n > 0).then(|| (u64::from(self.satisfaction[0] + self.satisfaction[1]) * 1000 / u64::from(n)) as u32)
    }
}

fn sat_index(s: Satisfaction) -> usize {
    Satisfaction::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

/// Every figure of the overview that rests on the requests (saved with
/// the requests index: counting them was a part of loading it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestFigures {
    months: BTreeMap<Ym, MonthFigures>,
    /// Open requests by assignee (`None`: nobody yet) and due date.
    open_due: BTreeMap<Option<WorkerId>, BTreeMap<NaiveDate, u32>>,
}

/// A worker's open requests against today.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Due {
    pub overdue: u32,
    /// Due from today to the next working day (the list's "due soon").
    pub soon: u32,
    pub open: u32,
}

impl RequestFigures {
    pub fn from_facts(facts: impl IntoIterator<Item = Fact>) -> RequestFigures {
        let mut f = RequestFigures::default();
        for x in facts {
            f.apply(None, Some(&x));
        }
        f
    }

    /// One request changed from `old` to `new` (`None`: not there).
    pub fn apply(&mut self, old: Option<&Fact>, new: Option<&Fact>) {
        if let Some(o) = old {
            self.add(o, false);
        }
        if let Some(n) = new {
            self.add(n, true);
        }
    }

    fn add(&mut self, f: &Fact, plus: bool) {
        let step = |v: &mut u32| *v = if plus { v.saturating_add(1) } else { v.saturating_sub(1) };
        if f.status.is_open() {
            let by = self.open_due.entry(f.assignee).or_default();
            step(by.entry(f.due).or_default());
            if by.get(&f.due) == Some(&0) {
                by.remove(&f.due);
            }
            if by.is_empty() {
                self.open_due.remove(&f.assignee);
            }
        }
        // a repeat merged into an earlier request (并单) is that one's
        if f.status == Status::Merged {
            return;
        }
        let m = ym(f.logged);
        let mf = self.months.entry(m).or_default();
        step(&mut mf.logged);
        let c = mf.by_category.entry(f.category).or_default();
        step(c);
        if *c == 0 {
            mf.by_category.remove(&f.category);
        }
        if done(f.status) {
            step(&mut mf.resolved);
            if f.on_time {
                step(&mut mf.on_time);
            }
        }
        if let Some(s) = f.satisfaction {
            step(&mut mf.satisfaction[sat_index(s)]);
        }
        if mf.logged == 0 {
            self.months.remove(&m);
        }
    }

    pub fn month(&self, m: Ym) -> MonthFigures {
        self.months.get(&m).cloned().unwrap_or_default()
    }

    /// Months `from..=to` with their figures (empty months included).
    pub fn months(&self, from: Ym, to: Ym) -> Vec<(Ym, MonthFigures)> {
        let mut out = Vec::new();
        let mut m = from;
        while m <= to && out.len() < 240 {
            out.push((m, self.month(m)));
            m = next_ym(m);
        }
        out
    }

    /// Each assignee's open requests against `today` (due soon up to and
    /// with `soon`), those with any open request only.
    pub fn due(&self, today: NaiveDate, soon: NaiveDate) -> Vec<(Option<WorkerId>, Due)> {
        self.open_due
            .iter()
            .map(|(w, by)| {
                let overdue = by.range(..today).map(|(_, n)| *n).sum();
                let due_soon = if soon >= today { by.range(today..=soon).map(|(_, n)| *n).sum() } else { 0 };
                (*w, Due { overdue, soon: due_soon, open: by.values().sum() })
            })
            .collect()
    }
}

/// The month after `m` (202612 → 202701).
pub fn next_ym(m: Ym) -> Ym {
    if m % 100 >= 12 { (m / 100 + 1) * 100 + 1 } else { m + 1 }
}

/// `n` months back from `m` (`back(202603, 3)` is 202512).
pub fn back(mut m: Ym, n: u32) -> Ym {
    for _ in 0..n {
        m = crate::domain::volunteer::prev_ym(m);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn fact(logged: NaiveDate, status: Status, sat: Option<Satisfaction>, w: u64, due: NaiveDate) -> Fact {
        Fact { logged, category: 1, status, on_time: done(status), satisfaction: sat, assignee: Some(WorkerId(w)), due }
    }

    #[test]
    fn a_request_moves_between_the_figures_and_leaves_nothing_behind() {
        let logged = fact(d(3, 2), Status::Assigned, None, 1, d(3, 9));
        let mut f = RequestFigures::from_facts([logged]);
        let m = f.month(202603);
        assert_eq!((m.logged, m.resolved, m.called_back()), (1, 0, 0));
        assert_eq!(f.due(d(3, 10), d(3, 11)), vec![(Some(WorkerId(1)), Due { overdue: 1, soon: 0, open: 1 })]);
        assert_eq!(f.due(d(3, 9), d(3, 10)), vec![(Some(WorkerId(1)), Due { overdue: 0, soon: 1, open: 1 })]);
        let called = fact(d(3, 2), Status::CalledBack, Some(Satisfaction::Basic), 1, d(3, 9));
        f.apply(Some(&logged), Some(&called));
        let m = f.month(202603);
        assert_eq!((m.resolved, m.on_time, m.satisfaction), (1, 1, [0, 1, 0]));
        assert_eq!(m.on_time_permille(), Some(1000));
        assert!(f.due(d(3, 10), d(3, 11)).is_empty(), "closed requests are due nowhere");
        f.apply(Some(&called), None);
        assert_eq!(f, RequestFigures::default());
    }

    #[test]
    fn a_merged_repeat_is_no_request_of_its_own() {
        let f = RequestFigures::from_facts([fact(d(1, 5), Status::Merged, None, 1, d(1, 9))]);
        assert_eq!(f.month(202601).logged, 0);
    }

    #[test]
    fn months_step_over_the_year() {
        assert_eq!(next_ym(202612), 202701);
        assert_eq!(back(202603, 3), 202512);
        let f = RequestFigures::default();
        let ms: Vec<Ym> = f.months(202511, 202602).into_iter().map(|(m, _)| m).collect();
        assert_eq!(ms, vec![202511, 202512, 202601, 202602]);
    }
}
