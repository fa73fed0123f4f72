//! The daily-log view (民情日志): a worker's (or everybody's) entries for a
//! month, or the hits of a search over all entries, with the selected entry
//! in full below: residents with their addresses, what was found, what
//! follows, the request it became, and the leaders' comments (点评).

use super::{DutiesCtx, DutiesPanel, cells};
use crate::domain::text::width;
use crate::i18n::fill;
use crate::ui::layers::wrap;
use crate::ui::panels::Ctx;
use crate::ui::widgets::form::line;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::widgets::{Block, Borders, Widget};

pub fn render(p: &mut DutiesPanel, area: Rect, buf: &mut Buffer, ctx: &Ctx, dx: &DutiesCtx) -> Option<Position> {
    let t = ctx.lang.t();
    let d = ctx.lang.duties();
    let th = ctx.theme;
    let mut cursor = None;
    // top line: the search, or what is listed
    let who = if p.log_all { d.everybody.to_string() } else { ctx.worker_name(p.subject(dx.operator)).to_string() };
    let count = fill(t.shown_of, p.log_hits.len());
    let searching = p.log_searching || !p.log_search.is_empty();
    if searching {
        let label = format!("{}: ", t.search);
        let lw = width(&label) as u16;
        let cw = width(&count) as u16 + 1;
        line(buf, area.x, area.y, lw, &label, if p.log_searching { th.focus } else { th.base });
        let input = Rect::new(area.x + lw, area.y, area.width.saturating_sub(lw + cw), 1);
        let pos = p.log_search.render(input, buf, th.input);
        if p.log_searching {
            cursor = Some(pos);
        }
        line(buf, area.right().saturating_sub(cw), area.y, cw, &count, th.dim);
    } else {
        let (y, m) = p.month;
        let title =
            format!("{} · {} · {} · {}", d.log_title, who, crate::i18n::duties::month_title(ctx.lang, y, m), count);
        line(buf, area.x, area.y, area.width, &title, th.title);
        let hint = d.log_hint;
        let hw = width(hint) as u16;
        if width(&title) as u16 + hw + 2 < area.width {
            line(buf, area.right() - hw, area.y, hw, hint, th.dim);
        }
    }
    let Some(idx) = p.log.as_ref() else {
        line(buf, area.x + 1, area.y + 2, area.width.saturating_sub(1), t.loading, th.dim);
        return cursor;
    };
    let body = Rect::new(area.x, area.y + 1, area.width, area.height.saturating_sub(1));
    let lh = (body.height / 2).max(3);
    let list = Rect::new(body.x, body.y, body.width, lh);
    let detail = Rect::new(body.x, body.y + lh, body.width, body.height.saturating_sub(lh));
    let show_worker = p.log_all || searching;
    let name_w = if show_worker { 6 } else { 0 };
    let res_w = if body.width >= 100 { 16 } else { 10 };
    // a search spans years: the date shows the year
    let date_w = if searching { 8 } else { 5 };
    let kind_w = if ctx.lang == crate::i18n::Lang::En { 7 } else { 4 };
    let found_w = (body.width as usize).saturating_sub(date_w + kind_w + name_w + res_w + 5 + 6).max(8);
    let head = cells(&[
        (t.col_date, date_w),
        (d.f_kind, kind_w),
        (d.worker, name_w),
        (t.col_resident, res_w),
        (d.f_found, found_w),
        (d.marks, 5),
    ]);
    line(buf, list.x, list.y, list.width, &head, th.column_head);
    let height = lh.saturating_sub(1) as usize;
    p.list_height = height.max(1);
    if p.log_hits.is_empty() {
        let msg = if searching { t.no_rows } else { d.no_entries };
        line(buf, list.x + 2, list.y + 1, list.width.saturating_sub(2), msg, th.dim);
    }
    let from = p.log_list.visible_from(height, p.log_hits.len());
    for (n, &i) in p.log_hits.iter().skip(from).take(height).enumerate() {
        let Some(r) = idx.row(i) else { continue };
        let y = list.y + 1 + n as u16;
        let names: Vec<&str> =
            r.residents.iter().filter_map(|id| dx.resident(*id)).map(|x| x.name.as_str()).collect::<Vec<_>>();
        let mut marks = String::new();
        if r.request {
            marks.push_str(d.mark_request);
        }
        if r.comments > 0 {
            marks.push_str(d.mark_comment);
        }
        let date = if searching { r.date.format("%y-%m-%d").to_string() } else { r.date.format("%m-%d").to_string() };
        let text = cells(&[
            (&date, date_w),
            (crate::i18n::duties::log_kind(ctx.lang, r.kind), kind_w),
            (ctx.worker_name(Some(r.worker)), name_w),
            (&names.join("、"), res_w),
            (&r.found, found_w),
            (&marks, 5),
        ]);
        let style = if from + n == p.log_list.sel { th.selected } else { th.base };
        buf.set_style(Rect::new(list.x, y, list.width, 1), style);
        line(buf, list.x, y, list.width, &text, style);
    }
    // the entry in full
    let block = Block::new().borders(Borders::TOP).border_style(th.border);
    let inner = block.inner(detail);
    block.render(detail, buf);
    let Some(e) = &p.log_detail else { return cursor };
    let w = inner.width as usize;
    let mut out: Vec<(String, ratatui::style::Style)> = Vec::new();
    out.push((
        format!(
            "#{} {} {} {}  {}:{}",
            e.id.0,
            e.date,
            crate::i18n::duties::weekday(ctx.lang, e.date),
            crate::i18n::duties::log_kind(ctx.lang, e.kind),
            d.worker,
            ctx.worker_name(Some(e.worker))
        ),
        th.title,
    ));
    if !e.residents.is_empty() {
        let rs: Vec<String> = e
            .residents
            .iter()
            .map(|id| match dx.resident(*id) {
                Some(r) => format!("{} {}", r.name, r.address),
                None => format!("#{}", id.0),
            })
            .collect();
        out.extend(wrap(&format!("{}:{}", t.col_resident, rs.join("；")), w).into_iter().map(|l| (l, th.base)));
    }
    out.extend(wrap(&format!("{}:{}", d.f_found, e.found), w).into_iter().map(|l| (l, th.base)));
    if !e.follow_up.is_empty() {
        out.extend(wrap(&format!("{}:{}", d.f_follow_up, e.follow_up), w).into_iter().map(|l| (l, th.base)));
    }
    match e.request {
        Some(r) => out.push((fill(d.became_request, r), th.ok)),
        None => out.push((d.to_request_hint.to_string(), th.dim)),
    }
    for c in &e.comments {
        let text = format!("{} {} {}:{}", d.comment, ctx.worker_name(Some(c.by)), c.at.format("%m-%d %H:%M"), c.text);
        out.extend(wrap(&text, w).into_iter().map(|l| (l, th.focus)));
    }
    for (i, (l, s)) in out.iter().enumerate() {
        if i as u16 >= inner.height {
            break;
        }
        line(buf, inner.x, inner.y + i as u16, inner.width, l, *s);
    }
    cursor
}
