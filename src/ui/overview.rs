//! The overview (概览, key `0` from anywhere): the office at a glance.
//! Its figures are read when it opens from what the app already keeps up
//! to date on every save (the requests index's `RequestFigures`, the
//! roster's hours totals, the daily log's month counts), plus the few
//! leave and training records of the workers; no record is scanned. It is
//! drawn with ratatui's charts, each with a pattern or a mark as well as a
//! colour, so it reads the same under `NO_COLOR`. Up and Down choose a
//! figure; Enter opens the requests behind it.

use super::keymap::{self, Action, Scope};
use super::layers::Layer;
use super::panel::{PanelId, Panels};
use super::shared::Shared;
use super::text::{boxed, line};
use crate::domain::overview::{Due, MonthFigures, back, next_ym};
use crate::domain::text;
use crate::domain::volunteer::{Ym, ym};
use crate::domain::{Status, WorkerId};
use crate::store::rows::{Filter, Sort};
use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::{Axis, Bar, BarChart, BarGroup, Block, Borders, Chart, Dataset, GraphType, Sparkline, Widget};

/// One worker's line of today's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueLine {
    pub worker: Option<WorkerId>,
    pub name: String,
    pub due: Due,
}

/// One worker's month: leave and training days, daily-log entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerMonth {
    pub name: String,
    pub leave_days: u32,
    /// Half days (a study session is one).
    pub training_half_days: u32,
    pub log_entries: u32,
}

/// Everything the overview shows, gathered once when it opens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub today: Option<NaiveDate>,
    pub on_duty: Option<String>,
    pub due: Vec<DueLine>,
    /// The last 12 months, oldest first, each with the same month a year
    /// before.
    pub months: Vec<(Ym, MonthFigures, MonthFigures)>,
    /// This month's categories, most first.
    pub categories: Vec<(String, u32)>,
    /// Volunteer minutes per month, the last 12 months, oldest first.
    pub hours: Vec<(Ym, u64)>,
    /// This month's teams, most hours first.
    pub teams: Vec<(String, u64)>,
    pub workers: Vec<WorkerMonth>,
    pub loaded: bool,
}

/// What Enter opens: the requests list with this filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub filter: Filter,
}

pub struct OverviewView {
    pub fig: Figures,
    /// The chosen figure, in [`OverviewView::targets`] order.
    pub sel: usize,
}

fn first_of(m: Ym) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt((m / 100) as i32, m % 100, 1)
}

fn last_of(m: Ym) -> Option<NaiveDate> {
    first_of(next_ym(m)).and_then(|d| d.pred_opt())
}

/// Reads the figures from what is kept in memory, and the workers' leave
/// and training of the month (a few records each) from the store.
pub fn gather(sh: &Shared, panels: &Panels) -> Figures {
    let today = sh.today.date;
    let this = ym(today);
    let kept = sh.index.figures();
    let from = back(this, 11);
    let months = kept
        .months(from, this)
        .into_iter()
        .map(|(m, f)| {
            let before = kept.month(m - 100);
            (m, f, before)
        })
        .collect();
    let mut categories: Vec<(String, u32)> =
        kept.month(this).by_category.iter().map(|(c, n)| (sh.index.category_name(*c).to_string(), *n)).collect();
    categories.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let name_of = |w: Option<WorkerId>| match w.and_then(|w| sh.worker(w)) {
        Some(x) => x.name.clone(),
        None if w.is_none() => sh.lang.overview().unassigned.to_string(),
        None => format!("#{}", w.map_or(0, |w| w.0)),
    };
    let mut due: Vec<DueLine> = kept
        .due(today, sh.today.soon)
        .into_iter()
        .map(|(w, d)| DueLine { worker: w, name: name_of(w), due: d })
        .collect();
    due.sort_by(|a, b| {
        (b.due.overdue, b.due.soon, b.due.open).cmp(&(a.due.overdue, a.due.soon, a.due.open)).then(a.name.cmp(&b.name))
    });
    let roster = &panels.volunteers;
    let (hours, teams) = if roster.loaded {
        let t = &roster.data.totals;
        let hours = (0..12).rev().map(|i| back(this, i)).map(|m| (m, t.community().month(m).minutes)).collect();
        let teams = t
            .teams_in_month(this)
            .into_iter()
            .map(|(id, s)| {
                let name = roster
                    .data
                    .teams
                    .iter()
                    .find(|x| x.id == id)
                    .map_or_else(|| format!("#{}", id.0), |x| x.name.clone());
                (name, s.minutes)
            })
            .collect();
        (hours, teams)
    } else {
        (Vec::new(), Vec::new())
    };
    let (first, last) = (first_of(this).unwrap_or(today), last_of(this).unwrap_or(today));
    let workers = sh
        .workers
        .iter()
        .filter(|w| w.status.is_active())
        .map(|w| {
            let leave_days = sh
                .store
                .leaves_of(w.id)
                .unwrap_or_default()
                .iter()
                .filter(|l| l.keeps_away(l.from))
                .map(|l| {
                    let (a, b) = (l.from.max(first), l.last_day().min(last));
                    if a > b { 0 } else { sh.cal.working_days_between(a, b) }
                })
                .sum();
            let training_half_days = sh
                .store
                .trainings_of(w.id)
                .unwrap_or_default()
                .iter()
                .filter(|t| t.date >= first && t.date <= last)
                .map(|t| t.half_days)
                .sum();
            let log_entries = panels.duties.month_count(w.id, this);
            WorkerMonth { name: w.name.clone(), leave_days, training_half_days, log_entries }
        })
        .collect();
    let on_duty = panels
        .duties
        .on_duty
        .filter(|(d, _)| *d == today)
        .and_then(|(_, w)| w)
        .and_then(|w| sh.worker(w))
        .map(|w| w.name.clone());
    Figures { today: Some(today), on_duty, due, months, categories, hours, teams, workers, loaded: sh.loaded }
}

