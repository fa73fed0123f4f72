//! A picker: a filter line above a list. Typing narrows the list by name,
//! pinyin initials or phone tail; Enter picks. Optional extra entries: one
//! that creates a new record from the typed text, one for "nobody".

use super::input::LineInput;
use crate::domain::text;
use crate::ui::keymap::{self, Action, Scope};
use crate::ui::text::line;
use crate::ui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Position, Rect};
use ratatui::widgets::{Block, Borders, Widget};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Id(u64),
    /// Create a new record named after the typed text.
    New,
    /// Nobody (anonymous request, no assignee).
    Nobody,
}

#[derive(Debug, Clone)]
pub struct PickItem {
    pub label: String,
    pub id: u64,
    hay: String,
    initials: crate::domain::pinyin::Initials,
    phone: String,
}

impl PickItem {
    pub fn new(label: String, id: u64, name: &str, phone: &str, extra: &str) -> PickItem {
        PickItem {
            hay: format!("{name} {extra}").to_lowercase(),
            initials: crate::domain::pinyin::name_initials(name),
            phone: phone.to_string(),
            label,
            id,
        }
    }

    /// Whether every word of a query (see [`query_words`]) matches: digits
    /// in the phone, letters as pinyin initials, anything in the text.
    pub fn matches(&self, words: &[String]) -> bool {
        words.iter().all(|w| {
            if w.bytes().all(|c| c.is_ascii_digit()) {
                self.phone.contains(w.as_str()) || self.hay.contains(w.as_str())
            } else if w.bytes().all(|c| c.is_ascii_alphabetic()) {
                self.initials.has_prefix(w.as_str()) || self.hay.contains(w.as_str())
            } else {
                self.hay.contains(w.as_str())
            }
        })
    }
}

/// A query split into lower-cased words, once per keystroke.
pub fn query_words(q: &str) -> Vec<String> {
    text::search_text(q).split_whitespace().map(str::to_string).collect()
}

pub enum PickerOutcome {
    Consumed,
    Cancel,
    Picked(Pick),
}

pub struct Picker {
    pub title: String,
    pub input: LineInput,
    items: Vec<PickItem>,
    shown: Vec<usize>,
    /// Entries above the items: (label, pick).
    extras: Vec<(String, Pick)>,
    new_label: Option<String>,
    /// Extras go below the items instead of above them.
    extras_last: bool,
    pub selected: usize,
}

/// Most items a picker lists at once; typing narrows further.
const MAX_SHOWN: usize = 200;

impl Picker {
    pub fn new(title: &str, items: Vec<PickItem>) -> Picker {
        let mut p = Picker {
            title: title.into(),
            input: LineInput::default(),
            items,
            shown: Vec::new(),
            extras: Vec::new(),
            new_label: None,
            extras_last: false,
            selected: 0,
        };
        p.refilter();
        p
    }

    /// Adds a "nobody" entry at the top.
    pub fn with_nobody(mut self, label: &str) -> Picker {
        self.extras.push((label.into(), Pick::Nobody));
        self
    }

    /// Adds an entry below the items that picks `Pick::Nobody` (used for
    /// "+ add a worker" under the list of workers).
    pub fn with_last(mut self, label: &str) -> Picker {
        self.extras.push((label.into(), Pick::Nobody));
        self.extras_last = true;
        self
    }

    /// Offers "+ new …" with the typed text once something is typed;
    /// `template` has a `{}` for the text.
    pub fn with_new(mut self, template: &str) -> Picker {
        self.new_label = Some(template.into());
        self
    }

    pub fn with_selected_id(mut self, id: u64) -> Picker {
        if let Some(i) = self.shown.iter().position(|&i| self.items[i].id == id) {
            self.selected = if self.extras_last { i } else { self.extras.len() + i };
        }
        self
    }

    pub fn query(&self) -> String {
        text::clean_input(&self.input.value(), false)
    }

