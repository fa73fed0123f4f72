//! The office's records per worker: leave (请销假), training and study
//! (培训学习) against the requirement, and the yearly evaluation (考评).

use super::{DutiesPanel, cells};
use crate::domain::duties::leave::{LeaveStatus, year_totals};
use crate::domain::duties::training::{TrainingKind, progress};
use crate::domain::duties::{half_days_text, tenths_text};
use crate::domain::text::width;
use crate::i18n::fill;
use crate::ui::panels::Ctx;
use crate::ui::widgets::form::line;
use chrono::Datelike;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders, Widget};

/// Draws `lines` into the area under a top border.
fn detail(area: Rect, buf: &mut Buffer, ctx: &Ctx, lines: &[(String, Style)]) {
    let block = Block::new().borders(Borders::TOP).border_style(ctx.theme.border);
    let inner = block.inner(area);
    block.render(area, buf);
    for (i, (l, s)) in lines.iter().enumerate() {
        if i as u16 >= inner.height {
            break;
        }
        line(buf, inner.x, inner.y + i as u16, inner.width, l, *s);
    }
}

/// Splits the view into title, list and detail; returns (list, detail).
fn split(area: Rect, detail_h: u16) -> (Rect, Rect) {
    let dh = detail_h.min(area.height.saturating_sub(4));
    let list = Rect::new(area.x, area.y + 1, area.width, area.height.saturating_sub(1 + dh));
    let det = Rect::new(area.x, area.bottom().saturating_sub(dh), area.width, dh);
    (list, det)
}

pub fn render_leave(p: &mut DutiesPanel, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let t = ctx.lang.t();
    let d = ctx.lang.duties();
    let th = ctx.theme;
    let pending = p.leaves.iter().filter(|l| l.status == LeaveStatus::Requested).count();
    let mut title = format!("{} · {}", d.leave_title, crate::i18n::duties::year_title(ctx.lang, p.year));
    if pending > 0 {
        title.push_str(&format!(" · {}", fill(d.pending_n, pending)));
    }
    line(buf, area.x, area.y, area.width, &title, th.title);
    let hint = d.leave_hint;
    let hw = width(hint) as u16;
    if width(&title) as u16 + hw + 2 < area.width {
        line(buf, area.right() - hw, area.y, hw, hint, th.dim);
    }
    let (list, det) = split(area, 6);
    let note_w = (list.width as usize).saturating_sub(8 + 6 + 11 + 5 + 6 + 5).max(4);
    let head = cells(&[
        (t.f_name, 8),
        (d.f_kind, 6),
        (d.f_span, 11),
        (d.working_days, 5),
        (t.col_status, 6),
        (d.f_decision, note_w),
    ]);
    line(buf, list.x, list.y, list.width, &head, th.column_head);
    let height = list.height.saturating_sub(1) as usize;
    p.list_height = height.max(1);
    if p.leaves.is_empty() {
        line(buf, list.x + 2, list.y + 1, list.width.saturating_sub(2), d.no_leave, th.dim);
    }
    let from = p.leave_list.visible_from(height, p.leaves.len());
    for (n, l) in p.leaves.iter().enumerate().skip(from).take(height) {
        let y = list.y + 1 + (n - from) as u16;
        let span = format!("{}~{}", l.from.format("%m-%d"), l.to.format("%m-%d"));
        let days = format!("{}{}", l.working_days(ctx.cal), d.days);
        let decision = match l.decided_by {
            Some(w) => format!("{} {}", ctx.worker_name(Some(w)), l.decision_note),
            None => l.reason.clone(),
        };
        let text = cells(&[
            (ctx.worker_name(Some(l.worker)), 8),
            (crate::i18n::duties::leave_kind(ctx.lang, l.kind), 6),
            (&span, 11),
            (&days, 5),
            (crate::i18n::duties::leave_status(ctx.lang, l.status), 6),
            (&decision, note_w),
        ]);
        let clash = l.status == LeaveStatus::Approved && p.conflicts_with_leave(l.worker, l.from, l.last_day());
        let style = if n == p.leave_list.sel {
            th.selected
        } else if l.status == LeaveStatus::Requested {
            th.due_soon
        } else if clash {
            th.overdue
        } else if matches!(l.status, LeaveStatus::Refused | LeaveStatus::Withdrawn) {
            th.dim
        } else {
            th.base
        };
        buf.set_style(Rect::new(list.x, y, list.width, 1), style);
        line(buf, list.x, y, list.width, &text, style);
    }
    let mut out: Vec<(String, Style)> = Vec::new();
    if let Some(l) = p.selected_leave() {
        out.push((
            format!(
                "{} {} {}~{} {} {}",
                ctx.worker_name(Some(l.worker)),
                crate::i18n::duties::leave_kind(ctx.lang, l.kind),
                l.from,
                l.to,
                fill(d.working_days_n, l.working_days(ctx.cal)),
                crate::i18n::duties::leave_status(ctx.lang, l.status)
            ),
            th.title,
        ));
        if !l.reason.is_empty() {
            out.push((format!("{}:{}", d.f_reason, l.reason), th.base));
        }
        if let (Some(by), Some(at)) = (l.decided_by, l.decided_at) {
            out.push((
                format!(
                    "{}:{} {} {}",
                    d.f_decision,
                    ctx.worker_name(Some(by)),
                    at.format("%Y-%m-%d %H:%M"),
                    l.decision_note
                ),
                th.base,
            ));
        }
        if let Some(r) = l.returned {
            let over = l.overstayed(ctx.cal);
            let mut s = format!("{}:{}", d.returned_on, r);
            if over > 0 {
                s.push_str(&format!("  !{}", fill(d.overstayed_n, over)));
            }
            out.push((s, if over > 0 { th.warn } else { th.base }));
        }
        let clashes = l.clashes(&p.slots_for_leave);
        if !clashes.is_empty() && matches!(l.status, LeaveStatus::Requested | LeaveStatus::Approved) {
            let days: Vec<String> = clashes.iter().map(|x| x.format("%m-%d").to_string()).collect();
            out.push((format!("! {}", fill(d.leave_clash, days.join(","))), th.overdue));
        }
        let totals = year_totals(&p.leaves, l.worker, p.year, ctx.cal);
        if !totals.is_empty() {
            let s: Vec<String> = totals
                .iter()
                .map(|(k, n)| format!("{}{}{}", crate::i18n::duties::leave_kind(ctx.lang, *k), n, d.days))
                .collect();
            out.push((format!("{}:{}", d.year_taken, s.join(" ")), th.dim));
        }
    }
    detail(det, buf, ctx, &out);
}

