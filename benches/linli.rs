//! `cargo bench`: linli on the "large community, 5 years" data set (40
//! workers, 30,000 residents, 100,000 requests), with a SQLite baseline on
//! the same records in the same run (issues 3 and 8).
//!
//! No criterion: a small timer below runs warm-up rounds, then N measured
//! rounds, and reports median, p99, min and max. The data set is generated
//! once into `<target>/linli-bench/` and reused while a marker file says it
//! was made from the same seed and the same generator/store code; every run
//! works on a fresh copy, because the save benchmarks write to it.
//!
//! Everything here is in-process. Whole-process figures (cold start of the
//! real binary in a pty, RSS, idle CPU, bytes written to the terminal) come
//! from `scripts/bench-process.sh`.
//!
//! `LINLI_BENCH_QUICK=1` runs fewer rounds (for checking that it works).

use chrono::{Duration as Days, NaiveDate, NaiveDateTime};
use linli::demo::{self, Size};
use linli::domain::request::{Channel, Move, NewRequest, Status, Urgency};
use linli::domain::{Categories, RequestId, WorkCalendar, WorkerId};
use linli::i18n::Lang;
use linli::store::Store;
use linli::store::codec;
use linli::store::rows::{Filter, Sort, Today};
use linli::ui::app::{App, Loaded};
use linli::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use rusqlite::{Connection, params};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SEED: u64 = 20261124;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// "Now" for every save: Tuesday 24 November 2026, 10:00, plus a second per save.
fn now() -> NaiveDateTime {
    today().and_hms_opt(10, 0, 0).unwrap()
}

// ---------------------------------------------------------------------------
// Timing

#[derive(Clone, Copy)]
struct Stats {
    n: usize,
    median: Duration,
    p99: Duration,
    min: Duration,
    max: Duration,
}

impl Stats {
    fn of(mut v: Vec<Duration>) -> Stats {
        assert!(!v.is_empty());
        v.sort();
        let n = v.len();
        // nearest rank
        let rank = |p: f64| v[((p * n as f64).ceil() as usize).clamp(1, n) - 1];
        Stats { n, median: rank(0.5), p99: rank(0.99), min: v[0], max: v[n - 1] }
    }
}

/// Runs `f` `warmup` times unmeasured, then `iters` times measured. What
/// `f` returns is dropped after the clock stops (closing a store is not
/// part of opening it).
fn bench<T>(warmup: usize, iters: usize, mut f: impl FnMut() -> T) -> Stats {
    for _ in 0..warmup {
        drop(black_box(f()));
    }
    let mut v = Vec::with_capacity(iters);
    for _ in 0..iters {
        let t = Instant::now();
        let out = black_box(f());
        v.push(t.elapsed());
        drop(out);
    }
    Stats::of(v)
}

fn ms(d: Duration) -> String {
    let x = d.as_secs_f64() * 1e3;
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else if x >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

struct Report {
    out: String,
    quick: bool,
    /// Notes written after the table that is being filled.
    asides: Vec<String>,
}

impl Report {
    fn section(&mut self, title: &str) {
        self.flush_asides();
        let _ = write!(
            self.out,
            "\n### {title}\n\n| operation | n | median ms | p99 ms | min ms | max ms | target |\n|---|---:|---:|---:|---:|---:|---|\n"
        );
        println!("\n== {title}");
    }

    fn row(&mut self, name: &str, s: Stats, target: &str) {
        let _ = writeln!(
            self.out,
            "| {name} | {} | {} | {} | {} | {} | {target} |",
            s.n,
            ms(s.median),
            ms(s.p99),
            ms(s.min),
            ms(s.max)
        );
        println!(
            "{name:<58} n={:<4} median {:>9} ms  p99 {:>9} ms  min {:>9}  max {:>9}  {target}",
            s.n,
            ms(s.median),
            ms(s.p99),
            ms(s.min),
            ms(s.max)
        );
    }

    fn note(&mut self, s: &str) {
        self.flush_asides();
        let _ = writeln!(self.out, "{s}");
        println!("{s}");
    }

    /// A note printed now but written below the current table.
    fn aside(&mut self, s: &str) {
        println!("{s}");
        self.asides.push(s.to_string());
    }

    fn flush_asides(&mut self) {
        for s in std::mem::take(&mut self.asides) {
            let _ = writeln!(self.out, "\n{s}");
        }
    }

    /// Iterations, fewer in quick mode.
    fn n(&self, full: usize) -> usize {
        if self.quick { (full / 10).max(3) } else { full }
    }
}

// ---------------------------------------------------------------------------
// The data set, generated once and reused

/// Changes whenever the code that shapes the stored bytes changes, so a
/// stale data set is never reused.
fn data_fingerprint() -> u64 {
    let parts = [
        include_str!("../src/demo/mod.rs"),
        include_str!("../src/demo/rng.rs"),
        include_str!("../src/demo/people.rs"),
        include_str!("../src/demo/requests.rs"),
        include_str!("../src/store/bulk.rs"),
        include_str!("../src/store/mod.rs"),
        include_str!("../src/store/codec.rs"),
        include_str!("../src/store/schema.rs"),
        include_str!("../src/domain/request.rs"),
        include_str!("../src/domain/resident.rs"),
        include_str!("../src/domain/worker.rs"),
        include_str!("sqlite_schema.sql"),
    ];
    // FNV-1a
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

const SQLITE_SCHEMA: &str = include_str!("sqlite_schema.sql");

/// `<target>/linli-bench`, found from this executable's path
/// (`<target>/release/deps/linli-…`), so `CARGO_TARGET_DIR` is respected.
fn bench_root() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    let target = exe.ancestors().nth(3).map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("target"));
    target.join("linli-bench")
}

