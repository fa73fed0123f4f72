//! 看板: the chosen worker's board (today's shift, leave, standing duties
//! with who is not yet visited, tasks and requests, overdue first), and the
//! task and standing-duty forms.

use super::prelude::*;
/// A line of the board that can be selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardRow {
    /// A standing duty (index into `board.duties`).
    Duty(usize),
    /// A resident of an expanded duty not yet visited.
    Resident(usize, ResidentId),
    /// A task or request (index into `board.todos`).
    Todo(usize),
}

/// The selectable rows, in screen order.
pub fn rows(p: &DutiesPanel) -> Vec<BoardRow> {
    let Some(b) = &p.board else { return Vec::new() };
    let mut out = Vec::new();
    for (i, d) in b.duties.iter().enumerate() {
        out.push(BoardRow::Duty(i));
        if p.expanded == Some(d.duty.id) {
            out.extend(d.not_visited().into_iter().map(|(r, _)| BoardRow::Resident(i, r)));
        }
    }
    out.extend((0..b.todos.len()).map(BoardRow::Todo));
    out
}

pub(super) fn lines(p: &DutiesPanel, b: &Board, ctx: &Ctx, w: usize) -> Vec<(String, Style, Option<BoardRow>)> {
    let (po, pc) = (ctx.lang.t().paren_open, ctx.lang.t().paren_close);
    let colon = ctx.lang.t().colon;
    let d = ctx.lang.duties();
    let th = ctx.theme;
    let mut out: Vec<(String, Style, Option<BoardRow>)> = Vec::new();
    // who and what they are responsible for
    let wk = &b.worker;
    let mut who = vec![wk.name.clone(), wk.post.clone()];
    if !wk.grade.is_empty() {
        who.push(wk.grade.clone());
    }
    if !wk.grid.is_empty() {
        who.push(wk.grid.clone());
    }
    if !wk.areas.is_empty() {
        who.push(format!("{}{colon}{}", d.areas, wk.areas.join("、")));
    }
    if !wk.phone.is_empty() {
        who.push(mask::phone(&wk.phone));
    }
    out.push((who.join(" · "), th.title, None));
    // today: shift, leave, log, training
    let mut today: Vec<(String, Style)> = Vec::new();
    if b.on_duty_today {
        today.push((d.on_duty_today.to_string(), th.focus));
    }
    if let Some(n) = b.next_shift {
        today.push((fill(d.next_shift, day_label(ctx.lang, n)), th.base));
    }
    if !b.clashes.is_empty() {
        let days: Vec<String> = b.clashes.iter().map(|x| x.format("%m-%d").to_string()).collect();
        today.push((format!("! {}", fill(d.shift_clash, days.join(ctx.lang.volunteers().list_sep))), th.warn));
    }
    if let Some(l) = &b.away {
        today.push((
            format!(
                "{}{colon}{} {}",
                d.on_leave,
                i18n::duties::leave_kind(ctx.lang, l.kind),
                i18n::span(ctx.lang, l.from, l.last_day(), ctx.today.date)
            ),
            th.warn,
        ));
    }
    for l in b.coming_leave.iter().take(2) {
        today.push((
            format!(
                "{} {} {}",
                i18n::duties::leave_status(ctx.lang, l.status),
                i18n::duties::leave_kind(ctx.lang, l.kind),
                i18n::span(ctx.lang, l.from, l.to, ctx.today.date)
            ),
            th.base,
        ));
    }
    today.push((fill(d.log_this_month, b.log_this_month), th.base));
    let tr = &b.training;
    let behind = if tr.behind_training() { "! " } else { "" };
    let training = format!(
        "{behind}{}",
        crate::i18n::fill_all(
            d.training_progress,
            &[&half_days_text(tr.half_days), &half_days_text(tr.required_half_days)]
        )
    );
    today.push((training, if tr.behind_training() { th.warn } else { th.base }));
    if tr.behind_study() {
        let months: Vec<String> = tr.missing_months.iter().map(|m| m.to_string()).collect();
        today.push((format!("! {}", fill(d.study_missing, months.join(d_list_sep(ctx.lang)))), th.warn));
    }
    // as many lines as it takes: nothing here may be cut off
    let mut cur: Vec<&(String, Style)> = Vec::new();
    let flush = |cur: &mut Vec<&(String, Style)>, out: &mut Vec<(String, Style, Option<BoardRow>)>| {
        if cur.is_empty() {
            return;
        }
        let worst = if cur.iter().any(|(_, s)| *s == th.warn) { th.warn } else { th.base };
        out.push((cur.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>().join(" · "), worst, None));
        cur.clear();
    };
    for part in &today {
        let used: usize = cur.iter().map(|(s, _)| width(s) + 3).sum();
        if !cur.is_empty() && used + width(&part.0) > w {
            flush(&mut cur, &mut out);
        }
        cur.push(part);
    }
    flush(&mut cur, &mut out);
    // standing duties
    out.push((format!("── {}{po}{}{pc} ", d.standing, b.duties.len()), th.column_head, None));
    if b.duties.is_empty() {
        out.push((format!("  {}", d.no_duties), th.dim, None));
    }
    let title_w = (w / 3).clamp(16, 34);
    for (i, dl) in b.duties.iter().enumerate() {
        let period = i18n::duties::period(ctx.lang, dl.duty.period);
        let (status, style) = match &dl.visits {
            None => (period.to_string(), th.base),
            Some((s, _)) if s.residents.is_empty() => (format!("{period} {}", d.nobody_covered), th.dim),
            Some((s, _)) => {
                let head = format!(
                    "{} {}/{}",
                    i18n::duties::this_period(ctx.lang, dl.duty.period),
                    s.visited(),
                    s.residents.len()
                );
                if s.done() {
                    (format!("{head} {}", d.all_visited), th.ok)
                } else {
                    let names: Vec<&str> = dl.not_visited().iter().map(|(_, n)| *n).collect::<Vec<_>>();
                    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
                    (format!("{head} {}{colon}{}", fill(d.not_visited_n, names.len()), names.join("、")), th.warn)
                }
            }
        };
        let mark = if p.expanded == Some(dl.duty.id) {
            "▾"
        } else if dl.visits.is_some() {
            "▸"
        } else {
            " "
        };
        out.push((
            format!("{mark}{} {status}", crate::domain::text::fit(&dl.duty.title, title_w)),
            style,
            Some(BoardRow::Duty(i)),
        ));
        if p.expanded == Some(dl.duty.id) {
            for (r, name) in dl.not_visited() {
                let addr = ctx.index.resident(r).map(|x| x.address.to_string()).unwrap_or_default();
                let phone = ctx.index.resident(r).map(|x| mask::phone(x.phone)).unwrap_or_default();
                out.push((
                    format!("    · {}  {addr}  {phone}", crate::domain::text::fit(name, 8)),
                    th.base,
                    Some(BoardRow::Resident(i, r)),
                ));
            }
        }
    }
    // what is due
    let overdue = b.overdue();
    let head = if overdue > 0 {
        format!("── {} ", crate::i18n::fill_all(d.todo_overdue, &[&b.todos.len(), &overdue]))
    } else {
        format!("── {} ", fill(d.todo, b.todos.len()))
    };
    out.push((head, th.column_head, None));
    if !b.requests_complete {
        out.push((format!("  {}", ctx.lang.t().loading), th.dim, None));
    } else if b.todos.is_empty() {
        out.push((format!("  {}", d.nothing_due), th.dim, None));
    }
    // as wide as the longest kind in this language (Leave is five columns)
    let kind_w = [d.kind_request, d.kind_task, d.kind_leave].iter().map(|k| width(k)).max().unwrap_or(4);
    for (i, t) in b.todos.iter().enumerate() {
        let (kind, id) = match t.what {
            TodoRef::Request(id) => (d.kind_request, id.to_string()),
            TodoRef::Task(_) => (d.kind_task, String::new()),
            TodoRef::Leave(_) => (d.kind_leave, String::new()),
        };
        let due = i18n::deadline_marked(ctx.lang, t.deadline, t.due, ctx.today.date, ctx.cal.is_estimate(t.due));
        let text = cells(&[(&due, 16), (kind, kind_w), (&id, if id.is_empty() { 0 } else { 11 })]);
        let text = format!(" {text} {}", t.title);
        let style = match t.deadline {
            Deadline::Overdue(_) => th.overdue,
            Deadline::DueSoon(_) => th.due_soon,
            _ => th.base,
        };
        out.push((text, style, Some(BoardRow::Todo(i))));
    }
    out
}

