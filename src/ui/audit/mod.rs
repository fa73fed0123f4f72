//! The audit screen and a record's history: who changed what, when, field
//! by field, read-only (the app offers no way to edit the trail).

use super::layers::{FormLayer, Layer};
use super::panel::ListState;
use super::shared::{Effect, Shared};
use super::text::{line, wrap};
use super::widgets::form::{Field, Form};
use crate::domain::WorkerId;
use crate::domain::volunteer::{Activity, Post, Team, Volunteer};
use crate::i18n::{self, Lang, fields};
use crate::store::audit::{AuditAction, AuditEntry};
use crate::store::record::RecordKind;
use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear, Widget};

/// How many entries the audit screen reads at most (newest first).
const MAX_ENTRIES: usize = 2000;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub worker: Option<WorkerId>,
    pub kind: Option<RecordKind>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl AuditFilter {
    fn keeps(&self, e: &AuditEntry) -> bool {
        self.worker.is_none_or(|w| e.by == Some(w))
            && self.kind.is_none_or(|k| e.kind == k)
            && self.from.is_none_or(|d| e.at.date() >= d)
            && self.to.is_none_or(|d| e.at.date() <= d)
    }
}

pub struct AuditView {
    pub title: String,
    /// One record's history (oldest first), or the whole trail (newest first).
    pub record: Option<(RecordKind, u64)>,
    pub filter: AuditFilter,
    pub entries: Vec<AuditEntry>,
    /// Each entry in words, made once when the trail is opened (names
    /// looked up then, not at every frame).
    pub texts: Vec<String>,
    pub list: ListState,
}

/// A kind of record in words.
pub fn kind_label(lang: Lang, k: RecordKind) -> &'static str {
    fields::kind_name(lang, k)
}

/// Names for the ids the trail keeps: workers and residents from the
/// shared lists, roster records from the store, each looked up once.
struct TrailNames<'a> {
    sh: &'a Shared,
    seen: std::cell::RefCell<std::collections::HashMap<(u8, u64), Option<String>>>,
}

impl TrailNames<'_> {
    fn cached(&self, kind: u8, id: u64, f: impl FnOnce() -> Option<String>) -> Option<String> {
        if let Some(v) = self.seen.borrow().get(&(kind, id)) {
            return v.clone();
        }
        let v = f();
        self.seen.borrow_mut().insert((kind, id), v.clone());
        v
    }
}

impl fields::Names for TrailNames<'_> {
    fn worker(&self, id: u64) -> Option<String> {
        self.sh.worker(WorkerId(id)).map(|w| w.name.clone())
    }
    fn resident(&self, id: u64) -> Option<String> {
        self.cached(0, id, || self.sh.resident_name(crate::domain::ResidentId(id)))
    }
    fn team(&self, id: u64) -> Option<String> {
        self.cached(1, id, || self.sh.store.get::<Team>(id).ok().flatten().map(|t| t.name))
    }
    fn post(&self, id: u64) -> Option<String> {
        self.cached(2, id, || self.sh.store.get::<Post>(id).ok().flatten().map(|p| p.name))
    }
    fn volunteer(&self, id: u64) -> Option<String> {
        self.cached(3, id, || self.sh.store.get::<Volunteer>(id).ok().flatten().map(|v| v.name))
    }
    fn activity(&self, id: u64) -> Option<String> {
        self.cached(4, id, || {
            self.sh.store.get::<Activity>(id).ok().flatten().map(|a| format!("{} {}", a.date, a.title))
        })
    }
}

/// One entry in words.
fn entry_text(e: &AuditEntry, whole_trail: bool, lang: Lang, names: &TrailNames) -> String {
    let who = e.by.and_then(|w| names.sh.worker(w)).map_or_else(|| "-".to_string(), |w| w.name.clone());
    let head = format!("{} {who} [{}]", e.at.format("%Y-%m-%d %H:%M"), i18n::audit_action(lang, e.action));
    if e.action == AuditAction::Export {
        // an export's entry says what went out, how many rows, where to
        return format!("{head} {}", fields::entry_details(lang, e, names));
    }
    let subject = if whole_trail {
        format!(" {} {}", kind_label(lang, e.kind), record_name(e.kind, e.key, names))
    } else {
        String::new()
    };
    format!("{head}{subject}  {}", fields::entry_details(lang, e, names))
}

