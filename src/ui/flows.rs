//! What the user's forms, pickers and menus lead to: building them from the
//! records, checking what was typed, and saving through the store (the same
//! functions the command line uses). Nothing here draws.

use super::app::{App, Panel};
use super::layers::{FormPurpose, Layer, Menu, PickPurpose};
use super::panels::residents::pick_item;
use super::widgets::form::{Field, Form};
use super::widgets::picker::{Pick, PickItem, Picker};
use crate::domain::request::{Channel, Move, MoveKind, NewRequest, Satisfaction, Status, Urgency};
use crate::domain::worker::POSTS;
use crate::domain::{Address, Request, RequestId, Resident, ResidentId, WorkerId, mask, text};
use crate::i18n::{self, fill};
use crate::store::record::RecordKind;
use chrono::NaiveDate;

const NO: usize = 0;

impl App {
    fn need_operator(&mut self) -> Option<WorkerId> {
        if self.operator.is_none() {
            self.info(self.lang.t().no_operator);
            self.open_operator_picker(None);
        }
        self.operator
    }

    fn worker_items(&self, active_only: bool) -> Vec<PickItem> {
        self.workers
            .iter()
            .filter(|w| w.active || !active_only)
            .map(|w| PickItem::new(format!("{}  {}  {}", w.name, w.post, w.grid), w.id.0, &w.name, &w.phone, &w.post))
            .collect()
    }

    pub fn open_operator_picker(&mut self, preselect: Option<WorkerId>) {
        let t = self.lang.t();
        let picker = Picker::new(t.choose_operator, t.picker_keys, self.worker_items(true))
            .with_last(t.add_first_worker)
            .with_selected_id(preselect.map_or(0, |w| w.0));
        self.layers.push(Layer::Picker(picker, PickPurpose::Operator));
    }

    pub fn open_worker_form(&mut self, existing: Option<&crate::domain::Worker>) {
        let t = self.lang.t();
        let posts: Vec<String> = POSTS.iter().map(|s| s.to_string()).collect();
        let (title, purpose, name, post, phone, grid, active) = match existing {
            Some(w) => (
                t.edit_worker,
                FormPurpose::EditWorker(w.id),
                w.name.as_str(),
                w.post.as_str(),
                w.phone.as_str(),
                w.grid.as_str(),
                w.active,
            ),
            None => (t.new_worker, FormPurpose::NewWorker, "", "网格员", "", "", true),
        };
        let mut fields = vec![
            Field::text("name", t.f_name, name, true),
            Field::choice("post", t.f_post, posts.clone(), posts.iter().position(|p| p == post).unwrap_or(0)),
            Field::text("phone", t.f_phone, phone, false),
            Field::text("grid", t.f_grid, grid, false),
        ];
        if existing.is_some() {
            fields.push(Field::choice("active", t.f_active, yes_no(self.lang), usize::from(active)));
        }
        self.layers.push(Layer::Form(Form::new(title, t.form_keys, fields), purpose));
    }

    pub fn open_worker_edit(&mut self) {
        if let Some(w) = self.workers.get(self.workers_panel.list.sel).cloned() {
            self.open_worker_form(Some(&w));
        }
    }

    pub fn open_resident_form(&mut self, edit: bool, name: &str) {
        let t = self.lang.t();
        let existing = if edit { self.residents.selected().cloned() } else { None };
        if edit && existing.is_none() {
            return;
        }
        let r = existing.clone().unwrap_or_else(|| Resident::new(ResidentId(0), name));
        let purpose = match &existing {
            Some(r) => FormPurpose::EditResident(r.id),
            None => FormPurpose::NewResident,
        };
        let fields = vec![
            Field::text("name", t.f_name, &r.name, true),
            Field::text("phone", t.f_phone, &r.phone, false),
            Field::text("address", t.f_address, &r.address.to_string(), false),
            Field::text("grid", t.f_grid, &r.grid, false),
            Field::text("tags", t.f_tags, &r.tags.join("、"), false),
            Field::text("notes", t.f_notes, &r.notes, false),
        ];
        let title = if edit { t.edit_resident } else { t.new_resident };
        let mut form = Form::new(title, t.form_keys, fields);
        form.warning = Some(format!("{}: {}", t.f_tags, crate::domain::resident::TAGS.join("、")));
        if !name.is_empty() {
            form.focus_on("phone");
        }
        self.layers.push(Layer::Form(form, purpose));
    }