/// Opens the overview over the panels.
pub fn open(sh: &Shared, panels: &Panels) -> Layer {
    Layer::Overview(Box::new(OverviewView { fig: gather(sh, panels), sel: 0 }))
}

impl OverviewView {
    /// The figures Enter can open, in the order Up and Down walk them:
    /// each worker's overdue and due-soon requests, then this month's
    /// categories.
    pub fn targets(&self) -> Vec<Target> {
        let mut out = Vec::new();
        for d in &self.fig.due {
            let mut filter = Filter { overdue: true, due_soon: true, ..Default::default() };
            match d.worker {
                Some(w) => filter.assignee = Some(w),
                None => filter.status = Some(Status::Logged),
            }
            out.push(Target { filter });
        }
        if let Some(today) = self.fig.today {
            let first = first_of(ym(today));
            for (c, _) in &self.fig.categories {
                out.push(Target {
                    filter: Filter { category: Some(c.clone()), from: first, to: Some(today), ..Default::default() },
                });
            }
        }
        out
    }

    /// Draws the overview over `area` (any size; fewer sections when small).
    pub fn render(&self, area: Rect, buf: &mut Buffer, sh: &Shared) {
        let (theme, o) = (&sh.theme, sh.lang.overview());
        if area.width < 4 || area.height < 3 {
            if !area.is_empty() {
                super::text::clear_popup(area, buf);
            }
            return;
        }
        let inner = boxed(area, buf, theme, o.title);
        if inner.width < 20 || inner.height < 4 {
            line(buf, inner.x, inner.y, inner.width, o.too_small, theme.warn);
            return;
        }
        if !self.fig.loaded {
            line(buf, inner.x + 1, inner.y, inner.width.saturating_sub(1), o.loading, theme.dim);
        }
        let body = Rect::new(
            inner.x,
            inner.y + u16::from(!self.fig.loaded),
            inner.width,
            inner.height - u16::from(!self.fig.loaded),
        );
        let (left, right) = if body.width >= 60 {
            let lw = (body.width * 11 / 24).max(30);
            (
                Rect::new(body.x, body.y, lw, body.height),
                Rect::new(body.x + lw + 2, body.y, body.width - lw - 2, body.height),
            )
        } else {
            (body, Rect::new(body.x, body.bottom(), body.width, 0))
        };
        let mut l = Stack::new(left);
        self.today(&mut l, buf, sh);
        self.workers(&mut l, buf, sh);
        let mut r = if right.height == 0 { l } else { Stack::new(right) };
        self.months(&mut r, buf, sh);
        self.categories(&mut r, buf, sh);
        self.trends(&mut r, buf, sh);
        self.hours(&mut r, buf, sh);
    }

