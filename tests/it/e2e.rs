//! End to end: the real binary in a pseudo-terminal, keys in, screen out.

use crate::pty::{Key, Pty, PtyOptions};
use linli::domain::RequestId;
use linli::domain::request::Status;
use std::path::Path;

fn linli(dir: &Path) -> Pty {
    crate::support::linli_pty(dir)
}

/// Logs a request with a new resident, typed in Chinese. Returns the screen.
fn log_request(p: &mut Pty, title: &str, resident: &str, phone: &str) -> String {
    p.type_text("n");
    p.wait_for("登记新诉求");
    p.key(Key::Tab);
    p.key(Key::Tab);
    p.type_text(title);
    p.key(Key::Tab);
    p.type_text("晚上漆黑，老人上下楼不安全");
    p.key(Key::Tab);
    p.type_text("幸福小区3栋");
    p.key(Key::Tab);
    p.key(Key::Enter);
    p.wait_for("选择居民");
    p.type_text(resident);
    p.wait_for(&format!("新建居民“{resident}”"));
    p.key(Key::Down);
    p.key(Key::Enter);
    p.wait_for("新增居民");
    p.type_text(phone);
    p.key(Key::Ctrl('s'));
    p.wait_until("the resident in the request form", |s| s.contains("登记新诉求") && s.contains(resident));
    p.key(Key::Ctrl('s'));
    p.wait_for("已保存诉求")
}

#[test]
fn a_request_is_logged_assigned_resolved_and_found_again_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = linli(dir.path());
    crate::support::first_start(&mut p, "李娜");
    let s = log_request(&mut p, "三号楼楼道灯不亮", "张三", "13812345678");
    assert!(s.contains("2026-000001") && s.contains("三号楼楼道灯不亮"), "{s}");
    assert!(s.contains("138****5678"), "phones are masked: {s}");
    // assign
    p.type_text("m");
    p.wait_for("1 分派");
    p.type_text("1");
    p.wait_for("选择社区工作者");
    p.key(Key::Enter);
    p.wait_for("已分派");
    // resolve: the menu now offers 开始办理, 办结, …
    p.type_text("m");
    p.wait_for("2 办结");
    p.type_text("2");
    p.wait_for("办理结果");
    p.type_text("已更换灯泡，居民确认");
    p.key(Key::Ctrl('s'));
    let s = p.wait_for("已办结");
    assert!(s.contains("已更换灯泡"), "{s}");
    p.type_text("q");
    let exit = p.wait_exit();
    assert!(exit.success, "{exit:?}");
    assert!(p.terminal_mode_is_sane(), "{:?}", p.terminal_mode());

    // again: pick the operator, find the request by the resident's initials
    let mut p = linli(dir.path());
    p.wait_for("请选择操作员");
    p.key(Key::Enter);
    p.wait_for("操作员：李娜");
    p.type_text("/zs");
    let s = p.wait_for("共 1 条");
    assert!(s.contains("三号楼楼道灯不亮") && s.contains("已办结"), "{s}");
    p.key(Key::Enter);
    p.key(Key::Enter);
    let s = p.wait_for("办理记录（3）");
    assert!(s.contains("[办结] 已更换灯泡"), "{s}");
    p.type_text("q");
    p.wait_exit();
    assert!(p.terminal_mode_is_sane());
}

#[test]
fn killing_the_process_mid_write_loses_nothing_that_was_saved() {
    let dir = tempfile::tempdir().unwrap();
    let markers = dir.path().join("markers.txt");
    let opts = PtyOptions::default()
        .with_env("LINLI_DATA_DIR", dir.path().to_string_lossy())
        .with_env("LINLI_NOW", "2026-11-24T10:00:00")
        .with_env("LINLI_TEST_MARKERS", markers.to_string_lossy());
    let mut p = Pty::spawn(Path::new(env!("CARGO_BIN_EXE_linli")), opts);
    crate::support::first_start(&mut p, "王芳");
    let mut saved = Vec::new();
    for i in 1..=3u64 {
        let s = log_request(&mut p, &format!("第{i}件诉求"), &format!("居民{i}"), &format!("1390000000{i}"));
        assert!(s.contains(&format!("已保存诉求 2026-00000{i}")), "{s}");
        saved.push(RequestId::new(2026, i));
    }
    // start a fourth save and kill the process while it is under way
    p.type_text("n");
    p.wait_for("登记新诉求");
    p.key(Key::Tab);
    p.key(Key::Tab);
    p.type_text("第4件诉求");
    let begun = || std::fs::read_to_string(&markers).unwrap_or_default().matches("begin").count();
    let before = begun();
    p.key(Key::Ctrl('s'));
    // kill once the save has begun (the store's own marker), never before
    let t = std::time::Instant::now();
    while begun() == before {
        assert!(t.elapsed() < std::time::Duration::from_secs(10), "the fourth save never began: {}", p.screen_text());
    }
    p.kill();
    let landed = crate::powercut::landed(&markers);
    assert_ne!(landed, crate::powercut::Landed::Before);
    assert!(!p.terminal_mode_is_sane(), "SIGKILL cannot restore the terminal: the check must see that");

    let store = linli::store::Store::open(dir.path()).expect("the store opens cleanly after SIGKILL");
    for id in &saved {
        let r = store.request(*id).unwrap().expect("a request reported saved is there");
        assert_eq!(r.status, Status::Logged);
        assert!(r.resident.is_some());
    }
    // the fourth is either wholly there or wholly absent, never half-written;
    // there for certain when the kill came after its save ended
    match store.request(RequestId::new(2026, 4)).unwrap() {
        Some(r) => assert_eq!(r.title, "第4件诉求"),
        None => assert_eq!(landed, crate::powercut::Landed::Inside, "a save that ended was lost"),
    }
    eprintln!("e2e kill landed {landed:?}");
    assert_eq!(store.residents().unwrap().len(), 3);
    let mut n = 0;
    store.scan_requests(|_| n += 1).unwrap();
    assert!((3..=4).contains(&n));
}

