//! The roster's rules, with a fixed clock.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(y: i32, m: u32, day: u32) -> NaiveDateTime {
    d(y, m, day).and_hms_opt(10, 0, 0).unwrap()
}

fn rec(id: u64, v: u64, date: NaiveDate, minutes: u32, team: Option<u64>) -> ServiceRecord {
    ServiceRecord {
        id: ServiceId(id),
        volunteer: VolunteerId(v),
        date,
        minutes,
        activity: Some(ActivityId(id / 10)),
        team: team.map(TeamId),
        post: Some(PostId(1)),
        what: String::new(),
        voided: false,
        history: Vec::new(),
    }
}

#[test]
fn availability_reads_what_people_write() {
    let sat = 5;
    let a = Availability::parse("周六上午").unwrap();
    assert_eq!(a.0, Availability::cell(sat, MORNING));
    let a = Availability::parse("周末全天 工作日晚上").unwrap();
    assert_eq!(a.slots_on(5), ALL_SLOTS);
    assert_eq!(a.slots_on(6), ALL_SLOTS);
    assert_eq!(a.slots_on(0), EVENING);
    assert_eq!(a.slots_on(4), EVENING);
    let a = Availability::parse("周二、四下午").unwrap();
    assert_eq!(a.groups(), vec![(0b1010, AFTERNOON)]);
    let a = Availability::parse("周一至周五晚上，周六上午、下午").unwrap();
    assert_eq!(a.groups(), vec![(WORKDAYS, EVENING), (1 << 5, MORNING | AFTERNOON)]);
    assert_eq!(Availability::parse("星期三").unwrap().slots_on(2), ALL_SLOTS);
    assert_eq!(Availability::parse("晚上").unwrap(), Availability::of(ALL_DAYS, EVENING));
    assert_eq!(
        Availability::parse("sat am, sunday pm").unwrap().groups(),
        vec![(1 << 5, MORNING), (1 << 6, AFTERNOON)]
    );
    assert_eq!(Availability::parse("周六、周日上午").unwrap(), Availability::of(WEEKEND, MORNING));
    assert_eq!(Availability::parse("tue,thu pm").unwrap().groups(), vec![(0b1010, AFTERNOON)]);
    assert_eq!(Availability::parse("mon-thu eve").unwrap().groups(), vec![(0b1111, EVENING)]);
    assert_eq!(Availability::parse("").unwrap(), Availability::default());
    assert_eq!(Availability::parse("法律"), None);
    assert_eq!(Availability::parse("周六上午有空"), None);
}

#[test]
fn availability_search_overlaps() {
    let free = Availability::parse("周六上午 工作日晚上").unwrap();
    assert!(free.overlaps(Availability::parse("周六上午").unwrap()));
    assert!(free.overlaps(Availability::parse("周末").unwrap()));
    assert!(!free.overlaps(Availability::parse("周六下午").unwrap()));
    assert!(!free.overlaps(Availability::parse("周日").unwrap()));
}

#[test]
fn spans_and_schedules() {
    assert_eq!(Span::parse("09:00-11:00"), Some(Span::new(540, 660)));
    assert_eq!(Span::parse("9-11"), Some(Span::new(540, 660)));
    assert_eq!(Span::parse("9点半~11点"), Some(Span::new(570, 660)));
    assert_eq!(Span::parse("14：00–16：30").unwrap().minutes(), 150);
    assert_eq!(Span::parse("9-9"), None);
    assert_eq!(Span::parse("25-26"), None);
    // a night patrol runs past midnight
    let night = Span::parse("22:00-01:00").unwrap();
    assert_eq!(night.minutes(), 180);
    assert_eq!(night.to_string(), "22:00-01:00");
    assert_eq!(night.slot(), EVENING);
    let s = Schedule::parse("每周六 09:00-11:00").unwrap();
    assert_eq!(s.days, 1 << 5);
    assert_eq!(s.minutes(), Some(120));
    let s = Schedule::parse("周一至周五 7:30-8:30").unwrap();
    assert_eq!((s.days, s.span.unwrap().to_string()), (WORKDAYS, "07:30-08:30".to_string()));
    assert_eq!(Schedule::parse("周6 9-11").unwrap().days, 1 << 5);
    assert_eq!(Schedule::parse("工作日").unwrap(), Schedule { days: WORKDAYS, span: None });
    assert_eq!(Schedule::parse("").unwrap(), Schedule::default());
    assert_eq!(Schedule::parse("每周六 上午"), None);
    // an IME in full-width mode
    assert_eq!(Span::parse("０９：００－１１：００").unwrap().minutes(), 120);
    assert_eq!(Schedule::parse("每周六　０９：００－１１：００").unwrap().minutes(), Some(120));
    assert_eq!(Availability::parse("周六上午　ｓａｔ ａｍ"), Availability::parse("周六上午 sat am"));
}

