//! The optional start-up PIN for offices where the PC is shared. Only a
//! salted, iterated SHA-256 of it is kept, in the store's meta tree; the
//! app asks for it before showing anything.

use super::{Result, Store};
use sha2::{Digest, Sha256};

const META_PIN: &[u8] = b"pin";
const ROUNDS: u32 = 50_000;

fn hash(salt: &[u8], pin: &str) -> [u8; 32] {
    let mut h: [u8; 32] = Sha256::new().chain_update(salt).chain_update(pin.trim().as_bytes()).finalize().into();
    for _ in 0..ROUNDS {
        h = Sha256::new().chain_update(salt).chain_update(h).finalize().into();
    }
    h
}

fn salt() -> [u8; 16] {
    // unique, not secret: time and process id are enough for a salt
    let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
    let full: [u8; 32] = Sha256::digest(seed.as_bytes()).into();
    let mut s = [0u8; 16];
    s.copy_from_slice(&full[..16]);
    s
}

impl Store {
    pub fn pin_is_set(&self) -> Result<bool> {
        Ok(self.trees[super::T_META].get(META_PIN)?.is_some())
    }

    /// Sets (or with `None` removes) the start-up PIN, durably.
    pub fn set_pin(&self, pin: Option<&str>) -> Result<()> {
        let meta = &self.trees[super::T_META];
        match pin {
            Some(p) => {
                let s = salt();
                let mut v = s.to_vec();
                v.extend_from_slice(&hash(&s, p));
                meta.insert(META_PIN, v)?;
            }
            None => {
                meta.remove(META_PIN)?;
            }
        }
        self.flush()
    }

    /// Whether `pin` is right (true when no PIN is set).
    pub fn check_pin(&self, pin: &str) -> Result<bool> {
        match self.trees[super::T_META].get(META_PIN)? {
            None => Ok(true),
            Some(v) if v.len() == 48 => Ok(hash(&v[..16], pin)[..] == v[16..]),
            Some(_) => Ok(false),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_pin_is_checked_against_its_salted_hash() {
        let dir = tempfile::tempdir().unwrap();
        let s = super::Store::open(dir.path()).unwrap();
        assert!(!s.pin_is_set().unwrap());
        assert!(s.check_pin("anything").unwrap());
        s.set_pin(Some("2468")).unwrap();
        assert!(s.pin_is_set().unwrap());
        assert!(s.check_pin("2468").unwrap());
        assert!(s.check_pin(" 2468 ").unwrap());
        assert!(!s.check_pin("1357").unwrap());
        s.set_pin(None).unwrap();
        assert!(s.check_pin("1357").unwrap());
    }
}
