//! Chinese office practice (issue 17), as the office sees it: the 12345
//! loop's steps (退单, 并单, 延期, 督办, the hotline's own deadline), the
//! work calendar's years and upgrades, 三岗十八级, 德能勤绩廉, sensitive
//! tags and names found by every reading. Screens at 80×24 with a fixed
//! clock; the calendar's upgrade against a data dir as an older linli left
//! it.

use crate::screens::{draw, key, text, typed};
use crate::support::{Fixture, at, new_request, now, resident};
use chrono::NaiveDateTime;
use linli::domain::request::{Card, Channel, Move, MoveKind, NoteKind, Status};
use linli::domain::{RequestId, ResidentId, WorkCalendar};
use linli::i18n::Lang;
use linli::store::audit::AuditAction;
use linli::store::record::RecordKind;
use linli::ui::app::{App, Loaded};
use linli::ui::layers::Layer;
use linli::ui::theme::Theme;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn save(app: &mut App) {
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    app.settle();
}

/// The requests list runs newest first: 2026-000005 on top, 000001 last.
fn select(app: &mut App, seq: u64) {
    for _ in 0..(5 - seq) {
        key(app, KeyCode::Down);
    }
}

/// The app with the clock at `t` instead of the fixtures' `now()`.
fn app_at(f: &Fixture, t: NaiveDateTime) -> App {
    let mut app =
        App::new(f.store.clone(), Lang::Zh, Theme::color(), f.cal.clone(), f.cats.clone(), Box::new(move || t))
            .unwrap();
    app.finish_loading(Loaded::read(&f.store).unwrap());
    app.layers.clear();
    app.sh.operator = Some(f.workers[0]);
    app
}

// ---- the 12345 loop ---------------------------------------------------------------

#[test]
fn a_returned_request_goes_back_for_dispatch_with_its_reason() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    select(&mut app, 1); // 楼道灯不亮, assigned to 李娜
    key(&mut app, KeyCode::Char('m'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("7 退单") && s.contains("8 并单") && s.contains("9 申请延期"), "{s}");
    assert!(!s.contains("督办"), "李娜 is no leader: {s}");
    key(&mut app, KeyCode::Char('7'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("退单 2026-000001") && s.contains("退单理由"), "{s}");
    save(&mut app);
    assert!(!app.layers.is_empty(), "a return needs its reason");
    typed(&mut app, "不属本网格，应派第5网格");
    save(&mut app);
    let r = f.store.request(RequestId::new(2026, 1)).unwrap().unwrap();
    assert_eq!((r.status, r.assignee), (Status::Logged, None), "back for dispatch");
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    assert!(s.contains("[登记]") && s.contains("[退单] 不属本网格，应派第5网格"), "{s}");
    insta::assert_snapshot!(t.backend());
    // 改派: the menu offers 分派 again
    key(&mut app, KeyCode::Char('m'));
    assert!(text(&draw(&mut app, 80, 24)).contains("1 分派"));
}

#[test]
fn a_repeat_is_merged_counted_once_and_its_resident_still_called_back() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    // 2026-000005 (张三, today) repeats 2026-000001 (张三, 11-16)
    key(&mut app, KeyCode::Char('m'));
    key(&mut app, KeyCode::Char('5'));
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    assert!(s.contains("并入哪件诉求"), "{s}");
    let first = s.find("2026-000001").expect(&s);
    let other = s.find("2026-000004").expect(&s);
    assert!(first < other, "the same resident's request first: {s}");
    assert!(!s.contains("2026-000003"), "a resolved request takes no repeat: {s}");
    insta::assert_snapshot!(t.backend());
    key(&mut app, KeyCode::Enter);
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("与2026-000001重复，并单办理"), "a note ready to save: {s}");
    save(&mut app);
    let repeat = f.store.request(RequestId::new(2026, 5)).unwrap().unwrap();
    assert_eq!((repeat.status, repeat.merged_into), (Status::Merged, Some(RequestId::new(2026, 1))));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("已并单") && s.contains("已并入 2026-000001"), "{s}");
    let main = f.store.request(RequestId::new(2026, 1)).unwrap().unwrap();
    assert!(main.notes.iter().any(|n| n.kind == NoteKind::MergedIn { from: repeat.id }), "both timelines kept");
    // the earlier one resolved: the repeat follows, and waits for its own callback
    let li = f.workers[0];
    f.store.move_request(main.id, &Move::Resolve("换了灯泡".into()), li, now(), &f.cats, &f.cal).unwrap();
    let repeat = f.store.request(repeat.id).unwrap().unwrap();
    assert_eq!(repeat.status, Status::Resolved);
    assert_eq!(repeat.allowed(now().date(), &f.cal), [MoveKind::CallBack]);
    // the month counts it once
    let all: Vec<_> = (1..=5).map(|i| f.store.request(RequestId::new(2026, i)).unwrap().unwrap()).collect();
    let month = linli::files::report::Month { year: 2026, month: 11 };
    let workers = f.store.workers().unwrap();
    let rep = linli::files::report::compute(Lang::Zh, month, all, &workers);
    assert_eq!((rep.total, rep.loop_counts.merged), (4, 1));
}

