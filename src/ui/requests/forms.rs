//! What the requests panel opens: the request form (new, edit, and the
//! one a daily-log entry turns into), the next-step menu and its forms,
//! the assignee picker, a note, the filters; and the resident lookup every
//! form with a 居民 field uses. Each saves through the store, the same
//! functions the command line uses.

use super::RequestsPanel;
use crate::domain::request::{Channel, Move, MoveKind, NewRequest, Satisfaction, Status, Urgency};
use crate::domain::{Request, RequestId, ResidentId, text};
use crate::i18n::{self, fill};
use crate::ui::layers::{FormLayer, Layer, PickerLayer};
use crate::ui::operator::worker_items;
use crate::ui::panel::Panels;
use crate::ui::residents::pick_item;
use crate::ui::shared::{Effect, Shared};
use crate::ui::widgets::form::{Field, Form, yes_no};
use crate::ui::widgets::picker::{Pick, PickItem, Picker};

const NO: usize = 0;

/// The request form, filled from `existing` (or for `resident`), with its
/// resident lookup and duplicate warning; the caller says what saving does.
pub fn request_form(sh: &Shared, existing: Option<&Request>, resident: Option<(ResidentId, String)>) -> Form {
    let t = sh.lang.t();
    let label = |key: &str| crate::i18n::fields::label(sh.lang, crate::store::record::RecordKind::Request, key);
    let lang = sh.lang;
    let channels: Vec<String> = Channel::ALL.iter().map(|c| i18n::channel(lang, *c).to_string()).collect();
    let mut cats = sh.cats.names();
    if let Some(r) = existing
        && !cats.contains(&r.category)
    {
        cats.push(r.category.clone());
    }
    let urg = vec![i18n::urgency(lang, Urgency::Normal).to_string(), i18n::urgency(lang, Urgency::Urgent).to_string()];
    let title = if existing.is_some() { t.edit_request } else { t.new_request };
    let ch = existing.map_or(0, |r| Channel::ALL.iter().position(|c| *c == r.channel).unwrap_or(0));
    let cat = existing.map_or(0, |r| cats.iter().position(|c| *c == r.category).unwrap_or(0));
    let (rid, rname) = match (existing.and_then(|r| r.resident), resident) {
        (_, Some((id, name))) => (id.0, name),
        (Some(id), None) => (id.0, sh.resident_name(id).unwrap_or_default()),
        (None, None) => (0, String::new()),
    };
    let fields = vec![
        Field::choice("channel", &label("channel"), channels, ch),
        Field::choice("category", &label("category"), cats, cat),
        Field::text("title", &label("title"), existing.map_or("", |r| &r.title), true),
        Field::text("description", &label("description"), existing.map_or("", |r| &r.description), false),
        Field::text("location", &label("location"), existing.map_or("", |r| &r.location), false),
        Field::lookup("resident", &label("resident"), &rname, rid, t.anonymous),
        Field::choice(
            "urgency",
            &label("urgency"),
            urg,
            existing.map_or(0, |r| usize::from(r.urgency == Urgency::Urgent)),
        ),
        Field::text("work_order", &label("work_order"), existing.map_or("", |r| &r.work_order), false),
        Field::text(
            "hotline_due",
            &label("hotline_due"),
            &existing.and_then(|r| r.hotline_due).map(|d| d.to_string()).unwrap_or_default(),
            false,
        ),
    ];
    let mut form = Form::new(title, fields);
    if existing.is_none() && rid != 0 {
        form.focus_on("category");
    }
    form
}

/// A request form as a layer: the resident lookup and the duplicate
/// warning wired in, `submit` saying what saving does.
pub fn request_layer(
    sh: &mut Shared,
    panels_form: Form,
    this: Option<RequestId>,
    submit: impl FnMut(&Form, &mut Shared, &mut Panels) -> Result<(), String> + 'static,
) -> Layer {
    request_form_layer(sh, panels_form, this, submit).layer()
}

