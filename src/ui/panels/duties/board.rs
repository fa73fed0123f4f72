//! The board view: one worker's day at a glance. The lines are built once
//! per frame from the prepared [`Board`]; only the rows on screen are drawn.

use super::{DutiesCtx, DutiesPanel, cells, day_label};
use crate::domain::duties::board::{Board, TodoRef};
use crate::domain::duties::half_days_text;
use crate::domain::request::Deadline;
use crate::domain::text::width;
use crate::domain::{ResidentId, mask};
use crate::i18n::{self, fill};
use crate::ui::panels::Ctx;
use crate::ui::widgets::form::line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

/// A line of the board that can be selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardRow {
    /// A standing duty (index into `board.duties`).
    Duty(usize),
    /// A resident of an expanded duty not yet visited.
    Resident(usize, ResidentId),
    /// A task or request (index into `board.todos`).
    Todo(usize),
}

/// The selectable rows, in screen order.
pub fn rows(p: &DutiesPanel) -> Vec<BoardRow> {
    let Some(b) = &p.board else { return Vec::new() };
    let mut out = Vec::new();
    for (i, d) in b.duties.iter().enumerate() {
        out.push(BoardRow::Duty(i));
        if p.expanded == Some(d.duty.id) {
            out.extend(d.not_visited().into_iter().map(|(r, _)| BoardRow::Resident(i, r)));
        }
    }
    out.extend((0..b.todos.len()).map(BoardRow::Todo));
    out
}

fn lines(p: &DutiesPanel, b: &Board, ctx: &Ctx, dx: &DutiesCtx, w: usize) -> Vec<(String, Style, Option<BoardRow>)> {
    let d = ctx.lang.duties();
    let th = ctx.theme;
    let mut out: Vec<(String, Style, Option<BoardRow>)> = Vec::new();
    // who and what they are responsible for
    let wk = &b.worker;
    let mut who = vec![wk.name.clone(), wk.post.clone()];
    if !wk.grade.is_empty() {
        who.push(wk.grade.clone());
    }
    if !wk.grid.is_empty() {
        who.push(wk.grid.clone());
    }
    if !wk.areas.is_empty() {
        who.push(format!("{}:{}", d.areas, wk.areas.join("、")));
    }
    if !wk.phone.is_empty() {
        who.push(mask::phone(&wk.phone));
    }
    out.push((who.join(" · "), th.title, None));
    // today: shift, leave, log, training
    let mut today: Vec<(String, Style)> = Vec::new();
    if b.on_duty_today {
        today.push((d.on_duty_today.to_string(), th.focus));
    }
    if let Some(n) = b.next_shift {
        today.push((fill(d.next_shift, day_label(ctx.lang, n)), th.base));
    }
    if !b.clashes.is_empty() {
        let days: Vec<String> = b.clashes.iter().map(|x| x.format("%m-%d").to_string()).collect();
        today.push((format!("! {}", fill(d.shift_clash, days.join(","))), th.warn));
    }
    if let Some(l) = &b.away {
        today.push((
            format!(
                "{}:{} {}~{}",
                d.on_leave,
                i18n::duties::leave_kind(ctx.lang, l.kind),
                l.from.format("%m-%d"),
                l.last_day().format("%m-%d")
            ),
            th.warn,
        ));
    }
    for l in b.coming_leave.iter().take(2) {
        today.push((
            format!(
                "{} {} {}~{}",
                i18n::duties::leave_status(ctx.lang, l.status),
                i18n::duties::leave_kind(ctx.lang, l.kind),
                l.from.format("%m-%d"),
                l.to.format("%m-%d")
            ),
            th.base,
        ));
    }
    today.push((fill(d.log_this_month, b.log_this_month), th.base));
    let tr = &b.training;
    let behind = if tr.behind_training() { "! " } else { "" };
    let training = format!(
        "{behind}{} {}/{}{}",
        d.training_short,
        half_days_text(tr.half_days),
        half_days_text(tr.required_half_days),
        d.days
    );
    today.push((training, if tr.behind_training() { th.warn } else { th.base }));
    if tr.behind_study() {
        let months: Vec<String> = tr.missing_months.iter().map(|m| m.to_string()).collect();
        today.push((format!("! {}", fill(d.study_missing, months.join(","))), th.warn));
    }
    // as many lines as it takes: nothing here may be cut off
    let mut cur: Vec<&(String, Style)> = Vec::new();
    let flush = |cur: &mut Vec<&(String, Style)>, out: &mut Vec<(String, Style, Option<BoardRow>)>| {
        if cur.is_empty() {
            return;
        }
        let worst = if cur.iter().any(|(_, s)| *s == th.warn) { th.warn } else { th.base };
        out.push((cur.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>().join(" · "), worst, None));
        cur.clear();
    };
    for part in &today {
        let used: usize = cur.iter().map(|(s, _)| width(s) + 3).sum();
        if !cur.is_empty() && used + width(&part.0) > w {
            flush(&mut cur, &mut out);
        }
        cur.push(part);
    }
    flush(&mut cur, &mut out);
    // standing duties
    out.push((format!("── {} ({}) ", d.standing, b.duties.len()), th.column_head, None));
    if b.duties.is_empty() {
        out.push((format!("  {}", d.no_duties), th.dim, None));
    }
    let title_w = (w / 3).clamp(16, 34);
    for (i, dl) in b.duties.iter().enumerate() {
        let period = i18n::duties::period(ctx.lang, dl.duty.period);
        let (status, style) = match &dl.visits {
            None => (period.to_string(), th.base),
            Some((s, _)) if s.residents.is_empty() => (format!("{period} {}", d.nobody_covered), th.dim),
            Some((s, _)) => {
                let head = format!(
                    "{} {}/{}",
                    i18n::duties::this_period(ctx.lang, dl.duty.period),
                    s.visited(),
                    s.residents.len()
                );
                if s.done() {
                    (format!("{head} {}", d.all_visited), th.ok)
                } else {
                    let names: Vec<&str> = dl.not_visited().iter().map(|(_, n)| *n).collect::<Vec<_>>();
                    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
                    (format!("{head} {}:{}", fill(d.not_visited_n, names.len()), names.join("、")), th.warn)
                }
            }
        };
        let mark = if p.expanded == Some(dl.duty.id) {
            "▾"
        } else if dl.visits.is_some() {
            "▸"
        } else {
            " "
        };
        out.push((
            format!("{mark}{} {status}", crate::domain::text::fit(&dl.duty.title, title_w)),
            style,
            Some(BoardRow::Duty(i)),
        ));
        if p.expanded == Some(dl.duty.id) {
            for (r, name) in dl.not_visited() {
                let addr = dx.resident(r).map(|x| x.address.to_string()).unwrap_or_default();
                let phone = dx.resident(r).map(|x| mask::phone(&x.phone)).unwrap_or_default();
                out.push((
                    format!("    · {}  {addr}  {phone}", crate::domain::text::fit(name, 8)),
                    th.base,
                    Some(BoardRow::Resident(i, r)),
                ));
            }
        }
    }
    // what is due
    let overdue = b.overdue();
    let head = if overdue > 0 {
        format!("── {} ({}, {}) ", d.todo, b.todos.len(), fill(d.overdue_n, overdue))
    } else {
        format!("── {} ({}) ", d.todo, b.todos.len())
    };
    out.push((head, th.column_head, None));
    if !b.requests_complete {
        out.push((format!("  {}", ctx.lang.t().loading), th.dim, None));
    } else if b.todos.is_empty() {
        out.push((format!("  {}", d.nothing_due), th.dim, None));
    }
    for (i, t) in b.todos.iter().enumerate() {
        let (kind, id) = match t.what {
            TodoRef::Request(id) => (d.kind_request, id.to_string()),
            TodoRef::Task(_) => (d.kind_task, String::new()),
            TodoRef::Leave(_) => (d.kind_leave, String::new()),
        };
        let due = i18n::deadline(ctx.lang, t.deadline, t.due);
        let text = cells(&[(&due, 12), (kind, 4), (&id, if id.is_empty() { 0 } else { 11 })]);
        let text = format!(" {text} {}", t.title);
        let style = match t.deadline {
            Deadline::Overdue(_) => th.overdue,
            Deadline::DueSoon(_) => th.due_soon,
            _ => th.base,
        };
        out.push((text, style, Some(BoardRow::Todo(i))));
    }
    out
}

