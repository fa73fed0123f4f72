//! The way back when the store is gone or sled will not open it: the
//! backups and daily snapshots kept in the data dir, newest first, with
//! when each was made (from its manifest; an encrypted one from its name).

use super::*;
use crate::store::snapshot::SNAPSHOT_DIR;

/// A copy the data could be restored from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    /// A daily snapshot (`snapshots/`), not a backup someone made.
    pub snapshot: bool,
    /// When it was made, if that can be told without a passphrase.
    pub made_at: Option<NaiveDateTime>,
    pub encrypted: bool,
}

/// Whether the data dir has no store (`store/db`) while it does hold
/// copies: a start must then offer them rather than begin empty.
pub fn store_missing_with_copies(data_dir: &Path) -> bool {
    !data_dir.join(STORE_DIR).join("db").exists() && !candidates(data_dir).is_empty()
}

/// The backups (`backups/`) and daily snapshots (`snapshots/`) in the data
/// dir, newest first. Files that are not linli backups are left out.
pub fn candidates(data_dir: &Path) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (sub, snapshot) in [("backups", false), (SNAPSHOT_DIR, true)] {
        for e in fs::read_dir(data_dir.join(sub)).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            let ours = name.starts_with("linli-backup-") || name.starts_with("snapshot-");
            if !ours || !e.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            if name.ends_with(EXT_ENCRYPTED) {
                out.push(Candidate { made_at: time_in_name(&name), path, snapshot, encrypted: true });
            } else if name.ends_with(EXT_PLAIN) {
                match peek(&path, None) {
                    Ok((m, _)) => out.push(Candidate { path, snapshot, made_at: Some(m.created_at), encrypted: false }),
                    // damaged or cut short: no way back
                    Err(_) => continue,
                }
            }
        }
    }
    out.sort_by(|a, b| b.made_at.cmp(&a.made_at).then(b.path.cmp(&a.path)));
    out
}

/// `linli-backup-20261124-100000…` → 2026-11-24 10:00:00.
fn time_in_name(name: &str) -> Option<NaiveDateTime> {
    let rest = name.strip_prefix("linli-backup-")?;
    NaiveDateTime::parse_from_str(rest.get(..15)?, "%Y%m%d-%H%M%S").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_come_from_names_of_encrypted_backups() {
        let t = time_in_name("linli-backup-20261124-100502.jsonl.gz.age").unwrap();
        assert_eq!(t.format("%Y-%m-%d %H:%M:%S").to_string(), "2026-11-24 10:05:02");
        assert_eq!(time_in_name("snapshot-2026-11-24.jsonl.gz"), None);
    }
}
