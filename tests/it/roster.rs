//! The volunteer roster: what the store keeps comes back after reopening,
//! kept totals equal a recomputation from the raw records (on the
//! generated set too), the screens at 80×24 and 120×40, and the whole
//! thing end to end in a pseudo-terminal.

use crate::pty::{Key, Pty};
use crate::screens::{draw, key, text, typed};
use crate::support::{Fixture, at, now};
use chrono::{Datelike, NaiveDate};
use linli::domain::volunteer::{
    Activity, ActivityId, Availability, Post, PostId, Role, Schedule, ServiceRecord, Span, Team, TeamId, Totals,
    Volunteer, VolunteerId, VolunteerKind, ym,
};
use linli::domain::{ResidentId, WorkerId};
use linli::i18n::Lang;
use linli::store::record::RecordKind;
use linli::store::roster::index::RosterIndex;
use linli::store::{Store, StoreError};
use linli::ui::app::App;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;
use std::path::Path;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The office fixture with a small roster: one team with three members
/// (two of them residents from the directory), two posts (one unclaimed,
/// one short of people), two activities across the turn of the year, and
/// one volunteer's own hours.
struct Roster {
    f: Fixture,
    team: TeamId,
    /// 张三 (resident 1), 王秀英 (own record), 曾小明 (resident 2)
    vols: Vec<VolunteerId>,
    posts: Vec<PostId>,
    activities: Vec<ActivityId>,
}

fn roster() -> Roster {
    let f = Fixture::office();
    let s = f.store.clone();
    let w = f.workers[0];
    let when = at(2025, 3, 1, 9, 0);
    let mut v1 = Volunteer::new(VolunteerId(0), "", day(2025, 3, 1));
    v1.resident = Some(ResidentId(1));
    v1.skills = vec!["理发".into()];
    v1.availability = Availability::parse("工作日上午").unwrap();
    let mut v2 = Volunteer::new(VolunteerId(0), "王秀英", day(2025, 3, 1));
    v2.phone = "13900002222".into();
    v2.kind = VolunteerKind::PartyMember;
    v2.org = "区司法局".into();
    v2.skills = vec!["法律咨询".into()];
    v2.availability = Availability::parse("周六上午 工作日晚上").unwrap();
    let mut v3 = Volunteer::new(VolunteerId(0), "", day(2025, 3, 1));
    v3.resident = Some(ResidentId(2));
    v3.availability = Availability::parse("周末").unwrap();
    let vols: Vec<VolunteerId> = [v1, v2, v3].iter().map(|v| s.create_volunteer(v, w, when).unwrap().id).collect();
    let mut team = Team::new(TeamId(0), "小巷管家志愿服务队");
    team.service_types = vec!["环境整治".into(), "助老".into()];
    team.founded = Some(day(2025, 3, 1));
    team.set_member(vols[0], Role::Leader, day(2025, 3, 1));
    team.set_member(vols[1], Role::Deputy, day(2025, 3, 1));
    team.set_member(vols[2], Role::Member, day(2025, 4, 1));
    let team = s.create_team(&team, w, when).unwrap();
    let mut p1 = Post::new(PostId(0), "幸福小区楼道清扫");
    p1.service_type = "环境整治".into();
    p1.place = "幸福小区".into();
    p1.schedule = Schedule::parse("每周六 09:00-11:00").unwrap();
    p1.needed = 4;
    p1.claim(Some(team.id), day(2025, 3, 2));
    p1.staff = vec![vols[0], vols[2]];
    let mut p2 = Post::new(PostId(0), "法律咨询角");
    p2.service_type = "法律咨询".into();
    p2.schedule = Schedule::parse("每周日 14:00-16:00").unwrap();
    let posts: Vec<PostId> = [p1, p2].iter().map(|p| s.create_post(p, w, when).unwrap().id).collect();
    let activity = |date: NaiveDate, title: &str| Activity {
        id: ActivityId(0),
        date,
        span: Span::parse("09:00-11:00").unwrap(),
        team: Some(team.id),
        post: Some(posts[0]),
        place: "幸福小区".into(),
        title: title.into(),
        logged_by: w,
    };
    let (a1, _) = s
        .log_activity(&activity(day(2025, 12, 27), "年终楼道大扫除"), &[(vols[0], 120), (vols[1], 90)], w, when)
        .unwrap();
    let (a2, _) = s
        .log_activity(
            &activity(day(2026, 11, 21), "楼道清扫"),
            &[(vols[0], 120), (vols[1], 120), (vols[2], 120)],
            w,
            at(2026, 11, 21, 12, 0),
        )
        .unwrap();
    let own = ServiceRecord {
        id: linli::domain::volunteer::ServiceId(0),
        volunteer: vols[1],
        date: day(2026, 11, 2),
        minutes: 60,
        activity: None,
        team: None,
        post: Some(posts[1]),
        what: "法律咨询".into(),
        voided: false,
        history: Vec::new(),
    };
    s.log_service(&own, w, at(2026, 11, 2, 16, 0)).unwrap();
    Roster { f, team: team.id, vols, posts, activities: vec![a1.id, a2.id] }
}

