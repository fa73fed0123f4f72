//! How big a sled store is after loading the same entries in different
//! ways (issue 19v). Copies every tree of SRC (a store's `store/` folder,
//! opened at its own segment size) into a new sled at DST.
//!
//! ```text
//! loadprobe SRC DST SEGMENT CACHE_MB MODE [gc]
//!   MODE: batchN    sled batches of N (as `bulk_load` did before 19v, N = 1000)
//!         seq       one insert at a time, in key order (as a restore did before 19v)
//!         skelA/B[:R]  one insert at a time: first the entries whose
//!                   place in their tree modulo B is below A, in key order,
//!                   then the others in key order (`bulk_put`'s order with
//!                   9/16); then those whose place modulo B is below R
//!                   written once more
//!         shufN     one insert at a time, shuffled within chunks of N
//!         cskelN:A/B  skelA/B within chunks of N (as a restore's writer)
//!   gc:   sled's flusher on (every 10 ms, or GCMS), which also cleans
//!         segments
//! ```
//!
//! Prints the load's time, the folder's size after it and after one more
//! opening, a scan of the requests, that opening's time and the size of
//! sled's snapshot.

use std::time::Instant;

fn segment_of(store: &str) -> usize {
    let conf = std::fs::read(std::path::Path::new(store).join("conf")).unwrap_or_default();
    let line = String::from_utf8_lossy(conf.split(|b| *b == b'\n').next().unwrap_or(&[])).to_string();
    line.strip_prefix("segment_size: ").and_then(|s| s.trim().parse().ok()).unwrap_or(512 * 1024)
}