impl AuditView {
    fn new(
        sh: &Shared,
        title: String,
        record: Option<(RecordKind, u64)>,
        filter: AuditFilter,
        entries: Vec<AuditEntry>,
    ) -> AuditView {
        let names = TrailNames { sh, seen: Default::default() };
        let texts = entries.iter().map(|e| entry_text(e, record.is_none(), sh.lang, &names)).collect();
        AuditView { title, record, filter, entries, texts, list: ListState::default() }
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, sh: &Shared) {
        let (theme, lang) = (&sh.theme, sh.lang);
        Clear.render(area, buf);
        let block = Block::new()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(format!(" {} ", self.title))
            .title_style(theme.title);
        let inner = block.inner(area);
        block.render(area, buf);
        let t = lang.t();
        let mut lines: Vec<(String, bool)> = Vec::new();
        for (i, text) in self.texts.iter().enumerate() {
            for (j, l) in wrap(text, (inner.width as usize).saturating_sub(1)).into_iter().enumerate() {
                lines.push((if j == 0 { l } else { format!("  {l}") }, i == self.list.sel));
            }
        }
        if lines.is_empty() {
            lines.push((t.audit_empty.to_string(), false));
        }
        let height = inner.height.saturating_sub(1) as usize;
        let first = self.list.visible_from(height, lines.len());
        for (row, (l, sel)) in lines.iter().skip(first).take(height).enumerate() {
            let style = if *sel { theme.focus } else { theme.base };
            line(buf, inner.x, inner.y + row as u16, inner.width, l, style);
        }
        let keys = super::keymap::hint_line(lang, super::keymap::Scope::Audit);
        line(buf, inner.x, inner.bottom().saturating_sub(1), inner.width, &keys, theme.dim);
    }
}

/// How a record is named in the trail and in undo's message, as the
/// office knows it: requests by their number, people by their name, a
/// duty shift by its day, a task by its title, never by an internal id
/// (a record gone from the store is named by its kind alone).
fn record_name(kind: RecordKind, key: u64, names: &TrailNames) -> String {
    use crate::domain::duties::training::Training;
    use crate::domain::duties::{evaluation::Evaluation, leave::Leave, log::LogEntry, standing::Duty, task::Task};
    use crate::domain::volunteer::{Certificate, ServiceRecord};
    use fields::Names;
    let store = &names.sh.store;
    let worker = |w: WorkerId| names.worker(w.0).unwrap_or_default();
    let name = match kind {
        RecordKind::Request => return crate::domain::RequestId(key).to_string(),
        RecordKind::Resident => names.resident(key),
        RecordKind::Worker => names.worker(key),
        RecordKind::Team => names.team(key),
        RecordKind::Post => names.post(key),
        RecordKind::Volunteer => names.volunteer(key),
        RecordKind::Activity => names.activity(key),
        // a shift's key is its day: 2026-12-07 is 202612070
        RecordKind::RotaSlot => {
            let ymd = key / 10;
            let d = NaiveDate::from_ymd_opt((ymd / 10_000) as i32, (ymd / 100 % 100) as u32, (ymd % 100) as u32);
            d.map(|d| d.to_string())
        }
        RecordKind::Task => store.get::<Task>(key).ok().flatten().map(|t| format!("“{}”", t.title)),
        RecordKind::Duty => store.get::<Duty>(key).ok().flatten().map(|d| format!("“{}”", d.title)),
        RecordKind::Training => store.get::<Training>(key).ok().flatten().map(|t| format!("{} “{}”", t.date, t.title)),
        RecordKind::Leave => store.get::<Leave>(key).ok().flatten().map(|l| format!("{} {}", worker(l.worker), l.from)),
        RecordKind::LogEntry => {
            store.get::<LogEntry>(key).ok().flatten().map(|e| format!("{} {}", worker(e.worker), e.date))
        }
        RecordKind::Evaluation => {
            store.get::<Evaluation>(key).ok().flatten().map(|e| format!("{} {}", worker(e.worker), e.year))
        }
        RecordKind::ServiceRecord => store
            .get::<ServiceRecord>(key)
            .ok()
            .flatten()
            .map(|r| format!("{} {}", names.volunteer(r.volunteer.0).unwrap_or_default(), r.date)),
        RecordKind::Certificate => store.get::<Certificate>(key).ok().flatten().map(|c| c.number),
    };
    name.unwrap_or_default()
}

