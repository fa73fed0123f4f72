//! Layers stacked above the panels (helix's compositor idea): forms,
//! pickers, menus, confirmations, help, and the screens that cover a panel
//! (the audit trail, the data screens, the roll call). The top layer gets
//! every key first. A form, picker, menu or confirmation carries what
//! happens when it is answered, as a closure over what it is about, so no
//! answer comes back through a shared list of purposes.

use super::keymap::{self, Action, Scope};
use super::panel::Panels;
use super::shared::Shared;
use super::text::{boxed, centered, line, wrap};
use super::widgets::form::{Form, FormOutcome};
use super::widgets::input::LineInput;
use super::widgets::picker::{Pick, Picker, PickerOutcome};
use crate::i18n::Lang;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};

/// Saves what a form holds. `Err` keeps the form open with the message.
pub type Submit = Box<dyn FnMut(&Form, &mut Shared, &mut Panels) -> Result<(), String>>;
/// Recomputes a form's hints (or its lookups) after a field changed.
pub type OnChange = Box<dyn FnMut(&mut Form, &mut Shared, &mut Panels)>;
/// Opens the picker behind a lookup field (`key`) of the form.
pub type OnLookup = Box<dyn FnMut(&'static str, &Form, &mut Shared, &mut Panels)>;
/// What a picked item leads to (the picker itself is passed for its query).
pub type OnPick = Box<dyn FnOnce(Pick, &Picker, &mut Shared, &mut Panels)>;
/// What a confirmed question, or a chosen menu item, leads to.
pub type OnYes = Box<dyn FnOnce(&mut Shared, &mut Panels)>;
pub type OnChoose = Box<dyn FnOnce(usize, &mut Shared, &mut Panels)>;
/// What Esc on a picker leads to.
pub type OnCancel = Box<dyn FnOnce(&mut Shared)>;

/// The form field (and the audited field name) of an ID number (身份证号).
pub const ID_NUMBER: &str = "id_number";

pub struct FormLayer {
    pub form: Form,
    pub submit: Submit,
    pub changed: Option<OnChange>,
    pub lookup: Option<OnLookup>,
    /// The record whose masked phone numbers `v` reveals (the reveal is
    /// recorded in the audit trail before the number shows).
    pub reveal: Option<(crate::store::record::RecordKind, u64)>,
    /// The existing record this form writes, as it was read when the form
    /// opened: the save is refused if someone has written it since.
    pub editing: Option<super::colleagues::Editing>,
}

impl FormLayer {
    pub fn new(
        form: Form,
        submit: impl FnMut(&Form, &mut Shared, &mut Panels) -> Result<(), String> + 'static,
    ) -> FormLayer {
        FormLayer { form, submit: Box::new(submit), changed: None, lookup: None, reveal: None, editing: None }
    }

    /// Lets `v` show this record's masked phone numbers, each reveal
    /// recorded like any other (`residents::forms::reveal`).
    pub fn revealing(mut self, kind: crate::store::record::RecordKind, key: u64, lang: Lang) -> FormLayer {
        self.reveal = Some((kind, key));
        self.form.reveal_hint = lang.t().masked_hint.to_string();
        self
    }

    /// This form edits the existing record `(kind, id)`, read now (open
    /// the form from what the store holds now, not from an older copy): a
    /// colleague's save to it while the form is open makes this form's
    /// save refused, the form kept with what was typed and the message
    /// naming who changed it and when. Call it where an edit form is built.
    pub fn editing(
        mut self,
        kind: crate::store::record::RecordKind,
        id: u64,
        store: &crate::store::Store,
    ) -> FormLayer {
        self.editing = Some(super::colleagues::Editing::read(store, kind, id));
        self
    }

    pub fn on_change(mut self, f: impl FnMut(&mut Form, &mut Shared, &mut Panels) + 'static) -> FormLayer {
        self.changed = Some(Box::new(f));
        self
    }

    pub fn on_lookup(mut self, f: impl FnMut(&'static str, &Form, &mut Shared, &mut Panels) + 'static) -> FormLayer {
        self.lookup = Some(Box::new(f));
        self
    }

    pub fn layer(self) -> Layer {
        Layer::Form(Box::new(self))
    }
}

pub struct PickerLayer {
    pub picker: Picker,
    pub picked: OnPick,
    /// What Esc leads to (nothing, by default).
    pub cancelled: Option<OnCancel>,
}

impl PickerLayer {
    pub fn new(picker: Picker, picked: impl FnOnce(Pick, &Picker, &mut Shared, &mut Panels) + 'static) -> PickerLayer {
        PickerLayer { picker, picked: Box::new(picked), cancelled: None }
    }

    pub fn on_cancel(mut self, f: impl FnOnce(&mut Shared) + 'static) -> PickerLayer {
        self.cancelled = Some(Box::new(f));
        self
    }

    pub fn layer(self) -> Layer {
        Layer::Picker(Box::new(self))
    }
}

pub struct Menu {
    pub title: String,
    pub items: Vec<String>,
    pub selected: usize,
    pub chosen: OnChoose,
}

pub enum ConfirmAction {
    /// Close the layer below without saving (a form, a roll call).
    DiscardBelow,
    Run(OnYes),
}

pub enum Layer {
    Form(Box<FormLayer>),
    Picker(Box<PickerLayer>),
    Menu(Box<Menu>),
    Confirm(String, ConfirmAction),
    Help(u16),
    Welcome,
    /// What changed at this start (an upgrade's notices): a title and its
    /// lines, closed with Enter or Esc.
    Notice(String, Vec<String>),
    /// The start-up PIN: nothing else is drawn until it is right.
    Pin(LineInput, u8),
    /// The audit trail or one record's history.
    Audit(Box<super::audit::AuditView>),
    /// The roster's roll call (点名) for an activity.
    RollCall(Box<super::volunteers::rollcall::RollCall>),
    /// The data screens: backup, restore, export, import, monthly report.
    Data(Box<super::data::DataView>),
    /// The overview (概览).
    Overview(Box<super::overview::OverviewView>),
}

impl Layer {
    pub fn confirm(msg: impl Into<String>, yes: impl FnOnce(&mut Shared, &mut Panels) + 'static) -> Layer {
        Layer::Confirm(msg.into(), ConfirmAction::Run(Box::new(yes)))
    }

    pub fn menu(
        title: String,
        items: Vec<String>,
        chosen: impl FnOnce(usize, &mut Shared, &mut Panels) + 'static,
    ) -> Layer {
        Layer::Menu(Box::new(Menu { title, items, selected: 0, chosen: Box::new(chosen) }))
    }

    /// The key map's scope of this layer (its footer and its part of `?`).
    pub fn scope(&self) -> Option<Scope> {
        Some(match self {
            Layer::Form(_) => Scope::Form,
            Layer::Picker(_) => Scope::Picker,
            Layer::Menu(_) => Scope::Menu,
            Layer::Confirm(..) => Scope::Confirm,
            Layer::Help(_) => Scope::Help,
            Layer::Pin(..) => Scope::Pin,
            Layer::Audit(_) => Scope::Audit,
            Layer::Overview(_) => Scope::Overview,
            Layer::RollCall(_) => Scope::RollCall,
            Layer::Data(v) => v.scope(),
            Layer::Welcome => Scope::Welcome,
            Layer::Notice(..) => Scope::Notice,
        })
    }

    /// Draws the layer over `area`; returns where the cursor belongs.
    pub fn render(&mut self, area: Rect, buf: &mut Buffer, sh: &Shared, scopes: &[Scope]) -> Option<Position> {
        let (theme, lang) = (&sh.theme, sh.lang);
        let t = lang.t();
        match self {
            Layer::Form(f) => {
                let w = 72.min(area.width);
                let r = centered(area, w, f.form.height(w));
                f.form.render(r, buf, theme, lang)
            }
            Layer::RollCall(r) => Some(r.render(area, buf, theme, lang)),
            Layer::Picker(p) => {
                let r = centered(area, 60, area.height.saturating_sub(2).min(20));
                Some(p.picker.render(r, buf, theme, lang))
            }
            Layer::Menu(m) => {
                let keys = keymap::hint_line(lang, Scope::Menu);
                // wide enough for its keys, so the hint is never cut
                let w = (crate::domain::text::width(&keys) as u16 + 4).max(40);
                let r = centered(area, w, m.items.len() as u16 + 3);
                let inner = boxed(r, buf, theme, &m.title);
                for (i, label) in m.items.iter().enumerate() {
                    let style = if i == m.selected { theme.selected } else { theme.base };
                    let y = inner.y + i as u16;
                    if y >= inner.bottom() {
                        break;
                    }
                    buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
                    line(buf, inner.x + 1, y, inner.width.saturating_sub(1), &format!("{} {label}", i + 1), style);
                }
                line(
                    buf,
                    inner.x + 1,
                    inner.bottom().saturating_sub(1),
                    inner.width.saturating_sub(1),
                    &keys,
                    theme.dim,
                );
                None
            }
            Layer::Confirm(msg, _) => {
                let r = centered(area, 50, 5);
                let inner = boxed(r, buf, theme, t.confirm);
                line(buf, inner.x + 1, inner.y, inner.width.saturating_sub(1), msg, theme.warn);
                let keys = keymap::hint_line(lang, Scope::Confirm);
                line(buf, inner.x + 1, inner.y + 2, inner.width.saturating_sub(1), &keys, theme.base);
                None
            }
            Layer::Help(scroll) => {
                let r = centered(area, area.width.min(100), area.height);
                let inner = boxed(r, buf, theme, t.help_title);
                let rows = keymap::help(lang, scopes);
                // two columns, so a whole panel's keys fit on 80×24
                let per_col = inner.height.saturating_sub(1).max(1) as usize;
                let col_w = inner.width / 2;
                for (i, (keys, label)) in rows.iter().skip(*scroll as usize).enumerate() {
                    let (col, row) = (i / per_col, i % per_col);
                    if col > 1 {
                        break;
                    }
                    let x = inner.x + 1 + col as u16 * col_w;
                    let y = inner.y + row as u16;
                    line(buf, x, y, 14, keys, theme.focus);
                    line(buf, x + 15, y, col_w.saturating_sub(16), label, theme.base);
                }
                let keys = keymap::hint_line(lang, Scope::Help);
                line(
                    buf,
                    inner.x + 1,
                    inner.bottom().saturating_sub(1),
                    inner.width.saturating_sub(1),
                    &keys,
                    theme.dim,
                );
                None
            }
            Layer::Audit(v) => {
                v.render(area, buf, sh);
                None
            }
            Layer::Overview(v) => {
                v.render(area, buf, sh);
                None
            }
            Layer::Data(v) => v.render(area, buf, theme, lang),
            Layer::Pin(input, tries) => {
                let r = centered(area, 44, 6);
                let inner = boxed(r, buf, theme, t.pin_title);
                let stars = "*".repeat(input.value().chars().count());
                line(buf, inner.x + 1, inner.y + 1, inner.width.saturating_sub(2), &format!("> {stars}"), theme.focus);
                if *tries > 0 {
                    line(buf, inner.x + 1, inner.y + 2, inner.width.saturating_sub(2), t.pin_wrong, theme.error);
                }
                let keys = keymap::hint_line(lang, Scope::Pin);
                line(
                    buf,
                    inner.x + 1,
                    inner.bottom().saturating_sub(1),
                    inner.width.saturating_sub(2),
                    &keys,
                    theme.dim,
                );
                Some(Position::new(inner.x + 3 + stars.len() as u16, inner.y + 1))
            }
            Layer::Notice(title, lines) => {
                let w = area.width.min(72);
                let inner_w = (w as usize).saturating_sub(4);
                let text: Vec<String> =
                    lines.iter().flat_map(|l| wrap(l, inner_w).into_iter().chain([String::new()])).collect();
                let h = (text.len() as u16 + 3).min(area.height);
                let r = centered(area, w, h);
                let inner = boxed(r, buf, theme, title);
                for (y, chunk) in (inner.y..inner.bottom().saturating_sub(1)).zip(&text) {
                    line(buf, inner.x + 1, y, inner.width.saturating_sub(2), chunk, theme.base);
                }
                let keys = keymap::hint_line(lang, Scope::Notice);
                line(
                    buf,
                    inner.x + 1,
                    inner.bottom().saturating_sub(1),
                    inner.width.saturating_sub(1),
                    &keys,
                    theme.focus,
                );
                None
            }
            Layer::Welcome => {
                let r = centered(area, 64, 11);
                let inner = boxed(r, buf, theme, t.welcome);
                let w = (inner.width as usize).saturating_sub(2);
                let text = wrap(t.welcome_body, w).into_iter().chain([String::new()]).chain(wrap(t.welcome_demo, w));
                for (y, chunk) in (inner.y..inner.bottom().saturating_sub(1)).zip(text) {
                    line(buf, inner.x + 1, y, inner.width.saturating_sub(1), &chunk, theme.base);
                }
                let keys = keymap::hint_line(lang, Scope::Welcome);
                line(
                    buf,
                    inner.x + 1,
                    inner.bottom().saturating_sub(1),
                    inner.width.saturating_sub(1),
                    &keys,
                    theme.focus,
                );
                None
            }
        }
    }
}

/// Words on the welcome box's keys.
pub fn welcome_label(lang: Lang, start: bool) -> &'static str {
    let t = lang.t();
    if start { t.add_first_worker.trim_start_matches("+ ") } else { t.demo_badge }
}

/// A key for the top layer, which the app has taken off the stack: the
/// layer goes back on unless the key closed it.
pub fn handle_key(layer: Layer, key: &KeyEvent, sh: &mut Shared, panels: &mut Panels, stack: &mut Vec<Layer>) {
    match layer {
        Layer::Form(mut f) => match f.form.handle_key(key) {
            FormOutcome::Cancel if f.form.dirty => {
                stack.push(Layer::Form(f));
                stack.push(Layer::Confirm(sh.lang.t().confirm_discard.into(), ConfirmAction::DiscardBelow));
            }
            FormOutcome::Cancel => {}
            FormOutcome::Submit => submit(f, sh, panels, stack),
            FormOutcome::Lookup(field) => {
                if let Some(open) = f.lookup.as_mut() {
                    open(field, &f.form, sh, panels);
                }
                stack.push(Layer::Form(f));
            }
            FormOutcome::Changed => {
                changed(&mut f, sh, panels);
                stack.push(Layer::Form(f));
            }
            FormOutcome::Reveal(field) => {
                // the audit names what was shown: the phone, or the ID number
                let what = if field == ID_NUMBER { ID_NUMBER } else { "phone" };
                if let Some((kind, key)) = f.reveal
                    && crate::ui::residents::forms::reveal_fields(sh, kind, key, &[what])
                {
                    f.form.unmask(field);
                }
                stack.push(Layer::Form(f));
            }
            FormOutcome::Consumed => stack.push(Layer::Form(f)),
        },
        Layer::Picker(mut p) => match p.picker.handle_key(key) {
            PickerOutcome::Consumed => stack.push(Layer::Picker(p)),
            PickerOutcome::Cancel => {
                if let Some(c) = p.cancelled.take() {
                    c(sh);
                }
            }
            PickerOutcome::Picked(pick) => {
                let PickerLayer { picker, picked, .. } = *p;
                picked(pick, &picker, sh, panels);
            }
        },
        Layer::Menu(mut m) => match keymap::resolve(&[Scope::Menu], key) {
            Some(Action::Cancel) => {}
            Some(Action::Choose) => {
                m.selected = match key.code {
                    KeyCode::Up => m.selected.saturating_sub(1),
                    _ => (m.selected + 1).min(m.items.len().saturating_sub(1)),
                };
                stack.push(Layer::Menu(m));
            }
            Some(Action::DigitOrEnter) => {
                let i = match key.code {
                    KeyCode::Char(c) => (c as usize).wrapping_sub('1' as usize),
                    _ => m.selected,
                };
                if i < m.items.len() {
                    (m.chosen)(i, sh, panels);
                } else {
                    stack.push(Layer::Menu(m));
                }
            }
            _ => stack.push(Layer::Menu(m)),
        },
        Layer::Confirm(msg, action) => match keymap::resolve(&[Scope::Confirm], key) {
            Some(Action::Yes) => match action {
                ConfirmAction::DiscardBelow => {
                    stack.pop();
                }
                ConfirmAction::Run(yes) => yes(sh, panels),
            },
            Some(Action::No) => {}
            _ => stack.push(Layer::Confirm(msg, action)),
        },
        Layer::Help(scroll) => match keymap::resolve(&[Scope::Help], key) {
            Some(Action::Scroll) if key.code == KeyCode::Down => stack.push(Layer::Help(scroll + 1)),
            Some(Action::Scroll) => stack.push(Layer::Help(scroll.saturating_sub(1))),
            Some(Action::Close) => {}
            _ => stack.push(Layer::Help(scroll)),
        },
        Layer::Audit(v) => super::audit::handle_key(v, key, sh, stack),
        Layer::Overview(v) => super::overview::handle_key(v, key, sh, panels, stack),
        Layer::RollCall(r) => super::volunteers::rollcall::handle_key(r, key, sh, panels, stack),
        Layer::Data(v) => super::data::handle_key(v, key, sh, panels, stack),
        Layer::Pin(mut input, tries) => match keymap::resolve(&[Scope::Pin], key) {
            Some(Action::Quit) => sh.quit = true,
            Some(Action::Pick) => match sh.store.check_pin(&input.value()) {
                Ok(true) => {}
                Ok(false) if tries >= 2 => sh.quit = true,
                Ok(false) => stack.push(Layer::Pin(Default::default(), tries + 1)),
                Err(e) => {
                    sh.error(&e);
                    stack.push(Layer::Pin(input, tries));
                }
            },
            _ => {
                input.handle_key(key);
                stack.push(Layer::Pin(input, tries));
            }
        },
        Layer::Notice(title, lines) => match keymap::resolve(&[Scope::Notice], key) {
            Some(Action::Close) => {}
            _ => stack.push(Layer::Notice(title, lines)),
        },
        Layer::Welcome => match keymap::resolve(&[Scope::Welcome], key) {
            Some(Action::Start) => super::duties::registry::open_worker_form(sh, &panels.duties.grades, None),
            Some(Action::Demo) => {
                sh.open_demo = true;
                sh.quit = true;
            }
            Some(Action::Quit) => sh.quit = true,
            _ => stack.push(Layer::Welcome),
        },
    }
}

/// Saves the form; on a problem it goes back on the stack with the message,
/// and nothing is written.
fn submit(mut f: Box<FormLayer>, sh: &mut Shared, panels: &mut Panels, stack: &mut Vec<Layer>) {
    if let Some(label) = f.form.missing() {
        f.form.error = Some(crate::i18n::fill(sh.lang.t().required, &label));
        f.form.focus_on_label(&label);
        stack.push(Layer::Form(f));
        return;
    }
    // a colleague saved this record after the form read it: saving now
    // would overwrite their change with what this form was filled from.
    // (The check and the save run in one go on one thread, as every App
    // over a shared store does, so nothing can slip in between.)
    if let Some(msg) = f.editing.as_ref().and_then(|e| e.refusal(sh)) {
        f.form.error = Some(msg);
        stack.push(Layer::Form(f));
        return;
    }
    if let Err(msg) = (f.submit)(&f.form, sh, panels) {
        // the cursor goes where the fault is, when the message names a field
        f.form.focus_named_in(&msg);
        f.form.error = Some(msg);
        stack.push(Layer::Form(f));
    }
}

/// Runs the form's change hook.
pub fn changed(f: &mut FormLayer, sh: &mut Shared, panels: &mut Panels) {
    if let Some(c) = f.changed.as_mut() {
        c(&mut f.form, sh, panels);
    }
}

/// Pastes into the top layer.
pub fn paste(layer: &mut Layer, s: &str, sh: &mut Shared, panels: &mut Panels) {
    match layer {
        Layer::Form(f) => {
            let outcome = f.form.paste(s);
            if outcome == FormOutcome::Changed {
                changed(f, sh, panels);
            }
        }
        Layer::Picker(p) => p.picker.paste(s),
        Layer::RollCall(r) => r.paste(s),
        _ => {}
    }
}
