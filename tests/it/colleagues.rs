//! Two windows on one store (issue 18: staff at several terminals): two
//! `App`s over one `Arc<Store>`, each with its own operator and clock. An
//! edit form never overwrites a colleague's save made while it was open:
//! its save is refused, the form kept with what was typed, the message
//! naming who changed the record and when; an undo that a colleague's
//! later change blocks is refused the same way, and the other steps stay.

use crate::screens::{draw, key, text, typed};
use crate::support::{Fixture, at};
use linli::i18n::Lang;
use linli::ui::app::{App, Loaded};
use linli::ui::layers::Layer;
use linli::ui::theme::Theme;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn ctrl(app: &mut App, c: char) {
    app.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

/// A second window: 王建国 (the fixture's second worker) at the keyboard,
/// his clock at 10:42 the same day.
fn colleague(f: &Fixture, lang: Lang) -> App {
    let mut app = App::new(
        f.store.clone(),
        lang,
        Theme::color(),
        f.cal.clone(),
        f.cats.clone(),
        Box::new(|| at(2026, 11, 24, 10, 42)),
    )
    .unwrap();
    app.finish_loading(Loaded::read(&f.store).unwrap());
    app.layers.clear();
    app.sh.operator = Some(f.workers[1]);
    app
}

/// The open form on top, if any.
fn form(app: &App) -> Option<&linli::ui::widgets::form::Form> {
    match app.layers.last() {
        Some(Layer::Form(f)) => Some(&f.form),
        _ => None,
    }
}

/// Opens the edit form of the selected request and appends `s` to its title.
fn edit_title(app: &mut App, s: &str) {
    key(app, KeyCode::Char('e'));
    let f = form(app).expect("the edit form opens");
    assert!(f.fields.iter().any(|x| x.key == "title"));
    // channel, category, then the title
    key(app, KeyCode::Tab);
    key(app, KeyCode::Tab);
    key(app, KeyCode::End);
    typed(app, s);
}

fn title_of(f: &Fixture, i: usize) -> String {
    f.store.request(f.requests[i].id).unwrap().unwrap().title
}

#[test]
fn a_request_form_open_while_a_colleague_saves_is_refused_with_their_name_and_keeps_what_was_typed() {
    let f = Fixture::office();
    let (mut a, mut b) = (f.app(Lang::Zh), colleague(&f, Lang::Zh));
    let x = f.requests[4].id; // selected first in both windows (the newest)
    let before = title_of(&f, 4);
    edit_title(&mut a, "（甲）");
    edit_title(&mut b, "（乙）");
    ctrl(&mut b, 's');
    assert!(form(&b).is_none(), "{:?}", b.sh.message);
    assert_eq!(title_of(&f, 4), format!("{before}（乙）"));

    ctrl(&mut a, 's');
    let fa = form(&a).expect("the refused form stays open");
    assert_eq!(fa.text("title"), format!("{before}（甲）"), "what was typed is kept");
    let msg = fa.error.clone().unwrap_or_default();
    assert!(msg.contains("王建国 在 10:42 修改了这条记录，你的修改未保存"), "{msg}");
    assert!(msg.contains("Esc"), "{msg}");
    assert_eq!(title_of(&f, 4), format!("{before}（乙）"), "the colleague's save stands");
    let t = draw(&mut a, 80, 24);
    assert!(text(&t).contains("王建国 在 10:42"), "{}", text(&t));
    insta::assert_snapshot!(t.backend());

    // Esc (and yes to dropping what was typed), open again: the form shows
    // the colleague's title, and this save goes through
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('y'));
    assert!(form(&a).is_none());
    key(&mut a, KeyCode::Char('e'));
    assert_eq!(form(&a).unwrap().text("title"), format!("{before}（乙）"), "opened from what is stored now");
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::End);
    typed(&mut a, "（甲）");
    ctrl(&mut a, 's');
    assert!(form(&a).is_none(), "{:?}", form(&a).and_then(|f| f.error.clone()));
    assert_eq!(title_of(&f, 4), format!("{before}（乙）（甲）"));
    assert_eq!(
        f.store.last_change(linli::store::record::RecordKind::Request, x.0).unwrap().unwrap().by,
        Some(f.workers[0])
    );
}

