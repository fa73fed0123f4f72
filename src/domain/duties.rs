//! Each worker's duties (职责): what they are responsible for and what is
//! due, and the office's records behind the duties board.
//!
//! * [`standing`]: standing duties (常规职责) that recur every week or month,
//!   e.g. visiting every elderly resident living alone in a grid, and who has
//!   not been visited yet this period.
//! * [`task`]: one-off tasks (临时任务) with a due date.
//! * [`rota`]: the duty rota (值班表): fair generation over working days,
//!   swaps and conflicts.
//! * [`leave`]: leave (请销假), counted in working days, approved by the
//!   书记 or 主任, closed on return.
//! * [`log`]: the daily log (民情日志) with a leader's comments (点评).
//! * [`training`]: training days and the monthly study session.
//! * [`evaluation`]: the yearly three-part evaluation (考评) and its weights.
//! * [`board`]: one worker's board, overdue items first.
//! * [`settings`]: the office-editable `duties.txt` and `grades.txt`.
//!
//! As everywhere in `domain`, nothing reads the clock: "today" comes in.

pub mod board;
pub mod evaluation;
pub mod leave;
pub mod log;
pub mod rota;
pub mod settings;
pub mod standing;
pub mod task;
pub mod training;

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$m:meta])* $name:ident),* $(,)?) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub struct $name(pub u64);
    )*};
}

id_type!(
    /// A standing duty.
    DutyId,
    /// A one-off task.
    TaskId,
    /// A leave request.
    LeaveId,
    /// A daily-log entry.
    LogId,
    /// A training or study attendance record.
    TrainingId,
);

/// Monday and Sunday of the week `d` is in (Chinese offices count weeks
/// from Monday).
pub fn week_bounds(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = d - Days::new(u64::from(d.weekday().num_days_from_monday()));
    (monday, monday + Days::new(6))
}

/// The first and last day of a month; `None` for a month that does not
/// exist.
pub fn month_bounds(year: i32, month: u32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some((first, next.pred_opt()?))
}

/// `(year, month)` moved by `delta` months.
pub fn add_months(year: i32, month: u32, delta: i32) -> (i32, u32) {
    let idx = year * 12 + month as i32 - 1 + delta;
    (idx.div_euclid(12), idx.rem_euclid(12) as u32 + 1)
}

/// Half days as the office writes them: `3`, `3.5`, `0.5`.
pub fn half_days_text(half: u32) -> String {
    if half.is_multiple_of(2) { (half / 2).to_string() } else { format!("{}.5", half / 2) }
}

/// Reads `3`, `3.5`, `0.5`, `半` (half a day) or `半天` as half days.
pub fn parse_half_days(s: &str) -> Option<u32> {
    let s = crate::domain::text::number_text(s);
    let s = s.trim_end_matches('天').trim();
    if s == "半" {
        return Some(1);
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    let whole: u32 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let half = match frac.trim_end_matches('0') {
        "" => 0,
        "5" => 1,
        _ => return None,
    };
    let total = whole.checked_mul(2)? + half;
    (total > 0 && total <= 2 * 366).then_some(total)
}

/// A score in tenths (`925`) as `92.5`.
pub fn tenths_text(t: u16) -> String {
    if t.is_multiple_of(10) { (t / 10).to_string() } else { format!("{}.{}", t / 10, t % 10) }
}

/// Reads a score of 0–100 with at most one decimal (`92.5`) as tenths.
pub fn parse_tenths(s: &str) -> Option<u16> {
    let s = crate::domain::text::number_text(s);
    let s = s.trim_end_matches('分').trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let whole: u16 = whole.parse().ok()?;
    let frac: u16 = match frac {
        "" => 0,
        f if f.len() == 1 => f.parse().ok()?,
        _ => return None,
    };
    let t = whole.checked_mul(10)?.checked_add(frac)?;
    (t <= 1000).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weeks_start_on_monday_and_months_end_right() {
        assert_eq!(week_bounds(d(2026, 11, 24)), (d(2026, 11, 23), d(2026, 11, 29)));
        assert_eq!(week_bounds(d(2026, 11, 29)), (d(2026, 11, 23), d(2026, 11, 29)));
        assert_eq!(week_bounds(d(2026, 11, 30)).0, d(2026, 11, 30));
        assert_eq!(month_bounds(2028, 2), Some((d(2028, 2, 1), d(2028, 2, 29))));
        assert_eq!(month_bounds(2026, 12), Some((d(2026, 12, 1), d(2026, 12, 31))));
        assert_eq!(month_bounds(2026, 13), None);
        assert_eq!(add_months(2026, 11, 2), (2027, 1));
        assert_eq!(add_months(2026, 1, -1), (2025, 12));
        assert_eq!(add_months(2026, 1, -13), (2024, 12));
    }

    #[test]
    fn half_days_and_scores_round_trip() {
        assert_eq!(parse_half_days("3.5"), Some(7));
        assert_eq!(parse_half_days("半天"), Some(1));
        assert_eq!(parse_half_days("2"), Some(4));
        assert_eq!(parse_half_days("0"), None);
        assert_eq!(parse_half_days("1.25"), None);
        assert_eq!(parse_half_days("１．５"), Some(3), "full-width from an IME");
        assert_eq!(parse_half_days("１。５天"), Some(3), "the IME's 。 for the . key");
        assert_eq!(half_days_text(7), "3.5");
        assert_eq!(half_days_text(4), "2");
        assert_eq!(parse_tenths("92.5"), Some(925));
        assert_eq!(parse_tenths("100"), Some(1000));
        assert_eq!(parse_tenths("100.1"), None);
        assert_eq!(parse_tenths("９２．５"), Some(925));
        assert_eq!(parse_tenths("９２。５分"), Some(925));
        assert_eq!(parse_tenths("9.25"), None);
        assert_eq!(tenths_text(925), "92.5");
        assert_eq!(tenths_text(880), "88");
    }
}
