//! Where linli keeps its data: `--data-dir`, else `LINLI_DATA_DIR`, else the
//! platform's data dir from `directories` (never beside the binary). Demo
//! data lives in its own subfolder so it can never mix with real records.
//!
//! On Windows that is the local AppData folder (`%LOCALAPPDATA%\linli\linli\data`),
//! not the roaming one: in a domain set-up a roaming profile is copied to
//! the server at every logoff, which is no place for a database. A data
//! folder that an older linli made in the roaming place is still used, as
//! it is, when the local one holds nothing: never moved behind the user's
//! back (on Linux and macOS both places are the same folder).

use std::path::{Path, PathBuf};

pub const ENV_DATA_DIR: &str = "LINLI_DATA_DIR";

/// The base data dir from the flag, the environment, or the platform.
pub fn base_dir(flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(ENV_DATA_DIR).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let dirs = directories::ProjectDirs::from("cn", "linli", "linli")?;
    Some(pick_default(dirs.data_local_dir(), dirs.data_dir(), holds_something))
}

/// The local data folder, unless it holds nothing and the roaming one (where
/// linli kept its data before) does.
fn pick_default(local: &Path, roaming: &Path, holds: impl Fn(&Path) -> bool) -> PathBuf {
    if local != roaming && !holds(local) && holds(roaming) { roaming.to_path_buf() } else { local.to_path_buf() }
}

/// Whether `dir` is a folder with anything in it.
fn holds_something(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some())
}

/// The store's folder for real records or for the demo.
pub fn store_dir(base: &Path, demo: bool) -> PathBuf {
    if demo { base.join("demo") } else { base.to_path_buf() }
}

/// `path` made absolute with its links resolved, as the user would write
/// it: without the verbatim prefix Windows' `canonicalize` adds
/// (`\\?\E:\备份`, which never starts with the drive root `E:\`, and reads
/// oddly in an audit entry; `\\?\UNC\server\share` for a network folder).
/// `path` as it is when it cannot be resolved (it does not exist yet).
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).map(plain).unwrap_or_else(|_| path.to_path_buf())
}

fn plain(p: PathBuf) -> PathBuf {
    match p.to_str().and_then(without_verbatim) {
        Some(s) => PathBuf::from(s),
        None => p,
    }
}

/// `s` without a `\\?\` prefix, when it has one that can go: a drive letter
/// path or a UNC share. (A verbatim path to a device or a volume GUID stays.)
fn without_verbatim(s: &str) -> Option<String> {
    let rest = s.strip_prefix(r"\\?\")?;
    if let Some(share) = rest.strip_prefix(r"UNC\") {
        return Some(format!(r"\\{share}"));
    }
    let b = rest.as_bytes();
    let drive = b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'\\';
    drive.then(|| rest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_local_folder_wins_unless_only_the_roaming_one_holds_data() {
        let dir = tempfile::tempdir().unwrap();
        let (local, roaming) = (dir.path().join("Local"), dir.path().join("Roaming"));
        // a new office: nothing anywhere, the local folder
        assert_eq!(pick_default(&local, &roaming, holds_something), local);
        // an older linli's data in the roaming folder: used where it is
        std::fs::create_dir_all(roaming.join("store")).unwrap();
        assert_eq!(pick_default(&local, &roaming, holds_something), roaming);
        // an empty local folder does not hide it
        std::fs::create_dir_all(&local).unwrap();
        assert_eq!(pick_default(&local, &roaming, holds_something), roaming);
        // once the local folder holds data, it is the one
        std::fs::create_dir_all(local.join("store")).unwrap();
        assert_eq!(pick_default(&local, &roaming, holds_something), local);
        // Linux and macOS: one folder
        assert_eq!(pick_default(&roaming, &roaming, |_| false), roaming);
    }

    #[test]
    fn the_verbatim_prefix_goes() {
        assert_eq!(without_verbatim(r"\\?\E:\备份\邻里"), Some(r"E:\备份\邻里".to_string()));
        assert_eq!(without_verbatim(r"\\?\e:\"), Some(r"e:\".to_string()));
        assert_eq!(without_verbatim(r"\\?\UNC\server\share\x"), Some(r"\\server\share\x".to_string()));
        // nothing to take away, or nothing that may go
        assert_eq!(without_verbatim(r"E:\备份"), None);
        assert_eq!(without_verbatim(r"\\?\Volume{0b1c}\x"), None);
        assert_eq!(without_verbatim(r"\\?\E:"), None);
        assert_eq!(plain(PathBuf::from("/media/u")), PathBuf::from("/media/u"));
        #[cfg(windows)]
        assert!(plain(PathBuf::from(r"\\?\E:\备份")).starts_with(r"E:\"));
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(canonical(&dir.path().join("不在")), dir.path().join("不在"), "not there yet: as typed");
    }
}
