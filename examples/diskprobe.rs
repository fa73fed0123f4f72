//! What a store's disk holds (issues 19r, 19s): per sled tree the entries,
//! their key and value bytes and the largest value, the most a leaf of 16
//! entries holds there (sled writes a node larger than a quarter of a
//! segment as a file of its own, in `blobs/`), against the `db` file's
//! size. Opens sled directly (at the store's own segment size): run it on a
//! copy.
//!
//! ```text
//! diskprobe STORE_DIR                            (the data dir's `store`)
//! diskprobe copy STORE_DIR NEW BATCH [SEGMENT]   (every tree into a new sled)
//! diskprobe bulk DATA_DIR NEW_DATA_DIR SEGMENT   (the workers, residents and
//!     requests bulk-loaded into a new store made with that segment size, as
//!     `examples/taskwarrior_export` makes its requests-only store)
//! ```

fn segment_of(store: &str) -> usize {
    let conf = std::fs::read(std::path::Path::new(store).join("conf")).unwrap_or_default();
    let line = String::from_utf8_lossy(conf.split(|b| *b == b'\n').next().unwrap_or(&[])).to_string();
    line.strip_prefix("segment_size: ").and_then(|s| s.trim().parse().ok()).unwrap_or(512 * 1024)
}

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
    if args.len() >= 5 && args[1] == "bulk" {
        bulk(&args[2], &args[3], args[4].parse().expect("segment size"));
        return;
    }
    let path = args.get(1).expect("usage: diskprobe STORE_DIR");
    let segment = segment_of(path);
    let db = sled::Config::new().path(path).segment_size(segment).open().expect("open sled");
    let (mut all_n, mut all_k, mut all_v) = (0usize, 0usize, 0usize);
    let mut names = db.tree_names();
    names.sort();
    println!("segments of {segment} B: a node over {} B is a blob", segment / 4 - 20);
    for name in names {
        let t = db.open_tree(&name).expect("tree");
        let (mut n, mut k, mut v, mut max_v) = (0usize, 0usize, 0usize, 0usize);
        // the largest run of 16 entries in a row (sled splits a leaf past 16)
        let mut window = std::collections::VecDeque::new();
        let (mut run, mut max_run) = (0usize, 0usize);
        for item in t.iter() {
            let (key, value) = item.expect("entry");
            n += 1;
            k += key.len();
            v += value.len();
            max_v = max_v.max(value.len());
            let e = key.len() + value.len();
            window.push_back(e);
            run += e;
            if window.len() > 16 {
                run -= window.pop_front().unwrap_or(0);
            }
            max_run = max_run.max(run);
        }
        if n == 0 {
            continue;
        }
        all_n += n;
        all_k += k;
        all_v += v;
        println!(
            "{:<24} {:>8} entries, keys {:>10} B, values {:>10} B, largest value {:>7} B, 16 in a row {:>7} B",
            String::from_utf8_lossy(&name),
            n,
            k,
            v,
            max_v,
            max_run
        );
    }
    println!("all: {all_n} entries, keys {all_k} B, values {all_v} B, key+value {} B", all_k + all_v);
    println!("sled size_on_disk: {} B", db.size_on_disk().unwrap_or(0));
}

/// Every tree of SRC into a new sled at DST, BATCH entries a batch (0: one
/// insert at a time), then flushed: how big a store written so is.
fn copy(src: &str, dst: &str, batch: usize, segment: usize) {
    let a = sled::Config::new().path(src).segment_size(segment_of(src)).open().expect("open src");
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

/// The core records of SRC bulk-loaded into a new store at DST whose sled
/// was first made with segments of SEGMENT (the store then keeps them).
fn bulk(src: &str, dst: &str, segment: usize) {
    use linli::store::Store;
    let store = Store::open(std::path::Path::new(src)).expect("open src");
    let workers = store.workers().expect("workers");
    let residents = store.residents().expect("residents");
    let mut requests = Vec::new();
    store.scan_requests(|r| requests.push(r)).expect("requests");
    drop(store);
    let dst = std::path::Path::new(dst);
    assert!(!dst.exists(), "{} exists already", dst.display());
    drop(sled::Config::new().path(dst.join("store")).segment_size(segment).open().expect("make the sled"));
    let t = std::time::Instant::now();
    let copy = Store::open_to_load(dst, &mut |_, _| {}).expect("create the store");
    copy.bulk_load(&linli::demo::Dataset { workers, residents, requests }).expect("bulk load");
    drop(copy);
    drop(Store::open(dst).expect("reopen"));
    println!("bulk-loaded with segments of {segment} in {:.1?}", t.elapsed());
}