    fn today(&self, s: &mut Stack, buf: &mut Buffer, sh: &Shared) {
        let (theme, o) = (&sh.theme, sh.lang.overview());
        let rows = self.fig.due.len().max(1) as u16;
        let Some(a) = s.take(2, 3 + rows) else { return };
        let duty = match &self.fig.on_duty {
            Some(n) => format!("{}{}{}", o.on_duty, sh.lang.t().colon, n),
            None => o.nobody_on_duty.to_string(),
        };
        let date = self.fig.today.map(|d| format!("{} {}", d.format("%Y-%m-%d"), duty)).unwrap_or(duty);
        let a = section(a, buf, sh, o.today, &date);
        if a.height == 0 {
            return;
        }
        let cols = [o.overdue, o.due_soon, o.open].map(|h| (h, text::width(h).max(4)));
        let name_w = (a.width as usize).saturating_sub(cols.iter().map(|c| c.1 + 1).sum::<usize>()).max(4);
        let mut head = text::fit(o.name, name_w);
        for (h, w) in cols {
            head.push(' ');
            head.push_str(&pad_left(h, w));
        }
        line(buf, a.x, a.y, a.width, &head, theme.column_head);
        if self.fig.due.is_empty() {
            line(buf, a.x, a.y + 1, a.width, o.nothing_open, theme.dim);
        }
        let room = a.height.saturating_sub(1) as usize;
        // keep the chosen line in view
        let skip = self.sel.min(self.fig.due.len()).saturating_sub(room.saturating_sub(1));
        for (i, d) in self.fig.due.iter().enumerate().skip(skip).take(room) {
            let y = a.y + 1 + (i - skip) as u16;
            // a mark as well as a style: `!` overdue (readable without colour)
            let mark = if d.due.overdue > 0 { "!" } else { " " };
            let mut s = text::fit(&format!("{mark}{}", d.name), name_w);
            for (v, (_, w)) in [d.due.overdue, d.due.soon, d.due.open].into_iter().zip(cols) {
                s.push(' ');
                s.push_str(&pad_left(&v.to_string(), w));
            }
            let style = if i == self.sel {
                theme.selected
            } else if d.due.overdue > 0 {
                theme.overdue
            } else {
                theme.base
            };
            line(buf, a.x, y, a.width, &s, style);
        }
    }

    fn workers(&self, s: &mut Stack, buf: &mut Buffer, sh: &Shared) {
        let (theme, o) = (&sh.theme, sh.lang.overview());
        let Some(a) = s.take(3, 2 + self.fig.workers.len().max(1) as u16) else { return };
        let a = section(a, buf, sh, o.workers_month, "");
        let cols = [o.leave_days, o.training_days, o.log_entries].map(|h| (h, text::width(h).max(4)));
        let name_w = (a.width as usize).saturating_sub(cols.iter().map(|c| c.1 + 1).sum::<usize>()).max(4);
        let mut head = text::fit(o.name, name_w);
        for (h, w) in cols {
            head.push(' ');
            head.push_str(&pad_left(h, w));
        }
        line(buf, a.x, a.y, a.width, &head, theme.column_head);
        for (i, w) in self.fig.workers.iter().take(a.height.saturating_sub(1) as usize).enumerate() {
            let training =
                format!("{}{}", w.training_half_days / 2, if w.training_half_days % 2 == 1 { ".5" } else { "" });
            let mut s = text::fit(&w.name, name_w);
            for (v, (_, cw)) in [w.leave_days.to_string(), training, w.log_entries.to_string()].into_iter().zip(cols) {
                s.push(' ');
                s.push_str(&pad_left(&v, cw));
            }
            line(buf, a.x, a.y + 1 + i as u16, a.width, &s, theme.base);
        }
    }

    fn months(&self, s: &mut Stack, buf: &mut Buffer, sh: &Shared) {
        let (theme, o) = (&sh.theme, sh.lang.overview());
        // a taller screen gives the trend more rows
        let Some(a) = s.take(6, 9.max(s.area.height.saturating_sub(20))) else { return };
        // the legend names each series by its mark, not by a colour
        let legend = format!("⠿ {}  • {}", o.this_year, o.last_year);
        let a = section(a, buf, sh, o.per_month, &legend);
        if a.height < 3 || self.fig.months.is_empty() {
            return;
        }
        let this: Vec<(f64, f64)> =
            self.fig.months.iter().enumerate().map(|(i, (_, f, _))| (i as f64, f64::from(f.logged))).collect();
        let last: Vec<(f64, f64)> =
            self.fig.months.iter().enumerate().map(|(i, (_, _, b))| (i as f64, f64::from(b.logged))).collect();
        let max = this.iter().chain(&last).map(|p| p.1).fold(1.0, f64::max);
        let label = |m: Option<&(Ym, MonthFigures, MonthFigures)>| {
            m.map_or_else(String::new, |m| format!("{}-{:02}", m.0 / 100, m.0 % 100))
        };
        let (first, lastm) = (label(self.fig.months.first()), label(self.fig.months.last()));
        let chart = Chart::new(vec![
            Dataset::default().marker(Marker::Braille).graph_type(GraphType::Line).style(theme.focus).data(&this),
            Dataset::default().marker(Marker::Dot).graph_type(GraphType::Scatter).style(theme.dim).data(&last),
        ])
        .x_axis(Axis::default().bounds([0.0, 11.0]).labels([Line::from(first), Line::from(lastm)]))
        .y_axis(Axis::default().bounds([0.0, max]).labels([Line::from("0"), Line::from(format!("{max}"))]))
        .style(theme.base);
        chart.render(a, buf);
    }

