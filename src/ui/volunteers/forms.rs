//! The roster's forms and pickers: teams, posts, volunteers, activities,
//! hours, corrections, certificates, members and regular volunteers. Each
//! form carries what saving it does (`save`).

use super::prelude::*;
use crate::ui::requests::forms::open_resident_lookup_as;

/// The certificate form's yes/no: print the full ID number (a recorded reveal).
pub(super) const FULL_ID: &str = "full_id";

/// The latest day on or before `d` that is one of `days` (`d` if none).
pub(super) fn last_on_schedule(d: NaiveDate, days: crate::domain::volunteer::Days) -> NaiveDate {
    (0..7)
        .map(|k| d - chrono::Duration::days(k))
        .find(|x| days & (1 << x.weekday().num_days_from_monday()) != 0)
        .unwrap_or(d)
}

/// A volunteer as a picker offers them.
pub(super) fn volunteer_item(d: &RosterIndex, i: usize) -> PickItem {
    let r = &d.volunteers[i];
    let teams: Vec<&str> = r.teams.iter().map(|t| ir::short_team(d.team_name(*t))).collect();
    PickItem::new(
        format!("{}  {}  {}  {}", r.name, teams.join("、"), r.v.skills.join("、"), mask::phone(&r.phone)),
        r.v.id.0,
        &r.name,
        &r.phone,
        &format!("{} {}", teams.join(" "), r.v.skills.join(" ")),
    )
}

/// A roster form, its lookups (team, post, a linked resident) wired in.
pub(super) fn form_layer(
    title: &str,
    fields: Vec<Field>,
    warning: Option<String>,
    submit: impl FnMut(&Form, &mut Shared, &mut Panels) -> Result<(), String> + 'static,
) -> FormLayer {
    let mut form = Form::new(title, fields);
    form.warning = warning;
    FormLayer::new(form, submit).on_lookup(|key, _, sh, panels| panels.volunteers.open_lookup(sh, key))
}

/// The activity form: saving it goes on to the roll call, and a post
/// chosen brings its team, time and place.
pub(super) fn activity_layer(form: Form, existing: Option<ActivityId>, post: Option<PostId>) -> FormLayer {
    let mut last_post = post.map_or(0, |p| p.0);
    FormLayer::new(form, move |f, sh, p| p.volunteers.submit_activity(sh, f, existing))
        .on_lookup(|key, _, sh, panels| panels.volunteers.open_lookup(sh, key))
        .on_change(move |form, _, panels| {
            let id = form.lookup("post");
            if id == last_post {
                return;
            }
            last_post = id;
            let d = &panels.volunteers.data;
            let Some(p) = d.post(PostId(id)).cloned() else { return };
            if form.lookup("team") == 0
                && let Some(tm) = p.team
            {
                form.set_lookup("team", d.team_name(tm), tm.0);
            }
            if let Some(s) = p.schedule.span {
                set_text(form, "time", &s.to_string(), true);
            }
            set_text(form, "place", &p.place, false);
            set_text(form, "title", &p.name, false);
        })
}

/// Sets a text field (only an empty one, unless `always`).
pub(super) fn set_text(form: &mut Form, key: &str, value: &str, always: bool) {
    if let Some(f) = form.fields.iter_mut().find(|f| f.key == key)
        && let FieldKind::Text { input, .. } = &mut f.kind
        && (always || input.is_empty())
    {
        *input = LineInput::new(value);
    }
}

/// A record as stored now (a colleague may have changed it since the
/// roster in memory was read), else the copy in hand: what an edit form
/// shows and checks against.
pub(super) fn stored<R: crate::store::record::Record + Clone>(sh: &Shared, id: u64, copy: &R) -> R {
    sh.store.get::<R>(id).ok().flatten().unwrap_or_else(|| copy.clone())
}

/// An edit form (`id` given) refuses its save if a colleague has written
/// the record since it opened.
fn editing(f: FormLayer, kind: RecordKind, id: Option<u64>, sh: &Shared) -> FormLayer {
    match id {
        Some(id) => f.editing(kind, id, &sh.store),
        None => f,
    }
}

