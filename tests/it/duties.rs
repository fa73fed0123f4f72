//! The duties board: its records come back after reopening, the schema 1
//! store of the foundation is migrated, the screens read right at 80×24 and
//! 120×40, and, end to end in a pseudo-terminal, a daily-log entry typed in
//! Chinese becomes a request that is on the worker's board after a restart.

use crate::pty::{Key, Pty};
use crate::support::{Fixture, at, now};
use linli::domain::duties::evaluation::Evaluation;
use linli::domain::duties::leave::{Leave, LeaveKind, LeaveMove, LeaveStatus};
use linli::domain::duties::log::{LogEntry, LogKind};
use linli::domain::duties::rota::{self, RotaSlot};
use linli::domain::duties::standing::{Duty, Period};
use linli::domain::duties::task::{Task, TaskStatus};
use linli::domain::duties::training::{Training, TrainingKind};
use linli::domain::duties::{DutyId, LeaveId, LogId, TaskId, TrainingId};
use linli::domain::worker::WorkerStatus;
use linli::domain::{RequestId, ResidentId, WorkerId};
use linli::i18n::Lang;
use linli::store::Store;
use linli::store::audit::AuditAction;
use linli::store::record::RecordKind;
use linli::ui::app::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;
use std::path::Path;

fn d(m: u32, day: u32) -> chrono::NaiveDate {
    ymd(2026, m, day)
}

