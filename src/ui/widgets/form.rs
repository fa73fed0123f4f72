//! A form: labelled fields the user moves through with Tab and arrows.
//! Text fields edit in place, choice fields cycle with ←/→, lookup fields
//! (a resident, a worker) open a picker layer on Enter. The form does not
//! know what it is for; its owner reads the values on submit.

use super::input::LineInput;
use crate::domain::text;
use crate::i18n::Lang;
use crate::ui::keymap::{self, Action, Scope};
use crate::ui::text::clear_popup;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::widgets::{Block, BorderType, Borders, Widget};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    Text {
        input: LineInput,
        required: bool,
    },
    Choice {
        options: Vec<String>,
        sel: usize,
    },
    /// A phone number: shown masked (`138****5678`) while `masked`, until
    /// the owner records a reveal (`v`); typing replaces the number.
    /// An ID number (`id`) is the same, masked as one (`110***********123X`).
    Phone {
        input: LineInput,
        masked: bool,
        id: bool,
    },
    /// A value picked from a list; `id` is the owner's (0 = none).
    Lookup {
        shown: String,
        id: u64,
        placeholder: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub key: &'static str,
    pub label: String,
    pub kind: FieldKind,
}

impl Field {
    pub fn text(key: &'static str, label: &str, value: &str, required: bool) -> Field {
        Field { key, label: label.into(), kind: FieldKind::Text { input: LineInput::new(value), required } }
    }
    /// A phone number field; a stored number starts masked.
    pub fn phone(key: &'static str, label: &str, value: &str) -> Field {
        let masked = !value.trim().is_empty();
        Field { key, label: label.into(), kind: FieldKind::Phone { input: LineInput::new(value), masked, id: false } }
    }
    /// An ID number field (身份证号): masked and revealed like a phone.
    pub fn id_number(key: &'static str, label: &str, value: &str) -> Field {
        let masked = !value.trim().is_empty();
        Field { key, label: label.into(), kind: FieldKind::Phone { input: LineInput::new(value), masked, id: true } }
    }
    pub fn choice(key: &'static str, label: &str, options: Vec<String>, sel: usize) -> Field {
        let sel = sel.min(options.len().saturating_sub(1));
        Field { key, label: label.into(), kind: FieldKind::Choice { options, sel } }
    }
    pub fn lookup(key: &'static str, label: &str, shown: &str, id: u64, placeholder: &str) -> Field {
        Field {
            key,
            label: label.into(),
            kind: FieldKind::Lookup { shown: shown.into(), id, placeholder: placeholder.into() },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    Consumed,
    Submit,
    Cancel,
    /// Enter on a lookup field: the owner opens a picker for it.
    Lookup(&'static str),
    /// A value changed (the owner may recompute warnings).
    Changed,
    /// `v` on a masked phone field: the owner records the reveal, then
    /// calls [`Form::unmask`].
    Reveal(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    pub warning: Option<String>,
    pub dirty: bool,
    /// Shown beside a focused masked phone number (`v 显示完整号码`).
    pub reveal_hint: String,
}

impl Form {
    pub fn new(title: &str, fields: Vec<Field>) -> Form {
        Form {
            title: title.into(),
            fields,
            focus: 0,
            error: None,
            warning: None,
            dirty: false,
            reveal_hint: "v".into(),
        }
    }

    fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// A text field's value, cleaned of control characters and trimmed (a
    /// phone field's in full, masked or not).
    pub fn text(&self, key: &str) -> String {
        match self.field(key).map(|f| &f.kind) {
            Some(FieldKind::Text { input, .. } | FieldKind::Phone { input, .. }) => {
                text::clean_input(&input.value(), false)
            }
            _ => String::new(),
        }
    }

    /// Shows a phone field's number in full (after the reveal is recorded).
    pub fn unmask(&mut self, key: &str) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == key)
            && let FieldKind::Phone { masked, .. } = &mut f.kind
        {
            *masked = false;
        }
    }

    /// Whether a phone field still hides its number.
    pub fn is_masked(&self, key: &str) -> bool {
        matches!(self.field(key).map(|f| &f.kind), Some(FieldKind::Phone { masked: true, .. }))
    }

    pub fn choice(&self, key: &str) -> usize {
        match self.field(key).map(|f| &f.kind) {
            Some(FieldKind::Choice { sel, .. }) => *sel,
            _ => 0,
        }
    }

    pub fn choice_text(&self, key: &str) -> String {
        match self.field(key).map(|f| &f.kind) {
            Some(FieldKind::Choice { options, sel }) => options.get(*sel).cloned().unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// A date field: `None` when empty, an error naming the field (so
    /// that the focus goes to it, [`Form::focus_named_in`]) when it does
    /// not read as a date (see `domain::text::parse_date`).
    pub fn date(&self, key: &str, today: chrono::NaiveDate, bad: &str) -> Result<Option<chrono::NaiveDate>, String> {
        let s = self.text(key);
        if s.is_empty() {
            return Ok(None);
        }
        text::parse_date(&s, today).map(Some).ok_or_else(|| self.named(key, bad))
    }

    /// A date field that must be filled in: empty is as wrong as a bad date.
    pub fn date_needed(&self, key: &str, today: chrono::NaiveDate, bad: &str) -> Result<chrono::NaiveDate, String> {
        self.date(key, today, bad)?.ok_or_else(|| self.named(key, bad))
    }

    /// `msg` about the field `key`, led by its name: `入职日期：日期格式不对…`.
    pub fn named(&self, key: &str, msg: &str) -> String {
        match self.field(key) {
            Some(f) if f.label.is_ascii() => format!("{}: {msg}", f.label),
            Some(f) => format!("{}：{msg}", f.label),
            None => msg.to_string(),
        }
    }

    pub fn lookup(&self, key: &str) -> u64 {
        match self.field(key).map(|f| &f.kind) {
            Some(FieldKind::Lookup { id, .. }) => *id,
            _ => 0,
        }
    }

    pub fn set_lookup(&mut self, key: &str, shown: &str, new_id: u64) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == key)
            && let FieldKind::Lookup { shown: s, id, .. } = &mut f.kind
        {
            *s = shown.into();
            *id = new_id;
            self.dirty = true;
        }
    }

    pub fn focus_key(&self) -> &'static str {
        self.fields.get(self.focus).map_or("", |f| f.key)
    }

    pub fn focus_on(&mut self, key: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.key == key) {
            self.focus = i;
        }
    }

