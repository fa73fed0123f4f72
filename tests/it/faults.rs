//! Faults give messages, not damage: a full disk and a read-only data dir,
//! on small tmpfs mounts the test makes itself. Where mounting is not
//! allowed (not root, no CAP_SYS_ADMIN) the tests fail (see `mounts`).

use crate::mounts::Tmpfs;
use crate::support::{at, new_request};
use linli::domain::request::Channel;
use linli::domain::{Categories, RequestId, WorkCalendar};
use linli::store::{Store, StoreError};
use std::path::Path;
use std::process::Command;

fn fill_until_error(store: &Store, w: linli::domain::WorkerId) -> (Vec<RequestId>, StoreError) {
    let (cats, cal) = (Categories::default(), WorkCalendar::builtin());
    let mut saved = Vec::new();
    for i in 0..1_000_000 {
        let mut nr = new_request("其他", &format!("第{i}件"), None, Channel::Phone);
        nr.description = "很长的描述".repeat(200);
        match store.create_request(&nr, w, at(2026, 11, 24, 10, 0), &cats, &cal) {
            Ok(r) => saved.push(r.id),
            Err(e) => return (saved, e),
        }
    }
    panic!("the disk never filled up");
}

#[test]
fn a_full_disk_is_a_clear_message_and_loses_nothing_saved() {
    let Some(fs) = Tmpfs::mount("6m", "a_full_disk_is_a_clear_message_and_loses_nothing_saved") else { return };
    let dir = fs.join("data");
    let (saved, err) = {
        let store = Store::open(&dir).expect("opens on an empty tmpfs");
        let w = store.create_worker("李娜", "网格员", None, at(2026, 11, 24, 9, 0)).unwrap().id;
        fill_until_error(&store, w)
    };
    assert!(matches!(err, StoreError::DiskFull), "{err:?}");
    let msg = linli::i18n::store_error(linli::i18n::Lang::Zh, &err);
    assert!(msg.contains("磁盘已满"), "{msg}");
    assert!(saved.len() > 10, "something was written before the disk filled: {}", saved.len());
    // make room, reopen: everything reported saved is there and whole
    fs.remount("size=64m");
    let store = Store::open(&dir).expect("reopens after the disk was full");
    for id in &saved {
        let r = store.request(*id).unwrap().unwrap_or_else(|| panic!("lost {id}"));
        assert!(r.title.starts_with('第'));
    }
    assert!(store.check(false).unwrap().is_clean());
}

#[test]
fn a_read_only_data_dir_is_a_clear_message() {
    let Some(fs) = Tmpfs::mount("16m", "a_read_only_data_dir_is_a_clear_message") else { return };
    let dir = fs.join("data");
    let id = {
        let store = Store::open(&dir).unwrap();
        let w = store.create_worker("李娜", "网格员", None, at(2026, 11, 24, 9, 0)).unwrap().id;
        let (cats, cal) = (Categories::default(), WorkCalendar::builtin());
        store
            .create_request(
                &new_request("其他", "已保存的", None, Channel::Visit),
                w,
                at(2026, 11, 24, 9, 1),
                &cats,
                &cal,
            )
            .unwrap()
            .id
    };
    fs.remount("ro");
    match Store::open(&dir) {
        Err(e @ StoreError::ReadOnly(_)) => {
            let msg = linli::i18n::store_error(linli::i18n::Lang::Zh, &e);
            assert!(msg.contains("无法写入"), "{msg}");
        }
        Err(e) => panic!("expected ReadOnly, got {e:?}"),
        Ok(_) => panic!("opened a read-only store for writing"),
    }
    // the binary says the same, in Chinese, without a panic or a raw terminal
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_linli"));
    crate::powercut::clean_env(&mut cmd, &dir, home.path());
    let out = cmd.arg("info").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("无法写入") && !err.contains("panicked"), "{err}");
    fs.remount("rw");
    let store = Store::open(&dir).unwrap();
    assert_eq!(store.request(id).unwrap().unwrap().title, "已保存的");
}

#[test]
fn saving_onto_a_full_disk_in_the_app_keeps_the_form_and_says_why() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let Some(fs) = Tmpfs::mount("6m", "saving_onto_a_full_disk_in_the_app_keeps_the_form_and_says_why") else { return };
    let dir: &Path = &fs.join("data");
    let store = std::sync::Arc::new(Store::open(dir).unwrap());
    let w = store.create_worker("李娜", "网格员", None, at(2026, 11, 24, 9, 0)).unwrap().id;
    let mut app = linli::ui::app::App::new(
        store.clone(),
        linli::i18n::Lang::Zh,
        linli::ui::theme::Theme::color(),
        std::sync::Arc::new(WorkCalendar::builtin()),
        Categories::default(),
        Box::new(crate::support::now),
    )
    .unwrap();
    app.layers.clear();
    app.sh.operator = Some(w);
    // the disk fills up while the app is open
    let _ = fill_until_error(&store, w);
    linli::ui::requests::forms::open_new(&mut app.sh, None);
    app.settle();
    app.handle_key(&KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    app.handle_key(&KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    for c in "楼道灯不亮".chars() {
        app.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    match app.layers.last() {
        Some(linli::ui::layers::Layer::Form(f)) => {
            let form = &f.form;
            assert_eq!(form.text("title"), "楼道灯不亮", "what the user typed is kept");
            assert!(form.error.as_deref().unwrap_or("").contains("磁盘已满"), "{:?}", form.error);
        }
        _ => panic!("the form must stay open when the save fails"),
    }
}