fn ymd(y: i32, m: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn reopen(f: Fixture) -> (tempfile::TempDir, Store) {
    let Fixture { dir, store, .. } = f;
    drop(store);
    let s = open_again(dir.path());
    (dir, s)
}

/// sled lets go of its lock file a moment after the last handle drops.
fn open_again(dir: &Path) -> Store {
    for _ in 0..50 {
        match Store::open(dir) {
            Err(linli::store::StoreError::Locked(_)) => std::thread::sleep(std::time::Duration::from_millis(20)),
            other => return other.unwrap(),
        }
    }
    Store::open(dir).unwrap()
}

/// The office of `Fixture::office` with the duties board filled in: 李娜
/// (网格员, 第3网格) visits the elderly living alone in her grid every week;
/// 张三 (独居老人) was visited on Monday, 欧阳娜娜 is not tagged; the
/// November rota; 李娜 on leave on 26 Nov (approved after the rota was
/// made); two tasks (one overdue); training; last year's evaluation.
fn duties_office() -> Fixture {
    let f = Fixture::office();
    let s = f.store.clone();
    let (li, wang) = (f.workers[0], f.workers[1]);
    let t0 = at(2026, 11, 2, 9, 0);
    // a third worker so the rota has a rotation
    let zhao = s.create_worker("赵敏", "专干", Some(wang), t0).unwrap();
    for (id, grade, areas, start) in [
        (li, "三岗四级", vec!["综治", "老龄"], Some(ymd(2019, 3, 1))),
        (wang, "一岗二级", vec!["党建", "民政"], Some(ymd(2012, 5, 1))),
        (zhao.id, "三岗二级", vec!["社保"], Some(ymd(2023, 9, 1))),
    ] {
        let mut w = s.worker(id).unwrap().unwrap();
        w.grade = grade.into();
        w.areas = areas.into_iter().map(String::from).collect();
        w.start = start;
        w.phone = match id.0 {
            1 => "13812340001".into(),
            2 => "02888880002".into(),
            _ => String::new(),
        };
        w.grid = if id == li { "第3网格".into() } else { String::new() };
        s.update_worker(&w, wang, t0).unwrap();
    }
    let duty = Duty {
        id: DutyId(0),
        worker: li,
        title: "每周走访第3网格独居老人".into(),
        period: Period::Weekly,
        tag: "独居老人".into(),
        grid: "第3网格".into(),
        active: true,
        since: d(1, 1),
    };
    s.create_duty(&duty, wang, t0).unwrap();
    s.create_duty(
        &Duty { title: "每周巡查消防通道".into(), tag: String::new(), grid: String::new(), ..duty },
        wang,
        t0,
    )
    .unwrap();
    // the November rota, generated as the office would
    let cal = &f.cal;
    let days = rota::duty_days(d(11, 1), d(11, 30), cal, false);
    let slots = rota::generate(&days, &[li, wang, zhao.id], |_, _| false, &HashMap::new());
    s.save_rota(&slots, wang, t0).unwrap();
    // leave approved after the rota: on a day 李娜 is on duty
    let her_day = slots.iter().find(|x| x.worker == Some(li) && x.date > d(11, 24)).unwrap().date;
    let mut l =
        Leave::new(LeaveId(0), li, LeaveKind::Personal, her_day, her_day, "孩子开家长会", at(2026, 11, 20, 9, 0));
    l = s.create_leave(&l, li, at(2026, 11, 20, 9, 0)).unwrap();
    let boss = s.worker(wang).unwrap().unwrap();
    let all = s.workers().unwrap();
    s.move_leave(l.id, LeaveMove::Approve("同意".into()), &boss, &all, at(2026, 11, 20, 10, 0)).unwrap();
    // a visit on Monday
    let visit = LogEntry {
        id: LogId(0),
        worker: li,
        date: d(11, 23),
        kind: LogKind::Visit,
        residents: vec![ResidentId(1)],
        found: "张三身体状况良好，家中燃气安全".into(),
        follow_up: "下周再访".into(),
        request: None,
        comments: vec![],
        logged_at: at(2026, 11, 23, 17, 0),
    };
    s.create_log(&visit, li, at(2026, 11, 23, 17, 0)).unwrap();
    for (title, due) in [("报送本月低保动态管理台账", d(11, 20)), ("组织冬季消防安全演练", d(12, 4))]
    {
        let t = Task {
            id: TaskId(0),
            worker: li,
            title: title.into(),
            detail: String::new(),
            due,
            status: TaskStatus::Open,
            closed_on: None,
            assigned_by: wang,
            created: d(11, 10),
        };
        s.create_task(&t, wang, at(2026, 11, 10, 9, 0)).unwrap();
    }
    let tr = |w: WorkerId, date, kind, half_days, title: &str| Training {
        id: TrainingId(0),
        worker: w,
        date,
        kind,
        title: title.into(),
        half_days,
        organizer: "区民政局".into(),
    };
    let mut records = vec![tr(li, d(3, 12), TrainingKind::Training, 6, "网格化管理业务培训")];
    for m in 1..=10 {
        if m != 9 {
            records.push(tr(li, d(m, 12), TrainingKind::Study, 1, "集中学习"));
        }
    }
    s.record_training(&records, wang, at(2026, 11, 1, 9, 0)).unwrap();
    let mut ev = Evaluation::new(2025, li);
    (ev.street, ev.residents, ev.own) = (Some(920), Some(880), Some(950));
    ev.comment = "走访扎实，群众评价好".into();
    s.put(&ev, wang, at(2026, 1, 10, 9, 0)).unwrap();
    f
}

// ---- the store ----------------------------------------------------------------

#[test]
fn duties_records_come_back_after_reopening() {
    let f = duties_office();
    let li = f.workers[0];
    let before_slots = f.store.rota_between(d(11, 1), d(11, 30)).unwrap();
    let (_dir, s) = reopen(f);
    assert_eq!(s.rota_between(d(11, 1), d(11, 30)).unwrap(), before_slots);
    assert_eq!(s.duties_of(li).unwrap().len(), 2);
    assert_eq!(s.tasks_of(li).unwrap().len(), 2);
    let leaves = s.leaves_of(li).unwrap();
    assert_eq!(leaves.len(), 1);
    assert_eq!((leaves[0].status, leaves[0].decided_by), (LeaveStatus::Approved, Some(WorkerId(2))));
    // the approved leave falls on one of her shifts: the rota shows the conflict
    let conflicts =
        rota::conflicts(&before_slots, &rota::duty_days(d(11, 1), d(11, 30), &Default::default(), false), &leaves, &[]);
    assert!(conflicts.iter().any(|c| matches!(c, rota::Conflict::OnLeave { worker, .. } if *worker == li)));
    assert_eq!(s.trainings_of(li).unwrap().len(), 10);
    assert_eq!(s.evaluations(2025).unwrap()[0].comment, "走访扎实，群众评价好");
    assert!(s.evaluations(2026).unwrap().is_empty());
    // the log, by worker and by resident
    assert_eq!(s.recent_logs_of(li, d(11, 1)).unwrap().len(), 1);
    assert_eq!(s.visits_of(ResidentId(1), d(11, 23)).unwrap(), vec![d(11, 23)]);
    assert!(s.visits_of(ResidentId(2), d(11, 1)).unwrap().is_empty());
    // workers keep their schema-2 fields
    let w = s.worker(li).unwrap().unwrap();
    assert_eq!((w.grade.as_str(), w.areas.len(), w.start), ("三岗四级", 2, Some(ymd(2019, 3, 1))));
}

#[test]
fn a_log_entry_is_one_write_with_its_audit_entry_and_swaps_are_one_too() {
    let f = duties_office();
    let (li, wang) = (f.workers[0], f.workers[1]);
    let audit_before = f.store.audit_entries(10_000, |_| true).unwrap().len();
    let e = LogEntry {
        id: LogId(0),
        worker: li,
        date: d(11, 24),
        kind: LogKind::Patrol,
        residents: vec![],
        found: "消防通道被电动车占用\u{1b}[2J".into(),
        follow_up: String::new(),
        request: None,
        comments: vec![],
        logged_at: now(),
    };
    let e = f.store.create_log(&e, li, now()).unwrap();
    assert_eq!(e.id, LogId(2), "ids continue after the fixture's entry");
    assert_eq!(f.store.audit_entries(10_000, |_| true).unwrap().len(), audit_before + 1);
    let a = d(11, 25);
    let b = d(11, 26);
    let sa = f.store.get::<RotaSlot>(rota::slot_key(a, 0)).unwrap().unwrap();
    let sb = f.store.get::<RotaSlot>(rota::slot_key(b, 0)).unwrap().unwrap();
    f.store.swap_rota(a, b, wang, now()).unwrap();
    let (_dir, s) = reopen(f);
    assert_eq!(s.get::<RotaSlot>(rota::slot_key(a, 0)).unwrap().unwrap().worker, sb.worker);
    assert_eq!(s.get::<RotaSlot>(rota::slot_key(b, 0)).unwrap().unwrap().worker, sa.worker);
    // the index follows the swap
    let hers: Vec<_> = s.rota_of(li).unwrap().iter().map(|x| x.date).collect();
    assert_eq!(hers.contains(&a), sb.worker == Some(li));
    let audit = s.audit_entries(2, |_| true).unwrap();
    assert!(audit.iter().all(|x| x.kind == RecordKind::RotaSlot && x.action == AuditAction::Update));
    // the store keeps what it is given (it sits below the forms and imports,
    // which clean text on its way in: see the test below); what matters is
    // that the entry came back whole after the reopen
    assert_eq!(s.log_entry(LogId(2)).unwrap().unwrap().found, e.found);
}

/// SAFETY.md §9: control characters and escape sequences are taken out on
/// their way into a record. A paste with ESC[2J and an OSC title change
/// into the log form's 发现 field is saved without them.
#[test]
fn a_pasted_escape_sequence_never_enters_a_log_entry() {
    use ratatui::crossterm::event::Event;
    let f = duties_office();
    let mut app = f.app(Lang::Zh);
    key(&mut app, KeyCode::Char('L'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    app.handle(linli::ui::app::AppEvent::Term(Event::Paste(
        "消防通道\u{1b}[2J被电动车\u{1b}]0;pwned\u{7}占用\u{202e}".into(),
    )));
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    app.settle();
    let e = f.store.log_entry(LogId(2)).unwrap().expect("the entry was saved");
    assert!(
        e.found.starts_with("消防通道") && e.found.contains("被电动车") && e.found.contains("占用"),
        "{:?}",
        e.found
    );
    assert!(!e.found.chars().any(|c| c.is_control() || linli::domain::text::is_invisible(c)), "{:?}", e.found);
    assert!(!e.found.contains("[2J") && !e.found.contains("pwned"), "the whole sequence goes: {:?}", e.found);
}

#[test]
fn leave_rules_hold_in_the_store() {
    let f = duties_office();
    let (li, wang) = (f.workers[0], f.workers[1]);
    let s = &f.store;
    let all = s.workers().unwrap();
    let lina = s.worker(li).unwrap().unwrap();
    let boss = s.worker(wang).unwrap().unwrap();
    // overlapping her approved day: refused
    let day = s.leaves_of(li).unwrap()[0].from;
    let l = Leave::new(LeaveId(0), li, LeaveKind::Annual, day, day, "", now());
    assert!(s.create_leave(&l, li, now()).is_err());
    // a worker cannot approve, not even their own
    let l = Leave::new(LeaveId(0), li, LeaveKind::Annual, d(12, 14), d(12, 18), "回老家", now());
    let l = s.create_leave(&l, li, now()).unwrap();
    assert_eq!(l.working_days(&f.cal), 5);
    assert!(s.move_leave(l.id, LeaveMove::Approve(String::new()), &lina, &all, now()).is_err());
    let l = s.move_leave(l.id, LeaveMove::Approve("同意".into()), &boss, &all, now()).unwrap();
    assert_eq!(l.status, LeaveStatus::Approved);
    // she comes back a day early
    let l = s.move_leave(l.id, LeaveMove::Close(d(12, 18)), &lina, &all, at(2026, 12, 18, 8, 30)).unwrap();
    let (_dir, s) = reopen(f);
    let back = s.leaves_of(li).unwrap().into_iter().find(|x| x.id == l.id).unwrap();
    assert_eq!((back.status, back.working_days(&Default::default())), (LeaveStatus::Closed, 4));
}

#[test]
fn the_foundations_store_is_migrated_to_schema_2() {
    // a data dir written by the foundation (schema 1), copied so the fixture stays frozen
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/fixtures/v1-office/store");
    let dir = tempfile::tempdir().unwrap();
    let dst = dir.path().join("store");
    std::fs::create_dir_all(&dst).unwrap();
    for entry in std::fs::read_dir(&src).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), dst.join(entry.file_name())).unwrap();
        }
    }
    let mut told = Vec::new();
    let s =
        Store::open_with(dir.path(), &mut |from, to| told.push((from, to))).expect("schema 1 opens and is migrated");
    assert_eq!(told, [(1, linli::store::schema::SCHEMA_VERSION)], "the caller hears of the upgrade before it runs");
    let workers = s.workers().unwrap();
    assert_eq!(workers.iter().map(|w| w.name.as_str()).collect::<Vec<_>>(), ["李娜", "王建国"]);
    assert!(workers.iter().all(|w| w.status == WorkerStatus::InPost && w.grade.is_empty() && w.areas.is_empty()));
    // everything else is as the foundation left it
    assert_eq!(s.residents().unwrap().len(), 4);
    let r = s.request(RequestId::new(2026, 3)).unwrap().unwrap();
    assert_eq!(r.title, "有人遛狗不牵绳");
    assert!(s.audit_entries(1000, |_| true).unwrap().len() >= 11, "the old audit trail still reads");
    // and it takes the new records
    let mut w = workers[0].clone();
    w.grade = "三岗四级".into();
    s.update_worker(&w, w.id, now()).unwrap();
    drop(s);
    let s = open_again(dir.path());
    assert_eq!(s.worker(w.id).unwrap().unwrap().grade, "三岗四级");
    assert_eq!(
        s.stored_schema_version().unwrap(),
        6,
        "and on through schema 3 (packed indexes), 4 (work-order numbers), 5 (the 12345 loop) and 6 (德能勤绩廉)"
    );
    assert!(s.request(RequestId::new(2026, 3)).unwrap().unwrap().work_order.is_empty());
}