/// Twelve month marks: studied, missed, still to come.
fn months_line(studied: &[u32], missing: &[u32]) -> String {
    (1..=12u32)
        .map(|m| {
            if studied.contains(&m) {
                '●'
            } else if missing.contains(&m) {
                '○'
            } else {
                '·'
            }
        })
        .collect()
}

fn bar(done: u32, of: u32, cols: usize) -> String {
    let filled = if of == 0 { cols } else { ((done as usize * cols) / of as usize).min(cols) };
    format!("{}{}", "█".repeat(filled), "░".repeat(cols - filled))
}

pub fn render_training(p: &mut DutiesPanel, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let t = ctx.lang.t();
    let d = ctx.lang.duties();
    let th = ctx.theme;
    let title = format!(
        "{} · {} · {}",
        d.training_title,
        crate::i18n::duties::year_title(ctx.lang, p.year),
        fill(d.training_rule, p.settings.training_days)
    );
    line(buf, area.x, area.y, area.width, &title, th.title);
    let (list, det) = split(area, 6);
    let head = cells(&[(t.f_name, 8), (d.training_days, 9), (d.progress, 7), (d.study_months, 12), (d.f_status, 8)]);
    line(buf, list.x, list.y, list.width, &head, th.column_head);
    let height = list.height.saturating_sub(1) as usize;
    p.list_height = height.max(1);
    let people: Vec<&crate::domain::Worker> = ctx.workers.iter().filter(|w| w.active).collect();
    let from = p.people_list.visible_from(height, people.len());
    let today = ctx.today.date;
    for (n, w) in people.iter().enumerate().skip(from).take(height) {
        let y = list.y + 1 + (n - from) as u16;
        let pr = progress(p.trainings.iter().filter(|r| r.worker == w.id), p.year, today, p.settings.training_days);
        let days = format!("{}/{}", half_days_text(pr.half_days), half_days_text(pr.required_half_days));
        let status = if pr.behind() {
            format!("! {}", d.behind)
        } else if pr.training_done() {
            d.done.to_string()
        } else {
            d.on_track.to_string()
        };
        let text = cells(&[
            (&w.name, 8),
            (&days, 9),
            (&bar(pr.half_days, pr.required_half_days, 7), 7),
            (&months_line(&pr.study_months, &pr.missing_months), 12),
            (&status, 8),
        ]);
        let style = if n == p.people_list.sel {
            th.selected
        } else if pr.behind() {
            th.warn
        } else {
            th.base
        };
        buf.set_style(Rect::new(list.x, y, list.width, 1), style);
        line(buf, list.x, y, list.width, &text, style);
    }
    let mut out: Vec<(String, Style)> = Vec::new();
    if let Some(w) = people.get(p.people_list.sel) {
        let mut recs: Vec<&crate::domain::duties::training::Training> =
            p.trainings.iter().filter(|r| r.worker == w.id && r.date.year() == p.year).collect();
        recs.sort_by_key(|r| std::cmp::Reverse(r.date));
        out.push((format!("{} · {}", w.name, fill(d.records_n, recs.len())), th.title));
        out.push((d.months_legend.to_string(), th.dim));
        for r in recs {
            let kind = match r.kind {
                TrainingKind::Training => d.kind_training,
                TrainingKind::Study => d.kind_study,
            };
            out.push((
                format!(
                    "{} {} {} {}{} {}",
                    r.date.format("%m-%d"),
                    kind,
                    r.title,
                    half_days_text(r.half_days),
                    d.days,
                    r.organizer
                ),
                th.base,
            ));
        }
    }
    detail(det, buf, ctx, &out);
}

