//! 培训 and 考评: training days and monthly study against the requirement,
//! and the yearly evaluation beside figures from the records.

use super::prelude::*;
use super::{detail, split};

pub(super) fn months_line(studied: &[u32], missing: &[u32]) -> String {
    (1..=12u32)
        .map(|m| {
            if studied.contains(&m) {
                '●'
            } else if missing.contains(&m) {
                '○'
            } else {
                '·'
            }
        })
        .collect()
}

pub(super) fn bar(done: u32, of: u32, cols: usize) -> String {
    let filled = if of == 0 { cols } else { ((done as usize * cols) / of as usize).min(cols) };
    format!("{}{}", "█".repeat(filled), "░".repeat(cols - filled))
}

pub fn render_training(p: &mut DutiesPanel, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let t = ctx.lang.t();
    let d = ctx.lang.duties();
    let th = ctx.theme;
    let title = format!(
        "{} · {} · {}",
        d.training_title,
        crate::i18n::duties::year_title(ctx.lang, p.year),
        fill(d.training_rule, p.settings.training_days)
    );
    line(buf, area.x, area.y, area.width, &title, th.title);
    let (list, det) = split(area, 6);
    let head = cells(&[(t.f_name, 8), (d.training_days, 9), (d.progress, 7), (d.study_months, 12), (d.f_status, 8)]);
    line(buf, list.x, list.y, list.width, &head, th.column_head);
    let height = list.height.saturating_sub(1) as usize;
    p.list_height = height.max(1);
    let people: Vec<&crate::domain::Worker> = ctx.workers.iter().filter(|w| w.active).collect();
    let from = p.people_list.visible_from(height, people.len());
    let today = ctx.today.date;
    for (n, w) in people.iter().enumerate().skip(from).take(height) {
        let y = list.y + 1 + (n - from) as u16;
        let since = ctx.judged_since(w);
        let pr =
            progress(p.trainings.iter().filter(|r| r.worker == w.id), p.year, today, p.settings.training_days, since);
        let days = format!("{}/{}", half_days_text(pr.half_days), half_days_text(pr.required_half_days));
        let status = if pr.behind() {
            format!("! {}", d.behind)
        } else if pr.training_done() {
            d.done.to_string()
        } else {
            d.on_track.to_string()
        };
        let text = cells(&[
            (&w.name, 8),
            (&days, 9),
            (&bar(pr.half_days, pr.required_half_days, 7), 7),
            (&months_line(&pr.study_months, &pr.missing_months), 12),
            (&status, 8),
        ]);
        let style = if n == p.people_list.sel {
            th.selected
        } else if pr.behind() {
            th.warn
        } else {
            th.base
        };
        buf.set_style(Rect::new(list.x, y, list.width, 1), style);
        line(buf, list.x, y, list.width, &text, style);
    }
    let mut out: Vec<(String, Style)> = Vec::new();
    if let Some(w) = people.get(p.people_list.sel) {
        let mut recs: Vec<&crate::domain::duties::training::Training> =
            p.trainings.iter().filter(|r| r.worker == w.id && r.date.year() == p.year).collect();
        recs.sort_by_key(|r| std::cmp::Reverse(r.date));
        out.push((format!("{} · {}", w.name, fill(d.records_n, recs.len())), th.title));
        out.push((d.months_legend.to_string(), th.dim));
        for r in recs {
            let kind = match r.kind {
                TrainingKind::Training => d.kind_training,
                TrainingKind::Study => d.kind_study,
            };
            out.push((
                format!(
                    "{} {} {} {}{} {}",
                    r.date.format("%m-%d"),
                    kind,
                    r.title,
                    half_days_text(r.half_days),
                    d.days,
                    r.organizer
                ),
                th.base,
            ));
        }
    }
    detail(det, buf, ctx, &out);
}

