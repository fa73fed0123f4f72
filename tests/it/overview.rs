//! The overview (概览, key `0`): drawn on the demo data with a fixed clock
//! at 80×24 and 120×40, in both languages and in monochrome; its figures
//! equal a recount from the records after saves, undos and a restore; and
//! Enter on a figure opens the requests behind it.

use crate::screens::{draw, key, text};
use crate::support::{Fixture, new_request, now};
use linli::demo::{self, Size};
use linli::domain::RequestId;
use linli::domain::overview::{Fact, RequestFigures, on_time};
use linli::domain::request::{Channel, Move, Request, Satisfaction};
use linli::i18n::Lang;
use linli::ui::app::{App, AppEvent, Loaded};
use linli::ui::layers::Layer;
use linli::ui::theme::Theme;
use ratatui::crossterm::event::KeyCode;
use ratatui::crossterm::event::{KeyEvent, KeyModifiers};

/// The demo office (as `linli demo` fills it) on `now()`.
fn demo_fixture() -> Fixture {
    let f = Fixture::empty();
    let today = now().date();
    let mut data = demo::generate(Size::Demo, 1, 20261124, today, &f.cal, &f.cats);
    let duties = demo::duties::generate(&mut data, Size::Demo, 20261124, today, &f.cal);
    let roster = demo::volunteers::generate_roster(Size::Demo, 20261124, today, &data);
    f.store.bulk_load(&data).unwrap();
    f.store.bulk_load_duties(&duties).unwrap();
    f.store.bulk_load_roster(&roster).unwrap();
    f
}

fn demo_app(f: &Fixture, lang: Lang, theme: Theme) -> App {
    let mut app = App::new(f.store.clone(), lang, theme, f.cal.clone(), f.cats.clone(), Box::new(now)).unwrap();
    app.finish_loading(Loaded::read(&f.store).unwrap());
    app.layers.clear();
    app.sh.operator = app.sh.workers.first().map(|w| w.id);
    app
}

/// The roster and the daily log arrive (as from their background threads).
fn arrive(app: &mut App, f: &Fixture) {
    let roster = linli::store::roster::index::RosterIndex::read(&f.store);
    app.handle(AppEvent::Roster(Box::new(roster)));
    let log = linli::store::duties_rows::LogIndex::load(&f.store).unwrap();
    app.handle(AppEvent::LogLoaded(Box::new(log)));
}

