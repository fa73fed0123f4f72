//! The volunteer roster panel (志愿服务): six views of one roster, switched
//! with ←/→ (or [ and ]): teams, service posts, volunteers, activities,
//! monthly totals and the certificate register. Each view is a list (only
//! the visible rows are drawn) over the selected item's details. Totals
//! come from the kept aggregate, never from a scan of the records.

use super::{Ctx, ListState};
use crate::domain::mask;
use crate::domain::text::{display_safe, fit, width};
use crate::domain::volunteer::{
    Activity, ActivityId, RosterSettings, ServiceRecord, Staffing, Team, TeamStatus, VolunteerId, Ym, hours, prev_ym,
    ym,
};
use crate::i18n::fill;
use crate::i18n::volunteers::{self as ir, VolunteersText};
use crate::store::roster::index::{RosterIndex, VolunteerRow};
use crate::ui::keymap::Scope;
use crate::ui::layers::wrap;
use crate::ui::widgets::form::line;
use crate::ui::widgets::input::LineInput;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders, Widget};

/// What the roster's keys do (bound in `keymap::BINDINGS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterAction {
    PrevView,
    NextView,
    LogActivity,
    LogHours,
    Certificate,
    Correct,
    AddMember,
    MemberRole,
    AddStaff,
    RemoveStaff,
    Claim,
    Attention,
    RollCall,
    /// From the requests panel: hand the request to a team or volunteer.
    HandOver,
    /// Volunteers: registration order, most hours first, or by name.
    Sort,
}

impl RosterAction {
    /// The action in the footer and the help.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        let t = lang.volunteers();
        match self {
            RosterAction::PrevView => t.a_prev_view,
            RosterAction::NextView => t.a_next_view,
            RosterAction::LogActivity => t.a_log_activity,
            RosterAction::LogHours => t.a_log_hours,
            RosterAction::Certificate => t.a_certificate,
            RosterAction::Correct => t.a_correct,
            RosterAction::AddMember => t.a_add_member,
            RosterAction::MemberRole => t.a_member_role,
            RosterAction::AddStaff => t.a_add_staff,
            RosterAction::RemoveStaff => t.a_remove_staff,
            RosterAction::Claim => t.a_claim,
            RosterAction::Attention => t.a_attention,
            RosterAction::RollCall => t.a_roll_call,
            RosterAction::HandOver => t.a_hand,
            RosterAction::Sort => lang.t().a_sort,
        }
    }
}

/// The order of the volunteers list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VolunteerSort {
    #[default]
    Registered,
    Hours,
    Name,
}

impl VolunteerSort {
    /// The order, as the count line says it.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        lang.volunteers().sorts[self as usize]
    }

    pub fn next(self) -> VolunteerSort {
        match self {
            VolunteerSort::Registered => VolunteerSort::Hours,
            VolunteerSort::Hours => VolunteerSort::Name,
            VolunteerSort::Name => VolunteerSort::Registered,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RosterView {
    Teams,
    Posts,
    #[default]
    Volunteers,
    Activities,
    Months,
    Certificates,
}

impl RosterView {
    pub const ALL: [RosterView; 6] = [
        RosterView::Teams,
        RosterView::Posts,
        RosterView::Volunteers,
        RosterView::Activities,
        RosterView::Months,
        RosterView::Certificates,
    ];

    fn index(self) -> usize {
        Self::ALL.iter().position(|v| *v == self).unwrap_or(0)
    }

    pub fn label(self, t: &VolunteersText) -> &'static str {
        match self {
            RosterView::Teams => t.v_teams,
            RosterView::Posts => t.v_posts,
            RosterView::Volunteers => t.v_volunteers,
            RosterView::Activities => t.v_activities,
            RosterView::Months => t.v_months,
            RosterView::Certificates => t.v_certificates,
        }
    }

    fn hint(self, t: &VolunteersText) -> &'static str {
        match self {
            RosterView::Teams => t.hint_teams,
            RosterView::Posts => t.hint_posts,
            RosterView::Volunteers => t.hint_volunteers,
            RosterView::Activities => t.hint_activities,
            RosterView::Months => t.hint_months,
            RosterView::Certificates => t.hint_certificates,
        }
    }

    pub fn scope(self) -> Scope {
        match self {
            RosterView::Teams => Scope::RosterTeams,
            RosterView::Posts => Scope::RosterPosts,
            RosterView::Volunteers => Scope::RosterVolunteers,
            RosterView::Activities => Scope::RosterActivities,
            RosterView::Months => Scope::RosterMonths,
            RosterView::Certificates => Scope::RosterCertificates,
        }
    }
}

