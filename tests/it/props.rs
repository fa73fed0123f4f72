//! Property-based fuzzing (proptest) of every parser and importer: dates,
//! schedules and availability, the office's text files (calendar.txt,
//! categories.txt, duties.txt, grades.txt, the roster's settings, the
//! sensitive tags), addresses and ids, CSV bytes through to an import
//! preview, and mutated XLSX files. None may panic; where a parser's
//! output can be written back, it reads back the same.
//!
//! In `cargo test`: 256 cases each from a fixed seed (deterministic).
//! `scripts/fuzz.sh` runs the same with `PROPTEST_CASES=100000` and a seed
//! of its own (`PROPTEST_RNG_SEED`); a failing case is kept by proptest in
//! `proptest-regressions/` and run first every time after.

use chrono::NaiveDate;
use linli::domain::duties::settings::{DutySettings, Grades};
use linli::domain::resident::SensitiveTags;
use linli::domain::volunteer::{Availability, RosterSettings, Schedule, Span};
use linli::domain::{Address, Categories, RequestId, WorkCalendar, text};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed, TestRunner};

/// 256 cases from seed 21 unless `PROPTEST_CASES` / `PROPTEST_RNG_SEED` say otherwise.
fn config() -> Config {
    let mut c = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = 256;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = RngSeed::Fixed(21);
    }
    c.failure_persistence = Some(Box::new(FileFailurePersistence::SourceParallel("proptest-regressions")));
    c.source_file = Some(file!());
    c
}

