//! The roster in memory: teams, posts, volunteers, activities and the
//! certificate register as lists, with search keys, and every total
//! (`Totals`) kept from the service records, which are never held in
//! memory themselves.
//!
//! Built once from the store (in the background at start-up, like the
//! requests index) and updated after every save with what the store
//! returned; the store remains the only truth, and a test checks that the
//! kept totals equal a recomputation from the records.

use crate::domain::pinyin::{name_initials, text_initials};
use crate::domain::volunteer::{
    Activity, ActivityId, Availability, Certificate, Post, PostId, ServiceRecord, Staffing, Team, TeamId, Totals,
    Volunteer, VolunteerId, VolunteerKind,
};
use crate::domain::{Resident, ResidentId};
use crate::store::record::RecordKind;
use crate::store::roster::activities::{self, Activities, ActivityRef};
use crate::store::saved_copy::{self, Stamp};
use crate::store::{Result, Store};
use std::path::{Path, PathBuf};

/// The roster's saved copy (see `store::saved_copy`): one section, in
/// postcard, of every list and the totals ([`Saved`]), so that opening the
/// roster reads one file instead of 26,610 activities, 200,000 service
/// records and each linked volunteer's resident through sled (which keeps
/// ~15 MB of what it read, whichever is read first).
const COPY_MAGIC: &[u8; 8] = b"LINLIROS";
const COPY_FORMAT: u32 = 1;

/// Where the roster's copy is saved.
pub fn copy_path(data_dir: &Path) -> PathBuf {
    data_dir.join("roster.snapshot")
}

/// The stamp of the records the roster is made from (the volunteers'
/// names and phones come from the residents they are linked to).
fn roster_stamp(store: &Store) -> Result<Stamp> {
    store.stamp(&[
        RecordKind::Team,
        RecordKind::Post,
        RecordKind::Volunteer,
        RecordKind::Activity,
        RecordKind::ServiceRecord,
        RecordKind::Certificate,
        RecordKind::Resident,
    ])
}

/// What the copy holds: every list as stored, each volunteer with the
/// name, phone and address the roster shows, and the totals.
#[derive(serde::Serialize)]
struct SavedRef<'a> {
    teams: &'a [Team],
    posts: &'a [Post],
    activities: &'a Activities,
    certificates: &'a [Certificate],
    volunteers: Vec<(&'a Volunteer, &'a str, &'a str, &'a str)>,
    totals: &'a Totals,
}

/// [`SavedRef`] read back.
#[derive(serde::Deserialize)]
struct Saved {
    teams: Vec<Team>,
    posts: Vec<Post>,
    activities: Activities,
    certificates: Vec<Certificate>,
    volunteers: Vec<(Volunteer, String, String, String)>,
    totals: Totals,
}

impl<'a> SavedRef<'a> {
    fn of(r: &'a RosterIndex, totals: &'a Totals) -> Self {
        SavedRef {
            teams: &r.teams,
            posts: &r.posts,
            activities: &r.activities,
            certificates: &r.certificates,
            volunteers: r
                .volunteers
                .iter()
                .map(|v| (&v.v, v.name.as_str(), v.phone.as_str(), v.address.as_str()))
                .collect(),
            totals,
        }
    }
}

/// The roster's lists without the totals, as the copy holds them (to
/// compare two rosters: the totals' maps have no fixed order).
fn lists_bytes(r: &RosterIndex) -> Option<Vec<u8>> {
    postcard::to_allocvec(&SavedRef::of(r, &Totals::default())).ok()
}

