//! The audit screen and a record's history: who changed what, when, field
//! by field, read-only (the app offers no way to edit the trail).

use super::layers::{FormLayer, Layer};
use super::panel::ListState;
use super::shared::{Effect, Shared};
use super::text::{line, wrap};
use super::widgets::form::{Field, Form};
use crate::domain::WorkerId;
use crate::domain::request::{Channel, Satisfaction, Status, Urgency};
use crate::i18n::{self, Lang};
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
    pub list: ListState,
}

pub fn kind_label(lang: Lang, k: RecordKind) -> &'static str {
    match (lang, k) {
        (Lang::Zh, RecordKind::Request) => "诉求",
        (Lang::Zh, RecordKind::Resident) => "居民",
        (Lang::Zh, RecordKind::Worker) => "工作者",
        (Lang::En, RecordKind::Request) => "request",
        (Lang::En, RecordKind::Resident) => "resident",
        (Lang::En, RecordKind::Worker) => "worker",
        (
            _,
            RecordKind::Team
            | RecordKind::Post
            | RecordKind::Volunteer
            | RecordKind::Activity
            | RecordKind::ServiceRecord
            | RecordKind::Certificate,
        ) => crate::i18n::volunteers::record_kind(lang, k),
        (
            _,
            RecordKind::Duty
            | RecordKind::Task
            | RecordKind::RotaSlot
            | RecordKind::Leave
            | RecordKind::LogEntry
            | RecordKind::Training
            | RecordKind::Evaluation,
        ) => crate::i18n::duties::record_kind(lang, k),
    }
}

fn field_label(lang: Lang, f: &str) -> String {
    let t = lang.t();
    let l = match f {
        "channel" => t.f_channel,
        "category" => t.col_category,
        "title" => t.col_title,
        "description" => t.f_description,
        "location" => t.f_location,
        "resident" => t.col_resident,
        "urgency" => t.f_urgency,
        "status" => t.col_status,
        "assignee" => t.col_assignee,
        "due" => t.col_due,
        "satisfaction" => t.f_satisfaction,
        "notes" => t.f_notes,
        "timeline" => t.f_timeline,
        "name" => t.f_name,
        "phone" => t.f_phone,
        "address" => t.f_address,
        "grid" => t.f_grid,
        "tags" => t.f_tags,
        "post" => t.f_post,
        "active" => t.f_active,
        other => crate::i18n::volunteers::field_label(lang, other).unwrap_or(other),
    };
    l.to_string()
}