pub fn render_evaluation(p: &mut DutiesPanel, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
    let t = ctx.lang.t();
    let d = ctx.lang.duties();
    let th = ctx.theme;
    let w8 = p.settings.weights;
    let title = format!(
        "{} · {} · {} {}:{}:{}",
        d.eval_title,
        crate::i18n::duties::year_title(ctx.lang, p.eval_year),
        d.weights,
        w8.street,
        w8.residents,
        w8.own
    );
    line(buf, area.x, area.y, area.width, &title, th.title);
    let (list, det) = split(area, 4);
    let head = cells(&[
        (t.f_name, 8),
        (d.score_street, 5),
        (d.score_residents, 5),
        (d.score_own, 5),
        (d.total, 5),
        (ctx.lang.practice().dims_short, 5),
        (d.grade, 8),
        (d.handled, 4),
        (d.on_time, 5),
        (d.satisfied, 5),
        (d.logs, 4),
        (d.visits, 4),
        (d.training_short, 4),
    ]);
    line(buf, list.x, list.y, list.width, &head, th.column_head);
    let height = list.height.saturating_sub(1) as usize;
    p.list_height = height.max(1);
    let people = eval_people(p, ctx);
    let from = p.people_list.visible_from(height, people.len());
    let s = |v: Option<u16>| v.map(tenths_text).unwrap_or_else(|| "-".into());
    let pct = |v: Option<u16>| v.map(|x| format!("{}%", (x + 5) / 10)).unwrap_or_else(|| "-".into());
    for (n, w) in people.iter().enumerate().skip(from).take(height) {
        let y = list.y + 1 + (n - from) as u16;
        let ev = p.evals.iter().find(|e| e.worker == w.id);
        let total = ev.and_then(|e| e.total(&w8));
        let f = p.figures.get(&w.id).cloned().unwrap_or_default();
        let text = cells(&[
            (&w.name, 8),
            (&s(ev.and_then(|e| e.street)), 5),
            (&s(ev.and_then(|e| e.residents)), 5),
            (&s(ev.and_then(|e| e.own)), 5),
            (&s(total), 5),
            (&s(ev.and_then(|e| e.dims_total(&p.settings.dim_weights))), 5),
            (total.map_or("-", |x| p.settings.bands.grade(x)), 8),
            (&f.handled.to_string(), 4),
            (&pct(f.on_time_rate()), 5),
            (&pct(f.satisfaction_rate()), 5),
            (&f.log_entries.to_string(), 4),
            (&f.visits.to_string(), 4),
            (&half_days_text(f.training_half_days), 4),
        ]);
        let style = if n == p.people_list.sel { th.selected } else { th.base };
        buf.set_style(Rect::new(list.x, y, list.width, 1), style);
        line(buf, list.x, y, list.width, &text, style);
    }
    let mut out: Vec<(String, Style)> = Vec::new();
    if let Some(w) = people.get(p.people_list.sel) {
        let ev = p.evals.iter().find(|e| e.worker == w.id);
        let f = p.figures.get(&w.id).cloned().unwrap_or_default();
        out.push((
            format!(
                "{} · {} · {}",
                w.name,
                fill(d.callbacks_n, format!("{}/{}", f.satisfied, f.callbacks)),
                fill(d.study_months_n, f.study_months)
            ),
            th.title,
        ));
        // 德能勤绩廉 and their total, with their weights
        if let Some(e) = ev.filter(|e| e.dims.iter().any(Option::is_some)) {
            let pr = ctx.lang.practice();
            let parts: Vec<String> =
                pr.dimensions.iter().zip(e.dims).map(|(name, v)| format!("{name} {}", s(v))).collect();
            let dw = p.settings.dim_weights.0.map(|x| x.to_string()).join(":");
            out.push((
                format!(
                    "{} · {} {}{}",
                    parts.join(" · "),
                    pr.dimensions_total,
                    s(e.dims_total(&p.settings.dim_weights)),
                    fill(pr.weights_paren, dw)
                ),
                th.base,
            ));
        }
        match ev.map(|e| e.comment.as_str()).filter(|c| !c.is_empty()) {
            Some(c) => out.push((format!("{}{}{c}", d.f_comment, ctx.lang.t().colon), th.base)),
            None if ev.is_none_or(|e| e.total(&w8).is_none()) => out.push((d.eval_hint.to_string(), th.dim)),
            None => {}
        }
    }
    detail(det, buf, ctx, &out);
}

/// The evaluation form's keys of 德、能、勤、绩、廉 (as the audit trail
/// names them too).
const DIM_KEYS: [&str; 5] = ["dim_de", "dim_neng", "dim_qin", "dim_ji", "dim_lian"];

/// The workers on the year's sheet: active ones, and anyone with a sheet.
pub fn eval_people<'a>(p: &DutiesPanel, ctx: &'a Ctx) -> Vec<&'a crate::domain::Worker> {
    ctx.workers.iter().filter(|w| w.active || p.evals.iter().any(|e| e.worker == w.id)).collect()
}

