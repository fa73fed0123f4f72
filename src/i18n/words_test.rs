//! Not one English word in the Chinese interface: every Chinese word table
//! (serialised, so a field added later is walked too), every label of a
//! domain enum, every kind of record with its fields, every export column
//! and every store and backup error is read, and an ASCII word in it fails
//! the test unless it is one a Chinese office types or presses itself
//! (a key, a file format, a command line).

use super::*;
use crate::domain::duties::leave::{LeaveKind, LeaveStatus};
use crate::domain::duties::log::LogKind;
use crate::domain::duties::standing::Period;
use crate::domain::duties::task::TaskStatus;
use crate::domain::request::{Channel, Deadline, MoveKind, Satisfaction, Status, Urgency};
use crate::domain::volunteer::{Gender, PostStatus, Role, Staffing, TeamStatus, VolunteerKind};
use crate::domain::worker::WorkerStatus;
use crate::store::StoreError;
use crate::store::audit::AuditAction;
use crate::store::backup::BackupError;
use crate::store::record::RecordKind;

/// ASCII words a Chinese interface may hold: keys, file formats and units,
/// the program's own name and its command line (typed as they are).
// (one line for each group, so rustfmt keeps them together)
#[rustfmt::skip]
const ALLOWED: &[&str] = &[
    "Ctrl", "Esc", "Enter", "Tab", "Shift", "PgUp", "PgDn", "Home", "End", "F1", "F5",
    "CSV", "XLSX", "XLS", "HTML", "UTF", "BOM", "PIN", "MB", "GB", "Excel", "xlsx", "html", "txt", "roster",
    "linli", "LINLI_DATA_DIR", "LINLI_PASSPHRASE", "data", "dir", "encrypt", "by", "column", "skip", "bad", "rows",
    "yes", "repair", "check", "phone", "name", "requests", "residents", "workers", "volunteers", "audit",
    "restore", "accept", "key", "new", "store", "calendar", "duties", "grades",
    // more of what is typed on the command line: commands, options, values
    "backup", "export", "help", "gen", "size", "demo", "typical", "large", "today", "csv",
];

/// The ASCII words of `s` (runs of letters, digits and `_`), those with
/// a letter in them: `Ctrl`, `CSV`, but not `11` or `2026`.
fn ascii_words(s: &str) -> Vec<&str> {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        .collect()
}

/// What is wrong with one Chinese text: its ASCII words that are not
/// allowed. A single letter is a key to press (`n 新建`, `按 c 点评`,
/// `y 是`) or an example (`如 zs`).
fn foreign(s: &str) -> Vec<String> {
    ascii_words(s)
        .into_iter()
        .filter(|w| w.len() > 1 && !ALLOWED.contains(w) && !is_example(w))
        .map(str::to_string)
        .collect()
}

/// Examples of what to type that are Latin on purpose: pinyin initials
/// (`zs`) in a search hint.
fn is_example(w: &str) -> bool {
    matches!(w, "zs")
}

