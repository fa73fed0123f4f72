//! Saving what the roster's forms hold, one store call a save; the roster
//! in memory follows when the app shows the change (`on_change`), and the
//! saved item is then selected. Certificates are also written as files.

use super::prelude::*;

impl VolunteersPanel {
    /// The operator, the words, now, and a date reader for a form.
    pub(super) fn ready(sh: &mut Shared) -> Option<(WorkerId, &'static VolunteersText, chrono::NaiveDateTime)> {
        let op = sh.need_operator()?;
        Some((op, sh.lang.volunteers(), sh.now()))
    }

    pub(super) fn date(form: &Form, key: &str, sh: &Shared) -> Result<NaiveDate, String> {
        form.date_needed(key, sh.today.date, sh.lang.volunteers().bad_date)
    }

    /// A day hours were served on: not after today.
    fn served_on(form: &Form, key: &str, sh: &Shared) -> Result<NaiveDate, String> {
        let d = Self::date(form, key, sh)?;
        if d > sh.today.date {
            return Err(sh.lang.duties().e_future_date.to_string());
        }
        Ok(d)
    }

    /// The record as stored now, else the roster's copy in memory: a save
    /// starts from what is stored, so a colleague's change to a field the
    /// form does not hold is never written back over.
    pub(super) fn stored_or<R: crate::store::record::Record + Clone>(
        &self,
        sh: &Shared,
        id: u64,
        copy: Option<&R>,
    ) -> Option<R> {
        sh.store.get::<R>(id).ok().flatten().or_else(|| copy.cloned())
    }

    /// After a save: once the app shows the change, view `v` with the
    /// saved record selected.
    pub(super) fn saved(&mut self, v: RosterView, kind: RecordKind, id: u64) {
        self.select_after = Some((v, kind, id));
    }

    pub(super) fn save_team(&mut self, sh: &mut Shared, form: &Form, id: Option<TeamId>) -> Result<(), String> {
        let Some((op, t, now)) = Self::ready(sh) else { return Ok(()) };
        let mut team = match id {
            Some(id) => self.stored_or(sh, id.0, self.data.team(id)).ok_or_else(|| t.nothing_changed.to_string())?,
            None => Team::new(TeamId(0), ""),
        };
        team.name = form.text("name");
        team.service_types = split_list(&form.text("types"));
        team.founded = if form.text("founded").is_empty() { None } else { Some(Self::date(form, "founded", sh)?) };
        team.status = TeamStatus::ALL[form.choice("status").min(2)];
        team.notes = form.text("notes");
        let saved = match id {
            Some(_) => sh.store.update_team(&team, op, now).map(|_| team),
            None => sh.store.create_team(&team, op, now),
        }
        .map_err(|e| sh.store_msg(&e))?;
        self.saved(RosterView::Teams, RecordKind::Team, saved.id.0);
        sh.info(t.saved);
        Ok(())
    }

    pub(super) fn save_post_form(&mut self, sh: &mut Shared, form: &Form, id: Option<PostId>) -> Result<(), String> {
        let Some((op, t, now)) = Self::ready(sh) else { return Ok(()) };
        let mut post = match id {
            Some(id) => self.stored_or(sh, id.0, self.data.post(id)).ok_or_else(|| t.nothing_changed.to_string())?,
            None => Post::new(PostId(0), ""),
        };
        post.name = form.text("name");
        post.service_type = form.choice_text("type");
        post.place = form.text("place");
        post.schedule = Schedule::parse(&form.text("schedule")).ok_or_else(|| t.bad_schedule.to_string())?;
        post.needed = crate::domain::text::number_text(&form.text("needed"))
            .trim_end_matches('人')
            .parse::<u16>()
            .ok()
            .filter(|n| (1..=999).contains(n))
            .ok_or_else(|| t.bad_needed.to_string())?;
        let team = form.lookup("team");
        post.claim((team != 0).then_some(TeamId(team)), sh.today.date);
        post.status = PostStatus::ALL[form.choice("status").min(2)];
        let saved = match id {
            Some(_) => sh.store.update_post(&post, op, now).map(|_| post),
            None => sh.store.create_post(&post, op, now),
        }
        .map_err(|e| sh.store_msg(&e))?;
        self.saved(RosterView::Posts, RecordKind::Post, saved.id.0);
        sh.info(t.saved);
        Ok(())
    }

