//! Where the memory of an import of residents goes (issue 19): RSS, the
//! peak of each step (VmHWM, reset before it through `clear_refs`) and the
//! heap's counters after each step the app takes for an import through the
//! data screen, on a data dir with a saved index (run the app once):
//! the preview, the import on a thread of its own keeping fingerprints
//! (as `ui::data::importing`), the index brought along one resident at a
//! time read from the store (as `Shared::apply_with`), the panels' refresh
//! (the residents' list filtered, the requests' search, which builds the
//! residents' lists again), and with `UNDO` set the undo of the step.
//!
//! ```text
//! cargo run --release --example importprobe -- DATA_DIR SHEET.csv
//! UNDO=1 importprobe DATA_DIR SHEET.csv   # then its undo, stage by stage
//! ```
//!
//! With `UNDO=1` the step is undone as the app's thread does, each
//! stage's own peak measured: the bytes read back for the redo (spilled to
//! a file, `Store::ready`; in memory with `FILL=1`, `Store::fill_prints`;
//! neither with `NOFILL=1`), sled's transactions (`Store::undo_in_chunks`),
//! then the app's index and panels after it (the residents taken out, the
//! lists built again, the arena compacted).
//!
//! Writes to DATA_DIR: use a copy. `NOKEEP`: no undo step kept.

use linli::domain::{ResidentId, WorkerId};
use linli::files::import;
use linli::store::Store;
use linli::store::record::RecordKind;

#[path = "common/status.rs"]
mod status;

/// The peak is counted again from now (Linux ≥ 4.0: "5" resets VmHWM).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn rss() -> String {
    format!("RSS {:.1} MB (step's peak {:.1} MB){}", status::mb("VmRSS:"), status::mb("VmHWM:"), heap())
}

/// The heap's counters (glibc only): in use, free, in mappings of its own.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn heap() -> String {
    // SAFETY: mallinfo2 only reads the allocator's counters.
    let mi = unsafe { libc::mallinfo2() };
    let mb = |b: usize| b as f64 / 1048576.0;
    format!(" [heap in use {:.1}, free {:.1}, mmapped {:.1}]", mb(mi.uordblks), mb(mi.fordblks), mb(mi.hblkhd))
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn heap() -> String {
    String::new()
}

fn trimmed() -> String {
    linli::platform::memory::give_back();
    format!("\n   trimmed: RSS {:.1} MB{}", status::mb("VmRSS:"), heap())
}

fn ms(t: std::time::Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(sheet)) = (args.next(), args.next()) else {
        eprintln!("usage: importprobe DATA_DIR SHEET");
        std::process::exit(2);
    };
    linli::platform::memory::tune();
    let store = Store::open(std::path::Path::new(&dir)).expect("open");
    let g = store.generation().expect("generation");
    let mut index = linli::store::index_cache::read(store.dir(), g).expect("a saved index that matches");
    println!("store and saved index: {}{}", rss(), trimmed());
    let sizes = |index: &linli::store::rows::RequestIndex| {
        let m = index.memory();
        m.iter().map(|(k, b)| format!("{k} {:.2}", *b as f64 / 1048576.0)).collect::<Vec<_>>().join(", ")
    };
    println!("   index MB: {}", sizes(&index));

    reset_peak();
    let t = std::time::Instant::now();
    let known = import::Known::of(index.residents().map(|r| (r.id, r.name, r.phone, r.address)));
    let streamed = import::preview_file(std::path::Path::new(&sheet), &known, |head| {
        Ok::<_, std::convert::Infallible>(import::detect_columns(head))
    })
    .expect("preview");
    drop(known);
    let preview = streamed.preview;
    println!("preview ({:.0} ms, {} to import): {}{}", ms(t), preview.to_import(), rss(), trimmed());

    // the app's import: on a thread, the step keeping fingerprints, the
    // heap given back when it ends
    reset_peak();
    store.keep_changes(std::env::var("NOKEEP").is_err());
    let t = std::time::Instant::now();
    let (n, set) = std::thread::scope(|s| {
        s.spawn(|| {
            store.capture_prints(true);
            let n = import::import_file(&store, &preview, false, WorkerId(1), chrono::Utc::now().naive_utc())
                .expect("import");
            linli::platform::memory::give_back();
            (n, store.take_last_change())
        })
        .join()
        .expect("the import's thread")
    });
    drop(preview);
    println!("import on its thread ({:.0} ms, {n} added, {} changes): {}", ms(t), set.0.len(), rss());

    // `Shared::apply_with`: each resident read from the store
    reset_peak();
    let t = std::time::Instant::now();
    let pace: usize = std::env::var("XPACE").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    for (i, c) in set.0.iter().filter(|c| c.kind == RecordKind::Resident).enumerate() {
        if pace > 0 && i % pace == pace - 1 {
            store.relieve_cache();
        }
        match store.resident(ResidentId(c.id)) {
            Ok(Some(r)) => index.upsert_resident(&r),
            _ => index.remove_resident(ResidentId(c.id)),
        }
    }
    println!("index brought along ({:.0} ms): {}", ms(t), rss());
    println!("   index MB: {}", sizes(&index));

    // the panels: the residents' list, the requests' search (which builds
    // the residents' lists again: 30,000 outside them)
    reset_peak();
    let t = std::time::Instant::now();
    let today = linli::store::rows::Today::new(
        chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("a date"),
        &linli::domain::calendar::WorkCalendar::default(),
    );
    let panels = |index: &mut linli::store::rows::RequestIndex, what: &str, t: std::time::Instant| {
        let hits: Vec<ResidentId> = index.residents().map(|k| k.id).collect();
        let rows = index.query("", &Default::default(), Default::default(), today);
        println!("{what} ({:.0} ms, {} residents, {} rows): {}{}", ms(t), hits.len(), rows.len(), rss(), trimmed());
        println!("   index MB: {}", sizes(index));
    };
    panels(&mut index, "panels refreshed", t);

    if std::env::var("UNDO").is_ok() {
        // Ctrl+Z of the whole import, as the app's thread takes it
        // (`ui::undo`): the bytes read back for the redo, then the chunks'
        // transactions
        let mut set = set;
        let at = chrono::Utc::now().naive_utc();
        reset_peak();
        let t = std::time::Instant::now();
        if std::env::var("NOFILL").is_err() {
            // (`FILL=1`: kept in memory, as before issue 19zf)
            if std::env::var("FILL").is_ok() {
                store.fill_prints(&mut set).expect("fill");
            } else {
                store.ready(&mut set).expect("spill");
            }
        }
        let kept: usize = set.0.iter().flat_map(|c| [&c.before, &c.after]).flatten().map(|b| b.len()).sum();
        println!("read back for the redo ({:.0} ms, {kept} bytes kept): {}", ms(t), rss());
        reset_peak();
        let t = std::time::Instant::now();
        store.undo_in_chunks(&set, WorkerId(1), at, |_, _| {}).map_err(|p| p.error).expect("undo");
        println!("undone in chunks ({:.0} ms, {} records): {}{}", ms(t), set.0.len(), rss(), trimmed());
        // the app's index and panels after the undo: the residents taken
        // out, the lists built again (the arena compacted)
        reset_peak();
        let t = std::time::Instant::now();
        for c in set.0.iter().filter(|c| c.kind == RecordKind::Resident) {
            index.remove_resident(ResidentId(c.id));
        }
        panels(&mut index, "undo's index and panels", t);
        drop(set);
        println!("undo step dropped: {}{}", rss(), trimmed());
    }
}
