//! One durable save as a whole process, for the side-by-side with
//! `task add` in BENCHMARKS.md (scripts/bench-taskwarrior.sh): open the
//! store, log one request through the store call the app's new-request form
//! makes (`Store::create_request`: one transaction, flushed and synced
//! before it returns), exit.
//!
//! ```text
//! add_one DATA_DIR
//! ```
//!
//! Prints the new request's number and the time spent opening the store and
//! saving, as seen from inside the process.

use linli::domain::request::{Channel, NewRequest, Urgency};
use linli::domain::{Categories, Resident, WorkCalendar, Worker};
use linli::store::Store;
use std::time::Instant;

fn main() {
    let Some(dir) = std::env::args().nth(1).map(std::path::PathBuf::from) else {
        eprintln!("usage: add_one DATA_DIR");
        std::process::exit(2);
    };
    let t0 = Instant::now();
    let store = Store::open(&dir).expect("open the store");
    let opened = t0.elapsed();
    let worker = store.first::<Worker>().expect("read").expect("a worker").id;
    let resident = store.first::<Resident>().expect("read").map(|r| r.id);
    let new = NewRequest {
        channel: Channel::Phone,
        category: "小修小补".into(),
        title: "楼道灯不亮，请尽快修理".into(),
        description: "3栋2单元楼道灯坏了一周，晚上看不见台阶。".into(),
        location: "3栋2单元".into(),
        resident,
        urgency: Urgency::Normal,
        work_order: String::new(),
        hotline_due: None,
    };
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(10, 0, 0).unwrap();
    let t1 = Instant::now();
    let r = store
        .create_request(&new, worker, at, &Categories::default(), &WorkCalendar::builtin())
        .expect("save the request");
    let saved = t1.elapsed();
    println!("logged {} (open {:.1} ms, save {:.1} ms)", r.id, opened.as_secs_f64() * 1e3, saved.as_secs_f64() * 1e3);
}
