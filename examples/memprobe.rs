//! Where the memory goes when linli loads the large data set: RSS after
//! each step of what the app does at start-up (see BENCHMARKS.md).
//!
//! ```text
//! cargo run --release --example memprobe -- DATA_DIR
//! ```
//!
//! DATA_DIR is a linli data dir (e.g. one made by `linli gen --size large`).
//!
//! `STALE=1`: the index rebuilt from the records and saved, step by step
//! (it writes DATA_DIR's `index.snapshot`); with `SWAP=1` the built index
//! is then dropped and the saved copy read in its place; with
//! `SCANONLY=1 [PACE=BYTES]` the records are only read (issue 19zb). Add
//! `TUNE=1` for the allocator as the app sets it.

use linli::store::Store;
use linli::ui::app::Loaded;

#[path = "common/status.rs"]
mod status;

fn rss() -> String {
    format!("RSS {} MB (peak {} MB)", status::mb("VmRSS:") as u64, status::mb("VmHWM:") as u64)
}

/// Gives freed heap back to the OS (glibc only), to tell memory still in
/// use from memory the allocator merely keeps.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trimmed() -> String {
    unsafe extern "C" {
        fn malloc_trim(pad: usize) -> i32;
    }
    // SAFETY: malloc_trim only releases free heap pages.
    unsafe { malloc_trim(0) };
    format!("  after malloc_trim: {}", rss())
}

