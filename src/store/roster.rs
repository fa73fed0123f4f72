//! The volunteer roster in the store: how teams, posts, volunteers,
//! activities, service records and certificates are kept, and the
//! operations the roster panel (and the generator) use.
//!
//! Crediting an activity writes the activity and every volunteer's service
//! record in ONE transaction with one flush, so a roll call of 40 people is
//! one durable write. Corrections never delete: a changed record keeps its
//! earlier values (`ServiceRecord::history`) and the audit trail has the
//! field-by-field change too.

pub mod activities;
pub mod certificate;
pub mod index;

use super::record::{Record, RecordKind};
use super::schema::*;
use super::{Result, Store, StoreError, abort, index_of};
use crate::domain::volunteer::{
    Activity, ActivityId, Certificate, CertificateId, MAX_RECORD_MINUTES, Post, PostId, RosterSettings, ServiceError,
    ServiceId, ServiceRecord, SettingsLineError, Team, TeamId, Volunteer, VolunteerId, certificate_number,
    hand_request,
};
use crate::domain::{Request, RequestId, ResidentId, WorkerId, mask};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use std::collections::HashMap;
use std::path::Path;

/// The file in the data dir with the roster's settings.
pub const SETTINGS_FILE: &str = "roster.txt";

/// Where certificates and other printable files are written, under the
/// data dir.
pub const EXPORTS_DIR: &str = "exports";

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

impl Record for Team {
    const KIND: RecordKind = RecordKind::Team;
    fn key(&self) -> u64 {
        self.id.0
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        let members: Vec<String> = self
            .members
            .iter()
            .map(|m| {
                let left = m.left.map(|d| format!("..{d}")).unwrap_or_default();
                format!("{}:{}:{}{left}", m.volunteer.0, super::record::code(&m.role), m.joined)
            })
            .collect();
        vec![
            ("name", self.name.clone()),
            ("service_types", self.service_types.join("、")),
            ("founded", opt(self.founded)),
            ("status", super::record::code(&self.status)),
            ("members", members.join(",")),
            ("notes", self.notes.clone()),
        ]
    }
    fn links(&self) -> Vec<(&'static str, u64)> {
        let mut v: Vec<(&'static str, u64)> =
            self.members.iter().map(|m| (TREE_TEAM_BY_VOLUNTEER, m.volunteer.0)).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

impl Record for Post {
    const KIND: RecordKind = RecordKind::Post;
    fn key(&self) -> u64 {
        self.id.0
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        let staff: Vec<String> = self.staff.iter().map(|v| v.0.to_string()).collect();
        vec![
            ("name", self.name.clone()),
            ("service_type", self.service_type.clone()),
            ("place", self.place.clone()),
            ("schedule", self.schedule.to_string()),
            ("needed", self.needed.to_string()),
            ("status", super::record::code(&self.status)),
            ("team", opt(self.team.map(|t| t.0))),
            ("claimed_on", opt(self.claimed_on)),
            ("staff", staff.join(",")),
        ]
    }
}

impl Record for Volunteer {
    const KIND: RecordKind = RecordKind::Volunteer;
    fn key(&self) -> u64 {
        self.id.0
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("resident", opt(self.resident.map(|r| r.0))),
            ("name", self.name.clone()),
            ("phone", mask::phone(&self.phone)),
            ("gender", super::record::code(&self.gender)),
            ("birth_year", opt(self.birth_year)),
            ("kind", super::record::code(&self.kind)),
            ("org", self.org.clone()),
            ("skills", self.skills.join("、")),
            ("availability", self.availability.to_string()),
            ("joined", self.joined.to_string()),
            ("active", self.active.to_string()),
            ("notes", self.notes.clone()),
        ]
    }
    fn links(&self) -> Vec<(&'static str, u64)> {
        self.resident.map(|r| (TREE_VOLUNTEER_BY_RESIDENT, r.0)).into_iter().collect()
    }
}

impl Record for Activity {
    const KIND: RecordKind = RecordKind::Activity;
    fn key(&self) -> u64 {
        self.id.0
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("date", self.date.to_string()),
            ("span", self.span.to_string()),
            ("team", opt(self.team.map(|t| t.0))),
            ("post", opt(self.post.map(|p| p.0))),
            ("place", self.place.clone()),
            ("title", self.title.clone()),
        ]
    }
}

impl Record for ServiceRecord {
    const KIND: RecordKind = RecordKind::ServiceRecord;
    fn key(&self) -> u64 {
        self.id.0
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("volunteer", self.volunteer.0.to_string()),
            ("date", self.date.to_string()),
            ("minutes", self.minutes.to_string()),
            ("activity", opt(self.activity.map(|a| a.0))),
            ("team", opt(self.team.map(|t| t.0))),
            ("post", opt(self.post.map(|p| p.0))),
            ("what", self.what.clone()),
            ("voided", self.voided.to_string()),
            ("reason", self.history.last().map(|h| h.reason.clone()).unwrap_or_default()),
        ]
    }
    fn links(&self) -> Vec<(&'static str, u64)> {
        let mut v = vec![(TREE_SERVICE_BY_VOLUNTEER, self.volunteer.0)];
        if let Some(a) = self.activity {
            v.push((TREE_SERVICE_BY_ACTIVITY, a.0));
        }
        v
    }
}

