//! The volunteer-team roster (志愿者服务队): teams, the service posts they
//! claim, volunteers, activities and the service hours credited for them,
//! certificates, star levels and the totals reported upward.
//!
//! Pure rules, like the rest of `domain`: no clock (today comes in as an
//! argument), no storage, no words on screen (labels live in
//! `i18n_roster`). Hours are kept as whole minutes so that sums are exact;
//! they are shown as hours with one decimal.

use super::ids::{ResidentId, WorkerId};
use super::request::{Note, NoteKind, Request};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub struct $name(pub u64);
    )*};
}

ids!(
    /// 服务队
    TeamId,
    /// 服务岗位
    PostId,
    /// 志愿者
    VolunteerId,
    /// 志愿服务活动
    ActivityId,
    /// One volunteer's service at one time (服务时长记录).
    ServiceId,
    /// 志愿服务记录证明
    CertificateId,
);

/// Service types offered by default; the office edits them in `roster.txt`.
pub const SERVICE_TYPES: &[&str] = &[
    "疫情防控宣传",
    "家政服务",
    "文体活动",
    "法律咨询",
    "医疗保健",
    "困难帮扶",
    "助老",
    "助残",
    "环境整治",
    "平安巡逻",
];

/// Skills offered as examples in the volunteer form.
pub const SKILLS: &[&str] = &[
    "法律咨询",
    "医疗护理",
    "心理疏导",
    "理发",
    "家电维修",
    "水电维修",
    "书法",
    "舞蹈",
    "摄影",
    "外语",
    "电脑",
    "驾驶",
];

// ---------------------------------------------------------------------------
// Teams

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TeamStatus {
    Active,
    Paused,
    Disbanded,
}

impl TeamStatus {
    pub const ALL: [TeamStatus; 3] = [TeamStatus::Active, TeamStatus::Paused, TeamStatus::Disbanded];
}

/// A member's role in a team: 队长 / 副队长 / 队员.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Leader,
    Deputy,
    Member,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Leader, Role::Deputy, Role::Member];
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub volunteer: VolunteerId,
    pub role: Role,
    #[serde(with = "crate::domain::stored_time::date")]
    pub joined: NaiveDate,
    /// Left the team on this day; kept so that past service still shows
    /// who was in the team.
    #[serde(with = "crate::domain::stored_time::opt_date")]
    pub left: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub service_types: Vec<String>,
    #[serde(with = "crate::domain::stored_time::opt_date")]
    pub founded: Option<NaiveDate>,
    pub status: TeamStatus,
    pub members: Vec<Member>,
    pub notes: String,
}

impl Team {
    pub fn new(id: TeamId, name: &str) -> Team {
        Team {
            id,
            name: name.to_string(),
            service_types: Vec::new(),
            founded: None,
            status: TeamStatus::Active,
            members: Vec::new(),
            notes: String::new(),
        }
    }

    /// Members who have not left, leader first, then deputies, then by
    /// joining date.
    pub fn current(&self) -> Vec<&Member> {
        let mut v: Vec<&Member> = self.members.iter().filter(|m| m.left.is_none()).collect();
        v.sort_by_key(|m| (m.role, m.joined, m.volunteer));
        v
    }

    /// The leader (队长), the current member with that role.
    pub fn leader(&self) -> Option<VolunteerId> {
        self.members.iter().find(|m| m.left.is_none() && m.role == Role::Leader).map(|m| m.volunteer)
    }

    pub fn member(&self, v: VolunteerId) -> Option<&Member> {
        self.members.iter().find(|m| m.volunteer == v && m.left.is_none())
    }

    pub fn is_member(&self, v: VolunteerId) -> bool {
        self.member(v).is_some()
    }

    /// Adds a volunteer or changes their role. A team has one leader: a
    /// new leader makes the previous one an ordinary member. Someone who
    /// left and comes back joins again from `joined`.
    pub fn set_member(&mut self, v: VolunteerId, role: Role, joined: NaiveDate) {
        if role == Role::Leader {
            for m in self.members.iter_mut().filter(|m| m.left.is_none() && m.role == Role::Leader) {
                m.role = Role::Member;
            }
        }
        match self.members.iter_mut().find(|m| m.volunteer == v && m.left.is_none()) {
            Some(m) => {
                m.role = role;
                m.joined = joined;
            }
            None => self.members.push(Member { volunteer: v, role, joined, left: None }),
        }
    }

    /// Marks a member as having left on `on`. Returns whether they were a
    /// member.
    pub fn remove_member(&mut self, v: VolunteerId, on: NaiveDate) -> bool {
        match self.members.iter_mut().find(|m| m.volunteer == v && m.left.is_none()) {
            Some(m) => {
                m.left = Some(on.max(m.joined));
                true
            }
            None => false,
        }
    }
}

// ---------------------------------------------------------------------------
// Days of the week and times of day

/// A set of weekdays: bit 0 is Monday, bit 6 Sunday.
pub type Days = u8;
pub const ALL_DAYS: Days = 0x7f;
pub const WORKDAYS: Days = 0x1f;
pub const WEEKEND: Days = 0x60;

