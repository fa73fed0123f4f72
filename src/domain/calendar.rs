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
//! A line `YYYY 预估` (or `YYYY provisional`) marks a year whose lines are an
//! estimate (the State Council has not published it yet); so does a name
//! containing 预估 (older files said so only in the names). See
//! [`WorkCalendar::year_status`]: the screens mark dates in such a year, or
//! in a year the file does not list at all, 预估, and warn.
//!
//! # Upgrades
//!
//! The office keeps its own copy of the file. [`merge_shipped`] brings a
//! newer program's calendar into it year by year: a year the office never
//! edited is replaced or added, a year it edited is kept and reported.
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
use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;

/// The calendar file shipped with the program.
pub const BUILTIN_TEXT: &str = include_str!("../../data/calendar.txt");

/// Calendar files shipped by earlier versions, oldest first: a year of an
/// office's copy that still reads as one of these was never edited by the
/// office, so [`merge_shipped`] may replace it. Append the old text here
/// whenever `data/calendar.txt` changes.
pub const EARLIER_BUILTIN: &[&str] = &[include_str!("../../data/calendar-1.txt")];

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

/// How far a year of the calendar can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearStatus {
    /// Listed from the State Council's notice (or the office's own lines).
    Official,
    /// Listed, but marked as an estimate (预估).
    Provisional,
    /// Nothing listed: only weekends count as days off.
    Missing,
}

/// Weekends plus the dates listed in a calendar file.
///
/// `Default` is the plain calendar: Monday–Friday working, nothing listed.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    /// Listed dates: their kind and the (possibly empty) name from the file.
    overrides: BTreeMap<NaiveDate, (DayKind, String)>,
    /// Years marked as estimates (`2027 预估`, or a name with 预估).
    provisional: BTreeSet<i32>,
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

/// What a line that is not blank says.
enum Line<'a> {
    Days(Entry<'a>),
    /// `2027 预估`: that year is an estimate.
    Provisional(i32),
}

/// Words that mark a year, or a day's name, as an estimate.
const PROVISIONAL_WORDS: [&str; 2] = ["预估", "provisional"];

fn is_provisional_word(s: &str) -> bool {
    PROVISIONAL_WORDS.iter().any(|w| s.eq_ignore_ascii_case(w))
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
fn parse_line(raw: &str, line: usize) -> Result<Option<Line<'_>>, CalendarError> {
    let body = match raw.find(['#', '＃']) {
        Some(i) => &raw[..i],
        None => raw,
    };
    let body = body.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if body.is_empty() {
        return Ok(None);
    }
    // `2027 预估`
    let mut words = body.split_whitespace();
    if let (Some(y), Some(w), None) = (words.next(), words.next(), words.next())
        && y.len() == 4
        && y.bytes().all(|b| b.is_ascii_digit())
        && is_provisional_word(w)
    {
        return Ok(Some(Line::Provisional(y.parse().unwrap_or(0))));
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
    Ok(Some(Line::Days(Entry {
        start,
        // `span` is 1..=MAX_RANGE_DAYS here.
        days: usize::try_from(span).unwrap_or(1),
        kind,
        name: name.trim(),
    })))
}

impl WorkCalendar {
    /// Parses a whole calendar file; stops at the first bad line.
    pub fn parse(text: &str) -> Result<Self, CalendarError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut overrides: BTreeMap<NaiveDate, (DayKind, String)> = BTreeMap::new();
        let mut provisional = BTreeSet::new();
        // For each listed date, the line that listed it (for conflict reports).
        let mut listed_on: BTreeMap<NaiveDate, usize> = BTreeMap::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let entry = match parse_line(raw, line)? {
                None => continue,
                Some(Line::Provisional(year)) => {
                    provisional.insert(year);
                    continue;
                }
                Some(Line::Days(entry)) => entry,
            };
            let estimated = PROVISIONAL_WORDS.iter().any(|w| entry.name.contains(w));
            for day in entry.start.iter_days().take(entry.days) {
                if estimated {
                    provisional.insert(day.year());
                }
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
        Ok(WorkCalendar { overrides, provisional })
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
        self.overrides.range(first..=last).next().is_some() || self.provisional.contains(&year)
    }

    /// Whether `year`'s days come from a published notice, an estimate, or
    /// nothing at all.
    pub fn year_status(&self, year: i32) -> YearStatus {
        if self.provisional.contains(&year) {
            YearStatus::Provisional
        } else if self.covers_year(year) {
            YearStatus::Official
        } else {
            YearStatus::Missing
        }
    }

    /// Whether a date computed with this calendar is only an estimate: its
    /// year is provisional or not listed (the screens mark it 预估).
    pub fn is_estimate(&self, d: NaiveDate) -> bool {
        self.year_status(d.year()) != YearStatus::Official
    }

    /// The first of `dates` whose year is not official, with its status:
    /// what a warning should name (today first, then a due date).
    pub fn doubt(&self, dates: &[NaiveDate]) -> Option<(i32, YearStatus)> {
        dates.iter().map(|d| (d.year(), self.year_status(d.year()))).find(|(_, s)| *s != YearStatus::Official)
    }

    /// Whether both calendars make the same days working days (names and
    /// estimate marks aside): if so, no due date computed with one would
    /// differ with the other.
    pub fn same_days(&self, other: &WorkCalendar) -> bool {
        self.overrides.len() == other.overrides.len()
            && self.overrides.iter().zip(&other.overrides).all(|((a, (ka, _)), (b, (kb, _)))| a == b && ka == kb)
    }

    /// Everything listed for `year`: whether it is an estimate, and each
    /// listed day with its kind and name. Two calendars that agree here
    /// say the same about the year.
    fn year_fingerprint(&self, year: i32) -> (bool, Vec<(NaiveDate, DayKind, String)>) {
        let days = match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) {
            (Some(a), Some(b)) => self.overrides.range(a..=b).map(|(d, (k, n))| (*d, *k, n.clone())).collect(),
            _ => Vec::new(),
        };
        (self.provisional.contains(&year), days)
    }

    /// Every year with a listed day or an estimate mark.
    fn years(&self) -> BTreeSet<i32> {
        self.overrides.keys().map(|d| d.year()).chain(self.provisional.iter().copied()).collect()
    }
}