#[test]
fn in_english_the_refusal_names_the_colleague_too() {
    let f = Fixture::office();
    let (mut a, mut b) = (f.app(Lang::En), colleague(&f, Lang::En));
    edit_title(&mut a, " A");
    edit_title(&mut b, " B");
    ctrl(&mut b, 's');
    ctrl(&mut a, 's');
    let msg = form(&a).and_then(|f| f.error.clone()).unwrap_or_default();
    assert!(msg.contains("王建国 changed this record at 10:42; your changes were not saved"), "{msg}");
    let t = draw(&mut a, 120, 40);
    assert!(text(&t).contains("Close (Esc) and open it again to edit"), "the whole message shows: {}", text(&t));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn a_colleague_saving_a_different_record_is_no_conflict() {
    let f = Fixture::office();
    let (mut a, mut b) = (f.app(Lang::Zh), colleague(&f, Lang::Zh));
    let before = (title_of(&f, 4), title_of(&f, 3));
    edit_title(&mut a, "（甲）");
    key(&mut b, KeyCode::Down); // the next request in the list
    assert_eq!(b.panels.requests.detail.as_ref().map(|r| r.id), Some(f.requests[3].id));
    edit_title(&mut b, "（乙）");
    ctrl(&mut b, 's');
    ctrl(&mut a, 's');
    assert!(form(&a).is_none(), "{:?}", form(&a).and_then(|f| f.error.clone()));
    assert_eq!((title_of(&f, 4), title_of(&f, 3)), (format!("{}（甲）", before.0), format!("{}（乙）", before.1)));
}

#[test]
fn a_resident_form_open_while_a_colleague_saves_is_refused_with_their_name() {
    let f = Fixture::office();
    let (mut a, mut b) = (f.app(Lang::Zh), colleague(&f, Lang::Zh));
    let open = |app: &mut App| {
        key(app, KeyCode::Char('2'));
        key(app, KeyCode::Char('e'));
        assert!(form(app).is_some_and(|f| f.fields.iter().any(|x| x.key == "grid")));
    };
    open(&mut a);
    let id = a.panels.residents.selected_id().unwrap();
    let before = f.store.resident(id).unwrap().unwrap();
    open(&mut b);
    // the notes, the form's sixth field
    let notes = |app: &mut App, s: &str| {
        for _ in 0..5 {
            key(app, KeyCode::Tab);
        }
        key(app, KeyCode::End);
        typed(app, s);
    };
    notes(&mut a, "甲记");
    notes(&mut b, "乙记");
    ctrl(&mut b, 's');
    assert!(form(&b).is_none(), "{:?}", form(&b).and_then(|f| f.error.clone()));
    ctrl(&mut a, 's');
    let fa = form(&a).expect("the refused form stays open");
    assert_eq!(fa.text("notes"), format!("{}甲记", before.notes));
    let msg = fa.error.clone().unwrap_or_default();
    assert!(msg.contains("王建国 在 10:42 修改了这条记录"), "{msg}");
    assert_eq!(f.store.resident(id).unwrap().unwrap().notes, format!("{}乙记", before.notes));
    // open again: the colleague's notes shown, and the save goes through
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('y'));
    key(&mut a, KeyCode::Char('e'));
    assert_eq!(form(&a).unwrap().text("notes"), format!("{}乙记", before.notes));
    notes(&mut a, "甲记");
    ctrl(&mut a, 's');
    assert!(form(&a).is_none(), "{:?}", form(&a).and_then(|f| f.error.clone()));
    assert_eq!(f.store.resident(id).unwrap().unwrap().notes, format!("{}乙记甲记", before.notes));
}

#[test]
fn undo_refuses_where_a_colleague_changed_the_record_since_and_keeps_the_other_steps() {
    let f = Fixture::office();
    let (mut a, mut b) = (f.app(Lang::Zh), colleague(&f, Lang::Zh));
    let before = (title_of(&f, 4), title_of(&f, 3));
    // A changes request 4 (the older step), then request 5
    key(&mut a, KeyCode::Down);
    edit_title(&mut a, "（甲）");
    ctrl(&mut a, 's');
    key(&mut a, KeyCode::Up);
    edit_title(&mut a, "（甲）");
    ctrl(&mut a, 's');
    assert_eq!(title_of(&f, 4), format!("{}（甲）", before.0));
    // B changes request 5 after A
    edit_title(&mut b, "（乙）");
    ctrl(&mut b, 's');
    let theirs = format!("{}（甲）（乙）", before.0);
    assert_eq!(title_of(&f, 4), theirs);

    ctrl(&mut a, 'z');
    let (msg, failed) = a.sh.message.clone().unwrap();
    assert!(failed && msg.contains("无法撤销：王建国 在 10:42 之后又修改了 2026-000005"), "{msg}");
    assert_eq!(title_of(&f, 4), theirs, "the colleague's change stands");
    // A's other step is still there, and still fits: it is taken back
    ctrl(&mut a, 'z');
    let (msg, failed) = a.sh.message.clone().unwrap();
    assert!(!failed && msg.contains("已撤销"), "{msg}");
    assert_eq!(title_of(&f, 3), before.1);
    assert_eq!(title_of(&f, 4), theirs);
}