/// Parts of a day a volunteer may be free: bit 0 morning, 1 afternoon,
/// 2 evening.
pub type Slots = u8;
pub const MORNING: Slots = 1;
pub const AFTERNOON: Slots = 2;
pub const EVENING: Slots = 4;
pub const ALL_SLOTS: Slots = 7;

/// Words that name days (checked longest first where they share a start).
const DAY_WORDS: &[(&str, Days)] = &[
    ("每天", ALL_DAYS),
    ("天天", ALL_DAYS),
    ("每日", ALL_DAYS),
    ("全周", ALL_DAYS),
    ("工作日", WORKDAYS),
    ("平日", WORKDAYS),
    ("周末", WEEKEND),
    ("双休日", WEEKEND),
    ("双休", WEEKEND),
    ("everyday", ALL_DAYS),
    ("daily", ALL_DAYS),
    ("weekdays", WORKDAYS),
    ("weekday", WORKDAYS),
    ("weekends", WEEKEND),
    ("weekend", WEEKEND),
];

const EN_DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Words that start a list of day characters: 周六, 星期二、四, 每周一至周五.
const DAY_LIST_WORDS: &[&str] = &["每周", "星期", "礼拜", "周"];

const SLOT_WORDS: &[(&str, Slots)] = &[
    ("上午", MORNING),
    ("早上", MORNING),
    ("早晨", MORNING),
    ("下午", AFTERNOON),
    ("晚上", EVENING),
    ("晚间", EVENING),
    ("傍晚", EVENING),
    ("夜间", EVENING),
    ("全天", ALL_SLOTS),
    ("整天", ALL_SLOTS),
    ("白天", MORNING | AFTERNOON),
    ("morning", MORNING),
    ("afternoon", AFTERNOON),
    ("evening", EVENING),
    ("eve", EVENING),
    ("night", EVENING),
    ("allday", ALL_SLOTS),
    ("am", MORNING),
    ("pm", AFTERNOON),
];

fn day_char(c: char) -> Option<u8> {
    Some(match c {
        '一' | '1' => 0,
        '二' | '2' => 1,
        '三' | '3' => 2,
        '四' | '4' => 3,
        '五' | '5' => 4,
        '六' | '6' => 5,
        '日' | '天' | '七' | '7' => 6,
        _ => return None,
    })
}

fn starts(s: &[char], i: usize, word: &str) -> bool {
    (i..).zip(word.chars()).all(|(j, w)| s.get(j) == Some(&w))
}

fn is_sep(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；' | '/' | '+' | '和' | '及')
}

/// Reads days starting at `i`: a day word, or 周/星期 and a list of day
/// characters (`周二、四`, `周一至周五`), or an English day name.
fn scan_days(s: &[char], i: usize) -> Option<(Days, usize)> {
    for (w, d) in DAY_WORDS {
        if starts(s, i, w) {
            return Some((*d, i + w.chars().count()));
        }
    }
    let en_day = |i: usize| -> Option<(u8, usize)> {
        let n = EN_DAYS.iter().position(|w| starts(s, i, w))?;
        let mut j = i + 3;
        // monday, tues, thursday…
        while s.get(j).is_some_and(|c| c.is_ascii_alphabetic()) {
            j += 1;
        }
        Some((n as u8, j))
    };
    if let Some((a, j)) = en_day(i) {
        // mon-thu
        if s.get(j) == Some(&'-')
            && let Some((b, k)) = en_day(j + 1)
            && b >= a
        {
            return Some(((a..=b).fold(0, |m, d| m | (1 << d)), k));
        }
        return Some((1 << a, j));
    }
    let word = DAY_LIST_WORDS.iter().find(|w| starts(s, i, w))?;
    let mut j = i + word.chars().count();
    let mut days: Days = 0;
    let day_at = |j: usize| s.get(j).copied().and_then(day_char);
    let list_sep = |j: usize| matches!(s.get(j), Some('、' | ',' | '，')) && day_at(j + 1).is_some();
    while let Some(d) = day_at(j) {
        days |= 1 << d;
        j += 1;
        // 、四 continues the list; 至周五 / -五 makes a range
        if list_sep(j) {
            j += 1;
            continue;
        }
        if !matches!(s.get(j), Some('至' | '到' | '-' | '~' | '～' | '—')) {
            break;
        }
        let mut k = j + 1;
        if let Some(w) = DAY_LIST_WORDS.iter().find(|w| starts(s, k, w)) {
            k += w.chars().count();
        }
        match day_at(k) {
            Some(b) if b >= d => {
                for x in d..=b {
                    days |= 1 << x;
                }
                j = k + 1;
                if list_sep(j) {
                    j += 1;
                    continue;
                }
                break;
            }
            _ => break,
        }
    }
    (days != 0).then_some((days, j))
}

fn scan_slot(s: &[char], i: usize) -> Option<(Slots, usize)> {
    SLOT_WORDS.iter().find(|(w, _)| starts(s, i, w)).map(|(w, sl)| (*sl, i + w.chars().count()))
}

/// When a volunteer is free: a set of (weekday, part of day) cells, bit
/// `day * 3 + slot`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Availability(pub u32);