#[derive(Default)]
pub struct RosterPanel {
    pub data: RosterIndex,
    pub loaded: bool,
    pub settings: RosterSettings,
    pub view: RosterView,
    pub search: LineInput,
    pub searching: bool,
    /// Positions in the current view's list that pass the search.
    pub hits: Vec<usize>,
    lists: [ListState; 6],
    /// Posts: only the unclaimed and short.
    pub attention: bool,
    pub sort: VolunteerSort,
    pub revealed: Option<VolunteerId>,
    /// The selected volunteer's newest records, and how many there are.
    pub recent: Vec<ServiceRecord>,
    pub recent_total: usize,
    pub recent_for: Option<VolunteerId>,
    /// Who was credited for the selected activity.
    pub credited: Vec<ServiceRecord>,
    pub credited_for: Option<ActivityId>,
    /// Months view: months with service, newest first (this month always).
    pub months: Vec<Ym>,
    pub list_height: usize,
    /// Where certificates are written (`exports/` in the data dir).
    pub exports: std::path::PathBuf,
}

/// `s` cut or padded on the left to exactly `w` columns (numbers).
fn rfit(s: &str, w: usize) -> String {
    let t = crate::domain::text::truncate(s, w);
    format!("{}{t}", " ".repeat(w.saturating_sub(width(&t))))
}

/// How many of a volunteer's newest records the detail pane reads.
pub const RECENT: usize = 40;

impl RosterPanel {
    pub fn list(&mut self) -> &mut ListState {
        &mut self.lists[self.view.index()]
    }

    fn sel(&self) -> usize {
        self.lists[self.view.index()].sel
    }

    pub fn switch(&mut self, forward: bool) {
        let n = RosterView::ALL.len();
        let i = self.view.index();
        self.view = RosterView::ALL[if forward { (i + 1) % n } else { (i + n - 1) % n }];
        self.search.clear();
        self.searching = false;
    }

    /// Recomputes the current view's hits after a search edit or a save,
    /// keeping the selection where it was.
    pub fn refilter(&mut self, today: chrono::NaiveDate) {
        let q = crate::domain::text::clean_input(&self.search.value(), false);
        self.hits = match self.view {
            RosterView::Teams => self.data.search_teams(&q),
            RosterView::Posts => self.data.search_posts(&q, self.attention),
            RosterView::Volunteers => {
                let mut hits = self.data.search_volunteers(&q, false);
                let d = &self.data;
                match self.sort {
                    VolunteerSort::Registered => {}
                    VolunteerSort::Hours => hits.sort_by_key(|&i| {
                        std::cmp::Reverse(d.totals.volunteer_series(d.volunteers[i].v.id).all.minutes)
                    }),
                    VolunteerSort::Name => hits.sort_by(|&a, &b| {
                        let (a, b) = (&d.volunteers[a], &d.volunteers[b]);
                        (&a.initials, &a.name).cmp(&(&b.initials, &b.name))
                    }),
                }
                hits
            }
            RosterView::Activities => self.data.search_activities(&q),
            RosterView::Months => {
                let now = ym(today);
                let mut m: Vec<Ym> = self.data.totals.community().months().map(|(m, _)| m).collect();
                if !m.contains(&now) {
                    m.insert(0, now);
                }
                m.retain(|x| *x <= now || self.data.totals.community().month(*x).count > 0);
                m.sort_unstable_by(|a, b| b.cmp(a));
                self.months = m;
                (0..self.months.len()).collect()
            }
            RosterView::Certificates => self.data.search_certificates(&q),
        };
        let len = self.hits.len();
        let sel = self.sel();
        self.list().to(sel, len);
    }

    pub fn step(&mut self, delta: isize) {
        let len = self.hits.len();
        self.list().step(delta, len);
        self.revealed = None;
    }

    /// Selects the item with this position in its list, if it is shown.
    pub fn select_pos(&mut self, pos: usize) {
        if let Some(i) = self.hits.iter().position(|&h| h == pos) {
            let len = self.hits.len();
            self.list().to(i, len);
        }
    }

    fn selected_pos(&self) -> Option<usize> {
        self.hits.get(self.sel()).copied()
    }

    pub fn selected_team(&self) -> Option<&Team> {
        (self.view == RosterView::Teams).then(|| self.selected_pos().and_then(|i| self.data.teams.get(i))).flatten()
    }

