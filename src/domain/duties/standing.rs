//! Standing duties (常规职责): things a worker does every week or month.
//!
//! A duty may cover residents: "visit every elderly resident living alone in
//! grid 3 each week" covers the residents tagged 独居老人 in 第3网格. A
//! resident counts as visited in the current period when a daily-log entry
//! of kind 走访 in that period lists them, whoever wrote it (the resident
//! was seen).

use super::{DutyId, month_bounds, week_bounds};
use crate::domain::{Resident, ResidentId, WorkerId};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Period {
    Weekly,
    Monthly,
}

impl Period {
    pub const ALL: [Period; 2] = [Period::Weekly, Period::Monthly];

    /// The current period containing `today`, inclusive.
    pub fn bounds(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        match self {
            Period::Weekly => week_bounds(today),
            Period::Monthly => month_bounds(today.year(), today.month()).unwrap_or((today, today)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duty {
    pub id: DutyId,
    pub worker: WorkerId,
    /// 每周走访第3网格独居老人
    pub title: String,
    pub period: Period,
    /// Residents with this tag are covered (e.g. 独居老人); empty for a duty
    /// that covers no residents (每周一主持工作例会).
    pub tag: String,
    /// … living in this grid; empty for the whole community.
    pub grid: String,
    pub active: bool,
    #[serde(with = "crate::domain::stored_time::date")]
    pub since: NaiveDate,
}

impl Duty {
    pub fn covers_residents(&self) -> bool {
        !self.tag.is_empty()
    }

    /// Whether a resident is one this duty covers.
    pub fn covers(&self, r: &Resident) -> bool {
        self.covers_place(&r.grid, r.tags.iter().map(String::as_str))
    }

    /// Whether a resident living in `grid` with `tags` is one this duty
    /// covers: for callers that keep only these parts of a resident (the
    /// duties board reads them from the residents' search keys).
    pub fn covers_place<'a>(&self, grid: &str, mut tags: impl Iterator<Item = &'a str>) -> bool {
        self.covers_residents() && (self.grid.is_empty() || grid == self.grid) && tags.any(|t| t == self.tag)
    }
}

/// How a duty stands this period: for each covered resident, the last 走访
/// in the period (if any). Not yet visited come first, then by name order
/// as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitStatus {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub residents: Vec<(ResidentId, Option<NaiveDate>)>,
}

impl VisitStatus {
    pub fn visited(&self) -> usize {
        self.residents.iter().filter(|(_, v)| v.is_some()).count()
    }

    pub fn not_visited(&self) -> impl Iterator<Item = ResidentId> + '_ {
        self.residents.iter().filter(|(_, v)| v.is_none()).map(|(id, _)| *id)
    }

    pub fn done(&self) -> bool {
        self.residents.iter().all(|(_, v)| v.is_some())
    }
}

/// The visit status of `covered` residents for the period of `period` that
/// contains `today`, given visits as (resident, date) pairs (any dates: those
/// outside the period, or after today, are ignored).
pub fn visit_status(
    period: Period,
    today: NaiveDate,
    covered: &[ResidentId],
    visits: impl IntoIterator<Item = (ResidentId, NaiveDate)>,
) -> VisitStatus {
    let (from, to) = period.bounds(today);
    let mut last: HashMap<ResidentId, NaiveDate> = HashMap::new();
    for (r, d) in visits {
        if d >= from && d <= to.min(today) {
            let e = last.entry(r).or_insert(d);
            *e = (*e).max(d);
        }
    }
    let mut residents: Vec<(ResidentId, Option<NaiveDate>)> =
        covered.iter().map(|r| (*r, last.get(r).copied())).collect();
    // stable: keeps the given order within each group
    residents.sort_by_key(|(_, v)| v.is_some());
    VisitStatus { from, to, residents }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn duty(tag: &str, grid: &str) -> Duty {
        Duty {
            id: DutyId(1),
            worker: WorkerId(1),
            title: "每周走访独居老人".into(),
            period: Period::Weekly,
            tag: tag.into(),
            grid: grid.into(),
            active: true,
            since: d(1, 1),
        }
    }

    #[test]
    fn a_duty_covers_tagged_residents_of_its_grid() {
        let mut r = Resident::new(ResidentId(1), "张三");
        r.tags = vec!["独居老人".into()];
        r.grid = "第3网格".into();
        assert!(duty("独居老人", "第3网格").covers(&r));
        assert!(duty("独居老人", "").covers(&r));
        assert!(!duty("独居老人", "第4网格").covers(&r));
        assert!(!duty("低保户", "第3网格").covers(&r));
        assert!(!duty("", "第3网格").covers(&r));
    }

    #[test]
    fn a_duty_covers_a_place_by_grid_and_whole_tags() {
        let d = duty("独居老人", "第3网格");
        assert!(d.covers_place("第3网格", ["低保户", "独居老人"].into_iter()));
        assert!(!d.covers_place("第4网格", ["独居老人"].into_iter()));
        assert!(!d.covers_place("第3网格", std::iter::empty()));
        // a whole tag, not a part of one
        assert!(!d.covers_place("第3网格", ["独居老人、低保户", "老人"].into_iter()));
        assert!(duty("独居老人", "").covers_place("", ["独居老人"].into_iter()));
        assert!(!duty("", "第3网格").covers_place("第3网格", [""].into_iter()));
        // `covers` says the same of a whole resident
        let mut r = Resident::new(ResidentId(1), "张三");
        r.grid = "第3网格".into();
        r.tags = vec!["低保户".into(), "独居老人".into()];
        assert_eq!(d.covers(&r), d.covers_place(&r.grid, r.tags.iter().map(String::as_str)));
        assert!(d.covers(&r));
    }

    #[test]
    fn weekly_visit_status_counts_only_this_week_up_to_today() {
        // Tuesday 24 Nov 2026: the week is Mon 23 – Sun 29 Nov.
        let today = d(11, 24);
        let covered = [ResidentId(1), ResidentId(2), ResidentId(3), ResidentId(4)];
        let visits = [
            (ResidentId(1), d(11, 23)), // this week
            (ResidentId(2), d(11, 20)), // last week: does not count
            (ResidentId(3), d(11, 24)), // today
            (ResidentId(3), d(11, 23)), // twice: the last one is kept
            (ResidentId(4), d(11, 26)), // later this week, not yet: a typo
            (ResidentId(9), d(11, 24)), // not covered
        ];
        let s = visit_status(Period::Weekly, today, &covered, visits);
        assert_eq!((s.from, s.to), (d(11, 23), d(11, 29)));
        assert_eq!(s.visited(), 2);
        assert_eq!(s.not_visited().collect::<Vec<_>>(), vec![ResidentId(2), ResidentId(4)]);
        assert_eq!(s.residents[2], (ResidentId(1), Some(d(11, 23))));
        assert_eq!(s.residents[3], (ResidentId(3), Some(d(11, 24))));
        assert!(!s.done());
        // On Monday of the next week everybody is due again.
        let s = visit_status(Period::Weekly, d(11, 30), &covered, visits);
        assert_eq!(s.visited(), 0);
    }

    #[test]
    fn monthly_visit_status_uses_the_calendar_month() {
        let covered = [ResidentId(1), ResidentId(2)];
        let visits = [(ResidentId(1), d(11, 2)), (ResidentId(2), d(10, 31))];
        let s = visit_status(Period::Monthly, d(11, 24), &covered, visits);
        assert_eq!((s.from, s.to), (d(11, 1), d(11, 30)));
        assert_eq!(s.visited(), 1);
        let all =
            visit_status(Period::Monthly, d(11, 24), &covered, [(ResidentId(2), d(11, 3)), (ResidentId(1), d(11, 4))]);
        assert!(all.done());
        assert!(visit_status(Period::Weekly, d(11, 24), &[], []).done());
    }
}