impl Availability {
    pub fn cell(day: u8, slot: Slots) -> u32 {
        u32::from(slot & ALL_SLOTS) << (u32::from(day) * 3)
    }

    pub fn of(days: Days, slots: Slots) -> Availability {
        Availability((0..7).filter(|d| days & (1 << d) != 0).map(|d| Self::cell(d, slots)).fold(0, |a, b| a | b))
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn slots_on(self, day: u8) -> Slots {
        ((self.0 >> (u32::from(day) * 3)) & 7) as Slots
    }

    /// Free at some time in `wanted` (a search for 周末上午 finds people
    /// free on Saturday or Sunday morning).
    pub fn overlaps(self, wanted: Availability) -> bool {
        self.0 & wanted.0 != 0
    }

    /// Reads what people write: `周六上午`, `周末全天 工作日晚上`,
    /// `周二、四下午`, `周一至周五晚上`, `晚上` (every evening), `sat am`.
    /// Days without a part of day mean the whole day. `None` if any part
    /// of the text is not understood; empty text is "not given".
    pub fn parse(s: &str) -> Option<Availability> {
        let s: Vec<char> = s.trim().to_lowercase().chars().collect();
        let mut bits = 0u32;
        let mut pending: Days = 0;
        let mut used = false;
        let mut i = 0;
        while i < s.len() {
            if is_sep(s[i]) {
                i += 1;
                continue;
            }
            if let Some((d, j)) = scan_days(&s, i) {
                // days follow days until a part of the day closes them:
                // 周六 周日上午 is both mornings
                if used {
                    pending = 0;
                    used = false;
                }
                pending |= d;
                i = j;
            } else if let Some((sl, j)) = scan_slot(&s, i) {
                let days = if pending == 0 { ALL_DAYS } else { pending };
                bits |= Availability::of(days, sl).0;
                used = true;
                i = j;
            } else if starts(&s, i, "all") && s.get(i + 3) == Some(&' ') && starts(&s, i + 4, "day") {
                let days = if pending == 0 { ALL_DAYS } else { pending };
                bits |= Availability::of(days, ALL_SLOTS).0;
                used = true;
                i += 7;
            } else {
                return None;
            }
        }
        if pending != 0 && !used {
            bits |= Availability::of(pending, ALL_SLOTS).0;
        }
        Some(Availability(bits))
    }

    /// The cells grouped for display: (days, parts of day) with the same
    /// parts of day, in weekday order of their first day.
    pub fn groups(self) -> Vec<(Days, Slots)> {
        let mut out: Vec<(Days, Slots)> = Vec::new();
        for d in 0..7u8 {
            let sl = self.slots_on(d);
            if sl == 0 {
                continue;
            }
            match out.iter_mut().find(|(_, s)| *s == sl) {
                Some((days, _)) => *days |= 1 << d,
                None => out.push((1 << d, sl)),
            }
        }
        out
    }
}

const ZH_DAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

/// Days as the office writes them, in the canonical (Chinese) form that
/// [`Availability::parse`] and [`Schedule::parse`] read back: `每天`,
/// `工作日`, `周末`, `周一至周四`, `周二、四`.
pub fn days_text(d: Days) -> String {
    let set: Vec<usize> = (0..7).filter(|i| d & (1 << i) != 0).collect();
    match d {
        0 => String::new(),
        ALL_DAYS => "每天".into(),
        WORKDAYS => "工作日".into(),
        WEEKEND => "周末".into(),
        _ if set.len() >= 3 && set.windows(2).all(|w| w[1] == w[0] + 1) => {
            format!("周{}至周{}", ZH_DAYS[set[0]], ZH_DAYS[set[set.len() - 1]])
        }
        _ => format!("周{}", set.iter().map(|&i| ZH_DAYS[i]).collect::<Vec<_>>().join("、")),
    }
}

/// Parts of a day in the canonical form: `全天`, `上午、晚上`.
pub fn slots_text(s: Slots) -> String {
    if s & ALL_SLOTS == ALL_SLOTS {
        return "全天".into();
    }
    [(MORNING, "上午"), (AFTERNOON, "下午"), (EVENING, "晚上")]
        .iter()
        .filter(|(b, _)| s & b != 0)
        .map(|(_, w)| *w)
        .collect::<Vec<_>>()
        .join("、")
}

/// `工作日晚上 周六上午`: reads back with [`Availability::parse`].
impl std::fmt::Display for Availability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> =
            self.groups().into_iter().map(|(d, s)| format!("{}{}", days_text(d), slots_text(s))).collect();
        write!(f, "{}", parts.join(" "))
    }
}

/// A time of day span in minutes from midnight; `end < start` runs past
/// midnight (a night patrol 22:00–01:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: u16,
    pub end: u16,
}

impl Span {
    pub fn new(start: u16, end: u16) -> Span {
        Span { start: start % 1440, end: end % 1440 }
    }

    /// Length in minutes; a span that ends where it starts is a whole day.
    pub fn minutes(self) -> u32 {
        let (s, e) = (u32::from(self.start), u32::from(self.end));
        if e > s { e - s } else { e + 1440 - s }
    }

