//! The whole office at once (issue 18, "Measured"), run by
//! `scripts/bench-office.sh`: the real release binary, several terminals on
//! one store through the store server, on the large data set.
//!
//! ```text
//! officebench BIN DATA_DIR pty     # parts 1–4: ptys, 80×24, vt100-read
//! officebench BIN DATA_DIR load [CLIENTS] [SAVES]   # part 5: socket clients
//! officebench BIN DATA_DIR undo CSV  # part 6: a large undo while another types
//! ```
//!
//! `pty` (DATA_DIR is changed: requests are saved into it):
//! 1. typing a search (楼, 道, Backspace, Backspace) on 5 served clients at
//!    the same moment (each key sent by all five together), then on 1
//!    served client, then on one process alone (LINLI_ALONE=1): key → last
//!    byte on each pty;
//! 2. a request saved on client A (n, title, Ctrl+S), watched for on the
//!    other four screens: Ctrl+S → the title on each of them;
//! 3. the server's and the clients' memory with 0, 1 and 5 clients attached,
//!    each having visited every panel (1 2 3 4);
//! 4. CPU with 5 clients attached and nobody typing (5 s), and bytes per
//!    selection move served and alone.
//!
//! `load`: CLIENTS (10) clients speaking `serve::wire` directly, each
//! creating SAVES (1,000) requests at once with the others: Ctrl+S → the
//! frame saying it was saved; then, after the server has ended, `linli
//! check` (indexes agree) and the number of requests (exactly the ones
//! confirmed more than before).
//!
//! `undo` (DATA_DIR is changed): window A imports the residents of CSV
//! (30,000: scripts/bench-undo.sh writes it) and takes the import back
//! with Ctrl+Z while window B types a search: B's key → last byte before
//! and during A's undo, A's Ctrl+Z → 已撤销, the residents counted on A's
//! screen before, after the import and after the undo.

