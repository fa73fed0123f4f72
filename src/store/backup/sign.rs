//! Signed backups. Each data dir has its own signing key (Ed25519, through
//! `ed25519-dalek`), made the first time linli starts on it and kept in
//! `DATA_DIR/signing.key`, readable by its owner only. Every backup
//! (format 2) names the key's public half and the office in its manifest
//! and ends with a signature over everything before it, so a backup edited
//! on a stick — even with its SHA-256 recomputed — is refused, and one
//! signed by another computer's key (a new PC after the old one died, or
//! someone who re-signed an edited file) is restored only after the user
//! confirms that key's fingerprint.
//!
//! The key is not in the backups: it identifies the computer the backup
//! was made on, not the records.

use super::*;
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};

pub const KEY_FILE: &str = "signing.key";
const KEY_HEADER: &str = "linli signing key 1";
/// What is signed: this, then the SHA-256 of every byte before the
/// signature line.
const CONTEXT: &[u8] = b"linli backup signature 1\n";

/// Who signed a backup: the public key (hex) and the office it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    pub key: String,
    pub office: String,
}

impl Signer {
    /// The first 16 hex digits of the key's SHA-256, in groups of four:
    /// what a person compares.
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(self.key.as_bytes());
        let h = hex(&digest[..8]);
        (0..4).map(|i| &h[i * 4..i * 4 + 4]).collect::<Vec<_>>().join(" ")
    }

    /// Whether `typed` (spaces and case ignored) is the start of the
    /// fingerprint, at least `min` digits of it.
    pub fn fingerprint_starts_with(&self, typed: &str, min: usize) -> bool {
        let want: String = self.fingerprint().chars().filter(|c| !c.is_whitespace()).collect();
        let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
        typed.len() >= min && want.starts_with(&typed)
    }

    /// `fingerprint (office)`, for messages.
    pub fn describe(&self) -> String {
        format!("{} · {}", self.fingerprint(), self.office)
    }
}

/// A data dir's signing key.
pub struct OfficeKey {
    key: SigningKey,
    pub signer: Signer,
}

impl OfficeKey {
    pub(super) fn sign(&self, digest: &[u8]) -> String {
        hex(&self.key.sign(&message(digest)).to_bytes())
    }
}

fn message(digest: &[u8]) -> Vec<u8> {
    [CONTEXT, digest].concat()
}

/// The data dir's key, made (owner-only) if there is none yet.
pub fn office_key(data_dir: &Path) -> Result<OfficeKey> {
    let path = data_dir.join(KEY_FILE);
    match fs::read_to_string(&path) {
        Ok(text) => parse_key(&text).ok_or_else(|| BackupError::Corrupted(format!("{}", path.display()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => make_key(data_dir),
        Err(e) => Err(e.into()),
    }
}

/// The data dir's public key, if it has one (nothing is made).
pub fn office_signer(data_dir: &Path) -> Option<Signer> {
    fs::read_to_string(data_dir.join(KEY_FILE)).ok().and_then(|t| parse_key(&t)).map(|k| k.signer)
}

fn parse_key(text: &str) -> Option<OfficeKey> {
    let mut lines = text.lines();
    if lines.next()? != KEY_HEADER {
        return None;
    }
    let seed: [u8; 32] = unhex(lines.next()?.trim())?.try_into().ok()?;
    let office = lines.next().unwrap_or("").to_string();
    let key = SigningKey::from_bytes(&seed);
    let signer = Signer { key: hex(key.verifying_key().as_bytes()), office };
    Some(OfficeKey { key, signer })
}

fn make_key(data_dir: &Path) -> Result<OfficeKey> {
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|e| BackupError::Corrupted(format!("no randomness for a key: {e}")))?;
    let office = format!("{} {}", host_name(), absolute(data_dir).display());
    let text = format!("{KEY_HEADER}\n{}\n{office}\n", hex(&seed));
    crate::platform::private::create_dir_all(data_dir)?;
    // written whole under another name, then renamed: never half a key
    let tmp = data_dir.join(format!(".{KEY_FILE}.{}.part", std::process::id()));
    {
        let mut f = crate::platform::private::create_file(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    let path = data_dir.join(KEY_FILE);
    // two starts at once: the first key stays
    if path.exists() {
        let _ = fs::remove_file(&tmp);
        return office_key(data_dir);
    }
    fs::rename(&tmp, &path)?;
    sync_dir(data_dir);
    parse_key(&text).ok_or_else(|| BackupError::Corrupted("signing key".into()))
}

fn host_name() -> String {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is ours and its length is passed.
        let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0;
        if ok {
            let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
            return String::from_utf8_lossy(&buf[..end]).into_owned();
        }
        String::new()
    }
    #[cfg(not(unix))]
    {
        std::env::var("COMPUTERNAME").unwrap_or_default()
    }
}

/// Checks `sig` (hex) by `signer` over `digest`.
pub(super) fn verify_signature(signer: &Signer, digest: &[u8], sig: &str) -> bool {
    let Some(key) = unhex(&signer.key).and_then(|k| <[u8; 32]>::try_from(k).ok()) else { return false };
    let Ok(key) = VerifyingKey::from_bytes(&key) else { return false };
    let Some(sig) = unhex(sig).and_then(|s| <[u8; 64]>::try_from(s).ok()) else { return false };
    key.verify(&message(digest), &Signature::from_bytes(&sig)).is_ok()
}

/// How a verified backup stands to this data dir.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// Signed with this data dir's key.
    Ours(Signer),
    /// Signed, with another key: restoring needs the user's confirmation.
    Foreign(Signer),
    /// Format 1: made before backups were signed.
    Unsigned,
}

/// Whose key signed `info`'s backup, compared with `data_dir`'s.
pub fn trust(info: &BackupInfo, data_dir: &Path) -> Trust {
    match &info.signer {
        None => Trust::Unsigned,
        Some(s) if office_signer(data_dir).is_some_and(|ours| ours.key == s.key) => Trust::Ours(s.clone()),
        Some(s) => Trust::Foreign(s.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_private_and_signs() {
        let dir = tempfile::tempdir().unwrap();
        let k = office_key(dir.path()).unwrap();
        assert!(!crate::platform::private::is_open_to_others(&dir.path().join(KEY_FILE)));
        let again = office_key(dir.path()).unwrap();
        assert_eq!(k.signer, again.signer);
        let digest = Sha256::digest(b"records");
        let sig = k.sign(&digest);
        assert!(verify_signature(&k.signer, &digest, &sig));
        assert!(!verify_signature(&k.signer, &Sha256::digest(b"records, edited"), &sig));
        let other = office_key(tempfile::tempdir().unwrap().path()).unwrap();
        assert!(!verify_signature(&other.signer, &digest, &sig));
        assert_eq!(k.signer.fingerprint().len(), 19);
        assert!(k.signer.fingerprint_starts_with(&k.signer.fingerprint()[..4].to_uppercase(), 4));
        assert!(!k.signer.fingerprint_starts_with("", 4));
    }
}