    pub fn open_request_form(&mut self, existing: Option<&Request>, resident: Option<(ResidentId, String)>) {
        let t = self.lang.t();
        let lang = self.lang;
        let channels: Vec<String> = Channel::ALL.iter().map(|c| i18n::channel(lang, *c).to_string()).collect();
        let mut cats = self.cats.names();
        if let Some(r) = existing
            && !cats.contains(&r.category)
        {
            cats.push(r.category.clone());
        }
        let urg =
            vec![i18n::urgency(lang, Urgency::Normal).to_string(), i18n::urgency(lang, Urgency::Urgent).to_string()];
        let (purpose, title) = match existing {
            Some(r) => (FormPurpose::EditRequest(r.id), t.edit_request),
            None => (FormPurpose::NewRequest, t.new_request),
        };
        let ch = existing.map_or(0, |r| Channel::ALL.iter().position(|c| *c == r.channel).unwrap_or(0));
        let cat = existing.map_or(0, |r| cats.iter().position(|c| *c == r.category).unwrap_or(0));
        let (rid, rname) = match (existing.and_then(|r| r.resident), resident) {
            (_, Some((id, name))) => (id.0, name),
            (Some(id), None) => (id.0, self.resident_name(id)),
            (None, None) => (0, String::new()),
        };
        let fields = vec![
            Field::choice("channel", t.f_channel, channels, ch),
            Field::choice("category", t.col_category, cats, cat),
            Field::text("title", t.col_title, existing.map_or("", |r| &r.title), true),
            Field::text("description", t.f_description, existing.map_or("", |r| &r.description), false),
            Field::text("location", t.f_location, existing.map_or("", |r| &r.location), false),
            Field::lookup("resident", t.col_resident, &rname, rid, t.anonymous),
            Field::choice(
                "urgency",
                t.f_urgency,
                urg,
                existing.map_or(0, |r| usize::from(r.urgency == Urgency::Urgent)),
            ),
        ];
        let mut form = Form::new(title, t.form_keys, fields);
        if existing.is_none() && rid != 0 {
            form.focus_on("category");
        }
        self.layers.push(Layer::Form(form, purpose));
        self.form_changed(purpose);
    }

    fn resident_name(&self, id: ResidentId) -> String {
        self.requests
            .index
            .resident(id)
            .map(|k| k.name.clone())
            .or_else(|| self.store.resident(id).ok().flatten().map(|r| r.name))
            .unwrap_or_default()
    }

    pub fn open_request_edit(&mut self) {
        if let Some(r) = self.requests.detail.clone() {
            self.open_request_form(Some(&r), None);
        }
    }

    pub fn open_lookup(&mut self, field: &'static str) {
        let t = self.lang.t();
        if field == "resident" {
            let items: Vec<PickItem> = if self.requests.loaded {
                self.requests.index.residents().map(pick_item).collect()
            } else {
                // still loading: read them now rather than offer nobody
                let all = self.store.residents().unwrap_or_default();
                all.iter().map(|r| pick_item(&crate::store::rows::ResidentKey::of(r))).collect()
            };
            // a daily-log entry is not anonymous: no "nobody" there
            let for_log = matches!(self.layers.last(), Some(Layer::Form(_, FormPurpose::Duty(_))));
            let p = Picker::new(t.choose_resident, t.picker_keys, items);
            let p = if for_log { p } else { p.with_nobody(self.resident_nobody_label()) };
            let p = p.with_new(t.create_resident_named);
            self.layers.push(Layer::Picker(p, PickPurpose::FormField(field)));
        } else {
            self.open_roster_lookup(field);
        }
    }