use linli::serve::wire::{self, Down, Hello, Up};
use portable_pty::CommandBuilder;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::io::{BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-24T10:00:00";

// ---- a terminal in a pty, read by vt100 (examples/common/pty.rs) -------

#[path = "../common/pty.rs"]
mod pty;
use pty::Proc;

fn spawn(bin: &Path, data: &Path, alone: bool) -> Proc {
    let mut cmd = CommandBuilder::new(bin);
    cmd.arg("--data-dir");
    cmd.arg(data);
    cmd.env_clear();
    for k in ["PATH", "HOME"] {
        if let Some(v) = std::env::var_os(k) {
            cmd.env(k, v);
        }
    }
    cmd.env("TERM", "xterm-256color");
    cmd.env("LINLI_NOW", NOW);
    if alone {
        cmd.env("LINLI_ALONE", "1");
    }
    pty::spawn(cmd)
}

impl Proc {
    /// Waits until `cond` holds on the screen; the time of the output chunk
    /// after which it held.
    fn wait_for(&self, what: &str, cond: impl Fn(&vt100::Screen) -> bool) -> Instant {
        self.wait_within(what, Duration::from_secs(60), cond)
    }

    fn quit(mut self) {
        let _ = self.send(b"\x1b");
        std::thread::sleep(Duration::from_millis(100));
        let _ = self.send(b"q");
        self.wait_end(Duration::from_secs(10));
    }
}

fn operator_chosen(s: &vt100::Screen) -> bool {
    let t = s.contents();
    t.contains("操作员:谢丽") || t.contains("操作员：谢丽")
}

/// On the requests panel (its column heads under the search line): the
/// number of hits the search line shows.
fn on_requests(screen: &str) -> Option<usize> {
    let mut lines = screen.lines();
    let _header = lines.next()?;
    let search = lines.next()?;
    let columns = lines.next()?;
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

fn mb(pid: u32, key: &str) -> f64 {
    status_kb(pid, key) as f64 / 1024.0
}

/// utime + stime in clock ticks, over all threads.
fn cpu_ticks(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let rest = s.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let get = |i: usize| f.get(i - 3).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    get(14) + get(15)
}

/// (ns on CPU, times scheduled in) summed over a process's threads, and
/// the same for the threads named `sled-io*`, from schedstat (exact).
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

type Sched = std::collections::BTreeMap<String, (String, u64, u64)>;

/// ((ns, wake-ups) all threads, (ns, wake-ups) of the sled-io pool).
type SchedDiff = ((u64, u64), (u64, u64));

fn sched_diff(a: &Sched, b: &Sched) -> SchedDiff {
    let (mut all, mut sled) = ((0, 0), (0, 0));
    for (tid, (name, ns, n)) in b {
        let (ns0, n0) = a.get(tid).map_or((0, 0), |x| (x.1, x.2));
        let d = (ns - ns0, n - n0);
        all = (all.0 + d.0, all.1 + d.1);
        if name.starts_with("sled-io") {
            sled = (sled.0 + d.0, sled.1 + d.1);
        }
    }
    (all, sled)
}

/// (p50, p99, max) by rank.
fn stats(mut v: Vec<f64>) -> (f64, f64, f64) {
    assert!(!v.is_empty());
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let rank = |p: f64| v[((p * n as f64).ceil() as usize).clamp(1, n) - 1];
    (rank(0.5), rank(0.99), v[n - 1])
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `linli serve` process on `data`, found in /proc.
fn find_server(data: &Path) -> Option<u32> {
    let want = data.to_string_lossy().into_owned();
    for e in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(cmd) = std::fs::read(e.path().join("cmdline")) else { continue };
        let args: Vec<String> = cmd.split(|b| *b == 0).map(|a| String::from_utf8_lossy(a).into_owned()).collect();
        if args.iter().any(|a| a == "serve") && args.windows(2).any(|w| w[0] == "--data-dir" && w[1] == want) {
            return Some(pid);
        }
    }
    None
}

fn wait_gone(pid: u32, limit: Duration) -> bool {
    let t = Instant::now();
    while t.elapsed() < limit {
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let state = state.rsplit_once(')').map_or("", |(_, r)| r).split_whitespace().next().unwrap_or("");
        if state.is_empty() || state == "Z" {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// `linli serve` started as the first window starts it (a session of its
/// own), by hand: so that it can be measured with no client yet.
fn start_server(bin: &Path, data: &Path) -> std::process::Child {
    use std::os::unix::process::CommandExt;
    let log = std::fs::OpenOptions::new().create(true).append(true).open(data.join("serve.log")).unwrap();
    let mut cmd = std::process::Command::new(bin);
    cmd.arg("--data-dir").arg(data).arg("--lang").arg("zh").arg("serve");
    cmd.env("LINLI_NOW", NOW).env_remove("LINLI_ALONE");
    cmd.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null()).stderr(log);
    // SAFETY: setsid is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let child = cmd.spawn().unwrap();
    let t = Instant::now();
    while UnixStream::connect(data.join("linli.sock")).is_err() {
        assert!(t.elapsed() < Duration::from_secs(60), "the server did not answer");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// A client on the requests list, operator chosen, everything loaded.
fn ready_client(bin: &Path, data: &Path, alone: bool) -> Proc {
    let mut p = spawn(bin, data, alone);
    p.wait_for("the full index", pty::loaded);
    let _ = p.key(b"\r");
    p.wait_for("the operator picker to close", operator_chosen);
    let _ = p.key(b"1");
    on_requests(&p.screen()).unwrap_or_else(|| panic!("not on the requests panel:\n{}", p.screen()));
    p
}

fn settle_all(ps: &[Proc]) {
    for p in ps {
        p.settle(Instant::now(), Duration::from_millis(300));
    }
}

// ---- part 1: typing a search, several at once ------------------------------

/// Every client types 楼, 道, Backspace, Backspace `rounds` times, each key
/// sent by all of them at the same moment; key → last byte (ms) per client.
fn typing(ps: Vec<Proc>, rounds: usize) -> (Vec<Proc>, Vec<Vec<f64>>) {
    let mut totals = Vec::new();
    let mut ps = ps;
    for p in ps.iter_mut() {
        let _ = p.key(b"/");
        let _ = p.key(b"\x1b");
        totals.push(on_requests(&p.screen()).unwrap_or_else(|| panic!("not on the requests panel:\n{}", p.screen())));
        let _ = p.key(b"/");
    }
    let barrier = Arc::new(Barrier::new(ps.len()));
    let handles: Vec<_> = ps
        .into_iter()
        .zip(totals)
        .map(|(mut p, total)| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut ms = Vec::new();
                for _ in 0..rounds {
                    for (label, k) in
                        [("楼", "楼".as_bytes()), ("楼道", "道".as_bytes()), ("楼", b"\x7f"), ("", b"\x7f")]
                    {
                        p.settle(Instant::now(), Duration::from_millis(150));
                        let before = p.bytes();
                        barrier.wait();
                        let sent = p.send(k);
                        let (after, last) = p.settle(sent, Duration::from_millis(250));
                        assert!(after > before, "no answer to a key");
                        ms.push(last.saturating_duration_since(sent).as_secs_f64() * 1e3);
                        let screen = p.screen();
                        let hits =
                            on_requests(&screen).unwrap_or_else(|| panic!("typing left the requests panel:\n{screen}"));
                        let line = screen.lines().nth(1).unwrap_or("");
                        assert!(
                            line.contains(&format!("搜索: {label}")) || line.contains(&format!("搜索：{label}")),
                            "query {label}:\n{screen}"
                        );
                        if label.is_empty() {
                            assert_eq!(hits, total, "the whole list after clearing the query:\n{screen}");
                        } else {
                            assert!(hits > 0 && hits < total, "{label}: {hits} of {total}:\n{screen}");
                        }
                    }
                }
                let _ = p.key(b"\x1b");
                (p, ms)
            })
        })
        .collect();
    let mut ps = Vec::new();
    let mut all = Vec::new();
    for h in handles {
        let (p, ms) = h.join().unwrap();
        ps.push(p);
        all.push(ms);
    }
    (ps, all)
}

fn row_ms(label: &str, v: &[f64]) -> String {
    let (p50, p99, max) = stats(v.to_vec());
    format!("| {label} | {} | {p50:.2} | {p99:.2} | {max:.2} |", v.len())
}

fn quit_all(ps: Vec<Proc>) {
    for p in ps {
        p.quit();
    }
}

fn pty_parts(bin: &Path, data: &Path) {
    let rounds: usize = std::env::var("TYPING_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(25);
    let saves: usize = std::env::var("SAVES").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    println!("load average at the start: {}", loadavg());

    // ---- 4 (alone half): bytes per selection move, the list as generated -----
    // (before any save: the served half moves over the same rows)
    let mut p = ready_client(bin, data, true);
    assert!(find_server(data).is_none(), "LINLI_ALONE=1 started a server");
    let mut down_alone = Vec::new();
    let mut down_alone_ms = Vec::new();
    for _ in 0..20 {
        let (b, d) = p.key(b"\x1b[B");
        down_alone.push(b as f64);
        down_alone_ms.push(d.as_secs_f64() * 1e3);
    }
    let alone_rss = (mb(p.pid, "VmRSS:"), mb(p.pid, "VmHWM:"));
    quit_all(vec![p]);

    // ---- 3 (0 clients), then 1 and 5: memory --------------------------------
    let mut server = start_server(bin, data);
    let spid = server.id();
    // the index loads before the first terminal is taken: wait for it to be in
    std::thread::sleep(Duration::from_secs(3));
    let mem0 = (mb(spid, "VmRSS:"), mb(spid, "VmHWM:"));
    println!("server pid {spid}: 0 clients: RSS {:.1} MB, peak {:.1} MB", mem0.0, mem0.1);
    // the server's RSS after each panel's background loads are in
    let visit = |p: &mut Proc| {
        let mut after = vec![mb(spid, "VmRSS:")];
        for k in [b"2", b"3", b"4", b"1"] {
            let _ = p.key(k);
            std::thread::sleep(Duration::from_secs(2));
            after.push(mb(spid, "VmRSS:"));
        }
        on_requests(&p.screen()).unwrap_or_else(|| panic!("not back on the requests panel:\n{}", p.screen()));
        after
    };
    let mut ps = vec![ready_client(bin, data, false)];
    let panels1 = visit(&mut ps[0]);
    let mem1 = (mb(spid, "VmRSS:"), mb(spid, "VmHWM:"));
    println!("1 client: server RSS {:.1} MB, peak {:.1} MB", mem1.0, mem1.1);
    let mut panels_n = vec![panels1];
    for _ in 1..5 {
        let mut p = ready_client(bin, data, false);
        panels_n.push(visit(&mut p));
        ps.push(p);
    }
    settle_all(&ps);
    let mem5 = (mb(spid, "VmRSS:"), mb(spid, "VmHWM:"));
    let client_rss: Vec<f64> = ps.iter().map(|p| mb(p.pid, "VmRSS:")).collect();
    let client_hwm: Vec<f64> = ps.iter().map(|p| mb(p.pid, "VmHWM:")).collect();
    println!("5 clients: server RSS {:.1} MB, peak {:.1} MB; clients RSS {client_rss:.1?}", mem5.0, mem5.1);
    for p in &ps {
        let s = p.screen();
        assert!(s.contains("同事4人"), "the header counts 4 colleagues:\n{s}");
    }

    // ---- 4: idle CPU with 5 attached; bytes per selection move ---------------
    std::thread::sleep(Duration::from_millis(500));
    let t_idle = Instant::now();
    let pids: Vec<u32> = std::iter::once(spid).chain(ps.iter().map(|p| p.pid)).collect();
    let c0: Vec<u64> = pids.iter().map(|p| cpu_ticks(*p)).collect();
    let s0: Vec<Sched> = pids.iter().map(|p| sched(*p)).collect();
    let b0: Vec<usize> = ps.iter().map(Proc::bytes).collect();
    std::thread::sleep(Duration::from_secs(5));
    let c1: Vec<u64> = pids.iter().map(|p| cpu_ticks(*p)).collect();
    let s1: Vec<Sched> = pids.iter().map(|p| sched(*p)).collect();
    let b1: Vec<usize> = ps.iter().map(Proc::bytes).collect();
    let idle_secs = t_idle.elapsed().as_secs_f64();
    let idle: Vec<(u64, SchedDiff)> = (0..pids.len()).map(|i| (c1[i] - c0[i], sched_diff(&s0[i], &s1[i]))).collect();
    let idle_bytes: usize = b1.iter().zip(&b0).map(|(a, b)| a - b).sum();
    let mut down_served = Vec::new();
    let mut down_served_ms = Vec::new();
    for _ in 0..20 {
        let (b, d) = ps[1].key(b"\x1b[B");
        down_served.push(b as f64);
        down_served_ms.push(d.as_secs_f64() * 1e3);
    }
    let _ = ps[1].key(b"\x1b[H"); // Home: back to the top for part 2

    // ---- 2: a save seen on the other screens ---------------------------------
    println!("load average before the saves: {}", loadavg());
    let mut seen_b = Vec::new();
    let mut seen_all = Vec::new();
    let mut saved_a = Vec::new();
    let mut last_a = String::new();
    let total0 = on_requests(&ps[1].screen()).expect("B on the requests list");
    for k in 0..saves {
        // the watchers' selection on the newest row: a new one shows above it
        // (a selection further down keeps itself in view, the list's top out)
        for p in ps.iter_mut().skip(1) {
            p.send(b"\x1b[H");
        }
        let title = format!("同屏{k:03}");
        let _ = ps[0].key(b"n");
        let _ = ps[0].key(b"\t");
        let _ = ps[0].key(b"\t");
        ps[0].send(title.as_bytes());
        ps[0].wait_for("the title in the form", |s| s.contents().contains(&title));
        settle_all(&ps);
        let sent = ps[0].send(b"\x13");
        let a = ps[0].wait_for("A saved", |s| {
            let t = s.contents();
            saved_id(&t).is_some_and(|id| id.len() > 5 && id != last_a) && t.contains(&title)
        });
        last_a = saved_id(&ps[0].screen()).unwrap_or_default();
        saved_a.push(a.saturating_duration_since(sent).as_secs_f64() * 1e3);
        let mut worst: f64 = 0.0;
        for (i, p) in ps.iter().enumerate().skip(1) {
            let want = total0 + k + 1;
            let t = p.wait_for("the colleague's new request", |s| {
                let t = s.contents();
                t.contains(&title) && on_requests(&t) == Some(want)
            });
            let ms = t.saturating_duration_since(sent).as_secs_f64() * 1e3;
            if i == 1 {
                seen_b.push(ms);
            }
            worst = worst.max(ms);
        }
        seen_all.push(worst);
        if k == 0 {
            println!("B's screen after A's first save:\n{}", ps[1].screen());
        }
    }
    settle_all(&ps);
    let mem5_after = (mb(spid, "VmRSS:"), mb(spid, "VmHWM:"));

    // ---- 1: typing, 5 served at once -----------------------------------------
    println!("load average before typing (5 served): {}", loadavg());
    let (ps, typing5) = typing(ps, rounds);
    quit_all(ps);
    let _ = server.wait();
    assert!(wait_gone(spid, Duration::from_secs(60)), "the server did not end");

    // ---- 1: typing, 1 served (started by the window, as users do) ------------
    println!("load average before typing (1 served): {}", loadavg());
    let p = ready_client(bin, data, false);
    let spid1 = find_server(data).expect("the server the window started");
    let (ps, typing1) = typing(vec![p], rounds);
    quit_all(ps);
    assert!(wait_gone(spid1, Duration::from_secs(60)), "the server did not end");

    // ---- 1: typing alone; the same save alone ---------------------------------
    println!("load average before typing (alone): {}", loadavg());
    let mut p = ready_client(bin, data, true);
    assert!(find_server(data).is_none(), "LINLI_ALONE=1 started a server");
    // the same save, alone: what the store's write costs without a server
    let mut saved_alone = Vec::new();
    let mut last = String::new();
    for k in 0..saves.min(30) {
        let title = format!("独自{k:03}");
        let _ = p.key(b"n");
        let _ = p.key(b"\t");
        let _ = p.key(b"\t");
        p.send(title.as_bytes());
        p.wait_for("the title in the form", |s| s.contents().contains(&title));
        p.settle(Instant::now(), Duration::from_millis(300));
        let sent = p.send(b"\x13");
        let at = p.wait_for("saved alone", |s| {
            let t = s.contents();
            saved_id(&t).is_some_and(|id| id.len() > 5 && id != last) && t.contains(&title)
        });
        saved_alone.push(at.saturating_duration_since(sent).as_secs_f64() * 1e3);
        last = saved_id(&p.screen()).unwrap_or_default();
    }
    let (ps, typing_alone) = typing(vec![p], rounds);
    quit_all(ps);
    println!("load average at the end: {}", loadavg());

    // ---- report --------------------------------------------------------------
    println!("\n#### Typing a search (楼, 道, Backspace, Backspace ×{rounds}): key → last byte on the pty (ms)\n");
    println!("| who | n | p50 | p99 | max |\n|---|---:|---:|---:|---:|");
    for (i, v) in typing5.iter().enumerate() {
        println!("{}", row_ms(&format!("5 served at once: client {}", i + 1), v));
    }
    println!("{}", row_ms("5 served at once: all", &typing5.concat()));
    println!("{}", row_ms("1 served", &typing1[0]));
    println!("{}", row_ms("alone (LINLI_ALONE=1)", &typing_alone[0]));
    println!("\n#### A request saved on A (Ctrl+S), seen elsewhere (ms, 5 clients attached)\n");
    println!("| measure | n | p50 | p99 | max |\n|---|---:|---:|---:|---:|");
    println!("{}", row_ms("Ctrl+S → the saved message on A", &saved_a));
    println!("{}", row_ms("Ctrl+S → the title on B's screen", &seen_b));
    println!("{}", row_ms("Ctrl+S → the title on the last of the 4 others", &seen_all));
    println!("{}", row_ms("alone (LINLI_ALONE=1): Ctrl+S → the saved message", &saved_alone));
    println!("\n#### Memory (MB), each client having visited panels 1 2 3 4\n");
    println!("| process | RSS | peak (VmHWM) |\n|---|---:|---:|");
    println!("| server, 0 clients | {:.1} | {:.1} |", mem0.0, mem0.1);
    println!("| server, 1 client | {:.1} | {:.1} |", mem1.0, mem1.1);
    println!("| server, 5 clients | {:.1} | {:.1} |", mem5.0, mem5.1);
    println!("| server, 5 clients, after {saves} saves | {:.1} | {:.1} |", mem5_after.0, mem5_after.1);
    println!(
        "\n| client joins, then visits | server RSS at join → after 2 (residents) → 3 (duties) → 4 (volunteers) → 1 (MB) |\n|---|---|"
    );
    for (i, v) in panels_n.iter().enumerate() {
        let v: Vec<String> = v.iter().map(|x| format!("{x:.1}")).collect();
        println!("| client {} | {} |", i + 1, v.join(" → "));
    }
    println!("\n| process | RSS | peak (VmHWM) |\n|---|---:|---:|");
    for (i, (r, h)) in client_rss.iter().zip(&client_hwm).enumerate() {
        println!("| client {} | {r:.1} | {h:.1} |", i + 1);
    }
    println!("| alone (one process, requests list only, for comparison) | {:.1} | {:.1} |", alone_rss.0, alone_rss.1);
    println!("\n#### Idle, 5 clients attached, nobody typing ({idle_secs:.1} s)\n");
    println!(
        "| process | utime+stime ticks | on CPU (schedstat) | wake-ups | of which sled-io |\n|---|---:|---:|---:|---:|"
    );
    for (i, (ticks, ((ns, n), (sns, sn)))) in idle.iter().enumerate() {
        let who = if i == 0 { "server".to_string() } else { format!("client {i}") };
        println!("| {who} | {ticks} | {:.3} ms | {n} | {:.3} ms, {sn} |", *ns as f64 / 1e6, *sns as f64 / 1e6);
    }
    println!("| bytes written to the 5 ptys meanwhile | {idle_bytes} | | | |");
    println!("\n#### Bytes per selection move (Down ×20 on the requests list)\n");
    println!("| mode | bytes median (min–max) | key → last byte p50 / p99 ms |\n|---|---:|---:|");
    for (label, b, d) in
        [("served (client 2 of 5)", &down_served, &down_served_ms), ("alone", &down_alone, &down_alone_ms)]
    {
        let (b50, _, bmax) = stats(b.clone());
        let bmin = b.iter().cloned().fold(f64::MAX, f64::min);
        let (d50, d99, _) = stats(d.clone());
        println!("| {label} | {b50:.0} ({bmin:.0}–{bmax:.0}) | {d50:.2} / {d99:.2} |");
    }
}

// ---- part 6: a large undo in one window while another types ----------------

/// Types 楼, 道, Backspace, Backspace on `p` (on the requests list, search
/// line open) until `stop`; each key's (sent, ms from the key to the last
/// byte of its answer), the hits checked as in [`typing`].
fn typing_until(mut p: Proc, total: usize, stop: Arc<std::sync::atomic::AtomicBool>) -> (Proc, Vec<(Instant, f64)>) {
    let mut out = Vec::new();
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        for (label, k) in [("楼", "楼".as_bytes()), ("楼道", "道".as_bytes()), ("楼", b"\x7f"), ("", b"\x7f")] {
            p.settle(Instant::now(), Duration::from_millis(60));
            let before = p.bytes();
            let sent = p.send(k);
            // (a server busy elsewhere answers late: waited for, up to a minute)
            while p.bytes() == before {
                assert!(sent.elapsed() < Duration::from_secs(60), "no answer to a key");
                std::thread::sleep(Duration::from_millis(2));
            }
            let (after, last) = p.settle(sent, Duration::from_millis(250));
            assert!(after > before, "no answer to a key");
            out.push((sent, last.saturating_duration_since(sent).as_secs_f64() * 1e3));
            let screen = p.screen();
            let hits = on_requests(&screen).unwrap_or_else(|| panic!("typing left the requests panel:\n{screen}"));
            let line = screen.lines().nth(1).unwrap_or("");
            assert!(
                line.contains(&format!("搜索: {label}")) || line.contains(&format!("搜索：{label}")),
                "query {label}:\n{screen}"
            );
            if label.is_empty() {
                assert_eq!(hits, total, "the whole list after clearing the query:\n{screen}");
            } else {
                assert!(hits > 0 && hits < total, "{label}: {hits} of {total}:\n{screen}");
            }
        }
    }
    (p, out)
}

/// Window A imports the sheet `csv` (its residents: one undo step), then
/// takes it back with Ctrl+Z while window B types a search, served by one
/// server: B's key → frame during A's undo, against B's typing before it;
/// A's Ctrl+Z → 已撤销, and the residents' count after, on A's screen.
fn undo_part(bin: &Path, data: &Path, csv: &Path) {
    println!("load average at the start: {}", loadavg());
    let mut a = ready_client(bin, data, false);
    let mut b = ready_client(bin, data, false);
    // A: the residents panel's count before, then the import
    let _ = a.key(b"2");
    let count = |p: &Proc| -> usize {
        let s = p.screen();
        let line = s.lines().nth(1).unwrap_or("").to_string();
        let (_, after) = line.split_once("共 ").unwrap_or_else(|| panic!("no count on the residents panel:\n{s}"));
        after.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("count: {line}"))
    };
    let residents0 = count(&a);
    let _ = a.key(b"B");
    let _ = a.key(b"4");
    a.send(csv.to_string_lossy().as_bytes());
    a.wait_for("the path typed", |s| s.contents().contains("res30k"));
    a.send(b"\r");
    a.wait_within("the import's preview", Duration::from_secs(120), |s| s.contents().contains("可导入 "));
    let shown = a.screen();
    let rows: usize = shown
        .split_once("可导入 ")
        .and_then(|(_, r)| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the preview's count:\n{shown}"));
    let t_import = a.send(b"y");
    let imported = a.wait_within("the import", Duration::from_secs(300), |s| s.contents().contains("已导入 "));
    println!(
        "A imported {rows} residents in {:.0} ms",
        imported.saturating_duration_since(t_import).as_secs_f64() * 1e3
    );
    // the import's screen, its path, the data menu: back on the panel
    for _ in 0..3 {
        let _ = a.key(b"\x1b");
    }
    let residents1 = count(&a);
    assert_eq!(residents1, residents0 + rows, "the residents panel counts the import:\n{}", a.screen());

    // B: on the requests list, the search line open; typing before the undo
    let _ = b.key(b"/");
    let _ = b.key(b"\x1b");
    let total = on_requests(&b.screen()).unwrap_or_else(|| panic!("B not on the requests list:\n{}", b.screen()));
    let _ = b.key(b"/");
    println!("load average before B types alone: {}", loadavg());
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let quiet_stop = stop.clone();
    let typer = std::thread::spawn(move || typing_until(b, total, quiet_stop));
    std::thread::sleep(Duration::from_secs(6));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (b, before) = typer.join().unwrap();

    // A undoes, redoes, undoes… while B types
    let rounds: usize = std::env::var("UNDO_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    println!("load average before the undos: {}", loadavg());
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let typer_stop = stop.clone();
    let typer = std::thread::spawn(move || typing_until(b, total, typer_stop));
    std::thread::sleep(Duration::from_millis(700));
    let mut steps: Vec<(&str, Instant, Instant)> = Vec::new();
    for _ in 0..rounds {
        for (what, k, done, want) in [("undo", b"\x1a", "已撤销", residents0), ("redo", b"\x19", "已重做", residents1)]
        {
            a.settle(Instant::now(), Duration::from_millis(100));
            let sent = a.send(k);
            let at = a.wait_within(what, Duration::from_secs(300), |s| s.contents().contains(done));
            assert_eq!(count(&a), want, "{what}: the residents panel's count:\n{}", a.screen());
            steps.push((what, sent, at));
            // B types on a moment after it: the keys answered just after count too
            std::thread::sleep(Duration::from_millis(1500));
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (b, keys) = typer.join().unwrap();
    // a key counts as during a step when it was sent between its key and
    // its message, as after it in the 1.5 s that follow
    let during: Vec<f64> =
        keys.iter().filter(|(t, _)| steps.iter().any(|(_, s, e)| t >= s && t <= e)).map(|k| k.1).collect();
    let after: Vec<f64> = keys
        .iter()
        .filter(|(t, _)| steps.iter().any(|(_, _, e)| *t > *e && *t <= *e + Duration::from_millis(1500)))
        .map(|k| k.1)
        .collect();
    let ms = |w: &str| -> Vec<f64> {
        steps
            .iter()
            .filter(|(what, ..)| *what == w)
            .map(|(_, s, e)| e.saturating_duration_since(*s).as_secs_f64() * 1e3)
            .collect()
    };
    println!("load average at the end: {}", loadavg());
    println!(
        "\n#### A undoes an import of {rows} residents (Ctrl+Z), redoes it (Ctrl+Y), ×{rounds}, while B types a search (served, 80×24)\n"
    );
    println!(
        "residents on A's residents panel: {residents0} → {residents1} (imported), after each undo {residents0}, after each redo {residents1}"
    );
    println!("\n| measure (ms) | n | p50 | p99 | max |\n|---|---:|---:|---:|---:|");
    println!("{}", row_ms("A: Ctrl+Z → 已撤销", &ms("undo")));
    println!("{}", row_ms("A: Ctrl+Y → 已重做", &ms("redo")));
    println!("{}", row_ms("B: key → last byte, before the undos", &before.iter().map(|k| k.1).collect::<Vec<_>>()));
    if during.is_empty() {
        println!("| B: key → last byte, during A's undo/redo | 0 | – | – | – |");
    } else {
        println!("{}", row_ms("B: key → last byte, sent during A's undo/redo", &during));
    }
    if !after.is_empty() {
        println!("{}", row_ms("B: key → last byte, sent in the 1.5 s after", &after));
    }
    let server = find_server(data);
    quit_all(vec![a, b]);
    if let Some(pid) = server {
        assert!(wait_gone(pid, Duration::from_secs(120)), "the server did not end");
    }
}

// ---- part 5: the load run through the socket -------------------------------

fn key(c: KeyCode) -> Up {
    Up::Event(Event::Key(KeyEvent::new(c, KeyModifiers::NONE)))
}

struct Wire {
    up: UnixStream,
    down: BufReader<UnixStream>,
    parser: vt100::Parser,
}

impl Wire {
    fn connect(sock: &Path, n: usize) -> Wire {
        let stream = UnixStream::connect(sock).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let mut up = stream.try_clone().unwrap();
        let hello = Hello {
            version: wire::VERSION,
            lang: "zh".into(),
            mono: false,
            width: 80,
            height: 24,
            terminal: format!("bench {n}"),
            pid: std::process::id(),
            message: None,
        };
        wire::send(&mut up, &Up::Hello(hello)).unwrap();
        let parser =
            vt100::Parser::new(std::num::NonZeroU16::new(24).unwrap(), std::num::NonZeroU16::new(80).unwrap(), 0);
        Wire { up, down: BufReader::new(stream), parser }
    }

    fn send(&mut self, msgs: &[Up]) {
        // one write for all of them, as a fast typist's keys arrive
        let mut buf = Vec::new();
        for m in msgs {
            wire::send(&mut buf, m).unwrap();
        }
        self.up.write_all(&buf).unwrap();
    }

    /// Reads frames until `cond` holds; when it did.
    fn wait(&mut self, what: &str, cond: impl Fn(&str) -> bool) -> Instant {
        loop {
            match wire::recv::<_, Down>(&mut self.down) {
                Ok(Some(Down::Frame(b))) => {
                    let now = Instant::now();
                    self.parser.process(&b);
                    if cond(&self.parser.screen().contents()) {
                        return now;
                    }
                }
                Ok(Some(Down::Bye(b))) => panic!("{what}: the server said bye: {b:?}"),
                Ok(Some(_)) => {}
                Ok(None) => panic!("{what}: the server closed the connection"),
                Err(e) => panic!("{what}: {e}; screen:\n{}", self.parser.screen().contents()),
            }
        }
    }
}

/// The request number in the message line `已保存诉求 2026-100123（…`.
fn saved_id(screen: &str) -> Option<String> {
    let (_, after) = screen.split_once("已保存诉求 ")?;
    Some(after.chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect())
}

fn count_requests(bin: &Path, data: &Path, cmd: &str) -> (usize, String) {
    let out = std::process::Command::new(bin)
        .arg("--data-dir")
        .arg(data)
        .arg("--lang")
        .arg("en")
        .arg(cmd)
        .env("LINLI_NOW", NOW)
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "linli {cmd} failed:\n{text}");
    let n = text
        .lines()
        .find(|l| l.starts_with("request "))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no request count in:\n{text}"));
    (n, text)
}

fn load(bin: &Path, data: &Path, clients: usize, saves: usize) {
    println!("load average at the start: {}", loadavg());
    let (before, _) = count_requests(bin, data, "info");
    let mut server = start_server(bin, data);
    let spid = server.id();
    let sock = data.join("linli.sock");
    let ready = Arc::new(Barrier::new(clients + 1));
    let handles: Vec<_> = (0..clients)
        .map(|n| {
            let (sock, ready) = (sock.clone(), ready.clone());
            std::thread::spawn(move || {
                let mut w = Wire::connect(&sock, n);
                w.wait("the list", |s| s.contains("编号"));
                w.send(&[key(KeyCode::Enter)]);
                w.wait("the operator chosen", |s| s.contains("操作员:谢丽") || s.contains("操作员：谢丽"));
                // every panel visited, as at a desk: each app holds what its panels loaded
                for c in ['2', '3', '4'] {
                    w.send(&[key(KeyCode::Char(c))]);
                    w.wait("the panel", |_| true);
                    std::thread::sleep(Duration::from_secs(2));
                }
                w.send(&[key(KeyCode::Char('1'))]);
                w.wait("the requests panel", |s| on_requests(s).is_some());
                ready.wait();
                ready.wait();
                let mut ms = Vec::with_capacity(saves);
                let mut ids = Vec::with_capacity(saves);
                let mut last = String::new();
                for k in 0..saves {
                    let title = format!("负载{n:02}-{k:04}");
                    let mut keys = vec![key(KeyCode::Char('n')), key(KeyCode::Tab), key(KeyCode::Tab)];
                    keys.extend(title.chars().map(|c| key(KeyCode::Char(c))));
                    w.send(&keys);
                    w.wait("the title typed", |s| s.contains(&title));
                    let sent = Instant::now();
                    w.send(&[Up::Event(Event::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)))]);
                    let at = w.wait("the save confirmed", |s| {
                        saved_id(s).is_some_and(|id| id.len() > 5 && id != last) && s.contains(&title)
                    });
                    ms.push(at.saturating_duration_since(sent).as_secs_f64() * 1e3);
                    last = saved_id(&w.parser.screen().contents()).unwrap();
                    ids.push(last.clone());
                }
                w.send(&[key(KeyCode::Char('q'))]);
                // the bye, or the connection closing
                loop {
                    match wire::recv::<_, Down>(&mut w.down) {
                        Ok(Some(Down::Bye(_))) | Ok(None) | Err(_) => break,
                        Ok(Some(_)) => {}
                    }
                }
                (ms, ids)
            })
        })
        .collect();
    ready.wait();
    let rss_ready = (mb(spid, "VmRSS:"), mb(spid, "VmHWM:"));
    let s0 = sched(spid);
    let t0 = Instant::now();
    println!("{clients} clients attached (server RSS {:.1} MB); saving; load average {}", rss_ready.0, loadavg());
    ready.wait();
    let mut ms = Vec::new();
    let mut ids = Vec::new();
    let mut per_client = Vec::new();
    for h in handles {
        let (m, i) = h.join().unwrap();
        per_client.push(m.clone());
        ms.extend(m);
        ids.extend(i);
    }
    let wall = t0.elapsed().as_secs_f64();
    let (server_cpu, _) = sched_diff(&s0, &sched(spid));
    let rss_end = (mb(spid, "VmRSS:"), mb(spid, "VmHWM:"));
    println!("load average after the saves: {}", loadavg());
    let t_end = Instant::now();
    let _ = server.wait();
    let ending = t_end.elapsed().as_secs_f64();
    let confirmed = ids.len();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    let (after, check) = count_requests(bin, data, "check");
    println!("linli check:\n{check}");
    println!("\n#### Load run: {clients} clients × {saves} new requests each, at once, through the socket\n");
    println!("| measure | value |\n|---|---|");
    println!("| saves confirmed (distinct request numbers) | {confirmed} ({}) |", unique.len());
    println!(
        "| requests before → after (`linli check`) | {before} → {after} (+{}; {}) |",
        after - before,
        if after - before == confirmed && unique.len() == confirmed { "exactly the confirmed" } else { "MISMATCH" }
    );
    println!(
        "| `linli check` | {} |",
        if check.contains("Checked: no problems") { "no problems (indexes agree)" } else { "PROBLEMS" }
    );
    println!("| wall time of the saving | {wall:.1} s ({:.0} saves/s) |", confirmed as f64 / wall);
    println!(
        "| server CPU meanwhile (schedstat) | {:.1} s ({:.2} ms per save) |",
        server_cpu.0 as f64 / 1e9,
        server_cpu.0 as f64 / 1e6 / confirmed as f64
    );
    println!("| server RSS attached / after / peak | {:.1} / {:.1} / {:.1} MB |", rss_ready.0, rss_end.0, rss_end.1);
    println!("| server end after the last quit (index, snapshot) | {ending:.1} s |");
    let (p50, p99, max) = stats(ms.clone());
    println!(
        "| Ctrl+S → the frame saying it was saved (ms, n={}) | p50 {p50:.2}, p99 {p99:.2}, max {max:.2} |",
        ms.len()
    );
    let p99s: Vec<String> = per_client.iter().map(|m| format!("{:.1}", stats(m.clone()).1)).collect();
    println!("| … p99 per client (ms) | {} |", p99s.join(", "));
}

pub fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: officebench BIN DATA_DIR pty | load [CLIENTS] [SAVES] | undo CSV");
        std::process::exit(2);
    }
    let bin = std::fs::canonicalize(&args[1]).expect("BIN");
    let data: PathBuf = std::fs::canonicalize(&args[2]).expect("DATA_DIR");
    match args[3].as_str() {
        "pty" => pty_parts(&bin, &data),
        "undo" => {
            let csv = std::fs::canonicalize(args.get(4).expect("undo CSV")).expect("CSV");
            undo_part(&bin, &data, &csv)
        }
        "load" => {
            let clients = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(10);
            let saves = args.get(5).and_then(|s| s.parse().ok()).unwrap_or(1000);
            load(&bin, &data, clients, saves)
        }
        other => {
            eprintln!("unknown part {other}");
            std::process::exit(2);
        }
    }
}
