use super::*;
use chrono::NaiveDate;

fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, 0, 0).unwrap()
}

fn cal() -> WorkCalendar {
    WorkCalendar::builtin()
}

fn new_request() -> Request {
    Request::create(
        RequestId::new(2025, 1),
        NewRequest {
            channel: Channel::Visit,
            category: "小修小补".into(),
            title: "楼道灯不亮".into(),
            description: String::new(),
            location: "3-2".into(),
            resident: Some(ResidentId(7)),
            urgency: Urgency::Normal,
            work_order: String::new(),
            hotline_due: None,
        },
        WorkerId(1),
        at(2025, 9, 26, 9),
        3,
        &cal(),
    )
}

const W: WorkerId = WorkerId(2);

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, d).unwrap()
}

fn step(r: &mut Request, mv: Move, h: u32) {
    r.apply(mv, W, at(2025, 10, 9, h), 3, &cal()).unwrap();
}

#[test]
fn due_date_counts_working_days_over_the_national_day_holiday() {
    // Fri 26 Sep 2025 + 3 working days: Sun 28 Sep is a make-up working
    // day, then 29 and 30 Sep; 1–8 Oct are off.
    let r = new_request();
    assert_eq!(r.due, NaiveDate::from_ymd_opt(2025, 9, 30).unwrap());
    assert_eq!(r.status, Status::Logged);
    assert_eq!(r.notes.len(), 1);
}

#[test]
fn the_whole_lifecycle_leaves_a_timeline() {
    let mut r = new_request();
    step(&mut r, Move::Assign(WorkerId(3)), 9);
    step(&mut r, Move::Start, 10);
    step(&mut r, Move::Resolve("换了灯泡".into()), 11);
    assert_eq!(r.allowed(day(10, 9), &cal()), vec![MoveKind::CallBack]);
    step(&mut r, Move::CallBack(Satisfaction::Satisfied, "居民满意".into()), 12);
    step(&mut r, Move::Close, 13);
    assert_eq!(r.status, Status::Closed);
    assert_eq!(r.assignee, Some(WorkerId(3)));
    assert_eq!(r.resolution(), Some("换了灯泡"));
    assert_eq!(r.notes.len(), 6);
    assert!(r.notes.iter().skip(1).all(|n| n.by == W));
    assert!(r.allowed(day(10, 9), &cal()).is_empty());
}

#[test]
fn illegal_moves_are_refused_and_change_nothing() {
    let mut r = new_request();
    let before = r.clone();
    let e = r.apply(Move::Close, W, at(2025, 10, 9, 9), 3, &cal()).unwrap_err();
    assert_eq!(e, MoveError::NotAllowed(MoveKind::Close, Status::Logged));
    assert_eq!(
        r.apply(Move::Start, W, at(2025, 10, 9, 9), 3, &cal()),
        Err(MoveError::NotAllowed(MoveKind::Start, Status::Logged))
    );
    assert_eq!(r, before);
    assert_eq!(r.apply(Move::Withdraw("  ".into()), W, at(2025, 10, 9, 9), 3, &cal()), Err(MoveError::TextRequired));
    assert_eq!(r, before);
}

#[test]
fn unsatisfied_callback_reopens_with_a_new_due_date() {
    let mut r = new_request();
    step(&mut r, Move::Assign(WorkerId(3)), 9);
    step(&mut r, Move::Resolve("已处理".into()), 10);
    step(&mut r, Move::CallBack(Satisfaction::Unsatisfied, "灯还是不亮".into()), 11);
    assert_eq!(r.allowed(day(10, 9), &cal()), vec![MoveKind::Reopen]);
    step(&mut r, Move::Reopen("重新派人".into()), 12);
    assert_eq!(r.status, Status::InProgress);
    assert_eq!(r.satisfaction, None);
    // Thu 9 Oct 2025 + 3 working days: Fri 10, Sat 11 (make-up day), Mon 13
    assert_eq!(r.due, NaiveDate::from_ymd_opt(2025, 10, 13).unwrap());
}