    /// Recomputes a form's warnings after an edit (the duplicate check).
    pub fn form_changed(&mut self, purpose: FormPurpose) {
        if let FormPurpose::Roster(p) = purpose {
            return self.roster_form_changed(p);
        }
        if let FormPurpose::Duty(p) = purpose {
            return self.duty_form_changed(p);
        }
        let (FormPurpose::NewRequest | FormPurpose::EditRequest(_)) = purpose else { return };
        let Some(Layer::Form(form, _)) = self.layers.last() else { return };
        let rid = form.lookup("resident");
        let category = form.choice_text("category");
        let this = match purpose {
            FormPurpose::EditRequest(id) => Some(id),
            _ => None,
        };
        let warning = if rid == 0 {
            None
        } else {
            match self.store.open_duplicates(ResidentId(rid), &category) {
                Ok(d) => {
                    let ids: Vec<String> =
                        d.iter().filter(|r| Some(r.id) != this).map(|r| format!("{} {}", r.id, r.title)).collect();
                    (!ids.is_empty()).then(|| fill(self.lang.t().duplicate_warning, ids.join("; ")))
                }
                Err(_) => None,
            }
        };
        if let Some(Layer::Form(form, _)) = self.layers.last_mut() {
            form.warning = warning;
        }
    }

    pub fn picked(&mut self, picker: Picker, purpose: PickPurpose, pick: Pick) {
        match (purpose, pick) {
            (PickPurpose::Operator, Pick::Id(id)) => {
                self.operator = Some(WorkerId(id));
                if let Err(e) = self.store.set_last_operator(WorkerId(id)) {
                    self.error(&e);
                }
            }
            (PickPurpose::Operator, _) => self.open_worker_form(None),
            (PickPurpose::Assign(req), Pick::Id(w)) => self.apply_move(req, Move::Assign(WorkerId(w))),
            (PickPurpose::Assign(_), _) => {}
            (PickPurpose::FormField(key), Pick::Id(id)) => {
                let name = self.resident_name(ResidentId(id));
                self.fill_lookup(key, &name, id);
            }
            (PickPurpose::FormField(key), Pick::Nobody) => self.fill_lookup(key, "", 0),
            (PickPurpose::FormField(_), Pick::New) => self.open_resident_form(false, &picker.query()),
            (PickPurpose::Roster(p), pick) => self.roster_picked(picker, p, pick),
            (PickPurpose::Duty(p), pick) => self.duty_picked(p, pick),
        }
    }

    fn fill_lookup(&mut self, key: &str, shown: &str, id: u64) {
        if let Some(Layer::Form(form, purpose)) = self.layers.last_mut() {
            form.set_lookup(key, shown, id);
            form.focus = (form.focus + 1).min(form.fields.len() - 1);
            let purpose = *purpose;
            self.form_changed(purpose);
        }
    }

    pub fn open_move_menu(&mut self) {
        let Some(r) = self.requests.detail.clone() else {
            self.info(self.lang.t().nothing_selected);
            return;
        };
        let allowed = r.allowed();
        if allowed.is_empty() {
            self.info(self.lang.t().no_moves);
            return;
        }
        let items = allowed.iter().map(|k| (i18n::move_kind(self.lang, *k).to_string(), *k)).collect();
        self.layers.push(Layer::Menu(Menu {
            title: format!("{} {}", self.lang.t().choose_move, r.id),
            items,
            selected: 0,
            request: r.id,
        }));
    }

    pub fn menu_chosen(&mut self, m: &Menu, i: usize) {
        let Some(&(_, kind)) = m.items.get(i) else { return };
        let t = self.lang.t();
        let id = m.request;
        match kind {
            MoveKind::Assign => self.open_assign_picker(),
            MoveKind::Start => self.apply_move(id, Move::Start),
            MoveKind::Close => self.apply_move(id, Move::Close),
            MoveKind::CallBack => {
                let sats = Satisfaction::ALL.iter().map(|s| i18n::satisfaction(self.lang, *s).to_string()).collect();
                let form = Form::new(
                    &format!("{} {id}", i18n::move_kind(self.lang, kind)),
                    t.form_keys,
                    vec![
                        Field::choice("satisfaction", t.f_satisfaction, sats, 0),
                        Field::text("text", t.f_text, "", false),
                    ],
                );
                self.layers.push(Layer::Form(form, FormPurpose::CallBack(id)));
            }
            MoveKind::Resolve | MoveKind::Escalate | MoveKind::Transfer | MoveKind::Withdraw | MoveKind::Reopen => {
                let label = match kind {
                    MoveKind::Resolve => t.f_resolution,
                    MoveKind::Transfer => t.f_department,
                    MoveKind::Escalate => t.f_text,
                    _ => t.f_reason,
                };
                let form = Form::new(
                    &format!("{} {id}", i18n::move_kind(self.lang, kind)),
                    t.form_keys,
                    vec![Field::text("text", label, "", true)],
                );
                self.layers.push(Layer::Form(form, FormPurpose::MoveText(id, kind)));
            }
        }
    }

