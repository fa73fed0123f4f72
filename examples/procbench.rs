//! Whole-process figures for BENCHMARKS.md, run by `scripts/bench-process.sh`:
//! the real release binary in a pseudo-terminal (80×24), read by a vt100
//! emulator, with timestamps taken as each chunk of output arrives.
//!
//! ```text
//! procbench BIN DATA_DIR [RUNS]
//! ```
//!
//! Measures: spawn → first full frame showing the list (cold start), spawn →
//! the full index loaded (usable search), peak and steady RSS, CPU ticks
//! while idle for 5 s, and bytes written to the terminal (and time to the
//! last byte) for one selection move, one typed character and one panel
//! switch. Prints a Markdown summary.
//!
//! With `PROCBENCH_COLD=1` every start runs with a cold page cache: the
//! binary's and the data dir's pages are dropped first (`sync`, then
//! `posix_fadvise(DONTNEED)` on each file; Linux), as after a reboot of
//! the office PC, and the screen is read the same way.
//!
//! With `PROCBENCH_STALE=1` every start finds no saved copy of the search
//! index (`index.snapshot` is removed first): the index is built from the
//! records, and "usable search" is how long that took (issue 19o).

use portable_pty::CommandBuilder;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[path = "common/pty.rs"]
mod pty;
use pty::Proc;

fn spawn(bin: &PathBuf, data: &PathBuf) -> Proc {
    let mut cmd = CommandBuilder::new(bin);
    cmd.arg("--data-dir");
    cmd.arg(data);
    cmd.env_clear();
    // LINLI_ALONE=1: the window opens the store itself instead of through
    // the store server (issue 18), to compare the two
    for k in ["PATH", "HOME", "LINLI_ALONE"] {
        if let Some(v) = std::env::var_os(k) {
            cmd.env(k, v);
        }
    }
    cmd.env("TERM", "xterm-256color");
    cmd.env("LINLI_NOW", "2026-11-24T10:00:00");
    pty::spawn(cmd)
}

impl Proc {
    /// Waits until `cond` holds on the screen; returns the time of the
    /// output chunk after which it held.
    fn wait_for(&self, what: &str, cond: impl Fn(&vt100::Screen) -> bool) -> Instant {
        self.wait_within(what, Duration::from_secs(30), cond)
    }

    fn quit(mut self) {
        // Esc in the operator picker with nobody chosen quits; q quits otherwise
        let _ = self.send(b"\x1b");
        self.wait_end(Duration::from_secs(5));
    }
}

/// On the requests panel (the header's tab 1 is the one named, the search
/// line is the requests'): the number of hits the search line shows.
fn on_requests(screen: &str) -> Option<usize> {
    let mut lines = screen.lines();
    let _header = lines.next()?;
    let search = lines.next()?;
    let columns = lines.next()?;
    // every tab is named in the header now (issue 16), so the panel is told
    // by the requests list's own column heads under the search line
    let is_search = search.starts_with("搜索:") || search.starts_with("搜索：");
    if !is_search || !columns.starts_with("编号") || !columns.contains("类别") || !columns.contains("经办") {
        return None;
    }
    let (_, after) = search.split_once("共 ")?;
    after.split_whitespace().next()?.parse().ok()
}

fn status_kb(pid: u32, key: &str) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l[key.len()..].split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// utime + stime in clock ticks, over all threads.
fn cpu_ticks(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // fields after the command name, which is in parentheses
    let rest = s.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    // rest starts at field 3 (state); utime is field 14, stime 15
    let get = |i: usize| f.get(i - 3).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    get(14) + get(15)
}

/// Per thread: (name, ns on CPU, times scheduled in), from
/// /proc/PID/task/*/schedstat: exact, unlike the tick-sampled utime/stime.
fn sched(pid: u32) -> std::collections::BTreeMap<String, (String, u64, u64)> {
    let mut out = std::collections::BTreeMap::new();
    if let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) {
        for e in dir.flatten() {
            let s = std::fs::read_to_string(e.path().join("schedstat")).unwrap_or_default();
            let name = std::fs::read_to_string(e.path().join("comm")).unwrap_or_default().trim().to_string();
            let f: Vec<u64> = s.split_whitespace().filter_map(|v| v.parse().ok()).collect();
            if f.len() >= 3 {
                out.insert(e.file_name().to_string_lossy().into_owned(), (name, f[0], f[2]));
            }
        }
    }
    out
}