    /// Which part of the day it starts in.
    pub fn slot(self) -> Slots {
        match self.start {
            0..720 => MORNING,
            720..1080 => AFTERNOON,
            _ => EVENING,
        }
    }

    /// `09:00-11:00`, `9-11`, `9点-11点半`, `9:30~11`, `09:00–11:00`.
    pub fn parse(s: &str) -> Option<Span> {
        let s = s.trim();
        let cut = s.find(['-', '–', '—', '~', '～', '至', '到'])?;
        let sep_len = s[cut..].chars().next().map_or(1, char::len_utf8);
        let start = parse_clock(&s[..cut])?;
        let end = parse_clock(&s[cut + sep_len..])?;
        (start != end).then(|| Span::new(start, end))
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}-{:02}:{:02}", self.start / 60, self.start % 60, self.end / 60, self.end % 60)
    }
}

/// `9`, `09:30`, `9：30`, `9点`, `9点半`, `14时` → minutes from midnight.
fn parse_clock(s: &str) -> Option<u16> {
    let s = s.trim().replace('：', ":");
    let (s, half) = match s.strip_suffix('半') {
        Some(x) => (x.to_string(), 30),
        None => (s, 0),
    };
    let s = s.trim_end_matches(['点', '时']).trim();
    let (h, m) = match s.split_once(':') {
        Some((h, m)) => (h.trim().parse::<u16>().ok()?, m.trim().parse::<u16>().ok()?),
        None => (s.parse::<u16>().ok()?, half),
    };
    (h <= 24 && m < 60 && (h < 24 || m == 0)).then_some(h * 60 + m)
}

// ---------------------------------------------------------------------------
// Posts

/// A post's regular time: weekdays and a span (每周六 09:00-11:00). No
/// days means the post has no fixed schedule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub days: Days,
    pub span: Option<Span>,
}

/// `每周六 09:00-11:00`: reads back with [`Schedule::parse`].
impl std::fmt::Display for Schedule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = days_text(self.days);
        // a few days are "every Saturday"; 工作日, 周末 and ranges say so already
        let d = if !d.is_empty() && d.starts_with('周') && !d.contains('至') && self.days != WEEKEND {
            format!("每{d}")
        } else {
            d
        };
        match self.span {
            Some(span) if d.is_empty() => write!(f, "{span}"),
            Some(span) => write!(f, "{d} {span}"),
            None => write!(f, "{d}"),
        }
    }
}

impl Schedule {
    /// `每周六 09:00-11:00`, `周一至周五 7:30-8:30`, `工作日`, `sat 9-11`,
    /// empty for none. `None` if not understood.
    pub fn parse(s: &str) -> Option<Schedule> {
        let s = s.trim();
        if s.is_empty() {
            return Some(Schedule::default());
        }
        // the day part ends where the time starts (a digit right after 周
        // is a day: 周6)
        let chars: Vec<char> = s.to_lowercase().chars().collect();
        let mut days: Days = 0;
        let mut i = 0;
        while i < chars.len() {
            if is_sep(chars[i]) {
                i += 1;
                continue;
            }
            match scan_days(&chars, i) {
                Some((d, j)) => {
                    days |= d;
                    i = j;
                }
                None => break,
            }
        }
        let rest: String = chars[i..].iter().collect();
        let rest = rest.trim();
        let span = if rest.is_empty() { None } else { Some(Span::parse(rest)?) };
        Some(Schedule { days, span })
    }

    pub fn minutes(self) -> Option<u32> {
        self.span.map(Span::minutes)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PostStatus {
    Open,
    Paused,
    Closed,
}

impl PostStatus {
    pub const ALL: [PostStatus; 3] = [PostStatus::Open, PostStatus::Paused, PostStatus::Closed];
}

/// A service post (服务岗位), claimed (认领) by a team, with the volunteers
/// who regularly staff it (上岗志愿者).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub id: PostId,
    pub name: String,
    pub service_type: String,
    pub place: String,
    pub schedule: Schedule,
    pub needed: u16,
    pub status: PostStatus,
    pub team: Option<TeamId>,
    #[serde(with = "crate::domain::stored_time::opt_date")]
    pub claimed_on: Option<NaiveDate>,
    pub staff: Vec<VolunteerId>,
}

/// What the roster flags about a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Staffing {
    /// No team has claimed it (未认领).
    Unclaimed,
    /// Claimed, but fewer regular volunteers than needed (缺 n 人).
    Short(u16),
    Staffed,
    /// Paused or closed: nothing to flag.
    Inactive,
}

impl Post {
    pub fn new(id: PostId, name: &str) -> Post {
        Post {
            id,
            name: name.to_string(),
            service_type: String::new(),
            place: String::new(),
            schedule: Schedule::default(),
            needed: 1,
            status: PostStatus::Open,
            team: None,
            claimed_on: None,
            staff: Vec::new(),
        }
    }

    pub fn staffing(&self) -> Staffing {
        if self.status != PostStatus::Open {
            Staffing::Inactive
        } else if self.team.is_none() {
            Staffing::Unclaimed
        } else if (self.staff.len() as u16) < self.needed {
            Staffing::Short(self.needed - self.staff.len() as u16)
        } else {
            Staffing::Staffed
        }
    }