    pub fn open_assign_picker(&mut self) {
        let Some(r) = self.requests.detail.clone() else { return };
        if !r.allowed().contains(&MoveKind::Assign) {
            self.message = Some((self.lang.t().e_not_allowed.into(), true));
            return;
        }
        let t = self.lang.t();
        let p = Picker::new(&format!("{} {}", t.choose_worker, r.id), t.picker_keys, self.worker_items(true))
            .with_selected_id(r.assignee.map_or(0, |w| w.0));
        self.layers.push(Layer::Picker(p, PickPurpose::Assign(r.id)));
    }

    pub fn open_note_form(&mut self) {
        let Some(id) = self.requests.detail.as_ref().map(|r| r.id) else { return };
        let t = self.lang.t();
        let form =
            Form::new(&format!("{} {id}", t.add_note), t.form_keys, vec![Field::text("text", t.f_text, "", true)]);
        self.layers.push(Layer::Form(form, FormPurpose::Note(id)));
    }

    pub fn open_filter_form(&mut self) {
        let t = self.lang.t();
        let lang = self.lang;
        let f = self.requests.filter.clone();
        let with_all = |v: Vec<String>| std::iter::once(t.all.to_string()).chain(v).collect::<Vec<_>>();
        let statuses = with_all(Status::ALL.iter().map(|s| i18n::status(lang, *s).to_string()).collect());
        let cats = with_all(self.cats.names());
        let workers = with_all(self.workers.iter().map(|w| w.name.clone()).collect());
        let channels = with_all(Channel::ALL.iter().map(|c| i18n::channel(lang, *c).to_string()).collect());
        let pos = |v: &Vec<String>, s: Option<String>| s.and_then(|s| v.iter().position(|x| *x == s)).unwrap_or(0);
        let fields = vec![
            Field::choice(
                "status",
                t.col_status,
                statuses.clone(),
                pos(&statuses, f.status.map(|s| i18n::status(lang, s).to_string())),
            ),
            Field::choice("category", t.col_category, cats.clone(), pos(&cats, f.category.clone())),
            Field::choice(
                "assignee",
                t.col_assignee,
                workers.clone(),
                pos(&workers, f.assignee.map(|a| self.ctx().worker_name(Some(a)).to_string())),
            ),
            Field::choice(
                "channel",
                t.f_channel,
                channels.clone(),
                pos(&channels, f.channel.map(|c| i18n::channel(lang, c).to_string())),
            ),
            Field::text("from", t.f_from, &f.from.map(|d| d.to_string()).unwrap_or_default(), false),
            Field::text("to", t.f_to, &f.to.map(|d| d.to_string()).unwrap_or_default(), false),
            Field::choice("mine", t.q_mine, yes_no(lang), usize::from(f.mine.is_some())),
            Field::choice("overdue", t.q_overdue, yes_no(lang), usize::from(f.overdue)),
            Field::choice("due_soon", t.q_due_soon, yes_no(lang), usize::from(f.due_soon)),
            Field::choice("callback", t.q_callback, yes_no(lang), usize::from(f.callback)),
        ];
        self.layers.push(Layer::Form(Form::new(t.filters_title, t.form_keys, fields), FormPurpose::Filter));
    }

    pub fn reveal(&mut self) {
        let Some(op) = self.need_operator() else { return };
        let now = self.now();
        let (kind, key) = match self.panel {
            Panel::Residents => match self.residents.selected() {
                Some(r) if !r.phone.is_empty() => (RecordKind::Resident, r.id.0),
                _ => return,
            },
            Panel::Workers => match self.workers.get(self.workers_panel.list.sel) {
                Some(w) if !w.phone.is_empty() => (RecordKind::Worker, w.id.0),
                _ => return,
            },
            Panel::Requests => return,
            Panel::Roster => return self.roster_reveal(),
        };
        // the viewing is recorded before the number is shown
        match self.store.record_reveal(kind, key, "phone", op, now) {
            Ok(()) => {
                match kind {
                    RecordKind::Resident => self.residents.revealed = Some(ResidentId(key)),
                    _ => self.workers_panel.revealed = Some(WorkerId(key)),
                }
                self.info(self.lang.t().revealed);
            }
            Err(e) => self.error(&e),
        }
    }