    /// Puts the focus on the field labelled `label`.
    pub fn focus_on_label(&mut self, label: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.label == label) {
            self.focus = i;
        }
    }

    /// Puts the focus on the field a message is about, when it begins
    /// with that field's name (`电话号码格式不对` is about 电话), so the user
    /// can correct it at once; labels are read without what is in brackets
    /// (`时长（小时）` is 时长). A message that does not begin so (`该等级
    /// 不在此岗位的…`) leaves the focus where it is.
    pub fn focus_named_in(&mut self, msg: &str) {
        let bare = |l: &str| l.split(['(', '（']).next().unwrap_or("").trim().to_string();
        let named = self
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| (bare(&f.label), i))
            .filter(|(l, _)| {
                // a short name only when the message is led by it (`日期：…`)
                let led = [":", "："].iter().any(|c| msg.starts_with(&format!("{l}{c}")));
                led || (text::width(l) >= 4 && msg.starts_with(l.as_str()))
            })
            .max_by_key(|(l, _)| l.len());
        if let Some((_, i)) = named {
            self.focus = i;
        }
    }

    /// The first required text field that is empty, by label.
    pub fn missing(&self) -> Option<String> {
        self.fields.iter().find_map(|f| match &f.kind {
            FieldKind::Text { input, required: true } if text::clean_input(&input.value(), false).is_empty() => {
                Some(f.label.clone())
            }
            _ => None,
        })
    }

    pub fn paste(&mut self, s: &str) -> FormOutcome {
        match self.fields.get_mut(self.focus).map(|f| &mut f.kind) {
            Some(FieldKind::Text { input, .. }) => input.insert_str(s),
            Some(FieldKind::Phone { input, masked, .. }) => {
                // a pasted number replaces the hidden one
                if *masked {
                    input.clear();
                    *masked = false;
                }
                input.insert_str(s);
            }
            _ => return FormOutcome::Consumed,
        }
        self.dirty = true;
        FormOutcome::Changed
    }

    /// A key, as the key map's `Form` scope names it.
    pub fn handle_key(&mut self, key: &KeyEvent) -> FormOutcome {
        let n = self.fields.len().max(1);
        let action = keymap::resolve(&[Scope::Form], key);
        match action {
            Some(Action::Cancel) => return FormOutcome::Cancel,
            Some(Action::Save) => return FormOutcome::Submit,
            Some(Action::NextField) => {
                self.focus = (self.focus + 1) % n;
                return FormOutcome::Consumed;
            }
            Some(Action::PrevField) => {
                self.focus = (self.focus + n - 1) % n;
                return FormOutcome::Consumed;
            }
            _ => {}
        }
        let last = self.focus + 1 == self.fields.len();
        let Some(field) = self.fields.get_mut(self.focus) else {
            return FormOutcome::Consumed;
        };
        match (&mut field.kind, action) {
            (FieldKind::Lookup { .. }, Some(Action::Lookup)) => FormOutcome::Lookup(field.key),
            (FieldKind::Lookup { shown, id, .. }, Some(Action::ClearField)) => {
                shown.clear();
                *id = 0;
                self.dirty = true;
                FormOutcome::Changed
            }
            (_, Some(Action::Lookup)) if last => FormOutcome::Submit,
            (_, Some(Action::Lookup)) => {
                self.focus += 1;
                FormOutcome::Consumed
            }
            (FieldKind::Choice { options, sel }, Some(Action::Choose)) => {
                let len = options.len().max(1);
                match key.code {
                    KeyCode::Left => *sel = (*sel + len - 1) % len,
                    KeyCode::Char(c) if c.is_ascii_digit() => {
                        let i = c.to_digit(10).unwrap_or(0) as usize;
                        if (1..=options.len()).contains(&i) {
                            *sel = i - 1;
                        }
                    }
                    _ => *sel = (*sel + 1) % len,
                }
                self.dirty = true;
                FormOutcome::Changed
            }
            (FieldKind::Phone { masked: true, .. }, Some(Action::Reveal)) => FormOutcome::Reveal(field.key),
            (FieldKind::Phone { input, masked, .. }, _) if *masked => match key.code {
                // typing a new number, or deleting the old one: it is
                // replaced without ever being shown
                KeyCode::Char(_) | KeyCode::Backspace | KeyCode::Delete
                    if !key.modifiers.contains(KeyModifiers::CONTROL) =>
                {
                    input.clear();
                    *masked = false;
                    if matches!(key.code, KeyCode::Char(_)) {
                        input.handle_key(key);
                    }
                    self.dirty = true;
                    FormOutcome::Changed
                }
                _ => FormOutcome::Consumed,
            },
            // in a text field the arrows, digits and space are typing
            (FieldKind::Text { input, .. } | FieldKind::Phone { input, .. }, _) => {
                if input.handle_key(key) {
                    self.dirty = true;
                    FormOutcome::Changed
                } else {
                    FormOutcome::Consumed
                }
            }
            _ => FormOutcome::Consumed,
        }
    }

    /// The warning and error, wrapped to the form's inner width.
    fn messages(&self, width: usize) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        for (msg, is_err) in [(&self.warning, false), (&self.error, true)] {
            if let Some(m) = msg {
                out.extend(crate::ui::text::wrap(m, width).into_iter().take(3).map(|l| (l, is_err)));
            }
        }
        out
    }

    /// Height the form needs at `width` columns.
    pub fn height(&self, width: u16) -> u16 {
        self.fields.len() as u16 + self.messages(width.saturating_sub(4) as usize).len() as u16 + 4
    }

    /// Draws the form as a popup in `area`; returns the cursor position when
    /// a text field has focus.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, lang: Lang) -> Option<Position> {
        let (po, pc) = (lang.t().paren_open, lang.t().paren_close);
        clear_popup(area, buf);
        let block = Block::new()
            .borders(Borders::ALL)
            .border_type(BorderType::Plain)
            .border_style(theme.border)
            .title(format!(" {} ", text::display_safe(&self.title)))
            .title_style(theme.title);
        let inner = block.inner(area);
        block.render(area, buf);
        let label_w = self.fields.iter().map(|f| text::width(&f.label)).max().unwrap_or(4).min(12) as u16 + 2;
        let mut cursor = None;
        for (i, f) in self.fields.iter().enumerate() {
            let y = inner.y + i as u16;
            if y >= inner.bottom() {
                break;
            }
            let focused = i == self.focus;
            let lstyle = if focused { theme.focus } else { theme.base };
            let mark = if focused { "> " } else { "  " };
            let label = format!("{mark}{}", text::fit(&f.label, label_w as usize - 2));
            buf.set_stringn(inner.x, y, &label, label_w as usize + 2, lstyle);
            let value_area = Rect::new(inner.x + label_w + 2, y, inner.width.saturating_sub(label_w + 3), 1);
            match &f.kind {
                FieldKind::Text { input, required } => {
                    let pos = input.render(value_area, buf, theme.input);
                    if *required && input.is_empty() && !focused {
                        buf.set_stringn(value_area.x, y, "*", 1, theme.warn);
                    }
                    if focused {
                        cursor = Some(pos);
                    }
                }
                FieldKind::Phone { input, masked: false, .. } => {
                    let pos = input.render(value_area, buf, theme.input);
                    if focused {
                        cursor = Some(pos);
                    }
                }
                FieldKind::Phone { input, masked: true, id } => {
                    let shown = if *id {
                        crate::domain::mask::id_number(&input.value())
                    } else {
                        crate::domain::mask::phone(&input.value())
                    };
                    let shown = if focused { format!("{shown}  {}", self.reveal_hint) } else { shown };
                    buf.set_stringn(
                        value_area.x,
                        y,
                        text::truncate(&shown, value_area.width as usize),
                        value_area.width as usize,
                        if focused { theme.focus } else { theme.base },
                    );
                }
                FieldKind::Choice { options, sel } => {
                    let cur = options.get(*sel).map(String::as_str).unwrap_or("");
                    let shown = if focused {
                        format!("< {cur} > {po}{}/{}{pc}", sel + 1, options.len())
                    } else {
                        cur.to_string()
                    };
                    let style = if focused { theme.focus } else { theme.base };
                    buf.set_stringn(
                        value_area.x,
                        y,
                        text::truncate(&shown, value_area.width as usize),
                        value_area.width as usize,
                        style,
                    );
                }
                FieldKind::Lookup { shown, placeholder, .. } => {
                    let (s, style) =
                        if shown.is_empty() { (placeholder.as_str(), theme.dim) } else { (shown.as_str(), theme.base) };
                    let s = if focused { format!("{s}  [Enter]") } else { s.to_string() };
                    buf.set_stringn(
                        value_area.x,
                        y,
                        text::truncate(&text::display_safe(&s), value_area.width as usize),
                        value_area.width as usize,
                        if focused { theme.focus } else { style },
                    );
                }
            }
        }
        let first = inner.y + self.fields.len() as u16;
        let last = inner.bottom().saturating_sub(1);
        for (y, (msg, is_err)) in (first..last).zip(self.messages(inner.width.saturating_sub(2) as usize)) {
            let style = if is_err { theme.error } else { theme.warn };
            buf.set_stringn(inner.x + 1, y, &msg, inner.width as usize - 2, style);
        }
        if inner.height > 0 {
            buf.set_stringn(
                inner.x + 1,
                inner.bottom() - 1,
                text::truncate(&keymap::hint_line(lang, Scope::Form), inner.width as usize - 2),
                inner.width as usize - 2,
                theme.dim,
            );
        }
        cursor
    }
}