// ---- the screens ----------------------------------------------------------------

fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.draw(f)).unwrap();
    t
}

use crate::screens::text;

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(&KeyEvent::new(code, KeyModifiers::NONE));
    app.settle();
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn board(f: &Fixture, lang: Lang) -> App {
    let mut app = f.app(lang);
    key(&mut app, KeyCode::Char('3'));
    app
}

#[test]
fn the_board_80x24_puts_overdue_first_and_names_who_is_not_visited() {
    let f = duties_office();
    // 单田芳 is elderly and alone too, and not visited this week
    let mut shan = f.store.resident(ResidentId(3)).unwrap().unwrap();
    shan.tags.push("独居老人".into());
    f.store.update_resident(&shan, f.workers[0], now()).unwrap();
    let mut app = f.app(Lang::Zh);
    app.settle();
    key(&mut app, KeyCode::Char('3'));
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    assert!(s.contains("3 职责"), "{s}");
    assert!(s.contains("李娜 · 网格员 · 三岗四级 · 第3网格 · 分工：综治、老龄"), "{s}");
    assert!(s.contains("本周 1/2 未走访 1：单田芳"), "{s}");
    // overdue first: the task due 20 Nov, then the requests and the December task
    let overdue = s.find("!!逾期2个工作日  任务 报送本月低保动态管理台账").expect(&s);
    let later = s.find("12-04            任务 组织冬季消防安全演练").expect(&s);
    assert!(overdue < later);
    assert!(s.contains("诉求 2026-000001 楼道灯不亮"), "the request assigned to her: {s}");
    assert!(s.contains("! 缺 9 月集中学习"), "{s}");
    assert!(s.contains("n 新任务") && s.contains("L 日志"), "footer: {s}");
    insta::assert_snapshot!(t.backend());
    // Enter on the duty lists the residents not yet visited; Enter on one logs a visit
    key(&mut app, KeyCode::Enter);
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("· 单田芳") && s.contains("锦绣花园 2-3-601"), "{s}");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("写民情日志 · 李娜") && s.contains("单田芳"), "{s}");
}

