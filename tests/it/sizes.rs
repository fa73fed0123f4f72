//! Any terminal size, down to 1×1: every panel and the common layers are
//! drawn at every width 1..=100 and height 1..=30 without a panic; below
//! 80×24 the screen says the window is too small (as much of the sentence
//! as fits, or a `!` where not even one Chinese character does).

use crate::support::Fixture;
use linli::i18n::Lang;
use linli::ui::app::App;
use linli::ui::layers::Layer;
use linli::ui::panel::PanelId;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The screen's text without blanks (the cell after a Chinese character
/// holds one).
fn text_of(t: &Terminal<TestBackend>) -> String {
    t.backend().buffer().content().iter().map(|c| c.symbol()).filter(|s| *s != " ").collect()
}

fn with_layer(app: &mut App, which: usize) {
    app.layers.clear();
    match which {
        0 => {}
        1 => app.layers.push(Layer::Help(0)),
        2 => {
            let r = app.sh.store.residents().unwrap().remove(0);
            linli::ui::residents::forms::open_form(&mut app.sh, Some(&r), "");
            app.settle();
        }
        3 => app.layers.push(Layer::Data(Box::new(linli::ui::data::DataView::Menu(0)))),
        4 => app.layers.push(Layer::Pin(Default::default(), 1)),
        _ => app.layers.push(Layer::Welcome),
    }
}

#[test]
fn every_size_from_1x1_to_100x30_draws_without_a_panic() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    let mut drawn = 0;
    for id in PanelId::ALL {
        app.panels.show(id, &mut app.sh);
        for layer in 0..6 {
            with_layer(&mut app, layer);
            for w in 1..=100u16 {
                for h in 1..=30u16 {
                    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
                    t.draw(|fr| app.draw(fr)).unwrap_or_else(|e| panic!("{w}×{h}: {e}"));
                    drawn += 1;
                    if w < 80 || h < 24 {
                        let s = text_of(&t);
                        let shown = if w >= 12 { s.contains("窗口太小") } else { !s.is_empty() };
                        assert!(shown, "{w}×{h}, panel {id:?}, layer {layer}: {s:?}");
                    }
                }
            }
        }
    }
    assert_eq!(drawn, 4 * 6 * 100 * 30);
}

/// The same in English, where the words are longer.
#[test]
fn small_windows_say_so_in_english_too() {
    let f = Fixture::office();
    let mut app = f.app(Lang::En);
    for (w, h) in [(1, 1), (2, 1), (10, 3), (10, 4), (15, 3), (40, 10), (79, 24), (80, 23)] {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|fr| app.draw(fr)).unwrap();
        let s = text_of(&t);
        assert!(!s.is_empty(), "{w}×{h}");
        if w >= 12 {
            assert!(s.contains("Window"), "{w}×{h}: {s:?}");
        }
    }
}

/// Every view of every panel (the duties board's seven, the volunteers'
/// six), at sizes from the smallest full screen to wide ones, with and
/// without the help layer: no panic, and never a control or invisible
/// character in a cell.
#[test]
fn every_view_of_every_panel_draws_at_many_sizes() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    let sizes = [(80u16, 24u16), (81, 25), (90, 30), (100, 24), (120, 40), (160, 50), (200, 60), (80, 60), (200, 24)];
    let mut drawn = 0;
    for (panel, views) in [('1', 1), ('2', 1), ('3', 7), ('4', 6)] {
        app.layers.clear();
        app.handle_key(&KeyEvent::new(KeyCode::Char(panel), KeyModifiers::NONE));
        app.settle();
        for view in 0..views {
            for layer in [0, 1] {
                with_layer(&mut app, layer);
                for (w, h) in sizes {
                    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
                    t.draw(|fr| app.draw(fr)).unwrap_or_else(|e| panic!("panel {panel} view {view} {w}×{h}: {e}"));
                    let bad =
                        t.backend().buffer().content().iter().any(|c| {
                            c.symbol().chars().any(|ch| ch.is_control() || linli::domain::text::is_invisible(ch))
                        });
                    assert!(!bad, "panel {panel} view {view} {w}×{h}");
                    drawn += 1;
                }
            }
            app.layers.clear();
            app.handle_key(&KeyEvent::new(KeyCode::Char(']'), KeyModifiers::NONE));
            app.settle();
        }
    }
    assert_eq!(drawn, (1 + 1 + 7 + 6) * 2 * 9);
}