/// The choices of a yes/no field: no first (index 1 is yes).
pub fn yes_no(lang: Lang) -> Vec<String> {
    vec![crate::i18n::yes_no(lang, false).into(), crate::i18n::yes_no(lang, true).into()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;
    use ratatui::style::Style;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    fn form() -> Form {
        Form::new(
            "t",
            vec![
                Field::choice("ch", "渠道", vec!["来访".into(), "来电".into()], 0),
                Field::text("title", "标题", "", true),
                Field::lookup("res", "居民", "", 0, "匿名"),
            ],
        )
    }

    #[test]
    fn moves_between_fields_and_edits() {
        let mut f = form();
        assert_eq!(f.handle_key(&key(KeyCode::Right)), FormOutcome::Changed);
        assert_eq!(f.choice_text("ch"), "来电");
        f.handle_key(&key(KeyCode::Tab));
        f.paste("楼道灯\u{1b}[2J不亮");
        assert_eq!(f.text("title"), "楼道灯不亮", "an escape sequence goes whole");
        assert_eq!(f.missing(), None);
        f.handle_key(&key(KeyCode::Tab));
        assert_eq!(f.handle_key(&key(KeyCode::Enter)), FormOutcome::Lookup("res"));
        f.set_lookup("res", "张三", 7);
        assert_eq!(f.lookup("res"), 7);
        f.handle_key(&key(KeyCode::Backspace));
        assert_eq!(f.lookup("res"), 0);
        assert_eq!(f.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)), FormOutcome::Submit);
        assert_eq!(f.handle_key(&key(KeyCode::Esc)), FormOutcome::Cancel);
    }

    #[test]
    fn a_wide_character_left_of_a_popup_does_not_eat_its_border() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 20, 2));
        buf.set_string(0, 0, "锦绣花园7号楼法律", Style::new());
        // the popup starts at column 12: 楼 sits on columns 11 and 12
        clear_popup(Rect::new(12, 0, 8, 2), &mut buf);
        assert_eq!(buf[(11, 0)].symbol(), " ");
        assert_eq!(buf[(9, 0)].symbol(), "号");
    }

    #[test]
    fn a_fault_puts_the_focus_on_the_field_it_names() {
        let mut f = Form::new(
            "t",
            vec![
                Field::text("name", "姓名", "", true),
                Field::text("phone", "电话", "", false),
                Field::text("hours", "时长（小时）", "", false),
            ],
        );
        f.focus_named_in("电话号码格式不对：手机写 11 位数字");
        assert_eq!(f.focus_key(), "phone");
        f.focus_named_in("时长看不懂，请写成 2 或 1.5");
        assert_eq!(f.focus_key(), "hours");
        f.focus_named_in("保存失败");
        assert_eq!(f.focus_key(), "hours", "a message naming no field leaves the focus");
        f.focus_named_in("该电话已登记");
        assert_eq!(f.focus_key(), "hours", "only a message that begins with the field's name moves it");
    }

    #[test]
    fn a_bad_date_names_its_field_and_the_focus_goes_there() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let mut f = Form::new(
            "t",
            vec![
                Field::text("phone", "电话", "13812345678", false),
                Field::text("date", "日期", "2026-13-01", false),
                Field::text("start", "入职日期", "", false),
            ],
        );
        let bad = "日期格式不对，请写成 2026-11-24";
        let msg = f.date("date", today, bad).unwrap_err();
        assert_eq!(msg, "日期：日期格式不对，请写成 2026-11-24");
        f.focus_named_in(&msg);
        assert_eq!(f.focus_key(), "date", "a two-column name leading the message moves the focus");
        assert_eq!(f.date("start", today, bad), Ok(None), "empty is no date, not a fault");
        let msg = f.date_needed("start", today, bad).unwrap_err();
        f.focus_named_in(&msg);
        assert_eq!(f.focus_key(), "start");
        let mut en = Form::new("t", vec![Field::text("a", "From", "x", false), Field::text("b", "To", "x", false)]);
        let msg = en.date("b", today, "Write the date as 2026-11-24").unwrap_err();
        assert_eq!(msg, "To: Write the date as 2026-11-24");
        en.focus_named_in(&msg);
        assert_eq!(en.focus_key(), "b");
        en.focus_on("a");
        en.focus_named_in("Total hours cannot be read");
        assert_eq!(en.focus_key(), "a", "a short name not followed by a colon does not move it");
    }

    #[test]
    fn required_fields_are_reported() {
        let f = form();
        assert_eq!(f.missing(), Some("标题".into()));
    }
}
