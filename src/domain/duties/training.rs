//! Training and study (教育培训): workers must attend at least 7 days of
//! training a year (the number is the office's setting) and the street
//! office's study session every month (每月至少一次政治理论和业务学习).
//!
//! Days are kept in half days. A worker is *behind* on training when they
//! have fewer days than the share of the year that has passed asks for, and
//! behind on study when a month that is over had no session.

use super::TrainingId;
use crate::domain::WorkerId;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TrainingKind {
    /// 培训: counts towards the training days.
    Training,
    /// 学习: the monthly study session.
    Study,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Training {
    pub id: TrainingId,
    pub worker: WorkerId,
    #[serde(with = "crate::domain::stored_time::date")]
    pub date: NaiveDate,
    pub kind: TrainingKind,
    pub title: String,
    /// Length in half days (a study session is usually 1).
    pub half_days: u32,
    /// Who ran it (区民政局, 街道党工委 …).
    pub organizer: String,
}

/// One worker's standing for a year on `today`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub year: i32,
    pub half_days: u32,
    pub required_half_days: u32,
    /// What the passed share of the year asks for by now.
    pub expected_half_days: u32,
    /// Months (1–12) with a study session.
    pub study_months: Vec<u32>,
    /// Months that are over and had none.
    pub missing_months: Vec<u32>,
    /// Whether the current month (of this year) has had its session yet.
    pub studied_this_month: bool,
}

impl Progress {
    pub fn behind_training(&self) -> bool {
        self.half_days < self.expected_half_days
    }

    pub fn behind_study(&self) -> bool {
        !self.missing_months.is_empty()
    }

    pub fn behind(&self) -> bool {
        self.behind_training() || self.behind_study()
    }

    pub fn training_done(&self) -> bool {
        self.half_days >= self.required_half_days
    }
}

/// Progress of the records `of_worker` (already one worker's) in `year`.
/// Only the months from `since` on are judged (the worker's start, or
/// the day the office began keeping its records in linli): a new office
/// is not told it missed the study sessions of months before it began.
pub fn progress<'a>(
    of_worker: impl IntoIterator<Item = &'a Training>,
    year: i32,
    today: NaiveDate,
    required_days: u32,
    since: NaiveDate,
) -> Progress {
    let mut half_days = 0;
    let mut months = [false; 13];
    for t in of_worker.into_iter().filter(|t| t.date.year() == year && t.date <= today) {
        match t.kind {
            TrainingKind::Training => half_days += t.half_days,
            TrainingKind::Study => months[t.date.month() as usize] = true,
        }
    }
    // months fully over in `year` as of today
    let over = match today.year().cmp(&year) {
        std::cmp::Ordering::Less => 0,
        std::cmp::Ordering::Equal => today.month() - 1,
        std::cmp::Ordering::Greater => 12,
    };
    // the first month judged: the one `since` falls in when it is its
    // first day, else the month after
    let first = match since.year().cmp(&year) {
        std::cmp::Ordering::Less => 1,
        std::cmp::Ordering::Equal => since.month() + u32::from(since.day() > 1),
        std::cmp::Ordering::Greater => 13,
    };
    let judged = over.saturating_sub(first.saturating_sub(1));
    let required = required_days * 2;
    Progress {
        year,
        half_days,
        required_half_days: required,
        expected_half_days: required * judged / 12,
        study_months: (1..=12).filter(|m| months[*m as usize]).collect(),
        missing_months: (first..=over).filter(|m| !months[*m as usize]).collect(),
        studied_this_month: today.year() == year && months[today.month() as usize],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long_ago() -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()
    }

    #[test]
    fn months_before_the_office_began_are_not_missed() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let new_office = progress(&[], 2026, today, 7, today);
        assert!(!new_office.behind(), "{new_office:?}");
        let began = NaiveDate::from_ymd_opt(2026, 9, 10).unwrap();
        let p = progress(&[], 2026, today, 7, began);
        assert_eq!(p.missing_months, vec![10], "September began mid-month, October was missed");
        assert_eq!(p.expected_half_days, 14 / 12);
        let p = progress(&[], 2026, today, 7, NaiveDate::from_ymd_opt(2026, 9, 1).unwrap());
        assert_eq!(p.missing_months, vec![9, 10]);
    }

    fn rec(m: u32, day: u32, kind: TrainingKind, half_days: u32) -> Training {
        Training {
            id: TrainingId(0),
            worker: WorkerId(1),
            date: NaiveDate::from_ymd_opt(2026, m, day).unwrap(),
            kind,
            title: "网格化管理培训".into(),
            half_days,
            organizer: "区民政局".into(),
        }
    }

    #[test]
    fn training_days_are_measured_against_the_share_of_the_year() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let recs = [rec(3, 10, TrainingKind::Training, 4), rec(6, 2, TrainingKind::Training, 3)];
        let p = progress(&recs, 2026, today, 7, long_ago());
        assert_eq!(p.half_days, 7);
        assert_eq!(p.required_half_days, 14);
        // ten months over: 14 * 10 / 12 = 11 half days expected by now
        assert_eq!(p.expected_half_days, 11);
        assert!(p.behind_training() && !p.training_done());
        let more = [rec(3, 10, TrainingKind::Training, 12)];
        assert!(!progress(&more, 2026, today, 7, long_ago()).behind_training());
        // a record dated after today (typed ahead) does not count yet
        let ahead = [rec(12, 1, TrainingKind::Training, 14)];
        assert_eq!(progress(&ahead, 2026, today, 7, long_ago()).half_days, 0);
    }

    #[test]
    fn a_month_without_study_is_missing_once_it_is_over() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let recs = [rec(1, 15, TrainingKind::Study, 1), rec(3, 5, TrainingKind::Study, 1)];
        let p = progress(&recs, 2026, today, 7, long_ago());
        assert_eq!(p.study_months, vec![1, 3]);
        assert_eq!(p.missing_months, vec![2]);
        assert!(p.studied_this_month && p.behind_study());
        // a past year is judged whole, a future one not at all
        let past = progress(&recs, 2026, NaiveDate::from_ymd_opt(2027, 1, 5).unwrap(), 7, long_ago());
        assert_eq!(past.missing_months.len(), 10);
        assert_eq!(past.expected_half_days, 14);
        let future = progress(&recs, 2027, today, 7, long_ago());
        assert!(!future.behind());
    }
}