fn reopen(f: Fixture) -> (tempfile::TempDir, Store) {
    let Fixture { dir, store, .. } = f;
    drop(store);
    let s = Store::open(dir.path()).unwrap();
    (dir, s)
}

// ---- store ------------------------------------------------------------------

#[test]
fn the_roster_comes_back_after_reopening() {
    let r = roster();
    let team: Team = r.f.store.get(r.team.0).unwrap().unwrap();
    let (_dir, s) = reopen(r.f);
    assert_eq!(s.get::<Team>(r.team.0).unwrap().unwrap(), team);
    assert_eq!(team.leader(), Some(r.vols[0]));
    // a volunteer who is a resident keeps no copy of the name or phone
    let v1: Volunteer = s.get(r.vols[0].0).unwrap().unwrap();
    assert_eq!((v1.name.as_str(), v1.phone.as_str(), v1.resident), ("", "", Some(ResidentId(1))));
    assert_eq!(s.volunteer_of_resident(ResidentId(1)).unwrap().unwrap().id, r.vols[0]);
    assert_eq!(s.teams_of(r.vols[2]).unwrap().len(), 1);
    let (latest, total) = s.latest_service_of(r.vols[1], 10).unwrap();
    assert_eq!(total, 3);
    assert_eq!(latest[0].what, "法律咨询", "newest first");
    assert_eq!(s.service_of_activity(r.activities[1]).unwrap().len(), 3);
    // the in-memory roster read from the reopened store
    let idx = RosterIndex::read(&s).unwrap();
    assert_eq!(idx.volunteer(r.vols[0]).unwrap().name, "张三");
    assert_eq!(idx.volunteer(r.vols[0]).unwrap().phone, "13812345678");
    let t = idx.totals.volunteer(r.vols[1], now().date());
    assert_eq!((t.all.minutes, t.year.minutes, t.month.minutes), (270, 180, 180));
    assert_eq!(idx.totals.team(r.team).year(2025).minutes, 210);
    assert_eq!(idx.totals.post(r.posts[1]).all.minutes, 60);
    // ids go on after reopening
    let w = WorkerId(1);
    let a = Activity {
        id: ActivityId(0),
        date: day(2026, 11, 24),
        span: Span::new(600, 660),
        team: None,
        post: None,
        place: String::new(),
        title: "补录".into(),
        logged_by: w,
    };
    let (a, recs) = s.log_activity(&a, &[(r.vols[2], 60)], w, now()).unwrap();
    assert_eq!(a.id, ActivityId(3));
    assert_eq!(recs[0].id.0, 7);
}