    /// A team claims the post on `on` (a different team takes it over).
    pub fn claim(&mut self, team: Option<TeamId>, on: NaiveDate) {
        if self.team != team {
            self.team = team;
            self.claimed_on = team.map(|_| on);
        }
    }
}

// ---------------------------------------------------------------------------
// Volunteers

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gender {
    Unknown,
    Male,
    Female,
}

impl Gender {
    pub const ALL: [Gender; 3] = [Gender::Unknown, Gender::Male, Gender::Female];
}

/// Who the volunteer is to the community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VolunteerKind {
    /// 居民
    Resident,
    /// 在职党员双报到
    PartyMember,
    /// 共建单位
    Partner,
    /// 学生
    Student,
    /// 其他
    Other,
}

impl VolunteerKind {
    pub const ALL: [VolunteerKind; 5] = [
        VolunteerKind::Resident,
        VolunteerKind::PartyMember,
        VolunteerKind::Partner,
        VolunteerKind::Student,
        VolunteerKind::Other,
    ];
}

/// A volunteer. One who is also a resident links to the residents
/// directory (`resident`), and then `name` and `phone` here stay empty:
/// the directory is the one place those are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volunteer {
    pub id: VolunteerId,
    pub resident: Option<ResidentId>,
    pub name: String,
    pub phone: String,
    pub gender: Gender,
    pub birth_year: Option<u16>,
    pub kind: VolunteerKind,
    /// Work unit, partner organisation or school.
    pub org: String,
    pub skills: Vec<String>,
    pub availability: Availability,
    #[serde(with = "crate::domain::stored_time::date")]
    pub joined: NaiveDate,
    pub active: bool,
    pub notes: String,
}

impl Volunteer {
    pub fn new(id: VolunteerId, name: &str, joined: NaiveDate) -> Volunteer {
        Volunteer {
            id,
            resident: None,
            name: name.to_string(),
            phone: String::new(),
            gender: Gender::Unknown,
            birth_year: None,
            kind: VolunteerKind::Resident,
            org: String::new(),
            skills: Vec::new(),
            availability: Availability::default(),
            joined,
            active: true,
            notes: String::new(),
        }
    }
}

/// Splits a typed list (`法律咨询、理发, 书法`) into clean items.
pub fn split_list(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in s.split(['、', ',', '，', ';', '；', ' ', '　']).map(str::trim).filter(|x| !x.is_empty()) {
        let item = super::text::clean_input(item, false);
        if !item.is_empty() && !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Activities and service records

/// A volunteer activity (志愿服务活动): when, who organised it, what was
/// done. The volunteers who came are credited with [`ServiceRecord`]s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub id: ActivityId,
    #[serde(with = "crate::domain::stored_time::date")]
    pub date: NaiveDate,
    pub span: Span,
    pub team: Option<TeamId>,
    pub post: Option<PostId>,
    pub place: String,
    pub title: String,
    pub logged_by: WorkerId,
}

impl Activity {
    pub fn minutes(&self) -> u32 {
        self.span.minutes()
    }
}

/// A record's earlier values, kept on the record when it is corrected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    #[serde(with = "crate::domain::stored_time::datetime")]
    pub at: NaiveDateTime,
    pub by: WorkerId,
    #[serde(with = "crate::domain::stored_time::date")]
    pub date: NaiveDate,
    pub minutes: u32,
    pub voided: bool,
    /// Why it was changed.
    pub reason: String,
}

/// One volunteer's service on one day: the unit that hours are totalled
/// from. The team, post and date are the activity's, copied so that a
/// record is counted without reading its activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRecord {
    pub id: ServiceId,
    pub volunteer: VolunteerId,
    #[serde(with = "crate::domain::stored_time::date")]
    pub date: NaiveDate,
    pub minutes: u32,
    pub activity: Option<ActivityId>,
    pub team: Option<TeamId>,
    pub post: Option<PostId>,
    pub what: String,
    /// Logged by mistake: kept, shown struck out, never counted.
    pub voided: bool,
    /// Earlier versions, oldest first: a correction never hides the
    /// original.
    pub history: Vec<Revision>,
}

/// Most minutes one record may hold: a whole day.
pub const MAX_RECORD_MINUTES: u32 = 24 * 60;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceError {
    #[error("service time must be between 1 minute and 24 hours")]
    BadMinutes,
    #[error("nothing was changed")]
    Unchanged,
}

impl ServiceRecord {
    /// Whether it counts towards totals.
    pub fn counts(&self) -> bool {
        !self.voided
    }

    /// Corrects date, time or voids the record, keeping what it said before.
    pub fn correct(
        &mut self,
        date: NaiveDate,
        minutes: u32,
        voided: bool,
        reason: &str,
        by: WorkerId,
        at: NaiveDateTime,
    ) -> Result<(), ServiceError> {
        if minutes == 0 || minutes > MAX_RECORD_MINUTES {
            return Err(ServiceError::BadMinutes);
        }
        if date == self.date && minutes == self.minutes && voided == self.voided {
            return Err(ServiceError::Unchanged);
        }
        self.history.push(Revision {
            at,
            by,
            date: self.date,
            minutes: self.minutes,
            voided: self.voided,
            reason: reason.trim().to_string(),
        });
        self.date = date;
        self.minutes = minutes;
        self.voided = voided;
        Ok(())
    }
}