#[test]
fn hours_and_dates_as_typed() {
    assert_eq!(parse_hours("2"), Some(120));
    assert_eq!(parse_hours("２"), Some(120), "full-width from an IME");
    assert_eq!(parse_hours("１．５小时"), Some(90));
    assert_eq!(parse_hours("１。５"), Some(90));
    assert_eq!(parse_hours("1.5"), Some(90));
    assert_eq!(parse_hours("2.25"), Some(135));
    assert_eq!(parse_hours("0.5小时"), Some(30));
    assert_eq!(parse_hours("90分钟"), Some(90));
    assert_eq!(parse_hours("3h"), Some(180));
    assert_eq!(parse_hours("0"), None);
    assert_eq!(parse_hours("25"), None);
    assert_eq!(parse_hours("两小时"), None);
    assert_eq!(hours(150), "2.5");
    assert_eq!(hours(20), "0.3");
    assert_eq!(hours(0), "0.0");
    let today = d(2026, 11, 24);
    assert_eq!(parse_date("2026-11-22", today), Some(d(2026, 11, 22)));
    assert_eq!(parse_date("2026年1月3日", today), Some(d(2026, 1, 3)));
    assert_eq!(parse_date("11-2", today), Some(d(2026, 11, 2)));
    assert_eq!(parse_date("2026-02-30", today), None);
    assert_eq!(parse_date("明天", today), Some(d(2026, 11, 25)), "one date reader for the whole program");
}

#[test]
fn a_team_has_one_leader_and_keeps_who_left() {
    let mut t = Team::new(TeamId(1), "小巷管家");
    t.set_member(VolunteerId(1), Role::Leader, d(2024, 3, 1));
    t.set_member(VolunteerId(2), Role::Member, d(2024, 3, 1));
    t.set_member(VolunteerId(3), Role::Deputy, d(2024, 5, 1));
    assert_eq!(t.leader(), Some(VolunteerId(1)));
    t.set_member(VolunteerId(2), Role::Leader, d(2025, 1, 1));
    assert_eq!(t.leader(), Some(VolunteerId(2)));
    assert_eq!(t.member(VolunteerId(1)).unwrap().role, Role::Member);
    let order: Vec<u64> = t.current().iter().map(|m| m.volunteer.0).collect();
    assert_eq!(order, vec![2, 3, 1]);
    assert!(t.remove_member(VolunteerId(3), d(2026, 1, 1)));
    assert!(!t.is_member(VolunteerId(3)));
    assert_eq!(t.members.len(), 3, "who left is still on record");
    assert!(!t.remove_member(VolunteerId(3), d(2026, 1, 2)));
    // coming back is a new membership
    t.set_member(VolunteerId(3), Role::Member, d(2026, 6, 1));
    assert!(t.is_member(VolunteerId(3)));
    assert_eq!(t.members.len(), 4);
}

#[test]
fn posts_are_flagged_unclaimed_or_short() {
    let mut p = Post::new(PostId(1), "周六楼道清扫");
    p.needed = 3;
    assert_eq!(p.staffing(), Staffing::Unclaimed);
    p.claim(Some(TeamId(2)), d(2026, 3, 1));
    assert_eq!(p.claimed_on, Some(d(2026, 3, 1)));
    p.claim(Some(TeamId(2)), d(2026, 4, 1));
    assert_eq!(p.claimed_on, Some(d(2026, 3, 1)), "claiming again keeps the date");
    p.staff = vec![VolunteerId(1)];
    assert_eq!(p.staffing(), Staffing::Short(2));
    p.staff.extend([VolunteerId(2), VolunteerId(3)]);
    assert_eq!(p.staffing(), Staffing::Staffed);
    p.status = PostStatus::Paused;
    assert_eq!(p.staffing(), Staffing::Inactive);
}