    fn categories(&self, s: &mut Stack, buf: &mut Buffer, sh: &Shared) {
        let (theme, o) = (&sh.theme, sh.lang.overview());
        let n = self.fig.categories.len().max(1) as u16;
        let Some(a) = s.take(3, 1 + n.min(6)) else { return };
        let a = section(a, buf, sh, o.by_category, "");
        if self.fig.categories.is_empty() {
            line(buf, a.x, a.y, a.width, o.none, theme.dim);
            return;
        }
        let first_cat = self.fig.due.len();
        // Chinese labels line up: padded to one display width
        let label_w = self.fig.categories.iter().map(|c| text::width(&c.0)).max().unwrap_or(0).min(12);
        let bars: Vec<Bar> = self
            .fig
            .categories
            .iter()
            .enumerate()
            .take(a.height as usize)
            .map(|(i, (c, v))| {
                let style = if first_cat + i == self.sel { theme.selected } else { theme.base };
                Bar::default()
                    .label(Line::from(text::fit(&text::truncate(c, label_w), label_w)))
                    .value(u64::from(*v))
                    .style(style)
                    .value_style(theme.title)
            })
            .collect();
        BarChart::horizontal(bars).bar_gap(0).label_style(theme.base).render(a, buf);
    }

    fn trends(&self, s: &mut Stack, buf: &mut Buffer, sh: &Shared) {
        let (theme, o) = (&sh.theme, sh.lang.overview());
        let Some(a) = s.take(3, 3) else { return };
        let a = section(a, buf, sh, &format!("{} / {}", o.satisfaction, o.on_time), "");
        let pct = |p: Option<u32>| p.map_or_else(|| "-".to_string(), |p| format!("{}.{}%", p / 10, p % 10));
        let lw = text::width(o.satisfaction).max(text::width(o.on_time)) + 7;
        let rows: [Trend; 2] = [
            (
                o.satisfaction,
                self.fig.months.iter().map(|(_, f, _)| f.satisfied_permille().map(u64::from)).collect(),
                self.fig.months.last().and_then(|m| m.1.satisfied_permille()),
            ),
            (
                o.on_time,
                self.fig.months.iter().map(|(_, f, _)| f.on_time_permille().map(u64::from)).collect(),
                self.fig.months.last().and_then(|m| m.1.on_time_permille()),
            ),
        ];
        for (i, (label, series, now)) in rows.into_iter().enumerate() {
            let y = a.y + i as u16;
            if y >= a.bottom() {
                break;
            }
            line(
                buf,
                a.x,
                y,
                lw as u16,
                &format!("{} {}", text::fit(label, lw - 7), pad_left(&pct(now), 6)),
                theme.base,
            );
            let w = a.width.saturating_sub(lw as u16 + 1).min(24);
            let sp = Rect::new(a.x + lw as u16 + 1, y, w, 1);
            // the absent months say so with a mark of their own
            Sparkline::default().data(series).max(1000).absent_value_symbol("·").style(theme.focus).render(sp, buf);
        }
    }

    fn hours(&self, s: &mut Stack, buf: &mut Buffer, sh: &Shared) {
        let (theme, o) = (&sh.theme, sh.lang.overview());
        let Some(a) = s.take(4, 8) else { return };
        let now = self.fig.hours.last().map_or(0, |h| h.1);
        let head = format!("{} {}", crate::domain::volunteer::hours(now), o.hours_unit);
        let a = section(a, buf, sh, o.hours, &head);
        if self.fig.hours.is_empty() {
            line(buf, a.x, a.y, a.width, sh.lang.t().loading, theme.dim);
            return;
        }
        let teams_w = if a.width >= 44 { a.width - 37 } else { 0 };
        let chart = Rect::new(a.x, a.y, a.width - teams_w, a.height);
        let bars: Vec<Bar> = self
            .fig
            .hours
            .iter()
            .map(|(m, min)| Bar::default().value(min / 60).label(Line::from(format!("{}", m % 100))).text_value(""))
            .collect();
        BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(2)
            .bar_gap(1)
            .bar_style(theme.focus)
            .label_style(theme.dim)
            .render(chart, buf);
        if teams_w > 0 {
            let x = chart.right() + 1;
            line(buf, x, a.y, teams_w - 1, o.top_teams, theme.column_head);
            for (i, (name, min)) in self.fig.teams.iter().take(a.height.saturating_sub(1) as usize).enumerate() {
                let h = crate::domain::volunteer::hours(*min);
                let nw = (teams_w as usize).saturating_sub(h.len() + 2);
                line(
                    buf,
                    x,
                    a.y + 1 + i as u16,
                    teams_w - 1,
                    &format!("{} {h}", text::fit(&text::truncate(name, nw), nw)),
                    theme.base,
                );
            }
        }
    }
}

