//! The roster's detail panes: a volunteer's hours, stars and newest
//! records; a team's members and posts; a post's staffing; an activity's
//! roll; a month's totals; a certificate.

use super::prelude::*;

impl VolunteersPanel {
    pub(super) fn detail_lines(&self, ctx: &Ctx, w: usize) -> Vec<(String, Style)> {
        match self.view {
            RosterView::Volunteers => self.volunteer_detail(ctx, w),
            RosterView::Teams => self.team_detail(ctx, w),
            RosterView::Posts => self.post_detail(ctx, w),
            RosterView::Activities => self.activity_detail(ctx, w),
            RosterView::Months => self.month_detail(ctx, w),
            RosterView::Certificates => self.certificate_detail(ctx, w),
        }
    }

    pub(super) fn volunteer_detail(&self, ctx: &Ctx, w: usize) -> Vec<(String, Style)> {
        let (po, pc) = (ctx.lang.t().paren_open, ctx.lang.t().paren_close);
        let colon = ctx.lang.t().colon;
        let lang = ctx.lang;
        let t = lang.volunteers();
        let th = ctx.theme;
        let d = &self.data;
        let Some(r) = self.selected_volunteer() else { return Vec::new() };
        let v = &r.v;
        let mut out: Vec<(String, Style)> = Vec::new();
        let phone = if self.revealed == Some(v.id) { r.phone.clone() } else { mask::phone(&r.phone) };
        let mut head = format!("{}  {}", r.name, ir::kind(lang, v.kind));
        if v.gender != crate::domain::volunteer::Gender::Unknown {
            head.push_str(&format!("  {}", ir::gender(lang, v.gender)));
        }
        if let Some(b) = v.birth_year {
            head.push_str(&format!("  {}", fill(t.d_born, b)));
        }
        if !phone.is_empty() {
            head.push_str(&format!("  {}{colon}{}{po}{}{pc}", t.c_phone, phone, ctx.lang.t().masked_hint));
        }
        out.push((head, th.title));
        let teams: Vec<String> = r
            .teams
            .iter()
            .filter_map(|x| d.team(*x))
            .map(|tm| {
                let role = tm.member(v.id).map_or("", |m| ir::role(lang, m.role));
                format!("{}{po}{role}{pc}", ir::short_team(&tm.name))
            })
            .collect();
        let mut l2 = Vec::new();
        if !r.address.is_empty() {
            l2.push(format!("{}{colon}{}", ctx.lang.t().f_address, r.address));
        }
        if !v.org.is_empty() {
            l2.push(format!("{}{colon}{}", t.f_org, v.org));
        }
        // the ID number, masked here always (the form's `v` reveals it, recorded)
        if let Ok(Some(n)) = ctx.store.id_number(RecordKind::Volunteer, v.id.0) {
            l2.push(format!("{}{colon}{}", lang.sheets().id_number_col, mask::id_number(&n)));
        }
        l2.push(format!(
            "{}{colon}{}",
            t.c_teams,
            if teams.is_empty() { ctx.lang.t().none.into() } else { teams.join("、") }
        ));
        out.push((l2.join("  "), th.base));
        let avail = ir::availability(lang, v.availability);
        out.push((
            format!(
                "{}{colon}{}  {}{colon}{}",
                t.c_skills,
                if v.skills.is_empty() { ctx.lang.t().none.into() } else { v.skills.join("、") },
                t.d_free,
                if avail.is_empty() { ctx.lang.t().none.into() } else { avail }
            ),
            th.base,
        ));
        let tot = d.totals.volunteer(v.id, ctx.today.date);
        out.push((
            format!(
                "{}  {} {}  {} {}",
                fill(&fill(t.d_hours, hours(tot.all.minutes)), tot.all.count),
                t.c_year,
                hours(tot.year.minutes),
                t.c_month,
                hours(tot.month.minutes)
            ),
            th.base,
        ));
        let p = self.settings.stars.progress(tot.all.minutes);
        let now = if p.level == 0 { t.d_no_star.to_string() } else { ir::stars(lang, p.level) };
        let star_line = match p.next_hours {
            Some(_) => {
                let next = ir::stars(lang, p.level + 1);
                let filled = (p.permille as usize * 10 / 1000).min(10);
                let togo = match lang {
                    crate::i18n::Lang::Zh => fill(&fill(t.d_next_star, next), hours(p.to_go)),
                    crate::i18n::Lang::En => fill(&fill(t.d_next_star, hours(p.to_go)), next),
                };
                format!(
                    "{}{colon}{now}  {togo}  [{}{}] {}%",
                    t.d_stars,
                    "#".repeat(filled),
                    "-".repeat(10 - filled),
                    p.permille / 10
                )
            }
            None => format!("{}{colon}{now}  {}", t.d_stars, t.d_top_star),
        };
        out.push((star_line, th.ok));
        out.push((format!("— {}{po}{}{pc} —", t.d_records, self.recent_total), th.column_head));
        if self.recent_for == Some(v.id) {
            for rec in &self.recent {
                out.push(self.record_line(ctx, rec, w));
            }
        }
        out
    }

