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
            "01-01", "01-28", "01-29", "01-30", "01-31", "02-03", "02-04", "04-04", "05-01", "05-02", "05-05", "06-02",
            "10-01", "10-02", "10-03", "10-06", "10-07", "10-08"
        ]
    );
    assert_eq!(work, ["01-26", "02-08", "04-27", "09-28", "10-11"]);
    let (off, work) = deviations(&c, 2026);
    assert_eq!(
        off,
        [
            "01-01", "01-02", "02-16", "02-17", "02-18", "02-19", "02-20", "02-23", "04-06", "05-01", "05-04", "05-05",
            "06-19", "09-25", "10-01", "10-02", "10-05", "10-06", "10-07"
        ]
    );
    assert_eq!(work, ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]);
}

#[test]
fn provisional_2027_follows_the_standing_rule_without_invented_make_up_days() {
    let c = cal();
    let (off, work) = deviations(&c, 2027);
    // 春节 8 days from 除夕 (Fri 02-05), 劳动节 5 days, 国庆 7 days; the
    // others on their statutory day
    assert_eq!(
        off,
        [
            "01-01", "02-05", "02-08", "02-09", "02-10", "02-11", "02-12", "04-05", "05-03", "05-04", "05-05", "06-09",
            "09-15", "10-01", "10-04", "10-05", "10-06", "10-07"
        ]
    );
    assert!(work.is_empty(), "make-up days cannot be estimated");
    assert!(c.holiday_name(d(2027, 2, 6)).is_some_and(|n| n.contains("春节") && n.contains("预估")));
    assert_eq!(c.year_status(2027), YearStatus::Provisional);
    assert!(c.is_estimate(d(2027, 3, 1)));
}

#[test]
fn shipped_2021_to_2024_match_the_official_notices() {
    let c = cal();
    let (off, work) = deviations(&c, 2024);
    assert_eq!(
        off,
        [
            "01-01", "02-12", "02-13", "02-14", "02-15", "02-16", "04-04", "04-05", "05-01", "05-02", "05-03", "06-10",
            "09-16", "09-17", "10-01", "10-02", "10-03", "10-04", "10-07"
        ]
    );
    assert_eq!(work, ["02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"]);
    // the demo's request of 2024-02-07 with 3 working days: 2/8, 2/9, then 2/18 (a 班 Sunday)
    assert_eq!(c.add_working_days(d(2024, 2, 7), 3), d(2024, 2, 18));
    // 2023's 元旦 began on 2022-12-31 (a Saturday)
    assert_eq!(c.kind(d(2023, 1, 2)), DayKind::Off);
    assert_eq!(deviations(&c, 2023).1, ["01-28", "01-29", "04-23", "05-06", "06-25", "10-07", "10-08"]);
    assert_eq!(deviations(&c, 2022).1, ["01-29", "01-30", "04-02", "04-24", "05-07", "10-08", "10-09"]);
    assert_eq!(deviations(&c, 2021).1, ["02-07", "02-20", "04-25", "05-08", "09-18", "09-26", "10-09"]);
    for y in 2021..=2026 {
        assert_eq!(c.year_status(y), YearStatus::Official, "{y}");
    }
}

#[test]
fn a_year_is_marked_provisional_by_its_line_or_its_names() {
    let c = WorkCalendar::parse("2028 预估\n2028-01-01 休 元旦\n2029-01-01 休 元旦（预估）\n2030 provisional\n")
        .expect("parses");
    assert_eq!(c.year_status(2028), YearStatus::Provisional);
    assert_eq!(c.year_status(2029), YearStatus::Provisional);
    assert_eq!(c.year_status(2030), YearStatus::Provisional, "a year marked but not yet listed");
    assert!(c.covers_year(2030));
    assert_eq!(c.year_status(2031), YearStatus::Missing);
    assert!(WorkCalendar::parse("2028 假\n").is_err(), "only 预估 may follow a bare year");
}