pub fn render(p: &mut DutiesPanel, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let d = ctx.lang.duties();
    let th = ctx.theme;
    let Some(b) = p.board.as_ref() else {
        let msg = if ctx.operator.is_none() { ctx.lang.t().no_operator } else { ctx.lang.t().loading };
        line(buf, area.x + 1, area.y + 1, area.width.saturating_sub(1), msg, th.dim);
        return;
    };
    let all = lines(p, b, ctx, area.width as usize);
    let selectable: Vec<usize> = all.iter().enumerate().filter(|(_, l)| l.2.is_some()).map(|(i, _)| i).collect();
    p.board_list.sel = p.board_list.sel.min(selectable.len().saturating_sub(1));
    let height = area.height as usize;
    p.list_height = height.saturating_sub(4).max(1);
    // keep the selected line on screen; the two head lines stay when they can
    let sel_line = selectable.get(p.board_list.sel).copied().unwrap_or(0);
    let first = if sel_line < height { 0 } else { sel_line + 1 - height };
    for (n, (text, style, row)) in all.iter().skip(first).take(height).enumerate() {
        let y = area.y + n as u16;
        let selected = row.is_some() && Some(first + n) == selectable.get(p.board_list.sel).copied();
        let style = if selected { th.selected } else { *style };
        if selected {
            buf.set_style(Rect::new(area.x, y, area.width, 1), style);
        }
        line(buf, area.x, y, area.width, text, style);
    }
    // the worker chooser hint, top right, when it fits
    let hint = format!("w {}", d.a_choose_worker);
    let hw = width(&hint) as u16;
    let head_w = width(&all[0].0) as u16;
    if head_w + hw + 2 < area.width && first == 0 {
        line(buf, area.right() - hw, area.y, hw, &hint, th.dim);
    }
}