/// `s` right-aligned in `cols` columns (cut to fit).
fn pad_left(s: &str, cols: usize) -> String {
    let t = text::truncate(s, cols);
    let mut out = " ".repeat(cols.saturating_sub(text::width(&t)));
    out.push_str(&t);
    out
}

/// A trend's label, its months (per mille, `None` where nothing to count)
/// and the latest month's figure.
type Trend<'a> = (&'a str, Vec<Option<u64>>, Option<u32>);

/// A column of sections, filled top down: a section that does not fit is
/// left out (the screen shows fewer sections when small).
struct Stack {
    area: Rect,
}

impl Stack {
    fn new(area: Rect) -> Stack {
        Stack { area }
    }

    /// At least `min` rows, at most `want`; `None` when not even `min` are left.
    fn take(&mut self, min: u16, want: u16) -> Option<Rect> {
        if self.area.height < min || self.area.width < 10 {
            return None;
        }
        let h = want.min(self.area.height);
        let r = Rect::new(self.area.x, self.area.y, self.area.width, h);
        self.area = Rect::new(self.area.x, self.area.y + h, self.area.width, self.area.height - h);
        Some(r)
    }
}

/// A section's title line (with a note on its right); the area below it.
fn section(a: Rect, buf: &mut Buffer, sh: &Shared, title: &str, note: &str) -> Rect {
    let block = Block::new().borders(Borders::TOP).border_style(sh.theme.border);
    let inner = block.inner(a);
    block.render(a, buf);
    let t = format!(" {title} ");
    let tw = text::width(&t) as u16;
    line(buf, a.x + 1, a.y, a.width.saturating_sub(1), &t, sh.theme.title);
    if !note.is_empty() && a.width > tw + 4 {
        line(buf, a.x + tw + 2, a.y, a.width - tw - 3, note, sh.theme.dim);
    }
    inner
}

/// A key on the overview.
pub fn handle_key(
    mut v: Box<OverviewView>,
    key: &KeyEvent,
    sh: &mut Shared,
    panels: &mut Panels,
    stack: &mut Vec<Layer>,
) {
    let n = v.targets().len();
    match keymap::resolve(&[Scope::Overview], key) {
        Some(Action::Close) => {}
        Some(Action::Scroll) => {
            if n > 0 {
                v.sel = match key.code {
                    KeyCode::Up | KeyCode::Char('k') => v.sel.checked_sub(1).unwrap_or(n - 1),
                    _ => (v.sel + 1) % n,
                };
            }
            stack.push(Layer::Overview(v));
        }
        Some(Action::OverviewFirst) => {
            let on = !sh.store.overview_first().unwrap_or(false);
            match sh.store.set_overview_first(on) {
                Ok(()) => {
                    let o = sh.lang.overview();
                    let state = if on { sh.lang.t().a_yes } else { sh.lang.t().a_no };
                    sh.message = Some((format!("{}{}{}", o.first_setting, sh.lang.t().colon, state), false));
                }
                Err(e) => sh.error(&e),
            }
            stack.push(Layer::Overview(v));
        }
        Some(Action::Open) => match v.targets().into_iter().nth(v.sel) {
            Some(t) => open_target(t, sh, panels),
            None => stack.push(Layer::Overview(v)),
        },
        _ => stack.push(Layer::Overview(v)),
    }
}

/// The requests list with the target's filter.
pub fn open_target(t: Target, sh: &mut Shared, panels: &mut Panels) {
    panels.show(PanelId::Requests, sh);
    let p = &mut panels.requests;
    p.search.clear();
    p.searching = false;
    p.full = None;
    p.filter = t.filter;
    if p.filter.overdue {
        p.sort = Sort::Due;
    }
    p.refresh(sh);
}
