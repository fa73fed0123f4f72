//! A new office's first week (issue 16): a new caller taken in with one
//! Enter, an IME's full-width digits accepted, four-character names kept
//! apart, every panel named at 80 columns, an import path corrected after
//! a failed preview, every kind exportable, undo and the trail naming
//! records as the office knows them — on screen at 80×24, snapshotted, and
//! the intake end to end in a pseudo-terminal.

use crate::pty::Key;
use crate::screens::{draw, key, text, typed};
use crate::support::{Fixture, at, new_request, now, resident};
use linli::domain::ResidentId;
use linli::domain::request::Channel;
use linli::i18n::Lang;
use linli::ui::app::App;
use linli::ui::layers::Layer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn ctrl(app: &mut App, c: char) {
    app.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    app.settle();
}

/// What an IME commits, or a paste: one string at once.
fn paste(app: &mut App, s: &str) {
    use ratatui::crossterm::event::Event;
    app.handle(linli::ui::app::AppEvent::Term(Event::Paste(s.to_string())));
}

/// The row of the screen that holds `needle`, and whether it is drawn in
/// the selected style (the highlighted row of a list or picker).
fn highlighted(
    t: &ratatui::Terminal<ratatui::backend::TestBackend>,
    needle: &str,
    style: ratatui::style::Style,
) -> bool {
    let s = text(t);
    let Some(y) = s.lines().position(|l| l.contains(needle)) else { return false };
    let buf = t.backend().buffer();
    let row: Vec<_> = (0..buf.area.width).map(|x| buf[(x, y as u16)].style()).collect();
    row.iter().filter(|c| c.bg == style.bg && c.fg == style.fg).count() > row.len() / 2
}

#[test]
fn a_new_callers_name_becomes_a_resident_with_one_enter_and_full_width_digits() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    key(&mut app, KeyCode::Char('n'));
    for _ in 0..2 {
        key(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "楼道灯不亮");
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    key(&mut app, KeyCode::Enter); // 居民: the lookup
    typed(&mut app, "马秀兰");
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    assert!(s.contains("+ 新建居民“马秀兰”") && s.contains("（匿名，不关联居民）"), "{s}");
    // the row that creates her is the one Enter takes, not 匿名 above it
    let selected = app.sh.theme.selected;
    assert!(highlighted(&t, "+ 新建居民“马秀兰”", selected), "{s}");
    assert!(!highlighted(&t, "（匿名，不关联居民）", selected), "{s}");
    insta::assert_snapshot!(t.backend());
    key(&mut app, KeyCode::Enter);
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("新增居民") && s.contains("马秀兰"), "{s}");
    // an IME in full-width mode: digits, and its own space
    paste(&mut app, "１３９　１２３４　５６７８");
    key(&mut app, KeyCode::Tab);
    paste(&mut app, "幸福小区３栋２单元５０１");
    ctrl(&mut app, 's');
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("已保存居民“马秀兰”"), "{s}");
    assert!(s.contains("> 居民         马秀兰"), "the focus stays on the field just filled: {s}");
    ctrl(&mut app, 's');
    assert!(app.layers.is_empty(), "saved: {:?}", app.sh.message);
    let r = f.store.request(linli::domain::RequestId::new(2026, 6)).unwrap().unwrap();
    let ma = f.store.resident(r.resident.expect("not anonymous")).unwrap().unwrap();
    assert_eq!((ma.name.as_str(), ma.phone.as_str()), ("马秀兰", "13912345678"));
    assert_eq!(ma.address.to_string(), "幸福小区 3-2-501", "full-width digits are kept half-width");
    // and found by what an IME types
    typed(&mut app, "/");
    paste(&mut app, "５６７８");
    assert!(text(&draw(&mut app, 80, 24)).contains("马秀兰"));
}

#[test]
fn the_anonymous_choice_is_still_one_key_away() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    key(&mut app, KeyCode::Char('n'));
    for _ in 0..5 {
        key(&mut app, KeyCode::Tab);
    }
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "过路人");
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Enter);
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("居民         匿名"), "{s}");
}