impl DutiesPanel {
    pub(super) fn build_board(&mut self, sh: &mut Shared) -> crate::store::Result<()> {
        self.built_loaded = sh.loaded;
        let Some(id) = self.subject(sh.operator) else {
            self.board = None;
            return Ok(());
        };
        let Some(worker) = sh.worker(id).cloned() else {
            self.board = None;
            return Ok(());
        };
        let today = sh.today.date;
        let store = &sh.store;
        let slots = store.rota_between(today, today + Days::new(92))?;
        let leaves = store.leaves_of(id)?;
        // until the full index has loaded, the request index holds only the
        // residents of the newest requests: a duty would show a part of its
        // residents as if it were all of them, so it shows none yet
        let loaded = sh.loaded;
        let residents = sh.index.residents().filter(|_| loaded);
        let mut duties = Vec::new();
        for d in store.duties_of(id)?.iter().filter(|d| d.active) {
            duties.push(store.duty_line(d, residents.clone(), today)?);
        }
        let tasks = store.tasks_of(id)?;
        let idx = &sh.index;
        let p = sh.lang.practice();
        let mut requests: Vec<crate::domain::duties::board::Todo> = Vec::new();
        for r in
            (0..idx.len() as u32).filter_map(|i| idx.row(i)).filter(|r| r.assignee == Some(id) && r.status.is_open())
        {
            // 督办: a leader's card shows on the assignee's board (the card is
            // on the record, not in the index: a worker's open requests are few)
            let card = store.request(r.id)?.and_then(|q| q.card);
            let title = match card {
                Some(c) => format!("[{}] {}", i18n::card(sh.lang, c), idx.title_of(r)),
                None => idx.title_of(r).to_string(),
            };
            requests.push(crate::domain::duties::board::Todo::request(r.id, &title, r.status, r.due, today, &sh.cal));
        }
        // a leader's board also holds the extensions (延期) waiting for them
        if worker.is_leader() {
            for r in store.extensions_asked()? {
                let Some(asked) = r.asked_due else { continue };
                let who = sh.worker_name(r.assignee);
                let title = crate::i18n::fill_all(p.to_decide_extension, &[&asked.format("%m-%d"), &who, &r.title]);
                requests.retain(|t| t.what != crate::domain::duties::board::TodoRef::Request(r.id));
                requests
                    .push(crate::domain::duties::board::Todo::request(r.id, &title, r.status, r.due, today, &sh.cal));
            }
        }
        // a leader's board also holds the leave waiting for their decision
        if worker.is_leader() {
            let d = sh.lang.duties();
            for l in store.all::<Leave>()?.iter().filter(|l| l.status == LeaveStatus::Requested) {
                if !may_decide(&worker, l, &sh.workers) {
                    continue;
                }
                let span = i18n::span(sh.lang, l.from, l.to, today);
                let title = d
                    .to_decide
                    .replacen("{}", sh.worker_name(Some(l.worker)), 1)
                    .replacen("{}", i18n::duties::leave_kind(sh.lang, l.kind), 1)
                    .replacen("{}", &span, 1)
                    .replacen("{}", &fill(d.working_days_n, l.working_days(&sh.cal)), 1);
                requests.push(crate::domain::duties::board::Todo::leave(l, title, today, &sh.cal));
            }
        }
        let trainings = store.trainings_of(id)?;
        let training = progress(&trainings, today.year(), today, self.settings.training_days, sh.judged_since(&worker));
        let month_start = today.with_day(1).unwrap_or(today);
        let log_this_month = store.recent_logs_of(id, month_start)?.len();
        let parts = BoardParts {
            worker,
            today,
            slots,
            leaves,
            duties,
            tasks,
            requests,
            training,
            log_this_month,
            requests_complete: sh.loaded,
        };
        self.board = Some(Board::new(parts, &sh.cal));
        let n = self.board_rows_len();
        self.board_list.to(self.board_list.sel, n);
        Ok(())
    }

