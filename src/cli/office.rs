//! The office's own text files in the data dir (calendar, categories,
//! duties, grades, roster, sensitive tags): read, defaulted, and the work
//! calendar applied to the store.

use super::*;

/// Reads an office-editable file from the data dir, writing the default
/// there first if it is missing. A broken file falls back to the default
/// with a warning; it never stops the app.
fn office_file<T>(
    dir: &Path,
    name: &str,
    default_text: &str,
    parse: impl Fn(&str) -> Result<T, String>,
    fallback: T,
) -> (T, Option<String>) {
    let text = crate::platform::office_text::read_or_create(&dir.join(name), default_text)
        .unwrap_or_else(|| default_text.to_string());
    match parse(&text) {
        Ok(v) => (v, None),
        Err(e) => (fallback, Some(e)),
    }
}

/// What the office's own files say, read at start.
pub struct OfficeFiles {
    pub cal: WorkCalendar,
    /// The calendar's text now (remembered with the due dates computed by it).
    pub cal_text: String,
    /// The calendar the office had before this start merged the shipped one in.
    pub cal_before: WorkCalendar,
    pub cats: Categories,
    /// A file that could not be read (its defaults are used meanwhile).
    pub warnings: Vec<String>,
    /// What this start changed, to be said once.
    pub notices: Vec<String>,
    /// Years the office edited that the shipped calendar has otherwise:
    /// kept, and worth a word once per shipped calendar (see `run_tui`).
    pub kept: Vec<crate::domain::calendar::YearChange>,
}

/// The office's calendar: its copy in the data dir (written from the
/// shipped one the first time), with the calendar this linli ships merged
/// in year by year (`domain::calendar::merge_shipped`: years the office
/// never edited updated or added, its own edits kept). The file before a
/// merge is kept as `calendar.txt.bak`.
fn load_calendar(dir: &Path, lang: Lang, out: &mut OfficeFiles) {
    use crate::domain::calendar::{BUILTIN_TEXT, EARLIER_BUILTIN, YearChange, merge_shipped};
    use crate::platform::office_text;
    let p = lang.practice();
    let path = dir.join("calendar.txt");
    let text = office_text::read_or_create(&path, BUILTIN_TEXT).unwrap_or_else(|| BUILTIN_TEXT.to_string());
    let (cal, text) = match WorkCalendar::parse(&text) {
        Ok(c) => (c, text),
        Err(e) => {
            let msg = match lang {
                Lang::Zh => e.message_zh(),
                Lang::En => e.to_string(),
            };
            out.warnings.push(i18n::fill(lang.t().calendar_warning, msg));
            (WorkCalendar::builtin(), BUILTIN_TEXT.to_string())
        }
    };
    out.cal_before = cal.clone();
    (out.cal, out.cal_text) = (cal, text.clone());
    let Some(merged) = merge_shipped(&text, BUILTIN_TEXT, EARLIER_BUILTIN) else { return };
    let (kept, changed): (Vec<YearChange>, Vec<YearChange>) =
        merged.changes.iter().partition(|c| matches!(c, YearChange::Kept { .. }));
    out.kept = kept;
    if changed.is_empty() || merged.text == text {
        return;
    }
    let Ok(new_cal) = WorkCalendar::parse(&merged.text) else { return };
    let backup = dir.join("calendar.txt.bak");
    // the .bak is the office's file byte for byte, whatever Notepad saved
    let before = std::fs::read(&path).unwrap_or_else(|_| office_text::encode(&text));
    let written = std::fs::write(&backup, &before).and_then(|_| office_text::write(&path, &merged.text));
    if written.is_err() {
        // a read-only data dir: use the merged calendar this time anyway
        let _ = std::fs::write(&path, &before);
    }
    let said: Vec<String> = merged.changes.iter().map(|c| year_change_text(lang, *c)).collect();
    out.kept.clear();
    let sep = if lang == Lang::Zh { "；" } else { "; " };
    let mut notice = i18n::fill(p.calendar_merged, said.join(sep));
    if written.is_ok() {
        notice = format!("{notice}{sep}{}", i18n::fill(p.calendar_backup, backup.display()));
    }
    out.notices.push(notice);
    (out.cal, out.cal_text) = (new_cal, merged.text);
}

fn year_change_text(lang: Lang, c: crate::domain::calendar::YearChange) -> String {
    use crate::domain::calendar::YearChange;
    let p = lang.practice();
    match c {
        YearChange::Added(y) => i18n::fill(p.year_added, y),
        YearChange::Updated(y) => i18n::fill(p.year_updated, y),
        YearChange::Kept { year, official: true } => i18n::fill(p.year_kept_official, year),
        YearChange::Kept { year, official: false } => i18n::fill(p.year_kept, year),
    }
}

/// The years the office edited and this linli ships otherwise, said once
/// per shipped calendar (the store remembers what it said).
pub fn kept_years_notice(store: &Store, files: &OfficeFiles, lang: Lang) -> Option<String> {
    let shipped = crc32fast::hash(crate::domain::calendar::BUILTIN_TEXT.as_bytes());
    let said: Vec<String> = files
        .kept
        .iter()
        .filter(|c| {
            let crate::domain::calendar::YearChange::Kept { year, .. } = c else { return false };
            store.notice_once(&format!("calendar-kept/{year}/{shipped:08x}")).unwrap_or(false)
        })
        .map(|c| year_change_text(lang, *c))
        .collect();
    let sep = if lang == Lang::Zh { "；" } else { "; " };
    (!said.is_empty()).then(|| i18n::fill(lang.practice().calendar_merged, said.join(sep)))
}

/// The due dates of open requests follow the calendar: if the calendar the
/// store's due dates were computed with (remembered in the store; before
/// that, the office's file as this start found it) makes other days
/// working days than the one in force, they are recomputed, each change
/// audited and noted on its request. Returns what to tell the office.
pub fn apply_calendar(store: &Store, files: &OfficeFiles, now: chrono::NaiveDateTime, lang: Lang) -> Option<String> {
    let applied = store.applied_calendar().ok()?;
    let old = match &applied {
        Some(t) => WorkCalendar::parse(t).unwrap_or_else(|_| files.cal_before.clone()),
        None => files.cal_before.clone(),
    };
    let mut said = None;
    if !old.same_days(&files.cal) {
        said = match store.recompute_due_dates(&old, &files.cal, now) {
            Ok(0) => None,
            Ok(n) => Some(i18n::fill(lang.practice().due_recomputed, n)),
            // the due dates stay as they were; the next start tries again
            Err(e) => return Some(i18n::store_error(lang, &e)),
        };
    }
    if applied.as_deref() != Some(files.cal_text.as_str()) {
        let _ = store.set_applied_calendar(&files.cal_text);
    }
    said
}

pub fn load_office_files(dir: &Path, lang: Lang) -> OfficeFiles {
    let t = lang.t();
    let mut out = OfficeFiles {
        cal: WorkCalendar::default(),
        cal_text: String::new(),
        cal_before: WorkCalendar::default(),
        cats: Categories::default(),
        warnings: Vec::new(),
        notices: Vec::new(),
        kept: Vec::new(),
    };
    load_calendar(dir, lang, &mut out);
    let mut warnings = std::mem::take(&mut out.warnings);
    let (cats, w) = office_file(
        dir,
        "categories.txt",
        &Categories::default().to_text(),
        |s| Categories::parse(s).map_err(|e| format!("{}: {}", e.line, e.text)),
        Categories::default(),
    );
    warnings.extend(w.map(|w| i18n::fill(t.categories_warning, w)));
    OfficeFiles { cats, warnings, ..out }
}