#[test]
fn escalated_and_transferred_can_still_be_resolved() {
    let mut r = new_request();
    step(&mut r, Move::Escalate("需街道协调".into()), 9);
    assert_eq!(r.status, Status::Escalated);
    assert!(r.status.is_open());
    step(&mut r, Move::Resolve("街道已修复".into()), 10);
    let mut t = new_request();
    step(&mut t, Move::Transfer("城管".into()), 9);
    assert!(!t.status.is_open());
    assert_eq!(t.allowed(day(10, 9), &cal()), vec![MoveKind::Resolve]);
}

#[test]
fn deadlines_in_working_days() {
    let r = new_request(); // due Tue 30 Sep 2025
    let c = cal();
    let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    assert_eq!(r.deadline(d(9, 26), &c), Deadline::Ok(3));
    assert_eq!(r.deadline(d(9, 29), &c), Deadline::DueSoon(1));
    assert_eq!(r.deadline(d(9, 30), &c), Deadline::DueSoon(0));
    // the holiday does not count: first working day after is 9 Oct
    assert_eq!(r.deadline(d(10, 9), &c), Deadline::Overdue(1));
    let mut done = r.clone();
    done.status = Status::Resolved;
    assert_eq!(done.deadline(d(12, 1), &c), Deadline::Done);
}

#[test]
fn urgent_requests_get_half_the_time() {
    assert_eq!(limit_for(10, Urgency::Urgent), 5);
    assert_eq!(limit_for(3, Urgency::Urgent), 2);
    assert_eq!(limit_for(1, Urgency::Urgent), 1);
    assert_eq!(limit_for(0, Urgency::Urgent), 1);
    assert_eq!(limit_for(7, Urgency::Normal), 7);
}

/// Moves that do not depend on the day (cards come when overdue).
fn plain(r: &Request, today: NaiveDate) -> Vec<MoveKind> {
    r.allowed(today, &cal()).into_iter().filter(|k| !matches!(k, MoveKind::YellowCard | MoveKind::RedCard)).collect()
}

#[test]
fn five_working_days_from_the_eve_of_national_day_2026() {
    // logged Wed 2026-09-30 with five working days: 10-01..07 off, then
    // Thu 10-08, Fri 10-09, Sat 10-10 (a 班 day), Mon 10-12, Tue 10-13
    let at = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap().and_hms_opt(10, 0, 0).unwrap();
    let r = Request::create(
        RequestId::new(2026, 1),
        NewRequest {
            channel: Channel::Hotline12345,
            category: "停车难".into(),
            title: "占道停车".into(),
            description: String::new(),
            location: String::new(),
            resident: None,
            urgency: Urgency::Normal,
            work_order: "2026093000017".into(),
            hotline_due: NaiveDate::from_ymd_opt(2026, 10, 9),
        },
        W,
        at,
        5,
        &cal(),
    );
    assert_eq!(r.due, NaiveDate::from_ymd_opt(2026, 10, 13).unwrap());
    assert_eq!(r.hotline_due, NaiveDate::from_ymd_opt(2026, 10, 9), "the hotline's own deadline is kept beside it");
}

#[test]
fn a_returned_request_goes_back_for_dispatch_with_its_reason() {
    let mut r = new_request();
    assert!(!plain(&r, day(9, 26)).contains(&MoveKind::Return), "nothing to return before it is assigned");
    step(&mut r, Move::Assign(WorkerId(3)), 9);
    assert!(plain(&r, day(10, 9)).contains(&MoveKind::Return));
    assert_eq!(
        r.apply(Move::Return(" ".into()), W, at(2025, 10, 9, 10), 3, &cal()),
        Err(MoveError::TextRequired),
        "a return needs its reason"
    );
    step(&mut r, Move::Return("不属本网格，应派第5网格".into()), 10);
    assert_eq!((r.status, r.assignee), (Status::Logged, None));
    let n = r.notes.last().unwrap();
    assert_eq!(n.kind, NoteKind::Moved { kind: MoveKind::Return, to: Status::Logged });
    assert_eq!(n.assignee, Some(WorkerId(3)), "the note keeps who returned it");
    // 改派: dispatched again
    step(&mut r, Move::Assign(WorkerId(5)), 11);
    assert_eq!(r.assignee, Some(WorkerId(5)));
}