#[test]
fn star_levels_and_progress() {
    let s = StarLevels::default();
    assert_eq!(s.level(0), 0);
    assert_eq!(s.level(99 * 60 + 59), 0);
    assert_eq!(s.level(100 * 60), 1);
    assert_eq!(s.level(1499 * 60), 4);
    assert_eq!(s.level(1500 * 60), 5);
    assert_eq!(s.level(9000 * 60), 5);
    let p = s.progress(200 * 60);
    assert_eq!((p.level, p.next_hours, p.to_go, p.permille), (1, Some(300), 100 * 60, 500));
    let p = s.progress(50 * 60);
    assert_eq!((p.level, p.next_hours, p.to_go, p.permille), (0, Some(100), 50 * 60, 500));
    let p = s.progress(2000 * 60);
    assert_eq!((p.level, p.next_hours, p.to_go, p.permille), (5, None, 0, 1000));
    let custom = StarLevels(vec![10, 20]);
    assert_eq!(custom.level(25 * 60), 2);
    assert_eq!(custom.progress(25 * 60).next_hours, None);
}

#[test]
fn settings_round_trip_and_report_bad_lines() {
    let s = RosterSettings::default();
    assert_eq!(RosterSettings::parse(&s.to_text()).unwrap(), s);
    let t = RosterSettings::parse("\u{feff}星级 50 100 # 两级\r\n出具单位 幸福社区居委会\n").unwrap();
    assert_eq!(t.stars, StarLevels(vec![50, 100]));
    assert_eq!(t.issuer, "幸福社区居委会");
    assert_eq!(t.service_types, s.service_types);
    assert_eq!(RosterSettings::parse("星级 100 300\n星级 300 100\n").unwrap_err().line, 2);
    assert_eq!(RosterSettings::parse("星级 1 2 3 4 5 6").unwrap_err().line, 1);
    assert_eq!(RosterSettings::parse("颜色 红").unwrap_err().line, 1);
    assert_eq!(RosterSettings::parse("").unwrap(), s);
}

#[test]
fn totals_count_months_and_years_at_their_boundaries() {
    let today = d(2026, 1, 1);
    let records = vec![
        rec(10, 1, d(2025, 12, 31), 120, Some(1)), // last day of the old year
        rec(11, 1, d(2026, 1, 1), 60, Some(1)),    // first day of the new
        rec(12, 1, d(2026, 1, 31), 30, Some(2)),
        rec(20, 2, d(2025, 11, 30), 45, None),
        rec(21, 2, d(2025, 12, 1), 15, Some(2)),
    ];
    let t = Totals::from_records(&records);
    let v1 = t.volunteer(VolunteerId(1), today);
    assert_eq!(v1.all, Sum { minutes: 210, count: 3 });
    assert_eq!(v1.year, Sum { minutes: 90, count: 2 });
    assert_eq!(v1.month, Sum { minutes: 90, count: 2 });
    let v1_dec = t.volunteer(VolunteerId(1), d(2025, 12, 31));
    assert_eq!((v1_dec.year.minutes, v1_dec.month.minutes), (120, 120));
    let v2 = t.volunteer(VolunteerId(2), d(2025, 12, 15));
    assert_eq!((v2.all.minutes, v2.year.minutes, v2.month.minutes), (60, 60, 15));
    assert_eq!(t.team(TeamId(1)).month(202512), Sum { minutes: 120, count: 1 });
    assert_eq!(t.team(TeamId(1)).year(2026), Sum { minutes: 60, count: 1 });
    assert_eq!(t.team(TeamId(2)).all, Sum { minutes: 45, count: 2 });
    assert_eq!(t.post(PostId(1)).all.minutes, 270);
    assert_eq!(t.community().year(2025), Sum { minutes: 180, count: 3 });
    assert_eq!(
        t.teams_in_month(202601),
        vec![(TeamId(1), Sum { minutes: 60, count: 1 }), (TeamId(2), Sum { minutes: 30, count: 1 })]
    );
    assert_eq!(t.people_in_month(202512), 2);
    assert_eq!(t.activity(ActivityId(1)), Sum { minutes: 210, count: 3 });
    assert_eq!(prev_ym(202601), 202512);
    assert_eq!(prev_ym(202612), 202611);
    assert_eq!(ym(d(2026, 12, 31)), 202612);
}

