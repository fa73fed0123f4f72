//! 请假: leave requests, their approval by 书记/主任, back at work (销假).

use super::prelude::*;
use super::{detail, split};

pub fn render_leave(p: &mut DutiesPanel, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let range = ctx.lang.t().range;
    let colon = ctx.lang.t().colon;
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
    let note_w = (list.width as usize).saturating_sub(8 + 6 + 12 + 5 + 6 + 5).max(4);
    let head = cells(&[
        (t.f_name, 8),
        (d.f_kind, 6),
        (d.f_span, 12),
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
        let span = crate::i18n::span(ctx.lang, l.from, l.to, ctx.today.date);
        let days = format!("{} {}", l.working_days(&ctx.cal), d.days);
        // the 审批 column says who decided and how; a request waiting for
        // a decision has none yet (its 事由 is in the details below)
        let decision = match l.decided_by {
            Some(w) => format!("{} {}", ctx.worker_name(Some(w)), l.decision_note),
            None => String::new(),
        };
        let text = cells(&[
            (ctx.worker_name(Some(l.worker)), 8),
            (crate::i18n::duties::leave_kind(ctx.lang, l.kind), 6),
            (&span, 12),
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
                "{} {} {}{range}{} {} {}",
                ctx.worker_name(Some(l.worker)),
                crate::i18n::duties::leave_kind(ctx.lang, l.kind),
                l.from,
                l.to,
                fill(d.working_days_n, l.working_days(&ctx.cal)),
                crate::i18n::duties::leave_status(ctx.lang, l.status)
            ),
            th.title,
        ));
        if !l.reason.is_empty() {
            out.push((format!("{}{colon}{}", d.f_reason, l.reason), th.base));
        }
        if let (Some(by), Some(at)) = (l.decided_by, l.decided_at) {
            out.push((
                format!(
                    "{}{colon}{} {} {}",
                    d.f_decision,
                    ctx.worker_name(Some(by)),
                    at.format("%Y-%m-%d %H:%M"),
                    l.decision_note
                ),
                th.base,
            ));
        }
        if let Some(r) = l.returned {
            let over = l.overstayed(&ctx.cal);
            let mut s = format!("{}{colon}{}", d.returned_on, r);
            if over > 0 {
                s.push_str(&format!("  !{}", fill(d.overstayed_n, over)));
            }
            out.push((s, if over > 0 { th.warn } else { th.base }));
        }
        let clashes = l.clashes(&p.slots_for_leave);
        if !clashes.is_empty() && matches!(l.status, LeaveStatus::Requested | LeaveStatus::Approved) {
            let days: Vec<String> = clashes.iter().map(|x| x.format("%m-%d").to_string()).collect();
            out.push((format!("! {}", fill(d.leave_clash, days.join(ctx.lang.volunteers().list_sep))), th.overdue));
        }
        let totals = year_totals(&p.leaves, l.worker, p.year, &ctx.cal);
        if !totals.is_empty() {
            let s: Vec<String> = totals
                .iter()
                .map(|(k, n)| format!("{} {} {}", crate::i18n::duties::leave_kind(ctx.lang, *k), n, d.days))
                .collect();
            out.push((format!("{}{colon}{}", d.year_taken, s.join(" ")), th.dim));
        }
    }
    detail(det, buf, ctx, &out);
}

impl DutiesPanel {
    pub(super) fn load_leave(&mut self, sh: &mut Shared) -> crate::store::Result<()> {
        let y = self.year;
        let (Some(first), Some(last)) = (NaiveDate::from_ymd_opt(y, 1, 1), NaiveDate::from_ymd_opt(y, 12, 31)) else {
            return Ok(());
        };
        let keep = self.focus_leave.take().or(self.selected_leave().map(|l| l.id));
        let mut leaves: Vec<Leave> =
            sh.store.all::<Leave>()?.into_iter().filter(|l| l.from <= last && l.to >= first).collect();
        leaves.sort_by_key(|l| (l.status != LeaveStatus::Requested, std::cmp::Reverse(l.from), l.id));
        self.slots_for_leave = sh.store.rota_between(first, last + Days::new(62))?;
        self.leaves = leaves;
        let n = self.leaves.len();
        let sel = keep.and_then(|id| self.leaves.iter().position(|l| l.id == id));
        self.leave_list.to(sel.unwrap_or(self.leave_list.sel), n);
        Ok(())
    }

