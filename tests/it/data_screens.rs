//! The data screens (`B`): menu, backup with a fake drive list, restore
//! preview, monthly report, drawn at 80×24 and snapshotted.

use crate::support::{Fixture, now};
use linli::i18n::Lang;
use linli::platform::drives::Drive;
use linli::ui::app::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;

fn screen(app: &mut App) -> String {
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    crate::screens::text(&t)
}

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(&KeyEvent::new(code, KeyModifiers::NONE));
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn fake_drive() -> Drive {
    Drive {
        path: PathBuf::from("/media/office/U盘"),
        label: "U盘".into(),
        free_bytes: 7_500_000_000,
        total_bytes: 8_000_000_000,
    }
}

fn app(f: &Fixture) -> App {
    let mut app = f.app(Lang::Zh);
    app.sh.data.drives = Box::new(|| vec![fake_drive()]);
    app
}

/// The temp dir's path, shown the same on every run.
fn stable(s: &str, f: &Fixture) -> String {
    s.replace(&f.dir.path().display().to_string(), "<data>")
}

#[test]
fn the_data_menu_opens_from_any_panel() {
    let f = Fixture::office();
    let mut app = app(&f);
    key(&mut app, KeyCode::Char('2'));
    typed(&mut app, "B");
    let s = screen(&mut app);
    for item in ["备份", "恢复", "导出", "导入居民", "月报", "导入志愿者"] {
        assert!(s.contains(item), "{s}");
    }
    assert!(s.contains("! 从未异地备份"), "the header warns: {s}");
    insta::assert_snapshot!(s);
}

#[test]
fn the_backup_screen_lists_drives_and_suggests_encryption_for_a_stick() {
    let f = Fixture::office();
    let mut app = app(&f);
    typed(&mut app, "B1");
    let s = stable(&screen(&mut app), &f);
    assert!(s.contains("U盘") && s.contains("可用 7500 MB"), "{s}");
    assert!(s.contains("本机备份文件夹"), "{s}");
    insta::assert_snapshot!(s);
    key(&mut app, KeyCode::Enter);
    assert!(screen(&mut app).contains("建议加密"));
    typed(&mut app, "y");
    typed(&mut app, "abc");
    let s = screen(&mut app);
    assert!(s.contains("密码：***") && !s.contains("abc"), "masked: {s}");
}

#[test]
fn a_backup_to_a_typed_folder_says_done_and_clears_the_warning() {
    let f = Fixture::office();
    let out = tempfile::tempdir().unwrap();
    let mut app = app(&f);
    typed(&mut app, "B1");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    typed(&mut app, &out.path().display().to_string());
    key(&mut app, KeyCode::Enter);
    // a typed path may be anywhere: it is asked about encryption (`e` would
    // be a letter of the path), and n backs up as it is
    assert!(screen(&mut app).contains("加密吗？"), "{}", screen(&mut app));
    key(&mut app, KeyCode::Char('n'));
    let s = screen(&mut app);
    assert!(s.contains("完成"), "{s}");
    assert!(!s.contains("未异地备份"), "{s}");
    let files: Vec<_> = std::fs::read_dir(out.path()).unwrap().collect();
    assert_eq!(files.len(), 1);
}