/// Reads hours as typed: `2`, `1.5`, `2小时`, `1.5h`, `90分钟`, `45min`.
/// Returns minutes (1 minute to 24 hours).
pub fn parse_hours(s: &str) -> Option<u32> {
    let s = s.trim().to_lowercase();
    let minutes = if let Some(m) = ["分钟", "分", "minutes", "min", "m"].iter().find_map(|u| s.strip_suffix(u)) {
        m.trim().parse::<u32>().ok()?
    } else {
        let h = ["个小时", "小时", "hours", "hour", "hrs", "h"].iter().find_map(|u| s.strip_suffix(u)).unwrap_or(&s);
        let h = h.trim();
        match h.split_once('.') {
            Some((whole, frac)) => {
                let whole: u32 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
                if frac.is_empty() || frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let frac: u32 = frac.parse().ok()?;
                let frac = if h.split_once('.')?.1.len() == 1 { frac * 10 } else { frac };
                whole.checked_mul(60)? + (frac * 60 + 50) / 100
            }
            None => h.parse::<u32>().ok()?.checked_mul(60)?,
        }
    };
    (1..=MAX_RECORD_MINUTES).contains(&minutes).then_some(minutes)
}

/// Minutes as hours with one decimal: 150 → `2.5`, 20 → `0.3`.
pub fn hours(minutes: u64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Reads a date as typed: `2026-11-24`, `2026/11/24`, `2026.11.24`,
/// `2026年11月24日`, or without the year (`11-24`, `11月24日`: this year).
pub fn parse_date(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let s = s.trim();
    let parts: Vec<&str> =
        s.split(['-', '/', '.', '年', '月', '日']).map(str::trim).filter(|p| !p.is_empty()).collect();
    let nums: Vec<u32> = parts.iter().map(|p| p.parse::<u32>().ok()).collect::<Option<Vec<_>>>()?;
    match nums.as_slice() {
        [y, m, d] if *y >= 1900 => NaiveDate::from_ymd_opt(*y as i32, *m, *d),
        [m, d] => NaiveDate::from_ymd_opt(today.year(), *m, *d),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Certificates

/// A service-record certificate (志愿服务记录证明), kept in the register.
/// The name, hours and count are what the certificate said when issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub id: CertificateId,
    /// `2026-0007`: the year and a number counted per year.
    pub number: String,
    pub volunteer: VolunteerId,
    pub name: String,
    #[serde(with = "crate::domain::stored_time::date")]
    pub from: NaiveDate,
    #[serde(with = "crate::domain::stored_time::date")]
    pub to: NaiveDate,
    pub minutes: u64,
    pub count: u32,
    #[serde(with = "crate::domain::stored_time::date")]
    pub issued_on: NaiveDate,
    pub issued_by: WorkerId,
}

pub fn certificate_number(year: i32, seq: u64) -> String {
    format!("{year}-{seq:04}")
}

// ---------------------------------------------------------------------------
// Star levels and settings

/// Star-level thresholds (星级志愿者) in hours: one star from the first,
/// five from the last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarLevels(pub Vec<u32>);

pub const DEFAULT_STARS: [u32; 5] = [100, 300, 600, 1000, 1500];

impl Default for StarLevels {
    fn default() -> Self {
        StarLevels(DEFAULT_STARS.to_vec())
    }
}

/// Where a volunteer stands: their level and how far to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StarProgress {
    pub level: u8,
    /// The next level's threshold in hours; `None` at the top.
    pub next_hours: Option<u32>,
    /// Minutes still needed for the next level.
    pub to_go: u64,
    /// Progress from this level's threshold to the next, in per mille.
    pub permille: u32,
}

impl StarLevels {
    pub fn level(&self, minutes: u64) -> u8 {
        self.0.iter().take_while(|h| minutes >= u64::from(**h) * 60).count() as u8
    }

    pub fn progress(&self, minutes: u64) -> StarProgress {
        let level = self.level(minutes);
        let from = if level == 0 { 0 } else { u64::from(self.0[level as usize - 1]) * 60 };
        match self.0.get(level as usize) {
            Some(&next) => {
                let to = u64::from(next) * 60;
                let permille = ((minutes - from) * 1000 / (to - from).max(1)) as u32;
                StarProgress { level, next_hours: Some(next), to_go: to - minutes, permille }
            }
            None => StarProgress { level, next_hours: None, to_go: 0, permille: 1000 },
        }
    }
}

/// The roster's office-editable settings, kept in `roster.txt` in the data
/// dir: star thresholds, the service types offered, and who issues
/// certificates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterSettings {
    pub stars: StarLevels,
    pub service_types: Vec<String>,
    /// 出具单位, printed on certificates.
    pub issuer: String,
}

pub const DEFAULT_ISSUER: &str = "社区居民委员会";