pub fn render_evaluation(p: &mut DutiesPanel, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let t = ctx.lang.t();
    let d = ctx.lang.duties();
    let th = ctx.theme;
    let w8 = p.settings.weights;
    let title = format!(
        "{} · {} · {} {}:{}:{}",
        d.eval_title,
        crate::i18n::duties::year_title(ctx.lang, p.eval_year),
        d.weights,
        w8.street,
        w8.residents,
        w8.own
    );
    line(buf, area.x, area.y, area.width, &title, th.title);
    let (list, det) = split(area, 4);
    let head = cells(&[
        (t.f_name, 6),
        (d.score_street, 5),
        (d.score_residents, 5),
        (d.score_own, 5),
        (d.total, 5),
        (d.grade, 8),
        (d.handled, 4),
        (d.on_time, 5),
        (d.satisfied, 5),
        (d.logs, 4),
        (d.visits, 4),
        (d.training_short, 4),
    ]);
    line(buf, list.x, list.y, list.width, &head, th.column_head);
    let height = list.height.saturating_sub(1) as usize;
    p.list_height = height.max(1);
    let people = eval_people(p, ctx);
    let from = p.people_list.visible_from(height, people.len());
    let s = |v: Option<u16>| v.map(tenths_text).unwrap_or_else(|| "-".into());
    let pct = |v: Option<u16>| v.map(|x| format!("{}%", (x + 5) / 10)).unwrap_or_else(|| "-".into());
    for (n, w) in people.iter().enumerate().skip(from).take(height) {
        let y = list.y + 1 + (n - from) as u16;
        let ev = p.evals.iter().find(|e| e.worker == w.id);
        let total = ev.and_then(|e| e.total(&w8));
        let f = p.figures.get(&w.id).cloned().unwrap_or_default();
        let text = cells(&[
            (&w.name, 6),
            (&s(ev.and_then(|e| e.street)), 5),
            (&s(ev.and_then(|e| e.residents)), 5),
            (&s(ev.and_then(|e| e.own)), 5),
            (&s(total), 5),
            (total.map_or("-", |x| p.settings.bands.grade(x)), 8),
            (&f.handled.to_string(), 4),
            (&pct(f.on_time_rate()), 5),
            (&pct(f.satisfaction_rate()), 5),
            (&f.log_entries.to_string(), 4),
            (&f.visits.to_string(), 4),
            (&half_days_text(f.training_half_days), 4),
        ]);
        let style = if n == p.people_list.sel { th.selected } else { th.base };
        buf.set_style(Rect::new(list.x, y, list.width, 1), style);
        line(buf, list.x, y, list.width, &text, style);
    }
    let mut out: Vec<(String, Style)> = Vec::new();
    if let Some(w) = people.get(p.people_list.sel) {
        let ev = p.evals.iter().find(|e| e.worker == w.id);
        let f = p.figures.get(&w.id).cloned().unwrap_or_default();
        out.push((
            format!(
                "{} · {} · {}",
                w.name,
                fill(d.callbacks_n, format!("{}/{}", f.satisfied, f.callbacks)),
                fill(d.study_months_n, f.study_months)
            ),
            th.title,
        ));
        match ev.map(|e| e.comment.as_str()).filter(|c| !c.is_empty()) {
            Some(c) => out.push((format!("{}:{}", d.f_comment, c), th.base)),
            None if ev.is_none_or(|e| e.total(&w8).is_none()) => out.push((d.eval_hint.to_string(), th.dim)),
            None => {}
        }
    }
    detail(det, buf, ctx, &out);
}

/// The workers on the year's sheet: active ones, and anyone with a sheet.
pub fn eval_people<'a>(p: &DutiesPanel, ctx: &Ctx<'a>) -> Vec<&'a crate::domain::Worker> {
    ctx.workers.iter().filter(|w| w.active || p.evals.iter().any(|e| e.worker == w.id)).collect()
}