#[test]
fn crediting_is_one_write_and_a_correction_keeps_the_original() {
    let r = roster();
    let s = &r.f.store;
    let w = r.f.workers[1];
    let audit_before = s.audit_entries(10_000, |_| true).unwrap().len();
    let mut idx = RosterIndex::read(s).unwrap();
    // roll call again: 曾小明 did not come after all, 王秀英 stayed 3 hours,
    // and the date was wrong (a Saturday, not the Friday)
    let mut a: Activity = s.get(r.activities[1].0).unwrap().unwrap();
    a.date = day(2026, 11, 22);
    let (_, changed) =
        s.update_activity(&a, &[(r.vols[0], 120), (r.vols[1], 180)], "签到表核对", w, at(2026, 11, 24, 9, 0)).unwrap();
    assert_eq!(changed.len(), 3);
    for (old, new) in &changed {
        idx.apply(old.as_ref(), new);
    }
    // one audit entry per record and one for the activity, written together
    assert_eq!(s.audit_entries(10_000, |_| true).unwrap().len(), audit_before + 4);
    let by_vol: HashMap<VolunteerId, ServiceRecord> = changed.into_iter().map(|(_, n)| (n.volunteer, n)).collect();
    let gone = &by_vol[&r.vols[2]];
    assert!(gone.voided && gone.history[0].minutes == 120);
    let longer = &by_vol[&r.vols[1]];
    assert_eq!((longer.minutes, longer.history[0].minutes), (180, 120));
    assert_eq!(longer.history[0].date, day(2026, 11, 21));
    assert_eq!(longer.history[0].reason, "签到表核对");
    // a single correction, and what the trail says about it
    let rec = by_vol[&r.vols[0]].clone();
    let (old, new) = s.correct_service(rec.id, rec.date, 90, false, "提前离开", w, now()).unwrap();
    idx.apply(Some(&old), &new);
    let entry = &s.audit_entries(1, |e| e.kind == RecordKind::ServiceRecord).unwrap()[0];
    let m = entry.changes.iter().find(|c| c.field == "minutes").unwrap();
    assert_eq!((m.old.as_str(), m.new.as_str()), ("120", "90"));
    assert!(matches!(s.correct_service(rec.id, rec.date, 90, false, "", w, now()), Err(StoreError::Invalid(_))));
    // the kept totals follow, and equal what a fresh read computes
    let (dir, s2) = reopen(r.f);
    let fresh = RosterIndex::read(&s2).unwrap();
    assert_eq!(idx.totals, fresh.totals);
    assert_eq!(fresh.totals.activity(r.activities[1]).minutes, 270);
    let rec: ServiceRecord = s2.get(new.id.0).unwrap().unwrap();
    assert_eq!(rec.history.iter().map(|h| h.minutes).collect::<Vec<_>>(), vec![120, 120]);
    drop(dir);
}

#[test]
fn a_resident_volunteers_only_once_and_a_name_is_needed() {
    let r = roster();
    let s = &r.f.store;
    let mut dup = Volunteer::new(VolunteerId(0), "", day(2026, 1, 1));
    dup.resident = Some(ResidentId(1));
    assert!(matches!(s.create_volunteer(&dup, r.f.workers[0], now()), Err(StoreError::Invalid(_))));
    let nameless = Volunteer::new(VolunteerId(0), "  ", day(2026, 1, 1));
    assert!(s.create_volunteer(&nameless, r.f.workers[0], now()).is_err());
    assert_eq!(s.count(RecordKind::Volunteer), 3);
}

#[test]
fn certificates_are_numbered_per_year_and_printed() {
    let r = roster();
    let s = &r.f.store;
    let w = r.f.workers[0];
    let (c1, recs) = s.issue_certificate(r.vols[1], "王秀英", day(2025, 1, 1), day(2026, 11, 24), w, now()).unwrap();
    assert_eq!((c1.number.as_str(), c1.minutes, c1.count), ("2026-0001", 270, 3));
    assert_eq!(
        recs.iter().map(|x| x.date).collect::<Vec<_>>(),
        [day(2025, 12, 27), day(2026, 11, 2), day(2026, 11, 21)]
    );
    let (c2, _) = s.issue_certificate(r.vols[1], "王秀英", day(2026, 1, 1), day(2026, 11, 24), w, now()).unwrap();
    assert_eq!((c2.number.as_str(), c2.minutes), ("2026-0002", 180));
    let (c3, _) =
        s.issue_certificate(r.vols[0], "张三", day(2026, 1, 1), day(2026, 12, 31), w, at(2027, 1, 4, 9, 0)).unwrap();
    assert_eq!(c3.number, "2027-0001");
    assert!(s.issue_certificate(r.vols[0], "张三", day(2026, 2, 1), day(2026, 1, 1), w, now()).is_err());
    let (_dir, s) = reopen(r.f);
    let register: Vec<linli::domain::volunteer::Certificate> = s.all().unwrap();
    assert_eq!(register.len(), 3);
    assert_eq!(register[0], c1);
}