/// Stored values are language-neutral (`InProgress`); show them in words.
fn value_label(lang: Lang, field: &str, v: &str) -> String {
    let find = |all: &[(&str, &'static str)]| all.iter().find(|(k, _)| *k == v).map(|(_, l)| l.to_string());
    let mapped = match field {
        "status" => find(&Status::ALL.map(|s| (status_name(s), i18n::status(lang, s)))),
        "channel" => Channel::ALL.iter().find(|c| format!("{c:?}") == v).map(|c| i18n::channel(lang, *c).to_string()),
        "urgency" => [Urgency::Normal, Urgency::Urgent]
            .iter()
            .find(|u| format!("{u:?}") == v)
            .map(|u| i18n::urgency(lang, *u).to_string()),
        "satisfaction" => {
            Satisfaction::ALL.iter().find(|s| format!("{s:?}") == v).map(|s| i18n::satisfaction(lang, *s).to_string())
        }
        _ => None,
    };
    mapped.or_else(|| crate::i18n::volunteers::value_label(lang, field, v)).unwrap_or_else(|| v.to_string())
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Logged => "Logged",
        Status::Assigned => "Assigned",
        Status::InProgress => "InProgress",
        Status::Resolved => "Resolved",
        Status::CalledBack => "CalledBack",
        Status::Closed => "Closed",
        Status::Escalated => "Escalated",
        Status::Transferred => "Transferred",
        Status::Withdrawn => "Withdrawn",
    }
}

impl AuditView {
    /// One entry as lines of text (wrapped by the caller).
    fn entry_text(&self, e: &AuditEntry, lang: Lang, worker: &dyn Fn(Option<WorkerId>) -> String) -> String {
        let what = if self.record.is_some() {
            String::new()
        } else {
            format!(" {} {}", kind_label(lang, e.kind), record_name(e.kind, e.key))
        };
        let changes: Vec<String> = e
            .changes
            .iter()
            .map(|c| {
                let value = |v: &str| match c.field.as_str() {
                    "assignee" if !v.is_empty() => worker(v.parse().ok().map(WorkerId)),
                    _ => value_label(lang, &c.field, v),
                };
                match e.action {
                    AuditAction::Reveal => field_label(lang, &c.field),
                    AuditAction::Create => format!("{}={}", field_label(lang, &c.field), value(&c.new)),
                    _ => format!("{}: {} → {}", field_label(lang, &c.field), value(&c.old), value(&c.new)),
                }
            })
            .collect();
        format!(
            "{} {} [{}]{}  {}",
            e.at.format("%Y-%m-%d %H:%M"),
            worker(e.by),
            i18n::audit_action(lang, e.action),
            what,
            changes.join("; ")
        )
    }

    pub fn render(&mut self, area: Rect, buf: &mut Buffer, sh: &Shared) {
        let (theme, lang) = (&sh.theme, sh.lang);
        let name =
            |w: Option<WorkerId>| w.and_then(|id| sh.worker(id)).map_or_else(|| "-".to_string(), |x| x.name.clone());
        let worker: &dyn Fn(Option<WorkerId>) -> String = &name;
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
        for (i, e) in self.entries.iter().enumerate() {
            for (j, l) in wrap(&self.entry_text(e, lang, worker), inner.width as usize - 1).into_iter().enumerate() {
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
        line(buf, inner.x, inner.bottom().saturating_sub(1), inner.width, t.audit_keys, theme.dim);
    }
}

/// How a record is named in the trail: requests by their number.
pub fn record_name(kind: RecordKind, key: u64) -> String {
    match kind {
        RecordKind::Request => crate::domain::RequestId(key).to_string(),
        _ => format!("#{key}"),
    }
}

/// The whole trail, newest first, through `filter`.
pub fn open(sh: &mut Shared, filter: AuditFilter) {
    let t = sh.lang.t();
    match sh.store.audit_entries(MAX_ENTRIES, |e| filter.keeps(e)) {
        Ok(entries) => sh.open(Layer::Audit(Box::new(AuditView {
            title: t.audit_title.to_string(),
            record: None,
            filter,
            entries,
            list: ListState::default(),
        }))),
        Err(e) => sh.error(&e),
    }
}

/// One record's history, oldest first.
pub fn open_history(sh: &mut Shared, (kind, key, name): (RecordKind, u64, String)) {
    match sh.store.history(kind, key) {
        Ok(entries) => {
            let title = i18n::fill(sh.lang.t().history_title, format!("{} {name}", kind_label(sh.lang, kind)));
            sh.open(Layer::Audit(Box::new(AuditView {
                title,
                record: Some((kind, key)),
                filter: AuditFilter::default(),
                entries,
                list: ListState::default(),
            })))
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
    let form = Form::new(t.filters_title, t.form_keys, fields);
    sh.open(FormLayer::new(form, |form, sh, _| apply_filter(form, sh)).layer());
}

/// Reads the filter form; on success the trail below is replaced.
fn apply_filter(form: &Form, sh: &mut Shared) -> Result<(), String> {
    let t = sh.lang.t();
    let date = |key: &str| -> Result<Option<NaiveDate>, String> {
        let s = form.text(key);
        if s.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(&s, "%Y-%m-%d").map(Some).map_err(|_| t.bad_date.to_string())
    };
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