#[test]
fn four_character_names_stand_apart_in_every_list_at_80x24() {
    let f = Fixture::office();
    let s = f.store.clone();
    let li = f.workers[0];
    let ouyang = s.create_worker("欧阳晓晨", "网格员", Some(li), at(2026, 11, 3, 9, 0)).unwrap().id;
    for (name, title) in [("欧阳小明", "门口路灯不亮"), ("欧阳小红", "楼下垃圾没人清")] {
        let r = s.create_resident(&resident(name, "", "老街坊 2-1-101", &[]), li, at(2026, 11, 3, 9, 0)).unwrap();
        let nr = new_request("小修小补", title, Some(r.id), Channel::Visit);
        let req = s.create_request(&nr, li, at(2026, 11, 24, 8, 0), &f.cats, &f.cal).unwrap();
        s.move_request(req.id, &linli::domain::request::Move::Assign(ouyang), li, now(), &f.cats, &f.cal).unwrap();
    }
    let mut app = f.app(Lang::Zh);
    let t = draw(&mut app, 80, 24);
    let screen = text(&t);
    for name in ["欧阳小明", "欧阳小红", "欧阳晓晨"] {
        assert!(screen.contains(name), "{name} whole in the list: {screen}");
    }
    insta::assert_snapshot!(t.backend());
    key(&mut app, KeyCode::Char('2'));
    assert!(text(&draw(&mut app, 80, 24)).contains("欧阳娜娜"));
}

#[test]
fn every_panel_keeps_its_name_at_80_columns() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    let header = |app: &mut App| text(&draw(app, 80, 24)).lines().next().unwrap_or("").to_string();
    // a new office: the off-PC warning, who is at the keyboard, four names
    let h = header(&mut app);
    assert!(h.contains("! 从未异地备份") && h.contains("操作员：李娜"), "{h}");
    for tab in ["1 诉求", "2 居民", "3 职责", "4 志愿"] {
        assert!(h.contains(tab), "{h}");
    }
    // once a backup has left the machine, the names are whole again
    let out = tempfile::tempdir().unwrap();
    let opts = linli::store::backup::BackupOptions { passphrase: None, operator: None, work_factor: Some(10) };
    linli::store::backup::backup(&f.store, out.path(), now(), &opts, |_, _| {}).unwrap();
    linli::ui::data::refresh_offsite_warning(&mut app.sh);
    let h = header(&mut app);
    assert!(!h.contains("未异地备份"), "{h}");
    for tab in ["1 居民诉求", "2 居民名册", "3 职责看板", "4 志愿服务"] {
        assert!(h.contains(tab), "{h}");
    }
    assert!(h.contains("操作员：李娜"), "{h}");
}

#[test]
fn esc_on_the_welcome_box_does_not_quit() {
    let f = Fixture::empty();
    let mut app = f.app(Lang::Zh);
    assert!(matches!(app.layers.last(), Some(Layer::Welcome)));
    key(&mut app, KeyCode::Esc);
    assert!(!app.sh.quit, "Esc is back, never quit");
    assert!(matches!(app.layers.last(), Some(Layer::Welcome)));
    key(&mut app, KeyCode::Char('q'));
    assert!(app.sh.quit, "q still quits");
}

#[test]
fn undo_names_what_it_took_back_as_the_office_knows_it() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    key(&mut app, KeyCode::Char('3'));
    typed(&mut app, "]]"); // the rota, today selected
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Down); // past （无人值班）: the first worker
    key(&mut app, KeyCode::Enter);
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("值班：李娜"), "{s}");
    ctrl(&mut app, 'z');
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("已撤销：值班 2026-11-24"), "a shift by its day, not 202611240: {s}");
    // a resident by name
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "钱多多");
    ctrl(&mut app, 's');
    ctrl(&mut app, 'z');
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("已撤销：居民 钱多多（Ctrl+Y 重做）"), "named from the bytes the undo read: {s}");
    assert!(!s.contains("rota") && !s.contains("resident"), "{s}");
}

#[test]
fn a_name_is_cleaned_and_limited_where_it_is_typed() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Char('n'));
    paste(&mut app, "零宽\u{200b}周\u{1b}[2J");
    ctrl(&mut app, 's');
    let r = f.store.residents().unwrap().into_iter().find(|r| r.name.starts_with("零宽")).expect("saved");
    assert_eq!(r.name, "零宽周", "no zero-width space, no escape sequence");
    typed(&mut app, "/零宽周");
    assert!(text(&draw(&mut app, 80, 24)).contains("共 1 条"), "found by what is seen");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('n'));
    paste(&mut app, &"长".repeat(300));
    ctrl(&mut app, 's');
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("姓名太长（300 个字）：最多 30 个字"), "{s}");
    assert!(matches!(app.layers.last(), Some(Layer::Form(_))), "the form stays open");
    assert_eq!(f.store.residents().unwrap().len(), 5);
    let _ = ResidentId(0);
}