/// Runs `check` on `cases` inputs from `strategy`, then says how many ran.
fn fuzz<S: Strategy>(name: &str, strategy: S, check: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(config());
    let n = std::sync::atomic::AtomicU64::new(0);
    let result = runner.run(&strategy, |v| {
        n.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        check(v)
    });
    eprintln!("fuzz {name}: {} inputs", n.into_inner());
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

/// Pieces of what offices type, and of what goes wrong.
const PIECES: &[&str] = &[
    "周",
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "日",
    "天",
    "至",
    "到",
    "、",
    "，",
    "每周",
    "工作日",
    "周末",
    "上午",
    "下午",
    "晚上",
    "全天",
    "sat",
    "mon",
    "am",
    "pm",
    "-",
    "–",
    "~",
    ":",
    "：",
    "0",
    "1",
    "2",
    "9",
    "12",
    "24",
    "30",
    "59",
    "60",
    "99",
    "2026",
    "2025-02-30",
    "2月30日",
    "年",
    "月",
    "日",
    "号",
    "/",
    ".",
    "休",
    "班",
    "#",
    "=",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\u{1b}[2J",
    "\u{202e}",
    "\u{feff}",
    "\u{0}",
    "１２",
    "：",
    "级",
    "正职",
    "副职",
    "7–18",
    "低保",
    "小区",
    "栋",
    "单元",
    "室",
    "3-2-301",
    "2026-000001",
    "半天",
    "0.5",
    "天数",
    "𠀋",
    "😀",
    "\"",
    ",",
    "，",
];

/// A string of pieces and arbitrary characters.
fn typed() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

/// An office text file: lines of pieces.
fn office_file() -> impl Strategy<Value = String> {
    proptest::collection::vec(typed(), 0..12).prop_map(|lines| lines.join("\n"))
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

#[test]
fn dates_parse_or_refuse_never_panic() {
    fuzz("parse_date", typed(), |s| {
        if let Some(d) = text::parse_date(&s, today()) {
            // what it read, written the usual way, reads back the same
            prop_assert_eq!(text::parse_date(&d.format("%Y-%m-%d").to_string(), today()), Some(d), "{:?}", s);
        }
        Ok(())
    });
    fuzz("parse_half_days", typed(), |s| {
        let _ = linli::domain::duties::parse_half_days(&s);
        Ok(())
    });
}

#[test]
fn schedules_and_availability_read_back_what_they_show() {
    // found by this fuzzing: an hour past 1092 overflowed a u16 (a panic
    // in a debug build) before it was refused
    assert_eq!(Span::parse("2000-3000"), None);
    assert_eq!(Schedule::parse("每周六 9999:00-11:00"), None);
    fuzz("Schedule::parse", typed(), |s| {
        if let Some(x) = Schedule::parse(&s) {
            prop_assert_eq!(Schedule::parse(&x.to_string()), Some(x), "{:?} shown as {:?}", s, x.to_string());
        }
        Ok(())
    });
    fuzz("Availability::parse", typed(), |s| {
        if let Some(x) = Availability::parse(&s) {
            prop_assert_eq!(Availability::parse(&x.to_string()), Some(x), "{:?} shown as {:?}", s, x.to_string());
        }
        Ok(())
    });
    fuzz("Span::parse", typed(), |s| {
        if let Some(x) = Span::parse(&s) {
            prop_assert_eq!(Span::parse(&x.to_string()), Some(x), "{:?} shown as {:?}", s, x.to_string());
        }
        Ok(())
    });
}

#[test]
fn the_office_files_never_panic_and_errors_name_a_line() {
    fuzz("office files", office_file(), |s| {
        let lines = s.lines().count().max(1);
        if let Err(e) = WorkCalendar::parse(&s) {
            let _ = e.message_zh();
        }
        let _ = Categories::parse(&s);
        let _ = SensitiveTags::parse(&s);
        let roster = RosterSettings::parse(&s).err().map(|e| e.line);
        for line in [DutySettings::parse(&s).err().map(|e| e.line), Grades::parse(&s).err().map(|e| e.line), roster]
            .into_iter()
            .flatten()
        {
            prop_assert!(line >= 1 && line <= lines, "line {} of {}: {:?}", line, lines, s);
        }
        Ok(())
    });
    fuzz("Address / RequestId", typed(), |s| {
        let _ = Address::parse(&s).to_string();
        if let Some(id) = RequestId::parse(&s) {
            prop_assert_eq!(RequestId::parse(&id.to_string()), Some(id));
        }
        Ok(())
    });
}

/// CSV bytes (UTF-8, GBK-ish, BOMs, quotes) through reading, column
/// detection and an import preview against a real store.
#[test]
fn csv_bytes_never_panic_the_import() {
    let f = crate::support::Fixture::office();
    let cell = prop_oneof![
        3 => typed(),
        1 => Just("姓名".to_string()),
        1 => Just("电话".to_string()),
        1 => Just("地址".to_string()),
        1 => Just("13812345678".to_string()),
    ];
    let row = proptest::collection::vec(cell, 0..6).prop_map(|c| c.join(","));
    let text = proptest::collection::vec(row, 0..8).prop_map(|r| r.join("\n").into_bytes());
    let bytes = prop_oneof![3 => text, 1 => proptest::collection::vec(any::<u8>(), 0..300)];
    fuzz("CSV import", bytes, |b| {
        let _ = linli::files::reading::decode_text(&b);
        if let Ok(sheet) = linli::files::reading::read_csv(&b) {
            let map = linli::files::import::detect_columns(&sheet);
            let _ = linli::files::import::preview(&f.store, &sheet, &map);
            let vmap = linli::files::import_volunteers::detect_columns(&sheet);
            let _ = linli::files::import_volunteers::preview(&f.store, &sheet, &vmap, today());
        }
        Ok(())
    });
}

/// A CSV previewed as it is read (`preview_file`: the head kept, every
/// other row judged and dropped) gets the verdicts of the whole sheet read
/// first (`read_sheet`, `detect_columns`, `preview_against`): the same rows,
/// numbers, problems (duplicates in the file and in the directory) and
/// counts, and the same residents of the rows it keeps (those with something
/// to say). Sheets of 0–30 rows, so the header falls inside and outside
/// the head, with a title row above it or not.
#[test]
fn a_csv_previewed_as_it_is_read_gets_the_verdicts_of_the_whole_sheet() {
    use linli::files::import;
    let f = crate::support::Fixture::office();
    let index = linli::store::index_cache::rebuild(&f.store).unwrap();
    let known = import::Known::of(index.residents().map(|r| (r.id, r.name, r.phone, r.address)));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sheet.csv");
    let cell = prop_oneof![
        4 => proptest::sample::select(&["张三", "李四", "曾小明", "", "13812345678", "13900001111", "123",
            "幸福小区 5-1-102", "幸福小区 3-2-301", "\u{200b}王五", "138****5678"][..]).prop_map(str::to_string),
        1 => typed(),
    ];
    let row = proptest::collection::vec(cell, 0..5).prop_map(|c| c.join(","));
    let header = prop_oneof![Just("姓名,电话,地址"), Just("花名册\n姓名,电话,地址"), Just("电话,姓名"), Just("")];
    let text = (header, proptest::collection::vec(row, 0..30), 0..12usize).prop_map(|(h, rows, blank)| {
        let mut rows = rows;
        // an empty line somewhere, as sheets have
        rows.insert(blank.min(rows.len()), String::new());
        format!("{h}\n{}\n", rows.join("\n"))
    });
    fuzz("CSV preview streamed", text, |text| {
        std::fs::write(&path, &text).unwrap();
        let whole = import::read_sheet(&path).and_then(|sheet| {
            let map = import::detect_columns(&sheet);
            import::preview_against(&known, &sheet, &map).map(|p| (map, p))
        });
        let streamed =
            import::preview_file(&path, &known, |head| Ok::<_, std::convert::Infallible>(import::detect_columns(head)));
        match (whole, streamed) {
            (Ok((map, p)), Ok(s)) => {
                prop_assert_eq!(&map, &s.map);
                // whole, the rows with something to say; of the others, their numbers
                let noted: Vec<_> = p.rows.iter().filter(|r| !r.problems.is_empty() || r.cleaned).collect();
                prop_assert_eq!(format!("{:?}", noted), format!("{:?}", s.preview.rows));
                let verdicts: Vec<_> = p.rows.iter().map(|r| (r.row, r.problems.clone())).collect();
                prop_assert_eq!(verdicts, s.preview.verdicts());
                prop_assert_eq!(
                    (p.rows.len(), p.to_import(), p.duplicates(), p.errors()),
                    (s.preview.total, s.preview.to_import(), s.preview.duplicates(), s.preview.errors())
                );
            }
            (Err(_), Err(_)) => {}
            (whole, streamed) => prop_assert!(false, "whole {:?}, streamed {:?}", whole.err(), streamed.err()),
        }
        Ok(())
    });
}

/// A real XLSX, its bytes flipped, cut or overwritten: read_sheet refuses
/// or reads, never panics.
#[test]
fn mutated_xlsx_files_never_panic_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.xlsx");
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, row) in [["姓名", "电话", "地址"], ["张三", "13812345678", "幸福小区 3-2-301"], ["李四", "123", "=1+1"]]
            .iter()
            .enumerate()
        {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
        wb.save(&good).unwrap();
    }
    let original = std::fs::read(&good).unwrap();
    let len = original.len();
    let edit = (0..len, any::<u8>(), 0..4u8);
    let edits = proptest::collection::vec(edit, 1..6);
    let path = dir.path().join("bad.xlsx");
    fuzz("XLSX import", edits, |edits| {
        let mut b = original.clone();
        for (at, byte, how) in edits {
            let at = at.min(b.len().saturating_sub(1));
            match how {
                0 => b.truncate(at),
                1 => b.insert(at, byte),
                _ if !b.is_empty() => b[at] ^= byte | 1,
                _ => {}
            }
        }
        std::fs::write(&path, &b).unwrap();
        let _ = linli::files::reading::read_sheet(&path);
        Ok(())
    });
}
