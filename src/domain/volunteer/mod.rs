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
use std::collections::HashMap;

mod settings;
#[cfg(test)]
mod tests;
mod time;
mod totals;

pub use settings::*;
pub use time::*;
pub use totals::*;

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
        let s = crate::domain::text::half_width(s);
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
    let s = crate::domain::text::number_text(s).to_lowercase();
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

pub use crate::domain::text::parse_date;

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
    r.notes.push(Note::new(
        at,
        by,
        NoteKind::Handed { team: team.map(|t| t.0), volunteer: volunteer.map(|v| v.0) },
        text,
    ));
}