    fn refilter(&mut self) {
        let q = self.query();
        let words = query_words(&q);
        self.shown = self
            .items
            .iter()
            .enumerate()
            .filter(|(_, it)| it.matches(&words))
            .map(|(i, _)| i)
            .take(MAX_SHOWN)
            .collect();
        let new_entry = self.new_label.is_some() && !q.is_empty();
        self.extras.retain(|(_, p)| *p != Pick::New);
        if new_entry && let Some(t) = &self.new_label {
            self.extras.push((crate::i18n::fill(t, &q), Pick::New));
        }
        self.selected = self.selected.min(self.len().saturating_sub(1));
    }

    fn len(&self) -> usize {
        self.extras.len() + self.shown.len()
    }

    /// The i-th entry of the list as shown: its label and what it picks.
    fn entry(&self, i: usize) -> Option<(&str, Pick)> {
        let (n_items, n_extras) = (self.shown.len(), self.extras.len());
        let extra = if self.extras_last { i.checked_sub(n_items) } else { (i < n_extras).then_some(i) };
        if let Some(e) = extra {
            return self.extras.get(e).map(|(l, p)| (l.as_str(), *p));
        }
        let item = if self.extras_last { i } else { i - n_extras };
        self.shown.get(item).map(|&j| (self.items[j].label.as_str(), Pick::Id(self.items[j].id)))
    }

    fn pick_at(&self, i: usize) -> Option<Pick> {
        self.entry(i).map(|(_, p)| p)
    }

    pub fn paste(&mut self, s: &str) {
        self.input.insert_str(s);
        self.refilter();
        self.select_first_match();
    }

    /// After typing, the first matching item is selected (not "nobody" or
    /// "+ new" above it), so that typing a name and pressing Enter picks
    /// that person; when the text matches nobody, "+ new …" named after it
    /// (a new caller is created with one Enter, not logged anonymous);
    /// otherwise the first entry.
    fn select_first_match(&mut self) {
        let new = self.extras.iter().position(|(_, p)| *p == Pick::New);
        self.selected = match new {
            // with no items shown, entry i is extra i above or below
            Some(i) if self.shown.is_empty() => i,
            _ if self.shown.is_empty() || self.extras_last => 0,
            _ => self.extras.len(),
        };
    }

