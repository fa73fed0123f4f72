//! The optional 身份证号 on the resident and volunteer forms: masked like a
//! phone number, `v` reveals it (recorded), checked with the GB 11643 check
//! digit before anything is saved, kept through the store function the CLI
//! uses (audited masked); the volunteer details pane shows it masked.

use crate::support::{Fixture, now};
use linli::i18n::Lang;
use linli::store::Store;
use linli::store::audit::AuditAction;
use linli::store::record::RecordKind;
use linli::ui::app::App;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const ID: &str = "11010519491231002X";

fn key(app: &mut App, c: KeyCode) {
    app.handle_key(&KeyEvent::new(c, KeyModifiers::NONE));
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn save(app: &mut App) {
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(|fr| app.draw(fr)).unwrap();
    crate::screens::text(&t)
}

fn id_audits(s: &Store, kind: RecordKind, key: u64, action: AuditAction) -> Vec<linli::store::audit::AuditEntry> {
    s.audit_entries(100, |e| {
        e.action == action && e.kind == kind && e.key == key && e.changes.iter().any(|c| c.field == "id_number")
    })
    .unwrap()
}

/// Moves the resident form's focus to its last field, the ID number.
fn to_id_field(app: &mut App) {
    app.handle_key(&KeyEvent::new(KeyCode::BackTab, KeyModifiers::NONE));
}

#[test]
fn the_resident_form_keeps_a_checked_id_number_masked_until_a_recorded_reveal() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    let r = f.store.residents().unwrap().remove(0);
    let k = r.id.0;
    // a wrong check digit is refused, in Chinese, and nothing is kept
    linli::ui::residents::forms::open_form(&mut app.sh, Some(&r), "");
    app.settle();
    to_id_field(&mut app);
    typed(&mut app, "110105194912310021");
    save(&mut app);
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("身份证号不对"), "{s}");
    assert_eq!(f.store.id_number(RecordKind::Resident, k).unwrap(), None);
    // typed in full-width digits with a lower-case x: read as meant, kept, audited masked
    let bs = || KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE);
    for _ in 0..18 {
        app.handle_key(&bs());
    }
    typed(&mut app, "１１０１０５１９４９１２３１００２ｘ");
    save(&mut app);
    assert_eq!(f.store.id_number(RecordKind::Resident, k).unwrap().as_deref(), Some(ID));
    let changes = id_audits(&f.store, RecordKind::Resident, k, AuditAction::Update);
    assert_eq!(changes.len(), 1);
    let c = changes[0].changes.iter().find(|c| c.field == "id_number").unwrap();
    assert_eq!((c.old.as_str(), c.new.as_str()), ("", "110***********002X"), "audited masked");
    // opened again: masked; `v` records a reveal, then shows it
    let r = f.store.resident(r.id).unwrap().unwrap();
    linli::ui::residents::forms::open_form(&mut app.sh, Some(&r), "");
    app.settle();
    to_id_field(&mut app);
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("110***********002X") && !s.contains(ID), "{s}");
    assert!(id_audits(&f.store, RecordKind::Resident, k, AuditAction::Reveal).is_empty());
    key(&mut app, KeyCode::Char('v'));
    assert_eq!(id_audits(&f.store, RecordKind::Resident, k, AuditAction::Reveal).len(), 1, "the reveal is recorded");
    assert!(screen(&mut app, 100, 30).contains(ID));
    // saving it untouched changes nothing
    save(&mut app);
    assert_eq!(id_audits(&f.store, RecordKind::Resident, k, AuditAction::Update).len(), 1);
    // deleting the hidden number forgets it, without showing it
    linli::ui::residents::forms::open_form(&mut app.sh, Some(&r), "");
    app.settle();
    to_id_field(&mut app);
    app.handle_key(&bs());
    assert!(!screen(&mut app, 100, 30).contains("002X"));
    save(&mut app);
    assert_eq!(f.store.id_number(RecordKind::Resident, k).unwrap(), None);
    assert_eq!(id_audits(&f.store, RecordKind::Resident, k, AuditAction::Reveal).len(), 1, "deleting is no reveal");
}