fn ctrl(app: &mut App, c: char) {
    app.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    app.settle();
}

#[test]
fn a_resident_saved_during_the_session_is_on_the_board_until_undone() {
    let f = duties_office();
    let mut app = f.app(Lang::Zh);
    // a new resident through the residents' form: elderly, alone, in grid 3
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "钱多多");
    for text in ["", "幸福小区 5-1-102", "第3网格", "独居老人"] {
        key(&mut app, KeyCode::Tab);
        typed(&mut app, text);
    }
    ctrl(&mut app, 's');
    assert!(app.layers.is_empty(), "saved: {:?}", app.sh.message);
    key(&mut app, KeyCode::Char('3'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("本周 1/2 未走访 1：钱多多"), "{s}");
    key(&mut app, KeyCode::Enter);
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("· 钱多多") && s.contains("幸福小区 5-1-102"), "{s}");
    // undone on the board itself: the board follows at once
    ctrl(&mut app, 'z');
    let s = text(&draw(&mut app, 80, 24));
    // (the message names her: 已撤销：居民 钱多多)
    assert!(s.contains("本周 1/1") && !s.contains("未走访 1：钱多多") && !s.contains("· 钱多多"), "{s}");
    ctrl(&mut app, 'y');
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("本周 1/2 未走访 1：钱多多"), "{s}");
}