fn read_copy(dir: &Path, stamp: Stamp) -> Option<RosterIndex> {
    let sections = saved_copy::read(&copy_path(dir), COPY_MAGIC, COPY_FORMAT, stamp)?;
    let saved: Saved = postcard::from_bytes(sections.first()?).ok()?;
    let in_order = saved.teams.windows(2).all(|w| w[0].id < w[1].id)
        && saved.posts.windows(2).all(|w| w[0].id < w[1].id)
        && saved.volunteers.windows(2).all(|w| w[0].0.id < w[1].0.id);
    if !in_order {
        return None;
    }
    let mut idx = RosterIndex {
        teams: saved.teams,
        posts: saved.posts,
        activities: saved.activities,
        certificates: saved.certificates,
        totals: saved.totals,
        ..Default::default()
    };
    idx.volunteers.reserve_exact(saved.volunteers.len());
    for (v, name, phone, address) in saved.volunteers {
        let row = idx.row_of(v, name, phone, address);
        idx.volunteers.push(row);
    }
    // decoded one by one, the lists grew by doubling
    idx.teams.shrink_to_fit();
    idx.posts.shrink_to_fit();
    idx.certificates.shrink_to_fit();
    idx.totals.fit();
    Some(idx)
}

fn write_copy(r: &RosterIndex, dir: &Path, stamp: Stamp) -> std::io::Result<()> {
    let bytes = postcard::to_allocvec(&SavedRef::of(r, &r.totals)).map_err(std::io::Error::other)?;
    saved_copy::write(&copy_path(dir), COPY_MAGIC, COPY_FORMAT, stamp, &[&bytes])
}

/// The totals from every service record (decoded one at a time, not kept).
pub fn scan_totals(store: &Store) -> Result<Totals> {
    let mut totals = Totals::default();
    store.scan(|r: ServiceRecord| totals.apply(None, Some(&r)))?;
    totals.fit();
    Ok(totals)
}

/// `linli check`: removes a saved roster at the records' stamp that
/// differs from what the records make (it would be read at the next
/// start). Returns whether it was removed.
pub fn drop_wrong_copy(store: &Store) -> Result<bool> {
    let Some(copy) = read_copy(store.dir(), roster_stamp(store)?) else { return Ok(false) };
    let truth = RosterIndex::read_records(store)?;
    let same = copy.totals == truth.totals && lists_bytes(&copy) == lists_bytes(&truth);
    Ok(!same && std::fs::remove_file(copy_path(store.dir())).is_ok())
}

/// Makes the saved roster match the records (after a command wrote).
pub fn refresh_copy(store: &Store) -> Result<()> {
    let stamp = roster_stamp(store)?;
    if read_copy(store.dir(), stamp).is_some() {
        return Ok(());
    }
    write_copy(&RosterIndex::read_records(store)?, store.dir(), stamp)
        .map_err(|e| crate::store::StoreError::from_io(&e))
}

/// A volunteer as the roster lists and finds them: the record, and the
/// name and phone resolved through the residents directory when linked.
#[derive(Debug, Clone)]
pub struct VolunteerRow {
    pub v: Volunteer,
    pub name: String,
    pub phone: String,
    /// The linked resident's address (empty when not linked).
    pub address: String,
    /// Every reading of the name (see `domain::pinyin`).
    pub initials: crate::domain::pinyin::Initials,
    /// Teams the volunteer is a current member of.
    pub teams: Vec<TeamId>,
    hay: String,
}

/// Words a volunteer's kind is found by, in both languages.
fn kind_words(k: VolunteerKind) -> &'static str {
    match k {
        VolunteerKind::Resident => "居民 resident",
        VolunteerKind::PartyMember => "在职党员 双报到 党员 party",
        VolunteerKind::Partner => "共建单位 partner",
        VolunteerKind::Student => "学生 student",
        VolunteerKind::Other => "其他 other",
    }
}

#[derive(Debug, Clone, Default)]
pub struct RosterIndex {
    /// Each list is in id order (ids only grow), so lookups are binary
    /// searches.
    pub teams: Vec<Team>,
    pub posts: Vec<Post>,
    pub volunteers: Vec<VolunteerRow>,
    /// Compact (see `roster::activities`): read one with `at` or `get`.
    pub activities: Activities,
    pub certificates: Vec<Certificate>,
    pub totals: Totals,
}

enum Term {
    Digits(String),
    /// Latin letters: pinyin initials (prefix), text, or days and times
    /// (`sat am`).
    Letters(String, Option<Availability>),
    /// Anything else: text, or days and times (`周六上午`).
    Text(String, Option<Availability>),
}