#[test]
fn a_second_instance_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = linli(dir.path());
    crate::support::first_start(&mut first, "李娜");
    let mut second = linli(dir.path());
    let exit = second.wait_exit();
    assert!(!exit.success);
    let out = String::from_utf8_lossy(&second.raw_output()).into_owned();
    assert!(out.contains("正被另一个邻里窗口使用"), "{out}");
    assert!(second.terminal_mode_is_sane());
    first.type_text("q");
    first.wait_exit();
}

#[test]
fn a_panic_inside_the_app_still_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let opts = PtyOptions::default()
        .with_env("LINLI_DATA_DIR", dir.path().to_string_lossy())
        .with_env("LINLI_TEST_PANIC", "1");
    let mut p = Pty::spawn(Path::new(env!("CARGO_BIN_EXE_linli")), opts);
    let exit = p.wait_exit();
    assert!(!exit.success);
    let mode = p.terminal_mode();
    assert!(mode.is_sane(), "{mode:?}");
    assert!(!mode.bracketed_paste, "bracketed paste is turned off too: {mode:?}");
    let out = String::from_utf8_lossy(&p.raw_output()).into_owned();
    assert!(out.contains("deliberate panic"), "the panic message is shown after restoring: {out}");
}

#[cfg(unix)]
#[test]
fn closing_the_terminal_window_saves_the_index_and_the_days_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = linli(dir.path());
    crate::support::first_start(&mut p, "李娜");
    log_request(&mut p, "楼道灯不亮", "王建国", "13812345678");
    // what a terminal emulator sends when its window is closed
    let pid = p.pid().expect("pid") as i32;
    // SAFETY: a signal to the child this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGHUP) }, 0);
    let exit = p.wait_exit();
    assert!(exit.success, "the app ends by itself, not by the signal: {exit:?}");
    let mode = p.terminal_mode();
    assert!(mode.is_sane() && !mode.bracketed_paste, "{mode:?}");
    // the index describes the store as it is now: the next start reads it
    let store = linli::store::Store::open(dir.path()).unwrap();
    let generation = store.generation().unwrap();
    assert_eq!(linli::store::index_cache::made_at(dir.path()), Some(generation));
    let index = linli::store::index_cache::read(dir.path(), generation).expect("a whole index");
    assert_eq!(index.residents().count(), 1);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    assert!(!linli::store::snapshot::is_due(dir.path(), today), "the day's snapshot was made");
}

#[test]
fn quitting_normally_leaves_no_mode_behind() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = linli(dir.path());
    p.wait_for("欢迎使用邻里");
    p.type_text("q");
    assert!(p.wait_exit().success);
    let mode = p.terminal_mode();
    assert!(mode.is_sane() && !mode.bracketed_paste && !mode.mouse_reporting, "{mode:?}");
}

#[test]
fn with_a_pin_nothing_shows_until_it_is_typed() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = linli::store::Store::open(dir.path()).unwrap();
        let w = store.create_worker("李娜", "网格员", None, crate::support::now()).unwrap();
        let cal = linli::domain::WorkCalendar::builtin();
        let nr = crate::support::new_request("其他", "机密诉求", None, linli::domain::request::Channel::Visit);
        store.create_request(&nr, w.id, crate::support::now(), &Default::default(), &cal).unwrap();
    }
    // a script gives the PIN on standard input (new, then again)
    let mut set = std::process::Command::new(env!("CARGO_BIN_EXE_linli"))
        .args(["pin", "set"])
        .env("LINLI_DATA_DIR", dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        set.stdin.take().unwrap().write_all(b"2468\n2468\n").unwrap();
    }
    let set = set.wait_with_output().unwrap();
    assert!(set.status.success(), "{}", String::from_utf8_lossy(&set.stderr));
    let mut p = linli(dir.path());
    let s = p.wait_for("请输入开机密码");
    assert!(!s.contains("机密诉求"), "records are hidden behind the PIN: {s}");
    p.type_text("1111");
    p.key(Key::Enter);
    p.wait_for("密码不对");
    p.type_text("2468");
    p.key(Key::Enter);
    p.wait_for("请选择操作员");
    p.key(Key::Enter);
    p.wait_for("机密诉求");
    p.type_text("q");
    p.wait_exit();
}