impl Record for Certificate {
    const KIND: RecordKind = RecordKind::Certificate;
    fn key(&self) -> u64 {
        self.id.0
    }
    fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("number", self.number.clone()),
            ("volunteer", self.volunteer.0.to_string()),
            ("name", self.name.clone()),
            ("from", self.from.to_string()),
            ("to", self.to.to_string()),
            ("minutes", self.minutes.to_string()),
            ("count", self.count.to_string()),
            ("issued_on", self.issued_on.to_string()),
        ]
    }
}

/// The generated roster (see `demo::volunteers`), for [`Store::bulk_load_roster`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterSet {
    pub teams: Vec<Team>,
    pub posts: Vec<Post>,
    pub volunteers: Vec<Volunteer>,
    pub activities: Vec<Activity>,
    pub records: Vec<ServiceRecord>,
}

/// What changed when a roll call was saved again: (before, after) for
/// every record written, `None` before for a new one.
pub type Changed = Vec<(Option<ServiceRecord>, ServiceRecord)>;

fn invalid(what: &str) -> StoreError {
    StoreError::Invalid(what.to_string())
}

fn check_minutes(m: u32) -> Result<()> {
    if m == 0 || m > MAX_RECORD_MINUTES { Err(invalid("minutes")) } else { Ok(()) }
}

fn seq(kind: RecordKind) -> Vec<u8> {
    seq_key(kind.name(), 0)
}

impl Store {
    // ---- teams, posts, volunteers --------------------------------------------

    pub fn create_team(&self, draft: &Team, by: WorkerId, at: NaiveDateTime) -> Result<Team> {
        if draft.name.trim().is_empty() {
            return Err(invalid("name"));
        }
        self.create(Some(by), at, |id| Team { id: TeamId(id), ..draft.clone() })
    }

    pub fn update_team(&self, t: &Team, by: WorkerId, at: NaiveDateTime) -> Result<()> {
        if t.name.trim().is_empty() {
            return Err(invalid("name"));
        }
        self.update(t, by, at)
    }

    pub fn create_post(&self, draft: &Post, by: WorkerId, at: NaiveDateTime) -> Result<Post> {
        if draft.name.trim().is_empty() {
            return Err(invalid("name"));
        }
        self.create(Some(by), at, |id| Post { id: PostId(id), ..draft.clone() })
    }

    pub fn update_post(&self, p: &Post, by: WorkerId, at: NaiveDateTime) -> Result<()> {
        if p.name.trim().is_empty() {
            return Err(invalid("name"));
        }
        self.update(p, by, at)
    }

    /// The volunteer record of a resident, if they volunteer.
    pub fn volunteer_of_resident(&self, r: ResidentId) -> Result<Option<Volunteer>> {
        Ok(self.linked::<Volunteer>(TREE_VOLUNTEER_BY_RESIDENT, r.0)?.into_iter().next())
    }

    fn check_volunteer(&self, v: &Volunteer) -> Result<()> {
        if v.resident.is_none() && v.name.trim().is_empty() {
            return Err(invalid("name"));
        }
        if let Some(r) = v.resident
            && let Some(other) = self.volunteer_of_resident(r)?
            && other.id != v.id
        {
            return Err(invalid("resident"));
        }
        Ok(())
    }

    /// Saves a new volunteer. One linked to a resident keeps no name or
    /// phone of their own: the residents directory has them.
    pub fn create_volunteer(&self, draft: &Volunteer, by: WorkerId, at: NaiveDateTime) -> Result<Volunteer> {
        self.check_volunteer(draft)?;
        let mut v = draft.clone();
        if v.resident.is_some() {
            v.name.clear();
            v.phone.clear();
        }
        self.create(Some(by), at, |id| Volunteer { id: VolunteerId(id), ..v.clone() })
    }