    fn apply_move(&mut self, id: RequestId, mv: Move) {
        let Some(op) = self.need_operator() else { return };
        let now = self.now();
        match self.store.move_request(id, &mv, op, now, &self.cats, &self.cal) {
            Ok(r) => {
                self.request_saved(&r);
                self.info(fill(self.lang.t().saved_request, r.id));
            }
            Err(e) => self.error(&e),
        }
    }

    /// Saves what a form holds. On a problem the form stays open with the
    /// message, and nothing is written.
    pub fn submit_form(&mut self, mut form: Form, purpose: FormPurpose) {
        let t = self.lang.t();
        if let Some(label) = form.missing() {
            form.error = Some(fill(t.required, label));
            self.layers.push(Layer::Form(form, purpose));
            return;
        }
        let result = match purpose {
            FormPurpose::NewWorker | FormPurpose::EditWorker(_) => self.save_worker(&form, purpose),
            FormPurpose::NewResident | FormPurpose::EditResident(_) => self.save_resident(&form, purpose),
            FormPurpose::NewRequest | FormPurpose::EditRequest(_) => self.save_request(&form, purpose),
            FormPurpose::MoveText(id, kind) => {
                let text = form.text("text");
                let mv = match kind {
                    MoveKind::Resolve => Move::Resolve(text),
                    MoveKind::Escalate => Move::Escalate(text),
                    MoveKind::Transfer => Move::Transfer(text),
                    MoveKind::Reopen => Move::Reopen(text),
                    _ => Move::Withdraw(text),
                };
                self.apply_move(id, mv);
                Ok(())
            }
            FormPurpose::CallBack(id) => {
                let s = Satisfaction::ALL[form.choice("satisfaction").min(2)];
                self.apply_move(id, Move::CallBack(s, form.text("text")));
                Ok(())
            }
            FormPurpose::Note(id) => match self.need_operator() {
                Some(op) => match self.store.comment_request(id, &form.text("text"), op, self.now()) {
                    Ok(r) => {
                        self.request_saved(&r);
                        self.info(fill(t.saved_request, r.id));
                        Ok(())
                    }
                    Err(e) => Err(i18n::store_error(self.lang, &e)),
                },
                None => Ok(()),
            },
            FormPurpose::Filter => self.apply_filter(&form),
            FormPurpose::AuditFilter => self.apply_audit_filter(&form),
            FormPurpose::Roster(p) => self.submit_roster_form(&form, p),
            FormPurpose::Duty(p) => self.submit_duty_form(&form, p),
        };
        if let Err(msg) = result {
            form.error = Some(msg);
            self.layers.push(Layer::Form(form, purpose));
        }
    }

    fn save_worker(&mut self, form: &Form, purpose: FormPurpose) -> Result<(), String> {
        let phone = mask::normalize_phone(&form.text("phone")).map_err(|_| self.lang.t().bad_phone.to_string())?;
        let now = self.now();
        let by = self.operator;
        let saved = match purpose {
            FormPurpose::EditWorker(id) => {
                let Some(mut w) = self.workers.iter().find(|w| w.id == id).cloned() else { return Ok(()) };
                w.name = form.text("name");
                w.post = form.choice_text("post");
                w.phone = phone;
                w.grid = form.text("grid");
                w.active = form.choice("active") == 1;
                self.store.update_worker(&w, by.unwrap_or(id), now).map(|_| w)
            }
            _ => {
                let mut draft = crate::domain::Worker::new(WorkerId(0), &form.text("name"), &form.choice_text("post"));
                draft.phone = phone;
                draft.grid = form.text("grid");
                self.store.create_worker_from(&draft, by, now)
            }
        };
        let w = saved.map_err(|e| i18n::store_error(self.lang, &e))?;
        self.remember_change();
        self.workers = self.store.workers().unwrap_or_else(|_| vec![w.clone()]);
        if self.operator.is_none() {
            // the first worker (or one added from the operator picker) is at the keyboard
            self.operator = Some(w.id);
            let _ = self.store.set_last_operator(w.id);
        }
        self.info(self.lang.t().saved);
        Ok(())
    }

