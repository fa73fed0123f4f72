//! Automatic local snapshots: on the first start of a day, linli writes a
//! backup into `DATA_DIR/snapshots/` without being asked, and keeps 7 daily,
//! 4 weekly and 12 monthly ones. They guard against a mistake or a damaged
//! store, not against losing the PC: that is what backups that leave the
//! machine are for (see `Store::last_offsite_backup`).

use super::Store;
use super::backup::{self, BackupError, BackupInfo, BackupOptions, EXT_PLAIN};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

pub const SNAPSHOT_DIR: &str = "snapshots";
const PREFIX: &str = "snapshot-";
pub const KEEP_DAILY: usize = 7;
pub const KEEP_WEEKLY: usize = 4;
pub const KEEP_MONTHLY: usize = 12;

pub fn snapshot_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(SNAPSHOT_DIR)
}

fn snapshot_name(day: NaiveDate) -> String {
    format!("{PREFIX}{}{EXT_PLAIN}", day.format("%Y-%m-%d"))
}

fn day_of(name: &str) -> Option<NaiveDate> {
    let date = name.strip_prefix(PREFIX)?.strip_suffix(EXT_PLAIN)?;
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

/// Whether the day's snapshot is still to be made.
pub fn is_due(data_dir: &Path, today: NaiveDate) -> bool {
    !snapshot_dir(data_dir).join(snapshot_name(today)).exists()
}

/// Today's snapshot, if there is none yet: writes and verifies it, then
/// removes the snapshots the rotation no longer keeps. Returns `None`
/// (after one directory lookup) when today's exists.
pub fn auto_snapshot(store: &Store, now: NaiveDateTime) -> Result<Option<BackupInfo>, BackupError> {
    let dir = snapshot_dir(store.dir());
    let path = dir.join(snapshot_name(now.date()));
    if path.exists() {
        return Ok(None);
    }
    crate::platform::private::create_dir_all(&dir)?;
    let info = backup::backup(store, &path, now, &BackupOptions::default(), |_, _| {})?;
    rotate(&dir)?;
    Ok(Some(info))
}

/// The snapshots in the folder, oldest first.
pub fn list(data_dir: &Path) -> Vec<(NaiveDate, PathBuf)> {
    let mut out: Vec<(NaiveDate, PathBuf)> = fs::read_dir(snapshot_dir(data_dir))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((day_of(&e.file_name().to_string_lossy())?, e.path())))
        .collect();
    out.sort();
    out
}

fn rotate(dir: &Path) -> Result<(), BackupError> {
    let Some(data_dir) = dir.parent() else { return Ok(()) };
    let all = list(data_dir);
    let keep = to_keep(&all.iter().map(|(d, _)| *d).collect::<Vec<_>>());
    for (day, path) in all {
        if !keep.contains(&day) {
            fs::remove_file(path)?;
        }
    }
    Ok(())
}

/// Which days' snapshots to keep: the newest 7, the newest of each of the
/// 4 newest weeks, and the newest of each of the 12 newest months.
pub fn to_keep(days: &[NaiveDate]) -> BTreeSet<NaiveDate> {
    let mut newest_first: Vec<NaiveDate> = days.to_vec();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    newest_first.dedup();
    let mut keep: BTreeSet<NaiveDate> = newest_first.iter().take(KEEP_DAILY).copied().collect();
    let mut newest_per = |period: &dyn Fn(NaiveDate) -> (i32, u32), n: usize| {
        let mut seen = BTreeSet::new();
        for d in &newest_first {
            if seen.len() == n && !seen.contains(&period(*d)) {
                break;
            }
            if seen.insert(period(*d)) {
                keep.insert(*d);
            }
        }
    };
    newest_per(&|d| (d.iso_week().year(), d.iso_week().week()), KEEP_WEEKLY);
    newest_per(&|d| (d.year(), d.month()), KEEP_MONTHLY);
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn names_carry_the_day() {
        assert_eq!(snapshot_name(d("2026-11-24")), "snapshot-2026-11-24.jsonl.gz");
        assert_eq!(day_of("snapshot-2026-11-24.jsonl.gz"), Some(d("2026-11-24")));
        assert_eq!(day_of(".snapshot-2026-11-24.jsonl.gz.12.part"), None);
        assert_eq!(day_of("snapshot-2026-13-24.jsonl.gz"), None);
    }

    #[test]
    fn a_year_of_daily_snapshots_keeps_7_daily_4_weekly_12_monthly() {
        let days: Vec<NaiveDate> = d("2025-11-25").iter_days().take_while(|x| *x <= d("2026-11-24")).collect();
        let keep = to_keep(&days);
        // the last 7 days
        for x in d("2026-11-18").iter_days().take(7) {
            assert!(keep.contains(&x), "{x}");
        }
        // the newest of the 4 newest weeks: Tue 24 Nov (this week), then the
        // Sundays 22 (already a daily one), 15 and 8 Nov
        for x in ["2026-11-15", "2026-11-08"] {
            assert!(keep.contains(&d(x)), "{x}");
        }
        // month ends of the 11 months before November
        for x in ["2026-10-31", "2026-09-30", "2026-01-31", "2025-12-31"] {
            assert!(keep.contains(&d(x)), "{x}");
        }
        assert!(!keep.contains(&d("2025-11-30")), "12 months: Dec 2025 … Nov 2026");
        assert!(!keep.contains(&d("2026-11-10")));
        assert!(!keep.contains(&d("2026-11-01")));
        assert_eq!(keep.len(), 7 + 2 + 11);
    }

    #[test]
    fn few_snapshots_are_all_kept() {
        let days = [d("2026-01-05"), d("2026-03-01"), d("2026-03-02")];
        assert_eq!(to_keep(&days).len(), 3);
        assert!(to_keep(&[]).is_empty());
    }
}
