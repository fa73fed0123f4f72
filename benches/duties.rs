//! Benchmarks of the duties board on the large data set (40 workers, 30,000
//! residents, 100,000 requests, 50,000 daily-log entries over five years, a
//! year of rota and leave): building and drawing a worker's board and a
//! month of rota, and one durable daily-log save.
//!
//! `cargo bench --bench duties` (release). The data set is generated once
//! into `bench-data/large-duties/` (ignored by git) and reused; delete the
//! folder to regenerate. Plain timing with `Instant`, reported as median and
//! 95th percentile over many runs: compare ratios, not absolute times, on a
//! shared machine.

use chrono::NaiveDate;
use linli::demo::{self, Size};
use linli::domain::duties::LogId;
use linli::domain::duties::log::{LogEntry, LogKind};
use linli::domain::{Categories, ResidentId, WorkCalendar, WorkerId};
use linli::i18n::Lang;
use linli::store::Store;
use linli::store::record::RecordKind;
use linli::ui::app::{App, Loaded};
use linli::ui::duties::View;
use linli::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn open_large(dir: &Path) -> Arc<Store> {
    let fresh = !dir.join("store").exists();
    let store = Store::open(dir).expect("open the bench store");
    if fresh || store.count(RecordKind::LogEntry) == 0 {
        let t = Instant::now();
        let cal = WorkCalendar::builtin();
        let mut data = demo::generate(Size::Large, 1, 20261124, today(), &cal, &Categories::default());
        let duties = linli::demo::duties::generate(&mut data, Size::Large, 20261124, today(), &cal);
        store.bulk_load(&data).unwrap();
        store.bulk_load_duties(&duties).unwrap();
        eprintln!("generated the large set in {:.1?}", t.elapsed());
    }
    Arc::new(store)
}

struct Stats {
    median: Duration,
    p95: Duration,
    max: Duration,
}

fn measure(n: usize, mut f: impl FnMut()) -> Stats {
    // one warm-up run: caches, lazily built indexes
    f();
    let mut v: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    v.sort();
    Stats { median: v[n / 2], p95: v[(n * 95 / 100).min(n - 1)], max: v[n - 1] }
}

fn report(name: &str, s: &Stats) {
    println!(
        "{name:<44} median {:>8.3} ms   p95 {:>8.3} ms   max {:>8.3} ms",
        s.median.as_secs_f64() * 1e3,
        s.p95.as_secs_f64() * 1e3,
        s.max.as_secs_f64() * 1e3
    );
}

fn draw(app: &mut App, w: u16, h: u16) {
    let area = Rect::new(0, 0, w, h);
    let mut buf = Buffer::empty(area);
    app.render(area, &mut buf);
    std::hint::black_box(&buf);
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench-data/large-duties");
    std::fs::create_dir_all(&dir).unwrap();
    let store = open_large(&dir);
    let cal = Arc::new(WorkCalendar::builtin());
    let now = today().and_hms_opt(10, 0, 0).unwrap();
    let t = Instant::now();
    let mut app =
        App::new(store.clone(), Lang::Zh, Theme::color(), cal, Categories::default(), Box::new(move || now)).unwrap();
    app.finish_loading(Loaded::read(&store).unwrap());
    println!("app with the full request index and residents loaded in {:.0?}", t.elapsed());
    // the grid worker with the most standing duties and residents to visit
    let grid_worker = app.sh.workers.iter().find(|w| w.post == "网格员").map(|w| w.id).unwrap_or(WorkerId(1));
    app.layers.clear();
    app.sh.operator = Some(grid_worker);
    app.panels.current = linli::ui::panel::PanelId::Duties;
    app.panels.duties.view = View::Board;
    app.panels.duties.duties_reload(&mut app.sh);
    let b = app.panels.duties.board.as_ref().expect("a board");
    println!(
        "board of {}: {} standing duties, {} residents to visit, {} items due",
        b.worker.name,
        b.duties.len(),
        b.duties.iter().filter_map(|d| d.visits.as_ref()).map(|(s, _)| s.residents.len()).sum::<usize>(),
        b.todos.len()
    );

    report("board: build from the store (a key press)", &measure(200, || app.panels.duties.duties_reload(&mut app.sh)));
    report("board: draw 80x24", &measure(500, || draw(&mut app, 80, 24)));
    report("board: draw 120x40", &measure(500, || draw(&mut app, 120, 40)));
    report(
        "board: build + draw 80x24",
        &measure(200, || {
            app.panels.duties.duties_reload(&mut app.sh);
            draw(&mut app, 80, 24);
        }),
    );

    app.panels.duties.view = View::Rota;
    app.panels.duties.duties_reload(&mut app.sh);
    println!(
        "rota {:?}: {} slots, {} conflicts",
        app.panels.duties.month,
        app.panels.duties.slots.len(),
        app.panels.duties.conflicts.len()
    );
    report("rota month: load from the store", &measure(200, || app.panels.duties.duties_reload(&mut app.sh)));
    report("rota month: draw 80x24", &measure(500, || draw(&mut app, 80, 24)));
    report("rota month: draw 120x40", &measure(500, || draw(&mut app, 120, 40)));

    app.panels.duties.view = View::Log;
    app.panels.duties.log = None;
    let t = Instant::now();
    app.panels.duties.duties_reload(&mut app.sh);
    println!(
        "daily log: {} entries read into memory in {:.0?}",
        app.panels.duties.log.as_ref().map_or(0, |l| l.len()),
        t.elapsed()
    );
    report("daily log: a worker's month, draw 80x24", &measure(500, || draw(&mut app, 80, 24)));
    report(
        "daily log: search 50,000 entries (\"楼道\")",
        &measure(100, || {
            app.panels.duties.log_search = linli::ui::widgets::input::LineInput::new("楼道");
            app.panels.duties.refilter_log(&mut app.sh);
        }),
    );
    app.panels.duties.log_search.clear();

    app.panels.duties.view = View::Evaluation;
    app.panels.duties.eval_year = 2025;
    report(
        "evaluation sheet 2025: figures from the records",
        &measure(10, || app.panels.duties.duties_reload(&mut app.sh)),
    );

    // one durable save per entry, as the log form does
    let entry = |i: u64| LogEntry {
        id: LogId(0),
        worker: grid_worker,
        date: today(),
        kind: LogKind::Visit,
        residents: vec![ResidentId(1 + i % 1000), ResidentId(2000 + i % 1000)],
        found: "老人身体状况良好，家中燃气、用电安全；反映楼道灯不亮".into(),
        follow_up: "已告知物业".into(),
        request: None,
        comments: vec![],
        logged_at: now,
    };
    let mut i = 0;
    report(
        "daily log: one durable save (create + flush)",
        &measure(300, || {
            i += 1;
            store.create_log(&entry(i), grid_worker, now).unwrap();
        }),
    );
}