    pub(super) fn record_line(&self, ctx: &Ctx, r: &ServiceRecord, _w: usize) -> (String, Style) {
        let t = ctx.lang.volunteers();
        let d = &self.data;
        let team = r.team.map_or("", |x| ir::short_team(d.team_name(x)));
        let parts = [
            r.date.to_string(),
            format!("{}{}", hours(u64::from(r.minutes)), t.hours_unit),
            team.into(),
            r.what.clone(),
        ];
        let mut s = parts.iter().filter(|p| !p.is_empty()).cloned().collect::<Vec<_>>().join(" ");
        if let Some(h) = r.history.last() {
            let date = if h.date != r.date { format!("{} ", h.date) } else { String::new() };
            s.push_str(&format!(
                " （{}{date}{}{}，{} {}：{}）",
                t.d_was,
                hours(u64::from(h.minutes)),
                t.hours_unit,
                h.at.format("%m-%d"),
                ctx.worker_name(Some(h.by)),
                h.reason
            ));
        }
        if r.voided { (format!("{} {s}", t.d_voided), ctx.theme.done) } else { (s, ctx.theme.base) }
    }

    pub(super) fn team_detail(&self, ctx: &Ctx, w: usize) -> Vec<(String, Style)> {
        let (po, pc) = (ctx.lang.t().paren_open, ctx.lang.t().paren_close);
        let colon = ctx.lang.t().colon;
        let lang = ctx.lang;
        let t = lang.volunteers();
        let th = ctx.theme;
        let d = &self.data;
        let Some(tm) = self.selected_team() else { return Vec::new() };
        let mut out = vec![(
            format!(
                "{}  {} {}  {}{colon}{}  {}{colon}{}",
                tm.name,
                t.d_founded,
                tm.founded.map_or("-".into(), |x| x.to_string()),
                t.f_status,
                ir::team_status(lang, tm.status),
                t.f_types,
                tm.service_types.join("、")
            ),
            th.title,
        )];
        let s = d.totals.team(tm.id);
        let now = ym(ctx.today.date);
        let mut months = Vec::new();
        let mut m = now;
        for _ in 0..6 {
            months.push(format!("{} {}", ir::month_name(lang, m), hours(s.month(m).minutes)));
            m = prev_ym(m);
        }
        out.push((
            format!(
                "{}{colon}{} {}  {} {}  {} {}",
                t.c_hours,
                t.c_month,
                hours(s.month(now).minutes),
                t.c_year,
                hours(s.year(chrono::Datelike::year(&ctx.today.date)).minutes),
                t.c_all,
                hours(s.all.minutes),
            ),
            th.base,
        ));
        out.push((format!("{}{colon}{}", t.d_recent_months, months.join("  ")), th.base));
        let current = tm.current();
        let names: Vec<String> = current
            .iter()
            .map(|m| {
                let n = d.volunteer_name(m.volunteer);
                match m.role {
                    crate::domain::volunteer::Role::Member => n.to_string(),
                    r => format!("{n}{po}{}{pc}", ir::role(lang, r)),
                }
            })
            .collect();
        let left = tm.members.len() - current.len();
        let names = if names.is_empty() { t.d_no_members.to_string() } else { names.join(t.list_sep) };
        let mut members = format!("{}{names}", fill(t.d_members, current.len()));
        if left > 0 {
            members.push_str(&fill(t.d_left, left));
        }
        for l in wrap(&members, w).into_iter().take(3) {
            out.push((l, th.base));
        }
        let posts: Vec<String> = d
            .posts
            .iter()
            .filter(|p| p.team == Some(tm.id))
            .map(|p| {
                let f = ir::staffing(lang, p.staffing());
                if f.is_empty() { p.name.clone() } else { format!("{}{po}{}{pc}", p.name, f.trim_start_matches("! ")) }
            })
            .collect();
        let list = if posts.is_empty() { t.d_no_posts.to_string() } else { posts.join(t.list_sep) };
        let posts = format!("{}{list}", fill(t.d_claimed_posts, posts.len()));
        for l in wrap(&posts, w).into_iter().take(3) {
            out.push((l, th.base));
        }
        if !tm.notes.is_empty() {
            out.push((format!("{}{colon}{}", t.f_notes, tm.notes), th.base));
        }
        out
    }