/// Every string in a serialised table, with the path of its field.
fn strings(v: &serde_json::Value, path: &str, out: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::String(s) => out.push((path.to_string(), s.clone())),
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                strings(x, &format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                strings(x, &format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

fn table<T: serde::Serialize>(name: &str, t: &T, out: &mut Vec<(String, String)>) {
    strings(&serde_json::to_value(t).expect("a word table serialises"), name, out);
}

/// Every Chinese word the program has, with where it comes from.
fn every_chinese_word() -> Vec<(String, String)> {
    let zh = Lang::Zh;
    let mut out = Vec::new();
    table("text", zh.t(), &mut out);
    table("data", zh.data(), &mut out);
    table("data_ui", zh.data_ui(), &mut out);
    table("report", zh.report(), &mut out);
    table("duties", zh.duties(), &mut out);
    table("volunteers", zh.volunteers(), &mut out);
    table("practice", zh.practice(), &mut out);
    table("trust", zh.trust(), &mut out);
    table("sharing", zh.sharing(), &mut out);
    table("overview", zh.overview(), &mut out);
    table("hosted", hosted::t(zh), &mut out);
    table("colleagues", zh.colleagues(), &mut out);
    let mut put = |what: &str, s: String| out.push((what.to_string(), s));
    for k in RecordKind::ALL {
        put("kind", fields::kind_name(zh, k).to_string());
        put("section", section(zh, k.name()));
        for f in fields::fields(k) {
            put(&format!("field {:?}.{}", k, f.key), f.label(zh).to_string());
        }
    }
    put("section", section(zh, "audit"));
    put("section", section(zh, "meta"));
    for s in Status::ALL {
        put("status", status(zh, s).to_string());
    }
    use MoveKind as M;
    let moves = [M::Assign, M::Start, M::Resolve, M::CallBack, M::Close, M::Reopen, M::Escalate, M::Transfer];
    let loop_steps = [M::Withdraw, M::Return, M::Merge, M::AskExtension, M::ApproveExtension, M::RefuseExtension];
    for m in moves.into_iter().chain(loop_steps).chain([M::YellowCard, M::RedCard]) {
        put("move", move_kind(zh, m).to_string());
    }
    for c in [crate::domain::request::Card::Yellow, crate::domain::request::Card::Red] {
        put("card", card(zh, c).to_string());
    }
    for c in Channel::ALL {
        put("channel", channel(zh, c).to_string());
    }
    for u in [Urgency::Normal, Urgency::Urgent] {
        put("urgency", urgency(zh, u).to_string());
    }
    for s in Satisfaction::ALL {
        put("satisfaction", satisfaction(zh, s).to_string());
    }
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    for d in [Deadline::Done, Deadline::Ok(5), Deadline::DueSoon(0), Deadline::DueSoon(1), Deadline::Overdue(27)] {
        put("deadline", deadline(zh, d, monday, today));
        put("deadline", deadline_long(zh, d, monday, today));
    }
    use AuditAction as A;
    for a in [A::Create, A::Update, A::Reveal, A::Export, A::Undo] {
        put("audit action", audit_action(zh, a).to_string());
    }
    for k in LeaveKind::ALL {
        put("leave kind", duties::leave_kind(zh, k).to_string());
    }
    use LeaveStatus as L;
    for s in [L::Requested, L::Approved, L::Refused, L::Withdrawn, L::Closed] {
        put("leave status", duties::leave_status(zh, s).to_string());
    }
    for k in LogKind::ALL {
        put("log kind", duties::log_kind(zh, k).to_string());
    }
    for p in Period::ALL {
        put("period", duties::period(zh, p).to_string());
        put("period", duties::this_period(zh, p).to_string());
    }
    for s in [TaskStatus::Open, TaskStatus::Done, TaskStatus::Cancelled] {
        put("task status", duties::task_status(zh, s).to_string());
    }
    for s in WorkerStatus::ALL {
        put("worker status", duties::worker_status(zh, s).to_string());
    }
    for r in Role::ALL {
        put("role", volunteers::role(zh, r).to_string());
    }
    for s in TeamStatus::ALL {
        put("team status", volunteers::team_status(zh, s).to_string());
    }
    for s in PostStatus::ALL {
        put("post status", volunteers::post_status(zh, s).to_string());
    }
    for k in VolunteerKind::ALL {
        put("volunteer kind", volunteers::kind(zh, k).to_string());
        put("volunteer kind", volunteers::kind_short(zh, k).to_string());
    }
    for g in Gender::ALL {
        put("gender", volunteers::gender(zh, g).to_string());
    }
    for s in [Staffing::Unclaimed, Staffing::Short(2), Staffing::Staffed, Staffing::Inactive] {
        put("staffing", volunteers::staffing(zh, s));
    }
    for c in columns::ALL {
        put("column", column(zh, c).to_string());
    }
    // a path of Chinese names: the path itself is the user's, not ours
    let path = std::path::PathBuf::from("/U盘/备份");
    let io = |kind| StoreError::File { path: path.clone(), kind };
    use std::io::ErrorKind as K;
    for e in [
        StoreError::Locked(path.clone()),
        StoreError::NewerSchema { found: 9, supported: 4 },
        StoreError::NotFound { what: "resident", key: 3 },
        StoreError::Corrupt { what: "request", key: 3, detail: "unexpected end of input".into() },
        StoreError::Corrupt { what: "store", key: 0, detail: "sled corruption at 12".into() },
        StoreError::DiskFull,
        StoreError::Changed { kind: RecordKind::Request, key: 12 },
        StoreError::Io("No such file or directory (os error 2)".into()),
        StoreError::Io("Permission denied (os error 13)".into()),
        StoreError::Io("Input/output error (os error 5)".into()),
        StoreError::ReadOnly("Read-only file system (os error 30)".into()),
        io(K::NotFound),
        io(K::PermissionDenied),
        io(K::IsADirectory),
        io(K::Other),
    ] {
        put("store error", store_error(zh, &e));
    }
    for e in [
        BackupError::Missing(path.clone()),
        BackupError::MissingFolder(path.clone()),
        BackupError::NotABackup,
        BackupError::Truncated,
        BackupError::PassphraseRequired,
        BackupError::WrongPassphrase,
        BackupError::EmptyPassphrase,
    ] {
        put("backup error", backup_error(zh, &e));
    }
    out
}

#[test]
fn no_english_word_in_the_chinese_interface() {
    let words = every_chinese_word();
    assert!(words.len() > 700, "the tables were walked: {}", words.len());
    let bad: Vec<String> = words
        .iter()
        .filter(|(_, s)| !s.is_empty())
        .filter_map(|(what, s)| {
            let f = foreign(s);
            (!f.is_empty()).then(|| format!("{what}: {s:?} has {f:?}"))
        })
        .collect();
    assert!(bad.is_empty(), "English in the Chinese interface:\n{}", bad.join("\n"));
}

#[test]
fn the_check_itself_catches_english() {
    // the mutation that breaks the test above: an English word slips in
    assert_eq!(foreign("已撤销：rota 202612070"), vec!["rota"]);
    assert_eq!(foreign("读写磁盘出错：No such file or directory (os error 2)").len(), 7);
    assert!(foreign("按 c 点评；Ctrl+S 保存；导出 CSV").is_empty());
    assert!(foreign("拼音首字母（如 zs）").is_empty());
}

#[test]
fn chinese_text_uses_full_width_punctuation() {
    // GB/T 15834: a colon, bracket or question mark next to Chinese is
    // full-width (a clock time 09:00, a ratio 50:30:20 and keys keep theirs)
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let bad: Vec<String> = every_chinese_word()
        .iter()
        .filter(|(_, s)| {
            let cs: Vec<char> = s.chars().collect();
            cs.windows(2).any(|w| {
                (cjk(w[0]) && matches!(w[1], ':' | '(' | '?' | ')' | '!'))
                    || (matches!(w[0], ':' | ')' | '(' | '?') && cjk(w[1]))
            })
        })
        .map(|(what, s)| format!("{what}: {s:?}"))
        .collect();
    assert!(bad.is_empty(), "half-width punctuation beside Chinese:\n{}", bad.join("\n"));
}