impl Default for RosterSettings {
    fn default() -> Self {
        RosterSettings {
            stars: StarLevels::default(),
            service_types: SERVICE_TYPES.iter().map(|s| s.to_string()).collect(),
            issuer: DEFAULT_ISSUER.to_string(),
        }
    }
}

/// A line of `roster.txt` that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsLineError {
    pub line: usize,
    pub text: String,
}

impl RosterSettings {
    /// Reads `星级 100 300 600 1000 1500`, `服务类别 助老 助残 …` and
    /// `出具单位 幸福社区居民委员会` lines (English keys `stars`, `types`,
    /// `issuer` too); `#` starts a comment. What is missing keeps its
    /// default. Thresholds must rise, one to five of them.
    pub fn parse(text: &str) -> Result<RosterSettings, SettingsLineError> {
        let mut out = RosterSettings::default();
        for (i, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
            let line = raw.split(['#', '＃']).next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let bad = || SettingsLineError { line: i + 1, text: raw.trim().to_string() };
            let (key, rest) = line.split_once(char::is_whitespace).ok_or_else(bad)?;
            let rest = rest.trim();
            match key {
                "星级" | "stars" => {
                    let v: Vec<u32> =
                        rest.split_whitespace().map(|x| x.parse().ok()).collect::<Option<_>>().ok_or_else(bad)?;
                    if v.is_empty() || v.len() > 5 || v[0] == 0 || v.windows(2).any(|w| w[0] >= w[1]) {
                        return Err(bad());
                    }
                    out.stars = StarLevels(v);
                }
                "服务类别" | "types" => {
                    let v = split_list(rest);
                    if v.is_empty() {
                        return Err(bad());
                    }
                    out.service_types = v;
                }
                "出具单位" | "issuer" => {
                    let v = super::text::clean_input(rest, false);
                    if v.is_empty() {
                        return Err(bad());
                    }
                    out.issuer = v;
                }
                _ => return Err(bad()),
            }
        }
        Ok(out)
    }

    pub fn to_text(&self) -> String {
        let stars: Vec<String> = self.stars.0.iter().map(u32::to_string).collect();
        format!(
            "# 志愿服务设置。可用记事本修改，重启 linli 生效。\n\
             # Volunteer roster settings: edit in any text editor, restart linli.\n\
             #\n\
             # 星级志愿者门槛（累计服务小时数，一星到五星，依次增大）\n\
             星级 {}\n\
             # 服务类别（用空格或顿号分隔）\n\
             服务类别 {}\n\
             # 志愿服务记录证明上的出具单位\n\
             出具单位 {}\n",
            stars.join(" "),
            self.service_types.join(" "),
            self.issuer
        )
    }
}

// ---------------------------------------------------------------------------
// Totals

/// Year and month as one ordered number: 2026-11 is 202611.
pub type Ym = u32;

pub fn ym(d: NaiveDate) -> Ym {
    d.year().max(0) as u32 * 100 + d.month()
}

/// The month before `m` (202601 → 202512).
pub fn prev_ym(m: Ym) -> Ym {
    if m % 100 <= 1 { (m / 100 - 1) * 100 + 12 } else { m - 1 }
}

/// Hours and the number of services (人次).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sum {
    pub minutes: u64,
    pub count: u32,
}

impl Sum {
    fn add(&mut self, minutes: u32) {
        self.minutes += u64::from(minutes);
        self.count += 1;
    }
    fn sub(&mut self, minutes: u32) {
        self.minutes = self.minutes.saturating_sub(u64::from(minutes));
        self.count = self.count.saturating_sub(1);
    }
    pub fn plus(self, o: Sum) -> Sum {
        Sum { minutes: self.minutes + o.minutes, count: self.count + o.count }
    }
}

/// One owner's sums: all time and per month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Series {
    pub all: Sum,
    months: BTreeMap<Ym, Sum>,
}

static EMPTY_SERIES: Series = Series { all: Sum { minutes: 0, count: 0 }, months: BTreeMap::new() };

impl Series {
    fn add(&mut self, m: Ym, minutes: u32) {
        self.all.add(minutes);
        self.months.entry(m).or_default().add(minutes);
    }

    fn sub(&mut self, m: Ym, minutes: u32) {
        self.all.sub(minutes);
        if let Some(s) = self.months.get_mut(&m) {
            s.sub(minutes);
            if s.count == 0 {
                self.months.remove(&m);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.all.count == 0
    }

    pub fn month(&self, m: Ym) -> Sum {
        self.months.get(&m).copied().unwrap_or_default()
    }

    pub fn year(&self, y: i32) -> Sum {
        let y = y.max(0) as u32;
        self.range(y * 100 + 1, y * 100 + 12)
    }

    /// Months `from..=to`.
    pub fn range(&self, from: Ym, to: Ym) -> Sum {
        if from > to {
            return Sum::default();
        }
        self.months.range(from..=to).fold(Sum::default(), |a, (_, s)| a.plus(*s))
    }

    /// Months with service, newest first.
    pub fn months(&self) -> impl Iterator<Item = (Ym, Sum)> + '_ {
        self.months.iter().rev().map(|(m, s)| (*m, *s))
    }
}

/// A volunteer's hours as the roster shows them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VolunteerTotals {
    pub all: Sum,
    pub year: Sum,
    pub month: Sum,
}