impl VolunteersPanel {
    fn team_lookup(&self, sh: &Shared, id: Option<TeamId>) -> Field {
        let t = sh.lang.volunteers();
        let name = id.map_or("", |x| self.data.team_name(x));
        Field::lookup("team", t.f_team, name, id.map_or(0, |x| x.0), t.no_team)
    }

    pub(super) fn post_lookup(&self, sh: &Shared, id: Option<PostId>) -> Field {
        let t = sh.lang.volunteers();
        let name = id.map_or("", |x| self.data.post_name(x));
        Field::lookup("post", t.f_post, name, id.map_or(0, |x| x.0), t.no_post)
    }

    pub(super) fn open_team_form(&mut self, sh: &mut Shared, existing: Option<&Team>) {
        let fresh = existing.map(|x| stored(sh, x.id.0, x));
        let existing = fresh.as_ref();
        let t = sh.lang.volunteers();
        let lang = sh.lang;
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
        let title = if existing.is_some() { t.edit_team } else { t.new_team };
        let id = existing.map(|x| x.id);
        let hint = fill(t.types_hint, self.settings.service_types.join("、"));
        let f = form_layer(title, fields, Some(hint), move |f, sh, p| p.volunteers.save_team(sh, f, id));
        sh.open(editing(f, RecordKind::Team, id.map(|x| x.0), sh).layer());
    }