/// The records a change touched, named for a message (`值班 2026-12-07`,
/// `居民 张三`); at most `max`, then how many more.
pub fn describe_records(sh: &Shared, records: &[(RecordKind, u64)], max: usize) -> String {
    describe_records_with(sh, records, max, |_| None)
}

/// [`describe_records`], a record gone from the store (an undone creation)
/// named from its bytes as they were, `gone(i)` for `records[i]`, read only
/// when the store has no name for it. Records all of one kind name it once
/// (`居民 张三，李四，王五，等 29997 条`: an undone import on one line).
pub fn describe_records_with(
    sh: &Shared,
    records: &[(RecordKind, u64)],
    max: usize,
    gone: impl Fn(usize) -> Option<Vec<u8>>,
) -> String {
    let names = TrailNames { sh, seen: Default::default() };
    let one_kind =
        records.len() > 1 && records[0].0 != RecordKind::Request && records.iter().all(|&(k, _)| k == records[0].0);
    let mut parts: Vec<String> = records
        .iter()
        .take(max)
        .enumerate()
        .map(|(i, &(k, key))| match k {
            RecordKind::Request => crate::domain::RequestId(key).to_string(),
            k => {
                let mut name = record_name(k, key, &names);
                if name.is_empty() {
                    name = gone(i).and_then(|b| name_from_bytes(k, &b)).unwrap_or_default();
                }
                if one_kind && i > 0 {
                    name
                } else {
                    format!("{} {name}", kind_label(sh.lang, k)).trim_end().to_string()
                }
            }
        })
        .filter(|p| !p.is_empty())
        .collect();
    if records.len() > max {
        parts.push(crate::i18n::fill(sh.lang.t().and_n_more, records.len() - max));
    }
    parts.join(sh.lang.data().list_sep)
}

/// A record's name read from its stored bytes (a record no longer in the
/// store); `None` for a kind named by what it refers to, or bytes that do
/// not decode.
fn name_from_bytes(kind: RecordKind, bytes: &[u8]) -> Option<String> {
    use crate::domain::duties::{standing::Duty, task::Task};
    use crate::domain::{Resident, Worker};
    use crate::store::codec::decode;
    match kind {
        RecordKind::Resident => decode::<Resident>(bytes).ok().map(|r| r.name),
        RecordKind::Worker => decode::<Worker>(bytes).ok().map(|w| w.name),
        RecordKind::Team => decode::<Team>(bytes).ok().map(|t| t.name),
        RecordKind::Post => decode::<Post>(bytes).ok().map(|p| p.name),
        RecordKind::Volunteer => decode::<Volunteer>(bytes).ok().map(|v| v.name),
        RecordKind::Activity => decode::<Activity>(bytes).ok().map(|a| format!("{} {}", a.date, a.title)),
        RecordKind::Task => decode::<Task>(bytes).ok().map(|t| format!("“{}”", t.title)),
        RecordKind::Duty => decode::<Duty>(bytes).ok().map(|d| format!("“{}”", d.title)),
        _ => None,
    }
}

