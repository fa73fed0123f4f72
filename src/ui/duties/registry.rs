//! The registry view (分工): every worker's post, grade, grid, areas of
//! responsibility, phone (masked until revealed) and status, with the
//! selected worker's standing duties below. This is what the public notice
//! of the division of labour (分工公示) is exported from.

use super::prelude::*;
pub fn render(p: &mut DutiesPanel, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let (po, pc) = (ctx.lang.t().paren_open, ctx.lang.t().paren_close);
    let colon = ctx.lang.t().colon;
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
    let from = p.registry_list.visible_from(list_h, n);
    for (i, w) in ctx.workers.iter().enumerate().skip(from).take(list_h) {
        let y = area.y + 1 + (i - from) as u16;
        let phone = if p.registry_revealed == Some(w.id) { w.phone.clone() } else { mask::phone(&w.phone) };
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
        let mark = if Some(w.id) == ctx.operator { "* " } else { "  " };
        let style = if i == p.registry_list.sel {
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
    let Some(w) = ctx.workers.get(p.registry_list.sel) else { return };
    let mut out: Vec<String> = Vec::new();
    let start = match (w.start, w.years_of_service(ctx.today.date)) {
        (Some(s), Some(y)) => format!("{}{colon}{}{po}{}{pc}", d.f_start, s, crate::i18n::duties::years(ctx.lang, y)),
        _ => format!("{}:-", d.f_start),
    };
    out.push(format!("{}  {}  {start} {po}{}{pc}", w.name, w.post, t.masked_hint));
    let duties: Vec<&str> =
        p.all_duties.iter().filter(|x| x.worker == w.id && x.active).map(|x| x.title.as_str()).collect();
    if duties.is_empty() {
        out.push(format!("{}{colon}{}", d.standing, d.no_duties));
    } else {
        out.push(format!("{}{colon}{}", d.standing, duties.join("；")));
    }
    for (i, l) in out.iter().enumerate() {
        if i as u16 >= inner.height {
            break;
        }
        line(buf, inner.x, inner.y + i as u16, inner.width, l, if i == 0 { th.title } else { th.base });
    }
}

/// The worker form (the first worker at the welcome, `+` in the operator
/// picker, `n`/`e` in the registry): the foundation's fields and grade,
/// areas, start date and status.
pub fn open_worker_form(sh: &mut Shared, grades: &Grades, existing: Option<&Worker>) {
    // the worker as stored now (a colleague may have changed them since
    // this window's list was read): what the form shows and checks against
    let fresh = existing.map(|w| sh.store.worker(w.id).ok().flatten().unwrap_or_else(|| w.clone()));
    let existing = fresh.as_ref();
    let t = sh.lang.t();
    let label = |key: &str| crate::i18n::fields::label(sh.lang, crate::store::record::RecordKind::Worker, key);
    let d = sh.lang.duties();
    let lang = sh.lang;
    let posts: Vec<String> = POSTS.iter().map(|s| s.to_string()).collect();
    let mut choices: Vec<String> = std::iter::once(d.ungraded.to_string()).chain(grades.list.iter().cloned()).collect();
    if let Some(w) = existing
        && !w.grade.is_empty()
        && !choices.contains(&w.grade)
    {
        choices.push(w.grade.clone());
    }
    let statuses: Vec<String> =
        WorkerStatus::ALL.iter().map(|s| i18n::duties::worker_status(lang, *s).to_string()).collect();
    let blank = Worker::new(WorkerId(0), "", "网格员");
    let w = existing.unwrap_or(&blank);
    let fields = vec![
        Field::text("name", &label("name"), &w.name, true),
        Field::choice("post", &label("post"), posts.clone(), posts.iter().position(|p| *p == w.post).unwrap_or(0)),
        Field::choice(
            "grade",
            &label("grade"),
            choices.clone(),
            choices.iter().position(|g| *g == w.grade).unwrap_or(0),
        ),
        Field::phone("phone", &label("phone"), &w.phone),
        Field::text("grid", &label("grid"), &w.grid, false),
        Field::text("areas", &label("areas"), &w.areas.join("、"), false),
        Field::text("start", &label("start"), &w.start.map(|s| s.to_string()).unwrap_or_default(), false),
        Field::choice(
            "status",
            &label("status"),
            statuses,
            WorkerStatus::ALL.iter().position(|s| *s == w.status).unwrap_or(0),
        ),
    ];
    let title = if existing.is_some() { t.edit_worker } else { t.new_worker };
    let mut form = Form::new(title, fields);
    // a few of the usual areas as examples: the whole list ran past the
    // three lines a form gives its hint at 80 columns
    let mut hint = fill(d.areas_hint, crate::domain::worker::AREAS[..8].join("、"));
    if let Some(bands) = band_hint(sh.lang, grades) {
        hint = format!("{bands}\n{hint}");
    }
    form.warning = Some(hint);
    let id = existing.map(|w| w.id);
    let mut layer = FormLayer::new(form, move |form, sh, panels| save_worker(form, id, sh, panels));
    if let Some(id) = id {
        use crate::store::record::RecordKind;
        layer = layer.revealing(RecordKind::Worker, id.0, lang).editing(RecordKind::Worker, id.0, &sh.store);
    }
    sh.open(layer.layer());
}

/// 正职：7–18级；副职：4–15级；其他：1–12级 (as `grades.txt` says).
fn band_hint(lang: crate::i18n::Lang, grades: &Grades) -> Option<String> {
    let p = lang.practice();
    let label = |i: usize| grades.list.get(i.saturating_sub(1)).cloned().unwrap_or_default();
    let parts: Vec<String> = grades
        .bands
        .iter()
        .map(|b| {
            let (a, z) = (label(b.from), label(b.to));
            // `7级–18级` reads better as `7–18级` when both end alike
            let a = match (a.strip_suffix('级'), z.ends_with('级')) {
                (Some(short), true) => short.to_string(),
                _ => a,
            };
            crate::i18n::fill_all(p.grade_band, &[&b.name, &a, &z])
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("；"))
}

/// Saves the worker form in one write. The first worker (or one added
/// from the operator picker with nobody at the keyboard) is the operator.
fn save_worker(form: &Form, existing: Option<WorkerId>, sh: &mut Shared, panels: &mut Panels) -> Result<(), String> {
    let t = sh.lang.t();
    let phone = mask::normalize_phone(&form.text("phone")).map_err(|_| t.bad_phone.to_string())?;
    crate::ui::shared::check_name(sh.lang, &form.text("name"))?;
    let start = form.date("start", sh.today.date, t.bad_date)?;
    let now = sh.now();
    let by = sh.operator;
    // the worker as stored (not this window's list, which a colleague's
    // save may have left behind): the fields the form does not hold stay
    let stored = |id: WorkerId| sh.store.worker(id).ok().flatten().or_else(|| sh.worker(id).cloned());
    let mut w = existing.and_then(stored).unwrap_or_else(|| Worker::new(WorkerId(0), "", ""));
    w.name = form.text("name");
    w.post = form.choice_text("post");
    w.grade = if form.choice("grade") == 0 { String::new() } else { form.choice_text("grade") };
    let grades = &panels.duties.grades;
    if !grades.allows(&w.post, &w.grade) {
        let band = grades
            .band_of(&w.post)
            .map(|b| format!("{} {}–{}", b.name, grades.list[b.from - 1], grades.list[b.to - 1]))
            .unwrap_or_default();
        return Err(fill(sh.lang.practice().e_grade_out_of_band, band));
    }
    w.phone = phone;
    w.grid = form.text("grid");
    w.areas = parse_areas(&form.text("areas"));
    w.start = start;
    w.set_status(WorkerStatus::ALL[form.choice("status").min(WorkerStatus::ALL.len() - 1)]);
    let w = match existing {
        Some(_) => sh.store.update_worker(&w, by.unwrap_or(w.id), now).map(|_| w),
        None => sh.store.create_worker_from(&w, by, now),
    }
    .map_err(|e| sh.store_msg(&e))?;
    panels.sync(sh);
    if sh.operator.is_none() {
        sh.operator = Some(w.id);
        let _ = sh.store.set_last_operator(w.id);
    }
    if let Some(i) = sh.workers.iter().position(|x| x.id == w.id) {
        panels.duties.registry_list.sel = i;
    }
    // the first worker of a first start: say where the community profile
    // is filled in, if nobody has yet (no form here: the first start stays
    // the keys it is)
    let first = sh.workers.len() == 1 && existing.is_none();
    let template = if first && sh.store.profile().is_ok_and(|p| p.is_empty()) {
        sh.lang.sheets().profile_after_first
    } else {
        t.saved_named
    };
    sh.info(crate::i18n::fill_all(
        template,
        &[&crate::i18n::fields::kind_name(sh.lang, crate::store::record::RecordKind::Worker), &w.name],
    ));
    Ok(())
}

impl DutiesPanel {
    pub(super) fn export_notice(&mut self, sh: &mut Shared) {
        let duties = match sh.store.all::<Duty>() {
            Ok(d) => d,
            Err(e) => return sh.error(&e),
        };
        let profile = sh.store.profile().unwrap_or_default();
        let sheet = crate::files::printable::Notice {
            settings: &self.settings,
            profile: &profile,
            workers: &sh.workers,
            duties: &duties,
            date: sh.today.date,
            lang: sh.lang,
        };
        let stem = format!("{}_{}", sh.lang.duties().notice_file, sh.today.date);
        self.write_export(sh, &stem, &sheet.html(), &sheet.text());
    }

    pub(super) fn write_export(&mut self, sh: &mut Shared, stem: &str, html: &str, text: &str) {
        match crate::files::printable::write(sh.store.dir(), stem, html, text) {
            Ok(path) => sh.info(fill(sh.lang.duties().exported, path.with_extension("").display())),
            Err(e) => sh.error(&crate::store::StoreError::from_io(&e)),
        }
    }
}
