//! The rota view (值班表): the month as a calendar, Monday first, two lines
//! per day (the date with 休/班 or the holiday's name, and who is on duty),
//! the selected day's details and each worker's shifts this month below.
//! Conflicts are marked `!` so they show without colour.

use super::{DutiesPanel, day_label};
use crate::domain::duties::month_bounds;
use crate::domain::duties::rota::{Conflict, counts};
use crate::domain::text::{fit, width};
use crate::i18n::fill;
use crate::ui::panels::Ctx;
use crate::ui::widgets::form::line;
use chrono::{Datelike, Days, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub fn render(p: &mut DutiesPanel, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let d = ctx.lang.duties();
    let th = ctx.theme;
    let (y, m) = p.month;
    let Some((first, last)) = month_bounds(y, m) else { return };
    let in_month = |c: &&Conflict| c.date() >= first && c.date() <= last;
    let n_conflicts = p.conflicts.iter().filter(in_month).count();
    let title = format!(
        "{}  {}  {}",
        crate::i18n::duties::month_title(ctx.lang, y, m),
        fill(d.duty_days_n, p.needed.len()),
        if n_conflicts > 0 { format!("!{}", fill(d.conflicts_n, n_conflicts)) } else { String::new() }
    );
    line(buf, area.x, area.y, area.width, &title, if n_conflicts > 0 { th.warn } else { th.title });
    let note = if p.settings.rota_includes_off_days {
        format!("{}  {}", d.rota_all_days, d.rota_hint)
    } else {
        d.rota_hint.into()
    };
    let w = width(&note) as u16;
    if width(&title) as u16 + w + 2 < area.width {
        line(buf, area.right() - w, area.y, w, &note, th.dim);
    }
    // the weekday heads
    let cw = (area.width / 7).max(6);
    for i in 0..7u16 {
        let name = crate::i18n::duties::weekday_short(ctx.lang, i as usize);
        line(buf, area.x + i * cw, area.y + 1, cw, &format!(" {name}"), th.column_head);
    }
    // the grid
    let offset = first.weekday().num_days_from_monday();
    let weeks = (offset + last.day()).div_ceil(7);
    let grid_top = area.y + 2;
    let avail_weeks = area.height.saturating_sub(3) / 2;
    let weeks = weeks.min(u32::from(avail_weeks));
    for day in first.iter_days().take_while(|x| *x <= last) {
        let idx = offset + day.day0();
        let (row, col) = (idx / 7, idx % 7);
        if row >= weeks {
            break;
        }
        let x = area.x + col as u16 * cw;
        let yy = grid_top + row as u16 * 2;
        let slot = p.slots.iter().find(|s| s.date == day);
        let working = ctx.cal.is_working_day(day);
        let mark = match (ctx.cal.holiday_name(day), working, day.weekday().num_days_from_monday() >= 5) {
            (Some(name), false, _) => name.chars().take(2).collect::<String>(),
            (_, true, true) => d.makeup_day.to_string(),
            (_, false, _) => d.off_day.to_string(),
            _ => String::new(),
        };
        let today = day == ctx.today.date;
        let head = format!("{:>2}{}{}", day.day(), if today { "*" } else { " " }, mark);
        let conflict = p.conflicts.iter().any(|c| c.date() == day);
        let who = match slot.and_then(|s| s.worker) {
            Some(w) => ctx.worker_name(Some(w)).to_string(),
            None if !p.slots.is_empty() && p.needed.contains(&day) => d.vacant.to_string(),
            None => String::new(),
        };
        let who = if conflict { format!("!{who}") } else { format!(" {who}") };
        let selected = day == p.cursor;
        let marked = p.swap_from == Some(day);
        let style = if selected {
            th.selected
        } else if conflict {
            th.overdue
        } else if marked || today {
            th.focus
        } else if !working {
            th.dim
        } else {
            th.base
        };
        if selected {
            buf.set_style(Rect::new(x, yy, cw.saturating_sub(1), 2), style);
        }
        line(buf, x, yy, cw.saturating_sub(1), &head, style);
        let who = if marked { format!("{}⇄", fit(&who, cw.saturating_sub(2) as usize).trim_end()) } else { who };
        line(buf, x, yy + 1, cw.saturating_sub(1), &who, style);
    }
    // the selected day
    let mut y0 = grid_top + weeks as u16 * 2;
    let mut info: Vec<(String, ratatui::style::Style)> = Vec::new();
    let cur = p.cursor;
    let who = p.slots.iter().find(|s| s.date == cur).and_then(|s| s.worker);
    let mut day_line =
        format!("{}  {}:{}", day_label(ctx.lang, cur), d.on_duty, who.map_or("-", |w| ctx.worker_name(Some(w))));
    if let Some(name) = ctx.cal.holiday_name(cur) {
        day_line.push_str(&format!("  ({name})"));
    }
    info.push((day_line, th.title));
    if p.slots.is_empty() {
        info.push((d.rota_unplanned.to_string(), th.focus));
    }
    for c in p.conflicts.iter().filter(|c| c.date() == cur) {
        let msg = match c {
            Conflict::OnLeave { worker, .. } => fill(d.conflict_leave, ctx.worker_name(Some(*worker))),
            Conflict::Vacant { .. } => d.conflict_vacant.to_string(),
            Conflict::NotServing { worker, .. } => fill(d.conflict_not_serving, ctx.worker_name(Some(*worker))),
        };
        info.push((format!("! {msg}"), th.overdue));
    }
    if let Some(from) = p.swap_from {
        info.push((fill(d.swap_pending, day_label(ctx.lang, from)), th.focus));
    }
    // shifts per worker this month
    let c = counts(&p.slots);
    let mut per: Vec<(String, u32)> =
        ctx.workers.iter().filter_map(|w| c.get(&w.id).map(|n| (w.name.clone(), *n))).collect();
    per.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if !per.is_empty() {
        let list: Vec<String> = per.iter().map(|(n, k)| format!("{n}{k}")).collect();
        info.push((format!("{}:{}", d.shifts_this_month, list.join(" ")), th.dim));
    }
    for (text, style) in info {
        if y0 >= area.bottom() {
            break;
        }
        line(buf, area.x, y0, area.width, &text, style);
        y0 += 1;
    }
}

/// The day `delta` days from `d`, kept inside its month's neighbours.
pub fn move_day(d: NaiveDate, delta: i64) -> NaiveDate {
    if delta >= 0 {
        d.checked_add_days(Days::new(delta as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new(delta.unsigned_abs())).unwrap_or(d)
    }
}