fn request_form_layer(
    sh: &mut Shared,
    panels_form: Form,
    this: Option<RequestId>,
    submit: impl FnMut(&Form, &mut Shared, &mut Panels) -> Result<(), String> + 'static,
) -> FormLayer {
    let mut f = FormLayer::new(panels_form, submit)
        .on_change(move |form, sh, _| form_warning(form, sh, this))
        .on_lookup(|key, _, sh, _| open_resident_lookup(sh, key, true));
    form_warning(&mut f.form, sh, this);
    f
}

pub fn open_new(sh: &mut Shared, resident: Option<(ResidentId, String)>) {
    let form = request_form(sh, None, resident);
    let layer = request_layer(sh, form, None, |form, sh, panels| save(form, None, sh, panels).map(|_| ()));
    sh.open(layer);
}

pub fn open_edit(sh: &mut Shared, r: &Request) {
    // the request as stored now (a colleague may have changed it since the
    // panel read it): what the form shows and checks against
    let fresh = sh.store.request(r.id).ok().flatten();
    let r = fresh.as_ref().unwrap_or(r);
    let form = request_form(sh, Some(r), None);
    let id = r.id;
    let f =
        request_form_layer(sh, form, Some(id), move |form, sh, panels| save(form, Some(id), sh, panels).map(|_| ()));
    let f = f.editing(crate::store::record::RecordKind::Request, id.0, &sh.store);
    sh.open(f.layer());
}

/// What the request form warns of while it is filled in: a likely
/// duplicate, and a due date the work calendar can only guess.
fn form_warning(form: &mut Form, sh: &mut Shared, this: Option<RequestId>) {
    let dup = duplicate_warning(form, sh, this);
    let cal = calendar_warning(form, sh);
    form.warning = match (dup, cal) {
        (Some(a), Some(b)) => Some(format!("{a}\n{b}")),
        (a, b) => a.or(b),
    };
}

/// Today or the due date a new request would get lies in a year the
/// calendar does not list, or only estimates: say so, and how to mend it.
fn calendar_warning(form: &Form, sh: &Shared) -> Option<String> {
    let p = sh.lang.practice();
    let urgency = if form.choice("urgency") == 1 { Urgency::Urgent } else { Urgency::Normal };
    let limit = crate::domain::request::limit_for(sh.cats.limit_of(&form.choice_text("category")), urgency);
    let today = sh.today.date;
    let due = sh.cal.add_working_days(today, limit);
    match sh.cal.doubt(&[today, due])? {
        (year, crate::domain::calendar::YearStatus::Provisional) => Some(fill(p.intake_provisional, year)),
        (year, _) => Some(fill(p.intake_missing, year)),
    }
}

/// Open requests of the same resident and category: a likely duplicate.
fn duplicate_warning(form: &Form, sh: &mut Shared, this: Option<RequestId>) -> Option<String> {
    let rid = form.lookup("resident");
    let category = form.choice_text("category");
    if rid == 0 {
        None
    } else {
        match sh.store.open_duplicates(ResidentId(rid), &category) {
            Ok(d) => {
                let ids: Vec<String> =
                    d.iter().filter(|r| Some(r.id) != this).map(|r| format!("{} {}", r.id, r.title)).collect();
                (!ids.is_empty()).then(|| fill(sh.lang.t().duplicate_warning, ids.join("; ")))
            }
            Err(_) => None,
        }
    }
}

