//! The office's work calendar: which days are working days.
//!
//! Deadlines for residents' requests and the length of a worker's leave are
//! counted in *working days* (工作日), and in China those are not simply
//! Monday to Friday: the State Council General Office publishes each year
//! which weekdays are public holidays (休) and which weekend days become
//! make-up working days (调休上班, 班). That list changes every year, so it
//! lives in a plain text file, `data/calendar.txt`, that office staff can edit
//! in Notepad; a copy is compiled into the program ([`BUILTIN_TEXT`]).
//!
//! # File format
//!
//! UTF-8 (a leading BOM and CRLF line endings are fine). `#` (or the
//! full-width `＃`) starts a comment, whole-line or trailing; blank lines are
//! ignored. Every other line is `DATE KIND [NAME]`:
//!
//! * `DATE` is `YYYY-MM-DD` (month and day may have one digit) or an
//!   inclusive range `YYYY-MM-DD..YYYY-MM-DD` of at most
//!   [`MAX_RANGE_DAYS`] days.
//! * `KIND` is `休` / `off` (a day off) or `班` / `work` (a working day). The
//!   space between the date and a Chinese kind may be left out
//!   (`2025-01-01休元旦`).
//! * `NAME` is optional free text, shown by [`WorkCalendar::holiday_name`].
//!
//! Days that are not listed follow the week: Monday–Friday work,
//! Saturday/Sunday off.
//!
//! Decisions for lines that are odd but not wrong: a `班` on a weekday or a
//! `休` on a weekend changes nothing about the day's kind and is accepted (the
//! name still shows). The same date listed twice with the same kind is
//! accepted (a later non-empty name replaces the earlier one); listed once as
//! `休` and once as `班` it is an error ([`CalendarError::Conflict`]), because
//! one of the two lines is surely a typo.
//!
//! # Bounds
//!
//! No function here can loop for long or overflow: counting spans is done
//! arithmetically (whole weeks, then the listed days inside the span), and
//! [`WorkCalendar::add_working_days`] looks at most [`MAX_SCAN_DAYS`] days
//! ahead, so even a calendar with no working days at all returns promptly.

use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

/// The calendar file shipped with the program.
pub const BUILTIN_TEXT: &str = include_str!("../../data/calendar.txt");

/// The longest range one line may cover, in days (inclusive).
pub const MAX_RANGE_DAYS: i64 = 31;

/// How many days [`WorkCalendar::add_working_days`] looks ahead at most
/// (about ten years).
pub const MAX_SCAN_DAYS: u32 = 3660;

/// Whether people come to work on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    Working,
    Off,
}

/// Weekends plus the dates listed in a calendar file.
///
/// `Default` is the plain calendar: Monday–Friday working, nothing listed.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    /// Listed dates: their kind and the (possibly empty) name from the file.
    overrides: BTreeMap<NaiveDate, (DayKind, String)>,
}

/// The first thing wrong in a calendar file. `line` is 1-based, `text` is the
/// offending piece of the line as written.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CalendarError {
    #[error("line {line}: invalid date \"{text}\" (expected YYYY-MM-DD)")]
    BadDate { line: usize, text: String },
    #[error("line {line}: unknown day kind \"{text}\" (expected 休/off or 班/work)")]
    BadKind { line: usize, text: String },
    #[error("line {line}: no day kind after \"{text}\" (expected 休/off or 班/work)")]
    MissingKind { line: usize, text: String },
    #[error("line {line}: date range \"{text}\" ends before it starts")]
    ReversedRange { line: usize, text: String },
    #[error("line {line}: date range \"{text}\" is longer than {MAX_RANGE_DAYS} days")]
    RangeTooLong { line: usize, text: String },
    #[error("line {line}: date \"{text}\" is listed as both 休 and 班 (see also line {first_line})")]
    Conflict { line: usize, text: String, first_line: usize },
}

