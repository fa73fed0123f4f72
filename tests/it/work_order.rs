//! The 12345 hotline's work-order number (工单号), end to end: typed in the
//! request form, shown in the details, found by search, named in the
//! history, exported, and carried through a backup and a restore.

use crate::screens::{key, text};
use crate::support::{Fixture, now};
use linli::domain::RequestId;
use linli::files::export::{self, ExportKind, ExportOptions, Format};
use linli::i18n::Lang;
use linli::store::Store;
use linli::store::backup::{self, BackupOptions};
use linli::store::record::RecordKind;
use linli::ui::app::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn draw(app: &mut App) -> String {
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    text(&t)
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

#[test]
fn a_work_order_number_goes_everywhere_a_request_goes() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "小区门口积水");
    for _ in 0..5 {
        key(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "2026112400123");
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    app.settle();
    let s = draw(&mut app);
    assert!(app.layers.is_empty(), "saved: {s}");
    assert!(s.contains("12345工单号：2026112400123"), "the details show it: {s}");
    let id = RequestId::new(2026, 6);
    assert_eq!(f.store.request(id).unwrap().unwrap().work_order, "2026112400123");

    // search by its digits
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "400123");
    let s = draw(&mut app);
    assert!(s.contains("小区门口积水") && s.contains("共 1 条"), "{s}");
    key(&mut app, KeyCode::Enter);

    // the history names the field
    key(&mut app, KeyCode::Char('H'));
    let s = draw(&mut app);
    assert!(s.contains("12345工单号：2026112400123"), "{s}");
    key(&mut app, KeyCode::Esc);

    // the export has the column
    let out = tempfile::tempdir().unwrap();
    let csv = out.path().join("requests.csv");
    let opts = ExportOptions { format: Format::Csv, full_numbers: false, lang: Lang::Zh, by: None, at: now() };
    export::export(&f.store, ExportKind::Records(RecordKind::Request), &csv, &opts, |_, _| {}).unwrap();
    let written = std::fs::read_to_string(&csv).unwrap();
    let head = written.lines().next().unwrap();
    assert!(head.contains("12345工单号"), "{head}");
    let row = written.lines().find(|l| l.contains("小区门口积水")).unwrap();
    assert!(row.contains("2026112400123"), "{row}");

    // a backup carries it, a restore brings it back
    let opts = BackupOptions { passphrase: None, operator: None, work_factor: None };
    let info = backup::backup(&f.store, out.path(), now(), &opts, |_, _| {}).unwrap();
    let target = tempfile::tempdir().unwrap();
    // (another data folder has its own signing key: it asks first)
    let signer = match backup::restore(&info.path, target.path(), None, now(), |_, _| {}) {
        Err(linli::store::backup::BackupError::ForeignSigner(s)) => s,
        other => panic!("a restore into another folder should ask about the key: {other:?}"),
    };
    backup::restore_accepting(&info.path, target.path(), None, now(), Some(&signer.key), |_, _| {}).unwrap();
    let restored = Store::open(target.path()).unwrap();
    assert_eq!(restored.request(id).unwrap().unwrap().work_order, "2026112400123");
}