#[test]
fn overview_80x24_zh() {
    let f = demo_fixture();
    let mut app = demo_app(&f, Lang::Zh, Theme::color());
    key(&mut app, KeyCode::Char('0'));
    arrive(&mut app, &f);
    assert!(matches!(app.layers.last(), Some(Layer::Overview(_))), "0 opens the overview from a panel");
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    assert!(s.contains("概览"), "{s}");
    assert!(s.contains("今日"), "{s}");
    assert!(s.contains("!郭小平"), "the worker with overdue requests heads today's table, marked: {s}");
    assert!(s.contains("小修小补 5"), "this month's top category with its count: {s}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn overview_120x40_en_and_mono() {
    let f = demo_fixture();
    let mut app = demo_app(&f, Lang::En, Theme::mono());
    key(&mut app, KeyCode::Char('0'));
    arrive(&mut app, &f);
    let t = draw(&mut app, 120, 40);
    let s = text(&t);
    assert!(s.contains("Overview"), "{s}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn overview_80x24_en() {
    let f = demo_fixture();
    let mut app = demo_app(&f, Lang::En, Theme::color());
    key(&mut app, KeyCode::Char('0'));
    arrive(&mut app, &f);
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    for w in ["Overview", "Today", "Overdue", "Requests per month", "This month by category"] {
        assert!(s.contains(w), "{w}: {s}");
    }
    insta::assert_snapshot!(t.backend());
}

#[test]
fn overview_120x40_zh_mono() {
    let f = demo_fixture();
    let mut app = demo_app(&f, Lang::Zh, Theme::mono());
    key(&mut app, KeyCode::Char('0'));
    arrive(&mut app, &f);
    let t = draw(&mut app, 120, 40);
    let s = text(&t);
    // every section has room at 120×40, the hours and top teams included
    for w in [
        "今日",
        "近12个月诉求登记",
        "本月诉求分类",
        "回访满意度",
        "志愿服务时长",
        "本月服务最多的队伍",
        "本月工作者情况",
    ] {
        assert!(s.contains(w), "{w}: {s}");
    }
    // series told apart by their marks, not colour: the legend names them
    assert!(s.contains("⠿ 本年") && s.contains("• 上年同月"), "{s}");
    // an overdue worker is marked with `!`, not only in red
    assert!(s.contains("!郭小平"), "{s}");
    insta::assert_snapshot!(t.backend());
}

/// The figures as a count over every request in the store, numbering the
/// categories as `index` does.
fn recount(store: &linli::store::Store, index: &linli::store::rows::RequestIndex) -> RequestFigures {
    let mut facts = Vec::new();
    store
        .scan(|r: Request| {
            let category = index.category_names().iter().position(|c| *c == r.category).expect("a known category");
            facts.push(Fact {
                logged: r.logged_at.date(),
                category: category as u16,
                status: r.status,
                on_time: on_time(&r),
                satisfaction: r.satisfaction,
                assignee: r.assignee,
                due: r.due,
            });
        })
        .unwrap();
    RequestFigures::from_facts(facts)
}

#[test]
fn every_figure_equals_a_recount_after_saves_undos_and_a_restore() {
    let f = Fixture::office();
    let (li, wang) = (f.workers[0], f.workers[1]);
    let mut app = f.app(Lang::Zh);
    let same = |app: &App, what: &str| {
        assert_eq!(app.sh.index.figures(), &recount(&f.store, &app.sh.index), "after {what}");
    };
    same(&app, "opening");
    let this = app.sh.index.figures().month(202611);
    assert_eq!((this.logged, this.resolved), (5, 1), "the office's five requests of November, one resolved");
    // saves: a request resolved and called back unsatisfied, one reassigned, a new one
    let step = |app: &mut App, id: RequestId, m: Move| {
        f.store.move_request(id, &m, li, now(), &f.cats, &f.cal).unwrap();
        app.settle();
    };
    let b = RequestId::new(2026, 2);
    step(&mut app, b, Move::Resolve("已协调物业划线".into()));
    step(&mut app, b, Move::CallBack(Satisfaction::Unsatisfied, "仍有车辆乱停".into()));
    step(&mut app, RequestId::new(2026, 4), Move::Assign(wang));
    f.store
        .create_request(&new_request("停车难", "车库门口堵车", None, Channel::Phone), li, now(), &f.cats, &f.cal)
        .unwrap();
    app.settle();
    same(&app, "saves");
    let m = app.sh.index.figures().month(202611);
    assert_eq!((m.logged, m.resolved, m.satisfaction), (6, 2, [0, 0, 1]));
    // undos: the new request, then the reassignment and the callback
    for n in 1..=3 {
        app.handle_key(&KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
        app.settle();
        same(&app, &format!("{n} undo(s)"));
    }
    let m = app.sh.index.figures().month(202611);
    assert_eq!((m.logged, m.resolved, m.satisfaction), (5, 2, [0, 0, 0]), "back to resolved, not called back");
    // a restore: the saved index read back gives the same figures
    let out = tempfile::tempdir().unwrap();
    let opts = linli::store::backup::BackupOptions { passphrase: None, operator: None, work_factor: None };
    let info = linli::store::backup::backup(&f.store, out.path(), now(), &opts, |_, _| {}).unwrap();
    let target = tempfile::tempdir().unwrap();
    crate::backup::restore_confirmed(&info.path, target.path(), None).unwrap();
    let restored = linli::store::Store::open(target.path()).unwrap();
    let (index, from_snapshot) = linli::store::index_cache::load(&restored).unwrap();
    assert!(from_snapshot, "the restore saved the index");
    assert_eq!(index.figures(), &recount(&restored, &index), "after a restore");
    assert_eq!(index.figures().month(202611), m, "the restored office counts as the one backed up");
}

#[test]
fn enter_on_a_worker_opens_their_overdue_and_due_soon_requests() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    key(&mut app, KeyCode::Char('0'));
    let s = text(&draw(&mut app, 80, 24));
    // 李娜's 楼道灯不亮 is overdue: she heads the table, chosen
    assert!(s.contains("!李娜"), "{s}");
    key(&mut app, KeyCode::Enter);
    assert!(app.layers.is_empty(), "the overview gives way to the list");
    let p = &app.panels.requests;
    assert_eq!(p.filter.assignee, Some(f.workers[0]));
    assert!(p.filter.overdue && p.filter.due_soon);
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("楼道灯不亮"), "{s}");
    assert!(!s.contains("小区内乱停车"), "王建国's request is not 李娜's: {s}");
}

#[test]
fn enter_on_a_category_opens_this_months_requests_of_it() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    key(&mut app, KeyCode::Char('0'));
    // up from the first line wraps to the last figure: the last category
    key(&mut app, KeyCode::Up);
    let s = text(&draw(&mut app, 80, 24));
    key(&mut app, KeyCode::Enter);
    let p = &app.panels.requests;
    let cat = p.filter.category.clone().expect("a category filter");
    assert!(s.contains(&cat), "{cat} was on the overview: {s}");
    assert_eq!(p.filter.from, chrono::NaiveDate::from_ymd_opt(2026, 11, 1));
    assert_eq!(p.filter.to, Some(now().date()));
    assert_eq!(p.hits.len(), 1, "the office has one request of each category");
}