#[test]
fn a_request_handed_to_a_team_shows_in_its_timeline() {
    let r = roster();
    let req = r.f.requests[0].id;
    let s = &r.f.store;
    let before = s.request(req).unwrap().unwrap();
    s.hand_request(req, Some(r.team), None, "小巷管家志愿服务队：请上门换灯泡", r.f.workers[0], now()).unwrap();
    let (_dir, s) = reopen(r.f);
    let after = s.request(req).unwrap().unwrap();
    assert_eq!(after.status, before.status, "handing over does not move the request on");
    let note = after.notes.last().unwrap();
    assert_eq!(note.kind, linli::domain::request::NoteKind::Handed { team: Some(r.team.0), volunteer: None });
    assert!(note.text.contains("请上门换灯泡"));
}

#[test]
fn the_settings_file_is_written_once_and_read() {
    let dir = tempfile::tempdir().unwrap();
    let (s, err) = linli::store::roster::load_settings(dir.path());
    assert!(err.is_none());
    assert_eq!(s.stars.0, vec![100, 300, 600, 1000, 1500]);
    let path = dir.path().join("roster.txt");
    assert!(std::fs::read_to_string(&path).unwrap().contains("星级 100 300 600 1000 1500"));
    std::fs::write(&path, "星级 50 150\n出具单位 幸福社区居委会\n").unwrap();
    let (s, _) = linli::store::roster::load_settings(dir.path());
    assert_eq!((s.stars.0.clone(), s.issuer.as_str()), (vec![50, 150], "幸福社区居委会"));
    std::fs::write(&path, "星级 150 50\n").unwrap();
    let (s, err) = linli::store::roster::load_settings(dir.path());
    assert_eq!((err.unwrap().line, s.stars.0.len()), (1, 5), "a broken file: defaults and the line to fix");
}

/// Totals recomputed the plainest way, independent of `Totals`.
#[derive(Default, Debug, PartialEq, Eq)]
struct Plain {
    volunteer: HashMap<u64, (u64, u64, u64)>,
    team_month: HashMap<(u64, u32), u64>,
    post_all: HashMap<u64, u64>,
    month: HashMap<u32, (u64, u32)>,
}

fn plain(records: &[ServiceRecord], today: NaiveDate) -> Plain {
    let mut p = Plain::default();
    for r in records.iter().filter(|r| !r.voided) {
        let m = u64::from(r.minutes);
        let v = p.volunteer.entry(r.volunteer.0).or_default();
        v.0 += m;
        if r.date.year() == today.year() {
            v.1 += m;
            if r.date.month() == today.month() {
                v.2 += m;
            }
        }
        let key = (r.date.year() as u32) * 100 + r.date.month();
        if let Some(t) = r.team {
            *p.team_month.entry((t.0, key)).or_default() += m;
        }
        if let Some(x) = r.post {
            *p.post_all.entry(x.0).or_default() += m;
        }
        let e = p.month.entry(key).or_default();
        e.0 += m;
        e.1 += 1;
    }
    p
}

fn kept(idx: &RosterIndex, records: &[ServiceRecord], today: NaiveDate) -> Plain {
    let mut p = Plain::default();
    for v in &idx.volunteers {
        let t = idx.totals.volunteer(v.v.id, today);
        if t.all.count > 0 {
            p.volunteer.insert(v.v.id.0, (t.all.minutes, t.year.minutes, t.month.minutes));
        }
    }
    let months: std::collections::BTreeSet<u32> = records.iter().map(|r| ym(r.date)).collect();
    for m in &months {
        for (t, s) in idx.totals.teams_in_month(*m) {
            p.team_month.insert((t.0, *m), s.minutes);
        }
        let s = idx.totals.community().month(*m);
        if s.count > 0 {
            p.month.insert(*m, (s.minutes, s.count));
        }
    }
    for post in &idx.posts {
        let s = idx.totals.post(post.id);
        if s.all.count > 0 {
            p.post_all.insert(post.id.0, s.all.minutes);
        }
    }
    p
}