fn size(dir: &std::path::Path) -> u64 {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let m = e.metadata().unwrap();
        n += if m.is_dir() { size(&e.path()) } else { m.len() };
    }
    n
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let (src, dst, segment, cache_mb, mode) =
        (&a[1], &a[2], a[3].parse::<usize>().unwrap(), a[4].parse::<u64>().unwrap(), a[5].as_str());
    let gc = a.get(6).is_some_and(|s| s == "gc");
    let s = sled::Config::new().path(src).segment_size(segment_of(src)).open().expect("open src");
    let mut trees = Vec::new();
    let first = ["workers", "residents", "requests", "idx_request_by_resident", "meta"];
    let mut names: Vec<sled::IVec> = first.iter().map(|n| sled::IVec::from(*n)).collect();
    names.extend(s.tree_names().into_iter().filter(|n| !first.iter().any(|f| f.as_bytes() == n.as_ref())));
    for name in names {
        let t = s.open_tree(&name).unwrap();
        let items: Vec<(sled::IVec, sled::IVec)> = t.iter().map(|r| r.unwrap()).collect();
        trees.push((name, items));
    }
    drop(s);
    let t0 = Instant::now();
    let d = sled::Config::new()
        .path(dst)
        .segment_size(segment)
        .cache_capacity(cache_mb << 20)
        .mode(sled::Mode::LowSpace)
        .flush_every_ms(if gc { Some(std::env::var("GCMS").map_or(10, |s| s.parse().unwrap())) } else { None })
        .open()
        .expect("open dst");
    // PACE=N:MS: after every N inserts (skel), the writer sleeps MS
    let (pace_n, pace_ms): (usize, u64) = std::env::var("PACE")
        .ok()
        .and_then(|p| p.split_once(':').map(|(n, m)| (n.parse().unwrap(), m.parse().unwrap())))
        .unwrap_or((0, 0));
    let mut done = 0usize;
    let pump: usize = std::env::var("PUMP").map_or(0, |s| s.parse().unwrap());
    let pump_tree = if pump > 0 { Some(d.open_tree("pump").unwrap()) } else { None };
    if let Some(ab) = mode.strip_prefix("gskel") {
        // gskelA/B: skelA/B's first pass of every tree, then (WAIT_MID ms
        // later) the second pass of every tree
        let (x, y) = ab.split_once('/').unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        for pass in [true, false] {
            if !pass {
                between_passes(&d, "first pass");
            }
            for (name, items) in &trees {
                let t = d.open_tree(name).unwrap();
                for (i, (k, v)) in items.iter().enumerate() {
                    if (i % y < x) == pass {
                        t.insert(k, v).unwrap();
                    }
                }
            }
        }
    }
    if mode == "gph" || mode == "gphc" {
        // every tree's keys with empty values, WAIT_MID ms, then every value
        for pass in [true, false] {
            if !pass {
                between_passes(&d, "placeholders");
                if std::env::var("QUIET").is_ok() {
                    let t = Instant::now();
                    let rounds = quiet(&d);
                    println!("quiet after {:.0?} ({rounds} checks)", t.elapsed());
                }
            }
            for (name, items) in &trees {
                let t = d.open_tree(name).unwrap();
                for (k, v) in items {
                    t.insert(k, if pass { &[] as &[u8] } else { v }).unwrap();
                }
            }
        }
        if mode == "gphc" {
            // every CEVERY-th key: a marker key just after it in and out,
            // which makes sled rewrite its leaf whole (consolidated)
            let every: usize = std::env::var("CEVERY").map_or(4, |s| s.parse().unwrap());
            for (name, items) in &trees {
                let t = d.open_tree(name).unwrap();
                for (i, (k, _)) in items.iter().enumerate() {
                    if i % every == every - 1 {
                        let mut m = k.to_vec();
                        m.push(0);
                        t.insert(&m, &[] as &[u8]).unwrap();
                        t.remove(&m).unwrap();
                    }
                }
            }
        }
    }
    for (name, items) in trees.iter().filter(|_| !mode.starts_with("gskel") && mode != "gph" && mode != "gphc") {
        let t = d.open_tree(name).unwrap();
        if let Some(n) = mode.strip_prefix("batch") {
            let n: usize = n.parse().unwrap();
            for chunk in items.chunks(n) {
                let mut b = sled::Batch::default();
                for (k, v) in chunk {
                    b.insert(k, v);
                }
                t.apply_batch(b).unwrap();
            }
        } else if mode == "phA" {
            for (k, _) in items {
                t.insert(k, &[] as &[u8]).unwrap();
            }
        } else if mode == "ph" {
            // every key with an empty value in key order (leaves of 9
            // keys), then every value written over its placeholder
            for (k, _) in items {
                t.insert(k, &[] as &[u8]).unwrap();
            }
            for (k, v) in items {
                t.insert(k, v).unwrap();
            }
        } else if mode == "seq" {
            for (k, v) in items {
                t.insert(k, v).unwrap();
            }
        } else if let Some(ab) = mode.strip_prefix("skel") {
            // skelA/B[:R]: then the first R of every B written again (a
            // leaf's consolidation)
            let (ab, again) = ab.split_once(':').map_or((ab, 0), |(ab, r)| (ab, r.parse::<usize>().unwrap()));
            let (x, y) = ab.split_once('/').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            for pass in [true, false] {
                for (i, (k, v)) in items.iter().enumerate() {
                    if (i % y < x) == pass {
                        t.insert(k, v).unwrap();
                        done += 1;
                        if pace_n > 0 && done.is_multiple_of(pace_n) {
                            std::thread::sleep(std::time::Duration::from_millis(pace_ms));
                        }
                        for _ in 0..pump {
                            pump_tree.as_ref().unwrap().insert(b"pump", &[] as &[u8]).unwrap();
                        }
                    }
                }
            }
            for (i, (k, v)) in items.iter().enumerate() {
                if i % y < again {
                    t.insert(k, v).unwrap();
                }
            }
        } else if let Some(n) = mode.strip_prefix("shuf") {
            let n: usize = n.parse().unwrap();
            for chunk in items.chunks(n) {
                let mut order: Vec<usize> = (0..chunk.len()).collect();
                let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
                for i in (1..order.len()).rev() {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    order.swap(i, (x % (i as u64 + 1)) as usize);
                }
                for i in order {
                    t.insert(&chunk[i].0, &chunk[i].1).unwrap();
                }
            }
        } else if let Some(rest) = mode.strip_prefix("cskel") {
            // cskelN:A/B: skel within chunks of N
            let (n, ab) = rest.split_once(':').unwrap();
            let n: usize = n.parse().unwrap();
            let (x, y) = ab.split_once('/').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            for (c, chunk) in items.chunks(n).enumerate() {
                for pass in [true, false] {
                    for (i, (k, v)) in chunk.iter().enumerate() {
                        if ((c * n + i) % y < x) == pass {
                            t.insert(k, v).unwrap();
                        }
                    }
                }
            }
        } else {
            panic!("mode {mode}");
        }
    }
    d.flush().unwrap();
    let load = t0.elapsed();
    if let Ok(w) = std::env::var("WAIT_MS") {
        let before = d.size_on_disk().unwrap_or(0);
        std::thread::sleep(std::time::Duration::from_millis(w.parse().unwrap()));
        d.flush().unwrap();
        println!("waited {w} ms: {before} -> {} B", d.size_on_disk().unwrap_or(0));
    }
    let amp = d.space_amplification().unwrap_or(0.0);
    let on_disk = d.size_on_disk().unwrap_or(0);
    println!("amplification {amp:.3}: live ~{:.0} B of {on_disk}", on_disk as f64 / amp - segment as f64);
    drop(d);
    let after_load = size(std::path::Path::new(dst));
    // as the bench does: open once more (sled writes its snapshot)
    drop(sled::Config::new().path(dst).segment_size(segment).cache_capacity(2 << 20).open().unwrap());
    let reopened = size(std::path::Path::new(dst));
    let t2 = Instant::now();
    let d = sled::Config::new().path(dst).segment_size(segment).cache_capacity(2 << 20).open().unwrap();
    let open = t2.elapsed();
    let snap: u64 = std::fs::read_dir(dst)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("snap."))
        .map(|e| e.metadata().unwrap().len())
        .sum();
    let t1 = Instant::now();
    let n = d.open_tree("requests").unwrap().iter().count();
    let scan = t1.elapsed();
    drop(d);
    println!(
        "{mode}{} cache {cache_mb} MB seg {segment}: {:.2?}, {after_load} B after load, {reopened} B reopened, scan {n} in {:.0?}, open {open:.1?}, snap {snap} B",
        if gc { " gc" } else { "" },
        load,
        scan
    );
}

