//! The rota view (值班表): the month as a calendar, Monday first, two lines
//! per day (the date with 休/班 or the holiday's name, and who is on duty),
//! the selected day's details and each worker's shifts this month below.
//! Conflicts are marked `!` so they show without colour.

use super::prelude::*;
pub fn render(p: &mut DutiesPanel, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let (po, pc) = (ctx.lang.t().paren_open, ctx.lang.t().paren_close);
    let colon = ctx.lang.t().colon;
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
    let mut day_line = format!(
        "{}  {}{colon}{}",
        day_label(ctx.lang, cur),
        d.on_duty,
        who.map_or(d.vacant, |w| ctx.worker_name(Some(w)))
    );
    if let Some(name) = ctx.cal.holiday_name(cur) {
        day_line.push_str(&format!(" {po}{name}{pc}"));
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
        let list: Vec<String> = per.iter().map(|(n, k)| format!("{n} {}", fill(d.shifts_n, k))).collect();
        info.push((format!("{}{colon}{}", d.shifts_this_month, list.join(ctx.lang.data().list_sep)), th.dim));
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

impl DutiesPanel {
    pub(super) fn load_rota(&mut self, sh: &mut Shared) -> crate::store::Result<()> {
        let (y, m) = self.month;
        let Some((first, last)) = month_bounds(y, m) else { return Ok(()) };
        self.slots = sh.store.rota_between(first, last)?;
        self.needed = rota::duty_days(first, last, &sh.cal, self.settings.rota_includes_off_days);
        self.month_leaves = sh.store.all::<Leave>()?.into_iter().filter(|l| l.from <= last && l.to >= first).collect();
        // a month not planned yet is not a month full of conflicts
        self.conflicts = if self.slots.is_empty() {
            Vec::new()
        } else {
            rota::conflicts(&self.slots, &self.needed, &self.month_leaves, &sh.workers)
        };
        if self.cursor < first || self.cursor > last {
            self.cursor = if (first..=last).contains(&sh.today.date) { sh.today.date } else { first };
        }
        Ok(())
    }

    /// After the rota cursor moved: a new month loads.
    pub(super) fn rota_follow_cursor(&mut self, sh: &mut Shared) {
        let c = self.cursor;
        if (c.year(), c.month()) != self.month {
            self.month = (c.year(), c.month());
            if let Err(e) = self.load_rota(sh) {
                sh.error(&e);
            }
        }
    }

    pub(super) fn open_rota_generate(&mut self, sh: &mut Shared) {
        let d = sh.lang.duties();
        let (y, m) = self.month;
        let fields = vec![
            Field::text("month", d.f_month, &format!("{y}-{m:02}"), true),
            Field::choice("all_days", d.f_all_days, yes_no(sh.lang), usize::from(self.settings.rota_includes_off_days)),
        ];
        let mut form = Form::new(d.generate_rota, fields);
        form.warning = Some(d.generate_hint.to_string());
        sh.open(FormLayer::new(form, |form, sh, panels| panels.duties.submit_rota_generate(sh, form)).layer());
    }

    pub(super) fn submit_rota_generate(&mut self, sh: &mut Shared, form: &Form) -> Result<(), String> {
        let d = sh.lang.duties();
        let (y, m) = parse_month(&form.text("month")).ok_or_else(|| d.e_bad_month.to_string())?;
        let all_days = form.choice("all_days") != NO;
        let (first, last) = month_bounds(y, m).ok_or_else(|| d.e_bad_month.to_string())?;
        let existing = sh.store.rota_between(first, last).map_err(|e| i18n::store_error(sh.lang, &e))?;
        if existing.iter().any(|s| s.worker.is_some()) {
            let msg = fill(d.confirm_regenerate, i18n::duties::month_title(sh.lang, y, m));
            sh.open(Layer::confirm(msg, move |sh, panels| panels.duties.generate_rota(sh, y, m, all_days)));
            return Ok(());
        }
        self.generate_rota(sh, y, m, all_days);
        Ok(())
    }

    pub(super) fn generate_rota(&mut self, sh: &mut Shared, y: i32, m: u32, all_days: bool) {
        let Some(op) = sh.need_operator_worker() else { return };
        let Some((first, last)) = month_bounds(y, m) else { return };
        let result = (|| -> crate::store::Result<(usize, usize)> {
            let days = rota::duty_days(first, last, &sh.cal, all_days);
            let on_rota: Vec<WorkerId> = sh.workers.iter().filter(|w| w.status.takes_rota()).map(|w| w.id).collect();
            let leaves: Vec<Leave> =
                sh.store.all::<Leave>()?.into_iter().filter(|l| l.from <= last && l.to >= first).collect();
            let last_served = sh.store.last_served_before(first)?;
            let away = |w: WorkerId, day: NaiveDate| leaves.iter().any(|l| l.worker == w && l.keeps_away(day));
            let mut slots = rota::generate(&days, &on_rota, away, &last_served);
            // days of the month that no longer need anyone are cleared
            for old in sh.store.rota_between(first, last)? {
                if old.worker.is_some() && !days.contains(&old.date) {
                    slots.push(RotaSlot::new(old.date, None));
                }
            }
            let vacant = slots.iter().filter(|s| s.worker.is_none() && days.contains(&s.date)).count();
            sh.store.save_rota(&slots, op.id, sh.now())?;
            Ok((days.len(), vacant))
        })();
        match result {
            Ok((n, vacant)) => {
                let d = sh.lang.duties();
                let mut msg = fill(d.rota_generated, format!("{} · {n}", i18n::duties::month_title(sh.lang, y, m)));
                if vacant > 0 {
                    msg.push_str(&format!(" · !{}", fill(d.vacant_n, vacant)));
                }
                sh.info(msg);
                self.month = (y, m);
                self.refresh_on_duty(sh);
                self.stale = true;
            }
            Err(e) => sh.error(&e),
        }
    }

    pub(super) fn open_rota_day_picker(&mut self, sh: &mut Shared) {
        let d = sh.lang.duties();
        let day = self.cursor;
        let current = self.slots.iter().find(|s| s.date == day).and_then(|s| s.worker);
        let title = format!("{} {}", d.choose_on_duty, day_label(sh.lang, day));
        let picker = Picker::new(&title, self.worker_pick_items(sh, true))
            .with_nobody(d.nobody_on_duty)
            .with_selected_id(current.map_or(0, |w| w.0));
        sh.open(PickerLayer::new(picker, move |pick, _, sh, panels| panels.duties.set_rota_day(sh, day, pick)).layer());
    }

    pub(super) fn rota_swap(&mut self, sh: &mut Shared) {
        let d = sh.lang.duties();
        let cur = self.cursor;
        match self.swap_from {
            None => {
                self.swap_from = Some(cur);
                sh.info(fill(d.swap_pending, day_label(sh.lang, cur)));
            }
            Some(from) if from == cur => {
                self.swap_from = None;
                sh.info(d.swap_cancelled);
            }
            Some(from) => {
                let Some(op) = sh.need_operator_worker() else { return };
                self.swap_from = None;
                match sh.store.swap_rota(from, cur, op.id, sh.now()) {
                    Ok(()) => {
                        let lang = sh.lang;
                        let l = |x| day_label(lang, x);
                        let done = fill(d.swapped, format!("{} ⇄ {}", l(from), l(cur)));
                        self.refresh_on_duty(sh);
                        if let Err(e) = self.load_rota(sh) {
                            return sh.error(&e);
                        }
                        // say so at once if the swap did not solve it
                        let still: Vec<String> = self
                            .conflicts
                            .iter()
                            .filter(|c| c.date() == from || c.date() == cur)
                            .map(|c| l(c.date()))
                            .collect();
                        if still.is_empty() {
                            sh.info(done);
                        } else {
                            sh.fail(format!(
                                "{done} · !{}",
                                fill(d.swap_still_conflict, still.join(sh.lang.volunteers().list_sep))
                            ));
                        }
                    }
                    Err(e) => sh.error(&e),
                }
            }
        }
    }

    pub(super) fn set_rota_day(&mut self, sh: &mut Shared, day: NaiveDate, pick: Pick) {
        let Some(op) = sh.need_operator_worker() else { return };
        let worker = match pick {
            Pick::Id(id) => Some(WorkerId(id)),
            _ => None,
        };
        let mut slot = self.slots.iter().find(|s| s.date == day).cloned().unwrap_or_else(|| RotaSlot::new(day, None));
        // the day as stored now (a colleague may have changed its note
        // since the rota was read): only who is on duty changes
        if let Ok(Some(stored)) = sh.store.get::<RotaSlot>(slot.key()) {
            slot = stored;
        }
        slot.worker = worker;
        match sh.store.put(&slot, op.id, sh.now()) {
            Ok(()) => sh.info(sh.lang.t().saved),
            Err(e) => sh.error(&e),
        }
    }
}

/// `2026-12`, `2026/12`, `2026年12月` or `12` (this year is not known
/// here, so a bare month needs a year).
pub(super) fn parse_month(s: &str) -> Option<(i32, u32)> {
    let s: String = crate::domain::text::number_text(s)
        .chars()
        .map(|c| if matches!(c, '/' | '.' | '年') { '-' } else { c })
        .collect();
    let s = s.trim_end_matches('月');
    let (y, m) = s.split_once('-')?;
    let (y, m): (i32, u32) = (y.trim().parse().ok()?, m.trim().parse().ok()?);
    ((1900..=2200).contains(&y) && (1..=12).contains(&m)).then_some((y, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn months_parse_as_typed() {
        assert_eq!(parse_month("2026-12"), Some((2026, 12)));
        assert_eq!(parse_month("2026年1月"), Some((2026, 1)));
        assert_eq!(parse_month("2026/13"), None);
        assert_eq!(parse_month("12"), None);
        assert_eq!(parse_month("２０２６－１２"), Some((2026, 12)), "full-width from an IME");
    }
}