fn terms(q: &str) -> Vec<Term> {
    crate::domain::text::search_text(q)
        .split_whitespace()
        .map(|w| {
            let w = w.to_string();
            let avail = Availability::parse(&w).filter(|a| !a.is_empty());
            if w.bytes().all(|b| b.is_ascii_digit()) {
                Term::Digits(w)
            } else if w.bytes().all(|b| b.is_ascii_alphabetic()) {
                Term::Letters(w, avail)
            } else {
                Term::Text(w, avail)
            }
        })
        .collect()
}

/// Search keys of text that is not a person: lower-case text and the
/// initials of its Chinese.
fn text_hay(parts: &[&str]) -> String {
    let joined = parts.join("\u{1f}");
    format!("{}\u{1f}{}", joined.to_lowercase(), text_initials(&joined))
}

fn matches_text(hay: &str, terms: &[Term]) -> bool {
    terms.iter().all(|t| match t {
        Term::Digits(s) | Term::Letters(s, _) | Term::Text(s, _) => hay.contains(s.as_str()),
    })
}

impl RosterIndex {
    /// The whole roster: its saved copy when made from the records as they
    /// are now, else read from the records (and the copy saved for the
    /// next time, when nothing changed while reading).
    pub fn read(store: &Store) -> Result<RosterIndex> {
        let stamp = roster_stamp(store)?;
        if let Some(idx) = read_copy(store.dir(), stamp) {
            return Ok(idx);
        }
        let idx = Self::read_records(store)?;
        if roster_stamp(store)? == stamp {
            let _ = write_copy(&idx, store.dir(), stamp);
        }
        Ok(idx)
    }

    /// Reads the whole roster from the records: every list, and the totals
    /// from every service record (decoded once, not kept).
    pub fn read_records(store: &Store) -> Result<RosterIndex> {
        let mut idx =
            RosterIndex { teams: store.all()?, posts: store.all()?, certificates: store.all()?, ..Default::default() };
        let mut acts = activities::Builder::default();
        store.scan(|a: Activity| {
            acts.push(&a);
        })?;
        idx.activities = acts.finish();
        idx.totals = scan_totals(store)?;
        let volunteers: Vec<Volunteer> = store.all()?;
        idx.volunteers.reserve(volunteers.len());
        for v in volunteers {
            let resident = match v.resident {
                Some(r) => store.get::<Resident>(r.0)?,
                None => None,
            };
            let row = idx.row(v, resident.as_ref());
            idx.volunteers.push(row);
        }
        // read one by one, the lists grew by doubling
        idx.teams.shrink_to_fit();
        idx.posts.shrink_to_fit();
        idx.certificates.shrink_to_fit();
        Ok(idx)
    }

    /// Saves the copy for the next start (at quit): only a roster kept up
    /// to date with every save is the records' content. A failure only
    /// costs the next start a read of every record.
    pub fn save(&self, store: &Store) -> Result<()> {
        let stamp = roster_stamp(store)?;
        if read_copy(store.dir(), stamp).is_some() {
            return Ok(());
        }
        write_copy(self, store.dir(), stamp).map_err(|e| crate::store::StoreError::from_io(&e))
    }

    fn row(&self, v: Volunteer, resident: Option<&Resident>) -> VolunteerRow {
        let (name, phone, address) = match resident {
            Some(r) => (r.name.clone(), r.phone.clone(), r.address.to_string()),
            None => (v.name.clone(), v.phone.clone(), String::new()),
        };
        self.row_of(v, name, phone, address)
    }

    /// A volunteer's row, with the name, phone and address it shows.
    fn row_of(&self, v: Volunteer, name: String, phone: String, address: String) -> VolunteerRow {
        let teams: Vec<TeamId> = self.teams.iter().filter(|t| t.is_member(v.id)).map(|t| t.id).collect();
        let mut row =
            VolunteerRow { initials: name_initials(&name), v, name, phone, address, teams, hay: String::new() };
        row.hay = self.volunteer_hay(&row);
        row
    }