/// The first pass flushed, then WAIT_MID ms (the store's size before and after).
fn between_passes(d: &sled::Db, what: &str) {
    d.flush().unwrap();
    let before = d.size_on_disk().unwrap_or(0);
    let w: u64 = std::env::var("WAIT_MID").map_or(0, |s| s.parse().unwrap());
    std::thread::sleep(std::time::Duration::from_millis(w));
    println!("{what}: {before} B, {w} ms later {} B", d.size_on_disk().unwrap_or(0));
}

fn wchar() -> u64 {
    let io = std::fs::read_to_string("/proc/self/io").unwrap_or_default();
    io.lines().find_map(|l| l.strip_prefix("wchar:")).and_then(|v| v.trim().parse().ok()).unwrap_or(0)
}

fn flusher_switches() -> u64 {
    for e in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
        if std::fs::read_to_string(e.path().join("comm")).unwrap_or_default().trim() == "log flusher" {
            let st = std::fs::read_to_string(e.path().join("status")).unwrap_or_default();
            return st
                .lines()
                .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
        }
    }
    0
}

fn quiet(d: &sled::Db) -> usize {
    d.flush().unwrap();
    let (mut w, mut since) = (wchar(), flusher_switches());
    let mut n = 0;
    loop {
        std::thread::sleep(std::time::Duration::from_millis(10));
        n += 1;
        let (w2, s2) = (wchar(), flusher_switches());
        if w2 != w {
            (w, since) = (w2, s2);
        } else if s2 >= since + 6 {
            return n;
        }
    }
}
