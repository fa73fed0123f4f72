//! Where the memory of an import of residents goes (issue 19): RSS and
//! the peak (VmHWM) after each step the app takes for an import through
//! the data screen, on a data dir with a saved index (run the app once).
//!
//! ```text
//! cargo run --release --example importprobe -- DATA_DIR SHEET.csv
//! UNDO=1 importprobe DATA_DIR SHEET.csv   # then its undo, stage by stage
//! ```
//!
//! With `UNDO=1` the import is captured as the app's is (residents as
//! fingerprints, `Store::capture_prints`) and undone as the app's thread
//! does, each stage's own peak measured (VmHWM reset before it): the
//! bytes read back for the redo (spilled to a file, `Store::ready`; in
//! memory with `FILL=1`, `Store::fill_prints`; neither with `NOFILL=1`), sled's transactions (`Store::undo_in_chunks`), the index's
//! removal of the residents, the message naming them.
//!
//! Writes to DATA_DIR: use a copy.

use linli::domain::WorkerId;
use linli::files::import;
use linli::store::Store;
use linli::store::record::RecordKind;

#[path = "common/status.rs"]
mod status;

fn rss() -> String {
    format!("RSS {:.1} MB (peak {:.1} MB){}", status::mb("VmRSS:"), status::mb("VmHWM:"), heap())
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

/// The peak (VmHWM) starts again from what is resident now (Linux 4.0+:
/// `/proc/self/clear_refs`), so a stage's peak is its own.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn trimmed() -> String {
    linli::platform::memory::give_back();
    format!("   trimmed: {}", rss())
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
    let t = std::time::Instant::now();
    let known = import::Known::of(index.residents().map(|r| (r.id, r.name, r.phone, r.address)));
    let streamed = import::preview_file(std::path::Path::new(&sheet), &known, |head| {
        Ok::<_, std::convert::Infallible>(import::detect_columns(head))
    })
    .expect("preview");
    drop(known);
    let preview = streamed.preview;
    println!(
        "preview ({:.0} ms, {} to import): {}{}",
        t.elapsed().as_secs_f64() * 1e3,
        preview.to_import(),
        rss(),
        trimmed()
    );
    store.keep_changes(std::env::var("NOKEEP").is_err());
    let undo = std::env::var("UNDO").is_ok();
    // (the app's import thread: its residents captured as fingerprints)
    store.capture_prints(undo);
    let t = std::time::Instant::now();
    // (the file read again, its rows written in batches of `IMPORT_BATCH`)
    let n = import::import_file(&store, &preview, false, WorkerId(1), chrono::Utc::now().naive_utc()).expect("import");
    drop(preview);
    println!("import ({:.0} ms, {n} added): {}{}", t.elapsed().as_secs_f64() * 1e3, rss(), trimmed());
    let set = store.take_last_change();
    let bytes: usize = set.0.iter().map(|c| c.after.as_ref().map_or(0, |b| b.len())).sum();
    println!("the undo step: {} changes, {} bytes after: {}", set.0.len(), bytes, rss());
    let t = std::time::Instant::now();
    for c in &set.0 {
        // (a fingerprint: the resident read from the store, as the app does)
        let r = match &c.after {
            Some(b) if b.is_print() => store.resident(linli::domain::ResidentId(c.id)).ok().flatten(),
            b => b.as_deref().and_then(|b| linli::store::codec::decode::<linli::domain::Resident>(b).ok()),
        };
        if c.kind == RecordKind::Resident
            && let Some(r) = r
        {
            index.upsert_resident(&r);
        }
    }
    println!("index brought along ({:.0} ms): {}{}", t.elapsed().as_secs_f64() * 1e3, rss(), trimmed());
    if undo {
        // Ctrl+Z of the whole import, as the app's thread takes it
        // (`ui::undo`): the bytes read back and kept for the redo, then the
        // chunks' transactions; then the panels' index brought along
        let mut set = set;
        let at = chrono::Utc::now().naive_utc();
        println!("before the undo: {}{}", rss(), trimmed());
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
        println!("read back for the redo ({:.0} ms, {kept} bytes kept): {}", t.elapsed().as_secs_f64() * 1e3, rss());
        reset_peak();
        let t = std::time::Instant::now();
        store.undo_in_chunks(&set, WorkerId(1), at, |_, _| {}).map_err(|p| p.error).expect("undo");
        println!("undone in chunks ({:.0} ms, {} records): {}", t.elapsed().as_secs_f64() * 1e3, set.0.len(), rss());
        println!("  {}", trimmed());
        reset_peak();
        let t = std::time::Instant::now();
        for c in &set.0 {
            if c.kind == RecordKind::Resident {
                index.remove_resident(linli::domain::ResidentId(c.id));
            }
        }
        println!("index: residents removed ({:.0} ms): {}{}", t.elapsed().as_secs_f64() * 1e3, rss(), trimmed());
        drop(set);
        println!("undo step dropped: {}{}", rss(), trimmed());
        return;
    }
    drop(set);
    println!("undo step dropped: {}{}", rss(), trimmed());
}
