//! The registry view (分工): every worker's post, grade, grid, areas of
//! responsibility, phone (masked until revealed) and status, with the
//! selected worker's standing duties below. This is what the public notice
//! of the division of labour (分工公示) is exported from.

use super::{DutiesCtx, DutiesPanel, cells};
use crate::domain::mask;
use crate::ui::panels::Ctx;
use crate::ui::widgets::form::line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Widget};

pub fn render(p: &mut DutiesPanel, area: Rect, buf: &mut Buffer, ctx: &Ctx, dx: &mut DutiesCtx) {
    let t = ctx.lang.t();
    let d = ctx.lang.duties();
    let th = ctx.theme;
    let wide = area.width >= 100;
    let areas_w = (area.width as usize).saturating_sub(8 + 6 + 8 + 8 + 11 + 4 + 8).clamp(8, 40);
    let cols = [8usize, 6, 8, 8, areas_w, 11, 4];
    let head = cells(&[
        (t.f_name, cols[0]),
        (t.f_post, cols[1]),
        (d.f_grade, cols[2]),
        (t.f_grid, cols[3]),
        (d.areas, cols[4]),
        (t.f_phone, cols[5]),
        (d.f_status, cols[6]),
    ]);
    line(buf, area.x, area.y, area.width, &format!("  {head}"), th.column_head);
    let detail_h: u16 = if area.height >= 16 { 5 } else { 3 };
    let list_h = area.height.saturating_sub(1 + detail_h) as usize;
    p.list_height = list_h.max(1);
    let n = ctx.workers.len();
    let from = dx.registry.list.visible_from(list_h, n);
    for (i, w) in ctx.workers.iter().enumerate().skip(from).take(list_h) {
        let y = area.y + 1 + (i - from) as u16;
        let phone = if dx.registry.revealed == Some(w.id) { w.phone.clone() } else { mask::phone(&w.phone) };
        let grade = if wide || crate::domain::text::width(&w.grade) <= cols[2] {
            w.grade.clone()
        } else {
            w.grade.replace('岗', "")
        };
        let text = cells(&[
            (&w.name, cols[0]),
            (&w.post, cols[1]),
            (&grade, cols[2]),
            (&w.grid, cols[3]),
            (&w.areas.join("、"), cols[4]),
            (&phone, cols[5]),
            (crate::i18n::duties::worker_status(ctx.lang, w.status), cols[6]),
        ]);
        let mark = if Some(w.id) == dx.operator { "* " } else { "  " };
        let style = if i == dx.registry.list.sel {
            th.selected
        } else if !w.active {
            th.dim
        } else {
            th.base
        };
        buf.set_style(Rect::new(area.x, y, area.width, 1), style);
        line(buf, area.x, y, area.width, &format!("{mark}{text}"), style);
    }
    // the selected worker's details
    let detail = Rect::new(area.x, area.bottom().saturating_sub(detail_h), area.width, detail_h);
    let block = Block::new().borders(Borders::TOP).border_style(th.border);
    let inner = block.inner(detail);
    block.render(detail, buf);
    let Some(w) = ctx.workers.get(dx.registry.list.sel) else { return };
    let mut out: Vec<String> = Vec::new();
    let start = match (w.start, w.years_of_service(ctx.today.date)) {
        (Some(s), Some(y)) => format!("{}:{} ({})", d.f_start, s, crate::i18n::duties::years(ctx.lang, y)),
        _ => format!("{}:-", d.f_start),
    };
    out.push(format!("{}  {}  {start}  ({})", w.name, w.post, t.masked_hint));
    let duties: Vec<&str> =
        p.all_duties.iter().filter(|x| x.worker == w.id && x.active).map(|x| x.title.as_str()).collect();
    if duties.is_empty() {
        out.push(format!("{}:{}", d.standing, d.no_duties));
    } else {
        out.push(format!("{}:{}", d.standing, duties.join("；")));
    }
    for (i, l) in out.iter().enumerate() {
        if i as u16 >= inner.height {
            break;
        }
        line(buf, inner.x, inner.y + i as u16, inner.width, l, if i == 0 { th.title } else { th.base });
    }
}