    /// A key, as the key map's `Picker` scope names it; anything else
    /// is typed into the filter.
    pub fn handle_key(&mut self, key: &KeyEvent) -> PickerOutcome {
        let last = self.len().saturating_sub(1);
        match keymap::resolve(&[Scope::Picker], key) {
            Some(Action::Cancel) => return PickerOutcome::Cancel,
            Some(Action::Pick) => {
                return match self.pick_at(self.selected) {
                    Some(p) => PickerOutcome::Picked(p),
                    None => PickerOutcome::Consumed,
                };
            }
            Some(Action::Choose) if key.code == KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            Some(Action::Choose) => self.selected = (self.selected + 1).min(last),
            Some(Action::PageDown) => self.selected = (self.selected + 10).min(last),
            Some(Action::PageUp) => self.selected = self.selected.saturating_sub(10),
            _ => {
                if self.input.handle_key(key) {
                    self.refilter();
                    self.select_first_match();
                }
            }
        }
        PickerOutcome::Consumed
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, lang: crate::i18n::Lang) -> Position {
        crate::ui::text::clear_popup(area, buf);
        let block = Block::new()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(format!(" {} ", self.title))
            .title_style(theme.title);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height < 3 {
            return Position::new(inner.x, inner.y);
        }
        buf.set_stringn(inner.x, inner.y, "> ", 2, theme.focus);
        let pos =
            self.input.render(Rect::new(inner.x + 2, inner.y, inner.width.saturating_sub(2), 1), buf, theme.input);
        let list_h = inner.height.saturating_sub(2) as usize;
        let offset = self.selected.saturating_sub(list_h.saturating_sub(1));
        for row in 0..list_h {
            let i = offset + row;
            if i >= self.len() {
                break;
            }
            let Some((label, _)) = self.entry(i) else { break };
            let style = if i == self.selected { theme.selected } else { theme.base };
            let y = inner.y + 1 + row as u16;
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
            line(buf, inner.x + 1, y, inner.width - 1, label, style);
        }
        line(buf, inner.x, inner.bottom() - 1, inner.width, &keymap::hint_line(lang, Scope::Picker), theme.dim);
        pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyModifiers;

    fn items() -> Vec<PickItem> {
        vec![
            PickItem::new("张三 138****5678".into(), 1, "张三", "13812345678", "幸福小区"),
            PickItem::new("曾小明".into(), 2, "曾小明", "13900001111", ""),
        ]
    }

    fn typed(p: &mut Picker, s: &str) {
        for c in s.chars() {
            p.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    fn pick(p: &mut Picker) -> Option<Pick> {
        match p.handle_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)) {
            PickerOutcome::Picked(x) => Some(x),
            _ => None,
        }
    }

    #[test]
    fn narrows_by_initials_phone_and_text() {
        let mut p = Picker::new("t", items());
        typed(&mut p, "zx");
        assert_eq!(pick(&mut p), Some(Pick::Id(2)));
        let mut p = Picker::new("t", items());
        typed(&mut p, "5678");
        assert_eq!(pick(&mut p), Some(Pick::Id(1)));
        let mut p = Picker::new("t", items());
        typed(&mut p, "幸福");
        assert_eq!(pick(&mut p), Some(Pick::Id(1)));
    }

    #[test]
    fn every_reading_of_a_name_finds_its_person() {
        let people = || {
            vec![
                PickItem::new("尉健行".into(), 1, "尉健行", "", ""),
                PickItem::new("李长春".into(), 2, "李长春", "", ""),
                PickItem::new("隗建国".into(), 3, "隗建国", "", ""),
            ]
        };
        for (q, id) in [("wjx", 1), ("yjx", 1), ("lcc", 2), ("lzc", 2), ("wjg", 3), ("kjg", 3)] {
            let mut p = Picker::new("t", people());
            typed(&mut p, q);
            assert_eq!(pick(&mut p), Some(Pick::Id(id)), "{q}");
        }
    }

    #[test]
    fn typing_a_name_selects_that_person_not_nobody() {
        let mut p = Picker::new("t", items()).with_nobody("匿名").with_new("+ 新建“{}”");
        typed(&mut p, "张三");
        assert_eq!(pick(&mut p), Some(Pick::Id(1)));
        p.paste("丰");
        assert_eq!(pick(&mut p), Some(Pick::New), "no match: a new resident named so");
        let mut p = Picker::new("t", items()).with_nobody("匿名");
        typed(&mut p, "马秀兰");
        assert_eq!(pick(&mut p), Some(Pick::Nobody), "nothing new to offer: the first entry");
    }

    #[test]
    fn offers_new_and_nobody() {
        let mut p = Picker::new("t", items()).with_nobody("匿名").with_new("+ 新建“{}”");
        assert_eq!(pick(&mut p), Some(Pick::Nobody));
        p.paste("王五");
        assert_eq!(pick(&mut p), Some(Pick::New), "a typed new name is created with one Enter");
        assert_eq!(p.query(), "王五");
        p.handle_key(&KeyEvent::new(KeyCode::Up, KeyModifiers::NONE));
        assert_eq!(pick(&mut p), Some(Pick::Nobody), "anonymous is still one ↑ away");
    }

    #[test]
    fn an_extra_can_go_below_the_items() {
        let mut p = Picker::new("t", items()).with_last("+ 新增");
        assert_eq!(pick(&mut p), Some(Pick::Id(1)));
        p.handle_key(&KeyEvent::new(KeyCode::End, KeyModifiers::NONE));
        p.handle_key(&KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
        p.handle_key(&KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
        assert_eq!(pick(&mut p), Some(Pick::Nobody));
        let mut p = Picker::new("t", items()).with_last("+ 新增").with_selected_id(2);
        assert_eq!(pick(&mut p), Some(Pick::Id(2)));
    }
}