#[test]
fn the_restore_screen_shows_what_a_backup_holds_before_anything_changes() {
    let f = Fixture::office();
    let out = crate::support::fixture_dir();
    let opts = linli::store::backup::BackupOptions { operator: Some(f.workers[0]), ..Default::default() };
    let info = linli::store::backup::backup(&f.store, out.path(), now(), &opts, |_, _| {}).unwrap();
    let mut app = app(&f);
    typed(&mut app, "B2");
    // no files in the data dir's folders: the typed path is selected
    typed(&mut app, &info.path.display().to_string());
    key(&mut app, KeyCode::Enter);
    // the key is made anew in each test's data dir: its fingerprint varies
    let fingerprint = info.signer.as_ref().unwrap().fingerprint();
    let s = screen(&mut app).replace(&out.path().display().to_string(), "<out>").replace(&fingerprint, "<fingerprint>");
    assert!(s.contains("李娜") && s.contains("确定恢复吗") && s.contains("签名：本机的密钥"), "{s}");
    // what it holds, in Chinese: no internal (English) record kind
    let holds = s.lines().find(|l| l.contains("内容：")).unwrap_or_else(|| panic!("{s}"));
    assert!(holds.contains("诉求 5，居民 4，社区工作者 2，操作记录 16"), "{holds}");
    assert!(!holds.chars().any(|c| c.is_ascii_alphabetic()), "{holds}");
    for k in linli::store::record::RecordKind::ALL {
        assert!(!holds.contains(k.name()), "{holds}");
    }
    insta::assert_snapshot!(s);
    typed(&mut app, "n");
    assert!(app.sh.data.restore.is_none());
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "y");
    assert_eq!(app.sh.data.restore.as_ref().map(|r| r.file.clone()), Some(info.path.clone()));
    assert!(app.sh.quit, "the app quits so the store can be closed and restored");
}

#[test]
fn the_monthly_report_shows_this_months_figures() {
    let f = Fixture::office();
    let mut app = app(&f);
    typed(&mut app, "B5");
    let s = screen(&mut app);
    assert!(s.contains("月报 2026-11") && s.contains("本月登记诉求"), "{s}");
    insta::assert_snapshot!(s);
    typed(&mut app, "h");
    let html = f.dir.path().join("exports").join("月报-2026-11.html");
    let html = std::fs::read_to_string(html).unwrap();
    // A4, figures in their own cells (issue 15), every worker with zeros
    assert!(html.contains("@page{size:A4") && html.contains("其中办结"), "{html}");
    assert!(html.contains("志愿服务时长（按队伍）") && html.contains("<th>民情日志</th><th>走访</th>"), "{html}");
    assert!(html.contains("<td>王建国</td>"), "{html}");
}

/// In the running app the report is counted in the background: the screen
/// says so meanwhile, nothing can be written yet, and the figures appear
/// when they arrive; an answer for a month the user has left is dropped.
#[test]
fn the_monthly_report_is_counted_in_the_background() {
    let f = Fixture::office();
    let mut app = app(&f);
    let (tx, rx) = std::sync::mpsc::channel();
    app.sh.data.tx = Some(tx);
    typed(&mut app, "B5");
    let s = screen(&mut app);
    assert!(s.contains("正在统计本月数据") && !s.contains("本月登记诉求"), "{s}");
    typed(&mut app, "h");
    assert!(!f.dir.path().join("exports").exists(), "nothing to write before the figures are in");
    // the user moves on to October before November's figures arrive
    key(&mut app, KeyCode::Left);
    // the two are counted on their own threads: either may finish first
    let wait = std::time::Duration::from_secs(60);
    let (a, b) =
        (rx.recv_timeout(wait).expect("November's figures"), rx.recv_timeout(wait).expect("October's figures"));
    let is_november = |e: &linli::ui::app::AppEvent| matches!(e, linli::ui::app::AppEvent::Data(linli::ui::data::DataEvent::Report(m, _)) if m.label() == "2026-11");
    let (november, october) = if is_november(&a) { (a, b) } else { (b, a) };
    app.handle(november);
    assert!(screen(&mut app).contains("正在统计本月数据"), "November's late answer is dropped");
    app.handle(october);
    let s = screen(&mut app);
    assert!(s.contains("月报 2026-10") && s.contains("本月登记诉求"), "{s}");
    typed(&mut app, "h");
    assert!(f.dir.path().join("exports").join("月报-2026-10.html").exists());
}

#[test]
fn the_filtered_request_list_exports_to_csv() {
    let f = Fixture::office();
    let mut app = app(&f);
    typed(&mut app, "X");
    let dir = f.dir.path().join("exports");
    let file = std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap().path();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("楼道灯不亮"), "{text}");
    assert!(screen(&mut app).contains("已导出 5 行"));
}

