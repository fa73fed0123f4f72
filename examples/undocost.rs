//! What an undo costs on the store, inline (issue 18, BENCHMARKS.md): the
//! threshold above which `ui::undo` takes a step off the loop
//! (`ui::undo::OFF_LOOP`). On a copy of the large set: for each size N,
//! N residents created in one step (`Store::create_residents`), then that
//! step undone (`Store::undo`, the call the app makes), timed; each size
//! `ROUNDS` (5) times.
//!
//! ```text
//! undocost DATA_DIR [N…]      # default 1 40 200 1000 3000
//! ```

use linli::domain::{Resident, ResidentId, Worker};
use linli::store::Store;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(dir) = args.get(1).map(std::path::PathBuf::from) else {
        eprintln!("usage: undocost DATA_DIR [N…]");
        std::process::exit(2);
    };
    let mut sizes: Vec<usize> = args[2..].iter().filter_map(|s| s.parse().ok()).collect();
    if sizes.is_empty() {
        sizes = vec![1, 40, 200, 1000, 3000];
    }
    let store = Store::open(&dir).expect("open the store");
    store.keep_changes(true);
    let by = store.first::<Worker>().expect("read").expect("a worker").id;
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(10, 0, 0).unwrap();
    println!("| records in the step | undo ms (5 rounds: p50, max) |\n|---:|---:|");
    for n in sizes {
        let mut ms = Vec::new();
        for round in 0..5 {
            let drafts: Vec<Resident> = (0..n)
                .map(|i| {
                    let mut r = Resident::new(ResidentId(0), &format!("撤销测{round}-{i}"));
                    r.phone = format!("188{:08}", round * 100_000 + i);
                    r
                })
                .collect();
            let _ = store.take_last_change();
            for part in drafts.chunks(1000) {
                store.create_residents(part, by, at).expect("create");
            }
            let set = store.take_last_change();
            assert_eq!(set.0.len(), n, "one step of {n} records");
            let t = Instant::now();
            store.undo(&set, by, at).expect("undo");
            ms.push(t.elapsed().as_secs_f64() * 1e3);
            let _ = store.take_last_change();
        }
        ms.sort_by(f64::total_cmp);
        println!("| {n} | {:.1}, {:.1} |", ms[2], ms[4]);
    }
}