#[test]
fn a_resident_tagged_while_the_lists_load_is_on_the_board_once_they_have() {
    let f = duties_office();
    // the background load read the store before the change below
    let early = linli::ui::app::Loaded::read(&f.store).unwrap();
    let mut app = f.app_as_started(Lang::Zh);
    app.layers.clear();
    app.sh.operator = Some(f.workers[0]);
    let mut shan = f.store.resident(ResidentId(3)).unwrap().unwrap();
    shan.tags.push("独居老人".into());
    f.store.update_resident(&shan, f.workers[0], now()).unwrap();
    app.settle();
    app.finish_loading(early);
    key(&mut app, KeyCode::Char('3'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("本周 1/2 未走访 1：单田芳"), "{s}");
}

#[test]
fn the_board_120x40_in_english_and_the_header_shows_who_is_on_duty() {
    let f = duties_office();
    let today = f.store.get::<RotaSlot>(rota::slot_key(d(11, 24), 0)).unwrap().unwrap().worker.unwrap();
    let name = f.store.worker(today).unwrap().unwrap().name;
    let mut app = board(&f, Lang::En);
    let t = draw(&mut app, 120, 40);
    let s = text(&t);
    assert!(s.contains(&format!("On duty: {name}")), "{s}");
    assert!(s.contains("Standing duties (2)") && (s.contains("1 not visited") || s.contains("all visited")), "{s}");
    assert!(s.contains("2 wd late"), "{s}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn the_rota_month_80x24_marks_holidays_and_the_leave_conflict() {
    let f = duties_office();
    let mut app = board(&f, Lang::Zh);
    typed(&mut app, "]]");
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    assert!(s.contains("2026年11月") && s.contains("值班日 21 天") && s.contains("!1 处冲突"), "{s}");
    assert!(s.contains("!李娜"), "the conflict is marked without colour: {s}");
    assert!(s.contains("24*"), "today: {s}");
    assert!(s.contains("28 休"), "{s}");
    insta::assert_snapshot!(t.backend());
    // moving onto the conflict says what is wrong; s … s swaps it away
    let conflict = app.panels.duties.conflicts[0].date();
    while app.panels.duties.cursor < conflict {
        key(&mut app, KeyCode::Right);
    }
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("! 李娜 当天请假，请调换"), "{s}");
    key(&mut app, KeyCode::Char('s'));
    key(&mut app, KeyCode::Right);
    while app.panels.duties.slots.iter().find(|x| x.date == app.panels.duties.cursor).and_then(|x| x.worker)
        == Some(f.workers[0])
        || !app.sh.cal.is_working_day(app.panels.duties.cursor)
    {
        key(&mut app, KeyCode::Right);
    }
    key(&mut app, KeyCode::Char('s'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("已调换"), "{s}");
    assert!(app.panels.duties.conflicts.is_empty(), "{:?}", app.panels.duties.conflicts);
    // December, generated: no conflict
    key(&mut app, KeyCode::PageDown);
    key(&mut app, KeyCode::Char('g'));
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    app.settle();
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("已生成值班表") && s.contains("2026年12月") && !s.contains("冲突"), "{s}");
}

#[test]
fn the_log_view_lists_the_month_and_searches_everything() {
    let f = duties_office();
    let mut app = board(&f, Lang::Zh);
    typed(&mut app, "]]]]");
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    assert!(s.contains("民情日志 · 李娜 · 2026年11月 · 共 1 条"), "{s}");
    assert!(s.contains("11-23 走访 张三") && s.contains("情况：张三身体状况良好"), "{s}");
    insta::assert_snapshot!(t.backend());
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "燃气");
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("共 1 条") && s.contains("26-11-23"), "{s}");
    key(&mut app, KeyCode::Esc);
    // a grid worker may not comment; the director may
    key(&mut app, KeyCode::Char('c'));
    assert!(
        app.sh.message.as_ref().is_some_and(|(m, err)| *err && m.contains("只有书记、主任")),
        "{:?}",
        app.sh.message
    );
    app.sh.operator = Some(f.workers[1]);
    // the director looks at 李娜's log: w, her name, Enter
    key(&mut app, KeyCode::Char('w'));
    typed(&mut app, "李娜");
    key(&mut app, KeyCode::Enter);
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("民情日志 · 李娜"), "{s}");
    key(&mut app, KeyCode::Char('c'));
    typed(&mut app, "走访及时");
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    app.settle();
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("点评 王建国") && s.contains("走访及时"), "{s}");
}