/// CPU time and wake-ups between two `sched` readings: (all threads, the
/// ones whose name starts with `prefix`).
fn sched_diff(
    a: &std::collections::BTreeMap<String, (String, u64, u64)>,
    b: &std::collections::BTreeMap<String, (String, u64, u64)>,
    prefix: &str,
) -> ((u64, u64), (u64, u64)) {
    let (mut all, mut some) = ((0, 0), (0, 0));
    for (tid, (name, ns, n)) in b {
        let (ns0, n0) = a.get(tid).map_or((0, 0), |x| (x.1, x.2));
        let d = (ns - ns0, n - n0);
        all = (all.0 + d.0, all.1 + d.1);
        if name.starts_with(prefix) {
            some = (some.0 + d.0, some.1 + d.1);
        }
    }
    (all, some)
}

/// Waits (up to 30 s) until no `linli serve` for `data` runs.
fn wait_no_server(data: &std::path::Path) {
    let want = data.to_string_lossy().into_owned();
    let running = || {
        std::fs::read_dir("/proc").into_iter().flatten().flatten().any(|e| {
            let cmd = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
            let args: Vec<&[u8]> = cmd.split(|b| *b == 0).collect();
            args.contains(&&b"serve"[..]) && args.contains(&want.as_bytes())
        })
    };
    let started = Instant::now();
    while running() && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Bytes this process has had read from the disk so far (`read_bytes` of
/// /proc/PID/io, all its threads; pages found in the page cache are not
/// counted): on a cold cache, what a start reads, whatever the load.
fn disk_read(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/io")).unwrap_or_default();
    s.lines().find_map(|l| l.strip_prefix("read_bytes: ")).and_then(|v| v.trim().parse().ok()).unwrap_or(0)
}

/// The `linli serve` for `data`, if one runs.
fn server_of(data: &std::path::Path) -> Option<u32> {
    let want = data.to_string_lossy().into_owned();
    std::fs::read_dir("/proc").into_iter().flatten().flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let cmd = std::fs::read(e.path().join("cmdline")).ok()?;
        let args: Vec<&[u8]> = cmd.split(|b| *b == 0).collect();
        (args.contains(&&b"serve"[..]) && args.contains(&want.as_bytes())).then_some(pid)
    })
}

fn threads(pid: u32) -> u64 {
    status_kb(pid, "Threads:")
}

fn stats(mut v: Vec<f64>) -> (f64, f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let rank = |p: f64| v[((p * n as f64).ceil() as usize).clamp(1, n) - 1];
    (rank(0.5), rank(0.99), v[0], v[n - 1])
}

/// Drops the pages of `paths` (files, or every file under a folder) from
/// the page cache, after writing out whatever is dirty. Returns the bytes
/// that were resident before (read with mincore would need mmap; the sizes
/// are what matters here: how much the start must read again).
#[cfg(target_os = "linux")]
fn evict(paths: &[&std::path::Path]) -> u64 {
    use std::os::fd::AsRawFd;
    fn walk(p: &std::path::Path, out: &mut Vec<PathBuf>) {
        match std::fs::symlink_metadata(p) {
            Ok(m) if m.is_dir() => {
                for e in std::fs::read_dir(p).into_iter().flatten().flatten() {
                    walk(&e.path(), out);
                }
            }
            Ok(m) if m.is_file() => out.push(p.to_path_buf()),
            _ => {}
        }
    }
    let mut files = Vec::new();
    for p in paths {
        walk(p, &mut files);
    }
    // SAFETY: sync takes no arguments and only writes dirty pages out.
    unsafe { libc::sync() };
    let mut bytes = 0;
    for f in files {
        let Ok(file) = std::fs::File::open(&f) else { continue };
        bytes += file.metadata().map_or(0, |m| m.len());
        // SAFETY: a valid descriptor of a file this function opened.
        unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
    }
    bytes
}

