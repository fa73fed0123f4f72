//! Where linli keeps its data: `--data-dir`, else `LINLI_DATA_DIR`, else the
//! platform's data dir from `directories` (never beside the binary). Demo
//! data lives in its own subfolder so it can never mix with real records.

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
    directories::ProjectDirs::from("cn", "linli", "linli").map(|d| d.data_dir().to_path_buf())
}

/// The store's folder for real records or for the demo.
pub fn store_dir(base: &Path, demo: bool) -> PathBuf {
    if demo { base.join("demo") } else { base.to_path_buf() }
}
