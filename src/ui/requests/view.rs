//! Drawing the requests panel: a search line, the list (only the visible
//! rows are drawn), and the selected request's details and timeline.

use super::RequestsPanel;
use crate::domain::request::{Deadline, NoteKind, Request, Status, deadline};
use crate::domain::text::{display_safe, fit, truncate, width};
use crate::i18n::Lang;
use crate::i18n::{self, fill};
use crate::store::rows::Sort;
use crate::ui::shared::Shared as Ctx;
use crate::ui::text::{line, wrap};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders, Widget};

impl RequestsPanel {
    pub(super) fn describe_filter(&self, ctx: &Ctx) -> String {
        let range = ctx.lang.t().range;
        let t = ctx.lang.t();
        let f = &self.filter;
        let mut parts: Vec<String> = Vec::new();
        if let Some(s) = f.status {
            parts.push(i18n::status(ctx.lang, s).into());
        }
        if let Some(c) = &f.category {
            parts.push(c.clone());
        }
        if let Some(c) = f.channel {
            parts.push(i18n::channel(ctx.lang, c).into());
        }
        if f.assignee.is_some() {
            parts.push(ctx.worker_name(f.assignee).into());
        }
        if f.mine.is_some() {
            parts.push(t.q_mine.into());
        }
        match (f.overdue, f.due_soon) {
            (true, true) => parts.push(t.q_attention.into()),
            (true, false) => parts.push(t.q_overdue.into()),
            (false, true) => parts.push(t.q_due_soon.into()),
            _ => {}
        }
        if f.callback {
            parts.push(t.q_callback.into());
        }
        if f.from.is_some() || f.to.is_some() {
            let d = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            parts.push(format!("{}{range}{}", d(f.from), d(f.to)));
        }
        if parts.is_empty() { t.all.to_string() } else { parts.join(ctx.lang.volunteers().list_sep) }
    }