/// The heap's bytes in use and free, and those mapped on their own (MB).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn heap() -> String {
    // SAFETY: mallinfo2 only reads the allocator's counters.
    let m = unsafe { libc::mallinfo2() };
    let mb = |b: usize| b as f64 / 1048576.0;
    format!("heap: in use {:.1}, free {:.1}, mapped {:.1} MB", mb(m.uordblks), mb(m.fordblks), mb(m.hblkhd))
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn heap() -> String {
    String::new()
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trimmed() -> String {
    String::new()
}

fn main() {
    let Some(dir) = std::env::args().nth(1).map(std::path::PathBuf::from) else {
        eprintln!("usage: memprobe DATA_DIR");
        std::process::exit(2);
    };
    if std::env::var("TUNE").is_ok() {
        // the allocator as the app and the server set it
        linli::platform::memory::tune();
    }
    println!("start: {}", rss());
    let t = std::time::Instant::now();
    let store = Store::open(&dir).expect("open");
    println!("Store::open: {} ({:.1} ms)  {}", rss(), t.elapsed().as_secs_f64() * 1e3, heap());
    if std::env::var("STALE").is_ok() {
        // a start without a usable saved copy: the index built from the
        // records (`index_cache::rebuild`), then written (`load` does both)
        // (`index_cache::rebuild`, step by step)
        if std::env::var("SCANONLY").is_ok() {
            // the records read and dropped, nothing kept: what the scan
            // alone leaves in the heap, sled counting its cache every PACE
            // bytes (default 6 MB, as `Store::scan`; the rebuild's is
            // `index_cache::REBUILD_BYTES`)
            let mut n = 0usize;
            let t = std::time::Instant::now();
            let step = std::env::var("PACE").ok().and_then(|t| t.parse::<usize>().ok()).unwrap_or(6 << 20);
            let paced = store.paced(step);
            paced.scan(|_: linli::domain::Resident| n += 1).expect("residents");
            println!("residents scanned: {}  {}", rss(), heap());
            paced.scan(|_: linli::domain::Request| n += 1).expect("requests");
            println!("({:.0} ms, step {step})", t.elapsed().as_secs_f64() * 1e3);
            println!("requests scanned: {}  {}", rss(), heap());
            linli::platform::memory::give_back();
            println!("given back: {}  {} ({n} records)", rss(), heap());
            return;
        }
        let t = std::time::Instant::now();
        let mut index = linli::store::rows::RequestIndex::default();
        let paced = store.paced(linli::store::index_cache::REBUILD_BYTES);
        paced.scan(|r: linli::domain::Resident| index.upsert_resident(&r)).expect("residents");
        paced.scan(|r: linli::domain::Request| index.upsert(&r)).expect("requests");
        println!(
            "records read: {} ({:.0} ms, {} rows)  {}",
            rss(),
            t.elapsed().as_secs_f64() * 1e3,
            index.len(),
            heap()
        );
        // as `rebuild` does before the lists
        linli::platform::memory::give_back();
        let t = std::time::Instant::now();
        index.shrink();
        println!("sealed (the lists built): {} ({:.0} ms)", rss(), t.elapsed().as_secs_f64() * 1e3);
        println!("  held by the index: {:?}", index.memory());
        let t = std::time::Instant::now();
        let g = store.generation().expect("gen");
        linli::store::index_cache::write(&mut index, g, store.dir()).expect("write");
        println!("written: {} ({:.0} ms)", rss(), t.elapsed().as_secs_f64() * 1e3);
        linli::platform::memory::give_back();
        println!("given back: {}  {}", rss(), heap());
        if std::env::var("SWAP").is_ok() {
            // what the rebuild leaves behind: the built index dropped, the
            // saved copy read in its place
            drop(index);
            linli::platform::memory::give_back();
            println!("built index dropped: {}  {}", rss(), heap());
            let t = std::time::Instant::now();
            let index = linli::store::index_cache::read(store.dir(), g).expect("the copy just written");
            linli::platform::memory::give_back();
            println!("read back: {}  {} ({:.0} ms)", rss(), heap(), t.elapsed().as_secs_f64() * 1e3);
            drop(index);
        }
        return;
    }
    if std::env::var("APPSTART").is_ok() {
        let t = std::time::Instant::now();
        let g = store.generation().expect("gen");
        let index = linli::store::index_cache::read(store.dir(), g).expect("a saved index that matches");
        println!(
            "saved index read: {} ({:.0} ms, {} rows)  {}",
            rss(),
            t.elapsed().as_secs_f64() * 1e3,
            index.len(),
            heap()
        );
        println!("  held by the index: {:?}", index.memory());
        println!("{}", trimmed());
        // what opening the duties board (panel 3) and the roster (panel 4)
        // add (ROSTER_ONLY=1: the roster alone; SCAN=1: both read from the
        // records, not from their saved copies)
        let scan = std::env::var("SCAN").is_ok();
        if std::env::var("ROSTER_ONLY").is_err() {
            let t = std::time::Instant::now();
            let log = if scan {
                linli::store::duties_rows::LogIndex::scan(&store)
            } else {
                linli::store::duties_rows::LogIndex::load(&store)
            }
            .expect("log");
            println!(
                "+ daily log read (panel 3): {} ({:.0} ms, {} entries)",
                rss(),
                t.elapsed().as_secs_f64() * 1e3,
                log.len()
            );
            println!("  held by the log: {:?}", log.memory());
            println!("{}", trimmed());
            if std::env::var("KEEP").is_ok() {
                // what leaving the duties panel and coming back cost (the
                // app alone lets the log go): the copy written (after an
                // entry was saved) and read back
                let mut fresh = linli::store::duties_rows::LogIndex::scan(&store).expect("log");
                let t = std::time::Instant::now();
                let stamp = fresh.keep(&store).expect("keep");
                println!("keep, the copy written: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
                drop(fresh);
                for _ in 0..3 {
                    let t = std::time::Instant::now();
                    let back = linli::store::duties_rows::LogIndex::load_kept(&store, stamp).expect("back");
                    println!(
                        "read back from the kept copy: {:.1} ms ({} entries) {}",
                        t.elapsed().as_secs_f64() * 1e3,
                        back.len(),
                        rss()
                    );
                }
            }
        }
        let t = std::time::Instant::now();
        let roster = if scan {
            linli::store::roster::index::RosterIndex::read_records(&store)
        } else {
            linli::store::roster::index::RosterIndex::read(&store)
        }
        .expect("roster");
        println!(
            "+ roster read (panel 4): {} ({:.0} ms, {} volunteers)",
            rss(),
            t.elapsed().as_secs_f64() * 1e3,
            roster.volunteers.len()
        );
        println!("{}", trimmed());
        return;
    }
    let latest = store.latest_requests(60).expect("latest");
    println!("newest 60 requests (the first frame): {} ({})", rss(), latest.len());
    let residents = store.residents().expect("residents");
    println!("residents(): {} ({} residents)", rss(), residents.len());
    let (mut n, mut bytes) = (0usize, 0usize);
    store
        .scan_requests(|r| {
            n += 1;
            bytes += r.title.len() + r.description.len() + r.location.len();
        })
        .expect("scan");
    println!("scan_requests, each decoded and dropped: {} ({n} requests, {bytes} bytes of text)", rss());
    println!("{}", trimmed());
    let loaded = Loaded::read(&store).expect("load");
    println!("Loaded::read (the app's full index): {} ({} rows)", rss(), loaded.index.len());
    println!("{}", trimmed());
    let t = std::time::Instant::now();
    let roster = linli::store::roster::index::RosterIndex::read(&store).expect("roster");
    println!("RosterIndex::read: {} ({:.0} ms)", rss(), t.elapsed().as_secs_f64() * 1e3);
    drop(roster);
    println!("roster dropped: {}", rss());
    println!("{}", trimmed());
    let t = std::time::Instant::now();
    let log = linli::store::duties_rows::LogIndex::load(&store).expect("log");
    println!("LogIndex::load: {} ({:.0} ms)", rss(), t.elapsed().as_secs_f64() * 1e3);
    drop(log);
    println!("log dropped: {}", rss());
    println!("{}", trimmed());
    drop(residents);
    drop(loaded);
    println!("index and residents dropped: {}", rss());
    println!("{}", trimmed());
    drop(store);
    println!("store dropped: {}", rss());
    println!("{}", trimmed());
}
