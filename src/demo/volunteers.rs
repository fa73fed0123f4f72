//! The demo community's volunteer roster: teams named after what they do
//! (小巷管家, 银发互助 …), the posts they claimed, volunteers (many of them
//! residents from the directory, linked rather than copied), and five years
//! of activities with the hours credited for them.
//!
//! Deterministic like the rest of `demo` (same PRNG, integer arithmetic).
//! Who serves follows what offices see: a few very active volunteers (often
//! retirees who come several times a week), a larger group of regulars,
//! and many who come now and then. A few records were corrected or voided,
//! as happens with paper sign-in sheets.

use super::rng::{Rng, Table};
use super::{Dataset, GIVEN, SURNAMES, Size, given_name, mobile};
use crate::domain::volunteer::{
    AFTERNOON, ALL_DAYS, Activity, ActivityId, Availability, EVENING, Gender, MORNING, Post, PostId, PostStatus,
    Revision, Role, SKILLS, Schedule, ServiceId, ServiceRecord, Span, Team, TeamId, TeamStatus, Volunteer, VolunteerId,
    VolunteerKind, WEEKEND, WORKDAYS,
};
use crate::domain::{ResidentId, WorkerId};
use crate::store::roster::RosterSet;
use chrono::{Datelike, Duration, NaiveDate};
use std::collections::HashSet;

/// (volunteers, teams, posts, service records) for a size.
pub fn counts(size: Size) -> (usize, usize, usize, usize) {
    match size {
        Size::Demo => (120, 8, 40, 3_000),
        Size::Typical => (300, 10, 200, 10_000),
        Size::Large => (2_000, 50, 1_000, 200_000),
    }
}

/// What a team does: its name, service type, the posts it runs and the
/// activities it holds.
struct Theme {
    name: &'static str,
    service: &'static str,
    posts: &'static [(&'static str, Slot)],
    events: &'static [&'static str],
}

#[derive(Clone, Copy)]
enum Slot {
    WeekendMorning,
    WeekdayMorning,
    WeekdayAfternoon,
    Evening,
    Daily,
}

use Slot::*;

const THEMES: &[Theme] = &[
    Theme {
        name: "小巷管家",
        service: "环境整治",
        posts: &[("楼道清扫", WeekendMorning), ("垃圾分类督导", Daily), ("绿地保洁", WeekdayMorning)],
        events: &["楼道杂物清理", "小区环境大扫除", "垃圾分类入户宣传", "清理小广告"],
    },
    Theme {
        name: "银发互助",
        service: "助老",
        posts: &[("独居老人探访", WeekdayMorning), ("长者食堂送餐", WeekdayMorning), ("助老理发", WeekendMorning)],
        events: &["重阳节敬老活动", "为独居老人送餐", "陪老人聊天读报", "助老义剪"],
    },
    Theme {
        name: "平安巡逻",
        service: "平安巡逻",
        posts: &[("夜间巡逻", Evening), ("校门口护学岗", WeekdayMorning), ("楼栋消防巡查", WeekendMorning)],
        events: &["夜间治安巡逻", "消防通道巡查", "节前安全检查", "护学岗值守"],
    },
    Theme {
        name: "法律明白人",
        service: "法律咨询",
        posts: &[("法律咨询角", WeekendMorning), ("人民调解室值班", WeekdayAfternoon)],
        events: &["法律咨询进社区", "反诈宣传讲座", "邻里纠纷调解", "民法典宣讲"],
    },
    Theme {
        name: "健康守护",
        service: "医疗保健",
        posts: &[("健康小屋测血压", WeekdayMorning), ("家庭医生签约引导", WeekendMorning)],
        events: &["义诊测血压血糖", "健康知识讲座", "慢病随访协助"],
    },
    Theme {
        name: "巾帼家政",
        service: "家政服务",
        posts: &[("便民缝补", WeekendMorning), ("家电维修摊", WeekendMorning)],
        events: &["便民服务日", "为困难家庭打扫卫生", "家电义修"],
    },
    Theme {
        name: "爱心帮扶",
        service: "困难帮扶",
        posts: &[("困难家庭走访", WeekdayAfternoon), ("爱心超市值守", WeekdayAfternoon)],
        events: &["困难家庭慰问", "爱心超市物资整理", "助学结对走访"],
    },
    Theme {
        name: "文体之家",
        service: "文体活动",
        posts: &[("广场舞教学", Evening), ("书法班助教", WeekendMorning), ("合唱团排练", WeekdayAfternoon)],
        events: &["社区文艺汇演", "书法进万家", "趣味运动会", "电影放映"],
    },
    Theme {
        name: "防疫宣传",
        service: "疫情防控宣传",
        posts: &[("防疫知识宣传点", WeekendMorning), ("疫苗接种引导", WeekdayMorning)],
        events: &["流感防治宣传", "疫苗接种秩序维护", "健康码使用指导"],
    },
    Theme {
        name: "阳光助残",
        service: "助残",
        posts: &[("助残出行陪同", WeekdayMorning), ("康复站陪护", WeekdayAfternoon)],
        events: &["助残日活动", "陪残疾人就医", "无障碍设施排查"],
    },
    Theme {
        name: "党员先锋",
        service: "环境整治",
        posts: &[("党员责任区巡查", WeekendMorning), ("文明创建劝导", Daily)],
        events: &["主题党日志愿服务", "文明城市创建劝导", "楼道微更新"],
    },
    Theme {
        name: "青春志愿",
        service: "文体活动",
        posts: &[("四点半课堂", WeekdayAfternoon), ("图书角整理", WeekendMorning)],
        events: &["四点半课堂辅导", "暑期托管", "图书整理"],
    },
];