#[test]
fn kept_totals_equal_a_recomputation_on_the_generated_set() {
    use linli::demo::{self, Size};
    let today = day(2026, 11, 24);
    let cal = linli::domain::WorkCalendar::builtin();
    let cats = linli::domain::Categories::default();
    let data = demo::generate(Size::Typical, 1, 11, today, &cal, &cats);
    let set = demo::volunteers::generate_roster(Size::Typical, 11, today, &data);
    assert_eq!(set.records.len(), 10_000);
    let f = Fixture::empty();
    f.store.bulk_load(&data).unwrap();
    f.store.bulk_load_roster(&set).unwrap();
    let mut idx = RosterIndex::read(&f.store).unwrap();
    assert_eq!(idx.volunteers.len(), 300);
    assert_eq!(kept(&idx, &set.records, today), plain(&set.records, today));
    assert_eq!(idx.totals, Totals::from_records(&set.records));
    // saves through the store keep it equal to a fresh read
    let w = data.workers[0].id;
    let a = Activity {
        id: ActivityId(0),
        date: day(2026, 1, 1),
        span: Span::new(540, 660),
        team: Some(set.teams[0].id),
        post: None,
        place: String::new(),
        title: "元旦慰问".into(),
        logged_by: w,
    };
    let credits: Vec<(VolunteerId, u32)> = set.volunteers.iter().take(40).map(|v| (v.id, 120)).collect();
    let (a, recs) = f.store.log_activity(&a, &credits, w, at(2026, 1, 1, 12, 0)).unwrap();
    idx.upsert_activity(&a);
    for r in &recs {
        idx.apply(None, r);
    }
    let first = &recs[0];
    let (old, new) = f.store.correct_service(first.id, day(2025, 12, 31), 60, false, "跨年", w, now()).unwrap();
    idx.apply(Some(&old), &new);
    let fresh = RosterIndex::read(&f.store).unwrap();
    assert_eq!(idx.totals, fresh.totals);
    let mut all: Vec<ServiceRecord> = f.store.all().unwrap();
    all.sort_by_key(|r| r.id);
    assert_eq!(kept(&fresh, &all, today), plain(&all, today));
}

// ---- screens ----------------------------------------------------------------

fn roster_app(r: &Roster, lang: Lang) -> App {
    let mut app = r.f.app(lang);
    app.panels.volunteers.finish_loading(RosterIndex::read(&r.f.store), &mut app.sh);
    key(&mut app, KeyCode::Char('4'));
    app
}

#[test]
fn volunteers_view_80x24_masks_phones_and_shows_hours_and_stars() {
    let r = roster();
    let mut app = roster_app(&r, Lang::Zh);
    key(&mut app, KeyCode::Char('s')); // most hours first
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    assert!(s.contains("4 志愿") && s.contains("共 3 条"), "{s}");
    assert!(s.contains("王秀英") && s.contains("139****2222") && !s.contains("13900002222"), "{s}");
    assert!(s.contains("张三") && s.contains("138****5678"), "a linked resident's name and phone: {s}");
    // 王秀英: 1.5 + 2 + 1 hours; this year 3.0, this month 3.0
    assert!(s.contains("累计 4.5 小时（3 次）  今年 3.0  本月 3.0"), "{s}");
    assert!(s.contains("距一星还差 95.5 小时"), "{s}");
    assert!(s.contains("h 记时长") && s.contains("q 退出"), "the footer fits: {s}");
    insta::assert_snapshot!(t.backend());
    // v shows the number, and says it was recorded
    key(&mut app, KeyCode::Char('v'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("13900002222") && s.contains("操作记录"), "{s}");
}

#[test]
fn teams_view_120x40_in_english() {
    let r = roster();
    let mut app = roster_app(&r, Lang::En);
    key(&mut app, KeyCode::Left);
    key(&mut app, KeyCode::Left);
    let t = draw(&mut app, 120, 40);
    let s = text(&t);
    assert!(s.contains("小巷管家志愿服务队") && s.contains("Leader"), "{s}");
    assert!(s.contains("张三 (Leader)") && s.contains("王秀英 (Deputy)"), "{s}");
    assert!(s.contains("a Add member"), "{s}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn posts_view_flags_unclaimed_and_short_even_without_colour() {
    let r = roster();
    let mut app = roster_app(&r, Lang::Zh);
    app.sh.theme = linli::ui::theme::Theme::mono();
    key(&mut app, KeyCode::Left);
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("! 缺2人") && s.contains("! 未认领"), "{s}");
    assert!(s.contains("每周六 09:00-11:00"), "{s}");
    key(&mut app, KeyCode::Char('u'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("只看未认领/缺人 共 2 条"), "{s}");
}

#[test]
fn roll_call_80x24_ticks_by_initials_and_saves_in_one_go() {
    let r = roster();
    let mut app = roster_app(&r, Lang::Zh);
    key(&mut app, KeyCode::Left); // posts: the activity starts from the selected post
    key(&mut app, KeyCode::Char('l'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("登记志愿服务活动") && s.contains("09:00-11:00") && s.contains("幸福小区楼道清扫"), "{s}");
    // the post's Saturday before "today" (Tue 24 Nov 2026)
    assert!(s.contains("2026-11-21"), "{s}");
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    typed(&mut app, "zs");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "2222");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Left); // 王秀英 left half an hour early
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    assert!(s.contains("已到 2 人  3.5 小时"), "{s}");
    assert!(s.contains("[x] 张三") && s.contains("[x] 王秀英"), "{s}");
    insta::assert_snapshot!(t.backend());
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("已保存活动，2 人记入服务时长"), "{s}");
    assert!(s.contains("到场 2 人，共 3.5 小时"), "{s}");
    assert!(app.layers.is_empty(), "the form under the roll call is closed too");
}

