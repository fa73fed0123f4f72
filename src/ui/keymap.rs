//! The key map as data. Key handling, the footer hints and the `?` help
//! screen are all drawn from [`BINDINGS`], so a key is declared once.

use crate::i18n::{Lang, Text};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    NextPanel,
    PrevPanel,
    GoPanel(u8),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    Search,
    New,
    Edit,
    Move,
    Assign,
    Note,
    Filter,
    Sort,
    Mine,
    Attention,
    Callback,
    ClearFilter,
    Reveal,
    Operator,
    NewRequestFor,
    Undo,
    Redo,
    Audit,
    History,
    /// The data screen (backup, restore, export, import, report).
    Data,
    /// Export the requests list as filtered on screen.
    ExportList,
}

/// Where a binding applies. The panel's own scope is tried first, then
/// `List`, then `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    List,
    Requests,
    Residents,
    Workers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::NONE }
}
const fn code(code: KeyCode) -> Key {
    Key { code, mods: KeyModifiers::NONE }
}
const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL }
}

pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [Key],
    pub action: Action,
    /// Shown in the footer (all bindings are shown in help).
    pub footer: bool,
}

const fn b(scope: Scope, keys: &'static [Key], action: Action, footer: bool) -> Binding {
    Binding { scope, keys, action, footer }
}

use Scope::*;

pub const BINDINGS: &[Binding] = &[
    b(Requests, &[k('n')], Action::New, true),
    b(Requests, &[k('m')], Action::Move, true),
    b(Requests, &[k('a')], Action::Assign, false),
    b(Requests, &[k('c')], Action::Note, true),
    b(Requests, &[k('e')], Action::Edit, false),
    b(Requests, &[k('f')], Action::Filter, true),
    b(Requests, &[k('s')], Action::Sort, false),
    b(Requests, &[k('i')], Action::Mine, false),
    b(Requests, &[k('!')], Action::Attention, false),
    b(Requests, &[k('h')], Action::Callback, false),
    b(Requests, &[k('x')], Action::ClearFilter, false),
    b(Requests, &[k('X')], Action::ExportList, false),
    b(Residents, &[k('n')], Action::New, true),
    b(Residents, &[k('e')], Action::Edit, true),
    b(Residents, &[k('r')], Action::NewRequestFor, true),
    b(Residents, &[k('v')], Action::Reveal, false),
    b(Workers, &[k('n')], Action::New, true),
    b(Workers, &[k('e')], Action::Edit, true),
    b(Workers, &[k('v')], Action::Reveal, false),
    b(List, &[k('/')], Action::Search, true),
    b(List, &[code(KeyCode::Enter)], Action::Open, true),
    b(List, &[code(KeyCode::Up), k('k')], Action::Up, false),
    b(List, &[code(KeyCode::Down), k('j')], Action::Down, false),
    b(List, &[code(KeyCode::PageUp)], Action::PageUp, false),
    b(List, &[code(KeyCode::PageDown)], Action::PageDown, false),
    b(List, &[code(KeyCode::Home), k('g')], Action::Top, false),
    b(List, &[code(KeyCode::End), k('G')], Action::Bottom, false),
    b(List, &[code(KeyCode::Esc)], Action::Back, false),
    b(List, &[k('H')], Action::History, false),
    b(Global, &[code(KeyCode::Tab)], Action::NextPanel, true),
    b(Global, &[code(KeyCode::BackTab)], Action::PrevPanel, false),
    b(Global, &[k('1'), code(KeyCode::F(1))], Action::GoPanel(0), false),
    b(Global, &[k('2'), code(KeyCode::F(2))], Action::GoPanel(1), false),
    b(Global, &[k('3'), code(KeyCode::F(3))], Action::GoPanel(2), false),
    b(Global, &[k('o')], Action::Operator, false),
    b(Global, &[k('A')], Action::Audit, false),
    b(Global, &[k('B')], Action::Data, false),
    b(Global, &[ctrl('z')], Action::Undo, false),
    b(Global, &[ctrl('y')], Action::Redo, false),
    b(Global, &[k('?')], Action::Help, true),
    b(Global, &[k('q'), ctrl('c')], Action::Quit, true),
];

/// Resolves a key press in the given scopes (most specific first).
pub fn resolve(scopes: &[Scope], ev: &KeyEvent) -> Option<Action> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    // Shift is implied by an upper-case or symbol character.
    let mods = match ev.code {
        KeyCode::Char(_) => ev.modifiers - KeyModifiers::SHIFT,
        _ => ev.modifiers,
    };
    scopes.iter().find_map(|s| {
        BINDINGS
            .iter()
            .filter(|b| b.scope == *s)
            .find(|b| b.keys.iter().any(|k| k.code == ev.code && k.mods == mods))
            .map(|b| b.action)
    })
}