#[test]
fn a_merge_is_one_undo_step_for_both_requests() {
    let f = Fixture::office();
    let (main, repeat) = (RequestId::new(2026, 1), RequestId::new(2026, 5));
    let before = (f.store.request(main).unwrap().unwrap(), f.store.request(repeat).unwrap().unwrap());
    let mut app = f.app(Lang::Zh);
    key(&mut app, KeyCode::Char('m'));
    key(&mut app, KeyCode::Char('5'));
    key(&mut app, KeyCode::Enter);
    save(&mut app);
    assert_eq!(f.store.request(repeat).unwrap().unwrap().status, Status::Merged);
    app.handle_key(&KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
    app.settle();
    assert_eq!(f.store.request(main).unwrap().unwrap(), before.0, "the earlier request's note is gone too");
    assert_eq!(f.store.request(repeat).unwrap().unwrap(), before.1);
    let s = text(&draw(&mut app, 80, 24));
    assert!(!s.contains("已并单"), "{s}");
}

#[test]
fn an_extension_is_asked_for_and_decided_by_a_leader() {
    let f = Fixture::office();
    let (li, wang) = (f.workers[0], f.workers[1]);
    let id = RequestId::new(2026, 2); // 乱停车, 王建国's, in progress
    let before = f.store.request(id).unwrap().unwrap().due;
    let mut app = f.app(Lang::Zh);
    select(&mut app, 2);
    key(&mut app, KeyCode::Char('m'));
    key(&mut app, KeyCode::Char('8'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("申请延期 2026-000002") && s.contains("延期至"), "{s}");
    typed(&mut app, "12-18");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "等物业报价");
    save(&mut app);
    let r = f.store.request(id).unwrap().unwrap();
    assert_eq!((r.due, r.asked_due), (before, chrono::NaiveDate::from_ymd_opt(2026, 12, 18)));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("延期待批：申请至 2026-12-18"), "{s}");
    // 李娜 cannot decide it
    key(&mut app, KeyCode::Char('m'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(!s.contains("批准延期"), "{s}");
    key(&mut app, KeyCode::Esc);
    assert!(f.store.move_request(id, &Move::ApproveExtension(String::new()), li, now(), &f.cats, &f.cal).is_err());
    // 王建国 (主任) sees it on his board
    app.sh.operator = Some(wang);
    key(&mut app, KeyCode::Char('3'));
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    assert!(s.contains("诉求 2026-000002 延期待批 至12-18 · 王建国 · 小区内乱停车"), "{s}");
    insta::assert_snapshot!(t.backend());
    // and decides it from the request
    key(&mut app, KeyCode::Char('1'));
    key(&mut app, KeyCode::Char('m'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("8 批准延期") && s.contains("9 不批准延期"), "{s}");
    key(&mut app, KeyCode::Char('8'));
    typed(&mut app, "同意");
    save(&mut app);
    let r = f.store.request(id).unwrap().unwrap();
    assert_eq!((r.due, r.asked_due), (chrono::NaiveDate::from_ymd_opt(2026, 12, 18).unwrap(), None));
    // the audit trail has the new due date
    let h = f.store.history(RecordKind::Request, id.0).unwrap();
    assert!(
        h.iter().any(|e| e
            .changes
            .iter()
            .any(|c| c.field == "due" && c.new == "2026-12-18" && c.old == before.to_string())),
        "{h:?}"
    );
    key(&mut app, KeyCode::Char('H'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("截止日期：") && s.contains("→ 2026-12-18"), "the one name of the due date: {s}");
}

#[test]
fn a_leader_presses_an_overdue_request_and_its_assignee_sees_the_card() {
    let f = Fixture::office();
    let (li, wang) = (f.workers[0], f.workers[1]);
    let id = RequestId::new(2026, 1); // overdue by 3 working days
    assert!(f.store.move_request(id, &Move::YellowCard("x".into()), li, now(), &f.cats, &f.cal).is_err());
    let mut app = f.app(Lang::Zh);
    app.sh.operator = Some(wang);
    select(&mut app, 1);
    key(&mut app, KeyCode::Char('m'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("督办（黄牌）") && s.contains("督办（红牌）"), "{s}");
    // Assigned: 8 steps, 9 申请延期, then the cards at 10 and 11
    for _ in 0..9 {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("督办（黄牌） 2026-000001") && s.contains("督办意见"), "{s}");
    typed(&mut app, "请本周内办结");
    save(&mut app);
    assert_eq!(f.store.request(id).unwrap().unwrap().card, Some(Card::Yellow));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("督办黄牌") && s.contains("[督办（黄牌）] 请本周内办结"), "{s}");
    // the assignee's board
    app.sh.operator = Some(li);
    key(&mut app, KeyCode::Char('3'));
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    assert!(s.contains("诉求 2026-000001 [督办黄牌] 楼道灯不亮"), "{s}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn the_hotline_s_own_deadline_sits_beside_its_work_order_number() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right); // 12345转办
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "占道经营");
    for _ in 0..5 {
        key(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "2026112400123");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "11-27");
    save(&mut app);
    let r = f.store.request(RequestId::new(2026, 6)).unwrap().unwrap();
    assert_eq!((r.channel, r.hotline_due), (Channel::Hotline12345, chrono::NaiveDate::from_ymd_opt(2026, 11, 27)));
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    assert!(s.contains("12345工单号：2026112400123  12345时限 2026-11-27"), "{s}");
    insta::assert_snapshot!(t.backend());
}

// ---- the work calendar ------------------------------------------------------------

#[test]
fn a_date_beyond_the_calendar_warns_in_the_header_and_at_intake() {
    let f = Fixture::office();
    // within the official years nothing warns
    let s = text(&draw(&mut f.app(Lang::Zh), 80, 24));
    assert!(!s.contains("日历") && !s.contains("预估"), "{s}");
    // the clock: 2028-01-26, a year the shipped calendar lacks
    let mut app = app_at(&f, at(2028, 1, 26, 10, 0));
    key(&mut app, KeyCode::Char('n'));
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    assert!(s.contains("! 日历缺2028年"), "the header: {s}");
    assert!(s.contains("calendar.txt 中没有2028年的放假安排"), "the form: {s}");
    insta::assert_snapshot!(t.backend());
    // 30 December 2026: three working days run into 2027, only estimated
    let mut app = app_at(&f, at(2026, 12, 30, 10, 0));
    key(&mut app, KeyCode::Char('n'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("2027年的放假安排尚为预估"), "{s}");
    key(&mut app, KeyCode::Esc);
    let li = f.workers[0];
    let r = f
        .store
        .create_request(
            &new_request("停车难", "车位划线", None, Channel::Phone),
            li,
            at(2026, 12, 28, 10, 0),
            &f.cats,
            &f.cal,
        )
        .unwrap();
    assert_eq!(r.due.format("%Y").to_string(), "2027");
    let mut app = app_at(&f, at(2026, 12, 28, 10, 5));
    let s = text(&draw(&mut app, 100, 24));
    assert!(s.contains("! 2027年日历为预估"), "an open request due in 2027: {s}");
    assert!(s.contains(&format!("{} 预估", r.due.format("%m-%d"))), "its due date is marked: {s}");
}

#[test]
fn an_older_calendar_is_merged_and_open_due_dates_follow_it() {
    use linli::domain::calendar::EARLIER_BUILTIN;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calendar.txt");
    // as an older linli left the data dir: its calendar, a request due by it
    std::fs::write(&path, EARLIER_BUILTIN[0]).unwrap();
    let old = WorkCalendar::parse(EARLIER_BUILTIN[0]).unwrap();
    let store = linli::store::Store::open(dir.path()).unwrap();
    let li = store.create_worker("李娜", "网格员", None, at(2027, 4, 1, 9, 0)).unwrap().id;
    let cats = linli::domain::Categories::default();
    let logged = at(2027, 4, 28, 9, 0); // Wednesday before 劳动节
    let open = store
        .create_request(&new_request("小修小补", "楼道灯不亮", None, Channel::Phone), li, logged, &cats, &old)
        .unwrap();
    let done =
        store.create_request(&new_request("小修小补", "路灯", None, Channel::Phone), li, logged, &cats, &old).unwrap();
    store.move_request(done.id, &Move::Withdraw("重复".into()), li, logged, &cats, &old).unwrap();
    // the old estimate: 4-29, 4-30, then 5-3
    assert_eq!(open.due, chrono::NaiveDate::from_ymd_opt(2027, 5, 3).unwrap());
    store.set_applied_calendar(EARLIER_BUILTIN[0]).unwrap();

    let files = linli::cli::load_office_files(dir.path(), Lang::Zh);
    let notice = files.notices.join("\n");
    assert!(notice.contains("补上2021年") && notice.contains("更新2027年"), "{notice}");
    assert!(notice.contains("calendar.txt.bak"), "{notice}");
    assert_eq!(std::fs::read_to_string(dir.path().join("calendar.txt.bak")).unwrap(), EARLIER_BUILTIN[0]);
    assert!(files.cal.same_days(&WorkCalendar::builtin()), "the office's file now has the shipped days");
    let now = at(2027, 4, 28, 10, 0);
    let said = linli::cli::apply_calendar(&store, &files, now, Lang::Zh).expect("something to say");
    assert!(said.contains("1 件在办诉求的办理时限已重算"), "{said}");
    // 劳动节 2027 by the standing rule: 5-1..5-5 off, so 4-29, 4-30, 5-6
    let r = store.request(open.id).unwrap().unwrap();
    assert_eq!(r.due, chrono::NaiveDate::from_ymd_opt(2027, 5, 6).unwrap());
    let n = r.notes.last().unwrap();
    assert_eq!(n.kind, NoteKind::DueRecomputed { from: open.due });
    let h = store.history(RecordKind::Request, open.id.0).unwrap();
    let last = h.last().unwrap();
    assert_eq!((last.by, last.action), (None, AuditAction::Update), "the program's change, audited");
    assert!(last.changes.iter().any(|c| c.field == "due" && c.old == "2027-05-03" && c.new == "2027-05-06"));
    assert_eq!(store.request(done.id).unwrap().unwrap().due, done.due, "a withdrawn request keeps its date");
    // the next start has nothing to do or say
    let files = linli::cli::load_office_files(dir.path(), Lang::Zh);
    assert!(files.notices.is_empty(), "{:?}", files.notices);
    assert_eq!(linli::cli::apply_calendar(&store, &files, now, Lang::Zh), None);
    // the office edits its file later: the due dates follow again
    let edited = std::fs::read_to_string(&path).unwrap() + "2027-05-06 休 本区补休\n";
    std::fs::write(&path, edited).unwrap();
    let files = linli::cli::load_office_files(dir.path(), Lang::Zh);
    assert!(files.notices.is_empty(), "the office's own edit is not an upgrade");
    assert!(std::fs::read_to_string(&path).unwrap().contains("本区补休"), "and stays");
    // its 2027 now differs from the shipped estimate: said once, then not again
    let kept = linli::cli::kept_years_notice(&store, &files, Lang::Zh).expect("said once");
    assert!(kept.contains("2027年您改过，未动"), "{kept}");
    assert_eq!(linli::cli::kept_years_notice(&store, &files, Lang::Zh), None);
    assert!(linli::cli::apply_calendar(&store, &files, now, Lang::Zh).is_some());
    assert_eq!(store.request(open.id).unwrap().unwrap().due, chrono::NaiveDate::from_ymd_opt(2027, 5, 7).unwrap());
}

// ---- grades, evaluation -----------------------------------------------------------

#[test]
fn an_office_with_the_old_grades_keeps_them_and_is_told_once() {
    use linli::domain::duties::settings::Grades;
    // a data dir as an older linli left it: grades.txt without bands
    let g = Fixture::office();
    std::fs::write(g.dir.path().join("grades.txt"), Grades::before_bands().to_text()).unwrap();
    let mut app =
        App::new(g.store.clone(), Lang::Zh, Theme::color(), g.cal.clone(), g.cats.clone(), Box::new(now)).unwrap();
    assert!(matches!(app.layers.first(), Some(Layer::Notice(..))), "the notice lies under the operator picker");
    app.layers.retain(|l| matches!(l, Layer::Notice(..)));
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    assert!(s.contains("升级说明") && s.contains("三岗十八级") && s.contains("正职 7–18 级"), "{s}");
    insta::assert_snapshot!(t.backend());
    key(&mut app, KeyCode::Enter);
    assert!(app.layers.is_empty(), "Enter closes it");
    // said once: the next start says nothing
    let again =
        App::new(g.store.clone(), Lang::Zh, Theme::color(), g.cal.clone(), g.cats.clone(), Box::new(now)).unwrap();
    assert!(!again.layers.iter().any(|l| matches!(l, Layer::Notice(..))));
    // and the grades are the office's own
    assert_eq!(app.panels.duties.grades.list[0], "一岗一级");
}

#[test]
fn a_grade_outside_the_post_s_band_is_refused() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char(']')); // 分工
    key(&mut app, KeyCode::Char('e')); // 李娜, 网格员: 其他 1–12
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("正职：7–18级；副职：4–15级；其他：1–12级"), "{s}");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    for _ in 0..13 {
        key(&mut app, KeyCode::Right); // 13级
    }
    save(&mut app);
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("该等级不在此岗位的等级范围内（其他 1级–12级）"), "{s}");
    key(&mut app, KeyCode::Left); // 12级
    save(&mut app);
    assert_eq!(f.store.worker(f.workers[0]).unwrap().unwrap().grade, "12级");
}

#[test]
fn the_evaluation_scores_de_neng_qin_ji_lian_beside_its_sources() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('[')); // 考评, last year's
    key(&mut app, KeyCode::Enter);
    let s = text(&draw(&mut app, 80, 24));
    for label in ["德", "能", "勤", "绩", "廉", "德能勤绩廉各项满分 100，五项综合按 20:20:20:30:10 计"]
    {
        assert!(s.contains(label), "{label}: {s}");
    }
    for v in ["92", "88", "95", "90", "80", "95", "88", "100"] {
        typed(&mut app, v);
        key(&mut app, KeyCode::Tab);
    }
    save(&mut app);
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    // sources 0.5*92 + 0.3*88 + 0.2*95 = 91.4; dimensions (90*20 + 80*20 + 95*20 + 88*30 + 100*10) / 100 = 89.4
    assert!(s.contains("91.4") && s.contains("89.4"), "{s}");
    assert!(s.contains("德 90 · 能 80 · 勤 95 · 绩 88 · 廉 100 · 五项综合 89.4"), "{s}");
    insta::assert_snapshot!(t.backend());
}

