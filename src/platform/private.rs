//! Files readable by their owner only. The data dir holds a community's
//! personal information (names, phone numbers, addresses): on Unix every
//! folder linli makes is 0700 and every file 0600, whatever the umask; the
//! binary also sets its umask to 077 so that what libraries write for it
//! (sled's files, a spreadsheet's temporary parts) is private too. On
//! Windows the data dir lies in the user's own profile, which other
//! accounts cannot read; nothing more is done there.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::Path;

/// Makes every file and folder this process creates from now on private
/// (umask 077). Called once by the binary before anything is written.
pub fn private_umask() {
    #[cfg(unix)]
    // SAFETY: umask only changes the process's file-creation mask.
    unsafe {
        libc::umask(0o077);
    }
}

/// `fs::create_dir_all`, with every folder it makes owner-only.
pub fn create_dir_all(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
    }
    #[cfg(not(unix))]
    fs::create_dir_all(dir)
}

fn options(new: bool) -> OpenOptions {
    let mut o = OpenOptions::new();
    o.write(true);
    if new {
        o.create_new(true);
    } else {
        o.create(true).truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o
}

/// `File::create`, owner-only. An existing file keeps its inode (and is
/// made owner-only).
pub fn create_file(path: &Path) -> io::Result<File> {
    let f = options(false).open(path)?;
    restrict_open(&f)?;
    Ok(f)
}

/// Opens a file for writing without emptying it, creating it owner-only
/// if missing (a lock file).
pub fn open_or_create(path: &Path) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// A new file that must not exist yet (`O_EXCL`: never through a link or
/// onto a device someone put at that name), owner-only.
pub fn create_new_file(path: &Path) -> io::Result<File> {
    options(true).open(path)
}

/// `fs::write`, owner-only.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    create_file(path)?.write_all(bytes)
}

fn restrict_open(f: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = f.metadata()?.permissions().mode();
        if mode & 0o077 != 0 {
            f.set_permissions(fs::Permissions::from_mode(mode & 0o700))?;
        }
    }
    #[cfg(not(unix))]
    let _ = f;
    Ok(())
}

/// Makes one file or folder its owner's alone: the group's and others'
/// permissions are removed (0644 → 0600, 0755 → 0700). Links are left alone.
pub fn restrict(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = fs::symlink_metadata(path)?;
        if !(meta.is_dir() || meta.is_file()) {
            return Ok(());
        }
        let mode = meta.permissions().mode() & 0o7777;
        if mode & 0o077 != 0 {
            fs::set_permissions(path, fs::Permissions::from_mode(mode & 0o700))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Makes `dir` and everything under it owner-only: data dirs written by an
/// older linli (folders 0755, files 0644) are closed at the next start.
/// Best effort: what cannot be changed is left as it is. Links are not
/// followed.
pub fn restrict_tree(dir: &Path) {
    #[cfg(unix)]
    {
        let _ = restrict(dir);
        let Ok(entries) = fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                restrict_tree(&e.path());
            } else if kind.is_file() {
                let _ = restrict(&e.path());
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Whether `path` is readable or writable by anyone but its owner.
pub fn is_open_to_others(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::symlink_metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn files_and_folders_are_made_owner_only_whatever_the_umask() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        create_dir_all(&sub).unwrap();
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        let f = sub.join("f");
        write(&f, b"x").unwrap();
        assert_eq!(mode(&f), 0o600);
        // an existing file opened to others is closed when written again
        fs::set_permissions(&f, fs::Permissions::from_mode(0o644)).unwrap();
        write(&f, b"y").unwrap();
        assert_eq!(mode(&f), 0o600);
        assert!(create_new_file(&f).is_err(), "never onto an existing name");
    }

    #[test]
    fn an_old_tree_is_closed() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("store");
        fs::create_dir(&sub).unwrap();
        fs::write(sub.join("db"), b"x").unwrap();
        for p in [dir.path(), &sub] {
            fs::set_permissions(p, fs::Permissions::from_mode(0o755)).unwrap();
        }
        fs::set_permissions(sub.join("db"), fs::Permissions::from_mode(0o644)).unwrap();
        restrict_tree(dir.path());
        assert_eq!((mode(dir.path()), mode(&sub), mode(&sub.join("db"))), (0o700, 0o700, 0o600));
        assert!(!is_open_to_others(&sub.join("db")));
    }
}