#[test]
fn registry_leave_training_and_evaluation_at_120x40() {
    let f = duties_office();
    let mut app = board(&f, Lang::Zh);
    key(&mut app, KeyCode::Char(']'));
    let t = draw(&mut app, 120, 40);
    let s = text(&t);
    assert!(s.contains("李娜") && s.contains("138****0001") && !s.contains("13812340001"), "masked: {s}");
    assert!(s.contains("三岗四级") && s.contains("综治、老龄"), "{s}");
    insta::assert_snapshot!("registry_120x40", t.backend());
    typed(&mut app, "]]");
    let s = text(&draw(&mut app, 120, 40));
    assert!(s.contains("李娜") && s.contains("事假") && s.contains("已批准"), "{s}");
    assert!(s.contains("与值班冲突"), "{s}");
    typed(&mut app, "]]");
    let t = draw(&mut app, 120, 40);
    let s = text(&t);
    // 3 days of training and no study in September: behind on both
    assert!(s.contains("3/7") && s.contains("●●●●●●●●○●··") && s.contains("! 落后"), "{s}");
    insta::assert_snapshot!("training_120x40", t.backend());
    key(&mut app, KeyCode::Char(']'));
    let t = draw(&mut app, 120, 40);
    let s = text(&t);
    // 2025: 0.5*92 + 0.3*88 + 0.2*95 = 91.4, 优秀
    assert!(s.contains("年度考评 · 2025年") && s.contains("91.4") && s.contains("优秀"), "{s}");
    insta::assert_snapshot!("evaluation_120x40", t.backend());
}

#[test]
fn exports_are_written_escaped_into_the_data_dir() {
    let f = duties_office();
    let mut w = f.store.worker(f.workers[1]).unwrap().unwrap();
    w.areas.push("<b>信访</b>".into());
    f.store.update_worker(&w, w.id, now()).unwrap();
    let mut app = f.app(Lang::Zh);
    app.sh.workers = f.store.workers().unwrap();
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char(']'));
    key(&mut app, KeyCode::Char('x'));
    let (msg, err) = app.sh.message.clone().unwrap();
    assert!(!err && msg.contains("exports") && msg.contains("分工公示_2026-11-24"), "{msg}");
    let html = std::fs::read_to_string(f.dir.path().join("exports/分工公示_2026-11-24.html")).unwrap();
    assert!(html.contains("每周走访第3网格独居老人") && html.contains("&lt;b&gt;信访&lt;/b&gt;"));
    assert!(!html.contains("<b>信访"));
    typed(&mut app, "]]]]]");
    key(&mut app, KeyCode::Char('x'));
    let txt = std::fs::read_to_string(f.dir.path().join("exports/考评表_2025.txt")).unwrap();
    assert!(txt.contains("91.4") && txt.contains("走访扎实"), "{txt}");
}

#[test]
fn the_daily_log_is_one_key_from_any_panel_and_becomes_a_request() {
    let f = duties_office();
    let mut app = f.app(Lang::Zh);
    // from the residents panel
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Char('L'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("写民情日志") && s.contains("2026-11-24") && s.contains("走访"), "{s}");
    key(&mut app, KeyCode::Right); // 巡查
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "三号楼消防通道堆满杂物。已通知物业");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right); // 转为诉求: 是
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("登记新诉求") && s.contains("三号楼消防通道堆满杂物") && s.contains("巡查发现"), "{s}");
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    app.settle();
    let (msg, _) = app.sh.message.clone().unwrap();
    assert!(msg.contains("2026-000006 → 李娜"), "{msg}");
    let e = f.store.log_entry(LogId(2)).unwrap().unwrap();
    assert_eq!((e.kind, e.request), (LogKind::Patrol, Some(RequestId::new(2026, 6))));
    let r = f.store.request(RequestId::new(2026, 6)).unwrap().unwrap();
    assert_eq!((r.assignee, r.title.as_str()), (Some(f.workers[0]), "三号楼消防通道堆满杂物"));
}