    pub fn update_volunteer(&self, v: &Volunteer, by: WorkerId, at: NaiveDateTime) -> Result<Volunteer> {
        self.check_volunteer(v)?;
        let mut v = v.clone();
        if v.resident.is_some() {
            v.name.clear();
            v.phone.clear();
        }
        self.update(&v, by, at)?;
        Ok(v)
    }

    // ---- activities and service hours ---------------------------------------

    /// Logs an activity and credits the volunteers who came, each with
    /// their minutes, in ONE durable transaction.
    pub fn log_activity(
        &self,
        draft: &Activity,
        credits: &[(VolunteerId, u32)],
        by: WorkerId,
        at: NaiveDateTime,
    ) -> Result<(Activity, Vec<ServiceRecord>)> {
        if draft.title.trim().is_empty() {
            return Err(invalid("title"));
        }
        for (_, m) in credits {
            check_minutes(*m)?;
        }
        let mut seen: Vec<VolunteerId> = credits.iter().map(|c| c.0).collect();
        seen.sort_unstable();
        seen.dedup();
        if seen.len() != credits.len() {
            return Err(invalid("volunteer"));
        }
        self.transact(|t| {
            let id = Self::tx_advance(t, &seq(RecordKind::Activity), 1)? + 1;
            let a = Activity { id: ActivityId(id), logged_by: by, ..draft.clone() };
            Self::tx_put(t, None, &a, Some(by), at)?;
            let first = Self::tx_advance(t, &seq(RecordKind::ServiceRecord), credits.len() as u64)? + 1;
            let records: Vec<ServiceRecord> = credits
                .iter()
                .enumerate()
                .map(|(i, (v, m))| ServiceRecord {
                    id: ServiceId(first + i as u64),
                    volunteer: *v,
                    date: a.date,
                    minutes: *m,
                    activity: Some(a.id),
                    team: a.team,
                    post: a.post,
                    what: a.title.clone(),
                    voided: false,
                    history: Vec::new(),
                })
                .collect();
            for r in &records {
                Self::tx_put(t, None, r, Some(by), at)?;
            }
            Ok((a, records))
        })
    }

    /// Saves an activity again with its roll call as it stands now, in one
    /// transaction: new people are credited, people no longer ticked have
    /// their record voided (kept, not counted), changed hours or a changed
    /// date are corrections that keep the earlier values. Team, post and
    /// title follow the activity.
    pub fn update_activity(
        &self,
        activity: &Activity,
        credits: &[(VolunteerId, u32)],
        reason: &str,
        by: WorkerId,
        at: NaiveDateTime,
    ) -> Result<(Activity, Changed)> {
        if activity.title.trim().is_empty() {
            return Err(invalid("title"));
        }
        for (_, m) in credits {
            check_minutes(*m)?;
        }
        // index trees cannot be iterated inside a transaction; the ids are
        // read first and each record re-read inside it
        let ids: Vec<u64> = self.linked_ids(TREE_SERVICE_BY_ACTIVITY, activity.id.0)?;
        let reason = crate::domain::text::clean_input(reason, false);
        self.transact(|t| {
            let Some(old) = Self::tx_get::<Activity>(t, activity.id.0)? else {
                return abort(StoreError::NotFound { what: "activity", key: activity.id.0 });
            };
            let a = Activity { logged_by: old.logged_by, ..activity.clone() };
            if a != old {
                Self::tx_put(t, Some(&old), &a, Some(by), at)?;
            }
            let mut changed: Changed = Vec::new();
            let mut have: HashMap<VolunteerId, ()> = HashMap::new();
            for id in &ids {
                let Some(r) = Self::tx_get::<ServiceRecord>(t, *id)? else { continue };
                if have.insert(r.volunteer, ()).is_some() {
                    continue; // a second record of the same person: left alone
                }
                let want = credits.iter().find(|c| c.0 == r.volunteer).map(|c| c.1);
                let mut n = r.clone();
                let outcome = match want {
                    Some(m) => n.correct(a.date, m, false, &reason, by, at),
                    None => n.correct(a.date, r.minutes, true, &reason, by, at),
                };
                match outcome {
                    Ok(()) | Err(ServiceError::Unchanged) => {}
                    Err(ServiceError::BadMinutes) => return abort(invalid("minutes")),
                }
                n.team = a.team;
                n.post = a.post;
                n.what = a.title.clone();
                if n != r {
                    Self::tx_put(t, Some(&r), &n, Some(by), at)?;
                    changed.push((Some(r), n));
                }
            }
            let new: Vec<&(VolunteerId, u32)> = credits.iter().filter(|c| !have.contains_key(&c.0)).collect();
            let first = Self::tx_advance(t, &seq(RecordKind::ServiceRecord), new.len() as u64)? + 1;
            for (i, (v, m)) in new.into_iter().enumerate() {
                let r = ServiceRecord {
                    id: ServiceId(first + i as u64),
                    volunteer: *v,
                    date: a.date,
                    minutes: *m,
                    activity: Some(a.id),
                    team: a.team,
                    post: a.post,
                    what: a.title.clone(),
                    voided: false,
                    history: Vec::new(),
                };
                Self::tx_put(t, None, &r, Some(by), at)?;
                changed.push((None, r));
            }
            Ok((a, changed))
        })
    }