    pub fn selected_post(&self) -> Option<&crate::domain::volunteer::Post> {
        (self.view == RosterView::Posts).then(|| self.selected_pos().and_then(|i| self.data.posts.get(i))).flatten()
    }

    pub fn selected_volunteer(&self) -> Option<&VolunteerRow> {
        (self.view == RosterView::Volunteers)
            .then(|| self.selected_pos().and_then(|i| self.data.volunteers.get(i)))
            .flatten()
    }

    pub fn selected_activity(&self) -> Option<&Activity> {
        (self.view == RosterView::Activities)
            .then(|| self.selected_pos().and_then(|i| self.data.activities.get(i)))
            .flatten()
    }

    pub fn selected_certificate(&self) -> Option<&crate::domain::volunteer::Certificate> {
        (self.view == RosterView::Certificates)
            .then(|| self.selected_pos().and_then(|i| self.data.certificates.get(i)))
            .flatten()
    }

    pub fn selected_month(&self) -> Option<Ym> {
        (self.view == RosterView::Months)
            .then(|| self.selected_pos().and_then(|i| self.months.get(i).copied()))
            .flatten()
    }

    // ---- drawing -------------------------------------------------------------

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) -> Option<Position> {
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
        let label = if self.view == RosterView::Months { String::new() } else { format!("{}: ", ctx.lang.t().search) };
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
    fn columns(&self, w: usize) -> Vec<usize> {
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
    fn numeric(&self, wide: bool) -> &'static [usize] {
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

    fn heads(&self, t: &VolunteersText, wide: bool) -> Vec<&'static str> {
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
                vec![t.c_number, t.c_name, t.c_period, t.c_hours, t.c_count, t.c_issued, t.c_by]
            }
        }
    }

    fn row_cells(&self, pos: usize, ctx: &Ctx, wide: bool) -> (Vec<String>, Style) {
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
                    teams.join(","),
                    r.v.skills.join(","),
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
                    tm.service_types.join(","),
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
                let a = &d.activities[pos];
                let s = d.totals.activity(a.id);
                let mut v = vec![
                    a.date.to_string(),
                    a.span.to_string(),
                    a.title.clone(),
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
                        format!("{}~{}", c.from, c.to),
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

    fn render_list(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
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

    fn detail_lines(&self, ctx: &Ctx, w: usize) -> Vec<(String, Style)> {
        match self.view {
            RosterView::Volunteers => self.volunteer_detail(ctx, w),
            RosterView::Teams => self.team_detail(ctx, w),
            RosterView::Posts => self.post_detail(ctx, w),
            RosterView::Activities => self.activity_detail(ctx, w),
            RosterView::Months => self.month_detail(ctx, w),
            RosterView::Certificates => self.certificate_detail(ctx, w),
        }
    }

    fn volunteer_detail(&self, ctx: &Ctx, w: usize) -> Vec<(String, Style)> {
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
            head.push_str(&format!("  {}:{} ({})", t.c_phone, phone, ctx.lang.t().masked_hint));
        }
        out.push((head, th.title));
        let teams: Vec<String> = r
            .teams
            .iter()
            .filter_map(|x| d.team(*x))
            .map(|tm| {
                let role = tm.member(v.id).map_or("", |m| ir::role(lang, m.role));
                format!("{}({role})", ir::short_team(&tm.name))
            })
            .collect();
        let mut l2 = Vec::new();
        if !r.address.is_empty() {
            l2.push(format!("{}: {}", ctx.lang.t().f_address, r.address));
        }
        if !v.org.is_empty() {
            l2.push(format!("{}: {}", t.f_org, v.org));
        }
        l2.push(format!("{}: {}", t.c_teams, if teams.is_empty() { "-".into() } else { teams.join("、") }));
        out.push((l2.join("  "), th.base));
        let avail = ir::availability(lang, v.availability);
        out.push((
            format!(
                "{}: {}  {}: {}",
                t.c_skills,
                if v.skills.is_empty() { "-".into() } else { v.skills.join("、") },
                t.d_free,
                if avail.is_empty() { "-".into() } else { avail }
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
                    "{}: {now}  {togo}  [{}{}] {}%",
                    t.d_stars,
                    "#".repeat(filled),
                    "-".repeat(10 - filled),
                    p.permille / 10
                )
            }
            None => format!("{}: {now}  {}", t.d_stars, t.d_top_star),
        };
        out.push((star_line, th.ok));
        out.push((format!("— {} ({}) —", t.d_records, self.recent_total), th.column_head));
        if self.recent_for == Some(v.id) {
            for rec in &self.recent {
                out.push(self.record_line(ctx, rec, w));
            }
        }
        out
    }

    fn record_line(&self, ctx: &Ctx, r: &ServiceRecord, _w: usize) -> (String, Style) {
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

    fn team_detail(&self, ctx: &Ctx, w: usize) -> Vec<(String, Style)> {
        let lang = ctx.lang;
        let t = lang.volunteers();
        let th = ctx.theme;
        let d = &self.data;
        let Some(tm) = self.selected_team() else { return Vec::new() };
        let mut out = vec![(
            format!(
                "{}  {} {}  {}: {}  {}: {}",
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
                "{}: {} {}  {} {}  {} {}",
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
        out.push((format!("{}: {}", t.d_recent_months, months.join("  ")), th.base));
        let current = tm.current();
        let names: Vec<String> = current
            .iter()
            .map(|m| {
                let n = d.volunteer_name(m.volunteer);
                match m.role {
                    crate::domain::volunteer::Role::Member => n.to_string(),
                    r => format!("{n}({})", ir::role(lang, r)),
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
                if f.is_empty() { p.name.clone() } else { format!("{}({})", p.name, f.trim_start_matches("! ")) }
            })
            .collect();
        let list = if posts.is_empty() { t.d_no_posts.to_string() } else { posts.join(t.list_sep) };
        let posts = format!("{}{list}", fill(t.d_claimed_posts, posts.len()));
        for l in wrap(&posts, w).into_iter().take(3) {
            out.push((l, th.base));
        }
        if !tm.notes.is_empty() {
            out.push((format!("{}: {}", t.f_notes, tm.notes), th.base));
        }
        out
    }

    fn post_detail(&self, ctx: &Ctx, w: usize) -> Vec<(String, Style)> {
        let lang = ctx.lang;
        let t = lang.volunteers();
        let th = ctx.theme;
        let d = &self.data;
        let Some(p) = self.selected_post() else { return Vec::new() };
        let mut out = vec![(
            format!(
                "{}  {}: {}  {}: {}  {}: {}",
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
            format!("{}: {}", t.f_needed, p.needed),
            format!("{}: {}", t.f_status, ir::post_status(lang, p.status)),
            ir::staffing(lang, p.staffing()),
        ];
        out.push((parts.into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join("  "), th.base));
        let s = d.totals.post(p.id);
        out.push((
            format!(
                "{}: {} {}  {} {}  {} {}",
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

    fn activity_detail(&self, ctx: &Ctx, w: usize) -> Vec<(String, Style)> {
        let lang = ctx.lang;
        let t = lang.volunteers();
        let th = ctx.theme;
        let d = &self.data;
        let Some(a) = self.selected_activity() else { return Vec::new() };
        let mut out = vec![(
            format!("{}  {} {} ({}{})", a.title, a.date, a.span, hours(u64::from(a.minutes())), t.hours_unit),
            th.title,
        )];
        let mut l2 = Vec::new();
        if let Some(x) = a.team {
            l2.push(format!("{}: {}", t.f_team, d.team_name(x)));
        }
        if let Some(x) = a.post {
            l2.push(format!("{}: {}", t.f_post, d.post_name(x)));
        }
        if !a.place.is_empty() {
            l2.push(format!("{}: {}", t.f_place, a.place));
        }
        l2.push(format!("{}: {}", t.d_logged_by, ctx.worker_name(Some(a.logged_by))));
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
                        format!("{n}({})", hours(u64::from(r.minutes)))
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

    fn month_detail(&self, ctx: &Ctx, w: usize) -> Vec<(String, Style)> {
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

    fn certificate_detail(&self, ctx: &Ctx, _w: usize) -> Vec<(String, Style)> {
        let t = ctx.lang.volunteers();
        let th = ctx.theme;
        let Some(c) = self.selected_certificate() else { return Vec::new() };
        let stem = crate::store::roster::certificate::file_stem(c);
        let html = self.exports.join(format!("{stem}.html"));
        let mut out = vec![
            (
                format!(
                    "{} {}  {}~{}  {} {}  {} {}",
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
            (format!("{}: {}", t.d_file, html.display()), th.base),
        ];
        if !html.exists() {
            out.push((t.d_file_missing.to_string(), th.warn));
        }
        out
    }
}