impl DutiesPanel {
    /// The evaluation view's records; the figures counted from the
    /// requests come later from a thread when the loop is there to hear
    /// back (see [`DutiesPanel::figures_loaded`]).
    pub(super) fn load_evaluation(&mut self, sh: &mut Shared) -> crate::store::Result<()> {
        let y = self.eval_year;
        self.evals = sh.store.evaluations(y)?;
        self.trainings = sh.store.all::<Training>()?;
        match sh.events.clone() {
            None => {
                let figures = sh.store.request_figures(y)?;
                self.set_figures(figures, sh)
            }
            Some(tx) => {
                self.figures_loading = Some(y);
                self.figures.clear();
                let store = sh.store.clone();
                std::thread::spawn(move || {
                    let r = store.request_figures(y);
                    let _ = tx.send(crate::ui::app::AppEvent::Figures(y, Box::new(r)));
                });
                Ok(())
            }
        }
    }

    /// The figures counted in the background have arrived (late ones, for
    /// a year the user has left, are dropped).
    pub fn figures_loaded(
        &mut self,
        year: i32,
        r: crate::store::Result<HashMap<WorkerId, crate::domain::duties::evaluation::Figures>>,
        sh: &mut Shared,
    ) {
        if self.figures_loading != Some(year) || self.eval_year != year {
            return;
        }
        self.figures_loading = None;
        if let Err(e) = r.and_then(|f| self.set_figures(f, sh)) {
            sh.error(&e);
        }
    }

    /// Adds what the daily log and the trainings say to the figures from
    /// the requests.
    fn set_figures(
        &mut self,
        mut figures: HashMap<WorkerId, crate::domain::duties::evaluation::Figures>,
        sh: &mut Shared,
    ) -> crate::store::Result<()> {
        let y = self.eval_year;
        self.ensure_log_index(sh)?;
        if let Some(idx) = &self.log {
            for (w, (entries, visits)) in idx.year_counts(y) {
                let f = figures.entry(w).or_default();
                f.log_entries = entries;
                f.visits = visits;
            }
        }
        let today = sh.today.date;
        for w in &sh.workers {
            let since = sh.judged_since(w);
            let p = progress(
                self.trainings.iter().filter(|t| t.worker == w.id),
                y,
                today,
                self.settings.training_days,
                since,
            );
            let f = figures.entry(w.id).or_default();
            f.training_half_days = p.half_days;
            f.study_months = p.study_months.len() as u32;
        }
        self.figures = figures;
        Ok(())
    }

    pub(super) fn export_evaluation(&mut self, sh: &mut Shared) {
        let people: Vec<Worker> = eval_people(self, sh).into_iter().cloned().collect();
        let profile = sh.store.profile().unwrap_or_default();
        let sheet = crate::files::printable::EvaluationSheet {
            settings: &self.settings,
            profile: &profile,
            year: self.eval_year,
            workers: &people,
            evaluations: &self.evals,
            figures: &self.figures,
            lang: sh.lang,
        };
        let stem = format!("{}_{}", sh.lang.duties().evaluation_file, self.eval_year);
        self.write_export(sh, &stem, &sheet.html(), &sheet.text());
    }

    pub(super) fn open_training_form(&mut self, sh: &mut Shared) {
        let Some(op) = sh.need_operator_worker() else { return };
        let d = sh.lang.duties();
        let lang = sh.lang;
        let subject = match self.view {
            View::Training => sh.workers.iter().filter(|w| w.active).nth(self.people_list.sel).map(|w| w.id),
            _ => None,
        }
        .or(self.subject(sh.operator))
        .unwrap_or(op.id);
        let name = sh.worker_name(Some(subject)).to_string();
        let kinds = vec![lang.duties().kind_training.to_string(), lang.duties().kind_study.to_string()];
        let who = vec![name, d.all_in_post.to_string()];
        let fields = vec![
            Field::text("date", d.f_date, &sh.today.date.to_string(), true),
            Field::choice("kind", d.f_kind, kinds, 0),
            Field::text("title", d.f_training, "", true),
            Field::text("days", d.f_days, "1", true),
            Field::text("organizer", d.f_organizer, "", false),
            Field::choice("who", d.f_attendees, who, 0),
        ];
        let mut form = Form::new(d.new_training, fields);
        form.warning = Some(d.training_form_hint.to_string());
        self.worker_for_training = Some(subject);
        sh.open(FormLayer::new(form, |form, sh, panels| panels.duties.save_training(sh, form)).layer());
    }