#[test]
fn a_leaders_board_holds_the_leave_to_decide() {
    let f = duties_office();
    let (li, wang) = (f.workers[0], f.workers[1]);
    let l = Leave::new(LeaveId(0), li, LeaveKind::Annual, d(12, 14), d(12, 18), "回老家", now());
    let l = f.store.create_leave(&l, li, now()).unwrap();
    let mut app = f.app(Lang::Zh);
    app.sh.operator = Some(wang);
    key(&mut app, KeyCode::Char('3'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("审批 李娜 年休假 12-14至12-18（共 5 个工作日）"), "{s}");
    // in English the kind is whole: "Leave" is wider than 审批 (it was cut to "Lea…")
    let mut en = f.app(Lang::En);
    en.sh.operator = Some(wang);
    key(&mut en, KeyCode::Char('3'));
    let s = text(&draw(&mut en, 80, 24));
    assert!(s.lines().any(|l| l.contains(" Leave 李娜 asks for Annual leave")), "{s}");
    // Enter on it: the leave view with it selected; a decides
    while app.panels.duties.selected_todo() != Some(linli::domain::duties::board::TodoRef::Leave(l.id)) {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    // the leave view: a request waiting has no decision in the 审批 column
    // (its 事由 is in the details, not where the decision goes)
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    let row = s.lines().find(|l| l.contains("李娜") && l.contains("待审批")).expect(&s);
    assert!(row.contains("12-14至12-18") && !row.contains("回老家"), "{s}");
    assert!(s.contains("事由：回老家"), "{s}");
    insta::assert_snapshot!(t.backend());
    key(&mut app, KeyCode::Char('a'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("审批请假 · 李娜 年休假 12-14至12-18"), "{s}");
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    app.settle();
    assert_eq!(f.store.get::<Leave>(l.id.0).unwrap().unwrap().status, LeaveStatus::Approved);
    // and it is off the board
    key(&mut app, KeyCode::Char('['));
    key(&mut app, KeyCode::Char('['));
    key(&mut app, KeyCode::Char('['));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("看板") && !s.contains("审批 李娜"), "{s}");
}

#[test]
fn the_log_read_in_the_background_catches_up_with_what_was_saved_meanwhile() {
    let f = duties_office();
    let mut app = f.app(Lang::Zh);
    // the loader thread reads the log …
    let early = linli::store::duties_rows::LogIndex::load(&f.store).unwrap();
    assert_eq!(early.len(), 1);
    // … while the worker writes an entry and the director comments on the old one
    key(&mut app, KeyCode::Char('L'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "楼下垃圾桶满溢");
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let boss = f.store.worker(f.workers[1]).unwrap().unwrap();
    let e =
        f.store.change_log(LogId(1), boss.id, now(), |e| e.add_comment(&boss, now(), "好").map_err(|x| x.to_string()));
    assert!(e.is_ok());
    app.panels.duties.log_loaded(early, &mut app.sh);
    let idx = app.panels.duties.log.as_ref().unwrap();
    assert_eq!(idx.len(), 2, "the new entry is in");
    let old = idx.row(idx.position(LogId(1)).unwrap()).unwrap();
    assert_eq!(old.comments, 0, "a change made behind the app's back is the store's to tell, on the next read");
    let hits = idx.search("垃圾桶", None, &app.sh.workers, app.sh.index.residents());
    assert_eq!(hits.len(), 1);
}

#[test]
fn the_log_let_go_when_the_panel_is_left_comes_back_as_it_was_with_what_was_saved_meanwhile() {
    let f = duties_office();
    let mut app = board(&f, Lang::Zh);
    typed(&mut app, "]]]]");
    let first = text(&draw(&mut app, 80, 24));
    assert!(first.contains("民情日志 · 李娜 · 2026年11月 · 共 1 条"), "{first}");
    let worker = f.workers[0];
    let this = 202611;
    assert_eq!(app.panels.duties.month_count(worker, this), 1);
    // another panel: the app alone lets the log go (its copy on disk)
    key(&mut app, KeyCode::Char('1'));
    assert!(app.panels.duties.log.is_none(), "let go");
    assert!(f.store.dir().join("daylog.snapshot").exists());
    assert_eq!(app.panels.duties.month_count(worker, this), 1, "the overview's count is kept");
    // back: read from the copy, the same screen
    key(&mut app, KeyCode::Char('3'));
    assert_eq!(text(&draw(&mut app, 80, 24)), first);
    // away again; an entry written from the requests panel meanwhile
    key(&mut app, KeyCode::Char('1'));
    assert!(app.panels.duties.log.is_none());
    key(&mut app, KeyCode::Char('L'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "楼下垃圾桶满溢");
    ctrl(&mut app, 's');
    assert_eq!(app.panels.duties.month_count(worker, this), 2, "counted while let go");
    key(&mut app, KeyCode::Char('3'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("共 2 条") && s.contains("楼下垃圾桶满溢"), "{s}");
    let truth = linli::store::duties_rows::LogIndex::scan(&f.store).unwrap();
    let log = app.panels.duties.log.as_ref().unwrap();
    assert_eq!(log.len(), truth.len());
    assert_eq!(log.search("垃圾桶", None, &app.sh.workers, app.sh.index.residents()).len(), 1);
    // away, and that entry undone from there: gone when the log comes back
    key(&mut app, KeyCode::Char('1'));
    ctrl(&mut app, 'z');
    assert!(f.store.log_entry(LogId(2)).unwrap().is_none());
    assert_eq!(app.panels.duties.month_count(worker, this), 1);
    key(&mut app, KeyCode::Char('3'));
    assert_eq!(text(&draw(&mut app, 80, 24)), first, "the undone entry is not shown");
    assert_eq!(app.panels.duties.log.as_ref().unwrap().len(), 1);
    // let go, something else saved, quit: the copy names the store's state at quit
    key(&mut app, KeyCode::Char('1'));
    key(&mut app, KeyCode::Char('L'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "路灯不亮");
    ctrl(&mut app, 's');
    assert!(app.panels.duties.log.is_none());
    app.save_index();
    let head = std::fs::read(f.store.dir().join("daylog.snapshot")).unwrap();
    let generation = u64::from_le_bytes(head[12..20].try_into().unwrap());
    assert_eq!(generation, f.store.generation().unwrap(), "the next start reads the copy, not every entry");
}

// ---- end to end ------------------------------------------------------------------

fn linli(dir: &Path) -> Pty {
    crate::support::linli_pty(dir)
}

#[test]
fn a_daily_log_entry_in_chinese_becomes_a_request_on_the_workers_board_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = linli(dir.path());
    crate::support::first_start(&mut p, "李娜");
    // L from the requests panel: the log form, today, 走访
    p.type_text("L");
    p.wait_for("写民情日志 · 李娜");
    p.key(Key::Tab);
    p.key(Key::Enter);
    p.wait_for("选择居民");
    p.type_text("张大爷");
    p.wait_for("新建居民“张大爷”");
    p.key(Key::Enter);
    p.wait_for("新增居民");
    p.type_text("13812345678");
    p.key(Key::Ctrl('s'));
    p.wait_until("the resident in the log form", |s| s.contains("写民情日志") && s.contains("张大爷"));
    // the focus stays on 居民 (another may be added): Tab goes on
    p.key(Key::Tab);
    p.type_text("张大爷反映楼道灯坏了，晚上看不见");
    p.key(Key::Tab);
    p.type_text("联系物业维修");
    p.key(Key::Ctrl('s'));
    p.wait_for("的民情日志");
    // the board's log view: r makes a request of the entry
    p.type_text("3");
    p.wait_for("看板");
    p.type_text("]]]]");
    let s = p.wait_for("民情日志 · 李娜");
    assert!(s.contains("张大爷反映楼道灯坏了"), "{s}");
    p.type_text("r");
    let s = p.wait_for("登记新诉求");
    assert!(s.contains("张大爷反映楼道灯坏了，晚上看不见") && s.contains("走访"), "{s}");
    p.key(Key::Ctrl('s'));
    p.wait_for("已登记诉求并分派：2026-000001 → 李娜");
    p.type_text("q");
    assert!(p.wait_exit().success);
    assert!(p.terminal_mode_is_sane());

    let mut p = linli(dir.path());
    p.wait_for("请选择操作员");
    p.key(Key::Enter);
    p.wait_for("操作员：李娜");
    p.type_text("3");
    let s = p.wait_until("the request on her board", |s| s.contains("看板") && s.contains("诉求 2026-000001"));
    assert!(s.contains("诉求 2026-000001 张大爷反映楼道灯坏了，晚上看不见"), "{s}");
    assert!(s.contains("本月日志 1 条"), "{s}");
    p.type_text("]]]]");
    let s = p.wait_for("已转为诉求 2026-000001");
    assert!(s.contains("张大爷反映楼道灯坏了"), "the entry itself is listed: {s}");
    p.type_text("q");
    p.wait_exit();
    assert!(p.terminal_mode_is_sane());
    // and the store links the entry to the request, not only the screen
    let s = open_again(dir.path());
    assert_eq!(s.log_entry(LogId(1)).unwrap().unwrap().request, Some(RequestId::new(2026, 1)));
}