impl CalendarError {
    /// The 1-based line number the error is on.
    pub fn line(&self) -> usize {
        match self {
            CalendarError::BadDate { line, .. }
            | CalendarError::BadKind { line, .. }
            | CalendarError::MissingKind { line, .. }
            | CalendarError::ReversedRange { line, .. }
            | CalendarError::RangeTooLong { line, .. }
            | CalendarError::Conflict { line, .. } => *line,
        }
    }

    /// The same message in Chinese, for the office staff.
    pub fn message_zh(&self) -> String {
        match self {
            CalendarError::BadDate { line, text } => {
                format!("第 {line} 行：日期“{text}”无效")
            }
            CalendarError::BadKind { line, text } => {
                format!("第 {line} 行：类型“{text}”无法识别，应为“休”或“班”")
            }
            CalendarError::MissingKind { line, text } => {
                format!("第 {line} 行：“{text}”后面缺少类型，应为“休”或“班”")
            }
            CalendarError::ReversedRange { line, text } => {
                format!("第 {line} 行：日期范围“{text}”的结束日期早于开始日期")
            }
            CalendarError::RangeTooLong { line, text } => {
                format!("第 {line} 行：日期范围“{text}”超过 {MAX_RANGE_DAYS} 天")
            }
            CalendarError::Conflict { line, text, first_line } => {
                format!("第 {line} 行：日期“{text}”与第 {first_line} 行冲突，不能既休又班")
            }
        }
    }
}

/// One parsed entry line.
struct Entry<'a> {
    start: NaiveDate,
    days: usize,
    kind: DayKind,
    name: &'a str,
}

fn is_weekend(w: Weekday) -> bool {
    matches!(w, Weekday::Sat | Weekday::Sun)
}

/// Strict `YYYY-MM-DD` (month and day may have one digit); `None` for
/// anything else, including dates that do not exist such as 2025-02-30.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let digits =
        |t: &str, min: usize, max: usize| (min..=max).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4, 4) && digits(m, 1, 2) && digits(d, 1, 2)) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn parse_kind(s: &str) -> Option<DayKind> {
    match s {
        "休" => Some(DayKind::Off),
        "班" => Some(DayKind::Working),
        _ if s.eq_ignore_ascii_case("off") => Some(DayKind::Off),
        _ if s.eq_ignore_ascii_case("work") => Some(DayKind::Working),
        _ => None,
    }
}

/// Parses one line; `Ok(None)` for blank and comment-only lines.
fn parse_line(raw: &str, line: usize) -> Result<Option<Entry<'_>>, CalendarError> {
    let body = match raw.find(['#', '＃']) {
        Some(i) => &raw[..i],
        None => raw,
    };
    let body = body.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if body.is_empty() {
        return Ok(None);
    }

    // The date part runs up to the first character that cannot be in a date,
    // so `2025-01-01休` works without a space.
    let date_end = body.find(|c: char| !(c.is_ascii_digit() || c == '-' || c == '.')).unwrap_or(body.len());
    let date_text = &body[..date_end];
    // `2025/01/01`: the date runs on into characters that are neither a
    // separator nor a kind, so the whole first word is what is wrong.
    let runs_on = body[date_end..].chars().next().is_some_and(|c| !c.is_whitespace() && c != '休' && c != '班');
    let bad_date = |text: &str| {
        let text = if text.is_empty() || runs_on {
            // Report the first word as written.
            body.split_whitespace().next().unwrap_or(body)
        } else {
            text
        };
        CalendarError::BadDate { line, text: text.to_string() }
    };
    let (start, end) = match date_text.split_once("..") {
        Some((a, b)) => {
            let start = parse_date(a).ok_or_else(|| bad_date(a))?;
            let end = parse_date(b).ok_or_else(|| bad_date(if b.is_empty() { date_text } else { b }))?;
            (start, end)
        }
        None => {
            let d = parse_date(date_text).ok_or_else(|| bad_date(date_text))?;
            (d, d)
        }
    };
    if end < start {
        return Err(CalendarError::ReversedRange { line, text: date_text.to_string() });
    }
    let span = end.signed_duration_since(start).num_days() + 1;
    if span > MAX_RANGE_DAYS {
        return Err(CalendarError::RangeTooLong { line, text: date_text.to_string() });
    }

    let rest = body[date_end..].trim_start();
    if rest.is_empty() {
        return Err(CalendarError::MissingKind { line, text: date_text.to_string() });
    }
    let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let word = &rest[..word_end];
    let (kind, name) = match parse_kind(word) {
        Some(kind) => (kind, &rest[word_end..]),
        // `休元旦`: a Chinese kind glued to the name.
        None => match rest.chars().next() {
            Some('休') => (DayKind::Off, &rest['休'.len_utf8()..]),
            Some('班') => (DayKind::Working, &rest['班'.len_utf8()..]),
            _ => {
                return Err(CalendarError::BadKind { line, text: word.to_string() });
            }
        },
    };
    Ok(Some(Entry {
        start,
        // `span` is 1..=MAX_RANGE_DAYS here.
        days: usize::try_from(span).unwrap_or(1),
        kind,
        name: name.trim(),
    }))
}