    pub(super) fn open_task_form(&mut self, sh: &mut Shared, existing: Option<TaskId>) {
        let d = sh.lang.duties();
        let task = match existing {
            Some(id) => match sh.store.get::<Task>(id.0) {
                Ok(t) => t,
                Err(e) => return sh.error(&e),
            },
            None => None,
        };
        let Some(worker) = task.as_ref().map(|t| t.worker).or(self.subject(sh.operator)) else { return };
        let due = task.as_ref().map_or_else(|| sh.cal.add_working_days(sh.today.date, 5), |t| t.due);
        let mut fields = vec![
            Field::text("title", d.f_task, task.as_ref().map_or("", |t| &t.title), true),
            Field::text("due", d.f_due, &due.to_string(), true),
            Field::text("detail", d.f_detail, task.as_ref().map_or("", |t| &t.detail), false),
        ];
        if let Some(t) = &task {
            let options = [TaskStatus::Open, TaskStatus::Done, TaskStatus::Cancelled];
            let labels = options.iter().map(|s| i18n::duties::task_status(sh.lang, *s).to_string()).collect();
            fields.push(Field::choice(
                "status",
                d.f_status,
                labels,
                options.iter().position(|s| *s == t.status).unwrap_or(0),
            ));
        }
        let name = sh.worker_name(Some(worker)).to_string();
        let title = if task.is_some() { d.edit_task } else { d.new_task };
        let form = Form::new(&format!("{title} · {name}"), fields);
        let mut layer =
            FormLayer::new(form, move |form, sh, panels| panels.duties.save_task(sh, form, worker, existing));
        if let Some(id) = existing {
            layer = layer.editing(crate::store::record::RecordKind::Task, id.0, &sh.store);
        }
        sh.open(layer.layer());
    }

    pub(super) fn save_task(
        &mut self,
        sh: &mut Shared,
        form: &Form,
        worker: WorkerId,
        existing: Option<TaskId>,
    ) -> Result<(), String> {
        let Some(op) = sh.need_operator_worker() else { return Ok(()) };
        let due = form.date_needed("due", sh.today.date, sh.lang.t().bad_date)?;
        let now = sh.now();
        let result = match existing {
            Some(id) => {
                let Some(mut t) = sh.store.get::<Task>(id.0).map_err(|e| i18n::store_error(sh.lang, &e))? else {
                    return Ok(());
                };
                t.title = form.text("title");
                t.due = due;
                t.detail = form.text("detail");
                let status = [TaskStatus::Open, TaskStatus::Done, TaskStatus::Cancelled][form.choice("status").min(2)];
                if status != t.status {
                    t.status = status;
                    t.closed_on = (status != TaskStatus::Open).then_some(sh.today.date);
                }
                sh.store.update(&t, op.id, now)
            }
            None => {
                let t = Task {
                    id: TaskId(0),
                    worker,
                    title: form.text("title"),
                    detail: form.text("detail"),
                    due,
                    status: TaskStatus::Open,
                    closed_on: None,
                    assigned_by: op.id,
                    created: sh.today.date,
                };
                sh.store.create_task(&t, op.id, now).map(|_| ())
            }
        };
        result.map_err(|e| i18n::store_error(sh.lang, &e))?;
        self.stale = true;
        sh.info(sh.lang.t().saved);
        Ok(())
    }

    /// `d` on a task asks first: a task marked done leaves the board.
    pub(super) fn ask_finish_task(&mut self, sh: &mut Shared) {
        let Some(TodoRef::Task(id)) = self.selected_todo() else {
            sh.info(sh.lang.duties().select_a_task);
            return;
        };
        let title = self.board.as_ref().and_then(|b| b.todos.iter().find(|t| t.what == TodoRef::Task(id)));
        let msg = fill(sh.lang.duties().confirm_done, title.map_or("", |t| t.title.as_str()));
        sh.open(Layer::confirm(msg, move |sh, panels| panels.duties.finish_task(sh, id)));
    }