    pub(super) fn save_volunteer(
        &mut self,
        sh: &mut Shared,
        form: &Form,
        this: Option<VolunteerId>,
    ) -> Result<(), String> {
        let Some((op, t, now)) = Self::ready(sh) else { return Ok(()) };
        let today = sh.today.date;
        let phone = mask::normalize_phone(&form.text("phone")).map_err(|_| sh.lang.t().bad_phone.to_string())?;
        let birth = crate::domain::text::number_text(&form.text("birth"));
        let birth_year = if birth.is_empty() {
            None
        } else {
            Some(
                birth
                    .trim_end_matches('年')
                    .parse::<u16>()
                    .ok()
                    .filter(|y| (1900..=today.year() as u16).contains(y))
                    .ok_or_else(|| t.bad_birth_year.to_string())?,
            )
        };
        let availability = Availability::parse(&form.text("avail")).ok_or_else(|| t.bad_availability.to_string())?;
        let rid = form.lookup("resident");
        let resident = (rid != 0).then_some(ResidentId(rid));
        if let Some(r) = resident
            && let Some(other) = self.data.volunteer_of_resident(r)
            && Some(other.v.id) != this
        {
            return Err(fill(t.already_volunteer, &other.name));
        }
        if resident.is_none() && form.text("name").is_empty() {
            return Err(t.name_or_resident.to_string());
        }
        if resident.is_none() {
            crate::ui::shared::check_name(sh.lang, &form.text("name"))?;
        }
        let id_change =
            crate::ui::residents::forms::id_number_change(form, sh, RecordKind::Volunteer, this.map(|v| v.0))?;
        let mut v = match this {
            Some(id) => self
                .stored_or(sh, id.0, self.data.volunteer(id).map(|r| &r.v))
                .ok_or_else(|| t.nothing_changed.to_string())?,
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
            Some(_) => sh.store.update_volunteer(&v, op, now),
            None => sh.store.create_volunteer(&v, op, now),
        }
        .map_err(|e| sh.store_msg(&e))?;
        self.saved(RosterView::Volunteers, RecordKind::Volunteer, saved.id.0);
        if crate::ui::residents::forms::save_id_number(sh, RecordKind::Volunteer, saved.id.0, id_change, op) {
            sh.info(t.saved);
        }
        Ok(())
    }

    /// The activity form goes on to the roll call; the form stays below it,
    /// so Esc there comes back to it.
    pub(super) fn submit_activity(
        &mut self,
        sh: &mut Shared,
        form: &Form,
        existing: Option<ActivityId>,
    ) -> Result<(), String> {
        let Some((op, t, _)) = Self::ready(sh) else { return Ok(()) };
        let d = Self::date(form, "date", sh)?;
        let span = Span::parse(&form.text("time")).ok_or_else(|| t.bad_time.to_string())?;
        let team = form.lookup("team");
        let post = form.lookup("post");
        let kept = existing.and_then(|id| self.data.activity(id)).map(|a| a.to_activity());
        let base = existing.and_then(|id| self.stored_or(sh, id.0, kept.as_ref()));
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
        let mut again = super::forms::activity_layer(form.clone(), existing, (post != 0).then_some(PostId(post)));
        if let Some(id) = existing {
            // the form below the roll call still refuses a save over a
            // colleague's (it was just checked: the activity is as it read it)
            again = again.editing(RecordKind::Activity, id.0, &sh.store);
        }
        sh.open(again.layer());
        self.open_roll_call(sh, activity, existing.is_some());
        Ok(())
    }

    pub(super) fn save_hours(&mut self, sh: &mut Shared, form: &Form, v: VolunteerId) -> Result<(), String> {
        let Some((op, t, now)) = Self::ready(sh) else { return Ok(()) };
        let minutes = parse_hours(&form.text("hours")).ok_or_else(|| t.bad_hours.to_string())?;
        let team = form.lookup("team");
        let post = form.lookup("post");
        let draft = ServiceRecord {
            id: ServiceId(0),
            volunteer: v,
            date: Self::served_on(form, "date", sh)?,
            minutes,
            activity: None,
            team: (team != 0).then_some(TeamId(team)),
            post: (post != 0).then_some(PostId(post)),
            what: form.text("what"),
            voided: false,
            history: Vec::new(),
        };
        let r = sh.store.log_service(&draft, op, now).map_err(|e| sh.store_msg(&e))?;
        sh.info(fill(t.saved_hours, hours(u64::from(r.minutes))));
        Ok(())
    }

    pub(super) fn save_correction(&mut self, sh: &mut Shared, form: &Form, id: ServiceId) -> Result<(), String> {
        let Some((op, t, now)) = Self::ready(sh) else { return Ok(()) };
        let minutes = parse_hours(&form.text("hours")).ok_or_else(|| t.bad_hours.to_string())?;
        let voided = form.choice("void") == 1;
        let date = Self::served_on(form, "date", sh)?;
        sh.store.correct_service(id, date, minutes, voided, &form.text("reason"), op, now).map_err(|e| match e {
            StoreError::Invalid(ref w) if w == "unchanged" => t.nothing_changed.to_string(),
            e => sh.store_msg(&e),
        })?;
        sh.info(t.corrected);
        Ok(())
    }