    fn volunteer_hay(&self, r: &VolunteerRow) -> String {
        let teams: Vec<&str> = r.teams.iter().map(|t| self.team_name(*t)).collect();
        format!(
            "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
            r.name,
            r.v.skills.join(" "),
            r.v.org,
            r.v.notes,
            teams.join(" "),
            r.address,
            kind_words(r.v.kind)
        )
        .to_lowercase()
    }

    // ---- lookups -------------------------------------------------------------

    pub fn team(&self, id: TeamId) -> Option<&Team> {
        self.teams.binary_search_by_key(&id, |t| t.id).ok().map(|i| &self.teams[i])
    }

    pub fn post(&self, id: PostId) -> Option<&Post> {
        self.posts.binary_search_by_key(&id, |p| p.id).ok().map(|i| &self.posts[i])
    }

    pub fn volunteer(&self, id: VolunteerId) -> Option<&VolunteerRow> {
        self.volunteer_pos(id).map(|i| &self.volunteers[i])
    }

    pub fn volunteer_pos(&self, id: VolunteerId) -> Option<usize> {
        self.volunteers.binary_search_by_key(&id, |r| r.v.id).ok()
    }

    pub fn activity(&self, id: ActivityId) -> Option<ActivityRef<'_>> {
        self.activities.get(id)
    }

    pub fn team_name(&self, id: TeamId) -> &str {
        self.team(id).map_or("", |t| t.name.as_str())
    }

    pub fn post_name(&self, id: PostId) -> &str {
        self.post(id).map_or("", |p| p.name.as_str())
    }

    pub fn volunteer_name(&self, id: VolunteerId) -> &str {
        self.volunteer(id).map_or("", |r| r.name.as_str())
    }

    /// The volunteer linked to a resident, if any.
    pub fn volunteer_of_resident(&self, r: ResidentId) -> Option<&VolunteerRow> {
        self.volunteers.iter().find(|v| v.v.resident == Some(r))
    }

    // ---- keeping up with saves ----------------------------------------------

    fn upsert_sorted<T, K: Ord + Copy>(list: &mut Vec<T>, item: T, key: impl Fn(&T) -> K) {
        let k = key(&item);
        match list.binary_search_by_key(&k, &key) {
            Ok(i) => list[i] = item,
            Err(i) => list.insert(i, item),
        }
    }

    /// A team was saved: its members' team lists and search keys change.
    pub fn upsert_team(&mut self, t: &Team) {
        Self::upsert_sorted(&mut self.teams, t.clone(), |x| x.id);
        for i in 0..self.volunteers.len() {
            let id = self.volunteers[i].v.id;
            let teams: Vec<TeamId> = self.teams.iter().filter(|t| t.is_member(id)).map(|t| t.id).collect();
            self.volunteers[i].teams = teams;
            self.volunteers[i].hay = self.volunteer_hay(&self.volunteers[i]);
        }
    }

    pub fn upsert_post(&mut self, p: &Post) {
        Self::upsert_sorted(&mut self.posts, p.clone(), |x| x.id);
    }

    /// A volunteer was saved; `resident` is their linked resident, if any.
    pub fn upsert_volunteer(&mut self, v: &Volunteer, resident: Option<&Resident>) {
        let row = self.row(v.clone(), resident);
        Self::upsert_sorted(&mut self.volunteers, row, |x| x.v.id);
    }

    /// A resident was saved in the directory: a linked volunteer shows the
    /// new name and phone.
    pub fn resident_changed(&mut self, r: &Resident) {
        if let Some(i) = self.volunteers.iter().position(|v| v.v.resident == Some(r.id)) {
            let v = self.volunteers[i].v.clone();
            self.volunteers[i] = self.row(v, Some(r));
        }
    }

    pub fn upsert_activity(&mut self, a: &Activity) {
        self.activities.upsert(a);
    }

    pub fn upsert_certificate(&mut self, c: &Certificate) {
        Self::upsert_sorted(&mut self.certificates, c.clone(), |x| x.id);
    }

    /// A record is gone (a creation was undone).
    pub fn remove_team(&mut self, id: TeamId) {
        self.teams.retain(|t| t.id != id);
        for i in 0..self.volunteers.len() {
            self.volunteers[i].teams.retain(|t| *t != id);
            self.volunteers[i].hay = self.volunteer_hay(&self.volunteers[i]);
        }
    }

    pub fn remove_post(&mut self, id: PostId) {
        self.posts.retain(|p| p.id != id);
    }

    pub fn remove_volunteer(&mut self, id: VolunteerId) {
        self.volunteers.retain(|v| v.v.id != id);
    }

    pub fn remove_activity(&mut self, id: ActivityId) {
        self.activities.remove(id);
    }

    pub fn remove_certificate(&mut self, id: crate::domain::volunteer::CertificateId) {
        self.certificates.retain(|c| c.id != id);
    }

    /// A service record was written: `old` is what it was before (None for
    /// a new one).
    pub fn apply(&mut self, old: Option<&ServiceRecord>, new: &ServiceRecord) {
        self.totals.apply(old, Some(new));
    }

    // ---- search --------------------------------------------------------------

    /// Volunteers matching every word of `q`, as positions in
    /// `volunteers`: a name or part of it, pinyin initials (`zs`), part of
    /// the phone (its tail), a skill, team, organisation or kind, or when
    /// they are free (`周六上午`, `周末`, `sat am`). `法律 周六上午` finds who
    /// can give legal advice on Saturday morning.
    pub fn search_volunteers(&self, q: &str, active_only: bool) -> Vec<usize> {
        let terms = terms(q);
        self.volunteers
            .iter()
            .enumerate()
            .filter(|(_, r)| !active_only || r.v.active)
            .filter(|(_, r)| {
                terms.iter().all(|t| match t {
                    Term::Digits(s) => r.phone.contains(s.as_str()) || r.hay.contains(s.as_str()),
                    Term::Letters(s, a) => {
                        r.initials.has_prefix(s.as_str())
                            || r.hay.contains(s.as_str())
                            || a.is_some_and(|a| r.v.availability.overlaps(a))
                    }
                    Term::Text(s, a) => r.hay.contains(s.as_str()) || a.is_some_and(|a| r.v.availability.overlaps(a)),
                })
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Teams by name, service type or leader.
    pub fn search_teams(&self, q: &str) -> Vec<usize> {
        let terms = terms(q);
        self.teams
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                terms.is_empty() || {
                    let leader = t.leader().map_or("", |l| self.volunteer_name(l));
                    matches_text(&text_hay(&[&t.name, &t.service_types.join(" "), leader]), &terms)
                }
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Posts by name, type, place or team; `attention` keeps only those
    /// unclaimed or short of people.
    pub fn search_posts(&self, q: &str, attention: bool) -> Vec<usize> {
        let terms = terms(q);
        self.posts
            .iter()
            .enumerate()
            .filter(|(_, p)| !attention || matches!(p.staffing(), Staffing::Unclaimed | Staffing::Short(_)))
            .filter(|(_, p)| {
                terms.is_empty() || {
                    let team = p.team.map_or("", |t| self.team_name(t));
                    matches_text(&text_hay(&[&p.name, &p.service_type, &p.place, team]), &terms)
                }
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Activities newest first, by title, place, team, post or date
    /// (`2026-11`).
    pub fn search_activities(&self, q: &str) -> Vec<usize> {
        let terms = terms(q);
        let mut hits: Vec<usize> = self
            .activities
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                terms.is_empty() || {
                    let team = a.team.map_or("", |t| self.team_name(t));
                    let post = a.post.map_or("", |p| self.post_name(p));
                    matches_text(&text_hay(&[a.title, a.place, team, post, &a.date.to_string()]), &terms)
                }
            })
            .map(|(i, _)| i)
            .collect();
        hits.sort_by_cached_key(|&i| std::cmp::Reverse(self.activities.at(i).map(|a| (a.date, a.span.start, a.id))));
        hits
    }

    /// The certificate register, newest first, by number or name.
    pub fn search_certificates(&self, q: &str) -> Vec<usize> {
        let terms = terms(q);
        let mut hits: Vec<usize> = self
            .certificates
            .iter()
            .enumerate()
            .filter(|(_, c)| terms.is_empty() || matches_text(&text_hay(&[&c.number, &c.name]), &terms))
            .map(|(i, _)| i)
            .collect();
        hits.reverse();
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::volunteer::Role;
    use chrono::NaiveDate;

    fn d() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    fn index() -> RosterIndex {
        let mut idx = RosterIndex::default();
        let mut team = Team::new(TeamId(1), "小巷管家");
        team.service_types = vec!["助老".into()];
        idx.upsert_team(&team);
        let mut a = Volunteer::new(VolunteerId(1), "张三", d());
        a.phone = "13812345678".into();
        a.skills = vec!["法律咨询".into()];
        a.availability = Availability::parse("周六上午 工作日晚上").unwrap();
        let mut b = Volunteer::new(VolunteerId(2), "", d());
        b.resident = Some(ResidentId(9));
        b.skills = vec!["法律咨询".into(), "理发".into()];
        b.availability = Availability::parse("周日全天").unwrap();
        b.kind = VolunteerKind::PartyMember;
        let mut c = Volunteer::new(VolunteerId(3), "曾小明", d());
        c.skills = vec!["理发".into()];
        c.availability = Availability::parse("周六").unwrap();
        c.active = false;
        let mut res = Resident::new(ResidentId(9), "单田芳");
        res.phone = "13700002222".into();
        idx.upsert_volunteer(&a, None);
        idx.upsert_volunteer(&b, Some(&res));
        idx.upsert_volunteer(&c, None);
        team.set_member(VolunteerId(2), Role::Leader, d());
        idx.upsert_team(&team);
        idx
    }

    fn names(idx: &RosterIndex, q: &str) -> Vec<String> {
        idx.search_volunteers(q, false).iter().map(|&i| idx.volunteers[i].name.clone()).collect()
    }

    #[test]
    fn finds_volunteers_by_name_initials_phone_skill_and_free_time() {
        let idx = index();
        assert_eq!(names(&idx, "zs"), ["张三"]);
        assert_eq!(names(&idx, "st"), ["单田芳"], "a linked resident's name, surname read as a surname");
        assert_eq!(names(&idx, "2222"), ["单田芳"], "a linked resident's phone");
        assert_eq!(names(&idx, "5678"), ["张三"]);
        assert_eq!(names(&idx, "法律"), ["张三", "单田芳"]);
        assert_eq!(names(&idx, "法律 周六上午"), ["张三"], "who gives legal advice on Saturday morning");
        assert_eq!(names(&idx, "周末"), ["张三", "单田芳", "曾小明"]);
        assert_eq!(names(&idx, "理发 sat"), ["曾小明"]);
        assert_eq!(names(&idx, "小巷管家"), ["单田芳"], "by team");
        assert_eq!(names(&idx, "双报到"), ["单田芳"], "by kind");
        assert!(names(&idx, "法律 周二下午").is_empty());
        assert_eq!(idx.search_volunteers("", true).len(), 2, "inactive left out when asked");
    }

    #[test]
    fn teams_know_their_leader_and_volunteers_their_teams() {
        let idx = index();
        assert_eq!(idx.volunteer(VolunteerId(2)).unwrap().teams, vec![TeamId(1)]);
        assert!(idx.volunteer(VolunteerId(1)).unwrap().teams.is_empty());
        assert_eq!(idx.search_teams("单田").len(), 1, "by the leader");
        assert_eq!(idx.search_teams("助老").len(), 1);
        assert_eq!(idx.search_teams("xxgj").len(), 1, "by the team name's initials");
        let mut idx = idx;
        let mut res = Resident::new(ResidentId(9), "单田芳");
        res.phone = "13700009999".into();
        idx.resident_changed(&res);
        assert_eq!(names(&idx, "9999"), ["单田芳"]);
    }
}

#[cfg(test)]
mod copy_tests;
