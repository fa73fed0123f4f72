//! Layers stacked above the panels (helix's compositor idea): forms,
//! pickers, menus, confirmations and help. The top layer gets every key
//! first, and each layer says what it is for, so the app knows what to do
//! when it is submitted.

use super::flows_duties::{DutyConfirm, DutyForm, DutyPick};
use super::keymap;
use super::theme::Theme;
use super::widgets::form::{Form, centered, line};
use super::widgets::picker::Picker;
use crate::domain::request::MoveKind;
use crate::domain::{RequestId, ResidentId, WorkerId};
use crate::i18n::Lang;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::widgets::{Block, Borders, Widget};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormPurpose {
    NewRequest,
    EditRequest(RequestId),
    NewResident,
    EditResident(ResidentId),
    NewWorker,
    EditWorker(WorkerId),
    MoveText(RequestId, MoveKind),
    CallBack(RequestId),
    Note(RequestId),
    Filter,
    AuditFilter,
    Roster(super::flows_roster::RosterForm),
    /// A form of the duties board (`flows_duties`).
    Duty(DutyForm),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickPurpose {
    Operator,
    Assign(RequestId),
    /// Fills the lookup field `key` of the form right below.
    FormField(&'static str),
    Roster(super::flows_roster::RosterPick),
    Duty(DutyPick),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmAction {
    /// Close the form below without saving.
    DiscardForm,
    Duty(DutyConfirm),
}

pub struct Menu {
    pub title: String,
    pub items: Vec<(String, MoveKind)>,
    pub selected: usize,
    pub request: RequestId,
}

pub enum Layer {
    Form(Form, FormPurpose),
    Picker(Picker, PickPurpose),
    Menu(Menu),
    Confirm(String, ConfirmAction),
    Help(u16),
    Welcome,
    /// The start-up PIN: nothing else is drawn until it is right.
    Pin(super::widgets::input::LineInput, u8),
    /// The audit trail or one record's history (drawn by the app, which
    /// knows the workers' names).
    Audit(super::audit::AuditView),
    /// The roster's roll call (点名) for an activity.
    RollCall(Box<super::panels::rollcall::RollCall>),
    /// The data screens: backup, restore, export, import, monthly report.
    Data(Box<super::data::DataView>),
}

impl Layer {
    /// Draws the layer over `area`; returns where the cursor belongs.
    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        lang: Lang,
        scopes: &[keymap::Scope],
    ) -> Option<Position> {
        let t = lang.t();
        match self {
            Layer::Form(form, _) => {
                let w = 72.min(area.width);
                let r = centered(area, w, form.height(w));
                form.render(r, buf, theme)
            }
            Layer::RollCall(r) => Some(r.render(area, buf, theme, lang)),
            Layer::Picker(p, _) => {
                let r = centered(area, 60, area.height.saturating_sub(2).min(20));
                Some(p.render(r, buf, theme))
            }
            Layer::Menu(m) => {
                let r = centered(area, 40, m.items.len() as u16 + 3);
                let inner = boxed(r, buf, theme, &m.title);
                for (i, (label, _)) in m.items.iter().enumerate() {
                    let style = if i == m.selected { theme.selected } else { theme.base };
                    let y = inner.y + i as u16;
                    if y >= inner.bottom() {
                        break;
                    }
                    buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
                    line(buf, inner.x + 1, y, inner.width - 1, &format!("{} {label}", i + 1), style);
                }
                line(buf, inner.x + 1, inner.bottom() - 1, inner.width - 1, t.menu_keys, theme.dim);
                None
            }
            Layer::Confirm(msg, _) => {
                let r = centered(area, 50, 5);
                let inner = boxed(r, buf, theme, t.confirm);
                line(buf, inner.x + 1, inner.y, inner.width - 1, msg, theme.warn);
                line(buf, inner.x + 1, inner.y + 2, inner.width - 1, t.yes_no, theme.base);
                None
            }
            Layer::Help(scroll) => {
                let r = centered(area, area.width.min(100), area.height);
                let inner = boxed(r, buf, theme, t.help_title);
                let rows = keymap::help(lang, scopes);
                // two columns, so a whole panel's keys fit on 80×24
                let per_col = inner.height.saturating_sub(1).max(1) as usize;
                let col_w = inner.width / 2;
                for (i, (keys, label)) in rows.iter().skip(*scroll as usize).enumerate() {
                    let (col, row) = (i / per_col, i % per_col);
                    if col > 1 {
                        break;
                    }
                    let x = inner.x + 1 + col as u16 * col_w;
                    let y = inner.y + row as u16;
                    line(buf, x, y, 14, keys, theme.focus);
                    line(buf, x + 15, y, col_w.saturating_sub(16), label, theme.base);
                }
                line(buf, inner.x + 1, inner.bottom() - 1, inner.width - 1, t.help_footer, theme.dim);
                None
            }
            Layer::Audit(_) => None,
            Layer::Data(v) => v.render(area, buf, theme, lang),
            Layer::Pin(input, tries) => {
                let r = centered(area, 44, 6);
                let inner = boxed(r, buf, theme, t.pin_title);
                let stars = "*".repeat(input.value().chars().count());
                line(buf, inner.x + 1, inner.y + 1, inner.width - 2, &format!("> {stars}"), theme.focus);
                if *tries > 0 {
                    line(buf, inner.x + 1, inner.y + 2, inner.width - 2, t.pin_wrong, theme.error);
                }
                line(buf, inner.x + 1, inner.bottom() - 1, inner.width - 2, t.pin_keys, theme.dim);
                Some(Position::new(inner.x + 3 + stars.len() as u16, inner.y + 1))
            }
            Layer::Welcome => {
                let r = centered(area, 64, 11);
                let inner = boxed(r, buf, theme, t.welcome);
                let w = inner.width as usize - 2;
                let text = wrap(t.welcome_body, w).into_iter().chain([String::new()]).chain(wrap(t.welcome_demo, w));
                for (y, chunk) in (inner.y..inner.bottom().saturating_sub(1)).zip(text) {
                    line(buf, inner.x + 1, y, inner.width - 1, &chunk, theme.base);
                }
                line(
                    buf,
                    inner.x + 1,
                    inner.bottom() - 1,
                    inner.width - 1,
                    &format!(
                        "Enter {}   F5 {}   q {}",
                        t.add_first_worker.trim_start_matches("+ "),
                        t.demo_badge,
                        t.a_quit
                    ),
                    theme.focus,
                );
                None
            }
        }
    }
}

fn boxed(r: Rect, buf: &mut Buffer, theme: &Theme, title: &str) -> Rect {
    super::widgets::form::clear_popup(r, buf);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(format!(" {title} "))
        .title_style(theme.title);
    let inner = block.inner(r);
    block.render(r, buf);
    inner
}

/// Wraps text at `width` display columns (CJK-aware; breaks anywhere).
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let mut out = Vec::new();
    for para in s.split('\n') {
        let mut cur = String::new();
        let mut w = 0;
        for c in crate::domain::text::display_safe(para).chars() {
            let cw = c.width().unwrap_or(0);
            if w + cw > width.max(2) {
                out.push(std::mem::take(&mut cur));
                w = 0;
            }
            cur.push(c);
            w += cw;
        }
        out.push(cur);
    }
    out
}