const PARTNERS: &[&str] =
    &["区税务局", "市第三人民医院", "工商银行支行", "区法院", "供电所", "律师事务所", "区消防救援站"];
const SCHOOLS: &[&str] = &["第一中学", "实验中学", "职业技术学院", "师范大学", "理工大学"];
const WORKPLACES: &[&str] = &["区教育局", "街道办事处", "区人社局", "市规划院", "区卫健委", "区司法局"];

const INDIVIDUAL: &[&str] = &["上门探访独居老人", "陪老人就医", "帮邻居代买药品", "上门理发", "协助填写申请表"];

/// How often a volunteer comes: (weight, share in per mille). A few very
/// active, some regulars, many occasional.
const ACTIVITY_LEVELS: &[(u32, u32)] = &[(40, 50), (8, 200), (1, 750)];

struct Plan {
    date: NaiveDate,
    span: Span,
    team: Option<usize>,
    post: Option<usize>,
    title: String,
    place: String,
    /// One volunteer's own service, not an activity.
    individual: bool,
    /// (volunteer index, minutes)
    credits: Vec<(usize, u32)>,
}

fn span_for(slot: Slot, rng: &mut Rng) -> Span {
    let (start, len) = match slot {
        WeekendMorning | WeekdayMorning => (rng.pick(&[8 * 60, 8 * 60 + 30, 9 * 60]), rng.pick(&[90, 120, 120, 180])),
        WeekdayAfternoon => (rng.pick(&[14 * 60, 14 * 60 + 30, 15 * 60]), rng.pick(&[90, 120, 150])),
        Evening => (rng.pick(&[18 * 60 + 30, 19 * 60, 19 * 60 + 30]), rng.pick(&[60, 90, 120])),
        Daily => (rng.pick(&[7 * 60, 7 * 60 + 30, 17 * 60]), rng.pick(&[60, 60, 90])),
    };
    Span::new(start, start + len)
}

fn days_for(slot: Slot, rng: &mut Rng) -> u8 {
    match slot {
        WeekendMorning => 1 << rng.range(5, 6),
        WeekdayMorning | WeekdayAfternoon => {
            let a = rng.range(0, 4);
            let b = rng.range(0, 4);
            (1 << a) | (1 << b)
        }
        Evening => (1 << rng.range(0, 4)) | (1 << rng.range(0, 6)),
        Daily => WORKDAYS,
    }
}