#[test]
fn roll_call_80x24_adds_a_walk_in_without_losing_ticks() {
    let r = roster();
    let mut app = roster_app(&r, Lang::Zh);
    key(&mut app, KeyCode::Left);
    key(&mut app, KeyCode::Char('l'));
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    typed(&mut app, "zs");
    key(&mut app, KeyCode::Enter);
    // someone who came but is on no list
    typed(&mut app, "马秀兰");
    let t = draw(&mut app, 80, 24);
    let s = text(&t);
    assert!(s.contains("+ 登记新志愿者“马秀兰”（Enter）") && !s.contains("没有找到这个人"), "{s}");
    insta::assert_snapshot!(t.backend());
    key(&mut app, KeyCode::Enter);
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("登记新志愿者（临时到场）") && s.contains("马秀兰"), "{s}");
    typed(&mut app, "１３６１２３４５６７８");
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    app.settle();
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("已到 2 人"), "张三's tick is kept: {s}");
    assert!(s.contains("[x] 张三") && s.contains("[x] 马秀兰") && s.contains("临时到场"), "{s}");
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    app.settle();
    assert!(text(&draw(&mut app, 80, 24)).contains("已保存活动，2 人记入服务时长"));
    let ma = r.f.store.all::<Volunteer>().unwrap().into_iter().find(|v| v.name == "马秀兰").expect("registered");
    assert_eq!(ma.phone, "13612345678");
}

#[test]
fn help_in_the_roster_lists_its_keys() {
    let r = roster();
    let mut app = roster_app(&r, Lang::Zh);
    key(&mut app, KeyCode::Char('?'));
    let s = text(&draw(&mut app, 80, 24));
    for label in ["记时长", "出具证明", "更正记录", "显示号码", "登记活动", "下一视图", "上一视图", "新建"]
    {
        assert!(s.contains(label), "help lacks {label}:\n{s}");
    }
}

// ---- end to end ----------------------------------------------------------------

fn linli(dir: &Path) -> Pty {
    crate::support::linli_pty(dir)
}

pub fn add_volunteer(p: &mut Pty, name: &str, phone: &str) {
    p.type_text("n");
    p.wait_for("登记志愿者");
    p.key(Key::Tab);
    p.type_text(name);
    p.key(Key::Tab);
    p.type_text(phone);
    p.key(Key::Ctrl('s'));
    p.wait_until("the volunteer saved", |s| s.contains("已保存") && s.contains(name));
}

