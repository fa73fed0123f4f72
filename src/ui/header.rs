//! The screen's first and last lines: the header (the tabs, who is on duty,
//! who is at the keyboard, the date, the backup warning) and the footer's
//! key hints.

use super::data::Warning;
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
    let title = format!(" {} ", t.app_name);
    line(buf, area.x, area.y, 8, &title, sh.theme.header);
    let x = area.x + width(&title) as u16;
    let (right, tiers) = right_candidates(sh, panels);
    // the tabs keep their names: full, then short (诉求 居民 职责 志愿);
    // only below 80 columns do the others shrink to their numbers. Saying
    // who is at the keyboard ("操作员：李娜") comes first, then the
    // operator's bare name
    let fits = |tabs: u16, r: &String| x + tabs + (width(r) as u16) < area.right();
    let mut chosen = None;
    'tiers: for tier in tiers {
        for style in [Tabs::Full, Tabs::Short] {
            let tw = tabs_width(sh, panels, style);
            if let Some(r) = right[tier.clone()].iter().find(|r| fits(tw, r)) {
                chosen = Some((style, Some(r)));
                break 'tiers;
            }
        }
    }
    let (style, right) = chosen.unwrap_or_else(|| {
        let tw = tabs_width(sh, panels, Tabs::Numbers);
        (Tabs::Numbers, right.iter().find(|r| fits(tw, r)))
    });
    let mut x = x;
    for (i, p) in PanelId::ALL.iter().enumerate() {
        let here = *p == panels.current;
        let label = tab_label(sh, i, *p, if here && style == Tabs::Numbers { Tabs::Short } else { style });
        let st = if here { sh.theme.tab_active } else { sh.theme.tab };
        let w = width(&label) as u16;
        line(buf, x, area.y, w, &label, st);
        x += w + 1;
    }
    if let Some(right) = right {
        let rw = width(right) as u16;
        line(buf, area.right() - rw, area.y, rw, right, sh.theme.header);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tabs {
    Full,
    Short,
    Numbers,
}

fn tab_label(sh: &Shared, i: usize, p: PanelId, style: Tabs) -> String {
    match style {
        Tabs::Full => format!(" {} {} ", i + 1, p.name(sh.lang)),
        Tabs::Short => format!(" {} {} ", i + 1, p.short_name(sh.lang)),
        Tabs::Numbers => format!(" {} ", i + 1),
    }
}

fn tabs_width(sh: &Shared, panels: &Panels, style: Tabs) -> u16 {
    PanelId::ALL
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let style = if *p == panels.current && style == Tabs::Numbers { Tabs::Short } else { style };
            width(&tab_label(sh, i, *p, style)) as u16 + 1
        })
        .sum()
}

/// What the right of the header may say, most first, and the tiers worth
/// keeping the tabs short for: those that say "操作员：" with the name, then
/// those with the bare name (each with the backup warning, when there is
/// one). Who is at the keyboard and an overdue off-PC backup matter more
/// than who is on duty and the date; demo data must say so.
fn right_candidates(sh: &Shared, panels: &Panels) -> (Vec<String>, [std::ops::Range<usize>; 2]) {
    let t = sh.lang.t();
    let op = sh.operator.and_then(|id| sh.worker(id)).map_or("-", |w| w.name.as_str());
    let date = sh.today.date;
    let weekday = weekday(sh.lang, date);
    let duty = panels.duties.on_duty_label(sh).map(|d| format!("{d}  ")).unwrap_or_default();
    let who = format!("{}{}{op}", t.operator, t.colon);
    let mmdd = date.format("%m-%d");
    let mut plain = vec![
        format!("{duty}{who}  {date} {weekday} "),
        format!("{duty}{who}  {mmdd} {weekday} "),
        format!("{duty}{who} {mmdd} "),
        format!("{duty}{who} "),
        format!("{who} {mmdd} "),
        format!("{who} "),
        format!("{op} "),
    ];
    if sh.demo {
        let badge = format!("[{}]", t.demo_badge);
        plain = plain.iter().map(|c| format!("{badge} {c}")).collect();
    }
    if sh.colleagues > 0 {
        let badge = crate::i18n::fill(sh.lang.sharing().colleagues_badge, sh.colleagues);
        // the count stays on the shortest line too: who else is on is
        // worth more than the date
        plain = plain.iter().map(|c| format!("{badge} {c}")).collect();
    }
    // the last of `plain` has the bare name, the others the label
    let labelled = plain.len() - 1;
    // an overdue off-PC backup, or a calendar that only guesses the days
    // off, is worth more than the date and the name
    let warning = match (&sh.data.warning, &sh.calendar_note) {
        (Some(w), Some(n)) => Some(Warning { long: format!("{} {n}", w.long), short: format!("{} {n}", w.short) }),
        (Some(w), None) => Some(w.clone()),
        (None, Some(n)) => Some(Warning { long: n.clone(), short: n.clone() }),
        (None, None) => None,
    };
    match &warning {
        None => {
            let n = plain.len();
            (plain, [0..labelled, labelled..n])
        }
        Some(w) => {
            let long = plain.iter().map(|c| format!("{}  {c}", w.long));
            let short = plain.iter().map(|c| format!("{} {c}", w.short));
            let (ll, sl): (Vec<String>, Vec<String>) = (long.collect(), short.collect());
            let mut out: Vec<String> = ll[..labelled].to_vec();
            out.extend_from_slice(&sl[..labelled]);
            let tier1 = 0..out.len();
            out.push(ll[labelled].clone());
            out.push(sl[labelled].clone());
            let tier2 = tier1.end..out.len();
            out.push(format!("{} ", w.short));
            (out, [tier1, tier2])
        }
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
