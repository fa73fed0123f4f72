//! The overview (概览, issue 20) on the large community: 40 workers,
//! 30,000 residents, 100,000 requests, the duties and the volunteer roster.
//!
//! `cargo bench --bench overview` (release). Prints a Markdown table for
//! BENCHMARKS.md. Target: opening the overview (key `0`, its figures read
//! from what is kept in memory, then the frame) and redrawing it each
//! ≤ 16 ms. Before timing it checks what it drew: the title, and the
//! worker with most overdue requests at the top of today's table.

use chrono::NaiveDate;
use linli::demo::{self, Size};
use linli::domain::{Categories, WorkCalendar};
use linli::i18n::Lang;
use linli::store::Store;
use linli::store::duties_rows::LogIndex;
use linli::store::roster::index::RosterIndex;
use linli::ui::app::{App, AppEvent, Loaded};
use linli::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn pct(runs: &[Duration], p: usize) -> Duration {
    let mut v = runs.to_vec();
    v.sort();
    v[(v.len() - 1) * p / 100]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn press(app: &mut App, c: KeyCode) {
    app.handle_key(&KeyEvent::new(c, KeyModifiers::NONE));
}

/// `VmRSS` or `VmHWM` of this process, in MB (Linux; 0 elsewhere).
fn mem(key: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(key)).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|k| k.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}

fn screen(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn main() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let now = today.and_hms_opt(10, 0, 0).unwrap();
    let cal = WorkCalendar::builtin();
    let cats = Categories::default();
    let dir = tempfile::tempdir().unwrap();
    {
        let mut data = demo::generate(Size::Large, 1, 20261124, today, &cal, &cats);
        let duties = demo::duties::generate(&mut data, Size::Large, 20261124, today, &cal);
        let roster = demo::volunteers::generate_roster(Size::Large, 20261124, today, &data);
        let store = Store::open(dir.path()).unwrap();
        store.bulk_load(&data).unwrap();
        store.bulk_load_duties(&duties).unwrap();
        store.bulk_load_roster(&roster).unwrap();
    }
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let mut app =
        App::new(store.clone(), Lang::Zh, Theme::color(), Arc::new(cal.clone()), cats.clone(), Box::new(move || now))
            .unwrap();
    app.layers.clear();
    app.sh.operator = app.sh.workers.first().map(|w| w.id);
    // what the background threads bring at start-up
    app.finish_loading(Loaded::read(&store).unwrap());
    app.handle(AppEvent::Roster(Box::new(RosterIndex::read(&store))));
    app.handle(AppEvent::LogLoaded(Box::new(LogIndex::load(&store).unwrap())));
    println!("large set: {} requests in the index", app.sh.index.len());
    // the worker with most overdue requests heads today's table
    let top = app
        .sh
        .index
        .figures()
        .due(today, app.sh.today.soon)
        .into_iter()
        .max_by_key(|(_, d)| (d.overdue, d.soon, d.open))
        .and_then(|(w, _)| w)
        .and_then(|w| app.sh.worker(w))
        .map(|w| w.name.clone())
        .expect("some worker has open requests");
    let rss_before = mem("VmRSS:");
    let mut rows = Vec::new();
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        let mut open = Vec::new();
        let mut redraw = Vec::new();
        for _ in 0..50 {
            let t = Instant::now();
            press(&mut app, KeyCode::Char('0'));
            term.draw(|f| app.draw(f)).unwrap();
            open.push(t.elapsed());
            let t = Instant::now();
            term.draw(|f| app.draw(f)).unwrap();
            redraw.push(t.elapsed());
            let s = screen(&term);
            assert!(s.contains("概") && s.contains("览"), "the overview is on screen:\n{s}");
            let first: String = top.chars().take(2).collect();
            assert!(s.contains(first.chars().next().unwrap()), "{top} heads today's table:\n{s}");
            press(&mut app, KeyCode::Esc);
        }
        rows.push((
            format!("open the overview (key 0: figures gathered, leave and training read) + first frame, {w}×{h}"),
            open,
        ));
        rows.push((format!("redraw the overview, {w}×{h}"), redraw));
    }
    let rss_after = mem("VmRSS:");
    println!("\n| what | median | p95 | max | target |\n|---|---:|---:|---:|---|");
    for (what, runs) in &rows {
        let verdict = if pct(runs, 95) <= Duration::from_millis(16) { "≤ 16 ms: pass" } else { "≤ 16 ms: miss" };
        println!("| {what} | {} | {} | {} | {verdict} |", ms(pct(runs, 50)), ms(pct(runs, 95)), ms(pct(runs, 100)));
    }
    println!(
        "\nmemory: VmRSS {rss_before:.1} MB before opening, {rss_after:.1} MB after 100 opens (+{:.1} MB); \
         VmHWM {:.1} MB (includes generating and loading the set in this process)",
        rss_after - rss_before,
        mem("VmHWM:")
    );
}