#[test]
fn a_team_three_volunteers_and_a_roll_call_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = linli(dir.path());
    crate::support::first_start(&mut p, "李娜");
    p.type_text("4");
    p.wait_for("还没有记录");
    // a team
    p.key(Key::Left);
    p.key(Key::Left);
    p.wait_for("按 / 输入队名");
    p.type_text("n");
    p.wait_for("新建服务队");
    p.type_text("小巷管家志愿服务队");
    p.key(Key::Ctrl('s'));
    p.wait_until("the team saved", |s| s.contains("已保存") && s.contains("小巷管家志愿服务队"));
    // three volunteers
    p.key(Key::Right);
    p.key(Key::Right);
    p.wait_for("按 / 输入姓名");
    add_volunteer(&mut p, "张秀英", "13812345678");
    add_volunteer(&mut p, "王建国", "13900001111");
    add_volunteer(&mut p, "曾小明", "13700002222");
    // an activity for the team, and the roll call
    p.type_text("l");
    p.wait_for("登记志愿服务活动");
    p.type_text("楼道清扫");
    p.key(Key::Tab);
    p.key(Key::Enter);
    p.wait_for("选择服务队");
    p.type_text("xx");
    p.key(Key::Down);
    p.key(Key::Enter);
    p.wait_until("the team in the form", |s| s.contains("登记志愿服务活动") && s.contains("小巷管家志愿服务队"));
    p.key(Key::Ctrl('s'));
    p.wait_for("已到 0 人");
    for initials in ["zxy", "wjg", "zxm"] {
        p.type_text(initials);
        p.key(Key::Enter);
    }
    let s = p.wait_for("已到 3 人  6.0 小时");
    assert!(s.contains("[x] 曾小明"), "{s}");
    p.key(Key::Ctrl('s'));
    let s = p.wait_for("已保存活动，3 人记入服务时长");
    assert!(s.contains("楼道清扫") && s.contains("6.0"), "{s}");
    p.type_text("q");
    let exit = p.wait_exit();
    assert!(exit.success, "{exit:?}");
    assert!(p.terminal_mode_is_sane());

    // again: the totals are there
    let mut p = linli(dir.path());
    p.wait_for("请选择操作员");
    p.key(Key::Enter);
    p.wait_for("操作员：李娜");
    p.type_text("4");
    p.wait_for("张秀英");
    p.type_text("/zxm");
    let s = p.wait_for("共 1 条");
    assert!(s.contains("曾小明") && s.contains("2.0"), "{s}");
    p.key(Key::Enter); // leave the search line
    let s = p.wait_for("累计 2.0 小时（1 次）");
    assert!(s.contains("本月 2.0"), "{s}");
    p.key(Key::Left);
    p.key(Key::Left);
    let s = p.wait_for("按 / 输入队名");
    assert!(s.contains("6.0"), "the team's month: {s}");
    p.type_text("q");
    p.wait_exit();
    assert!(p.terminal_mode_is_sane());
}

// ---- with undo and check -------------------------------------------------------

#[test]
fn undo_and_redo_of_a_roll_call_keep_the_totals_true() {
    let r = roster();
    let mut app = roster_app(&r, Lang::Zh);
    let before = app.panels.volunteers.data.totals.clone();
    key(&mut app, KeyCode::Left); // posts
    key(&mut app, KeyCode::Char('l'));
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    typed(&mut app, "zs");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "wxy");
    key(&mut app, KeyCode::Enter);
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let after = app.panels.volunteers.data.totals.clone();
    assert_ne!(before, after);
    assert_eq!(after, RosterIndex::read(&r.f.store).unwrap().totals);
    app.handle_key(&KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
    assert_eq!(app.panels.volunteers.data.totals, before, "undo takes the hours back");
    assert_eq!(app.panels.volunteers.data.totals, RosterIndex::read(&r.f.store).unwrap().totals);
    assert_eq!(app.panels.volunteers.data.activities.len(), 2, "and the activity");
    app.handle_key(&KeyEvent::new(KeyCode::Char('y'), KeyModifiers::CONTROL));
    assert_eq!(app.panels.volunteers.data.totals, after, "redo gives them again");
    assert_eq!(app.panels.volunteers.data.activities.len(), 3);
}

