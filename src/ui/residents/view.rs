//! Drawing the residents directory: a search line, the list (phones
//! masked), and the selected resident's details and requests.

use super::ResidentsPanel;
use crate::domain::mask;
use crate::domain::text::{display_safe, fit, width};
use crate::i18n::{self, fill};
use crate::ui::shared::Shared as Ctx;
use crate::ui::text::line;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::widgets::{Block, Borders, Widget};

impl ResidentsPanel {
    pub(super) fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) -> Option<Position> {
        let (po, pc) = (ctx.lang.t().paren_open, ctx.lang.t().paren_close);
        let colon = ctx.lang.t().colon;
        let t = ctx.lang.t();
        let th = ctx.theme;
        let label = format!("{}{colon}", t.search);
        let lw = width(&label) as u16;
        let count = fill(t.shown_of, self.hits.len());
        // two columns apart: a cut hint never runs into the count
        let cw = width(&count) as u16 + 2;
        line(buf, area.x, area.y, lw, &label, if self.searching { th.focus } else { th.base });
        let input_area = Rect::new(area.x + lw, area.y, area.width.saturating_sub(lw + cw), 1);
        let mut cursor = None;
        if self.search.is_empty() && !self.searching {
            line(buf, input_area.x, area.y, input_area.width, t.residents_search_hint, th.dim);
        } else {
            let p = self.search.render(input_area, buf, th.input);
            cursor = self.searching.then_some(p);
        }
        line(buf, area.right().saturating_sub(cw), area.y, cw, &count, th.dim);
        let body = Rect::new(area.x, area.y + 1, area.width, area.height.saturating_sub(1));
        let lh = (body.height / 2).max(3);
        let list_area = Rect::new(body.x, body.y, body.width, lh);
        let detail = Rect::new(body.x, body.y + lh, body.width, body.height - lh);
        // list
        let tags_w = (area.width as usize).saturating_sub(8 + 11 + 20 + 8 + 4).max(4);
        let cols = [8usize, 11, 20, 8, tags_w];
        let head = [t.f_name, t.f_phone, t.f_address, t.f_grid, t.f_tags];
        let head: Vec<String> = head.iter().zip(cols).map(|(h, w)| fit(h, w)).collect();
        line(buf, list_area.x, list_area.y, list_area.width, &head.join(" "), th.column_head);
        let height = lh.saturating_sub(1) as usize;
        self.list_height = height;
        let from = self.list.visible_from(height, self.hits.len());
        for (n, id) in self.hits.iter().skip(from).take(height).enumerate() {
            let Some(k) = ctx.index.resident(*id) else { continue };
            let y = list_area.y + 1 + n as u16;
            // sensitive tags (低保, 残疾 …) as one neutral mark until revealed
            let mark = ctx.lang.practice().sensitive_mark;
            let tags: Vec<&str> = k.tags().collect();
            let tags = ctx.sensitive.shown(&tags, self.revealed == Some(k.id), mark);
            let cells = [k.name.to_string(), mask::phone(k.phone), k.address.to_string(), k.grid.to_string(), tags];
            let text: Vec<String> = cells.iter().zip(cols).map(|(c, w)| fit(&display_safe(c), w)).collect();
            let style = if from + n == self.list.sel { th.selected } else { th.base };
            buf.set_style(Rect::new(list_area.x, y, list_area.width, 1), style);
            line(buf, list_area.x, y, list_area.width, &text.join(" "), style);
        }
        // detail
        let block = Block::new().borders(Borders::TOP).border_style(th.border);
        let inner = block.inner(detail);
        block.render(detail, buf);
        let Some(r) = self.selected() else { return cursor };
        let shown = self.revealed == Some(r.id);
        let phone = if shown { r.phone.clone() } else { mask::phone(&r.phone) };
        let tags = ctx.sensitive.shown(&r.tags, shown, ctx.lang.practice().sensitive_mark);
        let mut lines = vec![
            if r.phone.is_empty() {
                // no number: nothing to reveal
                (format!("{}  {}{colon}{}", r.name, t.f_phone, t.none), th.title)
            } else {
                (format!("{}  {}{colon}{} {po}{}{pc}", r.name, t.f_phone, phone, t.masked_hint), th.title)
            },
            (
                format!(
                    "{}{colon}{}  {}{colon}{}  {}{colon}{}",
                    t.f_address, r.address, t.f_grid, r.grid, t.f_tags, tags
                ),
                th.base,
            ),
        ];
        if !shown && ctx.sensitive.any(&r.tags) {
            lines.push((ctx.lang.practice().sensitive_hint.to_string(), th.dim));
        }
        // the ID number, masked here always (the form's `v` reveals it, recorded)
        if let Ok(Some(n)) = ctx.store.id_number(crate::store::record::RecordKind::Resident, r.id.0) {
            lines.push((format!("{}{colon}{}", ctx.lang.sheets().id_number_col, mask::id_number(&n)), th.base));
        }
        if !r.notes.is_empty() {
            lines.push((format!("{}{colon}{}", t.f_notes, r.notes), th.base));
        }
        lines.push((format!("— {}{po}{}{pc} —", t.f_history, self.history.len()), th.column_head));
        if self.history.is_empty() {
            lines.push((t.request_history_empty.to_string(), th.dim));
        }
        for q in &self.history {
            lines.push((
                format!(
                    "{} {} {} [{}] {}",
                    q.id,
                    q.logged_at.format("%Y-%m-%d"),
                    q.category,
                    i18n::status(ctx.lang, q.status),
                    q.title
                ),
                th.base,
            ));
        }
        for (i, (l, s)) in lines.iter().enumerate() {
            if i as u16 >= inner.height {
                break;
            }
            line(buf, inner.x, inner.y + i as u16, inner.width, l, *s);
        }
        cursor
    }
}
