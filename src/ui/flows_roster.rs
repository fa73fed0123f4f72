//! What the roster's keys, forms, pickers and the roll call lead to:
//! building them from the roster, checking what was typed, saving through
//! the store (one call per save) and updating the in-memory roster with
//! what the store returned. Nothing here draws.

use super::app::{App, Panel};
use super::layers::{ConfirmAction, FormPurpose, Layer, PickPurpose};
use super::panels::rollcall::{RollCall, RollOutcome};
use super::panels::roster::{RECENT, RosterAction, RosterView};
use super::widgets::form::{Field, Form};
use super::widgets::picker::{Pick, PickItem, Picker};
use crate::domain::volunteer::{
    Activity, ActivityId, Availability, Gender, Post, PostId, PostStatus, Role, Schedule, ServiceId, ServiceRecord,
    Span, Team, TeamId, TeamStatus, Volunteer, VolunteerId, VolunteerKind, hours, parse_date, parse_hours, split_list,
};
use crate::domain::{RequestId, Resident, ResidentId, WorkerId, mask};
use crate::i18n::volunteers as ir;
use crate::i18n::{self, fill};
use crate::store::StoreError;
use crate::store::record::RecordKind;
use crate::store::roster::certificate::{CertLine, CertificateDoc};
use crate::store::roster::index::RosterIndex;
use crate::store::undo::Change;
use chrono::{Datelike, NaiveDate};
use ratatui::crossterm::event::KeyEvent;

/// What a roster form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterForm {
    NewTeam,
    EditTeam(TeamId),
    NewPost,
    EditPost(PostId),
    NewVolunteer,
    EditVolunteer(VolunteerId),
    /// Log (None) or change an activity; goes on to the roll call.
    Activity(Option<ActivityId>),
    Hours(VolunteerId),
    Correct(ServiceId),
    Certificate(VolunteerId),
    /// A member's role (or leaving, when `existing`).
    Member {
        team: TeamId,
        volunteer: VolunteerId,
        existing: bool,
    },
    /// Hand a request to a team (`team`) or volunteer.
    Hand {
        request: RequestId,
        team: Option<TeamId>,
        volunteer: Option<VolunteerId>,
    },
}

/// What a roster picker is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterPick {
    /// Fills the lookup field `key` ("team", "post") of the form below.
    Field(&'static str),
    AddMember(TeamId),
    MemberOf(TeamId),
    AddStaff(PostId),
    RemoveStaff(PostId),
    Claim(PostId),
    Correct(VolunteerId),
    Hand(RequestId),
}

/// Picker ids of teams in the hand-over picker (volunteers use plain ids).
const TEAM_BIT: u64 = 1 << 62;

fn yes_no(lang: crate::i18n::Lang) -> Vec<String> {
    match lang {
        crate::i18n::Lang::Zh => vec!["否".into(), "是".into()],
        crate::i18n::Lang::En => vec!["No".into(), "Yes".into()],
    }
}

/// The latest day on or before `d` that is one of `days` (`d` if none).
fn last_on_schedule(d: NaiveDate, days: crate::domain::volunteer::Days) -> NaiveDate {
    (0..7)
        .map(|k| d - chrono::Duration::days(k))
        .find(|x| days & (1 << x.weekday().num_days_from_monday()) != 0)
        .unwrap_or(d)
}

fn volunteer_item(d: &RosterIndex, i: usize) -> PickItem {
    let r = &d.volunteers[i];
    let teams: Vec<&str> = r.teams.iter().map(|t| ir::short_team(d.team_name(*t))).collect();
    PickItem::new(
        format!("{}  {}  {}  {}", r.name, teams.join(","), r.v.skills.join(","), mask::phone(&r.phone)),
        r.v.id.0,
        &r.name,
        &r.phone,
        &format!("{} {}", teams.join(" "), r.v.skills.join(" ")),
    )
}

impl App {
    fn roster_op(&mut self) -> Option<WorkerId> {
        if self.operator.is_none() {
            self.info(self.lang.t().no_operator);
            self.open_operator_picker(None);
        }
        self.operator
    }