/// Saves the request form (new, or `existing`), shows the request in the
/// list and returns it.
pub fn save(
    form: &Form,
    existing: Option<RequestId>,
    sh: &mut Shared,
    panels: &mut Panels,
) -> Result<Option<Request>, String> {
    let Some(op) = sh.need_operator() else { return Ok(None) };
    let channel = Channel::ALL[form.choice("channel").min(Channel::ALL.len() - 1)];
    let rid = form.lookup("resident");
    let hotline_due = form.date("hotline_due", sh.today.date, sh.lang.t().bad_date)?;
    let new = NewRequest {
        channel,
        category: form.choice_text("category"),
        title: form.text("title"),
        description: text::clean_input(&form.text("description"), true),
        location: form.text("location"),
        resident: (rid != 0).then_some(ResidentId(rid)),
        urgency: if form.choice("urgency") == 1 { Urgency::Urgent } else { Urgency::Normal },
        work_order: text::clean_input(&form.text("work_order"), false),
        hotline_due,
    };
    let now = sh.now();
    let saved = match existing {
        Some(id) => sh.store.edit_request(id, &new, op, now, &sh.cats, &sh.cal),
        None => sh.store.create_request(&new, op, now, &sh.cats, &sh.cal),
    };
    let r = saved.map_err(|e| sh.store_msg(&e))?;
    let p = &mut panels.requests;
    if existing.is_none() && !p.filter.is_empty() {
        // make sure the user sees what they just logged (the list as of
        // before the save: the save itself is brought in by `sync`)
        p.filter = Default::default();
        p.refresh(sh);
    }
    saved_here(&r, sh, panels);
    sh.info(fill(sh.lang.t().saved_request, r.id));
    Ok(Some(r))
}

/// A request was saved: the list shows it, selected.
pub fn saved_here(r: &Request, sh: &mut Shared, panels: &mut Panels) {
    // every panel's list follows the change in its `on_change`
    panels.sync(sh);
    panels.requests.select(r.id, sh);
}

/// Takes one step of a request's lifecycle.
fn apply_move(id: RequestId, mv: Move, sh: &mut Shared, panels: &mut Panels) {
    let Some(op) = sh.need_operator() else { return };
    let now = sh.now();
    match sh.store.move_request(id, &mv, op, now, &sh.cats, &sh.cal) {
        Ok(r) => {
            saved_here(&r, sh, panels);
            sh.info(fill(sh.lang.t().saved_request, r.id));
        }
        Err(e) => sh.error(&e),
    }
}

/// The steps `r` may take today at this operator's hands: the legal ones
/// ([`Request::allowed`]), less those for 书记/主任 when the operator is
/// neither.
pub fn offered_moves(sh: &Shared, r: &Request) -> Vec<MoveKind> {
    let leader = sh.operator.and_then(|id| sh.worker(id)).is_some_and(|w| w.is_leader());
    r.allowed(sh.today.date, &sh.cal).into_iter().filter(|k| leader || !k.leaders_only()).collect()
}

/// `m`: the steps the request may take now (only legal ones are offered).
pub fn open_move_menu(sh: &mut Shared, r: Option<&Request>) {
    let t = sh.lang.t();
    let Some(r) = r else { return sh.info(t.nothing_selected) };
    let allowed = offered_moves(sh, r);
    if allowed.is_empty() {
        return sh.info(t.no_moves);
    }
    let items: Vec<String> = allowed.iter().map(|k| i18n::move_kind(sh.lang, *k).to_string()).collect();
    let (id, assignee) = (r.id, r.assignee);
    sh.open(Layer::menu(format!("{} {}", t.choose_move, r.id), items, move |i, sh, panels| {
        if let Some(&kind) = allowed.get(i) {
            move_chosen(id, assignee, kind, sh, panels);
        }
    }));
}

/// A one-text form for a step; `required`: it cannot be left empty.
fn text_step(sh: &mut Shared, id: RequestId, kind: MoveKind, label: &str, required: bool, make: fn(String) -> Move) {
    let form =
        Form::new(&format!("{} {id}", i18n::move_kind(sh.lang, kind)), vec![Field::text("text", label, "", required)]);
    sh.open(
        FormLayer::new(form, move |form, sh, panels| {
            apply_move(id, make(form.text("text")), sh, panels);
            Ok(())
        })
        .layer(),
    );
}