impl WorkCalendar {
    /// Parses a whole calendar file; stops at the first bad line.
    pub fn parse(text: &str) -> Result<Self, CalendarError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut overrides: BTreeMap<NaiveDate, (DayKind, String)> = BTreeMap::new();
        // For each listed date, the line that listed it (for conflict reports).
        let mut listed_on: BTreeMap<NaiveDate, usize> = BTreeMap::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let Some(entry) = parse_line(raw, line)? else {
                continue;
            };
            for day in entry.start.iter_days().take(entry.days) {
                match overrides.get_mut(&day) {
                    Some((kind, _)) if *kind != entry.kind => {
                        return Err(CalendarError::Conflict {
                            line,
                            text: day.format("%Y-%m-%d").to_string(),
                            first_line: listed_on.get(&day).copied().unwrap_or(line),
                        });
                    }
                    Some((_, name)) => {
                        if !entry.name.is_empty() {
                            *name = entry.name.to_string();
                        }
                    }
                    None => {
                        overrides.insert(day, (entry.kind, entry.name.to_string()));
                        listed_on.insert(day, line);
                    }
                }
            }
        }
        Ok(WorkCalendar { overrides })
    }

    /// The calendar shipped with the program ([`BUILTIN_TEXT`]). Should that
    /// file ever fail to parse, this falls back to plain weekends rather than
    /// panicking; a test makes sure it parses.
    pub fn builtin() -> Self {
        Self::parse(BUILTIN_TEXT).unwrap_or_default()
    }

    /// Whether `d` is a working day or a day off.
    pub fn kind(&self, d: NaiveDate) -> DayKind {
        match self.overrides.get(&d) {
            Some((kind, _)) => *kind,
            None if is_weekend(d.weekday()) => DayKind::Off,
            None => DayKind::Working,
        }
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        self.kind(d) == DayKind::Working
    }

    /// The name given in the file for `d` (e.g. `春节`, or `春节调休` on a
    /// make-up working day), if `d` is listed with a name. Use [`Self::kind`]
    /// to tell a holiday from a make-up working day.
    pub fn holiday_name(&self, d: NaiveDate) -> Option<&str> {
        self.overrides.get(&d).map(|(_, name)| name.as_str()).filter(|name| !name.is_empty())
    }

    /// The due date of something logged on `start` with a limit of `n`
    /// working days: the n-th working day strictly after `start` (`n = 0`
    /// returns `start` itself). Logged Friday 2025-01-24 with `n = 1`, it is
    /// due Sunday 2025-01-26, a make-up working day.
    ///
    /// Looks at most [`MAX_SCAN_DAYS`] days ahead; if the n-th working day is
    /// not within that (only for an absurd `n` or a calendar with hardly any
    /// working days) it returns the last day looked at, far in the future.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return start;
        }
        let mut day = start;
        let mut found = 0u32;
        for _ in 0..MAX_SCAN_DAYS {
            let Some(next) = day.succ_opt() else { break };
            day = next;
            if self.is_working_day(day) {
                found += 1;
                if found == n {
                    break;
                }
            }
        }
        day
    }

    /// Working days in the inclusive span `[from, to]`; 0 if `to < from`.
    /// Used for leave. Exact for any span: whole weeks are counted
    /// arithmetically, then corrected by the listed dates inside the span.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        if to < from {
            return 0;
        }
        let total = to.signed_duration_since(from).num_days() + 1;
        let mut count = total / 7 * 5;
        // The leftover days start on the same weekday as `from`.
        let mut weekday = from.weekday();
        for _ in 0..total % 7 {
            if !is_weekend(weekday) {
                count += 1;
            }
            weekday = weekday.succ();
        }
        for (day, (kind, _)) in self.overrides.range(from..=to) {
            match (kind, is_weekend(day.weekday())) {
                (DayKind::Working, true) => count += 1,
                (DayKind::Off, false) => count -= 1,
                _ => {}
            }
        }
        u32::try_from(count.max(0)).unwrap_or(u32::MAX)
    }

    /// Working days from `today` until `due`:
    ///
    /// * `due` after `today`: the working days in `(today, due]`, so that
    ///   `working_days_until(d, add_working_days(d, n)) == n`. This is 0 if
    ///   no working day comes before `due` (e.g. today Friday, due Sunday) —
    ///   in working-day terms it must be done today.
    /// * `due == today`: 0, due today.
    /// * `due` before `today`: negative, minus the working days in
    ///   `(due, today]`, but at least -1: once the due date has passed the
    ///   result is negative even if only a weekend has gone by.
    pub fn working_days_until(&self, today: NaiveDate, due: NaiveDate) -> i64 {
        if due > today {
            today.succ_opt().map_or(0, |from| i64::from(self.working_days_between(from, due)))
        } else if due == today {
            0
        } else {
            let overdue = due.succ_opt().map_or(0, |from| i64::from(self.working_days_between(from, today)));
            -overdue.max(1)
        }
    }

    /// The years from the first to the last listed date, or `None` if nothing
    /// is listed. The UI warns when today's year is outside this; see also
    /// [`Self::covers_year`] for gaps inside the range.
    pub fn covered_years(&self) -> Option<RangeInclusive<i32>> {
        let (first, _) = self.overrides.first_key_value()?;
        let (last, _) = self.overrides.last_key_value()?;
        Some(first.year()..=last.year())
    }

    /// Whether any date in `year` is listed.
    pub fn covers_year(&self, year: i32) -> bool {
        let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
        else {
            return false;
        };
        self.overrides.range(first..=last).next().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::parse(BUILTIN_TEXT).expect("shipped calendar parses")
    }

    /// Every day of `year` whose kind differs from the plain week, as
    /// (weekdays off, weekend days worked), formatted MM-DD.
    fn deviations(c: &WorkCalendar, year: i32) -> (Vec<String>, Vec<String>) {
        let mut off = Vec::new();
        let mut work = Vec::new();
        for day in d(year, 1, 1).iter_days().take_while(|x| x.year() == year) {
            let weekend = is_weekend(day.weekday());
            match (c.kind(day), weekend) {
                (DayKind::Off, false) => off.push(day.format("%m-%d").to_string()),
                (DayKind::Working, true) => work.push(day.format("%m-%d").to_string()),
                _ => {}
            }
        }
        (off, work)
    }

    fn brute_between(c: &WorkCalendar, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days().take_while(|x| *x <= to).filter(|x| c.is_working_day(*x)).count() as u32
    }

    #[test]
    fn plain_weekends_without_a_file() {
        let c = WorkCalendar::default();
        // 2025-03-03 is a Monday.
        for i in 0..5 {
            assert_eq!(c.kind(d(2025, 3, 3 + i)), DayKind::Working);
        }
        assert_eq!(c.kind(d(2025, 3, 8)), DayKind::Off);
        assert_eq!(c.kind(d(2025, 3, 9)), DayKind::Off);
        assert!(c.holiday_name(d(2025, 3, 8)).is_none());
        assert_eq!(c.covered_years(), None);
        assert_eq!(c.add_working_days(d(2025, 3, 7), 1), d(2025, 3, 10));
    }

    #[test]
    fn spring_festival_2025_and_its_make_up_days() {
        let c = cal();
        for day in d(2025, 1, 28).iter_days().take(8) {
            assert_eq!(c.kind(day), DayKind::Off, "{day}");
            assert_eq!(c.holiday_name(day), Some("春节"));
        }
        // 班: Sunday 1/26 and Saturday 2/8.
        assert!(c.is_working_day(d(2025, 1, 26)));
        assert!(c.is_working_day(d(2025, 2, 8)));
        assert_eq!(c.holiday_name(d(2025, 1, 26)), Some("春节调休"));
        // Around it, the plain week.
        assert!(c.is_working_day(d(2025, 1, 27)));
        assert!(c.is_working_day(d(2025, 2, 5)));
        assert!(!c.is_working_day(d(2025, 1, 25)));
        assert!(!c.is_working_day(d(2025, 2, 9)));
        assert!(c.holiday_name(d(2025, 2, 5)).is_none());
    }

    #[test]
    fn shipped_2025_and_2026_match_the_official_notices() {
        let c = cal();
        let (off, work) = deviations(&c, 2025);
        assert_eq!(
            off,
            [
                "01-01", "01-28", "01-29", "01-30", "01-31", "02-03", "02-04", "04-04", "05-01", "05-02", "05-05",
                "06-02", "10-01", "10-02", "10-03", "10-06", "10-07", "10-08"
            ]
        );
        assert_eq!(work, ["01-26", "02-08", "04-27", "09-28", "10-11"]);
        let (off, work) = deviations(&c, 2026);
        assert_eq!(
            off,
            [
                "01-01", "01-02", "02-16", "02-17", "02-18", "02-19", "02-20", "02-23", "04-06", "05-01", "05-04",
                "05-05", "06-19", "09-25", "10-01", "10-02", "10-05", "10-06", "10-07"
            ]
        );
        assert_eq!(work, ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]);
    }

    #[test]
    fn provisional_2027_has_no_invented_make_up_days() {
        let c = cal();
        let (off, work) = deviations(&c, 2027);
        assert_eq!(off, ["01-01", "02-05", "02-08", "04-05", "06-09", "09-15", "10-01"]);
        assert!(work.is_empty());
        assert!(c.holiday_name(d(2027, 2, 6)).is_some_and(|n| n.contains("春节")));
    }

    #[test]
    fn builtin_parses_and_covers_2025_to_2027() {
        assert!(WorkCalendar::parse(BUILTIN_TEXT).is_ok());
        let c = WorkCalendar::builtin();
        assert_eq!(c.covered_years(), Some(2025..=2027));
        assert!(c.covers_year(2025) && c.covers_year(2026) && c.covers_year(2027));
        assert!(!c.covers_year(2024) && !c.covers_year(2028));
    }

    #[test]
    fn add_working_days_counts_strictly_after_start() {
        let c = cal();
        // The example from the spec: Friday before the Spring Festival.
        assert_eq!(c.add_working_days(d(2025, 1, 24), 1), d(2025, 1, 26));
        assert_eq!(c.add_working_days(d(2025, 1, 24), 2), d(2025, 1, 27));
        assert_eq!(c.add_working_days(d(2025, 1, 24), 3), d(2025, 2, 5));
        // n = 0 is the start itself, even on a holiday.
        assert_eq!(c.add_working_days(d(2025, 1, 29), 0), d(2025, 1, 29));
        // Logged on a holiday: the first working day after it.
        assert_eq!(c.add_working_days(d(2025, 1, 29), 1), d(2025, 2, 5));
    }

    #[test]
    fn add_working_days_across_national_day_2025() {
        let c = cal();
        // Friday 9/26 → Sunday 9/28 is 班.
        assert_eq!(c.add_working_days(d(2025, 9, 26), 1), d(2025, 9, 28));
        // Tuesday 9/30 → 10/1–10/8 off, Thu 10/9, Fri 10/10, Sat 10/11 班, Mon 10/13.
        assert_eq!(c.add_working_days(d(2025, 9, 30), 1), d(2025, 10, 9));
        assert_eq!(c.add_working_days(d(2025, 9, 30), 2), d(2025, 10, 10));
        assert_eq!(c.add_working_days(d(2025, 9, 30), 3), d(2025, 10, 11));
        assert_eq!(c.add_working_days(d(2025, 9, 30), 4), d(2025, 10, 13));
        // A 15-working-day limit from 9/22: 9/23-26 (4), 9/28 (5), 9/29-30 (7),
        // 10/9-11 (10), 10/13-17 (15).
        assert_eq!(c.add_working_days(d(2025, 9, 22), 15), d(2025, 10, 17));
    }

    #[test]
    fn working_days_between_a_leave_span_over_labour_day() {
        let c = cal();
        // Mon 4/28 – Fri 5/9 2025: 4/28-30 (3) + 5/6-9 (4); 5/1-5 off.
        assert_eq!(c.working_days_between(d(2025, 4, 28), d(2025, 5, 9)), 7);
        // Starting Saturday 4/26 takes in Sunday 4/27, a 班 day.
        assert_eq!(c.working_days_between(d(2025, 4, 26), d(2025, 5, 6)), 5);
        // One day, a holiday, a reversed span.
        assert_eq!(c.working_days_between(d(2025, 4, 28), d(2025, 4, 28)), 1);
        assert_eq!(c.working_days_between(d(2025, 5, 1), d(2025, 5, 1)), 0);
        assert_eq!(c.working_days_between(d(2025, 5, 9), d(2025, 4, 28)), 0);
        // Whole years: 261 weekdays - weekday holidays + make-up days,
        // 261 - 18 + 5 in 2025 and 261 - 19 + 6 in 2026.
        assert_eq!(c.working_days_between(d(2025, 1, 1), d(2025, 12, 31)), 248);
        assert_eq!(c.working_days_between(d(2026, 1, 1), d(2026, 12, 31)), 248);
    }

    #[test]
    fn working_days_between_agrees_with_counting_day_by_day() {
        let c = cal();
        for from in d(2025, 12, 20).iter_days().take(80) {
            for len in 0..45 {
                let to = from + chrono::Days::new(len);
                assert_eq!(c.working_days_between(from, to), brute_between(&c, from, to), "{from}..={to}");
            }
        }
    }

    #[test]
    fn working_days_until_positive_zero_negative() {
        let c = cal();
        // Logged Mon 2025-03-03 with 3 working days: due Thu 3/6.
        let due = c.add_working_days(d(2025, 3, 3), 3);
        assert_eq!(due, d(2025, 3, 6));
        assert_eq!(c.working_days_until(d(2025, 3, 3), due), 3);
        assert_eq!(c.working_days_until(d(2025, 3, 5), due), 1);
        assert_eq!(c.working_days_until(due, due), 0);
        assert_eq!(c.working_days_until(d(2025, 3, 7), due), -1);
        assert_eq!(c.working_days_until(d(2025, 3, 10), due), -2);
        // Due Friday, today Saturday: overdue although no working day passed.
        assert_eq!(c.working_days_until(d(2025, 3, 8), d(2025, 3, 7)), -1);
        // Today Friday, due Sunday: no working day left, so 0.
        assert_eq!(c.working_days_until(d(2025, 3, 7), d(2025, 3, 9)), 0);
        // Across the Spring Festival: from 1/27 to 2/5 only 2/5 works.
        assert_eq!(c.working_days_until(d(2025, 1, 27), d(2025, 2, 5)), 1);
        assert_eq!(c.working_days_until(d(2025, 2, 5), d(2025, 1, 27)), -1);
    }

    #[test]
    fn working_days_until_inverts_add_working_days() {
        let c = cal();
        for start in d(2025, 9, 15).iter_days().take(40) {
            for n in 0..25 {
                let due = c.add_working_days(start, n);
                assert_eq!(c.working_days_until(start, due), i64::from(n), "{start} + {n}");
            }
        }
    }

    #[test]
    fn parse_accepts_ranges_aliases_names_and_comments() {
        let text = "# header\n\
                    \n\
                    2025-01-01 休 元旦  # trailing comment\n\
                    2025-01-26   work\n\
                    2025-5-1..2025-5-5\tOFF\t劳动 节\n\
                    2025-10-01休国庆节 ＃ full-width comment\n\
                    2025-10-11班\n\
                    \u{3000}# indented comment with an ideographic space\n";
        let c = WorkCalendar::parse(text).expect("parses");
        assert_eq!(c.holiday_name(d(2025, 1, 1)), Some("元旦"));
        assert_eq!(c.kind(d(2025, 1, 26)), DayKind::Working);
        assert_eq!(c.holiday_name(d(2025, 1, 26)), None);
        for day in 1..=5 {
            assert_eq!(c.kind(d(2025, 5, day)), DayKind::Off);
            assert_eq!(c.holiday_name(d(2025, 5, day)), Some("劳动 节"));
        }
        assert_eq!(c.holiday_name(d(2025, 10, 1)), Some("国庆节"));
        assert_eq!(c.kind(d(2025, 10, 11)), DayKind::Working);
        assert_eq!(c.covered_years(), Some(2025..=2025));
    }

    #[test]
    fn parse_accepts_bom_and_crlf() {
        let text = "\u{feff}# 日历\r\n2025-01-01 休 元旦\r\n\r\n2025-01-26 班 春节调休\r\n";
        let c = WorkCalendar::parse(text).expect("parses");
        assert_eq!(c.holiday_name(d(2025, 1, 1)), Some("元旦"));
        assert_eq!(c.holiday_name(d(2025, 1, 26)), Some("春节调休"));
        assert!(c.is_working_day(d(2025, 1, 26)));
        // A BOM in front of the first entry line, too.
        let c = WorkCalendar::parse("\u{feff}2025-01-01 休\r\n").expect("parses");
        assert_eq!(c.kind(d(2025, 1, 1)), DayKind::Off);
    }

    #[test]
    fn harmless_lines_are_accepted() {
        // 班 on a weekday, 休 on a weekend, the same day twice with one kind.
        let text = "2025-03-05 班 多余\n2025-04-05 休 清明节\n2025-04-04..2025-04-06 休\n";
        let c = WorkCalendar::parse(text).expect("parses");
        assert!(c.is_working_day(d(2025, 3, 5)));
        assert_eq!(c.kind(d(2025, 4, 5)), DayKind::Off);
        // The later line had no name, so the earlier one stays.
        assert_eq!(c.holiday_name(d(2025, 4, 5)), Some("清明节"));
        assert_eq!(c.kind(d(2025, 4, 4)), DayKind::Off);
    }

    #[test]
    fn parse_errors_name_the_line_and_the_text() {
        let bad = |text: &str| WorkCalendar::parse(text).expect_err("must fail");
        let head = "# 注释\n2025-01-01 休 元旦\n";

        let e = bad(&format!("{head}2025-02-30 休\n"));
        assert_eq!(e, CalendarError::BadDate { line: 3, text: "2025-02-30".into() });
        assert_eq!(e.line(), 3);
        assert_eq!(e.message_zh(), "第 3 行：日期“2025-02-30”无效");
        assert_eq!(e.to_string(), "line 3: invalid date \"2025-02-30\" (expected YYYY-MM-DD)");

        let e = bad(&format!("{head}2025-10-01 假 国庆\n"));
        assert_eq!(e, CalendarError::BadKind { line: 3, text: "假".into() });
        assert!(e.message_zh().starts_with("第 3 行："));

        assert_eq!(
            bad("2025-10-08..2025-10-01 休\n"),
            CalendarError::ReversedRange { line: 1, text: "2025-10-08..2025-10-01".into() }
        );
        assert_eq!(
            bad("\n2025-01-01..2025-02-01 休\n"),
            CalendarError::RangeTooLong { line: 2, text: "2025-01-01..2025-02-01".into() }
        );
        // 31 days is still fine.
        assert!(WorkCalendar::parse("2025-01-01..2025-01-31 休\n").is_ok());
        assert_eq!(bad("hello world\n"), CalendarError::BadDate { line: 1, text: "hello".into() });
        assert_eq!(bad("2025/01/01 休\n"), CalendarError::BadDate { line: 1, text: "2025/01/01".into() });
        assert_eq!(bad("2025-02-30休春节\n"), CalendarError::BadDate { line: 1, text: "2025-02-30".into() });
        assert_eq!(
            bad("2025-01-01..2025/01/05 休\n"),
            CalendarError::BadDate { line: 1, text: "2025-01-01..2025/01/05".into() }
        );
        assert_eq!(bad("2025-01-01x 休\n"), CalendarError::BadKind { line: 1, text: "x".into() });
        assert_eq!(bad("20250101 休\n"), CalendarError::BadDate { line: 1, text: "20250101".into() });
        assert_eq!(bad("2025-01-01..2025-13-01 休\n"), CalendarError::BadDate { line: 1, text: "2025-13-01".into() });
        assert_eq!(bad("2025-01-01.. 休\n"), CalendarError::BadDate { line: 1, text: "2025-01-01..".into() });
        assert_eq!(
            bad("2025-01-01   # kind forgotten\n"),
            CalendarError::MissingKind { line: 1, text: "2025-01-01".into() }
        );
        let e = bad("2025-10-01..2025-10-08 休\n\n2025-10-08 班\n");
        assert_eq!(e, CalendarError::Conflict { line: 3, text: "2025-10-08".into(), first_line: 1 });
        assert_eq!(e.message_zh(), "第 3 行：日期“2025-10-08”与第 1 行冲突，不能既休又班");
    }

    #[test]
    fn every_error_has_both_messages() {
        let errors = [
            "2025-02-30 休",
            "2025-01-01 x",
            "2025-01-01",
            "2025-01-02..2025-01-01 休",
            "2025-01-01..2025-03-01 休",
            "2025-01-01 休\n2025-01-01 班",
        ];
        for text in errors {
            let e = WorkCalendar::parse(text).expect_err(text);
            assert!(e.to_string().starts_with("line "), "{e}");
            assert!(e.message_zh().starts_with("第 "), "{}", e.message_zh());
            assert!(e.message_zh().contains(" 行："), "{}", e.message_zh());
        }
    }

    #[test]
    fn a_calendar_without_working_days_does_not_hang() {
        // Every day from 2025 to 2036 off: more than MAX_SCAN_DAYS.
        let mut text = String::new();
        let mut day = d(2025, 1, 1);
        while day.year() < 2037 {
            let end = day + chrono::Days::new(30);
            text.push_str(&format!("{day}..{end} 休\n"));
            day = end + chrono::Days::new(1);
        }
        let c = WorkCalendar::parse(&text).expect("parses");
        let start = d(2025, 1, 1);
        let due = c.add_working_days(start, 1);
        assert_eq!(due, start + chrono::Days::new(u64::from(MAX_SCAN_DAYS)));
        assert!(!c.is_working_day(due));
        assert_eq!(c.working_days_between(start, d(2036, 12, 31)), 0);
        assert_eq!(c.working_days_until(start, d(2030, 1, 1)), 0);
        assert_eq!(c.working_days_until(d(2030, 1, 1), start), -1);
    }

    #[test]
    fn extreme_inputs_neither_panic_nor_overflow() {
        let c = cal();
        let (min, max) = (NaiveDate::MIN, NaiveDate::MAX);
        assert_eq!(c.add_working_days(max, 5), max);
        assert_eq!(c.add_working_days(d(2025, 1, 1), u32::MAX), d(2025, 1, 1) + chrono::Days::new(3660));
        let all = c.working_days_between(min, max);
        assert!(all > 0);
        assert!(c.working_days_until(min, max) > 0);
        assert!(c.working_days_until(max, min) < 0);
    }
}