    /// Draws the panel; returns the cursor position while searching.
    pub(super) fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) -> Option<Position> {
        let colon = ctx.lang.t().colon;
        if let Some(scroll) = self.full {
            self.render_full(area, buf, ctx, scroll);
            return None;
        }
        let t = ctx.lang.t();
        let th = ctx.theme;
        // search and filter line
        let sort = match self.sort {
            Sort::Newest => t.sort_newest,
            Sort::Due => t.sort_due,
            Sort::OldestOpen => t.sort_oldest,
        };
        let right = format!(
            " {}{colon}{} {}{colon}{} {}{}",
            t.filter,
            self.describe_filter(ctx),
            t.sort,
            sort,
            fill(t.shown_of, self.hits.len()),
            if ctx.loaded { "" } else { " …" }
        );
        let right = truncate(&right, (area.width as usize).saturating_sub(20));
        let rw = width(&right) as u16;
        let label = format!("{}{colon}", t.search);
        let lw = width(&label) as u16;
        line(buf, area.x, area.y, lw, &label, if self.searching { th.focus } else { th.base });
        // two columns apart: a cut hint never runs into the count
        let input_area = Rect::new(area.x + lw, area.y, area.width.saturating_sub(lw + rw + 2), 1);
        let mut cursor = None;
        if self.search.is_empty() && !self.searching {
            line(buf, input_area.x, area.y, input_area.width, t.search_hint, th.dim);
        } else {
            let p = self.search.render(input_area, buf, th.input);
            if self.searching {
                cursor = Some(p);
            }
        }
        line(buf, area.right().saturating_sub(rw), area.y, rw, &right, th.dim);

        let body = Rect::new(area.x, area.y + 1, area.width, area.height.saturating_sub(1));
        let (list_area, detail_area) = if body.width >= 140 {
            let lw = body.width * 3 / 5;
            (Rect::new(body.x, body.y, lw, body.height), Rect::new(body.x + lw, body.y, body.width - lw, body.height))
        } else {
            let lh = (body.height / 2).max(3);
            (Rect::new(body.x, body.y, body.width, lh), Rect::new(body.x, body.y + lh, body.width, body.height - lh))
        };
        self.render_list(list_area, buf, ctx);
        self.render_detail(detail_area, buf, ctx);
        cursor
    }

    fn columns(width: u16, lang: Lang) -> [usize; 8] {
        // id, date, resident, category, title, assignee, status, due. Names
        // get four Chinese characters at any width (欧阳小明 and 欧阳小红
        // must differ); below 100 columns the logged date goes first (the
        // number carries the year, the details the day), the status is as
        // wide as the language's longest (已分派; Escalated), and the due
        // mark has room to say what it counts (!!逾期283个工作日)
        let longest = Status::ALL.iter().map(|s| crate::domain::text::width(i18n::status(lang, *s))).max();
        let (date, status) = if width >= 100 { (10, 10) } else { (0, longest.unwrap_or(6).clamp(6, 10)) };
        let fixed = 11 + date + 8 + 8 + 8 + status + 17 + if date > 0 { 7 } else { 6 };
        let title = (width as usize).saturating_sub(fixed).max(6);
        [11, date, 8, 8, title, 8, status, 17]
    }

    fn render_list(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let t = ctx.lang.t();
        let th = ctx.theme;
        let cols = Self::columns(area.width, ctx.lang);
        let head = [
            t.col_id,
            t.col_date,
            t.col_resident,
            t.col_category,
            t.col_title,
            t.col_assignee,
            t.col_status,
            t.col_due,
        ];
        let head: Vec<String> = head.iter().zip(cols).filter(|(_, w)| *w > 0).map(|(h, w)| fit(h, w)).collect();
        line(buf, area.x, area.y, area.width, &head.join(" "), th.column_head);
        let height = area.height.saturating_sub(1) as usize;
        self.list_height = height;
        if self.hits.is_empty() {
            line(buf, area.x + 2, area.y + 1, area.width - 2, if ctx.loaded { t.no_rows } else { t.loading }, th.dim);
            return;
        }
        let from = self.list.visible_from(height, self.hits.len());
        for (n, &i) in self.hits.range(from.min(self.hits.len())..).take(height).enumerate() {
            let Some(row) = ctx.index.row(i) else { continue };
            let y = area.y + 1 + n as u16;
            let dl = deadline(row.status, row.due, ctx.today.date, &ctx.cal);
            let resident = row.resident.and_then(|r| ctx.index.resident(r)).map_or(t.anonymous, |k| k.name);
            let cells = [
                row.id.to_string(),
                i18n::day(row.logged, ctx.today.date),
                resident.to_string(),
                ctx.index.category_name(row.category).to_string(),
                display_safe(&ctx.index.title_of(row)),
                ctx.worker_name(row.assignee).to_string(),
                i18n::status(ctx.lang, row.status).to_string(),
                i18n::deadline_marked(ctx.lang, dl, row.due, ctx.today.date, ctx.cal.is_estimate(row.due)),
            ];
            let text: Vec<String> =
                cells.iter().zip(cols).filter(|(_, w)| *w > 0).map(|(c, w)| fit(&display_safe(c), w)).collect();
            let selected = from + n == self.list.sel;
            let style = match (selected, dl) {
                (true, _) => th.selected,
                (false, Deadline::Overdue(_)) => th.overdue,
                (false, Deadline::DueSoon(_)) => th.due_soon,
                (false, Deadline::Done) => th.done,
                _ => th.base,
            };
            buf.set_style(Rect::new(area.x, y, area.width, 1), style);
            line(buf, area.x, y, area.width, &text.join(" "), style);
        }
    }

    fn detail_lines(&self, ctx: &Ctx, r: &Request, width: usize, full: bool) -> Vec<(String, Style)> {
        let (po, pc) = (ctx.lang.t().paren_open, ctx.lang.t().paren_close);
        let colon = ctx.lang.t().colon;
        let t = ctx.lang.t();
        let p = ctx.lang.practice();
        let th = ctx.theme;
        let mut out: Vec<(String, Style)> = Vec::new();
        let dl = r.deadline(ctx.today.date, &ctx.cal);
        let resident = r
            .resident
            .and_then(|id| ctx.index.resident(id))
            .map(|k| {
                let phone = crate::domain::mask::phone(k.phone);
                let parts = [k.name, phone.as_str(), k.address].map(str::to_string);
                parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
            })
            .unwrap_or_else(|| t.anonymous.to_string());
        out.push((format!("{}  {}  [{}]", r.id, display_safe(&r.title), i18n::status(ctx.lang, r.status)), th.title));
        out.push((
            format!(
                "{}{colon}{}  {}{colon}{}  {}{colon}{}  {}{colon}{} {}",
                t.f_channel,
                i18n::channel(ctx.lang, r.channel),
                t.col_category,
                r.category,
                t.f_urgency,
                i18n::urgency(ctx.lang, r.urgency),
                t.col_due,
                r.due,
                match dl {
                    Deadline::Overdue(_) | Deadline::DueSoon(_) => {
                        i18n::deadline_long(ctx.lang, dl, r.due, ctx.today.date)
                    }
                    _ if ctx.cal.is_estimate(r.due) => p.estimate.to_string(),
                    _ => String::new(),
                }
            ),
            match dl {
                Deadline::Overdue(_) => th.overdue,
                Deadline::DueSoon(_) => th.due_soon,
                _ => th.base,
            },
        ));
        out.push((
            format!(
                "{}{colon}{}  {}{colon}{}",
                t.col_resident,
                resident,
                t.col_assignee,
                if r.assignee.is_some() { ctx.worker_name(r.assignee) } else { t.unassigned }
            ),
            th.base,
        ));
        if !r.work_order.is_empty() || r.hotline_due.is_some() {
            let label = crate::i18n::fields::label(ctx.lang, crate::store::record::RecordKind::Request, "work_order");
            let mut l = format!("{label}{colon}{}", display_safe(&r.work_order));
            let mut style = th.base;
            // the hotline's own deadline beside its number, judged as ours
            if let Some(h) = r.hotline_due {
                let hd = deadline(r.status, h, ctx.today.date, &ctx.cal);
                l = format!("{l}  {}", fill(p.hotline_due, h));
                if let Deadline::Overdue(_) | Deadline::DueSoon(_) = hd {
                    l = format!("{l} {}", i18n::deadline_long(ctx.lang, hd, h, ctx.today.date));
                    style = if matches!(hd, Deadline::Overdue(_)) { th.overdue } else { th.due_soon };
                }
            }
            out.push((l, style));
        }
        // the 12345 loop's state: a pending extension, a card, a merge
        let mut state: Vec<String> = Vec::new();
        if let Some(c) = r.card {
            state.push(i18n::card(ctx.lang, c).to_string());
        }
        if let Some(d) = r.asked_due {
            state.push(fill(p.asked_pending, d));
        }
        if let Some(into) = r.merged_into {
            state.push(fill(p.merged_into, into));
        }
        let repeats: Vec<String> = r.merged_repeats().iter().map(|x| x.to_string()).collect();
        if !repeats.is_empty() {
            state.push(fill(p.merged_repeats, repeats.join("、")));
        }
        if !state.is_empty() {
            out.push((state.join("  "), if r.card.is_some() { th.overdue } else { th.warn }));
        }
        if !r.location.is_empty() {
            out.push((format!("{}{colon}{}", t.f_location, display_safe(&r.location)), th.base));
        }
        if let Some(s) = r.satisfaction {
            out.push((format!("{}{colon}{}", t.f_satisfaction, i18n::satisfaction(ctx.lang, s)), th.base));
        }
        if !r.description.is_empty() {
            let desc = format!("{}{colon}{}", t.f_description, r.description);
            let lines = wrap(&desc, width);
            let n = if full { lines.len() } else { 2 };
            out.extend(lines.into_iter().take(n).map(|l| (l, th.base)));
        }
        out.push((format!("— {}{po}{}{pc} —", t.f_timeline, r.notes.len()), th.column_head));
        let notes: Box<dyn Iterator<Item = &crate::domain::Note>> =
            if full { Box::new(r.notes.iter()) } else { Box::new(r.notes.iter().rev()) };
        for n in notes {
            let mut what = i18n::note_step(ctx.lang, n, r.merged_into);
            // (a 退单's note keeps who had it, not whom it went to)
            if let NoteKind::Moved { kind, .. } = n.kind {
                if let Some(a) = n.assignee.filter(|_| kind != crate::domain::MoveKind::Return) {
                    what = format!("{what} → {}", ctx.worker_name(Some(a)));
                }
                if let Some(sat) = n.satisfaction {
                    what = format!("{what}{colon}{}", i18n::satisfaction(ctx.lang, sat));
                }
            }
            let by = if n.by == crate::domain::request::PROGRAM { p.program } else { ctx.worker_name(Some(n.by)) };
            let text = if n.text.is_empty() { String::new() } else { format!(" {}", n.text) };
            let entry = format!("{} {} [{}]{}", n.at.format("%Y-%m-%d %H:%M"), by, what, text);
            for l in wrap(&entry, width) {
                out.push((l, th.base));
            }
        }
        out
    }

    fn render_detail(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let block = Block::new().borders(Borders::TOP).border_style(ctx.theme.border);
        let inner = block.inner(area);
        block.render(area, buf);
        let Some(r) = &self.detail else { return };
        for (i, (l, style)) in self.detail_lines(ctx, r, inner.width as usize, false).iter().enumerate() {
            if i as u16 >= inner.height {
                break;
            }
            line(buf, inner.x, inner.y + i as u16, inner.width, l, *style);
        }
    }

    fn render_full(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx, scroll: u16) {
        let Some(r) = &self.detail else { return };
        let lines = self.detail_lines(ctx, r, area.width as usize, true);
        for (i, (l, style)) in lines.iter().skip(scroll as usize).enumerate() {
            if i as u16 >= area.height {
                break;
            }
            line(buf, area.x, area.y + i as u16, area.width, l, *style);
        }
    }
}