struct DataDirs {
    /// The generated data, never written to by a benchmark.
    pristine: PathBuf,
    /// This run's copy: `work/linli` (a linli data dir) and `work/sqlite.db`.
    work: PathBuf,
}

fn prepare_data(r: &mut Report) -> DataDirs {
    let root = bench_root();
    let marker_text =
        format!("size=large scale=1 seed={SEED} today={} fingerprint={:016x}\n", today(), data_fingerprint());
    let pristine = root.join("large");
    let marker = pristine.join("READY");
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(marker_text.as_str()) {
        println!("generating the large data set into {} (once) …", pristine.display());
        let _ = std::fs::remove_dir_all(&pristine);
        std::fs::create_dir_all(&pristine).unwrap();
        let cal = WorkCalendar::builtin();
        let cats = Categories::default();
        let t = Instant::now();
        let data = demo::generate(Size::Large, 1, SEED, today(), &cal, &cats);
        let generated = t.elapsed();
        let t = Instant::now();
        {
            let store = Store::open(&pristine.join("linli")).unwrap();
            store.bulk_load(&data).unwrap();
        }
        // as `linli gen` does: open once more so that sled writes its snapshot
        drop(Store::open(&pristine.join("linli")).unwrap());
        let sled_load = t.elapsed();
        let t = Instant::now();
        build_sqlite(&pristine.join("sqlite.db"), &data);
        let sqlite_load = t.elapsed();
        std::fs::write(&marker, &marker_text).unwrap();
        let line = format!(
            "generated in {:.1} s; bulk-loaded into sled in {:.1} s, into SQLite in {:.1} s",
            generated.as_secs_f64(),
            sled_load.as_secs_f64(),
            sqlite_load.as_secs_f64()
        );
        std::fs::write(pristine.join("GENERATED"), &line).unwrap();
    }
    if let Ok(s) = std::fs::read_to_string(pristine.join("GENERATED")) {
        r.note(&format!("Data set: {} ({s}).", pristine.display()));
    }
    let work = root.join("work");
    let _ = std::fs::remove_dir_all(&work);
    copy_dir(&pristine.join("linli"), &work.join("linli"));
    std::fs::copy(pristine.join("sqlite.db"), work.join("sqlite.db")).unwrap();
    DataDirs { pristine, work }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Bytes allocated on disk under `p` (what `du` counts) and apparent size.
fn disk_usage(p: &Path) -> (u64, u64) {
    let m = match std::fs::symlink_metadata(p) {
        Ok(m) => m,
        Err(_) => return (0, 0),
    };
    if m.is_dir() {
        let mut t = (allocated(&m), 0);
        for e in std::fs::read_dir(p).unwrap().flatten() {
            let (a, b) = disk_usage(&e.path());
            t.0 += a;
            t.1 += b;
        }
        t
    } else {
        (allocated(&m), m.len())
    }
}

/// Bytes a file takes on disk: its blocks where the platform tells them,
/// else (Windows) its apparent size.
#[cfg(unix)]
fn allocated(m: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    m.blocks() * 512
}

#[cfg(not(unix))]
fn allocated(m: &std::fs::Metadata) -> u64 {
    if m.is_dir() { 0 } else { m.len() }
}

/// The 1, 5 and 15 minute load averages: the machine is shared and noisy.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn mb(b: u64) -> String {
    format!("{:.1} MB", b as f64 / 1e6)
}

// ---------------------------------------------------------------------------
// SQLite baseline

fn sqlite_open(path: &Path) -> Connection {
    let c = Connection::open(path).unwrap();
    c.pragma_update(None, "journal_mode", "WAL").unwrap();
    c.pragma_update(None, "synchronous", "FULL").unwrap();
    c
}

