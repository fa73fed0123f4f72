//! Removable drives a backup can go to: the Backup screen lists them with
//! their free space so the user picks the USB stick instead of typing a
//! path. Linux: what is mounted under /media, /run/media or /mnt whose
//! device the kernel calls removable or finds on the USB bus (/sys), so a
//! second fixed disk mounted under /mnt is no stick; macOS: /Volumes;
//! Windows: drive letters that report themselves removable, and fixed
//! drives on the USB bus (USB hard disks, large sticks).

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
    let p = super::paths::canonical(path);
    drives.iter().any(|d| p.starts_with(&d.path))
}

/// Mount points from /proc/mounts's text that lie under the folders where
/// removable media are mounted, leaving out what no backup can go to:
/// read-only mounts (a CD) and the system's own file systems (tmpfs,
/// squashfs, overlay …). `\040` and friends are octal escapes.
///
/// `stick` says what the system knows of a mount's device (`/dev/sdb1`):
/// `Some(true)` removable or on the USB bus, `Some(false)` a fixed disk,
/// `None` nothing (no such device in /sys, a mapped or network one). A
/// known fixed disk is never a stick; an unknown device counts under the
/// desktops' own folders (/media, /run/media, /Volumes), not under /mnt,
/// where an office mounts its second disk as often as a stick.
pub fn removable_mounts(mounts: &str, stick: impl Fn(&str) -> Option<bool>) -> Vec<PathBuf> {
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
            let (dev, at, fs, opts) = (f.next()?, f.next()?, f.next().unwrap_or(""), f.next().unwrap_or(""));
            let read_only = opts.split(',').any(|o| o == "ro");
            (!read_only && !SYSTEM.contains(&fs)).then(|| (unescape_mount(dev), unescape_mount(at)))
        })
        .filter(|(_, p)| ROOTS.iter().any(|r| p.starts_with(r) && p.len() > r.len()))
        .filter(|(dev, p)| stick(dev).unwrap_or(!p.starts_with("/mnt/")))
        .map(|(_, p)| PathBuf::from(p))
        .collect()
}

/// Whether a block device is a stick, from what /sys says of it: the
/// `removable` flag of its disk (`1`), or the device's place in the
/// hardware tree (`/sys/devices/…/usb2/2-1/…/block/sdb/sdb1`) when it hangs
/// on the USB bus (a USB hard disk reports itself fixed). `None` when /sys
/// says nothing or the device is a virtual one (device-mapper, loop).
pub fn stick_from_sys(hardware_path: Option<&str>, removable: Option<&str>) -> Option<bool> {
    let hw = hardware_path?;
    if hw.contains("/virtual/") {
        return None;
    }
    let on_usb = hw.split('/').any(|c| c.starts_with("usb") && c[3..].bytes().all(|b| b.is_ascii_digit()));
    Some(on_usb || removable.is_some_and(|r| r.trim() == "1"))
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

    /// What /sys says of `dev` (`/dev/sdb1`, or a link to one).
    fn device_is_stick(dev: &str) -> Option<bool> {
        if !cfg!(target_os = "linux") || !dev.starts_with("/dev/") {
            return None;
        }
        let dev = std::fs::canonicalize(dev).ok()?;
        let name = dev.file_name()?.to_str()?;
        let hw = std::fs::canonicalize(Path::new("/sys/class/block").join(name)).ok()?;
        // a partition's folder lies inside its disk's, which has the flag
        let removable = std::fs::read_to_string(hw.join("removable"))
            .ok()
            .or_else(|| std::fs::read_to_string(hw.parent()?.join("removable")).ok());
        stick_from_sys(hw.to_str(), removable.as_deref())
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
        removable_mounts(&mounts, device_is_stick)
            .into_iter()
            .filter_map(|path| {
                let (free_bytes, total_bytes) = space(&path)?;
                // a mount that holds nothing (0 MB) is no stick
                (total_bytes > 0).then(|| Drive { label: label_of(&path), path, free_bytes, total_bytes })
            })
            .collect()
    }
}

