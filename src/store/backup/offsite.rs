//! When a backup last left the machine (the header's warning).
//!
//! It is kept twice: in the store's meta (so a backup carries it), and in a
//! small file in the data dir beside the store, which a restore does not
//! replace: a backup is cut before its own making is recorded, so restoring
//! the backup just made must not bring back "! 从未异地备份". The later of
//! the two is the answer.

use super::*;

pub(super) const META_LAST_OFFSITE: &[u8] = b"last_offsite_backup";
/// The machine's own record, in the data dir (not in the store).
pub const OFFSITE_FILE: &str = "last-offsite-backup.json";
/// Warn when the last backup that left the machine is older than this.
pub const DEFAULT_WARN_DAYS: i64 = 7;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsiteBackup {
    pub at: NaiveDateTime,
    pub path: PathBuf,
}

impl Store {
    /// The last backup written outside the data dir (a USB stick, a share).
    pub fn last_offsite_backup(&self) -> std::result::Result<Option<OffsiteBackup>, StoreError> {
        let kept: Option<OffsiteBackup> =
            self.meta().get(META_LAST_OFFSITE)?.and_then(|v| serde_json::from_slice(&v).ok());
        let machine: Option<OffsiteBackup> =
            fs::read(self.dir().join(OFFSITE_FILE)).ok().and_then(|v| serde_json::from_slice(&v).ok());
        Ok(match (kept, machine) {
            (Some(a), Some(b)) => Some(if b.at > a.at { b } else { a }),
            (a, b) => a.or(b),
        })
    }

    pub(super) fn set_last_offsite_backup(&self, b: &OffsiteBackup) -> std::result::Result<(), StoreError> {
        let v = serde_json::to_vec(b).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.meta().insert(META_LAST_OFFSITE, v.clone())?;
        self.flush()?;
        // the machine's copy: a failure to write it only loses the warning's
        // memory across a restore, never the backup
        let _ = crate::platform::private::write(&self.dir().join(OFFSITE_FILE), &v);
        Ok(())
    }

    /// `Some(days since)` when the header should warn that no backup has
    /// left the machine for more than `max_days`; `Some(i64::MAX)` when none
    /// ever has.
    pub fn offsite_backup_overdue(
        &self,
        now: NaiveDateTime,
        max_days: i64,
    ) -> std::result::Result<Option<i64>, StoreError> {
        Ok(overdue_days(self.last_offsite_backup()?.map(|b| b.at), now, max_days))
    }
}

/// Days since `last` when that is more than `max_days`; `i64::MAX` for never.
pub fn overdue_days(last: Option<NaiveDateTime>, now: NaiveDateTime, max_days: i64) -> Option<i64> {
    match last {
        None => Some(i64::MAX),
        Some(at) => {
            let days = (now.date() - at.date()).num_days();
            (days > max_days).then_some(days)
        }
    }
}