    /// Logs one volunteer's hours outside an activity (a home visit, a
    /// shift at a post).
    pub fn log_service(&self, draft: &ServiceRecord, by: WorkerId, at: NaiveDateTime) -> Result<ServiceRecord> {
        check_minutes(draft.minutes)?;
        self.create(Some(by), at, |id| ServiceRecord {
            id: ServiceId(id),
            voided: false,
            history: Vec::new(),
            ..draft.clone()
        })
    }

    /// Corrects (or voids) one record; the earlier values stay on it.
    /// Returns (before, after).
    #[allow(clippy::too_many_arguments)]
    pub fn correct_service(
        &self,
        id: ServiceId,
        date: NaiveDate,
        minutes: u32,
        voided: bool,
        reason: &str,
        by: WorkerId,
        at: NaiveDateTime,
    ) -> Result<(ServiceRecord, ServiceRecord)> {
        check_minutes(minutes)?;
        let reason = crate::domain::text::clean_input(reason, false);
        self.transact(|t| {
            let Some(old) = Self::tx_get::<ServiceRecord>(t, id.0)? else {
                return abort(StoreError::NotFound { what: "service", key: id.0 });
            };
            let mut new = old.clone();
            match new.correct(date, minutes, voided, &reason, by, at) {
                Ok(()) => {}
                Err(ServiceError::Unchanged) => return abort(invalid("unchanged")),
                Err(ServiceError::BadMinutes) => return abort(invalid("minutes")),
            }
            Self::tx_put(t, Some(&old), &new, Some(by), at)?;
            Ok((old, new))
        })
    }

    /// Ids linked to `owner` in an index, in id order.
    fn linked_ids(&self, index: &str, owner: u64) -> Result<Vec<u64>> {
        super::links::linked(&self.trees[index_of(index)], owner)
    }

    /// The newest `n` records linked to `owner` (newest first) and how many
    /// there are in all, reading only those `n`.
    pub fn latest_linked<R: Record>(&self, index: &str, owner: u64, n: usize) -> Result<(Vec<R>, usize)> {
        let ids = self.linked_ids(index, owner)?;
        let mut out = Vec::with_capacity(n.min(ids.len()));
        for id in ids.iter().rev().take(n) {
            if let Some(r) = self.get(*id)? {
                out.push(r);
            }
        }
        Ok((out, ids.len()))
    }

    /// Every service record of a volunteer, in id order.
    pub fn service_of(&self, v: VolunteerId) -> Result<Vec<ServiceRecord>> {
        self.linked(TREE_SERVICE_BY_VOLUNTEER, v.0)
    }

    /// A volunteer's newest records, newest first, and their count.
    pub fn latest_service_of(&self, v: VolunteerId, n: usize) -> Result<(Vec<ServiceRecord>, usize)> {
        self.latest_linked(TREE_SERVICE_BY_VOLUNTEER, v.0, n)
    }

    /// Who was credited for an activity (voided records included).
    pub fn service_of_activity(&self, a: ActivityId) -> Result<Vec<ServiceRecord>> {
        self.linked(TREE_SERVICE_BY_ACTIVITY, a.0)
    }

    /// The teams a volunteer is or was in.
    pub fn teams_of(&self, v: VolunteerId) -> Result<Vec<Team>> {
        self.linked(TREE_TEAM_BY_VOLUNTEER, v.0)
    }

    // ---- certificates --------------------------------------------------------

