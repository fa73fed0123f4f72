//! Small real file systems for fault tests: a tmpfs of a given size,
//! unmounted on drop. Where mounting is impossible (not root, no
//! CAP_SYS_ADMIN) a test cannot prove anything, and it never passes as if
//! it had: it fails, with the reason. Only with `LINLI_ALLOW_SKIP=1` (and
//! never under `CI=true`) does it print `SKIPPED <test>: <why>` and return;
//! `grep SKIPPED` in the output counts them.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` (e.g. "8m"), or says why not (see above).
    pub fn mount(size: &str, test: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().expect("a temp dir");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0700"), "tmpfs"])
            .arg(dir.path())
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs { dir }),
            other => {
                let why = match other {
                    Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_string(),
                    Err(e) => e.to_string(),
                };
                assert!(
                    may_skip(),
                    "{test}: cannot mount a tmpfs here ({why}); this test needs root or CAP_SYS_ADMIN. \
                     Run it where it can mount, or set LINLI_ALLOW_SKIP=1 (outside CI) to skip it knowingly"
                );
                eprintln!("SKIPPED {test}: cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN): {why}");
                None
            }
        }
    }

    /// Remounts with `opts`. Going read-only fails while a file is still
    /// open for writing (a store dropped a moment ago may still be closing
    /// its files), so this tries again until it succeeds, for up to 5 s.
    pub fn remount(&self, opts: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let s = Command::new("mount")
                .args(["-o", &format!("remount,{opts}")])
                .arg(self.dir.path())
                .stderr(std::process::Stdio::null())
                .status()
                .unwrap();
            if s.success() {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "remount {opts}");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }
}

/// Whether a test that cannot mount may skip: only with
/// `LINLI_ALLOW_SKIP=1`, and never under CI.
pub fn may_skip() -> bool {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    !ci && std::env::var("LINLI_ALLOW_SKIP").is_ok_and(|v| v == "1")
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// Fills the file system under `dir` with one file until it is full;
/// returns its path (remove it to make room again).
pub fn fill_up(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).expect("filler");
    let block = vec![0x55u8; 64 * 1024];
    loop {
        if f.write_all(&block).is_err() {
            break;
        }
    }
    // the last partial block may still fit
    let _ = f.write_all(&block[..4096]);
    let _ = f.sync_all();
    path
}