/// The whole intake in the real program, typed as an IME delivers it: a
/// new office, a caller nobody knows, her phone in full-width digits; she
/// is a resident afterwards, found again by her phone's tail.
#[test]
fn a_new_caller_with_full_width_digits_is_taken_in_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = crate::support::linli_pty(dir.path());
    crate::support::first_start(&mut p, "王丽");
    p.type_text("n");
    p.wait_for("登记新诉求");
    p.key(Key::Tab);
    p.key(Key::Tab);
    p.type_text("楼道灯不亮");
    for _ in 0..3 {
        p.key(Key::Tab);
    }
    p.key(Key::Enter);
    p.wait_for("选择居民");
    p.type_text("马秀兰");
    p.wait_for("+ 新建居民“马秀兰”");
    // one Enter: the highlighted row creates her
    p.key(Key::Enter);
    p.wait_for("新增居民");
    p.type_text("１３９１２３４５６７８");
    p.key(Key::Ctrl('s'));
    let s = p.wait_for("已保存居民“马秀兰”");
    assert!(!s.contains("电话号码格式不对"), "{s}");
    p.key(Key::Ctrl('s'));
    let s = p.wait_for("已保存诉求 2026-000001");
    assert!(s.contains("2026-000001 马秀兰"), "the request is hers, not anonymous: {s}");
    // found again by what the IME types
    p.type_text("/");
    p.type_text("５６７８");
    let s = p.wait_for("共 1 条");
    assert!(s.contains("马秀兰"), "{s}");
    p.key(Key::Esc);
    p.type_text("q");
    assert!(p.wait_exit().success);
    assert!(p.terminal_mode_is_sane());
    let store = linli::store::Store::open(dir.path()).unwrap();
    let ma = store.residents().unwrap().into_iter().find(|r| r.name == "马秀兰").expect("a resident");
    assert_eq!(ma.phone, "13912345678");
}

/// First start: once the first worker is saved, an empty community profile
/// is named on the message line with the keys that reach it (B, then 7),
/// and those keys do; with a profile already filled in, the usual message.
#[test]
fn the_first_worker_saved_says_where_the_community_profile_is_filled_in() {
    let start = |profile: bool| {
        let f = Fixture::empty();
        if profile {
            let mut p = f.store.profile().unwrap();
            p.set("name", "幸福里社区");
            f.store.set_profile(&p).unwrap();
        }
        let mut app = f.app(Lang::Zh);
        key(&mut app, KeyCode::Enter);
        typed(&mut app, "李娜");
        ctrl(&mut app, 's');
        let s = text(&draw(&mut app, 80, 24));
        (f, app, s)
    };
    let (_f, mut app, s) = start(false);
    assert!(s.contains("操作员：李娜"), "{s}");
    assert!(s.contains("社区信息还没填：按 B 进入「数据」，再按 7「社区信息」"), "whole at 80 columns: {s}");
    key(&mut app, KeyCode::Char('B'));
    key(&mut app, KeyCode::Char('7'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("社区名称"), "B then 7 opens the community profile: {s}");
    let (_f, _app, s) = start(true);
    assert!(s.contains("已保存社区工作者“李娜”") && !s.contains("社区信息还没填"), "{s}");
}

/// The overview's key is in every panel's footer at 80 columns in Chinese,
/// drawn from the key map, with the daily log's `L` still there.
#[test]
fn every_panel_footer_shows_the_overview_key_at_80_columns() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    for panel in ['1', '2', '3', '4'] {
        key(&mut app, KeyCode::Char(panel));
        let s = text(&draw(&mut app, 80, 24));
        let foot = s.lines().last().unwrap_or("");
        for w in ["0 概览", "L 日志", "q 退出", "? 帮助"] {
            assert!(foot.contains(w), "panel {panel}: {foot}");
        }
    }
    // English words are longer: it shows where it fits, and always at 100
    let mut app = f.app(Lang::En);
    for panel in ['1', '2', '3', '4'] {
        key(&mut app, KeyCode::Char(panel));
        let s = text(&draw(&mut app, 100, 24));
        let foot = s.lines().last().unwrap_or("");
        assert!(foot.contains("0 Overview") && foot.contains("q Quit"), "panel {panel}: {foot}");
    }
}