pub fn render(p: &mut DutiesPanel, area: Rect, buf: &mut Buffer, ctx: &Ctx, dx: &DutiesCtx) {
    let d = ctx.lang.duties();
    let th = ctx.theme;
    let Some(b) = p.board.as_ref() else {
        let msg = if dx.operator.is_none() { ctx.lang.t().no_operator } else { ctx.lang.t().loading };
        line(buf, area.x + 1, area.y + 1, area.width.saturating_sub(1), msg, th.dim);
        return;
    };
    let all = lines(p, b, ctx, dx, area.width as usize);
    let selectable: Vec<usize> = all.iter().enumerate().filter(|(_, l)| l.2.is_some()).map(|(i, _)| i).collect();
    p.board_list.sel = p.board_list.sel.min(selectable.len().saturating_sub(1));
    let height = area.height as usize;
    p.list_height = height.saturating_sub(4).max(1);
    // keep the selected line on screen; the two head lines stay when they can
    let sel_line = selectable.get(p.board_list.sel).copied().unwrap_or(0);
    let first = if sel_line < height { 0 } else { sel_line + 1 - height };
    for (n, (text, style, row)) in all.iter().skip(first).take(height).enumerate() {
        let y = area.y + n as u16;
        let selected = row.is_some() && Some(first + n) == selectable.get(p.board_list.sel).copied();
        let style = if selected { th.selected } else { *style };
        if selected {
            buf.set_style(Rect::new(area.x, y, area.width, 1), style);
        }
        line(buf, area.x, y, area.width, text, style);
    }
    // the worker chooser hint, top right, when it fits
    let hint = format!("w {}", d.a_choose_worker);
    let hw = width(&hint) as u16;
    let head_w = width(&all[0].0) as u16;
    if head_w + hw + 2 < area.width && first == 0 {
        line(buf, area.right() - hw, area.y, hw, &hint, th.dim);
    }
}
