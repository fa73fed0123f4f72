//! The volunteer roster at the design ceiling (issue 4): 2,000 volunteers,
//! 50 teams, 1,000 posts, 200,000 service records, on top of the large
//! community (30,000 residents, 100,000 requests).
//!
//! `cargo bench --bench roster` (release). Prints a Markdown table for
//! BENCHMARKS.md. Targets: every on-screen total within one frame
//! (≤ 16 ms), crediting 40 people one durable write ≤ 30 ms. Before timing,
//! it checks that the kept totals equal a recomputation from the records.

use chrono::{Datelike, NaiveDate};
use linli::demo::{self, Size};
use linli::domain::volunteer::{Activity, ActivityId, Span, Totals, VolunteerId, ym};
use linli::domain::{Categories, WorkCalendar};
use linli::i18n::Lang;
use linli::store::Store;
use linli::store::roster::index::RosterIndex;
use linli::ui::app::App;
use linli::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Stat {
    what: String,
    runs: Vec<Duration>,
    target: Option<Duration>,
}

impl Stat {
    fn pct(&self, p: usize) -> Duration {
        let mut v = self.runs.clone();
        v.sort();
        v[(v.len() - 1) * p / 100]
    }
}

fn time<T>(n: usize, mut f: impl FnMut(usize) -> T) -> Vec<Duration> {
    (0..n)
        .map(|i| {
            let t = Instant::now();
            std::hint::black_box(f(i));
            t.elapsed()
        })
        .collect()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn press(app: &mut App, c: KeyCode) {
    app.handle_key(&KeyEvent::new(c, KeyModifiers::NONE));
}

fn main() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let now = today.and_hms_opt(10, 0, 0).unwrap();
    let cal = WorkCalendar::builtin();
    let cats = Categories::default();
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let data = demo::generate(Size::Large, 1, 20261124, today, &cal, &cats);
    let set = demo::volunteers::generate_roster(Size::Large, 20261124, today, &data);
    let generated = t.elapsed();
    let store = Arc::new(Store::open(dir.path()).unwrap());
    let t = Instant::now();
    store.bulk_load(&data).unwrap();
    store.bulk_load_roster(&set).unwrap();
    let loaded = t.elapsed();
    // measured as the app meets it: a store opened afresh
    drop(store);
    let store = Arc::new(Store::open(dir.path()).unwrap());
    println!(
        "large set: {} volunteers, {} teams, {} posts, {} activities, {} service records \
         (generated in {generated:.1?}, stored in {loaded:.1?})",
        set.volunteers.len(),
        set.teams.len(),
        set.posts.len(),
        set.activities.len(),
        set.records.len()
    );

    // ---- the kept totals equal a recomputation from the raw records
    let t = Instant::now();
    let idx = RosterIndex::read(&store).unwrap();
    let read = t.elapsed();
    let recomputed = Totals::from_records(&set.records);
    assert_eq!(idx.totals, recomputed, "kept totals differ from a recomputation");
    let mut plain_all = std::collections::HashMap::<u64, u64>::new();
    for r in set.records.iter().filter(|r| !r.voided) {
        *plain_all.entry(r.volunteer.0).or_default() += u64::from(r.minutes);
    }
    for v in &set.volunteers {
        assert_eq!(idx.totals.volunteer_series(v.id).all.minutes, plain_all.get(&v.id.0).copied().unwrap_or(0));
    }
    println!("totals check: kept totals == recomputation over {} records", set.records.len());

    let mut stats: Vec<Stat> = Vec::new();
    let f16 = Some(Duration::from_millis(16));
    stats.push(Stat {
        what: "roster read at start-up, in the background (every record decoded, totals built)".into(),
        runs: vec![read],
        target: None,
    });

    // ---- opening the roster panel: key `4`, then the first frame
    let mut app =
        App::new(store.clone(), Lang::Zh, Theme::color(), Arc::new(cal.clone()), cats.clone(), Box::new(move || now))
            .unwrap();
    app.layers.clear();
    app.sh.operator = Some(data.workers[0].id);
    app.panels.volunteers.finish_loading(Ok(idx), &mut app.sh);
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        let runs = time(30, |_| {
            press(&mut app, KeyCode::Char('1'));
            press(&mut app, KeyCode::Char('4'));
            term.draw(|f| app.draw(f)).unwrap();
        });
        stats.push(Stat {
            what: format!("open the roster panel, volunteers view, first frame {w}×{h}"),
            runs,
            target: f16,
        });
    }
    // moving the selection: the next volunteer's totals, star, newest records
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let runs = time(200, |_| {
        press(&mut app, KeyCode::Down);
        term.draw(|f| app.draw(f)).unwrap();
    });
    stats.push(Stat {
        what: "next volunteer: totals, star progress, 40 newest records, frame".into(),
        runs,
        target: f16,
    });
    // sorting 2,000 volunteers by hours
    let runs = time(30, |_| {
        press(&mut app, KeyCode::Char('s'));
        term.draw(|f| app.draw(f)).unwrap();
    });
    stats.push(Stat { what: "re-sort the volunteers (hours/name/registered) and draw".into(), runs, target: f16 });
    // searching "法律 周六上午" typed one character at a time
    let runs = time(10, |_| {
        press(&mut app, KeyCode::Char('/'));
        for c in "法律 周六上午".chars() {
            press(&mut app, KeyCode::Char(c));
        }
        term.draw(|f| app.draw(f)).unwrap();
        press(&mut app, KeyCode::Esc);
    });
    let per_key: Vec<Duration> = runs.iter().map(|d| *d / 7).collect();
    stats.push(Stat {
        what: "search \"法律 周六上午\", per keystroke (2,000 volunteers)".into(),
        runs: per_key,
        target: f16,
    });

    // ---- a volunteer's totals (all time, this year, this month)
    let data_idx = &app.panels.volunteers.data;
    let ids: Vec<VolunteerId> = data_idx.volunteers.iter().map(|v| v.v.id).collect();
    let top =
        ids.iter().copied().max_by_key(|v| data_idx.totals.volunteer_series(*v).all.minutes).unwrap_or(VolunteerId(1));
    let runs = time(2000, |i| data_idx.totals.volunteer(ids[i % ids.len()], today));
    stats.push(Stat {
        what: "a volunteer's totals (all, year, month) from the kept aggregate".into(),
        runs,
        target: f16,
    });
    let top_minutes = data_idx.totals.volunteer_series(top).all.minutes;
    let runs = time(50, |_| {
        let recs = store.service_of(top).unwrap();
        recs.iter().filter(|r| !r.voided && r.date.year() == today.year()).map(|r| u64::from(r.minutes)).sum::<u64>()
    });
    stats.push(Stat {
        what: format!("the same from the records (most active volunteer, {} h), for comparison", top_minutes / 60),
        runs,
        target: None,
    });

    // ---- the whole month's team totals
    let m = ym(today);
    let runs = time(200, |_| data_idx.totals.teams_in_month(m));
    stats.push(Stat { what: "this month's totals of all 50 teams (sorted)".into(), runs, target: f16 });
    let runs = time(50, |i| {
        let y = 2022 + (i % 5) as i32;
        (1..=12).map(|mo| data_idx.totals.teams_in_month(y as u32 * 100 + mo).len()).sum::<usize>()
    });
    stats.push(Stat { what: "a whole year's team totals, month by month".into(), runs, target: f16 });
    // the months view, drawn
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    let runs = time(30, |_| {
        press(&mut app, KeyCode::Char('1'));
        press(&mut app, KeyCode::Char('4'));
        term.draw(|f| app.draw(f)).unwrap();
    });
    stats.push(Stat { what: "months view with the month's team totals, frame 80×24".into(), runs, target: f16 });

    // ---- crediting an activity to 40 volunteers, durably
    let w = data.workers[0].id;
    let credits: Vec<(VolunteerId, u32)> = ids.iter().take(40).map(|v| (*v, 120)).collect();
    let team = set.teams[0].id;
    let runs = time(40, |i| {
        let a = Activity {
            id: ActivityId(0),
            date: today,
            span: Span::new(540, 660),
            team: Some(team),
            post: None,
            place: "幸福里小区".into(),
            title: format!("楼道清扫 {i}"),
            logged_by: w,
        };
        store.log_activity(&a, &credits, w, now).unwrap()
    });
    stats.push(Stat {
        what: "credit an activity to 40 volunteers: one transaction + flush".into(),
        runs,
        target: Some(Duration::from_millis(30)),
    });
    // a roll call saved again with changes (5 more people, 3 corrected)
    let (a, _) = store
        .log_activity(
            &Activity {
                id: ActivityId(0),
                date: today,
                span: Span::new(540, 660),
                team: Some(team),
                post: None,
                place: String::new(),
                title: "点名更正".into(),
                logged_by: w,
            },
            &credits,
            w,
            now,
        )
        .unwrap();
    let runs = time(10, |i| {
        let mut c = credits.clone();
        for (k, x) in c.iter_mut().take(3).enumerate() {
            x.1 = 90 + (i as u32 + k as u32) % 4 * 15;
        }
        c.extend(ids.iter().skip(40 + i * 5).take(5).map(|v| (*v, 120)));
        store.update_activity(&a, &c, "签到表核对", w, now).unwrap()
    });
    stats.push(Stat {
        what: "save a roll call again (corrections and additions): one transaction".into(),
        runs,
        target: Some(Duration::from_millis(30)),
    });

    println!();
    println!("| roster operation (large set) | median | p90 | max | target |");
    println!("|---|---|---|---|---|");
    for s in &stats {
        let target = s.target.map_or("—".to_string(), |t| {
            let ok = if s.pct(90) <= t { "ok" } else { "MISSED" };
            format!("≤ {} ({ok})", ms(t))
        });
        println!("| {} | {} | {} | {} | {target} |", s.what, ms(s.pct(50)), ms(s.pct(90)), ms(s.pct(100)));
    }
    println!();
    println!("store on disk: {:.0} MB", dir_size(&dir.path().join("store")) as f64 / 1e6);
}

fn dir_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}