/// The latest day on or before `d` that is one of `days` (itself if `days`
/// is empty).
fn on_schedule(d: NaiveDate, days: u8) -> NaiveDate {
    if days == 0 {
        return d;
    }
    (0..7).map(|k| d - Duration::days(k)).find(|x| days & (1 << x.weekday().num_days_from_monday()) != 0).unwrap_or(d)
}

/// Guesses sex and a range of birth years of a resident from their given
/// name (the directory does not keep them), by the generation lists in
/// `demo`.
fn guess(name: &str) -> (Gender, Option<(u16, u16)>) {
    let mut lo = 1936;
    for (before, male, female) in GIVEN {
        let given = |list: &[&str]| list.iter().any(|g| name.len() > g.len() && name.ends_with(g));
        let (m, f) = (given(male), given(female));
        if m != f {
            let hi = before.saturating_sub(1).min(2008);
            return (if m { Gender::Male } else { Gender::Female }, Some((lo, hi.max(lo))));
        }
        lo = *before;
    }
    (Gender::Unknown, None)
}

/// The roster for the community in `data`. Deterministic for a given
/// (size, seed, today, data).
pub fn generate_roster(size: Size, seed: u64, today: NaiveDate, data: &Dataset) -> RosterSet {
    let (n_vol, n_teams, n_posts, n_records) = counts(size);
    let mut rng = Rng::new(seed ^ 0x726f_7374_6572); // "roster"
    let start = today - Duration::days(5 * 365);
    let span_days = (today - start).num_days().max(1) as u64;
    let estates: Vec<String> = {
        let mut v: Vec<String> = Vec::new();
        for r in &data.residents {
            if !r.address.estate.is_empty() && !v.contains(&r.address.estate) {
                v.push(r.address.estate.clone());
            }
        }
        if v.is_empty() {
            v.push("幸福里小区".into());
        }
        v
    };
    let worker = data.workers.first().map_or(WorkerId(1), |w| w.id);

    // ---- teams: the themes first, then the same themes per estate
    let mut teams: Vec<Team> = Vec::with_capacity(n_teams);
    let mut team_theme: Vec<usize> = Vec::with_capacity(n_teams);
    for i in 0..n_teams {
        let th = i % THEMES.len();
        let round = i / THEMES.len();
        let name = if round == 0 {
            format!("{}志愿服务队", THEMES[th].name)
        } else {
            format!("{}{}服务队", estates[(round - 1 + th) % estates.len()], THEMES[th].name)
        };
        let mut t = Team::new(TeamId(i as u64 + 1), &name);
        t.service_types = vec![THEMES[th].service.to_string()];
        if rng.chance(300) {
            let other = THEMES[rng.index(THEMES.len())].service;
            if other != THEMES[th].service {
                t.service_types.push(other.to_string());
            }
        }
        t.status = if rng.chance(30) { TeamStatus::Paused } else { TeamStatus::Active };
        teams.push(t);
        team_theme.push(th);
    }

    // ---- volunteers
    let surnames = Table::new(SURNAMES);
    let mut phones: HashSet<u64> = data
        .residents
        .iter()
        .map(|r| &r.phone)
        .chain(data.workers.iter().map(|w| &w.phone))
        .filter_map(|p| p.parse().ok())
        .collect();
    // residents old enough to volunteer (not the youngest generation's
    // names), in a shuffled order
    let mut candidates: Vec<usize> = (0..data.residents.len())
        .filter(|&i| !data.residents[i].tags.iter().any(|t| t == "残疾人"))
        .filter(|&i| guess(&data.residents[i].name).1.is_none_or(|(lo, _)| lo < 2000))
        .collect();
    for i in (1..candidates.len()).rev() {
        let j = rng.index(i + 1);
        candidates.swap(i, j);
    }
    let mut next_resident = candidates.into_iter();
    let mut volunteers: Vec<Volunteer> = Vec::with_capacity(n_vol);
    let mut weight: Vec<u32> = Vec::with_capacity(n_vol);
    let levels = Table::new(ACTIVITY_LEVELS);
    let kinds: &[(VolunteerKind, u32)] = &[
        (VolunteerKind::Resident, 450),
        (VolunteerKind::PartyMember, 200),
        (VolunteerKind::Partner, 130),
        (VolunteerKind::Student, 150),
        (VolunteerKind::Other, 70),
    ];
    for i in 0..n_vol {
        let id = VolunteerId(i as u64 + 1);
        let mut kind = rng.weighted(kinds);
        let w = levels.pick(&mut rng);
        let mut v = Volunteer::new(id, "", start);
        let linked = if kind == VolunteerKind::Resident { next_resident.next() } else { None };
        if kind == VolunteerKind::Resident && linked.is_none() {
            kind = VolunteerKind::Other;
        }
        v.kind = kind;
        match linked {
            Some(r) => {
                let res = &data.residents[r];
                v.resident = Some(ResidentId(res.id.0));
                let (g, born) = guess(&res.name);
                v.gender = g;
                v.birth_year = born.map(|(lo, hi)| lo + rng.range(0, u32::from(hi - lo)) as u16);
            }
            None => {
                let male = rng.chance(450);
                let born = match kind {
                    VolunteerKind::Student => 2002 + rng.range(0, 8) as u16,
                    _ => 1960 + rng.range(0, 38) as u16,
                };
                v.name = format!("{}{}", surnames.pick(&mut rng), given_name(&mut rng, born, male));
                v.phone = mobile(&mut rng, &mut phones);
                v.gender = if male { Gender::Male } else { Gender::Female };
                v.birth_year = Some(born);
                v.org = match kind {
                    VolunteerKind::PartyMember => rng.pick(WORKPLACES).to_string(),
                    VolunteerKind::Partner => rng.pick(PARTNERS).to_string(),
                    VolunteerKind::Student => rng.pick(SCHOOLS).to_string(),
                    _ => String::new(),
                };
            }
        }
        // the very active are mostly retired residents, free on weekdays
        let retired = v.birth_year.is_some_and(|b| b < 1966);
        v.availability = match kind {
            VolunteerKind::Student => Availability::of(WEEKEND, MORNING | AFTERNOON),
            _ if retired => Availability::of(WORKDAYS, MORNING | AFTERNOON),
            _ => Availability::of(WORKDAYS, EVENING),
        };
        if rng.chance(400) {
            v.availability = Availability(v.availability.0 | Availability::of(WEEKEND, MORNING).0);
        }
        if rng.chance(60) {
            v.availability = Availability::of(ALL_DAYS, MORNING | AFTERNOON | EVENING);
        }
        let n_skills = rng.range(0, 2);
        for _ in 0..n_skills {
            let s = rng.pick(SKILLS).to_string();
            if !v.skills.contains(&s) {
                v.skills.push(s);
            }
        }
        if v.org == "律师事务所" || v.org == "区法院" || v.org == "区司法局" {
            v.skills.insert(0, "法律咨询".into());
            v.skills.dedup();
        }
        v.active = !rng.chance(40);
        // retirees are more often regulars
        let w = if retired && w == 1 && rng.chance(250) { 8 } else { w };
        weight.push(w);
        volunteers.push(v);
    }

    // ---- memberships: everyone in one team, some in two or three
    let team_size: Vec<(usize, u32)> = (0..n_teams).map(|t| (t, rng.range(2, 8))).collect();
    let team_pick = Table::new(&team_size);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n_teams];
    for (i, v) in volunteers.iter().enumerate() {
        let n = if rng.chance(50) {
            3
        } else if rng.chance(250) {
            2
        } else {
            1
        };
        for k in 0..n {
            // students and party members lean to some themes, but may go anywhere
            let mut t = team_pick.pick(&mut rng);
            if k == 0 && v.kind == VolunteerKind::Student && rng.chance(500) {
                t = (0..n_teams).find(|&x| THEMES[team_theme[x]].name == "青春志愿").unwrap_or(t);
            }
            if !members[t].contains(&i) {
                members[t].push(i);
            }
        }
    }
    // a team is never empty
    for team in members.iter_mut() {
        if team.is_empty() && !volunteers.is_empty() {
            team.push(rng.index(volunteers.len()));
        }
    }

    // ---- posts: each team claims some, a few are unclaimed
    let mut posts: Vec<Post> = Vec::with_capacity(n_posts);
    let mut team_posts: Vec<Vec<usize>> = vec![Vec::new(); n_teams];
    for i in 0..n_posts {
        let claimed = !rng.chance(90);
        let t = rng.index(n_teams.max(1));
        let th = &THEMES[team_theme[t]];
        let (base, slot) = th.posts[rng.index(th.posts.len())];
        let estate = &estates[rng.index(estates.len())];
        let place = if rng.chance(500) { format!("{estate}{}号楼", rng.range(1, 12)) } else { estate.clone() };
        let mut p = Post::new(PostId(i as u64 + 1), &format!("{place}{base}"));
        p.service_type = th.service.to_string();
        p.place = if base.contains("室") || base.contains("站") { "党群服务中心".into() } else { place };
        p.schedule = Schedule { days: days_for(slot, &mut rng), span: Some(span_for(slot, &mut rng)) };
        p.needed = rng.range(2, 6) as u16;
        if rng.chance(40) {
            p.status = PostStatus::Paused;
        }
        if claimed {
            p.team = Some(teams[t].id);
            let staffed = rng.range(0, u32::from(p.needed) + 1) as usize;
            for _ in 0..staffed {
                let m = members[t][rng.index(members[t].len())];
                if !p.staff.contains(&volunteers[m].id) {
                    p.staff.push(volunteers[m].id);
                }
            }
            team_posts[t].push(i);
        }
        posts.push(p);
    }

    // ---- activities and individual services, planned then put in date order
    let member_tables: Vec<Table<usize>> =
        members.iter().map(|ms| Table::new(&ms.iter().map(|&m| (m, weight[m])).collect::<Vec<_>>())).collect();
    let team_activity: Vec<(usize, u32)> =
        (0..n_teams).map(|t| (t, members[t].iter().map(|&m| weight[m]).sum::<u32>().max(1))).collect();
    let team_by_activity = Table::new(&team_activity);
    let everyone = Table::new(&(0..volunteers.len()).map(|i| (i, weight[i])).collect::<Vec<_>>());
    let mut plans: Vec<Plan> = Vec::new();
    let mut credited = 0usize;
    while credited < n_records && !volunteers.is_empty() {
        // volunteering grows over the years: later days are likelier
        // (the larger of two uniform picks)
        let day = start + Duration::days(rng.below(span_days + 1).max(rng.below(span_days + 1)) as i64);
        if rng.chance(60) {
            // one volunteer's own service, logged on its own
            let v = everyone.pick(&mut rng);
            let team = if rng.chance(700) { (0..n_teams).find(|&t| members[t].contains(&v)) } else { None };
            let minutes = rng.pick(&[60, 60, 90, 120]);
            let st = rng.pick(&[9 * 60, 10 * 60, 15 * 60]);
            plans.push(Plan {
                date: day,
                span: Span::new(st, st + minutes as u16),
                team,
                post: None,
                title: rng.pick(INDIVIDUAL).to_string(),
                place: String::new(),
                individual: true,
                credits: vec![(v, minutes)],
            });
            credited += 1;
            continue;
        }
        let t = team_by_activity.pick(&mut rng);
        let th = &THEMES[team_theme[t]];
        let post = if !team_posts[t].is_empty() && rng.chance(700) {
            Some(team_posts[t][rng.index(team_posts[t].len())])
        } else {
            None
        };
        let (date, span, title, place) = match post {
            Some(p) => {
                let sch = posts[p].schedule;
                let span = sch.span.unwrap_or_else(|| span_for(WeekendMorning, &mut rng));
                (on_schedule(day, sch.days).max(start), span, posts[p].name.clone(), posts[p].place.clone())
            }
            None => {
                let slot = rng.pick(&[WeekendMorning, WeekdayMorning, WeekdayAfternoon, Evening]);
                let ev = th.events[rng.index(th.events.len())];
                (day, span_for(slot, &mut rng), ev.to_string(), estates[rng.index(estates.len())].clone())
            }
        };
        let size = members[t].len();
        let want = (rng.range(3, 12) as usize).min(size).min(n_records - credited).max(1);
        let mut who: Vec<usize> = Vec::with_capacity(want);
        let mut tries = 0;
        while who.len() < want && tries < want * 8 {
            let m = member_tables[t].pick(&mut rng);
            if !who.contains(&m) {
                who.push(m);
            }
            tries += 1;
        }
        let len = span.minutes();
        let credits: Vec<(usize, u32)> = who
            .into_iter()
            .map(|m| {
                let minutes = if len > 60 && rng.chance(100) { len - 30 } else { len };
                (m, minutes)
            })
            .collect();
        credited += credits.len();
        plans.push(Plan { date, span, team: Some(t), post, title, place, individual: false, credits });
    }
    plans.sort_by_key(|p| (p.date, p.span.start));

    let mut activities: Vec<Activity> = Vec::new();
    let mut records: Vec<ServiceRecord> = Vec::with_capacity(n_records);
    let mut first_service: Vec<Option<NaiveDate>> = vec![None; volunteers.len()];
    for p in plans {
        let team = p.team.map(|t| teams[t].id);
        let post = p.post.map(|i| posts[i].id);
        let activity = (!p.individual).then(|| {
            let a = Activity {
                id: ActivityId(activities.len() as u64 + 1),
                date: p.date,
                span: p.span,
                team,
                post,
                place: p.place.clone(),
                title: p.title.clone(),
                logged_by: worker,
            };
            activities.push(a);
            activities[activities.len() - 1].id
        });
        for (v, minutes) in p.credits {
            let id = ServiceId(records.len() as u64 + 1);
            let mut r = ServiceRecord {
                id,
                volunteer: volunteers[v].id,
                date: p.date,
                minutes,
                activity,
                team,
                post,
                what: p.title.clone(),
                voided: false,
                history: Vec::new(),
            };
            // paper sign-in sheets get things wrong now and then
            if rng.chance(5) {
                let at = (p.date + Duration::days(rng.range(1, 6) as i64)).and_hms_opt(10, 0, 0).unwrap_or_default();
                let voided = rng.chance(400);
                r.history.push(Revision {
                    at,
                    by: worker,
                    date: r.date,
                    minutes: r.minutes + 60,
                    voided: false,
                    reason: if voided { "重复登记".into() } else { "签到表时长记错".into() },
                });
                r.voided = voided;
            }
            let f = &mut first_service[v];
            *f = Some(f.map_or(p.date, |x| x.min(p.date)));
            records.push(r);
        }
    }

    // ---- dates that follow from the service: joined before first serving
    for (i, v) in volunteers.iter_mut().enumerate() {
        let first = first_service[i].unwrap_or(today - Duration::days(rng.below(span_days) as i64));
        v.joined = (first - Duration::days(rng.range(0, 90) as i64)).min(today);
    }
    for (t, team) in teams.iter_mut().enumerate() {
        let mut founded = today;
        for &m in &members[t] {
            founded = founded.min(volunteers[m].joined);
        }
        team.founded = Some(founded - Duration::days(rng.range(0, 60) as i64));
        // the most active member leads, the next one or two are deputies
        let mut ms = members[t].clone();
        ms.sort_by_key(|&m| (std::cmp::Reverse(weight[m]), m));
        for (k, &m) in ms.iter().enumerate() {
            let role = match k {
                0 => Role::Leader,
                1 | 2 if ms.len() > 6 || k == 1 => Role::Deputy,
                _ => Role::Member,
            };
            let joined = volunteers[m].joined.max(founded);
            team.set_member(volunteers[m].id, role, joined);
        }
        // one in twenty has left
        let left: Vec<usize> = ms.iter().skip(1).filter(|_| rng.chance(50)).copied().collect();
        for m in left {
            let id = volunteers[m].id;
            team.remove_member(id, today - Duration::days(rng.range(10, 400) as i64));
        }
    }
    for p in posts.iter_mut() {
        if p.team.is_some() {
            let founded = p.team.and_then(|t| teams.get(t.0 as usize - 1)).and_then(|t| t.founded).unwrap_or(start);
            p.claimed_on = Some(founded + Duration::days(rng.range(0, 200) as i64));
        }
    }
    RosterSet { teams, posts, volunteers, activities, records }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::generate;
    use crate::domain::volunteer::{StarLevels, Totals};
    use crate::domain::{Categories, WorkCalendar};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn demo() -> (Dataset, RosterSet) {
        let data = generate(Size::Demo, 1, 7, today(), &WorkCalendar::builtin(), &Categories::default());
        let roster = generate_roster(Size::Demo, 7, today(), &data);
        (data, roster)
    }

    #[test]
    fn demo_roster_has_the_promised_sizes_and_is_deterministic() {
        let (data, r) = demo();
        assert_eq!((r.volunteers.len(), r.teams.len(), r.posts.len(), r.records.len()), (120, 8, 40, 3_000));
        assert_eq!(r, generate_roster(Size::Demo, 7, today(), &data));
        let ids_in_order = |ids: Vec<u64>| ids.windows(2).all(|w| w[0] < w[1]);
        assert!(ids_in_order(r.records.iter().map(|x| x.id.0).collect()));
        assert!(ids_in_order(r.activities.iter().map(|x| x.id.0).collect()));
        assert!(r.records.iter().all(|x| x.date <= today() && x.minutes > 0));
    }

    #[test]
    fn some_volunteers_are_residents_linked_not_copied() {
        let (data, r) = demo();
        let linked: Vec<&Volunteer> = r.volunteers.iter().filter(|v| v.resident.is_some()).collect();
        assert!(linked.len() > 30, "{}", linked.len());
        for v in &linked {
            assert!(v.name.is_empty() && v.phone.is_empty());
            assert!(data.residents.iter().any(|x| Some(x.id) == v.resident));
        }
        let mut seen = HashSet::new();
        assert!(linked.iter().all(|v| seen.insert(v.resident)), "one volunteer per resident");
        assert!(r.volunteers.iter().filter(|v| v.resident.is_none()).all(|v| !v.name.is_empty()));
        assert!(r.volunteers.iter().filter_map(|v| v.birth_year).all(|y| (1936..=2010).contains(&y)));
    }

    #[test]
    fn a_few_are_very_active_many_occasional() {
        let (_, r) = demo();
        let t = Totals::from_records(&r.records);
        let mut hours: Vec<u64> = r.volunteers.iter().map(|v| t.volunteer_series(v.id).all.minutes / 60).collect();
        hours.sort_unstable_by(|a, b| b.cmp(a));
        let stars = StarLevels::default();
        assert!(stars.level(hours[0] * 60) >= 1, "the most active has a star: {:?}", &hours[..5]);
        let median = hours[hours.len() / 2];
        assert!(hours[0] > median * 5, "top {} vs median {median}", hours[0]);
        // this month and this year are lively in the demo
        let month = t.community().month(crate::domain::volunteer::ym(today()));
        assert!(month.count > 10, "{month:?}");
        assert!(r.records.iter().any(|x| x.voided) && r.records.iter().any(|x| !x.history.is_empty()));
    }

    #[test]
    fn teams_have_a_leader_and_posts_are_sometimes_unclaimed() {
        let (_, r) = demo();
        assert!(r.teams.iter().all(|t| t.leader().is_some()));
        assert!(r.teams.iter().all(|t| t.founded.is_some()));
        use crate::domain::volunteer::Staffing;
        let flags: Vec<Staffing> = r.posts.iter().map(Post::staffing).collect();
        assert!(flags.contains(&Staffing::Staffed));
        assert!(flags.iter().any(|f| matches!(f, Staffing::Short(_))));
    }
}