    pub(super) fn save_training(&mut self, sh: &mut Shared, form: &Form) -> Result<(), String> {
        let d = sh.lang.duties();
        let Some(op) = sh.need_operator_worker() else { return Ok(()) };
        let date = form.date_needed("date", sh.today.date, sh.lang.t().bad_date)?;
        let half_days = parse_half_days(&form.text("days")).ok_or_else(|| d.e_bad_days.to_string())?;
        let kind = if form.choice("kind") == 0 { TrainingKind::Training } else { TrainingKind::Study };
        let who: Vec<WorkerId> = if form.choice("who") == 0 {
            self.worker_for_training.into_iter().collect()
        } else {
            sh.workers.iter().filter(|w| w.status.takes_rota()).map(|w| w.id).collect()
        };
        let records: Vec<Training> = who
            .iter()
            .map(|w| Training {
                id: TrainingId(0),
                worker: *w,
                date,
                kind,
                title: form.text("title"),
                half_days,
                organizer: form.text("organizer"),
            })
            .collect();
        let saved = sh.store.record_training(&records, op.id, sh.now()).map_err(|e| i18n::store_error(sh.lang, &e))?;
        sh.info(fill(d.training_saved, saved.len()));
        self.stale = true;
        Ok(())
    }

    pub(super) fn open_evaluation_form(&mut self, sh: &mut Shared, worker: WorkerId) {
        let d = sh.lang.duties();
        let year = self.eval_year;
        let ev =
            self.evals.iter().find(|e| e.worker == worker).cloned().unwrap_or_else(|| Evaluation::new(year, worker));
        // as stored now (another leader may have scored since the list was
        // read): what the form shows and checks against; a year's scores
        // have one key, so scores first entered by someone else meanwhile
        // refuse this save too
        let key = ev.key();
        let ev = sh.store.get::<Evaluation>(key).ok().flatten().unwrap_or(ev);
        let s = |v: Option<u16>| v.map(crate::domain::duties::tenths_text).unwrap_or_default();
        let fields = vec![
            Field::text("street", d.score_street_full, &s(ev.street), false),
            Field::text("residents", d.score_residents_full, &s(ev.residents), false),
            Field::text("own", d.score_own_full, &s(ev.own), false),
        ];
        let pr = sh.lang.practice();
        let mut fields = fields;
        for (i, name) in pr.dimensions.iter().enumerate() {
            fields.push(Field::text(DIM_KEYS[i], name, &s(ev.dims[i]), false));
        }
        fields.push(Field::text("comment", d.f_comment, &ev.comment, false));
        let w8 = self.settings.weights;
        let title = format!("{} {} · {}", d.eval_title, year, sh.worker_name(Some(worker)));
        let mut form = Form::new(&title, fields);
        let dw = self.settings.dim_weights.0.map(|x| x.to_string()).join(":");
        form.warning = Some(format!(
            "{}\n{}",
            fill(d.eval_form_hint, format!("{}:{}:{}", w8.street, w8.residents, w8.own)),
            fill(pr.dims_form_hint, dw)
        ));
        let layer = FormLayer::new(form, move |form, sh, panels| panels.duties.save_evaluation(sh, form, worker));
        sh.open(layer.editing(crate::store::record::RecordKind::Evaluation, key, &sh.store).layer());
    }

    pub(super) fn save_evaluation(&mut self, sh: &mut Shared, form: &Form, worker: WorkerId) -> Result<(), String> {
        let d = sh.lang.duties();
        let Some(op) = sh.need_operator_worker() else { return Ok(()) };
        let score = |key: &str| -> Result<Option<u16>, String> {
            match form.text(key) {
                s if s.is_empty() => Ok(None),
                s => parse_tenths(&s).map(Some).ok_or_else(|| d.e_bad_score.to_string()),
            }
        };
        let mut ev = Evaluation::new(self.eval_year, worker);
        ev.street = score("street")?;
        ev.residents = score("residents")?;
        ev.own = score("own")?;
        for (i, key) in DIM_KEYS.iter().enumerate() {
            ev.dims[i] = score(key)?;
        }
        ev.comment = form.text("comment");
        sh.store.put(&ev, op.id, sh.now()).map_err(|e| i18n::store_error(sh.lang, &e))?;
        self.stale = true;
        sh.info(sh.lang.t().saved);
        Ok(())
    }
}