#[test]
fn a_worker_form_is_refused_after_a_colleague_saved_the_worker() {
    let f = Fixture::office();
    let (mut a, mut b) = (f.app(Lang::Zh), colleague(&f, Lang::Zh));
    let open = |app: &mut App| {
        let w = f.store.worker(f.workers[1]).unwrap().unwrap();
        let grades = app.panels.duties.grades.clone();
        linli::ui::duties::registry::open_worker_form(&mut app.sh, &grades, Some(&w));
        app.settle();
        // the grid, the form's fifth field
        for _ in 0..4 {
            key(app, KeyCode::Tab);
        }
        key(app, KeyCode::End);
    };
    open(&mut a);
    open(&mut b);
    typed(&mut b, "乙");
    ctrl(&mut b, 's');
    assert!(form(&b).is_none(), "{:?}", form(&b).and_then(|f| f.error.clone()));
    typed(&mut a, "甲");
    ctrl(&mut a, 's');
    let msg = form(&a).and_then(|f| f.error.clone()).unwrap_or_default();
    assert!(msg.contains("王建国 在 10:42 修改了这条记录"), "{msg}");
    assert!(f.store.worker(f.workers[1]).unwrap().unwrap().grid.ends_with('乙'));
}

#[test]
fn a_form_on_a_record_a_colleague_took_back_says_it_was_deleted_and_by_whom() {
    let f = Fixture::office();
    let (mut a, mut b) = (f.app(Lang::Zh), colleague(&f, Lang::Zh));
    // B adds a resident; A opens them; B takes the addition back
    key(&mut b, KeyCode::Char('2'));
    key(&mut b, KeyCode::Char('n'));
    typed(&mut b, "新居民");
    ctrl(&mut b, 's');
    let r = f.store.residents().unwrap().into_iter().find(|r| r.name == "新居民").expect("saved");
    linli::ui::residents::forms::open_form(&mut a.sh, Some(&r), "");
    a.settle();
    ctrl(&mut b, 'z');
    assert!(f.store.resident(r.id).unwrap().is_none(), "{:?}", b.sh.message);
    ctrl(&mut a, 's');
    let msg = form(&a).and_then(|f| f.error.clone()).unwrap_or_default();
    assert!(msg.contains("王建国 在 10:42 删除了这条记录，你的修改未保存"), "{msg}");
    assert!(f.store.resident(r.id).unwrap().is_none(), "not made again by a stale form");
}

#[test]
fn a_records_last_change_skips_reveals_and_its_version_moves_only_when_it_is_written() {
    use linli::store::audit::AuditAction;
    use linli::store::record::RecordKind;
    let f = Fixture::office();
    let s = &f.store;
    let (li, wang) = (f.workers[0], f.workers[1]);
    let id = s.residents().unwrap()[0].id;
    let v0 = s.version(RecordKind::Resident, id.0).unwrap();
    assert!(v0.is_some());
    // the same value written again: nothing to refuse
    let mut r = s.resident(id).unwrap().unwrap();
    s.update_resident(&r, wang, at(2026, 11, 24, 10, 30)).unwrap();
    assert_eq!(s.version(RecordKind::Resident, id.0).unwrap(), v0);
    r.notes = "换了新电话".into();
    s.update_resident(&r, wang, at(2026, 11, 24, 10, 42)).unwrap();
    let v1 = s.version(RecordKind::Resident, id.0).unwrap();
    assert_ne!(v1, v0);
    // a reveal reads: it is no change, and the record's bytes stay
    s.record_reveal(RecordKind::Resident, id.0, "phone", li, at(2026, 11, 24, 10, 50)).unwrap();
    assert_eq!(s.version(RecordKind::Resident, id.0).unwrap(), v1);
    let e = s.last_change(RecordKind::Resident, id.0).unwrap().unwrap();
    assert_eq!((e.by, e.at, e.action), (Some(wang), at(2026, 11, 24, 10, 42), AuditAction::Update));
    // nobody ever wrote record 999
    assert!(s.last_change(RecordKind::Resident, 999).unwrap().is_none());
    assert!(s.version(RecordKind::Resident, 999).unwrap().is_none());
}