    pub(super) fn open_leave_form(&mut self, sh: &mut Shared) {
        let Some(op) = sh.need_operator_worker() else { return };
        let d = sh.lang.duties();
        let lang = sh.lang;
        // a leader may record leave for anyone; a worker for themself
        let who: Vec<&Worker> = if op.is_leader() {
            sh.workers.iter().filter(|w| w.active).collect()
        } else {
            sh.workers.iter().filter(|w| w.id == op.id).collect()
        };
        let names: Vec<String> = who.iter().map(|w| w.name.clone()).collect();
        let subject = self.subject(sh.operator).unwrap_or(op.id);
        let sel = who.iter().position(|w| w.id == subject).unwrap_or(0);
        let kinds: Vec<String> =
            LeaveKind::ALL.iter().map(|k| i18n::duties::leave_kind(lang, *k).to_string()).collect();
        let from = sh.cal.add_working_days(sh.today.date, 1);
        let fields = vec![
            Field::choice("worker", d.worker, names, sel),
            Field::choice("kind", d.f_kind, kinds, 0),
            Field::text("from", d.f_from, &from.to_string(), true),
            Field::text("to", d.f_to, &from.to_string(), true),
            Field::text("reason", d.f_reason, "", false),
        ];
        let form = Form::new(d.new_leave, fields);
        let mut f = FormLayer::new(form, |form, sh, panels| panels.duties.save_leave(sh, form))
            .on_change(|form, sh, _| leave_form_changed(sh, form));
        leave_form_changed(sh, &mut f.form);
        sh.open(f.layer());
    }

    pub(super) fn leave_form_worker(&self, sh: &Shared, form: &Form) -> Option<WorkerId> {
        let name = form.choice_text("worker");
        sh.workers.iter().find(|w| w.name == name && w.active).map(|w| w.id)
    }

    pub(super) fn save_leave(&mut self, sh: &mut Shared, form: &Form) -> Result<(), String> {
        let d = sh.lang.duties();
        let Some(op) = sh.need_operator_worker() else { return Ok(()) };
        let t = sh.lang.t();
        let from = form.date_needed("from", sh.today.date, t.bad_date)?;
        let to = form.date_needed("to", sh.today.date, t.bad_date)?;
        if to < from {
            return Err(d.e_leave_reversed.into());
        }
        let worker = self.leave_form_worker(sh, form).unwrap_or(op.id);
        let kind = LeaveKind::ALL[form.choice("kind").min(LeaveKind::ALL.len() - 1)];
        let now = sh.now();
        let l = Leave::new(LeaveId(0), worker, kind, from, to, &form.text("reason"), now);
        let others = sh.store.leaves_of(worker).map_err(|e| i18n::store_error(sh.lang, &e))?;
        if l.validate(&others).is_err() {
            return Err(d.e_leave_overlap.into());
        }
        let l = sh.store.create_leave(&l, op.id, now).map_err(|e| i18n::store_error(sh.lang, &e))?;
        sh.info(fill(d.leave_requested, l.working_days(&sh.cal)));
        self.focus_leave = Some(l.id);
        self.year = l.from.year();
        self.stale = true;
        Ok(())
    }

    /// The leave view, with this leave selected (its year shown).
    pub(super) fn show_leave(&mut self, sh: &mut Shared, id: LeaveId) {
        if let Ok(Some(l)) = sh.store.get::<Leave>(id.0) {
            self.year = l.from.year();
        }
        self.view = View::Leave;
        self.focus_leave = Some(id);
        self.stale = true;
    }

    pub(super) fn open_leave_decide(&mut self, sh: &mut Shared) {
        let range = sh.lang.t().range;
        let Some(l) = self.selected_leave().cloned() else { return };
        let Some(op) = sh.need_operator_worker() else { return };
        let d = sh.lang.duties();
        if l.status != LeaveStatus::Requested {
            sh.fail(d.e_leave_decided);
            return;
        }
        if !sh.workers.iter().any(|w| w.active && w.is_leader()) {
            // a new office that has not entered its 书记 or 主任 yet
            sh.fail(d.e_no_approver_yet);
            return;
        }
        if !may_decide(&op, &l, &sh.workers) {
            sh.fail(d.e_not_approver);
            return;
        }
        let options = vec![d.approve.to_string(), d.refuse.to_string()];
        let fields =
            vec![Field::choice("decision", d.f_decision, options, 0), Field::text("note", d.f_note, "", false)];
        let title = format!(
            "{} · {} {} {}{range}{}",
            d.decide_leave,
            sh.worker_name(Some(l.worker)),
            i18n::duties::leave_kind(sh.lang, l.kind),
            l.from.format("%m-%d"),
            l.to.format("%m-%d")
        );
        let mut form = Form::new(&title, fields);
        let clashes = l.clashes(&self.slots_for_leave);
        form.warning = Some(if clashes.is_empty() {
            fill(d.working_days_n, l.working_days(&sh.cal))
        } else {
            let days: Vec<String> = clashes.iter().map(|x| x.format("%m-%d").to_string()).collect();
            fill(d.leave_clash, days.join(sh.lang.volunteers().list_sep))
        });
        let id = l.id;
        // decided on what the form shows: another leader's decision, or the
        // worker withdrawing, meanwhile refuses it with their name
        let layer = FormLayer::new(form, move |form, sh, panels| panels.duties.save_leave_decision(sh, form, id));
        sh.open(layer.editing(crate::store::record::RecordKind::Leave, id.0, &sh.store).layer());
    }