    pub(super) fn finish_task(&mut self, sh: &mut Shared, id: TaskId) {
        let Some(op) = sh.need_operator_worker() else { return };
        let now = sh.now();
        let today = sh.today.date;
        let result = sh.store.get::<Task>(id.0).and_then(|t| match t {
            Some(mut t) => {
                if t.finish(today) {
                    sh.store.update(&t, op.id, now).map(|_| Some(t))
                } else {
                    Ok(None)
                }
            }
            None => Ok(None),
        });
        match result {
            Ok(Some(t)) => {
                sh.info(fill(sh.lang.duties().task_done, t.title));
                self.stale = true;
            }
            Ok(None) => {}
            Err(e) => sh.error(&e),
        }
    }

    pub(super) fn open_duty_form(&mut self, sh: &mut Shared, worker: WorkerId, existing: Option<&Duty>) {
        // the duty as stored now (a colleague may have changed it since the
        // board was read): what the form shows and checks against
        let fresh = existing.map(|x| sh.store.get::<Duty>(x.id.0).ok().flatten().unwrap_or_else(|| x.clone()));
        let existing = fresh.as_ref();
        let d = sh.lang.duties();
        let lang = sh.lang;
        let periods: Vec<String> = Period::ALL.iter().map(|p| i18n::duties::period(lang, *p).to_string()).collect();
        let grid = sh.worker(worker).map_or(String::new(), |w| w.grid.clone());
        let mut fields = vec![
            Field::text("title", d.f_duty, existing.map_or("", |x| &x.title), true),
            Field::choice(
                "period",
                d.f_period,
                periods,
                existing.map_or(0, |x| Period::ALL.iter().position(|p| *p == x.period).unwrap_or(0)),
            ),
            Field::text("tag", d.f_tag, existing.map_or("", |x| &x.tag), false),
            Field::text("grid", sh.lang.t().f_grid, existing.map_or(&grid, |x| &x.grid), false),
        ];
        if let Some(x) = existing {
            fields.push(Field::choice("active", d.f_in_force, yes_no(lang), usize::from(x.active)));
        }
        let name = sh.worker_name(Some(worker)).to_string();
        let title = if existing.is_some() { d.edit_duty } else { d.new_duty };
        let mut form = Form::new(&format!("{title} · {name}"), fields);
        form.warning = Some(fill(d.duty_form_hint, crate::domain::resident::TAGS.join("、")));
        let id = existing.map(|x| x.id);
        let mut layer = FormLayer::new(form, move |form, sh, panels| panels.duties.save_duty(sh, form, worker, id));
        if let Some(id) = id {
            layer = layer.editing(crate::store::record::RecordKind::Duty, id.0, &sh.store);
        }
        sh.open(layer.layer());
    }

    pub(super) fn save_duty(
        &mut self,
        sh: &mut Shared,
        form: &Form,
        worker: WorkerId,
        existing: Option<DutyId>,
    ) -> Result<(), String> {
        let Some(op) = sh.need_operator_worker() else { return Ok(()) };
        let now = sh.now();
        let period = Period::ALL[form.choice("period").min(Period::ALL.len() - 1)];
        let result = match existing {
            Some(id) => match sh.store.get::<Duty>(id.0) {
                Ok(Some(mut x)) => {
                    x.title = form.text("title");
                    x.period = period;
                    x.tag = form.text("tag");
                    x.grid = form.text("grid");
                    x.active = form.choice("active") != NO;
                    sh.store.update(&x, op.id, now)
                }
                Ok(None) => Ok(()),
                Err(e) => Err(e),
            },
            None => {
                let x = Duty {
                    id: DutyId(0),
                    worker,
                    title: form.text("title"),
                    period,
                    tag: form.text("tag"),
                    grid: form.text("grid"),
                    active: true,
                    since: sh.today.date,
                };
                sh.store.create_duty(&x, op.id, now).map(|_| ())
            }
        };
        result.map_err(|e| i18n::store_error(sh.lang, &e))?;
        self.stale = true;
        sh.info(sh.lang.t().saved);
        Ok(())
    }

    pub(super) fn pick_board_worker(&mut self, _sh: &mut Shared, pick: Pick) {
        if let Pick::Id(id) = pick {
            self.worker = Some(WorkerId(id));
            self.board_list = Default::default();
            self.expanded = None;
            self.stale = true;
            if self.view == View::Log {
                self.log_all = false;
            }
        }
    }
}

/// Between the months of a list (`1、2、11`).
fn d_list_sep(lang: crate::i18n::Lang) -> &'static str {
    lang.volunteers().list_sep
}