    fn rt(&self) -> &'static ir::VolunteersText {
        self.lang.volunteers()
    }

    fn store_msg(&self, e: &StoreError) -> String {
        i18n::store_error(self.lang, e)
    }

    /// Reads `roster.txt` and notes where certificates go; called once when
    /// the app starts.
    pub fn roster_init(&mut self) {
        let dir = self.store.dir().to_path_buf();
        let (settings, err) = crate::store::roster::load_settings(&dir);
        self.roster.settings = settings;
        self.roster.exports = dir.join(crate::store::roster::EXPORTS_DIR);
        if let Some(e) = err {
            self.message = Some((fill(self.rt().settings_warning, e.line), true));
        }
    }

    /// The roster has been read in the background.
    pub fn finish_roster_loading(&mut self, r: Result<RosterIndex, StoreError>) {
        match r {
            Ok(data) => {
                self.roster.data = data;
                self.roster.loaded = true;
                self.roster_refresh();
            }
            Err(e) => self.error(&e),
        }
    }

    fn roster_ready(&mut self) -> bool {
        if !self.roster.loaded {
            self.info(self.rt().not_loaded);
        }
        self.roster.loaded
    }

    /// Re-runs the current view's search and reloads the selection's details.
    pub fn roster_refresh(&mut self) {
        self.roster.refilter(self.today.date);
        self.roster_load_detail();
    }

    /// Reads what the detail pane shows beyond the roster in memory: a
    /// volunteer's newest records, an activity's credits.
    pub fn roster_load_detail(&mut self) {
        if !self.roster.loaded {
            return;
        }
        match self.roster.view {
            RosterView::Volunteers => {
                let id = self.roster.selected_volunteer().map(|r| r.v.id);
                if id.is_some() && id != self.roster.recent_for {
                    let id = id.unwrap_or(VolunteerId(0));
                    match self.store.latest_service_of(id, RECENT) {
                        Ok((mut recent, total)) => {
                            // the newest logged, shown by the day they served
                            recent.sort_by_key(|r| std::cmp::Reverse((r.date, r.id)));
                            self.roster.recent = recent;
                            self.roster.recent_total = total;
                            self.roster.recent_for = Some(id);
                        }
                        Err(e) => self.error(&e),
                    }
                }
            }
            RosterView::Activities => {
                let id = self.roster.selected_activity().map(|a| a.id);
                if id.is_some() && id != self.roster.credited_for {
                    let id = id.unwrap_or(ActivityId(0));
                    match self.store.service_of_activity(id) {
                        Ok(v) => {
                            self.roster.credited = v;
                            self.roster.credited_for = Some(id);
                        }
                        Err(e) => self.error(&e),
                    }
                }
            }
            _ => {}
        }
    }

    /// Details read from the store are stale after a save.
    fn roster_saved(&mut self) {
        self.roster.recent_for = None;
        self.roster.credited_for = None;
        self.roster_refresh();
    }

    pub fn roster_step(&mut self, delta: isize) {
        self.roster.step(delta);
        self.roster_load_detail();
    }

    /// Shows view `v` with the item at `pos` selected (after a save).
    fn roster_show(&mut self, v: RosterView, pos: Option<usize>) {
        if self.roster.view != v {
            self.roster.view = v;
            self.roster.search.clear();
            self.roster.searching = false;
        }
        self.roster.refilter(self.today.date);
        if let Some(p) = pos {
            if !self.roster.hits.contains(&p) {
                self.roster.search.clear();
                self.roster.attention = false;
                self.roster.refilter(self.today.date);
            }
            self.roster.select_pos(p);
        }
        self.roster_saved();
    }

    pub fn roster_act(&mut self, a: RosterAction) {
        if a == RosterAction::HandOver {
            return self.open_hand_picker();
        }
        if matches!(a, RosterAction::PrevView | RosterAction::NextView) {
            self.roster.switch(a == RosterAction::NextView);
            self.roster_refresh();
            return;
        }
        if !self.roster_ready() {
            return;
        }
        match a {
            RosterAction::LogActivity => self.open_activity_form(None),
            RosterAction::LogHours => self.open_hours_form(),
            RosterAction::Certificate => self.open_certificate_form(),
            RosterAction::Correct => self.open_correct_picker(),
            RosterAction::AddMember => self.open_member_picker(false),
            RosterAction::MemberRole => self.open_member_picker(true),
            RosterAction::AddStaff => self.open_staff_picker(true),
            RosterAction::RemoveStaff => self.open_staff_picker(false),
            RosterAction::Claim => self.open_claim_picker(),
            RosterAction::Attention => {
                self.roster.attention = !self.roster.attention;
                self.roster_refresh();
            }
            RosterAction::RollCall => self.open_roll_call_for_selected(),
            RosterAction::Sort => {
                self.roster.sort = self.roster.sort.next();
                self.roster_refresh();
            }
            RosterAction::PrevView | RosterAction::NextView | RosterAction::HandOver => {}
        }
    }

    /// `n` in the roster.
    pub fn roster_new(&mut self) {
        if !self.roster_ready() {
            return;
        }
        match self.roster.view {
            RosterView::Teams => self.open_team_form(None),
            RosterView::Posts => self.open_post_form(None),
            RosterView::Volunteers => self.open_volunteer_form(None),
            RosterView::Activities | RosterView::Months => self.open_activity_form(None),
            RosterView::Certificates => self.info(self.rt().pick_a_volunteer),
        }
    }

    /// `e` in the roster.
    pub fn roster_edit(&mut self) {
        if !self.roster_ready() {
            return;
        }
        match self.roster.view {
            RosterView::Teams => {
                if let Some(t) = self.roster.selected_team().cloned() {
                    self.open_team_form(Some(&t));
                }
            }
            RosterView::Posts => {
                if let Some(p) = self.roster.selected_post().cloned() {
                    self.open_post_form(Some(&p));
                }
            }
            RosterView::Volunteers => {
                if let Some(v) = self.roster.selected_volunteer().map(|r| r.v.clone()) {
                    self.open_volunteer_form(Some(&v));
                }
            }
            RosterView::Activities => {
                if let Some(a) = self.roster.selected_activity().cloned() {
                    self.open_activity_form(Some(&a));
                }
            }
            RosterView::Months | RosterView::Certificates => {}
        }
    }

    /// Enter in the roster.
    pub fn roster_open(&mut self) {
        if !self.roster_ready() {
            return;
        }
        match self.roster.view {
            RosterView::Activities => self.open_roll_call_for_selected(),
            RosterView::Certificates => self.reprint_certificate(),
            RosterView::Months => {}
            _ => self.roster_edit(),
        }
    }

    /// `v`: the selected volunteer's full phone number, recorded first.
    pub fn roster_reveal(&mut self) {
        let Some(r) = self.roster.selected_volunteer() else { return };
        if r.phone.is_empty() {
            return;
        }
        let (kind, key) = match r.v.resident {
            Some(res) => (RecordKind::Resident, res.0),
            None => (RecordKind::Volunteer, r.v.id.0),
        };
        let id = r.v.id;
        let Some(op) = self.roster_op() else { return };
        match self.store.record_reveal(kind, key, "phone", op, self.now()) {
            Ok(()) => {
                self.roster.revealed = Some(id);
                self.info(self.lang.t().revealed);
            }
            Err(e) => self.error(&e),
        }
    }

    /// A resident was saved in the directory: a linked volunteer follows.
    pub fn roster_resident_saved(&mut self, r: &Resident) {
        if self.roster.loaded {
            self.roster.data.resident_changed(r);
        }
    }

    // ---- forms ---------------------------------------------------------------

    fn push_form(&mut self, title: &str, fields: Vec<Field>, purpose: RosterForm, warning: Option<String>) {
        let mut form = Form::new(title, self.lang.t().form_keys, fields);
        form.warning = warning;
        self.layers.push(Layer::Form(form, FormPurpose::Roster(purpose)));
    }

    fn team_lookup(&self, id: Option<TeamId>) -> Field {
        let t = self.rt();
        let name = id.map_or("", |x| self.roster.data.team_name(x));
        Field::lookup("team", t.f_team, name, id.map_or(0, |x| x.0), t.no_team)
    }

    fn post_lookup(&self, id: Option<PostId>) -> Field {
        let t = self.rt();
        let name = id.map_or("", |x| self.roster.data.post_name(x));
        Field::lookup("post", t.f_post, name, id.map_or(0, |x| x.0), t.no_post)
    }

    fn open_team_form(&mut self, existing: Option<&Team>) {
        let t = self.rt();
        let lang = self.lang;
        let draft = existing.cloned().unwrap_or_else(|| Team::new(TeamId(0), ""));
        let statuses: Vec<String> = TeamStatus::ALL.iter().map(|s| ir::team_status(lang, *s).to_string()).collect();
        let fields = vec![
            Field::text("name", t.f_team_name, &draft.name, true),
            Field::text("types", t.f_types, &draft.service_types.join("、"), false),
            Field::text("founded", t.f_founded, &draft.founded.map_or(String::new(), |d| d.to_string()), false),
            Field::choice(
                "status",
                t.f_status,
                statuses,
                TeamStatus::ALL.iter().position(|s| *s == draft.status).unwrap_or(0),
            ),
            Field::text("notes", t.f_notes, &draft.notes, false),
        ];
        let (title, purpose) = match existing {
            Some(x) => (t.edit_team, RosterForm::EditTeam(x.id)),
            None => (t.new_team, RosterForm::NewTeam),
        };
        let hint = fill(t.types_hint, self.roster.settings.service_types.join("、"));
        self.push_form(title, fields, purpose, Some(hint));
    }

    fn open_post_form(&mut self, existing: Option<&Post>) {
        let t = self.rt();
        let lang = self.lang;
        let draft = existing.cloned().unwrap_or_else(|| Post::new(PostId(0), ""));
        let mut types = self.roster.settings.service_types.clone();
        if !draft.service_type.is_empty() && !types.contains(&draft.service_type) {
            types.push(draft.service_type.clone());
        }
        let ty = types.iter().position(|x| *x == draft.service_type).unwrap_or(0);
        let statuses: Vec<String> = PostStatus::ALL.iter().map(|s| ir::post_status(lang, *s).to_string()).collect();
        let fields = vec![
            Field::text("name", t.f_post_name, &draft.name, true),
            Field::choice("type", t.f_type, types, ty),
            Field::text("place", t.f_place, &draft.place, false),
            Field::text("schedule", t.f_schedule, &ir::schedule(lang, draft.schedule), false),
            Field::text("needed", t.f_needed, &draft.needed.to_string(), true),
            self.team_lookup(draft.team),
            Field::choice(
                "status",
                t.f_status,
                statuses,
                PostStatus::ALL.iter().position(|s| *s == draft.status).unwrap_or(0),
            ),
        ];
        let (title, purpose) = match existing {
            Some(x) => (t.edit_post, RosterForm::EditPost(x.id)),
            None => (t.new_post, RosterForm::NewPost),
        };
        self.push_form(title, fields, purpose, Some(t.schedule_hint.to_string()));
    }

    fn open_volunteer_form(&mut self, existing: Option<&Volunteer>) {
        let t = self.rt();
        let lang = self.lang;
        let draft = existing.cloned().unwrap_or_else(|| Volunteer::new(VolunteerId(0), "", self.today.date));
        let row = existing.and_then(|v| self.roster.data.volunteer(v.id));
        let (rname, rid) = match (draft.resident, row) {
            (Some(r), Some(row)) => (row.name.clone(), r.0),
            _ => (String::new(), 0),
        };
        let genders: Vec<String> = Gender::ALL.iter().map(|g| ir::gender(lang, *g).to_string()).collect();
        let kinds: Vec<String> = VolunteerKind::ALL.iter().map(|k| ir::kind(lang, *k).to_string()).collect();
        let mut fields = vec![
            Field::lookup("resident", t.f_resident, &rname, rid, t.not_linked),
            Field::text("name", self.lang.t().f_name, &draft.name, false),
            Field::text("phone", self.lang.t().f_phone, &draft.phone, false),
            Field::choice(
                "gender",
                t.f_gender,
                genders,
                Gender::ALL.iter().position(|g| *g == draft.gender).unwrap_or(0),
            ),
            Field::text("birth", t.f_birth_year, &draft.birth_year.map_or(String::new(), |y| y.to_string()), false),
            Field::choice(
                "kind",
                t.f_kind,
                kinds,
                VolunteerKind::ALL.iter().position(|k| *k == draft.kind).unwrap_or(0),
            ),
            Field::text("org", t.f_org, &draft.org, false),
            Field::text("skills", t.f_skills, &draft.skills.join("、"), false),
            Field::text("avail", t.f_availability, &ir::availability(lang, draft.availability), false),
        ];
        if existing.is_some() {
            fields.push(Field::choice("active", t.f_active, yes_no(lang), usize::from(draft.active)));
        }
        fields.push(Field::text("notes", t.f_notes, &draft.notes, false));
        let (title, purpose) = match existing {
            Some(v) => (t.edit_volunteer, RosterForm::EditVolunteer(v.id)),
            None => (t.new_volunteer, RosterForm::NewVolunteer),
        };
        self.push_form(title, fields, purpose, None);
        let mut form_focus = "resident";
        if existing.is_some() && rid == 0 {
            form_focus = "name";
        }
        if let Some(Layer::Form(f, _)) = self.layers.last_mut() {
            f.focus_on(form_focus);
        }
        self.roster_form_changed(purpose);
    }

    fn open_activity_form(&mut self, existing: Option<&Activity>) {
        let t = self.rt();
        // from a post or a team, start from what it says
        let (team, post) = match (existing, self.roster.view) {
            (Some(a), _) => (a.team, a.post),
            (None, RosterView::Posts) => {
                let p = self.roster.selected_post();
                (p.and_then(|p| p.team), p.map(|p| p.id))
            }
            (None, RosterView::Teams) => (self.roster.selected_team().map(|t| t.id), None),
            _ => (None, None),
        };
        let p = post.and_then(|p| self.roster.data.post(p)).cloned();
        // from a post, the activity most likely just happened on its day
        let date = existing.map_or_else(
            || p.as_ref().map_or(self.today.date, |p| last_on_schedule(self.today.date, p.schedule.days)),
            |a| a.date,
        );
        let span = existing
            .map(|a| a.span)
            .or_else(|| p.as_ref().and_then(|p| p.schedule.span))
            .unwrap_or(Span::new(9 * 60, 11 * 60));
        let title = existing.map_or_else(|| p.as_ref().map_or(String::new(), |p| p.name.clone()), |a| a.title.clone());
        let place = existing.map_or_else(|| p.as_ref().map_or(String::new(), |p| p.place.clone()), |a| a.place.clone());
        let fields = vec![
            Field::text("date", t.f_date, &date.to_string(), true),
            Field::text("time", t.f_time, &span.to_string(), true),
            Field::text("title", t.f_title, &title, true),
            self.team_lookup(team),
            self.post_lookup(post),
            Field::text("place", t.f_place, &place, false),
        ];
        let purpose = RosterForm::Activity(existing.map(|a| a.id));
        let title = if existing.is_some() { t.edit_activity } else { t.new_activity };
        self.push_form(title, fields, purpose, None);
        if let Some(Layer::Form(f, _)) = self.layers.last_mut()
            && existing.is_none()
        {
            f.focus_on(if post.is_some() { "place" } else { "title" });
        }
    }

    fn open_hours_form(&mut self) {
        let t = self.rt();
        let Some(r) = self.roster.selected_volunteer() else { return self.info(t.no_volunteer) };
        let (id, name, team) = (r.v.id, r.name.clone(), r.teams.first().copied());
        let fields = vec![
            Field::text("date", t.f_date, &self.today.date.to_string(), true),
            Field::text("hours", t.f_hours, "", true),
            Field::text("what", t.f_what, "", true),
            self.team_lookup(team),
            self.post_lookup(None),
        ];
        self.push_form(&format!("{} {name}", t.log_hours), fields, RosterForm::Hours(id), None);
        if let Some(Layer::Form(f, _)) = self.layers.last_mut() {
            f.focus_on("hours");
        }
    }

    fn open_certificate_form(&mut self) {
        let t = self.rt();
        let Some(r) = self.roster.selected_volunteer() else { return self.info(t.pick_a_volunteer) };
        let (id, name) = (r.v.id, r.name.clone());
        let from = NaiveDate::from_ymd_opt(self.today.date.year(), 1, 1).unwrap_or(self.today.date);
        let fields = vec![
            Field::text("from", t.f_from, &from.to_string(), true),
            Field::text("to", t.f_to, &self.today.date.to_string(), true),
        ];
        self.push_form(&format!("{} {name}", t.certificate), fields, RosterForm::Certificate(id), None);
    }

    fn open_correct_picker(&mut self) {
        let t = self.rt();
        let Some(r) = self.roster.selected_volunteer() else { return self.info(t.no_volunteer) };
        let id = r.v.id;
        let name = r.name.clone();
        self.roster_load_detail();
        if self.roster.recent.is_empty() {
            return self.info(t.no_records);
        }
        let items: Vec<PickItem> = self
            .roster
            .recent
            .iter()
            .map(|rec| {
                let team = rec.team.map_or("", |x| ir::short_team(self.roster.data.team_name(x)));
                let void = if rec.voided { t.d_voided } else { "" };
                let label =
                    format!("{void}{} {}{} {team} {}", rec.date, hours(u64::from(rec.minutes)), t.hours_unit, rec.what);
                PickItem::new(label, rec.id.0, "", "", &format!("{} {team} {}", rec.date, rec.what))
            })
            .collect();
        let p = Picker::new(&format!("{} {name}", t.choose_record), self.lang.t().picker_keys, items);
        self.layers.push(Layer::Picker(p, PickPurpose::Roster(RosterPick::Correct(id))));
    }

    fn open_correct_form(&mut self, id: ServiceId) {
        let t = self.rt();
        let rec = match self.roster.recent.iter().find(|r| r.id == id).cloned() {
            Some(r) => r,
            None => match self.store.get::<ServiceRecord>(id.0) {
                Ok(Some(r)) => r,
                Ok(None) => return,
                Err(e) => return self.error(&e),
            },
        };
        let fields = vec![
            Field::text("date", t.f_date, &rec.date.to_string(), true),
            Field::text("hours", t.f_hours, &hours(u64::from(rec.minutes)), true),
            Field::choice("void", t.f_void, yes_no(self.lang), usize::from(rec.voided)),
            Field::text("reason", t.f_reason, "", true),
        ];
        let name = self.roster.data.volunteer_name(rec.volunteer).to_string();
        self.push_form(&format!("{} {name} {}", t.correct_record, rec.what), fields, RosterForm::Correct(id), None);
        if let Some(Layer::Form(f, _)) = self.layers.last_mut() {
            f.focus_on("hours");
        }
    }

    fn volunteer_picker(&mut self, title: &str, keep: impl Fn(VolunteerId) -> bool, purpose: RosterPick) {
        let d = &self.roster.data;
        let items: Vec<PickItem> = d
            .search_volunteers("", true)
            .into_iter()
            .filter(|&i| keep(d.volunteers[i].v.id))
            .map(|i| volunteer_item(d, i))
            .collect();
        let p = Picker::new(title, self.lang.t().picker_keys, items);
        self.layers.push(Layer::Picker(p, PickPurpose::Roster(purpose)));
    }

    fn open_member_picker(&mut self, existing: bool) {
        let t = self.rt();
        let Some(team) = self.roster.selected_team().cloned() else { return self.info(self.lang.t().nothing_selected) };
        if existing {
            let d = &self.roster.data;
            let items: Vec<PickItem> = team
                .current()
                .iter()
                .filter_map(|m| d.volunteer_pos(m.volunteer))
                .map(|i| {
                    let mut it = volunteer_item(d, i);
                    let role = team.member(d.volunteers[i].v.id).map_or("", |m| ir::role(self.lang, m.role));
                    it.label = format!("{}  {role}", d.volunteers[i].name);
                    it
                })
                .collect();
            let p = Picker::new(&format!("{} {}", t.choose_member, team.name), self.lang.t().picker_keys, items);
            self.layers.push(Layer::Picker(p, PickPurpose::Roster(RosterPick::MemberOf(team.id))));
        } else {
            let title = format!("{} → {}", t.choose_volunteer, team.name);
            self.volunteer_picker(&title, |v| !team.is_member(v), RosterPick::AddMember(team.id));
        }
    }

    fn open_member_form(&mut self, team: TeamId, volunteer: VolunteerId, existing: bool) {
        let t = self.rt();
        let lang = self.lang;
        let Some(tm) = self.roster.data.team(team) else { return };
        let mut roles: Vec<String> = Role::ALL.iter().map(|r| ir::role(lang, *r).to_string()).collect();
        if existing {
            roles.push(t.leave_team.to_string());
        }
        // a team without a leader most likely gets one first
        let new_role = if tm.leader().is_none() { 0 } else { 2 };
        let cur = tm.member(volunteer).map_or(new_role, |m| Role::ALL.iter().position(|r| *r == m.role).unwrap_or(2));
        let title = format!("{} {} {}", t.member_form, tm.name, self.roster.data.volunteer_name(volunteer));
        let fields = vec![
            Field::choice("role", t.f_role, roles, cur),
            Field::text("date", t.f_joined, &self.today.date.to_string(), true),
        ];
        self.push_form(&title, fields, RosterForm::Member { team, volunteer, existing }, None);
    }

    fn open_staff_picker(&mut self, add: bool) {
        let t = self.rt();
        let Some(post) = self.roster.selected_post().cloned() else { return self.info(self.lang.t().nothing_selected) };
        let title = format!("{} {}", t.choose_volunteer, post.name);
        if add {
            // the claiming team's members first
            let team = post.team.and_then(|x| self.roster.data.team(x)).cloned();
            let d = &self.roster.data;
            let mut items: Vec<(bool, PickItem)> = d
                .search_volunteers("", true)
                .into_iter()
                .filter(|&i| !post.staff.contains(&d.volunteers[i].v.id))
                .map(|i| (team.as_ref().is_some_and(|tm| tm.is_member(d.volunteers[i].v.id)), volunteer_item(d, i)))
                .collect();
            items.sort_by_key(|(member, _)| !member);
            let p = Picker::new(&title, self.lang.t().picker_keys, items.into_iter().map(|(_, i)| i).collect());
            self.layers.push(Layer::Picker(p, PickPurpose::Roster(RosterPick::AddStaff(post.id))));
        } else {
            self.volunteer_picker(&title, |v| post.staff.contains(&v), RosterPick::RemoveStaff(post.id));
        }
    }

    fn team_items(&self) -> Vec<PickItem> {
        let d = &self.roster.data;
        d.teams
            .iter()
            .filter(|t| t.status != TeamStatus::Disbanded)
            .map(|t| {
                let leader = t.leader().map_or("", |l| d.volunteer_name(l));
                PickItem::new(
                    format!("{}  {}  {}", t.name, t.service_types.join(","), leader),
                    t.id.0,
                    &t.name,
                    "",
                    &t.service_types.join(" "),
                )
            })
            .collect()
    }

    fn open_claim_picker(&mut self) {
        let t = self.rt();
        let Some(post) = self.roster.selected_post().cloned() else { return self.info(self.lang.t().nothing_selected) };
        let p = Picker::new(&format!("{} {}", t.choose_team, post.name), self.lang.t().picker_keys, self.team_items())
            .with_nobody(t.pick_unclaim)
            .with_selected_id(post.team.map_or(0, |x| x.0));
        self.layers.push(Layer::Picker(p, PickPurpose::Roster(RosterPick::Claim(post.id))));
    }

    /// `t` in the requests panel: hand the selected request to a team or
    /// a volunteer.
    fn open_hand_picker(&mut self) {
        let t = self.rt();
        let Some(req) = self.requests.detail.clone() else { return self.info(self.lang.t().nothing_selected) };
        if !self.roster_ready() {
            return;
        }
        let d = &self.roster.data;
        let mut items: Vec<PickItem> = self
            .team_items()
            .into_iter()
            .map(|mut it| {
                it.id |= TEAM_BIT;
                it.label = format!("[{}] {}", t.v_teams, it.label);
                it
            })
            .collect();
        items.extend(d.search_volunteers("", true).into_iter().map(|i| {
            let mut it = volunteer_item(d, i);
            let free = ir::availability(self.lang, d.volunteers[i].v.availability);
            it.label = format!("{}  {free}", it.label);
            it
        }));
        let p = Picker::new(&format!("{} {}", t.choose_hand, req.id), self.lang.t().picker_keys, items);
        self.layers.push(Layer::Picker(p, PickPurpose::Roster(RosterPick::Hand(req.id))));
    }

    fn open_roll_call_for_selected(&mut self) {
        if let Some(a) = self.roster.selected_activity().cloned() {
            self.open_roll_call(a, true);
        }
    }

    /// The roll call for an activity; a saved one starts with who was
    /// credited. A changed length moves those on the old default along.
    fn open_roll_call(&mut self, activity: Activity, existing: bool) {
        let mut ticks = Vec::new();
        if existing {
            match self.store.service_of_activity(activity.id) {
                Ok(recs) => {
                    let old_len = self.roster.data.activity(activity.id).map(Activity::minutes);
                    for r in recs.iter().filter(|r| !r.voided) {
                        let m = if Some(r.minutes) == old_len { activity.minutes() } else { r.minutes };
                        ticks.push((r.volunteer, m));
                    }
                }
                Err(e) => return self.error(&e),
            }
        }
        let mut rc = RollCall::new(activity, existing, ticks, &self.roster.data, self.lang);
        if existing {
            // what a corrected record says about why it changed
            rc.reason = self.rt().roll_redone.to_string();
        }
        self.layers.push(Layer::RollCall(Box::new(rc)));
    }

    pub fn roll_call_key(&mut self, mut rc: Box<RollCall>, key: &KeyEvent) {
        match rc.handle_key(key) {
            RollOutcome::Consumed => self.layers.push(Layer::RollCall(rc)),
            RollOutcome::Cancel if rc.dirty => {
                self.layers.push(Layer::RollCall(rc));
                self.layers.push(Layer::Confirm(self.rt().confirm_roll_discard.into(), ConfirmAction::DiscardForm));
            }
            RollOutcome::Cancel => {}
            RollOutcome::Save => self.save_roll_call(rc),
        }
    }

    fn save_roll_call(&mut self, rc: Box<RollCall>) {
        let Some(op) = self.roster_op() else { return self.layers.push(Layer::RollCall(rc)) };
        let now = self.now();
        let result = if rc.existing {
            self.store.update_activity(&rc.activity, &rc.ticks, &rc.reason, op, now)
        } else {
            self.store.log_activity(&rc.activity, &rc.ticks, op, now).map(|(a, recs)| {
                let changed = recs.into_iter().map(|r| (None, r)).collect();
                (a, changed)
            })
        };
        match result {
            Ok((a, changed)) => {
                self.remember_change();
                // the activity form below is done with
                if let Some(Layer::Form(_, FormPurpose::Roster(RosterForm::Activity(_)))) = self.layers.last() {
                    self.layers.pop();
                }
                self.roster.data.upsert_activity(&a);
                for (old, new) in &changed {
                    self.roster.data.apply(old.as_ref(), new);
                }
                let pos = self.roster.data.activities.iter().position(|x| x.id == a.id);
                self.roster_show(RosterView::Activities, pos);
                self.info(fill(self.rt().saved_activity, rc.ticks.len()));
            }
            Err(e) => {
                self.message = Some((self.store_msg(&e), true));
                self.layers.push(Layer::RollCall(rc));
            }
        }
    }

    // ---- lookups and pickers -------------------------------------------------

    /// Enter on a roster lookup field ("team", "post").
    pub fn open_roster_lookup(&mut self, field: &'static str) {
        let t = self.rt();
        let picker = match field {
            "team" => {
                Picker::new(t.choose_team, self.lang.t().picker_keys, self.team_items()).with_nobody(t.pick_no_team)
            }
            "post" => {
                let d = &self.roster.data;
                let items = d
                    .posts
                    .iter()
                    .filter(|p| p.status == PostStatus::Open)
                    .map(|p| {
                        let team = p.team.map_or("", |x| d.team_name(x));
                        PickItem::new(
                            format!("{}  {}  {team}", p.name, ir::schedule(self.lang, p.schedule)),
                            p.id.0,
                            &p.name,
                            "",
                            &format!("{} {} {team}", p.service_type, p.place),
                        )
                    })
                    .collect();
                Picker::new(t.choose_post, self.lang.t().picker_keys, items).with_nobody(t.pick_no_post)
            }
            _ => return,
        };
        self.layers.push(Layer::Picker(picker, PickPurpose::Roster(RosterPick::Field(field))));
    }

    fn set_field(&mut self, key: &str, shown: &str, id: u64) {
        if let Some(Layer::Form(form, purpose)) = self.layers.last_mut() {
            form.set_lookup(key, shown, id);
            form.focus = (form.focus + 1).min(form.fields.len() - 1);
            if let FormPurpose::Roster(p) = *purpose {
                self.roster_form_changed(p);
            }
        }
    }

    pub fn roster_picked(&mut self, picker: Picker, purpose: RosterPick, pick: Pick) {
        let _ = picker;
        let id = match pick {
            Pick::Id(id) => Some(id),
            _ => None,
        };
        match purpose {
            RosterPick::Field(key) => {
                let shown = match (key, id) {
                    ("team", Some(i)) => self.roster.data.team_name(TeamId(i)).to_string(),
                    ("post", Some(i)) => self.roster.data.post_name(PostId(i)).to_string(),
                    _ => String::new(),
                };
                self.set_field(key, &shown, id.unwrap_or(0));
                // a post brings its team, time and place to an activity
                if key == "post"
                    && let Some(p) = id.and_then(|i| self.roster.data.post(PostId(i))).cloned()
                    && let Some(Layer::Form(form, FormPurpose::Roster(RosterForm::Activity(_)))) =
                        self.layers.last_mut()
                {
                    if form.lookup("team") == 0
                        && let Some(tm) = p.team
                    {
                        let name = self.roster.data.team_name(tm).to_string();
                        form.set_lookup("team", &name, tm.0);
                    }
                    for f in form.fields.iter_mut() {
                        if let crate::ui::widgets::form::FieldKind::Text { input, .. } = &mut f.kind {
                            let value = match f.key {
                                "time" => p.schedule.span.map(|s| s.to_string()),
                                "place" if input.is_empty() => Some(p.place.clone()),
                                "title" if input.is_empty() => Some(p.name.clone()),
                                _ => None,
                            };
                            if let Some(v) = value {
                                *input = crate::ui::widgets::input::LineInput::new(&v);
                            }
                        }
                    }
                }
            }
            RosterPick::AddMember(team) => {
                if let Some(v) = id {
                    self.open_member_form(team, VolunteerId(v), false);
                }
            }
            RosterPick::MemberOf(team) => {
                if let Some(v) = id {
                    self.open_member_form(team, VolunteerId(v), true);
                }
            }
            RosterPick::AddStaff(post) | RosterPick::RemoveStaff(post) => {
                let (Some(v), Some(mut p)) = (id, self.roster.data.post(post).cloned()) else { return };
                let v = VolunteerId(v);
                let add = matches!(purpose, RosterPick::AddStaff(_));
                if add {
                    p.staff.push(v);
                } else {
                    p.staff.retain(|x| *x != v);
                }
                let msg = if add { self.rt().staff_added } else { self.rt().staff_removed };
                self.save_post(p, msg);
            }
            RosterPick::Claim(post) => {
                let Some(mut p) = self.roster.data.post(post).cloned() else { return };
                let team = id.map(TeamId);
                p.claim(team, self.today.date);
                let msg = if team.is_some() { self.rt().claimed } else { self.rt().unclaimed_msg };
                self.save_post(p, msg);
            }
            RosterPick::Correct(_) => {
                if let Some(r) = id {
                    self.open_correct_form(ServiceId(r));
                }
            }
            RosterPick::Hand(request) => {
                let Some(target) = id else { return };
                let (team, volunteer, name) = if target & TEAM_BIT != 0 {
                    let t = TeamId(target & !TEAM_BIT);
                    (Some(t), None, self.roster.data.team_name(t).to_string())
                } else {
                    let v = VolunteerId(target);
                    (None, Some(v), self.roster.data.volunteer_name(v).to_string())
                };
                let t = self.rt();
                let fields = vec![Field::text("note", t.f_note, "", false)];
                self.push_form(
                    &format!("{} {request} → {name}", t.hand_form),
                    fields,
                    RosterForm::Hand { request, team, volunteer },
                    None,
                );
            }
        }
    }

    fn save_post(&mut self, p: Post, msg: &str) {
        let Some(op) = self.roster_op() else { return };
        match self.store.update_post(&p, op, self.now()) {
            Ok(()) => {
                self.remember_change();
                self.roster.data.upsert_post(&p);
                self.roster_saved();
                self.info(msg);
            }
            Err(e) => self.error(&e),
        }
    }

    /// Recomputes a roster form's hints after an edit.
    pub fn roster_form_changed(&mut self, purpose: RosterForm) {
        let (RosterForm::NewVolunteer | RosterForm::EditVolunteer(_)) = purpose else { return };
        let t = self.rt();
        let lang = self.lang;
        let this = match purpose {
            RosterForm::EditVolunteer(id) => Some(id),
            _ => None,
        };
        let Some(Layer::Form(form, _)) = self.layers.last_mut() else { return };
        let mut parts = Vec::new();
        let rid = form.lookup("resident");
        if rid != 0 {
            // already a volunteer: say so now, not after everything is typed
            if let Some(other) = self.roster.data.volunteer_of_resident(ResidentId(rid))
                && Some(other.v.id) != this
            {
                parts.push(fill(t.already_volunteer, &other.name));
            }
            parts.push(t.linked_hint.to_string());
            // name and phone come from the directory: go on past them
            if form.focus_key() == "name" {
                form.focus_on("gender");
            }
        }
        let avail = form.text("avail");
        match Availability::parse(&avail) {
            Some(a) if !a.is_empty() => parts.push(fill(t.availability_read, ir::availability(lang, a))),
            Some(_) => parts.push(fill(t.skills_hint, crate::domain::volunteer::SKILLS[..6].join("、"))),
            None => parts.push(t.bad_availability.to_string()),
        }
        form.warning = Some(parts.join("\n"));
    }

    // ---- saving --------------------------------------------------------------

    /// Saves a roster form. `Err` keeps the form open with the message.
    pub fn submit_roster_form(&mut self, form: &Form, purpose: RosterForm) -> Result<(), String> {
        let Some(op) = self.roster_op() else { return Ok(()) };
        let t = self.rt();
        let now = self.now();
        let today = self.today.date;
        let date = |key: &str| parse_date(&form.text(key), today).ok_or_else(|| t.bad_date.to_string());
        match purpose {
            RosterForm::NewTeam | RosterForm::EditTeam(_) => {
                let mut team = match purpose {
                    RosterForm::EditTeam(id) => {
                        self.roster.data.team(id).cloned().ok_or_else(|| t.nothing_changed.to_string())?
                    }
                    _ => Team::new(TeamId(0), ""),
                };
                team.name = form.text("name");
                team.service_types = split_list(&form.text("types"));
                team.founded = if form.text("founded").is_empty() { None } else { Some(date("founded")?) };
                team.status = TeamStatus::ALL[form.choice("status").min(2)];
                team.notes = form.text("notes");
                let saved = match purpose {
                    RosterForm::EditTeam(_) => self.store.update_team(&team, op, now).map(|_| team),
                    _ => self.store.create_team(&team, op, now),
                }
                .map_err(|e| self.store_msg(&e))?;
                self.remember_change();
                self.roster.data.upsert_team(&saved);
                let pos = self.roster.data.teams.iter().position(|x| x.id == saved.id);
                self.roster_show(RosterView::Teams, pos);
                self.info(t.saved);
            }
            RosterForm::NewPost | RosterForm::EditPost(_) => {
                let mut post = match purpose {
                    RosterForm::EditPost(id) => {
                        self.roster.data.post(id).cloned().ok_or_else(|| t.nothing_changed.to_string())?
                    }
                    _ => Post::new(PostId(0), ""),
                };
                post.name = form.text("name");
                post.service_type = form.choice_text("type");
                post.place = form.text("place");
                post.schedule = Schedule::parse(&form.text("schedule")).ok_or_else(|| t.bad_schedule.to_string())?;
                post.needed = form
                    .text("needed")
                    .parse::<u16>()
                    .ok()
                    .filter(|n| (1..=999).contains(n))
                    .ok_or_else(|| t.bad_number.to_string())?;
                let team = form.lookup("team");
                post.claim((team != 0).then_some(TeamId(team)), today);
                post.status = PostStatus::ALL[form.choice("status").min(2)];
                let saved = match purpose {
                    RosterForm::EditPost(_) => self.store.update_post(&post, op, now).map(|_| post),
                    _ => self.store.create_post(&post, op, now),
                }
                .map_err(|e| self.store_msg(&e))?;
                self.remember_change();
                self.roster.data.upsert_post(&saved);
                let pos = self.roster.data.posts.iter().position(|x| x.id == saved.id);
                self.roster_show(RosterView::Posts, pos);
                self.info(t.saved);
            }
            RosterForm::NewVolunteer | RosterForm::EditVolunteer(_) => self.save_volunteer(form, purpose, op)?,
            RosterForm::Activity(existing) => {
                let d = date("date")?;
                let span = Span::parse(&form.text("time")).ok_or_else(|| t.bad_time.to_string())?;
                let team = form.lookup("team");
                let post = form.lookup("post");
                let base = existing.and_then(|id| self.roster.data.activity(id)).cloned();
                let activity = Activity {
                    id: existing.unwrap_or(ActivityId(0)),
                    date: d,
                    span,
                    team: (team != 0).then_some(TeamId(team)),
                    post: (post != 0).then_some(PostId(post)),
                    place: form.text("place"),
                    title: form.text("title"),
                    logged_by: base.map_or(op, |b| b.logged_by),
                };
                // the form stays below the roll call: Esc there comes back to it
                self.layers.push(Layer::Form(form.clone(), FormPurpose::Roster(purpose)));
                self.open_roll_call(activity, existing.is_some());
            }
            RosterForm::Hours(v) => {
                let minutes = parse_hours(&form.text("hours")).ok_or_else(|| t.bad_hours.to_string())?;
                let team = form.lookup("team");
                let post = form.lookup("post");
                let draft = ServiceRecord {
                    id: ServiceId(0),
                    volunteer: v,
                    date: date("date")?,
                    minutes,
                    activity: None,
                    team: (team != 0).then_some(TeamId(team)),
                    post: (post != 0).then_some(PostId(post)),
                    what: form.text("what"),
                    voided: false,
                    history: Vec::new(),
                };
                let r = self.store.log_service(&draft, op, now).map_err(|e| self.store_msg(&e))?;
                self.remember_change();
                self.roster.data.apply(None, &r);
                self.roster_saved();
                self.info(fill(t.saved_hours, hours(u64::from(r.minutes))));
            }
            RosterForm::Correct(id) => {
                let minutes = parse_hours(&form.text("hours")).ok_or_else(|| t.bad_hours.to_string())?;
                let voided = form.choice("void") == 1;
                let result =
                    self.store.correct_service(id, date("date")?, minutes, voided, &form.text("reason"), op, now);
                let (old, new) = result.map_err(|e| match e {
                    StoreError::Invalid(ref w) if w == "unchanged" => t.nothing_changed.to_string(),
                    e => self.store_msg(&e),
                })?;
                self.remember_change();
                self.roster.data.apply(Some(&old), &new);
                self.roster_saved();
                self.info(t.corrected);
            }
            RosterForm::Certificate(v) => {
                let (from, to) = (date("from")?, date("to")?);
                if from > to {
                    return Err(t.bad_period.to_string());
                }
                let name = self.roster.data.volunteer_name(v).to_string();
                let (cert, records) =
                    self.store.issue_certificate(v, &name, from, to, op, now).map_err(|e| self.store_msg(&e))?;
                self.remember_change();
                self.roster.data.upsert_certificate(&cert);
                let written = self.write_certificate(&cert, &records);
                let pos = self.roster.data.certificates.iter().position(|x| x.id == cert.id);
                self.roster_show(RosterView::Certificates, pos);
                match written {
                    Ok(path) => self.info(format!("{}{}", fill(t.issued, &cert.number), self.short_path(&path))),
                    Err(e) => {
                        self.message = Some((format!("{}{e}", fill(t.issued_no_file, &cert.number)), true));
                    }
                }
            }
            RosterForm::Member { team, volunteer, existing } => {
                let Some(mut tm) = self.roster.data.team(team).cloned() else { return Ok(()) };
                let on = date("date")?;
                let choice = form.choice("role");
                let leaving = existing && choice >= Role::ALL.len();
                if leaving {
                    tm.remove_member(volunteer, on);
                } else {
                    let role = Role::ALL[choice.min(2)];
                    // a role change keeps the date they joined
                    let joined = tm.member(volunteer).map_or(on, |m| if existing { m.joined } else { on });
                    tm.set_member(volunteer, role, joined);
                }
                self.store.update_team(&tm, op, now).map_err(|e| self.store_msg(&e))?;
                self.remember_change();
                self.roster.data.upsert_team(&tm);
                self.roster_saved();
                self.info(if leaving { t.member_left } else { t.member_saved });
            }
            RosterForm::Hand { request, team, volunteer } => {
                let name = match (team, volunteer) {
                    (Some(x), _) => self.roster.data.team_name(x).to_string(),
                    (None, Some(v)) => self.roster.data.volunteer_name(v).to_string(),
                    _ => String::new(),
                };
                let note = form.text("note");
                let text = if note.is_empty() { name } else { format!("{name}：{note}") };
                let r = self
                    .store
                    .hand_request(request, team, volunteer, &text, op, now)
                    .map_err(|e| self.store_msg(&e))?;
                self.request_saved(&r);
                self.info(t.handed);
            }
        }
        Ok(())
    }

    fn save_volunteer(&mut self, form: &Form, purpose: RosterForm, op: WorkerId) -> Result<(), String> {
        let t = self.rt();
        let now = self.now();
        let today = self.today.date;
        let phone = mask::normalize_phone(&form.text("phone")).map_err(|_| self.lang.t().bad_phone.to_string())?;
        let birth = form.text("birth");
        let birth_year = if birth.is_empty() {
            None
        } else {
            Some(
                birth
                    .trim_end_matches('年')
                    .parse::<u16>()
                    .ok()
                    .filter(|y| (1900..=today.year() as u16).contains(y))
                    .ok_or_else(|| t.bad_number.to_string())?,
            )
        };
        let availability = Availability::parse(&form.text("avail")).ok_or_else(|| t.bad_availability.to_string())?;
        let rid = form.lookup("resident");
        let resident = (rid != 0).then_some(ResidentId(rid));
        let this = match purpose {
            RosterForm::EditVolunteer(id) => Some(id),
            _ => None,
        };
        if let Some(r) = resident
            && let Some(other) = self.roster.data.volunteer_of_resident(r)
            && Some(other.v.id) != this
        {
            return Err(fill(t.already_volunteer, &other.name));
        }
        if resident.is_none() && form.text("name").is_empty() {
            return Err(t.name_or_resident.to_string());
        }
        let mut v = match this {
            Some(id) => {
                self.roster.data.volunteer(id).map(|r| r.v.clone()).ok_or_else(|| t.nothing_changed.to_string())?
            }
            None => Volunteer::new(VolunteerId(0), "", today),
        };
        v.resident = resident;
        v.name = form.text("name");
        v.phone = phone;
        v.gender = Gender::ALL[form.choice("gender").min(2)];
        v.birth_year = birth_year;
        v.kind = VolunteerKind::ALL[form.choice("kind").min(4)];
        v.org = form.text("org");
        v.skills = split_list(&form.text("skills"));
        v.availability = availability;
        if this.is_some() {
            v.active = form.choice("active") == 1;
        }
        v.notes = form.text("notes");
        let saved = match this {
            Some(_) => self.store.update_volunteer(&v, op, now),
            None => self.store.create_volunteer(&v, op, now),
        }
        .map_err(|e| self.store_msg(&e))?;
        self.remember_change();
        let res = match saved.resident {
            Some(r) => self.store.resident(r).map_err(|e| self.store_msg(&e))?,
            None => None,
        };
        self.roster.data.upsert_volunteer(&saved, res.as_ref());
        let pos = self.roster.data.volunteer_pos(saved.id);
        self.roster_show(RosterView::Volunteers, pos);
        self.info(t.saved);
        Ok(())
    }

    fn certificate_doc(
        &self,
        cert: &crate::domain::volunteer::Certificate,
        records: &[ServiceRecord],
    ) -> CertificateDoc {
        let d = &self.roster.data;
        CertificateDoc {
            cert: cert.clone(),
            issuer: self.roster.settings.issuer.clone(),
            worker: self.ctx().worker_name(Some(cert.issued_by)).to_string(),
            lines: records
                .iter()
                .map(|r| CertLine {
                    date: r.date,
                    team: r.team.map_or(String::new(), |x| d.team_name(x).to_string()),
                    what: r.what.clone(),
                    minutes: r.minutes,
                })
                .collect(),
        }
    }

    fn write_certificate(
        &self,
        cert: &crate::domain::volunteer::Certificate,
        records: &[ServiceRecord],
    ) -> std::io::Result<std::path::PathBuf> {
        self.certificate_doc(cert, records).write(&self.roster.exports).map(|(html, _)| html)
    }

    /// A path under the data dir as `exports/…`, so it fits on one line.
    fn short_path(&self, p: &std::path::Path) -> String {
        p.strip_prefix(self.store.dir()).unwrap_or(p).display().to_string()
    }

    /// Enter in the register: writes the selected certificate's files again
    /// (the records of its period, as they are now).
    fn reprint_certificate(&mut self) {
        let Some(c) = self.roster.selected_certificate().cloned() else { return };
        let records = match self.store.certificate_records(c.volunteer, c.from, c.to) {
            Ok(r) => r,
            Err(e) => return self.error(&e),
        };
        match self.write_certificate(&c, &records) {
            Ok(p) => self.info(format!("{}{}", self.rt().reprinted, self.short_path(&p))),
            Err(e) => self.message = Some((e.to_string(), true)),
        }
    }

    /// After an undo or redo: brings the roster in memory in line with what
    /// the store now holds for this record.
    pub fn roster_undone(&mut self, c: &Change) {
        if !self.roster.loaded {
            return;
        }
        let store = self.store.clone();
        let d = &mut self.roster.data;
        let result: Result<(), StoreError> = (|| {
            match c.kind {
                RecordKind::ServiceRecord => {
                    let dec = |b: &Option<Vec<u8>>| {
                        b.as_ref().and_then(|b| crate::store::codec::decode::<ServiceRecord>(b).ok())
                    };
                    let (before, after) = (dec(&c.before), dec(&c.after));
                    // whichever of the two is stored now is what the totals
                    // must show; the other is what they show now
                    let now: Option<ServiceRecord> = store.get(c.id)?;
                    let (from, to) = if now == after { (before, after) } else { (after, before) };
                    d.totals.apply(from.as_ref(), to.as_ref());
                }
                RecordKind::Team => match store.get::<Team>(c.id)? {
                    Some(t) => d.upsert_team(&t),
                    None => d.remove_team(TeamId(c.id)),
                },
                RecordKind::Post => match store.get::<Post>(c.id)? {
                    Some(p) => d.upsert_post(&p),
                    None => d.remove_post(PostId(c.id)),
                },
                RecordKind::Volunteer => match store.get::<Volunteer>(c.id)? {
                    Some(v) => {
                        let res = match v.resident {
                            Some(r) => store.resident(r)?,
                            None => None,
                        };
                        d.upsert_volunteer(&v, res.as_ref());
                    }
                    None => d.remove_volunteer(VolunteerId(c.id)),
                },
                RecordKind::Activity => match store.get::<Activity>(c.id)? {
                    Some(a) => d.upsert_activity(&a),
                    None => d.remove_activity(ActivityId(c.id)),
                },
                RecordKind::Certificate => match store.get::<crate::domain::volunteer::Certificate>(c.id)? {
                    Some(x) => d.upsert_certificate(&x),
                    None => d.remove_certificate(crate::domain::volunteer::CertificateId(c.id)),
                },
                _ => {}
            }
            Ok(())
        })();
        if let Err(e) = result {
            self.error(&e);
        }
        self.roster_saved();
    }

    /// What `H` shows the history of in the roster: the selected item.
    pub fn roster_history_target(&self) -> Option<(RecordKind, u64, String)> {
        let p = &self.roster;
        match p.view {
            RosterView::Volunteers => p.selected_volunteer().map(|r| (RecordKind::Volunteer, r.v.id.0, r.name.clone())),
            RosterView::Teams => p.selected_team().map(|t| (RecordKind::Team, t.id.0, t.name.clone())),
            RosterView::Posts => p.selected_post().map(|x| (RecordKind::Post, x.id.0, x.name.clone())),
            RosterView::Activities => {
                p.selected_activity().map(|a| (RecordKind::Activity, a.id.0, format!("{} {}", a.date, a.title)))
            }
            RosterView::Certificates => {
                p.selected_certificate().map(|c| (RecordKind::Certificate, c.id.0, format!("{} {}", c.number, c.name)))
            }
            RosterView::Months => None,
        }
    }

    /// "Nobody" in the resident picker: anonymous for a request, not
    /// linked for a volunteer.
    pub fn resident_nobody_label(&self) -> &'static str {
        match self.layers.last() {
            Some(Layer::Form(_, FormPurpose::Roster(_))) => self.rt().pick_not_linked,
            _ => self.lang.t().pick_anonymous,
        }
    }

    /// The roster's panel was opened.
    pub fn roster_shown(&mut self) {
        if self.panel == Panel::Roster {
            self.roster_refresh();
        }
    }
}