    pub(super) fn open_post_form(&mut self, sh: &mut Shared, existing: Option<&Post>) {
        let fresh = existing.map(|x| stored(sh, x.id.0, x));
        let existing = fresh.as_ref();
        let t = sh.lang.volunteers();
        let lang = sh.lang;
        let draft = existing.cloned().unwrap_or_else(|| Post::new(PostId(0), ""));
        let mut types = self.settings.service_types.clone();
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
            self.team_lookup(sh, draft.team),
            Field::choice(
                "status",
                t.f_status,
                statuses,
                PostStatus::ALL.iter().position(|s| *s == draft.status).unwrap_or(0),
            ),
        ];
        let title = if existing.is_some() { t.edit_post } else { t.new_post };
        let id = existing.map(|x| x.id);
        let hint = Some(t.schedule_hint.to_string());
        let f = form_layer(title, fields, hint, move |f, sh, p| p.volunteers.save_post_form(sh, f, id));
        sh.open(editing(f, RecordKind::Post, id.map(|x| x.0), sh).layer());
    }

    pub(super) fn open_volunteer_form(&mut self, sh: &mut Shared, existing: Option<&Volunteer>) {
        let fresh = existing.map(|x| stored(sh, x.id.0, x));
        let existing = fresh.as_ref();
        let t = sh.lang.volunteers();
        let lang = sh.lang;
        let draft = existing.cloned().unwrap_or_else(|| Volunteer::new(VolunteerId(0), "", sh.today.date));
        let row = existing.and_then(|v| self.data.volunteer(v.id));
        let (rname, rid) = match (draft.resident, row) {
            (Some(r), Some(row)) => (row.name.clone(), r.0),
            _ => (String::new(), 0),
        };
        let genders: Vec<String> = Gender::ALL.iter().map(|g| ir::gender(lang, *g).to_string()).collect();
        let kinds: Vec<String> = VolunteerKind::ALL.iter().map(|k| ir::kind(lang, *k).to_string()).collect();
        let mut fields = vec![
            Field::lookup("resident", t.f_resident, &rname, rid, t.not_linked),
            Field::text("name", sh.lang.t().f_name, &draft.name, false),
            Field::phone("phone", sh.lang.t().f_phone, &draft.phone),
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
        fields.push(crate::ui::residents::forms::id_number_field(
            sh,
            crate::store::record::RecordKind::Volunteer,
            existing.map(|v| v.id.0),
        ));
        let title = if existing.is_some() { t.edit_volunteer } else { t.new_volunteer };
        let this = existing.map(|v| v.id);
        let mut f = form_layer(title, fields, None, move |f, sh, p| p.volunteers.save_volunteer(sh, f, this))
            .on_change(move |f, sh, p| p.volunteers.volunteer_form_changed(sh, f, this));
        if let Some(id) = this {
            f = f.revealing(crate::store::record::RecordKind::Volunteer, id.0, lang);
        }
        f.form.focus_on(if existing.is_some() && rid == 0 { "name" } else { "resident" });
        self.volunteer_form_changed(sh, &mut f.form, this);
        sh.open(editing(f, RecordKind::Volunteer, this.map(|x| x.0), sh).layer());
    }

    pub(super) fn open_activity_form(&mut self, sh: &mut Shared, existing: Option<&Activity>) {
        let fresh = existing.map(|x| stored(sh, x.id.0, x));
        let existing = fresh.as_ref();
        let t = sh.lang.volunteers();
        // from a post or a team, start from what it says
        let (team, post) = match (existing, self.view) {
            (Some(a), _) => (a.team, a.post),
            (None, RosterView::Posts) => {
                let p = self.selected_post();
                (p.and_then(|p| p.team), p.map(|p| p.id))
            }
            (None, RosterView::Teams) => (self.selected_team().map(|t| t.id), None),
            _ => (None, None),
        };
        let p = post.and_then(|p| self.data.post(p)).cloned();
        // from a post, the activity most likely just happened on its day
        let date = existing.map_or_else(
            || p.as_ref().map_or(sh.today.date, |p| last_on_schedule(sh.today.date, p.schedule.days)),
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
            self.team_lookup(sh, team),
            self.post_lookup(sh, post),
            Field::text("place", t.f_place, &place, false),
        ];
        let title = if existing.is_some() { t.edit_activity } else { t.new_activity };
        let form = Form::new(title, fields);
        let mut f = activity_layer(form, existing.map(|a| a.id), post);
        if existing.is_none() {
            f.form.focus_on(if post.is_some() { "place" } else { "title" });
        }
        sh.open(editing(f, RecordKind::Activity, existing.map(|a| a.id.0), sh).layer());
    }

    pub(super) fn open_hours_form(&mut self, sh: &mut Shared) {
        let t = sh.lang.volunteers();
        let Some(r) = self.selected_volunteer() else { return sh.info(t.no_volunteer) };
        let (id, name, team) = (r.v.id, r.name.clone(), r.teams.first().copied());
        let fields = vec![
            Field::text("date", t.f_date, &sh.today.date.to_string(), true),
            Field::text("hours", t.f_hours, "", true),
            Field::text("what", t.f_what, "", true),
            self.team_lookup(sh, team),
            self.post_lookup(sh, None),
        ];
        let title = format!("{} {name}", t.log_hours);
        let mut f = form_layer(&title, fields, None, move |f, sh, p| p.volunteers.save_hours(sh, f, id));
        f.form.focus_on("hours");
        sh.open(f.layer());
    }

    pub(super) fn open_certificate_form(&mut self, sh: &mut Shared) {
        let t = sh.lang.volunteers();
        let Some(r) = self.selected_volunteer() else { return sh.info(t.pick_a_volunteer) };
        let (id, name) = (r.v.id, r.name.clone());
        let from = NaiveDate::from_ymd_opt(sh.today.date.year(), 1, 1).unwrap_or(sh.today.date);
        let mut fields = vec![
            Field::text("from", t.f_from, &from.to_string(), true),
            Field::text("to", t.f_to, &sh.today.date.to_string(), true),
        ];
        // with an ID number kept: masked on the certificate unless asked
        // for in full, which is recorded as a reveal
        let mut hint = None;
        if sh.store.id_number(crate::store::record::RecordKind::Volunteer, id.0).ok().flatten().is_some() {
            fields.push(Field::choice(FULL_ID, sh.lang.sheets().full_id, yes_no(sh.lang), 0));
            hint = Some(sh.lang.sheets().full_id_hint.to_string());
        }
        let title = format!("{} {name}", t.certificate);
        let f = form_layer(&title, fields, hint, move |f, sh, p| p.volunteers.save_certificate(sh, f, id));
        sh.open(f.layer());
    }

    pub(super) fn open_correct_picker(&mut self, sh: &mut Shared) {
        let t = sh.lang.volunteers();
        let Some(r) = self.selected_volunteer() else { return sh.info(t.no_volunteer) };
        let _id = r.v.id;
        let name = r.name.clone();
        self.roster_load_detail(sh);
        if self.recent.is_empty() {
            return sh.info(t.no_records);
        }
        let items: Vec<PickItem> = self
            .recent
            .iter()
            .map(|rec| {
                let team = rec.team.map_or("", |x| ir::short_team(self.data.team_name(x)));
                let void = if rec.voided { t.d_voided } else { "" };
                let label =
                    format!("{void}{} {}{} {team} {}", rec.date, hours(u64::from(rec.minutes)), t.hours_unit, rec.what);
                PickItem::new(label, rec.id.0, "", "", &format!("{} {team} {}", rec.date, rec.what))
            })
            .collect();
        let p = Picker::new(&format!("{} {name}", t.choose_record), items);
        sh.open(
            PickerLayer::new(p, |pick, _, sh, panels| {
                if let Pick::Id(r) = pick {
                    panels.volunteers.open_correct_form(sh, ServiceId(r));
                }
            })
            .layer(),
        );
    }

    pub(super) fn open_correct_form(&mut self, sh: &mut Shared, id: ServiceId) {
        let t = sh.lang.volunteers();
        // as stored now (a colleague may have corrected it since the list
        // was read): what the form shows and checks against
        let rec = match sh.store.get::<ServiceRecord>(id.0) {
            Ok(Some(r)) => r,
            Ok(None) => return,
            Err(e) => return sh.error(&e),
        };
        let fields = vec![
            Field::text("date", t.f_date, &rec.date.to_string(), true),
            Field::text("hours", t.f_hours, &hours(u64::from(rec.minutes)), true),
            Field::choice("void", t.f_void, yes_no(sh.lang), usize::from(rec.voided)),
            Field::text("reason", t.f_reason, "", true),
        ];
        let name = self.data.volunteer_name(rec.volunteer).to_string();
        let title = format!("{} {name} {}", t.correct_record, rec.what);
        let mut f = form_layer(&title, fields, None, move |f, sh, p| p.volunteers.save_correction(sh, f, id));
        f.form.focus_on("hours");
        sh.open(editing(f, RecordKind::ServiceRecord, Some(id.0), sh).layer());
    }

    pub(super) fn volunteer_picker(
        &mut self,
        sh: &mut Shared,
        title: &str,
        keep: impl Fn(VolunteerId) -> bool,
        picked: impl FnOnce(VolunteerId, &mut Shared, &mut VolunteersPanel) + 'static,
    ) {
        let d = &self.data;
        let items: Vec<PickItem> = d
            .search_volunteers("", true)
            .into_iter()
            .filter(|&i| keep(d.volunteers[i].v.id))
            .map(|i| volunteer_item(d, i))
            .collect();
        let p = Picker::new(title, items);
        sh.open(
            PickerLayer::new(p, |pick, _, sh, panels| {
                if let Pick::Id(v) = pick {
                    picked(VolunteerId(v), sh, &mut panels.volunteers);
                }
            })
            .layer(),
        );
    }

    pub(super) fn open_member_picker(&mut self, sh: &mut Shared, existing: bool) {
        let t = sh.lang.volunteers();
        let Some(team) = self.selected_team().cloned() else { return sh.info(sh.lang.t().nothing_selected) };
        if existing {
            let d = &self.data;
            let items: Vec<PickItem> = team
                .current()
                .iter()
                .filter_map(|m| d.volunteer_pos(m.volunteer))
                .map(|i| {
                    let mut it = volunteer_item(d, i);
                    let role = team.member(d.volunteers[i].v.id).map_or("", |m| ir::role(sh.lang, m.role));
                    it.label = format!("{}  {role}", d.volunteers[i].name);
                    it
                })
                .collect();
            let p = Picker::new(&format!("{} {}", t.choose_member, team.name), items);
            let id = team.id;
            sh.open(
                PickerLayer::new(p, move |pick, _, sh, panels| {
                    if let Pick::Id(v) = pick {
                        panels.volunteers.open_member_form(sh, id, VolunteerId(v), true);
                    }
                })
                .layer(),
            );
        } else {
            let title = format!("{} → {}", t.choose_volunteer, team.name);
            let id = team.id;
            self.volunteer_picker(
                sh,
                &title,
                |v| !team.is_member(v),
                move |v, sh, p| p.open_member_form(sh, id, v, false),
            );
        }
    }

    pub(super) fn open_member_form(&mut self, sh: &mut Shared, team: TeamId, volunteer: VolunteerId, existing: bool) {
        let t = sh.lang.volunteers();
        let lang = sh.lang;
        let Some(tm) = self.data.team(team) else { return };
        let mut roles: Vec<String> = Role::ALL.iter().map(|r| ir::role(lang, *r).to_string()).collect();
        if existing {
            roles.push(t.leave_team.to_string());
        }
        // a team without a leader most likely gets one first
        let new_role = if tm.leader().is_none() { 0 } else { 2 };
        let cur = tm.member(volunteer).map_or(new_role, |m| Role::ALL.iter().position(|r| *r == m.role).unwrap_or(2));
        let title = format!("{} {} {}", t.member_form, tm.name, self.data.volunteer_name(volunteer));
        let fields = vec![
            Field::choice("role", t.f_role, roles, cur),
            Field::text("date", t.f_joined, &sh.today.date.to_string(), true),
        ];
        let f = form_layer(&title, fields, None, move |f, sh, p| {
            p.volunteers.save_member(sh, f, team, volunteer, existing)
        });
        sh.open(f.layer());
    }

    pub(super) fn open_staff_picker(&mut self, sh: &mut Shared, add: bool) {
        let t = sh.lang.volunteers();
        let Some(post) = self.selected_post().cloned() else { return sh.info(sh.lang.t().nothing_selected) };
        let title = format!("{} {}", t.choose_volunteer, post.name);
        if add {
            // the claiming team's members first
            let team = post.team.and_then(|x| self.data.team(x)).cloned();
            let d = &self.data;
            let mut items: Vec<(bool, PickItem)> = d
                .search_volunteers("", true)
                .into_iter()
                .filter(|&i| !post.staff.contains(&d.volunteers[i].v.id))
                .map(|i| (team.as_ref().is_some_and(|tm| tm.is_member(d.volunteers[i].v.id)), volunteer_item(d, i)))
                .collect();
            items.sort_by_key(|(member, _)| !member);
            let p = Picker::new(&title, items.into_iter().map(|(_, i)| i).collect());
            let id = post.id;
            sh.open(
                PickerLayer::new(p, move |pick, _, sh, panels| {
                    if let Pick::Id(v) = pick {
                        panels.volunteers.change_staff(sh, id, VolunteerId(v), true);
                    }
                })
                .layer(),
            );
        } else {
            let id = post.id;
            self.volunteer_picker(
                sh,
                &title,
                |v| post.staff.contains(&v),
                move |v, sh, p| p.change_staff(sh, id, v, false),
            );
        }
    }

    pub(super) fn team_items(&self) -> Vec<PickItem> {
        let d = &self.data;
        d.teams
            .iter()
            .filter(|t| t.status != TeamStatus::Disbanded)
            .map(|t| {
                let leader = t.leader().map_or("", |l| d.volunteer_name(l));
                PickItem::new(
                    format!("{}  {}  {}", t.name, t.service_types.join("、"), leader),
                    t.id.0,
                    &t.name,
                    "",
                    &t.service_types.join(" "),
                )
            })
            .collect()
    }

    pub(super) fn open_claim_picker(&mut self, sh: &mut Shared) {
        let t = sh.lang.volunteers();
        let Some(post) = self.selected_post().cloned() else { return sh.info(sh.lang.t().nothing_selected) };
        let p = Picker::new(&format!("{} {}", t.choose_team, post.name), self.team_items())
            .with_nobody(t.pick_unclaim)
            .with_selected_id(post.team.map_or(0, |x| x.0));
        let id = post.id;
        sh.open(PickerLayer::new(p, move |pick, _, sh, panels| panels.volunteers.claim(sh, id, pick)).layer());
    }

    /// Enter on a roster form's lookup field: a team, a post, or the
    /// resident a volunteer is (not linked is a choice).
    pub fn open_lookup(&mut self, sh: &mut Shared, field: &'static str) {
        let t = sh.lang.volunteers();
        let picker = match field {
            "resident" => return open_resident_lookup_as(sh, field, Some(t.pick_not_linked)),
            "team" => Picker::new(t.choose_team, self.team_items()).with_nobody(t.pick_no_team),
            "post" => {
                let d = &self.data;
                let items = d
                    .posts
                    .iter()
                    .filter(|p| p.status == PostStatus::Open)
                    .map(|p| {
                        let team = p.team.map_or("", |x| d.team_name(x));
                        PickItem::new(
                            format!("{}  {}  {team}", p.name, ir::schedule(sh.lang, p.schedule)),
                            p.id.0,
                            &p.name,
                            "",
                            &format!("{} {} {team}", p.service_type, p.place),
                        )
                    })
                    .collect();
                Picker::new(t.choose_post, items).with_nobody(t.pick_no_post)
            }
            _ => return,
        };
        sh.open(
            PickerLayer::new(picker, move |pick, _, sh, panels| {
                let id = match pick {
                    Pick::Id(id) => id,
                    _ => 0,
                };
                let d = &panels.volunteers.data;
                let shown = match (field, id) {
                    (_, 0) => String::new(),
                    ("team", i) => d.team_name(TeamId(i)).to_string(),
                    (_, i) => d.post_name(PostId(i)).to_string(),
                };
                sh.effect(Effect::Fill { key: field, shown, id });
            })
            .layer(),
        );
    }

    /// Adds or removes a regular volunteer of a post.
    pub(super) fn change_staff(&mut self, sh: &mut Shared, post: PostId, v: VolunteerId, add: bool) {
        // the post as stored now: a colleague's change to it since stays
        let Some(mut p) = self.stored_or(sh, post.0, self.data.post(post)) else { return };
        if add {
            // a colleague may have put them on the post meanwhile
            if !p.staff.contains(&v) {
                p.staff.push(v);
            }
        } else {
            p.staff.retain(|x| *x != v);
        }
        let t = sh.lang.volunteers();
        self.save_post(sh, p, if add { t.staff_added } else { t.staff_removed });
    }

    /// A team claims the post (or nobody does any more).
    pub(super) fn claim(&mut self, sh: &mut Shared, post: PostId, pick: Pick) {
        // the post as stored now: a colleague's change to it since stays
        let Some(mut p) = self.stored_or(sh, post.0, self.data.post(post)) else { return };
        let team = match pick {
            Pick::Id(id) => Some(TeamId(id)),
            _ => None,
        };
        p.claim(team, sh.today.date);
        let t = sh.lang.volunteers();
        self.save_post(sh, p, if team.is_some() { t.claimed } else { t.unclaimed_msg });
    }

    pub(super) fn save_post(&mut self, sh: &mut Shared, p: Post, msg: &str) {
        let Some(op) = sh.need_operator() else { return };
        match sh.store.update_post(&p, op, sh.now()) {
            Ok(()) => sh.info(msg),
            Err(e) => sh.error(&e),
        }
    }

    /// The volunteer form's hints after an edit: already a volunteer, the
    /// free times as read, what skills look like.
    pub(super) fn volunteer_form_changed(&mut self, sh: &mut Shared, form: &mut Form, this: Option<VolunteerId>) {
        let t = sh.lang.volunteers();
        let lang = sh.lang;
        let mut parts = Vec::new();
        let rid = form.lookup("resident");
        if rid != 0 {
            // already a volunteer: say so now, not after everything is typed
            if let Some(other) = self.data.volunteer_of_resident(ResidentId(rid))
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
}