#[test]
fn a_date_beyond_the_calendar_or_in_an_estimated_year_is_doubted() {
    let c = cal();
    // the example: the clock at 2028-01-26, due 2028-01-31
    assert_eq!(c.doubt(&[d(2028, 1, 26)]), Some((2028, YearStatus::Missing)));
    assert_eq!(c.doubt(&[d(2026, 11, 24), d(2027, 1, 4)]), Some((2027, YearStatus::Provisional)));
    assert_eq!(c.doubt(&[d(2026, 11, 24), d(2026, 12, 1)]), None);
    assert!(c.is_estimate(d(2028, 1, 31)) && !c.is_estimate(d(2026, 10, 13)));
}

#[test]
fn an_old_office_copy_gains_the_new_years_and_the_better_estimate() {
    let old = EARLIER_BUILTIN[0];
    let m = merge_shipped(old, BUILTIN_TEXT, EARLIER_BUILTIN).expect("something to do");
    assert_eq!(
        m.changes,
        [
            YearChange::Added(2021),
            YearChange::Added(2022),
            YearChange::Added(2023),
            YearChange::Added(2024),
            YearChange::Updated(2027)
        ]
    );
    let merged = WorkCalendar::parse(&m.text).expect("parses");
    assert!(merged.same_days(&cal()), "the office now has exactly the shipped days");
    assert_eq!(merged.year_status(2027), YearStatus::Provisional);
    // the years come in order, each under its own heading
    let heads: Vec<i32> = sections(&m.text.lines().collect::<Vec<_>>()).iter().map(|s| s.2).collect();
    assert_eq!(heads, [2021, 2022, 2023, 2024, 2025, 2026, 2027]);
    // merging again changes nothing
    assert_eq!(merge_shipped(&m.text, BUILTIN_TEXT, EARLIER_BUILTIN), None);
    assert_eq!(merge_shipped(BUILTIN_TEXT, BUILTIN_TEXT, EARLIER_BUILTIN), None);
}

#[test]
fn the_office_s_own_edits_are_kept_and_reported() {
    // the office typed its own estimate of 2027, and its own 2028
    let old = EARLIER_BUILTIN[0]
        .replace("2027-05-01..2027-05-02  休  劳动节（预估）", "2027-05-01..2027-05-04  休  劳动节（本街道估计）")
        + "2028-01-01 休 元旦\n";
    let m = merge_shipped(&old, BUILTIN_TEXT, EARLIER_BUILTIN).expect("something to do");
    assert!(m.changes.contains(&YearChange::Kept { year: 2027, official: false }), "{:?}", m.changes);
    assert!(m.changes.contains(&YearChange::Added(2024)));
    let merged = WorkCalendar::parse(&m.text).expect("parses");
    assert_eq!(merged.holiday_name(d(2027, 5, 4)), Some("劳动节（本街道估计）"));
    assert_eq!(merged.kind(d(2027, 10, 5)), DayKind::Working, "their 2027 is theirs");
    assert_eq!(merged.kind(d(2028, 1, 1)), DayKind::Off, "their 2028 stays");
    assert_eq!(merged.kind(d(2024, 2, 12)), DayKind::Off, "the missing years came");
}

#[test]
fn an_unedited_year_is_replaced_even_with_the_office_s_lines_after_it() {
    // 2028 typed after the old 2027 section, with no heading of its own
    let old = format!("{}2028-01-01 休 元旦\n", EARLIER_BUILTIN[0]);
    let m = merge_shipped(&old, BUILTIN_TEXT, EARLIER_BUILTIN).expect("something to do");
    assert!(m.changes.contains(&YearChange::Updated(2027)));
    let merged = WorkCalendar::parse(&m.text).expect("parses");
    assert_eq!(merged.kind(d(2028, 1, 1)), DayKind::Off, "{}", m.text);
    assert_eq!(merged.kind(d(2027, 10, 5)), DayKind::Off);
    // a file that does not parse is left to be mended by hand
    assert_eq!(merge_shipped("2025-02-30 休\n", BUILTIN_TEXT, EARLIER_BUILTIN), None);
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
