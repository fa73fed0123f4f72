//! The office's own PC (issue 14): text files as Notepad saves them ("ANSI",
//! which is GBK on a Chinese Windows, with CRLF) are read, and the files
//! linli writes are ones Notepad shows right (a BOM, CRLF).

use linli::domain::calendar::BUILTIN_TEXT;
use linli::domain::duties::settings::{DutySettings, Grades};
use linli::i18n::Lang;
use linli::store::duties::load_duty_files;

/// `text` as Notepad saves it as "ANSI" on a Chinese Windows.
fn gbk_crlf(text: &str) -> Vec<u8> {
    let crlf = text.replace('\n', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&crlf);
    assert!(!unmappable, "GBK has every character of {text:?}");
    bytes.into_owned()
}

#[test]
fn duties_and_grades_saved_as_ansi_by_notepad_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let settings = DutySettings { community: "幸福里社区".into(), training_days: 9, ..Default::default() };
    std::fs::write(dir.path().join("duties.txt"), gbk_crlf(&settings.to_text())).unwrap();
    let grades = Grades::before_bands();
    assert_ne!(grades, Grades::default());
    std::fs::write(dir.path().join("grades.txt"), gbk_crlf(&grades.to_text())).unwrap();
    let (read, read_grades, warnings) = load_duty_files(dir.path());
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(read, settings);
    assert_eq!(read_grades, grades);
}

#[test]
fn a_calendar_saved_as_ansi_by_notepad_is_read_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calendar.txt");
    let edited = format!("{BUILTIN_TEXT}2027-05-06 休 本区补休\n");
    std::fs::write(&path, gbk_crlf(&edited)).unwrap();
    let files = linli::cli::load_office_files(dir.path(), Lang::Zh);
    assert!(files.warnings.is_empty(), "{:?}", files.warnings);
    assert!(files.notices.is_empty(), "{:?}", files.notices);
    assert_eq!(files.cal_text, edited);
    assert!(!files.cal.same_days(&linli::domain::calendar::WorkCalendar::builtin()), "the office's day counts");
    assert_eq!(std::fs::read(&path).unwrap(), gbk_crlf(&edited), "the office's file untouched");
}

#[test]
fn files_linli_writes_for_the_office_have_a_bom_and_crlf() {
    let dir = tempfile::tempdir().unwrap();
    let _ = linli::cli::load_office_files(dir.path(), Lang::Zh);
    let _ = load_duty_files(dir.path());
    for name in ["calendar.txt", "categories.txt", "duties.txt", "grades.txt"] {
        let bytes = std::fs::read(dir.path().join(name)).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{name} starts with a BOM");
        let lf = bytes.iter().filter(|&&b| b == b'\n').count();
        let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
        assert!(lf > 0 && lf == crlf, "{name}: every line ends in CRLF ({crlf} of {lf})");
    }
    // and they read back as what they were
    let files = linli::cli::load_office_files(dir.path(), Lang::Zh);
    assert!(files.warnings.is_empty() && files.notices.is_empty(), "{:?} {:?}", files.warnings, files.notices);
    assert_eq!(files.cal_text, BUILTIN_TEXT);
}

/// `linli ARGS` with LINLI_LANG as given; its stdout.
fn help_of(args: &[&str], lang_env: Option<&str>) -> String {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_linli"));
    c.args(args).env_remove("LINLI_LANG");
    if let Some(l) = lang_env {
        c.env("LINLI_LANG", l);
    }
    let o = c.stdin(std::process::Stdio::null()).output().unwrap();
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn help_speaks_the_interface_language() {
    let zh = help_of(&["--help"], None);
    assert!(zh.contains("用法：linli [选项] [命令]") && zh.contains("备份"), "{zh}");
    assert!(!zh.contains("Usage") && !zh.contains("Print help"), "{zh}");
    let sub = help_of(&["export", "--help"], None);
    assert!(sub.contains("把任何一类记录或操作记录导出为 CSV 或 XLSX 表格"), "{sub}");
    // every kind, in Chinese with the word to type (issue 15)
    assert!(sub.contains("志愿者 volunteers") && sub.contains("操作记录 audit"), "{sub}");
    assert_eq!(help_of(&["help", "export"], None), sub, "`linli help export` is the same page");
    let en = help_of(&["--lang", "en", "export", "--help"], None);
    assert!(en.contains("Usage: linli export [OPTIONS] <KIND>") && en.contains("Print help"), "{en}");
    assert_eq!(help_of(&["export", "--help"], Some("en")), en, "LINLI_LANG=en");
    assert!(help_of(&["--lang", "zh", "export", "--help"], Some("en")).contains("用法："), "the flag wins");
}