/// The real binary in a pseudo-terminal: a backup from the data screen to
/// a folder typed by the user, done only once verified.
#[test]
fn a_backup_from_the_data_screen_in_a_terminal() {
    use crate::pty::{Key, Pty, PtyOptions};
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let opts = PtyOptions::default()
        .with_env("LINLI_DATA_DIR", dir.path().to_string_lossy())
        .with_env("LINLI_NOW", "2026-11-24T10:00:00")
        // no drive of this machine's: the list is the backups folder, then the typed path
        .with_env("LINLI_TEST_MOUNTS", "");
    let mut p = Pty::spawn(std::path::Path::new(env!("CARGO_BIN_EXE_linli")), opts);
    crate::support::first_start(&mut p, "李娜");
    p.type_text("B");
    p.wait_for("导入居民");
    p.type_text("1");
    p.wait_for("备份到");
    p.key(Key::Down);
    p.wait_for("> 输入路径");
    p.type_text(&out.path().display().to_string());
    p.key(Key::Enter);
    // a typed path is asked about encryption like a stick
    p.wait_for("加密吗？");
    p.type_text("n");
    let s = p.wait_for("完成");
    assert!(s.contains("备份已写入并校验无误"), "{s}");
    let file = std::fs::read_dir(out.path()).unwrap().next().unwrap().unwrap().path();
    // restore it: the app closes its store, restores, and opens again
    // (Esc on 完成 goes straight back to the menu)
    p.key(Key::Esc);
    p.wait_for("导入居民");
    p.type_text("2");
    p.wait_for("选择备份文件");
    // down the list (the day's snapshot, the backup just made) to the typed path
    for _ in 0..20 {
        if p.screen_text().contains("> 输入路径") {
            break;
        }
        p.key(Key::Down);
    }
    p.wait_for("> 输入路径");
    p.type_text(&file.display().to_string());
    p.key(Key::Enter);
    let s = p.wait_for("确定恢复吗");
    assert!(s.contains("备份人：李娜"), "{s}");
    p.type_text("y");
    p.wait_for("已从备份恢复");
    let kept = std::fs::read_dir(dir.path())
        .unwrap()
        .any(|e| e.unwrap().file_name().to_string_lossy().contains("before-restore"));
    assert!(kept, "the records before the restore are kept aside");
    p.key(Key::Enter);
    p.wait_for("操作员：李娜");
    p.type_text("q");
    assert!(p.wait_exit().success);
    assert!(p.terminal_mode_is_sane());
}

#[test]
fn residents_are_imported_from_a_sheet_after_a_preview() {
    let f = Fixture::office();
    let sheet = f.dir.path().join("名册.csv");
    std::fs::write(&sheet, "姓名,电话,地址\n张三,13812345678,幸福小区 3-2-301\n赵六,13600003333,幸福小区 1-1-101\n")
        .unwrap();
    let mut app = app(&f);
    typed(&mut app, "B4");
    typed(&mut app, &sheet.display().to_string());
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("可导入 1 人，重复 1 人"), "{s}");
    typed(&mut app, "y");
    let s = screen(&mut app);
    assert!(s.contains("已导入 1 人，重复跳过 1 人"), "{s}");
    assert_eq!(f.store.residents().unwrap().len(), 5);
}

