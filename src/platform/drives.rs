//! Removable drives a backup can go to: the Backup screen lists them with
//! their free space so the user picks the USB stick instead of typing a
//! path. Linux: what is mounted under /media, /run/media or /mnt (where
//! desktops and users mount sticks); macOS: /Volumes; Windows: drive letters
//! that report themselves removable.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drive {
    /// Where to write: the mount point or drive root.
    pub path: PathBuf,
    /// A name to show: the volume's folder name or the drive letter.
    pub label: String,
    pub free_bytes: u64,
    pub total_bytes: u64,
}

/// The removable drives mounted now, in path order. Never fails: a drive
/// that cannot be asked about is left out.
pub fn removable_drives() -> Vec<Drive> {
    let mut out = match std::env::var_os("LINLI_TEST_MOUNTS") {
        // the tests' drives, never the machine's own (a list of paths, as
        // in PATH; empty: none)
        Some(list) => std::env::split_paths(&list)
            .filter(|p| !p.as_os_str().is_empty())
            .map(|path| Drive {
                label: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                path,
                free_bytes: 1 << 30,
                total_bytes: 1 << 30,
            })
            .collect(),
        None => platform::drives(),
    };
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.dedup_by(|a, b| a.path == b.path);
    out
}

/// Whether `path` lies on one of `drives`: the Backup screen suggests
/// encryption when it does.
pub fn is_on_removable(path: &Path, drives: &[Drive]) -> bool {
    let p = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    drives.iter().any(|d| p.starts_with(&d.path))
}

/// Mount points from /proc/mounts's text that lie under the folders where
/// removable media are mounted, leaving out what no backup can go to:
/// read-only mounts (a CD) and the system's own file systems (tmpfs,
/// squashfs, overlay …). `\040` and friends are octal escapes.
pub fn removable_mounts(mounts: &str) -> Vec<PathBuf> {
    const ROOTS: [&str; 4] = ["/media/", "/run/media/", "/mnt/", "/Volumes/"];
    const SYSTEM: [&str; 14] = [
        "tmpfs",
        "devtmpfs",
        "proc",
        "sysfs",
        "overlay",
        "squashfs",
        "autofs",
        "cgroup",
        "cgroup2",
        "iso9660",
        "udf",
        "ramfs",
        "debugfs",
        "binfmt_misc",
    ];
    mounts
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (_, at, fs, opts) = (f.next()?, f.next()?, f.next().unwrap_or(""), f.next().unwrap_or(""));
            let read_only = opts.split(',').any(|o| o == "ro");
            (!read_only && !SYSTEM.contains(&fs)).then_some(at)
        })
        .map(unescape_mount)
        .filter(|p| ROOTS.iter().any(|r| p.starts_with(r) && p.len() > r.len()))
        .map(PathBuf::from)
        .collect()
}

fn unescape_mount(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes.get(i + 1..i + 4).filter(|d| d.iter().all(|c| (b'0'..=b'7').contains(c)));
        if let (b'\\', Some(d)) = (bytes[i], octal) {
            out.push(d.iter().fold(0u8, |v, c| v.wrapping_mul(8).wrapping_add(c - b'0')));
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(unix)]
fn label_of(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| p.display().to_string())
}

#[cfg(unix)]
mod platform {
    use super::*;

    /// Free and total bytes of the filesystem holding `p`.
    pub fn space(p: &Path) -> Option<(u64, u64)> {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(p.as_os_str().as_bytes()).ok()?;
        // SAFETY: statvfs fills the struct we pass; the path is a valid C string.
        let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
            return None;
        }
        let frag = st.f_frsize as u64;
        Some((st.f_bavail as u64 * frag, st.f_blocks as u64 * frag))
    }

    pub fn drives() -> Vec<Drive> {
        let mounts = if cfg!(target_os = "macos") {
            std::fs::read_dir("/Volumes")
                .into_iter()
                .flatten()
                .flatten()
                .filter(|e| e.path() != Path::new("/Volumes/Macintosh HD"))
                .map(|e| format!("x {} x\n", e.path().display()))
                .collect()
        } else {
            std::fs::read_to_string("/proc/mounts").unwrap_or_default()
        };
        removable_mounts(&mounts)
            .into_iter()
            .filter_map(|path| {
                let (free_bytes, total_bytes) = space(&path)?;
                // a mount that holds nothing (0 MB) is no stick
                (total_bytes > 0).then(|| Drive { label: label_of(&path), path, free_bytes, total_bytes })
            })
            .collect()
    }
}

#[cfg(windows)]
mod platform {
    use super::*;

    const DRIVE_REMOVABLE: u32 = 2;

    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn GetLogicalDrives() -> u32;
        fn GetDriveTypeW(root: *const u16) -> u32;
        fn GetDiskFreeSpaceExW(root: *const u16, free_to_caller: *mut u64, total: *mut u64, free: *mut u64) -> i32;
    }

    pub fn drives() -> Vec<Drive> {
        // SAFETY: plain Win32 queries with NUL-terminated UTF-16 paths and
        // out-parameters we own.
        let mask = unsafe { GetLogicalDrives() };
        (0..26u8)
            .filter(|i| mask & (1 << i) != 0)
            .filter_map(|i| {
                let root = format!("{}:\\", (b'A' + i) as char);
                let wide: Vec<u16> = root.encode_utf16().chain([0]).collect();
                if unsafe { GetDriveTypeW(wide.as_ptr()) } != DRIVE_REMOVABLE {
                    return None;
                }
                let (mut free, mut total, mut all_free) = (0u64, 0u64, 0u64);
                if unsafe { GetDiskFreeSpaceExW(wide.as_ptr(), &mut free, &mut total, &mut all_free) } == 0 {
                    return None; // e.g. a card reader with no card
                }
                if total == 0 {
                    return None;
                }
                Some(Drive { label: root.clone(), path: PathBuf::from(root), free_bytes: free, total_bytes: total })
            })
            .collect()
    }
}

#[cfg(not(any(unix, windows)))]
mod platform {
    pub fn drives() -> Vec<super::Drive> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn sticks_are_found_among_the_mounts() {
        let mounts = "\
/dev/vda / ext4 rw 0 0
proc /proc proc rw 0 0
/dev/sdb1 /media/office/KINGSTON vfat rw 0 0
/dev/sdc1 /run/media/li/U\\040PAN vfat rw 0 0
/dev/sdd1 /mnt/usb exfat rw 0 0
tmpfs /mnt tmpfs rw 0 0
/dev/sde1 /home/li/media ext4 rw 0 0
tmpfs /mnt/ramdisk tmpfs rw 0 0
/dev/sr0 /media/office/CDROM iso9660 ro 0 0
/dev/loop3 /media/snap squashfs ro,nodev 0 0
";
        assert_eq!(
            removable_mounts(mounts),
            [PathBuf::from("/media/office/KINGSTON"), PathBuf::from("/run/media/li/U PAN"), PathBuf::from("/mnt/usb"),]
        );
        assert_eq!(label_of(Path::new("/run/media/li/U PAN")), "U PAN");
        let stick =
            Drive { path: "/media/office/KINGSTON".into(), label: "KINGSTON".into(), free_bytes: 1, total_bytes: 2 };
        assert!(is_on_removable(Path::new("/media/office/KINGSTON/备份"), std::slice::from_ref(&stick)));
        assert!(!is_on_removable(Path::new("/home/office"), &[stick]));
    }

    #[test]
    fn listing_drives_never_fails() {
        let _ = removable_drives();
        #[cfg(unix)]
        assert!(platform::space(Path::new("/")).is_some_and(|(free, total)| free <= total && total > 0));
    }
}