    fn save_resident(&mut self, form: &Form, purpose: FormPurpose) -> Result<(), String> {
        let t = self.lang.t();
        let phone = mask::normalize_phone(&form.text("phone")).map_err(|_| t.bad_phone.to_string())?;
        let Some(op) = self.need_operator() else { return Ok(()) };
        let mut r = match purpose {
            FormPurpose::EditResident(id) => {
                self.store.resident(id).ok().flatten().unwrap_or_else(|| Resident::new(id, ""))
            }
            _ => Resident::new(ResidentId(0), ""),
        };
        r.name = form.text("name");
        r.phone = phone;
        r.address = Address::parse(&form.text("address"));
        r.grid = form.text("grid");
        r.tags = form
            .text("tags")
            .split(['、', ',', '，', ' ', ';', '；'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        r.notes = form.text("notes");
        let now = self.now();
        let saved = match purpose {
            FormPurpose::EditResident(_) => self.store.update_resident(&r, op, now).map(|_| r),
            _ => self.store.create_resident(&r, op, now),
        };
        let r = saved.map_err(|e| i18n::store_error(self.lang, &e))?;
        self.resident_saved(&r);
        self.residents.select_id(r.id);
        self.load_history();
        self.info(t.saved);
        // created from a request form's lookup: fill it in
        if let Some(Layer::Form(below, _)) = self.layers.last()
            && below.fields.iter().any(|f| f.key == "resident")
        {
            self.fill_lookup("resident", &r.name, r.id.0);
        }
        Ok(())
    }

    pub(crate) fn save_request(&mut self, form: &Form, purpose: FormPurpose) -> Result<(), String> {
        let Some(op) = self.need_operator() else { return Ok(()) };
        let channel = Channel::ALL[form.choice("channel").min(Channel::ALL.len() - 1)];
        let rid = form.lookup("resident");
        let new = NewRequest {
            channel,
            category: form.choice_text("category"),
            title: form.text("title"),
            description: text::clean_input(&form.text("description"), true),
            location: form.text("location"),
            resident: (rid != 0).then_some(ResidentId(rid)),
            urgency: if form.choice("urgency") == 1 { Urgency::Urgent } else { Urgency::Normal },
        };
        let now = self.now();
        let saved = match purpose {
            FormPurpose::EditRequest(id) => self.store.edit_request(id, &new, op, now, &self.cats, &self.cal),
            _ => self.store.create_request(&new, op, now, &self.cats, &self.cal),
        };
        let r = saved.map_err(|e| i18n::store_error(self.lang, &e))?;
        if purpose == FormPurpose::NewRequest && !self.requests.filter.is_empty() {
            // make sure the user sees what they just logged
            self.requests.filter = Default::default();
        }
        self.request_saved(&r);
        self.info(fill(self.lang.t().saved_request, r.id));
        Ok(())
    }

    fn apply_filter(&mut self, form: &Form) -> Result<(), String> {
        let t = self.lang.t();
        let date = |key: &str| -> Result<Option<NaiveDate>, String> {
            let s = form.text(key);
            if s.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(&s, "%Y-%m-%d").map(Some).map_err(|_| t.bad_date.to_string())
        };
        let pick = |key: &str| form.choice(key).checked_sub(1);
        let f = &mut self.requests.filter;
        f.from = date("from")?;
        f.to = date("to")?;
        f.status = pick("status").map(|i| Status::ALL[i]);
        f.category = pick("category").map(|_| form.choice_text("category"));
        f.assignee = pick("assignee").and_then(|i| self.workers.get(i)).map(|w| w.id);
        f.channel = pick("channel").map(|i| Channel::ALL[i]);
        f.mine = if form.choice("mine") == NO { None } else { self.operator };
        f.overdue = form.choice("overdue") != NO;
        f.due_soon = form.choice("due_soon") != NO;
        f.callback = form.choice("callback") != NO;
        self.refresh_requests();
        Ok(())
    }
}

fn yes_no(lang: crate::i18n::Lang) -> Vec<String> {
    match lang {
        crate::i18n::Lang::Zh => vec!["否".into(), "是".into()],
        crate::i18n::Lang::En => vec!["No".into(), "Yes".into()],
    }
}