/// 并单: the earlier open requests this one may join (the same resident's
/// first, then the same category's, newest first), then a note.
fn open_merge_picker(sh: &mut Shared, id: RequestId) {
    let p = sh.lang.practice();
    let Some(this) = sh.index.position(id).and_then(|i| sh.index.row(i)).cloned() else { return };
    let idx = &sh.index;
    let mut rows: Vec<&crate::store::rows::Row> = (0..idx.len() as u32)
        .filter_map(|i| idx.row(i))
        .filter(|r| r.id != id && r.id < id && r.logged <= this.logged && r.status.is_open())
        .collect();
    rows.sort_by_key(|r| {
        (this.resident.is_none() || r.resident != this.resident, r.category != this.category, std::cmp::Reverse(r.id))
    });
    let items: Vec<PickItem> = rows
        .iter()
        .take(500)
        .map(|r| {
            let who = r.resident.and_then(|x| idx.resident(x)).map_or("", |k| k.name);
            let title = idx.title_of(r);
            let label = format!("{}  {}  {}  {}", r.id, idx.category_name(r.category), title, who);
            PickItem::new(label, r.id.0, who, "", &format!("{} {title}", r.id))
        })
        .collect();
    if items.is_empty() {
        return sh.info(p.no_merge_target);
    }
    let picker = Picker::new(p.choose_merge_into, items);
    sh.open(
        PickerLayer::new(picker, move |pick, _, sh, _| {
            let Pick::Id(into) = pick else { return };
            let into = RequestId(into);
            let p = sh.lang.practice();
            let form = Form::new(
                &format!("{} {id} → {into}", i18n::move_kind(sh.lang, MoveKind::Merge)),
                vec![Field::text("text", p.f_merge_note, &fill(p.merge_default, into), true)],
            );
            sh.open(
                FormLayer::new(form, move |form, sh, panels| {
                    apply_move(id, Move::Merge(into, form.text("text")), sh, panels);
                    Ok(())
                })
                .layer(),
            );
        })
        .layer(),
    );
}

fn move_chosen(
    id: RequestId,
    assignee: Option<crate::domain::WorkerId>,
    kind: MoveKind,
    sh: &mut Shared,
    panels: &mut Panels,
) {
    let t = sh.lang.t();
    let p = sh.lang.practice();
    let lang = sh.lang;
    match kind {
        MoveKind::Return => text_step(sh, id, kind, p.f_return_reason, true, Move::Return),
        MoveKind::Merge => open_merge_picker(sh, id),
        MoveKind::AskExtension => {
            let form = Form::new(
                &format!("{} {id}", i18n::move_kind(lang, kind)),
                vec![Field::text("due", p.f_ask_due, "", true), Field::text("text", p.f_reason, "", true)],
            );
            sh.open(
                FormLayer::new(form, move |form, sh, panels| {
                    let p = sh.lang.practice();
                    let due =
                        form.date("due", sh.today.date, p.bad_ask_due)?.ok_or_else(|| p.bad_ask_due.to_string())?;
                    apply_move(id, Move::AskExtension(due, form.text("text")), sh, panels);
                    Ok(())
                })
                .layer(),
            );
        }
        MoveKind::ApproveExtension => text_step(sh, id, kind, p.f_decision, false, Move::ApproveExtension),
        MoveKind::RefuseExtension => text_step(sh, id, kind, p.f_decision, true, Move::RefuseExtension),
        MoveKind::YellowCard => text_step(sh, id, kind, p.f_press_note, true, Move::YellowCard),
        MoveKind::RedCard => text_step(sh, id, kind, p.f_press_note, true, Move::RedCard),
        MoveKind::Assign => assign_picker(sh, id, assignee),
        MoveKind::Start => apply_move(id, Move::Start, sh, panels),
        MoveKind::Close => apply_move(id, Move::Close, sh, panels),
        MoveKind::CallBack => {
            let sats = Satisfaction::ALL.iter().map(|s| i18n::satisfaction(lang, *s).to_string()).collect();
            let form = Form::new(
                &format!("{} {id}", i18n::move_kind(lang, kind)),
                vec![
                    Field::choice("satisfaction", t.f_satisfaction, sats, 0),
                    Field::text("text", t.f_text, "", false),
                ],
            );
            sh.open(
                FormLayer::new(form, move |form, sh, panels| {
                    let s = Satisfaction::ALL[form.choice("satisfaction").min(2)];
                    apply_move(id, Move::CallBack(s, form.text("text")), sh, panels);
                    Ok(())
                })
                .layer(),
            );
        }
        MoveKind::Resolve | MoveKind::Escalate | MoveKind::Transfer | MoveKind::Withdraw | MoveKind::Reopen => {
            let label = match kind {
                MoveKind::Resolve => t.f_resolution,
                MoveKind::Transfer => t.f_department,
                MoveKind::Escalate => t.f_text,
                _ => t.f_reason,
            };
            let form =
                Form::new(&format!("{} {id}", i18n::move_kind(lang, kind)), vec![Field::text("text", label, "", true)]);
            sh.open(
                FormLayer::new(form, move |form, sh, panels| {
                    let text = form.text("text");
                    let mv = match kind {
                        MoveKind::Resolve => Move::Resolve(text),
                        MoveKind::Escalate => Move::Escalate(text),
                        MoveKind::Transfer => Move::Transfer(text),
                        MoveKind::Reopen => Move::Reopen(text),
                        _ => Move::Withdraw(text),
                    };
                    apply_move(id, mv, sh, panels);
                    Ok(())
                })
                .layer(),
            );
        }
    }
}