#[test]
fn the_overview_never_panics_down_to_one_cell() {
    let f = demo_fixture();
    let mut app = demo_app(&f, Lang::Zh, Theme::mono());
    key(&mut app, KeyCode::Char('0'));
    let Some(Layer::Overview(v)) = app.layers.last() else { panic!("no overview") };
    for (w, h) in [(1, 1), (2, 1), (3, 2), (10, 4), (25, 6), (40, 10), (59, 20), (61, 12), (200, 60)] {
        let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, w, h));
        v.render(buf.area, &mut buf, &app.sh);
    }
    for (w, h) in [(1, 1), (79, 23), (80, 24), (100, 30)] {
        draw(&mut app, w, h);
    }
}

#[test]
fn the_monthly_report_carries_its_charts_in_html_and_xlsx() {
    use calamine::Reader;
    use std::io::Read;
    let f = Fixture::office();
    let mut all = Vec::new();
    f.store.scan(|r: Request| all.push(r)).unwrap();
    let month = linli::files::report::Month { year: 2026, month: 11 };
    let rep = linli::files::report::compute(Lang::Zh, month, all, &f.store.workers().unwrap());
    let dir = tempfile::tempdir().unwrap();
    // HTML: the charts inline, after the tables and before the signing line, with every category named
    let html_path = dir.path().join("月报.html");
    let heading = linli::files::report_print::Heading::default();
    linli::files::report_print::write(&rep, Lang::Zh, &heading, &html_path).unwrap();
    let html = std::fs::read_to_string(&html_path).unwrap();
    let charts = &html[html.find("<h2>图表</h2>").expect("a chart section")..];
    assert!(charts.contains("<svg") && !html.contains("<script"), "inline SVG, no script");
    for c in ["小修小补", "停车难", "文明养犬", "老旧小区", "邻里纠纷"] {
        assert!(charts.contains(c), "{c} is a labelled bar: {charts}");
    }
    // XLSX: a native chart over the figures written beside the tables
    let xlsx_path = dir.path().join("月报.xlsx");
    linli::files::report_print::write(&rep, Lang::Zh, &heading, &xlsx_path).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx_path).unwrap()).unwrap();
    let mut chart = String::new();
    zip.by_name("xl/charts/chart1.xml").expect("the chart is in the workbook").read_to_string(&mut chart).unwrap();
    assert!(chart.contains("<c:barChart>"), "{chart}");
    assert!(chart.contains("$D$4:$D$8") && chart.contains("$E$4:$E$8"), "over the five categories: {chart}");
    assert!(chart.contains("<a:pattFill"), "hatched, readable in black and white: {chart}");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx_path).unwrap();
    assert!(book.sheet_names().iter().any(|n| n == "图表"), "a sheet of charts: {:?}", book.sheet_names());
    let range = book.worksheet_range("图表").unwrap();
    let cell = |r: u32, c: u32| range.get_value((r, c)).map(|v| v.to_string()).unwrap_or_default();
    assert_eq!(cell(2, 3), "诉求分类");
    let rows: Vec<(String, String)> = (3..8).map(|r| (cell(r, 3), cell(r, 4))).collect();
    assert!(rows.iter().all(|(_, n)| n == "1"), "one request in each category: {rows:?}");
}

#[test]
fn help_names_the_overview_key() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    key(&mut app, KeyCode::Char('?'));
    for _ in 0..3 {
        key(&mut app, KeyCode::Down);
    }
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("概览"), "{s}");
    // and the overview's own help names its keys
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('0'));
    app.handle_key(&KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("启动时先显示概览"), "{s}");
}

#[test]
fn a_director_may_see_the_overview_first() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    key(&mut app, KeyCode::Char('0'));
    key(&mut app, KeyCode::Char('s'));
    assert!(f.store.overview_first().unwrap(), "s keeps the choice with the data");
    drop(app);
    let app =
        App::new(f.store.clone(), Lang::Zh, Theme::color(), f.cal.clone(), f.cats.clone(), Box::new(now)).unwrap();
    assert!(matches!(app.layers.first(), Some(Layer::Overview(_))), "the overview is under the operator's picker");
    f.store.set_overview_first(false).unwrap();
    let app =
        App::new(f.store.clone(), Lang::Zh, Theme::color(), f.cal.clone(), f.cats.clone(), Box::new(now)).unwrap();
    assert!(!app.layers.iter().any(|l| matches!(l, Layer::Overview(_))));
}