#[test]
fn a_repeat_is_merged_into_an_earlier_open_request() {
    let first = new_request();
    let mut repeat = new_request();
    repeat.id = RequestId::new(2025, 2);
    repeat.logged_at = at(2025, 9, 29, 9);
    assert!(repeat.may_merge_into(&first));
    assert!(!first.may_merge_into(&repeat), "only into an earlier one");
    assert!(!first.may_merge_into(&first));
    step(&mut repeat, Move::Merge(first.id, "同一楼道灯，已由2025-000001办理".into()), 9);
    assert_eq!((repeat.status, repeat.merged_into), (Status::Merged, Some(first.id)));
    assert!(!repeat.status.is_open(), "no deadline of its own");
    assert!(repeat.allowed(day(12, 1), &cal()).is_empty(), "it waits for the request it joined");
    let mut first = first;
    first.absorb(&repeat, W, at(2025, 10, 9, 9));
    assert_eq!(first.merged_repeats(), [repeat.id]);
    assert_eq!(first.notes.last().unwrap().text, repeat.title, "both timelines are kept");
    step(&mut first, Move::Assign(WorkerId(3)), 10);
    step(&mut first, Move::Resolve("换了灯泡".into()), 11);
    assert!(!new_request().resolve_along(&first, W, at(2025, 10, 9, 11)), "only its own repeats follow");
    assert!(repeat.resolve_along(&first, W, at(2025, 10, 9, 11)));
    assert_eq!(repeat.status, Status::Resolved);
    assert_eq!(repeat.resolution(), Some("换了灯泡"));
    assert_eq!(repeat.allowed(day(10, 9), &cal()), [MoveKind::CallBack], "its resident is called back too");
    let mut again = new_request();
    assert_eq!(
        again.apply(Move::Merge(again.id, "自己".into()), W, at(2025, 10, 9, 9), 3, &cal()),
        Err(MoveError::BadMerge)
    );
}

#[test]
fn an_extension_is_asked_for_then_approved_or_refused() {
    let mut r = new_request(); // due Tue 2025-09-30
    assert!(plain(&r, day(9, 26)).contains(&MoveKind::AskExtension));
    let later = NaiveDate::from_ymd_opt(2025, 10, 17).unwrap();
    assert_eq!(
        r.apply(Move::AskExtension(r.due, "x".into()), W, at(2025, 9, 29, 9), 3, &cal()),
        Err(MoveError::NotLater)
    );
    r.apply(Move::AskExtension(later, "需等物业采购灯具".into()), W, at(2025, 9, 29, 9), 3, &cal()).unwrap();
    assert_eq!(r.asked_due, Some(later));
    assert_eq!(r.due, NaiveDate::from_ymd_opt(2025, 9, 30).unwrap(), "nothing moves until a leader decides");
    let offered = plain(&r, day(9, 29));
    assert!(offered.contains(&MoveKind::ApproveExtension) && offered.contains(&MoveKind::RefuseExtension));
    assert!(!offered.contains(&MoveKind::AskExtension), "one request at a time");
    assert!(MoveKind::ApproveExtension.leaders_only() && !MoveKind::AskExtension.leaders_only());
    r.apply(Move::ApproveExtension("同意".into()), WorkerId(9), at(2025, 9, 29, 15), 3, &cal()).unwrap();
    assert_eq!((r.due, r.asked_due), (later, None));
    assert_eq!(r.notes.last().unwrap().on, Some(later));
    // asked again, refused: the due date stays
    let later2 = NaiveDate::from_ymd_opt(2025, 10, 31).unwrap();
    r.apply(Move::AskExtension(later2, "再延".into()), W, at(2025, 10, 9, 9), 3, &cal()).unwrap();
    r.apply(Move::RefuseExtension("请按期办结".into()), WorkerId(9), at(2025, 10, 9, 15), 3, &cal()).unwrap();
    assert_eq!((r.due, r.asked_due), (later, None));
    assert_eq!(r.notes.last().unwrap().on, Some(later2), "the refused date is on record");
}