    pub(super) fn save_certificate(&mut self, sh: &mut Shared, form: &Form, v: VolunteerId) -> Result<(), String> {
        let Some((op, t, now)) = Self::ready(sh) else { return Ok(()) };
        let (from, to) = (Self::date(form, "from", sh)?, Self::date(form, "to", sh)?);
        if from > to {
            return Err(t.bad_period.to_string());
        }
        // no certificate without an issuing organisation to stamp it
        self.issuer(sh)?;
        let name = self.data.volunteer_name(v).to_string();
        let (cert, records) = sh.store.issue_certificate(v, &name, from, to, op, now).map_err(|e| sh.store_msg(&e))?;
        // the full ID number only after its reveal is recorded
        let full_id = form.choice(super::forms::FULL_ID) == 1
            && crate::ui::residents::forms::reveal_fields(sh, RecordKind::Volunteer, v.0, &["id_number"]);
        let written = self.write_certificate(sh, &cert, &records, full_id);
        self.saved(RosterView::Certificates, RecordKind::Certificate, cert.id.0);
        match written {
            Ok(path) => sh.info(format!("{}{}", fill(t.issued, &cert.number), short_path(sh, &path))),
            Err(e) => sh.fail(format!("{}{e}", fill(t.issued_no_file, &cert.number))),
        }
        Ok(())
    }

    pub(super) fn save_member(
        &mut self,
        sh: &mut Shared,
        form: &Form,
        team: TeamId,
        volunteer: VolunteerId,
        existing: bool,
    ) -> Result<(), String> {
        let Some((op, t, now)) = Self::ready(sh) else { return Ok(()) };
        // the team as stored now: a colleague's change to it since stays
        let Some(mut tm) = self.stored_or(sh, team.0, self.data.team(team)) else { return Ok(()) };
        let on = Self::date(form, "date", sh)?;
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
        sh.store.update_team(&tm, op, now).map_err(|e| sh.store_msg(&e))?;
        sh.info(if leaving { t.member_left } else { t.member_saved });
        Ok(())
    }

    /// The issuing organisation and the community profile: the profile's
    /// 出具单位, or one the office set in `roster.txt` before the profile
    /// existed; refused (saying where to fill it in) while neither is set.
    pub(super) fn issuer(&self, sh: &Shared) -> Result<(String, crate::domain::profile::Profile), String> {
        let profile = sh.store.profile().map_err(|e| sh.store_msg(&e))?;
        match profile.certificate_issuer(&self.settings.issuer, crate::domain::volunteer::DEFAULT_ISSUER) {
            Some(i) => Ok((i, profile)),
            None => Err(sh.lang.sheets().no_issuer.to_string()),
        }
    }

    pub(super) fn certificate_doc(
        &self,
        sh: &Shared,
        cert: &crate::domain::volunteer::Certificate,
        records: &[ServiceRecord],
        full_id: bool,
    ) -> Result<CertificateDoc, String> {
        let d = &self.data;
        let (issuer, profile) = self.issuer(sh)?;
        let row = d.volunteer(cert.volunteer);
        let gender = match row.map(|r| r.v.gender) {
            Some(crate::domain::volunteer::Gender::Male) => "男",
            Some(crate::domain::volunteer::Gender::Female) => "女",
            _ => "",
        };
        // masked on the certificate: the full number only after a recorded reveal
        let id_number = sh
            .store
            .id_number(RecordKind::Volunteer, cert.volunteer.0)
            .ok()
            .flatten()
            .map(|n| if full_id { n } else { crate::domain::mask::id_number(&n) })
            .unwrap_or_default();
        Ok(CertificateDoc {
            gender: gender.to_string(),
            id_number,
            volunteer_no: format!("{:06}", cert.volunteer.0),
            head: profile.head.clone(),
            contact: profile.phone.clone(),
            cert: cert.clone(),
            issuer,
            worker: sh.worker_name(Some(cert.issued_by)).to_string(),
            lines: records
                .iter()
                .map(|r| CertLine {
                    date: r.date,
                    team: r.team.map_or(String::new(), |x| d.team_name(x).to_string()),
                    what: r.what.clone(),
                    minutes: r.minutes,
                })
                .collect(),
        })
    }

    pub(super) fn write_certificate(
        &self,
        sh: &Shared,
        cert: &crate::domain::volunteer::Certificate,
        records: &[ServiceRecord],
        full_id: bool,
    ) -> std::io::Result<std::path::PathBuf> {
        let doc = self.certificate_doc(sh, cert, records, full_id).map_err(std::io::Error::other)?;
        doc.write(&self.exports).map(|(html, _)| html)
    }

    /// Enter in the register: writes the selected certificate's files again
    /// (the records of its period, as they are now).
    pub(super) fn reprint_certificate(&mut self, sh: &mut Shared) {
        let Some(c) = self.selected_certificate().cloned() else { return };
        let records = match sh.store.certificate_records(c.volunteer, c.from, c.to) {
            Ok(r) => r,
            Err(e) => return sh.error(&e),
        };
        // a reprint shows the ID number masked (`c` asks for it in full)
        match self.write_certificate(sh, &c, &records, false) {
            Ok(p) => sh.info(format!("{}{}", sh.lang.volunteers().reprinted, short_path(sh, &p))),
            Err(e) => sh.fail(e.to_string()),
        }
    }
}

/// A path under the data dir as `exports/…`, so it fits on one line.
pub(super) fn short_path(sh: &Shared, p: &std::path::Path) -> String {
    p.strip_prefix(sh.store.dir()).unwrap_or(p).display().to_string()
}