#[test]
fn the_volunteer_form_and_details_show_the_id_number_masked_and_refuse_a_bad_one_in_english() {
    let f = Fixture::office();
    let by = f.workers[0];
    let v = f
        .store
        .create(Some(by), now(), |id| {
            linli::domain::volunteer::Volunteer::new(linli::domain::volunteer::VolunteerId(id), "王秀英", now().date())
        })
        .unwrap();
    f.store.set_id_number(RecordKind::Volunteer, v.id.0, Some(ID), Some(by), now()).unwrap();
    let mut app = f.app(Lang::En);
    let index = linli::store::roster::index::RosterIndex::read(&f.store);
    app.panels.volunteers.finish_loading(index, &mut app.sh);
    key(&mut app, KeyCode::Char('4'));
    let s = screen(&mut app, 120, 40);
    assert!(s.contains("ID number: 110***********002X") && !s.contains(ID), "details pane: {s}");
    key(&mut app, KeyCode::Char('e'));
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("110***********002X") && !s.contains(ID), "{s}");
    // over the hidden number, a wrong one: refused in English, the old one kept
    app.sh.lang = Lang::En;
    let form_keys = |app: &mut App| app.handle_key(&KeyEvent::new(KeyCode::BackTab, KeyModifiers::NONE));
    form_keys(&mut app); // from the name, to the resident, round to the last field
    form_keys(&mut app);
    typed(&mut app, "510104198805120010");
    save(&mut app);
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("Not a valid ID number"), "{s}");
    assert_eq!(f.store.id_number(RecordKind::Volunteer, v.id.0).unwrap().as_deref(), Some(ID));
    assert!(id_audits(&f.store, RecordKind::Volunteer, v.id.0, AuditAction::Reveal).is_empty(), "typing is no reveal");
}

/// The volunteer edit form at 80×24 with its 身份证号 masked and focused
/// (the `v` hint beside it).
#[test]
fn the_volunteer_form_80x24_with_a_masked_id_number() {
    let f = Fixture::office();
    let by = f.workers[0];
    let v = f
        .store
        .create(Some(by), now(), |id| {
            let mut v = linli::domain::volunteer::Volunteer::new(
                linli::domain::volunteer::VolunteerId(id),
                "王秀英",
                now().date(),
            );
            v.phone = "13900002222".into();
            v
        })
        .unwrap();
    f.store.set_id_number(RecordKind::Volunteer, v.id.0, Some(ID), Some(by), now()).unwrap();
    let mut app = f.app(Lang::Zh);
    let index = linli::store::roster::index::RosterIndex::read(&f.store);
    app.panels.volunteers.finish_loading(index, &mut app.sh);
    key(&mut app, KeyCode::Char('4'));
    key(&mut app, KeyCode::Char('e'));
    key(&mut app, KeyCode::BackTab);
    key(&mut app, KeyCode::BackTab);
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    t.draw(|fr| app.draw(fr)).unwrap();
    let s = crate::screens::text(&t);
    assert!(s.contains("身份证号") && s.contains("110***********002X") && !s.contains(ID), "{s}");
    insta::assert_snapshot!(t.backend());
}

/// The residents panel's details pane shows a kept ID number masked, and
/// nothing of it when none is kept; drawing it is no reveal.
#[test]
fn the_residents_details_show_the_id_number_masked() {
    let f = Fixture::office();
    for r in f.store.residents().unwrap() {
        f.store.set_id_number(RecordKind::Resident, r.id.0, Some(ID), None, now()).unwrap();
    }
    let mut app = f.app(Lang::Zh);
    key(&mut app, KeyCode::Char('2'));
    app.settle();
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("身份证号：110***********002X"), "{s}");
    assert!(!s.contains(ID) && !s.contains("19491231"), "{s}");
    for r in f.store.residents().unwrap() {
        assert!(id_audits(&f.store, RecordKind::Resident, r.id.0, AuditAction::Reveal).is_empty());
        f.store.set_id_number(RecordKind::Resident, r.id.0, None, None, now()).unwrap();
    }
    let s = screen(&mut app, 100, 30);
    assert!(!s.contains("身份证号"), "{s}");
}
