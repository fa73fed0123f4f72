//! The daily-log view (民情日志): a worker's (or everybody's) entries for a
//! month, or the hits of a search over all entries, with the selected entry
//! in full below: residents with their addresses, what was found, what
//! follows, the request it became, and the leaders' comments (点评).

use super::prelude::*;
pub fn render(p: &mut DutiesPanel, area: Rect, buf: &mut Buffer, ctx: &Ctx) -> Option<Position> {
    let colon = ctx.lang.t().colon;
    let t = ctx.lang.t();
    let d = ctx.lang.duties();
    let th = ctx.theme;
    let mut cursor = None;
    // top line: the search, or what is listed
    let who = if p.log_all { d.everybody.to_string() } else { ctx.worker_name(p.subject(ctx.operator)).to_string() };
    let count = fill(t.shown_of, p.log_hits.len());
    let searching = p.log_searching || !p.log_search.is_empty();
    if searching {
        let label = format!("{}{colon}", t.search);
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
    let name_w = if show_worker { 8 } else { 0 };
    let res_w = if body.width >= 100 { 16 } else { 10 };
    // a search spans years: a date of another year shows it
    let date_w = if searching { 10 } else { 5 };
    let kind_w = if ctx.lang == crate::i18n::Lang::En { 7 } else { 4 };
    let marks_w = 13;
    let found_w = (body.width as usize).saturating_sub(date_w + kind_w + name_w + res_w + marks_w + 6).max(8);
    let head = cells(&[
        (t.col_date, date_w),
        (d.f_kind, kind_w),
        (d.worker, name_w),
        (t.col_resident, res_w),
        (d.f_found, found_w),
        (d.marks, marks_w),
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
            idx.residents_of(r).iter().filter_map(|id| ctx.index.resident(*id)).map(|x| x.name).collect::<Vec<_>>();
        let mut marks: Vec<&str> = Vec::new();
        if r.request {
            marks.push(d.mark_request);
        }
        if r.comments > 0 {
            marks.push(d.mark_comment);
        }
        let marks = marks.join(ctx.lang.volunteers().list_sep);
        let date = crate::i18n::day(r.date, ctx.today.date);
        let text = cells(&[
            (&date, date_w),
            (crate::i18n::duties::log_kind(ctx.lang, r.kind), kind_w),
            (ctx.worker_name(Some(r.worker)), name_w),
            (&names.join("、"), res_w),
            (idx.found_of(r), found_w),
            (&marks, marks_w),
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
            "{} {} {}  {}{colon}{}",
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
            .map(|id| match ctx.index.resident(*id) {
                Some(r) => format!("{} {}", r.name, r.address),
                None => format!("#{}", id.0),
            })
            .collect();
        out.extend(wrap(&format!("{}{colon}{}", t.col_resident, rs.join("；")), w).into_iter().map(|l| (l, th.base)));
    }
    out.extend(wrap(&format!("{}{colon}{}", d.f_found, e.found), w).into_iter().map(|l| (l, th.base)));
    if !e.follow_up.is_empty() {
        out.extend(wrap(&format!("{}{colon}{}", d.f_follow_up, e.follow_up), w).into_iter().map(|l| (l, th.base)));
    }
    match e.request {
        Some(r) => out.push((fill(d.became_request, r), th.ok)),
        None => out.push((d.to_request_hint.to_string(), th.dim)),
    }
    for c in &e.comments {
        let text =
            format!("{} {} {}{colon}{}", d.comment, ctx.worker_name(Some(c.by)), c.at.format("%m-%d %H:%M"), c.text);
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

impl DutiesPanel {
    pub(super) fn load_log(&mut self, sh: &mut Shared) -> crate::store::Result<()> {
        self.ensure_log_index(sh)?;
        self.refilter_log(sh);
        Ok(())
    }

    /// Lists the month (or the search hits), keeping the selected entry.
    pub fn refilter_log(&mut self, sh: &mut Shared) {
        let keep = self.selected_log();
        let who = if self.log_all { None } else { self.subject(sh.operator) };
        let q = text::clean_input(&self.log_search.value(), false);
        let Some(idx) = self.log.as_ref() else { return };
        let (y, m) = self.month;
        self.log_hits =
            if q.is_empty() { idx.month(who, y, m) } else { idx.search(&q, who, &sh.workers, sh.index.residents()) };
        let pos = keep.and_then(|id| idx.position(id)).and_then(|i| self.log_hits.iter().position(|&h| h == i));
        let n = self.log_hits.len();
        self.log_list.to(pos.unwrap_or(0), n);
        self.load_log_detail(sh);
    }

    pub(super) fn load_log_detail(&mut self, sh: &mut Shared) {
        let id = self.selected_log();
        if self.log_detail.as_ref().map(|e| e.id) == id {
            return;
        }
        self.log_detail = match id.map(|id| sh.store.log_entry(id)) {
            Some(Ok(e)) => e,
            Some(Err(e)) => {
                sh.error(&e);
                None
            }
            None => None,
        };
    }

    /// The daily-log form: today, 走访, the residents (looked up, several
    /// may be added), what was found, what follows, and whether to make a
    /// request of it right away.
    pub fn open_log_form(&mut self, sh: &mut Shared, existing: Option<&LogEntry>, resident: Option<ResidentId>) {
        let Some(op) = sh.need_operator_worker() else { return };
        let d = sh.lang.duties();
        let lang = sh.lang;
        let kinds: Vec<String> = LogKind::ALL.iter().map(|k| i18n::duties::log_kind(lang, *k).to_string()).collect();
        // the entry as stored now (a colleague may have changed it, or
        // commented on it, since the log was read): what the form shows
        // and checks against
        let entry = existing.map(|e| sh.store.log_entry(e.id).ok().flatten().unwrap_or_else(|| e.clone()));
        self.log_residents = match &entry {
            Some(e) => e.residents.iter().map(|r| (*r, self.resident_label(sh, *r))).collect(),
            None => resident.map(|r| (r, self.resident_label(sh, r))).into_iter().collect(),
        };
        let shown = self.log_residents.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join("、");
        let first = self.log_residents.first().map_or(0, |(r, _)| r.0);
        let date = entry.as_ref().map_or(sh.today.date, |e| e.date).to_string();
        let kind = entry.as_ref().map_or(0, |e| LogKind::ALL.iter().position(|k| *k == e.kind).unwrap_or(0));
        let mut fields = vec![
            Field::text("date", d.f_date, &date, true),
            Field::choice("kind", d.f_kind, kinds, kind),
            Field::lookup("resident", sh.lang.t().col_resident, &shown, first, d.residents_placeholder),
            Field::text("found", d.f_found, entry.as_ref().map_or("", |e| &e.found), true),
            Field::text("follow_up", d.f_follow_up, entry.as_ref().map_or("", |e| &e.follow_up), false),
        ];
        if entry.is_none() {
            fields.push(Field::choice("to_request", d.f_to_request, yes_no(lang), NO));
        }
        let title = match &entry {
            Some(e) => format!("{} #{}", d.edit_log, e.id.0),
            None => format!("{} · {}", d.new_log, op.name),
        };
        let mut form = Form::new(&title, fields);
        form.warning = Some(d.log_form_hint.to_string());
        if resident.is_some() {
            form.focus_on("found");
        } else if entry.is_none() {
            form.focus_on("kind");
        }
        let id = entry.map(|e| e.id);
        let mut layer = FormLayer::new(form, move |form, sh, panels| panels.duties.save_log(sh, form, id))
            .on_change(|form, sh, panels| panels.duties.log_form_changed(sh, form))
            .on_lookup(|key, _, sh, _| open_resident_lookup_as(sh, key, None));
        if let Some(id) = id {
            layer = layer.editing(crate::store::record::RecordKind::LogEntry, id.0, &sh.store);
        }
        sh.open(layer.layer());
    }

    pub(super) fn resident_label(&self, sh: &Shared, r: ResidentId) -> String {
        sh.index
            .resident(r)
            .map(|x| x.name.to_string())
            .or_else(|| sh.store.resident(r).ok().flatten().map(|x| x.name))
            .unwrap_or_else(|| format!("#{}", r.0))
    }

    pub(super) fn save_log(&mut self, sh: &mut Shared, form: &Form, existing: Option<LogId>) -> Result<(), String> {
        let d = sh.lang.duties();
        let Some(op) = sh.need_operator_worker() else { return Ok(()) };
        let date = form.date_needed("date", sh.today.date, sh.lang.t().bad_date)?;
        if date > sh.today.date {
            return Err(d.e_future_date.into());
        }
        let kind = LogKind::ALL[form.choice("kind").min(LogKind::ALL.len() - 1)];
        let residents: Vec<ResidentId> = self.log_residents.iter().map(|(r, _)| *r).collect();
        let found = text::clean_input(&form.text("found"), true);
        let follow_up = form.text("follow_up");
        let now = sh.now();
        let saved = match existing {
            Some(id) => sh.store.change_log(id, op.id, now, |e| {
                e.date = date;
                e.kind = kind;
                e.residents = residents.clone();
                e.found = found.clone();
                e.follow_up = follow_up.clone();
                Ok(())
            }),
            None => {
                let e = LogEntry {
                    id: LogId(0),
                    worker: op.id,
                    date,
                    kind,
                    residents,
                    found,
                    follow_up,
                    request: None,
                    comments: Vec::new(),
                    logged_at: now,
                };
                sh.store.create_log(&e, op.id, now)
            }
        };
        let e = saved.map_err(|e| i18n::store_error(sh.lang, &e))?;
        sh.info(fill(d.saved_log, e.date));
        if existing.is_none() && form.choice("to_request") != NO {
            self.open_request_from(sh, &e);
        }
        Ok(())
    }

    /// The entry `id` changed on disk (`None`: it is gone): the log in
    /// memory follows (or notes it, while the log is still being read).
    pub(super) fn log_changed_to(&mut self, id: u64, e: Option<LogEntry>) {
        let shown = self.log_detail.as_ref().is_some_and(|x| x.id.0 == id);
        match self.log.as_mut() {
            Some(idx) => match &e {
                Some(e) => idx.upsert(e),
                None => idx.remove(id),
            },
            None => self.log_changed.push(LogId(id)),
        }
        if shown {
            self.log_detail = e;
        }
    }

    pub(super) fn selected_entry(&mut self, sh: &mut Shared) -> Option<LogEntry> {
        if self.view != View::Log {
            return None;
        }
        let e = self.log_detail.clone();
        if e.is_none() {
            sh.info(sh.lang.t().nothing_selected);
        }
        e
    }

    pub(super) fn log_to_request(&mut self, sh: &mut Shared) {
        if let Some(e) = self.selected_entry(sh) {
            if let Some(r) = e.request {
                sh.fail(fill(sh.lang.duties().e_already_request, r));
                return;
            }
            self.open_request_from(sh, &e);
        }
    }

    /// The request form, pre-filled from the entry; saving it links the
    /// request to the entry and assigns it to the entry's worker.
    pub(super) fn open_request_from(&mut self, sh: &mut Shared, e: &LogEntry) {
        let Ok(draft) = e.draft_request() else { return };
        let resident = draft.resident.map(|r| (r, self.resident_label(sh, r)));
        let lang = sh.lang;
        let mut form = crate::ui::requests::forms::request_form(sh, None, resident);
        set_choice(&mut form, "channel", i18n::channel(lang, draft.channel));
        set_text(&mut form, "title", &draft.title);
        set_text(&mut form, "description", &draft.description.replace('\n', " "));
        if let Some(r) = draft.resident.and_then(|r| sh.index.resident(r)) {
            set_text(&mut form, "location", r.address);
        }
        form.title = format!("{} ← {} #{}", form.title, lang.duties().log_title, e.id.0);
        form.focus_on("category");
        form.dirty = true;
        let log = e.id;
        let layer = crate::ui::requests::forms::request_layer(sh, form, None, move |form, sh, panels| {
            save_request_from_log(form, log, sh, panels)
        });
        sh.open(layer);
    }

    pub(super) fn open_comment_form(&mut self, sh: &mut Shared) {
        let Some(e) = self.selected_entry(sh) else { return };
        let Some(op) = sh.need_operator_worker() else { return };
        let d = sh.lang.duties();
        if !op.is_leader() {
            sh.fail(d.e_not_leader_comment);
            return;
        }
        let form = Form::new(
            &format!("{} #{} {}", d.comment, e.id.0, sh.worker_name(Some(e.worker))),
            vec![Field::text("text", d.comment, "", true)],
        );
        let id = e.id;
        sh.open(FormLayer::new(form, move |form, sh, panels| panels.duties.save_comment(sh, form, id)).layer());
    }

    pub(super) fn save_comment(&mut self, sh: &mut Shared, form: &Form, id: LogId) -> Result<(), String> {
        let d = sh.lang.duties();
        let Some(op) = sh.need_operator_worker() else { return Ok(()) };
        let text = form.text("text");
        let now = sh.now();
        sh.store
            .change_log(id, op.id, now, |e| {
                e.add_comment(&op, now, &text).map_err(|_| d.e_not_leader_comment.to_string())
            })
            .map_err(|e| sh.store_msg(&e))?;
        sh.info(sh.lang.t().saved);
        Ok(())
    }

    /// The log form's 居民 field collects residents: each one picked is
    /// added, clearing the field clears them all.
    pub(super) fn log_form_changed(&mut self, _sh: &mut Shared, form: &mut Form) {
        let id = form.lookup("resident");
        let shown = match &form.fields.iter().find(|f| f.key == "resident").map(|f| &f.kind) {
            Some(FieldKind::Lookup { shown, .. }) => shown.clone(),
            _ => String::new(),
        };
        if id == 0 {
            self.log_residents.clear();
        } else if !self.log_residents.iter().any(|(r, _)| r.0 == id) {
            self.log_residents.push((ResidentId(id), shown));
        }
        let joined = self.log_residents.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join("、");
        let first = self.log_residents.last().map_or(0, |(r, _)| r.0);
        form.set_lookup("resident", &joined, first);
    }
}

/// Saves the request made from a log entry, links it to the entry, and
/// gives it to the entry's worker (until a leader reassigns).
pub(super) fn save_request_from_log(
    form: &Form,
    log: LogId,
    sh: &mut Shared,
    panels: &mut Panels,
) -> Result<(), String> {
    let Some(r) = crate::ui::requests::forms::save(form, None, sh, panels)? else { return Ok(()) };
    let Some(op) = sh.operator else { return Ok(()) };
    let now = sh.now();
    let e = sh
        .store
        .change_log(log, op, now, |e| {
            e.request = Some(r.id);
            Ok(())
        })
        .map_err(|e| sh.store_msg(&e))?;
    match sh.store.move_request(r.id, &Move::Assign(e.worker), op, now, &sh.cats, &sh.cal) {
        Ok(r) => {
            crate::ui::requests::forms::saved_here(&r, sh, panels);
            let who = sh.worker_name(Some(e.worker)).to_string();
            sh.info(fill(sh.lang.duties().request_from_log, format!("{} → {who}", r.id)));
        }
        Err(e) => sh.error(&e),
    }
    Ok(())
}