/// What [`merge_shipped`] did to one year of the office's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearChange {
    /// The office's file did not have the year: the shipped one was added.
    Added(i32),
    /// The office never edited the year and the program ships it otherwise
    /// now (an estimate made official, or better estimated): replaced.
    Updated(i32),
    /// The office edited the year and the program ships it otherwise: the
    /// office's lines are kept, and it should check them. `official`: the
    /// program's version is the published notice.
    Kept { year: i32, official: bool },
}

/// The office's calendar with a newer program's merged in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub text: String,
    pub changes: Vec<YearChange>,
}

/// A year's section of a calendar file: from a `# ----` rule followed by a
/// `# YYYY 年` line, to the next such rule (or the end). Returns
/// `(first line, end line, year)` for each, in order.
fn sections(lines: &[&str]) -> Vec<(usize, usize, i32)> {
    let mut starts = Vec::new();
    for i in 0..lines.len().saturating_sub(1) {
        let rule = lines[i].trim_start().starts_with("# ---");
        let head = lines[i + 1].trim_start().trim_start_matches(['#', '＃']).trim_start();
        let year: String = head.chars().take(4).collect();
        if rule
            && year.len() == 4
            && year.bytes().all(|b| b.is_ascii_digit())
            && head[4..].trim_start().starts_with('年')
        {
            let year: i32 = year.parse().unwrap_or(0);
            // a comment right under a section's closing rule that starts
            // with the year is not a new section
            if starts.last().is_none_or(|(_, y)| *y != year) {
                starts.push((i, year));
            }
        }
    }
    let mut out = Vec::new();
    for (k, (start, year)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(lines.len(), |(s, _)| *s);
        out.push((*start, end, *year));
    }
    out
}

/// The year a line is about (an entry's first day, or a `YYYY 预估` line).
fn line_year(raw: &str) -> Option<i32> {
    match parse_line(raw, 0) {
        Ok(Some(Line::Days(e))) => Some(e.start.year()),
        Ok(Some(Line::Provisional(y))) => Some(y),
        _ => None,
    }
}