fn status_name(s: Status) -> String {
    format!("{s:?}")
}

fn build_sqlite(path: &Path, data: &demo::Dataset) {
    let _ = std::fs::remove_file(path);
    let mut c = sqlite_open(path);
    c.execute_batch(SQLITE_SCHEMA).unwrap();
    let tx = c.transaction().unwrap();
    {
        let mut w = tx.prepare("INSERT INTO workers(id, name, post, phone, grid) VALUES (?1, ?2, ?3, ?4, ?5)").unwrap();
        for x in &data.workers {
            w.execute(params![x.id.0 as i64, x.name, x.post, x.phone, x.grid]).unwrap();
        }
        let mut r = tx
            .prepare(
                "INSERT INTO residents(id, name, phone, address, grid, tags, notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .unwrap();
        for x in &data.residents {
            r.execute(params![
                x.id.0 as i64,
                x.name,
                x.phone,
                x.address.to_string(),
                x.grid,
                x.tags.join(","),
                x.notes
            ])
            .unwrap();
        }
        let names: std::collections::HashMap<u64, &str> =
            data.residents.iter().map(|x| (x.id.0, x.name.as_str())).collect();
        let mut q = tx
            .prepare(
                "INSERT INTO requests(id, logged_at, logged_by, channel, category, title, description, location,
                 resident_id, resident_name, urgency, status, assignee, due, satisfaction, notes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )
            .unwrap();
        for x in &data.requests {
            q.execute(params![
                x.id.0 as i64,
                x.logged_at.to_string(),
                x.logged_by.0 as i64,
                format!("{:?}", x.channel),
                x.category,
                x.title,
                x.description,
                x.location,
                x.resident.map(|r| r.0 as i64),
                x.resident.and_then(|r| names.get(&r.0).copied()),
                format!("{:?}", x.urgency),
                status_name(x.status),
                x.assignee.map(|w| w.0 as i64),
                x.due.to_string(),
                x.satisfaction.map(|s| format!("{s:?}")),
                codec::encode(&x.notes),
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
    c.pragma_update(None, "wal_checkpoint", "TRUNCATE").unwrap();
}

const OPEN_STATUSES: &str = "('Logged','Assigned','InProgress','Escalated')";

// ---------------------------------------------------------------------------
// Keys

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

fn ready_app(store: Arc<Store>) -> App {
    let clock: linli::ui::app::Clock = Box::new(now);
    let mut app = App::new(
        store.clone(),
        Lang::Zh,
        Theme::color(),
        Arc::new(WorkCalendar::builtin()),
        Categories::default(),
        clock,
    )
    .unwrap();
    app.finish_loading(Loaded::read(&store).unwrap());
    app.layers.clear();
    app.sh.operator = Some(WorkerId(1));
    app
}

fn term(w: u16, h: u16) -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(w, h)).unwrap()
}

fn screen_text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

// ---------------------------------------------------------------------------

fn main() {
    let quick = std::env::var_os("LINLI_BENCH_QUICK").is_some();
    let mut r = Report { out: String::new(), quick, asides: Vec::new() };
    println!("linli benchmarks{}", if quick { " (quick mode: fewer rounds)" } else { "" });
    r.note(&format!("Load average at the start: {}.", loadavg()));
    let dirs = prepare_data(&mut r);
    let data_dir = dirs.work.join("linli");
    let sqlite_path = dirs.work.join("sqlite.db");
    let cal = WorkCalendar::builtin();
    let cats = Categories::default();
    let today_ = Today::new(today(), &cal);

    // ---- sizes -----------------------------------------------------------
    let (sled_du, sled_len) = disk_usage(&dirs.pristine.join("linli").join("store"));
    let (sq_du, sq_len) = disk_usage(&dirs.pristine.join("sqlite.db"));
    r.note(&format!(
        "\nOn disk (large set): linli/sled store {} allocated ({} apparent); SQLite {} ({} apparent); ratio {:.2}×. \
         Target: ≤ 0.7 × taskwarrior's ~102 MB = ~71 MB.",
        mb(sled_du),
        mb(sled_len),
        mb(sq_du),
        mb(sq_len),
        sled_du as f64 / sq_du.max(1) as f64
    ));

    // ---- cold start ------------------------------------------------------
    r.section("Start-up (in-process, files in the page cache)");
    let cold = bench(2, r.n(20), || {
        let store = Arc::new(Store::open(&data_dir).unwrap());
        let clock: linli::ui::app::Clock = Box::new(now);
        let mut app = App::new(store, Lang::Zh, Theme::color(), Arc::new(cal.clone()), cats.clone(), clock).unwrap();
        let mut t = term(80, 24);
        t.draw(|f| app.draw(f)).unwrap();
        (app, t)
    });
    r.row("open store + App::new + first frame 80×24", cold, "≤ 150 (whole process)");
    let open_only = bench(2, r.n(20), || Store::open(&data_dir).unwrap());
    r.row("  of which Store::open", open_only, "");
    let open50 = bench(2, r.n(20), || {
        let s = Store::open(&data_dir).unwrap();
        s.latest_requests(50).unwrap()
    });
    r.row("Store::open + newest 50 requests", open50, "");
    let store = Arc::new(Store::open(&data_dir).unwrap());
    let latest = bench(3, r.n(50), || store.latest_requests(60).unwrap());
    r.row("latest_requests(60) on an open store (the preview)", latest, "");
    let loaded = bench(1, r.n(7), || Loaded::read(&store).unwrap());
    r.row("Loaded::read (full index: usable search)", loaded, "");
    let residents = bench(1, r.n(7), || store.residents().unwrap());
    r.row("  of which residents()", residents, "");
    let scan = bench(1, r.n(7), || {
        let mut n = 0usize;
        store.scan_requests(|q| n += q.notes.len()).unwrap();
        n
    });
    r.row("  of which scan_requests (decode every request)", scan, "");
    {
        let clock: linli::ui::app::Clock = Box::new(now);
        let mut app =
            App::new(store.clone(), Lang::Zh, Theme::color(), Arc::new(cal.clone()), cats.clone(), clock).unwrap();
        let mut t = term(80, 24);
        t.draw(|f| app.draw(f)).unwrap();
        println!("first frame 80×24 (before the full load):\n{}", screen_text(&t));
    }

    // ---- the app, fully loaded ------------------------------------------
    let mut app = ready_app(store.clone());
    let mut t80 = term(80, 24);
    let mut t120 = term(120, 40);
    t80.draw(|f| app.draw(f)).unwrap();
    t120.draw(|f| app.draw(f)).unwrap();
    println!("fully loaded, operator chosen, 80×24:\n{}", screen_text(&t80));

    r.section("Drawing (fully loaded, requests panel)");
    let d80 = bench(20, r.n(500), || t80.draw(|f| app.draw(f)).map(|_| ()).unwrap());
    r.row("terminal.draw 80×24 (render + diff, nothing changed)", d80, "median ≤ 2");
    let d120 = bench(20, r.n(500), || t120.draw(|f| app.draw(f)).map(|_| ()).unwrap());
    r.row("terminal.draw 120×40", d120, "median ≤ 2");
    let mut buf = Buffer::empty(Rect::new(0, 0, 80, 24));
    let r80 = bench(20, r.n(500), || {
        buf.reset();
        app.render(buf.area, &mut buf)
    });
    r.row("App::render into a Buffer 80×24", r80, "");
    let mut buf = Buffer::empty(Rect::new(0, 0, 160, 50));
    let r160 = bench(20, r.n(300), || {
        buf.reset();
        app.render(buf.area, &mut buf)
    });
    r.row("App::render into a Buffer 160×50 (side-by-side detail)", r160, "");

    r.section("Keystroke → updated frame (handle_key + draw 80×24, 100,000 requests)");
    let down = bench(10, r.n(1000), || {
        app.handle_key(&key(KeyCode::Down));
        t80.draw(|f| app.draw(f)).map(|_| ()).unwrap()
    });
    r.row("selection down one row (reads the request for the detail pane)", down, "p99 ≤ 16");
    // Which cells a selection move changes: within the visible rows, two
    // list rows and the detail pane below (which follows the selection);
    // past the last visible row the list also scrolls by one row, and
    // every visible row changes. Bytes on the wire: scripts/bench-process.sh.
    app.handle_key(&key(KeyCode::Home));
    t80.draw(|f| app.draw(f)).unwrap();
    let height = app.panels.requests.list_height;
    let list_end = 3 + height as u16; // header, search line, column heads
    let mut cells = [[0usize; 3]; 2]; // [within, scrolling] × [list, detail, other]
    let mut count = [0usize; 2];
    for n in 1..=3 * height {
        let before = t80.backend().buffer().clone();
        app.handle_key(&key(KeyCode::Down));
        t80.draw(|f| app.draw(f)).unwrap();
        let kind = usize::from(n >= height);
        count[kind] += 1;
        for (_, y, _) in before.diff(t80.backend().buffer()) {
            let region = if (3..list_end).contains(&y) {
                0
            } else if y >= list_end && y < 22 {
                1
            } else {
                2
            };
            cells[kind][region] += 1;
        }
    }
    for (kind, label) in ["within the visible rows", "scrolling the list by one row"].iter().enumerate() {
        let n = count[kind].max(1);
        r.aside(&format!(
            "Selection move at 80×24, {label} (n={}): on average {} cells change in the list, {} in the detail pane, \
             {} elsewhere.",
            count[kind],
            cells[kind][0] / n,
            cells[kind][1] / n,
            cells[kind][2] / n
        ));
    }
    app.handle_key(&key(KeyCode::Home));
    let pgdn = bench(5, r.n(300), || {
        app.handle_key(&key(KeyCode::PageDown));
        t80.draw(|f| app.draw(f)).map(|_| ()).unwrap()
    });
    r.row("page down", pgdn, "p99 ≤ 16");
    app.handle_key(&key(KeyCode::Home));
    let tab = bench(3, r.n(150), || {
        app.handle_key(&key(KeyCode::Tab));
        t80.draw(|f| app.draw(f)).map(|_| ()).unwrap()
    });
    r.row("Tab: switch panel (requests → residents → workers → …)", tab, "p99 ≤ 16");
    while app.panels.current != linli::ui::panel::PanelId::Requests {
        app.handle_key(&key(KeyCode::Tab));
    }
    t80.draw(|f| app.draw(f)).unwrap();

    // A typing session: each entry is (label, key). Esc leaves the search
    // and clears it (the whole list comes back).
    let mut seq: Vec<(String, KeyEvent)> = Vec::new();
    let push_word = |seq: &mut Vec<(String, KeyEvent)>, word: &str| {
        seq.push(("/".into(), ch('/')));
        let mut typed = String::new();
        for c in word.chars() {
            typed.push(c);
            seq.push((format!("type \"{typed}\""), ch(c)));
        }
    };
    push_word(&mut seq, "楼道");
    seq.push(("Esc (clear: whole list again)".into(), key(KeyCode::Esc)));
    push_word(&mut seq, "zs");
    seq.push(("Backspace \"zs\"→\"z\" (widens: rescan)".into(), key(KeyCode::Backspace)));
    seq.push(("Esc (clear: whole list again)".into(), key(KeyCode::Esc)));
    push_word(&mut seq, "5678");
    seq.push(("Esc (clear: whole list again)".into(), key(KeyCode::Esc)));
    push_word(&mut seq, "量子纠缠");
    seq.push(("Esc (clear: whole list again)".into(), key(KeyCode::Esc)));
    let rounds = r.n(30);
    let mut per_key: Vec<(String, Vec<Duration>)> = seq.iter().map(|(l, _)| (l.clone(), Vec::new())).collect();
    let mut typing: Vec<Duration> = Vec::new();
    let mut all: Vec<Duration> = Vec::new();
    let mut hits_after: Vec<usize> = vec![0; seq.len()];
    for round in 0..rounds + 2 {
        for (i, (label, k)) in seq.iter().enumerate() {
            let t = Instant::now();
            app.handle_key(k);
            t80.draw(|f| app.draw(f)).unwrap();
            let d = t.elapsed();
            hits_after[i] = app.panels.requests.hits.len();
            if round >= 2 {
                per_key[i].1.push(d);
                all.push(d);
                if label.starts_with("type") || label.starts_with("Backspace") {
                    typing.push(d);
                }
            }
        }
    }
    r.row("every key of the typing session (incl. / and Esc)", Stats::of(all), "p99 ≤ 16");
    r.row("typed characters and Backspace only", Stats::of(typing), "p99 ≤ 16");
    // The same session with the CPU caches emptied before every key (64 MB
    // written): a person types a few keys a second, and between two keys
    // other programs (or just the time) push the index (~30 MB) out of the
    // caches; an old office PC's cache is smaller than the index anyway.
    let mut evict = vec![0u8; 64 << 20];
    let mut cold_typing: Vec<Duration> = Vec::new();
    let mut cold_all: Vec<Duration> = Vec::new();
    for round in 0..r.n(10) {
        for (label, k) in &seq {
            for j in (0..evict.len()).step_by(64) {
                evict[j] = evict[j].wrapping_add(round as u8 | 1);
            }
            let t = Instant::now();
            app.handle_key(k);
            t80.draw(|f| app.draw(f)).unwrap();
            let d = t.elapsed();
            cold_all.push(d);
            if label.starts_with("type") || label.starts_with("Backspace") {
                cold_typing.push(d);
            }
        }
    }
    black_box(&evict);
    drop(evict);
    r.row("every key, caches emptied before each key", Stats::of(cold_all), "p99 ≤ 16");
    r.row("typed characters and Backspace, caches emptied before each key", Stats::of(cold_typing), "p99 ≤ 16");
    r.note("\nPer key (same rounds):\n\n| key | hits after | median ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|");
    for (i, (label, v)) in per_key.into_iter().enumerate() {
        let s = Stats::of(v);
        r.note(&format!("| {label} | {} | {} | {} | {} |", hits_after[i], ms(s.median), ms(s.p99), ms(s.max)));
    }

    // ---- search and filters: linli index vs SQLite -----------------------
    r.section("Search and filtered list: linli's in-memory index vs SQLite (same records)");
    let conn = sqlite_open(&sqlite_path);
    let queries = ["楼道", "zs", "5678", "量子纠缠", "漏水"];
    let mut idx = std::mem::take(&mut app.sh.index);
    let mut ratios: Vec<(String, f64)> = Vec::new();
    let mut like = conn
        .prepare(
            "SELECT id FROM requests WHERE title LIKE ?1 OR description LIKE ?1 OR location LIKE ?1 ORDER BY id DESC",
        )
        .unwrap();
    let none = Filter::default();
    for (qi, q) in queries.iter().enumerate() {
        // a different query first, so the index cannot narrow the previous hits
        let other = queries[(qi + 1) % queries.len()];
        let mut n_linli = 0;
        let mut samples = Vec::new();
        for i in 0..r.n(40) + 3 {
            idx.query(other, &none, Sort::Newest, today_);
            let t = Instant::now();
            let hits = idx.query(q, &none, Sort::Newest, today_);
            let d = t.elapsed();
            n_linli = hits.len();
            if i >= 3 {
                samples.push(d);
            }
        }
        let sl = Stats::of(samples);
        let pat = format!("%{q}%");
        let mut n_sql = 0;
        let ss = bench(2, r.n(20), || {
            let ids: Vec<i64> = like.query_map([&pat], |row| row.get(0)).unwrap().map(Result::unwrap).collect();
            n_sql = ids.len();
            ids
        });
        r.row(&format!("linli query \"{q}\" from scratch ({n_linli} hits)"), sl, "");
        r.row(&format!("SQLite LIKE '%{q}%' over 3 columns ({n_sql} hits)"), ss, "");
        ratios.push((format!("search \"{q}\""), sl.median.as_secs_f64() / ss.median.as_secs_f64()));
    }
    let overdue = Filter { overdue: true, ..Default::default() };
    let mut n_linli = 0;
    let sl = bench(3, r.n(100), || {
        let h = idx.query("", &overdue, Sort::Due, today_);
        n_linli = h.len();
        h
    });
    let mut overdue_sql = conn
        .prepare(&format!("SELECT id FROM requests WHERE status IN {OPEN_STATUSES} AND due < ?1 ORDER BY due, id"))
        .unwrap();
    let day = today().to_string();
    let mut n_sql = 0;
    let ss = bench(3, r.n(100), || {
        let ids: Vec<i64> = overdue_sql.query_map([&day], |row| row.get(0)).unwrap().map(Result::unwrap).collect();
        n_sql = ids.len();
        ids
    });
    r.row(&format!("linli filtered list: overdue open, by due ({n_linli})"), sl, "");
    r.row(&format!("SQLite same, index on (status, due) ({n_sql})"), ss, "");
    ratios.push(("filtered list (overdue)".into(), sl.median.as_secs_f64() / ss.median.as_secs_f64()));
    let sl = bench(3, r.n(100), || idx.query("", &none, Sort::Newest, today_));
    r.row("linli whole list, no filter (100,000 positions)", sl, "");
    let sl = bench(3, r.n(100), || {
        let mut counts = [0usize; 9];
        for i in 0..idx.len() as u32 {
            counts[idx.row(i).unwrap().status as usize] += 1;
        }
        counts
    });
    let mut totals = conn.prepare("SELECT status, COUNT(*) FROM requests GROUP BY status").unwrap();
    let ss = bench(3, r.n(100), || {
        totals
            .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect::<Vec<_>>()
    });
    r.row("linli totals by status (index rows)", sl, "");
    r.row("SQLite SELECT status, COUNT(*) GROUP BY status", ss, "");
    ratios.push(("totals by status".into(), sl.median.as_secs_f64() / ss.median.as_secs_f64()));
    app.sh.index = idx;
    drop(like);
    drop(overdue_sql);
    drop(totals);

    // open + first 50 rows
    let so = bench(2, r.n(20), || {
        let c = sqlite_open(&sqlite_path);
        let mut st = c
            .prepare(
                "SELECT id, logged_at, resident_name, category, title, assignee, status, due, description, location, notes
                 FROM requests ORDER BY id DESC LIMIT 50",
            )
            .unwrap();
        let rows: Vec<(i64, String, Option<String>, String, String)> = st
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows
    });
    r.row("SQLite open + newest 50 rows", so, "");
    ratios.insert(0, ("open + newest 50".into(), open50.median.as_secs_f64() / so.median.as_secs_f64()));

    // ---- durable saves ---------------------------------------------------
    r.section("Durable saves (each one transaction + flush/fsync before it returns)");
    // open requests that can be (re)assigned, newest first
    let idx = &app.sh.index;
    let assignable: Vec<RequestId> = (0..idx.len() as u32)
        .rev()
        .filter_map(|i| idx.row(i))
        .filter(|x| matches!(x.status, Status::Logged | Status::Assigned | Status::InProgress))
        .map(|x| x.id)
        .take(400)
        .collect();
    r.aside(&format!("{} assignable open requests used in turn.", assignable.len()));
    let mut tick = 0i64;
    let mut at = || {
        tick += 1;
        now() + Days::seconds(tick)
    };
    let mut k = 0usize;
    let mv = bench(20, r.n(300), || {
        k += 1;
        let id = assignable[k % assignable.len()];
        let w = WorkerId(1 + (k as u64 % 40));
        store.move_request(id, &Move::Assign(w), WorkerId(1), at(), &cats, &cal).unwrap()
    });
    r.row("move_request (assign), incl. flush", mv, "median ≤ 2, p99 ≤ 20");
    let cm = bench(20, r.n(300), || {
        k += 1;
        let id = assignable[k % assignable.len()];
        store.comment_request(id, "已电话联系居民，约定明天上门查看。", WorkerId(2), at()).unwrap()
    });
    r.row("comment_request (timeline note), incl. flush", cm, "median ≤ 2, p99 ≤ 20");
    let mut n = 0u64;
    let cr = bench(20, r.n(300), || {
        n += 1;
        let new = NewRequest {
            channel: Channel::Phone,
            category: "小修小补".into(),
            title: format!("楼道灯不亮 {n}"),
            description: "居民来电反映3号楼2单元楼道灯不亮，晚上出入不便。".into(),
            location: "幸福小区 3-2".into(),
            resident: Some(linli::domain::ResidentId(1 + n % 30_000)),
            urgency: Urgency::Normal,
            work_order: String::new(),
            hotline_due: None,
        };
        store.create_request(&new, WorkerId(1), at(), &cats, &cal).unwrap()
    });
    r.row("create_request, incl. flush", cr, "median ≤ 2, p99 ≤ 20");
    // sled 0.34's flush on Linux is sync_file_range (data written and
    // waited for, but no device cache flush and no metadata): what would a
    // save cost with an fdatasync added, as SQLite's synchronous=FULL does?
    let db_file = std::fs::File::open(data_dir.join("store").join("db")).unwrap();
    let mv_sync = bench(20, r.n(300), || {
        k += 1;
        let id = assignable[k % assignable.len()];
        let w = WorkerId(1 + (k as u64 % 40));
        let saved = store.move_request(id, &Move::Assign(w), WorkerId(1), at(), &cats, &cal).unwrap();
        db_file.sync_data().unwrap();
        saved
    });
    r.row("move_request + fdatasync of sled's file (power-loss durable)", mv_sync, "median ≤ 2, p99 ≤ 20");
    // as the app does it: save, update the index, refresh the list, draw
    let ui_save = bench(10, r.n(200), || {
        k += 1;
        let id = assignable[k % assignable.len()];
        let w = WorkerId(1 + (k as u64 % 40));
        let saved = app.sh.store.move_request(id, &Move::Assign(w), WorkerId(1), at(), &cats, &cal).unwrap();
        linli::ui::requests::forms::saved_here(&saved, &mut app.sh, &mut app.panels);
        t80.draw(|f| app.draw(f)).map(|_| ()).unwrap()
    });
    r.row("assign as the app does it: save + index + list + frame", ui_save, "p99 ≤ 16 + save");

    // SQLite: the same read-modify-write in one transaction (row + audit row)
    let mut c = sqlite_open(&sqlite_path);
    let mut kk = 0usize;
    let sq_mv = bench(20, r.n(300), || {
        kk += 1;
        let id = assignable[kk % assignable.len()];
        let w = 1 + (kk as i64 % 40);
        let tx = c.transaction().unwrap();
        let notes: Vec<u8> =
            tx.query_row("SELECT notes FROM requests WHERE id = ?1", [id.0 as i64], |row| row.get(0)).unwrap();
        let mut notes: Vec<linli::domain::Note> = codec::decode(&notes).unwrap();
        let when = at();
        notes.push(linli::domain::Note {
            at: when,
            by: WorkerId(1),
            kind: linli::domain::NoteKind::Moved { kind: linli::domain::MoveKind::Assign, to: Status::Assigned },
            text: String::new(),
            assignee: Some(WorkerId(w as u64)),
            satisfaction: None,
            on: None,
        });
        tx.execute(
            "UPDATE requests SET status = 'Assigned', assignee = ?2, notes = ?3 WHERE id = ?1",
            params![id.0 as i64, w, codec::encode(&notes)],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO audit(at, by, kind, key, action, changes) VALUES (?1, 1, 'request', ?2, 'update', ?3)",
            params![when.to_string(), id.0 as i64, format!("assignee: → {w}")],
        )
        .unwrap();
        tx.commit().unwrap();
    });
    r.row("SQLite same move (read + UPDATE + audit INSERT, WAL, FULL)", sq_mv, "");
    let mut m = 0i64;
    let sq_cr = bench(20, r.n(300), || {
        m += 1;
        let tx = c.transaction().unwrap();
        let id: i64 = tx.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM requests", [], |row| row.get(0)).unwrap();
        let when = at();
        tx.execute(
            "INSERT INTO requests(id, logged_at, logged_by, channel, category, title, description, location,
             resident_id, resident_name, urgency, status, assignee, due, satisfaction, notes)
             VALUES (?1, ?2, 1, 'Phone', '小修小补', ?3, '居民来电反映3号楼2单元楼道灯不亮，晚上出入不便。',
                     '幸福小区 3-2', ?4, (SELECT name FROM residents WHERE id = ?4), 'Normal', 'Logged', NULL,
                     '2026-11-27', NULL, x'00')",
            params![id, when.to_string(), format!("楼道灯不亮 {m}"), 1 + m % 30_000],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO audit(at, by, kind, key, action, changes) VALUES (?1, 1, 'request', ?2, 'create', '')",
            params![when.to_string(), id],
        )
        .unwrap();
        tx.commit().unwrap();
    });
    r.row("SQLite insert a request (+ audit row)", sq_cr, "");
    // the same move with synchronous=NORMAL: in WAL mode no fsync per
    // commit (safe against a crash of the program, not of the machine)
    c.pragma_update(None, "synchronous", "NORMAL").unwrap();
    let sq_mv_normal = bench(20, r.n(300), || {
        kk += 1;
        let id = assignable[kk % assignable.len()];
        let tx = c.transaction().unwrap();
        tx.execute(
            "UPDATE requests SET status = 'Assigned', assignee = ?2 WHERE id = ?1",
            params![id.0 as i64, 1 + (kk as i64 % 40)],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO audit(at, by, kind, key, action, changes) VALUES (?1, 1, 'request', ?2, 'update', '')",
            params![at().to_string(), id.0 as i64],
        )
        .unwrap();
        tx.commit().unwrap();
    });
    r.row("SQLite move with synchronous=NORMAL (no fsync per commit)", sq_mv_normal, "");
    ratios.push(("durable move (p50)".into(), mv.median.as_secs_f64() / sq_mv.median.as_secs_f64()));
    ratios.push(("durable move (p99)".into(), mv.p99.as_secs_f64() / sq_mv.p99.as_secs_f64()));
    ratios.push(("durable create (p50)".into(), cr.median.as_secs_f64() / sq_cr.median.as_secs_f64()));
    ratios.push((
        "move + fdatasync vs SQLite FULL (p50)".into(),
        mv_sync.median.as_secs_f64() / sq_mv.median.as_secs_f64(),
    ));
    ratios.push((
        "move (flush) vs SQLite NORMAL (p50)".into(),
        mv.median.as_secs_f64() / sq_mv_normal.median.as_secs_f64(),
    ));

    r.note("\n### linli / SQLite (median time ratio; < 1 means linli is faster)\n\n| operation | ratio |\n|---|---:|");
    for (name, x) in ratios {
        r.note(&format!("| {name} | {x:.2} |"));
    }

    // ---- memory of this process (informational) -------------------------
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let get = |k: &str| {
        status.lines().find(|l| l.starts_with(k)).map(|l| l[k.len()..].trim().to_string()).unwrap_or_default()
    };
    r.note(&format!(
        "\nThis bench process (two App copies, SQLite and all): VmHWM {}, VmRSS {}. \
         The app's own figures come from scripts/bench-process.sh.",
        get("VmHWM:"),
        get("VmRSS:")
    ));
    drop(app);
    drop(store);
    let (after_du, _) = disk_usage(&data_dir.join("store"));
    r.note(&format!("linli store after this run's ~1,100 saves: {} (was {}).", mb(after_du), mb(sled_du)));

    r.note(&format!("Load average at the end: {}.", loadavg()));
    let out = bench_root().join("last-run.md");
    std::fs::write(&out, &r.out).unwrap();
    println!("\nMarkdown tables written to {}", out.display());
}