/// `a`: who handles the request.
pub fn open_assign_picker(sh: &mut Shared, r: Option<&Request>) {
    let Some(r) = r else { return };
    if !offered_moves(sh, r).contains(&MoveKind::Assign) {
        return sh.fail(sh.lang.t().e_not_allowed);
    }
    assign_picker(sh, r.id, r.assignee);
}

fn assign_picker(sh: &mut Shared, id: RequestId, current: Option<crate::domain::WorkerId>) {
    let t = sh.lang.t();
    let p = Picker::new(&format!("{} {id}", t.choose_worker), worker_items(sh, |w| w.active))
        .with_selected_id(current.map_or(0, |w| w.0));
    sh.open(
        PickerLayer::new(p, move |pick, _, sh, panels| {
            if let Pick::Id(w) = pick {
                apply_move(id, Move::Assign(crate::domain::WorkerId(w)), sh, panels);
            }
        })
        .layer(),
    );
}

/// `c`: a dated note in the request's timeline.
pub fn open_note_form(sh: &mut Shared, r: Option<&Request>) {
    let Some(id) = r.map(|r| r.id) else { return };
    let t = sh.lang.t();
    let form = Form::new(&format!("{} {id}", t.add_note), vec![Field::text("text", t.f_text, "", true)]);
    sh.open(
        FormLayer::new(form, move |form, sh, panels| {
            let Some(op) = sh.need_operator() else { return Ok(()) };
            let r = sh.store.comment_request(id, &form.text("text"), op, sh.now()).map_err(|e| sh.store_msg(&e))?;
            saved_here(&r, sh, panels);
            sh.info(fill(sh.lang.t().saved_request, r.id));
            Ok(())
        })
        .layer(),
    );
}