/// Every total the roster shows, kept up to date record by record (see
/// [`Totals::apply`]) so that none needs a scan of the records; built once
/// from all records at start-up. Equal to [`Totals::from_records`] over the
/// same records, which the tests check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    volunteers: HashMap<VolunteerId, Series>,
    teams: HashMap<TeamId, Series>,
    posts: HashMap<PostId, Series>,
    activities: HashMap<ActivityId, Sum>,
    community: Series,
}

impl Totals {
    pub fn from_records<'a>(records: impl IntoIterator<Item = &'a ServiceRecord>) -> Totals {
        let mut t = Totals::default();
        for r in records {
            t.apply(None, Some(r));
        }
        t
    }

    /// A record was created (`old` None), changed, or is being replaced.
    pub fn apply(&mut self, old: Option<&ServiceRecord>, new: Option<&ServiceRecord>) {
        if let Some(o) = old.filter(|o| o.counts()) {
            self.remove(o);
        }
        if let Some(n) = new.filter(|n| n.counts()) {
            self.add(n);
        }
    }

    fn add(&mut self, r: &ServiceRecord) {
        let m = ym(r.date);
        self.volunteers.entry(r.volunteer).or_default().add(m, r.minutes);
        if let Some(t) = r.team {
            self.teams.entry(t).or_default().add(m, r.minutes);
        }
        if let Some(p) = r.post {
            self.posts.entry(p).or_default().add(m, r.minutes);
        }
        if let Some(a) = r.activity {
            self.activities.entry(a).or_default().add(r.minutes);
        }
        self.community.add(m, r.minutes);
    }

    fn remove(&mut self, r: &ServiceRecord) {
        let m = ym(r.date);
        fn sub_in<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Series>, k: K, m: Ym, minutes: u32) {
            if let Some(s) = map.get_mut(&k) {
                s.sub(m, minutes);
                if s.is_empty() {
                    map.remove(&k);
                }
            }
        }
        sub_in(&mut self.volunteers, r.volunteer, m, r.minutes);
        if let Some(t) = r.team {
            sub_in(&mut self.teams, t, m, r.minutes);
        }
        if let Some(p) = r.post {
            sub_in(&mut self.posts, p, m, r.minutes);
        }
        if let Some(a) = r.activity
            && let Some(s) = self.activities.get_mut(&a)
        {
            s.sub(r.minutes);
            if s.count == 0 {
                self.activities.remove(&a);
            }
        }
        self.community.sub(m, r.minutes);
    }

    pub fn volunteer_series(&self, v: VolunteerId) -> &Series {
        self.volunteers.get(&v).unwrap_or(&EMPTY_SERIES)
    }

    /// All time, the year of `today` and the month of `today`.
    pub fn volunteer(&self, v: VolunteerId, today: NaiveDate) -> VolunteerTotals {
        let s = self.volunteer_series(v);
        VolunteerTotals { all: s.all, year: s.year(today.year()), month: s.month(ym(today)) }
    }

    pub fn team(&self, t: TeamId) -> &Series {
        self.teams.get(&t).unwrap_or(&EMPTY_SERIES)
    }

    pub fn post(&self, p: PostId) -> &Series {
        self.posts.get(&p).unwrap_or(&EMPTY_SERIES)
    }

    pub fn activity(&self, a: ActivityId) -> Sum {
        self.activities.get(&a).copied().unwrap_or_default()
    }

    pub fn community(&self) -> &Series {
        &self.community
    }

    /// Every team's sum for month `m`, most hours first (teams with none
    /// left out).
    pub fn teams_in_month(&self, m: Ym) -> Vec<(TeamId, Sum)> {
        let mut v: Vec<(TeamId, Sum)> =
            self.teams.iter().map(|(t, s)| (*t, s.month(m))).filter(|(_, s)| s.count > 0).collect();
        v.sort_by_key(|(t, s)| (std::cmp::Reverse(s.minutes), *t));
        v
    }

    /// How many volunteers served in month `m`.
    pub fn people_in_month(&self, m: Ym) -> usize {
        self.volunteers.values().filter(|s| s.month(m).count > 0).count()
    }
}

// ---------------------------------------------------------------------------
// Requests handed to the roster

/// Hands a request to a team or a volunteer (e.g. 助老 help for an elderly
/// resident): a timeline note, the status unchanged. `text` says to whom
/// and why, as it should read in the timeline.
pub fn hand_request(
    r: &mut Request,
    team: Option<TeamId>,
    volunteer: Option<VolunteerId>,
    text: String,
    by: WorkerId,
    at: NaiveDateTime,
) {
    r.notes.push(Note {
        at,
        by,
        kind: NoteKind::Handed { team: team.map(|t| t.0), volunteer: volunteer.map(|v| v.0) },
        text,
        assignee: None,
        satisfaction: None,
    });
}

#[cfg(test)]
mod tests {
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
    }

    #[test]
    fn hours_and_dates_as_typed() {
        assert_eq!(parse_hours("2"), Some(120));
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
        assert_eq!(parse_date("明天", today), None);
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
}