    pub(super) fn move_leave(&mut self, sh: &mut Shared, id: LeaveId, mv: LeaveMove) -> Result<Leave, String> {
        let Some(op) = sh.need_operator_worker() else { return Err(sh.lang.t().no_operator.into()) };
        let now = sh.now();
        let l = sh.store.move_leave(id, mv, &op, &sh.workers, now).map_err(|e| i18n::store_error(sh.lang, &e))?;
        self.stale = true;
        self.refresh_on_duty(sh);
        Ok(l)
    }

    pub(super) fn open_leave_close(&mut self, sh: &mut Shared) {
        let Some(l) = self.selected_leave().cloned() else { return };
        let d = sh.lang.duties();
        if l.status != LeaveStatus::Approved {
            sh.fail(d.e_leave_not_approved);
            return;
        }
        let back = if l.from > sh.today.date { l.to.succ_opt().unwrap_or(l.to) } else { sh.today.date };
        let form = Form::new(
            &format!("{} · {}", d.close_leave, sh.worker_name(Some(l.worker))),
            vec![Field::text("returned", d.returned_on, &back.to_string(), true)],
        );
        let id = l.id;
        let layer = FormLayer::new(form, move |form, sh, panels| panels.duties.save_leave_close(sh, form, id));
        sh.open(layer.editing(crate::store::record::RecordKind::Leave, id.0, &sh.store).layer());
    }

    pub(super) fn save_leave_decision(&mut self, sh: &mut Shared, form: &Form, id: LeaveId) -> Result<(), String> {
        let d = sh.lang.duties();
        let note = form.text("note");
        let mv = if form.choice("decision") == 0 { LeaveMove::Approve(note) } else { LeaveMove::Refuse(note) };
        let approve = matches!(mv, LeaveMove::Approve(_));
        let l = self.move_leave(sh, id, mv)?;
        let clashes = l.clashes(&self.slots_for_leave);
        if approve && !clashes.is_empty() {
            let days: Vec<String> = clashes.iter().map(|x| x.format("%m-%d").to_string()).collect();
            sh.fail(fill(d.approved_with_clash, days.join(sh.lang.volunteers().list_sep)));
        } else {
            sh.info(if approve { d.approved } else { d.refused });
        }
        Ok(())
    }

    pub(super) fn save_leave_close(&mut self, sh: &mut Shared, form: &Form, id: LeaveId) -> Result<(), String> {
        let d = sh.lang.duties();
        let back = form.date_needed("returned", sh.today.date, sh.lang.t().bad_date)?;
        let l = self.leaves.iter().find(|l| l.id == id).cloned();
        if l.is_some_and(|l| back <= l.from) {
            return Err(d.e_return_too_early.into());
        }
        let l = self.move_leave(sh, id, LeaveMove::Close(back))?;
        sh.info(fill(d.leave_closed, l.working_days(&sh.cal)));
        Ok(())
    }

    pub(super) fn withdraw_leave(&mut self, sh: &mut Shared, id: LeaveId) {
        match self.move_leave(sh, id, LeaveMove::Withdraw) {
            Ok(_) => sh.info(sh.lang.duties().leave_withdrawn),
            Err(msg) => sh.fail(msg),
        }
    }
}

/// The leave form counts working days as the dates are typed.
pub(super) fn leave_form_changed(sh: &mut Shared, form: &mut Form) {
    let d = sh.lang.duties();
    let today = sh.today.date;
    let from = parse_date(&form.text("from"), today);
    let to = parse_date(&form.text("to"), today);
    form.warning = match (from, to) {
        (Some(a), Some(b)) if b >= a => Some(fill(d.working_days_n, sh.cal.working_days_between(a, b))),
        (Some(_), Some(_)) => Some(d.e_leave_reversed.to_string()),
        _ => None,
    };
}