#[test]
fn a_colleague_changing_only_the_id_number_refuses_the_resident_form_too() {
    use linli::store::record::RecordKind;
    let f = Fixture::office();
    let mut a = f.app(Lang::Zh);
    let r = f.store.residents().unwrap().remove(0);
    linli::ui::residents::forms::open_form(&mut a.sh, Some(&r), "");
    a.settle();
    // kept beside the record: the record's own bytes do not change
    let before = f.store.version(RecordKind::Resident, r.id.0).unwrap();
    let wang = Some(f.workers[1]);
    f.store
        .set_id_number(RecordKind::Resident, r.id.0, Some("11010519491231002X"), wang, at(2026, 11, 24, 10, 42))
        .unwrap();
    assert_eq!(f.store.version(RecordKind::Resident, r.id.0).unwrap(), before);
    ctrl(&mut a, 's');
    let msg = form(&a).and_then(|f| f.error.clone()).unwrap_or_default();
    assert!(msg.contains("王建国 在 10:42 修改了这条记录"), "{msg}");
    let kept = f.store.id_number(RecordKind::Resident, r.id.0).unwrap();
    assert_eq!(kept.as_deref(), Some("11010519491231002X"), "the stale form did not clear it");
}

#[test]
fn the_community_profile_form_is_refused_after_a_colleague_saved_the_profile() {
    let f = Fixture::office();
    let mut a = f.app(Lang::Zh);
    typed(&mut a, "B7");
    assert!(form(&a).is_some_and(|x| x.fields.iter().any(|k| k.key == "street")));
    typed(&mut a, "甲写的社区");
    // a colleague saves the profile meanwhile
    let mut p = f.store.profile().unwrap();
    p.set("name", "乙写的社区");
    f.store.set_profile(&p).unwrap();
    ctrl(&mut a, 's');
    let msg = form(&a).and_then(|x| x.error.clone()).unwrap_or_default();
    assert!(msg.contains("这条记录在你打开后被修改过，你的修改未保存"), "{msg}");
    assert_eq!(f.store.profile().unwrap().name, "乙写的社区");
}

#[test]
fn redo_refuses_where_a_colleague_changed_the_record_since() {
    let f = Fixture::office();
    let (mut a, mut b) = (f.app(Lang::Zh), colleague(&f, Lang::Zh));
    let before = title_of(&f, 4);
    edit_title(&mut a, "（甲）");
    ctrl(&mut a, 's');
    ctrl(&mut a, 'z');
    assert_eq!(title_of(&f, 4), before);
    edit_title(&mut b, "（乙）");
    ctrl(&mut b, 's');
    ctrl(&mut a, 'y');
    let (msg, failed) = a.sh.message.clone().unwrap();
    assert!(failed && msg.contains("无法重做：王建国 在 10:42 之后又修改了 2026-000005"), "{msg}");
    assert_eq!(title_of(&f, 4), format!("{before}（乙）"));
}

/// A colleague renames the resident of requests while a search by the new
/// name is on screen: the list finds them at once. Residents no request
/// names (an import's) leave the list as it is.
#[test]
fn a_colleagues_change_to_a_resident_shows_in_a_search_on_screen() {
    let f = Fixture::office();
    let mut a = f.app(Lang::Zh);
    let shown = a.panels.requests.detail.clone().expect("a request is shown");
    let rid = shown.resident.expect("the fixture's first request names a resident");
    key(&mut a, KeyCode::Char('/'));
    typed(&mut a, "欧阳");
    assert!(text(&draw(&mut a, 80, 24)).contains("共 0 条"));
    let mut r = f.store.resident(rid).unwrap().unwrap();
    r.name = "欧阳新名".into();
    f.store.update_resident(&r, f.workers[1], at(2026, 11, 24, 10, 42)).unwrap();
    let set = f.store.take_last_change();
    a.sh.index.upsert_resident(&r);
    a.panels.broadcast(&set, &mut a.sh);
    let s = text(&draw(&mut a, 80, 24));
    assert!(s.contains("共 2 条") && s.contains(&shown.id.to_string()) && s.contains("欧阳新名"), "{s}");
    // a new resident nobody's request names: the list stays
    let mut n = r.clone();
    n.name = "欧阳另一位".into();
    let n = f.store.create_resident(&n, f.workers[1], at(2026, 11, 24, 10, 43)).unwrap();
    let set = f.store.take_last_change();
    a.sh.index.upsert_resident(&n);
    a.panels.broadcast(&set, &mut a.sh);
    assert!(text(&draw(&mut a, 80, 24)).contains("共 2 条"));
}
