//! Drawing the roster: the view's tabs and search line, and its list.

use super::prelude::*;

impl VolunteersPanel {
    pub(super) fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) -> Option<Position> {
        let t = ctx.lang.volunteers();
        let th = ctx.theme;
        if area.height < 6 {
            return None;
        }
        // views, then the count
        let mut x = area.x;
        for v in RosterView::ALL {
            let label = format!(" {} ", v.label(t));
            let w = width(&label) as u16;
            if x + w > area.right() {
                break;
            }
            let style = if v == self.view { th.tab_active } else { th.base };
            line(buf, x, area.y, w, &label, style);
            x += w;
        }
        let shown = fill(ctx.lang.t().shown_of, self.hits.len());
        let count = match self.view {
            RosterView::Posts if self.attention => format!("{} {shown}", t.attention_on),
            RosterView::Volunteers if self.sort != VolunteerSort::Registered => {
                format!("{} {shown}", self.sort.label(ctx.lang))
            }
            _ => shown,
        };
        let cw = width(&count) as u16;
        if x + cw + 2 < area.right() {
            line(buf, area.right() - cw, area.y, cw, &count, th.dim);
        }
        // search line
        let y = area.y + 1;
        let label = if self.view == RosterView::Months {
            String::new()
        } else {
            format!("{}{}", ctx.lang.t().search, ctx.lang.t().colon)
        };
        let lw = width(&label) as u16;
        line(buf, area.x, y, lw, &label, if self.searching { th.focus } else { th.base });
        let input = Rect::new(area.x + lw, y, area.width.saturating_sub(lw), 1);
        let mut cursor = None;
        if self.search.is_empty() && !self.searching {
            line(buf, input.x, y, input.width, self.view.hint(t), th.dim);
        } else {
            let p = self.search.render(input, buf, th.input);
            cursor = self.searching.then_some(p);
        }
        let body = Rect::new(area.x, area.y + 2, area.width, area.height - 2);
        if !self.loaded {
            line(buf, body.x + 2, body.y + 1, body.width.saturating_sub(2), t.loading, th.dim);
            return cursor;
        }
        let lh = (body.height * 9 / 20).max(3);
        let list_area = Rect::new(body.x, body.y, body.width, lh);
        let detail = Rect::new(body.x, body.y + lh, body.width, body.height - lh);
        self.render_list(list_area, buf, ctx);
        let block = Block::new().borders(Borders::TOP).border_style(th.border);
        let inner = block.inner(detail);
        block.render(detail, buf);
        // long lines wrap rather than lose their end (a correction's reason)
        let lines = self.detail_lines(ctx, inner.width as usize);
        let wrapped = lines.iter().flat_map(|(l, s)| wrap(l, inner.width as usize).into_iter().map(move |w| (w, *s)));
        for (i, (l, s)) in wrapped.take(inner.height as usize).enumerate() {
            line(buf, inner.x, inner.y + i as u16, inner.width, &l, s);
        }
        cursor
    }

    /// Column widths for a view at this width: fixed columns, and one
    /// flexible column (marked 0) that takes what is left.
    pub(super) fn columns(&self, w: usize) -> Vec<usize> {
        let wide = w >= 100;
        let cols: Vec<usize> = match self.view {
            RosterView::Volunteers if wide => vec![8, 8, 11, 16, 0, 7, 7, 6, 4],
            RosterView::Volunteers => vec![8, 8, 11, 10, 0, 7, 4],
            RosterView::Teams if wide => vec![0, 8, 12, 5, 5, 7, 7, 8, 6],
            RosterView::Teams => vec![0, 8, 8, 4, 4, 7, 4],
            RosterView::Posts if wide => vec![0, 12, 22, 18, 5, 10, 4],
            RosterView::Posts => vec![0, 8, 22, 10, 5, 9],
            RosterView::Activities if wide => vec![10, 11, 0, 20, 16, 4, 6],
            RosterView::Activities => vec![10, 11, 0, 10, 4, 6],
            RosterView::Months => vec![9, 10, 8, 6, 0],
            RosterView::Certificates => vec![9, 8, 21, 7, 4, 10, 0],
        };
        let fixed: usize = cols.iter().sum::<usize>() + cols.len() - 1;
        let flex = w.saturating_sub(fixed).max(6);
        cols.into_iter().map(|c| if c == 0 { flex } else { c }).collect()
    }

    /// Which columns hold numbers (drawn right-aligned).
    pub(super) fn numeric(&self, wide: bool) -> &'static [usize] {
        match self.view {
            RosterView::Volunteers if wide => &[5, 6, 7],
            RosterView::Volunteers => &[5],
            RosterView::Teams if wide => &[3, 4, 5, 6, 7],
            RosterView::Teams => &[3, 4, 5],
            RosterView::Posts => &[4],
            RosterView::Activities if wide => &[5, 6],
            RosterView::Activities => &[4, 5],
            RosterView::Months => &[1, 2, 3],
            RosterView::Certificates => &[3, 4],
        }
    }

    pub(super) fn heads(&self, t: &VolunteersText, wide: bool) -> Vec<&'static str> {
        match self.view {
            RosterView::Volunteers if wide => {
                vec![t.c_name, t.c_kind, t.c_phone, t.c_teams, t.c_skills, t.c_all, t.c_year, t.c_month, t.c_stars]
            }
            RosterView::Volunteers => vec![t.c_name, t.c_kind, t.c_phone, t.c_teams, t.c_skills, t.c_all, t.c_stars],
            RosterView::Teams if wide => {
                vec![t.c_team, t.c_leader, t.c_types, t.c_members, t.c_posts, t.c_month, t.c_year, t.c_all, t.c_status]
            }
            RosterView::Teams => vec![t.c_team, t.c_leader, t.c_types, t.c_members, t.c_posts, t.c_month, t.c_status],
            RosterView::Posts if wide => {
                vec![t.c_post, t.c_type, t.c_schedule, t.c_team, t.c_staff, t.c_flag, t.c_status]
            }
            RosterView::Posts => vec![t.c_post, t.c_type, t.c_schedule, t.c_team, t.c_staff, t.c_flag],
            RosterView::Activities if wide => {
                vec![t.c_date, t.c_time, t.c_title, t.c_team, t.c_post, t.c_people, t.c_hours]
            }
            RosterView::Activities => vec![t.c_date, t.c_time, t.c_title, t.c_team, t.c_people, t.c_hours],
            RosterView::Months => vec![t.c_ym, t.c_hours, t.c_count, t.c_people, ""],
            RosterView::Certificates => {
                vec![t.c_number, t.c_name, t.c_period, t.c_hours, t.c_times, t.c_issued, t.c_by]
            }
        }
    }

    pub(super) fn row_cells(&self, pos: usize, ctx: &Ctx, wide: bool) -> (Vec<String>, Style) {
        let range = ctx.lang.t().range;
        let lang = ctx.lang;
        let th = ctx.theme;
        let d = &self.data;
        let today = ctx.today.date;
        match self.view {
            RosterView::Volunteers => {
                let r = &d.volunteers[pos];
                let tot = d.totals.volunteer(r.v.id, today);
                let teams: Vec<&str> = r.teams.iter().map(|x| ir::short_team(d.team_name(*x))).collect();
                let stars = ir::stars(lang, self.settings.stars.level(tot.all.minutes));
                let mut v = vec![
                    r.name.clone(),
                    ir::kind_short(lang, r.v.kind).to_string(),
                    mask::phone(&r.phone),
                    teams.join(lang.volunteers().list_sep),
                    r.v.skills.join(lang.volunteers().list_sep),
                    hours(tot.all.minutes),
                ];
                if wide {
                    v.push(hours(tot.year.minutes));
                    v.push(hours(tot.month.minutes));
                }
                v.push(stars);
                (v, if r.v.active { th.base } else { th.done })
            }
            RosterView::Teams => {
                let tm = &d.teams[pos];
                let s = d.totals.team(tm.id);
                let leader = tm.leader().map_or("", |l| d.volunteer_name(l)).to_string();
                let posts = d.posts.iter().filter(|p| p.team == Some(tm.id)).count();
                let mut v = vec![
                    tm.name.clone(),
                    leader,
                    tm.service_types.join(lang.volunteers().list_sep),
                    tm.current().len().to_string(),
                    posts.to_string(),
                    hours(s.month(ym(today)).minutes),
                ];
                if wide {
                    v.push(hours(s.year(chrono::Datelike::year(&today)).minutes));
                    v.push(hours(s.all.minutes));
                }
                v.push(ir::team_status(lang, tm.status).to_string());
                (v, if tm.status == TeamStatus::Active { th.base } else { th.done })
            }
            RosterView::Posts => {
                let p = &d.posts[pos];
                let flag = p.staffing();
                let mut v = vec![
                    p.name.clone(),
                    p.service_type.clone(),
                    ir::schedule(lang, p.schedule),
                    p.team.map_or(String::new(), |x| ir::short_team(d.team_name(x)).to_string()),
                    format!("{}/{}", p.staff.len(), p.needed),
                    ir::staffing(lang, flag),
                ];
                if wide {
                    v.push(ir::post_status(lang, p.status).to_string());
                }
                let style = match flag {
                    Staffing::Unclaimed => th.overdue,
                    Staffing::Short(_) => th.due_soon,
                    Staffing::Inactive => th.done,
                    Staffing::Staffed => th.base,
                };
                (v, style)
            }
            RosterView::Activities => {
                let Some(a) = d.activities.at(pos) else { return (Vec::new(), th.base) };
                let s = d.totals.activity(a.id);
                let mut v = vec![
                    a.date.to_string(),
                    a.span.to_string(),
                    a.title.to_string(),
                    a.team.map_or(String::new(), |x| ir::short_team(d.team_name(x)).to_string()),
                ];
                if wide {
                    v.push(a.post.map_or(String::new(), |x| d.post_name(x).to_string()));
                }
                v.push(s.count.to_string());
                v.push(hours(s.minutes));
                (v, th.base)
            }
            RosterView::Months => {
                let m = self.months[pos];
                let s = d.totals.community().month(m);
                let people = d.totals.people_in_month(m);
                let bar = {
                    let max = self.months.iter().map(|x| d.totals.community().month(*x).minutes).max().unwrap_or(1);
                    let n = (s.minutes * 20 / max.max(1)) as usize;
                    "#".repeat(n)
                };
                (
                    vec![
                        format!("{}-{:02}", m / 100, m % 100),
                        hours(s.minutes),
                        s.count.to_string(),
                        people.to_string(),
                        bar,
                    ],
                    th.base,
                )
            }
            RosterView::Certificates => {
                let c = &d.certificates[pos];
                let by = ctx.worker_name(Some(c.issued_by)).to_string();
                (
                    vec![
                        c.number.clone(),
                        c.name.clone(),
                        format!("{}{range}{}", c.from, c.to),
                        hours(c.minutes),
                        c.count.to_string(),
                        c.issued_on.to_string(),
                        by,
                    ],
                    th.base,
                )
            }
        }
    }

    pub(super) fn render_list(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let t = ctx.lang.volunteers();
        let th = ctx.theme;
        let wide = area.width >= 100;
        let cols = self.columns(area.width as usize);
        let numeric = self.numeric(wide);
        let cell = |i: usize, s: &str, w: usize| if numeric.contains(&i) { rfit(s, w) } else { fit(s, w) };
        let head: Vec<String> =
            self.heads(t, wide).iter().zip(&cols).enumerate().map(|(i, (h, w))| cell(i, h, *w)).collect();
        line(buf, area.x, area.y, area.width, &head.join(" "), th.column_head);
        let height = area.height.saturating_sub(1) as usize;
        self.list_height = height;
        if self.hits.is_empty() {
            let msg = match self.view {
                _ if !self.search.is_empty() => ctx.lang.t().no_rows,
                RosterView::Certificates => t.empty_certificates,
                _ => t.empty,
            };
            line(buf, area.x + 2, area.y + 1, area.width.saturating_sub(2), msg, th.dim);
            return;
        }
        let len = self.hits.len();
        let sel = self.sel();
        let from = self.list().visible_from(height, len);
        for (n, &pos) in self.hits.iter().skip(from).take(height).enumerate() {
            let (cells, style) = self.row_cells(pos, ctx, wide);
            let text: Vec<String> =
                cells.iter().zip(&cols).enumerate().map(|(i, (c, w))| cell(i, &display_safe(c), *w)).collect();
            let y = area.y + 1 + n as u16;
            let style = if from + n == sel { th.selected } else { style };
            buf.set_style(Rect::new(area.x, y, area.width, 1), style);
            line(buf, area.x, y, area.width, &text.join(" "), style);
        }
    }
}