pub fn key_label(k: &Key) -> String {
    let base = match k.code {
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift+Tab".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::F(n) => format!("F{n}"),
        _ => "?".into(),
    };
    if k.mods.contains(KeyModifiers::CONTROL) { format!("Ctrl+{}", base.to_uppercase()) } else { base }
}

pub fn action_label(t: &Text, a: Action) -> &'static str {
    match a {
        Action::Quit => t.a_quit,
        Action::Help => t.a_help,
        Action::NextPanel => t.a_next_panel,
        Action::PrevPanel => t.a_next_panel,
        Action::GoPanel(0) => t.panel_requests,
        Action::GoPanel(1) => t.panel_residents,
        Action::GoPanel(_) => t.panel_workers,
        Action::Up => t.a_up,
        Action::Down => t.a_down,
        Action::PageUp | Action::PageDown => t.a_page,
        Action::Top | Action::Bottom => t.a_top_bottom,
        Action::Open => t.a_open,
        Action::Back => t.a_back,
        Action::Search => t.a_search,
        Action::New => t.a_new,
        Action::Edit => t.a_edit,
        Action::Move => t.a_move,
        Action::Assign => t.a_assign,
        Action::Note => t.a_note,
        Action::Filter => t.a_filter,
        Action::Sort => t.a_sort,
        Action::Mine => t.a_mine,
        Action::Attention => t.a_attention,
        Action::Callback => t.a_callback,
        Action::ClearFilter => t.a_clear,
        Action::Reveal => t.a_reveal,
        Action::Operator => t.a_operator,
        Action::NewRequestFor => t.a_new_request_for,
        Action::Undo => t.a_undo,
        Action::Audit => t.a_audit,
        Action::History => t.a_history,
        Action::Redo => t.a_redo,
        Action::Data | Action::ExportList => {
            let lang = if std::ptr::eq(t, Lang::En.t()) { Lang::En } else { Lang::Zh };
            let d = crate::i18n_data::DataUiText::of(lang);
            if a == Action::Data { d.a_data } else { d.a_export_list }
        }
    }
}

/// (keys, label) pairs for the footer, most specific scope first.
pub fn footer(lang: Lang, scopes: &[Scope]) -> Vec<(String, &'static str)> {
    let t = lang.t();
    scopes
        .iter()
        .flat_map(|s| BINDINGS.iter().filter(move |b| b.scope == *s && b.footer))
        .map(|b| (key_label(&b.keys[0]), action_label(t, b.action)))
        .collect()
}

/// Every binding of the given scopes, for the help screen.
pub fn help(lang: Lang, scopes: &[Scope]) -> Vec<(String, &'static str)> {
    let t = lang.t();
    scopes
        .iter()
        .flat_map(|s| BINDINGS.iter().filter(move |b| b.scope == *s))
        .map(|b| (b.keys.iter().map(key_label).collect::<Vec<_>>().join(" / "), action_label(t, b.action)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn panel_keys_win_over_global_ones() {
        let scopes = [Scope::Requests, Scope::List, Scope::Global];
        assert_eq!(resolve(&scopes, &press(KeyCode::Char('n'), KeyModifiers::NONE)), Some(Action::New));
        assert_eq!(resolve(&scopes, &press(KeyCode::Char('q'), KeyModifiers::NONE)), Some(Action::Quit));
        assert_eq!(resolve(&scopes, &press(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
        assert_eq!(resolve(&scopes, &press(KeyCode::Char('?'), KeyModifiers::SHIFT)), Some(Action::Help));
        assert_eq!(resolve(&scopes, &press(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(Action::Bottom));
        assert_eq!(resolve(&scopes, &press(KeyCode::Char('z'), KeyModifiers::NONE)), None);
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.scope == b.scope {
                    assert!(
                        !a.keys.iter().any(|k| b.keys.contains(k)),
                        "{:?} and {:?} share a key",
                        a.action,
                        b.action
                    );
                }
            }
        }
    }

    #[test]
    fn footer_and_help_come_from_the_same_table() {
        let scopes = [Scope::Requests, Scope::List, Scope::Global];
        let foot = footer(Lang::Zh, &scopes);
        let help = help(Lang::Zh, &scopes);
        assert!(foot.iter().any(|(k, l)| k == "n" && *l == "新建"));
        assert!(foot.len() < help.len());
        for (_, label) in &foot {
            assert!(help.iter().any(|(_, l)| l == label));
        }
    }
}
