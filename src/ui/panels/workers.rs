//! Community workers: who can be at the keyboard and to whom requests are
//! assigned. The duties board builds on this list.

use super::{Ctx, ListState};
use crate::domain::mask;
use crate::domain::text::{display_safe, fit};
use crate::ui::widgets::form::line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

#[derive(Default)]
pub struct WorkersPanel {
    pub list: ListState,
    pub revealed: Option<crate::domain::WorkerId>,
}

impl WorkersPanel {
    pub fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx, operator: Option<crate::domain::WorkerId>) {
        let t = ctx.lang.t();
        let th = ctx.theme;
        let cols = [10usize, 8, 14, 14, 6];
        let head = [t.f_name, t.f_post, t.f_grid, t.f_phone, t.f_active];
        let head: Vec<String> = head.iter().zip(cols).map(|(h, w)| fit(h, w)).collect();
        line(buf, area.x, area.y, area.width, &format!("  {}", head.join(" ")), th.column_head);
        let height = area.height.saturating_sub(1) as usize;
        let from = self.list.visible_from(height, ctx.workers.len());
        for (n, w) in ctx.workers.iter().enumerate().skip(from).take(height) {
            let y = area.y + 1 + (n - from) as u16;
            let phone = if self.revealed == Some(w.id) { w.phone.clone() } else { mask::phone(&w.phone) };
            let active = if w.active { "Y" } else { "-" };
            let cells = [w.name.clone(), w.post.clone(), w.grid.clone(), phone, active.to_string()];
            let text: Vec<String> = cells.iter().zip(cols).map(|(c, w)| fit(&display_safe(c), w)).collect();
            let mark = if Some(w.id) == operator { "* " } else { "  " };
            let style = if n == self.list.sel { th.selected } else { th.base };
            buf.set_style(Rect::new(area.x, y, area.width, 1), style);
            line(buf, area.x, y, area.width, &format!("{mark}{}", text.join(" ")), style);
        }
    }
}