    pub(super) fn post_detail(&self, ctx: &Ctx, w: usize) -> Vec<(String, Style)> {
        let colon = ctx.lang.t().colon;
        let lang = ctx.lang;
        let t = lang.volunteers();
        let th = ctx.theme;
        let d = &self.data;
        let Some(p) = self.selected_post() else { return Vec::new() };
        let mut out = vec![(
            format!(
                "{}  {}{colon}{}  {}{colon}{}  {}{colon}{}",
                p.name,
                t.f_type,
                p.service_type,
                t.f_place,
                p.place,
                t.f_schedule,
                ir::schedule(lang, p.schedule)
            ),
            th.title,
        )];
        let claim = match p.team {
            Some(tm) => {
                fill(&fill(t.d_claimed_by, d.team_name(tm)), p.claimed_on.map_or(String::new(), |x| x.to_string()))
            }
            None => String::new(),
        };
        let parts = [
            claim,
            format!("{}{colon}{}", t.f_needed, p.needed),
            format!("{}{colon}{}", t.f_status, ir::post_status(lang, p.status)),
            ir::staffing(lang, p.staffing()),
        ];
        out.push((parts.into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join("  "), th.base));
        let s = d.totals.post(p.id);
        out.push((
            format!(
                "{}{colon}{} {}  {} {}  {} {}",
                t.c_hours,
                t.c_month,
                hours(s.month(ym(ctx.today.date)).minutes),
                t.c_year,
                hours(s.year(chrono::Datelike::year(&ctx.today.date)).minutes),
                t.c_all,
                hours(s.all.minutes)
            ),
            th.base,
        ));
        let staff: Vec<&str> = p.staff.iter().map(|v| d.volunteer_name(*v)).collect();
        let list = if staff.is_empty() { t.d_no_staff.to_string() } else { staff.join(t.list_sep) };
        let staff = format!("{}{list}", fill(t.d_staff, staff.len()));
        for l in wrap(&staff, w).into_iter().take(3) {
            out.push((l, th.base));
        }
        out
    }

