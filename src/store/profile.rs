//! The community profile and the optional ID numbers of volunteers and
//! residents, both kept in the meta tree (no schema change: an older store
//! opens unchanged and reads as "none yet"; a backup carries meta whole).
//! An ID number's change is audited with masked values; reading it in
//! full goes through `Store::record_reveal` first (the callers do that).

use super::audit::{AuditAction, AuditEntry};
use super::record::{FieldChange, RecordKind};
use super::{Result, Store, StoreError, T_META};
use crate::domain::profile::Profile;
use crate::domain::{WorkerId, mask};
use chrono::NaiveDateTime;

const META_PROFILE: &[u8] = b"profile";

fn id_key(kind: RecordKind, key: u64) -> Vec<u8> {
    format!("id_number/{}/{key:020}", kind.name()).into_bytes()
}

impl Store {
    /// The community profile; the empty profile when none was saved.
    pub fn profile(&self) -> Result<Profile> {
        match self.meta().get(META_PROFILE)? {
            None => Ok(Profile::default()),
            Some(v) => serde_json::from_slice(&v).map_err(|e| StoreError::Corrupt {
                what: "profile",
                key: 0,
                detail: e.to_string(),
            }),
        }
    }

    /// Saves the profile (flushed before it returns).
    pub fn set_profile(&self, p: &Profile) -> Result<()> {
        let bytes = serde_json::to_vec(p).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.meta().insert(META_PROFILE, bytes)?;
        self.flush()
    }

    /// A volunteer's or a resident's ID number in full, if one is kept.
    /// Callers show it masked (`mask::id_number`) unless the reveal was
    /// recorded.
    pub fn id_number(&self, kind: RecordKind, key: u64) -> Result<Option<String>> {
        Ok(self.meta().get(id_key(kind, key))?.map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    /// Keeps (or with `None` forgets) an ID number, already checked
    /// (`domain::id_number::parse`); the change is audited, masked.
    pub fn set_id_number(
        &self,
        kind: RecordKind,
        key: u64,
        number: Option<&str>,
        by: Option<WorkerId>,
        at: NaiveDateTime,
    ) -> Result<()> {
        let old = self.id_number(kind, key)?.map(|s| mask::id_number(&s)).unwrap_or_default();
        let new = number.map(mask::id_number).unwrap_or_default();
        let entry = AuditEntry {
            at,
            by,
            kind,
            key,
            action: AuditAction::Update,
            changes: vec![FieldChange { field: "id_number".into(), old, new }],
        };
        let k = id_key(kind, key);
        self.transact(|t| {
            match number {
                Some(n) => t[T_META].insert(k.as_slice(), n.as_bytes())?,
                None => t[T_META].remove(k.as_slice())?,
            };
            Self::tx_audit(t, &entry)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(9, 30, 0).unwrap()
    }

    #[test]
    fn a_store_without_a_profile_reads_empty_and_keeps_one_saved() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert!(store.profile().unwrap().is_empty());
        let mut p = Profile::default();
        p.set("name", "幸福里社区");
        p.set("issuer", "幸福里社区居民委员会");
        store.set_profile(&p).unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.profile().unwrap(), p);
    }

    #[test]
    fn an_id_number_is_kept_apart_and_its_change_audited_masked() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.id_number(RecordKind::Volunteer, 3).unwrap(), None);
        store.set_id_number(RecordKind::Volunteer, 3, Some("11010519491231002X"), None, at()).unwrap();
        assert_eq!(store.id_number(RecordKind::Volunteer, 3).unwrap().as_deref(), Some("11010519491231002X"));
        assert_eq!(store.id_number(RecordKind::Resident, 3).unwrap(), None);
        let mut trail = Vec::new();
        store.scan_audit_readable(|e| trail.push(e), |_, _| {}).unwrap();
        let last = trail.last().unwrap();
        assert_eq!(last.changes[0].field, "id_number");
        assert!(!last.changes[0].new.contains("19491231"), "{:?}", last.changes);
        store.set_id_number(RecordKind::Volunteer, 3, None, None, at()).unwrap();
        assert_eq!(store.id_number(RecordKind::Volunteer, 3).unwrap(), None);
    }
}