#[cfg(not(target_os = "linux"))]
fn evict(_: &[&std::path::Path]) -> u64 {
    panic!("PROCBENCH_COLD=1 drops the page cache on Linux only")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: procbench BIN DATA_DIR [RUNS]");
        std::process::exit(2);
    }
    let bin = std::fs::canonicalize(&args[1]).expect("BIN");
    let data = std::fs::canonicalize(&args[2]).expect("DATA_DIR");
    let runs: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10);

    // ---- cold start, several runs ------------------------------------------
    let mut first = Vec::new();
    let mut cpu_first = Vec::new();
    let mut read_first = Vec::new();
    let mut usable = Vec::new();
    let mut hwm = Vec::new();
    let cold = std::env::var("PROCBENCH_COLD").is_ok_and(|v| v == "1");
    if cold {
        println!("cold page cache: the binary's and the data dir's pages dropped before each start");
    }
    let stale = std::env::var("PROCBENCH_STALE").is_ok_and(|v| v == "1");
    if stale {
        println!("stale: no saved index at each start (the index built from the records)");
    }
    for i in 0..runs {
        if stale {
            let _ = std::fs::remove_file(data.join("index.snapshot"));
        }
        if cold {
            let bytes = evict(&[&bin, &data]);
            println!("run {i}: dropped the pages of {:.1} MB of files", bytes as f64 / 1e6);
        }
        let p = spawn(&bin, &data);
        let t1 = p.wait_for("the first frame with the list", pty::list_shown);
        // CPU time of the main thread so far (open, App::new, first draw),
        // which waiting for a busy CPU does not inflate; the loader is
        // another thread
        let main_cpu = sched(p.pid).get(&p.pid.to_string()).map_or(0, |x| x.1);
        cpu_first.push(main_cpu as f64 / 1e6);
        // what the window (and the store server it started) had read from
        // the disk by then
        let server_read = server_of(&data).map_or(0, disk_read);
        read_first.push((disk_read(p.pid) + server_read) as f64 / 1e6);
        let t2 = p.wait_for("the full index", pty::loaded);
        let ms1 = t1.duration_since(p.started).as_secs_f64() * 1e3;
        let ms2 = t2.duration_since(p.started).as_secs_f64() * 1e3;
        println!(
            "run {i}: first frame {ms1:.1} ms (main thread CPU {:.1} ms, {:.1} MB read from the disk), usable search {ms2:.1} ms",
            cpu_first[i], read_first[i]
        );
        first.push(ms1);
        usable.push(ms2);
        hwm.push(status_kb(p.pid, "VmHWM:") as f64 / 1024.0);
        if i == 0 {
            println!("first frame:\n{}", p.screen());
        }
        p.quit();
        // the next start is the first window of a day again: the store
        // server this one started has ended (saving its index, the day's
        // snapshot) rather than being waited for by the next window
        wait_no_server(&data);
    }

    // ---- one session: memory, idle CPU, bytes per key ----------------------
    let mut p = spawn(&bin, &data);
    p.wait_for("the full index", pty::loaded);
    std::thread::sleep(Duration::from_millis(500));
    let hwm_loaded = status_kb(p.pid, "VmHWM:");
    let rss_loaded = status_kb(p.pid, "VmRSS:");
    // choose the operator: the first worker is preselected
    let (pick_bytes, _) = p.key(b"\r");
    p.wait_for("the operator picker to close", |s| {
        let t = s.contents();
        t.contains("操作员:谢丽") || t.contains("操作员：谢丽")
    });
    let t_idle = Instant::now();
    std::thread::sleep(Duration::from_millis(500));
    let c0 = cpu_ticks(p.pid);
    let s0 = sched(p.pid);
    std::thread::sleep(Duration::from_secs(5));
    let c1 = cpu_ticks(p.pid);
    let s1 = sched(p.pid);
    let idle_secs = t_idle.elapsed().as_secs_f64();
    let n_threads = threads(p.pid);
    let mut down = Vec::new();
    let mut down_ms = Vec::new();
    for _ in 0..20 {
        let (b, d) = p.key(b"\x1b[B");
        down.push(b as f64);
        down_ms.push(d.as_secs_f64() * 1e3);
    }
    let (slash_b, _) = p.key(b"/");
    let mut typed = Vec::new();
    for c in ["楼", "道"] {
        let (b, d) = p.key(c.as_bytes());
        typed.push((c, b, d));
    }
    let (esc_b, esc_d) = p.key(b"\x1b");
    std::thread::sleep(Duration::from_millis(200));
    let mut type_more = Vec::new();
    let (_, _) = p.key(b"/");
    for c in ["z", "s"] {
        let (b, d) = p.key(c.as_bytes());
        type_more.push((c, b, d));
    }
    let _ = p.key(b"\r"); // leave the search line (keeps the query)
    // memory after each panel, once what it loads in the background is in
    let rss_mb = |p: &Proc| status_kb(p.pid, "VmRSS:") as f64 / 1024.0;
    let mut panel_rss = vec![("requests", rss_mb(&p))];
    let (tab_b, tab_d) = p.key(b"\t");
    std::thread::sleep(Duration::from_secs(2));
    panel_rss.push(("residents", rss_mb(&p)));
    let (tab2_b, tab2_d) = p.key(b"\t");
    std::thread::sleep(Duration::from_secs(2));
    panel_rss.push(("duties board", rss_mb(&p)));
    let (tab3_b, tab3_d) = p.key(b"\t");
    std::thread::sleep(Duration::from_secs(3));
    panel_rss.push(("volunteers", rss_mb(&p)));
    // Three Tabs no longer come back to the requests (there are four
    // panels): `1` goes there, and the screen must say so before typing.
    let _ = p.key(b"1");
    on_requests(&p.screen()).unwrap_or_else(|| panic!("not on the requests panel:\n{}", p.screen()));
    // a longer typing run for the key → last byte distribution
    // (the search line still holds "zs": `/` then Esc clears it)
    let _ = p.key(b"/");
    let _ = p.key(b"\x1b");
    let total = on_requests(&p.screen()).unwrap_or_else(|| panic!("not on the requests panel:\n{}", p.screen()));
    let _ = p.key(b"/");
    let (mut typing_ms, mut typing_bytes, mut typing_cpu) = (Vec::new(), Vec::new(), Vec::new());
    let mut typing_hits = Vec::new();
    // `PROCBENCH_WORD=楼道灯`: that word typed and erased instead of 楼道
    // (issue 19ze: a word of three characters or more is checked in the
    // rows' packed text)
    let word: Vec<char> = std::env::var("PROCBENCH_WORD").unwrap_or_else(|_| "楼道".into()).chars().collect();
    let prefix = |i: usize| -> String { word[..i].iter().collect() };
    let mut keys: Vec<(String, Vec<u8>)> =
        (1..=word.len()).map(|i| (prefix(i), word[i - 1].to_string().into_bytes())).collect();
    keys.extend((0..word.len()).rev().map(|i| (prefix(i), b"\x7f".to_vec())));
    let keys: Vec<(&str, &[u8])> = keys.iter().map(|(l, k)| (l.as_str(), k.as_slice())).collect();
    for round in 0..10 {
        for &(label, k) in &keys {
            let before = sched(p.pid);
            let (b, d) = p.key(k);
            let (all, _) = sched_diff(&before, &sched(p.pid), "sled-io");
            typing_bytes.push(b as f64);
            typing_ms.push(d.as_secs_f64() * 1e3);
            typing_cpu.push(all.0 as f64 / 1e6);
            // the request search, and it found something: read from the screen
            let screen = p.screen();
            let hits = on_requests(&screen).unwrap_or_else(|| panic!("typing left the requests panel:\n{screen}"));
            let search_line = screen.lines().nth(1).unwrap_or("");
            assert!(
                search_line.contains(&format!("搜索: {label}")) || search_line.contains(&format!("搜索：{label}")),
                "query {label}:\n{screen}"
            );
            if label.is_empty() {
                assert_eq!(hits, total, "the whole list after clearing the query:\n{screen}");
            } else {
                assert!(hits > 0 && hits < total, "{label}: {hits} of {total}:\n{screen}");
            }
            if round == 0 {
                typing_hits.push((label, hits));
            }
        }
    }
    let _ = p.key(b"\x1b");
    let rss_after = status_kb(p.pid, "VmRSS:");
    let hwm_after = status_kb(p.pid, "VmHWM:");
    let _ = p.send(b"q");
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline && !matches!(p.child.try_wait(), Ok(Some(_))) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = p.child.kill();

    // ---- report ------------------------------------------------------------
    let (f50, f99, fmin, fmax) = stats(first.clone());
    let (u50, u99, umin, umax) = stats(usable.clone());
    let (c50, c99, cmin, cmax) = stats(cpu_first.clone());
    // the list shows 9 rows at 80×24: moves 1–8 stay within them, later ones scroll
    let (d50, _, dmin, dmax) = stats(down[..8].to_vec());
    let (s50, _, smin, smax) = stats(down[8..].to_vec());
    let (dl50, dl99, _, dlmax) = stats(down_ms.clone());
    let (h50, _, _, hmax) = stats(hwm.clone());
    println!("\n### Whole process (release binary in an 80×24 pty, large data set)\n");
    println!("| measure | median | p99 | min | max | target |");
    println!("|---|---:|---:|---:|---:|---|");
    println!(
        "| cold start: spawn → first full frame with the list (ms, n={runs}) | {f50:.1} | {f99:.1} | {fmin:.1} | {fmax:.1} | ≤ 150 |"
    );
    println!(
        "| main thread CPU time until that frame (ms, n={runs}; waiting for a busy CPU not included) | {c50:.1} | {c99:.1} | {cmin:.1} | {cmax:.1} | — |"
    );
    let (r50, r99, rmin, rmax) = stats(read_first.clone());
    println!(
        "| read from the disk until that frame, window and its server (MB, n={runs}) | {r50:.1} | {r99:.1} | {rmin:.1} | {rmax:.1} | — |"
    );
    println!(
        "| spawn → full index loaded, usable search (ms, n={runs}) | {u50:.0} | {u99:.0} | {umin:.0} | {umax:.0} | — |"
    );
    println!("| peak RSS when loaded (VmHWM, MB, n={runs}) | {h50:.1} | | | {hmax:.1} | ≤ 80 |");
    println!("\n| measure | value | target |\n|---|---:|---|");
    println!("| peak RSS after load (VmHWM) | {:.1} MB | ≤ 80 MB |", hwm_loaded as f64 / 1024.0);
    println!("| steady RSS after load (VmRSS) | {:.1} MB | ≤ 80 MB |", rss_loaded as f64 / 1024.0);
    println!(
        "| RSS / peak after moving, searching, switching panels | {:.1} / {:.1} MB | ≤ 80 MB |",
        rss_after as f64 / 1024.0,
        hwm_after as f64 / 1024.0
    );
    let (all, sled) = sched_diff(&s0, &s1, "sled-io");
    println!("| CPU while idle ({idle_secs:.1} s, {n_threads} threads): utime+stime ticks | {} ticks | 0 |", c1 - c0);
    println!(
        "| CPU while idle, exact (schedstat): all threads | {:.3} ms on CPU, {} wake-ups | 0 |",
        all.0 as f64 / 1e6,
        all.1
    );
    println!("| … of which sled's thread pool (sled-io-*) | {:.3} ms, {} wake-ups | — |", sled.0 as f64 / 1e6, sled.1);
    println!("| bytes written: choose operator (picker closes) | {pick_bytes} | — |");
    println!(
        "| bytes written: selection down one row, within the visible rows (n=8) | median {d50:.0}, min {dmin:.0}, max {dmax:.0} | ≤ 1 KB |"
    );
    println!(
        "| bytes written: selection down one row, the list scrolls (n=12) | median {s50:.0}, min {smin:.0}, max {smax:.0} | ≤ 1 KB |"
    );
    println!(
        "| key → last byte on the pty: selection down (ms, n=20) | median {dl50:.2}, p99 {dl99:.2}, max {dlmax:.2} | ≤ 16 |"
    );
    let (t50, t99, _, tmax) = stats(typing_ms.clone());
    let (tb50, _, tbmin, tbmax) = stats(typing_bytes.clone());
    let (tc50, tc99, _, tcmax) = stats(typing_cpu.clone());
    println!(
        "| key → last byte on the pty: typing 楼, 道, Backspace, Backspace ×10 (ms, n=40) | median {t50:.2}, p99 {t99:.2}, max {tmax:.2} | ≤ 16 |"
    );
    println!(
        "| CPU time the app used per key of that typing, all threads (ms, n=40) | median {tc50:.2}, p99 {tc99:.2}, max {tcmax:.2} | — |"
    );
    println!(
        "| bytes written per key of that typing (n=40) | median {tb50:.0}, min {tbmin:.0}, max {tbmax:.0} | small diff |"
    );
    let rss: Vec<String> = panel_rss.iter().map(|(n, mb)| format!("{n} {mb:.1}")).collect();
    println!("| RSS after each panel, its background loads done (MB) | {} | ≤ 80 |", rss.join(", "));
    let shown: Vec<String> =
        typing_hits.iter().map(|(q, n)| format!("{} → {n}", if q.is_empty() { "(empty)" } else { q })).collect();
    println!(
        "| that typing ran on the requests panel (read from the screen): hits | {} of {total} | — |",
        shown.join(", ")
    );
    println!("| bytes written: `/` (search line gets focus) | {slash_b} | — |");
    for (c, b, d) in typed.iter().chain(type_more.iter()) {
        println!(
            "| bytes written: type `{c}` (list filtered) | {b} (last byte after {:.1} ms) | small diff |",
            d.as_secs_f64() * 1e3
        );
    }
    println!(
        "| bytes written: Esc (search cleared, whole list back) | {esc_b} (after {:.1} ms) | — |",
        esc_d.as_secs_f64() * 1e3
    );
    println!(
        "| bytes written: Tab ×3 (residents, duties board, volunteers) | {tab_b}, {tab2_b}, {tab3_b} (after {:.1}, {:.1}, {:.1} ms) | — |",
        tab_d.as_secs_f64() * 1e3,
        tab2_d.as_secs_f64() * 1e3,
        tab3_d.as_secs_f64() * 1e3
    );
}