/// Whether a `STORAGE_DEVICE_DESCRIPTOR` (the answer of Windows'
/// `IOCTL_STORAGE_QUERY_PROPERTY`) describes a device on the USB bus: its
/// `BusType` (a little-endian u32 at byte 28) is `BusTypeUsb` (7).
pub fn descriptor_on_usb(descriptor: &[u8]) -> bool {
    const BUS_TYPE_AT: usize = 28;
    const BUS_TYPE_USB: u32 = 7;
    descriptor
        .get(BUS_TYPE_AT..BUS_TYPE_AT + 4)
        .is_some_and(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) == BUS_TYPE_USB)
}

#[cfg(windows)]
mod platform {
    use super::*;
    use std::ffi::c_void;

    const DRIVE_REMOVABLE: u32 = 2;
    const DRIVE_FIXED: u32 = 3;
    const FILE_SHARE_READ: u32 = 1;
    const FILE_SHARE_WRITE: u32 = 2;
    const OPEN_EXISTING: u32 = 3;
    const IOCTL_STORAGE_QUERY_PROPERTY: u32 = 0x002D_1400;

    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn GetLogicalDrives() -> u32;
        fn GetDriveTypeW(root: *const u16) -> u32;
        fn GetDiskFreeSpaceExW(root: *const u16, free_to_caller: *mut u64, total: *mut u64, free: *mut u64) -> i32;
        fn CreateFileW(
            name: *const u16,
            access: u32,
            share: u32,
            security: *mut c_void,
            disposition: u32,
            flags: u32,
            template: *mut c_void,
        ) -> *mut c_void;
        fn DeviceIoControl(
            device: *mut c_void,
            code: u32,
            input: *const c_void,
            input_len: u32,
            output: *mut c_void,
            output_len: u32,
            returned: *mut u32,
            overlapped: *mut c_void,
        ) -> i32;
        fn CloseHandle(h: *mut c_void) -> i32;
    }

    /// Whether the fixed drive `letter` hangs on the USB bus (a USB hard
    /// disk, or a large stick that calls itself fixed). Asks the volume
    /// with no access rights (no administrator needed); `false` when it
    /// cannot be asked.
    fn on_usb(letter: char) -> bool {
        let volume: Vec<u16> = format!(r"\\.\{letter}:").encode_utf16().chain([0]).collect();
        // SAFETY: a NUL-terminated name; the handle is checked and closed;
        // the query (STORAGE_PROPERTY_QUERY: StorageDeviceProperty,
        // PropertyStandardQuery) and the answer are buffers we own, with
        // their true lengths.
        unsafe {
            let h = CreateFileW(
                volume.as_ptr(),
                0,
                FILE_SHARE_READ | FILE_SHARE_WRITE,
                std::ptr::null_mut(),
                OPEN_EXISTING,
                0,
                std::ptr::null_mut(),
            );
            if h.is_null() || h as isize == -1 {
                return false;
            }
            let query = [0u32; 3];
            let mut answer = [0u8; 1024];
            let mut got = 0u32;
            let ok = DeviceIoControl(
                h,
                IOCTL_STORAGE_QUERY_PROPERTY,
                query.as_ptr().cast(),
                std::mem::size_of_val(&query) as u32,
                answer.as_mut_ptr().cast(),
                answer.len() as u32,
                &mut got,
                std::ptr::null_mut(),
            );
            CloseHandle(h);
            ok != 0 && descriptor_on_usb(&answer[..(got as usize).min(answer.len())])
        }
    }

    pub fn drives() -> Vec<Drive> {
        // SAFETY: plain Win32 queries with NUL-terminated UTF-16 paths and
        // out-parameters we own.
        let mask = unsafe { GetLogicalDrives() };
        (0..26u8)
            .filter(|i| mask & (1 << i) != 0)
            .filter_map(|i| {
                let letter = (b'A' + i) as char;
                let root = format!("{letter}:\\");
                let wide: Vec<u16> = root.encode_utf16().chain([0]).collect();
                match unsafe { GetDriveTypeW(wide.as_ptr()) } {
                    DRIVE_REMOVABLE => {}
                    DRIVE_FIXED if letter != 'C' && on_usb(letter) => {}
                    _ => return None,
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
/dev/nvme0n1p3 /mnt/data ext4 rw 0 0
/dev/sdf1 /media/office/数据盘 ext4 rw 0 0
/dev/mapper/luks-1 /media/office/加密盘 ext4 rw 0 0
/dev/mapper/luks-2 /mnt/backup ext4 rw 0 0
";
        // what /sys would say of each device
        let sys = |dev: &str| match dev {
            "/dev/sdb1" | "/dev/sdc1" | "/dev/sdd1" => Some(true),
            "/dev/nvme0n1p3" | "/dev/sdf1" | "/dev/vda" | "/dev/sde1" => Some(false),
            _ => None,
        };
        assert_eq!(
            removable_mounts(mounts, sys),
            [
                PathBuf::from("/media/office/KINGSTON"),
                PathBuf::from("/run/media/li/U PAN"),
                PathBuf::from("/mnt/usb"),
                PathBuf::from("/media/office/加密盘"),
            ]
        );
        assert_eq!(label_of(Path::new("/run/media/li/U PAN")), "U PAN");
        let stick =
            Drive { path: "/media/office/KINGSTON".into(), label: "KINGSTON".into(), free_bytes: 1, total_bytes: 2 };
        assert!(is_on_removable(Path::new("/media/office/KINGSTON/备份"), std::slice::from_ref(&stick)));
        assert!(!is_on_removable(Path::new("/home/office"), &[stick]));
    }

    #[test]
    fn sys_tells_a_stick_from_a_fixed_disk() {
        let usb_disk = "/sys/devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb/sdb1";
        let sata = "/sys/devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda/sda2";
        let nvme = "/sys/devices/pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0/nvme0n1/nvme0n1p3";
        let card = "/sys/devices/platform/soc/mmc0/mmc_host/mmc0/mmc0:0001/block/mmcblk0/mmcblk0p1";
        // a USB hard disk calls itself fixed: the bus decides
        assert_eq!(stick_from_sys(Some(usb_disk), Some("0\n")), Some(true));
        assert_eq!(stick_from_sys(Some(sata), Some("0\n")), Some(false));
        assert_eq!(stick_from_sys(Some(nvme), None), Some(false));
        // a card in a built-in reader: the flag decides
        assert_eq!(stick_from_sys(Some(card), Some("1\n")), Some(true));
        // "usbmon", "usb-storage" are no bus
        assert_eq!(stick_from_sys(Some("/sys/devices/x/usb-storage/block/sdx"), Some("0")), Some(false));
        // mapped and loop devices: /sys does not know
        assert_eq!(stick_from_sys(Some("/sys/devices/virtual/block/dm-0"), Some("0")), None);
        assert_eq!(stick_from_sys(None, None), None);
    }

    #[test]
    fn a_usb_bus_is_read_from_the_storage_descriptor() {
        // STORAGE_DEVICE_DESCRIPTOR as Windows fills it: BusType at byte 28
        let mut desc = [0u8; 40];
        desc[0..4].copy_from_slice(&1u32.to_le_bytes()); // Version
        desc[4..8].copy_from_slice(&40u32.to_le_bytes()); // Size
        desc[28..32].copy_from_slice(&7u32.to_le_bytes()); // BusTypeUsb
        assert!(descriptor_on_usb(&desc));
        desc[28..32].copy_from_slice(&11u32.to_le_bytes()); // BusTypeSata
        assert!(!descriptor_on_usb(&desc));
        desc[28..32].copy_from_slice(&17u32.to_le_bytes()); // BusTypeNvme
        assert!(!descriptor_on_usb(&desc));
        // a short answer is no answer
        assert!(!descriptor_on_usb(&desc[..30]));
    }

    #[test]
    fn listing_drives_never_fails() {
        let _ = removable_drives();
        #[cfg(unix)]
        assert!(platform::space(Path::new("/")).is_some_and(|(free, total)| free <= total && total > 0));
    }
}