    /// Issues a certificate for a volunteer's service from `from` to `to`
    /// (inclusive): gives it the next number of the year, keeps it in the
    /// register, and returns it with the records it covers (oldest first)
    /// for printing.
    pub fn issue_certificate(
        &self,
        v: VolunteerId,
        name: &str,
        from: NaiveDate,
        to: NaiveDate,
        by: WorkerId,
        at: NaiveDateTime,
    ) -> Result<(Certificate, Vec<ServiceRecord>)> {
        if from > to {
            return Err(invalid("period"));
        }
        let name = crate::domain::text::clean_input(name, false);
        if name.is_empty() {
            return Err(invalid("name"));
        }
        let records = self.certificate_records(v, from, to)?;
        let minutes: u64 = records.iter().map(|r| u64::from(r.minutes)).sum();
        let count = records.len() as u32;
        let cert = self.transact(|t| {
            let id = Self::tx_advance(t, &seq(RecordKind::Certificate), 1)? + 1;
            let year = at.date().year();
            let n = Self::tx_advance(t, &seq_key(RecordKind::Certificate.name(), year), 1)? + 1;
            let c = Certificate {
                id: CertificateId(id),
                number: certificate_number(year, n),
                volunteer: v,
                name: name.clone(),
                from,
                to,
                minutes,
                count,
                issued_on: at.date(),
                issued_by: by,
            };
            Self::tx_put(t, None, &c, Some(by), at)?;
            Ok(c)
        })?;
        Ok((cert, records))
    }

    /// The records a certificate for this period covers, oldest first.
    pub fn certificate_records(&self, v: VolunteerId, from: NaiveDate, to: NaiveDate) -> Result<Vec<ServiceRecord>> {
        let mut records: Vec<ServiceRecord> =
            self.service_of(v)?.into_iter().filter(|r| r.counts() && r.date >= from && r.date <= to).collect();
        records.sort_by_key(|r| (r.date, r.id));
        Ok(records)
    }

    // ---- requests handed to the roster ---------------------------------------

    /// Hands a request to a team or volunteer: a note on its timeline.
    pub fn hand_request(
        &self,
        id: RequestId,
        team: Option<TeamId>,
        volunteer: Option<VolunteerId>,
        text: &str,
        by: WorkerId,
        at: NaiveDateTime,
    ) -> Result<Request> {
        if team.is_none() && volunteer.is_none() {
            return Err(invalid("team"));
        }
        let text = crate::domain::text::clean_input(text, true);
        self.change_request(id, by, at, |r| {
            hand_request(r, team, volunteer, text.clone(), by, at);
            Ok(())
        })
    }

    // ---- bulk loading --------------------------------------------------------

    /// Writes a generated roster into an empty roster (see `bulk_load`):
    /// records and index entries in batches, id counters, one flush.
    pub fn bulk_load_roster(&self, set: &RosterSet) -> Result<()> {
        let mut links = super::links::Pending::default();
        self.bulk_put(&set.teams, &mut links)?;
        self.bulk_put(&set.posts, &mut links)?;
        self.bulk_put(&set.volunteers, &mut links)?;
        self.bulk_put(&set.activities, &mut links)?;
        self.bulk_put(&set.records, &mut links)?;
        links.write(&self.trees, super::BULK_CHUNK)?;
        let mut meta = sled::Batch::default();
        let max = |ids: &mut dyn Iterator<Item = u64>| ids.max().unwrap_or(0).to_be_bytes();
        meta.insert(seq(RecordKind::Team), &max(&mut set.teams.iter().map(|x| x.id.0)));
        meta.insert(seq(RecordKind::Post), &max(&mut set.posts.iter().map(|x| x.id.0)));
        meta.insert(seq(RecordKind::Volunteer), &max(&mut set.volunteers.iter().map(|x| x.id.0)));
        meta.insert(seq(RecordKind::Activity), &max(&mut set.activities.iter().map(|x| x.id.0)));
        meta.insert(seq(RecordKind::ServiceRecord), &max(&mut set.records.iter().map(|x| x.id.0)));
        // a saved copy of the search index is valid only for the generation
        // it was made at
        meta.insert(META_GENERATION, &(self.generation()? + 1).to_be_bytes());
        self.meta().apply_batch(meta)?;
        self.flush()
    }
}

/// Reads `roster.txt` from the data dir, writing the default there first
/// if it is missing (like `categories.txt`). A broken file gives the
/// defaults and the line that was wrong; it never stops the app.
pub fn load_settings(dir: &Path) -> (RosterSettings, Option<SettingsLineError>) {
    let path = dir.join(SETTINGS_FILE);
    let Some(text) = crate::platform::office_text::read_or_create(&path, &RosterSettings::default().to_text()) else {
        return (RosterSettings::default(), None);
    };
    match RosterSettings::parse(&text) {
        Ok(s) => (s, None),
        Err(e) => (RosterSettings::default(), Some(e)),
    }
}