/// With the loop there to hear back, the sheet is read and its rows
/// written on threads: the screen says so meanwhile, a late preview for a
/// file the user left is dropped, the result reaches the message line when
/// the user has gone on, and the import is one step of this terminal's
/// undo (the thread's writes handed to the loop).
#[test]
fn an_import_is_read_and_written_in_the_background_and_undone_as_one_step() {
    use linli::ui::app::AppEvent;
    use linli::ui::data::DataEvent;
    let f = Fixture::office();
    let sheet = f.dir.path().join("名册.csv");
    std::fs::write(&sheet, "姓名,电话,地址\n张三,13812345678,幸福小区 3-2-301\n赵六,13600003333,幸福小区 1-1-101\n孙七,13600004444,幸福小区 1-1-102\n")
        .unwrap();
    let mut app = app(&f);
    let (tx, rx) = std::sync::mpsc::channel();
    app.sh.data.tx = Some(tx);
    let wait = std::time::Duration::from_secs(60);
    let next = || rx.recv_timeout(wait).expect("the thread answers");
    let before = f.store.residents().unwrap().len();
    typed(&mut app, "B4");
    typed(&mut app, &sheet.display().to_string());
    key(&mut app, KeyCode::Enter);
    assert!(screen(&mut app).contains("正在读取并检查表格"));
    // Esc while it reads: its answer comes, and is dropped
    key(&mut app, KeyCode::Esc);
    let late = next();
    assert!(matches!(late, AppEvent::Data(DataEvent::Previewed(..))));
    app.handle(late);
    let s = screen(&mut app);
    assert!(!s.contains("可导入") && s.contains("CSV 或 XLSX"), "{s}");
    key(&mut app, KeyCode::Enter);
    let ev = next();
    app.handle(ev);
    assert!(screen(&mut app).contains("可导入 2 人，重复 1 人"));
    typed(&mut app, "y");
    let s = screen(&mut app);
    assert!(s.contains("正在导入 2 人"), "{s}");
    // the user leaves the screen; a second preview waits for this import
    // (it would not see the rows still being written)
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Enter);
    typed(&mut app, &sheet.display().to_string());
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("上一次导入还没写完"), "{s}");
    key(&mut app, KeyCode::Esc);
    // the result comes on the message line
    let done = next();
    assert!(
        matches!(&done, AppEvent::Data(DataEvent::Imported(_, set)) if set.0.len() >= 2),
        "the thread's writes come with it"
    );
    app.handle(done);
    assert!(screen(&mut app).contains("已导入 2 人，重复跳过 1 人"));
    assert_eq!(f.store.residents().unwrap().len(), before + 2);
    // out of the data screens, Ctrl+Z takes the whole import back
    key(&mut app, KeyCode::Esc);
    app.handle_key(&KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
    assert_eq!(f.store.residents().unwrap().len(), before, "{}", screen(&mut app));
}

#[test]
fn volunteers_are_imported_from_a_sheet_after_a_preview() {
    let f = Fixture::office();
    let sheet = f.dir.path().join("志愿者.csv");
    std::fs::write(
        &sheet,
        "姓名,电话,技能
张三,13812345678,理发
赵六,13600003333,书法
",
    )
    .unwrap();
    let mut app = app(&f);
    typed(&mut app, "B6");
    assert!(screen(&mut app).contains("导入志愿者"));
    typed(&mut app, &sheet.display().to_string());
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("可导入 2 人，重复 0 人"), "{s}");
    typed(&mut app, "y");
    let s = screen(&mut app);
    assert!(s.contains("已导入 2 人，重复跳过 0 人"), "{s}");
    let zhang = f.store.volunteer_of_resident(linli::domain::ResidentId(1)).unwrap();
    assert!(zhang.is_some(), "张三 is linked to the resident");
    // the same file again: nobody new
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert!(screen(&mut app).contains("可导入 0 人，重复 2 人"));
}

#[test]
fn every_kind_exports_from_the_data_screen() {
    let f = Fixture::office();
    let mut app = app(&f);
    typed(&mut app, "B3");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("已导出 4 行") && s.contains(".xlsx"), "{s}");
}

#[test]
fn a_wrong_passphrase_is_refused_on_the_restore_screen_and_nothing_is_requested() {
    let f = Fixture::office();
    let out = tempfile::tempdir().unwrap();
    let opts = linli::store::backup::BackupOptions {
        passphrase: Some("对的密码".into()),
        operator: Some(f.workers[0]),
        work_factor: Some(10),
    };
    let info = linli::store::backup::backup(&f.store, out.path(), now(), &opts, |_, _| {}).unwrap();
    let mut app = app(&f);
    typed(&mut app, "B2");
    typed(&mut app, &info.path.display().to_string());
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("密码："), "asks for the passphrase: {s}");
    typed(&mut app, "错的");
    assert!(!screen(&mut app).contains("错的"), "masked");
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("密码不对"), "{s}");
    typed(&mut app, "y");
    assert!(app.sh.data.restore.is_none() && !app.sh.quit);
}