#[test]
fn corrections_keep_the_original_and_totals_follow() {
    let mut records: Vec<ServiceRecord> = (0..50)
        .map(|i| rec(i, i % 7, d(2025, 1 + (i % 12) as u32, 1 + (i % 28) as u32), 30 + i as u32, Some(i % 3)))
        .collect();
    let mut t = Totals::from_records(&records);
    // move one across a year boundary, shorten one, void one
    let edits: [(usize, NaiveDate, u32, bool); 3] =
        [(3, d(2026, 1, 1), 90, false), (7, d(2025, 8, 8), 10, false), (11, d(2025, 12, 12), 41, true)];
    for (i, date, minutes, voided) in edits {
        let old = records[i].clone();
        records[i].correct(date, minutes, voided, "记错了", WorkerId(1), at(2026, 1, 5)).unwrap();
        t.apply(Some(&old), Some(&records[i]));
        assert_eq!(records[i].history.last().unwrap().minutes, old.minutes);
    }
    assert_eq!(t, Totals::from_records(&records), "kept totals equal a recomputation");
    let r = &mut records[3];
    assert_eq!(r.correct(r.date, r.minutes, false, "", WorkerId(1), at(2026, 1, 5)), Err(ServiceError::Unchanged));
    assert_eq!(r.correct(r.date, 0, false, "", WorkerId(1), at(2026, 1, 5)), Err(ServiceError::BadMinutes));
    // voiding everything leaves nothing behind
    for r in records.iter_mut().filter(|r| !r.voided) {
        let old = r.clone();
        r.correct(r.date, r.minutes, true, "作废", WorkerId(1), at(2026, 1, 6)).unwrap();
        t.apply(Some(&old), Some(r));
    }
    assert_eq!(t, Totals::default());
}

#[test]
fn lists_are_split_and_cleaned() {
    assert_eq!(split_list("法律咨询、理发, 书法，法律咨询"), vec!["法律咨询", "理发", "书法"]);
    assert!(split_list(" 、 ").is_empty());
}

/// The shape the totals were saved in before their lists were made
/// compact: the roster's saved copies of before must still read.
#[derive(Serialize, Deserialize)]
struct OldSeries {
    all: Sum,
    months: Vec<(Ym, Sum)>,
}

#[derive(Serialize, Deserialize)]
struct OldTotals {
    volunteers: HashMap<VolunteerId, OldSeries>,
    teams: HashMap<TeamId, OldSeries>,
    posts: HashMap<PostId, OldSeries>,
    activities: HashMap<ActivityId, Sum>,
    community: OldSeries,
}

#[test]
fn totals_are_saved_and_read_in_the_shape_of_before() {
    let records: Vec<ServiceRecord> = (0..300)
        .map(|i| {
            rec(
                i,
                i % 7,
                d(2024 + (i % 3) as i32, 1 + (i % 12) as u32, 1 + (i % 28) as u32),
                30 + i as u32,
                Some(i % 3),
            )
        })
        .collect();
    let t = Totals::from_records(&records);
    let old: OldTotals = postcard::from_bytes(&postcard::to_allocvec(&t).unwrap()).unwrap();
    assert_eq!(old.activities.len(), 30);
    assert_eq!(old.activities[&ActivityId(3)], t.activity(ActivityId(3)));
    assert_eq!(old.volunteers[&VolunteerId(2)].months.len(), t.volunteer_series(VolunteerId(2)).months().count());
    // the map comes back in no particular order
    let back: Totals = postcard::from_bytes(&postcard::to_allocvec(&old).unwrap()).unwrap();
    assert_eq!(back, t);
    assert_eq!(back.activity(ActivityId(29)), t.activity(ActivityId(29)));
}