// ---- sensitive tags, names --------------------------------------------------------

#[test]
fn sensitive_tags_show_as_a_mark_until_revealed_and_still_filter() {
    let f = Fixture::office();
    let mut app = f.app(Lang::Zh);
    key(&mut app, KeyCode::Char('2'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("〔敏感〕") && !s.contains("低保户"), "{s}");
    assert!(s.contains("独居老人") && s.contains("退役军人"), "other tags show: {s}");
    // anyone may filter by it; the list still shows the mark
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "低保");
    key(&mut app, KeyCode::Enter);
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    assert!(s.contains("欧阳娜娜") && s.contains("共 1 条") && !s.contains("低保户"), "{s}");
    assert!(s.contains("敏感标签已隐藏，v 查看"), "{s}");
    insta::assert_snapshot!(t.backend());
    key(&mut app, KeyCode::Char('v'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("标签：低保户"), "revealed on purpose: {s}");
    let h = f.store.history(RecordKind::Resident, 4).unwrap();
    let reveal = h.iter().find(|e| e.action == AuditAction::Reveal).expect("recorded");
    assert_eq!(reveal.changes[0].field, "tags");
    // the masked export shows the mark, the full one the tag (recorded as full)
    use linli::files::export::{self, ExportKind, ExportOptions, Format};
    let out = tempfile::tempdir().unwrap();
    for (full, want, not) in [(false, "〔敏感〕", "低保户"), (true, "低保户", "〔敏感〕")] {
        let csv = out.path().join(format!("r{full}.csv"));
        let opts = ExportOptions { format: Format::Csv, full_numbers: full, lang: Lang::Zh, by: None, at: now() };
        export::export(&f.store, ExportKind::Records(RecordKind::Resident), &csv, &opts, |_, _| {}).unwrap();
        let written = std::fs::read_to_string(&csv).unwrap();
        let row = written.lines().find(|l| l.contains("欧阳娜娜")).unwrap();
        assert!(row.contains(want) && !row.contains(not), "{row}");
    }
}

#[test]
fn every_reading_of_a_name_finds_its_person() {
    let f = Fixture::office();
    let li = f.workers[0];
    for (name, title) in [("尉健行", "门禁坏了"), ("李长春", "水管漏水"), ("隗建国", "噪音扰民")] {
        let r = f.store.create_resident(&resident(name, "", "幸福小区 1-1-101", &[]), li, now()).unwrap();
        f.store
            .create_request(&new_request("小修小补", title, Some(r.id), Channel::Visit), li, now(), &f.cats, &f.cal)
            .unwrap();
    }
    let mut app = f.app(Lang::Zh);
    for (q, title) in
        [("wjx", "门禁坏了"), ("yjx", "门禁坏了"), ("lcc", "水管漏水"), ("lzc", "水管漏水"), ("kjg", "噪音扰民")]
    {
        key(&mut app, KeyCode::Char('/'));
        typed(&mut app, q);
        let s = text(&draw(&mut app, 80, 24));
        assert!(s.contains(title) && s.contains("共 1 条"), "{q}: {s}");
        key(&mut app, KeyCode::Esc);
    }
    // the residents directory too
    key(&mut app, KeyCode::Char('2'));
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "lzc");
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("李长春") && s.contains("共 1 条"), "{s}");
    assert_eq!(f.store.resident(ResidentId(6)).unwrap().unwrap().name, "李长春");
}