#[test]
fn the_data_screens_fit_80x24_in_english() {
    let f = Fixture::office();
    let mut app = f.app(Lang::En);
    app.sh.data.drives = Box::new(|| vec![fake_drive()]);
    typed(&mut app, "B");
    assert!(screen(&mut app).contains("Monthly report"));
    typed(&mut app, "1");
    let s = screen(&mut app);
    assert!(s.contains("[USB]") && s.contains("free 7500 MB"), "{s}");
    key(&mut app, KeyCode::Esc);
    typed(&mut app, "5");
    let s = screen(&mut app);
    assert!(s.contains("Resolved on time") && s.contains("Requests logged"), "{s}");
    key(&mut app, KeyCode::Esc);
    typed(&mut app, "3");
    // the kinds read as a list of labels, and the key line is whole
    let s = screen(&mut app);
    assert!(s.contains("> Request") && s.contains("Standing duty") && s.contains("Audit entries"), "{s}");
    assert!(s.contains("t Format  v Full numbers  Enter Export  Esc Back"), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    assert!(app.layers.is_empty());
}

#[test]
fn a_backup_to_a_folder_that_does_not_exist_is_refused_in_the_users_words() {
    let f = Fixture::office();
    let mut app = app(&f);
    typed(&mut app, "B1");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    typed(&mut app, "/nonexistent/stick/备份.jsonl.gz");
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("加密吗"), "a typed path is offered encryption first: {s}");
    key(&mut app, KeyCode::Char('n'));
    let s = screen(&mut app);
    // the refusal itself (the header's "! 从未异地备份" also starts with "! ")
    assert!(s.contains("! 文件夹不存在：/nonexistent/stick") && !s.contains("完成"), "{s}");
    assert!(!std::path::Path::new("/nonexistent").exists());
}

#[test]
fn any_backup_can_be_encrypted_with_e_and_the_passphrase_is_typed_twice() {
    let f = Fixture::office();
    let mut app = app(&f);
    typed(&mut app, "B1");
    key(&mut app, KeyCode::Down); // the backups folder
    typed(&mut app, "e");
    typed(&mut app, "mima1");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&mut app).contains("再输一次密码"));
    typed(&mut app, "mima2");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&mut app).contains("两次密码不一样"));
    typed(&mut app, "mima1");
    key(&mut app, KeyCode::Enter);
    let s = screen(&mut app);
    assert!(s.contains("再输一次密码"), "asks again after a mismatch: {s}");
}

#[test]
fn the_import_path_can_be_corrected_after_a_failed_preview_and_cleaned_rows_are_named() {
    let f = Fixture::office();
    let sheet = f.dir.path().join("名册.csv");
    let long = "长".repeat(35);
    std::fs::write(
        &sheet,
        format!(
            "姓名,电话,住址\n零宽\u{200b}周,13900002222,幸福小区 1-1-101\n\u{1b}[2J\u{1b}[H清屏王,１３９００００３３３３,幸福小区 1-1-102\n{long},13900004444,幸福小区\n"
        ),
    )
    .unwrap();
    let mut app = app(&f);
    typed(&mut app, "B4");
    let typed_path = sheet.display().to_string();
    // one letter short: the file is not found
    typed(&mut app, &typed_path[..typed_path.len() - 1]);
    key(&mut app, KeyCode::Enter);
    let s = stable(&screen(&mut app), &f);
    assert!(s.contains("! 找不到这个文件或文件夹：<data>/名册.cs"), "in Chinese, with the path: {s}");
    assert!(s.contains("Enter 预览") && !s.contains("y 是"), "the keys of the path, no question: {s}");
    // the path can be corrected at once
    typed(&mut app, "v");
    assert!(!screen(&mut app).contains("找不到"), "typing clears the old answer");
    key(&mut app, KeyCode::Enter);
    let s = stable(&screen(&mut app), &f);
    assert!(s.contains("第 2 行：零宽周 已去掉看不见的字符"), "{s}");
    assert!(s.contains("第 3 行：清屏王 已去掉看不见的字符"), "{s}");
    assert!(s.contains("姓名太长（35 个字，最多 30 个字）"), "{s}");
    assert!(!s.contains("[2J"), "{s}");
    insta::assert_snapshot!(s);
    // one Esc leaves for the menu
    key(&mut app, KeyCode::Esc);
    assert!(screen(&mut app).contains("6 导入志愿者"));
}