    pub(super) fn activity_detail(&self, ctx: &Ctx, w: usize) -> Vec<(String, Style)> {
        let (po, pc) = (ctx.lang.t().paren_open, ctx.lang.t().paren_close);
        let colon = ctx.lang.t().colon;
        let lang = ctx.lang;
        let t = lang.volunteers();
        let th = ctx.theme;
        let d = &self.data;
        let Some(a) = self.selected_activity() else { return Vec::new() };
        let mut out = vec![(
            format!("{}  {} {}{po}{}{}{pc}", a.title, a.date, a.span, hours(u64::from(a.minutes())), t.hours_unit),
            th.title,
        )];
        let mut l2 = Vec::new();
        if let Some(x) = a.team {
            l2.push(format!("{}{colon}{}", t.f_team, d.team_name(x)));
        }
        if let Some(x) = a.post {
            l2.push(format!("{}{colon}{}", t.f_post, d.post_name(x)));
        }
        if !a.place.is_empty() {
            l2.push(format!("{}{colon}{}", t.f_place, a.place));
        }
        l2.push(format!("{}{colon}{}", t.d_logged_by, ctx.worker_name(Some(a.logged_by))));
        out.push((l2.join("  "), th.base));
        let s = d.totals.activity(a.id);
        if self.credited_for == Some(a.id) {
            // who came first, records voided by a later roll call last
            let mut credited: Vec<&ServiceRecord> = self.credited.iter().collect();
            credited.sort_by_key(|r| r.voided);
            let names: Vec<String> = credited
                .into_iter()
                .map(|r| {
                    let n = d.volunteer_name(r.volunteer);
                    let mut x = if r.minutes == a.minutes() {
                        n.to_string()
                    } else {
                        format!("{n}{po}{}{pc}", hours(u64::from(r.minutes)))
                    };
                    if r.voided {
                        x = format!("{}{x}", t.d_voided);
                    }
                    x
                })
                .collect();
            let text = format!("{}{}", fill(&fill(t.d_credited, s.count), hours(s.minutes)), names.join(t.list_sep));
            for l in wrap(&text, w).into_iter().take(6) {
                out.push((l, th.base));
            }
        }
        out
    }

    pub(super) fn month_detail(&self, ctx: &Ctx, w: usize) -> Vec<(String, Style)> {
        let lang = ctx.lang;
        let t = lang.volunteers();
        let th = ctx.theme;
        let d = &self.data;
        let Some(m) = self.selected_month() else { return Vec::new() };
        let y = (m / 100) as i32;
        let year = d.totals.community().year(y);
        let mut out = vec![(
            format!(
                "{}-{:02}  {}  {} {}{}  {} {}",
                m / 100,
                m % 100,
                t.d_month_teams,
                fill(t.d_year_total, y),
                hours(year.minutes),
                t.hours_unit,
                year.count,
                t.times_unit
            ),
            th.title,
        )];
        let teams = d.totals.teams_in_month(m);
        let col = 34usize;
        let per_row = (w / col).max(1);
        for chunk in teams.chunks(per_row) {
            let cells: Vec<String> = chunk
                .iter()
                .map(|(tm, s)| {
                    let name = fit(d.team_name(*tm), 18);
                    fit(&format!("{name} {:>6} {:>4}{}", hours(s.minutes), s.count, t.times_unit), col)
                })
                .collect();
            out.push((cells.join(""), th.base));
        }
        out
    }

    pub(super) fn certificate_detail(&self, ctx: &Ctx, _w: usize) -> Vec<(String, Style)> {
        let range = ctx.lang.t().range;
        let t = ctx.lang.volunteers();
        let th = ctx.theme;
        let colon = ctx.lang.t().colon;
        let Some(c) = self.selected_certificate() else { return Vec::new() };
        let stem = crate::store::roster::certificate::file_stem(c);
        let html = self.exports.join(format!("{stem}.html"));
        let mut out = vec![
            (
                format!(
                    "{} {}  {}{range}{}  {} {}  {} {}",
                    c.number,
                    c.name,
                    c.from,
                    c.to,
                    c.count,
                    t.times_unit,
                    hours(c.minutes),
                    t.hours_unit
                ),
                th.title,
            ),
            (format!("{}{colon}{}", t.d_file, html.display()), th.base),
        ];
        if !html.exists() {
            out.push((t.d_file_missing.to_string(), th.warn));
        }
        out
    }
}
