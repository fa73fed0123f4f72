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
    for (name, items) in &trees {
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
