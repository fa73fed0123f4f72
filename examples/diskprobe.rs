//! What a store's disk holds (issue 19r): per sled tree the entries and
//! their key and value bytes (by the value's format byte), against the
//! `db` file's size. Opens sled directly: run it on a copy.
//!
//! ```text
//! diskprobe STORE_DIR                      (the data dir's `store`)
//! diskprobe copy STORE_DIR NEW BATCH [SEGMENT]   (every tree into a new sled)
//! diskprobe deflate INDEX_SNAPSHOT           (a format-6 copy's sections deflated)
//! diskprobe save DATA_DIR [RUNS]             (the saved index written and read: as
//!                                             sections made (format 6) and deflated)
//! ```

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() >= 5 && args[1] == "copy" {
        copy(
            &args[2],
            &args[3],
            args[4].parse().expect("batch"),
            args.get(5).map_or(524288, |s| s.parse().expect("segment size")),
        );
        return;
    }
    if args.len() >= 3 && args[1] == "save" {
        save(&args[2], args.get(3).map_or(3, |n| n.parse().expect("runs")));
        return;
    }
    if args.len() >= 3 && args[1] == "deflate" {
        deflate(&args[2]);
        return;
    }
    let path = args.get(1).expect("usage: diskprobe STORE_DIR");
    let db = sled::Config::new().path(path).open().expect("open sled");
    let (mut all_n, mut all_k, mut all_v) = (0usize, 0usize, 0usize);
    let mut names = db.tree_names();
    names.sort();
    for name in names {
        let t = db.open_tree(&name).expect("tree");
        let (mut n, mut k, mut v) = (0usize, 0usize, 0usize);
        let mut by_format = std::collections::BTreeMap::<u8, (usize, usize)>::new();
        for item in t.iter() {
            let (key, value) = item.expect("entry");
            n += 1;
            k += key.len();
            v += value.len();
            let e = by_format.entry(value.first().copied().unwrap_or(0)).or_default();
            e.0 += 1;
            e.1 += value.len();
        }
        if n == 0 {
            continue;
        }
        all_n += n;
        all_k += k;
        all_v += v;
        let formats: Vec<String> = if by_format.len() <= 4 {
            by_format.iter().map(|(f, (c, b))| format!("f{f}: {c} / {b} B")).collect()
        } else {
            vec![]
        };
        println!(
            "{:<24} {:>8} entries, keys {:>10} B, values {:>10} B  {}",
            String::from_utf8_lossy(&name),
            n,
            k,
            v,
            formats.join(", ")
        );
    }
    println!("all: {all_n} entries, keys {all_k} B, values {all_v} B, key+value {} B", all_k + all_v);
    println!("sled size_on_disk: {} B", db.size_on_disk().unwrap_or(0));
}

/// Every tree of SRC into a new sled at DST, BATCH entries a batch (0: one
/// insert at a time), then flushed: how big a store written so is.
fn copy(src: &str, dst: &str, batch: usize, segment: usize) {
    let a = sled::Config::new().path(src).open().expect("open src");
    let b = sled::Config::new()
        .path(dst)
        .segment_size(segment)
        .mode(sled::Mode::LowSpace)
        .flush_every_ms(None)
        .open()
        .expect("open dst");
    // the bulk load's order (`Store::bulk_load`): the records, then their
    // index entries, then the rest
    let first = ["workers", "residents", "requests", "idx_request_by_resident", "meta"];
    let mut names: Vec<sled::IVec> = first.iter().map(|n| sled::IVec::from(*n)).collect();
    names.extend(a.tree_names().into_iter().filter(|n| !first.iter().any(|f| f.as_bytes() == n.as_ref())));
    for name in names {
        let (ta, tb) = (a.open_tree(&name).unwrap(), b.open_tree(&name).unwrap());
        let mut bt = sled::Batch::default();
        let mut n = 0;
        for item in ta.iter() {
            let (k, v) = item.unwrap();
            if batch == 0 {
                tb.insert(k, v).unwrap();
            } else {
                bt.insert(k, v);
                n += 1;
                if n == batch {
                    tb.apply_batch(std::mem::take(&mut bt)).unwrap();
                    n = 0;
                }
            }
        }
        tb.apply_batch(bt).unwrap();
    }
    b.flush().unwrap();
    println!("copied with batch {batch}, segments of {segment}: size_on_disk {}", b.size_on_disk().unwrap());
}

/// Each section of a saved index (format 6: 64-byte header) deflated at a
/// few levels: sizes and times to deflate and inflate.
fn deflate(path: &str) {
    use std::io::{Read, Write};
    let f = std::fs::read(path).expect("read");
    let lens: Vec<usize> =
        (0..5).map(|i| u64::from_le_bytes(f[20 + 8 * i..28 + 8 * i].try_into().unwrap()) as usize).collect();
    let mut at = 64;
    for (i, len) in lens.iter().enumerate() {
        let s = &f[at..at + len];
        at += len;
        for level in [1, 2, 3, 6] {
            let t0 = std::time::Instant::now();
            let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level));
            e.write_all(s).unwrap();
            let c = e.finish().unwrap();
            let t1 = std::time::Instant::now();
            let mut out = Vec::with_capacity(*len);
            flate2::read::DeflateDecoder::new(&c[..]).read_to_end(&mut out).unwrap();
            let t2 = std::time::Instant::now();
            assert_eq!(&out[..], s);
            println!(
                "section {i}: {len} B, level {level}: {} B, deflate {:?}, inflate {:?}",
                c.len(),
                t1 - t0,
                t2 - t1
            );
        }
    }
}

/// The saved index of DATA_DIR (a copy: it is written over) written and
/// read RUNS times in turn: as its sections are made (format 6's layout,
/// under another name) and deflated (today's `index_cache::write`).
fn save(dir: &str, runs: usize) {
    use linli::store::{Store, index_cache, saved_copy};
    let dir = std::path::Path::new(dir);
    let store = Store::open(dir).expect("open the store");
    let g = store.generation().expect("generation");
    let (mut index, from_copy) = index_cache::load(&store).expect("the index");
    println!("index loaded (from the saved copy: {from_copy})");
    let raw = dir.join("raw.snapshot");
    for run in 0..runs {
        let t0 = std::time::Instant::now();
        saved_copy::write_made(&raw, b"LINLIRAW", 5, |w| index.write_sections(w)).expect("write raw");
        let t1 = std::time::Instant::now();
        index_cache::write(&mut index, g, dir).expect("write");
        let t2 = std::time::Instant::now();
        let back = index_cache::read(dir, g).expect("read back");
        let t3 = std::time::Instant::now();
        drop(back);
        println!(
            "run {run}: write as made {:.1} ms ({} B), deflated {:.1} ms ({} B); read and inflate {:.1} ms; load {}",
            (t1 - t0).as_secs_f64() * 1e3,
            std::fs::metadata(&raw).unwrap().len(),
            (t2 - t1).as_secs_f64() * 1e3,
            std::fs::metadata(index_cache::path(dir)).unwrap().len(),
            (t3 - t2).as_secs_f64() * 1e3,
            std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split(' ').next().unwrap_or("")
        );
    }
    let _ = std::fs::remove_file(raw);
}
