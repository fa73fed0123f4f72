//! The screen's first and last lines: the header (the tabs, who is on duty,
//! who is at the keyboard, the date, the backup warning) and the footer's
//! key hints.

use super::panel::{PanelId, Panels};
use super::shared::Shared;
use super::text::line;
use crate::domain::text::width;
use crate::i18n::Lang;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub fn render(area: Rect, buf: &mut Buffer, sh: &Shared, panels: &Panels) {
    let t = sh.lang.t();
    buf.set_style(area, sh.theme.header);
    let mut x = area.x;
    let title = format!(" {} ", t.app_name);
    line(buf, x, area.y, 8, &title, sh.theme.header);
    x += width(&title) as u16;
    let op = sh.operator.and_then(|id| sh.worker(id)).map_or("-", |w| w.name.as_str());
    let date = sh.today.date;
    let weekday = weekday(sh.lang, date);
    let duty = panels.duties.on_duty_label(sh).map(|d| format!("{d}  ")).unwrap_or_default();
    let full = format!("{duty}{}:{}  {} {} ", t.operator, op, date, weekday);
    let short = format!("{duty}{}:{}  {} {} ", t.operator, op, date.format("%m-%d"), weekday);
    let duty_sp = if duty.is_empty() { String::new() } else { format!("{} ", duty.trim_end()) };
    let shorter = format!("{duty_sp}{}:{} {} ", t.operator, op, date.format("%m-%d"));
    let shortest = format!("{duty}{op} {} ", date.format("%m-%d"));
    // the most that fits: who is on duty today and who is at the keyboard
    // matter more than the date; demo data must say so
    let candidates = if sh.demo {
        let badge = format!("[{}]", t.demo_badge);
        vec![
            format!("{badge} {full}"),
            format!("{badge} {short}"),
            format!("{duty_sp}{}:{} {} ", t.operator, op, t.demo_badge),
            format!("{duty_sp}{op} {badge} "),
            format!("{badge} {op} "),
        ]
    } else {
        vec![full, short, shorter, shortest]
    };
    // an overdue off-PC backup, or a calendar that only guesses the days
    // off, is worth more than the date and the name
    let warning = match (&sh.data.warning, &sh.calendar_note) {
        (Some(a), Some(b)) => Some(format!("{a} {b}")),
        (a, b) => a.clone().or_else(|| b.clone()),
    };
    let candidates = match &warning {
        Some(w) => candidates.iter().map(|c| format!("{w}  {c}")).chain([format!("{w} ")]).collect(),
        None => candidates,
    };
    // tabs shrink to their numbers before the operator's name would go
    let with_name = if warning.is_some() { &candidates[..candidates.len() - 1] } else { &candidates[..] };
    let min_rw = with_name.iter().map(|c| width(c) as u16).min().unwrap_or(0);
    // at 80 columns not every tab fits with its name: the others keep
    // their number, so the operator stays in view
    let label = |i: usize, name: &str, full: bool| {
        if full { format!(" {} {} ", i + 1, name) } else { format!(" {} ", i + 1) }
    };
    let names: Vec<&str> = PanelId::ALL.iter().map(|p| p.name(sh.lang)).collect();
    let full_w: u16 = names.iter().enumerate().map(|(i, n)| width(&label(i, n, true)) as u16 + 1).sum();
    let compact = x + full_w + min_rw >= area.right();
    for (i, (p, name)) in PanelId::ALL.iter().zip(names).enumerate() {
        let here = *p == panels.current;
        let label = label(i, name, !compact || here);
        let style = if here { sh.theme.tab_active } else { sh.theme.tab };
        let w = width(&label) as u16;
        line(buf, x, area.y, w, &label, style);
        x += w + 1;
    }
    if let Some(right) = candidates.iter().find(|r| x + (width(r) as u16) < area.right()) {
        let rw = width(right) as u16;
        line(buf, area.right() - rw, area.y, rw, right, sh.theme.header);
    }
}

/// The footer's line of key hints, as many as fit, `gap` columns apart.
pub fn hints(area: Rect, buf: &mut Buffer, sh: &Shared, hints: &[(String, &str)], gap: u16) {
    let mut x = area.x;
    for (k, label) in hints {
        let kw = width(k) as u16;
        let lw = width(label) as u16;
        if x + kw + lw + 2 > area.right() {
            break;
        }
        if !k.is_empty() {
            line(buf, x, area.y, kw, k, sh.theme.key);
            x += kw + 1;
        }
        line(buf, x, area.y, lw + gap, &format!("{label}{}", " ".repeat(gap as usize)), sh.theme.base);
        x += lw + gap;
    }
}

pub fn weekday(lang: Lang, d: chrono::NaiveDate) -> &'static str {
    use chrono::Datelike;
    let i = d.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Zh => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][i],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
    }
}