/// Merges the calendar a program ships (`shipped`) into the office's copy
/// (`office`), year by year:
///
/// * a year the office lacks is added (the shipped section, at the end);
/// * a year the office never edited (it reads exactly as one of the
///   `earlier` shipped files has it) is replaced by the shipped section;
/// * a year the office edited is kept, and reported if the shipped one
///   differs.
///
/// Comments and the office's other years stay as they are. `None` when
/// nothing changes, or when the office's file does not parse (it must be
/// mended by hand first; the app says so).
pub fn merge_shipped(office: &str, shipped: &str, earlier: &[&str]) -> Option<Merged> {
    let office_cal = WorkCalendar::parse(office).ok()?;
    let shipped_cal = WorkCalendar::parse(shipped).ok()?;
    let earlier: Vec<WorkCalendar> = earlier.iter().filter_map(|t| WorkCalendar::parse(t).ok()).collect();
    let shipped_lines: Vec<&str> = shipped.lines().collect();
    let shipped_sections = sections(&shipped_lines);
    // what to do with each year the program ships otherwise
    let mut replace: BTreeMap<i32, YearChange> = BTreeMap::new();
    let mut kept = Vec::new();
    for year in shipped_cal.years() {
        let want = shipped_cal.year_fingerprint(year);
        let have = office_cal.year_fingerprint(year);
        if have == want {
            continue;
        }
        let has_section = shipped_sections.iter().any(|(_, _, y)| *y == year);
        if has_section && !office_cal.covers_year(year) {
            replace.insert(year, YearChange::Added(year));
        } else if has_section && earlier.iter().any(|e| e.year_fingerprint(year) == have) {
            replace.insert(year, YearChange::Updated(year));
        } else {
            kept.push(YearChange::Kept { year, official: !want.0 });
        }
    }
    let all_years: BTreeSet<i32> = office_cal.years().union(&shipped_cal.years()).copied().collect();
    // Apply, then check that the result says of every year what it should
    // (the shipped file's days for a replaced year, the office's for any
    // other). A year whose lines spill into another (元旦 from 12-31) may
    // not come out whole: it and its neighbours are then left as they were.
    loop {
        let mut text = office.to_string();
        for year in replace.keys() {
            let Some(&(from, to, _)) = shipped_sections.iter().find(|(_, _, y)| y == year) else { continue };
            text = replace_year(&text, *year, &shipped_lines[from..to]);
        }
        let result = WorkCalendar::parse(&text).ok();
        let wrong: Vec<i32> = all_years
            .iter()
            .copied()
            .filter(|y| {
                let want = if replace.contains_key(y) { &shipped_cal } else { &office_cal };
                result.as_ref().is_none_or(|c| c.year_fingerprint(*y) != want.year_fingerprint(*y))
            })
            .collect();
        if wrong.is_empty() {
            let mut changes: Vec<YearChange> = replace.into_values().collect();
            changes.extend(kept);
            changes.sort_by_key(|c| match c {
                YearChange::Added(y) | YearChange::Updated(y) | YearChange::Kept { year: y, .. } => *y,
            });
            return (!changes.is_empty()).then_some(Merged { text, changes });
        }
        let before = replace.len();
        replace.retain(|y, _| !wrong.iter().any(|w| (w - 1..=w + 1).contains(y)));
        if replace.len() == before {
            // nothing left to take back: leave the file alone
            replace.clear();
        }
        for y in shipped_cal.years() {
            let differs = shipped_cal.year_fingerprint(y) != office_cal.year_fingerprint(y);
            let reported = kept.iter().any(|c| matches!(c, YearChange::Kept { year, .. } if *year == y));
            if differs && !replace.contains_key(&y) && !reported {
                kept.push(YearChange::Kept { year: y, official: !shipped_cal.year_fingerprint(y).0 });
            }
        }
    }
}

/// `text` with `year`'s lines replaced by `section`: in place of the
/// office's section for that year if it has one (lines of other years
/// found inside it are kept, after the new section); else the year's lines
/// are dropped wherever they are and the section goes before the first
/// section of a later year (or at the end).
fn replace_year(text: &str, year: i32, section: &[&str]) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let secs = sections(&lines);
    let ours = secs.iter().find(|(_, _, y)| *y == year).copied();
    let before_later = secs.iter().find(|(_, _, y)| *y > year).map(|(from, _, _)| *from);
    let mut out: Vec<&str> = Vec::with_capacity(lines.len() + section.len() + 1);
    let mut placed = false;
    let mut i = 0;
    while i < lines.len() {
        if let Some((from, to, _)) = ours
            && i == from
        {
            out.extend_from_slice(section);
            // other years' lines that sat in the old section stay
            out.extend(lines[from..to].iter().filter(|l| line_year(l).is_some_and(|y| y != year)));
            placed = true;
            i = to;
            continue;
        }
        if ours.is_none() && !placed && Some(i) == before_later {
            out.extend_from_slice(section);
            if section.last().is_some_and(|l| !l.trim().is_empty()) {
                out.push("");
            }
            placed = true;
        }
        if line_year(lines[i]) != Some(year) {
            out.push(lines[i]);
        }
        i += 1;
    }
    if !placed {
        while out.last().is_some_and(|l| l.trim().is_empty()) {
            out.pop();
        }
        out.push("");
        out.extend_from_slice(section);
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests;