/// The whole trail, newest first, through `filter`.
pub fn open(sh: &mut Shared, filter: AuditFilter) {
    let t = sh.lang.t();
    match sh.store.audit_entries(MAX_ENTRIES, |e| filter.keeps(e)) {
        Ok(entries) => {
            let v = AuditView::new(sh, t.audit_title.to_string(), None, filter, entries);
            sh.open(Layer::Audit(Box::new(v)))
        }
        Err(e) => sh.error(&e),
    }
}

/// One record's history, oldest first.
pub fn open_history(sh: &mut Shared, (kind, key, name): (RecordKind, u64, String)) {
    match sh.store.history(kind, key) {
        Ok(entries) => {
            let title = i18n::fill(sh.lang.t().history_title, format!("{} {name}", kind_label(sh.lang, kind)));
            let v = AuditView::new(sh, title, Some((kind, key)), AuditFilter::default(), entries);
            sh.open(Layer::Audit(Box::new(v)))
        }
        Err(e) => sh.error(&e),
    }
}

/// A key on the audit screen.
pub fn handle_key(mut v: Box<AuditView>, key: &KeyEvent, sh: &mut Shared, stack: &mut Vec<Layer>) {
    use super::keymap::{self, Action, Scope};
    match keymap::resolve(&[Scope::Audit], key) {
        Some(Action::Close) => {}
        Some(Action::Filter) if v.record.is_none() => {
            let filter = v.filter.clone();
            stack.push(Layer::Audit(v));
            open_filter(sh, &filter);
        }
        Some(Action::Scroll) => {
            let n = v.entries.len();
            match key.code {
                KeyCode::Up => v.list.step(-1, n),
                KeyCode::Down => v.list.step(1, n),
                KeyCode::PageUp => v.list.step(-10, n),
                KeyCode::PageDown => v.list.step(10, n),
                KeyCode::Home => v.list.to(0, n),
                _ => v.list.to(n, n),
            }
            stack.push(Layer::Audit(v));
        }
        _ => stack.push(Layer::Audit(v)),
    }
}

fn open_filter(sh: &mut Shared, f: &AuditFilter) {
    let t = sh.lang.t();
    let lang = sh.lang;
    let all = |v: Vec<String>| std::iter::once(t.all.to_string()).chain(v).collect::<Vec<_>>();
    let workers = all(sh.workers.iter().map(|w| w.name.clone()).collect());
    let kinds = all(RecordKind::ALL.iter().map(|k| kind_label(lang, *k).to_string()).collect());
    let wsel = f.worker.and_then(|w| sh.workers.iter().position(|x| x.id == w)).map_or(0, |i| i + 1);
    let ksel = f.kind.and_then(|k| RecordKind::ALL.iter().position(|x| *x == k)).map_or(0, |i| i + 1);
    let fields = vec![
        Field::choice("worker", t.operator, workers, wsel),
        Field::choice("kind", t.audit_kind, kinds, ksel),
        Field::text("from", t.f_from, &f.from.map(|d| d.to_string()).unwrap_or_default(), false),
        Field::text("to", t.f_to, &f.to.map(|d| d.to_string()).unwrap_or_default(), false),
    ];
    let form = Form::new(t.filters_title, fields);
    sh.open(FormLayer::new(form, |form, sh, _| apply_filter(form, sh)).layer());
}

/// Reads the filter form; on success the trail below is replaced.
fn apply_filter(form: &Form, sh: &mut Shared) -> Result<(), String> {
    let t = sh.lang.t();
    let date = |key: &str| form.date(key, sh.today.date, t.bad_date);
    let filter = AuditFilter {
        worker: form.choice("worker").checked_sub(1).and_then(|i| sh.workers.get(i)).map(|w| w.id),
        kind: form.choice("kind").checked_sub(1).and_then(|i| RecordKind::ALL.get(i).copied()),
        from: date("from")?,
        to: date("to")?,
    };
    sh.effect(Effect::CloseBelow);
    open(sh, filter);
    Ok(())
}