#[test]
fn cards_are_for_overdue_requests_yellow_then_red() {
    let mut r = new_request(); // due Tue 2025-09-30
    assert!(!r.allowed(day(9, 30), &cal()).contains(&MoveKind::YellowCard), "not overdue yet");
    let late = day(10, 9);
    let offered = r.allowed(late, &cal());
    assert!(offered.contains(&MoveKind::YellowCard) && offered.contains(&MoveKind::RedCard));
    r.apply(Move::YellowCard("请尽快办结".into()), WorkerId(9), at(2025, 10, 9, 9), 3, &cal()).unwrap();
    assert_eq!(r.card, Some(Card::Yellow));
    assert!(!r.allowed(late, &cal()).contains(&MoveKind::YellowCard));
    r.apply(Move::RedCard("仍未办结".into()), WorkerId(9), at(2025, 10, 10, 9), 3, &cal()).unwrap();
    assert_eq!(r.card, Some(Card::Red));
    assert!(!r.allowed(late, &cal()).contains(&MoveKind::RedCard));
    assert_eq!(r.status, Status::Logged, "a card does not move the request");
    // once resolved, no card
    let mut done = new_request();
    step(&mut done, Move::Assign(W), 9);
    step(&mut done, Move::Resolve("修好".into()), 10);
    assert!(!done.allowed(day(12, 1), &cal()).contains(&MoveKind::YellowCard));
}

#[test]
fn a_calendar_change_moves_due_dates_by_working_days_but_not_approved_ones() {
    // the plain week (no holidays) against the real 2025 calendar
    let plain_cal = WorkCalendar::default();
    let start = at(2025, 9, 26, 9);
    let mut r = Request::create(RequestId::new(2025, 7), new_request_parts(), W, start, 3, &plain_cal);
    assert_eq!(r.due, NaiveDate::from_ymd_opt(2025, 10, 1).unwrap(), "Mon, Tue, Wed without holidays");
    let from = r.recompute_due(&plain_cal, &cal(), at(2025, 9, 27, 8));
    assert_eq!(from, NaiveDate::from_ymd_opt(2025, 10, 1));
    assert_eq!(r.due, NaiveDate::from_ymd_opt(2025, 9, 30).unwrap(), "Sun 9/28 is a 班 day");
    let n = r.notes.last().unwrap();
    assert_eq!((n.by, n.on), (PROGRAM, Some(r.due)));
    assert!(matches!(n.kind, NoteKind::DueRecomputed { .. }));
    // the same calendar again: nothing to do
    assert_eq!(r.recompute_due(&cal(), &cal(), at(2025, 9, 27, 8)), None);
    // an approved extension is a date a leader chose: it stays
    let later = NaiveDate::from_ymd_opt(2025, 10, 20).unwrap();
    r.apply(Move::AskExtension(later, "等材料".into()), W, at(2025, 9, 29, 9), 3, &cal()).unwrap();
    r.apply(Move::ApproveExtension("同意".into()), W, at(2025, 9, 29, 10), 3, &cal()).unwrap();
    assert_eq!(r.recompute_due(&cal(), &plain_cal, at(2025, 9, 30, 8)), None);
    // closed requests are left alone
    let mut done = new_request();
    done.status = Status::Closed;
    assert_eq!(done.recompute_due(&plain_cal, &cal(), at(2025, 9, 27, 8)), None);
}

/// A plain new request (a visit about a hall light, no resident), for the
/// tests here and the store's.
pub(crate) fn new_request_parts() -> NewRequest {
    NewRequest {
        channel: Channel::Visit,
        category: "小修小补".into(),
        title: "楼道灯不亮".into(),
        description: String::new(),
        location: String::new(),
        resident: None,
        urgency: Urgency::Normal,
        work_order: String::new(),
        hotline_due: None,
    }
}
