//! The bit-flip trial behind SAFETY.md: what one flipped bit in sled's log
//! (`store/db`) costs. A demo-sized store (800 residents, 1,500 requests,
//! the duties board and the roster) is made once, with a daily snapshot;
//! then, TRIALS times, a copy of the data dir gets one bit flipped at a
//! seeded random offset in the written part of `store/db`, and is opened
//! the way linli opens it. Each trial ends in one of:
//!
//! - intact: the store opens and a backup of it holds every record, audit
//!   entry and counter exactly as before;
//! - named: the store opens, and the records it cannot read are named by
//!   `check` (and left out, by name, of backups);
//! - refused: the store does not open, and the daily snapshot restores;
//! - silent: the store opens but records are missing or different without
//!   any of the above saying so (what must never happen unnoticed);
//! - panic: sled panicked.
//!
//! ```text
//! cargo run --example bitflip -- [TRIALS=150] [SEED=13]
//! ```

use linli::demo::{self, Size};
use linli::domain::{Categories, WorkCalendar};
use linli::store::Store;
use linli::store::backup::{self, BackupOptions};
use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

fn lines_of(backup: &Path) -> BTreeSet<String> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(backup).unwrap()).read_to_string(&mut text).unwrap();
    // the records, audit entries and counters (not the manifest, the end
    // line or the signature, which carry counts and checksums)
    text.lines().filter(|l| l.starts_with("{\"kind\"")).map(String::from).collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

#[derive(Default, Debug)]
struct Tally {
    intact: usize,
    named: usize,
    named_records: usize,
    refused: usize,
    refused_restored: usize,
    silent: usize,
    silent_records: usize,
    panics: usize,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let trials: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(150);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(13);
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(10, 0, 0).unwrap();
    let work = tempfile::tempdir().unwrap();
    let original = work.path().join("original");
    {
        let store = Store::open(&original).unwrap();
        let (cal, cats) = (WorkCalendar::builtin(), Categories::default());
        let mut data = demo::generate(Size::Demo, 1, 20261124, now.date(), &cal, &cats);
        let duties = demo::duties::generate(&mut data, Size::Demo, 20261124, now.date(), &cal);
        store.bulk_load(&data).unwrap();
        store.bulk_load_duties(&duties).unwrap();
        store.bulk_load_roster(&demo::volunteers::generate_roster(Size::Demo, 20261124, now.date(), &data)).unwrap();
        linli::store::snapshot::auto_snapshot(&store, now).unwrap();
    }
    // one open more: sled writes its snapshot, as after any normal start
    drop(Store::open(&original).unwrap());
    let reference = work.path().join("reference.jsonl.gz");
    {
        let store = Store::open(&original).unwrap();
        backup::backup(&store, &reference, now, &BackupOptions::default(), |_, _| {}).unwrap();
    }
    let want = lines_of(&reference);
    let db = std::fs::read(original.join("store").join("db")).unwrap();
    let written = db.iter().rposition(|b| *b != 0).map_or(db.len(), |i| i + 1);
    eprintln!(
        "bitflip: store/db {} bytes, {} written; {} records, audit entries and counters; {trials} trials, seed {seed}",
        db.len(),
        written,
        want.len()
    );
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut t = Tally::default();
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for trial in 0..trials {
        let dir = work.path().join(format!("t{trial}"));
        copy_dir(&original, &dir);
        let offset = (rnd() % written as u64) as usize;
        let bit = rnd() % 8;
        let mut bytes = db.clone();
        bytes[offset] ^= 1 << bit;
        std::fs::write(dir.join("store").join("db"), bytes).unwrap();
        let outcome = std::panic::catch_unwind(|| -> (&'static str, usize) {
            let store = match Store::open(&dir) {
                Ok(s) => s,
                Err(_) => return ("refused", 0),
            };
            let named = match store.check(false) {
                Ok(r) => r.unreadable.len(),
                Err(_) => return ("refused", 0),
            };
            let out = dir.join("after.jsonl.gz");
            let made = backup::backup(&store, &out, now, &BackupOptions::default(), |_, _| {});
            let Ok(info) = made else { return ("refused", 0) };
            let got = lines_of(&out);
            let lost = want.difference(&got).count();
            match (lost, named.max(info.unreadable.len())) {
                (0, 0) => ("intact", 0),
                (l, n) if n >= l => ("named", n),
                (l, _) => ("silent", l),
            }
        });
        match outcome {
            Ok(("intact", _)) => t.intact += 1,
            Ok(("named", n)) => {
                t.named += 1;
                t.named_records += n;
            }
            Ok(("refused", _)) => {
                t.refused += 1;
                // the way back: the daily snapshot restores, whole
                let snap = linli::store::snapshot::list(&dir).pop().map(|(_, p)| p).unwrap();
                if backup::restore(&snap, &dir, None, now, |_, _| {}).is_ok() && Store::open(&dir).is_ok() {
                    t.refused_restored += 1;
                }
            }
            Ok((_, l)) => {
                t.silent += 1;
                t.silent_records += l;
                eprintln!("  trial {trial}: offset {offset} bit {bit}: {l} lines lost or changed unnoticed");
            }
            Err(_) => {
                t.panics += 1;
                eprintln!("  trial {trial}: offset {offset} bit {bit}: panic");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    std::panic::set_hook(quiet);
    println!("{t:?}");
}