#[test]
fn every_kind_and_the_trail_can_be_exported_from_the_screen() {
    let f = Fixture::office();
    let mut app = app(&f);
    typed(&mut app, "B3");
    let s = screen(&mut app);
    for kind in ["诉求", "居民", "志愿者", "服务记录", "民情日志", "操作记录"] {
        assert!(s.contains(kind), "{kind}: {s}");
    }
    insta::assert_snapshot!(s);
    key(&mut app, KeyCode::End);
    for _ in 0..20 {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    let s = stable(&screen(&mut app), &f);
    assert!(s.contains("已导出") && s.contains("操作记录-"), "the trail itself: {s}");
}

#[test]
fn after_a_backup_the_arrows_choose_again_and_esc_goes_back_once() {
    let f = Fixture::office();
    let mut app = app(&f);
    typed(&mut app, "B1");
    key(&mut app, KeyCode::Down); // the backups folder on this PC
    key(&mut app, KeyCode::Enter);
    assert!(screen(&mut app).contains("完成"));
    key(&mut app, KeyCode::Up); // the stick, at once
    let s = screen(&mut app);
    assert!(!s.contains("完成") && s.contains("> U盘"), "{s}");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert!(screen(&mut app).contains("完成"));
    key(&mut app, KeyCode::Enter);
    assert!(!screen(&mut app).contains("完成"), "Enter acknowledges, never a second backup");
    assert_eq!(std::fs::read_dir(f.dir.path().join("backups")).unwrap().count(), 2, "the two asked for, no third");
    key(&mut app, KeyCode::Esc);
    assert!(screen(&mut app).contains("6 导入志愿者"), "Esc: the menu");
}

#[test]
fn a_restore_keeps_the_header_quiet_when_a_backup_just_left() {
    // the office backs up to a stick, then restores that very backup (cut
    // before its own making was recorded): the app opens again without
    // "! 从未异地备份"
    let f = Fixture::office();
    let stick = tempfile::tempdir().unwrap();
    let opts = linli::store::backup::BackupOptions { passphrase: None, operator: None, work_factor: Some(10) };
    let info = linli::store::backup::backup(&f.store, stick.path(), now(), &opts, |_, _| {}).unwrap();
    let Fixture { dir, store, cal, cats, .. } = f;
    drop(store);
    linli::store::backup::restore(&info.path, dir.path(), None, now(), |_, _| {}).unwrap();
    let store = std::sync::Arc::new(linli::store::Store::open(dir.path()).unwrap());
    let f = Fixture { dir, store, cal, cats, workers: Vec::new(), requests: Vec::new() };
    let mut app = app(&f);
    let s = screen(&mut app);
    assert!(!s.contains("未异地备份"), "{s}");
}

/// The community profile (issue 15) is filled in from the data menu: what
/// is typed is kept in the store and printed on every sheet.
#[test]
fn the_community_profile_is_filled_in_on_the_data_screen() {
    let f = Fixture::office();
    let mut app = app(&f);
    typed(&mut app, "B7");
    let s = screen(&mut app);
    assert!(s.contains("社区信息") && s.contains("社区名称") && s.contains("出具单位"), "{s}");
    typed(&mut app, "幸福里社区");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "玉林街道");
    for _ in 0..4 {
        key(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "幸福里社区居民委员会");
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let p = f.store.profile().unwrap();
    assert_eq!((p.name.as_str(), p.street.as_str()), ("幸福里社区", "玉林街道"));
    assert_eq!(p.issuer().as_deref(), Some("幸福里社区居民委员会"));
    let s = screen(&mut app);
    assert!(s.contains("社区信息已保存"), "{s}");
}