#[test]
fn check_finds_the_roster_and_its_indexes_whole() {
    let r = roster();
    let report = r.f.store.check(false).unwrap();
    assert!(report.is_clean(), "{report:?}");
    let count = |k: RecordKind| report.counts.iter().find(|(x, _)| *x == k).map(|(_, n)| *n);
    assert_eq!(count(RecordKind::ServiceRecord), Some(6));
    assert_eq!(count(RecordKind::Volunteer), Some(3));
}

#[test]
fn a_volunteers_history_reads_in_words() {
    let r = roster();
    let mut app = roster_app(&r, Lang::Zh);
    key(&mut app, KeyCode::Char('s')); // 王秀英 first
    key(&mut app, KeyCode::Char('H'));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("志愿者 王秀英"), "{s}");
    assert!(s.contains("性别：") && s.contains("在职党员双报到"), "{s}");
    assert!(s.contains("空闲时间：工作日晚上") && s.contains("登记日期：2025-03-01"), "{s}");
    assert!(s.contains("139****2222") && !s.contains("13900002222"), "phones stay masked in the trail: {s}");
}

/// No certificate while the community profile has no 出具单位 (issue 15):
/// the form says where to fill it in and nothing is issued; once it is
/// filled in, the certificate carries it.
#[test]
fn a_certificate_is_refused_until_the_profile_names_its_issuer() {
    let r = roster();
    let mut app = roster_app(&r, Lang::Zh);
    key(&mut app, KeyCode::Char('c'));
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let s = text(&draw(&mut app, 80, 24));
    assert!(s.contains("还没有填写出具单位"), "{s}");
    let issued: Vec<linli::domain::volunteer::Certificate> = r.f.store.all().unwrap();
    assert!(issued.is_empty(), "nothing issued without an issuer");
    let mut p = r.f.store.profile().unwrap();
    p.set("issuer", "幸福里社区居民委员会");
    r.f.store.set_profile(&p).unwrap();
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let issued: Vec<linli::domain::volunteer::Certificate> = r.f.store.all().unwrap();
    assert_eq!(issued.len(), 1);
    let html = std::fs::read_dir(r.f.dir.path().join("exports"))
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .unwrap();
    assert!(html.contains("出具单位：幸福里社区居民委员会") && html.contains("size: A4"), "{html}");
}

/// A certificate prints the volunteer's ID number masked; the form's
/// 完整身份证号 asks for it in full, and that is recorded as a reveal
/// before the file is written.
#[test]
fn a_certificate_prints_the_full_id_number_only_after_a_recorded_reveal() {
    let r = roster();
    let s = &r.f.store;
    let id = "11010519491231002X";
    for v in &r.vols {
        s.set_id_number(RecordKind::Volunteer, v.0, Some(id), Some(r.f.workers[0]), now()).unwrap();
    }
    let mut p = s.profile().unwrap();
    p.set("issuer", "幸福里社区居民委员会");
    s.set_profile(&p).unwrap();
    let mut app = roster_app(&r, Lang::Zh);
    let htmls = || -> Vec<String> {
        let mut v: Vec<_> = std::fs::read_dir(r.f.dir.path().join("exports"))
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        v.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "html"));
        v.sort();
        v.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
    };
    let reveals = || {
        s.audit_entries(100, |e| {
            e.action == linli::store::audit::AuditAction::Reveal && e.changes.iter().any(|c| c.field == "id_number")
        })
        .unwrap()
        .len()
    };
    // by default: masked, nothing revealed
    key(&mut app, KeyCode::Char('c'));
    let form = text(&draw(&mut app, 80, 24));
    assert!(form.contains("完整身份证号") && form.contains("会记入操作记录"), "{form}");
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let first = htmls();
    assert_eq!(first.len(), 1);
    assert!(first[0].contains("110***********002X") && !first[0].contains(id), "{}", first[0]);
    assert_eq!(reveals(), 0);
    // asked for in full: recorded, then printed in full (from the roster again:
    // issuing went on to the register)
    let mut app = roster_app(&r, Lang::Zh);
    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::BackTab); // the last field
    key(&mut app, KeyCode::Right);
    app.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    assert_eq!(reveals(), 1, "the full number is a recorded reveal");
    let all = htmls();
    assert_eq!(all.len(), 2);
    assert!(all.iter().any(|h| h.contains(id)), "printed in full once asked for");
}