/// `f`: every filter in one form.
pub fn open_filter_form(sh: &mut Shared, f: &crate::store::rows::Filter) {
    let t = sh.lang.t();
    let lang = sh.lang;
    let with_all = |v: Vec<String>| std::iter::once(t.all.to_string()).chain(v).collect::<Vec<_>>();
    let statuses = with_all(Status::ALL.iter().map(|s| i18n::status(lang, *s).to_string()).collect());
    let cats = with_all(sh.cats.names());
    let workers = with_all(sh.workers.iter().map(|w| w.name.clone()).collect());
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
            pos(&workers, f.assignee.map(|a| sh.worker_name(Some(a)).to_string())),
        ),
        Field::choice(
            "channel",
            t.f_channel,
            channels.clone(),
            pos(&channels, f.channel.map(|c| i18n::channel(lang, c).to_string())),
        ),
        Field::text("from", t.f_logged_from, &f.from.map(|d| d.to_string()).unwrap_or_default(), false),
        Field::text("to", t.f_logged_to, &f.to.map(|d| d.to_string()).unwrap_or_default(), false),
        Field::choice("mine", t.q_mine, yes_no(lang), usize::from(f.mine.is_some())),
        Field::choice("overdue", t.q_overdue, yes_no(lang), usize::from(f.overdue)),
        Field::choice("due_soon", t.q_due_soon, yes_no(lang), usize::from(f.due_soon)),
        Field::choice("callback", t.q_callback, yes_no(lang), usize::from(f.callback)),
    ];
    let form = Form::new(t.filters_title, fields);
    sh.open(FormLayer::new(form, |form, sh, panels| apply_filter(form, sh, &mut panels.requests)).layer());
}

fn apply_filter(form: &Form, sh: &mut Shared, p: &mut RequestsPanel) -> Result<(), String> {
    let t = sh.lang.t();
    let date = |key: &str| form.date(key, sh.today.date, t.bad_date);
    let pick = |key: &str| form.choice(key).checked_sub(1);
    let f = &mut p.filter;
    f.from = date("from")?;
    f.to = date("to")?;
    f.status = pick("status").map(|i| Status::ALL[i]);
    f.category = pick("category").map(|_| form.choice_text("category"));
    f.assignee = pick("assignee").and_then(|i| sh.workers.get(i)).map(|w| w.id);
    f.channel = pick("channel").map(|i| Channel::ALL[i]);
    f.mine = if form.choice("mine") == NO { None } else { sh.operator };
    f.overdue = form.choice("overdue") != NO;
    f.due_soon = form.choice("due_soon") != NO;
    f.callback = form.choice("callback") != NO;
    p.refresh(sh);
    Ok(())
}

/// Enter on a 居民 field: pick a resident (anonymous allowed when
/// `nobody` is), or create one named as typed, which then fills the field.
pub fn open_resident_lookup(sh: &mut Shared, key: &'static str, nobody: bool) {
    open_resident_lookup_as(sh, key, if nobody { Some(sh.lang.t().pick_anonymous) } else { None });
}

/// As [`open_resident_lookup`], with the words for "nobody" (`None`: a
/// resident must be chosen).
pub fn open_resident_lookup_as(sh: &mut Shared, key: &'static str, nobody: Option<&'static str>) {
    let t = sh.lang.t();
    let items = if sh.loaded {
        sh.index.residents().map(|k| pick_item(&k)).collect()
    } else {
        // still loading: read them now rather than offer nobody
        let all = sh.store.residents().unwrap_or_default();
        crate::store::rows::ResidentKeys::of(&all).iter().map(|k| pick_item(&k)).collect()
    };
    let p = Picker::new(t.choose_resident, items);
    let p = match nobody {
        Some(label) => p.with_nobody(label),
        None => p,
    };
    let p = p.with_new(t.create_resident_named);
    sh.open(
        PickerLayer::new(p, move |pick, picker, sh, _| match pick {
            Pick::Id(id) => {
                let shown = sh.resident_name(ResidentId(id)).unwrap_or_default();
                sh.effect(Effect::Fill { key, shown, id });
            }
            Pick::Nobody => sh.effect(Effect::Fill { key, shown: String::new(), id: 0 }),
            Pick::New => crate::ui::residents::forms::open_form(sh, None, &picker.query()),
        })
        .layer(),
    );
}
